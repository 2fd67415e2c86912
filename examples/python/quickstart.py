"""The README's Python quick start: stock, a cart hold, a sale, exact numbers."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import ims

engine = ims.Engine()
engine.define_item("MILK-1L", scale=0)
engine.define_location("STORE-1", kind=ims.LocationKind.SITE)
engine.receive("MILK-1L", "STORE-1", 24)

# A web cart holds 2 for 15 minutes (times are aware datetimes), then the order commits them.
now = datetime(2026, 12, 4, 9, 0, tzinfo=timezone.utc)
engine.reserve("cart-7", "MILK-1L", 2, "STORE-1", ttl_ms=timedelta(minutes=15), occurred_at=now)
assert engine.availability("MILK-1L", "STORE-1").available == Decimal(22)
engine.commit("cart-7", occurred_at=now + timedelta(minutes=3))
assert engine.availability("MILK-1L", "STORE-1").on_hand == Decimal(22)

# Floats are refused: stock is exact.
try:
    engine.sell("MILK-1L", "STORE-1", 0.5)
except ims.errors.InexactNumberError as e:
    print("refused:", e.name, e.data)

assert engine.verify() == []
print(engine, engine.availability("MILK-1L", "STORE-1"))
