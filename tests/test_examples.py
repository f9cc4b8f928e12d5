"""Every example in examples/ (and every bundle's starter file) renders."""

from __future__ import annotations

from pathlib import Path

import pytest

import baocao
from tests.conftest import EXAMPLES, TEMPLATES, template_of
from tests.docx_facts import Docx

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


STARTERS = sorted(TEMPLATES.glob("*/example.yaml"))


@pytest.mark.parametrize("path", STARTERS, ids=lambda p: p.parent.name)
def test_every_starter_file_renders_with_its_own_type(path: Path) -> None:
    doc = Docx(baocao.render(baocao.validate(baocao.load(path), path.parent.name)))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.text and "Nơi nhận:" in doc.text


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_renders(path: Path) -> None:
    validated = baocao.validate(baocao.load(path), template_of(path))
    assert not validated.warnings
    doc = Docx(baocao.render(validated))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.text
    assert "Nơi nhận:" in doc.text
    assert "./." in doc.text


def test_seed_000_example_keeps_its_distinctive_passages() -> None:
    doc = Docx(
        baocao.render(baocao.validate(baocao.load(EXAMPLES / "000-pci-quang-nam-2021.yaml")))
    )
    text = doc.text
    for passage in (
        "Số: #SoKyHieuVanBan",
        "#DiaDiemNgayBanHanh",
        "Kết quả công tác cải thiện chỉ số PCI năm 2021",
        "I. Công tác tham mưu cấp trên ban hành cơ chế chính sách đẩy mạnh công tác chuyển đổi số",
        "+ Quyết định số 574/QĐ-UBND ngày 04/3/2021",
        "đạt 26,86 % (16.867/62.780)",
        "https://dichvucong.quangnam.gov.vn/expway/smartcloud/icloudgate/page/huongdan.cpx",
        "Kính gửi Sở Kế hoạch và Đầu tư theo dõi, tổng hợp./.",
        "- Lưu: VT, VP (TH).",
        "GIÁM ĐỐC",
    ):
        assert passage in text, passage
    table = doc.tables()[1]
    rows = table.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")
    assert len(rows) == 19  # header + 18 units
    assert "./.\n" not in text.split("Kính gửi Sở Kế hoạch")[0]  # one closing mark, at the end


def example(name: str) -> Docx:
    (path,) = EXAMPLES.glob(f"{name}-*.yaml")
    return Docx(baocao.render(baocao.validate(baocao.load(path))))


def test_seed_002_has_its_footnote_and_points_a_to_g() -> None:
    doc = example("002")
    refs = list(
        doc.document.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}footnoteReference"
        )
    )
    assert len(refs) == 1
    assert "nhiều văn bản để chỉ đạo" in doc.find("nhiều văn bản").text
    notes = "".join(doc.xml("word/footnotes.xml").itertext())
    assert "Quyết định số 165/QĐ-UBND ngày 31/01/2024" in notes
    labels = "".join(
        p.text[0] for p in doc.paragraphs if p.text[1:3] == ") " and p.text[0] in "abcdđeg"
    )
    assert "abcdđeg" in labels  # the Vietnamese order: đ after d, no f
    assert doc.find("Công tác tham mưu, chỉ đạo điều hành").text.startswith("1. ")


def test_seed_004_has_its_appendix_table_with_checked_totals() -> None:
    doc = example("004")
    table = doc.tables()[-2]  # the appendix table, before the appendix's closing
    rows = table.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts = ["|".join("".join(tc.itertext()) for tc in row.findall(f"{w}tc")) for row in rows]
    assert texts[3].startswith("(1)|(2)|(3)=(4)+(5) =(6)")
    assert texts[-1] == "TỔNG CỘNG|18|13|5|0|18|18|0|0|0|0|0"
    assert "Lưu: VT, VP (hoandt 03b)." in doc.text


def test_gallery_shows_every_example() -> None:
    gallery = EXAMPLES.parent / "docs" / "gallery"
    page = (EXAMPLES.parent / "docs" / "thu-vien-mau.md").read_text(encoding="utf-8")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert (gallery / f"{path.stem}.png").is_file(), (
            f"run: python tools/gallery.py ({path.name})"
        )
        assert f"gallery/{path.stem}.png" in page and f"baocao render examples/{path.name}" in page
