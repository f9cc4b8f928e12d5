"""A batch's progress bar is redrawn a few times a second, not once per report."""

from __future__ import annotations

from pathlib import Path

from baocao.cli import _Redraw
from tests.conftest import MINIMAL
from tests.procs import at_a_terminal


def test_a_redraw_is_due_at_most_once_per_interval_and_always_at_the_end() -> None:
    now = [0.0]
    redraw = _Redraw(0.1, lambda: now[0])
    seen = []
    for moment in (0.0, 0.02, 0.05, 0.09, 0.1, 0.15, 0.31, 0.32):
        now[0] = moment
        seen.append(redraw.due())
    assert seen == [True, False, False, False, True, False, True, False]
    now[0] = 0.33
    assert redraw.due(last=True)  # the last report is drawn however soon it comes


def test_a_terminal_bar_is_not_redrawn_for_every_report(tmp_path: Path) -> None:
    """Under a real pseudo-terminal, 30 reports with the interval made long: the bar is
    drawn for the first report and the last, not 30 times (each redraw costs the parent
    CPU that two workers on two cores need)."""
    for index in range(30):
        (tmp_path / f"bc-{index:02}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung số {index}."), encoding="utf-8"
        )
    script = (
        "import baocao.cli as cli\n"
        "cli.REDRAW_EVERY = 10**6\n"  # only the first and the last are due
        "cli.main()\n"
    )
    text = at_a_terminal(script, "render", str(tmp_path), "--jobs", "2", timeout=120)
    assert "Đã tạo 30/30 tệp .docx; 0 tệp có lỗi." in text
    drawn = text.count("Đang tạo báo cáo")
    assert 1 <= drawn <= 4, drawn  # at start, first report, last report, rich's final draw
    assert len(list(tmp_path.glob("*.docx"))) == 30


def test_into_a_pipe_no_bar_is_built_and_each_report_is_a_line(tmp_path: Path) -> None:
    """A log file or a pipe gets plain lines; the bar's library (a sixth of the batch
    command's start) is not even imported, so ``-j 1`` and ``-j 2`` both start sooner."""
    import os
    import subprocess
    import sys

    for index in range(3):
        (tmp_path / f"bc-{index}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung số {index}."), encoding="utf-8"
        )
    script = "import atexit, sys, baocao.cli as cli\n"  # atexit: the script leaves without teardown
    script += "atexit.register(lambda: print('rich' in sys.modules, file=sys.stderr))\n"
    script += "cli.main()\n"
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run(
        [sys.executable, "-c", script, "render", str(tmp_path), "--jobs", "2"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    lines = done.stdout.decode("utf-8").splitlines()
    assert sorted(lines[:3]) == [f"Đã tạo {tmp_path / f'bc-{i}.docx'}" for i in range(3)]
    assert lines[-1] == "Đã tạo 3/3 tệp .docx; 0 tệp có lỗi."
    assert done.stderr.decode().splitlines()[-1] == "False"  # rich was never imported
    env["FORCE_COLOR"] = "1"  # as rich reads it: a terminal, so the bar is drawn
    forced = subprocess.run(
        [sys.executable, "-c", script, "render", str(tmp_path), "--jobs", "2", "--ghi-de"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert forced.stderr.decode().splitlines()[-1].endswith("True")  # after the bar's erasing
