"""Polling sources: feed or sitemap -> new links -> page bytes, with a log of every request.

Plain async functions over `Fetcher`. ``poll_sources`` polls many sources at once in
three steps: every feed, sitemap or page first, then one look-up of which links the
archive already holds (``is_known`` runs in a worker thread, so a slow archive never
blocks the event loop), then every new page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from extractors.documents import (
    ExtractionError,
    FeedError,
    canonical_url,
    extract_article,
    parse_feed,
    parse_sitemap,
)
from extractors.fetch._client import Fetcher
from storage.records import (
    Article,
    FeedEntry,
    FetchLogEntry,
    FetchResult,
    RawDocument,
    Source,
    Validators,
)

__all__ = [
    "MAX_CHILD_SITEMAPS",
    "MAX_NEW_PER_POLL",
    "ExtractedBatch",
    "SourcePoll",
    "extract_documents",
    "poll_source",
    "poll_sources",
]

MAX_NEW_PER_POLL = 200  # a first poll of a huge sitemap is spread over several cycles
MAX_CHILD_SITEMAPS = 50


@dataclass
class SourcePoll:
    """What one poll of one source produced."""

    source: Source
    fetches: list[FetchLogEntry] = field(default_factory=list)
    documents: list[RawDocument] = field(default_factory=list)
    not_modified: bool = False
    error: str | None = None
    skipped_known: int = 0
    deferred: int = 0  # new links left for the next poll (over MAX_NEW_PER_POLL)


def _log_entry(source: Source, result: FetchResult) -> FetchLogEntry:
    return FetchLogEntry(
        source_id=source.id,
        url=result.url,
        fetched_at=datetime.now(timezone.utc),
        status=result.status,
        error=result.error,
        elapsed_ms=result.elapsed_ms,
        bytes=len(result.body) if result.body is not None else None,
        validators=result.validators,
    )


KnownLookup = Callable[[Iterable[str]], set[str]]


async def poll_source(
    source: Source,
    fetcher: Fetcher,
    *,
    validators: dict[str, Validators],
    is_known: KnownLookup,
) -> SourcePoll:
    """Fetch a feed, sitemap or single page conditionally, then the pages it links to that are new."""
    [poll] = await poll_sources([source], fetcher, validators=validators, is_known=is_known)
    return poll


async def poll_sources(
    sources: Sequence[Source],
    fetcher: Fetcher,
    *,
    validators: dict[str, Validators],
    is_known: KnownLookup,
) -> list[SourcePoll]:
    """``poll_source`` for many sources at once, in input order; one ``is_known`` call for all their links."""
    tops = await asyncio.gather(*(_poll_top(source, fetcher, validators) for source in sources))
    links = [_new_links(entries) for _, entries in tops]
    candidates = [url for by_url in links for url in by_url]
    known = await asyncio.to_thread(is_known, candidates) if candidates else set()
    await asyncio.gather(*(
        _fetch_new_pages(poll, by_url, known, fetcher) for (poll, _), by_url in zip(tops, links)
    ))
    return [poll for poll, _ in tops]


async def _poll_top(
    source: Source, fetcher: Fetcher, validators: dict[str, Validators]
) -> tuple[SourcePoll, list[FeedEntry]]:
    """The source's own document: (the poll so far, the entries it links to)."""
    poll = SourcePoll(source)
    top = await fetcher.fetch(source.url, validators.get(source.url))
    poll.fetches.append(_log_entry(source, top))
    if top.not_modified:
        poll.not_modified = True
        return poll, []
    if not top.ok:
        poll.error = top.error or f"HTTP {top.status}"
        return poll, []
    if source.kind == "url":
        poll.documents.append(RawDocument(url=top.final_url or source.url, body=top.body, source_id=source.id))
        return poll, []
    try:
        return poll, await _entries(source, top, fetcher, poll)
    except FeedError as exc:
        poll.error = f"not a readable {source.kind}: {exc}"
        poll.fetches[0] = replace(poll.fetches[0], error=poll.error)
        return poll, []


async def _entries(source: Source, top: FetchResult, fetcher: Fetcher, poll: SourcePoll) -> list[FeedEntry]:
    base = top.final_url or source.url
    if source.kind == "feed":
        return parse_feed(top.body or b"", base)
    sitemap = parse_sitemap(top.body or b"", base)
    entries = list(sitemap.entries)
    children = list(sitemap.children)[:MAX_CHILD_SITEMAPS]
    for child in await fetcher.fetch_all([(url, None) for url in children]):
        poll.fetches.append(_log_entry(source, child))
        if child.ok:
            try:
                entries.extend(parse_sitemap(child.body or b"", child.final_url or child.url).entries)
            except FeedError as exc:
                poll.fetches[-1] = replace(poll.fetches[-1], error=f"not a readable sitemap: {exc}")
    return entries


def _new_links(entries: list[FeedEntry]) -> dict[str, FeedEntry]:
    by_url: dict[str, FeedEntry] = {}
    for entry in entries:
        by_url.setdefault(canonical_url(entry.url), entry)
    return by_url


async def _fetch_new_pages(poll: SourcePoll, by_url: dict[str, FeedEntry], known: set[str], fetcher: Fetcher) -> None:
    source = poll.source
    poll.skipped_known = sum(1 for url in by_url if url in known)
    fresh = [(url, entry) for url, entry in by_url.items() if url not in known]
    # newest first, so a capped first poll keeps what matters most
    fresh.sort(key=lambda pair: pair[1].published or datetime.min.replace(tzinfo=timezone.utc), reverse=True)
    poll.deferred = max(0, len(fresh) - MAX_NEW_PER_POLL)
    fresh = fresh[:MAX_NEW_PER_POLL]
    results = await fetcher.fetch_all([(entry.url, None) for _, entry in fresh])
    for (_, entry), result in zip(fresh, results):
        poll.fetches.append(_log_entry(source, result))
        if result.ok:
            poll.documents.append(RawDocument(
                url=result.final_url or entry.url, body=result.body, source_id=source.id,
                published=entry.published, title=entry.title,
            ))


@dataclass
class ExtractedBatch:
    articles: list[Article] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)


def extract_documents(documents: Iterable[RawDocument]) -> ExtractedBatch:
    """Article text and metadata for each document; a page that yields nothing is a recorded failure."""
    batch = ExtractedBatch()
    for document in documents:
        try:
            batch.articles.append(extract_article(document))
        except ExtractionError as exc:
            batch.failures.append((document.url, str(exc)))
        except Exception as exc:  # a parser crash on one page must not stop the batch
            batch.failures.append((document.url, f"extraction failed: {type(exc).__name__}: {exc}"))
    return batch
