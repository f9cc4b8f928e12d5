"""Rows that are not plain data: label rows, averages, rounding, numbered groups, × ÷ formulas.

Each test renders (or validates) a real report and reads the table back from
the .docx, or reads the located messages ``baocao validate`` prints.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from baocao import ValidationFailed, load, tables, validate
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text
from tests.docx_facts import grid


def report_with_table(table: str) -> str:
    return MINIMAL.replace("  - Nội dung.\n", "  - bang:\n" + table)


def problems(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"))
    return [describe_issue(i) for i in caught.value.issues]


RATES = """\
      cot: [STT, Nội dung, Tiếp nhận, Đúng hạn, Tỷ lệ đúng hạn (%)]
"""


def test_a_label_row_prints_given_values_unchecked_and_spans_its_columns() -> None:
    table = (
        RATES
        + """\
      dong:
        - {cong: [95, "62/63", 98.2], nhan: CHỈ SỐ CHUNG, gop: 2, kiem_tra: false}
        - [1, Sở Tư pháp, 1416, 1380, 97.5]
        - [2, Sở Xây dựng, 512, 510, 99.6]
      tong_cong: {nhan: TỔNG CỘNG TOÀN TỈNH, gop: 2, cong: [1928, ~, ~]}
"""
    )
    rows = grid(render_text(report_with_table(table)))
    # "62/63" is text and 95 is not the sum: printed as typed, since kiem_tra is false.
    assert rows[1] == ["CHỈ SỐ CHUNG<2>", "95", "62/63", "98,2"]
    assert rows[-1] == ["TỔNG CỘNG TOÀN TỈNH<2>", "1.928", "1.890", ""]


def test_a_checked_label_row_and_total_with_gop_are_still_checked() -> None:
    table = (
        RATES
        + """\
      dong:
        - [1, Sở Tư pháp, 1416, 1380, 97.5]
        - {cong: [1417, ~, ~], nhan: Cộng cấp tỉnh, gop: 2}
      tong_cong: {nhan: TỔNG, gop: 2, cong: ["1.416", 1381, ~]}
"""
    )
    assert problems(report_with_table(table)) == [
        "bc.yaml:12:11: noi_dung[0].bang.dong[1]: dòng 2 (Cộng cấp tỉnh), cột (3) Tiếp nhận: "
        "ghi 1.417 nhưng cộng các dòng được 1.416",
        "bc.yaml:13:7: noi_dung[0].bang.tong_cong: TỔNG, cột (4) Đúng hạn: "
        "ghi 1.381 nhưng cộng các dòng được 1.380",
    ]


def test_averages_on_a_row_and_in_a_column() -> None:
    table = """\
      cot: [Đơn vị, Số hồ sơ, Điểm đánh giá]
      trung_binh: [3]
      dong:
        - [Sở A, 10, 90]
        - [Sở B, 5, 85]
        - [Sở C, 6, 80.5]
        - {cong: true, nhan: Bình quân, phep_tinh: trung_binh}
      tong_cong: true
"""
    rows = grid(render_text(report_with_table(table)))
    assert rows[4] == ["Bình quân", "7", "85,17"]  # 21 / 3; 255,5 / 3 = 85,1666… to two places
    assert rows[5] == ["TỔNG CỘNG", "21", "85,17"]  # counts add up, the score column averages


def test_an_average_follows_the_columns_so_le() -> None:
    table = """\
      cot: [Đơn vị, Điểm]
      trung_binh: [2]
      so_le: [~, 1]
      dong:
        - [Sở A, 90]
        - [Sở B, 85]
      tong_cong: [87.5]
"""
    assert grid(render_text(report_with_table(table)))[-1] == ["TỔNG CỘNG", "87,5"]


def test_typed_numbers_may_be_rounded_to_their_own_decimals() -> None:
    table = """\
      cot: [Đơn vị, A, B]
      dong:
        - [Sở A, 41.05, 20.01]
        - [Sở B, 42.06, 27.10]
        - {cong: [83.1, 47.13]}
"""
    # 83,11 written 83,1 is a rounding; 47,11 written 47,13 is a mistake.
    assert problems(report_with_table(table)) == [
        "bc.yaml:13:11: noi_dung[0].bang.dong[2]: dòng 3 (Cộng), cột (3) B: "
        "ghi 47,13 nhưng cộng các dòng được 47,11"
    ]
    fixed = table.replace("47.13", "47.1")
    assert grid(render_text(report_with_table(fixed)))[-1] == ["Cộng", "83,1", "47,1"]


def test_rounding_tolerance_is_half_a_unit_of_the_last_typed_decimal() -> None:
    agrees = tables._agrees
    assert agrees(Decimal("83.1"), Decimal("83.11"))
    assert agrees(83, Decimal("83.4"))
    assert agrees("83,1", Decimal("83.14"))  # quoted, the Vietnamese way
    assert not agrees(Decimal("47.13"), Decimal("47.11"))
    assert not agrees(Decimal("83.10"), Decimal("83.11"))  # two decimals typed: checked to two
    assert not agrees(Decimal("83.1"), Decimal("83.15"))  # half up makes 83,2
    assert agrees(Decimal("83.2"), Decimal("83.15"))
    assert not agrees("62/63", Decimal("62"))


GROUPS = """\
      cot: [STT, Đơn vị, Hồ sơ, Đúng hạn]
      dong:
        - {nhom: Cấp tỉnh, so: III, cong: true}
        - {nhom: Sở ngành, so: III.1, cong: true}
        - [1, Sở Tư pháp, 1416, 1380]
        - [2, Sở Xây dựng, 512, 510]
        - {nhom: Ban quản lý, so: III.2, cong: [30, 27]}
        - [1, Ban A, 30, 27]
        - {nhom: Cấp huyện, so: VII, cong: true}
        - [1, Huyện C, 300, 240]
      tong_cong: true
"""


def test_groups_with_given_numerals_nest_and_carry_their_subtotals() -> None:
    assert grid(render_text(report_with_table(GROUPS)))[1:] == [
        ["III", "Cấp tỉnh", "1.958", "1.917"],  # III.1 and III.2 together
        ["III.1", "Sở ngành", "1.928", "1.890"],
        ["1", "Sở Tư pháp", "1.416", "1.380"],
        ["2", "Sở Xây dựng", "512", "510"],
        ["III.2", "Ban quản lý", "30", "27"],
        ["1", "Ban A", "30", "27"],
        ["VII", "Cấp huyện", "300", "240"],
        ["1", "Huyện C", "300", "240"],
        ["TỔNG CỘNG<2>", "2.258", "2.157"],
    ]


def test_a_groups_given_values_are_checked_against_its_rows() -> None:
    wrong = GROUPS.replace("cong: [30, 27]", "cong: [31, 27]")
    assert problems(report_with_table(wrong)) == [
        "bc.yaml:15:11: noi_dung[0].bang.dong[4]: dòng 5 (Ban quản lý), cột (3) Hồ sơ: "
        "ghi 31 nhưng cộng các dòng được 30"
    ]


def test_automatic_group_numbers_nest_and_go_on_from_a_given_one() -> None:
    table = """\
      cot: [Đơn vị, Hồ sơ]
      stt: true
      dong:
        - {nhom: Cấp tỉnh, cong: true}
        - {nhom: Sở ngành, cap: 2}
        - [Sở Tư pháp, 10]
        - {nhom: Ban, cap: 2}
        - [Ban A, 5]
        - {nhom: Cấp huyện, so: VII}
        - [Huyện C, 7]
        - {nhom: Cấp xã}
        - [Xã D, 1]
"""
    rows = grid(render_text(report_with_table(table)))
    assert [r[0] for r in rows[1:]] == ["I", "I.1", "1", "I.2", "1", "VII", "1", "VIII", "1"]
    assert rows[1] == ["I", "Cấp tỉnh", "15"]
    assert rows[2] == ["I.1", "Sở ngành<2>"]


def test_a_given_numeral_without_an_stt_column_leads_the_title() -> None:
    table = """\
      cot: [Đơn vị, Hồ sơ]
      dong:
        - {nhom: "Khối sở, ngành", so: A}
        - [Sở Tư pháp, 10]
"""
    assert grid(render_text(report_with_table(table)))[1] == ["A Khối sở, ngành<2>"]


def test_formulas_multiply_divide_with_brackets_and_round_to_so_le() -> None:
    table = """\
      cot: [Đơn vị, Tiếp nhận, Đúng hạn, Quá hạn, Tỷ lệ đúng hạn (%), Điểm]
      cong_thuc:
        - "(4)=(2)-(3)"
        - {bieu_thuc: "(5)=(3)/(2)*100", so_le: 1}
        - "(6) = ((3) + (4) × 0,5) ÷ (2) × 10"
      so_le: [~, ~, ~, ~, ~, 2]
      dong:
        - [Sở A, 3, 2, ~, ~, ~]
        - [Sở B, 8, 8, ~, ~, ~]
        - [Sở C, 7, 6, 1, 85.7, 9.29]
      tong_cong: true
"""
    assert grid(render_text(report_with_table(table)))[1:] == [
        ["Sở A", "3", "2", "1", "66,7", "8,33"],
        ["Sở B", "8", "8", "0", "100,0", "10,00"],
        ["Sở C", "7", "6", "1", "85,7", "9,29"],
        # the rate of the total is the formula on the total's sums (16 / 18), not a sum of rates
        ["TỔNG CỘNG", "18", "16", "2", "88,9", "9,44"],
    ]


def test_a_typed_rate_is_checked_against_the_exact_result_not_only_the_rounded_one() -> None:
    table = """\
      cot: [Đơn vị, Tiếp nhận, Đúng hạn, Tỷ lệ (%)]
      cong_thuc: [{bieu_thuc: "(4)=(3)/(2)*100", so_le: 1}]
      dong:
        - [Sở A, 512, 510, 99.61]
        - [Sở B, 512, 510, 99.6]
        - [Sở C, 512, 510, 99.7]
"""
    # 510 / 512 × 100 = 99,609…: 99,61 and 99,6 are roundings of it, 99,7 is not.
    assert problems(report_with_table(table)) == [
        "bc.yaml:14:11: noi_dung[0].bang.dong[2]: dòng 3 (Sở C), cột (4) Tỷ lệ (%): "
        "ghi 99,7 nhưng theo công thức (4)=(3)/(2)*100 phải là 99,6"
    ]


def test_a_division_without_so_le_keeps_at_most_two_decimals() -> None:
    table = """\
      cot: [Đơn vị, A, B, Tỷ lệ]
      cong_thuc: ["(4)=(2)/(3)*100"]
      dong:
        - [Sở A, 1, 3, ~]
        - [Sở B, 1, 4, ~]
        - [Sở C, 1, 8, ~]
"""
    assert [r[3] for r in grid(render_text(report_with_table(table)))[1:]] == [
        "33,33",
        "25",
        "12,5",
    ]


def test_a_division_by_zero_is_reported_with_its_row() -> None:
    table = """\
      cot: [Đơn vị, Tiếp nhận, Đúng hạn, Tỷ lệ (%)]
      cong_thuc: ["(4)=(3)/(2)*100"]
      dong:
        - [Sở A, 0, 0, ~]
        - [Sở B, 0, 0, "-"]
        - [Sở C, 5, 5, ~]
      tong_cong: true
"""
    assert problems(report_with_table(table)) == [
        "bc.yaml:12:11: noi_dung[0].bang.dong[0]: dòng 1 (Sở A), cột (4) Tỷ lệ (%): công thức "
        '(4)=(3)/(2)*100 phải chia cho 0; sửa số liệu, hoặc gõ chữ vào ô này (ví dụ "-") để in '
        "đúng như gõ"
    ]
    fixed = table.replace("[Sở A, 0, 0, ~]", '[Sở A, 0, 0, "-"]')
    assert [r[3] for r in grid(render_text(report_with_table(fixed)))[1:]] == [
        "-",
        "-",
        "100",
        "100",
    ]


def test_formulas_are_read_by_a_parser_not_evaluated() -> None:
    formula = tables.parse_formula("(4)=(1)+(2)*(3)", 4)
    assert formula.apply([1, 2, 3, None]) == 7  # × before +
    assert tables.parse_formula("(4)=((1)+(2))*(3)", 4).apply([1, 2, 3, None]) == 9
    assert tables.parse_formula("(3)=-(1)+(2)", 3).apply([5, 7, None]) == 2
    assert tables.parse_formula("3=1+2", 3).columns == [1, 2]  # no bracket: numbers are columns
    assert tables.parse_formula("(3)=(1)*100", 3).columns == [1]  # 100 is a constant here
    long = "(2)=" + "+".join(["(1)"] * 5000)  # wide, not deep: no recursion limit
    assert tables.parse_formula(long, 2).apply([1, None]) == 5000
    assert tables.parse_formula("(2)=" + "(" * 20 + "(1)" + ")" * 20, 2).apply([4, None]) == 4
    with pytest.raises(ValueError):  # brackets nested deeper than any clerk writes
        tables.parse_formula("(2)=" + "(" * 5000 + "(1)" + ")" * 5000, 2)
    for text in ("(3)=__import__('os')", "(3)=(1)**(2)", "(3)=((1)+(2)", "(3)=(1)(2)", "(3)="):
        with pytest.raises(ValueError):
            tables.parse_formula(text, 3)


def test_misused_row_keys_are_located_and_explained() -> None:
    table = """\
      cot: [Đơn vị, Hồ sơ, Đúng hạn]
      trung_binh: [7]
      dong:
        - [Sở A, 10, 9]
        - {cong: true, gop: 3}
        - {cong: [10, 9], nhan: X, gop: 2}
        - {cong: true, so: II}
        - {nhom: G, phep_tinh: trungbinh}
      tong_cong: {nhan: Tổng, gopp: 1}
"""
    assert problems(report_with_table(table)) == [
        "bc.yaml:10:7: noi_dung[0].bang.trung_binh: không có cột 7: trung_binh ghi số thứ tự các "
        "cột tính trung bình ở dòng cộng, từ 1 đến 3 (kể cả cột STT)",
        "bc.yaml:13:24: noi_dung[0].bang.dong[1].gop: gop: 3 không dùng được: gop là số cột đầu "
        "dòng mà nhãn chiếm, từ 1 đến 2 (bảng có 3 cột, còn ít nhất một cột cho giá trị)",
        "bc.yaml:14:11: noi_dung[0].bang.dong[2]: dòng cộng cần đúng 1 giá trị, cho các cột (3) "
        "đến (3) sau nhãn; ở đây có 2",
        "bc.yaml:15:11: noi_dung[0].bang.dong[3]: dòng đặc biệt của bảng chỉ có thể là {nhom: …} "
        "(dòng nhóm, thêm được so, cap, cong, gop, kiem_tra, phep_tinh) hoặc {cong: …, nhan: …} "
        "(dòng cộng, thêm được gop, kiem_tra, phep_tinh); ở đây có: cong, so",
        "bc.yaml:16:21: noi_dung[0].bang.dong[4].phep_tinh: giá trị “trungbinh” không hợp lệ; "
        "chọn một trong: tong, trung_binh, lon_nhat, nho_nhat",
        "bc.yaml:17:31: noi_dung[0].bang.tong_cong.gopp: khóa “gopp” không có trong mẫu bao-cao; "
        "có phải ý bạn là “gop”?",
    ]


GUIDE = Path(__file__).resolve().parent.parent / "docs" / "bao-cao-nang-cao.md"


def _guide_examples() -> list[tuple[str, list[list[str]]]]:
    """§1.6's YAML blocks, each with the table the guide says it prints (body rows)."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("### 1.6.") : text.index("### 1.7.")]
    blocks = re.findall(r"```yaml\n(.*?)```\n.*?```\n(.*?)```", section, re.DOTALL)
    out = []
    for yaml_text, drawing in blocks:
        lines = [line for line in drawing.splitlines() if line.startswith("|")]
        rows = [[c.strip() for c in line.split("|")[1:-1]] for line in lines]
        out.append((yaml_text, rows))
    return out


@pytest.mark.parametrize("index", [0, 1])
def test_the_guides_examples_print_what_the_guide_shows(index: int) -> None:
    yaml_text, drawn = _guide_examples()[index]
    body = yaml_text.split("noi_dung:\n", 1)[1]
    printed = [
        [re.sub(r"<\d+>$", "", cell) for cell in row]
        for row in grid(render_text(MINIMAL.replace("  - Nội dung.\n", body)))
    ]
    # Past the header (and the column numbers of the first), row for row; a drawn header
    # cell may wrap over two lines, so the body rows are matched from the end.
    skip = 2 if index == 0 else 1
    body_rows = printed[skip:]
    assert len(body_rows) > 3
    assert drawn[-len(body_rows) :] == body_rows


def test_highest_average_and_lowest_rows_under_a_wide_label() -> None:
    """The ranking table of a 2025 provincial decision (real-docx 01): three label rows
    spanning four columns give the highest, average and lowest index."""
    table = """\
      cot: [Thứ hạng, Đơn vị, Điểm chuẩn tối đa, Điểm đạt được, Chỉ số chung (%), Xếp loại]
      dong:
        - [1, Sở Tư pháp, 89.00, 82.78, 93.01, TỐT]
        - [2, Sở Nội vụ, 87.00, 78.95, 90.75, TỐT]
        - [3, Sở Ngoại vụ, 80.50, 48.65, 60.43, TRUNG BÌNH]
        - {cong: true, nhan: Chỉ số cao nhất, gop: 4, phep_tinh: lon_nhat}
        - {cong: [81.40, ~], nhan: Chỉ số trung bình, gop: 4, phep_tinh: trung_binh}
        - {cong: true, nhan: Chỉ số thấp nhất, gop: 4, phep_tinh: nho_nhat}
"""
    rows = grid(render_text(report_with_table(table)))
    # (93,01 + 90,75 + 60,43) / 3 = 81,3966…: the typed 81,40 is that to two decimals.
    assert rows[-3:] == [
        ["Chỉ số cao nhất<4>", "93,01", ""],
        ["Chỉ số trung bình<4>", "81,40", ""],
        ["Chỉ số thấp nhất<4>", "60,43", ""],
    ]
    wrong = table.replace("[81.40, ~]", "[81.49, ~]")
    assert problems(report_with_table(wrong)) == [
        "bc.yaml:15:11: noi_dung[0].bang.dong[4]: dòng 5 (Chỉ số trung bình), cột (5) Chỉ số "
        "chung (%): ghi 81,49 nhưng trung bình các dòng là 81,4"
    ]


def test_a_scoring_table_with_numbered_criteria_and_nested_group_totals() -> None:
    """The PAR-index self-assessment of real-docx 16: criteria 1, 1.3, 1.3.1… where a group
    line carries its own points (typed, so checked) and the TT column holds the numerals."""
    table = """\
      cot: [TT, Lĩnh vực/Tiêu chí, Điểm chuẩn, Điểm tự đánh giá, Tài liệu kiểm chứng]
      dong:
        - {nhom: CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH, so: "1", cong: [4.00, 3.80, ~]}
        - ["1.1", Thực hiện kế hoạch CCHC, 1.50, 1.50, "- Kế hoạch số 213/KH-UBND"]
        - ["1.2", Thực hiện chế độ báo cáo, 0.50, 0.50, ~]
        - {nhom: Công tác kiểm tra CCHC, so: "1.3", cong: true}
        - ["1.3.1", Tỷ lệ cơ quan được kiểm tra, 1.00, 0.80, ~]
        - ["1.3.2", Xử lý sau kiểm tra, 1.00, 1.00, ~]
        - {nhom: XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN, so: "2", cong: true}
        - ["2.1", Rà soát văn bản, 2.00, 1.75, ~]
      tong_cong: true
"""
    rows = grid(render_text(report_with_table(table)))
    assert [r[:4] for r in rows[1:]] == [
        ["1", "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH", "4,00", "3,80"],  # 1.1 + 1.2 + 1.3.1 + 1.3.2
        ["1.1", "Thực hiện kế hoạch CCHC", "1,50", "1,50"],
        ["1.2", "Thực hiện chế độ báo cáo", "0,50", "0,50"],
        ["1.3", "Công tác kiểm tra CCHC", "2,00", "1,80"],
        ["1.3.1", "Tỷ lệ cơ quan được kiểm tra", "1,00", "0,80"],
        ["1.3.2", "Xử lý sau kiểm tra", "1,00", "1,00"],
        ["2", "XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN", "2,00", "1,75"],
        ["2.1", "Rà soát văn bản", "2,00", "1,75"],
        ["TỔNG CỘNG<2>", "6,00", "5,55", ""],
    ]
