"""Issuing an outgoing document: number it in the store, render, sign, verify, deliver to the
applicant's cabinet. Idempotent: a retry finds the numbered row and never mints a second number
or a second document for the same decision."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pyhanko_certvalidator import ValidationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from flows.files import write_atomic
from models.store import Event, Outgoing, Store
from signing.signer import DocumentSigner
from signing.verify import verify_pdf

PREFIX = {"permit": "KZ-RP", "refusal": "KZ-RF", "receipt": "KZ-SC"}
_IDENTIFIER = re.compile(r"^\d{12}$")


class DeliveryError(Exception):
    pass


@dataclass(frozen=True)
class Issued:
    number: str
    path: Path
    sha256: str
    already_delivered: bool


def number_for(kind: str, year: int, serial: int) -> str:
    return f"{PREFIX[kind]}-{year}-{serial:05d}"


def reserve_number(store: Store, *, case_id: int, decision_id: int | None, kind: str, issued_on: dt.date,
                   valid_until: dt.date | None = None, attempts: int = 5) -> Outgoing:
    """The outgoing row of this decision and kind, numbered; created with the next free serial
    of the year when there is none. Two processes racing for a serial: the unique constraint
    refuses one, which tries the next."""
    for _ in range(attempts):
        with store.session() as s:
            found = s.scalar(select(Outgoing).where(Outgoing.decision_id == decision_id, Outgoing.kind == kind)) \
                if decision_id is not None else None
            if found is not None:
                return found
            year = issued_on.year
            serial = (s.scalar(select(func.max(Outgoing.serial)).where(Outgoing.kind == kind, Outgoing.year == year))
                      or 0) + 1
            row = Outgoing(case_id=case_id, decision_id=decision_id, kind=kind, year=year, serial=serial,
                           number=number_for(kind, year, serial), issued_on=issued_on, valid_until=valid_until)
            try:
                s.add(row)
                s.flush()
                s.add(Event(kind=f"{kind}.numbered", case_id=case_id, detail={"number": row.number}))
            except IntegrityError:
                s.rollback()
                continue
            return row
    raise DeliveryError(f"could not reserve a {kind} number after {attempts} attempts")


def deliver(store: Store, home: Path, row: Outgoing, applicant_identifier: str,
            render: Callable[[str], bytes], signer: DocumentSigner, context: ValidationContext) -> Issued:
    """Render with the reserved number, sign, verify, and place into cabinets/<applicant>/."""
    if not _IDENTIFIER.match(applicant_identifier):
        raise DeliveryError("the applicant's identifier must be a 12-digit BIN or IIN")
    cabinet = home / "cabinets" / applicant_identifier / f"{row.number}.pdf"
    if row.state == "delivered" and cabinet.exists():
        return Issued(row.number, cabinet, row.pdf_sha256 or "", already_delivered=True)
    signed = signer.sign(render(row.number))
    report = verify_pdf(signed, context)
    if not report.ok:
        problems = "; ".join(f"{s.field}: intact={s.intact} trusted={s.trusted} modified={s.modified_after_signing}"
                             for s in report.signatures) or report.error
        raise DeliveryError(f"{row.number} failed verification after signing, not delivered: {problems}")
    sha = hashlib.sha256(signed).hexdigest()
    write_atomic(home / "outgoing" / f"{row.number}.pdf", signed, mode=0o444)
    write_atomic(cabinet, signed, mode=0o444)
    with store.session() as s:
        live = s.get(Outgoing, row.id)
        live.pdf_sha256 = sha
        live.file_name = cabinet.name
        live.state = "delivered"
        live.delivered_at = dt.datetime.now(dt.timezone.utc)
        s.add(Event(kind=f"{row.kind}.delivered", case_id=row.case_id,
                    detail={"number": row.number, "sha256": sha, "cabinet": applicant_identifier,
                            "pades_level": report.signatures[0].pades_level}))
    return Issued(row.number, cabinet, sha, already_delivered=False)
