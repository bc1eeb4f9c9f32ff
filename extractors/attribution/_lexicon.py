"""Word lists for attribution: reporting verbs (with their inflected forms),
speaker nouns and anaphors. English only; no company or person names here."""

from __future__ import annotations

import re

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "think": ("think", "thinks", "thought", "thinking"),
    "speak": ("speak", "speaks", "spoke", "spoken", "speaking"),
    "foresee": ("foresee", "foresees", "foresaw", "foreseen", "foreseeing"),
    "forecast": ("forecast", "forecasts", "forecasted", "forecasting"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "rule": ("rule", "rules", "ruled", "ruling"),
}
# Verbs that double their last consonant before -ed/-ing.
_DOUBLING = {"admit", "commit", "regret", "refer", "plan", "omit", "rebut", "concur", "signal", "quip",
             "chat", "stop", "prefer", "confer", "aver"}


def inflections(lemma: str) -> tuple[str, ...]:
    """base, 3rd person, past and -ing forms of a regular English verb."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma in _DOUBLING:
        stem = lemma + lemma[-1]
        # "signaled" (US) and "signalled" (UK) alike
        return (lemma, lemma + "s", stem + "ed", stem + "ing", lemma + "ed", lemma + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


def _form_map(lemmas: set[str]) -> dict[str, str]:
    return {form: lemma for lemma in lemmas for form in inflections(lemma)}


# Verbs that report speech or a stated position when they take a clause
# ("X said that ...", "... , X said.").
CLAUSE_CUE_LEMMAS = {
    "say", "tell", "state", "add", "argue", "acknowledge", "admit", "emphasize", "emphasise",
    "stress", "predict", "write", "note", "explain", "claim", "insist", "warn", "announce",
    "confirm", "deny", "reiterate", "affirm", "reaffirm", "assert", "maintain", "suggest",
    "believe", "think", "declare", "mention", "report", "reveal", "disclose", "promise",
    "pledge", "vow", "concede", "contend", "tweet", "post", "testify", "highlight", "indicate",
    "signal", "hint", "agree", "recall", "remark", "observe", "caution", "complain", "boast",
    "estimate", "forecast", "expect", "hope", "reply", "respond", "answer", "counter",
    "clarify", "underscore", "allege", "assure", "reassure", "concur", "conclude", "feel",
    "foresee", "propose", "recommend", "point", "blog", "comment",
    "speculate", "repeat", "urge",
    "retort", "quip", "joke", "lament", "muse", "opine", "elaborate", "specify",
    "blurt", "exclaim", "shout", "yell", "whisper", "mutter", "recount", "surmise", "reckon", "figure", "guess", "rule",
    "find", "determine", "demand", "plead", "inform", "notify", "advise",
    "ask", "wonder",
}
# Verbs that introduce a quotation but whose clause is no statement ("asked whether ...").
QUOTE_ONLY_LEMMAS = frozenset({"ask", "wonder"})
# Verbs whose direct object is the content ("X reiterated its commitment to ...").
OBJECT_CUE_LEMMAS = {
    "emphasize", "emphasise", "stress", "acknowledge", "admit", "reiterate", "reaffirm",
    "announce", "confirm", "deny", "outline", "highlight", "underscore", "defend", "criticize",
    "criticise", "praise", "tout", "champion", "reject", "dismiss", "welcome", "endorse",
    "oppose", "predict", "promise", "pledge", "propose", "recommend", "express", "voice",
    "restate", "dispute", "concede", "describe", "forecast", "foresee", "signal",
    "advocate", "applaud", "slam", "blast", "decry", "warn", "rebut", "question",
}
# Verbs whose to-infinitive is the content ("X vowed to keep ...").
XCOMP_CUE_LEMMAS = {"promise", "pledge", "vow", "threaten", "urge", "warn", "advise", "encourage",
                    "implore", "caution", "tell", "call"}
# Verbs whose prepositional object is the content ("X advocates for ...").
PREP_CUES: dict[str, frozenset[str]] = {
    "advocate": frozenset({"for", "against"}),
    "call": frozenset({"for"}),
    "argue": frozenset({"for", "against"}),
    "push": frozenset({"for"}),
    "lobby": frozenset({"for", "against"}),
    "speak": frozenset({"about", "against", "on", "out"}),
    "warn": frozenset({"about", "against", "of"}),
    "caution": frozenset({"against", "about"}),
    "comment": frozenset({"on"}),
}
TITLE_CUES = frozenset({"entitled", "titled", "headlined", "headed"})

CLAUSE_CUE_FORMS = _form_map(CLAUSE_CUE_LEMMAS)
OBJECT_CUE_FORMS = _form_map(OBJECT_CUE_LEMMAS)
XCOMP_CUE_FORMS = _form_map(XCOMP_CUE_LEMMAS)
PREP_CUE_FORMS = _form_map(set(PREP_CUES))
ALL_CUE_FORMS: dict[str, str] = {
    **PREP_CUE_FORMS, **XCOMP_CUE_FORMS, **OBJECT_CUE_FORMS, **CLAUSE_CUE_FORMS,
}

# Verbs of belief: what a company "thinks" is the writer's reading more often than its words.
MENTAL_LEMMAS = frozenset({"think", "believe", "feel", "hope", "expect", "fear", "worry", "reckon",
                           "figure", "guess", "surmise", "suspect"})

# People who speak for a company.
ROLE_NOUNS = frozenset({
    "spokesperson", "spokesman", "spokeswoman", "spokespeople", "spokespersons", "spokesmen",
    "spokeswomen", "representative", "representatives", "rep", "executive", "executives",
    "exec", "execs", "official", "officials", "ceo", "cfo", "cto", "coo", "cmo", "cio",
    "chief", "president", "chairman", "chairwoman", "chairperson", "chair", "founder",
    "cofounder", "co-founder", "head", "director", "officer", "vp", "leader", "leaders",
    "leadership", "management", "board", "boss", "counsel", "lawyer", "lawyers", "attorney",
    "attorneys", "manager", "partner", "owner",
})
# Roles that, without a company named, still point back to the company last
# named ("the spokesperson said"); "the leaders", "the president" do not.
ANAPHORIC_ROLES = frozenset({
    "spokesperson", "spokesman", "spokeswoman", "spokespeople", "spokespersons", "spokesmen",
    "spokeswomen", "representative", "representatives", "rep", "executive", "executives", "exec",
    "execs", "ceo", "cfo", "cto", "coo", "founder", "cofounder", "co-founder", "chairman",
    "chairwoman", "officer",
})
# Insiders whose words are reports, not the company's position.
STAFF_NOUNS = frozenset({
    "employee", "employees", "staff", "staffer", "staffers", "engineer", "engineers",
    "researcher", "researchers", "worker", "workers", "insider", "insiders", "member",
    "members", "scientist", "scientists",
})
# Anonymous or documentary sources: their claims about a company are reports.
SOURCE_NOUNS = frozenset({
    "report", "reports", "source", "sources", "insider", "insiders", "document", "documents",
    "memo", "memos", "filing", "filings", "email", "emails", "leak", "leaks", "reporting",
    "records", "record", "data", "survey", "study", "analysis", "media",
})
# "people"/"person" count as sources only with these qualifiers.
SOURCE_PEOPLE = frozenset({"people", "person", "persons", "individuals", "individual"})
SOURCE_QUALIFIERS = frozenset({"familiar", "knowledge", "aware", "briefed", "close", "direct",
                               "involved", "anonymity", "spoke"})
# Nouns a company is referred back to with ("the company", "the tech giant").
COMPANY_NOUNS = frozenset({
    "company", "firm", "group", "giant", "maker", "startup", "start-up", "business",
    "corporation", "conglomerate", "retailer", "automaker", "carmaker", "bank", "lender",
    "carrier", "chipmaker", "manufacturer", "platform", "service", "app", "network", "operator", "airline",
    "studio", "insurer", "developer", "provider", "parent", "organization", "organisation",
    "outfit", "titan", "behemoth", "juggernaut", "incumbent", "rival", "lab", "utility",
    "chain", "brand", "supplier", "vendor", "producer", "distributor", "broadcaster",
    "publisher", "unicorn", "holding", "subsidiary", "toymaker", "drugmaker", "steelmaker", "planemaker",
    "miner", "streamer",
})
# Nouns for things said or written ("Markov's statement", "his post").
SPEECH_NOUNS = frozenset({
    "statement", "statements", "remark", "remarks", "comment", "comments", "post", "posts",
    "blog", "letter", "memo", "essay", "note", "tweet", "tweets", "interview", "speech",
    "testimony", "announcement", "communication", "message", "email", "op-ed", "line",
    "words", "pledge", "promise", "claim", "claims", "vow", "warning", "quip", "mantra",
    "manifesto", "keynote", "presentation", "assertion", "argument", "view", "views",
    "position", "stance", "declaration", "thread", "video", "response", "reply", "answer",
    "prediction", "admission", "assurance", "insistence", "motto", "slogan",
    "article", "piece", "paper", "book", "report", "filing",
})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
COMPANY_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
AUTHOR_PRONOUNS = frozenset({"i", "we", "me", "us", "my", "our", "you", "your"})

# Words that introduce a person ("analyst Jane Doe", "Mr. Doe").
PERSON_TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "professor", "sen", "senator", "rep", "gov", "governor",
    "president", "minister", "analyst", "economist", "judge", "justice", "secretary",
    "chancellor", "mayor", "chief", "ceo", "founder", "investor", "lawyer", "attorney",
    "spokesman", "spokeswoman", "spokesperson", "director", "commissioner", "chairman",
    "chairwoman", "coach", "general", "gen", "lt", "col", "sgt", "officer", "author",
    "journalist", "reporter", "researcher", "scientist", "historian", "expert",
})
# Capitalised words that mark an organisation, not a person.
ORG_SUFFIXES = frozenset({
    "inc", "corp", "corporation", "co", "ltd", "llc", "plc", "group", "holdings", "bank",
    "technologies", "technology", "labs", "lab", "times", "news", "post", "journal",
    "university", "institute", "foundation", "association", "agency", "department",
    "ministry", "council", "commission", "company", "capital", "partners", "research",
    "systems", "motors", "airlines", "media", "network", "press", "reuters", "herald",
    "tribune", "gazette", "telegraph", "guardian", "wire", "party", "court", "office",
    "board", "service", "services", "authority", "police", "union", "committee", "fund",
    "school", "college", "club", "team", "center", "centre", "bureau", "reserve",
})
# Capitalised words that start a sentence but never start a name.
NOT_NAME_STARTS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "for", "but", "and",
    "as", "if", "when", "while", "after", "before", "last", "next", "its", "his", "her",
    "their", "our", "my", "meanwhile", "however", "still", "yet", "so", "then", "now", "since",
    "with", "without", "from", "by", "of", "to", "per", "during", "under", "over", "despite",
    "although", "though", "because", "why", "how", "what", "who", "where", "there", "here",
    "it", "he", "she", "they", "we", "i", "you", "one", "some", "many", "most", "all", "each",
    "every", "both", "no", "not", "also", "even", "just", "only", "already", "earlier",
    "later", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december", "according", "asked",
    "about", "again", "ah", "oh", "yes", "well", "indeed", "instead", "like", "unlike",
    "almost", "nearly", "around", "across", "among", "into", "onto", "upon",
})


_WORD_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")
# Cue forms that are mostly nouns in news text ("the state", "the Washington Post",
# "questions") do not by themselves send a sentence to the parser.
_NOUN_LIKE_FORMS = frozenset({
    "state", "states", "post", "posts", "blog", "blogs", "question", "questions", "note", "call",
    "point", "figure", "figures", "comment", "answer", "answers", "reply", "signal", "estimate",
    "estimates", "forecast", "forecasts", "demand", "remark", "tweet", "promise", "pledge", "vow",
    "joke", "guess", "hope", "find", "report", "claim", "record", "add", "rule", "rules", "counter",
    "concern", "respond", "advocate", "champion", "champions", "welcome",
    "support", "express", "voice", "voices", "slam", "blast", "reject", "defend",
    "show", "shows",
})
_CUE_WORDS = ((frozenset(ALL_CUE_FORMS) - _NOUN_LIKE_FORMS) | TITLE_CUES
              | {"reportedly", "rumored", "rumoured", "understood", "poised", "slated", "scheduled"})
_ANAPHOR_WORDS = (frozenset({"he", "she", "his", "her", "it", "its", "they", "their"})
                  | COMPANY_NOUNS | ROLE_NOUNS | SOURCE_NOUNS | SOURCE_PEOPLE)


def words_of(text: str) -> frozenset[str]:
    """The lower-cased words of a text (a set lookup beats one huge regex)."""
    return frozenset(_WORD_RE.findall(text.lower()))


# "made an announcement that ...", "issued a statement that ...": a light verb and a noun of saying
SPEECH_LIGHT_VERBS = frozenset({"make", "makes", "made", "making", "issue", "issues", "issued", "issuing",
                                "release", "releases", "released", "releasing", "publish", "published"})
CLAUSE_NOUNS = frozenset({"announcement", "statement", "pledge", "promise", "commitment", "declaration",
                          "assurance", "admission"})


def has_cue(words: frozenset[str]) -> bool:
    """Any reporting verb, "according to", a title cue ("entitled"), or a light verb with a noun of saying."""
    return (not _CUE_WORDS.isdisjoint(words) or ("according" in words and "to" in words)
            or (not SPEECH_LIGHT_VERBS.isdisjoint(words) and not CLAUSE_NOUNS.isdisjoint(words)))


def has_anaphor(words: frozenset[str]) -> bool:
    """Any word that may stand for a speaker named earlier (he, it, the company, executives)."""
    return not _ANAPHOR_WORDS.isdisjoint(words)


# --- narrated actions: what a company does, will do, stopped doing, plans or decided ----------------

_ACTION_IRREGULAR: dict[str, tuple[str, ...]] = {
    "begin": ("begin", "begins", "began", "begun", "beginning"),
    "bring": ("bring", "brings", "brought", "bringing"),
    "build": ("build", "builds", "built", "building"),
    "buy": ("buy", "buys", "bought", "buying"),
    "choose": ("choose", "chooses", "chose", "chosen", "choosing"),
    "cut": ("cut", "cuts", "cutting"),
    "keep": ("keep", "keeps", "kept", "keeping"),
    "lay": ("lay", "lays", "laid", "laying"),
    "leave": ("leave", "leaves", "left", "leaving"),
    "let": ("let", "lets", "letting"),
    "pay": ("pay", "pays", "paid", "paying"),
    "quit": ("quit", "quits", "quitting"),
    "run": ("run", "runs", "ran", "running"),
    "sell": ("sell", "sells", "sold", "selling"),
    "shut": ("shut", "shuts", "shutting"),
    "spend": ("spend", "spends", "spent", "spending"),
    "stick": ("stick", "sticks", "stuck", "sticking"),
    "withdraw": ("withdraw", "withdraws", "withdrew", "withdrawn", "withdrawing"),
    "overturn": ("overturn", "overturns", "overturned", "overturning"),
}
_ACTION_DOUBLING = {"drop", "scrap", "ban", "ship", "plan", "stop", "commit", "opt", "axe", "cap", "quit",
                    "sunset", "step"}
# Verbs of deciding and planning ("Acme decided to ...", "plans to ..."): in any tense.
PLAN_LEMMAS = frozenset({
    "plan", "decide", "intend", "aim", "choose", "opt", "vote", "approve", "commit", "resolve", "move", "seek",
    "prepare", "consider", "weigh", "explore", "mull", "try", "attempt", "refuse", "decline", "begin", "start",
    "continue", "apply",
})
# Verbs of changing what one does (starting, stopping, reversing, keeping): in any tense.
CHANGE_LEMMAS = frozenset({
    "launch", "introduce", "adopt", "resume", "return", "restore", "reinstate", "expand", "extend", "unveil",
    "debut", "roll", "switch", "shift", "convert", "replace", "change", "revise", "alter", "overhaul", "rewrite",
    "relicense", "embrace", "join", "rebrand", "impose", "mandate", "hike", "increase", "double",
    "stop", "end", "drop", "abandon", "scrap", "cancel", "halt", "pause", "suspend", "discontinue", "phase",
    "withdraw", "pull", "exit", "quit", "retreat", "reverse", "revert", "abolish", "eliminate", "remove",
    "delete", "ban", "prohibit", "block", "restrict", "limit", "terminate", "kill", "ditch", "shelve", "axe",
    "retire", "sunset", "lift", "relax", "loosen", "ease", "tighten", "walk", "wind", "step", "cut", "reduce", "lower",
    "slash", "curb", "cap", "freeze", "delay", "postpone", "forgo", "waive", "rescind", "revoke", "retract",
    "overturn", "unwind", "divest", "dismantle", "disband", "exclude", "deprioritize", "deprioritise",
    "keep", "remain", "stay", "retain", "stick", "preserve", "uphold", "renew", "bring", "scale",
    "reopen", "restart", "reintroduce", "relaunch", "revive", "rejoin", "reenter", "idle",
})
# Particles that make an action verb a verb of speaking ("weighed in on the controversy").
SPEAKING_PARTICLES: dict[str, frozenset[str]] = {"weigh": frozenset({"in"}), "step": frozenset({"up"})}
# Verbs that are an action only with their particle ("brought back", "rolled out", "wound down").
ACTION_PARTICLES: dict[str, frozenset[str]] = {
    "bring": frozenset({"back"}), "walk": frozenset({"back"}), "roll": frozenset({"back", "out"}),
    "wind": frozenset({"down"}), "phase": frozenset({"out", "in"}), "scale": frozenset({"back", "down"}),
    "step": frozenset({"back", "away", "down"}),
    # "make X available / free / mandatory / optional": a decision; "make" alone is too general
    "make": frozenset({"available", "unavailable", "free", "mandatory", "optional", "public", "private"}),
}
# What a company decides, offers or enforces (not rules and bans, as often a regulator's): as the
# subject of a change with no possessor ("the update will not be moving forward", "that target
# will now be one-third"), the doing of the company named just before.
PLAN_NOUNS = frozenset({
    "plan", "plans", "policy", "policies", "requirement", "requirements", "target", "targets", "goal",
    "goals", "programme", "programmes", "program", "programs", "scheme", "schemes", "initiative",
    "initiatives", "proposal", "proposals", "update", "updates", "change", "changes", "fee", "fees",
    "surcharge", "charge", "charges", "tier", "tiers", "ambition", "ambitions", "strategy", "deadline",
    "subscription", "subscriptions", "feature", "features", "pledge", "pledges", "commitment", "commitments",
})
_PLAN_SUBJECT_RE = re.compile(r"^\W*(?:(?:the|that|this|these|those|its|their)\s+(?:[\w-]+\s+){0,2}?)?(?:"
                              + "|".join(sorted(PLAN_NOUNS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def opens_with_plan(sentence: str) -> bool:
    """'That target will now be ...', 'The original pledge was removed ...': a sentence about a plan
    named before (its topic is the previous sentence's)."""
    return _PLAN_SUBJECT_RE.match(sentence) is not None


# Verbs of doing: a standing practice in the present ("Acme charges ..."), a future or a negation ("will
# no longer offer", "does not sell"), not a plain past ("Acme offered ... in 2016" narrates history).
DOING_LEMMAS = frozenset({
    "offer", "provide", "allow", "permit", "let", "enable", "open", "release", "publish", "deploy", "implement",
    "require", "charge", "create", "establish", "ship", "update", "adjust", "modify", "tweak", "license",
    "sign", "fund", "donate", "invest", "spend", "pay", "hire", "build", "develop", "buy", "acquire",
    "sponsor", "partner", "accept", "collect", "share", "store", "track", "scan", "encrypt", "train", "sue",
    "fight", "resist", "challenge", "back", "support", "run", "operate", "use", "sell", "close", "shut",
    "leave", "honor", "honour", "lay", "fire", "file", "make", "install",
})
ACTION_LEMMAS = PLAN_LEMMAS | CHANGE_LEMMAS | DOING_LEMMAS


def _action_forms(lemma: str) -> tuple[str, ...]:
    if lemma in _ACTION_IRREGULAR:
        return _ACTION_IRREGULAR[lemma]
    if lemma in _ACTION_DOUBLING and not lemma.endswith("e"):
        stem = lemma + lemma[-1]
        return (lemma, lemma + "s", stem + "ed", stem + "ing")
    if lemma.endswith("ee"):
        return (lemma, lemma + "s", lemma + "d", lemma + "ing")
    if re.search(r"[^aeiou][aeiou]l$", lemma):  # British doubling: "cancelled", "cancelling"
        return (*inflections(lemma), lemma + "led", lemma + "ling")
    return inflections(lemma)


# A reporting verb makes a frame, never an action ("maintain", "agree" are both).
_REPORTING_LEMMAS = CLAUSE_CUE_LEMMAS | OBJECT_CUE_LEMMAS | XCOMP_CUE_LEMMAS | set(PREP_CUES)
ACTION_FORMS: dict[str, str] = {form: lemma for lemma in ACTION_LEMMAS - _REPORTING_LEMMAS
                                for form in _action_forms(lemma)}


BINDING_AUXILIARIES = frozenset({"will", "'ll", "’ll", "shall", "should", "must"})  # a plan, not a guess


def has_action_word(words: frozenset[str]) -> bool:
    """Any form of a verb of doing, deciding or planning, "no longer", or a state a decision leaves
    said of a future ("will be available") (a cheap test before parsing)."""
    return (not ACTION_FORMS.keys().isdisjoint(words) or ("longer" in words and "no" in words)
            or (not ACTION_PARTICLES["make"].isdisjoint(words) and not BINDING_AUXILIARIES.isdisjoint(words)))
