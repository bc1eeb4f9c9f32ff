"""Links from feeds (RSS, Atom, JSON Feed) and sitemaps (incl. news sitemaps).

Parsers take bytes already fetched; they never touch the network. Links are
resolved against the feed's URL and dates come back as UTC datetimes.
"""

from __future__ import annotations

import html
import io
import json
import re
import zlib
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

from extractors.documents._streams import TooLarge, inflate_capped, is_gzip
from extractors.documents._timestamps import parse_timestamp
from storage.records import FeedEntry

__all__ = ["FeedError", "Sitemap", "detect_kind", "parse_feed", "parse_sitemap"]

BodyKind = Literal["feed", "sitemap", "html"]

_MAX_INFLATED = 64 * 1024 * 1024  # a gzipped sitemap may hold 50 MB (the protocol's limit)
_HEAD_BYTES = 8192
_SUMMARY_CHARS = 1000  # summaries are often the whole article; a teaser is enough
_TAG = re.compile(r"<[^>]*>")
_ROOT = re.compile(rb"<([A-Za-z_][\w:.\-]*)")
_HTML_MARK = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


class FeedError(ValueError):
    """The body is not a feed or sitemap this module can read."""


@dataclass(frozen=True)
class Sitemap:
    entries: tuple[FeedEntry, ...]
    children: tuple[str, ...]  # sitemaps listed by a sitemap index


# --- bytes ---------------------------------------------------------------------


def _inflate(body: bytes) -> bytes:
    """``body`` itself, or its gunzipped content when it is a gzip file (capped stream)."""
    if not is_gzip(body):
        return body
    try:
        return inflate_capped(body, _MAX_INFLATED, "inflated feed")
    except TooLarge as exc:
        raise FeedError(str(exc)) from exc
    except zlib.error as exc:
        raise FeedError(f"broken gzip data: {exc}") from exc


def _head(body: bytes) -> bytes:
    return body[:_HEAD_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")


def _skip_prolog(head: bytes) -> bytes:
    """``head`` from its first element, past declarations, comments and doctypes."""
    rest = head.lstrip()
    for opener, closer in ((b"<?", b"?>"), (b"<!--", b"-->"), (b"<!", b">")):
        if rest.startswith(opener):
            end = rest.find(closer, len(opener))
            return b"" if end < 0 else _skip_prolog(rest[end + len(closer) :])
    return rest


def _root_name(head: bytes) -> str | None:
    match = _ROOT.match(_skip_prolog(head))
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower() if match else None


def detect_kind(body: bytes) -> BodyKind:
    """Sniff whether ``body`` is a feed, a sitemap or (anything else) an HTML page; never raises."""
    try:
        head = _head(_inflate(body))
    except FeedError:  # broken or oversized gzip: not something we can read as a feed
        return "html"
    if head.startswith(b"{"):
        return "feed"  # JSON Feed
    root = _root_name(head)
    if root in ("rss", "feed", "rdf"):
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap"
    return "html"


# --- small text helpers -----------------------------------------------------------


def _plain(text: str | None) -> str | None:
    """Markup stripped, entities decoded, whitespace collapsed; None when empty."""
    if not text:
        return None
    cleaned = " ".join(html.unescape(_TAG.sub(" ", text)).split())
    return cleaned or None


def _clean(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    return " ".join(text.split()) or None


def _web_link(base_url: str, link: object) -> str | None:
    """``link`` resolved against ``base_url`` if it is an http(s) URL, else None."""
    if not isinstance(link, str) or not link.strip():
        return None
    resolved = urljoin(base_url, link.strip())
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def _unique(entries: list[FeedEntry]) -> list[FeedEntry]:
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            kept.append(entry)
    return kept


# --- RSS / Atom (feedparser) -------------------------------------------------------


def _entry_link(entry: Any) -> str | None:
    if entry.get("link"):
        return entry["link"]
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    guid = entry.get("id")
    if entry.get("guidislink") or (isinstance(guid, str) and guid.startswith(("http://", "https://"))):
        return guid
    return None


def _entry_published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _teaser(text: str | None) -> str | None:
    if text is None or len(text) <= _SUMMARY_CHARS:
        return text
    return text[:_SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _entry_text(entry: Any, key: str, limit: int | None = None) -> str | None:
    value = entry.get(key)
    if isinstance(value, str) and limit is not None:
        value = value[: limit * 4]  # markup is stripped from a bounded prefix only
    detail = entry.get(f"{key}_detail") or {}
    text = _plain(value) if "html" in str(detail.get("type", "")) else _clean(value)
    return _teaser(text) if limit is not None else text


def _entry_author(entry: Any) -> str | None:
    if entry.get("author"):
        return _clean(entry["author"])
    for author in entry.get("authors", []):
        if author.get("name"):
            return _clean(author["name"])
    return None


def _short_reason(exc: object) -> str:
    reason = str(exc).removeprefix("<unknown>:") or type(exc).__name__
    return reason[:200]


def _parse_xml_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    # A BytesIO, because feedparser treats a bytes argument first as a file name.
    # No response_headers: without a content type feedparser flags every feed bozo;
    # relative links are resolved against base_url below instead.
    parsed = feedparser.parse(
        io.BytesIO(body),
        sanitize_html=False,  # entries are links, their HTML is never rendered
        resolve_relative_uris=False,
    )
    entries = []
    for entry in parsed.entries:
        url = _web_link(base_url, _entry_link(entry))
        if url is None:
            continue
        entries.append(
            FeedEntry(
                url=url,
                title=_entry_text(entry, "title"),
                published=_entry_published(entry),
                author=_entry_author(entry),
                summary=_entry_text(entry, "summary", limit=_SUMMARY_CHARS),
            )
        )
    if not entries:
        if parsed.bozo:
            raise FeedError(f"not a well-formed feed: {_short_reason(parsed.get('bozo_exception'))}")
        if not parsed.version:
            raise FeedError("not a feed: no RSS, Atom or JSON Feed root element")
    return _unique(entries)


# --- JSON Feed -------------------------------------------------------------------


def _json_author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    for author in candidates:
        if isinstance(author, dict) and author.get("name"):
            return _clean(author["name"])
    return None


def _json_entry(item: object, base_url: str) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    url = _web_link(base_url, item.get("url") or item.get("external_url"))
    if url is None and isinstance(item.get("id"), str) and item["id"].startswith(("http://", "https://")):
        url = item["id"]
    if url is None:
        return None
    return FeedEntry(
        url=url,
        title=_clean(item.get("title")),
        published=parse_timestamp(item.get("date_published") or item.get("date_modified")),
        author=_json_author(item),
        summary=_teaser(_plain(item.get("summary"))),
    )


def _parse_json_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(f"not valid JSON: {_short_reason(exc)}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise FeedError("JSON without an 'items' list is not a JSON Feed")
    entries = [_json_entry(item, base_url) for item in document["items"]]
    return _unique([entry for entry in entries if entry is not None])


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """The entries of an RSS, Atom or JSON feed; ``FeedError`` when it is not one."""
    data = _inflate(body)
    head = _head(data)
    if not head.strip():
        raise FeedError("empty body")
    if head.startswith((b"{", b"[")):
        return _parse_json_feed(data, base_url)
    kind = detect_kind(data)
    if kind == "sitemap":
        raise FeedError("a sitemap, not a feed")
    if kind == "html" and _HTML_MARK.search(head):
        raise FeedError("an HTML page, not a feed")
    return _parse_xml_feed(data, base_url)


# --- sitemaps ---------------------------------------------------------------------


def _safe_parser() -> etree.XMLParser:
    # No entity expansion, no DTD, no network: a sitemap is untrusted input.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(parent: etree._Element, *path: str) -> str | None:
    """Text of the first descendant along ``path`` of local names (namespace-agnostic)."""
    current = parent
    for name in path:
        current = next((c for c in current if _local(c) == name), None)
        if current is None:
            return None
    return _clean(current.text)


def _sitemap_entry(url_element: etree._Element, base_url: str) -> FeedEntry | None:
    url = _web_link(base_url, _child_text(url_element, "loc"))
    if url is None:
        return None
    published = parse_timestamp(_child_text(url_element, "news", "publication_date"))
    return FeedEntry(
        url=url,
        title=_child_text(url_element, "news", "title"),
        published=published or parse_timestamp(_child_text(url_element, "lastmod")),
    )


def _text_sitemap(data: bytes, base_url: str) -> Sitemap | None:
    """The protocol's plain-text form: one URL a line."""
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines or not all(line.startswith(("http://", "https://")) for line in lines):
        return None
    urls = [_web_link(base_url, line) for line in lines]
    return Sitemap(entries=tuple(_unique([FeedEntry(url=u) for u in urls if u])), children=())


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """Pages of a urlset (news sitemaps too) or the children of a sitemap index.

    An RSS/Atom feed or a plain list of URLs, both allowed as sitemaps by the
    protocol, are read as well. ``FeedError`` for anything else.
    """
    data = _inflate(body)
    head = _head(data)
    if not head.startswith(b"<"):
        text = _text_sitemap(data, base_url)
        if text is not None:
            return text
        raise FeedError("not a sitemap: neither XML nor a list of URLs")
    if detect_kind(data) == "feed":
        return Sitemap(entries=tuple(parse_feed(data, base_url)), children=())
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not well-formed XML: {_short_reason(exc)}") from exc
    kind = _local(root) if root is not None else ""
    if kind == "sitemapindex":
        links = (_web_link(base_url, _child_text(s, "loc")) for s in root if _local(s) == "sitemap")
        return Sitemap(entries=(), children=tuple(dict.fromkeys(link for link in links if link)))
    if kind == "urlset":
        entries = (_sitemap_entry(u, base_url) for u in root if _local(u) == "url")
        return Sitemap(entries=tuple(_unique([e for e in entries if e])), children=())
    raise FeedError(f"not a sitemap: root element is <{kind or '?'}>, not <urlset> or <sitemapindex>")
