"""Real signals to a real `stancewatch backfill` (a folder of many local pages): a Ctrl-C or SIGTERM, to the
process group or to the main process alone, stops it within seconds with what was read saved, the summary
printed, exit code 130 / 143, no traceback, and no process left (its temporary Prefect server included)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.support.processes import alive

pytestmark = pytest.mark.timeout(300)

PAGES = 1200  # 24 batches of 50: a signal after the second lands mid-run
STOP_WITHIN = 30  # seconds from the signal to the exit (the grace period is 10 s; a busy 2-core machine)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    # HTML, so each batch is extracted (~0.3 s here): a run of plain-text pages is mostly archive writes, its
    # file locked nearly all the time, and the test's look at the archive could miss every batch until the end
    for n in range(PAGES):
        paragraphs = "".join(f"<p>Paragraph {k} of page {n}: this local page is read by a backfill, one of many in "
                             "a long folder, and its text is long enough to be an article.</p>" for k in range(8))
        html = (f"<html><head><title>Local page {n}</title></head><body><article><h1>Local page {n}</h1>"
                f"{paragraphs}</article></body></html>")
        (folder / f"page{n:04d}.html").write_text(html, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory) -> Path:
    """One Prefect home for the module's runs: its database is migrated once (~20 s), not per run."""
    return tmp_path_factory.mktemp("prefect-home")


def _start(tmp_path: Path, pages: Path, prefect_home: Path) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(prefect_home), PYTHONUNBUFFERED="1")
    out = tmp_path / "output.txt"
    exe = Path(sys.executable).with_name("stancewatch")
    with out.open("wb") as sink:
        # a session of its own, as a shell gives a job: killpg reaches the command and nothing else
        process = subprocess.Popen([str(exe), "-v", "--db", str(tmp_path / "archive.duckdb"), "backfill", str(pages)],
                                   stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
                                   start_new_session=True)
    return process, out


def _wait_for_saved(process: subprocess.Popen, out: Path, db: Path, count: int, timeout: float = 180) -> None:
    """Until the archive holds `count` articles (looked at between the backfill's writes: it opens the
    file only to write a batch, and a read-only look takes milliseconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"backfill ended ({process.returncode}) before {count} articles:\n{out.read_text()[-3000:]}")
        if _articles_now(db) >= count:
            return
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"not {count} articles within {timeout} s:\n{out.read_text()[-3000:]}")


def _articles_now(db: Path) -> int:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.Error:  # not created yet, or held by the backfill this moment
        return 0


def _server_of(process: subprocess.Popen) -> list[int]:
    """The pid of the command's Prefect server (a session of its own, so not in the command's group)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if len(argv) > 2 and argv[1].endswith(b"_prefect_server_child.py") and argv[2] == str(process.pid).encode():
                found.append(int(entry.name))
    return found


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def _articles(tmp_path: Path) -> int:
    with duckdb.connect(str(tmp_path / "archive.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def _signal(process: subprocess.Popen, signum: int, to_group: bool) -> None:
    (os.killpg if to_group else os.kill)(process.pid, signum)


@pytest.mark.parametrize(("signum", "to_group"), [(signal.SIGINT, True), (signal.SIGTERM, True),
                                                   (signal.SIGINT, False), (signal.SIGTERM, False)],
                         ids=["ctrl-c-to-group", "sigterm-to-group", "sigint-to-main", "sigterm-to-main"])
def test_a_signal_mid_backfill_saves_what_was_read_prints_the_summary_and_leaves_nothing(
        tmp_path, pages, prefect_home, signum, to_group):
    process, out = _start(tmp_path, pages, prefect_home)
    _wait_for_saved(process, out, tmp_path / "archive.duckdb", 100)  # two batches read and saved
    server = _server_of(process)
    assert len(server) == 1, "the command runs its own Prefect server"

    signalled = time.monotonic()
    _signal(process, signum, to_group)
    code = process.wait(timeout=STOP_WITHIN)

    assert time.monotonic() - signalled < STOP_WITHIN
    assert code == 128 + signum
    assert _gone_within(server, 5) == []
    text = out.read_text(errors="replace")
    assert "Traceback" not in text
    assert f"stopped by {signal.Signals(signum).name}" in text
    new = int(re.search(r"^backfill: (\d+) new, 0 duplicate, 0 failed$", text, re.M).group(1))
    assert 0 < new < PAGES and new % 50 == 0  # whole batches, and not all of them
    assert _articles(tmp_path) == new  # what the summary says is in the archive
    assert "Traceback" not in (prefect_home / "stancewatch-server.log").read_text(errors="replace")


def test_a_second_signal_stops_at_once_and_the_next_backfill_reads_the_rest(tmp_path, pages, prefect_home):
    process, out = _start(tmp_path, pages, prefect_home)
    _wait_for_saved(process, out, tmp_path / "archive.duckdb", 100)
    server = _server_of(process)
    os.killpg(process.pid, signal.SIGINT)
    time.sleep(0.3)  # two signals at once would be one; a batch takes longer than this
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=STOP_WITHIN) == 130
    assert _gone_within(server, 5) == []
    text = out.read_text(errors="replace")
    assert "Traceback" not in text and "stopped at once (a second signal)" in text
    saved = _articles(tmp_path)
    assert saved % 50 == 0  # a batch is written whole or not at all

    again, out = _start(tmp_path, pages, prefect_home)
    assert again.wait(timeout=240) == 0
    text = out.read_text(errors="replace")
    assert f"backfill: {PAGES - saved} new, {saved} duplicate, 0 failed" in text and "Traceback" not in text
    assert _articles(tmp_path) == PAGES


def test_a_killed_command_leaves_no_prefect_server_running(tmp_path, pages, prefect_home):
    process, out = _start(tmp_path, pages, prefect_home)
    _wait_for_saved(process, out, tmp_path / "archive.duckdb", 50)
    server = _server_of(process)
    assert len(server) == 1
    process.kill()  # SIGKILL: no handler, no clean-up in the command
    process.wait(timeout=10)
    assert _gone_within(server, 10) == []  # the server notices its parent is gone and stops


def _prefect_rows(prefect_home: Path, sql: str) -> int:
    with sqlite3.connect(prefect_home / "prefect.db") as con:  # Prefect's own database, read after the run
        return con.execute(sql).fetchone()[0]


def test_the_temporary_server_deletes_flow_runs_older_than_the_history(tmp_path, prefect_home):
    folder = tmp_path / "few"
    folder.mkdir()
    for n in range(60):
        (folder / f"p{n}.txt").write_text(f"Page {n}\n\n" + f"A short local page, number {n}. " * 10, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(prefect_home))
    exe = Path(sys.executable).with_name("stancewatch")

    def backfill(history_days: str) -> str:
        run = subprocess.run([str(exe), "-v", "--db", str(tmp_path / "a.duckdb"), "backfill", str(folder)],
                             env={**env, "STANCEWATCH_PREFECT_HISTORY_DAYS": history_days}, capture_output=True,
                             text=True, timeout=240)
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout + run.stderr

    runs, tasks = "SELECT count(*) FROM flow_run", "SELECT count(*) FROM task_run"
    orphans = "SELECT count(*) FROM task_run WHERE flow_run_id NOT IN (SELECT id FROM flow_run)"
    backfill("7")
    backfill("7")
    assert _prefect_rows(prefect_home, runs) >= 2  # kept: none is 7 days old
    output = backfill("0")  # every run that ended (or started) before this one is deleted when its server starts
    assert _prefect_rows(prefect_home, runs) == 1, output[-3000:]
    assert _prefect_rows(prefect_home, tasks) > 0 and _prefect_rows(prefect_home, orphans) == 0
