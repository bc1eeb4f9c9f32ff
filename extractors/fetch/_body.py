"""Read a response body with a cap on the decoded size.

httpx decodes gzip a whole network chunk at a time, so one 64 KB chunk of a gzip
bomb can inflate to ~64 MB before anyone counts it. Here the raw bytes are
inflated with ``max_length`` so at most ``limit + 1`` decoded bytes ever exist.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

import httpx

__all__ = ["BodyTooLarge", "read_capped"]

_CHUNK = 64 * 1024


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body exceeds {limit} bytes")


class _Inflater:
    """gzip/deflate decoding that never produces more than asked for."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._first = True
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS)

    def _retry_raw_deflate(self, data: bytes, max_length: int) -> bytes:
        # Some servers send raw deflate (no zlib header) as "deflate".
        self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inflate.decompress(data, max_length)

    def feed(self, data: bytes, max_length: int) -> bytes:
        first, self._first = self._first, False
        try:
            return self._inflate.decompress(data, max_length)
        except zlib.error:
            if self._gzip or not first:
                raise
            return self._retry_raw_deflate(data, max_length)

    def more(self, max_length: int) -> bytes:
        """Output still pending from input already fed."""
        tail = self._inflate.unconsumed_tail
        return self._inflate.decompress(tail, max_length) if tail else b""


def _declared_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The decoded body, or ``BodyTooLarge`` as soon as it passes ``limit``."""
    declared = _declared_length(response)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit)
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return await _read_plain(response.aiter_raw(_CHUNK), limit)
    if encoding in ("gzip", "x-gzip", "deflate"):
        return await _read_inflated(response, _Inflater(encoding), limit)
    # Other codings (br, zstd when their packages exist): httpx decodes them;
    # the count still stops the read, only the per-chunk peak is not bounded.
    return await _read_plain(response.aiter_bytes(_CHUNK), limit)


async def _read_plain(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge(limit)
    return bytes(body)


async def _read_inflated(response: httpx.Response, inflater: _Inflater, limit: int) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_raw(_CHUNK):
        piece = inflater.feed(chunk, limit + 1 - len(body))
        while piece:
            body += piece
            if len(body) > limit:
                raise BodyTooLarge(limit)
            piece = inflater.more(limit + 1 - len(body))
    return bytes(body)
