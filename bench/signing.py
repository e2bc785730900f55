"""Cost of issuing a permit: render + sign + verify, per document and in parallel.

    python -m bench.signing --count 60 --workers 2

Uses a throw-away development PKI in a temporary directory. For B-B and for B-T (timestamp
over HTTP from the local RFC 3161 server on 127.0.0.1, one shared HTTP session per signer)
it prints, per permit, the median and p95 of render, sign, render+sign and verify (one process,
after a warm-up), and then signed permits per second with --workers processes each rendering,
signing and verifying its share.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from models.case import Applicant, GoodsItem, Party
from models.outgoing import Permit
from signing.config import SigningConfig, load_config
from signing.pki import create_dev_pki
from signing.render import render_permit
from signing.signer import PadesSigner
from signing.trust import validation_context
from signing.tsa import LocalTsaServer
from signing.verify import verify_pdf


def permit(i: int) -> Permit:
    return Permit(
        number=f"KZ-RP-2026-{i:05d}",
        applicant=Applicant(full_name="ТОО «Қазақ Электроника»", bin="123456789012",
                            legal_address="Алматы қ., Әл-Фараби даңғылы 17", phone="+7 727 000 00 00"),
        sender_country="KZ", recipient_country="TR", end_user=Party(name="Aselsan A.Ş.", address="Ankara"),
        contract_number=f"TR-2025/{i:04d}", contract_date="2025-03-14",
        goods=[GoodsItem(name=f"Тепловизионная камера, модель {k}", tnved_code="8525893000",
                         control_list_code="6A003.b.4", unit_code="796", quantity=str(k + 1), value=f"{1000 * (k + 1)}.00")
               for k in range(3)],
        currency="USD", authority_name="Комитет индустриального развития", head_name="Әбдірахманов Қ. С.",
        issued_on="2026-11-25", valid_until="2027-11-25")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def per_document(config: SigningConfig, count: int) -> dict:
    signer = PadesSigner(config)
    context = validation_context(config)
    for i in range(3):  # warm-up: fonts, first TSA round trip
        verify_pdf(signer.sign(render_permit(permit(i))), context)
    times: dict[str, list[float]] = {"render": [], "sign": [], "render+sign": [], "verify": []}
    for i in range(count):
        t0 = time.perf_counter()
        pdf = render_permit(permit(i))
        t1 = time.perf_counter()
        signed = signer.sign(pdf)
        t2 = time.perf_counter()
        ok = verify_pdf(signed, context).ok
        t3 = time.perf_counter()
        if not ok:
            raise SystemExit(f"permit {i} did not verify")
        times["render"].append(t1 - t0)
        times["sign"].append(t2 - t1)
        times["render+sign"].append(t2 - t0)
        times["verify"].append(t3 - t2)
    return {k: {"median_ms": round(statistics.median(v) * 1000, 1), "p95_ms": round(_pct(v, 0.95) * 1000, 1)}
            for k, v in times.items()}


def _worker(args: tuple[SigningConfig, list[int]]) -> int:
    config, numbers = args
    signer = PadesSigner(config)
    context = validation_context(config)
    done = 0
    for i in numbers:
        done += verify_pdf(signer.sign(render_permit(permit(i))), context).ok
    return done


def throughput(config: SigningConfig, count: int, workers: int) -> float:
    shares = [(config, list(range(w, count, workers))) for w in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_worker, [(config, [0]) for _ in range(workers)]))  # start and warm the workers
        t = time.perf_counter()
        done = sum(pool.map(_worker, shares))
        elapsed = time.perf_counter() - t
    if done != count:
        raise SystemExit(f"only {done} of {count} permits verified")
    return count / elapsed


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=60, help="permits per measurement")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        create_dev_pki(home / "pki")
        base = load_config(home, env={})
        with LocalTsaServer(base.local_tsa) as tsa:
            for level, url in (("B-B", None), ("B-T", tsa.url)):
                config = dataclasses.replace(base, tsa_url=url)
                results[level] = {"per_document": per_document(config, args.count),
                                  "permits_per_s": round(throughput(config, args.count, args.workers), 2),
                                  "workers": args.workers}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for level, r in results.items():
        print(f"{level}: {r['permits_per_s']} signed permits/s on {r['workers']} processes")
        for stage, t in r["per_document"].items():
            print(f"  {stage:<12} median {t['median_ms']:>6} ms   p95 {t['p95_ms']:>6} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
