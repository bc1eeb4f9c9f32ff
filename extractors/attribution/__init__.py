"""Attribution: who said what in an article (quotes, reporting verbs, speakers, roles, pronouns)."""

from extractors.attribution._find import (
    Attribution,
    find_attributions,
    find_attributions_many,
)
from extractors.attribution._nlp import MODEL_NAMES, NlpUnavailable, load_nlp
from extractors.attribution._text import (
    Sentence,
    scan_quotes,
    split_paragraphs,
    split_sentences,
)

__all__ = [
    "MODEL_NAMES",
    "Attribution",
    "NlpUnavailable",
    "Sentence",
    "find_attributions",
    "find_attributions_many",
    "load_nlp",
    "scan_quotes",
    "split_paragraphs",
    "split_sentences",
]
