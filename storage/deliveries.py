"""SQL for the alert outbox: one delivery per (shift, channel), its attempts and claims."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

import duckdb

from storage._time import aware as _aware
from storage.records import Delivery

__all__ = [
    "claim_deliveries",
    "delivered_counts_since",
    "due_deliveries",
    "enqueue_deliveries",
    "last_sent_at",
    "record_delivery_attempt",
]

_DELIVERY_COLUMNS = ("SELECT shift_id, channel, status, attempts, last_error, next_attempt_at, sent_at "
                     "FROM deliveries")


def enqueue_deliveries(
    con: duckdb.DuckDBPyConnection,
    shift_ids: Iterable[str],
    channels: Iterable[str],
    *,
    now: datetime | None = None,
) -> int:
    """One pending delivery per (shift, channel) that has none yet; returns how many were added."""
    created = _aware(now or datetime.now(timezone.utc))
    rows = [[sid, ch, created, sid, ch] for sid in dict.fromkeys(shift_ids) for ch in dict.fromkeys(channels)]
    if not rows:
        return 0
    before = _delivery_count(con)
    con.executemany(
        "INSERT INTO deliveries (shift_id, channel, status, attempts, created_at, next_attempt_at)"
        " SELECT ?, ?, 'pending', 0, ?, NULL WHERE NOT EXISTS"  # not ON CONFLICT: DuckLake tables have no keys
        " (SELECT 1 FROM deliveries WHERE shift_id = ? AND channel = ?)",
        rows,
    )
    return _delivery_count(con) - before


def _delivery_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM deliveries").fetchone()
    return int(row[0]) if row else 0  # count(*) always gives one row


def due_deliveries(con: duckdb.DuckDBPyConnection, now: datetime, *, max_attempts: int = 8) -> list[Delivery]:
    """Deliveries not sent yet whose time has come (pending, or failed with attempts left); oldest first.

    next_attempt_at is the retry time of a failed one, or the end of a claim by a running cycle."""
    rows = con.execute(
        _DELIVERY_COLUMNS
        + " WHERE status IN ('pending', 'failed') AND attempts < ?"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY created_at, shift_id, channel",
        [max_attempts, _aware(now)],
    ).fetchall()
    return [_delivery(row) for row in rows]


def claim_deliveries(con: duckdb.DuckDBPyConnection, deliveries: Sequence[Delivery], *, until: datetime) -> None:
    """Hold deliveries for one sending cycle: no other cycle finds them due before `until`."""
    if deliveries:
        con.executemany(
            "UPDATE deliveries SET next_attempt_at = ? WHERE shift_id = ? AND channel = ? AND status <> 'sent'",
            [[_aware(until), d.shift_id, d.channel] for d in deliveries],
        )


def record_delivery_attempt(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> None:
    """Store the outcome of one attempt. A delivery already sent is never changed."""
    con.execute(
        "UPDATE deliveries SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, sent_at = ?"
        " WHERE shift_id = ? AND channel = ? AND status <> 'sent'",
        [delivery.status, delivery.attempts, delivery.last_error, _aware(delivery.next_attempt_at),
         _aware(delivery.sent_at), delivery.shift_id, delivery.channel],
    )


def delivered_counts_since(con: duckdb.DuckDBPyConnection, since: datetime) -> dict[str, int]:
    """Alerts sent per channel since a moment (for the hourly throttle)."""
    rows = con.execute(
        "SELECT channel, count(*) FROM deliveries WHERE status = 'sent' AND sent_at > ? GROUP BY channel",
        [_aware(since)],
    ).fetchall()
    return dict(rows)


def last_sent_at(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """The latest successful send per channel (for the daily digest)."""
    rows = con.execute(
        "SELECT channel, max(sent_at) FROM deliveries WHERE status = 'sent' GROUP BY channel"
    ).fetchall()
    return {channel: when for channel, when in rows if when is not None}


def _delivery(row: Sequence) -> Delivery:
    shift_id, channel, status, attempts, last_error, next_attempt_at, sent_at = row
    return Delivery(shift_id=shift_id, channel=channel, status=status, attempts=attempts, last_error=last_error,
                    next_attempt_at=next_attempt_at, sent_at=sent_at)
