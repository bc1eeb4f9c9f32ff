"""Attribution: who said what in an article (quotes, reporting verbs, speakers, roles, pronouns)."""

from extractors.attribution._find import (
    Attribution,
    find_attributions,
    find_attributions_many,
)
from extractors.attribution._lexicon import opens_with_plan
from extractors.attribution._nlp import MODEL_NAMES, NlpUnavailable, load_nlp
from extractors.attribution._own_voice import OWN_VOICE, own_voice, site_host, site_owner
from extractors.attribution._text import (
    Sentence,
    scan_quotes,
    split_paragraphs,
    split_sentences,
)

__all__ = [
    "MODEL_NAMES",
    "OWN_VOICE",
    "Attribution",
    "NlpUnavailable",
    "Sentence",
    "find_attributions",
    "find_attributions_many",
    "load_nlp",
    "opens_with_plan",
    "own_voice",
    "scan_quotes",
    "site_host",
    "site_owner",
    "split_paragraphs",
    "split_sentences",
]
