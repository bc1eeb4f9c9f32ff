"""Article extraction quality and cost on the 181-page benchmark.

    .venv/bin/python tests/bench/bench_extraction.py

Prints the mean bag-of-words token F1 of ``extract_article`` (text and
metadata) against shared/data/articles/ground-truth.json, the same for bare
``trafilatura.extract`` with its defaults, and the time ratio between them.
The benchmark pages and ``token_f1`` live in tests/support/benchmark.py (tests/test_articles.py's
quality gate uses them too).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors.documents import ExtractionError, extract_article  # noqa: E402
from storage.records import RawDocument  # noqa: E402
from tests.support import BenchmarkPage, load_benchmark, token_f1  # noqa: E402


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
