"""A small flow layouter over reportlab that remembers where each tagged value was drawn.

Blocks (titles, paragraphs, key-value forms, ruled tables) are laid out top
to bottom over A4 pages; every segment tagged with a field key records its
page and box in PDF points (top-left origin), which become the truth boxes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

PAGE_W, PAGE_H = A4
FONT_DIR = Path("/usr/share/fonts/truetype")
FONT_FAMILIES = {
    # family: (regular, bold) files; all carry the Kazakh letters.
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "NotoSerif": ("noto/NotoSerif-Regular.ttf", "noto/NotoSerif-Bold.ttf"),
    "NotoSans": ("noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf"),
    "LiberationSerif": ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
    "LiberationSans": ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),
}


def register_fonts() -> None:
    for family, (regular, bold) in FONT_FAMILIES.items():
        if family not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(family, str(FONT_DIR / regular)))
            pdfmetrics.registerFont(TTFont(family + "-Bold", str(FONT_DIR / bold)))


Segment = tuple[str, str | None]  # text, field tag


@dataclass
class Title:
    text: str
    size: float = 14
    tag: str | None = None
    align: str = "center"


@dataclass
class Para:
    segments: list[Segment]
    size: float = 10.5
    bold: bool = False
    align: str = "left"
    indent: float = 0


@dataclass
class KeyValue:
    rows: list[tuple[str, list[Segment]]]
    size: float = 10.5
    label_width: float = 0.36


@dataclass
class Table:
    headers: list[str]
    rows: list[list[list[Segment]]]
    widths: list[float]  # fractions of the text width
    size: float = 9


@dataclass
class Space:
    height: float = 8


@dataclass
class Rule:
    pass


Block = Title | Para | KeyValue | Table | Space | Rule


@dataclass
class Style:
    family: str = "DejaVuSerif"
    margin_left: float = 62
    margin_right: float = 50
    margin_top: float = 56
    margin_bottom: float = 120  # room for the certification marks
    leading: float = 1.35


@dataclass
class Rendered:
    pdf: bytes
    page_count: int
    boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)
    bottom_y: dict[int, float] = field(default_factory=dict)  # lowest text line per page (top-left y)


class _Writer:
    def __init__(self, style: Style, header_fn=None):
        register_fonts()
        self.style = style
        self.buf = io.BytesIO()
        self.c = rl_canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.page = 1
        self.y = style.margin_top  # top-left origin
        self.boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = {}
        self.bottom_y: dict[int, float] = {}
        self.header_fn = header_fn
        self.width = PAGE_W - style.margin_left - style.margin_right

    def font(self, bold: bool = False) -> str:
        return self.style.family + ("-Bold" if bold else "")

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = self.style.margin_top

    def ensure(self, height: float) -> None:
        if self.y + height > PAGE_H - self.style.margin_bottom:
            self.new_page()

    def record(self, tag: str, box: tuple[float, float, float, float]) -> None:
        if tag in self.boxes and self.boxes[tag][0] == self.page:
            _, (x0, t, x1, b) = self.boxes[tag]
            box = (min(x0, box[0]), min(t, box[1]), max(x1, box[2]), max(b, box[3]))
            self.boxes[tag] = (self.page, box)
        elif tag not in self.boxes:
            self.boxes[tag] = (self.page, box)

    def draw_words(self, x: float, top: float, words: list[tuple[str, str | None]], size: float, bold: bool) -> float:
        """Draw words on one line starting at x; returns the line's end x."""
        font = self.font(bold)
        self.c.setFont(font, size)
        baseline = top + size * 0.85
        space = pdfmetrics.stringWidth(" ", font, size)
        for i, (w, tag, glue) in enumerate(words):
            if i and not glue:
                x += space
            width = pdfmetrics.stringWidth(w, font, size)
            self.c.drawString(x, PAGE_H - baseline, w)
            if tag:
                self.record(tag, (x, top, x + width, top + size * 1.05))
            x += width
        self.bottom_y[self.page] = max(self.bottom_y.get(self.page, 0), top + size)
        return x

    def wrap(self, segments: list[Segment], width: float, size: float, bold: bool) -> list[list[tuple[str, str | None]]]:
        font = self.font(bold)
        # Punctuation that opens a segment sticks to the word before it ("Germany." not "Germany .").
        words = [(w, tag, j == 0 and w[0] in ".,;:)»\"") for text, tag in segments for j, w in enumerate(text.split())]
        lines, line, used = [], [], 0.0
        space = pdfmetrics.stringWidth(" ", font, size)
        for w, tag, glue in words:
            ww = pdfmetrics.stringWidth(w, font, size)
            gap = 0 if glue else space
            if line and used + gap + ww > width and not glue:
                lines.append(line)
                line, used = [], 0.0
            used += (gap if line else 0) + ww
            line.append((w, tag, glue and bool(line)))
        if line:
            lines.append(line)
        return lines

    def line_width(self, words, size, bold) -> float:
        font = self.font(bold)
        return pdfmetrics.stringWidth("".join((w if glue or i == 0 else " " + w) for i, (w, _, glue) in enumerate(words)), font, size)

    # blocks -------------------------------------------------------------
    def title(self, b: Title) -> None:
        lines = self.wrap([(b.text, b.tag)], self.width, b.size, True)
        for words in lines:
            self.ensure(b.size * 1.6)
            w = self.line_width(words, b.size, True)
            x = self.style.margin_left + (self.width - w) / 2 if b.align == "center" else self.style.margin_left
            if b.align == "right":
                x = self.style.margin_left + self.width - w
            self.draw_words(x, self.y, words, b.size, True)
            self.y += b.size * 1.5

    def para(self, b: Para) -> None:
        lines = self.wrap(b.segments, self.width - b.indent, b.size, b.bold)
        lead = b.size * self.style.leading
        for words in lines:
            self.ensure(lead)
            x = self.style.margin_left + b.indent
            if b.align == "right":
                x = self.style.margin_left + self.width - self.line_width(words, b.size, b.bold)
            elif b.align == "center":
                x = self.style.margin_left + (self.width - self.line_width(words, b.size, b.bold)) / 2
            self.draw_words(x, self.y, words, b.size, b.bold)
            self.y += lead
        self.y += b.size * 0.4

    def key_value(self, b: KeyValue) -> None:
        lw = self.width * b.label_width
        lead = b.size * self.style.leading
        for label, segs in b.rows:
            llines = self.wrap([(label, None)], lw - 8, b.size, True)
            vlines = self.wrap(segs, self.width - lw, b.size, False)
            n = max(len(llines), len(vlines))
            self.ensure(n * lead)
            top = self.y
            for i, words in enumerate(llines):
                self.draw_words(self.style.margin_left, top + i * lead, words, b.size, True)
            for i, words in enumerate(vlines):
                self.draw_words(self.style.margin_left + lw, top + i * lead, words, b.size, False)
            self.y = top + n * lead + 2

    def table(self, b: Table) -> None:
        widths = [f * self.width for f in b.widths]
        lead = b.size * 1.3
        pad = 3

        def cell_lines(segs, w, bold=False):
            return self.wrap(segs, w - 2 * pad, b.size, bold)

        def draw_row(cells: list[list[Segment]], bold: bool) -> None:
            wrapped = [cell_lines(segs, w, bold) for segs, w in zip(cells, widths)]
            h = max(len(x) for x in wrapped) * lead + 2 * pad
            self.ensure(h)
            top = self.y
            x = self.style.margin_left
            self.c.setLineWidth(0.7)
            for lines, w in zip(wrapped, widths):
                self.c.rect(x, PAGE_H - top - h, w, h)
                for i, words in enumerate(lines):
                    self.draw_words(x + pad, top + pad + i * lead, words, b.size, bold)
                x += w
            self.y = top + h

        draw_row([[(h, None)] for h in b.headers], True)
        for row in b.rows:
            draw_row(row, False)
        self.y += 8

    def space(self, b: Space) -> None:
        self.y += b.height

    def rule(self, b: Rule) -> None:
        self.c.setLineWidth(1.2)
        self.c.line(self.style.margin_left, PAGE_H - self.y, self.style.margin_left + self.width, PAGE_H - self.y)
        self.y += 6


def render(blocks: list[Block], style: Style, page_overlay=None) -> Rendered:
    """Lay out blocks; `page_overlay(canvas, page_no)` may draw on each page before it closes."""
    w = _Writer(style)
    original_show = w.c.showPage

    def show_page():
        if page_overlay:
            page_overlay(w.c, w.page)
        original_show()

    w.c.showPage = show_page  # type: ignore[method-assign]
    for b in blocks:
        {Title: w.title, Para: w.para, KeyValue: w.key_value, Table: w.table, Space: w.space, Rule: w.rule}[type(b)](b)
    w.c.showPage()
    w.c.save()
    return Rendered(pdf=w.buf.getvalue(), page_count=w.page, boxes=w.boxes, bottom_y=w.bottom_y)
