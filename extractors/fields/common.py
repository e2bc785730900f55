"""Shared pieces of field rules: label-anchored search over a document's text and
turning a matched span into a contract value with page, box and confidence."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import normalise as N
from extractors.text import Text

# A document number: has a digit, may carry letters, slashes, dashes and dots.
NUMBER = r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүІі0-9][\w/\-.]*\d[\w/\-]*|\d[\w/\-.]*"
# "№" as printed and as OCR reads it ("Ме", "Мо", "N9", "Nº").
NO_SIGN = r"(?:№|N[°ºo9e]\.?(?=\s)|No\.?|Nr\.?|#|М[еоe](?=\s)|нөмірі|number)"
COLON = r"\s*[:\-–—]?\s*"


@dataclass
class Hit:
    value: object
    start: int
    end: int
    weight: float  # how much the rule that found it is trusted
    raw: str | None = None
    notes: list[str] | None = None  # corrections made to the value, for the reviewer


def make(text: Text, hit: Hit | None, issues: list[str] | None = None) -> dict | None:
    """A Found-shaped dict for the contract, or None."""
    if hit is None or hit.value is None or hit.value == "":
        return None
    span = text.span(hit.start, hit.end)
    conf = max(0.05, min(1.0, hit.weight * (0.5 + 0.5 * span.conf)))
    out = {"value": hit.value, "confidence": round(conf, 3)}
    if span.page is not None:
        out["page"] = span.page
    if span.bbox is not None:
        out["bbox"] = span.bbox
    raw = hit.raw if hit.raw is not None else span.text
    if raw and str(raw) != str(hit.value):
        out["raw"] = raw
    issues = (hit.notes or []) + (issues or [])
    if issues:
        out["issues"] = issues
    return out


def clean_number(s: str) -> str:
    """A document number as printed, without punctuation around it; look-alike letters
    ("ЕХ" read for "EX") taken as Latin, as numbers are mostly typed in Latin."""
    return N.latin_if_lookalike(s.strip().rstrip(".,;:)»\"").lstrip("«\"("))


def labelled_values(text: Text, label: str, finder, reach: int = 120, lines: int = 2) -> list[Hit]:
    """Values found by `finder(substring)` -> [(start, end, value)] right after each label."""
    hits = []
    for m in text.finditer(label):
        end = m.end()
        stop = end
        for _ in range(lines):
            nl = text.string.find("\n", stop + 1)
            stop = len(text.string) if nl < 0 else nl
        stop = min(stop, end + reach)
        for s, e, v in finder(text.string[end:stop]):
            hits.append(Hit(v, end + s, end + e, 0.95))
            break
    return hits


def first_date_after(text: Text, pos: int, reach: int = 80) -> Hit | None:
    seg = text.string[pos:pos + reach]
    for s, e, d in N.find_dates(seg):
        return Hit(d.isoformat(), pos + s, pos + e, 0.9)
    return None


def number_after(text: Text, label: str, reach: int = 60) -> list[Hit]:
    hits = []
    rx = re.compile(label + r"[\s:]*\n?\s*(" + NUMBER + ")", re.I)
    for m in rx.finditer(text.string):
        val = clean_number(m.group(1))
        if val and re.search(r"\d", val) and not N.find_dates(val):
            hits.append(Hit(val, m.start(1), m.start(1) + len(val), 0.92))
    return hits


def trim(text: Text, start: int, end: int, chars: str = " ,.;:—–-()«»\"") -> tuple[int, int]:
    s = text.string
    while start < end and s[start] in chars + "\n":
        start += 1
    while end > start and s[end - 1] in chars + "\n":
        end -= 1
    return start, end
