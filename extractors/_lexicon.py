"""Generic stance lexicons: topic-independent cue phrases as regex fragments.

Nothing here names a company or a topic; the watchlist's pro/con terms supply
those. Each list is compiled once into one case-insensitive alternation
(``compile_phrases``); spaces in a phrase also match hyphens, and ``'`` matches
the typographic apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "compile_phrases",
    "lowered",
    "NOT_NEGATION",
    "NEGATION",
    "TOTALIZERS",
    "AWAY",
    "FROM_SHIFT",
    "REPLACE",
    "CONTRAST",
    "PIVOT",
    "TOWARD",
    "LIMITER_BEFORE",
    "LIMITER_CLAUSE",
    "CONCESSIVE_AFTER",
    "CONCESSIVE_BEFORE",
    "HEDGE_STRONG",
    "HEDGE_WEAK",
    "CONDITIONAL",
    "FRAMES",
    "COORDINATORS",
    "SUBJECT_PRONOUNS",
    "DENIAL_CONSUMING",
    "DENIAL_MARKERS",
    "EVAL_POSITIVE",
    "EVAL_NEGATIVE",
    "MENTION",
    "ANAPHORS",
    "BE_FORMS",
    "DETERMINERS",
    "CLAUSE_WORDS",
    "STOPWORDS",
    "FROM_SHIFT_STOPS",
    "REPLACE_STOPS",
]


def compile_phrases(phrases: Sequence[str]) -> re.Pattern[str]:
    """One regex for a phrase list, to run on lowercased text (``lowered``); longer
    phrases first so they win at a position. Case-sensitive matching on a
    lowercased copy is about twice as fast as re.IGNORECASE."""
    ordered = sorted(phrases, key=len, reverse=True)
    body = "|".join(p.replace("'", "['’]").replace(" ", r"[\s\-]+") for p in ordered)
    return re.compile(rf"\b(?<![\w'’])(?:{body})(?![\w'’])")


def lowered(text: str) -> str:
    """Lowercase with the same length, so match offsets are offsets in ``text``."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# Phrases that contain a negator but do not negate what follows.
NOT_NEGATION = [
    "not only", "not just", "no doubt", "no matter", "nothing but", "not least", "no wonder",
    "if not", "whether or not", "not to mention", "no later than", "not merely", "in the end", "but also",
    "balance sheet", "at the end of the day",
]

NEGATION = [
    "not", "never", "no", "none", "nor", "nobody", "no one", "neither", "without", "cannot", r"\w+n't",
    "no longer", "not anymore", "no more",
    r"fail(?:s|ed|ing)? to", r"refus(?:e|es|ed|ing) to", r"declin(?:e|es|ed|ing) to",
    r"den(?:y|ies|ied|ying)", r"lack(?:s|ed|ing)?(?: of)?", "absence of", "unlikely to", "hardly",
]

# After a negator, these make it partial: "not all", "not fully", "not everything".
TOTALIZERS = [
    "all", "every", "everything", "fully", "entirely", "completely", "always", "necessarily",
    "exclusively", "wholly", "totally", "all of", "purely", "solely", "merely",
]

# Change verbs that move away from what they govern: "abandon X" is against X.
AWAY = [
    r"abandon(?:s|ed|ing|ment of)?", r"drop(?:s|ped|ping)?", r"ditch(?:es|ed|ing)?",
    r"scrap(?:s|ped|ping)?", r"shel(?:ve|ves|ved|ving)", r"halt(?:s|ed|ing)?",
    r"paus(?:e|es|ed|ing)", r"stop(?:s|ped|ping)?", r"end(?:s|ed|ing)?", r"ceas(?:e|es|ed|ing)",
    r"discontinu(?:e|es|ed|ing)", r"suspend(?:s|ed|ing)?", r"cancel(?:s|led|ed|ling|ing)?",
    r"terminat(?:e|es|ed|ing)", r"retir(?:e|es|ed|ing)", r"sunset(?:s|ted|ting)?",
    r"phas(?:e|es|ed|ing) out", r"wind(?:s|ing)? down", "wound down",
    r"walk(?:s|ed|ing)? back", r"roll(?:s|ed|ing)? back", r"scal(?:e|es|ed|ing) back",
    r"pull(?:s|ed|ing)? back(?: from| on)?", r"back(?:s|ed|ing)? away from",
    r"step(?:s|ped|ping)? (?:back|away) from", r"(?:mov|shift|turn|pivot|veer|drift)\w* away from",
    r"retreat(?:s|ed|ing)? from", r"depart(?:s|ed|ing)? from", "departure from",
    r"backtrack(?:s|ed|ing)?(?: on| from)?", r"revers(?:e|es|ed|ing)(?: course on)?",
    r"giv(?:e|es|ing) up(?: on)?", r"gave up(?: on)?", r"given up(?: on)?", r"quit(?:s|ting)?",
    r"exit(?:s|ed|ing)?", r"refrain(?:s|ed|ing)? from", r"restrict(?:s|ed|ing)?",
    r"limit(?:s|ing)?", r"curb(?:s|ed|ing)?", r"cut(?:s|ting)? back(?: on)?",
    r"reduc(?:e|es|ed|ing)", r"eliminat(?:e|es|ed|ing)", r"ban(?:s|ned|ning)?",
    r"block(?:s|ed|ing)?", r"kill(?:s|ed|ing)?", r"ax(?:e|es|ed|ing)", r"deprioriti[sz](?:e|es|ed|ing)",
    r"oppos(?:e|es|ed|ing)", "opposition to", "against", r"reject(?:s|ed|ing)?",
    r"resist(?:s|ed|ing)?", r"abolish(?:es|ed|ing)?", r"rescind(?:s|ed|ing)?",
    r"revok(?:e|es|ed|ing)", r"withdr(?:aw|aws|ew|awn|awing)(?: from)?", r"mov(?:e|es|ed|ing) on from",
    r"pull(?:s|ed|ing)? the plug on", r"turn(?:s|ed|ing)? (?:its |their |our |his |her )?back on",
    r"rul(?:e|es|ed|ing) out", r"weaken(?:s|ed|ing)?", r"undermin(?:e|es|ed|ing)", r"water(?:s|ed|ing)? down",
    r"dilut(?:e|es|ed|ing)", r"erod(?:e|es|ed|ing)", r"disabl(?:e|es|ed|ing)",
    r"(?:turn|switch|shut)(?:s|ed|ing|ting|ched|ches)? off",
]

# "shift from X to Y": X is left (scope stops at FROM_SHIFT_STOPS), Y is chosen.
FROM_SHIFT = [r"(?:shift|mov|switch|pivot|transition|migrat|turn|go|went|gone|chang)\w* from"]
FROM_SHIFT_STOPS = frozenset({"to", "toward", "towards", "into", "for"})

# "replace X with Y": X is left; Y (after with/by) is chosen.
REPLACE = [r"replac(?:e|es|ed|ing)", r"swap(?:s|ped|ping)?", r"supplant(?:s|ed|ing)?"]
REPLACE_STOPS = frozenset({"with", "by", "for"})

# "Y instead of X": X is left.
CONTRAST = ["instead of", "rather than", "as opposed to", "in place of", "at the expense of", "unlike"]

# "abandon X in favor of Y": ends the scope of what came before; Y is chosen.
PIVOT = ["in favor of", "in favour of"]

# Change verbs that move toward what they govern (keep its polarity, add evidence).
TOWARD = [
    r"embrac(?:e|es|ed|ing)", r"adopt(?:s|ed|ing)?", r"commit(?:s|ted|ting)? to", "commitment to",
    r"doubl(?:e|es|ed|ing) down on", r"expand(?:s|ed|ing)?", r"resum(?:e|es|ed|ing)",
    r"return(?:s|ed|ing)? to", r"prioriti[sz](?:e|es|ed|ing)", r"focus(?:es|ed|ing|sed|sing)? on",
    r"concentrat(?:e|es|ed|ing)", r"favou?r(?:s|ed|ing)?", r"champion(?:s|ed|ing)?",
    r"support(?:s|ed|ing)?", r"push(?:es|ed|ing)? for", r"advocat(?:e|es|ed|ing)(?: for)?",
    r"endors(?:e|es|ed|ing)", r"pursu(?:e|es|ed|ing)", r"invest(?:s|ed|ing)? in",
    r"increas(?:e|es|ed|ing)", r"accelerat(?:e|es|ed|ing)", r"maintain(?:s|ed|ing)?",
    r"keep(?:s|ing)?", "kept", r"stick(?:s|ing)? with", "stuck with",
    r"(?:shift|mov|switch|pivot|transition|turn)\w* to(?:wards?)?", r"opt(?:s|ed|ing)? for",
    r"choos(?:e|es|ing)", "chose", "chosen", r"prefer(?:s|red|ring)?", r"bet(?:s|ting)? on",
    r"continu(?:e|es|ed|ing)(?: to)?", r"remain(?:s|ed)? committed to", "believe in",
    r"promot(?:e|es|ed|ing)", r"strengthen(?:s|ed|ing)?", r"bolster(?:s|ed|ing)?", r"enabl(?:e|es|ed|ing)",
    r"(?:turn|switch)(?:s|ed|ing|ched|ches)? on", r"roll(?:s|ed|ing)? out",
]

# Quantity limits on the term that follows within a few tokens: "only older models".
LIMITER_BEFORE = [
    "only", "some", "certain", "select", "selected", "a few", "fewer", "limited", "smaller",
    "older", "partial", "some of", "a handful of", "less capable",
]
# Limits on the whole clause: "open source ... more selectively".
LIMITER_CLAUSE = [
    "selectively", "more selectively", "selective", "partially", "partly", "in part",
    "in some cases", "in certain cases", "case by case", "on a case by case basis",
    "what we choose to", "what they choose to", r"choos(?:e|es|ing) what to", "not everything",
    r"in (?:some|certain|select|a few|a handful of) \w+",
    r"(?:be|is|are|was|were|been|being) (?:limited|restricted|capped) to",
]

# "X, but Y" / "although X, Y": the conceded part counts half.
CONCESSIVE_AFTER = frozenset({"but", "however", "yet"})
CONCESSIVE_BEFORE = ["although", "though", "even though", "despite", "in spite of", "while"]

# Global score multipliers: strong hedges pull the score toward 0 harder than modals.
HEDGE_STRONG = [
    r"careful(?:ly)?", r"cautious(?:ly)?", r"caution(?:ary)?", r"(?:a )?mix(?:ture)? of", "combination of",
    r"balanc(?:e|es|ed|ing)", r"flexib(?:le|ility)", r"nuanc(?:e|ed)", "it depends", "depending on",
    r"depend(?:s|ed|ing)? on", "undecided", r"not (?:yet )?decided", r"no (?:final )?decision", "not a done deal", "unclear",
    "uncertain", r"evaluat(?:e|es|ed|ing)", r"reassess(?:es|ed|ing)?", r"weigh(?:s|ed|ing)?",
    "open to", "under review", "whether", "hybrid approach", "hybrid model", "hybrid strategy",
    "middle path", "middle ground", r"reconsider(?:s|ed|ing)?", r"rethink(?:s|ing)?", "rethought",
    r"revisit(?:s|ed|ing)?", r"review(?:s|ed|ing)?", r"re-?evaluat(?:e|es|ed|ing)",
    r"(?:not|\w*n't|never) (?:yet )?rul(?:e|es|ed|ing) out",
]
HEDGE_WEAK = [
    "may", "might", "could", r"possibl[ey]", "perhaps", r"potential(?:ly)?", "likely", "probably",
    r"consider(?:s|ed|ing)?", r"discuss(?:es|ed|ing)?", r"explor(?:e|es|ed|ing)",
    r"temporar(?:y|ily)", "for now", "for the time being", "at this time", "at the moment",
    r"seem(?:s|ed|ingly)?", r"appear(?:s|ed)? to", r"reportedly", r"responsibl[ey]",
    r"test(?:s|ed|ing)?", r"trial(?:s|led|ling|ed|ing)?", r"pilot(?:s|ed|ing)?", r"experiment(?:s|ed|ing)?(?: with)?",
]

# Frames whose clause is what someone asked or reported, not what the speaker holds.
FRAMES = [
    r"(?:when |after being |if )?(?:asked|questioned|pressed) (?:about|whether|if|on)",
    r"when asked", r"in response to (?:a |the )?questions? (?:about|on)", r"responding to (?:a |the )?questions?",
]

CONDITIONAL = ["if", "unless", "provided that", "as long as", "in case", "in the event", "only if", "even if"]

# Denials of change that also swallow their own negator ("has not changed" is not a negation).
DENIAL_CONSUMING = [
    r"(?:is|are|was|remains?|remained|stays?|stayed) (?:still |largely |completely )?unchanged",
    r"nothing (?:has |have )?changed", r"(?:has|have|had)(?: not|n't) changed", "not changing",
    r"no change (?:to|in)", "has not shifted", r"hasn't shifted", "not shifting",
    r"(?:is|are) (?:not true|untrue|false|inaccurate|incorrect)", "there is no truth",
    r"remain(?:s|ed)? (?:fully |firmly |deeply )?(?:committed|dedicated|focused)",
    r"still (?:committed|believes?|supports?)", "as always", r"(?:not|\w*n't) going anywhere",
]
# Markers of a denial or a reiteration that keep their normal stance role.
DENIAL_MARKERS = [
    r"continu(?:e|es|ed|ing)", r"no plans? to", r"not planning to", r"no intention (?:of|to)", r"den(?:y|ies|ied|ying)",
    r"reject(?:s|ed|ing)? (?:the |these |those |such |any )?(?:reports?|claims?|suggestions?|characteri[sz]ations?)",
    r"reaffirm(?:s|ed|ing)?", r"reiterat(?:e|es|ed|ing)", r"stand(?:s|ing)? by", "stood by",
    "categorically",
]

# Evaluations: they give the nearest term's polarity, signed.
EVAL_POSITIVE = [
    "path forward", "way forward", r"(?:is|are|was|were) the future", "here to stay", r"will win", r"win(?:s|ning)?",
    r"the right (?:thing|move|choice|approach|call|decision|path)", r"strengths?",
    r"benefits?", "beneficial", r"advantages?", "success", "successful", "proud", "best",
    "good for", "great", "essential", "important", "the answer",
]
EVAL_NEGATIVE = [
    r"mistakes?", "wrong", "bad", "bad idea", "risky", "dangerous", "harmful", "reckless",
    "irresponsible", "flawed", r"fail(?:ure|ures|ed)", "a mess", "dead end", "not worth",
    "unsustainable", r"weakness(?:es)?", "problematic", r"concerns? (?:about|over|with)",
    r"concerned about", r"worried about", r"threats?", r"hurt(?:s|ing)?", "damaging", "dead", "negatively",
]

# Verbs that only mention what follows: negated ("doesn't mention X") they say nothing about X.
MENTION = [
    r"mention(?:s|ed|ing)?", r"comment(?:s|ed|ing)? on", r"talk(?:s|ed|ing)? about", r"address(?:es|ed|ing)?",
    r"refer(?:s|red|ring)? to", r"speak(?:s|ing)? (?:about|to)", r"spoke (?:about|to)",
]

ANAPHORS = frozenset({"so", "it", "that", "this", "them", "those", "these"})
BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "gotten"})
DETERMINERS = frozenset({
    "the", "a", "an", "its", "our", "their", "his", "her", "my", "your", "this", "that", "these",
    "those", "all", "any",
})
# Words that end a clause (scope of negation and change verbs stops there).
CLAUSE_WORDS = frozenset({
    "but", "while", "although", "though", "whereas", "however", "yet", "because", "unless",
    "meanwhile", "nevertheless", "nonetheless",
})
# "and we expect ...": a coordinator before a new subject starts a new clause.
COORDINATORS = frozenset({"and", "or", "so", "then"})
SUBJECT_PRONOUNS = frozenset({"we", "they", "he", "she", "i", "you"})
STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as is are was were be been being it its
this that these those their our his her they we he she you i them us him me my your than then so
not no do does did has have had will would shall should can could may might must most more less
very also just into over under about which who whom whose what when where why how all any each
such own same other some only both either neither nor too up down out off again further once
""".split())
