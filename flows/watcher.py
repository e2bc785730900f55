"""The inbox loop: wait for stable files, take them into the ledger, process them, check their case.

A periodic scan is the source of truth (it finds what file-system events missed, on network
shares too); watchdog events only wake the loop early.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from extractors.settings import ExtractSettings
from flows.intake import Layout, StabilityTracker, Taken, take
from flows.process import process_files
from models.store import IntakeFile, Store


@dataclass
class IntakeLoop:
    store: Store
    layout: Layout
    settings: ExtractSettings = field(default_factory=ExtractSettings)
    settle_s: float = 2.0
    scan_every_s: float = 5.0
    report: Callable[[str], None] = lambda line: None
    # What to do with archived files not yet done: process them here (default), or hand them to
    # Prefect (flows.service.PrefectDispatcher).
    process: Callable[[list[int]], None] | None = None

    def __post_init__(self):
        self.tracker = StabilityTracker(self.settle_s)
        self.wake = threading.Event()
        self.warmed_for: set = set()  # files settling when a run was last warmed for them

    def pending_in_ledger(self) -> list[int]:
        """Files archived but not finished (a crash mid-processing, or a retry due)."""
        with self.store.session() as s:
            return list(s.scalars(select(IntakeFile.id).where(IntakeFile.state.in_(("received", "processing")))))

    def step(self, now: float | None = None) -> list[Taken]:
        taken, dispatched = [], False
        stable = self.tracker.stable(self.layout.inbox, time.monotonic() if now is None else now)
        warm = getattr(self.process, "warm", None)
        settling = self.tracker.settling()
        if warm is not None and settling - self.warmed_for:
            # A run takes ~3 s to start (a fresh interpreter, Prefect, the OCR pool): begun when
            # files appear, it is ready when they have settled and are archived, and claims them.
            # Once per file: a file written for minutes does not start a run after run.
            warm()
        self.warmed_for = settling
        for path in stable:
            t = take(self.store, self.layout, path, self.settings)
            self.tracker.forget(path)
            self.report(f"{t.display_name}: {t.outcome}" + (f" ({t.reason})" if t.reason else "")
                        + (f" → case {t.case_reference}" if t.case_reference else ""))
            taken.append(t)
            if self.process is not None and not dispatched and t.outcome == "archived":
                # A dispatcher returns at once: the first file's run starts (about 3 s of process
                # start and warm-up) while the rest of a burst is archived (about 10 ms a file);
                # the run claims those as they come.
                self.process(self.pending_in_ledger())
                dispatched = True
        pending = self.pending_in_ledger()
        if pending:
            (self.process or self.process_here)(pending)
        elif not settling and not stable:
            idle = getattr(self.process, "idle", None)
            if idle is not None:
                idle()  # nothing to take or process: the dispatcher may keep a run waiting
        return taken

    def process_here(self, pending: list[int]) -> None:
        """Direct mode: OCR in this process's pool; each stored file checks its case."""
        states = process_files(self.store, self.layout, pending, self.settings)
        with self.store.session() as s:
            for file_id, state in states.items():
                self.report(f"{s.get(IntakeFile, file_id).display_name}: {state}")

    def inbox_empty(self) -> bool:
        return not any(p.is_file() for p in self.layout.inbox.rglob("*"))

    def run_until_empty(self, timeout_s: float = 3600) -> None:
        """Take and process everything now in the inbox, waiting for files to settle; then return."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.step()
            if self.inbox_empty() and not self.pending_in_ledger():
                return
            if time.monotonic() > deadline:
                raise TimeoutError("files in the inbox did not settle in time")
            time.sleep(min(0.5, self.settle_s / 2))

    def run_forever(self, stop: threading.Event) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        loop = self

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event):
                loop.wake.set()

        observer = Observer()
        observer.schedule(Wake(), str(self.layout.inbox), recursive=True)
        observer.start()
        try:
            failures = 0
            while not stop.is_set():
                try:
                    self.step()
                    failures = 0
                except Exception as e:  # the store or the Prefect API away for a moment: files stay where they are
                    failures += 1
                    self.report(f"reexport: intake step failed ({type(e).__name__}: {e}); retrying")
                    stop.wait(min(60.0, 2.0 ** failures))
                    continue
                idle = self.inbox_empty() and not self.pending_in_ledger()  # else files wait for a run slot
                self.wake.wait(self.scan_every_s if idle else min(1.0, self.settle_s))
                self.wake.clear()
        finally:
            observer.stop()
            observer.join()


def default_layout(home: Path) -> Layout:
    return Layout(home).make()
