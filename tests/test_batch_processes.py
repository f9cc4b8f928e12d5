"""A parallel batch's processes under real signals: killed workers, killed or stopped parents.

Each test runs `baocao render folder/ -j 2` as a shell would (its own process), on 400
small reports, and acts on it once reports appear. Processes are found in /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from baocao.output import STALE_AFTER, clean_stale
from tests.conftest import RENDER
from tests.docx_facts import Docx
from tests.procs import processes, sigint_as_at_a_terminal
from tests.test_batch import copies_of_minimal, forked_children

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads /proc and sends signals (Linux)"
)

REPORTS = 400


def started(folder: Path, jobs: str = "2") -> subprocess.Popen[bytes]:
    """`baocao render folder -j 2` with its first report written (its line read)."""
    copies_of_minimal(folder, REPORTS)
    process = subprocess.Popen(
        [*RENDER, str(folder), "--jobs", jobs],
        preexec_fn=sigint_as_at_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # so a leftover can be killed by group at the end
        bufsize=0,
    )
    assert process.stdout is not None
    assert process.stdout.readline().decode("utf-8").startswith("Đã tạo ")
    return process


def ours(folder: Path) -> list[int]:
    """Every running process whose command line names ``folder``: the batch and its workers."""
    name = os.fsencode(folder)
    return [p.pid for p in processes() if p.state != "Z" and name in p.command.split(b"\0")]


def delivered(pid: int, signum: int) -> None:
    """Wait until ``signum`` is no longer pending for ``pid`` (its handler has been entered)."""
    bit = 1 << (signum - 1)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        pending = [int(line.split()[1], 16) for line in status if line[:6] in ("SigPnd", "ShdPnd")]
        if not any(mask & bit for mask in pending):
            time.sleep(0.05)  # the C handler ran; let Python's run too
            return
        time.sleep(0.01)
    pytest.fail(f"signal {signum} never delivered to {pid}")


def documents(folder: Path) -> int:
    return len(list(folder.glob("*.docx")))


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def gone_within(folder: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not ours(folder):
            return True
        time.sleep(0.05)
    return False


def cleanup(process: subprocess.Popen[bytes], folder: Path) -> None:
    for pid in ours(folder):
        os.kill(pid, signal.SIGKILL)
    process.communicate()


@pytest.mark.parametrize(
    ("how", "code", "message"),
    [
        (
            signal.SIGTERM,
            143,
            "Đã dừng theo yêu cầu (tín hiệu SIGTERM). Không có tệp nào bị ghi dở: mỗi tệp hoặc "
            "đã tạo xong, hoặc chưa được tạo.",
        ),
        (
            signal.SIGINT,
            130,
            "Đã dừng theo yêu cầu (Ctrl+C). Không có tệp nào bị ghi dở: mỗi tệp hoặc đã tạo "
            "xong, hoặc chưa được tạo.",
        ),
    ],
)
def test_a_stopped_batch_starts_no_new_report_and_leaves_nothing(
    tmp_path: Path, how: signal.Signals, code: int, message: str
) -> None:
    """The signal to the parent alone (`kill PID`); the workers end after the report they hold."""
    process = started(tmp_path)
    try:
        workers = forked_children(process.pid)
        assert len(workers) == 2
        before = documents(tmp_path)
        process.send_signal(how)
        out, err = process.communicate(timeout=5)
    finally:
        cleanup(process, tmp_path)
    after = documents(tmp_path)
    assert process.returncode == code, err.decode()
    assert err.decode("utf-8").strip().splitlines()[-1] == message
    # Each worker finishes the report it renders and the one it writes: 4. A listing made
    # while files are renamed may miss some of them (readdir), hence a little slack; before,
    # some 250 more reports were made at -j 2.
    assert after - before <= 2 * 2 + 4
    assert after < REPORTS
    assert not ours(tmp_path)  # no worker left running
    assert not temporaries(tmp_path)
    time.sleep(0.5)
    assert documents(tmp_path) == after  # nothing more is written
    reported = out.decode("utf-8").splitlines()
    assert len(reported) == after - 1  # every document written is reported (the first was read)
    for line in reported:
        assert "Nội dung./." in Docx(Path(line.removeprefix("Đã tạo ")).read_bytes()).text


def test_sigterm_stops_a_batch_in_one_process_too(tmp_path: Path) -> None:
    """Python's default for SIGTERM ended the process at once, with no message (exit -15)."""
    process = started(tmp_path, jobs="1")
    try:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=5)
    finally:
        cleanup(process, tmp_path)
    assert process.returncode == 143
    assert err.decode("utf-8").strip().startswith("Đã dừng theo yêu cầu (tín hiệu SIGTERM).")
    assert not temporaries(tmp_path)
    reported = len(out.splitlines()) + 1  # the first line was read
    # + at most the two writes already handed to the writer thread, finished before the exit
    assert reported <= documents(tmp_path) <= reported + 2 < REPORTS
    for docx in tmp_path.glob("*.docx"):
        assert "Nội dung./." in Docx(docx.read_bytes()).text


def test_a_killed_batch_takes_its_workers_with_it(tmp_path: Path) -> None:
    """SIGKILL to the parent (no handler can run): Linux's parent-death signal ends the workers."""
    process = started(tmp_path)
    try:
        assert len(forked_children(process.pid)) == 2
        process.kill()
        assert gone_within(tmp_path, 5)
        settled = documents(tmp_path)
        time.sleep(0.5)
        assert documents(tmp_path) == settled < REPORTS
    finally:
        cleanup(process, tmp_path)
    # A worker killed mid-write leaves its temporary file; the next run in the folder removes
    # it once it is older than a write can take (the time is moved back, not waited for).
    left = [tmp_path / name for name in temporaries(tmp_path)]
    for path in left:
        os.utime(path, (time.time() - 2 * STALE_AFTER,) * 2)
    rerun = subprocess.run([*RENDER, str(tmp_path), "-j", "2"], capture_output=True, timeout=120)
    assert rerun.returncode == 0
    assert not temporaries(tmp_path) and documents(tmp_path) == REPORTS


def test_a_worker_killed_mid_batch_costs_only_the_reports_it_held(tmp_path: Path) -> None:
    """The OOM killer's SIGKILL to one worker: its reports are error lines, the batch goes on."""
    process = started(tmp_path)
    try:
        victim = forked_children(process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        out, err = process.communicate(timeout=60)
    finally:
        cleanup(process, tmp_path)
    lines = out.decode("utf-8").splitlines()
    failed = [line for line in lines if line.startswith("Lỗi, chưa tạo tệp .docx: ")]
    assert 1 <= len(failed) <= 2  # the report it rendered, perhaps the one it was writing
    assert (
        lines[-1]
        == f"Đã tạo {REPORTS - len(failed)}/{REPORTS} tệp .docx; {len(failed)} tệp có lỗi."
    )
    assert process.returncode == 1
    for line in failed:
        path = line.removeprefix("Lỗi, chưa tạo tệp .docx: ")
        assert (
            f"{path}: tiến trình đang tạo báo cáo này bị dừng đột ngột (SIGKILL; thường do máy "
            "hết bộ nhớ); chưa tạo tệp .docx của nó, các tệp khác vẫn được tạo."
        ) in err.decode("utf-8")
    assert documents(tmp_path) >= REPORTS - len(failed)
    assert not temporaries(tmp_path)  # the dead worker's half-written file is removed
    assert not ours(tmp_path)


def test_stale_temporaries_are_removed_only_when_surely_abandoned(tmp_path: Path) -> None:
    """Our own name, a dead writer and a minute's age: all three, or the file stays."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    gone, alive = int(dead.stdout), os.getpid()
    old = time.time() - 2 * STALE_AFTER
    names = {
        f".so-a.{gone}.k2j3h4g5.tmp": old,  # a killed run's: removed
        f".so-b.{alive}.abcdefgh.tmp": old,  # a live process's: kept
        f".so-c.{gone}.zzzzzzzz.tmp": time.time(),  # just written (another machine?): kept
        ".ghi-chu.tmp": old,  # the clerk's own file: kept
        f"so-d.{gone}.k2j3h4g5.tmp": old,  # not hidden, not our name: kept
    }
    for name, when in names.items():
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (when, when))
    assert clean_stale(tmp_path) == [tmp_path / f".so-a.{gone}.k2j3h4g5.tmp"]
    assert sorted(temporaries(tmp_path)) == sorted(list(names)[1:])


def test_a_second_ctrl_c_does_not_wait_for_the_workers(tmp_path: Path) -> None:
    """The first Ctrl+C lets each worker finish its report; the second kills them at once.

    Two reports of 49 MB each take a worker well over a second (17 MB took half a second
    once loading and rendering got faster, and the batch could end before the signals);
    the second signal comes once the first is delivered, so nothing is written and the
    batch ends at once.
    """
    from tests.conftest import MINIMAL

    paragraphs = "".join(f"  - Đoạn {i} " + "chữ " * 200 + "\n" for i in range(40000))
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            MINIMAL.replace("  - Nội dung.\n", paragraphs), encoding="utf-8"
        )
    process = subprocess.Popen(
        [*RENDER, str(tmp_path), "--jobs", "2", "--toi-da", "64"],
        preexec_fn=sigint_as_at_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while len(forked_children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # both workers are inside their report
        process.send_signal(signal.SIGINT)
        delivered(process.pid, signal.SIGINT)  # two pending signals would make one
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=5)
    finally:
        cleanup(process, tmp_path)
    assert process.returncode == 130
    assert err.decode("utf-8").strip().splitlines()[-1].startswith("Đã dừng theo yêu cầu (Ctrl+C).")
    assert not ours(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]
