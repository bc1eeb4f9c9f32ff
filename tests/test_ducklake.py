"""The storage gateway on DuckLake: a PostgreSQL catalog on 127.0.0.1:5432 (trust auth) and a local data path.

Each test gets a fresh PostgreSQL database (createdb), dropped afterwards. The same operations run on a DuckDB
file and on DuckLake and must leave the same rows; two processes writing at once leave every row once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

import extractors.statements as statements_module
from alerts.deliver import AlertSettings
from alerts.outbox import enqueue_alerts
from extractors.shifts import detect_shifts
from flows.settings import ConfigError, load_settings
from storage.articles import IngestBatch, rebuild_search_index, save_ingest_batch
from storage.db import Archive, DuckLakeLocation, parse_location
from storage.query import ReadOnlyViolation, run_readonly
from storage.records import Article, Entity, FetchLogEntry, Person, ShiftChanges, Source, Topic, Validators, Watchlist
from storage.shifts import load_evidence, load_shifts, save_shift_changes, watched_pairs
from storage.statements import StatementBatch, store_statements
from tests.support import TEST_DATA

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2025, 7, 10, 8, 0, tzinfo=timezone.utc)
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
WATCHLIST = Watchlist(
    entities=(Entity("halden-rail", "Halden Rail", aliases=("Halden",),
                     people=(Person("Ingrid Sollie", "CEO"), Person("Marcus Obi", "Chief Operating Officer"))),
              Entity("corvane", "Corvane Energy", aliases=("Corvane",), people=(Person("Priya Raman", "CEO"),))),
    topics=(Topic("four-day-week", "Four-day work week",
                  proposition="The company gives its staff a four-day work week without cutting pay.",
                  keywords=("four-day week", "four-day work week", "32-hour week", "five-day week", "working hours"),
                  pro=("four-day week", "32-hour week"),
                  con=("five-day week", "back to five days", "end the four-day week", "five-day rotas")),),
)
TABLES = ("sources", "fetch_log", "http_validators", "articles", "statements", "statement_sources", "shifts",
          "shift_statements", "deliveries")


@pytest.fixture()
def catalog() -> Iterator[str]:
    name = f"stancewatch_test_{uuid.uuid4().hex[:10]}"
    subprocess.run(["createdb", *PG, name], check=True, capture_output=True)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", *PG, "--force", name], check=False, capture_output=True)


def _lake(catalog: str, data_path: Path) -> str:
    return f"ducklake:postgres:dbname={catalog} host=127.0.0.1 port=5432 user=postgres data_path={data_path}"


def _articles() -> list[Article]:
    rows = [json.loads(line) for line in (TEST_DATA / "new_user_articles.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    return [Article(url=r["url"], text=r["text"], title=r["title"],
                    published_at=datetime.fromisoformat(r["published"]).replace(tzinfo=timezone.utc)) for r in rows]


def _pipeline(archive: Archive) -> None:
    """Ingest (twice), statements (twice: re-analysis replaces), detection, the outbox (twice)."""
    articles = tuple(_articles())
    source = Source("Rail news", "feed", "https://railwire.example/rss")
    fetch = FetchLogEntry(source.id, source.url, NOW, 200, None, 12, 3456, Validators('"v1"', None))
    for _ in range(2):
        archive.save(save_ingest_batch, IngestBatch((source,), (fetch,), articles, NOW))
    statements = tuple(st for a in articles for st in statements_module.extract_statements(a, WATCHLIST))
    for _ in range(2):
        archive.save(store_statements, StatementBatch(articles, statements, NOW))
    with archive.connect() as con:
        changes = ShiftChanges.combine([detect_shifts(load_evidence(con, e, t), load_shifts(con, e, t), now=NOW)
                                        for e, t in watched_pairs(con)])
    archive.save(save_shift_changes, changes)
    alerts = AlertSettings(urls=("json://127.0.0.1:9/desk",))
    for _ in range(2):
        enqueue_alerts(archive, alerts, [s.id for s in changes.new], now=NOW)


def _contents(archive: Archive) -> dict[str, list[tuple]]:
    """Every row of the archive's tables, minus what differs by design: wall-clock times, and fetch_log.id (no sequence on DuckLake)."""
    with archive.connect(read_only=True) as con:
        contents = {}
        for table in TABLES:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND column_name NOT IN "
                "('id', 'added_at', 'analyzed_at', 'applied_at', 'updated_at') ORDER BY column_index", [table]).fetchall()]
            if table != "fetch_log":
                columns = ["id", *columns] if table in ("articles", "statements", "shifts", "sources") else columns
            rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            contents[table] = sorted(rows, key=repr)
        contents["latest_shifts"] = con.execute("SELECT entity, topic, direction, confidence FROM latest_shifts"
                                                ).fetchall()
        contents["statement_timeline"] = sorted(con.execute(
            "SELECT statement_id, source_count FROM statement_timeline").fetchall())
    return contents


def test_the_location_is_chosen_by_config(tmp_path, catalog):
    config = tmp_path / "stancewatch.yaml"
    body = "".join(line for line in (REPO / "seeds" / "watchlist.yaml").read_text(encoding="utf-8").splitlines(True)
                   if not line.startswith("database:"))
    config.write_text(f"database: {_lake(catalog, tmp_path / 'lake')}\n{body}", encoding="utf-8")
    settings = load_settings(config)
    assert settings.database == DuckLakeLocation(
        f"postgres:dbname={catalog} host=127.0.0.1 port=5432 user=postgres", f"{tmp_path / 'lake'}/")
    assert parse_location(str(settings.database)) == settings.database  # survives being passed to a flow as text
    assert load_settings(config, database=str(tmp_path / "a.duckdb")).database == tmp_path / "a.duckdb"
    config.write_text(f"database: 'ducklake:postgres:dbname={catalog}'\n{body}", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"stancewatch.yaml:1: database: a DuckLake archive is"):
        load_settings(config)


def test_migrations_run_on_ducklake_once_and_leave_what_it_lacks_out(tmp_path, catalog):
    archive = Archive(_lake(catalog, tmp_path / "lake"))
    with archive.connect() as con:
        versions = [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
        tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'archive'"
                                            ).fetchall()}
        views = {v for (v,) in con.execute("SELECT view_name FROM duckdb_views() WHERE database_name = 'archive'"
                                           ).fetchall()}
        uncommented = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'archive' AND comment IS NULL "
            "AND table_name <> 'schema_migrations'").fetchall()
        keys = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE database_name = 'archive' "
                           "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'CHECK')").fetchone()[0]
    assert versions == sorted(int(p.name[:3]) for p in (REPO / "storage" / "migrations").glob("*.sql"))
    assert set(TABLES) | {"write_serial", "spool_applied"} <= tables
    assert {"statement_timeline", "latest_shifts"} <= views
    assert uncommented == [] and keys == 0
    assert list((tmp_path / "lake").iterdir()) is not None
    again = Archive(_lake(catalog, tmp_path / "lake"))
    with again.connect() as con:
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(versions)


def test_the_same_work_leaves_the_same_rows_on_a_file_and_on_ducklake(tmp_path, catalog):
    on_file = Archive(tmp_path / "a.duckdb")
    on_lake = Archive(_lake(catalog, tmp_path / "lake"))
    _pipeline(on_file)
    _pipeline(on_lake)
    expected = _contents(on_file)
    assert expected["articles"] and expected["statements"] and expected["shifts"] and expected["deliveries"]
    assert _contents(on_lake) == expected
    assert len(expected["deliveries"]) == 1  # enqueued twice, stored once


def test_sql_is_read_only_on_ducklake_and_search_is_file_only(tmp_path, catalog):
    archive = Archive(_lake(catalog, tmp_path / "lake"))
    _pipeline(archive)
    assert run_readonly(archive, "SELECT count(*) FROM articles").rows == [(11,)]
    assert run_readonly(archive, "SELECT entity, direction FROM latest_shifts").rows == [("halden-rail", "pro->con")]
    for query in ("DELETE FROM articles", "EXPLAIN ANALYZE SELECT 1", f"SELECT * FROM glob('{tmp_path}/lake/**')",
                  "SELECT * FROM read_text('/etc/hostname')", "ATTACH 'dbname=postgres' AS pg (TYPE postgres)"):
        with pytest.raises(ReadOnlyViolation):
            run_readonly(archive, query)
    with archive.connect(read_only=True) as con:
        with pytest.raises(duckdb.Error):  # attached read-only: a write fails even past the parser
            con.execute("DELETE FROM articles")
        with pytest.raises(duckdb.PermissionException):  # external access is off here too
            con.execute("SELECT * FROM read_text('/etc/hostname')")
        with pytest.raises(duckdb.InvalidInputException):
            con.execute("SET enable_external_access = true")
    with archive.connect(fts=True) as con:
        assert rebuild_search_index(con) is False  # the FTS index needs macros, which DuckLake cannot store
    assert run_readonly(archive, "SELECT count(*) FROM articles").rows == [(11,)]


_WRITER = textwrap.dedent("""
    import logging, sys
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # conflicts retried, in the test's output
    from datetime import datetime, timezone
    from storage.articles import IngestBatch, save_ingest_batch
    from storage.db import Archive
    from storage.records import Article, FetchLogEntry, Source
    location, first, last, name = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    now = datetime(2025, 7, 10, tzinfo=timezone.utc)
    archive = Archive(location)
    source = Source("Shared feed", "feed", "https://shared.example/rss")
    new = 0
    for start in range(first, last, 5):
        articles = tuple(Article(url=f"https://shared.example/{n}", text=f"Shared article {n}.", title=str(n),
                                 published_at=now) for n in range(start, min(start + 5, last)))
        fetch = FetchLogEntry(source.id, f"{source.url}#{name}-{start}", now, 200, None)
        new += archive.save(save_ingest_batch, IngestBatch((source,), (fetch,), articles, now)).new
    print(new)
""")


def test_two_processes_writing_at_once_leave_every_row_once(tmp_path, catalog):
    location = _lake(catalog, tmp_path / "lake")  # not migrated yet: both processes race for that too
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, location, str(first), str(last), name], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for first, last, name in ((0, 40, "a"), (20, 60, "b"))]
    outputs = [w.communicate(timeout=300) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err[-2000:] for _, err in outputs]
    print(f"two writers: {sum(err.count('conflicted') for _, err in outputs)} write conflicts retried")
    archive = Archive(location)
    with archive.connect(read_only=True) as con:
        rows, distinct = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
        sources = con.execute("SELECT count(*) FROM sources").fetchone()[0]
        fetches = con.execute("SELECT count(*) FROM fetch_log").fetchone()[0]
        migrations = con.execute("SELECT count(*), count(DISTINCT version) FROM schema_migrations").fetchone()
    assert (rows, distinct) == (60, 60)
    assert sum(int(out.strip()) for out, _ in outputs) == 60  # each article counted new by exactly one writer
    assert sources == 1 and fetches == 8 + 8
    assert migrations[0] == migrations[1]
