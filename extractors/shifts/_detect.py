"""Shift detection for one (entity, topic): pure logic over stored statements, no SQL.

A shift is a real, evidenced change of position, not one noisy statement. The history
is ordered by when things were said (never by when they were fetched; a month- or
year-precise date counts from the start of its period) and cut into periods:

1. every distinct date starts as its own period;
2. while two neighbouring periods are not a *clear move*, the most similar such pair
   is merged (Ward's criterion). A clear move: each side is evidenced (weight >=
   ``MIN_SIDE_WEIGHT`` and two statements, or one reported by ``WIDELY_REPORTED``
   independent sources), the weighted stances differ by >= ``MIN_MOVE``, the labels
   (pro / hedged / con) differ, and the separation stands ``SIGNIFICANCE_Z`` noise
   standard errors above this history's noise (read from successive differences, so a
   history of misread or off-message statements needs a bigger move);
3. each change point is moved to the date that best separates its two periods
   (least squares), and a period that the earlier position returns after (A -> B -> A)
   must explain its two change points;
4. every boundary left is a shift from the earlier period to the later one.

Each statement counts by its evidence: confidence (attribution x stance), the kind
(direct quote > paraphrase > report), the speaker's seniority and the number of
independent sources (with diminishing returns). Denials ("our position is
unchanged") are never averaged in; they are attached to the shift they deny.
Neutral statements (on topic, no position) are left out too.

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
from datetime import date, datetime
from itertools import accumulate, groupby

from storage.records import (
    EvidenceStatement,
    Shift,
    ShiftChanges,
    format_stated,
    position_label,
    stable_id,
)

__all__ = [
    "MIN_MOVE",
    "MIN_SIDE_WEIGHT",
    "SIGNIFICANCE_Z",
    "WIDELY_REPORTED",
    "ShiftChanges",
    "detect_shifts",
    "evidence_weight",
    "weigh",
]

MIN_MOVE = 0.5  # the weighted stance must move at least this far on the [-1, 1] scale
FULL_MOVE = 0.8  # a move this large (pro to hedged, or hedged to con and beyond) counts in full for confidence
MIN_SIDE_WEIGHT = 1.0  # about two solid statements, or one corroborated by a second source
WIDELY_REPORTED = 3  # a lone statement can carry a period only when this many independent sources report it
SIGNIFICANCE_Z = 2.5  # how many noise standard errors apart the two periods' stances must be
_NOISE_PRIOR, _NOISE_PRIOR_WEIGHT = 0.05, 5  # stance variance assumed before a history says otherwise

_KIND_FACTOR = {"direct": 1.0, "indirect": 0.8, "report": 0.6}
_TOP_ROLE = re.compile(r"\b(ceo|chief executive|founder|co-?founder|chair\w*|president|owner)\b")
_EXEC_ROLE = re.compile(
    r"\b(vice president|chief|officer|executive|cto|cfo|coo|cmo|cio|evp|svp|vp|head|director|board|senior|"
    r"manager|lead|minister|partner|scientist)\b"
)
_COMPANY_ROLE = re.compile(r"\b(spokes\w*|company|press|representative|statement|communications|official|blog|pr)\b")




@dataclass(frozen=True)
class _Period:
    statements: tuple[EvidenceStatement, ...]  # empty in the running sums of `_refine`
    weight: float
    weighted_sum: float
    count: int
    top_sources: int  # the most independent sources any one statement has

    @property
    def mean(self) -> float:
        return self.weighted_sum / self.weight

    @property
    def label(self) -> str:
        return position_label(self.mean)

    def merged(self, later: _Period, *, keep_statements: bool = True) -> _Period:
        return _Period(self.statements + later.statements if keep_statements else (),
                       self.weight + later.weight, self.weighted_sum + later.weighted_sum,
                       self.count + later.count, max(self.top_sources, later.top_sources))


# --- public helpers -----------------------------------------------------------


def evidence_weight(statement: EvidenceStatement) -> float:
    """How much one statement counts: confidence x kind x seniority x independent sources."""
    sources = max(1, statement.source_count)
    source_factor = min(2.5, 1.0 + 0.5 * math.log2(sources))
    kind_factor = _KIND_FACTOR.get(statement.kind, 0.6)
    confidence = min(1.0, max(0.0, statement.confidence))
    return confidence * kind_factor * _role_factor(statement.speaker_role) * source_factor


def detect_shifts(history: Sequence[EvidenceStatement], known: Sequence[Shift], *, now: datetime) -> ShiftChanges:
    """Shifts in ONE entity's stance on ONE topic, reconciled with the shifts already known for it."""
    unique = {s.id: s for s in history}
    ordered = sorted(unique.values(), key=lambda s: (_known_date(s), s.id))
    denials = tuple(s for s in ordered if s.is_denial)
    positions = [s for s in ordered if not s.is_denial and s.stance_label != "neutral" and evidence_weight(s) > 0]
    periods = _segment(positions, _significance_threshold(positions))
    detected = []
    for i in range(len(periods) - 1):
        following = periods[i + 2] if i + 2 < len(periods) else None
        denied = _denials_between(denials, periods[i], following)
        detected.append(_shift_between(periods[i], periods[i + 1], denied, now))
    return _reconcile(detected, known)


# --- segmentation -------------------------------------------------------------


def _known_date(statement: EvidenceStatement) -> date:
    """When it was said, as far as known: a month- or year-precise date counts from the period's start
    ("in 2024" sorts before "3 March 2024"), so statements reported as past do not sort as new."""
    when = statement.stated_at
    if statement.stated_precision == "year":
        return when.replace(month=1, day=1)
    if statement.stated_precision == "month":
        return when.replace(day=1)
    return when


def _role_factor(role: str | None) -> float:
    text = (role or "").lower()
    if _TOP_ROLE.search(text.replace("vice president", "")):
        return 1.0
    if _EXEC_ROLE.search(text):
        return 0.85
    if _COMPANY_ROLE.search(text):
        return 0.75
    return 0.55  # unnamed sources, "people familiar with the matter", unknown roles


def _period(statements: Sequence[EvidenceStatement]) -> _Period:
    weights = [evidence_weight(s) for s in statements]
    return _Period(tuple(statements), sum(weights), sum(w * s.stance for w, s in zip(weights, statements)),
                   len(statements), max((s.source_count for s in statements), default=0))


def _significance_threshold(positions: Sequence[EvidenceStatement]) -> float:
    """The separation two periods need to be more than noise: Z^2 x the history's noise level.

    Noise model: a statement of weight w scatters around its period's stance with variance
    sigma^2 / w (weights act as precision, as in the weighted error the periods minimise).
    sigma^2 is read from successive differences, Var(x2 - x1) = sigma^2 (1/w1 + 1/w2), which a
    few real changes barely move but misread or off-message statements raise; a short
    history leans on a prior.
    """
    weights = [evidence_weight(s) for s in positions]
    terms = [(b.stance - a.stance) ** 2 * wa * wb / (wa + wb)
             for a, b, wa, wb in zip(positions, positions[1:], weights, weights[1:])]
    observed = sum(terms) / len(terms) if terms else _NOISE_PRIOR
    variance = (_NOISE_PRIOR * _NOISE_PRIOR_WEIGHT + observed * len(terms)) / (_NOISE_PRIOR_WEIGHT + len(terms))
    return SIGNIFICANCE_Z**2 * variance


def _residual_variance(periods: Sequence[_Period]) -> float:
    """Stance variance within periods (what the shift does not explain), leaning on the prior when few."""
    squares = sum(evidence_weight(s) * (s.stance - p.mean) ** 2 for p in periods for s in p.statements)
    count = sum(p.count for p in periods)
    freedom = count - len(periods)  # one mean estimated per period
    observed = squares / freedom if freedom > 0 else _NOISE_PRIOR
    freedom = max(0, freedom)
    return (_NOISE_PRIOR * _NOISE_PRIOR_WEIGHT + observed * freedom) / (_NOISE_PRIOR_WEIGHT + freedom)


def _is_clear_move(earlier: _Period, later: _Period, threshold: float) -> bool:
    return (
        _is_evidenced(earlier)
        and _is_evidenced(later)
        and abs(later.mean - earlier.mean) >= MIN_MOVE
        and earlier.label != later.label
        and _merge_cost(earlier, later) >= threshold
    )


def _is_evidenced(period: _Period) -> bool:
    """Enough weight, and more than one noisy statement: two statements, or one widely reported."""
    if period.weight < MIN_SIDE_WEIGHT:
        return False
    return period.count > 1 or period.top_sources >= WIDELY_REPORTED


def _merge_cost(a: _Period, b: _Period) -> float:
    """Ward's criterion: how much merging adds to the weighted squared error."""
    return a.weight * b.weight / (a.weight + b.weight) * (a.mean - b.mean) ** 2


def _segment(positions: Sequence[EvidenceStatement], threshold: float) -> list[_Period]:
    periods = [_period(list(group)) for _, group in groupby(positions, key=_known_date)]
    while True:
        unclear = _unclear_boundaries(periods, threshold)
        if unclear:
            i = min(unclear, key=lambda k: (_merge_cost(periods[k], periods[k + 1]), k))
            periods[i : i + 2] = [periods[i].merged(periods[i + 1])]
            continue
        periods = _refine(periods, threshold)
        if _unclear_boundaries(periods, threshold):  # moving a change point can weaken its neighbour
            continue
        blips = _weak_blips(periods, threshold)
        if not blips:
            return periods
        i = min(blips, key=lambda k: (_between_squares(periods[k - 1 : k + 2]), k))
        periods[i - 1 : i + 2] = [periods[i - 1].merged(periods[i]).merged(periods[i + 1])]


def _weak_blips(periods: Sequence[_Period], threshold: float) -> list[int]:
    """Middle periods after which the earlier position returns (A -> B -> A) without paying for
    their two change points: such a B must explain twice the threshold, as two changes."""
    return [
        i for i in range(1, len(periods) - 1)
        if periods[i - 1].label == periods[i + 1].label
        and _between_squares(periods[i - 1 : i + 2]) < 2 * threshold
    ]


def _between_squares(periods: Sequence[_Period]) -> float:
    """How much splitting these periods reduces the weighted squared error against one mean."""
    weight = sum(p.weight for p in periods)
    mean = sum(p.weighted_sum for p in periods) / weight
    return sum(p.weight * (p.mean - mean) ** 2 for p in periods)


def _unclear_boundaries(periods: Sequence[_Period], threshold: float) -> list[int]:
    return [i for i in range(len(periods) - 1) if not _is_clear_move(periods[i], periods[i + 1], threshold)]


def _refine(periods: list[_Period], threshold: float) -> list[_Period]:
    """Place each change point where it best separates its two periods.

    Merging builds periods bottom-up, so a small run of outliers next to the change can
    end up on the wrong side. Each boundary is moved to the date that maximises the
    separation of the two periods around it (the least-squares single change point),
    among dates that still make a clear move.
    """
    for i in range(len(periods) - 1):
        days = [_period(list(g)) for _, g in groupby(periods[i].statements + periods[i + 1].statements,
                                                       key=_known_date)]
        # running sums: days[:k] and days[k:] without rebuilding statement tuples
        prefixes = list(accumulate((replace(d, statements=()) for d in days),
                                   lambda a, b: a.merged(b, keep_statements=False)))
        suffixes = list(accumulate((replace(d, statements=()) for d in reversed(days)),
                                   lambda a, b: b.merged(a, keep_statements=False)))[::-1]
        best_k, best_score = None, _merge_cost(periods[i], periods[i + 1])
        for k in range(1, len(days)):
            left, right = prefixes[k - 1], suffixes[k]
            if not _is_clear_move(left, right, threshold):
                continue
            score = _merge_cost(left, right)
            if score > best_score + 1e-9:
                best_k, best_score = k, score
        if best_k is not None:
            periods[i : i + 2] = [_period([s for d in days[:best_k] for s in d.statements]),
                                  _period([s for d in days[best_k:] for s in d.statements])]
    return periods


# --- one shift ------------------------------------------------------------------


def _denials_between(denials: Sequence[EvidenceStatement], before: _Period,
                     following: _Period | None) -> tuple[EvidenceStatement, ...]:
    """Denials said after the old position's last statement and before any later shift began."""
    start = max(_known_date(s) for s in before.statements)
    end = min(_known_date(s) for s in following.statements) if following else date.max
    return tuple(d for d in denials if start < _known_date(d) < end)


def weigh(statements: Sequence[EvidenceStatement]) -> tuple[EvidenceStatement, ...]:
    """The statements with the weight each carried, so what is stored says why it counted."""
    return tuple(replace(s, weight=round(evidence_weight(s), 4)) for s in statements)


def _shift_between(before: _Period, after: _Period, denied: tuple[EvidenceStatement, ...], now: datetime) -> Shift:
    entity_id, topic_id = after.statements[0].entity_id, after.statements[0].topic_id
    direction = f"{before.label}->{after.label}"
    anchor = min(after.statements, key=lambda s: (_known_date(s), s.id))
    confidence = _confidence(before, after)
    return Shift(
        entity_id=entity_id,
        topic_id=topic_id,
        direction=direction,
        from_stance=round(before.mean, 2),
        to_stance=round(after.mean, 2),
        confidence=confidence,
        detected_at=now,
        before=weigh(before.statements),
        after=weigh(after.statements),
        denials=weigh(denied),
        reasons=_reasons(before, after, denied, anchor),
        id=stable_id("shift", entity_id, topic_id, direction, anchor.id),
    )


def _confidence(before: _Period, after: _Period) -> float:
    """Product of: how far the stance moved, how much evidence each side has, how consistently
    each side's statements sit on their side, how far above the spread within the two periods
    the move stands, and how much of the new position is on the record (not only reports).
    Only the two periods count, so later, unrelated statements leave a shift's confidence alone."""
    move = min(1.0, abs(after.mean - before.mean) / FULL_MOVE)  # +0.4 -> -0.4, or +0.8 -> hedged ~0: a full move
    evidence = 1.0 - math.exp(-1.5 * min(before.weight, after.weight))
    z_ratio_squared = _merge_cost(before, after) / (SIGNIFICANCE_Z**2 * _residual_variance((before, after)))
    above_noise = 1.0 - math.exp(-z_ratio_squared)  # barely significant: 0.63; twice as far: 0.98
    on_record = sum(evidence_weight(s) for s in after.statements if s.kind != "report") / after.weight
    corroboration = 0.75 + 0.25 * on_record  # a new position known only from reports is less certain
    return round(move * evidence * _consistency(before, after) * above_noise * corroboration, 3)


def _consistency(before: _Period, after: _Period) -> float:
    """Share of the evidence weight on the expected side of the midpoint, averaged over both periods."""
    midpoint = (before.mean + after.mean) / 2
    downward = after.mean < before.mean

    def agreeing(period: _Period, above: bool) -> float:
        hits = sum(evidence_weight(s) for s in period.statements if (s.stance > midpoint) == above)
        return hits / period.weight

    return (agreeing(before, downward) + agreeing(after, not downward)) / 2


def _reasons(before: _Period, after: _Period, denials: Sequence[EvidenceStatement],
             anchor: EvidenceStatement) -> tuple[str, ...]:
    since = format_stated(anchor.stated_at, anchor.stated_precision)
    sources = _source_count(after.statements)
    reasons = [
        f"{_count(len(after.statements), 'statement')} from {_count(sources, 'source')} since {since} "
        f"average {after.mean:+.1f}, against {before.mean:+.1f} in {_count(len(before.statements), 'statement')} before."
    ]
    midpoint = (before.mean + after.mean) / 2
    typical = [s for s in after.statements if (s.stance - midpoint) * (after.mean - midpoint) > 0]
    strongest = max(typical or after.statements, key=lambda s: (evidence_weight(s), s.stated_at))
    reasons.append(f"Strongest new evidence: {_kind_words(strongest.kind)} by {_speaker_words(strongest)} "
                   f"({format_stated(strongest.stated_at, strongest.stated_precision)}).")
    if all(s.kind == "report" for s in after.statements):
        reasons.append("Based on reports only: nothing on the record from the company yet.")
    if denials:
        reasons.append(f"The company denies a change in {_count(len(denials), 'statement')}; shown with the quotes, "
                       "not counted against the evidence.")
    return tuple(reasons)


def _source_count(statements: Sequence[EvidenceStatement]) -> int:
    urls = {s.url for s in statements if s.url}
    return max(len(urls), max(s.source_count for s in statements), 1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _kind_words(kind: str) -> str:
    return {"direct": "a direct quote", "indirect": "a paraphrase", "report": "a report"}.get(kind, "a statement")


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
