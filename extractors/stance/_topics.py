"""Which watched topics a piece of text concerns, and a fast prefilter for paragraphs.

Matching is case-insensitive on word boundaries; hyphens and spaces are the same
("open-source" ~ "open source" ~ "opensource"), simple inflections match
("open sourcing", "models"), and determiners or a few words may sit inside a
multi-word term ("return to the office", "open and closed models").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.stance._terms import (
    find_proposition_hits,
    find_term_hits,
    find_topic_word_hits,
    topic_lexicon,
)
from extractors.stance._tokens import tokenize
from storage.records import Topic, Watchlist

__all__ = ["TopicMatch", "match_topics", "mentions_watched_term"]

_PROPOSITION_WEIGHT = 0.5  # a restated proposition counts half a configured term
_LOOSE_WEIGHT = 0.75  # a term with other words inside ("remote engineering work", "closed A.I. model")


@dataclass(frozen=True)
class TopicMatch:
    topic_id: str
    terms: tuple[str, ...]  # configured terms that matched (proposition words as written, last)
    score: float  # (0, 1]: 0.5 for one term, 0.75 for two, ...; < 0.3 = proposition words only


def match_topics(text: str, topics: Sequence[Topic]) -> list[TopicMatch]:
    """The watched topics the text concerns, best first; empty when none.

    Each distinct configured term (keyword, pro or con) counts 1 (0.75 when other
    words sit inside it), a dense match of the proposition's content words counts
    0.5, and so, failing that, do the topic's own words (the proposition's predicate,
    or two words close together, one of them the topic name's); score = 1 - 0.5 ** count.
    """
    tokens = tokenize(text)
    matches: list[tuple[float, int, TopicMatch]] = []
    for order, topic in enumerate(topics):
        lexicon = topic_lexicon(topic)
        hits = find_term_hits(tokens, lexicon)
        strength: dict[str, float] = {}
        for hit in hits:
            loose = hit.gapped and not hit.coordinated
            strength[hit.term.text] = max(strength.get(hit.term.text, 0.0), _LOOSE_WEIGHT if loose else 1.0)
        terms = list(strength)
        used = {i for hit in hits for i in hit.tokens}
        proposition_hits = find_proposition_hits(tokens, lexicon, used)
        if not proposition_hits:  # the topic's own words: its predicate, or two words, one of its name
            proposition_hits = find_topic_word_hits(tokens, lexicon, used)
        count = sum(strength.values()) + (_PROPOSITION_WEIGHT if proposition_hits else 0.0)
        if not count:
            continue
        for indices in proposition_hits:
            terms.append(" ".join(tokens[i].text for i in indices))
        score = round(1 - 0.5**count, 3)
        matches.append((score, order, TopicMatch(topic.id, tuple(terms), score)))
    matches.sort(key=lambda m: (-m[0], m[1]))
    return [m[2] for m in matches]


# One compiled pattern per watchlist; looked up by identity first (hashing a
# large frozen watchlist on every paragraph would cost more than the search).
_PATTERN_BY_ID: dict[int, tuple[Watchlist, re.Pattern[str]]] = {}
_PATTERN_CACHE_SIZE = 32


def mentions_watched_term(text: str, watchlist: Watchlist) -> bool:
    """True when the text names a watched entity (name, alias, a person's full or
    last name) or a topic term. A cheap prefilter before parsing a paragraph."""
    cached = _PATTERN_BY_ID.get(id(watchlist))
    if cached is None or cached[0] is not watchlist:
        pattern = _watchlist_pattern(watchlist)
        if len(_PATTERN_BY_ID) >= _PATTERN_CACHE_SIZE:
            _PATTERN_BY_ID.clear()
        _PATTERN_BY_ID[id(watchlist)] = (watchlist, pattern)
    else:
        pattern = cached[1]
    return pattern.search(text) is not None


def _watchlist_pattern(watchlist: Watchlist) -> re.Pattern[str]:
    phrases: set[str] = set()
    for entity in watchlist.entities:
        phrases.update(entity.names)
        for person in entity.people:
            phrases.add(person.name)
            parts = person.name.split()
            if len(parts) > 1:
                phrases.add(parts[-1])
    for topic in watchlist.topics:
        phrases.update(topic.keywords)
        phrases.update(topic.pro)
        phrases.update(topic.con)
    pieces = sorted({_phrase_regex(p) for p in phrases if p.strip()})
    if not pieces:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<!\w)(?:{'|'.join(pieces)})(?!\w)", re.IGNORECASE)


def _phrase_regex(phrase: str) -> str:
    """Words joined by any run of spaces/hyphens (or none); the last word may
    carry a simple inflection ("open sourcing", "models")."""
    words = [w for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    escaped = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in words]
    last = words[-1]
    if last.isalpha() and len(last) > 2:
        if last.lower().endswith("e"):
            escaped[-1] = re.escape(last[:-1]) + "(?:e|es|ed|ing)"
        else:
            escaped[-1] += "(?:s|es|ed|ing)?"
    return r"[\s\-]*".join(escaped)
