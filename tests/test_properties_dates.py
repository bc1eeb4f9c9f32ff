"""Date resolution, property-based: relative expressions resolve to a day at or before publication, with
the precision they carry, whatever the publication date and the words and whitespace around them."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.dates import resolve_stated_date

PUBLISHED = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
# Words that neither name a time nor block one ("by", "until", "will", "said that" do): plain and unicode.
WORDS = st.lists(st.sampled_from(["the", "company", "board", "Zürich", "naïve", "café", "東京", "Ørsted", "déjà",
                                  "policy", "its", "plan", "über", "Ελλάδα", "office", "a", "new", "rule", "—"]),
                 max_size=6)
SPACE = st.text(alphabet=" \t\u00a0\u2009\u3000", min_size=1, max_size=3)
SPEAKER = st.sampled_from(["Jane Roe", "The chief executive", "A spokesperson", "She"])
VERB = st.sampled_from(["said", "told reporters", "wrote", "announced", "argued"])


def _sentence(speaker: str, verb: str, phrase: str, before: list[str], after: list[str], space: str) -> str:
    """'<speaker> <verb> <phrase> <words>.' or '<phrase>, <speaker> <verb> <words>.' (a fronted date)."""
    tail = space.join(after) or "so"
    if before:
        return f"{phrase[0].upper()}{phrase[1:]},{space}{speaker.lower() if speaker == 'She' else speaker} {verb}{space}{tail}."
    return f"{speaker}{space}{verb}{space}{phrase}{space}{tail}."


def _resolved(phrase: str, published: date, data) -> tuple[date, str, str | None]:
    sentence = _sentence(data.draw(SPEAKER), data.draw(VERB), phrase, data.draw(WORDS), data.draw(WORDS),
                         data.draw(SPACE))
    found = resolve_stated_date(sentence, "", published)
    assert found is not None, sentence
    assert found.value <= published, (sentence, published, found)
    return found.value, found.precision, found.cue


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _months_back(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


@settings(max_examples=300, deadline=None)
@given(published=PUBLISHED, data=st.data())
def test_named_days_and_weeks(published: date, data) -> None:
    expected = {
        "yesterday": (published - timedelta(days=1), "day"),
        "today": (published, "day"),
        "earlier today": (published, "day"),
        "this week": (_monday(published), "day"),
        "earlier this week": (_monday(published), "day"),
        "last week": (_monday(published) - timedelta(days=7), "day"),
        "last weekend": (_monday(published) - timedelta(days=2), "day"),
        "a week ago": (published - timedelta(days=7), "day"),
    }
    phrase = data.draw(st.sampled_from(sorted(expected)))
    spaced = data.draw(SPACE).join(phrase.split())  # any whitespace between the words
    value, precision, cue = _resolved(spaced, published, data)
    assert (value, precision) == expected[phrase], (phrase, published)
    assert cue is not None and " ".join(cue.split()).lower() == phrase


@settings(max_examples=300, deadline=None)
@given(published=PUBLISHED, data=st.data())
def test_months_and_years(published: date, data) -> None:
    last_month = _months_back(published, 1)
    expected = {
        "last month": (date(*last_month, 1), "month"),
        "earlier this month": (published.replace(day=1), "month"),
        "this month": (published.replace(day=1), "month"),
        "earlier this year": (date(published.year, 1, 1), "year"),
    }
    phrase = data.draw(st.sampled_from([*sorted(expected), "last year"]))
    value, precision, _ = _resolved(data.draw(SPACE).join(phrase.split()), published, data)
    if phrase == "last year":
        assert precision == "year" and value.year == published.year - 1 and value.month == published.month
        assert published - value <= timedelta(days=366)
    else:
        assert (value, precision) == expected[phrase], (phrase, published)


@settings(max_examples=300, deadline=None)
@given(published=PUBLISHED, weekday=st.sampled_from(list(calendar.day_name)), last=st.booleans(), data=st.data())
def test_weekday_names_are_the_latest_such_day(published: date, weekday: str, last: bool, data) -> None:
    phrase = f"last {weekday}" if last else f"on {weekday}"
    value, precision, _ = _resolved(phrase, published, data)
    assert precision == "day" and calendar.day_name[value.weekday()] == weekday
    back = (published - value).days
    assert (1 <= back <= 7) if last else (0 <= back <= 6), (phrase, published, value)


@settings(max_examples=400, deadline=None)
@given(published=PUBLISHED, count=st.integers(min_value=1, max_value=999),
       unit=st.sampled_from(["day", "week", "month", "year", "decade"]), approx=st.sampled_from(["", "about ", "some "]),
       back=st.sampled_from(["ago", "back"]), data=st.data())
def test_n_units_ago(published: date, count: int, unit: str, approx: str, back: str, data) -> None:
    phrase = f"{approx}{count} {unit}{'s' if count != 1 else ''} {back}"
    sentence = _sentence(data.draw(SPEAKER), data.draw(VERB), phrase, [], data.draw(WORDS), data.draw(SPACE))
    found = resolve_stated_date(sentence, "", published)
    assert found is not None
    assert found.value <= published
    months = {"month": count, "year": 12 * count, "decade": 120 * count}.get(unit)
    if months is not None and published.year * 12 + published.month - 1 - months < 12:  # before year 1
        assert found.cue is None and found.value == published, "an offset beyond the calendar: the publication date"
        return
    if unit == "day":
        assert (found.value, found.precision) == (published - timedelta(days=count), "day")
    elif unit == "week":
        assert found.value == published - timedelta(weeks=count)
        assert found.precision == ("day" if count == 1 else "month")
    else:
        assert (found.value.year, found.value.month) == _months_back(published, months)
        assert found.precision == {"month": "month", "year": "month" if count == 1 else "year", "decade": "year"}[unit]


@settings(max_examples=200, deadline=None)
@given(published=PUBLISHED, data=st.data())
def test_a_fronted_date_in_the_context_dates_what_follows(published: date, data) -> None:
    """'Last week, ...' opening the sentence before sets the time of the statement that follows it."""
    phrase = data.draw(st.sampled_from(["Yesterday", "Last week", "Last month", "Earlier this year"]))
    context = f"{phrase}, the board met in {data.draw(st.sampled_from(['Zürich', '東京', 'the café']))}."
    found = resolve_stated_date("Jane Roe said the plan stays.", context, published)
    assert found is not None and found.value <= published and found.cue is not None
    assert found.cue.lower() == phrase.lower()
