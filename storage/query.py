"""Users' own read-only SQL on the archive (`stancewatch sql`).

Two fences, each enough on its own for the known bypasses:

1. What DuckDB's own parser says the query is: exactly one statement, a plain SELECT (WITH ... SELECT,
   FROM-first, VALUES, SHOW, DESCRIBE, SUMMARIZE and the PRAGMAs DuckDB rewrites to a SELECT, such as
   `PRAGMA table_info('articles')`), or EXPLAIN of one without ANALYZE (which would run it). The parse
   tree (`json_serialize_sql`) is walked: only table functions that read the archive's own catalog or
   generate rows are allowed, so `read_csv(...)`, `glob(...)`, `query(...)` and `FROM 'file.csv'` or
   `'http://...'` are refused by name.
2. The connection itself (as every connection the project opens, see storage.db): read-only, external
   access off (no file or URL outside the archive), no extension install or auto-load, Python
   replacement scans off, and the configuration locked, so the query cannot switch any of that back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from storage.db import Archive

__all__ = ["QueryResult", "ReadOnlyViolation", "check_read_only", "run_readonly"]

# Table functions that read the catalog, the archive's own storage metadata or generate values.
# Anything else (read_csv, read_parquet, read_text, glob, query, sniff_csv, checkpoint, ...) is refused.
_TABLE_FUNCTIONS = frozenset({
    "duckdb_columns", "duckdb_constraints", "duckdb_databases", "duckdb_dependencies", "duckdb_extensions",
    "duckdb_functions", "duckdb_indexes", "duckdb_keywords", "duckdb_memory", "duckdb_optimizers",
    "duckdb_schemas", "duckdb_sequences", "duckdb_settings", "duckdb_tables", "duckdb_types", "duckdb_views",
    "generate_series", "range", "unnest", "repeat", "repeat_row", "json_each", "json_tree", "summary",
    "pragma_collations", "pragma_database_size", "pragma_metadata_info", "pragma_platform", "pragma_show",
    "pragma_storage_info", "pragma_table_info", "pragma_user_agent", "pragma_version",
    "pg_timezone_names", "icu_calendar_names", "histogram", "histogram_values",
})
# Scalar functions with an effect beyond the result (sequence state, the log).
_SCALAR_FUNCTIONS_REFUSED = frozenset({"nextval", "setval", "write_log"})
# A table named like a file or URL is a replacement scan that reads it.
_PATH_LIKE = re.compile(r"[/\\:]|\.[A-Za-z0-9]{1,8}$")
# EXPLAIN (FORMAT ...) is fine; any other option (ANALYZE above all) is refused.
_EXPLAIN_OPTION_WORDS = frozenset({"format", "json", "text", "html", "graphviz", "yaml", "mermaid", ","})


class ReadOnlyViolation(ValueError):
    """The query would change something or reach outside the archive; `stancewatch sql` only reads."""


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple]


def run_readonly(archive: Archive, query: str) -> QueryResult:
    """Run one read-only statement on a read-only, locked-down connection."""
    with archive.connect(read_only=True, fts=True) as con:
        statement = check_read_only(con, query)
        try:
            result = con.execute(statement)
        except duckdb.PermissionException as exc:
            raise ReadOnlyViolation(f"the query reaches outside the archive: {_first_line(exc)}") from None
        columns = tuple(d[0] for d in result.description) if result.description else ()
        rows = result.fetchall() if result.description else []
        return QueryResult(columns, rows)


def check_read_only(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """The statement to run when `query` only reads the archive; raises ReadOnlyViolation otherwise.
    `con` must already have external access off: DuckDB runs some PRAGMAs while parsing."""
    statement = _one_statement(con, query)
    kind = statement.type.name
    if kind == "SELECT":
        _check_tree(con, statement.query)
        return statement.query
    if kind == "EXPLAIN":
        inner = _explained_query(statement.query)
        explained = _one_statement(con, inner)
        if explained.type.name != "SELECT":
            raise ReadOnlyViolation(f"only EXPLAIN of a SELECT is allowed here, not of {explained.type.name}")
        _check_tree(con, explained.query)
        return statement.query
    raise ReadOnlyViolation(
        f"only SELECT, EXPLAIN (without ANALYZE) and reading PRAGMAs are allowed here, not {kind}")


def _one_statement(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    try:
        statements = con.extract_statements(query)
    except duckdb.PermissionException as exc:
        raise ReadOnlyViolation(f"the query reaches outside the archive: {_first_line(exc)}") from None
    except duckdb.Error as exc:
        raise ValueError(_first_line(exc)) from None
    if not statements:
        raise ValueError("empty query")
    if len(statements) > 1:
        kinds = ", ".join(s.type.name for s in statements)
        raise ReadOnlyViolation(f"one statement at a time, got {len(statements)} ({kinds})")
    return statements[0]


def _explained_query(text: str) -> str:
    """The statement after `EXPLAIN [(FORMAT x)]`; refuses ANALYZE and any other option."""
    tokens = duckdb.tokenize(text)
    words = [_token_text(text, offset) for offset, _ in tokens]
    if not words or words[0].lower() != "explain":
        raise ReadOnlyViolation("could not read the EXPLAIN statement")
    position = 1
    if position < len(words) and words[position] == "(":
        closing = words.index(")", position) if ")" in words[position:] else len(words)
        options = {w.lower() for w in words[position + 1:closing]}
        if not options <= _EXPLAIN_OPTION_WORDS:
            raise ReadOnlyViolation("EXPLAIN takes only (FORMAT ...) here; EXPLAIN ANALYZE would run the statement")
        position = closing + 1
    if position >= len(words):
        raise ValueError("EXPLAIN of nothing")
    if words[position].strip('"').lower() in {"analyze", "analyse"}:
        raise ReadOnlyViolation("EXPLAIN ANALYZE runs the statement; use EXPLAIN without ANALYZE")
    return text[tokens[position][0]:]


def _token_text(text: str, offset: int) -> str:
    match = re.match(r'"[^"]*"|\w+|\S', text[offset:])
    return match.group(0) if match else ""


def _check_tree(con: duckdb.DuckDBPyConnection, select_sql: str) -> None:
    row = con.execute("SELECT json_serialize_sql(?)", [select_sql]).fetchone()
    tree = json.loads(row[0]) if row else {"error": True}
    if tree.get("error"):
        raise ReadOnlyViolation(f"not a plain query: {tree.get('error_message', 'unreadable')}")
    for node in _nodes(tree["statements"]):
        kind = node.get("type") if isinstance(node.get("type"), str) else None
        if kind == "TABLE_FUNCTION":
            name = str(node.get("function", {}).get("function_name", "")).lower()
            if name not in _TABLE_FUNCTIONS:
                raise ReadOnlyViolation(f"table function {name}() is not allowed here: it reads outside the archive "
                                        "or changes state; query the archive's tables and views")
        elif node.get("class") == "FUNCTION" and str(node.get("function_name", "")).lower() in _SCALAR_FUNCTIONS_REFUSED:
            raise ReadOnlyViolation(f"{node['function_name']}() changes state; not allowed here")
        elif kind in {"BASE_TABLE", "SHOW_REF"} and _PATH_LIKE.search(str(node.get("table_name", ""))):
            raise ReadOnlyViolation(f"{node['table_name']!r} names a file or URL; only the archive's tables are readable")


def _nodes(value: Any) -> Iterator[dict]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _nodes(child)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
