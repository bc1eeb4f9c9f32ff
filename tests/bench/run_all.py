"""Run every benchmark in tests/bench/ and print its figures (speed and memory ratios, quality).

    python tests/bench/run_all.py          # or: make bench
Benchmarks are not tests: they print ratios for the README and the issue notes, they assert nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = ["bench_extraction.py", "bench_statements.py", "score_shifts.py"]


def main() -> int:
    here = Path(__file__).resolve().parent
    failed = 0
    for name in BENCHES:
        print(f"\n=== {name}", flush=True)
        failed += subprocess.call([sys.executable, str(here / name)], cwd=here.parents[1]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
