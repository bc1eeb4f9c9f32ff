"""`stancewatch serve`: the scheduled, event-driven service.

Three deployments served from this process:
- poll     on the config's cron schedule: poll every source, archive what is new, emit `stancewatch.articles.ingested`;
- analyze  triggered by that event: statements, shift detection, emits `stancewatch.shifts.detected`;
- alert    triggered by that event, and every 10 minutes to retry failed deliveries.
Prefect's temporary server runs flows but not schedules, so without $PREFECT_API_URL this starts
`prefect server start` on 127.0.0.1:4200 (UI there too) and stops it on exit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from flows.settings import Settings

__all__ = ["serve_forever", "build_deployments", "start_local_server"]

LOCAL_API = "http://127.0.0.1:4200/api"


def build_deployments(settings: Settings) -> list:
    from prefect.events import DeploymentEventTrigger

    from flows.alert import alert_flow
    from flows.analyze import analyze_flow
    from flows.events import ARTICLES_INGESTED, SHIFTS_DETECTED
    from flows.ingest import poll_sources_flow

    params = {"config": str(settings.config_path.resolve()) if settings.config_path else None,
              "database": str(settings.database.resolve())}
    on = lambda event: DeploymentEventTrigger(  # noqa: E731
        expect={event}, match={"prefect.resource.id": f"stancewatch.archive.{settings.database.resolve()}"},
        parameters=params,
    )
    return [
        poll_sources_flow.to_deployment(name="poll", cron=settings.schedule.poll, parameters=params),
        analyze_flow.to_deployment(name="analyze", triggers=[on(ARTICLES_INGESTED)], parameters=params),
        alert_flow.to_deployment(name="alert", interval=600, triggers=[on(SHIFTS_DETECTED)], parameters=params),
    ]


def start_local_server(log_path: Path, port: int = 4200, wait: float = 90.0) -> subprocess.Popen:
    """`prefect server start` on 127.0.0.1 (SQLite), returned once its health check answers."""
    prefect = shutil.which("prefect", path=str(Path(sys.executable).parent)) or shutil.which("prefect")
    if prefect is None:
        raise RuntimeError("the `prefect` command is not installed in this environment")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "true")}
    log_file = log_path.open("ab")
    # its own session: a Ctrl-C or SIGTERM to our process group must not kill the server while the runner
    # is still pausing its deployments through it; serve_forever stops it last
    process = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + wait
    api = f"http://127.0.0.1:{port}/api/health"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with {process.returncode}; see {log_path}")
        try:
            if httpx.get(api, timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(1)
    process.terminate()
    raise RuntimeError(f"prefect server did not answer on {api} within {wait:.0f}s; see {log_path}")


def serve_forever(settings: Settings, api_url: str | None = None) -> int:
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = None
    url = api_url or os.environ.get("PREFECT_API_URL")
    if not url:
        log_path = settings.database.resolve().with_name("prefect-server.log")
        print(f"Starting a local Prefect server on 127.0.0.1:4200 (log: {log_path}) …", flush=True)
        server = start_local_server(log_path)
        url = LOCAL_API
        print("Prefect UI: http://127.0.0.1:4200", flush=True)
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            os.environ["PREFECT_API_URL"] = url  # for the runs the runner starts in subprocesses
            print(f"Serving poll ({settings.schedule.poll}), analyze and alert for {settings.database} …", flush=True)
            serve(*build_deployments(settings))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    return 0
