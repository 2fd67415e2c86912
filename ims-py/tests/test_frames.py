"""DataFrames in and out: pandas, polars and pyarrow inputs; exact decimal
outputs; malformed frames refused before anything runs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import ims
from ims import errors as E
from ims import frames

STOCK = {"item": ["A", "B", "C"], "location": ["S", "S", "S"], "qty": [5, 7, 9]}


def fresh() -> ims.Engine:
    e = ims.Engine()
    e.define_location("S", kind="site")
    e.load_catalog(pa.table({"item": ["A", "B", "C"], "scale": [0, 2, 0]}))
    return e


def state(e: ims.Engine) -> tuple:
    return (e.seq, e.state_digest())


@pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame, pa.table, dict],
                         ids=["pandas", "polars", "pyarrow", "mapping"])
def test_load_stock_from_every_kind_of_table(make: Callable[[Any], Any]) -> None:
    e = fresh()
    assert e.load_stock(make(STOCK)) == 3
    assert e.availability("B", "S").on_hand == Decimal(7)
    bt = e.balances_table()
    assert bt.column_names == ["item", "location", "lot", "on_hand", "reserved"]
    assert bt.column("on_hand").type == pa.decimal128(38, 2)
    assert bt.column("on_hand").to_pylist() == [Decimal(5), Decimal(7), Decimal(9)]
    assert bt.column("lot").null_count == 3
    assert e.verify() == []


def test_decimal_and_string_quantities_are_exact() -> None:
    e = fresh()
    e.load_stock(pa.table({"item": ["B", "B"], "location": ["S", "S"],
                           "qty": pa.array([Decimal("1.25"), Decimal("0.75")], pa.decimal128(10, 2))}))
    e.load_stock(pd.DataFrame({"item": ["B"], "location": ["S"], "qty": ["0.01"]}))
    assert e.availability("B", "S").on_hand == Decimal("2.01")


@pytest.mark.parametrize("frame,error", [
    ({"item": ["A"], "location": ["S"], "qty": [1.5]}, E.InexactNumberError),
    ({"item": ["A"], "location": ["S"]}, E.InvalidCommandError),
    ({"item": ["A"], "location": ["S"], "qty": [1], "colour": ["red"]}, E.InvalidCommandError),
    ({"item": [1], "location": ["S"], "qty": [1]}, E.InvalidCommandError),
    ({"item": pa.array([], pa.string()), "location": pa.array([], pa.string()), "qty": pa.array([], pa.int64())},
     E.InvalidCommandError),
    ({"item": ["A", None], "location": ["S", "S"], "qty": [1, 2]}, E.InvalidCommandError),
    ({"item": ["A"], "location": ["S"], "qty": ["lots"]}, E.InvalidCommandError),
    ({"item": ["A", "Z"], "location": ["S", "S"], "qty": [1, 2]}, E.BatchRefusedError),
], ids=["float", "missing", "extra", "int-codes", "empty", "null", "not-a-number", "unknown-item"])
def test_malformed_frames_are_refused_and_change_nothing(frame: Any, error: type) -> None:
    e = fresh()
    before = state(e)
    with pytest.raises(error):
        e.load_stock(frame)
    assert state(e) == before


def test_a_refused_row_is_named_by_its_index() -> None:
    e = fresh()
    with pytest.raises(E.BatchRefusedError) as info:
        e.load_stock({"item": ["A", "A", "NOPE"], "location": ["S"] * 3, "qty": [1, 1, 1]})
    assert info.value.data["index"] == 2
    assert info.value.data["source"]["name"] == "UNKNOWN_ITEM"


def test_load_moves_replays_a_ledger() -> None:
    e = fresh()
    n = e.load_moves(pd.DataFrame({
        "type": ["receive", "sell", "adjust", "scrap"], "item": ["A"] * 4, "location": ["S"] * 4,
        "qty": [10, 3, -1, 2], "occurred_at": [1000, 2000, 3000, 4000]}))
    assert n == 4
    assert e.availability("A", "S").on_hand == Decimal(4)
    with pytest.raises(E.InvalidCommandError):
        e.load_moves({"type": ["steal"], "item": ["A"], "location": ["S"], "qty": [1], "occurred_at": [5000]})
    assert e.availability("A", "S").on_hand == Decimal(4)


def test_reserve_columns_races_for_the_last_units() -> None:
    e = fresh()
    e.load_stock(STOCK)
    n = 8
    out = e.reserve_columns(np.array([f"r{i}" for i in range(n)]), pa.array(["A"] * n), np.ones(n, dtype=np.int64),
                            "S", ttl_ms=60_000)
    codes = out.column("code").to_pylist()
    assert codes[:5] == [0] * 5
    assert set(codes[5:]) == {401}  # INSUFFICIENT_AVAILABLE: never oversold
    seqs = out.column("seq").to_pylist()
    assert seqs[:5] == list(range(seqs[0], seqs[0] + 5)) and seqs[5:] == [0, 0, 0]
    assert e.availability("A", "S").available == 0
    with pytest.raises(E.InexactNumberError):
        e.reserve_columns(["x"], ["A"], np.array([1.0]), "S")


def test_availability_and_query_tables() -> None:
    e = fresh()
    e.load_stock(STOCK)
    e.reserve("R", "A", 2, "S")
    t = e.availability_table(scope="S")
    assert t.column("item").to_pylist() == ["A", "B", "C"]
    assert t.column("available").to_pylist() == [Decimal(3), Decimal(7), Decimal(9)]
    assert e.availability_table(["C"], "S").column("on_hand").to_pylist() == [Decimal(9)]
    with pytest.raises(E.UnknownItemError):
        e.availability_table(["NOPE"], "S")
    q = e.query_table("balances", item="A")
    assert q.column("location").to_pylist() == ["S"]
    assert q.column("reserved").to_pylist() == [Decimal(2)]


def costed_sales(a_days: Sequence[int]) -> ims.Engine:
    """Items A, B, C at costs 2.5, 0.125 and 3 with stock; A sold 2 then
    1 unit on the given days, B 1.25 units on day 2."""
    e = fresh()
    for item, cost in [("A", "2.5"), ("B", "0.125"), ("C", "3")]:
        e.execute({"type": "set_item_cost", "item": item, "unit_cost": cost, "occurred_at": 0})
    e.load_stock(STOCK)
    for day, qty in zip(a_days, [2, 1]):
        e.sell("A", "S", qty, occurred_at=day * 86_400_000)
    e.sell("B", "S", Decimal("1.25"), occurred_at=2 * 86_400_000)
    return e


def test_query_table_holds_the_answers_rows() -> None:
    # Classes: decimals at several scales, a column null on some rows (no
    # demand, no coefficient of variation), columns in the rows' key order.
    e = costed_sales([1])
    args = {"from": "1970-01-01", "to": "1970-01-14"}
    rows = e.query("classes", **args)["items"]
    t = e.query_table("classes", rows=["items"], **args)
    assert t.column_names == list(rows[0].keys())
    for name in t.column_names:
        assert t.column(name).to_pylist() == [r[name] for r in rows], name
    assert t.column("item").to_pylist() == ["A", "B", "C"]
    assert [Decimal(r["value"]) for r in rows] == [Decimal(5), Decimal("0.15625"), Decimal(0)]
    assert t.column("cv").null_count == 1


def test_analytics_money_and_ratios_arrive_as_decimals() -> None:
    # Values, shares, coefficients of variation and valuations are decimals
    # in the core's answers; through this door they are `Decimal`, in dicts
    # and in tables alike (they arrived as strings before).
    e = costed_sales([1, 9])
    args = {"from": "1970-01-01", "to": "1970-01-14"}
    answer = e.query("classes", **args)
    assert answer["total_value"] == Decimal("7.65625") and isinstance(answer["total_value"], Decimal)
    a = answer["items"][0]
    assert (a["item"], a["value"], a["abc"]) == ("A", Decimal("7.5"), "A")
    assert isinstance(a["share"], Decimal) and isinstance(a["cv"], Decimal)
    t = e.query_table("classes", rows=["items"], **args)
    for name in ["value", "share", "cv"]:
        assert str(t.schema.field(name).type).startswith("decimal128"), name
    assert t.column("value").to_pylist()[0] == Decimal("7.5")
    # The item's valuation: FIFO and average cost values, as decimals.
    v = e.query("item_valuation", item="A")
    money = {k: x for k, x in v.items() if k.endswith("value")}
    assert money and all(isinstance(x, Decimal) for x in money.values()), v


def test_plan_table_has_one_row_per_line(tmp_path: Any) -> None:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "conformance" / "scenarios" / "planning_derive_plan_accept.json"
    sc = json.loads(path.read_text())
    e = ims.Engine()
    plan_query = None
    for step in sc["steps"]:
        if "command" in step:
            try:
                e.execute(json.dumps(step["command"]))
            except ims.ImsError:
                pass
        elif "batch" in step:
            e.execute_batch([json.dumps(c) for c in step["batch"]["commands"]], mode=step["batch"]["mode"])
        elif "query" in step and step["query"]["kind"] == "plan" and plan_query is None:
            plan_query = {k: v for k, v in step["query"].items() if k != "kind"}
            break
    assert plan_query is not None
    answer = e.query("plan", **plan_query)
    t = e.plan_table(**plan_query)
    lines = [l for p in answer["proposals"] for l in p["lines"]]
    assert t.num_rows == len(lines) > 0
    assert t.column("item").to_pylist() == [l["item"] for l in lines]
    assert t.column("qty").to_pylist() == [l["qty"] for l in lines]
    assert t.column("proposal.id").to_pylist() == [p["id"] for p in answer["proposals"] for _ in p["lines"]]
    assert "why.position" in t.column_names


def test_forecast_frame_equals_forecast_only() -> None:
    rng = np.random.default_rng(3)
    items, weeks = ["X", "Y", "Z"], 30
    frame = pd.DataFrame({"item": np.repeat(items, weeks), "period": np.tile(np.arange(weeks), 3),
                          "qty": rng.poisson(4, 3 * weeks) * (rng.random(3 * weeks) < 0.6)})
    shuffled = frame.sample(frac=1.0, random_state=1)  # order must not matter
    t = frames.forecast_frame(shuffled, h=3, progress=True)
    assert t.num_rows == 9
    for name in items:
        y = [float(v) for v in frame[frame.item == name].sort_values("period").qty]
        m = ims.forecast.auto(y=y)
        want = ims.forecast.forecast_only(method=dict(m), y=y, h=3)
        rows = t.filter(pa.compute.equal(t.column("item"), name))
        assert rows.column("forecast").to_pylist() == want  # bit for bit
        assert set(rows.column("method").to_pylist()) == {m["method"]}
    # Already in order (the sort is skipped) or out of order only within one
    # item's periods: the same table.
    assert frames.forecast_frame(frame, h=3).equals(t)
    backwards = pd.concat([frame.iloc[:weeks].iloc[::-1], frame.iloc[weeks:]])
    assert frames.forecast_frame(backwards, h=3).equals(t)
    fixed = frames.forecast_frame(frame, method={"method": "ses", "alpha": 0.2})
    assert set(fixed.column("method").to_pylist()) == {"ses"}
    with pytest.raises(E.InvalidCommandError):
        frames.forecast_frame(frame.drop(columns=["qty"]))
    with pytest.raises(E.InvalidCommandError):
        frames.forecast_frame(frame, method={"method": "ses", "alpha": 7})


def test_forecast_frame_from_pandas_equals_the_arrow_path() -> None:
    rng = np.random.default_rng(5)
    items, weeks = [f"SKU{i:03d}" for i in range(7)], 20
    # Object-dtype ids, as pandas 2 makes them (pandas 3's Arrow-backed
    # strings convert to Arrow without a copy and take the Arrow path).
    base = pd.DataFrame({"item": pd.Series(np.repeat(items, weeks), dtype=object),
                         "period": np.tile(pd.date_range("2024-01-07", periods=weeks, freq="W").values, len(items)),
                         "qty": (rng.poisson(3, len(items) * weeks) * (rng.random(len(items) * weeks) < 0.5))})

    def same(frame: pd.DataFrame, fast: bool) -> None:
        assert (frames._pandas_runs(frame, "item", "period", "qty") is not None) == fast
        want = frames.forecast_frame(pa.Table.from_pandas(frame, preserve_index=False), h=2)
        assert frames.forecast_frame(frame, h=2).equals(want)

    same(base, True)                                               # the usual export
    same(base.assign(qty=base.qty.astype("float64") / 4), True)    # float quantities
    same(base.assign(item=base.item.str[3:].astype("int64")), True)  # integer ids
    same(base.assign(period=np.tile(np.arange(weeks), len(items))), True)  # integer periods
    same(base.iloc[::-1], False)                                   # out of order: sorted first
    same(base.assign(item=base.item.astype("category")), False)    # an extension type
    same(base.assign(item=base.item.astype(pd.StringDtype())), False)  # Arrow-backed strings
    same(pd.concat([base.iloc[weeks:], base.iloc[:weeks]]), False)  # items not ascending
    dup = base.copy()
    dup.loc[3, "period"] = dup.loc[2, "period"]                    # a period twice
    same(dup, False)
    for bad in (base.assign(qty=base.qty.astype("float64").where(base.index != 5)),
                base.assign(item=base.item.where(base.index != 9, None))):
        assert frames._pandas_runs(bad, "item", "period", "qty") is None
        with pytest.raises(E.InvalidCommandError):
            frames.forecast_frame(bad)


def test_safety_stock_frame_equals_the_scalar_functions() -> None:
    frame = pl.DataFrame({"item": ["a", "b"], "demand_mean": [50.0, 10.0], "demand_sd": [8.0, 3.0],
                          "lead_time_mean": [4.0, 2.0], "review_period": [1.0, 0.0], "order_quantity": [100.0, 40.0]})
    t1 = frames.safety_stock_frame(frame.drop("order_quantity"), cycle_service_level=0.95)
    t2 = frames.safety_stock_frame(frame, fill_rate=0.98)
    for i, row in enumerate(frame.iter_rows(named=True)):
        p = {k: row[k] for k in ("demand_mean", "demand_sd", "lead_time_mean", "review_period")}
        p["lead_time_sd"] = 0.0
        s1 = ims.policy.safety_stock.type1(params=p, cycle_service_level=0.95)
        s2 = ims.policy.safety_stock.type2(params=p, fill_rate=0.98, order_quantity=row["order_quantity"])
        assert t1.column("reorder_level")[i].as_py() == s1.reorder_level
        assert t2.column("safety_stock")[i].as_py() == s2.safety_stock
    assert t1.column("item").to_pylist() == ["a", "b"]
    with pytest.raises(E.InvalidCommandError):
        frames.safety_stock_frame(frame, cycle_service_level=0.9, fill_rate=0.9)
    with pytest.raises(E.InvalidCommandError):
        frames.safety_stock_frame(frame.drop("demand_sd"), cycle_service_level=0.9)
    with pytest.raises(E.InvalidCommandError):
        frames.safety_stock_frame(frame.with_columns(pl.lit(-1.0).alias("demand_sd")), cycle_service_level=0.9)


def test_compare_policies_and_events_table() -> None:
    setup = {"periods": 60, "lead_time": 2, "demand": "poisson", "mean": 3.0, "seed": 5, "initial_on_hand": 20}
    rules = [{"rule": "reorder_point", "reorder_point": 8, "order_qty": 20},
             {"rule": "reorder_point", "reorder_point": 12, "order_qty": 20}]
    want = ims.simulate.compare(rules=rules, setup=setup)
    assert want[0]["fill_rate"] != want[1]["fill_rate"]
    t = frames.compare_policies(rules, setup, progress=True)
    assert t.column("fill_rate").to_pylist() == [r["fill_rate"] for r in want]
    e = fresh()
    e.load_stock(STOCK)
    ev = e.events_table()
    assert ev.num_rows == sum(len(env["events"]) for env in e.events())
    assert "move_posted" in ev.column("type").to_pylist()
