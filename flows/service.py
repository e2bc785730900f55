"""`reexport run`: the whole service on one machine.

Children, each in its own process group so that a terminal's Ctrl-C reaches only this process
and shutdown goes in order:
  1. a local Prefect server on 127.0.0.1, SQLite under <home>/prefect/ (unless PREFECT_API_URL
     names a server already: the scale-out mode, see the README);
  2. one runner process serving the deployments, at most `runner_limit` flow runs at once.
In this process: the inbox loop (watchdog + periodic scan), which archives files and starts one
`process-files` run per batch of files with an idempotency key, and the web screens.

One server and one runner: two processes writing to one SQLite-backed Prefect server hit
"database is locked"; anything bigger belongs on PostgreSQL.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple

import httpx
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select

from flows.intake import Layout
from flows.lifecycle import die_with_parent
from flows.watcher import IntakeLoop
from models.store import Event, IntakeFile, Store, open_store


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REEXPORT_", frozen=True)

    prefect_port: int = Field(4200, description="port of the local Prefect server (127.0.0.1)")
    runner_limit: int = Field(2, ge=1, description="flow runs at once in the runner")
    settle_s: float = Field(2.0, ge=0, description="seconds a dropped file must stay unchanged")
    scan_every_s: float = Field(5.0, gt=0, description="reconciliation scan of the inbox")
    flow_run_retention_days: int = Field(30, ge=1, description="Prefect flow runs older than this are deleted")
    batch_files: int = Field(16, ge=1, description="files handed to one process-files flow run at most")
    file_runs_at_once: int = Field(1, ge=1, description="process-files runs under way at once (one machine: 1)")
    run_claims_s: float = Field(300.0, ge=0, description="seconds a process-files run takes in files archived "
                                                         "after its first")
    store_batch: int = Field(8, ge=1, description="read files stored by one task run at most")
    store_wait_s: float = Field(2.0, ge=0, description="seconds a read file may wait to be stored with others")
    warm_wait_s: float = Field(15.0, ge=0, description="seconds a process-files run started while files settle "
                                                        "waits for them to be archived")
    keep_warm_s: float = Field(600.0, ge=0, description="with the local runner, an idle service keeps a "
                                                         "process-files run this long waiting for files, then "
                                                         "starts another (0: off)")
    start_timeout_s: float = 90.0


def prefect_environment(home: Path, settings: ServiceSettings) -> dict[str, str]:
    """Settings for the local Prefect server and its clients. No network here: analytics off."""
    prefect_home = home / "prefect"
    env = {
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_LOCAL_STORAGE_PATH": str(prefect_home / "storage"),
        "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events,flow_runs",
        "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD": str(settings.flow_run_retention_days * 86400),
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        # The runner looks for scheduled runs every 10 s by default: up to 10 s of a file's latency.
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
    }
    if not os.environ.get("PREFECT_API_URL"):
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{settings.prefect_port}/api"
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{prefect_home / 'prefect.db'}"
    return env


# The local server's background services that this service has no use for, each costing CPU on
# the cores OCR runs on: no automations (triggers evaluate every event), no schedules, no workers
# to watch (foreman), and Prefect's event feed is not stored (its UI is off; the service's own
# events are in the case store). Task and flow runs and their states are still recorded. Measured
# on 30 files: the server's CPU 5.2 -> 4.2 s.
LOCAL_SERVER_SERVICES_OFF = {
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_FOREMAN_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    # Task run states are written to SQLite in batches, not one transaction per state change
    # (Prefect's default of 1); they show in Prefect up to a second later.
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
}


@dataclass
class Child:
    """A child process in its own process group, logging to a file."""

    name: str
    cmd: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen | None = None

    def start(self) -> "Child":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True,
                                         preexec_fn=die_with_parent)
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout_s: float = 30) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass


def wait_healthy(api_url: str, child: Child | None, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if child is not None and not child.alive():
            raise RuntimeError(f"{child.name} exited during start-up; see {child.log}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the Prefect API at {api_url} did not answer within {timeout_s:.0f} s")


def wait_deployments(api_url: str, runner: Child | None, names: list[str], timeout_s: float) -> None:
    """The runner registers the deployments when it starts (in scale-out mode `reexport deploy`
    did); runs are started only after that, or `run_deployment` fails with 404."""
    deadline = time.monotonic() + timeout_s
    missing = list(names)
    while missing and time.monotonic() < deadline:
        if runner is not None and not runner.alive():
            raise RuntimeError(f"{runner.name} exited during start-up; see {runner.log}")
        try:
            missing = [n for n in missing if httpx.get(f"{api_url}/deployments/name/{n}", timeout=2).status_code != 200]
        except httpx.HTTPError:
            pass
        if missing:
            time.sleep(0.25)
    if missing:
        where = f"the runner did not register them; see {runner.log}" if runner else "run `reexport deploy` first"
        raise RuntimeError(f"{', '.join(missing)} not found within {timeout_s:.0f} s: {where}")


class Waiting(NamedTuple):
    """A ledger row as the dispatcher weighs it."""

    id: int
    sha256: str
    attempts: int
    state: str
    flow_run_id: str | None


@dataclass
class PrefectDispatcher:
    """Starts `process-files` runs for archived files not yet under way, up to `batch_files` files a
    run. The idempotency key is made of the files' hashes and attempt numbers: a repeated event, a
    second scan or a restart while the run is still scheduled finds the same run; after a crash
    mid-run (attempts counted) a new run is made.

    OCR never oversubscribes the cores: at most `runs_at_once` of its runs are under way (one on
    one machine), and a run's pool has one worker per core; files that arrive meanwhile wait and
    go together into the next run. Prefect's own limits were measured first (bench.service): a tag
    limit on the page tasks released its slots late, so about half the pages waited ~2 s for one,
    and a deployment limit kept the slot of a run killed with the service, so after a restart no
    run could start."""

    store: Store
    report: Callable[[str], None]
    batch_files: int = 16
    runs_at_once: int = 1
    dispatched: dict[int, int] = field(default_factory=dict)  # file id -> attempts when dispatched
    under_way: set[str] = field(default_factory=set)  # ids of this dispatcher's runs not yet final
    # While its runs are under way the dispatcher is called every half second (files wait); it asks
    # the API whether they are still running at most this often, not at every call.
    check_runs_every_s: float = 5.0
    keep_warm_s: float = 0.0  # see `idle`
    _checked_at: float = field(default=float("-inf"), repr=False)
    _client: Any = field(default=None, repr=False)

    def forget(self) -> None:
        """After the runner was restarted: its runs are gone, whatever the server says."""
        self.dispatched.clear()
        self.under_way.clear()
        self._checked_at = float("-inf")

    def _api(self):
        """One API client for the dispatcher's life: a new one costs ~50 ms of CPU (its TLS
        context loads the CA bundle), and the dispatcher asks every scan while files wait —
        measured as half the service process's CPU in a 30-file burst."""
        if self._client is None:
            from prefect.client.orchestration import get_client

            self._client = get_client(sync_client=True).__enter__()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.__exit__(None, None, None)
            self._client = None

    def _still_running(self) -> int:
        now = time.monotonic()
        if self.under_way and now - self._checked_at < self.check_runs_every_s:
            return len(self.under_way)
        self._checked_at = now
        for run_id in list(self.under_way):
            state = self._api().read_flow_run(run_id).state
            if state is None or state.is_final():
                self.under_way.discard(run_id)
        return len(self.under_way)

    def warm(self) -> None:
        """Files are settling in the inbox and no run of ours is under way: start one with no
        files now; it claims them once archived (`process_files` waits REEXPORT_WARM_WAIT_S for
        them), so the settle time and the run's start overlap."""
        self._start_waiting(None, "files settling: flow run {name} ({id}) started to take them")

    def idle(self) -> None:
        """Nothing in the inbox or the ledger: keep one run waiting for files (`keep_warm_s`),
        so the first file of the next burst goes to a run whose interpreter, Prefect and OCR pool
        are up, not one that takes ~3 s to start. A run with files still waiting in the ledger is
        never this one: those are dispatched (`__call__`), as after a crash."""
        if self.keep_warm_s > 0:
            self._start_waiting(self.keep_warm_s, "idle: flow run {name} ({id}) kept waiting for files")

    def _start_waiting(self, wait_s: float | None, message: str) -> None:
        from prefect.deployments import run_deployment

        from flows.prefect_flows import PROCESS_FILES

        if self._still_running():
            return
        run = run_deployment(PROCESS_FILES, parameters={"file_ids": [], "wait_s": wait_s}, timeout=0)
        self.under_way.add(str(run.id))
        self.report(message.format(name=run.name, id=run.id))

    def __call__(self, pending: list[int]) -> None:
        from prefect.deployments import run_deployment

        from flows.prefect_flows import PROCESS_FILES

        free = self.runs_at_once - self._still_running()
        if free <= 0:
            return
        with self.store.session() as s:
            rows = [Waiting(r.id, r.sha256, r.attempts, r.state, r.flow_run_id) for r in
                    s.scalars(select(IntakeFile).where(IntakeFile.id.in_(pending)).order_by(IntakeFile.id))]
        # Not what a run of ours holds: given to it here, or claimed by it while under way.
        todo = [r for r in rows if r.flow_run_id not in self.under_way and not (
            r.id in self.dispatched and (r.state == "processing" or self.dispatched[r.id] == r.attempts))]
        # Several free runs (scale-out: one per worker) share what waits, rather than one taking all.
        size = min(self.batch_files, -(-len(todo) // free)) if todo else 1
        for i in range(0, min(len(todo), free * size), size):
            batch = todo[i:i + size]
            key = hashlib.sha256("|".join(f"{r.sha256}:{r.attempts}" for r in batch).encode()).hexdigest()
            run = run_deployment(PROCESS_FILES, parameters={"file_ids": [r.id for r in batch]}, timeout=0,
                                 idempotency_key=key)
            self.under_way.add(str(run.id))
            with self.store.session() as s:
                for r in batch:
                    self.dispatched[r.id] = r.attempts
                    s.get(IntakeFile, r.id).flow_run_id = str(run.id)
                    s.add(Event(kind="file.dispatched", file_id=r.id,
                                detail={"flow_run": str(run.id), "attempt": r.attempts}))
            self.report(f"{len(batch)} file(s): flow run {run.name} ({run.id})")


def start_web(home: Path, store: Store, host: str, port: int):
    """The web screens in a thread of this process; decisions start finalize-case flow runs."""
    import uvicorn

    from flows.prefect_flows import start_finalize
    from web.app import create_app

    app = create_app(home, store=store, finalize=start_finalize)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, name="web", daemon=True).start()
    return server


def run_service(home: Path, *, host: str = "127.0.0.1", port: int = 8000, stop: threading.Event | None = None,
                report: Callable[[str], None] = print, work_pool: str | None = None) -> None:
    """Start everything, run until `stop` is set (SIGINT/SIGTERM set it), then stop in order.

    With `work_pool` (scale-out, flows.scale_out) there is neither a local server nor a runner:
    the runs go to the pool's deployments on the server PREFECT_API_URL names, and its workers
    run them."""
    settings = ServiceSettings()
    if work_pool:
        from flows.scale_out import require_remote_api

        require_remote_api()  # before the local defaults below would fill it in
    home = home.resolve()
    os.environ["REEXPORT_HOME"] = str(home)
    layout = Layout(home).make()
    store = open_store(home=home)
    env_update = prefect_environment(home, settings)
    os.environ.update(env_update)
    env = {**os.environ}
    logs = home / "logs"
    stop = stop or threading.Event()
    server: Child | None = None
    runner: Child | None = None
    web = None
    try:
        if "PREFECT_API_DATABASE_CONNECTION_URL" in env_update:
            server = Child("prefect server", [sys.executable, "-m", "prefect", "server", "start", "--host",
                                              "127.0.0.1", "--port", str(settings.prefect_port)],
                           {**env, **LOCAL_SERVER_SERVICES_OFF}, logs / "prefect-server.log").start()
        wait_healthy(os.environ["PREFECT_API_URL"], server, settings.start_timeout_s)
        if not work_pool:
            runner = Child("runner", [sys.executable, "-m", "flows.runner", "--limit", str(settings.runner_limit)],
                           env, logs / "runner.log").start()
        from flows.prefect_flows import DEPLOYMENTS

        wait_deployments(os.environ["PREFECT_API_URL"], runner, DEPLOYMENTS, settings.start_timeout_s)
        # A waiting run holds a worker of a pool (scale-out) from other work: kept warm on one machine only.
        dispatcher = PrefectDispatcher(store, report, settings.batch_files, settings.file_runs_at_once,
                                       keep_warm_s=0.0 if work_pool else settings.keep_warm_s)
        loop = IntakeLoop(store, layout, settle_s=settings.settle_s, scan_every_s=settings.scan_every_s,
                          report=report, process=dispatcher)
        runs_by = f"work pool {work_pool}" if work_pool else "the local runner"
        report(f"reexport: watching {layout.inbox}; Prefect API {os.environ['PREFECT_API_URL']}; runs by "
               f"{runs_by}; logs in {logs}")
        watcher = threading.Thread(target=loop.run_forever, args=(stop,), name="inbox", daemon=True)
        watcher.start()
        web = start_web(home, store, host, port)
        report(f"reexport: web screens on http://{host}:{port}/")
        while not stop.wait(1.0):
            if runner is not None and not runner.alive() and not stop.is_set():
                # A crashed runner took its flow runs with it: restart it and dispatch what was
                # under way again (new attempt, new idempotency key; finished pages come from the cache).
                report(f"reexport: runner exited ({runner.proc.returncode}); restarting")
                runner.start()
                dispatcher.forget()
            if server is not None and not server.alive():
                raise RuntimeError(f"the Prefect server exited; see {server.log}")
        watcher.join(timeout=30)
        dispatcher.close()
    finally:
        if web is not None:
            web.should_exit = True
        if runner is not None:
            runner.stop()
        if server is not None:
            server.stop()
        store.close()
        report("reexport: stopped")
