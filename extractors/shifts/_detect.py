"""Shift detection for one (entity, topic): pure logic over stored statements, no SQL.

A shift is a real, evidenced change of position, not one noisy statement. The history
is ordered by when things were said (never by when they were fetched; a month- or
year-precise date counts from the start of its period) and cut into periods:

1. every distinct date starts as its own period;
2. while two neighbouring periods are not a *clear move*, the most similar such pair
   is merged (Ward's criterion). A clear move: each side is evidenced, the weighted
   stances differ by >= ``MIN_MOVE``, the labels (pro / hedged / con) differ, and the
   separation stands ``SIGNIFICANCE_Z`` noise standard errors above this history's noise
   (read from successive differences, so a history of misread or off-message statements
   needs a bigger move). A side is evidenced by weight >= ``MIN_SIDE_WEIGHT`` and enough
   statements: two, or one reported by ``WIDELY_REPORTED`` independent sources, or one
   clear statement from a strong source (the company's own voice, or an action of the
   company reported as fact: kinds ``own`` and ``action``) with weight >= ``LONE_MIN_WEIGHT``.
   In a long history, "enough statements" grows: a run of k statements that all read
   against the position happens by chance about n x r^k times in n statements when a
   share r of them is misread, so a period needs the smallest k that makes this rare
   (r read from the history's one-off contrary statements; see ``_min_statements``);
3. each change point is moved to the date that best separates its two periods
   (least squares), and a period that the earlier position returns after (A -> B -> A)
   must explain its two change points;
4. every boundary left is a shift from the earlier period to the later one.

Each statement counts by its evidence: confidence (attribution x stance), the kind
(the company's own text and direct quotes > narrated actions > paraphrases > reports),
the speaker's seniority and the number of independent sources (with diminishing
returns). Denials ("our position is unchanged") are never averaged in; they are
attached to the shift they deny. Neutral statements (on topic, no position) are left
out too.

Periods are index ranges over the sorted statements with prefix sums, so each period's
weight, mean and squared error is O(1), merging uses a heap and the whole segmentation
is O(n log n) per history.

A detected shift is matched to the known ones so re-running creates nothing, a
later statement extending a known shift updates it, an anchor that moved (an older
statement of the new position arrived later) renames it, and a known shift the
evidence no longer supports is reported as retracted.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import accumulate

from storage.records import (
    EvidenceStatement,
    Shift,
    ShiftChanges,
    format_stated,
    position_label,
    stable_id,
)

__all__ = [
    "LONE_MIN_WEIGHT",
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
MIN_SIDE_WEIGHT = 0.5  # about two statements on the record (typical confidence ~0.45), or one corroborated
WIDELY_REPORTED = 3  # a lone statement can carry a period when this many independent sources report it
LONE_MIN_WEIGHT = 0.25  # ... or when it is one clear statement of a strong source with at least this weight
LONE_MIN_STANCE = 0.5  # "clear": at least this far from neutral
SIGNIFICANCE_Z = 2.5  # how many noise standard errors apart the two periods' stances must be
_CHI2_MEDIAN = 0.455
_NOISE_PRIOR, _NOISE_PRIOR_WEIGHT = 0.05, 5  # stance variance assumed before a history says otherwise
_CHANCE_RUNS = 0.01  # a period must be less likely than this to be a chance run of misread statements
LONG_HISTORY = 50  # from this many position statements on, a period needs a run that chance does not explain
_LONE_FACTOR = 0.85  # confidence factor per side that rests on one statement

_KIND_FACTOR = {"own": 1.0, "direct": 1.0, "action": 0.9, "indirect": 0.8, "report": 0.6}
_COMPANY_VOICE = frozenset({"own", "action"})  # the company itself: its own pages, its deeds reported as fact
_TOP_ROLE = re.compile(r"\b(ceo|chief executive|founder|co-?founder|chair\w*|president|owner)\b")
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
    unique = {s.id: s for s in history}
    ordered = sorted(unique.values(), key=lambda s: (_known_date(s), s.id))
    denials = tuple(s for s in ordered if s.is_denial)
    positions = [s for s in ordered if not s.is_denial and s.stance_label != "neutral" and evidence_weight(s) > 0]
    history_ = _History(positions)
    periods = history_.segment()
    detected = []
    for i in range(len(periods) - 1):
        following = periods[i + 2] if i + 2 < len(periods) else None
        denied = _denials_between(denials, history_, periods[i], following)
        detected.append(_shift_between(history_, periods[i], periods[i + 1], denied, now))
    return _reconcile(detected, known)


# --- the history as arrays ------------------------------------------------------


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


def _is_strong(statement: EvidenceStatement) -> bool:
    """A clear statement in the company's own voice or of its reported action."""
    return (statement.kind in _COMPANY_VOICE and statement.stance_label in ("pro", "con")
            and abs(statement.stance) >= LONE_MIN_STANCE)


@dataclass(frozen=True)
class _Period:
    """Statements [start, end) of the sorted history, with their sums."""

    start: int
    end: int
    weight: float
    weighted_sum: float
    weighted_squares: float
    lone_ok: bool  # one statement that may carry a period alone (widely reported or strong)
    strong: bool  # one clear statement of a strong source (its own, lower weight floor)

    @property
    def count(self) -> int:
        return self.end - self.start

    @property
    def mean(self) -> float:
        return self.weighted_sum / self.weight

    @property
    def label(self) -> str:
        return position_label(self.mean)

    @property
    def squared_error(self) -> float:
        return max(0.0, self.weighted_squares - self.weighted_sum**2 / self.weight)


class _History:
    """One pair's position statements, sorted, with prefix sums; segmentation works on index ranges."""

    def __init__(self, positions: Sequence[EvidenceStatement]):
        self.statements = list(positions)
        self.weights = [evidence_weight(s) for s in self.statements]
        self.dates = [_known_date(s) for s in self.statements]
        stances = [s.stance for s in self.statements]
        self._w = [0.0, *accumulate(self.weights)]
        self._wx = [0.0, *accumulate(w * x for w, x in zip(self.weights, stances))]
        self._wxx = [0.0, *accumulate(w * x * x for w, x in zip(self.weights, stances))]
        self._strong = [_is_strong(s) for s in self.statements]
        self._lone_ok = [s.source_count >= WIDELY_REPORTED or strong for s, strong in zip(self.statements, self._strong)]
        self.day_starts = [i for i in range(len(self.dates)) if i == 0 or self.dates[i] != self.dates[i - 1]]
        self.threshold = self._significance_threshold()
        self.misread = _misread_rate(self.statements)
        self.min_count = _min_statements(len(self.statements), self.misread)

    def span(self, start: int, end: int) -> _Period:
        lone = end - start == 1
        return _Period(start, end, self._w[end] - self._w[start], self._wx[end] - self._wx[start],
                       self._wxx[end] - self._wxx[start], lone and self._lone_ok[start],
                       lone and self._strong[start])

    def members(self, period: _Period) -> list[EvidenceStatement]:
        return self.statements[period.start:period.end]

    def member_weights(self, period: _Period) -> list[float]:
        return self.weights[period.start:period.end]

    # --- the noise model -----------------------------------------------------

    def _significance_threshold(self) -> float:
        """The separation two periods need to be more than noise: Z^2 x the history's noise level.

        Noise model: a statement of weight w scatters around its period's stance with variance
        sigma^2 / w (weights act as precision, as in the weighted error the periods minimise).
        sigma^2 is read from successive differences, Var(x2 - x1) = sigma^2 (1/w1 + 1/w2), which a
        few real changes barely move but misread or off-message statements raise; a short
        history leans on a prior.
        """
        s, w = self.statements, self.weights
        terms = sorted((s[i + 1].stance - s[i].stance) ** 2 * w[i] * w[i + 1] / (w[i] + w[i + 1])
                       for i in range(len(s) - 1))
        # the median, not the mean: a misread statement is an outlier, not noise (median of chi2(1) = 0.455)
        observed = terms[len(terms) // 2] / _CHI2_MEDIAN if terms else _NOISE_PRIOR
        variance = (_NOISE_PRIOR * _NOISE_PRIOR_WEIGHT + observed * len(terms)) / (_NOISE_PRIOR_WEIGHT + len(terms))
        return SIGNIFICANCE_Z**2 * variance

    # --- clear moves -----------------------------------------------------------

    def is_evidenced(self, period: _Period) -> bool:
        """Enough weight and enough statements (see the module doc)."""
        if period.weight < (LONE_MIN_WEIGHT if period.strong else MIN_SIDE_WEIGHT):
            return False
        if self.min_count:  # a long history: no lone statement, and runs long enough not to be chance
            return period.count >= self.min_count
        if period.count > 1:
            return True
        if period.strong:  # one-off contrary statements elsewhere show single statements get misread
            return self.misread == 0 or period.lone_ok and self.statements[period.start].source_count >= WIDELY_REPORTED
        return period.lone_ok

    def is_clear_move(self, earlier: _Period, later: _Period) -> bool:
        return (
            abs(later.mean - earlier.mean) >= MIN_MOVE
            and earlier.label != later.label
            and self.is_evidenced(earlier)
            and self.is_evidenced(later)
            and _merge_cost(earlier, later) >= self.threshold
        )

    # --- segmentation ------------------------------------------------------------

    def segment(self) -> list[_Period]:
        if not self.statements:
            return []
        ends = [*self.day_starts[1:], len(self.statements)]
        periods = [self.span(a, b) for a, b in zip(self.day_starts, ends)]
        while True:
            periods = self._merge_unclear(periods)
            periods = self._refine(periods)
            if self._unclear(periods):  # moving a change point can weaken its neighbour
                continue
            blips = self._weak_blips(periods)
            if not blips:
                return periods
            i = min(blips, key=lambda k: (_between_squares(periods[k - 1:k + 2]), k))
            periods[i - 1:i + 2] = [self.span(periods[i - 1].start, periods[i + 1].end)]

    def _unclear(self, periods: Sequence[_Period]) -> bool:
        return any(not self.is_clear_move(a, b) for a, b in zip(periods, periods[1:]))

    def _merge_unclear(self, periods: list[_Period]) -> list[_Period]:
        """Merge the most similar unclear neighbours first (ties: the earliest), until every boundary
        is a clear move; a heap with lazy deletion keeps this O(p log p) in the number of periods."""
        nodes: list[_Period | None] = list(periods)
        following = list(range(1, len(nodes) + 1))
        preceding = list(range(-1, len(nodes) - 1))
        heap: list[tuple[float, int, int, int]] = []

        def push(i: int) -> None:
            j = following[i]
            if j < len(nodes) and not self.is_clear_move(nodes[i], nodes[j]):
                heapq.heappush(heap, (_merge_cost(nodes[i], nodes[j]), nodes[i].start, nodes[i].end, nodes[j].end))

        for i in range(len(nodes) - 1):
            push(i)
        by_start = {p.start: i for i, p in enumerate(nodes)}
        while heap:
            _, start, left_end, right_end = heapq.heappop(heap)
            i = by_start.get(start)
            if i is None or nodes[i] is None or nodes[i].end != left_end:
                continue
            j = following[i]
            if j >= len(nodes) or nodes[j] is None or nodes[j].end != right_end:
                continue
            nodes[i] = self.span(nodes[i].start, nodes[j].end)
            nodes[j] = None
            following[i] = following[j]
            if following[j] < len(nodes):
                preceding[following[j]] = i
            push(i)
            if preceding[i] >= 0:
                push(preceding[i])
        return [p for p in nodes if p is not None]

    def _refine(self, periods: list[_Period]) -> list[_Period]:
        """Place each change point where it best separates its two periods.

        Merging builds periods bottom-up, so a small run of outliers next to the change can
        end up on the wrong side. Each boundary is moved to the date that maximises the
        separation of the two periods around it (the least-squares single change point),
        among dates that still make a clear move.
        """
        for i in range(len(periods) - 1):
            left, right = periods[i], periods[i + 1]
            best, best_score = None, _merge_cost(left, right)
            for cut in self._day_starts_within(left.start, right.end):
                a, b = self.span(left.start, cut), self.span(cut, right.end)
                if not self.is_clear_move(a, b):
                    continue
                score = _merge_cost(a, b)
                if score > best_score + 1e-9:
                    best, best_score = (a, b), score
            if best is not None:
                periods[i:i + 2] = list(best)
        return periods

    def _day_starts_within(self, start: int, end: int) -> list[int]:
        from bisect import bisect_left, bisect_right

        return self.day_starts[bisect_right(self.day_starts, start):bisect_left(self.day_starts, end)]

    def _weak_blips(self, periods: Sequence[_Period]) -> list[int]:
        """Middle periods after which the earlier position returns (A -> B -> A) without paying for
        their two change points: such a B must explain twice the threshold, as two changes."""
        return [
            i for i in range(1, len(periods) - 1)
            if periods[i - 1].label == periods[i + 1].label
            and _between_squares(periods[i - 1:i + 2]) < 2 * self.threshold
        ]


def _misread_rate(statements: Sequence[EvidenceStatement]) -> float:
    """Share of one-off contrary statements: on the other side (pro vs con) from the statements just
    before and just after, which agree with each other (hedged ones are skipped). A real change and
    its return take more than one statement each, so they do not count here."""
    sides = [side for side in (_side(s) for s in statements) if side]
    one_offs = sum(1 for a, b, c in zip(sides, sides[1:], sides[2:]) if a == c == -b)
    return one_offs / len(statements) if statements else 0.0


def _side(statement: EvidenceStatement) -> int:
    return {"pro": 1, "con": -1}.get(statement.stance_label, 0)


def _min_statements(count: int, misread: float) -> int:
    """The fewest statements a period of a long history needs so that a run of that many misread
    ones is rare in it: the smallest k (at least 2) with count x misread^k <= _CHANCE_RUNS. A short
    history keeps the plain rule (two statements, or one that may stand alone): 0 here."""
    if count < LONG_HISTORY:
        return 0
    if misread <= 0:
        return 2
    k = math.log(_CHANCE_RUNS / count) / math.log(misread)
    return max(2, math.ceil(k - 1e-9))


def _merge_cost(a: _Period, b: _Period) -> float:
    """Ward's criterion: how much merging adds to the weighted squared error."""
    return a.weight * b.weight / (a.weight + b.weight) * (a.mean - b.mean) ** 2


def _between_squares(periods: Sequence[_Period]) -> float:
    """How much splitting these periods reduces the weighted squared error against one mean."""
    weight = sum(p.weight for p in periods)
    mean = sum(p.weighted_sum for p in periods) / weight
    return sum(p.weight * (p.mean - mean) ** 2 for p in periods)


def _residual_variance(periods: Sequence[_Period]) -> float:
    """Stance variance within periods (what the shift does not explain), leaning on the prior when few."""
    squares = sum(p.squared_error for p in periods)
    count = sum(p.count for p in periods)
    freedom = count - len(periods)  # one mean estimated per period
    observed = squares / freedom if freedom > 0 else _NOISE_PRIOR
    freedom = max(0, freedom)
    return (_NOISE_PRIOR * _NOISE_PRIOR_WEIGHT + observed * freedom) / (_NOISE_PRIOR_WEIGHT + freedom)


# --- one shift ------------------------------------------------------------------


def _denials_between(denials: Sequence[EvidenceStatement], history: _History, before: _Period,
                     following: _Period | None) -> tuple[EvidenceStatement, ...]:
    """Denials said after the old position's last statement and before any later shift began."""
    start = history.dates[before.end - 1]
    end = history.dates[following.start] if following else date.max
    return tuple(d for d in denials if start < _known_date(d) < end)


def _shift_between(history: _History, before: _Period, after: _Period, denied: tuple[EvidenceStatement, ...],
                   now: datetime) -> Shift:
    first = history.statements[after.start]
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
        before=weigh(history.members(before)),
        after=weigh(history.members(after)),
        denials=weigh(denied),
        reasons=_reasons(history, before, after, denied, anchor),
        id=stable_id("shift", entity_id, topic_id, direction, anchor.id),
    )


def _confidence(history: _History, before: _Period, after: _Period) -> float:
    """Product of: how far the stance moved, how much evidence each side has, how consistently
    each side's statements sit on their side, how far above the spread within the two periods
    the move stands, how much of the new position is on the record (not only reports), and how
    thin each side is (one statement). Only the two periods count, so later, unrelated statements
    leave a shift's confidence alone."""
    move = min(1.0, abs(after.mean - before.mean) / FULL_MOVE)  # +0.4 -> -0.4, or +0.8 -> hedged ~0: a full move
    evidence = 1.0 - math.exp(-2.0 * min(before.weight, after.weight) / MIN_SIDE_WEIGHT)  # at the floor: 0.86
    z_ratio_squared = _merge_cost(before, after) / (SIGNIFICANCE_Z**2 * _residual_variance((before, after)))
    above_noise = 1.0 - math.exp(-2.0 * z_ratio_squared)  # barely significant: 0.86; twice as far: 1.0
    after_members, after_weights = history.members(after), history.member_weights(after)
    on_record = sum(w for s, w in zip(after_members, after_weights) if s.kind != "report") / after.weight
    corroboration = 0.75 + 0.25 * on_record  # a new position known only from reports is less certain
    thin = _LONE_FACTOR ** ((before.count == 1) + (after.count == 1))
    consistency = _consistency(history, before, after)
    return round(move * evidence * consistency * above_noise * corroboration * thin, 3)


def _consistency(history: _History, before: _Period, after: _Period) -> float:
    """Share of the evidence weight on the expected side of the midpoint, averaged over both periods."""
    midpoint = (before.mean + after.mean) / 2
    downward = after.mean < before.mean

    def agreeing(period: _Period, above: bool) -> float:
        members = zip(history.members(period), history.member_weights(period))
        return sum(w for s, w in members if (s.stance > midpoint) == above) / period.weight

    return (agreeing(before, downward) + agreeing(after, not downward)) / 2


def _reasons(history: _History, before: _Period, after: _Period, denials: Sequence[EvidenceStatement],
             anchor: EvidenceStatement) -> tuple[str, ...]:
    since = format_stated(anchor.stated_at, anchor.stated_precision)
    after_members = history.members(after)
    sources = _source_count(after_members)
    reasons = [
        f"{_count(after.count, 'statement')} from {_count(sources, 'source')} since {since} "
        f"average {after.mean:+.1f}, against {before.mean:+.1f} in {_count(before.count, 'statement')} before."
    ]
    midpoint = (before.mean + after.mean) / 2
    weighted = list(zip(after_members, history.member_weights(after)))
    typical = [(s, w) for s, w in weighted if (s.stance - midpoint) * (after.mean - midpoint) > 0]
    strongest, _ = max(typical or weighted, key=lambda sw: (sw[1], sw[0].stated_at))
    reasons.append(f"Strongest new evidence: {_kind_words(strongest.kind)} by {_speaker_words(strongest)} "
                   f"({format_stated(strongest.stated_at, strongest.stated_precision)}).")
    if before.count == 1 or after.count == 1:
        side = "both sides rest" if before.count == after.count == 1 else (
            "the old position rests" if before.count == 1 else "the new position rests")
        reasons.append(f"Thin evidence: {side} on one statement from a strong source.")
    if all(s.kind == "report" for s in after_members):
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
