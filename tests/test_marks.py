"""Seal and signature detection on page rasters with marks drawn where we know they are."""
import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.marks import Blob, _between_sides, _seal_score, find_marks
from samplegen import marks as M

DPI = 100


def _page(rng: random.Random) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """An A4 page at 100 dpi with lines of black text; returns the text boxes too."""
    img = Image.new("RGB", (827, 1169), (250, 248, 244))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype("DejaVuSans.ttf", 12)
    boxes = []
    for i in range(30):
        y = 90 + i * 22
        text = " ".join(rng.choice(["Контракт", "поставки", "товаров", "Seller", "Buyer", "2025", "USD"]) for _ in range(9))
        d.text((80, y), text, fill=(20, 20, 20), font=font)
        boxes.append(d.textbbox((80, y), text, font=font))
    return img, boxes


def _paste(page: Image.Image, mark: Image.Image, x: int, y: int) -> tuple[int, int, int, int]:
    mark = mark.resize((mark.width * DPI // 300, mark.height * DPI // 300))
    page.paste(mark, (x, y), mark)
    a = np.asarray(mark.getchannel("A"))
    ys, xs = np.nonzero(a > 40)
    return x + xs.min(), y + ys.min(), x + xs.max(), y + ys.max()


def _overlap(a, b) -> bool:
    return a is not None and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_unsigned_page_with_a_letterhead_logo_and_qr_is_not_certified():
    rng = random.Random(6)
    page, boxes = _page(rng)
    _paste(page, M.logo(rng, "MD"), 60, 10)
    _paste(page, M.qr(rng, "doc:123"), 650, 1050)
    seal, sig = find_marks(np.asarray(page), DPI, boxes)
    assert not seal.present, seal
    assert not sig.present, sig


def test_blank_page_has_no_marks():
    seal, sig = find_marks(np.full((1169, 827, 3), 250, np.uint8), DPI, [])
    assert not seal.present and not sig.present


def _table(page: Image.Image, x: int, y: int) -> None:
    """A ruled table of 4 x 3 cells, slightly skewed as on a scan."""
    d = ImageDraw.Draw(page)
    for i in range(4):
        d.line([(x, y + i * 25), (x + 600, y + i * 25 + 4)], fill=(20, 20, 20), width=1)
    for j in (0, 40, 300, 450, 600):
        d.line([(x + j, y + j // 150), (x + j, y + 75 + j // 150)], fill=(20, 20, 20), width=1)


DISTRACTORS = {
    "logo": lambda rng, page: _paste(page, M.logo(rng, "GOV"), 60, 10),
    "qr": lambda rng, page: _paste(page, M.qr(rng, "doc:42"), 650, 1050),
    "barcode": lambda rng, page: _paste(page, M.barcode(rng), 60, 1100),
    "true copy box": lambda rng, page: _paste(page, M.true_copy_box(rng, "ru"), 80, 860),
    "table rulings": lambda rng, page: _table(page, 90, 780),
    "bold heading": lambda rng, page: ImageDraw.Draw(page).text(
        (200, 40), "ДОГОВОР ПОСТАВКИ", fill=(0, 0, 0), font=ImageFont.truetype("DejaVuSans-Bold.ttf", 30)),
    "handwriting-like font": lambda rng, page: ImageDraw.Draw(page).text(
        (120, 840), "Directeur général", fill=(30, 30, 90), font=ImageFont.truetype("DejaVuSerif-Italic.ttf", 26)),
}


@pytest.mark.parametrize("name", sorted(DISTRACTORS))
@pytest.mark.parametrize("mode", ["colour", "grayscale"])
def test_a_distractor_alone_is_no_seal(name, mode):
    rng = random.Random(7)
    page, boxes = _page(rng)
    DISTRACTORS[name](rng, page)
    arr = np.asarray(page if mode == "colour" else page.convert("L"))
    seal, _ = find_marks(arr, DPI, boxes)
    assert not seal.present, (name, seal)


def _in_mode(page: Image.Image, mode: str) -> np.ndarray:
    gray = np.asarray(page.convert("L"))
    return np.asarray(page) if mode == "colour" else gray if mode == "grayscale" else np.where(gray < 160, 0, 255).astype(np.uint8)


# Not yet: a line of print in a handwriting-like font that the reader missed (in the pipeline its
# words are read and masked first; here they are not): the detector cannot tell it from a
# signature by shape alone (a rule on letters of one height on one baseline lost a real signature
# on generated seed 421, so it was not kept).
NO_SIGNATURE_NOT_YET = {"handwriting-like font"}


@pytest.mark.parametrize("name", sorted(set(DISTRACTORS) - NO_SIGNATURE_NOT_YET))
@pytest.mark.parametrize("mode", ["colour", "grayscale", "bitonal"])
def test_a_distractor_alone_is_no_signature(name, mode):
    rng = random.Random(8)
    page, boxes = _page(rng)
    DISTRACTORS[name](rng, page)
    _, sig = find_marks(_in_mode(page, mode), DPI, boxes)
    assert not sig.present, (name, sig)


def test_a_barcode_is_no_signature():
    """Thin upright strokes at a signature's width and height scored exactly 0.6 as one (seen on
    generated seed 481): on 40 drawn barcodes in three kinds of scan, none is a signature."""
    taken = []
    for seed in range(40):
        rng = random.Random(seed)
        page, boxes = _page(rng)
        _paste(page, M.barcode(rng), 60, 1100)
        for mode in ("colour", "grayscale", "bitonal"):
            _, sig = find_marks(_in_mode(page, mode), DPI, boxes)
            if sig.present:
                taken.append((seed, mode, sig))
    assert not taken, taken


@pytest.mark.parametrize("shape", ["round", "oval", "rect"])
def test_each_stamp_shape_is_found_without_a_signature(shape):
    rng = random.Random(11)
    page, boxes = _page(rng)
    seal_box = _paste(page, M.seal(rng, "ТОО «БЕТА» * АСТАНА", "БСН 990140001234", shape=shape), 430, 820)
    seal, sig = find_marks(np.asarray(page.convert("L")), DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), (shape, seal)
    assert not sig.present, (shape, sig)


def test_a_seal_cut_off_at_the_page_edge_is_found():
    rng = random.Random(12)
    page, boxes = _page(rng)
    stamp = M.seal(rng, "ТОО «ГАММА» * ШЫМКЕНТ", "БСН 120340005678", shape="round")
    x = page.width - stamp.width * DPI // 300 // 3 * 2  # a third of it off the page
    _paste(page, stamp, x, 850)
    seal, _ = find_marks(np.asarray(page.convert("L")), DPI, boxes)
    assert seal.present and seal.bbox[0] >= x - 20, seal


# (seed, seal text, stamp shape, seal position, signature width at 300 dpi, signature position)
LAYOUTS = {
    "signature beside the seal": (5, "ТОО «АЛЬФА» * АЛМАТЫ * ҚАЗАҚСТАН", "round", (420, 800), None, (150, 830)),
    "signature written over the seal": (13, "ТОО «ДЕЛЬТА» * АЛМАТЫ", "round", (450, 820), 560, (430, 860)),
    "signature over an oval stamp": (21, "ТОО «КАСПИЙ» * АЛМАТЫ", "oval", (430, 820), 600, (380, 860)),
    "signature run into a rectangular stamp": (22, "ТОО «СТЕПЬ ОПТИКС» * АСТАНА", "rect", (450, 820), 520, (380, 850)),
    "signature inside a rectangular stamp": (23, "ТОО «ОМЕГА» * ТАРАЗ", "rect", (430, 820), 330, (480, 845)),
}


# Not yet (#4's open end, said in the note): this rectangular stamp, turned some 15 degrees,
# whose border a signature runs into, on grayscale or bitonal pages (the search for turned
# stamps finds others, below, but not this one: on grayscale a piece of it is boxed, on bitonal
# its best box scores 0.545), a signature inside such a stamp on a bitonal page, and this faint
# round stamp on a bitonal page (half its ring is lost to thresholding: it scores 0.56;
# counting the ring's sectors that have ink found it, but also rings inside turned
# rectangular stamps, so that was not kept).
NOT_YET = {("signature beside the seal", "bitonal"), ("signature run into a rectangular stamp", "grayscale"),
           ("signature run into a rectangular stamp", "bitonal"), ("signature inside a rectangular stamp", "bitonal")}


@pytest.mark.parametrize("layout, mode", [(layout, mode) for layout in sorted(LAYOUTS) for mode in
                                          ("colour", "grayscale", "bitonal") if (layout, mode) not in NOT_YET])
def test_seal_and_signature_are_found_where_drawn(layout, mode):
    seed, text, shape, seal_at, sig_px, sig_at = LAYOUTS[layout]
    rng = random.Random(seed)
    page, boxes = _page(rng)
    seal_box = _paste(page, M.seal(rng, text, "БСН 050540009876", shape=shape), *seal_at)
    sig_box = _paste(page, M.signature(rng, px=sig_px), *sig_at)
    gray = page.convert("L")
    arr = np.asarray(page) if mode == "colour" else np.asarray(gray) if mode == "grayscale" else \
        np.where(np.asarray(gray) < 160, 0, 255).astype(np.uint8)
    seal, sig = find_marks(arr, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), (layout, mode, seal)
    assert sig.present and _overlap(sig.bbox, sig_box), (layout, mode, sig)


@pytest.mark.parametrize("mode", ["grayscale", "bitonal"])
def test_an_unread_bold_table_header_is_no_signature(mode):
    rng = random.Random(27)
    page, boxes = _page(rng)
    d = ImageDraw.Draw(page)
    x, y, heights, cols = 90, 760, (42, 26), (0, 70, 300, 450, 640)
    for i in range(len(heights) + 1):
        d.line([(x, y + sum(heights[:i])), (x + cols[-1], y + sum(heights[:i]))], fill=(20, 20, 20), width=2)
    for c in cols:
        d.line([(x + c, y), (x + c, y + sum(heights))], fill=(20, 20, 20), width=2)
    bold = ImageFont.truetype("DejaVuSans-Bold.ttf", 15)
    for c, text in zip(cols, ("No.", "Control list No.", "Quantity", "Value")):
        d.text((x + c + 6, y + 4), text, fill=(10, 10, 10), font=bold)  # not among the read words
    gray = page.convert("L")
    arr = np.asarray(gray) if mode == "grayscale" else np.where(np.asarray(gray) < 160, 0, 255).astype(np.uint8)
    _, sig = find_marks(arr, DPI, boxes)
    assert not sig.present, sig


def test_a_pale_violet_stamp_on_cream_paper_is_found():
    """Violet ink that kept only a tint is no bluer than gray in absolute terms, only than its paper."""
    rng = random.Random(24)
    page, boxes = _page(rng)
    cream = Image.new("RGB", page.size, (232, 228, 212))
    page = Image.composite(page, cream, page.convert("L").point(lambda v: 255 if v < 200 else 0))
    stamp = M.seal(rng, "ТОО «КАСПИЙ ИНДАСТРИАЛ» * АЛМАТЫ", "БСН 180340012345", shape="oval")
    stamp.putalpha(stamp.getchannel("A").point(lambda v: v * 75 // 100))
    seal_box = _paste(page, stamp, 420, 820)
    seal, _ = find_marks(np.asarray(page), DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), seal


def test_a_rectangular_stamp_cut_off_at_the_page_edge_is_found():
    rng = random.Random(25)
    page, boxes = _page(rng)
    stamp = M.seal(rng, "ТОО «СТЕПЬ ОПТИКС» * ДАЛА ОПТИКС", "БСН 180340012345", shape="rect")
    x = page.width - stamp.width * DPI // 300 * 3 // 4  # a quarter of it off the page
    _paste(page, stamp, x, 850)
    seal, _ = find_marks(np.asarray(page.convert("L")), DPI, boxes)
    assert seal.present and seal.bbox[0] >= x - 20, seal


def test_a_page_stored_sideways_has_its_marks_sought_upright_and_boxed_as_stored():
    from extractors.readpage import _upright_marks

    rng = random.Random(26)
    page, boxes = _page(rng)
    seal_box = _paste(page, M.seal(rng, "ТОО «СИГМА» * АҚТӨБЕ", "БСН 150240007777", shape="rect"), 430, 820)
    sig_box = _paste(page, M.signature(rng), 120, 850)
    w, h = page.size
    stored = np.ascontiguousarray(np.rot90(np.asarray(page.convert("L")), 1))  # scanned turned counter-clockwise
    # A box (x0, y0, x1, y1) on the upright page lies at (y0, w - x1, y1, w - x0) on the stored one.
    turn = lambda b: (b[1], w - b[2], b[3], w - b[0])  # noqa: E731
    seal, sig = _upright_marks(stored, DPI, [turn(b) for b in boxes], 1)
    assert seal.present and _overlap(seal.bbox, turn(seal_box)), seal
    assert sig.present and _overlap(sig.bbox, turn(sig_box)), sig


def test_a_page_turned_upside_down_keeps_its_marks():
    rng = random.Random(14)
    page, boxes = _page(rng)
    _paste(page, M.seal(rng, "ТОО «ЭПСИЛОН» * АТЫРАУ", "БСН 170240003456", shape="oval"), 430, 820)
    _paste(page, M.signature(rng), 120, 850)
    w, h = page.size
    turned = np.asarray(page.rotate(180).convert("L"))
    turned_boxes = [(w - x1, h - y1, w - x0, h - y0) for x0, y0, x1, y1 in boxes]
    seal, sig = find_marks(turned, DPI, turned_boxes)
    assert seal.present and seal.bbox[1] < h / 2, seal  # now in the upper half
    assert sig.present and sig.bbox[1] < h / 2, sig


@pytest.mark.parametrize("mode", ["grayscale", "colour"])
def test_a_rectangular_stamp_with_a_pen_stroke_run_out_past_its_side_is_found(mode):
    """A signature's long, nearly straight tail drawn across a rectangular stamp and out past its
    side joins the stamp's border into one set of rules too wide for a stamp (seen on generated
    seeds 431 and 472): the stamp is the box between its two upright sides."""
    rng = random.Random(28)
    page, boxes = _page(rng)
    seal_box = _paste(page, M.seal(rng, "ТОО «СТЕПЬ ОПТИКС» * АСТАНА", "БСН 180340012345", shape="rect"), 430, 820)
    d = ImageDraw.Draw(page)
    x0, x1, y = seal_box[0] + 120, seal_box[2] + 110, (seal_box[1] + seal_box[3]) // 2 + 12
    d.line([(x0, y), (x1, y + 9)], fill=(25, 25, 70), width=2)  # 1.1 in past the stamp's right side
    sig_box = _paste(page, M.signature(rng, px=420), seal_box[2] + 15, seal_box[1] - 10)  # its tail is the stroke
    arr = np.asarray(page) if mode == "colour" else np.asarray(page.convert("L"))
    seal, sig = find_marks(arr, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), seal
    assert sig.present and _overlap(sig.bbox, sig_box), sig


def _signed_below(seed: int, dx: int, mode: str) -> tuple[np.ndarray, list, tuple, tuple]:
    """A page with a rectangular stamp (turned as the generator turns it) and a signature written
    across its bottom border and out below it: (raster, text boxes, stamp box, signature box)."""
    rng = random.Random(seed)
    page, boxes = _page(rng)
    seal_box = _paste(page, M.seal(rng, "ТОО «СТЕПЬ ОПТИКС» * АСТАНА", "БСН 180340012345", shape="rect"), 430, 820)
    sig = M.signature(rng, px=520)
    sig_box = _paste(page, sig, seal_box[0] + dx, seal_box[3] - sig.size[1] // 6)
    gray = np.asarray(page.convert("L"))
    return (gray if mode == "grayscale" else np.where(gray < 160, 0, 255).astype(np.uint8)), boxes, seal_box, sig_box


@pytest.mark.parametrize("seed", [44, 48, 49])
def test_a_turned_rectangular_stamp_with_a_signature_run_out_of_it_is_found_on_a_bitonal_page(seed):
    """Turned 10-25 degrees, with the signature joined to its border, the stamp's sides are no
    upright rules and the blob has no stamp's shape (missed on generated seed 501): the blob's
    long straight strokes give the turn and the border is sought turned upright. Of 30 such pages
    (seeds 40-49, three colour modes) 24 are now right, 20 before; these three were missed."""
    arr, boxes, seal_box, sig_box = _signed_below(seed, 60, "bitonal")
    seal, sig = find_marks(arr, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), seal
    assert sig.present and _overlap(sig.bbox, sig_box), sig


def test_an_upright_rectangular_stamp_with_a_signature_below_its_border_is_found():
    """The signature's loops below the bottom border leave the joined rules stamp-sized but open
    at the bottom (missed on generated seed 501): the stamp is then sought between its upright
    sides too. (The generator turns this seed's stamp by 1.5 degrees only.)"""
    arr, boxes, seal_box, sig_box = _signed_below(94, 40, "grayscale")
    seal, sig = find_marks(arr, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), seal
    assert sig.present and _overlap(sig.bbox, sig_box), sig


@pytest.mark.parametrize("seed", [118, 120, 125])
def test_an_oval_stamp_worn_to_specks_with_a_signature_across_is_found_on_a_bitonal_page(seed):
    """Thresholding leaves a pale stamp as specks along its outline, not joined into one blob;
    the signature across it is the only blob (missed on generated seeds 501 and 482): the oval
    is fitted to the specks around that blob. Of 30 such pages (seeds 100-129) 13 are now
    right, 10 before; these three were missed."""
    rng = random.Random(seed)
    page, boxes = _page(rng)
    seal_box = _paste(page, M.seal(rng, "ТОО «КАСПИЙ» * АЛМАТЫ", "БСН 050540009876", shape="oval"), 430, 820)
    sig_box = _paste(page, M.signature(rng, px=560), 400, 860)
    bitonal = np.where(np.asarray(page.convert("L")) < 150, 0, 255).astype(np.uint8)
    seal, sig = find_marks(bitonal, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), seal
    assert sig.present and _overlap(sig.bbox, sig_box), sig


@pytest.mark.parametrize("seed", [300, 311, 327])
def test_a_double_ringed_oval_stamp_with_a_signature_run_into_it_is_found(seed):
    """An oval stamp's inner ring fits its edge best, but has the outer ring right around it,
    which the fit takes for a block of print and rejects (missed on generated seed 521): the
    next best fits, the outer ring, are tried. Of 30 such pages (seeds 300-329, bitonal) 11 are
    now right, 6 before; these three were missed."""
    rng = random.Random(seed)
    page, boxes = _page(rng)
    gray = np.array(page.convert("L"))
    cx, cy, a, b, turn = 470, 880, 100, 58, rng.uniform(-10, 10)
    cv2.ellipse(gray, (cx, cy), (a, b), turn, 0, 360, 40, 3)
    cv2.ellipse(gray, (cx, cy), (int(a * 0.8), int(b * 0.72)), turn, 0, 360, 40, 2)
    page = Image.fromarray(gray).convert("RGB")
    sig_box = _paste(page, M.signature(rng, px=560), cx + 20, cy - 20)
    bitonal = np.where(np.asarray(page.convert("L")) < 160, 0, 255).astype(np.uint8)
    seal, sig = find_marks(bitonal, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, (cx - a, cy - b, cx + a, cy + b)), seal
    assert sig.present and _overlap(sig.bbox, sig_box), sig


def test_a_stamp_sought_between_its_sides_spans_both_sides_whole():
    """On a stamp turned a few degrees one upright side starts lower than the other; the box
    between them spans both whole, else its top and bottom borders fall partly outside it and
    it is not taken for closed (missed on generated seed 531)."""
    vt = np.zeros((130, 300), bool)
    vt[5:100, 10:13] = True  # left side
    vt[12:107, 220:223] = True  # right side, 7 px lower
    x, y, w, h = _between_sides(vt, 100.0)[0]
    assert (x, y, x + w, y + h) == (10, 5, 223, 107)


def test_an_outline_under_20_mm_across_is_no_stamp():
    """A short signature whose loops close an outline 0.63 x 0.47 inch scored 0.68 as a seal on
    generated seed 541 (and one on 511); no organisation's stamp is that small."""
    small = Blob((400, 850, 463, 897), 600, 0.2, 0.0, 0.0, 0.0)
    stamp = Blob((400, 850, 500, 910), 900, 0.15, 0.0, 0.0, 0.0)
    assert _seal_score(small, 100.0, 1169, coverage=0.95) == 0.0
    assert _seal_score(stamp, 100.0, 1169, coverage=0.95) >= 0.6


@pytest.mark.parametrize("seed", [3, 9, 17])
def test_an_oval_stamp_left_as_dashes_is_found_on_a_bitonal_page(seed):
    """A worn oval stamp that thresholding leaves as dashes 0.1-0.25 inch apart: no piece is a
    blob of a stamp's size, so the pieces within a quarter inch of each other are taken as one
    group and the oval fitted to it (missed on generated seed 551). Of 30 such pages (seeds
    0-29) 29 are now right, 2 before; these three were missed."""
    rng = random.Random(seed)
    page, boxes = _page(rng)
    gray = np.array(page.convert("L"))
    cx, cy, a, b, turn = 560, 880, 95, 62, rng.uniform(-20, 20)
    dash, gap = rng.uniform(8, 20), rng.uniform(6, 14)  # degrees along the outline
    t = rng.uniform(0, 30)
    while t < 360:
        cv2.ellipse(gray, (cx, cy), (a, b), turn, t, t + dash, 40, 2)
        t += dash + gap
    bitonal = np.where(gray < 160, 0, 255).astype(np.uint8)
    seal, _ = find_marks(bitonal, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, (cx - a, cy - b, cx + a, cy + b)), seal


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_rectangular_stamp_with_a_pen_stroke_run_down_its_side_is_found(seed):
    """A pen's stroke drawn down a rectangular stamp's right side and on below it lengthens
    that side past the left one, so no two upright sides pair up; the box is then taken between
    the stamp's flat sides (missed on generated seeds 531 and 561). Of 30 such grayscale pages
    (seeds 0-29) all are found now, none before."""
    rng = random.Random(seed)
    page, boxes = _page(rng)
    gray = np.array(page.convert("L"))
    x0, y0, x1, y1 = 560, 790, 560 + rng.randint(170, 210), 790 + rng.randint(85, 100)
    cv2.rectangle(gray, (x0, y0), (x1, y1), 60, 2)
    cv2.rectangle(gray, (x0 + 6, y0 + 6), (x1 - 6, y1 - 6), 60, 1)
    pts = [(x1 + rng.randint(-2, 2), y0 + rng.randint(5, 20)), (x1 + rng.randint(-3, 3), y1 + rng.randint(25, 45))]
    for _ in range(6):  # a flourish back to the left below the stamp
        pts.append((pts[-1][0] - rng.randint(15, 30), pts[-1][1] + rng.choice([-1, 1]) * rng.randint(10, 30)))
    cv2.polylines(gray, [np.array(pts, np.int32)], False, 10, 2)
    seal, _ = find_marks(gray, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, (x0, y0, x1, y1)), seal


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_round_stamp_with_half_its_border_worn_away_is_found(seed):
    """Four arcs drawing 48% of a ring score 0.58-0.59 as a stamp: under the 0.6 the searches
    go on below, over the 0.55 a stamp is taken at (on six generated sets no page without a
    stamp scored between 0.45 and 0.66; five missed stamps did)."""
    rng = random.Random(seed)
    page, boxes = _page(rng)
    gray = np.array(page.convert("L"))
    cx, cy, r = 560, 900, 75
    for q in range(4):
        a = q * 90 + rng.uniform(0, 10)
        cv2.ellipse(gray, (cx, cy), (r, r), 0, a, a + 90 * 0.48, 60, 3)
    seal, _ = find_marks(gray, DPI, boxes)
    assert seal.present and 0.55 <= seal.score < 0.6 and _overlap(seal.bbox, (cx - r, cy - r, cx + r, cy + r)), seal
