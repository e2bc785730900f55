"""From a decision to a signed document in the applicant's cabinet: build the permit (Appendix 4)
or the motivated refusal (Appendix 3) from the reviewed fields, then number, render, sign, verify
and deliver (flows.deliver). Idempotent per decision: a retry finds the numbered document."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select

from flows.deliver import DeliveryError, Issued, deliver, reserve_number
from flows.procedure import today_astana
from models.case import Applicant as ApplicantModel
from models.case import GoodsItem, Party
from models.outgoing import Permit, Refusal, RefusalGround, permit_validity
from models.store import Applicant, Case, Decision, Document, Event, Field, Store
from signing.errors import SigningError
from signing.render import AUTHORITY, render_permit, render_refusal
from signing.signer import PadesSigner
from signing.trust import validation_context


class FinalizeError(ValueError):
    """The decision cannot be turned into a document yet; the message names what is missing."""


def _fields_by_doc(session, case_id: int) -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = {}
    for f in session.scalars(select(Field).where(Field.case_id == case_id)):
        out.setdefault(f.document_id, {})[f.path] = f.value
    return out


def _goods(values: dict[str, object]) -> list[GoodsItem]:
    lines = sorted({int(p.split(".")[1]) for p in values if p.startswith("goods.")})
    items = []
    for i in lines:
        line = {attr: values.get(f"goods.{i}.{attr}") for attr in
                ("name", "tnved_code", "control_list_code", "unit_code", "quantity", "value")}
        missing = [k for k, v in line.items() if v in (None, "") and k != "control_list_code"]
        if missing:
            raise FinalizeError(f"строка товара {i + 1}: нет {', '.join(missing)} / "
                                f"тауар жолы {i + 1}: {', '.join(missing)} жоқ")
        items.append(GoodsItem(**{k: v for k, v in line.items() if v not in (None, "")}))
    return items


def build_permit(session, case: Case, decision: Decision, number: str, issued_on: dt.date,
                 head_name: str) -> Permit:
    applicant = _applicant(session, case)
    docs = session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id)).all()
    values = _fields_by_doc(session, case.id)
    contract = next((values.get(d.id, {}) for d in docs if d.doc_type == "contract"), None)
    if contract is None:
        raise FinalizeError("нет контракта / шарт жоқ (no contract in the case)")
    guarantee = next((values.get(d.id, {}) for d in docs if d.doc_type == "end_use_guarantee"), {})
    agreed = [r["body"] for r in (case.procedure or {}).get("requests", [])
              if r["kind"] == "agency" and r.get("answer") == "positive"]
    need = {"sender_country": contract.get("sender_country"), "recipient_country": contract.get("recipient_country"),
            "contract_number": contract.get("contract_number"), "contract_date": contract.get("contract_date"),
            "currency": contract.get("currency"),
            "end_user_name": contract.get("end_user_name") or guarantee.get("end_user_name")}
    missing = [k for k, v in need.items() if not v]
    if missing:
        raise FinalizeError("не заполнено / толтырылмаған: " + ", ".join(missing))
    valid_until = permit_validity(issued_on, [d.valid_until for d in docs])
    if valid_until < issued_on:
        raise FinalizeError(f"документ истёк {valid_until.isoformat()}: разрешение не может быть выдано / "
                            f"құжаттың мерзімі {valid_until.isoformat()} өтті: рұқсат берілмейді")
    try:
        return Permit(
            number=number, applicant=applicant, sender_country=need["sender_country"],
            recipient_country=need["recipient_country"],
            end_user=Party(name=need["end_user_name"], address=contract.get("end_user_address")),
            contract_number=need["contract_number"], contract_date=need["contract_date"], goods=_goods(contract),
            currency=need["currency"], agreed_with=agreed, authority_name=AUTHORITY["ru"], head_name=head_name,
            issued_on=issued_on.isoformat(),
            valid_until=valid_until.isoformat(),
            special_conditions=decision.details,
        )
    except ValidationError as e:
        raise FinalizeError("; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())) from None


def build_refusal(session, case: Case, decision: Decision, number: str, issued_on: dt.date, head_name: str) -> Refusal:
    return Refusal(number=number, issued_on=issued_on.isoformat(), addressee=_applicant(session, case),
                   application_number=case.reference, application_date=case.submitted_at.date().isoformat(),
                   grounds=[RefusalGround(g) for g in decision.grounds], details=decision.details,
                   signer_position="Төраға / Председатель", signer_name=head_name)


def _applicant(session, case: Case) -> ApplicantModel:
    row = session.get(Applicant, case.applicant_id) if case.applicant_id else None
    if row is None:
        raise FinalizeError("заявитель не зарегистрирован / өтініш беруші тіркелмеген (register the applicant first)")
    return ApplicantModel(full_name=row.name, bin=row.identifier)


def finalize_decision(store: Store, home: Path, decision_id: int, signer: PadesSigner, actor: str = "system",
                      issued_on: dt.date | None = None) -> Issued:
    """Render, sign, verify and deliver the document of a decision (exactly once)."""
    issued_on = issued_on or today_astana()
    # Built once with a placeholder number so that what is missing fails before a number is spent;
    # then the number is reserved (a unique row per decision) and the document built with it.
    with store.session() as s:
        decision = s.get(Decision, decision_id)
        case = s.get(Case, decision.case_id)
        identifier = _applicant(s, case).identifier
        kind, case_id = decision.kind, case.id
        build = build_permit if kind == "permit" else build_refusal
        document = build(s, case, decision, "KZ-CHECK", issued_on, signer.signer_name)
    valid_until = dt.date.fromisoformat(document.valid_until) if kind == "permit" else None
    row = reserve_number(store, case_id=case_id, decision_id=decision_id, kind=kind, issued_on=issued_on,
                         valid_until=valid_until)

    def render(number: str) -> bytes:
        with store.session() as s:
            decision = s.get(Decision, decision_id)
            case = s.get(Case, case_id)
            rendered = build(s, case, decision, number, issued_on, signer.signer_name)
            return render_permit(rendered) if kind == "permit" else render_refusal(rendered)

    issued = deliver(store, home, row, identifier, render, signer, validation_context(signer.config))
    with store.session() as s:
        case = s.get(Case, case_id)
        case.status = "issued" if kind == "permit" else "refused"
        if not issued.already_delivered:
            s.add(Event(kind="case.finalized", case_id=case_id, actor=actor, detail={"number": issued.number}))
    return issued


class DirectFinalizer:
    """Finalizes in the calling process (the web app without a Prefect service, and the tests).
    The signer is loaded on first use and kept: loading the key is the slow part of signing."""

    def __init__(self, store: Store, home: Path):
        self.store, self.home = store, home
        self._signer: PadesSigner | None = None

    def __call__(self, decision_id: int, actor: str) -> str:
        from signing.config import load_config

        if self._signer is None:
            self._signer = PadesSigner(load_config(self.home))
        try:
            return finalize_decision(self.store, self.home, decision_id, self._signer, actor).number
        except (FinalizeError, DeliveryError, SigningError) as e:
            raise ValueError(str(e)) from None
