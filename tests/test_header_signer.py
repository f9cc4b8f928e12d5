"""Issue 17, item 6: agency lines, the header's column, the line under the signing space,
line spacing, and the footnote number raised in the footnote area (in Word and LibreOffice)."""

from __future__ import annotations

import itertools
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao import ValidationFailed, agency, layout, load, validate
from baocao.cli import make_cli
from baocao.measure import text_width
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text, with_changes
from tests.docx_facts import NS, Docx, q
from tests.test_pdf import needs_libreoffice, pdf_text

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def pdf_words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word of the PDF with its box (x0, y0, x1, y1) in points, in reading order."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(xml)]


def render_pdf(tmp_path: Path, text: str) -> Path:
    source = tmp_path / "bao-cao.yaml"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(make_cli("vi"), ["render", str(source), "--pdf"])
    assert result.exit_code == 0, result.output
    return source.with_suffix(".pdf")


@needs_libreoffice
def test_footnote_number_in_the_footnote_area_is_raised_in_the_pdf(tmp_path: Path) -> None:
    # LibreOffice draws the number opening a footnote with the character style Word
    # calls "footnote reference", whatever the run's own style says: under another
    # name it came out full size, "1 1. Quyết định…".
    text = MINIMAL.replace("  - Nội dung.\n", '  - "Văn bản[^vb] đã ban hành."\n')
    text += 'chu_thich:\n  vb: "Quyết định số 165/QĐ-UBND ngày 31/01/2024."\n'
    words = pdf_words(render_pdf(tmp_path, text))
    at = next(i for i, w in enumerate(words) if w[4] == "165/QĐ-UBND")
    quyet = words[at - 3]
    assert quyet[4] == "Quyết"
    mark = next(w for w in words if w[4] == "1" and abs(w[1] - quyet[1]) < 6 and w[2] <= quyet[0])
    mark_height, text_height = mark[3] - mark[1], quyet[3] - quyet[1]
    assert mark_height < 0.75 * text_height, (mark, quyet)  # a smaller number …
    assert mark[3] < quyet[3] - 2, (mark, quyet)  # … standing above the baseline


# -- trinh_bay.gian_dong ---------------------------------------------------------------


def body_line(doc: Docx) -> str | None:
    return doc.style_ppr("BCNoiDung", "w:spacing").get(q("w:line"))


def test_line_spacing_moves_the_body_style_and_the_default_stays() -> None:
    assert body_line(render_text(MINIMAL)) == "288"  # the template's 1.2 lines
    for lines, expected in ((1, "240"), (1.1, "264"), (1.5, "360")):
        doc = render_text(with_changes(trinh_bay=f"{{gian_dong: {lines}}}"))
        assert body_line(doc) == expected
        assert doc.style_ppr("BCNoiDung", "w:spacing").get(q("w:before")) == "120"
        first = doc.with_style("BCNoiDung")[0]
        assert first.line_spacing() == (float(expected), "auto")
        assert doc.style_ppr("BCBangChu", "w:spacing").get(q("w:line")) == "240"  # tables stay


def test_line_spacing_outside_the_decree_is_a_located_error() -> None:
    text = with_changes(trinh_bay="{gian_dong: 2}")
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"))
    said = [describe_issue(i) for i in caught.value.issues]
    assert len(said) == 1 and said[0].startswith("bc.yaml:"), said
    assert "trinh_bay.gian_dong" in said[0] and "1.5" in said[0].replace(",", "."), said


# -- nguoi_ky.chuc_vu_duoi -------------------------------------------------------------

STEERING = (
    "nguoi_ky:\n  quyen_han: TM.\n  thay_cho: BAN CHỈ ĐẠO\n  chuc_vu: PHÓ TRƯỞNG BAN\n"
    "  chuc_vu_duoi: PHÓ CHỦ TỊCH UBND TỈNH\n  ho_ten: Trần Văn B"
)


def signer_block(doc: Docx) -> list[tuple[str, str, float]]:
    """(style, text, space before in twips) of each paragraph in the signer's cell."""
    name = doc.find("Trần Văn B")
    return [(p.style, p.text, p.spacing("before")) for p in doc.paragraphs_of(name.cell)]


def test_a_position_under_the_signing_space_stands_above_the_name() -> None:
    text = with_changes(nguoi_ky=STEERING.removeprefix("nguoi_ky:"))
    block = signer_block(render_text(text))
    assert block == [
        ("BCChucVu", "TM. BAN CHỈ ĐẠO", 240),
        ("BCChucVu", "PHÓ TRƯỞNG BAN", 240),
        ("BCChucVuDuoi", "PHÓ CHỦ TỊCH UBND TỈNH", 1700),  # the signing space is above it
        ("BCHoTen", "Trần Văn B", 0),
    ]
    plain = signer_block(render_text(MINIMAL.replace("Nguyễn Văn A", "Trần Văn B")))
    assert plain == [("BCChucVu", "GIÁM ĐỐC", 240), ("BCHoTen", "Trần Văn B", 1700)]


def test_an_appendix_signer_takes_the_line_under_the_signing_space_too() -> None:
    appendix = (
        "phu_luc:\n  - tieu_de: Biểu số liệu\n    noi_dung: [Nội dung phụ lục.]\n"
        "    nguoi_ky:\n      - {chuc_vu: Người lập biểu, ho_ten: Lê Thị C}\n"
        "      - {chuc_vu: PHÓ TRƯỞNG BAN, chuc_vu_duoi: [PHÓ CHỦ TỊCH, UBND TỈNH],"
        " ho_ten: Trần Văn B}\n"
    )
    doc = render_text(MINIMAL + appendix)
    assert signer_block(doc) == [
        ("BCChucVuPhuLuc", "PHÓ TRƯỞNG BAN", 240),
        ("BCChucVuPhuLuc", "PHÓ CHỦ TỊCH", 1700),
        ("BCChucVuPhuLuc", "UBND TỈNH", 0),
        ("BCHoTen", "Trần Văn B", 0),
    ]
    other = doc.find("Lê Thị C")
    assert [(p.style, p.spacing("before")) for p in doc.paragraphs_of(other.cell)] == [
        ("BCChucVuPhuLuc", 240),
        ("BCHoTen", 1700),
    ]


@needs_libreoffice
def test_in_the_pdf_the_signing_space_is_above_the_line_and_the_name_right_under_it(
    tmp_path: Path,
) -> None:
    words = pdf_words(
        render_pdf(tmp_path, with_changes(nguoi_ky=STEERING.removeprefix("nguoi_ky:")))
    )

    def top(word: str, after: float = 0) -> float:
        return next(w[1] for w in words if w[4] == word and w[1] > after)

    position = top("TRƯỞNG")
    under = top("UBND", after=position)
    name = top("Trần", after=under)
    assert under - position > 60, (position, under)  # room for the signature and seal
    assert 10 < name - under < 25, (under, name)  # the next line, no second gap


# -- co_quan_chu_quan, co_quan_ban_hanh: lines and the header's column ------------------


def caps(size: int, bold: bool = True) -> Callable[[str], int]:
    return lambda line: text_width(line.upper(), size, bold=bold)


ROOM = layout.HEADER_LEFT - 2 * layout.CELL_MARGIN


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", ["SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"]),
        ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]),
        ("Ủy ban nhân dân tỉnh Quảng Nam", ["Ủy ban nhân dân", "tỉnh Quảng Nam"]),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", ["SỞ VĂN HÓA,", "THỂ THAO VÀ DU LỊCH"]),
        (
            "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH QUẢNG NAM",
            ["BAN QUẢN LÝ CÁC", "KHU CÔNG NGHIỆP", "TỈNH QUẢNG NAM"],
        ),
        ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", ["SỞ KẾ HOẠCH VÀ ĐẦU TƯ"]),  # fits: one line
    ],
)
def test_a_long_name_breaks_at_a_phrase_not_where_the_line_is_full(
    name: str, lines: list[str]
) -> None:
    assert agency.balanced(name, caps(13), ROOM) == lines
    # Word alone fills the line first: an orphan word, or a word cut in two.
    assert len(lines) == 1 or agency.greedy(name.split(), caps(13), ROOM) != lines


def test_no_line_is_a_lone_syllable_or_cuts_a_known_word() -> None:
    for name in (
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH QUẢNG NAM",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH QUẢNG NAM",
        "BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA TỈNH LÂM ĐỒNG",
    ):
        for size in (12, 13):
            lines = agency.balanced(name, caps(size), ROOM)
            assert " ".join(lines) == name
            assert all(len(line.split()) > 1 for line in lines), lines
            assert all(caps(size)(line) <= ROOM for line in lines), lines
            words = [line.split() for line in lines]
            for first, second in itertools.pairwise(words):
                assert (first[-1], second[0]) not in agency.WORDS, lines


def agency_lines(doc: Docx, style: str = "BCCoQuan") -> list[str]:
    return doc.with_style(style)[0].text.split("\n")


def header_grid(doc: Docx) -> list[int]:
    table = doc.tables()[0]
    return [int(c.get(q("w:w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]


def test_the_header_breaks_long_names_and_keeps_short_ones_as_typed() -> None:
    doc = render_text(
        with_changes(
            co_quan_chu_quan="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
            co_quan_ban_hanh="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        )
    )
    assert agency_lines(doc, "BCCoQuanChuQuan") == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]
    assert agency_lines(doc) == ["SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"]
    assert header_grid(doc) == [layout.HEADER_LEFT, layout.HEADER_RIGHT]
    # The rule under the agency: a share of its longest line, not of the whole name.
    rule = doc.with_style("BCGach")[0]
    longest = text_width("SỞ THÔNG TIN VÀ", 13, bold=True)
    assert rule.twips("w:ind", "w:left") == round((ROOM - layout.RULE_SHARE * longest) / 2)
    short = render_text(MINIMAL)
    assert agency_lines(short, "BCCoQuanChuQuan") == ["UBND TỈNH QUẢNG NAM"]  # fits: as typed


def test_lines_typed_as_a_list_are_kept() -> None:
    doc = render_text(
        with_changes(
            co_quan_chu_quan="[UBND TỈNH, LÂM ĐỒNG]",
            co_quan_ban_hanh="[SỞ THÔNG TIN, VÀ TRUYỀN THÔNG]",
        )
    )
    assert agency_lines(doc, "BCCoQuanChuQuan") == ["UBND TỈNH", "LÂM ĐỒNG"]
    assert agency_lines(doc) == ["SỞ THÔNG TIN", "VÀ TRUYỀN THÔNG"]
    assert header_grid(doc) == [layout.HEADER_LEFT, layout.HEADER_RIGHT]


def test_a_name_of_many_lines_widens_the_left_column_within_the_page() -> None:
    name = "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH DÂN DỤNG VÀ CÔNG NGHIỆP"
    assert len(agency.balanced(name, caps(13), ROOM)) == 4  # at the template's 68 mm
    doc = render_text(with_changes(co_quan_ban_hanh=name))
    lines = agency_lines(doc)
    assert lines == [
        "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ",
        "XÂY DỰNG CÁC CÔNG TRÌNH",
        "DÂN DỤNG VÀ CÔNG NGHIỆP",
    ]
    left, right = header_grid(doc)
    assert left > layout.HEADER_LEFT and left + right == layout.HEADER_LEFT + layout.HEADER_RIGHT
    assert max(caps(13)(line) for line in lines) <= left - 2 * layout.CELL_MARGIN
    # The right column still holds the Quốc hiệu on one line, and both rows agree.
    assert right - 2 * layout.CELL_MARGIN >= text_width(layout.QUOC_HIEU, 13, bold=True)
    widths = [int(w.get(q("w:w"))) for w in doc.tables()[0].iter(q("w:tcW"))]
    assert widths == [left, right, left, right]


def test_a_typed_line_too_wide_for_the_header_is_a_located_warning() -> None:
    text = with_changes(co_quan_ban_hanh='["BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ", TỈNH X]')
    validated = validate(load(text, filename="bc.yaml"))
    said = [describe_issue(i) for i in validated.warnings]
    assert len(said) == 1, said
    assert said[0].startswith("bc.yaml:10:") and "co_quan_ban_hanh[0]" in said[0], said
    assert "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ" in said[0], said


def test_a_name_list_of_wrong_lines_is_a_located_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate(load(with_changes(co_quan_ban_hanh="[SỞ A, 5]"), filename="bc.yaml"))
    said = [describe_issue(i) for i in caught.value.issues]
    assert len(said) == 1 and said[0].startswith("bc.yaml:10:") and "co_quan_ban_hanh[1]" in said[0]


@needs_libreoffice
def test_in_the_pdf_the_agency_breaks_where_the_clerk_would(tmp_path: Path) -> None:
    text = with_changes(
        co_quan_chu_quan="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        co_quan_ban_hanh="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    )
    lines = [" ".join(line.split()) for line in pdf_text(render_pdf(tmp_path, text)).splitlines()]
    starts = [line for line in lines if line.startswith(("ỦY BAN", "TỈNH", "SỞ", "TRUYỀN"))]
    assert [s.split(" CỘNG")[0].split(" Độc")[0] for s in starts[:4]] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "SỞ THÔNG TIN VÀ",
        "TRUYỀN THÔNG",
    ], starts


def test_a_very_long_name_is_broken_at_whole_words_without_trying_every_way() -> None:
    name = " ".join(["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"] * 12)  # 72 words: millions of ways
    started = time.monotonic()
    lines = agency.balanced(name, caps(13), ROOM)
    assert time.monotonic() - started < 1
    assert " ".join(lines) == name and all(caps(13)(line) <= ROOM for line in lines)


def test_line_breaks_are_written_as_docxtpl_writes_them_without_importing_it() -> None:
    from docxtpl import DocxTemplate

    from baocao.docx import story

    xml = (
        '<w:p><w:pPr><w:pStyle w:val="BCCoQuan"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
        '<w:t xml:space="preserve">SỞ THÔNG TIN VÀ\nTRUYỀN THÔNG</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>a\nb\nc</w:t></w:r><w:r><w:tab/><w:t>d</w:t></w:r></w:p>"
    )
    assert story.with_line_breaks(xml) == DocxTemplate.resolve_listing(None, xml)
    assert not story.has_listing(story.with_line_breaks(xml))
