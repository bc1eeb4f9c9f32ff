"""`stancewatch status`: what a user opens when alerts stop coming."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from storage.records import ArchiveStatus

__all__ = ["status_json", "status_text"]


def status_json(status: ArchiveStatus) -> str:
    return json.dumps(asdict(status), indent=2, default=_iso)


def status_text(status: ArchiveStatus) -> str:
    lines = [f"Status at {_when(status.checked_at)}", "", "Sources:"]
    if not status.sources:
        lines.append("  (none yet: run `stancewatch run` or `stancewatch backfill`)")
    for s in status.sources:
        health = f"last error {_when(s.last_error_at)}: {s.last_error}" if s.last_error else "ok"
        lines.append(f"  {s.name} [{s.url}]")
        lines.append(f"    last success {_when(s.last_success)}; {health}; {s.articles_last_day} articles in the last day")
    lines += ["", f"Articles waiting for analysis: {status.waiting_for_analysis}"]
    if status.analysis_failures:
        lines.append(f"Articles whose analysis failed (skipped): {len(status.analysis_failures)}")
        lines += [f"  {url}: {error}" for url, error in status.analysis_failures]
    lines += [f"Statements in the last day: {status.statements_last_day}",
              f"Shifts in the last day: {status.shifts_last_day}", ""]
    if not status.deliveries:
        lines.append("Deliveries: none pending or failed")
    for d in status.deliveries:
        retry = f", next attempt {_when(d.next_attempt_at)}" if d.next_attempt_at else ""
        lines.append(f"Delivery {d.status}: shift {d.shift_id} to {d.channel}, {d.attempts} attempt(s){retry}")
        if d.last_error:
            lines.append(f"  last error: {d.last_error}")
    return "\n".join(lines)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip() if moment else "never"


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
