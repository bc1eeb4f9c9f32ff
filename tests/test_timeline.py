"""The timeline page: self-contained, every statement plotted and listed, shifts marked, text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

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
