"""Run every benchmark in tests/bench/ and print one table of their figures, with the machine they ran on.

    python tests/bench/run_all.py [--quick]     # or: make bench
Benchmarks are not tests: they print ratios and figures for the README, they assert nothing.
Each benchmark's output passes through as it runs; every line it prints of the form
``ROW<TAB>figure<TAB>value<TAB>goal`` (goal may be ``-``) becomes a row of the table at the end.
--quick leaves out the 1M-statement archive and the 2,000-feed poll (the slow ones).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# (title, command, slow)
BENCHES = [
    ("extraction: ours vs bare trafilatura (F1, dates, time)", ["bench_extraction.py"], False),
    ("statements: speed ratio vs bare trafilatura, peak memory", ["bench_statements.py", "--speed"], False),
    ("analysis: time per KB from 10 KB to 1 MB", ["bench_analysis.py"], False),
    ("polling: 2,000 feeds on one host", ["bench_polling.py"], True),
    ("shift detection: 10k / 100k / 1M statements, 200 pairs", ["bench_detection.py"], True),
    ("shift detection: labelled cases", ["score_shifts.py"], False),
    ("serve cycle on an empty archive: peak memory", ["bench_archive.py", "--cycle-only"], False),
    ("archive of 1M statements: timeline, status, serve cycle", ["bench_archive.py", "--no-empty-cycle"], True),
]


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    goal: str


def parse_row(line: str) -> Row | None:
    """A ``ROW<TAB>figure<TAB>value<TAB>goal`` line as a Row (goal ``-`` when left out); None for any other line."""
    parts = line.rstrip("\r\n").split("\t")
    if parts[0] != "ROW" or len(parts) < 3:
        return None
    goal = parts[3].strip() if len(parts) > 3 and parts[3].strip() else "-"
    return Row(parts[1].strip(), parts[2].strip(), goal)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.node()}, {_cpu()}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M %Z')}")


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run_bench(here: Path, command: list[str]) -> tuple[int, list[Row]]:
    """Run one benchmark, its output passed through line by line; (exit code, its ROW lines)."""
    rows = []
    with subprocess.Popen([sys.executable, "-u", str(here / command[0]), *command[1:]], cwd=here.parents[1],
                          stdout=subprocess.PIPE, text=True, errors="replace", bufsize=1) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            row = parse_row(line)
            if row is not None:
                rows.append(row)
    return process.returncode, rows


def table(rows: list[Row]) -> str:
    """A Markdown table, ready for the README."""
    head = Row("figure", "value", "goal")
    widths = [max(len(getattr(r, f)) for r in (head, *rows)) for f in ("figure", "value", "goal")]

    def line(cells: tuple[str, str, str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    lines = [line((head.figure, head.value, head.goal)), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += [line((r.figure, r.value, r.goal)) for r in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1M-statement and 2,000-feed benchmarks")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    print(f"machine: {machine()}", flush=True)
    rows: list[Row] = []
    failed = []
    for title, command, slow in BENCHES:
        if slow and args.quick:
            rows.append(Row(title, "skipped (--quick)", "-"))
            continue
        print(f"\n=== {title}  (python tests/bench/{' '.join(command)})", flush=True)
        started = time.monotonic()
        code, found = run_bench(here, command)
        elapsed = time.monotonic() - started
        rows += found
        if code != 0:
            failed.append(title)
            rows.append(Row(f"{title}: FAILED", f"exit {code} after {elapsed:.0f} s", "-"))
        elif not found:
            rows.append(Row(f"{title}: (no ROW lines)", f"ran {elapsed:.0f} s", "-"))
    print(f"\nmachine: {machine()}\n\n{table(rows)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
