"""bench.marks_replay: the detector replayed on captured pages finds what the pipeline found."""
import json

import numpy as np

from bench import marks_replay
from bench.accuracy import seal_in_doubt
from bench.marks import overlaps
from samplegen.__main__ import main as generate


def test_a_replay_of_the_same_code_finds_what_the_pipeline_found(tmp_path):
    set_dir = tmp_path / "set"
    # Seed 676: three pages, one turned a quarter (the boxes come back through the turn).
    generate(["--out", str(set_dir), "--seed", "676", "--count", "2", "--profile", "bench"])
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
            # Boxes back on the page as stored, in points, as the pipeline gave them.
            for mark, box in ((got.seal, z["seal_box"]), (got.signature, z["signature_box"])):
                if mark.bbox is None:
                    assert np.isnan(box).all(), f.name
                else:
                    assert np.allclose(mark.bbox, box, atol=0.01), (f.name, mark.bbox, box)
    # Each page wrong against its truth is listed once per mark (AT: found, but on something
    # else than the truth's box), and only those.
    wrong = 0
    for t in set_dir.glob("*.truth.json"):
        truth = json.loads(t.read_text(encoding="utf-8"))
        for r in reads[t.name[: -len(".truth.json")]]:
            tp = truth["pages"][r.index]
            for mark, got in (("seal", r.seal), ("signature", r.signature)):
                if mark == "seal" and seal_in_doubt(tp):
                    continue
                wrong += got.present != tp[mark]["present"] or (got.present and not overlaps(got.bbox, tp[mark]["bbox"]))
    assert len(marks_replay.errors(set_dir, reads)) == wrong
