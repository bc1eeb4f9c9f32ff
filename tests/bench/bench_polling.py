"""Polling 2,000 small feeds from one local host: first poll, then the unchanged second poll.

    .venv/bin/python tests/bench/bench_polling.py [--feeds N]

The server runs in its own process (as a real host would: it does not share our GIL), every feed
links one small page on the same host, ``per_host`` is 4, robots.txt is served. Prints the time of
each poll, the robots.txt requests and the most requests the host saw at once. Goal: under 60 s
for the first poll. The counts are asserted by tests/test_polling_scale.py.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import tempfile
import time
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=2000)
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
                tempfile.TemporaryDirectory() as folder:
            config = write_poll_config(Path(folder), feed_urls, per_host=PER_HOST)
            for name in ("first poll", "second poll (unchanged)"):
                seconds, line = timed_poll(config)
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


if __name__ == "__main__":
    main()
