"""Offset-exact layout of an article's text: paragraphs, quotations, sentences.

Everything here is plain string scanning (no parser), so it runs on the whole
article; the parser only sees the few sentences that need it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_MIN_QUOTE_WORDS = 3
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "corp", "co", "ltd", "gov", "sen", "rep",
    "gen", "lt", "col", "sgt", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "prof", "mt", "ft", "approx", "dept", "est",
    "fig", "vol", "u.s", "u.k", "a.i", "e.g", "i.e", "p.m", "a.m", "u.n", "e.u", "d.c",
})
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[A-Z0-9])")


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    """One quotation (or one paragraph's piece of a multi-paragraph one).

    start/end bound the words inside the marks; open_at/close_at are the marks
    themselves (close_at is None when the quotation runs on past its paragraph).
    """

    index: int
    start: int
    end: int
    open_at: int
    close_at: int | None
    paragraph: int
    words: int
    continues: bool  # opens a paragraph while the previous paragraph's quote ran on

    @property
    def outer_start(self) -> int:
        return self.open_at

    @property
    def outer_end(self) -> int:
        return self.close_at + 1 if self.close_at is not None else self.end

    @property
    def is_statement_sized(self) -> bool:
        return self.words >= _MIN_QUOTE_WORDS


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int


def split_paragraphs(text: str) -> list[Paragraph]:
    """Non-blank lines, trimmed, with their offsets."""
    paragraphs: list[Paragraph] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        # a line without a letter or digit ("." or "* * *") separates, it is no paragraph
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            paragraphs.append(Paragraph(len(paragraphs), start, end))
    return paragraphs


def _is_opening(text: str, i: int, start: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:;,/") and not after.isspace()


def _scan_paragraph(text: str, para: Paragraph, runs_on: bool) -> list[tuple[int, int, int, int | None, bool]]:
    """(content start, content end, open mark, close mark or None, continues) per quote."""
    found: list[tuple[int, int, int, int | None, bool]] = []
    i = para.start
    while True:
        opener = _OPENER_RE.search(text, i, para.end)
        if opener is None:
            break
        i = opener.start()
        ch = text[i]
        if ch in "\"‘" and not _is_opening(text, i, para.start):
            i += 1
            continue
        j = _closing(text, i + 1, para.end, ch)
        continues = runs_on and not found and i == para.start
        if j is not None:
            found.append((i + 1, j, i, j, continues))
            i = j + 1
            continue
        if ch == "‘":  # an unclosed single mark is an apostrophe, not a quote
            i += 1
            continue
        found.append((i + 1, para.end, i, None, continues))
        break
    return found


_OPENER_RE = re.compile(r"[“„«‘\"]")
# Writers mix marks ("... ” and “ ... \"): a double quotation closes with either.
_CLOSER_RE = {
    "“": re.compile(r"”|\"(?!\w)"),
    "\"": re.compile(r"”|\"(?!\w)"),
    "„": re.compile(r"[“”]|\"(?!\w)"),
    "«": re.compile(r"»"),
    "‘": re.compile(r"’(?![A-Za-z0-9])"),
}


def _closing(text: str, start: int, end: int, opener: str) -> int | None:
    match = _CLOSER_RE[opener].search(text, start, end)
    return match.start() if match else None


def scan_quotes(text: str, paragraphs: list[Paragraph]) -> list[Quote]:
    """Quotations in reading order; a quotation left open at a paragraph's end
    runs on into the next paragraph when that one opens with a quote mark."""
    quotes: list[Quote] = []
    runs_on = False
    for para in paragraphs:
        pieces = _scan_paragraph(text, para, runs_on)
        for start, end, open_at, close_at, continues in pieces:
            inner_end = end
            while inner_end > start and (text[inner_end - 1].isspace() or text[inner_end - 1] in ",;:"):
                inner_end -= 1
            inner_start = start
            while inner_start < inner_end and text[inner_start].isspace():
                inner_start += 1
            if inner_end <= inner_start:
                continue
            words = len(text[inner_start:inner_end].split())
            quotes.append(Quote(len(quotes), inner_start, inner_end, open_at, close_at,
                                para.index, words, continues))
        runs_on = bool(pieces) and pieces[-1][3] is None
    return quotes


def _ends_with_abbreviation(text: str, para_start: int, dot: int) -> bool:
    k = dot
    while k > para_start and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[k].isupper())


def split_sentences(text: str, paragraphs: list[Paragraph], quotes: list[Quote]) -> list[Sentence]:
    """Sentences that never cut through a quotation."""
    inside = _quote_cover(quotes)
    sentences: list[Sentence] = []
    for para in paragraphs:
        start = para.start
        for match in _SENTENCE_END.finditer(text, para.start, para.end):
            cut = match.end()
            if _covered(inside, match.start()) and _covered(inside, cut - 1):
                continue
            if text[match.start()] == "." and _ends_with_abbreviation(text, para.start, match.start()):
                continue
            sentences.append(Sentence(len(sentences), start, cut, para.index))
            start = cut
            while start < para.end and text[start].isspace():
                start += 1
        if start < para.end:
            sentences.append(Sentence(len(sentences), start, para.end, para.index))
    return sentences


def _quote_cover(quotes: list[Quote]) -> tuple[list[int], list[int]]:
    """Starts and ends of the quotations, which follow each other without overlap."""
    return [q.start for q in quotes], [q.end for q in quotes]


def _covered(cover: tuple[list[int], list[int]], pos: int) -> bool:
    # bisection: every sentence end against every quotation is quadratic in article length
    starts, ends = cover
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


def outside_quotes(text: str, start: int, end: int, quotes: list[Quote]) -> str:
    """The sentence with every quotation's words blanked (offsets kept)."""
    chars = list(text[start:end])
    for q in quotes:
        lo, hi = max(q.start, start), min(q.end, end)
        for k in range(lo, hi):
            chars[k - start] = " "
    return "".join(chars)
