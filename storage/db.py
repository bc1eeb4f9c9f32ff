"""The DuckDB gateway: short-lived connections, lock retries, migrations, the spool.

DuckDB lets one process hold a file read-write and locks out every other process,
readers included. So the service opens the archive per batch and closes it at once;
when somebody else holds it (a user's `duckdb stancewatch.duckdb`), writes wait and
retry with a logged reason, and if the wait runs out the batch goes to a spool on
disk, drained before the next successful write. Nothing fetched is lost.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import duckdb

__all__ = ["Archive", "ArchiveBusy", "ArchiveMissing", "Spooled", "fts_extension_path"]

log = logging.getLogger("stancewatch.storage")

Payload = TypeVar("Payload")
Result = TypeVar("Result")
WriteOp = Callable[[duckdb.DuckDBPyConnection, Any], Any]


_PROCESS_LOCKS: dict[str, threading.RLock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path) -> threading.RLock:
    """One connection per file at a time within this process: DuckDB refuses a second concurrent
    attach of the same file, and threads (Prefect's task runner) would otherwise race for it."""
    key = str(path.resolve())
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(key, threading.RLock())


class ArchiveBusy(RuntimeError):
    """Another process holds the archive file and did not let go in time."""


class ArchiveMissing(FileNotFoundError):
    """A read was asked of an archive that does not exist yet."""


class Spooled:
    """What `Archive.save` returns when the write was spooled instead of applied."""

    def __init__(self, path: Path):
        self.path = path

    def __repr__(self) -> str:
        return f"Spooled({self.path.name})"


def fts_extension_path() -> Path | None:
    """The FTS extension shipped by the duckdb-extension-fts wheel (no download)."""
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    found = sorted(Path(duckdb_extension_fts.__file__).parent.glob("extensions/*/fts.duckdb_extension"))
    version_dir = f"v{duckdb.__version__}"
    for path in found:
        if path.parent.name == version_dir:
            return path
    return None


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Could not set lock" in text or "Conflicting lock" in text)


def _migration_files() -> list[tuple[int, str, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply numbered migrations not yet recorded in `schema_migrations`."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in _migration_files():
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
        log.info("applied migration %s", name)
    return applied


class Archive:
    """One DuckDB file. Open per batch with `connect()`; never kept open between batches."""

    def __init__(
        self,
        path: str | Path,
        *,
        lock_wait: float = 60.0,
        spool_dir: str | Path | None = None,
        retry_every: float = 0.5,
    ):
        self.path = Path(path)
        self.lock_wait = lock_wait
        self.retry_every = retry_every
        self.spool_dir = Path(spool_dir) if spool_dir else self.path.with_name(self.path.name + ".spool")
        self._migrated = False

    # --- connections ------------------------------------------------------

    @contextmanager
    def connect(self, *, read_only: bool = False, fts: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one batch; waits (logging why) while another process holds the file.
        `fts=True` loads the full-text-search extension (~90 ms, so only where it is used)."""
        if read_only and not self.path.exists():
            raise ArchiveMissing(f"no archive at {self.path}: run `stancewatch demo`, `run` or `backfill` first")
        with _process_lock(self.path):
            con = self._open_with_retry(read_only)
            try:
                if fts:
                    self._load_fts(con)
                if not read_only and not self._migrated:
                    apply_migrations(con)
                    self._migrated = True
                yield con
            finally:
                con.close()

    def _open_with_retry(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_wait
        attempt = 0
        while True:
            attempt += 1
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise ArchiveBusy(
                        f"{self.path} is held by another process (waited {self.lock_wait:.0f}s): {exc}"
                    ) from exc
                if attempt == 1 or attempt % 20 == 0:
                    log.warning("archive %s is locked by another process; retrying (%s)", self.path, _first_line(exc))
                time.sleep(self.retry_every)

    @staticmethod
    def _load_fts(con: duckdb.DuckDBPyConnection) -> None:
        ext = fts_extension_path()
        if ext is not None:
            con.execute(f"LOAD '{ext}'")

    # --- writes that never lose data --------------------------------------

    def save(self, op: Callable[[duckdb.DuckDBPyConnection, Payload], Result], payload: Payload) -> Result | Spooled:
        """Run a write operation in one transaction; spool it to disk if the archive stays busy.

        `op` must be a module-level function (it is pickled by name into the spool).
        Spooled batches are applied first, in order, on the next successful write.
        """
        try:
            with self.connect() as con:
                self._drain(con)
                return self._apply(con, op, payload)
        except ArchiveBusy as exc:
            spooled = self._spool(op, payload)
            log.warning("archive busy, batch kept in spool %s: %s", spooled.path, exc)
            return spooled

    def drain_spool(self) -> int:
        """Apply spooled batches now; returns how many were applied."""
        if not self.pending_spool():
            return 0
        with self.connect() as con:
            return self._drain(con)

    def pending_spool(self) -> list[Path]:
        if not self.spool_dir.exists():
            return []
        return sorted(self.spool_dir.glob("*.batch"))

    @staticmethod
    def _apply(con: duckdb.DuckDBPyConnection, op: WriteOp, payload: Any) -> Any:
        con.execute("BEGIN")
        try:
            result = op(con, payload)
            con.execute("COMMIT")
            return result
        except Exception:
            con.execute("ROLLBACK")
            raise

    def _spool(self, op: WriteOp, payload: Any) -> Spooled:
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{op.__name__}.batch"
        tmp = self.spool_dir / (name + ".tmp")
        tmp.write_bytes(pickle.dumps((op, payload)))
        final = self.spool_dir / name
        tmp.rename(final)
        return Spooled(final)

    def _drain(self, con: duckdb.DuckDBPyConnection) -> int:
        applied = 0
        for batch in self.pending_spool():
            op, payload = pickle.loads(batch.read_bytes())
            self._apply(con, op, payload)
            batch.unlink()
            applied += 1
            log.info("applied spooled batch %s", batch.name)
        return applied


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
