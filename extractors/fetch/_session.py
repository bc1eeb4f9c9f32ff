"""One fetcher for a whole polling cycle, usable from any thread.

The ingest flow polls sources in batches from several worker threads. Each batch
with its own ``Fetcher`` would fetch robots.txt once per batch and multiply the
per-host limit by the number of workers. A ``FetchSession`` runs a single
``Fetcher`` on an event loop of its own: every batch shares its connection pool,
its per-host semaphores and its robots.txt cache (once per origin per cycle).

    with FetchSession(settings) as session:
        polls = session.poll(sources, validators=..., is_known=...)   # from any thread
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Coroutine, Sequence
from types import TracebackType
from typing import Any, TypeVar

import httpx

from extractors.fetch._client import Fetcher, FetchSettings
from extractors.fetch._polling import KnownLookup, SourcePoll, poll_sources
from storage.records import FetchResult, Source, Validators

__all__ = ["FetchSession"]

T = TypeVar("T")
_CLOSE_SECONDS = 10
_WAIT_SLICE = 1.0  # how often a waiting caller checks that the loop still runs


class FetchSession:
    def __init__(
        self,
        settings: FetchSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.fetcher = Fetcher(settings, transport)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fetch-session", daemon=True)
        self._closed = threading.Event()

    def __enter__(self) -> FetchSession:
        self._thread.start()
        self._call(self.fetcher.__aenter__())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closed.set()
        try:
            self._wait(asyncio.run_coroutine_threadsafe(self._close(), self._loop), timeout=_CLOSE_SECONDS)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=_CLOSE_SECONDS)
            if not self._thread.is_alive():
                self._loop.close()

    # --- public -----------------------------------------------------------------

    def poll(self, sources: Sequence[Source], *, validators: dict[str, Validators],
             is_known: KnownLookup) -> list[SourcePoll]:
        """``poll_sources`` on the shared fetcher; blocks the calling thread until done."""
        return self._call(poll_sources(sources, self.fetcher, validators=validators, is_known=is_known))

    def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        return self._call(self.fetcher.fetch(url, validators))

    # --- private ----------------------------------------------------------------

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        if self._closed.is_set():  # e.g. a task retried after the cycle ended: fail now
            coroutine.close()
            raise RuntimeError("the fetch session is closed")
        return self._wait(asyncio.run_coroutine_threadsafe(coroutine, self._loop))

    def _wait(self, future: concurrent.futures.Future[T], timeout: float | None = None) -> T:
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while True:
                try:
                    return future.result(timeout=_WAIT_SLICE)
                except concurrent.futures.TimeoutError:
                    if not self._thread.is_alive():  # the loop is gone: nothing will ever finish it
                        raise RuntimeError("the fetch session is closed") from None
                    if deadline is not None and time.monotonic() > deadline:
                        raise
        except BaseException:
            future.cancel()  # an interrupted caller leaves no poll running on
            raise

    async def _close(self) -> None:
        """Cancel what is still running (an interrupted caller's polls), then close the client."""
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await self.fetcher.__aexit__(None, None, None)
