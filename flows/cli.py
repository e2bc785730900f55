"""The `reexport` command line (contract: ../shared/spec/cli.md).

Messages for people go to stderr; JSON goes to stdout or files."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from extractors.inputs import EXTENSIONS
from flows import cli_signing, cli_web
from flows.files import write_atomic
from models.extraction import ExtractionResult

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="reexport: intake-to-permit pipeline for re-export permits (Kazakhstan).")


def _expand(inputs: list[Path]) -> list[Path]:
    """Files as given; a directory contributes its supported files, sorted."""
    out: list[Path] = []
    for p in inputs:
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in EXTENSIONS)
        else:
            out.append(p)
    return out


def _safe_stem(path: Path) -> str:
    """An output name from an outside file name: no directories, no hidden files, no odd characters."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in path.stem).lstrip(".")
    return stem[:120] or "file"


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))


def _summary(result: ExtractionResult) -> str:
    parts = []
    for d in result.documents:
        n_fields = len(d.fields.model_dump(exclude_none=True))
        parts.append(f"{d.doc_type}[{d.language}] p{d.pages[0]}-{d.pages[-1]}: {n_fields} fields, {len(d.goods)} goods")
    certified = sum(1 for p in result.pages if p.signature.present)
    return f"{result.page_count} page(s); " + "; ".join(parts) + f"; signed pages {certified}/{result.page_count}"


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="PDF, TIFF, PNG or JPEG files, or directories of them."),
    out: Path | None = typer.Option(None, "--out", help="Directory for <stem>.json (and <stem>.error.json for rejected files)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result of one file as JSON on stdout."),
    workers: int | None = typer.Option(None, "--workers", help="Worker processes (default: one per core)."),
    previews: bool = typer.Option(False, "--previews", help="Also write <stem>.page-NNN.png: each page with the seal and signature found outlined."),
) -> None:
    """Read scans and PDFs and fill the application fields.

    Example: reexport extract sample_docs --out var/results
    """
    from extractors.pipeline import extract_files
    from extractors.settings import ExtractSettings

    paths = _expand(files)
    if not paths:
        typer.echo("No input files.", err=True)
        raise typer.Exit(2)
    if as_json and len(paths) != 1:
        typer.echo("--json prints one file; use --out DIR for several.", err=True)
        raise typer.Exit(2)
    if not as_json and out is None:
        typer.echo("Say where to write results: --out DIR (or --json for one file).", err=True)
        raise typer.Exit(2)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    settings = ExtractSettings(**({"workers": workers} if workers else {}))
    failed = 0
    total_pages = [0]

    def progress(n: int) -> None:
        total_pages[0] += n

    with _progress_bar(len(paths), enabled=sys.stderr.isatty() and not as_json) as advance:
        for i, outcome in enumerate(extract_files(paths, settings, progress, previews=previews and out is not None), start=1):
            failed += _report(i, len(paths), outcome, out, as_json)
            advance()
    typer.echo(f"{len(paths) - failed} processed, {failed} rejected, {total_pages[0]} pages.", err=True)
    raise typer.Exit(1 if failed else 0)


@contextmanager
def _progress_bar(total: int, enabled: bool):
    """A progress bar on a terminal; nothing when the output goes to a file or a pipe."""
    if not enabled:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("files", total=total)
        yield lambda: bar.advance(task)


def _report(i: int, n: int, outcome, out: Path | None, as_json: bool) -> int:
    """Writes one file's result or error; returns 1 when the file was rejected."""
    name = outcome.path.name
    stem = _safe_stem(outcome.path)
    if outcome.error is not None:
        payload = outcome.error.model_dump_json(by_alias=True, exclude_none=True, indent=2)
        typer.echo(f"[{i}/{n}] {name}: REJECTED ({outcome.error.error}) {outcome.error.message}", err=True)
        if out is not None:
            _write_atomic(out / f"{stem}.error.json", payload)
            (out / f"{stem}.json").unlink(missing_ok=True)
        if as_json:
            sys.stdout.write(payload + "\n")
        return 1
    text = outcome.result.to_json()
    if out is not None:
        for page_no, png in enumerate(outcome.previews or [], start=1):
            write_atomic(out / f"{stem}.page-{page_no:03d}.png", png)
        _write_atomic(out / f"{stem}.json", text)
        (out / f"{stem}.error.json").unlink(missing_ok=True)
    if as_json:
        sys.stdout.write(text + "\n")
    typer.echo(f"[{i}/{n}] {name}: {_summary(outcome.result)}", err=True)
    return 0


@app.command()
def schema() -> None:
    """Print the JSON Schema of the extraction contract.

    Example: reexport schema > extraction.schema.json
    """
    sys.stdout.write(json.dumps(ExtractionResult.json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def intake(
    once: bool = typer.Option(False, "--once", help="Take and process what is in the inbox now, then exit."),
    settle: float = typer.Option(2.0, "--settle", help="Seconds a file's size and mtime must stay unchanged before it is taken."),
    workers: int | None = typer.Option(None, "--workers", help="OCR worker processes (default: one per core)."),
) -> None:
    """Watch $REEXPORT_HOME/inbox: archive each stable file with a ledger row (or quarantine it with
    the reason), extract it, store the result in the case store and check its case. A sub-folder
    of the inbox names the case. Runs directly, without a Prefect server; Ctrl-C stops it.

    Example: reexport intake --once
    """
    import signal
    import threading

    from extractors.settings import ExtractSettings
    from flows.files import data_home
    from flows.watcher import IntakeLoop, default_layout
    from models.store import open_store

    home = data_home()
    store = open_store(home=home)
    loop = IntakeLoop(store, default_layout(home), ExtractSettings(**({"workers": workers} if workers else {})),
                      settle_s=settle, report=lambda line: typer.echo(line, err=True))
    if once:
        loop.run_until_empty()
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    typer.echo(f"Watching {loop.layout.inbox} (Ctrl-C to stop).", err=True)
    loop.run_forever(stop)


@app.command()
def run(
    host: str = typer.Option("127.0.0.1", "--host", help="Address of the web screens."),
    port: int = typer.Option(8000, "--port", help="Port of the web screens."),
    work_pool: str = typer.Option(None, "--work-pool", help="Scale-out: start runs on this work pool's "
                                  "deployments (server from PREFECT_API_URL) instead of a local server and runner."),
) -> None:
    """Run the whole service on this machine: a local Prefect server (SQLite under
    $REEXPORT_HOME/prefect), one runner serving the flows, the inbox watcher, the case store.
    Ctrl-C or SIGTERM stops all of it; starting again resumes where it stopped.

    Example: reexport run
    """
    import signal
    import threading

    from flows.files import data_home
    from flows.service import run_service

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        run_service(data_home(), host=host, port=port, stop=stop, report=lambda line: typer.echo(line, err=True),
                    work_pool=work_pool)
    except RuntimeError as e:
        typer.echo(f"run: {e}", err=True)
        raise typer.Exit(1)


@app.command()
def deploy(
    pool: str = typer.Option("reexport", "--pool", help="Process work pool (created if missing)."),
) -> None:
    """Scale-out: register the flows as deployments of a process work pool on the Prefect server
    PREFECT_API_URL names (on PostgreSQL). Run once, and again after an upgrade.

    Example: PREFECT_API_URL=http://127.0.0.1:4200/api reexport deploy --pool reexport
    """
    from flows.scale_out import ScaleOutError, deploy as deploy_flows

    try:
        ids = deploy_flows(pool)
    except ScaleOutError as e:
        typer.echo(f"deploy: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"deploy: {len(ids)} deployments in work pool {pool}")


@app.command()
def worker(
    pool: str = typer.Option("reexport", "--pool", help="Process work pool to take runs from."),
    limit: int = typer.Option(1, "--limit", min=1, help="Flow runs at once in this worker."),
    name: str = typer.Option(None, "--name", help="Worker name shown by Prefect (default: generated)."),
) -> None:
    """Scale-out: a Prefect worker of the pool, with the service's settings (analytics off, results
    under $REEXPORT_HOME/prefect). Each run reads pages with REEXPORT_WORKERS processes (default:
    one per core): with several workers on one machine, share the cores between them.

    Example: REEXPORT_WORKERS=1 reexport worker --pool reexport --name w1
    """
    import os

    from flows.files import data_home
    from flows.scale_out import ScaleOutError, require_remote_api, worker_argv
    from flows.service import ServiceSettings, prefect_environment

    try:
        require_remote_api()
    except ScaleOutError as e:
        typer.echo(f"worker: {e}", err=True)
        raise typer.Exit(1)
    home = data_home().resolve()
    env = {**os.environ, **prefect_environment(home, ServiceSettings()), "REEXPORT_HOME": str(home)}
    argv = worker_argv(pool, limit, name)
    os.execve(argv[0], argv, env)


@app.command()
def retry(
    file_ids: list[int] = typer.Argument(None, help="Ledger ids of the files to retry (default: every failed file)."),
) -> None:
    """Put files that failed processing back in the queue; a running service (or the next
    `reexport intake`) processes them again.

    Example: reexport retry
    """
    from flows.files import data_home
    from flows.process import retry_failed
    from models.store import open_store

    store = open_store(home=data_home())
    ids = retry_failed(store, file_ids or None)
    store.close()
    typer.echo(f"{len(ids)} file(s) queued again" + (f": {', '.join(map(str, ids))}" if ids else "."), err=True)


user_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Staff accounts of the web screens.")
user_app.command("add")(cli_web.user_add)
app.add_typer(user_app, name="user")
app.command("web")(cli_web.web)
app.command("dev-pki")(cli_signing.dev_pki)
app.command("sign")(cli_signing.sign)
app.command("verify")(cli_signing.verify)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
