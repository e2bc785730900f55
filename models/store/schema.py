"""Tables of the case store.

Rows are never deleted: the archive, the ledger, permits and events are the record
of a state service (RULES.md, "Monitoring"). Corrections are new rows (field changes)
or new revisions, not overwrites.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no zone: it comes back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to the store; use UTC")
            value = value.astimezone(dt.timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Applicant(Base):
    """An applicant's personal cabinet: created at intake for a BIN/IIN."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(12), unique=True)  # BIN or IIN
    name: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str | None] = mapped_column(Text)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    cases: Mapped[list[Case]] = relationship(back_populates="applicant")


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # clerk | reviewer | head
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(24), default="state_corporation")
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    status: Mapped[str] = mapped_column(String(32), default="received")
    bound_copy: Mapped[bool] = mapped_column(Boolean, default=False)
    applicant_has_seal: Mapped[bool] = mapped_column(Boolean, default=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The procedure's state that the clocks read: pauses, answers, the computed due dates.
    procedure: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Optimistic locking: every save of the case's fields bumps it; a stale save is refused.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    applicant: Mapped[Applicant | None] = relationship(back_populates="cases")
    files: Mapped[list[IntakeFile]] = relationship(back_populates="case")
    documents: Mapped[list[Document]] = relationship(back_populates="case")
    fields: Mapped[list[Field]] = relationship(back_populates="case")
    decisions: Mapped[list[Decision]] = relationship(back_populates="case")
    outgoing: Mapped[list[Outgoing]] = relationship(back_populates="case")


class IntakeFile(Base):
    """The intake ledger: one row per distinct content (SHA-256), whatever its names."""

    __tablename__ = "intake_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    display_name: Mapped[str] = mapped_column(Text)  # as dropped; shown, never used as a path
    size: Mapped[int] = mapped_column(BigInteger)
    archive_name: Mapped[str] = mapped_column(String(80))  # <sha256>.<ext>, under archive/
    state: Mapped[str] = mapped_column(String(16), default="received")  # received|processing|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    page_count: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    case: Mapped[Case | None] = relationship(back_populates="files")
    drops: Mapped[list[Drop]] = relationship(back_populates="file")
    pages: Mapped[list[Page]] = relationship(back_populates="file", order_by="Page.number")


class Drop(Base):
    """Every time bytes arrived in the inbox, including duplicates of known content."""

    __tablename__ = "drops"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("intake_files.id"))
    display_name: Mapped[str] = mapped_column(Text)
    case_ref: Mapped[str | None] = mapped_column(String(64))
    duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    dropped_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    file: Mapped[IntakeFile] = relationship(back_populates="drops")


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("file_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("intake_files.id"))
    number: Mapped[int] = mapped_column(Integer)
    width_pt: Mapped[float] = mapped_column(Float)
    height_pt: Mapped[float] = mapped_column(Float)
    text_source: Mapped[str | None] = mapped_column(String(16))
    has_signature: Mapped[bool] = mapped_column(Boolean, default=False)
    has_seal: Mapped[bool] = mapped_column(Boolean, default=False)
    marks: Mapped[list[Any]] = mapped_column(default=list)

    file: Mapped[IntakeFile] = relationship(back_populates="pages")


class Document(Base):
    """One document found in an intake file (a file may hold a contract and a guarantee)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    file_id: Mapped[int] = mapped_column(ForeignKey("intake_files.id"))
    index_in_file: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    pages: Mapped[list[Any]] = mapped_column(default=list)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="documents")


class Field(Base):
    """A field's current value: extracted, then corrected by reviewers (see FieldChange)."""

    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("case_id", "document_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    path: Mapped[str] = mapped_column(String(128))  # "contract_number", "goods.0.tnved_code"
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[Any] | None] = mapped_column(nullable=True)
    issues: Mapped[list[Any]] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(String(16), default="extracted")  # extracted | reviewer

    case: Mapped[Case] = relationship(back_populates="fields")
    changes: Mapped[list[FieldChange]] = relationship(back_populates="field", order_by="FieldChange.id")


class FieldChange(Base):
    __tablename__ = "field_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"))
    actor: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    field: Mapped[Field] = relationship(back_populates="changes")


class Decision(Base):
    """The officer's decision on one revision of a case; at most one per revision."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("case_id", "case_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    case_revision: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # permit | refusal
    grounds: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="decisions")


class Outgoing(Base):
    """A rendered, signed and delivered outgoing document (permit, refusal, receipt).

    The number is unique in the store, and a decision yields at most one document of a
    kind: a retried delivery finds the row instead of minting a second number.
    """

    __tablename__ = "outgoing"
    __table_args__ = (
        UniqueConstraint("kind", "year", "serial"),
        UniqueConstraint("decision_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    kind: Mapped[str] = mapped_column(String(16))  # permit | refusal | receipt
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(16), default="numbered")  # numbered|signed|delivered
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    case: Mapped[Case] = relationship(back_populates="outgoing")


class Event(Base):
    """The monitoring log: every stage writes one."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(48), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("intake_files.id"))
    actor: Mapped[str] = mapped_column(String(64), default="system")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
