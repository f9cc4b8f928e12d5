"""The command line, through Click's runner: output, messages and exit codes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.cli import _language, main, make_cli
from tests.conftest import MINIMAL, RENDER, TEMPLATES
from tests.docx_facts import Docx


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BAOCAO_LANG", raising=False)

    def invoke(*args: str, lang: str = "vi"):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(make_cli(lang), list(args), catch_exceptions=False)

    return invoke


def test_render_writes_docx_beside_the_input(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bao-cao.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run("render", "bao-cao.yaml")
    assert result.exit_code == 0, result.output
    assert result.output == "Đã tạo bao-cao.docx\n"
    assert (
        "Quảng Nam, ngày 12 tháng 11 năm 2021"
        in Docx((tmp_path / "bao-cao.docx").read_bytes()).text
    )


def test_render_to_a_chosen_name(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    assert run("render", "bc.yaml", "-o", "ket-qua.docx").exit_code == 0
    assert sorted(os.listdir(tmp_path)) == ["bc.yaml", "ket-qua.docx"]


def test_render_into_a_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """-o names a folder when it exists or ends in "/": the report keeps its name inside it."""
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "ban-nhap").mkdir()
    result = run("render", "bc.yaml", "-o", "ban-nhap")
    assert result.exit_code == 0, result.output
    assert result.output == f"Đã tạo {Path('ban-nhap', 'bc.docx')}\n"
    result = run("render", "bc.yaml", "-o", "ket-qua/thang-11/")
    assert result.exit_code == 0, result.output
    assert "Quảng Nam" in Docx((tmp_path / "ket-qua/thang-11/bc.docx").read_bytes()).text
    assert sorted(os.listdir(tmp_path)) == ["ban-nhap", "bc.yaml", "ket-qua"]


def test_a_name_without_suffix_is_told_how_to_name_a_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run("render", "bc.yaml", "-o", "ket-qua")
    assert result.exit_code == 6
    assert result.output == (
        "tên tệp kết quả phải có đuôi .docx hoặc .pdf: ket-qua; muốn đặt tệp vào một thư mục "
        "thì ghi thêm / ở cuối: ket-qua/\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["bc.yaml"]


def test_a_missing_folder_in_a_file_name_is_not_made(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Only a folder the clerk names as such is made; in a file's name it is likely a typo."""
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run("render", "bc.yaml", "-o", "ket-qau/bc.docx")
    assert result.exit_code == 6
    assert result.output == "thư mục ket-qau không tồn tại\n"
    assert sorted(os.listdir(tmp_path)) == ["bc.yaml"]


def test_validate_a_folder_says_so_in_vietnamese(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "ban-nhap").mkdir()
    result = run("validate", "ban-nhap")
    assert result.exit_code == 3
    assert result.output == "ban-nhap: đây là một thư mục, không phải tệp YAML\n"


def test_invalid_input_lists_every_problem_and_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = MINIMAL.replace("trich_yeu:", "trich_yu:").replace(
        'noi_nhan: [UBND tỉnh, "Lưu: VT, VP"]', "noi_nhan: x"
    )
    (tmp_path / "bc.yaml").write_text(bad, encoding="utf-8")
    result = run("render", "bc.yaml")
    assert result.exit_code == 4
    assert result.output.splitlines() == [
        "bc.yaml:1:1: thiếu trường bắt buộc “trich_yeu”",
        "bc.yaml:6:1: trich_yu: khóa “trich_yu” không có trong mẫu bao-cao; có phải ý bạn là “trich_yeu”?",
        "bc.yaml:9:1: noi_nhan: giá trị phải là danh sách (các dòng bắt đầu bằng “- ”), nhưng ở đây là chữ (văn bản)",
        "Có 3 lỗi. Chưa tạo tệp .docx.",
    ]
    assert os.listdir(tmp_path) == ["bc.yaml"]
    assert (tmp_path / "bc.yaml").read_text(encoding="utf-8") == bad


def test_english_messages(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bc.yaml").write_text("a: b: c\n", encoding="utf-8")
    result = run("render", "bc.yaml", lang="en")
    assert result.exit_code == 3
    assert result.output.startswith("bc.yaml:1:5: YAML syntax error: a “:” where it is not allowed")
    assert "(mapping values are not allowed in this context)" in result.output


def test_missing_file(run) -> None:  # type: ignore[no-untyped-def]
    result = run("render", "khong-co.yaml")
    assert (result.exit_code, result.output) == (3, "khong-co.yaml: không tìm thấy tệp\n")


def test_validate_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run("validate", "bc.yaml")
    assert (result.exit_code, result.output) == (0, "bc.yaml: hợp lệ.\n")
    assert os.listdir(tmp_path) == ["bc.yaml"]


def test_output_edited_by_hand_is_protected(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "bc.docx").write_bytes(b"clerk's own file")
    result = run("render", "bc.yaml")
    assert result.exit_code == 6
    assert "--ghi-de" in result.output
    assert (tmp_path / "bc.docx").read_bytes() == b"clerk's own file"
    assert run("render", "bc.yaml", "--ghi-de").exit_code == 0
    assert (tmp_path / "bc.docx").read_bytes() != b"clerk's own file"
    assert run("render", "bc.yaml").exit_code == 0  # our own output is simply refreshed


def test_init_writes_a_starter_that_renders(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("init")
    assert result.exit_code == 0
    assert (tmp_path / "bao-cao.yaml").read_bytes() == (
        TEMPLATES / "bao-cao" / "example.yaml"
    ).read_bytes()
    assert run("render", "bao-cao.yaml").exit_code == 0
    assert (tmp_path / "bao-cao.docx").is_file()
    again = run("init")
    assert again.exit_code == 6  # never overwrites the clerk's file


def test_init_into_a_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "thang-10").mkdir()
    for folder in ("thang-10", "thang-11/"):
        result = run("init", folder)
        assert result.exit_code == 0, result.output
        made = Path(folder, "bao-cao.yaml")
        assert result.output.startswith(f"Đã tạo tệp mẫu {made}. Sửa nội dung rồi chạy:")
    assert run("render", "thang-11/bao-cao.yaml").exit_code == 0
    again = run("init", "thang-10")
    assert again.exit_code == 6
    assert again.output.startswith(f"tệp {Path('thang-10', 'bao-cao.yaml')} đã có;")


def test_templates_lists_bao_cao(run) -> None:  # type: ignore[no-untyped-def]
    result = run("templates")
    assert result.exit_code == 0
    assert result.output.startswith("bao-cao      BÁO CÁO")


def test_help_is_vietnamese_and_english(run) -> None:  # type: ignore[no-untyped-def]
    assert "Tạo tệp .docx từ tệp YAML" in run("--help").output
    assert "Render a YAML report to .docx" in run("--help", lang="en").output
    assert run("render", "--help").exit_code == 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["rendr", "x.yaml"], "Lỗi: Không có lệnh 'rendr'. Có phải ý bạn là 'render'?"),
        (["render"], "Lỗi: Thiếu tham số 'INPUTS...'."),
        (["render", "x.yaml", "-0"], "Lỗi: Không có tùy chọn '-0'."),
        (["render", "x.yaml", "-o"], "Lỗi: Tùy chọn '-o' cần có giá trị đi kèm."),
        (["validate", "Báo", "cáo.yaml"], "Lỗi: Thừa tham số (cáo.yaml); tên tệp có dấu cách"),
        (
            ["render", "x.yaml", "-j", "-1"],
            "Lỗi: Giá trị không hợp lệ cho '-j' / '--jobs': -1 nằm ngoài khoảng cho phép x>=0.",
        ),
    ],
)
def test_click_own_messages_are_vietnamese(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped command gets Click's usage message, through our catalog of its sentences."""
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert said in capsys.readouterr().err


def test_click_speaks_english_on_request_and_leaves_gettext_as_it_was(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gettext

    monkeypatch.delenv("LANGUAGE", raising=False)
    with pytest.raises(SystemExit):
        main(["--lang", "en", "render"])
    err = capsys.readouterr().err
    assert "Usage: baocao render" in err and "Error: Missing argument 'INPUTS...'." in err
    assert "LANGUAGE" not in os.environ and gettext.textdomain() == "messages"


def test_help_headings_are_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["render", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: baocao render [OPTIONS] INPUTS...")
    assert "Tùy chọn:" in out and "Xem hướng dẫn này rồi thoát." in out
    assert "[mặc định: 10; 1<=x<=1024]" in out


def test_lang_option_anywhere_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["render", "x.yaml", "--lang", "en"]
    assert _language(args) == "en" and args == ["render", "x.yaml"]
    args = ["--lang=en", "validate", "x.yaml"]
    assert _language(args) == "en" and args == ["validate", "x.yaml"]
    monkeypatch.setenv("BAOCAO_LANG", "en")
    assert _language(["render"]) == "en"


def test_main_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        main(["render", "none.yaml", "--lang", "en"])
    assert caught.value.code == 3
    assert capsys.readouterr().err == "none.yaml: file not found\n"


def test_cli_help_does_not_import_docxtpl(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import sys; from baocao.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\nprint('docxtpl' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("False")


def test_validate_does_not_load_the_renderer(tmp_path: Path) -> None:
    """`baocao validate` checks a file without Jinja, lxml, docxtpl or Cerberus (≈ 30 ms less)."""
    import subprocess
    import sys

    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    heavy = ("jinja2", "lxml", "docxtpl", "cerberus", "baocao.rendering")
    code = (
        "import sys; from baocao.cli import main\n"
        "try: main(['validate', sys.argv[1]])\n"
        "except SystemExit as exit: print('exit', exit.code)\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(report)], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-2:] == ["exit 0", "[]"], result.stdout


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])  # Windows ANSI code pages
def test_vietnamese_reaches_a_log_in_a_legacy_code_page(tmp_path: Path, encoding: str) -> None:
    """`baocao render … > log.txt` on Windows: the stream's code page cannot hold "ạ".

    The report must be written, the exit code must be the real one, and the log
    must read "Đã tạo …" (UTF-8), not an internal error.
    """
    import subprocess

    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    done = subprocess.run([*RENDER, str(report)], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.decode("utf-8") == f"Đã tạo {tmp_path / 'bc.docx'}\n"
    assert (tmp_path / "bc.docx").is_file()
    missing = subprocess.run(
        [*RENDER, str(tmp_path / "khong-co.yaml")], capture_output=True, env=env
    )
    assert missing.returncode == 3
    assert "không tìm thấy tệp" in missing.stderr.decode("utf-8")
