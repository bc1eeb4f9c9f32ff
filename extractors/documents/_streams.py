"""Capped reading of bytes that may be compressed: HTTP bodies, local files, gzipped feeds.

Every decoded body in the project comes through ``CappedDecoder``: raw chunks go in,
gzip/deflate layers are undone with ``max_length`` so at most ``limit + 1`` decoded
bytes (plus one 64 KB piece per inner layer) ever exist, and ``TooLarge`` is raised
the moment the decoded size passes the limit. A 1 MB file that inflates to 1 GB
costs a few MB, not the gigabyte.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "DECODABLE_CODINGS",
    "CappedDecoder",
    "TooLarge",
    "capped_lines",
    "inflate_capped",
    "is_gzip",
    "read_file_capped",
]

CHUNK = 64 * 1024
DECODABLE_CODINGS = frozenset({"gzip", "x-gzip", "deflate", "identity"})
_GZIP_MAGIC = b"\x1f\x8b"


class TooLarge(ValueError):
    """Decoded bytes past the cap."""

    def __init__(self, limit: int, what: str = "body") -> None:
        super().__init__(f"{what} exceeds {limit} bytes")
        self.limit = limit


class _Inflater:
    """One gzip or deflate layer that never produces more than asked for."""

    def __init__(self, coding: str) -> None:
        self._gzip = coding in ("gzip", "x-gzip")
        self._first = True
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes, max_length: int) -> bytes:
        first, self._first = self._first, False
        try:
            return self._inflate.decompress(data, max_length)
        except zlib.error:
            if self._gzip or not first:
                raise
            # Some servers send raw deflate (no zlib header) as "deflate".
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._inflate.decompress(data, max_length)

    def more(self, max_length: int) -> bytes:
        """Output still pending from input already fed (the next gzip member too)."""
        tail = self._inflate.unconsumed_tail
        if tail:
            return self._inflate.decompress(tail, max_length)
        if self._gzip and self._inflate.eof and self._inflate.unused_data:
            return self._next_member(max_length)
        return b""

    def _next_member(self, max_length: int) -> bytes:
        # Concatenated gzip files are one gzip file; anything else after the end is ignored.
        rest = self._inflate.unused_data
        if not is_gzip(rest):
            return b""
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        return self._inflate.decompress(rest, max_length)


class CappedDecoder:
    """Undo ``codings`` (in the order they were applied, as Content-Encoding lists them) with a cap.

    ``feed`` raw chunks, then ``finish`` for the decoded bytes; ``TooLarge`` as soon as
    they pass ``limit``; ``zlib.error`` for corrupt data.
    """

    def __init__(self, codings: Sequence[str], limit: int, what: str = "body") -> None:
        unknown = [c for c in codings if c not in DECODABLE_CODINGS]
        if unknown:
            raise ValueError(f"cannot decode content coding {unknown[0]!r}")
        self._layers = [_Inflater(c) for c in reversed(codings) if c != "identity"]
        self._limit = limit
        self._what = what
        self._body = bytearray()

    def feed(self, raw: bytes) -> None:
        self._push(0, raw)

    def finish(self) -> bytes:
        return bytes(self._body)

    def _room(self) -> int:
        return self._limit + 1 - len(self._body)

    def _push(self, depth: int, data: bytes) -> None:
        if depth == len(self._layers):
            self._body += data
            if len(self._body) > self._limit:
                raise TooLarge(self._limit, self._what)
            return
        layer = self._layers[depth]
        last = depth == len(self._layers) - 1
        piece = layer.feed(data, self._room() if last else CHUNK)
        while True:
            if piece:
                self._push(depth + 1, piece)
            piece = layer.more(self._room() if last else CHUNK)
            if not piece:
                return


def is_gzip(data: bytes) -> bool:
    return data.startswith(_GZIP_MAGIC)


def inflate_capped(data: bytes, limit: int, what: str = "body") -> bytes:
    """``data`` itself (at most ``limit`` bytes), or its gunzipped content when it is gzip."""
    decoder = CappedDecoder(["gzip"] if is_gzip(data) else [], limit, what)
    for start in range(0, len(data), CHUNK):
        decoder.feed(data[start : start + CHUNK])
    return decoder.finish()


def read_file_capped(path: Path, limit: int) -> bytes:
    """A file's bytes, gunzipped when it is gzip, never holding more than ``limit`` decoded bytes."""
    with path.open("rb") as stream:
        head = stream.read(len(_GZIP_MAGIC))
        gzipped = is_gzip(head)
        decoder = CappedDecoder(["gzip"] if gzipped else [], limit, "uncompressed file" if gzipped else "file")
        decoder.feed(head)
        while chunk := stream.read(CHUNK):
            decoder.feed(chunk)
    return decoder.finish()


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while (piece := stream.readline(CHUNK)) and not piece.endswith(b"\n"):
        pass


def capped_lines(stream: BinaryIO, max_line: int) -> Iterator[bytes | TooLarge]:
    """Lines of a binary stream, each at most ``max_line`` bytes; a longer one is ``TooLarge`` and skipped."""
    while line := stream.readline(max_line + 1):
        if len(line) > max_line and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield TooLarge(max_line, "line")
        else:
            yield line
