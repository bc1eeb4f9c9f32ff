"""Analyze: statements from new articles in batches, then shift detection per (entity, topic)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.exceptions import MissingContextError

from alerts.outbox import enqueue_alerts
from extractors.attribution import NlpUnavailable
from extractors.statements import extract_statements_many
from flows.artifacts import analyze_markdown, artifact_key, publish_markdown
from flows.common import (
    BATCH_SIZE,
    IO_TASK_DEFAULTS,
    TASK_DEFAULTS,
    archive_for,
    settings_for,
)
from flows.detection import detect_pending
from flows.events import emit_shifts
from flows.lifecycle import stop_requested
from flows.settings import Settings
from storage.articles import articles_to_analyze
from storage.db import ArchiveBusy, Spooled
from storage.records import Article, ShiftChanges, Statement, Watchlist
from storage.statements import AnalysisFailure, StatementBatch, StoreSummary, store_statements

__all__ = ["MAX_ANALYZED_CHARS", "AnalyzeReport", "Extractor", "analyze_flow", "analyze_pending",
           "analyzed_part", "detect_all_shifts"]

# The longest of 278 real news articles at hand is 53k characters; analysis costs ~9 ms per 1,000
# characters (linear), so the cap bounds one article at ~2 s and cuts only pathological texts.
MAX_ANALYZED_CHARS = 200_000

# What finds the statements of a batch of articles: extract_statements_many, or another one given
# to analyze_pending (a different spaCy pipeline, say); the same contract, one list per article.
Extractor = Callable[[Sequence[Article], Watchlist], list[list[Statement]]]


@dataclass
class AnalyzeReport:
    articles: int = 0
    statements: int = 0
    new_statements: int = 0
    new_shifts: list[str] = field(default_factory=list)
    updated_shifts: list[str] = field(default_factory=list)
    spooled: bool = False
    failed: list[str] = field(default_factory=list)  # URLs of articles whose analysis raised (recorded, skipped)
    cut: list[str] = field(default_factory=list)  # URLs of articles analysed only up to the cap
    busy: bool = False  # the archive stayed held by another process: what is left waits for the next run
    found: Counter[tuple[str, str]] = field(default_factory=Counter)  # on-topic statements per (entity, topic)
    changes: ShiftChanges = field(default_factory=ShiftChanges)

    @property
    def alert_candidates(self) -> list[str]:
        """Shifts new or updated in this run: the outbox alerts each at most once per channel."""
        return self.new_shifts + self.updated_shifts

    def line(self) -> str:
        text = (f"{self.articles} articles analyzed, {self.statements} statements ({self.new_statements} new), "
                f"{len(self.new_shifts)} new shifts, {len(self.updated_shifts)} updated")
        text += f", {len(self.failed)} failed (see `stancewatch status`)" if self.failed else ""
        text += f", {len(self.cut)} analysed up to the length cap" if self.cut else ""
        text += " (archive busy: results spooled)" if self.spooled else ""
        return text + (" (archive busy: the rest waits for the next run)" if self.busy else "")


@task(name="load_articles", **IO_TASK_DEFAULTS)
def load_pending_articles(settings: Settings, limit: int) -> list[Article] | None:
    """None when the archive stayed busy past its wait (the articles stay pending, nothing is lost)."""
    try:
        with archive_for(settings).connect() as con:
            return articles_to_analyze(con, limit=limit)
    except ArchiveBusy as exc:
        get_run_logger().warning("analysis waits for the next run: %s", exc)
        return None


@task(name="extract_statements", **TASK_DEFAULTS)
def extract_batch(articles: Sequence[Article], watchlist: Watchlist, extract: Extractor = extract_statements_many,
                  max_chars: int = MAX_ANALYZED_CHARS) -> StatementBatch:
    """The statements of a batch, each article in isolation: one that raises is a recorded failure."""
    parts = [analyzed_part(article, max_chars) for article in articles]
    found = _extract_isolated(parts, watchlist, extract)
    analyzed, statements, failures = [], [], []
    for article, part, result in zip(articles, parts, found):
        if isinstance(result, AnalysisFailure):
            failures.append(replace(result, article_id=article.id))
            continue
        analyzed.append(article)
        statements.extend(result if part is article else [replace(st, article_id=article.id) for st in result])
    return StatementBatch(articles=tuple(analyzed), statements=tuple(statements),
                          analyzed_at=datetime.now(timezone.utc), failures=tuple(failures))


def analyzed_part(article: Article, max_chars: int = MAX_ANALYZED_CHARS) -> Article:
    """The article itself, or when its text is longer than `max_chars` its beginning, cut at the last
    paragraph (else sentence, else word) break before the cap; offsets stay those of the full text."""
    if len(article.text) <= max_chars:
        return article
    cut = _break_before(article.text, max_chars)
    _log().warning("article %s: %d characters, analysing the first %d (the cap is %d)",
                   article.url, len(article.text), cut, max_chars)
    return replace(article, text=article.text[:cut])


def _break_before(text: str, limit: int) -> int:
    for mark in ("\n", ". ", " "):
        at = text.rfind(mark, limit // 2, limit)
        if at > 0:
            return at + len(mark)
    return limit


def _extract_isolated(articles: list[Article], watchlist: Watchlist,
                      extract: Extractor) -> list[list[Statement] | AnalysisFailure]:
    """All at once (parses are batched across articles); when that raises, one article at a time,
    so that only the article at fault fails. A missing language model is nobody's fault: it raises."""
    try:
        return list(extract(articles, watchlist))
    except NlpUnavailable:
        raise
    except Exception:  # which article raised is found below
        return [_extract_one(article, watchlist, extract) for article in articles]


def _extract_one(article: Article, watchlist: Watchlist, extract: Extractor) -> list[Statement] | AnalysisFailure:
    try:
        return extract([article], watchlist)[0]
    except NlpUnavailable:
        raise
    except Exception as exc:  # any error of one article is recorded, never blocks the others
        _log().warning("analysis of %s failed, recorded and skipped: %s: %s", article.url, type(exc).__name__, exc,
                       exc_info=exc)
        return AnalysisFailure(article.id, article.url, f"{type(exc).__name__}: {exc}")


def _log():
    try:
        return get_run_logger()
    except MissingContextError:  # called outside a flow or task run (a library caller, a test of .fn)
        return logging.getLogger("stancewatch.analyze")


@task(name="store_statements", **IO_TASK_DEFAULTS)
def store_batch(settings: Settings, batch: StatementBatch) -> StoreSummary | Spooled:
    return archive_for(settings).save(store_statements, batch)


@task(name="detect_shifts", **IO_TASK_DEFAULTS)
def detect_shifts_task(settings: Settings) -> ShiftChanges | None:
    """None when the archive stayed busy past its wait (detection runs again next time)."""
    try:  # only the pairs whose statements changed since detection last ran on them
        return detect_pending(archive_for(settings), now=datetime.now(timezone.utc)).changes
    except ArchiveBusy as exc:
        get_run_logger().warning("shift detection waits for the next run: %s", exc)
        return None


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


def analyze_pending(settings: Settings, *, extract: Extractor = extract_statements_many,
                    max_chars: int = MAX_ANALYZED_CHARS) -> AnalyzeReport:
    """Every article waiting for analysis, in batches; an article that raises is recorded and skipped."""
    logger = get_run_logger()
    report = AnalyzeReport()
    seen: set[str] = set()
    while not stop_requested():  # a signal to the command: the batch in hand is stored, the rest waits
        articles = load_pending_articles(settings, BATCH_SIZE)
        if articles is None:
            report.busy = True
            break
        if not articles:
            break
        if seen.issuperset(a.id for a in articles):
            # every one was analysed in this run and is pending again: a write that did not land
            logger.warning("analysis stopped: %d articles stay pending after being analysed", len(articles))
            break
        seen.update(a.id for a in articles)
        batch = extract_batch(articles, settings.watchlist, extract, max_chars)
        summary = store_batch(settings, batch)
        report.articles += len(batch.articles)
        report.failed.extend(f.url for f in batch.failures)
        report.cut.extend(a.url for a in articles if len(a.text) > max_chars)
        report.found.update((st.entity_id, st.topic_id) for st in batch.statements if st.topic_id)
        if isinstance(summary, Spooled):
            report.spooled = True
            break  # the articles stay unanalyzed until the spool drains
        report.statements += summary.statements
        report.new_statements += summary.new_statements
        logger.info("analyzed %d articles (%d so far)", len(articles), report.articles)
    if not report.busy and not stop_requested():
        detect_all_shifts(settings, report)
    logger.info("analyze: %s", report.line())
    return report


def detect_all_shifts(settings: Settings, report: AnalyzeReport) -> None:
    changes = detect_shifts_task(settings)
    if changes is None:
        report.busy = True
        return
    report.changes = ShiftChanges.combine([report.changes, changes])
    report.new_shifts.extend(s.id for s in changes.new)
    report.updated_shifts.extend(s.id for s in changes.updated)
