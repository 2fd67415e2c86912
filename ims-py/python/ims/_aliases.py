"""Type aliases of the Python door."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Mapping, Sequence, Union

__all__ = ["Qty", "Time", "Scope", "Command"]

#: A quantity: exact only. A `float` is refused (`InexactNumberError`).
Qty = Union[Decimal, int, str]
#: An instant: an aware `datetime`, or milliseconds since the epoch (UTC).
Time = Union[_dt.datetime, int]
#: Where: ``"*"`` (every internal location), a location code (its subtree),
#: or a list of codes.
Scope = Union[str, Sequence[str]]
#: A command in its JSON form, as a mapping or as JSON text.
Command = Union[Mapping[str, Any], str]
