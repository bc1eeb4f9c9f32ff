"""Turn the 181-page benchmark into backfill JSONL (url + html per line).

    .venv/bin/python tests/bench/make_articles_jsonl.py OUT.jsonl [--gzip]
    stancewatch backfill OUT.jsonl

Each line is {"url": <the page's URL from ground-truth.json>, "html": <the
page>} from shared/data/articles; no "published", so dates come from the pages.
With --gzip the output is written gzip-compressed (name it OUT.jsonl.gz).
``tests.support.write_articles_jsonl`` does the same from Python (tests, flows).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support import write_articles_jsonl  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path, help="the JSONL file to write")
    parser.add_argument("--gzip", action="store_true", help="gzip the output")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    count = write_articles_jsonl(args.out, compress=args.gzip, limit=args.limit)
    print(f"wrote {count} articles to {args.out}")


if __name__ == "__main__":
    main()
