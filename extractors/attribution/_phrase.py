"""Noun phrases around a parsed head word (a speaker, or the subject of a
reported clause), with what attribution needs to know about them."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.attribution._lexicon import (
    AUTHOR_PRONOUNS,
    COMPANY_NOUNS,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    SOURCE_PEOPLE,
    SOURCE_QUALIFIERS,
    SPEECH_NOUNS,
    STAFF_NOUNS,
)
from extractors.attribution._parse import ParseInput, trim_span

_PHRASE_DEPS = frozenset({"compound", "poss", "case", "det", "amod", "nummod", "nmod", "appos",
                          "prep", "pobj", "punct", "cc", "conj", "flat", "quantmod", "predet"})
_PHRASE_PREPS = frozenset({"of", "for", "at", "from", "with", "including", "to"})
_QUANTIFIERS = frozenset({"one", "some", "many", "several", "two", "three", "four", "most",
                          "all", "both", "few", "none", "each", "any", "either", "neither"})


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
    possessor: tuple[int, int] | None = None  # "Markov" in "Markov's statement"
    possessor_pronoun: str | None = None  # "his" in "his post"
    proper: bool = False
    other_objects: tuple[tuple[int, int], ...] = ()  # pobj spans of for/of/at ("for Acme")
    names: tuple[tuple[int, int], ...] = ()  # proper-noun words besides the head ("Alibaba" leaders)
    person_name: str | None = None  # a named head as written ("Scott Strenfel")
    title: str | None = None  # its apposition's title ("principal meteorologist")
    affiliations: tuple[tuple[int, int], ...] = ()  # whose title: "PG&E" in "PG&E's ...", "at PG&E"

    @property
    def is_author(self) -> bool:
        return self.pronoun in AUTHOR_PRONOUNS or self.possessor_pronoun in AUTHOR_PRONOUNS


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
    role = _role_in(text, source, [effective, *appositions, *(c for a in appositions for c in a.children
                                                              if c.dep_ in ("pobj",))])
    person_name = _name_of(text, effective, source) if effective.tag_ in ("NNP", "NNPS") else None
    title, affiliations = _apposition_title(text, source, appositions) if person_name else (None, ())
    qualifiers = {t.lower_ for t in tokens}
    names = tuple(source.span(t) for t in tokens if t.tag_ in ("NNP", "NNPS") and t is not effective
                  and source.quote_of(t) is None)
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
        company_noun=(lower in COMPANY_NOUNS and determiner in ("the", "this", "that")
                      and effective.tag_ not in ("NNP", "NNPS")),
        source=lower in SOURCE_NOUNS or (lower in SOURCE_PEOPLE and bool(qualifiers & SOURCE_QUALIFIERS)),
        staff=lower in STAFF_NOUNS,
        speech_noun=lower in SPEECH_NOUNS,
        possessor=_possessor_span(text, poss, source) if poss is not None and poss.tag_ != "PRP$" else None,
        possessor_pronoun=poss.lower_ if poss is not None and poss.tag_ == "PRP$" else None,
        proper=effective.tag_ in ("NNP", "NNPS"),
        other_objects=others,
        names=names,
        person_name=person_name,
        title=title,
        affiliations=affiliations,
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


def _role_in(text: str, source: ParseInput, tokens) -> str | None:
    """'chief A.I. officer', 'head of policy' as written (not the company's name, not 'new')."""
    for token in tokens:
        if token.lower_ in ROLE_NOUNS:
            return _title_text(text, source, token)
    return None


def _name_of(text: str, head, source: ParseInput) -> str:
    """'Scott Strenfel': the head with the name words compounded onto it."""
    words = [c for c in head.lefts if c.dep_ == "compound" and c.tag_ in ("NNP", "NNPS")]
    start = source.span(words[0])[0] if words else source.span(head)[0]
    return text[start:source.span(head)[1]]


def _apposition_title(text: str, source: ParseInput, appositions) -> tuple[str | None, tuple[tuple[int, int], ...]]:
    """'Scott Strenfel, PG&E's principal meteorologist': the title, and where
    the employer is named (its possessor, or after at/for/of/with); nothing
    for a 'former' one."""
    for appos in appositions:
        if appos.tag_ not in ("NN", "NNS") or any(c.lower_ in ("former", "ex") for c in appos.lefts):
            continue
        owners = [c for c in appos.children if c.dep_ == "poss"]
        owners += [o for p in appos.children if p.dep_ == "prep" and p.lower_ in ("at", "for", "of", "with")
                   for o in p.children if o.dep_ == "pobj"]
        if not owners:
            continue
        spans = tuple((min(source.span(t)[0] for t in o.subtree), max(source.span(t)[1] for t in o.subtree))
                      for o in owners)
        return _title_text(text, source, appos), spans
    return None, ()


def _title_text(text: str, source: ParseInput, token) -> str:
    """A title as written: the noun, the modifiers right before it (not the
    company's name, not 'new'), and an of-phrase ('head of policy')."""
    modifiers = [c for c in token.lefts if c.dep_ in ("amod", "compound")
                 and not (c.text[:1].isupper() and not c.text.replace(".", "").isupper())
                 and c.lower_ not in _NOT_ROLE_WORDS]
    start, end = source.span(token)
    k = token.i - 1
    while k >= 0 and token.doc[k] in modifiers:
        start = source.span(token.doc[k])[0]
        k -= 1
    for p in token.rights:
        objects = [o for o in p.children if o.dep_ == "pobj" and o.tag_ not in ("NNP", "NNPS")]
        if p.dep_ == "prep" and p.lower_ == "of" and objects:
            end = max(end, max(source.span(t)[1] for t in objects[0].subtree))
    return text[start:end]


_NOT_ROLE_WORDS = frozenset({"new", "former", "top", "senior", "longtime", "then", "current", "interim"})


def _possessor_span(text: str, poss, source: ParseInput) -> tuple[int, int]:
    spans = [source.span(t) for t in poss.subtree if t.dep_ != "case" and t.tag_ != "POS"]
    if not spans:
        return source.span(poss)
    return min(s for s, _ in spans), max(e for _, e in spans)
