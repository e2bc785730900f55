"""Normalised value types of the extraction contract, validated on construction.

Format is checked here (10 digits, ISO codes that exist); whether a TN VED or
control-list code exists in the reference lists is a *validation* result of the
extractor, recorded with a lowered confidence, never a reason to drop a value.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from models.reference import reference

_DECIMAL = re.compile(r"^-?\d+(?:\.\d+)?$")
_TNVED = re.compile(r"^\d{10}$")
_CONTROL = re.compile(r"^(?:\d[A-E]\d{3}(?:\.[a-z0-9]+)*|ML\d{1,2}(?:\.[a-z0-9]+)*)$")
_UNIT = re.compile(r"^\d{3}$")


def _iso_date(v: object) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v)
    dt.date.fromisoformat(s)  # raises ValueError on a bad date
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        raise ValueError(f"date must be YYYY-MM-DD, got {s!r}")
    return s


def _decimal_string(v: object) -> str:
    if isinstance(v, (int, Decimal)):
        v = str(v)
    s = str(v)
    if not _DECIMAL.match(s):
        raise ValueError(f"decimal must be plain digits with '.' as separator, got {s!r}")
    try:
        Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards
        raise ValueError(str(exc)) from exc
    return s


def _pattern(rx: re.Pattern, what: str):
    def check(v: str) -> str:
        if not rx.match(v):
            raise ValueError(f"{what} has the wrong form: {v!r}")
        return v
    return check


def _alpha2(v: str) -> str:
    v = v.upper()
    if not reference().is_country(v):
        raise ValueError(f"not an ISO 3166-1 alpha-2 country: {v!r}")
    return v


def _currency(v: str) -> str:
    v = v.upper()
    if not reference().is_currency(v):
        raise ValueError(f"not an ISO 4217 currency: {v!r}")
    return v


def _collapse(v: str) -> str:
    return " ".join(str(v).split())


IsoDate = Annotated[str, BeforeValidator(_iso_date)]
DecimalString = Annotated[str, BeforeValidator(_decimal_string)]
TnvedCode = Annotated[str, AfterValidator(_pattern(_TNVED, "TN VED code (10 digits)"))]
ControlListCode = Annotated[str, AfterValidator(_pattern(_CONTROL, "control-list code"))]
UnitCode = Annotated[str, AfterValidator(_pattern(_UNIT, "unit code (3 digits)"))]
CountryCode = Annotated[str, AfterValidator(_alpha2)]
CurrencyCode = Annotated[str, AfterValidator(_currency)]
Text = Annotated[str, AfterValidator(_collapse)]
