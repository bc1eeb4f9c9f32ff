"""Narrated actions read off a dependency parse: a sentence whose subject (or
passive agent) may be a watched company, one of its people or its product, and
whose main verb says what it does, will do, stopped doing, plans or decided
("Acme will no longer offer a free tier", "the company has abandoned its plans
to ...", "Acme's free tier will be discontinued", "Acme made a U-turn, cancelling its plans").

Only the main line of the sentence counts (its root and the verbs joined to it
by "and" or a to-infinitive): an action inside a relative clause is an aside,
one inside a reported clause ("critics said Acme will ...") is someone else's
claim, one under "if" or in a question is no fact, and one under "could",
"might" or "may" is the writer's guess. A verb of plain doing in the simple
past ("Acme offered ... in 2016") narrates history, not a position, unless
negated; "Acme declined to comment" is no action either.

Three readings widen the subject: a thing the company makes, sells or runs, named
through a relative clause whose subject is the company ("every car it sells
should be fully electric": the company's plan for what it sells); a plan, policy
or product of the company's as the subject of a change, without a possessor
("the update will not be moving forward", "that target will now be one-third",
resolved in _find to the company named just before); and a clause set off by a
dash, colon or semicolon with a subject of its own, which is a main line of its
own ("We've told you the news – the plans have been scrapped"), unless someone
other than the writer reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.attribution._lexicon import (
    ACTION_FORMS,
    ACTION_PARTICLES,
    ALL_CUE_FORMS,
    AUTHOR_PRONOUNS,
    BINDING_AUXILIARIES,
    CHANGE_LEMMAS,
    DOING_LEMMAS,
    PLAN_LEMMAS,
    PLAN_NOUNS,
    SPEAKING_PARTICLES,
)
from extractors.attribution._parse import ParseInput, trim_span
from extractors.attribution._phrase import Phrase, make_phrase

__all__ = ["ActionFrame", "read_actions"]

_MAIN_LINE = frozenset({"conj", "xcomp"})  # deps that keep a verb on its sentence's main line
_SUBJECT_DEPS = ("nsubj", "csubj")
_GUESSES = frozenset({"could", "might", "may"})
_CONDITIONS = frozenset({"if", "unless", "whether"})
_CUE_DEPS = frozenset({"aux", "auxpass", "neg", "prt"})
_PARTICLE_ADVERBS = frozenset({"back", "out", "down", "off", "away"})  # the parser's "bringing back" (advmod)
_MAX_CUE_WORDS = 6
_MAX_SUBJECT_WORDS = 10
_OBJECT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "parataxis"})
# Doing verbs a company does to its customers ("will now be charged", "are required to link").
_IMPOSED = frozenset({"require", "charge", "allow", "permit", "offer", "provide", "let", "enable", "accept"})
_SUBJECT_TAGS = ("NN", "PRP")  # NN, NNS, NNP, NNPS, PRP
_STEPPING_STONES = frozenset({"going"})  # "is going to end": no action word itself, but on the way to one
_NO_COMMENT = frozenset({"discuss", "address", "detail"})  # besides reporting verbs: "declined to discuss"
_PRESENT_ADVERBS = frozenset({"longer", "never", "now", "still"})


@dataclass(frozen=True)
class ActionFrame:
    """One narrated action: who does it (a phrase to resolve) and the verb group."""

    cue: str  # the verb group as written: "will no longer offer", "has abandoned"
    cue_start: int
    lemma: str
    subject: Phrase
    passive: bool  # the subject undergoes it ("Acme's free tier will be discontinued")
    span: tuple[int, int]  # the statement: the sentence, trimmed
    intended: bool = False  # a plan or decision, a future, or a negation ("decided to", "will no longer")
    past: bool = False  # a plain simple past ("returned to England in 2016")
    epithet: bool = False  # the subject describes rather than names: "the world's largest asset manager"
    counted: bool = False  # the subject is counted: "more than 14,000 reviews"
    maker: Phrase | None = None  # "it" in "every car it sells": who makes, sells or runs the subject
    subject_reach: tuple[int, int] = (0, 0)  # the subject with all its words (relative clauses too)

    @property
    def imposed(self) -> bool:
        """What a company does to others (starting, stopping, requiring, charging ...): a
        passive with no agent ("customers will now be charged") is most likely its doing."""
        return self.changes or self.lemma in _IMPOSED

    @property
    def changes(self) -> bool:
        """Starting, stopping, reversing or keeping something, ceasing to be ("will no longer be") or to
        do ("will no longer allow")."""
        return self.lemma in CHANGE_LEMMAS or self.lemma == _BE or "no longer" in self.cue.lower()


def read_actions(text: str, doc, source: ParseInput) -> list[ActionFrame]:
    """The narrated actions of one parsed sentence, at most one per subject."""
    if text[source.sentence.start:source.sentence.end].rstrip(" \"”’'").endswith("?"):
        return []
    span = trim_span(text, source.sentence.start, source.sentence.end)
    if span is None:
        return []
    found: list[ActionFrame] = []
    for verb in doc:
        frame = _action_frame(text, verb, source, span)
        if frame is not None and all(f.subject.start != frame.subject.start for f in found):
            found.append(frame)
    return found


_BE = "be"
_BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being"})


def _lemma_of(verb) -> str | None:
    """The action a verb names: an action verb (with its particle when it needs one),
    or a "be" that stops ("will no longer be free")."""
    if verb.lower_ in _BE_FORMS:
        return _BE if _no_longer(verb) else None
    lemma = ACTION_FORMS.get(verb.lower_)
    particles = {c.lower_ for c in verb.children if c.dep_ in _PARTICLE_DEPS}
    if lemma in ACTION_PARTICLES and particles.isdisjoint(ACTION_PARTICLES[lemma]):
        return None
    if lemma in SPEAKING_PARTICLES and not particles.isdisjoint(SPEAKING_PARTICLES[lemma]):
        return None
    return lemma


# a particle ("rolled out") or the complement of "make X available" (parsed as ccomp, oprd or acomp)
_PARTICLE_DEPS = frozenset({"prt", "advmod", "ccomp", "oprd", "acomp", "xcomp"})


def _being(verb) -> str | None:
    """A 'be' that states a plan or a change: 'should be', 'will now be', 'is now' (not 'was',
    nor 'could be'); whether its subject is the company's thing is checked with the subject."""
    if verb.lower_ not in _BE_FORMS or verb.lower_ in ("was", "were", "been", "being"):
        return None
    children = list(verb.children)
    if any(c.dep_ == "aux" and c.lower_ in ("had", "was", "were", "has", "have") for c in children):
        return None
    binding = any(c.dep_ == "aux" and c.lower_ in BINDING_AUXILIARIES for c in children)
    present = verb.lower_ in ("is", "are") and not any(c.dep_ == "aux" for c in children)
    return _BE if binding or present else None


def _maker(subject):
    """'every car it sells', 'the products Acme makes': the subject of a present-tense relative
    clause on the subject noun, when it may be a company (a pronoun, a name, a noun)."""
    if not subject.tag_.startswith("NN"):
        return None
    for clause in subject.children:
        if clause.dep_ != "relcl" or clause.tag_ not in ("VBZ", "VBP", "VB"):
            continue
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "was", "were", "did") for c in clause.children):
            return None
        doer = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if doer is not None and doer.tag_ in ("PRP", "NNP", "NNPS", "NN") and doer.lower_ not in AUTHOR_PRONOUNS:
            return doer
    return None


def _made_available(verb) -> bool:
    """'X will be available to all users', 'X will be free': the state a "make X available" decision
    leaves, said of a future (a plain "is available" describes, it decides nothing)."""
    states = ACTION_PARTICLES["make"]
    return (any(c.dep_ == "aux" and c.lower_ in BINDING_AUXILIARIES for c in verb.children)
            and any(c.dep_ in ("acomp", "oprd") and c.lower_ in states for c in verb.children))


def _no_longer(verb) -> bool:
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in verb.children)


def _action_frame(text: str, verb, source: ParseInput, span: tuple[int, int]) -> ActionFrame | None:
    if not verb.tag_.startswith("VB") or source.quote_of(verb) is not None:
        return None
    lemma = _lemma_of(verb) or _being(verb)
    if lemma is None:
        return None
    if not _on_main_line(verb) or _guessed(verb) or _no_comment(verb) or _someones_claim(verb):
        return None
    if any(c.dep_ in _OBJECT_DEPS and source.quote_of(c) is not None for c in verb.children):
        return None  # "ends “Thanks again ...”": words, not a deed
    if (lemma in DOING_LEMMAS and _plain_past(verb)) or _non_finite(verb):
        return None
    subject, passive = _doer(verb)
    if subject is None or source.quote_of(subject) is not None or not subject.tag_.startswith(_SUBJECT_TAGS):
        return None
    phrase = make_phrase(text, subject, source)
    if len(text[phrase.start:phrase.end].split()) > _MAX_SUBJECT_WORDS:
        return None
    span = _clause_span(verb, source, span)
    maker = _maker(subject)
    if lemma == _BE and not _no_longer(verb) and maker is None and not _made_available(verb) and not (
            subject.lower_ in PLAN_NOUNS and any(c.lower_ == "now" for c in verb.children)):
        return None  # "should be" of what the company makes, "will now be" of a plan: nothing else
    cue_start, cue_end = _verb_group(verb, source)
    return ActionFrame(text[cue_start:cue_end], cue_start, lemma, phrase, passive, span, _intended(verb, lemma),
                       _plain_past(verb), _is_epithet(subject),
                       any(c.dep_ in ("nummod", "quantmod") for c in subject.children),
                       make_phrase(text, maker, source) if maker is not None else None,
                       (source.span(subject.left_edge)[0], source.span(subject.right_edge)[1]))


_RANKS = frozenset({"first", "second", "third", "fourth", "fifth", "latest", "last", "only", "next", "newest",
                    "biggest", "largest"})
_BECOMING = _BE_FORMS | {"become", "becomes", "became", "becoming"}


def _ranked_host(verb):
    """'Acme has become the second company to reintroduce X', 'is the latest to drop X': the "be" or
    "become" whose subject does the ranked deed (the infinitive hangs on the ranked noun)."""
    noun = verb.head
    if verb.dep_ not in ("relcl", "acl") or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    if noun.dep_ not in ("attr", "oprd") or noun.head.lower_ not in _BECOMING:
        return None
    return noun.head if any(c.lower_ in _RANKS for c in noun.children if c.i < noun.i) else None


def _on_main_line(verb) -> bool:
    """The root, or joined to it through 'and' and to-infinitives only, with no
    reporting verb or condition on the way."""
    token = _ranked_host(verb) or verb
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in token.children):
            return False
        if token.dep_ == "ROOT":
            return True
        if _set_off(token):
            return not _reported_host(token)
        if token.dep_ not in _MAIN_LINE and not _participle_clause(token):
            return False
        step = token.dep_
        token = token.head
        if token.tag_.startswith("VB") and token.lower_ in ALL_CUE_FORMS:
            return False  # "Acme promised to ...": the promise is a frame of its own
        if step == "xcomp" and token.lower_ not in ACTION_FORMS and token.lower_ not in _STEPPING_STONES:
            return False  # "was near a deal to sell", "is likely to end"
    return False


_SET_OFF = frozenset({"–", "—", "--", "-", ":", ";"})
_SUBORDINATE = frozenset({"advcl", "relcl", "csubj", "pcomp"})


def _clause_span(verb, source: ParseInput, span: tuple[int, int]) -> tuple[int, int]:
    """The statement: from the set-off clause the verb stands in ('– the plans have been
    scrapped'), else the whole sentence."""
    token = verb
    for _ in range(8):
        if _set_off(token):
            return max(span[0], source.span(token.left_edge)[0]), span[1]
        if token.dep_ not in _MAIN_LINE or token.head is token:
            break
        token = token.head
    return span


def _set_off(verb) -> bool:
    """'We've told you the news – the plans have been scrapped': a verb with a subject of its
    own whose clause opens right after a dash, colon or semicolon is a sentence of its own."""
    if not verb.tag_.startswith("VB") or verb.dep_ in _SUBORDINATE:
        return False
    if any(c.dep_ == "mark" for c in verb.children) or not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return False  # "; after he moved ...": a subordinate clause, not a sentence
    first = verb.left_edge.i
    return first > 0 and verb.doc[first - 1].text in _SET_OFF


def _reported_host(verb) -> bool:
    """The clause the set-off one hangs on reports someone's words (the writer's own 'we've told
    you' does not count) or poses a condition."""
    token = verb.head
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in token.children):
            return True
        if token.tag_.startswith("VB") and token.lower_ in ALL_CUE_FORMS:
            speaker = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
            return speaker is None or speaker.lower_ not in AUTHOR_PRONOUNS
        if token.head is token:
            return False
        token = token.head
    return False


# "according to analysts": people whose claims these are (a document or an outlet states a fact)
_CLAIMANTS = frozenset({"analyst", "analysts", "critic", "critics", "expert", "experts", "observer", "observers",
                        "commentator", "commentators", "investor", "investors", "rival", "rivals", "estimate",
                        "estimates", "speculation", "rumours", "rumors"})


def _someones_claim(verb) -> bool:
    """'Acme will end it, critics said' and 'Acme will end it, according to analysts':
    the sentence reports someone's claim (when the company or an unnamed source is
    that someone, a frame holds it already)."""
    for child in verb.children:
        if child.dep_ in ("parataxis", "ccomp") and child.lower_ in ALL_CUE_FORMS and child.tag_.startswith("VB"):
            return True
        if child.lower_ == "according":
            objects = [o for to in child.children for o in to.children if o.dep_ == "pobj"]
            if any(o.lower_ in _CLAIMANTS for o in objects):
                return True
    return False


def _no_comment(verb) -> bool:
    """'declined to comment', 'refused to say whether': a verb of doing over a verb of speaking."""
    return any(c.dep_ in ("xcomp", "ccomp") and (c.lower_ in ALL_CUE_FORMS or c.lower_ in _NO_COMMENT)
               for c in verb.children)


def _is_epithet(subject) -> bool:
    """'the world's largest asset manager', 'the biggest U.S. carrier': a superlative description."""
    return subject.tag_ in ("NN", "NNS") and any(c.dep_ == "amod" and c.tag_ == "JJS" for c in subject.children)


_FUTURES = frozenset({"will", "would", "shall", "'ll", "’ll", "wo"})


def _intended(verb, lemma: str) -> bool:
    """A decision or plan ("decided to", "plans to"), a future ("will"), or a negation ("no longer")."""
    if lemma in PLAN_LEMMAS or (verb.dep_ == "xcomp" and ACTION_FORMS.get(verb.head.lower_) in PLAN_LEMMAS):
        return True
    return any((c.dep_ == "aux" and c.lower_ in _FUTURES) or c.dep_ == "neg" or c.lower_ in ("longer", "never")
               for c in verb.children)


def _non_finite(verb) -> bool:
    """'having just sold ...' as a sentence's root: the parser lost the real verb."""
    return verb.dep_ == "ROOT" and any(c.dep_ == "aux" and c.tag_ == "VBG" for c in verb.children)


_PAST_AUXILIARIES = frozenset({"was", "were", "had"})


def _plain_past(verb) -> bool:
    """'Acme offered ...', 'the order was revised', 'had been revised': told as
    history, with no negation or 'no longer'."""
    children = list(verb.children)
    if any(c.dep_ == "neg" or c.lower_ in _PRESENT_ADVERBS for c in children):
        return False
    if verb.tag_ == "VBD":
        return not any(c.dep_ in ("aux", "auxpass") for c in children)
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in _PAST_AUXILIARIES for c in children)


def _guessed(verb) -> bool:
    token = verb
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in _GUESSES for c in token.children):
            return True
        if token.dep_ not in _MAIN_LINE or _set_off(token):
            return False
        token = token.head
    return False


def _doer(verb):
    """(subject, passive): the active subject, climbing through 'and' and to-infinitives;
    a passive's agent ('was scrapped by Acme'), else its subject, which undergoes it."""
    token = _ranked_host(verb) or verb
    for _ in range(6):
        for child in token.children:
            if child.dep_ in _SUBJECT_DEPS and child.tag_ not in ("WP", "WDT", "EX"):
                return child, False
            if child.dep_ == "nsubjpass":
                if token is not verb:
                    return None, False  # "Acme was told to drop it": not yet done, nor by choice
                agent = next((c for c in token.children if c.dep_ == "agent"), None)
                obj = next((o for o in agent.children if o.dep_ == "pobj"), None) if agent is not None else None
                return (obj, False) if obj is not None else (child, True)
        if (token.dep_ not in _MAIN_LINE and not _participle_clause(token)) or token.head is token or _set_off(token):
            return None, False
        token = token.head
    return None, False


def _participle_clause(verb) -> bool:
    """'Acme made a U-turn, cancelling its plans': a participle with no subject or conjunction of
    its own shares its sentence's subject and stays on the main line."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and not any(
        c.dep_ in ("mark", "nsubj", "nsubjpass", "csubj") for c in verb.children)


def _verb_group(verb, source: ParseInput) -> tuple[int, int]:
    """'will no longer offer', 'has quietly abandoned', 'is phasing out': the verb
    with its auxiliaries, negation, 'no longer' and particle, when they sit close."""
    parts = [verb, *(c for c in verb.children if c.dep_ in _CUE_DEPS
                     or (c.dep_ == "advmod" and c.lower_ in _PARTICLE_ADVERBS and c.i == verb.i + 1))]
    parts += [c for c in verb.children if c.dep_ == "advmod" and c.lower_ == "longer"]
    parts += [g for c in verb.children if c.lower_ == "longer" for g in c.children if g.lower_ == "no"]
    first, last = min(t.i for t in parts), max(t.i for t in parts)
    if last - first + 1 > _MAX_CUE_WORDS:
        first = last = verb.i
    start, _ = source.span(verb.doc[first])
    _, end = source.span(verb.doc[last])
    return start, end
