"""When a statement was made: the publication date unless the text says otherwise.

``resolve_stated_date`` reads temporal expressions that govern the statement
(not ones inside quotes, inside a "said that ..." complement, in a ", who ...,"
aside, or after "by/until/since/starting/from": "by 2030" says nothing about
when something was said) and resolves them against the publication date:

====================================  ==========================================  =========
expression                            value                                        precision
====================================  ==========================================  =========
yesterday / today / on Wednesday      that day (a weekday: the latest on/before)   day
July 30, 2025 / 30 July / 2025-07-30  that day (no year: the latest on/before)     day
in June 2025 / June 2025 / in June    the 1st of that month                        month
in 2001 / in early 2024               Jan 1 of that year                           year
last week / this week                 Monday of that week                          day
last weekend / this past weekend      Saturday of that weekend                     day
last month / earlier this month       the 1st of that month                        month
last year                             published - 1 year                           year
earlier this year                     Jan 1 of that year                           year
N days ago                            published - N days                           day
a week ago                            published - 7 days                           day
N weeks ago / a couple weeks back     published - N weeks                          month
N months ago / a few months back      published - N months                         month
(almost exactly / about) a year ago   published - 1 year                           month
N years ago / a decade ago            published - N years                          year
previously / had said / once said     published (an upper bound: earlier, when     year
                                      unknown)
====================================  ==========================================  =========

Named periods resolve to their first day; offsets keep the computed day. A week has no precision of
its own: "this week" and "last week" are the Monday that opens it, at day precision, so a statement stays
in its week and never slides into the month before (a week that began in the previous month).
"Last year" is a year before publication, so it sorts after what is dated earlier that year. The
sentence is read first; the context only when its last sentence opens with a
date ("Last week, ...", "A year ago, ...") — a fronted date sets the time of what
follows — or, when it ends in ":" ("As I wrote:"), the sentence before it. A
result is never after ``published``. Nothing found: the publication date (day,
cue None), or None when there is no publication date either.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storage.records import DatePrecision, StatedDate

__all__ = ["resolve_stated_date"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3, "several": 3,
}
_VAGUE = frozenset({"a few", "few", "several", "a couple of", "a couple", "couple of"})

_MONTH = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_APPROX = (
    r"(?:almost exactly|exactly|precisely|about|around|roughly|nearly|almost|some|over|more than|less than"
    r"|just over|just under|approximately|only|just)"
)
_NUMBER = rf"(?P<num>\d{{1,3}}|{'|'.join(sorted(_NUMBERS, key=len, reverse=True))})"
_PERIOD_PREFIX = r"(?:(?:in|during|back in)\s+)?(?:(?:early|late|mid|mid-)\s*)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_AFTER = r"(?:,?\s+(?P<year>\d{4}))?"

# (name, pattern); every match is a candidate and the earliest governing one wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ("month_day", re.compile(rf"\b(?:on\s+)?{_MONTH}\s+{_DAY}{_YEAR_AFTER}\b", re.I)),
    ("day_month", re.compile(rf"\b(?:on\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR_AFTER}\b", re.I)),
    ("month_year", re.compile(rf"\b{_PERIOD_PREFIX}{_MONTH}(?:\s+of)?,?\s+(?P<year>(?:19|20)\d{{2}})\b", re.I)),
    ("month", re.compile(rf"\b(?P<prep>in|during|last|this past|back in|early|late|mid-?)\s+{_MONTH}(?![\w-])", re.I)),
    (
        "year",
        re.compile(r"\b(?P<prep>in|during|back in|since)\s+(?:(?:early|late|mid|mid-)\s*)?(?P<year>(?:19|20)\d{2})\b(?!\s*-)", re.I),
    ),
    (
        "relative",
        re.compile(rf"\b(?:{_APPROX}\s+)?{_NUMBER}\s+(?P<unit>day|week|month|year|decade)s?\s+(?:ago|back)\b", re.I),
    ),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("today", re.compile(r"\b(?:earlier\s+)?(?:today|this morning|this afternoon|tonight)\b", re.I)),
    ("last_weekend", re.compile(r"\b(?:last|this past|past)\s+weekend\b", re.I)),
    ("last_week", re.compile(r"\b(?:last|this past|past)\s+week\b", re.I)),
    ("this_week", re.compile(r"\b(?:earlier\s+)?this\s+week\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier\s+)?this\s+month\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
    ("this_year", re.compile(r"\b(?:earlier\s+)?this\s+year\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?P<last>last|this past)\s+|on\s+)?{_WEEKDAY}\b", re.I)),
]

_PREVIOUSLY = re.compile(
    r"\b(?:previously|formerly|in the past|has long|have long|had long|used to (?:say|argue|insist)"
    r"|once (?:said|wrote|argued|called|declared|described|told)"
    r"|had\s+(?:\w+ly\s+)?(?:said|told|written|wrote|stated|argued|claimed|predicted|promised|pledged|insisted"
    r"|noted|explained|suggested|declared|announced|maintained|described|called|touted|highlighted"
    r"|emphasi[sz]ed|posted|tweeted|warned|vowed|signalled|signaled|hinted|acknowledged))\b",
    re.I,
)
# Words before a date that make it a deadline, a start or a range, not the time of saying.
_BLOCKED_BEFORE = re.compile(
    r"\b(?:by|until|till|through|starting|beginning|from|since|before|after|ahead of|in time for|to|as of"
    r"|as early as|as late as|next|coming|end of|start of)\s*(?:in|on|at|the)?\s*$",
    re.I,
)
_REPORTING_COMPLEMENT = re.compile(
    r"\b(?:said|says|say|told|tells|wrote|writes|stated|states|argued|argues|claimed|claims|predicted|predicts"
    r"|noted|notes|added|adds|explained|explains|announced|announces|believes?|believed|thinks?|thought"
    r"|warned|warns|acknowledged|acknowledges|suggested|suggests|insisted|insists|indicated|indicates"
    r"|reported|reports|confirmed|confirms|emphasi[sz]ed|stressed|hinted|signall?ed|revealed|admitted"
    r"|promised|pledged|vowed|expects?|expected|hoped|hopes)\b(?:\s+[\w’'-]+){0,3}?\s+(?:that|whether|how)\b",
    re.I,
)
# A date after a future modal in its clause is when something will happen ("would ... in 2024").
_FUTURE_IN_CLAUSE = re.compile(
    r"\b(?:will|would|shall|going to|plans? to|planning to|intends? to|aims? to|expects? to|set to)\b|['’]ll\b", re.I
)
_ASIDE = re.compile(r",\s*(?:who|which|whose)\b[^,;]*[,;]|,\s*having\b[^;]*", re.I)  # ", having banned X in 2022": history
_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("«", "»"))
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?:])[\"'”’]?\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_LEADING_CONJUNCTION = re.compile(r"^\W*(?:(?:and|but|so|then|also|even|back|yet)\b\W*)?", re.I)


@dataclass(frozen=True)
class _Found:
    start: int
    text: str
    value: date
    precision: DatePrecision


def resolve_stated_date(sentence: str, context: str, published: date | None) -> StatedDate | None:
    """When the statement in ``sentence`` was made (see the module doc)."""
    if isinstance(published, datetime):
        published = published.date()
    found = _first_governing(sentence, published)
    if found is not None:
        return StatedDate(found.value, found.precision, found.text)
    earlier = _previously_cue(sentence)
    if earlier is not None:
        return StatedDate(published, "year", earlier) if published else None
    found = _from_context(context, published)
    if found is not None:
        return StatedDate(found.value, found.precision, found.text)
    return StatedDate(published, "day", None) if published else None


def _first_governing(text: str, published: date | None, fronted_only: bool = False) -> _Found | None:
    excluded = _excluded_spans(text)
    fronted_end = _leading_conjunction_end(text) if fronted_only else None
    candidates: list[_Found] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if fronted_end is not None and match.start() != fronted_end:
                continue
            if any(s <= match.start() < e for s, e in excluded) or _blocked(text, match.start()):
                continue
            if text[match.end():match.end() + 2] in ("'s", "’s"):
                continue  # "in the wake of last week's riot": the date of the riot, not of the words
            resolved = _resolve(name, match, published)
            if resolved is None or (published is not None and resolved[0] > published):
                continue
            candidates.append(_Found(match.start(), match.group().strip(), *resolved))
    if not candidates:
        return None
    # Earliest start; at one start the longest expression ("in June 2025" over "in June").
    return min(candidates, key=lambda f: (f.start, -len(f.text)))


def _leading_conjunction_end(text: str) -> int:
    """Where the sentence proper starts, after an opening "and"/"but"/...: the pattern matches every text."""
    opening = _LEADING_CONJUNCTION.match(text)
    return opening.end() if opening is not None else 0


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _ASIDE.finditer(text)]
    for opening, closing in _QUOTE_PAIRS:
        position = 0
        while (begin := text.find(opening, position)) != -1:
            end = text.find(closing, begin + 1)
            if end == -1:
                spans.append((begin, len(text)))
                break
            spans.append((begin, end + 1))
            position = end + 1
    complement = _REPORTING_COMPLEMENT.search(text)
    if complement is not None:
        spans.append((complement.end(), len(text)))
    return spans


def _blocked(text: str, start: int) -> bool:
    if _BLOCKED_BEFORE.search(text[max(0, start - 24) : start]) is not None:
        return True
    clause = re.split(r"[,;:]", text[:start])[-1]
    return _FUTURE_IN_CLAUSE.search(clause) is not None


def _previously_cue(sentence: str) -> str | None:
    excluded = _excluded_spans(sentence)
    for match in _PREVIOUSLY.finditer(sentence):
        if not any(s <= match.start() < e for s, e in excluded):
            return match.group()
    return None


def _from_context(context: str, published: date | None) -> _Found | None:
    sentences = [s for s in _SENTENCE_SPLIT.split(context.strip()) if s.strip()]
    if not sentences:
        return None
    candidates = [sentences[-1]]
    if sentences[-1].rstrip().endswith(":") and len(sentences) > 1:
        candidates.append(sentences[-2])
    for candidate in candidates:
        found = _first_governing(candidate, published, fronted_only=True)
        if found is not None:
            return found
    return None


def _resolve(name: str, match: re.Match[str], published: date | None) -> tuple[date, DatePrecision] | None:
    groups: dict[str, str | None] = match.groupdict()
    month_name = groups.get("mon")
    if month_name and not month_name[0].isupper():  # "may" is a modal, "May" a month
        return None
    if name == "weekday" and not _group(groups, "wd")[0].isupper():
        return None
    if name in ("iso", "month_day", "day_month"):
        return _absolute_day(groups, published)
    if name == "month_year":
        return date(int(_group(groups, "year")), _month_number(groups), 1), "month"
    if name == "year":
        if _group(groups, "prep").lower() == "since":
            return None
        return date(int(_group(groups, "year")), 1, 1), "year"
    if published is None:
        return None
    return _relative(name, groups, published)


def _group(groups: Mapping[str, str | None], name: str) -> str:
    """A named group its pattern always fills (the pattern's name decides which groups it has)."""
    value = groups[name]
    if value is None:
        raise KeyError(name)
    return value


def _month_number(groups: Mapping[str, str | None]) -> int:
    return _MONTHS[_group(groups, "mon").lower().rstrip(".")]


def _absolute_day(groups: dict[str, str | None], published: date | None) -> tuple[date, DatePrecision] | None:
    try:
        numeric_month, year = groups.get("month"), groups.get("year")
        month = int(numeric_month) if numeric_month else _month_number(groups)
        day = int(_group(groups, "day"))
        if year:
            return date(int(year), month, day), "day"
        if published is None:
            return None
        value = date(published.year, month, day)
        if value > published:
            value = date(published.year - 1, month, day)
        return value, "day"
    except (ValueError, KeyError):
        return None


def _monday(published: date) -> date:
    return published - timedelta(days=published.weekday())


def _first_of_last_month(published: date) -> date:
    return (published.replace(day=1) - timedelta(days=1)).replace(day=1)


# Periods named relative to the publication date: (their day, the precision they have).
_NAMED_PERIODS: dict[str, tuple[Callable[[date], date], DatePrecision]] = {
    "yesterday": (lambda p: p - timedelta(days=1), "day"),
    "today": (lambda p: p, "day"),
    "last_weekend": (lambda p: _monday(p) - timedelta(days=2), "day"),  # its Saturday
    "last_week": (lambda p: _monday(p) - timedelta(days=7), "day"),
    "this_week": (_monday, "day"),
    "last_month": (_first_of_last_month, "month"),
    "this_month": (lambda p: p.replace(day=1), "month"),
    "last_year": (lambda p: _minus_months(p, 12), "year"),
    "this_year": (lambda p: date(p.year, 1, 1), "year"),
}


def _relative(name: str, groups: dict[str, str | None], published: date) -> tuple[date, DatePrecision] | None:
    if name in _NAMED_PERIODS:
        day_of, precision = _NAMED_PERIODS[name]
        return day_of(published), precision
    if name == "relative":
        return _offset(groups, published)
    if name == "month":
        month = _month_number(groups)
        year = published.year if month <= published.month else published.year - 1
        if _group(groups, "prep").lower() in ("last", "this past") and month == published.month:
            year -= 1
        return date(year, month, 1), "month"
    if name == "weekday":
        back = (published.weekday() - _WEEKDAYS[_group(groups, "wd").lower()]) % 7
        if groups.get("last") and back == 0:
            back = 7
        return published - timedelta(days=back), "day"
    return None


def _offset(groups: dict[str, str | None], published: date) -> tuple[date, DatePrecision] | None:
    """Published minus "N units"; None when that is before the calendar's first year ("200 decades ago")."""
    try:
        return _counted_back(groups, published)
    except (ValueError, OverflowError):
        return None


def _counted_back(groups: dict[str, str | None], published: date) -> tuple[date, DatePrecision]:
    raw = (groups["num"] or "a").lower()
    count = int(raw) if raw.isdigit() else _NUMBERS.get(raw, 1)
    vague = raw in _VAGUE
    unit = _group(groups, "unit").lower()
    if unit == "day":
        return published - timedelta(days=count), "day"
    if unit == "week":
        precision: DatePrecision = "day" if count == 1 and not vague else "month"
        return published - timedelta(weeks=count), precision
    if unit == "month":
        return _minus_months(published, count), "month"
    years = count * (10 if unit == "decade" else 1)
    precision = "month" if years == 1 and not vague else "year"
    return _minus_months(published, 12 * years), precision


def _minus_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))
