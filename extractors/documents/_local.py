"""Documents from local files and folders, for backfill.

Folders are walked in sorted order for .html, .htm, .html.gz, .txt and .jsonl
files. A JSONL line is one article (see DESIGN.md, "Backfill JSONL"):

    {"url": "...", "published": "2025-07-30", "title": "...", "html": "..."}

with "text" in place of "html", "published" a date, a datetime or a bare year,
and an optional "source" (passed on verbatim as ``RawDocument.source_id``). A bad
line is reported as a ``LocalError`` with its line number and reading goes on.

Caps: a page file (.html, .htm, .txt, and .html.gz once inflated) holds at most
``MAX_FILE_BYTES``; a JSONL line at most ``MAX_LINE_BYTES`` and its "html" or
"text" at most ``MAX_FILE_BYTES`` characters. Everything is read as a capped
stream (extractors/documents/_streams.py), so a gzip bomb costs megabytes, not
what it inflates to. A folder with nothing readable in it is reported too.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from extractors.documents._streams import TooLarge, capped_lines, read_file_capped
from extractors.documents._timestamps import parse_timestamp
from storage.records import RawDocument

__all__ = ["LocalError", "count_local_documents", "iter_local_documents"]

MAX_FILE_BYTES = 20_000_000  # one HTML or text page, decoded; JSONL files are streamed instead
# One JSONL line: a page at the cap above still fits after JSON escaping of quotes and tags.
MAX_LINE_BYTES = 2 * MAX_FILE_BYTES

_HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
_TEXT_SUFFIXES = (".txt",)
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
_SUFFIXES = _HTML_SUFFIXES + _TEXT_SUFFIXES + _JSONL_SUFFIXES


@dataclass(frozen=True)
class LocalError:
    path: str
    line: int | None  # 1-based line of a JSONL file; None for a whole file
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


class _BadLine(ValueError):
    pass


def _has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    return path.name.lower().endswith(suffixes)


def _readable_in(folder: Path) -> list[Path] | LocalError:
    found = sorted(p for p in folder.rglob("*") if p.is_file() and _has_suffix(p, _SUFFIXES))
    if found:
        return found
    return LocalError(str(folder), None, f"nothing readable in this folder (looked for {', '.join(_SUFFIXES)})")


def _files(paths: Sequence[str | Path]) -> Iterator[Path | LocalError]:
    """Every file to read, folders walked in sorted order; missing paths and empty folders as errors."""
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            found = _readable_in(path)
            yield from ([found] if isinstance(found, LocalError) else found)
        elif path.is_file():
            yield path
        else:
            yield LocalError(str(path), None, "no such file or directory")


@contextmanager
def _open_binary(path: Path) -> Iterator[BinaryIO]:
    """The file's bytes, gunzipped on the fly for .gz (gzip reads in bounded chunks)."""
    with path.open("rb") as raw:
        if path.name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=raw) as inflated:
                yield inflated  # type: ignore[misc]
        else:
            yield raw


def _read_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise TooLarge(MAX_FILE_BYTES, "file")
    return read_file_capped(path, MAX_FILE_BYTES)


def _file_document(path: Path) -> RawDocument:
    url = path.resolve().as_uri()
    if _has_suffix(path, _TEXT_SUFFIXES):
        return RawDocument(url=url, text=_read_bytes(path).decode("utf-8-sig", errors="replace"))
    return RawDocument(url=url, body=_read_bytes(path))


# --- JSONL ---------------------------------------------------------------------------


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadLine(f'"{key}" must be a string, not {type(value).__name__}')
    return value.strip() or None


def _published(record: dict[str, Any]) -> datetime | None:
    value = record.get("published")
    if value is None or value == "":
        return None
    parsed = parse_timestamp(value)
    if parsed is None:
        raise _BadLine(f'"published" is not a date or datetime: {value!r}')
    return parsed


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _html_bytes(html: str) -> bytes:
    """HTML given as text is a decoded page: as UTF-8 it is what trafilatura reads first, whatever
    charset the page declares. A lone surrogate (valid JSON, not encodable) becomes U+FFFD."""
    try:
        return html.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", html).encode("utf-8")


def _line_document(line: str) -> RawDocument:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise _BadLine(f"not valid JSON: {exc}") from exc
    if not isinstance(record, dict):
        raise _BadLine(f"expected a JSON object, got {type(record).__name__}")
    url = _optional_str(record, "url")
    if url is None:
        raise _BadLine('missing "url"')
    html, text = _optional_str(record, "html"), _optional_str(record, "text")
    if html is None and text is None:
        raise _BadLine('needs a non-empty "html" or "text"')
    for key, value in (("html", html), ("text", text)):
        if value is not None and len(value) > MAX_FILE_BYTES:
            raise _BadLine(f'"{key}" is longer than {MAX_FILE_BYTES} characters')
    return RawDocument(
        url=url,
        body=_html_bytes(html) if html is not None else None,
        text=text if html is None else None,
        source_id=_optional_str(record, "source"),
        published=_published(record),
        title=_optional_str(record, "title"),
    )


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | TooLarge]]:
    """(line number, text) of every non-blank line, each read with a cap."""
    with _open_binary(path) as stream:
        for number, line in enumerate(capped_lines(stream, MAX_LINE_BYTES), start=1):
            if isinstance(line, TooLarge):
                yield number, line
                continue
            text = line.decode("utf-8", errors="replace")
            text = text.removeprefix("\ufeff") if number == 1 else text
            if text.strip():
                yield number, text


def _jsonl_documents(path: Path) -> Iterator[RawDocument | LocalError]:
    for number, line in _jsonl_lines(path):
        if isinstance(line, TooLarge):
            yield LocalError(str(path), number, str(line))
            continue
        try:
            yield _line_document(line)
        except _BadLine as exc:
            yield LocalError(str(path), number, str(exc))


# --- public ---------------------------------------------------------------------------


def iter_local_documents(paths: Sequence[str | Path]) -> Iterator[RawDocument | LocalError]:
    """Documents from files and folders, in order; problems as ``LocalError`` items."""
    for item in _files(paths):
        if isinstance(item, LocalError):
            yield item
            continue
        try:
            if _has_suffix(item, _JSONL_SUFFIXES):
                yield from _jsonl_documents(item)
            elif _has_suffix(item, _HTML_SUFFIXES + _TEXT_SUFFIXES):
                yield _file_document(item)
            else:
                yield LocalError(str(item), None, f"unsupported file type (use {', '.join(_SUFFIXES)})")
        except (OSError, ValueError, EOFError, zlib.error) as exc:
            yield LocalError(str(item), None, f"cannot read: {exc}")


def count_local_documents(paths: Sequence[str | Path]) -> int:
    """How many items ``iter_local_documents`` will yield at most (a progress total)."""
    total = 0
    for item in _files(paths):
        if isinstance(item, Path) and _has_suffix(item, _JSONL_SUFFIXES):
            try:
                total += sum(1 for _ in _jsonl_lines(item))
            except (OSError, EOFError, ValueError, zlib.error):
                total += 1
        else:
            total += 1
    return total
