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


@pytest.fixture(autouse=True)
def _prefect_console_on_this_tests_stderr():
    """Prefect's console handler keeps the stream it was configured with; under pytest that is an
    earlier test's capture, closed by now ("I/O operation on closed file", then a RecursionError
    when a flow's prints go to the log). Point it at this test's stderr."""
    import logging
    import sys

    from prefect.logging.handlers import PrefectConsoleHandler

    for logger in [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]:
        for handler in getattr(logger, "handlers", ()):
            if isinstance(handler, PrefectConsoleHandler):
                handler.stream = sys.stderr  # not setStream(): it flushes the closed one
                handler.console.file = sys.stderr
    yield
