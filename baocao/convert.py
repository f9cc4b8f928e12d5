"""Stage 6, convert: .docx to PDF through LibreOffice, headless, with a profile of its own.

LibreOffice is a separate program (Debian: libreoffice-writer-nogui, with
fonts-liberation2 for Times New Roman's metrics and Vietnamese glyphs). Each
conversion uses its own user profile, so it never collides with a LibreOffice
the clerk has open; many documents go through one LibreOffice process, which
costs about a second to start (``PER_RUN`` at a time). The PDF is written
atomically like the .docx.
LibreOffice runs in a process group of its own, killed whole when it must stop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from baocao import messages
from baocao.errors import BaocaoError, ConvertError
from baocao.output import write

if TYPE_CHECKING:
    from baocao.resident import Converter

log = logging.getLogger(__name__)

TIMEOUT = 300
"""Seconds the LibreOffice runs of one conversion may take before they are stopped."""

PER_RUN = 100
"""Documents given to one LibreOffice run. One run of 300 small reports left 54 of
them unconverted (LibreOffice 7.4 opened none after the 246th); runs of 100 convert all."""

RESIDENT_FROM = 40
"""Documents from which a batch converts through a resident LibreOffice (``resident``)
rather than one-shot runs. It starts in about 5 s (one-shot: 1–2 s), then takes about
0.1 s a PDF, and is restarted when it dies or hangs, where a one-shot run loses the rest
of its documents; a one-shot run of a few documents is over before it has started."""


def soffice() -> str:
    """The LibreOffice program, or a ConvertError saying how to install it."""
    found = (
        os.environ.get("BAOCAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    )
    if not found:
        raise ConvertError("libreoffice_missing")
    return found


def to_pdf(
    documents: Sequence[Path],
    targets: Sequence[Path],
    *,
    overwrite: bool | None = None,
    timeout: float = TIMEOUT,
) -> list[Path]:
    """Convert each .docx in ``documents`` to the PDF path at the same index of ``targets``.

    One LibreOffice process converts them all. Every PDF that converts is
    written; then the first failure, if any, is raised (``pdfs`` gives each).
    """
    written = []
    for result in pdfs(documents, targets, overwrite=overwrite, timeout=timeout):
        if isinstance(result, BaocaoError):
            raise result
        written.append(result)
    return written


def pdfs(
    documents: Sequence[Path],
    targets: Sequence[Path],
    *,
    overwrite: bool | None = None,
    timeout: float = TIMEOUT,
    converter: Converter | None = None,
) -> list[Path | BaocaoError]:
    """Convert as ``to_pdf`` does; give, for each document, the PDF written or its error.

    A document LibreOffice could not open is ``pdf_not_converted``, one it had
    not finished when ``timeout`` ran out is ``pdf_timeout``, and a PDF that
    cannot be written is the write's ``OutputError``; the others are written.
    Only a missing LibreOffice (or one that cannot start) is raised.
    ``converter``, or from ``RESIDENT_FROM`` documents one started here, is a
    resident LibreOffice used for them all; without one, one-shot runs.
    """
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as scratch:
        work = Path(scratch)
        profile = work / "profile"
        inputs = []
        for index, document in enumerate(documents):
            copy = work / f"{index}.docx"  # plain names: LibreOffice names its output after them
            with contextlib.suppress(OSError):  # gone since: that one is not converted
                shutil.copyfile(document, copy)
                inputs.append(copy)
        deadline = time.monotonic() + timeout
        timed_out = False
        if converter is not None or len(inputs) >= RESIDENT_FROM:
            inputs, timed_out = _resident_run(converter, inputs, deadline)
        for start in range(0, len(inputs), PER_RUN):  # one profile, started once per run
            command = [
                program,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                *map(str, inputs[start : start + PER_RUN]),
            ]
            try:
                _run(command, max(deadline - time.monotonic(), 0.001), work)
            except subprocess.TimeoutExpired:
                timed_out = True  # the PDFs finished before it still count
                break
            except OSError as err:
                raise ConvertError("pdf_failed", reason=err.strerror or str(err)) from err
        results: list[Path | BaocaoError] = []
        for index, (document, target) in enumerate(zip(documents, targets, strict=True)):
            pdf = work / f"{index}.pdf"
            if not _whole_pdf(pdf):
                results.append(
                    ConvertError("pdf_timeout", seconds=timeout)
                    if timed_out
                    else ConvertError("pdf_not_converted", path=str(document))
                )
                continue
            try:
                results.append(write(pdf.read_bytes(), target, overwrite=overwrite))
            except BaocaoError as error:
                results.append(error)
        return results


def _resident_run(
    converter: Converter | None, inputs: list[Path], deadline: float
) -> tuple[list[Path], bool]:
    """Convert ``inputs`` (each to the PDF beside it) through a resident LibreOffice.

    Gives what is left for one-shot runs (all of them when no resident
    LibreOffice can be had: never a failure for that), and whether the
    deadline ran out. A document it cannot convert is left without a PDF.
    """
    from baocao.resident import Converter, Unavailable

    own = converter is None
    resident = Converter() if converter is None else converter
    try:
        for done, document in enumerate(inputs):
            if time.monotonic() > deadline:
                return [], True
            try:
                resident.convert(document, document.with_suffix(".pdf"))
            except ConvertError:
                continue  # this one has no PDF: pdf_not_converted
            except Unavailable as reason:
                note_unavailable(str(reason))
                return inputs[done:], False
        return [], False
    finally:
        if own:
            resident.close()


def note_unavailable(reason: str, lang: str = messages.DEFAULT_LANGUAGE) -> None:
    """Say once that PDFs go one-shot because no resident LibreOffice can be had, and why."""
    log.warning("%s", messages.text("pdf_resident_unavailable", lang, reason=reason))


def _run(command: list[str], timeout: float, scratch: Path) -> None:
    """Run LibreOffice in a process group of its own, and end the whole group if it must stop.

    ``soffice`` is a script that starts ``oosplash``, which starts
    ``soffice.bin``: killing only the first (what ``subprocess.run`` does on
    a timeout) leaves the real program running. On a timeout, Ctrl+C or
    SIGTERM, every process of the group is killed before the error goes on.
    Its own temporary files go into ``scratch`` (removed with it): a killed
    LibreOffice leaves none in the system's temporary folder.
    """
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a group of its own (POSIX; ignored on Windows)
        env={**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)},
    )
    try:
        process.communicate(timeout=timeout)
    except BaseException:
        if hasattr(os, "killpg"):
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.communicate()
        raise


def _whole_pdf(path: Path) -> bool:
    """Tell whether ``path`` is a PDF written to its end (``%%EOF``), not cut short by a kill."""
    try:
        with path.open("rb") as stream:
            stream.seek(max(0, path.stat().st_size - 1024))
            return b"%%EOF" in stream.read()
    except OSError:
        return False


def page_count(document: Path, *, timeout: float = TIMEOUT) -> int:
    """How many pages LibreOffice sets ``document`` on (``baocao check --chinh-xac``): a
    PDF made in a scratch folder and its page tree's count read; raises ``ConvertError``
    as ``to_pdf`` does."""
    with tempfile.TemporaryDirectory(prefix="baocao-pages-") as scratch:
        target = Path(scratch) / "out.pdf"
        to_pdf([document], [target], overwrite=True, timeout=timeout)
        data = target.read_bytes()
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+([0-9]{1,6})", data)]
    counts += [int(n) for n in re.findall(rb"/Count\s+([0-9]{1,6})[^>]*?/Type\s*/Pages\b", data)]
    if counts:
        return max(counts)
    return len(re.findall(rb"/Type\s*/Page\b", data))


DOC_TIMEOUT = 120
"""Seconds LibreOffice may take to turn one .doc into a .docx for ``baocao import``."""


def doc_to_docx(data: bytes, name: str, *, timeout: float = DOC_TIMEOUT) -> bytes:
    """A Word 97–2003 .doc (its bytes) as .docx bytes, converted by LibreOffice.

    The same program, private profile and process group as the PDF, so a .doc
    is read by the one .docx reader afterwards. ``name`` is the clerk's file,
    for the messages: LibreOffice missing (``import_doc_needs_libreoffice``, with
    the install command), or failing (``import_doc_not_converted``).
    """
    try:
        program = soffice()
    except ConvertError as err:
        raise ConvertError("import_doc_needs_libreoffice", path=name) from err
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as scratch:
        work = Path(scratch)
        source = work / "in.doc"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            _run(command, timeout, work)
        except subprocess.TimeoutExpired as err:
            raise ConvertError("import_doc_not_converted", path=name) from err
        except OSError as err:
            raise ConvertError("import_doc_not_converted", path=name) from err
        converted = work / "in.docx"
        if not converted.is_file():
            raise ConvertError("import_doc_not_converted", path=name)
        return converted.read_bytes()
