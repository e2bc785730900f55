"""The applicant's certification on a page: a seal (round, oval or rectangular
stamp) and a handwritten signature, found among the ink that is not text.

Printed words are masked out using the reader's own word boxes; what remains
is grouped into blobs, and each blob is scored on shape, stroke and colour.
Logos, QR codes, barcodes and table rules are the usual impostors."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class Found:
    present: bool
    score: float
    bbox: tuple[float, float, float, float] | None  # in the raster's pixels


@dataclass
class Blob:
    box: tuple[int, int, int, int]
    ink: int
    fill: float
    coloured: float
    ring: float
    thin: float


def ink_masks(img: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(all ink, coloured ink) as boolean masks."""
    if img.ndim == 3:
        hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
        s, v = hsv[..., 1], hsv[..., 2]
        gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
        r, g, b = (img[..., i].astype(np.int16) for i in range(3))
        # Stamp and pen inks are blue or violet, and faint where the stamp was pressed lightly.
        blueish = (b - np.maximum(r, g) > 22) & (v > 40)
        coloured = blueish | ((s > 90) & (v > 40) & (v < 250))
        ink = (gray < 170) | coloured
    else:
        gray = img
        coloured = np.zeros(gray.shape, dtype=bool)
        ink = gray < 175
    return ink, coloured


def _blobs(ink: np.ndarray, coloured: np.ndarray, px_per_in: float) -> list[Blob]:
    k = max(3, int(px_per_in * 0.06)) | 1
    joined = cv2.dilate(ink.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    thin_k = np.ones((3, 3), np.uint8)
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < px_per_in * 0.25 and h < px_per_in * 0.25:
            continue
        sub = ink[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == i)
        cnt = int(sub.sum())
        if cnt == 0:
            continue
        col = float((coloured[y:y + h, x:x + w] & sub).sum()) / cnt
        # Ring: how much ink lies near the blob's border versus its middle.
        cy0, cy1, cx0, cx1 = int(h * 0.3), int(h * 0.7), int(w * 0.3), int(w * 0.7)
        mid = sub[cy0:cy1, cx0:cx1].mean() if cy1 > cy0 and cx1 > cx0 else 0.0
        border = (sub[: max(1, h // 8)].mean() + sub[-max(1, h // 8):].mean() + sub[:, : max(1, w // 8)].mean() + sub[:, -max(1, w // 8):].mean()) / 4
        ring = float(border / (mid + 1e-3))
        # Thin strokes survive little erosion: the share of ink an erosion removes.
        eroded = cv2.erode(sub.astype(np.uint8), thin_k).sum()
        thin = 1.0 - float(eroded) / cnt
        out.append(Blob((int(x), int(y), int(x + w), int(y + h)), cnt, cnt / float(w * h), col, ring, thin))
    return out


def _seal_score(b: Blob, px_per_in: float, page_h: int) -> float:
    w = (b.box[2] - b.box[0]) / px_per_in
    h = (b.box[3] - b.box[1]) / px_per_in
    if not (0.7 <= w <= 2.8 and 0.5 <= h <= 2.8):
        return 0.0
    aspect = w / h
    score = 0.25
    if 0.75 <= aspect <= 1.35:
        score += 0.2
    elif 1.35 < aspect <= 2.2:
        score += 0.1  # oval and rectangular stamps
    if 0.02 <= b.fill <= 0.45:
        score += 0.15
    if b.ring > 1.3:
        score += min(0.25, (b.ring - 1.3) * 0.2)
    score += 0.25 * min(1.0, b.coloured * 2)
    if b.box[1] < page_h * 0.1:
        score -= 0.25  # letterhead logos sit at the top
    if b.fill > 0.5:
        score -= 0.3  # QR codes and filled logos
    return max(0.0, min(1.0, score))


def _signature_score(b: Blob, px_per_in: float, page_h: int) -> float:
    w = (b.box[2] - b.box[0]) / px_per_in
    h = (b.box[3] - b.box[1]) / px_per_in
    if not (0.35 <= w <= 3.5 and 0.12 <= h <= 1.6):
        return 0.0
    aspect = w / max(h, 1e-3)
    if aspect > 12:
        return 0.0  # a rule or an underline
    score = 0.2
    if b.fill < 0.25:
        score += 0.2
    if b.thin > 0.55:
        score += 0.25
    if 1.2 <= aspect <= 8:
        score += 0.15
    score += 0.2 * min(1.0, b.coloured * 2)
    if b.box[1] < page_h * 0.12:
        score -= 0.3
    return max(0.0, min(1.0, score))


WORK_DPI = 100.0  # marks are large: a coarse raster finds them as well, at a ninth of the cost


def find_marks(img: np.ndarray, px_per_in: float, text_boxes: list[tuple[float, float, float, float]]) -> tuple[Found, Found]:
    """(seal, signature) on one page raster; `text_boxes` are confidently read words in its pixels.
    Boxes come back in the same pixels."""
    k = min(1.0, WORK_DPI / px_per_in)
    if k < 1.0:
        h0, w0 = img.shape[:2]
        img = cv2.resize(img, (max(1, int(w0 * k)), max(1, int(h0 * k))), interpolation=cv2.INTER_AREA)
        text_boxes = [tuple(v * k for v in b) for b in text_boxes]
    seal, sig = _find(img, px_per_in * k, text_boxes)
    if k < 1.0:
        seal.bbox = tuple(v / k for v in seal.bbox) if seal.bbox else None
        sig.bbox = tuple(v / k for v in sig.bbox) if sig.bbox else None
    return seal, sig


def _ring(mask: np.ndarray, box: tuple[int, int, int, int], px_per_in: float) -> float:
    """Evidence of a round stamp's border inside a blob: a Hough circle of seal size, 0..1."""
    x0, y0, x1, y1 = box
    crop = (mask[y0:y1, x0:x1].astype(np.uint8) * 255)
    if crop.size == 0:
        return 0.0
    crop = cv2.GaussianBlur(crop, (5, 5), 0)
    r_min, r_max = int(px_per_in * 0.3), int(px_per_in * 1.3)
    circles = cv2.HoughCircles(crop, cv2.HOUGH_GRADIENT, dp=1.5, minDist=max(8, r_min), param1=80, param2=18,
                               minRadius=r_min, maxRadius=r_max)
    if circles is None:
        return 0.0
    cx, cy, r = circles[0][0]
    # Share of the circle's perimeter that has ink under it.
    angles = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    xs = np.clip((cx + r * np.cos(angles)).astype(int), 0, crop.shape[1] - 1)
    ys = np.clip((cy + r * np.sin(angles)).astype(int), 0, crop.shape[0] - 1)
    return float((crop[ys, xs] > 40).mean())


def _find(img: np.ndarray, px_per_in: float, text_boxes) -> tuple[Found, Found]:
    ink, coloured = ink_masks(img)
    h, w = ink.shape
    # On a colour page seals and signatures are the blue/violet ink; printed text is black.
    colour_page = coloured.sum() > (px_per_in * 0.5) ** 2 * 0.05
    mask = coloured.copy() if colour_page else ink
    if not colour_page:
        pad = max(1, int(px_per_in * 0.01))
        for x0, y0, x1, y1 in text_boxes:
            mask[max(0, int(y0) - pad):min(h, int(y1) + pad), max(0, int(x0) - pad):min(w, int(x1) + pad)] = False
    # Long straight rules (tables, signature lines) are not marks.
    line_len = max(15, int(px_per_in * 0.8))
    m8 = mask.astype(np.uint8)
    horiz = cv2.morphologyEx(m8, cv2.MORPH_OPEN, np.ones((1, line_len), np.uint8)).astype(bool)
    vert = cv2.morphologyEx(m8, cv2.MORPH_OPEN, np.ones((line_len, 1), np.uint8)).astype(bool)
    mask &= ~(horiz | vert)
    blobs = _blobs(mask, coloured, px_per_in)
    seal, sig = Found(False, 0.0, None), Found(False, 0.0, None)
    seal_blob = None
    for b in blobs:
        s = _seal_score(b, px_per_in, h)
        if s > 0.3:
            s = min(1.0, s + 0.35 * _ring(mask, b.box, px_per_in) - 0.1)
        if s > seal.score:
            seal, seal_blob = Found(s >= 0.6, s, b.box), b
    # A round stamp touched by a signature is one blob of no stamp's shape: look for the ring itself.
    disc = None
    circle = _best_circle(mask, coloured, px_per_in, h)
    if circle is not None and circle[0] > seal.score:
        score, (cx, cy, r) = circle
        seal = Found(score >= 0.6, score, (int(cx - r), int(cy - r), int(cx + r), int(cy + r)))
        seal_blob, disc = None, (cx, cy, r)
    if disc is not None and seal.present:
        # Signatures are sought in the ink left once the stamp's disc is taken out.
        yy, xx = np.ogrid[:h, :w]
        cx, cy, r = disc
        rest = mask & ((yy - cy) ** 2 + (xx - cx) ** 2 > (r * 1.08) ** 2)
        blobs = _blobs(rest, coloured, px_per_in)
    for b in blobs:
        if seal.present and b is seal_blob:
            continue
        s = _signature_score(b, px_per_in, h)
        if s > sig.score:
            sig = Found(s >= 0.6, s, b.box)
    if seal.present and not sig.present and seal_blob is not None:
        # A signature written across the seal merges with it: look for strokes reaching out of the stamp.
        extra = _strokes_outside(mask, seal_blob.box, px_per_in)
        if extra is not None:
            sig = extra
    return seal, sig


def _best_circle(mask: np.ndarray, coloured: np.ndarray, px_per_in: float, page_h: int):
    """(score, (cx, cy, r)) of the most stamp-like ring on the page, or None."""
    m8 = mask.astype(np.uint8) * 255
    blur = cv2.GaussianBlur(m8, (5, 5), 0)
    r_min, r_max = int(px_per_in * 0.45), int(px_per_in * 1.2)
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=1.5, minDist=r_min * 2, param1=80, param2=22,
                               minRadius=r_min, maxRadius=r_max)
    if circles is None:
        return None
    h, w = mask.shape
    angles = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    best = None
    for cx, cy, r in circles[0][:12]:
        xs = np.clip((cx + r * np.cos(angles)).astype(int), 0, w - 1)
        ys = np.clip((cy + r * np.sin(angles)).astype(int), 0, h - 1)
        ring = float(blur[ys, xs].astype(bool).mean())
        inner = mask[max(0, int(cy - r * 0.5)):int(cy + r * 0.5), max(0, int(cx - r * 0.5)):int(cx + r * 0.5)]
        density = float(inner.mean()) if inner.size else 1.0
        if ring < 0.45 or density > 0.35 or cy < page_h * 0.1:
            continue  # a broken ring, a filled disc (logo) or the letterhead
        box = coloured[max(0, int(cy - r)):int(cy + r), max(0, int(cx - r)):int(cx + r)]
        colour = float(box.mean() / max(mask[max(0, int(cy - r)):int(cy + r), max(0, int(cx - r)):int(cx + r)].mean(), 1e-6)) if box.size else 0.0
        score = min(1.0, 0.3 + 0.5 * ring + 0.2 * min(1.0, colour))
        if best is None or score > best[0]:
            best = (score, (float(cx), float(cy), float(r)))
    return best


def _strokes_outside(mask: np.ndarray, box, px_per_in: float) -> Found | None:
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    side = min(bw, bh)
    if max(bw, bh) < 1.25 * side:
        return None  # the blob is as round as a stamp alone
    sub = mask[y0:y1, x0:x1].copy()
    cy, cx = np.unravel_index(np.argmax(cv2.distanceTransform((~sub).astype(np.uint8), cv2.DIST_L2, 3)), sub.shape)
    yy, xx = np.ogrid[:bh, :bw]
    # Remove the largest disc of stamp size around the blob's emptiest centre; what is left is the signature.
    r = side / 2
    sub[(yy - cy) ** 2 + (xx - cx) ** 2 <= (r * 1.05) ** 2] = False
    ys, xs = np.nonzero(sub)
    if len(xs) < px_per_in * 0.3:
        return None
    box2 = (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)
    if (box2[2] - box2[0]) < px_per_in * 0.3:
        return None
    return Found(True, 0.65, box2)
