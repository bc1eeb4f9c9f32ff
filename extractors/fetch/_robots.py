"""robots.txt, fetched once per origin per Fetcher and cached.

RFC 9309: a robots.txt that is missing (any 4xx) allows everything; one that
cannot be reached also allows here, so a flaky robots.txt never blocks a feed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

__all__ = ["RobotsCache"]

# (status, body) of GET /robots.txt, or None when it could not be fetched.
RobotsGetter = Callable[[str], Awaitable[tuple[int, bytes] | None]]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _parser_for(response: tuple[int, bytes] | None) -> RobotFileParser | None:
    """A parser for a 2xx robots.txt; None means allow all."""
    if response is None:
        return None
    status, body = response
    if not 200 <= status < 300:
        return None
    parser = RobotFileParser()
    parser.parse(body.decode("utf-8", errors="replace").splitlines())
    return parser


class RobotsCache:
    def __init__(self, get: RobotsGetter, user_agent: str) -> None:
        self._get = get
        self._user_agent = user_agent
        self._parsers: dict[str, asyncio.Task[RobotFileParser | None]] = {}

    async def _load(self, origin: str) -> RobotFileParser | None:
        try:
            return _parser_for(await self._get(origin + "/robots.txt"))
        except Exception:  # a robots.txt we cannot read or parse allows all
            return None

    async def allowed(self, url: str) -> bool:
        origin = _origin(url)
        task = self._parsers.get(origin)
        if task is None:
            # One task per origin: concurrent fetches to a host share one robots.txt GET.
            task = asyncio.ensure_future(self._load(origin))
            self._parsers[origin] = task
        parser = await asyncio.shield(task)
        return parser is None or parser.can_fetch(self._user_agent, url)

    def close(self) -> None:
        for task in self._parsers.values():
            task.cancel()
