"""Who a speaker phrase stands for: a watched person, a watched company (by
name, role or anaphor), an anonymous source, or nobody we watch."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extractors.attribution._lexicon import (
    ANAPHORIC_ROLES,
    COMPANY_NOUNS,
    COMPANY_PRONOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
)
from extractors.attribution._mentions import Mention, MentionKind
from extractors.attribution._phrase import Phrase

# How sure an attribution is, by how the speaker was found.
NAMED = 0.9  # a watched name, or a role tied to a watched name
ROLE_NAMED = 0.85
TITLED = 0.75  # a named person with the company's title that is no spokesperson role
FIELDED = 0.8  # that person again by surname ("Lino said")
ANAPHOR = 0.75  # he/she/it/the company/the spokesperson
ROLE_ANAPHOR = 0.7
SPEECH_NOUN = 0.6  # "Markov's recent statements suggest ..."
REPORT = 0.5  # anonymous sources, reports, insiders

_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_PERSON_REACH = 6000
_LEARN_REACH = 200  # characters back a he/she may reach
_COMPANY_REACH = 3000
_COMPANY_PHRASE_RE = re.compile(
    r"^(?:the|this|that|its|our)\s+(?:[\w-]+\s+){0,3}(?:" + "|".join(sorted(COMPANY_NOUNS)) + r")$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Speaker:
    entity_id: str | None  # None: not watched (the statement is dropped unless a report)
    resolved: str | None  # "Lena Markov", "spokesperson", "Meta"
    role: str | None  # CEO, spokesperson, company, source ...
    confidence: float
    source: bool = False  # anonymous/documentary source: may carry a report


class Antecedents:
    """Named people and companies in reading order, for he/she/it/the company."""

    def __init__(self, mentions: list[Mention], genders: dict[str, str] | None = None) -> None:
        self._items = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self._items]
        self._genders = genders or {}
        self._fielded: dict[str, Speaker] = {}  # surname -> an unwatched person a company fields

    def add(self, mention: Mention) -> None:
        k = bisect.bisect_right(self._starts, mention.start)
        self._items.insert(k, mention)
        self._starts.insert(k, mention.start)

    def _before(self, pos: int):
        k = bisect.bisect_left(self._starts, pos)
        for j in range(k - 1, -1, -1):
            yield self._items[j]

    def person(self, pos: int, pronoun: str | None = None, skip: tuple[int, int] | None = None) -> Mention | None:
        """The person a he/she refers to: the last one named as a subject or
        speaker (else the last one named), of the pronoun's gender when both
        are known; names inside `skip` (the statement itself) do not count."""
        wanted = _PRONOUN_GENDER.get(pronoun or "")
        fallback = None
        for m in self._before(pos):
            if pos - m.start > _PERSON_REACH:
                break
            if not m.is_person or (skip and skip[0] <= m.start < skip[1]):
                continue
            known = self._genders.get(m.key or "")
            if wanted and known and known != wanted:
                continue
            if m.salient:
                return self._learn(m, wanted, known, pos)
            if fallback is None:
                fallback = m
        return self._learn(fallback, wanted, None, pos) if fallback else None

    def _learn(self, m: Mention, wanted: str | None, known: str | None, pos: int) -> Mention:
        if wanted and not known and m.key and pos - m.end < _LEARN_REACH:
            self._genders[m.key] = wanted  # "he said" right after Ortiz: Ortiz is a he
        return m

    def company(self, pos: int, *, salient: bool = False) -> Mention | None:
        """The company last named; a watched person stands for their company
        only when no company was named closer. A bare "it" needs a salient one."""
        fallback = None
        for m in self._before(pos):
            if pos - m.start > _COMPANY_REACH:
                break
            if m.kind in ("company", "other_org"):
                if salient and not m.salient:
                    continue
                return m
            if fallback is None and m.kind == "person" and not salient:
                fallback = m
        return fallback

    def remember(self, phrase: Phrase, speaker: Speaker | None) -> None:
        """'Kym Lino, a spokesperson for Instagram' makes a later 'Lino said' Instagram's."""
        if speaker and speaker.entity_id and phrase.person_name and speaker.role not in (None, "company", "source"):
            if speaker.resolved == phrase.person_name:
                self._fielded[phrase.person_name.split()[-1]] = Speaker(
                    speaker.entity_id, speaker.resolved, speaker.role, FIELDED)

    def fielded(self, phrase: Phrase) -> Speaker | None:
        return self._fielded.get(phrase.person_name.split()[-1]) if phrase.person_name else None

    def latest(self, pos: int) -> Mention | None:
        for m in self._before(pos):
            return m if pos - m.start <= _COMPANY_REACH else None
        return None


def resolve(text: str, phrase: Phrase, named: list[Mention], antecedents: Antecedents,
            statement: tuple[int, int] | None = None) -> Speaker | None:
    """The watched speaker a phrase refers to; None when nobody watched speaks.

    `named` are the watched mentions inside the phrase's span; a he/she never
    refers to someone named inside the `statement` it introduces.
    """
    if phrase.is_author:
        return None
    if phrase.speech_noun and (phrase.possessor or phrase.possessor_pronoun):
        return _speech_noun_owner(phrase, named, antecedents)
    persons = [m for m in named if m.kind == "person" and not _possessor_only(text, m, phrase)]
    if persons:
        m = _closest_to_head(persons, phrase)
        return Speaker(m.entity_id, m.resolved, m.role or phrase.role, NAMED)
    companies = [m for m in named if m.kind == "company"]
    if companies:
        return _company_speaker(phrase, _closest_to_head(companies, phrase))
    return antecedents.fielded(phrase) or _anaphoric_speaker(text, phrase, antecedents, statement)


def _possessor_only(text: str, m: Mention, phrase: Phrase) -> bool:
    """'Patterson's relatives': the named person owns the speaker, is not it
    (a spokesperson or lawyer of theirs still speaks for them)."""
    if m.start <= phrase.head_start < m.end or phrase.role:
        return False
    return text[m.end:m.end + 2] in ("’s", "'s") or text[m.end:m.end + 1] in ("’", "'")


def _closest_to_head(mentions: list[Mention], phrase: Phrase) -> Mention:
    for m in mentions:
        if m.start <= phrase.head_start < m.end:
            return m
    return mentions[0]


def _company_speaker(phrase: Phrase, m: Mention) -> Speaker | None:
    if m.start <= phrase.head_start < m.end:
        return Speaker(m.entity_id, m.resolved, "company", NAMED)
    if phrase.role:
        return Speaker(m.entity_id, phrase.person_name or phrase.role, phrase.role, ROLE_NAMED)
    if phrase.title and any(s <= m.start and m.end <= e for s, e in phrase.affiliations):
        # "Scott Strenfel, PG&E's principal meteorologist": someone the company fields
        return Speaker(m.entity_id, phrase.person_name, phrase.title, TITLED)
    if phrase.source or phrase.staff:
        return Speaker(m.entity_id, None, "source", REPORT, source=True)
    if phrase.speech_noun:  # "a Meta statement said", "the Meta blog post says"
        return Speaker(m.entity_id, m.resolved, "company", ROLE_NAMED)
    if phrase.proper and any(s <= m.start and m.end <= e for s, e in phrase.other_objects):
        return Speaker(m.entity_id, None, "representative", SPEECH_NOUN)  # "Jane Roe of Acme"
    return None


def _speech_noun_owner(phrase: Phrase, named: list[Mention], antecedents: Antecedents) -> Speaker | None:
    if phrase.possessor:
        s, e = phrase.possessor
        owners = [m for m in named if s <= m.start and m.end <= e]
        if not owners:
            return None
        owner = owners[0]
        role = owner.role if owner.kind == "person" else "company"
        return Speaker(owner.entity_id, owner.resolved, role, SPEECH_NOUN)
    m = _pronoun_antecedent(phrase.possessor_pronoun, phrase.start, antecedents)
    if m is None or not m.watched:
        return None
    return Speaker(m.entity_id, m.resolved, m.role if m.kind == "person" else "company", SPEECH_NOUN)


def _pronoun_antecedent(pronoun: str | None, pos: int, antecedents: Antecedents,
                        statement: tuple[int, int] | None = None) -> Mention | None:
    if pronoun in PERSON_PRONOUNS:
        return antecedents.person(pos, pronoun, statement)
    if pronoun in COMPANY_PRONOUNS:
        return antecedents.company(pos, salient=True)
    if pronoun in PLURAL_PRONOUNS:
        m = antecedents.latest(pos)
        return m if m is not None and m.kind == "company" and m.salient else None
    return None


def _anaphoric_speaker(text: str, phrase: Phrase, antecedents: Antecedents,
                       statement: tuple[int, int] | None) -> Speaker | None:
    if phrase.pronoun:
        m = _pronoun_antecedent(phrase.pronoun, phrase.start, antecedents, statement)
        if m is None or not m.watched:
            return None
        if m.kind == "person":
            return Speaker(m.entity_id, m.resolved, m.role, ANAPHOR)
        return Speaker(m.entity_id, m.resolved, "company", ANAPHOR)
    if phrase.company_noun:
        m = antecedents.company(phrase.start)
        if m is None or not m.watched:
            return None
        return Speaker(m.entity_id, _company_name(m), "company", ANAPHOR)
    if phrase.role and not phrase.proper and (any(w.lower() in ANAPHORIC_ROLES for w in phrase.role.split())
                                              or phrase.possessor_pronoun == "its"):  # "its chief", "its boss"
        if phrase.other_objects and not any(_COMPANY_PHRASE_RE.match(text[s:e]) for s, e in phrase.other_objects):
            return None  # "a spokesperson for the agency": someone else's
        if phrase.names:
            return None  # "Alibaba leaders", "Swift's rep": an unwatched name's people
        if phrase.possessor_pronoun in PERSON_PRONOUNS:
            m = antecedents.person(phrase.start, phrase.possessor_pronoun)
        else:
            m = antecedents.company(phrase.start)
        if m is None or not m.watched:
            return None
        return Speaker(m.entity_id, phrase.role, phrase.role, ROLE_ANAPHOR)
    if phrase.source or phrase.staff:
        return Speaker(None, None, "source", REPORT, source=True)
    return None


def _company_name(m: Mention) -> str | None:
    return m.resolved if m.kind == "company" else None


def antecedent_for(text: str, phrase: Phrase, speaker: Speaker | None) -> Mention | None:
    """What a resolved (or unresolved) speaker adds to the chain of antecedents."""
    if speaker is not None and speaker.entity_id is not None and not speaker.source:
        kind: MentionKind = "company" if speaker.role == "company" else "person"
        return Mention(phrase.start, phrase.end, kind, speaker.entity_id, speaker.resolved, speaker.role)
    if phrase.proper or (phrase.role and not phrase.pronoun):
        written = text[phrase.start:phrase.end] if phrase.proper else None
        return Mention(phrase.start, phrase.end, "other_person", resolved=written)
    return None
