"""The text given to the parser, and the way back to article offsets.

Long quotations are swapped for a short stand-in clause before parsing: the
parser then sees the attribution frame ("“...,” the spokesperson said") at a
fraction of the cost, and parses it more reliably than with a long quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.attribution._text import Quote, Sentence

_STAND_IN = "It is so"
_STAND_IN_MODIFIER = "famous"
_TRIM = " \t\n,;:—–-"
_BULLET_RE = re.compile(r"[-–—•*·]\s+")


@dataclass(frozen=True)
class _Piece:
    parse_start: int
    orig_start: int
    length: int
    quote: int | None  # the quotation a stand-in replaces


@dataclass(frozen=True)
class ParseInput:
    sentence: Sentence
    text: str
    pieces: tuple[_Piece, ...]
    quotes: tuple[Quote, ...]  # the quotations inside the sentence
    owned: frozenset[int] = frozenset()  # quotations already owned by a possessor
    names: tuple[tuple[int, int], ...] = ()  # watched names in the sentence

    def is_name(self, token) -> bool:
        start, end = self.span(token)
        return any(s <= start and end <= e for s, e in self.names)

    def locate(self, parse_offset: int) -> _Piece:
        for piece in reversed(self.pieces):
            if piece.parse_start <= parse_offset:
                return piece
        return self.pieces[0]

    def span(self, token) -> tuple[int, int]:
        """The article offsets of a parsed token (a stand-in maps to its quotation)."""
        piece = self.locate(token.idx)
        if piece.quote is not None:
            q = self.quote(piece.quote)
            return q.start, q.end
        start = piece.orig_start + token.idx - piece.parse_start
        return start, start + len(token.text)

    def quote_of(self, token) -> int | None:
        piece = self.locate(token.idx)
        if piece.quote is not None:
            return piece.quote
        start, _ = self.span(token)
        for q in self.quotes:
            if q.start <= start < q.end:
                return q.index
        return None

    def quote(self, index: int) -> Quote:
        return next(q for q in self.quotes if q.index == index)


def _clause_like(text: str, q: Quote, sentence: Sentence) -> bool:
    """A quotation standing as a clause of its own (not a fragment inside one)."""
    body = text[q.start:q.end]
    if body[:1].isupper():
        return True
    lead = text[sentence.start:q.open_at].rstrip()
    opens = not lead or lead[-1] in ":,"
    return opens and (body[-1:] in ".?!" or text[q.end:q.end + 1] == ",")


def build_parse_input(text: str, sentence: Sentence, quotes: list[Quote],
                      modifiers: frozenset[int] = frozenset(),
                      names: tuple[tuple[int, int], ...] = ()) -> ParseInput:
    """The sentence with long quotations swapped for a stand-in clause, and the
    quotations in `modifiers` ("X's “...” statement") for a stand-in adjective.
    `names`: where watched names sit in it (the tagger may miss "says Early")."""
    inside = tuple(q for q in quotes if q.start >= sentence.start and q.end <= sentence.end)
    parts: list[str] = []
    pieces: list[_Piece] = []
    bullet = _BULLET_RE.match(text, sentence.start, sentence.end)  # "- Acme advocates ..." tags as a noun
    cursor, parse_len = (bullet.end() if bullet else sentence.start), 0
    for q in inside:
        if q.index in modifiers:
            cut_start, cut_end, stand_in = q.open_at, q.outer_end, _STAND_IN_MODIFIER
        elif q.is_statement_sized and _clause_like(text, q, sentence):
            cut_start, cut_end = q.start, q.end
            stand_in = _STAND_IN + (text[q.end - 1] if text[q.end - 1] in ".?!" else "")
        else:
            continue
        if cut_start > cursor:
            chunk = text[cursor:cut_start]
            pieces.append(_Piece(parse_len, cursor, len(chunk), None))
            parts.append(chunk)
            parse_len += len(chunk)
        pieces.append(_Piece(parse_len, cut_start, len(stand_in), q.index))
        parts.append(stand_in)
        parse_len += len(stand_in)
        cursor = cut_end
    if sentence.end > cursor:
        chunk = text[cursor:sentence.end]
        pieces.append(_Piece(parse_len, cursor, len(chunk), None))
        parts.append(chunk)
    if not pieces:
        pieces.append(_Piece(0, sentence.start, 0, None))
    return ParseInput(sentence, "".join(parts), tuple(pieces), inside, modifiers, names)


_WORD_RE = re.compile(r"[A-Za-z][\w’'-]*")
_HEADLINE_MAX_WORDS = 20
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at", "by", "as", "with"})


def sentence_cased(parse_input: ParseInput) -> ParseInput:
    """A Title Case Headline ("Acme Drops Pledge To Cut Emissions") as the parser
    reads it best: in sentence case, watched names and acronyms kept (same length,
    so offsets still map)."""
    if len(parse_input.pieces) != 1 or parse_input.pieces[0].quote is not None:
        return parse_input
    piece = parse_input.pieces[0]
    words = list(_WORD_RE.finditer(parse_input.text))
    if not words or len(words) > _HEADLINE_MAX_WORDS or parse_input.text.rstrip()[-1:] in ".!?":
        return parse_input
    content = [w for w in words if w.group().lower() not in _SMALL_WORDS]
    if sum(w.group()[0].isupper() for w in content) < 0.8 * len(content) or len(content) < 3:
        return parse_input
    chars = list(parse_input.text)
    for w in words[1:]:
        start = piece.orig_start + w.start() - piece.parse_start
        in_name = any(s <= start < e for s, e in parse_input.names)
        if not in_name and not w.group().isupper():
            chars[w.start()] = chars[w.start()].lower()
    return replace(parse_input, text="".join(chars))


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Without edge punctuation, spaces, a leading 'that', or unpaired edge quote marks."""
    while True:
        before = (start, end)
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM + ".":
            end -= 1
        lead = re.match(r"(?:that|whether)\s+", text[start:end], re.IGNORECASE)
        if lead:
            start += lead.end()
        body = text[start:end]
        if body[-1:] in "”’" and "“" not in body and "‘" not in body:
            end -= 1
        elif body[:1] in "“‘" and "”" not in body and "’" not in body[1:]:
            start += 1
        elif body[-1:] == '"' and body.count('"') % 2 == 1:
            end -= 1
        elif body[:1] == '"' and body.count('"') % 2 == 1:
            start += 1
        if end > start + 1 and text[start] in "\"“‘" and text[end - 1] in "\"”’":
            start, end = start + 1, end - 1
        if (start, end) == before:
            break
    return _balance_marks(text, start, end) if end > start else None


def _balance_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quote mark just outside a span whose partner is inside it."""
    body = text[start:end]
    if body.count("”") > body.count("“") and start > 0 and text[start - 1] == "“":
        start -= 1
    if body.count("“") > body.count("”"):
        end += _closing_mark_after(text, end, "”")
    if body.count('"') % 2 == 1:
        if body.lstrip()[:1] != '"' and start > 0 and text[start - 1] == '"':
            start -= 1
        else:
            end += _closing_mark_after(text, end, '"')
    return start, end


def _closing_mark_after(text: str, end: int, mark: str) -> int:
    """How many characters take in a closing mark right after a span (', ”' too)."""
    if text[end:end + 1] == mark:
        return 1
    if text[end:end + 1] in ",.!?" and text[end + 1:end + 2] == mark:
        return 2
    return 0
