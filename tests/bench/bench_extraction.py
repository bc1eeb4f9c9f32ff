"""Article extraction against bare trafilatura, on two page sets, in the same run.

    .venv/bin/python tests/bench/bench_extraction.py [--second-set DIR | --no-second-set] [--sweep]

Sets: the 181 shared pages (../shared/data/articles, ground truth by people) and the 23 pages of
newspaper4k 0.9.6's test data that carry expected text (tests/data/{html,txt,metadata} of its
sdist, MIT; expected text and dates as newspaper4k's own tests check them). The second set is
fetched once with pip (``pip download --no-binary :all: newspaper4k==0.9.6``) into
``$STANCEWATCH_BENCH_CACHE`` (default ~/.cache/stancewatch-bench); ``--second-set`` points at an
unpacked ``tests/data`` folder instead.

For each set and extractor: mean token F1 (page URL given), pages with no text, date accuracy on
the pages with a known date (URL withheld and canonical link removed, see
tests/support/extraction.py), and the text extraction time, measured page by page in alternating
order (twice, after a warm-up), with the ratio ours / bare.
``--sweep`` also scores ``TOO_LITTLE_SHARE`` from 0.05 to 0.9 (how the 0.2 was chosen) and the
date passes: htmldate's cheap search, cheap then extensive when it finds nothing, extensive only.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import extractors.documents._articles as articles  # noqa: E402
from tests.support.extraction import (  # noqa: E402
    EXTRACTORS,
    Score,
    ScoredPage,
    newspaper4k_pages,
    score,
    shared_pages,
    stancewatch,
)

NEWSPAPER4K = "0.9.6"
SWEEP = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 0.9)


def _cache() -> Path:
    return Path(os.environ.get("STANCEWATCH_BENCH_CACHE", Path.home() / ".cache" / "stancewatch-bench"))


def newspaper4k_data(cache: Path) -> Path:
    """newspaper4k's tests/data, downloaded with pip and unpacked on first use."""
    root = cache / f"newspaper4k-{NEWSPAPER4K}"
    data = root / "tests" / "data"
    if data.is_dir():
        return data
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    f"newspaper4k=={NEWSPAPER4K}", "-d", str(cache)], check=True)
    with tarfile.open(cache / f"newspaper4k-{NEWSPAPER4K}.tar.gz") as sdist:
        members = [m for m in sdist.getmembers() if m.name.startswith(f"newspaper4k-{NEWSPAPER4K}/tests/data/")]
        sdist.extractall(cache, members=members, filter="data")
    return data


def _row(name: str, extractor: str, result: Score, seconds: float) -> str:
    return (f"{name:12} {extractor:16} {result.pages:5d} {result.mean_f1:8.4f} {result.empty:5d} "
            f"{result.dates_right:4d}/{result.dated:<4d} {result.date_accuracy:6.3f} {seconds:8.2f} "
            f"{seconds / result.pages * 1000:7.1f}")


def interleaved_seconds(pages: list[ScoredPage], rounds: int = 2) -> dict[str, float]:
    """Text-extraction time of each extractor, page by page in alternating order, so a machine whose
    load changes during the run (other processes on 2 cores) weighs on both alike."""
    for extract in EXTRACTORS.values():  # first calls import and initialise (dateparser alone ~1 s)
        for page in pages[:5]:
            extract(page)
            extract(page, hide_url=True)
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    order = list(EXTRACTORS.items())
    for _ in range(rounds):
        for page in pages:
            for extractor, extract in order:
                started = time.perf_counter()
                extract(page)
                seconds[extractor] += time.perf_counter() - started
            order.reverse()
    return {extractor: total / rounds for extractor, total in seconds.items()}


def compare(name: str, pages: list[ScoredPage]) -> tuple[list[str], list[str]]:
    """(the printed rows, the ROW lines for run_all's table) for one page set."""
    results = {extractor: score(pages, extract) for extractor, extract in EXTRACTORS.items()}
    seconds = interleaved_seconds(pages)
    ours, bare = results["extract_article"], results["bare_extraction"]
    rows = [_row(name, extractor, result, seconds[extractor]) for extractor, result in results.items()]
    ratio = seconds["extract_article"] / seconds["bare_extraction"]
    rows.append(f"{'':12} {'ours - bare':16} {'':5} {ours.mean_f1 - bare.mean_f1:+8.4f} "
                f"{ours.empty - bare.empty:+5d} {ours.dates_right - bare.dates_right:+4d}{'':5} "
                f"{ours.date_accuracy - bare.date_accuracy:+6.3f}   time ratio {ratio:.2f}x")
    figure = f"extraction, {name} ({ours.pages} pages)"
    table = [
        f"ROW\t{figure}: text F1, ours / bare trafilatura\t{ours.mean_f1:.3f} / {bare.mean_f1:.3f}\t>= bare",
        f"ROW\t{figure}: date accuracy, ours / bare ({ours.dated} dated)\t"
        f"{ours.date_accuracy:.3f} / {bare.date_accuracy:.3f}\t>= bare",
        f"ROW\t{figure}: pages with no text, ours / bare\t{ours.empty} / {bare.empty}\t<= bare",
        f"ROW\t{figure}: time, ours / bare\t{ratio:.2f}x ({seconds['extract_article'] / ours.pages * 1000:.1f}"
        f" ms/page)\t-",
    ]
    return rows, table


def _dates_with(pages: list[ScoredPage], extensive: bool) -> list[object]:
    chosen = articles._date_params
    try:
        articles._date_params = lambda: {**chosen(), "extensive_search": extensive}
        return [stancewatch(page, hide_url=True).published for page in pages]
    finally:
        articles._date_params = chosen


def date_passes(name: str, pages: list[ScoredPage]) -> str:
    """Right dates of the cheap htmldate pass, cheap then extensive when it finds nothing, and extensive."""
    dated = [page for page in pages if page.truth_date is not None]
    cheap, extensive = _dates_with(dated, False), _dates_with(dated, True)
    chain = [first or second for first, second in zip(cheap, extensive)]
    right = {label: sum(found == page.truth_date for found, page in zip(dates, dated))
             for label, dates in (("cheap", cheap), ("cheap->extensive", chain), ("extensive", extensive))}
    return f"{name:12} dates right of {len(dated)}: " + "  ".join(f"{k} {v}" for k, v in right.items())


def sweep(name: str, pages: list[ScoredPage]) -> str:
    kept = articles.TOO_LITTLE_SHARE
    scores = []
    try:
        for share in SWEEP:
            articles.TOO_LITTLE_SHARE = share
            scores.append(f"{share}: {score(pages, stancewatch).mean_f1:.4f}")
    finally:
        articles.TOO_LITTLE_SHARE = kept
    return f"{name:12} TOO_LITTLE_SHARE -> mean F1   " + "  ".join(scores)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--second-set", type=Path, help="an unpacked newspaper4k tests/data folder")
    parser.add_argument("--no-second-set", action="store_true", help="only the shared pages")
    parser.add_argument("--sweep", action="store_true", help="also score TOO_LITTLE_SHARE values")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura warns about every odd page
    sets = {"shared": shared_pages()}
    if not args.no_second_set:
        sets["newspaper4k"] = newspaper4k_pages(args.second_set or newspaper4k_data(_cache()))
    print(f"{'set':12} {'extractor':16} {'pages':>5} {'mean F1':>8} {'empty':>5} {'dates':>9} {'acc.':>6} "
          f"{'seconds':>8} {'ms/page':>7}")
    table: list[str] = []
    for name, pages in sets.items():
        rows, figures = compare(name, pages)
        print("\n".join(rows), flush=True)
        table += figures
    if args.sweep:
        for name, pages in sets.items():
            print(date_passes(name, pages))
            print(sweep(name, pages))
    print("\n".join(table))


if __name__ == "__main__":
    main()
