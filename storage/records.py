"""Typed domain records passed between packages.

They mirror the archive's tables but carry no SQL; every package may import
them (``storage.records`` has no dependencies beyond the standard library).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Literal

SourceKind = Literal["feed", "sitemap", "url", "path"]
# direct: a quotation; indirect: reported speech; report: what unnamed sources say a company does or plans;
# own: the company's own text (an article on one of its sites); action: what the article narrates the company,
# one of its people or its product doing, deciding or planning ("Acme will no longer offer ...").
StatementKind = Literal["direct", "indirect", "report", "own", "action"]
StanceLabel = Literal["pro", "con", "hedged", "neutral"]
DatePrecision = Literal["day", "month", "year"]


def stable_id(*parts: object, length: int = 16) -> str:
    """A short deterministic id: the same parts always give the same id."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:length]


# --- the watchlist ----------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()
    # hosts of the company's own sites ("blog.acme.com", "acme.com/newsroom"): what is published there is
    # the company speaking; a host whose registered name is the name or an alias counts without being listed
    sites: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every way the company itself is named (not its people)."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    proposition: str = ""
    keywords: tuple[str, ...] = ()
    pro: tuple[str, ...] = ()
    con: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    entities: tuple[Entity, ...] = ()
    topics: tuple[Topic, ...] = ()

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def topic(self, topic_id: str) -> Topic:
        for t in self.topics:
            if t.id == topic_id:
                return t
        raise KeyError(topic_id)

    def entity_name(self, entity_id: str) -> str:
        """The entity's display name, or its id when the watchlist no longer has it."""
        return next((e.name for e in self.entities if e.id == entity_id), entity_id)

    def topic_name(self, topic_id: str) -> str:
        return next((t.name for t in self.topics if t.id == topic_id), topic_id)

    def find_entity(self, text: str) -> Entity | None:
        """The entity a user means by its id, name or an alias (any case)."""
        wanted = text.lower()
        return next((e for e in self.entities
                     if wanted in {e.id.lower(), e.name.lower(), *(a.lower() for a in e.aliases)}), None)

    def find_topic(self, text: str) -> Topic | None:
        wanted = text.lower()
        return next((t for t in self.topics if wanted in {t.id.lower(), t.name.lower()}), None)


# --- ingest -----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    name: str
    kind: SourceKind
    url: str  # a URL for feed/sitemap/url, a filesystem path for path

    @property
    def id(self) -> str:
        return stable_id(self.kind, self.url)


@dataclass(frozen=True)
class Validators:
    """What a conditional GET needs to ask 'has it changed?'."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """One HTTP exchange (or one refused/failed attempt)."""

    url: str
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    validators: Validators = Validators()
    error: str | None = None  # None when fine; a human-readable reason otherwise
    elapsed_ms: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class FetchLogEntry:
    source_id: str
    url: str
    fetched_at: datetime
    status: int | None
    error: str | None
    elapsed_ms: int | None = None
    bytes: int | None = None
    validators: Validators = Validators()


@dataclass(frozen=True)
class FeedEntry:
    """A link found in a feed or sitemap, with what the feed says of it."""

    url: str
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class RawDocument:
    """Bytes of one article page (fetched, read from disk or from JSONL)."""

    url: str
    body: bytes | None = None  # HTML bytes
    text: str | None = None  # plain text instead of HTML
    source_id: str | None = None
    published: datetime | None = None  # from the feed / JSONL, beats page metadata
    title: str | None = None


@dataclass(frozen=True)
class Article:
    url: str  # canonical URL
    text: str
    title: str | None = None
    author: str | None = None
    site_name: str | None = None
    published_at: datetime | None = None
    source_id: str | None = None
    original_url: str | None = None
    language: str | None = None

    # Computed once per record: the hash reads the whole text, and every statement of the
    # article asks for its id (re-hashing made analysis quadratic in article length).
    @cached_property
    def content_hash(self) -> str:
        normalized = " ".join(self.text.split()).lower()
        return hashlib.sha256(normalized.encode("utf-8")).hexdigest()

    @cached_property
    def id(self) -> str:
        """One id per (canonical URL, text version)."""
        return stable_id(self.url, self.content_hash)


# --- statements -------------------------------------------------------------


@dataclass(frozen=True)
class StanceCue:
    """One piece of evidence that moved the stance score, for explanations."""

    kind: str  # pro, con, negation, hedge, modal, change, conditional, denial, ...
    text: str  # the words that fired, as written
    weight: float  # its signed contribution


@dataclass(frozen=True)
class StatedDate:
    value: date
    precision: DatePrecision = "day"
    cue: str | None = None  # the words it was resolved from; None = publication date


@dataclass(frozen=True)
class Statement:
    entity_id: str
    speaker: str  # as written ("a Meta spokesperson", "he", "Zuckerberg")
    text: str  # the exact span from the article text
    start: int  # character offsets into Article.text; start == end == 0: the span is the title, not in the text
    end: int
    cue: str  # reporting verb or phrase ("said", "according to", "wrote a post entitled")
    kind: StatementKind
    stated_at: StatedDate | None
    attribution_confidence: float
    speaker_resolved: str | None = None  # the person or role meant ("Mark Zuckerberg", "spokesperson")
    speaker_role: str | None = None  # CEO, spokesperson, executive, company, ...
    topic_id: str | None = None  # None when on no watched topic
    stance: float | None = None  # [-1, 1] toward the topic's proposition; None when off-topic
    stance_label: StanceLabel | None = None
    stance_confidence: float | None = None
    stance_cues: tuple[StanceCue, ...] = ()
    is_denial: bool = False  # "our position is unchanged"
    article_id: str | None = None
    article_url: str | None = None

    @property
    def confidence(self) -> float:
        """Overall confidence: attribution times stance (attribution alone off-topic)."""
        if self.stance_confidence is None:
            return round(self.attribution_confidence, 3)
        return round(self.attribution_confidence * self.stance_confidence, 3)

    @property
    def id(self) -> str:
        """The same words by the same company on the same topic in the same year are one statement,
        however many articles report them; the same words said again years later are another
        point in time (the year, not the day: reports of one quote often date it a day or two apart)."""
        normalized = " ".join(self.text.lower().split()).strip(" \"'“”‘’.,")
        year = self.stated_at.value.year if self.stated_at else None
        return stable_id(self.entity_id, self.topic_id, normalized, year)


# --- shifts and alerts ------------------------------------------------------


@dataclass(frozen=True)
class EvidenceStatement:
    """A stored statement as shift detection and alerts see it."""

    id: str
    entity_id: str
    topic_id: str
    speaker: str
    text: str
    stance: float
    stance_label: str
    confidence: float
    kind: str
    stated_at: date
    stated_precision: str
    url: str | None
    source_count: int = 1
    speaker_role: str | None = None
    is_denial: bool = False
    weight: float | None = None  # how much it counted in a stored shift (shift_statements.weight)


@dataclass(frozen=True)
class Shift:
    entity_id: str
    topic_id: str
    direction: str  # e.g. "pro->con"
    from_stance: float
    to_stance: float
    confidence: float
    detected_at: datetime
    before: tuple[EvidenceStatement, ...]
    after: tuple[EvidenceStatement, ...]
    denials: tuple[EvidenceStatement, ...] = ()
    reasons: tuple[str, ...] = ()  # why: in words, for the alert
    id: str = ""  # stable across re-runs; set by detection


@dataclass(frozen=True)
class Delivery:
    shift_id: str
    channel: str  # a redacted label of the target, never the secret URL
    status: Literal["pending", "sent", "failed"]
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class ShiftChanges:
    """What detection changed.

    new: shifts to insert (and alert); updated: known shifts with new evidence (no new alert);
    renamed: (old id, new id) when a known shift's anchor moved (its deliveries follow it);
    retracted: ids of known shifts the evidence no longer supports (the store drops them
    unless an alert for them already went out).
    """

    new: tuple[Shift, ...] = ()
    updated: tuple[Shift, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    retracted: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.new or self.updated or self.renamed or self.retracted)

    @staticmethod
    def combine(changes: Sequence[ShiftChanges]) -> ShiftChanges:
        """The changes of several (entity, topic) pairs as one, for one `save_shift_changes` write."""
        return ShiftChanges(
            new=tuple(s for c in changes for s in c.new),
            updated=tuple(s for c in changes for s in c.updated),
            renamed=tuple(r for c in changes for r in c.renamed),
            retracted=tuple(r for c in changes for r in c.retracted),
        )


@dataclass(frozen=True)
class DetectionSummary:
    """A pair's settled summary for incremental shift detection: the statements said before `cut_off`
    as the detector derived them (`state`, its own encoding; see extractors.shifts)."""

    cut_off: date
    state: bytes


STANCE_LABEL_BAND = 0.3  # |stance| below this is a hedged (mixed) position


def position_label(stance: float) -> str:
    """pro, con or hedged for a (weighted) stance."""
    if stance >= STANCE_LABEL_BAND:
        return "pro"
    if stance <= -STANCE_LABEL_BAND:
        return "con"
    return "hedged"


def format_stated(when: date, precision: str) -> str:
    """A date as precisely as it is known: '30 July 2025', 'July 2024', '2024'."""
    if precision == "year":
        return str(when.year)
    if precision == "month":
        return f"{when:%B} {when.year}"
    return f"{when.day} {when:%B} {when.year}"


# --- status -----------------------------------------------------------------


@dataclass(frozen=True)
class SourceStatus:
    """One source's health, as `stancewatch status` shows it."""

    id: str
    name: str
    url: str
    last_success: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    articles_last_day: int


@dataclass(frozen=True)
class DeliveryProblem:
    """A delivery still pending or failed, with why."""

    shift_id: str
    channel: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class ArchiveStatus:
    """What a user opens when alerts stop coming: sources, the analysis queue, recent output, the outbox."""

    sources: tuple[SourceStatus, ...]
    waiting_for_analysis: int
    analysis_failures: tuple[tuple[str, str], ...]  # (url, error) of articles whose analysis failed
    statements_last_day: int
    shifts_last_day: int
    deliveries: tuple[DeliveryProblem, ...]
    checked_at: datetime
