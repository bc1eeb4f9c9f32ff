"""Measure statement extraction against the hand-labelled development sets.

``load_devset`` reads ``tests/devset/*.jsonl`` (format in tests/devset/README.md)
into typed documents; ``score`` runs an extractor over them and compares its
statements with the gold ones; ``QualityReport`` prints as a table or as JSON.

Matching: each predicted span and each gold quote become sets of word-token
positions in the article text. A pair can match when
``overlap / min(len(pred), len(gold)) >= MATCH_THRESHOLD`` (0.5): a prediction
that quotes only the quoted words of a longer gold clause matches, and so does
a prediction that takes the whole sentence around a short gold quote. Pairs are
then taken one-to-one, greedily: same entity first, then higher overlap, then
same topic, then closer length, so a sentence-sized prediction can consume only
one gold statement. A span the extractor files under two topics is two
predictions: the one with the gold topic is matched, the other counts as spurious. Exact repeats (same ``Statement.id`` and offsets) are dropped first,
as the archive would store them once; the report counts them.

Every aspect is scored end to end (precision = correct / predicted, recall =
correct / gold, where "correct" also requires the span match and the right
entity) and conditionally (accuracy on the matched pairs with the right
entity), so a weak stage shows up even when attribution is the bottleneck.

Run: ``python -m flows.evaluation tests/devset/heldout.jsonl [--json]``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from storage.records import (
    Article,
    DatePrecision,
    Entity,
    Person,
    StanceLabel,
    StatedDate,
    Statement,
    StatementKind,
    Topic,
    Watchlist,
)

__all__ = [
    "MATCH_THRESHOLD",
    "GoldStatement",
    "DevDocument",
    "Metric",
    "Finding",
    "QualityReport",
    "Extractor",
    "load_devset",
    "score",
    "said_baseline",
    "main",
]

MATCH_THRESHOLD = 0.5
STANCE_LABELS: tuple[str, ...] = ("pro", "con", "hedged", "neutral")

Extractor = Callable[[Article, Watchlist], "list[Statement]"]


# --- the labelled data --------------------------------------------------------


@dataclass(frozen=True)
class GoldStatement:
    quote: str
    start: int
    end: int
    speaker: str  # as written near the statement ("a Meta spokesperson", "he")
    person: str | None  # the person or role meant; None when the company itself speaks
    speaker_alternatives: tuple[str, ...]
    entity_id: str
    topic_id: str | None
    stance_label: StanceLabel | None  # None exactly when off-topic
    stated_at: date | None  # None when the text does not say
    precision: DatePrecision | None
    date_cue: str | None  # the words that date it; None = publication date (or unknown)
    kind: StatementKind
    is_denial: bool


@dataclass(frozen=True)
class DevDocument:
    id: str
    article: Article
    watchlist: Watchlist
    gold: tuple[GoldStatement, ...]
    published_precision: DatePrecision | None = None


def load_devset(path: str | Path) -> list[DevDocument]:
    """Read a development set (one JSON document a line) into typed documents."""
    documents = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                documents.append(_document(json.loads(line), f"{path}:{number}"))
    return documents


def _document(row: dict, where: str) -> DevDocument:
    text = row["text"]
    published = _parse_day(row.get("published"))
    article = Article(
        url=row["url"],
        text=text,
        title=row.get("title"),
        published_at=datetime(published.year, published.month, published.day, tzinfo=timezone.utc)
        if published
        else None,
    )
    gold = tuple(_gold(s, text, f"{where} ({row['id']})") for s in row["statements"])
    return DevDocument(
        id=row["id"],
        article=article,
        watchlist=_watchlist(row["watchlist"]),
        gold=gold,
        published_precision=row.get("published_precision") if published else None,
    )


def _watchlist(raw: dict) -> Watchlist:
    entities = tuple(
        Entity(
            id=e["id"],
            name=e["name"],
            aliases=tuple(e.get("aliases", ())),
            people=tuple(Person(name, role or "") for name, role in (e.get("people") or {}).items()),
        )
        for e in raw["entities"]
    )
    topics = tuple(
        Topic(
            id=t["id"],
            name=t["name"],
            proposition=t.get("proposition", ""),
            keywords=tuple(t.get("keywords", ())),
            pro=tuple(t.get("pro", ())),
            con=tuple(t.get("con", ())),
        )
        for t in raw["topics"]
    )
    return Watchlist(entities=entities, topics=topics)


def _gold(raw: dict, text: str, where: str) -> GoldStatement:
    quote = raw["quote"]
    start = _find_occurrence(text, quote, raw.get("occurrence"), where)
    return GoldStatement(
        quote=quote,
        start=start,
        end=start + len(quote),
        speaker=raw["speaker"],
        person=raw.get("person"),
        speaker_alternatives=tuple(raw.get("speaker_alternatives", ())),
        entity_id=raw["entity"],
        topic_id=raw["topic"],
        stance_label=raw["stance"],
        stated_at=_parse_day(raw.get("stated_at")),
        precision=raw.get("precision"),
        date_cue=raw.get("date_cue"),
        kind=raw["kind"],
        is_denial=bool(raw.get("is_denial", False)),
    )


def _find_occurrence(text: str, quote: str, occurrence: int | None, where: str) -> int:
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not starts:
        raise ValueError(f"{where}: quote is not in the text: {quote[:60]!r}")
    if occurrence is None:
        if len(starts) > 1:
            raise ValueError(f"{where}: quote occurs {len(starts)} times; say which: {quote[:60]!r}")
        return starts[0]
    return starts[occurrence]


def _parse_day(raw: str | None) -> date | None:
    return date.fromisoformat(raw[:10]) if raw else None


# --- the report ---------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One aspect, end to end (P/R/F1) and on the matched pairs (accuracy)."""

    name: str
    correct: int  # predictions that match a gold statement and get this aspect right
    predicted: int  # predictions that claim this aspect (the precision denominator)
    gold: int  # gold statements that have this aspect (the recall denominator)
    matched_correct: int
    matched_total: int  # matched pairs, right entity, where the aspect applies

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        """Accuracy on the matched pairs where this aspect applies."""
        return self.matched_correct / self.matched_total if self.matched_total else 0.0

    def to_dict(self) -> dict:
        return {
            "correct": self.correct,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched_correct": self.matched_correct,
            "matched_total": self.matched_total,
            "accuracy_on_matched": round(self.accuracy, 4),
        }


@dataclass(frozen=True)
class Finding:
    """One disagreement, for reading what went wrong."""

    document_id: str
    problem: str  # missed, spurious, entity, speaker, topic, stance, date, kind, denial
    gold: str | None
    predicted: str | None
    detail: str = ""


@dataclass(frozen=True)
class QualityReport:
    name: str
    documents: int
    gold_total: int
    predicted_total: int
    matched: int  # span matches (any entity)
    metrics: tuple[Metric, ...]
    recall_by_kind: tuple[tuple[str, int, int], ...]  # (kind, found with right entity, gold)
    stance_confusion: tuple[tuple[str, str, int], ...]  # (gold label, predicted label or "off-topic"/"other-topic", n)
    offset_errors: int = 0  # predictions whose offsets were unusable (text searched instead, or dropped)
    duplicates: int = 0  # predictions dropped as repeats of another one (same Statement.id and span)
    failures: tuple[str, ...] = ()  # documents where the extractor raised
    findings: tuple[Finding, ...] = field(default=(), repr=False)
    seconds: float = 0.0

    def metric(self, name: str) -> Metric:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "documents": self.documents,
            "gold": self.gold_total,
            "predicted": self.predicted_total,
            "matched": self.matched,
            "match_rule": f"token overlap / min(len) >= {MATCH_THRESHOLD}, one-to-one greedy",
            "metrics": {m.name: m.to_dict() for m in self.metrics},
            "recall_by_kind": {k: {"found": f, "gold": g} for k, f, g in self.recall_by_kind},
            "stance_confusion": [{"gold": g, "predicted": p, "count": n} for g, p, n in self.stance_confusion],
            "offset_errors": self.offset_errors,
            "duplicates": self.duplicates,
            "failures": list(self.failures),
            "seconds": round(self.seconds, 2),
        }

    def format_report(self, *, findings: bool = False) -> str:
        lines = [
            f"{self.name}: {self.documents} documents, {self.gold_total} gold, {self.predicted_total} predicted, "
            f"{self.matched} span matches (overlap/min >= {MATCH_THRESHOLD}), {self.seconds:.1f} s",
            "",
            f"{'aspect':<14}{'P':>7}{'R':>7}{'F1':>7}   {'acc|matched':>11}  {'correct/pred/gold':>18}",
        ]
        for m in self.metrics:
            counts = f"{m.correct}/{m.predicted}/{m.gold}"
            accuracy = f"{m.accuracy:.3f} ({m.matched_correct}/{m.matched_total})"
            lines.append(
                f"{m.name:<14}{m.precision:>7.3f}{m.recall:>7.3f}{m.f1:>7.3f}   {accuracy:>11}  {counts:>18}"
            )
        lines.append("")
        lines.append(
            "attribution recall by kind: "
            + ", ".join(f"{k} {f}/{g}" + (f" ({f / g:.2f})" if g else "") for k, f, g in self.recall_by_kind)
        )
        lines.extend(self._confusion_lines())
        if self.offset_errors:
            lines.append(f"predictions with unusable offsets: {self.offset_errors}")
        if self.duplicates:
            lines.append(f"duplicate predictions dropped before scoring: {self.duplicates}")
        for failure in self.failures:
            lines.append(f"FAILED: {failure}")
        if findings and self.findings:
            lines.append("")
            lines.append("findings:")
            for f in self.findings:
                lines.append(f"  [{f.document_id}] {f.problem}: {f.detail}")
                if f.gold:
                    lines.append(f"      gold: {_clip(f.gold)}")
                if f.predicted:
                    lines.append(f"      pred: {_clip(f.predicted)}")
        return "\n".join(lines)

    def _confusion_lines(self) -> list[str]:
        columns = [*STANCE_LABELS, "other-topic", "off-topic"]
        counts = {(g, p): n for g, p, n in self.stance_confusion}
        lines = ["", "stance confusion (rows gold, columns predicted; matched on-topic gold, right entity):"]
        lines.append(f"{'':<9}" + "".join(f"{c:>12}" for c in columns))
        for gold_label in STANCE_LABELS:
            lines.append(f"{gold_label:<9}" + "".join(f"{counts.get((gold_label, c), 0):>12}" for c in columns))
        return lines


def _clip(text: str, width: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# --- scoring --------------------------------------------------------------------


@dataclass(frozen=True)
class _Prediction:
    statement: Statement
    tokens: frozenset[int]
    offsets_ok: bool


@dataclass(frozen=True)
class _Pair:
    document: DevDocument
    gold: GoldStatement
    predicted: Statement


def score(documents: Sequence[DevDocument], extract: Extractor, *, name: str = "devset") -> QualityReport:
    """Run ``extract`` on every document and compare with the gold statements."""
    started = time.perf_counter()
    pairs: list[_Pair] = []
    unmatched_gold: list[tuple[DevDocument, GoldStatement]] = []
    unmatched_predicted: list[tuple[DevDocument, Statement]] = []
    all_predicted: list[Statement] = []
    failures: list[str] = []
    offset_errors = duplicates = 0
    for document in documents:
        try:
            predicted = list(extract(document.article, document.watchlist))
        except Exception as error:  # a quality report must survive one bad document
            failures.append(f"{document.id}: {type(error).__name__}: {error}")
            predicted = []
        unique = _unique(predicted)
        duplicates += len(predicted) - len(unique)
        all_predicted.extend(unique)
        resolved = [_resolve(document.article.text, s) for s in unique]
        offset_errors += sum(1 for r in resolved if not r.offsets_ok)
        matched, lone_gold, lone_predicted = _match(document, resolved)
        pairs.extend(matched)
        unmatched_gold.extend((document, g) for g in lone_gold)
        unmatched_predicted.extend((document, p) for p in lone_predicted)
    gold = [g for d in documents for g in d.gold]
    return QualityReport(
        name=name,
        documents=len(documents),
        gold_total=len(gold),
        predicted_total=len(all_predicted),
        matched=len(pairs),
        metrics=_metrics(gold, all_predicted, pairs),
        recall_by_kind=_recall_by_kind(gold, pairs),
        stance_confusion=_confusion(pairs),
        offset_errors=offset_errors,
        duplicates=duplicates,
        failures=tuple(failures),
        findings=_findings(pairs, unmatched_gold, unmatched_predicted),
        seconds=time.perf_counter() - started,
    )


_WORD = re.compile(r"\w+")


def _token_positions(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in _WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


_TOKEN_CACHE: dict[int, tuple[str, tuple[list[int], list[int]]]] = {}


def _tokens_of(text: str, start: int, end: int) -> frozenset[int]:
    """Indices of the word tokens that overlap [start, end)."""
    cached = _TOKEN_CACHE.get(id(text))
    if cached is None or cached[0] is not text:
        cached = (text, _token_positions(text))
        _TOKEN_CACHE.clear()
        _TOKEN_CACHE[id(text)] = cached
    starts, ends = cached[1]
    first = bisect.bisect_right(ends, start)  # first token ending after start
    last = bisect.bisect_left(starts, end)  # tokens starting before end
    return frozenset(range(first, last))


def _resolve(text: str, statement: Statement) -> _Prediction:
    start, end = statement.start, statement.end
    if 0 <= start < end <= len(text) and text[start:end] == statement.text:
        return _Prediction(statement, _tokens_of(text, start, end), True)
    found = text.find(statement.text) if statement.text else -1
    if found >= 0:
        return _Prediction(statement, _tokens_of(text, found, found + len(statement.text)), False)
    if 0 <= start < end <= len(text):
        return _Prediction(statement, _tokens_of(text, start, end), False)
    return _Prediction(statement, frozenset(), False)


def _unique(statements: list[Statement]) -> list[Statement]:
    """The archive keeps one statement per Statement.id; so does the score (same span too)."""
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for statement in statements:
        key = (statement.id, statement.start, statement.end)
        if key not in seen:
            seen.add(key)
            unique.append(statement)
    return unique


def _overlap(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _match(
    document: DevDocument, predictions: list[_Prediction]
) -> tuple[list[_Pair], list[GoldStatement], list[Statement]]:
    text = document.article.text
    gold_tokens = [_tokens_of(text, g.start, g.end) for g in document.gold]
    candidates = []
    for gi, g in enumerate(document.gold):
        for pi, p in enumerate(predictions):
            overlap = _overlap(gold_tokens[gi], p.tokens)
            if overlap >= MATCH_THRESHOLD:
                same_entity = p.statement.entity_id == g.entity_id
                same_topic = p.statement.topic_id == g.topic_id
                length_gap = abs(len(gold_tokens[gi]) - len(p.tokens))
                candidates.append((not same_entity, -overlap, not same_topic, length_gap, gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for *_, gi, pi in candidates:
        if gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        pairs.append(_Pair(document, document.gold[gi], predictions[pi].statement))
    lone_gold = [g for gi, g in enumerate(document.gold) if gi not in used_gold]
    lone_predicted = [p.statement for pi, p in enumerate(predictions) if pi not in used_predicted]
    return pairs, lone_gold, lone_predicted


def _metrics(gold: list[GoldStatement], predicted: list[Statement], pairs: list[_Pair]) -> tuple[Metric, ...]:
    right = [p for p in pairs if p.predicted.entity_id == p.gold.entity_id]
    on_topic = [p for p in right if p.gold.topic_id is not None and p.predicted.topic_id == p.gold.topic_id]
    polar = [p for p in on_topic if p.gold.stance_label in ("pro", "con")]
    dated = [p for p in right if p.gold.stated_at is not None]
    cued = [p for p in dated if p.gold.date_cue]

    def metric(name, correct_pairs, n_predicted, n_gold, applicable, is_right):
        return Metric(
            name=name,
            correct=len(correct_pairs),
            predicted=n_predicted,
            gold=n_gold,
            matched_correct=sum(1 for p in applicable if is_right(p)),
            matched_total=len(applicable),
        )

    speaker_ok = [p for p in right if _speaker_matches(p)]
    topic_ok = [p for p in right if p.predicted.topic_id == p.gold.topic_id]
    stance_ok = [p for p in on_topic if p.predicted.stance_label == p.gold.stance_label]
    sign_ok = [p for p in polar if _sign_agrees(p)]
    date_ok = [p for p in dated if _date_agrees(p)]
    kind_ok = [p for p in right if p.predicted.kind == p.gold.kind]
    denial_ok = [p for p in right if p.gold.is_denial and p.predicted.is_denial]
    # a prediction matched to a gold statement the text cannot date is neither right nor wrong
    undatable = sum(1 for p in right if p.gold.stated_at is None and p.predicted.stated_at is not None)
    return (
        Metric("attribution", len(right), len(predicted), len(gold), len(right), len(pairs)),
        metric("speaker", speaker_ok, len(predicted), len(gold), right, _speaker_matches),
        metric("topic", topic_ok, len(predicted), len(gold), right,
               lambda p: p.predicted.topic_id == p.gold.topic_id),
        metric("stance_label", stance_ok, sum(1 for s in predicted if s.topic_id is not None),
               sum(1 for g in gold if g.topic_id is not None), on_topic,
               lambda p: p.predicted.stance_label == p.gold.stance_label),
        metric("stance_sign", sign_ok,
               sum(1 for s in predicted if s.topic_id is not None and s.stance_label in ("pro", "con")),
               sum(1 for g in gold if g.stance_label in ("pro", "con")), polar, _sign_agrees),
        metric("date", date_ok, sum(1 for s in predicted if s.stated_at is not None) - undatable,
               sum(1 for g in gold if g.stated_at is not None), dated, _date_agrees),
        metric("date_cued", [p for p in date_ok if p.gold.date_cue],
               sum(1 for p in cued if p.predicted.stated_at is not None),
               sum(1 for g in gold if g.stated_at is not None and g.date_cue), cued, _date_agrees),
        metric("kind", kind_ok, len(predicted), len(gold), right, lambda p: p.predicted.kind == p.gold.kind),
        metric("denial", denial_ok, sum(1 for s in predicted if s.is_denial),
               sum(1 for g in gold if g.is_denial), right,
               lambda p: p.predicted.is_denial == p.gold.is_denial),
    )


def _recall_by_kind(gold: list[GoldStatement], pairs: list[_Pair]) -> tuple[tuple[str, int, int], ...]:
    found = Counter(p.gold.kind for p in pairs if p.predicted.entity_id == p.gold.entity_id)
    totals = Counter(g.kind for g in gold)
    return tuple((kind, found[kind], totals[kind]) for kind in ("direct", "indirect", "report"))


def _confusion(pairs: list[_Pair]) -> tuple[tuple[str, str, int], ...]:
    counts: Counter[tuple[str, str]] = Counter()
    for p in pairs:
        if p.predicted.entity_id != p.gold.entity_id or p.gold.stance_label is None:
            continue
        if p.predicted.topic_id is None:
            column = "off-topic"
        elif p.predicted.topic_id != p.gold.topic_id:
            column = "other-topic"
        else:
            column = p.predicted.stance_label or "off-topic"
        counts[(p.gold.stance_label, column)] += 1
    return tuple((g, c, n) for (g, c), n in sorted(counts.items()))


def _sign_agrees(pair: _Pair) -> bool:
    stance = pair.predicted.stance
    if stance is None:
        return False
    return stance > 0 if pair.gold.stance_label == "pro" else stance < 0


def _date_agrees(pair: _Pair) -> bool:
    stated = pair.predicted.stated_at
    gold_day, precision = pair.gold.stated_at, pair.gold.precision
    if stated is None or gold_day is None:
        return False
    value = stated.value
    if precision == "year":
        return value.year == gold_day.year
    if precision == "month":
        return (value.year, value.month) == (gold_day.year, gold_day.month)
    return value == gold_day


# speaker names ---------------------------------------------------------------

_PRONOUNS = frozenset("he she they it we i him her them us his its their our".split())
_ARTICLES = frozenset(("a", "an", "the"))


def _name_tokens(name: str | None) -> tuple[str, ...]:
    if not name:
        return ()
    lowered = re.sub(r"['’]s\b", "", name.lower())
    return tuple(t for t in _WORD.findall(lowered) if t not in _ARTICLES)


def _usable(tokens: tuple[str, ...]) -> bool:
    return bool(tokens) and not all(t in _PRONOUNS for t in tokens)


def _names_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a == b or a[-1] == b[-1]:  # last-name tolerant: "Zuckerberg" ~ "Mark Zuckerberg"
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2:
        return False
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _speaker_matches(pair: _Pair) -> bool:
    """The predicted speaker (as written or resolved) names the gold speaker or person.

    A bare pronoun never counts: "he" must be resolved to be right. When the
    company itself speaks (no person), any of its names or "the company" counts.
    """
    gold = pair.gold
    accepted = [gold.speaker, gold.person, *gold.speaker_alternatives]
    if gold.person is None:
        entity = next((e for e in pair.document.watchlist.entities if e.id == gold.entity_id), None)
        accepted.extend(entity.names if entity else ())
        accepted.append("company")
    gold_names = [t for t in map(_name_tokens, accepted) if _usable(t)]
    predicted_names = [
        t for t in map(_name_tokens, (pair.predicted.speaker, pair.predicted.speaker_resolved)) if _usable(t)
    ]
    return any(_names_match(p, g) for p in predicted_names for g in gold_names)


def _findings(
    pairs: list[_Pair],
    unmatched_gold: list[tuple[DevDocument, GoldStatement]],
    unmatched_predicted: list[tuple[DevDocument, Statement]],
) -> tuple[Finding, ...]:
    found: list[Finding] = []
    for document, g in unmatched_gold:
        found.append(Finding(document.id, "missed", g.quote, None, f"{g.entity_id} / {g.speaker} / {g.kind}"))
    for document, s in unmatched_predicted:
        found.append(Finding(document.id, "spurious", None, s.text, f"{s.entity_id} / {s.speaker} / {s.cue}"))
    for p in pairs:
        g, s, doc = p.gold, p.predicted, p.document.id
        if s.entity_id != g.entity_id:
            found.append(Finding(doc, "entity", g.quote, s.text, f"gold {g.entity_id}, predicted {s.entity_id}"))
            continue
        if not _speaker_matches(p):
            found.append(Finding(doc, "speaker", g.quote, s.text,
                                 f"gold {g.speaker!r}/{g.person!r}, predicted {s.speaker!r}/{s.speaker_resolved!r}"))
        if s.topic_id != g.topic_id:
            found.append(Finding(doc, "topic", g.quote, s.text, f"gold {g.topic_id}, predicted {s.topic_id}"))
        elif g.stance_label is not None and s.stance_label != g.stance_label:
            found.append(Finding(doc, "stance", g.quote, s.text,
                                 f"gold {g.stance_label}, predicted {s.stance_label} ({s.stance})"))
        if g.stated_at is not None and not _date_agrees(p):
            predicted_date = f"{s.stated_at.value} {s.stated_at.precision}" if s.stated_at else None
            found.append(Finding(doc, "date", g.quote, s.text,
                                 f"gold {g.stated_at} {g.precision} (cue {g.date_cue!r}), predicted {predicted_date}"))
        if s.kind != g.kind:
            found.append(Finding(doc, "kind", g.quote, s.text, f"gold {g.kind}, predicted {s.kind}"))
        if s.is_denial != g.is_denial:
            found.append(Finding(doc, "denial", g.quote, s.text, f"gold {g.is_denial}, predicted {s.is_denial}"))
    return tuple(found)


# --- a trivial baseline ---------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’']?|$)", re.MULTILINE)
_REPORTING = re.compile(r"\b(said|says|told|tells|announced|stated|according to)\b", re.IGNORECASE)
_QUOTE_MARKS = ('"', "“", "”")


def said_baseline(article: Article, watchlist: Watchlist) -> list[Statement]:
    """Every sentence with a reporting verb and a watched name: the yardstick's floor.

    Topic = the first topic with a keyword in the sentence; stance = pro terms minus
    con terms; date = the publication date. Used to check the scorer, never shipped.
    """
    statements = []
    text = article.text
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        verb = _REPORTING.search(sentence)
        if not verb:
            continue
        found = _first_watched_name(sentence, watchlist.entities)
        if not found:
            continue
        entity, name = found
        leading = len(sentence) - len(sentence.lstrip())
        start, end = m.start() + leading, m.end()
        topic, stance, label = _baseline_stance(sentence, watchlist.topics)
        statements.append(
            Statement(
                entity_id=entity.id,
                speaker=name,
                text=text[start:end],
                start=start,
                end=end,
                cue=verb.group(0),
                kind="direct" if any(q in sentence for q in _QUOTE_MARKS) else "indirect",
                stated_at=StatedDate(article.published_at.date()) if article.published_at else None,
                attribution_confidence=0.5,
                topic_id=topic,
                stance=stance,
                stance_label=label,
                stance_confidence=0.5 if topic else None,
            )
        )
    return statements


def _first_watched_name(sentence: str, entities: Iterable[Entity]) -> tuple[Entity, str] | None:
    best: tuple[int, Entity, str] | None = None
    for entity in entities:
        names = [*entity.names, *(p.name for p in entity.people), *(p.name.split()[-1] for p in entity.people)]
        for name in names:
            hit = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence)
            if hit and (best is None or hit.start() < best[0]):
                best = (hit.start(), entity, name)
    return (best[1], best[2]) if best else None


def _baseline_stance(sentence: str, topics: Iterable[Topic]) -> tuple[str | None, float | None, str | None]:
    lowered = sentence.lower()
    for topic in topics:
        if any(k.lower() in lowered for k in topic.keywords):
            balance = sum(t.lower() in lowered for t in topic.pro) - sum(t.lower() in lowered for t in topic.con)
            if balance > 0:
                return topic.id, 0.5, "pro"
            if balance < 0:
                return topic.id, -0.5, "con"
            return topic.id, 0.0, "neutral"
    return None, None, None


# --- command line --------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m flows.evaluation",
        description="Score statement extraction against hand-labelled development sets.",
    )
    parser.add_argument("paths", nargs="+", help="development set files (.jsonl), e.g. tests/devset/heldout.jsonl")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--baseline", action="store_true", help="score the trivial 'said' baseline instead")
    parser.add_argument("--findings", action="store_true", help="list every miss and disagreement")
    args = parser.parse_args(argv)

    extract = said_baseline if args.baseline else _pipeline()
    reports = [score(load_devset(path), extract, name=Path(path).name) for path in args.paths]
    if args.json:
        print(json.dumps([r.to_dict() for r in reports] if len(reports) > 1 else reports[0].to_dict(), indent=2))
    else:
        print("\n\n".join(r.format_report(findings=args.findings) for r in reports))
    return 0


def _pipeline() -> Extractor:
    from extractors.statements import (
        extract_statements,  # lazily: the scorer must load without it
    )

    return lambda article, watchlist: extract_statements(article, watchlist)


if __name__ == "__main__":
    sys.exit(main())
