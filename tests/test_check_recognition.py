"""Recognition that survives real Word files (issue 19, item 1).

Each case is a document composed for it (our render with its XML edited, or a
file laid out with python-docx as Word and LibreOffice lay them out), and the
real files of ``../shared/real-docx`` are read for the same facts: a rule drawn
as a shape anywhere in the header block is seen, a stray one far off the page
is not, and a page count the file states against its own length is not trusted.
"""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from lxml import etree

from baocao import nd30
from baocao.check import RULES, check, read
from baocao.docx.read import NS, q
from tests.test_check import (
    border,
    both,
    clerk_file,
    edit,
    good,
    paragraph,
    remove_rule_after,
    replace_text,
    saved,
    set_margin,
    write,
)

__all__ = ["good"]  # the fixture, shared with test_check

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-docx"
REAL_FILES = sorted(REAL.glob("*.docx")) if REAL.is_dir() else []
needs_real = pytest.mark.skipif(not REAL_FILES, reason="../shared/real-docx is not here")

APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "{pages}</Properties>"
)


def with_app_pages(data: bytes, pages: int | None) -> bytes:
    """``data`` with docProps/app.xml saying ``pages`` (None: no Pages element)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    text = APP.format(pages="" if pages is None else f"<Pages>{pages}</Pages>").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for info in source.infolist():
            content = text if info.filename == "docProps/app.xml" else source.read(info)
            target.writestr(info, content)
        if "docProps/app.xml" not in names:
            target.writestr("docProps/app.xml", text)
    return out.getvalue()


def unnumbered(paragraphs: int) -> bytes:
    """A clerk's layout without any page number, its body ``paragraphs`` long: what pandoc
    or a generator makes (and writes ``<Pages>1</Pages>`` whatever the length)."""
    document = clerk_file()
    section = document.sections[0]
    for story in (section.header, section.first_page_header):
        for para in story.paragraphs:
            para._p.getparent().remove(para._p)
    closing = document.tables[-1]._tbl
    for number in range(paragraphs):
        para = write(
            document,
            f"Đoạn {number + 1}: nội dung báo cáo kết quả thực hiện nhiệm vụ trong kỳ, "
            "những khó khăn, vướng mắc và đề xuất, kiến nghị với cấp trên.",
            14,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        para.paragraph_format.space_before = Pt(6)
        closing.addprevious(para._p)
    return with_app_pages(saved(document), 1)


# -- the page count ---------------------------------------------------------------------


def test_a_long_document_saying_one_page_is_reported_without_page_numbers() -> None:
    report = check(unnumbered(150))
    numbers = read(unnumbered(150)).page_numbers
    assert numbers is not None and numbers.counted_by == "estimate" and numbers.pages >= 5
    assert "so_trang" in {r.rule for r in report.failed}
    assert "một trang" not in report["so_trang"].message("vi")


def test_a_short_document_saying_one_page_keeps_its_count() -> None:
    report = check(unnumbered(2))
    assert report["so_trang"].passed, report["so_trang"].message("vi")
    numbers = read(unnumbered(2)).page_numbers
    assert numbers is not None and numbers.pages == 1 and numbers.counted_by == "file"


def test_no_stated_count_is_estimated() -> None:
    short = with_app_pages(unnumbered(2), None)
    long = with_app_pages(unnumbered(150), None)
    assert check(short)["so_trang"].passed
    assert not check(long)["so_trang"].passed


def test_a_stated_count_above_one_is_kept() -> None:
    numbers = read(with_app_pages(unnumbered(2), 3)).page_numbers
    assert numbers is not None and (numbers.pages, numbers.counted_by) == (3, "file")


@needs_real
def test_the_estimate_tells_one_page_from_more_on_the_real_files() -> None:
    """The estimate against the counts LibreOffice gives (README of real-docx): each
    one-page letter stays under ``MORE_THAN_ONE``, each file of three pages or more
    reaches it (of the two-page ones, 04 does and 13 does not: 1.29)."""
    from baocao.check.reading import MORE_THAN_ONE
    from baocao.docx.read import Docx, flow

    one_page = {"06", "07", "10", "11"}
    two_pages = {"04", "08", "12", "13"}
    for path in REAL_FILES:
        estimate = flow(Docx.open(path)).pages
        if path.name[:2] in one_page:
            assert estimate < MORE_THAN_ONE, (path.name, estimate)
        elif path.name[:2] not in two_pages:
            assert estimate >= MORE_THAN_ONE, (path.name, estimate)


def test_exact_count_with_libreoffice(tmp_path: Path) -> None:
    from baocao.convert import soffice
    from baocao.errors import ConvertError

    try:
        soffice()
    except ConvertError:
        pytest.skip("LibreOffice is not installed")
    path = tmp_path / "dai.docx"
    path.write_bytes(unnumbered(150))
    numbers = read(path, exact=True).page_numbers
    assert numbers is not None and numbers.counted_by == "libreoffice" and numbers.pages > 3
    assert not check(path, exact=True)["so_trang"].passed
    from tests.test_check import invoke

    code, out, _ = invoke("check", str(path), "--chinh-xac")
    assert code == 7 and "✗ Số trang: không thấy số trang" in out
    code, out, _ = invoke("--lang", "en", "check", "--help")
    assert "--chinh-xac" in out and "LibreOffice" in out


# -- rules drawn as shapes, anchored anywhere in the header block ---------------------------

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)

EMU_PER_CM = 360000


def drawing_line(
    x_cm: float,
    y_cm: float,
    width_cm: float,
    *,
    relative: str = "column",
    prst: str = "line",
    stroke: str = '<a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>',
    fallback: bool = True,
) -> str:
    """A run drawing a straight line as Word does: DrawingML ``wps:wsp`` in an
    ``mc:AlternateContent`` with a VML ``v:line`` fallback at the same place."""
    x, y, cx = (round(v * EMU_PER_CM) for v in (x_cm, y_cm, width_cm))
    choice = (
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="{relative}"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="0"/><wp:wrapNone/><wp:docPr id="9" name="Line 9"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="0"/></a:xfrm><a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom>'
        f"{stroke}</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing>"
    )
    pt = 72 / 2.54
    vml = (
        f'<w:pict><v:line from="{x_cm * pt:.2f}pt,{y_cm * pt:.2f}pt" '
        f'to="{(x_cm + width_cm) * pt:.2f}pt,{y_cm * pt:.2f}pt" '
        'style="position:absolute;z-index:2" strokeweight=".5pt"/></w:pict>'
    )
    if not fallback:
        return f"<w:r {NAMESPACES}>{choice}</w:r>"
    return (
        f'<w:r {NAMESPACES}><mc:AlternateContent><mc:Choice Requires="wps">{choice}'
        f"</mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def vml_connector(x_cm: float, y_cm: float, width_cm: float) -> str:
    """A run drawing a line as an old Word file does: a VML straight connector alone."""
    return (
        f'<w:r {NAMESPACES}><w:pict><v:shape type="#_x0000_t32" o:connectortype="straight" '
        f'style="position:absolute;margin-left:{x_cm}cm;margin-top:{y_cm}cm;width:{width_cm}cm;'
        "height:0;z-index:1;mso-position-horizontal-relative:text;"
        'mso-position-vertical-relative:text" strokeweight=".5pt"/></w:pict></w:r>'
    )


def draw_in(text: str, run: str) -> Callable[[etree._Element], None]:
    """Append the drawing ``run`` to the paragraph holding ``text``."""

    def change(root: etree._Element) -> None:
        paragraph(root, text).append(etree.fromstring(run))

    return change


def draw_in_empty_after(text: str, run: str) -> Callable[[etree._Element], None]:
    """Draw ``run`` in a new empty paragraph after the one holding ``text``."""

    def change(root: etree._Element) -> None:
        anchor = paragraph(root, text)
        empty = etree.fromstring(f"<w:p {NAMESPACES}/>")
        empty.append(etree.fromstring(run))
        anchor.addnext(empty)

    return change


def rules_of(data: bytes) -> tuple[str | None, str | None]:
    header = read(data).header
    return header.agency_rule, header.motto_rule


WITHOUT_RULES = both(remove_rule_after("Độc lập"), remove_rule_after("TRUYỀN THÔNG"))
"""Our render with the rule paragraphs under the agency and the motto taken out."""


def test_without_its_rules_our_render_misses_both(good: bytes) -> None:
    assert rules_of(edit(good, WITHOUT_RULES)) == (None, None)


@pytest.mark.parametrize(
    ("anchor", "run", "expected"),
    [
        # anchored in the date, in the next row under the motto
        ("Quảng Nam, ngày", drawing_line(1.5, 0.05, 4.5), (None, "shape")),
        # the same line without its fallback, and as an old VML connector
        ("Quảng Nam, ngày", drawing_line(1.5, 0.05, 4.5, fallback=False), (None, "shape")),
        ("Quảng Nam, ngày", vml_connector(1.5, 0.05, 4.5), (None, "shape")),
        # anchored in the motto's own paragraph, drawn just under its line
        ("Độc lập", drawing_line(1.5, 0.75, 4.5), (None, "shape")),
        # anchored in Quốc hiệu, two lines above, with an offset down past the motto
        (
            "CỘNG HÒA XÃ HỘI",
            drawing_line(1.5, 1.25, 4.5, prst="straightConnector1"),
            (None, "shape"),
        ),
        # anchored in "Số:" (the next row, the agency's column)
        ("Số: 12/BC", drawing_line(2.0, 0.05, 3.0), ("shape", None)),
        # anchored in the date two cells on, with a negative offset back under the agency
        ("Quảng Nam, ngày", drawing_line(-7.5, 0.05, 3.0), ("shape", None)),
        # anchored on the page, not the column: the motto's column is the right half
        ("UBND TỈNH", drawing_line(11.0, 2.0, 4.5, relative="page"), (None, "shape")),
    ],
)
def test_a_rule_drawn_as_a_shape_is_seen_wherever_it_is_anchored(
    good: bytes, anchor: str, run: str, expected: tuple[str | None, str | None]
) -> None:
    data = edit(good, both(WITHOUT_RULES, draw_in(anchor, run)))
    assert rules_of(data) == expected


def test_rules_drawn_in_an_empty_paragraph_of_each_column(good: bytes) -> None:
    data = edit(
        good,
        both(
            WITHOUT_RULES,
            draw_in_empty_after("TRUYỀN THÔNG", drawing_line(1.5, 0.0, 3.0)),
            draw_in_empty_after("Độc lập", vml_connector(1.5, 0.0, 4.5)),
        ),
    )
    assert rules_of(data) == ("shape", "shape")
    report = check(data)
    assert report["quoc_hieu"].passed and report["co_quan"].passed


@pytest.mark.parametrize(
    "run",
    [
        # dragged metres off the page (real file 03 has three such)
        drawing_line(-485.0, -394.0, 2.2),
        # drawn without a stroke
        drawing_line(1.5, 0.75, 4.5, stroke="<a:ln><a:noFill/></a:ln>", fallback=False),
        # a line far below the motto, in the body's column
        drawing_line(1.5, 6.0, 4.5),
        # too short to be a rule
        drawing_line(3.0, 0.75, 0.2),
        # upright, not level
        drawing_line(3.0, 0.75, 0.0),
    ],
)
def test_a_line_that_is_no_rule_does_not_count(good: bytes, run: str) -> None:
    """Each drawn in the motto's own paragraph, where any line used to count."""
    data = edit(good, both(WITHOUT_RULES, draw_in("Độc lập", run)))
    assert rules_of(data) == (None, None)
    assert not check(data)["quoc_hieu"].passed


def test_a_cell_border_under_the_motto_is_a_rule(good: bytes) -> None:
    def bottom_border(root: etree._Element) -> None:
        cell = paragraph(root, "Độc lập").getparent()
        tcpr = cell.find("w:tcPr", NS)
        tcpr.append(
            etree.fromstring(
                f'<w:tcBorders {NAMESPACES}><w:bottom w:val="single" w:sz="4"/></w:tcBorders>'
            )
        )

    data = edit(good, both(WITHOUT_RULES, bottom_border))
    assert rules_of(data) == (None, "border")


@needs_real
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name[:2])
def test_no_real_file_is_said_to_lack_a_rule_it_draws(path: Path) -> None:
    """In every real file the rules under the agency and the motto are drawn shapes
    (README); each is seen. Stray ones off the page (03) are not what is seen: 03's
    own rules are on the page."""
    document = read(path)
    if document.header.motto is not None:
        assert document.header.motto_rule is not None, path.name
    if document.header.agency:
        assert document.header.agency_rule is not None, path.name


# -- every type the decree names ------------------------------------------------------------

ISSUE_TYPES = [
    "bao-cao",
    "ke-hoach",
    "to-trinh",
    "thong-bao",
    "quyet-dinh",
    "nghi-quyet",
    "chuong-trinh",
    "de-an",
    "phuong-an",
    "huong-dan",
    "quy-che",
    "quy-dinh",
    "bien-ban",
    "giay-moi",
    "giay-gioi-thieu",
    "cong-dien",
]
"""The types issue 19 names (the công văn, which has no type name, is below)."""


def decree_type(key: str) -> nd30.DocumentType:
    return next(t for t in nd30.DOCUMENT_TYPES if t.key == key)


def as_type(good: bytes, key: str) -> bytes:
    """Our report with the type name of ``key`` in place of "BÁO CÁO" (and no trích yếu
    for a type that has none)."""
    known = decree_type(key)
    changes = [replace_text("BÁO CÁO", known.name)]
    if not known.summary:

        def drop_summary(root: etree._Element) -> None:
            summary = paragraph(root, "Kết quả công tác năm 2021")
            rule = summary.getnext()
            summary.getparent().remove(summary)
            rule.getparent().remove(rule)

        changes.append(drop_summary)
    return edit(good, both(*changes))


@pytest.mark.parametrize("key", ISSUE_TYPES)
def test_every_type_is_recognised_from_its_title(good: bytes, key: str) -> None:
    report = check(as_type(good, key))
    assert report.template == key
    assert report.passed, "\n".join(report.lines("en"))


@pytest.mark.parametrize("key", ["bien-ban", "cong-dien", "giay-moi"])
def test_a_type_without_a_bundle_is_checked_on_the_common_rules(good: bytes, key: str) -> None:
    data = as_type(good, key)
    assert check(data, template=key).template == key  # --type names it too
    broken = edit(data, remove_rule_after("Độc lập"))
    assert {r.rule for r in check(broken).failed} == {"quoc_hieu"}
    narrow = edit(data, set_margin("left", 1000))
    assert {r.rule for r in check(narrow).failed} == {"trang"}


def test_a_type_without_a_summary_needs_none(good: bytes) -> None:
    report = check(as_type(good, "giay-gioi-thieu"))
    assert report["ten_loai"].passed and "không có trích yếu" in report["ten_loai"].message("vi")
    # a type that has one still needs it
    drop = as_type(good, "giay-gioi-thieu")
    assert not check(drop, template="bien-ban")["ten_loai"].passed


def test_a_cong_van_is_recognised_from_its_v_v_line() -> None:
    from tests.test_check import render_as

    assert check(render_as("cong-van")).template == "cong-van"


def test_an_unknown_type_is_still_refused() -> None:
    from baocao.errors import TemplateError

    with pytest.raises(TemplateError):
        check(b"", template="khong-co")


def test_the_decree_types_are_named_once() -> None:
    keys = [t.key for t in nd30.DOCUMENT_TYPES]
    assert len(keys) == len(set(keys)) and set(ISSUE_TYPES) <= set(keys)
    from baocao.bundle import available, find

    for name in available():  # a bundle and the decree agree on its type name
        bundle = find(name)
        if not bundle.letter:
            assert decree_type(name).name == bundle.type_name


@needs_real
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name[:2])
def test_the_real_files_types_are_recognised(path: Path) -> None:
    """The file names say the type (README: 10 is a công văn, whatever its source's name)."""
    expected = re.match(r"\d\d-([a-z]+-[a-z]+)", path.name)
    assert expected is not None
    kind = read(path).title.kind
    assert kind is not None and kind.template == expected.group(1)


# -- header and closing blocks in any table shape ---------------------------------------------

Cell = list[tuple[str, float, bool, bool]]
"""A cell's lines: (text, size, bold, italic); a line in bold under which a border is drawn
is marked by ``RULED``."""

RULED = {"SỞ TƯ PHÁP", "Độc lập – Tự do – Hạnh phúc"}

PARENT = ("UBND TỈNH QUẢNG NAM", 13, False, False)
AGENCY = ("SỞ TƯ PHÁP", 13, True, False)
QH = ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False)
TN = ("Độc lập – Tự do – Hạnh phúc", 14, True, False)
SO = ("Số: 07/BC-STP", 13, False, False)
DATE = ("Quảng Nam, ngày 05 tháng 3 năm 2021", 14, False, True)
LABEL = ("Nơi nhận:", 12, True, True)
ITEMS = [("- Sở Tư pháp;", 11, False, False), ("- Lưu: VT, VP.", 11, False, False)]
TITLE = ("GIÁM ĐỐC", 14, True, False)
NAME = ("Nguyễn Văn B", 14, True, False)
GAP = ("", 14, False, False)


def grid(rows: list[tuple[Cell, Cell]]) -> docx.table.Table:
    """A borderless two-column table holding ``rows``, outside any document body."""
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=2)
    for number, pair in enumerate(rows):
        for cell, lines in zip(table.rows[number].cells, pair, strict=True):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            for text, size, bold, italic in lines:
                align = None if size < 13 else WD_ALIGN_PARAGRAPH.CENTER
                para = write(cell, text, size, bold=bold, italic=italic, align=align)
                if text == AGENCY[0]:
                    # the agency's rule as a clerk draws it with a border: the top one of
                    # an empty paragraph indented to about 1/2 of the name (a border across
                    # the whole cell would be too long, nd30 II.2)
                    rule = write(cell, "", size, align=align)
                    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = Cm(3)
                    border(rule, "top")
                elif text in RULED:
                    border(para, "bottom")
            if not lines:
                cell.add_paragraph()
    return table


def clerk_with(
    header: list[tuple[Cell, Cell]] | None = None,
    closing: list[tuple[Cell, Cell]] | None = None,
    nest: bool = False,
) -> bytes:
    """``clerk_file()`` with its header or closing table laid out as ``header`` or
    ``closing`` (rows of two cells); ``nest`` puts the new table in a 1×1 table."""
    document = clerk_file()
    for index, rows in ((0, header), (-1, closing)):
        if rows is None:
            continue
        old = document.tables[index]._tbl
        new = grid(rows)._tbl
        if nest:
            outer = grid([([GAP], [])])._tbl
            cell = outer.find(".//w:tc", NS)
            cell.remove(outer.find(".//w:tcPr", NS).getparent().find("w:p", NS))
            cell.append(new)
            cell.append(etree.fromstring(f"<w:p {NAMESPACES}/>"))
            new = outer
        old.addprevious(new)
        old.getparent().remove(old)
    return saved(document)


HEADERS = {
    "agency lines in two rows": [([PARENT], [QH]), ([AGENCY], [TN]), ([SO], [DATE])],
    "an empty row before Số": [([PARENT], [QH]), ([AGENCY], [TN]), ([], []), ([SO], [DATE])],
    "the parent line in a row of its own": [([PARENT], []), ([AGENCY], [QH, TN]), ([SO], [DATE])],
    "two rows": [([PARENT, AGENCY], [QH, TN]), ([SO], [DATE])],
    "one row, agency and Số in one cell": [([PARENT, AGENCY, SO], [QH, TN, DATE])],
}


@pytest.mark.parametrize("shape", HEADERS, ids=list(HEADERS))
def test_the_header_in_any_table_shape(shape: str) -> None:
    data = clerk_with(header=HEADERS[shape])
    header = read(data).header
    assert [line.shown for line in header.parent_agency] == ["UBND TỈNH QUẢNG NAM"]
    assert [line.shown for line in header.agency] == ["SỞ TƯ PHÁP"]
    assert (header.agency_rule, header.motto_rule) == ("border", "border")
    report = check(data)
    assert report.passed, "\n".join(report.lines("en"))


def test_the_header_nested_in_a_table() -> None:
    data = clerk_with(header=HEADERS["agency lines in two rows"], nest=True)
    header = read(data).header
    assert [line.shown for line in header.agency] == ["SỞ TƯ PHÁP"]
    assert check(data).passed


def test_a_bold_parent_line_in_its_own_row_is_still_the_parent() -> None:
    """The parent is the line above the agency, whatever its formatting: in bold, it
    is reported as the parent line in bold, not taken for the agency."""
    bold_parent = (PARENT[0], 13, True, False)
    rows = [([bold_parent], [QH]), ([AGENCY], [TN]), ([SO], [DATE])]
    header = read(clerk_with(header=rows)).header
    assert [line.shown for line in header.parent_agency] == ["UBND TỈNH QUẢNG NAM"]
    assert [line.shown for line in header.agency] == ["SỞ TƯ PHÁP"]


CLOSINGS = {
    "the list in the next row": [([LABEL], [TITLE]), (ITEMS, [GAP, GAP, GAP, NAME])],
    "the name in the next row": [([LABEL, *ITEMS], [TITLE]), ([], [NAME])],
    "the name two rows down": [([LABEL, *ITEMS], [TITLE]), ([], [GAP, GAP]), ([], [NAME])],
    "one row": [([LABEL, *ITEMS], [TITLE, GAP, GAP, NAME])],
}


@pytest.mark.parametrize("shape", CLOSINGS, ids=list(CLOSINGS))
@pytest.mark.parametrize("nest", [False, True], ids=["top", "nested"])
def test_the_closing_in_any_table_shape(shape: str, nest: bool) -> None:
    data = clerk_with(closing=CLOSINGS[shape], nest=nest)
    closing = read(data).closing
    assert [item.shown for item in closing.recipients] == ["- Sở Tư pháp;", "- Lưu: VT, VP."]
    assert [line.shown for line in closing.signer.lines] == ["GIÁM ĐỐC"]
    assert closing.signer.name is not None and closing.signer.name.shown == "Nguyễn Văn B"
    report = check(data)
    assert report.passed, "\n".join(report.lines("en"))


@needs_real
def test_the_real_files_parent_agencies() -> None:
    """The parent line (README: 08, 11, 12, 13) is told apart from the agency; the others
    have the agency alone, in one or two lines."""
    parents = {
        "08": "UBND TỈNH LÂM ĐỒNG",
        "11": "BỘ CÔNG AN",
        "12": "UBND TỈNH LÂM ĐỒNG",
        "13": "UBND TỈNH BÌNH THUẬN",
    }
    for path in REAL_FILES:
        header = read(path).header
        assert [line.shown for line in header.parent_agency] == (
            [parents[path.name[:2]]] if path.name[:2] in parents else []
        ), path.name
        assert header.agency, path.name


# -- no crash, whatever the shapes and tables say -----------------------------------------

GARBAGE = ["", "-", "abc", "99999999999999", "-99999999999", "1e9", "NaN", "0", "5cm", "-0.5pt"]

SHAPED_ATTRIBUTES = {"cx", "cy", "relativeFrom", "style", "from", "to", "rot", "prst", "type"}
TABLE_ATTRIBUTES = {q("w:w"), q("w:val"), q("w:type"), q("w:hRule")}


@pytest.mark.parametrize("seed", range(30))
def test_damaged_shapes_and_tables_give_a_report(good: bytes, seed: int) -> None:
    """Our render with a DrawingML line (VML fallback), a VML connector, a nested table,
    then random values put in their attributes and offsets: a report, never a crash."""
    rng = random.Random(seed)

    def damage(root: etree._Element) -> None:
        draw_in("Quảng Nam, ngày", drawing_line(1.5, 0.05, 4.5))(root)
        draw_in("Số: 12", vml_connector(1.5, 0.05, 3.0))(root)
        cell = paragraph(root, "Nơi nhận").getparent()
        cell.append(etree.fromstring(NESTED))
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == q("wp:posOffset") and rng.random() < 0.5:
                element.text = rng.choice(GARBAGE)
            for name in list(element.attrib):
                wanted = name in SHAPED_ATTRIBUTES or (
                    name in TABLE_ATTRIBUTES
                    and element.tag
                    in (
                        q("w:gridCol"),
                        q("w:gridSpan"),
                        q("w:trHeight"),
                        q("w:tblInd"),
                        q("w:gridBefore"),
                        q("w:tcW"),
                    )
                )
                if wanted and rng.random() < 0.4:
                    element.set(name, rng.choice(GARBAGE))

    report = check(edit(good, damage), seconds=30)
    assert len(report.results) == len(RULES)


NESTED = (
    f"<w:tbl {NAMESPACES}><w:tblPr/><w:tblGrid><w:gridCol w:w='2000'/><w:gridCol w:w='9'/>"
    "</w:tblGrid><w:tr><w:trPr><w:gridBefore w:val='1'/><w:trHeight w:val='500' "
    "w:hRule='exact'/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val='3'/></w:tcPr><w:p/></w:tc></w:tr>"
    "</w:tbl>"
)


def test_a_row_said_to_be_kilometres_tall_is_counted_quickly(good: bytes) -> None:
    def tall(root: etree._Element) -> None:
        row = root.find(".//w:tr", NS)
        props = row.find("w:trPr", NS)
        if props is None:
            props = etree.SubElement(row, q("w:trPr"))
            row.insert(0, props)
        props.append(etree.fromstring(f'<w:trHeight {NAMESPACES} w:val="999999999999"/>'))

    data = with_app_pages(edit(good, tall), None)
    from baocao.docx.read import Docx, flow

    assert flow(Docx(data)).pages > 1000


def test_a_header_laid_out_with_spaces() -> None:
    """No table and no tab: the agency and Quốc hiệu, then "Số:" and the date, share lines,
    set apart by runs of spaces (real file 07)."""
    document = clerk_file()
    table = document.tables[0]._tbl
    lines = [
        ("      SỞ TƯ PHÁP            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
        ("                                 Độc lập - Tự do - Hạnh phúc", 14, True, False),
        (
            "     Số: 07/BC-STP                   Quảng Nam, ngày 05 tháng 3 năm 2021",
            13,
            False,
            False,
        ),
    ]
    for text, size, bold, italic in lines:
        para = write(document, text, size, bold=bold, italic=italic, align=None)
        table.addprevious(para._p)
    table.getparent().remove(table)
    header = read(saved(document)).header
    assert header.national_title is not None
    assert header.national_title.shown == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert [line.shown for line in header.agency] == ["SỞ TƯ PHÁP"]
    assert header.number is not None and header.number.shown == "Số: 07/BC-STP"
    assert header.place_date is not None
    assert header.place_date.shown == "Quảng Nam, ngày 05 tháng 3 năm 2021"


def test_a_drawn_rule_has_its_length_and_place(good: bytes) -> None:
    """Anchored in the date cell 1.5 cm in, 4.5 cm long: its span is read from the anchor's
    cell (the right-hand column) and the offset."""
    from baocao.docx.read import CELL_MARGIN, Docx, cell_box

    data = edit(good, both(WITHOUT_RULES, draw_in("Quảng Nam, ngày", drawing_line(1.5, 0.05, 4.5))))
    span = read(data).header.motto_rule_span
    assert span is not None
    cm = 1440 / 2.54
    assert span[1] - span[0] == pytest.approx(4.5 * cm, abs=2)
    cell = next(p for p in Docx(data).paragraphs if p.text.startswith("Quảng Nam, ngày")).cell
    assert span[0] == pytest.approx(cell_box(cell)[0] + CELL_MARGIN + 1.5 * cm, abs=2)
    # our render's border: across its paragraph, centred on the motto
    header = read(good).header
    assert header.motto_rule == "border"
    assert header.motto_rule_span is not None and header.motto_text_span is not None
    middle = sum(header.motto_rule_span) / 2
    assert middle == pytest.approx(sum(header.motto_text_span) / 2, abs=0.1 * cm)


@needs_real
def test_the_real_files_rules_are_shorter_than_their_column() -> None:
    """Every real file draws its rules as lines (README): each has a span, on the page,
    from 0.5 cm to 9 cm long."""
    cm = 1440 / 2.54
    for path in REAL_FILES:
        header = read(path).header
        for span in (header.agency_rule_span, header.motto_rule_span):
            assert span is not None, path.name
            assert 0.5 * cm <= span[1] - span[0] <= 9 * cm, (path.name, span)
            assert -3 * cm <= span[0] <= 17 * cm, (path.name, span)


@needs_real
@pytest.mark.parametrize("number", ["06", "14"])
def test_rules_as_libreoffice_saves_them(tmp_path: Path, number: str) -> None:
    """A real file opened and saved again by LibreOffice (which writes its own DrawingML
    and VML for the lines, in other paragraphs): the rules are still seen, on the page."""
    import shutil
    import subprocess

    program = shutil.which("soffice")
    if program is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "in.docx"
    source.write_bytes(next(p for p in REAL_FILES if p.name.startswith(number)).read_bytes())
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    header = read(tmp_path / "out" / "in.docx").header
    assert (header.agency_rule, header.motto_rule) == ("shape", "shape")
    assert header.agency_rule_span is not None and header.motto_rule_span is not None
    assert header.agency_rule_span[1] < header.motto_rule_span[0]  # left column, right column


def test_a_table_of_30000_rows_without_page_numbers_is_estimated_in_budget() -> None:
    """The estimate walks every row once: it took 22 s when each cell looked for its
    table's grid among all the rows."""

    def rows(root: etree._Element) -> None:
        body = root.find("w:body", NS)
        table = etree.SubElement(body, q("w:tbl"))
        row = f"<w:tr {NAMESPACES}><w:tc><w:p/></w:tc></w:tr>"
        for _ in range(30_000):
            table.append(etree.fromstring(row))
        body.findall("w:tbl", NS)[-2].addprevious(table)  # before the closing table

    report = check(edit(unnumbered(2), rows), seconds=10)
    assert not report["so_trang"].passed
