"""Goods lines: every TN VED code printed in a document anchors one line; its
name, control-list code, unit, quantity and value come from the same table row
(cells split by gaps, wrapped names gathered from the rows around it) or from
the same clause of prose."""
from __future__ import annotations

import re
from decimal import Decimal

from extractors import normalise as N
from extractors.fields.common import Hit, make
from extractors.text import Row, Text
from extractors.validate import repair_control, repair_tnved
from models.reference import reference

LETTERS = re.compile(r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{2,}")
HEADER_WORDS = re.compile(r"наименован|description|атауы|код\s+тн|hs\s+code|тн\s+коды|кол-?во|qty|quantity|саны|"
                          r"ед\.\s*изм|unit|өлш|сумма|amount|сомасы|цена|price|бағасы|контрол|control|бақылау", re.I)
UNIT_RX = re.compile(r"(?<![\w])(тыс\.\s*шт\.?|мың\s+дана|thousand\s+pcs|тыс\.|мың|thousand|шт\.?|штук\w*|дана|pcs\.?|pieces?|units?|"
                     r"кг|kg|KT|кт|т|t|тонн\w*|tonnes?|л|l|м²|m²|кв\.\s*м|sq\.\s*m|м|m|пар\w*|pairs?|жұп|компл\w*|sets?)(?![\w])", re.I)
VALUE_WORDS = r"(?:на\s+сумму|сумм\w*|стоимост\w*|сомасы|for\s+the\s+amount\s+of|amount|value|totalling|total)"
LABEL_NOISE = re.compile(r"\(?\s*(?:код\w*\s+(?:тн\s*вэд|по\s+списку\s+контроля)\w*|тн\s*вэд(?:\s+еаэс)?|еаэо\s+сэқ\s+тн\s+коды|"
                         r"hs\s+code|бақылау\s+тізімі(?:\s+бойынша)?\s+коды|control\s+list\s+(?:entry|no\.?|code)|в\s+количестве|"
                         r"количество|quantity)\s*[:\-]?", re.I)


def _is_header(row: Row) -> bool:
    return len(HEADER_WORDS.findall(row.text)) >= 2


def _table_line(text: Text, ri: int, code_span: tuple[int, int]) -> dict | None:
    """Fields of a table row around its TN VED code: the name before the code, then the
    control-list code, unit, quantity and amounts in whatever cells follow."""
    row = text.rows[ri]
    base = text.row_starts[ri]
    rs = row.text
    cs, ce = code_span
    line: dict = {}
    taken: list[tuple[int, int]] = [(cs, ce)]
    for a, b, v in N.find_control_codes(rs):
        if b <= cs or a >= ce:
            line["control_list_code"] = Hit(v, base + a, base + b, 0.92)
            taken.append((a, b))
            break
    if "control_list_code" not in line:
        # "9A001" read as "94001": a letter of the category read as a digit.
        m = re.compile(r"\s*(\d)([4806З3])(\d{3})(?![\d,.])").match(rs, ce)
        if m:
            for letter in {"4": "A", "8": "B", "0": "D", "6": "C", "3": "E", "З": "E"}.get(m.group(2), ""):
                code = m.group(1) + letter + m.group(3)
                if reference().is_control_code(code):
                    line["control_list_code"] = Hit(code, base + m.start(1), base + m.end(3), 0.6, raw=m.group(0).strip(),
                                                    notes=[f"read as {m.group(0).strip()}; taken as control-list code {code}"])
                    taken.append((m.start(1), m.end(3)))
    after = ce
    for m in UNIT_RX.finditer(rs, ce):
        if any(a <= m.start() < b for a, b in taken):
            continue
        u = N.unit_code(m.group())
        if u:
            line["unit_code"] = Hit(u, base + m.start(), base + m.end(), 0.9, raw=m.group())
            taken.append((m.start(), m.end()))
            break
    rest = "".join(" " if any(a <= i < b for a, b in taken) else ch for i, ch in enumerate(rs))
    nums = [(a, b, v) for a, b, v in N.find_numbers(rest[after:]) if not re.fullmatch(r"(19|20)\d\d", v)]
    nums = [(after + a, after + b, v) for a, b, v in nums]
    if nums:
        a, b, _ = nums[0]
        line["quantity"] = Hit(N.quantity(rs[a:b]), base + a, base + b, 0.88)
    if len(nums) >= 2:
        a, b, _ = nums[-1]
        line["value"] = _wrapped_amount(text, ri, a, b) or Hit(N.money(rs[a:b]), base + a, base + b, 0.88)
    # The name: the text before the code, without the line number.
    head = rs[:cs]
    # The line number, or what OCR made of it and the table's left rule ("1", "Т", "с.").
    m = re.match(r"\s*(?:\d{1,3}[.)]?|\w\.?|\w\w\.|[^\w\s]{1,2})\s+", head)
    a = m.end() if m else 0
    junk = re.match(r"(\S{1,2})\s+(?=\S)", head[a:])
    if junk and not (junk.group(1).isalpha() and junk.group(1).isupper()):
        a += junk.end()  # OCR debris of the table's rule or number column ("iL", "с.")
    b = len(head.rstrip(" |;,"))
    if b - a >= 3 and LETTERS.search(head[a:b]):
        line["name"] = _gather_name(text, ri, a, b)
    else:
        # Tables that put the code first: the name is the widest cell of words after it.
        best = None
        for ca, cb in row.cells:
            s0 = row.starts[ca]
            e0 = row.starts[cb - 1] + len(row.words[cb - 1].text)
            cell = rs[s0:e0]
            if s0 >= ce and len(LETTERS.findall(cell)) >= 2 and not any(a_ <= s0 < b_ for a_, b_ in taken):
                if best is None or len(cell) > best[1] - best[0]:
                    best = (s0, e0)
        if best:
            line["name"] = _gather_name(text, ri, *best)
    return line


def _wrapped_amount(text: Text, ri: int, a: int, b: int) -> Hit | None:
    """An amount too wide for its column wraps: '473 763' above '722,40'."""
    row = text.rows[ri]
    if ri + 1 >= len(text.rows) or text.rows[ri + 1].page != row.page:
        return None
    ws = [w for w, st in zip(row.words, row.starts) if a <= st < b]
    if not ws:
        return None
    x0, x1 = ws[0].lbox[0], ws[-1].lbox[2]
    nxt = text.rows[ri + 1]
    below = [w for w in nxt.words if w.lbox[0] < x1 + 4 and w.lbox[2] > x0 - 4]
    if not below or not all(re.fullmatch(r"[\d\s.,]+", w.text) for w in below) or N.find_tnved(nxt.text):
        return None
    joined = text.string[text.row_starts[ri] + a:text.row_starts[ri] + b] + " " + " ".join(w.text for w in below)
    value = N.money(joined)
    if value is None:
        return None
    end = text.row_starts[ri + 1] + nxt.starts[nxt.words.index(below[-1])] + len(below[-1].text)
    return Hit(value, text.row_starts[ri] + a, end, 0.8, raw=joined)


def _gather_name(text: Text, ri: int, a: int, b: int) -> Hit:
    """A wrapped name cell continues on the rows below, inside the same column."""
    row = text.rows[ri]
    base = text.row_starts[ri]
    ws = [w for w, st in zip(row.words, row.starts) if st >= a and st < b]
    x0 = min(w.lbox[0] for w in ws) - 6
    x1 = max(w.lbox[2] for w in ws) + 6
    parts = [row.text[a:b]]
    end = base + b
    j = ri + 1
    while j < len(text.rows) and j - ri <= 3:
        r = text.rows[j]
        if r.page != row.page or _is_header(r) or N.find_tnved(r.text) or r.top - text.rows[j - 1].bottom > 1.2 * r.height:
            break
        inside = [w for w in r.words if w.lbox[0] >= x0 and w.lbox[2] <= x1 + 40]
        whole_cells = [r.words[a:b] for a, b in r.cells if all(w in inside for w in r.words[a:b])]
        if not inside or sum(len(c) for c in whole_cells) != len(inside):
            break  # prose running past the name column is not a wrapped name
        parts.append(" ".join(w.text for w in inside))
        end = text.row_starts[j] + r.starts[r.words.index(inside[-1])] + len(inside[-1].text)
        j += 1
    return Hit(fix_model_code(" ".join(" ".join(parts).split())), base + a, end, 0.85)


MODEL_TOKEN = re.compile(r"(?<!\w)(?=[\w-]*\d)[А-ЯA-Z0-9][\w-]*(?!\w)")


def fix_model_code(name: str) -> str:
    """Model designations ('TX-300', 'X2') are Latin; OCR with Cyrillic models reads 'ТХ-300', 'Х2'."""
    return MODEL_TOKEN.sub(lambda m: N.latin_if_lookalike(m.group()), name)


def _prose_line(text: Text, cs: int, ce: int) -> dict:
    """Fields of one goods clause around a TN VED code at [cs, ce)."""
    s = text.string
    # The clause: from the previous item marker or sentence end to the next one.
    head = s[max(0, cs - 300):cs]
    marks = [m.end() for m in re.finditer(r"(?<![\w.,])\d{1,2}\.\d{1,2}\.?\s|[.;:]\s*\n|\.\s+(?=[А-ЯA-ZӘҒҚҢӨҰҮІ])", head)]
    start = cs - len(head) + (marks[-1] if marks else 0)
    tail = s[ce:ce + 400]
    stop = re.search(r"\n\s*\d{1,2}\.\d{1,2}\.?\s|\.\s*\n|\.\s+(?=[А-ЯA-ZӘҒҚҢӨҰҮІ]\w+\s)|;\s*\n", tail)
    end = ce + (stop.start() if stop else len(tail))
    clause = s[start:end]
    line: dict = {}
    cc = N.find_control_codes(clause)
    if cc:
        a, b, v = cc[0]
        line["control_list_code"] = Hit(v, start + a, start + b, 0.9)
    for m in re.finditer(r"(?<![\d.,])(\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*(" + UNIT_RX.pattern + r")", clause, re.I):
        q = N.quantity(m.group(1))
        u = N.unit_code(m.group(2))
        if q and u and not (start + m.start(1) >= cs and start + m.start(1) < ce):
            line["quantity"] = Hit(q, start + m.start(1), start + m.start(1) + len(m.group(1).rstrip()), 0.88)
            line["unit_code"] = Hit(u, start + m.start(2), start + m.end(2), 0.88, raw=m.group(2))
            break
    vm = re.search(VALUE_WORDS + r"\s*(?:of\s+)?([\d][\d\s.,'’]*\d)", clause, re.I)
    if vm:
        v = N.money(vm.group(1))
        if v:
            line["value"] = Hit(v, start + vm.start(1), start + vm.end(1), 0.88)
    # The name: the longest stretch of words before the code that is not a label or a number.
    name_zone = s[start:cs]
    en = re.search(r"(?:pcs\.?|units?|kg|pieces|t|l|m|sets?|pairs)\s+of\s+(.+)$", name_zone, re.I | re.S)
    if en:
        name_zone_start = start + en.start(1)
        name_zone = en.group(1)
    else:
        name_zone_start = start
    cut = LABEL_NOISE.search(name_zone)
    if cut:
        name_zone = name_zone[:cut.start()]
    if "(" in name_zone:  # codes follow the name in brackets, however their label was read
        name_zone = name_zone[:name_zone.index("(")]
    m = re.match(r"[\s\d.)\-–—]*", name_zone)
    a = m.end() if m else 0
    b = len(name_zone.rstrip(" ,;:(—–-\n"))
    if b - a >= 3 and LETTERS.search(name_zone[a:b]):
        line["name"] = Hit(fix_model_code(" ".join(name_zone[a:b].split())), name_zone_start + a, name_zone_start + b, 0.8)
    return line


TNVED_LABEL = re.compile(r"тн\s*вэд|тн\s+коды|hs\s*code|h\.s\.|harmoni[sz]ed|commodity\s+code|тарифн|cn\s+code", re.I)
NOT_A_CODE = re.compile(r"(?<![\w])(?:№|N[o°]\.?|#|сч[её]т\w*|account|iban|иик|жск|бин|бсн|bin|iin|иин|тел\.?|tel\.?|phone|"
                        r"факс|fax|swift|бик|бск)[\s:.№]*$", re.I)


def _plausible_code(text: Text, pos: int, code: str, row: Row) -> bool:
    """Ten digits are a TN VED code when the nomenclature has them or a label says so,
    and not when they follow an account, phone or document-number label."""
    before = text.string[max(0, pos - 30):pos]
    if NOT_A_CODE.search(before):
        return False
    if reference().is_tnved(code):
        return True
    context = text.string[max(0, pos - 80):pos]
    return bool(TNVED_LABEL.search(context)) or any(N.find_control_codes(row.text))


def goods_lines(text: Text, lang: str) -> list[dict]:
    """Goods lines as dicts of Hits, in document order."""
    lines = []
    for ri, row in enumerate(text.rows):
        codes = N.find_tnved(row.text)
        if not codes:
            continue
        for cs, ce, code in codes:
            base = text.row_starts[ri]
            if not _plausible_code(text, base + cs, code, row):
                continue
            # Which cell holds the code?
            line = _table_line(text, ri, (cs, ce)) if len(row.cells) >= 3 else None
            if not line or "name" not in line:
                line = _prose_line(text, base + cs, base + ce)
            hit = Hit(code, base + cs, base + ce, 0.95)
            if not reference().is_tnved(code):
                fixed = repair_tnved(code)
                if fixed:
                    # One digit misread: the nomenclature has exactly one code that close.
                    hit = Hit(fixed, base + cs, base + ce, 0.6, raw=row.text[cs:ce],
                              notes=[f"read as {code}, which is not in the nomenclature; {fixed} is the only code one digit away"])
            line["tnved_code"] = hit
            cl = line.get("control_list_code")
            if cl is not None and not reference().is_control_code(cl.value):
                fixed = repair_control(cl.value)
                if fixed:
                    cl.notes = [f"read as {cl.value}, which is not in the control lists; {fixed} is the only code that close"]
                    cl.value, cl.weight = fixed, cl.weight * 0.7
            lines.append(line)
    return lines


def line_sum(lines: list[dict]) -> str | None:
    values = [ln["value"].value for ln in lines if "value" in ln]
    if not values or len(values) != len(lines):
        return None
    return f"{sum(Decimal(v) for v in values):.2f}"


def to_contract(text: Text, lines: list[dict], validate) -> list[dict]:
    out = []
    for ln in lines:
        item = {}
        for key in ("name", "tnved_code", "control_list_code", "unit_code", "quantity", "value"):
            if key in ln:
                issues = validate(key, ln)
                hit = ln[key]
                if issues:
                    hit.weight *= 0.5
                found = make(text, hit, issues)
                if found:
                    item[key] = found
        out.append(item)
    return out
