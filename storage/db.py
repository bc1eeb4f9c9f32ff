"""The storage gateway: short-lived connections, lock waits, migrations, the spool; a DuckDB file or DuckLake.

DuckDB lets one process hold a file read-write and locks out every other process,
readers included. So the service opens the archive per batch and closes it at once;
when somebody else holds it (a user's `duckdb stancewatch.duckdb`), writes wait and
retry with a logged reason, and if the wait runs out the batch goes to a spool on
disk, drained before the next successful write. Nothing fetched is lost.

DuckLake (`ducklake:postgres:dbname=... data_path=...`) has no file lock: several machines
write at once. Its tables have no PRIMARY KEY or UNIQUE, so every write transaction first
bumps the one row of `write_serial`; two overlapping writes then conflict at commit and the
later one is run again on fresh data (optimistic, serial writes: no duplicate rows).

Every connection is locked down before use: no extension auto-install or auto-load, and
external access (files and URLs other than the archive) off once the extensions it needs are
loaded from their wheels (DuckDB refuses `LOAD` of a file after external access is off).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources, util
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from storage._spool import SpoolError, decode_batch, encode_batch, new_batch_name, write_private

__all__ = ["Archive", "ArchiveBusy", "ArchiveMissing", "DuckLakeLocation", "Spooled", "apply_migrations",
           "fts_extension_path", "parse_location"]

log = logging.getLogger("stancewatch.storage")

if util.find_spec("pandas") is None:
    # DuckDB looks for pandas at every parameter value it binds; without pandas each look is a failed
    # import (~0.2 ms: a query with 1,000 ids in a list paid 0.2 s). Marked absent, each look fails at once.
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]

Payload = TypeVar("Payload")
Result = TypeVar("Result")
WriteOp = Callable[[duckdb.DuckDBPyConnection, Any], Any]

# Set when the connection is made; external access is switched off once the extensions are loaded.
_CONNECTION_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False, "autoload_known_extensions": False, "allow_community_extensions": False,
}
_CONFLICT_RETRIES = 20


_PROCESS_LOCKS: dict[str, threading.RLock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(key: str) -> threading.RLock:
    """One connection per archive at a time within this process: DuckDB refuses a second concurrent
    attach of the same file, and threads (Prefect's task runner) would otherwise race for it."""
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(key, threading.RLock())


class ArchiveBusy(RuntimeError):
    """Another process holds the archive (or its catalog is unreachable) and did not let go in time."""


class ArchiveMissing(FileNotFoundError):
    """A read was asked of an archive that does not exist yet."""


class Spooled:
    """What `Archive.save` returns when the write was spooled instead of applied."""

    def __init__(self, path: Path):
        self.path = path

    def __repr__(self) -> str:
        return f"Spooled({self.path.name})"


@dataclass(frozen=True)
class DuckLakeLocation:
    """A DuckLake archive: its catalog (`postgres:dbname=... host=...` or a DuckDB catalog file)
    and the data path where its Parquet files live (shared by every machine that writes).

    Path-like where the flows name an archive (`resolve()`, `name`, `with_name()`), so a
    resource id or a log file next to it works for either kind."""

    catalog: str
    data_path: str

    def __str__(self) -> str:
        return f"ducklake:{self.catalog} data_path={self.data_path}"

    def resolve(self) -> DuckLakeLocation:
        return self

    def expanduser(self) -> DuckLakeLocation:
        return self

    @property
    def name(self) -> str:
        match = re.search(r"dbname=(\S+)", self.catalog)
        return f"ducklake-{match.group(1)}" if match else f"ducklake-{Path(self.catalog).stem}"

    def with_name(self, name: str) -> Path:
        """A file of this machine's for this archive (a log, say): never on the shared data path."""
        return self.local_folder() / name

    def local_folder(self) -> Path:
        digest = hashlib.sha256(str(self).encode()).hexdigest()[:12]
        return Path.home() / ".local" / "state" / "stancewatch" / f"{self.name}-{digest}"


_DUCKLAKE = re.compile(r"^ducklake:(?P<catalog>.+?)\s+data_path=(?P<data_path>\S+)\s*$")


def parse_location(value: str | Path | DuckLakeLocation) -> Path | DuckLakeLocation:
    """A DuckDB file path, or `ducklake:CATALOG data_path=DIR` (CATALOG: `postgres:dbname=...` or a file)."""
    if isinstance(value, (Path, DuckLakeLocation)):
        return value
    text = value.strip()
    if not text.startswith("ducklake:"):
        return Path(text).expanduser()
    match = _DUCKLAKE.match(text)
    if not match:
        raise ValueError(f"a DuckLake archive is `ducklake:postgres:dbname=NAME data_path=DIR`, got {text!r}")
    catalog = match.group("catalog").strip()
    if catalog.startswith(("sqlite:", "mysql:")):
        raise ValueError(f"DuckLake catalog {catalog.split(':')[0]} is not supported here: use postgres: or a file")
    data_path = match.group("data_path")
    if "://" not in data_path:
        data_path = str(Path(data_path).expanduser().resolve()) + "/"
    return DuckLakeLocation(catalog=catalog, data_path=data_path)


# --- extensions from their wheels (never downloaded) ---------------------------------------------


def _wheel_extension(module: str, filename: str) -> Path | None:
    try:
        package = __import__(module)
    except ImportError:
        return None
    if package.__file__ is None:
        return None
    path = Path(package.__file__).parent / "extensions" / f"v{duckdb.__version__}" / filename
    return path if path.exists() else None


def fts_extension_path() -> Path | None:
    """The FTS extension shipped by the duckdb-extension-fts wheel (no download)."""
    return _wheel_extension("duckdb_extension_fts", "fts.duckdb_extension")


_LINK_GUARD = threading.Lock()


@functools.cache
def _postgres_extension_path() -> Path:
    """The postgres extension of the duckdb-extension-postgres wheel. Its file is `postgres.duckdb_extension`
    but DuckDB derives the entry point from the file name (`postgres_scanner_init`), so it is loaded
    through a link named `postgres_scanner.duckdb_extension` in a private folder of this process."""
    found = _wheel_extension("duckdb_extension_postgres", "postgres.duckdb_extension")
    if found is None:
        raise RuntimeError("a PostgreSQL DuckLake catalog needs the duckdb-extension-postgres wheel")
    with _LINK_GUARD:
        folder = Path(tempfile.mkdtemp(prefix="stancewatch-ext-"))  # mode 0700
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        link = folder / "postgres_scanner.duckdb_extension"
        link.symlink_to(found)
    return link


def _ducklake_extension_path() -> Path:
    found = _wheel_extension("duckdb_extension_ducklake", "ducklake.duckdb_extension")
    if found is None:
        raise RuntimeError("a DuckLake archive needs the duckdb-extension-ducklake wheel")
    return found


def _load(con: duckdb.DuckDBPyConnection, extension: Path) -> None:
    con.execute(f"LOAD '{extension}'")


def _load_fts(con: duckdb.DuckDBPyConnection) -> None:
    ext = fts_extension_path()
    if ext is not None:
        _load(con, ext)


def _quiet(con: duckdb.DuckDBPyConnection) -> None:
    """No progress bar on stdout (a query over 2 s prints one, into `sql --format json` too); per connection."""
    con.execute("SET enable_progress_bar = false")


def _lock_down(con: duckdb.DuckDBPyConnection, allowed_directories: tuple[str, ...] = (), *, lock: bool = True) -> None:
    """No file or URL but the archive's own, no scan of Python variables, and (`lock`) no setting changed
    after this: a query cannot switch any of it back."""
    if allowed_directories:
        con.execute("SET allowed_directories = ?", [list(allowed_directories)])
    con.execute("SET enable_external_access = false")  # DuckDB refuses to turn it back on while running
    con.execute("SET GLOBAL python_enable_replacements = false")
    if lock:
        con.execute("SET lock_configuration = true")


# --- the two kinds of archive --------------------------------------------------------------------


class _FileBackend:
    dialect = "duckdb"
    busy_reason = "is locked by another process"

    def __init__(self, path: Path):
        self.path = path
        self.key = str(path.resolve())

    def describe(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def default_spool_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".spool")

    def open(self, read_only: bool, fts: bool) -> duckdb.DuckDBPyConnection:
        """A new connection, locked down (extensions first: no `LOAD` of a file once external access is off)."""
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path), read_only=read_only, config=_CONNECTION_CONFIG)
        try:
            _quiet(con)
            if fts:
                _load_fts(con)
            _lock_down(con)
        except BaseException:
            con.close()
            raise
        return con

    def already_migrated(self) -> bool:
        return False  # cheap on a local file, and a file may be replaced under the same path

    def mark_migrated(self) -> None:
        pass

    @staticmethod
    def is_busy(exc: BaseException) -> bool:
        text = str(exc)
        return "lock" in text.lower() and ("Could not set lock" in text or "Conflicting lock" in text)


class _DuckLakeBackend:
    dialect = "ducklake"
    busy_reason = "has an unreachable catalog"

    def __init__(self, location: DuckLakeLocation):
        self.location = location
        self.key = str(location)

    def describe(self) -> str:
        return str(self.location)

    def exists(self) -> bool:
        return True  # known only once attached: a read of an empty catalog finds no tables

    def default_spool_dir(self) -> Path:
        return self.location.local_folder() / "spool"  # per machine, never on the shared data path

    def open(self, read_only: bool, fts: bool) -> duckdb.DuckDBPyConnection:
        """A cursor on this process's DuckDB instance attached to the catalog (one read-write, one read-only):
        loading two extensions and attaching costs 0.3-0.9 s, a cursor nothing, and without a file lock
        there is no reason to let go between batches. The full-text index is not available on DuckLake."""
        key = (self.key, read_only)
        with _INSTANCES_GUARD:
            instance = _INSTANCES.get(key)
            if instance is None:
                instance = _INSTANCES[key] = self._new_instance(read_only)
        cursor = instance.cursor()
        _quiet(cursor)
        cursor.execute("USE archive")
        return cursor

    def _new_instance(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:", config=_CONNECTION_CONFIG)
        try:
            _quiet(con)
            _load(con, _ducklake_extension_path())
            if self.location.catalog.startswith("postgres:"):
                _load(con, _postgres_extension_path())
            if "://" not in self.location.data_path:
                Path(self.location.data_path).mkdir(parents=True, exist_ok=True)
            self._attach(con, read_only)
            # not locked: every cursor still turns its own progress bar off (a per-connection setting)
            _lock_down(con, self.allowed_directories(), lock=False)
        except BaseException:
            con.close()
            raise
        return con

    def already_migrated(self) -> bool:
        return self.key in _MIGRATED_LAKES

    def mark_migrated(self) -> None:
        _MIGRATED_LAKES.add(self.key)

    def _attach(self, con: duckdb.DuckDBPyConnection, read_only: bool) -> None:
        options = f"DATA_PATH '{_quote(self.location.data_path)}'" + (", READ_ONLY" if read_only else "")
        statement = f"ATTACH '{_quote('ducklake:' + self.location.catalog)}' AS archive ({options})"
        for attempt in range(1, 11):
            try:
                con.execute(statement)
                return
            except duckdb.Error as exc:
                # two machines attaching a new catalog at once both create its metadata tables; the
                # loser sees PostgreSQL's duplicate key and attaches the catalog the winner made
                text = str(exc)
                if attempt == 10 or not ("duplicate key" in text or "already exists" in text):
                    raise
                log.info("DuckLake catalog being created by another process; attaching again (%s)", _first_line(exc))
                time.sleep(0.2 * attempt)

    def allowed_directories(self) -> tuple[str, ...]:
        return (self.location.data_path,) if "://" not in self.location.data_path else ()

    @staticmethod
    def is_busy(exc: BaseException) -> bool:
        text = str(exc).lower()
        return "unable to connect to postgres" in text or "connection refused" in text or "could not connect" in text


_INSTANCES: dict[tuple[str, bool], duckdb.DuckDBPyConnection] = {}
_INSTANCES_GUARD = threading.Lock()
_MIGRATED_LAKES: set[str] = set()


def _quote(text: str) -> str:
    return text.replace("'", "''")


# --- migrations ------------------------------------------------------------------------------------


def _migration_files() -> list[tuple[int, str, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


# What DuckLake's tables cannot have (its docs, "Constraints" and "Unsupported Features", and tried
# on 1.5.5): PRIMARY KEY / UNIQUE, CHECK, indexes, sequences (so no nextval defaults). Uniqueness
# there comes from serial writes (write_serial) and the code's own existence checks.
_DUCKLAKE_DROPPED_STATEMENT = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?(INDEX|SEQUENCE)\b", re.IGNORECASE)
_DUCKLAKE_DROPPED_CLAUSES = (
    re.compile(r",\s*PRIMARY\s+KEY\s*\([^)]*\)", re.IGNORECASE),
    re.compile(r"\s+PRIMARY\s+KEY\b", re.IGNORECASE),
    re.compile(r"\s+UNIQUE\b", re.IGNORECASE),
    re.compile(r"\s+CHECK\s*\((?:[^()]|\([^()]*\))*\)", re.IGNORECASE),
    re.compile(r"\s+DEFAULT\s+nextval\s*\(\s*'[^']*'\s*\)", re.IGNORECASE),
)


def _for_dialect(con: duckdb.DuckDBPyConnection, sql: str, dialect: str) -> list[str]:
    statements = [s.query for s in con.extract_statements(sql)]
    if dialect != "ducklake":
        return statements
    kept = []
    for text in statements:
        if _DUCKLAKE_DROPPED_STATEMENT.match(_strip_comments(text)):
            continue
        for clause in _DUCKLAKE_DROPPED_CLAUSES:
            text = clause.sub("", text)
        kept.append(text)
    return kept


def _strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", text).strip()


def _bootstrap(con: duckdb.DuckDBPyConnection, dialect: str) -> None:
    key = " PRIMARY KEY" if dialect == "duckdb" else ""
    con.execute(f"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER{key}, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMPTZ NOT NULL)")
    if dialect == "ducklake":
        con.execute("CREATE TABLE IF NOT EXISTS write_serial (writes BIGINT NOT NULL)")
        con.execute("COMMENT ON TABLE write_serial IS 'One row counting write transactions: each write bumps it "
                    "first, so overlapping writes from two machines conflict and the later one runs again.'")
        if con.execute("SELECT 1 FROM write_serial LIMIT 1").fetchone() is None:
            con.execute("INSERT INTO write_serial VALUES (0)")


def apply_migrations(con: duckdb.DuckDBPyConnection, *, dialect: str = "duckdb") -> list[str]:
    """Apply numbered migrations not yet recorded in `schema_migrations`, each in one transaction."""
    in_transaction(con, lambda c: _bootstrap(c, dialect), dialect=dialect, serial=False)
    applied = []
    for version, name, sql in _migration_files():
        def migrate(c: duckdb.DuckDBPyConnection, version: int = version, name: str = name, sql: str = sql) -> bool:
            if c.execute("SELECT 1 FROM schema_migrations WHERE version = ?", [version]).fetchone():
                return False
            for statement in _for_dialect(c, sql, dialect):
                c.execute(statement)
            c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, now())", [version, name])
            return True

        if in_transaction(con, migrate, dialect=dialect):
            applied.append(name)
            log.info("applied migration %s", name)
    return applied


# --- transactions ----------------------------------------------------------------------------------


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], Result], *,
                   dialect: str = "duckdb", serial: bool = True) -> Result:
    """Run `work` in one transaction. On DuckLake a write first bumps `write_serial` (`serial`), and a
    transaction that lost a conflict to another writer is run again from the start."""
    for attempt in range(1, _CONFLICT_RETRIES + 1):
        con.execute("BEGIN")
        try:
            if dialect == "ducklake" and serial:
                con.execute("UPDATE write_serial SET writes = writes + 1")
            result = work(con)
            con.execute("COMMIT")
            return result
        except duckdb.TransactionException as exc:
            _rollback_quietly(con)
            if dialect != "ducklake" or "conflict" not in str(exc).lower() or attempt == _CONFLICT_RETRIES:
                raise
            log.info("write conflicted with another writer; running it again (attempt %d)", attempt + 1)
            time.sleep(random.uniform(0.02, 0.05) * attempt)
        except BaseException:
            _rollback_quietly(con)
            raise
    raise AssertionError("unreachable")


def _rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # a failed COMMIT already ended the transaction


# --- the archive -----------------------------------------------------------------------------------


class Archive:
    """One archive. Open per batch with `connect()`; a DuckDB file is never kept open between batches
    (a DuckLake catalog stays attached to one in-memory instance per process: no lock to let go of)."""

    def __init__(
        self,
        path: str | Path | DuckLakeLocation,
        *,
        lock_wait: float = 60.0,
        spool_dir: str | Path | None = None,
        retry_every: float = 0.5,
    ):
        self.path = parse_location(path)
        self._backend = _DuckLakeBackend(self.path) if isinstance(self.path, DuckLakeLocation) else _FileBackend(self.path)
        self.lock_wait = lock_wait
        self.retry_every = retry_every
        self.spool_dir = Path(spool_dir) if spool_dir else self._backend.default_spool_dir()
        self._migrated = False

    @property
    def dialect(self) -> str:
        return self._backend.dialect

    # --- connections ------------------------------------------------------

    @contextmanager
    def connect(self, *, read_only: bool = False, fts: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one batch; waits (logging why) while another process holds the file.
        `fts=True` loads the full-text-search extension (~90 ms, so only where it is used)."""
        if read_only and not self._backend.exists():
            raise ArchiveMissing(f"no archive at {self.path}: run `stancewatch demo`, `run` or `backfill` first")
        with _process_lock(self._backend.key):
            con = self._open_with_retry(read_only, fts)
            try:
                if not read_only and not self._migrated and not self._backend.already_migrated():
                    apply_migrations(con, dialect=self.dialect)
                    self._migrated = True
                    self._backend.mark_migrated()
                yield con
            finally:
                con.close()

    def _open_with_retry(self, read_only: bool, fts: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_wait
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._backend.open(read_only, fts)
            except duckdb.Error as exc:
                if not self._backend.is_busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise ArchiveBusy(
                        f"{self._backend.describe()} {self._backend.busy_reason} (waited {self.lock_wait:.0f}s): "
                        f"{_first_line(exc)}"
                    ) from exc
                if attempt == 1 or attempt % 20 == 0:
                    log.warning("archive %s %s; retrying (%s)", self._backend.describe(), self._backend.busy_reason,
                                _first_line(exc))
                time.sleep(self.retry_every)

    # --- writes that never lose data --------------------------------------

    def save(self, op: Callable[[duckdb.DuckDBPyConnection, Payload], Result], payload: Payload) -> Result | Spooled:
        """Run a write operation in one transaction; spool it to disk if the archive stays busy.

        `op` must be a module-level function of the project's packages (the spool names it) and
        `payload` made of records, tuples, lists, strings, numbers and dates (the spool is JSON).
        Spooled batches are applied first, in order, on the next successful write.
        """
        try:
            with self.connect(fts=bool(self.pending_spool())) as con:
                self._drain(con)
                return in_transaction(con, lambda c: op(c, payload), dialect=self.dialect)
        except ArchiveBusy as exc:
            try:
                spooled = self._spool(op, payload)
            except (OSError, TypeError) as failure:
                raise ArchiveBusy(f"{exc}; and the batch was NOT saved, the spool {self.spool_dir} could not take it: "
                                  f"{failure}") from failure
            log.warning("archive busy, batch kept in spool %s: %s", spooled.path, exc)
            return spooled

    def drain_spool(self) -> int:
        """Apply spooled batches now; returns how many were applied."""
        if not self.pending_spool():
            return 0
        with self.connect(fts=True) as con:
            return self._drain(con)

    def pending_spool(self) -> list[Path]:
        """Batches waiting to be applied, oldest first (and pickle files of older versions, to move aside)."""
        if not self.spool_dir.exists():
            return []
        return sorted(self.spool_dir.glob("*.json")) + sorted(self.spool_dir.glob("*.batch"))

    def rejected_spool(self) -> list[Path]:
        """Batches moved aside because they could not be applied (each with a `.reason` file)."""
        folder = self.spool_dir / "rejected"
        return sorted(p for p in folder.iterdir() if p.suffix != ".reason") if folder.exists() else []

    def _spool(self, op: WriteOp, payload: Any) -> Spooled:
        data = encode_batch(op, payload)  # refuses what cannot be written back later, before touching disk
        self._private_spool_dir()
        final = self.spool_dir / new_batch_name(op)
        write_private(final, data)
        return Spooled(final)

    def _private_spool_dir(self) -> None:
        self.spool_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.spool_dir.stat().st_mode & 0o077:
            log.warning("spool folder %s was readable by others; restricting it to its owner", self.spool_dir)
            self.spool_dir.chmod(0o700)

    def _drain(self, con: duckdb.DuckDBPyConnection) -> int:
        """Apply each spooled batch in its own transaction that also records its name, then remove the
        file: a crash between the commit and the removal finds the name next time and applies nothing.
        A batch that cannot be read or applied is moved aside with its reason, never blocking the rest."""
        for legacy in sorted(self.spool_dir.glob("*.batch")):
            self._reject(legacy, "a pickle batch of an older version: never loaded (unpickling can run code); "
                                 "the spool is JSON now")
        applied = 0
        hooks: dict[Callable, None] = {}
        for batch in sorted(self.spool_dir.glob("*.json")):
            op = self._drain_one(con, batch)
            if op is None:
                continue
            applied += 1
            hook = getattr(op, "__after_drain__", None)
            if hook is not None:
                hooks[hook] = None
        for hook in hooks:  # e.g. the full-text index, once for all the batches
            hook(con)
        return applied

    def _drain_one(self, con: duckdb.DuckDBPyConnection, batch: Path) -> WriteOp | None:
        """The operation of `batch` once it is applied and removed; None when it was moved aside."""
        try:
            op, payload = decode_batch(batch.read_bytes())
        except (SpoolError, OSError) as exc:
            self._reject(batch, f"unreadable: {exc}")
            return None
        try:
            fresh = in_transaction(con, functools.partial(_apply_once, name=batch.name, op=op, payload=payload),
                                   dialect=self.dialect)
        except duckdb.IOException:
            raise  # the disk, not the batch: try again next time
        except Exception as exc:  # the batch itself cannot be applied
            self._reject(batch, f"the archive refused it: {type(exc).__name__}: {_first_line(exc)}")
            return None
        batch.unlink()
        in_transaction(con, functools.partial(_forget_applied, name=batch.name), dialect=self.dialect)
        log.info("applied spooled batch %s%s", batch.name, "" if fresh else " (applied before a crash; file removed)")
        return op

    def _reject(self, batch: Path, reason: str) -> None:
        folder = self.spool_dir / "rejected"
        folder.mkdir(exist_ok=True, mode=0o700)
        os.replace(batch, folder / batch.name)
        (folder / (batch.name + ".reason")).write_text(reason + "\n", encoding="utf-8")
        log.error("spooled batch %s moved aside to %s: %s", batch.name, folder, reason)


def _forget_applied(con: duckdb.DuckDBPyConnection, *, name: str) -> None:
    con.execute("DELETE FROM spool_applied WHERE batch = ?", [name])


def _apply_once(con: duckdb.DuckDBPyConnection, *, name: str, op: WriteOp, payload: Any) -> bool:
    if con.execute("SELECT 1 FROM spool_applied WHERE batch = ?", [name]).fetchone():
        return False
    op(con, payload)
    con.execute("INSERT INTO spool_applied (batch, applied_at) VALUES (?, now())", [name])
    return True


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
