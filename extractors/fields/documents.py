"""Field rules of a contract and of an end-use guarantee. Each returns a dict of
Found-shaped dicts keyed by the contract's field names."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from extractors import normalise as N
from extractors.fields import parties
from extractors.fields.common import COLON, NO_SIGN, NUMBER, Hit, clean_number, first_date_after, labelled_values, make, number_after
from extractors.fields.nlp import commitments
from extractors.text import Text

CONTRACT_WORD = r"(?:контракт\w*|договор\w*|contract|agreement|келісімшарт\w*|шарт\w*)"
VALID_UNTIL = (r"(?:действ\w+\s+до|срок\s+действия\s*(?:контракта\s*)?(?:до|[:\-–—])|valid\s+(?:until|till|through|up\s+to)|"
               r"in\s+force\s+(?:until|till)|expires?\s+on|дейін\s+(?:қолданылады|жарамды|күшінде)|қолданылу\s+мерзімі|"
               r"жарамдылық\s+мерзімі)")
SENDER = r"(?:страна\s+(?:отправлени\w+|отправител\w+|происхождени\w+)|country\s+of\s+(?:dispatch|shipment|origin|export)|sender\s+country|жөнелтуші\s+ел\w*|жөнелту\s+ел\w*|шығарылған\s+ел\w*)"
RECIPIENT = r"(?:страна\s+(?:назначени\w+|получател\w+)|country\s+of\s+(?:destination|import)|recipient\s+country|destination\s+country|алушы\s+ел\w*|межелі\s+ел\w*|баратын\s+ел\w*)"
CURRENCY_LABEL = r"(?:валют\w+\s+(?:контракта|договора|платежа)|валют\w+|currency(?:\s+of\s+(?:the\s+)?contract)?|contract\s+currency|келісімшарт\s+валютасы|валютасы)"
TOTAL_LABEL = (r"(?:общ\w+\s+(?:сумм\w+|стоимост\w+)(?:\s+(?:контракта|договора))?|итого(?:\s+к\s+оплате)?|всего|"
               r"total(?:\s+(?:contract\s+)?(?:value|amount|price|sum|cost))?|жалпы\s+сомасы|барлығы|жиыны|grand\s+total)")


def _money_hits(text: Text, start: int, reach: int = 90) -> list[Hit]:
    seg = text.string[start:start + reach]
    out = []
    for s, e, v in N.find_numbers(seg):
        before = seg[max(0, s - 1):s]
        # Clause numbers ("2.1.") and years are not amounts.
        if re.fullmatch(r"\d+\.\d+", seg[s:e]) and seg[e:e + 1] == "." or re.fullmatch(r"(19|20)\d\d", v):
            continue
        if before == "№":
            continue
        out.append(Hit(f"{Decimal(v):.2f}", start + s, start + e, 0.9))
    return out


def contract_fields(text: Text, lang: str, goods_total: str | None) -> dict:
    f: dict = {}
    # Number: "Номер контракта: X", "КОНТРАКТ № X", "Contract No. X"
    hits = number_after(text, r"(?:номер\s+(?:контракта|договора)|contract\s+(?:number|no\.?)|келісімшарт\s+нөмірі)" + COLON)
    hits += number_after(text, CONTRACT_WORD + r"(?:\s+[^\s№]+){0,3}?\s*" + NO_SIGN)
    num = min(hits, key=lambda h: h.start) if hits else None
    if num is None:
        # A heading the reader garbled ("СОМТКАСТ №"): the first № in the first rows.
        head_end = text.row_starts[min(3, len(text.rows) - 1)] + len(text.rows[min(3, len(text.rows) - 1)].text) if text.rows else 0
        hits = [h for h in number_after(text, NO_SIGN) if h.start < head_end]
        if hits:
            num = hits[0]
            num.weight = 0.75
    f["contract_number"] = make(text, num)
    # Date: labelled, else the first date near the heading.
    date = None
    for m in text.finditer(r"(?:дата(?:\s+(?:контракта|договора|заключения))?|date(?:\s+of\s+(?:the\s+)?contract)?|dated|күні)" + COLON):
        date = first_date_after(text, m.end(), 40)
        if date:
            break
    if date is None:
        anchor = num.end if num else 0
        date = first_date_after(text, anchor, 200)
        if date:
            date.weight = 0.8
    f["contract_date"] = make(text, date)
    for m in text.finditer(VALID_UNTIL):
        hit = first_date_after(text, m.end(), 60)
        if hit:
            f["contract_valid_until"] = make(text, hit)
            break
    seller = parties.party(text, "seller", lang)
    buyer = parties.party(text, "buyer", lang)
    f["seller_name"] = make(text, seller)
    f["buyer_name"] = make(text, buyer)
    for key, label in (("sender_country", SENDER), ("recipient_country", RECIPIENT)):
        hits = labelled_values(text, label + COLON, N.find_countries, reach=80)
        f[key] = make(text, hits[0] if hits else None)
    eu_name, eu_addr = parties.end_user(text, lang)
    f["end_user_name"] = make(text, eu_name)
    f["end_user_address"] = make(text, eu_addr)
    cur_hits = labelled_values(text, CURRENCY_LABEL + COLON, N.find_currencies, reach=50, lines=1)
    if cur_hits:
        f["currency"] = make(text, cur_hits[0])
    else:
        found = N.find_currencies(text.string)
        if found:
            code, _ = Counter(c for _, _, c in found).most_common(1)[0]
            s, e, _ = next(x for x in found if x[2] == code)
            f["currency"] = make(text, Hit(code, s, e, 0.7))
    totals: list[Hit] = []
    for m in text.finditer(TOTAL_LABEL + r"\s*(?:составляет|is|құрайды|[:\-–—])?\s*"):
        totals += _money_hits(text, m.end())[:1]
    if not totals and goods_total:
        # No total label could be read: an amount equal to the lines' sum is the total.
        for s_, e_, v in N.find_numbers(text.string):
            if N.money(text.string[s_:e_]) == goods_total and text.string.count(text.string[s_:e_]) == 1:
                totals.append(Hit(goods_total, s_, e_, 0.75))
    total = None
    if totals:
        agree = [h for h in totals if goods_total and h.value == goods_total]
        total = agree[0] if agree else totals[0]
    issues = None
    if total is not None and goods_total and total.value != goods_total:
        total.weight *= 0.6
        issues = [f"line values sum to {goods_total}, not {total.value}"]
    f["total_value"] = make(text, total, issues)
    return {k: v for k, v in f.items() if v}


def guarantee_fields(text: Text, lang: str) -> dict:
    f: dict = {}
    s = text.string
    # The contract it refers to: "контракту № X от DATE", "Contract No. X dated DATE", "DATE № X келісімшарт"
    c_num = c_date = None
    m = re.search(CONTRACT_WORD + r"\s*" + NO_SIGN + r"\s*(" + NUMBER + r")", s, re.I)
    if m:
        val = clean_number(m.group(1))
        c_num = Hit(val, m.start(1), m.start(1) + len(val), 0.92)
        c_date = first_date_after(text, c_num.end, 50)
    else:
        for m in re.finditer(r"(" + NUMBER + r")\s*" + CONTRACT_WORD, s, re.I):
            before = s[max(0, m.start() - 60):m.start()]
            if "№" in before[-4:] or re.search(NO_SIGN + r"\s*$", before):
                val = clean_number(m.group(1))
                c_num = Hit(val, m.start(1), m.start(1) + len(val), 0.85)
                dates = N.find_dates(before)
                if dates:
                    ds, de, d = dates[-1]
                    off = m.start() - len(before)
                    c_date = Hit(d.isoformat(), off + ds, off + de, 0.85)
                break
    f["contract_number"] = make(text, c_num)
    f["contract_date"] = make(text, c_date)
    # Its own number and date: the first "№ X" in the letter's heading that is not the contract's
    # (further down, "No. 2" belongs to names like "Plant No. 2").
    head_rows = min(8, len(text.rows))
    head_end = text.row_starts[head_rows - 1] + len(text.rows[head_rows - 1].text) if text.rows else 0
    g_num = None
    for h in number_after(text, NO_SIGN):
        if h.start > head_end:
            break
        if c_num and h.start == c_num.start:
            continue
        if re.search(CONTRACT_WORD + r"\s*$", s[max(0, h.start - 25):h.start].replace("№", "").strip(), re.I):
            continue
        g_num = h
        break
    f["guarantee_number"] = make(text, g_num)
    g_date = None
    if g_num:
        row = text.row_at(g_num.start)
        lo = text.row_starts[row]
        hi = lo + len(text.rows[row].text)
        for ds, de, d in N.find_dates(s[lo:hi]):
            if not (c_date and lo + ds == c_date.start):
                g_date = Hit(d.isoformat(), lo + ds, lo + de, 0.9)
                break
    if g_date is None:
        for ds, de, d in N.find_dates(s[: max(200, len(s) // 4)]):
            if not (c_date and ds == c_date.start):
                g_date = Hit(d.isoformat(), ds, de, 0.7)
                break
    f["guarantee_date"] = make(text, g_date)
    for m in re.finditer(VALID_UNTIL, s, re.I):
        hit = first_date_after(text, m.end(), 60)
        if hit:
            f["guarantee_valid_until"] = make(text, hit)
            break
    auth = authority(text)
    f["issuing_authority"] = make(text, auth)
    country = None
    for row_i in range(min(5, len(text.rows))):
        lo = text.row_starts[row_i]
        found = N.find_countries(text.rows[row_i].text)
        if found:
            cs, ce, a2 = found[0]
            country = Hit(a2, lo + cs, lo + ce, 0.9)
            break
    if country is None and auth is not None:
        found = N.find_countries(auth.value)
        if found:
            country = Hit(found[-1][2], auth.start, auth.end, 0.75)
    f["issuing_country"] = make(text, country)
    eu_name, _ = parties.end_user(text, lang)
    f["end_user_name"] = make(text, eu_name)
    f["declared_end_use"] = make(text, end_use(text))
    said = commitments(s, lang)
    for key, field in (("END_USE", "end_use_commitment"), ("NO_REEXPORT", "no_reexport_commitment")):
        if key in said:
            a, b = said[key]
            f[field] = make(text, Hit(True, a, b, 0.9))
        else:
            # A guarantee that does not say it: recorded as false for the reviewer to confirm.
            f[field] = {"value": False, "confidence": 0.6}
    return {k: v for k, v in f.items() if v}


AUTHORITY_VERB = r"\s+(?:hereby|настоя[щш]им|осы\s+арқылы|подтверждает|certifies|guarantees|гарантирует)"


def authority(text: Text) -> Hit | None:
    s = text.string
    m = re.search(AUTHORITY_VERB, s, re.I)
    if m:
        head = s[max(0, m.start() - 200):m.start()]
        cut = max(head.rfind(". "), head.rfind("\n\n"), head.rfind(":"))
        start = m.start() - len(head) + (cut + 1 if cut >= 0 else 0)
        seg = s[start:m.start()]
        lead = re.match(r"\s*(?:the\s+)?", seg, re.I)
        a = start + (lead.end() if lead else 0)
        b = m.start()
        name = " ".join(s[a:b].split())
        # A heading that runs into the sentence: keep the last line only.
        if "\n" in s[a:b]:
            a = s.rfind("\n", a, b) + 1
            lead = re.match(r"\s*(?:the\s+)?", s[a:b], re.I)
            a += lead.end() if lead else 0
            name = " ".join(s[a:b].split())
        if 5 <= len(name) <= 200:
            return Hit(name, a, b, 0.85)
    if text.rows:
        first = text.rows[0].text
        return Hit(" ".join(first.split()), 0, len(first), 0.6)
    return None


END_USE_LABELS = [
    r"(?:заявленн\w+|следующ\w+)\s+цел\w+\s*:\s*(?P<v>[^.\n]+(?:\n[^.\n]+)?)",
    r"(?:used|use)\s+(?:solely|only|exclusively)\s+for\s+(?:the\s+purpose\s+of\s+)?(?P<v>[^.\n]+(?:\n[^.\n]+)?)",
    r"мақсатта\s*:\s*(?P<v>.+?)\s+пайдаланыл",
    r"(?:для\s+следующих\s+целей|for\s+the\s+purpose\s+of|пайдалану\s+мақсаты)\s*:?\s*(?P<v>[^.\n]+(?:\n[^.\n]+)?)",
    r"(?:end[\s-]?use|конечное\s+использование|цель\s+использования|purpose)\s*[:\-–—]\s*(?P<v>[^.\n]+)",
]


def end_use(text: Text) -> Hit | None:
    for rx in END_USE_LABELS:
        m = re.search(rx, text.string, re.I | re.S)
        if m:
            a, b = m.start("v"), m.end("v")
            value = " ".join(text.string[a:b].split()).strip(" .,;")
            if 3 <= len(value) <= 200:
                return Hit(value, a, b, 0.85)
    return None
