"""Tesseract kept loaded: Debian's libtesseract through its C API, one engine per language set and
thread, reused for every page a worker reads.

Why not the CLI through pytesseract for every page: each call starts a process that loads the
models again (0.15 s for rus+kaz+eng here, 0.09 s for eng, measured with /usr/bin/time), twice a
page with the code re-read: a sixth of a page's OCR time. Why not tesserocr: its wheel bundles
tesseract 5.5 beside Debian's 5.3; this keeps the one engine the CLI, the OSD fallback and the
benchmark's raw-tesseract baseline use. The C API is tesseract's stable interface (capi.h).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

OEM_TESSERACT_ONLY = 0
OEM_LSTM_ONLY = 1


class TesseractUnavailable(RuntimeError):
    pass


def _load() -> ctypes.CDLL:
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError as e:
        raise TesseractUnavailable(f"libtesseract not found ({name}): install tesseract-ocr") from e
    p, i, c = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    lib.TessBaseAPICreate.restype = p
    lib.TessBaseAPIInit2.argtypes = [p, c, c, i]
    lib.TessBaseAPIInit2.restype = i
    lib.TessBaseAPISetVariable.argtypes = [p, c, c]
    lib.TessBaseAPISetVariable.restype = i
    lib.TessBaseAPISetPageSegMode.argtypes = [p, i]
    lib.TessBaseAPISetImage.argtypes = [p, ctypes.c_void_p, i, i, i, i]
    lib.TessBaseAPIRecognize.argtypes = [p, p]
    lib.TessBaseAPIRecognize.restype = i
    lib.TessBaseAPIDetectOrientationScript.argtypes = [p, ctypes.POINTER(i), ctypes.POINTER(ctypes.c_float), p, p]
    lib.TessBaseAPIDetectOrientationScript.restype = i
    # Returned as a pointer, not c_char_p, so that it can be handed back to TessDeleteText.
    lib.TessBaseAPIGetTsvText.argtypes = [p, i]
    lib.TessBaseAPIGetTsvText.restype = ctypes.POINTER(ctypes.c_char)
    lib.TessDeleteText.argtypes = [ctypes.POINTER(ctypes.c_char)]
    lib.TessBaseAPIClear.argtypes = [p]
    lib.TessBaseAPIEnd.argtypes = [p]
    lib.TessBaseAPIDelete.argtypes = [p]
    return lib


_local = threading.local()  # engines are not thread-safe: one set per thread


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    return _load()


@dataclass
class TsvWord:
    text: str
    box: tuple[int, int, int, int]
    conf: float  # 0..100, as tesseract reports it
    block: int
    par: int
    line: int


class Engine:
    """One initialised TessBaseAPI (models loaded once) for a language set."""

    def __init__(self, lang: str, variables: dict[str, str], oem: int = OEM_LSTM_ONLY):
        self.lib = _library()
        self._page = None
        self.handle = self.lib.TessBaseAPICreate()
        # Its notes ("Estimating resolution as 391") would flood the logs of every worker.
        self.lib.TessBaseAPISetVariable(self.handle, b"debug_file", b"/dev/null")
        if self.lib.TessBaseAPIInit2(self.handle, None, lang.encode(), oem) != 0:
            self.close()
            raise TesseractUnavailable(f"tesseract could not load the language models {lang!r}")
        for k, v in variables.items():
            if not self.lib.TessBaseAPISetVariable(self.handle, k.encode(), v.encode()):
                self.close()
                raise TesseractUnavailable(f"tesseract has no variable {k!r}")

    def _set_page(self, gray: np.ndarray, psm: int) -> None:
        """Hands tesseract the page, kept referenced here until the engine is cleared (tesseract
        reads the numpy buffer itself)."""
        self._page = img = np.ascontiguousarray(gray, dtype=np.uint8)
        h, w = img.shape
        self.lib.TessBaseAPISetPageSegMode(self.handle, psm)
        self.lib.TessBaseAPISetImage(self.handle, img.ctypes.data, w, h, 1, w)

    def _clear(self) -> None:
        self.lib.TessBaseAPIClear(self.handle)  # drops the page, keeps the models
        self._page = None

    def words(self, gray: np.ndarray, psm: int) -> list[TsvWord]:
        lib = self.lib
        self._set_page(gray, psm)
        try:
            if lib.TessBaseAPIRecognize(self.handle, None) != 0:
                raise RuntimeError("tesseract could not recognise the page")
            raw = lib.TessBaseAPIGetTsvText(self.handle, 0)
            try:
                tsv = ctypes.string_at(raw).decode("utf-8", errors="replace") if raw else ""
            finally:
                if raw:
                    lib.TessDeleteText(raw)
        finally:
            self._clear()
            _trim()
        return parse_tsv(tsv)

    def orientation(self, gray: np.ndarray) -> tuple[int, float]:
        """(degrees to turn the page clockwise to make it upright, confidence) by tesseract's
        orientation detection; the engine must have been loaded with the "osd" model."""
        lib = self.lib
        deg, conf = ctypes.c_int(0), ctypes.c_float(0.0)
        self._set_page(gray, 0)  # psm 0: orientation and script only
        try:
            found = lib.TessBaseAPIDetectOrientationScript(self.handle, ctypes.byref(deg), ctypes.byref(conf), None, None)
        finally:
            self._clear()
        # Tesseract reports the orientation of the text; the turn that undoes it is its complement
        # (what `tesseract --psm 0` prints as "Rotate").
        return ((360 - deg.value) % 360, float(conf.value)) if found else (0, 0.0)

    def close(self) -> None:
        if self.handle:
            self.lib.TessBaseAPIEnd(self.handle)
            self.lib.TessBaseAPIDelete(self.handle)
            self.handle = None


def _trim() -> None:
    """Give the page's freed buffers back to the system: glibc keeps them in its arenas, and a
    worker that has read a hundred pages would hold the peak of each (3 ms a page here)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@lru_cache(maxsize=1)
def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return None


def parse_tsv(tsv: str) -> list[TsvWord]:
    """Word rows (level 5) of tesseract's TSV: level page block par line word left top width height conf text.

    >>> parse_tsv("5\\t1\\t2\\t1\\t3\\t1\\t10\\t20\\t30\\t12\\t91.5\\tКонтракт\\n4\\t1\\t2\\t1\\t3\\t0\\t10\\t20\\t99\\t12\\t-1\\t\\n")
    [TsvWord(text='Контракт', box=(10, 20, 40, 32), conf=91.5, block=2, par=1, line=3)]
    """
    out = []
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        left, top, width, height = (int(v) for v in cols[6:10])
        out.append(TsvWord(cols[11], (left, top, left + width, top + height), float(cols[10]),
                           int(cols[2]), int(cols[3]), int(cols[4])))
    return out


def osd_engine() -> Engine:
    """This thread's orientation detector (the legacy "osd" model: not an LSTM one)."""
    return engine("osd", {"min_characters_to_try": "20"}, OEM_TESSERACT_ONLY)


def engine(lang: str, variables: dict[str, str] | None = None, oem: int = OEM_LSTM_ONLY) -> Engine:
    """This thread's engine for `lang` (created on first use; kept for the worker's life)."""
    engines = getattr(_local, "engines", None)
    if engines is None:
        engines = _local.engines = {}
    key = (lang, oem, tuple(sorted((variables or {}).items())))
    if key not in engines:
        engines[key] = Engine(lang, variables or {}, oem)
    return engines[key]
