"""`ims.Engine` and `ims.Replica` through every public method."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import ims
from ims import errors as E
from ims.results import AtpAnswer, AtpPoint, Availability, Balance, Change, Outcome, Record, to_jsonable

from conftest import T0, T0_MS, build_engine

CORE_TYPES = ["define_item", "define_location", "receive", "expect_receipt", "cancel_receipt", "sell",
              "return_sale", "adjust", "move", "scrap", "set_lot_status", "reverse", "reserve", "commit",
              "release", "extend", "amend", "promise", "advance"]
CORE_QUERY_METHODS = {"availability": "availability", "atp": "atp", "atp_timeline": "atp_timeline",
                      "earliest_date": "earliest_date", "ship_complete": "ship_complete_date",
                      "reservation": "reservation", "balances": "balances", "count_flags": "count_flags"}
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def ev(o: Outcome) -> List[Dict[str, Any]]:
    return to_jsonable(list(o.events))


def digests(e: ims.Engine) -> Any:
    return (e.state_digest(), e.journal_digest(), e.seq)


# --- the command vocabulary -------------------------------------------------

def test_command_types_and_query_kinds() -> None:
    types, kinds = ims.command_types(), ims.query_kinds()
    assert types[:len(CORE_TYPES)] == CORE_TYPES
    assert len(types) > len(CORE_TYPES) and len(set(types)) == len(types)
    assert list(kinds[:8]) == list(CORE_QUERY_METHODS)
    assert len(kinds) > 8 and len(set(kinds)) == len(kinds)
    for t in types:
        for cls in (ims.Engine, ims.Replica):
            assert callable(getattr(cls, t, None)), f"{cls.__name__}.{t} is missing"
    for k in kinds:
        name = CORE_QUERY_METHODS.get(k, k)
        for cls in (ims.Engine, ims.Replica):
            assert callable(getattr(cls, name, None)), f"{cls.__name__}.{name} is missing"


def test_every_ops_command_method_sends_its_type(monkeypatch: pytest.MonkeyPatch) -> None:
    e = ims.Engine()
    sent: List[Dict[str, Any]] = []
    monkeypatch.setattr(ims.Engine, "execute", lambda self, c: sent.append(c))
    for t in ims.command_types()[len(CORE_TYPES):]:
        getattr(e, t)(occurred_at=T0, client_key="k", some_field=1)
        assert sent[-1] == {"type": t, "occurred_at": T0, "client_key": "k", "some_field": 1}


# --- core commands --------------------------------------------------------------

def test_define_item_units_and_receive_in_a_unit(engine: ims.Engine) -> None:
    o = engine.define_item("FLOUR", scale=3, base_unit="kg", units=[{"unit": "bag", "factor": "25"}],
                           tracking=ims.Tracking.NONE, shelf_life_days=90, min_remaining_shelf_life_days=10,
                           occurred_at=T0)
    assert (o.seq, o.exists, o.changes) == (5, False, ())
    (e,) = ev(o)
    assert e["type"] == "item_defined" and e["item"] == "FLOUR" and e["scale"] == 3 and e["base_unit"] == "kg"
    assert e["min_remaining_shelf_life_days"] == 10
    o = engine.receive("FLOUR", "S/A", 2, unit="bag", reference="DN-9", occurred_at=T0)
    assert ev(o) == [{"type": "move_posted", "from": "@supplier", "to": "S/A", "item": "FLOUR", "move_id": 2,
                      "occurred_at": T0_MS, "qty": 50000, "reason": "receipt", "reference": "DN-9"}]
    assert o.changes == (Change("FLOUR", "S/A"),)
    assert engine.availability("FLOUR", "S") == Availability(Decimal("50"), Decimal("50"), Decimal("0"),
                                                            Decimal("50"))
    # 1.5 kg is exact at scale 3; a third of a bag is not, unless rounded.
    engine.receive("FLOUR", "S/A", Decimal("1.5"), occurred_at=T0)
    with pytest.raises(E.InexactUnitConversionError):
        engine.receive("FLOUR", "S/A", Decimal("0.00001"), unit="bag", occurred_at=T0)
    o = engine.receive("FLOUR", "S/A", Decimal("0.00001"), unit="bag", rounding=ims.Rounding.UP, occurred_at=T0)
    assert o.events[0].qty == 1
    assert engine.availability("FLOUR").on_hand == Decimal("51.501")


def test_define_location(engine: ims.Engine) -> None:
    o = engine.define_location("S/B", kind=ims.LocationKind.STORAGE, parent="S", walk_seq=2, sellable=False,
                               occurred_at=T0)
    (e,) = ev(o)
    assert e["type"] == "location_defined" and e["location"] == "S/B" and e["parent"] == "S"
    assert e["kind"] == "storage" and e["walk_seq"] == 2
    engine.receive("MILK", "S/B", 6, occurred_at=T0)
    a = engine.availability("MILK", "S")
    assert (a.on_hand, a.sellable, a.available) == (Decimal(30), Decimal(24), Decimal(24))
    assert engine.availability("MILK", ["S/A", "S/B"]).on_hand == Decimal(30)
    with pytest.raises(E.ImsError):
        engine.define_location("S/B", kind="site", occurred_at=T0)


def test_sell_adjust_scrap_move_reverse(engine: ims.Engine) -> None:
    engine.define_location("S/B", kind="storage", parent="S", occurred_at=T0)
    o = engine.sell("MILK", "S/A", 2, reference="till-1", occurred_at=T0)
    assert ev(o) == [{"type": "move_posted", "from": "S/A", "to": "@customer", "item": "MILK", "move_id": 2,
                      "occurred_at": T0_MS, "qty": 2, "reason": "sale", "reference": "till-1"}]
    o = engine.return_sale("MILK", "S/A", 1, reference="till-1", occurred_at=T0)
    assert (o.events[0]["from"], o.events[0].to, o.events[0].qty, o.events[0].reason, o.events[0].reference) == \
        ("@customer", "S/A", 1, "customer_return", "till-1")
    o = engine.adjust("MILK", "S/A", -1, occurred_at=T0)
    assert (o.events[0]["from"], o.events[0].to, o.events[0].qty, o.events[0].reason) == \
        ("S/A", "@adjustment", 1, "adjustment")
    o = engine.adjust("MILK", "S/A", 3, occurred_at=T0)
    assert (o.events[0]["from"], o.events[0].to, o.events[0].qty) == ("@adjustment", "S/A", 3)
    o = engine.scrap("MILK", "S/A", 1, occurred_at=T0)
    assert (o.events[0].to, o.events[0].reason) == ("@scrap", "scrap")
    o = engine.move("MILK", "S/A", "S/B", 5, occurred_at=T0)
    assert (o.events[0]["from"], o.events[0].to, o.events[0].reason) == ("S/A", "S/B", "transfer")
    assert o.changes == (Change("MILK", "S/A"), Change("MILK", "S/B"))
    moved = o.events[0].move_id
    o = engine.reverse(moved, occurred_at=T0)
    assert ev(o)[0]["reverses"] == moved and ev(o)[0]["reason"] == "reversal"
    with pytest.raises(E.MoveAlreadyReversedError):
        engine.reverse(moved, occurred_at=T0)
    with pytest.raises(E.SameLocationError):
        engine.move("MILK", "S/A", "S/A", 1, occurred_at=T0)
    assert [(b.location, b.on_hand) for b in engine.balances("MILK")] == [("S/A", Decimal(24))]
    assert engine.availability("MILK").on_hand == Decimal(24 - 2 + 1 - 1 + 3 - 1)


def test_lots_and_lot_status(engine: ims.Engine) -> None:
    engine.define_item("YOG", tracking=ims.Tracking.LOT, occurred_at=T0)
    o = engine.receive("YOG", "S/A", 10, lot="L1", expiry=date(2026, 12, 1), occurred_at=T0)
    assert [x["type"] for x in ev(o)] == ["lot_created", "move_posted"]
    assert ev(o)[0]["expiry"] == "2026-12-01"
    with pytest.raises(E.LotRequiredError):
        engine.receive("YOG", "S/A", 1, occurred_at=T0)
    o = engine.set_lot_status("YOG", "L1", ims.LotStatus.ON_HOLD, occurred_at=T0)
    assert ev(o) == [{"type": "lot_status_changed", "item": "YOG", "lot": "L1", "status": "on_hold"}]
    a = engine.availability("YOG")
    assert (a.on_hand, a.sellable, a.available) == (Decimal(10), Decimal(0), Decimal(0))
    engine.set_lot_status("YOG", "L1", "available", occurred_at=T0)
    assert engine.availability("YOG").available == Decimal(10)
    (b,) = engine.balances("YOG")
    assert b == Balance("S/A", "L1", Decimal(10), Decimal(0))


def test_reservation_lifecycle(engine: ims.Engine) -> None:
    t1 = T0 + timedelta(minutes=1)
    o = engine.reserve("R1", "MILK", 3, "S", ttl_ms=timedelta(minutes=15), channel=None, occurred_at=t1)
    assert ev(o) == [
        {"type": "reservation_created", "reservation": "R1", "item": "MILK", "qty": 3, "scope": "S",
         "expires_at": ms(t1) + 900_000, "fill": "all", "strategy": "fefo", "min_shelf_life_days": 0,
         "need_date": "2026-11-01", "open_demand": 0, "priority": 0},
        {"type": "allocated", "reservation": "R1", "location": "S/A", "qty": 3, "reason": "reserve"}]
    o = engine.extend("R1", timedelta(hours=1), occurred_at=t1)
    assert ev(o) == [{"type": "reservation_extended", "reservation": "R1", "expires_at": ms(t1) + 3_600_000}]
    o = engine.amend("R1", 4, occurred_at=t1)
    assert [x["type"] for x in ev(o)] == ["reservation_amended", "allocated"]
    assert engine.availability("MILK").reserved == Decimal(4)
    o = engine.commit("R1", qty=1, remainder=ims.Remainder.KEEP, reference="ORD-1", occurred_at=t1)
    assert [x["type"] for x in ev(o)] == ["deallocated", "reservation_committed", "move_posted"]
    view = engine.reservation("R1")
    assert isinstance(view, Record)
    assert (view.status, view.item, view.expires_at) == ("active", "MILK", ms(t1) + 3_600_000)
    assert Decimal(view.committed) == 1 and Decimal(view.allocated) == 3 and Decimal(view.qty) == 4
    o = engine.release("R1", occurred_at=t1)
    assert ev(o)[-1] == {"type": "reservation_finished", "reservation": "R1", "finish": "released"}
    assert engine.reservation("R1").status == "released"
    with pytest.raises(E.ReservationAlreadyReleasedError):
        engine.commit("R1", occurred_at=t1)
    assert engine.reservation("NOPE") is None
    a = engine.availability("MILK")
    assert (a.on_hand, a.reserved, a.available) == (Decimal(23), Decimal(0), Decimal(23))


def test_ttl_timedelta_equals_milliseconds() -> None:
    a, b = build_engine(), build_engine()
    oa = a.reserve("R", "MILK", 2, "S", ttl_ms=timedelta(minutes=15), occurred_at=T0)
    ob = b.reserve("R", "MILK", 2, "S", ttl_ms=900_000, occurred_at=T0_MS)
    assert oa == ob and oa.events[0].expires_at == T0_MS + 900_000
    assert digests(a) == digests(b)


def test_advance_expires(engine: ims.Engine) -> None:
    engine.reserve("R", "MILK", 2, "S", ttl_ms=timedelta(minutes=15), occurred_at=T0)
    o = engine.advance(T0 + timedelta(minutes=15) - timedelta(milliseconds=1))
    assert o.events == () and engine.reservation("R").status == "active"
    o = engine.advance(T0 + timedelta(minutes=15))
    assert ev(o) == [{"type": "deallocated", "reservation": "R", "location": "S/A", "qty": 2, "reason": "expire"},
                     {"type": "reservation_finished", "reservation": "R", "finish": "expired"}]
    assert engine.now == T0 + timedelta(minutes=15)
    with pytest.raises(E.ReservationExpiredError):
        engine.commit("R", occurred_at=T0 + timedelta(minutes=16))


def test_advance_to(engine: ims.Engine) -> None:
    engine.reserve("R", "MILK", 2, "S", ttl_ms=60_000, occurred_at=T0)
    o = engine.advance_to(T0 + timedelta(hours=1))
    assert [x["type"] for x in ev(o)] == ["deallocated", "reservation_finished"]
    assert engine.now == T0 + timedelta(hours=1)
    # An int of milliseconds is an instant too.
    engine.advance_to(T0_MS + 7_200_000)
    assert engine.now == T0 + timedelta(hours=2)


def test_advance_to_is_one_journaled_envelope(engine: ims.Engine) -> None:
    # Engine.advance_to's docstring: one journaled envelope, like `advance`.
    seq, digest = engine.seq, engine.journal_digest()
    o = engine.advance_to(T0 + timedelta(hours=1))
    assert o.events == ()
    assert o.seq == seq + 1 == engine.seq
    assert engine.journal_digest() != digest
    assert engine.now == T0 + timedelta(hours=1)


def test_expected_receipt_promise_and_atp(engine: ims.Engine) -> None:
    o = engine.expect_receipt("RC1", "MILK", "S/A", 10, date(2026, 11, 10), occurred_at=T0)
    assert ev(o) == [{"type": "receipt_expected", "receipt": "RC1", "item": "MILK", "location": "S/A", "qty": 10,
                      "expected": "2026-11-10"}]
    o = engine.promise("P1", "MILK", 30, date(2026, 11, 12), "S", priority=1, occurred_at=T0)
    assert ev(o)[0]["open_demand"] == 30 and ev(o)[0]["fill"] == "partial"
    # Cumulative ATP: 24 on hand + 10 incoming - 30 promised = 4, every day.
    for d in (None, date(2026, 11, 5), date(2026, 11, 12), date(2026, 12, 1)):
        a = engine.atp("MILK", "S", date=d)
        assert isinstance(a, AtpAnswer) and a.qty == Decimal(4) and isinstance(a.qty, Decimal)
        assert a.date == (d or date(2026, 11, 1)) and a.contributions == ()
    a = engine.atp("MILK", "S", date=date(2026, 11, 12), explain=True)
    assert to_jsonable(list(a.contributions)) == [
        {"counted": True, "date": "2026-11-01", "kind": "on_hand", "location": "S/A", "qty": "24"},
        {"counted": True, "date": "2026-11-10", "kind": "receipt", "location": "S/A", "qty": "10", "reference": "RC1"},
        {"counted": True, "date": "2026-11-12", "kind": "demand", "qty": "-30", "reference": "P1"}]
    assert engine.atp_timeline("MILK", "S") == [
        AtpPoint(date(2026, 11, 1), Decimal(24), Decimal(4)),
        AtpPoint(date(2026, 11, 10), Decimal(34), Decimal(4)),
        AtpPoint(date(2026, 11, 12), Decimal(4), Decimal(4))]
    assert engine.earliest_date("MILK", "S", 4) == date(2026, 11, 1)
    assert engine.earliest_date("MILK", "S", 5) is None
    assert engine.ship_complete_date([{"item": "MILK", "scope": "S", "qty": 4}]) == date(2026, 11, 1)
    assert engine.ship_complete_date([{"item": "MILK", "scope": "S", "qty": 5}]) is None
    # Past the horizon nothing counts.
    assert engine.earliest_date("MILK", "S", 4, horizon_days=1) == date(2026, 11, 1)
    o = engine.cancel_receipt("RC1", occurred_at=T0)
    assert ev(o) == [{"type": "receipt_open_changed", "receipt": "RC1", "open": 0}]
    assert engine.atp("MILK", "S").qty == Decimal(0)
    assert engine.reservation("P1").status == "active"


def test_queries_with_exact_decimals(engine: ims.Engine) -> None:
    engine.reserve("R", "MILK", 5, "S", occurred_at=T0)
    a = engine.availability("MILK", "S")
    assert a == Availability(on_hand=Decimal(24), sellable=Decimal(24), reserved=Decimal(5), available=Decimal(19))
    assert all(isinstance(getattr(a, f.name), Decimal) for f in dataclasses.fields(a))
    assert engine.availability("MILK") == a  # default scope "*"
    (b,) = engine.balances("MILK")
    assert b == Balance("S/A", None, Decimal(24), Decimal(5)) and isinstance(b.on_hand, Decimal)
    assert engine.count_flags() == []
    engine.sell("MILK", "S/A", 30, occurred_at=T0)
    a = engine.availability("MILK", "S")
    assert (a.on_hand, a.available) == (Decimal(-6), Decimal(0))
    assert engine.count_flags() == [("MILK", "S/A")]


def test_query_answers_decimals_as_decimal(engine: ims.Engine) -> None:
    # Engine.query's docstring: "the serde form of the result, decimals as
    # `Decimal`"; Engine.reservation gives that view as a Record.
    engine.reserve("R", "MILK", 5, "S", occurred_at=T0)
    raw = engine.query("availability", item="MILK", scope="S")
    assert raw == {"on_hand": Decimal(24), "sellable": Decimal(24), "reserved": Decimal(5), "available": Decimal(19)}
    assert all(isinstance(v, Decimal) for v in raw.values()), raw
    view = engine.reservation("R")
    for field in ("qty", "allocated", "committed", "shorted", "open_demand"):
        assert isinstance(view[field], Decimal), f"reservation {field}: {view[field]!r}"


def test_query_generic(engine: ims.Engine) -> None:
    assert engine.query("count_flags") == []
    assert engine.query("balances", item="MILK") == [
        {"location": "S/A", "lot": None, "on_hand": Decimal(24), "reserved": Decimal(0)}]
    ans = engine.query("atp", item="MILK", scope="S", date=date(2026, 11, 2), explain=False)
    assert ans["date"] == "2026-11-02" and ans["qty"] == Decimal(24)
    assert engine.query("earliest_date", item="MILK", scope=["S"], qty=24) == "2026-11-01"
    assert engine.query("reservation", reservation="NOPE") is None
    # The typed method and the generic call agree.
    assert engine.atp("MILK", "S", date=date(2026, 11, 2)).qty == ans["qty"]


def test_execute_dict_and_json_text() -> None:
    a, b = build_engine(), build_engine()
    cmd = {"type": "reserve", "reservation": "R", "item": "MILK", "qty": "2", "scope": "S", "ttl_ms": 60000,
           "occurred_at": T0_MS, "client_key": "c-1"}
    oa = a.execute(cmd)
    ob = b.execute(json.dumps(cmd))
    assert oa == ob and isinstance(oa, Outcome) and oa.seq == 5
    assert digests(a) == digests(b)
    # The keyword method builds the same command.
    c = build_engine()
    oc = c.reserve("R", "MILK", 2, "S", ttl_ms=60000, occurred_at=T0, client_key="c-1")
    assert oc == oa and digests(c) == digests(a)


def test_execute_batch_atomic(engine: ims.Engine) -> None:
    cmds = [{"type": "receive", "item": "MILK", "location": "S/A", "qty": 1, "occurred_at": T0},
            {"type": "reserve", "reservation": "R", "item": "MILK", "qty": 25, "scope": "S", "occurred_at": T0},
            json.dumps({"type": "release", "reservation": "R", "occurred_at": T0_MS})]
    res = engine.execute_batch(cmds, mode=ims.BatchMode.ATOMIC)
    assert len(res) == 1 and isinstance(res[0], Outcome)
    assert res[0].seq == 5 == engine.seq
    assert [x["type"] for x in ev(res[0])] == ["move_posted", "reservation_created", "allocated", "deallocated",
                                               "reservation_finished"]
    assert engine.availability("MILK").available == Decimal(25)
    # The default mode is atomic.
    assert len(engine.execute_batch([cmds[0], cmds[0]])) == 1 and engine.seq == 6


def test_execute_batch_independent(engine: ims.Engine) -> None:
    cmds = [{"type": "sell", "item": "MILK", "location": "S/A", "qty": 1, "occurred_at": T0},
            {"type": "sell", "item": "EGGS", "location": "S/A", "qty": 1, "occurred_at": T0},
            {"type": "reserve", "reservation": "R", "item": "MILK", "qty": 99, "scope": "S", "occurred_at": T0},
            {"type": "sell", "item": "MILK", "location": "S/A", "qty": 2, "occurred_at": T0}]
    res = engine.execute_batch(cmds, mode="independent")
    assert len(res) == 4
    assert isinstance(res[0], Outcome) and res[0].seq == 5
    assert type(res[1]) is E.UnknownItemError and res[1].data == {"item": "EGGS"}
    assert type(res[2]) is E.InsufficientAvailableError and res[2].retryable
    assert isinstance(res[3], Outcome) and res[3].seq == 6
    assert engine.seq == 6 and engine.availability("MILK").on_hand == Decimal(21)


def test_execute_batch_atomic_refusal(engine: ims.Engine) -> None:
    before = (digests(engine), engine.snapshot())
    cmds = [{"type": "sell", "item": "MILK", "location": "S/A", "qty": 1, "occurred_at": T0},
            {"type": "reserve", "reservation": "R", "item": "MILK", "qty": 24, "scope": "S", "occurred_at": T0}]
    with pytest.raises(E.BatchRefusedError) as info:
        engine.execute_batch(cmds, mode="atomic")
    assert info.value.data == {"index": 1, "source": {"name": "INSUFFICIENT_AVAILABLE", "item": "MILK",
                                                      "requested": "24", "available": "23"}}
    assert (digests(engine), engine.snapshot()) == before
    assert engine.reservation("R") is None
    assert engine.execute_batch([], mode="independent") == []


def test_idempotent_retry_with_client_key(engine: ims.Engine) -> None:
    o1 = engine.reserve("R", "MILK", 2, "S", occurred_at=T0, client_key="k-1")
    after = digests(engine)
    # The same command (its timestamp aside) under the same key.
    o2 = engine.reserve("R", "MILK", 2, "S", occurred_at=T0 + timedelta(seconds=5), client_key="k-1")
    assert (o2.seq, o2.exists, o2.events, o2.changes) == (o1.seq, True, (), ())
    assert o1.exists is False
    assert digests(engine) == after
    o3 = engine.execute({"type": "reserve", "reservation": "R", "item": "MILK", "qty": "2.0", "scope": "S",
                         "occurred_at": T0_MS, "client_key": "k-1"})
    assert o3.exists and o3.seq == o1.seq
    with pytest.raises(E.ExistsWithDifferentCommandError):
        engine.reserve("R", "MILK", 3, "S", occurred_at=T0, client_key="k-1")
    # A refusal is not remembered: the key may be used again.
    with pytest.raises(E.InsufficientAvailableError):
        engine.reserve("R2", "MILK", 99, "S", occurred_at=T0, client_key="k-2")
    assert engine.reserve("R2", "MILK", 1, "S", occurred_at=T0, client_key="k-2").exists is False
    assert engine.availability("MILK").reserved == Decimal(3)


# --- operations (generated methods) -------------------------------------------------

def test_ops_procurement_flow(engine: ims.Engine) -> None:
    engine.define_location("DC", kind="site", inbound_days=1, occurred_at=T0)
    engine.define_location("DC/DOCK", kind=ims.LocationKind.RECEIVING, parent="DC", occurred_at=T0)
    o = engine.define_supplier(supplier="ACME", currency="EUR", lead_time_mean_days=4, lead_time_sd_days=1,
                               tolerance_over_pct=10, tolerance_under_pct=5, occurred_at=T0)
    assert isinstance(o, Outcome) and o.seq == engine.seq
    engine.set_supplier_item(supplier="ACME", item="MILK", unit_price=Decimal("0.45"), pack_size=12,
                             preferred=True, occurred_at=T0)
    sup = engine.supplier(supplier="ACME")
    assert isinstance(sup, Record)
    assert sup.currency == "EUR" and sup.supplier == "ACME"
    (line,) = sup["items"]
    assert line.item == "MILK" and line.unit_price == Decimal("0.45") and line.pack_size == Decimal(12)
    engine.create_po(po="PO-1", supplier="ACME", occurred_at=T0,
                     lines=[{"item": "MILK", "location": "DC/DOCK", "qty": 24, "expected": date(2026, 11, 5)}])
    assert engine.atp("MILK", "DC", date=date(2026, 11, 7)).qty == Decimal(0)
    engine.confirm_po(po="PO-1", occurred_at=T0)
    # Confirmed: incoming on the expected date plus the site's inbound day.
    assert engine.atp("MILK", "DC", date=date(2026, 11, 5)).qty == Decimal(0)
    assert engine.atp("MILK", "DC", date=date(2026, 11, 6)).qty == Decimal(24)
    po = engine.purchase_order(po="PO-1")
    assert po.status == "confirmed" and po.supplier == "ACME" and len(po.lines) == 1
    opens = engine.open_purchase_orders(item="MILK")
    assert isinstance(opens, list) and [r.po for r in opens] == ["PO-1"]
    o = engine.receive_po(po="PO-1", grn="GRN-1", location="DC/DOCK", lines=[{"po_line": 1, "qty": 10}],
                          occurred_at=T0 + timedelta(days=1))
    assert any(x["type"] == "move_posted" and x["qty"] == 10 for x in ev(o))
    assert engine.availability("MILK", "DC").on_hand == Decimal(10)
    assert engine.goods_receipt(grn="GRN-1").grn == "GRN-1"
    assert engine.purchase_order(po="PO-1").status == "partially_received"
    # The line's quantities are decimals (they arrived as strings before);
    # its expected date stays text, though "expected" is a quantity in
    # another answer.
    (pl,) = engine.purchase_order(po="PO-1").lines
    assert (pl.ordered, pl.received, pl.open) == (Decimal(24), Decimal(10), Decimal(14))
    assert all(isinstance(x, Decimal) for x in (pl.ordered, pl.received, pl.open, pl.max_receivable))
    assert pl.expected == "2026-11-05"
    # The generic query gives the same answer as the generated method.
    assert to_jsonable(engine.query("purchase_order", po="PO-1")) == to_jsonable(engine.purchase_order(po="PO-1"))
    with pytest.raises(E.UnknownPurchaseOrderError):
        engine.confirm_po(po="PO-404", occurred_at=T0)
    assert engine.verify() == []


def test_simulate_policies_takes_real_numbers(engine: ims.Engine) -> None:
    # simulate_policies has real-valued fields (demand `mean`, `costs`):
    # the door must give a way to pass them (a float is refused, so a
    # Decimal or a str must do).
    args = dict(item="MILK", location="S", candidates=[{"rule": "min_max", "min": "5", "max": "20"}], days=10,
                demand="poisson", mean=Decimal("2.5"), seed=1,
                costs={"fixed": Decimal("20"), "holding": Decimal("0.01"), "shortage": Decimal("1")})
    res = engine.simulate_policies(lead_time_days=1, **args)
    assert isinstance(res, list) and len(res) == 1


def test_enums_in_place_of_strings() -> None:
    def run(enum: bool) -> ims.Engine:
        e = ims.Engine()
        pick = (lambda en, s: en) if enum else (lambda en, s: s)
        e.define_item("Y", tracking=pick(ims.Tracking.LOT, "lot"), units=[{"unit": "case", "factor": "6"}],
                      occurred_at=T0)
        e.define_location("S", kind=pick(ims.LocationKind.SITE, "site"), occurred_at=T0)
        e.define_location("S/A", kind=pick(ims.LocationKind.STORAGE, "storage"), parent="S", occurred_at=T0)
        e.receive("Y", "S/A", Decimal("1.5"), unit="case", rounding=pick(ims.Rounding.HALF_EVEN, "half_even"),
                  lot="L1", occurred_at=T0)
        e.receive("Y", "S/A", 4, lot="L2", occurred_at=T0)
        e.set_lot_status("Y", "L2", pick(ims.LotStatus.REJECTED, "rejected"), occurred_at=T0)
        e.reserve("R", "Y", 20, "S", strategy=pick(ims.Strategy.FIFO, "fifo"), fill=pick(ims.Fill.PARTIAL, "partial"),
                  occurred_at=T0)
        e.commit("R", qty=3, remainder=pick(ims.Remainder.KEEP, "keep"), occurred_at=T0)
        e.execute_batch([{"type": "release", "reservation": "R", "occurred_at": T0}],
                        mode=pick(ims.BatchMode.INDEPENDENT, "independent"))
        return e

    a, b = run(True), run(False)
    assert digests(a) == digests(b)
    # 1.5 cases of 6 + 4 received, 3 committed.
    assert a.availability("Y").on_hand == Decimal(10)
    assert str(ims.LocationKind.STORAGE) == "storage" and ims.Fill("partial") is ims.Fill.PARTIAL


def test_aware_datetimes_and_now(engine: ims.Engine) -> None:
    assert engine.now == T0 and engine.now.tzinfo is not None and engine.now.utcoffset() == timedelta(0)
    tokyo = timezone(timedelta(hours=9))
    o = engine.sell("MILK", "S/A", 1, occurred_at=(T0 + timedelta(hours=3)).astimezone(tokyo))
    assert o.events[0].occurred_at == T0_MS + 3 * 3_600_000
    assert engine.now == T0 + timedelta(hours=3)
    # A back-dated fact does not move the clock back.
    engine.sell("MILK", "S/A", 1, occurred_at=T0 - timedelta(days=1))
    assert engine.now == T0 + timedelta(hours=3)


def test_seq_digests_verify(engine: ims.Engine) -> None:
    assert engine.seq == 4
    assert HEX64.match(engine.state_digest()) and HEX64.match(engine.journal_digest())
    assert engine.verify() == []
    assert build_engine().state_digest() == engine.state_digest()
    assert ims.Engine().seq == 0 and ims.Engine().state_digest() != engine.state_digest()
    s = engine.state_digest()
    engine.sell("MILK", "S/A", 1, occurred_at=T0)
    assert engine.seq == 5 and engine.state_digest() != s


def test_snapshot_from_snapshot(engine: ims.Engine) -> None:
    engine.reserve("R", "MILK", 3, "S", ttl_ms=60_000, occurred_at=T0)
    snap = engine.snapshot()
    assert isinstance(snap, bytes) and len(snap) > 0
    r = ims.Engine.from_snapshot(snap)
    assert digests(r) == digests(engine) and r.now == engine.now
    assert r.availability("MILK") == engine.availability("MILK") and r.verify() == []
    assert r.snapshot() == snap
    assert ims.Engine.from_snapshot(bytearray(snap)).state_digest() == engine.state_digest()
    # Both continue identically.
    for e in (engine, r):
        e.advance(T0 + timedelta(minutes=2))
    assert digests(r) == digests(engine) and r.reservation("R").status == "expired"


def test_pickle_round_trip(engine: ims.Engine) -> None:
    engine.reserve("R", "MILK", 3, "S", occurred_at=T0)
    for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(engine, protocol=proto))
        assert isinstance(back, ims.Engine) and back is not engine
        assert digests(back) == digests(engine)
        assert back.reservation("R") == engine.reservation("R")


def test_fork_is_independent(engine: ims.Engine) -> None:
    before = digests(engine)
    f = engine.fork()
    assert digests(f) == before
    f.sell("MILK", "S/A", 5, occurred_at=T0)
    f.define_item("NEW", occurred_at=T0)
    assert digests(engine) == before
    assert engine.availability("MILK").on_hand == Decimal(24) and f.availability("MILK").on_hand == Decimal(19)
    engine.receive("MILK", "S/A", 1, occurred_at=T0)
    assert f.availability("MILK").on_hand == Decimal(19)
    with pytest.raises(E.UnknownItemError):
        engine.availability("NEW")


def test_events(engine: ims.Engine) -> None:
    engine.sell("MILK", "S/A", 1, occurred_at=T0 + timedelta(minutes=1), client_key="till-1")
    envs = engine.events()
    assert [e["seq"] for e in envs] == [1, 2, 3, 4, 5]
    assert envs[0]["events"][0]["type"] == "item_defined"
    assert envs[4]["client_key"] == "till-1"
    assert envs[4]["occurred_at"] == T0_MS + 60_000
    assert envs[4]["events"] == [{"type": "move_posted", "from": "S/A", "to": "@customer", "item": "MILK",
                                  "move_id": 2, "occurred_at": T0_MS + 60_000, "qty": 1, "reason": "sale"}]
    assert [e["seq"] for e in engine.events(after=3)] == [4, 5]
    assert [e["seq"] for e in engine.events(after=1, limit=2)] == [2, 3]
    assert engine.events(after=5) == []


def test_results_are_immutable(engine: ims.Engine) -> None:
    o = engine.reserve("R", "MILK", 2, "S", occurred_at=T0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.seq = 99  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.changes[0].item = "X"  # type: ignore[misc]
    assert isinstance(o.events, tuple) and isinstance(o.changes, tuple)
    r = o.events[0]
    with pytest.raises(AttributeError):
        r.qty = 3
    with pytest.raises(AttributeError):
        r.new_field = 3
    with pytest.raises(TypeError):
        r["qty"] = 3  # type: ignore[index]
    with pytest.raises(AttributeError):
        r.no_such_field
    a = engine.availability("MILK")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.available = Decimal(1000)  # type: ignore[misc]
    for x in (engine.atp("MILK", "S"), engine.atp_timeline("MILK", "S")[0], engine.balances("MILK")[0]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            x.date = None  # type: ignore[misc, union-attr]
    view = engine.reservation("R")
    assert isinstance(view.allocations, tuple) and isinstance(view.allocations[0], tuple)
    # An allocation is (location, lot, qty): the quantity a Decimal, the
    # codes text.
    (loc, lot, qty) = view.allocations[0]
    assert isinstance(loc, str) and (lot is None or isinstance(lot, str)) and qty == Decimal(2)
    assert isinstance(qty, Decimal)
    d = view.to_dict()
    d["qty"] = "0"
    assert view.qty == Decimal(2)
    assert hash(o) == hash(o)
    assert pickle.loads(pickle.dumps(view)) == view


def test_reprs_are_informative(engine: ims.Engine) -> None:
    r = repr(engine)
    assert "ims.Engine" in r and "seq=4" in r and engine.state_digest()[:12] in r
    o = engine.sell("MILK", "S/A", 1, occurred_at=T0)
    assert "seq=5" in repr(o) and "move_posted" in repr(o) and "S/A" in repr(o)
    assert "on_hand=Decimal('23')" in repr(engine.availability("MILK"))
    assert "qty=1" in repr(o.events[0]) and repr(o.events[0]).startswith("Record(")
    f = engine.fork()
    f.close()
    assert "closed" in repr(f)


def test_replica_repr_is_informative(engine: ims.Engine) -> None:
    rep = ims.Replica("till-7", engine.snapshot())
    rep.sell("MILK", "S/A", 1, client_key="t-1", occurred_at=T0)
    r = repr(rep)
    assert "Replica" in r and "till-7" in r and "seq=4" in r and "pending=1" in r, r


def test_in_memory_close_and_checkpoint(engine: ims.Engine) -> None:
    engine.checkpoint()
    assert engine.closed is False
    with engine as e:
        assert e is engine
        e.sell("MILK", "S/A", 1, occurred_at=T0)
    assert engine.closed is True
    with pytest.raises(E.EngineClosedError):
        engine.availability("MILK")
    engine.close()


# --- edge mode ----------------------------------------------------------------------

def test_replica_sync_round_trip(engine: ims.Engine) -> None:
    rep = ims.Replica("till-1", engine.slice_snapshot(locations=["S"]), locations=["S"])
    assert (rep.seq, rep.pending, rep.needs_snapshot) == (4, 0, False)
    assert rep.slice_digest() == engine.slice_digest(locations=["S"])
    o = rep.sell("MILK", "S/A", 2, client_key="t1-1", occurred_at=T0 + timedelta(minutes=1))
    assert (o.seq, o.exists, o.pending, rep.pending) == (5, False, 1, 1)
    assert rep.availability("MILK", "S").on_hand == Decimal(22)
    assert engine.availability("MILK", "S").on_hand == Decimal(24)
    assert rep.query("availability", item="MILK", scope="S")["available"] in ("22", Decimal(22))
    req = rep.sync_request()
    assert isinstance(req, bytes)
    resp = engine.sync(req)
    assert isinstance(resp, bytes) and resp.startswith(b"IMSSYNC1")
    assert engine.availability("MILK", "S").on_hand == Decimal(22) and engine.seq == 5
    report = rep.receive_sync(resp)
    assert isinstance(report, Record)
    assert (report.accepted, report.refused, report.pending, report.seq) == (1, 0, 0, 5)
    assert report.conflicts == () and report.snapshot_required is False
    assert (rep.seq, rep.pending) == (5, 0)
    assert rep.slice_digest() == engine.slice_digest(locations=["S"])
    # Replaying the same response changes nothing.
    rep.receive_sync(resp)
    assert (rep.seq, rep.pending) == (5, 0)


def test_replica_refusals_change_nothing(engine: ims.Engine) -> None:
    rep = ims.Replica("web", engine.slice_snapshot(items=["MILK"]), items=["MILK"], max_len=1)
    state = (rep.seq, rep.pending, rep.slice_digest())
    with pytest.raises(E.ClientKeyRequiredError):
        rep.sell("MILK", "S/A", 1, occurred_at=T0)
    with pytest.raises(E.NotAllowedOnReplicaError) as info:
        rep.define_item("X", client_key="x", occurred_at=T0)
    assert info.value.data == {"command": "define_item"}
    assert (rep.seq, rep.pending, rep.slice_digest()) == state
    rep.reserve("C1", "MILK", 1, "S", client_key="w-1", occurred_at=T0)
    with pytest.raises(E.QueueFullError) as qf:
        rep.reserve("C2", "MILK", 1, "S", client_key="w-2", occurred_at=T0)
    assert qf.value.retryable and qf.value.data == {"max": 1}
    assert rep.pending == 1


def test_replica_sync_with_tail_apply_and_reset(engine: ims.Engine) -> None:
    rep = ims.Replica("till", engine.snapshot())
    engine.receive("MILK", "S/A", 6, occurred_at=T0)
    engine.sell("MILK", "S/A", 1, occurred_at=T0)
    tail = engine.tail_after(4)
    assert len(tail) == 2 and all(isinstance(b, bytes) for b in tail)
    for env in tail:
        assert rep.apply(env) == []
    assert rep.seq == 6 and rep.slice_digest() == engine.slice_digest()
    assert rep.availability("MILK").on_hand == Decimal(29)
    with pytest.raises(E.SnapshotRequiredError):
        engine.tail_after(0, max=2)
    # A replica far behind is told to take a snapshot; sync_with resets it.
    old = ims.Replica("old", ims.Engine.from_snapshot(build_engine().snapshot()).snapshot())
    for _ in range(3):
        engine.sell("MILK", "S/A", 1, occurred_at=T0)
    report = old.sync_with(engine, max_tail=2)
    assert report.snapshot_required is True
    assert old.seq == engine.seq and old.slice_digest() == engine.slice_digest()
    old.advance_to(T0 + timedelta(days=1))
    old.reset(engine.snapshot())
    assert old.seq == engine.seq and not old.needs_snapshot


def test_slice_snapshot_and_digest(engine: ims.Engine) -> None:
    engine.define_item("EGGS", occurred_at=T0)
    engine.receive("EGGS", "S/A", 12, occurred_at=T0)
    full, milk = engine.slice_digest(), engine.slice_digest(items=["MILK"])
    assert HEX64.match(full) and HEX64.match(milk) and full != milk
    rep = ims.Replica("m", engine.slice_snapshot(items=["MILK"]), items=["MILK"])
    assert rep.slice_digest() == milk
    with pytest.raises(E.NotInSliceError):
        rep.reserve("X", "EGGS", 1, "S", client_key="k", occurred_at=T0)


# --- columnar (ims.frames) ---------------------------------------------------------------

def test_balances_and_availability_tables(engine: ims.Engine) -> None:
    import pyarrow as pa

    t = engine.balances_table()
    assert isinstance(t, pa.Table)
    assert set(t.column_names) >= {"item", "location", "lot", "on_hand", "reserved"}
    rows = t.to_pylist()
    assert len(rows) == 1 and rows[0]["item"] == "MILK" and rows[0]["location"] == "S/A"
    assert Decimal(str(rows[0]["on_hand"])) == Decimal(24)
    a = engine.availability_table(["MILK"], "S")
    assert isinstance(a, pa.Table) and a.num_rows == 1
    assert Decimal(str(a.to_pylist()[0]["available"])) == Decimal(24)


def test_events_table(engine: ims.Engine) -> None:
    import pyarrow as pa

    t = engine.events_table()
    assert isinstance(t, pa.Table) and t.num_rows == 4
    assert set(t.column_names) >= {"seq", "index", "occurred_at", "type", "item", "location"}
    assert t.column("type").to_pylist() == ["item_defined", "location_defined", "location_defined", "move_posted"]
    assert engine.events_table(after=3).num_rows == 1


def test_load_catalog_stock_and_moves(engine: ims.Engine) -> None:
    import pandas as pd

    n = engine.load_catalog(pd.DataFrame({"item": ["A", "B"], "scale": [0, 2]}))
    assert n == 2
    n = engine.load_stock(pd.DataFrame({"item": ["A", "B"], "location": ["S/A", "S/A"], "qty": ["3", "1.25"]}),
                          occurred_at=T0)
    assert n == 2
    assert engine.availability("B").on_hand == Decimal("1.25")
    n = engine.load_moves(pd.DataFrame({"type": ["sell"], "item": ["A"], "location": ["S/A"], "qty": ["1"],
                                        "occurred_at": [T0_MS]}))
    assert n == 1 and engine.availability("A").on_hand == Decimal(2)


def test_reserve_columns(engine: ims.Engine) -> None:
    import numpy as np
    import pyarrow as pa

    t = engine.reserve_columns(["R1", "R2", "R3"], ["MILK"] * 3, np.array([10, 10, 10]), ["S"] * 3,
                               occurred_at=T0)
    assert isinstance(t, pa.Table) and t.num_rows == 3
    # Per row: the envelope's seq (0 when refused) and the error code (0
    # when accepted); the third finds only 4 left.
    assert t.column("seq").to_pylist() == [5, 6, 0]
    assert t.column("code").to_pylist() == [0, 0, 401]
    assert engine.availability("MILK").reserved == Decimal(20)


def test_query_table(engine: ims.Engine) -> None:
    import pyarrow as pa

    t = engine.query_table("balances", item="MILK")
    assert isinstance(t, pa.Table) and t.num_rows == 1


def test_replica_receive_is_the_stock_command(engine: ims.Engine) -> None:
    # `receive` on a replica is the stock command (the sync answer goes to
    # `receive_sync`); receipts belong to the authority.
    rep = ims.Replica("till", engine.snapshot())
    with pytest.raises(E.NotAllowedOnReplicaError) as info:
        rep.receive("MILK", "S/A", 1, client_key="r-1", occurred_at=T0)
    assert info.value.data == {"command": "receive"}
    assert rep.pending == 0
