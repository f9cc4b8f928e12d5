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


def _made_by_record(cls: type) -> bool:
    return cls.__init__.__code__.co_filename.startswith("<record of ")


def _twins() -> tuple[type, type]:
    """A frozen slotted class with every kind of parameter, as dataclasses makes it and as a
    record."""

    @dataclass(frozen=True, slots=True)
    class Made:
        style: str
        runs: tuple[str, ...] = ()
        align: str | None = None
        size: int | None = 13

    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Made2:  # the same fields
        style: str
        runs: tuple[str, ...] = ()
        align: str | None = None
        size: int | None = 13

    return Made, Made2


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("BCNoiDung",), {}),
        (("BCNoiDung", ("a",), "center", 12), {}),
        (("BCNoiDung",), {"size": 14}),
        ((), {"style": "BCBang", "align": "right"}),
        (("BCNoiDung", ("a",)), {"size": None, "align": "both"}),
    ],
)
def test_a_frozen_record_with_slots_is_made_as_the_generated_init_would(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    made, made2 = _twins()
    assert _made_by_record(made2) and not _made_by_record(made)
    assert made2.__init__.__qualname__ == "_twins.<locals>.Made2.__init__"
    a, b = made(*args, **kwargs), made2(*args, **kwargs)
    assert dataclasses.astuple(a) == dataclasses.astuple(b)
    assert inspect.signature(made2) == inspect.signature(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.size = 1  # type: ignore[misc]
    assert dataclasses.replace(b, size=9).size == 9
    assert b == made2(*args, **kwargs) and hash(b) == hash(made2(*args, **kwargs))


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((), {}),  # the style missing
        (("a", (), None, 13, "extra"), {}),
        (("a",), {"colour": "red"}),  # a field it does not have
        (("a",), {"style": "b"}),  # a field twice
    ],
)
def test_a_frozen_record_with_slots_refuses_the_calls_the_generated_init_refuses(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    made, made2 = _twins()
    with pytest.raises(TypeError) as generated:
        made(*args, **kwargs)
    with pytest.raises(TypeError) as ours:
        made2(*args, **kwargs)
    assert str(ours.value) == str(generated.value).replace("Made.", "Made2.")


def test_a_record_it_cannot_make_the_same_way_keeps_the_generated_init() -> None:
    @record
    @dataclass(frozen=True, repr=False, eq=False)
    class NoSlots:
        name: str

    @record
    @dataclass(slots=True, repr=False, eq=False)
    class Mutable:
        name: str

    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Made:
        name: str
        sizes: dict[str, int] = field(default_factory=dict)

    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class KeywordOnly:
        name: str
        size: int = field(default=13, kw_only=True)

    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            if not self.name:
                raise ValueError("empty")

    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Private:
        _name: str

    for cls in (NoSlots, Mutable, Made, KeywordOnly, Checked, Private):
        assert not _made_by_record(cls), cls
    assert Made("a").sizes == {} and Made("b").sizes is not Made("c").sizes
    assert KeywordOnly("a", size=9).size == 9
    with pytest.raises(ValueError, match="empty"):
        Checked("")


def test_a_frozen_record_with_slots_that_inherits_fields_sets_them_all() -> None:
    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Parent:
        text: str
        bold: bool = False

    @record
    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Child(Parent):
        size: int = 13

    child = Child("a", True, 14)
    assert _made_by_record(Child)
    assert (child.text, child.bold, child.size) == ("a", True, 14)
    assert Child("b").size == 13 and Child("b").bold is False


@pytest.mark.parametrize("name", MODULES)
def test_every_frozen_record_with_slots_of_the_render_path_is_made_by_its_slots(name: str) -> None:
    module = importlib.import_module(name)
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != name or cls.__eq__.__qualname__ != "record.<locals>.__eq__":
            continue
        if cls.__dataclass_params__.frozen and "__slots__" in cls.__dict__:
            assert _made_by_record(cls), cls
