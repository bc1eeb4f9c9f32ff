"""Attribution: the words in an article that watched companies and their people
said (directly, indirectly, or as reported by others), with exact offsets.

Plain scanning finds paragraphs, quotations, sentences and watched names over
the whole text; only sentences with a reporting cue and a watched name (or a
pronoun/role that may point back to one) go through the dependency parser.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from storage.records import Watchlist

from ._attribution_lexicon import (
    COMPANY_PRONOUNS,
    PERSON_PRONOUNS,
    SPEECH_NOUNS,
    has_anaphor,
    has_cue,
    words_of,
)
from ._attribution_mentions import Mention, WatchIndex, infer_genders, other_mentions, watch_index
from ._attribution_parse import Frame, ParseInput, build_parse_input, read_frames
from ._attribution_speaker import (
    REPORT,
    Antecedents,
    Speaker,
    antecedent_for,
    resolve,
)
from ._attribution_text import (
    Paragraph,
    Quote,
    Sentence,
    outside_quotes,
    scan_quotes,
    split_paragraphs,
    split_sentences,
)

__all__ = ["Attribution", "find_attributions", "find_attributions_many"]

AttributionKind = Literal["direct", "indirect", "report"]

_CONTINUATION = 0.9  # factor on the speaker's confidence for an unattributed follow-on quote
_TITLE = 0.8
_COLON = 0.6  # "Doe is more blunt: “...”"
_NOMINAL = 0.9  # factor for object/to-infinitive/preposition contents
_ANAPHOR_WINDOW = 5000  # a pronoun may refer to a watched name this many characters back
_BATCH = 256


@dataclass(frozen=True)
class Attribution:
    entity_id: str
    speaker: str  # as written: "a Meta spokesperson", "he", "Zuckerberg"
    speaker_resolved: str | None  # the person, role or company meant
    speaker_role: str | None  # CEO, spokesperson, company, source ...
    text: str  # exactly text[start:end]
    start: int
    end: int
    cue: str  # "said", "according to", "wrote a long post entitled", "statement"
    kind: AttributionKind
    confidence: float


def find_attributions(text: str, watchlist: Watchlist, *, nlp=None) -> list[Attribution]:
    """Statements of watched entities in one text, ordered by start offset."""
    return find_attributions_many([text], watchlist, nlp=nlp)[0]


def find_attributions_many(
    texts: Sequence[str], watchlist: Watchlist, *, nlp=None, batch_size: int = _BATCH
) -> list[list[Attribution]]:
    """find_attributions over many texts, parsing all their candidate sentences
    in shared batches (faster than one call per text)."""
    index = watch_index(watchlist)
    plans = [_plan(text, index) for text in texts]
    jobs = [(plan, parse_input) for plan in plans for parse_input in plan.parse_inputs]
    if jobs:
        if nlp is None:
            from .nlp import load_nlp

            nlp = load_nlp()
        docs = nlp.pipe((pi.text for _, pi in jobs), batch_size=batch_size)
        for (plan, parse_input), doc in zip(jobs, docs):
            plan.frames[parse_input.sentence.index] = read_frames(plan.text, doc, parse_input)
    return [_assemble(plan, watchlist) for plan in plans]


# --- planning: what to parse --------------------------------------------------


@dataclass
class _Plan:
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    watched: list[Mention] = field(default_factory=list)
    others: list[Mention] = field(default_factory=list)
    cue_sentences: set[int] = field(default_factory=set)
    possessive: dict[int, "_Possessive"] = field(default_factory=dict)
    parse_inputs: list[ParseInput] = field(default_factory=list)
    frames: dict[int, list[Frame]] = field(default_factory=dict)


def _plan(text: str, index: WatchIndex) -> _Plan:
    plan = _Plan(text)
    watched = index.scan(text)
    if not watched:
        return plan  # nobody watched is named: nothing can be attributed
    plan.paragraphs = split_paragraphs(text)
    plan.quotes = scan_quotes(text, plan.paragraphs)
    plan.sentences = split_sentences(text, plan.paragraphs, plan.quotes)
    plan.watched = _with_salience(text, plan.sentences,
                                  [m for m in watched if not _in_quote(m.start, plan.quotes)])
    plan.others = _with_salience(text, plan.sentences,
                                 [m for m in other_mentions(text, plan.paragraphs, watched)
                                  if not _in_quote(m.start, plan.quotes)])
    named_at = [m.start for m in plan.watched]
    for quote in plan.quotes:
        owned = _possessive_cue(text, quote) if quote.is_statement_sized else None
        if owned:
            plan.possessive[quote.index] = owned
    modifiers = frozenset(k for k, p in plan.possessive.items() if p.noun_after)
    for sentence in plan.sentences:
        words = words_of(outside_quotes(text, sentence.start, sentence.end, plan.quotes))
        if not has_cue(words):
            continue
        plan.cue_sentences.add(sentence.index)
        names_here = _named_between(named_at, sentence.start, sentence.end)
        if names_here or (has_anaphor(words) and _named_between(named_at, sentence.start - _ANAPHOR_WINDOW,
                                                                 sentence.start)):
            plan.parse_inputs.append(build_parse_input(text, sentence, plan.quotes, modifiers))
    return plan


_POSSESSIVE_AFTER_RE = re.compile(r"[’']s?\b")


def _with_salience(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """Mark companies named near the start of their sentence, not as a possessor."""
    starts = [s.start for s in sentences]
    marked = []
    for m in mentions:
        if m.kind not in ("company", "other_org"):
            marked.append(m)
            continue
        k = bisect.bisect_right(starts, m.start) - 1
        lead = text[starts[k]:m.start] if k >= 0 else text[:m.start]
        salient = len(lead.split()) <= 3 and not _POSSESSIVE_AFTER_RE.match(text, m.end)
        marked.append(replace(m, salient=salient) if not salient else m)
    return marked


def _in_quote(pos: int, quotes: list[Quote]) -> bool:
    k = bisect.bisect_right([q.start for q in quotes], pos) - 1
    return k >= 0 and pos < quotes[k].end


def _named_between(named_at: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_left(named_at, start)
    return k < len(named_at) and named_at[k] < end


# --- assembly: frames, continuations, possessives -----------------------------


@dataclass
class _Chain:
    """The current speaker, whom an unattributed follow-on quotation continues."""

    speaker: Speaker
    written: str
    paragraph: int


def _assemble(plan: _Plan, watchlist: Watchlist) -> list[Attribution]:
    if not plan.watched:
        return []
    text = plan.text
    people = [m for m in plan.watched + plan.others if m.is_person]
    blanked = outside_quotes(text, 0, len(text), plan.quotes)
    antecedents = Antecedents(plan.watched + plan.others, infer_genders(text, people, blanked))
    found: list[Attribution] = []
    claimed: set[int] = set()
    chain: _Chain | None = None
    quotes_by_sentence = _quotes_by_sentence(plan)
    for sentence in plan.sentences:
        for quote in quotes_by_sentence.get(sentence.index, ()):
            if quote.index in plan.possessive:
                claimed.add(quote.index)
                owned = _possessive_quote(plan, quote, plan.possessive[quote.index], antecedents, watchlist)
                if owned:
                    found.append(owned)
        for frame in sorted(plan.frames.get(sentence.index, ()), key=lambda f: f.cue_start):
            claimed.update(frame.quotes)
            chain = _take_frame(plan, frame, sentence, antecedents, watchlist, found, chain)
        if sentence.index in plan.cue_sentences and sentence.index not in plan.frames:
            chain = None  # someone we do not watch is speaking
        elif chain and sentence.index not in plan.cue_sentences:
            _refresh(plan, sentence, chain)
        for quote in quotes_by_sentence.get(sentence.index, ()):
            if quote.index in claimed or not quote.is_statement_sized:
                continue
            introduced = _colon_intro(plan, quote, sentence, antecedents)
            if introduced:
                chain = introduced
            if chain and _continues(plan, quote, sentence, chain):
                found.append(_from_chain(text, quote, chain, watchlist))
                chain.paragraph = quote.paragraph
                claimed.add(quote.index)
    return _deduplicate(found)


def _quotes_by_sentence(plan: _Plan) -> dict[int, list[Quote]]:
    table: dict[int, list[Quote]] = {}
    k = 0
    for quote in plan.quotes:
        while k < len(plan.sentences) and plan.sentences[k].end <= quote.start:
            k += 1
        if k < len(plan.sentences):
            table.setdefault(plan.sentences[k].index, []).append(quote)
    return table


def _take_frame(plan, frame: Frame, sentence: Sentence, antecedents: Antecedents,
                watchlist: Watchlist, found: list[Attribution], chain: _Chain | None) -> _Chain | None:
    text = plan.text
    phrase = frame.speaker
    named = _named_in(plan.watched, phrase.start, phrase.end)
    speaker = resolve(text, phrase, named, antecedents)
    follow = antecedent_for(text, phrase, speaker)
    if follow is not None:
        antecedents.add(follow)
    written = text[phrase.start:phrase.end]
    if speaker is not None and speaker.entity_id is not None and not speaker.source:
        for index in frame.quotes:
            quote = plan.quotes[index]
            confidence = min(speaker.confidence, _TITLE) if frame.kind == "title" else speaker.confidence
            found.append(_make(text, speaker, written, quote.start, quote.end, frame.cue, "direct",
                               confidence, watchlist))
        if frame.content:
            factor = 1.0 if frame.kind in ("clause", "according") else _NOMINAL
            found.append(_make(text, speaker, written, *frame.content, frame.cue, "indirect",
                               speaker.confidence * factor, watchlist))
        if frame.kind == "title":
            return chain
        return _Chain(speaker, written, sentence.paragraph)
    if frame.content and _may_report(plan, frame, speaker):
        entity_id = _reported_entity(plan, frame, antecedents) or (speaker.entity_id if speaker else None)
        if entity_id:
            found.append(Attribution(entity_id, written, None, "source", text[frame.content[0]:frame.content[1]],
                                     frame.content[0], frame.content[1], frame.cue, "report", REPORT))
    return chain if frame.kind == "title" else None


def _named_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start and m.end <= end]


def _may_report(plan: _Plan, frame: Frame, speaker: Speaker | None) -> bool:
    phrase = frame.speaker
    if phrase.is_author or phrase.pronoun in PERSON_PRONOUNS:
        return False
    if speaker is not None and speaker.source:
        return True
    if frame.lemma in ("report", "reveal"):
        return True
    if frame.kind == "according" and phrase.proper:
        # "according to The Information" (a publication), not "according to Jane Doe"
        return not any(m.kind == "other_person" and m.start < phrase.end and phrase.start < m.end
                       for m in plan.others)
    return False


def _reported_entity(plan: _Plan, frame: Frame, antecedents: Antecedents) -> str | None:
    subject = frame.content_subject
    if subject is None:
        return None
    named = _named_in(plan.watched, subject.start, subject.end)
    if named:
        return named[0].entity_id
    if subject.pronoun in COMPANY_PRONOUNS or subject.company_noun:
        m = antecedents.company(subject.start)
        return m.entity_id if m else None
    return None


def _make(text: str, speaker: Speaker, written: str, start: int, end: int, cue: str,
          kind: AttributionKind, confidence: float, watchlist: Watchlist) -> Attribution:
    resolved = speaker.resolved
    if speaker.role == "company":
        resolved = _entity_name(watchlist, speaker.entity_id) or resolved
    return Attribution(speaker.entity_id, written, resolved, speaker.role, text[start:end], start, end,
                       cue, kind, round(confidence, 3))


def _entity_name(watchlist: Watchlist, entity_id: str | None) -> str | None:
    try:
        return watchlist.entity(entity_id).name if entity_id else None
    except KeyError:
        return None


def _continues(plan: _Plan, quote: Quote, sentence: Sentence, chain: _Chain) -> bool:
    """An unattributed quotation opening its sentence (or following a colon),
    in the speaker's paragraph or the next one."""
    if quote.paragraph - chain.paragraph > 1 and not quote.continues:
        return False
    if sentence.index in plan.cue_sentences:
        return False
    lead = plan.text[sentence.start:quote.open_at].strip(" \t—–-([\"“‘")
    return not lead or (lead.endswith(":") and not _people_in(plan, sentence.start, quote.open_at))


def _people_in(plan: _Plan, start: int, end: int) -> list[Mention]:
    return [m for m in plan.watched + plan.others if m.is_person and start <= m.start < end]


def _refresh(plan: _Plan, sentence: Sentence, chain: _Chain) -> None:
    """Narrative about the current speaker alone keeps their quotations coming."""
    people = _people_in(plan, sentence.start, sentence.end)
    if people and all(m.kind == "person" and m.resolved == chain.speaker.resolved for m in people):
        chain.paragraph = sentence.paragraph


def _colon_intro(plan: _Plan, quote: Quote, sentence: Sentence, antecedents: Antecedents) -> _Chain | None:
    """'Doe, the company's founder, is more blunt: “...”' — one watched person
    named before the colon, and no reporting verb."""
    if sentence.index in plan.cue_sentences:
        return None
    lead = plan.text[sentence.start:quote.open_at].rstrip(" \t“\"‘")
    if not lead.endswith(":"):
        return None
    people = _people_in(plan, sentence.start, quote.open_at)
    if len({m.key for m in people}) != 1 or people[0].kind != "person":
        return None
    m = people[0]
    speaker = Speaker(m.entity_id, m.resolved, m.role, _COLON)
    return _Chain(speaker, plan.text[m.start:m.end], sentence.paragraph)


def _from_chain(text: str, quote: Quote, chain: _Chain, watchlist: Watchlist) -> Attribution:
    speaker = chain.speaker
    return _make(text, speaker, chain.written, quote.start, quote.end, "", "direct",
                 speaker.confidence * _CONTINUATION, watchlist)


_POSSESSOR_RE = re.compile(r"(?:(?P<s>[’']s)|\b(?P<p>[Hh]is|[Hh]er|[Ii]ts))\s+(?P<mid>(?:[\w-]+\s+){0,2})$")
_NOUN_AFTER_RE = re.compile(r"[\s,]*(?P<noun>[A-Za-z-]+)")
_POSSESSIVE_NAMED = 0.8
_POSSESSIVE_PRONOUN = 0.65


@dataclass(frozen=True)
class _Possessive:
    """'Zuckerberg’s “...” statement' / 'his “...” remark'."""

    owner_end: int | None  # where the possessor's name ends (before ’s)
    pronoun: str | None
    pronoun_at: int
    noun: str
    noun_after: bool


def _possessive_cue(text: str, quote: Quote) -> _Possessive | None:
    head = _POSSESSOR_RE.search(text, max(0, quote.open_at - 60), quote.open_at)
    if head is None:
        return None
    after = _NOUN_AFTER_RE.match(text, quote.outer_end)
    noun_after = after.group("noun") if after and after.group("noun").lower() in SPEECH_NOUNS else None
    noun_before = next((w for w in head.group("mid").split() if w.lower() in SPEECH_NOUNS), None)
    if noun_after is None and noun_before is None:
        return None
    if head.group("s"):
        return _Possessive(head.start("s"), None, head.start(), noun_after or noun_before, bool(noun_after))
    return _Possessive(None, head.group("p"), head.start(), noun_after or noun_before, bool(noun_after))


def _possessive_quote(plan: _Plan, quote: Quote, owned: _Possessive, antecedents: Antecedents,
                      watchlist: Watchlist) -> Attribution | None:
    text = plan.text
    if owned.owner_end is not None:
        owner = next((m for m in plan.watched if m.end == owned.owner_end), None)
        if owner is None:
            return None
        confidence, written = _POSSESSIVE_NAMED, text[owner.start:owner.end]
    else:
        pronoun = owned.pronoun.lower()
        at = owned.pronoun_at
        owner = antecedents.person(at, pronoun) if pronoun in PERSON_PRONOUNS else antecedents.company(at)
        if owner is None or not owner.watched:
            return None
        confidence, written = _POSSESSIVE_PRONOUN, owned.pronoun
    role = owner.role if owner.kind == "person" else "company"
    resolved = owner.resolved if owner.kind == "person" else _entity_name(watchlist, owner.entity_id)
    return Attribution(owner.entity_id, written, resolved, role, text[quote.start:quote.end],
                       quote.start, quote.end, owned.noun, "direct", confidence)


# --- clean-up -----------------------------------------------------------------

_KIND_RANK = {"direct": 0, "indirect": 1, "report": 2}


def _deduplicate(found: list[Attribution]) -> list[Attribution]:
    """One attribution per stretch of text: a span inside a longer one of the same
    entity goes, unless it is a direct quotation covering most of it."""
    ordered = sorted(found, key=lambda a: (a.start, -(a.end - a.start), _KIND_RANK[a.kind]))
    kept: list[Attribution] = []
    for a in ordered:
        if not a.text.strip():
            continue
        clash = next((k for k, b in enumerate(kept) if b.entity_id == a.entity_id
                      and a.start < b.end and b.start < a.end), None)
        if clash is None:
            kept.append(a)
            continue
        b = kept[clash]
        if _prefer(a, b):
            kept[clash] = a
    return sorted(kept, key=lambda a: (a.start, a.end, a.entity_id))


def _prefer(a: Attribution, b: Attribution) -> bool:
    overlap = min(a.end, b.end) - max(a.start, b.start)
    longer = max(a.end - a.start, b.end - b.start)
    if overlap >= 0.8 * longer:
        return (_KIND_RANK[a.kind], -a.confidence) < (_KIND_RANK[b.kind], -b.confidence)
    return (a.end - a.start) > (b.end - b.start)
