"""From files to extraction results: check each file, read its pages in a pool
of worker processes (one tesseract per core), then split, classify and fill
the fields. Results come back in input order; a rejected file yields an
ExtractionError and the batch goes on."""
from __future__ import annotations

import hashlib
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from extractors import classify
from extractors.errors import Rejected
from extractors.fields import goods as G
from extractors.fields.documents import contract_fields, guarantee_fields
from extractors.inputs import InputFile, open_input, sha256_of
from extractors.pagepool import page_pool
from extractors.readpage import PageJob, PageRead, init_worker, read_page
from extractors.settings import ExtractSettings
from extractors.text import Text, group_rows
from extractors.validate import goods_issues
from models.extraction import Document, ExtractionError, ExtractionResult, Mark, PageResult


@dataclass
class Outcome:
    path: Path
    result: ExtractionResult | None = None
    error: ExtractionError | None = None
    previews: list[bytes] | None = None  # PNG per page, when asked for


def assemble(inp: InputFile, source: str, reads: list[PageRead]) -> ExtractionResult:
    """Pure: page readings to the contract."""
    pages_rows = [group_rows(r.index + 1, r.words) for r in reads]
    documents = []
    for idx, doc_type, conf in classify.split_documents(pages_rows):
        rows = [row for i in idx for row in pages_rows[i]]
        text = Text(rows)
        lang = classify.language(text.string)
        lines = G.goods_lines(text, lang)
        if doc_type == "contract":
            fields = contract_fields(text, lang, G.line_sum(lines))
        elif doc_type == "end_use_guarantee":
            fields = guarantee_fields(text, lang)
            for ln in lines:
                ln.pop("value", None)  # a guarantee lists goods, not prices
        else:
            fields = {}
        goods = G.to_contract(text, lines, goods_issues) if doc_type in ("contract", "end_use_guarantee") else []
        documents.append(Document(doc_type=doc_type, pages=[i + 1 for i in idx], language=lang, fields=fields,
                                  goods=goods, doc_type_confidence=round(conf, 3)))
    pages = [PageResult(page=r.index + 1,
                        seal=Mark(present=r.seal.present, score=r.seal.score, bbox=r.seal.bbox),
                        signature=Mark(present=r.signature.present, score=r.signature.score, bbox=r.signature.bbox),
                        text_source=r.text_source, rotation=r.rotation, skew_deg=r.skew_deg,
                        width_pt=round(r.width_pt, 2), height_pt=round(r.height_pt, 2), colour=r.colour)
             for r in reads]
    return ExtractionResult(source=source, sha256=inp.sha256, page_count=inp.page_count, documents=documents, pages=pages)


def _error(path: Path, exc: Rejected) -> ExtractionError:
    try:
        digest = sha256_of(path) if path.exists() and path.stat().st_size else hashlib.sha256(b"").hexdigest()
    except OSError:
        digest = None
    return ExtractionError(source=path.name, sha256=digest, error=exc.code, message=exc.message)


def extract_files(paths: Iterable[Path], settings: ExtractSettings | None = None,
                  progress: Callable[[int], None] | None = None, previews: bool = False) -> Iterator[Outcome]:
    """Yields one Outcome per path, in order. Pages of consecutive files overlap in the pool;
    at most 2 x workers pages are in flight, so memory does not grow with the batch."""
    settings = settings or ExtractSettings()
    window = settings.workers * 2
    with page_pool(settings.workers, init_worker) as pool:
        files: deque[list] = deque()  # [path, InputFile | None, Rejected | None, futures]
        jobs: deque[tuple[list[Future], PageJob]] = deque()
        running: set[Future] = set()

        def pump() -> None:
            while jobs and len(running) < window:
                futs, job = jobs.popleft()
                fut = pool.submit(read_page, job)
                futs.append(fut)
                running.add(fut)

        def head_ready() -> bool:
            _, inp, rejected, futs = files[0]
            return rejected is not None or (len(futs) == inp.page_count and all(f.done() for f in futs))

        def wait_some() -> None:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            running.difference_update(done)
            pump()

        for path in paths:
            path = Path(path)
            try:
                inp = open_input(path, settings)
                futs: list[Future] = []
                jobs.extend((futs, PageJob(str(path), inp.kind, i, settings, previews)) for i in range(inp.page_count))
                files.append([path, inp, None, futs])
            except Rejected as exc:
                files.append([path, None, exc, []])
            pump()
            while files and head_ready():
                yield _finish(files.popleft(), progress)
            while len(jobs) > window:
                wait_some()
                while files and head_ready():
                    yield _finish(files.popleft(), progress)
        while files:
            if head_ready():
                yield _finish(files.popleft(), progress)
            else:
                wait_some()


def _finish(entry: list, progress: Callable[[int], None] | None) -> Outcome:
    path, inp, rejected, futs = entry
    if rejected is not None:
        return Outcome(path, error=_error(path, rejected))
    try:
        reads = [f.result() for f in futs]
        if progress:
            progress(len(reads))
        shots = [r.preview for r in reads] if all(r.preview for r in reads) else None
        for r in reads:
            r.preview = None
        return Outcome(path, result=assemble(inp, path.name, reads), previews=shots)
    except Exception as exc:  # a page the engines could not read: reported, the batch goes on
        return Outcome(path, error=ExtractionError(source=path.name, sha256=inp.sha256, error="unreadable_page",
                                                   message=f"A page could not be read: {type(exc).__name__}: {exc}"))
