"""bench.marks_replay: the detector replayed on captured pages finds what the pipeline found."""
import json

import numpy as np

from bench import marks_replay
from bench.accuracy import seal_in_doubt
from samplegen.__main__ import main as generate


def test_a_replay_of_the_same_code_finds_what_the_pipeline_found(tmp_path):
    set_dir = tmp_path / "set"
    generate(["--out", str(set_dir), "--seed", "661", "--count", "2", "--profile", "bench"])
    captured = marks_replay.capture(set_dir, workers=1)
    files = sorted(captured.glob("*.npz"))
    pages = sum(len(json.loads(t.read_text(encoding="utf-8"))["pages"]) for t in set_dir.glob("*.truth.json"))
    assert len(files) == pages and not list(captured.glob("*.part"))
    reads = marks_replay.replay(set_dir, workers=1)
    for f in files:
        stem, page = f.name[: -len(".npz")].rsplit(".p", 1)
        got = next(r for r in reads[stem] if r.index == int(page) - 1)
        with np.load(f) as z:
            assert (got.seal.present, got.signature.present) == (bool(z["seal"]), bool(z["signature"])), f.name
    # Each page wrong against its truth is listed once per mark, and only those.
    wrong = 0
    for t in set_dir.glob("*.truth.json"):
        truth = json.loads(t.read_text(encoding="utf-8"))
        for r in reads[t.name[: -len(".truth.json")]]:
            tp = truth["pages"][r.index]
            wrong += r.signature.present != tp["signature"]["present"]
            wrong += r.seal.present != tp["seal"]["present"] and not seal_in_doubt(tp)
    assert len(marks_replay.errors(set_dir, reads)) == wrong
