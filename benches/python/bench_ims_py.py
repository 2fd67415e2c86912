"""Speed of the Python door (issue 7's targets), end to end from Python.

    scripts/bench-py            # fresh venv, pip install ./ims-py, this script
    python benches/python/bench_ims_py.py [--scale 0.1]

1. 1M reservations from numpy / Arrow columns through `reserve_columns`
   (target ≥ 1M/s): the call alone, the columns built beforehand.
2. 1M balance rows (100k items × 10 locations) loaded from a pandas
   DataFrame by `load_stock` (target ≤ 1 s).
3. Safety stock and reorder point for 100k SKUs from a DataFrame with
   `ims.frames.safety_stock_frame` (target ≤ 0.2 s), beside the same
   computation with scipy in a Python loop (the ratio).

Each figure is the median of `--runs` runs (fresh state per run).
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import ims
from ims import frames


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        setup = fn()
        t = time.perf_counter()
        setup()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    n_res = int(1_000_000 * args.scale)
    n_items = int(100_000 * args.scale)
    n_locs = 10
    print(f"# ims-py benchmarks, {platform.machine()} {platform.python_version()}, scale {args.scale}")

    # 1. reservations
    def reservations():
        e = ims.Engine()
        e.define_location("S", kind="site")
        for i in range(n_locs):
            e.define_location(f"S/{i}", kind="storage", parent="S")
        e.load_catalog(pa.table({"item": [f"I{i}" for i in range(n_items)]}))
        e.load_stock(pd.DataFrame({"item": [f"I{i}" for i in range(n_items)], "location": "S/0", "qty": 1_000}))
        res = pa.array([f"r{i}" for i in range(n_res)], pa.large_string())
        item = pa.array([f"I{i % n_items}" for i in range(n_res)], pa.large_string())
        qty = np.ones(n_res, dtype=np.int64)

        def run():
            out = e.reserve_columns(res, item, qty, "S", ttl_ms=900_000)
            assert pa.compute.sum(out.column("code")).as_py() == 0
        return run

    t = timed(reservations, args.runs)
    print(f"reserve_columns: {n_res:,} reservations in {t:.3f} s = {n_res / t / 1e6:.2f} M/s (target >= 1 M/s)")

    # 2. 1M balance rows from a DataFrame
    frame = pd.DataFrame({
        "item": np.repeat([f"I{i}" for i in range(n_items)], n_locs),
        "location": np.tile([f"S/{j}" for j in range(n_locs)], n_items),
        "qty": np.full(n_items * n_locs, 25, dtype=np.int64),
    })

    def balances():
        e = ims.Engine()
        e.define_location("S", kind="site")
        for j in range(n_locs):
            e.define_location(f"S/{j}", kind="storage", parent="S")
        e.load_catalog(pa.table({"item": [f"I{i}" for i in range(n_items)]}))
        return lambda: e.load_stock(frame)

    t = timed(balances, args.runs)
    print(f"load_stock: {len(frame):,} balance rows from pandas in {t:.3f} s (target <= 1 s)")

    # 3. safety stock + reorder point for 100k SKUs
    rng = np.random.default_rng(1)
    skus = pd.DataFrame({
        "item": [f"I{i}" for i in range(n_items)],
        "demand_mean": rng.gamma(2.0, 10.0, n_items),
        "demand_sd": rng.gamma(2.0, 3.0, n_items),
        "lead_time_mean": rng.integers(1, 15, n_items).astype(float),
        "lead_time_sd": rng.uniform(0, 2, n_items),
    })
    t_ims = timed(lambda: (lambda: frames.safety_stock_frame(skus, cycle_service_level=0.95)), args.runs)

    from scipy.stats import norm

    def scipy_loop():
        def run():
            z = norm.ppf(0.95)
            out = []
            for mu, sd, lt, lt_sd in zip(skus.demand_mean, skus.demand_sd, skus.lead_time_mean, skus.lead_time_sd):
                sigma = math.sqrt(lt * sd * sd + mu * mu * lt_sd * lt_sd)
                out.append((z * sigma, mu * lt + z * sigma))
            return out
        return run

    def scipy_loop_ppf():
        def run():
            return [norm.ppf(0.95) * math.sqrt(lt * sd * sd + mu * mu * lts * lts) + mu * lt
                    for mu, sd, lt, lts in zip(skus.demand_mean, skus.demand_sd, skus.lead_time_mean,
                                               skus.lead_time_sd)]
        return run

    t_sp = timed(scipy_loop, 1)
    t_sp_ppf = timed(scipy_loop_ppf, 1)
    a = frames.safety_stock_frame(skus, cycle_service_level=0.95).column("reorder_level").to_numpy()
    b = np.array([r for _, r in scipy_loop()()])
    print(f"safety_stock_frame: {n_items:,} SKUs in {t_ims * 1000:.1f} ms (target <= 200 ms); "
          f"scipy loop (ppf once) {t_sp * 1000:.0f} ms = {t_sp / t_ims:.1f}x slower; "
          f"scipy loop (ppf per row) {t_sp_ppf * 1000:.0f} ms = {t_sp_ppf / t_ims:.0f}x slower; "
          f"max |difference| {np.max(np.abs(a - b)):.2e}")


if __name__ == "__main__":
    main()
