"""What a run found, published to the Prefect UI as artifacts (keys stable per archive, so the UI keeps history)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence

from storage.records import Delivery, EvidenceStatement, Shift, Watchlist, format_stated

__all__ = ["analyze_markdown", "artifact_key", "deliveries_table", "publish_markdown", "publish_table"]

log = logging.getLogger("stancewatch.artifacts")

_QUOTES_PER_SIDE = 2
_QUOTE_CHARS = 280


def artifact_key(kind: str, database: str) -> str:
    """`stancewatch-analyze-1a2b3c4d`: Prefect keys take lowercase letters, digits and dashes."""
    return f"stancewatch-{kind}-{hashlib.sha256(database.encode()).hexdigest()[:10]}"


def analyze_markdown(new_statements: Mapping[tuple[str, str], int], new: Sequence[Shift], updated: Sequence[Shift],
                     watchlist: Watchlist, articles: int) -> str:
    lines = [f"# Analysis: {articles} articles", "", "## New statements by company and topic", ""]
    if new_statements:
        lines += ["| company | topic | new statements |", "|---|---|---|"]
        lines += [f"| {_cell(watchlist.entity_name(e))} | {_cell(watchlist.topic_name(t))} | {n} |"
                  for (e, t), n in sorted(new_statements.items())]
    else:
        lines.append("None.")
    for title, shifts in (("New shifts", new), ("Updated shifts", updated)):
        lines += ["", f"## {title}", ""]
        lines += [_shift_markdown(s, watchlist) for s in shifts] or ["None."]
    return "\n".join(lines)


def _shift_markdown(shift: Shift, watchlist: Watchlist) -> str:
    head = (f"### {_cell(watchlist.entity_name(shift.entity_id))} on {_cell(watchlist.topic_name(shift.topic_id))}: "
            f"{shift.direction} (confidence {shift.confidence:.2f})")
    parts = [head, "", "Before:"] + _quotes(shift.before) + ["", "After:"] + _quotes(shift.after)
    if shift.denials:
        parts += ["", "Denials:"] + _quotes(shift.denials)
    return "\n".join(parts) + "\n"


def _quotes(statements: Sequence[EvidenceStatement]) -> list[str]:
    strongest = sorted(statements, key=lambda s: (-(s.weight or 0.0), s.stated_at, s.id))[:_QUOTES_PER_SIDE]
    return [f"> {_cell(_clip(s.text))}  \n> — {_cell(s.speaker)}, {format_stated(s.stated_at, s.stated_precision)}"
            + (f", <{s.url}>" if s.url else "") for s in strongest]


def deliveries_table(sent: Sequence[Delivery], failed: Sequence[Delivery],
                     deferred: Sequence[Delivery]) -> list[dict[str, str]]:
    """One row per delivery attempted or held this run; `channel` is the redacted label stored in
    `deliveries`, never the secret URL."""
    rows = []
    for outcome, deliveries in (("sent", sent), ("failed", failed), ("deferred", deferred)):
        for d in deliveries:
            rows.append({"outcome": outcome, "shift": d.shift_id, "channel": d.channel, "attempts": str(d.attempts),
                         "next_attempt": d.next_attempt_at.isoformat() if d.next_attempt_at else "",
                         "last_error": d.last_error or ""})
    return rows


def publish_markdown(key: str, markdown: str, description: str) -> None:
    from prefect.artifacts import create_markdown_artifact

    _publish(lambda: create_markdown_artifact(markdown=markdown, key=key, description=description), key)


def publish_table(key: str, rows: list[dict[str, str]], description: str) -> None:
    from prefect.artifacts import create_table_artifact

    _publish(lambda: create_table_artifact(table=rows, key=key, description=description), key)


def _publish(create, key: str) -> None:
    try:
        create()
    except Exception as exc:  # the UI is a window on the run; never fail a run over it
        log.warning("could not publish artifact %s: %s", key, exc)


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[: _QUOTE_CHARS - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
