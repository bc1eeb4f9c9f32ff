"""The ingest writes are bulk (one INSERT ... SELECT per table and batch): every value comes back as written,
on a DuckDB file and on DuckLake, with the row-by-row rules kept (renames, last validators, versions, duplicates).

DuckLake uses a fresh PostgreSQL database on 127.0.0.1:5432, as in tests/test_ducklake.py.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from storage.articles import IngestBatch, known_urls, load_validators, save_ingest_batch
from storage.db import Archive
from storage.records import Article, FetchLogEntry, Source, Validators

NOW = datetime(2025, 7, 10, 8, 0, 1, 123456, tzinfo=timezone.utc)
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
AWKWARD = 'She said "no"\nthen left \\ a tab\there, ü, 😀, and a NUL \x00 inside'


@pytest.fixture(params=["file", "ducklake"])
def archive(request, tmp_path: Path) -> Iterator[Archive]:
    if request.param == "file":
        yield Archive(tmp_path / "archive.duckdb")
        return
    name = f"stancewatch_test_{uuid.uuid4().hex[:10]}"
    subprocess.run(["createdb", *PG, name], check=True, capture_output=True)
    try:
        yield Archive(f"ducklake:postgres:dbname={name} host=127.0.0.1 port=5432 user=postgres "
                      f"data_path={tmp_path / 'lake'}")
    finally:
        subprocess.run(["dropdb", *PG, "--force", name], check=False, capture_output=True)


def rows(archive: Archive, sql: str) -> list[tuple]:
    with archive.connect() as con:
        return con.execute(sql).fetchall()


def test_sources_are_renamed_in_place_and_each_stored_once(archive: Archive) -> None:
    feed, page = Source("Old name", "feed", "https://n.example/rss"), Source("A page", "url", "https://n.example/a")
    archive.save(save_ingest_batch, IngestBatch(sources=(feed, page)))
    renamed = Source("New name", "feed", feed.url)
    archive.save(save_ingest_batch, IngestBatch(sources=(renamed, page, renamed)))
    assert sorted(rows(archive, "SELECT id, name, kind, url FROM sources")) == sorted(
        [(renamed.id, renamed.name, renamed.kind, renamed.url), (page.id, page.name, page.kind, page.url)])


def test_fetch_log_keeps_every_value_and_validators_keep_the_last_exchange(archive: Archive) -> None:
    source = Source("Feed", "feed", "https://n.example/rss")
    entries = (
        FetchLogEntry(source.id, source.url, NOW, 200, None, 12, 2**40, Validators('W/"v1"', None)),
        FetchLogEntry(None, "https://n.example/broken", NOW, None, AWKWARD),
        FetchLogEntry(source.id, source.url, NOW + timedelta(seconds=5), 200, None, 7, 10,
                      Validators('"v2"', "Tue, 01 Jul 2025 10:00:00 GMT")),
    )
    archive.save(save_ingest_batch, IngestBatch(sources=(source,), fetches=entries))
    logged = rows(archive, "SELECT source_id, url, fetched_at, status, error, elapsed_ms, bytes, etag, last_modified "
                           "FROM fetch_log ORDER BY fetched_at, url")
    assert logged == [(e.source_id, e.url, e.fetched_at, e.status, e.error, e.elapsed_ms, e.bytes, e.validators.etag,
                       e.validators.last_modified) for e in sorted(entries, key=lambda e: (e.fetched_at, e.url))]
    with archive.connect() as con:
        assert load_validators(con, [source.url, "https://n.example/broken"]) == {source.url: entries[2].validators}


def test_articles_come_back_as_written_with_versions_and_duplicates_counted(archive: Archive) -> None:
    first = Article(url="https://n.example/a", text=AWKWARD, title="T\u00e9", author="A. Writer", site_name="N",
                    published_at=NOW - timedelta(days=3), source_id="s1", original_url="https://n.example/a?utm=x")
    changed = Article(url=first.url, text="A changed text.", published_at=datetime(2025, 7, 1, 9, 30))
    same_text = Article(url="https://n.example/b", text=" ".join(AWKWARD.upper().split()))  # same normalised text
    summary = archive.save(save_ingest_batch, IngestBatch(articles=(first, changed, same_text, first),
                                                          fetched_at=NOW))
    assert (summary.new, summary.duplicate, summary.versions) == (2, 2, 1)
    later = Article(url=first.url, text="A third text.", published_at=datetime.combine(date(2025, 7, 2), NOW.timetz()))
    assert archive.save(save_ingest_batch, IngestBatch(articles=(later, changed), fetched_at=NOW)).versions == 1
    stored = rows(archive, "SELECT id, url, version, title, published_at, text, author, site_name, source_id, "
                           "original_url, content_hash, fetched_at FROM articles ORDER BY version")
    expected = [(a.id, a.url, version, a.title, a.published_at, a.text, a.author, a.site_name, a.source_id,
                 a.original_url, a.content_hash, NOW) for version, a in enumerate((first, changed, later), start=1)]
    assert [row[:4] + row[5:] for row in stored] == [row[:4] + row[5:] for row in expected]
    assert [row[4] for row in stored if row[0] != changed.id] == [first.published_at, later.published_at]
    with archive.connect() as con:
        # a naive time is read in the session's time zone, as it was when bound as a Python value
        [bound] = con.execute("SELECT CAST(? AS TIMESTAMPTZ)", [changed.published_at]).fetchone()
        assert [row[4] for row in stored if row[0] == changed.id] == [bound]
        assert known_urls(con, [first.url, same_text.url, "https://n.example/none"]) == {first.url}
