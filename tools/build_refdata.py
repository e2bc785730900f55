"""Derive the compact reference data the application ships from ../shared/data.

The originals stay in shared/ (with their sources); the app carries a small
derived copy in models/refdata/ so that an installed package works without
shared/ beside it. tests/test_refdata.py checks the copy against shared/ when
shared/ is there, so a change of the reference data cannot go unnoticed.

Usage: python tools/build_refdata.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "models" / "refdata"
_FOOTNOTE = re.compile(r"\s*\d+\)$")


def _clean_name(name: str) -> str:
    name = name.strip().lstrip("–-— ").strip()
    return _FOOTNOTE.sub("", name)


def build_tnved(shared: Path) -> dict:
    rows = csv.DictReader(open(shared / "tnved" / "tnved_eaeu_ett_10digit_with_units.csv", encoding="utf-8"))
    codes = {}
    for r in rows:
        path = [_clean_name(p) for p in r["name_full_path"].split(" / ")]
        codes[r["code"]] = {
            "unit": r["add_unit_okei"] or None,
            "unit_name": None if r["add_unit"] in ("–", "") else r["add_unit"],
            "name": _clean_name(r["name"]),
            "path": " / ".join(path),
        }
    return codes


def build_units(shared: Path) -> list[dict]:
    rows = csv.DictReader(open(shared / "units" / "okei_units.csv", encoding="utf-8"))
    return [
        {"code": r["Code"], "name": r["Name"], "ru": r["SymbolRu"], "en": r["SymbolEn"],
         "alpha_ru": r["AlphaRu"], "alpha_en": r["AlphaEn"]}
        for r in rows
    ]


def build_control_paths(shared: Path) -> list[str]:
    rows = csv.DictReader(open(shared / "control_lists" / "eu_dual_use_annex_i_item_paths.csv", encoding="utf-8"))
    return sorted({r["item_code"] for r in rows})


def build_countries(shared: Path) -> list[dict]:
    rows = csv.DictReader(open(shared / "iso" / "countries_iso3166_ru_kk.csv", encoding="utf-8"))
    out = []
    for r in rows:
        names = {
            "en": [r["name_en"], r["official_name_en"]],
            "ru": [r["name_ru_pycountry"], r["name_ru_cldr"], r["oksm_short_ru"], r["oksm_full_ru"]],
            "kk": [r["name_kk_pycountry"], r["name_kk_cldr"]],
        }
        out.append({
            "alpha2": r["alpha2"], "alpha3": r["alpha3"], "numeric": r["numeric"],
            "names": {k: sorted({n for n in v if n and n != "nan"}) for k, v in names.items()},
        })
    return out


def build_currencies(shared: Path) -> list[dict]:
    rows = csv.DictReader(open(shared / "iso" / "currencies_iso4217_ru_kk.csv", encoding="utf-8"))
    return [
        {"code": r["code"], "numeric": r["numeric"], "minor_units": r["minor_units"],
         "en": r["name_en"], "ru": r["name_ru_cldr"] or r["name_ru_pycountry"],
         "kk": r["name_kk_cldr"] or None, "symbol_ru": r["symbol_ru_cldr"]}
        for r in rows
    ]


def write(name: str, data) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json.gz"
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0 keeps the gzip bytes reproducible, so a rebuild without changes is no diff.
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return path


def build_all(shared: Path) -> dict:
    return {
        "tnved": build_tnved(shared),
        "units": build_units(shared),
        "control_paths": build_control_paths(shared),
        "countries": build_countries(shared),
        "currencies": build_currencies(shared),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = ap.parse_args()
    for name, data in build_all(args.shared).items():
        p = write(name, data)
        print(f"{p.relative_to(OUT.parent.parent)}: {len(data)} entries, {p.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
