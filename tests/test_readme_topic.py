"""The founding shift comes from the topic as the README's example writes it, not only from the bundled
watchlist (whose extra pro terms were added after reading the seeds)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO, REPO_SEEDS

pytestmark = pytest.mark.timeout(300)

EXE = Path(sys.executable).with_name("stancewatch")


def _readme_topic_config(tmp_path: Path) -> Path:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("entities:\n  - id: meta"):]
    example = example[: example.index("\nalerts:")]
    config = tmp_path / "w.yaml"
    config.write_text(f"database: {tmp_path / 'a.duckdb'}\n{example}\n", encoding="utf-8")
    return config


def test_the_readme_example_topic_finds_the_founding_shift(tmp_path):
    config = _readme_topic_config(tmp_path)
    assert "the open one" not in config.read_text()  # the README's terms, not the bundled watchlist's
    backfill = subprocess.run([str(EXE), "--config", str(config), "backfill", str(REPO_SEEDS / "seeds.jsonl")],
                              capture_output=True, text=True, timeout=240)
    assert backfill.returncode == 0, backfill.stdout + backfill.stderr
    shifts = subprocess.run([str(EXE), "--config", str(config), "shifts", "--json"], capture_output=True,
                            text=True, timeout=120)
    [shift] = json.loads(shifts.stdout)
    assert shift["entity"] == "meta" and shift["direction"].startswith("pro->")
    assert shift["confidence"] >= 0.6
    assert any("Open Source AI is the Path Forward" in s["text"] for s in shift["before"])
    assert any("careful about what we choose to open source" in s["text"] for s in shift["after"])
