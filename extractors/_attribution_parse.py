"""Reporting frames read off a dependency parse: who (the speaker phrase),
which cue, and what (quotations or the reported clause), all as offsets into
the article text.

Long quotations are swapped for a short stand-in clause before parsing: the
parser then sees the attribution frame ("“...,” the spokesperson said") at a
fraction of the cost, and parses it more reliably than with a long quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ._attribution_lexicon import (
    AUTHOR_PRONOUNS,
    CLAUSE_CUE_FORMS,
    COMPANY_NOUNS,
    OBJECT_CUE_FORMS,
    PREP_CUE_FORMS,
    PREP_CUES,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    SOURCE_PEOPLE,
    SOURCE_QUALIFIERS,
    SPEECH_NOUNS,
    STAFF_NOUNS,
    TITLE_CUES,
    WRITE_FORMS,
    XCOMP_CUE_FORMS,
)
from ._attribution_text import Quote, Sentence

FrameKind = Literal["clause", "object", "xcomp", "prep", "according", "title", "bare"]

_STAND_IN = "It is so"
_STAND_IN_MODIFIER = "famous"
_PHRASE_DEPS = frozenset({"compound", "poss", "case", "det", "amod", "nummod", "nmod", "appos",
                          "prep", "pobj", "punct", "cc", "conj", "flat", "quantmod", "predet"})
_PHRASE_PREPS = frozenset({"of", "for", "at", "from", "with", "including", "to"})
_QUANTIFIERS = frozenset({"one", "some", "many", "several", "two", "three", "four", "most",
                          "all", "both", "few", "none", "each", "any", "either", "neither"})
_PHRASAL = {"point": "out"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_TRIM = " \t\n,;:—–-"
_LEADING_MARKS = frozenset({"that", "whether"})


@dataclass(frozen=True)
class Phrase:
    """A noun phrase (speaker, or subject of a reported clause)."""

    start: int
    end: int
    head_start: int  # where the head word starts
    head: str  # lower-cased head word
    tag: str  # its fine-grained tag
    pronoun: str | None = None  # he/she/it/they ... when the head is one
    determiner: str | None = None  # "the", "a", "its", "his" ...
    role: str | None = None  # a role noun in the head or an apposition
    company_noun: bool = False  # "the company", "the tech giant"
    source: bool = False  # "reports", "people familiar with the matter"
    staff: bool = False  # "employees", "engineers"
    speech_noun: bool = False  # "statement", "post"
    possessor: tuple[int, int] | None = None  # "Zuckerberg" in "Zuckerberg's statement"
    possessor_pronoun: str | None = None  # "his" in "his post"
    proper: bool = False
    other_objects: tuple[tuple[int, int], ...] = ()  # pobj spans of for/of/at ("for Acme")

    @property
    def is_author(self) -> bool:
        return self.pronoun in AUTHOR_PRONOUNS or self.possessor_pronoun in AUTHOR_PRONOUNS


@dataclass(frozen=True)
class Frame:
    """One reporting frame found in a parsed sentence."""

    kind: FrameKind
    cue: str
    cue_start: int
    cue_end: int
    lemma: str
    speaker: Phrase
    content: tuple[int, int] | None = None  # the reported words (indirect)
    content_subject: Phrase | None = None  # who the reported clause is about
    quotes: tuple[int, ...] = ()  # indices of quotations this frame introduces
    colon_intro: bool = False  # "X said:" — the quotation follows in the next paragraph


# --- the text given to the parser ---------------------------------------------


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
                      modifiers: frozenset[int] = frozenset()) -> ParseInput:
    """The sentence with long quotations swapped for a stand-in clause, and the
    quotations in `modifiers` ("X's “...” statement") for a stand-in adjective."""
    inside = tuple(q for q in quotes if q.start >= sentence.start and q.end <= sentence.end)
    parts: list[str] = []
    pieces: list[_Piece] = []
    cursor, parse_len = sentence.start, 0
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
    return ParseInput(sentence, "".join(parts), tuple(pieces), inside, modifiers)


# --- frames -------------------------------------------------------------------


def read_frames(text: str, doc, source: ParseInput) -> list[Frame]:
    """Every reporting frame of one parsed sentence."""
    frames: list[Frame] = []
    for token in doc:
        if source.quote_of(token) is not None:
            continue
        lower = token.lower_
        if lower == "according" and _according_frame(text, token, source, frames):
            continue
        if lower in TITLE_CUES:
            frame = _title_frame(text, token, source)
            if frame:
                frames.append(frame)
            continue
        if token.tag_.startswith("VB") and lower in _ANY_VERB_FORMS:
            frame = _verb_frame(text, token, source)
            if frame:
                frames.append(frame)
    _assign_quotes(text, frames, source)
    return frames


_ANY_VERB_FORMS = {**CLAUSE_CUE_FORMS, **OBJECT_CUE_FORMS, **XCOMP_CUE_FORMS, **PREP_CUE_FORMS}


def _verb_frame(text: str, verb, source: ParseInput) -> Frame | None:
    lemma = _ANY_VERB_FORMS[verb.lower_]
    particle = _PHRASAL.get(lemma)
    if particle and not any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children):
        return None
    subject = _subject_of(verb)
    surface = None
    if subject is None:
        surface = _surface_subject(verb, source)
        if surface is None:
            return None
        subject = surface[-1]
    speaker = make_phrase(text, subject, source, tokens=surface)
    kind, root, content_tokens = _content_of(verb, lemma)
    if root is None and surface is not None and lemma in _CLAUSE_LEMMAS:
        kind, root, content_tokens = _surface_content(verb, source)
    content = content_subject = None
    if root is not None:
        if kind == "clause" and root.i > verb.i:
            content_tokens = _extend_clause(verb, root, content_tokens)
        content = _content_span(text, content_tokens, source)
        if kind == "clause":
            content_subject = _clause_subject(text, root, source)
    cue_start, cue_end = source.span(verb)
    colon = _colon_after(text, verb, source)
    if content is None and not colon:
        kind = "bare"
    return Frame(kind, text[cue_start:cue_end], cue_start, cue_end, lemma, speaker, content,
                 content_subject, (), colon)


_NAME_TAGS = ("NNP", "NNPS")
_SKIPPABLE = ("RB", "MD", "VBZ", "VBD")  # "Doe also said", "Doe has said"
_CLAUSE_STARTS = ("DT", "NN", "NNS", "NNP", "NNPS", "PRP", "PRP$", "JJ", "CD", "EX")


def _surface_subject(verb, source: ParseInput) -> list | None:
    """When the parser missed a subject ('DeBoer said' parsed as aux + verb):
    the names right before the verb, or right after it ('said Jane Doe')."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].tag_ in _SKIPPABLE and doc[k].lower_ in ("also", "later", "then", "previously",
                                                                       "has", "had", "would", "will"):
        k -= 1
    run = _name_run(doc, k, -1, source)
    if run:
        return run
    return _name_run(doc, verb.i + 1, +1, source)


def _name_run(doc, k: int, step: int, source: ParseInput) -> list | None:
    if not (0 <= k < len(doc)) or source.quote_of(doc[k]) is not None:
        return None
    if doc[k].tag_ == "PRP" and doc[k].lower_ in ("he", "she", "they", "it"):
        return [doc[k]]
    run = []
    while 0 <= k < len(doc) and doc[k].tag_ in _NAME_TAGS and source.quote_of(doc[k]) is None:
        run.append(doc[k])
        k += step
    if not run:
        return None
    return sorted(run, key=lambda t: t.i)


def _surface_content(verb, source: ParseInput):
    """'McNeely said disease can complicate ...' when the parse is broken: the
    rest of the sentence, if it reads like a clause and holds no quotation."""
    doc = verb.doc
    if any(q.is_statement_sized for q in source.quotes):
        return "bare", None, None
    k = verb.i + 1
    if k < len(doc) and doc[k].lower_ == "that":
        k += 1
    if k >= len(doc) or not doc[k].tag_.startswith(_CLAUSE_STARTS):
        return "bare", None, None
    tokens = [doc[i] for i in range(k, verb.sent.end)]
    if len(tokens) < 3:
        return "bare", None, None
    return "clause", tokens[0], tokens


def _extend_clause(verb, root, tokens: list) -> list:
    """'Brooks says he drank too much, used drugs and was ...': the parser hangs
    'used' and 'was' on 'says'; a reported clause after its verb runs on to the
    end of the sentence (or into the next when the parser cut it too early)."""
    sentence = verb.sent
    end = sentence.end
    doc = verb.doc
    while end < len(doc) and doc[end].text[:1].islower():
        end = doc[end].sent.end
    last = max(t.i for t in tokens)
    if end - 1 <= last:
        return tokens
    return tokens + [doc[i] for i in range(last + 1, end)]


def _subject_of(verb, depth: int = 0):
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS:
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head
            return child
    if depth < 3 and verb.dep_ in ("xcomp", "conj", "advcl", "ccomp") and verb.head is not verb:
        if verb.dep_ == "ccomp" and verb.head.lower_ not in _ANY_VERB_FORMS and not verb.head.tag_.startswith("VB"):
            return None
        return _subject_of(verb.head, depth + 1)
    return None


def _content_of(verb, lemma: str):
    children = list(verb.children)
    for child in children:
        if child.dep_ in ("ccomp", "parataxis") and lemma in _CLAUSE_LEMMAS:
            return "clause", child, list(child.subtree)
    ruled_out = lemma == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in children)
    if lemma in _OBJECT_LEMMAS or ruled_out:
        for child in children:
            if child.dep_ == "dobj" and child.tag_ not in ("PRP", "WP", "WDT") and lemma != "tell":
                tokens = list(child.subtree)
                if len(tokens) >= 2:
                    return "object", child, tokens
    if lemma in _XCOMP_LEMMAS:
        for child in children:
            if child.dep_ == "xcomp":
                return "xcomp", child, list(child.subtree)
    preps = PREP_CUES.get(lemma)
    if preps:
        for child in children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for obj in child.children:
                    if obj.dep_ in ("pobj", "pcomp"):
                        return "prep", obj, list(obj.subtree)
    return "bare", None, None


_CLAUSE_LEMMAS = set(CLAUSE_CUE_FORMS.values())
_OBJECT_LEMMAS = set(OBJECT_CUE_FORMS.values())
_XCOMP_LEMMAS = set(XCOMP_CUE_FORMS.values())


def _content_span(text: str, tokens, source: ParseInput) -> tuple[int, int] | None:
    spans = [source.span(t) for t in tokens if not (t.dep_ == "mark" and t.lower_ in _LEADING_MARKS
                                                     and t == tokens[0])]
    if not spans:
        return None
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    return trim_span(text, start, end)


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
    if body.count("“") > body.count("”") and end < len(text) and text[end] == "”":
        end += 1
    if body.count('"') % 2 == 1:
        if body.lstrip()[:1] != '"' and start > 0 and text[start - 1] == '"':
            start -= 1
        elif end < len(text) and text[end] == '"':
            end += 1
    return start, end


def _colon_after(text: str, verb, source: ParseInput) -> bool:
    _, end = source.span(verb)
    rest = text[end:source.sentence.end]
    return bool(re.match(r"\s*(?:\w+\s+){0,6}?[^\w\s]?\s*:\s*$", rest)) or rest.strip() == ":"


def _clause_subject(text: str, root, source: ParseInput) -> Phrase | None:
    for child in root.children:
        if child.dep_ in _SUBJECT_DEPS:
            return make_phrase(text, child, source, whole=True)
    return None


def _according_frame(text: str, token, source: ParseInput, frames: list[Frame]) -> bool:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        return False
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return False
    speaker = make_phrase(text, obj, source)
    head = token.head if token.head is not token else None
    if head is None:
        return False
    # the clause on the longer side of "according to X" (it leads or trails)
    first, last = token.left_edge.i, token.right_edge.i
    before = [t for t in head.subtree if t.i < first and not t.is_punct]
    after = [t for t in head.subtree if t.i > last and not t.is_punct]
    content_tokens = before if len(before) >= len(after) else after
    content = _content_span(text, content_tokens, source) if content_tokens else None
    cue_start = source.span(token)[0]
    cue_end = source.span(to)[1]
    frames.append(Frame("according", text[cue_start:cue_end], cue_start, cue_end, "according",
                        speaker, content, _clause_subject(text, head, source)))
    return True


def _title_frame(text: str, cue, source: ParseInput) -> Frame | None:
    """'X wrote a post entitled “...”' and 'X's essay titled “...”'."""
    noun = cue.head
    speaker_token = None
    verb = None
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        speaker_token = poss
    else:
        verb = noun.head if noun.dep_ in ("dobj", "pobj", "attr", "nsubjpass") else None
        if verb is not None and verb.dep_ == "prep":
            verb = verb.head
        if verb is None or not verb.tag_.startswith("VB"):
            return None
        speaker_token = _subject_of(verb)
    if speaker_token is None:
        return None
    title_quotes = [q.index for q in source.quotes
                    if re.match(r",?\s*$", text[source.span(cue)[1]:q.open_at])]
    if not title_quotes:
        return None
    start = source.span(verb)[0] if verb is not None and verb.i < cue.i else source.span(cue)[0]
    end = source.span(cue)[1]
    return Frame("title", text[start:end], start, end, cue.lower_,
                 make_phrase(text, speaker_token, source), None, None, (title_quotes[0],))


def _assign_quotes(text: str, frames: list[Frame], source: ParseInput) -> None:
    """Give each statement-sized quotation of the sentence to the nearest frame."""
    taken = {i for f in frames for i in f.quotes} | source.owned
    speech = [k for k, f in enumerate(frames) if f.kind != "title"]
    if not speech:
        return
    for q in source.quotes:
        if not q.is_statement_sized or q.index in taken:
            continue
        if _inside_content(frames, q):
            continue
        k = min(speech, key=lambda k: _distance(frames[k], q))
        f = frames[k]
        frames[k] = Frame(f.kind, f.cue, f.cue_start, f.cue_end, f.lemma, f.speaker,
                          _drop_quote_content(f, q), f.content_subject, f.quotes + (q.index,),
                          f.colon_intro)


def _inside_content(frames: list[Frame], q: Quote) -> bool:
    """A quoted fragment inside a longer reported clause belongs to that clause."""
    for f in frames:
        if f.content and f.content[0] <= q.start and q.end <= f.content[1]:
            if (f.content[1] - f.content[0]) > (q.end - q.start) + 12:
                return True
    return False


def _drop_quote_content(frame: Frame, q: Quote):
    if frame.content and frame.content[0] <= q.end and q.start <= frame.content[1]:
        return None
    return frame.content


def _distance(frame: Frame, q: Quote) -> int:
    if frame.cue_start >= q.outer_end:
        return frame.cue_start - q.outer_end
    if frame.cue_end <= q.outer_start:
        return q.outer_start - frame.cue_end
    return 0


# --- phrases ------------------------------------------------------------------


def make_phrase(text: str, head, source: ParseInput, *, whole: bool = False,
                tokens: list | None = None) -> Phrase:
    """The speaker phrase around its head word: its determiners, compounds,
    possessor, appositions and of/for/at attachments, but no relative clauses.
    `tokens` fixes the phrase's words when the parse around it is unreliable."""
    effective = head if tokens else _effective_head(head)
    if tokens is None:
        tokens = list(head.subtree) if whole else _core_tokens(head)
    spans = [source.span(t) for t in tokens if t.dep_ != "punct" or t is head]
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    trimmed = trim_span(text, start, end) or (start, end)
    lower = effective.lower_
    determiner = next((c.lower_ for c in effective.children if c.dep_ in ("det", "poss")
                       and c.tag_ in ("DT", "PRP$")), None)
    poss = next((c for c in effective.children if c.dep_ == "poss"), None)
    appositions = [c for c in effective.children if c.dep_ == "appos"]
    role = _role_in([effective, *appositions, *(c for a in appositions for c in a.children
                                                  if c.dep_ in ("pobj",))])
    qualifiers = {t.lower_ for t in tokens}
    others = tuple(source.span(c) for p in effective.children if p.dep_ == "prep"
                   and p.lower_ in ("for", "of", "at", "from", "with")
                   for c in p.children if c.dep_ == "pobj")
    return Phrase(
        start=trimmed[0],
        end=trimmed[1],
        head_start=source.span(effective)[0],
        head=lower,
        tag=effective.tag_,
        pronoun=lower if effective.tag_ == "PRP" else None,
        determiner=determiner,
        role=role,
        company_noun=lower in COMPANY_NOUNS and determiner in ("the", "this", "that"),
        source=lower in SOURCE_NOUNS or (lower in SOURCE_PEOPLE and bool(qualifiers & SOURCE_QUALIFIERS)),
        staff=lower in STAFF_NOUNS,
        speech_noun=lower in SPEECH_NOUNS,
        possessor=_possessor_span(text, poss, source) if poss is not None and poss.tag_ != "PRP$" else None,
        possessor_pronoun=poss.lower_ if poss is not None and poss.tag_ == "PRP$" else None,
        proper=effective.tag_ in ("NNP", "NNPS"),
        other_objects=others,
    )


def _effective_head(head):
    """'one of its executives' -> 'executives'."""
    if head.lower_ in _QUANTIFIERS or head.tag_ == "CD":
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return obj
    return head


def _core_tokens(head) -> list:
    tokens, stack = [], [head]
    while stack:
        token = stack.pop()
        tokens.append(token)
        for child in token.children:
            if child.dep_ not in _PHRASE_DEPS:
                if child.dep_ == "acl" and child.tag_ == "JJ":
                    stack.append(child)
                continue
            if child.dep_ == "prep" and child.lower_ not in _PHRASE_PREPS:
                continue
            if child.dep_ == "amod":
                tokens.extend(child.subtree)
                continue
            stack.append(child)
    return tokens


def _role_in(tokens) -> str | None:
    """'chief A.I. officer', 'head of policy' (not the company's name, not 'new')."""
    for token in tokens:
        if token.lower_ not in ROLE_NOUNS:
            continue
        modifiers = [c.text for c in token.lefts if c.dep_ in ("amod", "compound")
                     and not (c.text[:1].isupper() and not c.text.replace(".", "").isupper())
                     and c.lower_ not in _NOT_ROLE_WORDS]
        of = [t.text for p in token.rights if p.dep_ == "prep" and p.lower_ == "of"
              for o in p.children if o.dep_ == "pobj" and o.tag_ not in ("NNP", "NNPS")
              for t in (p, *o.subtree)]
        return " ".join([*modifiers, token.text, *of])
    return None


_NOT_ROLE_WORDS = frozenset({"new", "former", "top", "senior", "longtime", "then", "current", "interim"})


def _possessor_span(text: str, poss, source: ParseInput) -> tuple[int, int]:
    spans = [source.span(t) for t in poss.subtree if t.dep_ != "case" and t.tag_ != "POS"]
    if not spans:
        return source.span(poss)
    return min(s for s, _ in spans), max(e for _, e in spans)
