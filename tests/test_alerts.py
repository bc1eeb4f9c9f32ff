"""Alerts with real parts: an SMTP server, an HTTP sink for Slack and webhooks, a DuckDB archive."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from alerts.deliver import AlertSettings, SendResult, redact, scrub, send, send_test
from alerts.outbox import enqueue_alerts, process_outbox
from alerts.render import render_alert, render_digest
from storage.db import Archive
from storage.records import Entity, Shift, Topic, Watchlist
from tests.support import (
    REVERSAL,
    SLACK_URL,
    SUPPORT,
    archive_with,
    detect_and_save,
    ev,
    http_sink,
    insert_statements,
    post_to_slack,
    smtp_sink,
    with_sources,
)

T0 = datetime(2025, 10, 1, 9, 0, tzinfo=timezone.utc)
WATCHLIST = Watchlist(
    entities=(Entity("northwind", "Northwind Logistics"), Entity("southwind", "Southwind Freight")),
    topics=(Topic("four-day-week", "Four-day work week"),),
)
HOSTILE = "<script>alert(1)</script> <!channel> <@U123ABC> @here & <http://evil.example|click here> www.evil.example"


def hostile_shift() -> Shift:
    """A shift whose article text tries to inject markup, Slack mentions and links."""
    before = ev("p1", "2024-07-15", 0.8, "We back the four-day week. " + HOSTILE, precision="month",
                url="https://news.example.com/2024/northwind")
    after = ev("c1", "2025-06-10", -0.7, "We are ending the four-day week at every depot.", sources=3,
               url="https://paper.example.org/northwind-ends-four-day-week")
    denial = ev("d1", "2025-06-12", 0.5, "Our commitment to flexible work is unchanged.",
                speaker="a Northwind spokesperson", role="spokesperson", denial=True,
                url="javascript:alert(document.cookie)")
    return Shift(
        entity_id="northwind", topic_id="four-day-week", direction="pro->con", from_stance=0.8, to_stance=-0.7,
        confidence=0.83, detected_at=T0, before=(before,), after=(after,), denials=(denial,),
        reasons=("1 statement from 3 sources since 10 June 2025 average -0.7, against +0.8 in 1 statement before.",),
        id="shift-1",
    )


# --- rendering ------------------------------------------------------------------------------


def test_render_says_what_moved_with_quotes_dates_denials_and_why():
    rendered = render_alert(hostile_shift(), "Northwind Logistics", "Four-day work week")
    assert rendered.title == "Northwind Logistics: from support to opposition on Four-day work week"
    for body in (rendered.text, rendered.html, rendered.slack_html):
        assert "moved from supporting to opposing" in body
        assert "July 2024" in body and "10 June 2025" in body  # dates at their precision
        assert "We are ending the four-day week at every depot." in body
        assert "Our commitment to flexible work is unchanged." in body
        assert "0.83 (high)" in body
        assert "since 10 June 2025" in body
    assert "https://paper.example.org/northwind-ends-four-day-week" in rendered.text


def test_article_text_cannot_inject_markup_mentions_or_links():
    rendered = render_alert(hostile_shift(), "Northwind Logistics", "Four-day work week")
    for markup in (rendered.html, rendered.slack_html):
        assert "<script>" not in markup and "&lt;script&gt;" in markup
        assert "<!channel>" not in markup and "<@U123ABC>" not in markup
        assert "<http://evil.example" not in markup and 'href="http://evil' not in markup
        assert "javascript:" not in markup  # the denial's bogus URL is not linked
        assert "&amp;" in markup
    assert "@here" not in rendered.slack_html and "@\u200bhere" in rendered.slack_html
    assert "www.evil" not in rendered.slack_html  # no bare link for Slack to unfurl
    assert "<!channel>" not in rendered.text and "<@U123ABC>" not in rendered.text and "@here" not in rendered.text


def test_redact_keeps_no_secret_and_scrub_removes_them():
    url = "mailto://alerts:Pa55-w0rd!@smtp.example.com:2525?to=desk@example.com"
    label = redact(url)
    assert label.startswith("mailto://smtp.example.com:2525 #")
    assert "Pa55" not in label and "alerts" not in label
    assert redact(SLACK_URL).startswith("slack://*** #")
    assert redact("https://hooks.slack.com/services/T0AAAA/B0BBBB/abcdefghijkl").startswith("https://hooks.slack.com #")
    assert redact(url) == redact(url.replace("Pa55-w0rd!", "rotated"))  # a new password is the same channel
    message = f"failed {url}: auth Pa55-w0rd! rejected; token abcdefghijklmnopqrstuvwx"
    assert "Pa55-w0rd!" not in scrub(message, url)
    slack = SLACK_URL
    assert "abcdefghijklmnopqrstuvwx" not in scrub(message, slack) and "T0AAAA1111" not in scrub("T0AAAA1111", slack)


# --- delivery to real local servers -----------------------------------------------------------------


def test_email_arrives_with_subject_quotes_denial_and_escaped_text():
    rendered = render_alert(hostile_shift(), "Northwind Logistics", "Four-day work week")
    with smtp_sink() as smtp:
        result = send(smtp.url(sender="stancewatch@example.com", to="desk@example.com"), rendered)
        assert result == SendResult(True, None, redact(smtp.url(sender="stancewatch@example.com", to="desk@example.com")))
        [message] = smtp.messages
    assert message["Subject"] == rendered.title
    assert message["To"] == "desk@example.com" and message["From"].addresses[0].addr_spec == "stancewatch@example.com"
    html = message.get_body(("html",)).get_content()
    plain = message.get_body(("plain",)).get_content()
    for body in (html, plain):
        assert "We are ending the four-day week at every depot." in body
        assert "We back the four-day week." in body
        assert "Our commitment to flexible work is unchanged." in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert '<a href="https://paper.example.org/northwind-ends-four-day-week">source</a>' in html
    assert "Denied by the company" in plain


def test_slack_payload_is_exact_and_carries_no_mentions_from_articles(monkeypatch):
    rendered = render_alert(hostile_shift(), "Northwind Logistics", "Four-day work week")
    posted = post_to_slack(monkeypatch, rendered)
    assert posted.path == "/services/T0AAAA1111/B0BBBB2222/abcdefghijklmnopqrstuvwx"
    payload = json.loads(posted.body)
    attachment = payload["attachments"][0]
    assert sorted(payload) == ["attachments", "icon_url", "mrkdwn"] and payload["mrkdwn"] is True
    assert sorted(attachment) == ["color", "footer", "footer_icon", "text", "title", "ts"]
    assert attachment["title"] == rendered.title
    assert attachment["text"] == SLACK_TEXT
    assert "<!channel>" not in posted.body.decode() and "<@U123ABC>" not in posted.body.decode()


SLACK_TEXT = (
    "*Northwind Logistics moved from supporting to opposing “Four-day work week”.*  \n"
    "Stance +0.80 → -0.70, confidence 0.83 (high)\n\n"
    "*Before*\n\n"
    "> “We back the four-day week. &lt;script&gt;alert(1)&lt;/script&gt; &lt;\u200b!channel&gt; "
    "&lt;\u200b@U123ABC&gt; @\u200bhere &amp; &lt;\u200bhttp:\u200b//evil.example|click here&gt; "
    "www\u200b.evil.example” — Ada Brandt, CEO, July 2024 <https://news.example.com/2024/northwind|source>\n\n"
    "*After*\n\n"
    "> “We are ending the four-day week at every depot.” — Ada Brandt, CEO, 10 June 2025 "
    "<https://paper.example.org/northwind-ends-four-day-week|source>\n\n"
    "*Denied by the company*\n\n"
    "> “Our commitment to flexible work is unchanged.” — a Northwind spokesperson, 12 June 2025\n\n"
    "*Why*\n\n"
    "- 1 statement from 3 sources since 10 June 2025 average -0.7, against +0.8 in 1 statement before."
)


def test_json_webhook_gets_the_plain_text():
    rendered = render_alert(hostile_shift(), "Northwind Logistics", "Four-day work week")
    with http_sink() as sink:
        result = send(f"json://{sink.host}:{sink.port}/stancewatch", rendered)
        assert result.ok, result.error
        [posted] = sink.posted
    assert posted.path == "/stancewatch"
    body = json.loads(posted.body)
    assert body["title"] == rendered.title
    assert body["message"] == rendered.text
    assert body["type"] == "info"


def test_send_test_reports_each_channel():
    with http_sink() as up, http_sink(default_answer=(503, b"down")) as down:
        results = send_test([f"json://{up.host}:{up.port}/ok", f"json://{down.host}:{down.port}/secretpath",
                             "notaurl://nothing"])
        assert [r.ok for r in results] == [True, False, False]
        assert "503" in results[1].error and "secretpath" not in results[1].error
        assert len(up.posted) == 1 and "Stancewatch" in json.loads(up.posted[0].body)["title"]


# --- the outbox over a real archive -----------------------------------------------------------------


def two_company_archive(path) -> tuple[Archive, list[str]]:
    south = [replace(s, id="s-" + s.id, entity_id="southwind") for s in SUPPORT + REVERSAL]
    archive = archive_with(path, SUPPORT + REVERSAL + south)
    changes = detect_and_save(archive)
    return archive, [s.id for s in changes.new]


def deliveries(archive: Archive) -> list[tuple]:
    with archive.connect(read_only=True) as con:
        return con.execute("SELECT shift_id, channel, status, attempts, last_error, next_attempt_at, sent_at"
                           " FROM deliveries ORDER BY shift_id").fetchall()


def test_a_channel_that_is_down_gets_the_alert_on_a_later_cycle_exactly_once(tmp_path):
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    with http_sink() as sink:
        url = f"json://{sink.host}:{sink.port}/hook"
        settings = AlertSettings(urls=(url,), backoff_seconds=60)
        sink.answer_next((500, b"down"))

        first = process_outbox(archive, settings, shift_ids=[shift.id], now=T0,
                               watchlist=WATCHLIST)
        assert (first.enqueued, len(first.sent), len(first.failed)) == (1, 0, 1)
        [(sid, channel, status, attempts, error, retry_at, sent_at)] = deliveries(archive)
        assert (sid, channel, status, attempts, sent_at) == (shift.id, redact(url), "failed", 1, None)
        assert "500" in error and retry_at == T0 + timedelta(seconds=60)

        too_soon = process_outbox(archive, settings, now=T0 + timedelta(seconds=30), watchlist=WATCHLIST)
        assert too_soon.sent == () and too_soon.failed == () and len(sink.posted) == 1

        later = process_outbox(archive, settings, now=T0 + timedelta(seconds=61), watchlist=WATCHLIST)
        assert [d.shift_id for d in later.sent] == [shift.id]
        [(_, _, status, attempts, error, _, sent_at)] = deliveries(archive)
        assert (status, attempts, error, sent_at) == ("sent", 2, None, T0 + timedelta(seconds=61))

        # the same shift offered again, later cycles, and a second detection run: nothing more is sent
        again = process_outbox(archive, settings, shift_ids=[shift.id], now=T0 + timedelta(hours=2))
        assert again.enqueued == 0 and again.sent == ()
        rerun = detect_and_save(archive, now=T0 + timedelta(hours=3))
        assert not rerun
        process_outbox(archive, settings, shift_ids=[s.id for s in rerun.new], now=T0 + timedelta(hours=3))
        assert len(sink.posted) == 2
        assert json.loads(sink.posted[1].body)["title"].startswith("Northwind Logistics: from support")


def test_backoff_grows_and_stops_at_max_attempts(tmp_path):
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    with http_sink(default_answer=(500, b"down")) as sink:
        settings = AlertSettings(urls=(f"json://{sink.host}:{sink.port}/hook",), max_attempts=3, backoff_seconds=10)
        process_outbox(archive, settings, shift_ids=[shift.id], now=T0)
        waits = []
        now = T0
        for _ in range(4):
            [row] = deliveries(archive)
            if row[5] is None:
                break
            waits.append((row[5] - now).total_seconds())
            now = row[5]
            process_outbox(archive, settings, now=now)
        [(_, _, status, attempts, _, retry_at, _)] = deliveries(archive)
    assert waits == [10, 20]  # exponential
    assert (status, attempts, retry_at) == ("failed", 3, None)  # given up
    assert len(sink.posted) == 3


def test_secrets_in_a_mailto_url_never_reach_the_archive_logs_or_alert(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    with smtp_sink() as smtp:  # offers no AUTH, so the login with the password fails
        url = smtp.url(userinfo="alerts:Sup3r-S3cret-PW")
        report = process_outbox(archive, AlertSettings(urls=(url,)), shift_ids=[shift.id], now=T0)
        assert smtp.messages == []
    [failed] = report.failed
    assert "AUTH" in failed.last_error
    with archive.connect(read_only=True) as con:
        dump = json.dumps(con.execute("SELECT * FROM deliveries").fetchall(), default=str)
        dump += json.dumps(con.execute("SELECT * FROM shifts").fetchall(), default=str)
    rendered = render_alert(shift, "Northwind Logistics", "Four-day work week")
    for text in (dump, caplog.text, rendered.text, rendered.html, rendered.slack_html, repr(report)):
        assert "Sup3r-S3cret-PW" not in text
    assert "alerts:" not in dump


def test_shifts_below_min_confidence_are_not_alerted(tmp_path):
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    with http_sink() as sink:
        settings = AlertSettings(urls=(f"json://{sink.host}:{sink.port}/hook",), min_confidence=shift.confidence + 0.01)
        report = process_outbox(archive, settings, shift_ids=[shift.id], now=T0)
        assert report.enqueued == 0 and sink.posted == []


def test_throttle_limits_alerts_per_channel_per_hour(tmp_path):
    archive, shift_ids = two_company_archive(tmp_path / "a.duckdb")
    with http_sink() as sink:
        settings = AlertSettings(urls=(f"json://{sink.host}:{sink.port}/hook",), throttle_per_hour=1)
        first = process_outbox(archive, settings, shift_ids=shift_ids, now=T0, watchlist=WATCHLIST)
        assert (len(first.sent), len(first.deferred)) == (1, 1)
        same_hour = process_outbox(archive, settings, now=T0 + timedelta(minutes=30), watchlist=WATCHLIST)
        assert same_hour.sent == () and len(same_hour.deferred) == 1
        next_hour = process_outbox(archive, settings, now=T0 + timedelta(minutes=61), watchlist=WATCHLIST)
        assert len(next_hour.sent) == 1
        titles = sorted(json.loads(p.body)["title"].split(":")[0] for p in sink.posted)
    assert titles == ["Northwind Logistics", "Southwind Freight"]


def test_daily_digest_sends_one_message_per_channel_per_day(tmp_path):
    archive, shift_ids = two_company_archive(tmp_path / "a.duckdb")
    with http_sink() as sink:
        settings = AlertSettings(urls=(f"json://{sink.host}:{sink.port}/hook",), digest=True)
        report = process_outbox(archive, settings, shift_ids=shift_ids, now=T0, watchlist=WATCHLIST)
        assert len(report.sent) == 2
        [posted] = sink.posted
        body = json.loads(posted.body)
        assert body["title"] == "Stancewatch: 2 stance shifts (2025-10-01)"
        assert "Northwind Logistics moved" in body["message"] and "Southwind Freight moved" in body["message"]

        # a shift arriving later the same day waits for tomorrow's digest
        third = [ev("x-" + s.id, s.stated_at.isoformat(), s.stance, s.text, entity="eastwind", sources=s.source_count)
                 for s in SUPPORT + REVERSAL]
        rows, extra = with_sources(third)
        archive.save(lambda con, p: insert_statements(con, p[0], extra_sources=p[1]), (rows, extra))
        [new] = detect_and_save(archive).new
        same_day = process_outbox(archive, settings, shift_ids=[new.id], now=T0 + timedelta(hours=5))
        assert same_day.sent == () and len(same_day.deferred) == 1
        next_day = process_outbox(archive, settings, now=T0 + timedelta(days=1))
        assert [d.shift_id for d in next_day.sent] == [new.id]
        assert len(sink.posted) == 2


def test_a_sender_that_raises_is_recorded_as_a_scrubbed_failure(tmp_path):
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    url = "json://user:hunter22@127.0.0.1:9/hook"

    def broken(target, rendered):
        raise RuntimeError(f"cannot reach {target}")

    report = process_outbox(archive, AlertSettings(urls=(url,)), shift_ids=[shift.id], now=T0, sender=broken)
    [failed] = report.failed
    assert failed.last_error.startswith("RuntimeError: cannot reach ***") and "hunter22" not in failed.last_error


def test_digest_of_one_alert_is_that_alert():
    rendered = render_alert(hostile_shift(), "Northwind Logistics", "Four-day work week")
    assert render_digest([rendered], day=date(2025, 10, 1)) == rendered


def test_enqueue_in_one_run_send_in_another(tmp_path):
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    with http_sink() as sink:
        settings = AlertSettings(urls=(f"json://{sink.host}:{sink.port}/hook",))
        assert enqueue_alerts(archive, settings, [shift.id], now=T0) == 1
        assert enqueue_alerts(archive, settings, [shift.id], now=T0) == 0
        assert sink.posted == []
        report = process_outbox(archive, settings, now=T0, watchlist=WATCHLIST)  # no ids: only what is due
        assert [d.shift_id for d in report.sent] == [shift.id] and len(sink.posted) == 1


def test_a_busy_archive_sends_nothing_and_loses_nothing(tmp_path):
    path = tmp_path / "a.duckdb"
    archive = archive_with(path, SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " time.sleep(60)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        busy = Archive(path, lock_wait=0.3, retry_every=0.1)
        with http_sink() as sink:
            settings = AlertSettings(urls=(f"json://{sink.host}:{sink.port}/hook",))
            report = process_outbox(busy, settings, shift_ids=[shift.id], now=T0)
            assert report.busy and report.sent == () and sink.posted == []
            holder.kill()
            holder.wait(timeout=10)
            later = process_outbox(busy, settings, now=T0 + timedelta(minutes=15))  # the spooled enqueue applies first
            assert [d.shift_id for d in later.sent] == [shift.id] and len(sink.posted) == 1
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_a_cycle_running_while_another_sends_does_not_send_the_same_alert(tmp_path):
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    settings = AlertSettings(urls=("json://127.0.0.1:9/hook",))
    sent, overlapping = [], []

    def slow_sender(url, rendered):
        overlapping.append(process_outbox(archive, settings, now=T0 + timedelta(minutes=1), sender=slow_sender))
        sent.append(rendered.title)
        return SendResult(True, None, redact(url))

    process_outbox(archive, settings, shift_ids=[shift.id], now=T0, sender=slow_sender)
    assert len(sent) == 1 and overlapping[0].sent == () and overlapping[0].failed == ()


def test_a_cycle_that_dies_while_sending_is_retried_after_its_claim_lapses(tmp_path):
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    settings = AlertSettings(urls=("json://127.0.0.1:9/hook",))

    def dying(url, rendered):
        raise KeyboardInterrupt  # the process is stopped mid-send: nothing gets recorded

    try:
        process_outbox(archive, settings, shift_ids=[shift.id], now=T0, sender=dying)
    except KeyboardInterrupt:
        pass
    ok = lambda url, rendered: SendResult(True, None, redact(url))  # noqa: E731
    assert process_outbox(archive, settings, now=T0 + timedelta(minutes=5), sender=ok).sent == ()
    assert [d.shift_id for d in process_outbox(archive, settings, now=T0 + timedelta(minutes=16), sender=ok).sent] == [shift.id]
