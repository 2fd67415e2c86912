"""`frames.policy_frame`: a planning function once per row, the same
answers as calling it row by row, and bad rows refused by index."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import ims
from ims import errors as E
from ims import frames

ROWS = pd.DataFrame({
    "item": ["a", "b", "c", "d"],
    "holding_cost": [0.5, 1.0, 2.5, 0.1],
    "stockout_cost": [4.0, 9.0, 20.0, 3.0],
    "fixed_cost": [50.0, 10.0, 80.0, 5.0],
    "demand_mean": [30.0, 5.0, 120.0, 0.7],
    "demand_sd": [6.0, 2.0, 25.0, 0.4],
})


def test_newsvendor_normal_equals_the_function_row_by_row() -> None:
    t = frames.policy_frame(ims.policy.newsvendor.normal, ROWS.drop(columns=["fixed_cost"]), lead_time=2.0)
    assert t.column("item").to_pylist() == list(ROWS["item"])
    for i, r in ROWS.iterrows():
        want = ims.policy.newsvendor.normal(holding_cost=r.holding_cost, stockout_cost=r.stockout_cost,
                                            demand_mean=r.demand_mean, demand_sd=r.demand_sd, lead_time=2.0)
        assert t.column("base_stock_level")[i].as_py() == want.base_stock_level
        assert t.column("cost")[i].as_py() == want.cost


def test_integer_results_and_a_path_instead_of_the_function() -> None:
    t = frames.policy_frame("policy.newsvendor.poisson", ROWS[["holding_cost", "stockout_cost", "demand_mean"]],
                            lead_time=1)
    assert t.column("base_stock_level").type == pa.int64()
    for i, r in ROWS.iterrows():
        want = ims.policy.newsvendor.poisson(holding_cost=r.holding_cost, stockout_cost=r.stockout_cost,
                                             demand_mean=r.demand_mean, lead_time=1.0)
        assert t.column("base_stock_level")[i].as_py() == want.base_stock_level
        assert t.column("cost")[i].as_py() == want.cost


def test_a_struct_parameter_takes_the_other_columns() -> None:
    t = frames.policy_frame(ims.policy.rq.eoq_ss, ROWS, lead_time=3.0)
    for i, r in ROWS.iterrows():
        params = {k: r[k] for k in ROWS.columns if k != "item"}
        want = ims.policy.rq.eoq_ss(params={**params, "lead_time": 3.0})
        assert (t.column("reorder_point")[i].as_py(), t.column("order_quantity")[i].as_py()) == \
            (want.reorder_point, want.order_quantity)
    # type1: a struct parameter and a scalar one side by side.
    ss = pd.DataFrame({"demand_mean": [50.0, 10.0], "demand_sd": [8.0, 3.0], "lead_time_mean": [4.0, 2.0],
                       "lead_time_sd": [0.5, 0.0], "cycle_service_level": [0.95, 0.9]})
    t = frames.policy_frame(ims.policy.safety_stock.type1, ss, review_period=1.0)
    for i, r in ss.iterrows():
        p = {k: r[k] for k in ("demand_mean", "demand_sd", "lead_time_mean", "lead_time_sd")}
        p["review_period"] = 1.0
        want = ims.policy.safety_stock.type1(params=p, cycle_service_level=r.cycle_service_level)
        assert t.column("safety_stock")[i].as_py() == want.safety_stock


def test_a_number_answer_is_the_value_column_and_numpy_columns_work() -> None:
    z = np.linspace(-3, 3, 7)
    t = frames.policy_frame(ims.policy.normal.cdf, pa.table({"z": z}))
    assert t.column("value").to_pylist() == [ims.policy.normal.cdf(z=float(x)) for x in z]
    t = frames.policy_frame(ims.policy.ss.power_approximation, ROWS)
    for i, r in ROWS.iterrows():
        want = ims.policy.ss.power_approximation(holding_cost=r.holding_cost, stockout_cost=r.stockout_cost,
                                                 fixed_cost=r.fixed_cost, demand_mean=r.demand_mean,
                                                 demand_sd=r.demand_sd)
        assert t.column("reorder_point")[i].as_py() == want.reorder_point
        assert t.column("order_up_to_level")[i].as_py() == want.order_up_to_level


def test_a_bad_row_refuses_the_call_by_its_index() -> None:
    bad = ROWS.copy()
    bad.loc[2, "demand_sd"] = -1.0
    with pytest.raises(E.BatchRefusedError) as e:
        frames.policy_frame(ims.policy.newsvendor.normal, bad, lead_time=1.0)
    assert e.value.data["index"] == 2
    with pytest.raises(E.BatchRefusedError) as e:
        frames.policy_frame(ims.policy.newsvendor.normal, ROWS.drop(columns=["demand_sd"]), lead_time=1.0)
    assert e.value.data["index"] == 0 and "demand_sd" in str(e.value)


def test_what_cannot_go_per_row_is_refused() -> None:
    with pytest.raises(E.InvalidCommandError, match="no planning function"):
        frames.policy_frame("policy.newsvendor.nope", ROWS)
    with pytest.raises(E.InvalidCommandError, match="want a planning function"):
        frames.policy_frame(math.sqrt, ROWS)
    with pytest.raises(E.InvalidCommandError, match="no rows"):
        frames.policy_frame(ims.policy.eoq.eoq, ROWS.iloc[:0])
    with pytest.raises(E.InvalidCommandError, match="both as a column and as a constant"):
        frames.policy_frame(ims.policy.eoq.eoq, ROWS, holding_cost=1.0)
    with pytest.raises(E.InvalidCommandError, match="no parameter"):
        frames.policy_frame(ims.policy.eoq.eoq, ROWS, demand_rate=1.0, colour=2.0)
    with pytest.raises(E.InvalidCommandError, match="want a number"):
        frames.policy_frame(ims.policy.eoq.eoq, ROWS, demand_rate="many")
    # A distribution parameter has no per-row form.
    with pytest.raises(E.BatchRefusedError):
        frames.policy_frame(ims.policy.discrete.mean, pa.table({"demand": [1.0]}))
    # An integer parameter wants integers.
    with pytest.raises(E.BatchRefusedError):
        frames.policy_frame(ims.policy.numeric.order_units, pa.table({"units": [3.5], "moq": [1], "multiple": [1]}))
    t = frames.policy_frame(ims.policy.numeric.order_units, pa.table({"units": [3, 7], "moq": [5, 5], "multiple": [5, 5]}))
    assert t.column("value").to_pylist() == [ims.policy.numeric.order_units(units=u, moq=5, multiple=5) for u in (3, 7)]
