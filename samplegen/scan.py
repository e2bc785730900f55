"""Pretend to scan: rasterise, rotate, add noise, blur, JPEG artefacts, colour loss.

Every geometric change is one affine map, applied to the image and to the
truth boxes alike, so boxes stay in PDF points of the page as stored.
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

Box = tuple[float, float, float, float]


@dataclass
class ScanSettings:
    dpi: int = 200
    colour: str = "grayscale"  # colour | grayscale | bitonal
    quarter_turns: int = 0  # content turned clockwise by 90 * k degrees
    skew_deg: float = 0.0  # small clockwise skew
    noise: float = 4.0
    blur: float = 0.0
    jpeg_quality: int = 75
    fade: float = 0.0  # 0..0.4 lighter ink


def rasterise_pdf_page(pdf_bytes: bytes, index: int, dpi: int) -> np.ndarray:
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        page = doc[index]
        bitmap = page.render(scale=dpi / 72.0)
        return np.asarray(bitmap.to_pil().convert("RGB")).copy()
    finally:
        doc.close()


def _affine(w: int, h: int, angle_cw: float) -> tuple[np.ndarray, int, int]:
    a = math.radians(angle_cw)
    cos, sin = abs(math.cos(a)), abs(math.sin(a))
    nw, nh = int(round(w * cos + h * sin)), int(round(w * sin + h * cos))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle_cw, 1.0)  # OpenCV: positive = counter-clockwise
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return m, nw, nh


def transform_box(box: Box, m: np.ndarray, scale: float) -> Box:
    x0, t, x1, b = (c * scale for c in box)
    pts = np.array([[x0, t, 1], [x1, t, 1], [x0, b, 1], [x1, b, 1]]) @ m.T
    return (pts[:, 0].min() / scale, pts[:, 1].min() / scale, pts[:, 0].max() / scale, pts[:, 1].max() / scale)


# The grey of an RGB pixel, as PIL's convert("L") weighs it.
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


@dataclass
class ScanLook:
    """What a scan drew at random for its page, beyond the settings: the paper's grey and, on a
    bitonal scan, the threshold below which a pixel came out black."""
    paper: float
    threshold: int | None = None


def scan_page(rgb: np.ndarray, s: ScanSettings, rng: random.Random) -> tuple[Image.Image, np.ndarray, ScanLook]:
    """Returns the scanned image, the affine map from page pixels to scan pixels, and the look."""
    gen = np.random.default_rng(rng.randrange(1 << 30))
    tint = np.array([rng.uniform(238, 252), rng.uniform(236, 250), rng.uniform(228, 246)], dtype=np.float32)
    grad_end = rng.uniform(0.9, 1.0)
    look = ScanLook(paper=float(tint @ LUMA) * (1 + grad_end) / 2)
    if s.colour == "bitonal":
        look.threshold = rng.randint(150, 185)
    img = rgb.astype(np.float32)
    if s.fade:
        img = 255 - (255 - img) * (1 - s.fade)
    # paper tint and uneven lighting
    h, w = img.shape[:2]
    img = img * (tint / 255.0)
    grad = np.linspace(1.0, grad_end, w, dtype=np.float32)[None, :, None]
    img = img * grad
    angle = 90 * s.quarter_turns + s.skew_deg
    m, nw, nh = _affine(w, h, angle)
    img = cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(245, 245, 243))
    if s.blur:
        img = cv2.GaussianBlur(img, (0, 0), s.blur)
    img = img + gen.normal(0, s.noise, img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    pil = Image.fromarray(img)
    if s.colour == "grayscale":
        pil = pil.convert("L")
    elif s.colour == "bitonal":
        g = np.asarray(pil.convert("L"))
        pil = Image.fromarray(((g > look.threshold) * 255).astype(np.uint8)).convert("1")
    return pil, m, look


# The scan's noise, drawn per colour channel, on the grey a bitonal threshold sees.
LUMA_NOISE = float(np.linalg.norm(LUMA))
# A mark darker than the paper by this many grey levels stands out of a scan's noise (sigma 2-12).
SHOWS_BY = 24
# How much of a stamp's box shows as ink on the scan, and what the truth then says (looked at on
# seeds 511-551): under 0.3% nothing a person can make out (no seal: the file carries no evidence
# of one); under 1% a ghost, scattered specks in the stamp's shape that one reader takes for a
# stamp and another not (a seal in doubt, score 0.5: the benchmarks do not score it); from 1% a
# worn but plain stamp.
SEAL_LOST_BELOW = 0.003
SEAL_FAINT_BELOW = 0.01


def ink_on_scan(darkness: np.ndarray, s: ScanSettings, look: ScanLook) -> float:
    """The share of a mark's box that shows as ink on the scan, from the mark's darkening of white
    paper (grey levels, per pixel of the mark as drawn): faded with the page, on this scan's paper;
    on a bitonal scan, the chance that the pixel with the scan's noise falls below its threshold
    (beyond the paper's own specks), else darker than the paper by SHOWS_BY. Paper only: over
    printed text a mark shows no more than the text does."""
    if darkness.size == 0:
        return 0.0
    level = np.arange(256, dtype=np.float64) * (1 - s.fade) * look.paper / 255  # darkening on the scan
    if look.threshold is None:
        shows = (level >= SHOWS_BY).astype(np.float64)
    else:
        sigma = max(s.noise * LUMA_NOISE, 0.5) * math.sqrt(2)
        black = np.array([0.5 * math.erfc((look.paper - v - look.threshold) / sigma) for v in level])
        shows = black - black[0]
    return float(shows[darkness].mean())


def jpeg_roundtrip(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, dpi=(200, 200))
    return buf.getvalue()
