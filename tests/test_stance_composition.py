"""Polarity that composes (issue 8, item 5), on invented companies and topics: the verbs and
nouns of ending and of starting, objects against the proposition, criticism, plans,
diminishers, and configured terms that are themselves change verbs."""

from __future__ import annotations

import pytest

from extractors.stance import score_stance
from storage.records import Topic
from tests.support.topics import RECYCLING

POLITICAL_ADS = Topic(
    id="political-ads",
    name="Political ads",
    proposition="Acme accepts political ads.",
    keywords=("political ads",),
    pro=("political ads",),
    con=("ban",),  # a con term that is itself a change verb (and noun)
)
PRICE_MATCH = Topic(
    id="price-match",
    name="Price-match promise",
    proposition="Bramble promises to match competitors' prices under its Always Fair pledge.",
    keywords=("Always Fair", "price match"),
    pro=("match prices", "price promise"),
    con=("ditch", "scrap"),
)
ELECTRIC = Topic(
    id="electric-only",
    name="Electric-only range",
    proposition="Corvane will sell only fully electric cars by 2030.",
    keywords=("fully electric", "electric cars"),
    pro=("fully electric",),
    con=("hybrid models",),
)
PODCAST = Topic(
    id="podcast",
    name="Hosting the Lena Markov podcast",
    proposition="Streamly keeps hosting Lena Markov's podcast on its platform.",
    keywords=("Lena Markov", "podcast", "Streamly"),
    pro=("keep", "stand by"),
    con=("remove", "take down"),
)

ENDING = [
    "abandon", "drop", "end", "scrap", "cancel", "delete", "remove", "revert", "reverse", "halt", "pause",
    "phase out", "walk back",
]
STARTING = ["begin", "launch", "adopt", "introduce", "roll out", "resume", "continue", "keep"]


@pytest.mark.parametrize("verb", ENDING)
def test_ending_and_reversing_verbs_are_against_what_they_govern(verb: str) -> None:
    result = score_stance(f"Acme will {verb} its recycling programme.", RECYCLING)
    assert result.label == "con", (verb, result)


@pytest.mark.parametrize("noun", ["the termination of", "a reversal of", "a rollback of", "the end of"])
def test_nouns_of_ending_are_against_what_they_govern(noun: str) -> None:
    result = score_stance(f"Acme announced {noun} its recycling programme.", RECYCLING)
    assert result.label == "con", (noun, result)


@pytest.mark.parametrize("verb", STARTING)
def test_starting_and_keeping_verbs_are_for_what_they_govern(verb: str) -> None:
    result = score_stance(f"Acme will {verb} its recycling programme.", RECYCLING)
    assert result.label == "pro", (verb, result)


@pytest.mark.parametrize(
    "text",
    [
        "Acme will return to its recycling programme.",
        "Acme runs its recycling programme once more.",
        "Acme's recycling programme will remain in place.",
    ],
)
def test_returning_and_remaining_are_for_it(text: str) -> None:
    assert score_stance(text, RECYCLING).label == "pro"


def test_ending_an_end_supports_it() -> None:
    assert score_stance("Acme reversed the termination of its recycling programme.", RECYCLING).label == "pro"
    assert score_stance("Acme lifted its ban on political ads.", POLITICAL_ADS).label == "pro"
    assert score_stance("Acme introduced a ban on political ads.", POLITICAL_ADS).label == "con"


def test_a_con_term_that_is_a_change_verb_acts_on_what_it_governs() -> None:
    ditched = score_stance("Bramble has ditched its “Always Fair” pledge to match prices.", PRICE_MATCH)
    assert ditched.label == "con", ditched
    # The ditching is in the flipped pro term, not counted a second time as a con term.
    assert [c.kind for c in ditched.cues if c.kind in ("pro", "con")] == ["pro"]
    alone = score_stance("Bramble ditched it.", PRICE_MATCH)
    assert alone.label == "con"  # with nothing to govern, it counts as the con term it is


def test_quotes_around_a_name_do_not_end_the_clause() -> None:
    result = score_stance("Bramble is bringing back its “Always Fair” price promise.", PRICE_MATCH)
    assert result.label == "pro"
    assert any(c.kind == "keyword" and c.weight > 0 for c in result.cues), result


def test_an_earlier_event_counts_less_than_the_news() -> None:
    text = "Bramble is bringing back its “Always Fair” price promise, two years after it was ditched."
    result = score_stance(text, PRICE_MATCH)
    assert result.label == "pro", result


def test_criticism_counts_against_what_it_criticizes() -> None:
    assert score_stance("Acme's board criticized the recycling programme.", RECYCLING).label == "con"
    assert score_stance("Critics slammed the decision to scrap the recycling programme.", RECYCLING).label == "pro"


def test_two_judgements_against_a_thing_do_not_cancel() -> None:
    assert score_stance("The recycling programme is a costly mistake.", RECYCLING).label == "con"
    assert score_stance("The recycling programme was a dangerous failure.", RECYCLING).label == "con"


def test_plans_count_with_less_weight() -> None:
    plan = score_stance("Acme plans to end its recycling programme.", RECYCLING)
    deed = score_stance("Acme ends its recycling programme.", RECYCLING)
    assert plan.label == deed.label == "con"
    assert deed.score < plan.score < 0
    assert any(c.kind == "plan" for c in plan.cues)


def test_diminishers_and_conditionals_hedge() -> None:
    plain = score_stance("Acme expanded its recycling programme.", RECYCLING)
    smaller = score_stance("Acme slightly expanded its recycling programme.", RECYCLING)
    conditional = score_stance("If costs fall, Acme will expand its recycling programme.", RECYCLING)
    assert 0 < smaller.score < plain.score
    assert 0 < conditional.score < smaller.score
    assert conditional.label == "hedged"


def test_a_limit_the_proposition_states_limits_nothing() -> None:
    result = score_stance("Corvane has abandoned its ambition to sell only fully electric cars by 2030.", ELECTRIC)
    assert result.label == "con", result
    assert not any(c.kind == "quantifier" for c in result.cues)


def test_the_company_named_in_the_proposition_is_no_side_of_it() -> None:
    result = score_stance("Streamly's chief executive said the firm would not part ways with Markov.", PODCAST)
    assert result.label == "pro", result
    assert not any(c.text == "Streamly" for c in result.cues)


def test_a_refused_request_supports_what_the_request_opposed() -> None:
    text = "Some staff are asking us to take down the podcast, which we are not going to do."
    result = score_stance(text, PODCAST)
    assert result.label == "pro", result
    assert any(c.kind == "anaphor" and c.weight > 0 for c in result.cues), result


def test_every_score_still_explains_itself() -> None:
    result = score_stance("Acme quietly lifted its ban on political ads", POLITICAL_ADS)
    kinds = {c.kind for c in result.cues}
    assert {"change", "pro"} <= kinds, result
    assert "end-or-reverse" in result.rules


TALC = Topic(
    id="talc-abroad",
    name="Acme selling talc-based powder abroad",
    proposition="Acme keeps selling talc-based powder outside its home market.",
    keywords=("talc", "baby powder", "talc-based"),
    pro=("talc-based baby powder", "remain available"),
    con=("stop selling", "end sales"),
)
DIVERSITY = Topic(
    id="board-diversity",
    name="Board diversity requirement",
    proposition="Acme requires diverse board members at the companies it takes public.",
    keywords=("board diversity",),
    pro=("diverse board",),
    con=("no longer require",),
)


def test_a_verb_term_governs_the_term_that_is_its_object() -> None:
    """'stop selling' (con) acting on 'talc-based baby powder' (pro) is one con claim, not a tie."""
    result = score_stance("Acme will stop selling talc-based baby powder globally next year.", TALC)
    assert result.label == "con", result
    assert [c.kind for c in result.cues if c.kind in ("pro", "con")] == ["con"]
    gapped = score_stance("Acme to end global sales of talc-based baby powder", TALC)
    assert gapped.label == "con", gapped


def test_a_modifier_naming_another_kind_is_not_the_topics_thing() -> None:
    """'cornstarch-based baby powder' shares '-based' with the topic's 'talc-based baby powder':
    moving to it is no support for talc; the same verb on the topic's own kind is."""
    other = score_stance("Acme will transition to an all cornstarch-based baby powder portfolio.", TALC)
    assert other.label == "neutral", other
    same = score_stance("Acme will continue to offer its baby powder in every market.", TALC)
    assert same.label == "pro", same


def test_ending_the_topics_own_thing_is_a_clear_position() -> None:
    """A change verb acting on a keyword counts like a term: 'ended our board diversity policy'."""
    result = score_stance("We ended our formal board diversity policy.", DIVERSITY)
    assert result.label == "con" and result.score <= -0.5, result
    assert any(c.kind == "keyword" and c.weight <= -0.8 for c in result.cues), result


def test_a_preposition_that_negates_takes_only_what_follows_it() -> None:
    """'... for firms with X is better than for firms without': 'without' takes nothing here and
    must not reach back and flip the subject, as 'is no longer' does."""
    result = score_stance("The results of IPOs for firms with board diversity are better than for firms without.",
                          DIVERSITY)
    assert all(c.weight >= 0 for c in result.cues if c.kind in ("keyword", "pro", "con")), result
    flipped = score_stance("Board diversity is no longer required.", DIVERSITY)
    assert flipped.label == "con", flipped


EVENT = Topic(
    id="open-entries",
    name="Entries from the federation's players",
    proposition="Acme Open allows the federation's players to compete.",
    keywords=("federation players", "entries"),
    pro=("allow", "compete"),
    con=("ban", "bar"),
)


def test_a_grand_slam_is_no_criticism_and_a_having_clause_is_background() -> None:
    """'the grass-court Grand Slam' names an event, not a slamming; 'having banned ...' is what came
    before the news, so it counts less than it."""
    result = score_stance("Acme Open will allow federation players to compete at the Grand Slam, having banned "
                          "them last year.", EVENT)
    assert result.label == "pro" and "criticism" not in result.rules, result
    slammed = score_stance("Critics slammed the ban on federation players.", EVENT)
    assert "criticism" in slammed.rules and slammed.label == "pro", slammed


def test_a_participle_after_another_partys_name_describes_its_deed() -> None:
    """'Globex's cancelled board diversity push' is what Globex did, no change of the speaker's;
    'we cancelled our board diversity policy' is."""
    other = score_stance("Globex's cancelled board diversity push was a lesson for everyone.", DIVERSITY)
    assert not any(c.kind == "change" for c in other.cues), other
    own = score_stance("We cancelled our board diversity policy.", DIVERSITY)
    assert own.label == "con", own


def test_a_cause_is_a_clause_of_its_own() -> None:
    """'... without board diversity due to its popular listings': the praise of the cause does not
    reach back over 'due to' and flip the negated term a second time."""
    result = score_stance("Acme listed companies without board diversity due to its popular fast-track listings.",
                          DIVERSITY)
    assert result.label == "con", result
