"""The many ways people print dates, money, codes, units, currencies and countries."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from models.reference import reference

MONTHS_RU_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря"]
MONTHS_KK = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def date_text(rng: random.Random, d: dt.date, lang: str) -> str:
    numeric = [f"{d:%d.%m.%Y}", f"{d:%d.%m.%Y}", f"{d:%Y-%m-%d}", f"{d:%d/%m/%Y}"]
    if lang == "ru":
        forms = numeric + [f"{d.day} {MONTHS_RU_GEN[d.month - 1]} {d.year} г.",
                           f"«{d.day:02d}» {MONTHS_RU_GEN[d.month - 1]} {d.year} года",
                           f"{d.day} {MONTHS_RU_GEN[d.month - 1]} {d.year} года"]
    elif lang == "kk":
        forms = numeric + [f"{d.year} жылғы {d.day} {MONTHS_KK[d.month - 1]}",
                           f"{d.year} ж. {d.day} {MONTHS_KK[d.month - 1]}",
                           f"{d.year} жылғы «{d.day:02d}» {MONTHS_KK[d.month - 1]}"]
    else:
        forms = numeric[:2] + [f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}", f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
                               f"{d.day:02d} {MONTHS_EN[d.month - 1][:3]} {d.year}", f"{d:%Y-%m-%d}"]
    return rng.choice(forms)


def _group(int_part: str, sep: str) -> str:
    out = []
    while len(int_part) > 3:
        out.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    out.insert(0, int_part)
    return sep.join(out)


def money_text(rng: random.Random, v: Decimal, lang: str, cents: bool | None = None) -> str:
    """1 250 000,00 / 1,250,000.00 / 1.250.000,00 / 1250000.00 / 1 250 000"""
    q = v.quantize(Decimal("0.01"))
    int_part, frac = str(q).split(".")
    if cents is None:
        cents = frac != "00" or rng.random() < 0.7
    if lang == "en":
        style = rng.choice([(",", "."), (",", "."), (" ", "."), ("", ".")])
    else:
        style = rng.choice([(" ", ","), (" ", ","), (" ", "."), (".", ","), ("", ",")])
    grouped = _group(int_part, style[0])
    return f"{grouped}{style[1]}{frac}" if cents else grouped


def quantity_text(rng: random.Random, q: Decimal, lang: str) -> str:
    if q == q.to_integral():
        return _group(str(int(q)), rng.choice([" ", ""]) if lang != "en" else rng.choice([",", ""]))
    s = format(q.normalize(), "f")
    return s if lang == "en" else s.replace(".", ",")


def tnved_text(rng: random.Random, code: str) -> str:
    forms = [code, f"{code[:4]} {code[4:6]} {code[6:9]} {code[9]}", f"{code[:4]} {code[4:6]} {code[6:9]} {code[9]}",
             f"{code[:4]}.{code[4:6]}.{code[6:9]}.{code[9]}", f"{code[:4]} {code[4:6]} {code[6:]}"]
    return rng.choice(forms)


UNIT_WORDS = {
    "796": {"ru": ["шт.", "шт", "штук"], "kk": ["дана"], "en": ["pcs", "pcs.", "units"]},
    "166": {"ru": ["кг"], "kk": ["кг"], "en": ["kg"]},
    "168": {"ru": ["т"], "kk": ["т"], "en": ["t"]},
    "112": {"ru": ["л"], "kk": ["л"], "en": ["l"]},
    "006": {"ru": ["м"], "kk": ["м"], "en": ["m"]},
    "055": {"ru": ["м²", "кв. м"], "kk": ["м²"], "en": ["m²", "sq. m"]},
    "715": {"ru": ["пар"], "kk": ["жұп"], "en": ["pairs"]},
    "798": {"ru": ["тыс. шт."], "kk": ["мың дана"], "en": ["thousand pcs"]},
}


def unit_text(rng: random.Random, unit_code: str, lang: str) -> str:
    words = UNIT_WORDS.get(unit_code)
    if words:
        return rng.choice(words[lang])
    return reference().units[unit_code]["ru"]


CURRENCY_WORDS = {
    "USD": {"ru": ["долларов США", "долл. США"], "kk": ["АҚШ доллары"], "en": ["US dollars", "USD"]},
    "EUR": {"ru": ["евро"], "kk": ["еуро"], "en": ["euro", "EUR"]},
    "KZT": {"ru": ["тенге"], "kk": ["теңге"], "en": ["tenge", "KZT"]},
    "RUB": {"ru": ["российских рублей", "руб."], "kk": ["Ресей рублі"], "en": ["Russian roubles", "RUB"]},
    "CNY": {"ru": ["китайских юаней", "юаней"], "kk": ["Қытай юані"], "en": ["Chinese yuan", "CNY"]},
}
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "KZT": "₸", "RUB": "₽", "CNY": "¥"}


def currency_words(rng: random.Random, code: str, lang: str) -> str:
    return rng.choice(CURRENCY_WORDS[code][lang])


def amount_with_currency(rng: random.Random, v: Decimal, code: str, lang: str) -> str:
    money = money_text(rng, v, lang)
    r = rng.random()
    if r < 0.35:
        return f"{money} {code}"
    if r < 0.5:
        return f"{code} {money}"
    if r < 0.6 and code in ("USD", "EUR"):
        return f"{CURRENCY_SIGNS[code]}{money}"
    return f"{money} {currency_words(rng, code, lang)}"


COUNTRY_NAMES = {
    # Names as people print them; the reference list supplies the official ones too.
    "ru": {"AE": ["ОАЭ", "Объединенные Арабские Эмираты"], "TR": ["Турция", "Турецкая Республика"],
           "DE": ["Германия", "ФРГ"], "IN": ["Индия", "Республика Индия"], "UZ": ["Узбекистан", "Республика Узбекистан"],
           "AZ": ["Азербайджан", "Азербайджанская Республика"], "RS": ["Сербия", "Республика Сербия"],
           "MY": ["Малайзия"], "KG": ["Кыргызстан", "Кыргызская Республика"], "EG": ["Египет", "Арабская Республика Египет"],
           "KZ": ["Казахстан", "Республика Казахстан"]},
    "kk": {"AE": ["БАӘ", "Біріккен Араб Әмірліктері"], "TR": ["Түркия"], "DE": ["Германия"], "IN": ["Үндістан"],
           "UZ": ["Өзбекстан"], "AZ": ["Әзербайжан"], "RS": ["Сербия"], "MY": ["Малайзия"], "KG": ["Қырғызстан"],
           "EG": ["Египет"], "KZ": ["Қазақстан", "Қазақстан Республикасы"]},
    "en": {"AE": ["United Arab Emirates", "UAE"], "TR": ["Türkiye", "Turkey", "Republic of Türkiye"],
           "DE": ["Germany", "Federal Republic of Germany"], "IN": ["India", "Republic of India"], "UZ": ["Uzbekistan"],
           "AZ": ["Azerbaijan"], "RS": ["Serbia"], "MY": ["Malaysia"], "KG": ["Kyrgyzstan", "Kyrgyz Republic"],
           "EG": ["Egypt", "Arab Republic of Egypt"], "KZ": ["Kazakhstan", "Republic of Kazakhstan"]},
}


def country_text(rng: random.Random, alpha2: str, lang: str) -> str:
    return rng.choice(COUNTRY_NAMES[lang][alpha2])
