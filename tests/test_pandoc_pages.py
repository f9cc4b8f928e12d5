"""A 9-page report made by pandoc is reported as lacking page numbers (issue 19, done-when).

``tests/data/pandoc-9-trang.docx`` was made from ``tests/data/pandoc-9-trang.md`` (a report
of our own: headings, lists, a 56-row table) with pandoc 3.9, the binary of the
pypandoc_binary wheel (not a dependency of baocao)::

    pandoc tests/data/pandoc-9-trang.md -o tests/data/pandoc-9-trang.docx

LibreOffice sets it on 9 pages. Pandoc's reference document states ``<Pages>1</Pages>``
in docProps/app.xml, whatever the length, and puts no page number anywhere: the stale
count is what let such a file pass as "văn bản có một trang".
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from baocao.check import check, read
from baocao.errors import ConvertError

DOCUMENT = Path(__file__).parent / "data" / "pandoc-9-trang.docx"


def test_the_file_states_one_page_and_has_no_page_number() -> None:
    """The premise: a stale count of one page, and no PAGE field in any part."""
    with zipfile.ZipFile(DOCUMENT) as package:
        assert re.search(r"<Pages>1</Pages>", package.read("docProps/app.xml").decode())
        assert not any(
            b"PAGE" in package.read(name)
            for name in package.namelist()
            if re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        )


def test_the_estimate_overrules_the_stale_count() -> None:
    numbers = read(DOCUMENT).page_numbers
    assert numbers is not None
    assert numbers.counted_by == "estimate" and numbers.pages is not None and numbers.pages > 1
    result = check(DOCUMENT)["so_trang"]
    assert not result.passed
    assert [m.code for m in result.problems] == ["check_so_trang_missing"]
    assert "không thấy số trang" in result.message("vi")


def test_libreoffice_counts_nine_pages_and_agrees() -> None:
    """``--chinh-xac``: LibreOffice's count, not the estimate, and the same verdict."""
    try:
        numbers = read(DOCUMENT, exact=True).page_numbers
    except ConvertError:
        pytest.skip("LibreOffice is not installed")
    assert numbers is not None
    assert (numbers.counted_by, numbers.pages) == ("libreoffice", 9)
    result = check(DOCUMENT, exact=True)["so_trang"]
    assert [m.code for m in result.problems] == ["check_so_trang_missing"]
