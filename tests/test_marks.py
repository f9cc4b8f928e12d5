"""The decree's other marks: urgency and secrecy boxes, Kính gửi, circulation, ô 12, ô 13; pictures."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

import baocao
from baocao import ValidationFailed, measure
from baocao.layout import HEADER_LEFT
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text, with_changes
from tests.docx_facts import NS, Docx, q


def box_width(para) -> int:  # type: ignore[no-untyped-def]
    ind = para.element.find("w:pPr/w:ind", NS)
    cell = HEADER_LEFT - 2 * measure.mm(1)
    return cell - int(ind.get(q("w:left"))) - int(ind.get(q("w:right")))


@pytest.mark.parametrize(("level", "mm"), [("KHẨN", 20), ("THƯỢNG KHẨN", 40), ("HỎA TỐC", 30)])
def test_urgency_box_has_the_decree_width_under_so(level: str, mm: int) -> None:
    doc = render_text(with_changes(do_khan=level))
    box = doc.find(level)
    assert box.style == "BCDau" and box.text == level
    assert box_width(box) == measure.mm(mm)
    assert box.toggles("b") == {True} and 13 <= box.size() <= 14
    assert box.ppr("w:pBdr/w:left").get(q("w:color")) == "FF0000"
    second_row = doc.tables()[0].findall("w:tr", NS)[1]
    assert level in "".join(second_row.findall("w:tc", NS)[0].itertext())  # under "Số:"


def test_secrecy_comes_before_urgency() -> None:
    doc = render_text(with_changes(do_mat="MẬT", do_khan="KHẨN"))
    assert [p.text for p in doc.with_style("BCDau")] == ["MẬT", "KHẨN"]


def test_circulation_instruction_is_boxed_above_the_header() -> None:
    doc = render_text(with_changes(pham_vi_luu_hanh="LƯU HÀNH NỘI BỘ"))
    first = doc.document.find("w:body", NS)[0]
    assert first.tag == q("w:p") and "".join(first.itertext()) == "LƯU HÀNH NỘI BỘ"
    box = doc.find("LƯU HÀNH NỘI BỘ")
    assert box.ppr("w:pBdr/w:top") is not None and box.toggles("b") == {True}
    assert int(box.element.find("w:pPr/w:ind", NS).get(q("w:right"))) == 0  # on the right


def test_one_addressee_on_the_kinh_gui_line() -> None:
    doc = render_text(with_changes(kinh_gui="Sở Kế hoạch và Đầu tư"))
    assert doc.find("Kính gửi").text == "Kính gửi: Sở Kế hoạch và Đầu tư"
    assert doc.with_style("BCNoiNhan")[0].text == "- Như trên;"


def test_several_addressees_dash_under_the_colon() -> None:
    doc = render_text(with_changes(kinh_gui="[UBND tỉnh, Sở Nội vụ, Sở Tài chính]"))
    lines = doc.with_style("BCKinhGui")
    assert [p.text for p in lines] == [
        "Kính gửi:",
        "- UBND tỉnh;",
        "- Sở Nội vụ;",
        "- Sở Tài chính.",
    ]
    head = int(lines[0].element.find("w:pPr/w:ind", NS).get(q("w:left")))
    dash = int(lines[1].element.find("w:pPr/w:ind", NS).get(q("w:left")))
    assert dash == head + measure.text_width("Kính gửi", 14)
    assert lines[0].size() == 14


def test_nhu_tren_is_not_doubled() -> None:
    doc = render_text(with_changes(kinh_gui="A", noi_nhan="['Như trên;', 'Lưu: VT']"))
    assert [p.text for p in doc.with_style("BCNoiNhan")] == ["- Như trên;", "- Lưu: VT."]


def test_drafter_mark_and_copies_end_the_luu_line() -> None:
    doc = render_text(with_changes(nguoi_soan="{ky_hieu: PL, so_ban: 300}"))
    assert doc.with_style("BCNoiNhan")[-1].text == "- Lưu: VT, VP. PL.(300)"


def test_contact_strip_is_in_the_first_page_footer_only() -> None:
    contact = "{dia_chi: 'Số 2 Trần Phú, Tam Kỳ', dien_thoai: '0235 3810 000', email: stttt@quangnam.gov.vn}"
    doc = render_text(with_changes(thong_tin_lien_he=contact) + "phu_luc: [{tieu_de: A}]\n")
    rels = {r.get("Id"): r.get("Target") for r in doc.xml("word/_rels/document.xml.rels")}
    sections = [
        p.find("w:pPr/w:sectPr", NS) for p in doc.document.find("w:body", NS).findall("w:p", NS)
    ]
    report, appendix = next(s for s in sections if s is not None), doc.section
    first_footer = {
        s: rels[s.find("w:footerReference[@w:type='first']", NS).get(q("r:id"))]
        for s in (report, appendix)
    }
    strip = doc.xml("word/" + first_footer[report])
    assert [("".join(p.itertext())) for p in strip.findall("w:p", NS)][:2] == [
        "Địa chỉ: Số 2 Trần Phú, Tam Kỳ",
        "ĐT: 0235 3810 000, E-mail: stttt@quangnam.gov.vn",
    ]
    assert "".join(doc.xml("word/" + first_footer[appendix]).itertext()).strip() == ""


def test_no_contact_leaves_the_footer_empty(minimal: Docx) -> None:
    ref = minimal.section.find("w:footerReference[@w:type='first']", NS).get(q("r:id"))
    rels = {r.get("Id"): r.get("Target") for r in minimal.xml("word/_rels/document.xml.rels")}
    footer = minimal.xml("word/" + rels[ref])
    assert "".join(footer.itertext()).strip() == ""
    assert footer.find(".//w:pBdr", NS) is None and "BCLienHe" not in str(footer.xpath("string(.)"))


def png(path: Path, width: int = 40, height: int = 20) -> Path:
    """Write a small grey PNG (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_picture_with_caption_resolved_beside_the_yaml(tmp_path: Path) -> None:
    (tmp_path / "hinh").mkdir()
    png(tmp_path / "hinh" / "bieu-do.png")
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace(
            "  - Nội dung.\n",
            "  - hinh: {tep: hinh/bieu-do.png, chu_thich: 'Biểu đồ 1. Hồ sơ trực tuyến', rong: 80}\n  - Nội dung.\n",
        ),
        encoding="utf-8",
    )
    doc = Docx(baocao.build(report).read_bytes())
    drawing = doc.document.find(".//w:drawing", NS)
    assert drawing is not None
    extent = drawing.find(
        ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
    )
    assert int(extent.get("cx")) == pytest.approx(80 * 36000, rel=0.01)  # 80 mm in EMU
    assert any(name.startswith("word/media/") for name in doc.zip.namelist())
    caption = doc.find("Biểu đồ 1")
    assert caption.style == "BCChuHinh" and caption.toggles("i") == {True}


def test_missing_or_wrong_picture_is_a_clear_error(tmp_path: Path) -> None:
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace(
            "  - Nội dung.\n", "  - hinh: {tep: khong-co.png}\n  - hinh: {tep: bang.xlsx}\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        baocao.build(report)
    assert [describe_issue(i) for i in caught.value.issues] == [
        f"{report}:8:12: noi_dung[0].hinh.tep: không tìm thấy tệp hình “khong-co.png” "
        f"(đường dẫn tính từ thư mục của tệp YAML: {tmp_path})",
        f"{report}:9:12: noi_dung[1].hinh.tep: tệp hình “bang.xlsx” phải là PNG hoặc JPEG (.png, .jpg, .jpeg)",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.yaml"]


def test_a_file_named_png_that_is_not_a_picture_is_caught_by_validate(tmp_path: Path) -> None:
    (tmp_path / "bieu-do.png").write_text("không phải hình")
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace("  - Nội dung.\n", "  - hinh: {tep: bieu-do.png}\n"), encoding="utf-8"
    )
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load(report))
    assert [i.code for i in caught.value.issues] == ["picture_not_image"]


def test_a_damaged_picture_is_a_clean_error_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "hong.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 3)
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace("  - Nội dung.\n", "  - hinh: {tep: hong.png}\n"), encoding="utf-8"
    )
    with pytest.raises(baocao.InputError) as caught:
        baocao.build(report)
    assert caught.value.code == "picture_unreadable" and caught.value.params["reason"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.yaml", "hong.png"]
