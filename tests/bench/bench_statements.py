"""Benchmarks for attribution and statement assembly (not part of the default test run).

1. Speed, a backfill-like run: the 181 real news pages in ../shared/data/articles,
   trafilatura.extract alone vs. trafilatura.extract + extract_statements with a
   20-company watchlist (a few CEOs as people) and three topics. Prints the ratio
   (goal <= 1.5) and peak memory.
2. Quality: attribution precision/recall on ../shared/data/quotes/quotes.jsonl
   (97 articles, 1,466 hand-annotated quotations). Each article's annotated
   speakers become its watchlist (one entity per annotated `reference`; a person
   when the reference is a personal name); a predicted span matches an annotation
   when word-token Jaccard >= 0.5 and the entity is that reference.

Run: .venv/bin/python tests/bench/bench_statements.py [--speed] [--quotes] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import sys
import time
import tracemalloc
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storage.records import Article, Entity, Person, Topic, Watchlist  # noqa: E402
from tests.support import shared_path  # noqa: E402

SHARED = shared_path("data")
JACCARD = 0.5

COMPANIES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "Google": (("Alphabet", "Google DeepMind"), {"Sundar Pichai": "CEO"}),
    "Apple": ((), {"Tim Cook": "CEO"}),
    "Microsoft": ((), {"Satya Nadella": "CEO"}),
    "Amazon": (("Amazon.com", "AWS"), {"Andy Jassy": "CEO", "Jeff Bezos": "founder"}),
    "Meta": (("Meta Platforms", "Facebook", "Instagram"), {"Mark Zuckerberg": "CEO"}),
    "Tesla": ((), {"Elon Musk": "CEO"}),
    "Nvidia": ((), {"Jensen Huang": "CEO"}),
    "OpenAI": ((), {"Sam Altman": "CEO"}),
    "Intel": ((), {}),
    "IBM": ((), {}),
    "Samsung": (("Samsung Electronics",), {}),
    "Netflix": ((), {"Reed Hastings": "co-founder"}),
    "Uber": ((), {"Dara Khosrowshahi": "CEO"}),
    "Boeing": ((), {}),
    "Disney": (("Walt Disney", "Walt Disney Co"), {"Bob Iger": "CEO"}),
    "Walmart": ((), {"Doug McMillon": "CEO"}),
    "JPMorgan": (("JPMorgan Chase", "JP Morgan"), {"Jamie Dimon": "CEO"}),
    "Goldman Sachs": (("Goldman",), {}),
    "Twitter": (("X Corp",), {"Jack Dorsey": "co-founder"}),
    "Oracle": ((), {"Larry Ellison": "chairman"}),
}

TOPICS = (
    Topic("ai-regulation", "AI regulation", "Governments should regulate artificial intelligence.",
          ("AI regulation", "regulate AI", "artificial intelligence", "AI safety", "AI rules"),
          ("regulation", "oversight", "safeguards", "rules"), ("deregulation", "overregulation", "red tape")),
    Topic("remote-work", "Remote work", "Employees may work remotely.",
          ("remote work", "work from home", "working from home", "return to office", "hybrid work"),
          ("remote work", "flexibility", "work from anywhere"), ("return to office", "in-person", "back to the office")),
    Topic("layoffs", "Layoffs", "The company cuts jobs.",
          ("layoffs", "job cuts", "cut jobs", "headcount", "restructuring"),
          ("layoffs", "job cuts", "cut jobs", "reduce headcount"), ("hiring", "hire", "add jobs")),
)


def bench_watchlist() -> Watchlist:
    entities = tuple(
        Entity(re.sub(r"\W+", "-", name.lower()), name, aliases, tuple(Person(n, r) for n, r in people.items()))
        for name, (aliases, people) in COMPANIES.items()
    )
    return Watchlist(entities, TOPICS)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- speed --------------------------------------------------------------------


def run_speed(repeat: int) -> None:
    import trafilatura

    from extractors.attribution import load_nlp
    from extractors.statements import extract_statements, extract_statements_many

    pages = [gzip.open(p).read() for p in sorted((SHARED / "articles" / "html").glob("*.html.gz"))]
    watchlist = bench_watchlist()
    rss_start = _maxrss_mb()
    t0 = time.perf_counter()
    nlp = load_nlp()
    load_s = time.perf_counter() - t0
    rss_model = _maxrss_mb()

    def extract_all():
        return [trafilatura.extract(page) or "" for page in pages]

    texts = extract_all()  # warm-up
    articles = [Article(url=f"bench://{k}", text=t, published_at=datetime(2020, 1, 1, tzinfo=timezone.utc))
                for k, t in enumerate(texts)]
    extract_statements_many(articles[:5], watchlist, nlp=nlp)  # warm-up

    best_bare = best_one = best_batch = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        extract_all()
        best_bare = min(best_bare, time.perf_counter() - t)
        t = time.perf_counter()
        per_article = [extract_statements(a, watchlist, nlp=nlp) for a in articles]
        best_one = min(best_one, time.perf_counter() - t)
        t = time.perf_counter()
        batched = extract_statements_many(articles, watchlist, nlp=nlp)
        best_batch = min(best_batch, time.perf_counter() - t)
    assert per_article == batched, "batched and one-by-one extraction differ"

    statements = [s for group in batched for s in group]
    print(f"pages: {len(pages)}; statements: {len(statements)} "
          f"({sum(1 for s in statements if s.topic_id)} on a watched topic) in "
          f"{sum(1 for g in batched if g)} pages; by kind {dict(Counter(s.kind for s in statements))}")
    print(f"spaCy load: {load_s:.2f} s (once per process)")
    print(f"trafilatura.extract alone:            {best_bare:.3f} s ({best_bare / len(pages) * 1000:.1f} ms/page)")
    print(f"  + extract_statements, one by one:   {best_one:.3f} s -> ratio {(best_bare + best_one) / best_bare:.2f}")
    print(f"  + extract_statements_many, batched: {best_batch:.3f} s -> ratio {(best_bare + best_batch) / best_bare:.2f}"
          f"  (goal <= 1.5)")
    print(f"peak RSS: {_maxrss_mb():.0f} MB (before spaCy {rss_start:.0f} MB, after loading it {rss_model:.0f} MB)")
    tracemalloc.start()
    extract_statements_many(articles, watchlist, nlp=nlp)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python allocations during one statements pass over all pages (tracemalloc): {peak / 2**20:.1f} MB")
    figure = f"statements, {len(pages)} shared pages"
    print(f"ROW\t{figure}: trafilatura + statements / trafilatura alone\t{(best_bare + best_batch) / best_bare:.2f}x"
          "\t<= 1.5x")
    print(f"ROW\t{figure}: peak RSS (spaCy loaded)\t{_maxrss_mb():.0f} MB\t-")


# --- quality on quotes.jsonl ----------------------------------------------------

_PERSON_NAME = re.compile(r"(?:[A-Z][\w.'’-]+ ){1,3}[A-Z][\w'’-]+")


def quotes_watchlist(row: dict) -> Watchlist:
    """One entity per annotated reference; a person when it is a personal name."""
    entities = []
    for ref in sorted({q["reference"] for q in row["quotations"] if q["reference"].strip()}):
        is_person = ref in row["people"] or _PERSON_NAME.fullmatch(ref)
        entities.append(Entity(ref, ref, (), (Person(ref),) if is_person else ()))
    return Watchlist(tuple(entities), ())


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _jaccard(a: str, b: str) -> float:
    x, y = _tokens(a), _tokens(b)
    return len(x & y) / max(1, len(x | y))


def run_quotes() -> None:
    from extractors.attribution import find_attributions_many

    rows = [json.loads(line) for line in (SHARED / "quotes" / "quotes.jsonl").open()]
    watchlists = [quotes_watchlist(r) for r in rows]
    t = time.perf_counter()
    predicted = [find_attributions_many([r["text"]], wl)[0] for r, wl in zip(rows, watchlists)]
    elapsed = time.perf_counter() - t
    matched = Counter()
    totals = Counter()
    n_pred = n_hit = 0
    for row, wl, preds in zip(rows, watchlists, predicted):
        for p in preds:
            assert row["text"][p.start:p.end] == p.text
        people = {e.id for e in wl.entities if e.people}
        used: set[int] = set()
        n_pred += len(preds)
        for ann in row["quotations"]:
            groups = ("all", "direct" if ann["quote"].strip()[:1] in "\"“" else "indirect",
                      "named speaker" if ann["reference"] in people else "generic speaker",
                      "pronoun speaker" if ann["speaker"].lower() in ("he", "she", "they", "it") else "")
            best, best_j = None, 0.0
            for k, p in enumerate(preds):
                if k in used or p.entity_id != ann["reference"]:
                    continue
                j = _jaccard(p.text, ann["quote"])
                if j > best_j:
                    best, best_j = k, j
            hit = best is not None and best_j >= JACCARD
            if hit:
                used.add(best)
                n_hit += 1
            for g in groups:
                if g:
                    totals[g] += 1
                    matched[g] += hit
    print(f"quotes.jsonl: {len(rows)} articles, {totals['all']} annotated quotations, {n_pred} predicted "
          f"({elapsed:.1f} s)")
    print(f"  precision {n_hit / max(1, n_pred):.3f}  recall {matched['all'] / totals['all']:.3f}  "
          f"(match: same reference and token Jaccard >= {JACCARD})")
    for g in ("direct", "indirect", "named speaker", "generic speaker", "pronoun speaker"):
        print(f"  recall, {g:16s} {matched[g] / max(1, totals[g]):.3f}  ({matched[g]}/{totals[g]})")
    print(f"ROW\tattribution on quotes.jsonl ({totals['all']} quotations): precision / recall\t"
          f"{n_hit / max(1, n_pred):.3f} / {matched['all'] / totals['all']:.3f}\t-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--quotes", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    both = not (args.speed or args.quotes)
    if args.speed or both:
        run_speed(args.repeat)
    if args.quotes or both:
        run_quotes()


if __name__ == "__main__":
    main()
