"""Timestamps as ingest sources write them, made timezone-aware UTC.

W3C/ISO 8601 (sitemaps, JSON Feed, backfill JSONL) including the reduced
forms "2025" and "2025-07"; RFC 822 for the odd feed that uses it. A value
without a zone is taken as UTC.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime

__all__ = ["parse_timestamp", "to_utc"]

_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


def to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _from_reduced(text: str) -> datetime | None:
    match = _YEAR_MONTH.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2) or 1)
    if not 1 <= month <= 12:
        return None
    return datetime(year, month, 1, tzinfo=UTC)


def _from_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", text) else text
    try:
        return to_utc(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _from_rfc822(text: str) -> datetime | None:
    try:
        return to_utc(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def parse_timestamp(value: object) -> datetime | None:
    """A UTC datetime from a string, date, datetime or year number; None if unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int) and 1000 <= value <= 9999:
        return datetime(value, 1, 1, tzinfo=UTC)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    return _from_reduced(text) or _from_iso(text) or _from_rfc822(text)
