"""Alert: deliver new shifts to every configured channel through the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prefect import flow, get_run_logger, task

from alerts.outbox import OutboxReport, process_outbox
from flows.artifacts import artifact_key, deliveries_table, publish_table
from flows.common import IO_TASK_DEFAULTS, archive_for, settings_for
from flows.settings import Settings
from storage.shifts import load_shifts

__all__ = ["AlertReport", "alert_flow", "all_shift_ids", "send_alerts"]


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
def deliver_alerts(settings: Settings, shift_ids: Sequence[str]) -> OutboxReport:
    return process_outbox(archive_for(settings), settings.alerts, shift_ids=shift_ids, watchlist=settings.watchlist)


@task(name="load_shift_ids", **IO_TASK_DEFAULTS)
def all_shift_ids(settings: Settings) -> list[str]:
    with archive_for(settings).connect(read_only=True) as con:
        return [shift.id for shift in load_shifts(con)]


@flow(name="alert", log_prints=True)
def alert_flow(config: str | None = None, database: str | None = None) -> AlertReport:
    """Send what the outbox holds: alerts enqueued by analysis, and failed deliveries whose backoff has passed."""
    settings = settings_for(config, database)
    report = send_alerts(settings)
    outbox = report.outbox or OutboxReport()
    publish_table(artifact_key("deliveries", str(settings.database)),
                  deliveries_table(outbox.sent, outbox.failed, outbox.deferred),
                  description=report.line())
    return report


def send_alerts(settings: Settings, shift_ids: Sequence[str] = ()) -> AlertReport:
    """New or updated shifts (`shift_ids`) are enqueued, then everything due is sent."""
    report = AlertReport(channels=len(settings.alerts.urls))
    if report.channels:
        report.outbox = deliver_alerts(settings, list(shift_ids))
    get_run_logger().info(report.line())
    return report
