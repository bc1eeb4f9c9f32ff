"""Feeds and sitemaps: the 200 real feeds in shared/data/feeds plus edge cases."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import html
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.documents import (
    FeedError,
    Sitemap,
    detect_kind,
    parse_feed,
    parse_sitemap,
)
from extractors.fetch import Fetcher, FetchSettings
from tests.support import MALFORMED_FEED, LocalHTTPServer, shared_path

FEED_FILES = sorted(shared_path("data", "feeds").glob("*.xml"))
BASE = "https://news.example.com/section/feed.xml"


def _is_web_url(url: str) -> bool:
    return url.startswith(("http://", "https://"))


# --- the real feeds -------------------------------------------------------------------


def test_every_shared_feed_parses_or_fails_cleanly() -> None:
    with_entries, failures = 0, []
    for path in FEED_FILES:
        try:
            entries = parse_feed(path.read_bytes(), f"https://feeds.example.org/{path.name}")
        except FeedError as exc:  # anything else fails the test
            failures.append(f"{path.name}: {exc}")
            continue
        with_entries += bool(entries)
        assert all(_is_web_url(e.url) for e in entries), path.name
        assert len({e.url for e in entries}) == len(entries), path.name
        for entry in entries:
            assert entry.published is None or entry.published.tzinfo == UTC, path.name
            assert entry.summary is None or len(entry.summary) <= 1002, path.name
    print(f"\n{with_entries} of {len(FEED_FILES)} shared feeds give at least one entry; FeedError: {failures}")
    assert len(FEED_FILES) == 200
    assert with_entries >= 0.98 * len(FEED_FILES)


def test_real_json_feed_is_read() -> None:
    json_feeds = [p for p in FEED_FILES if p.read_bytes().lstrip()[:1] == b"{"]
    assert json_feeds, "the shared feeds include a JSON Feed"
    for path in json_feeds:
        items = json.loads(path.read_bytes())["items"]
        entries = parse_feed(path.read_bytes(), "https://example.org/feed.json")
        assert [e.url for e in entries] == [i["url"] for i in items if i.get("url")]
        assert all(e.published is not None for e in entries)


# --- synthetic feeds -----------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example</title><link>https://news.example.com/</link>
<item><title>Relative &amp; dated</title><link>/2025/07/30/story.html</link>
  <pubDate>Wed, 30 Jul 2025 10:00:00 +0200</pubDate><author>desk@example.com (A. Writer)</author>
  <description>&lt;p&gt;The &lt;b&gt;teaser&lt;/b&gt; text.&lt;/p&gt;</description></item>
<item><title>No date</title><link>https://other.example.org/a?id=1</link></item>
<item><title>No link at all</title></item>
<item><title>Duplicate</title><link>/2025/07/30/story.html</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom example</title>
<entry><title type="html">A &lt;em&gt;styled&lt;/em&gt; title</title>
  <link rel="alternate" href="posts/one"/><updated>2025-07-15T08:30:00Z</updated>
  <author><name>Jo Reporter</name></author></entry>
</feed>"""


def test_rss_links_are_resolved_dates_utc_and_duplicates_dropped() -> None:
    entries = parse_feed(RSS, BASE)
    assert [e.url for e in entries] == [
        "https://news.example.com/2025/07/30/story.html",
        "https://other.example.org/a?id=1",
    ]
    first = entries[0]
    assert first.title == "Relative & dated"
    assert first.published == datetime(2025, 7, 30, 8, 0, tzinfo=UTC)
    assert first.summary == "The teaser text."
    assert first.author and "A. Writer" in first.author
    assert entries[1].published is None


def test_atom_relative_href_and_html_title() -> None:
    [entry] = parse_feed(ATOM, BASE)
    assert entry.url == "https://news.example.com/section/posts/one"
    assert entry.title == "A styled title"
    assert entry.published == datetime(2025, 7, 15, 8, 30, tzinfo=UTC)
    assert entry.author == "Jo Reporter"


def test_json_feed_items() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "J",
            "items": [
                {"id": "1", "url": "/a", "title": "A", "date_published": "2025-07-30T12:00:00-04:00",
                 "authors": [{"name": "Ann"}], "summary": "<p>Short</p>"},
                {"id": "https://example.com/b", "title": "B"},
                {"id": "no-url"},
            ],
        }
    ).encode()  # fmt: skip
    entries = parse_feed(body, BASE)
    assert [e.url for e in entries] == ["https://news.example.com/a", "https://example.com/b"]
    assert entries[0].published == datetime(2025, 7, 30, 16, 0, tzinfo=UTC)
    assert (entries[0].author, entries[0].summary) == ("Ann", "Short")


def test_gzipped_feed_is_read() -> None:
    assert parse_feed(gzip.compress(RSS), BASE) == parse_feed(RSS, BASE)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (MALFORMED_FEED, "not a well-formed feed"),
        (b"<!DOCTYPE html><html><head><title>x</title></head><body><p>Hi</p></body></html>", "HTML page"),
        (b"just some words, not markup", "not a"),
        (b"", "empty"),
        (b"{not json", "not valid JSON"),
        (b'{"title": "no items"}', "not a JSON Feed"),
        (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "sitemap"),
    ],
)
def test_what_is_not_a_feed_raises_feed_error(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(body, BASE)


def test_malformed_feed_fetched_from_a_server_raises_feed_error() -> None:
    async def get() -> bytes | None:
        async with Fetcher(FetchSettings(allow_private=True, timeout=5)) as fetcher:
            return (await fetcher.fetch(server.url("/malformed-feed"))).body

    with LocalHTTPServer() as server:
        body = asyncio.run(get())
    assert body == MALFORMED_FEED
    with pytest.raises(FeedError):
        parse_feed(body, server.url("/malformed-feed"))


def test_feed_bytes_that_look_like_a_path_are_not_opened(tmp_path: Path) -> None:
    # feedparser reads a bytes argument as a file name first; parse_feed must not.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS)
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode(), BASE)


# --- sitemaps --------------------------------------------------------------------------

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example.com/a.html</loc><lastmod>2025-07-01</lastmod></url>
  <url><loc>/relative/b.html</loc>
    <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2025-07-30T09:15:00+02:00</news:publication_date>
      <news:title>Company changes course</news:title></news:news>
    <lastmod>2025-08-02</lastmod></url>
  <url><lastmod>2025-07-01</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.com/sitemap-1.xml.gz</loc><lastmod>2025-07-30</lastmod></sitemap>
  <sitemap><loc>/sitemap-2.xml</loc></sitemap>
</sitemapindex>"""


def test_urlset_with_news_entries() -> None:
    sitemap = parse_sitemap(URLSET, "https://news.example.com/sitemap.xml")
    assert sitemap.children == ()
    first, second = sitemap.entries
    assert (first.url, first.published) == ("https://news.example.com/a.html", datetime(2025, 7, 1, tzinfo=UTC))
    assert second.url == "https://news.example.com/relative/b.html"
    assert second.title == "Company changes course"
    assert second.published == datetime(2025, 7, 30, 7, 15, tzinfo=UTC)  # publication date beats lastmod


def test_sitemap_index_lists_children_and_gzip_is_read() -> None:
    sitemap = parse_sitemap(gzip.compress(INDEX), "https://news.example.com/sitemap.xml")
    assert sitemap == Sitemap(
        entries=(),
        children=("https://news.example.com/sitemap-1.xml.gz", "https://news.example.com/sitemap-2.xml"),
    )


def test_sitemap_parser_expands_no_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY leak SYSTEM "{secret.as_uri()}"><!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.com/&leak;&c;</loc></url></urlset>""".encode()
    sitemap = parse_sitemap(body, "https://example.com/sitemap.xml")
    urls = " ".join(e.url for e in sitemap.entries)
    assert "TOP-SECRET" not in urls and "aaaaaaaaaa" not in urls


def test_text_and_feed_sitemaps() -> None:
    text = parse_sitemap(b"https://example.com/a\nhttps://example.com/b\n", "https://example.com/sitemap.txt")
    assert [e.url for e in text.entries] == ["https://example.com/a", "https://example.com/b"]
    feed = parse_sitemap(RSS, BASE)
    assert [e.url for e in feed.entries] == [e.url for e in parse_feed(RSS, BASE)]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body>not a sitemap</body></html>", "root element is <html>"),
        (b"plain words", "neither XML nor a list of URLs"),
        (b"\x00\x01binary", "neither XML nor a list of URLs"),
        (b"\x1f\x8b\x08\x00broken gzip", "broken gzip"),
    ],
)
def test_what_is_not_a_sitemap_raises_feed_error(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_sitemap(body, "https://example.com/sitemap.xml")


def test_a_truncated_urlset_keeps_its_complete_entries() -> None:
    body = b"<urlset><url><loc>https://example.com/a</loc></url><url><loc>https://exam"
    sitemap = parse_sitemap(body, "https://example.com/sitemap.xml")
    assert sitemap.entries[0].url == "https://example.com/a"


def test_detect_kind() -> None:
    assert detect_kind(RSS) == "feed"
    assert detect_kind(ATOM) == "feed"
    assert detect_kind(b'{"version": "https://jsonfeed.org/version/1", "items": []}') == "feed"
    assert detect_kind(URLSET) == "sitemap"
    assert detect_kind(gzip.compress(INDEX)) == "sitemap"
    assert detect_kind(b"<!-- c --><!DOCTYPE html><html><body></body></html>") == "html"
    assert detect_kind(b'<?xml version="1.0"?>\n<!-- generator -->\n<rdf:RDF xmlns:rdf="x"/>') == "feed"


# --- properties (hypothesis) --------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow])
# U+00C0-U+00EF ("Â", "Ã", "Ä", "â" ...) read as Latin-1 are the lead bytes of UTF-8 sequences: followed by
# a continuation character they look like the mojibake of double-encoded UTF-8, which feedparser repairs
# ("Â¡" -> "¡", "Ä¡" -> "ġ"), so the text would not come back as written.
_MOJIBAKE_LEADS = "".join(chr(code) for code in range(0xC0, 0xF0))
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters=_MOJIBAKE_LEADS),
                max_size=60)
_SLUG = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
_LINK = st.one_of(
    st.builds(lambda host, path: f"https://{host}.example.com/{path}", _SLUG, _SLUG),
    st.builds(lambda path: f"/{path}", _SLUG),  # relative to the feed
    st.builds(lambda path: f"{path}.html", _SLUG),
)
_WHEN = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))


def _rss(items: list[tuple[str, str, datetime]]) -> bytes:
    def item(title: str, link: str, when: datetime) -> str:
        return (f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
                f"<pubDate>{email.utils.format_datetime(when)}</pubDate></item>")
    body = "".join(item(*parts) for parts in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>P</title>{body}</channel></rss>'.encode()


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(_TEXT, _LINK, _WHEN), max_size=8))
def test_any_rss_gives_its_items_resolved_unique_and_in_utc(items: list[tuple[str, str, datetime]]) -> None:
    entries = parse_feed(_rss(items), BASE) if items else []
    expected = list(dict.fromkeys(urljoin(BASE, link) for _, link, _ in items))
    assert [e.url for e in entries] == expected
    first_of: dict[str, tuple[str, datetime]] = {}
    for title, link, when in items:
        first_of.setdefault(urljoin(BASE, link), (title, when))
    for entry in entries:
        title, when = first_of[entry.url]
        assert entry.published == when.replace(microsecond=0)
        assert entry.title == (" ".join(title.split()) or None)
    if items:
        assert parse_feed(gzip.compress(_rss(items)), BASE) == entries


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(_TEXT, _LINK, _WHEN), min_size=1, max_size=8))
def test_any_json_feed_gives_its_items(items: list[tuple[str, str, datetime]]) -> None:
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "P",
                "items": [{"id": str(n), "url": link, "title": title, "date_published": when.isoformat()}
                          for n, (title, link, when) in enumerate(items)]}
    entries = parse_feed(json.dumps(document).encode(), BASE)
    assert [e.url for e in entries] == list(dict.fromkeys(urljoin(BASE, link) for _, link, _ in items))
    assert all(e.published is not None and e.published.tzinfo == UTC for e in entries)


_MARKUP = st.sampled_from([b"<rss>", b"<feed>", b"<urlset>", b"<sitemapindex>", b"<item>", b"<url><loc>",
                           b"</", b"<?xml version='1.0'?>", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"{",
                           b'"items": [', b"\x1f\x8b\x08\x00", b"https://example.com/x\n", b"\xef\xbb\xbf"])
_BODIES = st.one_of(st.binary(max_size=300), st.lists(st.one_of(_MARKUP, st.binary(max_size=20)), max_size=25).map(b"".join))


@PROPERTY_SETTINGS
@given(_BODIES)
def test_any_bytes_are_entries_or_a_feed_error_never_a_crash(body: bytes) -> None:
    assert detect_kind(body) in ("feed", "sitemap", "html")
    for parse in (parse_feed, lambda b, base: parse_sitemap(b, base).entries):
        try:
            entries = parse(body, BASE)
        except FeedError:
            continue
        assert all(_is_web_url(e.url) for e in entries)
        assert len({e.url for e in entries}) == len(entries)
