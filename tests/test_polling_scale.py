"""Polite and fast polling: 2,000 feeds from one host, robots.txt once per origin per cycle, per-host limit kept.

Only counts are asserted here; the time is in tests/bench/bench_polling.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main
from flows.ingest import SOURCES_PER_TASK, poll_sources_flow
from storage.db import Archive
from tests.support.polling import HostConcurrencyServer, serve_many_feeds, write_poll_config

pytestmark = pytest.mark.usefixtures("prefect_harness")

FEEDS = 2000
PER_HOST = 4


def query(folder: Path, sql: str) -> list[tuple]:
    with Archive(folder / "archive.duckdb").connect(read_only=True) as con:
        return con.execute(sql).fetchall()


def test_2000_feeds_from_one_host_fetch_robots_once_keep_the_host_limit_and_log_every_feed(tmp_path: Path) -> None:
    with HostConcurrencyServer(robots_disallow=["/private/"]) as server:
        config = write_poll_config(tmp_path, serve_many_feeds(server, FEEDS), per_host=PER_HOST)
        report = poll_sources_flow(config=str(config))
        robots_requests = server.count("/robots.txt")
        feed_requests = sum(1 for r in server.requests if r.route.startswith("/feeds/"))
        host_max = server.host_max_in_flight

    assert robots_requests == 1
    assert feed_requests == FEEDS
    assert 1 < host_max <= PER_HOST
    assert (report.sources, report.sources_failed, report.new, report.failed) == (FEEDS, 0, FEEDS, 0)
    logged = query(tmp_path, "SELECT count(DISTINCT url), min(status), max(status) FROM fetch_log "
                             "WHERE url LIKE '%/feeds/%' AND error IS NULL")
    assert logged == [(FEEDS, 200, 200)]
    assert query(tmp_path, "SELECT count(*) FROM sources") == [(FEEDS,)]
    assert query(tmp_path, "SELECT count(*) FROM articles") == [(FEEDS,)]
    assert FEEDS // SOURCES_PER_TASK == 40  # task runs for the fetching, not 2,000


def test_run_exits_non_zero_only_when_every_source_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with HostConcurrencyServer() as server:
        [good] = serve_many_feeds(server, 1)
        bad = [server.url("/status/500"), server.url("/malformed-feed")]
        all_bad = write_poll_config(tmp_path / "bad", bad) if (tmp_path / "bad").mkdir() is None else None
        assert main(["--config", str(all_bad), "run"]) == 1
        assert "every source failed (2 of 2)" in capsys.readouterr().err

        (tmp_path / "mixed").mkdir()
        mixed = write_poll_config(tmp_path / "mixed", [*bad, good])
        assert main(["--config", str(mixed), "run"]) == 0
        assert "every source failed" not in capsys.readouterr().err
