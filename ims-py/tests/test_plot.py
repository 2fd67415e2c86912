"""ims.plot draws with matplotlib (headless backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ims  # noqa: E402
from ims import plot  # noqa: E402


def test_projected_stock_draws_the_policy_lines(tmp_path: Path) -> None:
    ax = plot.projected_stock(on_hand=30, demand_per_period=[5] * 12, reorder_level=15, safety_stock=5,
                              order_quantity=20, lead_time=2, title="T")
    lines = {l.get_label(): l for l in ax.get_lines()}
    assert set(lines) >= {"projected on hand", "reorder level", "safety stock"}
    assert list(lines["reorder level"].get_ydata()) == [15, 15]
    ys = list(lines["projected on hand"].get_ydata())
    assert ys[0] == 30 and len(ys) == 13
    # The order placed when the position reached 15 (period 3) arrives at period 5.
    assert ys[5] == 30 - 25 + 20
    ax.figure.savefig(tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 0


def test_policy_simulation_bars_fill_rates() -> None:
    setup = {"periods": 60, "lead_time": 2, "demand": "poisson", "mean": 3.0, "seed": 5, "initial_on_hand": 20}
    rules = [{"rule": "reorder_point", "reorder_point": 4, "order_qty": 10},
             {"rule": "reorder_point", "reorder_point": 12, "order_qty": 20}]
    reports = ims.simulate.compare(rules=rules, setup=setup)
    ax = plot.policy_simulation(reports, labels=["lean", "safe"])
    heights = [p.get_height() for p in ax.patches]
    assert heights == [r["fill_rate"] for r in reports]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["lean", "safe"]
