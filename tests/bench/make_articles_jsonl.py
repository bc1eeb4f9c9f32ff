"""Turn the 181-page benchmark into backfill JSONL (url + html per line).

    .venv/bin/python tests/bench/make_articles_jsonl.py OUT.jsonl [--gzip]
    stancewatch backfill OUT.jsonl

Each line is {"url": <the page's URL from ground-truth.json>, "html": <the
page>} from shared/data/articles; no "published", so dates come from the pages.
With --gzip the output is written gzip-compressed (name it OUT.jsonl.gz).
``write_articles_jsonl`` does the same from Python (tests, flows).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from trafilatura.utils import decode_file  # noqa: E402

from tests.httpserver import shared_path  # noqa: E402


def write_articles_jsonl(out: Path, *, compress: bool = False, limit: int | None = None) -> int:
    """Write the benchmark pages to ``out`` as backfill JSONL; returns the line count."""
    folder = shared_path("data", "articles")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    page_ids = sorted(truth)[:limit]
    opener = gzip.open if compress else open
    with opener(out, "wt", encoding="utf-8") as sink:
        for page_id in page_ids:
            raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
            html = decode_file(raw)  # the page's own encoding, as trafilatura detects it
            sink.write(json.dumps({"url": truth[page_id]["url"], "html": html}, ensure_ascii=False) + "\n")
    return len(page_ids)


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
