"""The bundled founding articles as a news site: one HTML page each and an RSS feed listing them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape

from tests.support.httpserver import LocalHTTPServer
from tests.support.paths import REPO_SEEDS

__all__ = ["SeedPage", "seed_feed", "seed_pages"]

SeedPage = tuple[str, str, datetime]  # (url, title, published)


def seed_pages(server: LocalHTTPServer) -> list[SeedPage]:
    """Serve each seed as `/news/<slug>` (its text in <p>s, its date in the page metadata)."""
    pages = []
    for line in (REPO_SEEDS / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        slug = row["url"].rsplit("/", 1)[1]
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in row["text"].split("\n") if p.strip())
        title = escape(row.get("title") or slug)
        published = row["published"] if len(row["published"]) == 10 else f"{row['published']}-06-01"
        page = (f"<html><head><title>{title}</title><meta property='article:published_time' content='{published}'>"
                f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>")
        when = datetime.fromisoformat(published).replace(tzinfo=timezone.utc)
        pages.append((server.add_route(f"/news/{slug}", page), title, when))
    return pages


def seed_feed(pages: Sequence[SeedPage]) -> str:
    """An RSS 2.0 feed listing `pages` (empty when there are none)."""
    entries = "".join(f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
                      f"<pubDate>{format_datetime(when)}</pubDate></item>" for url, title, when in pages)
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local news</title>"
            f"<link>http://127.0.0.1/</link><description>test</description>{entries}</channel></rss>")
