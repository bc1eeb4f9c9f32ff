"""When a statement was made: expressions resolved against the publication date."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from extractors.dates import resolve_stated_date
from storage.records import StatedDate
from tests.support import REPO_SEEDS

SEEDS = REPO_SEEDS
TUESDAY = date(2025, 7, 15)  # a Tuesday

# (sentence, context, expected value, precision, words the cue must contain; None = publication date)
CASES = [
    ("Almost exactly a year ago, the CEO wrote a long post.", "", date(2024, 7, 15), "month", "a year ago"),
    ("A year ago, the founder said the app would stay free.", "", date(2024, 7, 15), "month", "A year ago"),
    ("About two years ago, Acme said it would never charge.", "", date(2023, 7, 15), "year", "two years ago"),
    ("A decade ago, the founder promised privacy.", "", date(2015, 7, 15), "year", "decade ago"),
    ("Three days ago, the CEO told staff to come back.", "", date(2025, 7, 12), "day", "Three days ago"),
    ("A week ago, Acme announced the change.", "", date(2025, 7, 8), "day", "A week ago"),
    ("A couple weeks back, the CTO posted a memo.", "", date(2025, 7, 1), "month", "couple weeks back"),
    ("A few months ago, the company said it was reviewing its policy.", "", date(2025, 4, 15), "month", "few months ago"),
    ("Yesterday, the spokesperson said nothing had changed.", "", date(2025, 7, 14), "day", "Yesterday"),
    ("The CEO said today that the plan stands.", "", TUESDAY, "day", "today"),
    ("The CEO outlined the plan on Wednesday.", "", date(2025, 7, 9), "day", "Wednesday"),
    ("The CEO outlined the plan on Tuesday.", "", TUESDAY, "day", "Tuesday"),
    ("The CEO said Monday that staff would return.", "", date(2025, 7, 14), "day", "Monday"),
    ("Last Tuesday, the board approved the plan.", "", date(2025, 7, 8), "day", "Last Tuesday"),
    ("Last week, a small group discussed dropping the product.", "", date(2025, 7, 7), "day", "Last week"),
    ("Last weekend, the founder posted a memo.", "", date(2025, 7, 12), "day", "Last weekend"),
    ("Earlier this week, the founder wrote on his blog.", "", date(2025, 7, 14), "day", "this week"),
    ("The company said last month it would expand the program.", "", date(2025, 6, 1), "month", "last month"),
    ("Earlier this month, the CEO said the policy was final.", "", date(2025, 7, 1), "month", "this month"),
    ("Acme said last year that it would keep the free plan.", "", date(2024, 7, 15), "year", "last year"),
    ("Earlier this year, the CEO said the opposite.", "", date(2025, 1, 1), "year", "this year"),
    ("In June 2025, the company made a big investment.", "", date(2025, 6, 1), "month", "June 2025"),
    ("The company said in July 2024 that it would release the code.", "", date(2024, 7, 1), "month", "July 2024"),
    ("In June, the company reversed course.", "", date(2025, 6, 1), "month", "In June"),
    ("In September, the company reversed course.", "", date(2024, 9, 1), "month", "In September"),
    ("In 2001, the founder said the code would stay open.", "", date(2001, 1, 1), "year", "2001"),
    ("Back in early 2019, the CEO called it a mistake.", "", date(2019, 1, 1), "year", "2019"),
    ("On July 30, 2024, the company posted its principles.", "", date(2024, 7, 30), "day", "July 30, 2024"),
    ("The principles were posted on July 30.", "", date(2024, 7, 30), "day", "July 30"),
    ("The memo, dated 3 March 2025, set out the plan.", "", date(2025, 3, 3), "day", "3 March 2025"),
    ("The filing (2025-02-11) repeats the pledge.", "", date(2025, 2, 11), "day", "2025-02-11"),
    # The context: a fronted date in the sentence just before sets the time of what follows.
    ("The CEO wrote that the plan was final.", "Two weeks ago, Acme held a town hall.", date(2025, 7, 1), "month", "Two weeks ago"),
    ("“The plan is final.”", "A couple weeks back, I wrote a post. As I wrote:", date(2025, 7, 1), "month", "couple weeks back"),
    # Previously / past perfect: earlier, date unknown -> publication date as an upper bound, year precision.
    ("The CEO had said the app would stay free.", "", TUESDAY, "year", "had said"),
    ("The founder previously predicted the code would be open by 2026.", "", TUESDAY, "year", "previously"),
    # Nothing that governs the statement: the publication date.
    ("“Our position is unchanged,” a spokesperson said.", "", TUESDAY, "day", None),
    ("The CEO said the company would go fully remote by 2030.", "", TUESDAY, "day", None),
    ("The CEO said the plan, starting in 2024, had worked.", "", TUESDAY, "day", None),
    ("The CEO said that last week the team shipped the update.", "", TUESDAY, "day", None),
    ("“Last week we changed nothing,” the CEO said.", "", TUESDAY, "day", None),
    ("The founder, who started the company in 2004, says the app will stay free.", "", TUESDAY, "day", None),
    ("We will release the model in 2026, the CEO said.", "", TUESDAY, "day", None),
    ("The company, founded in 2031, said so.", "", TUESDAY, "day", None),  # after publication: ignored
    ("Llama 3 and GPT-4 cost $14.3 billion in 2 years of work.", "", TUESDAY, "day", None),
    ("The CEO said the plan may change.", "Acme announced layoffs last week.", TUESDAY, "day", None),
    ("Staff may work from home.", "", TUESDAY, "day", None),  # "may" is not the month
]


@pytest.mark.parametrize(("sentence", "context", "value", "precision", "cue"), CASES, ids=[c[0][:45] for c in CASES])
def test_resolve_stated_date(sentence: str, context: str, value: date, precision: str, cue: str | None) -> None:
    stated = resolve_stated_date(sentence, context, TUESDAY)
    assert stated is not None
    assert (stated.value, stated.precision) == (value, precision), stated
    if cue is None:
        assert stated.cue is None
    else:
        assert stated.cue is not None and cue.lower() in stated.cue.lower()
    assert stated.value <= TUESDAY


def test_no_publication_date_and_nothing_found_is_none() -> None:
    assert resolve_stated_date("The CEO said the plan stands.", "", None) is None
    assert resolve_stated_date("Last week, the CEO said the plan stands.", "", None) is None  # relative: no anchor
    assert resolve_stated_date("The CEO had said the plan stands.", "", None) is None


def test_an_absolute_date_needs_no_publication_date() -> None:
    assert resolve_stated_date("In June 2025, the CEO said it.", "", None) == StatedDate(date(2025, 6, 1), "month", "In June 2025")
    assert resolve_stated_date("In 2019, the CEO said it.", "", None) == StatedDate(date(2019, 1, 1), "year", "In 2019")


def test_a_datetime_publication_is_accepted() -> None:
    published = datetime(2025, 7, 15, 23, 30, tzinfo=timezone.utc)
    assert resolve_stated_date("Yesterday, the CEO spoke.", "", published) == StatedDate(date(2025, 7, 14), "day", "Yesterday")
    assert resolve_stated_date("The CEO spoke.", "", published) == StatedDate(date(2025, 7, 15), "day", None)


def test_never_after_publication() -> None:
    published = date(2025, 1, 3)  # a Friday, early January
    for sentence in ("In December, the CEO said it.", "On December 31, the CEO said it.", "On Saturday, the CEO said it."):
        stated = resolve_stated_date(sentence, "", published)
        assert stated is not None and stated.value <= published and stated.cue is not None
    assert resolve_stated_date("In December, the CEO said it.", "", published).value == date(2024, 12, 1)


def test_seed_column_almost_exactly_a_year_ago() -> None:
    """003 (published mid-July 2025): 'Almost exactly a year ago' is July 2024."""
    articles = [json.loads(line) for line in (SEEDS / "seeds.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    article = next(a for a in articles if "Almost exactly a year ago" in a["text"])
    published = date.fromisoformat(article["published"][:10])
    sentence = next(line for line in article["text"].splitlines() if line.startswith("Almost exactly a year ago"))
    sentence = sentence.split(". ")[0]
    stated = resolve_stated_date(sentence, "", published)
    assert (stated.value.year, stated.value.month, stated.precision) == (2024, 7, "month")
    assert stated.cue == "Almost exactly a year ago"


# --- relative dates keep the precision they have (issue 8) ----------------------------


@pytest.mark.parametrize(
    ("sentence", "published", "value", "precision"),
    [
        # a week that began in the month before stays that week, at day precision on its Monday
        ("This week, Acme said the plan stands.", date(2025, 7, 2), date(2025, 6, 30), "day"),
        ("Last week, Acme said the plan stands.", date(2025, 7, 2), date(2025, 6, 23), "day"),
        ("Last week, Acme said the plan stands.", date(2025, 7, 14), date(2025, 7, 7), "day"),  # a Monday
        # this month: the month, at month precision
        ("Earlier this month, Acme said the plan stands.", date(2025, 7, 2), date(2025, 7, 1), "month"),
        # last year: a year before publication, at year precision (not 1 January, which sorts it before
        # everything else said that year)
        ("Last year, Acme said the plan stands.", date(2025, 3, 10), date(2024, 3, 10), "year"),
        ("Last year, Acme said the plan stands.", date(2024, 2, 29), date(2023, 2, 28), "year"),
    ],
)
def test_relative_periods_keep_their_precision(sentence, published, value, precision) -> None:
    assert resolve_stated_date(sentence, "", published) == StatedDate(value, precision, sentence.split(",")[0])


def test_a_week_sorts_inside_its_own_week() -> None:
    """Two statements of the same week, one 'this week' and one dated, stay in that week's order."""
    published = date(2025, 7, 3)  # a Thursday; the week began on Monday 30 June
    this_week = resolve_stated_date("This week, Acme ended the plan.", "", published)
    dated = resolve_stated_date("On June 20, Acme defended the plan.", "", published)
    assert dated.value < this_week.value <= published
    assert this_week.value.isocalendar()[:2] == published.isocalendar()[:2]


def test_a_having_clause_is_history_and_does_not_date_the_statement():
    # "will allow X in 2023, having banned X after the invasion in February 2022": said when published
    found = resolve_stated_date("Acme will allow rival players to compete in 2023, having banned them after "
                                "the merger in February 2022.", "", date(2023, 3, 31))
    assert found is not None and found.value == date(2023, 3, 31) and found.precision == "day"


def test_a_possessive_date_dates_the_event_not_the_words():
    published = date(2021, 1, 10)
    found = resolve_stated_date("Acme said it is pausing donations in the wake of last week's riot.", "", published)
    assert (found.value, found.cue) == (published, None)
    found = resolve_stated_date("Acme said last week it is pausing donations.", "", published)
    assert (found.value, found.cue) == (date(2020, 12, 28), "last week")  # the Monday of the week before
