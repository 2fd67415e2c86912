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
           "availability_table", "query_table", "events_table", "safety_stock_frame"]


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


def availability_table(engine: "Engine", items: Optional[Sequence[str]], scope: Any) -> Any:
    """Availability per item in a scope (every item when `items` is None)."""
    pa = _pa()
    if items is None:
        items = sorted(set(balances_table(engine).column("item").to_pylist()))
    rows = [engine.availability(i, scope) for i in items]
    return pa.table({
        "item": pa.array(list(items), pa.large_string()),
        "on_hand": pa.array([r.on_hand for r in rows]),
        "sellable": pa.array([r.sellable for r in rows]),
        "reserved": pa.array([r.reserved for r in rows]),
        "available": pa.array([r.available for r in rows]),
    })


def _flat(v: Any) -> Any:
    from .results import to_jsonable

    v = to_jsonable(v, keep_decimals=True)
    return json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else v


def query_table(engine: "Engine", kind: str, args: Dict[str, Any]) -> Any:
    """A query whose answer is a list of records (or a record holding one
    list) as an Arrow table; nested values become JSON text."""
    pa = _pa()
    answer = engine.query(kind, **args)
    if isinstance(answer, dict):
        lists = [k for k, v in answer.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) != 1:
            raise _invalid(f"query {kind} does not answer with rows")
        answer = answer[lists[0]]
    if not isinstance(answer, list):
        raise _invalid(f"query {kind} does not answer with rows")
    rows: List[Dict[str, Any]] = [{k: _flat(v) for k, v in r.items()} for r in answer]
    return pa.Table.from_pylist(rows)


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
