"""Shared fixtures: a small generated set (real renders, real scans) reused by the OCR tests."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from extractors.readpage import init_worker
from samplegen.generate import DocPlan, FilePlan, build_file

# Tests read pages in this process, as a pool worker does (extractors.pagepool): with the
# worker's settings, one thread each for tesseract and OpenCV. With OpenMP's threads on two
# cores a page took 17 s to read here instead of 3.
init_worker()

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# One file per input kind and language; small so that the suite stays fast.
PLANS = [
    FilePlan("img_contract_ru", "image_pdf", [DocPlan("contract", "ru", "form")], colour="grayscale", dpi=300, degrade="normal"),
    FilePlan("tiff_guarantee_kk", "tiff", [DocPlan("end_use_guarantee", "kk", "letter")], colour="bitonal", dpi=300, degrade="clean"),
    FilePlan("jpeg_guarantee_en", "jpeg", [DocPlan("end_use_guarantee", "en", "letter")], colour="colour", dpi=200, degrade="normal"),
    FilePlan("png_guarantee_ru", "png", [DocPlan("end_use_guarantee", "ru", "letter")], colour="bitonal", dpi=300, degrade="clean"),
    FilePlan("born_contract_en", "born_pdf", [DocPlan("contract", "en", "classic")]),
    FilePlan("mixed_contract_guarantee_kk", "mixed_pdf", [DocPlan("contract", "kk", "prose"), DocPlan("end_use_guarantee", "ru", "letter")],
             colour="grayscale", dpi=300, degrade="clean"),
]


def write_plan(out: Path, plan: FilePlan, seed: int) -> Path:
    data, ext, truth = build_file(random.Random(seed), plan)
    path = out / f"{plan.name}{ext}"
    path.write_bytes(data)
    truth["source"] = path.name
    (out / f"{plan.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("generated")
    return {p.name: write_plan(out, p, 1000 + i) for i, p in enumerate(PLANS)}


@pytest.fixture(scope="session")
def extracted(generated, tmp_path_factory) -> dict[str, dict]:
    """Every generated file through the real pipeline once (real tesseract), results by name."""
    from extractors.pipeline import extract_files

    results = {}
    for o in extract_files(list(generated.values())):
        assert o.error is None, f"{o.path.name}: {o.error}"
        results[o.path.stem] = o.result.to_dict()
    return results


def truth_of(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pki_home(tmp_path_factory) -> Path:
    """A data directory with a freshly generated development PKI (as `reexport dev-pki` makes it)."""
    from signing.pki import create_dev_pki

    home = tmp_path_factory.mktemp("home")
    create_dev_pki(home / "pki")
    return home


@pytest.fixture(scope="session")
def signing_config(pki_home):
    from signing.config import load_config

    return load_config(pki_home, env={})


def sample_permit(number: str = "KZ-RP-2026-00001", **changes):
    from models.case import Applicant, GoodsItem, Party
    from models.outgoing import Permit

    fields = dict(
        number=number,
        applicant=Applicant(full_name="ТОО «Қазақ Электроника»", bin="123456789012",
                            legal_address="Алматы қ., Әл-Фараби даңғылы 17", phone="+7 727 000 00 00"),
        sender_country="KZ", recipient_country="TR",
        end_user=Party(name="Aselsan A.Ş.", address="Ankara, Türkiye"),
        contract_number="TR-2025/0321", contract_date="2025-03-14",
        goods=[GoodsItem(name="Жылу көргіш камера / Тепловизионная камера", tnved_code="8525893000",
                         control_list_code="6A003.b.4", unit_code="796", quantity="12", value="1250000.00"),
               GoodsItem(name="Объектив ұзын фокусты", tnved_code="9002110000", unit_code="796",
                         quantity="4", value="86000.50")],
        currency="USD", agreed_with=["ҰҚК / КНБ", "ҚМ / МО"], authority_name="Комитет индустриального развития",
        head_name="Әбдірахманов Қ. С.", issued_on="2026-11-25", valid_until="2027-11-25",
    )
    fields.update(changes)
    return Permit(**fields)
