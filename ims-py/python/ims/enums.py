"""The engine's closed vocabularies as `str`-valued enums. Every argument
that takes one also takes its plain string."""

from __future__ import annotations

import enum

__all__ = ["LocationKind", "Tracking", "LotStatus", "Rounding", "Strategy", "Fill", "Remainder",
           "BatchMode", "Durability"]


class _StrEnum(str, enum.Enum):
    def __str__(self) -> str:
        return str(self.value)


class LocationKind(_StrEnum):
    """What a location is (internal kinds hold stock; virtual ones are the
    other side of receipts, sales and losses)."""
    SITE = "site"
    WAREHOUSE = "warehouse"
    ZONE = "zone"
    STORAGE = "storage"
    RECEIVING = "receiving"
    INSPECTION = "inspection"
    QUARANTINE = "quarantine"
    STAGING = "staging"
    TRANSIT = "transit"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    ADJUSTMENT = "adjustment"
    SCRAP = "scrap"
    PRODUCTION = "production"


class Tracking(_StrEnum):
    """How an item's units are told apart."""
    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class LotStatus(_StrEnum):
    """Whether a lot may be allocated."""
    AVAILABLE = "available"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"


class Rounding(_StrEnum):
    """How an inexact unit conversion rounds (refused when not named)."""
    DOWN = "down"
    UP = "up"
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"


class Strategy(_StrEnum):
    """Which stock a reservation takes first."""
    FEFO = "fefo"
    FIFO = "fifo"
    LIFO = "lifo"
    LOCATION_PRIORITY = "location_priority"
    SINGLE_LOCATION_FIRST = "single_location_first"


class Fill(_StrEnum):
    """All or nothing, or what is there now and the rest as dated demand."""
    ALL = "all"
    PARTIAL = "partial"


class Remainder(_StrEnum):
    """What a partial commit does with the rest of the reservation."""
    RELEASE = "release"
    KEEP = "keep"


class BatchMode(_StrEnum):
    """All in one envelope or nothing, or each command on its own."""
    ATOMIC = "atomic"
    INDEPENDENT = "independent"


class Durability(_StrEnum):
    """When a durable engine forces its journal to disk."""
    EVERY_COMMIT = "every_commit"
    EVERY_N = "every_n"
    EVERY_MS = "every_ms"
    NEVER = "never"
