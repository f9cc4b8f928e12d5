"""Phụ lục after the signature: own sections, orientation, numbering, reference line, closing."""

from __future__ import annotations

import pytest

import baocao
from baocao.tables import build
from baocao.widths import table_minimum_width
from tests.conftest import EXAMPLES, MINIMAL, render_text, with_changes
from tests.docx_facts import NS, Docx, q

WIDE_TABLE = (
    "          cot: [" + ", ".join(f"Cột số {i}" for i in range(1, 15)) + "]\n"
    "          dong: [[" + ", ".join(str(123456 + i) for i in range(1, 15)) + "]]\n"
)

APPENDICES = (
    """\
phu_luc:
  - tieu_de: Danh mục văn bản
    dong_phu: ["Kỳ báo cáo: Quý I năm 2021", "Đơn vị tính: văn bản"]
    noi_dung:
      - Đoạn trong phụ lục.
  - tieu_de: Số liệu chi tiết
    noi_dung:
      - bang:
"""
    + WIDE_TABLE
    + """\
    dia_danh_ngay: {ngay: 19, thang: 3, nam: 2021}
    nguoi_ky:
      - {chuc_vu: Người lập biểu, ho_ten: Đoàn Thị Hoàn}
      - {chuc_vu: GIÁM ĐỐC, ho_ten: Vũ Trọng Quế}
"""
)


@pytest.fixture(scope="module")
def doc() -> Docx:
    return render_text(MINIMAL + APPENDICES)


def section_properties(doc: Docx) -> list:  # type: ignore[type-arg]
    inner = [
        p.find("w:pPr/w:sectPr", NS) for p in doc.document.find("w:body", NS).findall("w:p", NS)
    ]
    return [s for s in inner if s is not None] + [doc.section]


def test_each_appendix_is_a_section_of_its_own(doc: Docx) -> None:
    sections = section_properties(doc)
    assert len(sections) == 3  # the report, then two appendices
    for sect in sections:
        assert sect.find("w:pgNumType", NS).get(q("w:start")) == "1"  # numbering restarts
        assert sect.find("w:titlePg", NS) is not None  # no number on a section's first page
        assert {r.get(q("w:type")) for r in sect.findall("w:headerReference", NS)} == {
            "default",
            "first",
        }
        assert (
            sect.find("w:type", NS) is None or sect.find("w:type", NS).get(q("w:val")) == "nextPage"
        )


def test_wide_table_needs_more_than_a_portrait_page() -> None:
    wide = {"cot": [f"Cột số {i}" for i in range(14)], "dong": [[123456] * 14]}
    narrow = {"cot": ["TT", "Tên"], "dong": [[1, "A"]]}
    assert (
        table_minimum_width(build(wide)) > 11906 - 1701 - 850 > table_minimum_width(build(narrow))
    )


def test_orientation_follows_the_table_width(doc: Docx) -> None:
    sizes = [
        (s.find("w:pgSz", NS).get(q("w:w")), s.find("w:pgSz", NS).get(q("w:orient")))
        for s in section_properties(doc)
    ]
    assert sizes == [("11906", None), ("11906", None), ("16838", "landscape")]


@pytest.mark.parametrize(("flag", "expected"), [("true", "landscape"), ("false", None)])
def test_orientation_can_be_chosen(flag: str, expected: str | None) -> None:
    text = MINIMAL + APPENDICES.replace(
        "    dia_danh_ngay:", f"    ngang: {flag}\n    dia_danh_ngay:"
    )
    last = section_properties(render_text(text))[-1]
    assert last.find("w:pgSz", NS).get(q("w:orient")) == expected


def test_headings_and_roman_numbers_when_there_are_several(doc: Docx) -> None:
    assert [p.text for p in doc.with_style("BCPhuLucSo")] == ["Phụ lục I", "Phụ lục II"]
    titles = doc.with_style("BCPhuLucTieuDe")
    assert [p.text for p in titles] == ["Danh mục văn bản", "Số liệu chi tiết"]
    assert titles[0].toggles("b") == {True} and titles[0].toggles("caps") == {True}
    assert [p.text for p in doc.with_style("BCDongPhu")] == [
        "Kỳ báo cáo: Quý I năm 2021",
        "Đơn vị tính: văn bản",
    ]


def test_reference_line_is_filled_from_the_header(doc: Docx) -> None:
    lines = doc.with_style("BCKemTheo")
    assert [p.text for p in lines] == [
        "(Kèm theo Báo cáo số 05/BC-STTTT ngày 12 tháng 11 năm 2021)"
    ] * 2
    assert lines[0].toggles("i") == {True} and lines[0].size() == 13


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            {"so_ky_hieu": "{ky_hieu: STTTT}", "ngay_ban_hanh": "{thang: 12, nam: 2022}"},
            "(Kèm theo Báo cáo số      /BC-STTTT ngày      tháng 12 năm 2022)",
        ),
        (
            {"ma_dac_biet": "true"},
            "(Kèm theo Báo cáo số      /BC-STTTT ngày      tháng      năm      )",
        ),
    ],
)
def test_reference_line_stays_blank_where_the_header_is(
    header: dict[str, str], expected: str
) -> None:
    doc = render_text(with_changes(**header) + "phu_luc: [{tieu_de: A, noi_dung: [x]}]\n")
    assert doc.with_style("BCKemTheo")[0].text == expected


def test_reference_line_can_be_written_or_left_out() -> None:
    written = render_text(
        MINIMAL + "phu_luc: [{tieu_de: A, kem_theo: '(Kèm theo Báo cáo số 05/BC-STTTT của Sở)'}]\n"
    )
    assert written.with_style("BCKemTheo")[0].text == "(Kèm theo Báo cáo số 05/BC-STTTT của Sở)"
    none = render_text(MINIMAL + "phu_luc: [{tieu_de: A, kem_theo: false, so: 1}]\n")
    assert none.with_style("BCKemTheo") == []
    assert [p.text for p in none.with_style("BCPhuLucSo")] == ["Phụ lục 1"]


def test_a_single_appendix_without_number_has_its_phu_luc_line() -> None:
    """The decree's sample (Mẫu 2.1) heads even a lone appendix with "Phụ lục" (issue 17)."""
    doc = render_text(MINIMAL + "phu_luc: [{tieu_de: TÌNH HÌNH GIẢI QUYẾT}]\n")
    assert [p.text for p in doc.with_style("BCPhuLucSo")] == ["Phụ lục"]
    assert doc.with_style("BCPhuLucTieuDe")[0].text == "TÌNH HÌNH GIẢI QUYẾT"


def test_closing_has_its_date_and_signers_side_by_side(doc: Docx) -> None:
    closing = doc.document.find("w:body", NS).findall("w:tbl", NS)[-1]
    date_row, signer_row = closing.findall("w:tr", NS)
    assert "".join(date_row.itertext()) == "Quảng Nam, ngày 19 tháng 3 năm 2021"
    left, right = (
        "\n".join("".join(p.itertext()) for p in tc.findall("w:p", NS))
        for tc in signer_row.findall("w:tc", NS)
    )
    assert (left, right) == ("Người lập biểu\nĐoàn Thị Hoàn", "GIÁM ĐỐC\nVũ Trọng Quế")
    # Titles keep the author's case here ("Người lập biểu" is not a post in capitals).
    title = doc.find("Người lập biểu")
    assert title.toggles("caps") == {False} and title.toggles("b") == {True}


def test_first_level_numbering_can_start_at_arabic() -> None:
    text = with_changes(trinh_bay='{muc_dau: "1."}').replace(
        "  - Nội dung.\n",
        "  - tieu_de: Một\n    noi_dung: [{noi_dung: [Điểm thứ nhất]}]\n  - tieu_de: Hai\n",
    )
    doc = render_text(text)
    assert [p.text for p in doc.paragraphs if p.style.startswith("BCMuc")] == ["1. Một", "2. Hai"]
    assert doc.find("Điểm thứ nhất").text == "a) Điểm thứ nhất"


def test_seed_004_example_has_its_appendix_in_landscape() -> None:
    doc = Docx(
        baocao.render(
            baocao.validate(
                baocao.load(EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml")
            )
        )
    )
    last = section_properties(doc)[-1]
    assert last.find("w:pgSz", NS).get(q("w:orient")) == "landscape"
    assert "TỔNG CỘNG" in doc.text and "Đoàn Thị Hoàn" in doc.text


def test_a_single_appendix_signer_stands_on_the_right() -> None:
    doc = render_text(
        MINIMAL
        + "phu_luc: [{tieu_de: A, dia_danh_ngay: 2021-03-19, nguoi_ky: [{chuc_vu: GIÁM ĐỐC, ho_ten: B}]}]\n"
    )
    closing = doc.document.find("w:body", NS).findall("w:tbl", NS)[-1]
    date_row, signer_row = closing.findall("w:tr", NS)
    left, right = signer_row.findall("w:tc", NS)
    assert "".join(left.itertext()) == "" and "".join(right.itertext()) == "GIÁM ĐỐCB"
    assert (
        "".join(date_row.findall("w:tc", NS)[-1].itertext())
        == "Quảng Nam, ngày 19 tháng 3 năm 2021"
    )


def test_the_date_column_is_wide_enough_for_its_line() -> None:
    from baocao import measure

    doc = render_text(MINIMAL + APPENDICES.replace("ngang: true", "ngang: false"))
    closing = doc.document.find("w:body", NS).findall("w:tbl", NS)[-1]
    last = int(closing.findall("w:tblGrid/w:gridCol", NS)[-1].get(q("w:w")))
    assert last >= measure.text_width("Quảng Nam, ngày 19 tháng 3 năm 2021", 14)
