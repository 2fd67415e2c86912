"""ims: an exact, deterministic inventory engine.

>>> import ims
>>> e = ims.Engine()
>>> e.define_item("MILK-1L", scale=0).seq
1
"""

from __future__ import annotations

from . import _native, errors, forecast, policy, simulate
from .engine import Engine, Replica
from .enums import BatchMode, Durability, Fill, LocationKind, LotStatus, Remainder, Rounding, Strategy, Tracking
from .errors import ImsError
from .results import AtpAnswer, AtpPoint, Availability, Balance, Change, Outcome, Record

__version__: str = _native.__version__

__all__ = [
    "Engine", "Replica", "ImsError", "errors", "policy", "forecast", "simulate",
    "Outcome", "Change", "Availability", "AtpAnswer", "AtpPoint", "Balance", "Record",
    "BatchMode", "Durability", "Fill", "LocationKind", "LotStatus", "Remainder", "Rounding", "Strategy", "Tracking",
    "command_types", "query_kinds",
]


def command_types() -> list:
    """Every command ``type`` the engine takes."""
    return list(_native.command_types())


def query_kinds() -> list:
    """Every query ``kind`` the engine answers."""
    return list(_native.query_kinds())
