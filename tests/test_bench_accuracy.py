import json
import shutil

from bench.accuracy import canon, evaluate
from tests.conftest import REPO


def _truth_as_results(tmp_path):
    truth_dir = tmp_path / "t"
    res = tmp_path / "r"
    truth_dir.mkdir()
    res.mkdir()
    for t in sorted((REPO / "sample_docs").glob("*.truth.json"))[:6]:
        shutil.copy(t, truth_dir / t.name)
        data = json.loads(t.read_text(encoding="utf-8"))
        data.pop("generator")
        (res / t.name.replace(".truth.json", ".json")).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return truth_dir, res


def test_truth_scores_perfectly(tmp_path):
    truth_dir, res = _truth_as_results(tmp_path)
    rep = evaluate(truth_dir, res)
    assert rep["micro_f1"] == 1.0 and rep["doc_type_accuracy"] == 1.0
    assert rep["marks"]["signature"]["f1"] == 1.0


def test_wrong_and_missing_values_lower_the_score(tmp_path):
    truth_dir, res = _truth_as_results(tmp_path)
    first = sorted(res.glob("*.json"))[0]
    data = json.loads(first.read_text(encoding="utf-8"))
    doc = data["documents"][0]
    key = next(iter(doc["fields"]))
    doc["fields"][key]["value"] = "2000-01-01" if "date" in key else "WRONG"
    doc["goods"] = doc["goods"][1:]
    first.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (res / sorted(res.glob("*.json"))[1].name).unlink()
    rep = evaluate(truth_dir, res)
    assert rep["micro_f1"] < 1.0
    assert rep["missing_results"] == 1
    assert rep["fields"][key]["fp"] >= 1 and rep["fields"][key]["fn"] >= 1


def test_comparison_ignores_case_lookalikes_and_number_format():
    assert canon("total_value", "1250000.00") == canon("total_value", "1250000")
    assert canon("seller_name", "ТОО «Альфа»") == canon("seller_name", "тоо альфа")
    assert canon("contract_number", "KZ-17/2025") == canon("contract_number", "КZ-17/2025")
    assert canon("contract_number", "17/2025") != canon("contract_number", "17/2026")


def test_a_seal_in_doubt_is_not_scored_either_way(tmp_path):
    truth_dir, res = _truth_as_results(tmp_path)
    name, page = next((t.name, i) for t in sorted(truth_dir.glob("*.truth.json"))
                      for i, p in enumerate(json.loads(t.read_text(encoding="utf-8"))["pages"])
                      if p["seal"]["present"] and p["signature"]["present"])
    result = res / name.replace(".truth.json", ".json")
    data = json.loads(result.read_text(encoding="utf-8"))
    data["pages"][page]["seal"] = {"present": False, "score": 0.1}  # the reader saw no stamp
    result.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    missed = evaluate(truth_dir, res)
    assert missed["marks"]["seal"]["fn"] == 1 and missed["uncertified_pages"]["fp"] == 1
    truth = json.loads((truth_dir / name).read_text(encoding="utf-8"))
    truth["pages"][page]["seal"]["score"] = 0.5  # only traces of the stamp show on the scan
    (truth_dir / name).write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    doubt = evaluate(truth_dir, res)
    assert doubt["marks"]["seal"]["fn"] == 0 and doubt["uncertified_pages"]["fp"] == 0
    assert doubt["marks"]["seal"]["tp"] == missed["marks"]["seal"]["tp"]
