"""What the engine answers, as small immutable classes."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

__all__ = ["Outcome", "Change", "Availability", "AtpAnswer", "AtpPoint", "Balance", "Record", "to_jsonable"]


class Record(Mapping[str, Any]):
    """An immutable record with attribute access (``r.qty``) and mapping
    access (``r["qty"]``): the answers of operations queries and planning
    functions, whose fields are those of the Rust types' serde forms."""

    __slots__ = ("_data",)
    _data: Dict[str, Any]

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_data", {k: _freeze(v) for k, v in data.items()})

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Record is immutable")

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._data.items())
        return f"Record({inner})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return (Record, (to_jsonable(self._data, keep_decimals=True),))

    def to_dict(self) -> Dict[str, Any]:
        """A plain (mutable, nested) dict."""
        return to_jsonable(self._data, keep_decimals=True)


def _freeze(v: Any) -> Any:
    if isinstance(v, dict):
        return Record(v)
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    return v


def to_jsonable(v: Any, keep_decimals: bool = False) -> Any:
    """Results as the engine's JSON forms: decimals as strings (unless
    `keep_decimals`), dates as ISO strings, records as dicts."""
    if isinstance(v, Record):
        return {k: to_jsonable(x, keep_decimals) for k, x in v._data.items()}
    if is_dataclass(v) and not isinstance(v, type):
        return {f.name: to_jsonable(getattr(v, f.name), keep_decimals) for f in fields(v)}
    if isinstance(v, Mapping):
        return {k: to_jsonable(x, keep_decimals) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_jsonable(x, keep_decimals) for x in v]
    if isinstance(v, Decimal):
        return v if keep_decimals else str(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def _date(s: Optional[str]) -> Optional[_dt.date]:
    return None if s is None else _dt.date.fromisoformat(s)


def _dec(s: Any) -> Decimal:
    return s if isinstance(s, Decimal) else Decimal(s)


@dataclass(frozen=True)
class Change:
    """An (item, location) pair whose availability changed."""
    item: str
    location: str


@dataclass(frozen=True)
class Outcome:
    """What a command did: its envelope's `seq` (the original one for an
    idempotent retry, then `exists` is true and nothing else happened), the
    events in their JSON form (quantities in the item's smallest unit), and
    the change feed."""
    seq: int
    exists: bool
    events: Tuple[Record, ...]
    changes: Tuple[Change, ...]
    pending: Optional[int] = None

    @staticmethod
    def _of(d: Mapping[str, Any]) -> "Outcome":
        return Outcome(
            seq=d["seq"],
            exists=d["exists"],
            events=tuple(Record(e) for e in d["events"]),
            changes=tuple(Change(c["item"], c["location"]) for c in d["changes"]),
            pending=d.get("pending"),
        )


@dataclass(frozen=True)
class Availability:
    """Stock of an item in a scope, in its base unit."""
    on_hand: Decimal
    sellable: Decimal
    reserved: Decimal
    available: Decimal

    @staticmethod
    def _of(d: Mapping[str, Any]) -> "Availability":
        return Availability(_dec(d["on_hand"]), _dec(d["sellable"]), _dec(d["reserved"]), _dec(d["available"]))


@dataclass(frozen=True)
class AtpAnswer:
    """Available to promise on a date, with its contributions if asked."""
    date: _dt.date
    qty: Decimal
    contributions: Tuple[Record, ...]

    @staticmethod
    def _of(d: Mapping[str, Any]) -> "AtpAnswer":
        return AtpAnswer(_dt.date.fromisoformat(d["date"]), _dec(d["qty"]),
                         tuple(Record(c) for c in d.get("contributions", [])))


@dataclass(frozen=True)
class AtpPoint:
    """One date of the ATP timeline: projected stock and promisable qty."""
    date: _dt.date
    projected: Decimal
    atp: Decimal

    @staticmethod
    def _of(d: Mapping[str, Any]) -> "AtpPoint":
        return AtpPoint(_dt.date.fromisoformat(d["date"]), _dec(d["projected"]), _dec(d["atp"]))


@dataclass(frozen=True)
class Balance:
    """An item's stock in one bucket (location and lot)."""
    location: str
    lot: Optional[str]
    on_hand: Decimal
    reserved: Decimal

    @staticmethod
    def _of(d: Mapping[str, Any]) -> "Balance":
        return Balance(d["location"], d.get("lot"), _dec(d["on_hand"]), _dec(d["reserved"]))
