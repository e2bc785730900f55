"""Issuing: number in the store, render, sign, verify, deliver into the cabinet, exactly once."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from conftest import sample_permit
from flows.deliver import DeliveryError, deliver, reserve_number
from models.store import Case, Decision, Event, Outgoing, open_store
from signing.render import render_permit
from signing.signer import PadesSigner
from signing.trust import validation_context
from signing.verify import verify_pdf

APPLICANT = "123456789012"


@pytest.fixture()
def store(tmp_path):
    s = open_store(home=tmp_path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def signer(signing_config):
    return PadesSigner(dataclasses.replace(signing_config, tsa_url="local"))


def _decision(store, reference: str) -> tuple[int, int]:
    with store.session() as s:
        case = Case(reference=reference)
        s.add(case)
        s.flush()
        decision = Decision(case_id=case.id, case_revision=1, kind="permit", decided_by="reviewer1")
        s.add(decision)
        s.flush()
        return case.id, decision.id


def _issue(store, home, signer, signing_config, case_id, decision_id):
    row = reserve_number(store, case_id=case_id, decision_id=decision_id, kind="permit",
                         issued_on=dt.date(2026, 11, 25), valid_until=dt.date(2027, 11, 25))
    return deliver(store, home, row, APPLICANT, lambda number: render_permit(sample_permit(number=number)),
                   signer, validation_context(signing_config))


def test_delivered_permit_is_signed_verified_and_in_the_cabinet(tmp_path, store, signer, signing_config):
    case_id, decision_id = _decision(store, "CASE-1")
    issued = _issue(store, tmp_path, signer, signing_config, case_id, decision_id)
    assert issued.path == tmp_path / "cabinets" / APPLICANT / "KZ-RP-2026-00001.pdf"
    assert verify_pdf(issued.path.read_bytes(), validation_context(signing_config)).ok
    assert not list(issued.path.parent.glob("*.part"))  # no temp files left behind
    with store.session() as s:
        row = s.scalar(select(Outgoing))
        assert row.state == "delivered" and row.pdf_sha256 == issued.sha256
        kinds = s.scalars(select(Event.kind).where(Event.case_id == case_id)).all()
    assert kinds == ["permit.numbered", "permit.delivered"]


def test_retrying_a_delivery_makes_no_second_number_or_file(tmp_path, store, signer, signing_config):
    case_id, decision_id = _decision(store, "CASE-2")
    first = _issue(store, tmp_path, signer, signing_config, case_id, decision_id)
    again = _issue(store, tmp_path, signer, signing_config, case_id, decision_id)
    assert again.number == first.number and again.already_delivered
    assert len(list((tmp_path / "cabinets" / APPLICANT).iterdir())) == 1
    with store.session() as s:
        assert s.scalar(select(func.count(Outgoing.id))) == 1


def test_a_crash_between_numbering_and_delivery_reuses_the_number(tmp_path, store, signer, signing_config):
    case_id, decision_id = _decision(store, "CASE-3")
    reserved = reserve_number(store, case_id=case_id, decision_id=decision_id, kind="permit",
                              issued_on=dt.date(2026, 11, 25))
    # ... the process dies here; the retry starts over:
    issued = _issue(store, tmp_path, signer, signing_config, case_id, decision_id)
    assert issued.number == reserved.number and not issued.already_delivered


def test_numbers_follow_each_other_and_restart_each_year(store):
    numbers = []
    for i, year in enumerate((2026, 2026, 2027)):
        case_id, decision_id = _decision(store, f"CASE-Y{i}")
        numbers.append(reserve_number(store, case_id=case_id, decision_id=decision_id, kind="permit",
                                      issued_on=dt.date(year, 12, 1)).number)
    assert numbers == ["KZ-RP-2026-00001", "KZ-RP-2026-00002", "KZ-RP-2027-00001"]


def test_a_document_that_fails_verification_is_not_delivered(tmp_path, store, signing_config):
    class BrokenSigner:
        """Stands for a signer that returns damaged bytes (e.g. an external GOST service gone wrong)."""
        signer_name, certificate_serial = "x", "0"

        def sign(self, pdf, stamp=None):
            return pdf  # unsigned

    case_id, decision_id = _decision(store, "CASE-4")
    row = reserve_number(store, case_id=case_id, decision_id=decision_id, kind="permit", issued_on=dt.date(2026, 11, 25))
    with pytest.raises(DeliveryError, match="failed verification"):
        deliver(store, tmp_path, row, APPLICANT, lambda n: render_permit(sample_permit(number=n)), BrokenSigner(),
                validation_context(signing_config))
    assert not (tmp_path / "cabinets").exists()


def test_cabinet_names_are_identifiers_never_paths(tmp_path, store, signer, signing_config):
    case_id, decision_id = _decision(store, "CASE-5")
    row = reserve_number(store, case_id=case_id, decision_id=decision_id, kind="permit", issued_on=dt.date(2026, 11, 25))
    with pytest.raises(DeliveryError, match="12-digit"):
        deliver(store, tmp_path, row, "../../etc", lambda n: b"", signer, validation_context(signing_config))
