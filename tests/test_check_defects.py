"""The general cases behind the real files' verdicts (issue 19, item 4, and item 1's rule
lengths): each a small document, our render edited or one made with python-docx, showing
what the checker now says and why; ``tests/test_real_defects.py`` holds the real files.
"""

from __future__ import annotations

import copy
import json

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from baocao.check import check, read
from baocao.docx.read import NS, q
from tests.test_check import (
    REPORT,
    both,
    edit,
    paragraph,
    remove_rule_after,
    render,
    replace_text,
    run_property,
    saved,
)
from tests.test_check_recognition import (
    WITHOUT_RULES,
    draw_in_empty_after,
    drawing_line,
    vml_connector,
)

W = f'xmlns:w="{NS["w"]}"'


@pytest.fixture(scope="module")
def good() -> bytes:
    return render(REPORT)


def keys(data: bytes, rule: str) -> list[tuple[str, int | None, str | None]]:
    """The findings of ``rule`` as the JSON gives them: (code, paragraph, subject)."""
    found = json.loads(json.dumps(check(data).as_dict()))
    result = next(r for r in found["rules"] if r["rule"] == rule)
    return [(f["code"], f["paragraph"], f["subject"]) for f in result["findings"]]


def append_run(text: str, xml: str) -> object:
    """Add a run ``xml`` at the end of the paragraph holding ``text``."""

    def change(root: etree._Element) -> None:
        paragraph(root, text).append(etree.fromstring(f"<w:r {W}>{xml}</w:r>"))

    return change


# -- one finding per cause, each at its own paragraph -------------------------------------------


def test_the_parent_agency_and_the_agency_point_at_their_own_lines(good: bytes) -> None:
    """Real 08 and 12: both lines 14 pt used to point at the agency's paragraph only."""
    data = edit(
        good,
        both(
            run_property("UBND TỈNH QUẢNG NAM", '<w:sz w:val="28"/>'),
            run_property("TRUYỀN THÔNG", '<w:sz w:val="28"/>'),
        ),
    )
    found = keys(data, "co_quan")
    parent = read(data).header.parent_agency[0].at.paragraph + 1
    agency = read(data).header.agency[0].at.paragraph + 1
    assert found == [("check_format", parent, None), ("check_format", agency, None)]
    message = check(data)["co_quan"].message("vi")
    assert f"“UBND TỈNH QUẢNG NAM” cỡ chữ cần từ 12 đến 13 pt (đang là 14 pt) (đoạn {parent})" in (
        message
    )
    assert message.endswith(f"(đoạn {agency})")


THREE_LISTS = REPORT.replace(
    "      - tieu_de: Công tác khác\n        noi_dung: [Đoạn văn thứ nhất., Đoạn văn thứ hai.]",
    "      - tieu_de: Công tác khác\n        noi_dung:\n"
    + "".join(
        f"          - tieu_de: Việc {n}\n" for n in ("một", "hai", "ba", "bốn", "năm", "sáu")
    ),
)
"""Two lettered lists, a) to g) and a) to e)."""


def test_a_repeated_numbering_break_is_one_finding_naming_each_paragraph() -> None:
    """Real 17: "d)" then "e)" in two lists is one habit: one finding, both paragraphs."""
    data = edit(
        render(THREE_LISTS),
        both(
            replace_text("đ) Điểm năm", "e) Điểm năm"),
            replace_text("e) Điểm sáu", "g) Điểm sáu"),
            replace_text("g) Điểm bảy", "h) Điểm bảy"),
            replace_text("đ) Việc năm", "e) Việc năm"),
            replace_text("e) Việc sáu", "g) Việc sáu"),
        ),
    )
    result = check(data)["danh_so"]
    findings = result.findings()
    assert len(findings) == 1
    first, second = (
        next(p.at.paragraph + 1 for p in read(data).numbered if p.text.startswith(start))
        for start in ("e) Điểm năm", "e) Việc năm")
    )
    assert findings[0]["paragraphs"] == [first, second]
    # the cause said once, then where
    assert (
        result.detail("vi") == f"thấy “d)” rồi “e)”; sau “d)” cần là “đ)” (đoạn {first}, {second})"
    )


# -- what does not show is not judged ----------------------------------------------------------


def test_a_run_of_spaces_in_another_size_is_not_the_body_text_size(good: bytes) -> None:
    """Real 09: a 12 pt run holding only spaces prints nothing at 12 pt."""
    spaces = append_run(
        "Đoạn văn thứ nhất.", '<w:rPr><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">   </w:t>'
    )
    assert check(edit(good, spaces))["noi_dung"].passed
    letters = append_run("Đoạn văn thứ nhất.", '<w:rPr><w:sz w:val="24"/></w:rPr><w:t> Thêm</w:t>')
    assert not check(edit(good, letters))["noi_dung"].passed


def test_the_luu_line_is_judged_on_its_words(good: bytes) -> None:
    """Real 06: "- Lưu: VT, NC.Châu(04b)" with the full stop and the drafter's mark in
    9 pt subscript: the line's words are 11 pt, the small full stop is not a cause."""
    tail = both(
        replace_text("- Lưu: VT, VP.", "- Lưu: VT, VP"),
        append_run("- Lưu: VT, VP", '<w:rPr><w:sz w:val="18"/></w:rPr><w:t>.</w:t>'),
        append_run(
            "- Lưu: VT, VP",
            '<w:rPr><w:sz w:val="18"/><w:vertAlign w:val="subscript"/></w:rPr><w:t>Châu(04b)</w:t>',
        ),
    )
    assert check(edit(good, tail))["noi_nhan"].passed
    small_words = run_property("- Lưu: VT, VP.", '<w:sz w:val="18"/>')
    assert ("check_format", None, None) not in keys(edit(good, small_words), "noi_nhan")
    assert not check(edit(good, small_words))["noi_nhan"].passed


def test_an_unused_even_footer_number_is_no_page_number() -> None:
    """Real 07: a PAGE field only in the even-page footer, without evenAndOddHeaders,
    is never printed: a one-page letter has no page number, not one "in the footer"."""
    document = docx.Document()
    document.add_paragraph("Một trang.")
    footer = document.sections[0].even_page_footer.paragraphs[0]
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), " PAGE ")
    footer._p.append(simple)
    result = check(saved(document))["so_trang"]
    assert result.passed, result.message("en")
    document.settings.odd_and_even_pages_header_footer = True
    assert check(saved(document))["so_trang"].problems[0].code == "check_so_trang_footer"


# -- defects the checker did not see -----------------------------------------------------------


def test_the_number_line_is_13_pt(good: bytes) -> None:
    """Real 12, 14, 20: "Số: …" at 14 pt (PL I, II.3: 13 pt)."""
    data = edit(good, run_property("Số: 12/BC-STTTT", '<w:sz w:val="28"/>'))
    number = read(data).header.number
    assert number is not None
    assert keys(data, "so_ky_hieu") == [("check_format", number.at.paragraph + 1, None)]
    assert "cỡ chữ cần là 13 pt (đang là 14 pt)" in check(data)["so_ky_hieu"].message("vi")


def test_a_signing_authority_without_its_space() -> None:
    """Real 20: "TL.CHỦ TỊCH" is written "TL. CHỦ TỊCH" (PL I, II.7.a)."""
    signed = render(
        REPORT.replace(
            "nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}",
            "nguoi_ky: {quyen_han: KT., thay_cho: GIÁM ĐỐC, chuc_vu: PHÓ GIÁM ĐỐC, "
            "ho_ten: Nguyễn Văn A}",
        )
    )
    assert check(signed)["nguoi_ky"].passed
    result = check(edit(signed, replace_text("KT. GIÁM ĐỐC", "KT.GIÁM ĐỐC")))["nguoi_ky"]
    assert [m.code for m in result.problems] == ["check_nguoi_ky_space"]
    assert "cần viết “KT. GIÁM ĐỐC”" in result.message("vi")


def test_luu_vt_is_followed_by_a_comma(good: bytes) -> None:
    """Real 05, 15: "- Lưu: VT. NC." (PL I, II.9.d: "Lưu: VT, …")."""
    data = edit(good, replace_text("- Lưu: VT, VP.", "- Lưu: VT. VP."))
    assert [code for code, _, _ in keys(data, "noi_nhan")] == ["check_noi_nhan_luu_comma"]


def test_with_kinh_gui_the_recipients_open_with_nhu_tren() -> None:
    """Real 10: "Kính gửi: …" and a Nơi nhận that does not name the addressee first."""
    letter = render(REPORT + "kinh_gui: UBND tỉnh Quảng Nam\n")
    assert check(letter)["noi_nhan"].passed  # our layout adds "- Như trên;"
    dropped = edit(letter, replace_text("- Như trên;", "- Sở Nội vụ;"))
    assert [code for code, _, _ in keys(dropped, "noi_nhan")] == ["check_noi_nhan_nhu_tren"]
    other_words = edit(letter, replace_text("- Như trên;", "- Như kính gửi;"))
    assert check(other_words)["noi_nhan"].passed
    # "Kính gửi" in a sentence (no colon) is no addressee line
    sentence = edit(
        good_report(), replace_text("Đoạn văn thứ nhất.", "Kính gửi Sở Nội vụ tổng hợp.")
    )
    assert check(sentence)["noi_nhan"].passed


def good_report() -> bytes:
    return render(REPORT)


def add_section(change_last: object) -> object:
    """End a first section (a copy of the document's page) before the last paragraph, and
    change the last section's page with ``change_last``."""

    def change(root: etree._Element) -> None:
        body = root.find("w:body", NS)
        final = body.find("w:sectPr", NS)
        paragraphs = body.findall("w:p", NS)
        breaker = etree.SubElement(body, q("w:p"))
        body.remove(breaker)
        paragraphs[-1].addprevious(breaker)
        ppr = etree.SubElement(breaker, q("w:pPr"))
        ppr.append(copy.deepcopy(final))
        change_last(final)  # type: ignore[operator]

    return change


def landscape_with_a_small_bottom(section: etree._Element) -> None:
    """A landscape A4 page (a wide table's appendix) whose bottom margin is 10 mm."""
    size = section.find("w:pgSz", NS)
    size.set(q("w:w"), "16838")
    size.set(q("w:h"), "11906")
    size.set(q("w:orient"), "landscape")
    section.find("w:pgMar", NS).set(q("w:bottom"), "567")


def test_a_later_sections_margins_are_the_decrees_too(good: bytes) -> None:
    """Real 18: Phụ lục II, a section of its own, with a 10 mm bottom margin."""
    small = add_section(lambda s: s.find("w:pgMar", NS).set(q("w:bottom"), "567"))
    data = edit(good, small)
    assert read(data).page is not None and len(read(data).later_pages) == 1
    assert keys(data, "trang") == [("check_trang_section_margin", None, "bottom@2")]
    assert "sau dấu ngắt phần (section break) thứ 1: lề dưới 10 mm" in check(data)["trang"].message(
        "vi"
    )

    # a landscape appendix (a wide table) is laid out for its own width: not judged
    assert check(edit(good, add_section(landscape_with_a_small_bottom)))["trang"].passed


# -- the rules' length and place, however drawn (item 1's loose end) --------------------------


def rule_findings(data: bytes, rule: str) -> set[tuple[str, str | None]]:
    return {(code, subject) for code, _, subject in keys(data, rule)}


def test_our_rules_have_the_decrees_length(good: bytes) -> None:
    """Our render's borders (indented paragraphs) are measured and pass."""
    header, title = read(good).header, read(good).title
    for span, text in (
        (header.agency_rule_span, header.agency_text_span),
        (title.summary_rule_span, title.summary_text_span),
    ):
        assert span is not None and text is not None
        assert 1 / 3 - 0.05 <= (span[1] - span[0]) / (text[1] - text[0]) <= 1 / 2 + 0.05
    assert check(good).passed


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # as long as the agency's line and more: a border-like rule across the column
        (drawing_line(0.2, 0.0, 7.0), {("check_rule_long", "co_quan_rule_length")}),
        # a stub of 6 mm under a 4 cm name
        (drawing_line(2.5, 0.0, 0.6), {("check_rule_short", "co_quan_rule_length")}),
        # the right length, but drawn from the cell's left edge, far off the name's middle
        (drawing_line(0.0, 0.0, 1.5), {("check_rule_off_centre", "co_quan_rule_centre")}),
    ],
    ids=["too long", "stub", "off centre"],
)
def test_a_drawn_agency_rule_of_the_wrong_length_or_place(
    good: bytes, line: str, expected: set[tuple[str, str]]
) -> None:
    data = edit(good, both(WITHOUT_RULES, draw_in_empty_after("TRUYỀN THÔNG", line)))
    assert read(data).header.agency_rule == "shape"
    assert rule_findings(data, "co_quan") == expected


def test_a_border_across_the_whole_column_is_too_long(good: bytes) -> None:
    """A paragraph border runs between the paragraph's indents: under the agency's own
    paragraph, unindented, it is as wide as the cell."""

    def bordered(root: etree._Element) -> None:
        ppr = paragraph(root, "TRUYỀN THÔNG").find("w:pPr", NS)
        ppr.append(etree.fromstring(f'<w:pBdr {W}><w:bottom w:val="single" w:sz="6"/></w:pBdr>'))

    data = edit(good, both(remove_rule_after("TRUYỀN THÔNG"), bordered))
    header = read(data).header
    assert header.agency_rule == "border" and header.agency_rule_span is not None
    assert rule_findings(data, "co_quan") == {("check_rule_long", "co_quan_rule_length")}
    assert "quá dài" in check(data)["co_quan"].message("vi")


def test_a_motto_rule_of_half_its_length_is_too_short(good: bytes) -> None:
    data = edit(
        good, both(WITHOUT_RULES, draw_in_empty_after("Độc lập", vml_connector(2.0, 0.0, 2.5)))
    )
    found = rule_findings(data, "quoc_hieu")
    assert ("check_rule_short", "tieu_ngu_rule_length") in found
    assert "cần dài bằng dòng chữ" in check(data)["quoc_hieu"].message("vi")


def test_a_trich_yeu_border_across_the_page_is_too_long(good: bytes) -> None:
    def bordered(root: etree._Element) -> None:
        ppr = paragraph(root, "Kết quả công tác năm 2021").find("w:pPr", NS)
        ppr.append(etree.fromstring(f'<w:pBdr {W}><w:bottom w:val="single" w:sz="6"/></w:pBdr>'))

    data = edit(good, both(remove_rule_after("Kết quả công tác năm 2021"), bordered))
    assert rule_findings(data, "ten_loai") == {("check_rule_long", "trich_yeu_rule_length")}
