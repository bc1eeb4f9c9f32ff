"""Prefect's API server (uvicorn), stopped when the process that started it is gone.

Run as a script by flows.lifecycle: ``python _prefect_server_child.py PARENT_PID UVICORN_ARGS...``. The
server runs in a session of its own (a Ctrl-C to the command's process group never reaches it); this
watchdog makes it exit even when its parent dies without stopping it (SIGKILL, a crash).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

_CHECK_SECONDS = 0.5


def _stop_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's own graceful shutdown


def main() -> None:
    parent = int(sys.argv[1])
    threading.Thread(target=_stop_when_orphaned, args=(parent,), name="parent-watch", daemon=True).start()
    from uvicorn.main import main as uvicorn_main

    sys.argv = ["uvicorn", *sys.argv[2:]]
    uvicorn_main()


if __name__ == "__main__":
    main()
