"""Ingest: poll every source once; backfill local files. One task per source or per batch."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.documents import LocalError, count_local_documents, iter_local_documents
from extractors.fetch import Fetcher, SourcePoll, extract_documents, poll_source
from flows.common import (
    BATCH_SIZE,
    IO_TASK_DEFAULTS,
    TASK_DEFAULTS,
    archive_for,
    settings_for,
)
from flows.events import emit_ingested
from flows.settings import Settings
from storage.articles import (
    IngestBatch,
    SaveSummary,
    known_urls,
    load_validators,
    rebuild_search_index,
    save_ingest_batch,
)
from storage.db import ArchiveBusy, Spooled
from storage.records import FetchLogEntry, RawDocument, Source, Validators

__all__ = ["IngestReport", "poll_sources_flow", "backfill_flow", "ingest_documents"]



@dataclass
class IngestReport:
    new: int = 0
    duplicate: int = 0
    versions: int = 0
    failed: int = 0
    not_modified: int = 0
    spooled: int = 0
    new_article_ids: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, summary: SaveSummary | Spooled, attempted: int) -> None:
        if isinstance(summary, Spooled):
            self.spooled += attempted
            return
        self.new += summary.new
        self.duplicate += summary.duplicate
        self.versions += summary.versions
        self.new_article_ids.extend(summary.new_ids)

    def merge(self, other: "IngestReport") -> None:
        for name in ("new", "duplicate", "versions", "failed", "not_modified", "spooled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.new_article_ids.extend(other.new_article_ids)
        self.errors.extend(other.errors)

    def line(self) -> str:
        parts = [f"{self.new} new", f"{self.duplicate} duplicate", f"{self.failed} failed"]
        if self.versions:
            parts.append(f"{self.versions} changed (new versions)")
        if self.not_modified:
            parts.append(f"{self.not_modified} sources unchanged (304)")
        if self.spooled:
            parts.append(f"{self.spooled} waiting in the spool (archive busy)")
        return ", ".join(parts)


# --- tasks: a few lines each over plain functions ----------------------------


@task(name="fetch_source", **IO_TASK_DEFAULTS)
def fetch_source(source: Source, settings: Settings, validators: dict[str, Validators]) -> SourcePoll:
    archive = archive_for(settings)

    def is_known(urls: Iterable[str]) -> set[str]:
        try:
            with archive.connect() as con:
                return known_urls(con, list(urls))
        except ArchiveBusy:
            return set()

    async def run() -> SourcePoll:
        async with Fetcher(settings.fetch) as fetcher:
            return await poll_source(source, fetcher, validators=validators, is_known=is_known)

    return asyncio.run(run())


@task(name="extract_articles", **TASK_DEFAULTS)
def extract_articles(documents: Sequence[RawDocument]):
    return extract_documents(documents)


@task(name="index_articles", **IO_TASK_DEFAULTS)
def index_articles(settings: Settings) -> bool:
    try:
        with archive_for(settings).connect(fts=True) as con:
            return rebuild_search_index(con)
    except ArchiveBusy:
        return False  # rebuilt on the next cycle


@task(name="save_articles", **IO_TASK_DEFAULTS)
def save_batch(settings: Settings, batch: IngestBatch) -> SaveSummary | Spooled:
    return archive_for(settings).save(save_ingest_batch, batch)


def _known_validators(settings: Settings, urls: Sequence[str]) -> dict[str, Validators]:
    try:
        with archive_for(settings).connect() as con:
            return load_validators(con, urls)
    except ArchiveBusy:
        return {}  # a full GET costs more but loses nothing; dedup happens at save time


def _failure_entries(source_id: str | None, failures: Sequence[tuple[str, str]]) -> tuple[FetchLogEntry, ...]:
    now = datetime.now(timezone.utc)
    return tuple(FetchLogEntry(source_id=source_id, url=url, fetched_at=now, status=None, error=reason)
                 for url, reason in failures)


# --- flows -------------------------------------------------------------------


@flow(name="poll-sources", task_runner=ThreadPoolTaskRunner(max_workers=4), log_prints=True)
def poll_sources_flow(config: str | None = None, database: str | None = None) -> IngestReport:
    """Poll every configured source once and archive what is new."""
    settings = settings_for(config, database)
    report = poll_sources(settings)
    emit_ingested(settings, report.new)
    return report


def poll_sources(settings: Settings) -> IngestReport:
    logger = get_run_logger()
    report = IngestReport()
    web = [s for s in settings.sources if s.kind != "path"]
    local = [s for s in settings.sources if s.kind == "path"]
    validators = _known_validators(settings, [s.url for s in web])
    polls = [fetch_source.submit(source, settings, validators) for source in web]
    unchanged: list[IngestBatch] = []  # fetch-log rows only: written together at the end
    for source, future in zip(web, polls):
        try:
            poll = future.result()
        except Exception as exc:  # retries exhausted: record it, go on with the others
            poll = SourcePoll(source, error=f"poll failed: {type(exc).__name__}: {exc}")
            poll.fetches.append(FetchLogEntry(source.id, source.url, datetime.now(timezone.utc), None, poll.error))
        report.not_modified += int(poll.not_modified)
        extracted = extract_articles(poll.documents) if poll.documents else None
        articles = tuple(extracted.articles) if extracted else ()
        failures = _failure_entries(source.id, extracted.failures) if extracted else ()
        report.failed += len(failures) + sum(1 for f in poll.fetches if f.error)
        if poll.error:
            report.errors.append(f"{source.name}: {poll.error}")
            logger.warning("source %s failed: %s", source.name, poll.error)
        batch = IngestBatch(sources=(source,), fetches=tuple(poll.fetches) + failures, articles=articles)
        if articles:
            report.add(save_batch(settings, batch), len(articles))
        else:
            unchanged.append(batch)
        logger.info("%s: %d pages fetched, %d known skipped, %s", source.name, len(poll.documents),
                    poll.skipped_known, "unchanged (304)" if poll.not_modified else "polled")
    if unchanged:
        save_batch(settings, IngestBatch(sources=tuple(s for b in unchanged for s in b.sources),
                                         fetches=tuple(f for b in unchanged for f in b.fetches)))
    for source in local:
        report.merge(ingest_documents(settings, [source.url], source=source, progress=None, index=False))
    if report.new:
        index_articles(settings)
    logger.info("poll: %s", report.line())
    return report


@flow(name="backfill", log_prints=True)
def backfill_flow(paths: list[str], config: str | None = None, database: str | None = None,
                  progress: bool = False) -> IngestReport:
    """Ingest local .html/.htm/.txt/.jsonl files or folders."""
    settings = settings_for(config, database)
    report = ingest_documents(settings, paths, source=None, progress=progress_bar() if progress else None)
    emit_ingested(settings, report.new)
    return report


def ingest_documents(settings: Settings, paths: Sequence[str], *, source: Source | None, progress,
                     index: bool = True) -> IngestReport:
    """Read local documents in batches of BATCH_SIZE: extract, then save each batch in one transaction."""
    logger = get_run_logger()
    report = IngestReport()
    total = count_local_documents(paths)
    task_id = progress.add_task("backfill", total=total) if progress else None
    if progress:
        progress.start()
    source_id = source.id if source else None
    read_errors: list[FetchLogEntry] = []
    try:
        for chunk in _chunks(iter_local_documents(paths), BATCH_SIZE):
            documents = [d for d in chunk if isinstance(d, RawDocument)]
            documents = [d if d.source_id or not source_id else _with_source(d, source_id) for d in documents]
            for error in (d for d in chunk if isinstance(d, LocalError)):
                where = f"{error.path}:{error.line}" if error.line else error.path
                read_errors.append(FetchLogEntry(source_id, where, datetime.now(timezone.utc), None, error.reason))
                report.errors.append(f"{where}: {error.reason}")
            extracted = extract_articles(documents)
            failures = _failure_entries(source_id, extracted.failures)
            for url, reason in extracted.failures:
                report.errors.append(f"{url}: {reason}")
            report.failed += len(failures) + len(read_errors)
            batch = IngestBatch(sources=(source,) if source else (), fetches=tuple(read_errors) + failures,
                                articles=tuple(extracted.articles))
            report.add(save_batch(settings, batch), len(extracted.articles))
            read_errors = []
            if progress:
                progress.update(task_id, advance=len(chunk),
                                description=f"backfill: {report.new} new, {report.duplicate} dup, {report.failed} failed")
    finally:
        if progress:
            progress.stop()
    if report.new and index:
        index_articles(settings)
    logger.info("backfill of %d documents: %s", total, report.line())
    return report


def _with_source(document: RawDocument, source_id: str) -> RawDocument:
    return replace(document, source_id=source_id)


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def progress_bar():
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
