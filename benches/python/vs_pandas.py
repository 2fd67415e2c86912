"""ims-py's stock positions and ABC/XYZ classes against pandas.

Issue 11, part 2: a seeded ledger of 10M moves (receipts, sales, scrap and
adjustments over a year, 10k items with a Zipf-like popularity, 20
locations, one standard cost per item), written once to a Parquet file.
Two questions a data team asks of such a ledger:

* **stock positions** — on hand per (item, location);
* **classes** — ABC by the value shipped in the period (80 % / 95 %) and
  XYZ by the coefficient of variation of weekly shipped quantity
  (0.5 / 1.0), the definitions of ims's ``classes`` query.

pandas answers both with group-bys over the ledger. ims holds positions as
its state (a query reads them) and reads each item's demand per day, kept
as moves are posted, for the classes (FIFO cost; with one standard cost per
item FIFO cost is quantity × cost, so the two definitions agree exactly,
and ims, seeing that, skips the FIFO fold). Reported three times:

* **with loading** — from the Parquet file to both answers: pandas reads
  the file and groups; ims reads it with pyarrow, replays it as commands
  (``load_moves``) and queries.
* **with loading from each side's own file** — pandas as above; ims reads
  its own snapshot of the same ledger (``Engine.snapshot()``, written
  beforehand, untimed) and restores it (``Engine.from_snapshot``): what a
  team that keeps its ledger in ims pays to open it.
* **without loading** — the data already in memory: pandas' DataFrame, or
  ims's engine (the engine is the system of record, so its positions are
  already kept).

The answers must be equal (positions exactly, classes letter for letter,
values to the cent, shares to 1e-6) or the script stops.

Run through scripts/bench-vs-python (it installs the pinned peers):
    scripts/bench-vs-python pandas [--moves 10000000] [--items 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from decimal import Decimal
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import ims

DAY_MS = 86_400_000
# Monday 2025-01-06, 00:00 UTC: the period is 52 whole weeks from here.
T0_MS = 1_736_121_600_000
WEEKS = 52
FROM, TO = "2025-01-06", "2026-01-04"
A, B, X, Y = 0.8, 0.95, 0.5, 1.0


def ledger(n_moves: int, n_items: int, n_locs: int, seed: int) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """The moves (type, item, location, qty, occurred_at) in time order and
    the items' standard costs in cents."""
    rng = np.random.default_rng(seed)
    items = np.array([f"SKU{i:06d}" for i in range(n_items)], dtype=object)
    locs = np.array([f"S/{j:02d}" for j in range(1, n_locs + 1)], dtype=object)
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.9
    rng.shuffle(popularity)
    which = rng.choice(n_items, size=n_moves, p=popularity / popularity.sum())
    kind = rng.choice(4, size=n_moves, p=[0.30, 0.65, 0.03, 0.02])
    qty = np.select(
        [kind == 0, kind == 1, kind == 2],
        [rng.integers(1, 201, n_moves), rng.integers(1, 13, n_moves), rng.integers(1, 4, n_moves)],
        default=rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5], size=n_moves),
    )
    at = np.sort(rng.integers(T0_MS, T0_MS + WEEKS * 7 * DAY_MS, n_moves))
    types = np.array(["receive", "sell", "scrap", "adjust"], dtype=object)
    moves = pd.DataFrame({
        "type": pd.Categorical.from_codes(kind, categories=types),
        "item": pd.Categorical.from_codes(which, categories=items),
        "location": pd.Categorical.from_codes(rng.integers(0, n_locs, n_moves), categories=locs),
        "qty": qty.astype(np.int64),
        "occurred_at": at.astype(np.int64),
    })
    costs = pd.DataFrame({"item": items, "cost_cents": rng.integers(50, 100_001, n_items)})
    return moves, costs


# --- pandas -------------------------------------------------------------

SIGN = {"receive": 1, "sell": -1, "scrap": -1, "adjust": 1}


def pandas_positions(moves: pd.DataFrame) -> pd.DataFrame:
    sign = moves["type"].map(SIGN).astype(np.int64)
    signed = moves["qty"] * sign
    pos = signed.groupby([moves["item"], moves["location"]], observed=True).sum()
    pos = pos[pos != 0]
    return pos.rename("on_hand").reset_index()


def pandas_classes(moves: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    sales = moves[moves["type"] == "sell"]
    week = (sales["occurred_at"] - T0_MS) // (7 * DAY_MS)
    by_week = sales["qty"].groupby([sales["item"], week], observed=True).sum().unstack(fill_value=0)
    by_week = by_week.reindex(columns=range(WEEKS), fill_value=0)
    shipped = sales["qty"].groupby(sales["item"], observed=True).sum()
    out = costs.set_index("item")
    out["value_cents"] = (shipped.reindex(out.index, fill_value=0) * out["cost_cents"]).astype(np.int64)
    total = int(out["value_cents"].sum())
    out = out.sort_values("value_cents", ascending=False, kind="stable")  # codes are sorted: ties by code
    before = (out["value_cents"].cumsum() - out["value_cents"]) / total
    out["abc"] = np.where(out["value_cents"] <= 0, "C", np.where(before < A, "A", np.where(before < B, "B", "C")))
    out["share"] = out["value_cents"] / total
    weekly = by_week.reindex(out.index, fill_value=0).to_numpy(dtype=np.float64)
    mean = weekly.mean(axis=1)
    cv = np.divide(weekly.std(axis=1), mean, out=np.full_like(mean, np.inf), where=mean > 0)
    out["xyz"] = np.where(cv <= X, "X", np.where(cv <= Y, "Y", "Z"))
    return out.sort_index()


# --- ims ------------------------------------------------------------------

def ims_engine(costs: pd.DataFrame, n_locs: int) -> Any:
    e = ims.Engine()
    e.define_location("S", kind="site")
    for j in range(1, n_locs + 1):
        e.define_location(f"S/{j:02d}", kind="storage", parent="S")
    e.load_catalog(pa.table({"item": costs["item"].tolist()}))
    e.execute_batch([
        {"type": "set_item_cost", "item": i, "unit_cost": str(Decimal(int(c)) / 100), "occurred_at": 0}
        for i, c in zip(costs["item"], costs["cost_cents"])
    ])
    return e


def ims_answers(e: Any) -> Tuple[pa.Table, pa.Table]:
    positions = e.balances_table()
    classes = e.query_table("classes", rows=["items"], **{"from": FROM, "to": TO})
    return positions, classes


# --- the same answers ---------------------------------------------------

def check(pd_pos: pd.DataFrame, pd_cls: pd.DataFrame, positions: pa.Table, classes: pa.Table) -> None:
    mine = {(r["item"], r["location"]): Decimal(r["on_hand"]) for r in positions.to_pylist() if r["on_hand"] != 0}
    theirs = {(str(i), str(loc)): Decimal(int(q)) for i, loc, q in pd_pos.itertuples(index=False)}
    if mine != theirs:
        diff = sorted(set(mine.items()) ^ set(theirs.items()))[:5]
        raise SystemExit(f"stock positions differ ({len(mine)} vs {len(theirs)} rows), e.g. {diff}")
    rows = classes.to_pylist()
    if [r["item"] for r in rows] != list(pd_cls.index):
        raise SystemExit("classes: not the same items")
    for r, (code, p) in zip(rows, pd_cls.iterrows()):
        value = Decimal(str(r["value"]))
        if value * 100 != int(p["value_cents"]) or r["abc"] != p["abc"] or r["xyz"] != p["xyz"] \
                or abs(float(r["share"]) - p["share"]) > 1e-6:
            raise SystemExit(f"classes differ at {code}: ims {r} vs pandas {dict(p)}")


def best(f: Callable[[], Any], runs: int) -> Tuple[float, Any]:
    times: List[float] = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moves", type=int, default=10_000_000)
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--locations", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3, help="best of, for the in-memory questions")
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    moves, costs = ledger(a.moves, a.items, a.locations, a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ledger.parquet")
        pq.write_table(pa.Table.from_pandas(moves, preserve_index=False), path)
        size = os.path.getsize(path)
        del moves

        # With loading: file to answers, once each (a load is not repeated).
        t = time.perf_counter()
        df = pd.read_parquet(path)
        pd_pos, pd_cls = pandas_positions(df), pandas_classes(df, costs)
        t_pd_load = time.perf_counter() - t

        e = ims_engine(costs, a.locations)  # the catalogue: not the ledger, not timed
        t = time.perf_counter()
        table = pq.read_table(path)
        e.load_moves(table)
        positions, classes = ims_answers(e)
        t_ims_load = time.perf_counter() - t
        del table
        check(pd_pos, pd_cls, positions, classes)

        snap_path = os.path.join(tmp, "ledger.ims")
        with open(snap_path, "wb") as f:
            f.write(e.snapshot())
        snap_size = os.path.getsize(snap_path)
        t = time.perf_counter()
        with open(snap_path, "rb") as f:
            restored = ims.Engine.from_snapshot(f.read())
        positions, classes = ims_answers(restored)
        t_ims_restore = time.perf_counter() - t
        del restored
        check(pd_pos, pd_cls, positions, classes)

        # Without loading: the questions alone.
        t_pd_pos, _ = best(lambda: pandas_positions(df), a.runs)
        t_pd_cls, _ = best(lambda: pandas_classes(df, costs), a.runs)
        t_ims_pos, _ = best(lambda: e.balances_table(), a.runs)
        t_ims_cls, _ = best(lambda: e.query_table("classes", rows=["items"], **{"from": FROM, "to": TO}), a.runs)

    n_abc = pd_cls["abc"].value_counts().to_dict()
    print(f"# ims-py against pandas {pd.__version__} (pyarrow {pa.__version__}): {a.moves:,} moves, "
          f"{a.items:,} items, {a.locations} locations; Parquet {size / 1e6:.0f} MB, "
          f"ims snapshot {snap_size / 1e6:.0f} MB; "
          f"{len(pd_pos):,} positions; ABC {dict(sorted(n_abc.items()))}; answers equal")
    print(f"{'question':<34}{'pandas':>11}{'ims':>11}{'ratio':>9}")
    for name, p, i in [
        ("with loading (file to both)", t_pd_load, t_ims_load),
        ("with loading (own file: snapshot)", t_pd_load, t_ims_restore),
        ("stock positions (in memory)", t_pd_pos, t_ims_pos),
        ("ABC/XYZ classes (in memory)", t_pd_cls, t_ims_cls),
        ("both (in memory)", t_pd_pos + t_pd_cls, t_ims_pos + t_ims_cls),
    ]:
        print(f"{name:<34}{p:>10.3f}s{i:>10.3f}s{p / i:>8.1f}x")


if __name__ == "__main__":
    main()
