"""Alert: deliver new shifts to every configured channel through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from prefect import flow, get_run_logger, task

from alerts.outbox import OutboxReport, process_outbox
from flows.common import IO_TASK_DEFAULTS, archive_for, settings_for
from flows.settings import Settings
from storage.db import ArchiveMissing
from storage.shift_store import load_shifts

__all__ = ["AlertReport", "alert_flow", "send_alerts", "ALERT_WINDOW"]

# Shifts detected within this window are alert candidates; an older shift never floods a newly added channel.
ALERT_WINDOW = timedelta(days=7)


@dataclass
class AlertReport:
    channels: int
    outbox: OutboxReport | None = None

    def line(self) -> str:
        if not self.channels:
            return "alerts: no channel configured (alerts.urls or $STANCEWATCH_ALERT_URLS)"
        if self.outbox is None or self.outbox.busy:
            return "alerts: archive busy, deliveries wait for the next cycle"
        o = self.outbox
        return (f"alerts: {len(o.sent)} sent, {len(o.failed)} failed (retried later), {len(o.deferred)} deferred, "
                f"{o.enqueued} new in the outbox, {self.channels} channel(s)")


@task(name="deliver_alerts", **{**IO_TASK_DEFAULTS, "retries": 0})  # the outbox itself retries, with backoff
def deliver_alerts(settings: Settings) -> OutboxReport:
    archive = archive_for(settings)
    since = datetime.now(timezone.utc) - ALERT_WINDOW
    try:
        with archive.connect(read_only=True) as con:
            recent = [s.id for s in load_shifts(con) if s.detected_at >= since]
    except ArchiveMissing:
        recent = []
    return process_outbox(archive, settings.alerts, shift_ids=recent, watchlist=settings.watchlist)


@flow(name="alert", log_prints=True)
def alert_flow(config: str | None = None, database: str | None = None) -> AlertReport:
    """Send alerts for new shifts; retry failed deliveries whose backoff has passed."""
    return send_alerts(settings_for(config, database))


def send_alerts(settings: Settings) -> AlertReport:
    report = AlertReport(channels=len(settings.alerts.urls))
    if report.channels:
        report.outbox = deliver_alerts(settings)
    get_run_logger().info(report.line())
    return report
