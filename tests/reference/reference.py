#!/usr/bin/env python3
"""An independent reference for the cost engine: the formula of docs/model.md written again
in Python's decimal module, with its own CSV/JSON reading. Tests compare costcast's numbers
with it.

Usage: python3 tests/reference/reference.py FIXTURE_DIR [--growth G] [--efficiency E]
(reads assumptions.json, scenarios.json and every price sheet in FIXTURE_DIR and
FIXTURE_DIR/prices; prints JSON: { scenarioId: { "byQuarter": [...], "byWorkload": {id: [...]},
"total": "..." } } unrounded). --growth and --efficiency multiply every workload's
growthPerQuarter and efficiency first (a what-if's "adjust").
"""
import csv, io, json, re, sys, glob, os
from decimal import Decimal, getcontext, ROUND_HALF_UP
getcontext().prec = 50

REQ = ["ProviderName", "SkuId", "PricingUnit", "ListUnitPrice", "PricingCurrency"]

def parse_number(s):
    s = s.strip().replace("\u00a0", "").replace("\u202f", "")
    if "," in s and "." not in s:          # French: decimal comma, spaces as thousands
        s = s.replace(" ", "").replace(",", ".")
    else:
        s = s.replace(" ", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", s):
        raise ValueError(f"not a decimal: {s!r}")
    return Decimal(s)

def read_sheet(path):
    raw = open(path, "rb").read()
    info = {"bom": raw.startswith(b"\xef\xbb\xbf")}
    if path.endswith(".json"):
        rows = json.loads(raw.decode("utf-8"))
        assert isinstance(rows, list) and all(isinstance(v, str) for r in rows for v in r.values()), path
        info.update(fmt="json")
    else:
        text = raw.decode("utf-8-sig")
        info["crlf"] = b"\r\n" in raw
        info["lf_only"] = (b"\n" in raw) and (b"\r\n" not in raw)
        head = text.splitlines()[0]
        sep = ";" if head.count(";") > head.count(",") else ","
        info["sep"] = sep
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=sep))
    out = []
    for i, r in enumerate(rows, start=2):
        for c in REQ + ["x_Source", "x_AsOf"]:
            assert r.get(c, "").strip(), f"{path}:{i}: missing {c}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["x_AsOf"]), f"{path}:{i}: bad x_AsOf"
        r = dict(r)
        r["_list"] = parse_number(r["ListUnitPrice"])
        r["_contracted"] = parse_number(r["ContractedUnitPrice"]) if r.get("ContractedUnitPrice", "").strip() else None
        r["_file"] = os.path.basename(path)
        r["_line"] = i
        out.append(r)
    return out, info

def find(rows, provider, sku, region):
    cands = [r for r in rows if r["ProviderName"].strip().lower() == provider.strip().lower() and r["SkuId"] == sku]
    if region is not None:
        cands = [r for r in cands if (r.get("RegionId") or "").strip() == region]
    if not cands:
        raise SystemExit(f"no price row for {provider}/{sku}/{region}")
    prices = {(r["_contracted"] if r["_contracted"] is not None else r["_list"], r["PricingCurrency"], r["PricingUnit"]) for r in cands}
    if len(cands) != 1:
        raise SystemExit(f"{len(cands)} rows for {provider}/{sku}/{region}: {[(r['_file'], r['_line']) for r in cands]}")
    return cands[0]

def qindex(label):
    y, q = label.split("-Q"); return int(y) * 4 + int(q) - 1

def project(a, scenarios, rows, verbose=False):
    H = a["horizonQuarters"]; start = qindex(a["startQuarter"])
    fx = {k: Decimal(v) for k, v in a["fx"].items()}; fx[a["reportingCurrency"]] = Decimal(1)
    res = {}
    for s in scenarios:
        delay = int(s["delayQuarters"]); prem = Decimal(s["shortagePremium"]); avail = Decimal(s["availability"])
        fbp = Decimal(s["fallbackPremium"]); dec = {k: Decimal(v) for k, v in s["priceDeclinePerQuarter"].items()}
        per_q = [Decimal(0)] * H; per_w = {}
        for w in a["workloads"]:
            p = find(rows, w["provider"], w["skuId"], w.get("region"))
            assert p["PricingUnit"] == w["unit"], (w["id"], p["PricingUnit"], w["unit"])
            price = (p["_contracted"] if p["_contracted"] is not None else p["_list"]) * fx[p["PricingCurrency"]]
            if w.get("fallback"):
                f = find(rows, w["fallback"]["provider"], w["fallback"]["skuId"], None)
                assert f["PricingUnit"] == w["unit"], (w["id"], "fallback unit", f["PricingUnit"])
                fprice = (f["_contracted"] if f["_contracted"] is not None else f["_list"]) * fx[f["PricingCurrency"]]
            else:
                fprice = price
            per_w[w["id"]] = []
            for t in range(H):
                q = Decimal(w["baseQuantity"]) * (1 + Decimal(w["growthPerQuarter"])) ** t * (1 - Decimal(w["efficiency"]))
                d = dec.get(w["category"], Decimal(0))
                idx = (1 - d) ** max(0, t - delay) * ((1 + prem) if t < delay else 1)
                served = avail if t < delay else Decimal(1)
                for pa in s.get("providerAvailability", []):
                    if pa["provider"].strip().lower() == w["provider"].strip().lower() and qindex(pa["from"]) <= start + t <= qindex(pa["to"]):
                        served = min(served, Decimal(pa["availability"]))
                c = q * served * price * idx + q * (1 - served) * fprice * idx * (1 + fbp)
                per_w[w["id"]].append(c); per_q[t] += c
        res[s["id"]] = (per_q, per_w)
    return res


if __name__ == "__main__":
    root = sys.argv[1]
    opts = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    paths = sorted(glob.glob(os.path.join(root, "prices", "*"))) + sorted(
        p for p in glob.glob(os.path.join(root, "*")) if p.endswith((".csv",)) )
    rows = []
    for p in paths:
        r, _ = read_sheet(p)
        rows += r
    a = json.load(open(os.path.join(root, "assumptions.json"), encoding="utf-8"))
    for w in a["workloads"]:
        if "--growth" in opts:
            w["growthPerQuarter"] = str(Decimal(w["growthPerQuarter"]) * Decimal(opts["--growth"]))
        if "--efficiency" in opts:
            w["efficiency"] = str(Decimal(w["efficiency"]) * Decimal(opts["--efficiency"]))
            assert Decimal(w["efficiency"]) < 1, (w["id"], w["efficiency"])
    s = json.load(open(os.path.join(root, "scenarios.json"), encoding="utf-8"))
    out = {}
    for sid, (pq, pw) in project(a, s["scenarios"], rows).items():
        out[sid] = {"byQuarter": [str(x) for x in pq], "total": str(sum(pq)),
                    "byWorkload": {k: [str(x) for x in v] for k, v in pw.items()}}
    print(json.dumps(out))
