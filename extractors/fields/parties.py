"""Names of parties, end users and addresses: from labelled rows ("Продавец: …",
"End user: …") or from the preamble of a contract ("…, именуемое в дальнейшем
«Продавец»")."""
from __future__ import annotations

import re

from extractors.fields.common import Hit, trim
from extractors.normalise import latin_if_lookalike
from extractors.fields.nlp import organisations
from extractors.text import Text

ROLE_LABELS = {
    "seller": r"(?:продав(?:ец|ца)|поставщик|seller|supplier|vendor|сатушы|жеткізуші|exporter|экспортер)",
    "buyer": r"(?:покупател[ья]|buyer|purchaser|customer|сатып\s+алушы|importer|импортер)",
}
# "именуемое в дальнейшем «Продавец»", "hereinafter referred to as the "Seller"", "бұдан әрі «Сатушы» деп"
ROLE_MENTION = r"(?:именуем\w*\s+в\s+дальнейшем|hereinafter(?:\s+referred\s+to)?(?:\s+as)?(?:\s+the)?|бұдан\s+әрі|далее)\s*[«\"“]?\s*"
NAME_STOP = re.compile(r"\s*(?:\(|,\s*(?:адрес|address|мекенжайы|именуем|hereinafter|бұдан|в\s+лице|represented|registered|located|расположен)|;|\n\s*\d+\.|\s{3})", re.I)
NAME_CHARS = " ,;:—–-()«»\"\n"


def latin_context(value: str) -> str:
    """In a name written in Latin letters, a word whose letters are all Cyrillic look-alikes
    ("Мо." for "No.") was misread by OCR: take it as Latin."""
    letters = [c for c in value if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii())
    if not letters or latin < 0.7 * len(letters):
        return value
    return " ".join(latin_if_lookalike(w) for w in value.split(" "))


def _org_in(text: Text, start: int, end: int, lang: str) -> Hit | None:
    for s, e, name in organisations(text.string[start:end], lang):
        return Hit(" ".join(name.split()), start + s, start + e, 0.95)
    return None


def _cut_name(text: Text, start: int, limit: int, one_row: bool = False) -> Hit | None:
    if one_row:
        nl = text.string.find("\n", start)
        limit = min(limit, len(text.string) if nl < 0 else nl)
    seg = text.string[start:limit]
    m = NAME_STOP.search(seg)
    end = start + (m.start() if m else len(seg))
    s, e = trim(text, start, end, NAME_CHARS)
    if e - s < 3:
        return None
    value = latin_context(" ".join(text.string[s:e].split()))
    if value.endswith(".") and not re.search(r"\b(?:Ltd|Inc|Co|Corp|S\.A|A\.S|d\.o\.o|S\.A\.E|Bhd|No)\.$", value):
        value = value[:-1]
        e -= 1
    return Hit(value, s, e, 0.8)


def labelled_name(text: Text, label: str, lang: str) -> Hit | None:
    """`Label: Name` on a row (forms, tables of parties)."""
    # The label must end in a colon or a cell gap: "Продавец обязуется…" is prose, not a form row.
    rx = re.compile(r"(?:^|\n)[ \t]*" + label + r"(?:\s*[:\-–—][ \t]*|[ \t]{3,}|[ \t]*(?=\n))", re.I)
    for m in rx.finditer(text.string):
        row_end = text.string.find("\n", m.end())
        row_end = len(text.string) if row_end < 0 else row_end
        if m.end() >= row_end:  # the value may sit on the next row
            nxt = text.string.find("\n", row_end + 1)
            row_end = len(text.string) if nxt < 0 else nxt
        hit = _org_in(text, m.end(), row_end, lang) or _cut_name(text, m.end(), row_end, one_row=True)
        if hit and not NOT_A_NAME.match(hit.value):
            return hit
    return None


def preamble_party(text: Text, role: str, lang: str) -> Hit | None:
    """The organisation named just before 'hereinafter the Seller/Buyer'."""
    rx = re.compile(ROLE_MENTION + ROLE_LABELS[role], re.I)
    m = rx.search(text.string)
    if not m:
        return None
    window_start = max(0, m.start() - 400)
    orgs = organisations(text.string[window_start:m.start()], lang)
    if orgs:
        s, e, name = orgs[-1]
        return Hit(" ".join(name.split()), window_start + s, window_start + e, 0.9)
    # No legal form: the words since the previous clause.
    head = text.string[window_start:m.start()]
    cut = max(head.rfind(" и "), head.rfind(" and "), head.rfind(" және "), head.rfind(":"), head.rfind("\n\n"))
    start = window_start + (cut + 1 if cut >= 0 else 0)
    for sep in (" и ", " and ", " және "):
        if text.string.startswith(sep, start - 1):
            start += len(sep) - 1
    return _cut_name(text, start, m.start())


NOT_A_NAME = re.compile(r"^(?:БИН|БСН|ИИН|ЖСН|ИИК|ЖСК|BIN|IIN|IBAN|SWIFT|тел|tel|счет|account|_|"
                        r"(?:продавец|покупатель|seller|buyer|сатушы|сатып\s+алушы)\s*:?\s*$)", re.I)


def party(text: Text, role: str, lang: str) -> Hit | None:
    """A labelled organisation first, then the preamble, then any labelled text that is a name."""
    labelled = labelled_name(text, ROLE_LABELS[role], lang)
    if labelled and labelled.weight >= 0.95:
        return labelled
    pre = preamble_party(text, role, lang)
    if pre:
        return pre
    if labelled and not NOT_A_NAME.match(labelled.value):
        return labelled
    return None


END_USER_LABEL = (r"(?:конечн\w*\s+пользовател\w*|end[\s\-]?user|соңғы\s+пайдаланушы\w*|получател\w*\s+и\s+конечн\w*\s+пользовател\w*)"
                  r"(?!\s*(?:certificate|guarantee|statement|undertak|\(гарант|обязуется|міндеттенеді|\)))")
ADDRESS_LABEL = r"(?:адрес|address|мекенжайы|местонахождение|location)"


def end_user(text: Text, lang: str) -> tuple[Hit | None, Hit | None]:
    """(name, address) of the end user."""
    rx = re.compile(END_USER_LABEL + r"(?P<sep>\s*(?:[:\-–—]|\(name\))?[ \t]*)", re.I)
    for m in rx.finditer(text.string):
        limit = min(len(text.string), m.end() + 300)
        row_start = text.string.rfind("\n", 0, m.start()) + 1
        form_row = not text.string[row_start:m.start()].strip() and "   " in m.group("sep") + text.string[m.end():m.end() + 1]
        hit = _cut_name(text, m.end(), limit, one_row=form_row or "   " in m.group("sep"))
        if hit is None or len(hit.value) < 4:
            continue
        addr = address_after(text, hit.end, lang)
        return hit, addr
    return None, None


ADDRESS_ROW = re.compile(r"(?:^|\n)[ \t]*" + ADDRESS_LABEL + r"(?:[ \t]*[:\-–—][ \t]*|[ \t]{3,}|[ \t]+)", re.I)


def _row_value(text: Text, start: int, weight: float) -> Hit | None:
    s = text.string
    end = s.find("\n", start)
    a, b = trim(text, start, len(s) if end < 0 else end, " ,;:—–-()«»\"\n.")
    return Hit(latin_context(" ".join(s[a:b].split())), a, b, weight) if b - a >= 4 else None


def address_after(text: Text, pos: int, lang: str) -> Hit | None:
    """The address following a name: in brackets, after 'address:', or on an 'Address' row below."""
    s = text.string
    m = re.match(r"[ \t]*(?:\(|,?[ \t]*" + ADDRESS_LABEL + r"[ \t]*[:\-–—]?)[ \t]*", s[pos:pos + 40], re.I)
    if m is None:
        row = ADDRESS_ROW.search(s, pos, pos + 200)
        return _row_value(text, row.end(), 0.9) if row else None
    start = pos + m.end()
    if "(" in m.group():
        end = s.find(")", start)
        end = start + 200 if end < 0 else end
    else:
        # Up to the end of the sentence: a full stop before a new line or a numbered clause.
        tail = s[start:start + 250]
        stop = re.search(r"\.\s*(?:\n|$)|\.\s+(?=\d+\.\d)|\n\s*\d+\.\d", tail)
        end = start + (stop.start() if stop else len(tail))
    a, b = trim(text, start, end, " ,;:—–-()«»\"\n.")
    if b - a < 4:
        return None
    return Hit(latin_context(" ".join(s[a:b].split())), a, b, 0.85)
