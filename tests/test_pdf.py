"""PDF through the real LibreOffice: beside the .docx, alone, in batches; a clear message without it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import baocao
from baocao import BaocaoError
from baocao.cli import make_cli
from baocao.messages import describe_error
from tests.conftest import MINIMAL
from tests.procs import processes

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


def three_reports(folder: Path) -> None:
    for unit in ("a", "b", "c"):
        (folder / f"{unit}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung {unit}."), encoding="utf-8"
        )


@needs_libreoffice
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pdf_that_cannot_be_written_does_not_cost_the_others(tmp_path: Path, jobs: str) -> None:
    """b.pdf's place is taken by a folder: a.pdf and c.pdf are still made, b's error is named.

    Before, the first PDF that failed stopped the others (the docstring promised otherwise).
    """
    three_reports(tmp_path)
    (tmp_path / "b.pdf").mkdir()
    result = CliRunner().invoke(make_cli("vi"), ["render", str(tmp_path), "--pdf", "-j", jobs])
    assert result.exit_code == 6, result.output
    assert "Nội dung a./." in pdf_text(tmp_path / "a.pdf")
    assert "Nội dung c./." in pdf_text(tmp_path / "c.pdf")
    assert (tmp_path / "b.pdf").is_dir() and not list((tmp_path / "b.pdf").iterdir())
    assert result.output.splitlines()[-3:] == [
        "Các tệp có lỗi:",
        f"tệp {tmp_path / 'b.pdf'} đã có và không phải do baocao tạo ra (có thể đã sửa tay); "
        "chọn tên khác với -o, hoặc thêm --ghi-de để ghi đè",
        "Đã tạo 3/3 tệp .docx; 1 tệp có lỗi.",
    ]


@needs_libreoffice
def test_a_docx_libreoffice_cannot_open_is_named_and_the_others_converted(tmp_path: Path) -> None:
    """A .docx cut short (a copy interrupted): LibreOffice says only "source file could not be
    loaded", for one file of the run; that file is named, and the others' PDFs are written."""
    from baocao.convert import pdfs

    three_reports(tmp_path)
    docs = [baocao.build(tmp_path / f"{unit}.yaml") for unit in ("a", "b", "c")]
    docs[1].write_bytes(docs[1].read_bytes()[:3000])
    results = pdfs(docs, [d.with_suffix(".pdf") for d in docs])
    assert results[0] == tmp_path / "a.pdf" and results[2] == tmp_path / "c.pdf"
    failed = results[1]
    assert isinstance(failed, BaocaoError) and failed.exit_code == 8
    assert describe_error(failed) == (
        f"LibreOffice không mở được {docs[1]} nên chưa tạo tệp PDF của nó (tệp .docx có thể bị "
        "hỏng); các tệp PDF khác vẫn được tạo"
    )
    assert "Nội dung c./." in pdf_text(tmp_path / "c.pdf")
    assert not (tmp_path / "b.pdf").exists()
    with pytest.raises(BaocaoError) as caught:  # to_pdf: the others written, then the error
        baocao.convert.to_pdf(docs[1:], [tmp_path / "b2.pdf", tmp_path / "c2.pdf"])
    assert caught.value.code == "pdf_not_converted"
    assert (tmp_path / "c2.pdf").is_file() and not (tmp_path / "b2.pdf").exists()


def libreoffice_processes(marker: str) -> list[str]:
    """Running processes (not zombies) whose command line holds ``marker``."""
    running = (p.command for p in processes() if p.state != "Z")
    commands = (command.replace(b"\0", b" ").decode("utf-8", "replace") for command in running)
    return [command for command in commands if marker in command]


@needs_libreoffice
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_a_timeout_stops_every_libreoffice_process(tmp_path: Path, report: Path) -> None:
    """soffice is a script that starts oosplash, which starts soffice.bin: all of them end.

    The conversion runs in a Python of its own whose temporary folder is ours, so
    LibreOffice's profile path (in every process's command line) marks its processes
    and no other test's.
    """
    docx = baocao.build(report)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from baocao.convert import to_pdf\n"
        "from baocao.errors import BaocaoError\n"
        "try:\n"
        "    to_pdf([Path(sys.argv[1])], [Path(sys.argv[2])], timeout=0.5)\n"
        "except BaocaoError as error:\n"
        "    print(error.code)\n"
    )
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", script, str(docx), str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
        timeout=60,
    )
    assert run.stdout.strip() == "pdf_timeout", run.stderr
    assert time.monotonic() - started < 5
    assert libreoffice_processes(str(scratch)) == []
    assert not (tmp_path / "x.pdf").exists() and list(scratch.iterdir()) == []


@needs_libreoffice
def test_a_line_broken_by_hand_is_not_stretched_across_the_page(report: Path) -> None:
    # A newline in the YAML (or Shift+Enter copied from Word) is a manual line break inside a
    # justified paragraph; without doNotExpandShiftReturn the words before it were spread
    # across the whole line ("Dòng          ngắt          từ          Word:").
    text = report.read_text(encoding="utf-8").replace(
        "  - Nội dung.\n", '  - "Dòng ngắt từ Word:\\nđây là dòng sau."\n'
    )
    report.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(make_cli("vi"), ["render", str(report), "--pdf"])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in pdf_text(report.with_suffix(".pdf")).splitlines()]
    assert "Dòng ngắt từ Word:" in lines, [line for line in lines if "Word" in line]
    assert any(line.startswith("đây là dòng sau.") for line in lines)  # "./." may follow


@needs_libreoffice
def test_many_documents_go_through_several_runs_and_all_are_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One LibreOffice run of 300 small reports left 54 unconverted (none opened after the
    246th), so documents go ``PER_RUN`` at a time. Two per run here: five documents take
    three runs, and each PDF is its own document's."""
    from baocao import convert

    monkeypatch.setattr(convert, "PER_RUN", 2)
    docs = []
    for index in range(5):
        path = tmp_path / f"r{index}.yaml"
        path.write_text(MINIMAL.replace("Nội dung.", f"Nội dung số {index}."), encoding="utf-8")
        docs.append(baocao.build(path))
    results = convert.pdfs(docs, [d.with_suffix(".pdf") for d in docs])
    assert results == [d.with_suffix(".pdf") for d in docs]
    for index, doc in enumerate(docs):
        assert f"Nội dung số {index}./." in pdf_text(doc.with_suffix(".pdf"))
