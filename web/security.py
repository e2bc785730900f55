"""Passwords, sessions and CSRF for the web screens.

- Passwords: argon2id (argon2-cffi), never stored or logged in clear.
- Sessions: a signed, time-limited cookie (itsdangerous) holding who is signed in and the
  session's CSRF token; HttpOnly, SameSite=Strict, Secure unless turned off for plain-HTTP tests.
  A piece of the password hash rides in the session, so changing a password ends the others.
- CSRF: a synchronizer token per session, required in every POST (form field `csrf_token`
  or header `X-CSRF-Token`); sign-in forms get an anonymous session with its own token first.
"""
from __future__ import annotations

import hmac
import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "reexport_session"
SESSION_MAX_AGE_S = 8 * 3600
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < 10:
        return "не короче 10 символов / кемінде 10 таңба (at least 10 characters)"
    if password.isdigit() or password.isalpha():
        return "буквы и цифры / әріптер мен сандар (letters and digits)"
    return None


def one_time_password() -> str:
    """A password for the clerk to hand over; the applicant must change it at first sign-in."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(12))
        if password_problem(pw) is None:
            return pw


def load_secret(home: Path) -> bytes:
    """The key that signs session cookies: made once per data directory, readable by the owner only."""
    path = home / "web" / "session.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
    return path.read_bytes()


@dataclass
class Session:
    csrf: str
    kind: str | None = None  # "staff" | "applicant" | None (anonymous)
    account_id: int | None = None
    stamp: str | None = None  # a piece of the password hash: a changed password ends the session

    def as_dict(self) -> dict:
        return {"c": self.csrf, "k": self.kind, "a": self.account_id, "s": self.stamp}


class SessionCodec:
    def __init__(self, secret: bytes):
        self._s = URLSafeTimedSerializer(secret, salt="reexport.session")

    def dumps(self, session: Session) -> str:
        return self._s.dumps(session.as_dict())

    def loads(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            d = self._s.loads(cookie, max_age=SESSION_MAX_AGE_S)
        except BadSignature:
            return None
        if not isinstance(d, dict) or not isinstance(d.get("c"), str):
            return None
        return Session(d["c"], d.get("k"), d.get("a"), d.get("s"))


def new_session(kind: str | None = None, account_id: int | None = None, password_hash: str | None = None) -> Session:
    return Session(secrets.token_urlsafe(24), kind, account_id, password_stamp(password_hash))


def password_stamp(password_hash: str | None) -> str | None:
    return password_hash[-16:] if password_hash else None


def csrf_ok(session: Session | None, submitted: str | None) -> bool:
    return bool(session and submitted and hmac.compare_digest(session.csrf, submitted))
