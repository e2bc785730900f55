"""The running service under a batch: drop N generated files into the inbox of `reexport run`
and time them to their stored results.

    python -m bench.service --files 100 --seed 31
    python -m bench.service --files 100 --seed 31 --idle-s 0 --keep-warm-s 0   # a cold start
    python -m bench.service --files 30 --seed 32 --profile bench --keep /tmp/svc
    python -m bench.service --files 100 --work-pool reexport --runs-at-once 2   # scale-out (README)

Prints files/min and pages/s from the first drop to the last result, drop-to-result latency
(median, p95), and the share of the time spent outside OCR: against the same files run through
the direct pipeline (`extract_files`, same workers) right after, and from the CPU time of the
service's processes (sampled from /proc: OCR processes, flow run, Prefect server, intake/web).

The files are dropped --idle-s seconds after the service is up, as into a service that has been
running (an idle service keeps a process-files run waiting: REEXPORT_KEEP_WARM_S).

With --work-pool the service is `reexport run --work-pool` against the server PREFECT_API_URL
names, the case store is REEXPORT_DB_URL's, and the pool's workers (started beforehand) do the
runs; the benchmark then also checks that no file was processed twice and says which worker ran
what.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bench.proctree import TreeCpu
from models.store import Event, IntakeFile, open_store
from samplegen.__main__ import plan_files
from samplegen.generate import build_file


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate(out: Path, count: int, seed: int, profile: str) -> list[Path]:
    rng = random.Random(seed)
    files = []
    for plan in plan_files(rng, count, profile):
        data, ext, _ = build_file(rng, plan)
        path = out / f"{plan.name}{ext}"
        path.write_bytes(data)
        files.append(path)
    return files


def start_service(home: Path, api_port: int, workers: int, pool: str | None = None,
                  runs_at_once: int = 1, keep_warm_s: float | None = None) -> subprocess.Popen:
    env = {**os.environ, "REEXPORT_HOME": str(home), "REEXPORT_PREFECT_PORT": str(api_port),
           "REEXPORT_SETTLE_S": "0.5", "REEXPORT_SCAN_EVERY_S": "1", "REEXPORT_WORKERS": str(workers),
           "REEXPORT_FILE_RUNS_AT_ONCE": str(runs_at_once)}
    if keep_warm_s is not None:
        env["REEXPORT_KEEP_WARM_S"] = str(keep_warm_s)
    cmd = [sys.executable, "-m", "flows.cli", "run", "--port", str(free_port())]
    if pool:
        cmd += ["--work-pool", pool]
    else:
        env.pop("PREFECT_API_URL", None)
        env.pop("REEXPORT_DB_URL", None)
    log = open(home / "service.log", "ab")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if "web screens on" in (home / "service.log").read_text(errors="replace"):
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the service did not start:\n" + (home / "service.log").read_text()[-3000:])


def runs_by_worker(api_url: str, since: dt.datetime) -> dict[str, int]:
    """Which worker ran each process-files run, from the workers' "submitted-flow-run" events."""
    counts: dict[str, int] = {}
    page = httpx.post(f"{api_url}/events/filter", json={
        "filter": {"occurred": {"since": since.isoformat()}, "event": {"name": ["prefect.worker.submitted-flow-run"]}},
        "limit": 50}, timeout=30).json()
    while True:
        for e in page.get("events", []):
            flows = [r.get("prefect.resource.name") for r in e.get("related", []) if r.get("prefect.resource.role") == "flow"]
            if "process-files" in flows:
                name = e["resource"].get("prefect.resource.name", "?")
                counts[name] = counts.get(name, 0) + 1
        if not page.get("next_page"):
            return counts
        page = httpx.get(page["next_page"], timeout=30).json()


def print_cpu(cpu_by_role: dict[str, float], wall: float, pages: int) -> None:
    busy = sum(cpu_by_role.values())
    print(f"  CPU by process, first drop to last result ({busy:.0f} s of {wall * (os.cpu_count() or 1):.0f} s "
          f"on {os.cpu_count()} cores):")
    for r, secs in sorted(cpu_by_role.items(), key=lambda kv: -kv[1]):
        print(f"    {r:24s} {secs:7.1f} s  {secs / max(busy, 1e-9):6.1%}  {secs / max(pages, 1) * 1000:6.0f} ms/page")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--profile", default="bench")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--keep", type=Path, help="data directory to use and keep (default: a temporary one)")
    ap.add_argument("--work-pool", help="scale-out: the pool whose workers run the flows (PREFECT_API_URL, "
                                        "REEXPORT_DB_URL set; workers started)")
    ap.add_argument("--runs-at-once", type=int, default=1, help="process-files runs under way at once")
    ap.add_argument("--idle-s", type=float, default=10.0, help="seconds the service is up before the first drop")
    ap.add_argument("--keep-warm-s", type=float, help="REEXPORT_KEEP_WARM_S for the service (default: its own)")
    args = ap.parse_args(argv)
    if args.work_pool and not (os.environ.get("PREFECT_API_URL") and os.environ.get("REEXPORT_DB_URL")):
        raise SystemExit("--work-pool needs PREFECT_API_URL and REEXPORT_DB_URL (see README, 'Scale-out')")

    home = args.keep or Path(tempfile.mkdtemp(prefix="reexport-bench-"))
    (home / "inbox").mkdir(parents=True, exist_ok=True)
    source = home / "generated"
    source.mkdir(exist_ok=True)
    files = generate(source, args.files, args.seed, args.profile)
    print(f"{len(files)} files generated in {source}", file=sys.stderr)

    api_port = free_port()
    api_url = os.environ["PREFECT_API_URL"] if args.work_pool else f"http://127.0.0.1:{api_port}/api"
    began = dt.datetime.now(dt.timezone.utc)
    service = start_service(home, api_port, args.workers, args.work_pool, args.runs_at_once, args.keep_warm_s)
    time.sleep(args.idle_s)
    dropped: dict[str, float] = {}
    store = open_store(home=home)
    with store.session() as s:
        known = s.scalar(select(func.max(IntakeFile.id))) or 0  # a shared store may hold earlier runs
    cpu = TreeCpu(service.pid).start()
    try:
        for f in files:  # copy under a temporary name, then rename: the inbox sees whole files only
            tmp = home / "inbox" / (f.name + ".part")
            shutil.copy(f, tmp)
            os.replace(tmp, home / "inbox" / f.name)
            dropped[f.name] = time.time()
        deadline = time.monotonic() + args.timeout
        mine = IntakeFile.id > known
        while time.monotonic() < deadline:
            with store.session() as s:
                finished = s.scalar(select(func.count(IntakeFile.id)).where(
                    mine, IntakeFile.state.in_(("done", "failed"))))
            if finished >= len(files):
                break
            time.sleep(1)
        cpu_by_role = cpu.stop()
        with store.session() as s:
            rows = s.scalars(select(IntakeFile).where(mine)).all()
            processed = s.execute(select(Event.file_id, func.count()).where(
                Event.kind == "file.processed", Event.file_id > known).group_by(Event.file_id)).all()
        store.close()
        by_worker = runs_by_worker(api_url, began) if args.work_pool else {}
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(120)

    done = [r for r in rows if r.state == "done"]
    latencies = sorted(r.finished_at.timestamp() - dropped[r.display_name] for r in done if r.display_name in dropped)
    first, last = min(dropped.values()), max(r.finished_at.timestamp() for r in done)
    wall = last - first
    pages = sum(r.page_count or 0 for r in done)

    from extractors.pipeline import extract_files
    from extractors.settings import ExtractSettings

    t0 = time.perf_counter()
    slots = args.workers * args.runs_at_once
    direct_cpu = TreeCpu(os.getpid()).start()
    direct = list(extract_files(files, ExtractSettings(workers=slots)))
    direct_wall = time.perf_counter() - t0
    direct_by_role = direct_cpu.stop()
    direct_pages = sum(o.result.page_count for o in direct if o.result)

    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"service ({dt.date.today()}, {slots} OCR slots, {len(files)} files, {pages} pages, "
          f"{len(rows) - len(done)} failed; first drop {args.idle_s:.0f} s after start, "
          f"keep-warm {'off (work pool)' if args.work_pool else args.keep_warm_s if args.keep_warm_s is not None else 'default'})")
    print(f"  files/min                 {len(done) / wall * 60:8.1f}")
    print(f"  pages/s                   {pages / wall:8.3f}")
    print(f"  drop-to-result latency    median {statistics.median(latencies):.1f} s, p95 {p95:.1f} s")
    print(f"  direct pipeline, same files: {direct_pages / direct_wall:.3f} pages/s ({direct_wall:.0f} s)")
    print("  direct pipeline CPU: " + ", ".join(f"{r} {secs:.1f} s" for r, secs in sorted(direct_by_role.items())))
    print(f"  time outside OCR vs direct: {max(0.0, 1 - direct_wall / wall):.1%}")
    ocr_cpu = cpu_by_role.get("OCR pool workers", 0.0)
    cores = os.cpu_count() or 1
    if ocr_cpu:  # (with --work-pool the OCR runs in the workers' processes, not under the service)
        print(f"  OCR processes' CPU / (wall x cores): {ocr_cpu / (wall * cores):.1%} (outside OCR: "
              f"{1 - ocr_cpu / (wall * cores):.1%}; the direct pipeline: {1 - direct_by_role.get('pool workers', 0.0) / (direct_wall * cores):.1%})")
    twice = sorted(fid for fid, n in processed if n > 1)
    print(f"  ledger rows {len(rows)} for {len(files)} files dropped; processed twice: {len(twice)} {twice[:10]}")
    if not args.work_pool:  # the workers' processes are not under the service: their CPU is not seen
        print_cpu(cpu_by_role, wall, pages)
    if by_worker:
        print("  process-files runs by worker: " + ", ".join(f"{w} {n}" for w, n in sorted(by_worker.items())))
    if len(rows) != len(files) or twice:
        raise SystemExit("duplicates or lost files: see above")
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
