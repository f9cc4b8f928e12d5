"""Regenerate docs/gallery/: page 1 of every example as a PNG, through LibreOffice.

    python tools/gallery.py

Needs LibreOffice (soffice) and poppler-utils (pdftoppm). Each picture is made
exactly as a clerk would: `baocao render`, then LibreOffice's PDF export.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import baocao  # noqa: E402

RESOLUTION = 60
"""Dots per inch of the pictures: legible, and small enough to keep in the repository."""


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        sys.exit("cần LibreOffice (soffice) và poppler-utils (pdftoppm)")
    target = ROOT / "docs" / "gallery"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            docx = baocao.build(example, work / f"{example.stem}.docx")
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(docx),
                ],
                check=True,
                capture_output=True,
            )
            png = target / example.stem
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(RESOLUTION),
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(work / f"{example.stem}.pdf"),
                    str(png),
                ],
                check=True,
            )
            print(f"docs/gallery/{example.stem}.png")


if __name__ == "__main__":
    main()
