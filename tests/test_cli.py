import subprocess
import sys
from pathlib import Path

from flows.cli import _expand, _safe_stem
from tests.conftest import REPO


def test_output_names_from_outside_are_made_safe():
    assert _safe_stem(Path("../../etc/passwd.pdf")) == "passwd"
    assert _safe_stem(Path(".hidden.pdf")) == "hidden"
    assert _safe_stem(Path("контракт №5 (копия).pdf")) == "контракт__5__копия_"
    assert "/" not in _safe_stem(Path("a/b\\c.pdf"))


def test_directories_expand_to_supported_files_only(tmp_path):
    for name in ("b.pdf", "a.TIF", "c.txt", "d.jpeg"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in _expand([tmp_path])] == ["a.TIF", "b.pdf", "d.jpeg"]


def test_extract_without_a_destination_is_refused_with_a_hint():
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "extract", str(REPO / "sample_docs")],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 2
    assert "--out" in proc.stderr


def test_every_command_has_help_with_an_example():
    for cmd in ("extract", "schema"):
        proc = subprocess.run([sys.executable, "-m", "flows.cli", cmd, "--help"], capture_output=True, text=True, cwd=REPO, timeout=60)
        assert proc.returncode == 0 and "Example" in proc.stdout, cmd
