"""Make the pictures of docs/kiem-tra.md: each rule of `baocao check`, right and wrong.

    python tools/make_check_pictures.py        # writes docs/img/kiem-tra/*.png

"Right" is an example report rendered by baocao (the report of
tests/test_check.py, its two body paragraphs made long enough to show
justification and indents); "wrong" is the same document with that rule's
defect made on purpose, by the very edits of the broken-on-purpose documents
in tests/test_check.py (``BROKEN``) or a few more of the same kind. Each
document is checked first (right passes the rule, wrong fails it, so a
picture never shows a defect the checker does not see), converted to PDF by
LibreOffice, and the part that matters (header, rule under the motto, Nơi
nhận, signer, page number…) is cut out with
``pdftoppm -gray -r 70 -x X -y Y -W W -H H``: grayscale at 70 dpi, a few
kilobytes each, framed by a grey line (written as PNG here, from pdftoppm's
PGM, so the frame needs no imaging library) so that a cut-out reads as a piece
of a page and the margins picture shows the page's edge. Coordinates are
pixels of the A4 page at 70 dpi (578 × 818; the margins picture is the whole
page at 30 dpi). After changing the report or the template, run this again and
look at each picture. Needs LibreOffice and poppler (pdftoppm).
"""

from __future__ import annotations

import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from baocao.check import check  # noqa: E402
from baocao.convert import to_pdf  # noqa: E402
from tests.test_check import (  # noqa: E402
    BROKEN,
    REPORT,
    both,
    edit,
    paragraph_property,
    render,
    replace_text,
    run_property,
)

OUT = ROOT / "docs" / "img" / "kiem-tra"
LONG = (
    "Đoạn văn thứ nhất. Sở đã triển khai các kế hoạch liên quan đến công tác cải cách "
    "hành chính của tỉnh, theo đúng nhiệm vụ được giao, bảo đảm tiến độ và chất lượng.",
    "Đoạn văn thứ hai. Các phòng, đơn vị thuộc Sở phối hợp chặt chẽ, báo cáo kết quả định "
    "kỳ hằng tháng để tổng hợp, đề xuất giải pháp tháo gỡ khó khăn, vướng mắc.",
)
MORE = "Đoạn văn tiếp theo, để văn bản sang trang thứ hai và có số trang ở đầu trang."
"""Paragraphs added to the page-number pair only, so that its document has a page 2."""

Change = Callable[[etree._Element], None]


def nothing(root: etree._Element) -> None:
    """The document as rendered."""


@dataclass(frozen=True)
class Pair:
    """One picture pair: the rule, the two edits, and where to cut (x, y, w, h at 70 dpi)."""

    name: str
    rule: str
    wrong: Change
    crop: tuple[int, int, int, int]
    right: Change = nothing
    pages: tuple[int, int] = (1, 1)
    """The page cut from the right and from the wrong document."""
    long: bool = False
    """Use the report made two pages long (the page-number pair)."""
    dpi: int = 70


PAIRS = (
    Pair(
        "trang",
        "trang",
        both(BROKEN["trang: left margin 20 mm"], BROKEN["trang: top margin 30 mm"]),
        (0, 0, 248, 351),
        dpi=30,
    ),
    Pair(
        "phong-chu",
        "phong_chu",
        BROKEN["phong_chu: a run in Arial"],
        (75, 430, 475, 62),
    ),
    Pair(
        "quoc-hieu",
        "quoc_hieu",
        BROKEN["quoc_hieu: no rule under the Tiêu ngữ"],
        (255, 45, 300, 62),
    ),
    Pair(
        "co-quan",
        "co_quan",
        both(
            BROKEN["co_quan: no rule under the agency"],
            run_property("SỞ THÔNG TIN", '<w:b w:val="0"/>'),
        ),
        (70, 45, 200, 62),
    ),
    Pair(
        "so-ky-hieu",
        "so_ky_hieu",
        replace_text("Số: 12/BC-STTTT", "Số: 5/BC - STTTT"),
        (70, 105, 200, 30),
        right=replace_text("Số: 12/BC-STTTT", "Số: 05/BC-STTTT"),
    ),
    Pair(
        "ngay-thang",
        "ngay_thang",
        both(
            replace_text("ngày 12 tháng 11", "ngày 5 tháng 03"),
            run_property("Quảng Nam, ngày", '<w:i w:val="0"/>'),
        ),
        (270, 105, 280, 30),
        right=replace_text("ngày 12 tháng 11", "ngày 05 tháng 3"),
    ),
    Pair(
        "ten-loai",
        "ten_loai",
        both(
            BROKEN["ten_loai: type name not bold"],
            BROKEN["ten_loai: no rule under the trích yếu"],
        ),
        (175, 140, 250, 44),
    ),
    Pair(
        "noi-dung",
        "noi_dung",
        both(
            BROKEN["noi_dung: a paragraph aligned left"],
            paragraph_property("Đoạn văn thứ nhất", '<w:ind w:firstLine="0"/>'),
            BROKEN["noi_dung: no space between paragraphs"],
        ),
        (75, 430, 475, 128),
    ),
    Pair(
        "danh-so",
        "danh_so",
        both(BROKEN["danh_so: f) after e)"], BROKEN["danh_so: 3. after 1."]),
        (75, 185, 260, 250),
    ),
    Pair(
        "danh-so-nhan",
        "danh_so",
        both(
            replace_text("I. Kết quả", "I. I. Kết quả"),
            replace_text("1. Công tác chỉ đạo", "1.Công tác chỉ đạo"),
        ),
        (75, 190, 260, 45),
    ),
    Pair(
        "noi-nhan",
        "noi_nhan",
        both(
            BROKEN["noi_nhan: label not italic"],
            BROKEN["noi_nhan: an item without its semicolon"],
            BROKEN["noi_nhan: last item without its full stop"],
        ),
        (75, 562, 200, 58),
    ),
    Pair(
        "nguoi-ky",
        "nguoi_ky",
        both(
            BROKEN["nguoi_ky: position not bold"],
            BROKEN["nguoi_ky: name not bold"],
        ),
        (330, 562, 200, 130),
    ),
    Pair(
        "so-trang",
        "so_trang",
        BROKEN["so_trang: page number on page 1 (no titlePg)"],
        (0, 0, 578, 71),
        pages=(2, 1),
        long=True,
    ),
)


def report(long: bool = False) -> str:
    """The report of tests/test_check.py with long body paragraphs (and more, if ``long``)."""
    paragraphs = [*LONG, *([MORE] * 14 if long else [])]
    listed = ", ".join(f'"{p}"' for p in paragraphs)
    text = REPORT.replace("[Đoạn văn thứ nhất., Đoạn văn thứ hai.]", f"[{listed}]")
    assert text != REPORT, "the report of tests/test_check.py changed"
    return text


def documents(scratch: Path) -> list[tuple[Pair, Path, Path]]:
    """Each pair's right and wrong .docx, checked: right passes its rule, wrong fails it."""
    made = []
    rendered = {long: render(report(long)) for long in (False, True)}
    for pair in PAIRS:
        right = edit(rendered[pair.long], pair.right)
        wrong = edit(rendered[pair.long], pair.wrong)
        if not check(right)[pair.rule].passed:
            raise SystemExit(f"{pair.name}: the right document fails {pair.rule}")
        if check(wrong)[pair.rule].passed:
            raise SystemExit(f"{pair.name}: the wrong document passes {pair.rule}")
        paths = scratch / f"{pair.name}-dung.docx", scratch / f"{pair.name}-sai.docx"
        paths[0].write_bytes(right)
        paths[1].write_bytes(wrong)
        made.append((pair, *paths))
    return made


def crop(pdf: Path, page: int, pair: Pair, target: Path) -> None:
    """Cut ``pair.crop`` out of ``page`` and write it framed, as a grayscale PNG."""
    x, y, w, h = pair.crop
    gray = subprocess.run(
        [
            *("pdftoppm", "-gray", "-r", str(pair.dpi), "-f", str(page), "-l", str(page)),
            *("-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h), "-singlefile", str(pdf)),
        ],
        check=True,
        capture_output=True,
    ).stdout
    magic, width, height, depth, pixels = gray.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255", magic
    columns, rows = int(width), int(height)
    lines = [bytearray(pixels[r * columns : (r + 1) * columns]) for r in range(rows)]
    for line in lines:
        line[0] = line[-1] = FRAME
    lines[0][:] = lines[-1][:] = bytes([FRAME]) * columns
    target.write_bytes(png(columns, rows, lines))


FRAME = 150
"""The grey of the frame line (0 black, 255 white)."""


def png(width: int, height: int, lines: list[bytearray]) -> bytes:
    """An 8-bit grayscale PNG of ``lines`` (each row unfiltered)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"".join(b"\x00" + bytes(line) for line in lines), 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baocao-pictures-") as folder:
        scratch = Path(folder)
        made = documents(scratch)
        docx = [path for _, right, wrong in made for path in (right, wrong)]
        to_pdf(docx, [path.with_suffix(".pdf") for path in docx], overwrite=True)
        for pair, right, wrong in made:
            for path, page in ((right, pair.pages[0]), (wrong, pair.pages[1])):
                crop(path.with_suffix(".pdf"), page, pair, OUT / f"{path.stem}.png")
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"{len(PAIRS) * 2} pictures in {OUT.relative_to(ROOT)}, {total / 1024:.0f} KB in all")


if __name__ == "__main__":
    main()
