"""One pair's position statements as columns, and their segmentation into periods (see `_detect`).

A history is per-statement columns (weight, stance, date, ...) sorted by when things were said,
with prefix sums, so a period's sums are O(1). It is built either from statements (full
detection) or from a stored settled prefix plus the statements after it (`Settled`, incremental
detection): the settled prefix brings its prefix sums, its noise terms and one-off contrary
statements as computed before, so building costs O(tail), and its interior comes as blocks
(already merged) instead of single days, so segmenting costs about O(tail + boundaries).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import mul

from storage.records import EvidenceStatement, position_label

LONE_MIN_STANCE = 0.5  # "clear": at least this far from neutral
MIN_MOVE = 0.5  # the weighted stance must move at least this far on the [-1, 1] scale
MIN_SIDE_WEIGHT = 0.5  # about two statements on the record (typical confidence ~0.45), or one corroborated
WIDELY_REPORTED = 3  # a lone statement can carry a period when this many independent sources report it
LONE_MIN_WEIGHT = 0.25  # ... or when it is one clear statement of a strong source with at least this weight
SIGNIFICANCE_Z = 2.5  # how many noise standard errors apart the two periods' stances must be
LONG_HISTORY = 15  # from this many position statements on, single statements and short runs are expected noise
SPREAD_RATIO = 0.5  # ... and the move must exceed the two periods' spreads (their weighted std) together
_CHI2_MEDIAN = 0.455  # the median of chi-squared with one degree of freedom
_NOISE_PRIOR, _NOISE_PRIOR_WEIGHT = 0.05, 5  # stance variance assumed before a history says otherwise
_CHANCE_RUNS = 0.001  # ... and a period must be less likely than this to be a chance run of misread statements
_MISREAD_PRIOR, _MISREAD_PRIOR_WEIGHT = 0.02, 10  # the share of misread statements assumed a priori
_EXACT_SPAN = 64  # periods up to this many statements are summed directly, longer ones from prefix sums
_RANK = {"con": 0, "hedged": 1, "pro": 2}
_RANK_BYTES = [bytes(int(i == r) for i in range(256)) for r in range(3)]  # translate tables: rank r -> 1
_OWN_OR_ACTION, _ON_RECORD = 2, 1  # what one statement may stand for alone (see _detect._lone_source)


def url_key(url: str | None) -> int:
    """A stable 63-bit key of a URL (0 for none), to count distinct sources without keeping the URLs."""
    if not url:
        return 0
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest()) >> 1 or 1


@dataclass
class Columns:
    """Per-statement values of a sorted history: one entry per statement in every list."""

    ids: list[str]
    weights: list[float]
    stances: list[float]
    days: list[int]  # the date it counts at (placed or known), as an ordinal
    sides: list[int]  # +1 pro, -1 con, 0 otherwise (the stored label)
    lone: bytes  # how far it may stand alone (_detect._lone_source)
    sources: list[int]  # independent sources
    reports: bytes  # 1 for a report by others
    urls: list[int]  # url_key of its URL
    stated: list[int]  # when it was said (the tie-break for the strongest evidence), as an ordinal
    precise: bytes  # 1 for a day-precise date
    ranks: bytes  # position rank of its stance: con 0, hedged 1, pro 2

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, selectors: bytes) -> Columns:
        """The statements whose selector is 1, in order."""
        def pick(values: Iterable) -> list:
            return list(compress(values, selectors))
        return Columns(pick(self.ids), pick(self.weights), pick(self.stances), pick(self.days), pick(self.sides),
                       bytes(pick(self.lone)), pick(self.sources), bytes(pick(self.reports)), pick(self.urls),
                       pick(self.stated), bytes(pick(self.precise)), bytes(pick(self.ranks)))

    def reordered(self, order: Sequence[int], days: list[int]) -> Columns:
        """The statements in this order (indices), counting at these days."""
        def pick(values: Sequence) -> list:
            return [values[i] for i in order]
        return Columns(pick(self.ids), pick(self.weights), pick(self.stances), days, pick(self.sides),
                       bytes(pick(self.lone)), pick(self.sources), bytes(pick(self.reports)), pick(self.urls),
                       pick(self.stated), bytes(pick(self.precise)), bytes(pick(self.ranks)))

    def head(self, n: int) -> Columns:
        return Columns(self.ids[:n], self.weights[:n], self.stances[:n], self.days[:n], self.sides[:n],
                       self.lone[:n], self.sources[:n], self.reports[:n], self.urls[:n], self.stated[:n],
                       self.precise[:n], self.ranks[:n])

    def extended(self, other: Columns) -> Columns:
        return Columns(self.ids + other.ids, self.weights + other.weights, self.stances + other.stances,
                       self.days + other.days, self.sides + other.sides, self.lone + other.lone,
                       self.sources + other.sources, self.reports + other.reports, self.urls + other.urls,
                       self.stated + other.stated, self.precise + other.precise, self.ranks + other.ranks)


def columns_of(statements: Sequence[EvidenceStatement], weights: Sequence[float], days: Sequence[int],
               lone: Sequence[int]) -> Columns:
    return Columns(
        ids=[s.id for s in statements], weights=list(weights), stances=[s.stance for s in statements],
        days=list(days), sides=[{"pro": 1, "con": -1}.get(s.stance_label, 0) for s in statements],
        lone=bytes(lone), sources=[s.source_count for s in statements],
        reports=bytes(int(s.kind == "report") for s in statements), urls=[url_key(s.url) for s in statements],
        stated=[s.stated_at.toordinal() for s in statements],
        precise=bytes(int(s.stated_precision not in ("month", "year")) for s in statements),
        ranks=bytes(_RANK[position_label(s.stance)] for s in statements))


@dataclass(frozen=True)
class Settled:
    """What a settled prefix of a history brings, as computed when it was settled (see the module doc)."""

    count: int  # statements in the prefix
    terms: list[float]  # noise terms of the successive differences wholly before `determined`, sorted
    one_offs: list[int]  # one-off contrary statements before the last sided one, sorted
    last_sided: int  # index of the prefix's last pro or con statement (-1: none)
    previous_sided: int  # ... and of the one before it (-1: none)
    atoms: list[int]  # where the initial periods start within the prefix (day starts outside blocks)
    blocks: list[tuple[int, int]]  # runs of days merged in advance: [start, end) index ranges

    @property
    def determined(self) -> int:
        """Statements before this index have their one-off status settled (the next sided one is known)."""
        return self.last_sided if self.last_sided >= 0 else self.count


@dataclass(frozen=True)
class Period:
    """Statements [start, end) of the sorted history, with their sums."""

    start: int
    end: int
    weight: float
    weighted_sum: float
    weighted_squares: float
    lone_source: int  # for one statement, how far it may stand alone; 0 for more

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


def _run_needed(places: int, misread: float) -> int:
    """The shortest run of statements that chance (a share `misread` of statements misread, in `places`
    places a run could start) explains less than _CHANCE_RUNS of the time: the smallest k >= 1 with
    places x misread^k <= _CHANCE_RUNS."""
    if misread <= 0 or places <= 0:
        return 1  # nothing misread, or no statement to misread (an empty history)
    k = math.log(_CHANCE_RUNS / places) / math.log(misread)
    return max(1, math.ceil(k - 1e-9))


def merge_cost(a: Period, b: Period) -> float:
    """Ward's criterion: how much merging adds to the weighted squared error."""
    return a.weight * b.weight / (a.weight + b.weight) * (a.mean - b.mean) ** 2


def between_squares(periods: Sequence[Period]) -> float:
    """How much splitting these periods reduces the weighted squared error against one mean."""
    weight = sum(p.weight for p in periods)
    mean = sum(p.weighted_sum for p in periods) / weight
    return sum(p.weight * (p.mean - mean) ** 2 for p in periods)


def _one_offs(sided: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of one-off contrary statements among (index, side) of the pro and con statements in
    order: on the other side from the statements just before and just after, which agree with each
    other (hedged ones are skipped). A real change and its return take more than one statement each."""
    return [b[0] for a, b, c in zip(sided, sided[1:], sided[2:]) if a[1] == c[1] == -b[1]]


Resolver = Callable[[Sequence[str]], dict[str, EvidenceStatement]]


@dataclass
class History:
    """One pair's position statements as columns, with prefix sums; segmentation works on index ranges."""

    columns: Columns
    settled: Settled | None = None
    objects: dict[int, EvidenceStatement] = field(default_factory=dict)  # the statements at hand, by index
    resolve: Resolver | None = None  # fetches the others by id (a settled prefix comes without them)

    def __post_init__(self) -> None:
        c, settled = self.columns, self.settled
        self.n = n = len(c)
        self.weights, self._stances, self.dates = c.weights, c.stances, c.days
        self._w = [0.0, *accumulate(c.weights)]
        self._wx = [0.0, *accumulate(map(mul, c.weights, c.stances))]
        self._wxx = [0.0, *accumulate(map(mul, map(mul, c.weights, c.stances), c.stances))]
        self._rank_counts = [[0, *accumulate(c.ranks.translate(_RANK_BYTES[r]))] for r in range(3)]
        start = settled.count if settled else 0
        tail_starts = [i for i in range(max(start, 1), n) if c.days[i] != c.days[i - 1]]
        if settled:
            self.day_starts = [*settled.atoms, *([start] if start < n and start not in settled.atoms else []),
                               *(i for i in tail_starts if i > start)]
        else:
            self.day_starts = [0, *tail_starts] if n else []
        self._edge_terms: list[tuple[int, float]] = []
        self.one_offs = self._find_one_offs()
        self.misread = len(self.one_offs) / n if n else 0.0
        self.threshold = self._significance_threshold()
        self.long = n >= LONG_HISTORY
        rate = (self.misread * n + _MISREAD_PRIOR * _MISREAD_PRIOR_WEIGHT) / (n + _MISREAD_PRIOR_WEIGHT)
        self.first_count = _run_needed(1, rate)  # the first k statements all misread
        self.later_count = max(2, _run_needed(n, rate))  # a run of k misread anywhere

    # --- statements ------------------------------------------------------------

    def statements(self, indices: Sequence[int]) -> list[EvidenceStatement]:
        """The statements at these indices (fetched by id where the history came without them)."""
        missing = [self.columns.ids[i] for i in indices if i not in self.objects]
        if missing:
            assert self.resolve is not None, "a history built from statements has them all"
            found = self.resolve(missing)
            for i in indices:
                if i not in self.objects:
                    self.objects[i] = found[self.columns.ids[i]]
        return [self.objects[i] for i in indices]

    # --- the noise model -----------------------------------------------------

    def _find_one_offs(self) -> set[int]:
        c, settled = self.columns, self.settled
        if settled is None:
            return set(_one_offs([(i, side) for i, side in enumerate(c.sides) if side]))
        context = [(i, c.sides[i]) for i in (settled.previous_sided, settled.last_sided) if i >= 0]
        start = settled.count
        sided = [*context, *((i, side) for i, side in zip(range(start, self.n), c.sides[start:]) if side)]
        return {*settled.one_offs, *(i for i in _one_offs(sided) if i >= settled.determined)}

    def _significance_threshold(self) -> float:
        """The separation two periods need to be more than noise: Z^2 x the history's noise level.

        Noise model: a statement of weight w scatters around its period's stance with variance
        sigma^2 / w (weights act as precision, as in the weighted error the periods minimise).
        sigma^2 is read from successive differences, Var(x2 - x1) = sigma^2 (1/w1 + 1/w2), which a
        few real changes barely move; a short history leans on a prior. One-off contrary statements
        are misreads, not scatter (the count rules deal with them); the largest difference left may
        be the change itself; and the median, not the mean, for what remains of outliers.
        """
        x, w, misread = self._stances, self.weights, self.one_offs
        first = max(0, self.settled.determined - 1) if self.settled else 0
        self._edge_terms = [(i, (x[i + 1] - x[i]) ** 2 * w[i] * w[i + 1] / (w[i] + w[i + 1]))
                            for i in range(first, self.n - 1) if i not in misread and i + 1 not in misread]
        interior = self.settled.terms if self.settled else []
        terms = sorted([*interior, *(t for _, t in self._edge_terms)])[:-1]
        observed = terms[len(terms) // 2] / _CHI2_MEDIAN if terms else _NOISE_PRIOR
        variance = (_NOISE_PRIOR * _NOISE_PRIOR_WEIGHT + observed * len(terms)) / (_NOISE_PRIOR_WEIGHT + len(terms))
        return SIGNIFICANCE_Z**2 * variance

    def settle(self, count: int, periods: Sequence[Period], margin: int) -> Settled:
        """The first `count` statements as a settled prefix: its noise terms and one-offs as computed
        here, and its periods' interiors (`margin` statements away from every change and from the end)
        as blocks."""
        c = self.columns
        sided = [i for i in range(count) if c.sides[i]]
        last, previous = (sided[-1] if sided else -1), (sided[-2] if len(sided) > 1 else -1)
        determined = last if last >= 0 else count
        interior = list(self.settled.terms) if self.settled else []
        interior.extend(t for i, t in self._edge_terms if i + 1 < determined)
        starts = [0, *(i for i in range(1, count) if c.days[i] != c.days[i - 1])] if count else []
        blocks = []
        for p in periods:
            lo, hi = p.start + margin, min(p.end, count) - margin
            first = bisect_left(starts, lo)
            last_start = bisect_right(starts, hi) - 1
            if first < last_start and starts[last_start] - starts[first] > 1:
                blocks.append((starts[first], starts[last_start]))
        atoms = [i for i in starts if not any(a < i < b for a, b in blocks)]
        return Settled(count, sorted(interior), sorted(i for i in self.one_offs if i < determined),
                       last, previous, atoms, blocks)

    # --- periods ---------------------------------------------------------------

    def span(self, start: int, end: int) -> Period:
        lone = end - start == 1
        if end - start <= _EXACT_SPAN:  # summed directly: labels at a boundary (-0.3) do not hang on rounding
            weights, stances = self.weights[start:end], self._stances[start:end]
            sums = (sum(weights), sum(w * x for w, x in zip(weights, stances)),
                    sum(w * x * x for w, x in zip(weights, stances)))
        else:
            sums = (self._w[end] - self._w[start], self._wx[end] - self._wx[start], self._wxx[end] - self._wxx[start])
        return Period(start, end, *sums, self.columns.lone[start] if lone else 0)

    def member_weights(self, period: Period) -> list[float]:
        return self.weights[period.start:period.end]

    def member_stances(self, period: Period) -> list[float]:
        return self._stances[period.start:period.end]

    # --- clear moves -----------------------------------------------------------

    def is_evidenced(self, period: Period, other: Period) -> bool:
        """Enough weight and enough statements (see `_detect`); `other` is the period across the move."""
        if period.count > 1:
            return period.weight >= MIN_SIDE_WEIGHT
        widely = self.columns.sources[period.start] >= WIDELY_REPORTED and period.weight >= MIN_SIDE_WEIGHT
        if self.long or not period.lone_source or self.misread > 0:
            return widely  # where one-off contrary statements occur, single statements get misread
        if period.lone_source == _ON_RECORD and other.count > 1:
            return widely
        return period.weight >= LONE_MIN_WEIGHT

    def is_clear_move(self, earlier: Period, later: Period) -> bool:
        return (
            abs(later.mean - earlier.mean) >= MIN_MOVE
            and earlier.label != later.label
            and self.is_evidenced(earlier, later)
            and self.is_evidenced(later, earlier)
            and merge_cost(earlier, later) >= self.threshold
            and (not self.long or self._holds_in_long_history(earlier, later))
        )

    def _holds_in_long_history(self, earlier: Period, later: Period) -> bool:
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

    def _run_needed(self, period: Period) -> int:
        # the end of a history moves with every new statement (each time, its last statements could be
        # misread ones), so only the first period is one place; every other one counts as anywhere
        return self.first_count if period.start == 0 else self.later_count

    def _ranked(self, period: Period, *, more_than: int = -1, less_than: int = 3) -> int:
        """How many statements of the period have a position rank (con 0, hedged 1, pro 2) in the range."""
        return sum(self._rank_counts[r][period.end] - self._rank_counts[r][period.start]
                   for r in range(more_than + 1, less_than))

    # --- segmentation ------------------------------------------------------------

    def segment(self) -> list[Period]:
        if not self.n:
            return []
        ends = [*self.day_starts[1:], self.n]
        periods = [self.span(a, b) for a, b in zip(self.day_starts, ends)]
        while True:
            periods = self._merge_unclear(periods)
            periods = self._refine(periods)
            if self._unclear(periods):  # moving a change point can weaken its neighbour
                continue
            blips = self._weak_blips(periods)
            if not blips:
                return periods
            i = min(blips, key=lambda k: (between_squares(periods[k - 1:k + 2]), k))
            periods[i - 1:i + 2] = [self.span(periods[i - 1].start, periods[i + 1].end)]

    def _unclear(self, periods: Sequence[Period]) -> bool:
        return any(not self.is_clear_move(a, b) for a, b in zip(periods, periods[1:]))

    def _merge_unclear(self, periods: list[Period]) -> list[Period]:
        """Merge the most similar unclear neighbours first (ties: the earliest), until every boundary
        is a clear move; a heap with lazy deletion keeps this O(p log p) in the number of periods."""
        nodes: list[Period | None] = list(periods)
        following = list(range(1, len(nodes) + 1))
        preceding = list(range(-1, len(nodes) - 1))
        heap: list[tuple[float, int, int, int]] = []

        def alive(i: int) -> Period:
            node = nodes[i]
            assert node is not None, "a merged-away period is never pushed"
            return node

        def push(i: int) -> None:
            j = following[i]
            if j < len(nodes) and not self.is_clear_move(alive(i), alive(j)):
                left, right = alive(i), alive(j)
                heapq.heappush(heap, (merge_cost(left, right), left.start, left.end, right.end))

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

    def _refine(self, periods: list[Period]) -> list[Period]:
        """Place each change point where it best separates its two periods.

        Merging builds periods bottom-up, so a small run of outliers next to the change can
        end up on the wrong side. Each boundary is moved to the date that maximises the
        separation of the two periods around it (the least-squares single change point),
        among dates that still make a clear move.
        """
        for i in range(len(periods) - 1):
            left, right = periods[i], periods[i + 1]
            best, best_score = None, merge_cost(left, right)
            for cut in self._day_starts_within(left.start, right.end):
                a, b = self.span(left.start, cut), self.span(cut, right.end)
                if not self.is_clear_move(a, b):
                    continue
                score = merge_cost(a, b)
                if score > best_score + 1e-9:
                    best, best_score = (a, b), score
            if best is not None:
                periods[i:i + 2] = list(best)
        return periods

    def _day_starts_within(self, start: int, end: int) -> list[int]:
        return self.day_starts[bisect_right(self.day_starts, start):bisect_left(self.day_starts, end)]

    def _weak_blips(self, periods: Sequence[Period]) -> list[int]:
        """Middle periods after which the earlier position returns (A -> B -> A) without paying for
        their two change points: such a B must explain twice the threshold, as two changes."""
        return [
            i for i in range(1, len(periods) - 1)
            if periods[i - 1].label == periods[i + 1].label
            and between_squares(periods[i - 1:i + 2]) < 2 * self.threshold
        ]

    def block_edges(self) -> set[int]:
        """Indices where a block starts or ends: a change there may belong inside the block."""
        return {edge for block in (self.settled.blocks if self.settled else ()) for edge in block}
