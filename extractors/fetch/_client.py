"""Polite, capped, SSRF-guarded HTTP fetching.

Every request ends as a ``FetchResult``: a network problem, a refused address,
a huge body or a slow server is a result with a readable ``error``, never an
exception. Conditional GET turns an unchanged page into a bodiless 304.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from types import TracebackType

import httpx

from extractors.fetch._body import BodyTooLarge, read_capped
from extractors.fetch._robots import RobotsCache
from extractors.fetch._transport import AddressRefused, GuardedTransport
from storage.records import FetchResult, Validators

__all__ = ["FetchSettings", "Fetcher"]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 512 * 1024  # the big crawlers read the first 500 KiB
_MAX_IN_FLIGHT = 64  # across all hosts, so a long list cannot exhaust sockets


@dataclass(frozen=True)
class FetchSettings:
    per_host: int = 4
    timeout: float = 30.0  # total seconds per request, redirects included
    max_bytes: int = 5_000_000  # decoded body size
    robots: bool = True
    allow_private: bool = False
    user_agent: str = "Stancewatch/0.1 (+https://github.com/stancewatch)"
    max_redirects: int = 5

    def __post_init__(self) -> None:
        problems = [
            f"{name} must be {rule}"
            for name, ok, rule in (
                ("per_host", self.per_host >= 1, "at least 1"),
                ("timeout", self.timeout > 0, "positive"),
                ("max_bytes", self.max_bytes >= 1, "at least 1"),
                ("max_redirects", self.max_redirects >= 0, "0 or more"),
            )
            if not ok
        ]
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def robots_timeout(self) -> float:
        """A slow robots.txt must not use up the first page's whole time limit."""
        return max(1.0, self.timeout / 3)


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched, or None."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        return f"invalid URL: {exc}"
    if parsed.scheme not in ("http", "https"):
        return f"unsupported URL scheme {parsed.scheme!r} (only http and https)"
    if not parsed.host:
        return "invalid URL: no host"
    return None


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _response_validators(response: httpx.Response, sent: Validators | None) -> Validators:
    """The response's validators; a 304 that omits them keeps the ones sent."""
    etag = response.headers.get("etag")
    last_modified = response.headers.get("last-modified")
    if response.status_code == 304 and sent is not None:
        etag = etag or sent.etag
        last_modified = last_modified or sent.last_modified
    return Validators(etag=etag, last_modified=last_modified)


def _refusal(exc: BaseException) -> AddressRefused | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, AddressRefused):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _describe(exc: Exception, timeout: float) -> str:
    refused = _refusal(exc)
    if refused is not None:
        return str(refused)
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g}s"
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {detail}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"protocol error: {detail}"
    return f"{type(exc).__name__}: {detail}" if str(exc) else detail


class Fetcher:
    """``async with Fetcher(settings) as f: await f.fetch(url)``.

    ``transport`` swaps the network layer (an ``httpx.AsyncBaseTransport``);
    by default every connection goes through the SSRF guard.
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._robots: RobotsCache | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._all_slots = asyncio.Semaphore(_MAX_IN_FLIGHT)
        self._exit_stack = AsyncExitStack()

    async def __aenter__(self) -> Fetcher:
        limits = httpx.Limits(max_connections=_MAX_IN_FLIGHT + 16, max_keepalive_connections=32)
        transport = self._transport or GuardedTransport(
            allow_private=self.settings.allow_private, http2=True, limits=limits
        )
        self._client = await self._exit_stack.enter_async_context(
            httpx.AsyncClient(
                transport=transport,
                http2=True,
                timeout=httpx.Timeout(self.settings.timeout),
                follow_redirects=False,  # followed here: robots, scheme and loop checks per hop
                headers={"User-Agent": self.settings.user_agent},
                trust_env=False,  # a proxy from the environment would bypass the SSRF guard
            )
        )
        self._robots = RobotsCache(self._get_robots_txt, self.settings.user_agent)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._robots is not None:
            self._robots.close()
        await self._exit_stack.aclose()
        self._client = None

    # --- public ---------------------------------------------------------------

    async def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET ``url``; every failure is a result with ``error`` set."""
        problem = _url_problem(url)
        if problem:
            return FetchResult(url=url, error=problem)
        if self._client is None:
            raise RuntimeError("use Fetcher as 'async with Fetcher(...) as fetcher'")
        # The host's slot first: waiting for a busy host must not hold a global slot.
        async with self._slot(httpx.URL(url).host), self._all_slots:
            started = time.monotonic()
            try:
                async with asyncio.timeout(self.settings.timeout):
                    result = await self._follow(url, validators)
            except TimeoutError:
                result = FetchResult(url=url, error=f"timed out after {self.settings.timeout:g}s")
            except Exception as exc:  # never raise for one URL's problem
                result = FetchResult(url=url, error=f"unexpected {type(exc).__name__}: {exc}")
            elapsed_ms = round((time.monotonic() - started) * 1000)
            return replace(result, url=url, elapsed_ms=elapsed_ms)

    async def fetch_all(
        self,
        requests: Sequence[tuple[str, Validators | None]],
        on_done: Callable[[FetchResult], None] | None = None,
    ) -> list[FetchResult]:
        """Fetch concurrently (at most ``per_host`` at once per host); results in input order."""

        async def one(url: str, validators: Validators | None) -> FetchResult:
            result = await self.fetch(url, validators)
            if on_done is not None:
                on_done(result)
            return result

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(url, validators)) for url, validators in requests]
        return [task.result() for task in tasks]

    # --- private --------------------------------------------------------------

    def _slot(self, host: str) -> asyncio.Semaphore:
        key = host.lower()
        if key not in self._host_slots:
            self._host_slots[key] = asyncio.Semaphore(self.settings.per_host)
        return self._host_slots[key]

    async def _follow(self, url: str, validators: Validators | None) -> FetchResult:
        current, seen = url, {url}
        for _ in range(self.settings.max_redirects + 1):
            if self.settings.robots and not await self._robots_allow(current):
                return FetchResult(url=url, final_url=current, error="disallowed by robots.txt")
            outcome = await self._exchange(current, validators)
            if isinstance(outcome, FetchResult):
                return outcome
            problem = _url_problem(outcome)
            if problem:
                return FetchResult(url=url, final_url=outcome, error=f"bad redirect: {problem}")
            if outcome in seen:
                return FetchResult(url=url, final_url=outcome, error=f"redirect loop at {outcome}")
            seen.add(outcome)
            current = outcome
        return FetchResult(
            url=url,
            final_url=current,
            error=f"too many redirects (more than {self.settings.max_redirects})",
        )

    async def _robots_allow(self, url: str) -> bool:
        assert self._robots is not None
        return await self._robots.allowed(url)

    async def _exchange(self, url: str, validators: Validators | None) -> FetchResult | str:
        """One GET: a result, or the URL a redirect points to."""
        assert self._client is not None
        try:
            request = self._client.build_request("GET", url, headers=_conditional_headers(validators))
            response = await self._client.send(request, stream=True)
            try:
                return await self._read_response(url, response, validators)
            finally:
                await response.aclose()
        except BodyTooLarge as exc:
            return FetchResult(url=url, error=str(exc))
        except zlib.error as exc:
            return FetchResult(url=url, error=f"cannot decode body: {exc}")
        except httpx.InvalidURL as exc:  # an unusable Location header
            return FetchResult(url=url, error=f"bad redirect: {exc}")
        except httpx.HTTPError as exc:
            return FetchResult(url=url, error=_describe(exc, self.settings.timeout))

    async def _read_response(
        self, url: str, response: httpx.Response, validators: Validators | None
    ) -> FetchResult | str:
        status = response.status_code
        location = response.headers.get("location")
        if status in _REDIRECT_STATUSES and location:
            return str(response.url.join(location.strip()))
        found = FetchResult(
            url=url,
            final_url=str(response.url),
            status=status,
            content_type=response.headers.get("content-type"),
            validators=_response_validators(response, validators),
        )
        if status == 304:  # before any error check: unchanged is not a failure
            return found
        if status >= 400:
            return replace(found, error=f"HTTP {status}")
        try:
            body = await read_capped(response, self.settings.max_bytes)
        except BodyTooLarge as exc:
            return replace(found, error=str(exc))
        return replace(found, body=body)

    async def _get_robots_txt(self, robots_url: str) -> tuple[int, bytes] | None:
        """(status, body) of a robots.txt, following redirects; None if unreachable."""
        assert self._client is not None
        current = robots_url
        try:
            async with asyncio.timeout(self.settings.robots_timeout):
                for _ in range(self.settings.max_redirects + 1):
                    async with self._client.stream("GET", current) as response:
                        location = response.headers.get("location")
                        if response.status_code in _REDIRECT_STATUSES and location:
                            current = str(response.url.join(location.strip()))
                            continue
                        if response.status_code >= 300:
                            return response.status_code, b""
                        return response.status_code, await read_capped(response, _ROBOTS_MAX_BYTES)
        except (httpx.HTTPError, TimeoutError, BodyTooLarge, zlib.error):
            return None
        return None
