"""Writing never loses data: atomic replace, no clobbering of edited files, no leftovers."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import baocao
from baocao import OutputError
from baocao.cli import make_cli
from baocao.messages import describe_error
from baocao.output import made_by_baocao, write
from tests.conftest import MINIMAL, RENDER

needs_mount = pytest.mark.skipif(
    not (os.geteuid() == 0 and shutil.which("unshare")) and os.environ.get("CI") != "true",
    reason="mounting a small drive needs root and unshare (CI has both; it never skips this)",
)


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


def on_a_drive_of_its_own(tmp_path: Path, options: str, script: str) -> tuple[Path, str]:
    """Write bc.yaml, then run a shell ``script`` with "$0" a fresh tmpfs mounted with ``options``.

    In the script, ``render ARGS…`` is ``baocao render bc.yaml ARGS…`` and $REPORT
    is bc.yaml. The mount lives in a private mount namespace, so it vanishes with
    the script and never touches the machine's own drives.
    """
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    drive = tmp_path / "usb"
    drive.mkdir()
    command = " ".join(shlex.quote(part) for part in RENDER)
    prelude = (
        f'mount -t tmpfs -o {options} tmpfs "$0" || exit 99\n'
        f"REPORT={shlex.quote(str(report))}\n"
        f'render() {{ {command} "$REPORT" "$@"; }}\n'
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", prelude + script, str(drive)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return drive, result.stdout


@needs_mount
def test_a_full_disk_keeps_the_old_file_and_says_so_in_vietnamese(tmp_path: Path) -> None:
    """12 KiB hold the first .docx (7 KiB) but not a second beside it: the re-render fails."""
    drive, out = on_a_drive_of_its_own(
        tmp_path,
        "size=12k",
        """render -o "$0/bc.docx" >/dev/null || exit 98
sha256sum "$0/bc.docx"
sed -i 's/Nội dung./Nội dung mới./' "$REPORT"
render -o "$0/bc.docx" --ghi-de 2>&1; echo "rc=$?"
sha256sum "$0/bc.docx"; ls -A "$0"
""",
    )
    before, message, rc, after, listing = out.splitlines()
    assert message == (
        f"không ghi được {drive / 'bc.docx'}: ổ đĩa đã đầy. Hãy xóa bớt tệp không cần, "
        "hoặc ghi sang ổ khác bằng -o, rồi chạy lại"
    )
    assert rc == "rc=6"
    assert after == before  # the old document, byte for byte
    assert listing == "bc.docx"  # no temporary file left


@needs_mount
def test_a_read_only_drive_is_named_as_such(tmp_path: Path) -> None:
    drive, out = on_a_drive_of_its_own(
        tmp_path, "ro,size=64k", 'render --lang en -o "$0/" 2>&1; echo "rc=$?"; ls -A "$0"'
    )
    assert out.splitlines() == [
        f"cannot write {drive / 'bc.docx'}: this drive or folder is read-only (a write-protected"
        " USB stick, a shared folder you may only read). Write to another folder with -o",
        "rc=6",
    ]


NO_RIGHT_TO_WRITE = """
import os, sys
from baocao.errors import OutputError
from baocao.messages import describe_error
from baocao.output import write
if os.geteuid() == 0:
    os.setuid(65534)  # root may write anywhere; a clerk's account may not
try:
    write(b"x", sys.argv[1])
except OutputError as error:
    print(error.code, describe_error(error), sep="\\n")
"""


def test_a_folder_without_the_right_to_write() -> None:
    # Under /tmp itself: pytest's own folders are closed to the unprivileged account.
    with tempfile.TemporaryDirectory() as scratch:
        os.chmod(scratch, 0o755)
        locked = Path(scratch, "chi-doc")
        locked.mkdir(mode=0o555)
        result = subprocess.run(
            [sys.executable, "-c", NO_RIGHT_TO_WRITE, str(locked / "bc.docx")],
            capture_output=True,
            text=True,
        )
        assert result.stdout.splitlines() == [
            "output_denied",
            f"không có quyền ghi {locked / 'bc.docx'}. Nếu tệp đang mở trong Word, hãy đóng lại "
            "rồi chạy lại; nếu không, hãy ghi vào một thư mục của mình bằng -o",
        ], result.stderr
        assert list(locked.iterdir()) == []


def test_the_longest_name_the_system_takes_is_written(tmp_path: Path, docx_bytes: bytes) -> None:
    """255 bytes: 85 Vietnamese letters. The temporary file beside it must not be longer."""
    name = "Báo cáo kết quả thực hiện nhiệm vụ " * 6
    target = tmp_path / f"{name.encode()[:250].decode(errors='ignore')}.docx"
    assert len(target.name.encode()) > 240
    assert write(docx_bytes, target).read_bytes() == docx_bytes
    assert os.listdir(tmp_path) == [target.name]


def test_other_failures_give_the_systems_reason(tmp_path: Path, docx_bytes: bytes) -> None:
    """Here a name longer than the file system allows: no advice to give but the reason."""
    with pytest.raises(OutputError) as caught:
        write(docx_bytes, tmp_path / f"{'a' * 300}.docx")
    assert caught.value.code == "output_failed"
    assert describe_error(caught.value) == (
        f"không ghi được {tmp_path / ('a' * 300 + '.docx')} (File name too long)"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
@pytest.mark.parametrize("output", ["loop/", "loop/bc.docx", "vong.docx"])
def test_a_symlink_loop_as_output_is_named_not_a_crash(tmp_path: Path, output: str) -> None:
    """`ln -s loop loop; baocao render bc.yaml -o loop/`: exit 6 and what is wrong, not exit 1."""
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    os.symlink("loop", tmp_path / "loop")
    os.symlink("vong2", tmp_path / "vong.docx")
    os.symlink("vong.docx", tmp_path / "vong2")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(
        make_cli("vi"), ["render", str(tmp_path / "bc.yaml"), "-o", f"{tmp_path}/{output}"]
    )
    assert result.exit_code == 6, result.output
    place = tmp_path / output.split("/")[0]
    assert result.output == (
        f"không ghi được vào {place}: tên này là một liên kết (symlink) trỏ vòng về chính nó, "
        "không dẫn tới thư mục hay tệp nào. Hãy xóa liên kết đó, hoặc chọn tên khác với -o\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_symlink_loop_as_a_batchs_output_folder(tmp_path: Path, jobs: str) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    os.symlink("loop", tmp_path / "loop")
    result = CliRunner().invoke(
        make_cli("en"),
        ["--lang", "en", "render", str(tmp_path), "-o", str(tmp_path / "loop"), "-j", jobs],
    )
    assert result.exit_code == 6, result.output
    assert result.output.splitlines()[-2:] == [
        f"cannot write into {tmp_path / 'loop'}: this name is a symbolic link that points back "
        "to itself and leads to no folder or file. Remove that link, or choose another name "
        "with -o",
        "Wrote 0/2 .docx files; 2 with errors.",
    ]
