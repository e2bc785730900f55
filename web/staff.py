"""Staff screens: sign-in, the queue, the case (validation station), procedure steps, decision."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from sqlalchemy import String, cast, or_, select, update
from sqlalchemy.orm import selectinload

from flows.procedure import (
    DecisionRequest,
    ProcedureError,
    next_due,
    permit_blockers,
    record_answer,
    record_decision,
    record_risk_assessment,
    send_request,
    today_astana,
)
from flows.agencies import MFA, STATE_BODIES
from flows.process import process_case, uncertified_pages
from flows.workdays import load_calendar
from models.outgoing import REFUSAL_GROUND_TEXT, RefusalGround
from models.store import (
    Applicant,
    Case,
    Decision,
    Document,
    Event,
    Field,
    FieldChange,
    IntakeFile,
    Outgoing,
    Page,
    StaffUser,
)
from web.app import safe_next, page, sign_in, sign_out
from web.fields import (
    FieldView,
    InvalidValue,
    as_text,
    goods_index,
    label,
    missing_paths,
    new_field_key,
    normalise_edit,
    reasons_to_check,
    sort_key,
)
from web.guards import CAN_DECIDE, CAN_EDIT, CAN_ISSUE, CAN_REGISTER_APPLICANT, csrf_guard, staff_user
from web.page_images import cached_page_png
from web.security import check_password, hash_password, one_time_password

router = APIRouter(prefix="/staff", dependencies=[Depends(csrf_guard)])
_IDENTIFIER = re.compile(r"^\d{12}$")
VALIDITY_FIELDS = ("contract_valid_until", "guarantee_valid_until")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None):
    return page(request, "login.html", {"kind": "staff", "next": safe_next(next, "/staff")})


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/staff")):
    with request.app.state.config.store.session() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
        ok = user is not None and user.active and check_password(user.password_hash, password)
        if ok:
            sign_in(request, "staff", user.id, user.password_hash)
            s.add(Event(kind="staff.signed_in", actor=user.username))
    if not ok:
        return page(request, "login.html", {"kind": "staff", "next": safe_next(next, "/staff"), "error": True},
                    status_code=401)
    return RedirectResponse(safe_next(next, "/staff"), status_code=303)


@router.post("/logout")
def logout(request: Request):
    sign_out(request)
    return RedirectResponse("/staff/login", status_code=303)


# ------------------------------------------------------------------ queue

@router.get("", response_class=HTMLResponse)
def queue(request: Request, status: str = "", channel: str = "", q: str = ""):
    user = staff_user(request)
    calendar = load_calendar()
    today = today_astana()
    rows = []
    with request.app.state.config.store.session() as s:
        query = select(Case).options(selectinload(Case.applicant)).order_by(Case.submitted_at.desc())
        if status:
            query = query.where(Case.status == status)
        if channel:
            query = query.where(Case.channel == channel)
        if q.strip():
            like = f"%{q.strip()}%"
            matching_fields = select(Field.case_id).where(Field.path == "contract_number",
                                                          cast(Field.value, String).like(like))
            query = query.outerjoin(Applicant, Case.applicant_id == Applicant.id).where(or_(
                Case.reference.ilike(like), Applicant.name.ilike(like), Applicant.identifier.like(like),
                Case.id.in_(matching_fields)))
        for case in s.scalars(query.limit(500)):
            rows.append({"case": case, "applicant": case.applicant, "due": next_due(case, today, calendar)})
    return page(request, "queue.html", {"user": user, "rows": rows, "status": status, "channel": channel, "q": q})


# ------------------------------------------------------------------ the case screen

@dataclass
class PageView:
    file_id: int
    file_name: str
    number: int
    width_pt: float
    height_pt: float
    has_seal: bool
    has_signature: bool
    marks: list
    uncertified: bool


def _case_or_404(s, case_id: int) -> Case:
    case = s.get(Case, case_id)
    if case is None:
        raise HTTPException(404)
    return case


def case_context(request: Request, case_id: int) -> dict:
    lang = request.state.lang
    with request.app.state.config.store.session() as s:
        case = _case_or_404(s, case_id)
        files = s.scalars(select(IntakeFile).where(IntakeFile.case_id == case.id).order_by(IntakeFile.id)).all()
        docs = s.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.file_id,
                                                                                       Document.index_in_file)).all()
        doc_file = {d.id: d.file_id for d in docs}
        uncertified = {(file.id, failure.page) for file, failure in uncertified_pages(s, case)}
        pages = []
        for f in files:
            for p in s.scalars(select(Page).where(Page.file_id == f.id).order_by(Page.number)):
                pages.append(PageView(f.id, f.display_name, p.number, p.width_pt, p.height_pt, p.has_seal,
                                      p.has_signature, p.marks,
                                      (f.id, p.number) in uncertified))
        sections = []
        for d in docs:
            views = []
            stored = s.scalars(select(Field).where(Field.document_id == d.id)).all()
            for f in stored:
                views.append(FieldView(f.id, d.id, f.path, label(f.path, lang), as_text(f.value), f.confidence, f.page,
                                       f.bbox, doc_file.get(d.id), reasons_to_check(f.value, f.confidence, f.issues,
                                                                                  f.source), f.source))
            for path in missing_paths(d.doc_type, {f.path for f in stored}):
                views.append(FieldView(None, d.id, path, label(path, lang), "", None, None, None, doc_file.get(d.id),
                                       reasons_to_check(None, None, [], "extracted"), "missing"))
            views.sort(key=lambda v: sort_key(v.path))
            plain = [v for v in views if goods_index(v.path) is None]
            goods: dict[int, list[FieldView]] = {}
            for v in views:
                if goods_index(v.path) is not None:
                    goods.setdefault(goods_index(v.path), []).append(v)
            sections.append({"doc": d, "fields": plain, "goods": [goods[k] for k in sorted(goods)]})
        history = s.execute(select(FieldChange, Field.path).join(Field, FieldChange.field_id == Field.id)
                            .where(Field.case_id == case.id).order_by(FieldChange.id.desc()).limit(50)).all()
        decisions = s.scalars(select(Decision).where(Decision.case_id == case.id).order_by(Decision.id)).all()
        outgoing = s.scalars(select(Outgoing).where(Outgoing.case_id == case.id).order_by(Outgoing.id)).all()
        applicant = s.get(Applicant, case.applicant_id) if case.applicant_id else None
        blockers = permit_blockers(s, case)
        due = next_due(case, today_astana(), load_calendar())
    return {"case": case, "files": files, "pages": pages, "sections": sections, "history": history,
            "decisions": decisions, "outgoing": outgoing, "applicant": applicant, "blockers": blockers, "due": due,
            "checks": case.checks or {}, "procedure": case.procedure or {}, "state_bodies": STATE_BODIES, "mfa": MFA,
            "grounds": [(g.value, REFUSAL_GROUND_TEXT[g]) for g in RefusalGround]}


def show_case(request: Request, case_id: int, status_code: int = 200, **extra) -> HTMLResponse:
    user = staff_user(request)
    ctx = case_context(request, case_id)
    return page(request, "case.html", {"user": user, **ctx, "errors": {}, "submitted": {}, **extra},
                status_code=status_code)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_screen(request: Request, case_id: int, saved: int = 0, done: str = ""):
    return show_case(request, case_id, saved=bool(saved), done=done)


@router.get("/cases/{case_id}/pages/{file_id}/{number}.png")
def page_image(request: Request, case_id: int, file_id: int, number: int):
    staff_user(request)
    config = request.app.state.config
    with config.store.session() as s:
        f = s.get(IntakeFile, file_id)
        if f is None or f.case_id != case_id or not s.scalar(
                select(Page.id).where(Page.file_id == file_id, Page.number == number)):
            raise HTTPException(404)
        archive, sha = config.home / "archive" / f.archive_name, f.sha256
    path = cached_page_png(config.home, archive, sha, number)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.post("/cases/{case_id}/fields")
async def save_fields(request: Request, case_id: int):
    user = staff_user(request, *CAN_EDIT)
    form = await request.form()
    try:
        revision = int(form.get("revision", ""))
    except ValueError:
        raise HTTPException(400, "revision missing") from None
    submitted = {k: str(v) for k, v in form.items() if k.startswith(("field-", "new-"))}
    store = request.app.state.config.store
    errors: dict[str, str] = {}
    changes: list[tuple[Field, object]] = []
    with store.session() as s:
        case = _case_or_404(s, case_id)
        fields = {f"field-{f.id}": f for f in s.scalars(select(Field).where(Field.case_id == case.id))}
        documents = {d.id: d for d in s.scalars(select(Document).where(Document.case_id == case.id))}
        for key, raw in submitted.items():
            f = fields.get(key)
            if f is None:
                added = new_field_key(key)
                if added is None or added[0] not in documents:
                    raise HTTPException(404)
                if not raw.strip():
                    continue  # left empty: nothing to add
                f = Field(case_id=case.id, document_id=added[0], path=added[1], value=None, issues=[])
            elif raw.strip() == as_text(f.value).strip():
                continue
            try:
                changes.append((f, normalise_edit(f.path, raw)))
            except InvalidValue as e:
                errors[key] = str(e)
        if errors:
            s.rollback()
        elif changes:
            # Compare-and-set on the revision: of two reviewers who loaded the same revision,
            # the second save finds it moved on and is refused, whatever the timing.
            bumped = s.execute(update(Case).where(Case.id == case.id, Case.revision == revision)
                               .values(revision=Case.revision + 1, updated_at=dt.datetime.now(dt.timezone.utc)))
            if bumped.rowcount != 1:
                s.rollback()
                return show_case(request, case_id, 409, conflict=True, submitted=submitted)
            for f, value in changes:
                if f.id is None:
                    s.add(f)
                    s.flush()
                s.add(FieldChange(field_id=f.id, actor=user.username, old_value=f.value, new_value=value))
                f.value, f.source, f.issues, f.confidence = value, "reviewer", [], 1.0
            for f, value in changes:
                if f.path in VALIDITY_FIELDS:  # the expiry check and the permit's validity read it
                    documents[f.document_id].valid_until = dt.date.fromisoformat(value)
            s.add(Event(kind="fields.corrected", case_id=case.id, actor=user.username,
                        detail={"fields": [f.path for f, _ in changes], "revision": revision + 1}))
        elif case.revision != revision:
            return show_case(request, case_id, 409, conflict=True, submitted=submitted)
    if errors:
        return show_case(request, case_id, 422, errors=errors, submitted=submitted)
    if changes:
        _recheck(request, case_id)
    return RedirectResponse(f"/staff/cases/{case_id}?saved=1", status_code=303)


def _recheck(request: Request, case_id: int) -> None:
    """A corrected contract number or end user changes the cross-document checks."""
    process_case(request.app.state.config.store, case_id)


# ------------------------------------------------------------------ intake: the applicant's cabinet

@router.post("/cases/{case_id}/applicant", response_class=HTMLResponse)
def register_applicant(request: Request, case_id: int, identifier: str = Form(""), name: str = Form(""),
                       channel: str = Form("state_corporation"), bound_copy: str = Form(""),
                       has_seal: str = Form("")):
    user = staff_user(request, *CAN_REGISTER_APPLICANT)
    identifier, name = identifier.strip(), " ".join(name.split())
    if not _IDENTIFIER.match(identifier) or not name or channel not in ("state_corporation", "portal"):
        return show_case(request, case_id, 422, applicant_error=True)
    otp = None
    with request.app.state.config.store.session() as s:
        case = _case_or_404(s, case_id)
        who = s.scalar(select(Applicant).where(Applicant.identifier == identifier))
        if who is None:
            otp = one_time_password()
            who = Applicant(identifier=identifier, name=name, password_hash=hash_password(otp),
                            must_change_password=True)
            s.add(who)
            s.flush()
            s.add(Event(kind="applicant.created", case_id=case.id, actor=user.username,
                        detail={"identifier": identifier}))
        case.applicant_id = who.id
        case.channel = channel
        case.bound_copy = bool(bound_copy)
        case.applicant_has_seal = bool(has_seal)
        s.add(Event(kind="case.applicant_linked", case_id=case.id, actor=user.username,
                    detail={"identifier": identifier, "channel": channel, "bound_copy": case.bound_copy}))
    _recheck(request, case_id)  # the seal and binding change the certification rule
    # The one-time password is shown on this response only; it is stored as a hash.
    response = show_case(request, case_id, otp=otp, otp_for=identifier)
    response.headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ procedure steps

def _step(request: Request, case_id: int, action, show_result: bool = False) -> HTMLResponse | RedirectResponse:
    """Run a procedure step; its refusal is shown on the case screen, its success redirects back."""
    try:
        result = action()
    except (ProcedureError, ValueError) as e:
        return show_case(request, case_id, 422, step_error=str(e))
    done = quote(str(result), safe="") if show_result else "ok"
    return RedirectResponse(f"/staff/cases/{case_id}?done={done}#procedure", status_code=303)


@router.post("/cases/{case_id}/requests")
def new_request(request: Request, case_id: int, kind: str = Form(...), body: str = Form("")):
    user = staff_user(request, *CAN_DECIDE)
    store = request.app.state.config.store
    return _step(request, case_id, lambda: send_request(store, case_id, kind=kind, body=body or MFA,
                                                         actor=user.username))


@router.post("/cases/{case_id}/requests/{request_id}/answer")
def answer(request: Request, case_id: int, request_id: int, positive: str = Form(...), text: str = Form("")):
    user = staff_user(request, *CAN_DECIDE)
    store = request.app.state.config.store
    return _step(request, case_id, lambda: record_answer(store, case_id, request_id, positive=positive == "yes",
                                                         text=text, actor=user.username))


@router.post("/cases/{case_id}/risk")
def risk(request: Request, case_id: int, positive: str = Form(...), note: str = Form("")):
    user = staff_user(request, *CAN_DECIDE)
    store = request.app.state.config.store
    return _step(request, case_id, lambda: record_risk_assessment(store, case_id, positive=positive == "yes",
                                                                  note=note, actor=user.username))


@router.post("/cases/{case_id}/decision")
async def decide(request: Request, case_id: int):
    user = staff_user(request, *CAN_DECIDE)
    form = await request.form()
    try:
        req = DecisionRequest(kind=str(form.get("kind", "")), grounds=[int(g) for g in form.getlist("ground")],
                              details=str(form.get("details", "")), override_reason=str(form.get("override", "")),
                              revision=int(form.get("revision", "0")))
    except ValueError:
        raise HTTPException(400, "bad decision form") from None
    store = request.app.state.config.store
    return _step(request, case_id, lambda: record_decision(store, case_id, req, user.username))


@router.post("/cases/{case_id}/issue")
def issue(request: Request, case_id: int):
    user = staff_user(request, *CAN_ISSUE)
    config = request.app.state.config
    with config.store.session() as s:
        _case_or_404(s, case_id)
        decision = s.scalar(select(Decision).where(Decision.case_id == case_id).order_by(Decision.id.desc()))
        if decision is None:
            return show_case(request, case_id, 422, step_error="нет решения / шешім жоқ (no decision yet)")
        decision_id = decision.id
    return _step(request, case_id, lambda: config.finalize(decision_id, user.username), show_result=True)


@router.get("/cases/{case_id}/outgoing/{number}.pdf")
def outgoing_pdf(request: Request, case_id: int, number: str):
    staff_user(request)
    config = request.app.state.config
    with config.store.session() as s:
        row = s.scalar(select(Outgoing).where(Outgoing.case_id == case_id, Outgoing.number == number,
                                              Outgoing.state == "delivered"))
        if row is None:
            raise HTTPException(404)
        path = config.home / "outgoing" / f"{row.number}.pdf"
    if not path.exists():
        raise HTTPException(404)
    return FileResponse(path, media_type="application/pdf", filename=path.name)
