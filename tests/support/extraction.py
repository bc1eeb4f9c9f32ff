"""Article extraction scored against ground truth, ours and bare trafilatura's in the same run.

Two page sets: the 181 shared pages (``shared_pages``: text truth from the benchmark, date truth
from the date in the page's own URL where it has one) and any folder laid out like newspaper4k's
test data (``newspaper4k_pages``: ``html/NAME.html``, ``txt/NAME.txt``, ``metadata/NAME.json``
with ``url`` and ``publish_date``).

Text is scored on the page as fetched (its URL given). Dates are scored with the URL withheld and
the page's canonical link removed, for both extractors alike: otherwise htmldate reads the date
from the URL and every dated URL is trivially right.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import trafilatura

from extractors.documents import ExtractionError, extract_article
from storage.records import RawDocument
from tests.support.benchmark import load_benchmark, token_f1

__all__ = [
    "EXTRACTORS",
    "Extraction",
    "Score",
    "ScoredPage",
    "bare_trafilatura",
    "newspaper4k_pages",
    "score",
    "shared_pages",
    "stancewatch",
]

_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
_CANONICAL = re.compile(rb"<link\b[^>]*\brel\s*=\s*[\"']?canonical[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class ScoredPage:
    id: str
    url: str
    html: bytes
    truth: str
    truth_date: date | None  # None: no known date, not scored for dates


@dataclass(frozen=True)
class Extraction:
    text: str | None
    published: date | None


@dataclass(frozen=True)
class Score:
    pages: int
    mean_f1: float
    empty: int  # pages with no text at all
    dated: int  # pages with a known date
    dates_right: int
    seconds: float  # text extraction time over all pages (URL given)

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.dated if self.dated else 1.0


def _url_date(url: str) -> date | None:
    match = _URL_DATE.search(url)
    if match is None:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def shared_pages() -> list[ScoredPage]:
    """The 181 shared pages; a date is known where the page's URL spells one."""
    return [ScoredPage(p.id, p.url, p.html, p.truth, _url_date(p.url)) for p in load_benchmark()]


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value).date()


def newspaper4k_pages(folder: Path) -> list[ScoredPage]:
    """Pages of newspaper4k's test data that have both HTML and expected text."""
    pages = []
    for html in sorted((folder / "html").glob("*.html")):
        text = folder / "txt" / f"{html.stem}.txt"
        if not text.exists():
            continue
        meta_file = folder / "metadata" / f"{html.stem}.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        url = meta.get("url") or f"https://example.invalid/{html.stem}"
        pages.append(ScoredPage(html.stem, url, html.read_bytes(), text.read_text(encoding="utf-8"),
                                _iso_date(meta.get("publish_date"))))
    return pages


def _without_url(html: bytes) -> bytes:
    return _CANONICAL.sub(b"", html)


def stancewatch(page: ScoredPage, *, hide_url: bool = False) -> Extraction:
    url = f"file:///pages/{page.id}.html" if hide_url else page.url
    html = _without_url(page.html) if hide_url else page.html
    try:
        article = extract_article(RawDocument(url=url, body=html))
    except ExtractionError:
        return Extraction(None, None)
    return Extraction(article.text, article.published_at.date() if article.published_at else None)


def bare_trafilatura(page: ScoredPage, *, hide_url: bool = False) -> Extraction:
    """``trafilatura.bare_extraction`` with its defaults (metadata on, so it looks for a date)."""
    html = _without_url(page.html) if hide_url else page.html
    found = trafilatura.bare_extraction(html, url=None if hide_url else page.url, with_metadata=True)
    if found is None:
        return Extraction(None, None)
    return Extraction(found.text, date.fromisoformat(found.date[:10]) if found.date else None)


EXTRACTORS: dict[str, Callable[..., Extraction]] = {
    "extract_article": stancewatch,
    "bare_extraction": bare_trafilatura,
}


def score(pages: Sequence[ScoredPage], extract: Callable[..., Extraction]) -> Score:
    """Mean token F1 (URL given), date accuracy (URL withheld) and the text run's time."""
    started = time.perf_counter()
    texts = [extract(page).text for page in pages]
    seconds = time.perf_counter() - started
    dated = [page for page in pages if page.truth_date is not None]
    right = sum(extract(page, hide_url=True).published == page.truth_date for page in dated)
    f1s = [token_f1(text, page.truth) for text, page in zip(texts, pages)]
    return Score(
        pages=len(pages),
        mean_f1=sum(f1s) / len(f1s),
        empty=sum(1 for text in texts if not text),
        dated=len(dated),
        dates_right=right,
        seconds=seconds,
    )
