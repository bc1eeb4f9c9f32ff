"""Reporting frames read off a dependency parse: who (the speaker phrase),
which cue, and what (quotations or the reported clause), all as offsets into
the article text."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from extractors.attribution._lexicon import (
    CLAUSE_CUE_FORMS,
    CLAUSE_NOUNS,
    OBJECT_CUE_FORMS,
    PREP_CUE_FORMS,
    PREP_CUES,
    QUOTE_ONLY_LEMMAS,
    SPEECH_LIGHT_VERBS,
    SPEECH_NOUNS,
    TITLE_CUES,
    XCOMP_CUE_FORMS,
)
from extractors.attribution._parse import ParseInput, trim_span
from extractors.attribution._phrase import Phrase, make_phrase
from extractors.attribution._text import Quote

FrameKind = Literal["clause", "object", "xcomp", "prep", "according", "title", "bare"]

_PHRASAL = {"point": "out"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_LEADING_MARKS = frozenset({"that", "whether"})


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
    alternative: Phrase | None = None  # a watched name right before the cue, when the parse chose another subject


def read_frames(text: str, doc, source: ParseInput) -> list[Frame]:
    """Every reporting frame of one parsed sentence."""
    frames: list[Frame] = []
    for token in doc:
        if source.quote_of(token) is not None:
            continue
        lower = token.lower_
        if lower == "according" and _according_frame(text, token, source, frames):
            continue
        if lower == "reportedly":
            frame = _reportedly_frame(text, token, source)
            if frame:
                frames.append(frame)
            continue
        if lower in _PASSIVE_REPORTS and token.tag_ == "VBN":
            frame = _passive_report_frame(text, token, source)
            if frame:
                frames.append(frame)
                continue
        if lower in TITLE_CUES:
            frame = _title_frame(text, token, source)
            if frame:
                frames.append(frame)
            continue
        if token.tag_.startswith("VB"):
            frame = _verb_frame(text, token, source) if lower in _ANY_VERB_FORMS else (
                _speech_noun_frame(text, token, source) if lower in SPEECH_LIGHT_VERBS else None)
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
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if subject is None and passive:
        return None  # "X was told that ...": X did not speak
    # "Early still says": the tagger took the name Early for an adverb
    named_before = None if passive else _watched_name_before(verb, source)
    if subject is None:
        surface = named_before or _surface_subject(verb, source)
        if surface is None:
            return None
        subject = surface[-1]
    speaker = make_phrase(text, subject, source, tokens=surface)
    alternative = None
    if surface is None and named_before is not None:
        alternative = make_phrase(text, named_before[-1], source, tokens=named_before)
    kind, content, content_subject = _reported(text, verb, lemma, source)
    if lemma in QUOTE_ONLY_LEMMAS:
        content = content_subject = None  # “...?” she asked — but "asked whether X" states nothing
    cue_start, cue_end = source.span(verb)
    colon = _colon_after(text, verb, source)
    if content is None and not colon:
        kind = "bare"
    return Frame(kind, text[cue_start:cue_end], cue_start, cue_end, lemma, speaker, content,
                 content_subject, (), colon, alternative)


_NAME_TAGS = ("NNP", "NNPS")
_SKIPPABLE = ("RB", "MD", "VBZ", "VBD")  # "Doe also said", "Doe has said"
_CLAUSE_STARTS = ("DT", "NN", "NNS", "NNP", "NNPS", "PRP", "PRP$", "JJ", "CD", "EX")


def _watched_name_before(verb, source: ParseInput) -> list | None:
    """A watched name right before the verb (adverbs and auxiliaries aside)."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and (doc[k].tag_ in ("RB", "MD") or doc[k].lower_ in _AUXILIARIES) and verb.i - k <= 3:
        k -= 1
    if k < 0 or not source.is_name(doc[k]):
        return None
    run = []
    while k >= 0 and source.is_name(doc[k]):
        run.append(doc[k])
        k -= 1
    return sorted(run, key=lambda t: t.i)


_AUXILIARIES = frozenset({"has", "had", "have", "would", "will", "did", "does", "do", "is", "was"})


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
    inverted = verb.i > 0 and (doc[verb.i - 1].is_punct or source.quote_of(doc[verb.i - 1]) is not None)
    return _name_run(doc, verb.i + 1, +1, source) if inverted else None  # '“...,” said Jane Doe


def _name_run(doc, k: int, step: int, source: ParseInput) -> list | None:
    if not (0 <= k < len(doc)) or source.quote_of(doc[k]) is not None:
        return None
    if doc[k].tag_ == "PRP" and doc[k].lower_ in ("he", "she", "they", "it"):
        return [doc[k]]
    run = []
    while (0 <= k < len(doc) and (doc[k].tag_ in _NAME_TAGS or source.is_name(doc[k]))
           and source.quote_of(doc[k]) is None):
        run.append(doc[k])
        k += step
    if not run:
        return None
    return sorted(run, key=lambda t: t.i)


def _reported(text: str, verb, lemma: str, source: ParseInput):
    """(kind, content span, content subject) of what a reporting verb reports."""
    kind, root, content_tokens = _content_of(verb, lemma)
    if root is None and lemma in _CLAUSE_LEMMAS:
        kind, root, content_tokens = _fallback_content(verb, source)
    if root is None:
        return kind, None, None
    if kind == "clause" and root.i > verb.i:
        content_tokens = _extend_clause(verb, root, content_tokens)
    content = _content_span(text, content_tokens, source)
    if content and len(text[content[0]:content[1]].split()) < _MIN_CONTENT_WORDS[kind]:
        content = None
    return kind, content, _clause_subject(text, root, source) if kind == "clause" else None


def _fallback_content(verb, source: ParseInput):
    """A reporting verb the parse left without its clause: the rest of the sentence,
    the clause a parenthetical cue hangs on, or the clause the parser gave its head."""
    found = _surface_content(verb, source)
    if found[1] is None and verb.dep_ == "parataxis":
        found = _host_clause(verb)
    if found[1] is None and verb.dep_ in ("xcomp", "advcl"):
        found = _sibling_clause(verb)
    return found


def _sibling_clause(verb):
    """'Doe spent an hour explaining to players why he changed his mind': the parser
    hung the clause on 'spent'; it is what was explained (not a further report)."""
    clause = next((c for c in verb.head.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if clause is None or any(t.lower_ in _ANY_VERB_FORMS and t.tag_.startswith("VB")
                             for t in verb.doc[verb.i + 1:clause.i]):
        return "bare", None, None
    reports = {t.i for c in clause.children if c.i > clause.i
               for t in c.subtree if any(u.lower_ in _ANY_VERB_FORMS and u.tag_.startswith("VB") for u in c.subtree)}
    tokens = [t for t in clause.subtree if t.i not in reports and not (t.is_punct and t.i > clause.i
                                                                       and t.i + 1 in reports)]
    return ("clause", clause, tokens) if len(tokens) >= 3 else ("bare", None, None)


def _host_clause(verb):
    """'Too often, he says, doctors prescribe them for months': the clause the
    parenthetical cue hangs on, on the longer side of the cue."""
    host = verb.head
    first, last = verb.left_edge.i, verb.right_edge.i
    before = [t for t in host.subtree if t.i < first and not t.is_punct]
    after = [t for t in host.subtree if t.i > last and not t.is_punct]
    tokens = before if len(before) >= len(after) else after
    if len(tokens) < 3:
        return "bare", None, None
    return "clause", host, tokens


_COMPLEMENT_DEPS = frozenset({"dobj", "dative", "xcomp", "ccomp", "attr", "oprd", "acomp", "prt", "agent"})


def lemma_takes_clause(verb) -> bool:
    return _ANY_VERB_FORMS.get(verb.lower_) in _CLAUSE_LEMMAS


def _clause_follows(noun) -> bool:
    after = noun.right_edge.i + 1
    return after < len(noun.doc) and noun.doc[after].tag_ in ("VBZ", "VBD", "VBP", "MD")


def _surface_content(verb, source: ParseInput):
    """'McNeely said disease can complicate ...' when the parse is broken: the
    rest of the sentence, if it reads like a clause and holds no quotation."""
    doc = verb.doc
    if any(q.is_statement_sized for q in source.quotes):
        return "bare", None, None
    for c in verb.children:
        if c.dep_ == "dobj" and lemma_takes_clause(verb) and _clause_follows(c):
            continue  # "Cook said Apple employs ...": the parser made "Apple" an object
        if c.dep_ in _COMPLEMENT_DEPS:
            return "bare", None, None  # "maintained a degree of flexibility": the parse is whole
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
    """'Doe says he drank too much, used drugs and was ...': the parser may hang
    'used' and 'was' (or an adverbial clause) on 'says'; subjectless verbs and
    adverbial clauses after the reported clause belong to it (not ', noting
    that ...'). Also runs on into the next parsed sentence when the parser cut
    this one at an abbreviation ('16 lbs. since')."""
    extra = []
    for child in verb.rights:
        if child.i <= root.i or any(t.lower_ in _ANY_VERB_FORMS and t.tag_.startswith("VB")
                                    for t in child.subtree):
            continue  # before the clause, or another report (", noting that ...")
        subjectless_verb = (child.dep_ == "conj" and child.tag_.startswith("VB")
                            and not any(c.dep_ in _SUBJECT_DEPS for c in child.children))
        if subjectless_verb or child.dep_ == "advcl":  # "..., so he can check ..."
            extra.extend(child.subtree)
    doc = verb.doc
    last = max(t.i for t in [*tokens, *extra])
    end = doc[last].sent.end
    if end < len(doc) and end - 1 == last + (1 if doc[end - 1].is_punct else 0) and doc[end].text[:1].islower():
        extra.extend(doc[i] for i in range(last + 1, doc[end].sent.end))
    return tokens + extra


def _subject_of(verb, depth: int = 0):
    """Who does the saying: the active subject (climbing from 'to write' and
    '..., saying'), or the agent of a passive ('was announced by X'); the
    subject of a passive ('X was told that') is not the speaker."""
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            if verb.lower_ in ("quoted", "cited"):  # "he was quoted as saying"
                return child
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            return next((o for o in agent.children if o.dep_ == "pobj"), None) if agent else None
        if child.dep_ in _SUBJECT_DEPS:
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head
            return child
    if verb.dep_ == "acl":
        return _modifier_subject(verb, depth)
    if verb.dep_ == "xcomp":
        controller = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if controller is not None and controller.i < verb.i and controller.lower_ not in _TIME_NOUNS:
            return controller  # "allowed Mosseri to claim that ..." (not "spent an hour explaining")
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and depth < 3:
        return _subject_of(verb.head.head, depth + 1)  # "was quoted as saying"
    if depth < 3 and verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp") and verb.head is not verb:
        if verb.dep_ == "ccomp" and verb.head.lower_ not in _ANY_VERB_FORMS and not verb.head.tag_.startswith("VB"):
            return None
        return _subject_of(verb.head, depth + 1)
    return None


def _modifier_subject(verb, depth: int):
    """A reporting verb hung on a noun: "Acme issued a statement saying ..." (Acme says), or a finite
    verb mis-hung on its subject ("The company, which ..., confirmed")."""
    if verb.tag_ == "VBG" and verb.head.lower_ in SPEECH_NOUNS and verb.head.dep_ == "dobj" and depth < 3:
        return _subject_of(verb.head.head, depth + 1)
    if verb.tag_ in ("VBD", "VBZ", "VBP"):
        return verb.head
    return None


def _speech_noun_frame(text: str, verb, source: ParseInput) -> Frame | None:
    """'Acme made an announcement that it is adding X', 'issued a statement that ...': the noun's
    that-clause is what the subject says (a clause frame whose cue runs from the verb to the noun)."""
    noun = next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ in CLAUSE_NOUNS), None)
    # the parser hangs the that-clause on the noun or on the verb
    clause = None if noun is None else next(
        (c for c in (*noun.children, *verb.children) if c.dep_ in ("acl", "ccomp") and c.i > noun.i
         and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    subject = _subject_of(verb) if clause is not None else None
    if subject is None or clause is None:
        return None
    content = _content_span(text, list(clause.subtree), source)
    if content is None or len(text[content[0]:content[1]].split()) < _MIN_CONTENT_WORDS["clause"]:
        return None
    cue_start, _ = source.span(verb)
    _, cue_end = source.span(noun)
    return Frame("clause", text[cue_start:cue_end], cue_start, cue_end, "announce",
                 make_phrase(text, subject, source), content, _clause_subject(text, clause, source))


_TIME_NOUNS = frozenset({"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
                         "month", "months", "year", "years", "time", "afternoon", "morning", "evening", "night"})


def _content_of(verb, lemma: str):
    children = list(verb.children)
    for read in (_clause_content, _object_content, _xcomp_content, _prep_content):
        found = read(children, lemma)
        if found is not None:
            return found
    return "bare", None, None


def _clause_content(children, lemma: str):
    for child in children:
        if child.dep_ in ("ccomp", "parataxis") and lemma in _CLAUSE_LEMMAS:
            return "clause", child, list(child.subtree)
    return None


def _object_content(children, lemma: str):
    ruled_out = lemma == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in children)
    if lemma not in _OBJECT_LEMMAS and not ruled_out:
        return None
    for child in children:
        if child.dep_ == "dobj" and child.tag_ not in ("PRP", "WP", "WDT") and lemma != "tell":
            tokens = list(child.subtree)
            if len(tokens) >= 2:
                return "object", child, tokens
    return None


def _xcomp_content(children, lemma: str):
    if lemma not in _XCOMP_LEMMAS:
        return None
    for child in children:
        if child.dep_ in ("xcomp", "ccomp") and any(t.lower_ == "to" for t in child.lefts):
            # "vowed to keep ...", "urged Canadians to consult ...": the addressee too
            addressee = [t for c in children if c.dep_ == "dobj" and c.i < child.i for t in c.subtree]
            return "xcomp", child, addressee + list(child.subtree)
    return None


def _prep_content(children, lemma: str):
    preps = PREP_CUES.get(lemma)
    if not preps:
        return None
    for child in children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    return "prep", obj, list(obj.subtree)
    return None


_CLAUSE_LEMMAS = set(CLAUSE_CUE_FORMS.values())
_OBJECT_LEMMAS = set(OBJECT_CUE_FORMS.values())
_XCOMP_LEMMAS = set(XCOMP_CUE_FORMS.values())


_MIN_CONTENT_WORDS = {"clause": 2, "according": 2, "object": 3, "xcomp": 2, "prep": 2}


def _content_span(text: str, tokens, source: ParseInput) -> tuple[int, int] | None:
    spans = [source.span(t) for t in tokens if not (t.dep_ == "mark" and t.lower_ in _LEADING_MARKS
                                                     and t == tokens[0])]
    if not spans:
        return None
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    return trim_span(text, start, end)


def _colon_after(text: str, verb, source: ParseInput) -> bool:
    _, end = source.span(verb)
    rest = text[end:source.sentence.end]
    return bool(re.match(r"\s*(?:\w+\s+){0,6}?[^\w\s]?\s*:\s*$", rest)) or rest.strip() == ":"


def _clause_subject(text: str, root, source: ParseInput) -> Phrase | None:
    for child in root.children:
        if child.dep_ in _SUBJECT_DEPS:
            return make_phrase(text, child, source)
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


def _reportedly_frame(text: str, token, source: ParseInput) -> Frame | None:
    """'Acme has reportedly halted ...': a report with no named source."""
    verb = token.head
    if verb is token or not verb.tag_.startswith("VB"):
        return None
    subject = _clause_subject(text, verb, source)
    if subject is None:
        return None
    content = _content_span(text, list(verb.subtree), source)
    start, end = source.span(token)
    nobody = Phrase(start, end, start, "reportedly", token.tag_, source=True)
    return Frame("clause", text[start:end], start, end, "reportedly", nobody, content, subject)


_PASSIVE_REPORTS = frozenset({"said", "reported", "believed", "expected", "understood", "thought",
                              "rumored", "rumoured", "set", "poised", "slated", "scheduled", "alleged"})


def _passive_report_frame(text: str, verb, source: ParseInput) -> Frame | None:
    """'Acme is said to be weighing ...', 'Acme is expected to cut ...': what
    someone unnamed says a company is doing or will do."""
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    plan = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    if subject is None or plan is None:
        return None
    content = _content_span(text, [t for t in verb.subtree if not t.is_punct or t.i < plan.right_edge.i],
                            source)
    start, end = source.span(verb)
    nobody = Phrase(start, end, start, verb.lower_, verb.tag_, source=True)
    return Frame("clause", text[start:end], start, end, verb.lower_, nobody, content,
                 make_phrase(text, subject, source))


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
        if _inside_content(text, frames, q):
            continue
        k = min(speech, key=lambda k: _distance(frames[k], q))
        f = frames[k]
        frames[k] = replace(f, content=_drop_quote_content(f, q), quotes=f.quotes + (q.index,))


def _inside_content(text: str, frames: list[Frame], q: Quote) -> bool:
    """A quoted fragment inside a longer reported clause belongs to that clause
    ('Apple was "pulled into the enterprise," Cook said')."""
    for f in frames:
        if f.content and f.content[0] <= q.outer_start and q.end <= f.content[1]:
            outside = text[f.content[0]:q.outer_start] + " " + text[q.outer_end:f.content[1]]
            if len(re.findall(r"\w+", outside)) >= 2:
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
