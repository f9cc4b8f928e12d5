"""Stage 6, convert: .docx to PDF through LibreOffice, headless, with a profile of its own.

LibreOffice is a separate program (Debian: libreoffice-writer-nogui, with
fonts-liberation2 for Times New Roman's metrics and Vietnamese glyphs). Each
conversion uses its own user profile, so it never collides with a LibreOffice
the clerk has open; many documents go through one LibreOffice process, which
costs about a second to start. The PDF is written atomically like the .docx.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from baocao.errors import ConvertError
from baocao.output import write

TIMEOUT = 300
"""Seconds one LibreOffice run may take before it is stopped."""


def soffice() -> str:
    """The LibreOffice program, or a ConvertError saying how to install it."""
    found = (
        os.environ.get("BAOCAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    )
    if not found:
        raise ConvertError("libreoffice_missing")
    return found


def to_pdf(
    documents: Sequence[Path], targets: Sequence[Path], *, overwrite: bool | None = None
) -> list[Path]:
    """Convert each .docx in ``documents`` to the PDF path at the same index of ``targets``.

    One LibreOffice process converts them all. Nothing is written for a
    document LibreOffice could not convert; the others are still written.
    """
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as scratch:
        work = Path(scratch)
        profile = work / "profile"
        inputs = []
        for index, document in enumerate(documents):
            copy = (
                work / f"{index}.docx"
            )  # plain names: LibreOffice names its output after the input
            shutil.copyfile(document, copy)
            inputs.append(copy)
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *map(str, inputs),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as err:
            raise ConvertError("pdf_timeout", seconds=TIMEOUT) from err
        except OSError as err:
            raise ConvertError("pdf_failed", reason=str(err)) from err
        written = []
        for index, target in enumerate(targets):
            pdf = work / f"{index}.pdf"
            if not pdf.is_file():
                raise ConvertError(
                    "pdf_failed", reason=(result.stderr or result.stdout).strip()[-300:] or "?"
                )
            written.append(write(pdf.read_bytes(), target, overwrite=overwrite))
        return written
