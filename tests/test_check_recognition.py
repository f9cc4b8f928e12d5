"""Recognition that survives real Word files (issue 19, item 1).

Each case is a document composed for it (our render with its XML edited, or a
file laid out with python-docx as Word and LibreOffice lay them out), and the
real files of ``../shared/real-docx`` are read for the same facts: a rule drawn
as a shape anywhere in the header block is seen, a stray one far off the page
is not, and a page count the file states against its own length is not trusted.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from baocao.check import check, read
from tests.test_check import clerk_file, saved, write

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
