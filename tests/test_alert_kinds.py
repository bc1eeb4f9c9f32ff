"""Every statement kind reads as words in alerts and on the timeline: a company's own site
("the company's own words") and a narrated action ("narrated action") as much as a quote."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timezone

from alerts.render import render_alert
from alerts.timeline import render_timeline_html
from storage.records import Shift
from tests.support import ev, post_to_slack

OWN_WORDS = "The four-day week is how we work, on every route."
ACTION = "Northwind scrapped the four-day week at all depots."
DENIAL = "Nothing has changed in our commitment to flexible work."


def shift_from_own_words_to_an_action() -> Shift:
    before = ev("o1", "2024-03-05", 0.8, OWN_WORDS, speaker="Northwind Logistics", role="company", kind="own",
                url="https://www.northwind.example.com/careers")
    after = ev("a1", "2025-06-10", -0.7, ACTION, speaker="Northwind Logistics", role="company", kind="action",
               sources=3, url="https://paper.example.org/northwind-scraps-four-day-week")
    denial = ev("d1", "2025-06-12", 0.5, DENIAL, speaker="a Northwind spokesperson", role="spokesperson",
                denial=True, url="https://news.example.com/northwind-denies")
    return Shift(
        entity_id="northwind", topic_id="four-day-week", direction="pro->con", from_stance=0.8, to_stance=-0.7,
        confidence=0.8, detected_at=datetime(2025, 10, 1, 9, 0, tzinfo=timezone.utc),
        before=(before,), after=(after,), denials=(denial,), reasons=("A narrated action opposes it.",),
        id="shift-kinds",
    )


def test_plain_text_and_email_name_own_words_and_narrated_actions():
    rendered = render_alert(shift_from_own_words_to_an_action(), "Northwind Logistics", "Four-day work week")
    email = html.unescape(rendered.html)
    for body in (rendered.text, email):
        assert "5 March 2024 (the company's own words)" in body
        assert "10 June 2025 (narrated action)" in body
        assert "12 June 2025 (direct quote)" in body
        assert "(own)" not in body and "(action)" not in body


def test_slack_labels_every_kind_but_a_direct_quote():
    rendered = render_alert(shift_from_own_words_to_an_action(), "Northwind Logistics", "Four-day work week")
    slack = html.unescape(rendered.slack_html)
    assert f"“{OWN_WORDS}” — Northwind Logistics, company, 5 March 2024 (the company's own words)" in slack
    assert f"“{ACTION}” — Northwind Logistics, company, 10 June 2025 (narrated action)" in slack
    assert f"“{DENIAL}” — a Northwind spokesperson, 12 June 2025 <a " in slack


def test_slack_message_as_posted_carries_the_labels(monkeypatch):
    rendered = render_alert(shift_from_own_words_to_an_action(), "Northwind Logistics", "Four-day work week")
    posted = post_to_slack(monkeypatch, rendered)
    text = json.loads(posted.body)["attachments"][0]["text"]
    assert "5 March 2024 (the company's own words) <https://www.northwind.example.com/careers|source>" in text
    assert "10 June 2025 (narrated action) <https://paper.example.org/northwind-scraps-four-day-week|source>" in text


def test_timeline_table_and_tooltips_name_own_words_and_narrated_actions():
    shift = shift_from_own_words_to_an_action()
    statements = [*shift.before, *shift.after, *shift.denials]
    page = render_timeline_html("Northwind Logistics", "Four-day work week", statements, [shift])
    cells = [html.unescape(c) for c in re.findall(r"<tr><td>.*?</td><td>.*?</td><td>(.*?)</td>", page)]
    assert cells == ["the company's own words", "narrated action", "direct quote · denial"]
    tooltips = [html.unescape(t) for t in re.findall(r"<title>(.*?)</title>", page, flags=re.S)]
    assert any(t.startswith("5 March 2024 · Northwind Logistics (the company's own words)") for t in tooltips)
    assert any(t.startswith("10 June 2025 · Northwind Logistics (narrated action)") for t in tooltips)
