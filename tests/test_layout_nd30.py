"""The decree's layout rules (Nghị định 30/2020, Phụ lục I), read from the rendered XML."""

from __future__ import annotations

import pytest

from baocao import measure
from baocao.layout import HEADER_LEFT, HEADER_RIGHT, QUOC_HIEU, TIEU_NGU
from tests.conftest import MINIMAL, render_text, with_changes
from tests.docx_facts import NS, Docx, q

MM = 1440 / 25.4


def twips(mm: float) -> int:
    return round(mm * MM)


# -- page ------------------------------------------------------------------------


def test_page_is_a4_portrait(minimal: Docx) -> None:
    size = minimal.section.find("w:pgSz", NS)
    assert (size.get(q("w:w")), size.get(q("w:h"))) == ("11906", "16838")
    assert size.get(q("w:orient")) in (None, "portrait")


def test_default_margins_are_20_20_30_15_mm(minimal: Docx) -> None:
    margins = minimal.section.find("w:pgMar", NS)
    got = {side: int(margins.get(q(f"w:{side}"))) for side in ("top", "bottom", "left", "right")}
    assert got == {"top": twips(20), "bottom": twips(20), "left": twips(30), "right": twips(15)}


def test_margins_follow_the_yaml_within_the_decree_ranges() -> None:
    doc = render_text(
        with_changes(trinh_bay="{le_trang: {tren: 25, duoi: 20, trai: 35, phai: 20}}")
    )
    margins = doc.section.find("w:pgMar", NS)
    assert int(margins.get(q("w:top"))) == twips(25)
    assert int(margins.get(q("w:left"))) == twips(35)
    assert int(margins.get(q("w:right"))) == twips(20)


def test_every_run_is_times_new_roman(starter: Docx) -> None:
    fonts = set().union(*(p.fonts() for p in starter.paragraphs if p.runs()))
    assert fonts == {"Times New Roman"}


# -- header block (ô 1–4) --------------------------------------------------------------


def test_header_is_a_borderless_two_column_table(minimal: Docx) -> None:
    header = minimal.tables()[0]
    widths = [int(c.get(q("w:w"))) for c in header.findall("w:tblGrid/w:gridCol", NS)]
    assert widths == [HEADER_LEFT, HEADER_RIGHT]
    borders = header.find("w:tblPr/w:tblBorders", NS)
    assert {b.get(q("w:val")) for b in borders} == {"nil"}
    agency_cell, motto_cell = header.find("w:tr", NS).findall("w:tc", NS)
    assert "SỞ THÔNG TIN VÀTRUYỀN THÔNG" in "".join(agency_cell.itertext())  # two lines
    assert QUOC_HIEU in "".join(motto_cell.itertext())


def test_quoc_hieu_and_tieu_ngu(minimal: Docx) -> None:
    quoc_hieu, tieu_ngu = minimal.find(QUOC_HIEU), minimal.find(TIEU_NGU)
    assert tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc"
    assert (quoc_hieu.size(), quoc_hieu.toggles("b"), quoc_hieu.align) == (13, {True}, "center")
    assert (tieu_ngu.size(), tieu_ngu.toggles("b"), tieu_ngu.align) == (14, {True}, "center")


def rule_after(doc: Docx, text: str) -> tuple[int, int]:
    """Return (rule length, available width) of the rule paragraph after ``text``."""
    paragraphs = doc.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if text in p.text)
    rule = next(p for p in paragraphs[index + 1 :] if p.style == "BCGach")
    assert (
        rule.element.find("w:pPr/w:pBdr/w:top", NS) is not None
        or rule.ppr("w:pBdr/w:top") is not None
    )
    assert rule.text == ""
    ind = rule.element.find("w:pPr/w:ind", NS)
    left, right = int(ind.get(q("w:left"))), int(ind.get(q("w:right")))
    assert left == right  # centred
    cell = rule.element.getparent()
    if cell.tag == q("w:tc"):
        available = int(cell.find("w:tcPr/w:tcW", NS).get(q("w:w"))) - 2 * measure.mm(1)
    else:
        available = doc_text_width(doc)
    return available - left - right, available


def doc_text_width(doc: Docx) -> int:
    margins = doc.section.find("w:pgMar", NS)
    return 11906 - int(margins.get(q("w:left"))) - int(margins.get(q("w:right")))


def test_rule_under_tieu_ngu_is_as_long_as_its_text(minimal: Docx) -> None:
    length, _ = rule_after(minimal, TIEU_NGU)
    assert length == pytest.approx(measure.text_width(TIEU_NGU, 14, bold=True), abs=2)
    assert twips(58) < length < twips(63)  # 60,5 mm in Times New Roman 14 pt bold


@pytest.mark.parametrize("agency", ["SỞ TƯ PHÁP", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "VĂN PHÒNG"])
def test_rule_under_agency_is_a_third_to_a_half_of_its_line(agency: str) -> None:
    doc = render_text(with_changes(co_quan_ban_hanh=agency))
    printed = doc.with_style("BCCoQuan")[0].text.split("\n")  # a long name: its longest line
    length, available = rule_after(doc, printed[0])
    longest = max(measure.text_width(line, 13, bold=True) for line in printed)
    line = min(longest, available)
    assert line / 3 <= length <= line / 2


def test_agency_lines(minimal: Docx) -> None:
    parent, agency = minimal.find("UBND TỈNH QUẢNG NAM"), minimal.find("SỞ THÔNG TIN")
    assert (parent.size(), parent.toggles("b"), parent.align) == (13, {False}, "center")
    assert (agency.size(), agency.toggles("b"), agency.align) == (13, {True}, "center")
    assert agency.toggles("caps") == {True}


def test_parent_agency_is_optional() -> None:
    doc = render_text(MINIMAL.replace("co_quan_chu_quan: UBND TỈNH QUẢNG NAM\n", ""))
    assert "UBND TỈNH" not in doc.text
    assert doc.with_style("BCCoQuanChuQuan") == []


def test_so_and_date_share_one_row(minimal: Docx) -> None:
    second_row = minimal.tables()[0].findall("w:tr", NS)[1]
    left, right = ("".join(c.itertext()) for c in second_row.findall("w:tc", NS))
    assert left == "Số: 05/BC-STTTT"
    assert right == "Quảng Nam, ngày 12 tháng 11 năm 2021"
    so, date = minimal.find("Số: 05"), minimal.find("Quảng Nam, ngày")
    assert (so.size(), date.size(), date.toggles("i")) == (13, 14, {True})


@pytest.mark.parametrize(
    ("numbering", "expected"),
    [
        ("{so: 5, ky_hieu: STTTT}", "Số: 05/BC-STTTT"),
        ("{so: 442, ky_hieu: STTTT}", "Số: 442/BC-STTTT"),
        ("{so: '7', ky_hieu: SKHCN-BCVT&TĐC}", "Số: 07/BC-SKHCN-BCVT&TĐC"),
        ("{ky_hieu: STTTT}", "Số:      /BC-STTTT"),
        ("{so: , ky_hieu: STTTT}", "Số:      /BC-STTTT"),
        ("{so: 12, ky_hieu: BC-UBND}", "Số: 12/BC-UBND"),
        ("{so: 3, ky_hieu: UBND-VX}", "Số: 03/BC-UBND-VX"),
    ],
)
def test_number_and_symbol(numbering: str, expected: str) -> None:
    doc = render_text(with_changes(so_ky_hieu=numbering))
    assert doc.find("Số:").text == expected


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        ("2021-02-05", "Quảng Nam, ngày 05 tháng 02 năm 2021"),
        ("2021-03-19", "Quảng Nam, ngày 19 tháng 3 năm 2021"),
        ("2021-12-25", "Quảng Nam, ngày 25 tháng 12 năm 2021"),
        ("{thang: 12, nam: 2022}", "Quảng Nam, ngày      tháng 12 năm 2022"),
        ("{thang: 1, nam: 2022}", "Quảng Nam, ngày      tháng 01 năm 2022"),
        ("", "Quảng Nam, ngày      tháng      năm      "),
    ],
)
def test_place_and_date(issued: str, expected: str) -> None:
    doc = render_text(with_changes(ngay_ban_hanh=issued))
    assert doc.find("Quảng Nam, ngày").text == expected


def test_e_office_tokens_replace_number_and_date() -> None:
    doc = render_text(with_changes(ma_dac_biet="true"))
    number, place = doc.find("#SoKyHieuVanBan"), doc.find("#DiaDiemNgayBanHanh")
    assert number.text == "Số: #SoKyHieuVanBan"
    assert place.text == "#DiaDiemNgayBanHanh"
    # Left-aligned: the signing tool paints the final text from the token's left edge.
    assert (number.align, place.align) == ("left", "left")
    assert len(number.runs()) == 1 and len(place.runs()) == 1


def test_e_office_token_strings_are_configurable() -> None:
    doc = render_text(
        with_changes(ma_dac_biet="{so_ky_hieu: '#SoVB', dia_danh_ngay: '#DiaDiemBanHanh'}")
    )
    assert doc.find("#SoVB").text == "Số: #SoVB"
    assert doc.find("#DiaDiemBanHanh").text == "#DiaDiemBanHanh"


# -- title (ô 5a) ---------------------------------------------------------------------


def test_type_name_and_trich_yeu(minimal: Docx) -> None:
    title, summary = minimal.find("BÁO CÁO"), minimal.find("Kết quả công tác năm 2021")
    assert title.text == "BÁO CÁO"
    assert (title.size(), title.toggles("b"), title.align) == (14, {True}, "center")
    assert (summary.size(), summary.toggles("b"), summary.align) == (14, {True}, "center")


def test_rule_under_trich_yeu_is_a_third_to_a_half_of_it(minimal: Docx) -> None:
    summary = "Kết quả công tác năm 2021"
    length, _ = rule_after(minimal, summary)
    width = measure.text_width(summary, 14, bold=True)
    assert width / 3 <= length <= width / 2


def test_trich_yeu_may_have_three_lines() -> None:
    doc = render_text(with_changes(trich_yeu="[Dòng một, Dòng hai, Dòng ba]"))
    assert [p.text for p in doc.with_style("BCTrichYeu")] == ["Dòng một", "Dòng hai", "Dòng ba"]


# -- body (ô 6) ------------------------------------------------------------------------


def test_body_paragraph_format(minimal: Docx) -> None:
    body = minimal.find("Nội dung.")
    assert body.size() == 14
    assert body.align == "both"
    assert twips(10) <= body.twips("w:ind", "w:firstLine") <= twips(12.7) + 1
    assert body.twips("w:spacing", "w:before") >= 120  # at least 6 pt
    line = body.ppr("w:spacing")
    assert line.get(q("w:lineRule")) == "auto" and 240 <= int(line.get(q("w:line"))) <= 360


NUMBERED = (
    """\
noi_dung:
  - tieu_de: Một
    noi_dung:
      - tieu_de: Con một
        noi_dung:
"""
    + "".join(f"          - tieu_de: Điểm {i}\n" for i in range(1, 9))
    + """\
      - tieu_de: Con hai
        noi_dung:
          - Đoạn
  - tieu_de: Hai
    noi_dung:
      - noi_dung: [Nội dung không tiêu đề]
      - so_muc: "6.1."
        tieu_de: Nhãn tự đặt
      - tieu_de: Sâu
        noi_dung:
          - tieu_de: Cấp ba
            noi_dung:
              - tieu_de: Cấp bốn
                noi_dung:
                  - tieu_de: Cấp năm
"""
)


@pytest.fixture(scope="module")
def numbered() -> Docx:
    text = MINIMAL.replace("noi_dung:\n  - Nội dung.\n", NUMBERED)
    return render_text(text)


def test_numbering_labels_follow_the_decree(numbered: Docx) -> None:
    headings = [p.text for p in numbered.paragraphs if p.style.startswith("BCMuc")]
    assert headings == [
        "I. Một",
        "1. Con một",
        "a) Điểm 1",
        "b) Điểm 2",
        "c) Điểm 3",
        "d) Điểm 4",
        "đ) Điểm 5",
        "e) Điểm 6",
        "g) Điểm 7",
        "h) Điểm 8",
        "2. Con hai",
        "II. Hai",
        "6.1. Nhãn tự đặt",
        "3. Sâu",
        "a) Cấp ba",
        "- Cấp bốn",
        "+ Cấp năm",
    ]


def test_closing_mark_never_lands_on_a_heading(numbered: Docx) -> None:
    assert "./." not in numbered.text


def test_section_without_title_opens_its_first_paragraph(numbered: Docx) -> None:
    para = numbered.find("Nội dung không tiêu đề")
    assert para.text == "1. Nội dung không tiêu đề"
    assert para.style == "BCNoiDung"


def test_heading_formats(numbered: Docx) -> None:
    level1, level2, level3 = (
        numbered.find("I. Một"),
        numbered.find("1. Con một"),
        numbered.find("a) Điểm 1"),
    )
    assert level1.toggles("b") == {True} and level1.toggles("caps") == {True}
    assert level2.toggles("b") == {True} and level2.toggles("caps") == {False}
    assert level3.toggles("b") == {False}


def test_dash_and_plus_items_are_typed_text_not_word_bullets() -> None:
    doc = render_text(
        MINIMAL.replace("  - Nội dung.\n", "  - gach: Mục gạch\n  - cong: Mục cộng\n")
    )
    dash, plus = doc.find("Mục gạch"), doc.find("Mục cộng")
    assert (dash.text, plus.text) == ("- Mục gạch", "+ Mục cộng./.")
    assert dash.element.find("w:pPr/w:numPr", NS) is None
    assert "numbering.xml" not in "".join(doc.zip.namelist())


def test_inline_bold_and_italic() -> None:
    doc = render_text(MINIMAL.replace("Nội dung.", '"Có **đậm** và *nghiêng*, 5 * 3 và a*b."'))
    para = doc.find("đậm")
    assert para.text == "Có đậm và nghiêng, 5 * 3 và a*b./."
    runs = {
        "".join(r.itertext()): (
            bool(para.rpr(r, "w:b") is not None),
            bool(para.rpr(r, "w:i") is not None),
        )
        for r in para.runs()
    }
    assert runs["đậm"] == (True, False)
    assert runs["nghiêng"] == (False, True)
    assert runs["Có "] == (False, False)


def test_urls_stay_visible_text() -> None:
    doc = render_text(
        MINIMAL.replace(
            "Nội dung.", '"Tại địa chỉ https://dichvucong.quangnam.gov.vn/a_b_c?x=1&y=2."'
        )
    )
    assert "https://dichvucong.quangnam.gov.vn/a_b_c?x=1&y=2" in doc.text


def test_special_characters_survive_rendering() -> None:
    text = "Phòng Kế hoạch & Đầu tư <KH&ĐT> \"trích\" 'dẫn' và hoà/hòa"
    doc = render_text(MINIMAL.replace("Nội dung.", '"' + text.replace('"', '\\"') + '"'))
    assert text + "./." in doc.text


def test_closing_mark_is_added_once() -> None:
    forgot = render_text(with_changes(ket_thuc="Trên đây là báo cáo"))
    assert forgot.find("Trên đây là").text == "Trên đây là báo cáo./."
    kept = render_text(with_changes(ket_thuc="Kính gửi Sở theo dõi, tổng hợp./."))
    assert kept.find("Kính gửi Sở").text == "Kính gửi Sở theo dõi, tổng hợp./."
    assert kept.find("Nội dung.").text == "Nội dung."


def test_can_cu_lines_are_italic_and_punctuated() -> None:
    doc = render_text(
        with_changes(can_cu="[Căn cứ Luật A, Căn cứ Nghị định B;, 'Căn cứ Quyết định C']")
    )
    lines = doc.with_style("BCCanCu")
    assert [p.text for p in lines] == [
        "Căn cứ Luật A;",
        "Căn cứ Nghị định B;",
        "Căn cứ Quyết định C.",
    ]
    assert all(p.toggles("i") == {True} for p in lines)


def test_table_numbers_are_vietnamese_and_right_aligned(starter: Docx) -> None:
    cell = starter.find("16.867")
    assert cell.in_table and cell.text == "16.867" and cell.align == "right"
    assert starter.find("26,86").text == "26,86"
    header_row = starter.tables()[1].find("w:tr", NS)
    assert header_row.find("w:trPr/w:tblHeader", NS) is not None


# -- Nơi nhận (ô 9b) and signer (ô 7) -------------------------------------------------------


def test_noi_nhan_punctuation_and_sizes() -> None:
    doc = render_text(
        with_changes(noi_nhan="['UBND tỉnh', '- Sở KHĐT;', 'Các phòng (t/h)', 'Lưu: VT, VP (TH).']")
    )
    label = doc.find("Nơi nhận:")
    assert (label.size(), label.toggles("b"), label.toggles("i")) == (12, {True}, {True})
    items = [p.text for p in doc.with_style("BCNoiNhan")]
    assert items == ["- UBND tỉnh;", "- Sở KHĐT;", "- Các phòng (t/h);", "- Lưu: VT, VP (TH)."]
    assert {p.size() for p in doc.with_style("BCNoiNhan")} == {11}


def test_noi_nhan_left_and_signer_right_on_one_row(minimal: Docx) -> None:
    signature = minimal.tables()[-1]
    left, right = signature.find("w:tr", NS).findall("w:tc", NS)
    assert "".join(left.itertext()).startswith("Nơi nhận:")
    assert "GIÁM ĐỐC" in "".join(right.itertext())
    label, first_line = minimal.find("Nơi nhận:"), minimal.find("GIÁM ĐỐC")
    assert label.twips("w:spacing", "w:before") == first_line.twips("w:spacing", "w:before")


@pytest.mark.parametrize(
    ("signer", "lines"),
    [
        ("{chuc_vu: GIÁM ĐỐC, ho_ten: Đoàn Thanh Bình}", ["GIÁM ĐỐC"]),
        (
            "{quyen_han: KT., thay_cho: CHÁNH VĂN PHÒNG, chuc_vu: PHÓ CHÁNH VĂN PHÒNG, ho_ten: Lê Chí Phương}",
            ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"],
        ),
        (
            "{quyen_han: TM., thay_cho: ỦY BAN NHÂN DÂN, chuc_vu: CHỦ TỊCH, ho_ten: A}",
            ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        ),
        ("{quyen_han: Q., chuc_vu: GIÁM ĐỐC, ho_ten: A}", ["Q. GIÁM ĐỐC"]),
        (
            "{quyen_han: TL., thay_cho: GIÁM ĐỐC, chuc_vu: CHÁNH VĂN PHÒNG, chuc_vu_2: TRƯỞNG BAN, ho_ten: A}",
            ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "TRƯỞNG BAN"],
        ),
    ],
)
def test_signer_block(signer: str, lines: list[str]) -> None:
    doc = render_text(with_changes(nguoi_ky=signer))
    block = doc.with_style("BCChucVu")
    assert [p.text for p in block] == lines
    for p in block:
        assert (p.size(), p.toggles("b"), p.toggles("caps"), p.align) == (
            14,
            {True},
            {True},
            "center",
        )
    name = doc.with_style("BCHoTen")[0]
    assert (name.toggles("b"), name.align) == ({True}, "center")
    assert name.twips("w:spacing", "w:before") >= 1200  # room for signature and seal


def test_unsigned_draft_leaves_the_name_blank() -> None:
    doc = render_text(with_changes(nguoi_ky="{chuc_vu: GIÁM ĐỐC}"))
    assert doc.with_style("BCHoTen")[0].text == ""


# -- page numbers (PL I, I.7) ---------------------------------------------------------------


def test_page_number_in_header_from_page_two(minimal: Docx) -> None:
    assert minimal.section.find("w:titlePg", NS) is not None
    default, first = minimal.header_part("default"), minimal.header_part("first")
    instructions = "".join(default.itertext())
    assert "PAGE" in instructions
    para = default.find("w:p", NS)
    style = para.find("w:pPr/w:pStyle", NS).get(q("w:val"))
    assert minimal.style_ppr(style, "w:jc").get(q("w:val")) == "center"
    assert int(minimal.style_rpr(style, "w:sz").get(q("w:val"))) in (26, 28)
    assert "".join(first.itertext()).strip() == ""
    assert first.find(".//w:fldChar", NS) is None and first.find(".//w:instrText", NS) is None


# -- sizes that move together (PL I, footnote 1 of the Mục V table) --------------------------


def test_smaller_header_set_is_12_13_13_and_its_rule_follows() -> None:
    """The "Số:" line stays 13 pt in both sets (PL I, mục II.3)."""
    doc = render_text(with_changes(trinh_bay="{co_chu_quoc_hieu: 12}"))
    sizes = {
        text: doc.find(text).size()
        for text in (QUOC_HIEU, TIEU_NGU, "Quảng Nam, ngày", "SỞ THÔNG TIN", "Số: 05")
    }
    assert sizes == {
        QUOC_HIEU: 12,
        TIEU_NGU: 13,
        "Quảng Nam, ngày": 13,
        "SỞ THÔNG TIN": 12,
        "Số: 05": 13,
    }
    length, _ = rule_after(doc, TIEU_NGU)
    assert length == pytest.approx(measure.text_width(TIEU_NGU, 13, bold=True), abs=2)


def test_body_may_be_13_pt_and_title_and_signer_follow() -> None:
    doc = render_text(with_changes(trinh_bay="{co_chu: 13}"))
    for text in ("Nội dung.", "BÁO CÁO", "Kết quả công tác năm 2021", "GIÁM ĐỐC", "Nguyễn Văn A"):
        assert doc.find(text).size() == 13, text
    assert doc.find(QUOC_HIEU).size() == 13  # the header set is independent


def test_sizes_outside_the_decree_are_refused() -> None:
    from baocao import ValidationFailed, load, validate

    with pytest.raises(ValidationFailed) as caught:
        validate(load(with_changes(trinh_bay="{co_chu: 12, co_chu_quoc_hieu: 14}")))
    assert sorted(i.path for i in caught.value.issues) == [
        ("trinh_bay", "co_chu"),
        ("trinh_bay", "co_chu_quoc_hieu"),
    ]
