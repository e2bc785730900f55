"""Show where one extraction result differs from its truth: python tools/compare.py RESULT.json TRUTH.json"""
import json
import sys


def main(res_path: str, truth_path: str) -> None:
    res = json.load(open(res_path, encoding="utf-8"))
    truth = json.load(open(truth_path, encoding="utf-8"))
    for t, r in zip(truth["documents"], res["documents"] + [None] * 5):
        print(f"== {t['doc_type']} {t['language']} pages {t['pages']} -> {r and (r['doc_type'], r['language'], r['pages'])}")
        rf = r["fields"] if r else {}
        for k, v in t["fields"].items():
            got = rf.get(k, {}).get("value")
            print(f"  {'OK ' if got == v['value'] else 'XX '} {k}: {v['value']!r} <- {got!r}")
        for k in set(rf) - set(t["fields"]):
            print(f"  FP  {k}: {rf[k]['value']!r}")
        rg = r["goods"] if r else []
        for i, g in enumerate(t["goods"]):
            p = rg[i] if i < len(rg) else {}
            for k, v in g.items():
                got = p.get(k, {}).get("value")
                if got != v["value"]:
                    print(f"  XX goods[{i}].{k}: {v['value']!r} <- {got!r}")
        if len(rg) > len(t["goods"]):
            print(f"  FP goods: {len(rg) - len(t['goods'])} extra: {[{k: x['value'] for k, x in g.items()} for g in rg[len(t['goods']):]]}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
