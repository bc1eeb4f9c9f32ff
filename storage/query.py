"""Users' own read-only SQL on the archive."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from storage.db import Archive

__all__ = ["QueryResult", "ReadOnlyViolation", "run_readonly"]

_ALLOWED = {"SELECT", "EXPLAIN", "PRAGMA"}


class ReadOnlyViolation(ValueError):
    """The query would change something; `stancewatch sql` only reads."""


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple]


def run_readonly(archive: Archive, query: str) -> QueryResult:
    """Run one or more read-only statements on a read-only connection; return the last result."""
    with archive.connect(read_only=True, fts=True) as con:
        try:
            statements = con.extract_statements(query)
        except duckdb.ParserException as exc:
            raise ValueError(str(exc)) from None
        if not statements:
            raise ValueError("empty query")
        for statement in statements:
            kind = statement.type.name
            if kind not in _ALLOWED:
                raise ReadOnlyViolation(f"only SELECT, EXPLAIN and PRAGMA are allowed here, not {kind}")
        result = None
        for statement in statements:
            result = con.execute(statement.query)
        columns = tuple(d[0] for d in result.description) if result.description else ()
        rows = result.fetchall() if result.description else []
        return QueryResult(columns, rows)
