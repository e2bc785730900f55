"""Born-digital text: words with boxes from pdfplumber, and a check that the
layer is real text rather than a broken font mapping or an empty shell."""
from __future__ import annotations

import re

import pdfplumber
import pypdfium2 as pdfium

# Text whose font lost its Unicode map often comes out as Latin-1 accents
# ("Êîíòðàêò" for "Контракт") or (cid:123) placeholders.
_MOJIBAKE = re.compile(r"[À-ÿ]")
_CID = re.compile(r"\(cid:\d+\)")
_WORDLIKE = re.compile(r"^[\"«(]?[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{2,}|^[\d.,/\-%№:;]+$|^[A-Za-zА-Яа-я]?[\d]")


def layer_quality(words: list[str]) -> float:
    """Share of tokens that look like words or numbers of the three languages."""
    if not words:
        return 0.0
    good = 0
    for w in words:
        if _CID.search(w) or len(_MOJIBAKE.findall(w)) > len(w) // 3:
            continue
        if _WORDLIKE.match(w):
            good += 1
    return good / len(words)


def has_text(doc: pdfium.PdfDocument, index: int) -> bool:
    """Whether the page draws any text at all, asked of pdfium (fast). A scanned page has none, and
    then pdfplumber is not asked: its parser would read, and keep cached for the document's life,
    the page's image stream, about a megabyte a page of a long scan."""
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.count_chars() > 0
        finally:
            textpage.close()
    finally:
        page.close()


def page_words(pdf: pdfplumber.PDF, index: int) -> tuple[list[tuple[str, tuple[float, float, float, float]]], float, float]:
    """Words of page `index` with (x0, top, x1, bottom) boxes, and the page's size in points."""
    page = pdf.pages[index]
    try:
        words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5, y_tolerance=2)
        out = [(w["text"], (float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))) for w in words
               if w["text"].strip() and w.get("upright", True)]
        return out, float(page.width), float(page.height)
    finally:
        page.close()


def usable(words: list[str], min_quality: float) -> bool:
    """A page is read from its text layer when it has enough text and the text is real."""
    return sum(len(w) for w in words) >= 40 and layer_quality(words) >= min_quality
