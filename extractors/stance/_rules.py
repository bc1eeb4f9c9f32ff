"""Stance operators: find the table's cue phrases in a text and work out which tokens
each one governs (its scope). Every function returns new frozen records."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from extractors.stance import _lexicon as lex
from extractors.stance._table import Kind, Rule, Scope, Source, Trait, rule_named, rules_from
from extractors.stance._tokens import Token, clause_bounds, sentence_ids, token_span

__all__ = [
    "Operator", "Found", "CueRole", "cue_role", "denies_own_change", "find_operators", "set_scopes",
]

_MAX_SCOPE = 15
_LIMITER_WINDOW = 4
_AUXILIARIES = frozenset(
    "do does did is are was were be been has have had will would can could shall should may might must".split()
)
_TEXT_RULES = rules_from(Source.TEXT)
_MARKER_RULES = rules_from(Source.MARKER)
_CUE_RULES = rules_from(Source.CUE)
_PARTIAL = rule_named("partial-negation")
_CHOSEN = rule_named("chosen")
_REQUIREMENT = rule_named("requirement")
_CLAIM_OBJECT = rule_named("claim-object")
_TOTALIZERS = frozenset(w for w in _PARTIAL.phrases if " " not in w)
_CHOICE_STOPS = frozenset().union(*(rule.stops for rule in _TEXT_RULES))
_NEGATION_STOPPERS = frozenset({Kind.PIVOT, Kind.CONTRAST})

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Operator:
    rule: Rule
    first: int  # token indices of the cue words
    last: int
    text: str
    scopes: tuple[Span, ...] = ()  # [start, end) token ranges governed
    kind: Kind = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", self.rule.kind)

    @property
    def factor(self) -> float:
        return self.rule.factor

    def has(self, traits: Trait) -> bool:
        """True when its kind has any of ``traits``."""
        return bool(self.kind.bits & traits._value_)

    def covers(self, index: int) -> bool:
        return any(start <= index < end for start, end in self.scopes)


@dataclass(frozen=True, slots=True)
class Found:
    operators: tuple[Operator, ...]  # in text order, scopes not yet set
    markers: tuple[str, ...]  # denial/reiteration markers as written (they claim nothing)
    fired: frozenset[str]  # names of the rules whose phrases matched


@dataclass(frozen=True, slots=True)
class CueRole:
    """What a reporting verb outside the span does to it: ``factor`` on every term
    (-1 "denied"/"opposed", +1 "reiterated"/"pledged"), ``denial`` for a denial of change."""

    text: str
    factor: float
    denial: bool
    rules: tuple[str, ...] = ()  # the table's rules that set it


@dataclass(frozen=True, slots=True)
class _Bounds:
    clause_start: list[int]
    clause_end: list[int]
    sentence_start: list[int]  # per token, the first token of its sentence


def cue_role(cue: str, span: str, kind: str) -> CueRole | None:
    """The role of a reporting cue, or None for a plain one ("said", "according to").
    A quoted denial is the speaker's own words: "denied" marks it and flips nothing."""
    low = " ".join(cue.lower().replace("’", "'").split())
    if not low:
        return None
    for rule in _CUE_RULES:
        if not rule.pattern.search(low):
            continue
        factor, denial = rule.factor, rule.kind.has(Trait.DENIES)
        rules: tuple[str, ...] = (rule.name,)
        if factor < 0 and not denial and _CLAIM_OBJECT.pattern.match(span):
            denial, rules = True, (*rules, _CLAIM_OBJECT.name)
        if denial and factor < 0 and kind == "direct":
            factor = 1.0
        return CueRole(cue, factor, denial, rules)
    return None


def find_operators(text: str, tokens: list[Token], occupied: set[int]) -> Found:
    """Cue phrases not inside a topic term, each token claimed once (higher precedence
    first), plus the denial/reiteration markers (which claim nothing)."""
    starts = [t.start for t in tokens]
    low = lex.lowered(text)
    claimed = set(occupied)
    operators: list[Operator] = []
    fired: set[str] = set()
    beginnings = _word_beginnings(low, tokens)
    for rule in _TEXT_RULES:
        if rule.starts is not None and rule.starts.isdisjoint(beginnings):
            continue
        for match in rule.pattern.finditer(low):
            first, last = token_span(starts, match.start(), match.end())
            if first >= len(tokens) or claimed.intersection(range(first, last + 1)):
                continue
            written = text[match.start() : match.end()]
            if rule.kind is Kind.MODAL and _is_month_may(written, tokens, first):
                continue
            if rule.kind is Kind.AWAY and _describes_anothers(tokens, first, last):
                continue
            claimed.update(range(first, last + 1))
            fired.add(rule.name)
            if rule.kind is not Kind.IGNORE:
                operators.append(Operator(rule, first, last, written))
    operators.sort(key=lambda op: op.first)
    markers: list[str] = []
    for rule in _MARKER_RULES:
        found = [text[m.start() : m.end()] for m in rule.pattern.finditer(low)]
        if found:
            fired.add(rule.name)
            markers += found
    return Found(tuple(operators), tuple(markers), frozenset(fired))


_POSSESSIVE_ENDINGS = ("'s", "’s")


def _describes_anothers(tokens: list[Token], first: int, last: int) -> bool:
    """'Globex’s cancelled launch': a participle between another's name and a noun describes that
    party's deed, not the speaker's ('its cancelled plan' stays a deed)."""
    if first == 0 or last + 1 >= len(tokens) or not tokens[last].text.lower().endswith("ed"):
        return False
    owner = tokens[first - 1].text
    return owner[:1].isupper() and owner.endswith(_POSSESSIVE_ENDINGS) and tokens[last + 1].is_word


def _word_beginnings(low: str, tokens: list[Token]) -> set[str]:
    """The first one to three letters of every word, to skip rules no word can begin."""
    found: set[str] = set()
    for token in tokens:
        if token.is_word:
            word = low[token.start : token.start + 3]
            found.update((word[:1], word[:2], word))
    return found


def _is_month_may(word: str, tokens: list[Token], index: int) -> bool:
    return word == "May" and index > 0 and tokens[index - 1].is_word


def set_scopes(operators: Sequence[Operator], tokens: list[Token], target_starts: set[int]) -> list[Operator]:
    """The operators with their scopes. Change verbs and negators govern what follows in
    their clause; a negator with nothing to govern there, or a passive change verb
    ("was abandoned"), governs the clause's start (its subject) instead."""
    bounds = _bounds(tokens)
    sorted_targets = sorted(target_starts)
    operators = _requirements(operators, bounds)
    scoped = [
        Operator(op.rule, op.first, op.last, op.text, _own_scopes(i, operators, tokens, bounds, sorted_targets))
        for i, op in enumerate(operators)
    ]
    scoped = _with_chosen(scoped, tokens, bounds.clause_end)
    anchors = sorted(target_starts | {op.first for op in scoped if op.has(Trait.EVALUATES)})
    return _negated_states(_negations_reach_back(scoped, tokens, bounds.clause_start, anchors))


def _requirements(operators: Sequence[Operator], bounds: _Bounds) -> list[Operator]:
    """'would refuse to X unless Y': an 'unless' after a negator in its sentence states a requirement."""
    result = list(operators)
    for i, op in enumerate(operators):
        if op.kind is not Kind.CONDITIONAL or op.text.lower() not in _REQUIREMENT.phrases:
            continue
        sentence = bounds.sentence_start[op.first]
        if any(o.has(Trait.NEGATES) and bounds.sentence_start[o.first] == sentence for o in operators[:i]):
            result[i] = Operator(_REQUIREMENT, op.first, op.last, op.text)
    return result


def _negated_states(operators: list[Operator]) -> list[Operator]:
    """'X is no longer available': a negator over a state governs what the state is of, too."""
    states = [op for op in operators if op.has(Trait.STATE)]
    if not states:
        return operators
    result = []
    for op in operators:
        held = [state for state in states if op.has(Trait.NEGATES) and op.covers(state.first)]
        before = {i for state in held for start, end in state.scopes if end <= state.first for i in range(start, end)}
        extra = _spans(sorted(i for i in before if not op.covers(i)))  # never a word turned twice
        result.append(replace(op, scopes=op.scopes + extra) if extra else op)
    return result


def _spans(indices: list[int]) -> tuple[Span, ...]:
    """Sorted token indices as [start, end) runs."""
    runs: list[Span] = []
    for i in indices:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return tuple(runs)


def _open_parenthesis(tokens: list[Token], start: int, index: int) -> int:
    """Where the parenthesis still open at `index` starts (after its bracket), else `start`."""
    depth = 0
    for k in range(index - 1, start - 1, -1):
        if tokens[k].text == ")":
            depth += 1
        elif tokens[k].text == "(":
            if depth == 0:
                return k + 1
            depth -= 1
    return start


def _bounds(tokens: list[Token]) -> _Bounds:
    clause_start, clause_end = clause_bounds(tokens)
    sentence_of = sentence_ids(tokens)
    first_of: dict[int, int] = {}
    for index, sentence in enumerate(sentence_of):
        first_of.setdefault(sentence, index)
    return _Bounds(clause_start, clause_end, [first_of[s] for s in sentence_of])


def _own_scopes(
    i: int, operators: Sequence[Operator], tokens: list[Token], bounds: _Bounds, sorted_targets: list[int]
) -> tuple[Span, ...]:
    op = operators[i]
    scope = op.rule.scope
    if scope in (Scope.NONE, Scope.SENTENCE, Scope.SPAN):
        return ()
    if scope is Scope.BEFORE:  # "X, but Y": X counts less (inside a parenthesis, only its own words)
        return ((_open_parenthesis(tokens, bounds.sentence_start[op.first], op.first), op.first),)
    if scope is Scope.CLAUSE:
        if op.has(Trait.EVALUATES) and _describes_changed_object(i, operators, tokens, bounds):
            return ()
        start = bounds.clause_start[op.first]
        # "X amid concerns about Y": an evaluation inside a background phrase judges that phrase only
        start = max([o.first for o in operators[:i] if o.has(Trait.CONCEDES) and o.first >= start], default=start)
        return ((start, bounds.clause_end[op.first]),)
    if scope is Scope.FROM_TERM_BEFORE:
        start = _nearest_target_before(sorted_targets, bounds.clause_start[op.first], op.first)
        return ((start, bounds.clause_end[op.first]),)
    start, end = _following(i, operators, tokens, bounds, sorted_targets)
    if op.has(Trait.STATE) or op.has(Trait.PASSIVE_SUBJECT) and _is_passive(tokens, op.first):
        return ((start, end), (bounds.clause_start[op.first], op.first))
    if op.has(Trait.INTRANSITIVE_SUBJECT) and _is_intransitive(tokens, op.last):
        if not _any_in(sorted_targets, start, end):
            return ((start, end), (bounds.clause_start[op.first], op.first))
    return ((start, end),)


def _following(
    i: int, operators: Sequence[Operator], tokens: list[Token], bounds: _Bounds, sorted_targets: list[int]
) -> Span:
    """What an operator governs after it, in its clause: up to the next change verb,
    its stop word, its window, or (a negator) the evaluation it binds to."""
    op = operators[i]
    n = len(tokens)
    start = op.last + 1
    # A cue that is itself a clause boundary ("although", "unless") governs the next clause.
    anchor = op.last if bounds.clause_end[op.last] > op.last else min(start, n - 1)
    end = min(bounds.clause_end[anchor], start + _MAX_SCOPE) if start < n else start
    if op.has(Trait.CHANGE):
        end = _stop_at_next_change(islice(operators, i + 1, None), tokens, start, end)
    elif op.kind is Kind.NEGATION:
        end = _stop_at_next(islice(operators, i + 1, None), end, _NEGATION_STOPPERS)
    if op.rule.stops:
        end = _stop_at_word(tokens, start, end, op.rule.stops)
    if op.rule.scope is Scope.WINDOW:
        end = min(end, start + _LIMITER_WINDOW)
    if op.kind is Kind.NEGATION:
        end = _bind_to_evaluation(islice(operators, i + 1, None), start, end, sorted_targets)
    return start, end


def _nearest_target_before(target_starts: list[int], clause_start: int, index: int) -> int:
    """'keep X closed and open Y selectively': the limit reaches back to Y only."""
    position = bisect_left(target_starts, index)
    if position and target_starts[position - 1] >= clause_start:
        return target_starts[position - 1]
    return clause_start


def _stop_at_next(later: Iterable[Operator], end: int, kinds: frozenset[Kind]) -> int:
    for other in later:
        if other.first >= end:
            break
        if other.kind in kinds:
            return other.first
    return end


def _stop_at_next_change(later: Iterable[Operator], tokens: list[Token], start: int, end: int) -> int:
    """A change verb's scope ends at the next one, unless that one is its own object
    ("delay the closure of X", "keep cutting X"): then it reaches through, and composes."""
    for other in later:
        if other.first >= end:
            break
        if other.has(Trait.CHANGE):
            adjacent = all(tokens[j].norm in lex.DETERMINERS for j in range(start, other.first))
            if adjacent and other.has(Trait.COMPOSES):
                continue
            return other.first
    return end


def _bind_to_evaluation(later: Iterable[Operator], start: int, end: int, target_starts: list[int]) -> int:
    """'X is not bad': a negator whose first target is an evaluation negates only that."""
    for other in later:
        if other.first >= end:
            break
        if other.has(Trait.EVALUATES):
            if not _any_in(target_starts, start, other.first):
                return other.last + 1
            break
    return end


def _stop_at_word(tokens: list[Token], start: int, end: int, words: frozenset[str]) -> int:
    for j in range(start, end):
        if tokens[j].norm in words:
            return j
    return end


def _describes_changed_object(i: int, operators: Sequence[Operator], tokens: list[Token], bounds: _Bounds) -> bool:
    """'dropping its heavily criticized plan to charge X': a judgement on the object of a change verb
    names which plan it is; the change, not the judgement, says where the speaker stands. So does one
    in an apposition ("X, the most popular app, will ...")."""
    op = operators[i]
    after = op.last + 1
    if after >= len(tokens) or not tokens[after].is_word or tokens[after].norm in lex.STOPWORDS:
        return False  # "ending X would be a mistake": the judgement is the clause's predicate
    k = op.first - 1
    while k >= 0 and (tokens[k].norm.endswith("ly") or tokens[k].norm in ("most", "more")):
        k -= 1
    if k < 0 or tokens[k].norm not in lex.DETERMINERS:
        return False
    if k > 0 and tokens[k - 1].text == ",":
        return True  # an apposition ("Acme Photos, the most popular photo app, will ..."): it describes
    return any(other.has(Trait.CHANGE) and other.last < k and bounds.clause_start[other.first] == bounds.clause_start[op.first]
               for other in operators[:i])


def _is_intransitive(tokens: list[Token], last: int) -> bool:
    """'X will end in May', 'X stays.', 'cause X to collapse': no object follows."""
    if last + 1 >= len(tokens):
        return True
    after = tokens[last + 1]
    return (not after.is_word and after.text not in "-/") or after.norm in lex.INTRANSITIVE_NEXT


def _is_passive(tokens: list[Token], index: int) -> bool:
    before = [t.norm for t in tokens[max(0, index - 2) : index] if t.is_word]
    return any(w in lex.BE_FORMS for w in before)


def _with_chosen(operators: list[Operator], tokens: list[Token], clause_end: list[int]) -> list[Operator]:
    """'shift from X to Y' and 'replace X with Y': Y, after the stop word, is chosen."""
    chosen: list[Operator] = []
    for op in operators:
        if not op.rule.stops:
            continue
        stop = op.scopes[0][1]
        if stop < len(tokens) and tokens[stop].norm in _CHOICE_STOPS:
            end = min(clause_end[stop], stop + 1 + _MAX_SCOPE)
            chosen.append(Operator(_CHOSEN, stop, stop, tokens[stop].text, ((stop + 1, end),)))
    return sorted(operators + chosen, key=lambda op: op.first)


_PREPOSITIONS = frozenset({"without", "absence of", "lack of", "exempt from", "free from"})


def _negations_reach_back(
    operators: list[Operator], tokens: list[Token], clause_start: list[int], anchors: list[int]
) -> list[Operator]:
    """A negator with no term or evaluation ahead governs its subject ("X is no longer
    the default"); with "all/fully/every" in its scope it is partial."""
    rules = [op.rule for op in operators]
    scopes = [list(op.scopes) for op in operators]
    for i, op in enumerate(operators):
        if op.kind is not Kind.NEGATION:
            continue
        start, end = scopes[i][0]
        if _has_totalizer(tokens, start, end):
            rules[i] = _PARTIAL
        if _any_in(anchors, start, end) or op.text.lower() in _PREPOSITIONS:
            continue  # "firms with X ... than firms without": a preposition negates only what it takes
        back_start = _subject_start(tokens, clause_start[op.first], op.first)
        if back_start is None:
            continue
        back = (back_start, op.first)
        scopes[i].append(back)
        # "X is something we will not abandon": the negated change verb looks back too.
        for j, other in enumerate(operators):
            if other.kind is Kind.AWAY and start <= other.first < end:
                if not any(_any_in(anchors, s, e) for s, e in scopes[j]):
                    scopes[j].append(back)
    return [Operator(rule, op.first, op.last, op.text, tuple(s)) for op, rule, s in zip(operators, rules, scopes)]


def denies_own_change(tokens: list[Token], op: Operator) -> bool:
    """'we will not change ...', 'the company would not alter ...': the speaker denies
    a change of its own. 'Our results do not change our support' restates a position."""
    j = op.first - 1
    while j >= 0 and (tokens[j].norm in _AUXILIARIES or tokens[j].norm.endswith("ly")):
        j -= 1
    if j < 0 or not tokens[j].is_word:
        return False
    word = tokens[j]
    return word.norm in lex.ACTOR_WORDS or (word.text[0].isupper() and word.norm not in lex.STOPWORDS)


_CLAUSE_JOINERS = frozenset({"and", "or", "but"})
_FINITE = lex.BE_FORMS | lex.FINITE_AUXILIARIES


def _subject_start(tokens: list[Token], clause_start: int, index: int) -> int | None:
    """Where a negator's subject may start: its clause start, unless it sits in a subject
    relative clause ("areas that do not support X"), whose subject is no term of ours."""
    for j in range(index - 1, clause_start - 1, -1):
        joined = j - 1 if tokens[j].norm == "that" and j > clause_start else j  # "... and that X is not"
        if tokens[joined].norm in _CLAUSE_JOINERS and any(t.norm in _FINITE for t in tokens[clause_start:joined]):
            return j + 1  # "the trip was a trial and the route is not used": the subject is "the route"
        if tokens[j].norm in lex.RELATIVE_WORDS:
            between = tokens[j + 1 : index]
            if all(t.norm in _AUXILIARIES or t.norm.endswith("ly") for t in between):
                return None
            return clause_start
    return clause_start


def _any_in(sorted_positions: list[int], start: int, end: int) -> bool:
    return bisect_left(sorted_positions, start) != bisect_left(sorted_positions, end)


def _has_totalizer(tokens: list[Token], start: int, end: int) -> bool:
    return any(tokens[j].norm in _TOTALIZERS for j in range(start, end))
