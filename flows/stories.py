"""The real-story evaluation: each story through the real pipeline into a fresh archive, then scored.

A story (``tests/stories/{dev,test}/*.yaml``, format in tests/stories/README.md) is one company,
one topic as a user would configure it before reading the later articles, 2-6 real articles
with their dates, and the expected outcome: a change of position (direction, a before and an
after phrase) or a control (the same position restated). For each story the runner:

1. builds a watchlist of that one entity (its ``sites`` too, when the records carry them) and
   that one topic;
2. writes the articles as backfill JSONL (``url``, ``published``, ``title``, ``text``) and runs
   them through the same functions ``stancewatch backfill`` uses (``ingest_documents`` ->
   ``analyze_pending``: statements, stance, storage, shift detection; no alerts) into a fresh
   DuckDB archive in a temporary folder, inside one Prefect flow for all stories;
3. reads the stored shifts of that entity and topic and scores them.

Scoring (``alerts.min_confidence``, 0.6 by default, decides what counts: the product's
question is what would have been *sent*):

- **direction** of a shift is the sign of its move, ``to_stance - from_stance``: any move down
  the order pro > hedged > con (``pro->con``, ``pro->hedged``, ``hedged->con``) is the
  ``pro->con`` direction; any move up is ``con->pro``;
- **evidence match**: a statement matches a phrase when, in lower-cased word tokens (curly
  quotes and dashes folded), the longest common contiguous run of tokens covers at least half
  of the phrase (``PHRASE_COVER``; so a statement containing the phrase, or a clause that
  overlaps most of it, matches);
- a **change** story is *right* when an alerted shift moves in the expected direction with the
  before phrase among its ``before`` statements and the after phrase among its ``after`` ones;
  *found* when such a shift exists but its evidence misses a phrase; *wrong direction* when
  alerted shifts exist only in the other direction; *missed* when nothing was alerted;
- a **control** story is *quiet* with no alerted shift and a *false alert* with any.

Shifts below the threshold are listed too (marked "below threshold") so a near miss shows.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from prefect import flow

from storage.records import Entity, EvidenceStatement, Person, Shift, Topic, Watchlist

__all__ = [
    "PHRASE_COVER",
    "Story",
    "StoryResult",
    "StoriesReport",
    "load_stories",
    "load_story",
    "phrase_matches",
    "move_direction",
    "score_story",
    "evaluate_stories_flow",
    "run_stories",
]

PHRASE_COVER = 0.5  # share of the expected phrase's tokens a statement must share in one run
CHANGE_OUTCOMES = ("right", "found", "wrong direction", "missed", "error")
CONTROL_OUTCOMES = ("quiet", "false alert", "error")


# --- the stories ---------------------------------------------------------------


@dataclass(frozen=True)
class StoryArticle:
    url: str
    published: str | None
    title: str | None
    text: str


@dataclass(frozen=True)
class Expected:
    shift: bool
    direction: str | None  # "pro->con" or "con->pro"; None for a control
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Story:
    id: str
    kind: str  # change | control
    entity: Entity
    topic: Topic
    articles: tuple[StoryArticle, ...]
    expected: Expected
    path: Path | None = None
    industry: str | None = None
    category: str | None = None
    summary: str | None = None

    @property
    def is_change(self) -> bool:
        return self.kind == "change"

    @property
    def watchlist(self) -> Watchlist:
        return Watchlist(entities=(self.entity,), topics=(self.topic,))


def load_stories(paths: Sequence[str | Path]) -> list[Story]:
    """Stories from YAML files and folders (a folder: its ``*.yaml`` files, not its subfolders)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
            if not found:
                raise ValueError(f"{path}: no story files (*.yaml) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ValueError(f"{path}: no such story file or folder")
    return [load_story(f) for f in files]


def load_story(path: str | Path) -> Story:
    path = Path(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: a story is a YAML mapping")
    try:
        expected = raw.get("expected") or {}
        return Story(
            id=str(raw.get("id") or path.stem),
            kind=str(raw["kind"]).strip(),
            entity=_entity(raw["entity"]),
            topic=_topic(raw["topic"]),
            articles=tuple(_article(a) for a in raw["articles"]),
            expected=Expected(shift=bool(expected.get("shift")), direction=expected.get("direction"),
                              before=expected.get("before"), after=expected.get("after")),
            path=path, industry=raw.get("industry"), category=raw.get("category"), summary=raw.get("summary"),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a story ({type(exc).__name__}: {exc})") from None


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


def _entity(raw: dict) -> Entity:
    roles = raw.get("people") or {}
    if missing := [str(name) for name, role in roles.items() if role is None]:
        # {Ann Lee: founder, chairman and CEO} is three keys in YAML: the role must be quoted
        raise KeyError(f"people with no role: {missing} (quote a role that holds a comma)")
    people = tuple(Person(str(name), str(role)) for name, role in roles.items())
    fields = {"id": str(raw["id"]), "name": str(raw["name"]), "aliases": _strings(raw.get("aliases")),
              "people": people}
    if "sites" in {f.name for f in dataclasses.fields(Entity)}:  # the company's own hosts, where supported
        fields["sites"] = _strings(raw.get("sites"))
    return Entity(**fields)


def _topic(raw: dict) -> Topic:
    return Topic(id=str(raw["id"]), name=str(raw["name"]), proposition=str(raw.get("proposition") or ""),
                 keywords=_strings(raw.get("keywords")), pro=_strings(raw.get("pro")), con=_strings(raw.get("con")))


def _article(raw: dict) -> StoryArticle:
    published = raw.get("published")
    if isinstance(published, (date, datetime)):
        published = published.isoformat()
    return StoryArticle(url=str(raw["url"]), published=None if published is None else str(published),
                        title=raw.get("title"), text=str(raw["text"]))


# --- scoring --------------------------------------------------------------------


_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.translate(_FOLD).lower())


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def phrase_matches(statement_text: str, phrase: str) -> bool:
    """The statement contains the phrase, or shares one run of at least half of its tokens."""
    wanted = _tokens(phrase)
    if not wanted:
        return False
    return _longest_common_run(_tokens(statement_text), wanted) >= max(1, PHRASE_COVER * len(wanted))


def move_direction(shift: Shift) -> str:
    """``pro->con`` for any move down pro > hedged > con, ``con->pro`` for any move up."""
    return "pro->con" if shift.to_stance < shift.from_stance else "con->pro"


def _cites(statements: Sequence[EvidenceStatement], phrase: str | None) -> bool:
    return phrase is None or any(phrase_matches(s.text, phrase) for s in statements)


@dataclass(frozen=True)
class ShiftCheck:
    """One stored shift as the story sees it."""

    shift: Shift
    alerted: bool
    direction_ok: bool
    before_cited: bool
    after_cited: bool

    @property
    def right(self) -> bool:
        return self.alerted and self.direction_ok and self.before_cited and self.after_cited


@dataclass(frozen=True)
class StoryResult:
    story: Story
    outcome: str
    checks: tuple[ShiftCheck, ...] = ()
    evidence: tuple[EvidenceStatement, ...] = ()  # every stanced statement stored for the pair
    articles: int = 0
    seconds: float = 0.0
    error: str | None = None

    @property
    def correct(self) -> bool:
        return self.outcome in ("right", "quiet")


def score_story(story: Story, shifts: Sequence[Shift], evidence: Sequence[EvidenceStatement], *,
                min_confidence: float) -> StoryResult:
    """The story's outcome from the shifts stored for its entity and topic."""
    checks = tuple(_check(story, s, min_confidence) for s in shifts)
    alerted = [c for c in checks if c.alerted]
    if not story.is_change:
        outcome = "false alert" if alerted else "quiet"
    elif any(c.right for c in alerted):
        outcome = "right"
    elif any(c.direction_ok for c in alerted):
        outcome = "found"
    elif alerted:
        outcome = "wrong direction"
    else:
        outcome = "missed"
    return StoryResult(story, outcome, checks, tuple(evidence))


def _check(story: Story, shift: Shift, min_confidence: float) -> ShiftCheck:
    expected = story.expected
    return ShiftCheck(
        shift=shift,
        alerted=shift.confidence >= min_confidence,
        direction_ok=story.is_change and move_direction(shift) == expected.direction,
        before_cited=_cites(shift.before, expected.before),
        after_cited=_cites(shift.after, expected.after),
    )


# --- running ----------------------------------------------------------------------


@dataclass
class StoriesReport:
    results: list[StoryResult] = field(default_factory=list)
    min_confidence: float = 0.6
    seconds: float = 0.0

    @property
    def changes(self) -> list[StoryResult]:
        return [r for r in self.results if r.story.is_change]

    @property
    def controls(self) -> list[StoryResult]:
        return [r for r in self.results if not r.story.is_change]

    @property
    def changes_right(self) -> int:
        return sum(r.outcome == "right" for r in self.changes)

    @property
    def changes_right_below_threshold(self) -> int:
        """Change stories a recorded shift gets right only below the alert threshold (not counted as right)."""
        return sum(r.outcome != "right" and any(c.direction_ok and c.before_cited and c.after_cited for c in r.checks)
                   for r in self.changes)

    @property
    def false_alerts(self) -> int:
        return sum(r.outcome == "false alert" for r in self.controls)

    def counts(self) -> dict[str, int]:
        counts = {name: 0 for name in (*CHANGE_OUTCOMES, *CONTROL_OUTCOMES)}
        for r in self.results:
            counts[r.outcome] += 1
        return counts

    def totals_line(self) -> str:
        counts = self.counts()
        return (f"changes right {self.changes_right}/{len(self.changes)} "
                f"(found with other evidence {counts['found']}, wrong direction {counts['wrong direction']}, "
                f"missed {counts['missed']}; right below the threshold {self.changes_right_below_threshold}); "
                f"controls with a false alert {self.false_alerts}/{len(self.controls)}"
                + (f"; errors {counts['error']}" if counts["error"] else "")
                + f"  [min_confidence {self.min_confidence}, {self.seconds:.0f} s]")

    def to_dict(self) -> dict:
        return {
            "min_confidence": self.min_confidence,
            "totals": {"changes": len(self.changes), "changes_right": self.changes_right,
                       "changes_right_below_threshold": self.changes_right_below_threshold,
                       "controls": len(self.controls), "false_alerts": self.false_alerts, **self.counts()},
            "seconds": round(self.seconds, 1),
            "stories": [_result_dict(r) for r in self.results],
        }

    def format_report(self) -> str:
        blocks = [_result_text(r) for r in self.results]
        return "\n\n".join([*blocks, "TOTALS: " + self.totals_line()])


@flow(name="stancewatch-evaluate-stories", log_prints=True)
def evaluate_stories_flow(paths: list[str], min_confidence: float = 0.6) -> StoriesReport:
    """Every story through ingest -> analyze -> detect, each in a fresh archive; no alerts."""
    return run_stories(load_stories(paths), min_confidence=min_confidence)


def run_stories(stories: Sequence[Story], *, min_confidence: float) -> StoriesReport:
    """Run inside a Prefect flow (the pipeline's tasks need one)."""
    started = time.perf_counter()
    report = StoriesReport(min_confidence=min_confidence)
    with tempfile.TemporaryDirectory(prefix="stancewatch-stories-") as tmp:
        for story in stories:
            report.results.append(_run_story(story, Path(tmp) / story.id, min_confidence))
    report.seconds = time.perf_counter() - started
    return report


def _run_story(story: Story, folder: Path, min_confidence: float) -> StoryResult:
    from flows.analyze import analyze_pending
    from flows.ingest import ingest_documents
    from flows.settings import Settings
    from storage.db import Archive
    from storage.shifts import load_evidence, load_shifts

    started = time.perf_counter()
    folder.mkdir(parents=True)
    settings = Settings(database=folder / "archive.duckdb", watchlist=story.watchlist, lock_wait=5.0)
    try:
        ingest = ingest_documents(settings, [str(_write_jsonl(story, folder))], source=None, progress=None)
        analyze_pending(settings)
        with Archive(settings.database, lock_wait=settings.lock_wait).connect(read_only=True) as con:
            shifts = load_shifts(con, story.entity.id, story.topic.id)
            evidence = load_evidence(con, story.entity.id, story.topic.id)
    except Exception as exc:  # one broken story must not hide the others' figures
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return StoryResult(story, "error", error=f"{type(exc).__name__}: {exc} ({where.filename}:{where.lineno})",
                           seconds=time.perf_counter() - started)
    result = score_story(story, shifts, evidence, min_confidence=min_confidence)
    return dataclasses.replace(result, articles=ingest.new, seconds=time.perf_counter() - started)


def _write_jsonl(story: Story, folder: Path) -> Path:
    path = folder / "articles.jsonl"
    lines = [json.dumps({"url": a.url, "published": a.published, "title": a.title, "text": a.text},
                        ensure_ascii=False) for a in story.articles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- printing -----------------------------------------------------------------------


def _clip(text: str, width: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _statement_line(s: EvidenceStatement, phrase: str | None = None) -> str:
    mark = "*" if phrase and phrase_matches(s.text, phrase) else " "
    return (f"   {mark} {s.stated_at} ({s.stated_precision}) {s.stance:+.2f} {s.stance_label:<7} {s.kind:<8} {s.speaker}: "
            f"“{_clip(s.text)}”")


def _result_text(r: StoryResult) -> str:
    story, expected = r.story, r.story.expected
    want = f"expect {expected.direction}" if story.is_change else "expect no shift"
    lines = [f"[{r.outcome.upper()}] {story.id} ({story.kind}, {want}; {r.articles} articles, "
             f"{len(r.evidence)} stanced statements, {r.seconds:.1f} s)"]
    if r.error:
        lines.append(f"   error: {r.error}")
        return "\n".join(lines)
    for check in r.checks:
        shift = check.shift
        state = "alerted" if check.alerted else "below threshold"
        lines.append(f"  shift {shift.direction} {shift.from_stance:+.2f} -> {shift.to_stance:+.2f}, "
                     f"confidence {shift.confidence:.2f} ({state}); before phrase "
                     f"{'cited' if check.before_cited else 'NOT cited'}, after phrase "
                     f"{'cited' if check.after_cited else 'NOT cited'}")
        lines.extend(f"   why: {reason}" for reason in shift.reasons)
        lines.append("   before:")
        lines.extend(_statement_line(s, expected.before) for s in shift.before)
        lines.append("   after:")
        lines.extend(_statement_line(s, expected.after) for s in shift.after)
    if not r.checks:
        lines.append("  no shift; the stanced statements stored:" if r.evidence else "  no stanced statement stored")
        lines.extend(_statement_line(s, expected.after if s.stance < 0 else expected.before) for s in r.evidence)
    if story.is_change and r.outcome != "right":
        lines.append(f"   expected before: “{_clip(expected.before or '')}”")
        lines.append(f"   expected after:  “{_clip(expected.after or '')}”")
    return "\n".join(lines)


def _statement_dict(s: EvidenceStatement) -> dict:
    return {"speaker": s.speaker, "text": s.text, "stated_at": s.stated_at.isoformat(),
            "stated_precision": s.stated_precision, "stance": s.stance, "kind": s.kind, "url": s.url,
            "weight": s.weight}


def _result_dict(r: StoryResult) -> dict:
    return {
        "id": r.story.id, "kind": r.story.kind, "outcome": r.outcome, "expected": dataclasses.asdict(r.story.expected),
        "articles": r.articles, "seconds": round(r.seconds, 2), "error": r.error,
        "shifts": [{"direction": c.shift.direction, "move": move_direction(c.shift),
                    "from_stance": c.shift.from_stance, "to_stance": c.shift.to_stance,
                    "confidence": c.shift.confidence, "alerted": c.alerted, "before_cited": c.before_cited,
                    "after_cited": c.after_cited, "reasons": list(c.shift.reasons),
                    "before": [_statement_dict(s) for s in c.shift.before],
                    "after": [_statement_dict(s) for s in c.shift.after]} for c in r.checks],
        "statements": [_statement_dict(s) for s in r.evidence],
    }
