"""Documents from local files and folders, for backfill.

Folders are walked in sorted order for .html, .htm, .html.gz, .txt and .jsonl
files. A JSONL line is one article (see DESIGN.md, "Backfill JSONL"):

    {"url": "...", "published": "2025-07-30", "title": "...", "html": "..."}

with "text" in place of "html", "published" a date, a datetime or a bare year,
and an optional "source" (passed on verbatim as ``RawDocument.source_id``). A bad
line is reported as a ``LocalError`` with its line number and reading goes on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from extractors.documents._timestamps import parse_timestamp
from storage.records import RawDocument

__all__ = ["LocalError", "count_local_documents", "iter_local_documents"]

MAX_FILE_BYTES = 20_000_000  # one HTML or text page; JSONL files are streamed instead

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


def _files(paths: Sequence[str | Path]) -> Iterator[Path | LocalError]:
    """Every file to read, folders walked in sorted order; missing paths as errors."""
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and _has_suffix(p, _SUFFIXES))
            yield from sorted(found)
        elif path.is_file():
            yield path
        else:
            yield LocalError(str(path), None, "no such file or directory")


def _open_text(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace")
    return path.open("r", encoding="utf-8-sig", errors="replace")


def _read_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES} bytes")
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gzip.decompress(data)
        if len(data) > MAX_FILE_BYTES:
            raise ValueError(f"larger than {MAX_FILE_BYTES} bytes uncompressed")
    return data


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
    return RawDocument(
        url=url,
        body=html.encode("utf-8") if html is not None else None,
        text=text if html is None else None,
        source_id=_optional_str(record, "source"),
        published=_published(record),
        title=_optional_str(record, "title"),
    )


def _jsonl_documents(path: Path) -> Iterator[RawDocument | LocalError]:
    with _open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
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
        except (OSError, ValueError, EOFError) as exc:
            yield LocalError(str(item), None, f"cannot read: {exc}")


def _count_lines(lines: Iterable[str]) -> int:
    return sum(1 for line in lines if line.strip())


def count_local_documents(paths: Sequence[str | Path]) -> int:
    """How many items ``iter_local_documents`` will yield at most (a progress total)."""
    total = 0
    for item in _files(paths):
        if isinstance(item, Path) and _has_suffix(item, _JSONL_SUFFIXES):
            try:
                with _open_text(item) as lines:
                    total += _count_lines(lines)
            except (OSError, EOFError):
                total += 1
        else:
            total += 1
    return total
