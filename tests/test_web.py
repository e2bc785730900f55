"""The web screens in a real browser (Debian's chromium through Playwright) and over real HTTP,
on a case made by the real intake (OCR included) and documents signed for real."""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from extractors.settings import ExtractSettings
from flows.intake import Layout
from flows.watcher import IntakeLoop
from models.store import Case, Field, FieldChange, Outgoing, StaffUser, open_store
from signing.config import load_config
from signing.trust import validation_context
from signing.verify import verify_pdf
from web.app import create_app
from web.security import hash_password

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(__file__).resolve().parents[1] / "var" / "test-artefacts"
PASSWORDS = {"clerk1": "Clerk-pass-123", "rev1": "Reviewer-pass-1", "rev2": "Reviewer-pass-2", "head1": "Head-pass-1234"}
WRONG_CODE = "8525893099"  # ten digits, not in the nomenclature: as the extractor keeps a misread code
GOOD_CODE = "8525893000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def home(tmp_path_factory, generated, pki_home) -> Path:
    home = tmp_path_factory.mktemp("webhome")
    shutil.copytree(pki_home / "pki", home / "pki")
    store = open_store(home=home)
    layout = Layout(home).make()
    case_dir = layout.inbox / "CASE-W"
    case_dir.mkdir()
    shutil.copy(generated["born_contract_en"], case_dir / "contract.pdf")
    shutil.copy(generated["png_guarantee_ru"], case_dir / "guarantee.png")
    IntakeLoop(store, layout, ExtractSettings(workers=2), settle_s=0.1).run_until_empty(300)
    with store.session() as s:
        roles = {"clerk1": "clerk", "rev1": "reviewer", "rev2": "reviewer", "head1": "head"}
        for name, role in roles.items():
            s.add(StaffUser(username=name, full_name=f"Тест {name}", role=role, password_hash=hash_password(PASSWORDS[name])))
        tnved = s.scalars(select(Field).where(Field.path.like("goods.%.tnved_code"))).first()
        # The extractor keeps a code that is not in the nomenclature, with the reason and a low confidence.
        tnved.value, tnved.confidence = WRONG_CODE, 0.4
        tnved.issues = [f"TN VED code {WRONG_CODE} is not in the EAEU nomenclature"]
    store.close()
    return home


@pytest.fixture(scope="module")
def server(home):
    port = free_port()
    app = create_app(home, secure_cookies=True)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        yield b
        b.close()


def shot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def staff_page(browser, server, username: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{server}/lang/ru?next=/staff/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/staff")
    return page


def case_id(home: Path, reference: str = "CASE-W") -> int:
    store = open_store(home=home)
    try:
        with store.session() as s:
            return s.scalar(select(Case.id).where(Case.reference == reference))
    finally:
        store.close()


def tnved_field(home: Path) -> Field:
    store = open_store(home=home)
    try:
        with store.session() as s:
            return s.scalars(select(Field).where(Field.path.like("goods.%.tnved_code")).order_by(Field.id)).first()
    finally:
        store.close()


class Http:
    """A plain HTTP client that keeps the session cookie itself: httpx, like any client,
    does not send a Secure cookie over http://127.0.0.1."""

    def __init__(self, base: str):
        self.client = httpx.Client(base_url=base, follow_redirects=False)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kw) -> httpx.Response:
        header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        r = self.client.request(method, url, headers={"Cookie": header} if header else {}, **kw)
        for raw in r.headers.get_list("set-cookie"):
            name, _, rest = raw.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return r

    def csrf(self, url: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.request("GET", url).text).group(1)


# ---------------------------------------------------------------- review station

def test_reviewer_opens_case_clicks_flagged_field_sees_box_corrects_tnved_and_sees_audit(browser, server, home):
    page = staff_page(browser, server, "rev1")
    shot(page, "01-queue")
    page.click("a.case-link:text('CASE-W')")
    field = tnved_field(home)
    input_ = page.locator(f"#field-{field.id}")
    assert input_.get_attribute("data-flagged") == "1"
    assert "not in the EAEU nomenclature" in page.locator(f"#row-field-{field.id}").inner_text()
    input_.click()
    box = page.locator(f"#box-field-{field.id}")
    assert "active" in box.get_attribute("class")
    assert box.is_visible()
    shot(page, "02-case-flagged-field")
    input_.fill(GOOD_CODE)
    page.click("#save")
    page.wait_for_url(re.compile(r".*saved=1"))
    assert page.locator(".alert.ok").inner_text() == "Сохранено"
    audit = page.locator("#history").inner_text()
    assert WRONG_CODE in audit and GOOD_CODE in audit and "rev1" in audit
    assert page.locator(f"#field-{field.id}").input_value() == GOOD_CODE
    assert page.locator(f"#field-{field.id}").get_attribute("data-flagged") is None
    shot(page, "03-case-saved-audit")
    page.context.close()
    saved = tnved_field(home)
    assert saved.value == GOOD_CODE and saved.source == "reviewer" and saved.issues == []


def test_clicking_a_box_focuses_its_field_and_enter_jumps_to_the_next_flagged(browser, server, home):
    page = staff_page(browser, server, "rev1")
    page.goto(f"{server}/staff/cases/{case_id(home)}")
    first_box = page.locator(".box.fieldbox").first
    field_id = first_box.get_attribute("data-field")
    first_box.click(force=True)
    assert page.evaluate("document.activeElement.id") == field_id
    flagged = page.locator("input[data-flagged='1']")
    if flagged.count() >= 1:
        page.locator("#fields-form input[data-path]").first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.dataset.flagged") == "1"
    page.context.close()


def test_a_tnved_code_not_in_the_nomenclature_is_refused(browser, server, home):
    page = staff_page(browser, server, "rev1")
    page.goto(f"{server}/staff/cases/{case_id(home)}")
    field = tnved_field(home)
    page.fill(f"#field-{field.id}", "1234567890")
    with page.expect_response(lambda r: r.url.endswith("/fields")) as resp:
        page.click("#save")
    assert resp.value.status == 422
    assert "отсутствует в ТН ВЭД ЕАЭС" in page.locator(f"#row-field-{field.id}").inner_text()
    shot(page, "04-case-refused-code")
    page.context.close()
    assert tnved_field(home).value == GOOD_CODE  # nothing saved


def test_two_reviewers_editing_the_same_case_second_save_is_refused(browser, server, home):
    cid = case_id(home)
    first, second = staff_page(browser, server, "rev1"), staff_page(browser, server, "rev2")
    first.goto(f"{server}/staff/cases/{cid}")
    second.goto(f"{server}/staff/cases/{cid}")
    name_input = "#fields-form input[data-path='seller_name']"
    first.fill(name_input, "Alpha Technologies LLP (first)")
    first.click("#save")
    first.wait_for_url(re.compile(r".*saved=1"))
    second.fill(name_input, "Alpha Technologies LLP (second)")
    with second.expect_response(lambda r: r.url.endswith("/fields")) as resp:
        second.click("#save")
    assert resp.value.status == 409
    assert "другой сотрудник" in second.locator("#conflict").inner_text()
    shot(second, "05-case-conflict")
    for p in (first, second):
        p.context.close()
    store = open_store(home=home)
    with store.session() as s:
        seller = s.scalar(select(Field).where(Field.case_id == cid, Field.path == "seller_name"))
        assert seller.value == "Alpha Technologies LLP (first)"
    store.close()


# ---------------------------------------------------------------- security over plain HTTP

def test_sign_in_without_csrf_token_is_refused(server):
    http = Http(server)
    http.request("GET", "/staff/login")
    r = http.request("POST", "/staff/login", data={"username": "rev1", "password": PASSWORDS["rev1"]})
    assert r.status_code == 403
    r = http.request("POST", "/staff/login", data={"username": "rev1", "password": PASSWORDS["rev1"],
                                                   "csrf_token": "forged"})
    assert r.status_code == 403
    token = http.csrf("/staff/login")
    r = http.request("POST", "/staff/login", data={"username": "rev1", "password": PASSWORDS["rev1"], "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/staff"
    assert "HttpOnly" in r.headers["set-cookie"] and "Secure" in r.headers["set-cookie"]


def test_roles_deny_by_default(server, home):
    cid = case_id(home)
    anonymous = Http(server)
    r = anonymous.request("GET", f"/staff/cases/{cid}")
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/login")
    clerk = Http(server)
    token = clerk.csrf("/staff/login")
    clerk.request("POST", "/staff/login", data={"username": "clerk1", "password": PASSWORDS["clerk1"], "csrf_token": token})
    page = clerk.request("GET", f"/staff/cases/{cid}")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    revision = re.search(r'name="revision" value="(\d+)"', page.text).group(1)
    field = tnved_field(home)
    r = clerk.request("POST", f"/staff/cases/{cid}/fields",
                      data={"csrf_token": token, "revision": revision, f"field-{field.id}": "9002110000"})
    assert r.status_code == 403
    assert tnved_field(home).value == GOOD_CODE


def test_reexport_user_add_reads_the_password_from_stdin_only(tmp_path):
    env = {"REEXPORT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "flows.cli", "user", "add", "h2", "--role", "head", "--name", "Тест",
                        "--password-stdin"], input="Secret-pass-99\n", capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert "Secret-pass-99" not in r.stderr + r.stdout
    store = open_store(home=tmp_path)
    with store.session() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.username == "h2"))
        assert user.role == "head" and "Secret-pass-99" not in user.password_hash
    store.close()


# ---------------------------------------------------------------- decision, signing, the cabinet

@pytest.fixture(scope="module")
def issued(browser, server, home) -> dict:
    """Through the screens: a clerk opens the applicant's cabinet (one-time password), the
    reviewer records requests, answers and a permit with an override, the head signs and issues."""
    cid = case_id(home)
    clerk = staff_page(browser, server, "clerk1")
    clerk.goto(f"{server}/staff/cases/{cid}")
    clerk.fill("#applicant input[name=identifier]", "875725015934")
    clerk.fill("#applicant input[name=name]", "Alpha Technologies LLP")
    clerk.click("#applicant button[type=submit]")
    otp = clerk.locator("#otp-value").inner_text()
    shot(clerk, "06-clerk-one-time-password")
    clerk.context.close()

    reviewer = staff_page(browser, server, "rev1")
    reviewer.goto(f"{server}/staff/cases/{cid}")
    # What the extractor did not find on a goods line, the reviewer types in from the page.
    typed = {"name": "Item", "tnved_code": GOOD_CODE, "unit_code": "796", "quantity": "1", "value": "1 000,00"}
    empty = 0
    for box in reviewer.locator("#fields-form .goods input[data-path]").all():
        attr = box.get_attribute("data-path").rsplit(".", 1)[-1]
        if not box.input_value() and attr in typed:
            box.fill(typed[attr])
            empty += 1
    # The guarantee's validity was read a year short (it expired before the case): the reviewer corrects it.
    reviewer.fill("#fields-form input[data-path='guarantee_valid_until']", "2027-09-15")
    empty += 1
    if empty:
        reviewer.click("#save")
        reviewer.wait_for_url(re.compile(r".*saved=1"))
    reviewer.click("#procedure form:has(input[value=agency]) button")
    reviewer.click("#procedure form:has(input[value=mfa]) button")
    for _ in range(2):
        reviewer.locator("#procedure form[action$='/answer'] button").first.click()
    reviewer.locator("#procedure form[action$='/risk'] button").click()
    assert reviewer.locator("#decision-form textarea[name=override]").count() == 1  # blockers are listed
    reviewer.fill("#decision-form textarea[name=override]", "Заявление и форма сведений приняты на бумаге")
    reviewer.fill("#decision-form textarea[name=details]", "Реэкспорт третьим странам запрещён")
    reviewer.click("#decision-form button[type=submit]")
    assert "Разрешение" in reviewer.locator("#decision").inner_text()
    reviewer.context.close()

    head = staff_page(browser, server, "head1")
    head.goto(f"{server}/staff/cases/{cid}")
    head.click("#issue")
    head.wait_for_selector("#step-done, #step-error")
    assert head.locator("#step-error").count() == 0, head.locator("#step-error").inner_text()
    shot(head, "07-head-issued")
    number = head.locator("#step-done").inner_text().strip()
    head.context.close()
    return {"otp": otp, "number": number, "identifier": "875725015934"}


def test_permit_without_override_is_refused_while_checks_fail(home):
    from flows.procedure import DecisionRequest, ProcedureError, record_decision

    store = open_store(home=home)
    cid = case_id(home)
    with store.session() as s:
        revision = s.get(Case, cid).revision
        decided = s.get(Case, cid).status == "decided"
    if not decided:
        with pytest.raises(ProcedureError, match="нельзя выдать"):
            record_decision(store, cid, DecisionRequest("permit", [], "", "", revision), "rev1")
    store.close()


def test_applicant_signs_in_changes_password_and_downloads_the_signed_permit(browser, server, home, issued):
    assert re.fullmatch(r"KZ-RP-\d{4}-\d{5}", issued["number"])
    context = browser.new_context(viewport={"width": 1024, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/lang/ru?next=/cabinet/login")
    page.fill("input[name=identifier]", issued["identifier"])
    page.fill("input[name=password]", issued["otp"])
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/cabinet/password")
    page.fill("input[name=current]", issued["otp"])
    page.fill("input[name=new]", "Applicant-pass-42")
    page.fill("input[name=repeat]", "Applicant-pass-42")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{server}/cabinet")
    text = page.locator("main").inner_text()
    assert "CASE-W" in text and "Разрешение выдано" in text
    assert page.locator(".timeline li.done").count() == 5
    shot(page, "08-cabinet")
    with page.expect_download() as dl:
        page.click(f"a.download:has-text('{issued['number']}')")
    pdf = Path(dl.value.path()).read_bytes()
    context.close()
    # pyHanko validates with asyncio.run: Playwright's sync API holds this thread's event loop.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(verify_pdf, pdf, validation_context(load_config(home))).result()
    assert report.ok and report.signatures[0].trusted and report.signatures[0].intact
    assert pdf == (home / "cabinets" / issued["identifier"] / f"{issued['number']}.pdf").read_bytes()


def test_another_applicant_gets_404_for_the_first_ones_case_and_file(browser, server, home, issued):
    store = open_store(home=home)
    with store.session() as s:
        from models.store import Applicant

        s.add(Applicant(identifier="111111111111", name="Other LLP", password_hash=hash_password("Other-pass-77"),
                        must_change_password=False))
        number = s.scalar(select(Outgoing.number).where(Outgoing.kind == "permit"))
    store.close()
    http = Http(server)
    token = http.csrf("/cabinet/login")
    r = http.request("POST", "/cabinet/login", data={"identifier": "111111111111", "password": "Other-pass-77",
                                                     "csrf_token": token})
    assert r.status_code == 303
    assert http.request("GET", "/cabinet").status_code == 200
    for url in ("/cabinet/cases/CASE-W", f"/cabinet/documents/{number}.pdf",
                "/cabinet/documents/..%2F..%2Fpki%2Fconfig.json.pdf", "/cabinet/cases/..%2F..%2Fetc%2Fpasswd"):
        r = http.request("GET", url)
        assert r.status_code == 404, url
        assert b"%PDF" not in r.content
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/lang/ru?next=/cabinet/login")
    page.fill("input[name=identifier]", "111111111111")
    page.fill("input[name=password]", "Other-pass-77")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/cabinet")
    assert "CASE-W" not in page.locator("main").inner_text()
    response = page.goto(f"{server}/cabinet/cases/CASE-W")
    assert response.status == 404 and "Не найдено" in page.locator("h1").inner_text()
    shot(page, "09-cabinet-404")
    context.close()
    # Staff screens are not the cabinet's: an applicant's session is sent to the staff sign-in.
    assert http.request("GET", f"/staff/cases/{case_id(home)}").status_code == 303


def test_field_history_is_kept_with_who_and_when(home, issued):
    store = open_store(home=home)
    with store.session() as s:
        changes = s.scalars(select(FieldChange).order_by(FieldChange.id)).all()
    store.close()
    assert [c.actor for c in changes][:1] == ["rev1"]
    assert changes[0].old_value == WRONG_CODE and changes[0].new_value == GOOD_CODE
