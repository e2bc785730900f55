"""Who may do what: CSRF on every state-changing request, staff roles, applicant ownership."""
from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import HTTPException

from models.store import Applicant, StaffUser
from web.security import csrf_ok, password_stamp

ROLES = ("clerk", "reviewer", "head")
CAN_EDIT = ("reviewer", "head")
CAN_DECIDE = ("reviewer", "head")
CAN_ISSUE = ("head",)
CAN_REGISTER_APPLICANT = ("clerk", "reviewer", "head")


class SignInRequired(Exception):
    def __init__(self, where: str):
        self.where = where


async def csrf_guard(request: Request) -> None:
    """Every POST carries the session's token, as a form field or a header; else 403."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    token = request.headers.get("X-CSRF-Token")
    if token is None:
        form = await request.form()  # cached on the request: the route's own Form() reads it again
        token = form.get("csrf_token")
    if not csrf_ok(request.state.session, token if isinstance(token, str) else None):
        raise HTTPException(403, "CSRF: форма устарела или подделана / форма ескірген немесе жалған "
                                 "(the form is stale or forged; reload the page)")


def staff_user(request: Request, *roles: str) -> StaffUser:
    """The signed-in staff member, with one of `roles` (any staff role when none is named)."""
    session = request.state.session
    if session.kind != "staff" or session.account_id is None:
        raise SignInRequired("/staff/login")
    with request.app.state.config.store.session() as s:
        user = s.get(StaffUser, session.account_id)
        if user is None or not user.active or password_stamp(user.password_hash) != session.stamp:
            raise SignInRequired("/staff/login")
        s.expunge(user)
    if roles and user.role not in roles:
        raise HTTPException(403, "роль не позволяет / рөл рұқсат бермейді (your role does not allow this)")
    return user


def applicant_account(request: Request, allow_password_change: bool = False) -> Applicant:
    session = request.state.session
    if session.kind != "applicant" or session.account_id is None:
        raise SignInRequired("/cabinet/login")
    with request.app.state.config.store.session() as s:
        who = s.get(Applicant, session.account_id)
        if who is None or password_stamp(who.password_hash) != session.stamp:
            raise SignInRequired("/cabinet/login")
        s.expunge(who)
    if who.must_change_password and not allow_password_change:
        raise SignInRequired("/cabinet/password")
    return who
