"""The web screens: FastAPI, server-rendered Jinja2 templates, a little plain JavaScript.

`create_app(home)` builds the application around one data directory; `reexport run` serves it
on 127.0.0.1 beside the inbox watcher, `reexport web` alone. Every route is denied by default:
staff routes check the role, cabinet routes the applicant's ownership; POSTs check CSRF.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.store import Store, open_store
from web.guards import SignInRequired
from web.i18n import CHANNEL_TEXT, DEFAULT_LANGUAGE, DUE_TEXT, LANGUAGES, STATUS_TEXT, TEXT, pick, translator
from web.security import SESSION_COOKIE, SESSION_MAX_AGE_S, Session, SessionCodec, load_secret, new_session

HERE = Path(__file__).parent
log = logging.getLogger("reexport.web")

# Finalizer: (decision id, actor) -> a message for the head ("KZ-RP-2026-00001 delivered", "queued").
Finalizer = Callable[[int, str], str]


@dataclass
class WebConfig:
    home: Path
    store: Store
    finalize: Finalizer
    secure_cookies: bool = True


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: an outside URL in ?next= would make the site a redirector."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def create_app(home: Path, *, store: Store | None = None, finalize: Finalizer | None = None,
               secure_cookies: bool = True) -> FastAPI:
    from web import cabinet, staff
    from flows.finalize import DirectFinalizer

    home = home.resolve()
    store = store or open_store(home=home)
    config = WebConfig(home, store, finalize or DirectFinalizer(store, home), secure_cookies)
    codec = SessionCodec(load_secret(home))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(pick=pick, status_texts=STATUS_TEXT, channel_texts=CHANNEL_TEXT, due_texts=DUE_TEXT)

    app = FastAPI(title="reexport", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.config = config
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def sessions(request: Request, call_next):
        session = codec.loads(request.cookies.get(SESSION_COOKIE))
        fresh = session is None
        request.state.session = session or new_session()
        request.state.session_changed = False
        lang = request.cookies.get("lang")
        request.state.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        response = await call_next(request)
        if fresh or request.state.session_changed:
            response.set_cookie(SESSION_COOKIE, codec.dumps(request.state.session), max_age=SESSION_MAX_AGE_S,
                                httponly=True, secure=config.secure_cookies, samesite="strict", path="/")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                    "frame-ancestors 'none'; form-action 'self'")
        return response

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired):
        target = exc.where
        if request.method == "GET" and exc.where.endswith("/login"):
            target += "?next=" + quote(request.url.path, safe="/")
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        key = {404: "not_found", 403: "forbidden"}.get(exc.status_code, "error")
        detail = exc.detail if exc.status_code not in (404,) and isinstance(exc.detail, str) else ""
        return page(request, "error.html", {"title": pick(TEXT[key], request.state.lang), "detail": detail},
                    status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return page(request, "error.html", {"title": pick(TEXT["error"], request.state.lang),
                                            "detail": "Внутренняя ошибка / Ішкі қате (internal error)"},
                    status_code=500)

    @app.get("/", response_class=HTMLResponse)
    def welcome(request: Request):
        return page(request, "welcome.html", {})

    @app.get("/lang/{code}")
    def set_language(code: str, next: str | None = None):
        if code not in LANGUAGES:
            raise HTTPException(404)
        response = RedirectResponse(safe_next(next, "/"), status_code=303)
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", path="/")
        return response

    @app.get("/healthz")
    def health():
        return {"ok": True}

    app.include_router(staff.router)
    app.include_router(cabinet.router)
    return app


def page(request: Request, template: str, context: dict, status_code: int = 200) -> HTMLResponse:
    """A template with what every page needs: language, words, the session's CSRF token."""
    lang = request.state.lang
    session: Session = request.state.session
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    base = {"request": request, "lang": lang, "t": translator(lang), "csrf": session.csrf,
            "signed_in": session.kind, "here": quote(here, safe="/?=&"), "languages": LANGUAGES}
    return request.app.state.templates.TemplateResponse(request, template, {**base, **context},
                                                        status_code=status_code)


def sign_in(request: Request, kind: str, account_id: int, password_hash: str) -> None:
    """A new session (new CSRF token) at sign-in: a token seen before sign-in is not reused."""
    request.state.session = new_session(kind, account_id, password_hash)
    request.state.session_changed = True


def sign_out(request: Request) -> None:
    request.state.session = new_session()
    request.state.session_changed = True
