"""SQL for shift detection: the evidence of a pair, stored shifts and the statements behind them.

Every value goes in as a parameter; the only SQL composed in code is from constant
fragments defined here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import duckdb

from storage._time import aware as _aware
from storage.records import EvidenceStatement, Shift, ShiftChanges, position_label

__all__ = [
    "KNOWN_DATE",
    "load_evidence",
    "load_evidence_by_ids",
    "load_evidence_of_pairs",
    "load_recent_evidence",
    "load_shifts",
    "save_shift_changes",
    "shift_ids",
    "watched_pairs",
]

# Only the columns evidence needs: a scan fetches every row group of each column it reads (a pair's rows are
# spread over the whole table), so each column costs a few ms on a 1M-statement archive.
_CHOSEN_COLUMNS = ("s.id, s.article_id, s.entity_id, s.topic_id, s.speaker, s.speaker_resolved, s.speaker_role,"
                   " s.text, s.stance, s.stance_label, s.confidence, s.kind, s.stated_at, s.stated_precision,"
                   " s.is_denial")

# Independent sources = distinct sites (hosts) among the articles that reported a statement.
# Each query first narrows `chosen` to the statements it needs, so the sources are counted for
# those only (never for the whole archive). The statement's own article (`article_id`) is one of its
# sources, so its URL comes from there too; `articles` is read only for the publication date of an
# undated statement (an inner join: with no undated statement to look up, its scan of articles stops at once).
# A source carries its statement's pair (migration 008): the queries by pair read only the wanted pairs'
# sources ({sources}), which skips the other pairs' row groups once the table is in pair order (`compact`).
_REPORTED_OF = """
reported AS (
    SELECT ss.statement_id,
           count(DISTINCT coalesce(nullif(regexp_extract(ss.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)', 1), ''),
                                   ss.url)) AS sites,
           min(ss.url) AS any_url,
           any_value(ss.url) FILTER (WHERE ss.article_id = c.article_id) AS own_url
    FROM {sources} ss JOIN chosen c ON c.id = ss.statement_id
    GROUP BY ss.statement_id
),
undated AS (SELECT DISTINCT c.id, a.published_at FROM chosen c JOIN articles a ON a.id = c.article_id
            WHERE c.stated_at IS NULL)
"""
_REPORTED = _REPORTED_OF.format(sources="statement_sources")
_PAIR_SOURCES = ("(SELECT ss.* FROM statement_sources ss"
                 " JOIN wanted w ON ss.entity_id = w.entity_id AND ss.topic_id = w.topic_id)")
_REPORTED_OF_PAIRS = _REPORTED_OF.format(sources=_PAIR_SOURCES)

_EVIDENCE_COLUMNS = """
SELECT s.id, s.entity_id, s.topic_id,
       -- the person meant ("Mark Zuckerberg") beats the words used ("he"); roles stay as written
       CASE WHEN s.speaker_resolved IS NOT NULL AND s.speaker_resolved <> lower(s.speaker_resolved)
                 AND s.speaker_resolved <> coalesce(s.speaker_role, '')
            THEN s.speaker_resolved ELSE s.speaker END AS speaker,
       s.text, coalesce(s.stance, 0.0) AS stance,
       s.stance_label, s.confidence, s.kind,
       coalesce(s.stated_at, CAST(a.published_at AS DATE)) AS stated_at,
       CASE WHEN s.stated_at IS NULL THEN 'day' ELSE coalesce(s.stated_precision, 'day') END AS stated_precision,
       coalesce(r.own_url, r.any_url) AS url,
       greatest(1, coalesce(r.sites, 1)) AS source_count,
       s.speaker_role, s.is_denial
FROM chosen s
LEFT JOIN undated a ON a.id = s.id
LEFT JOIN reported r ON r.statement_id = s.id
"""

_EVIDENCE_OF_PAIRS = (
    "WITH wanted AS (SELECT unnest(?) AS entity_id, unnest(?) AS topic_id),"
    " chosen AS MATERIALIZED (SELECT " + _CHOSEN_COLUMNS + " FROM statements s"
    " JOIN wanted w ON s.entity_id = w.entity_id AND s.topic_id = w.topic_id"
    " WHERE s.stance IS NOT NULL OR s.is_denial),"
    + _REPORTED_OF_PAIRS + _EVIDENCE_COLUMNS
    + " WHERE coalesce(s.stated_at, CAST(a.published_at AS DATE)) IS NOT NULL"
    " ORDER BY s.entity_id, s.topic_id, stated_at, s.id"
)

# A month- or year-precise date counts from the start of its period (as detection sorts it).
KNOWN_DATE = ("CASE WHEN {s}.stated_at IS NULL THEN CAST({a}.published_at AS DATE)"
              " WHEN {s}.stated_precision = 'year' THEN CAST(date_trunc('year', {s}.stated_at) AS DATE)"
              " WHEN {s}.stated_precision = 'month' THEN CAST(date_trunc('month', {s}.stated_at) AS DATE)"
              " ELSE {s}.stated_at END")

# The statements said from a per-pair cut-off on (as far as known), and every denial.
_RECENT_EVIDENCE_OF_PAIRS = (
    "WITH wanted AS (SELECT unnest(?) AS entity_id, unnest(?) AS topic_id, unnest(?) AS since),"
    " chosen AS MATERIALIZED (SELECT " + _CHOSEN_COLUMNS + ", w.since AS since FROM statements s"
    " JOIN wanted w ON s.entity_id = w.entity_id AND s.topic_id = w.topic_id"
    " WHERE (s.stance IS NOT NULL OR s.is_denial) AND (s.is_denial OR s.stated_at IS NULL"
    " OR s.stated_at >= w.since)),"  # the known date is never after the stated one
    + _REPORTED_OF_PAIRS + _EVIDENCE_COLUMNS
    + " WHERE coalesce(s.stated_at, CAST(a.published_at AS DATE)) IS NOT NULL"
    " AND (s.is_denial OR " + KNOWN_DATE.format(s="s", a="a") + " >= s.since)"
    " ORDER BY s.entity_id, s.topic_id, stated_at, s.id"
)

_EVIDENCE_BY_IDS = (
    "WITH chosen AS MATERIALIZED (SELECT " + _CHOSEN_COLUMNS + " FROM statements s WHERE s.id IN (SELECT unnest(?))),"
    + _REPORTED + _EVIDENCE_COLUMNS
)

_EVIDENCE_OF_SHIFTS = (
    "WITH links AS (SELECT shift_id, role, weight, statement_id FROM shift_statements"
    " WHERE shift_id IN (SELECT unnest(?))),"
    " chosen AS MATERIALIZED (SELECT " + _CHOSEN_COLUMNS + " FROM statements s"
    " WHERE s.id IN (SELECT statement_id FROM links)),"
    + _REPORTED + ", evidence AS (" + _EVIDENCE_COLUMNS + ")"
    " SELECT l.shift_id, l.role, l.weight, e.* FROM links l JOIN evidence e ON e.id = l.statement_id"
    " WHERE e.stated_at IS NOT NULL ORDER BY e.stated_at, e.id"
)

_SHIFT_COLUMNS = ("SELECT id, entity_id, topic_id, direction, from_stance, to_stance, confidence, detected_at, "
                  "reasons FROM shifts")


# --- evidence -------------------------------------------------------------------


def load_evidence(con: duckdb.DuckDBPyConnection, entity_id: str, topic_id: str) -> list[EvidenceStatement]:
    """Statements of one entity on one topic that carry a stance (or deny a change), oldest said first."""
    return load_evidence_of_pairs(con, [(entity_id, topic_id)]).get((entity_id, topic_id), [])


def load_evidence_of_pairs(con: duckdb.DuckDBPyConnection,
                           pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[EvidenceStatement]]:
    """`load_evidence` for several (entity_id, topic_id) pairs in one query; a pair without evidence is absent."""
    found: dict[tuple[str, str], list[EvidenceStatement]] = {}
    if not pairs:
        return found
    rows = con.execute(_EVIDENCE_OF_PAIRS, [[e for e, _ in pairs], [t for _, t in pairs]]).fetchall()
    for row in rows:
        statement = _evidence(row)
        found.setdefault((statement.entity_id, statement.topic_id), []).append(statement)
    return found


def load_recent_evidence(con: duckdb.DuckDBPyConnection, since: dict[tuple[str, str], date]
                         ) -> dict[tuple[str, str], list[EvidenceStatement]]:
    """`load_evidence_of_pairs` of the statements said on or after each pair's date (as far as known:
    a month- or year-precise date counts from its period's start), and every denial of those pairs."""
    found: dict[tuple[str, str], list[EvidenceStatement]] = {}
    if not since:
        return found
    pairs = sorted(since)
    rows = con.execute(_RECENT_EVIDENCE_OF_PAIRS, [[e for e, _ in pairs], [t for _, t in pairs],
                                                   [since[p] for p in pairs]]).fetchall()
    for row in rows:
        statement = _evidence(row)
        found.setdefault((statement.entity_id, statement.topic_id), []).append(statement)
    return found


def load_evidence_by_ids(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, EvidenceStatement]:
    """Statements as detection sees them, by id (those missing are absent)."""
    if not ids:
        return {}
    return {row[0]: _evidence(row) for row in con.execute(_EVIDENCE_BY_IDS, [list(ids)]).fetchall()}


def watched_pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(entity_id, topic_id) pairs to run detection on: those with stanced statements, and those
    with stored shifts (so a shift whose evidence was re-analysed away can be retracted)."""
    rows = con.execute(
        "SELECT entity_id, topic_id FROM statements WHERE topic_id IS NOT NULL AND stance IS NOT NULL"
        " UNION SELECT entity_id, topic_id FROM shifts ORDER BY entity_id, topic_id"
    ).fetchall()
    return [(e, t) for e, t in rows]


def _evidence(row: Sequence) -> EvidenceStatement:
    (sid, entity_id, topic_id, speaker, text, stance, label, confidence, kind, stated_at, precision, url,
     source_count, role, is_denial) = row
    return EvidenceStatement(
        id=sid, entity_id=entity_id, topic_id=topic_id, speaker=speaker, text=text, stance=float(stance),
        stance_label=label or position_label(float(stance)), confidence=float(confidence), kind=kind,
        stated_at=stated_at, stated_precision=precision, url=url, source_count=int(source_count),
        speaker_role=role, is_denial=bool(is_denial),
    )


# --- shifts -----------------------------------------------------------------------


def load_shifts(
    con: duckdb.DuckDBPyConnection,
    entity_id: str | None = None,
    topic_id: str | None = None,
    *,
    ids: Sequence[str] | None = None,
) -> list[Shift]:
    """Stored shifts with their evidence, oldest change first; filter by entity, topic and/or ids."""
    if ids is not None and not ids:
        return []
    clauses: list[str] = []
    params: list[str | list[str]] = []
    if entity_id is not None:
        clauses.append("entity_id = ?")
        params.append(entity_id)
    if topic_id is not None:
        clauses.append("topic_id = ?")
        params.append(topic_id)
    if ids is not None:
        clauses.append("id IN (SELECT unnest(?))")
        params.append(list(ids))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = con.execute(_SHIFT_COLUMNS + where + " ORDER BY changed_on, detected_at, id", params).fetchall()
    if not rows:
        return []
    evidence = _shift_evidence(con, [row[0] for row in rows])
    return [_shift(row, evidence.get(row[0], {})) for row in rows]


def shift_ids(con: duckdb.DuckDBPyConnection, entity_id: str | None = None, topic_id: str | None = None) -> list[str]:
    """The ids of the stored shifts in `load_shifts` order (oldest change first), to load them a page at a time."""
    rows = con.execute(
        "SELECT id FROM shifts WHERE ($1 IS NULL OR entity_id = $1) AND ($2 IS NULL OR topic_id = $2)"
        " ORDER BY changed_on, detected_at, id", [entity_id, topic_id]).fetchall()
    return [row[0] for row in rows]


def _shift_evidence(con: duckdb.DuckDBPyConnection, shift_ids: list[str]) -> dict[str, dict[str, list]]:
    found: dict[str, dict[str, list]] = {}
    for row in con.execute(_EVIDENCE_OF_SHIFTS, [shift_ids]).fetchall():
        shift_id, role, weight, *statement = row
        found.setdefault(shift_id, {}).setdefault(role, []).append(replace(_evidence(statement), weight=weight))
    return found


def _shift(row: Sequence, evidence: dict[str, list]) -> Shift:
    sid, entity_id, topic_id, direction, from_stance, to_stance, confidence, detected_at, reasons = row
    return Shift(
        entity_id=entity_id, topic_id=topic_id, direction=direction, from_stance=from_stance,
        to_stance=to_stance, confidence=confidence, detected_at=detected_at,
        before=tuple(evidence.get("before", ())), after=tuple(evidence.get("after", ())),
        denials=tuple(evidence.get("denial", ())), reasons=tuple(json.loads(reasons) if reasons else ()), id=sid,
    )


def save_shift_changes(con: duckdb.DuckDBPyConnection, changes: ShiftChanges) -> None:
    """Insert new shifts, update changed ones, move renamed shifts' deliveries to their new id,
    and drop retracted shifts unless an alert for them was already sent (what was said stays on record)."""
    for old_id, new_id in changes.renamed:
        con.execute(
            "INSERT INTO deliveries SELECT ? AS shift_id, d.channel, d.status, d.attempts, d.last_error, d.created_at,"
            " d.next_attempt_at, d.sent_at FROM deliveries d WHERE d.shift_id = ? AND NOT EXISTS"  # DuckLake: no keys
            " (SELECT 1 FROM deliveries e WHERE e.shift_id = ? AND e.channel = d.channel)",
            [new_id, old_id, new_id],
        )
        con.execute("DELETE FROM deliveries WHERE shift_id = ?", [old_id])
        _delete_shift(con, old_id)
    for shift_id in changes.retracted:
        alerted = con.execute(
            "SELECT count(*) FROM deliveries WHERE shift_id = ? AND status = 'sent'", [shift_id]
        ).fetchone()
        if not (alerted and alerted[0]):
            con.execute("DELETE FROM deliveries WHERE shift_id = ?", [shift_id])
            _delete_shift(con, shift_id)
    for shift in (*changes.new, *changes.updated):
        _delete_shift(con, shift.id)
        _insert_shift(con, shift)


def _delete_shift(con: duckdb.DuckDBPyConnection, shift_id: str) -> None:
    con.execute("DELETE FROM shift_statements WHERE shift_id = ?", [shift_id])
    con.execute("DELETE FROM shifts WHERE id = ?", [shift_id])


def _insert_shift(con: duckdb.DuckDBPyConnection, shift: Shift) -> None:
    changed_on = min((s.stated_at for s in shift.after), default=None)
    con.execute(
        "INSERT INTO shifts (id, entity_id, topic_id, direction, from_stance, to_stance, confidence, changed_on,"
        " detected_at, updated_at, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
        [shift.id, shift.entity_id, shift.topic_id, shift.direction, shift.from_stance, shift.to_stance,
         shift.confidence, changed_on, _aware(shift.detected_at), json.dumps(list(shift.reasons))],
    )
    links = {}
    for role, statements in (("before", shift.before), ("after", shift.after), ("denial", shift.denials)):
        for s in statements:
            links[(s.id, role)] = s.weight
    if links:  # one statement for all links (executemany costs a round trip per row)
        con.execute(
            "INSERT INTO shift_statements (shift_id, statement_id, role, weight)"
            " SELECT ?, unnest(?), unnest(?), unnest(?)",
            [shift.id, [sid for sid, _ in links], [role for _, role in links], list(links.values())],
        )
