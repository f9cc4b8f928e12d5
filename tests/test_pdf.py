"""PDF through the real LibreOffice: beside the .docx, alone, in batches; a clear message without it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import baocao
from baocao import BaocaoError
from baocao.cli import make_cli
from baocao.messages import describe_error
from tests.conftest import MINIMAL

HAVE_LIBREOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
needs_libreoffice = pytest.mark.skipif(
    not HAVE_LIBREOFFICE and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (.ci/run installs it; CI never skips this)",
)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "bao-cao.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


@needs_libreoffice
def test_pdf_beside_the_docx(report: Path) -> None:
    result = CliRunner().invoke(make_cli("vi"), ["render", str(report), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = report.with_suffix(".pdf")
    assert result.output.splitlines() == [f"Đã tạo {report.with_suffix('.docx')}", f"Đã tạo {pdf}"]
    text = pdf_text(pdf)
    assert (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        and "Quảng Nam, ngày 12 tháng 11 năm 2021" in text
    )
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert names and all(n.startswith(("TimesNewRoman", "LiberationSerif")) for n in names), names


@needs_libreoffice
def test_pdf_alone_and_replaced_on_the_next_run(report: Path) -> None:
    target = report.with_name("ket-qua.pdf")
    assert baocao.build(report, target) == target
    assert sorted(p.name for p in report.parent.iterdir()) == ["bao-cao.yaml", "ket-qua.pdf"]
    first = target.read_bytes()
    report.write_text(MINIMAL.replace("Nội dung.", "Nội dung mới."), encoding="utf-8")
    baocao.build(report, target)  # a PDF is derived, never hand-edited: it is refreshed
    assert target.read_bytes() != first and "Nội dung mới./." in pdf_text(target)


@needs_libreoffice
def test_a_batch_converts_with_one_libreoffice(tmp_path: Path) -> None:
    for unit in ("a", "b", "c"):
        (tmp_path / f"{unit}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung {unit}."), encoding="utf-8"
        )
    outcomes = baocao.api.build_many([tmp_path], pdf=True)
    assert all(o.error is None for o in outcomes)
    for unit in ("a", "b", "c"):
        assert f"Nội dung {unit}./." in pdf_text(tmp_path / f"{unit}.pdf")


@needs_libreoffice
def test_a_batch_into_an_output_folder_puts_the_pdfs_there(tmp_path: Path) -> None:
    for unit in ("a", "b"):
        (tmp_path / f"{unit}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung {unit}."), encoding="utf-8"
        )
    out = tmp_path / "ket-qua"
    result = CliRunner().invoke(make_cli("vi"), ["render", str(tmp_path), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "a.pdf", "b.docx", "b.pdf"]
    assert "Nội dung b./." in pdf_text(out / "b.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "ket-qua"]


def test_without_libreoffice_the_message_says_how_to_install_it(
    report: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BAOCAO_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(BaocaoError) as caught:
        baocao.build(report, report.with_name("ket-qua.pdf"))
    assert caught.value.exit_code == 8
    assert "sudo apt-get install libreoffice-writer-nogui fonts-liberation2" in describe_error(
        caught.value
    )
    assert sorted(p.name for p in report.parent.iterdir()) == ["bao-cao.yaml"]


def test_other_output_suffixes_are_refused(report: Path) -> None:
    result = CliRunner().invoke(make_cli("vi"), ["render", str(report), "-o", "x.odt"])
    assert result.exit_code == 6
    assert "phải có đuôi .docx, .pdf" in result.output
