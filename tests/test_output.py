"""Writing never loses data: atomic replace, no clobbering of edited files, no leftovers."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import baocao
from baocao import OutputError
from baocao.output import made_by_baocao, write
from tests.conftest import MINIMAL


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return baocao.render(baocao.validate(baocao.load(MINIMAL)))


def test_write_creates_the_file_and_leaves_no_temporary(tmp_path: Path, docx_bytes: bytes) -> None:
    target = write(docx_bytes, tmp_path / "bc.docx")
    assert target.read_bytes() == docx_bytes
    assert os.listdir(tmp_path) == ["bc.docx"]
    assert made_by_baocao(target)


def test_our_own_output_is_replaced_but_an_edited_file_is_not(
    tmp_path: Path, docx_bytes: bytes
) -> None:
    target = write(docx_bytes, tmp_path / "bc.docx")
    write(docx_bytes, target)  # re-rendering replaces baocao's own file
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(edited, "w") as archive:  # what Word leaves after saving
        archive.writestr(
            "docProps/app.xml",
            "<Properties><Application>Microsoft Office Word</Application></Properties>",
        )
    before = edited.read_bytes()
    with pytest.raises(OutputError) as caught:
        write(docx_bytes, edited)
    assert caught.value.code == "output_exists"
    assert edited.read_bytes() == before
    write(docx_bytes, edited, overwrite=True)
    assert edited.read_bytes() == docx_bytes
    with pytest.raises(OutputError):
        write(docx_bytes, target, overwrite=False)


def test_plain_files_are_never_overwritten_by_default(tmp_path: Path, docx_bytes: bytes) -> None:
    notes = tmp_path / "ghi-chu.docx"
    notes.write_text("không phải docx")
    with pytest.raises(OutputError):
        write(docx_bytes, notes)
    assert notes.read_text() == "không phải docx"


FAIL_MID_WRITE = """
import resource, signal, sys
from baocao.errors import OutputError
from baocao.output import write
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)      # get EFBIG instead of being killed
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    write(b"x" * 100_000, sys.argv[1], overwrite=True)
except OutputError as error:
    print(error.code)
"""


def test_failure_mid_write_keeps_the_old_file_byte_identical(
    tmp_path: Path, docx_bytes: bytes
) -> None:
    """A disk that fills up mid-write (simulated with a file-size limit, which binds even root)."""
    target = write(docx_bytes, tmp_path / "bc.docx")
    result = subprocess.run(
        [sys.executable, "-c", FAIL_MID_WRITE, str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "output_failed", result.stderr
    assert target.read_bytes() == docx_bytes
    assert os.listdir(tmp_path) == ["bc.docx"]


def test_missing_folder(tmp_path: Path, docx_bytes: bytes) -> None:
    with pytest.raises(OutputError) as caught:
        write(docx_bytes, tmp_path / "none" / "bc.docx")
    assert caught.value.code == "output_dir_missing"


def test_build_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    for output in (report, tmp_path / "bc.txt"):
        with pytest.raises(OutputError):
            baocao.build(report, output)
    assert report.read_text(encoding="utf-8") == MINIMAL
    assert sorted(os.listdir(tmp_path)) == ["bc.yaml"]


def test_invalid_input_writes_nothing_and_keeps_yesterdays_output(
    tmp_path: Path, docx_bytes: bytes
) -> None:
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL.replace("trich_yeu:", "trich_yeuu:"), encoding="utf-8")
    yesterday = write(docx_bytes, tmp_path / "bc.docx")
    with pytest.raises(baocao.ValidationFailed):
        baocao.build(report)
    assert yesterday.read_bytes() == docx_bytes
    assert sorted(os.listdir(tmp_path)) == ["bc.docx", "bc.yaml"]
