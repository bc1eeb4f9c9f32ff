"""Shared fixtures: Prefect's test harness (once per session), the bundled settings; ../shared must be present."""

from __future__ import annotations

import os

import pytest

from tests.support.paths import SHARED

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def pytest_configure(config):
    if not SHARED.is_dir():
        raise pytest.UsageError(f"the tests need ../shared beside the repo ({SHARED}); CI clones it there")


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect server for flow tests (~8 s once); heartbeats off."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield


@pytest.fixture(scope="session")
def seed_settings():
    from flows.settings import SEEDS_DIR, load_settings

    return load_settings(SEEDS_DIR / "watchlist.yaml")
