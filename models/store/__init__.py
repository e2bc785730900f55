"""The case store: SQLAlchemy 2 tables, migrations (Alembic), sessions.

SQLite under the data directory by default, PostgreSQL by URL (REEXPORT_DB_URL).
"""
from models.store.db import Store, open_store
from models.store.schema import (
    Applicant,
    Base,
    Case,
    Decision,
    Document,
    Drop,
    Event,
    Field,
    FieldChange,
    IntakeFile,
    Outgoing,
    Page,
    StaffUser,
)

__all__ = [
    "Applicant", "Base", "Case", "Decision", "Document", "Drop", "Event", "Field", "FieldChange",
    "IntakeFile", "Outgoing", "Page", "StaffUser", "Store", "open_store",
]
