"""The real service, end to end: `stancewatch serve` as a subprocess with its own Prefect server (SQLite, a
free port), a local feed server and an SMTP server. The feed changes; the email must arrive once, with the
shift's evidence; the UI's API lists the run's artifacts; `status` answers meanwhile; SIGTERM stops the
service, its Prefect server and every child.

Deselect locally with `-m "not service"` (~1.5 min); CI runs it (`make test` selects everything).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.httpserver import LocalHTTPServer
from tests.support.paths import REPO_SEEDS
from tests.support.processes import alive
from tests.support.seedfeed import seed_feed, seed_pages
from tests.support.sinks import smtp_sink

pytestmark = [pytest.mark.service, pytest.mark.timeout(300)]

EMAIL_WAIT = 170  # seconds: server start (~15 s), the next minute's poll, analyze, alert


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(tmp_path: Path, feed_url: str, mail_url: str) -> Path:
    watchlist = (REPO_SEEDS / "watchlist.yaml").read_text(encoding="utf-8")
    head, _, rest = watchlist.partition("entities:")
    rest = rest.split("alerts:")[0]
    config = tmp_path / "stancewatch.yaml"
    config.write_text(
        f"database: {tmp_path / 'archive.duckdb'}\n"
        f"sources:\n  - {{name: Local news, feed: \"{feed_url}\"}}\n"
        f"entities:{rest}"
        f"alerts:\n  urls: [\"{mail_url}\"]\n  min_confidence: 0.6\n"
        "schedule: {poll: \"* * * * *\"}\n"
        "fetch: {per_host: 4, timeout: 30, max_bytes: 5000000, robots: true, allow_private: true}\n",
        encoding="utf-8",
    )
    return config


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _wait_for(predicate, timeout: float, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode} while waiting for {what}:\n{log.read_text()[-4000:]}")
        time.sleep(1)
    pytest.fail(f"no {what} within {timeout:.0f}s; serve log:\n{log.read_text()[-4000:]}")


def _artifacts(api: str) -> list[dict]:
    response = httpx.post(f"{api}/artifacts/filter", json={"artifacts": {"key": {"like_": "stancewatch-"}}}, timeout=10)
    response.raise_for_status()
    return response.json()


def test_feed_change_reaches_the_inbox_once_and_sigterm_stops_everything(tmp_path):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    with LocalHTTPServer() as news, smtp_sink() as smtp:
        items = seed_pages(news)
        feed_url = news.add_route("/rss.xml", seed_feed([]), content_type="application/rss+xml")
        config = _config(tmp_path, feed_url, smtp.url())
        env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": "",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
        env.pop("PREFECT_API_URL")
        log = tmp_path / "serve.log"
        exe = Path(sys.executable).with_name("stancewatch")
        with log.open("wb") as out:
            serve = subprocess.Popen([str(exe), "--config", str(config), "serve", "--port", str(port)],
                                     stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        try:
            _wait_for(lambda: b"Serving poll" in log.read_bytes(), 120, "serving deployments", serve, log)
            news.add_route("/rss.xml", seed_feed(items), content_type="application/rss+xml")
            changed = time.monotonic()
            _wait_for(lambda: smtp.messages, EMAIL_WAIT, "alert email", serve, log)
            elapsed = time.monotonic() - changed
            print(f"feed change -> email delivered: {elapsed:.0f} s")
            message = smtp.messages[0]
            body = message.get_body(preferencelist=("plain", "html")).get_content()
            assert "Meta" in message["subject"] and "Open-sourcing AI models" in message["subject"]
            assert "Open Source AI is the Path Forward" in body
            assert "careful about what we choose to open source" in body

            status = subprocess.run([str(exe), "--config", str(config), "status", "--json"], env=env,
                                    capture_output=True, text=True, timeout=60)
            assert status.returncode == 0, status.stderr
            [source] = json.loads(status.stdout)["sources"]
            assert source["last_success"] and source["last_error"] is None

            artifacts = _wait_for(lambda: {a["type"] for a in _artifacts(api)} >= {"markdown", "table"} and
                                  _artifacts(api), 60, "analyze and deliveries artifacts", serve, log)
            markdown = [a for a in artifacts if a["type"] == "markdown" and "Meta" in (a["data"] or "")]
            assert markdown and "careful about what we choose to open source" in markdown[-1]["data"]
            tables = [a for a in artifacts if a["type"] == "table"]
            assert any("sent" in json.dumps(a["data"]) for a in tables)
            assert all(f"127.0.0.1:{smtp.port}?" not in json.dumps(a["data"]) for a in tables)  # labels, not URLs

            time.sleep(15)  # another alert run must not repeat it
            assert len(smtp.messages) == 1
            tree = _descendants(serve.pid)
            assert tree, "the Prefect server should be a child of serve"
        finally:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                serve.kill()
                pytest.fail("serve did not stop within 60 s of SIGTERM")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(alive(p) for p in tree):
            time.sleep(0.5)
        assert not [p for p in tree if alive(p)], "children left running after SIGTERM"
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{api}/health", timeout=2)
