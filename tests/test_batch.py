"""Many reports at once: folders, parallel processes, one error never stops the others."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import baocao
from baocao.cli import make_cli
from baocao.errors import InputError, Issue, Location, OutputError, ValidationFailed
from baocao.messages import describe_error
from tests.conftest import MINIMAL, RENDER
from tests.docx_facts import Docx
from tests.procs import at_a_terminal, processes, sigint_as_at_a_terminal


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "bao-cao"
    reports.mkdir()
    for unit in ("so-a", "so-b", "so-c"):
        (reports / f"{unit}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung của {unit}."), encoding="utf-8"
        )
    (reports / "so-d.yaml").write_text(MINIMAL.replace("trich_yeu:", "trich_yu:"), encoding="utf-8")
    (reports / "ghi-chu.txt").write_text("không phải báo cáo")
    return reports


def test_a_folder_renders_every_report_and_reports_the_bad_one(folder: Path) -> None:
    """Not a terminal: one plain line per report, then every failure with its messages."""
    result = CliRunner().invoke(make_cli("vi"), ["render", str(folder)])
    assert result.exit_code == 4
    lines = result.output.splitlines()
    assert lines[:4] == [
        f"Đã tạo {folder / 'so-a.docx'}",
        f"Đã tạo {folder / 'so-b.docx'}",
        f"Đã tạo {folder / 'so-c.docx'}",
        f"Lỗi, chưa tạo tệp .docx: {folder / 'so-d.yaml'}",
    ]
    assert lines[4:] == [
        "Các tệp có lỗi:",
        f"{folder / 'so-d.yaml'}:1:1: thiếu trường bắt buộc “trich_yeu”",
        f"{folder / 'so-d.yaml'}:6:1: trich_yu: khóa “trich_yu” không có trong mẫu bao-cao; "
        "có phải ý bạn là “trich_yeu”?",
        "Đã tạo 3/4 tệp .docx; 1 tệp có lỗi.",
    ]
    assert sorted(p.name for p in folder.glob("*.docx")) == ["so-a.docx", "so-b.docx", "so-c.docx"]
    assert "Nội dung của so-b./." in Docx((folder / "so-b.docx").read_bytes()).text


def test_parallel_jobs_give_the_same_documents(folder: Path) -> None:
    (folder / "so-d.yaml").unlink()
    result = CliRunner().invoke(
        make_cli("en"), ["--lang", "en", "render", str(folder), "--jobs", "2"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Wrote 3/3 .docx files; 0 with errors."
    for unit in ("so-a", "so-b", "so-c"):
        assert f"Nội dung của {unit}./." in Docx((folder / f"{unit}.docx").read_bytes()).text


@pytest.mark.parametrize("name", ["x.docx", "x.PDF", "so-a.yaml"])
def test_a_file_name_is_refused_as_the_output_of_many_reports(folder: Path, name: str) -> None:
    """A batch's -o is a folder; a document's name, or a file that exists, is not made one."""
    result = CliRunner().invoke(make_cli("vi"), ["render", str(folder), "-o", str(folder / name)])
    assert result.exit_code == 2
    assert f"-o là thư mục chứa các tệp .docx, không phải một tệp: {folder / name}" in result.output
    assert not list(folder.glob("*.docx")) and not (folder / name).is_dir()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_renders_into_an_output_folder(folder: Path, jobs: str) -> None:
    """`baocao render bao-cao/ -o ket-qua/thang-10`: the folder and its parent are made."""
    out = folder.parent / "ket-qua" / "thang-10"
    result = CliRunner().invoke(make_cli("vi"), ["render", str(folder), "-o", str(out), "-j", jobs])
    assert result.exit_code == 4
    assert result.output.splitlines()[:4] == [
        f"Đã tạo {out / 'so-a.docx'}",
        f"Đã tạo {out / 'so-b.docx'}",
        f"Đã tạo {out / 'so-c.docx'}",
        f"Lỗi, chưa tạo tệp .docx: {folder / 'so-d.yaml'}",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["so-a.docx", "so-b.docx", "so-c.docx"]
    assert not list(folder.glob("*.docx"))  # nothing beside the YAML files
    assert "Nội dung của so-c./." in Docx((out / "so-c.docx").read_bytes()).text


def test_an_output_folder_is_not_made_when_no_report_is_written(folder: Path) -> None:
    (folder / "so-a.yaml").write_text("trich_yeu: [", encoding="utf-8")
    for unit in ("so-b", "so-c"):
        (folder / f"{unit}.yaml").unlink()
    out = folder.parent / "ket-qua"
    outcomes = baocao.build_many([folder], output_dir=out)
    assert [o.error is not None for o in outcomes] == [True, True]
    assert not out.exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_same_names_from_two_folders_into_one_output_folder(folder: Path, jobs: int) -> None:
    """thang-10/so-a.yaml and thang-11/so-a.yaml -o ket-qua/: one so-a.docx, never overwritten."""
    other = folder.parent / "thang-11"
    other.mkdir()
    (other / "so-a.yaml").write_text(MINIMAL.replace("Nội dung.", "Tháng 11."), encoding="utf-8")
    out = folder.parent / "ket-qua"
    outcomes = baocao.build_many([folder, other], output_dir=out, jobs=jobs)
    assert [o.output.name if o.output else None for o in outcomes] == [
        "so-a.docx",
        "so-b.docx",
        "so-c.docx",
        None,
        None,
    ]
    clash = outcomes[-1].error
    assert isinstance(clash, OutputError) and clash.code == "output_shared"
    assert describe_error(clash) == (
        f"tệp {out / 'so-a.docx'} cũng là tệp kết quả của {folder / 'so-a.yaml'}; "
        "đổi tên một trong hai tệp YAML"
    )
    assert "Nội dung của so-a./." in Docx((out / "so-a.docx").read_bytes()).text


def test_build_many_returns_outcomes_in_order(folder: Path) -> None:
    heard: list[baocao.Outcome] = []
    outcomes = baocao.build_many([folder], on_done=heard.append)
    assert [o.input.name for o in outcomes] == ["so-a.yaml", "so-b.yaml", "so-c.yaml", "so-d.yaml"]
    assert heard == outcomes
    assert [o.output is not None for o in outcomes] == [True, True, True, False]
    assert isinstance(outcomes[-1].error, ValidationFailed)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_refused_write_mid_batch_is_that_reports_error(folder: Path, jobs: int) -> None:
    """Writes run behind the next render; a refused one still lands on its own report, in order."""
    clerks = folder / "so-b.docx"
    clerks.write_bytes(b"the clerk's own edited file")
    outcomes = baocao.build_many([folder], jobs=jobs)
    assert [o.input.name for o in outcomes] == ["so-a.yaml", "so-b.yaml", "so-c.yaml", "so-d.yaml"]
    assert [o.output.name if o.output else None for o in outcomes] == [
        "so-a.docx",
        None,
        "so-c.docx",
        None,
    ]
    refused = outcomes[1].error
    assert isinstance(refused, OutputError) and refused.code == "output_exists"
    assert isinstance(outcomes[3].error, ValidationFailed)
    assert clerks.read_bytes() == b"the clerk's own edited file"
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_reports_that_would_write_one_docx(folder: Path, jobs: int) -> None:
    """so-a.yaml and so-a.yml: the first is written, the second refused, never both reported."""
    (folder / "so-a.yml").write_text(MINIMAL.replace("Nội dung.", "Bản .yml."), encoding="utf-8")
    outcomes = baocao.build_many([folder], jobs=jobs)
    assert [o.input.name for o in outcomes][:2] == ["so-a.yaml", "so-a.yml"]
    assert outcomes[0].output == folder / "so-a.docx"
    clash = outcomes[1].error
    assert isinstance(clash, OutputError) and clash.code == "output_shared"
    assert clash.exit_code == 6
    assert describe_error(clash) == (
        f"tệp {folder / 'so-a.docx'} cũng là tệp kết quả của {folder / 'so-a.yaml'}; "
        "đổi tên một trong hai tệp YAML"
    )
    assert "Nội dung của so-a./." in Docx((folder / "so-a.docx").read_bytes()).text


def test_a_report_named_twice_is_rendered_once(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder.parent)
    named = [folder.name, f"{folder.name}/so-b.yaml", folder / "so-b.yaml"]
    outcomes = baocao.build_many(named)
    assert [o.input.name for o in outcomes] == ["so-a.yaml", "so-b.yaml", "so-c.yaml", "so-d.yaml"]
    result = CliRunner().invoke(make_cli("vi"), ["render", *map(str, named), "--ghi-de"])
    assert result.output.splitlines()[-1] == "Đã tạo 3/4 tệp .docx; 1 tệp có lỗi."


def copies_of_minimal(folder: Path, count: int) -> None:
    for index in range(count):
        (folder / f"bc-{index:03}.yaml").write_text(MINIMAL, encoding="utf-8")


def forked_children(pid: int) -> list[int]:
    """The processes forked from ``pid`` (same command line), read from /proc."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    return [p.pid for p in processes() if p.parent == pid and p.command == command]


def ignores_sigint(pid: int) -> bool:
    import signal

    status = Path(f"/proc/{pid}/status").read_text()
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:"))
    return bool(int(mask, 16) & (1 << (signal.SIGINT - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_a_batch_with_its_own_message(tmp_path: Path, jobs: str) -> None:
    """A real SIGINT to the command's process group, as a terminal's Ctrl+C sends it."""
    import signal

    copies_of_minimal(tmp_path, 400)
    process = subprocess.Popen(
        [*RENDER, str(tmp_path), "--jobs", jobs],
        preexec_fn=sigint_as_at_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
        bufsize=0,  # readline must not buffer past the first line: communicate reads the rest
    )
    assert process.stdout is not None
    first = process.stdout.readline().decode("utf-8")  # a report is done: the batch is running
    if jobs == "2":  # only the parent takes Ctrl+C: a worker stopped mid-reply hangs the pool
        workers = forked_children(process.pid)
        assert len(workers) == 2
        assert [ignores_sigint(pid) for pid in (process.pid, *workers)] == [False, True, True]
    os.killpg(process.pid, signal.SIGINT)
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the batch hung after Ctrl+C")
    assert first.startswith("Đã tạo ")
    assert process.returncode == 130
    assert (
        err.decode("utf-8")
        .strip()
        .endswith(
            "Đã dừng theo yêu cầu (Ctrl+C). Không có tệp nào bị ghi dở: mỗi tệp hoặc đã tạo "
            "xong, hoặc chưa được tạo."
        )
    )
    reported = [first, *out.decode("utf-8").splitlines()]
    assert len(reported) < 400  # stopped, not finished
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    for line in reported:  # every report said to be written is a whole document
        assert "Nội dung./." in Docx(Path(line.strip().removeprefix("Đã tạo ")).read_bytes()).text


def test_a_reader_that_goes_away_stops_the_batch_quietly(tmp_path: Path) -> None:
    """`baocao render thu-muc/ | head -1`: exit 141 like other commands, no "internal error"."""
    copies_of_minimal(tmp_path, 60)
    process = subprocess.Popen(
        [*RENDER, str(tmp_path), "--jobs", "1"],
        preexec_fn=sigint_as_at_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        bufsize=0,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().decode("utf-8").startswith("Đã tạo ")
    process.stdout.close()  # as `head -1` does once it has its line
    assert process.wait(timeout=30) == 141
    with process.stderr:
        assert process.stderr.read() == b""
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_errors_cross_process_boundaries() -> None:
    for error in (
        InputError("file_not_found", Location("a.yaml")),
        OutputError("output_exists", path="x.docx"),
        ValidationFailed([Issue(Location("a.yaml", 1, 1), (), "required", {"field": "trich_yeu"})]),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.exit_code == error.exit_code
        assert describe_error(copy) == describe_error(error)


def test_a_terminal_gets_a_progress_bar_instead_of_lines(folder: Path) -> None:
    """Run under a real pseudo-terminal, as a clerk's shell is: rich draws the bar."""
    (folder / "so-d.yaml").unlink()
    # Every fork (two workers) must happen with no other thread alive, bar or not. Printed
    # at exit: the console script leaves without teardown, but runs what atexit holds.
    script = (
        "import atexit, os, threading\n"
        "alive = []\n"
        "os.register_at_fork(before=lambda: alive.append(threading.active_count()))\n"
        "atexit.register(lambda: print('threads at fork:', alive))\n"
        "from baocao.cli import main\n"
        "main()\n"
    )
    text = at_a_terminal(script, "render", str(folder), "--jobs", "2", timeout=60)
    assert "Đang tạo báo cáo" in text  # the bar's label, drawn then cleared
    assert "Đã tạo 3/3 tệp .docx; 0 tệp có lỗi." in text
    assert f"Đã tạo {folder / 'so-a.docx'}" not in text  # no line per report on a terminal
    assert "threads at fork: [1, 1]" in text


def damaged_docx() -> bytes:
    """A .docx whose docProps/app.xml uses a compression method zipfile lacks (99, AES).

    What a clerk's folder can hold: a file saved by an archiver's encryption, or
    half-repaired. Reading it raises NotImplementedError, not an OSError.
    """
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # a fixed date: the test builds it twice and compares the bytes, and writestr's
        # default (now) could fall on two different seconds
        part = zipfile.ZipInfo("docProps/app.xml", date_time=(2025, 1, 1, 0, 0, 0))
        archive.writestr(part, "<Application>baocao</Application>")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[8:10] = data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    return bytes(data)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_damaged_docx_in_the_way_is_that_reports_error_only(folder: Path, jobs: str) -> None:
    """It used to crash the whole batch (exit 1, no summary, later reports never made)."""
    (folder / "so-a.docx").write_bytes(damaged_docx())
    result = CliRunner().invoke(make_cli("vi"), ["render", str(folder), "-j", jobs])
    assert result.exit_code == 6, result.output
    assert f"tệp {folder / 'so-a.docx'} đã có và không phải do baocao tạo ra" in result.output
    assert result.output.splitlines()[-1] == "Đã tạo 2/4 tệp .docx; 2 tệp có lỗi."
    assert (folder / "so-a.docx").read_bytes() == damaged_docx()  # the clerk's file is kept
    assert "Nội dung của so-c./." in Docx((folder / "so-c.docx").read_bytes()).text


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits (POSIX)")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_report_that_crashes_is_its_own_error_line(folder: Path, jobs: str) -> None:
    """A real internal error: memory runs out, as on a small machine, and the batch goes on.

    The process may use 700 MB of address space and each report may be 1 GiB
    (--toi-da 1024): reading it asks Python for a 1 GiB buffer, which raises
    MemoryError inside the report's own work. Before, the first one stopped
    the batch with "internal error", no summary and no later report.
    """
    import resource

    def small_machine() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (700 * 2**20, 700 * 2**20))

    run = subprocess.run(
        [*RENDER, str(folder), "-j", jobs, "--toi-da", "1024"],
        capture_output=True,
        text=True,
        preexec_fn=small_machine,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr  # exit 1, as for any internal error
    assert run.stdout.splitlines() == [
        *(
            f"Lỗi, chưa tạo tệp .docx: {folder / f'{unit}.yaml'}"
            for unit in ["so-a", "so-b", "so-c", "so-d"]
        ),
        "Đã tạo 0/4 tệp .docx; 4 tệp có lỗi.",
    ]
    assert run.stderr.splitlines()[1] == (
        f"{folder / 'so-a.yaml'}: baocao gặp lỗi nội bộ (MemoryError) khi tạo báo cáo này, "
        "không phải lỗi của tệp; chưa tạo tệp .docx của nó, các tệp khác vẫn được tạo. Hãy chạy "
        "riêng tệp này với --debug và gửi kết quả cho nhà phát triển"
    )
    assert "Traceback" not in run.stderr
    assert not list(folder.glob("*.docx")) and not list(folder.glob(".*.tmp"))


def test_a_crash_reads_in_english_too(folder: Path) -> None:
    from baocao.errors import CrashError

    error = CrashError("report_crashed", path="a.yaml", kind="MemoryError")
    assert describe_error(error, "en").startswith(
        "a.yaml: an internal error of baocao (MemoryError) while making this report, not a "
        "mistake in the file; no .docx was written for it"
    )
    assert error.exit_code == 1
