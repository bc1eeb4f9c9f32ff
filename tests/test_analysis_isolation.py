"""Analysis in isolation and bounded per article, on real archives: an article whose analysis raises is
recorded (`articles.analysis_error`, shown by `status`) and skipped, never blocking the queue; a 1 MB article
is analysed up to the cap; undated articles never hold the head of the queue."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pytest
from prefect import flow

from extractors.attribution import load_nlp
from extractors.statements import extract_statements, extract_statements_many
from flows.analyze import MAX_ANALYZED_CHARS, AnalyzeReport, analyze_pending, analyzed_part
from flows.cli import main
from flows.settings import Settings
from storage._spool import decode_batch, encode_batch
from storage.articles import ArticleBatch, articles_to_analyze, save_articles
from storage.db import Archive
from storage.records import Article
from storage.statements import AnalysisFailure, StatementBatch, store_statements
from tests.support.paths import REPO_SEEDS
from tests.support.seeds import seed_watchlist

NOW = datetime(2025, 9, 1, tzinfo=timezone.utc)
SEED_TEXT = "\n\n".join(json.loads(line)["text"] for line in (REPO_SEEDS / "seeds.jsonl").read_text().splitlines())


def _article(n: int, text: str, published: datetime | None) -> Article:
    return Article(url=f"https://news.example/{n}", text=text, title=f"Story {n}", published_at=published)


def _settings(tmp_path: Path) -> Settings:
    return Settings(database=tmp_path / "archive.duckdb", watchlist=seed_watchlist(), lock_wait=5.0)


def _store(settings: Settings, articles: list[Article]) -> None:
    Archive(settings.database).save(save_articles, ArticleBatch(tuple(articles), NOW))


def _rows(settings: Settings, sql: str) -> list[tuple]:
    with Archive(settings.database).connect(read_only=True) as con:
        return con.execute(sql).fetchall()


@flow(name="test-analyze-pending")
def _analyze(settings: Settings, extract=None, max_chars: int = MAX_ANALYZED_CHARS) -> AnalyzeReport:
    return analyze_pending(settings, extract=extract or extract_statements_many, max_chars=max_chars)


class CountingNlp:
    """The real spaCy pipeline, counting what it is given to parse (how much work an article cost)."""

    def __init__(self, nlp):
        self.nlp, self.texts, self.chars = nlp, 0, 0

    def pipe(self, texts, **kwargs):
        return self.nlp.pipe(self._counted(texts), **kwargs)

    def _counted(self, texts):
        for text in texts:
            self.texts += 1
            self.chars += len(text)
            yield text


def _sentence_too_long_to_parse() -> str:
    """One sentence with a watched name and a reporting verb, longer than spaCy parses in one go
    (nlp.max_length, 1,000,000 characters): parsing it raises ValueError [E088]."""
    return "Meta said that " + "the plan would change again and again " * 28_000 + "soon"


@pytest.mark.usefixtures("prefect_harness")
def test_an_article_that_raises_is_recorded_skipped_next_time_and_the_rest_is_stored(tmp_path, capsys):
    settings = _settings(tmp_path)
    bad = _article(0, _sentence_too_long_to_parse(), None)  # undated: the old queue put it first, every time
    good = [_article(n, SEED_TEXT + f"\n\nEdition {n}.", datetime(2025, 8, n, tzinfo=timezone.utc))
            for n in (1, 2)]
    _store(settings, [bad, *good])
    assert len(bad.text) > load_nlp().max_length

    # the cap raised above the article, so that the real limit of the parser trips
    first = _analyze(settings, max_chars=2 * len(bad.text))

    assert first.failed == [bad.url] and first.articles == 2 and first.statements > 0
    [(error,)] = _rows(settings, f"SELECT analysis_error FROM articles WHERE url = '{bad.url}'")
    assert error.startswith("ValueError: [E088]")
    analysed = _rows(settings, "SELECT url FROM articles WHERE analyzed_at IS NOT NULL ORDER BY url")
    assert analysed == [(a.url,) for a in good]
    stored = _rows(settings, "SELECT DISTINCT article_id FROM statement_sources ORDER BY 1")
    assert stored == sorted((a.id,) for a in good)

    second = _analyze(settings, max_chars=2 * len(bad.text))  # skipped: nothing raises, nothing waits
    assert second.articles == 0 and second.failed == []

    assert main(["--db", str(settings.database), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["waiting_for_analysis"] == 0
    assert status["analysis_failures"] == [[bad.url, error]]


@pytest.mark.usefixtures("prefect_harness")
def test_a_1_mb_article_is_analysed_up_to_the_cap_with_bounded_parsing(tmp_path):
    settings = _settings(tmp_path)
    text = (SEED_TEXT + "\n\n") * (1_000_000 // len(SEED_TEXT) + 1)
    huge = _article(1, text[:1_000_000], datetime(2025, 8, 28, tzinfo=timezone.utc))
    _store(settings, [huge])
    nlp = CountingNlp(load_nlp())

    report = _analyze(settings, extract=partial(extract_statements_many, nlp=nlp))

    assert report.cut == [huge.url] and report.articles == 1 and report.failed == []
    assert nlp.chars <= MAX_ANALYZED_CHARS  # the parser saw at most the cap (the stand-ins are shorter)
    part = analyzed_part(huge)
    assert MAX_ANALYZED_CHARS // 2 < len(part.text) <= MAX_ANALYZED_CHARS and text.startswith(part.text)
    expected = extract_statements(part, seed_watchlist())  # the part alone gives exactly what was stored
    assert report.statements == len(expected) > 200
    rows = _rows(settings, "SELECT s.id, ss.article_id, ss.end_offset FROM statements s "
                           "JOIN statement_sources ss ON ss.statement_id = s.id")
    assert {r[0] for r in rows} == {st.id for st in expected}  # repeated words are one statement each
    assert {r[1] for r in rows} == {huge.id}  # the stored article's id, not that of the part analysed
    assert max(r[2] for r in rows) <= len(part.text)


def test_the_queue_skips_failed_articles_and_puts_undated_ones_after_the_dated(tmp_path):
    settings = _settings(tmp_path)
    undated, old, new, failed = (_article(0, "Undated.", None), _article(1, "Old.", datetime(2020, 1, 1, tzinfo=timezone.utc)),
                                 _article(2, "New.", datetime(2025, 1, 1, tzinfo=timezone.utc)),
                                 _article(3, "Fails.", datetime(2019, 1, 1, tzinfo=timezone.utc)))
    _store(settings, [undated, new, old, failed])
    batch = StatementBatch((), (), NOW, failures=(AnalysisFailure(failed.id, failed.url, "ValueError: no"),))
    Archive(settings.database).save(store_statements, batch)
    with Archive(settings.database).connect(read_only=True) as con:
        assert [a.url for a in articles_to_analyze(con)] == [old.url, new.url, undated.url]
        assert [a.url for a in articles_to_analyze(con, limit=1)] == [old.url]
        assert [a.url for a in articles_to_analyze(con, ids=[failed.id])] == [failed.url]  # re-analysis by id

    # a re-analysis that succeeds clears the error
    Archive(settings.database).save(store_statements, StatementBatch((failed,), (), NOW))
    assert _rows(settings, f"SELECT analysis_error, analyzed_at IS NOT NULL FROM articles WHERE id = '{failed.id}'") \
        == [(None, True)]


def test_a_batch_with_failures_survives_the_spool_format():
    failure = AnalysisFailure("abc", "https://news.example/9", "RuntimeError: broken")
    batch = StatementBatch((_article(1, "Text.", NOW),), (), NOW, failures=(failure,))
    op, payload = decode_batch(encode_batch(store_statements, batch))
    assert op is store_statements and payload == batch
