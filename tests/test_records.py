"""``record`` makes dataclasses whose methods are shared or made once, not compiled per class:
they still print, compare, hash, refuse assignment, pickle and take their arguments as the
methods ``dataclasses`` generates would."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from baocao.records import field_repr, record

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
    "baocao.schema",
    "baocao.source",
    "baocao.tables",
    "baocao.validation",
    "baocao.widths",
)


def _made_by_record(cls: type) -> bool:
    return cls.__init__.__code__.co_filename.startswith("<record of ")


def _records(name: str) -> list[type]:
    module = importlib.import_module(name)
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == name and dataclasses.is_dataclass(cls) and cls.__repr__ is field_repr
    ]


@record(slots=True)
class Pickled:  # module level: pickle finds a class by its name
    style: str
    runs: tuple[str, ...] = ()


@record
class PickledPlain:
    style: str
    size: int = 13


def test_the_shared_repr_prints_what_the_generated_one_would() -> None:
    @dataclass(frozen=True, slots=True)
    class Generated:
        name: str
        sizes: tuple[int, ...] = (13, 14)
        hidden: dict[str, int] = field(default_factory=dict, repr=False)
        inner: object = None

    @record(slots=True, eq=False)
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

    @record(slots=True)
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
    class One:
        number: int

    @record
    class Nothing:
        pass

    assert One(1) == One(1) and One(1) != One(2) and hash(One(1)) == hash(One(1))
    nan = float("nan")
    assert One(nan) == One(nan)  # the same object, as the generated (nan,) == (nan,)
    assert One(nan) != One(float("nan"))
    assert Nothing() == Nothing() and hash(Nothing()) == hash(Nothing())
    assert repr(Nothing()) == f"{Nothing.__qualname__}()"  # as dataclasses names it


def test_a_mutable_record_compares_but_is_unhashable_as_a_generated_one() -> None:
    @record(frozen=False)
    class Rows:
        cells: list[str]

    rows = Rows(["a"])
    assert rows == Rows(["a"]) and rows != Rows(["b"])
    rows.cells.append("b")
    rows.cells = [*rows.cells]  # assignable
    assert rows == Rows(["a", "b"])
    with pytest.raises(TypeError):
        hash(rows)


def test_a_record_compared_by_identity_keeps_identity() -> None:
    @record(eq=False)
    class Kept:
        name: str

    a = Kept("a")
    assert a == a and a != Kept("a") and hash(a) == object.__hash__(a)
    assert repr(a) == f"{Kept.__qualname__}(name='a')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "b"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("__repr__", {}),
        ("__eq__", {}),
        ("__hash__", {}),
        ("__setattr__", {}),
        ("__delattr__", {}),
    ],
)
def test_record_refuses_a_class_whose_own_method_it_would_replace(
    method: str, kwargs: dict[str, bool]
) -> None:
    body: dict[str, Any] = {"__annotations__": {"name": "str"}, method: lambda *args: None}
    with pytest.raises(TypeError, match=f"{method}.* would be replaced by record's"):
        record(**kwargs)(type("Named", (), body))


def test_a_mutable_record_or_one_compared_by_identity_keeps_the_methods_it_does_not_give() -> None:
    def setter(self: Any, name: str, value: object) -> None:
        object.__setattr__(self, name, value.upper() if isinstance(value, str) else value)

    upper = record(frozen=False)(
        type("Upper", (), {"__annotations__": {"name": "str"}, "__setattr__": setter})
    )
    assert upper("a").name == "A" and not _made_by_record(upper)

    def same(self: Any, other: object) -> bool:
        return True

    kept = record(eq=False)(type("Kept", (), {"__annotations__": {"n": "int"}, "__eq__": same}))
    assert kept(1) == kept(2)


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
        assert generated or cls.__eq__.__qualname__ == "_made.<locals>.__eq__", cls


def _twins(slots: bool) -> tuple[type, type]:
    """A frozen class with every kind of parameter, as dataclasses makes it and as a record."""

    @dataclass(frozen=True, slots=slots)
    class Made:
        style: str
        runs: tuple[str, ...] = ()
        align: str | None = None
        size: int | None = 13

    @record(slots=slots)
    class Made2:  # the same fields
        style: str
        runs: tuple[str, ...] = ()
        align: str | None = None
        size: int | None = 13

    return Made, Made2


CALLS = [
    (("BCNoiDung",), {}),
    (("BCNoiDung", ("a",), "center", 12), {}),
    (("BCNoiDung",), {"size": 14}),
    ((), {"style": "BCBang", "align": "right"}),
    (("BCNoiDung", ("a",)), {"size": None, "align": "both"}),
]


@pytest.mark.parametrize("slots", [True, False])
@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_a_frozen_record_is_made_as_the_generated_init_would(
    args: tuple[object, ...], kwargs: dict[str, object], slots: bool
) -> None:
    made, made2 = _twins(slots)
    assert _made_by_record(made2) and not _made_by_record(made)
    assert made2.__init__.__qualname__ == "_twins.<locals>.Made2.__init__"
    assert made2.__init__.__annotations__ == made.__init__.__annotations__
    assert made2.__match_args__ == made.__match_args__  # type: ignore[attr-defined]
    a, b = made(*args, **kwargs), made2(*args, **kwargs)
    assert dataclasses.astuple(a) == dataclasses.astuple(b)
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    assert inspect.signature(made2) == inspect.signature(made)
    assert dataclasses.replace(b, size=9).size == 9
    assert b == made2(*args, **kwargs) and hash(b) == hash(made2(*args, **kwargs))
    assert ("__dict__" in dir(b)) is not slots


@pytest.mark.parametrize("slots", [True, False])
def test_a_frozen_record_refuses_assignment_as_a_generated_one(slots: bool) -> None:
    made, made2 = _twins(slots)
    for obj in (made("a"), made2("a")):
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'size'"):
            obj.size = 1
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'style'"):
            del obj.style
        assert obj.size == 13 and obj.style == "a"
    with pytest.raises(dataclasses.FrozenInstanceError):
        made2("a").other = 1  # on the class itself any name is refused (on Python 3.10 and
        # 3.11 dataclasses' own, with slots, raises TypeError there: it tests the class
        # it had before it added the slots)


@pytest.mark.parametrize("slots", [True, False])
@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((), {}),  # the style missing
        (("a", (), None, 13, "extra"), {}),
        (("a",), {"colour": "red"}),  # a field it does not have
        (("a",), {"style": "b"}),  # a field twice
    ],
)
def test_a_frozen_record_refuses_the_calls_the_generated_init_refuses(
    args: tuple[object, ...], kwargs: dict[str, object], slots: bool
) -> None:
    made, made2 = _twins(slots)
    with pytest.raises(TypeError) as generated:
        made(*args, **kwargs)
    with pytest.raises(TypeError) as ours:
        made2(*args, **kwargs)
    assert str(ours.value) == str(generated.value).replace("Made.", "Made2.")


@pytest.mark.parametrize("slots", [True, False])
def test_a_frozen_record_calls_a_field_s_factory_for_each_object_as_the_generated_init_does(
    slots: bool,
) -> None:
    @dataclass(frozen=True, slots=slots)
    class Made:
        style: str
        params: dict[str, int] = field(default_factory=dict)
        runs: tuple[str, ...] = ()
        notes: list[str] = field(default_factory=lambda: ["a"])

    @record(slots=slots)
    class Made2:  # the same fields
        style: str
        params: dict[str, int] = field(default_factory=dict)
        runs: tuple[str, ...] = ()
        notes: list[str] = field(default_factory=lambda: ["a"])

    assert _made_by_record(Made2)
    assert str(inspect.signature(Made2)) == str(inspect.signature(Made))
    for args in [("x",), ("x", {"n": 1}), ("x", {}, ("r",), ["b"])]:
        assert dataclasses.astuple(Made2(*args)) == dataclasses.astuple(Made(*args))
    assert Made2("x", runs=("r",)).notes == ["a"]
    first, second = Made2("x"), Made2("x")
    assert first.params is not second.params and first.notes is not second.notes
    given: dict[str, int] = {}
    assert Made2("x", given).params is given


@pytest.mark.parametrize("slots", [True, False])
@pytest.mark.parametrize("frozen", [True, False])
def test_a_record_calls_its_post_init_as_the_generated_init_does(slots: bool, frozen: bool) -> None:
    seen: list[str] = []

    @record(frozen=frozen, slots=slots)
    class Checked:
        name: str
        size: int = 13

        def __post_init__(self) -> None:
            if not self.name:
                raise ValueError("empty")
            seen.append(self.name)

    assert _made_by_record(Checked) is frozen  # a mutable record keeps the generated one
    assert Checked("a").size == 13 and Checked("b", 9).size == 9 and seen == ["a", "b"]
    with pytest.raises(ValueError, match="empty"):
        Checked("")


@pytest.mark.parametrize("slots", [True, False])
def test_a_record_leaves_a_field_out_of_init_as_the_generated_one_does(slots: bool) -> None:
    @dataclass(frozen=True, slots=slots)
    class Made:
        text: str
        length: int = field(init=False, repr=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "length", len(self.text))

    @record(slots=slots)
    class Made2:  # the same fields
        text: str
        length: int = field(init=False, repr=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "length", len(self.text))

    assert _made_by_record(Made2)
    assert str(inspect.signature(Made2)) == str(inspect.signature(Made))
    assert Made2("abc").length == 3 and repr(Made2("a")) == repr(Made("a")).replace("Made", "Made2")
    with pytest.raises(TypeError):
        Made2("a", 1)  # type: ignore[call-arg]


@pytest.mark.parametrize("slots", [True, False])
def test_a_mutable_record_keeps_the_generated_init(slots: bool) -> None:
    @dataclass(slots=slots)
    class Made:
        cells: list[str]
        title: str = ""
        notes: list[str] = field(default_factory=list)

    @record(frozen=False, slots=slots)
    class Made2:  # the same fields
        cells: list[str]
        title: str = ""
        notes: list[str] = field(default_factory=list)

    assert not _made_by_record(Made2)  # it assigns: quicker than any call
    assert str(inspect.signature(Made2)) == str(inspect.signature(Made))
    rows = Made2(["a"], "b")
    assert dataclasses.astuple(rows) == dataclasses.astuple(Made(["a"], "b"))
    rows.title = "c"
    del rows.title
    rows.title = "d"
    assert rows == Made2(["a"], "d") and rows.notes is not Made2([]).notes


@pytest.mark.parametrize("cls", [Pickled, PickledPlain])
def test_a_frozen_record_pickles_and_copies(cls: type) -> None:
    made = cls("BCNoiDung", ("a",)) if cls is Pickled else cls("BCNoiDung", 14)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(made, protocol))
        assert again == made and again is not made
    assert copy.copy(made) == made and copy.deepcopy(made) == made


def test_a_record_with_a_default_before_a_field_without_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument 'size' follows default argument"):

        @record(slots=True)
        class Wrong:
            style: str = "BCNoiDung"
            size: int  # type: ignore[misc]


def test_a_record_it_cannot_make_the_same_way_keeps_the_generated_methods() -> None:
    @record(slots=True)
    class KeywordOnly:
        name: str
        size: int = field(default=13, kw_only=True)

    @record(slots=True)
    class Private:
        _name: str

    @record
    class Counted:
        name: str
        made: ClassVar[int] = 0

    @record
    class Defaulted:
        name: str
        size: int = field(default=13, init=False)

    @dataclass(frozen=True)
    class Parent:
        name: str

    @record
    class Child(Parent):
        size: int = 13

    for cls in (KeywordOnly, Private, Counted, Defaulted, Child):
        assert not _made_by_record(cls), cls
    assert KeywordOnly("a", size=9).size == 9
    assert Counted("a").made == 0 and Child("a", 9).size == 9 and Defaulted("a").size == 13
    for frozen in (KeywordOnly("a"), Private("a"), Child("a")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(frozen, dataclasses.fields(frozen)[0].name, "b")


def test_a_frozen_record_that_inherits_fields_sets_them_all() -> None:
    @record(slots=True)
    class Parent:
        text: str
        bold: bool = False

    @record(slots=True)
    class Child(Parent):
        size: int = 13

    child = Child("a", True, 14)
    assert _made_by_record(Child)
    assert (child.text, child.bold, child.size) == ("a", True, 14)
    assert Child("b").size == 13 and Child("b").bold is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        child.text = "b"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("parent_frozen", "child_frozen", "refusal"),
    [
        (True, False, "cannot inherit non-frozen dataclass from a frozen one"),
        (False, True, "cannot inherit frozen dataclass from a non-frozen one"),
    ],
)
def test_a_record_refuses_the_parents_dataclasses_refuses(
    parent_frozen: bool, child_frozen: bool, refusal: str
) -> None:
    def parent(make: Any) -> type:
        return make(type("Parent", (), {"__annotations__": {"text": "str"}}))  # type: ignore[no-any-return]

    generated, ours = parent(dataclass(frozen=parent_frozen)), parent(record(frozen=parent_frozen))
    # dataclasses itself reads a frozen record as not frozen: only record refuses under one
    for base, child in [
        (generated, dataclass(frozen=child_frozen)),
        (generated, record(frozen=child_frozen)),
        (ours, record(frozen=child_frozen)),
    ]:
        with pytest.raises(TypeError, match=refusal):
            child(type("Child", (base,), {"__annotations__": {}}))


def test_a_frozen_record_it_cannot_make_under_a_parent_it_made_is_refused() -> None:
    @record
    class Parent:
        text: str

    with pytest.raises(TypeError, match="its parent is frozen by record"):

        @record
        class Child(Parent):
            size: int = field(default=13, kw_only=True)


@pytest.mark.parametrize("name", MODULES)
def test_every_frozen_record_of_the_render_path_is_made_by_record_unless_it_cannot_be(
    name: str,
) -> None:
    for cls in _records(name):
        frozen = cls.__dataclass_params__.frozen or cls.__setattr__ is not object.__setattr__  # type: ignore[attr-defined]
        if not frozen:
            continue
        assert _made_by_record(cls), cls
