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
import zlib
from pathlib import Path

from baocao.errors import OutputError

APPLICATION = "baocao"

_FIXABLE = {
    errno.ENOSPC: "output_no_space",
    getattr(errno, "EDQUOT", errno.ENOSPC): "output_no_space",  # a full quota is a full disk
    errno.EACCES: "output_denied",  # also Windows' answer for a file open in Word
    errno.EPERM: "output_denied",
    errno.EROFS: "output_read_only",
    errno.ELOOP: "output_loop",  # `ln -s loop loop`: a name that leads nowhere
}
"""Failures a clerk can fix, each with its own advice; any other keeps the system's reason."""

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once at import: os.umask can only be read by setting it


def made_by_baocao(path: Path) -> bool:
    """Tell whether ``path`` is a .docx baocao wrote and no one has saved since."""
    try:
        with zipfile.ZipFile(path) as archive:
            app = archive.read("docProps/app.xml").decode("utf-8", "replace")
    # A damaged or odd archive (bad deflate data, a compression method zipfile lacks, a
    # password) is not one baocao wrote: it is kept, as any other file, rather than a crash.
    except (
        OSError,
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ):
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
    temporary = None
    try:  # even asking whether a file exists fails for a name too long, or a folder not ours
        for place in (target.parent, target):  # a symlink loop: its own message, not "missing"
            try:
                os.stat(place)
            except OSError as err:
                if err.errno == errno.ELOOP:
                    raise OutputError("output_loop", path=str(place)) from err
        if make_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.is_dir():
            raise OutputError("output_dir_missing", path=str(target.parent))
        if target.exists():
            allowed = overwrite if overwrite is not None else made_by_baocao(target)
            if not allowed or target.is_dir():
                raise OutputError("output_exists", path=str(target))
        # The temporary name is longer than the target's: cut, so any name the system takes works.
        # It carries our pid, so a later run knows a leftover of a killed one (clean_stale).
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.stem[:32]}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; give a normal file's mode
        os.replace(temporary, target)
    except OSError as err:
        raise _failed(err, target) from err
    finally:  # every way out, Ctrl+C and SIGTERM included: no temporary file stays
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
    return target


TEMP_SUFFIX = ".tmp"
_TEMPORARY = re.compile(r"\..*\.(\d+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))
"""``write``'s temporary names: ``.<stem>.<pid>.<8 random characters>.tmp``."""

STALE_AFTER = 60.0
"""Seconds after which a temporary file whose writer is dead is a leftover; a write takes less."""


def clean_stale(folder: Path, dead: int | None = None) -> list[Path]:
    """Remove the temporary files a killed baocao left in ``folder``; return those removed.

    Only ``write``'s own names, and only when their process is no longer
    running and they have not changed for ``STALE_AFTER`` seconds: a
    baocao writing there now, here or from another machine sharing the
    folder, keeps its file. Anything that cannot be read or removed is left.
    """
    import time

    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for name in names:
        found = _TEMPORARY.fullmatch(name)
        if found is None:
            continue
        pid = int(found.group(1))
        abandoned = pid == dead if dead is not None else not _running(pid)
        if not abandoned:
            continue
        path = folder / name
        try:
            old = now - path.lstat().st_mtime > STALE_AFTER or dead is not None
            if old and path.is_file():
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    """Tell whether a process ``pid`` runs on this machine (any owner's)."""
    if os.name == "nt":  # there os.kill(pid, 0) would end the process: keep its files
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:  # someone else's process
        return True
    except (ProcessLookupError, OverflowError):  # none, or a number no pid can be
        return False
    try:  # Linux: a killed process stays a zombie until its new parent reaps it
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _failed(err: OSError, target: Path) -> OutputError:
    """The error for a failed write, in the clerk's words when the clerk can fix it.

    A full disk, a folder without the right to write and a read-only drive each
    get their own advice; anything else gives the system's reason, as it says it.
    """
    code = _FIXABLE.get(err.errno or 0, "output_failed")
    return OutputError(code, path=str(target), reason=err.strerror or str(err))
