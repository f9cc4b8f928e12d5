"""The built wheel carries its templates: install it in a fresh virtual environment and render."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from tests.conftest import ROOT, TEMPLATES
from tests.docx_facts import Docx


def test_installed_wheel_renders_from_its_own_templates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("baocao-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Install the wheel's files alone; borrow the dependencies from this environment
    # without its editable baocao (a .pth path line is not itself processed).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    report = tmp_path / "bao-cao.yaml"
    report.write_bytes((TEMPLATES / "bao-cao" / "example.yaml").read_bytes())
    code = (
        "import baocao, baocao.bundle, sys; "
        "print(baocao.__file__); print(baocao.bundle.templates_root()); "
        "print(baocao.build(sys.argv[1]))"
    )
    result = subprocess.run(
        [python, "-c", code, str(report)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    module_file, templates_root, written = result.stdout.split()
    assert module_file.startswith(str(site))
    assert templates_root == str(site / "baocao" / "templates")
    assert (site / "baocao" / "templates" / "bao-cao" / "template.docx").is_file()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in Docx(Path(written).read_bytes()).text
    # The message catalogs ship too: the installed command speaks Vietnamese.
    bad = tmp_path / "sai.yaml"
    bad.write_text("trich_yeu: x\n", encoding="utf-8")
    cli = subprocess.run(
        [python, "-m", "baocao.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert cli.returncode == 4
    assert "thiếu trường bắt buộc “co_quan_ban_hanh”" in cli.stderr
    # Click's own sentences too (click.mo): a mistyped command is answered in Vietnamese.
    typo = subprocess.run(
        [python, "-m", "baocao.cli", "rendr"], capture_output=True, text=True, cwd=tmp_path
    )
    assert typo.returncode == 2
    assert "Lỗi: Không có lệnh 'rendr'. Có phải ý bạn là 'render'?" in typo.stderr
