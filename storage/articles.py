"""SQL for sources, the fetch log, HTTP validators and articles."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

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


# Bulk writes: every batch of rows goes to DuckDB as one JSON parameter, unnested into a relation by
# `from_json` with the columns' types, so a whole batch is one INSERT ... SELECT. Binding rows as Python
# values instead (executemany, or one list per column) costs ~1 ms a row: DuckDB converts each value and
# tries `import pandas` twice per value when pandas is not installed. No Arrow or pandas needed, and the
# same SQL runs on a DuckDB file and on DuckLake.
# Upserts are an UPDATE then an INSERT of what is missing, not ON CONFLICT: DuckLake tables have no keys.

_ROWS = "(SELECT unnest(from_json(?::VARCHAR, ?::VARCHAR), recursive := true))"
_STRINGS = "(SELECT unnest(from_json(?::VARCHAR, '[\"VARCHAR\"]')))"

_SOURCE_COLUMNS = {"id": "VARCHAR", "name": "VARCHAR", "kind": "VARCHAR", "url": "VARCHAR"}
_FETCH_COLUMNS = {"source_id": "VARCHAR", "url": "VARCHAR", "fetched_at": "TIMESTAMPTZ", "status": "INTEGER",
                  "error": "VARCHAR", "elapsed_ms": "INTEGER", "bytes": "BIGINT", "etag": "VARCHAR",
                  "last_modified": "VARCHAR"}
_VALIDATOR_COLUMNS = {"url": "VARCHAR", "etag": "VARCHAR", "last_modified": "VARCHAR", "updated_at": "TIMESTAMPTZ"}
_ARTICLE_COLUMNS = {"id": "VARCHAR", "url": "VARCHAR", "version": "INTEGER", "title": "VARCHAR",
                    "published_at": "TIMESTAMPTZ", "text": "VARCHAR", "author": "VARCHAR", "site_name": "VARCHAR",
                    "source_id": "VARCHAR", "original_url": "VARCHAR", "content_hash": "VARCHAR",
                    "fetched_at": "TIMESTAMPTZ"}


def _json_value(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()  # read back by the column's TIMESTAMPTZ cast, as a bound value would be
    raise TypeError(f"{type(value).__name__} is not a column value")


def _rows(columns: Mapping[str, str], rows: Iterable[Sequence[object]]) -> list[str]:
    """The two parameters of `_ROWS`: the rows as JSON objects, and their columns' types."""
    names = list(columns)
    data = [dict(zip(names, row)) for row in rows]
    return [json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_value),
            json.dumps([dict(columns)])]


def _strings(values: Iterable[str]) -> str:
    """The parameter of `_STRINGS`: a list of strings as one JSON value."""
    return json.dumps(list(values), ensure_ascii=False)


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, str],
                 rows: Sequence[Sequence[object]]) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {_ROWS}", _rows(columns, rows))


def upsert_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Source]) -> None:
    latest = {source.id: source for source in sources}  # one row per source, the last mention wins
    if not latest:
        return
    params = _rows(_SOURCE_COLUMNS, [[s.id, s.name, s.kind, s.url] for s in latest.values()])
    con.execute(f"UPDATE sources SET name = n.name FROM {_ROWS} AS n "
                "WHERE sources.id = n.id AND sources.name IS DISTINCT FROM n.name", params)
    con.execute(f"INSERT INTO sources (id, name, kind, url) SELECT id, name, kind, url FROM {_ROWS} AS n "
                "WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = n.id)", params)


def record_fetches(con: duckdb.DuckDBPyConnection, entries: Sequence[FetchLogEntry]) -> None:
    if not entries:
        return
    _insert_rows(con, "fetch_log", _FETCH_COLUMNS,
                 [[e.source_id, e.url, e.fetched_at, e.status, e.error, e.elapsed_ms, e.bytes,
                   e.validators.etag, e.validators.last_modified] for e in entries])
    # validators of every successful exchange, even when the body then failed to parse: an unchanged
    # broken feed should cost a 304 next time, not another parse
    fresh = [e for e in entries if e.status == 200 and (e.validators.etag or e.validators.last_modified)]
    latest = {entry.url: entry for entry in fresh}  # one row per URL, the last exchange wins
    if not latest:
        return
    con.execute(f"DELETE FROM http_validators WHERE url IN {_STRINGS}", [_strings(latest)])
    _insert_rows(con, "http_validators", _VALIDATOR_COLUMNS,
                 [[e.url, e.validators.etag, e.validators.last_modified, e.fetched_at] for e in latest.values()])


def load_validators(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, Validators]:
    if not urls:
        return {}
    rows = con.execute(
        f"SELECT url, etag, last_modified FROM http_validators WHERE url IN {_STRINGS}", [_strings(urls)]
    ).fetchall()
    return {url: Validators(etag=etag, last_modified=modified) for url, etag, modified in rows}


def known_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> set[str]:
    """The canonical URLs among `urls` that the archive already holds."""
    if not urls:
        return set()
    rows = con.execute(f"SELECT DISTINCT url FROM articles WHERE url IN {_STRINGS}", [_strings(urls)]).fetchall()
    return {row[0] for row in rows}


@after_drain(rebuild_search_index)
def save_articles(con: duckdb.DuckDBPyConnection, batch: ArticleBatch) -> SaveSummary:
    """Insert new articles; skip exact duplicates (same text anywhere); keep a changed text as a new version."""
    if not batch.articles:
        return SaveSummary()
    stored_hashes = _existing_hashes(con, {article.content_hash for article in batch.articles})
    versions = _latest_versions(con, {article.url for article in batch.articles})
    summary = SaveSummary()
    seen_in_batch: set[str] = set()
    rows: list[list[object]] = []
    for article in batch.articles:
        content_hash = article.content_hash
        if content_hash in seen_in_batch or content_hash in stored_hashes:
            summary += SaveSummary(duplicate=1)
            continue
        seen_in_batch.add(content_hash)
        version = versions[article.url] = versions.get(article.url, 0) + 1
        rows.append([article.id, article.url, version, article.title, article.published_at, article.text,
                     article.author, article.site_name, article.source_id, article.original_url, content_hash,
                     batch.fetched_at])
        summary += SaveSummary(new=1, versions=int(version > 1), new_ids=(article.id,))
    _insert_rows(con, "articles", _ARTICLE_COLUMNS, rows)
    return summary


@after_drain(rebuild_search_index)
def save_ingest_batch(con: duckdb.DuckDBPyConnection, batch: IngestBatch) -> SaveSummary:
    upsert_sources(con, batch.sources)
    record_fetches(con, batch.fetches)
    fetched_at = batch.fetched_at or datetime.now(timezone.utc)
    return save_articles(con, ArticleBatch(articles=batch.articles, fetched_at=fetched_at))


def _existing_hashes(con: duckdb.DuckDBPyConnection, hashes: set[str]) -> set[str]:
    rows = con.execute(f"SELECT DISTINCT content_hash FROM articles WHERE content_hash IN {_STRINGS}",
                       [_strings(hashes)]).fetchall()
    return {row[0] for row in rows}


def _latest_versions(con: duckdb.DuckDBPyConnection, urls: set[str]) -> dict[str, int]:
    rows = con.execute(f"SELECT url, max(version) FROM articles WHERE url IN {_STRINGS} GROUP BY url",
                       [_strings(urls)]).fetchall()
    return {url: version or 0 for url, version in rows}


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
