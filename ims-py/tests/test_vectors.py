"""The public theory vectors (/work/shared/vectors/theory_public.json, the
same file as ims-core/tests/vectors/) through `ims.policy` and
`ims.forecast`, record by record as ims-core/tests/policy_vectors.rs and
forecast_vectors.rs map them, at the tolerance rule of the vectors README.
Every expected field of a record must be looked at.

Also: every planning function the native module lists is reachable as
`ims.<module path>.<name>` with exactly the Rust parameter names."""

from __future__ import annotations

import importlib
import inspect
import json
import keyword
import math
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Set

import pytest

import ims
import ims.forecast as forecast
from ims import _native
from ims.policy import eoq, finite_horizon, loss, lot_sizing, newsvendor, normal, rq, safety_stock, ss

HERE = Path(__file__).resolve().parent
SHARED = Path("/work/shared/vectors/theory_public.json")
IN_REPO = HERE.parent.parent / "ims-core" / "tests" / "vectors" / "theory_public.json"
VECTORS_PATH = SHARED if SHARED.exists() else IN_REPO
RECORDS: List[Dict[str, Any]] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
BY_ID = {r["id"]: r for r in RECORDS}
STATSFORECAST = HERE.parent.parent / "ims-core" / "tests" / "vectors" / "statsforecast.json"

#: The default relative tolerance, and the one for results the source got by
#: iteration or quadrature (vectors README).
REL_DEFAULT = 1e-9
REL_ITERATIVE = 1e-6


def test_vector_files_agree() -> None:
    if SHARED.exists() and IN_REPO.exists():
        assert json.loads(SHARED.read_text()) == json.loads(IN_REPO.read_text())


def test_public_set_as_committed() -> None:
    areas = [r["area"] for r in RECORDS]
    assert sum(not a.startswith("forecast_") for a in areas) == 46
    assert sum(a.startswith("forecast_") for a in areas) == 5
    assert len(BY_ID) == len(RECORDS), "duplicate ids"


class Rec:
    """A record under test (policy_vectors.rs `Rec`): inputs, expectations,
    and which expected fields were checked."""

    def __init__(self, r: Dict[str, Any]) -> None:
        self.r = r
        self.id: str = r["id"]
        self.checked: Set[str] = set()

    def input(self, key: str) -> Any:
        assert key in self.r["inputs"], f"{self.id}: no input {key}"
        return self.r["inputs"][key]

    def f(self, key: str) -> float:
        return float(self.input(key))

    def expected(self, key: str) -> Any:
        self.checked.add(key)
        assert key in self.r["expected"], f"{self.id}: no expected {key}"
        return self.r["expected"][key]

    def source_tolerance(self, key: str) -> "tuple[float, float]":
        t = self.r["tolerance"]
        if "rule" not in t:
            assert key in t, f"{self.id}: no tolerance for {key}"
            t = t[key]
        return (t.get("abs") or 0.0, t.get("rel") or 0.0)

    def close(self, label: str, tol_key: str, want: float, got: float, iterative: bool) -> None:
        abs_, rel = self.source_tolerance(tol_key)
        ours = REL_ITERATIVE if iterative else REL_DEFAULT
        tol = max(abs_, rel * abs(want), ours * abs(want))
        assert isinstance(got, (int, float)) and not isinstance(got, bool), f"{self.id} {label}: {got!r}"
        assert abs(got - want) <= tol, f"{self.id} {label}: expected {want}, got {got} (diff {abs(got - want):e}, tol {tol:e})"

    def num(self, key: str, got: float, iterative: bool) -> None:
        self.close(key, key, float(self.expected(key)), got, iterative)

    def int(self, key: str, got: int) -> None:
        want = self.expected(key)
        assert isinstance(got, int) and not isinstance(got, bool), f"{self.id} {key}: not an int: {got!r}"
        assert float(want) == float(got), f"{self.id} {key}: expected {want}, got {got}"

    def finish(self) -> None:
        assert set(self.r["expected"]) == self.checked, f"{self.id}: expected fields not checked"


def nums(v: Any) -> List[float]:
    return [float(x) for x in v]


# --- families (as in policy_vectors.rs) ------------------------------------

def eoq_family(v: Rec) -> None:
    if v.id in ("eoq-ex3.1", "eoq-nb-small"):
        e = eoq.eoq(fixed_cost=v.f("fixed_cost"), holding_cost=v.f("holding_cost"), demand_rate=v.f("demand_rate"))
        v.num("order_quantity", e.order_quantity, False)
        v.num("cost", e.cost, False)
        if v.id == "eoq-nb-small":
            c = eoq.eoq_cost(fixed_cost=v.f("fixed_cost"), holding_cost=v.f("holding_cost"),
                             demand_rate=v.f("demand_rate"), order_quantity=v.f("eval_order_quantity"))
            v.num("cost_at_eval_order_quantity", c, False)
    elif v.id == "eoq-ex3.1-eval-Q350":
        c = eoq.eoq_cost(fixed_cost=v.f("fixed_cost"), holding_cost=v.f("holding_cost"),
                         demand_rate=v.f("demand_rate"), order_quantity=v.f("order_quantity"))
        v.num("cost", c, False)
    elif v.id in ("epq-ex3.1-mu2000", "epq-nb-mu1700"):
        k, h, l, mu = v.f("fixed_cost"), v.f("holding_cost"), v.f("demand_rate"), v.f("production_rate")
        e = eoq.epq(fixed_cost=k, holding_cost=h, demand_rate=l, production_rate=mu)
        v.num("order_quantity", e.order_quantity, False)
        v.num("cost", e.cost, False)
        if v.id == "epq-ex3.1-mu2000":
            c = eoq.epq_cost(fixed_cost=k, holding_cost=h, demand_rate=l, production_rate=mu,
                             order_quantity=v.f("eval_order_quantity"))
            v.num("cost_at_eval_order_quantity", c, False)
    elif v.id == "eoqb-ex3.8":
        e = eoq.eoq_backorders(fixed_cost=v.f("fixed_cost"), holding_cost=v.f("holding_cost"),
                               stockout_cost=v.f("stockout_cost"), demand_rate=v.f("demand_rate"))
        v.num("order_quantity", e.order_quantity, False)
        v.num("stockout_fraction", e.stockout_fraction, False)
        v.num("cost", e.cost, False)
    elif v.id in ("aud-ex3.6", "aud-docstring", "inc-prob3.12b"):
        solve = eoq.all_units_discount if v.id.startswith("aud") else eoq.incremental_discount
        d = solve(fixed_cost=v.f("fixed_cost"), holding_cost_rate=v.f("holding_cost_rate"),
                  demand_rate=v.f("demand_rate"), breakpoints=nums(v.input("breakpoints")),
                  unit_costs=nums(v.input("unit_costs")))
        v.num("order_quantity", d.order_quantity, False)
        v.int("region", d.region)
        v.num("cost", d.cost, False)
    else:
        raise AssertionError(f"unknown eoq record {v.id}")


def newsvendor_family(v: Rec) -> None:
    if v.id in ("nv-normal-ex4.3", "basestock-normal-ex4.4"):
        args = dict(holding_cost=v.f("holding_cost"), stockout_cost=v.f("stockout_cost"),
                    demand_mean=v.f("demand_mean"), demand_sd=v.f("demand_sd"), lead_time=v.f("lead_time"))
        nv = newsvendor.normal(**args)
        v.num("base_stock_level", nv.base_stock_level, False)
        v.num("cost", nv.cost, False)
        for s, want in v.expected("cost_at_S").items():
            got = newsvendor.normal_cost(**args, base_stock_level=float(s))
            v.close(f"cost_at_S[{s}]", "cost_at_S", float(want), got, False)
    elif v.id == "basestock-normal-nb-L3":
        levels, costs = nums(v.expected("base_stock_level")), nums(v.expected("cost"))
        for i, c in enumerate(v.input("cases")):
            nv = newsvendor.normal(**{k: float(c[k]) for k in
                                      ("holding_cost", "stockout_cost", "demand_mean", "demand_sd", "lead_time")})
            v.close(f"base_stock_level[{i}]", "base_stock_level", levels[i], nv.base_stock_level, False)
            v.close(f"cost[{i}]", "cost", costs[i], nv.cost, False)
    elif v.id in ("nv-poisson-ex4.7", "nv-poisson-nb"):
        h, p, mu = v.f("holding_cost"), v.f("stockout_cost"), v.f("demand_mean")
        nv = newsvendor.poisson(holding_cost=h, stockout_cost=p, demand_mean=mu, lead_time=0.0)
        v.int("base_stock_level", nv.base_stock_level)
        v.num("cost", nv.cost, False)
        if v.id == "nv-poisson-ex4.7":
            for s, want in v.expected("cost_at_S").items():
                got = newsvendor.poisson_cost(holding_cost=h, stockout_cost=p, demand_mean=mu, lead_time=0.0,
                                              base_stock_level=int(s))
                v.close(f"cost_at_S[{s}]", "cost", float(want), got, False)
    elif v.id == "nv-discrete-nb-pmf":
        pmf = v.input("demand_pmf")
        probs = [0.0] * len(pmf)
        for k, p in pmf.items():
            probs[int(k)] = float(p)
        nv = newsvendor.discrete(holding_cost=v.f("holding_cost"), stockout_cost=v.f("stockout_cost"),
                                 demand={"Pmf": {"probs": probs}})
        v.int("base_stock_level", nv.base_stock_level)
        v.num("cost", nv.cost, False)
    elif v.id == "nv-lognormal-prob4.8b":
        d = {"Lognormal": {"mu": v.f("lognormal_mu"), "sigma": v.f("lognormal_sigma")}}
        h, p = v.f("holding_cost"), v.f("stockout_cost")
        nv = newsvendor.continuous(holding_cost=h, stockout_cost=p, demand=d)
        v.num("base_stock_level", nv.base_stock_level, False)
        v.num("cost", nv.cost, True)
        for s, want in v.expected("cost_at_S").items():
            got = newsvendor.continuous_cost(holding_cost=h, stockout_cost=p, demand=d, base_stock_level=float(s))
            v.close(f"cost_at_S[{s}]", "cost", float(want), got, True)
    elif v.id == "nv-explicit-prob4.3b":
        levels, profits = nums(v.expected("base_stock_level")), nums(v.expected("profit"))
        at62 = nums(v.expected("profit_at_S62"))
        for i, c in enumerate(v.input("cases")):
            e = dict(revenue=v.f("revenue"), purchase_cost=v.f("purchase_cost"), salvage_value=v.f("salvage_value"),
                     holding_cost=float(c["holding_cost"]), stockout_cost=float(c["stockout_cost"]),
                     demand_mean=v.f("demand_mean"), demand_sd=v.f("demand_sd"))
            x = newsvendor.explicit(params=e)
            v.close(f"base_stock_level[{i}]", "x", levels[i], x.base_stock_level, False)
            v.close(f"profit[{i}]", "x", profits[i], x.profit, False)
            v.close(f"profit_at_S62[{i}]", "x", at62[i], newsvendor.explicit_profit(params=e, base_stock_level=62.0),
                    False)
    else:
        raise AssertionError(f"unknown newsvendor record {v.id}")


def rq_params(v: Rec) -> Dict[str, float]:
    return {k: v.f(k) for k in ("holding_cost", "stockout_cost", "fixed_cost", "demand_mean", "demand_sd",
                                "lead_time")}


def rq_family(v: Rec) -> None:
    if v.id in ("rq-cost-ex5.1", "rq-cost-nb-eoqss"):
        m = rq_params(v)
        want = nums(v.expected("cost"))
        for i, e in enumerate(v.input("evaluate")):
            got = rq.exact_cost(params=m, reorder_point=float(e["r"]), order_quantity=float(e["Q"]))
            v.close(f"cost[{i}]", "cost", want[i], got, True)
    elif v.id == "rq-r-of-Q-prob5.1":
        m = rq_params(v)
        want = nums(v.expected("r"))
        for i, q in enumerate(nums(v.input("Q"))):
            v.close(f"r[{i}]", "r", want[i], rq.optimal_reorder_point(params=m, order_quantity=q), True)
    elif v.id in ("rq-eil-ex5.2", "rq-eil-prob5.3a"):
        e = rq.eil(params=rq_params(v))
        v.num("r", e.reorder_point, True)
        v.num("Q", e.order_quantity, True)
        v.num("cost", e.cost, True)
    elif v.id == "rq-eoqb-prob5.1b":
        e = rq.eoqb(params=rq_params(v))
        v.num("r", e.reorder_point, True)
        v.num("Q", e.order_quantity, False)
    elif v.id in ("rq-eoqss-ex5.5", "rq-eoqss-prob5.3c"):
        e = rq.eoq_ss(params=rq_params(v))
        v.num("r", e.reorder_point, False)
        v.num("Q", e.order_quantity, False)
    elif v.id == "rq-lossfn-prob5.1d":
        e = rq.loss_function(params=rq_params(v))
        v.num("r", e.reorder_point, True)
        v.num("Q", e.order_quantity, True)
    elif v.id == "rq-nb-approxs":
        m = rq_params(v)
        eil = rq.eil(params=m)
        e = v.expected("eil")
        v.close("eil.r", "x", float(e["r"]), eil.reorder_point, True)
        v.close("eil.Q", "x", float(e["Q"]), eil.order_quantity, True)
        v.close("eil.approx_cost", "x", float(e["approx_cost"]), eil.cost, True)
        for key, got in (("eoqb", rq.eoqb(params=m)), ("eoqss", rq.eoq_ss(params=m)),
                         ("loss_function", rq.loss_function(params=m))):
            e = v.expected(key)
            v.close(f"{key}.r", "x", float(e["r"]), got.reorder_point, True)
            v.close(f"{key}.Q", "x", float(e["Q"]), got.order_quantity, True)
            exact = rq.exact_cost(params=m, reorder_point=got.reorder_point, order_quantity=got.order_quantity)
            v.close(f"{key}.exact_cost", "x", float(e["exact_cost"]), exact, True)
    elif v.id == "rq-poisson-prob5.2":
        m = {k: v.f(k) for k in ("holding_cost", "stockout_cost", "fixed_cost", "demand_mean", "lead_time")}
        o = rq.poisson_optimum(params=m)
        v.int("optimal_r", o.reorder_point)
        v.int("optimal_Q", o.order_quantity)
        v.close("optimal_cost", "cost", float(v.expected("optimal_cost")), o.cost, False)
        want = nums(v.expected("cost"))
        for i, e in enumerate(v.input("evaluate")):
            got = rq.poisson_cost(params=m, reorder_point=int(e["r"]), order_quantity=int(e["Q"]))
            v.close(f"cost[{i}]", "cost", want[i], got, False)
    else:
        raise AssertionError(f"unknown rq record {v.id}")


def ss_family(v: Rec) -> None:
    h, p = v.f("holding_cost"), v.f("stockout_cost")
    if v.id in ("ss-ex4.7", "ss-nb-h12"):
        k = v.f("fixed_cost")
        text = v.input("demand")
        assert text.startswith("Poisson(") and text.endswith(")")
        demand = {"Poisson": {"mean": float(text[len("Poisson("):-1])}}
        o = ss.optimum(holding_cost=h, stockout_cost=p, fixed_cost=k, demand=demand)
        if v.id == "ss-ex4.7":
            v.int("optimal_s", o.reorder_point)
            v.int("optimal_S", o.order_up_to_level)
            v.close("optimal_cost", "cost", float(v.expected("optimal_cost")), o.cost, False)
            want = nums(v.expected("cost"))
            for i, e in enumerate(v.input("evaluate")):
                got = ss.cost(holding_cost=h, stockout_cost=p, fixed_cost=k, demand=demand,
                              reorder_point=int(e["s"]), order_up_to_level=int(e["S"]))
                v.close(f"cost[{i}]", "cost", want[i], got, False)
        else:
            v.num("optimal_cost", o.cost, False)
            s_s = nums(v.expected("s_S_by_running_stockpyl_1.0.2"))
            assert (float(o.reorder_point), float(o.order_up_to_level)) == (s_s[0], s_s[1]), v.id
    elif v.id == "ss-zheng-federgruen-table":
        k = v.f("fixed_cost")
        s_want, big_s_want = nums(v.expected("optimal_s")), nums(v.expected("optimal_S"))
        c_want = nums(v.expected("optimal_cost"))
        for i, mean in enumerate(nums(v.input("means"))):
            o = ss.optimum(holding_cost=h, stockout_cost=p, fixed_cost=k, demand={"Poisson": {"mean": mean}})
            assert (float(o.reorder_point), float(o.order_up_to_level)) == (s_want[i], big_s_want[i]), f"mean {mean}"
            v.close(f"optimal_cost[mean {mean}]", "cost", c_want[i], o.cost, False)
    elif v.id == "ss-power-prob4.32":
        a = ss.power_approximation(holding_cost=h, stockout_cost=p, fixed_cost=v.f("fixed_cost"),
                                   demand_mean=v.f("demand_mean"), demand_sd=v.f("demand_sd"))
        v.num("s", a.reorder_point, False)
        v.num("S", a.order_up_to_level, False)
    else:
        raise AssertionError(f"unknown ss record {v.id}")


def discrete_loss2() -> Callable[..., Any]:
    """The Python door of `ims_core::policy::discrete::Discrete::loss2`
    (the Rust test's mapping of `loss2-poisson`)."""
    module = getattr(ims.policy, "discrete", None)
    fn = getattr(module, "loss2", None)
    assert fn is not None, (
        "loss2-poisson cannot be checked through ims: no planning function exposes "
        "policy::discrete::Discrete::loss2 (the discrete second-order loss); "
        "the vectors README requires every record to pass through ims-py")
    return fn


def loss_family(v: Rec) -> None:
    if v.id in ("loss-std-normal", "loss-std-normal-table"):
        l_, lbar = nums(v.expected("L")), nums(v.expected("Lbar"))
        for i, z in enumerate(nums(v.input("z"))):
            v.close(f"L({z})", "L", l_[i], loss.std_loss(z=z), False)
            v.close(f"Lbar({z})", "L", lbar[i], loss.std_loss_complement(z=z), False)
    elif v.id == "loss2-normal":
        n2, n2bar = nums(v.expected("n2")), nums(v.expected("n2bar"))
        xs, means, sds = nums(v.input("x")), nums(v.input("mean")), nums(v.input("sd"))
        for i in range(len(xs)):
            l = loss.normal_loss2(x=xs[i], mean=means[i], sd=sds[i])
            v.close(f"n2[{i}]", "n2", n2[i], l.n, False)
            v.close(f"n2bar[{i}]", "n2", n2bar[i], l.n_bar, False)
    elif v.id == "loss2-poisson":
        n2, n2bar = nums(v.expected("n2")), nums(v.expected("n2bar"))
        xs, means = nums(v.input("x")), nums(v.input("mean"))
        loss2 = discrete_loss2()
        for i in range(len(xs)):
            l = loss2(demand={"Poisson": {"mean": means[i]}}, x=int(xs[i]))
            v.close(f"n2[{i}]", "n2", n2[i], l.n, False)
            v.close(f"n2bar[{i}]", "n2", n2bar[i], l.n_bar, False)
    elif v.id == "loss-exponential-gamma":
        e, inp = v.expected("exponential"), v.input("exponential")
        for i, (x, rate) in enumerate(zip(nums(inp["x"]), nums(inp["rate"]))):
            l = loss.exponential_loss(x=x, rate=rate)
            v.close(f"exponential.n[{i}]", "x", float(e["n"][i]), l.n, False)
            v.close(f"exponential.nbar[{i}]", "x", float(e["nbar"][i]), l.n_bar, False)
        g, inp = v.expected("gamma"), v.input("gamma")
        for i, (x, shape, scale) in enumerate(zip(nums(inp["x"]), nums(inp["shape"]), nums(inp["scale"]))):
            l = loss.gamma_loss(x=x, shape=shape, scale=scale)
            v.close(f"gamma.n[{i}]", "x", float(g["n"][i]), l.n, False)
            v.close(f"gamma.nbar[{i}]", "x", float(g["nbar"][i]), l.n_bar, False)
    else:
        raise AssertionError(f"unknown loss record {v.id}")


def safety_stock_family(v: Rec) -> None:
    if v.id == "ss1-basestock-csl-ex4.4":
        p = dict(demand_mean=v.f("demand_mean_per_period"), demand_sd=v.f("demand_sd_per_period"),
                 lead_time_mean=v.f("lead_time"), lead_time_sd=0.0, review_period=v.f("review_period"))
        s = safety_stock.type1(params=p, cycle_service_level=v.f("alpha"))
        v.num("order_up_to_level", s.reorder_level, False)
        v.num("safety_stock", s.safety_stock, False)
        v.num("z", s.z, False)
    elif v.id in ("ss1-chopra-ex11-4-csl", "ss2-chopra-ex11-4-fillrate"):
        p = dict(demand_mean=v.f("weekly_demand_mean"), demand_sd=v.f("weekly_demand_sd"),
                 lead_time_mean=v.f("lead_time_weeks"), lead_time_sd=0.0, review_period=0.0)
        s = safety_stock.service(params=p, reorder_level=v.f("reorder_point"), order_quantity=v.f("order_quantity"))
        if v.id == "ss1-chopra-ex11-4-csl":
            v.num("lead_time_demand_mean", s.protection_mean, False)
            v.num("lead_time_demand_sd", s.protection_sd, False)
            v.num("safety_stock", s.safety_stock, False)
            v.num("cycle_service_level", s.cycle_service_level, False)
        else:
            v.num("expected_shortage_per_cycle", s.expected_shortage_per_cycle, False)
            v.num("fill_rate", s.fill_rate, False)
    elif v.id == "z-quantiles":
        want = nums(v.expected("z"))
        for i, a in enumerate(nums(v.input("alpha"))):
            v.close(f"z({a})", "z", want[i], normal.quantile(p=a), False)
    else:
        raise AssertionError(f"unknown safety stock record {v.id}")


def lot_sizing_family(v: Rec) -> None:
    def scalar_or_list(x: Any) -> List[float]:
        return nums(x) if isinstance(x, list) else [float(x)]

    demand = nums(v.input("demand"))
    assert float(len(demand)) == v.f("num_periods")
    w = lot_sizing.wagner_whitin(holding_cost=scalar_or_list(v.input("holding_cost")),
                                 fixed_cost=scalar_or_list(v.input("fixed_cost")), demand=demand)
    # The source lists are 1-based with a dummy 0 in front.
    assert nums(v.expected("order_quantities")) == [0.0] + [float(q) for q in w.order_quantities], v.id
    v.num("cost", w.cost, False)
    if "next_order_periods" in v.r["expected"]:
        assert nums(v.expected("next_order_periods")) == [0.0] + [float(u) + 1.0 for u in w.next_order_period], v.id
    if "costs_to_go_nb" in v.r["expected"]:
        assert nums(v.expected("costs_to_go_nb")) == [0.0] + [float(t) for t in w.cost_to_go], v.id


def finite_horizon_family(v: Rec) -> None:
    base = dict(num_periods=int(v.f("num_periods")), holding_cost=v.f("holding_cost"),
                stockout_cost=v.f("stockout_cost"), terminal_holding_cost=v.f("terminal_holding_cost"),
                terminal_stockout_cost=v.f("terminal_stockout_cost"), purchase_cost=v.f("purchase_cost"),
                fixed_cost=0.0, demand_mean=v.f("demand_mean"), demand_sd=v.f("demand_sd"),
                discount_factor=v.f("discount_factor"), initial_inventory_level=int(v.f("initial_inventory_level")))

    def levels(f: Any) -> "tuple[List[float], List[float]]":
        return [float(x) for x in f.reorder_points], [float(x) for x in f.order_up_to_levels]

    if v.id == "fh-prob4.29":
        m = dict(base, fixed_cost=v.f("fixed_cost"))
        f = finite_horizon.solve(params=m)
        assert (nums(v.expected("s")), nums(v.expected("S"))) == levels(f), v.id
        v.close("total_cost", "total_cost", float(v.expected("total_cost")), f.total_cost, False)
        want = nums(v.expected("myopic_bounds_S_underbar"))
        bounds = finite_horizon.myopic_bounds(params=m)
        assert len(bounds) == len(want)
        for t, b in enumerate(bounds):
            v.close(f"S_underbar[{t}]", "myopic", want[t], b.order_up_to_lower, False)
    elif v.id == "fh-nb-T5":
        for k in nums(v.input("fixed_cost_cases")):
            f = finite_horizon.solve(params=dict(base, fixed_cost=k))
            e = v.expected(f"K{k:g}")
            assert (nums(e["s"]), nums(e["S"])) == levels(f), f"{v.id} K={k}"
    else:
        raise AssertionError(f"unknown finite horizon record {v.id}")


FAMILIES: Dict[str, Callable[[Rec], None]] = {
    "eoq": eoq_family, "epq": eoq_family, "eoq_backorders": eoq_family, "eoq_discounts": eoq_family,
    "newsvendor": newsvendor_family, "base_stock": newsvendor_family,
    "rq": rq_family, "ss": ss_family, "loss_function": loss_family,
    "safety_stock_type1": safety_stock_family, "safety_stock_type2": safety_stock_family,
    "lot_sizing": lot_sizing_family, "finite_horizon": finite_horizon_family,
}

POLICY_IDS = [r["id"] for r in RECORDS if not r["area"].startswith("forecast_")]
FORECAST_IDS = [r["id"] for r in RECORDS if r["area"].startswith("forecast_")]


@pytest.mark.parametrize("rid", POLICY_IDS)
def test_policy_vector(rid: str) -> None:
    r = BY_ID[rid]
    assert r["area"] in FAMILIES, f"{rid}: unknown area {r['area']}"
    v = Rec(r)
    FAMILIES[r["area"]](v)
    v.finish()


# --- forecasts (as in forecast_vectors.rs) ----------------------------------

def assert_tol(rid: str, field: str, got: float, want: float, tol: Dict[str, Any]) -> None:
    a, r = tol.get("abs"), tol.get("rel")
    if a is not None and r is not None:
        bound = max(a, r * abs(want))
    elif a is not None:
        bound = a
    elif r is not None:
        bound = r * abs(want)
    else:
        bound = 1e-9 * abs(want)
    assert isinstance(got, float), f"{rid} {field}: {got!r}"
    assert abs(got - want) <= bound, f"{rid} {field}: got {got}, want {want} (bound {bound})"


def tol_of(r: Dict[str, Any], field: str) -> Dict[str, Any]:
    t = r["tolerance"]
    return t if ("abs" in t or "rel" in t) else t[field]


def series(r: Dict[str, Any]) -> List[float]:
    y = r["inputs"]["y"]
    if isinstance(y, list):
        return nums(y)
    source = "croston-pbs-R" if "PBS" in y else "ses-airpassengers-a0.1"
    return nums(BY_ID[source]["inputs"]["y"])


@pytest.mark.parametrize("rid", FORECAST_IDS)
def test_forecast_vector(rid: str) -> None:
    r = BY_ID[rid]
    y, inp, exp = series(r), r["inputs"], r["expected"]
    checked: Set[str] = set()
    if rid == "ses-airpassengers-a0.1":
        h = int(inp["h"])
        f = forecast.fit(method={"method": "ses", "alpha": float(inp["alpha"])}, y=y, h=h)
        assert len(f.forecast) == h
        for x in f.forecast:
            assert_tol(rid, "forecast", x, float(exp["forecast"]), tol_of(r, "forecast"))
        assert exp["fitted_index_0"] is None and f.fitted[0] is None
        for i in (1, 143):
            assert_tol(rid, "fitted", f.fitted[i], float(exp[f"fitted_index_{i}"]), tol_of(r, "fitted"))
        checked |= {"forecast", "fitted_index_0", "fitted_index_1", "fitted_index_143"}
    elif rid == "holt-ausair":
        alpha, beta, h = float(inp["alpha"]), float(inp["beta"]), int(inp["h"])
        f = forecast.fit(method={"method": "holt", "alpha": alpha, "beta": beta}, y=y, h=h)
        want = nums(exp["forecast"])
        assert len(f.forecast) == len(want) == h
        for got, w in zip(f.forecast, want):
            assert_tol(rid, "forecast", got, w, tol_of(r, "forecast"))
        fittedfcast = [x for x in f.fitted] + [f.forecast[0]]
        want = nums(exp["fittedfcast"])
        assert len(fittedfcast) == len(want)
        for got, w in zip(fittedfcast, want):
            assert_tol(rid, "fittedfcast", got, w, tol_of(r, "fittedfcast"))
        states = forecast.holt_states(y=y, alpha=alpha, beta=beta)
        want = nums(exp["trend"])
        assert len(states) == len(want)
        for s, w in zip(states, want):
            assert_tol(rid, "trend", s.trend, w, tol_of(r, "trend"))
        checked |= {"forecast", "fittedfcast", "trend"}
    elif rid == "croston-pbs-R":
        n = 0
        for alpha, h, w in zip(nums(inp["alpha"]), nums(inp["h"]), nums(exp["forecast"])):
            f = forecast.forecast_only(method={"method": "croston", "alpha": alpha}, y=y, h=int(h))
            assert len(f) == int(h)
            for x in f:
                assert_tol(rid, "forecast", x, w, tol_of(r, "forecast"))
                n += 1
        assert n > 0
        checked |= {"forecast"}
    elif rid == "sba-pbs":
        for alpha, field in ((0.1, "forecast"), (0.5, "forecast_alpha_0.5_derived"),
                             (0.05, "forecast_alpha_0.05_derived")):
            f = forecast.forecast_only(method={"method": "croston_sba", "alpha": alpha}, y=y, h=1)
            assert_tol(rid, field, f[0], float(exp[field]), tol_of(r, field))
            checked.add(field)
    elif rid == "moving-average-airpassengers":
        k, h = int(inp["window_size"]), int(inp["h"])
        wa = forecast.fit(method={"method": "window_average", "window_size": k}, y=y, h=h)
        assert len(wa.forecast) == h
        for x in wa.forecast:
            assert_tol(rid, "window_average_forecast", x, float(exp["window_average_forecast"]),
                       tol_of(r, "window_average_forecast"))
        ha = forecast.fit(method={"method": "historic_average"}, y=y, h=h)
        assert len(ha.forecast) == h
        for x in ha.forecast:
            assert_tol(rid, "historic_average_forecast", x, float(exp["historic_average_forecast"]),
                       tol_of(r, "historic_average_forecast"))
        field = "historic_average_fitted_first4"
        for got, w in zip(ha.fitted, nums(exp[field])):
            assert_tol(rid, field, got, w, tol_of(r, field))
        checked |= {"window_average_forecast", "historic_average_forecast", field}
    else:
        raise AssertionError(f"forecast vector {rid} has no check: add one")
    assert checked == set(exp), f"{rid}: expected fields not checked"


def _agrees(got: Optional[float], want: Optional[float]) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(got - want) <= max(1e-9 * abs(want), 1e-12)


def test_statsforecast_fixtures_agree_to_1e9() -> None:
    doc = json.loads(STATSFORECAST.read_text(encoding="utf-8"))
    assert doc["versions"]["statsforecast"] == "2.1.1"
    cases = doc["cases"]
    assert len(cases) >= 80
    fitted_checked = 0
    for case in cases:
        y = nums(doc["series"][case["series"]])
        label = f"{case['series']} {case['method']}"
        fit = forecast.fit(method=case["method"], y=y, h=int(case["h"]))
        want = case["forecast"]
        assert len(fit.forecast) == len(want), label
        for step, (g, w) in enumerate(zip(fit.forecast, want)):
            assert _agrees(g, w), f"{label} forecast[{step}]: got {g}, want {w}"
        # The bulk path gives the same bits as fit.
        assert forecast.forecast_only(method=case["method"], y=y, h=int(case["h"])) == list(fit.forecast), label
        if case.get("fitted") is not None:
            assert len(fit.fitted) == len(case["fitted"]), label
            for t, (g, w) in enumerate(zip(fit.fitted, case["fitted"])):
                assert _agrees(g, w), f"{label} fitted[{t}]: got {g}, want {w}"
            fitted_checked += 1
    assert fitted_checked >= 60


# --- the planning surface ----------------------------------------------------

SIGNATURES = list(_native.planning_signatures())


def test_planning_signatures_listed() -> None:
    assert len(SIGNATURES) >= 60
    modules = {m for m, *_ in SIGNATURES}
    assert {"forecast", "simulate"} <= modules
    assert any(m.startswith("policy.") for m in modules)


def _python_name(param: str) -> str:
    # A Rust parameter that is a Python keyword (`class`) takes a trailing
    # underscore, as `from` does in `Engine.move(from_=...)`.
    return param + "_" if keyword.iskeyword(param) else param


@pytest.mark.parametrize("module,name,params,result", SIGNATURES,
                         ids=[f"{m}.{n}" for m, n, _, _ in SIGNATURES])
def test_planning_function_reachable(module: str, name: str, params: List[Any], result: str) -> None:
    mod = importlib.import_module(f"ims.{module}")
    # Also reachable by attribute from the top-level package.
    obj: Any = ims
    for part in module.split("."):
        obj = getattr(obj, part)
    assert obj is mod
    fn = getattr(mod, name, None)
    assert callable(fn), f"ims.{module}.{name} is missing"
    assert name in getattr(mod, "__all__", [name]), f"{name} not in ims.{module}.__all__"
    sig = inspect.signature(fn)
    want = [_python_name(p) for p, _ in params]
    assert list(sig.parameters) == want, f"ims.{module}.{name}{sig} vs Rust {params}"
    for p in sig.parameters.values():
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: {p.name} should be keyword-only"
        assert p.default is inspect.Parameter.empty


def test_planning_functions_are_exactly_the_listed_ones() -> None:
    listed: Dict[str, Set[str]] = {}
    for m, n, _, _ in SIGNATURES:
        listed.setdefault(m, set()).add(n)
    for m, names in listed.items():
        mod = importlib.import_module(f"ims.{m}")
        assert set(mod.__all__) == names, m


def test_planning_refusals_are_ims_errors() -> None:
    with pytest.raises(ims.ImsError):
        eoq.eoq(fixed_cost=-1.0, holding_cost=1.0, demand_rate=1.0)
    with pytest.raises(ims.ImsError):
        normal.quantile(p=1.5)
    # A float NaN goes in as a JSON null and is refused by the decoder.
    with pytest.raises(ims.ImsError):
        loss.std_loss(z=math.nan)
    # Wrong argument names are refused by Python itself.
    with pytest.raises(TypeError):
        eoq.eoq(fixed_cost=1.0, holding_cost=1.0)  # type: ignore[call-arg]


def test_planning_results_are_bit_identical_on_repeat() -> None:
    a = rq.eil(params=rq_params(Rec(BY_ID["rq-eil-ex5.2"])))
    b = rq.eil(params=rq_params(Rec(BY_ID["rq-eil-ex5.2"])))
    assert a == b
    assert isinstance(a, ims.Record)
    assert a.to_dict() == dict(a)


def test_planning_int_arguments_whose_names_are_engine_decimal_keys() -> None:
    """An `int` for a planning parameter is a number, whatever its name:
    `reorder_point`, `s` or `S` are also names of decimal fields of the
    engine's commands, which must not turn planning integers into strings."""
    m = rq_params(Rec(BY_ID["rq-cost-ex5.1"]))
    as_float = rq.exact_cost(params=m, reorder_point=100.0, order_quantity=250.0)
    assert rq.exact_cost(params=m, reorder_point=100, order_quantity=250) == as_float
    pm = dict(holding_cost=4.0, stockout_cost=28.0, fixed_cost=4.0, demand_mean=12.0, lead_time=0.5)
    o = rq.poisson_optimum(params=pm)
    assert rq.poisson_cost(params=pm, reorder_point=o.reorder_point, order_quantity=o.order_quantity) == o.cost
    demand = {"Poisson": {"mean": 6.0}}
    best = ss.optimum(holding_cost=1.0, stockout_cost=4.0, fixed_cost=5.0, demand=demand)
    assert ss.cost(holding_cost=1.0, stockout_cost=4.0, fixed_cost=5.0, demand=demand,
                   reorder_point=best.reorder_point, order_up_to_level=best.order_up_to_level) == best.cost
