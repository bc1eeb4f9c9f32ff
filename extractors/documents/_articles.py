"""From a fetched or local document to an ``Article``: main text and metadata.

HTML is parsed once from its raw bytes (trafilatura detects the encoding) and
read by up to three trafilatura passes: precision first (the best single
choice: mean token F1 0.970 on the 181 shared pages, 0.964 on newspaper4k's 23
test pages, against 0.956 and 0.922 for bare ``bare_extraction``), then the
defaults, then recall, each only while the text so far is too little (see
``TOO_LITTLE_SHARE``). Dates use htmldate's extensive search, as bare
trafilatura does. Figures: tests/bench/bench_extraction.py; the gap is kept
closed by tests/test_extraction_fallback.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from extractors.documents._timestamps import parse_timestamp
from storage.records import Article, RawDocument

__all__ = ["ExtractionError", "canonical_url", "extract_article"]

MAX_HTML_BYTES = 20_000_000  # trafilatura needs ~37 s and 1.2 GB for a 23 MB page

_TITLE_CHARS = 300


class ExtractionError(ValueError):
    """No article could be read from the document."""


# --- canonical URLs ---------------------------------------------------------------

_TRACKING_PREFIXES = ("utm_", "hsa_", "amp_", "__amp", "mtm_")
_TRACKING_KEYS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc",
        "_hsmi", "mkt_tok", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "wickedid",
        "s_cid", "ocid", "cmpid", "cmp", "ncid", "smid", "smtyp", "sr_share", "ito", "spm",
        "soc_src", "soc_trk", "wt.mc_id", "__twitter_impression", "guccounter",
        "guce_referrer", "guce_referrer_sig", "usqp", "ref", "ref_src", "ref_url",
        "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content", "pk_cid",
        "at_medium", "at_campaign",
        "amp",  # ?amp, ?amp=1: the AMP rendering of the same page
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")


def _is_tracking(pair: str) -> bool:
    key, _, value = pair.partition("=")
    key = key.lower()
    if key == "outputtype":
        return value.lower() == "amp"
    return key in _TRACKING_KEYS or key.startswith(_TRACKING_PREFIXES)


def _upper_escapes(text: str) -> str:
    return _PERCENT.sub(lambda m: m.group(0).upper(), text)


def _canonical_host(hostname: str) -> str:
    host = hostname.lower().rstrip(".")
    labels = host.split(".")
    if len(labels) >= 3 and labels[0] == "amp":  # amp.site.com serves www.site.com's pages
        return "www." + ".".join(labels[1:])
    return host


def _canonical_path(path: str) -> str:
    segments = [s for s in path.split("/") if s.lower() != "amp"] if path else []
    if segments and segments[-1].lower().endswith(".amp"):
        segments[-1] = segments[-1][: -len(".amp")]
    elif segments and segments[-1].lower().endswith(".amp.html"):
        segments[-1] = segments[-1][: -len(".amp.html")] + ".html"
    joined = "/".join(segments)
    if not joined.startswith("/"):
        joined = "/" + joined
    return _upper_escapes(joined)


# /amp/s/news.example.com/story: the viewer format embeds the publisher's host (a dotted name) after /amp/
_AMP_VIEWER = re.compile(r"^/amp/(s/)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/", re.IGNORECASE)


def _unwrap_amp_cache(scheme: str, host: str, path: str) -> str | None:
    """The publisher's URL behind an AMP viewer URL (`/amp/s/<publisher host>/...` on a search engine's host)
    or an AMP cache URL, if any."""
    viewer = _AMP_VIEWER.match(path)
    if viewer and viewer.group(2).lower() != host:
        return ("https://" if viewer.group(1) else "http://") + path[viewer.start(2):]
    if host.endswith(".cdn.ampproject.org"):
        match = re.match(r"^/[a-z]/(s/)?(.+)$", path)
        if match:
            return ("https://" if match.group(1) else "http://") + match.group(2)
    return None


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, no
    fragment, no tracking or AMP parameters, AMP paths and hosts folded into the
    plain page, remaining query parameters sorted. Path case is kept, and
    nothing a server could treat differently (index.html, trailing slashes) is
    touched. Non-web URLs come back unchanged.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text
    unwrapped = _unwrap_amp_cache(scheme, parts.hostname.lower(), parts.path)
    if unwrapped:
        query = f"?{parts.query}" if parts.query else ""
        return canonical_url(unwrapped + query)
    host = _canonical_host(parts.hostname)
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    pairs = [p for p in parts.query.split("&") if p and not _is_tracking(p)]
    query = "&".join(sorted(_upper_escapes(p) for p in pairs))
    return urlunsplit((scheme, netloc, _canonical_path(parts.path), query, ""))


# --- text documents -------------------------------------------------------------


def _normalise_text(text: str) -> str:
    """Whitespace collapsed inside lines, at most one blank line between paragraphs."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)


def _first_line(text: str) -> str | None:
    """The first line as a title; a paragraph-long line is cut at a word."""
    line = text.split("\n", 1)[0].strip()
    if len(line) <= _TITLE_CHARS:
        return line or None
    return line[:_TITLE_CHARS].rsplit(" ", 1)[0] + " …"


def _article_from_text(doc: RawDocument, text: str) -> Article:
    return Article(
        url=canonical_url(doc.url),
        text=text,
        title=doc.title or _first_line(text),
        published_at=parse_timestamp(doc.published),
        source_id=doc.source_id,
        original_url=doc.url,
    )


# --- HTML documents -------------------------------------------------------------

# trafilatura passes, most precise first. Precision mode is the best single
# choice on both measured page sets but sometimes keeps only a fragment of the
# article (or nothing), so a later pass is tried while the text so far is short.
@dataclass(frozen=True)
class _Pass:
    favor_precision: bool = False
    favor_recall: bool = False


_PASSES = (_Pass(favor_precision=True), _Pass(), _Pass(favor_recall=True))  # _Pass(): trafilatura's defaults
# "Too little": under this share of what the next pass finds. Measured on the
# 181 shared pages and the 23 newspaper4k pages (tests/bench/bench_extraction.py):
# mean F1 is flat for shares from 0.1 to 0.25; precision wins at 0.28 of the
# default's length, gives up at 0.08.
TOO_LITTLE_SHARE = 0.2
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def _date_params() -> dict[str, object]:
    # The extensive htmldate search, as bare trafilatura does: the cheap one
    # (extensive_search=False) saved 0.08 ms a page and, looking only at some
    # tags, took a related story's date on 1 of 16 dated pages of the second set.
    return {
        "extensive_search": True,
        "original_date": True,
        "max_date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def _visible_chars(tree: HtmlElement) -> int:
    """Characters of text a reader could see: no pass finds more."""
    total = 0
    for element in tree.iter():
        if element.text and isinstance(element.tag, str) and element.tag not in _INVISIBLE:
            total += len(element.text.strip())
        if element.tail and element.getparent() is not None:
            total += len(element.tail.strip())
    return total


@dataclass(frozen=True)
class _Found:
    text: str
    metadata: Document | None  # from the first pass that read the page


def _run_pass(tree: HtmlElement, url: str | None, options: _Pass, with_metadata: bool) -> Document | None:
    found = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        include_comments=False,
        with_metadata=with_metadata,
        date_extraction_params=_date_params(),
    )
    return found if isinstance(found, Document) else None


def _extract(tree: HtmlElement, url: str | None) -> _Found:
    """Main text and metadata: the next pass runs only while the text so far is nothing, or too
    little for the page and the last pass improved on the one before (when the defaults agree
    with precision, recall never found five times as much on either page set)."""
    text, metadata, visible, improved = "", None, None, True
    for options in _PASSES:
        if text:
            visible = _visible_chars(tree) if visible is None else visible
            if not improved or len(text) >= TOO_LITTLE_SHARE * visible:
                break  # no later pass can find five times as much
        found = _run_pass(tree, url, options, with_metadata=metadata is None)
        candidate = _normalise_text(found.text or "") if found is not None else ""
        metadata = metadata or found
        improved = len(text) < TOO_LITTLE_SHARE * len(candidate)
        if improved:
            text = candidate
    return _Found(text, metadata)


_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def _html_language(body: bytes) -> str | None:
    """The primary language subtag of ``<html lang=...>`` ("en" for "en-US")."""
    match = _HTML_LANG.search(body[:16384])
    return match.group(1).decode("ascii").lower() if match else None


def _is_web(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in _DEFAULT_PORTS


def _article_url(doc: RawDocument, page_url: str | None) -> str:
    # A page saved to disk still names its web address (canonical link, og:url):
    # prefer it to file://, so the archive links to the web and deduplicates.
    if page_url is not None and not _is_web(doc.url) and _is_web(page_url):
        return canonical_url(page_url)
    return canonical_url(doc.url)


def _parse(body: bytes) -> HtmlElement:
    if len(body) > MAX_HTML_BYTES:
        raise ExtractionError(f"page is larger than {MAX_HTML_BYTES} bytes")
    try:
        tree = load_html(body)  # once, for every pass (trafilatura decodes the bytes)
    except Exception as exc:  # lxml on hostile markup
        raise ExtractionError(f"cannot parse the page: {type(exc).__name__}: {exc}") from exc
    if tree is None:
        raise ExtractionError("no article text found")
    return tree


def _article_from_html(doc: RawDocument, body: bytes) -> Article:
    tree = _parse(body)
    try:
        found = _extract(tree, doc.url if _is_web(doc.url) else None)
    except Exception as exc:  # trafilatura/lxml on hostile markup
        raise ExtractionError(f"cannot parse the page: {type(exc).__name__}: {exc}") from exc
    meta = found.metadata
    if not found.text or meta is None:
        raise ExtractionError("no article text found")
    return Article(
        url=_article_url(doc, meta.url),
        text=found.text,
        title=doc.title or meta.title or None,
        author=meta.author or None,
        site_name=meta.sitename or None,
        published_at=parse_timestamp(doc.published) or parse_timestamp(meta.date),
        source_id=doc.source_id,
        original_url=doc.url,
        language=getattr(meta, "language", None) or _html_language(body),
    )


def extract_article(doc: RawDocument) -> Article:
    """The article in ``doc``: given plain text as is, else the main text of its HTML.

    The date given with the document (feed, JSONL) beats the page's own metadata.
    ``ExtractionError`` when there is no article text.
    """
    if doc.text is not None and doc.text.strip():
        return _article_from_text(doc, _normalise_text(doc.text))
    if doc.body:
        return _article_from_html(doc, doc.body)
    raise ExtractionError("no article text found")
