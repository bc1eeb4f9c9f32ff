"""Analyze: statements from new articles in batches, then shift detection per (entity, topic)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task

from alerts.outbox import enqueue_alerts
from extractors.shifts import detect_shifts
from extractors.statements import extract_statements_many
from flows.artifacts import analyze_markdown, artifact_key, publish_markdown
from flows.common import (
    BATCH_SIZE,
    IO_TASK_DEFAULTS,
    TASK_DEFAULTS,
    archive_for,
    settings_for,
)
from flows.events import emit_shifts
from flows.settings import Settings
from storage.articles import articles_to_analyze
from storage.db import Spooled
from storage.records import Article, ShiftChanges, Watchlist
from storage.shifts import load_evidence, load_shifts, save_shift_changes, watched_pairs
from storage.statements import StatementBatch, StoreSummary, store_statements

__all__ = ["AnalyzeReport", "analyze_flow", "analyze_pending", "detect_all_shifts"]



@dataclass
class AnalyzeReport:
    articles: int = 0
    statements: int = 0
    new_statements: int = 0
    new_shifts: list[str] = field(default_factory=list)
    updated_shifts: list[str] = field(default_factory=list)
    spooled: bool = False
    found: Counter[tuple[str, str]] = field(default_factory=Counter)  # on-topic statements per (entity, topic)
    changes: ShiftChanges = field(default_factory=ShiftChanges)

    @property
    def alert_candidates(self) -> list[str]:
        """Shifts new or updated in this run: the outbox alerts each at most once per channel."""
        return self.new_shifts + self.updated_shifts

    def line(self) -> str:
        text = (f"{self.articles} articles analyzed, {self.statements} statements ({self.new_statements} new), "
                f"{len(self.new_shifts)} new shifts, {len(self.updated_shifts)} updated")
        return text + (" (archive busy: results spooled)" if self.spooled else "")


@task(name="load_articles", **IO_TASK_DEFAULTS)
def load_pending_articles(settings: Settings, limit: int) -> list[Article]:
    with archive_for(settings).connect() as con:
        return articles_to_analyze(con, limit=limit)


@task(name="extract_statements", **TASK_DEFAULTS)
def extract_batch(articles: Sequence[Article], watchlist: Watchlist) -> StatementBatch:
    statements = tuple(st for found in extract_statements_many(articles, watchlist) for st in found)
    return StatementBatch(articles=tuple(articles), statements=statements, analyzed_at=datetime.now(timezone.utc))


@task(name="store_statements", **IO_TASK_DEFAULTS)
def store_batch(settings: Settings, batch: StatementBatch) -> StoreSummary | Spooled:
    return archive_for(settings).save(store_statements, batch)


@task(name="detect_shifts", **IO_TASK_DEFAULTS)
def detect_shifts_task(settings: Settings) -> ShiftChanges:
    now = datetime.now(timezone.utc)
    archive = archive_for(settings)
    with archive.connect() as con:
        changes = ShiftChanges.combine([detect_shifts(load_evidence(con, e, t), load_shifts(con, e, t), now=now)
                                        for e, t in watched_pairs(con)])
    if changes:
        archive.save(save_shift_changes, changes)
    return changes


@task(name="enqueue_alerts", **IO_TASK_DEFAULTS)
def enqueue_alerts_task(settings: Settings, shift_ids: Sequence[str]) -> int:
    return enqueue_alerts(archive_for(settings), settings.alerts, shift_ids)


@flow(name="analyze", log_prints=True)
def analyze_flow(config: str | None = None, database: str | None = None) -> AnalyzeReport:
    """Find statements in articles not analyzed yet, then detect shifts."""
    settings = settings_for(config, database)
    report = analyze_pending(settings)
    publish_markdown(artifact_key("analyze", str(settings.database)),
                     analyze_markdown(report.found, report.changes.new, report.changes.updated, settings.watchlist,
                                      report.articles),
                     description=report.line())
    if settings.alerts.urls and report.alert_candidates:
        enqueue_alerts_task(settings, report.alert_candidates)  # the event-triggered alert flow sends them
    emit_shifts(settings, len(report.new_shifts), len(report.updated_shifts))
    return report


def analyze_pending(settings: Settings) -> AnalyzeReport:
    logger = get_run_logger()
    report = AnalyzeReport()
    while True:
        articles = load_pending_articles(settings, BATCH_SIZE)
        if not articles:
            break
        batch = extract_batch(articles, settings.watchlist)
        summary = store_batch(settings, batch)
        report.articles += len(articles)
        report.found.update((st.entity_id, st.topic_id) for st in batch.statements if st.topic_id)
        if isinstance(summary, Spooled):
            report.spooled = True
            break  # the articles stay unanalyzed until the spool drains
        report.statements += summary.statements
        report.new_statements += summary.new_statements
        logger.info("analyzed %d articles (%d so far)", len(articles), report.articles)
    detect_all_shifts(settings, report)
    logger.info("analyze: %s", report.line())
    return report


def detect_all_shifts(settings: Settings, report: AnalyzeReport) -> None:
    changes = detect_shifts_task(settings)
    report.changes = ShiftChanges.combine([report.changes, changes])
    report.new_shifts.extend(s.id for s in changes.new)
    report.updated_shifts.extend(s.id for s in changes.updated)
