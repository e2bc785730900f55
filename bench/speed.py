"""Throughput and memory of extraction, against raw tesseract and ocrmypdf on the same pages.

    python -m bench.speed --pages 100 --repeat 3
    python -m bench.speed --pages 200 --only pipeline       # peak RSS on a long scan

Builds one image-only PDF of N generated A4 pages at 300 dpi (and the same
pages as PNG files for the raw tesseract run), then times:
  pipeline  `reexport extract` (OCR + orientation + deskew + marks + fields)
  tesseract the tesseract CLI, one process per core, OMP_THREAD_LIMIT=1, plain text out
  ocrmypdf  `ocrmypdf --jobs N` and `ocrmypdf --jobs N --rotate-pages --deskew`
and prints pages/s (median of --repeat runs) and the peak RSS of each
process tree (sampled from /proc every 0.1 s).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from samplegen.generate import DocPlan, FilePlan, build_file

OUT = Path("bench/out")


def _tree_rss_kib(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_measured(cmd: list[str], env: dict | None = None, stdin: bytes | None = None) -> tuple[float, int]:
    """(seconds, peak RSS of the process tree in MiB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            stdin=subprocess.PIPE if stdin is not None else None)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            time.sleep(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate(stdin)
    th.join()
    secs = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    return secs, peak[0] // 1024


def build_scan(pages: int, seed: int, workdir: Path) -> tuple[Path, Path]:
    """One image-only PDF of `pages` pages, and the same pages as PNG files."""
    pdf_path = workdir / f"scan_{pages}p_{seed}.pdf"
    png_dir = workdir / f"png_{pages}p_{seed}"
    if pdf_path.exists() and png_dir.exists() and len(list(png_dir.glob("*.png"))) == pages:
        return pdf_path, png_dir
    workdir.mkdir(parents=True, exist_ok=True)
    png_dir.mkdir(exist_ok=True)
    rng = random.Random(seed)
    out = pikepdf.new()
    while len(out.pages) < pages:
        docs = [DocPlan("contract", rng.choice(["ru", "kk", "en"]), rng.choice(["classic", "form", "prose"])),
                DocPlan("end_use_guarantee", rng.choice(["ru", "kk", "en"]), "letter")]
        plan = FilePlan("p", "image_pdf", docs, colour=rng.choice(["grayscale", "colour", "bitonal"]), dpi=300,
                        degrade=rng.choice(["clean", "normal", "normal", "heavy"]))
        data, _, _ = build_file(random.Random(rng.randrange(1 << 30)), plan)
        src = pikepdf.open(io.BytesIO(data))
        for p in src.pages:
            if len(out.pages) < pages:
                out.pages.append(p)
    out.save(pdf_path)
    doc = pdfium.PdfDocument(str(pdf_path))
    for i in range(len(doc)):
        doc[i].render(scale=300 / 72).to_pil().convert("L").save(png_dir / f"{i + 1:04d}.png")
    doc.close()
    return pdf_path, png_dir


def bench_pipeline(pdf: Path, workers: int) -> tuple[float, int]:
    exe = Path(sys.executable).with_name("reexport")
    res = OUT / "speed_results"
    shutil.rmtree(res, ignore_errors=True)
    return run_measured([str(exe), "extract", str(pdf), "--out", str(res), "--workers", str(workers)])


def bench_tesseract(png_dir: Path, workers: int, lang: str) -> tuple[float, int]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    files = sorted(str(p) for p in png_dir.glob("*.png"))
    script = "xargs -P {n} -I{{}} tesseract {{}} - -l {lang} >/dev/null 2>&1".format(n=workers, lang=lang)
    return run_measured(["bash", "-c", script], env=env, stdin="\n".join(files).encode())


def bench_ocrmypdf(pdf: Path, workers: int, lang: str, extra: list[str]) -> tuple[float, int]:
    exe = Path(sys.executable).with_name("ocrmypdf")
    out = OUT / "ocrmypdf_out.pdf"
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    return run_measured([str(exe), "--jobs", str(workers), "-l", lang, "--force-ocr", "--output-type", "pdf",
                         "--optimize", "0", *extra, str(pdf), str(out)], env=env)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--lang", default="rus+kaz+eng")
    ap.add_argument("--only", choices=["pipeline", "tesseract", "ocrmypdf", "ocrmypdf-fix"], action="append")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    pdf, pngs = build_scan(args.pages, args.seed, OUT)
    runs = {
        "pipeline": lambda: bench_pipeline(pdf, args.workers),
        "tesseract": lambda: bench_tesseract(pngs, args.workers, args.lang),
        "ocrmypdf": lambda: bench_ocrmypdf(pdf, args.workers, args.lang, []),
        "ocrmypdf-fix": lambda: bench_ocrmypdf(pdf, args.workers, args.lang, ["--rotate-pages", "--deskew"]),
    }
    report = {"pages": args.pages, "workers": args.workers, "lang": args.lang, "repeat": args.repeat, "tools": {}}
    # Interleave the tools in each round so that machine noise hits them alike.
    times: dict[str, list[float]] = {k: [] for k in runs if not args.only or k in args.only}
    rss: dict[str, int] = {k: 0 for k in times}
    for r in range(args.repeat):
        for name in times:
            secs, peak = runs[name]()
            times[name].append(secs)
            rss[name] = max(rss[name], peak)
            print(f"round {r + 1}: {name}: {secs:.1f} s, {args.pages / secs:.2f} pages/s, peak RSS {peak} MiB", file=sys.stderr)
    for name, ts in times.items():
        med = statistics.median(ts)
        report["tools"][name] = {"median_s": round(med, 2), "pages_per_s": round(args.pages / med, 3),
                                 "runs_s": [round(t, 2) for t in ts], "peak_rss_mib": rss[name]}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.pages} pages, A4 300 dpi, {args.lang}, {args.workers} workers, median of {args.repeat}")
    print(f"{'tool':14} {'pages/s':>8} {'median s':>9} {'peak RSS MiB':>13}")
    for name, r in report["tools"].items():
        print(f"{name:14} {r['pages_per_s']:8.3f} {r['median_s']:9.1f} {r['peak_rss_mib']:13d}")
    t = report["tools"]
    if "pipeline" in t and "tesseract" in t:
        print(f"pipeline / raw tesseract: {t['pipeline']['pages_per_s'] / t['tesseract']['pages_per_s']:.2f}")
    if "pipeline" in t and "ocrmypdf-fix" in t:
        print(f"pipeline / ocrmypdf --rotate-pages --deskew: {t['pipeline']['pages_per_s'] / t['ocrmypdf-fix']['pages_per_s']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
