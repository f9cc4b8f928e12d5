"""`baocao check`: any .docx against the layout rules of Nghị định 30/2020.

Each rule is shown to pass on our own output (every example) and to fail,
alone, on a copy edited to break exactly that rule. Foreign files (made with
python-docx, laid out the way clerks do it in Word) are read without a crash.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import etree

import baocao
from baocao.check import EXIT_FAILED, RULES, Report, check
from baocao.cli import _language, make_cli
from baocao.docx.read import NS, Docx, q
from baocao.errors import InputError
from tests.conftest import EXAMPLES, TEMPLATES, render_file, template_of

REPORT = """\
co_quan_chu_quan: UBND TỈNH QUẢNG NAM
co_quan_ban_hanh: SỞ THÔNG TIN VÀ TRUYỀN THÔNG
so_ky_hieu: {so: 12, ky_hieu: STTTT}
dia_danh: Quảng Nam
ngay_ban_hanh: 2021-11-12
trich_yeu: Kết quả công tác năm 2021
noi_dung:
  - tieu_de: Kết quả
    noi_dung:
      - tieu_de: Công tác chỉ đạo
        noi_dung:
          - tieu_de: Điểm một
          - tieu_de: Điểm hai
          - tieu_de: Điểm ba
          - tieu_de: Điểm bốn
          - tieu_de: Điểm năm
          - tieu_de: Điểm sáu
          - tieu_de: Điểm bảy
      - tieu_de: Công tác khác
        noi_dung: [Đoạn văn thứ nhất., Đoạn văn thứ hai.]
noi_nhan: [UBND tỉnh, Sở KHĐT, "Lưu: VT, VP"]
nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
"""


def render(text: str | Path) -> bytes:
    return baocao.render(baocao.validate(baocao.load(text)))


@pytest.fixture(scope="module")
def good() -> bytes:
    return render(REPORT)


def failed(data: bytes) -> set[str]:
    return {r.rule for r in check(data).failed}


# -- editing a rendered document ------------------------------------------------------------


def edit(data: bytes, change: Callable[[etree._Element], None], part: str = "") -> bytes:
    """Return ``data`` with one XML part (the main document by default) changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    part = part or Docx(data).main
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                root = etree.fromstring(content)
                change(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, content)
    return out.getvalue()


def paragraph(root: etree._Element, text: str) -> etree._Element:
    """The first paragraph whose own text contains ``text``."""
    for p in root.iter(q("w:p")):
        if text in "".join(t.text or "" for t in p.iter(q("w:t"))):
            return p
    raise LookupError(text)


def replace_text(old: str, new: str) -> Callable[[etree._Element], None]:
    """Replace ``old`` in one run's text, or across runs (then the first run takes it all)."""

    def change(root: etree._Element) -> None:
        nodes = list(paragraph(root, old).iter(q("w:t")))
        for node in nodes:
            if node.text and old in node.text:
                node.text = node.text.replace(old, new)
                return
        nodes[0].text = "".join(n.text or "" for n in nodes).replace(old, new)
        for node in nodes[1:]:
            node.text = ""

    return change


def run_property(text: str, xml: str) -> Callable[[etree._Element], None]:
    """Add direct formatting ``xml`` (e.g. ``<w:b w:val="0"/>``) to the runs of a paragraph."""

    def change(root: etree._Element) -> None:
        for run in paragraph(root, text).iter(q("w:r")):
            rpr = run.find("w:rPr", NS)
            if rpr is None:
                rpr = etree.SubElement(run, q("w:rPr"))
                run.remove(rpr)
                run.insert(0, rpr)
            rpr.append(etree.fromstring(f'<w:x xmlns:w="{NS["w"]}">{xml}</w:x>')[0])

    return change


def paragraph_property(text: str, xml: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        ppr = paragraph(root, text).find("w:pPr", NS)
        ppr.append(etree.fromstring(f'<w:x xmlns:w="{NS["w"]}">{xml}</w:x>')[0])

    return change


def remove_rule_after(text: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        rule = paragraph(root, text).getnext()
        assert rule.find("w:pPr/w:pStyle", NS).get(q("w:val")) == "BCGach"
        rule.getparent().remove(rule)

    return change


def section_change(change: Callable[[etree._Element], None]) -> Callable[[etree._Element], None]:
    def outer(root: etree._Element) -> None:
        change(root.find("w:body/w:sectPr", NS))

    return outer


# -- our own output passes -------------------------------------------------------------------


def test_one_result_per_rule_in_order(good: bytes) -> None:
    report = check(good)
    assert [r.rule for r in report.results] == list(RULES)
    assert report.passed, report.lines("en")


@pytest.mark.parametrize(
    "path",
    [*sorted(EXAMPLES.glob("*.yaml")), TEMPLATES / "bao-cao" / "example.yaml"],
    ids=lambda p: p.name if p.parent.name == "examples" else "starter",
)
def test_every_example_passes_every_rule(path: Path) -> None:
    """Each example is rendered with its own type, and that type is found again."""
    report = check(render_file(path))
    assert report.failed == [], "\n".join(report.lines("en"))
    assert report.template == template_of(path)


@pytest.mark.parametrize(
    "change",
    [
        "trinh_bay: {co_chu_quoc_hieu: 12}",
        "trinh_bay: {co_chu: 13}",
        "trinh_bay: {le_trang: {tren: 25, duoi: 20, trai: 35, phai: 20}}",
        "ma_dac_biet: true",
        "so_ky_hieu: {ky_hieu: STTTT}",
        "so_ky_hieu: {so: 7, ky_hieu: SKHCN-BCVT&TĐC}",
        "ngay_ban_hanh: 2021-02-05",
        "ngay_ban_hanh: {thang: 1, nam: 2022}",
        "kinh_gui: [Sở Nội vụ, Sở Tư pháp]",
        "can_cu: [Căn cứ Luật A, Căn cứ Nghị định B]",
        "nguoi_soan: {ky_hieu: NVA, so_ban: 05}",
        "nguoi_ky: {quyen_han: KT., thay_cho: GIÁM ĐỐC, chuc_vu: PHÓ GIÁM ĐỐC}",
        "thong_tin_lien_he: {dia_chi: 1 Trần Phú, dien_thoai: '0235 123'}",
        "do_khan: KHẨN",
        "pham_vi_luu_hanh: LƯU HÀNH NỘI BỘ",
    ],
)
def test_options_of_our_renderer_pass(change: str) -> None:
    key = change.split(":")[0]
    lines = [line for line in REPORT.splitlines() if not line.startswith(f"{key}:")]
    report = check(render("\n".join([*lines, change]) + "\n"))
    assert report.failed == [], "\n".join(report.lines("en"))


# -- each rule fails alone on a document built to break it --------------------------------


def both(*changes: Callable[[etree._Element], None]) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        for one in changes:
            one(root)

    return change


def set_margin(side: str, twips: int) -> Callable[[etree._Element], None]:
    return section_change(lambda s: s.find("w:pgMar", NS).set(q(f"w:{side}"), str(twips)))


BROKEN: dict[str, Callable[[etree._Element], None]] = {
    "trang: left margin 20 mm": set_margin("left", 1134),
    "trang: top margin 30 mm": set_margin("top", 1701),
    "trang: Letter paper": section_change(
        lambda s: (
            s.find("w:pgSz", NS).set(q("w:w"), "12240"),
            s.find("w:pgSz", NS).set(q("w:h"), "15840"),
        )
    ),
    "trang: landscape": section_change(
        lambda s: (
            s.find("w:pgSz", NS).set(q("w:w"), "16838"),
            s.find("w:pgSz", NS).set(q("w:h"), "11906"),
            s.find("w:pgSz", NS).set(q("w:orient"), "landscape"),
        )
    ),
    "phong_chu: a run in Arial": run_property(
        "Đoạn văn thứ nhất", '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>'
    ),
    "phong_chu: a run in a theme font": run_property(
        "Điểm hai", '<w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>'
    ),
    "quoc_hieu: no rule under the Tiêu ngữ": remove_rule_after("Độc lập"),
    "quoc_hieu: Quốc hiệu 14 pt": run_property("CỘNG HÒA", '<w:sz w:val="28"/>'),
    "quoc_hieu: Tiêu ngữ not bold": run_property("Độc lập", '<w:b w:val="false"/>'),
    "quoc_hieu: Quốc hiệu typed in lower case without caps": both(
        replace_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        run_property("Cộng hòa", '<w:caps w:val="0"/>'),
    ),
    "co_quan: no rule under the agency": remove_rule_after("SỞ THÔNG TIN"),
    "co_quan: agency 14 pt": run_property("SỞ THÔNG TIN", '<w:sz w:val="28"/>'),
    "so_ky_hieu: number not padded": replace_text("Số: 12/BC-STTTT", "Số: 5/BC-STTTT"),
    "so_ky_hieu: spaces around the hyphen": replace_text("12/BC-STTTT", "12/BC - STTTT"),
    "so_ky_hieu: a year in the symbol": replace_text("12/BC-STTTT", "12/2021/BC-STTTT"),
    "ngay_thang: day and month padding": replace_text("ngày 12 tháng 11", "ngày 5 tháng 03"),
    "ngay_thang: month 1 not padded": replace_text("tháng 11", "tháng 1"),
    "ngay_thang: a date that does not exist": replace_text("ngày 12 tháng 11", "ngày 31 tháng 4"),
    "ngay_thang: not italic": run_property("Quảng Nam, ngày", '<w:i w:val="0"/>'),
    "ten_loai: type name not bold": run_property("BÁO CÁO", '<w:b w:val="0"/>'),
    "ten_loai: trích yếu not centred": paragraph_property(
        "Kết quả công tác", '<w:jc w:val="left"/>'
    ),
    "ten_loai: no rule under the trích yếu": remove_rule_after("Kết quả công tác năm 2021"),
    "noi_dung: a paragraph aligned left": paragraph_property(
        "Đoạn văn thứ nhất", '<w:jc w:val="left"/>'
    ),
    "noi_dung: no first-line indent": paragraph_property(
        "Đoạn văn thứ hai", '<w:ind w:firstLine="0"/>'
    ),
    "noi_dung: double line spacing": paragraph_property(
        "Đoạn văn thứ hai", '<w:spacing w:line="480" w:lineRule="auto"/>'
    ),
    "noi_dung: no space between paragraphs": paragraph_property(
        "Đoạn văn thứ hai", '<w:spacing w:before="0" w:after="0"/>'
    ),
    "noi_dung: a paragraph in 12 pt": run_property("Đoạn văn thứ hai", '<w:sz w:val="24"/>'),
    "danh_so: f) after e)": replace_text("g) Điểm bảy", "f) Điểm bảy"),
    "danh_so: e) after d)": replace_text("đ) Điểm năm", "e) Điểm năm"),
    "danh_so: 3. after 1.": replace_text("2. Công tác khác", "3. Công tác khác"),
    "noi_nhan: an item without its semicolon": replace_text("- UBND tỉnh;", "- UBND tỉnh"),
    "noi_nhan: last item without its full stop": replace_text("- Lưu: VT, VP.", "- Lưu: VT, VP"),
    "noi_nhan: label not italic": run_property("Nơi nhận:", '<w:i w:val="0"/>'),
    "nguoi_ky: position not bold": run_property("GIÁM ĐỐC", '<w:b w:val="0"/>'),
    "nguoi_ky: name not bold": run_property("Nguyễn Văn A", '<w:b w:val="0"/>'),
    "so_trang: page number on page 1 (no titlePg)": section_change(
        lambda s: s.remove(s.find("w:titlePg", NS))
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_document_fails_that_rule_only(good: bytes, case: str) -> None:
    rule = case.split(":")[0]
    assert failed(edit(good, BROKEN[case])) == {rule}


def test_lower_case_quoc_hieu_shown_in_capitals_passes(good: bytes) -> None:
    """What counts is what Word shows: the style's caps turns the typed text to capitals."""
    typed = replace_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cộng hoà xã hội chủ nghĩa Việt Nam")
    assert failed(edit(good, typed)) == set()


def test_a_body_in_12_pt_fails_the_font_rule_too(good: bytes) -> None:
    data = good
    for text in ("Đoạn văn thứ nhất", "Đoạn văn thứ hai", "Điểm một", "Điểm hai"):
        data = edit(data, run_property(text, '<w:sz w:val="24"/>'))
    assert failed(data) == {"phong_chu", "noi_dung"}


def test_page_number_in_the_first_page_header(good: bytes) -> None:
    def page_field(root: etree._Element) -> None:
        p = root.find("w:p", NS)
        p.append(etree.fromstring(f'<w:fldSimple xmlns:w="{NS["w"]}" w:instr=" PAGE "/>'))

    doc = Docx(good)
    ref = doc.sections[0].find("w:headerReference[@w:type='first']", NS).get(q("r:id"))
    name = doc.part(ref)[0]
    assert failed(edit(good, page_field, name)) == {"so_trang"}


# -- document types ----------------------------------------------------------------------------

TYPES = {
    "bao-cao": "Báo cáo",
    "ke-hoach": "Kế hoạch",
    "to-trinh": "Tờ trình",
    "thong-bao": "Thông báo",
    "cong-van": "Công văn",
}

TYPE_NAMES = {
    "bao-cao": "BÁO CÁO",
    "ke-hoach": "KẾ HOẠCH",
    "to-trinh": "TỜ TRÌNH",
    "thong-bao": "THÔNG BÁO",
}


def render_as(template: str, text: str = REPORT) -> bytes:
    """The minimal report rendered as ``template`` (tờ trình and công văn need Kính gửi)."""
    if template in ("to-trinh", "cong-van"):
        text += "kinh_gui: UBND tỉnh Quảng Nam\n"
    return baocao.render(baocao.validate(baocao.load(text), template))


@pytest.fixture(scope="module")
def letter() -> bytes:
    return render_as("cong-van")


@pytest.mark.parametrize("template", sorted(TYPES))
def test_every_type_passes_and_is_recognised(template: str) -> None:
    data = render_as(template)
    report = check(data)
    assert report.failed == [], "\n".join(report.lines("en"))
    assert report.template == template
    line = report["ten_loai"].message("vi")
    assert line.startswith(f"✓ Tên loại và trích yếu: {TYPES[template]} (nhận ra từ văn bản): ")
    english = report["ten_loai"].message("en")
    assert f": “{TYPES[template]}” (detected from the document): " in english
    # Given explicitly, the same type passes too, and the line says so.
    given = check(data, template=template)
    assert given.passed and given.template == template
    assert f"{TYPES[template]} (theo --type)" in given["ten_loai"].message("vi")


def test_the_pass_line_names_the_type_and_its_title(good: bytes) -> None:
    assert check(render_as("ke-hoach"))["ten_loai"].message("vi") == (
        "✓ Tên loại và trích yếu: Kế hoạch (nhận ra từ văn bản): “KẾ HOẠCH” in hoa, đậm, 14 pt, "
        "căn giữa; trích yếu “Kết quả công tác năm 2021” đậm, căn giữa; có đường kẻ dưới"
    )


def test_cong_van_pass_line(letter: bytes) -> None:
    assert check(letter)["ten_loai"].message("vi") == (
        "✓ Tên loại và trích yếu: Công văn (nhận ra từ văn bản): trích yếu “V/v Kết quả công "
        "tác năm 2021” dưới dòng số, ký hiệu, 13 pt, không đậm, căn giữa; không có tên loại"
    )
    # No type abbreviation in a công văn's symbol (PL III, Mục I).
    assert check(letter)["so_ky_hieu"].seen == "Số: 12/STTTT"


@pytest.mark.parametrize("template", sorted(TYPE_NAMES))
def test_a_type_checked_as_another_fails_the_title_rule_only(template: str) -> None:
    other = "ke-hoach" if template == "bao-cao" else "bao-cao"
    report = check(render_as(template), template=other)
    assert {r.rule for r in report.failed} == {"ten_loai"}
    assert report.template == other
    assert report["ten_loai"].message("vi") == (
        f"✗ Tên loại và trích yếu: không thấy tên loại văn bản “{TYPE_NAMES[other]}” "
        "dưới phần đầu văn bản"
    )


def test_a_report_checked_as_a_cong_van_has_a_type_name_and_no_v_v(good: bytes) -> None:
    result = check(good, template="cong-van")["ten_loai"]
    assert not result.passed
    assert result.message("vi").startswith(
        "✗ Tên loại và trích yếu: công văn không có tên loại: bỏ dòng “BÁO CÁO”; "
        "không thấy trích yếu “V/v …” dưới dòng “Số:”"
    )
    assert result.place is not None and result.place.excerpt == "BÁO CÁO"
    assert {r.rule for r in check(good, template="cong-van").failed} == {"ten_loai"}


def test_a_cong_van_checked_as_a_report_misses_its_type_name(letter: bytes) -> None:
    report = check(letter, template="bao-cao")
    assert {r.rule for r in report.failed} == {"ten_loai"}
    assert "“BÁO CÁO”" in report["ten_loai"].message("vi")


LETTER_BROKEN: dict[str, tuple[Callable[[etree._Element], None], str]] = {
    "V/v in bold": (
        run_property("V/v Kết quả", "<w:b/>"),
        "“V/v Kết quả công tác năm 2021” không được in đậm",
    ),
    "V/v in 14 pt": (
        run_property("V/v Kết quả", '<w:sz w:val="28"/>'),
        "“V/v Kết quả công tác năm 2021” cỡ chữ cần từ 12 đến 13 pt (đang là 14 pt)",
    ),
    "V/v in italics": (
        run_property("V/v Kết quả", "<w:i/>"),
        "“V/v Kết quả công tác năm 2021” cần viết chữ đứng (không nghiêng)",
    ),
    "V/v aligned left": (
        paragraph_property("V/v Kết quả", '<w:jc w:val="left"/>'),
        "“V/v Kết quả công tác năm 2021” cần căn giữa",
    ),
    "a CÔNG VĂN title": (
        lambda root: paragraph(root, "Kính gửi").addprevious(
            etree.fromstring(
                f'<w:p xmlns:w="{NS["w"]}"><w:pPr><w:jc w:val="center"/></w:pPr>'
                "<w:r><w:rPr><w:b/></w:rPr><w:t>CÔNG VĂN</w:t></w:r></w:p>"
            )
        ),
        "công văn không có tên loại: bỏ dòng “CÔNG VĂN”",
    ),
}


@pytest.mark.parametrize("case", sorted(LETTER_BROKEN))
def test_a_broken_cong_van_fails_the_title_rule_only(letter: bytes, case: str) -> None:
    change, expected = LETTER_BROKEN[case]
    report = check(edit(letter, change))
    assert {r.rule for r in report.failed} == {"ten_loai"}, "\n".join(report.lines("en"))
    assert report.template == "cong-van"
    assert expected in report["ten_loai"].message("vi")


def test_a_v_v_line_away_from_the_number_fails(letter: bytes) -> None:
    """The trích yếu of a công văn sits under "Số:", not under the date."""

    def move(root: etree._Element) -> None:
        line = paragraph(root, "V/v Kết quả")
        paragraph(root, "Quảng Nam, ngày").addnext(line)

    result = check(edit(letter, move))["ten_loai"]
    assert not result.passed
    assert "trích yếu “V/v Kết quả công tác năm 2021” cần đặt dưới dòng “Số:”, cùng cột" in (
        result.message("vi")
    )


def test_no_type_name_and_no_v_v_names_what_was_looked_for(good: bytes) -> None:
    report = check(edit(good, replace_text("BÁO CÁO", "BẢN TIN")))
    assert {r.rule for r in report.failed} == {"ten_loai"}
    assert report.template is None
    message = report["ten_loai"].message("vi")
    assert message.startswith(
        "✗ Tên loại và trích yếu: không nhận ra loại văn bản: không thấy tên loại ("
    )
    for name in TYPE_NAMES.values():
        assert f"“{name}”" in message
    assert "“CÔNG VĂN”" not in message
    assert "“V/v …”" in message and "--type" in message
    assert "--type" in report["ten_loai"].message("en")


def test_a_type_name_not_in_bold_is_still_recognised(good: bytes) -> None:
    """Found by its text in capitals: the clerk is told to make it bold, not to add it."""
    report = check(edit(good, run_property("BÁO CÁO", '<w:b w:val="0"/>')))
    assert report.template == "bao-cao"
    assert "“BÁO CÁO” cần in đậm" in report["ten_loai"].message("vi")


def test_a_type_name_in_the_body_is_not_taken_for_the_title(letter: bytes) -> None:
    """A centred bold "KẾ HOẠCH" far into a công văn's body does not make it a kế hoạch."""

    def heading(root: etree._Element) -> None:
        paragraph(root, "Đoạn văn thứ hai").addprevious(
            etree.fromstring(
                f'<w:p xmlns:w="{NS["w"]}"><w:pPr><w:jc w:val="center"/></w:pPr>'
                "<w:r><w:rPr><w:b/></w:rPr><w:t>KẾ HOẠCH</w:t></w:r></w:p>"
            )
        )

    assert check(edit(letter, heading)).template == "cong-van"


def test_a_clerks_own_cong_van_passes() -> None:
    """By hand in Word: "V/v …" under "Số:" in the header's left cell, over two lines."""
    report = check(saved(clerk_file(letter=True)))
    assert report.failed == [], "\n".join(report.lines("en"))
    assert report.template == "cong-van"
    assert "“V/v kết quả công tác quý I năm 2021”" in report["ten_loai"].message("vi")


def tabbed_letter(summary: str) -> bytes:
    """A công văn's header typed in plain paragraphs, columns set by centre tab stops."""
    document = docx.Document()
    number = document.add_paragraph("\tSố: 07/STP-VP\tQuảng Nam, ngày 05 tháng 3 năm 2021")
    line = document.add_paragraph(summary)
    for para in (number, line):
        stops = para.paragraph_format.tab_stops
        for position in (Cm(4), Cm(12)):
            stops.add_tab_stop(position, docx.enum.text.WD_TAB_ALIGNMENT.CENTER)
    for run in line.runs:
        run.font.size = Pt(13)
    return saved(document)


def test_a_v_v_line_centred_with_a_tab_stop() -> None:
    """Outside a table the line may be centred under the number by a centre tab stop."""
    result = check(tabbed_letter("\tV/v kết quả công tác"))["ten_loai"]
    assert result.passed, result.message("en")
    assert "căn giữa" in result.message("vi")
    left = check(tabbed_letter("V/v kết quả công tác"), template="cong-van")["ten_loai"]
    assert "“V/v kết quả công tác” cần căn giữa" in left.message("vi")


# -- the messages a clerk reads ---------------------------------------------------------------


def test_messages_say_what_was_seen_and_where(good: bytes) -> None:
    report = check(edit(good, replace_text("Số: 12/BC-STTTT", "Số: 5/BC-STTTT")))
    result = report["so_ky_hieu"]
    assert result.message("vi") == (
        "✗ Số, ký hiệu: thấy “Số: 5/BC-STTTT”, số dưới 10 cần có số 0 đằng trước: "
        "“Số: 05/BC-STTTT” (đoạn 7: “Số: 5/BC-STTTT”)"
    )
    assert result.message("en") == (
        "✗ Number and symbol: found “Số: 5/BC-STTTT”; numbers below 10 take a leading zero: "
        "“Số: 05/BC-STTTT” (paragraph 7: “Số: 5/BC-STTTT”)"
    )
    assert (result.seen, result.where, result.place and result.place.paragraph) == (
        "Số: 5/BC-STTTT",
        "đoạn 7: “Số: 5/BC-STTTT”",
        7,
    )
    assert report["trang"].message("vi") == (
        "✓ Khổ giấy và lề: A4 dọc, lề trên 20, dưới 20, bên trái 30, bên phải 15 mm"
    )


def test_date_message(good: bytes) -> None:
    result = check(edit(good, replace_text("ngày 12 tháng 11", "ngày 5 tháng 03")))["ngay_thang"]
    assert result.message("vi") == (
        "✗ Địa danh, ngày tháng: ngày dưới 10 cần có số 0 đằng trước: “ngày 05” "
        "(thấy “ngày 5”); tháng 3 đến tháng 12 không có số 0 đằng trước: “tháng 3” "
        "(thấy “tháng 03”) (đoạn 8: “Quảng Nam, ngày 5 tháng 03 năm 2021”)"
    )


def test_letter_message_names_the_vietnamese_alphabet(good: bytes) -> None:
    result = check(edit(good, replace_text("g) Điểm bảy", "f) Điểm bảy")))["danh_so"]
    assert result.message("vi").startswith(
        "✗ Đánh số mục, điểm: thấy “e)” rồi “f)”; sau “e)” cần là “g)” "
        "(điểm dùng chữ cái tiếng Việt a, b, c, d, đ, e, g…, không có f, j, w, z)"
    )
    assert result.place is not None and result.place.excerpt == "f) Điểm bảy"


def test_margin_message(good: bytes) -> None:
    result = check(edit(good, set_margin("left", 1134)))["trang"]
    assert result.message("vi") == "✗ Khổ giấy và lề: lề trái 20 mm, cần từ 30 đến 35 mm"
    assert result.message("en") == (
        "✗ Paper and margins: the left margin is 20 mm; it must be 30 to 35 mm"
    )


def test_missing_elements_say_what_was_looked_for(good: bytes) -> None:
    def drop_header_table(root: etree._Element) -> None:
        body = root.find("w:body", NS)
        body.remove(body.find("w:tbl", NS))

    report = check(edit(good, drop_header_table))
    assert {r.rule for r in report.failed} == {"quoc_hieu", "co_quan", "so_ky_hieu", "ngay_thang"}
    assert report["quoc_hieu"].message("vi") == (
        "✗ Quốc hiệu và Tiêu ngữ: không thấy dòng “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM” "
        "ở đầu văn bản"
    )
    assert report["so_ky_hieu"].message("en") == (
        "✗ Number and symbol: no “Số: …/…” line in the header of the document"
    )


def test_report_as_json(good: bytes) -> None:
    data = check(good).as_dict("en")
    assert data["passed"] is True
    assert [r["rule"] for r in data["rules"]] == list(RULES)
    assert set(data["rules"][0]) >= {"rule", "passed", "seen", "where", "message"}


# -- foreign files ---------------------------------------------------------------------------


def saved(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_plain_python_docx_document_fails_gracefully() -> None:
    document = docx.Document()
    document.add_paragraph("Báo cáo tình hình")
    document.add_paragraph("Nội dung thứ nhất.")
    document.add_paragraph("Nội dung thứ hai.")
    report = check(saved(document))
    assert [r.rule for r in report.results] == list(RULES)
    assert {"trang", "phong_chu", "quoc_hieu", "so_ky_hieu", "noi_nhan"} <= {
        r.rule for r in report.failed
    }
    assert all(r.message("vi") and r.message("en") for r in report.results)
    # Letter paper and Word's theme font (Calibri, Cambria…) are seen for what they are.
    assert "A4" in report["trang"].message("vi")
    assert "Times New Roman" in report["phong_chu"].message("vi")


def test_an_empty_document_fails_gracefully() -> None:
    report = check(saved(docx.Document()))
    assert not report.passed and len(report.results) == len(RULES)


def border(paragraph: docx.text.paragraph.Paragraph, side: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        line.set(qn(name), value)
    borders.append(line)
    ppr.append(borders)


def write(
    container: docx.document.Document | docx.table._Cell,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
) -> docx.text.paragraph.Paragraph:
    para = container.add_paragraph()
    para.alignment = align
    for index, line in enumerate(text.split("\n")):
        run = para.add_run(line)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
        if index < text.count("\n"):
            run.add_break()
    return para


def clerk_file(letter: bool = False) -> docx.document.Document:
    """A report laid out by hand the way clerks do it in Word, not by baocao.

    ``letter``: a công văn instead, "V/v …" under the number and no type name.
    """
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    rfonts = normal.element.rPr.rFonts
    for attr in ("w:asciiTheme", "w:hAnsiTheme"):
        rfonts.attrib.pop(qn(attr), None)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    header._p.append(field)
    number = header.add_run("2")
    number.font.size = Pt(14)
    field.append(number._r)

    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    write(left, "UBND TỈNH QUẢNG NAM", 13)
    write(left, "SỞ TƯ PHÁP", 13, bold=True)
    write(left, "________", 13)
    write(left, "Số: 07/STP-VP" if letter else "Số: 07/BC-STP", 13)
    if letter:
        write(left, "V/v kết quả công tác\nquý I năm 2021", 12)
    write(right, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    border(write(right, "Độc lập – Tự do – Hạnh phúc", 14, bold=True), "bottom")
    write(right, "Quảng Nam, ngày 05 tháng 3 năm 2021", 14, italic=True)

    if letter:
        write(document, "Kính gửi: Sở Nội vụ.", 14, align=None)
    else:
        write(document, "BÁO CÁO", 14, bold=True)
        write(document, "Kết quả công tác quý I", 14, bold=True)
        write(document, "_______________", 14)
    for text, bold in (
        ("I. KẾT QUẢ", True),
        ("1. Công tác chỉ đạo", True),
        ("a) Ban hành văn bản.", False),
        ("b) Kiểm tra.", False),
        ("Trên đây là báo cáo của Sở./.", False),
    ):
        para = write(document, text, 14, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        para.paragraph_format.first_line_indent = Cm(1)
        para.paragraph_format.space_before = Pt(6)
        para.paragraph_format.line_spacing = 1.15

    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    write(left, "Nơi nhận:", 12, bold=True, italic=True, align=None)
    # with Kính gửi, the addressee first as "- Như trên;" (PL I, II.9.d)
    items = "- Như trên;\n- Sở Tư pháp;" if letter else "- Sở Tư pháp;"
    write(left, f"{items}\n- Lưu: VT, VP.", 11, align=None)
    write(right, "GIÁM ĐỐC", 14, bold=True)
    for _ in range(3):
        right.add_paragraph()
    write(right, "Nguyễn Văn B", 14, bold=True)
    return document


def test_a_clerks_own_layout_passes() -> None:
    report = check(saved(clerk_file()))
    assert report.failed == [], "\n".join(report.lines("en"))
    assert report["quoc_hieu"].seen.endswith("rule: border")
    assert report["co_quan"].seen.endswith("rule: underscores")


def test_word_automatic_letters_are_checked(tmp_path: Path) -> None:
    """Word's own lettered lists run a, b, c, d, e: the decree wants đ after d."""
    document = docx.Document()
    for text in ("Một", "Hai", "Ba", "Bốn", "Năm"):
        document.add_paragraph(text, style="List Number")
    data = saved(document)

    def letters(root: etree._Element) -> None:
        for num in root.findall("w:num", NS):
            if num.get(q("w:numId")) == "5":
                abstract = num.find("w:abstractNumId", NS).get(q("w:val"))
        lvl = root.find(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']", NS)
        lvl.find("w:numFmt", NS).set(q("w:val"), "lowerLetter")
        lvl.find("w:lvlText", NS).set(q("w:val"), "%1)")

    data = edit(data, letters, "word/numbering.xml")
    assert [p.label for p in Docx(data).paragraphs] == ["a)", "b)", "c)", "d)", "e)"]
    result = check(data)["danh_so"]
    assert not result.passed
    assert "sau “d)” cần là “đ)”" in result.message("vi")


# -- the reader ----------------------------------------------------------------------------------


STYLES = f"""<w:styles xmlns:w="{NS["w"]}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>
<w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Dam"><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Manh"><w:rPr><w:b/><w:rFonts w:ascii="Arial"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Lon"><w:basedOn w:val="Manh"/><w:rPr><w:sz w:val="30"/></w:rPr></w:style>
</w:styles>"""


def test_run_formatting_resolves_like_word(good: bytes) -> None:
    def styles(root: etree._Element) -> None:
        for child in list(root):
            root.remove(child)
        for child in etree.fromstring(STYLES):
            root.append(child)

    def body(root: etree._Element) -> None:
        target = root.find("w:body", NS)
        for child in list(target):
            if child.tag != q("w:sectPr"):
                target.remove(child)
        runs = (
            '<w:p><w:pPr><w:pStyle w:val="Dam"/></w:pPr><w:r><w:t>a</w:t></w:r>'
            '<w:r><w:rPr><w:rStyle w:val="Manh"/></w:rPr><w:t>b</w:t></w:r>'
            '<w:r><w:rPr><w:rStyle w:val="Lon"/><w:b w:val="1"/></w:rPr><w:t>c</w:t></w:r></w:p>'
        )
        target.insert(0, etree.fromstring(f'<w:x xmlns:w="{NS["w"]}">{runs}</w:x>')[0])

    data = edit(edit(good, styles, "word/styles.xml"), body)
    para = Docx(data).paragraphs[0]
    plain, strong, large = para.runs()
    # Bold paragraph style + bold character style = not bold (toggle, ECMA-376 §17.7.3);
    # direct formatting wins outright.
    assert [para.toggle(r, "b") for r in (plain, strong, large)] == [True, False, True]
    assert [para.run_size(r) for r in (plain, strong, large)] == [12, 12, 15]
    theme = Docx(good).theme_font("minorHAnsi")  # our template carries no theme
    assert theme is None
    assert para.run_font(strong) == "Arial" and para.run_font(large) == "Arial"


def test_text_in_tables_headers_and_sections(good: bytes) -> None:
    doc = Docx(good)
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < texts.index("BÁO CÁO")
    assert doc.paragraphs[0].in_table
    found = doc.story("default", "header")
    assert found is not None and "PAGE" in "".join(found[1].itertext())
    assert len(doc.sections) == 1 and doc.sections[0] is doc.section


# -- unreadable files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "check_old_word"),
        (b"%PDF-1.4 not a docx", "check_not_zip"),
        (None, "check_not_docx"),
    ],
    ids=["doc", "pdf", "zip-without-document"],
)
def test_unreadable_files_raise_input_error(content: bytes | None, code: str) -> None:
    if content is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "xin chào")
        content = out.getvalue()
    with pytest.raises(InputError) as caught:
        check(content)
    assert caught.value.code == code and caught.value.exit_code == 3


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path, good: bytes) -> dict[str, Path]:
    paths = {
        "good": tmp_path / "tot.docx",
        "bad": tmp_path / "sai.docx",
        "text": tmp_path / "ghi-chu.docx",
    }
    paths["good"].write_bytes(good)
    paths["bad"].write_bytes(edit(good, replace_text("Số: 12/BC-STTTT", "Số: 5/BC-STTTT")))
    paths["text"].write_text("không phải Word", encoding="utf-8")
    return paths


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the command line as ``baocao`` does (``--lang`` anywhere)."""
    argv = list(args)
    lang = _language(argv)
    result = CliRunner().invoke(make_cli(lang), argv, prog_name="baocao")
    return result.exit_code, result.stdout, result.stderr


def test_cli_passes_with_exit_code_0(files: dict[str, Path]) -> None:
    code, out, _ = invoke("check", str(files["good"]))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(RULES) + 1
    assert all(line.startswith("✓ ") for line in lines[:-1])
    assert lines[-1] == f"{files['good']}: đạt cả 12 tiêu chí thể thức của Nghị định 30/2020/NĐ-CP."


def test_cli_fails_with_exit_code_7(files: dict[str, Path]) -> None:
    code, out, _ = invoke("check", str(files["bad"]))
    assert code == EXIT_FAILED == 7
    assert "✗ Số, ký hiệu: thấy “Số: 5/BC-STTTT”" in out
    assert out.splitlines()[-1] == f"{files['bad']}: 1 trên 12 tiêu chí chưa đạt."


def test_cli_speaks_english(files: dict[str, Path]) -> None:
    code, out, _ = invoke("check", str(files["bad"]), "--lang", "en")
    assert code == 7
    assert "✗ Number and symbol: found “Số: 5/BC-STTTT”" in out
    assert out.splitlines()[-1] == f"{files['bad']}: 1 of 12 rules failed."


def test_cli_json(files: dict[str, Path]) -> None:
    code, out, _ = invoke("--lang", "en", "check", "--json", str(files["bad"]))
    assert code == 7
    data = json.loads(out)
    assert data["passed"] is False
    failed_rules = [r for r in data["rules"] if not r["passed"]]
    assert [r["rule"] for r in failed_rules] == ["so_ky_hieu"]
    assert failed_rules[0]["where"] == "paragraph 7: “Số: 5/BC-STTTT”"
    assert failed_rules[0]["seen"] == "Số: 5/BC-STTTT"
    assert failed_rules[0]["message"].startswith("✗ Number and symbol")


@pytest.mark.parametrize("which", ["text", "missing", "folder"])
def test_cli_unreadable_file_exits_3_without_traceback(files: dict[str, Path], which: str) -> None:
    target = {
        "text": files["text"],
        "missing": files["good"].with_name("khong-co.docx"),
        "folder": files["good"].parent,
    }[which]
    code, out, err = invoke("check", str(target))
    assert code == 3
    assert out == "" and "Traceback" not in err
    assert err.startswith(f"{target}: ")


def test_cli_type_option(tmp_path: Path, good: bytes, letter: bytes) -> None:
    report, cong_van = tmp_path / "bao-cao.docx", tmp_path / "cong-van.docx"
    report.write_bytes(good)
    cong_van.write_bytes(letter)
    code, out, _ = invoke("check", str(cong_van))
    assert code == 0
    assert "✓ Tên loại và trích yếu: Công văn (nhận ra từ văn bản): " in out
    for option in ("--type", "-t", "--template"):
        code, out, _ = invoke("check", str(report), option, "ke-hoach")
        assert code == EXIT_FAILED, option
        assert "✗ Tên loại và trích yếu: không thấy tên loại văn bản “KẾ HOẠCH”" in out
        assert out.splitlines()[-1] == f"{report}: 1 trên 12 tiêu chí chưa đạt."
    code, out, _ = invoke("check", str(cong_van), "-t", "cong-van", "--json")
    assert code == 0 and json.loads(out)["template"] == "cong-van"
    code, out, err = invoke("check", str(report), "--type", "khong-co")
    assert code == 5 and out == "" and "khong-co" in err
    assert "--type" in invoke("check", "--help")[1]


def test_cli_help_in_both_languages() -> None:
    assert "Nghị định 30/2020" in invoke("check", "--help")[1]
    assert "Decree 30/2020" in invoke("--lang", "en", "check", "--help")[1]


def test_report_type_is_the_api() -> None:
    assert isinstance(check(render(REPORT)), Report)


def test_every_rule_and_place_has_a_name_in_both_languages() -> None:
    from baocao.messages import LANGUAGES, MESSAGES

    names = [f"check_rule_{rule}" for rule in RULES]
    names += [f"check_part_{part}" for part in ("header", "footer", "footnotes", "endnotes")]
    names += [f"check_side_{side}" for side in ("top", "bottom", "left", "right")]
    for name in names:
        assert set(MESSAGES[name]) == set(LANGUAGES), name
