"""Writing an extraction result into the case store: pages with their marks, documents, and
every field (goods lines as `goods.<i>.<attr>`) with its confidence, page, box and issues.

Pure with respect to everything but the session it is given; a rerun replaces the extracted
rows of the file but never a reviewer's correction.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.store import Document, Field, IntakeFile, Page


def flatten_fields(document: dict) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, found) for every field of one document of the extraction contract."""
    for name, found in (document.get("fields") or {}).items():
        if isinstance(found, dict) and "value" in found:
            yield name, found
    for i, line in enumerate(document.get("goods") or []):
        for attr, found in line.items():
            if isinstance(found, dict) and "value" in found:
                yield f"goods.{i}.{attr}", found


def store_result(session: Session, file: IntakeFile, result: dict) -> None:
    session.execute(delete(Page).where(Page.file_id == file.id))
    for p in result["pages"]:
        session.add(Page(file_id=file.id, number=p["page"], width_pt=p.get("width_pt") or 0,
                         height_pt=p.get("height_pt") or 0, text_source=p.get("text_source"),
                         has_seal=bool(p["seal"]["present"]), has_signature=bool(p["signature"]["present"]),
                         marks=[{"kind": k, **p[k]} for k in ("seal", "signature")]))
    old_docs = session.scalars(select(Document).where(Document.file_id == file.id)).all()
    reviewed = {f.document_id for f in session.scalars(
        select(Field).where(Field.document_id.in_([d.id for d in old_docs]), Field.source == "reviewer"))}
    for d in old_docs:
        if d.id not in reviewed:
            session.execute(delete(Field).where(Field.document_id == d.id))
            session.delete(d)
    session.flush()
    kept = {d.index_in_file for d in old_docs if d.id in reviewed}
    for index, doc in enumerate(result["documents"]):
        if index in kept:
            continue
        row = Document(case_id=file.case_id, file_id=file.id, index_in_file=index, doc_type=doc["doc_type"],
                       language=doc.get("language"), pages=doc["pages"], valid_until=_valid_until(doc))
        session.add(row)
        session.flush()
        for path, found in flatten_fields(doc):
            session.add(Field(case_id=file.case_id, document_id=row.id, path=path, value=found.get("value"),
                              confidence=found.get("confidence"), page=found.get("page"), bbox=found.get("bbox"),
                              issues=found.get("issues") or []))


def _valid_until(doc: dict) -> dt.date | None:
    for key in ("contract_valid_until", "guarantee_valid_until"):
        value = ((doc.get("fields") or {}).get(key) or {}).get("value")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                continue
    return None
