"""Every body goes through one capped stream: a 1 MB file that inflates to 1 GB costs megabytes.

Peak memory is the child process's own ``ru_maxrss``, measured in a fresh interpreter per case.
"""

from __future__ import annotations

import gzip
import json
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from extractors.documents import (
    CappedDecoder,
    FeedError,
    LocalError,
    TooLarge,
    inflate_capped,
    iter_local_documents,
    parse_feed,
)
from tests.support import REPO, LocalHTTPServer

INFLATED_MB = 1024
PEAK_LIMIT_MB = 300


def gzip_of_zeros(megabytes: int) -> bytes:
    """A valid gzip file of ``megabytes`` MB of zeros, built in well under a second.

    After a full flush deflate restarts, so every further megabyte compresses to the same bytes.
    """
    block = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    steady = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)
    return header + first + steady * (megabytes - 1) + deflate.flush(zlib.Z_FINISH) + trailer


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = gzip_of_zeros(INFLATED_MB)
    assert len(data) < 1_100_000  # about 1 MB on disk
    return data


def peak_of(code: str) -> tuple[dict, float]:
    """Run ``code`` (which sets ``result``) in a fresh interpreter: (result, peak RSS in MB).

    The peak is the child's own high-water mark (VmHWM, reset by exec), not ru_maxrss, which Linux carries
    over from the parent across exec: under a large pytest process it would read the parent's size."""
    program = textwrap.dedent(code) + textwrap.dedent("""
        import json, re
        hwm_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
        print(json.dumps({"result": result, "peak_mb": hwm_kb / 1024}))
    """)
    done = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer["result"], answer["peak_mb"]


def test_the_bomb_really_inflates_to_a_gigabyte(bomb: bytes) -> None:
    inflate, total, rest = zlib.decompressobj(zlib.MAX_WBITS | 16), 0, bomb
    while rest:
        total += len(inflate.decompress(rest, 1 << 24))
        rest = inflate.unconsumed_tail
    assert total == INFLATED_MB << 20 and inflate.eof


def test_a_local_html_gz_bomb_is_refused_within_300_mb(tmp_path: Path, bomb: bytes) -> None:
    (tmp_path / "bomb.html.gz").write_bytes(bomb)
    (tmp_path / "fine.html").write_bytes(b"<html><body><p>fine</p></body></html>")
    result, peak = peak_of(f"""
        from extractors.documents import LocalError, iter_local_documents
        items = list(iter_local_documents([{str(tmp_path)!r}]))
        result = [str(i) if isinstance(i, LocalError) else i.url for i in items]
    """)
    assert len(result) == 2 and "bomb.html.gz" in result[0] and "exceeds 20000000 bytes" in result[0]
    assert result[1].endswith("fine.html")
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


def test_a_jsonl_gz_bomb_line_is_refused_and_counted_within_300_mb(tmp_path: Path, bomb: bytes) -> None:
    good = json.dumps({"url": "https://example.com/after", "text": "After the bomb."}).encode() + b"\n"
    (tmp_path / "lines.jsonl.gz").write_bytes(bomb + gzip.compress(b"\n" + good))  # two gzip members
    result, peak = peak_of(f"""
        from extractors.documents import LocalError, count_local_documents, iter_local_documents
        paths = [{str(tmp_path)!r}]
        items = [str(i) if isinstance(i, LocalError) else i.url for i in iter_local_documents(paths)]
        result = {{"items": items, "count": count_local_documents(paths)}}
    """)
    first, second = result["items"]
    assert first.endswith(":1: line exceeds 40000000 bytes") and second == "https://example.com/after"
    assert result["count"] == 2
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


def test_a_gzip_bomb_fetched_over_http_is_cut_at_max_bytes_within_300_mb(tmp_path: Path, bomb: bytes) -> None:
    twice = gzip.compress(bomb, compresslevel=9)  # "gzip, gzip": a few KB that inflate to 1 GB
    with LocalHTTPServer() as server:
        once_url = server.add_route("/once", bomb, headers=[("Content-Encoding", "gzip")])
        twice_url = server.add_route("/twice", twice, headers=[("Content-Encoding", "gzip, gzip")])
        result, peak = peak_of(f"""
            import asyncio
            from extractors.fetch import Fetcher, FetchSettings

            async def fetch_both():
                async with Fetcher(FetchSettings(allow_private=True, timeout=60, robots=False)) as fetcher:
                    return [(await fetcher.fetch(url)).error for url in ({once_url!r}, {twice_url!r})]

            result = asyncio.run(fetch_both())
        """)
    assert len(twice) < 20_000
    assert result == ["body exceeds 5000000 bytes"] * 2
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


def test_a_gzipped_feed_bomb_is_a_feed_error_within_300_mb(tmp_path: Path, bomb: bytes) -> None:
    (tmp_path / "feed.xml.gz").write_bytes(bomb)
    result, peak = peak_of(f"""
        from pathlib import Path
        from extractors.documents import FeedError, parse_feed
        try:
            parse_feed(Path({str(tmp_path / "feed.xml.gz")!r}).read_bytes(), "https://example.com/feed")
            result = "parsed"
        except FeedError as exc:
            result = str(exc)
    """)
    assert result == "inflated feed exceeds 67108864 bytes"
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


# --- the stream itself, in process ---------------------------------------------------------


def test_stacked_codings_and_concatenated_members_decode_in_any_chunking() -> None:
    text = b"<p>stream</p>" * 5000
    stacked = gzip.compress(zlib.compress(text))  # deflate applied first, then gzip
    members = gzip.compress(text[:1000]) + gzip.compress(text[1000:])
    for size in (1, 7, 4096, len(stacked)):
        decoder = CappedDecoder(["deflate", "gzip"], len(text))
        for start in range(0, len(stacked), size):
            decoder.feed(stacked[start : start + size])
        assert decoder.finish() == text
    assert inflate_capped(members, len(text)) == text
    assert inflate_capped(text, len(text)) == text  # not gzip: as is


def test_the_cap_is_exact() -> None:
    text = b"x" * 10_000
    assert inflate_capped(gzip.compress(text), 10_000) == text
    with pytest.raises(TooLarge, match="body exceeds 9999 bytes"):
        inflate_capped(gzip.compress(text), 9_999)
    with pytest.raises(ValueError, match="cannot decode content coding 'br'"):
        CappedDecoder(["br"], 10)


def test_a_broken_gzip_file_is_a_read_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(b"<html>" * 1000)[:-40] + b"garbage" * 10)
    [item] = iter_local_documents([tmp_path])
    assert isinstance(item, LocalError) and item.reason.startswith("cannot read:")
    with pytest.raises(FeedError, match="broken gzip data"):
        parse_feed(b"\x1f\x8b\x08\x00" + b"\x00" * 20, "https://example.com/feed")
