"""Tesseract over one page raster: upright it (0/90/180/270), deskew it, read
words with boxes, and map the boxes back to the raster as it was stored."""
from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from extractors import tessapi
from extractors.normalise import CYRILLIC_LOOKALIKES

WORDLIKE = re.compile(r"^[\"«(]?[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{2,}[-–]?[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]*[.,:;»)\"]*$|^[\d.,/\-%№]+$")


@dataclass
class OcrWord:
    text: str
    box: tuple[float, float, float, float]  # in the stored raster's pixels
    lbox: tuple[float, float, float, float]  # in the upright, deskewed raster's pixels
    conf: float
    line: int  # tesseract's block/paragraph/line, as one number


@dataclass
class OcrPage:
    words: list[OcrWord]
    rotation: int  # degrees clockwise the stored page was turned to read it
    skew_deg: float
    quality: float


def to_gray(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img


THUMB_LONG_SIDE = 1400  # px: enough to see text lines and measure skew to 0.05 degrees


def page_ink(gray: np.ndarray, long_side: int = THUMB_LONG_SIDE) -> np.ndarray:
    """Ink (255) of a reduced copy of the page, Otsu-thresholded: what the line-structure
    checks below look at. Made once per page and shared by them."""
    h, w = gray.shape
    f = min(1.0, long_side / max(h, w, 1))
    small = cv2.resize(gray, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else gray
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def estimate_skew(ink: np.ndarray, limit: float = 4.0) -> float:
    """Skew angle in degrees by projection profiles of a page's reduced ink (page_ink)."""
    ys, xs = np.nonzero(ink)
    if len(xs) < 500:
        return 0.0
    if len(xs) > 60000:
        pick = np.random.default_rng(0).choice(len(xs), 60000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float32)
    ys = ys.astype(np.float32)

    def score(deg: float) -> float:
        t = np.deg2rad(deg)
        proj = ys * np.float32(np.cos(t)) - xs * np.float32(np.sin(t))
        hist = np.bincount((proj - proj.min()).astype(np.int32))  # rows of one pixel
        return float(np.dot(hist, hist))

    best = max(np.arange(-limit, limit + 1e-6, 0.25), key=score)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-6, 0.05), key=score)
    return float(round(fine, 2))


def _line_count(ink: np.ndarray, across: bool, unit: float) -> int:
    """Text lines running across (or, with across=False, down) the page: letters joined by
    a short closing become long thin components along the reading direction."""
    n = max(3, round(7 * unit))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1) if across else (1, n))
    _, _, stats, _ = cv2.connectedComponentsWithStats(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel), connectivity=8)
    length, thick = (stats[1:, 2], stats[1:, 3]) if across else (stats[1:, 3], stats[1:, 2])
    return int(((length >= 4 * thick) & (length >= 40 * unit) & (thick >= 3 * unit)).sum())


def looks_sideways(ink: np.ndarray) -> bool:
    """A page turned by 90 degrees has its text lines running down the page. Told before any
    OCR, so that such a page skips the failed upright reading (about a second a page). On 100
    generated pages: 6 of 6 sideways pages had no line across and 15-73 down; upright ones at
    least 8 times more lines across than down. `ink`: the page's reduced ink (page_ink)."""
    unit = max(ink.shape) / 1100.0  # the sizes below were measured on a copy 1100 px long
    down = _line_count(ink, False, unit)
    return down >= 8 and down >= 3 * _line_count(ink, True, unit)


def looks_upside_down(ink: np.ndarray, limit: float = 0.55) -> bool:
    """Paperwork starts at the top: letterhead, title, text, signature, then blank paper. A page
    whose ink sits mostly in its lower half is probably upside down. On 94 generated pages the
    ink's centre was at 0.20-0.42 of the height on upright ones and 0.63-0.70 on turned ones;
    a full page of text sits near 0.5 and goes the usual way."""
    rows = np.count_nonzero(ink, axis=1).astype(np.float64)
    total = rows.sum()
    if total == 0:
        return False
    return float((rows * np.arange(len(rows))).sum() / total / len(rows)) > limit


def _rot_matrix(k: int, w: int, h: int) -> np.ndarray:
    """Affine map of pixel coords for np.rot90(img, -k) (k quarter turns clockwise)."""
    k %= 4
    if k == 0:
        return np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float64)
    if k == 1:  # clockwise: (x, y) -> (h - y, x)
        return np.array([[0, -1, h], [1, 0, 0]], dtype=np.float64)
    if k == 2:
        return np.array([[-1, 0, w], [0, -1, h]], dtype=np.float64)
    return np.array([[0, 1, 0], [-1, 0, w]], dtype=np.float64)  # counter-clockwise


def turn_box(box: tuple[float, float, float, float], k: int, w: int, h: int, back: bool = False):
    """A box on a w x h image turned k quarter turns clockwise (np.rot90(img, -k)), or with
    back=True, a box on the turned image brought back to the stored one."""
    m = _rot_matrix(k, w, h)
    return _map_box(_invert(m) if back else m, box)


def _compose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix of 'apply a, then b'."""
    A = np.vstack([a, [0, 0, 1]])
    B = np.vstack([b, [0, 0, 1]])
    return (B @ A)[:2]


def _invert(m: np.ndarray) -> np.ndarray:
    return np.linalg.inv(np.vstack([m, [0, 0, 1]]))[:2]


def _map_box(m: np.ndarray, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ m.T
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))


def tesseract_words(gray: np.ndarray, lang: str, psm: int = 3) -> list[tuple[str, tuple[int, int, int, int], float, int]]:
    # A loaded engine per worker (extractors.tessapi): no process start and model load per call.
    out = []
    for w in tessapi.engine(lang, {"tessedit_do_invert": "0"}).words(gray, psm):
        # Remnants of table rules stuck to a word ("|25", "[10") are not text.
        text = (w.text or "").strip().strip("|[]{}¦")
        if not text or w.conf < 0:
            continue
        out.append((text, w.box, w.conf / 100.0, w.block * 10000 + w.par * 100 + w.line))
    return out


def quality(words: list[tuple[str, tuple, float]]) -> float:
    """Share of confidently read, word-like tokens: low on upside-down or sideways pages.
    A sideways page can read well word by word (tesseract follows vertical lines), but
    then its word boxes stand upright: such a reading counts as poor."""
    if not words:
        return 0.0
    long = [b for t, b, _, _ in words if len(t) >= 4]
    if long and sum(1 for b in long if (b[3] - b[1]) > (b[2] - b[0])) > 0.5 * len(long):
        return 0.0
    good = sum(1 for t, _, c, _ in words if c >= 0.6 and WORDLIKE.match(t))
    return good / len(words)


def detect_orientation(gray: np.ndarray) -> tuple[int, float]:
    """Tesseract's orientation detection: (degrees to turn clockwise, confidence), through the
    loaded "osd" engine (143 ms a page against 390 ms for a `tesseract --psm 0` call, same answers)."""
    h, w = gray.shape
    f = min(1.0, 2000.0 / max(h, w))
    small = cv2.resize(gray, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else gray
    return tessapi.osd_engine().orientation(small)


def even_out_lighting(gray: np.ndarray, spread: float = 45.0) -> np.ndarray:
    """Photos of pages are lit unevenly (shadow of the phone, a lamp at one side): divide the
    page by its own background, estimated on a coarse copy with the text closed away.
    Evenly lit scans are returned untouched."""
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    k = max(3, min(small.shape) // 20) | 1
    bg = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8)), (k, k), 0)
    if float(np.percentile(bg, 95) - np.percentile(bg, 5)) < spread:
        return gray
    bg_full = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(bg_full, 1), scale=255)


# Straightened from 0.2 degrees. Word counts suggested tesseract copes with up to ~0.7 (the
# same words at 0.5), but fields did not: with 0.7, goods names and codes on 40 fresh files
# (seed 411) fell from micro-F1 0.952 to 0.947 ("S-900" read "5-900").
DESKEW_MIN_DEG = 0.2


def _prepare(gray: np.ndarray, k: int, ink: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Turn k quarter turns clockwise and deskew; returns image, stored->processed matrix, skew.
    `ink` is the page's reduced ink (page_ink), turned alike here."""
    h, w = gray.shape
    m = _rot_matrix(k, w, h)
    img = np.ascontiguousarray(np.rot90(gray, -k)) if k % 4 else gray
    skew = estimate_skew(np.rot90(ink, -k) if k % 4 else ink)
    if abs(skew) >= DESKEW_MIN_DEG:
        hh, ww = img.shape
        r = cv2.getRotationMatrix2D((ww / 2, hh / 2), skew, 1.0)
        img = cv2.warpAffine(img, r, (ww, hh), flags=cv2.INTER_LINEAR, borderValue=255)
        m = _compose(m, r)
    return remove_rules(img), m, skew


def remove_rules(gray: np.ndarray) -> np.ndarray:
    """Paint table rules and underlines white: tesseract reads them as '|' or '[', or
    gives up on a ruled table as a picture and drops its cells. (Finding them on a
    half-size copy was tried: cheaper, but it cost 3 points of micro-F1.)"""
    h, w = gray.shape
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 25), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, h // 40))))
    rules = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    if not rules.any():
        return gray
    return cv2.max(gray, rules)  # rules are 0 or 255: white where they are, the page elsewhere


CODE_TOKEN = re.compile(r"^(?=.*\d)(?=.*[A-Za-zА-Яа-яЁё])[\w./\-]{2,24}$")
# Letters of a code the Cyrillic model may print in Cyrillic shapes (З for 3, Ь for b too).
LATIN_LOOKALIKE = CYRILLIC_LOOKALIKES | {"З", "Ь"}


def reread_codes(img: np.ndarray, words: list, limit: int = 60) -> list:
    """Codes and numbers ("TR-2025/0321", "HD-35", "KZ-58") are Latin, but a model that
    knows Cyrillic reads them with Cyrillic shapes ("ТК-2025", "НО-35"). Read such words
    again with the English model alone, all in one tesseract call (the crops stacked on
    one canvas), and keep the reading it is surer of."""
    picks = []
    for i, (t, b, c, ln) in enumerate(words):
        letters = [ch for ch in t if ch.isalpha()]
        if CODE_TOKEN.match(t) and all(ch.isascii() or ch in LATIN_LOOKALIKE for ch in letters):
            picks.append(i)
    picks = picks[:limit]
    if not picks:
        return words
    crops = []
    for i in picks:
        x0, y0, x1, y1 = words[i][1]
        pad = max(3, (y1 - y0) // 3)
        crops.append(img[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad])
    gap = max(c.shape[0] for c in crops)
    width = max(c.shape[1] for c in crops) + 2 * gap
    canvas = np.full((sum(c.shape[0] + gap for c in crops) + gap, width), 255, np.uint8)
    slots, y = [], gap
    for c in crops:
        canvas[y:y + c.shape[0], gap:gap + c.shape[1]] = c
        slots.append((y, y + c.shape[0]))
        y += c.shape[0] + gap
    found: dict[int, list[tuple[float, str, float]]] = {}
    for t, (x0, y0, x1, y1), c, _ in tesseract_words(canvas, "eng", psm=6):
        cy = (y0 + y1) / 2
        for n, (a, b) in enumerate(slots):
            if a - gap / 2 <= cy <= b + gap / 2:
                found.setdefault(n, []).append((x0, t, c))
                break
    out = list(words)
    for n, i in enumerate(picks):
        if n not in found:
            continue
        parts = sorted(found[n])
        text = "".join(t for _, t, _ in parts)
        conf = min(c for _, _, c in parts)
        t0, b0, c0, ln0 = words[i]
        has_cyr = any(not ch.isascii() for ch in t0)
        if text.isascii() and abs(len(text) - len(t0)) <= 1 and (conf > c0 + 0.05 or (has_cyr and conf >= 0.6)):
            out[i] = (text, b0, max(conf, c0), ln0)
    return out


def ocr_page(gray: np.ndarray, lang: str, good_enough: float = 0.55) -> OcrPage:
    """Read an upright page in one pass. A page that looks turned (text lines running down
    it, or its ink gathered at the bottom) asks orientation detection first (0.14 s); any
    other page pays for it only after a poor reading (a wasted second)."""
    gray = even_out_lighting(gray)
    ink = page_ink(gray)
    sideways = looks_sideways(ink)
    osd_first = sideways or looks_upside_down(ink)
    turns = (1, 3) if sideways else (2,)  # the turns the page's line structure allows
    best = None
    tried: set[int] = set()
    for step in (("osd", 0, "rest") if osd_first else (0, "osd")):
        if step == 0:
            candidates = [0]
        elif step == "osd":
            rot, conf = detect_orientation(gray)
            k = rot // 90
            if conf >= 1.0 and (not sideways or k in turns):
                candidates = [k] + [t for t in turns if sideways and t != k]
            elif osd_first:
                candidates = list(turns) if sideways else []  # unsure: a bottom-heavy page is read upright first
            elif best[0] >= 0.3:
                break  # OSD unsure and the page read passably: keep that reading
            else:
                candidates = list(turns)
        else:  # a page that looked turned and read badly every way tried so far
            candidates = list(turns)
        for kk in candidates:
            if kk in tried:
                continue
            tried.add(kk)
            img, m, skew = _prepare(gray, kk, ink)
            words = tesseract_words(img, lang)
            q = quality(words)
            if best is None or q > best[0]:
                best = (q, kk, m, skew, words, img)
            if q >= good_enough:
                break
        if best is not None and best[0] >= good_enough:
            break
    q, k, m, skew, words, img = best
    if "eng" in lang.split("+"):
        words = reread_codes(img, words)
    back = _invert(m)
    out = [OcrWord(t, _map_box(back, b), tuple(float(v) for v in b), c, ln) for t, b, c, ln in words]
    return OcrPage(out, rotation=90 * k, skew_deg=skew, quality=q)
