"""Shift detection over the archive, incremental: only the pairs whose statements changed.

`store_statements` queues the (entity, topic) pairs a batch touched; `detect_pending` reads
the queue, loads those pairs' evidence and known shifts in chunks over short read-only
connections (a user can query the archive meanwhile), detects in memory, then saves every
change and clears the pairs it did in one write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from extractors.shifts import detect_shifts
from storage.db import Archive
from storage.detection import DetectionResult, queued_pairs, save_detection, shifts_of_pairs
from storage.records import ShiftChanges
from storage.shifts import load_evidence_of_pairs

__all__ = ["CHUNK_PAIRS", "detect_pending"]

CHUNK_PAIRS = 50  # pairs whose evidence is loaded per read (bounded memory, short connections)


def detect_pending(archive: Archive, *, now: datetime, pairs: Sequence[tuple[str, str]] | None = None) -> DetectionResult:
    """Detect shifts on the queued pairs (or on `pairs`), save the changes, clear the queue for them."""
    with archive.connect() as con:  # a write connection: it applies migrations (the queue) first
        if pairs is None:
            chosen, through = queued_pairs(con)
        else:
            chosen, through = sorted(set(pairs)), None
    if not chosen:
        return DetectionResult(ShiftChanges(), (), through)
    changes = [_detect_chunk(archive, chosen[i:i + CHUNK_PAIRS], now) for i in range(0, len(chosen), CHUNK_PAIRS)]
    result = DetectionResult(ShiftChanges.combine(changes), tuple(chosen), through)
    archive.save(save_detection, result)
    return result


def _detect_chunk(archive: Archive, pairs: Sequence[tuple[str, str]], now: datetime) -> ShiftChanges:
    with archive.connect(read_only=True) as con:
        evidence = load_evidence_of_pairs(con, pairs)
        known = shifts_of_pairs(con, pairs)
    return ShiftChanges.combine([detect_shifts(evidence.get(pair, []), known.get(pair, []), now=now) for pair in pairs])
