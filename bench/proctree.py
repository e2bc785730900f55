"""CPU time of a process and all its descendants, grouped by role, read from /proc (Linux).

The service is a tree of processes (Prefect server, runner, flow-run process, OCR pool workers,
the intake/web process); a benchmark that only times the wall clock cannot say which of them ate
the cores. Processes come and go during a run, so the tree is sampled and the last figure seen for
each pid is kept."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after its closing one.
    rest = raw[raw.rindex(")") + 2:].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / TICKS


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def role(cmdline: str, parent_role: str | None) -> str:
    if "prefect" in cmdline and "server" in cmdline and "start" in cmdline:
        return "prefect server"
    if "flows.runner" in cmdline:
        return "runner"
    if "flows.cli run" in cmdline:
        return "service (intake, web)"
    if "multiprocessing" in cmdline and parent_role == "flow run":
        return "OCR pool workers"
    if "multiprocessing" in cmdline and parent_role == "prefect server":
        return "prefect server"
    if "multiprocessing" in cmdline and parent_role == "parent":
        return "pool workers"
    if parent_role is None:
        return "parent"
    if parent_role == "runner":
        return "flow run"
    return parent_role


@dataclass
class TreeCpu:
    """Samples the tree under `root` every `every` seconds in a thread until stopped."""

    root: int
    every: float = 0.5
    seen: dict[int, tuple[str, float]] = field(default_factory=dict)  # pid -> (role, cpu s)
    base: dict[int, float] = field(default_factory=dict)  # pid -> cpu s at the start
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        stats = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                s = _stat(int(entry.name))
                if s is not None:
                    stats[int(entry.name)] = s
        children: dict[int, list[int]] = {}
        for pid, (ppid, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        todo = [(self.root, None)]
        while todo:
            pid, parent_role = todo.pop()
            if pid not in stats:
                continue
            known = self.seen.get(pid)
            r = known[0] if known else role(_cmdline(pid), parent_role)
            self.seen[pid] = (r, stats[pid][1])
            todo += [(c, r) for c in children.get(pid, [])]

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def start(self) -> "TreeCpu":
        self.sample()
        self.base = {pid: cpu for pid, (_, cpu) in self.seen.items()}
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> dict[str, float]:
        """CPU seconds by role since the start (a process's figure up to its last sample)."""
        self.sample()
        self._stop.set()
        if self._thread:
            self._thread.join()
        totals: dict[str, float] = {}
        for pid, (r, cpu) in self.seen.items():
            totals[r] = totals.get(r, 0.0) + cpu - self.base.get(pid, 0.0)
        return totals
