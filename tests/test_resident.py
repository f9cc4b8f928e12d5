"""A resident LibreOffice (unoserver) with the real LibreOffice: reused, restarted, never left running.

Each test reads the PDFs back with pdftotext (each report's own trích yếu), and
finds LibreOffice's processes in /proc by the converter's private folder.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path

import pytest

import baocao
from baocao.convert import pdfs
from baocao.resident import SERVER, Converter, uno_python
from tests.conftest import MINIMAL, with_changes
from tests.procs import processes
from tests.test_pdf import needs_libreoffice, pdf_text
from tests.test_service import all_gone, call, descendants, server_process

HAVE_UNO = (
    Path("/usr/bin/python3").is_file()
    and subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode
    == 0
)
needs_uno = pytest.mark.skipif(
    not HAVE_UNO and os.environ.get("CI") != "true",
    reason="python3-uno is not installed (.ci/run installs it; CI never skips this)",
)
pytestmark = [needs_libreoffice, needs_uno]


def summary(number: int) -> str:
    return f"Báo cáo thường trú số {number:03d}"


def documents(folder: Path, count: int) -> list[Path]:
    """``count`` .docx reports, each with its own trích yếu."""
    made = []
    for number in range(count):
        text = with_changes(MINIMAL, trich_yeu=summary(number))
        path = folder / f"bc-{number}.docx"
        path.write_bytes(baocao.render(baocao.validate(baocao.load(text))))
        made.append(path)
    return made


def office(converter: Converter) -> list[int]:
    """The soffice.bin of ``converter`` (found by its private folder), alive."""
    assert converter.scratch is not None
    mark = str(converter.scratch).encode()
    return [
        p.pid
        for p in processes()
        if p.state != "Z" and b"soffice.bin" in p.command and mark in p.command
    ]


def everything_of(converter: Converter) -> list[int]:
    """unoserver and every LibreOffice process of ``converter``."""
    assert converter.process is not None
    return [converter.process.pid, *descendants(converter.process.pid)]


def assert_pdfs(results: list[Path | baocao.BaocaoError], count: int) -> None:
    assert len(results) == count
    for number, result in enumerate(results):
        assert isinstance(result, Path), result
        assert summary(number) in " ".join(pdf_text(result).split())


@pytest.fixture
def converter() -> Iterator[Converter]:
    """A converter, closed after the test; nothing of it may be left running."""
    resident = Converter(timeout=20)
    started: list[int] = []
    try:
        yield resident
        if resident.running():
            started = everything_of(resident)
    finally:
        resident.close()
    assert all_gone(started, within=5)
    assert resident.scratch is None


def test_one_resident_libreoffice_converts_several_files(
    converter: Converter, tmp_path: Path
) -> None:
    docs = documents(tmp_path, 5)
    converter.start()
    (first,) = office(converter)
    assert_pdfs(pdfs(docs, [d.with_suffix(".pdf") for d in docs], converter=converter), 5)
    assert office(converter) == [first] and converter.starts == 1  # the same LibreOffice for all


LOADS = """\
import sys, uno, unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.document import XDocumentEventListener

local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
office = resolver.resolve(
    f"uno:socket,host=127.0.0.1,port={sys.argv[1]};urp;StarOffice.ComponentContext"
)

class Loads(unohelper.Base, XDocumentEventListener):
    def documentEventOccured(self, event):
        if event.EventName == "OnLoadFinished":
            hidden = [p.Value for p in event.Source.getArgs() if p.Name == "Hidden"]
            print("hidden" if hidden == [True] else "shown", flush=True)

    def disposing(self, event):
        pass

broadcaster = office.getValueByName("/singletons/com.sun.star.frame.theGlobalEventBroadcaster")
broadcaster.addDocumentEventListener(Loads())
print("ready", flush=True)
for line in sys.stdin:  # a path: load it as unoserver would without us (no Hidden), close it
    desktop = office.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", office)
    read_only = PropertyValue(Name="ReadOnly", Value=True)
    url = uno.systemPathToFileUrl(line.strip())
    desktop.loadComponentFromURL(url, "_default", 0, (read_only,)).close(True)
"""
"""Listens to the LibreOffice on port argv[1]: prints "hidden" or "shown" for every document it
loads; each path read from stdin it loads itself, as unoserver's converter does."""


def test_the_resident_libreoffice_loads_each_document_hidden(
    converter: Converter, tmp_path: Path
) -> None:
    """unoserver loads a document as if to show it; ours loads it hidden (a quarter faster)."""
    docs = documents(tmp_path, 2)
    converter.start()
    with subprocess.Popen(
        [uno_python(), "-c", LOADS, str(converter.uno_port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as listener:
        assert listener.stdout is not None and listener.stdin is not None
        assert listener.stdout.readline() == "ready\n"
        assert_pdfs(pdfs(docs, [d.with_suffix(".pdf") for d in docs], converter=converter), 2)
        listener.stdin.write(f"{docs[0]}\n")  # the check itself: a load without Hidden
        listener.stdin.close()
        seen = listener.stdout.read().split()
        assert listener.wait(30) == 0
    # how each document loaded is checked, not the order its event reached the listener in
    assert sorted(seen) == ["hidden", "hidden", "shown"]


def test_a_killed_libreoffice_is_started_again_and_the_batch_completes(
    converter: Converter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = documents(tmp_path, 6)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))  # where pdfs() keeps its copies
    converter.start()
    (first,) = office(converter)
    results: list[list[Path | baocao.BaocaoError]] = []
    batch = threading.Thread(
        target=lambda: results.append(
            pdfs(docs, [d.with_suffix(".pdf") for d in docs], converter=converter)
        )
    )
    batch.start()
    deadline = time.monotonic() + 60
    while not list(work.glob("baocao-pdf-*/1.pdf")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(work.glob("baocao-pdf-*/1.pdf")), "the batch never reached its second PDF"
    os.kill(first, signal.SIGKILL)  # mid-batch
    batch.join(120)
    assert_pdfs(results[0], 6)
    assert converter.starts == 2 and first not in office(converter)


def test_a_hung_libreoffice_is_timed_out_and_started_again(tmp_path: Path) -> None:
    (doc,) = documents(tmp_path, 1)
    with Converter(timeout=5) as converter:
        converter.start()
        (first,) = office(converter)
        os.kill(first, signal.SIGSTOP)  # alive, answering nothing
        assert_pdfs(pdfs([doc], [doc.with_suffix(".pdf")], converter=converter), 1)
        assert converter.starts == 2
        assert all_gone([first])  # the hung one was killed, not left stopped
        below = everything_of(converter)
    assert all_gone(below, within=5)


def test_without_uno_the_pdfs_are_made_one_shot_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    docs = documents(tmp_path, 2)
    monkeypatch.setenv("BAOCAO_UNO_PYTHON", "/bin/false")  # a Python without uno, in effect
    with caplog.at_level(logging.WARNING), Converter() as converter:
        assert_pdfs(pdfs(docs, [d.with_suffix(".pdf") for d in docs], converter=converter), 2)
    notes = [r.getMessage() for r in caplog.records if "LibreOffice" in r.getMessage()]
    assert notes and "python3-uno" in notes[0] and "PDF" in notes[0]


def test_the_service_converts_every_pdf_through_one_resident_libreoffice(tmp_path: Path) -> None:
    options = ("--workers", "1", "--dong-thoi", "1")
    with server_process(*options, env={"TMPDIR": str(tmp_path)}) as (base, server):

        def pdf(number: int) -> str:
            body = with_changes(MINIMAL, trich_yeu=summary(number)).encode()
            status, _, answer = call(base + "/render?format=pdf", body)
            assert status == 200 and answer.startswith(b"%PDF"), answer[:200]
            (tmp_path / f"{number}.pdf").write_bytes(answer)
            return " ".join(pdf_text(tmp_path / f"{number}.pdf").split())

        assert summary(0) in pdf(0)  # one-shot; starts the worker's resident LibreOffice
        lines = descendants(server.pid)
        (listener,) = [p for p, line in lines.items() if SERVER.stem in line]
        port = re.search(r"--port=(\d+)", lines[listener])
        assert port is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until it answers
            try:
                xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port[1]}").info()
                break
            except OSError:
                time.sleep(0.2)
        (soffice,) = [p for p, line in descendants(listener).items() if "soffice.bin" in line]
        # the worker takes it into use at its own next look, which may come after ours:
        # until then a PDF is still made one-shot (by another soffice)
        warm = 100
        while True:
            before = cpu(soffice)
            assert summary(warm) in pdf(warm)
            if cpu(soffice) > before:
                break
            assert time.monotonic() < deadline, "the resident LibreOffice never made a PDF"
            warm += 1
        for number in (1, 2, 3):
            before = cpu(soffice)
            assert summary(number) in pdf(number)
            assert cpu(soffice) > before  # this LibreOffice made it
        assert [p for p, line in descendants(server.pid).items() if "soffice.bin" in line] == [
            soffice
        ]  # the same one throughout, and no other
        below = descendants(server.pid)
    assert all_gone(below, within=10)  # stopped with the service


def cpu(pid: int) -> int:
    """Clock ticks ``pid`` has run (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_a_folder_of_40_reports_goes_through_one_resident_libreoffice(tmp_path: Path) -> None:
    """`baocao render folder/ --pdf`: from RESIDENT_FROM reports, one LibreOffice kept running."""
    from click.testing import CliRunner

    from baocao.cli import make_cli
    from baocao.convert import RESIDENT_FROM

    count = RESIDENT_FROM
    for number in range(count):
        text = with_changes(MINIMAL, trich_yeu=summary(number))
        (tmp_path / f"bc-{number:02d}.yaml").write_text(text, encoding="utf-8")
    seen: set[int] = set()
    done = threading.Event()

    def watch() -> None:  # the converters this process starts
        while not done.is_set():
            seen.update(
                p.pid
                for p in processes()
                if p.parent == os.getpid() and SERVER.stem.encode() in p.command
            )
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = CliRunner().invoke(make_cli("vi"), ["render", str(tmp_path), "--pdf"])
    finally:
        done.set()
        watcher.join()
    assert result.exit_code == 0, result.output
    assert len(seen) == 1  # one resident LibreOffice for the whole folder
    for number in range(count):
        pdf = tmp_path / f"bc-{number:02d}.pdf"
        assert summary(number) in " ".join(pdf_text(pdf).split())
    assert all_gone(seen)


def test_a_process_that_gave_up_its_resident_libreoffice_starts_no_other(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A resident LibreOffice that cannot start again is given up: later PDFs go one-shot at
    once rather than each waiting for another failed start."""
    from baocao.resident import _Shared

    shared = _Shared()
    shared.converter = Converter()
    shared.converter.start()
    started = everything_of(shared.converter)
    with caplog.at_level(logging.WARNING):
        shared.give_up("could not start again")
    assert all_gone(started, within=5)  # the one it had is stopped too
    assert shared.get() is None and not shared.converter.running()
    assert "could not start again" in caplog.text and "python3-uno" in caplog.text
