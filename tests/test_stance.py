"""Stance rules on invented companies and topics, templates across topics, and the seed expectations."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from extractors.stance import RULES, StanceResult, reports_change, score_stance
from storage.records import Topic
from tests.support import REPO_SEEDS
from tests.support.topics import RECYCLING

SEEDS = REPO_SEEDS

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

# Every case names the rule of the table it covers (it must fire on the case), or TOPIC_TERMS
# when only the topic's own pro/con terms decide; every rule of the table has a case.
TOPIC_TERMS = "topic-terms"

# (rule, text, topic, accepted labels, is_denial or None when either is fine)
CASES = [
    ("topic-terms", "Acme will require all staff to return to the office five days a week.", REMOTE, {"con"}, False),
    ("away", "We are ending our work-from-home policy.", REMOTE, {"con"}, False),
    ("unchanged", "Acme remains committed to hybrid work.", REMOTE, {"pro"}, True),
    ("in-favor-of", "Acme is moving away from remote work in favor of in-office collaboration.", REMOTE, {"con"}, False),
    ("modal", "We may allow some employees to work from home on Fridays.", REMOTE, {"hedged"}, False),
    ("denial-marker", "Acme has no plans to end remote work.", REMOTE, {"pro"}, True),
    ("conditional", "If sales drop, we would consider a return to the office.", REMOTE, {"hedged"}, False),
    ("replace", "Acme will replace remote work with a mandatory in-office policy.", REMOTE, {"con"}, False),
    ("shift-from", "Acme shifted from in-office work to a hybrid model.", REMOTE, {"pro"}, False),
    ("toward", "Remote work is here to stay.", REMOTE, {"pro"}, False),
    ("negation", "We will never return to the office full time.", REMOTE, {"pro"}, False),
    ("negation", "Acme no longer lets employees work from home.", REMOTE, {"con"}, False),
    ("away", "Acme stopped allowing remote work.", REMOTE, {"con"}, False),
    ("negative-evaluation", "Remote work was a mistake.", REMOTE, {"con"}, False),
    ("negative-evaluation", "Ending remote work would be a mistake.", REMOTE, {"pro"}, False),
    ("negation", "Remote work is not dead.", REMOTE, {"pro"}, False),
    ("away", "Remote work was abandoned last year.", REMOTE, {"con"}, False),
    ("question", "Is remote work over?", REMOTE, {"hedged"}, False),
    ("away", "The office is closed on Monday.", REMOTE, {"neutral"}, False),
    ("away", "We will stop letting employees work remotely.", REMOTE, {"con"}, False),
    ("topic-terms", "Zentrix will put its app behind a paywall.", FREE_TIER, {"con"}, False),
    ("away", "We are walking back the free tier.", FREE_TIER, {"con"}, False),
    ("denial-marker", "Zentrix reiterated its commitment to the free plan.", FREE_TIER, {"pro"}, True),
    ("unchanged", "The free tier is not going anywhere.", FREE_TIER, {"pro"}, True),
    ("denial-marker", "We have no intention of adding a paywall.", FREE_TIER, {"pro"}, True),
    ("negation", "Zentrix denied reports that it would scrap the free plan.", FREE_TIER, {"pro"}, True),
    ("weak-limiter", "Some features may move behind a paywall.", FREE_TIER, {"hedged", "con"}, False),
    ("topic-terms", "Voltara will phase out nuclear by 2035.", NUCLEAR, {"con"}, False),
    ("negation", "We will not shut down our reactors.", NUCLEAR, {"pro"}, False),
    ("positive-evaluation", "Nuclear energy is the way forward for a low-carbon grid.", NUCLEAR, {"pro"}, False),
    ("away", "Voltara scrapped plans for new reactors.", NUCLEAR, {"con"}, False),
    ("hedge", "Voltara is weighing whether to build new reactors.", NUCLEAR, {"hedged"}, False),
    ("hedge", "We are cautious about nuclear power.", NUCLEAR, {"hedged"}, False),
    ("instead-of", "Voltara chose gas instead of nuclear power.", NUCLEAR, {"con"}, False),
    ("negation", "Chatterly will never build a backdoor into its app.", ENCRYPTION, {"pro"}, False),
    ("away", "Chatterly rolled back end-to-end encryption for group chats.", ENCRYPTION, {"con"}, False),
    ("toward", "Chatterly expanded end-to-end encryption to all chats.", ENCRYPTION, {"pro"}, False),
    ("unchanged", "Our commitment to end-to-end encryption has not changed.", ENCRYPTION, {"pro"}, True),
    ("toward", "Chatterly will introduce client-side scanning.", ENCRYPTION, {"con"}, False),
    ("topic-terms", "Chatterly said encryption was on the agenda.", ENCRYPTION, {"neutral"}, False),
    ("mention", "Chatterly's CEO did not mention end-to-end encryption.", ENCRYPTION, {"neutral"}, False),
    ("question-frame", "When asked about a backdoor, Chatterly said it backs end-to-end encryption.", ENCRYPTION, {"pro"}, False),
    ("concession-before", "Even though costs rose, Acme will keep remote work.", REMOTE, {"pro"}, False),
    ("concession-after", "Staff liked remote work, but Acme will end it.", REMOTE, {"hedged", "con"}, False),
    ("limiter", "Acme will offer only limited remote work.", REMOTE, {"hedged"}, False),
    ("partial-negation", "Acme will not offer remote work to all employees.", REMOTE, {"hedged"}, False),
    ("onset", "Starting on May 6, staff will be required to return to the office.", REMOTE, {"con"}, False),
    ("onset", "Zentrix will soon put its app behind a paywall.", FREE_TIER, {"con"}, False),
    # a judgement on the object of a change verb names the thing; the change decides
    ("away", "Zentrix is dropping its widely criticized paywall for students.", FREE_TIER, {"pro"}, False),
    ("criticism", "Zentrix dropped the free plan, criticized by analysts.", FREE_TIER, {"con"}, False),
    # "... and will not ...": a clause of its own, its negation does not reach back
    ("negation", "We are not adding a paywall and will not do so.", FREE_TIER, {"pro"}, False),
    ("shift-from", "Voltara will transition its spending from nuclear power to wind farms.", NUCLEAR, {"con"}, False),
    ("away", "Zentrix will limit the free plan to students.", FREE_TIER, {"con", "hedged"}, False),
    # "exempt from" negates what it takes
    ("negation", "Old accounts stay exempt from the paywall.", FREE_TIER, {"pro"}, False),
    # a judgement in an apposition describes the subject, it does not judge the clause
    ("negation", "Zentrix, the most popular chat app, will no longer offer a free plan.", FREE_TIER, {"con"}, False),
    # "even if" concedes, it does not make a condition
    ("concession-before", "Acme lets staff work from home, even if they live abroad.", REMOTE, {"pro"}, False),
    ("toward", "Chatterly is bringing end-to-end encryption to all chats.", ENCRYPTION, {"pro"}, False),
    ("available", "Soon, Chatterly encryption will be available to all users.", ENCRYPTION, {"pro"}, False),
    ("available", "Chatterly will make end-to-end encryption available to all users.", ENCRYPTION, {"pro"}, False),
    ("available", "Chatterly said encryption is no longer available to free users.", ENCRYPTION, {"con"}, False),
    ("concession-after", "Chatterly is bringing encryption to all chats (first in two countries, but soon everywhere).",
     ENCRYPTION, {"pro"}, False),
    ("not-a-negation", "Encryption will be available to all users, regardless of if they pay.", ENCRYPTION, {"pro"},
     False),
    ("not-a-negation", "Chatterly is not only keeping end-to-end encryption, but is also extending it.", ENCRYPTION,
     {"pro"}, False),
    ("start", "Voltara will reopen two nuclear plants next year.", NUCLEAR, {"pro"}, False),
    ("not-a-negation", "By the end of this year, Voltara will build two new reactors.", NUCLEAR, {"pro"}, False),
    ("modal", "Chatterly will use the time to consider changes to its encryption plans.", ENCRYPTION,
     {"neutral", "hedged"}, False),
    ("background", "Acme will keep remote work amid concerns about productivity.", REMOTE, {"pro"}, None),
    ("not-a-negation", "Voltara said it had reconsidered and is phasing out nuclear by 2030.", NUCLEAR, {"con"}, False),
    ("hedge", "Voltara said it is reconsidering nuclear power.", NUCLEAR, {"hedged", "neutral"}, False),
    ("toward", "Voltara will install new reactors at two sites.", NUCLEAR, {"pro"}, False),
    ("toward", "The CEO explained why he changed his mind about building new reactors.", NUCLEAR, {"pro"}, False),
    # a condition before a colon does not reach the news after it
    ("topic-terms", "If you live nearby, take note: Voltara will phase out nuclear by 2030.", NUCLEAR, {"con"}, False),
    # "after previously saying X": the main clause is news, not a look back
    ("topic-terms", "Voltara will build new reactors after previously saying it would not.", NUCLEAR, {"pro"}, False),
    ("negation", "End-to-end encryption is no longer available in group chats.", ENCRYPTION, {"con"}, False),
]


@pytest.mark.parametrize(("rule", "text", "topic", "labels", "denial"), CASES, ids=[c[1][:50] for c in CASES])
def test_generic_cases(rule: str, text: str, topic: Topic, labels: set[str], denial: bool | None) -> None:
    result = score_stance(text, topic)
    _assert_fired(rule, result)
    assert result.label in labels, _explain(result)
    if denial is not None:
        assert result.is_denial is denial, _explain(result)
    _assert_consistent(result)


# The same sentence shapes must work for any topic: {pro}/{con} are filled per topic.
# (rule, template, accepted labels, is_denial)
PHRASES = {
    "remote-work": (REMOTE, "remote work", "in-office work"),
    "free-tier": (FREE_TIER, "the free plan", "a paywall"),
    "nuclear": (NUCLEAR, "nuclear power", "shutting down reactors"),
    "e2ee": (ENCRYPTION, "end-to-end encryption", "client-side scanning"),
}
TEMPLATES = [
    ("away", "The company will abandon {pro}.", {"con"}, False),
    ("in-favor-of", "The company will abandon {pro} in favor of {con}.", {"con"}, False),
    ("away", "The company is moving away from {con}.", {"pro"}, False),
    ("negation", "The company does not support {pro}.", {"con"}, False),
    ("unchanged", "The company remains committed to {pro}.", {"pro"}, True),
    ("denial-marker", "The company has no plans to drop {pro}.", {"pro"}, True),
    ("chosen", "The company replaced {con} with {pro}.", {"pro"}, False),
    ("hedge", "The company is cautious about {pro}.", {"hedged"}, False),
    ("hedge", "The company wants a mix of {pro} and {con}.", {"hedged"}, False),
    ("negative-evaluation", "The company said {pro} was a mistake.", {"con"}, False),
    ("away", "The company halted {pro} to focus on {con}.", {"con"}, False),
    ("shift-from", "The company shifted from {con} to {pro}.", {"pro"}, False),
    ("toward", "The company will keep {pro}.", {"pro"}, False),
    ("positive-evaluation", "The company said {pro} is the way forward.", {"pro"}, False),
]


@pytest.mark.parametrize("topic_key", sorted(PHRASES))
@pytest.mark.parametrize(("rule", "template", "labels", "denial"), TEMPLATES, ids=[t[1] for t in TEMPLATES])
def test_templates_across_topics(topic_key: str, rule: str, template: str, labels: set[str], denial: bool) -> None:
    topic, pro, con = PHRASES[topic_key]
    text = template.format(pro=pro, con=con)
    result = score_stance(text, topic)
    _assert_fired(rule, result)
    assert result.label in labels, _explain(result)
    assert result.is_denial is denial, _explain(result)


# Sentence shapes met in news copy: restatements despite bad news, bad outcomes of a
# policy, denials in their usual wordings, commitment and cancellation verbs, composed
# verbs ("delayed the launch of"), relative clauses, alternatives and emphatic "never".
MORE_TEMPLATES = [
    ("no-change", "Our results do not change our support for {pro}.", {"pro"}, False),
    ("no-change", "This does not change our commitment to {pro}.", {"pro"}, False),
    ("bad-outcome", "The company said {pro} cost us too many customers.", {"con"}, False),
    ("bad-outcome", "The company said {pro} hurt our margins.", {"con"}, False),
    ("negative-evaluation", "The company said {pro} backfired.", {"con"}, False),
    ("negated-evaluation", "The company said {pro} is not viable.", {"con"}, False),
    ("positive-evaluation", "The company said {pro} has worked well for us.", {"pro"}, False),
    ("denial-marker", "At no time did the company consider abandoning {pro}.", {"pro"}, True),
    ("negation", "The company's leaders have denied that they plan to scrap {pro}.", {"pro"}, True),
    ("continue", "The company will continue to offer {pro}.", {"pro"}, True),
    ("away", "The company will delay {pro}.", {"con"}, False),
    ("away", "The company postponed {pro}.", {"con"}, False),
    ("away", "The company will cut {pro}.", {"con"}, False),
    ("away", "The company will exit {pro}.", {"con"}, False),
    ("toward", "The company is committed to expanding {pro}.", {"pro"}, False),
    ("away", "The company is committed to ending {pro}.", {"con"}, False),
    ("away", "The company delayed the launch of {pro}.", {"con"}, False),
    ("toward", "The company will invest in {pro}.", {"pro"}, False),
    ("not-a-negation", "We have never had demand like this for {pro}.", {"pro"}, False),
    ("hedge", "Customers either want {pro} or they don't.", {"hedged"}, False),
    ("away", "The company said {pro} will end in May.", {"con"}, False),
    ("negation", "The company will expand {pro} in regions that do not have it yet.", {"pro"}, False),
    ("away", "The company wants to avoid {con}.", {"pro"}, False),
]


@pytest.mark.parametrize("topic_key", sorted(PHRASES))
@pytest.mark.parametrize(("rule", "template", "labels", "denial"), MORE_TEMPLATES, ids=[t[1] for t in MORE_TEMPLATES])
def test_more_templates_across_topics(topic_key: str, rule: str, template: str, labels: set[str], denial: bool) -> None:
    topic, pro, con = PHRASES[topic_key]
    result = score_stance(template.format(pro=pro, con=con), topic)
    _assert_fired(rule, result)
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

SHUTOFFS = Topic(
    id="shutoffs",
    name="Wildfire safety",
    proposition="Gridco cuts power to lines in high winds.",
    keywords=("power shutoffs", "power"),
    pro=("de-energize",),
    con=("keep the lines on",),
)

ORIENTED_CASES = [
    ("away", "Borlo will cut 1,200 jobs.", JOB_CUTS, {"pro"}, False),
    ("away", "Administrative jobs will be cut.", JOB_CUTS, {"pro"}, False),
    ("away", "Borlo plans to eliminate 300 jobs in its sales unit.", JOB_CUTS, {"pro"}, False),
    ("toward", "Borlo will keep all jobs.", JOB_CUTS, {"con"}, False),
    ("negation", "Borlo will not cut any jobs.", JOB_CUTS, {"con"}, None),
    ("negation", "Job cuts will be made in units that do not support our core goals.", JOB_CUTS, {"pro"}, False),
    ("weak-limiter", "We have to make some necessary job cuts.", JOB_CUTS, {"pro"}, False),
    ("not-a-negation", "Borlo said headcount was 4,000 at the end of the year.", JOB_CUTS, {"neutral"}, False),
    ("away", "Gridco will shut down its coal plants by 2030.", COAL_EXIT, {"pro"}, False),
    ("away", "Gridco delayed the closure of its coal plants.", COAL_EXIT, {"con"}, False),
    ("toward", "Gridco will keep its coal plants running.", COAL_EXIT, {"con"}, False),
    ("positive-evaluation", "Coal plants are essential for grid stability.", COAL_EXIT, {"con"}, False),
    ("away", "Gridco postponed the coal phase-out.", COAL_EXIT, {"con"}, False),
    ("remedy", "We fixed the outage within hours.", UPTIME, {"pro"}, False),
    ("remedy", "Engineers resolved the downtime quickly.", UPTIME, {"pro"}, False),
    # A bad outcome of a problem term reports the problem as much as it rejects a choice.
    ("bad-outcome", "The outage hurt thousands of customers.", UPTIME, {"neutral", "hedged"}, False),
    ("weak-limiter", "We had some outages last week.", UPTIME, {"con"}, False),
    ("no-change", "Our results do not change our support for the four-day week.", FOUR_DAY_WEEK, {"pro"}, False),
    ("no-change", "The company would not change its working hours.", FOUR_DAY_WEEK, {"neutral", "hedged"}, True),
    ("bad-outcome", "The four-day week cost us too many cancelled trains.", FOUR_DAY_WEEK, {"con"}, False),
    ("continue", "We continue to see strong demand.", FREE_TIER, {"neutral"}, False),
    ("not-a-negation", "We've never had demand that we saw that day for the free plan.", FREE_TIER, {"pro"}, False),
    ("not-a-negation", "You are either on the free plan or you're not.", FREE_TIER, {"hedged"}, False),
    ("hedge", "Remote work is somewhat popular.", REMOTE, {"pro", "hedged"}, False),
    ("away", "The reactor was shut down for maintenance on Monday.", NUCLEAR, {"neutral"}, False),
    ("mention", "We do not comment on encryption.", ENCRYPTION, {"neutral"}, False),
    ("no-change", "Acme will not change its office policy.", REMOTE, {"neutral", "hedged"}, True),
    ("no-change", "Acme will not back down from its return to office mandate.", REMOTE, {"con"}, True),
    # "shutoffs" names a move away, so the keyword points the proposition's way.
    ("away-noun", "Gridco will expand power shutoffs this summer.", SHUTOFFS, {"pro"}, False),
]


@pytest.mark.parametrize(
    ("rule", "text", "topic", "labels", "denial"), ORIENTED_CASES, ids=[c[1][:50] for c in ORIENTED_CASES]
)
def test_oriented_keywords_and_everyday_shapes(
    rule: str, text: str, topic: Topic, labels: set[str], denial: bool | None
) -> None:
    result = score_stance(text, topic)
    _assert_fired(rule, result)
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


# The reporting verb outside the span: (rule, span, cue, kind, accepted labels, is_denial).
CUE_CASES = [
    ("cue-deny", "it would scrap {pro}", "denied", "indirect", {"pro"}, True),
    ("cue-deny", "that it is ending {pro}", "denies", "indirect", {"pro"}, True),
    ("cue-reiterate", "the company's commitment to {pro}", "reiterated", "indirect", {"pro"}, True),
    ("cue-reiterate", "its support for {pro}", "reaffirmed", "indirect", {"pro"}, True),
    ("cue-against", "{pro}", "opposed", "indirect", {"con"}, False),
    ("cue-against", "{pro}", "criticized", "indirect", {"con"}, False),
    ("claim-object", "reports that it would end {pro}", "rejected", "indirect", {"pro"}, True),
    ("cue-for", "{pro}", "championed", "indirect", {"pro"}, False),
    ("cue-for", "to expand {pro}", "pledged", "indirect", {"pro"}, False),
    # A quoted denial is the speaker's own words: nothing to flip.
    ("cue-deny", "We will keep {pro}", "denied", "direct", {"pro"}, True),
    ("toward", "{pro} would stay", "said", "indirect", {"pro"}, False),
]


@pytest.mark.parametrize("topic_key", sorted(PHRASES))
@pytest.mark.parametrize(
    ("rule", "span", "cue", "kind", "labels", "denial"), CUE_CASES, ids=[f"{c[2]}: {c[1]}" for c in CUE_CASES]
)
def test_the_reporting_cue_sets_how_the_span_counts(
    topic_key: str, rule: str, span: str, cue: str, kind: str, labels: set[str], denial: bool
) -> None:
    topic, pro, _ = PHRASES[topic_key]
    text = span.format(pro=pro)
    result = score_stance(text, topic, kind=kind, cue=cue)
    _assert_fired(rule, result)
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


# Polarity that composes (issue 8, item 5), on invented companies: ending and reversing,
# starting and returning, objects that are themselves against the proposition, criticism,
# plans, diminishers, requirements and backgrounds.
POLITICAL_ADS = Topic(
    id="political-ads",
    name="Political ads",
    proposition="Acme accepts political ads.",
    keywords=("political ads", "political advertising"),
    pro=("accept political ads", "allow political ads"),
    con=("ban on political ads",),
)
API_FEE = Topic(
    id="api-fee",
    name="Charging for API access",
    proposition="Acme charges developers for API access.",
    keywords=("API access", "API pricing"),
    pro=("paid API", "usage fee"),
    con=("free API access", "free tier"),
)
OPEN_RELEASE = Topic(
    id="open-release",
    name="Open model releases",
    proposition="Acme releases its models openly (open source).",
    keywords=("open source", "open weights"),
    pro=("open source", "open weights", "openly release"),
    con=("closed model", "proprietary"),
)
BOARD_RULE = Topic(
    id="board-rule",
    name="Board rule for listings",
    proposition="Acme requires the companies it lists to have an independent board.",
    keywords=("independent board", "listing rules"),
    pro=("independent board",),
    con=("drop the rule",),
)

COMPOSITION_CASES = [
    ("end-or-reverse", "Acme quietly lifted its ban on political ads", POLITICAL_ADS, {"pro"}, False),
    ("restriction", "Acme imposed a moratorium on political advertising.", POLITICAL_ADS, {"con"}, False),
    ("end-noun", "the termination of its recycling programme", RECYCLING, {"con"}, False),
    ("negation", "Acme will no longer run its recycling programme.", RECYCLING, {"con"}, False),
    ("start", "Acme will begin charging developers for API access", API_FEE, {"pro"}, False),
    ("again", "Acme is going open source once more.", OPEN_RELEASE, {"pro"}, False),
    ("background", "After two years of closed models, Acme is going open source once more.", OPEN_RELEASE,
     {"pro"}, False),
    ("criticism", "Acme's chief executive criticized the recycling programme as a waste of money.", RECYCLING,
     {"con"}, False),
    ("plan", "Acme plans to expand its recycling programme.", RECYCLING, {"pro"}, False),
    ("diminisher", "Acme slightly expanded its recycling programme.", RECYCLING, {"pro", "hedged"}, False),
    ("u-turn", "Acme makes recycling programme U-turn after complaints.", RECYCLING, {"con"}, False),
    ("start", "The recycling programme will not be moving forward.", RECYCLING, {"con"}, False),
    ("retrospective", "Acme had until now remained committed to its recycling programme.", RECYCLING, {"hedged"},
     False),
    ("request-frame", "Critics are asking us to drop the recycling programme, which we are not going to do.",
     RECYCLING, {"pro"}, False),
    ("requirement", "Acme would refuse to list a company unless it had an independent board.", BOARD_RULE,
     {"pro"}, False),
]


@pytest.mark.parametrize(
    ("rule", "text", "topic", "labels", "denial"), COMPOSITION_CASES, ids=[c[1][:50] for c in COMPOSITION_CASES]
)
def test_polarity_composes(rule: str, text: str, topic: Topic, labels: set[str], denial: bool) -> None:
    result = score_stance(text, topic)
    _assert_fired(rule, result)
    assert result.label in labels, _explain(result)
    assert result.is_denial is denial, _explain(result)
    _assert_consistent(result)


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
    ("limited-clause", "careful about what we choose to open source", {"hedged", "con"}, None),
    ("unchanged", "Our position on open source AI is unchanged", {"pro"}, True),
    ("hedge", "we expect to continue training a mix of open and closed models", {"hedged"}, None),
    ("in-favor-of", "discussed abandoning the company’s most powerful open source A.I. model", {"con"}, None),
    ("positive-evaluation", "The platform that will win will be the open one.", {"pro"}, None),
    ("conditional", "Meta would refrain from doing so", {"hedged", "con"}, None),
    ("away", "halted testing of its latest Llama model", {"con"}, None),
    ("continue", "We plan to continue releasing leading open source models.", {"pro"}, None),
]


@pytest.mark.parametrize(("rule", "fragment", "labels", "denial"), SEED_CASES, ids=[c[1][:40] for c in SEED_CASES])
def test_seed_expectations(
    seed_text: str, seed_topic: Topic, rule: str, fragment: str, labels: set[str], denial: bool | None
) -> None:
    sentence = _seed_sentence(seed_text, fragment)
    assert len(sentence) > len(fragment) or sentence == fragment
    result = score_stance(sentence, seed_topic)
    _assert_fired(rule, result)
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


# --- the table of rules ------------------------------------------------------------

CASE_TABLES = (CASES, TEMPLATES, MORE_TEMPLATES, ORIENTED_CASES, CUE_CASES, SEED_CASES, COMPOSITION_CASES)


def test_every_case_names_a_rule_of_the_table() -> None:
    names = {rule.name for rule in RULES} | {TOPIC_TERMS}
    unknown = sorted({case[0] for table in CASE_TABLES for case in table} - names)
    assert not unknown, f"cases name rules the table does not have: {unknown}"


def test_every_rule_of_the_table_has_a_case() -> None:
    covered = {case[0] for table in CASE_TABLES for case in table}
    missing = sorted(rule.name for rule in RULES if rule.name not in covered)
    assert not missing, f"rules with no case in tests/test_stance.py: {missing}"


# --- helpers --------------------------------------------------------------------


def _assert_fired(rule: str, result: StanceResult) -> None:
    if rule != TOPIC_TERMS:
        assert rule in result.rules, f"{rule} did not fire: {result.rules} {_explain(result)}"


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


def test_an_onset_marks_news_of_a_change_whichever_way_it_goes() -> None:
    for text in ("Starting next month, Zentrix will put its app behind a paywall.",
                 "Effective immediately, the free plan is now limited to students.",
                 "Zentrix will now offer a free plan."):
        result = score_stance(text, FREE_TIER)
        assert result.label in ("pro", "con", "hedged") and any(c.kind == "onset" for c in result.cues), _explain(result)
    plain = score_stance("Zentrix offers a free plan.", FREE_TIER)
    assert not any(c.kind == "onset" for c in plain.cues)
    assert reports_change("con", score_stance("Starting on June 1, Zentrix will put its app behind a paywall.",
                                              FREE_TIER).cues)
    assert not reports_change("pro", plain.cues)


NO_DATA_SALES = Topic(
    id="no-data-sales",
    name="Acme selling shopper data to advertisers",
    proposition="Acme does not sell shopper data to advertisers.",
    keywords=("shopper data", "advertisers"),
    pro=("never sell data",),
    con=("data broker",),
)


def test_a_negated_proposition_turns_its_whole_predicate() -> None:
    # "does not sell shopper data to advertisers": selling (and the name's "selling shopper data") is the con side
    assert score_stance("Acme will begin working with advertisers.", NO_DATA_SALES).label == "con"
    assert score_stance("Acme stopped working with advertisers.", NO_DATA_SALES).label == "pro"


def test_a_negator_after_and_governs_its_own_subject_only() -> None:
    # "the trip was a trial and the route is not used": the negation does not reach the first clause
    result = score_stance("The free plan was a success and the paywall is not needed.", FREE_TIER)
    assert result.label == "pro", _explain(result)


def test_limit_the_noun_changes_nothing() -> None:
    result = score_stance("The free plan limit will be raised next year.", FREE_TIER)
    assert not any(c.kind == "change" and c.text.lower().startswith("limit") for c in result.cues), _explain(result)



def test_end_to_end_is_no_ending_and_a_phrase_before_a_keyword_is_no_other_kind() -> None:
    # the proposition's "end-to-end" does not turn its own words against it, and "plans to offer
    # encryption" (with "end-to-end encryption" a keyword too) is the topic's encryption, not another kind
    topic = Topic(id="e2e", name="End-to-end encryption for free users",
                  proposition="Chatterly offers end-to-end encryption to users of its free plan.",
                  keywords=("end-to-end encryption", "encryption", "free users"), pro=(), con=())
    assert score_stance("Chatterly will not offer encryption to free users.", topic).label == "con"
    assert score_stance("Chatterly has no plans to offer encryption.", topic).label == "con"
    assert score_stance("Chatterly will begin offering encryption to free users.", topic).label == "pro"


ABROAD = Topic(
    id="abroad",
    name="Zentrix's free plan abroad",
    proposition="Zentrix keeps its free plan in markets outside the U.S. and Canada.",
    keywords=("free plan",),
    pro=("free plan",),
    con=("paywall",),
)


def test_a_statement_only_about_the_places_the_proposition_leaves_out_takes_no_side() -> None:
    result = score_stance("Zentrix will end its free plan in the US and Canada.", ABROAD)
    assert result.label == "neutral" and [c.kind for c in result.cues] == ["scope"]
    # said of everywhere, or of the rest of the world, it counts
    assert score_stance("Zentrix will end its free plan globally.", ABROAD).label == "con"
    assert score_stance("Zentrix will end its free plan in the U.S., Canada and the rest of the world.",
                        ABROAD).label == "con"
    assert score_stance("Zentrix will end its free plan in Brazil.", ABROAD).label == "con"


SPIN_OFF = Topic(
    id="spin-off",
    name="Borlo spinning off its coal unit",
    proposition="Borlo plans to spin off its coal unit into a separate company.",
    keywords=("spin-off", "coal"),
)
REMOVALS = Topic(
    id="removals",
    name="Vidzy removing false claims",
    proposition="Vidzy removes videos that falsely claim the vote was rigged by widespread fraud.",
    keywords=("false claims",),
)


def test_a_keyword_that_is_the_propositions_own_verb_used_as_a_verb_says_the_proposition() -> None:
    assert score_stance("Borlo plans to merge the units and spin off the combined assets.", SPIN_OFF).label == "pro"
    assert score_stance("Borlo will spin off the combined assets.", SPIN_OFF).label == "pro"
    # the noun is a mention, no side
    assert score_stance("The spin-off was discussed at length.", SPIN_OFF).label == "neutral"


def test_a_leaving_main_verb_of_the_proposition_turns_its_whole_object() -> None:
    # every word of the long object counts against the videos, so stopping the removal is against
    stopped = score_stance("Vidzy will stop removing content claiming the vote was rigged by widespread fraud.",
                           REMOVALS)
    assert stopped.label == "con"


OPEN_DOOR = Topic(
    id="open-door",
    name="Sitting in Brewco cafes without buying",
    proposition="Brewco lets people sit in its cafes without making a purchase.",
    keywords=("open-door policy",),
)


def test_a_keyword_naming_a_policy_is_the_policy_the_topic_is_about() -> None:
    assert score_stance("Brewco is ending its open-door policy.", OPEN_DOOR).label == "con"
    assert score_stance("Brewco will keep its open-door policy.", OPEN_DOOR).label == "pro"


STAYS = Topic(
    id="stays",
    name="Borlo's gas production in Zembla",
    proposition="Borlo keeps producing gas in Zembla despite the military coup.",
    keywords=("Zembla", "coup", "Zembla oil"),
    con=("withdraw from Zembla", "continue buying Zembla oil"),
)


def test_what_the_proposition_holds_against_takes_no_side() -> None:
    # "the coup" is conceded by the proposition: judging it takes no side on staying
    assert score_stance("Borlo welcomed the coup.", STAYS).label == "neutral"
    assert score_stance("Borlo condemned the coup.", STAYS).label == "neutral"
    result = score_stance("Borlo decided to withdraw from Zembla, becoming the latest firm to pull out after a coup.",
                          STAYS)
    assert result.label == "con"


def test_a_verb_before_a_keyword_is_no_other_kind_of_it() -> None:
    # "continue purchasing Zembla oil" is the keyword under a verb, not another kind of Zembla oil
    result = score_stance("Borlo plans to continue purchasing Zembla oil.", STAYS)
    assert any(c.text == "Zembla oil" for c in result.cues)


ROAMING = Topic(
    id="roaming",
    name="Roaming in Europe at no extra charge",
    proposition="Telko lets its customers roam in Europe without extra charges.",
    keywords=("roaming",),
)


def test_doing_what_the_proposition_says_is_not_done_is_against_it() -> None:
    assert score_stance("From January, Telko will charge £2 a day for roaming.", ROAMING).label == "con"
    assert score_stance("Telko said it would charge customers for roaming after all.", ROAMING).label == "con"
    # the noun is a mention ("the charges"), and a denial of it takes no side by this rule
    assert score_stance("The charges were explained in a letter.", ROAMING).label == "neutral"


ALLIANCE = Topic(
    id="alliance",
    name="Borlo's membership of the climate alliance",
    proposition="Borlo is a member of the climate alliance.",
    keywords=("climate alliance",),
    pro=("joins alliance",),
    con=("withdraws from alliance",),
)


def test_a_term_opening_with_a_verb_in_the_third_person_matches_its_other_forms() -> None:
    assert score_stance("Borlo said it was withdrawing from the alliance.", ALLIANCE).label == "con"
    assert score_stance("Borlo joined the alliance in 2021.", ALLIANCE).label == "pro"
