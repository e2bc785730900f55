"""Processing an archived file and checking its case: the stage functions that the Prefect flows
wrap, callable directly (tests, `reexport intake`) without a Prefect server."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from dataclasses import asdict, dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from extractors.certification import Failure, PageMarks, certification_failures
from extractors.settings import ExtractSettings
from flows.files import write_atomic
from flows.intake import Layout
from flows.procedure import save_clocks, today_astana
from flows.store_results import store_result
from flows.workdays import load_calendar
from models.case import RequiredDocument
from models.store import Case, Document, Event, Field, IntakeFile, Store

MAX_ATTEMPTS = 3


def retry_failed(store: Store, file_ids: list[int] | None = None) -> list[int]:
    """Put failed files (all, or those named) back in the queue; returns their ids."""
    with store.session() as s:
        query = select(IntakeFile).where(IntakeFile.state == "failed")
        if file_ids:
            query = query.where(IntakeFile.id.in_(file_ids))
        rows = s.scalars(query).all()
        for row in rows:
            row.state = "received"
            row.flow_run_id = None  # given to no run yet: a run under way claims it (claim_received)
            s.add(Event(kind="file.retry_requested", file_id=row.id, case_id=row.case_id,
                        detail={"previous_error": row.error}))
        return [r.id for r in rows]


def begin_processing(store: Store, layout: Layout, file_ids: list[int]) -> dict[int, tuple[Path, int] | None]:
    """Mark ledger rows as being processed, in one transaction: each file's archived path and
    attempt number, or None when it is already done (exactly once: a repeated request finds the
    work finished)."""
    begun: dict[int, tuple[Path, int] | None] = {}
    with store.session() as s:
        for file_id in file_ids:
            row = s.get(IntakeFile, file_id)
            if row.state == "done":
                begun[file_id] = None
                continue
            row.state = "processing"
            row.attempts += 1
            begun[file_id] = (layout.archive / row.archive_name, row.attempts)
    return begun


def _unclaimed():
    """Files archived and given to no run."""
    return select(IntakeFile.id).where(IntakeFile.state == "received", IntakeFile.flow_run_id.is_(None))


def any_to_claim(store: Store) -> bool:
    """Whether a file waits that `claim_received` would give a run."""
    with store.session() as s:
        return s.scalar(_unclaimed().limit(1)) is not None


def claim_received(store: Store, run_id: str, limit: int) -> list[int]:
    """Files archived since a run began and given to no run yet, claimed by that run (up to
    `limit`): a run under way takes what arrives instead of ending and leaving it to a new run,
    which would cost a new process and a new OCR pool. A compare-and-set on flow_run_id, so that
    two runs (scale-out) never claim the same file."""
    claimed = []
    with store.session() as s:
        ids = s.scalars(_unclaimed().order_by(IntakeFile.id).limit(limit)).all()
        for file_id in ids:
            hit = s.execute(update(IntakeFile).where(IntakeFile.id == file_id, IntakeFile.state == "received",
                                                     IntakeFile.flow_run_id.is_(None))
                            .values(flow_run_id=run_id)).rowcount
            if hit:
                claimed.append(file_id)
                s.add(Event(kind="file.claimed", file_id=file_id, detail={"flow_run": run_id}))
    return claimed


def process_files(store: Store, layout: Layout, file_ids: list[int],
                  settings: ExtractSettings | None = None) -> dict[int, str]:
    """OCR and parse archived files (one pool of OCR workers for the whole batch), store each
    result as it comes; returns the ledger state each file ends in."""
    # Imported here: the field parsers load spaCy, which the flows' file runs need only once
    # their first pages are read (they call the stage functions below, not this one).
    from extractors.pipeline import extract_files

    states: dict[int, str] = {}
    todo: list[tuple[int, int]] = []  # (file id, attempt)
    paths = []
    for file_id, begun in begin_processing(store, layout, file_ids).items():
        if begun is None:
            states[file_id] = "done"
            continue
        paths.append(begun[0])
        todo.append((file_id, begun[1]))
    for (file_id, attempt), outcome in zip(todo, extract_files(paths, settings)):
        states[file_id] = store_outcome(store, layout, file_id, attempt, outcome)
    return states


def process_file(store: Store, layout: Layout, file_id: int, settings: ExtractSettings | None = None) -> str:
    return process_files(store, layout, [file_id], settings)[file_id]


def store_outcome(store: Store, layout: Layout, file_id: int, attempt: int, outcome) -> str:
    with store.session() as s:
        row = s.get(IntakeFile, file_id)
        if row.state == "done" and row.attempts == attempt:
            return "done"  # stored already by this attempt: a retried store task
        if row.state == "done" or row.attempts != attempt:
            # A run that was given up for dead (its service crashed) finished after all: a newer
            # attempt owns the file, so this result is dropped and the file stays processed once.
            s.add(Event(kind="file.stale_result_dropped", file_id=row.id, detail={"attempt": attempt}))
            return row.state
        if outcome.error is not None:
            row.error = f"{outcome.error.error}: {outcome.error.message}"
            # Every MAX_ATTEMPTS-th attempt parks the file as failed; `reexport retry` gives it as many again.
            row.state = "failed" if attempt % MAX_ATTEMPTS == 0 else "received"
            s.add(Event(kind="file.failed" if row.state == "failed" else "file.retry", file_id=row.id,
                        case_id=row.case_id, detail={"error": outcome.error.error, "attempt": attempt}))
            return row.state
        result = outcome.result.to_dict()
        result["source"] = row.display_name
        write_atomic(layout.home / "results" / f"{row.sha256}.json",
                     json.dumps(result, ensure_ascii=False, indent=2).encode())
        store_result(s, row, result)
        row.state, row.error = "done", None
        row.finished_at = dt.datetime.now(dt.timezone.utc)
        s.add(Event(kind="file.processed", file_id=row.id, case_id=row.case_id,
                    detail={"pages": result["page_count"], "documents": [d["doc_type"] for d in result["documents"]]}))
        if row.case_id is not None:
            # In the same transaction: a file is never done while its case still waits for the check
            # (a crash in between would leave the case unchecked, with nothing left to redo it).
            recheck_case(s, s.get(Case, row.case_id))
    return "done"


@dataclass
class CaseCheck:
    missing_documents: list[str] = field(default_factory=list)
    expired_documents: list[str] = field(default_factory=list)
    inconsistencies: list[str] = field(default_factory=list)
    uncertified_pages: list[str] = field(default_factory=list)


def _values(session: Session, doc: Document) -> dict[str, object]:
    return {f.path: f.value for f in session.scalars(select(Field).where(Field.document_id == doc.id))}


def _same_name(a: object, b: object) -> bool:
    norm = lambda s: "".join(c for c in str(s).lower() if c.isalnum())  # noqa: E731
    return norm(a) == norm(b)


def check_case(session: Session, case: Case, today: dt.date) -> CaseCheck:
    """Completeness of the four required documents, expired documents, and whether the guarantee
    agrees with the contract (contract number and date, end user)."""
    docs = session.scalars(select(Document).where(Document.case_id == case.id)).all()
    check = CaseCheck()
    kinds = {d.doc_type for d in docs}
    check.missing_documents = [r.value for r in RequiredDocument if r.value not in kinds]
    for d in docs:
        if d.valid_until and d.valid_until < today:
            check.expired_documents.append(f"{d.doc_type} (valid until {d.valid_until.isoformat()})")
    check.uncertified_pages = [f"{file.display_name}: {failure.text('ru')} / {failure.text('kk')}"
                               for file, failure in uncertified_pages(session, case)]
    contracts = [_values(session, d) for d in docs if d.doc_type == "contract"]
    guarantees = [_values(session, d) for d in docs if d.doc_type == "end_use_guarantee"]
    for c in contracts[:1]:
        for g in guarantees:
            for key in ("contract_number", "contract_date"):
                if g.get(key) and c.get(key) and g[key] != c[key]:
                    check.inconsistencies.append(f"{key}: guarantee says {g[key]}, contract says {c[key]}")
            if g.get("end_user_name") and c.get("end_user_name") and not _same_name(g["end_user_name"], c["end_user_name"]):
                check.inconsistencies.append(
                    f"end user: guarantee names {g['end_user_name']}, contract names {c['end_user_name']}")
    return check


def uncertified_pages(session: Session, case: Case) -> list[tuple[IntakeFile, Failure]]:
    """The case rule (extractors.certification) over each file's documents and page marks."""
    docs = session.scalars(select(Document).where(Document.case_id == case.id)).all()
    out = []
    for file in session.scalars(select(IntakeFile).where(IntakeFile.case_id == case.id, IntakeFile.state == "done")):
        documents = [d.pages for d in docs if d.file_id == file.id]
        covered = {p for pages in documents for p in pages}
        documents += [[p.number] for p in file.pages if p.number not in covered]
        marks = {p.number: PageMarks(p.number, p.has_signature, p.has_seal) for p in file.pages}
        out += [(file, f) for f in certification_failures(documents, marks, case.applicant_has_seal, case.bound_copy)]
    return out


def recheck_case(session: Session, case: Case, today: dt.date | None = None) -> CaseCheck:
    """Check the case and bring its clocks up to date, in the caller's transaction; a new case
    then awaits review."""
    today = today or today_astana()
    check = check_case(session, case, today)
    case.checks = asdict(check)
    save_clocks(case, load_calendar(), today)
    if case.status in ("received", "processing"):
        case.status = "awaiting_review"
    session.add(Event(kind="case.checked", case_id=case.id, detail=asdict(check)))
    return check


def process_case(store: Store, case_id: int, today: dt.date | None = None) -> CaseCheck:
    with store.session() as s:
        return recheck_case(s, s.get(Case, case_id), today)
