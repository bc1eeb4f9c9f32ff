"""Evidence for shift tests: one company's history on one topic, and archives holding it.

A company (Northwind) that backed the four-day week (``SUPPORT``), then dropped it (``REVERSAL``),
with a denial in between (``DENIAL``); ``ev`` builds more statements like them. ``archive_with``
stores statements as the statements pipeline does (articles, statements, sources) in a real
DuckDB file; ``detect_and_save`` runs detection over it the way the flow does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone

from extractors.shifts import detect_shifts
from storage.db import Archive
from storage.records import EvidenceStatement, ShiftChanges, position_label
from storage.shifts import load_evidence, load_shifts, save_shift_changes, watched_pairs

__all__ = [
    "DENIAL", "ENTITY", "NOW", "REVERSAL", "SUPPORT", "TOPIC",
    "archive_with", "detect_and_save", "ev", "insert_statements", "with_sources",
]

NOW = datetime(2025, 10, 1, 12, 0, tzinfo=timezone.utc)
ENTITY, TOPIC = "northwind", "four-day-week"


def ev(sid: str, when: str, stance: float, text: str | None = None, *, speaker: str = "Ada Brandt",
       role: str | None = "CEO", kind: str = "direct", confidence: float = 0.8, sources: int = 1,
       denial: bool = False, precision: str = "day", entity: str = ENTITY, topic: str = TOPIC,
       url: str | None = None) -> EvidenceStatement:
    return EvidenceStatement(
        id=sid, entity_id=entity, topic_id=topic, speaker=speaker, text=text or f"statement {sid}",
        stance=stance, stance_label=position_label(stance), confidence=confidence, kind=kind,
        stated_at=date.fromisoformat(when), stated_precision=precision,
        url=url or f"https://news{sid}.example.com/{sid}", source_count=sources, speaker_role=role,
        is_denial=denial,
    )


# A company that backed the four-day week, then dropped it (with a denial in between).
SUPPORT = [
    ev("p1", "2023-03-01", 0.8, "The four-day week is here to stay.", sources=2),
    ev("p2", "2023-09-14", 0.7, "Our drivers love the four-day week, Brandt said.", kind="indirect"),
    ev("p3", "2024-02-20", 0.7, "Four days of work, five days of pay: that is our model.",
       speaker="a Northwind spokesperson", role="spokesperson", sources=2),
]
REVERSAL = [
    ev("c1", "2025-06-10", -0.7, "We are ending the four-day week at all depots.", sources=3),
    ev("c2", "2025-06-24", -0.6, "Five-day rotas return in September.", speaker="Omar Velez", role="COO"),
]
DENIAL = ev("d1", "2025-06-12", 0.5, "Nothing has changed in our commitment to flexible work.",
            speaker="a Northwind spokesperson", role="spokesperson", denial=True)


def insert_statements(con, statements: Sequence[EvidenceStatement], *, extra_sources: dict[str, list[str]] | None = None):
    """Test fixture: rows in articles / statements / statement_sources as the statements pipeline stores them."""
    extra_sources = extra_sources or {}
    for s in statements:
        urls = [s.url, *extra_sources.get(s.id, [])]
        for i, url in enumerate(urls):
            article_id = f"a-{s.id}-{i}"
            con.execute(
                "INSERT INTO articles (id, url, title, published_at, text, content_hash, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [article_id, url, f"Article about {s.id}", datetime.combine(s.stated_at, datetime.min.time(), timezone.utc),
                 s.text, f"hash-{article_id}", NOW],
            )
            con.execute(
                "INSERT INTO statement_sources (statement_id, article_id, url, entity_id, topic_id)"
                " VALUES (?, ?, ?, ?, ?)",
                [s.id, article_id, url, s.entity_id, s.topic_id],
            )
        con.execute(
            "INSERT INTO statements (id, article_id, entity_id, topic_id, speaker, speaker_role, text, kind, stance,"
            " stance_label, confidence, attribution_confidence, stance_confidence, is_denial, stated_at,"
            " stated_precision, analyzed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [s.id, f"a-{s.id}-0", s.entity_id, s.topic_id, s.speaker, s.speaker_role, s.text, s.kind, s.stance,
             s.stance_label, s.confidence, 0.9, s.confidence / 0.9, s.is_denial, s.stated_at, s.stated_precision, NOW],
        )


def with_sources(statements: Sequence[EvidenceStatement]) -> tuple[list[EvidenceStatement], dict[str, list[str]]]:
    """Statements whose source_count is backed by that many articles on distinct sites."""
    extra = {s.id: [f"https://other{i}.example.org/{s.id}" for i in range(1, s.source_count)] for s in statements}
    return list(statements), extra


def detect_and_save(archive: Archive, now: datetime = NOW) -> ShiftChanges:
    with archive.connect() as con:
        changes = ShiftChanges.combine([
            detect_shifts(load_evidence(con, e, t), load_shifts(con, e, t), now=now) for e, t in watched_pairs(con)
        ])
    archive.save(save_shift_changes, changes)
    return changes


def archive_with(path, statements: Sequence[EvidenceStatement]) -> Archive:
    archive = Archive(path, lock_wait=5)
    rows, extra = with_sources(statements)
    archive.save(lambda con, _: insert_statements(con, rows, extra_sources=extra), None)
    return archive
