"""SQL for statements and the articles that reported them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from storage.detection import queue_detection
from storage.records import Article, Statement

__all__ = ["AnalysisFailure", "StatementBatch", "StoreSummary", "store_statements", "mark_articles_analyzed",
           "record_analysis_failures"]

_ERROR_CHARS = 500  # an analysis error as stored: the exception's type and the start of its message

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class AnalysisFailure:
    """An article whose analysis raised: recorded in `articles.analysis_error` and skipped until re-analysed."""

    article_id: str
    url: str
    error: str  # "ValueError: ..."


@dataclass(frozen=True)
class StatementBatch:
    """The statements found in a batch of analyzed articles; they replace what those articles gave before.
    `failures`: the batch's articles whose analysis raised (not in `articles`)."""

    articles: tuple[Article, ...]
    statements: tuple[Statement, ...]
    analyzed_at: datetime
    failures: tuple[AnalysisFailure, ...] = ()


@dataclass(frozen=True)
class StoreSummary:
    articles: int
    statements: int  # statements in the batch (sources included)
    new_statements: int  # statement rows that did not exist before
    pairs: tuple[tuple[str, str], ...]  # (entity_id, topic_id) touched, for shift detection
    failed: int = 0  # articles whose analysis raised, recorded as such


def store_statements(con: duckdb.DuckDBPyConnection, batch: StatementBatch) -> StoreSummary:
    article_ids = [a.id for a in batch.articles]
    touched = set(_pairs_sourced_by(con, article_ids))
    _forget_article_sources(con, article_ids)
    published = {a.id: a.published_at for a in batch.articles}
    new = 0
    for statement in batch.statements:
        when = published.get(statement.article_id) if statement.article_id else None
        new += _insert_or_add_source(con, statement, when, batch.analyzed_at)
        if statement.topic_id is not None:
            touched.add((statement.entity_id, statement.topic_id))
    mark_articles_analyzed(con, article_ids, batch.analyzed_at)
    record_analysis_failures(con, batch.failures)
    queue_detection(con, touched)  # shift detection looks at these pairs next
    return StoreSummary(len(article_ids), len(batch.statements), new, tuple(sorted(touched)), len(batch.failures))


def mark_articles_analyzed(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], when: datetime) -> None:
    """Analysed now, and no longer failed (a re-analysis that succeeds clears an earlier error)."""
    if article_ids:
        con.execute("UPDATE articles SET analyzed_at = ?, analysis_error = NULL WHERE id IN (SELECT unnest(?))",
                    [when, list(article_ids)])


def record_analysis_failures(con: duckdb.DuckDBPyConnection, failures: Sequence[AnalysisFailure]) -> None:
    """The articles stay unanalysed (`analyzed_at` null) with their error: the queue skips them, `status` lists them."""
    for failure in failures:
        con.execute("UPDATE articles SET analysis_error = ? WHERE id = ?", [failure.error[:_ERROR_CHARS],
                                                                            failure.article_id])


def _pairs_sourced_by(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> list[tuple[str, str]]:
    if not article_ids:
        return []
    return con.execute(
        "SELECT DISTINCT s.entity_id, s.topic_id FROM statements s JOIN statement_sources ss ON ss.statement_id = s.id "
        "WHERE ss.article_id IN (SELECT unnest(?)) AND s.topic_id IS NOT NULL",
        [list(article_ids)],
    ).fetchall()


def _forget_article_sources(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Re-analysis replaces: drop these articles' sources, then statements no article reports any more."""
    if not article_ids:
        return
    ids = list(article_ids)
    con.execute("DELETE FROM statement_sources WHERE article_id IN (SELECT unnest(?))", [ids])
    con.execute("DELETE FROM statements WHERE id NOT IN (SELECT statement_id FROM statement_sources)")
    # a statement still reported elsewhere now points at its earliest remaining source
    con.execute(
        "UPDATE statements SET article_id = ("
        "  SELECT ss.article_id FROM statement_sources ss WHERE ss.statement_id = statements.id"
        "  ORDER BY ss.published_at NULLS LAST, ss.article_id LIMIT 1)"
        " WHERE article_id IN (SELECT unnest(?))",
        [ids],
    )


def _insert_or_add_source(con: duckdb.DuckDBPyConnection, st: Statement, published: datetime | None, now: datetime) -> int:
    statement_id = st.id
    con.execute(
        "INSERT INTO statement_sources (statement_id, article_id, url, start_offset, end_offset, published_at,"
        " entity_id, topic_id) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "  # not ON CONFLICT: DuckLake has no keys
        "(SELECT 1 FROM statement_sources WHERE statement_id = ? AND article_id = ?)",
        [statement_id, st.article_id, st.article_url, st.start, st.end, published, st.entity_id, st.topic_id,
         statement_id, st.article_id],
    )
    existing = con.execute("SELECT stated_at, stated_precision FROM statements WHERE id = ?", [statement_id]).fetchone()
    if existing is None:
        con.execute(
            "INSERT INTO statements (id, article_id, entity_id, topic_id, speaker, speaker_resolved, speaker_role, text, "
            "kind, cue, start_offset, end_offset, stance, stance_label, confidence, attribution_confidence, "
            "stance_confidence, stance_cues, is_denial, stated_at, stated_precision, date_cue, analyzed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [statement_id, st.article_id, st.entity_id, st.topic_id, st.speaker, st.speaker_resolved, st.speaker_role,
             st.text, st.kind, st.cue, st.start, st.end, st.stance, st.stance_label, st.confidence,
             st.attribution_confidence, st.stance_confidence, _cues_json(st), st.is_denial,
             st.stated_at.value if st.stated_at else None, st.stated_at.precision if st.stated_at else None,
             st.stated_at.cue if st.stated_at else None, now],
        )
        return 1
    if st.stated_at and _better_date(st, existing):
        # several reports of one quote: keep the earliest, most precise date any of them gives
        con.execute(
            "UPDATE statements SET stated_at = ?, stated_precision = ?, date_cue = ? WHERE id = ?",
            [st.stated_at.value, st.stated_at.precision, st.stated_at.cue, statement_id],
        )
    return 0


def _better_date(st: Statement, existing: tuple) -> bool:
    old_date, old_precision = existing
    if old_date is None:
        return True
    new = st.stated_at
    if new is None:
        return False
    if new.value < old_date:
        return True
    return new.value == old_date and _PRECISION_RANK.get(new.precision, 3) < _PRECISION_RANK.get(old_precision, 3)


def _cues_json(st: Statement) -> str:
    return json.dumps([{"kind": c.kind, "text": c.text, "weight": round(c.weight, 3)} for c in st.stance_cues])
