#!/usr/bin/env python3
"""An independent reference for costcast's Monte Carlo, written from docs/model.md's description
(triangular draws of the sensitivity drivers, each around its own base; one uniform per
driver per draw shared by every workload; P10/P50/P90 interpolated like Excel's
PERCENTILE.INC) with its own random stream, projection and percentiles. Tests compare
costcast's percentiles with it (tests/server/monte-carlo-reference.test.ts).

The random stream is the one costcast documents: MT19937 seeded with init_genrand(seed)
(pure-rand's `mersenne`), each uniform made of two 32-bit outputs as pure-rand's
`uniformFloat64` makes it: (a & (2^26 - 1)) * 2^-26 + (b & (2^27 - 1)) * 2^-53. Python's own
`random` module is the generator here: its state is set from init_genrand, and getrandbits(32)
gives MT19937's tempered outputs, so no line of costcast's generator is reused.

Only the default ranges (docs/model.md) are drawn:
  growth, priceDecline: scale 0.5 .. 1.5     efficiency: scale 0.5 .. 1.5, capped at 1
  delay: 0 .. base + 4 quarters (rounded)    premium: 0 .. 0.30    availability: 0.70 .. 1
  fx: scale 0.9 .. 1.1 (non-reporting currencies)    basePrice: scale 0.8 .. 1.2
each triangular with its mode at the base (1 for a scale, the scenario's own value otherwise).

Usage: python3 tests/reference/monte_carlo.py FIXTURE_DIR DRAWS SEED
prints JSON { scenarioId: { "total": {p10, p50, p90}, "byQuarter": [{p10, p50, p90}],
"probabilityOverBudget": { FY: share }, "shareBelowForecast": share, "forecast": total } }
"""
import glob, json, math, os, random, sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import find, project, qindex, read_sheet  # noqa: E402

DRIVERS = ["growth", "efficiency", "priceDecline", "delay", "premium", "availability", "fx", "basePrice"]


def mt19937(seed):
    """Python's Mersenne Twister in the state init_genrand(seed) leaves it."""
    mt = [seed & 0xFFFFFFFF]
    for i in range(1, 624):
        mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i) & 0xFFFFFFFF)
    r = random.Random()
    r.setstate((3, tuple(mt) + (624,), None))  # index 624: twist before the first output
    return r


def uniforms(r):
    while True:
        a = r.getrandbits(32) & (2**26 - 1)
        b = r.getrandbits(32) & (2**27 - 1)
        yield a * 2.0**-26 + b * 2.0**-53


def triangular(u, lo, mode, hi):
    """Inverse CDF of the triangular distribution on [lo, hi] with the given mode."""
    if hi <= lo:
        return lo
    c = (mode - lo) / (hi - lo)
    if u < c:
        return lo + math.sqrt(u * (hi - lo) * (mode - lo))
    return hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode))


def percentile_inc(xs, p):
    xs = sorted(xs)
    rank = p * (len(xs) - 1)
    lo = math.floor(rank)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (rank - lo) * (xs[hi] - xs[lo])


def fiscal_year(label, start_month):
    y, q = map(int, label.split("-Q"))
    month = (q - 1) * 3 + 1
    offset = (month - start_month) % 12
    end = y * 12 + (month - 1) - offset + 11  # months since year 0 of the fiscal year's last month
    return f"FY{end // 12}"


def simulate(a, s, rows, draws, seed, forecast_total):
    H = a["horizonQuarters"]
    start = qindex(a["startQuarter"])
    rep = a["reportingCurrency"]
    fx = {k: Decimal(v) for k, v in a["fx"].items()}
    fx[rep] = Decimal(1)
    labels = [f"{(start + t) // 4}-Q{(start + t) % 4 + 1}" for t in range(H)]
    fys = [fiscal_year(l, a.get("fiscalYearStartMonth", 1)) for l in labels]
    budgets = {k: float(Decimal(v)) for k, v in a.get("budget", {}).items() if k in fys}

    ws = []
    for w in a["workloads"]:
        p = find(rows, w["provider"], w["skuId"], w.get("region"))
        f = find(rows, w["fallback"]["provider"], w["fallback"]["skuId"], None) if w.get("fallback") else p
        unit = lambda r: (r["_contracted"] if r["_contracted"] is not None else r["_list"]) * fx[r["PricingCurrency"]]
        caps = [(qindex(c["from"]) - start, qindex(c["to"]) - start, float(Decimal(c["availability"])))
                for c in s.get("providerAvailability", [])
                if c["provider"].strip().lower() == w["provider"].strip().lower()]
        ws.append(dict(base=float(Decimal(w["baseQuantity"])), growth=float(Decimal(w["growthPerQuarter"])),
                       eff=float(Decimal(w["efficiency"])), category=w["category"],
                       price=float(unit(p)), price_foreign=p["PricingCurrency"] != rep,
                       fb=float(unit(f)), fb_foreign=f["PricingCurrency"] != rep, caps=caps))

    base_delay = int(s["delayQuarters"])
    premium0 = float(Decimal(s["shortagePremium"]))
    avail0 = float(Decimal(s["availability"]))
    fb_factor = 1 + float(Decimal(s["fallbackPremium"]))
    decline = {k: float(Decimal(v)) for k, v in s["priceDeclinePerQuarter"].items()}

    stream = uniforms(mt19937(seed))
    per_q = [[0.0] * draws for _ in range(H)]
    totals = [0.0] * draws
    over = {fy: 0 for fy in budgets}
    for d in range(draws):
        u = {k: next(stream) for k in DRIVERS}
        g = triangular(u["growth"], 0.5, 1, 1.5)
        e = triangular(u["efficiency"], 0.5, 1, 1.5)
        dk = triangular(u["priceDecline"], 0.5, 1, 1.5)
        delay = math.floor(triangular(u["delay"], 0, base_delay, base_delay + 4) + 0.5)  # JS Math.round
        prem = triangular(u["premium"], 0, premium0, 0.30)
        avail = triangular(u["availability"], 0.70, avail0, 1)
        fxs = triangular(u["fx"], 0.9, 1, 1.1)
        ps = triangular(u["basePrice"], 0.8, 1, 1.2)
        qt = [0.0] * H
        for w in ws:
            q = w["base"] * (1 - min(w["eff"] * e, 1))
            price = w["price"] * (fxs if w["price_foreign"] else 1) * ps
            fb = w["fb"] * (fxs if w["fb_foreign"] else 1) * ps * fb_factor
            step = 1 - decline.get(w["category"], 0) * dk
            for t in range(H):
                if t > 0:
                    q *= 1 + w["growth"] * g
                idx = (1 + prem) if t < delay else step ** (t - delay)
                served = avail if t < delay else 1
                for lo, hi, cap in w["caps"]:
                    if lo <= t <= hi:
                        served = min(served, cap)
                qt[t] += q * idx * (served * price + (1 - served) * fb)
        fy_tot = {fy: 0.0 for fy in budgets}
        for t in range(H):
            per_q[t][d] = qt[t]
            if fys[t] in fy_tot:
                fy_tot[fys[t]] += qt[t]
        totals[d] = sum(qt)
        for fy, b in budgets.items():
            if fy_tot[fy] > b:
                over[fy] += 1

    spread = lambda xs: {"p10": percentile_inc(xs, 0.1), "p50": percentile_inc(xs, 0.5), "p90": percentile_inc(xs, 0.9)}
    return {
        "total": spread(totals),
        "byQuarter": [spread(x) for x in per_q],
        "probabilityOverBudget": {fy: n / draws for fy, n in over.items()},
        "forecast": forecast_total,
        "shareBelowForecast": sum(1 for x in totals if x < forecast_total) / draws,
    }


if __name__ == "__main__":
    root, draws, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    paths = sorted(glob.glob(os.path.join(root, "prices", "*"))) + sorted(
        p for p in glob.glob(os.path.join(root, "*")) if p.endswith(".csv"))
    rows = [r for p in paths for r in read_sheet(p)[0]]
    a = json.load(open(os.path.join(root, "assumptions.json"), encoding="utf-8"))
    scenarios = json.load(open(os.path.join(root, "scenarios.json"), encoding="utf-8"))["scenarios"]
    points = project(a, scenarios, rows)  # the decimal reference's point forecast
    out = {s["id"]: simulate(a, s, rows, draws, seed, float(sum(points[s["id"]][0]))) for s in scenarios}
    print(json.dumps(out))
