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
    "REMEDY",
    "NO_CHANGE",
    "LIMITER_WEAK",
    "EVAL_NEGATIVE_NEGATED",
    "EVAL_OUTCOME",
    "CUE_DENY",
    "CUE_REITERATE",
    "CUE_AGAINST",
    "CUE_FOR",
    "DENIAL_MARKERS_GOVERNING",
    "RELATIVE_WORDS",
    "ACTOR_WORDS",
    "INTRANSITIVE_NEXT",
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
    # "X or not", "either you have X or you're not": an alternative, not a negation.
    r"or (?:(?:you|we|they|he|she|it|i)(?:'re|'s| are| is| do| does| did| will| can| aren't)? )?"
    r"not(?=\s*(?:[.,;:!?\"”]|$))",
    # "we've never had demand like this": unprecedented, so emphatic, not negated.
    r"(?:never|not ever) (?:before )?(?:had|have had|seen|saw|experienced|witnessed)"
    r"(?=[^.;!?]{0,60}?\b(?:like (?:this|that|it|what|we)|such|that we (?:saw|see|are seeing|have seen)|before"
    r"|as (?:much|many|strong|high)))",
]

NEGATION = [
    "not", "never", "no", "none", "nor", "nobody", "no one", "neither", "without", "cannot", r"\w+n't",
    "no longer", "not anymore", "no more",
    r"fail(?:s|ed|ing)? to", r"refus(?:e|es|ed|ing) to", r"declin(?:e|es|ed|ing) to",
    r"den(?:y|ies|ied|ying)", r"lack(?:s|ed|ing)?(?: of)?", "absence of", "unlikely to", "hardly",
    r"at no (?:time|point|stage)",
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
    r"cut(?:s|ting)?", r"slash(?:es|ed|ing)?", r"delay(?:s|ed|ing)?", r"postpon(?:e|es|ed|ing)",
    r"defer(?:s|red|ring)?", r"put(?:s|ting)? (?:\w+ )?on hold", r"hold(?:s|ing)? off on", "held off on",
    r"freez(?:e|es|ing)", "froze", r"shut(?:s|ting)? down", r"shutter(?:s|ed|ing)?", r"clos(?:e|es|ed|ing) down",
    r"(?:pull|back|opt)(?:s|ed|ing)? out of", r"dismantl(?:e|es|ed|ing)", r"disband(?:s|ed|ing)?",
    r"undo(?:es|ing)?", "undid", r"downsiz(?:e|es|ed|ing)", r"rein(?:s|ed|ing)? in", r"avoid(?:s|ed|ing)?",
    r"prevent(?:s|ed|ing)?", r"remov(?:e|es|ed|ing)", r"hid(?:e|es|ing)", r"clos(?:e|es|ed|ing)(?! to\b)",
    # nouns of a move away: "the closure of X", "an end to X"
    r"closures? of", "end to", r"eliminations? of", r"removals? of", r"cancell?ations? of", r"suspensions? of",
    r"shutdowns? of", r"withdrawals? (?:of|from)", r"exits? from", "halt to", r"rollbacks? of", r"freezes? on",
    r"bans? on", r"cuts? (?:to|in)", r"phase-?outs? of", r"reductions? (?:of|in)",
    # intransitive: "the bundle will collapse" (their subject is what goes)
    r"collaps(?:e|es|ed|ing)", r"disappear(?:s|ed|ing)?", r"vanish(?:es|ed|ing)?", r"fad(?:e|es|ed|ing) away",
    r"stay(?:s|ed|ing)? away from",
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
    r"launch(?:es|ed|ing)?", r"introduc(?:e|es|ed|ing)", r"extend(?:s|ed|ing)?", r"restor(?:e|es|ed|ing)",
    r"reinstat(?:e|es|ed|ing)", r"bring(?:s|ing)? back", "brought back",
    r"(?:ramp|step|scale)(?:s|ed|ped|ing|ping)? up",
    r"dedicat(?:e|es|ed|ing) to", r"(?:push|press)(?:es|ed|ing)? ahead with", r"(?:go|goes|going|went) ahead with",
    r"mov(?:e|es|ed|ing) forward with", r"proceed(?:s|ed|ing)? with", r"welcom(?:e|es|ed|ing)",
    r"applaud(?:s|ed|ing)?", r"prais(?:e|es|ed|ing)", r"tout(?:s|ed|ing)?", r"(?:chang)\w* to(?:wards?)?",
    r"stay(?:s|ed|ing)?", r"surviv(?:e|es|ed|ing)",
    r"expansions? of", r"introductions? of", r"rollouts? of", r"adoptions? of", r"extensions? of", "restoration of",
]

# Fixing verbs: they move away from a problem (a con term) and say nothing of a pro term.
REMEDY = [
    r"fix(?:es|ed|ing)?", r"resolv(?:e|es|ed|ing)", r"solv(?:e|es|ed|ing)", r"patch(?:es|ed|ing)?",
    r"isolat(?:e|es|ed|ing)", r"overc(?:o|a)m(?:e|es|ing)", r"mitigat(?:e|es|ed|ing)", r"tackl(?:e|es|ed|ing)",
    r"(?:deal|deals|dealt|dealing) with", r"recover(?:s|ed|ing)? from", r"remed(?:y|ies|ied|ying)",
]

# Quantity limits on the term that follows within a few tokens: "only older models".
LIMITER_BEFORE = [
    "only", "select", "selected", "a few", "fewer", "limited", "smaller",
    "older", "partial", "a handful of", "less capable",
]
# Weak quantities: "some job cuts" is still job cuts, a little less surely.
LIMITER_WEAK = ["some", "certain", "some of"]
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
    "somewhat", "sort of", "kind of", "to some extent", "to a degree", "to some degree", "in a way",
    "either", r"(?:a|the|some) possibility",
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
# A negated change verb denies a change and leaves what follows as it was:
# "our results do not change our support for X" supports X; "will not alter its hours" says no more.
NO_CHANGE = [
    r"(?:not|never|\w*n't)(?: \w+ly)? (?:chang|alter|modif|affect|weaken|diminish|lessen|shak)\w*",
    r"(?:not|\w*n't|never) (?:\w+ ){0,2}(?:a|any) (?:change|shift|departure|retreat|reversal|u-turn|step back)",
    r"no (?:change|shift|departure|retreat|reversal|u-turn)(?: (?:in|to|from|of))?",
    r"(?:not|\w*n't|never) (?:back(?:ing)? down|backtrack\w*|budg\w*|waver\w*)",
]
# Markers of a denial or a reiteration that keep their normal stance role.
DENIAL_MARKERS = [
    r"no plans? to", r"not planning to", r"no intention (?:of|to)", r"den(?:y|ies|ied|ying)",
    r"reject(?:s|ed|ing)? (?:the |these |those |such |any )?(?:reports?|claims?|suggestions?|characteri[sz]ations?)",
    r"reaffirm(?:s|ed|ing)?", r"reiterat(?:e|es|ed|ing)", r"stand(?:s|ing)? by", "stood by",
    "categorically", r"at no (?:time|point|stage)",
    r"(?:never|not|\w*n't) (?:\w+ )?(?:said|say|says|claimed|announced)",
    r"(?:is|are|was|were) (?:not|never) (?:\w+ )?(?:considering|planning|discussing)",
]
# A reiteration that denies a change only when it governs a term of the topic, on one side
# ("we will continue to offer X"; not "continue to see demand", not "continue a mix of X and Y").
DENIAL_MARKERS_GOVERNING = ("continu",)

# Reporting cues (the verb outside a span) that set how the span counts.
CUE_DENY = [
    "deny", "denied", "denies", "denying", "refute", "refuted", "refutes", "dispute", "disputed", "disputes",
    "rebut", "rebutted", "rebuts", "dismiss", "dismissed", "dismisses", "push back", "pushed back", "pushes back",
]
CUE_REITERATE = [
    "reiterate", "reiterated", "reiterates", "reaffirm", "reaffirmed", "reaffirms", "restate", "restated",
    "restates", "stand by", "stood by", "stands by",
]
CUE_AGAINST = [
    "oppose", "opposed", "opposes", "criticize", "criticized", "criticizes", "criticise", "criticised",
    "criticises", "slam", "slammed", "slams", "blast", "blasted", "blasts", "decry", "decried", "decries",
    "reject", "rejected", "rejects", "warn against", "warned against", "warns against", "caution against",
    "cautioned against", "argue against", "argued against", "lobby against", "lobbied against",
    "speak out against", "spoke out against", "speak against", "spoke against",
]
# Cues that take the span's side ("defended the decision to X" is for X, and no denial).
CUE_FOR = [
    "advocate", "advocated", "advocates", "champion", "championed", "champions", "endorse", "endorsed", "endorses",
    "praise", "praised", "praises", "tout", "touted", "touts", "welcome", "welcomed", "welcomes", "applaud",
    "applauded", "applauds", "defend", "defended", "defends", "push for", "pushed for", "pushes for", "call for",
    "called for", "calls for", "argue for", "argued for", "lobby for", "lobbied for", "pledge", "pledged",
    "pledges", "promise", "promised", "promises", "vow", "vowed", "vows", "commit", "committed", "commits",
]

# Evaluations: they give the nearest term's polarity, signed.
EVAL_POSITIVE = [
    "path forward", "way forward", r"(?:is|are|was|were) the future", "here to stay", r"will win", r"win(?:s|ning)?",
    r"the right (?:thing|move|choice|approach|call|decision|path)", r"strengths?",
    r"benefits?", "beneficial", r"advantages?", "success", "successful", "proud", "best",
    "good for", "great", "essential", "important", "the answer",
    r"(?:work|works|worked|working) well", r"pa(?:id|ys|ying) off", "a success", r"key to",
    r"thriv(?:e|es|ed|ing)", "popular", "effective", "excellent", "valuable", r"boost(?:s|ed|ing)?",
    r"improv(?:e|es|ed|ing)", r"(?:made|makes|make) (?:us|it|them) (?:a )?better",
    r"pleased (?:with|by)", r"happy with", r"excited about", "helped", r"the best thing",
]
EVAL_NEGATIVE = [
    r"mistakes?", "wrong", "bad", "bad idea", "risky", "dangerous", "harmful", "reckless",
    "irresponsible", "flawed", r"fail(?:ure|ures|ed)", "a mess", "dead end", "not worth",
    "unsustainable", r"weakness(?:es)?", "problematic", "dead", r"backfir(?:e|es|ed|ing)",
    "a disaster", "disastrous", r"regret(?:s|ted|table)?",
    r"too (?:costly|expensive|risky|disruptive|complex|complicated)", "unworkable", "unviable", "impractical",
]
# Bad outcomes: against a pro term ("X cost us too many trains" is against X), but of a
# con term they may report a problem as much as reject a choice ("the outage hurt
# customers"), so there they count as evidence with no direction.
EVAL_OUTCOME = [
    r"concerns? (?:about|over|with)", r"concerned about", r"worried about", r"threats?", r"hurt(?:s|ing)?",
    "damaging", "negatively", r"cost(?:s|ing)? (?:us|them|him|her|the company|the business|our|their|its)",
    r"damag(?:e|es|ed)", r"harm(?:s|ed)?", r"hamper(?:s|ed|ing)?", r"struggl(?:e|es|ed|ing)", "disappointing",
    r"disappointed (?:with|by|in)", r"setbacks?",
]
# Negative evaluations that contain a negator (found before the negators claim it).
EVAL_NEGATIVE_NEGATED = [
    "not worth", r"(?:did|does|do)(?: not|n't) work", r"(?:is|are|was|were)(?: not|n't) working", "not sustainable",
    r"(?:is|are|was|were)(?: not|n't) (?:viable|feasible|sustainable|practical)",
    r"no longer (?:viable|feasible|sustainable|works?|working)",
]

# Verbs that only mention what follows: negated ("doesn't mention X") they say nothing about X.
MENTION = [
    r"mention(?:s|ed|ing)?", r"comment(?:s|ed|ing)? on", r"talk(?:s|ed|ing)? about", r"address(?:es|ed|ing)?",
    r"refer(?:s|red|ring)? to", r"speak(?:s|ing)? (?:about|to)", r"spoke (?:about|to)",
]

# Subjects that make "X will not change ..." the speaker's own denial of a change.
ACTOR_WORDS = frozenset({
    "we", "i", "they", "he", "she", "it", "company", "firm", "group", "business", "management", "board",
    "leadership", "executives", "team", "spokesperson", "spokesman", "spokeswoman", "ceo", "owner", "owners",
})
# What may follow a change verb used without an object ("X will end in May", "X stays."):
# then the verb acts on its subject.
INTRANSITIVE_NEXT = frozenset({
    "in", "on", "by", "at", "next", "this", "last", "after", "before", "from", "for", "soon", "altogether",
    "entirely", "completely", "now", "today", "tomorrow", "eventually", "as", "when", "if", "within", "until",
    "anytime", "anyway", "there", "here", "too", "again", "indefinitely", "permanently", "forever",
})
# A relative word that opens a clause of its own: "areas that do not support X" does not negate the subject.
RELATIVE_WORDS = frozenset({"that", "which", "who", "whom", "where"})
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
