"""Article extraction quality and cost on the 181-page benchmark.

    .venv/bin/python tests/bench/bench_extraction.py

Prints the mean bag-of-words token F1 of ``extract_article`` (text and
metadata) against shared/data/articles/ground-truth.json, the same for bare
``trafilatura.extract`` with its defaults, and the time ratio between them.
The helpers here are also used by tests/test_articles.py's quality gate.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.documents import ExtractionError, extract_article  # noqa: E402
from storage.records import RawDocument  # noqa: E402
from tests.httpserver import shared_path  # noqa: E402

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BenchmarkPage:
    id: str
    url: str
    html: bytes
    truth: str


def load_benchmark() -> list[BenchmarkPage]:
    """The 181 pages of shared/data/articles with their ground-truth text."""
    folder = shared_path("data", "articles")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        BenchmarkPage(
            id=page_id,
            url=entry["url"],
            html=gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()),
            truth=entry["articleBody"],
        )
        for page_id, entry in sorted(truth.items())
    ]


def token_f1(predicted: str | None, truth: str) -> float:
    """Bag-of-words F1: lower-case \\w+ tokens, multiset overlap."""
    pred = Counter(_WORD.findall((predicted or "").lower()))
    gold = Counter(_WORD.findall(truth.lower()))
    overlap = sum((pred & gold).values())
    if overlap == 0:
        return 1.0 if not pred and not gold else 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def stancewatch_text(page: BenchmarkPage) -> str | None:
    try:
        return extract_article(RawDocument(url=page.url, body=page.html)).text
    except ExtractionError:
        return None


def bare_trafilatura_text(page: BenchmarkPage) -> str | None:
    import trafilatura

    return trafilatura.extract(page.html, url=page.url)


def measure(pages: list[BenchmarkPage], extract: Callable[[BenchmarkPage], str | None]) -> tuple[float, float]:
    """(mean token F1, seconds) of ``extract`` over ``pages``."""
    started = time.perf_counter()
    scores = [token_f1(extract(page), page.truth) for page in pages]
    return sum(scores) / len(scores), time.perf_counter() - started


def main() -> None:
    pages = load_benchmark()
    bare_f1, bare_s = measure(pages, bare_trafilatura_text)
    ours_f1, ours_s = measure(pages, stancewatch_text)
    print(f"pages: {len(pages)}")
    print(f"trafilatura.extract (defaults):  F1 {bare_f1:.4f}  {bare_s:.2f} s  ({bare_s / len(pages) * 1000:.1f} ms/page)")
    print(f"extract_article (text+metadata): F1 {ours_f1:.4f}  {ours_s:.2f} s  ({ours_s / len(pages) * 1000:.1f} ms/page)")
    print(f"time ratio extract_article / bare: {ours_s / bare_s:.2f}x")


if __name__ == "__main__":
    main()
