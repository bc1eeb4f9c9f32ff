"""Topic matching (variants, inflections, ranking) and the watched-term prefilter."""

from __future__ import annotations

import pytest

from extractors.stance import TopicMatch, match_topics
from storage.records import Topic

OPEN_AI = Topic(
    id="open-models",
    name="Open models",
    proposition="Lumina releases its most capable AI models openly.",
    keywords=("open source", "open weight", "closed model"),
    pro=("open source", "open weights", "openly release"),
    con=("closed model", "proprietary"),
)
REMOTE = Topic(
    id="remote-work",
    name="Remote work",
    proposition="Acme lets employees work remotely",
    keywords=("remote work",),
    pro=("remote work", "work from home", "hybrid"),
    con=("return to office", "in-office"),
)
COAL = Topic(
    id="coal-exit",
    name="Coal exit",
    proposition="Gridco closes its coal plants",
    keywords=("coal",),
    pro=("coal phase-out", "close coal plants"),
    con=("new coal plant",),
)
TOPICS = (OPEN_AI, REMOTE, COAL)

# (text, expected topic ids in order, a term that must be reported for the first)
MATCH_CASES = [
    ("Lumina will open-source its next model.", ["open-models"], "open source"),
    ("Lumina said open sourcing is central to its plan.", ["open-models"], "open source"),
    ("The company is open-sourcing the weights.", ["open-models"], "open source"),
    ("OPEN SOURCE remains the default.", ["open-models"], "open source"),
    ("It ships two closed models this year.", ["open-models"], "closed model"),
    ("Lumina now favours opensource tooling.", ["open-models"], "open source"),
    ("Staff may keep working from home on Fridays.", ["remote-work"], "work from home"),
    ("Acme ordered a return to the office.", ["remote-work"], "return to office"),
    ("The in office mandate starts in May.", ["remote-work"], "in-office"),
    ("Gridco will close two coal plants by 2030.", ["coal-exit"], "coal"),
    (
        "Lumina keeps its closed model proprietary while staff work from home.",
        ["open-models", "remote-work"],
        "closed model",
    ),
]


@pytest.mark.parametrize(("text", "expected", "term"), MATCH_CASES, ids=[c[0][:40] for c in MATCH_CASES])
def test_match_topics(text: str, expected: list[str], term: str) -> None:
    matches = match_topics(text, TOPICS)
    assert [m.topic_id for m in matches] == expected
    assert term in matches[0].terms
    assert all(0 < m.score <= 1 for m in matches)


@pytest.mark.parametrize(
    "text",
    [
        "The sourdough recipe is open to everyone.",  # "open" and "source" are not "open source"
        "Coalition talks resumed on Monday.",  # "coal" inside a longer word
        "The remote control is on the table.",  # "remote" alone is not "remote work"
        "",
    ],
)
def test_no_match_without_a_term_on_word_boundaries(text: str) -> None:
    assert match_topics(text, TOPICS) == []


def test_more_terms_rank_higher() -> None:
    text = "Lumina mentioned open source once. Acme praised remote work, hybrid schedules and working from home."
    matches = match_topics(text, TOPICS)
    assert [m.topic_id for m in matches] == ["remote-work", "open-models"]
    assert matches[0].score > matches[1].score


def test_a_loose_match_counts_less_than_an_exact_one() -> None:
    [loose] = match_topics("Acme keeps remote engineering work.", [REMOTE])
    [exact] = match_topics("Acme keeps remote work.", [REMOTE])
    assert loose.score < exact.score


def test_proposition_words_are_a_weaker_match() -> None:
    [weak] = match_topics("Acme will let employees work remotely two days a week.", [REMOTE])
    [strong] = match_topics("Acme backs remote work.", [REMOTE])
    assert weak.topic_id == "remote-work"
    assert 0 < weak.score < strong.score
    assert any("remotely" in term for term in weak.terms)


PLUS = Topic(
    id="vidora-plus",
    name="Vidora+ streaming",
    proposition="Vidora+ is succeeding.",
    keywords=("Vidora+", "subscribers"),
    pro=("sign-ups",),
    con=("churn",),
)
CUTS = Topic(
    id="cuts",
    name="Job cuts",
    proposition="Borlo is cutting jobs.",
    keywords=("layoffs",),
    pro=("cut jobs",),
    con=("hiring",),
)


def test_a_trailing_plus_names_another_product() -> None:
    assert [m.topic_id for m in match_topics("Vidora+ passed ten million.", [PLUS])] == ["vidora-plus"]
    assert match_topics("Vidora reported a quarterly profit.", [PLUS]) == []


def test_a_number_with_separators_is_one_word_inside_a_term() -> None:
    [number] = match_topics("Borlo will cut 1,200 jobs in Europe.", [CUTS])
    [plain] = match_topics("Borlo will cut 1200 jobs in Europe.", [CUTS])
    assert number.terms == plain.terms == ("cut jobs",)
    assert number.score == plain.score


def test_topic_match_is_a_frozen_record() -> None:
    [match] = match_topics("Acme backs remote work.", [REMOTE])
    assert isinstance(match, TopicMatch)
    with pytest.raises(AttributeError):
        match.score = 1.0  # type: ignore[misc]
