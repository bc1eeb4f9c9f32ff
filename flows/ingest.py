"""Ingest: poll every source once; backfill local files. One task per batch of sources or of articles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from extractors.documents import LocalError, count_local_documents, iter_local_documents
from extractors.fetch import FetchSession, SourcePoll, extract_documents
from flows.common import (
    BATCH_SIZE,
    IO_TASK_DEFAULTS,
    TASK_DEFAULTS,
    archive_for,
    settings_for,
)
from flows.events import emit_ingested
from flows.lifecycle import done_unless_stopped, stop_requested
from flows.settings import Settings
from storage.articles import (
    IngestBatch,
    SaveSummary,
    known_urls,
    load_validators,
    rebuild_search_index,
    save_ingest_batch,
)
from storage.db import Archive, ArchiveBusy, Spooled
from storage.records import Article, FetchLogEntry, RawDocument, Source, Validators

__all__ = ["SOURCES_PER_TASK", "IngestReport", "poll_sources_flow", "ingest_documents"]

# Sources polled per task: 2,000 sources are 40 task runs, not 2,000 (each costs Prefect
# ~25 ms and events that must drain before a temporary server stops).
SOURCES_PER_TASK = 50

@dataclass
class IngestReport:
    new: int = 0
    duplicate: int = 0
    versions: int = 0
    failed: int = 0
    not_modified: int = 0
    spooled: int = 0
    sources: int = 0  # sources polled or read
    sources_failed: int = 0  # of those, how many gave nothing but an error
    new_article_ids: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def every_source_failed(self) -> bool:
        return self.sources > 0 and self.sources_failed == self.sources

    def add(self, summary: SaveSummary | Spooled, attempted: int) -> None:
        if isinstance(summary, Spooled):
            self.spooled += attempted
            return
        self.new += summary.new
        self.duplicate += summary.duplicate
        self.versions += summary.versions
        self.new_article_ids.extend(summary.new_ids)

    def merge(self, other: IngestReport) -> None:
        for name in ("new", "duplicate", "versions", "failed", "not_modified", "spooled", "sources",
                     "sources_failed"):
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


@task(name="fetch_sources", **IO_TASK_DEFAULTS)
def fetch_sources(sources: list[Source], archive: Archive, validators: dict[str, Validators],
                  session: FetchSession) -> list[SourcePoll]:
    def is_known(urls: Iterable[str]) -> set[str]:
        try:
            with archive.connect() as con:
                return known_urls(con, list(urls))
        except ArchiveBusy:
            return set()

    return session.poll(sources, validators=validators, is_known=is_known)


@task(name="extract_articles", **TASK_DEFAULTS)
def extract_articles(documents: Sequence[RawDocument]):
    return extract_documents(documents)


@task(name="index_articles", **IO_TASK_DEFAULTS)
def index_articles(archive: Archive) -> bool:
    try:
        with archive.connect(fts=True) as con:
            return rebuild_search_index(con)
    except ArchiveBusy:
        return False  # rebuilt on the next cycle


@task(name="save_articles", **IO_TASK_DEFAULTS)
def save_batch(archive: Archive, batch: IngestBatch) -> SaveSummary | Spooled:
    return archive.save(save_ingest_batch, batch)


def _known_validators(archive: Archive, urls: Sequence[str]) -> dict[str, Validators]:
    try:
        with archive.connect() as con:
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
    """Poll the web sources in batches on one shared fetcher (robots.txt once per origin, per-host
    limits across all batches), then read the local ones."""
    logger = get_run_logger()
    report = IngestReport()
    web = [s for s in settings.sources if s.kind != "path"]
    local = [s for s in settings.sources if s.kind == "path"]
    archive = archive_for(settings)  # one per cycle: its migrations are checked once, not per batch
    validators = _known_validators(archive, [s.url for s in web])
    batches = [list(batch) for batch in _chunks(web, SOURCES_PER_TASK)]
    unchanged: list[IngestBatch] = []  # fetch-log rows only: written together at the end
    with FetchSession(settings.fetch) as session:
        futures = [fetch_sources.submit(quote(batch), archive, quote(validators), session) for batch in batches]
        for batch, future in zip(batches, futures):
            if not done_unless_stopped(future):
                break  # a signal to the command: what was fetched is saved; leaving the session cancels the rest
            saved = _archive_polls(archive, _polls_of(batch, future), report, logger)
            unchanged.extend([saved] if saved is not None else [])
    if unchanged:
        save_batch(archive, quote(IngestBatch(sources=tuple(s for b in unchanged for s in b.sources),
                                               fetches=tuple(f for b in unchanged for f in b.fetches))))
    for source in local:
        if stop_requested():
            break
        report.merge(ingest_documents(settings, [source.url], source=source, progress=None, index=False))
    if report.new:
        index_articles(archive)
    logger.info("poll: %s", report.line())
    return report


def _polls_of(batch: list[Source], future) -> list[SourcePoll]:
    try:
        return future.result()
    except Exception as exc:  # retries exhausted: record it, go on with the other batches
        error = f"poll failed: {type(exc).__name__}: {exc}"
        now = datetime.now(timezone.utc)
        return [SourcePoll(source, fetches=[FetchLogEntry(source.id, source.url, now, None, error)], error=error)
                for source in batch]


def _archive_polls(archive: Archive, polls: list[SourcePoll], report: IngestReport, logger) -> IngestBatch | None:
    """Extract a batch's pages and save them with its fetch log; a batch with no article is returned unsaved."""
    documents = [document for poll in polls for document in poll.documents]
    articles: list[Article] = []
    failures: list[FetchLogEntry] = []
    for chunk in _chunks(documents, BATCH_SIZE):
        extracted = extract_articles(quote(chunk))
        articles.extend(extracted.articles)
        failures.extend(_extraction_failures(chunk, extracted.failures))
    for poll in polls:
        _count_poll(poll, report, logger)
    logger.info("%d sources polled: %d pages fetched, %d known skipped, %d unchanged (304), %d failed",
                len(polls), len(documents), sum(p.skipped_known for p in polls),
                sum(p.not_modified for p in polls), sum(1 for p in polls if p.error))
    report.failed += len(failures)
    batch = IngestBatch(sources=tuple(p.source for p in polls), articles=tuple(articles),
                        fetches=tuple(f for p in polls for f in p.fetches) + tuple(failures))
    if not articles:
        return batch
    report.add(save_batch(archive, quote(batch)), len(articles))
    return None


def _extraction_failures(documents: Sequence[RawDocument], failures: Sequence[tuple[str, str]]) -> list[FetchLogEntry]:
    """One fetch-log row per page that yielded no article, under the page's own source."""
    source_of = {document.url: document.source_id for document in documents}
    now = datetime.now(timezone.utc)
    return [FetchLogEntry(source_of.get(url), url, now, None, reason) for url, reason in failures]


def _count_poll(poll: SourcePoll, report: IngestReport, logger) -> None:
    report.sources += 1
    report.not_modified += int(poll.not_modified)
    report.failed += sum(1 for f in poll.fetches if f.error)
    if poll.error:
        report.sources_failed += 1
        report.errors.append(f"{poll.source.name}: {poll.error}")
        logger.warning("source %s failed: %s", poll.source.name, poll.error)
    logger.debug("%s: %d pages fetched, %d known skipped, %s", poll.source.name, len(poll.documents),
                poll.skipped_known, "unchanged (304)" if poll.not_modified else "polled")


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
    archive = archive_for(settings)
    read_errors: list[FetchLogEntry] = []
    documents_read = 0
    try:
        for chunk in _chunks(iter_local_documents(paths), BATCH_SIZE):
            documents = [d for d in chunk if isinstance(d, RawDocument)]
            documents_read += len(documents)
            documents = [d if d.source_id or not source_id else _with_source(d, source_id) for d in documents]
            for error in (d for d in chunk if isinstance(d, LocalError)):
                where = f"{error.path}:{error.line}" if error.line else error.path
                read_errors.append(FetchLogEntry(source_id, where, datetime.now(timezone.utc), None, error.reason))
                report.errors.append(f"{where}: {error.reason}")
            extracted = extract_articles(quote(documents))
            failures = _failure_entries(source_id, extracted.failures)
            for url, reason in extracted.failures:
                report.errors.append(f"{url}: {reason}")
            report.failed += len(failures) + len(read_errors)
            batch = IngestBatch(sources=(source,) if source else (), fetches=tuple(read_errors) + failures,
                                articles=tuple(extracted.articles))
            report.add(save_batch(archive, quote(batch)), len(extracted.articles))
            read_errors = []
            if stop_requested():
                break  # a signal to the command: this batch is saved, the next backfill reads the rest
            if progress:
                progress.update(task_id, advance=len(chunk),
                                description=f"backfill: {report.new} new, {report.duplicate} dup, {report.failed} failed")
    finally:
        if progress:
            progress.stop()
    if report.new and index:
        index_articles(archive)
    if not documents_read:
        logger.warning("nothing readable in %s: %s", ", ".join(map(str, paths)),
                       "; ".join(report.errors[:3]) or "no documents")
    if source is not None:
        report.sources += 1
        report.sources_failed += int(not documents_read)
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
