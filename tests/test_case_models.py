import datetime as dt

import pytest
from pydantic import ValidationError

from models.case import Applicant, Application, Case, Channel, GoodsItem, Party, RequiredDocument, SubmittedDocument, PageRef
from models.outgoing import Permit, RefusalGround, permit_validity

APPLICANT = Applicant(full_name="ТОО «Альфа Технолоджис»", bin="180340012345")
GOODS = GoodsItem(name="Тепловизионная камера", tnved_code="8525893000", control_list_code="6A003.b.4",
                  unit_code="796", quantity="12", value="250000.00")


def test_applicant_needs_a_twelve_digit_identifier():
    with pytest.raises(ValidationError):
        Applicant(full_name="X", bin="12345")
    with pytest.raises(ValidationError):
        Applicant(full_name="X")  # neither BIN nor IIN
    assert APPLICANT.identifier == "180340012345"


def test_application_fields_are_normalised_values():
    app = Application(applicant=APPLICANT, sender_country="DE", recipient_country="AE", end_user=Party(name="Research Institute"),
                      contract_number="12/25-EXP", contract_date="2025-03-12", goods=[GOODS], currency="USD")
    assert app.goods[0].tnved_code == "8525893000"
    with pytest.raises(ValidationError):
        Application(applicant=APPLICANT, sender_country="Germany", recipient_country="AE", end_user=Party(name="R"),
                    contract_number="1", contract_date="2025-03-12", goods=[GOODS], currency="USD")
    with pytest.raises(ValidationError):
        Application(applicant=APPLICANT, sender_country="DE", recipient_country="AE", end_user=Party(name="R"),
                    contract_number="1", contract_date="2025-03-12", goods=[], currency="USD")


def test_case_knows_which_of_the_four_documents_are_missing():
    doc = SubmittedDocument(kind=RequiredDocument.contract, source_sha256="a" * 64, pages=[PageRef(page=1, has_signature=True, has_seal=True)])
    case = Case(reference="R-1", channel=Channel.portal, applicant=APPLICANT, documents=[doc])
    assert case.missing_documents() == [RequiredDocument.application, RequiredDocument.info_form, RequiredDocument.end_use_guarantee]


def test_permit_validity_is_a_year_capped_by_documents():
    assert permit_validity(dt.date(2025, 3, 1), [None]) == dt.date(2026, 3, 1)
    assert permit_validity(dt.date(2024, 2, 29), []) == dt.date(2025, 2, 28)
    assert permit_validity(dt.date(2025, 3, 1), [dt.date(2025, 12, 31), dt.date(2026, 1, 5)]) == dt.date(2025, 12, 31)


def test_permit_requires_goods_and_a_sane_validity_and_refusal_grounds_are_numbered_as_in_the_rules():
    base = dict(number="1", applicant=APPLICANT, sender_country="DE", recipient_country="AE", end_user=Party(name="R"),
                contract_number="1", contract_date="2025-01-01", goods=[GOODS], currency="USD", authority_name="Committee",
                head_name="A. B.", issued_on="2025-03-01", valid_until="2026-03-01")
    assert Permit(**base).valid_until == "2026-03-01"
    with pytest.raises(ValidationError):
        Permit(**{**base, "goods": []})
    with pytest.raises(ValidationError):
        Permit(**{**base, "valid_until": "2025-01-01"})
    assert [g.value for g in RefusalGround] == list(range(1, 17))
