"""Attribution: the words in an article that watched companies and their people
said (directly, indirectly, or as reported by others), with exact offsets.

Plain scanning finds paragraphs, quotations, sentences and names over the whole
text; only sentences with a reporting cue and a watched name (or a pronoun or
role that may point back to one) go through the dependency parser, with long
quotations swapped for a short stand-in. From the parse come frames: a cue
("said", "according to", "wrote a post entitled", "reportedly"), its speaker
phrase and what was said (quotations or the reported clause/object).

A speaker maps to a watched entity by a person's full or last name, a company
name or alias, a role tied to one ("a spokesperson for Meta", "Meta's CEO",
"Bob Lee, Globex's head of policy"), or an anaphor: he/she -> the last person
named as a subject or speaker (gender-checked when known), it/the company/the
spokesperson/executives -> the last company named. Anonymous sources ("people
familiar with the matter", "reports", "reportedly", "Bloomberg reported") give
kind "report" for the watched subject of what they report. Unattributed
quotations that follow a speaker's quotation continue it. Anyone else (an
analyst, the author's "I") is dropped.

Confidence: 0.9 named speaker (0.85 role + company), 0.75 pronoun or "the
company", 0.7 a bare role, 0.8 titles and possessives ("X's “...” statement"),
x0.9 for a continued quotation or a nominal content ("reiterated its
commitment to ..."), x0.8 for belief verbs, 0.6 "X's statements suggest",
0.5 reports.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from extractors.attribution._frames import Frame, read_frames
from extractors.attribution._lexicon import (
    AUTHOR_PRONOUNS,
    COMPANY_PRONOUNS,
    MENTAL_LEMMAS,
    PERSON_PRONOUNS,
    has_anaphor,
    has_cue,
    words_of,
)
from extractors.attribution._mentions import (
    Mention,
    WatchIndex,
    infer_genders,
    other_mentions,
    watch_index,
)
from extractors.attribution._parse import ParseInput, build_parse_input, trim_span
from extractors.attribution._possessive import Possessive, possessive_cue, possessor
from extractors.attribution._speaker import (
    REPORT,
    Antecedents,
    Speaker,
    antecedent_for,
    resolve,
)
from extractors.attribution._text import (
    Paragraph,
    Quote,
    Sentence,
    outside_quotes,
    scan_quotes,
    split_paragraphs,
    split_sentences,
)
from storage.records import Watchlist

__all__ = ["Attribution", "find_attributions", "find_attributions_many"]

AttributionKind = Literal["direct", "indirect", "report"]

_CONTINUATION = 0.9  # factor on the speaker's confidence for an unattributed follow-on quote
_TITLE = 0.8
_COLON = 0.6  # "Doe is more blunt: “...”"
_MENTAL = 0.8  # "X believes that ...": a reading of X's mind
_NOMINAL = 0.9  # factor for object/to-infinitive/preposition contents
_ANAPHOR_WINDOW = 5000  # a pronoun may refer to a watched name this many characters back
_BATCH = 64  # 256 parses barely faster and holds ~4x the memory (115 MB vs 33 MB peak)


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
            from extractors.attribution._nlp import load_nlp

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
    sentence_starts: list[int] = field(default_factory=list)
    watched: list[Mention] = field(default_factory=list)
    others: list[Mention] = field(default_factory=list)
    people: list[Mention] = field(default_factory=list)  # watched and other people, in order
    people_at: list[int] = field(default_factory=list)  # their start offsets
    cue_sentences: set[int] = field(default_factory=set)
    possessive: dict[int, Possessive] = field(default_factory=dict)
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
    plan.sentence_starts = [s.start for s in plan.sentences]
    plan.watched = _with_salience(text, plan.sentences, _outside_quotes(watched, plan.quotes))
    others = _outside_quotes(other_mentions(text, plan.paragraphs, watched), plan.quotes)
    plan.others = _with_salience(text, plan.sentences, others)
    plan.people = sorted((m for m in plan.watched + plan.others if m.is_person), key=lambda m: m.start)
    plan.people_at = [m.start for m in plan.people]
    named_at = sorted(m.start for m in plan.watched + _affiliated(plan))
    for quote in plan.quotes:
        owned = possessive_cue(text, quote) if quote.is_statement_sized else None
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
            names = tuple((m.start, m.end) for m in plan.watched if sentence.start <= m.start < sentence.end)
            plan.parse_inputs.append(build_parse_input(text, sentence, plan.quotes, modifiers, names))
    return plan


_POSSESSIVE_AFTER_RE = re.compile(r"[’']s?\b")


def _with_salience(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """Mark names that open their sentence (its likely subject) as salient:
    a bare "it" needs a salient company, "he" prefers a salient person."""
    starts = [s.start for s in sentences]
    marked = []
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        lead = text[starts[k]:m.start] if k >= 0 else text[:m.start]
        salient = len(lead.split()) <= 3
        if m.kind in ("company", "other_org"):
            salient = salient and not _POSSESSIVE_AFTER_RE.match(text, m.end)
        marked.append(replace(m, salient=salient) if not salient else m)
    return marked


def _affiliated(plan: _Plan) -> list[Mention]:
    """Unwatched people named in a sentence with a watched company ("Kym Lino,
    a spokesperson for Instagram"), and their later mentions ("Lino said"):
    they may speak for it, so their sentences are parsed too."""
    companies = [m.start for m in plan.watched if m.kind == "company"]
    keys = set()
    for m in plan.others:
        if m.kind == "other_person" and m.key:
            s = _sentence_of(plan, m.start)
            if s is not None and _named_between(companies, s.start, s.end):
                keys.add(m.key)
    return [m for m in plan.others if m.kind == "other_person" and m.key in keys]


def _sentence_of(plan: _Plan, pos: int) -> Sentence | None:
    k = bisect.bisect_right(plan.sentence_starts, pos) - 1
    return plan.sentences[k] if k >= 0 and pos < plan.sentences[k].end else None


def _outside_quotes(mentions: list[Mention], quotes: list[Quote]) -> list[Mention]:
    """Names inside quotations are the speaker's words, not antecedents."""
    starts = [q.start for q in quotes]
    kept = []
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        if k < 0 or m.start >= quotes[k].end:
            kept.append(m)
    return kept


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
    blanked = outside_quotes(text, 0, len(text), plan.quotes)
    antecedents = Antecedents(plan.watched + plan.others, infer_genders(text, plan.people, blanked))
    found: list[Attribution] = []
    claimed: set[int] = set()
    chain: _Chain | None = None
    quotes_by_sentence = _quotes_by_sentence(plan)
    for sentence in plan.sentences:
        for quote in quotes_by_sentence.get(sentence.index, ()):
            if quote.index in plan.possessive:
                claimed.add(quote.index)
                owner = possessor(text, plan.possessive[quote.index], plan.watched, antecedents)
                if owner:
                    found.append(_owned_quote(text, quote, plan.possessive[quote.index].noun, *owner, watchlist))
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
    found.extend(_headline_claims(plan, watchlist))
    found.extend(_quoted_reporting(plan))
    return _deduplicate(found)


_BLOCK_INTRO_RE = re.compile(
    r"(?:As\s+)?(?P<who>[^:]{2,80}?)\s+(?P<cue>reports|reported|writes|wrote|notes|noted|explains|explained)"
    r"\b[^:]{0,80}:"
)


def _quoted_reporting(plan: _Plan) -> list[Attribution]:
    """'As Eli Tan reports for The New York Times:' and then his paragraph,
    set off without quotation marks: its sentences that open with a watched
    name (and carry no reporting verb of their own) are reports."""
    found = []
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in plan.sentences:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    for para in plan.paragraphs[:-1]:
        intro = _BLOCK_INTRO_RE.fullmatch(plan.text, para.start, para.end)
        if not intro or intro.group("who").split()[-1].lower() in AUTHOR_PRONOUNS:
            continue
        for sentence in by_paragraph.get(para.index + 1, ()):
            if sentence.index in plan.cue_sentences or plan.text[sentence.start] in "\"“‘":
                continue
            opener = next((m for m in plan.watched if sentence.start <= m.start < sentence.end
                           and len(plan.text[sentence.start:m.start].split()) <= 3), None)
            span = trim_span(plan.text, sentence.start, sentence.end)
            if opener and span:
                found.append(Attribution(opener.entity_id, intro.group("who"), None, "source",
                                         plan.text[span[0]:span[1]], span[0], span[1], intro.group("cue"),
                                         "report", REPORT))
    return found


_HEADLINE_RE = re.compile(r"(?P<lead>[^:\n]{1,60}?)\s*:\s+(?P<claim>\S.*)")
_HEADLINE = 0.6  # "Zuckerberg: Meta Won't Open Source All AI Models"
_HEADLINE_WORDS = 25


def _headline_claims(plan: _Plan, watchlist: Watchlist) -> list[Attribution]:
    """A short paragraph 'Speaker: claim', the headline way of quoting someone."""
    found = []
    for para in plan.paragraphs:
        body = plan.text[para.start:para.end]
        match = _HEADLINE_RE.fullmatch(body)
        if not match or len(body.split()) > _HEADLINE_WORDS or len(match.group("claim").split()) < 3:
            continue
        lead_end = para.start + match.end("lead")
        speaker = next((m for m in plan.watched if m.end == lead_end and m.start >= para.start), None)
        if speaker is None or len(match.group("lead").split()) > 6:
            continue
        start, end = para.start + match.start("claim"), para.end
        role = speaker.role if speaker.kind == "person" else "company"
        resolved = speaker.resolved if speaker.kind == "person" else _entity_name(watchlist, speaker.entity_id)
        found.append(Attribution(speaker.entity_id, plan.text[speaker.start:speaker.end], resolved, role,
                                 plan.text[start:end], start, end, ":", "indirect", _HEADLINE))
    return found


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
    phrase, speaker = _speaker_of(plan, frame, frame.speaker, antecedents)
    if frame.alternative is not None and (speaker is None or speaker.entity_id is None):
        # the parse's subject names nobody watched, but a watched name stands right before the cue
        phrase, speaker = _speaker_of(plan, frame, frame.alternative, antecedents)
    antecedents.remember(phrase, speaker)
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
        if frame.content and _content_counts(frame):
            factor = 1.0 if frame.kind in ("clause", "according") else _NOMINAL
            if frame.lemma in MENTAL_LEMMAS:
                factor *= _MENTAL
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


def _speaker_of(plan: _Plan, frame: Frame, phrase, antecedents: Antecedents):
    named = _named_in(plan.watched, phrase.start, phrase.end)
    if any(m.start < phrase.start or m.end > phrase.end for m in named):
        # the parser cut a name ("Wilson - Raybould"): the phrase takes all of it
        phrase = replace(phrase, start=min(phrase.start, *(m.start for m in named)),
                         end=max(phrase.end, *(m.end for m in named)))
    return phrase, resolve(plan.text, phrase, named, antecedents, frame.content)


def _content_counts(frame: Frame) -> bool:
    """A bare "it" speaks for a company only in a reported clause ("it said the
    plant will close"), not as the subject of "it confirms the belief"."""
    if frame.speaker.pronoun not in COMPANY_PRONOUNS:
        return True
    return frame.kind in ("clause", "according") and frame.lemma not in MENTAL_LEMMAS


def _named_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """Watched names overlapping a phrase."""
    return [m for m in mentions if m.start < end and start < m.end]


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


def _owned_quote(text: str, quote: Quote, noun: str, owner: Mention, written: str, confidence: float,
                 watchlist: Watchlist) -> Attribution:
    role = owner.role if owner.kind == "person" else "company"
    resolved = owner.resolved if owner.kind == "person" else _entity_name(watchlist, owner.entity_id)
    return Attribution(owner.entity_id, written, resolved, role, text[quote.start:quote.end],
                       quote.start, quote.end, noun, "direct", confidence)


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
    k = bisect.bisect_left(plan.people_at, start)
    found = []
    while k < len(plan.people) and plan.people[k].start < end:
        found.append(plan.people[k])
        k += 1
    return found


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
