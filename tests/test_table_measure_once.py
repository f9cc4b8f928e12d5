"""A table's columns are measured once per render (issue 20): validation measures them for its
warnings and hands the measure to the layout with the table's model (``Validated.tables``)."""

from __future__ import annotations

from typing import Any

import pytest

import baocao
from baocao import markup, tables
from baocao import widths as table_widths
from tests.conftest import EXAMPLES
from tests.docx_facts import Docx

WITH_TABLES = sorted(
    path for path in EXAMPLES.glob("*.yaml") if "bang:" in path.read_text(encoding="utf-8")
)


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> list[tables.Table]:
    """Every table model measured from now on: the real measure runs, and is counted."""
    seen: list[tables.Table] = []
    real = table_widths._measured_columns

    def counting(model: tables.Table, points: int) -> Any:
        seen.append(model)
        return real(model, points)

    monkeypatch.setattr(table_widths, "_measured_columns", counting)
    return seen


def _specs(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [spec for _, spec in markup.blocks_of(data, "bang")]


@pytest.mark.parametrize("path", WITH_TABLES, ids=lambda p: p.name[:3])
def test_each_table_is_measured_once_per_render(path: Any, measured: list[tables.Table]) -> None:
    validated = baocao.validate(baocao.load(path))
    specs = _specs(validated.data)
    assert specs, path.name
    after_validation = len(measured)
    printed = Docx(baocao.render(validated))
    # Validation measured every table once (its width warnings); the layout measured none again.
    assert after_validation == len(specs)
    assert len(measured) == len(specs)
    assert {id(model) for model in measured} == {id(validated.tables.of(s)) for s in specs}
    assert len(printed.tables()) > len(specs)  # they are printed, after the header table


def test_a_long_report_measures_each_table_once(measured: list[tables.Table]) -> None:
    text = (EXAMPLES / "000-pci-quang-nam-2021.yaml").read_text(encoding="utf-8")
    data = baocao.load(text).data
    validated = baocao.validate({**data, "noi_dung": data["noi_dung"] * 20})
    baocao.render(validated)
    assert len(_specs(validated.data)) == 20
    assert len(measured) == 20
