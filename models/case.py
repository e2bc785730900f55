"""The case: the application (Appendix 1), the information form (Appendix 2),
the submitted documents and their pages (RULES.md, "The documents an applicant submits")."""
from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.values import (
    ControlListCode,
    CountryCode,
    CurrencyCode,
    DecimalString,
    IsoDate,
    Text,
    TnvedCode,
    UnitCode,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Channel(str, enum.Enum):
    state_corporation = "state_corporation"  # paper, front office
    portal = "portal"  # e-government portal, result in the personal cabinet


class RequiredDocument(str, enum.Enum):
    """The four documents of a complete set."""

    application = "application"
    info_form = "info_form"
    end_use_guarantee = "end_use_guarantee"
    contract = "contract"


class Applicant(_Model):
    """Appendix 1, field 2."""

    full_name: Text
    is_individual: bool = False
    bin: str | None = Field(default=None, pattern=r"^\d{12}$")  # legal entity or branch
    iin: str | None = Field(default=None, pattern=r"^\d{12}$")  # individual
    location: Text | None = None
    legal_address: Text | None = None
    actual_address: Text | None = None
    phone: Text | None = None

    @model_validator(mode="after")
    def _has_identifier(self):
        if self.is_individual and not self.iin:
            raise ValueError("an individual applicant needs an IIN")
        if not self.is_individual and not self.bin:
            raise ValueError("a legal entity applicant needs a BIN")
        return self

    @property
    def identifier(self) -> str:
        return self.iin if self.is_individual else self.bin  # type: ignore[return-value]


class Party(_Model):
    name: Text
    address: Text | None = None
    phone: Text | None = None


class GoodsItem(_Model):
    """Appendix 1 fields 7-11 and 13 (and Appendix 4 fields 7-11, 13) for one line."""

    name: Text
    tnved_code: TnvedCode
    control_list_code: ControlListCode | None = None
    unit_code: UnitCode
    additional_unit_code: UnitCode | None = None
    quantity: DecimalString
    value: DecimalString


class Application(_Model):
    """Appendix 1 to the service standard, fields 1-16."""

    to_provider: Text = "Committee of Industrial Development of the Ministry of Industry and Construction"  # 1
    applicant: Applicant  # 2
    sender_country: CountryCode  # 3
    recipient_country: CountryCode  # 4
    end_user: Party  # 5
    contract_number: Text  # 6
    contract_date: IsoDate  # 6
    goods: list[GoodsItem] = Field(min_length=1)  # 7-11, 13
    currency: CurrencyCode  # 12
    head_name: Text | None = None  # 14
    has_seal: bool = True  # 14: paper channel only
    filled_on: IsoDate | None = None  # 14
    authority_name: Text | None = None  # 15
    accepted_on: IsoDate | None = None  # 15
    special_conditions: Text | None = None  # 16


class InfoForm(_Model):
    """Appendix 2 to the service standard."""

    registration_number: Text | None = None
    registration_date: IsoDate | None = None
    identity_document_number: Text | None = None
    identity_document_date: IsoDate | None = None
    identity_document_issuer: Text | None = None
    sole_trader_certificate_number: Text | None = None
    sole_trader_certificate_date: IsoDate | None = None
    earlier_licence_number: Text | None = None
    earlier_licence_date: IsoDate | None = None


class PageRef(_Model):
    page: int = Field(ge=1)
    has_signature: bool
    has_seal: bool


class SubmittedDocument(_Model):
    kind: RequiredDocument | None  # None: another document (e.g. registration certificate)
    source_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pages: list[PageRef] = Field(min_length=1)
    valid_until: IsoDate | None = None


class Case(_Model):
    reference: Text
    channel: Channel
    applicant: Applicant
    bound_copy: bool = False  # paper copies bound: only the last page of each must be certified
    documents: list[SubmittedDocument] = Field(default_factory=list)
    application: Application | None = None
    info_form: InfoForm | None = None

    def missing_documents(self) -> list[RequiredDocument]:
        have = {d.kind for d in self.documents}
        return [r for r in RequiredDocument if r not in have]
