"""The config: the YAML of DESIGN.md into one typed settings object; bad files refused with file, line and reason."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flows.settings import SEEDS_DIR, ConfigError, default_config_path, load_settings

GOOD = textwrap.dedent("""\
    database: archive.duckdb
    sources:
      - {name: Example News, feed: "https://example.com/rss"}
      - {name: Example sitemap, sitemap: "https://example.com/news-sitemap.xml"}
      - {name: One page, url: "https://example.com/article"}
      - {name: Local, path: articles/}
    entities:
      - id: meta
        name: Meta
        aliases: [Meta Platforms, Facebook]
        people: {Mark Zuckerberg: CEO, Yann LeCun: Chief AI Scientist}
    topics:
      - id: open-source-ai
        name: Open-sourcing AI models
        proposition: Meta releases its most capable AI models openly.
        keywords: [open source, Llama]
        pro: [open source, open weights]
        con: [closed model, proprietary]
    alerts:
      urls: ["${SLACK_WEBHOOK_URL}", "mailto://user:${SMTP_PASSWORD}@smtp.example.com?to=desk@example.com"]
      min_confidence: 0.7
    schedule: {poll: "*/10 * * * *"}
    fetch: {per_host: 2, timeout: 12, max_bytes: 1000000, robots: false, allow_private: true}
""")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stancewatch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_design_example_loads_into_typed_settings(tmp_path):
    env = {"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/secret", "SMTP_PASSWORD": "pw"}
    settings = load_settings(write(tmp_path, GOOD), environ=env)
    assert settings.database == Path("archive.duckdb")
    assert [s.kind for s in settings.sources] == ["feed", "sitemap", "url", "path"]
    assert settings.sources[3].url == str((tmp_path / "articles").resolve())
    meta = settings.watchlist.entity("meta")
    assert meta.aliases == ("Meta Platforms", "Facebook")
    assert [(p.name, p.role) for p in meta.people] == [("Mark Zuckerberg", "CEO"), ("Yann LeCun", "Chief AI Scientist")]
    topic = settings.watchlist.topic("open-source-ai")
    assert topic.con == ("closed model", "proprietary")
    assert settings.alerts.urls[0] == env["SLACK_WEBHOOK_URL"]
    assert settings.alerts.urls[1] == "mailto://user:pw@smtp.example.com?to=desk@example.com"
    assert settings.alerts.min_confidence == 0.7
    assert settings.fetch.per_host == 2 and settings.fetch.timeout == 12 and settings.fetch.allow_private
    assert settings.fetch.robots is False
    assert settings.schedule.poll == "*/10 * * * *"


def test_unset_secret_turns_that_channel_off_not_the_run(tmp_path, caplog):
    settings = load_settings(write(tmp_path, GOOD), environ={"SMTP_PASSWORD": "pw"})
    assert settings.alerts.urls == ("mailto://user:pw@smtp.example.com?to=desk@example.com",)
    assert "SLACK_WEBHOOK_URL" not in " ".join(settings.alerts.urls)
    assert "not set" in caplog.text


def test_alert_urls_also_come_from_the_environment(tmp_path):
    env = {"SMTP_PASSWORD": "pw", "STANCEWATCH_ALERT_URLS": "json://127.0.0.1:9/hook, mailto://a.example"}
    settings = load_settings(write(tmp_path, GOOD), environ=env)
    assert settings.alerts.urls[-2:] == ("json://127.0.0.1:9/hook", "mailto://a.example")


@pytest.mark.parametrize(
    ("broken", "line", "reason"),
    [
        (GOOD.replace("pro: [open source, open weights]", "pro: open source"), 17, "topics[0].pro: expected a list of strings"),
        (GOOD.replace("min_confidence: 0.7", "min_confidence: 7"), 21, "alerts.min_confidence: must be between 0 and 1"),
        (GOOD.replace("per_host: 2", "per_host: many"), 23, "fetch.per_host: expected a whole number"),
        (GOOD.replace('feed: "https://example.com/rss"', 'feed: "example.com/rss"'), 3, "sources[0].feed: expected an http(s) URL"),
        (GOOD.replace("    aliases: [Meta Platforms, Facebook]\n", "    aliasses: [Meta]\n"), 10, "entities[0].aliasses: unknown key"),
        (GOOD.replace('poll: "*/10 * * * *"', 'poll: "every ten minutes"'), 22, "schedule.poll: not a cron expression"),
        (GOOD.replace("  - id: open-source-ai\n", "  - id: Open Source!\n"), 13, "topics[0].id: use lowercase"),
        (GOOD + "entities: []\n", 24, "'entities' appears twice"),
        (GOOD.replace("keywords: [open source, Llama]", "keywords: [open source, Llama"), 17, "not valid YAML"),
    ],
)
def test_bad_config_is_refused_with_file_line_and_reason(tmp_path, broken, line, reason):
    path = write(tmp_path, broken)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={"SLACK_WEBHOOK_URL": "x://y", "SMTP_PASSWORD": "pw"})
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert reason in message


def test_missing_file_and_missing_variable_outside_alerts(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "nope.yaml")
    path = write(tmp_path, GOOD.replace("database: archive.duckdb", "database: ${ARCHIVE_DIR}/a.duckdb"))
    with pytest.raises(ConfigError, match=r":1: database: environment variable ARCHIVE_DIR is not set"):
        load_settings(path, environ={})


def test_default_config_is_local_file_else_bundled_seeds(tmp_path):
    assert default_config_path(tmp_path) == SEEDS_DIR / "watchlist.yaml"
    write(tmp_path, GOOD)
    assert default_config_path(tmp_path) == tmp_path / "stancewatch.yaml"


def test_bundled_watchlist_watches_meta_on_open_source_ai(seed_settings):
    assert seed_settings.watchlist.entity("meta").name == "Meta"
    assert seed_settings.watchlist.topic("open-source-ai").proposition
    (source,) = seed_settings.sources
    assert source.kind == "path" and Path(source.url) == SEEDS_DIR / "seeds.jsonl"


def test_db_override(tmp_path):
    settings = load_settings(write(tmp_path, GOOD), database=tmp_path / "other.duckdb", environ={"SMTP_PASSWORD": "p"})
    assert settings.database == tmp_path / "other.duckdb"


def test_alert_url_secret_from_a_prefect_secret_block(tmp_path, prefect_harness, caplog):
    from prefect.blocks.system import Secret

    Secret(value="hooks-secret-token").save("slack-token", overwrite=True)
    config = GOOD.replace('"${SLACK_WEBHOOK_URL}"', '"json://127.0.0.1:9/${prefect-secret:slack-token}", '
                                                     '"json://127.0.0.1:9/${prefect-secret:missing-block}"')
    settings = load_settings(write(tmp_path, config), environ={"SMTP_PASSWORD": "pw"})
    assert settings.alerts.urls[0] == "json://127.0.0.1:9/hooks-secret-token"
    assert len(settings.alerts.urls) == 2  # the unreadable block's channel is off, with a warning
    assert "missing-block" in caplog.text and "hooks-secret-token" not in caplog.text
