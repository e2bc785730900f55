"""The generator's truth comes from its own inputs: check it against what the page really says."""
import json
import random

import cv2
import numpy as np
import pdfplumber
import pytest

from bench.accuracy import seal_in_doubt
from models.extraction import ExtractionResult
from models.reference import reference
from samplegen.__main__ import planned
from samplegen.generate import DocPlan, FilePlan, build_file
from samplegen.scan import SEAL_FAINT_BELOW, SEAL_LOST_BELOW, SHOWS_BY, ScanSettings, ink_on_scan, scan_page
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


@pytest.mark.parametrize("colour, level, shows", [("bitonal", 40, False), ("bitonal", 150, True),
                                                   ("grayscale", 10, False), ("grayscale", 70, True)])
def test_ink_on_scan_says_what_the_scan_shows(colour, level, shows):
    # A ring `level` grey levels dark on white paper, scanned: the share of the box that the
    # generator says shows as ink is the share the scanned pixels show.
    dark = np.zeros((300, 300), np.uint8)
    cv2.circle(dark, (150, 150), 120, level, 12)
    page = np.full((600, 600, 3), 255, np.uint8)
    page[150:450, 150:450] -= dark[..., None]
    s = ScanSettings(colour=colour, noise=4, jpeg_quality=90)
    img, _, look = scan_page(page, s, random.Random(1))
    g = np.asarray(img.convert("L"), dtype=np.float32)[150:450, 150:450]
    paper = np.median(np.asarray(img.convert("L"), dtype=np.float32)[20:120, 150:450], axis=0)  # per column
    seen = (g < 128) if colour == "bitonal" else (paper - g >= SHOWS_BY)
    predicted = ink_on_scan(dark, s, look)
    ring = float((dark > 0).mean())
    assert abs(float(seen.mean()) - predicted) < 0.01, (float(seen.mean()), predicted)
    assert (predicted > 0.8 * ring) if shows else (predicted < 0.01)


def _bench_page_truth(seed: int, number: int, page: int) -> tuple[dict, dict]:
    plan, file_rng = planned(seed, 150, "bench")[number - 1]
    truth = build_file(file_rng, plan)[2]
    return truth["pages"][page - 1], truth["generator"]


def test_a_stamp_the_scan_lost_is_no_seal_in_the_truth():
    # Seed 511 of the benchmark, file 78: nothing of the stamp is left on its bitonal scan.
    page, gen = _bench_page_truth(511, 78, 1)
    assert page["seal"]["present"] is False and page["seal"].get("bbox") is None
    assert gen["seal_ink_on_scan"]["1"] < SEAL_LOST_BELOW and len(gen["seals_lost_in_scan"]["1"]) == 4


def test_a_stamp_left_as_traces_is_a_seal_in_doubt():
    # Seed 551, file 53: a few specks in the stamp's shape; file 84: a worn but plain oval.
    page, gen = _bench_page_truth(551, 53, 1)
    assert page["seal"]["present"] is True and page["seal"]["score"] == 0.5 and seal_in_doubt(page)
    assert SEAL_LOST_BELOW <= gen["seal_ink_on_scan"]["1"] < SEAL_FAINT_BELOW and not gen["seals_lost_in_scan"]
    page, gen = _bench_page_truth(551, 84, 1)
    assert page["seal"]["present"] is True and page["seal"]["score"] == 1.0 and not seal_in_doubt(page)
    assert SEAL_FAINT_BELOW <= gen["seal_ink_on_scan"]["1"] < 0.03
