"""Stage 5, write: put bytes on disk atomically, never clobbering a clerk's work.

A temporary file in the target folder is written, flushed and renamed over
the target (``os.replace``), so a failure at any point leaves either the old
file, byte for byte, or the new one — never half of one. An existing file is
replaced only when asked, or when baocao itself made it and nobody has saved
it since (Word and LibreOffice rewrite the Application property on save).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from baocao.errors import OutputError

APPLICATION = "baocao"

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once at import: os.umask can only be read by setting it


def made_by_baocao(path: Path) -> bool:
    """Tell whether ``path`` is a .docx baocao wrote and no one has saved since."""
    try:
        with zipfile.ZipFile(path) as archive:
            app = archive.read("docProps/app.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    found = re.search(r"<Application>(.*?)</Application>", app)
    return bool(found and found.group(1) == APPLICATION)


def write(
    data: bytes,
    path: str | os.PathLike[str],
    *,
    overwrite: bool | None = None,
    make_folder: bool = False,
) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    ``overwrite``: ``None`` (default) replaces an existing file only if
    baocao made it and it was not edited since; ``True`` always replaces;
    ``False`` never does. ``make_folder`` makes a missing folder (and its
    parents) first: for an output folder the clerk named, never for a file's.
    """
    target = Path(path)
    if make_folder:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(
                "output_failed", path=str(target), reason=err.strerror or str(err)
            ) from err
    if not target.parent.is_dir():
        raise OutputError("output_dir_missing", path=str(target.parent))
    if target.exists():
        allowed = overwrite if overwrite is not None else made_by_baocao(target)
        if not allowed or target.is_dir():
            raise OutputError("output_exists", path=str(target))
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as err:  # a folder the clerk may not write in
        raise OutputError(
            "output_failed", path=str(target), reason=err.strerror or str(err)
        ) from err
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; give a normal file's mode
        os.replace(temporary, target)
    except OSError as err:
        raise OutputError(
            "output_failed", path=str(target), reason=err.strerror or str(err)
        ) from err
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
