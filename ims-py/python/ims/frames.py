"""DataFrames in and out, through Arrow buffers.

Anything tabular goes in: a pandas or polars DataFrame, a pyarrow Table or
RecordBatch, or a mapping of column name to numpy array / pyarrow array /
list. Each column is handed to the engine as its raw little-endian buffers
(one copy, no Python object per row); answers come back as pyarrow Tables
(``.to_pandas()``, ``polars.from_arrow()``).

Quantity columns take integers, decimals (``decimal128``) or strings; a
float column is refused (`InexactNumberError`), as a float quantity is
anywhere in ims. Stock quantities come out as ``decimal128(38, s)`` with
``s`` the largest item scale among the rows, so every value is exact.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import _native
from .errors import error_class

if TYPE_CHECKING:  # pragma: no cover
    from ._aliases import Time
    from .engine import Engine

__all__ = ["to_arrow", "columns_of", "load_catalog", "load_stock", "load_moves", "reserve_columns", "balances_table",
           "availability_table", "query_table", "plan_table", "forecast_frame", "events_table", "safety_stock_frame",
           "compare_policies"]


def _pa() -> Any:
    try:
        import pyarrow  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - exercised without pyarrow only
        raise ImportError("DataFrames need pyarrow: pip install 'ims[frames]'") from e
    return pyarrow


def _invalid(msg: str) -> Exception:
    return error_class("INVALID_COMMAND")(msg, 100, "INVALID_COMMAND", False, {"reason": msg})


def to_arrow(frame: Any) -> Any:
    """Any supported table as a pyarrow Table."""
    pa = _pa()
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    mod = type(frame).__module__.split(".")[0]
    if mod == "polars":
        return frame.to_arrow()
    if mod == "pandas":
        return pa.Table.from_pandas(frame, preserve_index=False)
    if isinstance(frame, Mapping):
        return pa.table({k: v if isinstance(v, (pa.Array, pa.ChunkedArray)) else pa.array(v) for k, v in frame.items()})
    raise _invalid(f"want a pandas or polars DataFrame, a pyarrow Table or a mapping of columns, got {type(frame).__name__}")


def _column(name: str, col: Any, qty: bool) -> Tuple[Any, ...]:
    """One Arrow column as the native module's raw buffers."""
    pa = _pa()

    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if arr.null_count:
        raise _invalid(f"column {name}: {arr.null_count} missing values")
    t = arr.type
    if pa.types.is_floating(t):
        if qty:
            raise error_class("INEXACT_NUMBER")(f"column {name}: a float column cannot hold quantities exactly; "
                                                "give integers, decimals or strings", 112, "INEXACT_NUMBER", False,
                                                {"field": name, "value": str(t)})
        return ("f64", arr.cast(pa.float64()).buffers()[1][arr.offset * 8:(arr.offset + len(arr)) * 8].to_pybytes())
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        a = arr.cast(pa.int64())
        return ("i64", a.buffers()[1][a.offset * 8:(a.offset + len(a)) * 8].to_pybytes())
    if pa.types.is_decimal(t):
        a = arr.cast(pa.decimal128(38, t.scale))
        return ("dec", a.buffers()[1][a.offset * 16:(a.offset + len(a)) * 16].to_pybytes(), t.scale)
    if pa.types.is_timestamp(t):
        a = arr.cast(pa.timestamp("ms", tz=t.tz)).cast(pa.int64())
        return ("i64", a.buffers()[1][a.offset * 8:(a.offset + len(a)) * 8].to_pybytes())
    if pa.types.is_date(t):
        arr = arr.cast(pa.string())
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_date(t) or pa.types.is_dictionary(t):
        a = arr.cast(pa.large_string())
        bufs = a.buffers()
        return ("str", bufs[1][a.offset * 8:(a.offset + len(a) + 1) * 8].to_pybytes(), bufs[2].to_pybytes()
                if bufs[2] is not None else b"")
    raise _invalid(f"column {name}: unsupported type {t}")


def columns_of(frame: Any, required: Sequence[str], optional: Sequence[str] = (),
               qty: Sequence[str] = ()) -> Tuple[Dict[str, Tuple[Any, ...]], int]:
    """The named columns of a table as native buffers, and the row count.
    A missing required column, an unexpected one, or an empty table is
    refused before anything runs."""
    table = to_arrow(frame)
    names = set(table.column_names)
    missing = [c for c in required if c not in names]
    if missing:
        raise _invalid(f"missing column(s) {', '.join(missing)}; have {', '.join(sorted(names)) or 'none'}")
    extra = names - set(required) - set(optional)
    if extra:
        raise _invalid(f"unexpected column(s) {', '.join(sorted(extra))}; known: {', '.join([*required, *optional])}")
    if table.num_rows == 0:
        raise _invalid("the table has no rows")
    cols = {n: _column(n, table.column(n), n in qty) for n in table.column_names}
    return cols, table.num_rows


def _ms(t: Optional["Time"]) -> int:
    return 0 if t is None else _native.millis(t)


def load_catalog(engine: "Engine", frame: Any) -> int:
    """Defines one item per row: ``item`` and optional ``scale``,
    ``base_unit``, ``tracking``, ``shelf_life_days``,
    ``min_remaining_shelf_life_days``. One atomic batch: a bad row defines
    nothing. Returns the rows run."""
    table = to_arrow(frame)
    if table.num_rows == 0:
        raise _invalid("the table has no rows")
    known = {"item", "scale", "base_unit", "tracking", "shelf_life_days", "min_remaining_shelf_life_days"}
    if "item" not in table.column_names:
        raise _invalid("missing column(s) item")
    extra = set(table.column_names) - known
    if extra:
        raise _invalid(f"unexpected column(s) {', '.join(sorted(extra))}")
    for n in table.column_names:
        t = table.column(n).type
        if _pa().types.is_floating(t):
            raise error_class("INEXACT_NUMBER")(f"column {n}: floats are not accepted", 112, "INEXACT_NUMBER",
                                                False, {"field": n, "value": str(t)})
    rows = table.to_pylist()
    cmds = [{"type": "define_item", **{k: v for k, v in r.items() if v is not None}} for r in rows]
    engine.execute_batch(cmds, mode="atomic")
    return len(cmds)


def load_stock(engine: "Engine", frame: Any, occurred_at: Optional["Time"] = None) -> int:
    """Receives one row per balance: ``item``, ``location``, ``qty`` and
    optional ``lot``, ``expiry`` (date or ISO text), ``reference``,
    ``occurred_at`` (ms or timestamp). Runs in atomic chunks of 100,000
    rows: a refused row refuses its chunk (`BatchRefusedError` with the
    row's index in the whole table) and chunks before it stay."""
    cols, _ = columns_of(frame, ["item", "location", "qty"], ["lot", "expiry", "reference", "occurred_at"],
                         qty=["qty"])
    return _native.load_rows(engine._e, "stock", cols, _ms(occurred_at))


def load_moves(engine: "Engine", frame: Any) -> int:
    """Replays a ledger: ``type`` (receive, sell, adjust, scrap), ``item``,
    ``location``, ``qty``, ``occurred_at`` and optional ``lot``, ``expiry``,
    ``reference``. Chunked like `load_stock`."""
    cols, _ = columns_of(frame, ["type", "item", "location", "qty", "occurred_at"], ["lot", "expiry", "reference"],
                         qty=["qty"])
    return _native.load_rows(engine._e, "moves", cols, 0)


def reserve_columns(engine: "Engine", reservation: Any, item: Any, qty: Any, scope: Any,
                    ttl_ms: Optional[int], occurred_at: Optional["Time"]) -> Any:
    """Reservations from columns, each its own command; a table of
    ``seq`` (0 when refused) and ``code`` (0 when accepted) per row."""
    pa = _pa()
    n = len(reservation)
    scope_col = scope if not isinstance(scope, str) else pa.array([scope] * n) if n < 2 else \
        pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), pa.array([scope]))
    table = to_arrow({"reservation": reservation, "item": item, "qty": qty, "scope": scope_col})
    cols, _ = columns_of(table, ["reservation", "item", "qty", "scope"], qty=["qty"])
    seqs, codes = _native.reserve_rows(engine._e, cols, _ms(occurred_at), ttl_ms)
    return pa.table({
        "seq": pa.Array.from_buffers(pa.uint64(), n, [None, pa.py_buffer(seqs)]),
        "code": pa.Array.from_buffers(pa.uint16(), n, [None, pa.py_buffer(codes)]),
    })


def _strings(n: int, col: Tuple[bytes, bytes, bytes]) -> Any:
    pa = _pa()
    offsets, data, valid = col
    import numpy as np  # pyarrow depends on numpy

    mask = np.frombuffer(valid, dtype=np.uint8).astype(bool)
    validity = pa.py_buffer(np.packbits(mask, bitorder="little").tobytes()) if not mask.all() else None
    return pa.Array.from_buffers(pa.large_string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)])


def _decimals(minor: bytes, scales: bytes) -> Any:
    """i64 minor units with a per-row scale as decimal128(38, max scale)."""
    pa = _pa()
    import numpy as np

    m = np.frombuffer(minor, dtype="<i8")
    s = np.frombuffer(scales, dtype=np.uint8)
    top = int(s.max()) if len(s) else 0
    # Exact: scaling up by a power of ten keeps every value representable
    # in 38 digits (|minor| < 2^63 and top ≤ 9).
    lo = m.astype("<i8") * (10 ** (top - s)).astype("<i8") if len(s) else m
    values = np.zeros(len(m) * 2, dtype="<i8")
    values[0::2] = lo
    values[1::2] = np.where(lo < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(38, top), len(m), [None, pa.py_buffer(values.tobytes())])


def balances_table(engine: "Engine") -> Any:
    """Every balance in internal locations."""
    pa = _pa()
    items, locs, lots, on_hand, reserved, scales = _native.balance_rows(engine._e)
    n = len(scales)
    return pa.table({
        "item": _strings(n, items),
        "location": _strings(n, locs),
        "lot": _strings(n, lots),
        "on_hand": _decimals(on_hand, scales),
        "reserved": _decimals(reserved, scales),
    })


def _table(cols: Sequence[Tuple[str, str, bytes, bytes, bytes]]) -> Any:
    """The native module's columns (see src/export.rs) as a pyarrow Table."""
    pa = _pa()
    import numpy as np

    out = {}
    for name, kind, values, valid, extra in cols:
        mask = np.frombuffer(valid, dtype=np.uint8).astype(bool)
        n = len(mask)
        validity = None if mask.all() else pa.py_buffer(np.packbits(mask, bitorder="little").tobytes())
        if kind == "str":
            arr = pa.Array.from_buffers(pa.large_string(), n, [validity, pa.py_buffer(values), pa.py_buffer(extra)])
        elif kind == "dec":
            arr = pa.Array.from_buffers(pa.decimal128(38, extra[0]), n, [validity, pa.py_buffer(values)])
        elif kind == "i64":
            arr = pa.Array.from_buffers(pa.int64(), n, [validity, pa.py_buffer(values)])
        elif kind == "f64":
            arr = pa.Array.from_buffers(pa.float64(), n, [validity, pa.py_buffer(values)])
        else:
            arr = pa.array(np.frombuffer(values, dtype=np.uint8).astype(bool), mask=~mask)
        out[name] = arr
    return pa.table(out)


def availability_table(engine: "Engine", items: Optional[Sequence[str]], scope: Any) -> Any:
    """Availability per item in a scope (every item when `items` is None):
    item, on_hand, sellable, reserved, available."""
    table = _table(_native.availability_columns(engine._e, None if items is None else list(items), scope))
    return table.select(["item", "on_hand", "sellable", "reserved", "available"]) if table.num_rows else table


def query_table(engine: "Engine", kind: str, args: Dict[str, Any], rows: Sequence[str] = ()) -> Any:
    """A query's answer as an Arrow table: a list answer one row per
    element; with `rows` (``["proposals", "lines"]``) one row per element
    of the nested lists, with the parents' fields as ``proposal.id``, ...
    Nested objects flatten to dotted names; lists become JSON text."""
    return _table(_native.query_columns(engine._e, {"kind": kind, **args}, list(rows)))


def plan_table(engine: "Engine", args: Dict[str, Any]) -> Any:
    """The buy plan (the ``plan`` query), one row per proposed line."""
    return query_table(engine, "plan", args, ["proposals", "lines"])


def forecast_frame(frame: Any, *, item: str = "item", period: str = "period", qty: str = "qty",
                   method: Optional[Mapping[str, Any]] = None, h: int = 1, progress: bool = False) -> Any:
    """Forecasts every item's series of a long table (one row per item and
    period) with `ims.forecast` (the method chosen per series when `method`
    is None), bit for bit as `ims.forecast.forecast_only`: a table of
    item, method, step (1..h) and forecast. `progress` shows a tqdm bar."""
    pa = _pa()
    import numpy as np
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    if h < 1:
        raise _invalid("h must be at least 1")
    runs = _pandas_runs(frame, item, period, qty)
    if runs is None:
        first, starts, y = _arrow_runs(to_arrow(frame), item, period, qty)
    else:
        first, starts, y = runs
    series = len(starts) - 1
    chunks = np.array_split(np.arange(series), max(1, min(series, 100)))
    bar = _progress(progress, series, "forecast")
    parts, names_off, names_data = [], [], []
    spec = None if method is None else json.dumps(dict(method))
    for c in chunks:
        if len(c) == 0:
            continue
        lo, hi = int(starts[c[0]]), int(starts[c[-1] + 1])
        st = (starts[c[0]:c[-1] + 2] - lo).astype("<i8")
        out, off, data = _native.forecast_columns(y[lo:hi].tobytes(), st.tobytes(), h, spec)
        parts.append(np.frombuffer(out, dtype="<f8"))
        names_off.append(off)
        names_data.append(data)
        if bar is not None:
            bar.update(len(c))
    if bar is not None:
        bar.close()
    methods = pa.concat_arrays([pa.Array.from_buffers(pa.large_string(), (len(o) // 8) - 1,
                                                      [None, pa.py_buffer(o), pa.py_buffer(d)])
                                for o, d in zip(names_off, names_data)])
    idx = pa.array(np.repeat(np.arange(series), h))
    return pa.table({
        "item": pc.take(first, idx),
        "method": pc.take(methods, idx),
        "step": pa.array(np.tile(np.arange(1, h + 1), series)),
        "forecast": pa.array(np.concatenate(parts) if parts else np.zeros(0)),
    })


def _arrow_runs(table: Any, item: str, period: str, qty: str) -> Tuple[Any, Any, Any]:
    """A long table's series: each item's first key (an Arrow array), the
    row where each series starts (and the end), and the quantities as
    float64, the rows sorted by (item, period) first unless they are."""
    pa = _pa()
    import numpy as np
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    missing = [c for c in (item, period, qty) if c not in table.column_names]
    if missing:
        raise _invalid(f"missing column(s) {', '.join(missing)}")
    if table.num_rows == 0:
        raise _invalid("the table has no rows")
    if not (pa.types.is_integer(table.column(qty).type) or pa.types.is_floating(table.column(qty).type)):
        raise _invalid(f"column {qty}: want numbers, got {table.column(qty).type}")
    if not _sorted_by(table, item, period):
        table = table.sort_by([(item, "ascending"), (period, "ascending")])
    keys = table.column(item).combine_chunks()
    values = table.column(qty).combine_chunks().cast(pa.float64())
    if values.null_count or keys.null_count:
        raise _invalid("missing values in the series")
    change = np.flatnonzero(~np.asarray(pc.equal(keys[1:], keys[:-1]).to_numpy(zero_copy_only=False), dtype=bool)) + 1
    starts = np.concatenate([[0], change, [len(keys)]]).astype("<i8")
    y = np.asarray(values.to_numpy(zero_copy_only=False), dtype="<f8")
    return pc.take(keys, pa.array(starts[:-1])), starts, y


def _pandas_runs(frame: Any, item: str, period: str, qty: str) -> Optional[Tuple[Any, Any, Any]]:
    """`_arrow_runs` straight from a pandas frame whose rows already run by
    item (items ascending) and strictly by period within each, with
    numeric or datetime periods and quantities and no missing values —
    the usual export. Converting the frame to Arrow would copy every row's
    item string (≈ 30 ms per million rows, most of a forecast's time); here
    only each item's first key is converted. Anything else (out of order,
    missing values, other types) gives None: the Arrow path decides, with
    the same answers and errors."""
    if type(frame).__module__.split(".")[0] != "pandas" or not hasattr(frame, "columns"):
        return None
    if any(c not in frame.columns for c in (item, period, qty)) or len(frame) < 2:
        return None
    pa = _pa()
    import numpy as np

    if not all(isinstance(frame[c].dtype, np.dtype) for c in (item, period, qty)):
        return None  # extension types (categorical, nullable, Arrow-backed) keep their Arrow form
    keys, periods, values = (frame[c].to_numpy() for c in (item, period, qty))
    if keys.dtype.kind not in "iuO" or periods.dtype.kind not in "iuM" or values.dtype.kind not in "iuf":
        return None
    if values.dtype.kind in "iu" and (int(values.max()) > 2**53 or int(values.min()) < -2**53):
        return None  # Arrow refuses the inexact cast to float64
    if periods.dtype.kind == "M" and np.isnat(periods).any():
        return None
    y = np.asarray(values, dtype="<f8")
    if np.isnan(y).any():
        return None
    try:
        change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        first = keys[np.concatenate([[0], change])]
        if keys.dtype == object and not all(isinstance(k, str) for k in first):
            return None
        if not bool(np.all(first[1:] > first[:-1])):
            return None
    except TypeError:
        return None
    # Strictly later periods within an item; any order at an item's start.
    later = periods[1:] > periods[:-1]
    later[change - 1] = True
    if not bool(later.all()):
        return None
    starts = np.concatenate([[0], change, [len(keys)]]).astype("<i8")
    return pa.array(first), starts, y


def _sorted_by(table: Any, item: str, period: str) -> bool:
    """Whether rows already run by item, then strictly by period (as a
    ledger export or a pivot usually does): the check is two vectorised
    comparisons of neighbours, a fraction of the sort it saves. Nulls take
    the sort path, which places them as it always did."""
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    keys, periods = table.column(item).combine_chunks(), table.column(period).combine_chunks()
    if len(keys) < 2:
        return True
    if keys.null_count or periods.null_count:
        return False
    before, after = keys[:-1], keys[1:]
    if pc.any(pc.less(after, before)).as_py():
        return False
    back = pc.and_(pc.equal(after, before), pc.less_equal(periods[1:], periods[:-1]))
    return not pc.any(back).as_py()


def _progress(on: bool, total: int, desc: str) -> Any:
    if not on:
        return None
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped,unused-ignore]
    except ImportError as e:  # pragma: no cover - exercised without tqdm only
        raise ImportError("progress bars need tqdm: pip install 'ims[progress]'") from e
    return tqdm(total=total, desc=desc)


def events_table(envelopes: Iterable[Mapping[str, Any]]) -> Any:
    """Envelopes as one row per event."""
    pa = _pa()
    seq, index, at, typ, item, loc, body = [], [], [], [], [], [], []
    for env in envelopes:
        for i, ev in enumerate(env["events"]):
            seq.append(env["seq"])
            index.append(i)
            at.append(env["occurred_at"])
            typ.append(ev.get("type"))
            item.append(ev.get("item"))
            loc.append(ev.get("location"))
            body.append(json.dumps(_flat_event(ev), sort_keys=True))
    return pa.table({"seq": pa.array(seq, pa.uint64()), "index": pa.array(index, pa.uint32()),
                     "occurred_at": pa.array(at, pa.int64()), "type": pa.array(typ, pa.string()),
                     "item": pa.array(item, pa.string()), "location": pa.array(loc, pa.string()),
                     "event": pa.array(body, pa.string())})


def _flat_event(ev: Mapping[str, Any]) -> Any:
    from .results import to_jsonable

    return to_jsonable(ev)


def safety_stock_frame(frame: Any, *, cycle_service_level: Optional[float] = None,
                       fill_rate: Optional[float] = None) -> Any:
    """Safety stock and reorder level per row of ``demand_mean``,
    ``demand_sd``, ``lead_time_mean`` and optional ``lead_time_sd``,
    ``review_period`` (and ``order_quantity`` for a fill rate), as
    `ims.policy.safety_stock.type1` / `type2` compute them, bit for bit.
    Other columns (an ``item`` code, ...) are carried through."""
    pa = _pa()
    if (cycle_service_level is None) == (fill_rate is None):
        raise _invalid("give exactly one of cycle_service_level and fill_rate")
    table = to_arrow(frame)
    if table.num_rows == 0:
        raise _invalid("the table has no rows")
    numeric = ["demand_mean", "demand_sd", "lead_time_mean", "lead_time_sd", "review_period", "order_quantity"]
    need = ["demand_mean", "demand_sd", "lead_time_mean"] + (["order_quantity"] if fill_rate is not None else [])
    missing = [c for c in need if c not in table.column_names]
    if missing:
        raise _invalid(f"missing column(s) {', '.join(missing)}")
    cols = {}
    for n in numeric:
        if n in table.column_names:
            c = table.column(n)
            if not (pa.types.is_floating(c.type) or pa.types.is_integer(c.type)):
                raise _invalid(f"column {n}: want numbers, got {c.type}")
            arr = c.combine_chunks().cast(pa.float64())
            if arr.null_count:
                raise _invalid(f"column {n}: {arr.null_count} missing values")
            cols[n] = ("f64", arr.buffers()[1][arr.offset * 8:(arr.offset + len(arr)) * 8].to_pybytes())
    kind, level = ("type2", fill_rate) if fill_rate is not None else ("type1", cycle_service_level)
    assert level is not None
    z, ss, rl = _native.safety_stock_rows(kind, cols, float(level))
    n = table.num_rows
    out = {c: table.column(c) for c in table.column_names}
    out["z"] = pa.Array.from_buffers(pa.float64(), n, [None, pa.py_buffer(z)])
    out["safety_stock"] = pa.Array.from_buffers(pa.float64(), n, [None, pa.py_buffer(ss)])
    out["reorder_level"] = pa.Array.from_buffers(pa.float64(), n, [None, pa.py_buffer(rl)])
    return pa.table(out)


_SCALARS = {"f64", "i64", "u32", "u64", "usize", "bool"}
_signatures: Dict[str, List[Tuple[str, str]]] = {}


def _signature(function: str) -> List[Tuple[str, str]]:
    if not _signatures:
        for module, name, params, _ in _native.planning_signatures():
            _signatures[f"{module}.{name}"] = list(params)
    if function not in _signatures:
        raise _invalid(f"no planning function {function!r}")
    return _signatures[function]


def _qualified(function: Any) -> str:
    """A planning function's path: given as text, or as the function of
    `ims.policy` / `ims.forecast` itself."""
    if isinstance(function, str):
        return function
    module = getattr(function, "__module__", "") or ""
    name = getattr(function, "__name__", "")
    if not module.startswith("ims.") or not name:
        raise _invalid(f"want a planning function of ims.policy or its path, got {function!r}")
    return f"{module[4:]}.{name}"


def policy_frame(function: Any, frame: Any, **constants: Any) -> Any:
    """Calls a planning function once per row of `frame`, in one call with
    the GIL released; returns `frame` as an Arrow table with the result's
    fields added as columns (``base_stock_level`` and ``cost`` for
    `ims.policy.newsvendor.normal`; ``value`` for a function answering a
    number). The answers are bit for bit those of the function called row
    by row.

    `function` is the function (``ims.policy.rq.eoq_ss``) or its path
    (``"policy.rq.eoq_ss"``). Numeric columns named like its parameters are
    its arguments; where a function has one struct parameter (``params``),
    the other numeric columns are that struct's fields. `constants` give a parameter the same
    value on every row. Integer parameters want integer columns. Other
    columns are carried through. Functions of lists or distributions are
    refused. A row the function refuses refuses the call:
    `BatchRefusedError` with the row's ``index`` and the reason."""
    pa = _pa()
    name = _qualified(function)
    params = _signature(name)
    table = to_arrow(frame)
    n = table.num_rows
    if n == 0:
        raise _invalid("the table has no rows")
    top = {p for p, _ in params}
    structs = [p for p, t in params if t not in _SCALARS]

    def arg(c: str) -> str:
        # A parameter's own name, else a field of the one struct parameter.
        return c if c in top or len(structs) != 1 else f"{structs[0]}.{c}"

    cols: Dict[str, Tuple[Any, ...]] = {}
    for c in table.column_names:
        t = table.column(c).type
        if pa.types.is_floating(t) or pa.types.is_integer(t):
            if c in constants:
                raise _invalid(f"{c} given both as a column and as a constant")
            cols[arg(c)] = _column(c, table.column(c), False)
    for c, v in constants.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _invalid(f"constant {c}: want a number, got {type(v).__name__}")
        if c not in top and not structs:
            raise _invalid(f"{name} has no parameter {c!r}")
        cols[arg(c)] = _column(c, pa.array([v] * n, pa.int64() if isinstance(v, int) else pa.float64()), False)
    types = {"f64": pa.float64(), "i64": pa.int64(), "bool": pa.bool_()}
    out = {c: table.column(c) for c in table.column_names}
    for col, kind, data, validity in _native.planning_rows(name, cols):
        bufs = [None if validity is None else pa.py_buffer(validity[0]), pa.py_buffer(data)]
        out[col] = pa.Array.from_buffers(types[kind], n, bufs, null_count=0 if validity is None else validity[1])
    return pa.table(out)


def compare_policies(rules: Sequence[Mapping[str, Any]], setup: Mapping[str, Any], *, progress: bool = False) -> Any:
    """`ims.simulate.compare`, one rule at a time (same results: every
    rule sees the same seeded demand), with a tqdm bar when `progress`;
    the reports as an Arrow table, one row per rule."""
    from . import simulate

    bar = _progress(progress, len(rules), "simulate")
    reports = []
    for r in rules:
        reports.append(simulate.simulate(rule=r, setup=setup))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    pa = _pa()
    from .results import to_jsonable

    rows = [{k: (json.dumps(v) if isinstance(v, (dict, list)) else v) for k, v in to_jsonable(r).items()}
            for r in reports]
    return pa.Table.from_pylist(rows)
