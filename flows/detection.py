"""Shift detection over the archive, incremental: only the pairs whose statements changed.

`store_statements` queues the (entity, topic) pairs a batch touched; `detect_pending` reads
the queue, loads those pairs' evidence and known shifts in chunks over short read-only
connections (a user can query the archive meanwhile), detects in memory, then saves every
change and clears the pairs it did in one write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial

import duckdb

from extractors.shifts import Detection, detect_from_summary, detect_full, summarize
from storage.db import Archive
from storage.detection import (
    DetectionResult,
    SummaryRow,
    queued_pairs,
    save_detection,
    shifts_of_pairs,
    summary_fingerprints,
    valid_summaries,
)
from storage.records import EvidenceStatement, Shift, ShiftChanges
from storage.shifts import load_evidence_by_ids, load_evidence_of_pairs, load_recent_evidence

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
    chunks = [_detect_chunk(archive, chosen[i:i + CHUNK_PAIRS], now) for i in range(0, len(chosen), CHUNK_PAIRS)]
    result = DetectionResult(ShiftChanges.combine([c.changes for c in chunks]), tuple(chosen), through,
                             tuple(row for c in chunks for row in c.summaries), sum(c.incremental for c in chunks))
    archive.save(save_detection, result)
    return result


def _detect_chunk(archive: Archive, pairs: Sequence[tuple[str, str]], now: datetime) -> DetectionResult:
    """One read: pairs with a valid settled summary from it and their recent statements (a full
    detection when the summary cannot vouch for the result), the others in full, with new summaries."""
    with archive.connect(read_only=True) as con:
        known = shifts_of_pairs(con, pairs)
        detected = _from_summaries(con, pairs, known, now)
        incremental = len(detected)
        full = [pair for pair in pairs if pair not in detected]
        evidence = load_evidence_of_pairs(con, full)
        summaries = {}
        for pair in full:
            detected[pair] = detect_full(evidence.get(pair, []), known.get(pair, []), now=now)
            summaries[pair] = summarize(detected[pair])
        made = {pair: s.cut_off for pair, s in summaries.items() if s is not None}
        fingerprints = summary_fingerprints(con, made)  # in the same read as the evidence
    rows = tuple(SummaryRow(e, t, summaries[(e, t)], fingerprints.get((e, t), "")) for e, t in full)
    return DetectionResult(ShiftChanges.combine([detected[pair].changes for pair in pairs]), tuple(pairs), None,
                           rows, incremental)


def _from_summaries(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]],
                    known: dict[tuple[str, str], list[Shift]], now: datetime) -> dict[tuple[str, str], Detection]:
    summaries = valid_summaries(con, pairs)
    recent = load_recent_evidence(con, {pair: s.cut_off for pair, s in summaries.items()})
    # settled statements a shift shows are mostly the known shifts' evidence, loaded already
    at_hand = {s.id: replace(s, weight=None) for shifts in known.values() for shift in shifts
               for s in (*shift.before, *shift.after, *shift.denials)}
    resolve = partial(_resolve, con, at_hand)
    found = {}
    for pair, summary in summaries.items():
        detection = detect_from_summary(recent.get(pair, []), summary, known.get(pair, []), now=now, resolve=resolve)
        if detection is not None:
            found[pair] = detection
    return found


def _resolve(con: duckdb.DuckDBPyConnection, at_hand: dict[str, EvidenceStatement],
             ids: Sequence[str]) -> dict[str, EvidenceStatement]:
    missing = [i for i in ids if i not in at_hand]
    return {**{i: at_hand[i] for i in ids if i in at_hand}, **load_evidence_by_ids(con, missing)}
