"""SQL for incremental shift detection: the queue of (entity, topic) pairs whose statements changed.

Storing statements queues the pairs they touch (in the same transaction, so a spooled batch
queues its pairs when it is applied); detection reads the queue, detects those pairs only, and
saves its shifts and clears the pairs it did in one transaction. A pair queued again while
detection ran (a later `queued_at`) stays queued.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from storage._time import aware
from storage.records import Shift, ShiftChanges
from storage.shifts import load_shifts, save_shift_changes

__all__ = ["DetectionResult", "queue_detection", "queued_pairs", "queue_all_pairs", "save_detection", "shifts_of_pairs"]


@dataclass(frozen=True)
class DetectionResult:
    """What one detection run did: the shift changes, the pairs it detected, and the queue time it read up to."""

    changes: ShiftChanges
    pairs: tuple[tuple[str, str], ...]
    through: datetime | None  # the latest queued_at read; None when the pairs did not come from the queue


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
    queue_detection(con, pairs)
    return len(pairs)


def queued_pairs(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str]], datetime | None]:
    """The queued pairs (sorted) and the latest time one was queued."""
    rows = con.execute("SELECT entity_id, topic_id, queued_at FROM detection_queue ORDER BY entity_id, topic_id").fetchall()
    return [(e, t) for e, t, _ in rows], max((q for _, _, q in rows), default=None)


def save_detection(con: duckdb.DuckDBPyConnection, result: DetectionResult) -> None:
    """The shift changes, and the detected pairs off the queue unless queued again since."""
    save_shift_changes(con, result.changes)
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
