"""Precision and recall of shift detection over hand-labelled cases (tests/data/shift_cases.jsonl).

Each case is one company's statements on one topic (dates, stances, kinds, speakers,
sources) and the shifts an analyst would expect: a direction (alternatives separated by
"|") and the window in which the new position's first statement falls. ``also_ok`` lists
other acceptable outcomes (a slow drift reported as two steps, say); the best-matching
outcome is scored.

Two modes:
- batch: all statements at once;
- incremental: statements arrive one by one in the file's order (fetch order, not date
  order), detection runs after each and known shifts are carried over, as the service
  does: a shift alerts once, when it first reaches confidence 0.6; a retracted shift is
  dropped unless it was alerted. Extra alerts = alerts beyond those of the batch result.

Then a synthetic stress test of what extraction errors do: companies with a steady
position, or with one reversal, whose statements are misread with probability p
(60% of misreads flip the sign, 40% land near zero); weights, kinds, roles and source
counts drawn at random. It reports false shifts per steady company and how many
reversals are found (seeded: the same figures every run).

Run: .venv/bin/python tests/bench/score_shifts.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractors.shifts import detect_shifts  # noqa: E402
from storage.records import EvidenceStatement, Shift, ShiftChanges, position_label  # noqa: E402
from tests.support import TEST_DATA  # noqa: E402

CASES = TEST_DATA / "shift_cases.jsonl"
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Score:
    true_positive: int
    false_positive: int
    false_negative: int


def load_cases(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evidence(case: dict) -> list[EvidenceStatement]:
    return [
        EvidenceStatement(
            id=row["id"], entity_id=case["name"], topic_id="topic", speaker=row["speaker"], text=row["text"],
            stance=row["stance"], stance_label=row.get("label") or position_label(row["stance"]),
            confidence=row["confidence"], kind=row["kind"], stated_at=date.fromisoformat(row["date"]),
            stated_precision=row.get("precision", "day"), url=f"https://news.example.com/{row['id']}",
            source_count=row.get("sources", 1), speaker_role=row.get("role"), is_denial=row.get("denial", False),
        )
        for row in case["statements"]
    ]


def changed_on(shift: Shift) -> date:
    return min(s.stated_at for s in shift.after)


def matches(shift: Shift, expected: dict) -> bool:
    start, end = (date.fromisoformat(d) for d in expected["changed_between"])
    return shift.direction in expected["direction"].split("|") and start <= changed_on(shift) <= end


def score(detected: list[Shift], outcomes: list[list[dict]]) -> Score:
    best = None
    for expected in outcomes:
        unmatched = list(detected)
        hits = 0
        for e in expected:
            found = next((d for d in unmatched if matches(d, e)), None)
            if found is not None:
                unmatched.remove(found)
                hits += 1
        candidate = Score(hits, len(unmatched), len(expected) - hits)
        if best is None or (candidate.true_positive - candidate.false_positive - candidate.false_negative) > (
            best.true_positive - best.false_positive - best.false_negative
        ):
            best = candidate
    return best


def detect_batch(statements: list[EvidenceStatement]) -> list[Shift]:
    return list(detect_shifts(statements, [], now=NOW).new)


def detect_incremental(statements: list[EvidenceStatement], min_confidence: float = 0.6) -> tuple[list[Shift], int]:
    """Detection after every new statement, carrying known shifts over like the store does.

    Returns the final shifts and how many alerts went out (a shift alerts once, when it
    first reaches min_confidence; an alerted shift is kept even if later retracted).
    """
    known: dict[str, Shift] = {}
    alerted: set[str] = set()
    alerts = 0
    for i in range(1, len(statements) + 1):
        changes: ShiftChanges = detect_shifts(statements[:i], list(known.values()), now=NOW)
        for old, new in changes.renamed:
            known.pop(old, None)
            if old in alerted:
                alerted.add(new)
        for gone in changes.retracted:
            if gone not in alerted:
                known.pop(gone, None)
        for shift in (*changes.new, *changes.updated):
            known[shift.id] = shift
            if shift.confidence >= min_confidence and shift.id not in alerted:
                alerted.add(shift.id)
                alerts += 1
    return list(known.values()), alerts


def noisy_history(rng: random.Random, size: int, reversal_at: int | None, misread: float) -> list[EvidenceStatement]:
    statements, when = [], date(2022, 1, 1)
    for i in range(size):
        when += timedelta(days=rng.randint(3, 40))
        truth = 0.7 if reversal_at is None or i < reversal_at else -0.7
        stance = truth + rng.uniform(-0.2, 0.2)
        if rng.random() < misread:
            stance = -stance if rng.random() < 0.6 else rng.uniform(-0.2, 0.2)
        stance = round(stance, 2)
        statements.append(EvidenceStatement(
            id=f"s{i}", entity_id="e", topic_id="t", speaker="someone", text=f"statement {i}", stance=stance,
            stance_label=position_label(stance), confidence=rng.uniform(0.35, 0.8),
            kind=rng.choice(["direct", "direct", "indirect", "report"]), stated_at=when, stated_precision="day",
            url=f"https://news.example.com/{i}", source_count=rng.choice([1, 1, 1, 2, 2, 3]),
            speaker_role=rng.choice(["CEO", "COO", "spokesperson", None]),
        ))
    return statements


def stress(trials: int = 200, seed: int = 0) -> dict[float, tuple[float, float]]:
    """Prints the figures; returns, per misread rate, (false alerts per steady company, share of reversals alerted)."""
    rng = random.Random(seed)
    figures = {}
    print(f"\nsynthetic extraction noise ({trials} steady and {trials} reversing companies per rate, 10-40 statements):")
    for misread in (0.0, 0.1, 0.2, 0.3):
        false_shifts = false_alerts = found = found_alerting = 0
        for _ in range(trials):
            size = rng.randint(10, 40)
            steady = detect_batch(noisy_history(rng, size, None, misread))
            false_shifts += len(steady)
            false_alerts += sum(1 for s in steady if s.confidence >= 0.6)
            reversing = detect_batch(noisy_history(rng, size, rng.randint(4, size - 4), misread))
            right = [s for s in reversing if s.direction in ("pro->con", "pro->hedged")]
            found += bool(right)
            found_alerting += any(s.confidence >= 0.6 for s in right)
        print(f"  misread {misread:.0%}: steady companies {false_shifts / trials:.2f} false shifts each "
              f"({false_alerts / trials:.2f} at confidence >= 0.6); reversals found {found / trials:.2f} "
              f"({found_alerting / trials:.2f} at confidence >= 0.6)")
        figures[misread] = (false_alerts / trials, found_alerting / trials)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every case")
    args = parser.parse_args()
    cases = load_cases()
    totals = {"batch": [0, 0, 0], "incremental": [0, 0, 0]}
    extra_alerts = 0
    exact_cases = 0
    for case in cases:
        statements = evidence(case)
        outcomes = [case["expected"], *case.get("also_ok", [])]
        batch = detect_batch(statements)
        incremental, alerts = detect_incremental(statements)
        extra_alerts += max(0, alerts - sum(1 for d in batch if d.confidence >= 0.6))
        for mode, detected in (("batch", batch), ("incremental", incremental)):
            s = score(detected, outcomes)
            totals[mode][0] += s.true_positive
            totals[mode][1] += s.false_positive
            totals[mode][2] += s.false_negative
        s = score(batch, outcomes)
        ok = s.false_positive == 0 and s.false_negative == 0
        exact_cases += ok
        if args.verbose or not ok:
            expected = ", ".join(e["direction"] for e in case["expected"]) or "none"
            found = ", ".join(f"{d.direction}@{changed_on(d)} c={d.confidence:.2f}" for d in batch) or "none"
            print(f"{'ok  ' if ok else 'MISS'} {case['name']:<32} expected {expected:<28} detected {found}")
    print(f"\n{len(cases)} cases, {sum(len(c['expected']) for c in cases)} expected shifts; "
          f"{exact_cases}/{len(cases)} cases exactly right (batch)")
    for mode, (tp, fp, fn) in totals.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{mode:<12} precision {precision:.2f} ({tp}/{tp + fp})  recall {recall:.2f} ({tp}/{tp + fn})")
    print(f"incremental: {extra_alerts} alert(s) (confidence >= 0.6) beyond those of the batch result "
          "(re-alerts or alerts later withdrawn)")
    noise = stress()
    figure = f"shift detection, {len(cases)} labelled cases"
    print(f"ROW\t{figure}: cases exactly right (batch)\t{exact_cases}/{len(cases)}\t-")
    for mode, (tp, fp, fn) in totals.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"ROW\t{figure}: precision / recall, {mode}\t{precision:.2f} / {recall:.2f}\t-")
    print(f"ROW\t{figure}: extra alerts, incremental\t{extra_alerts}\t-")
    for misread, (false_alerts, found_alerting) in noise.items():
        print(f"ROW\tshift detection, synthetic noise, misread {misread:.0%}: false alerts per steady company / "
              f"reversals alerted\t{false_alerts:.2f} / {found_alerting:.2f}\t-")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
