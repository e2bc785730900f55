"""Page furniture shared by the outgoing forms: fonts with Kazakh letters, styles, the QR code,
the bilingual header, label/value tables."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, Table, TableStyle

from models.reference import reference

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
REGULAR, BOLD = "NotoSans", "NotoSans-Bold"
PAGE = A4
MARGIN = 18 * mm
# The signature stamp goes into the bottom band of the last page (see signing.signer.StampBox):
# the flowing content keeps clear of it.
STAMP_BAND = 110

AUTHORITY = {
    "kk": "Қазақстан Республикасы Өнеркәсіп және құрылыс министрлігінің Өнеркәсіпті дамыту комитеті",
    "ru": "Комитет индустриального развития Министерства промышленности и строительства Республики Казахстан",
}


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Embed Noto Sans (subset) once per process: it has every Kazakh letter."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "NotoSans-Bold.ttf")))


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=10.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
        "label": ParagraphStyle("label", parent=base, fontSize=7.5, leading=9, textColor=colors.HexColor("#333333")),
        "header": ParagraphStyle("header", parent=base, fontName=BOLD, fontSize=9, leading=11.5, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=11, leading=14, alignment=TA_CENTER,
                                spaceBefore=6, spaceAfter=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "cellhead": ParagraphStyle("cellhead", parent=base, fontName=BOLD, fontSize=7, leading=8.5),
    }


def para(text: str | None, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: values come from scans and people)."""
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), styles()[style])


def qr_image(payload: str, size_pt: float = 28 * mm) -> Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=1)
    qr.add_data(payload)
    buf = io.BytesIO()
    qr.make_image().save(buf, format="PNG")
    buf.seek(0)
    return Image(buf, width=size_pt, height=size_pt)


def header(number: str, date_text: str, qr_payload: str) -> Table:
    """Bilingual authority header with the document number and date, QR code on the right."""
    left = [para(AUTHORITY["kk"], "header"), para(AUTHORITY["ru"], "header"),
            para(f"Астана қаласы / город Астана     № {number}     {date_text}", "small")]
    t = Table([[left, qr_image(qr_payload)]], colWidths=[PAGE[0] - 2 * MARGIN - 32 * mm, 32 * mm])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                           ("FONTNAME", (0, 0), (-1, -1), REGULAR)]))
    return t


def label_table(rows: list[tuple[str, str, str | None]]) -> Table:
    """Rows of (number, bilingual label, value)."""
    width = PAGE[0] - 2 * MARGIN
    data = [[para(n, "label"), para(label, "label"), para(value)] for n, label, value in rows]
    t = Table(data, colWidths=[9 * mm, 62 * mm, width - 71 * mm])
    t.setStyle(grid())
    return t


def grid() -> TableStyle:
    return TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#777777")),
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # plain-string cells: Helvetica otherwise
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])


def country_name(alpha2: str) -> str:
    """"Қытай / Китай (CN)": the Kazakh and Russian names of a country code."""
    names = reference().countries.get(alpha2, {}).get("names", {})
    kk = (names.get("kk") or [""])[0]
    ru = next((n for n in names.get("ru", []) if not n.isupper()), (names.get("ru") or [""])[0])
    shown = " / ".join(n for n in (kk, ru) if n)
    return f"{shown} ({alpha2})" if shown else alpha2


def unit_name(code: str | None) -> str:
    if not code:
        return "—"
    unit = reference().units.get(code)
    return f"{unit['ru']} ({code})" if unit else code


def date_text(iso: str) -> str:
    """'2026-11-25' → '25.11.2026'."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"
