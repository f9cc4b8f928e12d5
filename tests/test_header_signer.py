"""Issue 17, item 6: agency lines, the header's column, the line under the signing space,
line spacing, and the footnote number raised in the footnote area (in Word and LibreOffice)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from click.testing import CliRunner

from baocao.cli import make_cli
from tests.conftest import MINIMAL
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
