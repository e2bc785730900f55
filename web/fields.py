"""The extracted fields as the review screen shows them: labelled and ordered as the application
form (Appendix 1), flagged where a reviewer must look, and validated when a reviewer edits them.

Pure functions over plain values; the routes in `web/staff.py` do the reading and writing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import TypeAdapter, ValidationError

from extractors.normalise import parse_date, parse_number
from models.reference import reference
from models.values import ControlListCode, CountryCode, CurrencyCode, IsoDate, Text, TnvedCode, UnitCode

LOW_CONFIDENCE = 0.75  # below this a field is flagged for the reviewer

# (form number, attribute, ru, kk, en) in the order of the application form; goods attributes last.
LABELS: dict[str, tuple[str, str, str, str]] = {
    "contract_number": ("6", "Номер контракта", "Шарт нөмірі", "Contract number"),
    "contract_date": ("6", "Дата контракта", "Шарт күні", "Contract date"),
    "contract_valid_until": ("6", "Контракт действует до", "Шарт мерзімі", "Contract valid until"),
    "seller_name": ("2", "Продавец (заявитель)", "Сатушы (өтініш беруші)", "Seller (applicant)"),
    "buyer_name": ("5", "Покупатель", "Сатып алушы", "Buyer"),
    "sender_country": ("3", "Страна отправления", "Жіберуші ел", "Sender country"),
    "recipient_country": ("4", "Страна получения", "Алушы ел", "Recipient country"),
    "end_user_name": ("5", "Конечный пользователь", "Түпкі пайдаланушы", "End user"),
    "end_user_address": ("5", "Адрес конечного пользователя", "Түпкі пайдаланушының мекенжайы", "End user's address"),
    "currency": ("12", "Валюта контракта", "Шарт валютасы", "Contract currency"),
    "total_value": ("13", "Стоимость (итого)", "Құны (барлығы)", "Total value"),
    "guarantee_number": ("", "Номер гарантийного обязательства", "Кепілдік міндеттеме нөмірі", "Guarantee number"),
    "guarantee_date": ("", "Дата гарантийного обязательства", "Кепілдік міндеттеме күні", "Guarantee date"),
    "guarantee_valid_until": ("", "Гарантия действует до", "Кепілдік мерзімі", "Guarantee valid until"),
    "issuing_authority": ("", "Выдавший орган", "Берген орган", "Issuing authority"),
    "issuing_country": ("", "Страна выдачи", "Берген ел", "Issuing country"),
    "declared_end_use": ("", "Заявленное конечное использование", "Мәлімделген түпкі пайдалану", "Declared end use"),
    "end_use_commitment": ("", "Обязательство использовать по назначению", "Мақсаты бойынша пайдалану міндеттемесі",
                           "End-use commitment"),
    "no_reexport_commitment": ("", "Обязательство не реэкспортировать", "Реэкспорттамау міндеттемесі",
                               "No re-export commitment"),
    "name": ("7", "Наименование товара", "Тауардың атауы", "Goods name"),
    "tnved_code": ("8", "Код ТН ВЭД ЕАЭС", "ЕАЭО СЭҚ ТН коды", "TN VED EAEU code"),
    "control_list_code": ("9", "Код по контрольному списку", "Бақылау тізімі бойынша коды", "Control-list code"),
    "unit_code": ("10", "Единица измерения (ОКЕИ)", "Өлшем бірлігі (ОКЕИ)", "Unit (OKEI)"),
    "quantity": ("11", "Количество", "Саны", "Quantity"),
    "value": ("13", "Стоимость", "Құны", "Value"),
}
ORDER = list(LABELS)
GOODS_ATTRS = ["name", "tnved_code", "control_list_code", "unit_code", "quantity", "value"]
# The fields of each document type (../shared/spec/extraction-result.md): those not found are
# shown empty, so that a reviewer can fill them in.
DOC_FIELDS = {
    "contract": ["contract_number", "contract_date", "contract_valid_until", "seller_name", "buyer_name",
                 "sender_country", "recipient_country", "end_user_name", "end_user_address", "currency", "total_value"],
    "end_use_guarantee": ["guarantee_number", "guarantee_date", "guarantee_valid_until", "issuing_authority",
                          "issuing_country", "end_user_name", "contract_number", "contract_date", "declared_end_use",
                          "end_use_commitment", "no_reexport_commitment"],
}


class InvalidValue(ValueError):
    """A reviewer's value that the models refuse; the message is shown beside the field."""


def attribute(path: str) -> str:
    """'goods.2.tnved_code' -> 'tnved_code'; 'contract_number' -> 'contract_number'."""
    return path.rsplit(".", 1)[-1]


def goods_index(path: str) -> int | None:
    m = re.fullmatch(r"goods\.(\d+)\.\w+", path)
    return int(m.group(1)) if m else None


def label(path: str, lang: str) -> str:
    number, ru, kk, en = LABELS.get(attribute(path), ("", attribute(path), attribute(path), attribute(path)))
    text = {"ru": ru, "kk": kk, "en": en}.get(lang, ru)
    return f"{number}. {text}" if number else text


def _adapter(t) -> Callable[[Any], Any]:
    ta = TypeAdapter(t)
    return ta.validate_python


def _date(v: str) -> str:
    v = v.strip()
    try:
        return _adapter(IsoDate)(v)
    except ValidationError:
        parsed = parse_date(v)  # "12 марта 2025", "12.03.2025"
        if parsed is None:
            raise InvalidValue("дата: ГГГГ-ММ-ДД / күні: ЖЖЖЖ-АА-КК (date: YYYY-MM-DD)") from None
        return parsed


def _number(v: str) -> str:
    parsed = parse_number(v)
    if parsed is None or not re.fullmatch(r"-?\d+(?:\.\d+)?", parsed):
        raise InvalidValue(f"«{v}» — не число / сан емес (not a number)")
    return parsed


def _tnved(v: str) -> str:
    code = re.sub(r"[\s.]", "", v)
    try:
        _adapter(TnvedCode)(code)
    except ValidationError:
        raise InvalidValue("код ТН ВЭД — 10 цифр / СЭҚ ТН коды — 10 цифр (10 digits)") from None
    if not reference().is_tnved(code):
        raise InvalidValue(f"код {code} отсутствует в ТН ВЭД ЕАЭС / {code} коды ЕАЭО СЭҚ ТН-да жоқ "
                           f"(not in the EAEU nomenclature)")
    return code


def _control(v: str) -> str:
    code = v.strip().rstrip(".").replace(" ", "")
    try:
        _adapter(ControlListCode)(code)
    except ValidationError:
        raise InvalidValue("неверная форма кода контрольного списка / бақылау тізімі кодының пішіні қате") from None
    if not reference().is_control_code(code):
        raise InvalidValue(f"код {code} отсутствует в контрольных списках / {code} коды бақылау тізімдерінде жоқ")
    return code


def _unit(v: str) -> str:
    code = v.strip()
    if not reference().is_unit(code):
        raise InvalidValue(f"«{code}» — не код ОКЕИ / ОКЕИ коды емес (not an OKEI unit code)")
    return _adapter(UnitCode)(code)


def _currency(v: str) -> str:
    try:
        return _adapter(CurrencyCode)(v.strip())
    except ValidationError:
        raise InvalidValue(f"«{v}» — не код ISO 4217 / ISO 4217 коды емес") from None


def _country(v: str) -> str:
    try:
        return _adapter(CountryCode)(v.strip())
    except ValidationError:
        raise InvalidValue(f"«{v}» — не код страны ISO 3166 / ISO 3166 ел коды емес") from None


def _bool(v: str) -> bool:
    s = v.strip().lower()
    if s in ("true", "да", "иә", "yes", "1"):
        return True
    if s in ("false", "нет", "жоқ", "no", "0"):
        return False
    raise InvalidValue("да / нет — иә / жоқ (yes / no)")


def _text(v: str) -> str:
    s = _adapter(Text)(v)
    if not s:
        raise InvalidValue("пустое значение / бос мән (empty)")
    return s


_NORMALISERS: dict[str, Callable[[str], Any]] = {
    "contract_date": _date, "contract_valid_until": _date, "guarantee_date": _date, "guarantee_valid_until": _date,
    "sender_country": _country, "recipient_country": _country, "issuing_country": _country,
    "currency": _currency, "total_value": _number, "quantity": _number, "value": _number,
    "tnved_code": _tnved, "control_list_code": _control, "unit_code": _unit,
    "end_use_commitment": _bool, "no_reexport_commitment": _bool,
}


def normalise_edit(path: str, raw: str) -> Any:
    """A reviewer's typed value as the extraction contract stores it, or InvalidValue.

    >>> normalise_edit("goods.0.value", "1 250 000,00")
    '1250000.00'
    >>> normalise_edit("currency", "usd")
    'USD'
    """
    return _NORMALISERS.get(attribute(path), _text)(raw)


def as_text(value: Any) -> str:
    """A stored value as the input box shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


@dataclass
class FieldView:
    id: int | None  # None: not found by the extractor, a reviewer may fill it in
    document_id: int
    path: str
    label: str
    value: str
    confidence: float | None
    page: int | None
    bbox: list[float] | None
    file_id: int | None
    reasons: list[str]
    source: str

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def key(self) -> str:
        """The form name of the input: `field-<id>` for a stored field, `new-<doc>-<path>` for a missing one."""
        return f"field-{self.id}" if self.id is not None else f"new-{self.document_id}-{self.path}"

    @property
    def dom_id(self) -> str:
        return self.key.replace(".", "_")


def missing_paths(doc_type: str, present: set[str]) -> list[str]:
    """The fields of the document type, and the attributes of each goods line, that were not found."""
    wanted = list(DOC_FIELDS.get(doc_type, []))
    lines = sorted({goods_index(p) for p in present if goods_index(p) is not None})
    wanted += [f"goods.{i}.{a}" for i in lines for a in GOODS_ATTRS]
    return [p for p in wanted if p not in present]


def new_field_key(name: str) -> tuple[int, str] | None:
    """'new-12-goods.1.unit_code' -> (12, 'goods.1.unit_code'); None when the name is not one."""
    m = re.fullmatch(r"new-(\d+)-((?:goods\.\d+\.)?[a-z_]+)", name)
    if not m or attribute(m.group(2)) not in LABELS:
        return None
    return int(m.group(1)), m.group(2)


def reasons_to_check(value: Any, confidence: float | None, issues: list[str] | None, source: str) -> list[str]:
    """Why a reviewer must look at a field: failed checks, or low confidence (until a reviewer set it)."""
    out = list(issues or [])
    if source != "reviewer" and confidence is not None and confidence < LOW_CONFIDENCE:
        out.append(f"низкая уверенность / сенімділік төмен ({confidence:.2f})")
    if source != "reviewer" and value is None:
        out.append("не найдено / табылмады")
    return out


def sort_key(path: str) -> tuple:
    g = goods_index(path)
    attr = attribute(path)
    if g is None:
        return (0, ORDER.index(attr) if attr in ORDER else 99, 0, path)
    return (1, g, GOODS_ATTRS.index(attr) if attr in GOODS_ATTRS else 99, path)
