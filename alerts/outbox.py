"""The alert outbox: shifts worth telling -> one delivery per channel -> sent exactly once.

One cycle (``process_outbox``):

1. in one short write: enqueue a pending delivery per configured channel for each
   candidate shift at or above ``min_confidence`` (never twice for a shift and channel),
   then read the deliveries that are due (pending, or failed whose retry time came,
   attempts left) with their shifts;
2. with the archive closed, send them (throttled per channel per hour, or as one daily
   digest per channel);
3. in a second short write: record every attempt. A sent delivery is never sent again;
   a failed one is retried with exponential backoff until ``max_attempts``.

The archive is only held for the two writes (DuckDB locks out other processes), and a
busy archive spools the writes (``Archive.save``); a cycle that could not read the
outbox sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import duckdb

from alerts.deliver import AlertSettings, SendResult, redact, scrub, send
from alerts.render import RenderedAlert, render_alert, render_digest
from storage.records import Delivery, Shift, Watchlist
from storage.shift_store import (
    delivered_counts_since,
    due_deliveries,
    enqueue_deliveries,
    last_sent_at,
    load_shifts,
    record_delivery_attempt,
)

__all__ = ["ArchiveLike", "OutboxReport", "Sender", "process_outbox"]

log = logging.getLogger("stancewatch.alerts")

Sender = Callable[[str, RenderedAlert], SendResult]
_MAX_BACKOFF = timedelta(days=1)


class ArchiveLike(Protocol):
    """What the outbox needs of ``storage.db.Archive``: a spool-safe write in one transaction."""

    def save(self, op: Callable[[duckdb.DuckDBPyConnection, Any], Any], payload: Any) -> Any: ...


@dataclass(frozen=True)
class OutboxReport:
    enqueued: int = 0
    sent: tuple[Delivery, ...] = ()
    failed: tuple[Delivery, ...] = ()
    deferred: tuple[Delivery, ...] = ()  # throttled, waiting for tomorrow's digest, or channel not configured
    busy: bool = False  # the archive was held by another process: nothing was sent this cycle


@dataclass(frozen=True)
class _PrepareRequest:
    shift_ids: tuple[str, ...]
    channels: tuple[str, ...]
    now: datetime
    min_confidence: float
    max_attempts: int


@dataclass(frozen=True)
class _Prepared:
    enqueued: int
    due: tuple[Delivery, ...]
    shifts: tuple[Shift, ...]
    sent_last_hour: dict[str, int]
    last_sent: dict[str, datetime]


@dataclass(frozen=True)
class _Batch:
    """One message to one channel: a single alert, or a digest of several."""

    channel: str
    deliveries: tuple[Delivery, ...]


def process_outbox(
    archive: ArchiveLike,
    settings: AlertSettings,
    *,
    shift_ids: Sequence[str] = (),
    now: datetime | None = None,
    sender: Sender = send,
    watchlist: Watchlist | None = None,
) -> OutboxReport:
    """One outbox cycle. ``shift_ids``: shifts new or updated by this cycle's detection (candidates to alert)."""
    now = now or datetime.now(timezone.utc)
    targets = {redact(url): url for url in settings.urls}
    request = _PrepareRequest(tuple(shift_ids), tuple(targets), now, settings.min_confidence, settings.max_attempts)
    prepared = archive.save(_prepare_outbox, request)
    if not isinstance(prepared, _Prepared):
        log.warning("archive busy: alerts wait for the next cycle")
        return OutboxReport(busy=True)
    batches, deferred = _plan(prepared, targets, settings, now)
    shifts = {s.id: s for s in prepared.shifts}
    outcomes: list[Delivery] = []
    for batch in batches:
        outcomes.extend(_deliver(batch, targets[batch.channel], shifts, settings, now, sender, watchlist))
    if outcomes:
        archive.save(_record_attempts, tuple(outcomes))
    return OutboxReport(
        enqueued=prepared.enqueued,
        sent=tuple(d for d in outcomes if d.status == "sent"),
        failed=tuple(d for d in outcomes if d.status == "failed"),
        deferred=tuple(deferred),
    )


# --- the two short writes (module level: Archive.save may pickle them into its spool) ------


def _prepare_outbox(con: duckdb.DuckDBPyConnection, request: _PrepareRequest) -> _Prepared:
    candidates = [s.id for s in load_shifts(con, ids=list(request.shift_ids))
                  if s.confidence >= request.min_confidence] if request.shift_ids else []
    enqueued = enqueue_deliveries(con, candidates, request.channels, now=request.now)
    due = tuple(due_deliveries(con, request.now, max_attempts=request.max_attempts))
    shifts = tuple(load_shifts(con, ids=sorted({d.shift_id for d in due}))) if due else ()
    return _Prepared(
        enqueued=enqueued,
        due=due,
        shifts=shifts,
        sent_last_hour=delivered_counts_since(con, request.now - timedelta(hours=1)),
        last_sent=last_sent_at(con),
    )


def _record_attempts(con: duckdb.DuckDBPyConnection, outcomes: tuple[Delivery, ...]) -> None:
    for delivery in outcomes:
        record_delivery_attempt(con, delivery)


# --- planning -------------------------------------------------------------------------------


def _plan(prepared: _Prepared, targets: dict[str, str], settings: AlertSettings,
          now: datetime) -> tuple[list[_Batch], list[Delivery]]:
    known_shifts = {s.id for s in prepared.shifts}
    by_channel: dict[str, list[Delivery]] = {}
    deferred: list[Delivery] = []
    for delivery in prepared.due:
        if delivery.channel in targets and delivery.shift_id in known_shifts:
            by_channel.setdefault(delivery.channel, []).append(delivery)
        else:
            deferred.append(delivery)  # channel removed from the config, or shift gone: keep it for later
    batches: list[_Batch] = []
    for channel, due in by_channel.items():
        if settings.digest:
            last = prepared.last_sent.get(channel)
            if last is not None and last.astimezone(timezone.utc).date() == now.astimezone(timezone.utc).date():
                deferred.extend(due)  # one digest per channel per day
            else:
                batches.append(_Batch(channel, tuple(due)))
            continue
        allowed = len(due)
        if settings.throttle_per_hour is not None:
            allowed = max(0, settings.throttle_per_hour - prepared.sent_last_hour.get(channel, 0))
        batches.extend(_Batch(channel, (d,)) for d in due[:allowed])
        deferred.extend(due[allowed:])
    return batches, deferred


# --- sending ------------------------------------------------------------------------------------


def _deliver(batch: _Batch, url: str, shifts: dict[str, Shift], settings: AlertSettings, now: datetime,
             sender: Sender, watchlist: Watchlist | None) -> list[Delivery]:
    alerts = [_render(shifts[d.shift_id], watchlist) for d in batch.deliveries]
    message = alerts[0] if len(alerts) == 1 else render_digest(alerts, day=now.date())
    try:
        result = sender(url, message)
    except Exception as exc:  # a sender must not stop the cycle; its message may hold the URL
        result = SendResult(False, scrub(f"{type(exc).__name__}: {exc}", url), batch.channel)
    outcomes = [_outcome(d, result, settings, now, url) for d in batch.deliveries]
    if result.ok:
        log.info("alert sent to %s (%d shift(s))", batch.channel, len(outcomes))
    else:
        log.warning("alert to %s failed (attempt %d): %s", batch.channel, outcomes[0].attempts, outcomes[0].last_error)
    return outcomes


def _outcome(delivery: Delivery, result: SendResult, settings: AlertSettings, now: datetime, url: str) -> Delivery:
    attempts = delivery.attempts + 1
    if result.ok:
        return replace(delivery, status="sent", attempts=attempts, last_error=None, next_attempt_at=None, sent_at=now)
    retry_at = None
    if attempts < settings.max_attempts:
        retry_at = now + min(_MAX_BACKOFF, timedelta(seconds=settings.backoff_seconds * 2 ** (attempts - 1)))
    error = scrub(result.error or "failed without a reason", url)
    return replace(delivery, status="failed", attempts=attempts, last_error=error, next_attempt_at=retry_at)


def _render(shift: Shift, watchlist: Watchlist | None) -> RenderedAlert:
    entity_name, topic_name = shift.entity_id, shift.topic_id
    if watchlist is not None:
        try:
            entity_name = watchlist.entity(shift.entity_id).name
        except KeyError:
            pass
        try:
            topic_name = watchlist.topic(shift.topic_id).name
        except KeyError:
            pass
    return render_alert(shift, entity_name, topic_name)
