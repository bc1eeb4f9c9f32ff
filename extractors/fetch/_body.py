"""Read a response body with a cap on the decoded size.

httpx decodes gzip a whole network chunk at a time, so one 64 KB chunk of a gzip
bomb can inflate to ~64 MB before anyone counts it (and "gzip, gzip" to far
more). Here the raw bytes go through the project's one capped stream
(``extractors.documents.CappedDecoder``), so at most ``limit + 1`` decoded bytes
ever exist, whatever the codings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from extractors.documents import DECODABLE_CODINGS, CappedDecoder, TooLarge

__all__ = ["BodyTooLarge", "read_capped"]

_CHUNK = 64 * 1024

BodyTooLarge = TooLarge  # "body exceeds N bytes"


def _declared_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _codings(response: httpx.Response) -> list[str]:
    header = response.headers.get("content-encoding", "")
    return [coding.strip().lower() for coding in header.split(",") if coding.strip()]


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The decoded body, or ``BodyTooLarge`` as soon as it passes ``limit``."""
    declared = _declared_length(response)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit)
    codings = _codings(response)
    if all(coding in DECODABLE_CODINGS for coding in codings):
        return await _read_decoded(response.aiter_raw(_CHUNK), CappedDecoder(codings, limit))
    # Codings we never ask for (br, zstd: their packages are not installed, so httpx
    # passes them through undecoded): the count still stops the read.
    return await _read_plain(response.aiter_bytes(_CHUNK), limit)


async def _read_decoded(chunks: AsyncIterator[bytes], decoder: CappedDecoder) -> bytes:
    async for chunk in chunks:
        decoder.feed(chunk)
    return decoder.finish()


async def _read_plain(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge(limit)
    return bytes(body)
