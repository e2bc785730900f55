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


def test_previews_show_each_page_with_its_marks(tmp_path):
    from PIL import Image

    src = REPO / "sample_docs" / "003_contract_end_en_mixed_pdf.pdf"
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "extract", str(src), "--out", str(tmp_path), "--previews"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "[1/1]" in proc.stderr
    pngs = sorted(tmp_path.glob("*.png"))
    assert [p.name for p in pngs] == ["003_contract_end_en_mixed_pdf.page-001.png", "003_contract_end_en_mixed_pdf.page-002.png"]
    with Image.open(pngs[0]) as im:
        assert im.width > 500 and im.height > im.width
        # The seal found on page 1 is outlined in violet.
        assert (128, 0, 200) in {c for _, c in im.convert("RGB").getcolors(1 << 20)}
