"""Prepared templates kept on disk between runs: an object the caller chooses to pass.

``render`` never touches the disk by itself. Preparing a template needs
docxtpl (and through it python-docx), about 85 ms of imports; the command
line and the service pass ``TemplateCache.default()`` so that a one-shot
``baocao render`` skips them. The folder follows the platform's convention,
is made private (0o700) and holds one entry per template (0o600, written
whole or not at all). An entry is keyed by the template's bytes and
baocao's version, and carries a digest of its own content: a damaged entry
is ignored, rebuilt and written again. ``BAOCAO_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from hashlib import sha256
from pathlib import Path

from baocao import __version__
from baocao.records import record

NO_CACHE = "BAOCAO_NO_CACHE"
"""Set to anything but "" or "0": the command line and the service keep nothing on disk."""
CACHE_DIR = "BAOCAO_CACHE_DIR"
"""A folder chosen instead of the platform's (an empty value turns the cache off)."""
_MAGIC = b"baocao-template-cache 1 "
"""An entry's first line: this, then the SHA-256 of what follows the line."""


def platform_folder() -> Path:
    """The platform's place for a program's cache: XDG or ~/.cache, ~/Library/Caches, LOCALAPPDATA."""
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / "baocao" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "baocao"
    chosen = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG specification: a relative path is invalid and is ignored.
    return (Path(chosen) if os.path.isabs(chosen) else Path.home() / ".cache") / "baocao"


@record
class TemplateCache:
    """Prepared story parts of templates, kept in ``folder`` (made when first written)."""

    folder: Path

    @classmethod
    def default(cls) -> TemplateCache | None:
        """The cache the command line and the service use; None when it is turned off."""
        if os.environ.get(NO_CACHE, "") not in ("", "0"):
            return None
        chosen = os.environ.get(CACHE_DIR)
        if chosen is not None:
            return cls(Path(chosen)) if chosen else None
        try:
            return cls(platform_folder())
        except RuntimeError:  # no home folder to be found: no cache, not an error
            return None

    @staticmethod
    def key(content: bytes, *versions: str) -> str:
        """An entry's name: the template's bytes, baocao's version and ``versions`` (a library's)."""
        salt = "|".join((__version__, *versions)).encode()
        return sha256(content + b"|" + salt).hexdigest()

    def entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, key: str) -> dict[str, str] | None:
        """The texts kept under ``key``; None if there are none or they are damaged."""
        try:
            raw = self.entry(key).read_bytes()
        except OSError:
            return None
        head, _, rest = raw.partition(b"\n")
        if head != _MAGIC + sha256(rest).hexdigest().encode():
            return None  # truncated, overwritten or not ours: rebuilt by the caller
        try:
            texts = json.loads(rest.decode("utf-8"))
        except ValueError:
            return None
        if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
            return None
        return texts

    def save(self, key: str, texts: dict[str, str]) -> None:
        """Keep ``texts`` under ``key``, atomically; a folder that cannot be written costs only speed."""
        rest = json.dumps(texts).encode("utf-8")
        content = _MAGIC + sha256(rest).hexdigest().encode() + b"\n" + rest
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")  # mode 0o600
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, self.entry(key))
        except OSError:  # a full disk: the half-written file goes
            with contextlib.suppress(OSError):
                os.unlink(temporary)
