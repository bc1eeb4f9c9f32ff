"""Analysis time per KB of article text, 10 KB to 1 MB: flat when analysis is linear in length.

Each article is the four founding seed articles repeated up to the size (so a longer article has
proportionally more names, quotations and statements), analysed with the bundled watchlist:
statements (attribution, topic, stance, dates: `extract_statements`, without the flow's cap, so the
algorithm itself is measured up to 1 MB) and then stored in a fresh DuckDB archive (`store_statements`).
Before the fix (issue 10, on main d065a27): 100 KB 5.4 s, 300 KB 21.5 s, 1 MB over 200 s.

Not a test: it prints one table and asserts nothing.

Run: .venv/bin/python tests/bench/bench_analysis.py [--sizes 10 30 100 300 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors.attribution import load_nlp  # noqa: E402
from extractors.statements import extract_statements  # noqa: E402
from flows.analyze import MAX_ANALYZED_CHARS  # noqa: E402
from storage.articles import ArticleBatch, save_articles  # noqa: E402
from storage.db import Archive  # noqa: E402
from storage.records import Article  # noqa: E402
from storage.statements import StatementBatch, store_statements  # noqa: E402
from tests.support.paths import REPO_SEEDS  # noqa: E402
from tests.support.seeds import seed_watchlist  # noqa: E402

PUBLISHED = datetime(2025, 8, 28, tzinfo=timezone.utc)


def seed_text() -> str:
    lines = (REPO_SEEDS / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    return "\n\n".join(json.loads(line)["text"] for line in lines)


def article_of(size_kb: int, base: str) -> Article:
    chars = size_kb * 1000
    text = ((base + "\n\n") * (chars // len(base) + 1))[:chars]
    return Article(url=f"https://bench.invalid/{size_kb}kb", text=text, published_at=PUBLISHED)


def measure(article: Article, folder: Path) -> tuple[float, float, int]:
    """(seconds to extract, seconds to store, statements) for one article."""
    watchlist = seed_watchlist()
    started = time.perf_counter()
    statements = extract_statements(article, watchlist)
    extracted = time.perf_counter()
    archive = Archive(folder / f"{len(article.text)}.duckdb")
    archive.save(save_articles, ArticleBatch((article,), PUBLISHED))
    stored_from = time.perf_counter()
    archive.save(store_statements, StatementBatch((article,), tuple(statements), datetime.now(timezone.utc)))
    return extracted - started, time.perf_counter() - stored_from, len(statements)


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100, 300, 1000], help="article sizes in KB")
    args = parser.parse_args()
    base = seed_text()
    load_nlp()
    extract_statements(article_of(5, base), seed_watchlist())  # warm up: lazy imports, compiled patterns
    print(f"analysis per KB of article text ({machine()}); the flows cap an article at "
          f"{MAX_ANALYZED_CHARS:,} characters")
    print(f"{'size':>8} {'statements':>10} {'extract s':>10} {'store s':>8} {'total s':>8} {'ms per KB':>10}")
    per_kb = {}
    with tempfile.TemporaryDirectory(prefix="stancewatch-bench-analysis-") as tmp:
        for size in args.sizes:
            extract_s, store_s, count = measure(article_of(size, base), Path(tmp))
            total = extract_s + store_s
            per_kb[size] = 1000 * total / size
            print(f"{size:>6}KB {count:>10} {extract_s:>10.2f} {store_s:>8.2f} {total:>8.2f} {per_kb[size]:>10.1f}",
                  flush=True)
    sizes = ", ".join(f"{size:,}" for size in per_kb)
    print(f"ROW\tanalysis time per KB at {sizes} KB\t{', '.join(f'{ms:.0f}' for ms in per_kb.values())} ms/KB"
          "\tflat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
