"""The applicant's certification on a page: a seal (round, oval or rectangular
stamp) and a handwritten signature, found among the ink that is not text.

Printed words are masked out using the reader's own word boxes; what remains
is grouped into blobs, and each blob is scored on shape, stroke and colour.
Logos, QR codes, barcodes and table rules are the usual impostors."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

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
        img = _paper_white(img)
        hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
        s, v = hsv[..., 1], hsv[..., 2]
        gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
        r, g, b = (img[..., i].astype(np.int16) for i in range(3))
        # Stamp and pen inks are blue or violet, and faint where the stamp was pressed lightly.
        blueish = (b - np.maximum(r, g) > 22) & (v > 40)
        level = _ink_level(gray, 170)
        # A faded stamp keeps only a tint: still bluer than the paper, and a little darker.
        tinted = (b - np.maximum(r, g) > 10) & (gray < level)
        coloured = blueish | tinted | ((s > 90) & (v > 40) & (v < 250))
        ink = (gray < level) | coloured
    else:
        gray = img
        coloured = np.zeros(gray.shape, dtype=bool)
        ink = gray < _ink_level(gray, 175)
    return ink, coloured


def _paper_white(img: np.ndarray) -> np.ndarray:
    """The page with its paper made neutral. On cream or yellowed paper a pale violet stamp
    (163, 148, 166 on paper of 230, 228, 215) is no bluer than gray in absolute terms, only
    bluer than its paper."""
    sample = img[::4, ::4].reshape(-1, 3)
    paper = np.median(sample[sample.sum(axis=1) >= np.median(sample.sum(axis=1))], axis=0).astype(np.float32)
    if paper.max() - paper.min() < 6 or paper.min() < 60:
        return img
    gains = paper.mean() / np.maximum(paper, 1.0)
    # A lookup table per channel: the same bytes as scaling the page in float32, at an eighth
    # of the time (12 ms a page before).
    lut = np.clip(np.rint(np.arange(256, dtype=np.float32)[:, None] * gains[None, :]), 0, 255)
    return cv2.LUT(img, lut.astype(np.uint8).reshape(256, 1, 3))


def _dark_level(gray: np.ndarray, share: float = 0.33) -> float:
    """Gray level below which ink is a pen stroke rather than stamp ink (pressed, so paler): about
    a third of the way (`share`) from the darkest print to the paper (95 on a clean white scan;
    higher on a faded, low-contrast one)."""
    darkest = float(np.percentile(gray[::4, ::4], 1))
    return darkest + share * (_paper_level(gray) - darkest)


def _dark_strokes(gray: np.ndarray, mask: np.ndarray, dark: np.ndarray, box, px_per_in: float) -> np.ndarray:
    """`dark` with, in the box, the ink next to its pieces 0.08 inch long (within 0.02 inch)
    that is darker than halfway to the paper: a pen's stroke at 100 dpi pales where it thins or
    bends, and its darkest pixels alone are pieces too short to tell from a stamp's letters
    (generated set 881, file 11). A grey stamp's border has dark specks only: grown from them,
    it was taken for a pen (set 831, file 138)."""
    x0, y0, x1, y1 = box
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark[y0:y1, x0:x1].astype(np.uint8), connectivity=8)
    long_ = np.zeros(n, bool)
    long_[1:] = np.maximum(stats[1:, 2], stats[1:, 3]) >= px_per_in * 0.08
    k = 2 * max(1, int(round(px_per_in * 0.02))) + 1
    near = cv2.dilate(long_[labels].astype(np.uint8), np.ones((k, k), np.uint8)).astype(bool)
    out = dark.copy()
    out[y0:y1, x0:x1] |= near & mask[y0:y1, x0:x1] & (gray[y0:y1, x0:x1] < _dark_level(gray, 0.5))
    return out


def _paper_level(gray: np.ndarray) -> float:
    """The paper's gray level: the median, since most of a page is paper."""
    return float(np.median(gray[::4, ::4]))


def _ink_level(gray: np.ndarray, default: int) -> int:
    """Gray level below which a pixel is ink: a fixed level misses a faint stamp on a page scanned
    grey, so it follows the paper's own level."""
    return int(min(205, max(default, _paper_level(gray) - 40)))


def _components(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """cv2.connectedComponentsWithStats (8-connected) labelled only over the box that holds ink:
    the masks searched here cover a third of the page on average, and labelling is the larger
    part of the detector's time (31 of 83 ms a page before). Same labels and page-pixel stats."""
    x, y, w, h = cv2.boundingRect(binary)
    labels = np.zeros(binary.shape, np.int32)
    if w == 0 or h == 0:
        return 1, labels, np.zeros((1, 5), np.int32)
    n, labels[y:y + h, x:x + w], stats, _ = cv2.connectedComponentsWithStats(binary[y:y + h, x:x + w], connectivity=8)
    stats[1:, 0] += x
    stats[1:, 1] += y
    return n, labels, stats


def _blobs(ink: np.ndarray, coloured: np.ndarray, px_per_in: float, reach_in: float = 0.06) -> list[Blob]:
    """Pieces of ink lying within `reach_in` inches of each other, each group a blob."""
    k = max(3, int(px_per_in * reach_in)) | 1
    joined = cv2.dilate(ink.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, labels, stats = _components(joined)
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


def outline_coverage(mask: np.ndarray, box: tuple[int, int, int, int], px_per_in: float) -> float:
    """How much of a stamp's border the blob's ink draws, 0..1: the ink's minimum-area rectangle is
    followed along its edge (rectangular stamps) and along the ellipse inscribed in it (round and
    oval ones), and the better share of points with ink close by is returned. Every stamp has such
    a closed border; a signature, a word or a logo's letters cross it at a few places only."""
    found = outline_shares(mask, box, px_per_in)
    return max(found[0], found[1]) if found else 0.0


def outline_shares(mask: np.ndarray, box: tuple[int, int, int, int], px_per_in: float):
    """(ellipse share, rectangle share, the inscribed ellipse as (cx, cy, a, b, angle) in page
    pixels) for outline_coverage, or None for too little or too small ink."""
    x0, y0, x1, y1 = box
    crop = mask[y0:y1, x0:x1].astype(np.uint8)
    ys, xs = np.nonzero(crop)
    if len(xs) < 20:
        return None
    (cx, cy), (rw, rh), angle = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
    if min(rw, rh) < px_per_in * 0.3:
        return None
    tol = max(2, int(round(px_per_in * 0.035)))
    near = cv2.dilate(crop, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tol + 1, 2 * tol + 1)))
    inset = tol * 0.6
    a, b = rw / 2 - inset, rh / 2 - inset
    t = np.deg2rad(angle)
    cos_t, sin_t = np.cos(t), np.sin(t)
    k = np.linspace(0, 2 * np.pi, 144, endpoint=False)
    shares = []
    for ux, uy in ((a * np.cos(k), b * np.sin(k)),  # ellipse
                   (np.clip(a * 1.42 * np.cos(k), -a, a), np.clip(b * 1.42 * np.sin(k), -b, b))):  # rectangle
        px = np.clip((cx + ux * cos_t - uy * sin_t).astype(int), 0, crop.shape[1] - 1)
        py = np.clip((cy + ux * sin_t + uy * cos_t).astype(int), 0, crop.shape[0] - 1)
        shares.append(float(near[py, px].mean()))
    return shares[0], shares[1], (cx + x0, cy + y0, a, b, t)


def _seal_score(b: Blob, px_per_in: float, page_h: int, coverage: float) -> float:
    """A stamp: of stamp size, its border drawn (outline_coverage), not filled (QR codes, logos),
    not in the letterhead; blue or violet ink helps where the scan kept colour."""
    w = (b.box[2] - b.box[0]) / px_per_in
    h = (b.box[3] - b.box[1]) / px_per_in
    if not (0.6 <= w <= 2.8 and 0.45 <= h <= 2.8) or max(w, h) / min(w, h) > 2.6 or max(w, h) < 0.8:
        # Under 20 mm across: no organisation's stamp, but a short signature's loops can close
        # an outline (taken for a seal on generated seeds 511 and 541).
        return 0.0
    score = 0.15 + 0.55 * min(1.0, max(0.0, (coverage - 0.6) / 0.3))
    score += 0.15 * min(1.0, b.coloured * 2)
    if 0.02 <= b.fill <= 0.35:
        score += 0.15
    if b.fill > 0.4:
        score -= 0.5  # QR codes and filled logos draw a full square or disc too
    if b.box[1] < page_h * 0.1:
        score -= 0.5  # letterhead logos sit at the top; the applicant certifies at the end of the text
    return max(0.0, min(1.0, score))


def _bars(ink: np.ndarray, box) -> bool:
    """A barcode: most of its inked columns are inked from top to bottom (upright bars of one
    height). A signature's strokes cross a column once or twice, rarely along its height."""
    x0, y0, x1, y1 = (int(v) for v in box)
    sub = ink[y0:y1, x0:x1]
    if sub.shape[0] < 8 or sub.shape[1] < 20:
        return False
    inked = sub.any(axis=0)
    # Full as the fullest column is: the blob's box may stand taller than the bars (a speck
    # below them; a grayscale barcode 0.37 inch high in a box of 0.45, generated set 711, file 110).
    fill = sub.mean(axis=0)
    top = float(fill.max())
    full = fill >= 0.85 * top
    return top >= 0.6 and int(inked.sum()) >= 20 and float(full[inked].mean()) >= 0.6


def _signature_score(b: Blob, ink: np.ndarray, px_per_in: float, page_h: int) -> float:
    w = (b.box[2] - b.box[0]) / px_per_in
    h = (b.box[3] - b.box[1]) / px_per_in
    # Narrower than half an inch: a word or a stain, unless in blue or violet ink (print is
    # black; short initials of 0.4-0.55 inch are generated too) or standing 0.35 inch tall (no
    # line of print does; black initials 0.47 inch wide were missed on set 671).
    narrowest = 0.4 if b.coloured >= 0.5 or h >= 0.35 else 0.55
    if not (narrowest <= w <= 3.5 and 0.22 <= h <= 1.6) or _bars(ink, b.box):
        # Lower than 0.22 inch: a line of print the reader missed (body text at 14 pt is 0.2
        # inch from ascender to descender); the generated signatures stand 0.28-2.1 inch,
        # handwritten ones rarely less. A barcode's thin bars have a signature's size and strokes.
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


# The seal score from which the best stamp found is taken as present, once every search has run
# (the searches go on while the best scores under 0.6). Pages without a stamp scored at most 0.45
# on eleven generated sets (511-641) bar two taken for stamps (0.64, 0.69); worn stamps missed
# at 0.55 scored 0.52 and 0.54 (set 641): the level sits between.
SEAL_AT = 0.5
FAINT_BELOW_PAPER = 25  # gray levels under the paper's where a lightly pressed stamp's ink still shows
WORK_DPI = 100.0  # marks are large: a coarse raster finds them as well, at a ninth of the cost


def find_marks(img: np.ndarray, px_per_in: float, text_boxes: list[tuple[float, float, float, float]],
               bitonal: bool = False) -> tuple[Found, Found]:
    """(seal, signature) on one page raster; `text_boxes` are confidently read words in its pixels.
    Boxes come back in the same pixels. `bitonal`: the scan was black and white, so the greys of
    its (downscaled) raster tell thick strokes from thin ones, not a pen's ink from a stamp's."""
    k = min(1.0, WORK_DPI / px_per_in)
    if k < 1.0:
        h0, w0 = img.shape[:2]
        img = cv2.resize(img, (max(1, int(w0 * k)), max(1, int(h0 * k))), interpolation=cv2.INTER_AREA)
        text_boxes = [tuple(v * k for v in b) for b in text_boxes]
    seal, sig = _find(img, px_per_in * k, text_boxes, bitonal)
    if k < 1.0:
        seal.bbox = tuple(v / k for v in seal.bbox) if seal.bbox else None
        sig.bbox = tuple(v / k for v in sig.bbox) if sig.bbox else None
    return seal, sig


def _find(img: np.ndarray, px_per_in: float, text_boxes, bitonal: bool) -> tuple[Found, Found]:
    ink, coloured = ink_masks(img)
    h, w = ink.shape
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img
    # On a colour page seals and signatures are the blue/violet ink; printed text is black.
    colour_page = coloured.sum() > (px_per_in * 0.5) ** 2 * 0.05
    frames: list = []
    rules: list = []
    mask = _without_rules(coloured.copy() if colour_page else _without_words(ink, text_boxes, px_per_in), px_per_in, frames,
                          coloured if colour_page else ink, rules)
    # A black pen's signature on a colour page: black ink outside the read words, taken as a
    # signature only when it stands tall and thin-stroked as handwriting (unread print does not).
    black_rules: list = []
    black = _without_rules(_without_words(ink & ~coloured, text_boxes, px_per_in), px_per_in,
                           rules_out=black_rules) if colour_page else None
    # Where the scan kept its tones, a pen stroke is darker than stamp ink: apart, a signature
    # written across a stamp no longer hides the stamp's border, and shows as itself.
    dark = mask & (gray < _dark_level(gray))
    # A bitonal page has no pale ink to tell apart. Its raster, an average of black and white,
    # has greys, but they only make a stamp's bold letters (a city's name across it) look darker
    # than its rings, like a pen's.
    toned = not bitonal and dark.sum() < 0.9 * max(1, mask.sum())
    seal, seal_blob, oval, corners, circle, blobs = _seek_seal(mask, coloured, dark if toned else None, frames,
                                                               coloured if colour_page else ink, px_per_in)
    sig = Found(False, 0.0, None)
    if not seal.present and not colour_page and not bitonal:
        # A stamp pressed lightly on a grayscale scan, most of its ink paler than the level ink
        # is cut at (generated set 651, file 97): sought again in all that is darker than paper.
        faint_ink = gray < _paper_level(gray) - FAINT_BELOW_PAPER
        faint = _without_words(faint_ink, text_boxes, px_per_in)
        # Only where pale ink lies apart from the darker (print's anti-aliased edges do not): 24
        # such pixels or more at 100 dpi on the captured pages with a faint stamp, none on nine in
        # ten without one (35 at most).
        apart = faint & ~cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        found = None
        if apart.sum() >= 0.002 * px_per_in ** 2:
            faint_frames: list = []
            faint = _without_rules(faint, px_per_in, faint_frames, faint_ink)
            found = _seek_seal(faint, coloured, None, faint_frames, faint_ink, px_per_in)
        if found is not None and found.seal.score > seal.score:
            # Taken as the stamp at the same level as a worn border below (SEAL_AT): on 2,997
            # captured pages the faint search scored stamps 0.555-0.85, pages without one 0.40 at most.
            seal, seal_blob, oval, corners, circle = found.seal, None, found.oval, found.corners, found.circle
    if not seal.present and seal.score >= SEAL_AT:
        seal.present = True  # no search found better: a worn border just short of the coverage asked
    rest = mask
    if seal.present and toned and _black_stamp(gray, mask, seal.bbox):
        # A stamp as dark as print (a bitonal scan saved as JPEG, read as grayscale; black ink):
        # its bold letters stand out darker than its thin rings, as a pen's stroke would.
        toned = False
    if seal.present:
        # Signatures are sought in the ink left once the stamp is taken out, and among dark strokes.
        outside = np.ones(mask.shape, bool)
        if oval is not None:
            cx, cy, a, b, t = oval
            x0, y0, x1, y1 = _widened(_oval_box((cx, cy, a * 1.08, b * 1.08, t)), 2, mask.shape)
            yy, xx = np.ogrid[y0:y1, x0:x1]
            outside[y0:y1, x0:x1] = _oval_dist(xx, yy, oval) > 1.08
        elif corners is not None:
            # A turned rectangular stamp by its own outline, with its border's width: its upright
            # box's corners can hold a signature run out of it (generated set 581, file 138).
            inside = np.zeros(mask.shape, np.uint8)
            cv2.fillPoly(inside, [np.round(corners).astype(np.int32)], 1)
            k = 2 * int(round(px_per_in * 0.05)) + 1
            outside = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))) == 0
        else:
            # With the border's own width: a box can be found a few pixels inside its outer edge.
            x0, y0, x1, y1 = (int(v) for v in _widened(seal.bbox, int(round(px_per_in * 0.05)), mask.shape))
            outside[y0:y1, x0:x1] = False
        if toned:
            dark = _dark_strokes(gray, mask, dark, _widened(seal.bbox, int(px_per_in * 0.3), mask.shape), px_per_in)
        rest = mask & (outside | dark) if toned else mask & outside
        # A signature written across a turned stamp's border is cut by its outline into strokes
        # a little apart (generated set 581, file 138): they are taken together.
        blobs = _blobs(rest, coloured, px_per_in, reach_in=0.12 if corners is not None else 0.06)
    candidates = []
    grown = seal.bbox
    for b in blobs:
        if seal.present and (b is seal_blob or _iou(b.box, seal.bbox) > 0.6
                             or (_inside(b.box, seal.bbox) > 0.85 and not (_darker(gray, mask, b.box, seal.bbox, rest) and _long_stroke(rest, b.box, px_per_in)))):
            # The stamp itself, where its ink is as dark as a pen's, or its letters:
            # inside a stamp only a darker stroke is a pen's (same-tone strokes inside a stamp are
            # told by their shape: _strokes_inside).
            continue
        if seal.present and _stamp_rim(rest, b.box, seal.bbox, px_per_in):
            continue
        if corners is not None and _stamp_side(rest, b.box, corners, px_per_in):
            continue
        if _print_row(rest, b.box, px_per_in):
            continue
        if seal.present and corners is None and _iou(_widened(b.box, int(px_per_in * 0.05), mask.shape), seal.bbox) > 0 \
                and _rest_of_oval(mask, rest, b.box, seal.bbox, px_per_in):
            if oval is None:
                grown = _union(grown, b.box)  # the stamp found as one blob of its rim is the whole oval
            continue
        if _in_cell(b.box, rules[0], px_per_in):
            continue  # print in a table cell the reader missed (a bold header), not a signature
        if _word_in_line(b.box, text_boxes, px_per_in):
            continue
        candidates.append(b)
    seal.bbox = grown
    sig = _best_signature(candidates, ink, px_per_in, sig)
    if black is not None and not sig.present:
        stamp = seal.bbox if seal.present else None
        sig = _black_signature(_blobs(black, coloured, px_per_in), black, coloured, gray, ink, black_rules[0], stamp, px_per_in, sig)
    if black is not None and seal.present and not sig.present:
        # A black pen's stroke across a coloured stamp is cut where it crosses the stamp's ink
        # (those pixels are coloured, but much darker than the stamp's own): joined again there.
        near, cut = _cut_stroke(black, coloured, img.max(axis=2), seal.bbox, px_per_in)
        sig = _black_signature(cut, near, coloured, gray, ink, black_rules[0], seal.bbox, px_per_in, sig)
        if not sig.present:
            # The pen joined to the stamp's own ink greyed by the scan (not coloured) in a blob
            # too tall for a signature (generated set 611, file 148): the pen is the black ink
            # darker than the stamp's darkest.
            pen = near & (gray < _stamp_dark(gray, coloured, seal.bbox))
            sig = _black_signature(_blobs(pen, coloured, px_per_in), pen, coloured, gray, ink, black_rules[0], seal.bbox, px_per_in, sig)
    if colour_page and seal.present and not sig.present:
        # A blue pen across a violet stamp (or the reverse), as pale as the stamp's ink: told by its
        # hue, or by its deeper colour.
        other = _other_ink(img, coloured, seal.bbox, px_per_in)
        # A thin pen's stroke at 100 dpi breaks into pieces a few pixels long: joined across
        # a pixel's gap before its length is asked.
        sig = _best_signature([b for b in _blobs(other, coloured, px_per_in)
                               if _long_stroke(other, b.box, px_per_in, 0.4, bridge=True)], ink, px_per_in, sig)
    blob_fit = None
    if seal.present and not sig.present and oval is None and seal_blob is not None:
        # A stamp found as a blob whose edge is one oval filling its box is an oval stamp alone,
        # turned or not: its rings are followed by that oval, not by a circle that matched its
        # box (generated set 841, file 72), and nothing runs out of it (841/16, 851/77).
        blob_fit = _fit_oval(mask, seal_blob.box, px_per_in, filling=True)
    blob_oval = blob_fit[1] if blob_fit is not None and blob_fit[0] >= 0.85 else None
    if seal.present and not sig.present:
        inside = _strokes_inside(mask, seal, seal_blob, blob_fit, oval if oval is not None else blob_oval, circle, px_per_in)
        if inside is not None:
            sig = inside
    if seal.present and not sig.present and seal_blob is not None and blob_oval is None \
            and outline_coverage(mask, seal_blob.box, px_per_in) < 0.85:
        # A signature written across the seal merges with it (its border no longer follows the
        # blob's outline): look for strokes reaching out of the stamp.
        extra = _strokes_outside(mask, seal_blob.box, px_per_in)
        if extra is not None:
            sig = extra
    return seal, sig


class _Stamp(NamedTuple):
    """What the stamp search found."""
    seal: Found
    blob: Blob | None  # the blob it was found as
    oval: tuple | None  # its outline as (cx, cy, semi-axis a, semi-axis b, angle in radians)
    corners: np.ndarray | None  # a turned rectangular stamp's four corners on the page
    circle: tuple | None  # the best ring on the page: (score, (cx, cy, r))
    blobs: list  # the searched mask's blobs


def _seek_seal(mask: np.ndarray, coloured: np.ndarray, dark: np.ndarray | None, frames: list,
               turned_source: np.ndarray, px_per_in: float) -> _Stamp:
    """The best stamp in `mask`. `dark`: the pen-dark ink where the scan kept its tones, else
    None; `frames`: closed rectangular borders; `turned_source`: the ink a turned rectangular
    stamp is sought in."""
    h = mask.shape[0]
    blobs = _blobs(mask, coloured, px_per_in)
    seal = Found(False, 0.0, None)
    seal_blob = None
    dark_boxes = [b.box for b in _blobs(dark, coloured, px_per_in)] if dark is not None else []
    # Pale ink away from the pen strokes' anti-aliased fringe, which would join them to the stamp.
    pale = mask & ~cv2.dilate(dark.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) if dark is not None else None
    for source, candidates in (("all", blobs), ("pale", _blobs(pale, coloured, px_per_in) if pale is not None else [])):
        for b in candidates:
            if source == "pale" and any(_iou(b.box, d) > 0.6 for d in dark_boxes):
                continue  # the pale rim around something printed dark (a QR code, a logo), not stamp ink
            s = _seal_score(b, px_per_in, h, outline_coverage(mask if source == "all" else pale, b.box, px_per_in))
            if s > max(seal.score, SEAL_AT - 0.1) and _pieces(mask if source == "all" else pale, b.box) <= 4:
                # A few long strokes closing an outline (a signature's loops over its line): a
                # stamp's letters, or the specks of a worn one, are many pieces.
                s = min(s, SEAL_AT - 0.1)
            if s > seal.score:
                seal, seal_blob = Found(s >= 0.6, s, b.box), (b if source == "all" else None)
    for fb in frames:
        # A rectangular stamp's closed border, found whole even where a signature runs into it
        # and makes one blob of no stamp's shape with it.
        x0, y0, x1, y1 = fb
        sub = mask[y0:y1, x0:x1]
        cnt = int(sub.sum())
        if cnt == 0:
            continue
        b = Blob(fb, cnt, cnt / float(max(1, (x1 - x0) * (y1 - y0))),
                 float((coloured[y0:y1, x0:x1] & sub).sum()) / cnt, 0.0, 0.0)
        s = _seal_score(b, px_per_in, h, outline_coverage(mask, fb, px_per_in))
        if s > seal.score:
            seal, seal_blob = Found(s >= 0.6, s, fb), None
    # A round stamp touched by a signature is one blob of no stamp's shape: look for the ring itself.
    oval = None  # the found stamp's outline as (cx, cy, semi-axis a, semi-axis b, angle in radians)
    corners = None  # a turned rectangular stamp's four corners
    circle = _best_circle(mask, coloured, px_per_in, h)
    tighter = circle is not None and circle[0] >= max(0.6, seal.score - 0.05) and seal.bbox is not None \
        and _iou(_disc_box(circle[1]), seal.bbox) < 0.8
    if circle is not None and (circle[0] > seal.score or tighter):
        # A ring as good as the best blob but tighter than it: the blob is the stamp with a signature grown on.
        score, (cx, cy, r) = circle
        if tighter and _inside(_disc_box(circle[1]), seal.bbox) < 0.95:
            # Unless the ring is the end of an oval stamp whose rim broke into two blobs, the
            # ring and the blob beside it (generated set 741, file 146): the oval filling both.
            both = _union(_disc_box(circle[1]), seal.bbox)
            fit = _fit_oval(mask, both, px_per_in, filling=True)
            if fit is not None and fit[0] >= 0.85:
                seal, oval = _oval_found(fit, mask, coloured, both), fit[1]
        if oval is None:
            seal = Found(score >= 0.6, score, _disc_box((cx, cy, r)))
            oval = (cx, cy, r, r, 0.0)
        seal_blob = None
    if not seal.present or (oval is not None and seal.score < 0.75):
        # A ring found weakly may be an oval stamp's end, the circle through its tighter curve
        # (a bitonal page of generated set 671, file 54): the oval is sought as well.
        found = _best_oval(blobs, mask, coloured, px_per_in, h)
        if found is not None and found[0].score > seal.score:
            (seal, oval), seal_blob = found, None
    held = [b for b in blobs if _inside(seal.bbox, b.box) > 0.9 and _area(b.box) > 1.5 * _area(seal.bbox)] \
        if oval is not None and seal_blob is None else []
    weak = not seal.present or (oval is not None and seal.score < 0.75)
    if weak or held or (seal_blob is not None and seal.score < 0.75):
        # A weak oval may be a worn rectangular stamp turned on the page, the oval through its
        # corners and letters (a bitonal page of generated set 751, file 51); a ring within a
        # larger blob, the circle through a turned rectangular stamp's letters and border
        # (generated set 831, file 56); a blob found weakly, the part of a worn turned stamp
        # whose border broke (set 791, file 89).
        turned = _turned_frame(blobs if weak else held or [seal_blob], turned_source, coloured, px_per_in, h)
        if turned is not None and turned[0].score > seal.score:
            (seal, corners), seal_blob, oval = turned, None, None
    if not seal.present:
        # A worn stamp left as separate dashes and specks, none of them a stamp-sized blob: the
        # pieces lying within a quarter inch of each other are taken together and an oval fitted.
        found = _best_oval(_blobs(mask, coloured, px_per_in, reach_in=0.25), mask, coloured, px_per_in, h)
        if found is not None and found[0].score > seal.score:
            (seal, oval), seal_blob = found, None
    if oval is None and seal.present and circle is not None and _iou(_disc_box(circle[1]), seal.bbox) > 0.8:
        # A round stamp found as a blob is taken out by its ring, not its box: a signature
        # running past the box's corner lies outside the ring (generated set 711, file 130).
        cx, cy, r = circle[1]
        oval = (cx, cy, r, r, 0.0)
    if oval is not None:
        # A stamp of two rings with its name between them, found by its inner ring: the stamp is
        # the outer one (a pen's stroke touching it would be taken for the stamp's letters).
        outer = _outermost_ring(mask, oval, px_per_in)
        if outer is not None:
            oval, seal.bbox = outer, _oval_box(outer)
    return _Stamp(seal, seal_blob, oval, corners if oval is None else None, circle, blobs)


def _disc_box(disc) -> tuple[int, int, int, int]:
    cx, cy, r = disc
    return int(cx - r), int(cy - r), int(cx + r), int(cy + r)


def _without_words(mask: np.ndarray, boxes, px_per_in: float) -> np.ndarray:
    """The mask without the read words' ink. A "word" taller than 0.45 inch (32 pt print with
    its descenders) is no print: the reader took a signature for one (generated seed 541); nor
    is one a third of an inch tall and short, below the letterhead: initials read as a word
    (0.64 by 0.42 inch, set 631, file 22; in the letterhead, logos read as words are as tall)."""
    out = mask.copy()
    h, w = out.shape
    pad = max(1, int(px_per_in * 0.01))
    for x0, y0, x1, y1 in boxes:
        tall = y1 - y0
        if tall > px_per_in * 0.45 or (tall > px_per_in * 0.33 and x1 - x0 < 2.5 * tall and y0 > h * 0.12):
            continue
        out[max(0, int(y0) - pad):min(h, int(y1) + pad), max(0, int(x0) - pad):min(w, int(x1) + pad)] = False
    return out


def _without_rules(mask: np.ndarray, px_per_in: float, frames: list | None = None,
                   source: np.ndarray | None = None, rules_out: list | None = None) -> np.ndarray:
    """Long straight rules (tables, signature lines) are not marks. A rule on a skewed scan is a
    staircase of short runs, so it is thickened across its direction before the opening finds it.
    The border of a rectangular stamp is made of such rules too: it is found in `source` (the ink
    before the read words were masked: a stamp's text often touches its border, and the word's
    box would cut it), kept whole, and its box added to `frames` when a list is given."""
    line_len = max(15, int(px_per_in * 0.8))
    rules = np.bitwise_or(*_rule_parts(mask, px_per_in, line_len, line_len))
    if source is None:
        source = mask
    # A flat stamp's sides are shorter than a table rule: its border is sought with shorter ones.
    keep, boxes = _frames(*_rule_parts(source, px_per_in, int(px_per_in * 0.5), int(px_per_in * 0.35)), source, px_per_in)
    if frames is not None:
        frames.extend(boxes)
    if rules_out is not None:
        rules_out.append(rules & ~keep)
    if not rules.any() and not keep.any():
        return mask
    out = mask & ~(cv2.dilate(rules & ~keep, np.ones((3, 3), np.uint8)).astype(bool))
    return out | (keep.astype(bool) & source)


def _rule_parts(mask: np.ndarray, px_per_in: float, h_len: int, v_len: int) -> tuple[np.ndarray, np.ndarray]:
    m8 = mask.astype(np.uint8)
    horiz = cv2.morphologyEx(cv2.dilate(m8, np.ones((5, 1), np.uint8)), cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    vert = cv2.morphologyEx(cv2.dilate(m8, np.ones((1, 5), np.uint8)), cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8))
    return horiz, vert


def _frames(horiz: np.ndarray, vert: np.ndarray, ink: np.ndarray, px_per_in: float) -> tuple[np.ndarray, list]:
    """Rules (found in `ink`) that close a stamp-sized rectangle (rules along all four sides,
    none across the middle: a table has inner rules, a stamp only its inset second border): a
    0/1 mask of them and their boxes."""
    lines = horiz | vert
    # A worn stamp's border has gaps: its sides are joined across them before being measured.
    joined = cv2.dilate(lines, np.ones((7, 7), np.uint8))
    n, labels, stats = _components(joined)
    keep = np.zeros_like(lines)
    boxes = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        wi, hi = w / px_per_in, h / px_per_in
        if not (0.6 <= wi <= 4.0 and 0.45 <= hi <= 4.0):
            continue
        own = (labels[y:y + h, x:x + w] == i) & (lines[y:y + h, x:x + w] > 0)
        hz, vt = (horiz[y:y + h, x:x + w] > 0) & own, (vert[y:y + h, x:x + w] > 0) & own
        # Whole, or (a signature's strokes run out of the stamp and joined to its border, so that
        # together they are too big for a stamp or leave a side unclosed) between two of its
        # upright sides or two of its flat ones.
        for bx, by, bw, bh in _frame_boxes(w, h, vt, hz, px_per_in):
            if _closed(hz[by:by + bh, bx:bx + bw], vt[by:by + bh, bx:bx + bw], ink[y + by:y + by + bh, x + bx:x + bx + bw],
                       x + bx, y + by, lines.shape, int(px_per_in * 0.15)):
                keep[y + by:y + by + bh, x + bx:x + bx + bw][own[by:by + bh, bx:bx + bw]] = 1
                boxes.append((int(x + bx) + 3, int(y + by) + 3, int(x + bx + bw) - 3, int(y + by + bh) - 3))  # the joining's margin off
                break
    return keep, boxes


def _frame_boxes(w: int, h: int, vt: np.ndarray, hz: np.ndarray, px_per_in: float):
    """Boxes (x, y, w, h) where a stamp's border may be, in a joined group of rules w x h: the
    whole group, then (only if asked for more) the stamp-sized boxes between its upright sides,
    then those between its flat sides (a pen's stroke run down from one upright side lengthens
    it past the other)."""
    if _stamp_sized(w, h, px_per_in):
        yield 0, 0, w, h
    yield from _between_sides(vt, px_per_in)
    for y, x, bh, bw in _between_sides(np.ascontiguousarray(hz.T), px_per_in):
        if _stamp_sized(bw, bh, px_per_in):
            yield x, y, bw, bh


def _turned_frame(blobs: list[Blob], mask: np.ndarray, coloured: np.ndarray, px_per_in: float, page_h: int):
    """The best rectangular stamp turned by more than the few degrees `_frames` allows, among
    blobs of a stamp's size or a little more (a stamp with a signature run into it): the blob's
    long straight strokes give the turn; turned upright, its straight strokes along the axes
    propose the border's sides, and the rectangle whose outline has the most ink is taken.
    `mask` is the ink before read words were masked (upright word boxes cut a turned border).
    (Found, its four corners on the page) or None; the box is upright on the page (the turned
    border's bounding box)."""
    best = None
    # Around the blob: it lacks the stamp's words that were read (and masked) and, on a bitonal
    # scan, the specks a worn border is left as; wider only when the near search finds nothing
    # (the wider crop holds more that is not the stamp).
    for reach in (0.35, 1.0):
        for b in blobs:
            found = _turned_near(b, mask, coloured, px_per_in, page_h, int(px_per_in * reach))
            if found is not None and (best is None or found[0].score > best[0].score):
                best = found
        if best is not None and best[0].present:
            break
    return best


def _may_hold_stamp(b: Blob, px_per_in: float, page_h: int, longest_in: float) -> bool:
    """Whether a blob may be a stamp with a signature run into it: a stamp's size up to
    `longest_in` inches along its longer side, not filled, not in the letterhead."""
    bw, bh = (b.box[2] - b.box[0]) / px_per_in, (b.box[3] - b.box[1]) / px_per_in
    return 0.6 <= max(bw, bh) <= longest_in and min(bw, bh) >= 0.45 and b.fill <= 0.35 and b.box[1] >= page_h * 0.1


def _widened(box, margin: int, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The box grown by `margin` pixels on every side, within the page."""
    h, w = shape[:2]
    return max(0, box[0] - margin), max(0, box[1] - margin), min(w, box[2] + margin), min(h, box[3] + margin)


def _turned_near(b: Blob, mask: np.ndarray, coloured: np.ndarray, px_per_in: float, page_h: int, margin: int):
    """_turned_frame's search in one blob's box widened by `margin` pixels."""
    if not _may_hold_stamp(b, px_per_in, page_h, 4.5):
        return None
    best = None
    x0, y0, x1, y1 = _widened(b.box, margin, mask.shape)
    crop = mask[y0:y1, x0:x1].astype(np.uint8)
    for angle in _turns(crop, px_per_in):
        rot, back = _upright(crop, angle)
        found = _upright_rect(rot, px_per_in)
        if found is None:
            continue
        coverage, (fx0, fy0, fx1, fy1) = found
        sub = rot[fy0:fy1, fx0:fx1]
        cnt = int(sub.sum())
        col = _upright(coloured[y0:y1, x0:x1].astype(np.uint8), angle)[0][fy0:fy1, fx0:fx1]
        corners = cv2.transform(np.array([[[fx0, fy0], [fx1, fy0], [fx1, fy1], [fx0, fy1]]], np.float32), back)[0]
        box = (x0 + int(corners[:, 0].min()), y0 + int(corners[:, 1].min()),
               x0 + int(corners[:, 0].max()), y0 + int(corners[:, 1].max()))
        # Sized as the stamp itself is (upright), placed where its box is.
        sized = Blob((box[0], box[1], box[0] + fx1 - fx0, box[1] + fy1 - fy0), cnt,
                     cnt / float(max(1, (fx1 - fx0) * (fy1 - fy0))), float((col & sub).sum()) / max(1, cnt), 0.0, 0.0)
        s = _seal_score(sized, px_per_in, page_h, coverage)
        if best is None or s > best[0].score:
            best = (Found(s >= 0.6, s, box), corners + np.float32([x0, y0]))
    return best


def _upright_rect(rot: np.ndarray, px_per_in: float, most: int = 6):
    """(outline coverage, (x0, y0, x1, y1)) of the stamp-sized rectangle, sides along the axes,
    whose outline has the most ink nearby, with sides taken from the long straight strokes along
    the axes; None without two such strokes each way or with a rule across its middle (a table)."""
    seg = _straight_strokes(rot, px_per_in, 0.3, 0.2)
    flat = seg[np.abs(seg[:, 3] - seg[:, 1]) <= 0.05 * np.abs(seg[:, 2] - seg[:, 0])]
    tall = seg[np.abs(seg[:, 2] - seg[:, 0]) <= 0.05 * np.abs(seg[:, 3] - seg[:, 1])]
    if len(flat) < 2:
        return None
    ys = _levels((flat[:, 1] + flat[:, 3]) / 2, most)
    # Upright sides: upright strokes, or where the flat ones end (a side worn to specks).
    xs = _levels(np.concatenate([(tall[:, 0] + tall[:, 2]) / 2, [flat[:, [0, 2]].min()], [flat[:, [0, 2]].max()]]), most)
    tol = max(2, int(round(px_per_in * 0.035)))
    near = cv2.dilate(rot, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tol + 1, 2 * tol + 1))) > 0
    rects = []
    for i, top in enumerate(ys):
        for bottom in ys[i + 1:]:
            for j, left in enumerate(xs):
                for right in xs[j + 1:]:
                    if not _stamp_sized(int(right - left), int(bottom - top), px_per_in):
                        continue
                    n = max(8, int((right - left + bottom - top) / 2))
                    t = np.linspace(0, 1, n)
                    px = np.concatenate([left + t * (right - left)] * 2 + [np.full(n, left), np.full(n, right)])
                    py = np.concatenate([np.full(n, top), np.full(n, bottom)] + [top + t * (bottom - top)] * 2)
                    cov = float(near[py.astype(int), px.astype(int)].mean())
                    rects.append((cov, (int(left), int(top), int(right) + 1, int(bottom) + 1)))
    if not rects:
        return None
    # The outermost of the rectangles nearly as well drawn as the best: a side proposed inside
    # the stamp (a pen's straight stroke, a line of its letters) closes a smaller one as well
    # drawn as the stamp's own worn border (generated set 821, file 148).
    top_cov = max(r[0] for r in rects)
    best = max((r for r in rects if r[0] >= top_cov - 0.1), key=lambda r: _area(r[1]))
    x0, y0, x1, y1 = best[1]
    inner = flat[(np.minimum(flat[:, 1], flat[:, 3]) > y0 + (y1 - y0) / 4) & (np.maximum(flat[:, 1], flat[:, 3]) < y1 - (y1 - y0) / 4)]
    if len(inner) and float(np.abs(inner[:, 2] - inner[:, 0]).max()) >= 0.8 * (x1 - x0):
        return None
    return best


def _levels(values: np.ndarray, most: int) -> list[float]:
    """Distinct positions among `values` (within 3 pixels taken as one), ascending; of more
    than `most`, the middle ones are dropped (a stamp's border is its outermost strokes)."""
    out: list[float] = []
    for v in sorted(float(x) for x in values):
        if not out or v - out[-1] > 3:
            out.append(v)
    while len(out) > most:
        out.pop(len(out) // 2)
    return out


def _turns(crop: np.ndarray, px_per_in: float, most: int = 2) -> list[float]:
    """The turns (degrees, -45..45, beyond 4) of a blob's long straight strokes, most common
    first: a turned stamp's four sides share one turn (mod 90); a signature's strokes are short
    and curved."""
    votes: dict[int, float] = {}
    for x0, y0, x1, y1 in _straight_strokes(crop, px_per_in, 0.4, 0.25):
        a = (np.degrees(np.arctan2(y1 - y0, x1 - x0)) + 45) % 90 - 45  # a side and its neighbour, one turn
        k = int(round(a / 3.0)) * 3
        votes[k] = votes.get(k, 0.0) + float(np.hypot(x1 - x0, y1 - y0))
    return [float(k) for k, _ in sorted(votes.items(), key=lambda kv: -kv[1]) if abs(k) > 4][:most]


def _straight_strokes(img: np.ndarray, px_per_in: float, longest_in: float, votes_in: float) -> np.ndarray:
    """Straight strokes at least `longest_in` inches long (Hough segments, gaps up to 0.04 inch
    bridged) as rows of (x0, y0, x1, y1); none as an empty array."""
    segs = cv2.HoughLinesP(img, 1, np.pi / 180, threshold=int(px_per_in * votes_in), minLineLength=int(px_per_in * longest_in),
                           maxLineGap=max(2, int(px_per_in * 0.04)))
    return np.zeros((0, 4)) if segs is None else segs.reshape(-1, 4).astype(float)


def _upright(crop: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """The crop turned by `angle` degrees onto a canvas that holds all of it, and the affine map
    from the turned canvas back to the crop."""
    ch, cw = crop.shape
    side = int(np.ceil(np.hypot(ch, cw)))
    fwd = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
    fwd[:, 2] += (side / 2 - cw / 2, side / 2 - ch / 2)
    return cv2.warpAffine(crop, fwd, (side, side), flags=cv2.INTER_NEAREST), cv2.invertAffineTransform(fwd)


def _stamp_sized(w: int, h: int, px_per_in: float) -> bool:
    wi, hi = w / px_per_in, h / px_per_in
    return 0.6 <= wi <= 2.8 and 0.45 <= hi <= 2.8 and max(wi, hi) / min(wi, hi) <= 2.6


def _between_sides(vt: np.ndarray, px_per_in: float) -> list[tuple[int, int, int, int]]:
    """Stamp-sized boxes (x, y, w, h) spanned by two upright rules of about the same height and
    level, widest first; at most 8 rules are paired."""
    n, _, stats = _components(vt.astype(np.uint8))
    sides = sorted((s for s in stats[1:] if s[3] >= 0.45 * px_per_in), key=lambda s: -s[3])[:8]
    found = []
    for a in sides:
        for b in sides:
            if b[0] <= a[0]:
                continue
            if min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) < 0.85 * max(a[3], b[3]):
                continue
            # Both sides whole: on a stamp turned a few degrees one side starts lower than the other.
            top, bottom = min(a[1], b[1]), max(a[1] + a[3], b[1] + b[3])
            box = (int(a[0]), int(top), int(b[0] + b[2] - a[0]), int(bottom - top))
            if _stamp_sized(box[2], box[3], px_per_in):
                found.append(box)
    return sorted(found, key=lambda bx: -bx[2] * bx[3])


def _closed(hz: np.ndarray, vt: np.ndarray, ink: np.ndarray, x: int, y: int, page_shape: tuple[int, int], edge: int) -> bool:
    """Whether the rules in a box (page position x, y; `ink` the box's ink) draw its four sides
    and nothing across it. Within `edge` pixels of the page's edge a side may be missing."""
    h, w = hz.shape
    band_h, band_w = max(2, h // 6), max(2, w // 6)
    ph, pw = page_shape

    def side(rules: np.ndarray, inked: np.ndarray, axis: int) -> float:
        share = float(rules.any(axis=axis).mean())
        # A worn side is dashes, most shorter than the rules sought: a side drawn as rules over
        # a third of its length and inked along nearly all of it (generated set 781, file 137).
        return max(share, 0.6) if share >= 0.35 and float(inked.any(axis=axis).mean()) >= 0.8 else share

    # A stamp cut off by the paper's edge has no border there; a scan can have a strip past the
    # paper's edge (generated set 751, file 67: 0.11 inch).
    sides = (1.0 if y <= edge else side(hz[:band_h], ink[:band_h], 0), 1.0 if y + h >= ph - edge else side(hz[-band_h:], ink[-band_h:], 0),
             1.0 if x <= edge else side(vt[:, :band_w], ink[:, :band_w], 1), 1.0 if x + w >= pw - edge else side(vt[:, -band_w:], ink[:, -band_w:], 1))
    inner_h = hz[h // 4: h - h // 4, band_w: w - band_w].mean(axis=1) if h > 8 and w > 2 * band_w else np.zeros(1)
    inner_v = vt[band_h: h - band_h, w // 4: w - w // 4].mean(axis=0) if w > 8 and h > 2 * band_h else np.zeros(1)
    return min(sides) >= 0.6 and inner_h.max(initial=0) < 0.8 and inner_v.max(initial=0) < 0.8


def _in_cell(box, rules: np.ndarray, px_per_in: float) -> bool:
    """Whether ruled lines run right above and right below the box across its width: a table
    cell. A signature has at most its signature line under it."""
    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 <= x0 or not rules.any():
        return False
    reach, inset = int(px_per_in * 0.15), int(px_per_in * 0.1)
    above = rules[max(0, y0 - reach):y0 + inset, x0:x1].any(axis=0).mean()
    below = rules[max(0, y1 - inset):y1 + reach, x0:x1].any(axis=0).mean()
    return bool(above >= 0.7 and below >= 0.7)


def _best_oval(blobs: list[Blob], mask: np.ndarray, coloured: np.ndarray, px_per_in: float, page_h: int):
    """(Found, oval) of the best oval stamp whose outline fits a blob's edge (a stamp with a
    signature run into it), or None."""
    best = None
    for b in blobs:
        if not _may_hold_stamp(b, px_per_in, page_h, 4.0):
            continue
        fit = _fit_oval(mask, b.box, px_per_in)
        if fit is None:
            # A worn stamp that thresholding left as specks, with a signature run across it: the
            # oval is fitted to the specks around the blob (the pen's long strokes left out).
            fit = _fit_oval(mask, _widened(b.box, int(px_per_in * 0.5), mask.shape), px_per_in, tries=300, specks=True)
        if fit is None:
            continue
        found = _oval_found(fit, mask, coloured, b.box)
        if best is None or found.score > best[0].score:
            best = (found, fit[1])
    return best


def _oval_found(fit, mask: np.ndarray, coloured: np.ndarray, box) -> Found:
    """The stamp of an oval fitted in `box` (`_fit_oval`'s answer), scored by how much of its
    outline has ink and how much of the box's ink is coloured."""
    share, oval = fit
    x0, y0, x1, y1 = box
    sub = mask[y0:y1, x0:x1]
    colour = float((coloured[y0:y1, x0:x1] & sub).sum()) / max(1, int(sub.sum()))
    score = min(1.0, 0.25 + 0.6 * share + 0.15 * min(1.0, colour * 2))
    return Found(score >= 0.6, score, _oval_box(oval))


def _oval_dist(xx, yy, oval):
    """Distance from the oval's centre in units of its radius in that direction (1 on the outline)."""
    cx, cy, a, b, t = oval
    dx, dy = xx - cx, yy - cy
    u = dx * np.cos(t) + dy * np.sin(t)
    v = -dx * np.sin(t) + dy * np.cos(t)
    return np.sqrt((u / max(a, 1e-6)) ** 2 + (v / max(b, 1e-6)) ** 2)


def _oval_box(oval) -> tuple[int, int, int, int]:
    cx, cy, a, b, t = oval
    hw = np.sqrt((a * np.cos(t)) ** 2 + (b * np.sin(t)) ** 2)
    hh = np.sqrt((a * np.sin(t)) ** 2 + (b * np.cos(t)) ** 2)
    return int(cx - hw), int(cy - hh), int(cx + hw), int(cy + hh)


def _fit_oval(mask: np.ndarray, box, px_per_in: float, tries: int = 150, specks: bool = False, filling: bool = False):
    """(share of the outline with ink, oval) of the best stamp-sized oval through the blob's outer
    edge, by random samples of six edge points (a signature sticking out spoils a few samples,
    not the fit), or None. With `specks`, through the small pieces of ink in the box instead.
    Rejected: outlines mostly without ink, a filled inside, ink around the outside (a block of
    unread print). With `filling`, only ovals that fill the box: the box is a stamp's alone, and
    its outline is the outer ring, not an inner one."""
    x0, y0, x1, y1 = box
    crop = mask[y0:y1, x0:x1].astype(np.uint8)
    if specks:
        _, _, stats, centres = cv2.connectedComponentsWithStats(crop, connectivity=8)
        tiny = max(2, int(px_per_in * 0.08))
        pts = centres[1:][(stats[1:, 2] <= tiny) & (stats[1:, 3] <= tiny)].astype(np.float32)
        if len(pts) < 30:
            return None
    else:
        contours, _ = cv2.findContours(cv2.dilate(crop, np.ones((3, 3), np.uint8)), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        if not contours:
            return None
        pts = np.vstack([c.reshape(-1, 2) for c in contours]).astype(np.float32)
        if len(pts) < 40:
            return None
    h, w = mask.shape
    tol = max(2, int(round(px_per_in * 0.03)))
    near = cv2.dilate(mask.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tol + 1, 2 * tol + 1))) > 0
    rng = np.random.default_rng(0)

    def along(e, scale: float) -> float:
        hits, _ = _inked_on_oval(near, e, scale)
        return hits / _OVAL_POINTS

    ovals = []
    # Besides the samples, the oval of all the ink's spread, grown a little: a worn stamp is many
    # pieces, each with its own edge, and six points seldom all fall on its rim (generated set
    # 661, file 144), but its rim is what lies outermost.
    ys, xs = np.nonzero(crop)
    spread = cv2.fitEllipse(np.column_stack([xs, ys]).astype(np.float32)) if len(xs) >= 5 else None
    samples = [spread[:1] + ((spread[1][0] * k, spread[1][1] * k),) + spread[2:] for k in (1.0, 1.04, 1.08)] if spread else []
    # Six distinct edge points a sample, drawn at once (a draw per sample was a worn page's
    # largest cost); the few rows with a point twice are drawn again.
    picks = rng.integers(0, len(pts), size=(tries, 6))
    for i in np.flatnonzero((np.diff(np.sort(picks, axis=1), axis=1) == 0).any(axis=1)):
        picks[i] = rng.choice(len(pts), 6, replace=False)
    for i in range(tries + len(samples)):
        try:
            (cx, cy), (ax, ay), ang = samples[i - tries] if i >= tries else cv2.fitEllipse(pts[picks[i]])
        except cv2.error:
            continue
        # An oval stamp is 18 mm across at least; a signature's loops are smaller.
        if not (np.isfinite(ax) and np.isfinite(ay)) or min(ax, ay) < 0.7 * px_per_in or max(ax, ay) > 2.8 * px_per_in \
                or max(ax, ay) > 2.6 * min(ax, ay):
            continue
        e = (cx + x0, cy + y0, ax / 2, ay / 2, np.deg2rad(ang))
        if not filling or _iou(_oval_box(e), box) >= 0.8:
            ovals.append(e)
    if not ovals:
        return None
    # All samples' outlines looked up at once: the lookups were most of a worn page's time.
    shares = _inked_on_ovals(near, np.array(ovals, dtype=np.float64), 1.0)[0] / _OVAL_POINTS
    fits = sorted(zip(shares.tolist(), ovals), key=lambda f: -f[0])
    # The best fit with no ink around its outside: a stamp's inner ring has its outer ring there,
    # the next fits are that outer ring.
    for share, e in fits[:5]:
        if share < 0.7:
            return None
        if along(e, 1.25) > 0.5:
            continue
        bx0, by0, bx1, by1 = _oval_box(e)
        yy, xx = np.ogrid[max(0, by0):min(h, by1), max(0, bx0):min(w, bx1)]
        inner = _oval_dist(xx, yy, e) < 0.8
        if inner.any() and float(mask[max(0, by0):min(h, by1), max(0, bx0):min(w, bx1)][inner].mean()) > 0.35:
            return None
        return share, e
    return None


def _darker(gray: np.ndarray, mask: np.ndarray, box, around, own: np.ndarray, by: float = 25.0) -> bool:
    """Whether the ink of `own` in `box` is darker than the rest of the ink in `around` (median
    levels): the box alone would also hold the stamp's ink the stroke runs over."""
    x0, y0, x1, y1 = (int(v) for v in around)
    sub, ink, stroke = gray[y0:y1, x0:x1], mask[y0:y1, x0:x1], own[y0:y1, x0:x1]
    inner = np.zeros_like(ink)
    inner[max(0, int(box[1]) - y0):max(0, int(box[3]) - y0), max(0, int(box[0]) - x0):max(0, int(box[2]) - x0)] = True
    mine, rest = sub[stroke & inner], sub[ink & ~(stroke & inner)]
    if len(mine) == 0 or len(rest) == 0:
        return False
    return float(np.median(rest)) - float(np.median(mine)) >= by


def _inside(a, b) -> float:
    """Share of box a's area within box b."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    return ix * iy / max(1, (a[2] - a[0]) * (a[3] - a[1]))


def _area(box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def _union(a, b) -> tuple[int, int, int, int]:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1, (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _best_circle(mask: np.ndarray, coloured: np.ndarray, px_per_in: float, page_h: int):
    """(score, (cx, cy, r)) of the most stamp-like ring on the page, or None."""
    m8 = mask.astype(np.uint8) * 255
    r_min, r_max = int(px_per_in * 0.45), int(px_per_in * 1.2)
    # Searched over the part of the page that has ink (on a colour page, the coloured ink alone):
    # the transform is a fifth of the detector's time. Its corner is kept on a multiple of 3
    # pixels, so that the accumulator's cells (dp 1.5) lie on the whole page's grid. Not the same
    # to the pixel: of 794 captured pages one changed (691/47, its outer ring found, for the better).
    bx, by, bw, bh = cv2.boundingRect(m8)
    if bw < r_min and bh < r_min:
        return None
    ox, oy = max(0, bx - 12) // 3 * 3, max(0, by - 12) // 3 * 3
    crop = m8[oy:by + bh + 12, ox:bx + bw + 12]
    blur = cv2.GaussianBlur(crop, (5, 5), 0)
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=1.5, minDist=r_min * 2, param1=80, param2=22,
                               minRadius=r_min, maxRadius=r_max)
    if circles is None:
        return None
    circles[0][:, 0] += ox
    circles[0][:, 1] += oy
    h, w = mask.shape
    angles = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    tol = max(2, int(round(px_per_in * 0.03)))
    near = cv2.dilate(m8, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tol + 1, 2 * tol + 1))) > 0
    best = None
    for cx, cy, r0 in circles[0][:12]:
        # Hough's radius is rough: the ring is followed at the radius where most of it has ink.
        ring, r = 0.0, r0
        for rr in np.linspace(r0 * 0.9, r0 * 1.1, 9):
            xs = np.clip((cx + rr * np.cos(angles)).astype(int), 0, w - 1)
            ys = np.clip((cy + rr * np.sin(angles)).astype(int), 0, h - 1)
            share = float(near[ys, xs].mean())
            if share > ring:
                ring, r = share, rr
        inner = mask[max(0, int(cy - r * 0.5)):int(cy + r * 0.5), max(0, int(cx - r * 0.5)):int(cx + r * 0.5)]
        density = float(inner.mean()) if inner.size else 1.0
        if ring < 0.45 or density > 0.35 or cy < page_h * 0.1:
            continue  # a broken ring, a filled disc (logo) or the letterhead
        if _longest_gap(near, cx, cy, r, angles) > 0.42:
            # A side of the ring without ink: a signature's strokes and line meeting a circle's
            # lower half (generated sets 641, file 8; 761, file 113: 0.43-0.48 of the ring). A
            # worn stamp keeps ink all round: the rings taken for stamps on 3,392 captured
            # pages left 0.38 of theirs empty at most.
            continue
        if _blank_rows(mask, (cx, cy, r), int(px_per_in * 0.08)) >= 3:
            # Rows of print the reader missed, a circle through them (a table's column of codes,
            # 0.13 inch between its four rows: generated set 831, file 100). A ring's two sides
            # have ink at every height; a worn one's, or a circle through a worn rectangular
            # stamp, all but a band or two (sets 641, file 126; 741, file 78).
            continue
        if _pieces(mask, _disc_box((cx, cy, r * 0.7))) < 5 and _ink_around(mask, (cx, cy, r)) > 0.3:
            # A signature's loops, its strokes running on out of the ring: a stamp's ring holds
            # its letters (or a worn one's specks), or at least nothing leaves it. Unless the ink
            # around is the stamp's own outer ring, drawn round this one (a two-ring stamp found
            # by its inner ring, a word in bold across its field: generated set 731, file 137).
            outer = _outermost_ring(mask, (float(cx), float(cy), float(r), float(r), 0.0), px_per_in)
            if outer is None:
                continue
            r = outer[2]
        box = coloured[max(0, int(cy - r)):int(cy + r), max(0, int(cx - r)):int(cx + r)]
        colour = float(box.mean() / max(mask[max(0, int(cy - r)):int(cy + r), max(0, int(cx - r)):int(cx + r)].mean(), 1e-6)) if box.size else 0.0
        score = min(1.0, 0.25 + 0.6 * ring + 0.15 * min(1.0, colour))
        if best is None or score > best[0]:
            best = (score, (float(cx), float(cy), float(r)))
    return best


def _blank_rows(mask: np.ndarray, disc, least: int) -> int:
    """Runs of at least `least` rows without ink between rows with ink, in the disc's box less
    its top and bottom tenths (where a ring runs along the rows)."""
    cx, cy, r = disc
    h, w = mask.shape
    sub = mask[max(0, int(cy - 0.9 * r)):min(h, int(cy + 0.9 * r)), max(0, int(cx - 1.05 * r)):min(w, int(cx + 1.05 * r))]
    inked = np.flatnonzero(sub.any(axis=1))
    gaps = np.diff(inked) - 1  # blank rows between consecutive inked ones
    return int((gaps >= least).sum())


def _longest_gap(near: np.ndarray, cx: float, cy: float, r: float, angles: np.ndarray) -> float:
    """The longest run of a circle's outline without ink, as a share of the outline; the part off
    the page counts as inked (a stamp cut off at the page's edge)."""
    h, w = near.shape
    xs, ys = (cx + r * np.cos(angles)).astype(int), (cy + r * np.sin(angles)).astype(int)
    on_page = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    empty = on_page & ~near[np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)]
    if empty.all():
        return 1.0
    # Turned to start at an inked point, so that no run wraps round the end.
    runs = np.diff(np.flatnonzero(np.r_[~np.roll(empty, -int(np.argmin(empty))), True])) - 1
    return float(runs.max(initial=0)) / len(angles)


def _strokes_inside(mask: np.ndarray, seal: Found, seal_blob: Blob | None, blob_fit, oval, circle,
                    px_per_in: float) -> Found | None:
    """A signature written inside the stamp in the same tone (a bitonal scan), sought by the
    stamp's shape: the outline found for it, a ring matching it, or the ellipse inscribed in its
    blob when that fits better than a rectangle; else it is taken as rectangular. `blob_fit`:
    _fit_oval's answer (filling) for the blob's box, where the stamp was found as `seal_blob`."""
    ring = oval
    if ring is None and circle is not None and _iou(_disc_box(circle[1]), seal.bbox) > 0.6:
        cx, cy, r = circle[1]
        ring = (cx, cy, r, r, 0.0)
    if ring is None and seal_blob is not None:
        shares = outline_shares(mask, seal_blob.box, px_per_in)
        if shares is not None and shares[0] >= shares[1]:
            # The ellipse inscribed in the blob's box is upright; a turned oval stamp is not, and
            # its own rim, off that ellipse, would pass for strokes across it (generated set 651,
            # file 15): the outline is fitted to the blob's outer edge where that agrees.
            ring = blob_fit[1] if blob_fit is not None else shares[2]
    # In a round stamp: strokes that run across it, where its rings and letters keep their
    # distance from the centre. In a rectangular one: tall strokes in its middle, where it has
    # only its borders' insets and short lines of small letters.
    return _strokes_in_oval(mask, ring, px_per_in) if ring is not None else _strokes_in_rect(mask, seal.bbox, px_per_in)


def _strokes_in_oval(mask: np.ndarray, oval, px_per_in: float) -> Found | None:
    oval = _refit_oval(mask, oval)
    cx, cy, a, b, _ = oval
    r = max(a, b)
    h, w = mask.shape
    x0, y0 = max(0, int(cx - r * 1.6)), max(0, int(cy - r * 1.3))
    x1, y1 = min(w, int(cx + r * 1.6)), min(h, int(cy + r * 1.3))
    crop = mask[y0:y1, x0:x1].astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    dist = _oval_dist(xx, yy, oval)
    spread = px_per_in * 0.25 / ((a + b) / 2)
    rings = _ring_levels(crop, dist, px_per_in)
    picked = []
    for i in range(1, n):
        x, y, bw, bh, cnt = stats[i]
        if bh < px_per_in * 0.2 or cnt < px_per_in * 0.3:
            continue
        own = labels == i
        d = dist[own]
        if d.min() > 1.1 or (d.max() - d.min()) < spread:
            continue  # outside the stamp, or an arc of its rings
        if rings:
            # Two rings with the stamp's name between them: all ink in that band is the stamp's.
            # A pen's stroke reaches out of the stamp, or spans the inner ring's field.
            inner = min(rings) - 0.04
            # With the outline fitted to its ink (_refit_oval), ink past 1.05 of it is off the
            # ring; a pen's stroke may leave the stamp by little more than 0.15 inch.
            away = (d < inner) | (d > 1.05)
            px, py = xx[own][away], yy[own][away]
            out = d[away] > 1.05
            reach = max(np.ptp(px[out]), np.ptp(py[out])) if out.any() else 0
            stroke = _field_stroke(px[~out] - x0, py[~out] - y0, crop.shape, px_per_in)
            if reach < px_per_in * 0.15 and not stroke:
                continue
        else:
            away = np.abs(d - np.median(d)) >= 0.07
            off = d[away]
            if len(off) == 0 or (off.max() - off.min()) < spread:
                # A ring of the stamp's own with its letters touching it (a bitonal scan's bold ink
                # joins them): without the ring, what is left spans no more than a line of letters.
                # A pen's stroke joined to a ring still spans the stamp without it.
                continue
            px, py = xx[own][away], yy[own][away]
            if _stamp_arc(px, py, oval):
                continue
        picked.append((int(px.min()), int(py.min()), int(px.max()) + 1, int(py.max()) + 1))
    if not picked:
        return None
    box = (min(b[0] for b in picked), min(b[1] for b in picked), max(b[2] for b in picked), max(b[3] for b in picked))
    if max(box[2] - box[0], box[3] - box[1]) < px_per_in * 0.3:
        return None
    return Found(True, 0.62, box)


def _word_in_line(box, text_boxes, px_per_in: float) -> bool:
    """Whether the box is a word the reader missed in a line it read: beside a read word (0.12
    inch apart at most), level with that word's line (its top and foot within a third of the
    line's height of the line's) and at most twice as tall (quotes, a comma: 1.76 times). A
    signature after a label stands taller than its line (generated set 791, file 42: '"Seller",'
    unread mid-line)."""
    x0, y0, x1, y1 = box
    gap = 0.12 * px_per_in
    for wx0, wy0, wx1, wy1 in text_boxes:
        if wy1 <= wy0 or not (wx1 - gap <= x0 <= wx1 + gap or wx0 - gap <= x1 <= wx0 + gap):
            continue
        # Measured by the line's words, not the neighbour's alone: "on" stands no higher than
        # its letters' x-height, and the unread '"Buyer",' beside it reaches from the quotes'
        # top to the comma's foot (generated set 901, file 8).
        line = [b for b in text_boxes if wy0 <= (b[1] + b[3]) / 2 <= wy1]
        ly0, ly1 = min(b[1] for b in line), max(b[3] for b in line)
        lh = ly1 - ly0
        if abs(y0 - ly0) <= lh / 3 + 0.04 * px_per_in and abs(y1 - ly1) <= lh / 3 + 0.04 * px_per_in and y1 - y0 <= 2 * lh:
            return True
    return False


def _print_row(mask: np.ndarray, box, px_per_in: float) -> bool:
    """Whether the ink in the box is a row of print the reader missed (a bold heading, a table's
    header, a date): no taller than 0.3 inch, its letters' feet and tops on two straight lines
    (six columns in ten within 0.02 inch of each), and many stems across its middle (ten or more
    an inch). On 18 captured sets such rows were outlined as signatures on 23 pages that had one
    elsewhere; the signatures found there crossed their middle 9.3 times an inch at most."""
    x0, y0, x1, y1 = (int(v) for v in box)
    if y1 - y0 > 0.3 * px_per_in or x1 - x0 < 0.2 * px_per_in:
        return False
    sub = mask[y0:y1, x0:x1]
    cols = np.flatnonzero(sub.any(axis=0))
    if len(cols) < 10:
        return False
    inked = sub[:, cols]
    feet = (inked.shape[0] - 1 - np.argmax(inked[::-1], axis=0)).astype(float)
    tops = np.argmax(inked, axis=0).astype(float)
    tol = max(2.0, 0.02 * px_per_in)
    for edge in (feet, tops):
        # A straight line through the edge, fitted again without its farthest three tenths
        # (descenders, capitals, a scan's tilt).
        k = np.polyfit(cols, edge, 1)
        off = np.abs(edge - np.polyval(k, cols))
        keep = off <= np.percentile(off, 70)
        k = np.polyfit(cols[keep], edge[keep], 1)
        if float((np.abs(edge - np.polyval(k, cols)) <= tol).mean()) < 0.6:
            return False
    h = y1 - y0
    middle = sub[int(h * 0.35):int(h * 0.65) + 1].astype(np.int8)
    stems = float((np.diff(middle, axis=1) == 1).sum(axis=1).mean())
    return stems / ((x1 - x0) / px_per_in) >= 10


def _rest_of_oval(mask: np.ndarray, ink: np.ndarray, box, seal_box, px_per_in: float) -> bool:
    """Whether the ink in `box`, beside the stamp found, is the rest of an oval stamp found by the
    ring through one end of it: one oval's outline fills both boxes, drawn along 0.85 of its
    length, and nine tenths of that ink lie in its rim's band (its border and letters). A pen's
    stroke out of the stamp crosses the band (generated sets 581, file 25; 601, file 65)."""
    fit = _fit_oval(mask, _union(seal_box, box), px_per_in, filling=True)
    if fit is None or fit[0] < 0.85:
        return False
    x0, y0, x1, y1 = (int(v) for v in box)
    ys, xs = np.nonzero(ink[y0:y1, x0:x1])
    d = _oval_dist(xs + x0, ys + y0, fit[1])
    return len(d) > 0 and float(((d >= 0.7) & (d <= 1.1)).mean()) >= 0.9


def _stamp_rim(mask: np.ndarray, box, seal_box, px_per_in: float) -> bool:
    """Whether the ink in `box` lies along one stamp-sized oval centred in or by the found stamp:
    a stretch of its rim run past the outline found for it (an oval stamp found by the circle
    through one end, or part of it). A pen's strokes do not follow an oval."""
    x0, y0, x1, y1 = (int(v) for v in box)
    ys, xs = np.nonzero(mask[y0:y1, x0:x1])
    if len(xs) < 20:
        return False
    xs, ys = xs + x0, ys + y0
    fit = _ellipse_through(xs, ys)
    if fit is None or not (0.3 * px_per_in <= min(fit[2], fit[3]) and max(fit[2], fit[3]) <= 1.4 * px_per_in):
        return False
    sx0, sy0, sx1, sy1 = seal_box
    gx, gy = 0.25 * (sx1 - sx0), 0.25 * (sy1 - sy0)
    if not (sx0 - gx <= fit[0] <= sx1 + gx and sy0 - gy <= fit[1] <= sy1 + gy):
        return False
    return _off_oval(xs, ys, fit) < 0.05


def _stamp_side(mask: np.ndarray, box, corners: np.ndarray, px_per_in: float) -> bool:
    """Whether the ink in `box` is, four parts in five of it, a straight band (0.08 inch across)
    along a side of a turned rectangular stamp's outline, 0.2 inch from it at most: the stamp's
    border run past the outline found for it, darker than the worn letters inside, with specks
    of them (generated set 901, file 8). A pen's strokes are no straight band."""
    x0, y0, x1, y1 = (int(v) for v in box)
    ys, xs = np.nonzero(mask[y0:y1, x0:x1])
    if len(xs) < 20:
        return False
    pts = np.column_stack([xs + x0, ys + y0]).astype(np.float64)
    for p, q in zip(corners, np.roll(corners, -1, axis=0)):
        side = float(np.hypot(*(q - p)))
        if side == 0:
            continue
        u = (q - p) / side
        d = (pts - p) @ np.array([-u[1], u[0]])
        off = float(np.median(d))
        if abs(off) <= 0.2 * px_per_in and np.mean(np.abs(d - off) <= 0.04 * px_per_in) >= 0.8:
            return True
    return False


def _stamp_arc(xs: np.ndarray, ys: np.ndarray, oval) -> bool:
    """Whether points lie along one oval about the stamp's centre, over a quarter of its turn:
    a ring of the stamp's own that no scaled copy of its outline follows (an oval stamp's inner
    ring keeps the band between them even, not the outline's proportions: generated set 781,
    file 38). A pen's curve is no such arc about that centre."""
    cx, cy, a, b, _ = oval
    if len(xs) < 20:
        return False
    turn = np.unique(((np.arctan2(ys - cy, xs - cx) + np.pi) / (2 * np.pi) * 36).astype(int) % 36)
    if len(turn) < 9:
        return False
    fit = _ellipse_through(xs, ys)
    r = max(a, b)
    # About the stamp's centre and of a ring's size: an arc's fit is loose along the arc, an
    # eighth of a turn leaves the centre a fifth of the size off (two arcs of the inner ring).
    if fit is None or np.hypot(fit[0] - cx, fit[1] - cy) > 0.3 * r or not 0.5 * r <= max(fit[2], fit[3]) <= 1.2 * r:
        return False
    return _off_oval(xs, ys, fit) < 0.04


def _ellipse_through(xs: np.ndarray, ys: np.ndarray):
    """The least-squares ellipse through the points as (cx, cy, semi-axis a, semi-axis b, angle
    in radians), or None where the fit degenerates."""
    (fx, fy), (ax, ay), ang = cv2.fitEllipse(np.column_stack([xs, ys]).astype(np.float32))
    if not (np.isfinite(ax) and np.isfinite(ay)):
        return None
    return fx, fy, ax / 2, ay / 2, np.deg2rad(ang)


def _off_oval(xs: np.ndarray, ys: np.ndarray, oval) -> float:
    """How far the points lie off the oval's outline: the median, in units of its size."""
    return float(np.median(np.abs(_oval_dist(xs, ys, oval) - 1.0)))


def _field_stroke(xs: np.ndarray, ys: np.ndarray, shape: tuple[int, int], px_per_in: float) -> bool:
    """Whether ink at (xs, ys) in a stamp's field holds a pen's stroke: 0.3 inch long and no line
    of print, nor words: pieces each a line of print (a field's two lines of bold letters, joined
    at places on a bitonal scan, span no line's band together: generated set 671, file 49). A
    thin pen's stroke on a grayscale scan breaks into pieces too short to tell (set 711, file
    115), with at most one, the stamp's star, as large as a word, the pieces close together.
    `xs`, `ys` are in an image of `shape`."""
    if len(xs) == 0 or max(np.ptp(xs), np.ptp(ys)) < px_per_in * 0.3 or _print_line(xs, ys, px_per_in):
        return False
    field = np.zeros(shape, np.uint8)
    field[ys, xs] = 1
    # Joined across gaps of up to 0.2 inch (a thin pen's stroke breaks at smaller ones), some
    # piece must span 0.3 inch: a line of letters whose two ends alone touch the ring spans the
    # field only with its middle, which is no part of this ink (generated set 811, file 142).
    k = max(3, int(px_per_in * 0.2)) | 1
    joined = cv2.connectedComponentsWithStats(cv2.dilate(field, np.ones((k, k), np.uint8)), connectivity=8)[2][1:]
    if not len(joined) or max(joined[:, 2].max(), joined[:, 3].max()) - k + 1 < px_per_in * 0.3:
        return False
    n, labels, stats, _ = cv2.connectedComponentsWithStats(field, connectivity=8)
    words = 0
    for i in range(1, n):
        if max(stats[i, 2], stats[i, 3]) >= px_per_in * 0.15:
            py, px = np.nonzero(labels == i)
            if not _print_line(px, py, px_per_in):
                return True
            words += 1
    return words < 2


def _strokes_in_rect(mask: np.ndarray, box, px_per_in: float) -> Found | None:
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = mask[y0:y1, x0:x1].astype(np.uint8)
    ys, xs = np.nonzero(crop)
    if len(xs) < 20:
        return None
    (cx, cy), (rw, rh), angle = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
    picked = []
    # Past both borders of a double-bordered stamp; or, without its borders' straight rules,
    # nearer the border: a pen's stroke runs there too, and one run in across the border of a
    # turned stamp may not reach past both (generated set 831, file 145).
    passes = [(crop, 0.18 * min(rw, rh))]
    # Rules turned upright and back are ragged: a turned stamp's inner border is left in pieces
    # by them, taken a little further in (generated set 821, file 24).
    rules = cv2.dilate(_rect_rules(crop, angle, px_per_in), np.ones((3, 3), np.uint8))
    cut, inset = crop & ~rules, px_per_in * (0.05 if _upright_angle(angle) else 0.1)
    passes.append((cut, inset))
    # A pen's stroke across the inner border is cut in two where the border is taken out, each
    # piece too low to tell from letters (generated set 871, file 89): joined again across it.
    k = 2 * max(1, int(round(px_per_in * 0.03))) + 1
    passes.append((cut | (crop & rules & cv2.dilate(cut, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))), inset))
    for part, inset in passes:
        inner = np.zeros_like(crop)
        corners = cv2.boxPoints(((cx, cy), (max(1.0, rw - 2 * inset), max(1.0, rh - 2 * inset)), angle))
        cv2.fillPoly(inner, [corners.astype(np.int32)], 1)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(part & inner, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, cnt = stats[i]
            piece = (labels[y:y + bh, x:x + bw] == i).astype(np.uint8)
            ext = _extents(piece, angle)
            if min(ext) < px_per_in * 0.1 or ext[rw > rh] < px_per_in * 0.18:
                # Letters and lines of the stamp's own text are lower than this, measured across
                # the stamp's long side: in a stamp turned 22 degrees a line of letters stood
                # 0.24 inch on the page, as a pen's stroke does, and 0.11-0.13 across the stamp
                # (generated set 691, file 24; a pen's piece in set 601, file 52: 0.21 inch).
                # A rule's rest is narrower.
                continue
            if 1.0 - float(cv2.erode(piece, np.ones((3, 3), np.uint8)).sum()) / cnt < 0.55:
                # Not a pen's thin stroke: mostly edge pixels. A bold pen on a degraded bitonal
                # scan, alone or joined to the stamp's bold letters, has 0.58-0.59 of them
                # (generated sets 821, file 148; 831, file 25).
                continue
            picked.append((int(x0 + x), int(y0 + y), int(x0 + x + bw), int(y0 + y + bh)))
        if picked:
            break
    if not picked:
        return None
    return Found(True, 0.62, (min(b[0] for b in picked), min(b[1] for b in picked),
                              max(b[2] for b in picked), max(b[3] for b in picked)))


def _upright_angle(angle: float) -> bool:
    """Whether a rectangle turned by `angle` degrees stands within 2 degrees of upright."""
    return min(angle % 90, 90 - angle % 90) <= 2


def _rect_rules(crop: np.ndarray, angle: float, px_per_in: float) -> np.ndarray:
    """The straight rules in `crop` along a rectangle's sides turned by `angle` degrees
    (cv2.minAreaRect's), found with the crop turned upright."""
    n = int(px_per_in * 0.35)
    if _upright_angle(angle):
        return np.bitwise_or(*_rule_parts(crop.astype(bool), px_per_in, n, n))
    turned, back = _upright(crop, angle)
    rules = np.bitwise_or(*_rule_parts(turned.astype(bool), px_per_in, n, n))
    return cv2.warpAffine(rules, back, crop.shape[::-1], flags=cv2.INTER_NEAREST)


def _extents(piece: np.ndarray, angle: float) -> tuple[float, float]:
    """The extents of the ink in `piece` along a rectangle's two sides turned by `angle` degrees
    (cv2.minAreaRect's): (along its width, along its height)."""
    ys, xs = np.nonzero(piece)
    t = np.deg2rad(angle)
    u = xs * np.cos(t) + ys * np.sin(t)
    v = -xs * np.sin(t) + ys * np.cos(t)
    return float(np.ptp(u)) + 1.0, float(np.ptp(v)) + 1.0


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


def _cut_stroke(black: np.ndarray, coloured: np.ndarray, value: np.ndarray, box, px_per_in: float) -> tuple[np.ndarray, list[Blob]]:
    """Black ink over and around a stamp's box, with the stamp's pixels a black pen crossed (much
    darker than the stamp's own ink): the mask, and its blobs."""
    x0, y0, x1, y1 = _widened(box, int(px_per_in * 0.3), black.shape)
    col = coloured[y0:y1, x0:x1]
    if not col.any():
        return black, []
    v = value[y0:y1, x0:x1]
    crossed = col & (v < 0.6 * float(np.median(v[col])))
    near = np.zeros(black.shape, bool)
    near[y0:y1, x0:x1] = black[y0:y1, x0:x1] | crossed
    return near, _blobs(near, coloured, px_per_in)


def _other_ink(img: np.ndarray, coloured: np.ndarray, box, px_per_in: float, apart: int = 12, sat: int = 60,
               deeper: float = 2.0) -> np.ndarray:
    """Coloured ink over and around a stamp's box whose hue is `apart` (OpenCV's 0-180 hue) from
    the stamp's own, the most common there: a violet stamp's ink lies at 130-150, a blue pen's at
    110-120 (generated set 671, file 11). Weakly saturated ink is left out: its hue is noise.
    Also ink of the stamp's hue `deeper` times as saturated as its ink's median: a blue pen over
    a pale blue stamp (sat 39 there, the pen's 80-175: generated set 771, file 19)."""
    x0, y0, x1, y1 = _widened(box, int(px_per_in * 0.3), coloured.shape)
    out = np.zeros(coloured.shape, bool)
    hsv = cv2.cvtColor(_paper_white(img[y0:y1, x0:x1]), cv2.COLOR_RGB2HSV)
    col = coloured[y0:y1, x0:x1] & (hsv[..., 1] >= sat)
    if col.sum() < px_per_in:
        return out
    hue = hsv[..., 0].astype(np.int16)
    d = np.abs(hue - int(np.median(hue[col])))
    deep = hsv[..., 1] >= deeper * np.median(hsv[..., 1][coloured[y0:y1, x0:x1]])
    out[y0:y1, x0:x1] = col & ((np.minimum(d, 180 - d) >= apart) | deep)
    return out


def _outermost_ring(mask: np.ndarray, oval, px_per_in: float, drawn: float = 0.7):
    """The largest ring around `oval`, of its centre and shape, whose outline has ink along
    `drawn` of it and that is still of a stamp's size; None when there is none."""
    cx, cy, a, b, t = oval
    tol = max(2, int(round(px_per_in * 0.03)))
    x0, y0, x1, y1 = _widened(_oval_box((cx, cy, a * 1.8, b * 1.8, t)), 2 * tol, mask.shape)
    near = cv2.dilate(mask[y0:y1, x0:x1].astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tol + 1, 2 * tol + 1))) > 0
    found = None
    for scale in np.arange(1.08, 1.81, 0.02):
        if 2 * max(a, b) * scale > 2.8 * px_per_in:
            break
        hits, seen = _inked_on_oval(near, (cx - x0, cy - y0, a, b, t), scale)
        if seen >= 0.6 * _OVAL_POINTS and hits >= drawn * seen:
            found = (cx, cy, a * scale, b * scale, t)
    return found


def _refit_oval(mask: np.ndarray, oval, near: float = 0.06):
    """The outline fitted again to the ink lying along it (within `near` of it, in units of its
    size), twice. Hough's circles are a few pixels off centre at 100 dpi: enough for a thin inner
    ring to fall outside the band it is looked for in (generated set 661, file 95)."""
    for _ in range(2):
        cx, cy, a, b, t = oval
        x0, y0, x1, y1 = _widened(_oval_box((cx, cy, a * 1.1, b * 1.1, t)), 0, mask.shape)
        yy, xx = np.mgrid[y0:y1, x0:x1]
        on = mask[y0:y1, x0:x1] & (np.abs(_oval_dist(xx, yy, oval) - 1.0) <= near)
        if on.sum() < 2 * np.pi * max(a, b):
            return oval  # too little of the outline inked to fit it better
        (fx, fy), (ax, ay), ang = cv2.fitEllipse(np.column_stack([xx[on], yy[on]]).astype(np.float32))
        if not (np.isfinite(ax) and np.isfinite(ay)) or abs(ax / 2 + ay / 2 - a - b) > 0.1 * (a + b) \
                or np.hypot(fx - cx, fy - cy) > 0.1 * max(a, b):
            return oval
        oval = (float(fx), float(fy), float(ax / 2), float(ay / 2), float(np.deg2rad(ang)))
    return oval


_OVAL_POINTS = 144  # points an oval's outline is followed at


def _inked_on_oval(near: np.ndarray, oval, scale: float) -> tuple[int, int]:
    """(points with ink near them, points within the image) of _OVAL_POINTS along the oval
    grown by `scale`; `near` is the ink mask grown by the tolerance asked."""
    hits, seen = _inked_on_ovals(near, np.array([oval], dtype=np.float64), scale)
    return int(hits[0]), int(seen[0])


def _inked_on_ovals(near: np.ndarray, ovals: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """_inked_on_oval for rows of ovals (cx, cy, a, b, t) at once: two arrays."""
    cx, cy, a, b, t = (ovals[:, i:i + 1] for i in range(5))
    k = np.linspace(0, 2 * np.pi, _OVAL_POINTS, endpoint=False)
    ux, uy = a * scale * np.cos(k), b * scale * np.sin(k)
    px = (cx + ux * np.cos(t) - uy * np.sin(t)).astype(int)
    py = (cy + ux * np.sin(t) + uy * np.cos(t)).astype(int)
    ok = (px >= 0) & (px < near.shape[1]) & (py >= 0) & (py < near.shape[0])
    inked = near[np.where(ok, py, 0), np.where(ok, px, 0)] & ok
    return inked.sum(axis=1), ok.sum(axis=1)


def _ring_levels(crop: np.ndarray, dist: np.ndarray, px_per_in: float, drawn: float = 0.93) -> list[float]:
    """The distances (in units of the stamp's outline, as _oval_dist) at which a ring inside it
    has ink along `drawn` of its length."""
    tol = max(2, int(round(px_per_in * 0.03)))
    near = cv2.dilate(crop, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tol + 1, 2 * tol + 1))) > 0
    levels = []
    for level in np.arange(0.4, 0.94, 0.02):
        band = np.abs(dist - level) <= 0.012
        if band.sum() >= 50 and float(near[band].mean()) >= drawn:
            levels.append(float(level))
    return levels


def _print_line(xs: np.ndarray, ys: np.ndarray, px_per_in: float) -> bool:
    """Whether points lie in a straight band no higher than a line of small print: over half an
    inch long with more ink than one stroke along it (letters' stems cross the band: 1.3-2.4
    pixels a column on eight captured sets; a pen's wavy stroke 0.8 there, 1.1 in the
    synthetic double-ringed oval of tests/test_marks.py) and stems across it (_stem_share; a
    bold pen on a bitonal scan has 2.3-2.8 pixels a column too), or a word or two that
    fills its band as letters do (a bitonal scan's bold letters join up; a pen's stroke, a pixel
    or two wide, fills a band that high thinly)."""
    if len(xs) < 10:
        return True
    pts = np.column_stack([xs, ys]).astype(np.float32)
    pts -= pts.mean(axis=0)
    _, _, vt = np.linalg.svd(pts, full_matrices=False)
    across = pts @ vt[1]
    along = pts @ vt[0]
    high = float(np.percentile(across, 95) - np.percentile(across, 5))
    long_ = float(along.max() - along.min())
    if high >= 0.12 * px_per_in:
        return False
    if long_ > 0.5 * px_per_in and len(xs) >= 1.2 * long_ and _stem_share(along, across, high) >= 0.5:
        return True
    return high >= 0.05 * px_per_in and len(xs) >= 0.6 * long_ * high


def _stem_share(along: np.ndarray, across: np.ndarray, high: float) -> float:
    """The share of a band's columns (a pixel wide along it) whose ink spans 0.6 of its height:
    letters' stems cross a line of print (0.73-0.89 of its columns on eight captured sets; one
    piece on a signed page had 0.44, and no finding changed with it). A
    pen's stroke as bold, or doubled back on itself, runs along the band and crosses it only
    where it turns (0.0-0.15: generated sets 871, file 126; 901, file 144)."""
    cols = np.round(along - along.min()).astype(int)
    lo = np.full(cols.max() + 1, np.inf)
    hi = np.full(cols.max() + 1, -np.inf)
    np.minimum.at(lo, cols, across)
    np.maximum.at(hi, cols, across)
    inked = np.isfinite(lo)
    return float(np.mean((hi - lo + 1)[inked] >= 0.6 * high))


def _piece_sizes(mask: np.ndarray, box, bridge: bool = False) -> np.ndarray:
    """(width, height) of each unbroken piece of the ink in the box (8-connected); with `bridge`,
    gaps of a pixel are closed first."""
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = mask[y0:y1, x0:x1].astype(np.uint8)
    if bridge:
        crop = cv2.dilate(crop, np.ones((3, 3), np.uint8))
    return cv2.connectedComponentsWithStats(crop, connectivity=8)[2][1:, 2:4]


def _long_stroke(mask: np.ndarray, box, px_per_in: float, longest_in: float = 0.3, bridge: bool = False) -> bool:
    """Whether the ink in the box has one unbroken piece `longest_in` inches long at least: a
    pen's stroke; a stamp's letters, however dark, are pieces a letter long."""
    sizes = _piece_sizes(mask, box, bridge)
    return bool(len(sizes) and sizes.max() >= px_per_in * longest_in)


def _black_pen(b: Blob, black: np.ndarray, coloured: np.ndarray, gray: np.ndarray, rules: np.ndarray, stamp,
               px_per_in: float) -> bool:
    """Whether black ink on a colour page may be a pen's signature: standing tall and
    thin-stroked as handwriting (unread print does not), not in a table cell (an unread header),
    not a stamp's own ink greyed by the scan (_darker_than_stamp)."""
    if b.thin <= 0.55 or b.fill >= 0.2 or _in_cell(b.box, rules, px_per_in):
        return False
    tall = (b.box[3] - b.box[1]) >= px_per_in * 0.3
    if stamp is None or _inside(b.box, stamp) <= 0.5:
        return tall
    # Inside a stamp a short pen (0.29 inch high on generated set 671, file 143) is told from
    # unread print by its one unbroken stroke; print there breaks into letters.
    return _darker_than_stamp(gray, black, coloured, b.box, stamp) and (tall or _one_stroke(black, b.box, px_per_in))


def _one_stroke(mask: np.ndarray, box, px_per_in: float) -> bool:
    """Whether one unbroken piece of the ink in the box spans half an inch and stands 0.22 inch
    high, as a pen's stroke does and a printed word (one piece when its letters touch) does not.
    Gaps of a pixel are bridged: where a black pen crosses a stamp's letters its pixels are
    coloured, and a thin stroke at 100 dpi breaks up."""
    sizes = _piece_sizes(mask, box, bridge=True)
    return bool(((sizes[:, 0] >= px_per_in * 0.5) & (sizes[:, 1] >= px_per_in * 0.22)).any())


def _black_signature(blobs: list[Blob], strokes: np.ndarray, coloured: np.ndarray, gray: np.ndarray, ink: np.ndarray,
                     rules: np.ndarray, stamp, px_per_in: float, best: Found) -> Found:
    """The best of `best` and the blobs of black ink that may be a pen's (_black_pen), by their
    signature score."""
    return _best_signature([b for b in blobs if _black_pen(b, strokes, coloured, gray, rules, stamp, px_per_in)],
                           ink, px_per_in, best)


def _best_signature(blobs: list[Blob], ink: np.ndarray, px_per_in: float, best: Found) -> Found:
    """The best of `best` and `blobs` by their signature score."""
    for b in blobs:
        s = _signature_score(b, ink, px_per_in, ink.shape[0])
        if s > best.score:
            best = Found(s >= 0.6, s, b.box)
    return best


def _black_stamp(gray: np.ndarray, mask: np.ndarray, stamp) -> bool:
    """Whether the darkest tenth of the ink in the stamp's box is as dark as the page's darkest
    print (within 15% of the way to the paper; generated set 701, file 38: a bitonal scan in a
    JPEG, 20 on a page of 0-255). A pale stamp with a black pen across it passes too where the pen
    is over a tenth of the box's ink: the page then loses the tone rule, and strokes in the stamp
    are told by shape alone (on thirteen captured sets no other page changed)."""
    x0, y0, x1, y1 = (int(v) for v in stamp)
    own = gray[y0:y1, x0:x1][mask[y0:y1, x0:x1]]
    if len(own) == 0:
        return False
    darkest = float(np.percentile(gray[::4, ::4], 1))
    return float(np.percentile(own, 10)) <= darkest + 0.15 * (_paper_level(gray) - darkest)


def _stamp_dark(gray: np.ndarray, coloured: np.ndarray, stamp) -> float:
    """The gray level of the stamp's darkest tenth of coloured ink (0 where it has none)."""
    s0, t0, s1, t1 = (int(v) for v in stamp)
    stamp_ink = gray[t0:t1, s0:s1][coloured[t0:t1, s0:s1]]
    return float(np.percentile(stamp_ink, 10)) if len(stamp_ink) else 0.0


def _darker_than_stamp(gray: np.ndarray, black: np.ndarray, coloured: np.ndarray, box, stamp, by: float = 15.0) -> bool:
    """Whether the black ink in `box` is darker than the stamp's coloured ink, by the darkest tenth
    of each. A stamp's letters and rings greyed by the scan are no darker than the stamp (they
    also lie within its colour, but so does much of a thin pen crossing its letters); a pen's
    black is, even a thin stroke that the 100-dpi raster paled (seven captured sets, 601-661: pens
    darker by 30-140 levels, greyed stamp ink paler by 16-30). A pen a pixel wide is paler than
    the stamp at 100 dpi where it runs alone; given with the stamp's pixels it crossed
    (_cut_stroke), it is darker (set 601, file 68)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    mine = gray[y0:y1, x0:x1][black[y0:y1, x0:x1]]
    stamp_dark = _stamp_dark(gray, coloured, stamp)
    if len(mine) == 0 or stamp_dark == 0.0:
        return False
    return stamp_dark - float(np.percentile(mine, 10)) >= by


def _pieces(mask: np.ndarray, box) -> int:
    """How many separate pieces of ink (8-connected) the box holds."""
    x0, y0, x1, y1 = box
    return cv2.connectedComponents(mask[y0:y1, x0:x1].astype(np.uint8), connectivity=8)[0] - 1


def _ink_around(mask: np.ndarray, disc) -> float:
    """Ink just outside a ring (out to 1.5 times its radius) for each pixel of ink on it."""
    cx, cy, r = disc
    x0, y0, x1, y1 = _widened(_disc_box((cx, cy, r * 1.5)), 0, mask.shape)
    yy, xx = np.ogrid[y0:y1, x0:x1]
    d = np.hypot(xx - cx, yy - cy) / max(r, 1e-6)
    sub = mask[y0:y1, x0:x1]
    on = int((sub & (np.abs(d - 1.0) <= 0.15)).sum())
    return float((sub & (d > 1.15) & (d <= 1.5)).sum()) / max(1, on)
