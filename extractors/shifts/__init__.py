"""Shift detection over a history of statements: pure, no SQL."""

from extractors.shifts._detect import (
    MIN_MOVE,
    MIN_SIDE_WEIGHT,
    SIGNIFICANCE_Z,
    WIDELY_REPORTED,
    detect_shifts,
    evidence_weight,
    weigh,
)

__all__ = [
    "MIN_MOVE",
    "MIN_SIDE_WEIGHT",
    "SIGNIFICANCE_Z",
    "WIDELY_REPORTED",
    "detect_shifts",
    "evidence_weight",
    "weigh",
]
