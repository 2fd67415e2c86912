"""`ims.errors`: one exception class per catalogue entry, picklable, and
raised by the engine with the error's data."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from typing import Any, Tuple

import pytest

import ims
from ims import errors as E

from conftest import T0

CATALOGUE = list(E.CATALOGUE)


def camel(name: str) -> str:
    return "".join(p[:1].upper() + p[1:].lower() for p in name.split("_")) + "Error"


def test_catalogue_is_well_formed() -> None:
    assert len(CATALOGUE) > 100
    codes = [c for c, _, _, _ in CATALOGUE]
    names = [n for _, n, _, _ in CATALOGUE]
    assert len(set(codes)) == len(codes), "duplicate codes"
    assert len(set(names)) == len(names), "duplicate names"
    assert codes == sorted(codes), "the catalogue is by code"
    for code, name, retryable, description in CATALOGUE:
        assert isinstance(code, int) and code > 0
        assert name == name.upper() and name.replace("_", "").isalnum()
        assert isinstance(retryable, bool)
        assert isinstance(description, str) and description
    # The names every test below relies on.
    for n in ("INVALID_COMMAND", "UNKNOWN_ITEM", "INSUFFICIENT_AVAILABLE", "INEXACT_NUMBER", "NAIVE_DATETIME",
              "LIMIT_EXCEEDED", "BATCH_REFUSED", "ENGINE_CLOSED", "STORAGE"):
        assert n in names
    # Distinct names give distinct class names.
    assert len({camel(n) for n in names}) == len(names)


@pytest.mark.parametrize("entry", CATALOGUE, ids=[n for _, n, _, _ in CATALOGUE])
def test_catalogue_entry_has_its_class(entry: Tuple[int, str, bool, str]) -> None:
    code, name, retryable, description = entry
    cls = getattr(E, camel(name), None)
    assert cls is not None, f"ims.errors.{camel(name)} is missing"
    assert isinstance(cls, type) and issubclass(cls, E.ImsError) and cls is not E.ImsError
    assert issubclass(cls, Exception)
    assert (cls.code, cls.name, cls.retryable) == (code, name, retryable)
    assert cls.__module__ == "ims.errors"
    assert camel(name) in E.__all__
    assert E.error_class(name) is cls
    assert name in (cls.__doc__ or "") and str(code) in (cls.__doc__ or "")


def test_classes_are_distinct_and_not_nested() -> None:
    classes = [E.error_class(n) for _, n, _, _ in CATALOGUE]
    assert len(set(classes)) == len(classes)
    for a in classes:
        # Catching one catalogue error never catches another.
        assert a.__bases__ == (E.ImsError,)


def test_error_class_unknown_name() -> None:
    with pytest.raises(KeyError):
        E.error_class("NOT_A_NAME")


@pytest.mark.parametrize("entry", CATALOGUE, ids=[n for _, n, _, _ in CATALOGUE])
def test_class_pickles_with_its_data(entry: Tuple[int, str, bool, str]) -> None:
    code, name, retryable, _ = entry
    cls = E.error_class(name)
    data = {"item": "MILK", "qty": Decimal("1.5"), "nested": {"name": "UNKNOWN_ITEM", "n": [1, 2]}}
    exc = cls(f"{name} happened", code, name, retryable, data)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(exc, protocol=proto))
        assert type(back) is cls
        assert str(back) == f"{name} happened"
        assert back.args == exc.args
        assert (back.code, back.name, back.retryable) == (code, name, retryable)
        assert back.data == data
    assert copy.deepcopy(exc).data == data


def test_error_data_is_a_copy_and_defaults_empty() -> None:
    d = {"item": "X"}
    exc = E.UnknownItemError("unknown item X", 200, "UNKNOWN_ITEM", False, d)
    d["item"] = "Y"
    assert exc.data == {"item": "X"}
    bare = E.ImsError("door refusal")
    assert bare.data == {} and bare.code == 0
    assert E.UnknownItemError("x").data == {}


def test_repr_names_class_and_code() -> None:
    exc = E.UnknownItemError("unknown item X", 200, "UNKNOWN_ITEM", False, {"item": "X"})
    r = repr(exc)
    assert "UnknownItemError" in r and "200" in r and "unknown item X" in r


def _raises(fn: Any, cls: type) -> E.ImsError:
    with pytest.raises(cls) as info:
        fn()
    exc = info.value
    assert type(exc) is cls, f"{type(exc).__name__} is not exactly {cls.__name__}"
    return exc


def test_unknown_item_refusal(engine: ims.Engine) -> None:
    exc = _raises(lambda: engine.receive("NOPE", "S/A", 1, occurred_at=T0), E.UnknownItemError)
    assert isinstance(exc, ims.ImsError)
    assert (exc.code, exc.name, exc.retryable) == (200, "UNKNOWN_ITEM", False)
    assert exc.data == {"item": "NOPE"}
    assert "NOPE" in str(exc)
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is E.UnknownItemError and back.data == {"item": "NOPE"} and str(back) == str(exc)


def test_insufficient_available_is_retryable(engine: ims.Engine) -> None:
    exc = _raises(lambda: engine.reserve("R1", "MILK", 25, "S", occurred_at=T0), E.InsufficientAvailableError)
    assert exc.retryable is True and exc.code == 401
    assert exc.data == {"item": "MILK", "requested": "25", "available": "24"}


def test_unknown_location_and_reservation(engine: ims.Engine) -> None:
    exc = _raises(lambda: engine.receive("MILK", "S/NOPE", 1, occurred_at=T0), E.UnknownLocationError)
    assert exc.data == {"location": "S/NOPE"}
    exc = _raises(lambda: engine.release("NO-SUCH", occurred_at=T0), E.UnknownReservationError)
    assert exc.data == {"reservation": "NO-SUCH"}


def test_invalid_quantity_data_is_decimal(engine: ims.Engine) -> None:
    exc = _raises(lambda: engine.receive("MILK", "S/A", -3, occurred_at=T0), E.InvalidQuantityError)
    assert exc.data["qty"] == Decimal("-3") and isinstance(exc.data["qty"], Decimal)


def test_batch_refused_carries_index_and_source(engine: ims.Engine) -> None:
    cmds = [{"type": "receive", "item": "MILK", "location": "S/A", "qty": 1, "occurred_at": T0},
            {"type": "receive", "item": "NOPE", "location": "S/A", "qty": 1, "occurred_at": T0}]
    exc = _raises(lambda: engine.execute_batch(cmds, mode="atomic"), E.BatchRefusedError)
    assert exc.data == {"index": 1, "source": {"name": "UNKNOWN_ITEM", "item": "NOPE"}}
    back = pickle.loads(pickle.dumps(exc))
    assert back.data == exc.data


def test_exists_with_different_command(engine: ims.Engine) -> None:
    engine.receive("MILK", "S/A", 1, occurred_at=T0, client_key="k-1")
    exc = _raises(lambda: engine.receive("MILK", "S/A", 2, occurred_at=T0, client_key="k-1"),
                  E.ExistsWithDifferentCommandError)
    assert exc.data == {"key": "k-1"} and exc.code == 600


def test_errors_are_catchable_as_base(engine: ims.Engine) -> None:
    with pytest.raises(ims.ImsError):
        engine.receive("NOPE", "S/A", 1)
    with pytest.raises(E.ImsError):
        engine.execute({"type": "nope"})
