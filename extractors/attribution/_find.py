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

Narrated actions (kind "action", read only when an `actions` test is given,
and only in sentences it accepts): a watched company, person or product as the
subject of a verb of doing, deciding or planning ("Acme will no longer offer
...", "the company has abandoned its plans to ..."). 0.8 with the name as
subject, 0.7 through "it"/"the company"/"its app", 0.7 for a product the
company owns or a thing it makes ("every car it sells should be ..."), 0.6 for
a passive with no agent, an epithet, or a plan with no possessor changing ("the
update will not be moving forward"): the company named just before; an action
never displaces a quotation, reported speech or a report of the same words.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from extractors.attribution._actions import ActionFrame, read_actions
from extractors.attribution._frames import Frame, read_frames
from extractors.attribution._lexicon import (
    AUTHOR_PRONOUNS,
    COMPANY_PRONOUNS,
    MENTAL_LEMMAS,
    PERSON_PRONOUNS,
    PLAN_NOUNS,
    has_action_word,
    has_anaphor,
    has_cue,
    opens_with_plan,
    words_of,
)
from extractors.attribution._mentions import (
    Mention,
    WatchIndex,
    infer_genders,
    other_mentions,
    watch_index,
)
from extractors.attribution._parse import ParseInput, build_parse_input, sentence_cased, trim_span
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

AttributionKind = Literal["direct", "indirect", "report", "own", "action"]
ActionFilter = Callable[[str], bool]

_CONTINUATION = 0.9  # factor on the speaker's confidence for an unattributed follow-on quote
_TITLE = 0.8
_COLON = 0.6  # "Doe is more blunt: “...”"
_MENTAL = 0.8  # "X believes that ...": a reading of X's mind
_NOMINAL = 0.9  # factor for object/to-infinitive/preposition contents
_ANAPHOR_WINDOW = 5000  # a pronoun may refer to a watched name this many characters back
_BATCH = 64  # 256 parses barely faster and holds ~4x the memory (115 MB vs 33 MB peak)
_ACTION_NAMED = 0.8
_ACTION_ANAPHOR = 0.7
_ACTION_REACH = 1500  # "the company" / "it" as subject: a watched name this many characters back
_ACTION_IMPLIED = 0.6  # a passive with no agent, or an epithet: the company named just before
_IMPLIED_REACH = 600
_PLAN_CONTEXT = 2  # sentences before "That target will now be ..." that may name the plan (as statements read)


@dataclass(frozen=True)
class Attribution:
    entity_id: str
    speaker: str  # as written: "a Meta spokesperson", "he", "Markov"
    speaker_resolved: str | None  # the person, role or company meant
    speaker_role: str | None  # CEO, spokesperson, company, source ...
    text: str  # exactly text[start:end]
    start: int
    end: int
    cue: str  # "said", "according to", "wrote a long post entitled", "statement"
    kind: AttributionKind
    confidence: float


def find_attributions(text: str, watchlist: Watchlist, *, nlp=None,
                      actions: ActionFilter | None = None) -> list[Attribution]:
    """Statements of watched entities in one text, ordered by start offset."""
    return find_attributions_many([text], watchlist, nlp=nlp, actions=actions)[0]


def find_attributions_many(
    texts: Sequence[str], watchlist: Watchlist, *, nlp=None, batch_size: int = _BATCH,
    actions: ActionFilter | None = None,
) -> list[list[Attribution]]:
    """find_attributions over many texts, parsing all their candidate sentences
    in shared batches (faster than one call per text).

    `actions`: a test of a sentence's text (e.g. "is it on a watched topic?");
    the sentences it accepts are also read for narrated actions. None: none are.
    """
    index = watch_index(watchlist)
    # Zero-width characters read as spaces (same length, so offsets hold): "Globex, \u200bsaid".
    plans = [_plan(text.translate(_INVISIBLE), index, actions) for text in texts]
    jobs = [(plan, parse_input) for plan in plans for parse_input in plan.parse_inputs]
    if jobs:
        if nlp is None:
            from extractors.attribution._nlp import load_nlp

            nlp = load_nlp()
        docs = nlp.pipe((pi.text for _, pi in jobs), batch_size=batch_size)
        for (plan, parse_input), doc in zip(jobs, docs):
            k = parse_input.sentence.index
            if k in plan.framed:
                plan.frames[k] = read_frames(plan.text, doc, parse_input)
            if k in plan.action_sentences:
                plan.actions[k] = read_actions(plan.text, doc, parse_input)
    found = [_assemble(plan, watchlist) for plan in plans]
    return [[a if a.text == text[a.start:a.end] else replace(a, text=text[a.start:a.end]) for a in attributions]
            for text, attributions in zip(texts, found)]


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
    framed: set[int] = field(default_factory=set)  # cue sentences parsed for reporting frames
    action_sentences: set[int] = field(default_factory=set)
    actions: dict[int, list[ActionFrame]] = field(default_factory=dict)


def _plan(text: str, index: WatchIndex, actions: ActionFilter | None = None) -> _Plan:
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
    watched_at = [m.start for m in plan.watched]
    # blanked once, sliced per sentence: each sentence against every quotation is quadratic in length
    blanked = outside_quotes(text, 0, len(text), plan.quotes)
    quote_starts = [q.start for q in plan.quotes]
    for sentence in plan.sentences:
        words = words_of(blanked[sentence.start:sentence.end])
        cue = has_cue(words) and _may_speak(words, named_at, sentence)
        if has_cue(words):
            plan.cue_sentences.add(sentence.index)
        action = actions is not None and _may_act(plan, words, watched_at, sentence, actions)
        if action:
            plan.action_sentences.add(sentence.index)
        if cue:
            plan.framed.add(sentence.index)
        if cue or action:
            parse_input = _parse_input(plan, sentence, watched_at, quote_starts, modifiers)
            plan.parse_inputs.append(parse_input if cue else sentence_cased(parse_input))
    return plan


def _parse_input(plan: _Plan, sentence: Sentence, watched_at: list[int], quote_starts: list[int],
                 modifiers: frozenset[int]) -> ParseInput:
    """The sentence to parse, given only the names, quotations and possessive quotations inside it
    (found by bisection: the article's whole lists, per sentence, made planning quadratic in length)."""
    first, last = bisect.bisect_left(watched_at, sentence.start), bisect.bisect_left(watched_at, sentence.end)
    names = tuple((m.start, m.end) for m in plan.watched[first:last])
    near = plan.quotes[bisect.bisect_left(quote_starts, sentence.start):bisect.bisect_left(quote_starts, sentence.end)]
    return build_parse_input(plan.text, sentence, near, modifiers.intersection(q.index for q in near), names)


def _may_speak(words: frozenset[str], named_at: list[int], sentence: Sentence) -> bool:
    return _named_between(named_at, sentence.start, sentence.end) or (
        has_anaphor(words) and _named_between(named_at, sentence.start - _ANAPHOR_WINDOW, sentence.start))


def _may_act(plan: _Plan, words: frozenset[str], watched_at: list[int], sentence: Sentence,
             actions: ActionFilter) -> bool:
    """A verb of doing, a watched name here or shortly before (further back with an
    anaphor), and the caller's test (the topic) on the sentence."""
    if not has_action_word(words) and not ("now" in words and not PLAN_NOUNS.isdisjoint(words)):
        return False  # no verb of doing, nor a plan that "will now be" something else
    reach = _ACTION_REACH if has_anaphor(words) else _IMPLIED_REACH
    named = _named_between(watched_at, sentence.start - reach, sentence.end)
    text = plan.text[sentence.start:sentence.end]
    if named and opens_with_plan(text) and sentence.index > 0:  # "That target will now be ...": the plan before
        before = plan.sentences[max(0, sentence.index - _PLAN_CONTEXT):sentence.index]
        return actions(plan.text[before[0].start:before[-1].end]) or actions(text)
    return named and actions(text)


_INVISIBLE = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", " "))
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
    acted: list[tuple[Attribution, int]] = []  # narrated actions and where their verbs are
    chain: _Chain | None = None
    quotes_by_sentence = _quotes_by_sentence(plan)
    for sentence in plan.sentences:
        _take_possessives(plan, quotes_by_sentence.get(sentence.index, ()), antecedents, watchlist, found, claimed)
        for frame in sorted(plan.frames.get(sentence.index, ()), key=lambda f: f.cue_start):
            claimed.update(frame.quotes)
            chain = _take_frame(plan, frame, sentence, antecedents, watchlist, found, chain)
        for action in plan.actions.get(sentence.index, ()):
            attribution = _action(plan, action, antecedents, watchlist)
            if attribution is not None:
                acted.append((attribution, action.cue_start))
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
    kept = _deduplicate(found)
    return sorted(kept + _actions_beside(acted, kept), key=lambda a: (a.start, a.end, a.entity_id))


def _actions_beside(actions: list[tuple[Attribution, int]], spoken: list[Attribution]) -> list[Attribution]:
    """Narrated actions that neither repeat nor displace what the company said: an
    action whose verb lies in the company's quotation, speech or report is that
    report's content ("Acme dropped it, a spokesperson said") and goes; one beside a
    short quotation or an aside ("ditched its “always the lowest price” pledge,
    which it said ...") stays beside them; one attribution per (company, sentence)."""
    kept: dict[tuple[str, int], Attribution] = {}
    for a, verb_at in actions:
        if not any(b.entity_id == a.entity_id and b.start <= verb_at < b.end for b in spoken):
            kept.setdefault((a.entity_id, a.start), a)
    return list(kept.values())


def _take_possessives(plan: _Plan, quotes: Sequence[Quote], antecedents: Antecedents, watchlist: Watchlist,
                      found: list[Attribution], claimed: set[int]) -> None:
    """'Markov's “...” statement': the quotation is its possessor's."""
    for quote in quotes:
        if quote.index in plan.possessive:
            claimed.add(quote.index)
            owner = possessor(plan.text, plan.possessive[quote.index], plan.watched, antecedents)
            if owner:
                found.append(_owned_quote(plan.text, quote, plan.possessive[quote.index].noun, *owner, watchlist))


# --- narrated actions -------------------------------------------------------------

# Who may be the subject of a company's possession without being the company acting:
# "Acme's rivals dropped ...", "its shares fell", "the company's critics".
_NOT_THE_COMPANY = frozenset({
    "rival", "rivals", "competitor", "competitors", "critic", "critics", "customer", "customers", "user",
    "users", "client", "clients", "investor", "investors", "shareholder", "shareholders", "partner",
    "partners", "supplier", "suppliers", "regulator", "regulators", "union", "unions", "share", "shares",
    "stock", "stocks", "price", "fans", "fan", "peers", "peer", "owner", "owners", "subscribers",
    "advertisers", "developers", "creators", "drivers", "workers", "employees", "staff", "lawyers",
    "board", "members", "sources", "people",
})


def _action(plan: _Plan, action: ActionFrame, antecedents: Antecedents, watchlist: Watchlist) -> Attribution | None:
    """The watched company (or person) an action's subject stands for, as an attribution."""
    subject = action.subject
    named = _named_in(plan.watched, subject.start, subject.end)
    doer = _actor(plan, action, named, antecedents)
    if doer is None or not _counts_for(action, doer[2], subject, named):
        return None
    entity_id, resolved, role, confidence = doer
    for m in named:
        if m.kind == "company" and m.start <= subject.head_start < m.end:
            antecedents.add(replace(m, salient=True))  # the subject of a deed: what a later "it" means
    if role == "company":
        resolved = _entity_name(watchlist, entity_id) or resolved
    start, end = action.span
    return Attribution(entity_id, plan.text[subject.start:subject.end], resolved, role, plan.text[start:end],
                       start, end, action.cue, "action", confidence)


def _counts_for(action: ActionFrame, role: str | None, subject, named: list[Mention]) -> bool:
    """A company acts in any way; its people by deciding, planning, a future or a
    negation ("the CEO decided to end ...", "will no longer ..."): their other deeds
    are their own ("returned to England in 2016", "keeps retweeting posts"); its
    product by changing ("Acme's free tier will be discontinued", not "Acme's model
    offers ...")."""
    if role == "company":
        if named and not any(m.start <= subject.head_start < m.end for m in named) and not subject.company_noun:
            return action.changes or action.passive  # the company's product, not the company
        return True
    return action.intended


def _actor(plan: _Plan, action: ActionFrame, named: list[Mention], antecedents: Antecedents):
    """(entity, resolved, role, confidence) of the one acting, or None."""
    subject = action.subject
    if subject.speech_noun and not (action.passive and subject.head in PLAN_NOUNS and action.changes):
        return None  # "Acme's announcement increased ...": words, not deeds ("the pledge was dropped" is one)
    if action.maker is not None and not named and not subject.pronoun and not subject.proper:
        return _maker_company(plan, action.maker, antecedents)
    owner = _product_owner(plan, subject, named, antecedents)
    if owner is not None:
        return owner
    if subject.pronoun in PERSON_PRONOUNS or subject.pronoun in COMPANY_PRONOUNS or subject.company_noun or named:
        speaker = resolve(plan.text, subject, named, antecedents)
        if speaker is None or speaker.entity_id is None or speaker.source:
            return None
        confidence = _ACTION_NAMED if named else _ACTION_ANAPHOR
        return speaker.entity_id, speaker.resolved, speaker.role, confidence
    if action.epithet or (action.passive and not subject.proper and not subject.pronoun):
        return _implied_company(plan, subject, action, antecedents)
    if _plan_changing(plan, action):
        return _implied_company(plan, subject, action, antecedents)
    return None


_PROCEEDING = frozenset({"move", "continue", "begin", "start"})  # "the update will not be moving forward"


def _plan_changing(plan: _Plan, action: ActionFrame) -> bool:
    """'The update will not be moving forward', 'that target will now be one-third': a plan,
    policy or product (no possessor) changing, not told as history, with nobody named beside
    its subject (a company or person named there is the doer or the one done to: "the new
    rule will require Acme to ...")."""
    subject = action.subject
    if subject.head not in PLAN_NOUNS or subject.proper or subject.possessor or subject.possessor_pronoun:
        return False
    if action.past or not (action.imposed or action.lemma in _PROCEEDING):
        return False
    start, end = action.span
    first, last = action.subject_reach
    return not any(not first <= m.start < last for m in _starting_in(plan.watched, start, end) + _starting_in(
        plan.others, start, end))


def _starting_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The mentions (in text order) that start inside [start, end), by bisection."""
    return mentions[bisect.bisect_left(mentions, start, key=lambda m: m.start):
                    bisect.bisect_left(mentions, end, key=lambda m: m.start)]


def _maker_company(plan: _Plan, maker, antecedents: Antecedents):
    """'every car it sells', 'the products Acme makes': the company that makes or sells the subject."""
    named = _named_in(plan.watched, maker.start, maker.end)
    if not (maker.pronoun in COMPANY_PRONOUNS or maker.company_noun or named):
        return None
    speaker = resolve(plan.text, maker, named, antecedents)
    if speaker is None or speaker.entity_id is None or speaker.source or speaker.role != "company":
        return None
    return speaker.entity_id, speaker.resolved, "company", _ACTION_NAMED if named else _ACTION_ANAPHOR


def _implied_company(plan: _Plan, subject, action: ActionFrame, antecedents: Antecedents):
    """'The world's largest asset manager applied for ...' and 'Customers will now be
    charged' (a passive with no agent): the company named just before, if watched."""
    m = antecedents.company(subject.start)
    if m is None or not m.watched or m.kind != "company" or subject.start - m.end > _IMPLIED_REACH:
        return None
    plan_changed = subject.head in PLAN_NOUNS and action.changes  # "the original pledge was removed"
    if action.passive and (action.past or not action.imposed or action.counted) and not plan_changed:
        # "the ban was struck down" (history), "14,000 reviews have been published" (anyone's doing)
        return None
    return m.entity_id, m.resolved, "company", _ACTION_IMPLIED


def _product_owner(plan: _Plan, subject, named: list[Mention], antecedents: Antecedents):
    """'Acme's free tier', 'its app', 'the Acme app': the company's product does what the company does."""
    if subject.head in _NOT_THE_COMPANY or subject.role or subject.pronoun or subject.speech_noun:
        return None  # "its rivals", "Acme's CEO" (a person: resolved as one), "Acme's announcement"
    head_named = any(m.start <= subject.head_start < m.end for m in named)
    if head_named:
        return None  # the company itself (or its person): not a product
    owners = [m for m in named if m.end <= subject.head_start]
    if subject.possessor is not None:
        owners = [m for m in owners if subject.possessor[0] <= m.start and m.end <= subject.possessor[1]]
    if owners:
        owner = owners[-1]
        return owner.entity_id, owner.resolved, "company" if owner.kind == "company" else owner.role, _ACTION_ANAPHOR
    if subject.possessor_pronoun in COMPANY_PRONOUNS:
        company = antecedents.company(subject.start, salient=True)
        if company is not None and company.watched and company.kind == "company":
            return company.entity_id, company.resolved, "company", _ACTION_ANAPHOR
    return None


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
            if opener and opener.entity_id and span:  # plan.watched: every one has an entity
                found.append(Attribution(opener.entity_id, intro.group("who"), None, "source",
                                         plan.text[span[0]:span[1]], span[0], span[1], intro.group("cue"),
                                         "report", REPORT))
    return found


_HEADLINE_RE = re.compile(r"(?P<lead>[^:\n]{1,60}?)\s*:\s+(?P<claim>\S.*)")
_HEADLINE = 0.6  # "Markov: Acme Won't Open Its Models"
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
        if speaker is None or speaker.entity_id is None or len(match.group("lead").split()) > 6:
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
            found.append(_make(text, speaker, written, (quote.start, quote.end), frame.cue, "direct",
                               confidence, watchlist))
        if frame.content and _content_counts(frame):
            factor = 1.0 if frame.kind in ("clause", "according") else _NOMINAL
            if frame.lemma in MENTAL_LEMMAS:
                factor *= _MENTAL
            found.append(_make(text, speaker, written, frame.content, frame.cue, "indirect",
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
    """Watched names overlapping a phrase. `mentions` are in text order without overlap (a regex
    scan), so their ends ascend too: bisection, not a scan of every name per phrase."""
    lo = bisect.bisect_right(mentions, start, key=lambda m: m.end)
    hi = bisect.bisect_left(mentions, end, key=lambda m: m.start)
    return [m for m in mentions[lo:hi] if m.start < end and start < m.end]


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


def _make(text: str, speaker: Speaker, written: str, span: tuple[int, int], cue: str,
          kind: AttributionKind, confidence: float, watchlist: Watchlist) -> Attribution:
    if speaker.entity_id is None:
        raise ValueError("an attribution needs a watched speaker")  # callers pass watched speakers only
    start, end = span
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
    if owner.entity_id is None:
        raise ValueError("a quotation's owner must be watched")  # possessor() returns watched owners only
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
    return _make(text, speaker, chain.written, (quote.start, quote.end), "", "direct",
                 speaker.confidence * _CONTINUATION, watchlist)


# --- clean-up -----------------------------------------------------------------

_KIND_RANK = {"direct": 0, "indirect": 1, "report": 2, "action": 3, "own": 4}


def _deduplicate(found: list[Attribution]) -> list[Attribution]:
    """One attribution per stretch of text: a span inside a longer one of the same
    entity goes, unless it is a direct quotation covering most of it."""
    ordered = sorted(found, key=lambda a: (a.start, -(a.end - a.start), _KIND_RANK[a.kind]))
    kept: list[Attribution] = []
    reaching: dict[str, deque[int]] = {}  # per entity, in keeping order: kept spans that may reach later ones
    for a in ordered:
        if not a.text.strip():
            continue
        open_spans = reaching.setdefault(a.entity_id, deque())
        clash = _first_reaching(open_spans, kept, a.start)
        if clash is None:
            open_spans.append(len(kept))
            kept.append(a)
            continue
        b = kept[clash]
        if _prefer(a, b):
            kept[clash] = a
    return sorted(kept, key=lambda a: (a.start, a.end, a.entity_id))


def _first_reaching(open_spans: deque[int], kept: list[Attribution], start: int) -> int | None:
    """The first kept span (in keeping order) of the entity that overlaps one beginning at `start`.
    Spans come in start order, so every kept one began at or before `start` and overlaps exactly
    when it ends after it; one that ends before never overlaps a later span and is dropped for good
    (linear, where comparing each span with all kept ones was quadratic in article length)."""
    while open_spans and kept[open_spans[0]].end <= start:
        open_spans.popleft()
    return open_spans[0] if open_spans else None


def _prefer(a: Attribution, b: Attribution) -> bool:
    overlap = min(a.end, b.end) - max(a.start, b.start)
    longer = max(a.end - a.start, b.end - b.start)
    if overlap >= 0.8 * longer:
        return (_KIND_RANK[a.kind], -a.confidence) < (_KIND_RANK[b.kind], -b.confidence)
    return (a.end - a.start) > (b.end - b.start)
