"""Statistics tables: merged headers, column numbers, STT, groups, totals and formulas."""

from __future__ import annotations

import pytest

from baocao import ValidationFailed, load, validate
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text
from tests.docx_facts import NS, Docx, q

HEADER_004 = """\
      tieu_de_cot:
        - [{chu: STT, doc: 3}, {chu: Lĩnh vực, doc: 3}, {chu: Tiếp nhận, ngang: 4}, {chu: Đã giải quyết, ngang: 2}]
        - [{chu: Tổng số, doc: 2}, {chu: Trong kỳ, ngang: 2}, {chu: Từ kỳ trước, doc: 2}, {chu: Tổng số, doc: 2}, {chu: Quá hạn, doc: 2}]
        - [Trực tuyến, "Trực tiếp, bưu chính"]
      so_cot: ["(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)", "(8)"]
      cong_thuc: ["(3)=(4)+(5)+(6)"]
"""


def report_with_table(table: str) -> str:
    return MINIMAL.replace("  - Nội dung.\n", "  - bang:\n" + table)


def table_of(doc: Docx, index: int = 1):  # type: ignore[no-untyped-def]
    return doc.tables()[index]


def cells(row) -> list[tuple[str, int, str | None]]:  # type: ignore[no-untyped-def]
    out = []
    for tc in row.findall("w:tc", NS):
        span = tc.find("w:tcPr/w:gridSpan", NS)
        merge = tc.find("w:tcPr/w:vMerge", NS)
        out.append(
            (
                "".join(tc.itertext()),
                int(span.get(q("w:val"))) if span is not None else 1,
                None if merge is None else merge.get(q("w:val"), "continue"),
            )
        )
    return out


@pytest.fixture(scope="module")
def seed_004_like() -> Docx:
    rows = """\
      dong:
        - [1, Bưu chính, 0, 0, 0, 0, 0, 0]
        - [2, Báo chí, 1, 1, 0, 0, 1, 0]
        - [3, Xuất bản, ~, 12, 5, 0, 17, 0]
      tong_cong: [18, 13, 5, 0, ~, 0]
"""
    return render_text(report_with_table(HEADER_004 + rows))


def test_three_level_header_merges_cells(seed_004_like: Docx) -> None:
    rows = table_of(seed_004_like).findall("w:tr", NS)
    assert cells(rows[0]) == [
        ("STT", 1, "restart"),
        ("Lĩnh vực", 1, "restart"),
        ("Tiếp nhận", 4, None),
        ("Đã giải quyết", 2, None),
    ]
    assert cells(rows[1]) == [
        ("", 1, "continue"),
        ("", 1, "continue"),
        ("Tổng số", 1, "restart"),
        ("Trong kỳ", 2, None),
        ("Từ kỳ trước", 1, "restart"),
        ("Tổng số", 1, "restart"),
        ("Quá hạn", 1, "restart"),
    ]
    assert cells(rows[2]) == [
        ("", 1, "continue"),
        ("", 1, "continue"),
        ("", 1, "continue"),
        ("Trực tuyến", 1, None),
        ("Trực tiếp, bưu chính", 1, None),
        ("", 1, "continue"),
        ("", 1, "continue"),
        ("", 1, "continue"),
    ]
    grid = table_of(seed_004_like).findall("w:tblGrid/w:gridCol", NS)
    assert len(grid) == 8


def test_header_and_column_number_rows_repeat_on_every_page(seed_004_like: Docx) -> None:
    rows = table_of(seed_004_like).findall("w:tr", NS)
    repeated = [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows]
    assert repeated == [True, True, True, True, False, False, False, False]
    assert [t for t, _, _ in cells(rows[3])][:3] == ["(1)", "(2)", "(3)=(4)+(5)+(6)"]


def test_blank_cells_are_computed_from_formula_and_total(seed_004_like: Docx) -> None:
    rows = table_of(seed_004_like).findall("w:tr", NS)
    assert [t for t, _, _ in cells(rows[6])] == ["3", "Xuất bản", "17", "12", "5", "0", "17", "0"]
    assert cells(rows[7])[0] == ("TỔNG CỘNG", 2, None)
    assert [t for t, _, _ in cells(rows[7])][1:] == ["18", "13", "5", "0", "18", "0"]
    total = seed_004_like.find("TỔNG CỘNG")
    assert total.toggles("b") == {True}


def test_numbers_right_aligned_and_stt_centred(seed_004_like: Docx) -> None:
    row = table_of(seed_004_like).findall("w:tr", NS)[5]
    aligns = [tc.find(".//w:jc", NS).get(q("w:val")) for tc in row.findall("w:tc", NS)]
    assert aligns == ["center", "left"] + ["right"] * 6


def problems(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"))
    return [describe_issue(i) for i in caught.value.issues]


def test_a_wrong_total_names_row_column_typed_and_computed() -> None:
    rows = """\
      dong:
        - [1, Bưu chính, 1, 1, 0, 0, 1, 0]
        - [2, Báo chí, 1, 1, 0, 0, 1, 0]
      tong_cong: [3, 2, 0, 0, 2, 0]
"""
    assert problems(report_with_table(HEADER_004 + rows)) == [
        "bc.yaml:18:7: noi_dung[0].bang.tong_cong: TỔNG CỘNG, cột (3) Tổng số: "
        "ghi 3 nhưng cộng các dòng được 2"
    ]


def test_a_row_that_breaks_its_formula() -> None:
    rows = """\
      dong:
        - [1, Bưu chính, 5, 1, 2, 0, 0, 0]
"""
    assert problems(report_with_table(HEADER_004 + rows)) == [
        "bc.yaml:16:11: noi_dung[0].bang.dong[0]: dòng 1 (Bưu chính), cột (3) Tổng số: "
        "ghi 5 nhưng theo công thức (3)=(4)+(5)+(6) phải là 3"
    ]


def test_formula_and_header_shape_errors() -> None:
    table = """\
      tieu_de_cot:
        - [{chu: A, ngang: 2}, B]
        - [C]
      cong_thuc: ["(3)=(4)+(1)", "3 = 1 x 2"]
      dong: [[1, 2, 3]]
"""
    assert problems(report_with_table(table)) == [
        "bc.yaml:9:7: noi_dung[0].bang.tieu_de_cot: dòng tiêu đề cột thứ 2 phủ 1 cột nhưng bảng có 3 cột; "
        "kiểm tra các ô gộp (ngang, doc)",
        "bc.yaml:12:7: noi_dung[0].bang.cong_thuc: công thức “(3)=(4)+(1)” dùng cột không có (bảng có 3 cột)",
        "bc.yaml:12:7: noi_dung[0].bang.cong_thuc: công thức “3 = 1 x 2” không đúng dạng; viết như (3)=(4)+(5)+(6) "
        "hoặc (5)=(4)/(3)*100 (nhân: * hoặc ×, chia: / hoặc ÷)",
    ]


def test_table_needs_exactly_one_header_kind() -> None:
    assert problems(report_with_table("      dong: [[1]]\n")) == [
        "bc.yaml:8:5: noi_dung[0].bang: bảng cần đúng một kiểu tiêu đề cột: cot (một dòng) "
        "hoặc tieu_de_cot (nhiều dòng, có ô gộp); ở đây có: —"
    ]


def test_automatic_stt_with_groups_and_subtotals() -> None:
    table = """\
      cot: [Đơn vị, Hồ sơ, Đúng hạn]
      stt: true
      dong:
        - {nhom: Cấp tỉnh}
        - [Sở A, 10, 9]
        - [Sở B, 5, 5]
        - {cong: true}
        - {nhom: Cấp huyện}
        - [Huyện C, 7, 7]
        - {cong: [7, 7], nhan: Cộng cấp huyện}
      tong_cong: true
"""
    doc = render_text(report_with_table(table))
    rows = [[t for t, _, _ in cells(r)] for r in table_of(doc).findall("w:tr", NS)]
    assert rows == [
        ["STT", "Đơn vị", "Hồ sơ", "Đúng hạn"],
        ["I", "Cấp tỉnh"],
        ["1", "Sở A", "10", "9"],
        ["2", "Sở B", "5", "5"],
        ["Cộng", "15", "14"],
        ["II", "Cấp huyện"],
        ["1", "Huyện C", "7", "7"],
        ["Cộng cấp huyện", "7", "7"],
        ["TỔNG CỘNG", "22", "21"],
    ]
    group = table_of(doc).findall("w:tr", NS)[1]
    assert cells(group)[1][1] == 3  # the group title spans the rest of the row


def test_a_wrong_subtotal_is_reported() -> None:
    table = """\
      cot: [Đơn vị, Hồ sơ]
      dong:
        - [Sở A, 10]
        - {cong: [11]}
"""
    assert problems(report_with_table(table)) == [
        "bc.yaml:12:11: noi_dung[0].bang.dong[1]: dòng 2 (Cộng), cột (2) Hồ sơ: ghi 11 nhưng cộng các dòng được 10"
    ]


def test_bad_cells_and_rows() -> None:
    table = """\
      cot: [A, B]
      dong:
        - [x, [1]]
        - {nhom: G, nhan: H}
"""
    assert problems(report_with_table(table)) == [
        # A list is the cell's paragraphs (test_table_cells): each one is text.
        "bc.yaml:11:16: noi_dung[0].bang.dong[0][1][0]: giá trị phải là chữ (văn bản), "
        "nhưng ở đây là số nguyên",
        "bc.yaml:12:11: noi_dung[0].bang.dong[1]: dòng đặc biệt của bảng chỉ có thể là {nhom: …} "
        "(dòng nhóm, thêm được so, cap, cong, gop, kiem_tra, phep_tinh) hoặc {cong: …, nhan: …} "
        "(dòng cộng, thêm được gop, kiem_tra, phep_tinh); ở đây có: nhom, nhan",
    ]


def rows_of(doc: Docx) -> list[list[str]]:
    return [[t for t, _, _ in cells(r)] for r in table_of(doc).findall("w:tr", NS)]


def test_each_subtotal_adds_the_rows_since_the_previous_one() -> None:
    table = """\
      cot: [Đơn vị, Hồ sơ]
      dong:
        - [Sở A, 10]
        - [Sở B, 5]
        - {cong: true, nhan: Cộng các sở}
        - [Huyện C, 7]
        - {cong: true, nhan: Cộng các huyện}
      tong_cong: true
"""
    assert rows_of(render_text(report_with_table(table)))[1:] == [
        ["Sở A", "10"],
        ["Sở B", "5"],
        ["Cộng các sở", "15"],
        ["Huyện C", "7"],
        ["Cộng các huyện", "7"],
        ["TỔNG CỘNG", "22"],
    ]


def test_one_wrong_cell_gives_one_message_named_by_its_text() -> None:
    rows = """\
      dong:
        - [1, Báo chí, 5, 1, 2, 0, 0, 0]
      tong_cong: [3, 1, 2, 0, 0, 0]
"""
    assert problems(report_with_table(HEADER_004 + rows)) == [
        "bc.yaml:16:11: noi_dung[0].bang.dong[0]: dòng 1 (Báo chí), cột (3) Tổng số: "
        "ghi 5 nhưng theo công thức (3)=(4)+(5)+(6) phải là 3"
    ]


def test_formulas_accept_the_minus_signs_word_pastes() -> None:
    table = "      cot: [A, B, C]\n      cong_thuc: ['(3)=(1)−(2)', '(3) = (1) – (2)']\n      dong: [[5, 2, ~]]\n"
    assert rows_of(render_text(report_with_table(table)))[1] == ["5", "2", "3"]


def test_years_and_rates_are_not_summed_and_years_have_no_dot() -> None:
    table = """\
      cot: [Đơn vị, Năm, "Tỷ lệ (%)", Hồ sơ, Mã]
      khong_cong: [5]
      dong:
        - [A, 2020, 95.5, 1200, 7]
        - [B, 2021, 99.2, 800, 8]
      tong_cong: true
"""
    assert rows_of(render_text(report_with_table(table)))[1:] == [
        ["A", "2020", "95,5", "1.200", "7"],
        ["B", "2021", "99,2", "800", "8"],
        ["TỔNG CỘNG", "2.000", ""],  # the label spans the columns that are not summed
    ]


def test_a_year_figures_column_is_summed_like_any_count() -> None:
    table = (
        "      cot: [Đơn vị, Năm 2022]\n      dong: [[A, 1200], [B, 800]]\n      tong_cong: true\n"
    )
    assert rows_of(render_text(report_with_table(table)))[1:] == [
        ["A", "1.200"],
        ["B", "800"],
        ["TỔNG CỘNG", "2.000"],
    ]


def test_a_total_of_the_wrong_length_says_which_columns_it_covers() -> None:
    table = "      cot: [Đơn vị, Hồ sơ, Đúng hạn]\n      dong: [[A, 1, 1]]\n      tong_cong: [1]\n"
    assert problems(report_with_table(table)) == [
        "bc.yaml:11:7: noi_dung[0].bang.tong_cong: dòng cộng cần đúng 2 giá trị, "
        "cho các cột (2) đến (3) sau nhãn; ở đây có 1"
    ]


def test_totals_are_measured_so_their_numbers_do_not_break() -> None:
    from baocao import measure, tables
    from baocao import widths as table_widths

    spec = {
        "cot": ["Đơn vị", "Hồ sơ"],
        "dong": [["Sở Kế hoạch và Đầu tư tỉnh", 9000], ["B", 5000]],
        "tong_cong": True,
    }
    widths = table_widths.column_widths(tables.build(spec), measure.mm(165))
    assert (
        widths[1] >= measure.text_width("14.000", 13, bold=True) + table_widths.TABLE_CELL_MARGINS
    )


def test_four_header_rows_are_refused() -> None:
    table = "      tieu_de_cot: [[A], [B], [C], [D]]\n      dong: [[1]]\n"
    assert problems(report_with_table(table)) == [
        "bc.yaml:9:7: noi_dung[0].bang.tieu_de_cot: tối đa 3 phần tử"
    ]
