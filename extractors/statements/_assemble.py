"""Statements: attributions of watched entities, each placed on the watched
topics it concerns, scored for stance, and dated.

One Statement per (attribution, matched topic); an attribution on no watched
topic gives one Statement with topic_id, stance and stance_label None, except
the company's own voice (kind "own": the sentences of an article on one of its
sites) and narrated actions (kind "action"), which are statements only on a
watched topic: a company's site and the sentences naming it say much else.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractors.attribution import (
    Attribution,
    Sentence,
    find_attributions_many,
    opens_with_plan,
    own_voice,
    scan_quotes,
    site_host,
    site_owner,
    split_paragraphs,
    split_sentences,
)
from extractors.dates import resolve_stated_date
from extractors.stance import TopicMatch, match_topics, reports_change, score_stance
from storage.records import Article, StanceCue, Statement, Topic, Watchlist

__all__ = ["explain", "extract_statements", "extract_statements_many"]

_CONTEXT_SENTENCES = 2  # sentences before the statement that stance and dates may read
_FRAME_TOPIC_FACTOR = 0.8  # topic named only around the span ("..., he said of open source")
_TOPIC_ONLY = frozenset({"own", "action"})  # kinds kept only on a watched topic
_SPEECH_KINDS = frozenset({"direct", "indirect", "report"})  # whose cue is a reporting verb outside the span
_LEAD_CHARS = 400  # the headline and lead, where a report says what changed
_BACKGROUND = 0.15  # what a report of a change recalls of the old position counts this much
_OPPOSITE = {"pro": "con", "con": "pro"}
_OWN_WORDS = frozenset({"direct", "indirect", "own"})  # the company or its people speaking
_PLAIN_PAST = re.compile(r"[a-z]+ed")  # a one-word verb group in the past: "introduced", "launched"


def extract_statements(article: Article, watchlist: Watchlist, *, nlp=None) -> list[Statement]:
    """The statements of watched entities in one article, ordered by start offset."""
    return extract_statements_many([article], watchlist, nlp=nlp)[0]


def extract_statements_many(
    articles: Sequence[Article], watchlist: Watchlist, *, nlp=None
) -> list[list[Statement]]:
    """extract_statements over many articles, parsing them in shared batches.

    A title the text does not open with is read too, for narrated actions ("Acme
    drops its pledge to ...") and, on the company's own site, as its voice; its
    statements carry the empty range (0, 0), their text being the title's."""
    names = _watched_names(watchlist)

    def on_topic(sentence: str) -> bool:
        return bool(_beyond_names(match_topics(sentence, watchlist.topics), names))

    titles = [_separate_title(a) for a in articles]
    found = find_attributions_many([a.text for a in articles] + [t for t in titles if t], watchlist, nlp=nlp,
                                   actions=on_topic)
    in_titles = iter(found[len(articles):])
    results = []
    for article, title, attributions in zip(articles, titles, found):
        headline = [replace(a, start=0, end=0) for a in next(in_titles) if a.kind == "action"] if title else []
        results.append(_statements(article, _with_own_voice(article, title, headline + attributions, watchlist),
                                   watchlist.topics, names))
    return results


def _watched_names(watchlist: Watchlist) -> frozenset[str]:
    """Every watched company's and person's name, lower-cased."""
    return frozenset(n.lower() for e in watchlist.entities for n in (*e.names, *(p.name for p in e.people)))


def _beyond_names(matches: list[TopicMatch], names: frozenset[str]) -> list[TopicMatch]:
    """The matches that rest on more than a watched name: users list the company among a topic's
    keywords, and every deed of the company names it."""
    return [m for m in matches if any(term.lower() not in names for term in m.terms)]


def _separate_title(article: Article) -> str | None:
    """The article's title when its text does not already open with it."""
    title = " ".join((article.title or "").split())
    if not title:
        return None
    opening = " ".join(article.text[:len(title) + 400].split())
    return None if _folded(title) in _folded(opening) else title


def _folded(text: str) -> str:
    return text.lower().translate(_QUOTE_FOLD)


_QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _with_own_voice(article: Article, title: str | None, attributions: list[Attribution],
                    watchlist: Watchlist) -> list[Attribution]:
    """On a company's own site its sentences are its voice: each one not already a
    quotation, reported speech or report becomes "own" (replacing a narrated action),
    and so does a separate title."""
    owners = ((u, site_owner(u, watchlist)) for u in (article.url, article.original_url))
    url, owner = next(((u, o) for u, o in owners if o is not None), (None, None))
    if owner is None:
        return attributions
    host = site_host(url)
    spoken = [a for a in attributions if a.entity_id == owner.id and a.kind not in _TOPIC_ONLY and a.end > a.start]
    own = [a for a in own_voice(article.text, owner, host) if not _overlapping(a, spoken)]
    if title:
        own += [replace(a, start=0, end=0) for a in own_voice(title, owner, host)]
    kept = [a for a in attributions if not (a.entity_id == owner.id and a.kind == "action" and _overlapping(a, own))]
    return sorted(kept + own, key=lambda a: (a.start, a.end, a.entity_id))


def _overlapping(a: Attribution, others: list[Attribution]) -> bool:
    """Overlapping spans of the text; a title's (0, 0) overlaps only another title's."""
    if a.start == a.end:
        return any(b.start == b.end for b in others)
    return any(a.start < b.end and b.start < a.end for b in others)


@dataclass(frozen=True)
class _Setting:
    """Where an attribution sits: its sentence(s) and the text just before."""

    sentence: str
    context: str
    frame: str  # the sentence without the attributed span


def _statements(article: Article, attributions: list[Attribution], topics: tuple[Topic, ...],
                names: frozenset[str] = frozenset()) -> list[Statement]:
    if not attributions:
        return []
    sentences = _sentences(article.text)
    bounds = _bounds(sentences)
    published = article.published_at.date() if article.published_at else None
    article_id = article.id  # hashes the whole text: once per article, not once per statement
    statements: list[Statement] = []
    for attribution in attributions:
        setting = _setting(article.text, sentences, bounds, attribution)
        stated_at = resolve_stated_date(setting.sentence, setting.context, published)
        base = Statement(
            entity_id=attribution.entity_id, speaker=attribution.speaker, text=attribution.text,
            start=attribution.start, end=attribution.end, cue=attribution.cue, kind=attribution.kind,
            stated_at=stated_at, attribution_confidence=attribution.confidence,
            speaker_resolved=attribution.speaker_resolved, speaker_role=attribution.speaker_role,
            article_id=article_id, article_url=article.url,
        )  # on no watched topic; a topic's statements are copies with the topic and stance filled in
        if attribution.kind in _TOPIC_ONLY:
            matched = _topics_of(_without_cue(attribution), setting.frame, topics, names=names,
                                 context=setting.context)
        else:
            matched = _topics_of(attribution.text, setting.frame, topics)
        if not matched:
            if attribution.kind not in _TOPIC_ONLY:
                statements.append(base)
            continue
        cue = attribution.cue if attribution.kind in _SPEECH_KINDS else ""  # an action's verb is in its span
        for topic, factor in matched:
            stance = score_stance(attribution.text, topic, context=setting.context, kind=attribution.kind, cue=cue)
            statements.append(replace(
                base, topic_id=topic.id, stance=stance.score, stance_label=stance.label,
                stance_confidence=round(stance.confidence * factor, 3), stance_cues=stance.cues,
                is_denial=stance.is_denial,
            ))
    statements.sort(key=lambda s: (s.start, s.end, s.entity_id, s.topic_id or ""))
    return _with_overstated_headline(_with_background(statements))


def _with_background(statements: list[Statement]) -> list[Statement]:
    """A report whose headline or lead gives a change of position ("Acme ends its pledge") recalls the
    old one in its body ("Acme used its pledge to ..."): the body's statements of the other side that
    report no change themselves are background, and count less (a "background" cue says why)."""
    news: dict[tuple[str, str], Statement] = {}
    for st in statements:
        key = (st.entity_id, st.topic_id or "")
        if st.topic_id and key not in news and st.start < _LEAD_CHARS and not st.is_denial \
                and reports_change(st.stance_label or "", st.stance_cues):
            news[key] = st
    if not news:
        return statements
    return [_as_background(st, lead) if (lead := news.get((st.entity_id, st.topic_id or ""))) is not None
            and st is not lead and st.stance_label == _OPPOSITE.get(lead.stance_label or "")
            and (_told_as_past(st) or not reports_change(st.stance_label or "", st.stance_cues)) else st
            for st in statements]


def _with_overstated_headline(statements: list[Statement]) -> list[Statement]:
    """A headline that the company's own denial in the body contradicts ("Acme to launch X" over
    "Acme says it has no plans to launch X") overstates: it counts as little as background."""
    denials: dict[tuple[str, str | None, str | None], Statement] = {
        (st.entity_id, st.topic_id, st.stance_label): st for st in reversed(statements)
        if st.is_denial and st.topic_id and st.kind in _OWN_WORDS and st.start > 0}
    if not denials:
        return statements
    return [_counted_less(st, StanceCue("overstated", denial.text[:80], _BACKGROUND))
            if st.start == st.end == 0 and st.topic_id and not st.is_denial
            and (denial := denials.get((st.entity_id, st.topic_id, _OPPOSITE.get(st.stance_label or "")))) else st
            for st in statements]


def _told_as_past(statement: Statement) -> bool:
    """A deed in the plain past ("It introduced the plan ..."): below a lead that gives the news, history."""
    return statement.kind == "action" and _PLAIN_PAST.fullmatch(statement.cue.lower()) is not None


def _as_background(statement: Statement, lead: Statement) -> Statement:
    return _counted_less(statement, StanceCue("background", lead.text[:80], _BACKGROUND))


def _counted_less(statement: Statement, cue: StanceCue) -> Statement:
    """The statement at the cue's weight, with the cue that says why."""
    return replace(statement, stance_confidence=round((statement.stance_confidence or 0.0) * cue.weight, 3),
                   stance_cues=(*statement.stance_cues, cue))


def _sentences(text: str) -> list[Sentence]:
    paragraphs = split_paragraphs(text)
    return split_sentences(text, paragraphs, scan_quotes(text, paragraphs))


def _bounds(sentences: list[Sentence]) -> tuple[list[int], list[int]]:
    """Sentence starts and ends, both ascending (sentences follow each other without overlap)."""
    return [s.start for s in sentences], [s.end for s in sentences]


def _setting(text: str, sentences: list[Sentence], bounds: tuple[list[int], list[int]], a: Attribution) -> _Setting:
    starts, ends = bounds
    # the sentences overlapping the span, found by bisection (a scan of all of them per statement is quadratic)
    covering = sentences[bisect.bisect_right(ends, a.start):bisect.bisect_left(starts, a.end)]
    if not covering:
        return _Setting(a.text, text[max(0, a.start - 300):a.start], "")
    first, last = covering[0], covering[-1]
    before = sentences[max(0, first.index - _CONTEXT_SENTENCES):first.index]
    context = text[before[0].start:first.start] if before else ""
    sentence = text[first.start:last.end]
    frame = text[first.start:a.start] + " " + text[a.end:last.end]
    return _Setting(sentence, context, frame)


def _without_cue(attribution: Attribution) -> str:
    """An action's words without its verb ("Acme suspended operations"): a topic named
    only by the deed's verb (a con term "suspend") is no topic of the deed."""
    text, cue = attribution.text, attribution.cue
    at = text.find(cue) if cue else -1
    return text if at < 0 else text[:at] + " " * len(cue) + text[at + len(cue):]


def _topics_of(span: str, frame: str, topics: tuple[Topic, ...], *,
               names: frozenset[str] | None = None, context: str = "") -> list[tuple[Topic, float]]:
    """Topics the span names; failing that, the topics its own sentence names
    around it ("..., he said of open-source models"), trusted a little less.
    `names` (for a narrated deed or a company's own sentence): only topics named by
    more than these watched names, and only those it names best (speech keeps every
    topic it names)."""
    by_id = {t.id: t for t in topics}
    matches = match_topics(span, topics)
    if names is not None:
        matches = _beyond_names(matches, names)
        matches = [m for m in matches if m.score >= matches[0].score] if matches else []
    factor = 1.0
    if not matches and frame.strip():
        matches = match_topics(frame, topics)
        factor = _FRAME_TOPIC_FACTOR
    if not matches and names is not None and opens_with_plan(span) and context.strip():
        # "That target will now be one-third": the plan the sentence before names
        matches = _beyond_names(match_topics(context, topics), names)
        factor = _FRAME_TOPIC_FACTOR
    return [(by_id[m.topic_id], factor) for m in matches if m.topic_id in by_id]


def explain(statement: Statement) -> str:
    """One short line: who (and how they were found), the stance and its cues, when."""
    who = statement.speaker_resolved or statement.speaker
    if statement.speaker_resolved and statement.speaker.lower() != statement.speaker_resolved.lower():
        who = f"{statement.speaker_resolved} (written “{statement.speaker}”)"
    how = f"{statement.kind} via “{statement.cue}”" if statement.cue else f"{statement.kind}, continued quotation"
    parts = [f"{who}; {how}; attribution {statement.attribution_confidence:.2f}"]
    if statement.topic_id is None:
        parts.append("on no watched topic")
    else:
        cues = ", ".join(f"{c.kind} “{c.text}” {c.weight:+.2f}" for c in statement.stance_cues[:4])
        stance = f"{statement.stance_label} {statement.stance:+.2f}" if statement.stance is not None else "no stance"
        denial = ", denies a change" if statement.is_denial else ""
        parts.append(f"{statement.topic_id}: {stance}{denial}" + (f" ({cues})" if cues else ""))
    if statement.stated_at is not None:
        when = f"{statement.stated_at.value.isoformat()} ({statement.stated_at.precision}"
        when += f", from “{statement.stated_at.cue}”)" if statement.stated_at.cue else ", publication date)"
        parts.append(f"stated {when}")
    return "; ".join(parts)
