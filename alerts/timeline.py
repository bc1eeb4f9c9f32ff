"""The timeline page: one self-contained HTML file (inline SVG and CSS, no scripts, fonts or
external files) plotting a company's stance on a topic over time, each point with its quote,
speaker, date and source, and every shift marked. All article text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta

from alerts.render import defuse_text, kind_words, safe_link
from storage.records import EvidenceStatement, Shift, format_stated

__all__ = ["render_timeline_html"]

_WIDTH, _HEIGHT = 960, 380
_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 20, 30, 50
_COLORS = {"pro": "#1a7f37", "con": "#cf222e", "hedged": "#bf8700", "neutral": "#6e7781"}

_STYLE = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;margin:24px;max-width:1000px}
h1{font-size:22px;margin:0 0 4px} p.sub{color:#57606a;margin:0 0 16px}
svg{background:#fff;border:1px solid #d0d7de;border-radius:6px}
.axis{stroke:#8c959f;stroke-width:1} .grid{stroke:#eaeef2;stroke-width:1} .zero{stroke:#8c959f;stroke-dasharray:4 3}
.lbl{font-size:11px;fill:#57606a} .shift{stroke:#8250df;stroke-width:2} .band{fill:#8250df;opacity:.08}
.shiftlbl{font-size:12px;fill:#8250df;font-weight:600}
table{border-collapse:collapse;width:100%;margin-top:20px;font-size:13px}
th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa} .stance{font-variant-numeric:tabular-nums;white-space:nowrap}
.pro{color:#1a7f37} .con{color:#cf222e} .hedged{color:#bf8700} .neutral{color:#6e7781}
ul.shifts li{margin-bottom:6px}
"""


def render_timeline_html(
    entity_name: str,
    topic_name: str,
    statements: Sequence[EvidenceStatement],
    shifts: Sequence[Shift],
) -> str:
    ordered = sorted({s.id: s for s in statements}.values(), key=lambda s: (s.stated_at, s.id))
    title = f"{entity_name} on {topic_name}"
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(title)} — Stancewatch timeline</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="sub">{len(ordered)} statement(s), {len(shifts)} shift(s). '
        "Stance +1 = for the proposition, −1 = against; a larger dot counts more as evidence.</p>",
        _svg(ordered, shifts) if ordered else "<p>No statements yet.</p>",
        _shift_list(shifts),
        _table(ordered),
        "</body></html>",
    ])


# --- the plot ------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(defuse_text(text), quote=True)


class _Scale:
    def __init__(self, first: date, last: date):
        pad = max(7, (last - first).days // 20)
        self.start = first - timedelta(days=pad)
        self.span = max(1, (last - first).days + 2 * pad)

    def x(self, when: date) -> float:
        return _LEFT + (when - self.start).days / self.span * (_WIDTH - _LEFT - _RIGHT)

    @staticmethod
    def y(stance: float) -> float:
        clamped = max(-1.0, min(1.0, stance))
        return _TOP + (1 - clamped) / 2 * (_HEIGHT - _TOP - _BOTTOM)


def _svg(statements: Sequence[EvidenceStatement], shifts: Sequence[Shift]) -> str:
    dates = [s.stated_at for s in statements] + [s.stated_at for sh in shifts for s in (*sh.before, *sh.after)]
    scale = _Scale(min(dates), max(dates))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
             f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-label="stance over time">']
    parts += _axes(scale)
    parts += [_shift_mark(shift, scale) for shift in shifts if shift.after]
    parts += [_point(s, scale) for s in statements]
    parts.append("</svg>")
    return "".join(parts)


def _axes(scale: _Scale) -> list[str]:
    right, bottom = _WIDTH - _RIGHT, _HEIGHT - _BOTTOM
    parts = []
    for stance, label in ((1, "+1 for"), (0.5, "+0.5"), (0, "0 hedged"), (-0.5, "−0.5"), (-1, "−1 against")):
        y = scale.y(stance)
        css = "zero" if stance == 0 else "grid"
        parts.append(f'<line class="{css}" x1="{_LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}"/>')
        parts.append(f'<text class="lbl" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    parts.append(f'<line class="axis" x1="{_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/>')
    for tick in _ticks(scale):
        x = scale.x(tick)
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}"/>')
        text = str(tick.year) if tick.month == 1 else f"{tick:%b} {tick.year}"
        parts.append(f'<text class="lbl" x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">{text}</text>')
    return parts


def _ticks(scale: _Scale) -> list[date]:
    """First days of months (or of years for long spans), at most about ten."""
    end = scale.start + timedelta(days=scale.span)
    months = (end.year - scale.start.year) * 12 + end.month - scale.start.month + 1
    step = max(1, -(-months // 10))
    if step > 6:
        step = 12 * max(1, -(-months // 120))
    ticks: list[date] = []
    year, month = scale.start.year, scale.start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        tick = date(year, month, 1)
        if tick > end:
            return ticks
        index = (year * 12 + month - 1)
        if index % step == 0:
            ticks.append(tick)


def _point(s: EvidenceStatement, scale: _Scale) -> str:
    x, y = scale.x(s.stated_at), scale.y(s.stance)
    radius = 3.5 + 4 * min(1.0, s.weight or 0.0)
    color = _COLORS.get(s.stance_label, _COLORS["neutral"])
    tooltip = (f"{format_stated(s.stated_at, s.stated_precision)} · {s.speaker} ({kind_words(s.kind)})"
               f" · stance {s.stance:+.2f}{' · denial' if s.is_denial else ''}\n“{s.text}”"
               + (f"\n{s.url}" if s.url else ""))
    if s.is_denial:
        shape = (f'<rect x="{x - radius:.1f}" y="{y - radius:.1f}" width="{2 * radius:.1f}" '
                 f'height="{2 * radius:.1f}" transform="rotate(45 {x:.1f} {y:.1f})" fill="#fff" '
                 f'stroke="{color}" stroke-width="2">')
        close = "</rect>"
    else:
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{color}" fill-opacity=".75" stroke="#fff">'
        close = "</circle>"
    element = f"{shape}<title>{_esc(tooltip)}</title>{close}"
    link = safe_link(s.url)
    if link:
        return f'<a href="{html.escape(link, quote=True)}" target="_blank" rel="noopener noreferrer">{element}</a>'
    return element


def _shift_mark(shift: Shift, scale: _Scale) -> str:
    change = min(s.stated_at for s in shift.after)
    last_before = max((s.stated_at for s in shift.before), default=change)
    x0, x1 = scale.x(last_before), scale.x(change)
    top, bottom = _TOP, _HEIGHT - _BOTTOM
    label = f"{shift.direction} ({shift.confidence:.2f})"
    anchor = "end" if x1 > _WIDTH * 0.75 else "start"
    text_x = x1 - 4 if anchor == "end" else x1 + 4
    return (
        f'<g class="shiftmark"><rect class="band" x="{x0:.1f}" y="{top}" width="{max(0.0, x1 - x0):.1f}" '
        f'height="{bottom - top}"/><line class="shift" x1="{x1:.1f}" y1="{top}" x2="{x1:.1f}" y2="{bottom}"/>'
        f'<text class="shiftlbl" x="{text_x:.1f}" y="{top - 8}" text-anchor="{anchor}">{_esc(label)}</text>'
        f"<title>{_esc(' '.join(shift.reasons) or label)}</title></g>"
    )


# --- below the plot --------------------------------------------------------------------------------


def _shift_list(shifts: Sequence[Shift]) -> str:
    if not shifts:
        return "<h2>Shifts</h2><p>No shift detected.</p>"
    items = []
    for shift in sorted(shifts, key=lambda sh: min((s.stated_at for s in sh.after), default=date.min)):
        since = min(shift.after, key=lambda s: s.stated_at) if shift.after else None
        when = format_stated(since.stated_at, since.stated_precision) if since else "?"
        items.append(f"<li><b>{_esc(shift.direction)}</b> since {_esc(when)}: stance {shift.from_stance:+.2f} → "
                     f"{shift.to_stance:+.2f}, confidence {shift.confidence:.2f}. {_esc(' '.join(shift.reasons))}</li>")
    return '<h2>Shifts</h2><ul class="shifts">' + "".join(items) + "</ul>"


def _table(statements: Sequence[EvidenceStatement]) -> str:
    rows = []
    for s in statements:
        link = safe_link(s.url)
        source = f'<a href="{html.escape(link, quote=True)}">source</a>' if link else _esc(s.url or "")
        css = s.stance_label if s.stance_label in _COLORS else "neutral"
        rows.append(
            f"<tr><td>{_esc(format_stated(s.stated_at, s.stated_precision))}</td><td>{_esc(s.speaker)}"
            f"{' (' + _esc(s.speaker_role) + ')' if s.speaker_role else ''}</td>"
            f"<td>{_esc(kind_words(s.kind))}{' · denial' if s.is_denial else ''}</td>"
            f'<td class="stance {css}">{s.stance:+.2f} {_esc(s.stance_label)}</td>'
            f"<td>“{_esc(s.text)}”</td><td>{source}</td></tr>"
        )
    return ("<h2>Statements</h2><table><thead><tr><th>Said</th><th>Speaker</th><th>Kind</th><th>Stance</th>"
            "<th>Quote</th><th>Source</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
