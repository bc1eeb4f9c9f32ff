"""Topic relevance from the topic's own words (issue 8, item 6): the proposition's predicate
named as a thing, or two of the topic's words close together, one of them the name's; and
no hit for a sentence that shares one common word with the topic."""

from __future__ import annotations

import pytest

from extractors.stance import match_topics, score_stance
from storage.records import Topic

USAGE_FEE = Topic(
    id="usage-fee",
    name="API usage fee",
    proposition="Acme charges developers a usage fee for API access.",
    keywords=("usage fee", "API pricing"),
    pro=("usage fee", "paid API"),
    con=("free API access", "free tier"),
)
ACCOUNT_LINKING = Topic(
    id="account-linking",
    name="QNN account requirement",
    proposition="Questar requires players on PC to link a QNN account.",
    keywords=("QNN account", "account linking"),
    pro=("required to link",),
    con=("optional",),
)


@pytest.mark.parametrize(
    ("text", "topic", "words"),
    [
        ("the charges will affect only the largest customers", USAGE_FEE, "charges"),
        ("The charges take effect in March.", USAGE_FEE, "charges"),
        ("mandatory QNN linking plans have been scrapped", ACCOUNT_LINKING, "linking"),
    ],
)
def test_the_topics_own_words_make_a_sentence_on_topic(text: str, topic: Topic, words: str) -> None:
    [match] = match_topics(text, [topic])
    assert match.topic_id == topic.id
    assert any(words in term for term in match.terms), match
    assert match.score < 0.3  # weaker than any configured term


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Developers met in Berlin on Tuesday.", USAGE_FEE),  # a proposition word, alone
        ("Access to the stadium was closed on Sunday.", USAGE_FEE),  # a name word, alone
        ("The API was down for an hour.", USAGE_FEE),
        ("Acme charged ahead with its cloud plans.", USAGE_FEE),  # the predicate as a plain verb
        ("Prosecutors filed charges against the former manager.", USAGE_FEE),
        ("Sales rose on PC.", ACCOUNT_LINKING),
        ("The account was closed after a week.", ACCOUNT_LINKING),
        ("Players praised the new map.", ACCOUNT_LINKING),
    ],
)
def test_one_common_word_shared_with_the_topic_is_no_hit(text: str, topic: Topic) -> None:
    assert match_topics(text, [topic]) == []


def test_a_topic_word_counts_for_stance_only_when_an_operator_acts_on_it() -> None:
    scrapped = score_stance("mandatory QNN linking plans have been scrapped", ACCOUNT_LINKING)
    assert scrapped.label == "con", scrapped
    assert any(c.kind == "keyword" and c.weight < 0 for c in scrapped.cues)
    plain = score_stance("The charges will affect only the largest customers.", USAGE_FEE)
    assert plain.label == "neutral"


def test_the_company_in_the_proposition_makes_no_sentence_on_topic() -> None:
    assert match_topics("Questar reported quarterly results.", [ACCOUNT_LINKING]) == []
