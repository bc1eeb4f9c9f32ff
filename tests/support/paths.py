"""Where things are, relative to the repository: no test names an absolute path.

The shared data folder is a checkout of ``shared/`` beside the repository (CI clones it there).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEVSET", "REPO", "REPO_SEEDS", "SHARED", "SHARED_SEEDS", "TEST_DATA", "TESTS", "shared_path"]

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
REPO_SEEDS = REPO / "seeds"  # the bundled demo: watchlist.yaml, seeds.jsonl
SHARED_SEEDS = SHARED / "seeds"  # the four founding articles as plain text
TEST_DATA = TESTS / "data"
DEVSET = TESTS / "devset"


def shared_path(*parts: str) -> Path:
    """A path under ``SHARED``; a clear error when the shared data is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the tests expect the shared data folder at {SHARED} "
            "(a 'shared/' checkout beside the repository)"
        )
    return path
