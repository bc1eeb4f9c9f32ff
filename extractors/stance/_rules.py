"""Stance operators: find the generic cue phrases in a text and work out which
tokens each one governs (its scope)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from extractors.stance import _lexicon as lex
from extractors.stance._tokens import Token, clause_bounds, sentence_ids, token_span

__all__ = [
    "Operator", "CueRole", "cue_role", "denies_own_change", "find_operators", "set_scopes",
    "CHANGE_KINDS", "EVAL_KINDS", "SCOPED_KINDS",
]

_MAX_SCOPE = 15
_LIMITER_WINDOW = 4
_PARTIAL_NEGATION = -0.4  # "won't open source all": less support, not opposition
_COMPOSABLE = frozenset({"away", "toward", "remedy"})
_AUXILIARIES = frozenset(
    "do does did is are was were be been has have had will would can could shall should may might must".split()
)

# (kind, compiled phrases, factor); earlier entries claim their tokens first.
_CLASSES: list[tuple[str, re.Pattern[str], float]] = [
    ("ignore", lex.compile_phrases(lex.NOT_NEGATION), 1.0),
    ("denial", lex.compile_phrases(lex.DENIAL_CONSUMING), 1.0),
    ("no_change", lex.compile_phrases(lex.NO_CHANGE), 1.0),
    ("eval_neg", lex.compile_phrases(lex.EVAL_NEGATIVE_NEGATED), -1.0),
    ("frame", lex.compile_phrases(lex.FRAMES), 0.0),
    ("pivot", lex.compile_phrases(lex.PIVOT), 1.0),
    ("concession_after", lex.compile_phrases(sorted(lex.CONCESSIVE_AFTER)), 0.5),
    ("concession", lex.compile_phrases(lex.CONCESSIVE_BEFORE), 0.5),
    ("contrast", lex.compile_phrases(lex.CONTRAST), -1.0),
    ("conditional", lex.compile_phrases(lex.CONDITIONAL), 0.5),
    ("limiter_clause", lex.compile_phrases(lex.LIMITER_CLAUSE), 0.4),
    ("hedge", lex.compile_phrases(lex.HEDGE_STRONG), 0.45),
    ("fromshift", lex.compile_phrases(lex.FROM_SHIFT), -1.0),
    ("replace", lex.compile_phrases(lex.REPLACE), -1.0),
    ("away", lex.compile_phrases(lex.AWAY), -1.0),
    ("remedy", lex.compile_phrases(lex.REMEDY), -1.0),
    ("negation", lex.compile_phrases(lex.NEGATION), -1.0),
    ("limiter", lex.compile_phrases(lex.LIMITER_BEFORE), 0.4),
    ("limiter", lex.compile_phrases(lex.LIMITER_WEAK), 0.7),
    ("toward", lex.compile_phrases(lex.TOWARD), 1.0),
    ("modal", lex.compile_phrases(lex.HEDGE_WEAK), 0.7),
    ("mention", lex.compile_phrases(lex.MENTION), 1.0),
    ("eval_neg", lex.compile_phrases(lex.EVAL_NEGATIVE), -1.0),
    ("eval_outcome", lex.compile_phrases(lex.EVAL_OUTCOME), -1.0),
    ("eval_pos", lex.compile_phrases(lex.EVAL_POSITIVE), 1.0),
]
_DENIAL_MARKERS = lex.compile_phrases(lex.DENIAL_MARKERS)
_TOTALIZERS = frozenset(w for w in lex.TOTALIZERS if " " not in w)

# "remedy" ("fix the outage") flips only the con terms it governs.
CHANGE_KINDS = frozenset({"away", "toward", "pivot", "contrast", "fromshift", "replace", "remedy"})
# Kinds whose factor applies to the targets inside their scope.
EVAL_KINDS = frozenset({"eval_pos", "eval_neg", "eval_outcome"})
SCOPED_KINDS = CHANGE_KINDS | EVAL_KINDS | {
    "negation", "partial", "limiter", "limiter_clause", "conditional", "frame", "mention", "concession",
    "concession_after",
}


@dataclass(slots=True)
class Operator:
    kind: str
    first: int  # token indices of the cue words
    last: int
    text: str
    factor: float
    scopes: list[tuple[int, int]] = field(default_factory=list)  # [start, end) token ranges governed

    def covers(self, index: int) -> bool:
        return any(start <= index < end for start, end in self.scopes)


@dataclass(frozen=True, slots=True)
class CueRole:
    """What a reporting verb outside the span does to it: ``factor`` on every term
    (-1 "denied"/"opposed", +1 "reiterated"/"pledged"), ``denial`` for a denial of change."""

    text: str
    factor: float
    denial: bool


_CUE_ROLES = [
    (re.compile(rf"\b(?:{'|'.join(map(re.escape, phrases))})\b"), factor, denial)
    for phrases, factor, denial in (
        (lex.CUE_DENY, -1.0, True),
        (lex.CUE_AGAINST, -1.0, False),
        (lex.CUE_REITERATE, 1.0, True),
        (lex.CUE_FOR, 1.0, False),
    )
]
# "rejected reports that ...": the object is a claim, so rejecting it denies it.
_CLAIM_OBJECT = re.compile(
    r"^\W*(?:the |these |those |such |any |all )?(?:reports?|claims?|allegations?|suggestions?|speculation|"
    r"rumou?rs?|characteri[sz]ations?|accusations?|notion|idea|assertions?)\b",
    re.IGNORECASE,
)


def cue_role(cue: str, span: str, kind: str) -> CueRole | None:
    """The role of a reporting cue, or None for a plain one ("said", "according to").
    A quoted denial is the speaker's own words: "denied" marks it and flips nothing."""
    low = " ".join(cue.lower().replace("’", "'").split())
    if not low:
        return None
    for pattern, factor, denial in _CUE_ROLES:
        if not pattern.search(low):
            continue
        if factor < 0 and not denial and _CLAIM_OBJECT.match(span):
            denial = True
        if denial and factor < 0 and kind == "direct":
            factor = 1.0
        return CueRole(cue, factor, denial)
    return None


def find_operators(text: str, tokens: list[Token], occupied: set[int]) -> tuple[list[Operator], list[str]]:
    """Cue phrases not inside a topic term, each token claimed once (earlier classes
    first), plus the denial/reiteration markers (which claim nothing)."""
    starts = [t.start for t in tokens]
    low = lex.lowered(text)
    claimed = set(occupied)
    operators: list[Operator] = []
    for kind, pattern, factor in _CLASSES:
        for match in pattern.finditer(low):
            first, last = token_span(starts, match.start(), match.end())
            if first >= len(tokens) or claimed.intersection(range(first, last + 1)):
                continue
            written = text[match.start() : match.end()]
            if kind == "modal" and _is_month_may(written, tokens, first):
                continue
            claimed.update(range(first, last + 1))
            if kind != "ignore":
                operators.append(Operator(kind, first, last, written, factor))
    operators.sort(key=lambda op: op.first)
    markers = [text[m.start() : m.end()] for m in _DENIAL_MARKERS.finditer(low)]
    return operators, markers


def _is_month_may(word: str, tokens: list[Token], index: int) -> bool:
    return word == "May" and index > 0 and tokens[index - 1].is_word


def set_scopes(operators: list[Operator], tokens: list[Token], target_starts: set[int]) -> None:
    """Fill each operator's scope. Change verbs and negators govern what follows in
    their clause; a negator with nothing to govern there, or a passive change verb
    ("was abandoned"), governs the clause's start (its subject) instead."""
    clause_start, clause_end = clause_bounds(tokens)
    sentence_of = sentence_ids(tokens)
    sentence_start: dict[int, int] = {}
    for index, sentence in enumerate(sentence_of):
        sentence_start.setdefault(sentence, index)
    n = len(tokens)
    sorted_targets = sorted(target_starts)
    for i, op in enumerate(operators):
        if op.kind == "concession_after":  # "X, but Y": X counts less
            op.scopes.append((sentence_start[sentence_of[op.first]], op.first))
            continue
        start = op.last + 1
        # A cue that is itself a clause boundary ("although", "unless") governs the next clause.
        anchor = op.last if clause_end[op.last] > op.last else min(start, n - 1)
        end = min(clause_end[anchor], start + _MAX_SCOPE) if start < n else start
        if op.kind in CHANGE_KINDS:
            end = _stop_at_next_change(islice(operators, i + 1, None), tokens, start, end)
        elif op.kind == "negation":
            end = _stop_at_next(islice(operators, i + 1, None), end, {"pivot", "contrast"})
        if op.kind == "fromshift":
            end = _stop_at_word(tokens, start, end, lex.FROM_SHIFT_STOPS)
        if op.kind == "replace":
            end = _stop_at_word(tokens, start, end, lex.REPLACE_STOPS)
        if op.kind == "limiter":
            end = min(end, start + _LIMITER_WINDOW)
        if op.kind == "negation":
            end = _bind_to_evaluation(islice(operators, i + 1, None), start, end, sorted_targets)
        if op.kind == "limiter_clause":
            start = _nearest_target_before(sorted_targets, clause_start[op.first], op.first)
            op.scopes.append((start, clause_end[op.first]))
            continue
        if op.kind in EVAL_KINDS:
            op.scopes.append((clause_start[op.first], clause_end[op.first]))
            continue
        op.scopes.append((start, end))
        if op.kind in ("away", "replace") and _is_passive(tokens, op.first):
            op.scopes.append((clause_start[op.first], op.first))
        elif op.kind in ("away", "toward") and _is_intransitive(tokens, op.last):
            if not _any_in(sorted_targets, start, end):
                op.scopes.append((clause_start[op.first], op.first))
    _add_chosen_scopes(operators, tokens, clause_end)
    anchors = sorted(target_starts | {op.first for op in operators if op.kind in EVAL_KINDS})
    _negations_reach_back(operators, tokens, clause_start, anchors)


def _nearest_target_before(target_starts: list[int], clause_start: int, index: int) -> int:
    """'keep X closed and open Y selectively': the limit reaches back to Y only."""
    position = bisect_left(target_starts, index)
    if position and target_starts[position - 1] >= clause_start:
        return target_starts[position - 1]
    return clause_start


def _stop_at_next(later: Iterable[Operator], end: int, kinds: set[str] | frozenset[str]) -> int:
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
        if other.kind in CHANGE_KINDS:
            adjacent = all(tokens[j].norm in lex.DETERMINERS for j in range(start, other.first))
            if adjacent and other.kind in _COMPOSABLE:
                continue
            return other.first
    return end


def _bind_to_evaluation(later: Iterable[Operator], start: int, end: int, target_starts: list[int]) -> int:
    """'X is not bad': a negator whose first target is an evaluation negates only that."""
    for other in later:
        if other.first >= end:
            break
        if other.kind in EVAL_KINDS:
            if not _any_in(target_starts, start, other.first):
                return other.last + 1
            break
    return end


def _stop_at_word(tokens: list[Token], start: int, end: int, words: frozenset[str]) -> int:
    for j in range(start, end):
        if tokens[j].norm in words:
            return j
    return end


def _is_intransitive(tokens: list[Token], last: int) -> bool:
    """'X will end in May', 'X stays.', 'cause X to collapse': no object follows."""
    if last + 1 >= len(tokens):
        return True
    after = tokens[last + 1]
    return (not after.is_word and after.text not in "-/") or after.norm in lex.INTRANSITIVE_NEXT


def _is_passive(tokens: list[Token], index: int) -> bool:
    before = [t.norm for t in tokens[max(0, index - 2) : index] if t.is_word]
    return any(w in lex.BE_FORMS for w in before)


def _add_chosen_scopes(operators: list[Operator], tokens: list[Token], clause_end: list[int]) -> None:
    """'shift from X to Y' and 'replace X with Y': Y, after the stop word, is chosen."""
    for op in list(operators):
        if op.kind not in ("fromshift", "replace"):
            continue
        stop = op.scopes[0][1]
        if stop < len(tokens) and tokens[stop].norm in (lex.FROM_SHIFT_STOPS | lex.REPLACE_STOPS):
            end = min(clause_end[stop], stop + 1 + _MAX_SCOPE)
            chosen = Operator("toward", stop, stop, tokens[stop].text, 1.0, [(stop + 1, end)])
            operators.append(chosen)
    operators.sort(key=lambda op: op.first)


def _negations_reach_back(
    operators: list[Operator], tokens: list[Token], clause_start: list[int], anchors: list[int]
) -> None:
    for op in operators:
        if op.kind != "negation":
            continue
        start, end = op.scopes[0]
        if _has_totalizer(tokens, start, end):
            op.kind, op.factor = "partial", _PARTIAL_NEGATION
        if _any_in(anchors, start, end):
            continue
        back_start = _subject_start(tokens, clause_start[op.first], op.first)
        if back_start is None:
            continue
        back = (back_start, op.first)
        op.scopes.append(back)
        # "X is something we will not abandon": the negated change verb looks back too.
        for other in operators:
            if other.kind == "away" and start <= other.first < end:
                if not any(_any_in(anchors, s, e) for s, e in other.scopes):
                    other.scopes.append(back)


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


def _subject_start(tokens: list[Token], clause_start: int, index: int) -> int | None:
    """Where a negator's subject may start: its clause start, unless it sits in a subject
    relative clause ("areas that do not support X"), whose subject is no term of ours."""
    for j in range(index - 1, clause_start - 1, -1):
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
