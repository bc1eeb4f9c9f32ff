"""Past one machine, as deploy/MULTI-MACHINE.md says: a Prefect server on PostgreSQL, a process work pool,
deployments from the generated prefect.yaml, two workers, one DuckLake archive (PostgreSQL catalog, a shared
data path), a local feed server and an SMTP server. Two polls run at once, then analysis and alerts: every
article, statement, shift and alert exists exactly once.

Needs PostgreSQL on 127.0.0.1:5432 with trust auth (`.ci/run` starts it). Deselect locally with
`-m "not service"`; CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from storage.db import Archive, parse_location
from tests.support.httpserver import LocalHTTPServer
from tests.support.paths import REPO
from tests.support.seedfeed import seed_feed, seed_pages
from tests.support.sinks import smtp_sink

pytestmark = [pytest.mark.service, pytest.mark.timeout(420)]

BIN = Path(sys.executable).parent
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def databases():
    if shutil.which("createdb") is None:
        pytest.fail("PostgreSQL client tools (createdb) are missing: install postgresql-client")
    names = [f"sw_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("prefect", "lake")]
    for name in names:
        subprocess.run(["createdb", *PG, name], check=True, capture_output=True)
    yield names
    for name in names:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], capture_output=True)


def _wait(predicate, timeout: float, what: str, logs: list[Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs if log.exists())
    pytest.fail(f"no {what} within {timeout:.0f}s\n{tails}")


def _flow_runs(api: str) -> list[dict]:
    response = httpx.post(f"{api}/flow_runs/filter", json={"limit": 200}, timeout=10)
    response.raise_for_status()
    return response.json()


def test_two_workers_poll_and_analyze_into_one_ducklake_archive_once(tmp_path, databases):
    prefect_db, lake_db = databases
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    lake = f"ducklake:postgres:dbname={lake_db} host=127.0.0.1 user=postgres data_path={tmp_path / 'lake'}"
    database = str(parse_location(lake))  # as the archive names itself: the triggers match on it
    (tmp_path / "lake").mkdir()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env = {**base_env, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
           "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_LOGGING_LEVEL": "WARNING"}
    logs: list[Path] = []
    with ExitStack() as stack, LocalHTTPServer() as news, smtp_sink() as smtp:
        feed_url = news.add_route("/rss.xml", seed_feed(seed_pages(news)), content_type="application/rss+xml")
        config = tmp_path / "stancewatch.yaml"
        config.write_text(_config(feed_url, smtp.url(), database), encoding="utf-8")
        env.update(STANCEWATCH_HOME=str(REPO), STANCEWATCH_CONFIG=str(config), STANCEWATCH_DATABASE=database)

        def start(name: str, *args: str, extra: dict | None = None) -> subprocess.Popen:
            log = tmp_path / f"{name}.log"
            logs.append(log)
            out = stack.enter_context(log.open("wb"))
            process = subprocess.Popen([str(BIN / "prefect"), *args], stdout=out, stderr=subprocess.STDOUT,
                                       env={**env, **(extra or {})}, cwd=REPO)
            stack.callback(_stop, process)
            return process

        start("server", "server", "start", "--host", "127.0.0.1", "--port", str(port),
              extra={"PREFECT_SERVER_DATABASE_CONNECTION_URL":
                     f"postgresql+asyncpg://postgres@127.0.0.1:5432/{prefect_db}", "PREFECT_API_URL": ""})
        _wait(lambda: _healthy(api), 120, "Prefect server on PostgreSQL", logs)

        run = lambda *args: subprocess.run([str(BIN / "prefect"), *args], env=env, cwd=REPO,  # noqa: E731
                                           capture_output=True, text=True, timeout=180)
        pool = run("work-pool", "create", "stancewatch", "--type", "process")
        assert pool.returncode == 0, pool.stdout + pool.stderr
        prefect_yaml = tmp_path / "prefect.yaml"
        written = subprocess.run([str(BIN / "stancewatch"), "--config", str(config), "serve", "--write-prefect-yaml",
                                  str(prefect_yaml)], env=env, capture_output=True, text=True, timeout=120)
        assert written.returncode == 0, written.stderr
        deployed = run("--no-prompt", "deploy", "--prefect-file", str(prefect_yaml), "--all")
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr

        for n in (1, 2):
            start(f"worker-{n}", "worker", "start", "--pool", "stancewatch", "--name", f"worker-{n}")
        for _ in (1, 2):  # two polls at once: both fetch the same feed and write the same articles
            started = run("deployment", "run", "poll-sources/poll")
            assert started.returncode == 0, started.stdout + started.stderr

        polled = time.monotonic()
        _wait(lambda: smtp.messages, 240, "alert email", logs)
        print(f"two polls started -> email delivered: {time.monotonic() - polled:.0f} s")
        _wait(lambda: _all_finished(api), 120, "every flow run finished", logs)
        runs = _started_runs(api)
        failed = [(r["name"], r["state_type"]) for r in runs if r["state_type"] != "COMPLETED"]
        assert not failed, failed
        by_deployment = {r["deployment_id"] for r in runs}
        assert len(by_deployment) == 3, "poll, analyze and alert all ran"
        assert len([r for r in runs if r["state_name"] == "Completed"]) >= 4
        time.sleep(5)
        assert len(smtp.messages) == 1, "one alert, once"

    archive = Archive(database)
    with archive.connect(read_only=True) as con:
        articles, urls = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
        statements, ids = con.execute("SELECT count(*), count(DISTINCT id) FROM statements").fetchone()
        sources, pairs = con.execute(
            "SELECT count(*), count(DISTINCT (statement_id, article_id)) FROM statement_sources").fetchone()
        shifts = con.execute("SELECT count(*), count(DISTINCT id) FROM shifts").fetchone()
        sent = con.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()[0]
    assert articles == urls == 4
    assert statements == ids and statements > 0
    assert sources == pairs
    assert shifts == (1, 1)
    assert sent == 1


def _config(feed_url: str, mail_url: str, database: str) -> str:
    watchlist = (REPO / "seeds" / "watchlist.yaml").read_text(encoding="utf-8")
    entities_and_topics = "entities:" + watchlist.partition("entities:")[2].split("alerts:")[0]
    return (f"database: \"{database}\"\n"
            f"sources:\n  - {{name: Local news, feed: \"{feed_url}\"}}\n"
            f"{entities_and_topics}"
            f"alerts:\n  urls: [\"{mail_url}\"]\n  min_confidence: 0.6\n"
            "schedule: {poll: \"0 0 1 1 *\"}\n"
            "fetch: {per_host: 4, timeout: 30, max_bytes: 5000000, robots: true, allow_private: true}\n")


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _started_runs(api: str) -> list[dict]:
    """Flow runs that were started: the alert deployment's interval schedule leaves future SCHEDULED runs."""
    return [r for r in _flow_runs(api) if r["state_type"] != "SCHEDULED"]


def _all_finished(api: str) -> bool:
    runs = _started_runs(api)
    return bool(runs) and all(r["state_type"] in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} for r in runs)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
