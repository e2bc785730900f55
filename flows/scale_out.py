"""Scale-out mode: the flows on a Prefect server backed by PostgreSQL, run by workers of a process
work pool instead of the one runner of `reexport run`.

    reexport deploy --pool reexport          # once: the pool and its three deployments
    reexport worker --pool reexport          # on every machine (or several on one)
    reexport run --work-pool reexport        # one intake: watcher, dispatcher, web screens

Every process needs the same PREFECT_API_URL (the server), REEXPORT_DB_URL (the case store on
PostgreSQL) and REEXPORT_HOME (the data directory: shared storage when the workers are on other
machines, since they read the archive and write previews and Prefect results there).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

POOL_TYPE = "process"
# Entry points of the flows, relative to the project directory the workers load them from.
ENTRYPOINTS = {
    "process-files": "flows/prefect_flows.py:process_files",
    "process-case": "flows/prefect_flows.py:check_case",
    "finalize-case": "flows/prefect_flows.py:finalize_case",
}


class ScaleOutError(RuntimeError):
    pass


def require_remote_api() -> str:
    """Scale-out talks to a server someone started (on PostgreSQL): never to a throwaway one."""
    url = os.environ.get("PREFECT_API_URL", "")
    if not url:
        raise ScaleOutError("PREFECT_API_URL is not set: scale-out needs the Prefect server on PostgreSQL "
                            "(see README, 'Scale-out')")
    return url


def project_dir() -> Path:
    """The directory holding flows/ (the editable install's source tree)."""
    return Path(__file__).resolve().parent.parent


def ensure_pool(name: str) -> bool:
    """Create the process work pool unless it exists; True when created."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=name, type=POOL_TYPE))
            return True
        except ObjectAlreadyExists:
            return False


def deploy(pool: str) -> list[str]:
    """Register the three deployments in the pool, loaded from this source tree by the workers.
    Names stay `<flow>/reexport`, as under `reexport run`, so the dispatcher and the web screens
    start the same deployments in both modes."""
    from prefect import flow

    require_remote_api()
    ensure_pool(pool)
    ids = []
    for entrypoint in ENTRYPOINTS.values():
        loaded = flow.from_source(source=str(project_dir()), entrypoint=entrypoint)
        ids.append(str(loaded.deploy(name="reexport", work_pool_name=pool, build=False, push=False,
                                     print_next_steps=False, ignore_warnings=True)))
    return ids


def worker_argv(pool: str, limit: int, name: str | None) -> list[str]:
    argv = [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, "--type", POOL_TYPE,
            "--limit", str(limit)]
    if name:
        argv += ["--name", name]
    return argv
