"""Words with boxes, grouped into visual rows, and searchable text that maps any
character span back to the page, box and reading confidence of its words."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    box: tuple[float, float, float, float]  # page points, top-left origin, of the stored page
    conf: float  # 0..1
    # Position in reading space (deskewed, upright), used for grouping words into rows.
    lbox: tuple[float, float, float, float]
    line: int = -1  # the OCR engine's own line number, where it gave one


@dataclass
class Row:
    """Words on one visual line, left to right, with gaps that separate cells."""

    page: int
    words: list[Word]
    text: str = ""
    starts: list[int] = field(default_factory=list)
    cells: list[tuple[int, int]] = field(default_factory=list)  # word index ranges

    @property
    def top(self) -> float:
        return min(w.lbox[1] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.lbox[3] for w in self.words)

    @property
    def left(self) -> float:
        return self.words[0].lbox[0]

    @property
    def height(self) -> float:
        return statistics.median(w.lbox[3] - w.lbox[1] for w in self.words)


def _build_row(page: int, words: list[Word]) -> Row:
    words.sort(key=lambda w: w.lbox[0])
    row = Row(page, words)
    h = statistics.median(max(w.lbox[3] - w.lbox[1], 1.0) for w in words)
    parts, pos, start = [], 0, 0
    for i, w in enumerate(words):
        if i:
            gap = w.lbox[0] - words[i - 1].lbox[2]
            if gap > 1.6 * h:  # a cell boundary or a column gap
                row.cells.append((start, i))
                start = i
                parts.append("   ")
                pos += 3
            else:
                parts.append(" ")
                pos += 1
        row.starts.append(pos)
        parts.append(w.text)
        pos += len(w.text)
    row.cells.append((start, len(words)))
    row.text = "".join(parts)
    return row


def _lines(words: list[Word]) -> list[list[Word]]:
    """The engine's own lines where it gave them; else words sharing a baseline band."""
    by_id: dict[int, list[Word]] = {}
    loose: list[Word] = []
    for w in words:
        (by_id.setdefault(w.line, []) if w.line >= 0 else loose).append(w)
    lines = list(by_id.values())
    for w in sorted(loose, key=lambda w: (w.lbox[1], w.lbox[0])):
        for ln in lines[len(by_id):]:
            ref = ln[-1]
            h = max(ref.lbox[3] - ref.lbox[1], 1.0)
            if abs(w.lbox[1] - ref.lbox[1]) < 0.35 * h and abs(w.lbox[3] - ref.lbox[3]) < 0.5 * h:
                ln.append(w)
                break
        else:
            lines.append([w])
    return lines


def group_rows(page: int, words: list[Word]) -> list[Row]:
    """Group lines that share a visual row (table cells, columns) into rows, top to bottom."""
    lines = _lines(words)

    def centre(ln: list[Word]) -> float:
        return statistics.median((w.lbox[1] + w.lbox[3]) / 2 for w in ln)

    def height(ln: list[Word]) -> float:
        return statistics.median(max(w.lbox[3] - w.lbox[1], 1.0) for w in ln)

    rows: list[list[Word]] = []
    row_geo: list[tuple[float, float]] = []
    for ln in sorted(lines, key=centre):
        c, h = centre(ln), height(ln)
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            rc, rh = row_geo[i]
            if abs(c - rc) < 0.7 * min(h, rh):
                # Only join lines that do not overlap horizontally (cells side by side).
                x0, x1 = min(w.lbox[0] for w in ln), max(w.lbox[2] for w in ln)
                if all(w.lbox[2] <= x0 + 2 or w.lbox[0] >= x1 - 2 for w in rows[i]):
                    rows[i].extend(ln)
                    break
        else:
            rows.append(list(ln))
            row_geo.append((c, h))
    return [_build_row(page, r) for r in rows if r]


@dataclass
class Span:
    """A piece of text found on the pages, with where it is and how well it was read."""

    text: str
    page: int | None
    bbox: tuple[float, float, float, float] | None
    conf: float


def span_of(row: Row, start: int, end: int) -> Span:
    """The words of `row` that overlap text[start:end], joined into one span."""
    ws = [w for w, s in zip(row.words, row.starts) if s < end and s + len(w.text) > start]
    if not ws:
        return Span(row.text[start:end], row.page, None, 0.5)
    box = (min(w.box[0] for w in ws), min(w.box[1] for w in ws), max(w.box[2] for w in ws), max(w.box[3] for w in ws))
    return Span(row.text[start:end].strip(), row.page, box, min(w.conf for w in ws))


@dataclass
class Text:
    """A document's rows joined into one string; offsets map back to rows and words."""

    rows: list[Row]
    string: str = ""
    row_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts, pos = [], 0
        for r in self.rows:
            self.row_starts.append(pos)
            parts.append(r.text)
            pos += len(r.text) + 1
        self.string = "\n".join(parts)

    def span(self, start: int, end: int) -> Span:
        """Text [start, end) of the whole string; the box is that of its first row's part
        joined with the others on the same page."""
        pieces: list[Span] = []
        for r, rs in zip(self.rows, self.row_starts):
            re_ = rs + len(r.text)
            if rs < end and re_ > start:
                pieces.append(span_of(r, max(start, rs) - rs, min(end, re_) - rs))
        text = " ".join(self.string[start:end].split())
        if not pieces:
            return Span(text, None, None, 0.5)
        page = pieces[0].page
        boxes = [p.bbox for p in pieces if p.bbox and p.page == page]
        box = None
        if boxes:
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        return Span(text, page, box, min(p.conf for p in pieces))

    def search(self, pattern: str | re.Pattern, start: int = 0, end: int | None = None, flags: int = re.I):
        rx = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        return rx.search(self.string, start, len(self.string) if end is None else end)

    def finditer(self, pattern: str | re.Pattern, start: int = 0, end: int | None = None, flags: int = re.I):
        rx = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        return rx.finditer(self.string, start, len(self.string) if end is None else end)

    def row_at(self, offset: int) -> int:
        """Index of the row holding character `offset`."""
        lo, hi = 0, len(self.row_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.row_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo
