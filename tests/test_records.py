"""Dataclasses declared ``repr=False`` for start-up speed still print as dataclasses do."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from dataclasses import dataclass, field

import pytest

from baocao.records import field_repr, readable

MODULES = (
    "baocao.body",
    "baocao.bundle",
    "baocao.cache",
    "baocao.docx.package",
    "baocao.model",
    "baocao.nd30",
    "baocao.rendering",
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
