"""A readable ``repr`` for frozen dataclasses, without generating one per class.

On Python 3.11 ``dataclasses`` compiles every generated method with ``exec``:
about 0.4M instructions each, paid at every start of the command for the ~35
classes a render defines. A repr is read only when someone prints a value, so
these classes are declared ``repr=False`` and share one that reads the fields
when asked, and prints what the generated one would.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def field_repr(self: Any) -> str:
    """``Name(field=value, …)``, the fields ``repr=True`` in order, as dataclasses writes it."""
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def readable(cls: type[T]) -> type[T]:
    """Give a ``repr=False`` dataclass the shared ``field_repr``."""
    cls.__repr__ = field_repr  # type: ignore[method-assign]
    return cls
