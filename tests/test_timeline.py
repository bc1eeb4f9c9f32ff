"""The timeline page: self-contained, every statement plotted and listed, shifts marked, text escaped; and the
evidence queries behind it (lean: only the columns and tables needed) return what the full ones did."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser

import pytest

from alerts.timeline import render_timeline_html
from extractors.shifts import detect_shifts
from tests.support import DENIAL, NOW, REVERSAL, SUPPORT, ev

SVG = "{http://www.w3.org/2000/svg}"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def page_with_hostile_text() -> tuple[str, list, list]:
    hostile = ev("x1", "2025-07-01", -0.6, '</title><script>alert("x")</script> <img src=https://evil.example/t.gif>',
                 speaker="<b>Mallory</b>", role="COO", sources=2, url="javascript:alert(1)")
    statements = SUPPORT + REVERSAL + [DENIAL, hostile]
    shifts = list(detect_shifts(statements, [], now=NOW).new)
    return render_timeline_html("Northwind Logistics", "Four-day work week", statements, shifts), statements, shifts


def test_the_page_is_self_contained():
    page, _, _ = page_with_hostile_text()
    parser = _Collect()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert all("src" not in attrs for _, attrs in parser.tags)
    assert "@import" not in page and "url(" not in page
    hrefs = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert hrefs and all(h.startswith("https://") for h in hrefs)  # only the statements' source links


def test_every_statement_is_a_point_with_its_quote_speaker_date_and_link():
    page, statements, _ = page_with_hostile_text()
    svg = ET.fromstring(re.search(r"<svg.*</svg>", page, re.S).group(0))  # the plot is well-formed XML
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    points = list(svg.iter(f"{SVG}circle")) + list(svg.iter(f"{SVG}rect"))
    assert len([p for p in points if p.find(f"{SVG}title") is not None]) == len(statements)
    tooltip = next(t for t in titles if "We are ending the four-day week at all depots." in t)
    assert "10 June 2025" in tooltip and "Ada Brandt" in tooltip and "https://newsc1.example.com/c1" in tooltip
    linked = {a.get("href") for a in svg.iter(f"{SVG}a")}
    assert "https://newsc1.example.com/c1" in linked and "javascript:alert(1)" not in linked
    rows = re.findall(r"<tr><td>", page)
    assert len(rows) == len(statements)
    # higher stance is drawn higher (smaller y)
    by_quote = {p.find(f"{SVG}title").text.split("“")[1].split("”")[0]: p for p in points if p.find(f"{SVG}title") is not None}
    pro = float(by_quote["The four-day week is here to stay."].get("cy"))
    con = float(by_quote["We are ending the four-day week at all depots."].get("cy"))
    assert pro < con


def test_shifts_are_marked_on_the_plot_and_listed():
    page, _, shifts = page_with_hostile_text()
    [shift] = shifts
    svg = ET.fromstring(re.search(r"<svg.*</svg>", page, re.S).group(0))
    marks = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "shiftmark"]
    assert len(marks) == 1
    assert marks[0].find(f"{SVG}text").text == f"pro->con ({shift.confidence:.2f})"
    line = marks[0].find(f"{SVG}line")
    first_after = next(p for p in svg.iter(f"{SVG}circle")
                       if "We are ending the four-day week" in p.find(f"{SVG}title").text)
    assert line.get("x1") == first_after.get("cx")  # the marker sits on the first statement of the new position
    assert "<b>pro-&gt;con</b> since 10 June 2025" in page


def test_article_text_is_escaped_everywhere():
    page, _, _ = page_with_hostile_text()
    assert "<script>" not in page and "<b>Mallory</b>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;Mallory&lt;/b&gt;" in page


def test_an_empty_timeline_still_renders():
    page = render_timeline_html("Northwind Logistics", "Four-day work week", [], [])
    assert "No statements yet." in page and "No shift detected." in page and page.endswith("</html>")


# --- the evidence query on a real archive: the lean query returns what the full one did ----------

# The evidence fragments as they were before the query was made lean (every statement column, the
# articles joined for each statement's URL and publication date): the reference the lean query must match.
_FULL_REPORTED = """
reported AS (
    SELECT ss.statement_id,
           count(DISTINCT coalesce(nullif(regexp_extract(ss.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)', 1), ''),
                                   ss.url)) AS sites,
           min(ss.url) AS any_url
    FROM statement_sources ss
    WHERE ss.statement_id IN (SELECT id FROM chosen)
    GROUP BY ss.statement_id
),
chosen_articles AS (SELECT id, url, published_at FROM articles WHERE id IN (SELECT article_id FROM chosen))
"""
_FULL_JOINS = """FROM chosen s
LEFT JOIN chosen_articles a ON a.id = s.article_id
LEFT JOIN reported r ON r.statement_id = s.id
"""


def _full_query(lean_sql: str) -> str:
    from storage import shifts

    columns = shifts._EVIDENCE_COLUMNS.replace("coalesce(r.own_url, r.any_url) AS url", "coalesce(a.url, r.any_url) AS url")
    columns = columns[:columns.index("FROM chosen s")] + _FULL_JOINS
    full = lean_sql.replace(shifts._REPORTED_OF_PAIRS, _FULL_REPORTED).replace(shifts._REPORTED, _FULL_REPORTED)
    full = full.replace(shifts._EVIDENCE_COLUMNS, columns)
    full = full.replace(shifts._CHOSEN_COLUMNS, "s.*")
    assert full != lean_sql and "chosen_articles" in full and "own_url" not in full
    return full


@pytest.fixture(scope="module")
def real_archive(tmp_path_factory):
    """The new user's eleven articles through the real pipeline (extract, store, detect), plus copies that
    report the same quotes on other sites (several sources), one of them undated (statements dated from
    nothing), a re-analysis that moves statements to another of their sources, and two statements stored
    without a date of their own."""
    from dataclasses import replace as copy

    import extractors.statements as statements_module
    from storage.articles import ArticleBatch, save_articles
    from storage.db import Archive
    from storage.records import ShiftChanges
    from storage.shifts import load_evidence, load_shifts, save_shift_changes, watched_pairs
    from storage.statements import StatementBatch, store_statements
    from tests.support import NEW_USER_NOW as CASE_NOW
    from tests.support import NEW_USER_WATCHLIST as WATCHLIST
    from tests.support import load_new_user_articles as load_articles

    archive = Archive(tmp_path_factory.mktemp("timeline-real") / "archive.duckdb", lock_wait=5)
    articles = load_articles()
    copies = [copy(a, url=a.url.replace("https://", "https://mirror.").rstrip("/") + "-copy",
                   text=a.text + "\n\nRepublished with permission.") for a in articles[::2]]  # not a duplicate text
    copies[0] = copy(copies[0], published_at=None)
    everything = tuple(articles + copies)
    archive.save(save_articles, ArticleBatch(everything, CASE_NOW))

    def analyze(batch):
        found = tuple(st for article in batch for st in statements_module.extract_statements(article, WATCHLIST))
        archive.save(store_statements, StatementBatch(tuple(batch), found, CASE_NOW))

    analyze(everything)
    analyze(articles[:3])  # re-analysed: their statements are dropped and stored again
    with archive.connect() as con:  # two stored without a date (their article's publication date stands in)
        con.execute("UPDATE statements SET stated_at = NULL, stated_precision = NULL WHERE id IN (SELECT s.id"
                    " FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.stance IS NOT NULL"
                    " AND a.published_at IS NOT NULL ORDER BY s.id LIMIT 2)")
    with archive.connect() as con:
        changes = ShiftChanges.combine([detect_shifts(load_evidence(con, e, t), load_shifts(con, e, t), now=NOW)
                                        for e, t in watched_pairs(con)])
    archive.save(save_shift_changes, changes)
    return archive


def test_the_lean_evidence_queries_return_what_the_full_ones_did(real_archive):
    from storage import shifts

    with real_archive.connect(read_only=True) as con:
        pairs = shifts.watched_pairs(con)
        ids = [row[0] for row in con.execute("SELECT id FROM statements ORDER BY id").fetchall()]
        shift_ids = shifts.shift_ids(con)
        several = con.execute("SELECT count(*) FROM (SELECT statement_id FROM statement_sources GROUP BY ALL"
                              " HAVING count(*) > 1)").fetchone()[0]
        assert pairs and shift_ids and several  # the archive has pairs, shifts, and statements with several sources
        [(undated, moved)] = con.execute(
            "SELECT count(*) FILTER (WHERE s.stated_at IS NULL AND a.published_at IS NOT NULL),"
            " count(*) FILTER (WHERE a.url LIKE 'https://mirror.%') FROM statements s JOIN articles a ON a.id = s.article_id"
        ).fetchall()
        assert undated and moved  # dated from their article; pointing at a copy after the originals were re-analysed
        params = [[e for e, _ in pairs], [t for _, t in pairs]]
        since = [date(2025, 1, 1)] * len(pairs)
        ordered = ((shifts._EVIDENCE_OF_PAIRS, params), (shifts._RECENT_EVIDENCE_OF_PAIRS, [*params, since]))
        for lean, args in ordered:  # one row per statement, in a total order
            rows = con.execute(lean, args).fetchall()
            assert rows and rows == con.execute(_full_query(lean), args).fetchall()
        for lean, args in ((shifts._EVIDENCE_BY_IDS, [ids]), (shifts._EVIDENCE_OF_SHIFTS, [shift_ids])):
            rows = sorted(con.execute(lean, args).fetchall(), key=repr)  # read into dicts: no order to keep
            assert rows and rows == sorted(con.execute(_full_query(lean), args).fetchall(), key=repr)
        # and through the public function `stancewatch timeline` calls
        full = _full_query(shifts._EVIDENCE_OF_PAIRS)
        for entity_id, topic_id in pairs:
            expected = [shifts._evidence(row) for row in con.execute(full, [[entity_id], [topic_id]]).fetchall()]
            assert shifts.load_evidence(con, entity_id, topic_id) == expected
