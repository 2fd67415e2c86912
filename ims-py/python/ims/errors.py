"""Every refusal of the engine as an exception.

`ImsError` is the base; there is one subclass per entry of the core's error
catalogue, named after it (`UNKNOWN_ITEM` → `UnknownItemError`), created here
from the catalogue itself so that none can be missing. Each carries the
stable `code`, `name`, whether it is `retryable`, and the error's `data` (its
fields, as in the JSON form).
"""

from __future__ import annotations

from typing import Any, Dict, Tuple, Type

from . import _native

__all__ = ["ImsError", "CATALOGUE", "error_class"]


class ImsError(Exception):
    """A refusal of the engine (or of a door: bad Python input)."""

    code: int
    name: str
    retryable: bool
    data: Dict[str, Any]

    def __init__(self, message: str, code: int = 0, name: str = "", retryable: bool = False,
                 data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.name = name
        self.retryable = retryable
        self.data = dict(data) if isinstance(data, dict) else {}

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (str(self), self.code, self.name, self.retryable, self.data))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, code={self.code})"


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) + "Error"


#: The catalogue: ``(code, name, retryable, description)`` per error, by code.
CATALOGUE: Tuple[Tuple[int, str, bool, str], ...] = tuple(_native.catalogue())

_BY_NAME: Dict[str, Type[ImsError]] = {}
for _code, _name, _retryable, _description in CATALOGUE:
    _cls = type(_class_name(_name), (ImsError,), {
        "__doc__": f"{_name} ({_code}): {_description}.",
        "__module__": __name__,
        "code": _code,
        "name": _name,
        "retryable": _retryable,
    })
    globals()[_cls.__name__] = _cls
    __all__.append(_cls.__name__)
    _BY_NAME[_name] = _cls


def error_class(name: str) -> Type[ImsError]:
    """The exception class of a catalogue name (``"UNKNOWN_ITEM"``)."""
    return _BY_NAME[name]


_native.register_errors(_BY_NAME)
