"""Delivery through apprise: one Apprise object per target, so each channel's outcome is known.

Channels are recorded under a redacted label (scheme, host, port and a short
fingerprint), never the URL itself. Error reasons come from apprise's own log lines
for that attempt and are scrubbed of the URL and every part of it that may be secret.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise
from apprise.plugins.email import NotifyEmail
from apprise.plugins.slack import NotifySlack

from alerts.render import RenderedAlert
from storage.records import stable_id

__all__ = ["AlertSettings", "SendResult", "redact", "scrub", "send", "send_test"]

log = logging.getLogger("stancewatch.alerts")

_REASON_MAX = 500
_HOSTNAME = re.compile(r"^(localhost|[0-9a-f:]*:[0-9a-f:.]+|([a-z0-9-]+\.)+[a-z0-9-]+)$", re.IGNORECASE)
_APPRISE_LOGGER = "apprise"


@dataclass(frozen=True)
class AlertSettings:
    urls: tuple[str, ...] = ()
    min_confidence: float = 0.6
    max_attempts: int = 8
    backoff_seconds: float = 60.0
    throttle_per_hour: int | None = None
    digest: bool = False


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str | None = None  # secrets removed
    channel: str = ""  # the redacted label of the target


def redact(url: str) -> str:
    """A label for a target that is safe to store and show: 'mailto://smtp.example.com #3f9a1c'.

    The fingerprint (a hash of the URL without its password) tells two channels on one
    host apart; user names, passwords, tokens and paths never appear.
    """
    target = _parse(url)
    if _is_hostname(target.host):
        port = f":{target.port}" if target.port.isdigit() else ""
        host = f"[{target.host}]" if ":" in target.host else target.host.lower()
        shown = f"{host}{port}"
    else:
        shown = "***" if target.host or target.port else ""
    return f"{target.scheme or 'unknown'}://{shown} #{stable_id(_without_password(url), length=6)}"


def scrub(message: str, url: str) -> str:
    """The message with the URL and every possibly secret part of it replaced by ***."""
    secrets = _secrets_of(url)
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, "***")
    for masked in sorted(_masked_forms(secrets), key=len, reverse=True):
        message = message.replace(masked, "***")
    return message


def _masked_forms(secrets: set[str]) -> set[str]:
    """How apprise's privacy mode prints a secret: its first and last characters ('p...d') or its last four
    ('...word'); even those leak part of it, so they go too."""
    forms = set()
    for secret in secrets:
        if len(secret) >= 2:
            forms.update({f"{secret[0]}...{secret[-1]}", f"...{secret[-4:]}"})
    return forms


def send(url: str, rendered: RenderedAlert) -> SendResult:
    """Send one rendered alert to one apprise URL; never raises, never leaks the URL's secrets."""
    channel = redact(url)
    notifier = apprise.Apprise()
    with _apprise_log() as captured:
        try:
            if not notifier.add(url):
                return SendResult(False, scrub(_reason(captured.getvalue()) or "not a usable apprise URL", url), channel)
            body, body_format = _body_for(notifier[0], rendered)
            ok = notifier.notify(body=body, title=rendered.title, body_format=body_format)
        except Exception as exc:  # a plugin bug must not stop the other channels
            ok = False
            captured.write(f"ERROR - {type(exc).__name__}: {exc}\n")
    if ok:
        return SendResult(True, None, channel)
    reason = scrub(_reason(captured.getvalue()) or "the target refused the message (no reason given)", url)
    log.debug("send to %s failed: %s", channel, reason)  # the outbox logs the attempt
    return SendResult(False, reason, channel)


def send_test(urls: Sequence[str]) -> list[SendResult]:
    """`stancewatch alerts test`: a short test message to every configured channel."""
    message = RenderedAlert(
        title="Stancewatch test message",
        text="Stancewatch can reach this channel. Shift alerts will arrive here.",
        html="<p>Stancewatch can reach this channel. Shift alerts will arrive here.</p>",
        slack_html="<p>Stancewatch can reach this channel. Shift alerts will arrive here.</p>",
    )
    return [send(url, message) for url in urls]


# --- formats per target -----------------------------------------------------------


def _body_for(plugin: object, rendered: RenderedAlert) -> tuple[str, str]:
    if isinstance(plugin, NotifySlack):
        return rendered.slack_html, apprise.NotifyFormat.HTML  # apprise converts HTML to Slack mrkdwn
    if isinstance(plugin, NotifyEmail):
        return rendered.html, apprise.NotifyFormat.HTML  # apprise adds a text/plain alternative
    return rendered.text, apprise.NotifyFormat.TEXT


# --- apprise's log, captured per attempt ------------------------------------------------


@contextmanager
def _apprise_log() -> Iterator:
    """apprise's log lines for one attempt, at debug level, kept out of the application's handlers.

    Debug lines carry the real reason (e.g. the SMTP reply) but also raw target URLs, so
    while capturing they do not propagate unless the application asked for apprise debug logs.
    """
    logger = logging.getLogger(_APPRISE_LOGGER)
    wanted_debug = logger.isEnabledFor(logging.DEBUG)
    propagate = logger.propagate
    if not wanted_debug:
        logger.propagate = False
    try:
        with apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s - %(message)s") as captured:
            yield captured
    finally:
        logger.propagate = propagate


def _reason(log_text: str) -> str:
    """The informative lines of a failed attempt: warnings/errors, and exception details."""
    picked: list[str] = []
    for line in log_text.splitlines():
        level, _, message = line.partition(" - ")
        message = message.strip()
        if not message:
            continue
        informative = level in ("WARNING", "ERROR", "CRITICAL") or re.search(
            r"exception|error|refused|denied|timed out|timeout|unreachable|not supported|authentication",
            message, re.IGNORECASE)
        if informative and not message.lower().startswith(("response details", "slack payload")):
            if message not in picked:
                picked.append(message)
    return " | ".join(picked)[:_REASON_MAX]


# --- secrets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    user: str
    password: str
    host: str  # as written (case kept: for some schemes it is a token)
    port: str  # as written; not always a number (tgram://BOT:TOKEN/...)
    path: str
    query: str
    fragment: str


def _parse(url: str) -> _Target:
    parts = urlsplit(url.strip())
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        port = rest.lstrip(":")
    else:
        host, _, port = hostport.partition(":")
    return _Target(parts.scheme.lower(), user, password, host, port, parts.path, parts.query, parts.fragment)


def _without_password(url: str) -> str:
    target = _parse(url)
    if not target.password:
        return url.strip()
    return url.strip().replace(f":{target.password}@", "@", 1)


def _secrets_of(url: str) -> set[str]:
    target = _parse(url)
    found = {url, url.strip()}
    candidates = [(target.password, 3), (target.user if target.password else "", 3)]
    if target.port and not target.port.isdigit():
        candidates.append((target.port, 3))
    if target.host and not _is_hostname(target.host):
        candidates.append((target.host, 3))  # slack://TOKEN_A/..., tgram://BOT:TOKEN/...: the "host" is a token
    candidates += [(segment, 4) for segment in target.path.split("/")]
    candidates += [(value, 6) for _, value in parse_qsl(target.query)]
    candidates.append((target.fragment, 4))
    for candidate, shortest in candidates:
        if candidate and len(candidate) >= shortest and not candidate.isdigit():
            found.update({candidate, unquote(candidate)})
    return {s for s in found if s}


def _is_hostname(host: str) -> bool:
    return bool(_HOSTNAME.match(host))
