"""The fetcher against a real HTTP server on 127.0.0.1 (tests/support/httpserver.py)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from extractors.fetch import Fetcher, FetchSession, FetchSettings, SourcePoll, public_address_problem
from storage.records import FetchResult, Source, Validators
from tests.support import LocalHTTPServer, shared_path
from tests.support.polling import HostConcurrencyServer

FEED_DIR = shared_path("data", "feeds")
A_FEED = "/feeds/" + sorted(p.name for p in FEED_DIR.glob("*.xml"))[0]

# Loopback is allowed explicitly here; the default refuses it (tested below).
LOCAL = FetchSettings(allow_private=True, timeout=2.0)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer(shared_path("data")) as running:
        yield running


def fetch(url: str, validators: Validators | None = None, settings: FetchSettings = LOCAL) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, validators)

    return asyncio.run(go())


def fetch_all(
    requests: list[tuple[str, Validators | None]], settings: FetchSettings = LOCAL, on_done=None
) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch_all(requests, on_done=on_done)

    return asyncio.run(go())


# --- conditional GET ---------------------------------------------------------------


def test_conditional_get_is_a_304_without_body(server: LocalHTTPServer) -> None:
    first = fetch(server.url(A_FEED))
    assert first.ok and first.body == (FEED_DIR / A_FEED.rsplit("/", 1)[1]).read_bytes()
    assert first.validators.etag and first.validators.last_modified

    again = fetch(server.url(A_FEED), first.validators)

    assert (again.status, again.body, again.error) == (304, None, None)
    assert again.not_modified and not again.ok
    assert again.validators == first.validators  # kept for the next poll
    last = server.requests_for(A_FEED)[-1]
    assert last.conditional and last.status == 304


def test_if_modified_since_alone_also_gets_304(server: LocalHTTPServer) -> None:
    first = fetch(server.url(A_FEED))
    again = fetch(server.url(A_FEED), Validators(last_modified=first.validators.last_modified))
    assert again.status == 304 and again.body is None


def test_every_shared_feed_twice_second_poll_is_all_304(server: LocalHTTPServer) -> None:
    paths = [f"/feeds/{p.name}" for p in sorted(FEED_DIR.glob("*.xml"))]
    done: list[FetchResult] = []

    first = fetch_all([(server.url(p), None) for p in paths], on_done=done.append)
    assert [r.status for r in first] == [200] * len(paths)
    assert len(done) == len(paths)
    assert [r.url for r in first] == [server.url(p) for p in paths]  # input order

    server.clear()
    second = fetch_all([(server.url(p), r.validators) for p, r in zip(paths, first, strict=True)])

    assert {(r.status, r.body, r.error) for r in second} == {(304, None, None)}
    feed_requests = [r for r in server.requests if r.route.startswith("/feeds/")]
    assert len(feed_requests) == len(paths)
    assert all(r.conditional and r.status == 304 for r in feed_requests)


# --- limits -----------------------------------------------------------------------


def test_failures_end_as_results_within_the_limit_while_a_good_url_succeeds(server: LocalHTTPServer) -> None:
    expected_errors = {
        "/big": "body exceeds 5000000 bytes",  # Content-Length checked before reading
        "/big?nolength": "body exceeds 5000000 bytes",  # counted while streaming
        "/gzipbomb": "body exceeds 5000000 bytes",  # counted after decoding
        "/loop": "redirect loop",
        "/redirect/9": "too many redirects",
        "/slow": "timed out after 2s",
        "/status/404": "HTTP 404",
        "/status/503": "HTTP 503",
    }
    paths = [*expected_errors, A_FEED]
    started = time.monotonic()

    results = fetch_all([(server.url(p), None) for p in paths])

    wall = time.monotonic() - started
    by_path = dict(zip(paths, results, strict=True))
    for path, error in expected_errors.items():
        assert by_path[path].error is not None and by_path[path].error.startswith(error), path
        assert by_path[path].body is None, path
        assert by_path[path].elapsed_ms is not None and by_path[path].elapsed_ms < 2600, path
    assert by_path["/status/404"].status == 404
    assert by_path[A_FEED].ok and by_path[A_FEED].body
    assert wall < 5, f"fetch_all took {wall:.1f}s with a 2 s limit"


def test_a_short_redirect_chain_is_followed(server: LocalHTTPServer) -> None:
    result = fetch(server.url("/redirect/3"))
    assert result.ok and result.final_url == server.url("/redirect/0")
    assert result.url == server.url("/redirect/3")
    assert b"end of the redirect chain" in result.body


@pytest.mark.parametrize(
    ("target", "error"),
    [("ftp://example.com/x", "bad redirect: unsupported URL scheme 'ftp'"), ("http://[::1", "Invalid URL")],
)
def test_a_redirect_to_an_unusable_url_is_an_error(server: LocalHTTPServer, target: str, error: str) -> None:
    result = fetch(server.url("/redirect-to?url=" + quote(target, safe="")))
    assert result.error is not None and error in result.error


def test_per_host_limit_caps_concurrent_requests(server: LocalHTTPServer) -> None:
    server.clear()
    settings = FetchSettings(allow_private=True, timeout=5.0, per_host=2, robots=False)
    started = time.monotonic()

    results = fetch_all([(server.url("/delay/300"), None) for _ in range(6)], settings)

    assert all(r.ok for r in results)
    assert server.max_in_flight("/delay/300") == 2
    assert time.monotonic() - started >= 0.85  # three rounds of 300 ms


def test_user_agent_is_sent(server: LocalHTTPServer) -> None:
    settings = FetchSettings(allow_private=True, user_agent="StancewatchTest/9.9")
    fetch(server.url("/status/200"), settings=settings)
    assert server.requests_for("/status/200")[-1].user_agent == "StancewatchTest/9.9"


# --- refusals ----------------------------------------------------------------------


def test_loopback_is_refused_by_default(server: LocalHTTPServer) -> None:
    before = server.count("/status/200")
    result = fetch(server.url("/status/200"), settings=FetchSettings(timeout=2.0))
    assert result.error == "refused: 127.0.0.1 is not a public address"
    assert result.status is None and result.body is None
    assert server.count("/status/200") == before  # no connection was made


def test_a_name_resolving_to_loopback_is_refused(server: LocalHTTPServer) -> None:
    result = fetch(f"http://localhost:{server.port}/status/200", settings=FetchSettings(timeout=2.0))
    assert result.error is not None and result.error.startswith("refused: ")
    assert "is not a public address" in result.error


def test_loopback_is_allowed_when_private_addresses_are(server: LocalHTTPServer) -> None:
    assert fetch(server.url("/status/200")).ok


def test_every_connection_is_checked_by_the_network_backend(server: LocalHTTPServer) -> None:
    # Redirects open their connections through this same backend, so they are covered too.
    from extractors.fetch._transport import AddressRefused, _GuardedBackend

    async def connect(allow_private: bool) -> None:
        stream = await _GuardedBackend(allow_private).connect_tcp("127.0.0.1", server.port, timeout=2)
        await stream.aclose()

    with pytest.raises(AddressRefused, match="refused: 127.0.0.1 is not a public address"):
        asyncio.run(connect(allow_private=False))
    asyncio.run(connect(allow_private=True))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    problem = public_address_problem(address)
    assert problem is not None and problem.startswith("refused: ")


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert public_address_problem(address) is None


@pytest.mark.parametrize(
    "url", ["ftp://example.com/feed", "file:///etc/passwd", "javascript:alert(1)", "not a url", "http://"]
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    result = fetch(url)
    assert result.error is not None and result.status is None


def test_a_closed_port_is_an_error_result() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/")
    assert result.error is not None and result.error.startswith("cannot connect")


# --- robots.txt ---------------------------------------------------------------------


def test_robots_txt_disallow_is_honoured_and_fetched_once() -> None:
    with LocalHTTPServer(shared_path("data"), robots_disallow=["/feeds/"]) as server:
        results = fetch_all([(server.url(A_FEED), None), (server.url("/status/200"), None)])
        ignoring = fetch(server.url(A_FEED), settings=FetchSettings(allow_private=True, robots=False))

        assert results[0].error == "disallowed by robots.txt" and results[0].status is None
        assert results[1].ok
        assert server.count("/robots.txt") == 1
        assert ignoring.ok  # robots=False skips the check
        assert server.count(A_FEED) == 1  # only the robots=False fetch reached it


def test_a_session_shared_by_threads_fetches_robots_once_and_keeps_the_host_limit() -> None:
    with HostConcurrencyServer(shared_path("data"), robots_disallow=["/private/"]) as server:
        sources = [Source(name=f"page {n}", kind="url", url=server.url(f"/delay/{20 + n}")) for n in range(24)]
        with FetchSession(FetchSettings(allow_private=True, timeout=5, per_host=3)) as session:
            def poll(batch: list[Source]) -> list[SourcePoll]:
                return session.poll(batch, validators={}, is_known=lambda urls: set())

            with ThreadPoolExecutor(max_workers=4) as pool:  # like the flow's task workers
                polls = [p for batch in pool.map(poll, [sources[i::4] for i in range(4)]) for p in batch]
        robots = server.count("/robots.txt")
        most_at_once = server.host_max_in_flight
    assert all(p.error is None and len(p.documents) == 1 for p in polls)
    assert robots == 1  # once per origin for the whole session, not once per thread or batch
    assert 1 < most_at_once <= 3  # per_host holds across the threads


def test_missing_robots_txt_allows_everything(server: LocalHTTPServer) -> None:
    assert server.robots_disallow is None  # the shared server answers /robots.txt with 404
    assert fetch(server.url(A_FEED)).ok


def test_a_robots_txt_that_does_not_answer_allows_the_page() -> None:
    with LocalHTTPServer(shared_path("data"), robots_disallow=["/"], robots_delay=30) as server:
        started = time.monotonic()
        result = fetch(server.url(A_FEED), settings=FetchSettings(allow_private=True, timeout=3.0))
        assert result.ok, result.error
        assert time.monotonic() - started < 3  # robots.txt gets a third of the limit


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="per_host must be at least 1; timeout must be positive"):
        FetchSettings(per_host=0, timeout=0)
