"""The stance rules, one row each: what kind of operator a phrase is, the phrases,
its effect on what it governs, how far it reaches (its scope), and its precedence.

Nothing here names a company or a topic; the watchlist's pro/con terms supply those.
A row's phrases are regex fragments, run on lowercased text (``lowered``); spaces in
a phrase also match hyphens, and ``'`` matches the typographic apostrophe. A kind is
an enum member, so a misspelt kind fails at import; what each kind does in scoring
(flip, keep, limit, evaluate, concede ...) is said once, by its traits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, Flag, auto

from extractors.stance._lexicon import FROM_SHIFT_STOPS, REPLACE_STOPS, compile_phrases

__all__ = ["Trait", "Kind", "Scope", "Source", "Rule", "RULES", "rules_from", "rule_named"]


class Trait(Flag):
    NONE = 0
    GOVERNS = auto()  # its effect applies to the terms inside its scope
    CHANGE = auto()  # a change verb: its scope ends at the next one
    LEAVES = auto()  # moves away from what it governs ("abandon X", "X instead of")
    SUPPORTS = auto()  # moves toward what it governs and adds evidence ("commit to X")
    COMPOSES = auto()  # may govern another change verb as its object ("delay the closure of X")
    NEGATES = auto()
    EVALUATES = auto()  # judges its whole clause ("X was a mistake")
    LIMITS = auto()  # a quantity limit ("only", "not all")
    CONCEDES = auto()  # "although X", "X, but": the conceded part counts less
    PASSIVE_SUBJECT = auto()  # passive ("X was abandoned"): governs the subject too
    INTRANSITIVE_SUBJECT = auto()  # no object ("X will end in May"): governs the subject
    STATE = auto()  # a state of what precedes it ("X will be available", "make X available"): governs that too
    DENIES = auto()  # a reporting cue that marks a denial or a reiteration


_G = Trait.GOVERNS


class Kind(Enum):
    """An operator kind: its name, the cue kind that explains it, and its traits."""

    label: str
    traits: Trait
    bits: int  # traits as a plain int: scoring asks for them in its inner loops

    def __new__(cls, value: str, label: str = "", traits: Trait = Trait.NONE) -> Kind:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label or value
        member.traits = traits
        member.bits = traits._value_
        return member

    IGNORE = "ignore"
    DENIAL = "denial"
    NO_CHANGE = "no_change"
    DENIAL_MARKER = "denial_marker"
    ONSET = "onset"  # marks the statement as news of a change ("starting May 6, ..."), governs nothing
    FRAME = "frame", "frame", _G
    MENTION = "mention", "mention", _G
    PIVOT = "pivot", "change", _G | Trait.CHANGE | Trait.SUPPORTS
    CONTRAST = "contrast", "change", _G | Trait.CHANGE | Trait.LEAVES
    FROMSHIFT = "fromshift", "change", _G | Trait.CHANGE | Trait.LEAVES
    REPLACE = "replace", "change", _G | Trait.CHANGE | Trait.LEAVES | Trait.PASSIVE_SUBJECT
    AWAY = "away", "change", (
        _G | Trait.CHANGE | Trait.LEAVES | Trait.COMPOSES | Trait.PASSIVE_SUBJECT | Trait.INTRANSITIVE_SUBJECT
    )
    TOWARD = "toward", "change", _G | Trait.CHANGE | Trait.SUPPORTS | Trait.COMPOSES | Trait.INTRANSITIVE_SUBJECT
    # a state toward a thing, said of its subject ("X will be available to all users")
    TOWARD_STATE = "toward_state", "change", _G | Trait.CHANGE | Trait.SUPPORTS | Trait.STATE
    REMEDY = "remedy", "change", _G | Trait.CHANGE | Trait.COMPOSES
    NEGATION = "negation", "negation", _G | Trait.NEGATES
    PARTIAL = "partial", "quantifier", _G | Trait.NEGATES | Trait.LIMITS
    LIMITER = "limiter", "quantifier", _G | Trait.LIMITS
    CONCESSION = "concession", "concession", _G | Trait.CONCEDES
    CONDITIONAL = "conditional", "conditional", _G
    PLAN = "plan", "plan", _G | Trait.SUPPORTS
    REQUIREMENT = "requirement", "requirement", _G | Trait.SUPPORTS
    RETURN = "return", "change", _G | Trait.SUPPORTS
    HEDGE = "hedge"
    MODAL = "modal"
    QUESTION = "question"
    EVAL_POS = "eval_pos", "evaluation", _G | Trait.EVALUATES
    EVAL_NEG = "eval_neg", "evaluation", _G | Trait.EVALUATES
    EVAL_OUTCOME = "eval_outcome", "evaluation", _G | Trait.EVALUATES
    CUE_DENY = "cue_deny", "negation", Trait.DENIES
    CUE_AGAINST = "cue_against", "negation"
    CUE_REITERATE = "cue_reiterate", "support", Trait.DENIES
    CUE_FOR = "cue_for", "support"

    def has(self, trait: Trait) -> bool:
        return bool(self.bits & trait._value_)


class Scope(Enum):
    """How far an operator reaches."""

    NONE = "none"  # claims its words, governs nothing (its kind marks the statement)
    FOLLOWING = "following"  # what follows in its clause (at most 15 tokens)
    WINDOW = "window"  # the next few tokens ("only older models")
    CLAUSE = "clause"  # its whole clause (evaluations)
    BEFORE = "before"  # its sentence before it ("X, but ...")
    FROM_TERM_BEFORE = "from_term_before"  # from the nearest term before it to its clause end
    SENTENCE = "sentence"  # a multiplier on its sentence's score (hedges)
    SPAN = "span"  # a reporting cue outside the span governs the whole span


class Source(Enum):
    """Where a rule's phrases are looked for."""

    TEXT = "text"  # in the text; a match claims its tokens (higher precedence first)
    MARKER = "marker"  # in the text; claims nothing
    CUE = "cue"  # in the reporting cue outside the span
    CUE_OBJECT = "cue_object"  # at the start of the span a reporting cue governs
    TERM = "term"  # in a configured keyword, to orient it
    TOKEN = "token"  # a punctuation token of the text, each one counted
    DERIVED = "derived"  # made from another operator; its phrases are the words that trigger it


@dataclass(frozen=True)
class Rule:
    name: str
    kind: Kind
    factor: float  # on the terms it governs: -1 flips, 1 keeps, 0.4 limits, 0 frames out
    scope: Scope
    precedence: int  # lower claims its tokens first
    phrases: tuple[str, ...]
    source: Source = Source.TEXT
    hedge: float = 1.0  # multiplier on its sentence's score
    stops: frozenset[str] = frozenset()  # words that end its scope ("shift from X to Y")
    restates: bool = False  # acting on one side of the topic, it restates a position
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    # How every phrase may begin (up to 3 letters), or None when some phrase may begin anyhow:
    # a text with no word so beginning cannot match, and its scan is skipped.
    starts: frozenset[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", _compile(self))
        object.__setattr__(self, "starts", _starts(self.phrases))


_LEADING_GROUP = re.compile(r"\(\?:([a-z|]+)\)")
_LEADING_LETTERS = re.compile(r"[a-z]+")
_START = 3


def _starts(phrases: tuple[str, ...]) -> frozenset[str] | None:
    found: set[str] = set()
    for phrase in phrases:
        group = _LEADING_GROUP.match(phrase)
        if group:
            found.update(choice[:_START] for choice in group.group(1).split("|"))
            continue
        letters = _LEADING_LETTERS.match(phrase)
        if not letters:
            return None
        # A letter before "?", "*" or "{" is optional or repeated: its prefix is not fixed.
        end = letters.end()
        literal = letters.group()
        if end < len(phrase) and phrase[end] in "?*{":
            literal = literal[:-1]
        if not literal or "" in found:
            return None
        found.add(literal[:_START])
    return frozenset(found) if found else None


def _compile(rule: Rule) -> re.Pattern[str]:
    if rule.source is Source.CUE:
        return re.compile(rf"\b(?:{'|'.join(map(re.escape, rule.phrases))})\b")
    if rule.source is Source.TOKEN:
        return re.compile("|".join(map(re.escape, rule.phrases)))
    if rule.source is Source.CUE_OBJECT:
        body = "|".join(rule.phrases)
        return re.compile(rf"^\W*(?:the |these |those |such |any |all )?(?:{body})\b", re.IGNORECASE)
    return compile_phrases(rule.phrases)


F, W, C, B, T, S, N = (
    Scope.FOLLOWING, Scope.WINDOW, Scope.CLAUSE, Scope.BEFORE, Scope.FROM_TERM_BEFORE, Scope.SENTENCE, Scope.NONE,
)

RULES: tuple[Rule, ...] = (
    # Phrases that contain a negator but do not negate what follows.
    Rule("not-a-negation", Kind.IGNORE, 1.0, N, 10, phrases=(
        "not only", "not just", "no doubt", "no matter", "nothing but", "not least", "no wonder",
        "if not", "whether or not", "not to mention", "no later than", "not merely", "in the end", "but also",
        r"but (?:\w+ ){1,2}also",  # "not only X, but is also Y": an addition, no concession
        # a deliberation done ("had revisited its ambition and is delaying ..."): what follows is decided
        r"(?:had|has|have|after) [\"“‘]?(?:\w+ )?(?:revisited|reconsidered|reviewed|reassessed|rethought|re-?evaluated)",
        "balance sheet", "at the end of the day", "regardless of if", "regardless of whether", "no matter if",
        # a time, not an ending: "by the end of this year", "until the end of 2025"
        r"(?:by|at|until|till|before|after|from|through|to|toward|towards|since|near|around|in) the (?:very )?end of",
        # compounds with a change word inside ("end-to-end encryption", "back-end", "high-end"): no change
        "end to end", "front end", "back end", "high end", "low end", "year end", "dead end", "open ended",
        # "X or not", "either you have X or you're not": an alternative, not a negation.
        r"or (?:(?:you|we|they|he|she|it|i)(?:'re|'s| are| is| do| does| did| will| can| aren't)? )?"
        r"not(?=\s*(?:[.,;:!?\"”]|$))",
        # "we've never had demand like this": unprecedented, so emphatic, not negated.
        r"(?:never|not ever) (?:before )?(?:had|have had|seen|saw|experienced|witnessed)"
        r"(?=[^.;!?]{0,60}?\b(?:like (?:this|that|it|what|we)|such|that we (?:saw|see|are seeing|have seen)|before"
        r"|as (?:much|many|strong|high)))",
    )),
    # The onset of a new state ("Starting on May 6, players will be required ...", "will now be charged",
    # "will soon require"): news of a change, whichever way it goes. It scores nothing itself.
    Rule("onset", Kind.ONSET, 1.0, N, 15, phrases=(
        r"(?:starting|beginning|effective) (?:on |in |from )?(?:today|tomorrow|immediately|next \w+|this \w+"
        r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*|\d{1,2}(?:st|nd|rd|th)? \w+|\d{4})",
        "with immediate effect", "from now on", r"will (?:now|soon)", r"(?:is|are) now (?=\w+(?:ed|ing)\b)",
    )),
    # Denials of change that also swallow their own negator ("has not changed" is not a negation).
    Rule("unchanged", Kind.DENIAL, 1.0, N, 20, phrases=(
        r"(?:is|are|was|remains?|remained|stays?|stayed) (?:still |largely |completely )?unchanged",
        r"nothing (?:has |have )?changed", r"(?:has|have|had)(?: not|n't) changed", "not changing",
        r"no change (?:to|in)", "has not shifted", r"hasn't shifted", "not shifting",
        r"(?:is|are) (?:not true|untrue|false|inaccurate|incorrect)", "there is no truth",
        r"remain(?:s|ed)? (?:fully |firmly |deeply )?(?:committed|dedicated|focused)",
        r"still (?:committed|believes?|supports?)", "as always", r"(?:not|\w*n't) going anywhere",
    )),
    # A negated change verb denies a change and leaves what follows as it was:
    # "our results do not change our support for X" supports X; "will not alter its hours" says no more.
    Rule("no-change", Kind.NO_CHANGE, 1.0, N, 30, phrases=(
        r"(?:not|never|\w*n't)(?: \w+ly)? (?:chang|alter|modif|affect|weaken|diminish|lessen|shak)\w*",
        r"(?:not|\w*n't|never) (?:\w+ ){0,2}(?:a|any) (?:change|shift|departure|retreat|reversal|u-turn|step back)",
        r"no (?:change|shift|departure|retreat|reversal|u-turn)(?: (?:in|to|from|of))?",
        r"(?:not|\w*n't|never) (?:back(?:ing)? down|backtrack\w*|budg\w*|waver\w*)",
    )),
    # Negative evaluations that contain a negator (found before the negators claim it).
    Rule("negated-evaluation", Kind.EVAL_NEG, -1.0, C, 40, phrases=(
        "not worth", r"(?:did|does|do)(?: not|n't) work", r"(?:is|are|was|were)(?: not|n't) working", "not sustainable",
        r"(?:is|are|was|were)(?: not|n't) (?:viable|feasible|sustainable|practical)",
        r"no longer (?:viable|feasible|sustainable|works?|working)",
    )),
    # Frames whose clause is what someone asked or reported, not what the speaker holds.
    Rule("question-frame", Kind.FRAME, 0.0, F, 50, phrases=(
        r"(?:when |after being |if )?(?:asked|questioned|pressed) (?:about|whether|if|on)",
        r"when asked", r"in response to (?:a |the )?questions? (?:about|on)", r"responding to (?:a |the )?questions?",
    )),
    # What others ask of the speaker ("asking us to remove the show") is not its position.
    Rule("request-frame", Kind.FRAME, 0.0, F, 55, phrases=(
        r"(?:ask|urg|press|pressur|push|beg|implor|petition)\w* us to", r"calls? (?:for|on) us to",
        r"demand(?:ed|ing) (?:that )?(?:we|us)",
    )),
    # "abandon X in favor of Y": ends the scope of what came before; Y is chosen.
    Rule("in-favor-of", Kind.PIVOT, 1.0, F, 60, phrases=("in favor of", "in favour of",)),
    # "X, but Y": X counts less.
    Rule("concession-after", Kind.CONCESSION, 0.5, B, 70, phrases=("but", "however", "yet")),
    # "Y, two years after X", "after years of X, Y", "Y, having done X": the earlier events count less.
    Rule("background", Kind.CONCESSION, 0.5, F, 75, phrases=("after", "since", "having", "amid", "amidst")),
    # "although X, Y": X counts less.
    Rule("concession-before", Kind.CONCESSION, 0.5, F, 80, phrases=("although", "though", "even though", "even if", "despite", "in spite of", "while",)),
    # "Y instead of X": X is left; so is X in "Y serves more people than the existing X".
    Rule("instead-of", Kind.CONTRAST, -1.0, F, 90, phrases=("instead of", "rather than", "as opposed to", "in place of", "at the expense of", "unlike", "than (?:the|its|our|their) (?:existing|current|old|previous|former)",)),
    Rule("conditional", Kind.CONDITIONAL, 0.5, F, 100, hedge=0.4, phrases=("if", "unless", "provided that", "as long as", "in case", "in the event", "only if",)),
    # Limits on the whole clause: "open source ... more selectively".
    Rule("limited-clause", Kind.LIMITER, 0.4, T, 110, phrases=(
        "selectively", "more selectively", "selective", "partially", "partly", "in part",
        "in some cases", "in certain cases", "case by case", "on a case by case basis",
        "what we choose to", "what they choose to", r"choos(?:e|es|ing) what to", "not everything",
        r"(?:in|for) (?:some|certain|select|a few|a handful of) \w+",
        r"(?:be|is|are|was|were|been|being) (?:limited|restricted|capped) to",
    )),
    # Strong hedges pull the score toward 0 harder than modals.
    Rule("hedge", Kind.HEDGE, 1.0, S, 120, hedge=0.45, phrases=(
        r"careful(?:ly)?", r"cautious(?:ly)?", r"caution(?:ary)?", r"(?:a )?mix(?:ture)? of", "combination of",
        r"balanc(?:e|es|ed|ing)", r"flexib(?:le|ility)", r"nuanc(?:e|ed)", "it depends", "depending on",
        r"depend(?:s|ed|ing)? on", "undecided", r"not (?:yet )?decided", r"no (?:final )?decision", "not a done deal", "unclear",
        "uncertain", r"evaluat(?:e|es|ed|ing)", r"reassess(?:es|ed|ing)?", r"weigh(?:s|ed|ing)?",
        "open to", "under review", "whether", "hybrid approach", "hybrid model", "hybrid strategy",
        "middle path", "middle ground", r"reconsider(?:s|ed|ing)?", r"rethink(?:s|ing)?", "rethought",
        r"revisit(?:s|ed|ing)?", r"review(?:s|ed|ing)?(?= (?:its|their|our|his|her|the|whether|how|what|if)\b)", "reviewing",
        r"re-?evaluat(?:e|es|ed|ing)",
        r"(?:not|\w*n't|never) (?:yet )?rul(?:e|es|ed|ing) out",
        "somewhat", "sort of", "kind of", "to some extent", "to a degree", "to some degree", "in a way",
        "either", r"(?:a|the|some) possibility",
    )),
    # Diminishers: "slightly", "a little": the claim is smaller, so it counts less.
    Rule("diminisher", Kind.HEDGE, 1.0, S, 125, hedge=0.7, phrases=(
        "slightly", "marginally", "modestly", "mildly", "a little", "a bit", "a tad",
    )),
    # Looking back: "had until now remained committed to X", "had previously pledged X" tell the
    # former position, not the one held now, so they count for little.
    Rule("retrospective", Kind.HEDGE, 1.0, S, 127, hedge=0.3, phrases=(
        "until now", "up until now", "until recently", "up to now", r"had (?:\w+ )?previously",
        r"(?<!after.)(?<!before.)previously",  # "will X after previously saying Y": the clause after is news
        "formerly", "had long", "once had",
    )),
    # "shift from X to Y": X is left (the scope stops at "to"), Y is chosen ("chosen").
    Rule("shift-from", Kind.FROMSHIFT, -1.0, F, 130, stops=FROM_SHIFT_STOPS, phrases=(
        r"(?:shift|mov|switch|pivot|transition|migrat|turn|go|went|gone|chang)\w* from",
        # "transition its investment from X into Y": the verb's object between
        r"(?:shift|switch|pivot|transition|migrat|redirect|reallocat)\w* (?:its|their|our|the) (?:\w+ ){0,2}?from",
    )),
    # "replace X with Y": X is left; Y (after with/by) is chosen.
    Rule("replace", Kind.REPLACE, -1.0, F, 140, stops=REPLACE_STOPS, phrases=(r"replac(?:e|es|ed|ing)", r"swap(?:s|ped|ping)?", r"supplant(?:s|ed|ing)?",)),
    # Ending and reversing: "delete X", "repeal X", "part ways with X"; "lift" only a restriction
    # ("lifted its ban on X" composes with the ban, so it supports X).
    Rule("end-or-reverse", Kind.AWAY, -1.0, F, 144, phrases=(
        r"delet(?:e|es|ed|ing)", r"revert(?:s|ed|ing)?(?! to\b)", r"repeal(?:s|ed|ing)?", r"overturn(?:s|ed|ing)?",
        r"part(?:s|ed|ing)? ways with", r"cut(?:s|ting)? ties with", r"sever(?:s|ed|ing)? ties with",
        r"(?:take|takes|taking|took|taken) down", r"pull(?:s|ed|ing)? (?:down|off)",
        r"lift(?:s|ed|ing)?(?= (?:(?:the|its|their|our|his|her|a) )?(?:\w+ )?(?:bans?|restrictions?|moratori(?:um|a)"
        r"|prohibitions?|limits?|caps?|embargo(?:es)?|freezes?|suspensions?|blocks?)\b)",
    )),
    # Nouns of ending and reversal: "the termination of X", "a reversal of X", "the end of its X".
    Rule("end-noun", Kind.AWAY, -1.0, F, 146, phrases=(
        r"terminations? of", r"reversals? of", r"repeals? of", r"discontinuations? of", r"deletions? of",
        "demise of", r"end of (?:its|their|our|his|her)",
    )),
    # Restrictions are against what they restrict: "a moratorium on X"; lifting one supports X.
    Rule("restriction", Kind.AWAY, -1.0, F, 147, phrases=(
        r"moratori(?:um|a) on", r"prohibitions? (?:on|of)", r"restrictions? on", r"limits? on", r"caps? on",
        r"embargo(?:es)? on", r"crackdowns? on", "curbs on",
    )),
    # Criticism of a thing is a judgement against it: "criticized the programme (as a waste)".
    Rule("criticism", Kind.EVAL_NEG, -1.0, C, 148, phrases=(
        r"criticiz(?:e|es|ed|ing)", r"criticis(?:e|es|ed|ing)", r"criticisms? of", r"condemn(?:s|ed|ing)?",
        r"denounc(?:e|es|ed|ing)", r"(?<!grand.)slam(?:s|med|ming)?", r"lambast(?:s|ed|ing)?", r"blast(?:s|ed|ing)?",
        r"decr(?:y|ies|ied|ying)", r"attack(?:s|ed|ing)?", r"complaints? (?:about|over)",
        r"backlash (?:against|over)",
    )),
    # A reversal named as a noun, before or after its object: "makes X U-turn", "a U-turn on X".
    Rule("u-turn", Kind.AWAY, -1.0, T, 149, phrases=(
        r"u-?turns?(?: on| over)?", r"about-?faces?(?: on| over)?", r"climb-?downs?(?: on| over)?",
        r"volte-?faces?(?: on| over)?", r"backflips?(?: on| over)?",
    )),
    # Change verbs that move away from what they govern: "abandon X" is against X.
    Rule("away", Kind.AWAY, -1.0, F, 150, phrases=(
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
        # the verb, not the noun ("the storage limit will not apply", "limits of the plan")
        r"limit(?:s|ing)?(?!\s+(?:will|would|is|are|was|were|has|have|of|for|and|or|applies|apply)\b)(?!\s*(?:[.,;:!?)]|$))",
        r"curb(?:s|ed|ing)?", r"cut(?:s|ting)? back(?: on)?",
        r"reduc(?:e|es|ed|ing)", r"halv(?:e|es|ed|ing)", r"eliminat(?:e|es|ed|ing)", r"ban(?:s|ned|ning)?",
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
        r"(?:pull|back|opt)(?:s|ed|ing)? out(?: of)?", r"dismantl(?:e|es|ed|ing)", r"disband(?:s|ed|ing)?",
        r"undo(?:es|ing)?", "undid", r"downsiz(?:e|es|ed|ing)", r"rein(?:s|ed|ing)? in", r"avoid(?:s|ed|ing)?",
        r"prevent(?:s|ed|ing)?", r"remov(?:e|es|ed|ing)", r"hid(?:e|es|ing)", r"clos(?:e|es|ed|ing)(?! to\b)",
        # nouns of a move away: "the closure of X", "an end to X"
        r"closures? of", "end to", r"eliminations? of", r"removals? of", r"cancell?ations? of", r"suspensions? of",
        r"shutdowns? of", r"withdrawals? (?:of|from)", r"exits? from", "halt to", r"rollbacks? of", r"freezes? on",
        r"bans? on", r"cuts? (?:to|in)", r"phase-?outs? of", r"reductions? (?:of|in)",
        # intransitive: "the bundle will collapse" (their subject is what goes)
        r"collaps(?:e|es|ed|ing)", r"disappear(?:s|ed|ing)?", r"vanish(?:es|ed|ing)?", r"fad(?:e|es|ed|ing) away",
        r"stay(?:s|ed|ing)? away from",
    )),
    # Fixing verbs: they move away from a problem (a con term) and say nothing of a pro term.
    Rule("remedy", Kind.REMEDY, -1.0, F, 160, phrases=(
        r"fix(?:es|ed|ing)?", r"resolv(?:e|es|ed|ing)", r"solv(?:e|es|ed|ing)", r"patch(?:es|ed|ing)?",
        r"isolat(?:e|es|ed|ing)", r"overc(?:o|a)m(?:e|es|ing)", r"mitigat(?:e|es|ed|ing)", r"tackl(?:e|es|ed|ing)",
        r"(?:deal|deals|dealt|dealing) with", r"recover(?:s|ed|ing)? from", r"remed(?:y|ies|ied|ying)",
    )),
    Rule("negation", Kind.NEGATION, -1.0, F, 170, phrases=(
        "not", "never", "no", "none", "nor", "nobody", "no one", "neither", "without", "cannot", r"\w+n't",
        "exempt from", "free from",
        "no longer", "not anymore", "no more",
        r"fail(?:s|ed|ing)? to", r"refus(?:e|es|ed|ing) to", r"declin(?:e|es|ed|ing) to",
        r"den(?:y|ies|ied|ying)", r"lack(?:s|ed|ing)?(?: of)?", "absence of", "unlikely to", "hardly",
        r"at no (?:time|point|stage)",
    )),
    # Quantity limits on the term that follows within a few tokens: "only older models".
    Rule("limiter", Kind.LIMITER, 0.4, W, 180, phrases=(
        "only", "select", "selected", "a few", "fewer", "limited", "smaller",
        "older", "partial", "a handful of", "less capable",
    )),
    # Weak quantities: "some job cuts" is still job cuts, a little less surely.
    Rule("weak-limiter", Kind.LIMITER, 0.7, W, 190, phrases=("some", "certain", "some of",)),
    # Plans and intentions: for what they govern, with less weight ("plans to X", "its ambition to X").
    Rule("plan", Kind.PLAN, 0.8, F, 195, phrases=(
        r"plan(?:s|ned|ning)? to", r"plans? for", r"intend(?:s|ed|ing)? to", r"intentions? (?:to|of)",
        r"aim(?:s|ed|ing)? (?:to|for)", r"targets? of", r"targets? to", r"goals? (?:of|to)",
        r"ambitions? (?:to|of)", r"pledge(?:s|d)? to", r"promis(?:e|es|ed|ing) to", r"vow(?:s|ed|ing)? to",
        r"expect(?:s|ed|ing)? to", r"hop(?:e|es|ed|ing) to", r"seek(?:s|ing)? to", "sought to",
        r"(?:is|are|was|were) set to", r"(?:is|are|was|were) going to",
    )),
    # Starting: "begin charging for X", "applied for an X fund".
    Rule("start", Kind.TOWARD, 1.0, F, 198, phrases=(
        r"begin(?:s|ning)?", "began", "begun", r"start(?:s|ed|ing)?", r"appl(?:y|ies|ied|ying) for",
        r"fil(?:e|es|ed|ing) for", r"seek(?:s|ing)? approval (?:for|to)", r"sought approval (?:for|to)",
        # going ahead ("the update will not be moving forward": negated, the plan ends)
        r"mov(?:e|es|ed|ing) forward(?: with)?", r"go(?:es|ing)? ahead(?: with)?", r"went ahead(?: with)?",
        r"gone ahead(?: with)?", r"proceed(?:s|ed|ing)? with",
        # starting again what had stopped ("reopen the plant", "restart its giving")
        r"reopen(?:s|ed|ing)?", r"restart(?:s|ed|ing)?", r"reintroduc(?:e|es|ed|ing)", r"relaunch(?:es|ed|ing)?",
        r"reviv(?:e|es|ed|ing)", r"rejoin(?:s|ed|ing)?", r"re-?enter(?:s|ed|ing)?",
    )),
    # "will be available (to all users)": what is available is the subject; "make X available": the object.
    Rule("available", Kind.TOWARD_STATE, 1.0, F, 199, phrases=("available",)),
    # Change verbs that move toward what they govern (keep its polarity, add evidence).
    Rule("toward", Kind.TOWARD, 1.0, F, 200, phrases=(
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
        r"remain(?:s|ed)? committed to", "believe in",
        r"promot(?:e|es|ed|ing)", r"strengthen(?:s|ed|ing)?", r"bolster(?:s|ed|ing)?", r"enabl(?:e|es|ed|ing)",
        r"(?:turn|switch)(?:s|ed|ing|ched|ches)? on", r"roll(?:s|ed|ing)? out",
        r"launch(?:es|ed|ing)?", r"introduc(?:e|es|ed|ing)", r"extend(?:s|ed|ing)?", r"restor(?:e|es|ed|ing)",
        r"reinstat(?:e|es|ed|ing)", r"bring(?:s|ing)? back", "brought back",
        r"(?:ramp|step|scale)(?:s|ed|ped|ing|ping)? up",
        r"dedicat(?:e|es|ed|ing) to", r"(?:push|press)(?:es|ed|ing)? ahead with", r"(?:go|goes|going|went) ahead with",
        r"mov(?:e|es|ed|ing) forward with", r"proceed(?:s|ed|ing)? with", r"welcom(?:e|es|ed|ing)",
        r"applaud(?:s|ed|ing)?", r"prais(?:e|es|ed|ing)", r"tout(?:s|ed|ing)?",
        # "changed to X" moves; "the changes to X", "consider changes to X" only modify it
        r"(?<!the\s)(?<!any\s)(?<!some\s)(?<!consider\s)(?<!make\s)(?<!made\s)(?<!making\s)(?<!propose\s)"
        r"(?<!proposed\s)(?<!announce\s)(?<!announced\s)(?<!major\s)(?<!minor\s)(?<!recent\s)(?<!further\s)"
        r"(?:chang)\w* to(?:wards?)?",
        r"stay(?:s|ed|ing)?", r"surviv(?:e|es|ed|ing)", r"remain(?:s|ed|ing)?", r"becom(?:e|es|ing)", "became",
        # bringing or making a thing available to people: "bringing encryption to all users"
        r"bring(?:s|ing)?(?! back)", r"brought(?! back)",
        r"includ(?:e|es|ed)", r"install(?:s|ed|ing)?",  # not "including", mostly a preposition
        # "changed his mind about taking X": now doing X
        r"chang(?:e|es|ed|ing) (?:his|her|its|their|our|my) minds? (?:about|on)(?= \w+ing\b)",
        r"expansions? of", r"introductions? of", r"rollouts? of", r"adoptions? of", r"extensions? of", "restoration of",
    )),
    # "we will continue to offer X": acting on one side of the topic, it restates (a denial of change);
    # not "continue to see demand", not "continue a mix of X and Y".
    Rule("continue", Kind.TOWARD, 1.0, F, 205, restates=True, phrases=(
        r"continu(?:e|es|ed|ing)(?: to)?", r"reaffirm(?:s|ed|ing)?", r"reiterat(?:e|es|ed|ing)",
        r"restat(?:e|es|ed|ing)",
    )),
    # "going open source once more": a return to what its clause says.
    Rule("again", Kind.RETURN, 1.0, C, 206, phrases=("once more", "once again", "again", "anew")),
    Rule("modal", Kind.MODAL, 1.0, S, 210, hedge=0.7, phrases=(
        r"(?<!\d.)(?<!\bin.)may(?![\s-]*\d)",  # not the month ("May 30", "30 May", "in May")
        "might", "could", r"possibl[ey]", "perhaps", r"potential(?:ly)?", "likely", "probably",
        r"consider(?:s|ed|ing)?", r"discuss(?:es|ed|ing)?", r"explor(?:e|es|ed|ing)",
        r"temporar(?:y|ily)", "for now", "for the time being", "at this time", "at the moment",
        r"seem(?:s|ed|ingly)?", r"appear(?:s|ed)? to", r"reportedly", r"responsibl[ey]",
        r"test(?:s|ed|ing)?", r"trial(?:s|led|ling|ed|ing)?", r"pilot(?:s|ed|ing)?", r"experiment(?:s|ed|ing)?(?: with)?",
    )),
    # Verbs that only mention what follows: negated ("doesn't mention X") they say nothing about X.
    Rule("mention", Kind.MENTION, 1.0, F, 220, phrases=(
        r"mention(?:s|ed|ing)?", r"comment(?:s|ed|ing)? on", r"talk(?:s|ed|ing)? about", r"address(?:es|ed|ing)?",
        r"refer(?:s|red|ring)? to", r"speak(?:s|ing)? (?:about|to)", r"spoke (?:about|to)",
    )),
    # Evaluations: they give their clause's terms their polarity, signed.
    Rule("negative-evaluation", Kind.EVAL_NEG, -1.0, C, 230, phrases=(
        r"mistakes?", "wrong", "bad", "bad idea", "risky", "dangerous", "harmful", "reckless",
        "irresponsible", "flawed", r"fail(?:ure|ures|ed)", "a mess", "dead end", "not worth",
        "unsustainable", r"weakness(?:es)?", "problematic", "dead", r"backfir(?:e|es|ed|ing)",
        "a disaster", "disastrous", r"regret(?:s|ted|table)?",
        r"too (?:costly|expensive|risky|disruptive|complex|complicated)", "unworkable", "unviable", "impractical",
        "costly", "wasteful", r"a waste(?: of)?", "ineffective", "inefficient", "unprofitable", "loss-making",
        "money-losing", "terrible", "awful", "catastrophic", "a catastrophe", "dire",
    )),
    # Bad outcomes: against a pro term ("X cost us too many trains" is against X), but of a
    # con term they may report a problem as much as reject a choice ("the outage hurt
    # customers"), so there they count as evidence with no direction.
    Rule("bad-outcome", Kind.EVAL_OUTCOME, -1.0, C, 240, phrases=(
        r"concerns? (?:about|over|with)", r"concerned about", r"worried about", r"threats?", r"hurt(?:s|ing)?",
        "damaging", "negatively", r"cost(?:s|ing)? (?:us|them|him|her|the company|the business|our|their|its)",
        r"damag(?:e|es|ed)", r"harm(?:s|ed)?", r"hamper(?:s|ed|ing)?", r"struggl(?:e|es|ed|ing)", "disappointing",
        r"disappointed (?:with|by|in)", r"setbacks?",
    )),
    Rule("positive-evaluation", Kind.EVAL_POS, 1.0, C, 250, phrases=(
        "path forward", "way forward", r"(?:is|are|was|were) the future", "here to stay", r"will win", r"win(?:s|ning)?",
        r"the right (?:thing|move|choice|approach|call|decision|path)", r"strengths?",
        r"benefits?", "beneficial", r"advantages?", "success", "successful", "proud", "best",
        "good for", "great", "essential", "important", "the answer",
        r"(?:work|works|worked|working) well", r"pa(?:id|ys|ying) off", "a success", r"key to",
        r"thriv(?:e|es|ed|ing)", "popular", "effective", "excellent", "valuable", r"boost(?:s|ed|ing)?",
        r"improv(?:e|es|ed|ing)", r"(?:made|makes|make) (?:us|it|them) (?:a )?better",
        r"pleased (?:with|by)", r"happy with", r"excited about", "helped", r"the best thing",
    )),
    # A question asks rather than states: each question mark shrinks its sentence's score.
    Rule("question", Kind.QUESTION, 1.0, S, 260, source=Source.TOKEN, hedge=0.35, phrases=("?",)),
    # Markers of a denial or a reiteration that keep their normal stance role.
    Rule("denial-marker", Kind.DENIAL_MARKER, 1.0, N, 300, source=Source.MARKER, phrases=(
        r"no plans? to", r"not planning to", r"no intention (?:of|to)", r"den(?:y|ies|ied|ying)",
        r"reject(?:s|ed|ing)? (?:the |these |those |such |any )?(?:reports?|claims?|suggestions?|characteri[sz]ations?)",
        r"reaffirm(?:s|ed|ing)?", r"reiterat(?:e|es|ed|ing)", r"stand(?:s|ing)? by", "stood by",
        "categorically", r"at no (?:time|point|stage)",
        r"(?:never|not|\w*n't) (?:\w+ )?(?:said|say|says|claimed|announced)",
        r"(?:is|are|was|were) (?:not|never) (?:\w+ )?(?:considering|planning|discussing)",
    )),
    # After a negator, these make it partial: "not all", "not fully" (less support, not opposition).
    Rule("partial-negation", Kind.PARTIAL, -0.4, F, 310, source=Source.DERIVED, phrases=(
        "all", "every", "everything", "fully", "entirely", "completely", "always", "necessarily",
        "exclusively", "wholly", "totally", "all of", "purely", "solely", "merely",
    )),
    # "refuse to X unless Y", "won't X unless Y": Y is required, firmly, not a hedge.
    Rule("requirement", Kind.REQUIREMENT, 1.0, F, 315, source=Source.DERIVED, phrases=("unless",)),
    # The Y of "shift from X to Y" and "replace X with Y": chosen.
    Rule("chosen", Kind.TOWARD, 1.0, F, 320, source=Source.DERIVED, phrases=()),
    # Reporting cues outside the span, checked in this order. A quoted denial is the speaker's
    # own words, so "denied" marks it and flips nothing; "rejected reports that" denies the claim.
    Rule("cue-deny", Kind.CUE_DENY, -1.0, Scope.SPAN, 400, source=Source.CUE, phrases=(
        "deny", "denied", "denies", "denying", "refute", "refuted", "refutes", "dispute", "disputed", "disputes",
        "rebut", "rebutted", "rebuts", "dismiss", "dismissed", "dismisses", "push back", "pushed back", "pushes back",
    )),
    Rule("cue-against", Kind.CUE_AGAINST, -1.0, Scope.SPAN, 410, source=Source.CUE, phrases=(
        "oppose", "opposed", "opposes", "criticize", "criticized", "criticizes", "criticise", "criticised",
        "criticises", "slam", "slammed", "slams", "blast", "blasted", "blasts", "decry", "decried", "decries",
        "reject", "rejected", "rejects", "warn against", "warned against", "warns against", "caution against",
        "cautioned against", "argue against", "argued against", "lobby against", "lobbied against",
        "speak out against", "spoke out against", "speak against", "spoke against",
    )),
    Rule("cue-reiterate", Kind.CUE_REITERATE, 1.0, Scope.SPAN, 420, source=Source.CUE, phrases=(
        "reiterate", "reiterated", "reiterates", "reaffirm", "reaffirmed", "reaffirms", "restate", "restated",
        "restates", "stand by", "stood by", "stands by",
    )),
    # Cues that take the span's side ("defended the decision to X" is for X, and no denial).
    Rule("cue-for", Kind.CUE_FOR, 1.0, Scope.SPAN, 430, source=Source.CUE, phrases=(
        "advocate", "advocated", "advocates", "champion", "championed", "champions", "endorse", "endorsed", "endorses",
        "praise", "praised", "praises", "tout", "touted", "touts", "welcome", "welcomed", "welcomes", "applaud",
        "applauded", "applauds", "defend", "defended", "defends", "push for", "pushed for", "pushes for", "call for",
        "called for", "calls for", "argue for", "argued for", "lobby for", "lobbied for", "pledge", "pledged",
        "pledges", "promise", "promised", "promises", "vow", "vowed", "vows", "commit", "committed", "commits",
    )),
    # "rejected reports that ...": when a cue against has a claim for its object, it denies the claim.
    Rule("claim-object", Kind.CUE_DENY, -1.0, Scope.SPAN, 440, source=Source.CUE_OBJECT, phrases=(
        r"reports?", r"claims?", r"allegations?", r"suggestions?", "speculation", r"rumou?rs?",
        r"characteri[sz]ations?", r"accusations?", "notion", "idea", r"assertions?",
    )),
    # Nouns of a move away inside a configured keyword ("power shutoffs", "job cuts"):
    # such a keyword points away from the proposition's words.
    Rule("away-noun", Kind.AWAY, -1.0, N, 500, source=Source.TERM, phrases=(
        r"shut-?offs?", r"shut-?downs?", "cuts", r"cutbacks?", r"closures?", r"lay-?offs?", r"bans?", r"freezes?",
        r"phase-?outs?", r"removals?", r"eliminations?", r"cancell?ations?", r"suspensions?", r"rollbacks?",
        r"withdrawals?", r"reductions?", r"exits?", r"halts?", r"pauses?", r"delays?",
    )),
)


def _check(rules: tuple[Rule, ...]) -> None:
    names = [r.name for r in rules]
    precedences = [r.precedence for r in rules]
    if len(set(names)) != len(names) or len(set(precedences)) != len(precedences):
        raise ValueError("stance rules need unique names and precedences")
    if list(precedences) != sorted(precedences):
        raise ValueError("stance rules are listed in precedence order")
    for rule in rules:
        if rule.source is not Source.TEXT:
            continue
        governs = rule.kind.has(Trait.GOVERNS)
        if governs != (rule.scope not in (Scope.NONE, Scope.SENTENCE, Scope.SPAN)):
            raise ValueError(f"rule {rule.name}: scope {rule.scope} does not fit kind {rule.kind}")


_check(RULES)
_BY_NAME = {rule.name: rule for rule in RULES}


def rules_from(source: Source) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.source is source)


def rule_named(name: str) -> Rule:
    return _BY_NAME[name]
