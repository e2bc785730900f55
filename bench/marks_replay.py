"""Work on the marks detector without reading the pages again: `capture` keeps what
extractors.marks.find_marks was given on each page of a generated set (the 100-dpi marks raster,
turned upright, and the confident word boxes), `replay` runs the detector of the working tree on
those captures, prints the same table as bench.marks, and lists each page it gets wrong.

    python -m bench.marks_replay capture bench/out/set_bench_661_150    # OCR: minutes
    python -m bench.marks_replay replay bench/out/set_bench_661_150     # seconds

Captures go to <set>/marks_capture/. A replay is only as good as its capture: a change in the
rasters, in OCR or in word masking needs a new capture; bench.marks stays the measure.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np

from bench.accuracy import seal_in_doubt
from bench.marks import KINDS, overlaps, score, where_line
from extractors import marks as marks_mod
from extractors.inputs import open_input
from extractors.ocr import turn_box
from extractors.readpage import MarkRead, PageJob, init_worker, read_page
from extractors.settings import ExtractSettings


@dataclass
class Replayed:
    """What bench.marks.score reads of a page."""
    index: int
    seal: MarkRead
    signature: MarkRead
    marks_ms: float


def _capture_one(args: tuple[PageJob, str]) -> str:
    job, out = args
    real = marks_mod.find_marks
    given = []

    def spy(img, px_per_in, boxes, bitonal=False):
        given.append((img.copy(), px_per_in, np.asarray(boxes, dtype=np.float32).reshape(-1, 4), bitonal))
        return real(img, px_per_in, boxes, bitonal)

    with mock.patch.object(marks_mod, "find_marks", spy):
        read = read_page(job)
    img, px_per_in, boxes, bitonal = given[0]
    name = f"{Path(job.path).stem}.p{job.index + 1}.npz"
    tmp = Path(out) / (name + ".part")
    with open(tmp, "wb") as fh:
        # What the pipeline found is kept too: a replay of unchanged code must find the same.
        np.savez_compressed(fh, img=img, px_per_in=px_per_in, boxes=boxes, bitonal=bitonal,
                            rotation=read.rotation, colour=read.colour,
                            seal=read.seal.present, signature=read.signature.present,
                            seal_box=_box(read.seal.bbox), signature_box=_box(read.signature.bbox))
    tmp.replace(Path(out) / name)
    return name


def _box(bbox) -> np.ndarray:
    return np.array(bbox if bbox is not None else [np.nan] * 4, dtype=np.float64)


def capture(set_dir: Path, workers: int) -> Path:
    out = set_dir / "marks_capture"
    out.mkdir(exist_ok=True)
    settings = ExtractSettings(workers=workers)
    jobs = []
    for f in sorted(p for p in set_dir.iterdir() if p.suffix.lower() in KINDS):
        inp = open_input(f, settings)
        jobs += [(PageJob(str(f), inp.kind, i, settings), str(out)) for i in range(inp.page_count)
                 if not (out / f"{f.stem}.p{i + 1}.npz").exists()]
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, initializer=init_worker, mp_context=ctx) as pool:
        for n, _ in enumerate(pool.map(_capture_one, jobs), 1):
            if n % 50 == 0:
                print(f"captured {n}/{len(jobs)} pages", file=sys.stderr)
    return out


def _replay_one(path: str) -> tuple[str, int, Replayed]:
    with np.load(path) as z:
        img, px_per_in, boxes, bitonal = z["img"], float(z["px_per_in"]), z["boxes"], bool(z["bitonal"])
        turns = int(z["rotation"]) // 90 % 4
    t0 = time.perf_counter()
    seal, sig = marks_mod.find_marks(img, px_per_in, [tuple(b) for b in boxes], bitonal)
    ms = (time.perf_counter() - t0) * 1000
    stem, page = Path(path).name[: -len(".npz")].rsplit(".p", 1)
    index = int(page) - 1
    # The capture is the page turned upright; boxes go back onto the page as stored, in points,
    # as the pipeline gives them (extractors.readpage._upright_marks).
    h, w = img.shape[:2]
    if turns % 2:
        w, h = h, w

    def read(found) -> MarkRead:
        box = tuple(round(v * 72 / px_per_in, 2) for v in turn_box(found.bbox, turns, w, h, back=True)) if found.present else None
        return MarkRead(found.present, round(found.score, 3), box)

    return stem, index, Replayed(index, read(seal), read(sig), ms)


def replay(set_dir: Path, workers: int, only: str | None = None) -> dict[str, list[Replayed]]:
    paths = sorted(str(p) for p in (set_dir / "marks_capture").glob("*.npz") if not only or p.name.startswith(only))
    if not paths:
        raise SystemExit(f"{set_dir}: nothing captured; run `python -m bench.marks_replay capture {set_dir}` first")
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, initializer=init_worker, mp_context=ctx) as pool:
        done = list(pool.map(_replay_one, paths, chunksize=8))
    reads: dict[str, list[Replayed]] = {}
    for stem, _, r in done:
        reads.setdefault(stem, []).append(r)
    return reads


def errors(set_dir: Path, reads: dict[str, list[Replayed]]) -> list[str]:
    """A line per mark the replay got wrong: file, page, colour, mark, truth, found (score); AT:
    found on a page that has it, but outlined elsewhere."""
    lines = []
    for stem, pages in sorted(reads.items()):
        truth = json.loads((set_dir / f"{stem}.truth.json").read_text(encoding="utf-8"))
        colour = truth.get("generator", {}).get("colour", "?")
        for r in sorted(pages, key=lambda r: r.index):
            tp = truth["pages"][r.index]
            for mark, got in (("seal", r.seal), ("signature", r.signature)):
                if mark == "seal" and seal_in_doubt(tp):
                    continue
                if got.present != tp[mark]["present"]:
                    kind = "FN" if tp[mark]["present"] else "FP"
                    lines.append(f"{kind} {mark:9} {stem} p{r.index + 1} {colour:9} score {got.score:.3f}")
                elif got.present and not overlaps(got.bbox, tp[mark]["bbox"]):
                    lines.append(f"AT {mark:9} {stem} p{r.index + 1} {colour:9} score {got.score:.3f}: found on something else")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.marks_replay", description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=["capture", "replay"])
    ap.add_argument("sets", nargs="+", type=Path, help="set directories (bench/out/set_...)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", help="replay only the files whose name starts with this")
    args = ap.parse_args(argv)
    for set_dir in args.sets:
        if args.action == "capture":
            print(capture(set_dir, args.workers))
            continue
        reads = replay(set_dir, args.workers, args.only)
        by, times, _, _ = score(set_dir, reads)
        print(f"{set_dir}: {len(times)} pages replayed")
        for mark in ("seal", "signature", "uncertified"):
            c = by["all"][mark]
            p, r, _ = c.prf()
            print(f"  {mark:12} P {p:.3f} R {r:.3f} (tp {c.tp} fp {c.fp} fn {c.fn})")
        print("  " + where_line(by))
        times.sort()
        print(f"  marks per page, replayed ({args.workers} processes): median {statistics.median(times):.1f} ms, "
              f"p95 {times[max(0, round(0.95 * len(times)) - 1)]:.1f} ms, max {times[-1]:.1f} ms")
        for line in errors(set_dir, reads):
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
