"""Sources carry their statement's pair (migration 008), and `compact` rewrites the statement tables in pair
order keeping every row, the views, keys, indexes and comments; the archive still migrates and takes writes."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, timedelta

import duckdb
import pytest

from flows.cli import main
from storage.compact import COMPACTED_TABLES, CompactUnsupported, compact_archive
from storage.db import Archive, ArchiveBusy
from storage.records import StatedDate, Statement
from storage.shifts import load_evidence, load_evidence_of_pairs, load_recent_evidence, load_shifts, watched_pairs
from storage.statements import StatementBatch, store_statements
from tests.support import NOW, REVERSAL, SUPPORT, archive_with, detect_and_save, ev

PAIRS = [("northwind", "four-day-week"), ("northwind", "remote-work"), ("corvane", "four-day-week"),
         ("corvane", "remote-work")]
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]


def _statement(i: int, entity_id: str, topic_id: str | None, article: str, *, text: str | None = None) -> Statement:
    stance = None if topic_id is None else (0.6 if i % 3 else -0.6)
    return Statement(
        entity_id=entity_id, speaker="a spokesperson", text=text or f"statement {i} of {entity_id}", start=0, end=10,
        cue="said", kind="direct", stated_at=StatedDate(date(2025, 1, 1) + timedelta(days=i)),
        attribution_confidence=0.9, speaker_role="spokesperson", topic_id=topic_id, stance=stance,
        stance_label=None if stance is None else ("pro" if stance > 0 else "con"),
        stance_confidence=None if stance is None else 0.7, article_id=article,
        article_url=f"https://site{i % 3}.example/{article}")


def _batch(start: int) -> StatementBatch:
    """Statements of every pair in one batch (as analysis stores them), an off-topic one, and a quote that
    a second article on another site reports too (one statement, two sources)."""
    statements = [_statement(i, *PAIRS[i % len(PAIRS)], f"art-{i}") for i in range(start, start + 12)]
    statements.append(_statement(start + 12, "corvane", None, f"art-{start + 12}"))
    entity_id, topic_id = PAIRS[start % len(PAIRS)]
    statements.append(_statement(start + 13, entity_id, topic_id, f"art-{start + 13}",
                                 text=f"statement {start} of {entity_id}"))
    return StatementBatch(articles=(), statements=tuple(statements), analyzed_at=NOW)


@pytest.fixture()
def archive(tmp_path) -> Archive:
    archive = archive_with(tmp_path / "a.duckdb", [*SUPPORT, *REVERSAL])  # the fixture's own inserts
    for start in (0, 100, 200):
        archive.save(store_statements, _batch(start))
    detect_and_save(archive)
    return archive


def _mismatched_sources(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    return con.execute(
        "SELECT count(*), count(*) FILTER (WHERE ss.entity_id IS DISTINCT FROM s.entity_id"
        " OR ss.topic_id IS DISTINCT FROM s.topic_id) FROM statement_sources ss JOIN statements s"
        " ON s.id = ss.statement_id").fetchone()


def test_every_source_carries_its_statements_pair(archive):
    with archive.connect(read_only=True) as con:
        sources, mismatched = _mismatched_sources(con)
        several = con.execute("SELECT count(*) FROM (SELECT statement_id FROM statement_sources GROUP BY ALL"
                              " HAVING count(*) > 1)").fetchone()[0]
    assert sources > 40 and mismatched == 0 and several >= 3


def test_the_migration_fills_the_pairs_of_an_older_archive(archive):
    with archive.connect() as con:  # as an archive made before migration 008
        con.execute("ALTER TABLE statement_sources DROP COLUMN entity_id")
        con.execute("ALTER TABLE statement_sources DROP COLUMN topic_id")
        con.execute("DELETE FROM schema_migrations WHERE version = 8")
    again = Archive(archive.path)
    with again.connect() as con:
        assert con.execute("SELECT count(*) FROM schema_migrations WHERE version = 8").fetchone() == (1,)
        sources, mismatched = _mismatched_sources(con)
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'statement_sources'"
                              " AND column_name = 'topic_id'").fetchone()[0]
    assert sources > 40 and mismatched == 0 and comment


def _snapshot(archive: Archive) -> dict[str, object]:
    """Every row and what describes the tables, and what the queries and views return."""
    with archive.connect(read_only=True) as con:
        found: dict[str, object] = {}
        for table in COMPACTED_TABLES:
            found[table] = sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            found[table + " definition"] = con.execute(
                "SELECT sql, comment FROM duckdb_tables() WHERE table_name = ?", [table]).fetchall()
            found[table + " columns"] = con.execute(
                "SELECT column_name, data_type, is_nullable, column_default, comment FROM duckdb_columns()"
                " WHERE table_name = ? ORDER BY column_index", [table]).fetchall()
            found[table + " indexes"] = con.execute(
                "SELECT index_name, sql FROM duckdb_indexes() WHERE table_name = ? ORDER BY 1", [table]).fetchall()
            found[table + " constraints"] = con.execute(
                "SELECT constraint_type, constraint_column_names FROM duckdb_constraints() WHERE table_name = ?"
                " ORDER BY ALL", [table]).fetchall()
        found["views"] = con.execute("SELECT view_name, sql, comment FROM duckdb_views() WHERE NOT internal"
                                     " ORDER BY 1").fetchall()
        found["statement_timeline"] = sorted(con.execute("SELECT * FROM statement_timeline").fetchall(), key=repr)
        found["latest_shifts"] = sorted(con.execute("SELECT * FROM latest_shifts").fetchall(), key=repr)
        pairs = watched_pairs(con)
        found["evidence"] = load_evidence_of_pairs(con, pairs)
        found["recent"] = load_recent_evidence(con, {pair: date(2025, 3, 1) for pair in pairs})
        found["shifts"] = load_shifts(con)
    return found


def _in_pair_order(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    stored = con.execute(f"SELECT entity_id, topic_id FROM {table} ORDER BY rowid").fetchall()
    return stored == sorted(stored, key=lambda pair: (pair[0], pair[1] is None, pair[1] or ""))


def test_compact_keeps_every_row_the_views_keys_and_comments(archive):
    before = _snapshot(archive)
    assert before["shifts"] and before["latest_shifts"] and len(before["evidence"]) == 4
    with archive.connect(read_only=True) as con:
        assert not _in_pair_order(con, "statements")  # batches touch every pair

    summary = compact_archive(archive)

    assert dict(summary.tables) == {table: len(before[table]) for table in COMPACTED_TABLES}
    assert _snapshot(archive) == before
    with archive.connect(read_only=True) as con:
        assert _in_pair_order(con, "statements") and _in_pair_order(con, "statement_sources")
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%compact%'").fetchone() == (0,)
    with archive.connect() as con, pytest.raises(duckdb.ConstraintException):  # the primary key is back
        con.execute("INSERT INTO statements SELECT * FROM statements LIMIT 1")


def test_after_compact_the_archive_migrates_and_takes_writes(archive):
    compact_archive(archive)
    again = Archive(archive.path)
    stored = again.save(store_statements, _batch(300))
    restored = again.save(store_statements, _batch(0))  # the same statements again: no new rows
    archive_with(archive.path, [ev("r9", "2025-12-20", -0.7, "We are ending the four-day week for good.")])
    detect_and_save(again)
    with again.connect(read_only=True) as con:
        assert _mismatched_sources(con)[1] == 0
        evidence = load_evidence(con, "northwind", "four-day-week")
        assert con.execute("SELECT count(*) FROM statements WHERE id = ?", [evidence[-1].id]).fetchone() == (1,)
    assert (stored.new_statements, restored.new_statements) == (13, 0)
    assert evidence[-1].text == "We are ending the four-day week for good."
    compact_archive(again)  # and again
    assert _snapshot(again)["evidence"]


def test_compact_waits_for_the_archive_like_every_write(archive):
    before = _snapshot(archive)
    code = (f"import duckdb, time; con = duckdb.connect({str(archive.path)!r}); print('held', flush=True);"
            " time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ArchiveBusy, match="locked by another process"):
            compact_archive(Archive(archive.path, lock_wait=0.5, retry_every=0.1))
    finally:
        holder.kill()
        holder.wait()
    assert _snapshot(archive) == before


def test_the_compact_command(archive, capsys):
    assert main(["--db", str(archive.path), "compact"]) == 0
    out = capsys.readouterr().out
    assert "statements (" in out and "statement_sources (" in out and "company/topic order" in out
    with archive.connect(read_only=True) as con:
        assert _in_pair_order(con, "statements")


def test_compact_says_it_does_not_rewrite_a_ducklake_archive(tmp_path, capsys):
    name = f"stancewatch_test_{uuid.uuid4().hex[:10]}"
    subprocess.run(["createdb", *PG, name], check=True, capture_output=True)
    try:
        lake = f"ducklake:postgres:dbname={name} host=127.0.0.1 port=5432 user=postgres data_path={tmp_path / 'lake'}"
        archive = Archive(lake)
        archive.save(store_statements, _batch(0))
        with pytest.raises(CompactUnsupported, match="DuckLake"):
            compact_archive(archive)
        assert main(["--db", lake, "compact"]) == 2
        assert "not supported" in capsys.readouterr().err
        with archive.connect(read_only=True) as con:
            assert _mismatched_sources(con) == (14, 0)  # the pair columns on DuckLake too
    finally:
        subprocess.run(["dropdb", *PG, "--force", name], check=False, capture_output=True)
