"""Narrated positions and actions (issue 8, item 4): what an article says a watched company, one of its
people or its product does, will do, stopped doing, plans or decided on a watched topic is a statement
of kind "action", sourced to the article; reports by unnamed sources stay reports. Real spaCy parses
of invented sentences about an invented company."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from extractors.attribution import find_attributions, load_nlp
from extractors.statements import extract_statements
from storage.records import Article, Entity, Person, Statement, Topic, Watchlist

PUBLISHED = datetime(2025, 7, 16, tzinfo=timezone.utc)  # a Wednesday
ACME = Entity("acme", "Acme", aliases=("Acme Corp",), people=(Person("Jane Roe", "CEO"),))
BOLT = Entity("bolt", "Bolt Logistics", aliases=("Bolt",))
RECYCLING = Topic("recycling", "Recycling programme", proposition="Acme runs a recycling programme.",
                  keywords=("recycling programme", "recycling"), pro=("recycling",))
API_FEES = Topic("api-fees", "API fees", proposition="Acme charges developers for API access.",
                 keywords=("API", "free tier"), pro=("charge developers",), con=("free tier",))
ADS = Topic("ads", "Political ads", proposition="Acme accepts political ads.", keywords=("political ads",),
            con=("ban on political ads",))
WATCHLIST = Watchlist(entities=(ACME, BOLT), topics=(RECYCLING, API_FEES, ADS))


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def statements(text: str, nlp, *, title: str | None = None, url: str = "https://news.example.com/a") -> list[Statement]:
    article = Article(url=url, text=text, title=title, published_at=PUBLISHED)
    return extract_statements(article, WATCHLIST, nlp=nlp)


def actions(text: str, nlp, **kwargs) -> list[Statement]:
    return [s for s in statements(text, nlp, **kwargs) if s.kind == "action"]


@pytest.mark.parametrize(
    ("text", "topic", "cue"),
    [
        ("Acme will no longer run its recycling programme.", "recycling", "will no longer run"),
        ("Acme will no longer offer a free tier of its API, according to a company blog post.", "api-fees",
         "will no longer offer"),
        ("Acme has abandoned its plans to expand the recycling programme.", "recycling", "has abandoned"),
        ("Acme dropped its pledge to keep the free tier of its API.", "api-fees", "dropped"),
        ("Acme quietly lifted its ban on political ads.", "ads", "lifted"),
        ("Acme is bringing back its recycling programme.", "recycling", "is bringing back"),
        ("Acme Corp plans to scrap the free tier of its API next year.", "api-fees", "plans"),
        # a participle shares its sentence's subject; British doubling ("cancelling") is a form of "cancel"
        ("Acme has made a sudden U-turn, cancelling its recycling programme.", "recycling", "cancelling"),
        # "make X available / free / optional": a decision ("make" alone is none)
        ("Acme will make its free tier of the API available to all developers.", "api-fees", "will make"),
        ("Acme will install recycling bins in all its stores as part of the recycling programme.", "recycling",
         "will install"),
        ("Acme is stepping back from its recycling programme.", "recycling", "is stepping back"),
        # a ranked deed: the subject of "become / be the Nth company to ..." does it; a lede in capitals
        ("ACME has become the second company to scrap its recycling programme.", "recycling", "to scrap"),
        ("Acme is the latest firm to reintroduce a free tier of its API.", "api-fees", "to reintroduce"),
        # the company's product ceasing to do something is a change of the company's
        ("The Acme API will no longer offer developers a free tier.", "api-fees", "will no longer offer"),
        # the state a "make X available" decision leaves, said of a future
        ("Soon, the Acme free tier of the API will be available to all developers.", "api-fees", "will be"),
    ],
)
def test_the_company_doing_deciding_or_planning_is_an_action(nlp, text, topic, cue):
    [st] = actions(text, nlp)
    assert (st.entity_id, st.topic_id, st.speaker_resolved, st.speaker_role) == ("acme", topic, "Acme", "company")
    assert st.cue == cue and st.text == text.rstrip(".")
    assert st.article_url == "https://news.example.com/a"
    assert st.stance is not None and st.stance_cues  # scored, and explained by its cues


def test_its_person_and_its_product_act_for_it(nlp):
    [person] = actions("Jane Roe decided to end the recycling programme.", nlp)
    assert (person.entity_id, person.speaker_resolved, person.speaker_role) == ("acme", "Jane Roe", "CEO")
    [product] = actions("Acme's free tier of its API will be discontinued next month.", nlp)
    assert (product.entity_id, product.speaker_role, product.cue) == ("acme", "company", "will be discontinued")


def test_the_company_and_it_point_back_to_the_company_named(nlp):
    text = ("Bolt reported a loss on Tuesday. Acme suspended its recycling programme in both countries. "
            "It resumed the recycling programme later that year. The company is now ending its recycling programme.")
    found = actions(text, nlp)
    assert [(s.entity_id, s.cue) for s in found] == [("acme", "suspended"), ("acme", "resumed"), ("acme", "is now ending")]


def test_a_headline_in_title_case_is_read_in_sentence_case(nlp):
    [st] = actions("Acme Drops Recycling Programme After Ten Years", nlp)
    assert (st.entity_id, st.cue) == ("acme", "Drops")


def test_a_title_the_text_does_not_hold_is_read_too(nlp):
    found = actions("The decision follows a review of costs.", nlp,
                    title="Acme scraps its recycling programme after ten years")
    assert [(s.text, s.start, s.end, s.topic_id) for s in found] == [
        ("Acme scraps its recycling programme after ten years", 0, 0, "recycling")]
    # a title that opens the text is read once, as text
    opening = actions("Acme scraps its recycling programme\nThe decision follows a review.", nlp,
                      title="Acme scraps its recycling programme")
    assert [(s.start, s.end) for s in opening] == [(0, 35)]


def test_an_unnamed_doer_in_the_passive_is_the_company_just_named(nlp):
    text = "Acme updated its developer terms on Monday. Developers will now be charged for API access."
    [st] = actions(text, nlp)
    assert (st.entity_id, st.topic_id, st.cue, st.attribution_confidence) == ("acme", "api-fees",
                                                                              "will now be charged", 0.6)
    # told as history, a passive with no doer is anyone's deed
    assert actions("Acme updated its terms. The ban on political ads was lifted in 2019.", nlp) == []


def test_the_world_s_largest_describes_the_company_just_named(nlp):
    text = "Acme has long opposed fees. The world's largest parcel firm will now charge developers for API access."
    [st] = actions(text, nlp)
    assert (st.entity_id, st.speaker) == ("acme", "The world's largest parcel firm")


def test_no_longer_being_something_is_an_action(nlp):
    [st] = actions("Starting February 9th, the Acme API will no longer be a free tier product.", nlp)
    assert (st.entity_id, st.cue) == ("acme", "will no longer be")


@pytest.mark.parametrize(
    "text",
    [
        "Critics said Acme will end the recycling programme.",  # someone else's claim
        "Acme will end the recycling programme, critics said.",
        "Acme will end the recycling programme, according to analysts.",
        "Acme could end the recycling programme, analysts say.",  # the writer's guess
        "If Acme ends the recycling programme, towns will suffer.",  # a condition
        "Will Acme end the recycling programme?",  # a question
        "Acme, which ended its recycling programme last year, reported a loss.",  # an aside
        "Acme shares fell after the recycling programme ended.",  # no deed of the company
        "Acme's rivals dropped their recycling programmes.",  # its rivals, not its product
        "Acme declined to comment on the recycling programme.",  # no comment is no action
        "Acme offered a free tier of its API in 2016.",  # plain doing, told as history
        "Jane Roe returned to Acme in 2016 to run the recycling programme.",  # a biography
        "Jane Roe keeps posting photos of the recycling programme.",  # her own doings
        "Acme's announcement increased the size of the recycling programme.",  # words, not deeds
        "Acme will open a new office in Lisbon next year.",  # on no watched topic
        "Acme will make a decision on the recycling programme next week.",  # "make" alone does nothing
        "Acme's licence includes limits on the recycling programme.",  # a description, not a decision
        "The Acme free tier of the API is available in Lisbon.",  # a description: no plan, no change
        "Acme is the company to watch in the recycling programme.",  # ranked by nobody, no deed
    ],
)
def test_what_is_not_a_narrated_action(nlp, text):
    assert actions(text, nlp) == []


def test_off_topic_actions_are_not_stored_at_all(nlp):
    assert statements("Acme will open a new office in Lisbon next year.", nlp) == []


def test_reports_by_unnamed_sources_stay_reports(nlp):
    found = statements("Acme plans to end its recycling programme, according to people familiar with the matter.",
                       nlp)
    assert [s.kind for s in found] == ["report"]


def test_an_action_never_displaces_what_the_company_said(nlp):
    said = statements("Acme will end its recycling programme in June, a spokesperson said.", nlp)
    assert [s.kind for s in said] == ["indirect"]
    quoted = statements("Acme has ditched its “always recycle” recycling programme, which it said no longer "
                        "fits its customers.", nlp)
    kinds = sorted(s.kind for s in quoted if s.topic_id == "recycling")
    assert "action" in kinds and "indirect" in kinds


def test_an_action_is_dated_like_any_statement(nlp):
    [st] = actions("Last week, Acme dropped its recycling programme.", nlp)
    assert (st.stated_at.value, st.stated_at.precision) == (date(2025, 7, 7), "day")


def test_attribution_alone_reads_no_actions_unless_asked(nlp):
    text = "Acme will no longer run its recycling programme."
    assert find_attributions(text, WATCHLIST, nlp=nlp) == []
    [found] = find_attributions(text, WATCHLIST, nlp=nlp, actions=lambda sentence: "recycling" in sentence)
    assert (found.kind, found.entity_id, found.cue) == ("action", "acme", "will no longer run")
    assert find_attributions(text, WATCHLIST, nlp=nlp, actions=lambda sentence: False) == []


def test_a_topic_named_only_by_the_company_s_own_name_is_no_topic_for_its_deeds(nlp):
    """Users list the company among a topic's keywords; every deed of the company names it."""
    topic = Topic("acme-recycling", "Acme's recycling", proposition="Acme runs a recycling programme.",
                  keywords=("Acme", "recycling programme"))
    watchlist = Watchlist(entities=(ACME,), topics=(topic,))

    def deeds(text: str) -> list[Statement]:
        found = extract_statements(Article(url="https://news.example.com/a", text=text, published_at=PUBLISHED),
                                   watchlist, nlp=nlp)
        return [s for s in found if s.kind == "action"]

    assert deeds("Acme has suspended three employees for attending a meeting.") == []
    assert [s.topic_id for s in deeds("Acme has suspended its recycling programme.")] == ["acme-recycling"]


def test_words_and_counts_are_not_the_company_s_deeds(nlp):
    # a quotation as the object of "ends" is a message, not a deed
    assert actions("Acme updated its API terms and ends “Thanks for building with the free tier”.", nlp) == []
    # a counted subject of a passive with no doer is anyone's doing
    assert actions("Acme raised API prices. More than 14,000 complaints about the free tier have been filed.",
                   nlp) == []


def test_a_topic_named_only_by_the_deed_s_own_verb_is_no_topic(nlp):
    """A stance verb among the topic's terms ("suspend") says how, not what: the deed must name the topic."""
    topic = Topic("recycling", "Recycling programme", proposition="Acme runs a recycling programme.",
                  keywords=("recycling programme",), con=("suspend",))
    watchlist = Watchlist(entities=(ACME,), topics=(topic,))

    def deeds(text: str) -> list[str]:
        found = extract_statements(Article(url="https://news.example.com/a", text=text, published_at=PUBLISHED),
                                   watchlist, nlp=nlp)
        return [s.cue for s in found if s.kind == "action"]

    assert deeds("Acme suspended three employees on Monday.") == []
    assert deeds("Acme suspended its recycling programme on Monday.") == ["suspended"]


def test_a_report_of_a_change_recalls_the_old_position_as_background(nlp):
    """Headline and lead give the change; the body's statements of the old side that report no change
    themselves count less, and say why (a "background" cue)."""
    text = ("Acme ends its recycling programme.\n\n"
            "The company said on Tuesday that the programme would close in May.\n\n"
            "\u201cWe believe in recycling,\u201d Jane Roe said in 2019.")
    found = [s for s in statements(text, nlp) if s.topic_id == "recycling"]
    lead = next(s for s in found if s.start == 0)
    recalled = next(s for s in found if "believe" in s.text)
    assert lead.stance_label == "con" and recalled.stance_label == "pro"
    assert any(c.kind == "background" for c in recalled.stance_cues)
    assert not any(c.kind == "background" for c in lead.stance_cues)
    plain = [s for s in statements("\u201cWe believe in recycling,\u201d Jane Roe said in 2019.", nlp)
             if s.topic_id == "recycling"]
    assert plain and not any(c.kind == "background" for s in plain for c in s.stance_cues)
    assert recalled.stance_confidence < plain[0].stance_confidence


def test_below_a_lead_that_gives_the_news_a_deed_in_the_plain_past_is_history(nlp):
    text = ("Acme ends its recycling programme.\n\n"
            "Acme launched the recycling programme across every depot.")
    found = [s for s in statements(text, nlp) if s.topic_id == "recycling"]
    recalled = next(s for s in found if s.start > 0)
    assert recalled.stance_label == "pro" and recalled.cue == "launched"
    assert any(c.kind == "background" for c in recalled.stance_cues)
    ahead = [s for s in statements("Acme will launch the recycling programme across every depot.", nlp)
             if s.topic_id == "recycling"]
    assert ahead and not any(c.kind == "background" for s in ahead for c in s.stance_cues)


def test_a_headline_the_companys_own_denial_contradicts_is_overstated(nlp):
    """'Acme ends its recycling programme' over 'Acme said it has no plans to end the programme':
    the headline counts as little as background, and says why (an "overstated" cue)."""
    body = "Acme said it has no plans to end its recycling programme, which runs in 40 towns."
    found = [s for s in statements(body, nlp, title="Acme ends its recycling programme") if s.topic_id == "recycling"]
    headline = next(s for s in found if s.start == s.end == 0)
    denial = next(s for s in found if s.is_denial)
    assert headline.stance_label == "con" and denial.stance_label == "pro"
    assert any(c.kind == "overstated" for c in headline.stance_cues)
    alone = next(s for s in statements("Acme will end its recycling programme, which runs in 40 towns.", nlp,
                                       title="Acme ends its recycling programme")
                 if s.topic_id == "recycling" and s.start == s.end == 0)
    assert not any(c.kind == "overstated" for c in alone.stance_cues)
    assert headline.stance_confidence < alone.stance_confidence


def test_the_new_service_is_the_company_named_before(nlp):
    text = "Bolt chose a new logo. The new service will expand the recycling programme to all towns."
    [st] = actions(text, nlp)
    assert (st.entity_id, st.speaker, st.cue) == ("bolt", "The new service", "will expand")


def test_a_plan_named_before_changing_is_the_companys_deed_on_that_plans_topic(nlp):
    text = ("Acme has run its recycling programme in every town since 2019. "
            "The original pledge was removed from the company's website in November.")
    [st] = [a for a in actions(text, nlp) if a.cue == "was removed"]
    assert (st.entity_id, st.topic_id, st.speaker) == ("acme", "recycling", "The original pledge")
    assert st.stance_label == "con"  # the removed pledge stands for the programme the sentence before names
    # a plan removed with nothing before naming a watched topic is on no topic
    assert actions("Acme said it was fine. The original pledge was removed from the company's website.", nlp) == []


def test_a_name_written_in_other_capitals_is_the_company(nlp):
    [st] = actions("ACME will no longer run its recycling programme.", nlp)
    assert st.entity_id == "acme"
    [st] = actions("Bolt logistics will no longer run its recycling programme.", nlp)  # "Bolt Logistics"
    assert st.entity_id == "bolt"
