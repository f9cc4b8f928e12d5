"""Stage 6, convert, kept warm: one LibreOffice left running for many PDFs, through unoserver.

Starting LibreOffice costs one to two seconds a run; a PDF through a running one
about a tenth of a second. unoserver (a maintained package) starts LibreOffice
with its listener and converts over XML-RPC. Its server must run under a Python
that has LibreOffice's ``uno`` module (Debian: python3-uno, for /usr/bin/python3;
official LibreOffice builds: their own program/python), so ours talks XML-RPC
only and needs no ``uno``. unoserver's own client is not used: it has no time
limit and retries a refused connection with ten-second sleeps, where a dead or
hung LibreOffice must be noticed at once. Its server is started through
``resident_server`` (``SERVER``), which has it load each document hidden
rather than as if to show it: a quarter less time a PDF, the same PDF.

Each converter has a private profile and ports of its own, runs in a process
group of its own, and is killed whole and started afresh when it dies or hangs.
When none can be had (no ``uno``, no unoserver), callers fall back to the
one-shot ``convert.pdfs``: a PDF is never refused for it.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path
from types import TracebackType

from baocao.errors import ConvertError

UNO_PYTHON_VARIABLE = "BAOCAO_UNO_PYTHON"
"""A Python that can ``import uno``, where it is not /usr/bin/python3 or LibreOffice's own."""

START_TIMEOUT = 60.0
"""Seconds LibreOffice and unoserver may take to answer after a start (unoserver waits 5)."""

DOCUMENT_TIMEOUT = 120.0
"""Seconds one PDF may take before LibreOffice is taken for hung, killed and started again."""

SERVER = Path(__file__).with_name("resident_server.py")
"""What the uno Python runs: unoserver's server, documents loaded hidden (run as a module)."""

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """No resident converter can be had here; the reason says why (for the log)."""


def uno_python() -> str:
    """The Python to run unoserver's server with: it must have LibreOffice's ``uno``."""
    named = os.environ.get(UNO_PYTHON_VARIABLE)
    if named:
        return named
    from baocao.convert import soffice

    bundled = Path(soffice()).resolve().parent / "python"  # official builds ship their own
    for candidate in (bundled, Path("/usr/bin/python3")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise Unavailable(f"no Python with LibreOffice's uno module; set {UNO_PYTHON_VARIABLE}")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for each in sockets:
            each.bind(("127.0.0.1", 0))
        return [int(each.getsockname()[1]) for each in sockets]
    finally:
        for each in sockets:
            each.close()


class _Transport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a time limit on every socket operation."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class Converter:
    """One resident LibreOffice (under unoserver), started on first use, restarted when it fails.

    ``convert`` turns a .docx into a PDF; LibreOffice that died (connection
    refused or reset) or hung (no answer within ``timeout``) is killed with its
    process group and started again, and the document is tried once more.
    """

    def __init__(
        self, *, timeout: float = DOCUMENT_TIMEOUT, start_timeout: float = START_TIMEOUT
    ) -> None:
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.scratch: Path | None = None
        """This start's folder: the profile, LibreOffice's temporary files, unoserver's path."""
        self.port = 0
        """unoserver's XML-RPC port."""
        self.uno_port = 0
        """LibreOffice's own listener (UNO), which unoserver talks to."""
        self.starts = 0
        """How many times LibreOffice was started (restarts included)."""

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start LibreOffice under unoserver and wait until it answers; ``Unavailable`` if not."""
        self.stop()
        python = uno_python()
        spec = importlib.util.find_spec("unoserver")
        if spec is None or spec.origin is None:
            raise Unavailable("the unoserver package is not installed")
        from baocao.convert import soffice

        program = soffice()
        self.scratch = Path(tempfile.mkdtemp(prefix="baocao-lo-"))
        # the uno Python sees unoserver and our launcher, nothing else of this environment
        path = self.scratch / "path"
        path.mkdir()
        package = Path(spec.origin).parent
        try:
            (path / "unoserver").symlink_to(package, target_is_directory=True)
            for metadata in package.parent.glob("unoserver-*.dist-info"):
                (path / metadata.name).symlink_to(metadata, target_is_directory=True)
            (path / SERVER.name).symlink_to(SERVER)
        except OSError as err:
            raise Unavailable(f"cannot link unoserver: {err}") from err
        self.port, self.uno_port = _free_ports(2)
        command = [
            python,
            "-s",
            "-m",
            SERVER.stem,  # unoserver.server, its documents loaded hidden
            "--interface=127.0.0.1",
            f"--port={self.port}",
            "--uno-interface=127.0.0.1",
            f"--uno-port={self.uno_port}",
            f"--user-installation={self.scratch / 'profile'}",
            f"--executable={program}",
            "--quiet",
        ]
        scratch = str(self.scratch)
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # a group of its own, killed whole
                env={**os.environ, "PYTHONPATH": str(path), "TMPDIR": scratch, "TMP": scratch},
            )
        except OSError as err:
            raise Unavailable(f"{python}: {err.strerror or err}") from err
        self.starts += 1
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if not self.running():
                self.stop()
                raise Unavailable(f"unoserver under {python} ended at start (no uno module?)")
            if self._answers(2):
                return
            time.sleep(0.1)
        self.stop()
        raise Unavailable(f"LibreOffice did not answer within {self.start_timeout:g} s")

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self.port}", transport=_Transport(timeout), allow_none=True
        )

    def _answers(self, timeout: float = 5) -> bool:
        """Tell whether unoserver and the LibreOffice behind it answer (``info``) in time."""
        try:
            self._proxy(timeout).info()
        except (OSError, http.client.HTTPException, xmlrpc.client.Error):
            return False
        return True

    def convert(self, document: Path, target: Path) -> None:
        """Write ``target``, the PDF of ``document`` (both paths on this machine).

        ``pdf_not_converted`` when a running LibreOffice cannot convert the
        document; ``Unavailable`` when LibreOffice cannot be (re)started.
        """
        for _ in range(2):  # a restart, then once more
            if not self.running():
                self.start()
            try:
                self._proxy(self.timeout).convert(
                    str(document.resolve()),  # same machine: unoserver reads and writes the files
                    None,
                    str(target.resolve()),
                    "pdf",
                    None,
                    [],
                    False,  # fields and indexes as the .docx has them, as --convert-to does
                    None,
                )
                return
            except xmlrpc.client.Fault as fault:
                if self._answers():  # alive: it is this document that fails
                    log.warning("LibreOffice could not convert %s: %s", document, fault)
                    raise ConvertError("pdf_not_converted", path=str(document)) from fault
            except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError) as err:
                log.warning("LibreOffice died or hung (%s); starting it again", err)
            self.stop()
        raise ConvertError("pdf_not_converted", path=str(document))

    def stop(self) -> None:
        """Kill unoserver and LibreOffice (its whole group) and remove their folder."""
        if self.process is not None:
            if hasattr(os, "killpg"):
                with contextlib.suppress(OSError):
                    os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)
            self.process = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    close = stop


class _Shared:
    """This process's converter, started in the background on first demand."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.converter: Converter | None = None
        self.ready = threading.Event()
        self.failed = False

    def get(self) -> Converter | None:
        with self.lock:
            if self.converter is None and not self.failed:
                self.converter = Converter()
                threading.Thread(target=self._start, daemon=True, name="baocao-lo").start()
        return self.converter if self.ready.is_set() and not self.failed else None

    def _start(self) -> None:
        assert self.converter is not None
        try:
            self.converter.start()
        except (Unavailable, ConvertError) as reason:
            self.give_up(str(reason))
            return
        self.ready.set()

    def give_up(self, reason: str) -> None:
        """No resident LibreOffice in this process from now on: one-shot PDFs, said in the log."""
        from baocao.convert import note_unavailable

        self.failed = True
        if self.converter is not None:
            self.converter.close()
        note_unavailable(reason, "en")  # the server's log


_shared = _Shared()


def shared() -> Converter | None:
    """This process's resident converter once it is ready; None before, or when it cannot be had.

    The first call starts it in the background (a few seconds): until then the
    caller converts one-shot, as it would without it.
    """
    return _shared.get()


def give_up(reason: str) -> None:
    """Stop using this process's resident converter: it could not be started again.

    Otherwise every later PDF would wait for another failed start first.
    """
    _shared.give_up(reason)
