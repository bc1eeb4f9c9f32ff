"""Run every benchmark in tests/bench/ and print its figures, with the machine they ran on.

    python tests/bench/run_all.py [--quick]     # or: make bench
Benchmarks are not tests: they print ratios and figures for the README, they assert nothing.
--quick leaves out the 1M-statement archive and the 2,000-feed poll (the slow ones).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCHES = [
    ("extraction: ours vs bare trafilatura (F1, dates, time)", ["bench_extraction.py"], False),
    ("statements: speed ratio vs bare trafilatura, peak memory", ["bench_statements.py", "--speed"], False),
    ("analysis: time per KB from 10 KB to 1 MB", ["bench_analysis.py"], False),
    ("polling: 2,000 feeds on one host", ["bench_polling.py"], True),
    ("shift detection: 10k / 100k / 1M statements, 200 pairs", ["bench_detection.py"], True),
    ("shift detection: labelled cases", ["score_shifts.py"], False),
]


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1M-statement and 2,000-feed benchmarks")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    print(f"machine: {machine()}")
    summary = []
    for title, command, slow in BENCHES:
        if slow and args.quick:
            summary.append((title, "skipped (--quick)", 0.0))
            continue
        print(f"\n=== {title}  (python tests/bench/{' '.join(command)})", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(here / command[0]), *command[1:]], cwd=here.parents[1])
        summary.append((title, "ok" if code == 0 else f"exit {code}", time.monotonic() - started))
    print(f"\n{'benchmark':60} {'result':18} {'seconds':>8}")
    for title, result, seconds in summary:
        print(f"{title:60} {result:18} {seconds:8.0f}")
    return 0 if all(r in ("ok", "skipped (--quick)") for _, r, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
