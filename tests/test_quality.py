"""Quality gate for statement extraction, and tests of the scorer itself.

The gate scores the real ``extract_statements`` on the hand-labelled sets in
tests/devset/ and fails when a figure drops below its floor. ``pytest -s`` prints
the full reports. The floors below are starting points; set them from measured
figures (``python -m flows.evaluation tests/devset/heldout.jsonl``).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from flows.evaluation import (
    MATCH_THRESHOLD,
    DevDocument,
    GoldStatement,
    QualityReport,
    load_devset,
    main,
    said_baseline,
    score,
)
from storage.records import (
    Article,
    Entity,
    Person,
    StatedDate,
    Statement,
    Topic,
    Watchlist,
)
from tests.support import DEVSET

# --- floors (end to end unless named *_ACCURACY, which is on matched statements) ---
# Set from the figures measured on 2026-11-22 (`python -m flows.evaluation tests/devset/*.jsonl`), a few
# points below the lower of dev and held-out, so a regression fails and noise does not. Held-out then measured:
# attribution P 0.778 R 0.603; speaker 0.971; topic 0.800; stance label 0.615, sign 0.721; date 0.927;
# kind 0.943; denial recall 0.333 (2 of 6).
ATTRIBUTION_RECALL_FLOOR = 0.57
ATTRIBUTION_PRECISION_FLOOR = 0.72
SPEAKER_ACCURACY_FLOOR = 0.90
TOPIC_ACCURACY_FLOOR = 0.75
STANCE_LABEL_ACCURACY_FLOOR = 0.57
STANCE_SIGN_ACCURACY_FLOOR = 0.64
DATE_ACCURACY_FLOOR = 0.88
KIND_ACCURACY_FLOOR = 0.88
DENIAL_RECALL_FLOOR = 0.33

SETS = ("dev.jsonl", "heldout.jsonl")


# --- the gate -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline_reports() -> dict[str, QualityReport]:
    from extractors.statements import (
        extract_statements,  # the gate fails, not skips, when it is missing
    )

    reports = {}
    for name in SETS:
        report = score(load_devset(DEVSET / name), lambda a, w: extract_statements(a, w), name=name)
        print("\n" + report.format_report())
        reports[name] = report
    return reports


@pytest.mark.parametrize("name", SETS)
def test_pipeline_runs_on_every_document(pipeline_reports, name):
    assert pipeline_reports[name].failures == ()


@pytest.mark.parametrize("name", SETS)
def test_attribution_meets_floors(pipeline_reports, name):
    attribution = pipeline_reports[name].metric("attribution")
    assert attribution.recall >= ATTRIBUTION_RECALL_FLOOR, attribution
    assert attribution.precision >= ATTRIBUTION_PRECISION_FLOOR, attribution


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize(
    ("aspect", "floor"),
    [
        ("speaker", SPEAKER_ACCURACY_FLOOR),
        ("topic", TOPIC_ACCURACY_FLOOR),
        ("stance_label", STANCE_LABEL_ACCURACY_FLOOR),
        ("stance_sign", STANCE_SIGN_ACCURACY_FLOOR),
        ("date", DATE_ACCURACY_FLOOR),
        ("kind", KIND_ACCURACY_FLOOR),
    ],
)
def test_matched_statements_meet_floors(pipeline_reports, name, aspect, floor):
    metric = pipeline_reports[name].metric(aspect)
    assert metric.accuracy >= floor, metric


@pytest.mark.parametrize("name", SETS)
def test_denials_are_found(pipeline_reports, name):
    denial = pipeline_reports[name].metric("denial")
    assert denial.recall >= DENIAL_RECALL_FLOOR, denial


def test_pipeline_beats_the_said_baseline(pipeline_reports):
    baseline = score(load_devset(DEVSET / "heldout.jsonl"), said_baseline).metric("attribution")
    assert pipeline_reports["heldout.jsonl"].metric("attribution").f1 > baseline.f1


# --- the labelled data ---------------------------------------------------------


@pytest.mark.parametrize("name", SETS)
def test_devset_loads_with_exact_quotes(name):
    documents = load_devset(DEVSET / name)
    assert len({d.id for d in documents}) == len(documents)
    for document in documents:
        entity_ids = {e.id for e in document.watchlist.entities}
        topic_ids = {t.id for t in document.watchlist.topics}
        for gold in document.gold:
            assert document.article.text[gold.start : gold.end] == gold.quote
            assert gold.entity_id in entity_ids
            assert gold.topic_id is None or gold.topic_id in topic_ids
            assert (gold.topic_id is None) == (gold.stance_label is None)
            assert gold.kind in ("direct", "indirect", "report")
            assert (gold.stated_at is None) == (gold.precision is None)
        if document.article.published_at is not None:
            assert document.article.published_at.tzinfo is not None


def test_heldout_is_large_and_varied_enough():
    gold = [g for d in load_devset(DEVSET / "heldout.jsonl") for g in d.gold]
    labels = {g.stance_label for g in gold}
    assert len(gold) >= 60
    assert {"pro", "con", "hedged", "neutral", None} <= labels
    assert sum(g.is_denial for g in gold) >= 3
    assert {"direct", "indirect", "report"} <= {g.kind for g in gold}


def test_seeds_are_in_the_dev_set_with_their_dates():
    by_id = {d.id: d for d in load_devset(DEVSET / "dev.jsonl")}
    assert by_id["seed-001"].article.published_at == datetime(2025, 7, 30, tzinfo=timezone.utc)
    assert by_id["seed-002"].published_precision == "year"
    spokesperson = [g for g in by_id["seed-003"].gold if g.is_denial]
    assert spokesperson and all(g.entity_id == "meta" for g in spokesperson)


# --- the scorer, on a hand-made example -----------------------------------------

TEXT = (
    "Acme Corp said on Monday that it will stop selling widgets. "
    '"We remain fully committed to gadgets," said Jane Roe, the chief executive. '
    "A spokesperson said the plan was unchanged. "
    "Analysts expect more cuts."
)
ACME = Entity("acme", "Acme Corp", aliases=("Acme",), people=(Person("Jane Roe", "CEO"),))
WIDGETS = Topic("widgets", "Widgets", proposition="Acme sells widgets.", keywords=("widgets",))
GADGETS = Topic("gadgets", "Gadgets", proposition="Acme makes gadgets.", keywords=("gadgets",))
WATCHLIST = Watchlist(entities=(ACME,), topics=(WIDGETS, GADGETS))
PUBLISHED = datetime(2024, 3, 6, tzinfo=timezone.utc)  # a Wednesday; "on Monday" = 4 March


def _gold(quote, speaker, person, topic, stance, stated_at, cue, kind, denial=False, entity="acme",
          precision="day", alternatives=()) -> GoldStatement:
    start = TEXT.index(quote)
    return GoldStatement(quote, start, start + len(quote), speaker, person, tuple(alternatives), entity, topic,
                         stance, stated_at, precision if stated_at else None, cue, kind, denial)


def _document(*gold: GoldStatement, text: str = TEXT, watchlist: Watchlist = WATCHLIST) -> DevDocument:
    return DevDocument("example", Article(url="https://example.com/a", text=text, published_at=PUBLISHED),
                       watchlist, tuple(gold))


def _predicted(span, *, speaker, topic, stance, label, stated_at=date(2024, 3, 6), kind="indirect",
               denial=False, entity="acme", resolved=None, text=TEXT, start=None) -> Statement:
    begin = text.index(span) if start is None else start
    return Statement(entity_id=entity, speaker=speaker, text=span, start=begin, end=begin + len(span), cue="said",
                     kind=kind, stated_at=StatedDate(stated_at) if stated_at else None, attribution_confidence=0.9,
                     speaker_resolved=resolved, topic_id=topic, stance=stance, stance_label=label,
                     stance_confidence=0.8 if topic else None, is_denial=denial)


GOLD = (
    _gold("it will stop selling widgets", "Acme Corp", None, "widgets", "con", date(2024, 3, 4), "on Monday",
          "indirect"),
    _gold("We remain fully committed to gadgets", "Jane Roe", "Jane Roe", "gadgets", "pro", date(2024, 3, 6), None,
          "direct"),
    _gold("the plan was unchanged", "A spokesperson", "spokesperson", "widgets", "con", date(2024, 3, 6), None,
          "indirect", denial=True),
)
PREDICTED = [
    # the whole first sentence: contains gold 1, every aspect right
    _predicted("Acme Corp said on Monday that it will stop selling widgets.", speaker="Acme Corp",
               topic="widgets", stance=-0.6, label="con", stated_at=date(2024, 3, 4)),
    # gold 2 with the right span and speaker (last name only) but the wrong topic
    _predicted("We remain fully committed to gadgets", speaker="Roe", topic="widgets", stance=0.7, label="pro",
               kind="direct"),
    # an analyst's words: spurious
    _predicted("Analysts expect more cuts.", speaker="Analysts", topic="widgets", stance=-0.3, label="con"),
]  # gold 3 (the denial) is missed


@pytest.fixture(scope="module")
def example() -> QualityReport:
    return score([_document(*GOLD)], lambda article, watchlist: PREDICTED, name="example")


def _prf(report: QualityReport, name: str) -> tuple[float, float, float]:
    m = report.metric(name)
    return round(m.precision, 4), round(m.recall, 4), round(m.accuracy, 4)


def test_example_counts(example):
    assert (example.gold_total, example.predicted_total, example.matched) == (3, 3, 2)


def test_example_metrics_computed_by_hand(example):
    third, two_thirds = round(1 / 3, 4), round(2 / 3, 4)
    assert _prf(example, "attribution") == (two_thirds, two_thirds, 1.0)  # 2 of 3 either way, both right entity
    assert _prf(example, "speaker") == (two_thirds, two_thirds, 1.0)  # "Acme Corp" = company; "Roe" ~ Jane Roe
    assert _prf(example, "topic") == (third, third, 0.5)  # only the first match has the right topic
    assert _prf(example, "stance_label") == (third, third, 1.0)  # 3 on-topic predicted, 3 gold; 1 right
    assert _prf(example, "stance_sign") == (third, third, 1.0)  # -0.6 against a gold "con"
    assert _prf(example, "date") == (two_thirds, two_thirds, 1.0)  # "on Monday" -> 4 March, and the default
    assert _prf(example, "date_cued") == (1.0, 1.0, 1.0)
    assert _prf(example, "kind") == (two_thirds, two_thirds, 1.0)
    assert _prf(example, "denial") == (0.0, 0.0, 1.0)  # the only denial was missed
    assert example.metric("attribution").f1 == pytest.approx(2 / 3)
    assert example.metric("topic").f1 == pytest.approx(1 / 3)


def test_example_breakdowns(example):
    assert example.recall_by_kind == (("direct", 1, 1), ("indirect", 1, 2), ("report", 0, 0))
    assert example.stance_confusion == (("con", "con", 1), ("pro", "other-topic", 1))
    problems = sorted(f.problem for f in example.findings)
    assert problems == ["missed", "spurious", "topic"]


def test_report_renders_as_table_and_json(example):
    table = example.format_report(findings=True)
    assert "attribution" in table and "0.667" in table and "missed" in table
    data = json.loads(json.dumps(example.to_dict()))
    assert data["metrics"]["topic"]["precision"] == round(1 / 3, 4)
    assert data["stance_confusion"][0] == {"gold": "con", "predicted": "con", "count": 1}


def test_span_overlap_threshold():
    text = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11"
    gold = GoldStatement("w0 w1 w2 w3 w4 w5", 0, len("w0 w1 w2 w3 w4 w5"), "Acme", None, (), "acme", None, None,
                         None, None, None, "indirect", False)

    def matches(span: str) -> int:
        predicted = _predicted(span, speaker="Acme", topic=None, stance=None, label=None, text=text)
        document = _document(gold, text=text)
        return score([document], lambda a, w: [predicted]).matched

    assert MATCH_THRESHOLD == 0.5
    assert matches("w3 w4 w5 w6 w7 w8 w9 w10") == 1  # 3 shared / min(6, 8) = 0.5
    assert matches("w4 w5 w6 w7 w8 w9 w10") == 0  # 2 / 6
    assert matches("w4 w5") == 1  # 2 / min(6, 2): a short quote inside the gold clause


def test_one_prediction_consumes_one_gold_and_entity_breaks_ties():
    text = "Acme and Bolt agreed a deal, executives of both companies said."
    bolt = Entity("bolt", "Bolt")
    watchlist = Watchlist(entities=(ACME, bolt), topics=())
    quote = "Acme and Bolt agreed a deal"
    golds = tuple(GoldStatement(quote, 0, len(quote), "executives", None, (), e, None, None, None, None, None,
                                "indirect", False) for e in ("acme", "bolt"))
    document = _document(*golds, text=text, watchlist=watchlist)
    for_bolt = _predicted(quote, speaker="Bolt", topic=None, stance=None, label=None, entity="bolt", text=text)
    one = score([document], lambda a, w: [for_bolt])
    assert (one.matched, one.metric("attribution").correct) == (1, 1)  # matched to the Bolt gold, not Acme's
    for_acme = _predicted(text, speaker="Acme", topic=None, stance=None, label=None, text=text)
    both = score([document], lambda a, w: [for_acme, for_bolt])
    assert both.metric("attribution").recall == 1.0


def test_pronouns_count_only_when_resolved():
    gold = _gold("We remain fully committed to gadgets", "he", "Jane Roe", "gadgets", "pro", date(2024, 3, 6),
                 None, "direct")

    def speaker_right(**names) -> int:
        predicted = _predicted("We remain fully committed to gadgets", topic="gadgets", stance=0.5, label="pro",
                               kind="direct", **names)
        return score([_document(gold)], lambda a, w: [predicted]).metric("speaker").correct

    assert speaker_right(speaker="he") == 0
    assert speaker_right(speaker="he", resolved="Jane Roe") == 1
    assert speaker_right(speaker="Jane Roe, the chief executive") == 1
    assert speaker_right(speaker="Acme") == 0


@pytest.mark.parametrize(
    ("precision", "predicted_day", "right"),
    [("day", date(2024, 3, 4), True), ("day", date(2024, 3, 5), False), ("month", date(2024, 3, 30), True),
     ("month", date(2024, 4, 1), False), ("year", date(2024, 12, 31), True), ("year", date(2023, 12, 31), False)],
)
def test_dates_are_compared_at_the_gold_precision(precision, predicted_day, right):
    gold = _gold("it will stop selling widgets", "Acme Corp", None, "widgets", "con", date(2024, 3, 4),
                 "on Monday", "indirect", precision=precision)
    predicted = _predicted("it will stop selling widgets", speaker="Acme", topic="widgets", stance=-0.5,
                           label="con", stated_at=predicted_day)
    report = score([_document(gold)], lambda a, w: [predicted])
    assert report.metric("date").correct == int(right)


def test_bad_offsets_fall_back_to_the_text_and_are_counted():
    predicted = _predicted("it will stop selling widgets", speaker="Acme", topic=None, stance=None, label=None,
                           start=3)
    report = score([_document(GOLD[0])], lambda a, w: [predicted])
    assert (report.matched, report.offset_errors) == (1, 1)


def test_an_extractor_that_raises_is_reported_not_fatal():
    def broken(article, watchlist):
        raise RuntimeError("boom")

    report = score([_document(*GOLD)], broken)
    assert report.failures == ("example: RuntimeError: boom",)
    assert report.metric("attribution").recall == 0.0


def test_command_line_scores_the_baseline_as_json(capsys):
    assert main([str(DEVSET / "heldout.jsonl"), "--baseline", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "heldout.jsonl"
    assert data["gold"] == sum(len(d.gold) for d in load_devset(DEVSET / "heldout.jsonl"))
    assert set(data["metrics"]) >= {"attribution", "speaker", "topic", "stance_label", "stance_sign", "date",
                                    "kind", "denial"}


def test_a_span_filed_under_two_topics_matches_on_the_gold_topic():
    rows = [
        _predicted("it will stop selling widgets", speaker="Acme", topic=topic, stance=-0.5, label="con")
        for topic in ("gadgets", "widgets")
    ]
    report = score([_document(GOLD[0])], lambda a, w: rows)
    assert (report.matched, report.metric("topic").correct, report.predicted_total) == (1, 1, 2)


def test_exact_repeats_are_scored_once():
    row = _predicted("it will stop selling widgets", speaker="Acme", topic="widgets", stance=-0.5, label="con")
    report = score([_document(GOLD[0])], lambda a, w: [row, row])
    assert (report.predicted_total, report.duplicates, report.metric("attribution").precision) == (1, 1, 1.0)
