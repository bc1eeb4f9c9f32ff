"""`stancewatch shifts --json`: the stable JSON shape of DESIGN.md."""

from __future__ import annotations

import duckdb

from storage.records import EvidenceStatement, Shift
from storage.shifts import load_shifts

__all__ = ["shift_to_json", "shifts_to_json"]


def _statement(st: EvidenceStatement) -> dict:
    return {"speaker": st.speaker, "text": st.text, "stated_at": st.stated_at.isoformat(),
            "stated_precision": st.stated_precision, "url": st.url, "stance": round(st.stance, 3),
            "stance_label": st.stance_label, "kind": st.kind, "sources": st.source_count}


def shift_to_json(shift: Shift) -> dict:
    return {
        "id": shift.id, "entity": shift.entity_id, "topic": shift.topic_id, "direction": shift.direction,
        "from_stance": round(shift.from_stance, 3), "to_stance": round(shift.to_stance, 3),
        "confidence": round(shift.confidence, 3), "detected_at": shift.detected_at.isoformat(),
        "before": [_statement(s) for s in shift.before], "after": [_statement(s) for s in shift.after],
        "denials": [_statement(s) for s in shift.denials], "reasons": list(shift.reasons),
    }


def shifts_to_json(con: duckdb.DuckDBPyConnection, entity_id: str | None, topic_id: str | None) -> list[dict]:
    return [shift_to_json(s) for s in load_shifts(con, entity_id, topic_id)]
