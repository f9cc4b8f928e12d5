"""Issue 17, item 6: agency lines, the header's column, the line under the signing space,
line spacing, and the footnote number raised in the footnote area (in Word and LibreOffice)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao import ValidationFailed, load, validate
from baocao.cli import make_cli
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text, with_changes
from tests.docx_facts import Docx, q
from tests.test_pdf import needs_libreoffice

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
