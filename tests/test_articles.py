"""Canonical URLs and article extraction, with a quality gate on 181 real pages."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.documents import ExtractionError, canonical_url, extract_article
from extractors.fetch import Fetcher, FetchSettings
from storage.records import FetchResult, RawDocument
from tests.support import BenchmarkPage, LocalHTTPServer, load_benchmark, shared_path, token_f1


@pytest.fixture(scope="module")
def pages() -> list[BenchmarkPage]:
    return load_benchmark()


# --- canonical_url ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://WWW.Example.COM:443/News/Story#comments", "https://www.example.com/News/Story"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?utm_source=x&utm_medium=y&b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=5&cmpid=6&ocid=7&igshid=8&_ga=9",
         "https://example.com/a"),
        ("https://example.com/a?id=7&smid=tw-share&CMP=share_btn", "https://example.com/a?id=7"),
        ("https://example.com/news/amp/story-1", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1/amp", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1/amp/", "https://example.com/news/story-1/"),
        ("https://example.com/story?amp", "https://example.com/story"),
        ("https://example.com/story?amp=1&page=2", "https://example.com/story?page=2"),
        ("https://example.com/story?outputType=amp", "https://example.com/story"),
        ("https://example.com/story?outputType=print", "https://example.com/story?outputType=print"),
        ("https://www.bbc.co.uk/news/world-1.amp", "https://www.bbc.co.uk/news/world-1"),
        ("https://amp.theguardian.com/world/x", "https://www.theguardian.com/world/x"),
        ("https://amp.dev/about", "https://amp.dev/about"),  # the domain itself, not a subdomain
        ("https://www.google.com/amp/s/www.example.com/a.html", "https://www.example.com/a.html"),
        ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a.html?amp_js_v=0.1",
         "https://www.example.com/a.html"),
        ("https://example.com/Path/Index.html", "https://example.com/Path/Index.html"),  # case and index kept
        ("https://example.com/a%2fb?q=a%2fb+c", "https://example.com/a%2Fb?q=a%2Fb+c"),
        ("https://example.com/a?b=2&a=1&a=0", "https://example.com/a?a=0&a=1&b=2"),
        ("https://Example.com./a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)  # fmt: skip
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_a_file_url_is_its_own_canonical_form(tmp_path) -> None:
    url = (tmp_path / "page.html").as_uri()
    assert url.startswith("file:///") and canonical_url(url) == url


def test_canonical_url_is_idempotent() -> None:
    url = "https://amp.example.co.uk:443/a/amp/b.amp?utm_campaign=x&z=1&amp=1#top"
    once = canonical_url(url)
    assert canonical_url(once) == once == "https://www.example.co.uk/a/b?z=1"


# --- extract_article -------------------------------------------------------------------


def test_real_pages_give_text_title_and_dates(pages: list[BenchmarkPage]) -> None:
    for page in pages[:5]:
        tracked = page.url + ("&" if "?" in page.url else "?") + "utm_source=feed#top"
        article = extract_article(RawDocument(url=tracked, body=page.html, source_id="s1"))

        first_words = " ".join(page.truth.split()[:8])
        assert first_words.lower() in " ".join(article.text.split()).lower(), page.id
        assert token_f1(article.text, page.truth) > 0.8, page.id
        assert article.title, page.id
        assert article.url == canonical_url(page.url) and article.original_url == tracked
        assert article.source_id == "s1"
        assert article.published_at is None or article.published_at.tzinfo == UTC


def test_a_page_fetched_gzip_encoded_over_http_is_extracted(pages: list[BenchmarkPage]) -> None:
    page = pages[1]

    async def get(url: str) -> FetchResult:
        async with Fetcher(FetchSettings(allow_private=True, timeout=5)) as fetcher:
            return await fetcher.fetch(url)

    with LocalHTTPServer(shared_path("data")) as server:
        result = asyncio.run(get(server.url(f"/articles/html/{page.id}.html")))  # served from .html.gz
    assert result.ok and result.body == page.html

    article = extract_article(RawDocument(url=result.final_url or result.url, body=result.body))
    assert token_f1(article.text, page.truth) > 0.8


def test_the_given_date_and_title_beat_the_page(pages: list[BenchmarkPage]) -> None:
    page = pages[0]
    given = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    from_page = extract_article(RawDocument(url=page.url, body=page.html))
    given_wins = extract_article(RawDocument(url=page.url, body=page.html, published=given, title="Feed title"))
    assert from_page.published_at is not None and from_page.published_at != given
    assert (given_wins.published_at, given_wins.title) == (given, "Feed title")


def test_a_saved_page_takes_its_web_address_from_the_page(tmp_path) -> None:
    html = (
        b'<html lang="en-GB"><head><title>Saved</title>'
        b'<link rel="canonical" href="https://news.example.com/2025/07/story?utm_source=x"></head>'
        b"<body><article><h1>Saved</h1>" + b"<p>This paragraph is long enough to be the article body. </p>" * 8
        + b"</article></body></html>"
    )  # fmt: skip
    saved = (tmp_path / "saved.html").as_uri()
    article = extract_article(RawDocument(url=saved, body=html))
    assert article.url == "https://news.example.com/2025/07/story"
    assert article.original_url == saved
    assert article.language == "en"


def test_plain_text_is_used_as_is() -> None:
    text = "  A headline  \r\n\r\n\r\n\r\nFirst   paragraph\twith  spaces.\n\n\n\nSecond paragraph.  "
    article = extract_article(RawDocument(url="https://example.com/t?utm_source=x", text=text))
    assert article.text == "A headline\n\nFirst paragraph with spaces.\n\nSecond paragraph."
    assert article.title == "A headline"
    assert article.url == "https://example.com/t"

    titled = extract_article(RawDocument(url="https://example.com/t", text=text, title="Given"))
    assert titled.title == "Given"


@pytest.mark.parametrize(
    "doc",
    [
        RawDocument(url="https://example.com/empty"),
        RawDocument(url="https://example.com/blank", text="  \n "),
        RawDocument(url="https://example.com/nothing", body=b"<html><body></body></html>"),
        RawDocument(url="https://example.com/binary", body=b"\x00\x01\x02"),
    ],
)
def test_no_text_raises_extraction_error(doc: RawDocument) -> None:
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_article(doc)


# --- quality gate --------------------------------------------------------------------


def test_mean_token_f1_on_all_benchmark_pages(pages: list[BenchmarkPage]) -> None:
    started = time.perf_counter()
    scores = []
    for page in pages:
        try:
            text = extract_article(RawDocument(url=page.url, body=page.html)).text
        except ExtractionError:
            text = ""
        scores.append(token_f1(text, page.truth))
    mean = sum(scores) / len(scores)
    print(f"\nmean token F1 over {len(pages)} pages: {mean:.4f} ({time.perf_counter() - started:.1f} s)")
    assert len(pages) == 181
    assert mean >= 0.95


# --- canonical_url properties (hypothesis) --------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)
_LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_HOST = st.lists(_LABEL, min_size=1, max_size=4).map(".".join).map(lambda h: h + ".com")
_SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"
_SEGMENT = st.one_of(st.text(_SAFE, min_size=1, max_size=10),
                     st.sampled_from(["%2f", "%2F", "%c3%a9", "a%20b", "amp", "story.amp", "index.html"]))
_PATH = st.lists(_SEGMENT, max_size=4).map(lambda parts: "/" + "/".join(parts))
_KEY = st.text("abcdefghij", min_size=1, max_size=5).map(lambda k: "k" + k)  # never a tracking key
_PAIR = st.tuples(_KEY, st.text(_SAFE + "%", max_size=8)).map("=".join)
_TRACKING = st.sampled_from(["utm_source=feed", "utm_campaign=x", "fbclid=abc", "gclid=1", "mc_eid=2",
                             "ref=home", "amp=1", "amp", "_ga=3", "igshid=4"])


@st.composite
def _web_urls(draw) -> tuple[str, list[str]]:
    """(a URL, its non-tracking query pairs)."""
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host = draw(_HOST)
    host = "".join(c.upper() if draw(st.booleans()) else c for c in host) if draw(st.booleans()) else host
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    pairs = draw(st.lists(_PAIR, max_size=4))
    query = "&".join(pairs)
    fragment = draw(st.sampled_from(["", "#top", "#a/b?c"]))
    return f"{scheme}://{host}{port}{draw(_PATH)}{'?' + query if query else ''}{fragment}", pairs


@PROPERTY_SETTINGS
@given(st.text(max_size=80))
def test_canonical_url_never_raises_and_is_idempotent_on_any_text(text: str) -> None:
    once = canonical_url(text)
    assert canonical_url(once) == once


@PROPERTY_SETTINGS
@given(_web_urls())
def test_canonical_url_is_idempotent_lower_cases_the_host_and_drops_the_fragment(case: tuple[str, list[str]]) -> None:
    url, _ = case
    canonical = canonical_url(url)
    assert canonical_url(canonical) == canonical
    parts = urlsplit(canonical)
    assert parts.scheme in ("http", "https") and parts.fragment == "" and "#" not in canonical
    assert parts.netloc == parts.netloc.lower()
    assert parts.port not in (80, 443) or (parts.scheme, parts.port) in (("http", 443), ("https", 80))


@PROPERTY_SETTINGS
@given(_web_urls(), st.lists(_TRACKING, min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_tracking_parameters_and_query_order_never_change_the_canonical_url(
    case: tuple[str, list[str]], tracking: list[str], shuffle
) -> None:
    url, pairs = case
    base, _, fragment = url.partition("#")
    base = base.split("?", 1)[0]
    mixed = pairs + tracking
    shuffle.shuffle(mixed)
    tracked = f"{base}?{'&'.join(mixed)}" + (f"#{fragment}" if fragment else "")
    canonical = canonical_url(tracked)
    assert canonical == canonical_url(url)
    kept = urlsplit(canonical).query
    expected = sorted(re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), p) for p in pairs)
    assert (sorted(kept.split("&")) if kept else []) == expected  # every other parameter kept, sorted
