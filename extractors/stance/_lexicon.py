"""Word classes the stance rules read: stopwords, determiners, clause words, the words
that stop a scope, and the matcher every phrase list is compiled with.

The rules themselves (phrases, effects, scopes) are one table, in ``_table``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "compile_phrases",
    "lowered",
    "ACTOR_WORDS",
    "AUXILIARY_WORDS",
    "FINITE_AUXILIARIES",
    "LIGHT_VERBS",
    "ANAPHORS",
    "BE_FORMS",
    "CLAUSE_WORDS",
    "COMMON_WORDS",
    "COORDINATORS",
    "DETERMINERS",
    "POLICY_NOUNS",
    "FROM_SHIFT_STOPS",
    "INTRANSITIVE_NEXT",
    "RELATIVE_WORDS",
    "REPLACE_STOPS",
    "STOPWORDS",
    "SUBJECT_PRONOUNS",
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


# "shift from X to Y" and "replace X with Y": the words where the left part ends.
FROM_SHIFT_STOPS = frozenset({"to", "toward", "towards", "into", "for"})
REPLACE_STOPS = frozenset({"with", "by", "for"})
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
# Nouns of a company's plan or policy: a keyword ending in one names the topic's policy ("open-door
# policy"); a definite one a change acts on stands for the plan named before ("the pledge was removed").
POLICY_NOUNS = frozenset({
    "policy", "policies", "programme", "programmes", "program", "programs", "scheme", "initiative", "pledge",
    "pledges", "commitment", "commitments", "goal", "goals", "target", "targets", "plan", "plans", "ambition",
    "promise",
})
# Words that end a clause (scope of negation and change verbs stops there).
CLAUSE_WORDS = frozenset({
    "but", "while", "although", "though", "whereas", "however", "yet", "because", "unless",
    "meanwhile", "nevertheless", "nonetheless", "after", "since", "due",  # "due to": a cause, its own clause
})
# Before a proposition's main verb: "Acme will ...", "Acme plans to ...", "Acme keeps selling ...".
AUXILIARY_WORDS = frozenset("""
will would shall should can could may might must is are was were be been being has have had does did
do not no never still now also always already plans plan aims aim intends intend wants want hopes
expects seeks keeps keep continues continue starts start begins begin stops remains
""".split())
# Verbs too general to name a topic on their own ("Acme runs a programme", "offers access").
LIGHT_VERBS = frozenset("""
run make have get take give keep let use offer provide put set go come see hold bring say show find work
help turn move stay remain allow support require need try back lets runs makes gets takes gives uses
offers provides puts sets goes comes sees holds brings says shows finds works helps turns moves stays
remains allows supports requires needs tries backs
""".split())
# Words too common to mark a topic by themselves or in a pair.
COMMON_WORDS = frozenset("""
like likes liked people person year years time times way ways day days new old good great many much well
thing things part place world company companies group number level lot kind sort
""".split())
# "and we expect ...": a coordinator before a new subject starts a new clause.
COORDINATORS = frozenset({"and", "or", "so", "then"})
SUBJECT_PRONOUNS = frozenset({"we", "they", "he", "she", "i", "you"})
# "we are not charging X and will not ...": a coordinator before a finite auxiliary starts a new clause
# whose subject is left out (its negation is its own).
FINITE_AUXILIARIES = frozenset({"will", "would", "shall", "should", "can", "could", "must", "has", "have", "had",
                                "is", "are", "was", "were", "does", "did"})
STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as is are was were be been being it its
this that these those their our his her they we he she you i them us him me my your than then so
not no do does did has have had will would shall should can could may might must most more less
very also just into over under about which who whom whose what when where why how all any each
such own same other some only both either neither nor too up down out off again further once
""".split())
