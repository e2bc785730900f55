"""`reexport run` for real: a local Prefect server, the runner, the inbox loop; files dropped,
processed by Prefect flow runs, the service stopped by SIGTERM and killed with SIGKILL."""
from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from models.store import Case, Event, IntakeFile, open_store

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(home: Path, port: int, web_port: int | None = None, keep_warm_s: float = 600) -> subprocess.Popen:
    env = {**os.environ, "REEXPORT_HOME": str(home), "REEXPORT_PREFECT_PORT": str(port), "REEXPORT_SETTLE_S": "0.3",
           "REEXPORT_SCAN_EVERY_S": "1", "REEXPORT_WORKERS": "2", "REEXPORT_KEEP_WARM_S": str(keep_warm_s)}
    env.pop("PREFECT_API_URL", None)
    env.pop("REEXPORT_DB_URL", None)
    log = home / "service.log"
    before = log.stat().st_size if log.exists() else 0  # a restart appends: only its own lines count
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--port", str(web_port or free_port())], env=env, stdout=subprocess.DEVNULL,
                            stderr=open(log, "ab"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if b"web screens on" in log.read_bytes()[before:]:
            return proc
        if proc.poll() is not None:
            raise AssertionError((home / "service.log").read_text())
        time.sleep(0.3)
    proc.kill()
    raise AssertionError("service did not start: " + (home / "service.log").read_text())


def wait_done(home: Path, n: int, timeout_s: float = 240, state: str = "done") -> None:
    store = open_store(home=home)
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            with store.session() as s:
                if s.scalar(select(func.count(IntakeFile.id)).where(IntakeFile.state == state)) >= n:
                    return
            time.sleep(0.2)
    finally:
        store.close()
    raise AssertionError(f"not {n} files {state} in time:\n" + (home / "service.log").read_text()[-3000:])


def flow_runs(port: int) -> list[dict]:
    return httpx.post(f"http://127.0.0.1:{port}/api/flow_runs/filter", json={}).json()


def settled_runs(port: int, at_least: int, timeout_s: float = 60) -> list[dict]:
    """The Prefect server's flow runs once at least `at_least` exist and none is still going: a file
    is `done` in the store a moment before its run (and its case check) finishes."""
    deadline = time.monotonic() + timeout_s
    while True:
        runs = flow_runs(port)
        settled = all(r["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") for r in runs)
        if (len(runs) >= at_least and settled) or time.monotonic() > deadline:
            return runs
        time.sleep(0.5)


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines()[1:] if str(pid) in line.split()[1:2]]


def processes_mentioning(home: Path) -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if "prefect server start" in line or "flows.runner" in line
            if str(home) in line or "flows.runner" in line]


@pytest.fixture()
def home(tmp_path) -> Path:
    (tmp_path / "inbox").mkdir()
    return tmp_path


def test_service_processes_files_through_prefect_and_stops_on_sigterm(home, generated):
    port, web_port = free_port(), free_port()
    service = start(home, port, web_port, keep_warm_s=0)  # no run kept waiting: one starts as files settle
    try:
        assert httpx.get(f"http://127.0.0.1:{web_port}/healthz").json() == {"ok": True}
        assert "staff" in httpx.get(f"http://127.0.0.1:{web_port}/staff/login").text
        case = home / "inbox" / "CASE-S1"
        case.mkdir()
        (case / "contract.pdf").write_bytes(generated["born_contract_en"].read_bytes())
        (case / "guarantee.png").write_bytes(generated["png_guarantee_ru"].read_bytes())
        (home / "inbox" / "again.pdf").write_bytes(generated["born_contract_en"].read_bytes())
        (home / "inbox" / "empty.pdf").write_bytes(b"")
        wait_done(home, 2)
        # The two files arrive together: one process-files run (or one each); storing a file checks its case.
        runs = settled_runs(port, at_least=1)
        flows = {f["id"]: f["name"] for f in httpx.post(f"http://127.0.0.1:{port}/api/flows/filter", json={}).json()}
        by_flow: dict[str, list[str]] = {}
        for r in runs:
            by_flow.setdefault(flows[r["flow_id"]], []).append(r["state_type"])
        assert set(by_flow) == {"process-files"}, by_flow
        assert all(state == "COMPLETED" for states in by_flow.values() for state in states), by_flow
    finally:
        service.send_signal(signal.SIGTERM)
        code = service.wait(60)
    assert code == 0
    time.sleep(1)
    assert not children_of(service.pid)
    with httpx.Client() as client, pytest.raises(httpx.ConnectError):
        client.get(f"http://127.0.0.1:{port}/api/health")  # the Prefect server went with it
    with httpx.Client() as client, pytest.raises(httpx.ConnectError):
        client.get(f"http://127.0.0.1:{web_port}/healthz")  # and the web screens
    store = open_store(home=home)
    with store.session() as s:
        assert s.scalar(select(func.count(IntakeFile.id))) == 2
        kinds = s.scalars(select(Event.kind)).all()
        received = [f.received_at.replace(tzinfo=f.received_at.tzinfo or dt.timezone.utc)
                    for f in s.scalars(select(IntakeFile))]
    store.close()
    assert kinds.count("file.processed") == 2 and kinds.count("intake.duplicate") == 1
    assert kinds.count("case.checked") >= 2  # each stored file checked its case
    # Files appearing start a run while they settle, which claims them once archived (or, were it
    # gone, the first file archived starts one): each file is handed to a run once.
    assert kinds.count("file.dispatched") + kinds.count("file.claimed") == 2
    assert "files settling: flow run" in (home / "service.log").read_text()
    first_run = min(dt.datetime.fromisoformat(r["created"]) for r in runs)
    assert first_run < min(received), (first_run, received)  # started before any file was archived
    assert len(list((home / "quarantine").glob("*.reason.json"))) == 2  # the duplicate and the empty file


def wait_for(what, timeout_s: float = 60):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"not seen in {timeout_s:.0f} s")


def test_an_idle_service_keeps_a_run_waiting_that_takes_the_next_file(home, generated):
    port = free_port()
    service = start(home, port, keep_warm_s=120)
    try:
        [waiting] = wait_for(lambda: [r for r in flow_runs(port) if r["state_type"] == "RUNNING"])
        assert waiting["parameters"] == {"file_ids": [], "wait_s": 120.0}
        (home / "inbox" / "contract.pdf").write_bytes(generated["born_contract_en"].read_bytes())
        wait_done(home, 1)
        # It ends with its burst; the idle service keeps another waiting.
        wait_for(lambda: [r for r in flow_runs(port) if r["id"] == waiting["id"] and r["state_type"] == "COMPLETED"])
        again = wait_for(lambda: [r for r in flow_runs(port) if r["state_type"] == "RUNNING"])
        assert again[0]["id"] != waiting["id"]
        assert len(flow_runs(port)) == 2  # no run was started for the file itself
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(60) == 0
    store = open_store(home=home)
    with store.session() as s:
        [row] = s.scalars(select(IntakeFile)).all()
        kinds = s.scalars(select(Event.kind)).all()
    store.close()
    assert row.state == "done" and row.flow_run_id == waiting["id"]  # the waiting run claimed it
    assert kinds.count("file.claimed") == 1 and "file.dispatched" not in kinds
    assert (home / "service.log").read_text().count("kept waiting for files") == 2


def test_kill_9_mid_batch_then_restart_processes_every_file_once(home, generated):
    # (With a run kept waiting, as by default: after the restart the files the killed run held are
    # dispatched to a new run; no run is kept waiting while files wait in the ledger.)
    base = generated["born_contract_en"].read_bytes()
    port = free_port()
    service = start(home, port)
    for i in range(8):  # distinct bytes: a comment after %%EOF keeps the PDF valid
        (home / "inbox" / f"contract-{i}.pdf").write_bytes(base + f"\n% copy {i}\n".encode())
    try:
        wait_done(home, 1, state="processing")  # a flow run has begun the batch
    finally:
        service.send_signal(signal.SIGKILL)  # the service alone: its children must follow it
        service.wait()
    time.sleep(3)
    assert not children_of(service.pid)
    service = start(home, free_port())
    try:
        wait_done(home, 8)
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(60) == 0
    store = open_store(home=home)
    with store.session() as s:
        rows = s.scalars(select(IntakeFile)).all()
        processed = s.scalars(select(Event.file_id).where(Event.kind == "file.processed")).all()
        unchecked = s.scalars(select(Case.reference).where(Case.status == "received")).all()
        attempts = [r.attempts for r in rows]
    store.close()
    assert sorted(processed) == sorted(r.id for r in rows) and len(rows) == 8
    assert max(attempts) >= 2  # the kill really came mid-batch: a begun file was begun again
    assert len(list((home / "archive").iterdir())) == 8
    assert unchecked == []  # every case was checked with its last file, crash or not
    assert not any(p.is_file() for p in (home / "inbox").rglob("*"))


def test_a_forkserver_pool_worker_with_its_flow_alive_works():
    """The flows' OCR pool starts its workers from a forkserver, so a worker's parent process is
    the forkserver, not the flow that asked for it: die_with_parent must not take that for an
    orphan (it did: every worker exited at once and every page failed)."""
    from flows.lifecycle import init_ocr_worker
    from extractors.pagepool import page_pool

    with page_pool(2, init_ocr_worker) as pool:
        pids = {pool.submit(os.getpid).result(timeout=60) for _ in range(4)}
    assert pids and os.getpid() not in pids


def test_a_pool_worker_whose_flow_died_while_it_started_exits(tmp_path):
    """A pool worker asks to die with its parent only once its imports are done; if the parent
    is gone by then, no signal will ever come: the worker must see it and exit by itself."""
    script = tmp_path / "orphan.py"
    script.write_text(
        "import multiprocessing, os, sys, time\n"
        "def init():\n"
        "    time.sleep(2)  # the worker's slow start\n"
        "    from flows.lifecycle import die_with_parent\n"
        "    die_with_parent()\n"
        "    open(sys.argv[1], 'w').write('still alive')\n"
        "def work():\n"
        "    return os.getpid()\n"
        "if __name__ == '__main__':\n"
        "    ctx = multiprocessing.get_context('spawn')\n"
        "    p = ctx.Process(target=work)\n"
        "    from concurrent.futures import ProcessPoolExecutor\n"
        "    pool = ProcessPoolExecutor(1, mp_context=ctx, initializer=init)\n"
        "    pool.submit(work)\n"
        "    time.sleep(0.5)\n"
        "    print([c.pid for c in multiprocessing.active_children()], flush=True)\n"
        "    os._exit(0)  # the parent dies before the worker's initializer ran\n")
    marker = tmp_path / "alive"
    out = subprocess.run([sys.executable, str(script), str(marker)], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parent.parent)
    pids = [int(p) for p in out.stdout.strip().strip("[]").split(",") if p.strip()]
    assert pids, out.stderr
    time.sleep(5)
    assert not marker.exists()
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def test_a_flow_killed_with_its_pool_idle_leaves_no_pool_processes(tmp_path):
    """kill -9 of a flow run whose OCR pool waits for pages: the forkserver and its workers go too
    (they did not: the workers waited on the dead run's queue and kept the forkserver alive)."""
    script = tmp_path / "flow.py"
    script.write_text(
        "import os, signal\n"
        "from flows.lifecycle import init_ocr_worker\n"
        "from extractors.pagepool import page_pool\n"
        "if __name__ == '__main__':\n"
        "    pool = page_pool(2, init_ocr_worker)\n"
        "    pids = {pool.submit(os.getpid).result(timeout=60) for _ in range(6)}\n"
        "    servers = {pool.submit(os.getppid).result(timeout=60) for _ in range(6)}\n"
        "    print('pool', *sorted(pids | servers), flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")
    printed = tmp_path / "pids.txt"  # a file, not a pipe: pool processes left behind would hold a pipe open
    with printed.open("w") as out:
        subprocess.run([sys.executable, str(script)], stdout=out, stderr=subprocess.STDOUT, timeout=120,
                       cwd=Path(__file__).resolve().parent.parent)
    lines = [line.split()[1:] for line in printed.read_text().splitlines() if line.startswith("pool ")]
    pids = [int(pid) for pid in lines[0]] if lines else []
    assert len(pids) >= 2, printed.read_text()  # a worker or two and their forkserver
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.2)
    left = [pid for pid in pids if Path(f"/proc/{pid}").exists()
            and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    assert not left, left
