"""`stancewatch sql` only reads the archive: every known way around that is tried and refused, on a real file."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pytest

from flows.cli import main
from storage.articles import ArticleBatch, rebuild_search_index, save_articles
from storage.db import Archive, fts_extension_path
from storage.query import ReadOnlyViolation, run_readonly
from storage.records import Article
from tests.support import LocalHTTPServer

NOW = datetime(2025, 8, 1, tzinfo=timezone.utc)


@pytest.fixture()
def archive(tmp_path) -> Archive:
    archive = Archive(tmp_path / "a.duckdb")
    articles = (Article(url="https://news.example/a", text="Acme said it will keep its factories open.", title="A",
                        published_at=NOW),
                Article(url="https://news.example/b", text="Zeta cut its dividend.", title="B", published_at=NOW))
    archive.save(save_articles, ArticleBatch(articles, NOW))
    with archive.connect(fts=True) as con:
        assert rebuild_search_index(con)
    return archive


def _article_count(archive: Archive) -> int:
    with archive.connect(read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_plain_reads_work(archive):
    assert run_readonly(archive, "SELECT url FROM articles ORDER BY url").rows == [
        ("https://news.example/a",), ("https://news.example/b",)]
    assert run_readonly(archive, "WITH t AS (SELECT title FROM articles) SELECT count(*) FROM t").rows == [(2,)]
    assert run_readonly(archive, "FROM articles SELECT title ORDER BY title;").rows == [("A",), ("B",)]
    assert run_readonly(archive, "SELECT 1 /* ; DROP TABLE articles */").rows == [(1,)]
    assert "articles" in {row[0] for row in run_readonly(archive, "SHOW TABLES").rows}
    assert "url" in {row[1] for row in run_readonly(archive, "PRAGMA table_info('articles')").rows}
    assert "url" in {row[0] for row in run_readonly(archive, "DESCRIBE articles").rows}
    assert run_readonly(archive, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'articles'").rows == [(1,)]
    assert run_readonly(archive, "SELECT * FROM range(3)").rows == [(0,), (1,), (2,)]
    plan = run_readonly(archive, "EXPLAIN SELECT count(*) FROM articles")
    assert plan.rows and "physical_plan" in {row[0] for row in plan.rows}
    assert run_readonly(archive, "EXPLAIN (FORMAT json) SELECT 1").rows


def test_full_text_search_works_in_sql(archive):
    result = run_readonly(archive, "SELECT url FROM (SELECT url, fts_main_articles.match_bm25(id, 'dividend') AS s "
                                   "FROM articles) WHERE s IS NOT NULL")
    assert result.rows == [("https://news.example/b",)]


def test_explain_analyze_copy_does_not_write_the_file(archive, tmp_path):
    target = tmp_path / "x.csv"
    for query in (f"EXPLAIN ANALYZE COPY (SELECT * FROM articles) TO '{target}'",
                  f"EXPLAIN /* hidden */ ANALYZE COPY articles TO '{target}'",
                  f"explain analyse copy articles to '{target}'",
                  f"EXPLAIN (ANALYZE) COPY articles TO '{target}'",
                  f"EXPLAIN (FORMAT json, ANALYZE) COPY articles TO '{target}'",
                  f"EXPLAIN COPY articles TO '{target}'"):
        with pytest.raises(ReadOnlyViolation):
            run_readonly(archive, query)
    assert not target.exists()


def test_explain_analyze_of_anything_is_refused(archive):
    for query in ("EXPLAIN ANALYZE SET threads = 1", "EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE DELETE FROM articles",
                  "EXPLAIN DELETE FROM articles", "EXPLAIN (ANALYZE true) SELECT 1"):
        with pytest.raises(ReadOnlyViolation):
            run_readonly(archive, query)
    assert _article_count(archive) == 2


def test_files_and_urls_outside_the_archive_are_refused(archive, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("secret\nvalue\n", encoding="utf-8")
    with LocalHTTPServer() as server:
        url = server.add_route("/x.csv", "a\n1\n", content_type="text/csv")
        for query in (f"SELECT * FROM read_csv('{outside}')", f"SELECT * FROM read_text('{outside}')",
                      f"SELECT * FROM '{outside}'", f"SELECT * FROM glob('{tmp_path}/*')", "FROM glob('/etc/*')",
                      f"SELECT * FROM read_csv('{url}')", f"SELECT * FROM '{url}'",
                      f"SELECT (SELECT count(*) FROM read_csv_auto('{url}'))",
                      f"SELECT * FROM articles, LATERAL (SELECT * FROM read_text('{outside}'))",
                      f"DESCRIBE SELECT * FROM read_csv('{outside}')", f"SUMMARIZE SELECT * FROM '{url}'",
                      "SELECT * FROM query('DELETE FROM articles')", "SELECT * FROM query_table('articles')",
                      "CALL checkpoint()", "SELECT * FROM checkpoint()", "SELECT nextval('fetch_log_seq')",
                      f"PRAGMA import_database('{tmp_path}')"):
            with pytest.raises(ReadOnlyViolation):
                run_readonly(archive, query)
        assert server.requests == [], "a refused query still reached the local server"
    assert _article_count(archive) == 2


def test_writes_extensions_settings_and_attachments_are_refused(archive, tmp_path):
    other = tmp_path / "other.duckdb"
    for query in ("DELETE FROM articles", "DROP TABLE articles", "UPDATE articles SET title = 'x'",
                  "INSERT INTO sources VALUES ('x', 'x', 'feed', 'x', now())", "CREATE TEMP TABLE t AS SELECT 1",
                  f"COPY articles TO '{tmp_path / 'y.csv'}'", f"ATTACH '{other}' AS o", "DETACH a",
                  "INSTALL httpfs", "LOAD httpfs", f"LOAD '{fts_extension_path()}'", "SET enable_external_access = true",
                  "SET autoload_known_extensions = true", "RESET enable_external_access", "PRAGMA threads = 1",
                  "PRAGMA enable_profiling", f"PRAGMA profile_output = '{tmp_path / 'p.txt'}'",
                  "PRAGMA force_checkpoint", "CHECKPOINT", "VACUUM", "CALL pragma_table_info('articles')",
                  f"EXPORT DATABASE '{tmp_path / 'out'}'", "BEGIN TRANSACTION", "CREATE SECRET s (TYPE s3)"):
        with pytest.raises(ReadOnlyViolation):
            run_readonly(archive, query)
    assert not other.exists() and not (tmp_path / "y.csv").exists() and not (tmp_path / "p.txt").exists()
    assert _article_count(archive) == 2


def test_several_statements_are_refused_even_when_each_reads(archive):
    for query in ("SELECT 1; DROP TABLE articles", "SELECT 1 -- a comment\n; DELETE FROM articles",
                  "SELECT 1 /* x */; /* y */ DELETE FROM articles", "SELECT 1; SELECT 2"):
        with pytest.raises(ReadOnlyViolation, match="one statement"):
            run_readonly(archive, query)
    assert _article_count(archive) == 2


def test_every_connection_has_external_access_and_extension_autoloading_off(archive, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n", encoding="utf-8")
    settings = ("SELECT current_setting('enable_external_access'), current_setting('autoinstall_known_extensions'), "
                "current_setting('autoload_known_extensions'), current_setting('python_enable_replacements'), "
                "current_setting('lock_configuration')")
    for options in ({}, {"read_only": True}, {"fts": True}, {"read_only": True, "fts": True}):
        with archive.connect(**options) as con:
            assert con.execute(settings).fetchone() == (False, False, False, False, True), options
            with pytest.raises(duckdb.PermissionException):  # the second fence, without the parser's
                con.execute(f"SELECT * FROM read_csv('{outside}')")
            with pytest.raises(duckdb.PermissionException):
                con.execute("INSTALL httpfs")
            with pytest.raises(duckdb.InvalidInputException, match="locked"):
                con.execute("SET autoload_known_extensions = true")


def test_sql_command_refuses_a_bypass_with_a_clear_message(archive, tmp_path, capsys):
    target = tmp_path / "x.csv"
    assert main(["--db", str(archive.path), "sql", f"EXPLAIN ANALYZE COPY articles TO '{target}'"]) == 2
    assert "EXPLAIN ANALYZE runs the statement" in capsys.readouterr().err
    assert not target.exists()
    assert main(["--db", str(archive.path), "sql", "SELECT * FROM read_csv('/etc/passwd')"]) == 2
    assert "read_csv() is not allowed" in capsys.readouterr().err
