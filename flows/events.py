"""Prefect events that chain the service's deployments: ingested -> analyze -> shifts detected -> alert."""

from __future__ import annotations

import logging

from flows.settings import Settings

__all__ = ["ARTICLES_INGESTED", "SHIFTS_DETECTED", "archive_resource", "archive_resource_id", "emit_ingested", "emit_shifts", "emit_cycle_events"]

ARTICLES_INGESTED = "stancewatch.articles.ingested"
SHIFTS_DETECTED = "stancewatch.shifts.detected"

log = logging.getLogger("stancewatch.events")


def archive_resource_id(database: str) -> str:
    """The event resource of one archive: triggers match it, so two services never trigger each other."""
    return f"stancewatch.archive.{database}"


def archive_resource(settings: Settings) -> dict[str, str]:
    return {"prefect.resource.id": archive_resource_id(str(settings.database.resolve())),
            "prefect.resource.name": settings.database.name}


def _emit(event: str, settings: Settings, payload: dict) -> None:
    from prefect.events import emit_event

    try:
        emit_event(event=event, resource=archive_resource(settings), payload=payload)
    except Exception as exc:  # events are a courtesy to the scheduler; never fail a run over one
        log.warning("could not emit %s: %s", event, exc)


def emit_ingested(settings: Settings, new_articles: int) -> None:
    if new_articles:
        _emit(ARTICLES_INGESTED, settings, {"new": new_articles, "database": str(settings.database.resolve())})


def emit_shifts(settings: Settings, new: int, updated: int) -> None:
    if new or updated:
        _emit(SHIFTS_DETECTED, settings, {"new": new, "updated": updated, "database": str(settings.database.resolve())})


def emit_cycle_events(settings: Settings, ingest, analyze) -> None:
    emit_ingested(settings, ingest.new)
    if analyze is not None:
        emit_shifts(settings, len(analyze.new_shifts), len(analyze.updated_shifts))
