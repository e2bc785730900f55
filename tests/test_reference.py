import csv
import time

import pytest

from models.reference import reference
from tests.conftest import SHARED

needs_shared = pytest.mark.skipif(not (SHARED / "data").exists(), reason="../shared is not beside the clone")


@needs_shared
def test_shipped_tnved_matches_shared_list():
    rows = list(csv.DictReader(open(SHARED / "data/tnved/tnved_eaeu_ett_10digit_with_units.csv", encoding="utf-8")))
    shipped = reference().tnved
    assert len(shipped) == len({r["code"] for r in rows}) == 13289
    for r in rows[::97]:
        assert shipped[r["code"]].unit == (r["add_unit_okei"] or None)


@needs_shared
def test_shipped_control_paths_match_shared_list():
    rows = csv.DictReader(open(SHARED / "data/control_lists/eu_dual_use_annex_i_item_paths.csv", encoding="utf-8"))
    codes = {r["item_code"] for r in rows}
    ref = reference()
    assert all(ref.is_control_code(c) for c in codes)
    assert not ref.is_control_code("9Z999")


def test_lookups_are_dictionary_hits():
    ref = reference()
    ref.is_tnved("8526912000")  # loads once
    t0 = time.perf_counter()
    for _ in range(10000):
        ref.is_tnved("8526912000")
    assert time.perf_counter() - t0 < 0.05
    assert ref.is_tnved("8526912000") and not ref.is_tnved("0000000000")
    assert ref.is_control_code("ML8.a") and ref.is_country("AE") and ref.is_currency("KZT") and ref.is_unit("796")
