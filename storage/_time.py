"""Timestamps as the archive stores them."""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["aware"]


def aware(moment: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC, so TIMESTAMPTZ columns never depend on the machine's zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)
