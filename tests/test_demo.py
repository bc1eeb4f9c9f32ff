"""`stancewatch demo` end to end through the CLI: the Meta shift printed, the timeline written, the email
delivered to a real SMTP server on 127.0.0.1, and nothing sent twice."""

from __future__ import annotations

import pytest

from flows.cli import main
from storage.db import Archive
from tests.support import smtp_sink

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_demo_prints_the_shift_writes_the_timeline_and_emails_it_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "demo.duckdb"
    with smtp_sink() as smtp:
        monkeypatch.setenv("STANCEWATCH_ALERT_URLS", smtp.url())
        assert main(["--db", str(db), "demo", "--html", "timeline.html"]) == 0
        out = capsys.readouterr().out
        assert "Open Source AI is the Path Forward" in out and "July 2024" in out
        assert "unchanged" in out  # the denial is shown
        assert len(smtp.messages) == 1
        message = smtp.messages[0]
        assert "Meta" in message["Subject"]
        body = message.get_body(("html", "plain")).get_content()
        assert "Open Source AI is the Path Forward" in body and "unchanged" in body

        assert main(["--db", str(db), "demo", "--html", "timeline.html"]) == 0  # again: nothing new, nothing resent
        assert len(smtp.messages) == 1
    page = (tmp_path / "timeline.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Open Source AI is the Path Forward" in page
    with Archive(db).connect(read_only=True) as con:
        deliveries = con.execute("SELECT status, attempts FROM deliveries").fetchall()
    assert deliveries == [("sent", 1)]


def test_shifts_json_has_the_design_shape(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.delenv("STANCEWATCH_ALERT_URLS", raising=False)
    db = tmp_path / "demo.duckdb"
    assert main(["--db", str(db), "demo", "--html", str(tmp_path / "t.html")]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "shifts", "--entity", "Meta", "--json"]) == 0
    (shift,) = json.loads(capsys.readouterr().out)
    assert {"entity", "topic", "direction", "from_stance", "to_stance", "confidence", "detected_at", "before",
            "after", "denials"} <= set(shift)
    assert shift["entity"] == "meta" and shift["direction"].startswith("pro->")
    for statement in shift["before"] + shift["after"] + shift["denials"]:
        assert {"speaker", "text", "stated_at", "url", "stance"} <= set(statement)
    assert main(["--db", str(db), "timeline", "meta", "open-source-ai"]) == 0
    assert "Open Source AI is the Path Forward" in capsys.readouterr().out
