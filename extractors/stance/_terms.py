"""A topic's terms compiled for matching over tokens: hyphen/space variants,
simple inflections, small gaps ("return to the office", "open and closed models"),
and the weaker match on the proposition's content words."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.stance import _lexicon as lex
from extractors.stance._lexicon import DETERMINERS, STOPWORDS
from extractors.stance._rules import Operator, find_operators, set_scopes
from extractors.stance._table import Trait, rule_named
from extractors.stance._tokens import (
    Token,
    is_boundary,
    sentence_ids,
    stem,
    tokenize,
    word_forms,
)
from storage.records import Topic

__all__ = ["TermSpec", "TermHit", "TopicLexicon", "topic_lexicon", "find_term_hits", "find_proposition_hits"]

_MAX_FREE_GAP = 2  # determiners/possessives between term words ("return to the office")
_MAX_WORD_GAP = 3  # other words ("open and closed models", "keep the newest models closed")
_PROPOSITION_WINDOW = 15
_NO_GAP_AFTER = STOPWORDS
_GAP_BLOCKERS = frozenset({"not", "no", "never", "nor", "without", "neither"})
_ORIENT_REACH = 3
# Nouns of a move away, for keywords like "power shutoffs" or "job cuts".
_AWAY_NOUNS = rule_named("away-noun")


@dataclass(frozen=True, slots=True)
class TermSpec:
    text: str  # as configured
    words: tuple[frozenset[str], ...]  # accepted surface forms per word
    polarity: int  # +1 pro, -1 con, 0 keyword only (or listed on both sides)
    roles: frozenset[str]  # keyword / pro / con
    # A keyword made of the proposition's own words stands for it ("abandon X" is against).
    aligned: bool = False
    # Which way such a keyword points: +1 what the proposition wants, -1 what it leaves
    # ("jobs" when the proposition is "X is cutting jobs"); 0 for any other keyword.
    orientation: int = 0
    rules: frozenset[str] = frozenset()  # the table's rules that oriented it (in its own words)


@dataclass(frozen=True, slots=True)
class TermHit:
    term: TermSpec
    tokens: tuple[int, ...]  # token index of each term word
    gapped: bool  # non-determiner words inside the match
    coordinated: bool = False  # the gap is a coordination: "open and closed models"

    @property
    def first(self) -> int:
        return self.tokens[0]

    @property
    def last(self) -> int:
        return self.tokens[-1]


@dataclass(frozen=True)
class TopicLexicon:
    topic_id: str
    terms: tuple[TermSpec, ...]
    by_first_form: dict[str, tuple[TermSpec, ...]]
    proposition_stems: frozenset[str]
    proposition_needed: int  # distinct stems that make a proposition match (0: never)


@lru_cache(maxsize=1024)
def topic_lexicon(topic: Topic) -> TopicLexicon:
    roles_by_key: dict[tuple[str, ...], set[str]] = {}
    text_by_key: dict[tuple[str, ...], str] = {}
    words_by_key: dict[tuple[str, ...], tuple[str, ...]] = {}
    for role, terms in (("keyword", topic.keywords), ("pro", topic.pro), ("con", topic.con)):
        for term in terms:
            words = tuple(t.norm for t in tokenize(term) if t.is_word)
            if words:
                # "open model" and "open models" are one term.
                key = (*words[:-1], stem(words[-1]))
                roles_by_key.setdefault(key, set()).add(role)
                text_by_key.setdefault(key, term)
                words_by_key.setdefault(key, words)
    stems = _proposition_stems(topic.proposition)
    oriented = _stem_orientations(topic)
    specs: list[TermSpec] = []
    for key, roles in roles_by_key.items():
        polarity = ("pro" in roles) - ("con" in roles)
        frozen_roles = frozenset(roles)
        words = words_by_key[key]
        orientation, rules = _keyword_orientation(text_by_key[key], oriented) if polarity == 0 else (0, frozenset())
        specs.append(_spec(text_by_key[key], words, polarity, frozen_roles, orientation, rules))
        if len(words) == 2:  # "opensource" for "open source"
            specs.append(_spec(text_by_key[key], ("".join(words),), polarity, frozen_roles, orientation, rules))
    index: dict[str, list[TermSpec]] = {}
    for spec in specs:
        for form in spec.words[0]:
            index.setdefault(form, []).append(spec)
    needed = max(2, math.ceil(0.6 * len(stems))) if len(stems) >= 2 else 0
    return TopicLexicon(
        topic_id=topic.id,
        terms=tuple(specs),
        by_first_form={form: tuple(found) for form, found in index.items()},
        proposition_stems=stems,
        proposition_needed=needed,
    )


def _spec(
    text: str, key: tuple[str, ...], polarity: int, roles: frozenset[str], orientation: int, rules: frozenset[str]
) -> TermSpec:
    last = len(key) - 1
    words = tuple(word_forms(w, head=(i == last)) for i, w in enumerate(key))
    return TermSpec(
        text=text, words=words, polarity=polarity, roles=roles, aligned=orientation != 0, orientation=orientation,
        rules=rules,
    )


def _is_content(token: Token) -> bool:
    return token.is_word and token.norm not in STOPWORDS and len(token.norm) >= 3 and not token.norm[0].isdigit()


@dataclass(frozen=True, slots=True)
class _Directions:
    tokens: list[Token]
    signs: dict[int, int]  # content-word token -> +1 kept, -1 left
    away: bool  # the text names a move away
    rules: frozenset[str]  # the rules that set a sign or the move away


_ORIENTS = Trait.LEAVES | Trait.NEGATES


def _orients(op: Operator) -> bool:
    return op.has(_ORIENTS)


def _directions(text: str) -> _Directions:
    """Content-word tokens of a short text with the sign the change verbs and
    negators near them give, and whether it names a move away."""
    tokens = tokenize(text)
    operators = set_scopes(find_operators(text, tokens, set()).operators, tokens, set())
    claimed = {i for op in operators for i in range(op.first, op.last + 1)}
    signs = {i: 1 for i, tok in enumerate(tokens) if _is_content(tok) and i not in claimed}
    rules: set[str] = set()
    for op in operators:
        if not _orients(op):
            continue
        rules.add(op.rule.name)
        for start, end in op.scopes:
            # Only the words the verb acts on: the next few (or, for a subject, the last few).
            if start > op.last:
                window = range(start, min(end, start + _ORIENT_REACH))
            else:
                window = range(max(start, end - _ORIENT_REACH), end)
            for i in window:
                if i in signs:
                    signs[i] *= -1 if op.factor < 0 else 1
    away = any(op.has(Trait.LEAVES) for op in operators)
    if _AWAY_NOUNS.pattern.search(lex.lowered(text)) is not None:
        away = True
        rules.add(_AWAY_NOUNS.name)
    return _Directions(tokens, signs, away, frozenset(rules))


def _stem_orientations(topic: Topic) -> dict[str, int]:
    """stem -> +1/-1 for the proposition's content words (parentheticals included),
    then the topic name's other words at +1; a stem seen both ways is dropped (0)."""
    found: dict[str, int] = {}
    proposition = _directions(topic.proposition)
    for i, sign in proposition.signs.items():
        key = stem(proposition.tokens[i].norm)
        found[key] = sign if found.get(key, sign) == sign else 0
    name = _directions(topic.name)
    for i in name.signs:
        found.setdefault(stem(name.tokens[i].norm), 1)
    return found


def _keyword_orientation(keyword: str, oriented: dict[str, int]) -> tuple[int, frozenset[str]]:
    """'jobs' -> -1 for 'X is cutting jobs'; 'job cuts' -> +1; 'restore power' -> -1 for
    'X should cut power'; 0 when no word of it is the topic's, or its words disagree.
    With it, the rules that oriented the keyword in its own words."""
    directions = _directions(keyword)
    seen = {oriented.get(stem(directions.tokens[i].norm)) for i in directions.signs} - {None}
    if len(seen) != 1 or 0 in seen:
        return 0, frozenset()
    sign = seen.pop()
    return (-sign if directions.away else sign), directions.rules


def _proposition_stems(proposition: str) -> frozenset[str]:
    """Content words of the proposition, minus parentheticals and proper names
    (the subject company is the watchlist's business, not the topic's)."""
    plain = re.sub(r"\([^)]*\)", " ", proposition)
    stems = set()
    for tok in tokenize(plain):
        if not tok.is_word or tok.norm in STOPWORDS or not tok.norm.isalpha() or len(tok.norm) < 3:
            continue
        if tok.text[0].isupper() and not tok.text.isupper():
            continue
        stems.add(stem(tok.norm))
    return frozenset(stems)


def find_term_hits(tokens: list[Token], lexicon: TopicLexicon) -> list[TermHit]:
    """Non-overlapping term matches, in text order. Contiguous and longer matches
    win; a gapped match may share only its head word ("open and closed models")."""
    candidates: list[TermHit] = []
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        for spec in lexicon.by_first_form.get(tok.norm, ()):
            hit = _match_at(tokens, i, spec)
            if hit is not None:
                candidates.append(hit)
    candidates.sort(key=lambda h: (h.gapped, -len(h.tokens), h.first))
    used: set[int] = set()
    chosen: list[TermHit] = []
    for hit in candidates:
        own = hit.tokens[:-1] if hit.gapped else hit.tokens
        if used.intersection(own) or (hit.gapped and hit.first in used):
            continue
        if not hit.gapped and used.intersection(hit.tokens):
            continue
        used.update(hit.tokens)
        chosen.append(hit)
    chosen.sort(key=lambda h: h.first)
    return chosen


def _match_at(tokens: list[Token], i: int, spec: TermSpec) -> TermHit | None:
    indices = [i]
    gapped = False
    coordinated = True
    j = i + 1
    n = len(tokens)
    for forms in spec.words[1:]:
        # Only determiners may follow a function word inside a term ("in the office").
        after_function_word = tokens[indices[-1]].norm in _NO_GAP_AFTER
        free = other = 0
        while True:
            if j >= n:
                return None
            tok = tokens[j]
            if not tok.is_word or is_boundary(tok):
                return None
            if tok.norm in forms:
                break
            if tok.norm in DETERMINERS and free < _MAX_FREE_GAP:
                free += 1
            elif (
                not after_function_word
                and other < _MAX_WORD_GAP
                and tok.norm not in _GAP_BLOCKERS
                and not tok.norm.endswith("n't")
            ):
                if other == 0 and tok.norm not in ("and", "or"):
                    coordinated = False
                other += 1
                gapped = True
            else:
                return None
            j += 1
        indices.append(j)
        j += 1
    return TermHit(term=spec, tokens=tuple(indices), gapped=gapped, coordinated=gapped and coordinated)


def find_proposition_hits(tokens: list[Token], lexicon: TopicLexicon, used: set[int]) -> list[tuple[int, ...]]:
    """Token indices of proposition content words that co-occur densely enough
    (per sentence, within a window) to count as restating the proposition."""
    if not lexicon.proposition_needed:
        return []
    stems = lexicon.proposition_stems
    matches = [i for i, t in enumerate(tokens) if t.is_word and i not in used and stem(t.norm) in stems]
    if len(matches) < lexicon.proposition_needed:
        return []
    sentence_of = sentence_ids(tokens)
    hits: list[tuple[int, ...]] = []
    start = 0
    while start < len(matches):
        first = matches[start]
        window = []
        for i in matches[start:]:
            if sentence_of[i] != sentence_of[first] or i - first > _PROPOSITION_WINDOW:
                break
            window.append(i)
        distinct = {stem(tokens[i].norm) for i in window}
        if len(distinct) >= lexicon.proposition_needed:
            hits.append(tuple(window))
            start += len(window)
        else:
            start += 1
    return hits
