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

Periods are index ranges over the sorted statements with prefix sums, so each period's
weight, mean and squared error is O(1), merging uses a heap and the segmentation is
O(n log n) per history.

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
from datetime import date, datetime, timedelta
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

MIN_MOVE = 0.5  # the weighted stance must move at least this far on the [-1, 1] scale
FULL_MOVE = 0.8  # a move this large (pro to hedged, or hedged to con and beyond) counts in full for confidence
MIN_SIDE_WEIGHT = 0.5  # about two statements on the record (typical confidence ~0.45), or one corroborated
WIDELY_REPORTED = 3  # a lone statement can carry a period when this many independent sources report it
LONE_MIN_WEIGHT = 0.25  # ... or when it is one clear statement of a strong source with at least this weight
LONE_MIN_STANCE = 0.5  # "clear": at least this far from neutral
SIGNIFICANCE_Z = 2.5  # how many noise standard errors apart the two periods' stances must be
_CHI2_MEDIAN = 0.455  # the median of chi-squared with one degree of freedom
_NOISE_PRIOR, _NOISE_PRIOR_WEIGHT = 0.05, 5  # stance variance assumed before a history says otherwise
LONG_HISTORY = 15  # from this many position statements on, single statements and short runs are expected noise
_CHANCE_RUNS = 0.001  # ... and a period must be less likely than this to be a chance run of misread statements
_MISREAD_PRIOR, _MISREAD_PRIOR_WEIGHT = 0.02, 10  # the share of misread statements assumed a priori
SPREAD_RATIO = 0.5  # ... and the move must exceed the two periods' spreads (their weighted std) together
_LONE_FACTOR = 0.9  # confidence factor per side that rests on one statement (own words, an action, on the record)

_EXACT_SPAN = 64  # periods up to this many statements are summed directly, longer ones from prefix sums
EVIDENCE_PER_SIDE = 25  # statements a shift keeps as evidence per side (the nearest the change); all of them count
_RANK = {"con": 0, "hedged": 1, "pro": 2}
_KIND_FACTOR = {"own": 1.0, "direct": 1.0, "action": 0.9, "indirect": 0.8, "report": 0.6}
_COMPANY_VOICE = frozenset({"own", "action"})  # the company itself: its own pages, its deeds reported as fact
_ON_RECORD_ROLE = 0.75  # the role factor of the company's own spokespeople and above
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
    history_ = _placed_history(positions)
    periods = history_.segment()
    detected = []
    for i in range(len(periods) - 1):
        following = periods[i + 2] if i + 2 < len(periods) else None
        denied = _denials_between(denials, history_, periods[i], following)
        detected.append(_shift_between(history_, periods[i], periods[i + 1], denied, now))
    return _reconcile(detected, known)


# --- the history as arrays ------------------------------------------------------


def _placed_history(positions: list[EvidenceStatement]) -> _History:
    """The history to segment. In a long history, a month- or year-precise statement whose period
    contains a change found among the day-precise statements is placed on the side of that change it
    agrees with (at the change, or the day before): piled on the 1st of its month, it would otherwise
    make a blip of its own, or split one move into two."""
    history = _History(positions)
    precise = [s for s in positions if s.stated_precision not in ("month", "year")]
    if not history.long or len(precise) < LONG_HISTORY or len(precise) == len(positions):
        return history
    day_history = _History(precise)
    periods = day_history.segment()
    changes = [(day_history.dates[after.start], (before.mean + after.mean) / 2, after.mean > before.mean)
               for before, after in zip(periods, periods[1:])]
    placed: dict[str, date] = {}
    for s in positions:
        if s.stated_precision not in ("month", "year"):
            continue
        start, end = _period_of(s)
        for change_on, midpoint, upward in changes:
            if start <= change_on <= end:
                placed[s.id] = change_on if (s.stance > midpoint) == upward else change_on - timedelta(days=1)
                break
    if not placed:
        return history
    return _History(sorted(positions, key=lambda s: (placed.get(s.id) or _known_date(s), s.id)), placed)


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


def _role_factor(role: str | None) -> float:
    text = (role or "").lower()
    if _TOP_ROLE.search(text.replace("vice president", "")):
        return 1.0
    if _EXEC_ROLE.search(text):
        return 0.85
    if _COMPANY_ROLE.search(text):
        return 0.75
    return 0.55  # unnamed sources, "people familiar with the matter", unknown roles


_OWN_OR_ACTION, _ON_RECORD = 2, 1  # what one statement may stand for alone (see _lone_source)


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


@dataclass(frozen=True)
class _Period:
    """Statements [start, end) of the sorted history, with their sums."""

    start: int
    end: int
    weight: float
    weighted_sum: float
    weighted_squares: float
    lone_source: int  # for one statement, how far it may stand alone (_lone_source); 0 for more

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

    @property
    def spread(self) -> float:
        """The weighted standard deviation of the period's stances."""
        return math.sqrt(self.squared_error / self.weight)


class _History:
    """One pair's position statements, sorted, with prefix sums; segmentation works on index ranges."""

    def __init__(self, positions: Sequence[EvidenceStatement], placed: dict[str, date] | None = None):
        self.statements = list(positions)
        self.weights = [evidence_weight(s) for s in self.statements]
        self.dates = [(placed or {}).get(s.id) or _known_date(s) for s in self.statements]
        stances = self._stances = [s.stance for s in self.statements]
        self._w = [0.0, *accumulate(self.weights)]
        self._wx = [0.0, *accumulate(w * x for w, x in zip(self.weights, stances))]
        self._wxx = [0.0, *accumulate(w * x * x for w, x in zip(self.weights, stances))]
        self._lone_source = [_lone_source(s) for s in self.statements]
        ranks = [_RANK[position_label(x)] for x in stances]
        self._rank_counts = [[0, *accumulate(int(rank == r) for rank in ranks)] for r in range(3)]
        self.day_starts = [i for i in range(len(self.dates)) if i == 0 or self.dates[i] != self.dates[i - 1]]
        self.one_offs = _one_offs(self.statements)
        self.misread = len(self.one_offs) / len(self.statements) if self.statements else 0.0
        self.threshold = self._significance_threshold()
        self.long = len(self.statements) >= LONG_HISTORY
        rate = (self.misread * len(self.statements) + _MISREAD_PRIOR * _MISREAD_PRIOR_WEIGHT) / (
            len(self.statements) + _MISREAD_PRIOR_WEIGHT)
        self.first_count = _run_needed(1, rate)  # the first k statements all misread
        self.later_count = max(2, _run_needed(len(self.statements), rate))  # a run of k misread anywhere

    def span(self, start: int, end: int) -> _Period:
        lone = end - start == 1
        if end - start <= _EXACT_SPAN:  # summed directly: labels at a boundary (-0.3) do not hang on rounding
            weights, stances = self.weights[start:end], self._stances[start:end]
            sums = (sum(weights), sum(w * x for w, x in zip(weights, stances)),
                    sum(w * x * x for w, x in zip(weights, stances)))
        else:
            sums = (self._w[end] - self._w[start], self._wx[end] - self._wx[start], self._wxx[end] - self._wxx[start])
        return _Period(start, end, *sums, self._lone_source[start] if lone else 0)

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
        few real changes barely move; a short history leans on a prior.
        """
        s, w, misread = self.statements, self.weights, self.one_offs
        # one-off contrary statements are misreads, not scatter (the count rules deal with them); the
        # largest difference left may be the change itself; and the median, not the mean, for what
        # remains of outliers (the median of chi2(1) is 0.455)
        terms = sorted((s[i + 1].stance - s[i].stance) ** 2 * w[i] * w[i + 1] / (w[i] + w[i + 1])
                       for i in range(len(s) - 1) if i not in misread and i + 1 not in misread)[:-1]
        observed = terms[len(terms) // 2] / _CHI2_MEDIAN if terms else _NOISE_PRIOR
        variance = (_NOISE_PRIOR * _NOISE_PRIOR_WEIGHT + observed * len(terms)) / (_NOISE_PRIOR_WEIGHT + len(terms))
        return SIGNIFICANCE_Z**2 * variance

    # --- clear moves -----------------------------------------------------------

    def is_evidenced(self, period: _Period, other: _Period) -> bool:
        """Enough weight and enough statements (see the module doc); `other` is the period across the move."""
        if period.count > 1:
            return period.weight >= MIN_SIDE_WEIGHT
        widely = self.statements[period.start].source_count >= WIDELY_REPORTED and period.weight >= MIN_SIDE_WEIGHT
        if self.long or not period.lone_source or self.misread > 0:
            return widely  # where one-off contrary statements occur, single statements get misread
        if period.lone_source == _ON_RECORD and other.count > 1:
            return widely
        return period.weight >= LONE_MIN_WEIGHT

    def is_clear_move(self, earlier: _Period, later: _Period) -> bool:
        return (
            abs(later.mean - earlier.mean) >= MIN_MOVE
            and earlier.label != later.label
            and self.is_evidenced(earlier, later)
            and self.is_evidenced(later, earlier)
            and _merge_cost(earlier, later) >= self.threshold
            and (not self.long or self._holds_in_long_history(earlier, later))
        )

    def _holds_in_long_history(self, earlier: _Period, later: _Period) -> bool:
        """In a long history each side needs a run of statements that chance does not explain (counting
        only those on its side of the move: a mixed period is no position), and the move must exceed the
        two periods' spreads."""
        if abs(later.mean - earlier.mean) < SPREAD_RATIO * (earlier.spread + later.spread):
            return False
        high, low = (earlier, later) if later.mean < earlier.mean else (later, earlier)
        above = self._ranked(high, more_than=_RANK[low.label])
        below = self._ranked(low, less_than=_RANK[high.label])
        # net support: the statements for the period's side minus those against it (a window where
        # misread statements cluster among the others is no run of the other position)
        return (2 * above - high.count >= self._run_needed(high)
                and 2 * below - low.count >= self._run_needed(low))

    def _run_needed(self, period: _Period) -> int:
        # the end of a history moves with every new statement (each time, its last statements could be
        # misread ones), so only the first period is one place; every other one counts as anywhere
        return self.first_count if period.start == 0 else self.later_count

    def _ranked(self, period: _Period, *, more_than: int = -1, less_than: int = 3) -> int:
        """How many statements of the period have a position rank (con 0, hedged 1, pro 2) in the range."""
        return sum(self._rank_counts[r][period.end] - self._rank_counts[r][period.start]
                   for r in range(more_than + 1, less_than))

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

        def alive(i: int) -> _Period:
            node = nodes[i]
            assert node is not None, "a merged-away period is never pushed"
            return node

        def push(i: int) -> None:
            j = following[i]
            if j < len(nodes) and not self.is_clear_move(alive(i), alive(j)):
                left, right = alive(i), alive(j)
                heapq.heappush(heap, (_merge_cost(left, right), left.start, left.end, right.end))

        for i in range(len(nodes) - 1):
            push(i)
        by_start = {p.start: i for i, p in enumerate(periods)}
        while heap:
            _, start, left_end, right_end = heapq.heappop(heap)
            found = by_start.get(start)
            if found is None:
                continue
            i = found
            left = nodes[i]
            if left is None or left.end != left_end:
                continue
            j = following[i]
            right = nodes[j] if j < len(nodes) else None
            if right is None or right.end != right_end:
                continue
            nodes[i] = self.span(left.start, right.end)
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


def _one_offs(statements: Sequence[EvidenceStatement]) -> set[int]:
    """Indices of one-off contrary statements: on the other side (pro vs con) from the statements
    just before and just after, which agree with each other (hedged ones are skipped). A real change
    and its return take more than one statement each, so they do not count here."""
    sided = [(i, side) for i, side in enumerate(_side(s) for s in statements) if side]
    return {b[0] for a, b, c in zip(sided, sided[1:], sided[2:]) if a[1] == c[1] == -b[1]}


def _side(statement: EvidenceStatement) -> int:
    return {"pro": 1, "con": -1}.get(statement.stance_label, 0)


def _run_needed(places: int, misread: float) -> int:
    """The shortest run of statements that chance (a share `misread` of statements misread, in `places`
    places a run could start) explains less than _CHANCE_RUNS of the time: the smallest k >= 1 with
    places x misread^k <= _CHANCE_RUNS."""
    if misread <= 0:
        return 1
    k = math.log(_CHANCE_RUNS / places) / math.log(misread)
    return max(1, math.ceil(k - 1e-9))


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
        before=weigh(history.members(before)[-EVIDENCE_PER_SIDE:]),  # the last said before the change
        after=weigh(history.members(after)[:EVIDENCE_PER_SIDE]),  # and the first said after it
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
    evidence = min(_side_evidence(before), _side_evidence(after))  # at the floor: 0.86
    z_ratio_squared = _merge_cost(before, after) / (SIGNIFICANCE_Z**2 * _residual_variance((before, after)))
    above_noise = 1.0 - math.exp(-2.0 * z_ratio_squared)  # barely significant: 0.86; twice as far: 1.0
    after_members, after_weights = history.members(after), history.member_weights(after)
    on_record = sum(w for s, w in zip(after_members, after_weights) if s.kind != "report") / after.weight
    corroboration = 0.75 + 0.25 * on_record  # a new position known only from reports is less certain
    thin = _LONE_FACTOR ** sum(side.count == 1 for side in (before, after))
    consistency = _consistency(history, before, after)
    return round(move * evidence * consistency * above_noise * corroboration * thin, 3)


def _side_evidence(period: _Period) -> float:
    """How much weight one side has against the floor it had to reach (a lone strong statement's own)."""
    floor = LONE_MIN_WEIGHT if period.count == 1 and period.lone_source else MIN_SIDE_WEIGHT
    return 1.0 - math.exp(-2.0 * period.weight / floor)


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
