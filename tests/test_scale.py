"""The service across processes and instances: `--workers N` on one port, two instances side by side.

Each test starts the real `baocao serve` on loopback ports and checks every answer
against its own request (a trích yếu no other request has), so a mix-up between
processes or instances shows as a wrong document, not as a count.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

from tests.conftest import MINIMAL, with_changes
from tests.docx_facts import Docx
from tests.test_service import (
    all_gone,
    call,
    descendants,
    form,
    needs_proc,
    scratch_folders,
    send,
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


# -- One job pool shared by every HTTP process (issue 20) -----------------------------------


def job_processes(server: int) -> list[int]:
    """The job processes below ``server``: forked by the forkserver, so the same command."""
    below = descendants(server)
    return [
        pid
        for pid, line in below.items()
        if "forkserver" in line and "forkserver" in below.get(parent_of(pid), "")
    ]


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def owner(connection: http.client.HTTPConnection, port: int, candidates: list[int]) -> int:
    """Which of ``candidates`` (HTTP processes) holds the server's end of ``connection``.

    The kernel's table of TCP sockets gives the inode of the accepted socket whose peer
    is this client's port; the process with that inode among its files accepted it.
    """
    assert connection.sock is not None
    mine = connection.sock.getsockname()[1]
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1].split(":")[1], fields[2].split(":")[1]
        if int(local, 16) == port and int(remote, 16) == mine:
            inodes.add(f"socket:[{fields[9]}]")
    for pid in candidates:
        for handle in Path(f"/proc/{pid}/fd").iterdir():
            with suppress(OSError):
                if os.readlink(handle) in inodes:
                    return pid
    raise AssertionError(f"no HTTP process holds the connection from port {mine}")


def pinned(base: str, server: int) -> dict[int, http.client.HTTPConnection]:
    """A kept-alive connection held by each HTTP process of ``server`` (opened until each
    has one), by the pid of the process that holds it."""
    port = int(base.rsplit(":", 1)[1])
    workers = http_processes(server)
    held: dict[int, http.client.HTTPConnection] = {}
    for _ in range(200):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/health")
        assert connection.getresponse().read()
        pid = owner(connection, port, workers)
        if pid in held:
            connection.close()
        else:
            held[pid] = connection
        if len(held) == len(workers):
            return held
    raise AssertionError("the connections all went to one HTTP process")


def post(connection: http.client.HTTPConnection, number: int) -> tuple[int, str]:
    """Render report ``number`` on a kept-alive connection: the status and the .docx's text."""
    _, body = report(number)
    connection.request("POST", "/render", body=body, headers={"Content-Type": "application/yaml"})
    answer = connection.getresponse()
    data = answer.read()
    return answer.status, Docx(data).text if answer.status == 200 else data.decode()


def jobs_folders(folder: Path) -> set[Path]:
    """The job pools' socket folders (each removed when its server stops)."""
    return set(folder.glob("baocao-jobs-*"))


@needs_proc
def test_two_http_processes_share_one_job_process(tmp_path: Path) -> None:
    """Jobs, not connections, are shared: with --dong-thoi 1 one job process renders
    for both HTTP processes (each used to have its own), whichever holds the connection."""
    options = ("--workers", "2", "--dong-thoi", "1")
    with server_process(*options, env={"TMPDIR": str(tmp_path)}) as (base, server):
        (job,) = job_processes(server.pid)  # one for the whole service, not one per process
        assert len(scratch_folders(tmp_path)) == 1
        held = pinned(base, server.pid)
        assert len(held) == 2
        number = 0
        for connection in held.values():
            before = cpu_ticks(job)
            for _ in range(15):  # enough CPU to show in the clock ticks of /proc
                number += 1
                status, text = post(connection, number)
                assert status == 200 and report(number)[0] in text, text[:200]
            assert cpu_ticks(job) > before  # the one job process rendered them
            connection.close()
        assert job_processes(server.pid) == [job]


@needs_proc
def test_a_job_past_its_time_is_killed_and_replaced_in_the_shared_pool(tmp_path: Path) -> None:
    """One job process for two HTTP processes: the one killed past the time limit is
    replaced, and both HTTP processes' connections are answered by the new one."""
    import baocao

    body = "".join(f'  - "Đoạn **số {n}** của *báo cáo* dài."\n' for n in range(4000))
    long = baocao.render(baocao.validate(baocao.load(MINIMAL.replace("  - Nội dung.\n", body))))
    before = scratch_folders(tmp_path)
    options = ("--workers", "2", "--dong-thoi", "1", "--thoi-gian", "1")
    with server_process(*options, env={"TMPDIR": str(tmp_path)}) as (base, server):
        (first,) = job_processes(server.pid)
        held = pinned(base, server.pid)
        status, _, answer = send(base + "/import", *form(long))  # reading it takes seconds
        assert status == 504 and json.loads(answer)["error"]["code"] == "timeout"
        assert all_gone([first], within=5)
        for number, connection in enumerate(held.values()):
            status, text = post(connection, number)  # waits for the new one to be warm
            assert status == 200 and report(number)[0] in text, text[:200]
        (second,) = job_processes(server.pid)
        assert second != first
        assert len(scratch_folders(tmp_path) - before) == 1  # the killed one's is removed
        for connection in held.values():
            connection.close()
        below = descendants(server.pid)
    assert all_gone(below, within=10)
    assert scratch_folders(tmp_path) - before == set()
    assert jobs_folders(tmp_path) == set()


@needs_proc
def test_a_killed_server_leaves_no_job_process_and_no_folder(tmp_path: Path) -> None:
    """SIGKILL: the shared job processes see the server gone, stop, and remove the folders."""
    options = ("--workers", "2", "--dong-thoi", "2")
    with server_process(*options, env={"TMPDIR": str(tmp_path)}) as (base, server):
        assert call(base + "/render", MINIMAL.encode())[0] == 200
        jobs = job_processes(server.pid)
        assert len(jobs) == 2 and len(jobs_folders(tmp_path)) == 1
        below = descendants(server.pid)
        os.kill(server.pid, signal.SIGKILL)
        assert all_gone([*below, *jobs], within=15)
    assert scratch_folders(tmp_path) == set()
    assert jobs_folders(tmp_path) == set()


@needs_proc
def test_a_job_process_that_dies_mid_job_gives_a_500_and_is_replaced(tmp_path: Path) -> None:
    """A job process killed from outside (as by the OOM killer) during a job: that request
    gets a clean 500, the pool starts another, and both HTTP processes keep being answered."""
    import threading
    import time

    import baocao

    body = "".join(f'  - "Đoạn **số {n}** của *báo cáo* dài."\n' for n in range(4000))
    long = baocao.render(baocao.validate(baocao.load(MINIMAL.replace("  - Nội dung.\n", body))))
    options = ("--workers", "2", "--dong-thoi", "1", "--thoi-gian", "60")
    with server_process(*options, env={"TMPDIR": str(tmp_path)}) as (base, server):
        (first,) = job_processes(server.pid)
        held = pinned(base, server.pid)
        outcome: dict[str, tuple[int, dict[str, str], bytes]] = {}
        reading = threading.Thread(
            target=lambda: outcome.setdefault("import", send(base + "/import", *form(long)))
        )
        before = cpu_ticks(first)
        reading.start()
        deadline = time.monotonic() + 30
        while cpu_ticks(first) < before + 20:  # 0.2 s of CPU into the job
            assert time.monotonic() < deadline and reading.is_alive()
            time.sleep(0.02)
        os.kill(first, signal.SIGKILL)  # the process alone, as the OOM killer does
        reading.join(30)
        status, _, answer = outcome["import"]
        assert status == 500 and json.loads(answer)["error"]["code"] == "internal"
        for number, connection in enumerate(held.values()):
            status, text = post(connection, number)
            assert status == 200 and report(number)[0] in text, text[:200]
            connection.close()
        (second,) = job_processes(server.pid)
        assert second != first


def test_without_unix_sockets_serve_says_so_in_the_clerks_language(monkeypatch: Any) -> None:
    """The job pool listens on a Unix socket; a system without them (Windows) gets a sentence,
    not a traceback, and nothing is started."""
    import socket

    from click.testing import CliRunner

    from baocao.cli import cli

    monkeypatch.delattr(socket, "AF_UNIX")
    for lang, words in (("vi", "socket Unix"), ("en", "Unix sockets")):
        result = CliRunner().invoke(cli, ["--lang", lang, "serve", "--port", "1"])
        assert result.exit_code == 1, result.output
        assert words in result.output
        assert "Traceback" not in result.output
