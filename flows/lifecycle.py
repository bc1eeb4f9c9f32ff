"""The process of a command that runs flows: its own temporary Prefect server, signals that stop it
cleanly, and Prefect's history kept bounded.

Left to itself, Prefect starts a temporary API server (`SubprocessASGIServer`) as a child in the
command's process group: a Ctrl-C or SIGTERM to the group kills the server while the command runs on
(and then retries its events for 90 s), and a signal to the command alone leaves the server running.
So a command starts that server itself (`temporary_prefect_server`), in a session of its own that
group signals never reach and that exits when the command's process is gone, sends its events and
logs to it before stopping it, and deletes flow runs older than the retention.

Signals (`stop_on_signals`): a first SIGINT or SIGTERM asks the command to stop. Flows look at
`stop_requested()` between batches: the batch in hand is finished (saved, or spooled when the archive
is held), nothing new is started, and the command prints its summary and exits 128 + the signal (130,
143). A second signal, or `grace` seconds without the command having stopped, stops it at once: the
server is stopped and the process exits with the same code; what was written stays written, the batch
in hand is read again by the next run.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

__all__ = ["GRACE_SECONDS", "HISTORY_DAYS", "done_unless_stopped", "hold_signals", "prune_history", "stop_on_signals", "stop_requested",
           "stop_signal", "temporary_prefect_server"]

GRACE_SECONDS = 10.0  # from the first signal until the command is interrupted wherever it is
HISTORY_DAYS = 7.0  # flow runs (with their task runs and logs) older than this are deleted; Prefect keeps events 7 days
_STARTUP_SECONDS = 90.0  # a first start migrates a new database: ~20 s on a busy 2-core machine
_DRAIN_SECONDS = 10.0
_STOP_SECONDS = 5.0
_PRUNE_BATCH = 50  # the most `POST /flow_runs/bulk_delete` takes at once
_PRUNE_MAX_BATCHES = 20  # per start: 1,000 flow runs, a bounded pause even after months without pruning
_PRUNE_RETRIES = 5  # 0.5 + 1 + 2 + 4 s of waiting at most
_CHILD = Path(__file__).with_name("_prefect_server_child.py")
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


# --- stop requests ------------------------------------------------------------------------


class _StopRequest:
    """The first stopping signal of this process, the handlers that record it, and the stop at once.

    Stopping at once exits the process (os._exit) after stopping the Prefect server, rather than raising
    KeyboardInterrupt wherever the main thread is: inside a DuckDB query that surfaces as "Query
    interrupted" and Prefect logs it as a failed run with a traceback. Exiting is as safe as SIGKILL:
    a DuckDB transaction not committed is rolled back when the archive is next opened, a spool batch is
    written to a temporary file and renamed."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum: int | None = None
        self.active = False  # a command owns the signals (see stop_on_signals)
        self.grace = GRACE_SECONDS
        self.before_exit: list[Callable[[], None]] = []  # what stopping at once must still do (the server)
        self._timer: threading.Timer | None = None

    def handle(self, signum: int, frame) -> None:
        if self.event.is_set():
            self.exit_now("a second signal")
        self.signum = signum
        self.event.set()
        # os.write, not print: a handler that prints while the main thread is printing raises a reentrant-call error
        os.write(2, f"\nstancewatch: {signal.Signals(signum).name} received, stopping after the current batch "
                    "(again to stop at once) …\n".encode())
        self._timer = threading.Timer(self.grace, self.exit_now, args=(f"{self.grace:g} s without stopping",))
        self._timer.daemon = True
        self._timer.start()

    def exit_now(self, why: str) -> None:
        os.write(2, f"stancewatch: stopped at once ({why}): every batch saved before is in the archive (or its "
                    "spool), the batch in hand is read again by the next run\n".encode())
        for action in self.before_exit:
            try:
                action()
            except Exception:  # exiting regardless: the server also stops on its own when we are gone
                pass
        sys.stdout.flush()
        os._exit(128 + (self.signum or signal.SIGINT))

    def cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def reset(self) -> None:
        self.cancel_timer()
        self.event.clear()
        self.signum = None


_STOP = _StopRequest()


def stop_requested() -> bool:
    """True once the command was asked to stop: finish the batch in hand, start nothing new."""
    return _STOP.event.is_set()


def stop_signal() -> int | None:
    """The signal that asked the command to stop, or None."""
    return _STOP.signum


def done_unless_stopped(future, poll_seconds: float = 0.25) -> bool:
    """Wait for a submitted task (a Prefect future wrapping a concurrent one); False as soon as a stop is
    requested before it is done (the caller leaves it: closing what it runs on cancels it)."""
    while not future.wrapped_future.done():
        if stop_requested():
            return False
        future.wait(timeout=poll_seconds)
    return True


def hold_signals() -> None:
    """Inside a flow run by a command: put the command's handlers back. Prefect's flow engine swaps in
    its own SIGTERM handler, which crashes the run at once. Nothing happens for a flow that no command
    runs (a deployment served by `serve` keeps Prefect's handler, which its cancellation needs)."""
    if _STOP.active and threading.current_thread() is threading.main_thread():
        for signum in _SIGNALS:
            signal.signal(signum, _STOP.handle)


@contextmanager
def stop_on_signals(grace: float = GRACE_SECONDS) -> Iterator[None]:
    """SIGINT and SIGTERM ask the command in the block to stop (see the module's docstring)."""
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    _STOP.reset()
    _STOP.grace, _STOP.active = grace, True
    for signum in _SIGNALS:
        signal.signal(signum, _STOP.handle)
    try:
        yield
    finally:
        _STOP.cancel_timer()
        _STOP.active = False
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """While the server is being stopped, a signal is noted, not raised: the clean-up always completes."""
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    for signum in _SIGNALS:
        signal.signal(signum, lambda signum, frame: None)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# --- the temporary Prefect server -----------------------------------------------------------


@contextmanager
def temporary_prefect_server(environ: MutableMapping[str, str], history_days: float = HISTORY_DAYS) -> Iterator[str]:
    """Prefect's temporary API server for the block (its URL), unless Prefect's settings or `environ` (the
    process's environment, which the server inherits and where PREFECT_API_URL is set for the block) name one.

    Stopped after the block has sent its events and logs; flow runs older than `history_days` are
    deleted when it starts. Its output goes to PREFECT_HOME/stancewatch-server.log.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    named = environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()  # the settings: a profile, a test harness
    if named:
        yield named
        return

    process, url = _start_server(environ, timedelta(days=history_days))
    stop_server = functools.partial(_stop_server, process)
    _STOP.before_exit.append(stop_server)
    try:
        _prune_quietly(url, timedelta(days=history_days))
        environ["PREFECT_API_URL"] = url  # for anything that reads the environment, not the settings
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield url
            finally:
                with _signals_deferred():
                    drain_prefect_workers()
    finally:
        environ.pop("PREFECT_API_URL", None)
        with _signals_deferred():
            _stop_server(process)
        _STOP.before_exit.remove(stop_server)


def _prune_quietly(url: str, older_than: timedelta) -> None:
    try:
        deleted = prune_history(url, older_than)
    except httpx.HTTPError as exc:  # history is housekeeping: never a reason to fail the command
        logging.getLogger("stancewatch.lifecycle").warning("Prefect history not pruned: %s", exc)
        return
    if deleted:
        logging.getLogger("stancewatch.lifecycle").info("deleted %d Prefect flow runs older than %s", deleted,
                                                         older_than)


def _start_server(environ: Mapping[str, str], history: timedelta) -> tuple[subprocess.Popen, str]:
    from prefect.settings import PREFECT_HOME, get_current_settings

    log_path = Path(PREFECT_HOME.value()).expanduser() / "stancewatch-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**environ, **get_current_settings().to_environment_variables(exclude_unset=True),
           # as Prefect's own temporary server: no UI, only the services a short-lived server needs
           "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    # events are not a flow run's: Prefect's event vacuum (it runs in a temporary server too) keeps them this long
    env.setdefault("PREFECT_SERVER_EVENTS_RETENTION_PERIOD", f"PT{int(history.total_seconds())}S")
    env.pop("PREFECT_API_URL", None)
    port = _free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, str(_CHILD), str(os.getpid()), "--app-dir", str(_prefect_parent()), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(process, url, log_path)
    except BaseException:
        _stop_server(process)
        raise
    return process, url


def _prefect_parent() -> Path:
    import prefect

    return Path(prefect.__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Prefect's temporary server exited with {process.returncode}; see {log_path}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Prefect's temporary server did not answer on {url} within {_STARTUP_SECONDS:.0f} s; "
                       f"see {log_path}")


def _stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def drain_prefect_workers(timeout: float = _DRAIN_SECONDS) -> None:
    """Send what Prefect's background workers still hold (events, logs) while the server is up."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(timeout=timeout)
    APILogWorker.drain_all(timeout=timeout)


def prune_history(api_url: str, older_than: timedelta) -> int:
    """Delete flow runs (their task runs, states and logs go with them) that ended, or started
    without ending, more than `older_than` ago; at most _PRUNE_MAX_BATCHES x _PRUNE_BATCH per call."""
    cutoff = (datetime.now(timezone.utc) - older_than).isoformat()
    filters = ({"end_time": {"before_": cutoff}}, {"end_time": {"is_null_": True}, "start_time": {"before_": cutoff}})
    deleted = 0
    with httpx.Client(base_url=api_url, timeout=30) as client:
        for flow_runs in filters:
            for _ in range(_PRUNE_MAX_BATCHES):
                batch = _delete_batch(client, flow_runs)
                deleted += batch
                if batch < _PRUNE_BATCH:
                    break
    return deleted


def _delete_batch(client: httpx.Client, flow_runs: dict) -> int:
    """One bulk delete; a 503 (a new server's SQLite database busy with its own start-up work) is retried."""
    for attempt in range(_PRUNE_RETRIES):
        response = client.post("/flow_runs/bulk_delete", json={"flow_runs": flow_runs, "limit": _PRUNE_BATCH})
        if response.status_code != 503 or attempt == _PRUNE_RETRIES - 1:
            break
        time.sleep(0.5 * 2**attempt)
    response.raise_for_status()
    return len(response.json().get("deleted", []))
