"""Local files and folders for backfill, JSONL with bad lines included."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

import extractors.documents._local
from extractors.documents import (
    LocalError,
    count_local_documents,
    extract_article,
    iter_local_documents,
)
from storage.records import RawDocument
from tests.support import load_benchmark, shared_path, write_articles_jsonl

PAGE = b"<html><head><title>Page</title></head><body><article><p>Body text.</p></article></body></html>"


def _line(**fields: object) -> str:
    return json.dumps(fields)


def test_folders_are_walked_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.htm").write_bytes(PAGE)
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "d.txt").write_text("Title line\nBody.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored")

    docs = list(iter_local_documents([tmp_path]))

    assert all(isinstance(d, RawDocument) for d in docs)
    assert [d.url for d in docs] == [
        (tmp_path / name).resolve().as_uri() for name in ("a.html", "b/two.htm", "c.html.gz", "d.txt")
    ]
    assert docs[0].body == PAGE and docs[2].body == PAGE  # .gz is decompressed
    assert docs[3].text == "Title line\nBody." and docs[3].body is None
    assert count_local_documents([tmp_path]) == len(docs)


def test_jsonl_bad_lines_are_reported_and_reading_continues(tmp_path: Path) -> None:
    lines = [
        _line(url="https://example.com/1", published="2025-07-30", title="One", html="<p>one</p>", source="Wire"),
        "{this is not json",
        _line(url="https://example.com/2", published="2025", text="Two"),
        "",
        _line(title="no url", text="x"),
        _line(url="https://example.com/3", published="someday", text="x"),
        _line(url="https://example.com/4", title="neither html nor text"),
        "[1, 2]",
        _line(url="https://example.com/5", published="2025-07-30T10:00:00+02:00", text="Five"),
    ]
    path = tmp_path / "backfill.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    items = list(iter_local_documents([path]))

    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, LocalError)]
    assert [d.url for d in docs] == ["https://example.com/1", "https://example.com/2", "https://example.com/5"]
    assert [(e.path, e.line) for e in errors] == [(str(path), n) for n in (2, 5, 6, 7, 8)]
    assert "not valid JSON" in errors[0].reason
    assert 'missing "url"' in errors[1].reason
    assert "published" in errors[2].reason and "someday" in errors[2].reason
    assert '"html" or "text"' in errors[3].reason
    assert "JSON object" in errors[4].reason
    assert str(errors[0]).startswith(f"{path}:2: ")

    one, two, five = docs
    assert (one.body, one.text, one.title, one.source_id) == (b"<p>one</p>", None, "One", "Wire")
    assert one.published == datetime(2025, 7, 30, tzinfo=UTC)
    assert (two.text, two.body, two.published) == ("Two", None, datetime(2025, 1, 1, tzinfo=UTC))
    assert five.published == datetime(2025, 7, 30, 8, 0, tzinfo=UTC)
    assert count_local_documents([path]) == len(items)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2025-07-30", datetime(2025, 7, 30, tzinfo=UTC)),
        ("2025-07", datetime(2025, 7, 1, tzinfo=UTC)),
        ("2025", datetime(2025, 1, 1, tzinfo=UTC)),
        (2025, datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-07-30T10:00:00Z", datetime(2025, 7, 30, 10, tzinfo=UTC)),
        ("2025-07-30 10:00:00", datetime(2025, 7, 30, 10, tzinfo=UTC)),  # no zone: UTC
        ("2025-07-30T23:30:00-05:00", datetime(2025, 7, 31, 4, 30, tzinfo=UTC)),
        (None, None),
    ],
)
def test_jsonl_published_forms(tmp_path: Path, published: object, expected: datetime | None) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(_line(url="https://example.com/x", published=published, text="t"), encoding="utf-8")
    [doc] = iter_local_documents([path])
    assert isinstance(doc, RawDocument) and doc.published == expected


def test_gzipped_jsonl_and_missing_paths(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as sink:
        sink.write(_line(url="https://example.com/z", text="zipped") + "\n")
    missing = tmp_path / "missing.jsonl"

    items = list(iter_local_documents([path, missing]))

    assert isinstance(items[0], RawDocument) and items[0].text == "zipped"
    assert items[1] == LocalError(str(missing), None, "no such file or directory")


def test_an_unsupported_file_given_by_name_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b")
    [error] = iter_local_documents([path])
    assert isinstance(error, LocalError) and "unsupported file type" in error.reason


def test_seed_texts_become_articles() -> None:
    seeds = shared_path("seeds")
    docs = list(iter_local_documents([seeds]))
    assert len(docs) == len(list(seeds.glob("*.txt"))) == count_local_documents([seeds])
    for doc in docs:
        assert isinstance(doc, RawDocument)
        article = extract_article(doc)
        first_line = doc.text.strip().split("\n", 1)[0].strip()
        assert article.title and first_line.startswith(article.title.removesuffix(" …"))
        assert len(article.title) <= 302
        assert article.url.startswith("file://")


def test_benchmark_pages_as_backfill_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    written = write_articles_jsonl(path, limit=5)

    docs = list(iter_local_documents([path]))

    assert written == len(docs) == count_local_documents([path]) == 5
    for doc in docs:
        assert isinstance(doc, RawDocument) and doc.body and doc.url.startswith("https://")
        assert extract_article(doc).text


def test_a_folder_with_nothing_readable_is_reported_not_silent(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.md").write_text("not an article")

    items = list(iter_local_documents([tmp_path / "empty", tmp_path / "notes"]))

    assert [(e.path, e.line) for e in items] == [(str(tmp_path / "empty"), None), (str(tmp_path / "notes"), None)]
    assert all(isinstance(e, LocalError) and e.reason.startswith("nothing readable in this folder") for e in items)
    assert ".html" in items[0].reason and ".jsonl" in items[0].reason
    assert count_local_documents([tmp_path / "empty"]) == 1  # the report line counts in the progress total


def test_jsonl_html_given_as_text_extracts_as_the_page_given_as_bytes(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    write_articles_jsonl(path, limit=5)
    pages = {p.url: p for p in load_benchmark()[:5]}
    for doc in iter_local_documents([path]):
        assert isinstance(doc, RawDocument)
        from_bytes = extract_article(RawDocument(url=doc.url, body=pages[doc.url].html))
        assert extract_article(doc) == from_bytes


def test_jsonl_html_text_keeps_characters_a_legacy_encoding_would_garble(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="windows-1252"><title>Café</title></head><body><article>'
            + "<p>Le café « crème » coûte désormais deux euros à la terrasse du théâtre municipal.</p>" * 4
            + "</article></body></html>")
    path = tmp_path / "legacy.jsonl"
    path.write_text(_line(url="https://example.com/cafe", html=page) + "\n", encoding="utf-8")
    [doc] = iter_local_documents([path])
    article = extract_article(doc)
    assert "Le café « crème » coûte désormais" in article.text and article.title == "Café"


def test_a_jsonl_line_with_a_lone_surrogate_loses_only_that_character(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    odd = '{"url": "https://example.com/odd", "html": "<html><body><p>broken \\ud800 pair</p></body></html>"}'
    path.write_text(odd + "\n" + _line(url="https://example.com/next", text="Next.") + "\n", encoding="utf-8")
    first, second = iter_local_documents([path])
    assert isinstance(first, RawDocument) and b"broken \xef\xbf\xbd pair" in first.body
    assert isinstance(second, RawDocument) and second.text == "Next."


def test_jsonl_text_and_html_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extractors.documents._local, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(extractors.documents._local, "MAX_LINE_BYTES", 400)
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join([
        _line(url="https://example.com/a", text="x" * 101),
        _line(url="https://example.com/b", html="<p>" + "y" * 100 + "</p>"),
        _line(url="https://example.com/c", text="z" * 500),
        _line(url="https://example.com/d", text="fits"),
    ]) + "\n", encoding="utf-8")
    items = list(iter_local_documents([path]))
    reasons = [(i.line, i.reason) for i in items if isinstance(i, LocalError)]
    assert reasons == [(1, '"text" is longer than 100 characters'), (2, '"html" is longer than 100 characters'),
                       (3, "line exceeds 400 bytes")]
    assert [i.text for i in items if isinstance(i, RawDocument)] == ["fits"]
