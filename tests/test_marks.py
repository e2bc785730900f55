"""Seal and signature detection on page rasters with marks drawn where we know they are."""
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.marks import find_marks
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


@pytest.mark.parametrize("mode", ["colour", "grayscale"])
def test_seal_and_signature_found_where_drawn(mode):
    rng = random.Random(5)
    page, boxes = _page(rng)
    seal_box = _paste(page, M.seal(rng, "ТОО «АЛЬФА» * АЛМАТЫ * ҚАЗАҚСТАН", "БСН 180340012345", shape="round"), 420, 800)
    sig_box = _paste(page, M.signature(rng), 150, 830)
    arr = np.asarray(page if mode == "colour" else page.convert("L"))
    seal, sig = find_marks(arr, DPI, boxes)
    assert seal.present and _overlap(seal.bbox, seal_box), (seal, seal_box)
    assert sig.present and _overlap(sig.bbox, sig_box), (sig, sig_box)


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
