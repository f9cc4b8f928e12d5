"""`baocao import`: the header, title and closing in the shapes clerks give them.

Each shape is composed here from one of our own renders, its XML moved around
the way real offices lay a header or a closing out (one row of three cells,
three rows, agency and "Số:" in one cell, tab-aligned lines; Nơi nhận split
across rows or sharing tab-aligned lines with the signer; Kính gửi inside the
header), then imported: the keys come back as the YAML that was rendered.
Marks, căn cứ, the line under the signing space and an appendix's own signers
come back from the render itself.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import baocao
from baocao.api import build
from baocao.docx.read import Docx, q
from baocao.importer import import_docx
from tests.test_check import edit

Edit = Callable[[etree._Element], None]

LETTER = """\
loai_van_ban: cong-van
co_quan_chu_quan: UBND TỈNH HÀ NAM
co_quan_ban_hanh: SỞ NỘI VỤ
so_ky_hieu: {so: 15, ky_hieu: SNV-VP}
dia_danh: Hà Nam
ngay_ban_hanh: {thang: 3, nam: 2025}
trich_yeu: báo cáo tình hình tổ chức hội năm 2025
kinh_gui:
  - Ủy ban nhân dân tỉnh
  - Bộ Nội vụ
mo_dau: Sở Nội vụ báo cáo như sau.
noi_dung:
  - tieu_de: Tình hình tổ chức hội
    noi_dung: [Nội dung thứ nhất của công văn.]
  - tieu_de: Kiến nghị
    noi_dung: [Nội dung thứ hai của công văn]
noi_nhan: [Ban Giám đốc Sở, "Lưu: VT, VP"]
nguoi_ky: {quyen_han: KT., thay_cho: GIÁM ĐỐC, chuc_vu: PHÓ GIÁM ĐỐC, ho_ten: Trần Văn Hải}
"""

MARKED = """\
co_quan_chu_quan: BỘ CÔNG AN
co_quan_ban_hanh: CÔNG AN TỈNH HÀ NAM
so_ky_hieu: {so: 12, ky_hieu: CAT-PV01}
dia_danh: Hà Nam
ngay_ban_hanh: {ngay: 5, thang: 3, nam: 2025}
do_mat: MẬT
do_khan: THƯỢNG KHẨN
pham_vi_luu_hanh: LƯU HÀNH NỘI BỘ
trich_yeu: Kết quả công tác quý I năm 2025
can_cu:
  - Căn cứ Luật Công an nhân dân ngày 20 tháng 11 năm 2018;
  - Căn cứ Kế hoạch số 15/KH-CAT ngày 10/01/2025 của Công an tỉnh.
mo_dau: Công an tỉnh báo cáo kết quả như sau.
noi_dung:
  - tieu_de: KẾT QUẢ
    noi_dung:
      - Đã hoàn thành các nhiệm vụ được giao
noi_nhan: [Bộ Công an (để b/c), "Lưu: VT, PV01"]
nguoi_ky:
  quyen_han: KT.
  thay_cho: GIÁM ĐỐC
  chuc_vu: PHÓ GIÁM ĐỐC
  chuc_vu_duoi: Thiếu tướng
  ho_ten: Nguyễn Văn An
phu_luc:
  - tieu_de: BIỂU TỔNG HỢP
    noi_dung:
      - Nội dung của phụ lục.
    dia_danh_ngay: "Hà Nam, ngày 05 tháng 3 năm 2025"
    nguoi_ky:
      - {chuc_vu: Người lập biểu, ho_ten: Trần Thị Bình}
      - {quyen_han: KT., thay_cho: GIÁM ĐỐC, chuc_vu: PHÓ GIÁM ĐỐC, ho_ten: Nguyễn Văn An}
"""

HEADER_KEYS = (
    "co_quan_chu_quan",
    "co_quan_ban_hanh",
    "so_ky_hieu",
    "dia_danh",
    "ngay_ban_hanh",
    "trich_yeu",
    "kinh_gui",
)
CLOSING_KEYS = ("noi_nhan", "nguoi_ky")


def render(text: str, tmp_path: Path) -> bytes:
    source = tmp_path / "goc.yaml"
    source.write_text(text, encoding="utf-8")
    return build(source, tmp_path / "goc.docx").read_bytes()


def imported(data: bytes) -> dict[str, Any]:
    result = import_docx(data)
    loaded: dict[str, Any] = baocao.load(result.yaml_text).data
    return loaded


def expected(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = baocao.load(text).data
    return loaded


# -- moving our render's XML around as offices lay it out ----------------------------------


def tables(root: etree._Element) -> list[etree._Element]:
    body = root.find(q("w:body"))
    assert body is not None
    return body.findall(q("w:tbl"))


def rows(table: etree._Element) -> list[etree._Element]:
    return table.findall(q("w:tr"))


def cells(row: etree._Element) -> list[etree._Element]:
    return row.findall(q("w:tc"))


def paragraphs(cell: etree._Element) -> list[etree._Element]:
    return cell.findall(q("w:p"))


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(q("w:t")))


def empty_cell(like: etree._Element) -> etree._Element:
    cell = etree.Element(q("w:tc"))
    properties = like.find(q("w:tcPr"))
    if properties is not None:
        cell.append(copy.deepcopy(properties))
    cell.append(etree.Element(q("w:p")))
    return cell


def header_in_one_row(middle: bool) -> Edit:
    """Agency and "Số:" (with V/v) in the left cell, Quốc hiệu and the date in the right:
    one row of two cells, or of three with an empty middle one."""

    def change(root: etree._Element) -> None:
        header = tables(root)[0]
        first, second = rows(header)
        for top, bottom in zip(cells(first), cells(second), strict=True):
            for para in paragraphs(bottom):
                top.append(para)
        header.remove(second)
        if middle:
            cells(first)[0].addnext(empty_cell(cells(first)[0]))
            grid = header.find(q("w:tblGrid"))
            assert grid is not None
            grid.insert(1, copy.deepcopy(grid[0]))

    return change


def header_in_three_rows(root: etree._Element) -> None:
    """The V/v line in a row of its own under "Số:" and the date, across both columns."""
    header = tables(root)[0]
    second = rows(header)[1]
    letter = paragraphs(cells(second)[0])[1]
    row = etree.SubElement(header, q("w:tr"))
    cell = empty_cell(cells(second)[0])
    span = etree.SubElement(cell.find(q("w:tcPr")), q("w:gridSpan"))
    span.set(q("w:val"), "2")
    cell.remove(paragraphs(cell)[0])
    cell.append(letter)
    row.append(cell)


def run(text: str, *, bold: bool = False, italic: bool = False) -> etree._Element:
    element = etree.Element(q("w:r"))
    if bold or italic:
        properties = etree.SubElement(element, q("w:rPr"))
        if bold:
            etree.SubElement(properties, q("w:b"))
        if italic:
            etree.SubElement(properties, q("w:i"))
    for number, piece in enumerate(text.split("\t")):
        if number:
            etree.SubElement(element, q("w:tab"))
        if piece:
            typed = etree.SubElement(element, q("w:t"))
            typed.text = piece
            typed.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def plain(*runs: etree._Element, centred: bool = False) -> etree._Element:
    para = etree.Element(q("w:p"))
    if centred:
        properties = etree.SubElement(para, q("w:pPr"))
        etree.SubElement(properties, q("w:jc")).set(q("w:val"), "center")
    para.extend(runs)
    return para


def header_with_tabs(root: etree._Element) -> None:
    """No table: the agency and the Quốc hiệu on the same lines, apart by spaces and
    tabs, "Số:" and the date on one line, the V/v lines centred under them."""
    header = tables(root)[0]
    lines = [
        plain(
            run("      UBND TỈNH HÀ NAM\t"), run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
        ),
        plain(
            run("         SỞ NỘI VỤ", bold=True), run("\t\tĐộc lập - Tự do - Hạnh phúc", bold=True)
        ),
        plain(run("    ")),
        plain(
            run("   Số:    15/SNV-VP\t\t"), run("Hà Nam, ngày     tháng 3 năm 2025", italic=True)
        ),
        plain(run("V/v báo cáo tình hình tổ chức"), centred=True),
        plain(run("hội năm 2025"), centred=True),
    ]
    for line in lines:
        header.addprevious(line)
    header.getparent().remove(header)


def addressees_in_header(column: int) -> Edit:
    """Kính gửi and its list in a cell of the header: the right-hand one under the date,
    or the left-hand one under "Số:" and the V/v line."""

    def change(root: etree._Element) -> None:
        header = tables(root)[0]
        cell = cells(rows(header)[-1])[column]
        body = header.getparent()
        for para in list(body.findall(q("w:p"))):
            if text_of(para).startswith(("Kính gửi", "- Ủy ban", "- Bộ Nội vụ")):
                cell.append(para)

    return change


def closing_across_rows(keep: int) -> Edit:
    """ "Nơi nhận:" (and ``keep`` items) with the first signer line in a row, the other
    items and the rest of the signer in the row below."""

    def change(root: etree._Element) -> None:
        closing = tables(root)[-1]
        row = rows(closing)[0]
        left, right = cells(row)
        second = copy.deepcopy(row)
        for cell in cells(second):
            for para in paragraphs(cell):
                cell.remove(para)
        new_left, new_right = cells(second)
        for para in paragraphs(left)[1 + keep :]:
            new_left.append(para)
        for para in paragraphs(right)[1:]:
            new_right.append(para)
        row.addnext(second)

    change.__name__ = f"closing_across_rows_{keep}"
    return change


def closing_with_tabs(root: etree._Element) -> None:
    """No table: Nơi nhận and the signer's lines share tab-aligned lines, and the name
    is pushed right with spaces after empty lines."""
    closing = tables(root)[-1]
    left, right = (paragraphs(cell) for cell in cells(rows(closing)[0]))
    signer = [text_of(p) for p in right]
    items = [text_of(p) for p in left]
    lines = []
    for number, item in enumerate(items):
        beside = signer[number] if number < len(signer) - 1 else ""
        runs = [run(item, bold=number == 0, italic=number == 0)]
        if beside:
            runs.append(run("\t\t\t" + beside, bold=True))
        lines.append(plain(*runs))
    lines += [plain(), plain(), plain(run(" " * 40 + signer[-1], bold=True))]
    for line in lines:
        closing.addprevious(line)
    closing.getparent().remove(closing)


SHAPES: dict[str, Edit] = {
    "one-row-two-cells": header_in_one_row(middle=False),
    "one-row-three-cells": header_in_one_row(middle=True),
    "three-rows": header_in_three_rows,
    "tabs-and-spaces": header_with_tabs,
    "kinh-gui-under-the-date": addressees_in_header(1),
    "kinh-gui-under-v-v": addressees_in_header(0),
}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_a_header_in_a_clerks_shape_comes_back(shape: str, tmp_path: Path) -> None:
    data = edit(render(LETTER, tmp_path), SHAPES[shape])
    back, want = imported(data), expected(LETTER)
    assert back["loai_van_ban"] == "cong-van"
    for key in (*HEADER_KEYS, *CLOSING_KEYS):
        assert back.get(key) == want.get(key), key
    assert back["mo_dau"] in (want["mo_dau"], [want["mo_dau"]])


def name_after_the_table(root: etree._Element) -> None:
    """The signer's name typed in a paragraph after the signature table."""
    closing = tables(root)[-1]
    right = cells(rows(closing)[0])[1]
    name = paragraphs(right)[-1]
    right.remove(name)
    closing.addnext(plain(run("\t\t\t"), centred=True))
    closing.getnext().addnext(plain(run("Trần Văn Hải", bold=True), centred=True))


@pytest.mark.parametrize(
    "change",
    [closing_across_rows(0), closing_across_rows(1), closing_with_tabs, name_after_the_table],
    ids=lambda c: c.__name__,
)
def test_a_closing_in_a_clerks_shape_comes_back(change: Edit, tmp_path: Path) -> None:
    data = edit(render(LETTER, tmp_path), change)
    back, want = imported(data), expected(LETTER)
    for key in (*HEADER_KEYS, *CLOSING_KEYS):
        assert back.get(key) == want.get(key), key
    assert back["noi_dung"] == want["noi_dung"]  # nothing of the closing in the body


def test_marks_citations_the_line_under_the_signature_and_appendix_signers(
    tmp_path: Path,
) -> None:
    back, want = imported(render(MARKED, tmp_path)), expected(MARKED)
    for key in ("do_mat", "do_khan", "pham_vi_luu_hanh", "can_cu", *HEADER_KEYS, *CLOSING_KEYS):
        assert back.get(key) == want.get(key), key
    appendix = back["phu_luc"][0]
    assert appendix["nguoi_ky"] == want["phu_luc"][0]["nguoi_ky"]
    assert appendix["dia_danh_ngay"] == want["phu_luc"][0]["dia_danh_ngay"]
    assert appendix["noi_dung"] == want["phu_luc"][0]["noi_dung"]


def test_header_text_nothing_takes_is_kept_with_a_comment(tmp_path: Path) -> None:
    # A line in the header that is no part the decree names: kept, first in the body.
    def stray(root: etree._Element) -> None:
        right = cells(rows(tables(root)[0])[1])[1]
        right.append(plain(run("(Bản chính lưu tại Văn thư)"), centred=True))

    result = import_docx(edit(render(LETTER, tmp_path), stray))
    assert "# không nhận ra phần đầu: (Bản chính lưu tại Văn thư)" in result.yaml_text
    assert any(entry.startswith("phần đầu") for entry in result.unmapped)
    assert "(Bản chính lưu tại Văn thư)" in baocao.load(result.yaml_text).data["mo_dau"]


def test_a_signer_typed_without_the_space_after_the_authority(tmp_path: Path) -> None:
    def squeeze(root: etree._Element) -> None:
        for typed in root.iter(q("w:t")):
            if typed.text == "KT. GIÁM ĐỐC":
                typed.text = "KT.GIÁM ĐỐC"

    back = imported(edit(render(LETTER, tmp_path), squeeze))
    assert back["nguoi_ky"] == expected(LETTER)["nguoi_ky"]


def test_nhu_kinh_gui_stands_for_nhu_tren(tmp_path: Path) -> None:
    text = LETTER.replace("noi_nhan: [", "noi_nhan: [Như kính gửi, ")
    printed = [p.text for p in Docx(render(text, tmp_path)).paragraphs]
    assert "- Như kính gửi;" in printed and "- Như trên;" not in printed


def test_a_nơi_nhan_without_nhu_tren_says_that_layout_adds_it(tmp_path: Path) -> None:
    def drop(root: etree._Element) -> None:
        for para in root.iter(q("w:p")):
            if text_of(para) == "- Như trên;":
                para.getparent().remove(para)
                return

    result = import_docx(edit(render(LETTER, tmp_path), drop))
    assert "Như trên" in result.yaml_text.split("noi_nhan:")[0].splitlines()[-1]
    assert any(entry.startswith("nơi nhận") for entry in result.unmapped)


def test_a_kem_theo_line_broken_by_the_clerk_comes_back_whole(tmp_path: Path) -> None:
    line = "(Kèm theo Báo cáo số 12/BC-CAT-PV01 ngày 05 tháng 3 năm 2025)"

    def split(root: etree._Element) -> None:
        for para in root.iter(q("w:p")):
            if text_of(para) == line:
                second = copy.deepcopy(para)
                para.addnext(second)
                first_texts, second_texts = list(para.iter(q("w:t"))), list(second.iter(q("w:t")))
                first_texts[0].text, second_texts[0].text = line[:35], line[36:]
                for typed in first_texts[1:] + second_texts[1:]:
                    typed.text = ""
                return
        raise LookupError(line)

    appendix = imported(edit(render(MARKED, tmp_path), split))["phu_luc"][0]
    assert appendix["kem_theo"] == line
    assert "dong_phu" not in appendix


@pytest.mark.parametrize("count", [1, 2])
def test_kinh_gui_alone_with_its_addressees_centred_under_it(count: int, tmp_path: Path) -> None:
    # "Kính gửi:" on a line of its own, the addressees centred under it without dashes.
    text = LETTER if count == 2 else LETTER.replace("  - Bộ Nội vụ\n", "")
    names = ["Ủy ban nhân dân tỉnh", "Bộ Nội vụ"][:count]

    def undash(root: etree._Element) -> None:
        for para in list(root.iter(q("w:p"))):
            typed = text_of(para)
            if typed.startswith("Kính gửi"):
                lines = [plain(run("Kính gửi:"))]
                lines += [plain(run(name), centred=True) for name in names]
                for line in reversed(lines):
                    para.addnext(line)
                para.getparent().remove(para)
            elif typed.startswith("- ") and typed.strip("-;. ") in names:
                para.getparent().remove(para)

    back = imported(edit(render(text, tmp_path), undash))
    assert back["kinh_gui"] == (names if count > 1 else names[0])
    assert back["noi_dung"] == expected(text)["noi_dung"]


def test_a_dash_item_after_one_addressee_is_body_text(tmp_path: Path) -> None:
    """The property test found it: "Kính gửi: SỞ A" then a "- " item of the body took the
    item for a second addressee and left the body empty."""
    report = {
        "loai_van_ban": "to-trinh",
        "co_quan_ban_hanh": "SỞ X",
        "so_ky_hieu": {"ky_hieu": "X"},
        "dia_danh": "A",
        "trich_yeu": "B",
        "kinh_gui": "SỞ SỞ",
        "noi_dung": [{"gach": "Kết kết"}],
        "noi_nhan": ["C"],
        "nguoi_ky": {"chuc_vu": "D"},
    }
    for kinh_gui in ("SỞ SỞ", ["SỞ A", "SỞ B"]):
        source = tmp_path / "a.docx"
        source.write_bytes(baocao.render(baocao.validate({**report, "kinh_gui": kinh_gui})))
        data = import_docx(source).validated.data
        assert data["kinh_gui"] == kinh_gui
        assert data["noi_dung"] == [{"gach": "Kết kết"}]
