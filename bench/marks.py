"""Certification marks alone: seal and signature precision/recall per page, the uncertified pages
flagged, split by scan colour, and the time the marks take per page, on one core.

    python -m bench.marks --generate 40 --seed 321 --profile bench
    python -m bench.marks bench/out/set_bench_321_40          # a set generated before

Pages are read as `reexport extract` reads them (extractors.readpage.read_page: raster, OCR for
the word boxes, marks) in a pool of one process per core; the time quoted is the marks stage of
each page (extractors.marks.find_marks on the 100-dpi marks raster, words masked), measured in
the worker, so OCR on the other core does not count against it.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.accuracy import Counts, seal_in_doubt, truly_certified
from extractors.inputs import open_input
from extractors.readpage import PageJob, init_worker, read_page
from extractors.settings import ExtractSettings

KINDS = (".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png")


def read_all(truth_dir: Path, workers: int) -> dict[str, list]:
    settings = ExtractSettings(workers=workers)
    jobs = []
    for f in sorted(p for p in truth_dir.iterdir() if p.suffix.lower() in KINDS):
        inp = open_input(f, settings)
        jobs += [PageJob(str(f), inp.kind, i, settings) for i in range(inp.page_count)]
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, initializer=init_worker, mp_context=ctx) as pool:
        reads = list(pool.map(read_page, jobs))
    out: dict[str, list] = defaultdict(list)
    for job, r in zip(jobs, reads):
        out[Path(job.path).stem].append(r)
    return out


def overlaps(a, b) -> bool:
    """Whether two boxes (x0, y0, x1, y1) share any area."""
    return a is not None and b is not None and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def score(truth_dir: Path, reads: dict[str, list]) -> tuple[dict[str, dict[str, Counts]], list[float], int, int]:
    """Counts by split and mark, the marks time of each page, and the stamps the scans lost and
    left in doubt."""
    by: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    times, lost, doubt = [], 0, 0
    for tpath in sorted(truth_dir.glob("*.truth.json")):
        truth = json.loads(tpath.read_text(encoding="utf-8"))
        stem = tpath.name[: -len(".truth.json")]
        gen = truth.get("generator", {})
        has_seal = gen.get("has_seal", True)
        pages = {r.index + 1: r for r in reads.get(stem, [])}
        for tp in truth["pages"]:
            r = pages.get(tp["page"])
            if r is None:
                continue
            times.append(r.marks_ms)
            pred = {"seal": r.seal.present, "signature": r.signature.present}
            t_cert = truly_certified(tp, has_seal)
            p_cert = pred["signature"] and (pred["seal"] or not has_seal)
            # As drawn: a stamp the scan lost or left in doubt (samplegen.scan) taken as stamped.
            drawn = tp["seal"]["present"] or str(tp["page"]) in gen.get("seals_lost_in_scan", {})
            by["as drawn"]["uncertified"].add(True if not (tp["signature"]["present"] and (drawn or not has_seal)) else None,
                                              True if not p_cert else None, "uncertified")
            lost += drawn != tp["seal"]["present"]
            doubt += seal_in_doubt(tp)
            for mark, got in (("seal", r.seal), ("signature", r.signature)):
                if got.present and tp[mark]["present"] and not (mark == "seal" and seal_in_doubt(tp)):
                    # Found on a page that has it: outlined where it was drawn, or on something
                    # else (the page counts as found either way above; a reviewer sees the outline).
                    by["where"][mark].add(True, True if overlaps(got.bbox, tp[mark]["bbox"]) else None, mark)
            for split in ("all", gen.get("colour", "?")):
                if not seal_in_doubt(tp):
                    by[split]["seal"].add(True if tp["seal"]["present"] else None, True if pred["seal"] else None, "seal")
                by[split]["signature"].add(True if tp["signature"]["present"] else None,
                                           True if pred["signature"] else None, "signature")
                if t_cert is not None:
                    by[split]["uncertified"].add(True if not t_cert else None, True if not p_cert else None, "uncertified")
    return by, times, lost, doubt


def where_line(by) -> str:
    """Of the marks found on pages that have them, the share outlined where they were drawn."""
    parts = []
    for mark in ("seal", "signature"):
        c = by["where"][mark]
        parts.append(f"{mark} {c.prf()[1]:.3f} ({c.tp} of {c.tp + c.fn})")
    return "found where drawn (box overlaps the truth's): " + ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.marks", description=__doc__.split("\n\n")[0])
    ap.add_argument("truth", nargs="?", type=Path, help="directory of files with <name>.truth.json")
    ap.add_argument("--generate", type=int, metavar="N", help="generate N fresh files first (into bench/out/...)")
    ap.add_argument("--seed", type=int, default=321)
    ap.add_argument("--profile", default="bench", choices=["samples", "bench", "degraded"])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    truth_dir = args.truth
    if args.generate:
        from samplegen.__main__ import main as generate

        truth_dir = Path("bench/out") / f"set_{args.profile}_{args.seed}_{args.generate}"
        if not truth_dir.exists():
            generate(["--out", str(truth_dir), "--seed", str(args.seed), "--count", str(args.generate),
                      "--profile", args.profile])
    if truth_dir is None:
        ap.error("give a truth directory or --generate N")
    by, times, lost, doubt = score(truth_dir, read_all(truth_dir, args.workers))
    print(f"{truth_dir}: {len(times)} pages")
    print(f"{'split':12} {'mark':12} {'P':>6} {'R':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for split in ["all"] + sorted(k for k in by if k not in ("all", "as drawn", "where")):
        for mark in ("seal", "signature", "uncertified"):
            c = by[split][mark]
            p, r, _ = c.prf()
            print(f"{split:12} {mark:12} {p:6.3f} {r:6.3f} {c.tp:4d} {c.fp:4d} {c.fn:4d}")
    c = by["as drawn"]["uncertified"]
    p, r, _ = c.prf()
    print(f"stamps lost in the scan (truth: no seal): {lost}; only traces of which show (not scored): {doubt}")
    print(f"taking both as stamped (as drawn): uncertified P {p:.3f} R {r:.3f} (tp {c.tp} fp {c.fp} fn {c.fn})")
    print(where_line(by))
    times.sort()
    print(f"marks per page, one core: median {statistics.median(times):.1f} ms, "
          f"p95 {times[max(0, round(0.95 * len(times)) - 1)]:.1f} ms, max {times[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
