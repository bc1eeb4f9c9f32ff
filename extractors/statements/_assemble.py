"""Statements: attributions of watched entities, each placed on the watched
topics it concerns, scored for stance, and dated.

One Statement per (attribution, matched topic); an attribution on no watched
topic gives one Statement with topic_id, stance and stance_label None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.attribution import (
    Attribution,
    Sentence,
    find_attributions_many,
    scan_quotes,
    split_paragraphs,
    split_sentences,
)
from extractors.dates import resolve_stated_date
from extractors.stance import match_topics, score_stance
from storage.records import Article, Statement, Topic, Watchlist

__all__ = ["explain", "extract_statements", "extract_statements_many"]

_CONTEXT_SENTENCES = 2  # sentences before the statement that stance and dates may read
_FRAME_TOPIC_FACTOR = 0.8  # topic named only around the span ("..., he said of open source")


def extract_statements(article: Article, watchlist: Watchlist, *, nlp=None) -> list[Statement]:
    """The statements of watched entities in one article, ordered by start offset."""
    return extract_statements_many([article], watchlist, nlp=nlp)[0]


def extract_statements_many(
    articles: Sequence[Article], watchlist: Watchlist, *, nlp=None
) -> list[list[Statement]]:
    """extract_statements over many articles, parsing them in shared batches."""
    found = find_attributions_many([a.text for a in articles], watchlist, nlp=nlp)
    return [_statements(article, attributions, watchlist.topics)
            for article, attributions in zip(articles, found)]


@dataclass(frozen=True)
class _Setting:
    """Where an attribution sits: its sentence(s) and the text just before."""

    sentence: str
    context: str
    frame: str  # the sentence without the attributed span


def _statements(article: Article, attributions: list[Attribution], topics: tuple[Topic, ...]) -> list[Statement]:
    if not attributions:
        return []
    sentences = _sentences(article.text)
    published = article.published_at.date() if article.published_at else None
    statements: list[Statement] = []
    for attribution in attributions:
        setting = _setting(article.text, sentences, attribution)
        stated_at = resolve_stated_date(setting.sentence, setting.context, published)
        base = dict(
            entity_id=attribution.entity_id, speaker=attribution.speaker, text=attribution.text,
            start=attribution.start, end=attribution.end, cue=attribution.cue, kind=attribution.kind,
            stated_at=stated_at, attribution_confidence=attribution.confidence,
            speaker_resolved=attribution.speaker_resolved, speaker_role=attribution.speaker_role,
            article_id=article.id, article_url=article.url,
        )
        matched = _topics_of(attribution.text, setting.frame, topics)
        if not matched:
            statements.append(Statement(**base))
            continue
        for topic, factor in matched:
            stance = score_stance(attribution.text, topic, context=setting.context, kind=attribution.kind, cue=attribution.cue)
            statements.append(Statement(
                **base, topic_id=topic.id, stance=stance.score, stance_label=stance.label,
                stance_confidence=round(stance.confidence * factor, 3), stance_cues=stance.cues,
                is_denial=stance.is_denial,
            ))
    statements.sort(key=lambda s: (s.start, s.end, s.entity_id, s.topic_id or ""))
    return statements


def _sentences(text: str) -> list[Sentence]:
    paragraphs = split_paragraphs(text)
    return split_sentences(text, paragraphs, scan_quotes(text, paragraphs))


def _setting(text: str, sentences: list[Sentence], a: Attribution) -> _Setting:
    covering = [s for s in sentences if s.start < a.end and a.start < s.end]
    if not covering:
        return _Setting(a.text, text[max(0, a.start - 300):a.start], "")
    first, last = covering[0], covering[-1]
    before = sentences[max(0, first.index - _CONTEXT_SENTENCES):first.index]
    context = text[before[0].start:first.start] if before else ""
    sentence = text[first.start:last.end]
    frame = text[first.start:a.start] + " " + text[a.end:last.end]
    return _Setting(sentence, context, frame)


def _topics_of(span: str, frame: str, topics: tuple[Topic, ...]) -> list[tuple[Topic, float]]:
    """Topics the span names; failing that, the topics its own sentence names
    around it ("..., he said of open-source models"), trusted a little less."""
    by_id = {t.id: t for t in topics}
    matches = match_topics(span, topics)
    factor = 1.0
    if not matches and frame.strip():
        matches = match_topics(frame, topics)
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
