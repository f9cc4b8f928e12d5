"""Shared methods for dataclasses, in place of the ones ``dataclasses`` generates per class.

On Python 3.10 and 3.11 ``dataclasses`` compiles every generated method with ``exec``:
about 0.4M instructions each, paid at every start of the command for the ~50 classes
a render defines (a frozen class: ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__``, ``__delattr__``). A repr is read only when someone prints a value, and
``==`` and ``hash`` read the same fields in every class. So these classes are declared
``repr=False, eq=False`` and ``record`` gives them shared ones that do what the
generated ones would; ``readable`` gives the repr alone, to a class that compares by
identity (``eq=False`` meant as such).

A frozen class with slots also gets a quicker ``__init__``: the generated one sets each
field through ``object.__setattr__`` (the class's own ``__setattr__`` refuses);
``record``'s calls each slot's own setter, in 0.58 of the time (five fields, 2026-12-07).
A report's cells, paragraphs and runs are made by the hundred (a 100× report: some
thirty thousand).
"""

from __future__ import annotations

from dataclasses import MISSING, Field, fields
from functools import cache
from operator import attrgetter
from types import MemberDescriptorType
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
    made = fields(cls)  # type: ignore[arg-type]
    values = _compared([f.name for f in made if f.compare])

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    cls.__repr__ = field_repr  # type: ignore[method-assign]
    cls.__init__ = _slot_init(cls, params, made) or cls.__init__  # type: ignore[method-assign]
    cls.__eq__ = __eq__  # type: ignore[method-assign]
    cls.__hash__ = __hash__ if params.frozen else None  # type: ignore[method-assign,assignment]
    return cls


def _slot_init(cls: type, params: Any, made: tuple[Field[Any], ...]) -> Any:
    """The generated ``__init__`` of a frozen class with slots, each field set by its slot's
    own setter rather than through ``object.__setattr__``; None for a class it cannot stand
    in for (no slots, not frozen, a ``__post_init__``, a field made by a factory, keyword-only
    or left out of ``__init__``, an ``InitVar`` or ``ClassVar``, a field named ``self`` or
    starting with ``_``, which the maker's own names ``_0``, ``_1``, … could meet).

    The same parameters, in the same order, with the same defaults (the generated
    function's own ``__defaults__``), so every call means what it meant.
    """
    generated = cls.__init__  # type: ignore[misc]
    names = tuple(f.name for f in made)
    if (
        not params.frozen
        or "__slots__" not in cls.__dict__
        or hasattr(cls, "__post_init__")
        or len(made) != len(cls.__dataclass_fields__)  # type: ignore[attr-defined]
        or any(not f.init or f.kw_only or f.default_factory is not MISSING for f in made)
        or generated.__code__.co_varnames[1 : len(names) + 1] != names
        or any(name == "self" or name.startswith("_") for name in names)
    ):
        return None
    slots = [getattr(cls, name, None) for name in names]  # a parent's own, where inherited
    setters = [slot.__set__ for slot in slots if isinstance(slot, MemberDescriptorType)]
    if len(setters) != len(names):
        return None
    init = _setting(len(names))(*setters)
    init.__code__ = init.__code__.replace(co_varnames=("self", *names))
    init.__defaults__ = generated.__defaults__
    init.__qualname__ = generated.__qualname__
    init.__annotations__ = generated.__annotations__
    init.__module__ = cls.__module__
    return init


@cache
def _setting(count: int) -> Any:
    """A maker of ``__init__(self, a, b, …)`` that calls ``_0(self, a)``, ``_1(self, b)``, …,
    for ``count`` fields: compiled once for each count, its parameters renamed for each
    class (a compile, about 0.7M instructions, is paid at every start)."""
    names = [f"f{k}" for k in range(count)]
    lines = [
        f"def make({', '.join(f'_{k}' for k in range(count))}):",
        f"    def __init__(self, {', '.join(names)}):",
        *[f"        _{k}(self, {name})" for k, name in enumerate(names)],
        "        pass",
        "    return __init__",
    ]
    space: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<record of {count} fields>", "exec"), {}, space)
    return space["make"]
