"""Shift detection for one (entity, topic): pure logic over stored statements, no SQL.

A shift is a real, evidenced change of position, not one noisy statement. The history
is ordered by when things were said (never by when they were fetched; a month- or
year-precise date counts from the start of its period) and cut into periods:

1. every distinct date starts as its own period;
2. while two neighbouring periods are not a *clear move*, the most similar such pair
   is merged (Ward's criterion). A clear move: each side is evidenced, the weighted
   stances differ by >= ``MIN_MOVE``, the labels (pro / hedged / con) differ, and the
   separation stands ``SIGNIFICANCE_Z`` noise standard errors above this history's
   noise (read robustly from successive differences: one-off contrary statements, the
   largest jump and outliers left out). A side is evidenced by weight >= ``MIN_SIDE_WEIGHT``
   and two statements, or by one statement that may stand alone: reported by
   ``WIDELY_REPORTED`` independent sources; or, in a history with no one-off contrary
   statement (where nothing shows that single statements get misread), one clear
   statement (|stance| >= ``LONE_MIN_STANCE``, weight >= ``LONE_MIN_WEIGHT``) in the
   company's own voice or an action of the company reported as fact (kinds ``own``,
   ``action``), or a quote or paraphrase on the record from the company or a senior
   person when the other side is one statement too (one quote does not outweigh an
   established record). A side resting on one statement lowers the confidence
   (``_LONE_FACTOR``) and says so in the reasons;
3. each change point is moved to the date that best separates its two periods
   (least squares), and a period that the earlier position returns after (A -> B -> A)
   must explain its two change points;
4. every boundary left is a shift from the earlier period to the later one.

A long history (``LONG_HISTORY`` statements or more) expects misread statements and
asks more, so that precision does not fall with length: no side rests on one statement;
each side needs a net run (statements for its side minus those against) that chance
explains less than ``_CHANCE_RUNS`` of the time, given the history's share r of one-off
contrary statements: about n x r^k runs of k misread statements occur among n (the
first period is one place, k with r^k; every other period, the end included, since the
end moves with every new statement, k with n x r^k); and the move must exceed the two
periods' spreads together (``SPREAD_RATIO``). There, month- and year-precise statements
whose period contains a change found among the day-precise ones are placed on the side
of it they agree with, so a pile on the 1st of a month makes no blip of its own.

Each statement counts by its evidence: confidence (attribution x stance), the kind
(the company's own text and direct quotes > narrated actions > paraphrases > reports),
the speaker's seniority (own text and actions are the company's) and the number of
independent sources (with diminishing returns). Denials ("our position is unchanged")
are never averaged in; they are attached to the shift they deny. Neutral statements
(on topic, no position) are left out too. A shift keeps the ``EVIDENCE_PER_SIDE``
statements nearest its change as evidence; its figures and reasons count them all.

Periods are index ranges over the sorted statements with prefix sums (the history is columns of
per-statement values, ``_history``), so each period's weight, mean and squared error is O(1),
merging uses a heap and the segmentation is O(n log n) per history. A long history is also
detected incrementally (``_incremental``): full detection leaves a settled summary of all but its
newest statements, and a later batch starts from it and the recent tail, with the same result
(or, where the summary cannot vouch for that, falls back to full detection).

A detected shift is matched to the known ones so re-running creates nothing, a
later statement extending a known shift updates it, an anchor that moved (an older
statement of the new position arrived later) renames it, and a known shift the
evidence no longer supports is reported as retracted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from extractors.shifts._history import (
    _NOISE_PRIOR,
    _NOISE_PRIOR_WEIGHT,
    _ON_RECORD,
    _OWN_OR_ACTION,
    LONE_MIN_STANCE,
    LONE_MIN_WEIGHT,
    LONG_HISTORY,
    MIN_MOVE,
    MIN_SIDE_WEIGHT,
    SIGNIFICANCE_Z,
    WIDELY_REPORTED,
    Columns,
    History,
    Period,
    Resolver,
    Settled,
    columns_of,
    merge_cost,
)
from storage.records import (
    EvidenceStatement,
    Shift,
    ShiftChanges,
    format_stated,
    stable_id,
)

__all__ = [
    "LONE_MIN_STANCE",
    "LONE_MIN_WEIGHT",
    "LONG_HISTORY",
    "MIN_MOVE",
    "MIN_SIDE_WEIGHT",
    "SIGNIFICANCE_Z",
    "WIDELY_REPORTED",
    "ShiftChanges",
    "detect_shifts",
    "evidence_weight",
    "weigh",
]

FULL_MOVE = 0.8  # a move this large (pro to hedged, or hedged to con and beyond) counts in full for confidence
_LONE_FACTOR = 0.9  # confidence factor per side that rests on one statement (own words, an action, on the record)
EVIDENCE_PER_SIDE = 25  # statements a shift keeps as evidence per side (the nearest the change); all of them count
_KIND_FACTOR = {"own": 1.0, "direct": 1.0, "action": 0.9, "indirect": 0.8, "report": 0.6}
_COMPANY_VOICE = frozenset({"own", "action"})  # the company itself: its own pages, its deeds reported as fact
_ON_RECORD_ROLE = 0.75  # the role factor of the company's own spokespeople and above
_TOP_ROLE = re.compile(r"\b(ceo|chief executive|founder|co-?founder|chair\w*|president|owner|commissioner)\b")
_EXEC_ROLE = re.compile(
    r"\b(vice president|chief|officer|executive|cto|cfo|coo|cmo|cio|evp|svp|vp|head|director|board|senior|"
    r"manager|lead|minister|partner|scientist)\b"
)
_COMPANY_ROLE = re.compile(r"\b(spokes\w*|company|press|representative|statement|communications|official|blog|pr)\b")


# --- public helpers -----------------------------------------------------------


def evidence_weight(statement: EvidenceStatement) -> float:
    """How much one statement counts: confidence x kind x seniority x independent sources."""
    sources = max(1, statement.source_count)
    source_factor = min(2.5, 1.0 + 0.5 * math.log2(sources))
    kind_factor = _KIND_FACTOR.get(statement.kind, 0.6)
    role_factor = 1.0 if statement.kind in _COMPANY_VOICE else _role_factor(statement.speaker_role)
    confidence = min(1.0, max(0.0, statement.confidence))
    return confidence * kind_factor * role_factor * source_factor


def weigh(statements: Sequence[EvidenceStatement]) -> tuple[EvidenceStatement, ...]:
    """The statements with the weight each carried, so what is stored says why it counted."""
    return tuple(replace(s, weight=round(evidence_weight(s), 4)) for s in statements)


def detect_shifts(history: Sequence[EvidenceStatement], known: Sequence[Shift], *, now: datetime) -> ShiftChanges:
    """Shifts in ONE entity's stance on ONE topic, reconciled with the shifts already known for it."""
    return detect_full(history, known, now=now).changes


def detect_full(history: Sequence[EvidenceStatement], known: Sequence[Shift], *, now: datetime) -> Detection:
    """`detect_shifts` over the whole history, with the settled summary of it that later batches start from."""
    positions, denials = _positions_and_denials(history)
    placement = _placed_history(positions)
    periods = tuple(placement.history.segment())
    return Detection(_shifts(placement.history, periods, denials, known, now), placement, periods)


@dataclass(frozen=True)
class Detection:
    """What detection found, and the histories it segmented (for the summary a later batch starts from)."""

    changes: ShiftChanges
    placement: Placement | None = None  # None: detection started from a settled summary (it stays)
    periods: tuple[Period, ...] = ()


@dataclass(frozen=True)
class Placement:
    """The history segmented, and (in a long history with month- or year-precise statements) the
    day-precise one whose changes placed them, with those changes: (ordinal, midpoint, upward)."""

    history: History
    precise: History | None = None
    precise_periods: tuple[Period, ...] = ()
    changes: tuple[tuple[int, float, bool], ...] = ()


def _positions_and_denials(history: Sequence[EvidenceStatement]) -> tuple[list[EvidenceStatement],
                                                                          tuple[EvidenceStatement, ...]]:
    unique = {s.id: s for s in history}
    ordered = sorted(unique.values(), key=lambda s: (_known_date(s), s.id))
    denials = tuple(s for s in ordered if s.is_denial)
    positions = [s for s in ordered if not s.is_denial and s.stance_label != "neutral" and evidence_weight(s) > 0]
    return positions, denials


def _shifts(history: History, periods: Sequence[Period], denials: Sequence[EvidenceStatement],
            known: Sequence[Shift], now: datetime) -> ShiftChanges:
    detected = []
    for i in range(len(periods) - 1):
        following = periods[i + 2] if i + 2 < len(periods) else None
        denied = _denials_between(denials, history, periods[i], following)
        detected.append(_shift_between(history, periods[i], periods[i + 1], denied, now))
    return _reconcile(detected, known)


# --- the history as columns -----------------------------------------------------


def history_of(statements: Sequence[EvidenceStatement], placed: dict[str, date] | None = None,
               settled: Settled | None = None, base: Columns | None = None,
               resolve: Resolver | None = None) -> History:
    """The statements (sorted) as a history; after the settled prefix `base` when given."""
    weights = [evidence_weight(s) for s in statements]
    days = [((placed or {}).get(s.id) or _known_date(s)).toordinal() for s in statements]
    columns = columns_of(statements, weights, days, [_lone_source(s) for s in statements])
    offset = len(base) if base is not None else 0
    return History(base.extended(columns) if base is not None else columns, settled,
                   {offset + i: s for i, s in enumerate(statements)}, resolve)


def _placed_history(positions: list[EvidenceStatement]) -> Placement:
    """The history to segment. In a long history, a month- or year-precise statement whose period
    contains a change found among the day-precise statements is placed on the side of that change it
    agrees with (at the change, or the day before): piled on the 1st of its month, it would otherwise
    make a blip of its own, or split one move into two."""
    history = history_of(positions)
    flags = history.columns.precise
    precise = [s for s, flag in zip(positions, flags) if flag]
    if not history.long or len(precise) < LONG_HISTORY or len(precise) == len(positions):
        return Placement(history)
    day_history = History(history.columns.take(flags), objects=dict(enumerate(precise)))
    periods = tuple(day_history.segment())
    changes = precise_changes(day_history, periods)
    placed = place(positions, changes)
    if placed:
        when = [placed.get(s.id) or _known_date(s) for s in positions]
        order = sorted(range(len(positions)), key=lambda i: (when[i], positions[i].id))
        history = History(history.columns.reordered(order, [when[i].toordinal() for i in order]),
                          objects={k: positions[i] for k, i in enumerate(order)})
    return Placement(history, day_history, periods, changes)


def precise_changes(history: History, periods: Sequence[Period]) -> tuple[tuple[int, float, bool], ...]:
    return tuple((history.dates[after.start], (before.mean + after.mean) / 2, after.mean > before.mean)
                 for before, after in zip(periods, periods[1:]))


def place(statements: Sequence[EvidenceStatement], changes: Sequence[tuple[int, float, bool]]) -> dict[str, date]:
    """Where each month- or year-precise statement whose period contains a change goes."""
    placed: dict[str, date] = {}
    for s in statements:
        if s.stated_precision not in ("month", "year"):
            continue
        start, end = _period_of(s)
        for ordinal, midpoint, upward in changes:
            change_on = date.fromordinal(ordinal)
            if start <= change_on <= end:
                placed[s.id] = change_on if (s.stance > midpoint) == upward else change_on - timedelta(days=1)
                break
    return placed


def _period_of(statement: EvidenceStatement) -> tuple[date, date]:
    """The first and last day a month- or year-precise statement may have been made."""
    start = _known_date(statement)
    if statement.stated_precision == "year":
        return start, start.replace(month=12, day=31)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, following - timedelta(days=1)


def _known_date(statement: EvidenceStatement) -> date:
    """When it was said, as far as known: a month- or year-precise date counts from the period's start
    ("in 2024" sorts before "3 March 2024"), so statements reported as past do not sort as new."""
    when = statement.stated_at
    if statement.stated_precision == "year":
        return when.replace(month=1, day=1)
    if statement.stated_precision == "month":
        return when.replace(day=1)
    return when


def known_date(statement: EvidenceStatement) -> date:
    return _known_date(statement)


def _role_factor(role: str | None) -> float:
    text = (role or "").lower()
    if _TOP_ROLE.search(text.replace("vice president", "")):
        return 1.0
    if _EXEC_ROLE.search(text):
        return 0.85
    if _COMPANY_ROLE.search(text):
        return 0.75
    return 0.55  # unnamed sources, "people familiar with the matter", unknown roles


def _lone_source(statement: EvidenceStatement) -> int:
    """How far one clear statement may carry a position alone: _OWN_OR_ACTION for the company's own
    voice or its action reported as fact (always); _ON_RECORD for a quote or paraphrase of the company
    or a senior person (only against one statement: one quote does not outweigh an established record);
    0 otherwise (reports by others, unclear or hedged statements)."""
    if statement.stance_label not in ("pro", "con") or abs(statement.stance) < LONE_MIN_STANCE:
        return 0
    if statement.kind in _COMPANY_VOICE:
        return _OWN_OR_ACTION
    if statement.kind in ("direct", "indirect") and _role_factor(statement.speaker_role) >= _ON_RECORD_ROLE:
        return _ON_RECORD
    return 0


def _residual_variance(periods: Sequence[Period]) -> float:
    """Stance variance within periods (what the shift does not explain), leaning on the prior when few."""
    squares = sum(p.squared_error for p in periods)
    count = sum(p.count for p in periods)
    freedom = count - len(periods)  # one mean estimated per period
    observed = squares / freedom if freedom > 0 else _NOISE_PRIOR
    freedom = max(0, freedom)
    return (_NOISE_PRIOR * _NOISE_PRIOR_WEIGHT + observed * freedom) / (_NOISE_PRIOR_WEIGHT + freedom)


# --- one shift ------------------------------------------------------------------


def _denials_between(denials: Sequence[EvidenceStatement], history: History, before: Period,
                     following: Period | None) -> tuple[EvidenceStatement, ...]:
    """Denials said after the old position's last statement and before any later shift began."""
    start = history.dates[before.end - 1]
    end = history.dates[following.start] if following else date.max.toordinal()
    return tuple(d for d in denials if start < _known_date(d).toordinal() < end)


def _shift_between(history: History, before: Period, after: Period, denied: tuple[EvidenceStatement, ...],
                   now: datetime) -> Shift:
    before_evidence = range(max(before.start, before.end - EVIDENCE_PER_SIDE), before.end)
    after_evidence = range(after.start, min(after.end, after.start + EVIDENCE_PER_SIDE))
    history.statements([*before_evidence, *after_evidence])  # fetched together where the history came without them
    [first] = history.statements([after.start])
    entity_id, topic_id = first.entity_id, first.topic_id
    direction = f"{before.label}->{after.label}"
    anchor = first  # the history is sorted by (date, id)
    return Shift(
        entity_id=entity_id,
        topic_id=topic_id,
        direction=direction,
        from_stance=round(before.mean, 2),
        to_stance=round(after.mean, 2),
        confidence=_confidence(history, before, after),
        detected_at=now,
        before=weigh(history.statements(before_evidence)),  # the last said before the change
        after=weigh(history.statements(after_evidence)),  # and the first said after it
        denials=weigh(denied),
        reasons=_reasons(history, before, after, denied, anchor),
        id=stable_id("shift", entity_id, topic_id, direction, anchor.id),
    )


def _confidence(history: History, before: Period, after: Period) -> float:
    """Product of: how far the stance moved, how much evidence each side has, how consistently
    each side's statements sit on their side, how far above the spread within the two periods
    the move stands, how much of the new position is on the record (not only reports), and how
    thin each side is (one statement). Only the two periods count, so later, unrelated statements
    leave a shift's confidence alone."""
    move = min(1.0, abs(after.mean - before.mean) / FULL_MOVE)  # +0.4 -> -0.4, or +0.8 -> hedged ~0: a full move
    evidence = min(_side_evidence(before), _side_evidence(after))  # at the floor: 0.86
    z_ratio_squared = merge_cost(before, after) / (SIGNIFICANCE_Z**2 * _residual_variance((before, after)))
    above_noise = 1.0 - math.exp(-2.0 * z_ratio_squared)  # barely significant: 0.86; twice as far: 1.0
    reports = history.columns.reports[after.start:after.end]
    on_record = sum(w for w, report in zip(history.member_weights(after), reports) if not report) / after.weight
    corroboration = 0.75 + 0.25 * on_record  # a new position known only from reports is less certain
    thin = _LONE_FACTOR ** sum(side.count == 1 for side in (before, after))
    consistency = _consistency(history, before, after)
    return round(move * evidence * consistency * above_noise * corroboration * thin, 3)


def _side_evidence(period: Period) -> float:
    """How much weight one side has against the floor it had to reach (a lone strong statement's own)."""
    floor = LONE_MIN_WEIGHT if period.count == 1 and period.lone_source else MIN_SIDE_WEIGHT
    return 1.0 - math.exp(-2.0 * period.weight / floor)


def _consistency(history: History, before: Period, after: Period) -> float:
    """Share of the evidence weight on the expected side of the midpoint, averaged over both periods."""
    midpoint = (before.mean + after.mean) / 2
    downward = after.mean < before.mean

    def agreeing(period: Period, above: bool) -> float:
        members = zip(history.member_stances(period), history.member_weights(period))
        return sum(w for x, w in members if (x > midpoint) == above) / period.weight

    return (agreeing(before, downward) + agreeing(after, not downward)) / 2


def _reasons(history: History, before: Period, after: Period, denials: Sequence[EvidenceStatement],
             anchor: EvidenceStatement) -> tuple[str, ...]:
    since = format_stated(anchor.stated_at, anchor.stated_precision)
    sources = _source_count(history, after)
    reasons = [
        f"{_count(after.count, 'statement')} from {_count(sources, 'source')} since {since} "
        f"average {after.mean:+.1f}, against {before.mean:+.1f} in {_count(before.count, 'statement')} before."
    ]
    midpoint = (before.mean + after.mean) / 2
    indices = range(after.start, after.end)
    stances, weights, stated = history.columns.stances, history.weights, history.columns.stated
    typical = [i for i in indices if (stances[i] - midpoint) * (after.mean - midpoint) > 0]
    best = max(typical or indices, key=lambda i: (weights[i], stated[i]))
    [strongest] = history.statements([best])
    reasons.append(f"Strongest new evidence: {_kind_words(strongest.kind)} by {_speaker_words(strongest)} "
                   f"({format_stated(strongest.stated_at, strongest.stated_precision)}).")
    if before.count == 1 or after.count == 1:
        side = "both sides rest" if before.count == after.count == 1 else (
            "the old position rests" if before.count == 1 else "the new position rests")
        reasons.append(f"Thin evidence: {side} on one statement from a strong source.")
    if all(history.columns.reports[after.start:after.end]):
        reasons.append("Based on reports only: nothing on the record from the company yet.")
    if denials:
        reasons.append(f"The company denies a change in {_count(len(denials), 'statement')}; shown with the quotes, "
                       "not counted against the evidence.")
    return tuple(reasons)


def _source_count(history: History, period: Period) -> int:
    urls = set(history.columns.urls[period.start:period.end]) - {0}
    return max(len(urls), max(history.columns.sources[period.start:period.end]), 1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _kind_words(kind: str) -> str:
    return {"direct": "a direct quote", "indirect": "a paraphrase", "report": "a report",
            "own": "the company's own words", "action": "a reported action"}.get(kind, "a statement")


def _speaker_words(statement: EvidenceStatement) -> str:
    if statement.speaker_role and statement.speaker_role.lower() not in statement.speaker.lower():
        return f"{statement.speaker} ({statement.speaker_role})"
    return statement.speaker


# --- reconciliation with known shifts ---------------------------------------------


def _reconcile(detected: Sequence[Shift], known: Sequence[Shift]) -> ShiftChanges:
    new: list[Shift] = []
    updated: list[Shift] = []
    renamed: list[tuple[str, str]] = []
    used: set[str] = set()
    for shift in detected:
        match = _match_known(shift, known, used)
        if match is None:
            new.append(shift)
            continue
        used.add(match.id)
        kept = replace(shift, detected_at=match.detected_at)
        if kept.id != match.id:
            renamed.append((match.id, kept.id))
        if _differs(kept, match):
            updated.append(kept)
    retracted = tuple(k.id for k in known if k.id not in used)
    return ShiftChanges(tuple(new), tuple(updated), tuple(renamed), retracted)


def _match_known(shift: Shift, known: Sequence[Shift], used: set[str]) -> Shift | None:
    """The known shift this one continues: same id, or same direction sharing evidence of the new position."""
    candidates = [k for k in known if k.id not in used]
    for k in candidates:
        if k.id == shift.id:
            return k
    after_ids = {s.id for s in shift.after}
    overlapping = [k for k in candidates if k.direction == shift.direction and after_ids & {s.id for s in k.after}]
    if not overlapping:
        return None
    return max(overlapping, key=lambda k: (len(after_ids & {s.id for s in k.after}), k.id))


def _differs(a: Shift, b: Shift) -> bool:
    def ids(statements: Sequence[EvidenceStatement]) -> tuple[str, ...]:
        return tuple(sorted(s.id for s in statements))

    return (
        a.id != b.id
        or a.direction != b.direction
        or ids(a.before) != ids(b.before)
        or ids(a.after) != ids(b.after)
        or ids(a.denials) != ids(b.denials)
        or abs(a.confidence - b.confidence) > 1e-9
        or abs(a.from_stance - b.from_stance) > 1e-9
        or abs(a.to_stance - b.to_stance) > 1e-9
        or tuple(a.reasons) != tuple(b.reasons)
    )
