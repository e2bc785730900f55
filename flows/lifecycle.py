"""Children die with their parent: a `kill -9` of the service must not leave a Prefect server
holding the port, or a flow run finishing work that the restarted service will redo."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent exits (no-op elsewhere).

    The signal only comes for a death after the request: a pool worker still importing (3 s) when
    its flow run was killed would live on, idle and holding its memory (seen: two OCR workers
    orphaned by the kill -9 test). So a process whose parent is already gone exits here."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1 or not _alive(multiprocessing.parent_process()):
        os._exit(1)


def _alive(parent) -> bool:
    """Whether the process that asked for this one still runs. Not `os.getppid() == parent.pid`:
    a pool worker started by a forkserver is the forkserver's child, not its requester's."""
    if parent is None:
        return True
    try:
        os.kill(parent.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def exit_with_requester() -> None:
    """A forkserver's child: exit when the process that asked for it does. Its parent is the
    forkserver, which outlives a killed flow run: each child holds the forkserver's keep-alive
    pipe, so neither ends and the parent-death signal never comes (seen: a forkserver and two
    OCR workers left after the kill -9 test, waiting on their dead run's queue). A thread waits
    on the requester's sentinel (no polling) and ends the process."""
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-requester", daemon=True).start()


def init_ocr_worker() -> None:
    """Initializer of the flows' OCR process pool: the extractors' own set-up, and die with the flow."""
    from extractors.readpage import init_worker

    die_with_parent()
    exit_with_requester()
    init_worker()
