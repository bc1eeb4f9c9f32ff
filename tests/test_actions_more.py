"""Narrated actions, more subjects (issue 8, item 4): what the company sells as the subject ("every car it
sells should be fully electric"), its plan or product as the subject of a change ("the update will not be
moving forward"), and a clause set off by a dash ("... – the plans have been scrapped"). Real spaCy parses of
invented sentences about an invented company; each reading with the cases it must leave alone."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from extractors.attribution import load_nlp
from extractors.statements import extract_statements
from storage.records import Article, Entity, Person, Statement, Topic, Watchlist

PUBLISHED = datetime(2025, 7, 16, tzinfo=timezone.utc)
ACME = Entity("acme", "Acme Motors", aliases=("Acme",), people=(Person("Jane Roe", "CEO"),))
ZETA = Entity("zeta", "Zeta Cars", aliases=("Zeta",))
ELECTRIC = Topic("electric", "All-electric line-up", proposition="Acme will sell only electric cars.",
                 keywords=("electric", "combustion engine"), pro=("fully electric",), con=("combustion engine",))
LINKING = Topic("linking", "Account linking", proposition="Acme requires drivers to link an Acme account.",
                keywords=("account linking", "linked account"), pro=("mandatory account linking",),
                con=("optional",))
WATCHLIST = Watchlist(entities=(ACME, ZETA), topics=(ELECTRIC, LINKING))


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def actions(text: str, nlp) -> list[Statement]:
    article = Article(url="https://news.example.com/a", text=text, published_at=PUBLISHED)
    return [s for s in extract_statements(article, WATCHLIST, nlp=nlp) if s.kind == "action"]


def acted(text: str, nlp) -> list[tuple[str, str, str]]:
    return [(s.entity_id, s.cue, s.text) for s in actions(text, nlp)]


# --- what the company makes or sells, through a relative clause --------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "statement"),
    [
        ("Acme launched a new van last year. By 2030, every car it sells should be fully electric.", "should be",
         "By 2030, every car it sells should be fully electric"),
        ("Every car Acme sells will be fully electric by 2030.", "will be",
         "Every car Acme sells will be fully electric by 2030"),
        ("Acme opened a plant in Ohio. The cars the company builds there are fully electric.", "are",
         "The cars the company builds there are fully electric"),
    ],
)
def test_what_the_company_sells_stands_for_its_plan(nlp, text, cue, statement):
    [st] = actions(text, nlp)
    assert (st.entity_id, st.speaker_role, st.topic_id, st.cue, st.text) == ("acme", "company", "electric", cue,
                                                                                statement)


@pytest.mark.parametrize(
    "text",
    [
        "Acme launched a van. In 2015, every car it sold was powered by a combustion engine.",  # history
        "Acme launched a van. By 2030, every car it sells could be fully electric.",  # the writer's guess
        "Analysts said every car Acme sells will be fully electric by 2030.",  # someone else's claim
        "Every car Acme sells will be fully electric by 2030, critics said.",
        "Acme launched a van. Every car Orbit Motors sells will be fully electric by 2030.",  # an unwatched one
        "Acme launched a van. Every car we test should be fully electric.",  # the writer's "we"
        "Acme launched a van. Every car he sells should be fully electric.",  # a person, not the company
        "Acme launched a van. Every fully electric car should be cheap.",  # nobody makes it in the sentence
    ],
)
def test_what_is_not_what_the_company_sells(nlp, text):
    assert actions(text, nlp) == []


# --- its plan, policy or product as the subject of a change -------------------------------------------


def test_the_company_s_plan_changing_is_its_doing(nlp):
    text = ("Acme announced mandatory account linking on Friday. The update, which would have required "
            "account linking for every driver, will not be moving forward.")
    [st] = actions(text, nlp)
    assert (st.entity_id, st.cue, st.attribution_confidence) == ("acme", "will not be moving", 0.6)
    text = "Acme set an electric target in 2021. That target will now be fully electric by 2035 for its vans."
    [st] = actions(text, nlp)
    assert (st.entity_id, st.cue) == ("acme", "will now be")


@pytest.mark.parametrize(
    "text",
    [
        # someone named beside the plan: the doer or the one done to
        "Acme sells cars. The new policy will require Acme to end account linking.",
        "Acme sells cars. The regulator's plan will end account linking next year.",  # someone else's plan
        "Acme sells cars. The plan to end account linking changed in 2019.",  # history
        "Acme sells cars. The plan for account linking should be simple.",  # "be" with no change
        "Acme sells cars. The drivers will not be moving to account linking.",  # not a plan
    ],
)
def test_what_is_not_the_company_s_plan_changing(nlp, text):
    assert actions(text, nlp) == []


# --- a clause set off by a dash, colon or semicolon -----------------------------------------------------


def test_a_set_off_clause_is_a_sentence_of_its_own(nlp):
    # the statement is the set-off clause, not the writer's lead-in
    text = "Acme posted a note on Monday. We've told you the news – mandatory account linking plans have been scrapped."
    assert acted(text, nlp) == [("acme", "have been scrapped", "mandatory account linking plans have been scrapped")]
    # the parser may take the clause after a colon for the root: the sentence is the statement then
    text = "Acme posted a note on Monday. The upshot is simple: Acme has dropped mandatory account linking."
    [st] = actions(text, nlp)
    assert st.entity_id == "acme" and st.text.endswith("Acme has dropped mandatory account linking")


@pytest.mark.parametrize(
    "text",
    [
        "Acme posted a note. Critics said one thing – the account linking plans have been scrapped.",  # a claim
        "Acme posted a note. If you ask me – Acme could drop mandatory account linking.",  # a guess
        "Acme posted a note. Back in 2019 – the account linking plans were scrapped.",  # history
        "Acme posted a note; if Acme drops mandatory account linking, drivers will return.",  # a condition
        "Jane Roe ran the unit; after she decided to end account linking, she left Acme.",  # an aside
    ],
)
def test_a_set_off_clause_keeps_the_other_tests(nlp, text):
    assert actions(text, nlp) == []
