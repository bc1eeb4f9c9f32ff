"""What every flow shares: the archive for a settings object, and task defaults."""

from __future__ import annotations

from prefect.cache_policies import NO_CACHE

from flows.lifecycle import stop_requested
from flows.settings import Settings, load_settings
from storage.db import Archive

__all__ = ["BATCH_SIZE", "archive_for", "settings_for", "TASK_DEFAULTS", "IO_TASK_DEFAULTS"]

BATCH_SIZE = 50  # articles per task: Prefect costs ~25 ms per task run, so never one task per article

# Tasks take in-process objects (settings, records): no input hashing, no result caching.
TASK_DEFAULTS = {"cache_policy": NO_CACHE}


def _retry_unless_stopping(task, task_run, state) -> bool:
    """No retry once the command was asked to stop (a signal): it must end within seconds."""
    return not stop_requested()


IO_TASK_DEFAULTS = {"cache_policy": NO_CACHE, "retries": 2, "retry_delay_seconds": [2, 10],
                    "retry_condition_fn": _retry_unless_stopping}


def settings_for(config: str | None, database: str | None) -> Settings:
    return load_settings(config, database=database)


def archive_for(settings: Settings) -> Archive:
    return Archive(settings.database, lock_wait=settings.lock_wait)
