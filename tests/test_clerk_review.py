"""Findings of a clerk's review of the error messages: each used to end in an internal error
or a silent surprise; each now gets a clear answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import baocao
from baocao import InputError, TemplateError, ValidationFailed
from baocao.cli import main, make_cli
from baocao.messages import describe_error, describe_issue
from tests.conftest import MINIMAL, render_text
from tests.docx_facts import Docx
from tests.test_custom_templates import LETTERHEAD, letterhead


def problems(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load(text, filename="bc.yaml"))
    return [describe_issue(i) for i in caught.value.issues]


def test_more_points_than_letters_is_a_validation_error() -> None:
    points = "".join(f"      - tieu_de: Điểm {i}\n" for i in range(1, 26))
    text = MINIMAL.replace(
        "  - Nội dung.\n",
        "  - tieu_de: Mục\n    noi_dung:\n      - tieu_de: Con\n        noi_dung:\n"
        + points.replace("      - ", "          - "),
    )
    found = problems(text)
    assert len(found) == 1 and "noi_dung[0].noi_dung[0].noi_dung[23]" in found[0]
    assert "quá 23 điểm a), b) … y)" in found[0]


def test_a_folder_where_no_file_can_be_made_is_an_output_error(tmp_path: Path) -> None:
    code = (
        "import resource, sys\nfrom baocao.output import write\nfrom baocao.errors import OutputError\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (10, 10))\n"
        "import os\nfds = [os.open(os.devnull, os.O_RDONLY) for _ in range(20)] if False else []\n"
        "keep = []\n"
        "try:\n    while True: keep.append(open(os.devnull))\nexcept OSError: pass\n"
        "try:\n    write(b'x', sys.argv[1])\nexcept OutputError as error:\n    print(error.code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "bc.docx")], capture_output=True, text=True
    )
    assert result.stdout.strip() == "output_failed", result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_template_that_is_not_a_word_file(tmp_path: Path) -> None:
    fake = tmp_path / "mau.docx"
    fake.write_text("không phải Word")
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=fake)
    assert describe_error(caught.value).startswith("mẫu văn bản “mau.docx” bị hỏng")


def test_a_filter_failing_in_a_template_names_the_paragraph(tmp_path: Path) -> None:
    template = letterhead(tmp_path / "mau.docx", [*LETTERHEAD, "Số liệu: {{ so_ky_hieu | so }}"])
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    message = describe_error(caught.value)
    assert message.startswith(
        "mẫu “mau.docx” có lỗi ở đoạn thứ 10 (“Số liệu: {{ so_ky_hieu | so }}”): bộ lọc “so”"
    )
    english = describe_error(caught.value, "en")
    assert english.startswith("template “mau.docx” has an error at paragraph 10")
    assert "filter “so”" in english and "bộ lọc" not in english  # the filter's words follow too


def test_raw_data_is_available_to_templates_and_no_none_is_printed(tmp_path: Path) -> None:
    template = letterhead(
        tmp_path / "mau.docx",
        [*LETTERHEAD, "[{{ co_quan_chu_quan }}] {{ du_lieu.ngay_ban_hanh | ngay_vb }}"],
    )
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace("co_quan_chu_quan: UBND TỈNH QUẢNG NAM\n", ""), encoding="utf-8"
    )
    assert (
        "[] ngày 12 tháng 11 năm 2021"
        in Docx(baocao.build(report, template=template).read_bytes()).text
    )


def test_a_block_field_without_p_is_refused(tmp_path: Path) -> None:
    template = letterhead(tmp_path / "mau.docx", ["{{ than_van_ban }}"])
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    assert describe_error(caught.value).endswith(
        "trường than_van_ban chứa cả đoạn văn, phải viết {{p than_van_ban }} (có chữ p) trong một đoạn riêng"
    )


def test_appendices_need_their_place_in_the_template(tmp_path: Path) -> None:
    template = letterhead(tmp_path / "mau.docx", LETTERHEAD)
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL + "phu_luc: [{tieu_de: A}]\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        baocao.build(report, template=template)
    assert "thêm một đoạn {{p phu_luc }} vào mẫu" in describe_error(caught.value)


@pytest.mark.parametrize(
    ("line", "vi"),
    [
        ("  - cong: **Về eGov** có", "giá trị không được bắt đầu bằng * hoặc &"),
        ("  - doan: !quan trọng", "“!quan” ở đầu giá trị là cú pháp đặc biệt của YAML"),
        ("  - doan: 'it's'", "dấu nháy trong văn bản chưa đúng"),
        ("  - doan: !!int abc", "“abc” không phải là số"),
    ],
)
def test_yaml_syntax_problems_are_said_in_vietnamese(line: str, vi: str) -> None:
    with pytest.raises(InputError) as caught:
        baocao.load(MINIMAL.replace("  - Nội dung.", line), filename="bc.yaml")
    assert vi in describe_error(caught.value)


def test_quoted_numbers_among_numbers_are_summed() -> None:
    table = '  - bang:\n      cot: [Đơn vị, Hồ sơ]\n      dong: [[A, 18000], [B, "1.416"], [C, "2,5"]]\n      tong_cong: true\n'
    doc = render_text(MINIMAL.replace("  - Nội dung.\n", table))
    assert "19.418,5" in doc.text and "1.416" in doc.text


def test_a_footnote_name_with_a_space() -> None:
    found = problems(
        MINIMAL.replace("  - Nội dung.", '  - "A[^ghi chu]"') + "chu_thich: {ghi chu: B}\n"
    )
    assert any("tên chú thích “ghi chu” chỉ gồm chữ, số và dấu gạch" in f for f in found)


def test_init_over_an_existing_file_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bao-cao.yaml").write_text("cũ")
    result = CliRunner().invoke(make_cli("vi"), ["init"])
    assert result.exit_code == 6
    assert "baocao init ten-khac.yaml" in result.output and "-o" not in result.output


def test_an_empty_folder_and_an_unknown_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = CliRunner().invoke(make_cli("vi"), ["render", str(tmp_path)])
    assert empty.exit_code == 3 and "không có tệp báo cáo .yaml nào" in empty.output
    with pytest.raises(SystemExit) as caught:
        main(["--lang", "fr", "templates"])
    assert caught.value.code == 2
    assert "'fr' không hợp lệ; chọn một trong: 'vi', 'en'." in capsys.readouterr().err


def test_docx_made_from_scratch_still_works_as_a_template(tmp_path: Path) -> None:
    # Guards the checks above against refusing ordinary Word files.
    path = tmp_path / "mau.docx"
    docx.Document().save(path)
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    assert baocao.build(report, template=path).is_file()


def test_points_with_their_own_labels_may_go_past_y() -> None:
    points = "".join(f"          - tieu_de: Điểm {i}\n" for i in range(1, 24))
    points += "".join(f"          - {{so_muc: 'z{i})', tieu_de: Thêm {i}}}\n" for i in range(1, 4))
    text = MINIMAL.replace(
        "  - Nội dung.\n",
        "  - tieu_de: Mục\n    noi_dung:\n      - tieu_de: Con\n        noi_dung:\n" + points,
    )
    doc = render_text(text)
    assert "y) Điểm 23" in doc.text and "z3) Thêm 3" in doc.text


def test_an_unreadable_cache_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where a folder should be")
    monkeypatch.setenv("BAOCAO_CACHE_DIR", str(blocked / "inside"))
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    from baocao import rendering
    from baocao.cache import TemplateCache

    rendering._prepared.cache_clear()
    assert baocao.build(report, cache=TemplateCache.default()).is_file()


def test_init_names_the_file_it_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(make_cli("vi"), ["init", "thang-10.yaml"]).exit_code == 0
    assert "baocao render thang-10.yaml" in (tmp_path / "thang-10.yaml").read_text(encoding="utf-8")
