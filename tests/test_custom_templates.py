"""A clerk's own .docx as the template: rendered in the sandbox, errors said where they are."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import baocao
from baocao import TemplateError
from baocao.cli import make_cli
from baocao.messages import describe_error
from tests.conftest import MINIMAL, with_changes
from tests.docx_facts import Docx

LETTERHEAD = [
    "{{ co_quan_ban_hanh }}",
    "{{ so_ky_hieu }} — {{ dia_danh_ngay }}",
    "{{ ten_loai }}",
    "{%p for dong in trich_yeu %}",
    "{{ dong }}",
    "{%p endfor %}",
    "{{p than_van_ban }}",
    "{{ nguoi_ky.dong[0] }} {{ nguoi_ky.ho_ten }}",
]


def letterhead(path: Path, paragraphs: list[str], cell: str | None = None) -> Path:
    document = docx.Document()
    document.add_paragraph("SỞ THÔNG TIN VÀ TRUYỀN THÔNG — mẫu riêng của đơn vị")
    for text in paragraphs:
        document.add_paragraph(text)
    if cell is not None:
        document.add_table(rows=1, cols=2).rows[0].cells[1].text = cell
    document.save(path)
    return path


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "bc.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


def test_a_clerks_letterhead_renders(tmp_path: Path, report: Path) -> None:
    template = letterhead(tmp_path / "mau-rieng.docx", LETTERHEAD)
    doc = Docx(baocao.build(report, template=template).read_bytes())
    text = doc.text
    for expected in (
        "mẫu riêng của đơn vị",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Số: 05/BC-STTTT — Quảng Nam, ngày 12 tháng 11 năm 2021",
        "Kết quả công tác năm 2021",
        "Nội dung./.",
        "GIÁM ĐỐC Nguyễn Văn A",
    ):
        assert expected in text, expected


def test_a_line_break_in_a_plain_field_becomes_a_word_line_break(tmp_path: Path) -> None:
    """{{ co_quan_ban_hanh }} placed as it is: its "\\n" must become <w:br/>, not a raw newline."""
    report = tmp_path / "bc.yaml"
    report.write_text(
        with_changes(co_quan_ban_hanh='"SỞ THÔNG TIN\\nVÀ TRUYỀN THÔNG"'), encoding="utf-8"
    )
    template = letterhead(tmp_path / "mau-rieng.docx", LETTERHEAD)
    with zipfile.ZipFile(baocao.build(report, template=template)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    first = xml.index("SỞ THÔNG TIN<")
    paragraph = xml[xml.rindex("<w:p>", 0, first) : xml.index("</w:p>", first)]
    assert "<w:br/>" in paragraph
    assert re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph) == [
        "SỞ THÔNG TIN",
        "VÀ TRUYỀN THÔNG",
    ]


def test_fields_the_schema_does_not_know_are_reported_before_rendering(
    tmp_path: Path, report: Path
) -> None:
    template = letterhead(
        tmp_path / "mau.docx", [*LETTERHEAD, "{{ ten_pho_giam_doc }}", "{{ ma_don_vi }}"]
    )
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    assert (
        describe_error(caught.value)
        == "mẫu “mau.docx” dùng các trường không có trong lược đồ: ma_don_vi, ten_pho_giam_doc"
    )
    assert sorted(os.listdir(tmp_path)) == ["bc.yaml", "mau.docx"]


def test_a_syntax_error_names_its_paragraph(tmp_path: Path, report: Path) -> None:
    template = letterhead(
        tmp_path / "mau.docx",
        ["{{ co_quan_ban_hanh }}", "Kính gửi {{ kinh_gui ", "{{p than_van_ban }}"],
    )
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    assert describe_error(caught.value) == (
        "mẫu “mau.docx” có lỗi ở đoạn thứ 3 (“Kính gửi {{ kinh_gui”): "
        "thẻ {{ … }} hoặc {% … %} chưa đóng trong cùng đoạn"
    )
    assert describe_error(caught.value, "en").startswith(
        "template “mau.docx” has an error at paragraph 3"
    )


def test_a_jinja_error_names_its_paragraph(tmp_path: Path, report: Path) -> None:
    template = letterhead(
        tmp_path / "mau.docx", ["{{ co_quan_ban_hanh | }}", "{{p than_van_ban }}"]
    )
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    assert describe_error(caught.value).startswith(
        "mẫu “mau.docx” có lỗi ở đoạn thứ 2 (“{{ co_quan_ban_hanh | }}”): "
    )


def test_an_error_in_a_table_cell_says_so(tmp_path: Path, report: Path) -> None:
    template = letterhead(
        tmp_path / "mau.docx",
        ["{{p than_van_ban }}"],
        cell="{{ nguoi_ky.dong[0] | khong_co_bo_loc }}",
    )
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    assert "có lỗi ở ô bảng ở đoạn thứ" in describe_error(caught.value)


def test_templates_run_in_the_sandbox(tmp_path: Path, report: Path) -> None:
    template = letterhead(
        tmp_path / "mau.docx",
        ["{{p than_van_ban }}", "{{ co_quan_ban_hanh.__class__.__mro__[1].__subclasses__() }}"],
    )
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    assert "có lỗi ở đoạn thứ 3" in describe_error(caught.value)
    assert "unsafe" in describe_error(caught.value) or "access" in describe_error(caught.value)


def test_cli_takes_a_template_path(
    tmp_path: Path, report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    letterhead(tmp_path / "mau-rieng.docx", LETTERHEAD)
    ok = CliRunner().invoke(make_cli("vi"), ["render", "bc.yaml", "--template", "mau-rieng.docx"])
    assert ok.exit_code == 0, ok.output
    missing = CliRunner().invoke(
        make_cli("vi"), ["render", "bc.yaml", "-o", "x.docx", "--template", "khong-co.docx"]
    )
    assert missing.exit_code == 5
    assert missing.output == "mẫu văn bản phải là một tệp .docx có sẵn: khong-co.docx\n"


def test_an_unexpected_bug_prints_one_sentence_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, report: Path
) -> None:
    import baocao.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("lỗi giả lập")

    monkeypatch.setattr(baocao.api, "build", broken)
    result = CliRunner().invoke(make_cli("vi"), ["render", str(report)])
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi nội bộ của baocao (không phải lỗi của tệp).")
    assert "Traceback" not in result.output
    debug = CliRunner().invoke(make_cli("vi"), ["--debug", "render", str(report)])
    assert isinstance(debug.exception, RuntimeError)  # --debug keeps the traceback


def test_size_limit_is_an_option(tmp_path: Path, report: Path) -> None:
    big = tmp_path / "lon.yaml"
    big.write_text(MINIMAL + "# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    result = CliRunner().invoke(make_cli("vi"), ["validate", str(big), "--toi-da", "1"])
    assert result.exit_code == 3
    assert "tệp quá lớn" in result.output


def test_vietnamese_filters_work_in_a_custom_template(tmp_path: Path, report: Path) -> None:
    """Issue 3: the filters are registered in the one rendering environment."""
    template = letterhead(
        tmp_path / "mau.docx",
        [
            *LETTERHEAD,
            "Tổng: {{ 1416 | so }}; {{ 2021 | bang_chu }}; {{ 1500000 | tien_bang_chu }}; điểm {{ 5 | chu_cai }}",
        ],
    )
    text = Docx(baocao.build(report, template=template).read_bytes()).text
    assert (
        "Tổng: 1.416; hai nghìn không trăm hai mươi mốt; Một triệu năm trăm nghìn đồng; điểm đ"
        in text
    )
