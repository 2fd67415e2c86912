"""ims-py's intermittent-demand forecasts against statsforecast's.

Issue 11, part 2: 10k intermittent weekly series of 104 weeks (seeded),
forecast h weeks ahead by CrostonClassic, CrostonSBA, TSB, SES and
WindowAverage, single-threaded on both sides (statsforecast n_jobs=1), each
from the same long pandas DataFrame (unique_id, ds, y) to a DataFrame of
forecasts. The script reports each side's time, the ratio and the largest
relative difference of the forecasts, which must agree to 1e-9.

Run through scripts/bench-vs-python (it installs the pinned peers):
    scripts/bench-vs-python statsforecast [--series 10000] [--weeks 104]
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Dict, List, Tuple

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import TSB, CrostonClassic, CrostonSBA, SimpleExponentialSmoothing, WindowAverage

import ims.frames

# statsforecast model, its column in the output, and the same method in ims.
MODELS: List[Tuple[Any, str, Dict[str, Any]]] = [
    (CrostonClassic(), "CrostonClassic", {"method": "croston", "alpha": 0.1}),
    (CrostonSBA(), "CrostonSBA", {"method": "croston_sba", "alpha": 0.1}),
    (TSB(alpha_d=0.2, alpha_p=0.1), "TSB", {"method": "tsb", "alpha_d": 0.2, "alpha_p": 0.1}),
    (SimpleExponentialSmoothing(alpha=0.1), "SES", {"method": "ses", "alpha": 0.1}),
    (WindowAverage(window_size=8), "WindowAverage", {"method": "window_average", "window_size": 8}),
]


def series(n: int, weeks: int, seed: int) -> pd.DataFrame:
    """Intermittent demand: each series has its own chance of a demand in a
    week (5-60%) and a mean size (1-20 units, geometric)."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 0.6, size=(n, 1))
    mean = rng.uniform(1.0, 20.0, size=(n, 1))
    occurs = rng.random((n, weeks)) < p
    size = rng.geometric(1.0 / mean, size=(n, weeks))
    y = np.where(occurs, size, 0).astype("float64")
    # Croston needs one demand in the series: put it in the first week where
    # a series has none (rare at these rates).
    y[y.sum(axis=1) == 0, 0] = 1.0
    ids = np.repeat([f"SKU{i:06d}" for i in range(n)], weeks)
    ds = np.tile(pd.date_range("2024-01-07", periods=weeks, freq="W-SUN").values, n)
    return pd.DataFrame({"unique_id": ids, "ds": ds, "y": y.ravel()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--series", type=int, default=10_000)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--h", type=int, default=12)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    df = series(a.series, a.weeks, a.seed)
    # ims reads its own column names; the same frame renamed, outside the timing.
    ims_df = df.rename(columns={"unique_id": "item", "ds": "period", "y": "qty"})
    # The same table already in Arrow (as polars or a parquet read gives it).
    ims_arrow = ims.frames.to_arrow(ims_df)
    print(f"{a.series} series x {a.weeks} weeks, h = {a.h}, one thread each")
    print(f"{'model':16} {'ims s':>8} {'statsforecast s':>16} {'ratio':>7}  max rel diff"
          f"  {'ims from Arrow s':>17} {'ratio':>7}")
    bad = []
    for model, column, method in MODELS:
        sf = StatsForecast(models=[model], freq="W-SUN", n_jobs=1)
        sf.forecast(df=df.head(a.weeks * 2), h=a.h)  # warm: imports, first-call set-up
        ims.frames.forecast_frame(ims_df.head(a.weeks * 2), method=method, h=a.h)
        t = time.perf_counter()
        theirs = sf.forecast(df=df, h=a.h)
        t_sf = time.perf_counter() - t
        t = time.perf_counter()
        ours = ims.frames.forecast_frame(ims_df, method=method, h=a.h)
        t_ims = time.perf_counter() - t
        t = time.perf_counter()
        from_arrow = ims.frames.forecast_frame(ims_arrow, method=method, h=a.h)
        t_arrow = time.perf_counter() - t
        assert from_arrow.equals(ours)
        want = theirs.sort_values(["unique_id", "ds"])[column].to_numpy(dtype="float64")
        got = ims.frames.to_arrow(ours).sort_by([("item", "ascending"), ("step", "ascending")])
        got = np.asarray(got.column("forecast").to_numpy(), dtype="float64")
        if got.shape != want.shape:
            raise SystemExit(f"{column}: {got.shape} forecasts from ims, {want.shape} from statsforecast")
        diff = float(np.max(np.abs(got - want) / np.maximum(np.maximum(np.abs(got), np.abs(want)), 1e-300)))
        print(f"{column:16} {t_ims:8.3f} {t_sf:16.3f} {t_sf / t_ims:6.1f}×  {diff:.1e}"
              f"{'' if diff <= 1e-9 else '  DIFFERENT'}  {t_arrow:17.3f} {t_sf / t_arrow:6.1f}×")
        if diff > 1e-9:
            bad.append(column)
    if bad:
        raise SystemExit(f"forecasts differ from statsforecast's: {', '.join(bad)}")


if __name__ == "__main__":
    main()
