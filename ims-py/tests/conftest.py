"""Shared fixtures of the ims test suite."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import ims

#: The instant every fixture fact happens at (aware, UTC).
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
#: T0 in milliseconds since the epoch, as the engine's JSON form has it.
T0_MS = int(T0.timestamp() * 1000)


def build_engine(engine: "ims.Engine | None" = None) -> ims.Engine:
    """An engine with site "S", its storage location "S/A" and 24 "MILK"
    (scale 0) received at S/A, every command at T0."""
    e = ims.Engine() if engine is None else engine
    e.define_item("MILK", scale=0, occurred_at=T0)
    e.define_location("S", kind=ims.LocationKind.SITE, occurred_at=T0)
    e.define_location("S/A", kind=ims.LocationKind.STORAGE, parent="S", occurred_at=T0)
    e.receive("MILK", "S/A", 24, occurred_at=T0)
    return e


@pytest.fixture
def engine() -> ims.Engine:
    """A fresh in-memory engine: site S, storage S/A under it, 24 MILK at S/A."""
    return build_engine()
