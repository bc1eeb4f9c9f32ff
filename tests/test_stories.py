"""The real-story evaluation (issue 8): the runner, its scoring, the dev-set floors, and no story names in code.

- The runner is tested end to end on an invented story (Halden Rail's four-day week, from
  tests/data/new_user_articles.jsonl, written as a story YAML in a temporary folder) through
  `stancewatch evaluate --stories DIR --json`: real backfill, real archive, real detection.
- The dev half of tests/stories/ runs through the same flow; its figures must stay at or above
  floors set just under what it scores (the test half is never run here).
- No word naming a story's company, people, product or topic appears in extractors/ code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

from flows.cli import main
from flows.stories import (
    evaluate_stories_flow,
    load_stories,
    move_direction,
    phrase_matches,
    score_story,
)
from storage.records import EvidenceStatement, Shift
from tests.support import REPO, TEST_DATA, TESTS

DEV_STORIES = TESTS / "stories" / "dev"
TEST_STORIES = TESTS / "stories" / "test"
NEW_USER_ARTICLES = TEST_DATA / "new_user_articles.jsonl"

# Floors just under the dev figures (measured with `stancewatch evaluate --stories tests/stories/dev`).
DEV_CHANGES_RIGHT_FLOOR = 17  # just under what it scores: measured 18 of 39 (2026-12-01, fourth session)
DEV_FALSE_ALERTS_CEILING = 0


# --- scoring rules -----------------------------------------------------------------


def _statement(sid: str, text: str, stance: float, when: str) -> EvidenceStatement:
    return EvidenceStatement(id=sid, entity_id="e", topic_id="t", speaker="a spokesperson", text=text,
                             stance=stance, stance_label="pro" if stance > 0 else "con", confidence=0.9,
                             kind="direct", stated_at=date.fromisoformat(when), stated_precision="day",
                             url=f"https://news.example/{sid}")


def _shift(before: float, after: float, confidence: float, before_text: str, after_text: str) -> Shift:
    return Shift(entity_id="e", topic_id="t", direction="x", from_stance=before, to_stance=after,
                 confidence=confidence, detected_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                 before=(_statement("b", before_text, before, "2020-01-01"),),
                 after=(_statement("a", after_text, after, "2024-01-01"),))


def test_a_phrase_matches_a_statement_containing_or_overlapping_most_of_it():
    phrase = "it will start blocking subscribers from sharing passwords"
    assert phrase_matches("The company said it will start blocking subscribers from sharing passwords soon.", phrase)
    assert phrase_matches("start blocking subscribers from sharing", phrase)  # 5 of 8 tokens in one run
    assert phrase_matches("It’s “blocking subscribers from sharing passwords”", "it's blocking subscribers")
    assert not phrase_matches("subscribers may keep sharing", phrase)
    assert not phrase_matches("blocking passwords subscribers sharing from start", phrase)  # the words, not a run


def test_the_direction_is_the_sign_of_the_move():
    assert move_direction(_shift(0.8, -0.7, 0.9, "x", "y")) == "pro->con"
    assert move_direction(_shift(0.8, 0.1, 0.9, "x", "y")) == "pro->con"  # pro -> hedged
    assert move_direction(_shift(0.0, -0.6, 0.9, "x", "y")) == "pro->con"  # hedged -> con
    assert move_direction(_shift(-0.6, 0.5, 0.9, "x", "y")) == "con->pro"


def _story_file(tmp_path: Path, kind: str, expected: dict) -> Path:
    rows = [json.loads(line) for line in NEW_USER_ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    story = {
        "id": f"invented-halden-{kind}", "kind": kind, "industry": "transport", "category": "labour",
        "entity": {"id": "halden-rail", "name": "Halden Rail", "aliases": ["Halden"],
                   "people": {"Ingrid Sollie": "CEO", "Marcus Obi": "Chief Operating Officer"}},
        "topic": {"id": "four-day-week", "name": "Four-day work week",
                  "proposition": "The company gives its staff a four-day work week without cutting pay.",
                  "keywords": ["four-day week", "32-hour week", "shorter working week", "five-day week"],
                  "pro": ["four-day week", "32-hour week", "shorter working week"],
                  "con": ["five-day week", "back to five days", "end the four-day week"]},
        "articles": [{"url": r["url"], "published": r["published"], "title": r["title"], "text": r["text"]}
                     for r in rows if "halden" in r["text"].lower()],
        "expected": expected,
    }
    path = tmp_path / f"{story['id']}.yaml"
    path.write_text(yaml.safe_dump(story, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_person_whose_role_was_split_by_a_comma_is_refused(tmp_path):
    path = _story_file(tmp_path, "control", {"shift": False, "direction": None})
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    # what YAML makes of an unquoted {Ingrid Sollie: founder, chairman and CEO}
    raw["entity"]["people"] = yaml.safe_load("{Ingrid Sollie: founder, chairman and CEO}")
    assert raw["entity"]["people"] == {"Ingrid Sollie": "founder", "chairman and CEO": None}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValueError, match="people with no role.*quote a role"):
        load_stories([path])


def test_scoring_outcomes_of_a_change_and_a_control(tmp_path):
    change = load_stories([_story_file(tmp_path, "change", {
        "shift": True, "direction": "pro->con", "before": "best thing we have done for our drivers",
        "after": "return to a five-day week in September"})])[0]
    control = load_stories([_story_file(tmp_path, "control", {"shift": False, "direction": None})])[0]
    right = _shift(0.8, -0.7, 0.8, "A four-day week is the best thing we have done for our drivers",
                   "We will return to a five-day week in September")
    other_evidence = _shift(0.8, -0.7, 0.8, "Shorter weeks are safer", "We will return to a five-day week")
    weak = _shift(0.8, -0.7, 0.4, right.before[0].text, right.after[0].text)
    backwards = _shift(-0.7, 0.8, 0.8, right.after[0].text, right.before[0].text)
    assert score_story(change, [right], [], min_confidence=0.6).outcome == "right"
    assert score_story(change, [other_evidence], [], min_confidence=0.6).outcome == "found"
    assert score_story(change, [weak], [], min_confidence=0.6).outcome == "missed"
    assert score_story(change, [backwards], [], min_confidence=0.6).outcome == "wrong direction"
    assert score_story(control, [weak], [], min_confidence=0.6).outcome == "quiet"
    assert score_story(control, [right], [], min_confidence=0.6).outcome == "false alert"


# --- the runner, end to end ----------------------------------------------------------


@pytest.mark.usefixtures("prefect_harness")
def test_evaluate_stories_command_backfills_and_scores_an_invented_story(tmp_path, capsys):
    folder = tmp_path / "stories"
    folder.mkdir()
    _story_file(folder, "change", {"shift": True, "direction": "pro->con",
                                   "before": "best thing we have done for our drivers",
                                   "after": "return to a five-day week in September"})
    assert main(["evaluate", "--stories", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [story] = report["stories"]
    assert story["outcome"] == "right", json.dumps(story, indent=1)[:3000]
    assert report["totals"]["changes_right"] == 1 and report["totals"]["changes"] == 1
    [shift] = [s for s in story["shifts"] if s["alerted"]]
    assert shift["move"] == "pro->con" and shift["before_cited"] and shift["after_cited"]
    assert any("return to a five-day week in September" in s["text"] for s in shift["after"])
    assert shift["reasons"], "a shift says why"


def test_evaluate_refuses_a_missing_story_folder(tmp_path, capsys):
    assert main(["evaluate", "--stories", str(tmp_path / "nowhere")]) == 2
    assert "no such story file or folder" in capsys.readouterr().err


# --- the dev half of the real-story set ---------------------------------------------------


@pytest.mark.usefixtures("prefect_harness")
def test_dev_stories_stay_above_their_floors():
    report = evaluate_stories_flow(paths=[str(DEV_STORIES)], min_confidence=0.6)
    summary = "\n".join(f"{r.outcome:>15}  {r.story.id}" for r in report.results)
    assert not [r for r in report.results if r.outcome == "error"], summary
    assert len(report.changes) >= 10 and len(report.controls) >= 5, summary
    assert report.changes_right >= DEV_CHANGES_RIGHT_FLOOR, summary
    assert report.false_alerts <= DEV_FALSE_ALERTS_CEILING, summary


# --- no story names in extractors/ --------------------------------------------------------

# English words that are also names in the stories (a company called Shell, a surname Cook):
# on their own they say nothing about the code, so they are checked only inside the phrases
# they belong to ("Royal Dutch Shell", "Tim Cook"). Keep this list to ordinary words.
ORDINARY_WORDS = frozenset("""
shell apple target visa square meta amazon oracle alphabet block snap chase ford gap next three
cook gates page brin jobs bell rivers king brown white black green young hill wood price may rich field
reach read ring total origin put
ceo cfo coo
""".split())
_SHORTEST_NAME = 3  # a single word shorter than this is too short to mean anything on its own


@dataclass(frozen=True)
class NameTerms:
    checked: tuple[str, ...]  # phrases and single names searched in the code
    skipped: tuple[str, ...]  # single names that are ordinary words (checked only within their phrases)


def name_terms(folders) -> NameTerms:
    """Every way a story names its company, people, product or topic, as searchable terms.

    Searched as whole phrases: the entity name and each alias, each person's full name, the
    topic name, and each topic keyword, pro or con term written with a capital letter (proper
    nouns and acronyms: a product, a league, a service). Searched as single words: a one-word
    entity name or alias, each person's surname, each one-word capitalised keyword, unless the
    word is an ordinary English word (``ORDINARY_WORDS``) or shorter than three letters. Words
    of a multi-word name ("Wells" of "Wells Fargo", "New" of a country) are not searched alone:
    only the phrase names the company. Lower-case keywords ("free tier", "password sharing")
    are the user's topic vocabulary, ordinary words the rules may well use, and are not checked.
    """
    checked: set[str] = set()
    singles: set[str] = set()
    for story in load_stories(folders):
        people = [p.name for p in story.entity.people]
        proper = [k for k in (*story.topic.keywords, *story.topic.pro, *story.topic.con) if any(c.isupper() for c in k)]
        for phrase in (story.entity.name, *story.entity.aliases, *people, story.topic.name, *proper):
            (checked if len(phrase.split()) > 1 else singles).add(phrase.strip())
        singles.update(name.split()[-1] for name in people if len(name.split()) > 1)
    skipped = {w for w in singles if w.lower() in ORDINARY_WORDS or len(w) < _SHORTEST_NAME}
    return NameTerms(tuple(sorted(checked | (singles - skipped))), tuple(sorted(skipped)))


def _term_pattern(term: str) -> re.Pattern:
    words = (re.escape(w) for w in term.split())
    # a word of its own: not inside an identifier ("__twitter_impression" is not the company)
    return re.compile(r"(?<![A-Za-z0-9_])" + r"[\s_-]+".join(words) + r"(?![A-Za-z0-9_])", re.IGNORECASE)


def names_in_code(terms, sources: dict[str, str]) -> list[str]:
    hits = []
    for term in terms:
        pattern = _term_pattern(term)
        for where, text in sources.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                hits.append(f"{where}:{line}: {term!r}")
    return hits


def _extractor_sources() -> dict[str, str]:
    return {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in sorted((REPO / "extractors").rglob("*.py"))}


def test_no_story_name_appears_in_extractor_code():
    # both halves: the held-out stories' names must not be in the rules either (only names are read here)
    terms = name_terms([DEV_STORIES, TEST_STORIES])
    stories = load_stories([DEV_STORIES, TEST_STORIES])
    assert len(terms.checked) >= 2 * len(stories), "too few names to check: the list is not being built"
    # the stop-list must not swallow the check: most single names stay searchable
    assert len(terms.skipped) <= len(stories) // 2, f"ordinary-word names skipped: {terms.skipped}"
    assert names_in_code(terms.checked, _extractor_sources()) == []


def test_the_name_check_finds_a_planted_name():
    terms = name_terms([DEV_STORIES])
    story = next(s for s in load_stories([DEV_STORIES]) if s.entity.name in terms.checked)
    planted = {"extractors/_planted.py": f'_HINTS = ("{story.entity.name.upper()} said", "x")\n'}
    assert names_in_code(terms.checked, planted), f"{story.entity.name} planted in code was not found"
    innocent = {"extractors/_innocent.py": '_CUES = ("said", "announced", "according to")\n'}
    assert names_in_code(terms.checked, innocent) == []
