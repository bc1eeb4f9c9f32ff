"""Never worse than bare trafilatura: precision first, then the defaults, then recall, when a pass finds too little."""

from __future__ import annotations

import pytest

from extractors.documents import ExtractionError, extract_article
from storage.records import RawDocument
from tests.support import token_f1
from tests.support.extraction import ScoredPage, bare_trafilatura, score, shared_pages, stancewatch

PARAGRAPH = ("The council approved the new budget on Tuesday after a long debate about transport "
             "and housing costs in the city. ")
# Precision mode drops a page made of link paragraphs; the defaults read it.
LINK_PARAGRAPHS = "<html><body><div>" + "".join(
    f"<p><a href='/story-{n}'>{PARAGRAPH}</a></p>" for n in range(6)) + "</div></body></html>"
# Precision and the defaults both drop text inside <aside>; only recall reads it.
ASIDE_ONLY = f"<html><head><title>Aside</title></head><body><aside><p>{PARAGRAPH * 3}</p></aside></body></html>"
# Real shared page where precision keeps 260 characters of a 3,200-character article (F1 0.06).
FRAGMENT_PAGE = "f8ff621a0b9b7646cc0d57d37416feabba2bf78ef5dd0bfc5b080f9f97bbe584"

EPSILON = 0.002  # token F1: the two are scored on the same pages in the same run


@pytest.fixture(scope="module")
def pages() -> list[ScoredPage]:
    return shared_pages()


def test_the_shared_pages_score_at_least_bare_trafilatura_in_the_same_run(pages: list[ScoredPage]) -> None:
    ours, bare = score(pages, stancewatch), score(pages, bare_trafilatura)
    print(f"\nF1 {ours.mean_f1:.4f} vs bare {bare.mean_f1:.4f}; dates {ours.dates_right}/{ours.dated} "
          f"vs {bare.dates_right}/{bare.dated}; empty {ours.empty} vs {bare.empty}")
    assert ours.pages == bare.pages == 181 and ours.dated == bare.dated >= 40
    assert ours.mean_f1 >= bare.mean_f1 - EPSILON
    assert ours.date_accuracy >= bare.date_accuracy
    assert ours.empty <= bare.empty


def test_a_real_page_where_precision_keeps_a_fragment_gets_the_whole_article(pages: list[ScoredPage]) -> None:
    [page] = [p for p in pages if p.id == FRAGMENT_PAGE]
    ours = token_f1(stancewatch(page).text, page.truth)
    assert ours >= 0.8
    assert ours >= token_f1(bare_trafilatura(page).text, page.truth) - EPSILON


def test_when_precision_finds_nothing_the_defaults_are_tried() -> None:
    article = extract_article(RawDocument(url="https://news.example.com/links", body=LINK_PARAGRAPHS.encode()))
    assert PARAGRAPH.strip() in article.text


def test_when_the_defaults_find_nothing_recall_is_tried() -> None:
    article = extract_article(RawDocument(url="https://news.example.com/aside", body=ASIDE_ONLY.encode()))
    assert article.text.count("council approved") == 3
    assert article.title == "Aside"


def test_a_page_no_pass_can_read_is_still_an_extraction_error() -> None:
    page = f"<html><body><div class='comments'><p>{PARAGRAPH * 3}</p></div></body></html>"
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_article(RawDocument(url="https://news.example.com/comments", body=page.encode()))
