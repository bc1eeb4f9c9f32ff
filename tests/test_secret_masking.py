"""apprise prints secrets in 'privacy mode' as their first and last characters ('S...W') or last four
('...t-PW'); even that is part of a secret, so neither may reach the archive, the logs or a report."""

from __future__ import annotations

import json
import logging

from alerts.deliver import AlertSettings, scrub
from alerts.outbox import process_outbox
from tests.support.evidence import NOW, REVERSAL, SUPPORT, archive_with, detect_and_save
from tests.support.sinks import smtp_sink

PASSWORD = "Sup3r-S3cret-PW"


def test_scrub_removes_apprise_masked_forms_of_a_secret():
    url = f"mailto://alerts:{PASSWORD}@smtp.example.com?to=desk@example.com"
    message = "Authentication failed for mailto://a...s:S...W@smtp.example.com (token ...t-PW)"
    cleaned = scrub(message, url)
    assert "S...W" not in cleaned and "...t-PW" not in cleaned and "a...s" not in cleaned
    assert "smtp.example.com" in cleaned


def test_no_masked_secret_in_deliveries_or_logs_after_a_failed_login(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    archive = archive_with(tmp_path / "a.duckdb", SUPPORT + REVERSAL)
    [shift] = detect_and_save(archive).new
    with smtp_sink() as smtp:  # offers no AUTH: the login fails and apprise logs the URL it tried
        url = smtp.url(userinfo=f"alerts:{PASSWORD}")
        report = process_outbox(archive, AlertSettings(urls=(url,)), shift_ids=[shift.id], now=NOW)
    [failed] = report.failed
    with archive.connect(read_only=True) as con:
        stored = json.dumps(con.execute("SELECT * FROM deliveries").fetchall(), default=str)
    for text in (stored, failed.last_error or "", repr(report)):
        assert f"{PASSWORD[0]}...{PASSWORD[-1]}" not in text
        assert f"...{PASSWORD[-4:]}" not in text
