"""The extraction contract (../shared/spec/extraction-result.md) as pydantic models.

The one place this shape is defined: the extractor writes it, the store keeps
it, the review screen edits it, the benchmarks score it. Keys are only ever
added, never renamed. Absent fields are left out of the JSON (not null).
"""
from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.values import (
    ControlListCode,
    CountryCode,
    CurrencyCode,
    DecimalString,
    IsoDate,
    TnvedCode,
    Text,
    UnitCode,
)

SCHEMA_ID = "reexport.extraction/1"

DocType = Literal["contract", "end_use_guarantee", "application", "info_form", "other"]
Language = Literal["ru", "kk", "en"]
T = TypeVar("T")



BoxPt = tuple[float, float, float, float]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Found(_Strict, Generic[T]):
    """One extracted value with where it was read and how sure the reader is."""

    value: T
    confidence: float = Field(ge=0.0, le=1.0)
    page: int | None = Field(default=None, ge=1)
    bbox: BoxPt | None = None
    # Extensions to the contract: what the value was printed as, and why its
    # confidence was lowered (failed checks), for the review screen.
    raw: str | None = None
    issues: list[str] | None = None

    @field_validator("bbox")
    @classmethod
    def _ordered_box(cls, v: BoxPt | None) -> BoxPt | None:
        if v is not None:
            x0, top, x1, bottom = v
            if x1 < x0 or bottom < top:
                raise ValueError(f"bbox must be [x0, top, x1, bottom] with x0<=x1, top<=bottom: {v}")
            v = tuple(round(float(c), 2) for c in v)
        return v


class GoodsLine(_Strict):
    name: Found[Text] | None = None
    tnved_code: Found[TnvedCode] | None = None
    control_list_code: Found[ControlListCode] | None = None
    unit_code: Found[UnitCode] | None = None
    quantity: Found[DecimalString] | None = None
    value: Found[DecimalString] | None = None


class DocumentFields(_Strict):
    """All fields of every document type; each type fills its own subset."""

    # contract
    contract_number: Found[Text] | None = None
    contract_date: Found[IsoDate] | None = None
    contract_valid_until: Found[IsoDate] | None = None
    seller_name: Found[Text] | None = None
    buyer_name: Found[Text] | None = None
    sender_country: Found[CountryCode] | None = None
    recipient_country: Found[CountryCode] | None = None
    end_user_name: Found[Text] | None = None
    end_user_address: Found[Text] | None = None
    currency: Found[CurrencyCode] | None = None
    total_value: Found[DecimalString] | None = None
    # end-use guarantee
    guarantee_number: Found[Text] | None = None
    guarantee_date: Found[IsoDate] | None = None
    guarantee_valid_until: Found[IsoDate] | None = None
    issuing_authority: Found[Text] | None = None
    issuing_country: Found[CountryCode] | None = None
    declared_end_use: Found[Text] | None = None
    end_use_commitment: Found[bool] | None = None
    no_reexport_commitment: Found[bool] | None = None


CONTRACT_FIELDS = (
    "contract_number", "contract_date", "contract_valid_until", "seller_name", "buyer_name",
    "sender_country", "recipient_country", "end_user_name", "end_user_address", "currency",
    "total_value",
)
GUARANTEE_FIELDS = (
    "guarantee_number", "guarantee_date", "guarantee_valid_until", "issuing_authority",
    "issuing_country", "end_user_name", "contract_number", "contract_date", "declared_end_use",
    "end_use_commitment", "no_reexport_commitment",
)
FIELDS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "contract": CONTRACT_FIELDS,
    "end_use_guarantee": GUARANTEE_FIELDS,
}
GOODS_FIELDS = ("name", "tnved_code", "control_list_code", "unit_code", "quantity", "value")


class Document(_Strict):
    doc_type: DocType
    pages: list[int] = Field(min_length=1)
    language: Language
    fields: DocumentFields = Field(default_factory=DocumentFields)
    goods: list[GoodsLine] = Field(default_factory=list)
    # Extension: how sure the classifier is of doc_type.
    doc_type_confidence: float | None = Field(default=None, ge=0.0, le=1.0)


class Mark(_Strict):
    present: bool
    score: float = Field(ge=0.0, le=1.0)
    bbox: BoxPt | None = None


class PageResult(_Strict):
    page: int = Field(ge=1)
    seal: Mark
    signature: Mark
    # Extensions: how the page was read, for operators and benchmarks.
    text_source: Literal["text_layer", "ocr"] | None = None
    rotation: int | None = None  # degrees clockwise that were undone (0/90/180/270)
    skew_deg: float | None = None
    width_pt: float | None = None
    height_pt: float | None = None
    colour: Literal["colour", "grayscale", "bitonal"] | None = None


class ExtractionResult(_Strict):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, title="reexport extraction result")

    schema_: Literal["reexport.extraction/1"] = Field(default=SCHEMA_ID, alias="schema")
    source: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    page_count: int = Field(ge=0)
    documents: list[Document] = Field(default_factory=list)
    pages: list[PageResult] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True, indent=2)

    def to_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    @classmethod
    def json_schema(cls) -> dict:
        return cls.model_json_schema(by_alias=True)


class ExtractionError(_Strict):
    """Written as <stem>.error.json when a file is rejected."""

    schema_: Literal["reexport.extraction-error/1"] = Field(default="reexport.extraction-error/1", alias="schema")
    source: str
    sha256: str | None = None
    error: str  # a machine code: encrypted, corrupt, empty, unsupported, too_many_pages, too_many_pixels
    message: str  # for a clerk: what is wrong and what to do
