"""Checks on extracted values against the reference lists and each other.
A value that fails is kept; the reason is returned for the reviewer."""
from __future__ import annotations

from models.reference import reference

# Sub-item letters and digits that OCR confuses with each other.
_SUFFIX_CONFUSIONS = {"p": "b", "6": "b", "b": "6h", "o": "a0", "e": "c", "c": "e", "l": "1i", "1": "li", "i": "1l", "h": "b"}


def repair_tnved(code: str) -> str | None:
    """The one nomenclature code a single misread digit away from `code`, if exactly one exists."""
    ref = reference()
    found = set()
    for i, old in enumerate(code):
        for d in "0123456789":
            if d != old:
                cand = code[:i] + d + code[i + 1:]
                if ref.is_tnved(cand):
                    found.add(cand)
    return found.pop() if len(found) == 1 else None


def repair_control(code: str) -> str | None:
    """The one listed code a single sub-item character away from `code`, if exactly one."""
    ref = reference()
    head, _, rest = code.partition(".")
    if not rest:
        return None
    found = set()
    for i, ch in enumerate(rest):
        for alt in _SUFFIX_CONFUSIONS.get(ch, ""):
            cand = head + "." + rest[:i] + alt + rest[i + 1:]
            if ref.is_control_code(cand):
                found.add(cand)
    return found.pop() if len(found) == 1 else None


def goods_issues(key: str, line: dict) -> list[str]:
    ref = reference()
    hit = line.get(key)
    if hit is None:
        return []
    v = hit.value
    if key == "tnved_code":
        if not ref.is_tnved(v):
            return [f"TN VED code {v} is not in the EAEU nomenclature"]
    elif key == "control_list_code":
        if not ref.is_control_code(v):
            return [f"control-list code {v} is not in the control lists"]
    elif key == "unit_code":
        if not ref.is_unit(v):
            return [f"unit code {v} is not an OKEI unit"]
        code = line.get("tnved_code")
        entry = ref.tnved.get(code.value) if code else None
        if entry is not None and entry.unit and entry.unit != v:
            return [f"the tariff's additional unit for {code.value} is {entry.unit} ({entry.unit_name}), not {v}"]
    return []
