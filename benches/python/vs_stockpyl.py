"""ims-py's inventory policies against stockpyl's, on the same 10k items.

Issue 11, part 2: what a data team would use instead of ims for EOQ,
newsvendor, (s,S) and (r,Q). For every function both libraries solve the
same seeded items; the script reports each side's time per item, the ratio,
and the largest difference between the answers (the answers must agree:
exact for the discrete optima, to rounding for closed forms, to stockpyl's
own stopping tolerance for its fixed-point iterations).

Both sides are called one item at a time from Python, as a data team would
in a loop over a DataFrame's rows: the ratio includes ims-py's own call
overhead (keyword arguments to a dict, the dict to Rust, the answer back).
ims is also called once for the whole table (`ims.frames.policy_frame`,
"frame"), as a team holding a DataFrame would; its answers must equal the
per-item calls' exactly.

stockpyl's exact (s,S) and Poisson (r,Q) take about half a second per
item, so they run on the first --slow-sample items and ims on all of them;
the ratio is of the time per item.

Run through scripts/bench-vs-python (it installs the pinned peers):
    scripts/bench-vs-python stockpyl [--items 10000] [--slow-sample 50]
"""

from __future__ import annotations

import argparse
import math
import random
import time
from typing import Any, Callable, Dict, List, Sequence, Tuple

import pandas as pd
from stockpyl import eoq as sp_eoq
from stockpyl import newsvendor as sp_nv
from stockpyl import rq as sp_rq
from stockpyl import ss as sp_ss

import ims.frames
from ims.policy import eoq, newsvendor, rq, ss

Item = Dict[str, float]
Answer = Tuple[float, ...]


def items(n: int, seed: int) -> List[Item]:
    """Seeded, realistic parameters: annual rates for EOQ and (r,Q), per
    period for the newsvendor and (s,S)."""
    r = random.Random(seed)
    out = []
    for _ in range(n):
        lam = r.uniform(100.0, 10_000.0)
        mu = r.uniform(5.0, 200.0)
        out.append({
            "K": r.uniform(20.0, 500.0),
            "h": r.uniform(0.5, 5.0),
            "p": r.uniform(5.0, 50.0),
            "lam": lam,
            "lam_sd": lam * r.uniform(0.05, 0.3),
            "L_years": r.uniform(0.02, 0.25),
            "mu": mu,
            "sd": mu * r.uniform(0.1, 0.5),
            "L_periods": float(r.randint(0, 3)),
            # Poisson demand for the discrete optima (per period for (s,S),
            # per year for (r,Q)).
            "poisson": r.uniform(2.0, 25.0),
            "rq_poisson": r.uniform(20.0, 200.0),
            "rq_poisson_L": r.uniform(0.05, 0.2),
        })
    return out


def rq_params(x: Item) -> Dict[str, float]:
    return {"holding_cost": x["h"], "stockout_cost": x["p"], "fixed_cost": x["K"],
            "demand_mean": x["lam"], "demand_sd": x["lam_sd"], "lead_time": x["L_years"]}


# Each case: (name, ims call, stockpyl call, tolerance, slow?). Both calls
# return the same tuple of numbers; tolerance is relative (0 = exact).
Case = Tuple[str, Callable[[Item], Answer], Callable[[Item], Answer], float, bool]

CASES: Sequence[Case] = (
    ("EOQ",
     lambda x: (lambda e: (e.order_quantity, e.cost))(eoq.eoq(fixed_cost=x["K"], holding_cost=x["h"],
                                                               demand_rate=x["lam"])),
     lambda x: sp_eoq.economic_order_quantity(x["K"], x["h"], x["lam"]),
     1e-12, False),
    ("newsvendor, normal",
     lambda x: (lambda e: (e.base_stock_level, e.cost))(newsvendor.normal(
         holding_cost=x["h"], stockout_cost=x["p"], demand_mean=x["mu"], demand_sd=x["sd"],
         lead_time=x["L_periods"])),
     lambda x: sp_nv.newsvendor_normal(x["h"], x["p"], x["mu"], x["sd"], lead_time=x["L_periods"]),
     1e-9, False),
    ("newsvendor, Poisson",
     lambda x: (lambda e: (e.base_stock_level, e.cost))(newsvendor.poisson(
         holding_cost=x["h"], stockout_cost=x["p"], demand_mean=x["mu"], lead_time=0.0)),
     lambda x: sp_nv.newsvendor_poisson(x["h"], x["p"], x["mu"]),
     1e-9, False),
    ("(s,S) power approximation",
     lambda x: (lambda e: (e.reorder_point, e.order_up_to_level))(ss.power_approximation(
         holding_cost=x["h"], stockout_cost=x["p"], fixed_cost=x["K"], demand_mean=x["mu"],
         demand_sd=x["sd"])),
     lambda x: sp_ss.s_s_power_approximation(x["h"], x["p"], x["K"], x["mu"], x["sd"]),
     1e-9, False),
    ("(s,S) exact, Poisson (Zheng-Federgruen)",
     lambda x: (lambda e: (e.reorder_point, e.order_up_to_level, e.cost))(ss.optimum(
         holding_cost=x["h"], stockout_cost=x["p"], fixed_cost=x["K"],
         demand={"Poisson": {"mean": x["poisson"]}})),
     lambda x: sp_ss.s_s_discrete_exact(x["h"], x["p"], x["K"], True, demand_mean=x["poisson"]),
     1e-9, True),
    ("(r,Q) EOQ+SS",
     lambda x: (lambda e: (e.reorder_point, e.order_quantity))(rq.eoq_ss(params=rq_params(x))),
     lambda x: sp_rq.r_q_eoqss_approximation(x["h"], x["p"], x["K"], x["lam"], x["lam_sd"],
                                             x["L_years"]),
     1e-9, False),
    # stockpyl finds r(Q) by bisection until the two costs differ by less
    # than 1e-6, and stops its fixed-point iterations at an absolute change
    # of 1e-6; ims solves r(Q) exactly and iterates to a relative 1e-13, so
    # these answers agree to about 1e-6.
    ("(r,Q) EOQB",
     lambda x: (lambda e: (e.reorder_point, e.order_quantity))(rq.eoqb(params=rq_params(x))),
     lambda x: sp_rq.r_q_eoqb_approximation(x["h"], x["p"], x["K"], x["lam"], x["lam_sd"],
                                            x["L_years"]),
     1e-6, False),
    ("(r,Q) EIL",
     lambda x: (lambda e: (e.reorder_point, e.order_quantity, e.cost))(rq.eil(params=rq_params(x))),
     lambda x: sp_rq.r_q_eil_approximation(x["h"], x["p"], x["K"], x["lam"], x["lam_sd"],
                                           x["L_years"]),
     1e-6, False),
    # stockpyl solves the loss-function approximation's r with scipy's
    # fsolve, which on some items warns that it is "not making good
    # progress" and stops a few parts in a million away.
    ("(r,Q) loss function",
     lambda x: (lambda e: (e.reorder_point, e.order_quantity))(rq.loss_function(params=rq_params(x))),
     lambda x: sp_rq.r_q_loss_function_approximation(x["h"], x["p"], x["K"], x["lam"],
                                                     x["lam_sd"], x["L_years"]),
     1e-5, False),
    ("(r,Q) exact, Poisson (Federgruen-Zheng)",
     lambda x: (lambda e: (e.reorder_point, e.order_quantity, e.cost))(rq.poisson_optimum(params={
         "holding_cost": x["h"], "stockout_cost": x["p"], "fixed_cost": x["K"],
         "demand_mean": x["rq_poisson"], "lead_time": x["rq_poisson_L"]})),
     lambda x: sp_rq.r_q_poisson_exact(x["h"], x["p"], x["K"], x["rq_poisson"], x["rq_poisson_L"]),
     1e-9, True),
)


# The same functions over a whole table in one call
# (`ims.frames.policy_frame`, as a data team holding a DataFrame would call
# them): path, parameter <- item key, constants, answer columns.
RQ = {"holding_cost": "h", "stockout_cost": "p", "fixed_cost": "K", "demand_mean": "lam",
      "demand_sd": "lam_sd", "lead_time": "L_years"}
FRAMES: Dict[str, Tuple[str, Dict[str, str], Dict[str, float], Tuple[str, ...]]] = {
    "EOQ": ("policy.eoq.eoq", {"fixed_cost": "K", "holding_cost": "h", "demand_rate": "lam"}, {},
            ("order_quantity", "cost")),
    "newsvendor, normal": ("policy.newsvendor.normal", {"holding_cost": "h", "stockout_cost": "p",
                           "demand_mean": "mu", "demand_sd": "sd", "lead_time": "L_periods"}, {},
                           ("base_stock_level", "cost")),
    "newsvendor, Poisson": ("policy.newsvendor.poisson", {"holding_cost": "h", "stockout_cost": "p",
                            "demand_mean": "mu"}, {"lead_time": 0.0}, ("base_stock_level", "cost")),
    "(s,S) power approximation": ("policy.ss.power_approximation", {"holding_cost": "h", "stockout_cost": "p",
                                  "fixed_cost": "K", "demand_mean": "mu", "demand_sd": "sd"}, {},
                                  ("reorder_point", "order_up_to_level")),
    "(r,Q) EOQ+SS": ("policy.rq.eoq_ss", RQ, {}, ("reorder_point", "order_quantity")),
    "(r,Q) EOQB": ("policy.rq.eoqb", RQ, {}, ("reorder_point", "order_quantity")),
    "(r,Q) EIL": ("policy.rq.eil", RQ, {}, ("reorder_point", "order_quantity", "cost")),
    "(r,Q) loss function": ("policy.rq.loss_function", RQ, {}, ("reorder_point", "order_quantity")),
    "(r,Q) exact, Poisson (Federgruen-Zheng)": (
        "policy.rq.poisson_optimum", {"holding_cost": "h", "stockout_cost": "p", "fixed_cost": "K",
                                      "demand_mean": "rq_poisson", "lead_time": "rq_poisson_L"}, {},
        ("reorder_point", "order_quantity", "cost")),
}


def timed_frame(name: str, xs: Sequence[Item]) -> Tuple[float, List[Answer]]:
    """The case through `policy_frame`: the time of the call (the table is
    the data team's already), and the answers as tuples."""
    path, cols, consts, fields = FRAMES[name]
    table = pd.DataFrame({param: [x[key] for x in xs] for param, key in cols.items()})
    t = time.perf_counter()
    out = ims.frames.policy_frame(path, table, **consts)
    elapsed = time.perf_counter() - t
    answers = list(zip(*(out.column(f).to_pylist() for f in fields)))
    return elapsed, [tuple(float(v) for v in a) for a in answers]


def timed(f: Callable[[Item], Answer], xs: Sequence[Item]) -> Tuple[float, List[Answer]]:
    t = time.perf_counter()
    out = [tuple(float(v) for v in f(x)) for x in xs]
    return time.perf_counter() - t, out


def rel(a: float, b: float) -> float:
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--slow-sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--only", default="", help="run the functions whose names contain this text")
    a = ap.parse_args()
    xs = items(a.items, a.seed)
    print(f"{a.items} items (seed {a.seed}); stockpyl's exact optima on the first {a.slow_sample}")
    print(f"{'function':42} {'ims µs/item':>12} {'stockpyl µs/item':>17} {'ratio':>9}  max rel diff"
          f"  {'frame µs/item':>13} {'ratio':>9}")
    bad = []
    for name, ims_f, sp_f, tol, slow in CASES:
        if a.only not in name:
            continue
        theirs = xs[: a.slow_sample] if slow else xs
        ims_f(xs[0]), sp_f(xs[0])  # imports and caches warm on both sides
        t_ims, got = timed(ims_f, xs)
        t_sp, want = timed(sp_f, theirs)
        diff = max(rel(g, w) for gs, ws in zip(got, want) for g, w in zip(gs, ws))
        per_ims, per_sp = t_ims / len(xs) * 1e6, t_sp / len(theirs) * 1e6
        frame = ""
        if name in FRAMES:
            timed_frame(name, xs[:10])  # warm
            t_fr, by_frame = timed_frame(name, xs)
            if by_frame != got:
                bad.append(f"{name} (the frame's answers differ from the calls')")
            per_fr = t_fr / len(xs) * 1e6
            frame = f"  {per_fr:13.3f} {per_sp / per_fr:8.1f}×"
        print(f"{name:42} {per_ims:12.2f} {per_sp:17.2f} {per_sp / per_ims:8.1f}×  {diff:.1e}{frame}"
              f"{'' if diff <= tol else '  DIFFERENT (tolerance %.0e)' % tol}")
        if diff > tol or any(math.isnan(v) for gs in got for v in gs):
            bad.append(name)
    if bad:
        raise SystemExit(f"answers differ from stockpyl's: {', '.join(bad)}")


if __name__ == "__main__":
    main()
