"""The bundled demo watchlist (seeds/watchlist.yaml) as a Watchlist record, without the settings loader."""

from __future__ import annotations

import yaml

from storage.records import Entity, Person, Topic, Watchlist
from tests.support.paths import REPO_SEEDS

__all__ = ["seed_watchlist"]


def seed_watchlist() -> Watchlist:
    """The bundled watchlist, read with yaml.safe_load (no settings loader needed)."""
    config = yaml.safe_load((REPO_SEEDS / "watchlist.yaml").read_text())
    entities = tuple(
        Entity(e["id"], e["name"], tuple(e.get("aliases") or ()),
               tuple(Person(name, role or "") for name, role in (e.get("people") or {}).items()))
        for e in config["entities"]
    )
    topics = tuple(
        Topic(t["id"], t["name"], t.get("proposition", ""), tuple(t.get("keywords") or ()),
              tuple(t.get("pro") or ()), tuple(t.get("con") or ()))
        for t in config["topics"]
    )
    return Watchlist(entities, topics)
