import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from models.extraction import ExtractionResult, Found, GoodsLine
from models.outgoing import REFUSAL_GROUND_TEXT, RefusalGround
from tests.conftest import REPO


def test_schema_command_prints_the_models_schema():
    out = subprocess.run([sys.executable, "-m", "flows.cli", "schema"], capture_output=True, text=True, check=True, cwd=REPO)
    schema = json.loads(out.stdout)
    assert schema == json.loads(json.dumps(ExtractionResult.json_schema()))
    assert "schema" in schema["properties"] and "documents" in schema["properties"]


def test_committed_truth_files_are_valid_contract_documents():
    truths = sorted((REPO / "sample_docs").glob("*.truth.json"))
    assert len(truths) >= 15
    for t in truths:
        data = json.loads(t.read_text(encoding="utf-8"))
        data.pop("generator")
        ExtractionResult.model_validate(data)
        assert (REPO / "sample_docs" / data["source"]).exists()


@pytest.mark.parametrize("field,bad", [
    ("tnved_code", "8526 91 200 0"), ("tnved_code", "85269120"), ("unit_code", "шт"),
    ("control_list_code", "2В001"), ("quantity", "1 250,5"), ("value", "1,250.00"),
])
def test_goods_values_must_be_normalised(field, bad):
    with pytest.raises(ValidationError):
        GoodsLine(**{field: {"value": bad, "confidence": 0.9}})


def test_normalised_values_are_accepted_and_empty_fields_left_out():
    line = GoodsLine(tnved_code={"value": "8526912000", "confidence": 0.9, "page": 1, "bbox": [1, 2, 3, 4]},
                     control_list_code={"value": "ML8.a", "confidence": 0.5})
    dumped = line.model_dump(exclude_none=True)
    assert set(dumped) == {"tnved_code", "control_list_code"}


@pytest.mark.parametrize("kind,value", [("date", "2025-02-30"), ("date", "12.03.2025"), ("country", "XX"), ("currency", "ABC")])
def test_bad_dates_countries_currencies_rejected(kind, value):
    from models.extraction import DocumentFields
    field = {"date": "contract_date", "country": "sender_country", "currency": "currency"}[kind]
    with pytest.raises(ValidationError):
        DocumentFields(**{field: {"value": value, "confidence": 1}})


def test_confidence_and_box_are_checked():
    with pytest.raises(ValidationError):
        Found[str](value="x", confidence=1.2)
    with pytest.raises(ValidationError):
        Found[str](value="x", confidence=0.5, bbox=(10, 10, 5, 20))


def test_sixteen_refusal_grounds_in_three_languages():
    assert len(RefusalGround) == 16
    for g in RefusalGround:
        assert set(REFUSAL_GROUND_TEXT[g]) >= {"ru", "kk", "en"}
