"""Maintenance: rewrite the statement tables in (entity, topic) order, so one pair's rows sit together.

Statements arrive in batches that touch every pair, so each row group of `statements` and
`statement_sources` holds some rows of every pair and a pair's query reads the whole table. Written
again in pair order, a pair lies in one or two row groups and DuckDB's zone maps skip the rest
(the timeline query of a 1M-statement archive: see tests/bench/bench_archive.py).

The rewrite keeps every row and column, the table's definition (keys, defaults, NOT NULL), its
indexes and comments; views name tables, not storage, so they keep working. It runs in one
transaction: on any error nothing changed. New statements arrive in batch order again, so it is
worth running after a large backfill, and now and then.

A DuckDB file only: a DuckLake archive keeps its rows in Parquet files, one set per committed batch,
and is not rewritten here.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from storage.db import Archive, in_transaction

__all__ = ["COMPACTED_TABLES", "CompactSummary", "CompactUnsupported", "compact_archive", "compact_tables"]

# table -> the order it is rewritten in (its pair first, then a stable key)
COMPACTED_TABLES: dict[str, str] = {
    "statements": "entity_id, topic_id, stated_at, id",
    "statement_sources": "entity_id, topic_id, statement_id, article_id",
}
_OLD_SUFFIX = "__before_compact"


class CompactUnsupported(RuntimeError):
    """The archive is of a kind that `compact` does not rewrite (DuckLake)."""


@dataclass(frozen=True)
class CompactSummary:
    tables: tuple[tuple[str, int], ...]  # (table, rows), each the same before and after


@dataclass(frozen=True)
class _Definition:
    create: str  # CREATE TABLE ... as the catalog has it now (columns added by migrations included)
    indexes: tuple[str, ...]
    comment: str | None
    column_comments: tuple[tuple[str, str], ...]


def compact_tables(con: duckdb.DuckDBPyConnection, *, dialect: str = "duckdb") -> CompactSummary:
    """Rewrite each of COMPACTED_TABLES in pair order; call it inside the write transaction (`in_transaction`).
    Raises CompactUnsupported on DuckLake, and RuntimeError (so the transaction rolls back) if a count differs."""
    _refuse_unless_file(dialect)
    return CompactSummary(tuple((table, _rewrite(con, table, order)) for table, order in COMPACTED_TABLES.items()))


def _refuse_unless_file(dialect: str) -> None:
    if dialect != "duckdb":
        raise CompactUnsupported("compact rewrites a DuckDB file archive; a DuckLake archive keeps its rows in"
                                 " Parquet files, one set per committed batch, and is not rewritten (not supported)")


def _rewrite(con: duckdb.DuckDBPyConnection, table: str, order: str) -> int:
    definition = _definition(con, table)
    before = _count(con, table)
    old = table + _OLD_SUFFIX
    for index in _index_names(con, table):  # DuckDB will not rename a table that has indexes
        con.execute(f'DROP INDEX "{index}"')
    con.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    con.execute(definition.create)
    con.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}" ORDER BY {order}')
    con.execute(f'DROP TABLE "{old}"')
    for index in definition.indexes:
        con.execute(index)
    if definition.comment is not None:
        con.execute(f"COMMENT ON TABLE \"{table}\" IS {_literal(definition.comment)}")
    for column, comment in definition.column_comments:
        con.execute(f'COMMENT ON COLUMN "{table}"."{column}" IS {_literal(comment)}')
    after = _count(con, table)
    if after != before:
        raise RuntimeError(f"compact of {table}: {before} rows before, {after} after; nothing was changed")
    return after


def _definition(con: duckdb.DuckDBPyConnection, table: str) -> _Definition:
    found = con.execute("SELECT sql, comment FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'"
                        " AND database_name = current_database()", [table]).fetchone()
    if found is None:
        raise RuntimeError(f"compact: no table {table} in the archive")
    indexes = con.execute("SELECT sql FROM duckdb_indexes() WHERE table_name = ? AND schema_name = 'main'"
                          " AND database_name = current_database() ORDER BY index_name", [table]).fetchall()
    columns = con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?"
                          " AND schema_name = 'main' AND database_name = current_database() AND comment IS NOT NULL"
                          " ORDER BY column_index", [table]).fetchall()
    return _Definition(create=found[0], indexes=tuple(row[0] for row in indexes if row[0]), comment=found[1],
                       column_comments=tuple((name, comment) for name, comment in columns))


def _index_names(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = ? AND schema_name = 'main'"
                       " AND database_name = current_database()", [table]).fetchall()
    return [row[0] for row in rows]


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return int(row[0]) if row else 0


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def compact_archive(archive: Archive) -> CompactSummary:
    """`compact_tables` in one write transaction on `archive`: it waits for the archive like every write
    (ArchiveBusy when another process keeps it), and never goes to the spool."""
    _refuse_unless_file(archive.dialect)
    with archive.connect() as con:
        summary = in_transaction(con, compact_tables, dialect=archive.dialect)
        con.execute("CHECKPOINT")  # the old row groups' blocks are free for reuse from here on
    return summary
