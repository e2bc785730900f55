"""The case store: migrations, constraints that keep the record whole."""
from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models.store import Base, Case, Event, IntakeFile, Outgoing, open_store


@pytest.fixture()
def store(tmp_path):
    s = open_store(home=tmp_path)
    yield s
    s.close()


def test_migrations_build_exactly_the_models(store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_store_lives_in_the_data_directory_and_reopens(tmp_path):
    first = open_store(home=tmp_path)
    with first.session() as s:
        s.add(Case(reference="CASE-1"))
    first.close()
    assert (tmp_path / "reexport.db").exists()
    again = open_store(home=tmp_path)  # migrating an up-to-date store is a no-op
    with again.session() as s:
        assert s.scalar(select(Case.reference)) == "CASE-1"
    again.close()


def test_times_come_back_in_utc(store):
    moment = dt.datetime(2026, 3, 20, 17, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with store.session() as s:
        s.add(Case(reference="CASE-T", submitted_at=moment))
    with store.session() as s:
        got = s.scalar(select(Case.submitted_at))
    assert got == moment and got.tzinfo == dt.timezone.utc


def test_naive_times_are_refused(store):
    with pytest.raises(Exception, match="naive datetime"):
        with store.session() as s:
            s.add(Case(reference="CASE-N", submitted_at=dt.datetime(2026, 1, 1)))


def test_same_content_cannot_enter_the_ledger_twice(store):
    row = dict(sha256="a" * 64, display_name="scan.pdf", size=10, archive_name="a" * 64 + ".pdf")
    with store.session() as s:
        s.add(IntakeFile(**row))
    with pytest.raises(IntegrityError):
        with store.session() as s:
            s.add(IntakeFile(**{**row, "display_name": "copy of scan.pdf"}))


def test_permit_numbers_are_unique_in_the_store(store):
    with store.session() as s:
        case = Case(reference="CASE-P")
        s.add(case)
        s.flush()
        s.add(Outgoing(case_id=case.id, kind="permit", year=2026, serial=1, number="KZ-RP-2026-00001",
                       issued_on=dt.date(2026, 11, 25)))
    with pytest.raises(IntegrityError):
        with store.session() as s:
            s.add(Outgoing(case_id=case.id, kind="permit", year=2026, serial=1, number="KZ-RP-2026-00001",
                           issued_on=dt.date(2026, 11, 26)))


def test_foreign_keys_are_enforced_on_sqlite(store):
    with pytest.raises(IntegrityError):
        with store.session() as s:
            s.add(Event(kind="orphan", case_id=999))


def test_a_run_claims_only_files_no_run_holds_and_never_one_twice(store):
    from flows.process import any_to_claim, claim_received

    with store.session() as s:
        for i, (state, run) in enumerate([("received", None), ("received", None), ("received", "run-x"),
                                          ("processing", None), ("done", None), ("received", None)]):
            s.add(IntakeFile(sha256=f"{i:064x}", display_name=f"f{i}.pdf", size=1, archive_name=f"{i:064x}.pdf",
                             state=state, flow_run_id=run))
    assert any_to_claim(store)
    first = claim_received(store, "run-a", limit=2)
    second = claim_received(store, "run-b", limit=10)
    assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)
    with store.session() as s:
        holders = {r.display_name: r.flow_run_id for r in s.scalars(select(IntakeFile))}
        claimed = s.scalars(select(Event.file_id).where(Event.kind == "file.claimed")).all()
    assert holders == {"f0.pdf": "run-a", "f1.pdf": "run-a", "f2.pdf": "run-x", "f3.pdf": None, "f4.pdf": None,
                       "f5.pdf": "run-b"}
    assert sorted(claimed) == sorted(first + second)
    assert not any_to_claim(store)
    assert claim_received(store, "run-c", limit=10) == []


def test_a_failed_file_put_back_is_claimed_by_a_run_under_way(store):
    """`reexport retry` of a file a finished run held: a run already under way (one kept waiting
    by an idle service) takes it, rather than it waiting for that run to end."""
    from flows.process import any_to_claim, claim_received, retry_failed

    with store.session() as s:
        s.add(IntakeFile(sha256="f" * 64, display_name="bad.pdf", size=1, archive_name="f" * 64 + ".pdf",
                         state="failed", flow_run_id="run-old", attempts=3, error="unreadable_page"))
    assert not any_to_claim(store)
    [file_id] = retry_failed(store)
    assert any_to_claim(store)
    assert claim_received(store, "run-waiting", limit=5) == [file_id]
    with store.session() as s:
        assert s.get(IntakeFile, file_id).flow_run_id == "run-waiting"
