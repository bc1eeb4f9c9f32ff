"""Shift detection at scale (issue 10, item 9): precision that does not fall with history length,
month-precise piles that do not make blips, sub-quadratic segmentation, and incremental detection
(only the pairs a batch touched) against a real DuckDB archive.

The figures for 10k-1M statements over 200 pairs: `python tests/bench/bench_detection.py`.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from extractors.shifts import SUMMARY_MIN, detect_from_summary, detect_full, detect_shifts, summarize
from extractors.shifts._detect import known_date
from flows.detection import detect_pending
from storage.db import Archive
from storage.records import EvidenceStatement, StatedDate, Statement, position_label
from storage.statements import StatementBatch, store_statements

NOW = datetime(2026, 1, 10, tzinfo=timezone.utc)
START = date(2021, 1, 1)
DAYS = 5 * 365
KINDS = ("direct", "direct", "indirect", "indirect", "report", "own", "action")
ROLES = ("CEO", "chief operating officer", "spokesperson", None)


def noisy_history(seed: int, count: int, *, sign: int = 1, change_on: date | None = None,
                  misread: float = 0.03, month_precise: float = 0.15) -> list[EvidenceStatement]:
    """One pair's statements over five years: stance sign x 0.6 +- 0.3 (the sign flips on `change_on`),
    a share misread with the wrong sign, a share month-precise (dated on the 1st), mixed kinds and roles."""
    rng = random.Random(seed)
    statements = []
    for i in range(count):
        said = START + timedelta(days=rng.randrange(DAYS))
        position = -sign if change_on and said >= change_on else sign
        stance = position * 0.6 + rng.uniform(-0.3, 0.3)
        if rng.random() < misread:
            stance = -stance
        precise = rng.random() >= month_precise
        kind = rng.choice(KINDS)
        statements.append(EvidenceStatement(
            id=f"{seed}-{i}", entity_id=f"company-{seed}", topic_id="topic", speaker=f"speaker {i % 7}",
            text=f"statement {i}", stance=round(stance, 3), stance_label=position_label(stance),
            confidence=round(rng.uniform(0.35, 0.85), 3), kind=kind,
            stated_at=said if precise else said.replace(day=1), stated_precision="day" if precise else "month",
            url=f"https://site{i % 31}.example/{seed}/{i}", source_count=2 if rng.random() < 0.2 else 1,
            speaker_role=None if kind == "report" else rng.choice(ROLES)))
    return statements


@pytest.mark.parametrize("count", [60, 600, 3000])
def test_steady_noisy_histories_have_no_shift_whatever_their_length(count):
    """3 % of statements misread with the wrong sign: noise, not a change of position, at any length."""
    found = []
    for seed in range(12):
        changes = detect_shifts(noisy_history(seed, count, sign=1 if seed % 2 else -1), [], now=NOW)
        found.extend((seed, s.direction, s.confidence, len(s.after)) for s in changes.new)
    assert found == []


@pytest.mark.parametrize("count", [60, 600, 3000])
def test_a_reversal_in_a_long_noisy_history_is_one_alerted_shift_at_its_date(count):
    for seed in range(6):
        change_on = START + timedelta(days=400 + 150 * seed + 14)  # mid-month: the month-precise pile straddles it
        sign = 1 if seed % 2 else -1
        [shift] = detect_shifts(noisy_history(100 + seed, count, sign=sign, change_on=change_on), [], now=NOW).new
        assert shift.direction == ("pro->con" if sign > 0 else "con->pro")
        assert shift.confidence >= 0.6
        changed_on = min(s.stated_at for s in shift.after)
        # within about three statements' spacing (a month-precise one counts from the 1st)
        assert abs((changed_on - change_on).days) <= max(45, 3 * DAYS // count), (seed, changed_on, change_on)
        assert len(shift.before) <= 25 and len(shift.after) <= 25  # bounded evidence; every statement counted
        assert int(shift.reasons[0].split()[0]) >= len(shift.after)  # the reasons count every statement


def test_month_precise_piles_do_not_split_one_move_in_two():
    change_on = date(2023, 6, 15)
    history = noisy_history(7, 2000, sign=1, change_on=change_on, misread=0.0, month_precise=0.4)
    changes = detect_shifts(history, [], now=NOW)
    assert [s.direction for s in changes.new] == ["pro->con"]
    assert changes.new[0].confidence >= 0.6


def _seconds(history: list[EvidenceStatement]) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        detect_shifts(history, [], now=NOW)
        best = min(best, time.perf_counter() - started)
    return best


def test_segmentation_is_sub_quadratic():
    small = noisy_history(1, 4000, change_on=date(2023, 3, 3))
    large = noisy_history(1, 16000, change_on=date(2023, 3, 3))
    ratio = _seconds(large) / _seconds(small)
    assert ratio < 9, f"4x the statements took {ratio:.1f}x the time (quadratic: 16x)"


# --- incremental detection over a real archive ---------------------------------------------


def _statement(pair: int, day: int, stance: float, n: int) -> Statement:
    return Statement(
        entity_id=f"company-{pair}", speaker="a spokesperson", text=f"pair {pair} statement {n}", start=0, end=10,
        cue="said", kind="direct", stated_at=StatedDate(date(2024, 1, 1) + timedelta(days=day)),
        attribution_confidence=0.9, speaker_role="spokesperson", topic_id="topic", stance=stance,
        stance_label=position_label(stance), stance_confidence=0.8, article_id=f"article-{pair}-{n}",
        article_url=f"https://news{n % 3}.example/{pair}/{n}")


def _batch(statements: list[Statement]) -> StatementBatch:
    return StatementBatch(articles=(), statements=tuple(statements), analyzed_at=NOW)


def test_detection_looks_only_at_the_pairs_a_batch_touched(tmp_path):
    archive = Archive(tmp_path / "archive.duckdb", lock_wait=5)
    history = [_statement(pair, day, 0.7 if pair else (0.7 if day < 100 else -0.7), n)
               for pair in range(3) for n, day in enumerate(range(0, 200, 20))]
    archive.save(store_statements, _batch(history))
    first = detect_pending(archive, now=NOW)
    assert first.pairs == (("company-0", "topic"), ("company-1", "topic"), ("company-2", "topic"))
    assert [s.direction for s in first.changes.new] == ["pro->con"]

    assert detect_pending(archive, now=NOW).pairs == ()  # nothing new: nothing read, nothing written

    archive.save(store_statements, _batch([_statement(2, 210, 0.6, 99)]))
    again = detect_pending(archive, now=NOW)
    assert again.pairs == (("company-2", "topic"),) and not again.changes
    with archive.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM detection_queue").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM shifts").fetchone()[0] == 1


def test_a_pair_queued_while_detection_ran_stays_queued(tmp_path):
    archive = Archive(tmp_path / "archive.duckdb", lock_wait=5)
    archive.save(store_statements, _batch([_statement(0, day, 0.7, n) for n, day in enumerate(range(0, 100, 10))]))
    with archive.connect() as con:
        (queued_at,) = con.execute("SELECT queued_at FROM detection_queue").fetchone()
    # a later batch for the same pair lands after detection read the queue but before it saved
    from storage.detection import DetectionResult, save_detection
    from storage.records import ShiftChanges

    archive.save(store_statements, _batch([_statement(0, 120, 0.7, 50)]))
    archive.save(save_detection, DetectionResult(ShiftChanges(), (("company-0", "topic"),), queued_at))
    with archive.connect(read_only=True) as con:
        assert con.execute("SELECT entity_id FROM detection_queue").fetchall() == [("company-0",)]


# --- incremental detection: a settled summary plus the recent tail gives full detection's result ------------


def _grown(seed: int, count: int, added: int, **kwargs) -> tuple[list[EvidenceStatement], list[EvidenceStatement]]:
    """A history of `count` statements, and the same pair `added` statements later (the newest by date)."""
    history = sorted(noisy_history(seed, count + added, **kwargs), key=lambda s: (s.stated_at, s.id))
    return history[:count], history


def _incremental(before: list[EvidenceStatement], after: list[EvidenceStatement]):
    first = detect_full(before, [], now=NOW)
    summary = summarize(first)
    assert summary is not None, "a long history is summarized"
    by_id = {s.id: s for s in after}
    tail = [s for s in after if known_date(s) >= summary.cut_off or s.is_denial]
    known = list(first.changes.new)
    return (detect_from_summary(tail, summary, known, now=NOW, resolve=lambda ids: {i: by_id[i] for i in ids}),
            detect_full(after, known, now=NOW))


@pytest.mark.parametrize("seed", range(8))
def test_a_batch_detected_from_the_summary_is_full_detection(seed):
    """Steady pairs, a reversal long settled, and one in the new statements: from the summary and the
    tail, the same shifts (figures, evidence, reasons) as full detection over the whole history."""
    change_on = {0: None, 1: None, 2: date(2022, 5, 14), 3: date(2023, 8, 20)}.get(seed % 4)
    before, after = _grown(seed, 3000, 40 + 10 * seed, sign=1 if seed % 2 else -1, change_on=change_on)
    incremental, full = _incremental(before, after)
    assert incremental is not None, "the summary vouches for a batch of new statements"
    assert incremental.changes == full.changes


def test_a_reversal_in_the_new_statements_is_found_from_the_summary_as_in_full():
    history = noisy_history(41, 3000, sign=1)
    later = [replace(s, id=f"new-{i}", stated_at=date(2026, 1, 1) + timedelta(days=i // 3), stated_precision="day",
                     stance=-abs(s.stance) if i % 25 else abs(s.stance), stance_label="con" if i % 25 else "pro")
             for i, s in enumerate(noisy_history(42, 150, sign=1))]
    incremental, full = _incremental(history, history + later)
    assert [s.direction for s in full.changes.new] == ["pro->con"]
    assert incremental is not None and incremental.changes == full.changes


def test_the_summary_does_not_vouch_for_a_statement_before_its_cut_off():
    before, after = _grown(5, 3000, 30)
    summary = summarize(detect_full(before, [], now=NOW))
    assert summary is not None
    old = replace(before[100], id="late-arrival")
    assert detect_from_summary([old, *after[-30:]], summary, [], now=NOW, resolve=lambda ids: {}) is None


def test_short_histories_get_no_summary():
    assert summarize(detect_full(noisy_history(3, SUMMARY_MIN - 1), [], now=NOW)) is None


def _noisy_statement(rng: random.Random, pair: int, n: int, day: date, position: int) -> Statement:
    stance = position * 0.6 + rng.uniform(-0.3, 0.3)
    if rng.random() < 0.03:
        stance = -stance
    precision = "month" if rng.random() < 0.15 else "day"
    return Statement(
        entity_id=f"company-{pair}", speaker="a spokesperson", text=f"pair {pair} statement {n}", start=0, end=10,
        cue="said", kind=rng.choice(["direct", "indirect", "report", "own"]),
        stated_at=StatedDate(day.replace(day=1) if precision == "month" else day, precision),
        attribution_confidence=0.9, speaker_role=rng.choice(["spokesperson", "CEO", None]), topic_id="topic",
        stance=round(stance, 3), stance_label=position_label(stance), stance_confidence=rng.uniform(0.4, 0.9),
        article_id=f"article-{pair}-{n}", article_url=f"https://news{n % 7}.example/{pair}/{n}")


def _copy_detected_in_full(archive: Archive, path) -> Archive:
    """The archive as it is, detected again without settled summaries (full detection of the queued pairs)."""
    import shutil

    shutil.copyfile(archive.path, path)
    full = Archive(path, lock_wait=5)
    with full.connect() as con:
        con.execute("DELETE FROM detection_summaries")
    detect_pending(full, now=NOW)
    return full


def _shift_rows(archive: Archive) -> list[tuple]:
    from storage.shifts import load_shifts

    with archive.connect(read_only=True) as con:
        return sorted((s.id, s.direction, s.confidence, s.from_stance, s.to_stance, s.reasons,
                       sorted(e.id for e in s.before), sorted(e.id for e in s.after)) for s in load_shifts(con))


def test_incremental_detection_over_an_archive_matches_full_detection(tmp_path):
    """Three long noisy pairs in a real archive (one reverses in the new batches; one gets a statement said
    long ago, another an old statement's second source, and those are detected in full): after every batch,
    detection from the settled summaries stores what full detection stores."""
    rng = random.Random(7)
    archive = Archive(tmp_path / "archive.duckdb", lock_wait=5)
    history = [_noisy_statement(rng, pair, n, START + timedelta(days=rng.randrange(DAYS)), 1 if pair != 1 else -1)
               for pair in range(3) for n in range(450)]
    archive.save(store_statements, _batch(history))
    first = detect_pending(archive, now=NOW)
    assert first.incremental == 0 and len(first.summaries) == 3
    for week in range(3):
        day = date(2026, 1, 1) + timedelta(days=7 * week)
        batch = [_noisy_statement(rng, pair, 1000 + 40 * week + k, day + timedelta(days=k % 7),
                                  -1 if pair == 2 else (1 if pair != 1 else -1)) for pair in range(3) for k in range(40)]
        if week == 1:  # a statement said long ago, found only now: its pair is detected in full
            batch.append(_noisy_statement(rng, 1, 5000, date(2022, 3, 3), -1))
        if week == 2:  # a second source for an old, settled statement: its pair is detected in full
            oldest = min((s for s in history if s.entity_id == "company-0"), key=lambda s: s.stated_at.value)
            batch.append(replace(oldest, article_id="article-again", article_url="https://elsewhere.example/a"))
        archive.save(store_statements, _batch(batch))
        again = detect_pending(archive, now=NOW)
        assert again.incremental == (3 if week == 0 else 2)
        assert [row.entity_id for row in again.summaries] == ([] if week == 0 else [f"company-{2 - week}"])
        full = _copy_detected_in_full(archive, tmp_path / f"full-{week}.duckdb")
        assert _shift_rows(archive) == _shift_rows(full)
    assert [row[1] for row in _shift_rows(archive) if row[0]] == ["pro->con"]  # company-2 reversed
