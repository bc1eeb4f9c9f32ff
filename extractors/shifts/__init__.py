"""Shift detection over a history of statements: pure, no SQL."""

from extractors.shifts._detect import Detection, detect_full, detect_shifts, evidence_weight, weigh
from extractors.shifts._history import (
    LONE_MIN_STANCE,
    LONE_MIN_WEIGHT,
    LONG_HISTORY,
    MIN_MOVE,
    MIN_SIDE_WEIGHT,
    SIGNIFICANCE_Z,
    WIDELY_REPORTED,
)
from extractors.shifts._incremental import SUMMARY_MIN, detect_from_summary, summarize

__all__ = [
    "LONE_MIN_STANCE",
    "LONE_MIN_WEIGHT",
    "LONG_HISTORY",
    "MIN_MOVE",
    "MIN_SIDE_WEIGHT",
    "SIGNIFICANCE_Z",
    "SUMMARY_MIN",
    "WIDELY_REPORTED",
    "Detection",
    "detect_from_summary",
    "detect_full",
    "detect_shifts",
    "evidence_weight",
    "summarize",
    "weigh",
]
