"""`ims.Engine` and `ims.Replica`: the engine from Python."""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._generated import _OpsCommands, _OpsQueries
from .enums import BatchMode, Durability, Fill, LocationKind, LotStatus, Remainder, Rounding, Strategy, Tracking
from ._aliases import Command, Qty, Scope, Time
from .errors import ImsError
from .results import AtpAnswer, AtpPoint, Availability, Balance, Outcome, Record

__all__ = ["Engine", "Replica"]


def _put(d: Dict[str, Any], **kw: Any) -> Dict[str, Any]:
    """Adds the arguments that were given (None means: the core's default)."""
    for k, v in kw.items():
        if v is not None:
            d[k] = v
    return d


def _query_opts(min_shelf_life_days: Optional[int], horizon_days: Optional[int],
                include_past_due: Optional[bool]) -> Optional[Dict[str, Any]]:
    o = _put({}, min_shelf_life_days=min_shelf_life_days, horizon_days=horizon_days,
             include_past_due=include_past_due)
    return o or None


class _Commands(_OpsCommands):
    """One method per command, shared by the engine and its replicas; each
    builds the command's JSON form and calls `execute`."""

    def execute(self, command: Command) -> Outcome:  # pragma: no cover - overridden
        raise NotImplementedError

    def _command(self, type_: str, occurred_at: Optional[Time], client_key: Optional[str],
                 fields: Dict[str, Any]) -> Outcome:
        cmd: Dict[str, Any] = {"type": type_}
        _put(cmd, occurred_at=occurred_at, client_key=client_key)
        for k, v in fields.items():
            if v is not None:
                cmd[k] = v
        return self.execute(cmd)

    def define_item(self, item: str, *, scale: Optional[int] = None, base_unit: Optional[str] = None,
                    units: Optional[Sequence[Mapping[str, Any]]] = None,
                    tracking: Union[Tracking, str, None] = None, shelf_life_days: Optional[int] = None,
                    min_remaining_shelf_life_days: Optional[int] = None, archived: Optional[bool] = None,
                    occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Defines or redefines an item (`scale`: decimal places of its base unit)."""
        return self._command("define_item", occurred_at, client_key, dict(
            item=item, scale=scale, base_unit=base_unit, units=units, tracking=tracking,
            shelf_life_days=shelf_life_days, min_remaining_shelf_life_days=min_remaining_shelf_life_days,
            archived=archived))

    def define_location(self, location: str, *, kind: Union[LocationKind, str], parent: Optional[str] = None,
                        sellable: Optional[bool] = None, walk_seq: Optional[int] = None,
                        utc_offset_minutes: Optional[int] = None, inbound_days: Optional[int] = None,
                        occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Defines a location in the tree."""
        return self._command("define_location", occurred_at, client_key, dict(
            location=location, kind=kind, parent=parent, sellable=sellable, walk_seq=walk_seq,
            utc_offset_minutes=utc_offset_minutes, inbound_days=inbound_days))

    def receive(self, item: str, location: str, qty: Qty, *, unit: Optional[str] = None,
                rounding: Union[Rounding, str, None] = None, lot: Optional[str] = None,
                expiry: Optional[_dt.date] = None, receipt: Optional[str] = None, reference: Optional[str] = None,
                occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Stock arrives (from a supplier, or against a scheduled `receipt`)."""
        return self._command("receive", occurred_at, client_key, dict(
            item=item, location=location, qty=qty, unit=unit, rounding=rounding, lot=lot, expiry=expiry,
            receipt=receipt, reference=reference))

    def expect_receipt(self, receipt: str, item: str, location: str, qty: Qty, expected: _dt.date, *,
                       unit: Optional[str] = None, rounding: Union[Rounding, str, None] = None,
                       occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Schedules a receipt (incoming stock for time-phased ATP)."""
        return self._command("expect_receipt", occurred_at, client_key, dict(
            receipt=receipt, item=item, location=location, qty=qty, expected=expected, unit=unit,
            rounding=rounding))

    def cancel_receipt(self, receipt: str, *, occurred_at: Optional[Time] = None,
                       client_key: Optional[str] = None) -> Outcome:
        """Cancels a scheduled receipt."""
        return self._command("cancel_receipt", occurred_at, client_key, dict(receipt=receipt))

    def _fact(self, type_: str, item: str, location: str, qty: Qty, unit: Optional[str],
              rounding: Union[Rounding, str, None], lot: Optional[str], reference: Optional[str],
              occurred_at: Optional[Time], client_key: Optional[str]) -> Outcome:
        return self._command(type_, occurred_at, client_key, dict(
            item=item, location=location, qty=qty, unit=unit, rounding=rounding, lot=lot, reference=reference))

    def sell(self, item: str, location: str, qty: Qty, *, unit: Optional[str] = None,
             rounding: Union[Rounding, str, None] = None, lot: Optional[str] = None,
             reference: Optional[str] = None, occurred_at: Optional[Time] = None,
             client_key: Optional[str] = None) -> Outcome:
        """A till sale: a fact, recorded even past zero (then flagged)."""
        return self._fact("sell", item, location, qty, unit, rounding, lot, reference, occurred_at, client_key)

    def return_sale(self, item: str, location: str, qty: Qty, *, unit: Optional[str] = None,
                    rounding: Union[Rounding, str, None] = None, lot: Optional[str] = None,
                    reference: Optional[str] = None, occurred_at: Optional[Time] = None,
                    client_key: Optional[str] = None) -> Outcome:
        """A customer's return at a till (``reference``: the sale's receipt): a fact."""
        return self._fact("return_sale", item, location, qty, unit, rounding, lot, reference, occurred_at,
                          client_key)

    def adjust(self, item: str, location: str, qty: Qty, *, unit: Optional[str] = None,
               rounding: Union[Rounding, str, None] = None, lot: Optional[str] = None,
               reference: Optional[str] = None, occurred_at: Optional[Time] = None,
               client_key: Optional[str] = None) -> Outcome:
        """A signed correction of stock."""
        return self._fact("adjust", item, location, qty, unit, rounding, lot, reference, occurred_at, client_key)

    def scrap(self, item: str, location: str, qty: Qty, *, unit: Optional[str] = None,
              rounding: Union[Rounding, str, None] = None, lot: Optional[str] = None,
              reference: Optional[str] = None, occurred_at: Optional[Time] = None,
              client_key: Optional[str] = None) -> Outcome:
        """Stock written off."""
        return self._fact("scrap", item, location, qty, unit, rounding, lot, reference, occurred_at, client_key)

    def move(self, item: str, from_: str, to: str, qty: Qty, *, unit: Optional[str] = None,
             rounding: Union[Rounding, str, None] = None, lot: Optional[str] = None,
             reservation: Optional[str] = None, occurred_at: Optional[Time] = None,
             client_key: Optional[str] = None) -> Outcome:
        """Moves stock between locations (`from_` is the JSON `from`)."""
        return self._command("move", occurred_at, client_key, {
            "item": item, "from": from_, "to": to, "qty": qty, "unit": unit, "rounding": rounding, "lot": lot,
            "reservation": reservation})

    def set_lot_status(self, item: str, lot: str, status: Union[LotStatus, str], *,
                       occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Holds, rejects or frees a lot (allocations re-allocate or short)."""
        return self._command("set_lot_status", occurred_at, client_key, dict(item=item, lot=lot, status=status))

    def reverse(self, move_id: int, *, occurred_at: Optional[Time] = None,
                client_key: Optional[str] = None) -> Outcome:
        """Reverses a move once (a void)."""
        return self._command("reverse", occurred_at, client_key, dict(move_id=move_id))

    def reserve(self, reservation: str, item: str, qty: Qty, scope: Scope, *, unit: Optional[str] = None,
                rounding: Union[Rounding, str, None] = None, channel: Optional[str] = None,
                ttl_ms: Union[int, _dt.timedelta, None] = None, strategy: Union[Strategy, str, None] = None,
                min_shelf_life_days: Optional[int] = None, fill: Union[Fill, str, None] = None,
                need_date: Optional[_dt.date] = None, priority: Optional[int] = None,
                occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Holds stock for a while (`ttl_ms`: an int of ms or a timedelta)."""
        return self._command("reserve", occurred_at, client_key, dict(
            reservation=reservation, item=item, qty=qty, scope=scope, unit=unit, rounding=rounding,
            channel=channel, ttl_ms=ttl_ms, strategy=strategy, min_shelf_life_days=min_shelf_life_days,
            fill=fill, need_date=need_date, priority=priority))

    def commit(self, reservation: str, *, qty: Optional[Qty] = None, unit: Optional[str] = None,
               buckets: Optional[Sequence[Mapping[str, Any]]] = None, destination: Optional[str] = None,
               remainder: Union[Remainder, str, None] = None, reference: Optional[str] = None,
               occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Turns held stock into a sale or move (all of it, or `qty`)."""
        return self._command("commit", occurred_at, client_key, dict(
            reservation=reservation, qty=qty, unit=unit, buckets=buckets, destination=destination,
            remainder=remainder, reference=reference))

    def release(self, reservation: str, *, occurred_at: Optional[Time] = None,
                client_key: Optional[str] = None) -> Outcome:
        """Lets a reservation go."""
        return self._command("release", occurred_at, client_key, dict(reservation=reservation))

    def extend(self, reservation: str, ttl_ms: Union[int, _dt.timedelta], *, occurred_at: Optional[Time] = None,
               client_key: Optional[str] = None) -> Outcome:
        """Gives a reservation a new time to live from now."""
        return self._command("extend", occurred_at, client_key, dict(reservation=reservation, ttl_ms=ttl_ms))

    def amend(self, reservation: str, qty: Qty, *, unit: Optional[str] = None,
              rounding: Union[Rounding, str, None] = None, occurred_at: Optional[Time] = None,
              client_key: Optional[str] = None) -> Outcome:
        """Changes how much a reservation holds."""
        return self._command("amend", occurred_at, client_key, dict(
            reservation=reservation, qty=qty, unit=unit, rounding=rounding))

    def promise(self, reservation: str, item: str, qty: Qty, need_date: _dt.date, scope: Scope, *,
                unit: Optional[str] = None, rounding: Union[Rounding, str, None] = None,
                channel: Optional[str] = None, priority: Optional[int] = None,
                occurred_at: Optional[Time] = None, client_key: Optional[str] = None) -> Outcome:
        """Promises future stock on a date (time-phased ATP)."""
        return self._command("promise", occurred_at, client_key, dict(
            reservation=reservation, item=item, qty=qty, need_date=need_date, scope=scope, unit=unit,
            rounding=rounding, channel=channel, priority=priority))

    def advance(self, occurred_at: Time, *, client_key: Optional[str] = None) -> Outcome:
        """Moves the clock (expiring reservations) as a journaled command."""
        return self._command("advance", occurred_at, client_key, {})


class _Queries(_OpsQueries):
    """One method per query, shared by the engine and its replicas."""

    def query(self, kind: str, **args: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _ops_query(self, kind: str, args: Dict[str, Any]) -> Any:
        return _recordify(self.query(kind, **{k: v for k, v in args.items() if v is not None}))

    def availability(self, item: str, scope: Scope = "*") -> Availability:
        """On hand, sellable, reserved and available now."""
        return Availability._of(self.query("availability", item=item, scope=scope))

    def atp(self, item: str, scope: Scope = "*", *, date: Optional[_dt.date] = None,
            min_shelf_life_days: Optional[int] = None, horizon_days: Optional[int] = None,
            include_past_due: Optional[bool] = None, explain: bool = False) -> AtpAnswer:
        """Available to promise on `date` (today when omitted)."""
        args = _put({"item": item, "scope": scope, "explain": explain}, date=date,
                    options=_query_opts(min_shelf_life_days, horizon_days, include_past_due))
        return AtpAnswer._of(self.query("atp", **args))

    def atp_timeline(self, item: str, scope: Scope = "*", *, min_shelf_life_days: Optional[int] = None,
                     horizon_days: Optional[int] = None, include_past_due: Optional[bool] = None) -> List[AtpPoint]:
        """Projected stock and ATP on every date where they change."""
        args = _put({"item": item, "scope": scope},
                    options=_query_opts(min_shelf_life_days, horizon_days, include_past_due))
        return [AtpPoint._of(p) for p in self.query("atp_timeline", **args)]

    def earliest_date(self, item: str, scope: Scope, qty: Qty, *, min_shelf_life_days: Optional[int] = None,
                      horizon_days: Optional[int] = None,
                      include_past_due: Optional[bool] = None) -> Optional[_dt.date]:
        """The first date `qty` can be promised (None: not within the horizon)."""
        args = _put({"item": item, "scope": scope, "qty": qty},
                    options=_query_opts(min_shelf_life_days, horizon_days, include_past_due))
        d = self.query("earliest_date", **args)
        return None if d is None else _dt.date.fromisoformat(d)

    def ship_complete_date(self, lines: Iterable[Mapping[str, Any]], *, min_shelf_life_days: Optional[int] = None,
                           horizon_days: Optional[int] = None,
                           include_past_due: Optional[bool] = None) -> Optional[_dt.date]:
        """The date by which a whole cart (`{"item", "scope", "qty"}` lines) can ship."""
        args = _put({"lines": [dict(l) for l in lines]},
                    options=_query_opts(min_shelf_life_days, horizon_days, include_past_due))
        d = self.query("ship_complete", **args)
        return None if d is None else _dt.date.fromisoformat(d)

    def reservation(self, reservation: str) -> Optional[Record]:
        """A reservation's view, or None when unknown."""
        r = self.query("reservation", reservation=reservation)
        return None if r is None else Record(r)

    def balances(self, item: str) -> List[Balance]:
        """An item's stock per location and lot."""
        return [Balance._of(b) for b in self.query("balances", item=item)]

    def count_flags(self) -> List[Tuple[str, str]]:
        """(item, location) pairs flagged for a count."""
        return [(a, b) for a, b in self.query("count_flags")]


def _recordify(v: Any) -> Any:
    if isinstance(v, dict):
        return Record(v)
    if isinstance(v, list):
        return [_recordify(x) for x in v]
    return v


def _outcomes(results: List[Any]) -> List[Union[Outcome, ImsError]]:
    return [r if isinstance(r, ImsError) else Outcome._of(r) for r in results]


class Engine(_Commands, _Queries):
    """An inventory engine: commands in, events out, state queried.

    ``Engine()`` is in memory; ``Engine.open(path)`` is durable on a journal
    directory (use it as a context manager, or call `close`). One engine may
    be shared by many threads: calls are serialised by a lock inside, and
    the lock is held with the GIL released, never while Python code runs.
    """

    __slots__ = ("_e", "recovery")
    _e: _native.Engine
    recovery: Optional[Dict[str, Any]]

    def __init__(self) -> None:
        self._e = _native.Engine()
        self.recovery = None

    @classmethod
    def _wrap(cls, native: _native.Engine, recovery: Optional[Dict[str, Any]] = None) -> "Engine":
        e = cls.__new__(cls)
        e._e = native
        e.recovery = recovery
        return e

    @classmethod
    def open(cls, path: Union[str, "os.PathLike[str]"], *, durability: Union[Durability, str] = Durability.EVERY_COMMIT,
             every_n: int = 100, every_ms: int = 100, segment_bytes: Optional[int] = None,
             keep_snapshots: Optional[int] = None) -> "Engine":
        """A durable engine on a journal directory (created if missing),
        recovered from its snapshot and journal; `recovery` says what was
        found. The directory is locked while open."""
        native, rec = _native.Engine.open(os.fspath(path), _str(durability), every_n, every_ms,
                                          segment_bytes, keep_snapshots)
        return cls._wrap(native, rec)

    @classmethod
    def from_snapshot(cls, snapshot: bytes) -> "Engine":
        """An in-memory engine restored from `snapshot()` bytes."""
        return cls._wrap(_native.Engine.restore(bytes(snapshot)))

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __reduce__(self) -> Tuple[Any, ...]:
        # A pickled engine is its snapshot; it unpickles in memory.
        return (Engine.from_snapshot, (self.snapshot(),))

    def __repr__(self) -> str:
        if self._e.closed:
            return "<ims.Engine closed>"
        return f"<ims.Engine seq={self.seq} digest={self.state_digest()[:12]}>"

    # --- commands -----------------------------------------------------
    def execute(self, command: Command) -> Outcome:
        """Executes one command in its JSON form (a mapping or JSON text)."""
        return Outcome._of(self._e.execute(command))

    def execute_batch(self, commands: Iterable[Command], *,
                      mode: Union[BatchMode, str] = BatchMode.ATOMIC) -> List[Union[Outcome, ImsError]]:
        """Executes many commands with the GIL released. ``atomic``: one
        outcome for all, or `BatchRefusedError` and nothing changed;
        ``independent``: an outcome or the exception per command."""
        return _outcomes(self._e.execute_batch(list(commands), _str(mode)))

    def advance_to(self, now: Time) -> Outcome:
        """Moves the clock to `now` (reservations and lots expire) as one
        journaled envelope, like the ``advance`` command."""
        return Outcome._of(self._e.advance_to(_millis(now)))

    # --- queries ------------------------------------------------------
    def query(self, kind: str, **args: Any) -> Any:
        """Any query by kind, answered as plain Python data: the serde form
        of the result, with quantities and money as `Decimal` (real-number
        statistics stay floats)."""
        return self._e.query({"kind": kind, **args})

    # --- state --------------------------------------------------------
    @property
    def seq(self) -> int:
        """The last envelope's seq."""
        return self._e.seq()

    @property
    def now(self) -> _dt.datetime:
        """The engine's clock."""
        return _dt.datetime.fromtimestamp(self._e.now() / 1000, tz=_dt.timezone.utc)

    def state_digest(self) -> str:
        """The digest of the whole state (hex): equal states, equal digests."""
        return self._e.state_digest()

    def journal_digest(self) -> str:
        """The digest chained over every envelope (hex)."""
        return self._e.journal_digest()

    def verify(self) -> List[str]:
        """Invariant violations; empty when the state is sound."""
        return self._e.verify()

    def snapshot(self) -> bytes:
        """The state as bytes (`Engine.from_snapshot` restores it)."""
        return self._e.snapshot()

    def fork(self) -> "Engine":
        """An independent in-memory copy, for what-if."""
        return Engine._wrap(self._e.fork())

    def events(self, after: int = 0, limit: Optional[int] = None) -> List[Dict[str, Any]]:
        """The journal's envelopes after seq `after`: dicts with `seq`,
        `occurred_at`, `processed_at`, `client_key` and `events`."""
        return self._e.envelopes(after, limit)

    def events_table(self, after: int = 0) -> Any:
        """The journal's events as a pyarrow Table, one row per event:
        seq, index, occurred_at (ms), type, item, location, and the event's
        JSON."""
        from .frames import events_table
        return events_table(self.events(after))

    def checkpoint(self) -> None:
        """Writes a snapshot to storage (a durable engine compacts its journal)."""
        self._e.checkpoint()

    def close(self) -> None:
        """Flushes and closes (a durable engine reports a failed flush here);
        later calls raise `EngineClosedError`. Closing twice is harmless."""
        self._e.close()

    @property
    def closed(self) -> bool:
        """Whether `close` was called."""
        return self._e.closed

    # --- edge mode (authority side) -----------------------------------
    def sync(self, request: bytes, *, max_tail: int = 100_000) -> bytes:
        """Answers a replica's sync request; the response bytes."""
        return self._e.sync(bytes(request), max_tail)

    def slice_snapshot(self, items: Sequence[str] = (), locations: Sequence[str] = ()) -> bytes:
        """The snapshot of a slice (every item / location when empty)."""
        return self._e.slice_snapshot({"items": list(items), "locations": list(locations)})

    def slice_digest(self, items: Sequence[str] = (), locations: Sequence[str] = ()) -> str:
        """The digest of a slice, to compare with a replica's."""
        return self._e.slice_digest({"items": list(items), "locations": list(locations)})

    def tail_after(self, after: int, *, items: Sequence[str] = (), locations: Sequence[str] = (),
                   max: int = 10_000) -> List[bytes]:
        """Envelopes after `after` of a slice, encoded, to push to replicas."""
        return self._e.tail_after(after, {"items": list(items), "locations": list(locations)}, max)

    # --- columnar -----------------------------------------------------
    def load_catalog(self, frame: Any) -> int:
        """Defines items from a DataFrame / Arrow table (see `ims.frames`)."""
        from .frames import load_catalog
        return load_catalog(self, frame)

    def load_stock(self, frame: Any, *, occurred_at: Optional[Time] = None) -> int:
        """Receives stock rows (item, location, qty[, lot, expiry])."""
        from .frames import load_stock
        return load_stock(self, frame, occurred_at)

    def load_moves(self, frame: Any) -> int:
        """Replays a ledger of moves (type, item, location, qty, occurred_at, ...)."""
        from .frames import load_moves
        return load_moves(self, frame)

    def reserve_columns(self, reservation: Any, item: Any, qty: Any, scope: Any, *,
                        ttl_ms: Optional[int] = None, occurred_at: Optional[Time] = None) -> Any:
        """Many reservations from columns (numpy arrays, Arrow arrays or
        lists) in one call with the GIL released; an Arrow table of
        ``seq`` (0 when refused) and ``code`` (the error's code, 0 when
        accepted) per row."""
        from .frames import reserve_columns
        return reserve_columns(self, reservation, item, qty, scope, ttl_ms, occurred_at)

    def balances_table(self) -> Any:
        """Every balance as an Arrow table (item, location, lot, on_hand, reserved)."""
        from .frames import balances_table
        return balances_table(self)

    def availability_table(self, items: Optional[Sequence[str]] = None, scope: Scope = "*") -> Any:
        """Availability per item in a scope, as an Arrow table."""
        from .frames import availability_table
        return availability_table(self, items, scope)

    def query_table(self, kind: str, *, rows: Sequence[str] = (), **args: Any) -> Any:
        """A query's answer as an Arrow table (analytics, classes, demand
        history, ...); `rows` names nested lists to explode (see
        `ims.frames.query_table`)."""
        from .frames import query_table
        return query_table(self, kind, args, rows)

    def plan_table(self, **args: Any) -> Any:
        """The buy plan (``plan`` query arguments) as an Arrow table, one
        row per proposed line."""
        from .frames import plan_table
        return plan_table(self, args)


class Replica(_Commands, _Queries):
    """An edge replica (offline till, browser cart) of an authority
    engine: commands run at once on the local view and queue for sync."""

    __slots__ = ("_r", "name")
    _r: _native.Replica
    name: str

    def __init__(self, name: str, snapshot: bytes, *, items: Sequence[str] = (), locations: Sequence[str] = (),
                 max_len: Optional[int] = None, max_age_ms: Optional[int] = None) -> None:
        self.name = name
        self._r = _native.Replica(name, bytes(snapshot), {"items": list(items), "locations": list(locations)},
                                  max_len, max_age_ms)

    def __repr__(self) -> str:
        return f"<ims.Replica {self.name!r} seq={self.seq} pending={self.pending}>"

    def execute(self, command: Command) -> Outcome:
        """Executes a command locally (it needs a client key); `pending` is
        the queue length after it."""
        return Outcome._of(self._r.execute(command))

    def query(self, kind: str, **args: Any) -> Any:
        """A query on the local view."""
        return self._r.query({"kind": kind, **args})

    def advance_to(self, now: Time) -> None:
        """Moves the local clock."""
        self._r.advance_to(_millis(now))

    def sync_request(self) -> bytes:
        """The next sync request (send it to the authority's `sync`)."""
        return self._r.sync_request()

    def receive_sync(self, response: bytes) -> Record:
        """Takes the authority's sync response; the report (conflicts, ...).
        (Rust: `Replica::receive`; `receive` here is the stock command.)"""
        return Record(self._r.receive(bytes(response)))

    def sync_with(self, authority: Engine, *, max_tail: int = 100_000) -> Record:
        """One round trip with an authority in the same process; resets from
        its snapshot when the report asks for one."""
        report = self.receive_sync(authority.sync(self.sync_request(), max_tail=max_tail))
        if report.get("snapshot_required"):
            self.reset(authority.snapshot())
        return report

    def apply(self, envelope: bytes) -> List[Record]:
        """Applies one pushed envelope; the conflicts it settles."""
        return [Record(c) for c in self._r.apply(bytes(envelope))]

    def reset(self, snapshot: bytes) -> None:
        """Starts again from a fresh snapshot."""
        self._r.reset(bytes(snapshot))

    @property
    def seq(self) -> int:
        """The authority seq held."""
        return self._r.seq()

    @property
    def pending(self) -> int:
        """Commands queued, not yet settled."""
        return self._r.pending_count()

    def slice_digest(self) -> str:
        """The synced base's slice digest (hex)."""
        return self._r.slice_digest()

    @property
    def needs_snapshot(self) -> bool:
        """Whether the authority asked for a reset."""
        return self._r.needs_snapshot()


def _str(v: Any) -> Any:
    # An enum member as its value; anything else as given, so the native
    # side refuses a bad mode with `InvalidCommandError`.
    return v.value if isinstance(v, (BatchMode, Durability)) else v


def _millis(t: Time) -> int:
    # The native conversion applies the door's rules (aware datetimes only).
    return _native.millis(t)
