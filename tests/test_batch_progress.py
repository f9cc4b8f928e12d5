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
