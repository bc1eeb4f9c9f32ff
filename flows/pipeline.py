"""The whole pipeline as flows: one cycle, a backfill, and the offline demo."""

from __future__ import annotations

from dataclasses import dataclass

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from flows.alert import AlertReport, all_shift_ids, send_alerts
from flows.analyze import AnalyzeReport, analyze_pending
from flows.common import settings_for
from flows.events import emit_cycle_events
from flows.ingest import IngestReport, ingest_documents, poll_sources, progress_bar
from flows.lifecycle import hold_signals, stop_requested

__all__ = ["CycleResult", "cycle_flow", "backfill_pipeline_flow", "demo_flow"]


@dataclass
class CycleResult:
    ingest: IngestReport
    analyze: AnalyzeReport | None = None
    alerts: AlertReport | None = None


@flow(name="stancewatch-cycle", task_runner=ThreadPoolTaskRunner(max_workers=4), log_prints=True)
def cycle_flow(config: str | None = None, database: str | None = None) -> CycleResult:
    """Poll every source -> analyze new articles -> detect shifts -> alert. A stop request (a signal to the
    command) ends it after the batch in hand; the steps not begun run on the next cycle."""
    hold_signals()
    settings = settings_for(config, database)
    result = CycleResult(ingest=poll_sources(settings))
    if not stop_requested():
        result.analyze = analyze_pending(settings)
    if not stop_requested():  # the outbox keeps what is not sent
        result.alerts = send_alerts(settings, result.analyze.alert_candidates)
    emit_cycle_events(settings, result.ingest, result.analyze)
    return result


@flow(name="stancewatch-backfill", log_prints=True)
def backfill_pipeline_flow(paths: list[str], config: str | None = None, database: str | None = None,
                           analyze: bool = True, alert: bool = False, progress: bool = False) -> CycleResult:
    """Ingest local files or folders, then analyze and detect (alerts only when asked)."""
    hold_signals()
    settings = settings_for(config, database)
    result = CycleResult(ingest=ingest_documents(settings, paths, source=None, progress=progress_bar() if progress else None))
    if analyze and not stop_requested():
        result.analyze = analyze_pending(settings)
    if alert and not stop_requested():
        result.alerts = send_alerts(settings, result.analyze.alert_candidates if result.analyze else ())
    emit_cycle_events(settings, result.ingest, result.analyze)
    return result


@flow(name="stancewatch-demo", log_prints=True)
def demo_flow(config: str, database: str, seeds: str) -> CycleResult:
    """The founding case, offline: the bundled seeds through the same steps as a cycle."""
    hold_signals()
    settings = settings_for(config, database)
    result = CycleResult(ingest=ingest_documents(settings, [seeds], source=None, progress=None))
    result.analyze = analyze_pending(settings)
    # every seed shift is a candidate, so a channel configured after a first demo still gets it (once)
    result.alerts = send_alerts(settings, all_shift_ids(settings))
    return result
