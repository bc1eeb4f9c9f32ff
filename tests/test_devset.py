"""The development set is built from its label files: the builder writes exactly the checked-in .jsonl files,
and refuses a label it cannot check (a quote not in the text, a mistyped field, an unquoted date)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support import DEVSET

BUILDER = DEVSET / "build_devset.py"
LABELS = DEVSET / "labels"
SPLITS = ("dev", "heldout")


def run_builder(out: Path, labels: Path = LABELS) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BUILDER), "--labels", str(labels), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)


def labels_with(tmp_path: Path, change: str, to: str) -> Path:
    """A copy of the label files with the first ``change`` in dev.yaml replaced by ``to``."""
    folder = tmp_path / "labels"
    shutil.copytree(LABELS, folder)
    dev = folder / "dev.yaml"
    text = dev.read_text(encoding="utf-8")
    assert change in text
    dev.write_text(text.replace(change, to, 1), encoding="utf-8")
    return folder


def test_the_builder_writes_exactly_the_checked_in_files(tmp_path):
    result = run_builder(tmp_path)
    assert result.returncode == 0, result.stderr
    for split in SPLITS:
        assert (tmp_path / f"{split}.jsonl").read_bytes() == (DEVSET / f"{split}.jsonl").read_bytes(), (
            f"{split}.jsonl is stale: run .venv/bin/python tests/devset/build_devset.py")
    assert "dev.jsonl: 12 documents, 104 gold statements" in result.stdout


def test_the_held_out_labels_are_in_their_own_file_and_share_no_document_with_dev():
    ids = {split: [d["id"] for d in yaml.safe_load((LABELS / f"{split}.yaml").read_text(encoding="utf-8"))["documents"]]
           for split in SPLITS}
    built = {split: [json.loads(line)["id"] for line in (DEVSET / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
             for split in SPLITS}
    assert ids == built
    assert not set(ids["dev"]) & set(ids["heldout"])


@pytest.mark.parametrize(("change", "to", "message"), [
    ("  - quote: careful about what we choose to open source",
     "  - quote: careful about what we choose to close source", "seed-000#0: quote not found"),
    ("        speaker: Zuckerberg\n", "        speker: Zuckerberg\n", "seed-000#0: missing ['speaker'], unknown ['speker']"),
    ("    published: '2025-08-28'", "    published: 2025-08-28", "seed-000: published must be a quoted string"),
    ("        stance: hedged\n", "        stance: null\n", "seed-000#0: stance must be null exactly when topic is null"),
], ids=["quote-not-in-text", "mistyped-field", "unquoted-date", "stance-without-topic"])
def test_a_label_that_cannot_be_checked_is_refused(tmp_path, change, to, message):
    result = run_builder(tmp_path / "out", labels_with(tmp_path, change, to))
    assert result.returncode != 0
    assert message in result.stderr
    assert not (tmp_path / "out" / "dev.jsonl").exists()
