"""Stage 5, write: put bytes on disk atomically, never clobbering a clerk's work.

A temporary file in the target folder is written, flushed and renamed over
the target (``os.replace``), so a failure at any point leaves either the old
file, byte for byte, or the new one — never half of one. An existing file is
replaced only when asked, or when baocao itself made it and nobody has saved
it since (Word and LibreOffice rewrite the Application property on save).
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import zipfile
from pathlib import Path

from baocao.errors import OutputError

APPLICATION = "baocao"

_FIXABLE = {
    errno.ENOSPC: "output_no_space",
    getattr(errno, "EDQUOT", errno.ENOSPC): "output_no_space",  # a full quota is a full disk
    errno.EACCES: "output_denied",  # also Windows' answer for a file open in Word
    errno.EPERM: "output_denied",
    errno.EROFS: "output_read_only",
}
"""Failures a clerk can fix, each with its own advice; any other keeps the system's reason."""

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
    try:  # even asking whether a file exists fails for a name too long, or a folder not ours
        if make_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.is_dir():
            raise OutputError("output_dir_missing", path=str(target.parent))
        if target.exists():
            allowed = overwrite if overwrite is not None else made_by_baocao(target)
            if not allowed or target.is_dir():
                raise OutputError("output_exists", path=str(target))
        # The temporary name is longer than the target's: cut, so any name the system takes works.
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.stem[:32]}.", suffix=".tmp", dir=target.parent
        )
    except OSError as err:
        raise _failed(err, target) from err
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; give a normal file's mode
        os.replace(temporary, target)
    except OSError as err:
        raise _failed(err, target) from err
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def _failed(err: OSError, target: Path) -> OutputError:
    """The error for a failed write, in the clerk's words when the clerk can fix it.

    A full disk, a folder without the right to write and a read-only drive each
    get their own advice; anything else gives the system's reason, as it says it.
    """
    code = _FIXABLE.get(err.errno or 0, "output_failed")
    return OutputError(code, path=str(target), reason=err.strerror or str(err))
