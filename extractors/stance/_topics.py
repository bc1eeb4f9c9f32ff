"""Which watched topics a piece of text concerns, and a fast prefilter for paragraphs.

Matching is case-insensitive on word boundaries; hyphens and spaces are the same
("open-source" ~ "open source" ~ "opensource"), simple inflections match
("open sourcing", "models"), and determiners or a few words may sit inside a
multi-word term ("return to the office", "open and closed models").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.stance._terms import (
    find_proposition_hits,
    find_term_hits,
    find_topic_word_hits,
    topic_lexicon,
)
from extractors.stance._tokens import tokenize
from storage.records import Topic

__all__ = ["TopicMatch", "match_topics"]

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


