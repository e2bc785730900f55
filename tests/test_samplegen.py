"""The generator's truth comes from its own inputs: check it against what the page really says."""
import json

import pdfplumber

from models.extraction import ExtractionResult
from models.reference import reference
from samplegen.generate import DocPlan, FilePlan
from tests.conftest import write_plan


def _inside(box, word):
    x0, top, x1, bottom = box
    return word["x0"] >= x0 - 2 and word["x1"] <= x1 + 2 and word["top"] >= top - 2 and word["bottom"] <= bottom + 2


def test_born_digital_truth_boxes_hold_their_values(tmp_path):
    path = write_plan(tmp_path, FilePlan("c", "born_pdf", [DocPlan("contract", "ru", "form")]), seed=3)
    truth = json.loads((tmp_path / "c.truth.json").read_text(encoding="utf-8"))
    doc = truth["documents"][0]
    with pdfplumber.open(path) as pdf:
        words = pdf.pages[0].extract_words()
        for key in ("contract_number", "seller_name", "end_user_name"):
            f = doc["fields"][key]
            inside = " ".join(w["text"] for w in words if _inside(f["bbox"], w))
            assert inside.replace(" ", "") == f["value"].replace(" ", ""), key


def test_generated_files_are_valid_and_codes_exist(tmp_path):
    path = write_plan(tmp_path, FilePlan("m", "mixed_pdf", [DocPlan("contract", "kk", "classic"), DocPlan("end_use_guarantee", "en", "letter")]), seed=4)
    truth = json.loads((tmp_path / "m.truth.json").read_text(encoding="utf-8"))
    gen = truth.pop("generator")
    result = ExtractionResult.model_validate(truth)
    assert [d.doc_type for d in result.documents] == ["contract", "end_use_guarantee"]
    assert gen["format"] == "mixed_pdf" and path.suffix == ".pdf"
    for d in result.documents:
        for g in d.goods:
            assert reference().is_tnved(g.tnved_code.value)
            assert reference().is_control_code(g.control_list_code.value)
    assert len(result.pages) == result.page_count


def test_same_seed_same_file(tmp_path):
    plan = FilePlan("s", "tiff", [DocPlan("end_use_guarantee", "ru", "letter")], colour="bitonal")
    a = write_plan(tmp_path / "a" if (tmp_path / "a").mkdir() is None else None, plan, seed=9).read_bytes()
    b = write_plan(tmp_path / "b" if (tmp_path / "b").mkdir() is None else None, plan, seed=9).read_bytes()
    assert a == b
