"""Bad Python input: each case raises a specific `ImsError` subclass and
leaves the engine exactly as it was (state digest, journal digest, seq)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict

import pytest

import ims
from ims import errors as E

from conftest import T0


def _state(e: ims.Engine) -> Any:
    return (e.state_digest(), e.journal_digest(), e.seq, e.snapshot())


def refused(engine: ims.Engine, cls: type, fn: Callable[[], Any]) -> E.ImsError:
    before = _state(engine)
    with pytest.raises(E.ImsError) as info:
        fn()
    exc = info.value
    assert type(exc) is cls, f"expected {cls.__name__}, got {type(exc).__name__}: {exc}"
    assert _state(engine) == before, "a refusal changed the engine"
    assert engine.verify() == []
    return exc


def receive_cmd(**over: Any) -> Dict[str, Any]:
    c: Dict[str, Any] = {"type": "receive", "item": "MILK", "location": "S/A", "qty": 1, "occurred_at": T0}
    c.update(over)
    return c


# --- inexact numbers ---------------------------------------------------------

@pytest.mark.parametrize("qty", [1.0, 1.5, 0.1, -0.0, float("nan"), float("inf"), float("-inf")],
                         ids=["1.0", "1.5", "0.1", "-0.0", "nan", "inf", "-inf"])
def test_float_quantity(engine: ims.Engine, qty: float) -> None:
    exc = refused(engine, E.InexactNumberError, lambda: engine.receive("MILK", "S/A", qty, occurred_at=T0))
    assert exc.data["field"] == "qty"
    assert exc.name == "INEXACT_NUMBER"


def test_float_in_execute_dict(engine: ims.Engine) -> None:
    exc = refused(engine, E.InexactNumberError, lambda: engine.execute(receive_cmd(qty=2.0)))
    assert exc.data == {"field": "qty", "value": "2.0"}


def test_float_nested_inside_a_dict_field(engine: ims.Engine) -> None:
    # A float anywhere is refused, however deep, and before anything runs.
    exc = refused(engine, E.InexactNumberError,
                  lambda: engine.execute(receive_cmd(reference={"note": {"weight": 0.5}})))
    assert exc.data["field"] == "reference.note.weight"
    exc = refused(engine, E.InexactNumberError,
                  lambda: engine.commit("R", buckets=[{"location": "S/A", "qty": 1.25}], occurred_at=T0))
    assert exc.data["field"].startswith("buckets")


def test_float_inside_a_batch_runs_nothing(engine: ims.Engine) -> None:
    cmds = [receive_cmd(), receive_cmd(qty=1.5)]
    for mode in ("atomic", "independent"):
        refused(engine, E.InexactNumberError, lambda: engine.execute_batch(cmds, mode=mode))


def test_float_timestamp(engine: ims.Engine) -> None:
    refused(engine, E.InexactNumberError, lambda: engine.receive("MILK", "S/A", 1, occurred_at=1.7e12))


@pytest.mark.parametrize("qty", [Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN"), Decimal("Infinity"),
                                 Decimal("-Infinity")], ids=str)
def test_decimal_nan_and_infinity(engine: ims.Engine, qty: Decimal) -> None:
    exc = refused(engine, E.InexactNumberError, lambda: engine.receive("MILK", "S/A", qty, occurred_at=T0))
    assert exc.data["field"] == "qty"


def test_decimal_finer_than_the_engine_holds_is_not_rounded(engine: ims.Engine) -> None:
    # 29 decimal places: more than the engine's decimals hold. It must be
    # refused, never rounded to 1 (the door promises exact numbers).
    q = Decimal("1.00000000000000000000000000001")
    before = _state(engine)
    with pytest.raises(E.ImsError):
        engine.receive("MILK", "S/A", q, occurred_at=T0)
    assert _state(engine) == before
    with pytest.raises(E.ImsError):
        engine.execute(json.dumps(receive_cmd(qty=str(q), occurred_at=int(T0.timestamp() * 1000))))
    assert _state(engine) == before


def test_exact_decimals_are_accepted(engine: ims.Engine) -> None:
    # Decimal("2E+1") is 20, "24.000" is 24: exact values in other spellings.
    assert engine.receive("MILK", "S/A", Decimal("2E+1"), occurred_at=T0).events[0].qty == 20
    assert engine.receive("MILK", "S/A", Decimal("24.000"), occurred_at=T0).events[0].qty == 24
    assert engine.receive("MILK", "S/A", "3", occurred_at=T0).events[0].qty == 3
    assert engine.availability("MILK").on_hand == Decimal(24 + 20 + 24 + 3)


# --- datetimes ---------------------------------------------------------------

def test_naive_datetime_for_occurred_at(engine: ims.Engine) -> None:
    naive = datetime(2026, 11, 1, 12, 0)
    exc = refused(engine, E.NaiveDatetimeError, lambda: engine.receive("MILK", "S/A", 1, occurred_at=naive))
    assert exc.data == {"field": "occurred_at"}
    refused(engine, E.NaiveDatetimeError, lambda: engine.execute(receive_cmd(occurred_at=naive)))
    refused(engine, E.NaiveDatetimeError, lambda: engine.advance_to(naive))
    refused(engine, E.NaiveDatetimeError, lambda: engine.advance(naive))


def test_aware_datetimes_in_any_zone_are_the_same_instant(engine: ims.Engine) -> None:
    plus2 = timezone(timedelta(hours=2))
    o = engine.receive("MILK", "S/A", 1, occurred_at=T0.astimezone(plus2))
    assert o.events[0].occurred_at == int(T0.timestamp() * 1000)


# --- wrong types ---------------------------------------------------------------

@pytest.mark.parametrize("item", [["MILK"], ("MILK",), {"code": "MILK"}, 7, None, True, b"MILK"],
                         ids=["list", "tuple", "dict", "int", "None", "bool", "bytes"])
def test_wrong_type_for_item_code(engine: ims.Engine, item: Any) -> None:
    refused(engine, E.InvalidCommandError, lambda: engine.execute(receive_cmd(item=item)))


def test_object_value(engine: ims.Engine) -> None:
    exc = refused(engine, E.InvalidCommandError, lambda: engine.receive("MILK", "S/A", object(), occurred_at=T0))
    assert "qty" in exc.data["reason"]
    refused(engine, E.InvalidCommandError, lambda: engine.execute(receive_cmd(reference=object())))
    refused(engine, E.InvalidCommandError, lambda: engine.execute(receive_cmd(reference={1, 2})))


def test_non_string_dict_key(engine: ims.Engine) -> None:
    refused(engine, E.InvalidCommandError, lambda: engine.execute({**receive_cmd(), 1: "x"}))


def test_command_not_a_mapping(engine: ims.Engine) -> None:
    for bad in ([receive_cmd()], 42, None, object()):
        refused(engine, E.InvalidCommandError, lambda: engine.execute(bad))


def test_bool_is_not_a_quantity(engine: ims.Engine) -> None:
    refused(engine, E.InvalidCommandError, lambda: engine.receive("MILK", "S/A", True, occurred_at=T0))


# --- quantities ----------------------------------------------------------------

@pytest.mark.parametrize("qty", [-1, 0, Decimal("-0.5"), "-2", "0"], ids=str)
def test_non_positive_quantity(engine: ims.Engine, qty: Any) -> None:
    exc = refused(engine, E.InvalidQuantityError, lambda: engine.receive("MILK", "S/A", qty, occurred_at=T0))
    assert exc.data["field"] == "qty"


def test_quantity_finer_than_scale(engine: ims.Engine) -> None:
    refused(engine, E.QuantityScaleExceededError, lambda: engine.receive("MILK", "S/A", Decimal("1.5"),
                                                                         occurred_at=T0))


def test_enormous_int_quantity(engine: ims.Engine) -> None:
    # A quantity is a decimal: 2**70 goes in as its digits and overflows
    # the engine's quantities (a catalogue refusal, nothing changed).
    refused(engine, E.QuantityOverflowError, lambda: engine.receive("MILK", "S/A", 2 ** 70, occurred_at=T0))
    refused(engine, E.QuantityOverflowError, lambda: engine.reserve("R", "MILK", 2 ** 70, "S", occurred_at=T0))


def test_enormous_int_move_id(engine: ims.Engine) -> None:
    exc = refused(engine, E.LimitExceededError, lambda: engine.reverse(2 ** 70, occurred_at=T0))
    assert exc.data["what"] == "integer beyond 64 bits"
    refused(engine, E.LimitExceededError, lambda: engine.reverse(-(2 ** 70), occurred_at=T0))
    # At the edge of 64 bits the integer goes in and the move is unknown.
    exc = refused(engine, E.UnknownMoveError, lambda: engine.reverse(2 ** 64 - 1, occurred_at=T0))
    assert exc.data == {"move_id": 2 ** 64 - 1}


def test_enormous_int_timestamp(engine: ims.Engine) -> None:
    refused(engine, E.LimitExceededError, lambda: engine.receive("MILK", "S/A", 1, occurred_at=2 ** 70))


def test_negative_ttl(engine: ims.Engine) -> None:
    with pytest.raises(E.ImsError):
        engine.reserve("R", "MILK", 1, "S", ttl_ms=timedelta(minutes=-5), occurred_at=T0)
    assert engine.reservation("R") is None


# --- unknown codes and commands -------------------------------------------------

def test_unknown_item_and_location(engine: ims.Engine) -> None:
    exc = refused(engine, E.UnknownItemError, lambda: engine.receive("EGGS", "S/A", 1, occurred_at=T0))
    assert exc.data == {"item": "EGGS"}
    exc = refused(engine, E.UnknownLocationError, lambda: engine.receive("MILK", "S/B", 1, occurred_at=T0))
    assert exc.data == {"location": "S/B"}
    exc = refused(engine, E.UnknownLocationError, lambda: engine.reserve("R", "MILK", 1, "NOWHERE", occurred_at=T0))
    refused(engine, E.UnknownItemError, lambda: engine.availability("EGGS"))
    refused(engine, E.UnknownLocationError, lambda: engine.availability("MILK", "NOWHERE"))


def test_unknown_command_type(engine: ims.Engine) -> None:
    refused(engine, E.InvalidCommandError, lambda: engine.execute({"type": "teleport", "item": "MILK"}))
    refused(engine, E.InvalidCommandError, lambda: engine.execute({"item": "MILK"}))
    refused(engine, E.InvalidCommandError, lambda: engine.execute('{"type": "teleport"}'))


def test_unknown_query_kind(engine: ims.Engine) -> None:
    refused(engine, E.InvalidCommandError, lambda: engine.query("teleport"))
    refused(engine, E.InvalidCommandError, lambda: engine.query("availability"))


@pytest.mark.parametrize("text", ['{"type": "receive",', "", "not json", "[1, 2", '{"type": "receive"} trailing',
                                  "null", "42"], ids=repr)
def test_json_text_that_does_not_parse(engine: ims.Engine, text: str) -> None:
    refused(engine, E.InvalidCommandError, lambda: engine.execute(text))


def test_json_text_in_a_batch_that_does_not_parse(engine: ims.Engine) -> None:
    good = json.dumps(receive_cmd(occurred_at=int(T0.timestamp() * 1000)))
    for mode in ("atomic", "independent"):
        refused(engine, E.InvalidCommandError, lambda: engine.execute_batch([good, "{oops"], mode=mode))


@pytest.mark.parametrize("mode", ["sometimes", "ATOMIC"])
def test_bad_batch_mode(engine: ims.Engine, mode: str) -> None:
    # Bad Python input is an ImsError (ims.errors: "a refusal of the engine
    # or of a door"); the native door makes it INVALID_COMMAND.
    refused(engine, E.InvalidCommandError, lambda: engine.execute_batch([receive_cmd()], mode=mode))


def test_batch_not_iterable(engine: ims.Engine) -> None:
    before = _state(engine)
    with pytest.raises((E.ImsError, TypeError)):
        engine.execute_batch(42, mode="atomic")  # type: ignore[arg-type]
    assert _state(engine) == before


# --- nesting ---------------------------------------------------------------------

def _nested(depth: int, leaf: Any = "x", kind: str = "dict") -> Any:
    v = leaf
    for _ in range(depth):
        v = {"a": v} if kind == "dict" else [v]
    return v


@pytest.mark.parametrize("kind", ["dict", "list"])
def test_deeply_nested_value(engine: ims.Engine, kind: str) -> None:
    exc = refused(engine, E.LimitExceededError, lambda: engine.execute(receive_cmd(reference=_nested(40, kind=kind))))
    assert exc.data == {"what": "nesting depth", "max": 32}
    # Far deeper than the stack would take if it were walked naively.
    refused(engine, E.LimitExceededError, lambda: engine.execute(receive_cmd(reference=_nested(100_000, kind=kind))))
    refused(engine, E.LimitExceededError, lambda: engine.query("availability", item="MILK", scope=_nested(50, kind=kind)))


def test_nesting_at_the_limit_is_decoded(engine: ims.Engine) -> None:
    # Depth 32 is accepted by the converter; the engine then refuses the
    # value for its type (a reference is a string), not for its depth.
    refused(engine, E.InvalidCommandError, lambda: engine.execute(receive_cmd(reference=_nested(30))))


# --- opening ---------------------------------------------------------------------

@pytest.mark.parametrize("durability", ["sometimes", "EVERY_COMMIT"])
def test_bad_durability_string(tmp_path: Path, durability: str) -> None:
    with pytest.raises(E.ImsError) as info:
        ims.Engine.open(tmp_path / "j", durability=durability)
    assert type(info.value) is E.InvalidCommandError


def test_bad_snapshot_bytes() -> None:
    with pytest.raises(E.ImsError) as info:
        ims.Engine.from_snapshot(b"definitely not a snapshot")
    assert type(info.value) is E.InvalidSnapshotError


def test_naive_datetime_in_replica_and_planning(engine: ims.Engine) -> None:
    r = ims.Replica("till", engine.snapshot())
    before = (r.seq, r.pending, r.slice_digest())
    with pytest.raises(E.NaiveDatetimeError):
        r.sell("MILK", "S/A", 1, client_key="t-1", occurred_at=datetime(2026, 11, 1))
    with pytest.raises(E.InexactNumberError):
        r.sell("MILK", "S/A", 1.0, client_key="t-1", occurred_at=T0)
    assert (r.seq, r.pending, r.slice_digest()) == before


def test_date_fields_take_dates(engine: ims.Engine) -> None:
    o = engine.expect_receipt("PO-1", "MILK", "S/A", 5, date(2026, 11, 5), occurred_at=T0)
    assert o.seq == engine.seq
    refused(engine, E.InvalidCommandError,
            lambda: engine.expect_receipt("PO-2", "MILK", "S/A", 5, "5th of November", occurred_at=T0))  # type: ignore[arg-type]
