"""A topic's terms compiled for matching over tokens: hyphen/space variants,
simple inflections, small gaps ("return to the office", "open and closed models"),
and the weaker match on the proposition's content words."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
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

__all__ = [
    "TermSpec", "TermHit", "TopicLexicon", "TopicWords", "topic_lexicon", "find_term_hits", "find_proposition_hits",
    "find_topic_word_hits", "change_objects",
]

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
    cased: bool = False  # a surname-like part of a name: only a capitalized word inside a sentence
    # A pro/con term that is itself a change verb of its side ("ditch" as con, "keep" as pro):
    # it acts as that operator, and what it governs carries its effect.
    acts: bool = False
    # A pro/con term that opens with a change verb of its side ("stop selling", "end sales"):
    # a term of the other side right after it is its object ("stop selling talc powder").
    leads: bool = False


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
    words: TopicWords = field(default_factory=lambda: TopicWords(frozenset(), frozenset(), frozenset(), {}))
    # Places the proposition leaves out ("... in markets outside the US and Canada"): lowercased, no dots
    excluded_places: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TopicWords:
    """The topic's own words, for relevance beyond the listed terms: the content stems of
    the proposition and the name (not the company's name), those of the name, and the
    proposition's predicate ("charges" in "Acme charges developers ..."), which alone
    marks a sentence as on the topic."""

    stems: frozenset[str]
    name_stems: frozenset[str]
    key_stems: frozenset[str]
    orientation: dict[str, int]  # stem -> +1/-1 as the proposition takes it
    denied: frozenset[str] = frozenset()  # what the proposition says is not done: "charg" in "without charges"


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
        specs += _term_specs(text_by_key[key], words_by_key[key], frozenset(roles), oriented)
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
        words=_topic_words(topic, oriented),
        excluded_places=_excluded_places(topic.proposition),
    )


_OUTSIDE = re.compile(r"\boutside (?:of )?(?:the )?((?:[A-Z][\w.&-]*)(?:(?:,| and| or|,? and the| or the) [A-Z][\w.&-]*)*)")


def _excluded_places(proposition: str) -> frozenset[str]:
    """'keeps selling X in markets outside the US and Canada' -> {'us', 'canada'}."""
    found = _OUTSIDE.search(proposition)
    if found is None:
        return frozenset()
    names = re.split(r",|\band\b|\bor\b|\bthe\b", found.group(1))
    return frozenset(name.replace(".", "").strip().lower() for name in names if name.strip())


def _topic_words(topic: Topic, oriented: dict[str, int]) -> TopicWords:
    proposition = tokenize(re.sub(r"\([^)]*\)", " ", topic.proposition))
    subject = _subject_words(proposition)
    skip = {stem(t.norm) for t in subject}
    name_stems = _own_stems(tokenize(topic.name)) - skip
    stems = (_own_stems(proposition[len(subject):]) | name_stems) - skip
    key = _predicate(proposition[len(subject):])
    keys = frozenset({key} - skip) if key else frozenset()
    directions = _directions(topic.proposition)
    denied = frozenset(stem(directions.tokens[i].norm) for i in directions.negated) & stems
    return TopicWords(stems, name_stems, keys, {s: oriented.get(s, 1) for s in stems},
                      frozenset(s for s in denied if oriented.get(s) == -1))


def _own_stems(tokens: list[Token]) -> frozenset[str]:
    """Content stems, leaving out names (capitalized words other than acronyms) and words
    too common to name a topic ("like", "people")."""
    return frozenset(
        stem(t.norm) for t in tokens
        if _is_content(t) and t.norm.isalpha() and (not t.text[0].isupper() or t.text.isupper())
        and t.norm not in lex.COMMON_WORDS and t.norm not in lex.LIGHT_VERBS
    )


def _predicate(tokens: list[Token]) -> str | None:
    """The stem of the proposition's main verb, after auxiliaries and aspect verbs ("will",
    "plans to", "keeps"), unless it is a light verb ("offers", "runs") or a change verb
    ("closes", "cuts"), which name no topic of their own."""
    for token in tokens:
        if not token.is_word:
            continue
        if token.norm in lex.AUXILIARY_WORDS or token.norm in lex.STOPWORDS:
            continue
        if token.text[0].isupper() or not _is_content(token):
            return None
        base = stem(token.norm)
        if base in _LIGHT_STEMS or find_operators(token.text, tokenize(token.text), set()).operators:
            return None
        return base
    return None


_LIGHT_STEMS = frozenset(stem(w) for w in lex.LIGHT_VERBS)
_TOPIC_WORD_WINDOW = 4


def find_topic_word_hits(
    tokens: list[Token], lexicon: TopicLexicon, used: set[int], changed: frozenset[int] = frozenset()
) -> list[tuple[int, ...]]:
    """Token indices of the topic's own words that mark a sentence as on the topic: its
    predicate alone ("the charges will ..."), two distinct topic words, one of the
    name, close together in one clause ("mandatory QNN linking"), or one word of the name
    as the object of a change verb (``changed``: "abandon or water down its pledges")."""
    words = lexicon.words
    if not words.stems:
        return []
    matches = [i for i, t in enumerate(tokens) if t.is_word and i not in used and stem(t.norm) in words.stems]
    hits: list[tuple[int, ...]] = []
    group: list[int] = []
    for i in matches + [-1]:
        if group and (i < 0 or not _same_clause(tokens, group[-1], i)):
            if _marks_topic(tokens, group, words) or _changed_name_word(tokens, group, words, changed):
                hits.append(tuple(group))
            group = []
        if i >= 0:
            group.append(i)
    return hits


def _changed_name_word(tokens: list[Token], group: list[int], words: TopicWords, changed: frozenset[int]) -> bool:
    return len(group) == 1 and group[0] in changed and stem(tokens[group[0]].norm) in words.name_stems


_CHANGE_OBJECT_REACH = 8  # words after a change verb that may still be its object ("a string of ... pledges")


def change_objects(tokens: list[Token], operators: Sequence[Operator]) -> frozenset[int]:
    """Indices of the words an ending or reversing verb ("abandon", "scrap") may take as its
    object: those after it in its clause, up to a reach. Starting verbs take none: what they
    start is often something else of the same kind ("move to a new X")."""
    found: set[int] = set()
    for op in operators:
        if not op.has(Trait.CHANGE) or op.factor >= 0:
            continue
        for j in range(op.last + 1, min(len(tokens), op.last + 1 + _CHANGE_OBJECT_REACH)):
            if is_boundary(tokens[j]):
                break
            found.add(j)
    return frozenset(found)


def _same_clause(tokens: list[Token], last: int, i: int) -> bool:
    if i - last > _TOPIC_WORD_WINDOW:
        return False
    return not any(is_boundary(tokens[j]) for j in range(last + 1, i))


def _marks_topic(tokens: list[Token], group: list[int], words: TopicWords) -> bool:
    found = {stem(tokens[j].norm) for j in group}
    if len(found) >= 2 and found & words.name_stems:
        return True
    # The predicate alone, named as a thing ("the charges"), not as any verb ("it charged ahead").
    return any(stem(tokens[j].norm) in words.key_stems and j > 0 and tokens[j - 1].norm in DETERMINERS for j in group)


def _term_specs(text: str, words: tuple[str, ...], roles: frozenset[str], oriented: dict[str, int]) -> list[TermSpec]:
    """One configured term as specs: itself, "opensource" for "open source", and the
    surname of a two-word name ("Markov" for "Lena Markov")."""
    polarity = ("pro" in roles) - ("con" in roles)
    orientation, rules = _keyword_orientation(text, oriented) if polarity == 0 else (0, frozenset())
    if polarity == 0 and not orientation and len(words) > 1 and words[-1] in lex.POLICY_NOUNS:
        orientation = 1  # "open-door policy", "packaging target": the policy the topic is about
    acts = _acts(text, polarity)
    base = TermSpec(
        text=text, words=(), polarity=polarity, roles=roles, aligned=orientation != 0, orientation=orientation,
        rules=rules, acts=acts, leads=not acts and _leads(text, polarity),
    )
    specs = [replace(base, words=_forms(words))]
    if len(words) == 2:  # "opensource" for "open source"
        specs.append(replace(base, words=_forms(("".join(words),))))
    if _is_personal_name(text):
        specs.append(replace(base, words=_forms(words[-1:]), cased=True))
    return specs


def _forms(key: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    last = len(key) - 1
    return tuple(word_forms(w, head=(i == last), opening=(i == 0 and last > 0)) for i, w in enumerate(key))


def _is_personal_name(text: str) -> bool:
    """'Lena Markov', 'Dana Okafor': two capitalized words, the first no function word."""
    parts = text.split()
    return (
        len(parts) == 2
        and all(p.isalpha() and p[0].isupper() and p[1:].islower() and len(p) > 2 for p in parts)
        and parts[0].lower() not in STOPWORDS
    )


def _acts(text: str, polarity: int) -> bool:
    """A pro/con term that is one change verb (or negator) of its own side."""
    if polarity == 0:
        return False
    tokens = tokenize(text)
    operators = find_operators(text, tokens, set()).operators
    if len(operators) != 1 or not _whole(operators[0], tokens):
        return False
    op = operators[0]
    if polarity < 0:
        return op.factor < 0 and op.has(_ORIENTS)
    return op.factor > 0 and op.has(Trait.SUPPORTS)


def _leads(text: str, polarity: int) -> bool:
    """A pro/con term whose first word is a change verb of its own side ("stop selling")."""
    if polarity == 0:
        return False
    tokens = tokenize(text)
    words = [i for i, t in enumerate(tokens) if t.is_word]
    operators = find_operators(text, tokens, set()).operators
    if not words or not operators or operators[0].first != words[0]:
        return False
    op = operators[0]
    return op.factor < 0 and op.has(_ORIENTS) if polarity < 0 else op.factor > 0 and op.has(Trait.SUPPORTS)


def _whole(op: Operator, tokens: list[Token]) -> bool:
    words = [i for i, t in enumerate(tokens) if t.is_word]
    return bool(words) and op.first <= words[0] and op.last >= words[-1]


def _is_content(token: Token) -> bool:
    return token.is_word and token.norm not in STOPWORDS and len(token.norm) >= 3 and not token.norm[0].isdigit()


@dataclass(frozen=True, slots=True)
class _Directions:
    tokens: list[Token]
    signs: dict[int, int]  # content-word token -> +1 kept, -1 left
    away: bool  # the text names a move away
    rules: frozenset[str]  # the rules that set a sign or the move away
    negated: frozenset[int]  # content words a negator flipped ("never knowingly beaten")
    main_negated: bool = False  # its main verb is negated ("Acme does not see X as Y")


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
    negated: set[int] = set()
    for op in operators:
        if not _orients(op):
            continue
        rules.add(op.rule.name)
        if op.has(Trait.NEGATES):
            negated.update(i for start, end in op.scopes for i in range(start, end) if i in signs)
        for start, end in op.scopes:
            # Only the words the verb acts on: the next few (or, for a subject, the last few); a negated
            # or leaving main verb ("Acme does not see X as Y", "Acme removes X that Y") turns its predicate.
            if start > op.last and _negates_main_verb(tokens, op.first):
                window = range(start, _predicate_end(tokens, operators, op))
            elif start > op.last:
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
    main_negated = any(op.has(Trait.NEGATES) and _negates_main_verb(tokens, op.first) for op in operators)
    return _Directions(tokens, signs, away, frozenset(rules), frozenset(negated), main_negated)


def _predicate_end(tokens: list[Token], operators: Sequence[Operator], op: Operator) -> int:
    """Where a main verb's predicate ends: at the next verb that orients, else at the text's end
    (however long the object: "removes videos that claim X or Y changed the outcome of Z")."""
    return min((o.first for o in operators if o.first > op.last and _orients(o)), default=len(tokens))


def _negates_main_verb(tokens: list[Token], index: int) -> bool:
    """'Acme does not ...', 'Acme will never ...': the negator follows the subject and its auxiliary."""
    words = [t for t in tokens[:index] if t.is_word]
    subject = _subject_words(tokens)
    rest = words[len(subject):]
    return bool(subject) and len(rest) <= 1 and all(t.norm in lex.AUXILIARY_WORDS for t in rest)


def _stem_orientations(topic: Topic) -> dict[str, int]:
    """stem -> +1/-1 for the proposition's content words (parentheticals included),
    then the topic name's other words at +1; a stem seen both ways is dropped (0)."""
    found: dict[str, int] = {}
    proposition = _directions(topic.proposition)
    # The proposition's subject is the company, whose name is no side of the topic.
    subject = {stem(t.norm) for t in _subject_words(proposition.tokens)}
    conceded = _conceded(proposition.tokens)
    for i, sign in proposition.signs.items():
        key = stem(proposition.tokens[i].norm)
        if key not in subject:
            # "... despite the coup": what the proposition holds against takes no side of it
            found[key] = 0 if i in conceded else sign if found.get(key, sign) == sign else 0
    # The name names what the proposition takes a side on: its words take the sign of a negated
    # proposition ("Acme does not see X as ..." makes X's words count against it).
    default = -1 if proposition.main_negated else 1
    name = _directions(topic.name)
    for i in name.signs:
        key = stem(name.tokens[i].norm)
        if key not in subject:
            found.setdefault(key, default)
    return found


_CONCESSIVE = frozenset({"despite", "notwithstanding", "amid", "regardless"})


def _conceded(tokens: list[Token]) -> frozenset[int]:
    """Indices of the words after "despite" (or "amid", "regardless of") to the next punctuation."""
    found: set[int] = set()
    inside = False
    for i, token in enumerate(tokens):
        if not token.is_word:
            inside = False
        elif token.norm in _CONCESSIVE:
            inside = True
        elif inside:
            found.add(i)
    return frozenset(found)


def _subject_words(tokens: list[Token]) -> list[Token]:
    """The leading capitalized words of a proposition ("The Acme Group", "Doe & Roe")."""
    subject: list[Token] = []
    for token in tokens:
        if token.is_word and not token.text[0].isupper():
            break
        if token.is_word:
            subject.append(token)
    return subject


def _keyword_orientation(keyword: str, oriented: dict[str, int]) -> tuple[int, frozenset[str]]:
    """'jobs' -> -1 for 'X is cutting jobs'; 'job cuts' -> +1; 'restore power' -> -1 for
    'X should cut power'; 0 when no word of it is the topic's, or its words disagree.
    With it, the rules that oriented the keyword in its own words."""
    directions = _directions(keyword)
    # A keyword that repeats the proposition's own negated words ("Never Knowingly Beaten") is its side.
    seen: set[int] = set()
    for i in directions.signs:
        sign = oriented.get(stem(directions.tokens[i].norm))
        if sign is not None:
            seen.add(-sign if i in directions.negated else sign)
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
            if spec.cased and not _capitalized_inside(tokens, i):
                continue
            hit = _match_at(tokens, i, spec)
            if hit is not None:
                candidates.append(hit)
    candidates = _sided_over_keywords(candidates)
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


def _sided_over_keywords(candidates: list[TermHit]) -> list[TermHit]:
    """'halve its use of virgin plastics' (the pro term 'halve virgin plastic'): a side's
    term wins over a keyword of several words that lies inside it, even when only the keyword
    is contiguous; a one-word keyword stays for the verb around it to act on ("jobs will be cut")."""
    sided = [set(hit.tokens) for hit in candidates if hit.term.polarity]
    return [
        hit for hit in candidates
        if hit.term.polarity or len(hit.tokens) < 2 or not any(set(hit.tokens) < tokens for tokens in sided)
    ]


def _capitalized_inside(tokens: list[Token], i: int) -> bool:
    return tokens[i].text[0].isupper() and i > 0 and tokens[i - 1].is_word


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


def find_proposition_hits(tokens: list[Token], lexicon: TopicLexicon, used: set[int],
                          sided: frozenset[int] = frozenset()) -> list[tuple[int, ...]]:
    """Token indices of proposition content words that co-occur densely enough
    (per sentence, within a window, not across a pro or con term's tokens ``sided``)
    to count as restating the proposition."""
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
        window: list[int] = []
        for i in matches[start:]:
            if sentence_of[i] != sentence_of[first] or i - first > _PROPOSITION_WINDOW:
                break
            if window and any(tokens[j].is_word and is_boundary(tokens[j]) or j in sided for j in range(window[-1], i)):
                break  # "take X public unless it has Y": a clause word (or a term of a side) ends the restatement
            window.append(i)
        distinct = {stem(tokens[i].norm) for i in window}
        if len(distinct) >= lexicon.proposition_needed:
            hits.append(tuple(window))
            start += len(window)
        else:
            start += 1
    return hits
