"""A live archive: a user holding the DuckDB file (as `duckdb stancewatch.duckdb` does) across a whole cycle
delays poll, analysis, detection and alerts; they wait with a logged reason, then finish, and nothing is lost
or done twice."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from storage.articles import ArticleBatch, save_articles
from storage.db import Archive
from tests.support.httpserver import LocalHTTPServer
from tests.support.paths import REPO_SEEDS
from tests.support.seedfeed import seed_feed, seed_pages
from tests.support.sinks import smtp_sink

pytestmark = pytest.mark.timeout(300)

HOLD = 12.0  # seconds the user keeps the archive open
EXE = Path(sys.executable).with_name("stancewatch")


def _hold(path: Path, seconds: float) -> subprocess.Popen:
    code = (f"import duckdb, time; con = duckdb.connect({str(path)!r}); print('held', flush=True); "
            f"time.sleep({seconds}); con.close()")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _config(tmp_path: Path, feed_url: str, mail_url: str) -> Path:
    watchlist = (REPO_SEEDS / "watchlist.yaml").read_text(encoding="utf-8")
    entities_and_topics = "entities:" + watchlist.partition("entities:")[2].split("alerts:")[0]
    config = tmp_path / "stancewatch.yaml"
    config.write_text(
        f"database: {tmp_path / 'archive.duckdb'}\nlock_wait: 120\n"
        f"sources:\n  - {{name: Local news, feed: \"{feed_url}\"}}\n{entities_and_topics}"
        f"alerts:\n  urls: [\"{mail_url}\"]\n  min_confidence: 0.6\n"
        "fetch: {per_host: 4, timeout: 30, max_bytes: 5000000, robots: true, allow_private: true}\n",
        encoding="utf-8")
    return config


def test_a_cycle_waits_for_a_user_holding_the_archive_and_then_finishes_once(tmp_path):
    db = tmp_path / "archive.duckdb"
    Archive(db).save(save_articles, ArticleBatch((), datetime.now(timezone.utc)))  # the archive exists
    with LocalHTTPServer() as news, smtp_sink() as smtp:
        feed = news.add_route("/rss.xml", seed_feed(seed_pages(news)), content_type="application/rss+xml")
        config = _config(tmp_path, feed, smtp.url())
        holder = _hold(db, HOLD)
        started = time.monotonic()
        first = subprocess.run([str(EXE), "--config", str(config), "-v", "run"], capture_output=True, text=True,
                               timeout=240)
        elapsed = time.monotonic() - started
        holder.wait(timeout=30)
        assert first.returncode == 0, first.stdout + first.stderr
        assert elapsed >= HOLD, "the cycle cannot have finished while the archive was held"
        log = first.stdout + first.stderr
        assert "retrying" in log or "waiting" in log, log[-3000:]
        assert len(smtp.messages) == 1

        second = subprocess.run([str(EXE), "--config", str(config), "run"], capture_output=True, text=True,
                                timeout=240)
        assert second.returncode == 0, second.stdout + second.stderr
        assert len(smtp.messages) == 1, "nothing is alerted twice"

    out = subprocess.run([str(EXE), "--db", str(db), "sql", "--format", "json",
                          "SELECT (SELECT count(*) FROM articles) AS articles,"
                          " (SELECT count(DISTINCT url) FROM articles) AS urls,"
                          " (SELECT count(*) FROM statements) AS statements,"
                          " (SELECT count(DISTINCT id) FROM statements) AS ids,"
                          " (SELECT count(*) FROM shifts) AS shifts,"
                          " (SELECT count(*) FROM deliveries WHERE status = 'sent') AS sent"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    [row] = json.loads(out.stdout)
    assert row["articles"] == row["urls"] == 4
    assert row["statements"] == row["ids"] > 0
    assert row["shifts"] == 1 and row["sent"] == 1
