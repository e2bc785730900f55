"""Read one page: text layer or OCR, plus its marks. Runs in a worker process;
takes and returns small picklable records, so that only a page's raster is
ever in memory at a time in each worker."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium

from extractors import marks as marks_mod
from extractors import ocr, raster, textlayer
from extractors.preview import render_preview
from extractors.settings import ExtractSettings
from extractors.text import Word


@dataclass(frozen=True)
class PageJob:
    path: str
    kind: str  # pdf | tiff | jpeg | png
    index: int  # 0-based
    settings: ExtractSettings
    preview: bool = False  # also draw a PNG of the page with the marks outlined


@dataclass
class MarkRead:
    present: bool
    score: float
    bbox: tuple[float, float, float, float] | None  # points


@dataclass
class PageRead:
    index: int
    width_pt: float
    height_pt: float
    words: list[Word]
    text_source: str
    rotation: int = 0
    skew_deg: float = 0.0
    colour: str = "colour"
    seal: MarkRead = field(default_factory=lambda: MarkRead(False, 0.0, None))
    signature: MarkRead = field(default_factory=lambda: MarkRead(False, 0.0, None))
    preview: bytes | None = None
    marks_ms: float = 0.0  # time the marks took on this page (bench.marks), not part of the contract


def init_worker() -> None:
    """Each worker runs one tesseract at a time with one thread: no oversubscription."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)


@lru_cache(maxsize=2)
def _pdfium(path: str, mtime: float) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(path)


@lru_cache(maxsize=2)
def _pikepdf(path: str, mtime: float) -> pikepdf.Pdf | None:
    try:
        return pikepdf.open(path)
    except pikepdf.PdfError:
        return None  # pages are rendered by pdfium as before


@lru_cache(maxsize=2)
def _plumber(path: str, mtime: float) -> pdfplumber.PDF:
    return pdfplumber.open(path)


def _mark(found: marks_mod.Found, k: float) -> MarkRead:
    box = tuple(round(v / k, 2) for v in found.bbox) if found.bbox else None
    return MarkRead(found.present, round(found.score, 3), box if found.present else None)


def read_page(job: PageJob) -> PageRead:
    s = job.settings
    mtime = os.path.getmtime(job.path)
    if job.kind == "pdf":
        doc = _pdfium(job.path, mtime)
        layer = textlayer.page_words(_plumber(job.path, mtime), job.index)[0] if textlayer.has_text(doc, job.index) else []
        if textlayer.usable([t for t, _ in layer], s.min_text_quality):
            words = [Word(t, b, 0.99, b) for t, b in layer]
            r = raster.pdf_page(doc, job.index, s.mark_dpi, s.mark_dpi)
            k = r.marks_px_per_pt
            boxes = [tuple(v * k for v in b) for _, b in layer]
            t0 = time.perf_counter()
            seal, sig = marks_mod.find_marks(r.marks_image, k * 72, boxes, r.colour == "bitonal")
            page = PageRead(job.index, r.width_pt, r.height_pt, words, "text_layer", colour=r.colour,
                            seal=_mark(seal, k), signature=_mark(sig, k), marks_ms=(time.perf_counter() - t0) * 1000)
            return _with_preview(page, job, r)
        r = raster.pdf_page(doc, job.index, None, s.ocr_dpi, _pikepdf(job.path, mtime))
    else:
        r = raster.image_page(Path(job.path), job.index)
    k = r.px_per_pt
    page = ocr.ocr_page(r.gray, s.languages)
    del r.gray  # the page's largest buffer: gone before the marks are sought
    words = [Word(w.text, tuple(round(v / k, 2) for v in w.box), round(w.conf, 3), tuple(v / k for v in w.lbox), w.line)
             for w in page.words]
    # Only words read with confidence are masked: a seal's ring text reads poorly and must stay.
    km = r.marks_px_per_pt / k
    confident = [tuple(v * km for v in w.box) for w in page.words if w.conf >= 0.7 and len(w.text) >= 2]
    t0 = time.perf_counter()
    seal, sig = _upright_marks(r.marks_image, r.marks_px_per_pt * 72, confident, page.rotation // 90,
                               r.colour == "bitonal")
    k = r.marks_px_per_pt
    read = PageRead(job.index, r.width_pt, r.height_pt, words, "ocr", page.rotation, page.skew_deg, r.colour,
                    _mark(seal, k), _mark(sig, k), marks_ms=(time.perf_counter() - t0) * 1000)
    return _with_preview(read, job, r)


def _upright_marks(img, px_per_in: float, boxes: list, k: int, bitonal: bool = False) -> tuple[marks_mod.Found, marks_mod.Found]:
    """Marks sought on the page as it reads (a seal sits below the text, a signature is wider
    than tall), their boxes given back on the page as stored."""
    if k % 4 == 0:
        return marks_mod.find_marks(img, px_per_in, boxes, bitonal)
    h, w = img.shape[:2]
    turned = np.ascontiguousarray(np.rot90(img, -k))
    found = marks_mod.find_marks(turned, px_per_in, [ocr.turn_box(b, k, w, h) for b in boxes], bitonal)
    for f in found:
        if f.bbox is not None:
            f.bbox = ocr.turn_box(f.bbox, k, w, h, back=True)
    return found


def _with_preview(read: PageRead, job: PageJob, r: raster.Raster) -> PageRead:
    if job.preview:
        read.preview = render_preview(r.marks_image, r.marks_px_per_pt, read.seal, read.signature)
    return read
