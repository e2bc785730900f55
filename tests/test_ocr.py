"""OCR preparation on real rasters with real tesseract."""
import numpy as np
import pytest
from PIL import Image

from extractors import ocr
from tests.conftest import REPO

PAGE = REPO / "sample_docs" / "005_end_en_jpeg.jpg"


@pytest.fixture(scope="module")
def gray() -> np.ndarray:
    return np.asarray(Image.open(PAGE).convert("L"))


def test_a_photo_lit_from_one_side_reads_like_the_scan(gray):
    h, w = gray.shape
    yy, xx = np.mgrid[0:h, 0:w]
    shade = 0.3 + 0.7 * (xx / w) * (0.6 + 0.4 * yy / h)
    dark = np.clip(gray * shade, 0, 255).astype(np.uint8)
    plain = ocr.ocr_page(gray, "rus+kaz+eng")
    shaded = ocr.ocr_page(dark, "rus+kaz+eng")
    assert len(shaded.words) >= 0.9 * len(plain.words)
    assert ocr.even_out_lighting(gray) is gray  # an evenly lit scan is left as it is


@pytest.mark.parametrize("turns", [1, 2])
def test_turned_pages_are_read_upright_with_boxes_on_the_stored_page(gray, turns):
    turned = np.ascontiguousarray(np.rot90(gray, turns))  # counter-clockwise, as a careless scan
    page = ocr.ocr_page(turned, "rus+kaz+eng")
    assert page.rotation == (90 * turns) % 360
    assert page.quality > 0.8
    h, w = turned.shape
    for word in page.words:
        x0, y0, x1, y1 = word.box
        assert -2 <= x0 <= x1 <= w + 2 and -2 <= y0 <= y1 <= h + 2
    assert sum(word.text == "Ministry" for word in page.words) >= 2


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_sideways_pages_are_told_by_their_lines_before_any_ocr(gray, turns):
    turned = np.ascontiguousarray(np.rot90(gray, turns))
    assert ocr.looks_sideways(ocr.page_ink(turned)) == (turns % 2 == 1)


@pytest.mark.parametrize("turns", [0, 2])
def test_a_letter_turned_upside_down_has_its_ink_at_the_bottom(gray, turns):
    turned = np.ascontiguousarray(np.rot90(gray, turns))
    assert ocr.looks_upside_down(ocr.page_ink(turned)) == (turns == 2)


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_the_loaded_orientation_detector_answers_as_the_cli_does(gray, turns, tmp_path):
    import pytesseract

    from extractors import tessapi

    turned = np.ascontiguousarray(np.rot90(gray, turns))
    Image.fromarray(turned).save(tmp_path / "turned.png")
    cli = pytesseract.image_to_osd(str(tmp_path / "turned.png"), config="--psm 0 -c min_characters_to_try=20",
                                   output_type=pytesseract.Output.DICT)
    rotate, conf = tessapi.osd_engine().orientation(turned)
    assert rotate == cli["rotate"] == (90 * turns) % 360
    assert conf == pytest.approx(cli["orientation_conf"], abs=0.01)
    assert ocr.detect_orientation(turned)[0] == rotate  # on its reduced copy


def test_skew_is_measured_in_degrees(gray):
    h, w = gray.shape
    import cv2

    r = cv2.getRotationMatrix2D((w / 2, h / 2), 1.5, 1.0)
    skewed = cv2.warpAffine(gray, r, (w, h), borderValue=255)
    assert abs(abs(ocr.estimate_skew(ocr.page_ink(skewed))) - 1.5) < 0.3


def test_the_loaded_engine_reads_what_the_tesseract_cli_reads(gray, tmp_path):
    """extractors.tessapi keeps Debian's libtesseract loaded: same engine, same words as a CLI run."""
    import subprocess

    from extractors import tessapi

    img = ocr.remove_rules(gray)
    Image.fromarray(img).save(tmp_path / "page.pgm")
    tsv = subprocess.run(["tesseract", str(tmp_path / "page.pgm"), "-", "-l", "rus+kaz+eng", "--psm", "3", "--oem", "1",
                          "-c", "tessedit_do_invert=0", "tsv"], capture_output=True, text=True, check=True).stdout
    cli = [(w.text, w.box) for w in tessapi.parse_tsv(tsv) if w.conf >= 0 and w.text.strip()]
    api = [(w.text, w.box) for w in tessapi.engine("rus+kaz+eng", {"tessedit_do_invert": "0"}).words(img, 3)
           if w.conf >= 0 and w.text.strip()]
    assert len(api) > 50 and api == cli


def test_an_unknown_language_is_a_clear_error():
    from extractors import tessapi

    with pytest.raises(tessapi.TesseractUnavailable, match="xyz"):
        tessapi.engine("xyz")
