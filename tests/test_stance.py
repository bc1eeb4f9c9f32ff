"""Stance rules on invented companies and topics, templates across topics, and the seed expectations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from extractors.stance import StanceResult, score_stance
from storage.records import Topic

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

REMOTE = Topic(
    id="remote-work",
    name="Remote work",
    proposition="Acme lets employees work remotely",
    keywords=("remote work", "office"),
    pro=("remote work", "work from home", "hybrid"),
    con=("return to office", "in-office"),
)
FREE_TIER = Topic(
    id="free-tier",
    name="Free tier",
    proposition="Zentrix keeps a free tier for its app",
    keywords=("free tier", "pricing"),
    pro=("free tier", "free plan"),
    con=("paywall", "subscription-only"),
)
NUCLEAR = Topic(
    id="nuclear",
    name="Nuclear power",
    proposition="Voltara builds and operates nuclear power plants",
    keywords=("nuclear", "reactor"),
    pro=("nuclear power", "nuclear energy", "new reactors"),
    con=("phase out nuclear", "shut down reactors"),
)
ENCRYPTION = Topic(
    id="e2ee",
    name="End-to-end encryption",
    proposition="Chatterly encrypts messages end to end by default",
    keywords=("encryption",),
    pro=("end-to-end encryption", "encrypted by default"),
    con=("backdoor", "client-side scanning"),
)

# (text, topic, accepted labels, is_denial or None when either is fine)
CASES = [
    ("Acme will require all staff to return to the office five days a week.", REMOTE, {"con"}, False),
    ("We are ending our work-from-home policy.", REMOTE, {"con"}, False),
    ("Acme remains committed to hybrid work.", REMOTE, {"pro"}, True),
    ("Acme is moving away from remote work in favor of in-office collaboration.", REMOTE, {"con"}, False),
    ("We may allow some employees to work from home on Fridays.", REMOTE, {"hedged"}, False),
    ("Acme has no plans to end remote work.", REMOTE, {"pro"}, True),
    ("If sales drop, we would consider a return to the office.", REMOTE, {"hedged"}, False),
    ("Acme will replace remote work with a mandatory in-office policy.", REMOTE, {"con"}, False),
    ("Acme shifted from in-office work to a hybrid model.", REMOTE, {"pro"}, False),
    ("Remote work is here to stay.", REMOTE, {"pro"}, False),
    ("We will never return to the office full time.", REMOTE, {"pro"}, False),
    ("Acme no longer lets employees work from home.", REMOTE, {"con"}, False),
    ("Acme stopped allowing remote work.", REMOTE, {"con"}, False),
    ("Remote work was a mistake.", REMOTE, {"con"}, False),
    ("Ending remote work would be a mistake.", REMOTE, {"pro"}, False),
    ("Remote work is not dead.", REMOTE, {"pro"}, False),
    ("Remote work was abandoned last year.", REMOTE, {"con"}, False),
    ("Is remote work over?", REMOTE, {"hedged"}, False),
    ("The office is closed on Monday.", REMOTE, {"neutral"}, False),
    ("We will stop letting employees work remotely.", REMOTE, {"con"}, False),
    ("Zentrix will put its app behind a paywall.", FREE_TIER, {"con"}, False),
    ("We are walking back the free tier.", FREE_TIER, {"con"}, False),
    ("Zentrix reiterated its commitment to the free plan.", FREE_TIER, {"pro"}, True),
    ("The free tier is not going anywhere.", FREE_TIER, {"pro"}, True),
    ("We have no intention of adding a paywall.", FREE_TIER, {"pro"}, True),
    ("Zentrix denied reports that it would scrap the free plan.", FREE_TIER, {"pro"}, True),
    ("Some features may move behind a paywall.", FREE_TIER, {"hedged", "con"}, False),
    ("Voltara will phase out nuclear by 2035.", NUCLEAR, {"con"}, False),
    ("We will not shut down our reactors.", NUCLEAR, {"pro"}, False),
    ("Nuclear energy is the way forward for a low-carbon grid.", NUCLEAR, {"pro"}, False),
    ("Voltara scrapped plans for new reactors.", NUCLEAR, {"con"}, False),
    ("Voltara is weighing whether to build new reactors.", NUCLEAR, {"hedged"}, False),
    ("We are cautious about nuclear power.", NUCLEAR, {"hedged"}, False),
    ("Voltara chose gas instead of nuclear power.", NUCLEAR, {"con"}, False),
    ("Chatterly will never build a backdoor into its app.", ENCRYPTION, {"pro"}, False),
    ("Chatterly rolled back end-to-end encryption for group chats.", ENCRYPTION, {"con"}, False),
    ("Chatterly expanded end-to-end encryption to all chats.", ENCRYPTION, {"pro"}, False),
    ("Our commitment to end-to-end encryption has not changed.", ENCRYPTION, {"pro"}, True),
    ("Chatterly will introduce client-side scanning.", ENCRYPTION, {"con"}, False),
    ("Chatterly said encryption was on the agenda.", ENCRYPTION, {"neutral"}, False),
    ("Chatterly's CEO did not mention end-to-end encryption.", ENCRYPTION, {"neutral"}, False),
    ("When asked about a backdoor, Chatterly said it backs end-to-end encryption.", ENCRYPTION, {"pro"}, False),
]


@pytest.mark.parametrize(("text", "topic", "labels", "denial"), CASES, ids=[c[0][:50] for c in CASES])
def test_generic_cases(text: str, topic: Topic, labels: set[str], denial: bool | None) -> None:
    result = score_stance(text, topic)
    assert result.label in labels, _explain(result)
    if denial is not None:
        assert result.is_denial is denial, _explain(result)
    _assert_consistent(result)


# The same sentence shapes must work for any topic: {pro}/{con} are filled per topic.
PHRASES = {
    "remote-work": (REMOTE, "remote work", "in-office work"),
    "free-tier": (FREE_TIER, "the free plan", "a paywall"),
    "nuclear": (NUCLEAR, "nuclear power", "shutting down reactors"),
    "e2ee": (ENCRYPTION, "end-to-end encryption", "client-side scanning"),
}
TEMPLATES = [
    ("The company will abandon {pro}.", {"con"}, False),
    ("The company will abandon {pro} in favor of {con}.", {"con"}, False),
    ("The company is moving away from {con}.", {"pro"}, False),
    ("The company does not support {pro}.", {"con"}, False),
    ("The company remains committed to {pro}.", {"pro"}, True),
    ("The company has no plans to drop {pro}.", {"pro"}, True),
    ("The company replaced {con} with {pro}.", {"pro"}, False),
    ("The company is cautious about {pro}.", {"hedged"}, False),
    ("The company wants a mix of {pro} and {con}.", {"hedged"}, False),
    ("The company said {pro} was a mistake.", {"con"}, False),
    ("The company halted {pro} to focus on {con}.", {"con"}, False),
    ("The company shifted from {con} to {pro}.", {"pro"}, False),
    ("The company will keep {pro}.", {"pro"}, False),
    ("The company said {pro} is the way forward.", {"pro"}, False),
]


@pytest.mark.parametrize("topic_key", sorted(PHRASES))
@pytest.mark.parametrize(("template", "labels", "denial"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_templates_across_topics(topic_key: str, template: str, labels: set[str], denial: bool) -> None:
    topic, pro, con = PHRASES[topic_key]
    text = template.format(pro=pro, con=con)
    result = score_stance(text, topic)
    assert result.label in labels, _explain(result)
    assert result.is_denial is denial, _explain(result)


# Sentence shapes met in news copy: restatements despite bad news, bad outcomes of a
# policy, denials in their usual wordings, commitment and cancellation verbs, composed
# verbs ("delayed the launch of"), relative clauses, alternatives and emphatic "never".
MORE_TEMPLATES = [
    ("Our results do not change our support for {pro}.", {"pro"}, False),
    ("This does not change our commitment to {pro}.", {"pro"}, False),
    ("The company said {pro} cost us too many customers.", {"con"}, False),
    ("The company said {pro} hurt our margins.", {"con"}, False),
    ("The company said {pro} backfired.", {"con"}, False),
    ("The company said {pro} is not viable.", {"con"}, False),
    ("The company said {pro} has worked well for us.", {"pro"}, False),
    ("At no time did the company consider abandoning {pro}.", {"pro"}, True),
    ("The company's leaders have denied that they plan to scrap {pro}.", {"pro"}, True),
    ("The company will continue to offer {pro}.", {"pro"}, True),
    ("The company will delay {pro}.", {"con"}, False),
    ("The company postponed {pro}.", {"con"}, False),
    ("The company will cut {pro}.", {"con"}, False),
    ("The company will exit {pro}.", {"con"}, False),
    ("The company is committed to expanding {pro}.", {"pro"}, False),
    ("The company is committed to ending {pro}.", {"con"}, False),
    ("The company delayed the launch of {pro}.", {"con"}, False),
    ("The company will invest in {pro}.", {"pro"}, False),
    ("We have never had demand like this for {pro}.", {"pro"}, False),
    ("Customers either want {pro} or they don't.", {"hedged"}, False),
    ("The company said {pro} will end in May.", {"con"}, False),
    ("The company will expand {pro} in regions that do not have it yet.", {"pro"}, False),
    ("The company wants to avoid {con}.", {"pro"}, False),
]


@pytest.mark.parametrize("topic_key", sorted(PHRASES))
@pytest.mark.parametrize(("template", "labels", "denial"), MORE_TEMPLATES, ids=[t[0] for t in MORE_TEMPLATES])
def test_more_templates_across_topics(topic_key: str, template: str, labels: set[str], denial: bool) -> None:
    topic, pro, con = PHRASES[topic_key]
    result = score_stance(template.format(pro=pro, con=con), topic)
    assert result.label in labels, _explain(result)
    assert result.is_denial is denial, _explain(result)
    _assert_consistent(result)


# Topics whose proposition is itself a move away ("is cutting jobs", "closes its coal
# plants"): a keyword made of the proposition's words points the way the proposition
# takes it, so "cut jobs" supports it and "keep jobs" opposes it.
JOB_CUTS = Topic(
    id="borlo-cuts",
    name="Job cuts at Borlo",
    proposition="Borlo is cutting jobs as part of its restructuring.",
    keywords=("jobs", "layoffs", "headcount", "restructuring"),
    pro=("job cuts", "layoffs"),
    con=("hiring", "new jobs"),
)
COAL_EXIT = Topic(
    id="coal-exit",
    name="Coal exit",
    proposition="Gridco closes its coal plants.",
    keywords=("coal plants", "coal"),
    pro=("coal phase-out", "close coal plants"),
    con=("new coal plant",),
)
UPTIME = Topic(
    id="uptime",
    name="Service reliability",
    proposition="Streamly's service runs reliably.",
    keywords=("reliability",),
    pro=("reliable", "uptime"),
    con=("outage", "downtime"),
)
FOUR_DAY_WEEK = Topic(
    id="short-week",
    name="Four-day week",
    proposition="Pellmark gives its staff a four-day week without cutting pay.",
    keywords=("four-day week", "working hours"),
    pro=("four-day week", "32-hour week"),
    con=("five-day week",),
)

ORIENTED_CASES = [
    ("Borlo will cut 1,200 jobs.", JOB_CUTS, {"pro"}, False),
    ("Administrative jobs will be cut.", JOB_CUTS, {"pro"}, False),
    ("Borlo plans to eliminate 300 jobs in its sales unit.", JOB_CUTS, {"pro"}, False),
    ("Borlo will keep all jobs.", JOB_CUTS, {"con"}, False),
    ("Borlo will not cut any jobs.", JOB_CUTS, {"con"}, None),
    ("Job cuts will be made in units that do not support our core goals.", JOB_CUTS, {"pro"}, False),
    ("We have to make some necessary job cuts.", JOB_CUTS, {"pro"}, False),
    ("Borlo said headcount was 4,000 at the end of the year.", JOB_CUTS, {"neutral"}, False),
    ("Gridco will shut down its coal plants by 2030.", COAL_EXIT, {"pro"}, False),
    ("Gridco delayed the closure of its coal plants.", COAL_EXIT, {"con"}, False),
    ("Gridco will keep its coal plants running.", COAL_EXIT, {"con"}, False),
    ("Coal plants are essential for grid stability.", COAL_EXIT, {"con"}, False),
    ("Gridco postponed the coal phase-out.", COAL_EXIT, {"con"}, False),
    ("We fixed the outage within hours.", UPTIME, {"pro"}, False),
    ("Engineers resolved the downtime quickly.", UPTIME, {"pro"}, False),
    # A bad outcome of a problem term reports the problem as much as it rejects a choice.
    ("The outage hurt thousands of customers.", UPTIME, {"neutral", "hedged"}, False),
    ("We had some outages last week.", UPTIME, {"con"}, False),
    ("Our results do not change our support for the four-day week.", FOUR_DAY_WEEK, {"pro"}, False),
    ("The company would not change its working hours.", FOUR_DAY_WEEK, {"neutral", "hedged"}, True),
    ("The four-day week cost us too many cancelled trains.", FOUR_DAY_WEEK, {"con"}, False),
    ("We continue to see strong demand.", FREE_TIER, {"neutral"}, False),
    ("We've never had demand that we saw that day for the free plan.", FREE_TIER, {"pro"}, False),
    ("You are either on the free plan or you're not.", FREE_TIER, {"hedged"}, False),
    ("Remote work is somewhat popular.", REMOTE, {"pro", "hedged"}, False),
    ("The reactor was shut down for maintenance on Monday.", NUCLEAR, {"neutral"}, False),
    ("We do not comment on encryption.", ENCRYPTION, {"neutral"}, False),
    ("Acme will not change its office policy.", REMOTE, {"neutral", "hedged"}, True),
    ("Acme will not back down from its return to office mandate.", REMOTE, {"con"}, True),
]


@pytest.mark.parametrize(("text", "topic", "labels", "denial"), ORIENTED_CASES, ids=[c[0][:50] for c in ORIENTED_CASES])
def test_oriented_keywords_and_everyday_shapes(text: str, topic: Topic, labels: set[str], denial: bool | None) -> None:
    result = score_stance(text, topic)
    assert result.label in labels, _explain(result)
    if denial is not None:
        assert result.is_denial is denial, _explain(result)
    _assert_consistent(result)


def test_a_company_restating_despite_news_is_not_denying_its_own_change() -> None:
    restated = score_stance("Our results do not change our support for the four-day week.", FOUR_DAY_WEEK)
    denied = score_stance("We will not change our support for the four-day week.", FOUR_DAY_WEEK)
    assert restated.label == denied.label == "pro"
    assert not restated.is_denial and denied.is_denial
    assert any(c.kind == "unchanged" for c in restated.cues)


# The reporting verb outside the span: (span, cue, kind, accepted labels, is_denial).
CUE_CASES = [
    ("it would scrap {pro}", "denied", "indirect", {"pro"}, True),
    ("that it is ending {pro}", "denies", "indirect", {"pro"}, True),
    ("the company's commitment to {pro}", "reiterated", "indirect", {"pro"}, True),
    ("its support for {pro}", "reaffirmed", "indirect", {"pro"}, True),
    ("{pro}", "opposed", "indirect", {"con"}, False),
    ("{pro}", "criticized", "indirect", {"con"}, False),
    ("reports that it would end {pro}", "rejected", "indirect", {"pro"}, True),
    ("{pro}", "championed", "indirect", {"pro"}, False),
    ("to expand {pro}", "pledged", "indirect", {"pro"}, False),
    # A quoted denial is the speaker's own words: nothing to flip.
    ("We will keep {pro}", "denied", "direct", {"pro"}, True),
    ("{pro} would stay", "said", "indirect", {"pro"}, False),
]


@pytest.mark.parametrize("topic_key", sorted(PHRASES))
@pytest.mark.parametrize(
    ("span", "cue", "kind", "labels", "denial"), CUE_CASES, ids=[f"{c[1]}: {c[0]}" for c in CUE_CASES]
)
def test_the_reporting_cue_sets_how_the_span_counts(
    topic_key: str, span: str, cue: str, kind: str, labels: set[str], denial: bool
) -> None:
    topic, pro, _ = PHRASES[topic_key]
    text = span.format(pro=pro)
    result = score_stance(text, topic, kind=kind, cue=cue)
    assert result.label in labels, _explain(result)
    assert result.is_denial is denial, _explain(result)
    _assert_consistent(result)


def test_a_plain_cue_changes_nothing_and_the_cue_is_optional() -> None:
    text = "the company would scrap the free plan"
    plain = score_stance(text, FREE_TIER, kind="indirect")
    said = score_stance(text, FREE_TIER, kind="indirect", cue="said")
    denied = score_stance(text, FREE_TIER, kind="indirect", cue="denied")
    assert plain == said
    assert plain.label == "con" and not plain.is_denial
    assert denied.score == pytest.approx(-plain.score)
    assert any(c.kind == "negation" and c.text == "denied" for c in denied.cues)


def test_change_verb_flips_the_term_it_governs_and_keeps_the_chosen_one() -> None:
    result = score_stance("The company will abandon remote work in favor of in-office work.", REMOTE)
    by_text = {cue.text: cue for cue in result.cues}
    assert by_text["remote work"].weight < 0  # a pro term, left behind
    assert by_text["in-office"].weight < 0  # a con term, chosen
    assert by_text["abandon"].kind == "change"
    assert result.score <= -0.5


def test_negation_is_explained_by_its_cue() -> None:
    result = score_stance("Acme will not offer remote work.", REMOTE)
    kinds = {cue.kind: cue for cue in result.cues}
    assert kinds["negation"].text == "not"
    assert kinds["pro"].weight == pytest.approx(-1.0)
    assert result.label == "con"


def test_partial_negation_is_weaker_than_plain_negation() -> None:
    plain = score_stance("Acme will not offer remote work.", REMOTE)
    partial = score_stance("Acme will not offer remote work to all employees.", REMOTE)
    assert plain.score < partial.score < 0
    assert any(cue.kind == "quantifier" for cue in partial.cues)


def test_hedges_pull_the_score_toward_zero() -> None:
    plain = score_stance("Zentrix keeps the free plan.", FREE_TIER)
    hedged = score_stance("Zentrix might keep the free plan, but it is evaluating options.", FREE_TIER)
    assert 0 < hedged.score < plain.score
    assert hedged.label == "hedged"


def test_a_hedge_softens_only_its_own_sentence() -> None:
    firm = "Zentrix will keep the free plan."
    alone = score_stance(firm, FREE_TIER)
    with_hedged_second = score_stance(firm + " It may also test a paywall in a mix of markets.", FREE_TIER)
    assert alone.label == "pro"
    assert with_hedged_second.label == "pro"
    assert with_hedged_second.score < alone.score


def test_anaphor_takes_the_term_from_context() -> None:
    context = "Voltara has championed nuclear power for decades."
    result = score_stance("If costs keep rising, Voltara would stop doing so.", NUCLEAR, context=context)
    assert result.label in ("hedged", "con")
    assert any(cue.kind == "anaphor" and cue.weight < 0 for cue in result.cues)


def test_report_is_less_confident_than_a_direct_quote() -> None:
    text = "Acme is moving away from remote work."
    direct = score_stance(text, REMOTE, kind="direct")
    report = score_stance(text, REMOTE, kind="report")
    assert direct.score == report.score
    assert report.confidence < direct.confidence


def test_more_agreeing_evidence_raises_confidence() -> None:
    one = score_stance("Acme backs remote work.", REMOTE)
    two = score_stance("Acme backs remote work and wants to expand hybrid schedules.", REMOTE)
    assert two.label == one.label == "pro"
    assert two.confidence > one.confidence


def test_no_topic_words_is_neutral_with_no_cues_of_stance() -> None:
    result = score_stance("The weather was fine and the meeting ended early.", REMOTE)
    assert result.label == "neutral"
    assert result.score == 0.0
    assert not [c for c in result.cues if c.kind in ("pro", "con")]


# --- the founding articles -----------------------------------------------------


@pytest.fixture(scope="module")
def seed_topic() -> Topic:
    config = yaml.safe_load((SEEDS / "watchlist.yaml").read_text(encoding="utf-8"))
    raw = next(t for t in config["topics"] if t["id"] == "open-source-ai")
    return Topic(
        id=raw["id"],
        name=raw["name"],
        proposition=raw["proposition"],
        keywords=tuple(raw["keywords"]),
        pro=tuple(raw["pro"]),
        con=tuple(raw["con"]),
    )


@pytest.fixture(scope="module")
def seed_text() -> str:
    lines = (SEEDS / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    return "\n".join(json.loads(line)["text"] for line in lines if line.strip())


def _seed_sentence(seed_text: str, fragment: str) -> str:
    """The sentence of the founding articles that contains the fragment."""
    position = seed_text.find(fragment)
    assert position >= 0, fragment
    starts = [m.end() for m in re.finditer(r"(?:^|\n|[.!?][”\"]?\s+)", seed_text[:position])]
    start = starts[-1] if starts else 0
    end = position + len(fragment)
    if fragment[-1] not in ".!?":
        end_match = re.search(r"[.!?][”\"]?(?=\s|$)|\n", seed_text[end:])
        end += end_match.end() if end_match else 0
    return seed_text[start:end].strip()


SEED_CASES = [
    ("careful about what we choose to open source", {"hedged", "con"}, None),
    ("Our position on open source AI is unchanged", {"pro"}, True),
    ("we expect to continue training a mix of open and closed models", {"hedged"}, None),
    ("discussed abandoning the company’s most powerful open source A.I. model", {"con"}, None),
    ("The platform that will win will be the open one.", {"pro"}, None),
    ("Meta would refrain from doing so", {"hedged", "con"}, None),
    ("halted testing of its latest Llama model", {"con"}, None),
    ("We plan to continue releasing leading open source models.", {"pro"}, None),
]


@pytest.mark.parametrize(("fragment", "labels", "denial"), SEED_CASES, ids=[c[0][:40] for c in SEED_CASES])
def test_seed_expectations(seed_text: str, seed_topic: Topic, fragment: str, labels: set[str], denial: bool | None) -> None:
    sentence = _seed_sentence(seed_text, fragment)
    assert len(sentence) > len(fragment) or sentence == fragment
    result = score_stance(sentence, seed_topic)
    assert result.label in labels, (sentence, _explain(result))
    if denial is not None:
        assert result.is_denial is denial


def test_seed_post_title_is_pro(seed_text: str, seed_topic: Topic) -> None:
    title = re.search(r"entitled \"([^\"]+)\"", seed_text).group(1)
    assert title == "Open Source AI is the Path Forward"
    assert score_stance(title, seed_topic).label == "pro"


def test_abandoning_in_favor_of_a_closed_model_is_against_even_if_it_sounds_positive(seed_topic: Topic) -> None:
    text = "Meta discussed abandoning its most powerful open source model in favor of developing a closed model."
    result = score_stance(text, seed_topic)
    assert result.score <= -0.5


# --- helpers --------------------------------------------------------------------


def _assert_consistent(result: StanceResult) -> None:
    assert -1.0 <= result.score <= 1.0
    assert 0.0 <= result.confidence <= 1.0
    if result.label == "pro":
        assert result.score >= 0.3
    elif result.label == "con":
        assert result.score <= -0.3
    else:
        assert abs(result.score) < 0.3


def _explain(result: StanceResult) -> str:
    cues = "; ".join(f"{c.kind}:{c.text}:{c.weight:+.2f}" for c in result.cues)
    return f"{result.label} {result.score:+.2f} denial={result.is_denial} [{cues}]"
