"""Shared fixtures: a small generated set (real renders, real scans) reused by the OCR tests."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from samplegen.generate import DocPlan, FilePlan, build_file

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
