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
from storage.deliveries import (
    claim_deliveries,
    delivered_counts_since,
    due_deliveries,
    enqueue_deliveries,
    last_sent_at,
    record_delivery_attempt,
)
from storage.records import Delivery, Shift, Watchlist
from storage.shifts import load_shifts

__all__ = ["ArchiveLike", "OutboxReport", "Sender", "enqueue_alerts", "process_outbox"]

log = logging.getLogger("stancewatch.alerts")

Sender = Callable[[str, RenderedAlert], SendResult]
_MAX_BACKOFF = timedelta(days=1)
_CLAIM = timedelta(minutes=15)  # how long a cycle may take to send what it picked


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
    throttle_per_hour: int | None = None
    digest: bool = False


@dataclass(frozen=True)
class _Batch:
    """One message to one channel: a single alert, or a digest of several."""

    channel: str
    deliveries: tuple[Delivery, ...]


@dataclass(frozen=True)
class _Prepared:
    enqueued: int
    batches: tuple[_Batch, ...]  # claimed for this cycle
    deferred: tuple[Delivery, ...]
    shifts: tuple[Shift, ...]


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
    request = _PrepareRequest(tuple(shift_ids), tuple(targets), now, settings.min_confidence, settings.max_attempts,
                              settings.throttle_per_hour, settings.digest)
    prepared = archive.save(_prepare_outbox, request)
    if not isinstance(prepared, _Prepared):
        log.warning("archive busy: alerts wait for the next cycle")
        return OutboxReport(busy=True)
    shifts = {s.id: s for s in prepared.shifts}
    outcomes: list[Delivery] = []
    for batch in prepared.batches:
        outcomes.extend(_deliver(batch, targets[batch.channel], shifts, settings, now, sender, watchlist))
    if outcomes:
        archive.save(_record_attempts, tuple(outcomes))
    return OutboxReport(
        enqueued=prepared.enqueued,
        sent=tuple(d for d in outcomes if d.status == "sent"),
        failed=tuple(d for d in outcomes if d.status == "failed"),
        deferred=prepared.deferred,
    )


def enqueue_alerts(archive: ArchiveLike, settings: AlertSettings, shift_ids: Sequence[str], *,
                   now: datetime | None = None) -> int:
    """Only the enqueue step, for a flow that detects in one run and sends in another (an event-
    triggered alert flow then calls ``process_outbox`` without ids). Returns deliveries added; -1 when spooled."""
    now = now or datetime.now(timezone.utc)
    request = _PrepareRequest(tuple(shift_ids), tuple(redact(u) for u in settings.urls), now,
                              settings.min_confidence, settings.max_attempts)
    added = archive.save(_enqueue, request)
    return added if isinstance(added, int) else -1


# --- the short writes (module level: Archive.save may pickle them into its spool) ------------


def _enqueue(con: duckdb.DuckDBPyConnection, request: _PrepareRequest) -> int:
    if not request.shift_ids:
        return 0
    candidates = [s.id for s in load_shifts(con, ids=list(request.shift_ids)) if s.confidence >= request.min_confidence]
    return enqueue_deliveries(con, candidates, request.channels, now=request.now)



def _prepare_outbox(con: duckdb.DuckDBPyConnection, request: _PrepareRequest) -> _Prepared:
    """Enqueue, pick what to send now, and claim it (another process's cycle will not send it too)."""
    enqueued = _enqueue(con, request)
    due = due_deliveries(con, request.now, max_attempts=request.max_attempts)
    shifts = tuple(load_shifts(con, ids=sorted({d.shift_id for d in due}))) if due else ()
    batches, deferred = _plan(
        due, {s.id for s in shifts}, set(request.channels), request,
        sent_last_hour=delivered_counts_since(con, request.now - timedelta(hours=1)),
        last_sent=last_sent_at(con),
    )
    # if this process dies while sending, the claim lapses and a later cycle retries
    claim_deliveries(con, [d for b in batches for d in b.deliveries], until=request.now + _CLAIM)
    return _Prepared(enqueued, tuple(batches), tuple(deferred), shifts)


def _record_attempts(con: duckdb.DuckDBPyConnection, outcomes: tuple[Delivery, ...]) -> None:
    for delivery in outcomes:
        record_delivery_attempt(con, delivery)


# --- planning -------------------------------------------------------------------------------


def _plan(due: Sequence[Delivery], known_shifts: set[str], channels: set[str], request: _PrepareRequest, *,
          sent_last_hour: dict[str, int], last_sent: dict[str, datetime]) -> tuple[list[_Batch], list[Delivery]]:
    now = request.now
    by_channel: dict[str, list[Delivery]] = {}
    deferred: list[Delivery] = []
    for delivery in due:
        if delivery.channel in channels and delivery.shift_id in known_shifts:
            by_channel.setdefault(delivery.channel, []).append(delivery)
        else:
            deferred.append(delivery)  # channel removed from the config, or shift gone: keep it for later
    batches: list[_Batch] = []
    for channel, waiting in by_channel.items():
        if request.digest:
            last = last_sent.get(channel)
            if last is not None and last.astimezone(timezone.utc).date() == now.astimezone(timezone.utc).date():
                deferred.extend(waiting)  # one digest per channel per day
            else:
                batches.append(_Batch(channel, tuple(waiting)))
            continue
        allowed = len(waiting)
        if request.throttle_per_hour is not None:
            allowed = max(0, request.throttle_per_hour - sent_last_hour.get(channel, 0))
        batches.extend(_Batch(channel, (d,)) for d in waiting[:allowed])
        deferred.extend(waiting[allowed:])
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
    names = watchlist or Watchlist()
    return render_alert(shift, names.entity_name(shift.entity_id), names.topic_name(shift.topic_id))
