"""Every example in examples/ (and every bundle's starter file) renders."""

from __future__ import annotations

from pathlib import Path

import pytest

import baocao
from tests.conftest import EXAMPLES, TEMPLATES
from tests.docx_facts import Docx

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted(TEMPLATES.glob("*/example.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_renders(path: Path) -> None:
    validated = baocao.validate(baocao.load(path))
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
