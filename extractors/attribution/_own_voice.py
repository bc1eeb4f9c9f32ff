"""The company's own voice: an article published on one of a company's own
sites (its blog, newsroom, policy pages) is the company speaking.

A site is the company's when its host is listed in the entity's `sites`
(a host covers its subdomains; "acme.com/newsroom" covers that path), or, by
default, when the host's registered name is the company's name or an alias:
blog.acme.com and acme.co.uk for "Acme", acmerail.com and acme-rail.com for
"Acme Rail", a brand top-level domain such as blog.acme. Registered names are
found with a small built-in list of second-level suffixes (co.uk, com.au, ...);
nothing is downloaded.

Each sentence of such an article becomes an attribution of kind "own", the
company as speaker, except sentences holding a quotation (someone's quoted
words: the frames say whose) and headings of fewer than four words.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from extractors.attribution._find import Attribution
from extractors.attribution._parse import trim_span
from extractors.attribution._text import scan_quotes, split_paragraphs, split_sentences
from storage.records import Entity, Watchlist

__all__ = ["OWN_VOICE", "own_voice", "site_host", "site_owner"]

OWN_VOICE = 0.9  # as sure as a named speaker: the publisher is known
_MIN_WORDS = 4
# Second-level labels under a country code that are not the registrant's name (acme.co.uk, acme.com.au).
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "ltd", "plc", "ne", "or", "go", "gob",
                           "nic", "mil", "biz", "info", "gen", "firm", "ind", "nom", "sch"})
_LEGAL_SUFFIXES = frozenset({"inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "group",
                             "holdings", "holding", "sa", "ag", "se", "nv", "bv", "gmbh", "spa", "ab", "asa", "oyj",
                             "kk", "pty", "lp", "llp"})
_LEADING_ARTICLES = frozenset({"the"})
_WORD_RE = re.compile(r"[a-z0-9]+")


def site_owner(url: str | None, watchlist: Watchlist) -> Entity | None:
    """The watched company whose own site published `url`, if any (listed sites first)."""
    host, path = _host_and_path(url)
    if not host:
        return None
    for entity in watchlist.entities:
        if any(_covers(site, host, path) for site in entity.sites):
            return entity
    label, top = _registered_label(host)
    for entity in watchlist.entities:
        keys = _name_keys(entity)
        if label in keys or (top in keys and len(top) > 3):
            return entity
    return None


def own_voice(text: str, entity: Entity, host: str) -> list[Attribution]:
    """Every statement-like sentence of the company's own article, in its voice."""
    paragraphs = split_paragraphs(text)
    quotes = scan_quotes(text, paragraphs)
    found = []
    for sentence in split_sentences(text, paragraphs, quotes):
        if any(q.is_statement_sized and sentence.start <= q.start < sentence.end for q in quotes):
            continue
        span = trim_span(text, sentence.start, sentence.end)
        if span is None or len(text[span[0]:span[1]].split()) < _MIN_WORDS:
            continue
        start, end = span
        found.append(Attribution(entity.id, entity.name, entity.name, "company", text[start:end], start, end,
                                 f"published on {host}", "own", OWN_VOICE))
    return found


def site_host(url: str | None) -> str:
    return _host_and_path(url)[0]


def _host_and_path(url: str | None) -> tuple[str, str]:
    if not url:
        return "", ""
    parts = urlsplit(url if "://" in url else f"//{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path.strip("/").lower()


def _covers(site: str, host: str, path: str) -> bool:
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", site.lower())
    listed, _, site_path = bare.partition("/")
    listed = listed.removeprefix("www.")
    if host != listed and not host.endswith("." + listed):
        return False
    site_path = site_path.strip("/")
    return not site_path or path == site_path or path.startswith(site_path + "/")


def _registered_label(host: str) -> tuple[str, str]:
    """('acme', 'uk') for news.acme.co.uk: the registrant's label (hyphens dropped) and the top-level one."""
    labels = host.split(".")
    if len(labels) < 2:
        return "", labels[0] if labels else ""
    k = len(labels) - 2
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        k = len(labels) - 3
    return labels[k].replace("-", ""), labels[-1]


@functools.lru_cache(maxsize=1024)
def _name_keys(entity: Entity) -> frozenset[str]:
    """'Acme Rail Ltd' -> {'acmerailltd', 'acmerail'}: a name's words run together, with and without a legal suffix."""
    keys: set[str] = set()
    for name in entity.names:
        for spelled in (name.lower(), name.lower().replace("&", " and ")):  # PG&E: pge.com or pgande.com
            words = _WORD_RE.findall(spelled)
            while words and words[0] in _LEADING_ARTICLES:
                words = words[1:]
            keys.update(key for key in ("".join(words), "".join(_without_legal_suffixes(words))) if len(key) >= 2)
    return frozenset(keys)


def _without_legal_suffixes(words: list[str]) -> list[str]:
    trimmed = list(words)
    while len(trimmed) > 1 and trimmed[-1] in _LEGAL_SUFFIXES:
        trimmed.pop()
    return trimmed
