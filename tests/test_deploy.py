"""The deployments are defined once: deploy/prefect.yaml is generated from the ones `serve` builds."""

from __future__ import annotations

import yaml

from flows.serve import build_deployments, prefect_yaml
from flows.settings import load_settings
from tests.support import REPO


def test_checked_in_prefect_yaml_is_what_serve_builds():
    generated = prefect_yaml(load_settings(None))
    assert (REPO / "deploy" / "prefect.yaml").read_text(encoding="utf-8") == generated, (
        "deploy/prefect.yaml is stale: run `stancewatch serve --write-prefect-yaml deploy/prefect.yaml`")


def test_yaml_and_served_deployments_agree_on_names_entrypoints_schedules_and_triggers(tmp_path):
    config = tmp_path / "w.yaml"
    config.write_text((REPO / "seeds" / "watchlist.yaml").read_text().replace("*/15 * * * *", "*/5 * * * *")
                      .replace("seeds.jsonl", str(REPO / "seeds" / "seeds.jsonl")))
    settings = load_settings(str(config))
    served = {d.name: d for d in build_deployments(settings)}
    written = {d["name"]: d for d in yaml.safe_load(prefect_yaml(settings))["deployments"]}
    assert set(served) == set(written) == {"poll", "analyze", "alert"}
    for name, deployment in served.items():
        entry = written[name]
        assert entry["entrypoint"] == deployment.entrypoint
        assert set(entry["parameters"]) == set(deployment.parameters) == {"config", "database"}
        crons = [s.schedule.cron for s in deployment.schedules if getattr(s.schedule, "cron", None)]
        assert [s["cron"] for s in entry.get("schedules", []) if "cron" in s] == crons
        assert [sorted(t.expect) for t in deployment.triggers] == [t["expect"] for t in entry.get("triggers", [])]
        for trigger, written_trigger in zip(deployment.triggers, entry.get("triggers", [])):
            served_id = trigger.match.model_dump(mode="json")["prefect.resource.id"]
            assert served_id == f"stancewatch.archive.{settings.database.resolve()}"
            assert written_trigger["match"]["prefect.resource.id"] == "stancewatch.archive.{{ $STANCEWATCH_DATABASE }}"
            assert set(written_trigger["parameters"]) == set(trigger.parameters)
    assert written["poll"]["schedules"] == [{"cron": "*/5 * * * *"}]
    assert written["alert"]["schedules"] == [{"interval": 600}]
