"""Quotations owned by a possessor: 'Markov’s “careful about what we
choose to open source” statement', 'his “...” remark'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.attribution._lexicon import PERSON_PRONOUNS, SPEECH_NOUNS
from extractors.attribution._mentions import Mention
from extractors.attribution._speaker import Antecedents
from extractors.attribution._text import Quote

_POSSESSOR_RE = re.compile(r"(?:(?P<s>[’']s)|\b(?P<p>[Hh]is|[Hh]er|[Ii]ts))\s+(?P<mid>(?:[\w-]+\s+){0,2})$")
_NOUN_AFTER_RE = re.compile(r"[\s,]*(?P<noun>[A-Za-z-]+)")
NAMED_CONFIDENCE = 0.8
PRONOUN_CONFIDENCE = 0.65


@dataclass(frozen=True)
class Possessive:
    """A quotation between a possessor and a speech noun."""

    owner_end: int | None  # where the possessor's name ends (before ’s)
    pronoun: str | None  # or the possessive pronoun
    pronoun_at: int
    noun: str  # "statement", "pledge" ...: the cue
    noun_after: bool  # the noun follows the quotation (which then modifies it)


def possessive_cue(text: str, quote: Quote) -> Possessive | None:
    head = _POSSESSOR_RE.search(text, max(0, quote.open_at - 60), quote.open_at)
    if head is None:
        return None
    after = _NOUN_AFTER_RE.match(text, quote.outer_end)
    noun_after = after.group("noun") if after and after.group("noun").lower() in SPEECH_NOUNS else None
    noun_before = next((w for w in head.group("mid").split() if w.lower() in SPEECH_NOUNS), None)
    noun = noun_after or noun_before
    if noun is None:
        return None
    if head.group("s"):
        return Possessive(head.start("s"), None, head.start(), noun, bool(noun_after))
    return Possessive(None, head.group("p"), head.start(), noun, bool(noun_after))


def possessor(text: str, owned: Possessive, watched: list[Mention],
              antecedents: Antecedents) -> tuple[Mention, str, float] | None:
    """The watched owner of the quotation, as written, and the confidence."""
    if owned.owner_end is not None:
        owner = next((m for m in watched if m.end == owned.owner_end), None)
        if owner is None:
            return None
        return owner, text[owner.start:owner.end], NAMED_CONFIDENCE
    written = owned.pronoun
    if written is None:  # a possessive has a named owner or a pronoun
        return None
    pronoun = written.lower()
    at = owned.pronoun_at
    owner = antecedents.person(at, pronoun) if pronoun in PERSON_PRONOUNS else antecedents.company(at)
    if owner is None or not owner.watched:
        return None
    return owner, written, PRONOUN_CONFIDENCE
