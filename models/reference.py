"""The reference data (TN VED, OKEI units, control lists, countries, currencies).

One module loads it, once per process; every look-up is a dict or set hit.
The data is a compact copy derived from ../shared/data by
tools/build_refdata.py (sources listed in shared/data/SOURCES.md).
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

# The Wassenaar Munitions List categories ML1..ML22 are used for military goods;
# they are not in the EU dual-use Annex I, so they are checked by pattern.
_ML_CODE = re.compile(r"^ML(?:[1-9]|1\d|2[0-2])(?:\.[a-z](?:\.\d{1,2}(?:\.[a-z])?)?)?$")


def _load(name: str):
    with resources.files("models").joinpath(f"refdata/{name}.json.gz").open("rb") as fh:
        return json.loads(gzip.decompress(fh.read()))


@dataclass(frozen=True)
class TnvedEntry:
    code: str
    unit: str | None  # OKEI code of the additional unit, None where the tariff gives none
    unit_name: str | None
    name: str
    path: str


class Reference:
    """Read-only look-ups. Get the shared instance with `reference()`."""

    @cached_property
    def tnved(self) -> dict[str, TnvedEntry]:
        return {code: TnvedEntry(code=code, **v) for code, v in _load("tnved").items()}

    @cached_property
    def units(self) -> dict[str, dict]:
        return {u["code"]: u for u in _load("units")}

    @cached_property
    def control_paths(self) -> frozenset[str]:
        return frozenset(_load("control_paths"))

    @cached_property
    def countries(self) -> dict[str, dict]:
        return {c["alpha2"]: c for c in _load("countries")}

    @cached_property
    def currencies(self) -> dict[str, dict]:
        return {c["code"]: c for c in _load("currencies")}

    def is_tnved(self, code: str) -> bool:
        return code in self.tnved

    def is_control_code(self, code: str) -> bool:
        return code in self.control_paths or bool(_ML_CODE.match(code))

    def is_unit(self, code: str) -> bool:
        return code in self.units

    def is_country(self, alpha2: str) -> bool:
        return alpha2 in self.countries

    def is_currency(self, code: str) -> bool:
        return code in self.currencies


@lru_cache(maxsize=1)
def reference() -> Reference:
    return Reference()
