"""Where watched companies and people (and other likely people and
organisations) are named in a text, found with one compiled pattern per
watchlist."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Literal

from extractors.attribution._lexicon import (
    ALL_CUE_FORMS,
    NOT_NAME_STARTS,
    ORG_SUFFIXES,
    PERSON_TITLES,
)
from extractors.attribution._text import Paragraph
from storage.records import Entity, Person, Watchlist

MentionKind = Literal["person", "company", "other_person", "other_org"]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: MentionKind
    entity_id: str | None = None  # None for someone or something not watched
    resolved: str | None = None  # the person's full name or the company's name
    role: str | None = None  # the watched person's role
    salient: bool = True  # named as a subject would be (not "Acme's", not deep in a clause)

    @property
    def watched(self) -> bool:
        return self.entity_id is not None

    @property
    def is_person(self) -> bool:
        return self.kind in ("person", "other_person")

    @property
    def key(self) -> str | None:
        """Who this is, across mentions ("Jane Doe" and a later "Doe" alike)."""
        if self.kind == "person":
            return self.resolved
        if self.kind == "other_person" and self.resolved:
            return self.resolved.split()[-1]
        return None


@dataclass(frozen=True)
class _Name:
    kind: Literal["person", "company"]
    entity_id: str
    resolved: str
    role: str | None


class WatchIndex:
    """The watchlist's names compiled into one case-sensitive pattern."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self._names = _name_table(watchlist.entities)
        self._shared_last_names = _shared_last_names(watchlist.entities, self._names)
        alternatives = sorted({*self._names, *self._shared_last_names}, key=len, reverse=True)
        body = "|".join(re.escape(n) for n in alternatives)
        # Names are matched case-sensitively on word edges; an all-lowercase
        # alias would match ordinary words, so short lowercase names are skipped.
        self._pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])") if body else None

    def scan(self, text: str) -> list[Mention]:
        if self._pattern is None:
            return []
        found: list[Mention] = []
        for match in self._pattern.finditer(text):
            written = match.group(0)
            name = self._names.get(written) or self._last_named(written, found)
            if name is None or (name.kind == "company" and _inside_other_name(text, match.start(), written)):
                continue
            found.append(Mention(match.start(), match.end(), name.kind, name.entity_id,
                                 name.resolved, name.role))
        return found

    def _last_named(self, last_name: str, found: list[Mention]) -> _Name | None:
        """A last name two watched people share means the one named in full last."""
        owners = self._shared_last_names.get(last_name, ())
        for m in reversed(found):
            for owner in owners:
                if m.resolved == owner.resolved and m.kind == "person":
                    return owner
        return None


def _name_table(entities: tuple[Entity, ...]) -> dict[str, _Name]:
    table: dict[str, _Name] = {}
    last_names: dict[str, list[tuple[Entity, Person]]] = {}
    for entity in entities:
        for person in entity.people:
            if person.name.strip():
                table.setdefault(person.name.strip(), _Name("person", entity.id, person.name.strip(), person.role or None))
            parts = person.name.split()
            if len(parts) >= 2:
                last_names.setdefault(parts[-1], []).append((entity, person))
    for entity in entities:
        for name in entity.names:
            name = name.strip()
            if len(name) >= 2 and not name.islower():
                table.setdefault(name, _Name("company", entity.id, entity.name, None))
            if len(name) >= 4 and not name.islower():  # a lede in capitals ("ACME has ..."), "Acme-corp"
                for variant in (name.upper(), name[0] + name[1:].lower()):
                    table.setdefault(variant, _Name("company", entity.id, entity.name, None))
    for last, owners in last_names.items():
        # a last name shared by two watched people, or equal to a company name, stays ambiguous
        if len(owners) == 1 and last not in table and len(last) >= 3:
            entity, person = owners[0]
            table[last] = _Name("person", entity.id, person.name.strip(), person.role or None)
    return table


_WORD_BEFORE_NAME_RE = re.compile(r"(?:^|(?<=[\s(]))([A-Z][a-z]+)\s+$")
_SENTENCE_BREAK_RE = re.compile(r"[.!?:;\n\"“”]\s*$")


def _inside_other_name(text: str, start: int, written: str) -> bool:
    """'Rob Acme' is a person, not Acme Corp: a one-word company name right
    after a capitalised word (not opening a sentence) is part of another name."""
    if " " in written:
        return False
    before = text[max(0, start - 30):start]
    word = _WORD_BEFORE_NAME_RE.search(before)
    if not word or word.group(1).lower() in NOT_NAME_STARTS:
        return False
    ahead = before[:word.start(1)]
    return bool(ahead.strip()) and not _SENTENCE_BREAK_RE.search(ahead)


def _shared_last_names(entities: tuple[Entity, ...], table: dict[str, _Name]) -> dict[str, tuple[_Name, ...]]:
    owners: dict[str, list[_Name]] = {}
    for entity in entities:
        for person in entity.people:
            parts = person.name.split()
            if len(parts) >= 2 and len(parts[-1]) >= 3:
                name = table.get(person.name.strip())
                if name is not None and name.kind == "person":
                    owners.setdefault(parts[-1], []).append(name)
    return {last: tuple(names) for last, names in owners.items() if len(names) > 1 and last not in table}


@functools.lru_cache(maxsize=32)
def watch_index(watchlist: Watchlist) -> WatchIndex:
    return WatchIndex(watchlist)


# --- people and organisations that are not watched ---------------------------

_CAP = r"(?:[A-Z][a-zA-Z'’\-]*[a-z][a-zA-Z'’\-]*|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{2,})"
_NAME_RE = re.compile(rf"{_CAP}(?:\s+(?:{_CAP}|de|van|von|da|del|der|di|le|la|al|bin|ibn))*")
_BETWEEN_NAME_AND_VERB = frozenset({"has", "had", "also", "previously", "later", "then"})
_WORDS_AFTER_RE = re.compile(r"\s*(?:,[^,]{0,80},\s*)?((?:[A-Za-z]+\s+){0,1}[A-Za-z]+)")
_APPOSITION_AFTER_RE = re.compile(r",\s+(?:a|an|the|who|whose|[A-Z][\w’']*[’']s)\b|\s+\(\d{1,3}\)|,\s+\d{1,3},")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)\.?\s*$")


def other_mentions(text: str, paragraphs: list[Paragraph], watched: list[Mention]) -> list[Mention]:
    """Likely people and organisations that are not watched.

    A capitalised name counts as a person only with evidence that it is one: a
    title before it ("analyst Jane Doe"), a reporting verb after it ("Doe
    said"), or an apposition ("Jane Doe, an analyst"). Headings are skipped.
    """
    starts = [m.start for m in watched]
    found: list[Mention] = []
    for para in paragraphs:
        if _is_heading(text, para):
            continue
        for match in _NAME_RE.finditer(text, para.start, para.end):
            start, end = _trim_name(text, match.start(), match.end())
            if end <= start or _overlaps_watched(watched, starts, start, end):
                continue
            words = text[start:end].split()
            last = words[-1].rstrip(".").lower()
            if last in ORG_SUFFIXES:
                found.append(Mention(start, end, "other_org"))
            elif _person_evidence(text, para, start, end, words):
                found.append(Mention(start, end, "other_person", resolved=text[start:end]))
    return found


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group(0).lower().strip("’'") in NOT_NAME_STARTS:
        words.pop(0)
    if not words:
        return start, start
    return start + words[0].start(), start + words[-1].end()


def _overlaps_watched(watched: list[Mention], starts: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_left(starts, end)
    return any(watched[j].end > start for j in range(max(0, k - 3), k))


def _person_evidence(text: str, para: Paragraph, start: int, end: int, words: list[str]) -> bool:
    after = _WORDS_AFTER_RE.match(text, end, min(para.end, end + 120))
    if after:
        following = after.group(1).lower().split()
        if following[0] in _BETWEEN_NAME_AND_VERB:
            following = following[1:]
        if following and following[0] in ALL_CUE_FORMS:
            return True
    if len(words) >= 2 and _APPOSITION_AFTER_RE.match(text, end, min(para.end, end + 40)):
        return True
    before = _WORD_BEFORE_RE.search(text, max(para.start, start - 30), start)
    if before and before.group(1).lower() in PERSON_TITLES:
        return True
    # "said Jane Doe" / "told Jane Doe"
    # "said Jane Doe" ("told Jane Doe" and "according to X" name outlets as often as people)
    said_before = re.search(r"\b(?:said|says|added|wrote|asked)\s+$", text[max(para.start, start - 20):start])
    return bool(said_before) and len(words) >= 2


def _is_heading(text: str, para: Paragraph) -> bool:
    body = text[para.start:para.end]
    return len(body.split()) <= 12 and body.rstrip()[-1:] not in ".!?\"”’:)"


# --- he or she ------------------------------------------------------------------

_MALE_RE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_FEMALE_RE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
_HONORIFIC_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady)\.?\s+$")
_GENDER_WINDOW = 300
_SENTENCE_STOP_RE = re.compile(r"[.!?]\s|\n")


def infer_genders(text: str, people: list[Mention], blanked: str) -> dict[str, str]:
    """'m' or 'f' per person key, from honorifics and from the pronouns that
    follow their mentions (quotations blanked out of `blanked`)."""
    votes: dict[str, list[int]] = {}
    keyed = sorted(((key, m) for m in people if (key := m.key)), key=lambda pair: pair[1].start)
    ordered = [m for _, m in keyed]
    for k, (key, m) in enumerate(keyed):
        tally = votes.setdefault(key, [0, 0])
        honorific = _HONORIFIC_RE.search(text, max(0, m.start - 8), m.start)
        if honorific:
            tally[0 if honorific.group(1) in ("Mr", "Sir", "Lord") else 1] += 3
        stop = ordered[k + 1].start if k + 1 < len(ordered) else len(text)
        window = blanked[m.end:min(stop, m.end + _GENDER_WINDOW)]
        # only the rest of the mention's own sentence: a "she" in the next one
        # is as likely someone named earlier
        window = _SENTENCE_STOP_RE.split(window, 1)[0]
        tally[0] += len(_MALE_RE.findall(window))
        tally[1] += len(_FEMALE_RE.findall(window))
    genders = {}
    for key, (male, female) in votes.items():
        if male > 2 * female:
            genders[key] = "m"
        elif female > 2 * male:
            genders[key] = "f"
    return genders
