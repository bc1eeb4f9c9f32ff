"""Stance: how far a statement supports a topic's proposition, in [-1, 1], with the cues.

Rules over tokens, not sentiment ("abandoning X in favor of a closed model" reads
positive to VADER and is against X). The topic supplies its terms (pro +1, con -1);
a keyword made of the proposition's or the topic name's words counts only when an
operator acts on it, pointing the way the proposition takes it ("jobs" is -1 when the
proposition is "X is cutting jobs", so "cut 1,200 jobs" supports it); so do the topic's
own words where no term stands ("mandatory QNN linking plans were scrapped"). Generic
operators, one row each in the table of ``_table.RULES`` (``StanceResult.rules`` names
those that fired), change what they govern:

- negation ("not", "won't", "no longer", "never", "without", "deny", "at no time")
  flips the terms after it in its clause, or its subject when nothing follows ("X is no
  longer the default", but not from inside "areas that do not ..."); with
  "all/fully/every" it flips at 0.4 only ("won't open source all"); "or not" and
  "never had demand like this" are no negations;
- change verbs: away ("abandon", "cut", "delay", "exit", "scrap", "the closure of",
  "refrain from", "instead of", the X of "shift from X to Y" / "replace X with Y") flip
  what they govern; toward ("commit to", "continue to", "expand", "invest in", "launch",
  "in favor of", the Y of those) keep it and add evidence; fixes ("resolve", "patch")
  flip only con terms; a verb whose object is another ("delay the launch of X") composes
  with it; passives ("was abandoned") and verbs with no object ("X will end in May")
  govern the subject; "doing so/it" takes the last term before it (or in ``context``),
  and a clause-final "do" the deed before it ("asking us to drop X, which we will not do");
  ending and reversing ("delete", "repeal", "the termination of", "lift" a ban) and
  restrictions ("a moratorium on X") are away, so lifting a ban on X supports X; starting
  ("begin", "applied for") and returning ("once more") are toward; a pro/con term that is
  itself a change verb of its side ("ditch" as con) acts as one on what it governs;
- plans and intentions ("plans to", "its ambition to") count for what they govern with
  less weight; "refuse to X unless Y" requires Y, firmly;
- a negated change verb ("will not change", "does not affect") denies a change and
  leaves what follows as it was ("our results do not change our support for X" is for X);
- quantity limits ("only", "what we choose to"; "some" less) scale a term;
- evaluations ("a mistake", "backfired", "the path forward", "worked well") and criticism
  ("criticized", "slammed") flip or confirm their clause's terms, and several of one clause
  agree rather than cancel ("a costly mistake"); bad outcomes ("cost us", "hurt") flip a
  pro term and leave a con term without direction (a problem reported, or a choice regretted);
- a conceded or earlier part ("although X", "X, but", "after years of X") counts less,
  unless it is all there is;
- hedges ("careful", "a mix of", "somewhat", "either"), diminishers ("slightly"), modals
  ("may", "consider"), conditionals ("if ...") and questions shrink the sentence's score
  toward 0; what others ask of the speaker ("asking us to X") is framed out;
- denials of change ("is unchanged", "remains committed", "we will not change", "no
  plans to", "continue to" acting on one side of the topic, "deny") set ``is_denial``;
  the score is still the stance of what is affirmed;
- the reporting cue outside the span, when given: "denied"/"rejected reports" flip a
  paraphrase and mark a denial, "reiterated" marks one, "opposed" flips, "pledged" supports.

Score: contributions c_i (each times its sentence's hedge multipliers) over evidence
E = sum of their weights, times strength 1 - 0.4**E. Labels: pro >= 0.3,
con <= -0.3 (0.4 when both sides are argued), hedged (|score| below that with hedges,
limits or both polarities), neutral (no stance evidence). Cue weights: terms (pro, con,
keyword, proposition, anaphor) and "support" (the evidence a change verb or evaluation
adds) carry their signed contribution; operators their multiplier (-1 flips, 0.4 limits,
0.45 hedges); denials 0 ("unchanged" marks a restatement that is no denial).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, insort
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from extractors.stance import _lexicon as lex
from extractors.stance._rules import (
    CueRole,
    Operator,
    cue_role,
    denies_own_change,
    find_operators,
    set_scopes,
)
from extractors.stance._table import RULES, Kind, Trait, rule_named
from extractors.stance._terms import (
    TermHit,
    TermSpec,
    TopicWords,
    change_objects,
    find_proposition_hits,
    find_term_hits,
    find_topic_word_hits,
    topic_lexicon,
)
from extractors.stance._tokens import Token, sentence_ids, stem, tokenize
from storage.records import StanceCue, Topic

__all__ = ["StanceResult", "score_stance", "reports_change", "PRO_THRESHOLD", "CON_THRESHOLD"]

PRO_THRESHOLD = 0.3
CON_THRESHOLD = -0.3

_TERM_WEIGHT = 1.0
_GAPPED_TERM_WEIGHT = 0.8
_KEYWORD_WEIGHT = 0.4  # a keyword of the proposition's words counts only under a negator or change verb
_PROPOSITION_WEIGHT = 0.5
_ACTED_ON_KEYWORD_WEIGHT = 0.8  # "ended its X policy": the topic's own thing, ended, is as clear as a term
_ANAPHOR_WEIGHT = 0.8
_CONTEXT_ANAPHOR_WEIGHT = 0.6
_ANAPHOR_REACH = 3  # a pro-form must follow its verb closely
_DO_FORMS = frozenset({"do", "does", "did", "doing", "done"})
_CHANGE_BONUS = 0.3
_CONCEDED = 0.3
_EVAL_BONUS = 0.5
_STRENGTH_BASE = 0.4
_HEDGE_FLOOR = 0.15
_KIND_CONFIDENCE = {"direct": 1.0, "indirect": 0.85, "report": 0.7}
_MIXED_MARGIN = 0.1
_QUESTION = rule_named("question")
_RETROSPECTIVE = rule_named("retrospective")
# Rules whose words tell of a change (ending, reversing, starting, returning, replacing), not of a
# belief or a commitment ("believe in", "commit to") nor a restatement ("continue to").
_CHANGING = tuple(rule for rule in RULES if rule.name != "restriction" and (
    rule.kind in (Kind.AWAY, Kind.RETURN, Kind.REPLACE, Kind.FROMSHIFT) or rule.name == "start"))
_POLARITY = Trait.CHANGE | Trait.NEGATES
_CONFIRMS = Trait.SUPPORTS | Trait.EVALUATES  # they add evidence for what they govern
_ACTIVATES = _POLARITY | Trait.EVALUATES  # they make a keyword of the proposition's words count

Placed = tuple[int, StanceCue]  # a cue and the token it sits at (-1: outside the span)


@dataclass(frozen=True)
class StanceResult:
    score: float  # [-1, 1] support for the topic's proposition
    label: Literal["pro", "con", "hedged", "neutral"]
    confidence: float  # [0, 1]
    cues: tuple[StanceCue, ...]
    is_denial: bool
    rules: tuple[str, ...] = ()  # names of the table's rules that fired, sorted


@dataclass(frozen=True, slots=True)
class _Target:
    first: int
    last: int
    polarity: int  # +1 / -1; keywords and anaphors of keywords count +1
    weight: float
    kind: str  # pro, con, keyword, proposition, anaphor
    needs_operator: bool = False  # a keyword that counts only when an operator acts on it
    framed: bool = False  # inside "asked about ...": the question's words, not the answer
    contribution: float = 0.0
    explained: bool = False  # a term acting as an operator, whose effect the terms it governs carry

    @property
    def counts(self) -> bool:
        return not self.needs_operator and not self.framed and not self.explained


@dataclass(frozen=True, slots=True)
class _Reading:
    """A text read against a topic: its targets (with their contributions), the scoped
    operators, and for each operator the indices of the targets it governs."""

    tokens: list[Token]
    targets: tuple[_Target, ...]
    operators: tuple[Operator, ...]
    covered: tuple[tuple[int, ...], ...]
    role: CueRole | None

    def governed(self, index: int) -> list[_Target]:
        return [self.targets[t] for t in self.covered[index]]

    def governs(self, index: int) -> bool:
        return any(self.targets[t].counts for t in self.covered[index])


def score_stance(
    text: str, topic: Topic, *, context: str = "", kind: str = "direct", cue: str = ""
) -> StanceResult:
    """Support of ``text`` for ``topic.proposition`` (see the module doc for the rules).

    ``context``: the text just before, used only to resolve "doing so" / "it";
    ``kind``: direct, indirect or report (a reporter's paraphrase is less certain);
    ``cue``: the reporting verb outside the span, when it carries stance ("denied"
    flips a paraphrase and marks a denial, "reiterated" marks one, "opposed" flips,
    "pledged" supports); any other cue ("said") changes nothing.
    """
    scope = _only_excluded_places(text, topic_lexicon(topic).excluded_places)
    if scope is not None:  # "stop selling X in the US and Canada" says nothing of the markets outside them
        return StanceResult(0.0, "neutral", round(0.3 * _KIND_CONFIDENCE.get(kind, 0.85), 3),
                            (StanceCue("scope", scope, 0.0),), False, ("scope",))
    reading, fired = _read(text, topic, context, cue, kind)
    tokens, targets, operators = reading.tokens, reading.targets, reading.operators
    bonuses, cues = _support(text, reading)
    evidence = sum(t.weight for t in targets if t.counts)
    for bonus in bonuses:
        evidence += bonus
    sentence_of = sentence_ids(tokens)
    hedge_of, hedge_cues = _hedges(tokens, sentence_of, operators)
    counted = [t for t in targets if t.counts]
    total = sum(t.contribution * hedge_of.get(sentence_of[t.first], 1.0) for t in counted)
    total += sum(cue.weight * hedge_of.get(sentence_of[index], 1.0) for index, cue in cues)
    multiplier = _mean_hedge(counted, sentence_of, hedge_of)
    score = 0.0
    if evidence > 0:
        strength = 1 - _STRENGTH_BASE**evidence
        score = round(max(-1.0, min(1.0, total / evidence * strength)), 3)
    mixed = _is_mixed(targets)
    limited = any(op.has(Trait.LIMITS) and reading.governs(i) for i, op in enumerate(operators))
    hedged = bool(hedge_cues) or limited
    label = _label(score, evidence, hedged or mixed, mixed)
    denial, denial_cues = _denial(reading, fired.markers)
    if any(op.rule is _RETROSPECTIVE for op in operators):
        denial = False  # "had until now remained committed to X" tells of a change, it denies none
    role = reading.role
    if role is not None and role.factor < 0:
        denial_cues.insert(0, (-1, StanceCue("negation", role.text, role.factor)))
    all_cues = _ordered_cues(text, reading, cues, hedge_cues, denial_cues)
    confidence = _confidence(label, evidence, targets, multiplier, hedged or mixed, kind)
    return StanceResult(
        score if label != "neutral" else 0.0, label, confidence, all_cues, denial, fired.names(reading)
    )


_ELSEWHERE = re.compile(r"\b(?:outside|global\w*|worldwide|international\w*|rest of the world|elsewhere|other markets"
                        r"|all markets|every market)\b")


def _only_excluded_places(text: str, places: frozenset[str]) -> str | None:
    """The words that restrict the text to places the proposition leaves out, or None."""
    if not places:
        return None
    plain = text.replace(".", "").lower()
    if _ELSEWHERE.search(plain):
        return None
    names = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    found = re.search(rf"\b(?:in|from|across) (?:the )?(?:{names})\b(?:(?:,| and| or) (?:the )?(?:{names})\b)*", plain)
    return found.group(0) if found else None


def reports_change(label: str, cues: Sequence[StanceCue]) -> bool:
    """A position taken by a change ("ended its X", "will no longer X", "is bringing back X"), not a
    restatement ("continue to X") nor a plain claim: what a report leads with when it is news."""
    if label not in ("pro", "con"):
        return False
    for cue in cues:
        text = cue.text.lower()
        if cue.kind == "change" and any(rule.pattern.fullmatch(text) for rule in _CHANGING):
            return True
        if cue.kind == "negation" and "longer" in text or cue.kind == Kind.ONSET.label:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Fired:
    markers: tuple[str, ...]
    rules: frozenset[str]

    def names(self, reading: _Reading) -> tuple[str, ...]:
        rules = set(self.rules) | {op.rule.name for op in reading.operators}
        if any(token.text in _QUESTION.phrases for token in reading.tokens):
            rules.add(_QUESTION.name)
        if reading.role is not None:
            rules.update(reading.role.rules)
        return tuple(sorted(rules))


def _read(text: str, topic: Topic, context: str, cue: str, kind: str) -> tuple[_Reading, _Fired]:
    tokens = tokenize(text)
    lexicon = topic_lexicon(topic)
    hits = _without_keywords_inside_terms(find_term_hits(tokens, lexicon))
    other_kinds = _other_kinds(tokens, hits, lexicon.terms)
    hits = _without_objects_of_leading_terms(tokens, [hit for hit in hits if hit not in other_kinds.values()])
    targets = [_as_predicate(tokens, target, lexicon.words) for hit in hits
               if (target := _term_target(hit)) is not None]
    term_rules = {name for hit in hits for name in hit.term.rules}
    occupied = {i for hit in hits for i in hit.tokens}
    acting = {i for hit in hits if hit.term.acts for i in hit.tokens}
    sided = frozenset(i for hit in hits if hit.term.polarity for i in hit.tokens)
    for indices in find_proposition_hits(tokens, lexicon, occupied, sided):
        targets.append(_Target(indices[0], indices[-1], 1, _PROPOSITION_WEIGHT, "proposition"))
        occupied.update(indices)
    found = find_operators(text, tokens, occupied - acting)
    # The topic's own words, where no term or operator stands ("the mandatory sign-up plans").
    claimed = occupied | {i for op in found.operators for i in range(op.first, op.last + 1)}
    claimed |= set(other_kinds)
    for indices in find_topic_word_hits(tokens, lexicon, claimed, change_objects(tokens, found.operators)):
        if (target := _topic_word_target(tokens, indices, lexicon.words)) is not None:
            targets.append(target)
    taken = claimed | {i for t in targets for i in range(t.first, t.last + 1)}
    targets.extend(_denied_deeds(tokens, lexicon.words, taken))
    own_words = _proposition_words(topic)
    kept = [op for op in found.operators if not (op.kind is Kind.LIMITER and op.text.lower() in own_words)]
    operators = set_scopes(kept, tokens, {t.first for t in targets})
    targets.extend(_anaphor_targets(operators, tokens, targets, context, topic))
    targets.sort(key=lambda t: t.first)
    covered = _coverage(operators, targets)
    role = cue_role(cue, text, kind)
    scored = _contributions(targets, operators, covered, role)
    if acting:
        scored = _explained_terms(scored, operators, covered, acting)
    if _opens_with_concession(tokens, operators):
        scored = _unconceded_when_alone(scored, targets)
    reading = _Reading(tokens, tuple(scored), tuple(operators), covered, role)
    return reading, _Fired(found.markers, found.fired | term_rules)


@lru_cache(maxsize=1024)
def _proposition_words(topic: Topic) -> frozenset[str]:
    """A limit the proposition itself states ("sells only electric cars") limits nothing in the text."""
    return frozenset(t.norm for t in tokenize(topic.proposition) if t.is_word)


def _explained_terms(
    targets: list[_Target], operators: Sequence[Operator], covered: tuple[tuple[int, ...], ...], acting: set[int]
) -> list[_Target]:
    """'ditched its pledge to match prices' with 'ditch' a con term: the ditching is in the
    flipped 'match prices'; the term counts on its own only when it governs nothing."""
    explained: set[int] = set()
    for op, indices in zip(operators, covered):
        if op.first not in acting:
            continue
        if any(targets[i].counts and targets[i].first != op.first for i in indices):
            explained.add(op.first)
    return [
        _Target(t.first, t.last, t.polarity, t.weight, t.kind, t.needs_operator, t.framed, t.contribution, True)
        if t.first in explained and t.kind in ("pro", "con") else t
        for t in targets
    ]


def _opens_with_concession(tokens: list[Token], operators: Sequence[Operator]) -> bool:
    """'while both kinds will be sold ...': a span that opens with its concession."""
    first = next((i for i, t in enumerate(tokens) if t.is_word), -1)
    conceding = [op for op in operators if op.has(Trait.CONCEDES)]
    return bool(conceding) and all(op.first == first for op in conceding)


def _unconceded_when_alone(scored: list[_Target], targets: list[_Target]) -> list[_Target]:
    """A conceded part counts less than the rest; with no rest ("while both kinds will be
    sold", a span that opens with it) it is all there is, and counts in full."""
    counted = [(new, old) for new, old in zip(scored, targets) if new.counts]
    if not counted or any(new.weight == old.weight for new, old in counted):
        return scored
    restored = []
    for new, old in zip(scored, targets):
        if not new.counts or new.weight == old.weight:
            restored.append(new)
            continue
        ratio = old.weight / new.weight
        restored.append(_Target(
            new.first, new.last, new.polarity, old.weight, new.kind, new.needs_operator, new.framed,
            new.contribution * ratio, new.explained,
        ))
    return restored


def _without_keywords_inside_terms(hits: list[TermHit]) -> list[TermHit]:
    """'cut 2,400 jobs' (the pro term 'cut jobs') holds the keyword 'jobs': the term speaks for it."""
    sided = [set(hit.tokens) for hit in hits if hit.term.polarity]
    return [
        hit for hit in hits
        if hit.term.polarity or not any(set(hit.tokens) <= tokens for tokens in sided)
    ]


def _other_kinds(tokens: list[Token], hits: list[TermHit], terms: Sequence[TermSpec]) -> dict[int, TermHit]:
    """Keyword hits naming another kind of the topic's thing: token index (modifier included) -> hit."""
    found: dict[int, TermHit] = {}
    for hit in hits:
        width = 0 if hit.term.polarity else _other_kind_modifier(tokens, hit, terms)
        if width:
            found.update(dict.fromkeys(range(hit.first - width, hit.last + 1), hit))
    return found


def _other_kind_modifier(tokens: list[Token], hit: TermHit, terms: Sequence[TermSpec]) -> int:
    """'cornstarch-based baby powder' when the topic names 'talc-based baby powder': the keyword
    'baby powder' under a modifier that shares a word with the topic's and differs in another
    ('-based', '-powered') is another kind of the thing, not the topic's. Returns the modifier's
    length in tokens (0: the topic's own kind)."""
    size = len(hit.term.words)
    for term in terms:
        modifier = term.words[:-size]
        if not modifier or term.words[-size:] != hit.term.words or hit.first < len(modifier):
            continue
        before = tokens[hit.first - len(modifier):hit.first]
        same = [token.norm in forms for token, forms in zip(before, modifier)]
        # the modifier is a content word or compound, not a run like "plans to offer" ("end-to-end X"),
        # nor a verb acting on the keyword ("continue purchasing X" against a term "continue buying X")
        if any(same) and not all(same) and all(t.is_word and t.norm not in lex.STOPWORDS for t in before) \
                and not _has_operator(before):
            return len(modifier)
    return 0


def _has_operator(tokens: list[Token]) -> bool:
    text = " ".join(t.text for t in tokens)
    return bool(find_operators(text, tokenize(text), set()).operators)


_OBJECT_GAP = 2  # "end global sales of talc powder": at most this many words between the verb term and its object


def _without_objects_of_leading_terms(tokens: list[Token], hits: list[TermHit]) -> list[TermHit]:
    """'stop selling talc powder' with 'stop selling' con and 'talc powder' pro: the pro term is
    what the con term acts on, so the con term alone speaks for the pair."""
    ordered = sorted(hits, key=lambda h: h.first)
    objects = {
        position + 1
        for position, (verb, thing) in enumerate(zip(ordered, ordered[1:]))
        if verb.term.leads and verb.term.polarity * thing.term.polarity == -1
        and _is_object_gap(tokens[verb.last + 1:thing.first])
    }
    return [hit for position, hit in enumerate(ordered) if position not in objects]


def _is_object_gap(between: list[Token]) -> bool:
    return len(between) <= _OBJECT_GAP and all(t.is_word and t.norm not in lex.CLAUSE_WORDS for t in between)


def _term_target(hit: TermHit) -> _Target | None:
    polarity = hit.term.polarity
    if polarity == 0:
        if not hit.term.orientation:
            return None  # a mention of the topic, with no side of its own
        return _Target(hit.first, hit.last, hit.term.orientation, _KEYWORD_WEIGHT, "keyword", needs_operator=True)
    weight = _GAPPED_TERM_WEIGHT if hit.gapped and not hit.coordinated else _TERM_WEIGHT
    return _Target(hit.first, hit.last, polarity, weight, "pro" if polarity > 0 else "con")


_VERB_BEFORE = frozenset({"to", "will", "would", "shall", "'ll", "’ll"})


def _as_predicate(tokens: list[Token], target: _Target, words: TopicWords) -> _Target:
    """A keyword that opens with the proposition's own verb, used as a verb ("plans to spin off ...",
    "will spin off ..." against "Acme plans to spin off X"): it says the proposition, no operator needed."""
    if not target.needs_operator or stem(tokens[target.first].norm) not in words.key_stems:
        return target
    before = [t.norm for t in tokens[:target.first] if t.is_word]
    joined = bool(before) and before[-1] in ("and", "or") and not _VERB_BEFORE.isdisjoint(before[-15:])
    if not before or not (before[-1] in _VERB_BEFORE or joined):  # "plans to merge X and spin off Y" too
        return target
    return replace(target, needs_operator=False)


_DOING_BEFORE = _VERB_BEFORE | {"is", "are", "was", "were", "now", "begin", "began", "begins", "start", "starts"}


def _denied_deeds(tokens: list[Token], words: TopicWords, claimed: set[int]) -> list[_Target]:
    """What the proposition says the company does not do, done: "EE will charge £2 a day" against
    "EE lets customers roam without extra charges" (a word of the negated part, as a verb)."""
    found = []
    for i, token in enumerate(tokens):
        if i in claimed or i == 0 or not token.is_word or stem(token.norm) not in words.denied:
            continue
        if tokens[i - 1].norm in _DOING_BEFORE and not token.norm.endswith("s"):
            found.append(_Target(i, i, -1, _KEYWORD_WEIGHT, "keyword"))
    return found


def _topic_word_target(tokens: list[Token], indices: tuple[int, ...], words: TopicWords) -> _Target | None:
    """The topic's own words count like a keyword of them: only when an operator acts on them."""
    signs = {words.orientation.get(stem(tokens[i].norm), 1) for i in indices} - {0}
    if len(signs) != 1:
        return None
    return _Target(indices[0], indices[-1], signs.pop(), _KEYWORD_WEIGHT, "keyword", needs_operator=True)


def _changes_polarity(op: Operator) -> bool:
    return op.has(_POLARITY)


def _anaphor_targets(
    operators: list[Operator], tokens: list[Token], targets: list[_Target], context: str, topic: Topic
) -> list[_Target]:
    """'would refrain from doing so': a change verb or negator with no term to govern
    but a pro-form takes the polarity of the last term before it."""
    found: list[_Target] = []
    starts = sorted(t.first for t in targets)
    for op in operators:
        if not _changes_polarity(op) or not op.scopes:
            continue
        start, end = op.scopes[0]
        if bisect_left(starts, start) != bisect_left(starts, end):
            continue
        before = [t for t in targets if t.last < op.first]
        anaphor = _anaphor(op, tokens, (start, min(end, start + _ANAPHOR_REACH)), before, operators, context, topic)
        if anaphor is None and op.has(Trait.CHANGE) and not targets:
            anaphor = _plan_anaphor(op, tokens, context, topic)
        if anaphor is not None:
            found.append(anaphor)
            insort(starts, anaphor.first)
    return found


_DEFINITE = lex.DETERMINERS - {"a", "an", "all", "any"}


def _plan_anaphor(op: Operator, tokens: list[Token], context: str, topic: Topic) -> _Target | None:
    """'The original pledge was removed', 'scrapped the target': a definite plan the change acts on,
    with no term of the topic, stands for the plan the text before names (its side)."""
    for start, end in op.scopes:
        for j in range(start, end):
            if tokens[j].norm not in lex.POLICY_NOUNS:
                continue
            words = [t.norm for t in tokens[max(start, j - 3):j] if t.is_word]
            if any(w in _DEFINITE for w in words):
                polarity = _context_polarity(context, topic)
                return None if polarity is None else _Target(j, j, polarity, _CONTEXT_ANAPHOR_WEIGHT, "anaphor")
    return None


def _anaphor(
    op: Operator,
    tokens: list[Token],
    reach: tuple[int, int],
    before: list[_Target],
    operators: list[Operator],
    context: str,
    topic: Topic,
) -> _Target | None:
    pronoun = _pro_form(tokens, *reach, op.has(Trait.CHANGE))
    if pronoun is None and not op.has(Trait.CHANGE):
        deed = _clause_final_do(tokens, *reach)
        if deed is None or not before:
            return None
        # "do" stands for the deed: its last pro/con term, as the change verbs before it left it.
        last = ([t for t in before if t.kind in ("pro", "con")] or before)[-1]
        return _Target(deed, deed, last.polarity * _changed(last, operators), _ANAPHOR_WEIGHT, "anaphor")
    if pronoun is None:
        return None
    if before:
        return _Target(pronoun, pronoun, before[-1].polarity, _ANAPHOR_WEIGHT, "anaphor")
    polarity = _context_polarity(context, topic)
    if polarity is None:
        return None
    return _Target(pronoun, pronoun, polarity, _CONTEXT_ANAPHOR_WEIGHT, "anaphor")


def _changed(target: _Target, operators: list[Operator]) -> int:
    """The sign the change verbs governing a target give it (-1 'drop X', +1 'keep X')."""
    sign = 1
    for op in operators:
        if op.has(Trait.CHANGE) and op.covers(target.first) and op.factor < 0:
            sign = -sign
    return sign


def _pro_form(tokens: list[Token], start: int, end: int, after_change_verb: bool) -> int | None:
    """'refrain from doing so', 'abandon it'; after a bare negator only 'do so/it/that'."""
    for j in range(start, end):
        if tokens[j].norm not in lex.ANAPHORS:
            continue
        if after_change_verb or (j > 0 and tokens[j - 1].norm in _DO_FORMS):
            return j
    return None


def _clause_final_do(tokens: list[Token], start: int, end: int) -> int | None:
    """'..., which we are not going to do.': a bare 'do' ending the clause stands for what came before."""
    for j in range(start, end):
        if tokens[j].norm in _DO_FORMS and (j + 1 == len(tokens) or not tokens[j + 1].is_word):
            return j
    return None


def _context_polarity(context: str, topic: Topic) -> int | None:
    if not context:
        return None
    hits = find_term_hits(tokenize(context), topic_lexicon(topic))
    if not hits:
        return None
    return hits[-1].term.polarity or 1


def _coverage(operators: Sequence[Operator], targets: list[_Target]) -> tuple[tuple[int, ...], ...]:
    """For each operator, the indices (in text order) of the targets whose first token it governs."""
    starts = [t.first for t in targets]
    covered: list[tuple[int, ...]] = []
    for op in operators:
        found: list[int] = []
        for start, end in op.scopes:
            found.extend(range(bisect_left(starts, start), bisect_left(starts, end)))
        covered.append(tuple(found))
    return tuple(covered)


def _contributions(
    targets: list[_Target],
    operators: Sequence[Operator],
    covered: tuple[tuple[int, ...], ...],
    role: CueRole | None,
) -> list[_Target]:
    """Each target with its contribution: its weight and polarity times the factors of
    the operators that govern it (and of the reporting cue, which governs the whole span)."""
    negators = [op for op in operators if op.has(Trait.NEGATES)]
    governing: list[list[tuple[Operator, float]]] = [[] for _ in targets]
    for op, indices in zip(operators, covered):
        if not op.has(Trait.GOVERNS):
            continue
        factor = op.factor
        if op.has(Trait.EVALUATES):  # "X is not a mistake"
            factor = op.factor * math.prod(n.factor for n in negators if n.covers(op.first))
        for index in indices:
            governing[index].append((op, factor))
    return [_contribution(target, ops, negators, role) for target, ops in zip(targets, governing)]


def _contribution(
    target: _Target, governing: list[tuple[Operator, float]], negators: list[Operator], role: CueRole | None
) -> _Target:
    active = role is not None or any(_activates(op, target) for op, _ in governing)
    framed = any(
        op.kind is Kind.FRAME or (op.kind is Kind.MENTION and any(n.covers(op.first) for n in negators))
        for op, _ in governing
    )
    # A conceded part ("X, but Y") is weaker evidence, not a different direction.
    weight = _ACTED_ON_KEYWORD_WEIGHT if target.needs_operator and active else target.weight
    weight *= math.prod(_CONCEDED for op, _ in governing if op.has(Trait.CONCEDES))
    acting = [(op, _factor(op, factor, target)) for op, factor in governing if not op.has(Trait.CONCEDES)]
    direction = math.prod(f for op, f in acting if not op.has(Trait.EVALUATES))
    direction *= _judgement([f for op, f in acting if op.has(Trait.EVALUATES)])
    if role is not None:
        direction *= role.factor
    return _Target(
        target.first,
        target.last,
        target.polarity,
        weight,
        target.kind,
        needs_operator=target.needs_operator and not active,
        framed=framed,
        contribution=weight * target.polarity * direction,
    )


def _support(text: str, reading: _Reading) -> tuple[list[float], list[Placed]]:
    """The extra evidence from change verbs toward a term and evaluations that govern
    counted targets, and from a supporting reporting cue (which governs the whole span):
    each bonus, and the cue that explains it."""
    bonuses: list[float] = []
    support: list[Placed] = []
    for index, op in enumerate(reading.operators):
        if not op.has(_CONFIRMS):
            continue
        governed = [t for t in reading.governed(index) if t.counts]
        bonus, weight = _confirmation(governed, _EVAL_BONUS if op.has(Trait.EVALUATES) else _CHANGE_BONUS)
        if governed and bonus:
            bonuses.append(bonus)
            support.append((op.first, StanceCue("support", _span_text(text, reading.tokens, op.first, op.last), weight)))
    role = reading.role
    if role is not None and role.factor > 0:
        bonus, weight = _confirmation([t for t in reading.targets if t.counts], _CHANGE_BONUS)
        if bonus:
            bonuses.append(bonus)
            support.append((-1, StanceCue("support", role.text, weight)))
    return bonuses, support


def _confirmation(governed: list[_Target], base: float) -> tuple[float, float]:
    """It confirms what it governs, in proportion to how much that agrees: (bonus, signed weight)."""
    weights = sum(t.weight for t in governed)
    if not governed or weights == 0:
        return 0.0, 0.0
    bonus = base * min(1.0, weights)
    return bonus, round(bonus * sum(t.contribution for t in governed) / weights, 3)


def _judgement(factors: list[float]) -> float:
    """Evaluations of one thing agree rather than compose: "a costly mistake" is one
    judgement against it, not two that cancel. One with no direction makes it none."""
    if not factors:
        return 1.0
    if len(factors) == 1 or 0.0 in factors:
        return math.prod(factors)
    total = sum(factors)
    return math.copysign(1.0, total) if total else factors[0]


def _activates(op: Operator, target: _Target) -> bool:
    """A keyword counts when a change verb, negator or evaluation acts on it; a fix
    ("resolve", "patch") acts only on what the topic leaves behind."""
    if op.kind is Kind.REMEDY:
        return target.polarity < 0
    return op.has(_ACTIVATES)


def _factor(op: Operator, factor: float, target: _Target) -> float:
    if op.kind is Kind.REMEDY and target.polarity > 0:
        return 1.0
    if op.kind is Kind.EVAL_OUTCOME and target.polarity < 0:
        return 0.0
    return factor


def _hedges(
    tokens: list[Token], sentence_of: list[int], operators: Sequence[Operator]
) -> tuple[dict[int, float], list[Placed]]:
    """Per sentence, the product of its hedges, modals, conditional and question mark:
    a hedge in one sentence of a quote does not soften the next one."""
    multipliers: dict[int, float] = {}
    cues: list[Placed] = []
    seen: set[tuple[int, str]] = set()
    for op in operators:
        if op.rule.hedge == 1.0:
            continue
        sentence = sentence_of[op.first]
        # A hedge counts once per wording; a conditional once per sentence.
        key = op.text.lower() if op.kind is not Kind.CONDITIONAL else op.rule.name
        if (sentence, key) in seen:
            continue
        seen.add((sentence, key))
        multipliers[sentence] = multipliers.get(sentence, 1.0) * op.rule.hedge
        cues.append((op.first, StanceCue(op.kind.label, op.text, op.rule.hedge)))
    for index, token in enumerate(tokens):
        if token.text in _QUESTION.phrases:
            sentence = sentence_of[index]
            multipliers[sentence] = multipliers.get(sentence, 1.0) * _QUESTION.hedge
            cues.append((index, StanceCue(_QUESTION.kind.label, token.text, _QUESTION.hedge)))
    return {s: max(m, _HEDGE_FLOOR) for s, m in multipliers.items()}, cues


def _mean_hedge(counted: list[_Target], sentence_of: list[int], hedge_of: dict[int, float]) -> float:
    weight = sum(t.weight for t in counted)
    if not weight:
        return 1.0
    return sum(t.weight * hedge_of.get(sentence_of[t.first], 1.0) for t in counted) / weight


def _is_mixed(targets: Sequence[_Target]) -> bool:
    counted = [t.contribution for t in targets if t.counts]
    return any(c >= 0.25 for c in counted) and any(c <= -0.25 for c in counted)


def _label(
    score: float, evidence: float, hedged_or_mixed: bool, mixed: bool = False
) -> Literal["pro", "con", "hedged", "neutral"]:
    if evidence <= 0:
        return "neutral"
    # Both sides argued: it takes a clearer lead to count as one side.
    margin = _MIXED_MARGIN if mixed else 0.0
    if score >= PRO_THRESHOLD + margin:
        return "pro"
    if score <= CON_THRESHOLD - margin:
        return "con"
    return "hedged" if hedged_or_mixed or abs(score) >= 0.1 else "neutral"


def _denial(reading: _Reading, markers: tuple[str, ...]) -> tuple[bool, list[Placed]]:
    """A denial of change: 'is unchanged', 'remains committed', a negated change verb
    ('not abandoning'; 'we will not change', not 'the loss does not change our support',
    which restates), a reiteration/denial marker with no live change away, 'continue to'
    acting on one side of the topic, or a denying/reiterating cue."""
    operators = reading.operators
    cues: list[Placed] = [(op.first, StanceCue("denial", op.text, 0.0)) for op in operators if op.kind is Kind.DENIAL]
    for op in operators:
        if op.kind is Kind.NO_CHANGE:
            kind = "denial" if denies_own_change(reading.tokens, op) else "unchanged"
            cues.append((op.first, StanceCue(kind, op.text, 0.0)))
    negators = [op for op in operators if op.has(Trait.NEGATES)]
    away = [op for op in operators if op.has(Trait.LEAVES)]
    negated_away = [op for op in away if any(n.covers(op.first) for n in negators)]
    live_away = [op for op in away if op not in negated_away]
    cues += [(op.first, StanceCue("denial", op.text, 0.0)) for op in negated_away]
    if not live_away:
        cues += [(-1, StanceCue("denial", marker, 0.0)) for marker in dict.fromkeys(markers)]
        cues += [
            (op.first, StanceCue("denial", op.text, 0.0)) for i, op in enumerate(operators) if _restates(reading, i)
        ]
    if reading.role is not None and reading.role.denial:
        cues.insert(0, (-1, StanceCue("denial", reading.role.text, 0.0)))
    return any(cue.kind == "denial" for _, cue in cues), cues


def _restates(reading: _Reading, index: int) -> bool:
    """'we will continue to offer X': a reiteration that acts on one side of the topic."""
    if not reading.operators[index].rule.restates:
        return False
    signs = {t.contribution > 0 for t in reading.governed(index) if t.counts and t.kind in ("pro", "con", "keyword")}
    return len(signs) == 1


def _ordered_cues(
    text: str,
    reading: _Reading,
    support: list[Placed],
    hedge_cues: list[Placed],
    denial_cues: list[Placed],
) -> tuple[StanceCue, ...]:
    placed: list[Placed] = []
    for target in reading.targets:
        if target.counts:
            text_of = _span_text(text, reading.tokens, target.first, target.last)
            placed.append((target.first, StanceCue(target.kind, text_of, round(target.contribution, 3))))
    for index, op in enumerate(reading.operators):
        if op.has(Trait.GOVERNS) and op.kind is not Kind.CONDITIONAL and reading.governs(index):
            placed.append((op.first, StanceCue(op.kind.label, op.text, op.factor)))
    placed += [(op.first, StanceCue(op.kind.label, op.text, 1.0)) for op in reading.operators if op.kind is Kind.ONSET]
    placed += support + hedge_cues + denial_cues
    placed.sort(key=lambda item: item[0])
    unique = dict.fromkeys(cue for _, cue in placed)
    return tuple(unique)


def _span_text(text: str, tokens: list[Token], first: int, last: int) -> str:
    return text[tokens[first].start : tokens[last].end]


def _confidence(
    label: str, evidence: float, targets: Sequence[_Target], multiplier: float, hedged: bool, kind: str
) -> float:
    kind_factor = _KIND_CONFIDENCE.get(kind, 0.85)
    if label == "neutral":
        return round(0.3 * kind_factor, 3)
    amount = 1 - 0.5**evidence
    if label == "hedged":
        value = (0.3 + 0.4 * amount) * (1.0 if hedged else 0.7)
    else:
        counted = [t.contribution for t in targets if t.counts]
        magnitude = sum(abs(c) for c in counted)
        agreement = abs(sum(counted)) / magnitude if magnitude else 1.0
        value = (0.35 + 0.55 * amount) * (0.5 + 0.5 * agreement) * (0.7 + 0.3 * multiplier)
    return round(min(1.0, value * kind_factor), 3)

