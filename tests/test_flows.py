"""The Prefect flows end to end, with real parts: a local HTTP server serving ../shared/data, real DuckDB files,
Prefect's test harness."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

import extractors.fetch._polling
from flows.ingest import poll_sources_flow
from flows.pipeline import backfill_pipeline_flow, demo_flow
from flows.settings import SEEDS_DIR
from storage.db import Archive
from tests.support import LocalHTTPServer, shared_path, token_f1, write_articles_jsonl

pytestmark = pytest.mark.usefixtures("prefect_harness")

WATCHLIST = """\
entities:
  - {id: meta, name: Meta, aliases: [Facebook], people: {Mark Zuckerberg: CEO}}
topics:
  - {id: open-source-ai, name: Open-sourcing AI models, keywords: [open source, Llama], pro: [open source], con: [closed model]}
fetch: {per_host: 8, timeout: 3, robots: true, allow_private: true}
lock_wait: 30
"""


def write_config(folder: Path, sources: list[str]) -> Path:
    config = folder / "stancewatch.yaml"
    config.write_text(f"database: {folder / 'archive.duckdb'}\nsources:\n" + "".join(f"  - {s}\n" for s in sources)
                      + WATCHLIST, encoding="utf-8")
    return config


def query(folder: Path, sql: str) -> list[tuple]:
    with Archive(folder / "archive.duckdb").connect(read_only=True) as con:
        return con.execute(sql).fetchall()


def test_backfill_of_181_real_pages_archives_clean_text_and_a_second_backfill_adds_nothing(tmp_path):
    jsonl = tmp_path / "articles.jsonl"
    assert write_articles_jsonl(jsonl) == 181
    config = write_config(tmp_path, [])
    first = backfill_pipeline_flow([str(jsonl)], config=str(config), analyze=False).ingest
    assert (first.new, first.failed) == (181, 0)
    truth = json.loads(shared_path("data", "articles", "ground-truth.json").read_text(encoding="utf-8"))
    by_url = {v["url"]: v["articleBody"] for v in truth.values()}
    rows = query(tmp_path, "SELECT original_url, text FROM articles")
    mean_f1 = sum(token_f1(text, by_url[url]) for url, text in rows) / len(rows)
    print(f"\nmean token F1 of the 181 archived articles: {mean_f1:.4f}")
    assert mean_f1 >= 0.95
    second = backfill_pipeline_flow([str(jsonl)], config=str(config), analyze=False).ingest
    assert (second.new, second.duplicate) == (0, 181)
    assert query(tmp_path, "SELECT count(*) FROM articles") == [(181,)]


def _local_feed(server: LocalHTTPServer, page_ids: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Page {pid}</title><link>{server.url(f'/articles/html/{pid}.html')}</link>"
        f"<pubDate>Tue, 0{i + 1} Jul 2025 10:00:00 GMT</pubDate></item>"
        for i, pid in enumerate(page_ids)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>{items}</channel></rss>'.encode()


def _site_with_articles(tmp_path: Path, count: int) -> tuple[Path, list[str]]:
    """A web root with the shared article pages under /articles/html/ and an empty /feeds/."""
    root = tmp_path / "www"
    shutil.copytree(shared_path("data", "articles"), root / "articles")
    (root / "feeds").mkdir()
    pages = sorted(p.name.removesuffix(".html.gz") for p in (root / "articles" / "html").glob("*.html.gz"))
    return root, pages[:count]


def test_poll_twice_archives_new_pages_then_costs_one_304(tmp_path):
    root, page_ids = _site_with_articles(tmp_path, 5)
    with LocalHTTPServer(root) as server:
        (root / "feeds" / "local.xml").write_bytes(_local_feed(server, page_ids))
        config = write_config(tmp_path, [f'{{name: Local, feed: "{server.url("/feeds/local.xml")}"}}'])
        first = poll_sources_flow(config=str(config))
        assert first.new == 5
        server.clear()
        second = poll_sources_flow(config=str(config))
        assert (second.new, second.not_modified) == (0, 1)
        feed_requests = server.requests_for("/feeds/local.xml")
        assert [(r.conditional, r.status) for r in feed_requests] == [(True, 304)]
        assert not [r for r in server.requests if r.path.startswith("/articles/")]
    rows = query(tmp_path, "SELECT count(*), min(published_at) IS NOT NULL FROM articles")
    assert rows == [(5, True)]
    statuses = query(tmp_path, "SELECT status, count(*) FROM fetch_log WHERE url LIKE '%local.xml' GROUP BY 1 ORDER BY 1")
    assert statuses == [(200, 1), (304, 1)]


def test_200_real_feeds_polled_twice_second_poll_is_conditional_and_parses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(extractors.fetch._polling, "MAX_NEW_PER_POLL", 1)  # bound the page fetches; feeds are the point
    parsed = []
    real_parse = extractors.fetch._polling.parse_feed
    monkeypatch.setattr(extractors.fetch._polling, "parse_feed", lambda body, base: parsed.append(base) or real_parse(body, base))
    root = tmp_path / "www"
    (root / "feeds").mkdir(parents=True)
    with LocalHTTPServer(root) as server:
        local = server.url("/ext/")
        names = sorted(p.name for p in shared_path("data", "feeds").glob("*.xml"))
        for name in names:  # every link points back here (/ext/… answers 404): no traffic leaves 127.0.0.1
            body = (shared_path("data", "feeds") / name).read_bytes()
            (root / "feeds" / name).write_bytes(re.sub(rb"https?://", local.encode(), body))
        config = write_config(tmp_path, [f'{{name: "{n}", feed: "{server.url("/feeds/" + n)}"}}' for n in names])
        first = poll_sources_flow(config=str(config))
        assert len(parsed) == 200
        parsed.clear()
        server.clear()
        second = poll_sources_flow(config=str(config))
        feed_requests = [r for r in server.requests if r.path.startswith("/feeds/")]
        assert len(feed_requests) == 200
        unconditional = [(r.path, r.status) for r in feed_requests if not (r.conditional and r.status == 304)]
        assert unconditional == []
        assert [r for r in server.requests if not r.path.startswith(("/feeds/", "/robots.txt"))] == []
        assert parsed == [] and second.not_modified == 200 and second.new == 0
    assert first.not_modified == 0


def test_bad_sources_end_as_recorded_errors_within_the_time_limit_and_the_others_are_archived(tmp_path):
    root, page_ids = _site_with_articles(tmp_path, 3)
    with LocalHTTPServer(root) as server:
        (root / "feeds" / "good.xml").write_bytes(_local_feed(server, page_ids))
        bad = {"malformed": "/malformed-feed", "huge": "/big", "loop": "/loop", "drip": "/slow"}
        sources = [f'{{name: {name}, feed: "{server.url(path)}"}}' for name, path in bad.items()]
        sources.append(f'{{name: good, feed: "{server.url("/feeds/good.xml")}"}}')
        config = write_config(tmp_path, sources)
        started = time.monotonic()
        report = poll_sources_flow(config=str(config))
        elapsed = time.monotonic() - started
    assert report.new == 3
    assert elapsed < 60
    errors = dict(query(tmp_path, "SELECT s.name, f.error FROM fetch_log f JOIN sources s ON s.id = f.source_id "
                                  "WHERE f.error IS NOT NULL"))
    assert set(errors) == set(bad)
    assert "not a readable feed" in errors["malformed"]
    assert "exceeds" in errors["huge"]
    assert "redirect" in errors["loop"]
    assert "timed out" in errors["drip"]


def test_demo_flow_on_the_seeds_finds_meta_shift_on_open_source_ai(tmp_path):
    result = demo_flow(config=str(SEEDS_DIR / "watchlist.yaml"), database=str(tmp_path / "archive.duckdb"),
                       seeds=str(SEEDS_DIR / "seeds.jsonl"))
    assert result.ingest.new == 4
    shifts = query(tmp_path, "SELECT entity_id, topic_id, direction FROM shifts")
    assert len(shifts) == 1
    entity, topic, direction = shifts[0]
    assert (entity, topic) == ("meta", "open-source-ai")
    assert direction.startswith("pro->")
    evidence = query(tmp_path, "SELECT ss.role, s.text, s.stated_at FROM shift_statements ss "
                               "JOIN statements s ON s.id = ss.statement_id")
    before = [(t, d) for role, t, d in evidence if role == "before"]
    denials = [t for role, t, _ in evidence if role == "denial"]
    assert any("Open Source AI is the Path Forward" in t and d.year == 2024 and d.month == 7 for t, d in before)
    assert any("unchanged" in t for t in denials)
    again = demo_flow(config=str(SEEDS_DIR / "watchlist.yaml"), database=str(tmp_path / "archive.duckdb"),
                      seeds=str(SEEDS_DIR / "seeds.jsonl"))
    assert again.ingest.new == 0 and not again.analyze.new_shifts
