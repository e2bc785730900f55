"""The applicant's personal cabinet: sign-in (one-time password changed at first sign-in), their
own cases with a status timeline and due date, their signed documents.

Ownership is checked on every request; another applicant's case or file is answered with 404,
the same as one that does not exist, so ids and numbers cannot be probed."""
from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from sqlalchemy import select

from flows.procedure import next_due, today_astana
from flows.workdays import load_calendar
from models.store import Applicant, Case, Event, Outgoing
from web.app import safe_next, page, sign_in, sign_out
from web.guards import applicant_account, csrf_guard
from web.security import check_password, hash_password, password_problem

router = APIRouter(prefix="/cabinet", dependencies=[Depends(csrf_guard)])
_NUMBER = re.compile(r"^KZ-[A-Z]{2}-\d{4}-\d{5}$")

# The steps an applicant sees (RULES.md: accepted, registered, under review, requests, decided).
TIMELINE = [
    ("accepted", ("Қабылданды", "Принято", "Accepted")),
    ("registered", ("Тіркелді", "Зарегистрировано", "Registered")),
    ("review", ("Қаралуда", "На рассмотрении", "Under review")),
    ("requests", ("Сұраулар жіберілді", "Направлены запросы", "Requests sent")),
    ("decided", ("Шешім қабылданды", "Решение принято", "Decided")),
]
_REACHED = {"received": 2, "processing": 2, "awaiting_review": 3, "requests_sent": 4, "risk_assessed": 4,
            "decided": 4, "issued": 5, "refused": 5}


def timeline(case: Case) -> list[tuple[str, tuple[str, str, str], bool]]:
    """Each step with whether it is reached. A decision counts once the document is delivered."""
    reached = _REACHED.get(case.status, 1)
    return [(key, text, i < reached) for i, (key, text) in enumerate(TIMELINE)]


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None):
    return page(request, "login.html", {"kind": "applicant", "next": safe_next(next, "/cabinet")})


@router.post("/login")
def login(request: Request, identifier: str = Form(""), password: str = Form(""), next: str = Form("/cabinet")):
    with request.app.state.config.store.session() as s:
        who = s.scalar(select(Applicant).where(Applicant.identifier == identifier.strip()))
        ok = who is not None and check_password(who.password_hash, password)
        if ok:
            sign_in(request, "applicant", who.id, who.password_hash)
            s.add(Event(kind="applicant.signed_in", actor=who.identifier))
            must_change = who.must_change_password
    if not ok:
        return page(request, "login.html", {"kind": "applicant", "next": safe_next(next, "/cabinet"), "error": True},
                    status_code=401)
    return RedirectResponse("/cabinet/password" if must_change else safe_next(next, "/cabinet"), status_code=303)


@router.post("/logout")
def logout(request: Request):
    sign_out(request)
    return RedirectResponse("/cabinet/login", status_code=303)


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request):
    who = applicant_account(request, allow_password_change=True)
    return page(request, "password.html", {"who": who})


@router.post("/password", response_class=HTMLResponse)
def change_password(request: Request, current: str = Form(""), new: str = Form(""), repeat: str = Form("")):
    who = applicant_account(request, allow_password_change=True)
    t = None
    if not check_password(who.password_hash, current):
        t = "bad_login"
    elif new != repeat:
        t = "passwords_differ"
    problem = password_problem(new) if t is None else None
    if t or problem:
        return page(request, "password.html", {"who": who, "error_key": t, "problem": problem}, status_code=422)
    with request.app.state.config.store.session() as s:
        row = s.get(Applicant, who.id)
        row.password_hash = hash_password(new)
        row.must_change_password = False
        s.add(Event(kind="applicant.password_changed", actor=row.identifier))
        sign_in(request, "applicant", row.id, row.password_hash)
    return RedirectResponse("/cabinet", status_code=303)


@router.get("", response_class=HTMLResponse)
def my_cases(request: Request):
    who = applicant_account(request)
    today, calendar = today_astana(), load_calendar()
    with request.app.state.config.store.session() as s:
        cases = s.scalars(select(Case).where(Case.applicant_id == who.id).order_by(Case.submitted_at.desc())).all()
        rows = [{"case": c, "timeline": timeline(c), "due": next_due(c, today, calendar),
                 "documents": _delivered(s, c)} for c in cases]
    return page(request, "cabinet.html", {"who": who, "rows": rows})


def _delivered(s, case: Case) -> list[Outgoing]:
    return list(s.scalars(select(Outgoing).where(Outgoing.case_id == case.id, Outgoing.state == "delivered")
                          .order_by(Outgoing.id)))


@router.get("/cases/{reference}", response_class=HTMLResponse)
def my_case(request: Request, reference: str):
    who = applicant_account(request)
    with request.app.state.config.store.session() as s:
        case = s.scalar(select(Case).where(Case.reference == reference, Case.applicant_id == who.id))
        if case is None:
            raise HTTPException(404)
        due = next_due(case, today_astana(), load_calendar())
        row = {"case": case, "timeline": timeline(case), "due": due, "documents": _delivered(s, case)}
    return page(request, "cabinet_case.html", {"who": who, "row": row})


@router.get("/documents/{number}.pdf")
def my_document(request: Request, number: str):
    who = applicant_account(request)
    if not _NUMBER.match(number):
        raise HTTPException(404)
    config = request.app.state.config
    with config.store.session() as s:
        row = s.scalar(select(Outgoing).join(Case, Outgoing.case_id == Case.id).where(
            Outgoing.number == number, Outgoing.state == "delivered", Case.applicant_id == who.id))
        if row is None:
            raise HTTPException(404)
        # Built from the store's values (a 12-digit identifier, a checked number), never from the URL.
        path = config.home / "cabinets" / who.identifier / f"{row.number}.pdf"
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="application/pdf", filename=path.name)
