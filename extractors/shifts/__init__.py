"""Shift detection over a history of statements: pure, no SQL."""

from extractors.shifts._detect import (
    LONE_MIN_STANCE,
    LONE_MIN_WEIGHT,
    LONG_HISTORY,
    MIN_MOVE,
    MIN_SIDE_WEIGHT,
    SIGNIFICANCE_Z,
    WIDELY_REPORTED,
    detect_shifts,
    evidence_weight,
    weigh,
)

__all__ = [
    "LONE_MIN_STANCE",
    "LONE_MIN_WEIGHT",
    "LONG_HISTORY",
    "MIN_MOVE",
    "MIN_SIDE_WEIGHT",
    "SIGNIFICANCE_Z",
    "WIDELY_REPORTED",
    "detect_shifts",
    "evidence_weight",
    "weigh",
]
