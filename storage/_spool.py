"""The spool's file format: a write operation and its payload as JSON, never pickle.

A batch file names its operation by module and function and carries the payload as tagged JSON
(dataclasses, tuples, datetimes, dates, bytes). Decoding imports nothing outside the project's own
packages and calls nothing but a write operation `op(con, payload)` defined at module level there
and a dataclass constructor: whoever can write the spool folder can do what a batch does (write the
archive, which the same permissions already allow), not run code.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import inspect
import json
import os
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

__all__ = ["SpoolError", "after_drain", "decode_batch", "encode_batch", "new_batch_name", "write_private"]

FORMAT = 1
_PACKAGES = ("storage", "alerts", "extractors", "flows")


class SpoolError(ValueError):
    """A spool file that cannot be turned back into a write: unreadable, foreign or from another format."""


def after_drain(hook: Callable[[Any], Any]) -> Callable[[Callable], Callable]:
    """Mark a write operation whose spooled batches need `hook(con)` once after a drain applied them
    (the full-text index over articles, which DuckDB does not update on insert)."""

    def mark(op: Callable) -> Callable:
        setattr(op, "__after_drain__", hook)  # noqa: B010 (a function attribute mypy cannot type)
        return op

    return mark


def new_batch_name(op: Callable) -> str:
    # time first so that a sorted listing is the order of writes; a uuid so that names never repeat
    # (the archive remembers applied names, see Archive._drain)
    return f"{datetime.now().strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:12]}-{op.__name__}.json"


def encode_batch(op: Callable, payload: Any) -> bytes:
    _check_op(op)
    document = {"format": FORMAT, "op": f"{op.__module__}:{op.__qualname__}", "payload": _encode(payload)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_batch(data: bytes) -> tuple[Callable, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpoolError(f"not a JSON spool batch: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SpoolError(f"unknown spool format {document.get('format') if isinstance(document, dict) else None!r}")
    op = _resolve(document.get("op"), want_class=False)
    try:
        return op, _decode(document.get("payload"))
    except (TypeError, ValueError, KeyError) as exc:
        raise SpoolError(f"payload does not decode: {exc}") from None


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temp file, fsync, rename), readable by the owner only."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- tagged JSON ----------------------------------------------------------------


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$dataclass": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot spool a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$dataclass" in value:
        cls = _resolve(value["$dataclass"], want_class=True)
        return cls(**{name: _decode(v) for name, v in value["fields"].items()})
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    if "$dict" in value:
        return {_hashable(_decode(k)): _decode(v) for k, v in value["$dict"]}
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    raise ValueError(f"unknown tag in {sorted(value)}")


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def _check_op(op: Callable) -> None:
    if "<" in op.__qualname__ or "." in op.__qualname__ or op.__module__.split(".")[0] not in _PACKAGES:
        raise TypeError(f"{op.__qualname__} cannot be spooled: only module-level write operations of "
                        f"{', '.join(_PACKAGES)} can")


def _resolve(name: Any, *, want_class: bool) -> Any:
    if not isinstance(name, str) or name.count(":") != 1:
        raise SpoolError(f"bad name {name!r}")
    module_name, attr = name.split(":")
    if module_name.split(".")[0] not in _PACKAGES or not attr.isidentifier():
        raise SpoolError(f"{name!r} is outside the project's packages")
    try:
        found = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise SpoolError(f"{name!r} does not exist in this version: {exc}") from None
    if want_class:
        if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
            raise SpoolError(f"{name!r} is not a record type")
    elif not (inspect.isfunction(found) and found.__module__ == module_name and _takes_con_and_payload(found)):
        raise SpoolError(f"{name!r} is not a write operation")
    return found


def _takes_con_and_payload(fn: Callable) -> bool:
    parameters = list(inspect.signature(fn).parameters.values())
    return len(parameters) >= 2 and all(p.default is not inspect.Parameter.empty for p in parameters[2:])
