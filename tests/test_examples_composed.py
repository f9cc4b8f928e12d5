"""Examples 009 and 010: composed reports shaped like real ones, every table and page feature.

They are read back from the .docx they render (the tables' printed cells), so a
change that silently alters a merged cell, a given numeral or an average shows here.
"""

from __future__ import annotations

from pathlib import Path

import baocao
from tests.conftest import EXAMPLES, MINIMAL, render_text
from tests.docx_facts import NS, Docx, q


def example(name: str) -> tuple[Path, Docx]:
    (path,) = EXAMPLES.glob(f"{name}-*.yaml")
    return path, Docx(baocao.render(baocao.validate(baocao.load(path))))


def grid(doc: Docx, index: int) -> list[list[str]]:
    """A table's rows as printed: each cell's text, ``<n>`` after it when it spans n columns."""
    out = []
    for row in doc.tables()[index].findall("w:tr", NS):
        cells = []
        for cell in row.findall("w:tc", NS):
            span = cell.find("w:tcPr/w:gridSpan", NS)
            text = "".join(cell.itertext())
            cells.append(text if span is None else f"{text}<{span.get(q('w:val'))}>")
        out.append(cells)
    return out


def test_an_average_row_averages_a_column_computed_by_an_additive_formula() -> None:
    """``phep_tinh: trung_binh`` reads a ``(4)=(2)+(3)`` column too: the mean, not the sum."""
    table = (
        "      cot: [Đơn vị, Điểm A, Điểm B, Tổng]\n"
        '      cong_thuc: ["(4)=(2)+(3)"]\n'
        "      dong:\n"
        "        - [Sở A, 8, 2, ~]\n"
        "        - [Sở B, 6, 4, ~]\n"
        "        - {cong: true, nhan: Bình quân, phep_tinh: trung_binh}\n"
    )
    doc = render_text(MINIMAL.replace("  - Nội dung.\n", "  - bang:\n" + table))
    rows = [["".join(c.itertext()) for c in r.findall("w:tc", NS)] for r in doc.tables()[1]]
    rows = [r for r in rows if r]
    assert rows[-1] == ["Bình quân", "7", "3", "10"]  # (10 + 10) / 2, not 20
