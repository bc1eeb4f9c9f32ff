"""Many small feeds on one local host, for the polling scale test and benchmark.

``serve_many_feeds`` adds ``count`` RSS feeds to a ``LocalHTTPServer``, each with one item linking to
its own small article page on the same server; ``write_poll_config`` writes a config polling them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from tests.support.httpserver import LocalHTTPServer

__all__ = ["HostConcurrencyServer", "serve_many_feeds", "write_poll_config"]

_WATCHLIST = """\
entities:
  - {{id: acme, name: Acme, aliases: [Acme Corp]}}
topics:
  - {{id: remote-work, name: Remote work, keywords: [remote work], pro: [remote work], con: [office mandate]}}
fetch: {{per_host: {per_host}, timeout: 20, robots: true, allow_private: true}}
lock_wait: 30
"""

_PAGE = """<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>
<p>Story number {n} reports that the city council met on Tuesday to discuss the budget for the coming year.</p>
<p>Members debated transport, housing and school funding for several hours before a vote was taken.</p>
<p>The final plan for story {n} passed by a narrow margin, and a review is expected next spring.</p>
</article></body></html>"""


class HostConcurrencyServer(LocalHTTPServer):
    """A ``LocalHTTPServer`` that also records the most requests it handled at once, all routes together."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._host_lock = threading.Lock()
        self._host_now = 0
        self.host_max_in_flight = 0

    def _begin(self, route: str) -> None:
        super()._begin(route)
        with self._host_lock:
            self._host_now += 1
            self.host_max_in_flight = max(self.host_max_in_flight, self._host_now)

    def _end(self, route: str) -> None:
        super()._end(route)
        with self._host_lock:
            self._host_now -= 1


def serve_many_feeds(server: LocalHTTPServer, count: int) -> list[str]:
    """Add ``count`` feeds (``/feeds/N.xml``) and their pages (``/pages/N.html``); returns the feed URLs."""
    feeds = []
    for n in range(count):
        page = server.add_route(f"/pages/{n}.html", _PAGE.format(n=n))
        item = f"<item><title>Story {n}</title><link>{page}</link><pubDate>Tue, 01 Jul 2025 10:00:00 GMT</pubDate></item>"
        feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
                f"{item}</channel></rss>")
        feeds.append(server.add_route(f"/feeds/{n}.xml", feed, content_type="application/rss+xml"))
    return feeds


def write_poll_config(folder: Path, feed_urls: Sequence[str], *, per_host: int = 4) -> Path:
    config = folder / "stancewatch.yaml"
    sources = "".join(f'  - {{name: "feed {n}", feed: "{url}"}}\n' for n, url in enumerate(feed_urls))
    config.write_text(f"database: {folder / 'archive.duckdb'}\nsources:\n{sources}"
                      + _WATCHLIST.format(per_host=per_host), encoding="utf-8")
    return config
