"""The examples in the package's docstrings are run, so they cannot go stale."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import baocao

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(baocao.__path__, "baocao.") if m.name != "baocao._metrics"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_doctests_exist_where_the_rules_are() -> None:
    counted = {
        name: doctest.testmod(importlib.import_module(name)).attempted
        for name in (
            "baocao.vietnamese",
            "baocao.body",
            "baocao.markup",
            "baocao.tables",
            "baocao.docx.ooxml",
        )
    }
    assert all(counted.values()), counted
