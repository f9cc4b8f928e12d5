"""`baocao import`: what stands in and between paragraphs comes back.

A composed report with a picture (width and caption), two footnotes (one of
two paragraphs, bold and italic inside), a page break and a landscape table is
rendered, imported through the command and rendered again: the YAML holds the
same data (footnote keys and picture names aside, which the importer gives),
and the two documents hold the same pictures (bytes and size), footnotes,
page breaks and sections. A clerk's file whose picture is VML, whose header
rule is a drawn line, and whose text stands on landscape pages, and real file
19's footnote, are read as such.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import baocao
from baocao import vietnamese
from baocao.api import build
from baocao.importer import ALONE, Note, dump, import_docx
from tests.conftest import EXAMPLES, SHARED
from tests.docx_facts import NS, Docx, q

IMPORT = [sys.executable, "-c", "from baocao.cli import main; main()", "import"]
REAL_19 = SHARED / "real-docx" / "19-ke-hoach-thi-dua-cchc-2026.docx"

REPORT = """\
loai_van_ban: bao-cao
co_quan_ban_hanh: SỞ NỘI VỤ
so_ky_hieu: {so: 5, ky_hieu: SNV}
dia_danh: Lâm Đồng
ngay_ban_hanh: {ngay: 5, thang: 3, nam: 2025}
trich_yeu: Kết quả thử nghiệm
noi_dung:
  - tieu_de: Kết quả
    noi_dung:
      - "Đoạn đầu có chú thích[^vb] ở giữa."
      - hinh:
          tep: bieu-do.png
          rong: 60
          chu_thich: Hình 1. Biểu đồ số hồ sơ
      - trang_moi: true
      - "Đoạn sau có **chú thích** thứ hai[^kq]."
      - bang:
          ngang: true
          cot: [STT, Đơn vị, Số hồ sơ]
          dong:
            - ["1", Sở Tư pháp, "3"]
            - ["2", Sở Y tế, "4"]
      - Đoạn sau bảng
chu_thich:
  vb: "Quyết định số 165/QĐ-UBND, **Kế hoạch** số 23/KH-UBND."
  kq: ["Số liệu đến ngày 14/6/2025.", "*Không tính* hồ sơ trả lại."]
noi_nhan: [UBND tỉnh, "Lưu: VT"]
nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
"""


def png(width: int, height: int) -> bytes:
    """A plain red PNG of ``width`` × ``height`` pixels."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def rendered(folder: Path) -> Path:
    (folder / "bieu-do.png").write_bytes(png(40, 20))
    (folder / "goc.yaml").write_text(REPORT, encoding="utf-8")
    return build(folder / "goc.yaml", folder / "goc.docx")


def normalised(data: Any, names: dict[str, str]) -> Any:
    """``data`` with footnote keys and picture files renamed as ``names`` says, and a
    number as its printed text (a cell typed "1" comes back as 1: the same cell)."""
    if isinstance(data, dict):
        out = {
            names.get(k, k) if isinstance(k, str) else k: normalised(v, names)
            for k, v in data.items()
        }
        if "tep" in out:
            out["tep"] = "hinh"
        return out
    if isinstance(data, list):
        return [normalised(v, names) for v in data]
    if isinstance(data, str):
        return re.sub(
            r"\[\^([^\]\s]+)\]", lambda m: f"[^{names.get(m.group(1), m.group(1))}]", data
        )
    if isinstance(data, (int, Decimal)) and not isinstance(data, bool):
        return vietnamese.format_number(data)
    return data


def facts(path: Path) -> dict[str, Any]:
    """The pictures, footnotes, page breaks and sections of a document, as Word stores them."""
    doc = Docx.open(path, str(path))
    body = doc.document.find("w:body", NS)
    drawings = [(extent.get("cx"), extent.get("cy")) for extent in body.iter(q("wp:extent"))]
    with zipfile.ZipFile(path) as archive:
        media = sorted(archive.read(n) for n in archive.namelist() if n.startswith("word/media/"))
    notes = []
    for note in doc.xml("word/footnotes.xml").findall("w:footnote", NS):
        if note.get(q("w:type")) is None:
            notes.append(
                [
                    [(p.shown(r, t), p.toggle(r, "b"), p.toggle(r, "i")) for r, t in p.pieces()]
                    for p in doc.paragraphs_of(note)
                ]
            )
    breaks = [
        p.text.strip() or "<trống>"
        for p in doc.paragraphs
        if any(br.get(q("w:type")) == "page" for br in p.element.iter(q("w:br")))
    ]
    sections = [s.find("w:pgSz", NS).get(q("w:orient")) for s in doc.sections]
    cited = [
        p.text for p in doc.paragraphs if p.element.find(".//w:footnoteReference", NS) is not None
    ]
    return {
        "drawings": drawings,
        "media": media,
        "notes": notes,
        "breaks": breaks,
        "sections": sections,
        "cited": cited,
        "text": [p.text for p in doc.paragraphs],
    }


def test_pictures_footnotes_breaks_and_landscape_come_back(tmp_path: Path) -> None:
    original = rendered(tmp_path)
    target = tmp_path / "lai" / "BAO-CAO.yaml"
    target.parent.mkdir()
    done = subprocess.run(
        [*IMPORT, str(original), "-o", str(target)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["BAO-CAO-hinh-1.png", "BAO-CAO.yaml"]
    assert (target.parent / "BAO-CAO-hinh-1.png").read_bytes() == png(40, 20)  # as stored
    assert "BAO-CAO-hinh-1.png" in done.stdout
    text = target.read_text(encoding="utf-8")
    assert "không nhận ra" not in text
    before = baocao.validate(baocao.load(tmp_path / "goc.yaml")).data
    after = baocao.validate(baocao.load(target)).data
    assert normalised(after, {"1": "vb", "2": "kq"}) == normalised(before, {})
    again = build(target, tmp_path / "lai.docx")
    first, second = facts(original), facts(again)
    assert first == second
    # and what they hold is what the report asked for
    assert first["drawings"] == [(str(635 * 3402), str(635 * 1701))]  # 60 mm wide, 2:1
    assert first["sections"] == [None, "landscape", None]
    assert first["breaks"] == ["<trống>"]
    assert first["notes"][0][0][-1] == (" số 23/KH-UBND.", False, False)
    assert ("Kế hoạch", True, False) in first["notes"][0][0]
    assert [s for s in first["notes"][1][1] if s[2]] == [("Không tính", False, True)]


def test_the_api_gives_pictures_as_data_and_writes_nothing(tmp_path: Path) -> None:
    original = rendered(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    imported = import_docx(original.read_bytes(), name="quy-4")
    assert dict(imported.pictures) == {"quy-4-hinh-1.png": png(40, 20)}
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    spec = imported.validated.data["noi_dung"][0]["noi_dung"][1]["hinh"]
    assert spec == {"tep": "quy-4-hinh-1.png", "rong": 60, "chu_thich": "Hình 1. Biểu đồ số hồ sơ"}
    # ``folder``: where the caller writes them, which the validated report renders from
    (tmp_path / "quy-4-hinh-1.png").write_bytes(imported.pictures["quy-4-hinh-1.png"])
    placed = import_docx(original, name="quy-4", folder=tmp_path)
    assert baocao.render(placed.validated)[:2] == b"PK"


def test_no_file_is_overwritten_without_ghi_de(tmp_path: Path) -> None:
    original = rendered(tmp_path)
    target = tmp_path / "ra.yaml"
    picture = tmp_path / "ra-hinh-1.png"
    picture.write_bytes(b"my own picture")
    refused = subprocess.run(
        [*IMPORT, str(original), "-o", str(target)], capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "--ghi-de" in refused.stderr
    assert str(picture) in refused.stderr
    assert not target.exists() and picture.read_bytes() == b"my own picture"
    done = subprocess.run(
        [*IMPORT, str(original), "-o", str(target), "--ghi-de"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert picture.read_bytes() == png(40, 20) and target.exists()


def clerks_file(folder: Path) -> Path:
    """The composed report as a clerk's Word might store it: the picture in VML with its
    width in points, a drawn line (a rule, no picture) in a paragraph, "page break before"
    on a paragraph instead of a break, and a paragraph of text on the landscape pages."""
    original = rendered(folder)
    with zipfile.ZipFile(original) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    drawing = re.search(r"<w:drawing>.*?</w:drawing>", xml)
    assert drawing is not None
    rel = re.search(r'r:embed="([^"]+)"', drawing.group(0))
    assert rel is not None
    vml = (
        '<w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:100pt;height:50pt">'
        f'<v:imagedata r:id="{rel.group(1)}"/></v:shape></w:pict>'
    )
    xml = xml.replace(drawing.group(0), vml)
    line = (
        '<w:p><w:r><w:t xml:space="preserve">Dòng có gạch </w:t></w:r><w:r><w:pict>'
        '<v:line xmlns:v="urn:schemas-microsoft-com:vml" from="0,0" to="100pt,0"/></w:pict></w:r>'
        "<w:r><w:t>vẽ.</w:t></w:r></w:p>"
    )
    page_break = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    assert xml.count(page_break) == 1
    xml = xml.replace(page_break, line)
    second = xml.index("Đoạn sau có")
    opening = xml.rindex("<w:p>", 0, second)
    xml = xml[:opening] + "<w:p><w:pPr><w:pageBreakBefore/></w:pPr>" + xml[opening + 5 :]
    table = xml.index("<w:tbl>", xml.index("Đoạn sau có"))
    xml = xml[:table] + "<w:p><w:r><w:t>Chữ trên trang ngang.</w:t></w:r></w:p>" + xml[table:]
    parts["word/document.xml"] = xml.encode("utf-8")
    out = folder / "van-thu.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def test_a_clerks_vml_picture_rule_break_before_and_landscape_text(tmp_path: Path) -> None:
    imported = import_docx(clerks_file(tmp_path), name="vt")
    body = imported.validated.data["noi_dung"][0]["noi_dung"]
    assert body[1] == {
        "hinh": {
            "tep": "vt-hinh-1.png",
            "rong": Decimal("35.3"),
            "chu_thich": "Hình 1. Biểu đồ số hồ sơ",
        }
    }
    assert dict(imported.pictures) == {"vt-hinh-1.png": png(40, 20)}  # the line is no picture
    assert body[2] == "Dòng có gạch vẽ."
    assert body[3] == {"trang_moi": True}  # "page break before" the paragraph
    assert body[4] == "Đoạn sau có **chú thích** thứ hai[^2]."
    assert body[5] == "Chữ trên trang ngang."
    assert body[6]["bang"]["ngang"] is True
    # text on landscape pages, which baocao gives only to tables: kept, and said
    lines = imported.yaml_text.splitlines()
    at = lines.index('      - "Chữ trên trang ngang."')
    assert lines[at - 1].startswith("      # không nhận ra trang ngang: Chữ trên trang ngang.")
    assert any(entry.startswith("trang ngang") for entry in imported.unmapped)


def test_a_picture_baocao_cannot_print_is_written_and_named(tmp_path: Path) -> None:
    original = rendered(tmp_path)
    with zipfile.ZipFile(original) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
    parts["word/media/image1.png"] = gif  # a GIF stored under a PNG's name
    out = tmp_path / "gif.docx"
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    imported = import_docx(out, name="g")
    assert dict(imported.pictures) == {"g-hinh-1.png": gif}
    assert "# không nhận ra hình g-hinh-1.png: baocao chỉ in hình PNG, JPEG" in imported.yaml_text
    assert "hinh" not in str(imported.validated.data["noi_dung"])
    assert "Hình 1. Biểu đồ số hồ sơ" in str(imported.validated.data["noi_dung"])  # words kept


@pytest.mark.skipif(not REAL_19.exists(), reason="../shared/real-docx is not beside")
def test_real_file_19s_footnote_comes_back_at_its_word(tmp_path: Path) -> None:
    doc = Docx.open(REAL_19, str(REAL_19))
    note = next(
        n
        for n in doc.xml("word/footnotes.xml").findall("w:footnote", NS)
        if n.get(q("w:id")) == "1"
    )
    note_text = " ".join("".join(p.text for p in doc.paragraphs_of(note)).split())
    imported = import_docx(REAL_19)
    text = imported.yaml_text
    assert text.count("[^1]") == 1
    assert "trên địa bàn tỉnh Lâm Đồng[^1];" in text  # where Word shows the number
    assert imported.validated.data["chu_thich"] == {"1": f"*{note_text}*"}  # italic, kept
    target = tmp_path / "19.yaml"
    target.write_text(text, encoding="utf-8")
    again = Docx.open(build(target, tmp_path / "19.docx"))
    cited = [
        p for p in again.paragraphs if p.element.find(".//w:footnoteReference", NS) is not None
    ]
    assert len(cited) == 1
    before_mark = ""
    for run in cited[0].element.iter(q("w:r")):
        if run.find("w:footnoteReference", NS) is not None:
            break
        before_mark += "".join(t.text or "" for t in run.iter(q("w:t")))
    assert cited[0].text.endswith("trên địa bàn tỉnh Lâm Đồng;")
    assert before_mark.endswith("Lâm Đồng")
    notes = [
        n
        for n in again.xml("word/footnotes.xml").findall("w:footnote", NS)
        if n.get(q("w:type")) is None
    ]
    assert len(notes) == 1
    shown = " ".join("".join(p.text for p in again.paragraphs_of(notes[0])).split())
    assert shown == note_text
    italic = [
        p.toggle(r, "i") for p in again.paragraphs_of(notes[0]) for r, t in p.pieces() if t.strip()
    ]
    assert italic and all(italic)


def test_a_page_break_before_an_appendix_is_layouts(tmp_path: Path) -> None:
    # An appendix starts on a page of its own: the break a clerk typed before it is no
    # trang_moi, and no unlabelled appendix holding nothing but that break.
    (tmp_path / "pl.yaml").write_text(
        REPORT.replace(
            "noi_nhan:", "phu_luc:\n  - tieu_de: Danh sách\n    noi_dung: [Một dòng]\nnoi_nhan:"
        ),
        encoding="utf-8",
    )
    (tmp_path / "bieu-do.png").write_bytes(png(40, 20))
    original = build(tmp_path / "pl.yaml", tmp_path / "pl.docx")
    with zipfile.ZipFile(original) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    head = xml.index("Danh sách")
    at = xml.rindex('<w:p><w:pPr><w:pStyle w:val="BCNgatPhan"/>', 0, head)
    xml = xml[:at] + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' + xml[at:]
    parts["word/document.xml"] = xml.encode("utf-8")
    out = tmp_path / "ngat.docx"
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    imported = import_docx(out)
    assert imported.validated.data["phu_luc"] == [
        {
            "tieu_de": "Danh sách",
            "kem_theo": imported.validated.data["phu_luc"][0]["kem_theo"],
            "noi_dung": ["Một dòng"],
        }
    ]
    assert imported.yaml_text.count("trang_moi") == 1  # the body's own
    assert not any(entry.startswith("sau phần ký") for entry in imported.unmapped)


@pytest.mark.parametrize(
    "example",
    [
        "002-cai-thien-moi-truong-kinh-doanh-quang-ngai-2024",
        "009-bao-cao-chi-so-cchc-gia-lai-2025",
        "010-ke-hoach-nang-cao-chi-so-cchc-gia-lai-2026",
    ],
)
def test_the_examples_notes_breaks_and_landscape_tables_come_back(
    example: str, tmp_path: Path
) -> None:
    source = EXAMPLES / f"{example}.yaml"
    original = baocao.validate(baocao.load(source)).data
    imported = import_docx(build(source, tmp_path / "x.docx"))
    data = imported.validated.data
    assert list((data.get("chu_thich") or {}).values()) == list(
        (original.get("chu_thich") or {}).values()
    )
    typed = source.read_text(encoding="utf-8")
    assert imported.yaml_text.count("trang_moi: true") == typed.count("trang_moi: true")
    wide = typed.count("ngang: true")  # a wide table: ngang again, or said when kept as text
    said = imported.yaml_text.count("# không nhận ra trang ngang: bảng")
    assert imported.yaml_text.count("ngang: true") + said == wide


def test_a_section_holding_only_a_comment_still_loads() -> None:
    # A GIF alone under a heading: the comment stands where it was, the YAML still loads.
    data = {
        "co_quan_ban_hanh": "SỞ NỘI VỤ",
        "so_ky_hieu": {"so": 1, "ky_hieu": "SNV"},
        "dia_danh": "Lâm Đồng",
        "trich_yeu": "Thử",
        "noi_dung": [{"tieu_de": "A", "noi_dung": [Note("không nhận ra hình x.gif", ALONE)]}],
        "noi_nhan": ["Lưu: VT"],
        "nguoi_ky": {"chuc_vu": "GIÁM ĐỐC"},
    }
    text = dump(data)
    assert "      # không nhận ra hình x.gif" in text.splitlines()
    assert baocao.validate(baocao.load(text)).data["noi_dung"][0]["noi_dung"] == [""]


def test_a_landscape_appendix_comes_back_landscape(tmp_path: Path) -> None:
    appendix = (
        "phu_luc:\n  - tieu_de: Danh sách\n    ngang: true\n    noi_dung: [Một dòng]\nnoi_nhan:"
    )
    (tmp_path / "pl.yaml").write_text(REPORT.replace("noi_nhan:", appendix), encoding="utf-8")
    (tmp_path / "bieu-do.png").write_bytes(png(40, 20))
    imported = import_docx(build(tmp_path / "pl.yaml", tmp_path / "pl.docx"))
    assert imported.validated.data["phu_luc"][0]["ngang"] is True
    assert "trang ngang" not in imported.yaml_text  # the body's table and the appendix: said


def test_an_endnotes_words_come_back_as_a_footnote(tmp_path: Path) -> None:
    original = rendered(tmp_path)
    with zipfile.ZipFile(original) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count('<w:footnoteReference w:id="2"/>') == 1
    parts["word/document.xml"] = xml.replace(
        '<w:footnoteReference w:id="2"/>', '<w:endnoteReference w:id="5"/>'
    ).encode("utf-8")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts["word/endnotes.xml"] = (
        f'<w:endnotes xmlns:w="{w}"><w:endnote w:id="5"><w:p><w:r><w:endnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> Ghi chú ở </w:t></w:r><w:r><w:rPr><w:b/></w:rPr>'
        "<w:t>cuối văn bản</w:t></w:r><w:r><w:t>.</w:t></w:r></w:p></w:endnote></w:endnotes>"
    ).encode()
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
    rel = f'<Relationship Id="rIdEnd" Type="{kind}" Target="endnotes.xml"/>'
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", rel + "</Relationships>"
    ).encode("utf-8")
    out = tmp_path / "endnote.docx"
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    imported = import_docx(out)
    data = imported.validated.data
    assert data["chu_thich"]["2"] == "Ghi chú ở **cuối văn bản**."
    assert "thứ hai[^2]." in data["noi_dung"][0]["noi_dung"][3]
    assert "# không nhận ra chú thích 2: cuối văn bản, in ở chân trang" in imported.yaml_text


def test_a_picture_too_large_to_read_is_said_and_the_text_still_comes(tmp_path: Path) -> None:
    # A picture inflating past the reader's bound (a bomb of zeros, 40 MiB from 40 KB):
    # not read, said in its place; the words around it come back.
    original = rendered(tmp_path)
    with zipfile.ZipFile(original) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/media/image1.png"] = b"\x89PNG\r\n\x1a\n" + bytes(40 * 1024 * 1024)
    out = tmp_path / "bom.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert out.stat().st_size < 1024 * 1024
    imported = import_docx(out, name="b")
    assert dict(imported.pictures) == {}
    assert "# không nhận ra hình: không đọc được trong tệp Word" in imported.yaml_text
    body = imported.validated.data["noi_dung"][0]["noi_dung"]
    assert body[:2] == ["Đoạn đầu có chú thích[^1] ở giữa.", "*Hình 1. Biểu đồ số hồ sơ*"]
