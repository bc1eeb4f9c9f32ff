"""Incremental shift detection: a pair's settled summary, and detection from it plus the recent tail.

Full detection of a long history ends with a *summary* of its settled part: the statements said
before a cut-off (the first of a month, about ``TAIL`` statements before the newest), as columns
(weight, stance, date, ...) with what segmentation derived from them: the noise terms and one-off
contrary statements, and the interior of each period (``MARGIN`` statements away from every change
and from the cut-off) as a block merged in advance. A later batch loads only the statements from the
cut-off on (and the denials), and segments the summary's blocks and days plus the tail's days: the
same steps, from fewer starting periods. So one batch costs about O(tail + changes), not O(history).

The result is meant to be full detection's (warm-started merging is not proven to reach the same
periods in every case; tests and the benchmark compare the two on realistic histories), and where
a difference could come from, ``detect_from_summary`` returns None instead and the caller
runs full detection (which makes a new summary), when the summary cannot vouch for it: it was made
by other detection code (any change to `_detect`, `_history` or this module), a statement
before the cut-off is new or changed (the caller compares a fingerprint), a change lands on the edge
of a block (it might belong inside), a settled change moved or vanished, the placement of a month-
or year-precise statement before the cut-off would change, or the tail has grown past ``RESETTLE``
(full detection then settles more of it).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from extractors.shifts import _detect as _detect_module
from extractors.shifts import _history as _history_module
from extractors.shifts._detect import (
    Detection,
    _period_of,
    _positions_and_denials,
    _shifts,
    history_of,
    known_date,
    place,
    precise_changes,
)
from extractors.shifts._history import LONG_HISTORY, Columns, History, Period, Resolver, Settled
from storage.records import DetectionSummary, EvidenceStatement, Shift

__all__ = ["MARGIN", "RESETTLE", "SUMMARY_MIN", "TAIL", "detect_from_summary", "summarize"]

SUMMARY_MIN = 400  # pairs with fewer position statements are detected in full each time (it is cheap)
TAIL = 100  # about this many of the newest statements stay unsettled (the cut-off is the month start before)
MARGIN = 32  # statements either side of a change, and before the cut-off, that stay single days
RESETTLE = 600  # a tail longer than this is settled again by full detection


def _code_version() -> str:
    """Detection's own code: any change to it (a threshold, a weight, the summary's layout) leaves the
    summaries made before unused (the next detection of each pair is a full one)."""
    digest = hashlib.sha1()
    for module in (_detect_module, _history_module, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


_VERSION = _code_version()


@dataclass(frozen=True)
class _State:
    cut_off: int  # ordinal
    columns: Columns  # the settled statements, in the order segmented
    placed: Settled
    precise: Settled | None  # the day-precise history's settled part, when it placed statements
    boundaries: tuple[int, ...]  # where the settled periods start (past the first)
    precise_boundaries: tuple[int, ...]
    changes: tuple[tuple[int, bool, float, float], ...]  # settled day-precise changes: day, upward, midpoint range
    years: tuple[int, ...]  # the years of settled year-precise statements


# --- making a summary -----------------------------------------------------------------


def summarize(detection: Detection) -> DetectionSummary | None:
    """The settled summary of a full detection, or None for a short history (or one that cannot be cut)."""
    placement = detection.placement
    if placement is None or placement.history.n < SUMMARY_MIN:
        return None
    history = placement.history
    cut = date.fromordinal(history.dates[history.n - TAIL]).replace(day=1).toordinal()
    count = bisect_left(history.dates, cut)
    statements = history.statements(range(history.n))
    if count < TAIL or any((known_date(s).toordinal() < cut) != (i < count) for i, s in enumerate(statements)):
        return None
    settled = statements[:count]
    years = sorted({known_date(s).year for s in settled if s.stated_precision == "year"})
    state = _State(cut, history.columns.head(count), history.settle(count, detection.periods, MARGIN), None,
                   _starts_before(detection.periods, count), (), (), tuple(years))
    if placement.precise is not None:
        precise_count = sum(history.columns.precise[:count])
        periods = placement.precise_periods
        starts = _starts_before(periods, precise_count)
        state = _State(cut, state.columns, state.placed, placement.precise.settle(precise_count, periods, MARGIN),
                       state.boundaries, starts, _settled_changes(settled, placement.changes[:len(starts)]),
                       state.years)
    return DetectionSummary(date.fromordinal(cut), _encode(state))


def _starts_before(periods: Sequence[Period], count: int) -> tuple[int, ...]:
    return tuple(p.start for p in periods[1:] if p.start < count)


def _settled_changes(settled: Sequence[EvidenceStatement], changes: Sequence[tuple[int, float, bool]]
                     ) -> tuple[tuple[int, bool, float, float], ...]:
    """Each settled change with the range its midpoint may move in and place the settled month- and
    year-precise statements of its period as before: [lo, hi)."""
    bounds = [[-math.inf, math.inf] for _ in changes]
    for s in settled:
        if s.stated_precision not in ("month", "year"):
            continue
        start, end = _period_of(s)
        for k, (ordinal, midpoint, _) in enumerate(changes):
            if start <= date.fromordinal(ordinal) <= end:
                if s.stance > midpoint:
                    bounds[k][1] = min(bounds[k][1], s.stance)
                else:
                    bounds[k][0] = max(bounds[k][0], s.stance)
                break
    return tuple((ordinal, upward, lo, hi) for (ordinal, _, upward), (lo, hi) in zip(changes, bounds))


# --- detecting from a summary ----------------------------------------------------------


def detect_from_summary(tail: Sequence[EvidenceStatement], summary: DetectionSummary, known: Sequence[Shift], *,
                        now: datetime, resolve: Resolver) -> Detection | None:
    """Full detection's result from the summary and the statements from its cut-off on (and every denial),
    or None when the summary cannot vouch for it (see the module doc). `resolve` fetches settled
    statements by id (the evidence of a shift that reaches before the cut-off)."""
    state = _decode(summary.state)
    if state is None:
        return None
    positions, denials = _positions_and_denials(tail)
    if len(positions) > RESETTLE or any(known_date(s).toordinal() < state.cut_off for s in positions):
        return None
    placed = _placement(state, positions, resolve)
    if placed is None:
        return None
    ordered = sorted(positions, key=lambda s: (placed.get(s.id) or known_date(s), s.id))
    history = history_of(ordered, placed, settled=state.placed, base=state.columns, resolve=resolve)
    periods = history.segment()
    if not _vouched(history, periods, state.boundaries):
        return None
    return Detection(_shifts(history, periods, denials, known, now), None, tuple(periods))


def _placement(state: _State, positions: Sequence[EvidenceStatement], resolve: Resolver) -> dict[str, date] | None:
    """Where the tail's month- and year-precise statements go (as `_placed_history` puts them), or None
    when the settled part's would change."""
    precise = [s for s in positions if s.stated_precision not in ("month", "year")]
    settled_precise = sum(state.columns.precise)
    total, total_precise = len(state.columns) + len(positions), settled_precise + len(precise)
    uses_precise = total >= LONG_HISTORY and total_precise >= LONG_HISTORY and total_precise != total
    if uses_precise != (state.precise is not None):
        return None
    if state.precise is None:
        return {}
    day_history = history_of(precise, settled=state.precise, base=state.columns.take(state.columns.precise),
                             resolve=resolve)
    periods = day_history.segment()
    if not _vouched(day_history, periods, state.precise_boundaries):
        return None
    changes = precise_changes(day_history, periods)
    settled = len(state.precise_boundaries)
    for (ordinal, midpoint, upward), (day, up, lo, hi) in zip(changes[:settled], state.changes):
        if ordinal != day or upward != up or not lo <= midpoint < hi:
            return None
    if any(date.fromordinal(ordinal).year in state.years for ordinal, _, _ in changes[settled:]):
        return None  # a settled year-precise statement would be placed at a new change
    placed = place(positions, changes)
    if any(d.toordinal() < state.cut_off for d in placed.values()):
        return None
    return placed


def _vouched(history: History, periods: Sequence[Period], boundaries: tuple[int, ...]) -> bool:
    """The settled changes are where they were, and no change sits on a block's edge."""
    assert history.settled is not None
    starts = [p.start for p in periods[1:]]
    edges = history.block_edges()
    return tuple(s for s in starts if s < history.settled.count) == boundaries and not any(s in edges for s in starts)


# --- the summary as bytes ---------------------------------------------------------------

_COLUMN_CODES = {"weights": "d", "stances": "d", "days": "i", "sides": "b", "sources": "i", "urls": "q",
                 "stated": "i"}
_BYTE_COLUMNS = ("lone", "reports", "precise", "ranks")


def _encode(state: _State) -> bytes:
    parts: dict[str, bytes] = {"ids": "\x1f".join(state.columns.ids).encode("utf-8")}
    for name, code in _COLUMN_CODES.items():
        parts[name] = array(code, getattr(state.columns, name)).tobytes()
    for name in _BYTE_COLUMNS:
        parts[name] = bytes(getattr(state.columns, name))
    header: dict = {"version": _VERSION, "cut_off": state.cut_off, "boundaries": state.boundaries,
                    "precise_boundaries": state.precise_boundaries, "changes": state.changes, "years": state.years}
    for key, settled in (("placed", state.placed), ("precise", state.precise)):
        if settled is None:
            header[key] = None
            continue
        header[key] = {"count": settled.count, "last_sided": settled.last_sided,
                       "previous_sided": settled.previous_sided, "blocks": settled.blocks}
        parts[f"{key}.terms"] = array("d", settled.terms).tobytes()
        parts[f"{key}.one_offs"] = array("i", settled.one_offs).tobytes()
        parts[f"{key}.atoms"] = array("i", settled.atoms).tobytes()
    header["parts"] = [[name, len(data)] for name, data in parts.items()]
    head = json.dumps(header, allow_nan=True).encode("utf-8")
    return len(head).to_bytes(4, "big") + head + b"".join(parts.values())


def _decode(blob: bytes) -> _State | None:
    size = int.from_bytes(blob[:4], "big")
    header = json.loads(blob[4:4 + size])
    if header.get("version") != _VERSION:
        return None
    parts, offset = {}, 4 + size
    for name, length in header["parts"]:
        parts[name] = blob[offset:offset + length]
        offset += length
    def values(name: str) -> list:
        return array(_COLUMN_CODES[name], parts[name]).tolist()

    columns = Columns(
        ids=parts["ids"].decode("utf-8").split("\x1f") if parts["ids"] else [], weights=values("weights"),
        stances=values("stances"), days=values("days"), sides=values("sides"), lone=parts["lone"],
        sources=values("sources"), reports=parts["reports"], urls=values("urls"), stated=values("stated"),
        precise=parts["precise"], ranks=parts["ranks"])

    def settled(key: str) -> Settled | None:
        found = header[key]
        if found is None:
            return None
        return Settled(found["count"], array("d", parts[f"{key}.terms"]).tolist(),
                       array("i", parts[f"{key}.one_offs"]).tolist(), found["last_sided"], found["previous_sided"],
                       array("i", parts[f"{key}.atoms"]).tolist(), [tuple(b) for b in found["blocks"]])

    placed = settled("placed")
    assert placed is not None, "a summary always has the history it settled"
    return _State(header["cut_off"], columns, placed, settled("precise"), tuple(header["boundaries"]),
                  tuple(header["precise_boundaries"]), tuple(tuple(c) for c in header["changes"]),
                  tuple(header["years"]))
