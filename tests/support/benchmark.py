"""The 181-page article-extraction benchmark in ../shared/data/articles, for tests and benches.

``load_benchmark`` gives the pages with their ground-truth text, ``token_f1`` scores an extraction
against it, ``write_articles_jsonl`` turns the pages into backfill JSONL (url + html per line).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from trafilatura.utils import decode_file

from tests.support.paths import shared_path

__all__ = ["BenchmarkPage", "load_benchmark", "token_f1", "write_articles_jsonl"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BenchmarkPage:
    id: str
    url: str
    html: bytes
    truth: str


def _ground_truth() -> tuple[Path, dict]:
    folder = shared_path("data", "articles")
    return folder, json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))


def load_benchmark() -> list[BenchmarkPage]:
    """The 181 pages of shared/data/articles with their ground-truth text."""
    folder, truth = _ground_truth()
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


def write_articles_jsonl(out: Path, *, compress: bool = False, limit: int | None = None) -> int:
    """Write the benchmark pages to ``out`` as backfill JSONL; returns the line count."""
    folder, truth = _ground_truth()
    page_ids = sorted(truth)[:limit]
    opener = gzip.open if compress else open
    with opener(out, "wt", encoding="utf-8") as sink:
        for page_id in page_ids:
            raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
            html = decode_file(raw)  # the page's own encoding, as trafilatura detects it
            sink.write(json.dumps({"url": truth[page_id]["url"], "html": html}, ensure_ascii=False) + "\n")
    return len(page_ids)
