"""The new-user case: an invented rail company and energy company, a four-day-week topic, and real-shaped
articles about them (tests/data/new_user_articles.jsonl), as a user would configure and backfill them."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from storage.records import Article, Entity, Person, Topic, Watchlist
from tests.support.paths import TEST_DATA

__all__ = ["NEW_USER_ARTICLES", "NEW_USER_NOW", "NEW_USER_WATCHLIST", "load_new_user_articles"]

NEW_USER_ARTICLES = TEST_DATA / "new_user_articles.jsonl"
NEW_USER_NOW = datetime(2025, 7, 10, 8, 0, tzinfo=timezone.utc)

NEW_USER_WATCHLIST = Watchlist(
    entities=(
        Entity("halden-rail", "Halden Rail", aliases=("Halden",),
               people=(Person("Ingrid Sollie", "CEO"), Person("Marcus Obi", "Chief Operating Officer"))),
        Entity("corvane", "Corvane Energy", aliases=("Corvane",), people=(Person("Priya Raman", "CEO"),)),
    ),
    topics=(
        Topic(
            "four-day-week", "Four-day work week",
            proposition="The company gives its staff a four-day work week without cutting pay.",
            keywords=("four-day week", "four-day work week", "32-hour week", "shorter working week",
                      "shorter working weeks", "five-day week", "working hours"),
            pro=("four-day week", "32-hour week", "shorter working week", "shorter working weeks"),
            con=("five-day week", "back to five days", "scrap the four-day week", "end the four-day week",
                 "five-day rotas"),
        ),
    ),
)


def load_new_user_articles() -> list[Article]:
    rows = [json.loads(line) for line in NEW_USER_ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Article(url=r["url"], text=r["text"], title=r["title"],
                    published_at=datetime.fromisoformat(r["published"]).replace(tzinfo=timezone.utc),
                    site_name=r["url"].split("/")[2]) for r in rows]
