"""`stancewatch status`: what a user opens when alerts stop coming, from a real archive."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from flows.cli import main
from storage.articles import IngestBatch, save_ingest_batch
from storage.db import Archive
from storage.deliveries import enqueue_deliveries, record_delivery_attempt
from storage.records import Article, Delivery, FetchLogEntry, Source

NOW = datetime.now(timezone.utc)
GOOD = Source(name="Good feed", kind="feed", url="https://good.example/rss")
BAD = Source(name="Broken feed", kind="feed", url="https://bad.example/rss")


def _archive_with_history(path) -> None:
    fetches = (
        FetchLogEntry(GOOD.id, GOOD.url, NOW - timedelta(hours=2), 200, None),
        FetchLogEntry(BAD.id, BAD.url, NOW - timedelta(days=3), 200, None),
        FetchLogEntry(BAD.id, BAD.url, NOW - timedelta(hours=1), 503, "HTTP 503 Service Unavailable"),
    )
    articles = tuple(
        Article(url=f"https://good.example/{i}", text=f"Article number {i} about nothing in particular.",
                title=f"Story {i}", published_at=NOW - timedelta(days=i), source_id=GOOD.id)
        for i in range(3)
    )
    archive = Archive(path)
    archive.save(save_ingest_batch, IngestBatch((GOOD, BAD), fetches, articles, NOW - timedelta(hours=2)))

    def fail_one(con, _):
        con.execute("UPDATE articles SET analysis_error = 'ValueError: bad input' WHERE url = ?",
                    ["https://good.example/2"])
        enqueue_deliveries(con, ["shift-1"], ["json://127.0.0.1:9/ #ab12"], now=NOW)
        record_delivery_attempt(con, Delivery("shift-1", "json://127.0.0.1:9/ #ab12", "failed", attempts=2,
                                              last_error="connection refused", next_attempt_at=NOW + timedelta(minutes=5)))

    archive.save(fail_one, None)


def test_status_json_reports_sources_queue_failures_and_outbox(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    _archive_with_history(db)
    assert main(["--db", str(db), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    sources = {s["name"]: s for s in status["sources"]}
    assert sources["Good feed"]["last_error"] is None and sources["Good feed"]["articles_last_day"] == 3
    assert sources["Broken feed"]["last_error"] == "HTTP 503 Service Unavailable"
    assert sources["Broken feed"]["last_success"] < sources["Broken feed"]["last_error_at"]
    assert status["waiting_for_analysis"] == 2  # the third failed and is skipped, not waiting
    assert status["analysis_failures"] == [["https://good.example/2", "ValueError: bad input"]]
    assert status["statements_last_day"] == 0 and status["shifts_last_day"] == 0
    [delivery] = status["deliveries"]
    assert delivery["status"] == "failed" and delivery["last_error"] == "connection refused"
    assert delivery["attempts"] == 2 and delivery["next_attempt_at"]


def test_status_text_names_the_problem(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    _archive_with_history(db)
    assert main(["--db", str(db), "status"]) == 0
    out = capsys.readouterr().out
    assert "Broken feed" in out and "HTTP 503 Service Unavailable" in out
    assert "Articles waiting for analysis: 2" in out
    assert "ValueError: bad input" in out
    assert "Delivery failed" in out and "connection refused" in out


def test_status_of_a_missing_archive_is_a_clear_error(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.duckdb"), "status"]) == 1
    assert "none.duckdb" in capsys.readouterr().err
