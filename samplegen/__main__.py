"""python -m samplegen --out DIR [--seed N] [--count N] [--profile samples|bench|degraded]"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from samplegen.generate import FORMATS, DocPlan, FilePlan, build_file

LANGS = ["ru", "ru", "kk", "en"]
LAYOUTS = ["classic", "form", "prose"]


def plan_files(rng: random.Random, count: int, profile: str) -> list[FilePlan]:
    plans = []
    for i in range(count):
        # The committed samples cycle through every format so that each kind is present.
        fmt = FORMATS[i % len(FORMATS)] if profile == "samples" else rng.choices(FORMATS, [5, 2, 1, 2, 1, 1])[0]
        combo = rng.choice(["contract", "guarantee", "both"]) if fmt not in ("jpeg", "png") else "guarantee"
        if fmt == "mixed_pdf":
            combo = "both"
        lang = rng.choice(LANGS)
        docs = []
        if combo in ("contract", "both"):
            docs.append(DocPlan("contract", lang, rng.choice(LAYOUTS)))
        if combo in ("guarantee", "both"):
            docs.append(DocPlan("end_use_guarantee", rng.choice(["ru", "en", "en", "kk"]), "letter"))
        colour = rng.choice(["colour", "grayscale", "grayscale", "bitonal"])
        if fmt == "tiff":
            colour = rng.choice(["bitonal", "bitonal", "grayscale"])
        if fmt == "png":
            colour = "bitonal"
        degrade = "heavy" if profile == "degraded" else rng.choices(["clean", "normal", "heavy"], [2, 6, 2])[0]
        dpi = 300 if profile != "samples" else rng.choice([200, 200, 300])
        name = f"{i + 1:03d}_{'_'.join(d.doc_type.split('_')[0] for d in docs)}_{docs[0].language}_{fmt}"
        plans.append(FilePlan(name=name, fmt=fmt, docs=docs, colour=colour, dpi=dpi, degrade=degrade,
                              has_seal=rng.random() < 0.9, certify_rate=rng.choice([0.6, 0.8, 1.0])))
    return plans


def planned(seed: int, count: int, profile: str) -> list[tuple[FilePlan, random.Random]]:
    """Each file's plan and the generator that draws it: the same seed makes the same files, and
    any one of them can be made again alone."""
    rng = random.Random(seed)
    plans = plan_files(rng, count, profile)
    return [(plan, random.Random(rng.randrange(1 << 30))) for plan in plans]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m samplegen", description="Generate sample scans with ground truth.")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--profile", choices=["samples", "bench", "degraded"], default="samples")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for plan, file_rng in planned(args.seed, args.count, args.profile):
        data, ext, truth = build_file(file_rng, plan)
        path = args.out / (plan.name + ext)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.rename(path)
        truth["source"] = path.name
        (args.out / (plan.name + ".truth.json")).write_text(json.dumps(truth, ensure_ascii=False, indent=2))
        print(f"{path.name}: {truth['page_count']} page(s), {len(data) // 1024} KiB")


if __name__ == "__main__":
    main()
