"""The CLI is a thin layer: every command has help text and README documentation; errors are clear."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from flows.cli import COMMAND_HELP, build_parser, main
from storage.articles import ArticleBatch, save_articles
from storage.db import Archive
from storage.records import Article
from tests.support import REPO


def test_every_command_has_help_and_is_documented_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert set(sub.choices) == set(COMMAND_HELP)
    for name, command in sub.choices.items():
        assert command.description, f"{name} has no help text"
        assert f"stancewatch {name}" in readme or f"`{name}`" in readme, f"{name} is not in the README"


def test_console_script_is_installed_and_prints_help():
    exe = Path(sys.executable).with_name("stancewatch")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True).stdout
    assert "backfill" in out and "timeline" in out


def test_sql_command_formats_and_refuses_writes(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    article = Article(url="https://n.example/a", text="Some text.", title="A title",
                      published_at=datetime(2025, 7, 1, tzinfo=timezone.utc))
    Archive(db).save(save_articles, ArticleBatch((article,), datetime.now(timezone.utc)))
    assert main(["--db", str(db), "sql", "SELECT url, title FROM articles", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"url": "https://n.example/a", "title": "A title"}]
    assert main(["--db", str(db), "sql", "SELECT count(*) AS n FROM articles"]) == 0
    assert "(1 row)" in capsys.readouterr().out
    assert main(["--db", str(db), "sql", "DELETE FROM articles"]) == 2
    assert "only SELECT" in capsys.readouterr().err
    assert main(["--db", str(db), "sql", "SELECT nope FROM articles"]) == 2
    assert "SQL error" in capsys.readouterr().err


def test_missing_archive_and_bad_config_are_clear_errors(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.duckdb"), "sql", "SELECT 1"]) == 1
    assert "no archive at" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities: [\n", encoding="utf-8")
    assert main(["--config", str(bad), "shifts"]) == 2
    err = capsys.readouterr().err
    assert "config error" in err and f"{bad}:" in err


def test_unknown_entity_lists_the_watchlist(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    Archive(db).save(save_articles, ArticleBatch((), datetime.now(timezone.utc)))
    assert main(["--db", str(db), "timeline", "Acme", "open-source-ai"]) == 2
    assert "the watchlist has: meta" in capsys.readouterr().err


def test_alerts_test_without_channels_says_how_to_add_one(capsys, monkeypatch):
    monkeypatch.delenv("STANCEWATCH_ALERT_URLS", raising=False)
    assert main(["alerts", "test"]) == 2
    assert "alerts: urls:" in capsys.readouterr().err


def test_extract_of_a_missing_file_is_a_usage_error(capsys):
    assert main(["extract", "/nonexistent/file.html"]) == 2
    assert "no such file" in capsys.readouterr().err
