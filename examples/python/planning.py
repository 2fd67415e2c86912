"""A data team's planning run with ims.

1. Generates two years of weekly demand for 10,000 SKUs (deterministic,
   seeded) and writes it to CSV, as an export from a sales system would be.
2. Reads it back with pandas; classifies ABC (by annual value) and XYZ (by
   the coefficient of variation of weekly demand).
3. Forecasts every SKU with ims.forecast (the method chosen by the demand
   pattern), derives safety stock and reorder points for a 95 % fill rate
   with ims.policy (order quantity by EOQ), all from DataFrames.
4. Builds the buy plan against today's stock, writes it to CSV and draws
   one chart (projected stock of the top A item) to PNG.

    python examples/python/planning.py --out /tmp/plan
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import pandas as pd

import ims
from ims import forecast, frames, plot
from ims.policy import eoq

WEEKS = 104
LEAD_TIME_WEEKS = 2.0
FILL_RATE = 0.95


def generate(path: Path, skus: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    base = rng.gamma(1.2, 20.0, skus)  # mean weekly demand, skewed like real catalogs
    intermittent = rng.random(skus) < 0.3
    demand = rng.poisson(np.outer(base, np.ones(WEEKS)))
    mask = rng.random((skus, WEEKS)) < np.where(intermittent, 0.35, 1.0)[:, None]
    demand = demand * mask
    frame = pd.DataFrame({
        "sku": np.repeat([f"SKU-{i:05d}" for i in range(skus)], WEEKS),
        "week": np.tile(np.arange(WEEKS), skus),
        "qty": demand.reshape(-1),
        "unit_cost": np.repeat(np.round(rng.uniform(0.5, 80.0, skus), 2), WEEKS),
    })
    frame.to_csv(path, index=False)


def classify(history: pd.DataFrame) -> pd.DataFrame:
    g = history.groupby("sku")
    stats = pd.DataFrame({"mean": g["qty"].mean(), "sd": g["qty"].std(ddof=0), "unit_cost": g["unit_cost"].first()})
    stats["annual_value"] = stats["mean"] * 52 * stats["unit_cost"]
    share = stats["annual_value"].sort_values(ascending=False).cumsum() / stats["annual_value"].sum()
    stats["abc"] = pd.cut(share, [0, 0.8, 0.95, 1.0], labels=["A", "B", "C"]).reindex(stats.index)
    cv = stats["sd"] / stats["mean"].where(stats["mean"] > 0)
    stats["xyz"] = np.select([cv <= 0.5, cv <= 1.0], ["X", "Y"], "Z")
    return stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="planning-out")
    ap.add_argument("--skus", type=int, default=int(os.environ.get("IMS_EXAMPLE_SKUS", "10000")))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    csv = out / "weekly_demand.csv"
    generate(csv, args.skus)
    history = pd.read_csv(csv)
    stats = classify(history)

    # Forecast each SKU with the method its demand pattern calls for.
    series = history.sort_values(["sku", "week"]).groupby("sku")["qty"].apply(lambda s: s.to_numpy(float))
    next_week = {}
    for sku, y in series.items():
        method = forecast.auto(y=list(y))
        next_week[sku] = forecast.forecast_only(method=dict(method), y=list(y), h=1)[0]
    stats["forecast"] = pd.Series(next_week)

    # EOQ as the order quantity (ordering cost 25, holding 20 % of cost a year).
    stats["order_qty"] = [
        max(1.0, eoq.eoq(fixed_cost=25.0, holding_cost=0.2 * c / 52, demand_rate=max(f, 1e-9))["order_quantity"])
        for f, c in zip(stats["forecast"], stats["unit_cost"])
    ]
    params = pd.DataFrame({
        "sku": stats.index,
        "demand_mean": stats["forecast"].to_numpy(float),
        "demand_sd": stats["sd"].to_numpy(float),
        "lead_time_mean": LEAD_TIME_WEEKS,
        "order_quantity": stats["order_qty"].to_numpy(float),
    })
    levels = frames.safety_stock_frame(params, fill_rate=FILL_RATE).to_pandas().set_index("sku")
    stats = stats.join(levels[["safety_stock", "reorder_level"]])

    # Today's stock in an engine; the buy plan orders where the position is at or below the reorder level.
    engine = ims.Engine()
    engine.define_location("DC", kind="warehouse")
    frames.load_catalog(engine, pd.DataFrame({"item": stats.index, "scale": 0}))
    rng = np.random.default_rng(11)
    on_hand = np.floor(stats["reorder_level"].to_numpy() * rng.uniform(0.3, 2.0, len(stats))).astype(np.int64)
    stock = pd.DataFrame({"item": stats.index, "location": "DC", "qty": on_hand})
    engine.load_stock(stock[stock["qty"] > 0])
    balances = engine.balances_table().to_pandas().set_index("item")
    stats["on_hand"] = balances["on_hand"].astype(int).reindex(stats.index, fill_value=0)
    below = stats["on_hand"] <= stats["reorder_level"]
    stats["order"] = np.where(below, np.ceil(stats["reorder_level"] + stats["order_qty"] - stats["on_hand"]), 0)
    plan = stats[stats["order"] > 0][["abc", "xyz", "on_hand", "reorder_level", "safety_stock", "order"]]
    plan.to_csv(out / "buy_plan.csv")

    top = stats.sort_values("annual_value", ascending=False).index[0]
    ax = plot.projected_stock(on_hand=float(stats.loc[top, "on_hand"]), demand_per_period=series[top][-26:],
                              reorder_level=float(stats.loc[top, "reorder_level"]),
                              safety_stock=float(stats.loc[top, "safety_stock"]),
                              order_quantity=float(stats.loc[top, "order_qty"]), lead_time=int(LEAD_TIME_WEEKS),
                              title=f"{top}: projected stock")
    ax.figure.savefig(out / "projection.png", dpi=100)
    print(f"{len(stats)} SKUs: {dict(stats['abc'].value_counts().sort_index())} ABC, "
          f"{len(plan)} lines to order, wrote {out / 'buy_plan.csv'} and {out / 'projection.png'}")
    assert engine.verify() == []


if __name__ == "__main__":
    main()
