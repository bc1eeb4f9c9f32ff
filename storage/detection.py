"""SQL for incremental shift detection: the queue of (entity, topic) pairs whose statements changed.

Storing statements queues the pairs they touch (in the same transaction, so a spooled batch
queues its pairs when it is applied); detection reads the queue, detects those pairs only, and
saves its shifts and clears the pairs it did in one transaction. A pair queued again while
detection ran (a later `queued_at`) stays queued.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from storage._time import aware
from storage.records import DetectionSummary, Shift, ShiftChanges
from storage.shifts import KNOWN_DATE, load_shifts, save_shift_changes

__all__ = ["DetectionResult", "SummaryRow", "queue_detection", "queued_pairs", "queue_all_pairs", "save_detection",
           "shifts_of_pairs", "summary_fingerprints", "valid_summaries"]


@dataclass(frozen=True)
class SummaryRow:
    """A pair's new settled summary with the fingerprint of its statements when it was made; summary
    None drops the pair's summary (its history is short again, or could not be cut)."""

    entity_id: str
    topic_id: str
    summary: DetectionSummary | None
    fingerprint: str = ""


@dataclass(frozen=True)
class DetectionResult:
    """What one detection run did: the shift changes, the pairs it detected, and the queue time it read up to."""

    changes: ShiftChanges
    pairs: tuple[tuple[str, str], ...]
    through: datetime | None  # the latest queued_at read; None when the pairs did not come from the queue
    summaries: tuple[SummaryRow, ...] = ()  # settled summaries made (or dropped) by full detection
    incremental: int = 0  # pairs detected from their settled summary (the others in full)


def queue_detection(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[str, str]]) -> None:
    """Queue pairs at the time of this write (the database's clock: a spooled batch applied later
    is queued when it is applied, after any detection that ran meanwhile)."""
    chosen = sorted(set(pairs))
    if chosen:
        # a delete and an insert, not ON CONFLICT: DuckLake tables have no keys
        columns = [[e for e, _ in chosen], [t for _, t in chosen]]
        con.execute(
            "DELETE FROM detection_queue q USING (SELECT unnest($1) AS entity_id, unnest($2) AS topic_id) queued"
            " WHERE q.entity_id = queued.entity_id AND q.topic_id = queued.topic_id",
            columns,
        )
        con.execute("INSERT INTO detection_queue (entity_id, topic_id, queued_at) SELECT unnest(?), unnest(?), now()",
                    columns)


def queue_all_pairs(con: duckdb.DuckDBPyConnection) -> int:
    """Queue every pair with statements or shifts (after a change of detection rules, say)."""
    pairs = con.execute(
        "SELECT entity_id, topic_id FROM statements WHERE topic_id IS NOT NULL"
        " UNION SELECT entity_id, topic_id FROM shifts"
    ).fetchall()
    con.execute("DELETE FROM detection_summaries")  # the next detection of every pair is a full one
    queue_detection(con, pairs)
    return len(pairs)


def queued_pairs(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str]], datetime | None]:
    """The queued pairs (sorted) and the latest time one was queued."""
    rows = con.execute("SELECT entity_id, topic_id, queued_at FROM detection_queue ORDER BY entity_id, topic_id").fetchall()
    return [(e, t) for e, t, _ in rows], max((q for _, _, q in rows), default=None)


def save_detection(con: duckdb.DuckDBPyConnection, result: DetectionResult) -> None:
    """The shift changes, and the detected pairs off the queue unless queued again since."""
    save_shift_changes(con, result.changes)
    _save_summaries(con, result.summaries)
    if result.through is not None and result.pairs:
        con.execute(
            "DELETE FROM detection_queue q USING (SELECT unnest($1) AS entity_id, unnest($2) AS topic_id) done"
            " WHERE q.entity_id = done.entity_id AND q.topic_id = done.topic_id AND q.queued_at <= $3",
            [[e for e, _ in result.pairs], [t for _, t in result.pairs], aware(result.through)],
        )


def shifts_of_pairs(con: duckdb.DuckDBPyConnection,
                    pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[Shift]]:
    """The stored shifts of several pairs with their evidence, in two queries; a pair without shifts is absent."""
    chosen = sorted(set(pairs))
    ids = [row[0] for row in con.execute(
        "SELECT s.id FROM shifts s JOIN (SELECT unnest(?) AS entity_id, unnest(?) AS topic_id) w"
        " ON s.entity_id = w.entity_id AND s.topic_id = w.topic_id",
        [[e for e, _ in chosen], [t for _, t in chosen]]).fetchall()]
    found: dict[tuple[str, str], list[Shift]] = {}
    for shift in load_shifts(con, ids=ids):
        found.setdefault((shift.entity_id, shift.topic_id), []).append(shift)
    return found


# --- settled summaries (incremental detection) ----------------------------------------------

# What a summary's statements were: the count and checksum of the pair's position statements said
# before the cut-off (every column detection reads) and of their sources.
_FINGERPRINTS = (
    "WITH wanted AS (SELECT unnest(?) AS entity_id, unnest(?) AS topic_id, unnest(?) AS cut_off),"
    " pair_statements AS MATERIALIZED (SELECT s.*, w.cut_off FROM statements s"
    " JOIN wanted w ON s.entity_id = w.entity_id AND s.topic_id = w.topic_id"
    " WHERE s.stance IS NOT NULL AND NOT s.is_denial AND (s.stated_at IS NULL OR s.stated_at < w.cut_off + 366)),"
    # an undated statement counts from its article's publication (an inner join: an outer one with this
    # condition would not be a hash join)
    " undated AS (SELECT p.id, a.published_at FROM pair_statements p JOIN articles a ON a.id = p.article_id"
    " WHERE p.stated_at IS NULL),"
    " chosen AS MATERIALIZED (SELECT s.entity_id, s.topic_id, s.id,"
    " hash(s.id, s.stance, s.stance_label, s.confidence, s.kind, s.speaker_role, s.stated_at, s.stated_precision,"
    " s.article_id, a.published_at) AS h"
    " FROM pair_statements s LEFT JOIN undated a ON a.id = s.id"
    " WHERE " + KNOWN_DATE.format(s="s", a="a") + " < s.cut_off),"
    " statements_fp AS (SELECT entity_id, topic_id, count(*) AS n, sum(h) AS h FROM chosen GROUP BY ALL),"
    " sources_fp AS (SELECT c.entity_id, c.topic_id, count(*) AS n, sum(hash(ss.statement_id, ss.url)) AS h"
    " FROM statement_sources ss JOIN chosen c ON c.id = ss.statement_id GROUP BY ALL)"
    " SELECT w.entity_id, w.topic_id, concat_ws(':', coalesce(f.n, 0), coalesce(f.h, 0), coalesce(r.n, 0),"
    " coalesce(r.h, 0)) FROM wanted w"
    " LEFT JOIN statements_fp f ON f.entity_id = w.entity_id AND f.topic_id = w.topic_id"
    " LEFT JOIN sources_fp r ON r.entity_id = w.entity_id AND r.topic_id = w.topic_id"
)


def summary_fingerprints(con: duckdb.DuckDBPyConnection,
                         cut_offs: dict[tuple[str, str], date]) -> dict[tuple[str, str], str]:
    """The fingerprint of each pair's statements said before its cut-off, as stored now."""
    if not cut_offs:
        return {}
    pairs = sorted(cut_offs)
    rows = con.execute(_FINGERPRINTS, [[e for e, _ in pairs], [t for _, t in pairs], [cut_offs[p] for p in pairs]])
    return {(e, t): fingerprint for e, t, fingerprint in rows.fetchall()}


def valid_summaries(con: duckdb.DuckDBPyConnection,
                    pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], DetectionSummary]:
    """The pairs' settled summaries whose statements are unchanged since they were made."""
    chosen = sorted(set(pairs))
    if not chosen:
        return {}
    rows = con.execute(
        "SELECT d.entity_id, d.topic_id, d.cut_off, d.fingerprint, d.state FROM detection_summaries d"
        " JOIN (SELECT unnest(?) AS entity_id, unnest(?) AS topic_id) w"
        " ON d.entity_id = w.entity_id AND d.topic_id = w.topic_id",
        [[e for e, _ in chosen], [t for _, t in chosen]]).fetchall()
    stored = {(e, t): (DetectionSummary(cut_off, bytes(state)), fingerprint)
              for e, t, cut_off, fingerprint, state in rows}
    now = summary_fingerprints(con, {pair: summary.cut_off for pair, (summary, _) in stored.items()})
    return {pair: summary for pair, (summary, fingerprint) in stored.items() if now.get(pair) == fingerprint}


def _save_summaries(con: duckdb.DuckDBPyConnection, rows: Sequence[SummaryRow]) -> None:
    if not rows:
        return
    # a delete and an insert, not ON CONFLICT: DuckLake tables have no keys
    con.execute(
        "DELETE FROM detection_summaries d USING (SELECT unnest($1) AS entity_id, unnest($2) AS topic_id) done"
        " WHERE d.entity_id = done.entity_id AND d.topic_id = done.topic_id",
        [[r.entity_id for r in rows], [r.topic_id for r in rows]],
    )
    kept = [r for r in rows if r.summary is not None]
    if kept:
        con.execute(
            "INSERT INTO detection_summaries (entity_id, topic_id, cut_off, fingerprint, state, made_at)"
            " SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), now()",
            [[r.entity_id for r in kept], [r.topic_id for r in kept], [r.summary.cut_off for r in kept if r.summary],
             [r.fingerprint for r in kept], [r.summary.state for r in kept if r.summary]],
        )
