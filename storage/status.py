"""SQL behind `stancewatch status`: source health, the analysis queue, recent output, the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import duckdb

from storage.records import ArchiveStatus, DeliveryProblem, SourceStatus

__all__ = ["archive_status"]

_MAX_LISTED = 20  # failures and deliveries listed by name; the counts cover the rest

_SOURCES = """
WITH attempts AS (
    SELECT source_id,
           max(fetched_at) FILTER (WHERE error IS NULL) AS last_success,
           arg_max(error, fetched_at) FILTER (WHERE error IS NOT NULL) AS last_error,
           max(fetched_at) FILTER (WHERE error IS NOT NULL) AS last_error_at
    FROM fetch_log GROUP BY source_id
),
recent AS (
    SELECT source_id, count(*) AS n FROM articles WHERE fetched_at >= ? GROUP BY source_id
)
SELECT s.id, s.name, s.url, a.last_success,
       CASE WHEN a.last_error_at > coalesce(a.last_success, TIMESTAMPTZ '1970-01-01') THEN a.last_error_at END,
       CASE WHEN a.last_error_at > coalesce(a.last_success, TIMESTAMPTZ '1970-01-01') THEN a.last_error END,
       coalesce(r.n, 0)
FROM sources s
LEFT JOIN attempts a ON a.source_id = s.id
LEFT JOIN recent r ON r.source_id = s.id
ORDER BY s.name, s.id
"""

_LATEST_VERSION = "version = (SELECT max(version) FROM articles b WHERE b.url = a.url)"

_WAITING = f"SELECT count(*) FROM articles a WHERE analyzed_at IS NULL AND analysis_error IS NULL AND {_LATEST_VERSION}"

_FAILURES = (f"SELECT url, analysis_error FROM articles a WHERE analysis_error IS NOT NULL AND {_LATEST_VERSION}"
             " ORDER BY fetched_at DESC, url LIMIT ?")

_DELIVERIES = ("SELECT shift_id, channel, status, attempts, last_error, next_attempt_at FROM deliveries"
               " WHERE status <> 'sent' ORDER BY status, created_at, shift_id, channel LIMIT ?")


def archive_status(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> ArchiveStatus:
    """The archive's health as of `now` (default: the current time); "last day" means the 24 hours before it."""
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(days=1)
    sources = tuple(SourceStatus(*row) for row in con.execute(_SOURCES, [since]).fetchall())
    failures = tuple((url, error) for url, error in con.execute(_FAILURES, [_MAX_LISTED]).fetchall())
    deliveries = tuple(DeliveryProblem(*row) for row in con.execute(_DELIVERIES, [_MAX_LISTED]).fetchall())
    return ArchiveStatus(
        sources=sources,
        waiting_for_analysis=_count(con, _WAITING),
        analysis_failures=failures,
        statements_last_day=_count(con, "SELECT count(*) FROM statements WHERE analyzed_at >= ?", since),
        shifts_last_day=_count(con, "SELECT count(*) FROM shifts WHERE detected_at >= ?", since),
        deliveries=deliveries,
        checked_at=now,
    )


def _count(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> int:
    row = con.execute(sql, list(params)).fetchone()
    return int(row[0]) if row else 0
