"""Numbers and pictures validation refuses with a place, so that rendering never crashes.

Issue 15, item 11: 4,000 top-level sections passed validation and rendering
died on the Roman numeral (an internal error); a PNG whose header says
width 0 died in a ZeroDivisionError. Validate and render now agree: the
limit is a located validation error (exit 4, no file).
"""

from __future__ import annotations

import io
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

import baocao
from baocao import ValidationFailed
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, RENDER
from tests.test_marks import png


def sections(count: int, indent: str = "  ") -> str:
    return "".join(f"{indent}- {{tieu_de: Mục {i}, noi_dung: [x]}}\n" for i in range(count))


def document_xml(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml").decode("utf-8")


def render_cli(report: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RENDER, str(report), "-o", str(report.with_suffix(".docx"))],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_4000_top_level_sections_are_refused_at_the_4000th(tmp_path: Path) -> None:
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL.replace("  - Nội dung.\n", sections(4000)), encoding="utf-8")
    done = render_cli(report)
    assert done.returncode == 4, done.stderr
    assert done.stderr.splitlines() == [
        f"{report}:4007:5: noi_dung[3999]: mục thứ 4000 cần đánh số La Mã, nhưng số La Mã "
        "chỉ viết được đến 3999 (MMMCMXCIX); hãy tự ghi số hoặc chia nhỏ",
        "Có 1 lỗi. Chưa tạo tệp .docx.",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.yaml"]


def test_3999_sections_render_with_the_largest_numeral() -> None:
    data = baocao.load(MINIMAL.replace("  - Nội dung.\n", sections(3999))).data
    document = document_xml(baocao.render(baocao.validate(data)))
    assert ">MMMCMXCIX. </w:t>" in document


def test_sections_with_their_own_number_have_no_limit() -> None:
    data = baocao.load(MINIMAL.replace("  - Nội dung.\n", sections(4000))).data
    data["noi_dung"][3999]["so_muc"] = "A."
    baocao.validate(data)


def test_numbered_from_1_the_top_level_has_no_roman_numerals() -> None:
    data = baocao.load(MINIMAL.replace("  - Nội dung.\n", sections(4000))).data
    baocao.validate({**data, "trinh_bay": {"muc_dau": "1."}})


def test_an_appendix_with_4000_sections_is_refused_too() -> None:
    data = baocao.load(MINIMAL).data
    data["phu_luc"] = [
        {"tieu_de": "Phụ lục", "noi_dung": [{"tieu_de": "M", "noi_dung": ["x"]}] * 4000}
    ]
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(data)
    assert [(i.path, i.code) for i in caught.value.issues] == [
        (("phu_luc", 0, "noi_dung", 3999), "roman_limit")
    ]


def test_a_table_with_4000_numbered_groups_is_refused_at_the_row() -> None:
    data = baocao.load(MINIMAL).data
    rows = [row for i in range(4000) for row in ({"nhom": f"Nhóm {i}"}, ["a", 1])]
    data["noi_dung"] = [{"bang": {"stt": True, "cot": ["Tên", "Số"], "dong": rows}}, "x"]
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(data)
    assert [(i.path, i.code, i.params["number"]) for i in caught.value.issues] == [
        (("noi_dung", 0, "bang", "dong", 7998), "roman_limit", 4000)
    ]


def test_4000_appendices_are_refused_at_the_4000th() -> None:
    data = baocao.load(MINIMAL).data
    data["phu_luc"] = [{"tieu_de": f"Phụ lục {i}", "noi_dung": ["x"]} for i in range(4000)]
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(data)
    assert [(i.path, i.code) for i in caught.value.issues] == [(("phu_luc", 3999), "roman_limit")]


# -- pictures whose header states no size ---------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(0, 20), (40, 0), (0, 0)])
def test_a_png_whose_header_says_0_pixels_is_a_located_validation_error(
    width: int, height: int, tmp_path: Path
) -> None:
    png(tmp_path / "rong.png", width, height)
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace("  - Nội dung.\n", "  - hinh: {tep: rong.png}\n  - Nội dung.\n"),
        encoding="utf-8",
    )
    done = render_cli(report)
    assert done.returncode == 4, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"{report}:8:12: noi_dung[0].hinh.tep: tệp hình “rong.png” ghi kích thước "
        f"{width} × {height} điểm ảnh: hình không có kích thước nên không đặt vào văn bản "
        "được (tệp hỏng?)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.yaml", "rong.png"]


def jpeg(path: Path, width: int, height: int, density: int = 72) -> Path:
    """The header of a baseline JPEG: JFIF (dpi ``density``), then its frame (SOF0)."""
    jfif = b"JFIF\x00\x01\x01\x01" + struct.pack(">HH", density, density) + b"\x00\x00"
    frame = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    path.write_bytes(
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(jfif) + 2)
        + jfif
        + b"\xff\xc0"
        + struct.pack(">H", len(frame) + 2)
        + frame
        + b"\xff\xd9"
    )
    return path


def test_a_jpeg_whose_frame_says_0_pixels_is_refused(tmp_path: Path) -> None:
    jpeg(tmp_path / "anh.jpg", 0, 30)
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace("  - Nội dung.\n", "  - hinh: {tep: anh.jpg}\n  - Nội dung.\n"),
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load(report))
    assert [describe_issue(i, "en") for i in caught.value.issues] == [
        f"{report}:8:12: noi_dung[0].hinh.tep: picture “anh.jpg” states a size of 0 × 30 "
        "pixels: a picture with no size cannot be placed in the document (damaged file?)"
    ]


def png_with_dpi(path: Path, pixels_per_metre: int) -> Path:
    """A 40 × 20 PNG with a pHYs chunk: under 20 pixels a metre rounds to 0 dpi."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    raw = b"".join(b"\x00" + b"\x80" * 40 for _ in range(20))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 20, 8, 0, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", pixels_per_metre, pixels_per_metre, 1))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_a_picture_stating_0_dpi_is_placed_as_one_stating_none(tmp_path: Path) -> None:
    png_with_dpi(tmp_path / "khong-dpi.png", 1)
    png(tmp_path / "thuong.png")  # no pHYs: python-docx takes 72 dpi
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace(
            "  - Nội dung.\n",
            "  - hinh: {tep: khong-dpi.png}\n  - hinh: {tep: thuong.png}\n  - Nội dung.\n",
        ),
        encoding="utf-8",
    )
    document = document_xml(baocao.render(baocao.validate(baocao.load(report))))
    assert document.count('<wp:extent cx="508000" cy="254000"/>') == 2  # 40 × 20 px at 72 dpi


def test_a_quoted_number_too_long_to_print_is_refused_at_its_row(tmp_path: Path) -> None:
    # A quoted "1.416" in a column of numbers is read as a number; one of 5,000 digits passed
    # validation (the conversion's ValueError was taken for a shape Cerberus had named) and the
    # render died printing it (Python's 4,300-digit limit): an internal error.
    table = (
        "  - bang:\n      cot: [Tên, Số]\n      dong:\n"
        f'        - [A, 5]\n        - [B, "{"9" * 5000}"]\n'
    )
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL.replace("  - Nội dung.\n", table), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        baocao.validate(baocao.load(report))
    [issue] = failed.value.issues
    assert (issue.code, issue.path, issue.location.line) == (
        "number_out_of_bounds",
        ("noi_dung", 0, "bang", "dong", 1),
        report.read_text(encoding="utf-8").splitlines().index(f'        - [B, "{"9" * 5000}"]') + 1,
    )
    done = render_cli(report)
    assert done.returncode == 4, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.yaml"]


def test_a_quoted_number_within_bounds_is_still_summed() -> None:
    table = (
        "  - bang:\n      cot: [Tên, Số]\n      tong_cong: true\n      dong:\n"
        '        - [A, 5]\n        - [B, "1.416"]\n'
    )
    data = baocao.load(MINIMAL.replace("  - Nội dung.\n", table)).data
    assert "1.421" in document_xml(baocao.render(baocao.validate(data)))
