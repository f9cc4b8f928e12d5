"""Rules that are right (issue 19, item 2), on our own renders edited the way clerks' files are.

Each case is a verdict a clerk could see was wrong: a duplicated or unspaced
numbering label, a numbering break named elsewhere than where it is, one font
cause reported per run, a parent agency judged as the issuing one, a "Nơi nhận"
label judged on its colon.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import docx
import pytest
from lxml import etree

from baocao.check import check
from baocao.docx.read import NS, Docx, q
from baocao.messages import MESSAGES
from tests.test_check import (
    REPORT,
    both,
    edit,
    failed,
    paragraph,
    render,
    replace_text,
    run_property,
    saved,
    set_margin,
)

SUBSECTIONS = REPORT.replace(
    "noi_dung: [Đoạn văn thứ nhất., Đoạn văn thứ hai.]",
    'noi_dung: ["2.1. Đoạn văn thứ nhất.", "2.2. Đoạn văn thứ hai."]',
)
"""The report with "2.1." and "2.2." typed under "2. Công tác khác"."""


@pytest.fixture(scope="module")
def good() -> bytes:
    return render(REPORT)


@pytest.fixture(scope="module")
def subsections() -> bytes:
    data = render(SUBSECTIONS)
    assert check(data).passed
    return data


# -- numbering ------------------------------------------------------------------------------


def test_a_duplicated_label_is_reported(good: bytes) -> None:
    """ "I. I. Kết quả" (Word's list number before a typed one) is not "in order"."""
    result = check(edit(good, replace_text("I. Kết quả", "I. I. Kết quả")))["danh_so"]
    assert not result.passed
    assert result.detail("vi") == (
        "nhãn đánh số lặp lại: “I. I.” (thường là số Word tự đánh đứng trước số gõ tay); "
        "cần bỏ một nhãn"
    )
    assert result.place is not None and result.place.excerpt == "I. I. Kết quả"


def test_a_missing_space_after_a_label_is_reported_at_that_paragraph(subsections: bytes) -> None:
    """ "2.1.Đoạn" is a label without its space, not a list that starts at "2.2."."""
    data = edit(subsections, replace_text("2.1. Đoạn", "2.1.Đoạn"))
    assert failed(data) == {"danh_so"}
    result = check(data)["danh_so"]
    assert result.message("vi") == (
        "✗ Đánh số mục, điểm: sau nhãn “2.1.” thiếu dấu cách: cần viết “2.1. Đoạn văn thứ nhất.” "
        "(đoạn 22: “2.1.Đoạn văn thứ nhất.”)"
    )
    assert result.message("en").startswith(
        "✗ Numbering of parts and points: no space after the label “2.1.”"
    )


def test_numbers_in_the_text_are_not_labels(subsections: bytes) -> None:
    """ "2.5 lần", "1.000 người": a number, not a label missing its space."""
    data = edit(subsections, replace_text("2.1. Đoạn văn", "2.500 người. Đoạn văn"))
    result = check(data)["danh_so"]
    # "2.2." now follows "2." without a "2.1.": the only break, named where it is
    assert result.detail("en") == "a sequence starts with “2.2.”; it must start with “2.1.”"
    assert result.place is not None and result.place.paragraph == 23


def test_every_numbering_break_is_named_at_its_paragraph(good: bytes) -> None:
    """Two breaks: the first is the result's place, the second is named with its text."""
    data = edit(
        good,
        both(
            replace_text("đ) Điểm năm", "e) Điểm năm"),
            replace_text("2. Công tác khác", "3. Công tác khác"),
        ),
    )
    result = check(data)["danh_so"]
    assert result.place is not None and result.place.paragraph == 18
    assert result.place.excerpt == "e) Điểm năm"
    detail = result.detail("vi")
    # each cause once, followed by its own paragraph and text
    assert "thấy “1.” rồi “3.”; sau “1.” cần là “2.” (đoạn 21: “3. Công tác khác”)" in detail
    assert "(đoạn 18: “e) Điểm năm”)" in detail
    assert "chỗ khác" not in detail
    assert [f["paragraph"] for f in result.findings()] == [18, 19, 21]


def test_a_quoted_point_keeps_its_place_in_the_list(good: bytes) -> None:
    """ "“a) …" opens a quotation with its label: "b)" after it follows "a)"."""
    assert failed(edit(good, replace_text("a) Điểm một", "“a) Điểm một"))) == set()


def test_a_part_heading_starts_the_numbering_afresh(subsections: bytes) -> None:
    """ "Phần thứ hai" restarts its "I.", "1." as "Chương II" does."""
    data = edit(
        subsections,
        both(
            replace_text("2. Công tác khác", "Phần thứ hai"),
            replace_text("2.1. Đoạn văn thứ nhất.", "I. Đoạn văn thứ nhất."),
            replace_text("2.2. Đoạn văn thứ hai", "1. Đoạn văn thứ hai"),
        ),
    )
    assert check(data)["danh_so"].passed, check(data)["danh_so"].detail("en")


# -- one finding per cause --------------------------------------------------------------------


def test_a_font_name_variant_is_one_finding_with_its_count(good: bytes) -> None:
    """ "Times New Roman Bold" on three points (six runs: label and text): one finding
    saying what it is, with its count, beside one for Arial."""
    variant = '<w:rFonts w:ascii="Times New Roman Bold" w:hAnsi="Times New Roman Bold"/>'
    data = good
    for text in ("Điểm một", "Điểm hai", "Điểm ba"):
        data = edit(data, run_property(text, variant))
    arial = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>'
    data = edit(data, run_property("Đoạn văn thứ nhất", arial))
    result = check(data)["phong_chu"]
    problems = result.params["problems"]
    assert [(p.code, p.params) for p in problems] == [
        ("check_phong_chu_font", {"fonts": "“Arial”", "count": 1}),
        ("check_phong_chu_variant", {"fonts": "“Times New Roman Bold”", "count": 6}),
    ]
    assert "“Times New Roman Bold” ở 6 chỗ: đó là tên một kiểu chữ" in result.detail("vi")


# -- the agency lines -------------------------------------------------------------------------


def test_the_parent_agency_is_not_asked_to_be_bold(good: bytes) -> None:
    """Our render: "UBND TỈNH QUẢNG NAM" not bold above the bold issuing agency, and it passes."""
    report = check(good)
    assert report["co_quan"].passed


def test_the_parent_agency_is_judged_by_its_own_role(good: bytes) -> None:
    """Not bold, capitals, 12–13 pt (PL I, II.2): a 14 pt parent line is named, partly bold too."""
    data = edit(
        good,
        both(
            run_property("UBND TỈNH QUẢNG NAM", '<w:sz w:val="28"/>'),
            split_bold("UBND TỈNH QUẢNG NAM", "UBND "),
        ),
    )
    result = check(data)["co_quan"]
    assert failed(data) == {"co_quan"}
    assert result.detail("vi") == (
        "“UBND TỈNH QUẢNG NAM” không được in đậm, cỡ chữ cần từ 12 đến 13 pt (đang là 14 pt)"
    )


def split_bold(text: str, head: str) -> Callable[[etree._Element], None]:
    """Make ``head`` of the paragraph's single run a bold run of its own."""

    def change(root: etree._Element) -> None:
        run = paragraph(root, text).find(".//w:r", NS)
        node = run.find("w:t", NS)
        node.text = node.text[len(head) :]
        first = etree.fromstring(etree.tostring(run))
        first.find("w:t", NS).text = head
        first.find("w:t", NS).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        properties(first).append(etree.Element(q("w:b")))
        run.addprevious(first)

    return change


def properties(run: etree._Element) -> etree._Element:
    """The run's ``w:rPr``, made if it has none."""
    rpr = run.find("w:rPr", NS)
    if rpr is None:
        rpr = etree.Element(q("w:rPr"))
        run.insert(0, rpr)
    return rpr


# -- Nơi nhận -------------------------------------------------------------------------------


def colon_apart(root: etree._Element) -> None:
    """ "Nơi nhận" bold italic 12 pt, then ":" in a run of its own, upright, regular, 14 pt."""
    split_bold("Nơi nhận:", "Nơi nhận")(root)
    runs = paragraph(root, "Nơi nhận").findall(".//w:r", NS)
    colon = runs[-1]
    rpr = properties(colon)
    for name in ("b", "i"):
        rpr.append(etree.fromstring(f'<w:{name} xmlns:w="{NS["w"]}" w:val="0"/>'))
    rpr.append(etree.fromstring(f'<w:sz xmlns:w="{NS["w"]}" w:val="28"/>'))


def test_the_noi_nhan_label_is_judged_on_its_words_not_its_colon(good: bytes) -> None:
    assert failed(edit(good, colon_apart)) == set()


def test_the_noi_nhan_words_still_count(good: bytes) -> None:
    data = edit(good, both(colon_apart, run_property("Nơi nhận", '<w:i w:val="0"/>')))
    assert "“Nơi nhận:” cần in nghiêng" in check(data)["noi_nhan"].detail("vi")


# -- "phải": must, or right? ------------------------------------------------------------------


def test_no_check_message_says_phai_for_must() -> None:
    """In a line that also says "lề trái", "phải" reads as "right": "lề trái 25 mm, phải từ 30
    đến 35 mm". The checker's sentences say "cần" for "must"; "phải" is left only as a
    side ("bên phải", "căn phải") or in "không phải" ("is not")."""
    wrong = {
        code: MESSAGES[code]["vi"]
        for code in MESSAGES
        if code.startswith("check_")
        and code != "check_align_right"  # the word itself, after "căn"
        and re.search(r"(?<!bên )(?<!không )(?<!căn )phải", MESSAGES[code]["vi"])
    }
    assert wrong == {}


def test_the_right_margin_is_on_the_right_side(good: bytes) -> None:
    result = check(edit(good, set_margin("right", 567)))["trang"]
    assert result.message("vi") == "✗ Khổ giấy và lề: lề bên phải 10 mm, cần từ 15 đến 20 mm"
    assert check(good)["trang"].detail("vi") == (
        "A4 dọc, lề trên 20, dưới 20, bên trái 30, bên phải 15 mm"
    )


def test_an_agency_on_two_lines_is_one_finding(good: bytes) -> None:
    """Our render breaks the name after "VÀ" (two read lines); both 14 pt is one cause,
    one message naming the whole name, not one per line."""
    data = edit(good, run_property("SỞ THÔNG TIN", '<w:sz w:val="28"/>'))
    result = check(data)["co_quan"]
    assert result.detail("vi") == (
        "“SỞ THÔNG TIN VÀ TRUYỀN THÔNG” cỡ chữ cần từ 12 đến 13 pt (đang là 14 pt)"
    )


def test_noi_nhan_items_all_in_one_wrong_size_are_one_finding(good: bytes) -> None:
    """Every item 14 pt: one finding for the list, not one per line."""
    data = good
    for text in ("- UBND tỉnh;", "- Sở KHĐT;", "- Lưu: VT, VP."):
        data = edit(data, run_property(text, '<w:sz w:val="28"/>'))
    result = check(data)["noi_nhan"]
    assert result.detail("vi") == (
        "“- UBND tỉnh; - Sở KHĐT; - Lưu: VT, VP.” cỡ chữ cần là 11 pt (đang là 14 pt)"
    )
    assert result.place is not None and result.place.excerpt == "- UBND tỉnh;"


def test_a_typed_number_after_words_own_is_a_duplicate() -> None:
    """A Word numbered list ("1.", "2." drawn by Word) over text typed with its own number."""
    document = docx.Document()
    for text in ("1. Một", "2. Hai"):
        document.add_paragraph(text, style="List Number")
    data = saved(document)
    assert [p.label for p in Docx(data).paragraphs] == ["1.", "2."]
    result = check(data)["danh_so"]
    assert [(m.code, m.place and m.place.paragraph) for m in result.problems] == [
        ("check_danh_so_double", 1),
        ("check_danh_so_double", 2),
    ]
    assert result.detail("en").startswith("a numbering label twice: “1. 1.”")
