"""Tokens with offsets, clause boundaries and simple word forms, shared by topics and stance."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from extractors.stance._lexicon import CLAUSE_WORDS, COORDINATORS, FINITE_AUXILIARIES, SUBJECT_PRONOUNS

__all__ = [
    "Token", "tokenize", "is_boundary", "clause_bounds", "sentence_ids", "token_span", "word_forms", "stem",
    "norm_word",
]

# Acronyms with dots ("A.I.") and numbers with separators ("4,000", "1.8") are one token
# (a decimal point is no sentence end); words keep inner apostrophes ("won't", "Meta's")
# and a trailing plus ("Disney+" is not "Disney").
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)+|[^\W_]+(?:['’][^\W_]+)*(?:\++(?!\w))?|[^\w\s]")
_BOUNDARY_PUNCT = frozenset(",;:()[]—–-“”\"!?.…")
_SENTENCE_END = frozenset(".!?…:")  # "If you are a fan, take note: Acme ends X": a colon starts anew


@dataclass(frozen=True, slots=True)
class Token:
    norm: str  # lowercased, possessive 's and dots dropped, ’ -> '
    text: str  # as written
    start: int
    end: int
    is_word: bool


def norm_word(raw: str) -> str:
    word = raw.lower().replace("’", "'")
    if word[0].isdigit():
        return word.replace(",", "")
    if "." in word:
        return word.replace(".", "")
    if word.endswith("'s"):
        return word[:-2]
    return word


def tokenize(text: str) -> list[Token]:
    """Words and punctuation; a hyphen inside a word ("open-source") is dropped,
    so hyphenated and spaced forms give the same tokens."""
    raw = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    tokens: list[Token] = []
    for i, (piece, start, end) in enumerate(raw):
        if piece in "-/" and 0 < i < len(raw) - 1 and raw[i - 1][2] == start and raw[i + 1][1] == end:
            continue
        is_word = piece[0].isalnum()
        tokens.append(Token(norm_word(piece) if is_word else piece, piece, start, end, is_word))
    return tokens


def is_boundary(token: Token) -> bool:
    if token.is_word:
        return token.norm in CLAUSE_WORDS
    return token.text in _BOUNDARY_PUNCT


_NEW_CLAUSE_OPENERS = SUBJECT_PRONOUNS | FINITE_AUXILIARIES


def clause_bounds(tokens: list[Token]) -> tuple[list[int], list[int]]:
    """For each token, where its clause starts and (exclusively) ends: a clause is a
    maximal run of tokens between boundaries; a boundary token has an empty clause."""
    n = len(tokens)
    starts = list(range(n))
    ends = list(range(n))
    boundary = [is_boundary(t) for t in tokens]
    _open_short_quotes(tokens, boundary)
    for k in range(n - 1):
        if tokens[k].norm in COORDINATORS and tokens[k + 1].norm in _NEW_CLAUSE_OPENERS:
            boundary[k] = True
    i = 0
    while i < n:
        if boundary[i]:
            i += 1
            continue
        j = i
        while j < n and not boundary[j]:
            j += 1
        for k in range(i, j):
            starts[k], ends[k] = i, j
        i = j
    return starts, ends


_OPENING_QUOTES = frozenset("“\"")
_CLOSING_QUOTES = frozenset("”\"")
_SHORT_QUOTE = 6


def _open_short_quotes(tokens: list[Token], boundary: list[bool]) -> None:
    """Quotes around a short name ('its “Always Fair” pledge') end no clause."""
    n = len(tokens)
    for i, token in enumerate(tokens):
        if token.text not in _OPENING_QUOTES:
            continue
        for j in range(i + 1, min(n, i + _SHORT_QUOTE + 2)):
            if tokens[j].text in _CLOSING_QUOTES:
                if j > i + 1:
                    boundary[i] = boundary[j] = False
                break
            if boundary[j]:
                break


def sentence_ids(tokens: list[Token]) -> list[int]:
    ids = []
    current = 0
    for tok in tokens:
        ids.append(current)
        if not tok.is_word and tok.text in _SENTENCE_END:
            current += 1
    return ids


def token_span(starts: list[int], char_start: int, char_end: int) -> tuple[int, int]:
    """Token indices [first, last] covered by a character span (starts: token start offsets)."""
    first = bisect_left(starts, char_start)
    last = bisect_left(starts, char_end) - 1
    return first, max(first, last)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude suffix stripper, enough to meet 'releases'/'releasing'/'released'."""
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                base = base[:-1]
            return base
    return word


_FUNCTION_WORDS = frozenset("the a an of to in on at by for and or with from as one".split())


@lru_cache(maxsize=8192)
def word_forms(word: str, head: bool, opening: bool = False) -> frozenset[str]:
    """Surface forms a term word may take: simple inflections of itself and,
    for the head (last) word, of its guessed base form ('models' ~ 'model'); an
    opening verb in the third person ('withdraws from alliance') takes its base's too."""
    if word in _FUNCTION_WORDS or len(word) <= 2 or not word.isalpha():
        return frozenset({word})
    bases = {word}
    if opening and len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        bases.add(word[:-3] + "y" if word.endswith("ies") else word[:-2] if word.endswith(("ches", "shes", "xes"))
                  else word[:-1])
    if head:
        bases.add(stem(word))
        if word.endswith("ing") and len(word) > 5:
            bases.add(word[:-3] + "e")
        if word.endswith("ed") and len(word) > 4:
            bases.add(word[:-1])
    forms: set[str] = set()
    for base in bases:
        forms |= _inflect(base)
    return frozenset(forms)


def _inflect(base: str) -> set[str]:
    forms = {base, base + "s", base + "es", base + "ed", base + "ing"}
    if base.endswith("e"):
        forms |= {base + "d", base[:-1] + "ing"}
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms |= {base + base[-1] + "ing", base + base[-1] + "ed"}
    return forms
