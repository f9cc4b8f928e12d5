"""Table cells as real documents write them: merged body cells, paragraphs, typed numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao import load, validate
from baocao.cli import make_cli
from baocao.messages import describe_issue
from tests.conftest import render_text
from tests.docx_facts import NS, Docx, q
from tests.test_pdf import needs_libreoffice, pdf_text
from tests.test_tables import cells, problems, report_with_table, rows_of, table_of

PLAN = """\
      tieu_de_cot:
        - [STT, Nội dung, {chu: Kinh phí, dong_phu: "(Đơn vị: triệu đồng)"}, Chủ trì, Phối hợp, Ghi chú]
      dong:
        - [{chu: CHỈ SỐ CHUNG, ngang: 2}, 100, {chu: Sở Tài chính, ngang: 2}, {chu: [Làm trong quý I, "**Báo cáo** *hằng tháng*"], doc: 3}]
        - ["1", Việc một, 40, Sở A, Sở B]
        - ["2", [Việc hai, gồm hai đoạn], 60, Sở C, Sở D]
        - ["3", Việc ba, 5, {chu: Các sở, ngang: 2}, ~]
      tong_cong: true
"""


@pytest.fixture(scope="module")
def plan() -> Docx:
    return render_text(report_with_table(PLAN))


def test_body_cells_merge_across_columns_and_down_rows(plan: Docx) -> None:
    rows = table_of(plan).findall("w:tr", NS)
    assert [cells(r) for r in rows[1:]] == [
        [
            ("CHỈ SỐ CHUNG", 2, None),
            ("100", 1, None),
            ("Sở Tài chính", 2, None),
            ("Làm trong quý IBáo cáo hằng tháng", 1, "restart"),
        ],
        [
            *[("1", 1, None), ("Việc một", 1, None), ("40", 1, None), ("Sở A", 1, None)],
            *[("Sở B", 1, None), ("", 1, "continue")],
        ],
        [
            *[("2", 1, None), ("Việc haigồm hai đoạn", 1, None), ("60", 1, None)],
            *[("Sở C", 1, None), ("Sở D", 1, None), ("", 1, "continue")],
        ],
        [("3", 1, None), ("Việc ba", 1, None), ("5", 1, None), ("Các sở", 2, None), ("", 1, None)],
        # The merged label is no number; the note merged down three rows counts no row twice.
        [("TỔNG CỘNG", 2, None), ("205", 1, None), ("", 1, None), ("", 1, None), ("", 1, None)],
    ]


def test_a_cell_written_as_a_list_is_one_paragraph_each(plan: Docx) -> None:
    rows = table_of(plan).findall("w:tr", NS)
    note = rows[1].findall("w:tc", NS)[-1]
    assert ["".join(p.itertext()) for p in note.findall("w:p", NS)] == [
        "Làm trong quý I",
        "Báo cáo hằng tháng",
    ]
    second = rows[3].findall("w:tc", NS)[1]
    assert ["".join(p.itertext()) for p in second.findall("w:p", NS)] == [
        "Việc hai",
        "gồm hai đoạn",
    ]


def test_bold_and_italic_markers_work_in_body_cells(plan: Docx) -> None:
    para = plan.find("Báo cáo hằng tháng")
    shown = {text: (para.toggle(run, "b"), para.toggle(run, "i")) for run, text in para.pieces()}
    assert shown == {"Báo cáo": (True, False), " ": (False, False), "hằng tháng": (False, True)}


def test_a_header_line_under_the_title_is_italic_not_bold(plan: Docx) -> None:
    title, unit = plan.find("Kinh phí"), plan.find("(Đơn vị: triệu đồng)")
    assert title.cell is unit.cell
    assert {title.toggle(run, "b") for run in title.runs()} == {True}
    assert [(unit.toggle(run, "b"), unit.toggle(run, "i")) for run in unit.runs()] == [
        (False, True)
    ]
    assert unit.align == "center"


def test_header_cells_take_paragraphs_and_markers_too() -> None:
    table = """\
      tieu_de_cot:
        - [{chu: [Chỉ tiêu, "*(theo kế hoạch)*"], doc: 2}, {chu: Số liệu, ngang: 2}]
        - [Năm 2024, Năm 2025]
      dong:
        - [Dân số, 10, 12]
"""
    doc = render_text(report_with_table(table))
    first = table_of(doc).findall("w:tr", NS)[0].findall("w:tc", NS)[0]
    assert ["".join(p.itertext()) for p in first.findall("w:p", NS)] == [
        "Chỉ tiêu",
        "(theo kế hoạch)",
    ]
    para = doc.find("(theo kế hoạch)")
    assert [para.toggle(run, "i") for run in para.runs()] == [True]


def test_auto_stt_counts_rows_under_a_merged_note_and_formulas_skip_merged_rows() -> None:
    table = """\
      cot: [Đơn vị, Kế hoạch, Thực hiện, Còn lại, Ghi chú]
      stt: true
      cong_thuc: ["(5)=(3)-(4)"]
      dong:
        - [Sở A, 10, 4, ~, {chu: Theo quý, doc: 2}]
        - [Sở B, 8, 3, ~]
        - [Sở C, {chu: Không giao chỉ tiêu, ngang: 3}, ~]
      tong_cong: true
"""
    assert rows_of(render_text(report_with_table(table)))[1:] == [
        ["1", "Sở A", "10", "4", "6", "Theo quý"],
        ["2", "Sở B", "8", "3", "5", ""],
        ["3", "Sở C", "Không giao chỉ tiêu", ""],
        ["TỔNG CỘNG", "18", "7", "11", ""],
    ]


def test_misplaced_and_malformed_merged_cells_are_located() -> None:
    table = """\
      cot: [A, B, C]
      dong:
        - {chu: Cả dòng, ngang: 3}
        - [{chu: x, ngang: 2, gop: 1}, {ngang: 0}]
        - [{chu: y, ngang: 2, dôc: 2}, 1]
      tong_cong: [{chu: 5, ngang: 2}, 1]
"""
    assert problems(report_with_table(table)) == [
        "bc.yaml:11:11: noi_dung[0].bang.dong[0]: ô gộp {chu: Cả dòng, …} phải nằm trong danh "
        "sách ô của một dòng: - [{chu: …, ngang: N}, …]; đứng một mình nó không phải là dòng",
        "bc.yaml:12:31: noi_dung[0].bang.dong[1][0].gop: ô của bảng không có khóa “gop”; một ô "
        "gộp chỉ có các khóa chu, ngang, doc (chu: chữ trong ô, ngang: số cột gộp, doc: số dòng gộp)",
        "bc.yaml:12:40: noi_dung[0].bang.dong[1][1]: ô gộp cần khóa chu (chữ trong ô), ở đây có: ngang",
        "bc.yaml:12:41: noi_dung[0].bang.dong[1][1].ngang: ngang là số cột (ngang) hoặc số dòng "
        "(doc) ô gộp phủ, một số nguyên từ 1; ở đây là 0",
        "bc.yaml:13:31: noi_dung[0].bang.dong[2][0].dôc: ô của bảng không có khóa “dôc”; có phải ý "
        "bạn là “doc”?; một ô gộp chỉ có các khóa chu, ngang, doc (chu: chữ trong ô, ngang: số cột "
        "gộp, doc: số dòng gộp)",
        "bc.yaml:14:19: noi_dung[0].bang.tong_cong[0]: ô gộp {chu, ngang, doc} chỉ dùng trong "
        "tieu_de_cot và trong các dòng của dong, không dùng trong tong_cong; muốn gộp ô tiêu đề, "
        "hãy dùng tieu_de_cot thay cho cot",
    ]


def test_spans_that_overlap_overrun_or_leave_holes_are_located() -> None:
    table = """\
      cot: [A, B, C, D]
      dong:
        - [a, {chu: Ghi chú, doc: 2}, c, d]
        - [{chu: Chồng lên, ngang: 2}, c, d]
        - [a, b, {chu: Quá rộng, ngang: 3}]
        - [a, {chu: Thiếu, ngang: 2}]
        - [a, b, c, d, e]
        - [a, b, c, {chu: Dài quá, doc: 3}]
        - {nhom: Nhóm}
        - [a, b, c, d]
"""
    assert problems(report_with_table(table)) == [
        "bc.yaml:12:12: noi_dung[0].bang.dong[1][0]: ô “Chồng lên” gộp 2 cột (ngang) nhưng chỉ còn 1 "
        "cột trống trước một ô đã gộp xuống từ dòng trên (doc); giảm ngang hoặc doc cho khỏi chồng nhau",
        "bc.yaml:13:18: noi_dung[0].bang.dong[2][2]: ô “Quá rộng” gộp 3 cột (ngang) nhưng đến cuối "
        "dòng chỉ còn 2 cột; giảm ngang",
        "bc.yaml:14:11: noi_dung[0].bang.dong[3]: dòng có 2 ô nhưng cần 3 ô: bảng có 4 cột, trong đó "
        "1 vị trí thuộc ô gộp (ngang, hoặc doc từ dòng trên, những vị trí này không viết ô)",
        "bc.yaml:15:11: noi_dung[0].bang.dong[4]: dòng có 5 ô nhưng bảng có 4 cột",
        "bc.yaml:16:21: noi_dung[0].bang.dong[5][3]: ô “Dài quá” gộp 3 dòng (doc) nhưng chỉ có 1 "
        "dòng số liệu kể từ nó trước dòng nhóm, dòng cộng hoặc cuối bảng; giảm doc",
    ]


def warnings_of(text: str) -> list[str]:
    return [describe_issue(w) for w in validate(load(text, filename="bc.yaml")).warnings]


QUOTED = """\
      cot: [STT, Đơn vị, Số hồ sơ, Năm]
      dong:
        - [1, Sở A, 1234, 2024]
        - [2, Sở B, "2025", "2025"]
        - [3, Sở C, "09", 2023]
        - [4, Sở D, "1.416", 2022]
        - [5.1, Sở E, 1, 2021]
      tong_cong: true
"""


def test_numbers_written_in_quotes_print_as_typed_and_still_add_up() -> None:
    assert rows_of(render_text(report_with_table(QUOTED)))[1:] == [
        ["1", "Sở A", "1.234", "2024"],
        ["2", "Sở B", "2025", "2025"],
        ["3", "Sở C", "09", "2023"],
        ["4", "Sở D", "1.416", "2022"],
        ["5,1", "Sở E", "1", "2021"],
        ["TỔNG CỘNG", "4.685", ""],
    ]


def test_a_mixed_column_and_an_unquoted_decimal_stt_are_warned_with_their_cells() -> None:
    # "1.416" prints as the number would, and "2025" in the year column too: no warning for them.
    assert warnings_of(report_with_table(QUOTED)) == [
        "bc.yaml:12:21: noi_dung[0].bang.dong[1][2]: cảnh báo: cột (3) Số hồ sơ có số viết trong "
        "dấu nháy, in đúng như gõ: “2025” (2), “09” (3) (dòng trong ngoặc), trong khi các số không "
        "có dấu nháy được in theo cách viết số (bỏ dấu nháy thì “2025” in là 2.025); bỏ dấu nháy "
        "nếu muốn in như các số khác",
        "bc.yaml:15:12: noi_dung[0].bang.dong[4][0]: cảnh báo: số thứ tự 5.1 viết không có dấu nháy "
        'được đọc là số thập phân và sẽ in là 5,1; hãy đặt trong dấu nháy: "5.1"',
    ]


def test_a_quoted_decimal_stt_prints_as_typed_without_warning() -> None:
    table = '      cot: [STT, Việc]\n      dong:\n        - ["2.1", Việc một]\n        - ["2.2", Việc hai]\n'
    text = report_with_table(table)
    assert warnings_of(text) == []
    assert rows_of(render_text(text))[1:] == [["2.1", "Việc một"], ["2.2", "Việc hai"]]


def test_messages_name_a_cell_of_paragraphs_on_one_line() -> None:
    table = """\
      tieu_de_cot:
        - [Đơn vị, {chu: [Số hồ sơ, (bộ)]}]
      dong:
        - [[Sở A, Phòng B], 5]
      tong_cong: [6]
"""
    assert problems(report_with_table(table)) == [
        "bc.yaml:13:7: noi_dung[0].bang.tong_cong: TỔNG CỘNG, cột (2) Số hồ sơ / (bộ): ghi 6 nhưng "
        "cộng các dòng được 5"
    ]
    formula = """\
      cot: [Đơn vị, A, B, C]
      cong_thuc: ["(4)=(2)+(3)"]
      dong:
        - [[Sở A, Phòng B], 1, 2, 4]
"""
    assert problems(report_with_table(formula)) == [
        "bc.yaml:12:11: noi_dung[0].bang.dong[0]: dòng 1 (Sở A / Phòng B), cột (4) C: ghi 4 "
        "nhưng theo công thức (4)=(2)+(3) phải là 3"
    ]


def test_the_cell_keys_are_in_the_schema_and_the_services_json_schema() -> None:
    from baocao import service

    schemas = service.report_schemas()
    assert set(schemas["o_bang"]["properties"]) == {"chu", "ngang", "doc"}
    header = schemas["o_tieu_de"]["properties"]
    assert {"type": "array", "items": {"type": "string"}} in header["chu"]["anyOf"]
    assert {"type": "array", "items": {"type": "string"}} in header["dong_phu"]["anyOf"]
    wrong = "        - [{chu: A, dong_phu: [1]}, B]\n"
    table = "      tieu_de_cot:\n" + wrong + "      dong:\n        - [x, y]\n"
    assert problems(report_with_table(table)) == [
        "bc.yaml:10:32: noi_dung[0].bang.tieu_de_cot[0][0].dong_phu[0]: giá trị phải là chữ "
        "(văn bản), nhưng ở đây là số nguyên"
    ]


def test_markers_work_in_group_and_total_labels_and_column_headers() -> None:
    table = """\
      cot: [Đơn vị, "Hồ sơ *(bộ)*"]
      dong:
        - {nhom: "Cấp tỉnh *(sở, ngành)*"}
        - [Sở A, 5]
        - {cong: true, nhan: "Cộng *cấp tỉnh*"}
"""
    doc = render_text(report_with_table(table))
    for text, emphasised, bold in (
        ("Hồ sơ", "(bộ)", True),
        ("Cấp tỉnh", "(sở, ngành)", True),
        ("Cộng", "cấp tỉnh", True),
    ):
        para = doc.find(emphasised)
        runs = {
            piece: (para.toggle(run, "b"), para.toggle(run, "i")) for run, piece in para.pieces()
        }
        assert runs[emphasised] == (bold, True)
        assert runs[text + " "] == (bold, False)


@needs_libreoffice
def test_libreoffice_prints_merged_cells_once_and_their_paragraphs_apart(tmp_path: Path) -> None:
    report = tmp_path / "bao-cao.yaml"
    report.write_text(report_with_table(PLAN), encoding="utf-8")
    result = CliRunner().invoke(make_cli("vi"), ["render", str(report), "--pdf"])
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in pdf_text(report.with_suffix(".pdf")).splitlines()]
    assert any("CHỈ SỐ CHUNG 100 Sở Tài chính" in line for line in lines), lines
    # The note merged down three rows is printed once, its two paragraphs on lines of their own.
    assert sum("Làm trong quý I" in line for line in lines) == 1
    assert sum("Báo cáo hằng tháng" in line for line in lines) == 1
    assert any(line.endswith("Các sở") for line in lines if line.startswith("3 Việc ba 5"))


def test_a_number_with_a_decimal_comma_is_text_yaml_never_read_and_is_not_called_quoted() -> None:
    table = """\
      cot: [Đơn vị, Số]
      dong:
        - [Sở A, 1]
        - - Sở B
          - 1416,5
"""
    text = report_with_table(table)
    assert warnings_of(text) == []
    assert rows_of(render_text(text))[1:] == [["Sở A", "1"], ["Sở B", "1416,5"]]


def test_footnotes_cited_in_merged_cells_and_unit_lines_are_numbered() -> None:
    table = """\
      tieu_de_cot:
        - [Đơn vị, {chu: Kinh phí, dong_phu: "(Đơn vị: triệu đồng)[^dv]"}]
      dong:
        - [{chu: "Chung cho các sở[^chung]", ngang: 2}]
        - [Sở A, 5]
chu_thich:
  dv: Theo giá năm 2025.
  chung: Không chia theo sở.
"""
    doc = render_text(report_with_table(table))
    notes = {
        para.text.split()[0]: "".join(
            ref.get(q("w:id")) for ref in para.element.iter(q("w:footnoteReference"))
        )
        for para in (doc.find("(Đơn vị: triệu đồng)"), doc.find("Chung cho các sở"))
    }
    assert notes == {"(Đơn": "1", "Chung": "2"}


def test_a_long_word_in_a_merged_cell_gets_the_width_of_its_columns_together() -> None:
    from baocao import measure, nd30

    word = "Chuyển-đổi-số-toàn-diện"
    table = f"""\
      cot: [A, B, Nội dung dài để cột này nhận phần lớn chiều rộng của bảng khi chia]
      dong:
        - [{{chu: {word}, ngang: 2}}, x]
        - [a, b, c]
"""
    grid = table_of(render_text(report_with_table(table))).findall("w:tblGrid/w:gridCol", NS)
    widths = [int(col.get(q("w:w"))) for col in grid]
    assert widths[0] + widths[1] >= measure.text_width(word, nd30.points(nd30.BANG_CHU))
