"""Real local servers for alert tests: an SMTP server (aiosmtpd) and an HTTP sink, both on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

__all__ = ["SLACK_URL", "HttpSink", "Posted", "SmtpSink", "http_sink", "post_to_slack", "smtp_sink"]

SLACK_URL = "slack://T0AAAA1111/B0BBBB2222/abcdefghijklmnopqrstuvwx"  # an invented workspace, channel and token


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- SMTP ----------------------------------------------------------------------------


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        raw = envelope.original_content or envelope.content
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    host: str
    port: int
    collector: _Collector

    @property
    def messages(self) -> list[EmailMessage]:
        return self.collector.messages

    def url(self, *, sender: str = "alerts@example.com", to: str = "desk@example.com", userinfo: str = "") -> str:
        """An apprise mailto:// URL for this server, plain SMTP (no TLS)."""
        at = f"{userinfo}@" if userinfo else ""
        return f"mailto://{at}{self.host}:{self.port}?from={sender}&to={to}"


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """An aiosmtpd server in a thread; it offers no AUTH, so a login attempt fails (tests use that)."""
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpSink("127.0.0.1", port, collector)
    finally:
        controller.stop()


# --- HTTP sink --------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpSink:
    host: str
    port: int
    posted: list[Posted] = field(default_factory=list)
    # scripted answers, consumed in order; afterwards the default answer
    answers: list[tuple[int, bytes]] = field(default_factory=list)
    default_answer: tuple[int, bytes] = (200, b"ok")
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def answer_next(self, *answers: tuple[int, bytes]) -> None:
        with self.lock:
            self.answers.extend(answers)

    def _take_answer(self) -> tuple[int, bytes]:
        with self.lock:
            return self.answers.pop(0) if self.answers else self.default_answer


@contextmanager
def http_sink(default_answer: tuple[int, bytes] = (200, b"ok")) -> Iterator[HttpSink]:
    """An HTTP server recording every POST body; answers can be scripted (e.g. 500 'down', then 200)."""
    sink = HttpSink("127.0.0.1", 0, default_answer=default_answer)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, answer = sink._take_answer()
            with sink.lock:
                sink.posted.append(Posted(self.path, dict(self.headers.items()), body))
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args) -> None:  # keep test output quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def post_to_slack(monkeypatch, rendered) -> Posted:
    """Send a rendered alert through apprise's real Slack plugin, with Slack's own host (which cannot run
    here) replaced by a local sink: the one POST Slack would have received."""
    from apprise.plugins.slack import NotifySlack

    from alerts.deliver import send

    with http_sink() as sink:
        monkeypatch.setattr(NotifySlack, "webhook_url", f"{sink.base}/services")
        result = send(SLACK_URL, rendered)
        assert result.ok, result.error
        [posted] = sink.posted
    return posted
