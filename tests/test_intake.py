"""The intake ledger under abuse: slow writers, duplicates, bad files, hostile names, crashes.
Every file ends up archived with a ledger row, or quarantined with its reason."""
from __future__ import annotations

import io
import json

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from extractors.settings import ExtractSettings
from flows.intake import Layout, StabilityTracker, take
from flows.watcher import IntakeLoop
from models.store import Case, Drop, Event, IntakeFile, open_store

SETTINGS = ExtractSettings(workers=1)


@pytest.fixture()
def env(tmp_path):
    store = open_store(home=tmp_path)
    yield store, Layout(tmp_path).make()
    store.close()


def png_bytes(seed: int) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (400, 300), seed % 256).save(buf, format="PNG")
    return buf.getvalue()


def drop(layout: Layout, name: str, data: bytes, case: str | None = None):
    folder = layout.inbox / case if case else layout.inbox
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def reasons(layout: Layout) -> dict[str, str]:
    return {json.loads(p.read_text())["file"]: json.loads(p.read_text())["error"]
            for p in layout.quarantine.glob("*.reason.json")}


def test_a_file_being_written_is_not_taken_until_it_settles(env):
    _, layout = env
    tracker = StabilityTracker(settle_s=2.0)
    path = drop(layout, "slow.png", png_bytes(1)[:100])
    assert tracker.stable(layout.inbox, now=0.0) == []
    with open(path, "ab") as f:
        f.write(png_bytes(1)[100:])
    assert tracker.stable(layout.inbox, now=1.5) == []  # changed since last look: the clock restarts
    assert tracker.stable(layout.inbox, now=3.0) == []
    assert tracker.stable(layout.inbox, now=3.6) == [path]


def test_temporary_copy_names_wait_in_the_inbox(env):
    _, layout = env
    drop(layout, "scan.pdf.part", b"%PDF-1.7 partial")
    drop(layout, ".~lock.scan.pdf", b"x")
    tracker = StabilityTracker(settle_s=0)
    tracker.stable(layout.inbox, now=0)
    assert tracker.stable(layout.inbox, now=1) == []


def test_same_bytes_twice_and_under_two_names_is_processed_once(env):
    store, layout = env
    data = png_bytes(7)
    first = take(store, layout, drop(layout, "scan.png", data), SETTINGS)
    again = take(store, layout, drop(layout, "scan.png", data), SETTINGS)
    renamed = take(store, layout, drop(layout, "copy of scan.png", data, case="CASE-1"), SETTINGS)
    assert first.outcome == "archived"
    assert again.outcome == renamed.outcome == "duplicate"
    assert len(list(layout.archive.iterdir())) == 1
    assert reasons(layout) == {"scan.png": "duplicate", "CASE-1/copy of scan.png": "duplicate"}
    with store.session() as s:
        assert s.scalar(select(func.count(IntakeFile.id))) == 1
        assert s.scalar(select(func.count(Drop.id)).where(Drop.duplicate)) == 2


def test_fifty_files_at_once_all_accounted_for(env):
    store, layout = env
    for i in range(50):
        drop(layout, f"page-{i:02d}.png", png_bytes(i), case="BATCH" if i % 2 else None)
    tracker = StabilityTracker(settle_s=0)
    tracker.stable(layout.inbox, now=0)
    outcomes = [take(store, layout, p, SETTINGS).outcome for p in tracker.stable(layout.inbox, now=1)]
    assert outcomes == ["archived"] * 50
    assert not any(p.is_file() for p in layout.inbox.rglob("*"))
    with store.session() as s:
        assert s.scalar(select(func.count(IntakeFile.id))) == len(list(layout.archive.iterdir())) == 50
        batch = s.scalar(select(Case).where(Case.reference == "BATCH"))
        assert len(batch.files) == 25
        assert s.scalar(select(func.count(Case.id))) == 26  # one per top-level file, one for the folder


def test_bad_files_are_quarantined_with_their_reason(env, generated):
    store, layout = env
    good = generated["img_contract_ru"]
    drop(layout, "zero.pdf", b"")
    data = good.read_bytes()
    drop(layout, "truncated.pdf", data[: len(data) * 2 // 3])
    drop(layout, "png-named.pdf", png_bytes(3))
    encrypted = io.BytesIO()
    with pikepdf.open(good) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    drop(layout, "encrypted.pdf", encrypted.getvalue())
    for path in sorted(layout.inbox.iterdir()):
        assert take(store, layout, path, SETTINGS).outcome == "quarantined"
    assert reasons(layout) == {"zero.pdf": "empty", "truncated.pdf": "corrupt", "png-named.pdf": "mismatched_type",
                               "encrypted.pdf": "encrypted"}
    assert not list(layout.archive.iterdir()) and not list(layout.inbox.iterdir())
    quarantined = [p for p in layout.quarantine.iterdir() if not p.name.endswith(".reason.json")]
    assert len(quarantined) == 4 and all(p.stat().st_size >= 0 for p in quarantined)


def test_hostile_names_never_become_paths(env):
    store, layout = env
    traversal = take(store, layout, drop(layout, "..\\..\\etc\\passwd.pdf", png_bytes(5)), SETTINGS)
    newline = take(store, layout, drop(layout, "scan\nx.png", png_bytes(6)), SETTINGS)
    assert traversal.outcome == "quarantined"  # a PNG named .pdf
    assert newline.outcome == "archived" and newline.display_name == "scan\\nx.png"
    assert {p.parent for p in layout.quarantine.iterdir()} == {layout.quarantine}
    assert all("\n" not in p.name and "\\" not in p.name for p in layout.quarantine.iterdir())
    assert [p.name for p in layout.archive.iterdir()] == [f"{newline.sha256}.png"]


def test_a_crash_between_ledger_and_archive_is_finished_on_restart(env):
    store, layout = env
    path = drop(layout, "scan.png", png_bytes(9))
    from extractors.inputs import sha256_of

    sha = sha256_of(path)
    with store.session() as s:  # what the ledger holds when the process died before the move
        case = Case(reference="CASE-X")
        s.add(case)
        s.flush()
        s.add(IntakeFile(sha256=sha, case_id=case.id, display_name="scan.png", size=path.stat().st_size,
                         archive_name=f"{sha}.png"))
    again = take(store, layout, path, SETTINGS)
    assert again.outcome == "archived" and (layout.archive / f"{sha}.png").exists()


def test_archived_files_are_read_only(env):
    store, layout = env
    t = take(store, layout, drop(layout, "scan.png", png_bytes(11)), SETTINGS)
    assert (layout.archive / f"{t.sha256}.png").stat().st_mode & 0o222 == 0


def test_inbox_to_checked_case_end_to_end(env, generated):
    """Real OCR: a born-digital contract dropped into a case folder comes out stored and checked."""
    store, layout = env
    drop(layout, "contract.pdf", generated["born_contract_en"].read_bytes(), case="CASE-E2E")
    IntakeLoop(store, layout, SETTINGS, settle_s=0.2).run_until_empty(timeout_s=120)
    with store.session() as s:
        file = s.scalar(select(IntakeFile))
        assert file.state == "done" and file.attempts == 1
        case = s.scalar(select(Case).where(Case.reference == "CASE-E2E"))
        assert case.status == "awaiting_review"
        assert "end_use_guarantee" in case.checks["missing_documents"]
        assert any(f.path == "contract_number" for f in case.fields)
        kinds = set(s.scalars(select(Event.kind)))
    assert {"intake.received", "file.processed", "case.checked"} <= kinds
    assert (layout.home / "results" / f"{file.sha256}.json").exists()


def test_work_left_processing_by_a_crash_is_done_on_restart(env, generated):
    store, layout = env
    drop(layout, "contract.pdf", generated["born_contract_en"].read_bytes())
    loop = IntakeLoop(store, layout, SETTINGS, settle_s=0)
    loop.tracker.stable(layout.inbox, now=0)
    for path in loop.tracker.stable(layout.inbox, now=1):
        take(store, layout, path, SETTINGS)
    with store.session() as s:  # the process died in the middle of OCR
        row = s.scalar(select(IntakeFile))
        row.state, row.attempts = "processing", 1
    IntakeLoop(store, layout, SETTINGS, settle_s=0).run_until_empty(timeout_s=120)
    with store.session() as s:
        row = s.scalar(select(IntakeFile))
        assert row.state == "done" and row.attempts == 2
        assert s.scalar(select(func.count(Event.id)).where(Event.kind == "file.processed")) == 1


def test_kill_9_mid_batch_then_restart_finishes_every_file_once(tmp_path, generated):
    import os
    import signal
    import subprocess
    import sys
    import time

    home = tmp_path / "home"
    layout = Layout(home).make()
    base = generated["born_contract_en"].read_bytes()
    for i in range(6):  # distinct bytes: a comment after %%EOF keeps the PDF valid
        drop(layout, f"contract-{i}.pdf", base + f"\n% copy {i}\n".encode(), case="CASE-K" if i % 2 else None)
    env = {**os.environ, "REEXPORT_HOME": str(home), "REEXPORT_WORKERS": "1"}
    cmd = [sys.executable, "-m", "flows.cli", "intake", "--settle", "0.3"]
    service = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    store = open_store(home=home)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until some, not all, files are done
            with store.session() as s:
                done = s.scalar(select(func.count(IntakeFile.id)).where(IntakeFile.state == "done"))
            if done >= 1:
                break
            time.sleep(0.2)
        assert done >= 1, "the service processed nothing"
    finally:
        os.killpg(service.pid, signal.SIGKILL)  # the service and its OCR workers, mid-batch
        service.wait()
    subprocess.run([*cmd[:-2], "--once", "--settle", "0.3"], env=env, check=True, capture_output=True, timeout=300)
    with store.session() as s:
        rows = s.scalars(select(IntakeFile)).all()
        processed = s.scalars(select(Event.file_id).where(Event.kind == "file.processed")).all()
    store.close()
    assert len(rows) == 6 and all(r.state == "done" for r in rows)
    assert sorted(processed) == sorted(r.id for r in rows)  # each file processed exactly once
    assert len(list(layout.archive.iterdir())) == 6
    assert not any(p.is_file() for p in layout.inbox.rglob("*")) and not list(layout.quarantine.iterdir())


def test_a_result_stored_twice_by_one_attempt_is_stored_once(env, generated):
    """Results are stored a few files a task run; a retried run (the store was busy) stores the
    files done before again: the same attempt finds its result there and says nothing more,
    while a result of an older attempt is still dropped as stale, visibly."""
    from extractors.pipeline import extract_files
    from flows.process import begin_processing, store_outcome

    store, layout = env
    drop(layout, "contract.pdf", generated["born_contract_en"].read_bytes())
    loop = IntakeLoop(store, layout, SETTINGS, settle_s=0)
    loop.tracker.stable(layout.inbox, now=0)
    (taken,) = [take(store, layout, path, SETTINGS) for path in loop.tracker.stable(layout.inbox, now=1)]
    with store.session() as s:
        file_id = s.scalar(select(IntakeFile.id))
    (path, attempt), = [b for b in begin_processing(store, layout, [file_id]).values()]
    (outcome,) = list(extract_files([path], SETTINGS))
    assert store_outcome(store, layout, file_id, attempt, outcome) == "done"
    assert store_outcome(store, layout, file_id, attempt, outcome) == "done"
    assert store_outcome(store, layout, file_id, attempt - 1, outcome) == "done"
    with store.session() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.file_id == file_id)))
    assert kinds.count("file.processed") == 1
    assert kinds.count("file.stale_result_dropped") == 1
