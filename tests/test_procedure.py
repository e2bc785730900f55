"""The procedure after intake: requests and answers move the clocks; decisions are guarded;
a reviewer's typed values are normalised or refused as the models would."""
from __future__ import annotations

import datetime as dt

import pytest

from flows.procedure import (
    DecisionRequest,
    ProcedureError,
    record_answer,
    record_decision,
    record_risk_assessment,
    send_request,
)
from models.store import Case, Event, open_store
from web.fields import InvalidValue, missing_paths, new_field_key, normalise_edit

ARRIVED = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.timezone.utc)  # Monday 10:00 in Astana


@pytest.fixture()
def store(tmp_path):
    s = open_store(home=tmp_path)
    with s.session() as session:
        session.add(Case(reference="P-1", submitted_at=ARRIVED, status="awaiting_review",
                         checks={"missing_documents": ["application"]}))
    yield s
    s.close()


def case(store) -> Case:
    with store.session() as s:
        c = s.get(Case, 1)
        s.expunge(c)
        return c


def test_the_mfa_check_pauses_the_result_clock_until_its_answer(store):
    send_request(store, 1, kind="agency", body="ҰҚК / КНБ", actor="rev", today=dt.date(2026, 3, 3))
    before = case(store).procedure["clocks"]["result_due"]
    send_request(store, 1, kind="mfa", body="СІМ / МИД", actor="rev", today=dt.date(2026, 3, 4))
    assert case(store).procedure["clocks"]["paused"] is True
    # The MFA answers a week later: the five working days it took do not count.
    record_answer(store, 1, 2, positive=True, text="подлинная", actor="rev", today=dt.date(2026, 3, 11))
    clocks = case(store).procedure["clocks"]
    assert clocks["paused"] is False
    assert dt.date.fromisoformat(clocks["result_due"]) > dt.date.fromisoformat(before)
    assert case(store).status == "requests_sent"


def test_risk_assessment_is_due_five_working_days_after_the_last_answer(store):
    send_request(store, 1, kind="agency", body="ҚМ / МО", actor="rev", today=dt.date(2026, 3, 3))
    with pytest.raises(ProcedureError):
        record_risk_assessment(store, 1, positive=True, note="", actor="rev")  # the answer is still awaited
    record_answer(store, 1, 1, positive=True, text="", actor="rev", today=dt.date(2026, 3, 5))  # Thursday
    # Fri 6, (Mon 9: 8 March fell on a Sunday, day off moved), Tue 10, Wed 11, Thu 12, Fri 13
    assert case(store).procedure["clocks"]["risk_assessment_due"] == "2026-03-13"
    record_risk_assessment(store, 1, positive=True, note="низкий риск", actor="rev")
    assert case(store).status == "risk_assessed"


def test_a_permit_needs_an_override_while_a_document_is_missing(store):
    with pytest.raises(ProcedureError, match="application"):
        record_decision(store, 1, DecisionRequest("permit", [], "", "", 1), "rev")
    decision = record_decision(store, 1, DecisionRequest("permit", [], "", "представлено на бумаге", 1), "rev")
    assert decision and case(store).status == "decided"
    with store.session() as s:
        assert s.query(Event).filter(Event.kind == "case.decided").count() == 1


def test_a_refusal_needs_grounds_from_the_sixteen(store):
    with pytest.raises(ProcedureError, match="основания"):
        record_decision(store, 1, DecisionRequest("refusal", [], "", "", 1), "rev")
    with pytest.raises(ValueError):
        record_decision(store, 1, DecisionRequest("refusal", [17], "", "", 1), "rev")
    record_decision(store, 1, DecisionRequest("refusal", [8, 4, 8], "риск", "", 1), "rev")


def test_a_decision_on_a_revision_that_moved_on_is_refused(store):
    with pytest.raises(ProcedureError, match="другим сотрудником"):
        record_decision(store, 1, DecisionRequest("refusal", [4], "", "", 0), "rev")


@pytest.mark.parametrize("path,typed,stored", [
    ("goods.0.tnved_code", "8525 89 300 0", "8525893000"),
    ("goods.0.quantity", "1 250", "1250"),
    ("total_value", "1,250,000.00", "1250000.00"),
    ("contract_date", "14.03.2025", "2025-03-14"),
    ("currency", "eur", "EUR"),
    ("recipient_country", "tr", "TR"),
    ("goods.1.control_list_code", "6A003.b.4.", "6A003.b.4"),
    ("no_reexport_commitment", "иә", True),
])
def test_typed_values_are_stored_as_the_contract_writes_them(path, typed, stored):
    assert normalise_edit(path, typed) == stored


@pytest.mark.parametrize("path,typed", [
    ("goods.0.tnved_code", "1234567890"), ("goods.0.tnved_code", "85258"), ("currency", "XYZ"),
    ("goods.0.quantity", "twelve"), ("contract_date", "soon"), ("goods.0.unit_code", "999"),
    ("seller_name", "   "), ("goods.0.control_list_code", "9Z999"),
])
def test_invalid_values_are_refused_with_a_reason(path, typed):
    with pytest.raises(InvalidValue):
        normalise_edit(path, typed)


def test_fields_not_found_are_offered_for_filling_in():
    missing = missing_paths("contract", {"contract_number", "goods.0.name", "goods.0.tnved_code"})
    assert "contract_date" in missing and "goods.0.unit_code" in missing and "contract_number" not in missing
    assert new_field_key("new-3-goods.0.unit_code") == (3, "goods.0.unit_code")
    assert new_field_key("new-3-../../etc") is None and new_field_key("new-3-password_hash") is None
