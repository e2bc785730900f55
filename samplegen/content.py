"""What a generated document says: parties, numbers, dates, goods, money.

These records are the generator's own inputs, and the ground truth is written
from them (never from what the extractor reads back).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from models.reference import reference

# Goods of the kinds this service sees: (TN VED prefix, control code, unit, names by language).
# Codes are drawn from the reference list under the prefix, so they always exist.
GOODS_KINDS: list[dict] = [
    {"prefix": "852589", "control": "6A003.b.4", "unit": "796",
     "names": {"ru": "Тепловизионная камера", "kk": "Жылу бейнелеуіш камера", "en": "Thermal imaging camera"}},
    {"prefix": "880622", "control": "9A012", "unit": "796",
     "names": {"ru": "Беспилотный летательный аппарат", "kk": "Ұшқышсыз ұшу аппараты", "en": "Unmanned aerial vehicle"}},
    {"prefix": "900580", "control": "6A002.c", "unit": "796",
     "names": {"ru": "Монокуляр ночного видения", "kk": "Түнгі көру монокуляры", "en": "Night vision monocular"}},
    {"prefix": "851762", "control": "5A002.a", "unit": "796",
     "names": {"ru": "Маршрутизатор с функцией шифрования", "kk": "Шифрлау функциясы бар маршрутизатор", "en": "Encrypting network router"}},
    {"prefix": "845710", "control": "2B001.b", "unit": "796",
     "names": {"ru": "Обрабатывающий центр с ЧПУ", "kk": "СББ өңдеу орталығы", "en": "CNC machining centre"}},
    {"prefix": "903020", "control": "3A002.a", "unit": "796",
     "names": {"ru": "Цифровой осциллограф", "kk": "Сандық осциллограф", "en": "Digital oscilloscope"}},
    {"prefix": "681511", "control": "1C010.b", "unit": "166",
     "names": {"ru": "Углеродное волокно", "kk": "Көміртек талшығы", "en": "Carbon fibre"}},
    {"prefix": "810890", "control": "1C202.b", "unit": "166",
     "names": {"ru": "Прутки из титанового сплава", "kk": "Титан қорытпасынан жасалған шыбықтар", "en": "Titanium alloy bars"}},
    {"prefix": "850440", "control": "3A225", "unit": "796",
     "names": {"ru": "Преобразователь частоты", "kk": "Жиілік түрлендіргіш", "en": "Frequency changer"}},
    {"prefix": "852691", "control": "7A105", "unit": "796",
     "names": {"ru": "Приемник спутниковой навигации", "kk": "Спутниктік навигация қабылдағышы", "en": "Satellite navigation receiver"}},
    {"prefix": "930330", "control": "ML1.a", "unit": "796",
     "names": {"ru": "Карабин охотничий", "kk": "Аңшылық карабин", "en": "Hunting carbine"}},
    {"prefix": "930621", "control": "ML3.a", "unit": "796",
     "names": {"ru": "Патроны к гладкоствольному оружию", "kk": "Тегіс ұңғылы қаруға арналған патрондар", "en": "Shotgun cartridges"}},
    {"prefix": "902750", "control": "2B351.a", "unit": "796",
     "names": {"ru": "Газоанализатор", "kk": "Газ талдағыш", "en": "Gas analyser"}},
    {"prefix": "841191", "control": "9A001", "unit": "166",
     "names": {"ru": "Части газотурбинного двигателя", "kk": "Газтурбиналық қозғалтқыш бөлшектері", "en": "Gas turbine engine parts"}},
    {"prefix": "901380", "control": "6A005.a", "unit": "796",
     "names": {"ru": "Лазерный дальномер", "kk": "Лазерлік қашықтық өлшегіш", "en": "Laser rangefinder"}},
    {"prefix": "847150", "control": "4A003", "unit": "796",
     "names": {"ru": "Вычислительный сервер", "kk": "Есептеу сервері", "en": "Computing server"}},
]

MODELS = ["TX-300", "NV-2", "M7", "Pro 640", "K-12", "X2", "AR-5", "S-900", "HD-35", "Q4"]

SELLERS = [
    {"ru": "ТОО «Альфа Технолоджис»", "kk": "«Альфа Технолоджис» ЖШС", "en": "Alpha Technologies LLP"},
    {"ru": "АО «Казахстан Инжиниринг Системс»", "kk": "«Қазақстан Инжиниринг Системс» АҚ", "en": "Kazakhstan Engineering Systems JSC"},
    {"ru": "ТОО «Степь Оптикс»", "kk": "«Дала Оптикс» ЖШС", "en": "Steppe Optics LLP"},
    {"ru": "ТОО «Каспий Индастриал»", "kk": "«Каспий Индастриал» ЖШС", "en": "Caspian Industrial LLP"},
    {"ru": "АО «Семей Машзавод»", "kk": "«Семей Машзауыты» АҚ", "en": "Semey Machine Works JSC"},
]

BUYERS = [
    ("AE", "Gulf Trade Solutions LLC", "Office 1204, Al Moosa Tower, Sheikh Zayed Road, Dubai"),
    ("TR", "Anka Savunma Sanayi A.S.", "Ataturk Bulvari 112, Cankaya, Ankara"),
    ("DE", "Nordtech Handels GmbH", "Hafenstrasse 14, 20457 Hamburg"),
    ("IN", "Bharat Precision Instruments Pvt Ltd", "Plot 44, MIDC, Pune 411019"),
    ("UZ", "Tashkent Engineering Group LLC", "Amir Temur street 107, Tashkent"),
    ("AZ", "Caspian Defence Systems LLC", "Neftchilar avenue 65, Baku"),
    ("RS", "Balkan Industrial d.o.o.", "Bulevar Oslobodjenja 7, Novi Sad"),
    ("MY", "Selangor Avionics Sdn Bhd", "Jalan Teknologi 3, Shah Alam"),
    ("KG", "Kyrgyz Aero Service LLC", "Chui avenue 219, Bishkek"),
    ("EG", "Nile Advanced Systems S.A.E.", "El Tahrir street 21, Cairo"),
]

END_USERS = [
    ("Research Institute of Applied Physics", "Universitetskaya street 5, {city}"),
    ("National Border Service Technical Centre", "Independence avenue 41, {city}"),
    ("State Aircraft Repair Plant No. 2", "Airport road 12, {city}"),
    ("Polytechnic University Laboratory of Optics", "Campus 3, building B, {city}"),
    ("Regional Emergency Rescue Service", "Fire station lane 8, {city}"),
]

CITIES = {"AE": "Abu Dhabi", "TR": "Ankara", "DE": "Berlin", "IN": "New Delhi", "UZ": "Tashkent",
          "AZ": "Baku", "RS": "Belgrade", "MY": "Kuala Lumpur", "KG": "Bishkek", "EG": "Cairo"}

# Issuing authorities of end-use guarantees, as printed (inflected) in each language.
AUTHORITIES = {
    "AE": {"en": "Ministry of Defence of the United Arab Emirates", "ru": "Министерство обороны Объединенных Арабских Эмиратов", "kk": "Біріккен Араб Әмірліктерінің Қорғаныс министрлігі"},
    "TR": {"en": "Ministry of National Defence of the Republic of Türkiye", "ru": "Министерство национальной обороны Турецкой Республики", "kk": "Түрік Республикасының Ұлттық қорғаныс министрлігі"},
    "DE": {"en": "Federal Office for Economic Affairs and Export Control of Germany", "ru": "Федеральное ведомство экономики и экспортного контроля Германии", "kk": "Германияның Экономика және экспорттық бақылау федералдық ведомствосы"},
    "IN": {"en": "Ministry of External Affairs of India", "ru": "Министерство иностранных дел Индии", "kk": "Үндістанның Сыртқы істер министрлігі"},
    "UZ": {"en": "Ministry of Defence of the Republic of Uzbekistan", "ru": "Министерство обороны Республики Узбекистан", "kk": "Өзбекстан Республикасының Қорғаныс министрлігі"},
    "AZ": {"en": "Ministry of Defence Industry of the Republic of Azerbaijan", "ru": "Министерство оборонной промышленности Азербайджанской Республики", "kk": "Әзербайжан Республикасының Қорғаныс өнеркәсібі министрлігі"},
    "RS": {"en": "Ministry of Trade of the Republic of Serbia", "ru": "Министерство торговли Республики Сербия", "kk": "Сербия Республикасының Сауда министрлігі"},
    "MY": {"en": "Strategic Trade Secretariat of Malaysia", "ru": "Секретариат по стратегической торговле Малайзии", "kk": "Малайзияның Стратегиялық сауда хатшылығы"},
    "KG": {"en": "Ministry of Economy and Commerce of the Kyrgyz Republic", "ru": "Министерство экономики и коммерции Кыргызской Республики", "kk": "Қырғыз Республикасының Экономика және коммерция министрлігі"},
    "EG": {"en": "Ministry of Military Production of the Arab Republic of Egypt", "ru": "Министерство военной промышленности Арабской Республики Египет", "kk": "Египет Араб Республикасының Әскери өнеркәсіп министрлігі"},
}

PURPOSES = [
    {"en": "border surveillance", "ru": "охрана государственной границы", "kk": "мемлекеттік шекараны күзету"},
    {"en": "scientific research", "ru": "научные исследования", "kk": "ғылыми зерттеулер"},
    {"en": "maintenance of civil aircraft", "ru": "техническое обслуживание гражданских воздушных судов", "kk": "азаматтық әуе кемелеріне техникалық қызмет көрсету"},
    {"en": "search and rescue operations", "ru": "поисково-спасательные работы", "kk": "іздестіру-құтқару жұмыстары"},
    {"en": "industrial quality control", "ru": "промышленный контроль качества", "kk": "өнеркәсіптік сапа бақылауы"},
]

CURRENCIES = ["USD", "EUR", "KZT", "RUB", "CNY"]
SENDER_COUNTRIES = ["AE", "TR", "DE", "UZ", "AZ", "KG", "RS", "MY"]


@dataclass
class GoodsLine:
    kind: dict
    tnved_code: str
    control_code: str
    unit_code: str
    quantity: Decimal
    unit_price: Decimal
    model: str

    @property
    def value(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))

    def name(self, lang: str) -> str:
        return f"{self.kind['names'][lang]} {self.model}"


@dataclass
class Contract:
    language: str
    number: str
    date: dt.date
    valid_until: dt.date | None
    seller: dict
    buyer: tuple[str, str, str]  # country, name, address
    sender_country: str
    recipient_country: str
    end_user_name: str
    end_user_address: str
    currency: str
    goods: list[GoodsLine]
    city: str = "Алматы"

    @property
    def total(self) -> Decimal:
        return sum((g.value for g in self.goods), Decimal("0.00"))

    @property
    def seller_name(self) -> str:
        return self.seller[self.language]


@dataclass
class Guarantee:
    language: str
    number: str
    date: dt.date
    valid_until: dt.date | None
    country: str
    authority: str
    end_user_name: str
    end_user_address: str
    contract: Contract
    purpose: str
    list_goods: bool
    end_use_commitment: bool = True
    no_reexport_commitment: bool = True


@dataclass
class Applicant:
    name_ru: str
    name_kk: str
    has_seal: bool = True
    extra: dict = field(default_factory=dict)


def _contract_number(rng: random.Random, year: int) -> str:
    forms = [
        lambda: f"KZ-{rng.randint(1, 99)}/{year}",
        lambda: f"{rng.randint(10, 250)}-EX/{year}",
        lambda: f"TR-{year}/{rng.randint(1, 999):04d}",
        lambda: f"{rng.randint(1, 12):02d}/{year % 100:02d}-EXP",
        lambda: f"AT-{year}-{rng.randint(1, 99):03d}",
        lambda: f"{rng.randint(100, 999)}/{rng.randint(1, 9)}-{year}",
    ]
    return rng.choice(forms)()


def _guarantee_number(rng: random.Random, year: int) -> str:
    forms = [
        lambda: f"EUC-{year}/{rng.randint(1, 999):03d}",
        lambda: f"{rng.randint(1, 99)}/{rng.randint(100, 9999)}",
        lambda: f"MD-{rng.randint(1000, 9999)}",
        lambda: f"{rng.randint(10, 99)}-{rng.randint(10, 99)}/{year}",
    ]
    return rng.choice(forms)()


def random_goods(rng: random.Random, n: int) -> list[GoodsLine]:
    ref = reference()
    kinds = rng.sample(GOODS_KINDS, n)
    lines = []
    for kind in kinds:
        codes = sorted(c for c in ref.tnved if c.startswith(kind["prefix"]))
        code = rng.choice(codes)
        unit = ref.tnved[code].unit or kind["unit"]
        if unit == "166":
            qty = Decimal(rng.choice([50, 120, 250, 1000, 1500, 37.5, 2.5]))
        elif unit == "798":  # thousand pieces
            qty = Decimal(rng.choice([2, 5, 10, 25]))
        else:
            qty = Decimal(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 50, 100]))
        price = Decimal(rng.choice([150, 420, 980, 1250, 3400, 7800, 12500, 18900, 45000, 126000])) + Decimal(
            rng.choice(["0", "0.50", "0.99", "0.25"]))
        lines.append(GoodsLine(kind=kind, tnved_code=code, control_code=kind["control"], unit_code=unit,
                               quantity=qty.normalize() if qty == qty.to_integral() else qty,
                               unit_price=price, model=rng.choice(MODELS)))
    return lines


def random_contract(rng: random.Random, language: str) -> Contract:
    year = rng.choice([2024, 2025, 2026])
    date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    buyer = rng.choice(BUYERS)
    sender = rng.choice([c for c in SENDER_COUNTRIES if c != buyer[0]])
    recipient = buyer[0]
    eu_name, eu_addr = rng.choice(END_USERS)
    currency = rng.choice(CURRENCIES)
    goods = random_goods(rng, rng.choice([1, 1, 2, 2, 3, 4]))
    if currency == "KZT":
        for g in goods:
            g.unit_price = (g.unit_price * 470).quantize(Decimal("1.00"))
    valid_until = dt.date(year + rng.choice([1, 2]), 12, 31) if rng.random() < 0.8 else None
    return Contract(
        language=language, number=_contract_number(rng, year), date=date, valid_until=valid_until,
        seller=rng.choice(SELLERS), buyer=buyer, sender_country=sender, recipient_country=recipient,
        end_user_name=eu_name, end_user_address=eu_addr.format(city=CITIES[recipient]),
        currency=currency, goods=goods, city=rng.choice(["Алматы", "Астана", "Шымкент"]),
    )


def random_guarantee(rng: random.Random, language: str, contract: Contract) -> Guarantee:
    date = contract.date + dt.timedelta(days=rng.randint(3, 60))
    valid_until = dt.date(date.year + 1, date.month, min(date.day, 28)) if rng.random() < 0.7 else None
    country = contract.recipient_country
    return Guarantee(
        language=language, number=_guarantee_number(rng, date.year), date=date, valid_until=valid_until,
        country=country, authority=AUTHORITIES[country][language],
        end_user_name=contract.end_user_name, end_user_address=contract.end_user_address,
        contract=contract, purpose=rng.choice(PURPOSES)[language], list_goods=rng.random() < 0.6,
    )
