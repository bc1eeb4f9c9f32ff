"""Alert rendering: one shift as plain text, email HTML and the HTML apprise turns into Slack's format.

Everything that comes from an article (quotes, speakers, URLs) is untrusted: it is
HTML-escaped, Slack mentions (@channel, @here, @everyone, <!channel>, <@U123>) and
Slack link forms (<http://...|label>) are broken so they show as text, and only
http(s) URLs become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from storage.records import EvidenceStatement, Shift, format_stated

__all__ = [
    "RenderedAlert", "defuse_text", "direction_words", "kind_words", "render_alert", "render_digest", "safe_link",
]

_ZWSP = "\u200b"
_MENTION = re.compile(r"@(?=(channel|here|everyone|group)\b)", re.IGNORECASE)
_SLACK_CONTROL = re.compile(r"<(?=[!@#]|[a-z][a-z0-9+.-]*:)", re.IGNORECASE)
_SCHEME_SEPARATOR = re.compile(r"://")
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)
_VERB = {"pro": "supporting", "con": "opposing", "hedged": "hedging on", "neutral": "neutral on"}
_NOUN = {"pro": "support", "con": "opposition", "hedged": "a hedged position", "neutral": "no position"}
_SLACK_QUOTE_MAX = 280
_QUOTES_PER_SIDE = 2


@dataclass(frozen=True)
class RenderedAlert:
    title: str
    text: str  # plain text (webhooks, SMS-like targets, logs, the CLI)
    html: str  # email body
    slack_html: str  # compact HTML; apprise converts it to Slack mrkdwn


# --- public helpers --------------------------------------------------------------


def defuse_text(text: str) -> str:
    """Plain text that no chat target turns into a mention or a control sequence."""
    text = _MENTION.sub("@" + _ZWSP, text)
    return _SLACK_CONTROL.sub("<" + _ZWSP, text)


def safe_link(url: str | None) -> str | None:
    """The URL if it is an http(s) link, else None (no javascript:, data:, file: ...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def direction_words(direction: str) -> tuple[str, str]:
    """('supporting', 'opposing') for 'pro->con'."""
    start, _, end = direction.partition("->")
    return _VERB.get(start, start), _VERB.get(end, end)


def render_alert(shift: Shift, entity_name: str, topic_name: str) -> RenderedAlert:
    start, _, end = shift.direction.partition("->")
    title = f"{entity_name}: from {_NOUN.get(start, start)} to {_NOUN.get(end, end)} on {topic_name}"
    was, now = direction_words(shift.direction)
    headline = f"{entity_name} moved from {was} to {now} “{topic_name}”."
    midpoint = (shift.from_stance + shift.to_stance) / 2
    before = _pick(shift.before, latest=True, side=shift.from_stance, midpoint=midpoint)
    after = _pick(shift.after, latest=False, side=shift.to_stance, midpoint=midpoint)
    denials = _pick(shift.denials, latest=False)
    return RenderedAlert(
        title=title,
        text=_text(shift, headline, before, after, denials),
        html=_email_html(shift, title, headline, before, after, denials),
        slack_html=_slack_html(shift, headline, before, after, denials),
    )


def render_digest(alerts: Sequence[RenderedAlert], *, day: date) -> RenderedAlert:
    """Several alerts as one message (the daily digest)."""
    if len(alerts) == 1:
        return alerts[0]
    title = f"Stancewatch: {len(alerts)} stance shifts ({day.isoformat()})"
    text = f"{title}\n\n" + "\n\n----------\n\n".join(a.text for a in alerts)
    bodies = "<hr>".join(_body_of(a.html) for a in alerts)
    email = f"{_EMAIL_HEAD}<h2>{_esc(title)}</h2>{bodies}</body></html>"
    slack = "".join(f"<p><b>{_esc(a.title)}</b></p>{a.slack_html}" for a in alerts)
    return RenderedAlert(title=title, text=text, html=email, slack_html=slack)


# --- choosing what to show ----------------------------------------------------------


def _pick(statements: Sequence[EvidenceStatement], *, latest: bool,
          side: float | None = None, midpoint: float = 0.0) -> list[EvidenceStatement]:
    """The strongest statements of a position: of the old one among its last few, of the new one
    among all. With `side`, only statements on that side of the midpoint between the
    two positions count (a period's odd one out is not its example), unless none is."""
    if side is not None:
        typical = [s for s in statements if (s.stance - midpoint) * (side - midpoint) > 0]
        statements = typical or list(statements)
    # the old position as it stood last; the new one at its strongest
    candidates = sorted(statements, key=lambda s: (s.stated_at, s.id), reverse=True)[:5] if latest else statements
    strongest = sorted(candidates, key=lambda s: (-(s.weight or 0.0), s.stated_at, s.id))[:_QUOTES_PER_SIDE]
    return sorted(strongest, key=lambda s: (s.stated_at, s.id))


def _when(s: EvidenceStatement) -> str:
    return format_stated(s.stated_at, s.stated_precision)


def _who(s: EvidenceStatement) -> str:
    if s.speaker_role and s.speaker_role.lower() not in s.speaker.lower():
        return f"{s.speaker}, {s.speaker_role}"
    return s.speaker


# Every StatementKind as words for people; an unknown kind shows as stored.
_KIND_WORDS = {
    "direct": "direct quote",
    "indirect": "paraphrase",
    "report": "report",
    "own": "the company's own words",
    "action": "narrated action",
}


def kind_words(kind: str) -> str:
    """How a statement reached us, in words: "direct quote", "narrated action", ..."""
    return _KIND_WORDS.get(kind, kind)


def _confidence_words(confidence: float) -> str:
    level = "high" if confidence >= 0.8 else "medium" if confidence >= 0.6 else "low"
    return f"{confidence:.2f} ({level})"


# --- plain text ----------------------------------------------------------------------


def _text(shift: Shift, headline: str, before, after, denials) -> str:
    lines = [headline, f"Stance {shift.from_stance:+.2f} -> {shift.to_stance:+.2f} on a -1..+1 scale; "
                       f"confidence {_confidence_words(shift.confidence)}.", ""]
    for label, statements in (("Before", before), ("After", after), ("Denied by the company", denials)):
        if not statements:
            continue
        lines.append(f"{label}:")
        for s in statements:
            lines.append(f"  “{defuse_text(s.text)}”")
            lines.append(f"    — {defuse_text(_who(s))}, {_when(s)} ({kind_words(s.kind)})")
            link = safe_link(s.url)
            if link:
                lines.append(f"    {defuse_text(link)}")
        lines.append("")
    if shift.reasons:
        lines.append("Why:")
        lines.extend(f"  - {defuse_text(r)}" for r in shift.reasons)
    return "\n".join(lines).rstrip()


# --- email HTML ---------------------------------------------------------------------------

_EMAIL_HEAD = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    '<body style="font-family:Helvetica,Arial,sans-serif;color:#222;max-width:760px">'
)


def _esc(text: str) -> str:
    return html.escape(defuse_text(text), quote=True)


def _email_html(shift: Shift, title: str, headline: str, before, after, denials) -> str:
    parts = [
        _EMAIL_HEAD,
        f"<h2 style=\"margin-bottom:4px\">{_esc(title)}</h2>",
        f"<p>{_esc(headline)}<br>Stance {shift.from_stance:+.2f} &rarr; {shift.to_stance:+.2f} "
        f"(scale &minus;1..+1); confidence {_esc(_confidence_words(shift.confidence))}.</p>",
        # side by side; each cell carries its own heading so the text/plain alternative reads in order
        '<table cellpadding="8" style="border-collapse:collapse;width:100%"><tr>',
        f'<td valign="top" style="width:50%"><h3>Before</h3>{_email_quotes(before)}</td>',
        f'<td valign="top" style="width:50%"><h3>After</h3>{_email_quotes(after)}</td>',
        "</tr></table>",
    ]
    if denials:
        parts.append("<h3>Denied by the company</h3>" + _email_quotes(denials))
    if shift.reasons:
        parts.append("<h3>Why</h3><ul>" + "".join(f"<li>{_esc(r)}</li>" for r in shift.reasons) + "</ul>")
    parts.append("</body></html>")
    return "".join(parts)


def _email_quotes(statements: Sequence[EvidenceStatement]) -> str:
    return "".join(
        '<blockquote style="margin:0 0 12px 0;padding-left:10px;border-left:3px solid #999">'
        f"&ldquo;{_esc(s.text)}&rdquo;<br><small>{_esc(_who(s))}, {_esc(_when(s))} "
        f"({_esc(kind_words(s.kind))}){_email_link(s.url)}</small></blockquote>"
        for s in statements
    )


def _email_link(url: str | None) -> str:
    link = safe_link(url)
    if not link:
        return ""
    return f' &middot; <a href="{html.escape(link, quote=True)}">source</a>'


def _body_of(document: str) -> str:
    start = document.find(">", document.find("<body")) + 1
    end = document.rfind("</body>")
    return document[start:end] if start > 0 and end > start else document


# --- Slack HTML -------------------------------------------------------------------------------


def _slack_esc(text: str, limit: int | None = None) -> str:
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    # Slack links bare URLs by itself: article text must not become a link
    unlinked = _WWW.sub(r"\1" + _ZWSP + ".", _SCHEME_SEPARATOR.sub(":" + _ZWSP + "//", defuse_text(text)))
    return html.escape(unlinked, quote=True)


def _slack_html(shift: Shift, headline: str, before, after, denials) -> str:
    parts = [f"<p><b>{_slack_esc(headline)}</b><br>Stance {shift.from_stance:+.2f} → {shift.to_stance:+.2f}, "
             f"confidence {_slack_esc(_confidence_words(shift.confidence))}</p>"]
    for label, statements in (("Before", before), ("After", after), ("Denied by the company", denials)):
        if statements:
            parts.append(f"<p><b>{label}</b></p>" + "".join(_slack_quote(s) for s in statements))
    if shift.reasons:
        parts.append("<p><b>Why</b></p><ul>" + "".join(f"<li>{_slack_esc(r, 300)}</li>" for r in shift.reasons)
                     + "</ul>")
    return "".join(parts)


def _slack_quote(s: EvidenceStatement) -> str:
    link = safe_link(s.url)
    source = f' <a href="{html.escape(link, quote=True)}">source</a>' if link else ""
    # compact: a direct quote goes unlabelled, anything else (a paraphrase, a narrated action ...) says so
    kind = "" if s.kind == "direct" else f" ({_slack_esc(kind_words(s.kind))})"
    return (f"<blockquote>“{_slack_esc(s.text, _SLACK_QUOTE_MAX)}” — {_slack_esc(_who(s), 120)}, "
            f"{_slack_esc(_when(s))}{kind}{source}</blockquote>")
