"""The DuckDB gateway: migrations, dedup and versions, statements, lock waits and the spool, read-only SQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone

import pytest

from storage.articles import (
    ArticleBatch,
    IngestBatch,
    rebuild_search_index,
    save_articles,
    save_ingest_batch,
    search_articles,
)
from storage.db import Archive, ArchiveMissing, Spooled, apply_migrations
from storage.query import ReadOnlyViolation, run_readonly
from storage.records import (
    Article,
    FetchLogEntry,
    Source,
    StatedDate,
    Statement,
    Validators,
)
from storage.statements import StatementBatch, store_statements

NOW = datetime(2025, 8, 1, tzinfo=timezone.utc)


def article(url="https://news.example/a", text="Acme said it will keep its factories open.", **kw) -> Article:
    return Article(url=url, text=text, title=kw.pop("title", "A"), published_at=kw.pop("published_at", NOW), **kw)


def statement(art: Article, text="we will keep the factories open", **kw) -> Statement:
    start = art.text.find(text)
    return Statement(
        entity_id=kw.pop("entity_id", "acme"), speaker=kw.pop("speaker", "Acme"), text=text, start=start,
        end=start + len(text), cue="said", kind="direct", stated_at=kw.pop("stated_at", StatedDate(date(2025, 8, 1))),
        attribution_confidence=0.9, topic_id=kw.pop("topic_id", "factories"), stance=kw.pop("stance", 0.8),
        stance_label="pro", stance_confidence=0.8, article_id=art.id, article_url=art.url, **kw,
    )


def test_migrations_are_numbered_recorded_and_run_once(tmp_path):
    archive = Archive(tmp_path / "a.duckdb")
    with archive.connect() as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
        assert versions[:2] == [1, 2]
        assert apply_migrations(con) == []
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"sources", "fetch_log", "articles", "statements", "statement_sources", "statement_timeline"} <= tables


def test_every_table_and_view_has_a_comment(tmp_path):
    with Archive(tmp_path / "a.duckdb").connect() as con:
        missing = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL AND table_name <> 'schema_migrations' "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND comment IS NULL"
        ).fetchall()
    assert missing == []


def test_duplicates_are_skipped_and_changed_text_is_a_new_version(tmp_path):
    archive = Archive(tmp_path / "a.duckdb")
    first = article()
    same_text_other_url = article(url="https://mirror.example/a")
    changed = article(text="Acme said it will close two factories.")
    s1 = archive.save(save_articles, ArticleBatch((first, same_text_other_url), NOW))
    s2 = archive.save(save_articles, ArticleBatch((first, changed), NOW))
    assert (s1.new, s1.duplicate) == (1, 1)
    assert (s2.new, s2.duplicate, s2.versions) == (1, 1, 1)
    with archive.connect(read_only=True) as con:
        rows = con.execute("SELECT version, text FROM articles WHERE url = ? ORDER BY version", [first.url]).fetchall()
    assert rows == [(1, first.text), (2, changed.text)]


def test_ingest_batch_records_sources_fetch_log_and_validators(tmp_path):
    archive = Archive(tmp_path / "a.duckdb")
    source = Source("Feed", "feed", "https://news.example/rss")
    log = (FetchLogEntry(source.id, source.url, NOW, 200, None, 12, 345, Validators('"v1"', "Tue, 01 Jul 2025 00:00:00 GMT")),
           FetchLogEntry(source.id, "https://news.example/broken", NOW, None, "timed out after 30s"))
    archive.save(save_ingest_batch, IngestBatch((source,), log, (article(),), NOW))
    with archive.connect(read_only=True) as con:
        assert con.execute("SELECT id, name, url FROM sources").fetchall() == [(source.id, "Feed", source.url)]
        assert con.execute("SELECT url, status, error FROM fetch_log ORDER BY id").fetchall() == [
            (source.url, 200, None), ("https://news.example/broken", None, "timed out after 30s")]
        assert con.execute("SELECT etag FROM http_validators").fetchall() == [('"v1"',)]


def test_full_text_search_over_articles(tmp_path):
    archive = Archive(tmp_path / "a.duckdb")
    archive.save(save_articles, ArticleBatch((article(), article(url="https://n.example/b", text="Zeta cut its dividend.")), NOW))
    with archive.connect(fts=True) as con:
        assert rebuild_search_index(con)
        hits = search_articles(con, "dividend")
    assert [h[0] for h in hits] == ["https://n.example/b"]


def test_same_quote_in_two_articles_is_one_statement_with_two_sources_and_reanalysis_replaces(tmp_path):
    archive = Archive(tmp_path / "a.duckdb")
    a1 = article(text="Acme said: we will keep the factories open. Analysts doubt it.")
    a2 = article(url="https://other.example/x", text="Again, Acme said we will keep the factories open.")
    archive.save(save_articles, ArticleBatch((a1, a2), NOW))
    archive.save(store_statements, StatementBatch((a1,), (statement(a1),), NOW))
    summary = archive.save(store_statements, StatementBatch((a2,), (statement(a2),), NOW))
    assert summary.new_statements == 0 and summary.pairs == (("acme", "factories"),)
    # re-analysis of both gives the same rows, never duplicates
    archive.save(store_statements, StatementBatch((a1, a2), (statement(a1), statement(a2)), NOW))
    with archive.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM statements").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM statement_sources").fetchone() == (2,)
        assert con.execute("SELECT source_count FROM statement_timeline").fetchone() == (2,)
    # re-analysis finding nothing in a1 leaves the statement reported by a2 only
    archive.save(store_statements, StatementBatch((a1,), (), NOW))
    with archive.connect(read_only=True) as con:
        assert con.execute("SELECT article_id FROM statements").fetchall() == [(a2.id,)]


def _hold_lock(path, seconds: float) -> subprocess.Popen:
    code = (f"import duckdb, time, sys; con = duckdb.connect({str(path)!r}); print('held', flush=True); "
            f"time.sleep({seconds}); con.close()")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_busy_archive_spools_the_batch_and_the_next_write_drains_it(tmp_path, caplog):
    path = tmp_path / "a.duckdb"
    Archive(path).save(save_articles, ArticleBatch((), NOW))  # create + migrate
    holder = _hold_lock(path, 30)
    try:
        busy = Archive(path, lock_wait=1.0, retry_every=0.2)
        result = busy.save(save_articles, ArticleBatch((article(),), NOW))
        assert isinstance(result, Spooled) and result.path.exists()
        assert "locked by another process" in caplog.text and "kept in spool" in caplog.text
    finally:
        holder.kill()
        holder.wait()
    later = Archive(path)
    later.save(save_articles, ArticleBatch((article(url="https://n.example/2", text="Another text."),), NOW))
    assert later.pending_spool() == []
    with later.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)


def test_a_write_waits_for_a_short_lock_and_succeeds(tmp_path, caplog):
    path = tmp_path / "a.duckdb"
    Archive(path).save(save_articles, ArticleBatch((), NOW))
    holder = _hold_lock(path, 1.5)
    try:
        summary = Archive(path, lock_wait=30, retry_every=0.2).save(save_articles, ArticleBatch((article(),), NOW))
    finally:
        holder.wait()
    assert summary.new == 1
    assert "retrying" in caplog.text


def test_sql_is_read_only(tmp_path):
    archive = Archive(tmp_path / "a.duckdb")
    with pytest.raises(ArchiveMissing):
        run_readonly(archive, "SELECT 1")
    archive.save(save_articles, ArticleBatch((article(),), NOW))
    result = run_readonly(archive, "SELECT url, title FROM articles")
    assert result.columns == ("url", "title") and result.rows == [("https://news.example/a", "A")]
    for query in ("DELETE FROM articles", "DROP TABLE articles", "COPY articles TO 'x.csv'", "ATTACH 'x.duckdb'"):
        with pytest.raises(ReadOnlyViolation):
            run_readonly(archive, query)
    with archive.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)
