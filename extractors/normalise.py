"""Pure normalisers: printed forms of dates, money, codes, units, currencies and
countries to the contract's normalised values. Each returns None when the text
is not such a value; none of them raises on bad input."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from models.reference import reference

# Cyrillic letters that look like Latin ones, as OCR and typists mix them in codes.
_CYR_TO_LAT = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "о": "o", "р": "p", "с": "c",
    "т": "t", "х": "x", "у": "y", "І": "I", "і": "i",
})
# Letters OCR reads in place of digits inside numbers.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "О": "0", "о": "0", "I": "1", "l": "1", "|": "1", "З": "3", "B": "8", "S": "5"})


CYRILLIC_LOOKALIKES = frozenset(chr(c) for c in _CYR_TO_LAT)


def latinise(s: str) -> str:
    return s.translate(_CYR_TO_LAT)


def latin_if_lookalike(word: str) -> str:
    """A word whose letters are all Latin or drawn like Latin ("ТХ-300", "Мо.") is taken as
    Latin: OCR with a Cyrillic model picks the Cyrillic shapes for Latin codes and names."""
    letters = [c for c in word if c.isalpha()]
    if letters and all(c.isascii() or c in CYRILLIC_LOOKALIKES for c in letters) and not all(c.isascii() for c in letters):
        return latinise(word)
    return word


# ---------------------------------------------------------------- dates

MONTHS: dict[str, int] = {}
for _i, _names in enumerate([
    ("январ", "қаңтар", "january", "jan"), ("феврал", "ақпан", "february", "feb"), ("март", "наурыз", "march", "mar"),
    ("апрел", "сәуір", "april", "apr"), ("ма", "мамыр", "may"), ("июн", "маусым", "june", "jun"),
    ("июл", "шілде", "july", "jul"), ("август", "тамыз", "august", "aug"), ("сентябр", "қыркүйек", "september", "sep", "sept"),
    ("октябр", "қазан", "october", "oct"), ("ноябр", "қараша", "november", "nov"), ("декабр", "желтоқсан", "december", "dec"),
], start=1):
    for _n in _names:
        MONTHS[_n] = _i

_MONTH_WORD = r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{3,12}\.?"
_DAY = r"«?\s*(?P<d>[0-3]?\d)\s*»?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
DATE_PATTERNS = [
    # 12.03.2025, 12/03/2025, 12-03-2025, 12.03.25
    re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\s?[./-]\s?(?P<m>[01]?\d)\s?[./-]\s?(?P<y>(?:19|20)\d\d|\d\d)(?![\d])"),
    # 2025-03-12
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    # 12 марта 2025 г. / «12» марта 2025 года / 12 March 2025 / 12 Mar 2025
    re.compile(_DAY + r"\s*(?P<mw>" + _MONTH_WORD + r")\s*,?\s*" + _YEAR),
    # March 12, 2025
    re.compile(r"(?P<mw>[A-Za-z]{3,9}\.?)\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+" + _YEAR),
    # 2025 жылғы 12 наурыз / 2025 ж. «12» наурыз / 2025 жылғы 12 наурыздағы
    re.compile(_YEAR + r"\s*(?:жылғы|жыл|ж\.?)\s*" + _DAY + r"\s*(?P<mw>" + _MONTH_WORD + r")"),
]


def month_number(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if not w:
        return None
    # Longest stem that the word starts with ("ма" is May only for "мая"/"май").
    best = None
    for stem, n in MONTHS.items():
        if w.startswith(stem) and (best is None or len(stem) > len(best[0])):
            best = (stem, n)
    if best is None:
        return None
    if best[0] == "ма" and w not in ("мая", "май"):
        return None
    return best[1]


def _mkdate(y: str, m: int | None, d: str) -> dt.date | None:
    if m is None:
        return None
    year = int(y)
    if year < 100:
        year += 2000
    try:
        return dt.date(year, m, int(d))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Every date in the text as (start, end, date), in reading order, without overlaps."""
    hits: list[tuple[int, int, dt.date]] = []
    for rx in DATE_PATTERNS:
        for m in rx.finditer(text):
            gd = m.groupdict()
            month = month_number(gd["mw"]) if gd.get("mw") else int(gd["m"])
            d = _mkdate(gd["y"], month, gd["d"])
            if d and not any(s < m.end() and m.start() < e for s, e, _ in hits):
                hits.append((m.start(), m.end(), d))
    return sorted(hits)


def parse_date(text: str) -> str | None:
    hits = find_dates(text)
    return hits[0][2].isoformat() if hits else None


# ---------------------------------------------------------------- money and quantities

# (a first group of four digits is a group whose space OCR dropped: "2520 019.80")
_NUMBER = re.compile(r"(?<![\w.,])-?\d{1,3}(?:[ \u00a0\u202f'’.,]\d{3})+(?:[.,]\d{1,2})?(?![\d])|"
                     r"(?<![\w.,])-?\d{4}(?: \d{3})+[.,]\d{2}(?![\d])|(?<![\w.,])-?\d+(?:[.,]\d+)?(?![\d])")


def parse_number(text: str) -> str | None:
    """'1 250 000,00', '1,250,000.00', '1.250.000,00', '1250000', '3,5' -> plain decimal string."""
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"[^\d.,' ’-]", "", s).strip(" .,")
    if not s or not re.search(r"\d", s):
        return None
    s = s.replace("'", " ").replace("’", " ")
    seps = [c for c in s if c in ".,"]
    if " " in s.strip():
        groups = s.split()
        if not all(re.fullmatch(r"\d{3}(?:[.,]\d+)?", g) for g in groups[1:]) or not re.fullmatch(r"-?\d{1,4}", groups[0]):
            return None
        s = "".join(groups)
        seps = [c for c in s if c in ".,"]
    if len(seps) == 0:
        out = s
    elif len(seps) == 1:
        sep = seps[0]
        head, tail = s.split(sep)
        # "1,250" is a thousand group in English prints; "3,5" and "12,50" are decimals.
        if len(tail) == 3 and sep == "," and len(head) <= 3 and head not in ("0", "-0"):
            out = head + tail
        elif len(tail) == 3 and sep == "." and len(head) <= 3 and head not in ("0", "-0"):
            out = head + tail  # "1.250" as thousands (European grouping)
        else:
            out = head + "." + tail
    else:
        last = max(s.rfind("."), s.rfind(","))
        dec_sep = s[last]
        int_part, frac = s[:last], s[last + 1:]
        group_sep = "," if dec_sep == "." else "."
        if dec_sep in int_part or len(frac) == 3 and all(c == dec_sep for c in seps):
            # 1,250,000 (all separators the same and groups of three): no decimals
            if all(c == seps[0] for c in seps) and re.fullmatch(r"-?\d{1,3}(?:[.,]\d{3})+", s):
                out = s.replace(seps[0], "")
            else:
                return None
        else:
            if not re.fullmatch(r"-?\d{1,3}(?:" + re.escape(group_sep) + r"\d{3})*", int_part):
                return None
            out = int_part.replace(group_sep, "") + "." + frac
    try:
        Decimal(out)
    except InvalidOperation:
        return None
    return out


def money(text: str) -> str | None:
    """A money amount with two decimals: '1 250 000' -> '1250000.00'."""
    n = parse_number(text)
    if n is None:
        return None
    return f"{Decimal(n):.2f}"


def quantity(text: str) -> str | None:
    n = parse_number(text)
    if n is None:
        return None
    d = Decimal(n)
    return format(d.normalize(), "f") if d != d.to_integral() else str(int(d))


def find_numbers(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _NUMBER.finditer(text):
        n = parse_number(m.group())
        if n is not None:
            out.append((m.start(), m.end(), n))
    return out


# ---------------------------------------------------------------- codes

# 8526912000, 8526 91 200 0, 8526.91.200.0, 8526 91 2000, 8526-91-200-0; OCR may put O for 0.
TNVED_RX = re.compile(r"(?<![\w.])([0-9OoОо]{4})[ .\-]?([0-9OoОо]{2})[ .\-]?([0-9OoОо]{3})[ .\-]?([0-9OoОо])(?![\w]|[.,]\d)")


def tnved(text: str) -> str | None:
    m = TNVED_RX.search(text)
    if not m:
        return None
    code = "".join(m.groups()).translate(_DIGIT_LOOKALIKES)
    return code if code.isdigit() else None


def find_tnved(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in TNVED_RX.finditer(text):
        code = "".join(m.groups()).translate(_DIGIT_LOOKALIKES)
        if code.isdigit():
            out.append((m.start(), m.end(), code))
    return out


# 5A002.a.1, 6A003.b.4, 1C350, ML8.a, 2В001 (Cyrillic В); OCR may read "ML 8.a" or "6A003.b.4." with a dot.
CONTROL_RX = re.compile(
    r"(?<![\w])((?:[0-9][ABCDEАВСЕ]\s?[0-9OО]{3}|[MМ][LL]\s?\d{1,2})(?:\s?\.\s?[a-zа-яЬьБ0-9]{1,3})*)(?![\w])"
)


def control_code(text: str) -> str | None:
    m = CONTROL_RX.search(text)
    if not m:
        return None
    return _clean_control(m.group(1))


# How OCR with Cyrillic models prints the Latin sub-item letters of control codes.
_SUFFIX_LOOKALIKES = str.maketrans({"Ь": "b", "ь": "b", "Б": "b", "в": "b", "р": "p", "п": "n", "г": "r", "и": "u", "д": "d"})
def _clean_control(raw: str) -> str:
    s = latinise(re.sub(r"\s+", "", raw)).rstrip(".")
    head, _, rest = s.partition(".")
    if not head.startswith("ML"):
        head = head[:2] + head[2:].translate(_DIGIT_LOOKALIKES)
    # "Ь" is how a Cyrillic OCR model reads a Latin "b".
    parts = [latinise(p.translate(_SUFFIX_LOOKALIKES)).lower() for p in rest.split(".") if p] if rest else []
    return ".".join([head.upper()] + parts)


def find_control_codes(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(1), m.end(1), _clean_control(m.group(1))) for m in CONTROL_RX.finditer(text)]


# ---------------------------------------------------------------- units

UNIT_WORDS: dict[str, str] = {
    "шт": "796", "штук": "796", "штука": "796", "штуки": "796", "дана": "796", "pcs": "796", "pc": "796",
    "pieces": "796", "piece": "796", "units": "796", "unit": "796", "ea": "796", "nos": "796",
    "кг": "166", "кт": "166", "kt": "166", "килограмм": "166", "килограммов": "166", "kg": "166", "kgs": "166",
    "т": "168", "тонн": "168", "тонна": "168", "тонны": "168", "t": "168", "tonnes": "168", "tons": "168", "mt": "168",
    "л": "112", "литр": "112", "литров": "112", "l": "112", "litres": "112", "liters": "112",
    "м": "006", "метр": "006", "метров": "006", "m": "006", "metres": "006", "meters": "006",
    "м2": "055", "м²": "055", "квм": "055", "m2": "055", "m²": "055", "sqm": "055",
    "пар": "715", "пара": "715", "пары": "715", "жұп": "715", "pairs": "715", "pair": "715",
    "тысшт": "798", "мыңдана": "798", "thousandpcs": "798", "тыс": "798", "мың": "798", "thousand": "798",
    "г": "163", "грамм": "163", "g": "163", "компл": "839", "комплект": "839", "set": "839", "sets": "839", "жиынтық": "839",
}


def unit_code(text: str) -> str | None:
    """'шт.', 'дана', 'pcs', 'кг', 'кв. м', 'тыс. шт.' -> OKEI code; a 3-digit code passes through."""
    s = text.strip().lower()
    if re.fullmatch(r"\d{3}", s):
        return s if reference().is_unit(s) else None
    key = re.sub(r"[\s.]", "", s)
    return UNIT_WORDS.get(key)


# ---------------------------------------------------------------- currencies

CURRENCY_WORDS: list[tuple[str, str]] = [
    (r"долл\w*\.?\s*сша|usd|us\s*dollars?|u\.s\.\s*dollars?|dollars?|\$|ақш\s*доллар\w*", "USD"),
    (r"евро|еуро|euros?|eur|€", "EUR"),
    (r"тенге|теңге|tenge|kzt|₸", "KZT"),
    (r"(?:российск\w+\s*)?рубл\w*|руб\.?|ресей\s*рубл\w*|roubles?|rubles?|rub|₽", "RUB"),
    (r"(?:китайск\w+\s*)?юан\w*|қытай\s*юан\w*|yuan|renminbi|cny|rmb|¥", "CNY"),
    (r"фунт\w*\s*стерлинг\w*|pounds?\s*sterling|gbp|£", "GBP"),
    (r"дирхам\w*|dirhams?|aed", "AED"),
    (r"швейцарск\w*\s*франк\w*|swiss\s*francs?|chf", "CHF"),
    (r"турецк\w*\s*лир\w*|turkish\s*lira|try", "TRY"),
]
_CURRENCY_RX = [(re.compile(r"(?<![\w])(?:" + p + r")(?![\w])", re.I), c) for p, c in CURRENCY_WORDS]


def find_currencies(text: str) -> list[tuple[int, int, str]]:
    out = []
    for rx, code in _CURRENCY_RX:
        for m in rx.finditer(text):
            out.append((m.start(), m.end(), code))
    # Any other ISO 4217 code printed as such.
    for m in re.finditer(r"(?<![\w])[A-Z]{3}(?![\w])", text):
        if reference().is_currency(m.group()) and not any(s <= m.start() < e for s, e, _ in out):
            if m.group() not in ("THE", "AND", "FOR", "LLC", "LLP", "JSC", "FZE", "INN", "BIN", "VAT", "CIP", "DAP", "EXW", "FCA", "CPT"):
                out.append((m.start(), m.end(), m.group()))
    return sorted(out)


def currency(text: str) -> str | None:
    hits = find_currencies(text)
    return hits[0][2] if hits else None


# ---------------------------------------------------------------- countries

# Names people print besides the reference list's official ones.
COUNTRY_ALIASES = {
    "оаэ": "AE", "оаэ.": "AE", "uae": "AE", "u.a.e.": "AE", "баә": "AE", "эмираты": "AE", "emirates": "AE",
    "фрг": "DE", "германия": "DE", "germany": "DE", "turkey": "TR", "türkiye": "TR", "turkiye": "TR", "турция": "TR",
    "түркия": "TR", "сша": "US", "usa": "US", "u.s.a.": "US", "ақш": "US", "рф": "RU", "россия": "RU", "ресей": "RU",
    "кнр": "CN", "китай": "CN", "қытай": "CN", "china": "CN", "великобритания": "GB", "uk": "GB", "united kingdom": "GB",
    "рк": "KZ", "казахстан": "KZ", "қазақстан": "KZ", "kazakhstan": "KZ", "кыргызстан": "KG", "киргизия": "KG",
    "қырғызстан": "KG", "kyrgyzstan": "KG", "kyrgyz republic": "KG", "узбекистан": "UZ", "өзбекстан": "UZ",
    "азербайджан": "AZ", "әзербайжан": "AZ", "египет": "EG", "egypt": "EG", "индия": "IN", "үндістан": "IN",
    "сербия": "RS", "малайзия": "MY", "корея": "KR", "южная корея": "KR", "south korea": "KR", "иран": "IR",
    "беларусь": "BY", "белоруссия": "BY", "армения": "AM", "грузия": "GE", "монголия": "MN", "таджикистан": "TJ",
    "тәжікстан": "TJ", "түрік республикасы": "TR", "қырғыз республикасы": "KG", "қырғыз": "KG", "азербайджанская республика": "AZ", "azerbaijani republic": "AZ", "туркменистан": "TM", "түрікменстан": "TM", "саудовская аравия": "SA", "saudi arabia": "SA",
    "пакистан": "PK", "pakistan": "PK", "вьетнам": "VN", "vietnam": "VN", "viet nam": "VN", "israel": "IL", "израиль": "IL",
}
_COUNTRY_STOP = {"республика", "republic", "of", "the", "федеративная", "federal", "арабская", "arab", "state", "государство",
                 "республикасы", "kingdom", "королевство", "объединенные", "united", "islamic", "исламская", "people's",
                 "народная", "democratic", "демократическая", "and", "и", "және", "socialist", "социалистическая"}


def _cp(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _word_match(name_word: str, text_word: str) -> int:
    """Length of the shared stem when the two are one word in different cases, else 0.

    Inflection changes endings ('Германии', 'Германияның', 'Объединенных'),
    so words match on a long common prefix rather than on equality."""
    if len(name_word) <= 3 or len(text_word) <= 3:
        return len(name_word) if name_word == text_word else 0
    cp = _cp(name_word, text_word)
    allowed = min(5, max(1, len(name_word) // 3))
    return cp if cp >= 4 and cp >= len(name_word) - allowed else 0


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"[\w'’]+(?:\.[\w]+\.?)*", text)]


@lru_cache(maxsize=1)
def _country_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Country names (three languages + aliases) as word tuples, keyed by their first word's first letters."""
    names: list[tuple[str, str]] = list(COUNTRY_ALIASES.items())
    for a2, entry in reference().countries.items():
        for name in (n for ns in entry["names"].values() for n in ns):
            names.append((name, a2))
            # "Объединенные Арабские Эмираты" also as its core words without the state form.
            core = [w for w in name.split() if w.lower() not in _COUNTRY_STOP]
            if core and len(core) < len(name.split()):
                names.append((" ".join(core), a2))
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    seen = set()
    for name, a2 in names:
        key = tuple(w for _, _, w in _words(name))
        if key and key not in seen:
            seen.add(key)
            index.setdefault(key[0][:3], []).append((key, a2))
    return index


def find_countries(text: str) -> list[tuple[int, int, str]]:
    """Country names in the text, inflected or not, as (start, end, alpha-2)."""
    words = _words(text)
    index = _country_index()
    out = []
    i = 0
    while i < len(words):
        best = None  # (words used, shared letters, alpha-2)
        for key, a2 in index.get(words[i][2][:3], ()):
            n = len(key)
            if i + n > len(words):
                continue
            score = 0
            for kw, (_, _, tw) in zip(key, words[i:i + n]):
                m = _word_match(kw, tw)
                if not m:
                    break
                score += m
            else:
                if best is None or (n, score) > (best[0], best[1]):
                    best = (n, score, a2)
        if best:
            out.append((words[i][0], words[i + best[0] - 1][1], best[2]))
            i += best[0]
        else:
            i += 1
    return out


def country(text: str) -> str | None:
    hits = find_countries(text)
    return hits[0][2] if hits else None


def collapse(text: str) -> str:
    return " ".join(text.split())
