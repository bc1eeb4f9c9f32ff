"""Polling 2,000 small feeds from one local host: first poll, then the unchanged second poll.

    .venv/bin/python tests/bench/bench_polling.py [--feeds N] [--profile FOLDER]

The server runs in its own process (as a real host would: it does not share our GIL), every feed
links one small page on the same host, ``per_host`` is 4, robots.txt is served. Prints the time of
each poll, the robots.txt requests and the most requests the host saw at once. Goal: under 60 s
for the first poll. The counts are asserted by tests/test_polling_scale.py.

``--profile FOLDER`` runs each poll under cProfile in every thread of this process (the flow's, the
task runner's, the fetch session's event loop), writes ``poll-1.prof`` and ``poll-2.prof`` there
(read them with ``python -m pstats``) and prints the project's functions by cumulative time. Times
under the profiler are several times the plain ones.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import multiprocessing
import os
import platform
import pstats
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.polling import HostConcurrencyServer, serve_many_feeds, write_poll_config  # noqa: E402

PER_HOST = 4


def serve(feeds: int, commands, answers) -> None:
    """The host, in a child process: sends its feed URLs, then answers "counts" until "stop"."""
    with HostConcurrencyServer(robots_disallow=["/private/"]) as server:
        answers.put(serve_many_feeds(server, feeds))
        while commands.get() != "stop":
            answers.put({"robots": server.count("/robots.txt"), "requests": len(server.requests),
                         "host_max_in_flight": server.host_max_in_flight})
            server.clear()
            server.host_max_in_flight = 0


def timed_poll(config: Path) -> tuple[float, str]:
    from flows.ingest import poll_sources_flow

    started = time.perf_counter()
    report = poll_sources_flow(config=str(config))
    return time.perf_counter() - started, report.line()


class ThreadProfiles:
    """cProfile in the calling thread and in every thread started while it is on; merged per poll."""

    def __init__(self) -> None:
        self._profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()
        self._run = threading.Thread.run

    def __enter__(self) -> ThreadProfiles:
        profiles, original = self, self._run

        def run(thread: threading.Thread) -> None:
            with profiles.new():
                original(thread)

        threading.Thread.run = run  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        threading.Thread.run = self._run  # type: ignore[method-assign]

    def new(self) -> cProfile.Profile:
        profile = cProfile.Profile()
        with self._lock:
            self._profiles.append(profile)
        return profile

    def dump(self, path: Path) -> pstats.Stats:
        """Merge what every thread recorded so far (threads still running included), then start afresh."""
        with self._lock:
            profiles, self._profiles = self._profiles, []
        stats = pstats.Stats()
        for profile in profiles:
            profile.create_stats()
            if profile.stats:  # type: ignore[attr-defined]
                stats.add(profile)
        stats.dump_stats(path)
        return stats


def profiled(poll: Callable[[Path], tuple[float, str]], profiles: ThreadProfiles, folder: Path):
    calls = iter(range(1, 100))

    def run(config: Path) -> tuple[float, str]:
        with profiles.new():
            try:
                return poll(config)
            finally:
                path = folder / f"poll-{next(calls)}.prof"
                print(f"--- {path}: the project's functions by cumulative time (all threads)")
                profiles.dump(path).sort_stats("cumulative").print_stats(r"/(storage|flows|extractors)/", 25)

    return run


def row_lines(feeds: int, rows: list) -> list[str]:
    (_, first, _, first_counts), (_, second, _, second_counts) = rows
    figure = f"polling {feeds:,} feeds, one host"
    return [
        f"ROW\t{figure}: first poll\t{first:.1f} s\t< 60 s",
        f"ROW\t{figure}: unchanged second poll\t{second:.1f} s\t-",
        f"ROW\t{figure}: requests, first / second poll\t{first_counts['requests']} / {second_counts['requests']}"
        f"\t{2 * feeds + 1} / {feeds + 1}",
        f"ROW\t{figure}: robots.txt fetches, first / second poll\t{first_counts['robots']} / "
        f"{second_counts['robots']}\t1 / 1",
        f"ROW\t{figure}: most requests at once on the host\t"
        f"{max(first_counts['host_max_in_flight'], second_counts['host_max_in_flight'])}\t<= {PER_HOST}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--profile", type=Path, metavar="FOLDER", help="cProfile each poll, all threads")
    args = parser.parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    commands, answers = multiprocessing.Queue(), multiprocessing.Queue()
    host = multiprocessing.Process(target=serve, args=(args.feeds, commands, answers), daemon=True)
    host.start()
    feed_urls = answers.get(timeout=120)
    rows = []
    try:
        with prefect_test_harness(server_startup_timeout=120), \
                temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}), \
                tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
            config = write_poll_config(Path(folder), feed_urls, per_host=PER_HOST)
            poll = timed_poll
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                poll = profiled(timed_poll, stack.enter_context(ThreadProfiles()), args.profile)
            for name in ("first poll", "second poll (unchanged)"):
                seconds, line = poll(config)
                commands.put("counts")
                rows.append((name, seconds, line, answers.get(timeout=60)))
    finally:
        commands.put("stop")
        host.join(timeout=10)
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; python {platform.python_version()}")
    print(f"{args.feeds} feeds on one host, per_host {PER_HOST}")
    print(f"{'poll':26} {'seconds':>8} {'requests':>9} {'robots.txt':>10} {'host max in flight':>18}  report")
    for name, seconds, line, counts in rows:
        print(f"{name:26} {seconds:8.1f} {counts['requests']:9d} {counts['robots']:10d} "
              f"{counts['host_max_in_flight']:18d}  {line}")
    for line in row_lines(args.feeds, rows):
        print(line)


if __name__ == "__main__":
    main()
