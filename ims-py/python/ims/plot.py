"""Charts with matplotlib (``pip install 'ims[plot]'``)."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

__all__ = ["projected_stock", "policy_simulation"]


def _plt() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt  # type: ignore[import-not-found,unused-ignore]
    except ImportError as e:  # pragma: no cover - exercised without matplotlib only
        raise ImportError("charts need matplotlib: pip install 'ims[plot]'") from e
    return plt


def projected_stock(*, on_hand: float, demand_per_period: Sequence[float], reorder_level: float,
                    safety_stock: float, order_quantity: float, lead_time: int = 0, title: str = "",
                    ax: Optional[Any] = None) -> Any:
    """Projects stock over the horizon of `demand_per_period` under a
    reorder-point policy (order `order_quantity` when the position reaches
    `reorder_level`, arriving after `lead_time` periods) and draws it with
    the reorder level and safety stock as lines. Returns the Axes."""
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    stock, position = float(on_hand), float(on_hand)
    pipeline: List[Tuple[int, float]] = []
    xs, ys = [0], [stock]
    for t, d in enumerate(demand_per_period, start=1):
        arrived = sum(q for due, q in pipeline if due == t)
        pipeline = [(due, q) for due, q in pipeline if due != t]
        stock += arrived - d
        position -= d
        while position <= reorder_level:
            pipeline.append((t + lead_time, order_quantity))
            position += order_quantity
        xs.append(t)
        ys.append(stock)
    ax.step(xs, ys, where="post", label="projected on hand")
    ax.axhline(reorder_level, color="tab:orange", linestyle="--", label="reorder level")
    ax.axhline(safety_stock, color="tab:red", linestyle=":", label="safety stock")
    ax.set_xlabel("period")
    ax.set_ylabel("units")
    ax.set_title(title or "Projected stock")
    ax.legend(loc="upper right")
    return ax


def policy_simulation(reports: Sequence[Any], *, labels: Optional[Sequence[str]] = None, ax: Optional[Any] = None) -> Any:
    """Bars of fill rate and cost per simulated policy (the reports of
    `ims.simulate.compare`). Returns the Axes."""
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    names = list(labels) if labels else [f"policy {i + 1}" for i in range(len(reports))]
    fill = [float(r["fill_rate"]) for r in reports]
    ax.bar(names, fill, color="tab:blue")
    ax.set_ylim(0, 1)
    ax.set_ylabel("fill rate")
    ax.set_title("Policy simulation")
    return ax
