"""The procedure of a case after intake: requests to the state bodies and the MFA, their
answers, the risk assessment, the decision; and the clocks they move.

State lives in `Case.procedure` (a JSON document) with an event for every step; the clocks are
recomputed from it on every change, so they are never out of date with what was recorded.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from flows.agencies import OfficerRelayedBodies, Request, StateBodies
from flows.clocks import Pause, case_clocks, due_state
from flows.workdays import ASTANA, WorkCalendar, load_calendar
from models.outgoing import RefusalGround
from models.store import Case, Decision, Document, Event, Field, Store


class ProcedureError(ValueError):
    """A step that cannot be taken now; the message says why, for the officer."""


def today_astana() -> dt.date:
    return dt.datetime.now(ASTANA).date()


def _day(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def clocks_of(case: Case, calendar: WorkCalendar, today: dt.date) -> dict:
    """The case's due dates from what the procedure recorded: MFA checks pause the result clock;
    the risk assessment is due 5 working days after the last state body answered."""
    proc = case.procedure or {}
    requests = proc.get("requests", [])
    pauses = [Pause(_day(r["sent_on"]), _day(r.get("answered_on"))) for r in requests if r["kind"] == "mfa"]
    agency = [r for r in requests if r["kind"] == "agency"]
    answered = [_day(r["answered_on"]) for r in agency if r.get("answered_on")]
    last_answer = max(answered) if agency and len(answered) == len(agency) else None
    c = case_clocks(case.submitted_at, calendar, pauses=pauses, answers_received_on=last_answer, today=today)
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in vars(c).items()}


def next_due(case: Case, today: dt.date, calendar: WorkCalendar) -> tuple[str, dt.date, str] | None:
    """(which clock, due date, overdue | due_soon | on_time) of the next thing the provider owes."""
    if case.status in ("issued", "refused"):
        return None
    clocks = (case.procedure or {}).get("clocks") or clocks_of(case, calendar, today)
    if case.status in ("received", "awaiting_review"):
        which = "completeness_due"
    elif case.status == "requests_sent" and clocks.get("risk_assessment_due"):
        which = "risk_assessment_due"
    else:
        which = "result_due"
    due = _day(clocks[which])
    return which, due, due_state(due, today, calendar)


def save_clocks(case: Case, calendar: WorkCalendar, today: dt.date) -> None:
    case.procedure = {**(case.procedure or {}), "clocks": clocks_of(case, calendar, today)}


def send_request(store: Store, case_id: int, *, kind: str, body: str, actor: str,
                 bodies: StateBodies | None = None, today: dt.date | None = None) -> dict:
    """Record a request to a state body (kind 'agency') or to the MFA (kind 'mfa')."""
    if kind not in ("agency", "mfa"):
        raise ProcedureError(f"unknown request kind {kind!r}")
    body = " ".join(body.split())
    if not body:
        raise ProcedureError("укажите орган / органды көрсетіңіз (name the body)")
    today = today or today_astana()
    calendar = load_calendar()
    with store.session() as s:
        case = s.get(Case, case_id)
        if case.status in ("decided", "issued", "refused"):
            raise ProcedureError("решение уже принято / шешім қабылданды (already decided)")
        ref = (bodies or OfficerRelayedBodies()).send(Request(case.reference, body, kind, today))
        proc = dict(case.procedure or {})
        requests = list(proc.get("requests", []))
        entry = {"id": len(requests) + 1, "kind": kind, "body": body, "sent_on": today.isoformat(),
                 "reference": ref, "answer": None, "answered_on": None, "answer_text": None}
        requests.append(entry)
        case.procedure = {**proc, "requests": requests}
        if case.status in ("received", "awaiting_review"):
            case.status = "requests_sent"
        save_clocks(case, calendar, today)
        s.add(Event(kind=f"procedure.{kind}_request_sent", case_id=case.id, actor=actor,
                    detail={"body": body, "reference": ref}))
        return entry


def record_answer(store: Store, case_id: int, request_id: int, *, positive: bool, text: str, actor: str,
                  today: dt.date | None = None) -> None:
    today = today or today_astana()
    calendar = load_calendar()
    with store.session() as s:
        case = s.get(Case, case_id)
        proc = dict(case.procedure or {})
        requests = [dict(r) for r in proc.get("requests", [])]
        match = [r for r in requests if r["id"] == request_id]
        if not match:
            raise ProcedureError(f"no request {request_id}")
        r = match[0]
        if r.get("answered_on"):
            raise ProcedureError("ответ уже записан / жауап жазылған (already answered)")
        r.update(answer="positive" if positive else "negative", answered_on=today.isoformat(),
                 answer_text=" ".join(text.split()) or None)
        case.procedure = {**proc, "requests": requests}
        save_clocks(case, calendar, today)
        s.add(Event(kind=f"procedure.{r['kind']}_answer", case_id=case.id, actor=actor,
                    detail={"body": r["body"], "positive": positive}))


def record_risk_assessment(store: Store, case_id: int, *, positive: bool, note: str, actor: str,
                           today: dt.date | None = None) -> None:
    today = today or today_astana()
    with store.session() as s:
        case = s.get(Case, case_id)
        open_requests = [r for r in (case.procedure or {}).get("requests", []) if not r.get("answered_on")]
        if open_requests:
            raise ProcedureError("не все ответы получены / барлық жауаптар алынған жоқ (answers still awaited)")
        case.procedure = {**(case.procedure or {}), "risk": {
            "outcome": "positive" if positive else "negative", "note": " ".join(note.split()) or None,
            "on": today.isoformat(), "by": actor}}
        if case.status in ("awaiting_review", "requests_sent"):
            case.status = "risk_assessed"
        s.add(Event(kind="procedure.risk_assessed", case_id=case.id, actor=actor, detail={"positive": positive}))


def permit_blockers(session: Session, case: Case) -> list[str]:
    """What stands in the way of a permit: fields failing validation, missing or expired documents,
    uncertified pages. An officer may override them only with a recorded reason."""
    out = []
    checks = case.checks or {}
    for doc in checks.get("missing_documents", []):
        out.append(f"нет документа / құжат жоқ: {doc}")
    for doc in checks.get("expired_documents", []):
        out.append(f"истёк срок / мерзімі өтті: {doc}")
    for page in checks.get("uncertified_pages", []):
        out.append(f"не заверена / куәландырылмаған: {page}")
    for f in session.scalars(select(Field).where(Field.case_id == case.id).order_by(Field.path)):
        if f.issues:
            out.append(f"{f.path}: {'; '.join(f.issues)}")
    if not session.scalars(select(Document).where(Document.case_id == case.id)).first():
        out.append("нет документов / құжаттар жоқ (no documents)")
    return out


@dataclass(frozen=True)
class DecisionRequest:
    kind: str  # permit | refusal
    grounds: list[int]
    details: str
    override_reason: str
    revision: int


def record_decision(store: Store, case_id: int, req: DecisionRequest, actor: str) -> int:
    """The officer's decision on the revision of the case they looked at; returns its id."""
    if req.kind not in ("permit", "refusal"):
        raise ProcedureError(f"unknown decision {req.kind!r}")
    grounds = sorted(set(req.grounds))
    if req.kind == "refusal" and not grounds:
        raise ProcedureError("выберите основания отказа / бас тарту негіздерін таңдаңыз (choose the grounds)")
    for g in grounds:
        RefusalGround(g)  # raises ValueError for a number outside 1-16
    with store.session() as s:
        case = s.get(Case, case_id)
        if case.revision != req.revision:
            raise ProcedureError("дело изменено другим сотрудником — обновите страницу / "
                                 "істі басқа қызметкер өзгертті — бетті жаңартыңыз (the case changed; reload)")
        if case.status in ("decided", "issued", "refused"):
            raise ProcedureError("решение уже принято / шешім қабылданды (already decided)")
        override = " ".join(req.override_reason.split()) or None
        if req.kind == "permit":
            blockers = permit_blockers(s, case)
            if blockers and not override:
                raise ProcedureError("разрешение нельзя выдать без обоснования / негіздемесіз рұқсат беруге болмайды: "
                                     + "; ".join(blockers[:6]) + (" …" if len(blockers) > 6 else ""))
        decision = Decision(case_id=case.id, case_revision=case.revision, kind=req.kind, grounds=grounds,
                            details=" ".join(req.details.split()) or None, override_reason=override, decided_by=actor)
        s.add(decision)
        case.status = "decided"
        s.flush()
        s.add(Event(kind="case.decided", case_id=case.id, actor=actor,
                    detail={"kind": req.kind, "grounds": grounds, "override": override, "revision": case.revision}))
        return decision.id
