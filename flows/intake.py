"""The intake ledger: every file dropped into the inbox ends up archived with a ledger row, or
quarantined with its reason, exactly once; nothing is deleted, nothing skipped in silence.

The inbox is `<home>/inbox/`; a sub-folder names the case (`inbox/<case-ref>/scan.pdf`), a
file at the top level opens a new case. Names from outside are shown to people and stored, never
used to build a path: archived files are named by their SHA-256, quarantined ones by time and
hash with a sanitised name.

Crash safety: the ledger row is committed before the file is moved; a file found in the inbox
whose hash is in the ledger but missing from the archive is the same drop, finished on restart.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from extractors.errors import Rejected
from extractors.inputs import EXTENSIONS, open_input, sha256_of
from extractors.settings import ExtractSettings
from flows.files import write_atomic
from models.store import Case, Drop, Event, IntakeFile, Store

IN_PROGRESS_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")


@dataclass(frozen=True)
class Layout:
    home: Path

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    def make(self) -> "Layout":
        for d in (self.inbox, self.archive, self.quarantine):
            d.mkdir(parents=True, exist_ok=True)
        return self


@dataclass(frozen=True)
class Taken:
    """What intake did with one file."""

    display_name: str
    outcome: str  # archived | duplicate | quarantined
    sha256: str | None
    file_id: int | None = None
    case_reference: str | None = None
    reason: str | None = None


def display_name(path: Path, inbox: Path) -> str:
    """The name as dropped, for people: relative to the inbox, control characters made visible."""
    rel = str(path.relative_to(inbox))
    return "".join(c if unicodedata.category(c)[0] != "C" else repr(c)[1:-1] for c in rel)[:300]


def safe_name(name: str) -> str:
    """A file name made from an outside name: letters, digits, '-', '_', '.', no leading dot."""
    cleaned = "".join(c if (c.isalnum() or c in "-_.") else "_" for c in Path(name).name).lstrip(".")
    return cleaned[-120:] or "file"


def case_reference(path: Path, inbox: Path) -> str | None:
    """The case named by the file's first sub-folder, or None for a file at the top level."""
    parts = path.relative_to(inbox).parts
    if len(parts) < 2:
        return None
    ref = re.sub(r"\s+", " ", "".join(c for c in parts[0] if unicodedata.category(c)[0] != "C")).strip()
    return ref[:64] or None


def in_progress(path: Path) -> bool:
    """A copy still being made under a temporary name: left in the inbox until it is renamed."""
    return path.name.startswith((".", "~$")) or path.name.lower().endswith(IN_PROGRESS_SUFFIXES)


@dataclass
class StabilityTracker:
    """A file is taken when its size and mtime have not changed for `settle_s` seconds."""

    settle_s: float = 2.0
    _seen: dict[Path, tuple[int, int, float]] = field(default_factory=dict)

    def stable(self, inbox: Path, now: float) -> list[Path]:
        ready, present = [], set()
        for path in sorted(p for p in inbox.rglob("*") if p.is_file() and not p.is_symlink()):
            if in_progress(path):
                continue
            present.add(path)
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            key = (st.st_size, st.st_mtime_ns)
            old = self._seen.get(path)
            if old is None or old[:2] != key:
                self._seen[path] = (*key, now)
            elif now - old[2] >= self.settle_s:
                ready.append(path)
        for gone in set(self._seen) - present:
            del self._seen[gone]
        return ready

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def settling(self) -> set[Path]:
        """The files in the inbox seen but not yet taken."""
        return set(self._seen)


def _archive_name(sha: str, path: Path, kind: str) -> str:
    ext = path.suffix.lower() if path.suffix.lower() in EXTENSIONS else f".{kind}"
    return f"{sha}{ext}"


def quarantine(layout: Layout, path: Path, name: str, code: str, message: str, sha: str | None,
               detail: dict | None = None) -> Path:
    """Move the file into quarantine/ beside a <name>.reason.json saying why."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = layout.quarantine / f"{stamp}-{(sha or 'nohash')[:12]}-{safe_name(name)}"
    reason = {"file": name, "sha256": sha, "error": code, "message": message,
              "quarantined_at": dt.datetime.now(dt.timezone.utc).isoformat(), **(detail or {})}
    write_atomic(target.with_name(target.name + ".reason.json"),
                 json.dumps(reason, ensure_ascii=False, indent=2).encode())
    os.replace(path, target)
    return target


def _case_for(session, ref: str | None, sha: str) -> Case:
    if ref:
        case = session.scalar(select(Case).where(Case.reference == ref))
        if case is None:
            case = Case(reference=ref)
            session.add(case)
            session.flush()
            session.add(Event(kind="case.opened", case_id=case.id, detail={"by": "inbox folder"}))
        return case
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d")
    case = Case(reference=f"RX-{stamp}-{sha[:8]}")
    session.add(case)
    session.flush()
    session.add(Event(kind="case.opened", case_id=case.id, detail={"by": "top-level file"}))
    return case


def take(store: Store, layout: Layout, path: Path, settings: ExtractSettings) -> Taken:
    """Take one stable file out of the inbox: archive it with a ledger row, record a duplicate,
    or quarantine it with the reason."""
    name = display_name(path, layout.inbox)
    ref = case_reference(path, layout.inbox)
    try:
        sha = sha256_of(path) if path.stat().st_size else None
    except OSError as e:
        return Taken(name, "quarantined", None, reason=f"unreadable: {e.strerror}")
    try:
        inp = open_input(path, settings)
    except Rejected as e:
        with store.session() as s:
            s.add(Event(kind="intake.quarantined", detail={"file": name, "sha256": sha, "error": e.code}))
        quarantine(layout, path, name, e.code, e.message, sha)
        return Taken(name, "quarantined", sha, case_reference=ref, reason=e.code)

    with store.session() as s:
        known = s.scalar(select(IntakeFile).where(IntakeFile.sha256 == sha))
        if known is not None and (layout.archive / known.archive_name).exists():
            s.add(Drop(file_id=known.id, display_name=name, case_ref=ref, duplicate=True))
            s.add(Event(kind="intake.duplicate", file_id=known.id, case_id=known.case_id,
                        detail={"file": name, "first_received_as": known.display_name}))
            first = (known.display_name, known.received_at.isoformat(), known.id)
        elif known is not None:  # recorded, then the process died before the move: finish it
            first = None
            file_id, archive_name, case_ref = known.id, known.archive_name, known.case.reference if known.case else None
        else:
            first = None
            case = _case_for(s, ref, sha)
            row = IntakeFile(sha256=sha, case_id=case.id, display_name=name, size=path.stat().st_size,
                             archive_name=_archive_name(sha, path, inp.kind), page_count=inp.page_count)
            s.add(row)
            s.flush()
            s.add(Drop(file_id=row.id, display_name=name, case_ref=ref))
            s.add(Event(kind="intake.received", file_id=row.id, case_id=case.id,
                        detail={"file": name, "pages": inp.page_count, "kind": inp.kind}))
            file_id, archive_name, case_ref = row.id, row.archive_name, case.reference
    if first is not None:
        quarantine(layout, path, name, "duplicate",
                   f"The same file (identical bytes) was already received as '{first[0]}' at {first[1]}; "
                   "it is not processed again.", sha, {"duplicate_of_file_id": first[2]})
        return Taken(name, "duplicate", sha, file_id=first[2], case_reference=ref, reason="duplicate")
    target = layout.archive / archive_name
    os.replace(path, target)
    os.chmod(target, 0o444)
    return Taken(name, "archived", sha, file_id=file_id, case_reference=case_ref)


