"""``record``: a dataclass whose methods are shared or made once, not compiled per class.

On Python 3.10 and 3.11 ``dataclasses`` compiles every method it generates with ``exec``
(0.1–0.15 ms each on a 2-core machine), paid at every start of the command for the ~50
classes a render defines: ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, and for a
frozen class ``__setattr__`` and ``__delattr__``, the dearest (a one-shot render spent 7%
of its instructions on those two alone, 2026-12-07). ``record`` asks ``dataclasses`` for
the fields, slots, ``__match_args__`` and (when it needs one) ``__init__``, and gives the
rest itself:

- the repr, ``==`` and hash are shared functions reading the fields, as the generated
  ones would (``eq=False``: compared by identity, hashed by it);
- a frozen class's ``__init__``, ``__setattr__`` and ``__delattr__`` are made from
  functions compiled once per shape (number of fields, factories, ``__post_init__``), or
  closures over the class, with the generated ones' parameters, defaults, test and
  ``FrozenInstanceError``; with slots, the ``__getstate__`` and ``__setstate__`` that
  dataclasses adds for pickling go with them. Where a class has slots, its ``__init__``
  sets each field through the slot's own setter rather than ``object.__setattr__`` (0.58
  of the time for five fields): a report's cells, paragraphs and runs are made by the
  hundred (a 100× report: some thirty thousand). A frozen class it cannot make so (a
  keyword-only field, an ``InitVar``, an ``__init__`` of its own…) keeps what
  ``dataclasses`` generates for it, and so does a mutable class: its generated
  ``__init__`` assigns each field (``self.x = x``), quicker than any call.

``dataclasses.fields``, ``replace``, ``asdict`` and ``inspect.signature`` read a record as
they read a dataclass; ``__dataclass_params__`` says ``eq=False``, and ``frozen=False``
where ``record`` keeps that promise rather than ``dataclasses`` (so a plain ``@dataclass``
may inherit a frozen record unrefused; ``record`` refuses the parents dataclasses would).
mypy reads ``record`` as a dataclass maker (``dataclass_transform``): a frozen record's
fields are read-only to it.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from functools import cache
from operator import attrgetter
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeVar, overload

T = TypeVar("T")

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
elif TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        """Python 3.10's typing has none: only a type checker reads it."""
        return lambda maker: maker


def field_repr(self: Any) -> str:
    """``Name(field=value, …)``, the fields ``repr=True`` in order, as dataclasses writes it."""
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _compared(names: list[str]) -> Any:
    """The fields ``names`` of an object as one tuple, as the generated methods compare them
    (a tuple's ``==`` takes an element that *is* the other as equal: NaN too)."""
    if len(names) != 1:
        return attrgetter(*names) if names else lambda self: ()
    only = attrgetter(names[0])  # a lone name gives the value bare
    return lambda self: (only(self),)


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(
    *, frozen: bool = True, slots: bool = False, eq: bool = True
) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(
    cls: type[T] | None = None, /, *, frozen: bool = True, slots: bool = False, eq: bool = True
) -> Any:
    """Make ``cls`` a dataclass, frozen unless ``frozen=False``, with ``record``'s methods.

    ``==`` holds between two objects of the same class whose fields (those with
    ``compare=True``) are equal, and is ``NotImplemented`` against any other class;
    a frozen record hashes the same fields, a mutable one is unhashable. ``eq=False``
    keeps identity for both. A class with a repr, ``==``, hash or (frozen) attribute
    setter of its own is refused: it would be replaced without a word.
    """

    def make(cls: type[T]) -> type[T]:
        return _made(cls, frozen=frozen, slots=slots, eq=eq)

    return make if cls is None else make(cls)


def _made(cls: type[T], *, frozen: bool, slots: bool, eq: bool) -> type[T]:
    given = {"__repr__"} | ({"__eq__", "__hash__"} if eq else set())
    given |= {"__setattr__", "__delattr__"} if frozen else set()
    if given & cls.__dict__.keys():
        clash = ", ".join(sorted(given & cls.__dict__.keys()))
        raise TypeError(f"{cls.__qualname__}: {clash} would be replaced by record's")
    # dataclasses' own refusals, with the parents record froze counted as frozen
    parents = [base for base in cls.__mro__[1:] if "__dataclass_fields__" in base.__dict__]
    if any(map(_frozen, parents)) and not frozen:
        raise TypeError("cannot inherit non-frozen dataclass from a frozen one")
    if not all(map(_frozen, parents)) and frozen:
        raise TypeError("cannot inherit frozen dataclass from a non-frozen one")
    # a frozen class whose __init__ record cannot make keeps all dataclasses' frozen methods
    plain = frozen and _plain(cls)
    if frozen and not plain and not all(b.__dict__["__dataclass_params__"].frozen for b in parents):
        # dataclasses would refuse a frozen child of a parent it was told is not frozen
        raise TypeError(
            f"{cls.__qualname__}: its parent is frozen by record, which cannot make its __init__"
        )
    made: Any = dataclass(
        cls, init=not plain, repr=False, eq=False, frozen=frozen and not plain, slots=slots
    )
    own = fields(made)
    made.__repr__ = field_repr
    if plain:
        made.__init__ = _init(made, own)
        made.__setattr__, made.__delattr__ = _refusing(made, tuple(f.name for f in own))
        if slots:  # as dataclasses does: unpickling sets the fields, which __setattr__ refuses
            made.__getstate__, made.__setstate__ = _state, _restore
    if eq:
        values = _compared([f.name for f in own if f.compare])

        def __eq__(self: Any, other: object) -> Any:
            if other.__class__ is self.__class__:
                return values(self) == values(other)
            return NotImplemented

        def __hash__(self: Any) -> int:
            return hash(values(self))

        made.__eq__ = __eq__
        made.__hash__ = __hash__ if frozen else None
    return made  # type: ignore[no-any-return]


def _frozen(cls: type) -> bool:
    """Whether the dataclass ``cls`` is frozen, by ``dataclasses`` or by ``record``."""
    return bool(
        cls.__dict__["__dataclass_params__"].frozen
        or getattr(cls.__dict__.get("__setattr__"), "frozen_by_record", False)
    )


def _refusing(cls: type[Any], names: tuple[str, ...]) -> tuple[Any, Any]:
    """A frozen class's ``__setattr__`` and ``__delattr__``, as dataclasses generates them."""

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    __setattr__.frozen_by_record = True  # type: ignore[attr-defined]
    __setattr__.__qualname__ = f"{cls.__qualname__}.__setattr__"
    __delattr__.__qualname__ = f"{cls.__qualname__}.__delattr__"
    return __setattr__, __delattr__


def _state(self: Any) -> list[Any]:
    """A frozen record with slots, pickled: its fields' values in order."""
    return [getattr(self, f.name) for f in fields(self)]


def _restore(self: Any, state: list[Any]) -> None:
    for f, value in zip(fields(self), state, strict=True):
        object.__setattr__(self, f.name, value)


def _plain(cls: type) -> bool:
    """Whether ``_init`` can make every field ``cls`` will have, read before ``dataclasses``
    makes them: no ``__init__`` of its own; no keyword-only field, nor an ``init=False`` one
    with a default (one without is left unset: ``__post_init__`` may set it); no ``InitVar``,
    ``ClassVar`` or ``KW_ONLY`` among the types (read as text: they may be strings); no field named ``self`` or starting with ``_`` (the maker's own names ``_0``,
    ``_1``, … could meet it); no parent frozen by ``dataclasses`` (it refuses a child that is
    not). Cautious: a doubt keeps the generated methods, and ``_init`` checks the fields
    once they are made."""
    if "__init__" in cls.__dict__ or any(
        getattr(base.__dict__.get("__dataclass_params__"), "frozen", False)
        for base in cls.__mro__[1:]
    ):
        return False
    inherited = [
        f
        for base in cls.__mro__[1:]
        for f in base.__dict__.get("__dataclass_fields__", {}).values()
    ]
    declared = [value for value in cls.__dict__.values() if isinstance(value, Field)]
    annotated = inspect.get_annotations(cls)
    kinds = [*annotated.values(), *(f.type for f in inherited)]
    names = [*annotated, *(f.name for f in inherited)]
    return not (
        any(f.kw_only is True or _set_though_left_out(f) for f in (*inherited, *declared))
        or any(word in str(kind) for kind in kinds for word in ("InitVar", "ClassVar", "KW_ONLY"))
        or any(name == "self" or name.startswith("_") for name in names)
    )


def _set_though_left_out(f: Field[Any]) -> bool:
    """An ``init=False`` field that the generated ``__init__`` still sets, from its default."""
    return not f.init and (f.default is not MISSING or f.default_factory is not MISSING)


def _init(cls: type, made: tuple[Field[Any], ...]) -> Any:
    """The ``__init__`` dataclasses would generate for the frozen ``cls``: the same
    parameters, in the same order, with the same defaults (a factory's stands for a call
    of it), then ``__post_init__``, so every call means what it meant. Each field is set by
    its slot's own setter where it has one (0.58 of the time of ``object.__setattr__``),
    else through ``object.__setattr__``, as the generated one does."""
    if len(made) != len(cls.__dataclass_fields__) or any(  # type: ignore[attr-defined]
        f.kw_only or _set_though_left_out(f) for f in made
    ):  # _plain let through a class it should have kept from here
        raise TypeError(f"{cls.__qualname__}: record cannot make its __init__")
    made = tuple(f for f in made if f.init)
    names = tuple(f.name for f in made)
    made_by = {k: f.default_factory for k, f in enumerate(made) if f.default_factory is not MISSING}
    defaults = tuple(
        _FACTORY if k in made_by else f.default
        for k, f in enumerate(made)
        if k in made_by or f.default is not MISSING
    )
    for f in made[len(made) - len(defaults) :]:  # dataclasses checks this only with init=True
        if f.default is MISSING and f.default_factory is MISSING:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    # a parent's slot, where the field is inherited
    slots: list[Any] = [getattr(cls, name, None) for name in names]
    shape = (len(names), tuple(made_by), hasattr(cls, "__post_init__"))
    if "__slots__" in cls.__dict__ and all(isinstance(s, MemberDescriptorType) for s in slots):
        setters = (slot.__set__ for slot in slots)
        init = _setting(*shape, named=False)(*setters, *made_by.values())
    else:
        init = _setting(*shape, named=True)(object.__setattr__, *names, *made_by.values())
    init.__code__ = init.__code__.replace(co_varnames=("self", *names))
    init.__defaults__ = defaults or None
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{f.name: f.type for f in made}, "return": None}
    init.__module__ = cls.__module__
    return init


class _Factory:
    """The default of a field made by a factory: its ``__init__`` calls the factory."""

    def __repr__(self) -> str:
        return "<factory>"  # as dataclasses shows it in a signature


_FACTORY = _Factory()


@cache
def _setting(count: int, made_by: tuple[int, ...], post_init: bool, named: bool) -> Any:
    """A maker of ``__init__(self, a, b, …)`` for ``count`` fields that calls ``_0(self, a)``,
    ``_1(self, b)``, … (a slot's setter each) or, ``named``, ``_set(self, _0, a)``, … (
    ``object.__setattr__`` and the fields' names); a field of ``made_by`` left at
    ``_FACTORY`` gets a call of its factory, ``_m0``, ``_m1``…; then ``__post_init__``, if
    ``post_init``, as the generated one calls it. Compiled once for each shape,
    its parameters renamed for each class (a compile, about 0.7M instructions, is paid at
    every start)."""
    names = [f"f{k}" for k in range(count)]
    values = [
        f"_m{made_by.index(k)}() if {name} is _FACTORY else {name}" if k in made_by else name
        for k, name in enumerate(names)
    ]
    calls = [
        f"_set(self, _{k}, {value})" if named else f"_{k}(self, {value})"
        for k, value in enumerate(values)
    ]
    given = [*(["_set"] if named else []), *(f"_{k}" for k in range(count))]
    given += [f"_m{k}" for k in range(len(made_by))]
    lines = [
        f"def make({', '.join(given)}):",
        f"    def __init__(self, {', '.join(names)}):",
        *[f"        {call}" for call in calls],
        "        self.__post_init__()" if post_init else "        pass",
        "    return __init__",
    ]
    space: dict[str, Any] = {}
    exec(
        compile("\n".join(lines), f"<record of {count} fields>", "exec"),
        {"_FACTORY": _FACTORY},
        space,
    )
    return space["make"]
