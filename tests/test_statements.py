"""Statements on the founding articles (the statements issue's "Done when") and
on invented text: topics, stance, stated dates, order, explanations."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from extractors.attribution import load_nlp
from extractors.statements import explain, extract_statements, extract_statements_many
from storage.records import Article, Entity, Person, Statement, Topic, Watchlist
from tests.support import REPO, seed_watchlist


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    if len(value) == 4:  # a year only
        value += "-01-01"
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def seed_articles() -> dict[str, Article]:
    """The bundled seeds.jsonl, keyed by the article's number (000 ... 003)."""
    articles = {}
    for line in (REPO / "seeds" / "seeds.jsonl").read_text().splitlines():
        row = json.loads(line)
        articles[row["url"].rsplit("/", 1)[-1][:3]] = Article(
            url=row["url"], text=row["text"], title=row.get("title"), published_at=_published(row.get("published")))
    return articles


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def seeds(nlp) -> dict[str, list[Statement]]:
    watchlist = seed_watchlist()
    return {key: extract_statements(article, watchlist, nlp=nlp) for key, article in seed_articles().items()}


def _on_topic(statements: list[Statement], words: str) -> Statement:
    hits = [s for s in statements if words in s.text and s.topic_id == "open-source-ai"]
    assert len(hits) == 1, f"{words!r}: {[(s.speaker, s.text, s.topic_id) for s in statements]}"
    assert hits[0].entity_id == "meta"
    return hits[0]


# --- the founding articles: Meta on open-sourcing AI -----------------------------


def test_open_source_ai_is_the_path_forward(seeds):
    st = _on_topic(seeds["003"], "Open Source AI is the Path Forward")
    assert (st.speaker_resolved, st.kind, st.stance_label) == ("Mark Zuckerberg", "direct", "pro")
    assert st.stance > 0
    # "Almost exactly a year ago" in a mid-July 2025 column: July 2024
    assert (st.stated_at.value.year, st.stated_at.value.month) == (2024, 7)


def test_careful_about_what_we_choose_to_open_source(seeds):
    st = _on_topic(seeds["000"], "careful about what we choose to open source")
    assert st.stance_label in ("hedged", "con")
    assert st.stance < 0.3
    assert st.stated_at.value == date(2025, 8, 28)


def test_position_unchanged_is_a_denial(seeds):
    for key in ("001", "003"):
        st = _on_topic(seeds[key], "Our position on open source AI is unchanged")
        assert st.is_denial and st.kind == "direct" and st.speaker_role == "spokesperson"


def test_mix_of_open_and_closed_models(seeds):
    for key in ("001", "003"):
        st = _on_topic(seeds[key], "a mix of open and closed models")
        assert st.kind == "direct" and st.speaker_role == "spokesperson"


def test_reported_turn_to_a_closed_model(seeds):
    abandon = _on_topic(seeds["003"], "discussed abandoning")
    halted = _on_topic(seeds["001"], "halted testing")
    for st in (abandon, halted):
        assert st.kind == "report" and st.attribution_confidence == 0.5
        assert st.stance_label == "con" and st.stance < 0
    assert abandon.stated_at.value < date(2025, 7, 15)  # "Last week" before the column


def test_statements_carry_article_and_order(seeds):
    articles = seed_articles()
    for key, statements in seeds.items():
        assert [s.start for s in statements] == sorted(s.start for s in statements)
        for s in statements:
            assert articles[key].text[s.start:s.end] == s.text
            assert (s.article_id, s.article_url) == (articles[key].id, articles[key].url)


def test_explain_says_who_how_and_why(seeds):
    st = _on_topic(seeds["003"], "Open Source AI is the Path Forward")
    line = explain(st)
    assert "Mark Zuckerberg" in line and "entitled" in line and "pro" in line and "2024-07" in line
    assert "Almost exactly a year ago" in line


# --- invented text ------------------------------------------------------------------

REMOTE = Topic("remote-work", "Remote work", "Globex lets its staff work remotely.",
               ("remote work", "office"), ("remote work", "work from home", "flexibility"),
               ("back to the office", "return to the office", "in-person"))
WATCH = Watchlist(
    (Entity("globex", "Globex", (), (Person("Jane Roe", "CEO"),)),
     Entity("initech", "Initech", (), (Person("Bill Lumbergh", "CEO"),))),
    (REMOTE,),
)
PUBLISHED = datetime(2026, 3, 4, tzinfo=timezone.utc)


def _article(text: str) -> Article:
    return Article(url="https://news.example/a", text=text, published_at=PUBLISHED)


def test_one_statement_per_topic_and_off_topic_ones(nlp):
    text = ("Globex said on Tuesday that it would open a plant in Ohio. Jane Roe, its chief executive, said last "
            "week that staff must return to the office four days a week.")
    statements = extract_statements(_article(text), WATCH, nlp=nlp)
    assert [(s.topic_id, s.stance_label is None) for s in statements] == [(None, True), ("remote-work", False)]
    plant, office = statements
    assert plant.stance is None and plant.stated_at.value == date(2026, 3, 3)  # "on Tuesday"
    assert office.stance < 0 and office.speaker_resolved == "Jane Roe"
    assert office.stated_at.precision in ("day", "month") and office.stated_at.value < date(2026, 3, 4)


def test_topic_named_only_around_the_quote(nlp):
    text = "“It made us faster than ever,” Lumbergh said of remote work."
    (st,) = extract_statements(_article(text), WATCH, nlp=nlp)
    assert (st.topic_id, st.text) == ("remote-work", "It made us faster than ever")
    assert st.stance_confidence is not None


def test_analysts_words_are_not_statements(nlp):
    text = "“Globex will force everyone back to the office,” said Mary Jones, an analyst at Foo Capital."
    assert extract_statements(_article(text), WATCH, nlp=nlp) == []


def test_many_equals_one_by_one(nlp):
    articles = list(seed_articles().values()) + [_article("Initech said it would keep remote work for all.")]
    watchlist = Watchlist(seed_watchlist().entities + WATCH.entities, seed_watchlist().topics + WATCH.topics)
    assert extract_statements_many(articles, watchlist, nlp=nlp) == [
        extract_statements(a, watchlist, nlp=nlp) for a in articles]


def test_no_publication_date_no_stated_date_unless_written(nlp):
    article = Article(url="x", text="Globex said in June 2025 that remote work would stay.")
    (st,) = extract_statements(article, WATCH, nlp=nlp)
    assert st.stated_at is not None and (st.stated_at.value, st.stated_at.precision) == (date(2025, 6, 1), "month")
    article = Article(url="x", text="Globex said that remote work would stay.")
    (st,) = extract_statements(article, WATCH, nlp=nlp)
    assert st.stated_at is None
