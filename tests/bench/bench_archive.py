"""A large archive: the `timeline` query, `status`, and the peak memory of one serve cycle.

1. A synthetic archive of N statements over 200 company x topic pairs (default 1M), built exactly as
   tests/bench/bench_detection.py builds it (its ``build_archive``, imported).
2. The timeline query: ``storage.shifts.load_evidence`` for one pair (what ``stancewatch timeline`` calls),
   over several pairs: the first query on a fresh read-only connection (as the CLI runs it: the connection's
   caches are cold), the same query again on that warm connection, and the whole call with opening the
   connection; medians and slowest (goal < 50 ms for the query). Then ``stancewatch timeline ENTITY TOPIC
   --html`` in a child process on a copy where detection ran on that pair (a planted reversal, so the page
   has its shift): time and the child's own peak memory (VmHWM).
3. ``status``: ``storage.status.archive_status`` (what ``stancewatch status`` calls) on a fresh connection.
4. One serve cycle (what ``stancewatch run`` and each scheduled ``serve`` cycle do: poll, analyze, detect,
   alert) in a child process: ``stancewatch run`` polling four local feeds (the founding articles and 60 of
   the shared news pages) served on 127.0.0.1, alerting a local webhook sink; its peak memory is the
   child's own VmHWM (/proc/self/status, reset by exec; see tests/test_streams.py) and, sampled twice a
   second, that of Prefect's temporary server it starts. Once on an empty archive, once on a copy of the
   large one (unless --no-large-cycle) whose detection queue is emptied first, as a running service has it
   (detection already ran on every pair; the cycle detects only the pairs its new statements touch).
5. ``stancewatch compact`` (``storage.compact.compact_archive``) on a copy of the large archive: its time and the
   file's size, then the timeline query (fresh and warm) and the view again, in pair order.

Not a test: it prints figures and ROW lines (tests/bench/run_all.py collects them), it asserts nothing.

Run: .venv/bin/python tests/bench/bench_archive.py [--statements 1000000] [--cycle-only]
     [--no-large-cycle] [--no-empty-cycle] [--cache DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_detection import NOW, build_archive  # noqa: E402  (the same archive as the detection bench)

from flows.detection import detect_pending  # noqa: E402
from storage.compact import compact_archive  # noqa: E402
from storage.db import Archive  # noqa: E402
from storage.shifts import load_evidence  # noqa: E402
from storage.status import archive_status  # noqa: E402
from tests.support.httpserver import LocalHTTPServer  # noqa: E402
from tests.support.paths import REPO, REPO_SEEDS, SHARED  # noqa: E402
from tests.support.seedfeed import seed_feed, seed_pages  # noqa: E402
from tests.support.sinks import http_sink  # noqa: E402

TIMELINE_PAIRS = [(f"company-{i}", f"topic-{i % 4}") for i in (7, 23, 31, 42, 49)]  # 'company-' || (pair // 4)
TIMELINE_ROUNDS = 4
WARM_CALLS = 2  # the same query again on the connection that just ran it
HTML_PAIR = ("company-0", "topic-2")  # pair 2: a planted reversal
STATUS_ROUNDS = 5
SHARED_PAGES = 60
PAGES_PER_FEED = 20
CYCLE_TIMEOUT = 1800

# The child: `stancewatch timeline ENTITY TOPIC --html OUT` in-process (flows.cli.main), then its own
# high-water mark and the page's size.
_TIMELINE_HTML = textwrap.dedent("""
    import json, re, sys, time
    from pathlib import Path

    from flows.cli import main
    started = time.monotonic()
    code = main(["--config", sys.argv[1], "timeline", sys.argv[2], sys.argv[3], "--html", sys.argv[4]])
    seconds = time.monotonic() - started
    hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
    print(json.dumps({"code": code, "seconds": seconds, "peak_mb": hwm / 1024,
                      "page_bytes": Path(sys.argv[4]).stat().st_size if code == 0 else 0}))
""")

# The child: `stancewatch run` in-process (flows.cli.main), then its own high-water mark.
_CYCLE = textwrap.dedent("""
    import json, os, re, sys, threading, time
    from pathlib import Path

    def hwm_kb(pid="self"):
        try:
            return int(re.search(r"VmHWM:\\s+(\\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1))
        except (OSError, AttributeError):
            return 0

    def children():
        pids = []
        for task in Path("/proc/self/task").iterdir():
            try:
                pids += (task / "children").read_text().split()
            except OSError:
                pass
        return pids

    peaks, done = {}, threading.Event()
    def sample():
        while not done.wait(0.5):
            for pid in children():
                peaks[pid] = max(peaks.get(pid, 0), hwm_kb(pid))
    threading.Thread(target=sample, daemon=True).start()
    from flows.cli import main
    started = time.monotonic()
    code = main(["--config", sys.argv[1], "run"])
    seconds = time.monotonic() - started
    done.set()
    print(json.dumps({"code": code, "seconds": seconds, "peak_mb": hwm_kb() / 1024,
                      "server_peak_mb": max(peaks.values(), default=0) / 1024}))
""")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def timeline_times(archive: Archive) -> tuple[list[float], list[float], list[float], int]:
    """(first query on a fresh connection, the same query on the warm connection, the first call with opening
    the connection; in seconds) per call, and the statements of the first pair."""
    fresh, warm, totals, sizes = [], [], [], []
    for _ in range(TIMELINE_ROUNDS):
        for entity_id, topic_id in TIMELINE_PAIRS:
            started = time.perf_counter()
            with archive.connect(read_only=True) as con:
                asked = time.perf_counter()
                evidence = load_evidence(con, entity_id, topic_id)
                fresh.append(time.perf_counter() - asked)
                totals.append(time.perf_counter() - started)
                for _ in range(WARM_CALLS):
                    asked = time.perf_counter()
                    load_evidence(con, entity_id, topic_id)
                    warm.append(time.perf_counter() - asked)
            sizes.append(len(evidence))
    return fresh, warm, totals, sizes[0]


def timeline_html(large: Path, folder: Path) -> dict:
    """`stancewatch timeline ENTITY TOPIC --html` in a child process, on a copy of the large archive where
    detection ran on that pair."""
    copy = folder / "html.duckdb"
    shutil.copyfile(large, copy)
    shifts = len(detect_pending(Archive(copy), now=NOW, pairs=[HTML_PAIR]).changes.new)
    (entity_id, topic_id), config = HTML_PAIR, folder / "timeline.yaml"
    config.write_text(f"database: {copy}\nentities:\n  - {{id: {entity_id}, name: {entity_id}}}\ntopics:\n"
                      f"  - {{id: {topic_id}, name: {topic_id}, proposition: {topic_id} is right, keywords: [{topic_id}]}}\n",
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _TIMELINE_HTML, str(config), entity_id, topic_id,
                           str(folder / "timeline.html")], cwd=REPO, capture_output=True, text=True,
                          timeout=CYCLE_TIMEOUT, env=_child_env(folder / "prefect-home"))
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("{"):
        return {"code": done.returncode, "error": (done.stderr or done.stdout)[-2000:]}
    return {**json.loads(lines[-1]), "shifts": shifts}


def view_times(archive: Archive) -> list[float]:
    times = []
    for entity_id, topic_id in TIMELINE_PAIRS:
        with archive.connect(read_only=True) as con:
            started = time.perf_counter()
            con.execute("SELECT * FROM statement_timeline WHERE entity_id = ? AND topic_id = ?",
                        [entity_id, topic_id]).fetchall()
            times.append(time.perf_counter() - started)
    return times


def settle(archive: Archive) -> None:
    """The archive as a running service has it: detection has run on every pair (its queue is empty), so
    the cycle detects only the pairs its own new statements touch. (The bench archive queues every pair.)"""
    with archive.connect() as con:
        con.execute("DELETE FROM detection_queue")


def status_times(archive: Archive) -> list[float]:
    times = []
    for _ in range(STATUS_ROUNDS):
        started = time.perf_counter()
        with archive.connect(read_only=True) as con:
            archive_status(con)
        times.append(time.perf_counter() - started)
    return times


def _watchlist_yaml() -> str:
    watchlist = (REPO_SEEDS / "watchlist.yaml").read_text(encoding="utf-8")
    return "entities:" + watchlist.partition("entities:")[2].split("alerts:")[0]


def _rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid></item>" for url, title in items)
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local news</title>"
            f"<link>http://127.0.0.1/</link><description>bench</description>{entries}</channel></rss>")


def serve_feeds(news: LocalHTTPServer) -> list[str]:
    """Four feeds on the local server: the founding articles, and 60 shared news pages in three."""
    feeds = [news.add_route("/seeds.xml", seed_feed(seed_pages(news)), content_type="application/rss+xml")]
    html = sorted((SHARED / "data" / "articles" / "html").glob("*.html.gz"))[:SHARED_PAGES]
    pages = [(news.add_route(f"/news/{p.name.removesuffix('.html.gz')}", gzip.decompress(p.read_bytes())), p.name)
             for p in html]
    for k in range(0, len(pages), PAGES_PER_FEED):
        feeds.append(news.add_route(f"/feed-{k // PAGES_PER_FEED}.xml", _rss(pages[k:k + PAGES_PER_FEED]),
                                    content_type="application/rss+xml"))
    return feeds


def serve_cycle(database: Path, folder: Path) -> dict:
    """One `stancewatch run` against local feeds and a local webhook, in a child process."""
    with ExitStack() as stack:
        news = stack.enter_context(LocalHTTPServer())
        sink = stack.enter_context(http_sink())
        sources = "".join(f"  - {{name: Local feed {k}, feed: \"{url}\"}}\n" for k, url in enumerate(serve_feeds(news)))
        config = folder / "stancewatch.yaml"
        config.write_text(
            f"database: {database}\nsources:\n{sources}{_watchlist_yaml()}"
            f"alerts:\n  urls: [\"json://{sink.host}:{sink.port}/hook\"]\n  min_confidence: 0.6\n"
            "fetch: {per_host: 4, timeout: 30, max_bytes: 5000000, robots: true, allow_private: true}\n",
            encoding="utf-8")
        env_home = folder / "prefect-home"
        env_home.mkdir(exist_ok=True)
        done = subprocess.run([sys.executable, "-c", _CYCLE, str(config)], cwd=REPO, capture_output=True, text=True,
                              timeout=CYCLE_TIMEOUT, env=_child_env(env_home))
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines or not lines[-1].startswith("{"):
            return {"code": done.returncode, "error": (done.stderr or done.stdout)[-2000:]}
        result = json.loads(lines[-1])
        result["output"] = [line for line in lines[:-1] if line.strip()]
        result["posts"] = len(sink.posted)
        return result


def _child_env(prefect_home: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(prefect_home)  # a Prefect database of its own, so the cycle starts from nothing
    return env


def _print_cycle(label: str, result: dict) -> list[tuple[str, str, str]]:
    if "error" in result:
        print(f"serve cycle, {label}: FAILED (exit {result['code']}):\n{result['error']}")
        return [(f"serve cycle ({label}): peak memory", f"failed (exit {result['code']})", "-")]
    for line in result["output"]:
        print(f"  {line}")
    print(f"serve cycle, {label}: exit {result['code']} in {result['seconds']:.1f} s, {result['posts']} webhook posts;"
          f" peak memory {result['peak_mb']:.0f} MB (the run), {result['server_peak_mb']:.0f} MB (Prefect's"
          " temporary server)", flush=True)
    return [(f"serve cycle ({label}): peak memory, run / Prefect server",
             f"{result['peak_mb']:.0f} MB / {result['server_peak_mb']:.0f} MB", "-"),
            (f"serve cycle ({label}): time", f"{result['seconds']:.1f} s", "-")]


def after_compact(tmp: Path, size: str) -> list[tuple[str, str, str]]:
    """`stancewatch compact` (``storage.compact.compact_archive``) on a copy of the large archive: its time and
    the file's size, then the timeline query again and the view (the figures above are of batch order)."""
    copy = tmp / "compacted.duckdb"
    shutil.copyfile(tmp / "large.duckdb", copy)
    before = copy.stat().st_size
    started = time.perf_counter()
    summary = compact_archive(Archive(copy))
    seconds = time.perf_counter() - started
    after = copy.stat().st_size
    print(f"compact: {', '.join(f'{t} {n:,} rows' for t, n in summary.tables)} rewritten in pair order in"
          f" {seconds:.1f} s; file {before / 1e6:.0f} -> {after / 1e6:.0f} MB", flush=True)
    archive = Archive(copy)
    fresh, warm, totals, _ = timeline_times(archive)
    view = view_times(archive)
    print(f"after compact: timeline query on a fresh connection median {_ms(statistics.median(fresh))}, slowest"
          f" {_ms(max(fresh))}; on a warm connection median {_ms(statistics.median(warm))}, slowest {_ms(max(warm))};"
          f" with opening the connection median {_ms(statistics.median(totals))}; statement_timeline view median"
          f" {_ms(statistics.median(view))}", flush=True)
    return [(f"archive {size}: compact (statements + sources rewritten in pair order), file size",
             f"{seconds:.1f} s, {before / 1e6:.0f} -> {after / 1e6:.0f} MB", "-"),
            (f"archive {size}: timeline query after compact, fresh connection, median", _ms(statistics.median(fresh)),
             "< 50 ms"),
            (f"archive {size}: timeline query after compact, warm connection, median", _ms(statistics.median(warm)),
             "< 50 ms"),
            (f"archive {size}: statement_timeline view after compact, one pair, median",
             _ms(statistics.median(view)), "-")]


def large_archive(tmp: Path, statements: int, cycle: bool, cache: Path | None = None) -> list[tuple[str, str, str]]:
    size = f"{statements / 1e6:g}M" if statements >= 1_000_000 else f"{statements // 1000}k"
    started = time.perf_counter()
    archive, _ = build_archive(tmp / "large.duckdb", statements, cache)
    print(f"archive of {statements:,} statements built in {time.perf_counter() - started:.1f} s", flush=True)
    fresh, warm, totals, pair_size = timeline_times(archive)
    print(f"timeline (load_evidence, one pair, ~{pair_size:,} statements; {len(fresh)} calls over "
          f"{len(TIMELINE_PAIRS)} pairs): query on a fresh connection median {_ms(statistics.median(fresh))},"
          f" slowest {_ms(max(fresh))}; on a warm connection median {_ms(statistics.median(warm))}, slowest"
          f" {_ms(max(warm))}; with opening the connection median {_ms(statistics.median(totals))}", flush=True)
    (tmp / "html").mkdir()
    page = timeline_html(tmp / "large.duckdb", tmp / "html")
    if "error" in page:
        print(f"timeline --html: FAILED (exit {page['code']}):\n{page['error']}", flush=True)
        page_row = f"failed (exit {page['code']})"
    else:
        print(f"timeline --html ({HTML_PAIR[0]} / {HTML_PAIR[1]}): exit {page['code']} in {page['seconds']:.1f} s,"
              f" page {page['page_bytes'] / 1e6:.1f} MB with {page['shifts']} shift(s), peak memory {page['peak_mb']:.0f} MB", flush=True)
        page_row = f"{page['peak_mb']:.0f} MB ({page['seconds']:.1f} s)"
    status = status_times(archive)
    print(f"status (archive_status with its connection, {len(status)} calls): median {_ms(statistics.median(status))},"
          f" slowest {_ms(max(status))}", flush=True)
    rows = [(f"archive {size}: timeline query, one pair (~{pair_size:,} statements), fresh connection, median",
             _ms(statistics.median(fresh)), "< 50 ms"),
            (f"archive {size}: timeline query, one pair, warm connection, median", _ms(statistics.median(warm)),
             "< 50 ms"),
            (f"archive {size}: timeline, one pair, with opening the connection, median",
             _ms(statistics.median(totals)), "-"),
            (f"archive {size}: timeline --html, one pair: peak memory (time)", page_row, "-"),
            (f"archive {size}: status", _ms(statistics.median(status)), "-")]
    view = view_times(archive)
    print(f"statement_timeline view for one pair (what a user types in `stancewatch sql`): median "
          f"{_ms(statistics.median(view))}", flush=True)
    rows.append((f"archive {size}: statement_timeline view, one pair, median", _ms(statistics.median(view)), "-"))
    rows += after_compact(tmp, size)
    if cycle:
        copy = tmp / "cycle-large.duckdb"
        shutil.copyfile(tmp / "large.duckdb", copy)
        settle(Archive(copy))
        (tmp / "large").mkdir()
        rows += _print_cycle(f"{size} archive", serve_cycle(copy, tmp / "large"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000, help="statements in the synthetic archive")
    parser.add_argument("--cycle-only", action="store_true", help="only the serve cycle on an empty archive")
    parser.add_argument("--no-large-cycle", action="store_true", help="no serve cycle on the large archive")
    parser.add_argument("--no-empty-cycle", action="store_true", help="no serve cycle on an empty archive")
    parser.add_argument("--cache", type=Path, help="build the archive once into this folder (shared with"
                        " bench_detection.py --cache) and copy it")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as name:
        tmp = Path(name)
        if not args.no_empty_cycle:
            (tmp / "empty").mkdir()
            rows += _print_cycle("empty archive", serve_cycle(tmp / "empty" / "archive.duckdb", tmp / "empty"))
        if not args.cycle_only:
            rows += large_archive(tmp, args.statements, cycle=not args.no_large_cycle, cache=args.cache)
    for figure, value, goal in rows:
        print(f"ROW\t{figure}\t{value}\t{goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
