"""Shift detection at scale: a synthetic archive of N statements over 200 company x topic pairs.

The archive is a real DuckDB file with the project's migrations, filled by SQL (deterministic:
hash-based draws, the same rows every run). Five years of statements (2021-2025); each pair has a
steady position (stance +-0.6, uniform noise +-0.3); 20 pairs reverse once, at a random date in
the middle three years; 3 % of statements are misread with the wrong sign; 15 % are month-precise
(stored on the 1st of their month); kinds, roles, confidence and a second source are drawn at
random. Then, as the service does:

1. first detection over every pair (``detect_pending`` on an archive whose queue holds them all), which
   also leaves each long pair's settled summary;
2. one new batch of 50 statements (restating each pair's current position) stored through
   ``store_statements``; detection again, which only looks at the pairs the batch touched, from their
   summaries and recent statements;
3. the same batch on a copy without the summaries (full detection of those pairs): the stored shifts
   must be the same (figures, evidence, reasons);
4. ``stancewatch shifts --json`` over the archive: time, the child's own peak memory, bytes printed.

It prints the times, and the shifts found against the planted ones: a planted reversal is found
when its pair has a shift at confidence >= 0.6 (alerted) in the right direction whose change date
is from 60 days before the planted date to 60 days after it (or three times the mean spacing of a
pair's statements, when sparser: 110 days at 10k); every other shift is a false one (alerted or not).

Run: .venv/bin/python tests/bench/bench_detection.py [--statements 10000 100000 1000000] [--cache DIR]
(``--cache``: build each archive once into DIR and copy it for later runs.)
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from flows.detection import detect_pending  # noqa: E402
from storage.db import Archive  # noqa: E402
from storage.detection import queue_all_pairs  # noqa: E402
from storage.records import StatedDate, Statement  # noqa: E402
from storage.shifts import load_shifts  # noqa: E402
from storage.statements import StatementBatch, store_statements  # noqa: E402

PAIRS = 200
PLANTED = 20
MISREAD = 0.03
MONTH_PRECISE = 0.15
START = date(2021, 1, 1)
DAYS = 5 * 365
NOW = datetime(2026, 1, 10, tzinfo=timezone.utc)
ALERT_AT = 0.6
WINDOW_DAYS = 60


def _u(key: str, salt: str) -> str:
    """A deterministic uniform draw in [0, 1) from a hash of the row key."""
    return f"((hash({key}, '{salt}') % 1000003) / 1000003.0)"


_GENERATE = f"""
CREATE TEMP TABLE bench_pairs AS
SELECT i AS pair, 'company-' || (i // 4) AS entity_id, 'topic-' || (i % 4) AS topic_id,
       CASE WHEN {_u('i', 'sign')} < 0.5 THEN 1 ELSE -1 END AS sign,
       CASE WHEN i < {PLANTED} THEN DATE '{START}' + CAST(365 + {_u('i', 'change')} * 3 * 365 AS INTEGER) END
           AS change_on
FROM range({PAIRS}) t(i);

CREATE TEMP TABLE bench_rows AS
SELECT k, p.entity_id, p.topic_id,
       DATE '{START}' + CAST({_u('k', 'day')} * {DAYS} AS INTEGER) AS said_on,
       {_u('k', 'precision')} < {MONTH_PRECISE} AS month_precise,
       CASE WHEN p.change_on IS NOT NULL AND DATE '{START}' + CAST({_u('k', 'day')} * {DAYS} AS INTEGER) >= p.change_on
            THEN -p.sign ELSE p.sign END * 0.6 + ({_u('k', 'noise')} * 0.6 - 0.3) AS true_stance,
       {_u('k', 'misread')} < {MISREAD} AS misread,
       {_u('k', 'kind')} AS kind_draw, {_u('k', 'role')} AS role_draw,
       0.35 + {_u('k', 'confidence')} * 0.5 AS confidence,
       {_u('k', 'sources')} < 0.2 AS two_sources
FROM range(?) t(k) JOIN bench_pairs p ON p.pair = hash(k, 'pair') % {PAIRS};

INSERT INTO articles (id, url, title, published_at, text, content_hash, fetched_at, analyzed_at)
SELECT 'a' || k, 'https://site' || (k % 97) || '.example/' || k, 'Article ' || k, CAST(said_on AS TIMESTAMPTZ),
       'text ' || k, 'hash-a' || k, TIMESTAMPTZ '{NOW}', TIMESTAMPTZ '{NOW}' FROM bench_rows;
INSERT INTO articles (id, url, title, published_at, text, content_hash, fetched_at, analyzed_at)
SELECT 'b' || k, 'https://site' || (k % 97 + 1) || '.example/' || k, 'Article ' || k, CAST(said_on AS TIMESTAMPTZ),
       'text ' || k, 'hash-b' || k, TIMESTAMPTZ '{NOW}', TIMESTAMPTZ '{NOW}' FROM bench_rows WHERE two_sources;

INSERT INTO statement_sources (statement_id, article_id, url, published_at, entity_id, topic_id)
SELECT 's' || k, 'a' || k, 'https://site' || (k % 97) || '.example/' || k, CAST(said_on AS TIMESTAMPTZ), entity_id,
       topic_id FROM bench_rows;
INSERT INTO statement_sources (statement_id, article_id, url, published_at, entity_id, topic_id)
SELECT 's' || k, 'b' || k, 'https://site' || (k % 97 + 1) || '.example/' || k, CAST(said_on AS TIMESTAMPTZ), entity_id,
       topic_id FROM bench_rows WHERE two_sources;

INSERT INTO statements (id, article_id, entity_id, topic_id, speaker, speaker_role, text, kind, stance, stance_label,
                        confidence, attribution_confidence, stance_confidence, is_denial, stated_at,
                        stated_precision, analyzed_at)
SELECT 's' || k, 'a' || k, entity_id, topic_id, 'speaker ' || (k % 13), role, 'statement ' || k, kind, stance,
       CASE WHEN stance >= 0.3 THEN 'pro' WHEN stance <= -0.3 THEN 'con' ELSE 'hedged' END,
       confidence, 0.9, confidence / 0.9, false,
       CASE WHEN month_precise THEN date_trunc('month', said_on) ELSE said_on END,
       CASE WHEN month_precise THEN 'month' ELSE 'day' END, TIMESTAMPTZ '{NOW}'
FROM (
    SELECT *, CASE WHEN misread THEN -true_stance ELSE true_stance END AS stance,
           CASE WHEN kind_draw < 0.35 THEN 'direct' WHEN kind_draw < 0.65 THEN 'indirect'
                WHEN kind_draw < 0.85 THEN 'report' WHEN kind_draw < 0.93 THEN 'own' ELSE 'action' END AS kind,
           CASE WHEN kind_draw >= 0.65 AND kind_draw < 0.85 THEN NULL
                WHEN role_draw < 0.3 THEN 'CEO' WHEN role_draw < 0.5 THEN 'chief operating officer'
                WHEN role_draw < 0.8 THEN 'spokesperson' END AS role
    FROM bench_rows
);
"""


def build_archive(path: Path, statements: int, cache: Path | None = None) -> tuple[Archive, list[tuple]]:
    """Build the archive at `path`; with `cache`, build it there once and copy it (detection changes it)."""
    cached = cache / f"bench-detection-{statements}.duckdb" if cache else None
    if cached is not None and cached.exists():
        shutil.copyfile(cached, path)
    archive = Archive(path, lock_wait=5)
    with archive.connect() as con:
        statements_sql = list(filter(str.strip, _GENERATE.split(";\n")))
        for sql in statements_sql if cached is None or not cached.exists() else statements_sql[:1]:
            con.execute(sql, [statements] if "range(?)" in sql else [])
        if cached is None or not cached.exists():
            queue_all_pairs(con)  # as migration 006 does for an archive made before the detection queue
        planted = con.execute("SELECT entity_id, topic_id, sign, change_on FROM bench_pairs"
                              " WHERE change_on IS NOT NULL ORDER BY pair").fetchall()
        positions = con.execute("SELECT entity_id, topic_id, sign, change_on FROM bench_pairs ORDER BY pair").fetchall()
    if cached is not None and not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, cached)
    return archive, [*planted, positions]


def new_batch(positions: list[tuple], size: int = 50) -> StatementBatch:
    """50 statements in the week after the history, each restating its pair's current position."""
    statements = []
    for i in range(size):
        entity_id, topic_id, sign, change_on = positions[(i * 37) % len(positions)]
        current = -sign if change_on else sign
        statements.append(Statement(
            entity_id=entity_id, speaker="a spokesperson", text=f"new batch statement {i}", start=0, end=10,
            cue="said", kind="direct", stated_at=StatedDate(date(2026, 1, 1) + timedelta(days=i % 7)),
            attribution_confidence=0.9, speaker_role="spokesperson", topic_id=topic_id, stance=0.6 * current,
            stance_label="pro" if current > 0 else "con", stance_confidence=0.7,
            article_id=f"new-{i}", article_url=f"https://new{i % 5}.example/{i}"))
    return StatementBatch(articles=(), statements=tuple(statements), analyzed_at=NOW)


def score(archive: Archive, planted: list[tuple], statements: int) -> dict:
    with archive.connect(read_only=True) as con:
        shifts = load_shifts(con)
        changed_on = dict(con.execute("SELECT id, changed_on FROM shifts").fetchall())
    # the first statement after a change comes about one spacing later (three, to allow for misread ones)
    late = max(WINDOW_DAYS, 3 * DAYS * PAIRS // statements)
    found, matched = 0, set()
    for entity_id, topic_id, sign, change_on in planted:
        direction_down = sign > 0
        for s in shifts:
            if (s.entity_id, s.topic_id) != (entity_id, topic_id) or s.confidence < ALERT_AT:
                continue
            if (s.to_stance < s.from_stance) != direction_down:
                continue
            if -WINDOW_DAYS <= (changed_on[s.id] - change_on).days <= late:
                found += 1
                matched.add(s.id)
                break
    others = [s for s in shifts if s.id not in matched]
    return {"planted": len(planted), "found": found, "other_shifts": len(others),
            "other_alerted": sum(s.confidence >= ALERT_AT for s in others)}


def _shift_rows(archive: Archive) -> list[tuple]:
    """Every stored shift with its figures, evidence and reasons: what incremental and full detection must agree on."""
    with archive.connect(read_only=True) as con:
        return sorted((s.id, s.direction, s.confidence, s.from_stance, s.to_stance, tuple(s.reasons),
                       tuple(sorted(e.id for e in s.before)), tuple(sorted(e.id for e in s.after)),
                       tuple(sorted(e.id for e in s.denials))) for s in load_shifts(con))


# `stancewatch shifts --json` in a child that reports its own peak memory (VmHWM: reset by exec, unlike
# ru_maxrss, which carries the forking parent's)
_SHIFTS_JSON = """
import re, sys
from flows.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
sys.stderr.write(f"PEAK_KB {peak}\\n")
sys.exit(code)
"""


def shifts_json(path: Path) -> dict:
    """Time, peak memory and output size of `stancewatch --db PATH shifts --json`."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _SHIFTS_JSON, "--db", str(path), "shifts", "--json"],
                          capture_output=True, cwd=Path(__file__).resolve().parents[2], check=True)
    seconds = time.perf_counter() - started
    peak_kb = int(done.stderr.decode().rsplit("PEAK_KB ", 1)[1].split()[0])
    return {"json_s": seconds, "json_peak_mb": peak_kb / 1024, "json_bytes": len(done.stdout),
            "json_shifts": done.stdout.count(b'\n    "id": ')}


def run(statements: int, cache: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-detection-") as tmp:
        started = time.perf_counter()
        archive, rows = build_archive(Path(tmp) / "bench.duckdb", statements, cache)
        planted, positions = rows[:-1], rows[-1]
        built = time.perf_counter() - started

        started = time.perf_counter()
        first = detect_pending(archive, now=NOW)
        first_seconds = time.perf_counter() - started
        figures = score(archive, planted, statements)

        archive.save(store_statements, new_batch(positions))
        shutil.copyfile(Path(tmp) / "bench.duckdb", Path(tmp) / "full.duckdb")
        started = time.perf_counter()
        again = detect_pending(archive, now=NOW)
        batch_seconds = time.perf_counter() - started

        # the same batch detected in full (no settled summaries): the shifts must be the same
        full_archive = Archive(Path(tmp) / "full.duckdb", lock_wait=5)
        with full_archive.connect() as con:
            con.execute("DELETE FROM detection_summaries")
        started = time.perf_counter()
        detect_pending(full_archive, now=NOW)
        full_batch_seconds = time.perf_counter() - started
        same = _shift_rows(archive) == _shift_rows(full_archive)
        json_figures = shifts_json(Path(tmp) / "bench.duckdb")
    return {**json_figures, "statements": statements, "build_s": built, "first_detection_s": first_seconds,
            "first_pairs": len(first.pairs), "batch_detection_s": batch_seconds, "batch_pairs": len(again.pairs),
            "batch_incremental": again.incremental, "batch_full_s": full_batch_seconds, "same_as_full": same,
            "batch_new_shifts": len(again.changes.new), **figures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--cache", type=Path, help="build each archive once into this folder and reuse it")
    args = parser.parse_args()
    print(f"machine: {platform.machine()} {platform.processor() or ''} {platform.system()} "
          f"{platform.release()}, Python {platform.python_version()}")
    header = (f"{'statements':>10} {'first detection':>16} {'pairs':>6} {'one batch':>10} {'pairs':>6} "
              f"{'incremental':>12} {'in full':>8} {'same':>5} {'found/planted':>14} {'other shifts':>13} "
              f"{'other alerted':>14}")
    print(header)
    results = []
    for n in args.statements:
        r = run(n, args.cache)
        results.append(r)
        print(f"{r['statements']:>10} {r['first_detection_s']:>15.2f}s {r['first_pairs']:>6} "
              f"{r['batch_detection_s']:>9.3f}s {r['batch_pairs']:>6} {r['batch_incremental']:>12} "
              f"{r['batch_full_s']:>7.2f}s {'yes' if r['same_as_full'] else 'NO':>5} "
              f"{r['found']:>7}/{r['planted']:<6} {r['other_shifts']:>13} {r['other_alerted']:>14}"
              f"   (archive built in {r['build_s']:.1f}s; shifts --json {r['json_s']:.1f}s, "
              f"peak {r['json_peak_mb']:.0f} MB, {r['json_bytes'] / 1e6:.2f} MB)", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    for r in results:
        label = f"detection {r['statements'] // 1000}k" if r["statements"] < 1_000_000 else \
            f"detection {r['statements'] // 1_000_000}M"
        print(f"ROW\t{label}: first detection ({r['first_pairs']} pairs)\t{r['first_detection_s']:.1f} s\t-")
        print(f"ROW\t{label}: one batch ({r['batch_pairs']} pairs, {r['batch_incremental']} from summaries)"
              f"\t{r['batch_detection_s']:.2f} s\t< 1 s")
        print(f"ROW\t{label}: one batch, same shifts as full detection\t"
              f"{'yes' if r['same_as_full'] else 'NO'} (full: {r['batch_full_s']:.1f} s)\tyes")
        print(f"ROW\t{label}: planted shifts found\t{r['found']}/{r['planted']}\t{r['planted']}/{r['planted']}")
        print(f"ROW\t{label}: other shifts (alerted)\t{r['other_shifts']} ({r['other_alerted']})\t0")
        print(f"ROW\t{label}: shifts --json ({r['json_shifts']} shifts, streamed)\t{r['json_s']:.1f} s, "
              f"peak {r['json_peak_mb']:.0f} MB, {r['json_bytes'] / 1e6:.2f} MB printed\tbounded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
