"""Prefect flows: thin wrappers around the stage functions (extractors, flows.process,
flows.clocks). Served by one runner process of `reexport run`; deployable to work pools.

Tasks are coarse, one per page (files are begun and stored a batch a task): measured with
bench.service, a task run costs about 20-25 ms of CPU in the flow-run process and 15-30 ms in the
local Prefect server (its states recorded in batches or one by one), on the cores OCR runs on. Page reads are cached by the file's hash, page
index and the task's source, and persisted, so a rerun after a crash does not read finished
pages again.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import deque
from concurrent.futures import wait
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import INPUTS, NO_CACHE, TASK_SOURCE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from sqlalchemy.exc import OperationalError

from extractors.pagepool import page_pool
from extractors.settings import ExtractSettings
from flows.files import data_home
from flows.lifecycle import die_with_parent, init_ocr_worker
from models.extraction import ExtractionError

# The extractors, the case store and the field parsers (spaCy) are imported where they are used,
# not here: a flow-run process is a fresh interpreter that imports this module before its flow
# starts, so what is imported here delays its OCR pool (measured: 2.3 s -> 1.0 s of imports).

# Side-effect tasks are never cached; they retry when the store is busy.
DB_RETRY = dict(retries=3, retry_delay_seconds=[1, 4, 15], cache_policy=NO_CACHE)


def _store():
    return _store_at(str(data_home()), os.environ.get("REEXPORT_DB_URL", ""))


@lru_cache(maxsize=1)
def _store_at(home: str, db_url: str):
    """One store (engine and connection pool) per flow-run process, as SQLAlchemy intends, rather
    than an engine made and dropped by every task. Both arguments key the cache: another data
    directory or database URL (open_store reads REEXPORT_DB_URL) gets a store of its own."""
    from models.store import open_store

    return open_store(home=Path(home), migrate_schema=False)


class OcrPool:
    """The flow run's OCR processes, shared by its page tasks.

    Page tasks run in threads of the flow-run process and hand the page to this pool: Prefect's
    own work for a task (its states, cache key, persisted result) is done beside OCR, not in the
    OCR processes, which import no Prefect and do only what `reexport extract`'s workers do. The
    pool's size, not the number of threads, bounds OCR to one tesseract per core. A worker that
    dies breaks the pool; the next task gets a new one, so the task's retry reads the page again."""

    def __init__(self, workers: int):
        self.workers = workers
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self):
        """A pool with its processes started now: they load the extractors and tesseract while the
        flow opens its first files, rather than on the first page."""
        pool = page_pool(self.workers, init_ocr_worker)
        for _ in range(self.workers):
            pool.submit(int)
        return pool

    def read(self, job):
        from extractors.readpage import read_page

        with self._lock:
            pool = self._pool
        try:
            return pool.submit(read_page, job).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = self._start()
            raise

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(cancel_futures=True)


@task(name="read-page", retries=2, retry_delay_seconds=[2, 10],
      cache_policy=(INPUTS - "pool") + TASK_SOURCE, persist_result=True, cache_expiration=dt.timedelta(days=30))
def read_page_task(sha256: str, path: str, kind: str, index: int, settings: ExtractSettings, pool: OcrPool):
    # `sha256` is in the inputs so that the cache key names the file's content, not its path.
    from extractors.readpage import PageJob

    return pool.read(PageJob(path, kind, index, settings))


@task(name="begin-files", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def begin_files(file_ids: list[int], settings: ExtractSettings) -> dict[int, tuple | None]:
    """Mark a batch of files as being processed and open each: file id -> (path, attempt, opened
    file or None, (code, message) of its refusal or None), or None when it is done already. One
    task a batch, not one a file: a task run costs milliseconds of client and server CPU that OCR
    on the same cores goes without. A refusal is an answer, not an error; what raises (the store
    busy, a read failing) is retried."""
    from extractors.errors import Rejected
    from extractors.inputs import open_input
    from flows.intake import Layout
    from flows.process import begin_processing

    opened: dict[int, tuple | None] = {}
    for file_id, begun in begin_processing(_store(), Layout(data_home()), file_ids).items():
        if begun is None:
            opened[file_id] = None
            continue
        path, attempt = begun
        try:
            opened[file_id] = (str(path), attempt, open_input(path, settings), None)
        except Rejected as e:
            opened[file_id] = (str(path), attempt, None, (e.code, e.message))
    return opened


@task(name="store-results", **DB_RETRY, retry_condition_fn=lambda t, r, s: _is_db_error(s))
def store_results(finished: list[tuple[int, int, Outcome]]) -> dict[int, str]:
    """Store the results of files read (file id, attempt, outcome), each in its own transaction
    that also checks its case. A retry after some were stored finds those done and goes on."""
    from flows.intake import Layout
    from flows.process import store_outcome

    store, layout = _store(), Layout(data_home())
    return {file_id: store_outcome(store, layout, file_id, attempt, outcome) for file_id, attempt, outcome in finished}


def _is_db_error(state) -> bool:
    return isinstance(state.result(raise_on_failure=False), OperationalError)


def _workers() -> int:
    return ExtractSettings().workers


@task(name="claim-more", **DB_RETRY, retry_condition_fn=lambda t, r, s: _is_db_error(s))
def claim_more(run_id: str, limit: int) -> list[int]:
    from flows.process import claim_received

    store = _store()
    return claim_received(store, run_id, limit)


# Two page tasks per OCR process: one thread does Prefect's bookkeeping for a page while another
# waits on OCR, so the OCR processes never wait for Prefect.
@flow(name="process-files", task_runner=ThreadPoolTaskRunner(max_workers=2 * _workers()))
def process_files(file_ids: list[int], wait_s: float | None = None) -> dict[int, str]:
    """Open archived files, read all their pages in parallel, extract fields, store each result
    (which checks its case in the same transaction).

    A run costs a new process and a new pool of OCR workers (about 3 s of imports each here), far
    more than OCR of a one- or two-page file. So a run takes a batch of files, and while its pool
    still has pages to read it claims files archived meanwhile (`claim_received`), for up to
    REEXPORT_RUN_CLAIMS_S seconds from its first: a burst of files is read by one warm pool. Each
    file is still begun, stored and counted on its own, so this changes nothing about exactly once.

    A run given no files waits for them up to `wait_s` seconds (default REEXPORT_WARM_WAIT_S): the
    service starts one while files settle, and keeps one waiting while it is idle."""
    from prefect.runtime import flow_run

    from flows.service import ServiceSettings

    die_with_parent()  # the runner's flow-run process: gone with the runner, not finishing stale work
    settings = ExtractSettings()
    service = ServiceSettings()
    claim_until = float("inf")  # set when the first files are begun
    window = 2 * settings.workers  # pages waiting in the pool before more files are claimed
    states: dict[int, str] = {}
    reading: deque = deque()  # (file id, attempt, path, opened file, page futures), in order
    finished: list[tuple[int, int, Outcome]] = []  # read, not yet stored
    first_ready = 0.0  # when the oldest of `finished` was ready
    pool = OcrPool(settings.workers)

    def done_reading(item: tuple[int, int, Outcome]) -> None:
        nonlocal first_ready
        if not finished:
            first_ready = time.monotonic()
        finished.append(item)

    def start(ids: list[int]) -> None:
        nonlocal claim_until
        if not ids:
            return
        claim_until = min(claim_until, time.monotonic() + service.run_claims_s)
        for file_id, begun in begin_files(ids, settings).items():
            if begun is None:
                states[file_id] = "done"
                continue
            path, attempt, inp, refused = begun
            if refused is not None:
                from extractors.pipeline import Outcome

                error = ExtractionError(source=Path(path).name, error=refused[0], message=refused[1])
                done_reading((file_id, attempt, Outcome(Path(path), error=error)))
                continue
            futures = [read_page_task.submit(inp.sha256, path, inp.kind, i, settings, pool)
                       for i in range(inp.page_count)]
            reading.append((file_id, attempt, path, inp, futures))

    # A run started while files settle or the service is idle (PrefectDispatcher.warm, .idle) has
    # none yet: it waits for them.
    warm_until = time.monotonic() + (0.0 if file_ids else service.warm_wait_s if wait_s is None else wait_s)
    try:
        start(file_ids)
        while True:
            # The wrapped futures, not `.state`: that asks the API, once per future.
            waiting = sum(1 for entry in reading for f in entry[4] if not f.wrapped_future.done())
            if waiting <= window and time.monotonic() < claim_until and _files_to_claim():
                start(claim_more(str(flow_run.id), service.batch_files))
            if not reading and not finished:
                if not states and time.monotonic() < warm_until:
                    time.sleep(0.5)
                    continue
                return states
            if reading and _gather_more(finished, first_ready, service):
                if _head_read(reading[0], timeout=_time_left(first_ready, service)):
                    done_reading(_outcome(reading.popleft()))
                continue
            # Quoted: Prefect would otherwise walk every field of every result for futures to wait
            # on and inputs to record, twice a task run (17 ms for 4 files, measured; py-spy had it
            # as the most of the engine's own time in the flow run).
            states.update(store_results(quote(finished)))
            finished, first_ready = [], 0.0
    finally:
        pool.close()


def _files_to_claim() -> bool:
    """A look at the ledger before a claim-more task run: a run waiting for files looks twice a
    second, and a task run costs ~20 ms of CPU here and as much in the server, and a row in it."""
    from flows.process import any_to_claim

    try:
        return any_to_claim(_store())
    except OperationalError:
        return True  # the store busy: the task, which retries, will see


def _gather_more(finished: list, first_ready: float, service) -> bool:
    """Whether to wait for more read files before storing: results are stored a few at a time
    (one task run for several files; each task run costs CPU that OCR goes without), but none
    waits longer than REEXPORT_STORE_WAIT_S."""
    return not finished or (len(finished) < service.store_batch and _time_left(first_ready, service) > 0)


def _time_left(first_ready: float, service) -> float | None:
    return None if not first_ready else max(0.0, first_ready + service.store_wait_s - time.monotonic())


def _head_read(entry: tuple, timeout: float | None) -> bool:
    """Whether all pages of the file first in line are read, waiting up to `timeout` seconds."""
    return not wait([f.wrapped_future for f in entry[4]], timeout=timeout).not_done


def _outcome(entry: tuple) -> tuple[int, int, Outcome]:
    from extractors.pipeline import Outcome, assemble

    file_id, attempt, path, inp, futures = entry
    try:
        reads = [f.result() for f in futures]
        outcome = Outcome(Path(path), result=assemble(inp, Path(path).name, reads))
    except Exception as e:  # a page the engines could not read after retries: the file fails, visibly
        outcome = Outcome(Path(path), error=ExtractionError(
            source=Path(path).name, sha256=inp.sha256, error="unreadable_page",
            message=f"A page could not be read: {type(e).__name__}: {e}"))
    return file_id, attempt, outcome


@flow(name="process-case")
def check_case(case_id: int) -> dict:
    """Completeness, expiry, cross-document checks and the clocks, on demand (every stored file
    already checks its case): `prefect deployment run process-case/reexport -p case_id=N`."""
    from flows.process import process_case

    store = _store()
    check = process_case(store, case_id)
    return {"missing": check.missing_documents, "inconsistencies": check.inconsistencies}


@flow(name="finalize-case", retries=2, retry_delay_seconds=10)
def finalize_case(decision_id: int, actor: str) -> str:
    """Render, sign, verify and deliver the document of a decision (idempotent per decision)."""
    from flows.finalize import finalize_decision
    from signing.config import load_config
    from signing.signer import PadesSigner

    store = _store()
    return finalize_decision(store, data_home(), decision_id, PadesSigner(load_config(data_home())), actor).number


def deployments() -> list:
    """The deployments a runner serves (`reexport run`) or a work pool runs (scale-out)."""
    return [process_files.to_deployment(name="reexport"), check_case.to_deployment(name="reexport"),
            finalize_case.to_deployment(name="reexport")]


PROCESS_FILES = "process-files/reexport"
FINALIZE_CASE = "finalize-case/reexport"
DEPLOYMENTS = [PROCESS_FILES, "process-case/reexport", FINALIZE_CASE]


def start_finalize(decision_id: int, actor: str) -> str:
    """The web screens' finalizer under `reexport run`: one finalize-case run per decision
    (the idempotency key), so a double click or a retried request signs once."""
    from prefect.deployments import run_deployment

    run = run_deployment(FINALIZE_CASE, parameters={"decision_id": decision_id, "actor": actor}, timeout=0,
                         idempotency_key=f"decision:{decision_id}")
    return f"flow run {run.name}"
