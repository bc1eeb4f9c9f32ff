"""SQL for sources, the fetch log, HTTP validators and articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb

from storage._spool import after_drain
from storage.records import Article, FetchLogEntry, Source, Validators

__all__ = [
    "ArticleBatch", "IngestBatch", "SaveSummary",
    "upsert_sources", "record_fetches", "load_validators", "known_urls",
    "save_articles", "save_ingest_batch", "articles_to_analyze",
    "rebuild_search_index", "search_articles",
]


@dataclass(frozen=True)
class ArticleBatch:
    articles: tuple[Article, ...]
    fetched_at: datetime


@dataclass(frozen=True)
class IngestBatch:
    """Everything one poll of one source produced, written in one transaction."""

    sources: tuple[Source, ...] = ()
    fetches: tuple[FetchLogEntry, ...] = ()
    articles: tuple[Article, ...] = ()
    fetched_at: datetime | None = None


@dataclass(frozen=True)
class SaveSummary:
    new: int = 0
    duplicate: int = 0
    versions: int = 0  # same URL, changed text: kept as a new version
    new_ids: tuple[str, ...] = ()

    def __add__(self, other: SaveSummary) -> SaveSummary:
        return SaveSummary(self.new + other.new, self.duplicate + other.duplicate,
                           self.versions + other.versions, self.new_ids + other.new_ids)


def rebuild_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Full-text index over article titles and text (DuckDB FTS does not update on insert).
    False when it cannot be built: FTS not loaded, or a DuckLake archive (the index needs macros)."""
    try:
        con.execute("PRAGMA create_fts_index('articles', 'id', 'title', 'text', overwrite=1)")
    except duckdb.Error:
        return False
    return True


# Upserts are an UPDATE then an INSERT of what is missing, not ON CONFLICT: DuckLake tables have no keys.


def upsert_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Source]) -> None:
    for source in sources:
        con.execute("UPDATE sources SET name = ? WHERE id = ? AND name IS DISTINCT FROM ?",
                    [source.name, source.id, source.name])
        con.execute(
            "INSERT INTO sources (id, name, kind, url) SELECT ?, ?, ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM sources WHERE id = ?)",
            [source.id, source.name, source.kind, source.url, source.id],
        )


def record_fetches(con: duckdb.DuckDBPyConnection, entries: Sequence[FetchLogEntry]) -> None:
    if not entries:
        return
    con.executemany(
        "INSERT INTO fetch_log (source_id, url, fetched_at, status, error, elapsed_ms, bytes, etag, last_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[e.source_id, e.url, e.fetched_at, e.status, e.error, e.elapsed_ms, e.bytes,
          e.validators.etag, e.validators.last_modified] for e in entries],
    )
    # validators of every successful exchange, even when the body then failed to parse: an unchanged
    # broken feed should cost a 304 next time, not another parse
    fresh = [e for e in entries if e.status == 200 and (e.validators.etag or e.validators.last_modified)]
    latest = {entry.url: entry for entry in fresh}  # one row per URL, the last exchange wins
    if not latest:
        return
    con.execute("DELETE FROM http_validators WHERE url IN (SELECT unnest(?))", [list(latest)])
    con.executemany(
        "INSERT INTO http_validators (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)",
        [[e.url, e.validators.etag, e.validators.last_modified, e.fetched_at] for e in latest.values()],
    )


def load_validators(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, Validators]:
    if not urls:
        return {}
    rows = con.execute(
        "SELECT url, etag, last_modified FROM http_validators WHERE url IN (SELECT unnest(?))", [list(urls)]
    ).fetchall()
    return {url: Validators(etag=etag, last_modified=modified) for url, etag, modified in rows}


def known_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> set[str]:
    """The canonical URLs among `urls` that the archive already holds."""
    if not urls:
        return set()
    rows = con.execute("SELECT DISTINCT url FROM articles WHERE url IN (SELECT unnest(?))", [list(urls)]).fetchall()
    return {row[0] for row in rows}


@after_drain(rebuild_search_index)
def save_articles(con: duckdb.DuckDBPyConnection, batch: ArticleBatch) -> SaveSummary:
    """Insert new articles; skip exact duplicates (same text anywhere); keep a changed text as a new version."""
    summary = SaveSummary()
    seen_in_batch: set[str] = set()
    for article in batch.articles:
        content_hash = article.content_hash
        if content_hash in seen_in_batch or _hash_exists(con, content_hash):
            summary += SaveSummary(duplicate=1)
            continue
        seen_in_batch.add(content_hash)
        latest = con.execute("SELECT max(version) FROM articles WHERE url = ?", [article.url]).fetchone()
        version = ((latest[0] if latest else None) or 0) + 1
        con.execute(
            "INSERT INTO articles (id, url, version, title, published_at, text, author, site_name, source_id, "
            "original_url, content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [article.id, article.url, version, article.title, article.published_at, article.text, article.author,
             article.site_name, article.source_id, article.original_url, content_hash, batch.fetched_at],
        )
        summary += SaveSummary(new=1, versions=int(version > 1), new_ids=(article.id,))
    return summary


@after_drain(rebuild_search_index)
def save_ingest_batch(con: duckdb.DuckDBPyConnection, batch: IngestBatch) -> SaveSummary:
    upsert_sources(con, batch.sources)
    record_fetches(con, batch.fetches)
    fetched_at = batch.fetched_at or datetime.now(timezone.utc)
    return save_articles(con, ArticleBatch(articles=batch.articles, fetched_at=fetched_at))


def _hash_exists(con: duckdb.DuckDBPyConnection, content_hash: str) -> bool:
    return con.execute("SELECT 1 FROM articles WHERE content_hash = ? LIMIT 1", [content_hash]).fetchone() is not None


def articles_to_analyze(
    con: duckdb.DuckDBPyConnection, *, limit: int | None = None, ids: Sequence[str] | None = None, all_articles: bool = False
) -> list[Article]:
    """Articles not analyzed yet (or the given ids / everything), the latest version of each URL only.

    The queue skips articles whose analysis failed (`analysis_error`) until they are asked for by id or
    with everything. Oldest publication first, undated ones after the dated (then by arrival), so no
    article holds the head of the queue for every batch.
    """
    where = ["version = (SELECT max(version) FROM articles b WHERE b.url = a.url)"]
    params: list[object] = []
    if ids is not None:
        where.append("id IN (SELECT unnest(?))")
        params.append(list(ids))
    elif not all_articles:
        where.append("analyzed_at IS NULL AND analysis_error IS NULL")
    sql = (
        "SELECT url, text, title, author, site_name, published_at, source_id, original_url FROM articles a "
        f"WHERE {' AND '.join(where)} ORDER BY published_at NULLS LAST, fetched_at NULLS LAST, id"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = con.execute(sql, params).fetchall()
    return [
        Article(url=url, text=text, title=title, author=author, site_name=site, published_at=published,
                source_id=source_id, original_url=original)
        for url, text, title, author, site, published, source_id, original in rows
    ]


def search_articles(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20) -> list[tuple[str, str, float]]:
    """(url, title, score) of the best BM25 matches."""
    return con.execute(
        "SELECT url, title, score FROM (SELECT url, title, fts_main_articles.match_bm25(id, ?) AS score FROM articles) "
        "WHERE score IS NOT NULL ORDER BY score DESC LIMIT ?",
        [query, limit],
    ).fetchall()
