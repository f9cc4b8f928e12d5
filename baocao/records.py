"""Shared methods for dataclasses, in place of the ones ``dataclasses`` generates per class.

On Python 3.10 and 3.11 ``dataclasses`` compiles every generated method with ``exec``:
about 0.4M instructions each, paid at every start of the command for the ~50 classes
a render defines (a frozen class: ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__``, ``__delattr__``). A repr is read only when someone prints a value, and
``==`` and ``hash`` read the same fields in every class. So these classes are declared
``repr=False, eq=False`` and ``record`` gives them shared ones that do what the
generated ones would; ``readable`` gives the repr alone, to a class that compares by
identity (``eq=False`` meant as such).
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
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


def _compared(names: list[str]) -> Any:
    """The fields ``names`` of an object as one tuple, as the generated methods compare them
    (a tuple's ``==`` takes an element that *is* the other as equal: NaN too)."""
    if len(names) != 1:
        return attrgetter(*names) if names else lambda self: ()
    only = attrgetter(names[0])  # a lone name gives the value bare
    return lambda self: (only(self),)


def record(cls: type[T]) -> type[T]:
    """Give a ``repr=False, eq=False`` dataclass the repr, ``==`` and hash ``dataclass`` would.

    ``==`` holds between two objects of the same class whose fields (those with
    ``compare=True``) are equal, and is ``NotImplemented`` against any other class;
    a frozen class hashes the same fields, a mutable one is unhashable.
    """
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    if params.repr or params.eq or {"__repr__", "__eq__", "__hash__"} & cls.__dict__.keys():
        # a method of its own, or one generated, would be replaced without a word
        raise TypeError(f"{cls.__qualname__}: declare it @dataclass(repr=False, eq=False)")
    values = _compared([f.name for f in fields(cls) if f.compare])  # type: ignore[arg-type]

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    cls.__repr__ = field_repr  # type: ignore[method-assign]
    cls.__eq__ = __eq__  # type: ignore[method-assign]
    cls.__hash__ = __hash__ if params.frozen else None  # type: ignore[method-assign,assignment]
    return cls
