"""Examples 009 and 010: composed reports shaped like real ones, every table and page feature.

They are read back from the .docx they render (the tables' printed cells), so a
change that silently alters a merged cell, a given numeral or an average shows here.
"""

from __future__ import annotations

from pathlib import Path

import baocao
from tests.conftest import EXAMPLES, MINIMAL, render_text
from tests.docx_facts import NS, Docx, grid, q


def example(name: str) -> tuple[Path, Docx]:
    (path,) = EXAMPLES.glob(f"{name}-*.yaml")
    return path, Docx(baocao.render(baocao.validate(baocao.load(path))))


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


def test_example_009_scoring_table_prints_groups_labels_and_quoted_values() -> None:
    _, doc = example("009")
    scores = grid(doc, 1)
    assert scores[1][4] == "(5) = (4) ÷ (3) × 100"
    numerals = [row[0] for row in scores if row[0] in ("III", "III.1", "III.2", "VIII")]
    assert numerals == ["III", "III.1", "III.2", "VIII"]
    group_iii = next(row for row in scores if row[0] == "III")
    assert group_iii[2:5] == ["15,5", "13,75", "88,7"]  # III.1 + III.2 on the group line
    bonus = next(row for row in scores if row[0].startswith("Điểm thưởng"))
    assert bonus[0].endswith("<2>") and bonus[1:4] == ["1", "1", "100,0"]
    assert scores[-1] == [
        "CHỈ SỐ CHUNG<2>",
        "100",
        "88,25",
        "88,3",
        "62/68 tiêu chí thành phần đạt điểm tối đa",
    ]
    years = grid(doc, 2)
    assert [row[0] for row in years[1:]] == ["2023", "2024", "2025"]
    assert years[-1][3] == "09"  # quoted, printed as typed


def test_example_009_wide_table_is_landscape_in_place_with_its_average_row() -> None:
    _, doc = example("009")
    wide = grid(doc, 3)
    assert len(wide[2]) == 15
    assert wide[-1][0] == "Bình quân<2>" and wide[-1][-4:-2] == ["84,25", "84,73"]
    orientations = [size.get(q("w:orient"), "portrait") for size in doc.document.iter(q("w:pgSz"))]
    assert orientations == ["portrait", "landscape", "portrait"]
    assert "GIÁM ĐỐC SỞ NỘI VỤ" in doc.text


def test_example_010_appendix_tasks_have_merged_owners_and_notes() -> None:
    _, doc = example("010")
    tasks = grid(doc, 3)
    merged = [row for row in tasks if any(c.endswith("; UBND các xã, phường<2>") for c in row)]
    assert len(merged) == 4
    assert tasks[2][-1] == "Gửi Sở Nội vụbản điện tử"  # two paragraphs, spanning three rows
    text = doc.text
    for passage in (
        "PHỤ LỤC",
        "Biểu mẫu 01",
        "Biểu mẫu 02",
        "(Ô ghi chung “Chủ trì, phối hợp” là nhiệm vụ mỗi cơ quan tự thực hiện)",
        "KT. CHỦ TỊCH",
    ):
        assert passage in text, passage
    # trang_moi: the one page break in the document, right before the second form's title
    (page_break,) = doc.document.xpath("//w:body/w:p[w:r/w:br[@w:type='page']]", namespaces=NS)
    assert "".join(page_break.getnext().itertext()).startswith("Biểu mẫu 02")
