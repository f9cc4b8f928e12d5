"""Dataclasses declared ``repr=False, eq=False`` for start-up speed still print, compare and hash
as the methods ``dataclasses`` generates would."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from dataclasses import dataclass, field

import pytest

from baocao.records import field_repr, readable, record

MODULES = (
    "baocao.batch",
    "baocao.body",
    "baocao.bundle",
    "baocao.cache",
    "baocao.docx.package",
    "baocao.errors",
    "baocao.markup",
    "baocao.model",
    "baocao.nd30",
    "baocao.rendering",
    "baocao.source",
    "baocao.tables",
    "baocao.validation",
    "baocao.widths",
)


def test_the_shared_repr_prints_what_the_generated_one_would() -> None:
    @dataclass(frozen=True, slots=True)
    class Generated:
        name: str
        sizes: tuple[int, ...] = (13, 14)
        hidden: dict[str, int] = field(default_factory=dict, repr=False)
        inner: object = None

    @readable
    @dataclass(frozen=True, slots=True, repr=False)
    class Generated2:  # the same fields
        name: str
        sizes: tuple[int, ...] = (13, 14)
        hidden: dict[str, int] = field(default_factory=dict, repr=False)
        inner: object = None

    a = Generated("Báo cáo", (12,), {"x": 1}, Generated("trong"))
    b = Generated2("Báo cáo", (12,), {"x": 1}, Generated2("trong"))
    assert repr(b) == repr(a).replace("Generated(", "Generated2(")
    assert "hidden" not in repr(b)


@pytest.mark.parametrize("name", MODULES)
def test_no_dataclass_of_the_render_path_prints_as_a_bare_object(name: str) -> None:
    module = importlib.import_module(name)
    classes = [
        c
        for _, c in inspect.getmembers(module, inspect.isclass)
        if c.__module__ == name and dataclasses.is_dataclass(c)
    ]
    assert classes, name
    for cls in classes:
        assert cls.__repr__ is not object.__repr__, cls
        if cls.__dataclass_params__.repr is False:  # type: ignore[attr-defined]
            assert cls.__repr__ is field_repr, cls


def test_record_compares_and_hashes_as_the_generated_methods_would() -> None:
    @dataclass(frozen=True, slots=True)
    class Generated:
        name: str
        sizes: tuple[int, ...] = (13, 14)
        seen: int = field(default=0, compare=False)

    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Shared:  # the same fields
        name: str
        sizes: tuple[int, ...] = (13, 14)
        seen: int = field(default=0, compare=False)

    pairs = [
        (("Báo cáo", (12,), 1), ("Báo cáo", (12,), 2)),  # differ only where compare=False
        (("Báo cáo", (12,)), ("Báo cáo", (13,))),
        (("Báo cáo",), ("Tờ trình",)),
    ]
    for left, right in pairs:
        generated = Generated(*left) == Generated(*right)
        assert (Shared(*left) == Shared(*right)) is generated
        assert (Shared(*left) != Shared(*right)) is not generated
        if generated:
            assert hash(Shared(*left)) == hash(Shared(*right))
    assert Shared("a") == Shared("a") and len({Shared("a"), Shared("a"), Shared("b")}) == 2
    assert Shared("a") != Generated("a") and Shared("a") != ("a", (13, 14))
    assert Shared("a").__eq__(("a", (13, 14))) is NotImplemented
    assert repr(Shared("a", seen=3)) == repr(Generated("a", seen=3)).replace("Generated", "Shared")


def test_a_record_of_one_field_or_none_compares_by_them() -> None:
    @record
    @dataclass(frozen=True, repr=False, eq=False)
    class One:
        number: int

    @record
    @dataclass(frozen=True, repr=False, eq=False)
    class Nothing:
        pass

    assert One(1) == One(1) and One(1) != One(2) and hash(One(1)) == hash(One(1))
    nan = float("nan")
    assert One(nan) == One(nan)  # the same object, as the generated (nan,) == (nan,)
    assert One(nan) != One(float("nan"))
    assert Nothing() == Nothing() and hash(Nothing()) == hash(Nothing())
    assert repr(Nothing()) == f"{Nothing.__qualname__}()"  # as dataclasses names it


def test_a_mutable_record_compares_but_is_unhashable_as_a_generated_one() -> None:
    @record
    @dataclass(repr=False, eq=False)
    class Rows:
        cells: list[str]

    rows = Rows(["a"])
    assert rows == Rows(["a"]) and rows != Rows(["b"])
    rows.cells.append("b")
    assert rows == Rows(["a", "b"])
    with pytest.raises(TypeError):
        hash(rows)


@pytest.mark.parametrize(
    "declared",
    [{"repr": True, "eq": False}, {"repr": False, "eq": True}, {"repr": True, "eq": True}],
)
def test_record_refuses_a_class_whose_generated_methods_it_would_replace(
    declared: dict[str, bool],
) -> None:
    with pytest.raises(TypeError, match="repr=False, eq=False"):

        @record
        @dataclass(frozen=True, **declared)
        class Named:
            name: str


def test_record_refuses_a_class_with_an_equality_of_its_own() -> None:
    with pytest.raises(TypeError, match="repr=False, eq=False"):

        @record
        @dataclass(frozen=True, repr=False, eq=False)
        class Folded:
            name: str

            def __eq__(self, other: object) -> bool:
                return isinstance(other, Folded) and self.name.lower() == other.name.lower()

            __hash__ = object.__hash__


@pytest.mark.parametrize("name", MODULES)
def test_every_record_of_the_render_path_compares_by_its_fields(name: str) -> None:
    module = importlib.import_module(name)
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != name or not dataclasses.is_dataclass(cls):
            continue
        if cls.__eq__ is object.__eq__:  # compares by identity: declared so, on purpose
            assert cls.__dataclass_params__.eq is False, cls  # type: ignore[attr-defined]
            continue
        generated = cls.__dataclass_params__.eq  # type: ignore[attr-defined]
        assert generated or cls.__eq__.__qualname__ == "record.<locals>.__eq__", cls
