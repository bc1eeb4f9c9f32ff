"""A real HTTP/1.1 server on 127.0.0.1 for tests, in a background thread.

    with LocalHTTPServer(shared_path("data")) as server:
        url = server.url("/feeds/0346e81559b251eb.xml")
        ...
        assert all(r.conditional for r in server.requests_for("/feeds/0346e81559b251eb.xml"))

Static files under ``root`` are served with ETag and Last-Modified and answer
conditional requests with 304; ``name`` is served gzip-encoded from ``name.gz``
when only the latter exists (so ``/articles/html/<id>.html`` works). Fixed
bodies can be added with ``add_route``. Special routes for the fetcher's
failure modes:

    /delay/MS          a 200 after MS milliseconds
    /redirect/N        a chain of N redirects ending in a 200
    /redirect-to?url=U one redirect to U
    /loop              redirects to itself forever
    /slow              200, then one byte a second forever
    /big               50 MB, streamed (``/big?nolength`` omits Content-Length)
    /gzipbomb          ~100 KB of gzip that inflates to 100 MB (Content-Encoding: gzip)
    /status/NNN        that status
    /robots.txt        404, or ``Disallow`` lines from ``robots_disallow``
    /malformed-feed    an RSS content type with a body that is not a feed

Every request is recorded (``requests``), with whether it was conditional;
``max_in_flight(route)`` is the most requests for a route handled at once.
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import threading
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from tests.support.paths import shared_path

__all__ = ["MALFORMED_FEED", "LocalHTTPServer", "RecordedRequest"]

BIG_BYTES = 50_000_000
BOMB_BYTES = 100_000_000
MALFORMED_FEED = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Broken</title>\n<item><tit'


@cache
def _gzip_bomb() -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * 1_000_000
    parts = [squeeze.compress(block) for _ in range(BOMB_BYTES // len(block))]
    return b"".join(parts) + squeeze.flush()


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # as requested, query included
    status: int
    conditional: bool  # sent If-None-Match or If-Modified-Since
    user_agent: str | None
    headers: tuple[tuple[str, str], ...]

    @property
    def route(self) -> str:
        """The path without the query."""
        return urlsplit(self.path).path


@dataclass(frozen=True)
class _FixedRoute:
    body: bytes
    status: int
    content_type: str
    headers: tuple[tuple[str, str], ...]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle waits for the client's
    # delayed ACK (~40 ms) on every keep-alive response.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    # -- recording -------------------------------------------------------------

    def send_response(self, code: int, message: str | None = None) -> None:
        headers = self.headers
        self.server.owner._record(
            RecordedRequest(
                method=self.command,
                path=self.path,
                status=code,
                conditional="If-None-Match" in headers or "If-Modified-Since" in headers,
                user_agent=headers.get("User-Agent"),
                headers=tuple(headers.items()),
            )
        )
        super().send_response(code, message)

    # -- dispatch --------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:
        self._dispatch(send_body=False)

    def _dispatch(self, send_body: bool) -> None:
        parts = urlsplit(self.path)
        route, query = unquote(parts.path), parse_qs(parts.query, keep_blank_values=True)
        owner = self.server.owner
        owner._begin(route)
        try:
            self._answer(route, query, send_body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        finally:
            owner._end(route)

    def _answer(self, route: str, query: dict[str, list[str]], send_body: bool) -> None:
        """Fixed routes first, then the failure-mode routes of the module docstring, then static files."""
        if route in self.server.owner._fixed:
            self._send_fixed(self.server.owner._fixed[route], send_body)
            return
        exact = {
            "/redirect-to": lambda: self._send_redirect(query.get("url", ["/"])[0]),
            "/loop": lambda: self._send_redirect("/loop"),
            "/slow": self._drip,
            "/big": lambda: self._big(with_length="nolength" not in query, send_body=send_body),
            "/gzipbomb": lambda: self._send(200, _gzip_bomb(), "text/html", [("Content-Encoding", "gzip")], send_body),
            "/robots.txt": lambda: self._robots(send_body),
            "/malformed-feed": lambda: self._send(200, MALFORMED_FEED, "application/rss+xml", [], send_body),
        }
        prefixed = {
            "/delay/": lambda rest: self._delay(rest, send_body),
            "/redirect/": self._redirect_chain,
            "/status/": lambda rest: self._status(rest, send_body),
        }
        if route in exact:
            exact[route]()
            return
        for prefix, answer in prefixed.items():
            if route.startswith(prefix):
                answer(route.removeprefix(prefix))
                return
        self._static(route, send_body)

    # -- senders ---------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: Sequence[tuple[str, str]],
        send_body: bool,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        no_body = status == 304 or status == 204 or 100 <= status < 200
        if not no_body:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and not no_body:
            self.wfile.write(body)

    def _send_redirect(self, location: str) -> None:
        self._send(302, b"", None, [("Location", location)], send_body=True)

    def _redirect_chain(self, remaining: str) -> None:
        count = int(remaining) if remaining.isdigit() else 0
        if count <= 0:
            self._send(200, b"<html><body><p>end of the redirect chain</p></body></html>", "text/html", [], True)
        else:
            self._send_redirect(f"/redirect/{count - 1}")

    def _delay(self, milliseconds: str, send_body: bool) -> None:
        self.server.owner._stopping.wait(int(milliseconds) / 1000 if milliseconds.isdigit() else 0)
        self._send(200, b"<html><body><p>waited</p></body></html>", "text/html", [], send_body)

    def _status(self, code: str, send_body: bool) -> None:
        status = int(code) if code.isdigit() and 200 <= int(code) <= 599 else 400
        self._send(status, f"status {status}\n".encode(), "text/plain", [], send_body)

    def _robots(self, send_body: bool) -> None:
        owner = self.server.owner
        if owner.robots_delay:
            owner._stopping.wait(owner.robots_delay)
        disallow = owner.robots_disallow
        if disallow is None:
            self._send(404, b"not found\n", "text/plain", [], send_body)
            return
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), ""]
        self._send(200, "\n".join(lines).encode(), "text/plain", [], send_body)

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        stop = self.server.owner._stopping
        while not stop.is_set():
            self.wfile.write(b"x")
            self.wfile.flush()
            stop.wait(1.0)

    def _big(self, with_length: bool, send_body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if with_length:
            self.send_header("Content-Length", str(BIG_BYTES))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not send_body:
            return
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        sent, stop = 0, self.server.owner._stopping
        while sent < BIG_BYTES and not stop.is_set():
            piece = chunk[: BIG_BYTES - sent]
            self.wfile.write(piece)
            sent += len(piece)

    def _send_fixed(self, route: _FixedRoute, send_body: bool) -> None:
        etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
        headers = [("ETag", etag), *route.headers]
        if route.status == 200 and etag in _etags(self.headers.get("If-None-Match")):
            self._send(304, b"", None, headers, send_body)
        else:
            self._send(route.status, route.body, route.content_type, headers, send_body)

    def _static(self, route: str, send_body: bool) -> None:
        root = self.server.owner.root
        found = _resolve_static(root, route) if root is not None else None
        if found is None:
            self._send(404, b"not found\n", "text/plain", [], send_body)
            return
        path, gzipped = found
        stat = path.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        headers = [("ETag", etag), ("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))]
        if _not_modified(self.headers, etag, stat.st_mtime):
            self._send(304, b"", None, headers, send_body)
            return
        name = path.name.removesuffix(".gz") if gzipped else path.name
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
        self._send(200, path.read_bytes(), content_type, headers, send_body)


def _etags(header: str | None) -> set[str]:
    return {tag.strip() for tag in (header or "").split(",") if tag.strip()}


def _not_modified(headers, etag: str, mtime: float) -> bool:
    """RFC 9110: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = _etags(if_none_match)
        return "*" in tags or etag in tags or f"W/{etag}" in tags
    since = headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        parsed = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return int(mtime) <= parsed.timestamp()


def _resolve_static(root: Path, route: str) -> tuple[Path, bool] | None:
    """The file for ``route`` inside ``root`` (never outside it) and whether it is gzipped."""
    relative = route.lstrip("/")
    if not relative:
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_file():
        return candidate, False
    zipped = candidate.with_name(candidate.name + ".gz")
    if zipped.is_file():
        return zipped, True
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalHTTPServer


class LocalHTTPServer:
    """Context manager running the server on a free port of 127.0.0.1."""

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        robots_disallow: Sequence[str] | None = None,
        robots_delay: float = 0.0,
    ) -> None:
        """``robots_disallow``: paths for a ``User-agent: *`` robots.txt (None: it 404s);
        ``robots_delay``: seconds robots.txt takes to answer."""
        self.root = Path(root).resolve() if root is not None else None
        self.robots_disallow = tuple(robots_disallow) if robots_disallow is not None else None
        self.robots_delay = robots_delay
        self._fixed: dict[str, _FixedRoute] = {}
        self._records: list[RecordedRequest] = []
        self._in_flight: Counter[str] = Counter()  # by route
        self._max_in_flight: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> LocalHTTPServer:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- use -------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def add_route(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: Sequence[tuple[str, str]] = (),
    ) -> str:
        """Serve fixed ``body`` at ``path`` (with an ETag, so conditional GETs get 304); returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._fixed[path] = _FixedRoute(data, status, content_type, tuple(headers))
        return self.url(path)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._records)

    def requests_for(self, route: str) -> list[RecordedRequest]:
        """Requests whose path (without query) is ``route``."""
        return [r for r in self.requests if r.route == route]

    def count(self, route: str) -> int:
        return len(self.requests_for(route))

    def max_in_flight(self, route: str) -> int:
        """The most requests for ``route`` the server handled at once."""
        with self._lock:
            return self._max_in_flight[route]

    def clear(self) -> None:
        """Forget recorded requests and in-flight peaks."""
        with self._lock:
            self._records.clear()
            self._max_in_flight = Counter(self._in_flight)

    def _begin(self, route: str) -> None:
        with self._lock:
            self._in_flight[route] += 1
            self._max_in_flight[route] = max(self._max_in_flight[route], self._in_flight[route])

    def _end(self, route: str) -> None:
        with self._lock:
            self._in_flight[route] -= 1

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._records.append(request)


if __name__ == "__main__":  # python -m tests.support.httpserver [ROOT]: serve by hand
    import sys

    with LocalHTTPServer(sys.argv[1] if len(sys.argv) > 1 else shared_path("data")) as running:
        print(f"serving {running.root} at {running.url('/')} (Ctrl-C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
