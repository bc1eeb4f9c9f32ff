"""The service's deployments: poll on the config's cron, analyze and alert on events (no server started here)."""

from __future__ import annotations

from flows.events import ARTICLES_INGESTED, SHIFTS_DETECTED
from flows.serve import build_deployments


def test_deployments_chain_poll_analyze_alert_through_events(seed_settings):
    poll, analyze, alert = build_deployments(seed_settings)
    assert [d.name for d in (poll, analyze, alert)] == ["poll", "analyze", "alert"]
    assert poll.schedules[0].schedule.cron == seed_settings.schedule.poll
    assert [set(t.expect) for t in analyze.triggers] == [{ARTICLES_INGESTED}]
    assert [set(t.expect) for t in alert.triggers] == [{SHIFTS_DETECTED}]
    assert alert.schedules  # retries of failed deliveries run even without new shifts
    for deployment in (poll, analyze, alert):
        assert deployment.parameters["database"].endswith("stancewatch.duckdb")
