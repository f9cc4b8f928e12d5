"""The service across processes and instances: `--workers N` on one port, two instances side by side.

Each test starts the real `baocao serve` on loopback ports and checks every answer
against its own request (a trích yếu no other request has), so a mix-up between
processes or instances shows as a wrong document, not as a count.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.conftest import MINIMAL, with_changes
from tests.docx_facts import Docx
from tests.test_service import (
    all_gone,
    call,
    descendants,
    needs_proc,
    scratch_folders,
    server_process,
)


def report(number: int) -> tuple[str, bytes]:
    """A report whose trích yếu names ``number`` (and only it), and that text."""
    summary = f"Báo cáo riêng số {number:04d} của yêu cầu này"
    return summary, with_changes(MINIMAL, trich_yeu=summary).encode()


def render_each(bases: list[str], count: int, clients: int) -> list[tuple[str, int, str]]:
    """POST ``count`` distinct reports over ``bases`` in turn, ``clients`` at once.

    Gives, for each, the trích yếu sent, the status and the text of the .docx answered.
    """

    def one(number: int) -> tuple[str, int, str]:
        summary, body = report(number)
        status, _, answer = call(bases[number % len(bases)] + "/render", body)
        return summary, status, Docx(answer).text if status == 200 else answer.decode()

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(count)))


def http_processes(server: int) -> list[int]:
    """The HTTP processes uvicorn started below ``server`` (spawned, each with its job workers)."""
    below = descendants(server)
    return [
        pid
        for pid, line in below.items()
        if "spawn_main" in line and int(Path(f"/proc/{pid}/stat").read_text().split()[3]) == server
    ]


@needs_proc
def test_two_http_processes_share_one_port_and_stop_with_the_server(tmp_path: Path) -> None:
    before = scratch_folders(tmp_path)
    options = ("--workers", "2", "--dong-thoi", "2")
    with server_process(*options, env={"TMPDIR": str(tmp_path)}) as (base, server):
        workers = http_processes(server.pid)
        assert len(workers) == 2  # two processes answer on the one port
        assert len(scratch_folders(tmp_path) - before) == 2  # --dong-thoi 2 shared: one job each
        for summary, status, text in render_each([base], 60, 8):
            assert status == 200 and summary in text, (summary, text[:200])
            assert text.count("Báo cáo riêng số") == 1  # its own trích yếu, no other
        below = descendants(server.pid)
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0  # a clean stop, not a crash
        assert all_gone(below, within=10)  # HTTP processes, job workers, forkservers
    assert scratch_folders(tmp_path) - before == set()


@needs_proc
def test_http_processes_end_when_the_server_is_killed(tmp_path: Path) -> None:
    """SIGKILL runs no clean-up in the server: its HTTP processes see it gone and stop."""
    before = scratch_folders(tmp_path)
    options = ("--workers", "2", "--dong-thoi", "2")
    with server_process(*options, env={"TMPDIR": str(tmp_path)}) as (base, server):
        assert call(base + "/render", MINIMAL.encode())[0] == 200
        below = descendants(server.pid)
        assert len(http_processes(server.pid)) == 2
        os.kill(server.pid, signal.SIGKILL)
        assert all_gone(below, within=15)  # no orphan keeps the port or the CPU
    assert scratch_folders(tmp_path) - before == set()


def test_two_instances_share_200_requests_without_a_mix_up() -> None:
    """Stateless: two instances on two ports (as behind a load balancer), 200 requests at once."""
    options = ("--workers", "1", "--dong-thoi", "2")
    with server_process(*options) as (first, _), server_process(*options) as (second, _):
        assert first != second
        answers = render_each([first, second], 200, 16)
    assert len(answers) == 200
    for summary, status, text in answers:
        assert status == 200 and summary in text, (summary, text[:200])
        assert text.count("Báo cáo riêng số") == 1


@needs_proc
def test_by_default_each_http_process_renders_one_report_at_a_time(tmp_path: Path) -> None:
    """Without --dong-thoi a worker is one HTTP process and one job process: one core's work.

    So N workers scale with N cores: before, one HTTP process had four job processes and
    already filled both cores of a 2-core machine, and a second one added nothing.
    """
    for workers in (1, 2):
        folder = tmp_path / str(workers)
        folder.mkdir()
        before = scratch_folders(folder)
        options = ("--workers", str(workers))
        with server_process(*options, env={"TMPDIR": str(folder)}) as (base, server):
            if workers > 1:
                assert len(http_processes(server.pid)) == workers
            assert len(scratch_folders(folder) - before) == workers  # one job process each
            for summary, status, text in render_each([base], 20, 4):
                assert status == 200 and summary in text, (summary, text[:200])
        assert scratch_folders(folder) - before == set()
