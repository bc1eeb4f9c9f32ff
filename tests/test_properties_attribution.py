"""Attribution offsets, property-based: a statement's span (start, end) points at its words in the article
text, whatever text, whitespace and unicode surround it (emoji outside the BMP, combining marks, CJK,
right-to-left script, zero-width characters, no-break and ideographic spaces, CRLF line ends)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.attribution import find_attributions, load_nlp
from extractors.statements import extract_statements
from storage.records import Article, Entity, Person, Watchlist
from tests.support.topics import RECYCLING

WATCH = Watchlist((Entity("globex", "Globex", ("Globex Corp",), (Person("Jane Roe", "CEO"),)),), (RECYCLING,))
PUBLISHED = datetime(2025, 6, 4, tzinfo=timezone.utc)

# Text around the statement: any letters, digits and marks (no quotation marks, which would pair with the
# statement's own), in odd spaces and line ends.
ODD = ["😀", "👩‍💻", "e\u0301", "東京", "שלום", "\u200b", "\u200d", "\ufeff", "Ωmega", "naïve", "𝔘𝔫𝔦", "ß"]
FILLER_CHARS = st.characters(codec="utf-8", categories=("L", "M", "N", "Zs", "Sm", "So"),
                             exclude_characters="\"'“”‘’«»„‟‹›「」『』")
WORD = st.one_of(st.text(FILLER_CHARS, min_size=1, max_size=8), st.sampled_from(ODD))
SPACE = st.sampled_from([" ", "  ", "\u00a0", "\u2009", "\u3000", "\t", " \u200b"])
# Between the words that make the statement (speaker, verb): spaces that show (a zero-width space glued
# to the verb has its own test at the end).
VISIBLE_SPACE = st.sampled_from([" ", "  ", "\u00a0", "\u2009", "\u3000", "\t"])
BREAK = st.sampled_from(["\n\n", "\r\n\r\n", "\n \n", "\n\u00a0\n"])
QUOTE_WORDS = st.lists(st.sampled_from(["we", "will", "expand", "the", "recycling", "programme", "across", "every",
                                        "site", "naïve", "😀", "東京", "e\u0301t\u00e9", "Zürich", "this", "year"]),
                       min_size=3, max_size=12)


def _words(draw, words: list[str]) -> str:
    text = ""
    for word in words:
        text += word + draw(SPACE)
    return text.strip(" ")


@st.composite
def articles(draw) -> tuple[str, int, int, str]:
    """(text, where the planted quotation's words start and its closing mark is, the words): filler, a quotation
    by Jane Roe, filler."""
    before = draw(BREAK).join(_words(draw, draw(st.lists(WORD, max_size=12))) + "." for _ in range(draw(st.integers(0, 2))))
    after = draw(BREAK).join(_words(draw, draw(st.lists(WORD, max_size=12))) + "." for _ in range(draw(st.integers(0, 2))))
    quote = _words(draw, ["We", *draw(QUOTE_WORDS)]).strip()
    space = draw(VISIBLE_SPACE)
    shape = draw(st.sampled_from(["quote first", "speaker first"]))
    opening, closing = draw(st.sampled_from([("“", "”"), ('"', '"')]))
    if shape == "quote first":
        statement = f"{opening}{quote},{closing}{space}Jane Roe, the chief executive of Globex,{space}said."
        offset = len(opening)
    else:
        statement = f"Jane Roe, the chief executive of Globex, said:{space}{opening}{quote}.{closing}"
        offset = statement.index(opening + quote) + len(opening)
    head = (before + draw(BREAK)) if before else ""
    text = head + statement + ((draw(BREAK) + after) if after else "")
    start = len(head) + offset
    return text, start, start + len(quote) + 1, quote  # the quote's words and its "," or "." before the closing mark


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(article=articles())
def test_every_span_is_exactly_its_text_and_the_quote_is_where_it_was_written(nlp, article) -> None:
    text, start, end, quote = article
    assert text[start:end - 1] == quote
    found = find_attributions(text, WATCH, nlp=nlp)
    for a in found:
        assert text[a.start:a.end] == a.text, (a.start, a.end, a.text)
    planted = [a for a in found if a.entity_id == "globex" and a.kind == "direct" and start <= a.start < end]
    assert planted, f"the quote was not attributed: {[(a.text, a.start) for a in found]}"
    assert all(a.end <= end for a in planted), [(a.text, a.start, a.end) for a in planted]
    assert "".join(quote.split()).startswith("".join(planted[0].text.split()).rstrip(".,")[:10])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(article=articles())
def test_statement_offsets_point_into_the_article_text(nlp, article) -> None:
    text, start, end, _ = article
    statements = extract_statements(Article(url="https://news.example.com/a", text=text, published_at=PUBLISHED),
                                    WATCH, nlp=nlp)
    for s in statements:
        assert text[s.start:s.end] == s.text, (s.start, s.end, s.text)
    assert any(s.entity_id == "globex" and start <= s.start < end for s in statements), [
        (s.text, s.start) for s in statements]


def test_a_zero_width_space_before_the_verb_does_not_hide_the_statement(nlp) -> None:
    text = "\u201cWe will expand the recycling programme,\u201d Jane Roe, the chief executive of Globex, \u200bsaid."
    found = find_attributions(text, WATCH, nlp=nlp)
    assert [a.text for a in found] == ["We will expand the recycling programme"]
