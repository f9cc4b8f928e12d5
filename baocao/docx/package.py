"""The .docx package: read a template's parts once, write a finished document's zip.

A .docx is a zip of XML parts. Rendering changes a handful of them (the
story parts, styles, footnotes, core properties) and adds pictures; the
rest are copied as they are. Keeping the template's parts in memory and
writing the zip directly spares the per-render cost of opening and
re-serialising the whole package.
"""

from __future__ import annotations

import io
import struct
import threading
import zipfile
import zlib
from collections.abc import Collection, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from baocao import memo
from baocao.docx.ooxml import escape_text
from baocao.records import record

if TYPE_CHECKING:
    import queue

CONTENT_TYPES = "[Content_Types].xml"

LEVEL = 3
"""zlib's level for every part we compress: the parts' bytes do not depend on it, the zip's do.

Measured on example 000's 59 KB document.xml and the 100× report's 5.4 MB: level 3 takes a
quarter of level 6's time (0.20 against 0.82 ms; 35 against 88 ms) for 13–17% more bytes
(19 against 17 KB for the whole .docx; 0.98 against 0.84 MB). A clerk mails a few
kilobytes more; every render, batch and service request is faster by the difference.
"""


DOCUMENT_RELS = "word/_rels/document.xml.rels"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


@record
class Parts:
    """A template package: its part names in order, and each part's bytes."""

    names: tuple[str, ...]
    data: Mapping[str, bytes]


MAX_UNPACKED = 64 * 2**20
"""Bytes a template may hold unpacked: a letterhead with its logo is well under a megabyte."""
MAX_MEMBERS = 1000
"""Parts a template may hold (Word writes about a dozen, plus one per picture)."""
MAX_RATIO = 200
"""How much one part (past a megabyte) may inflate: Word's XML packs about 10 to 1."""


class TooBig(ValueError):
    """A package over one of the limits above: a message code and its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def _weight(parts: Parts) -> int:
    return sum(len(blob) + len(name) + 100 for name, blob in parts.data.items())


@memo.bounded(entries=16, size=64 * 2**20, weigh=lambda args, parts: _weight(parts))
def read(path: Path, modified: float) -> Parts:
    """Read every part of the package at ``path`` (cached while the file is unchanged).

    Hit by every render of a template (its parts are copied into each
    document); 16 templates and 64 MiB hold a service's bundles and letterheads
    (a shipped template weighs about 60 KB); a larger one is read each time.

    The sizes the zip declares are checked before anything is inflated, so a
    small file that would unpack to gigabytes is refused at once; each part
    is then read no further than its declared size (``zipfile`` stops there
    and a part that would inflate further fails its CRC check).
    """
    with zipfile.ZipFile(path) as archive:
        return _unpack(archive)


def unpack(data: bytes) -> Parts:
    """Every part of the package in ``data``, under the same limits as ``read``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _unpack(archive)


def _unpack(archive: zipfile.ZipFile) -> Parts:
    """The parts of an open zip: its declared sizes checked first, then each read."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise TooBig("template_package_members", count=len(infos), limit=MAX_MEMBERS)
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise TooBig("template_package_too_big", limit=MAX_UNPACKED // 2**20)
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * info.compress_size:
            raise TooBig("template_package_ratio", part=info.filename, limit=MAX_RATIO)
    data: dict[str, bytes] = {}
    for info in infos:
        with archive.open(info) as stream:
            blob = stream.read(info.file_size + 1)
        if len(blob) != info.file_size:  # a header that lies about the size
            raise zipfile.BadZipFile(f"{info.filename}: size differs from its header")
        data[info.filename] = blob
    return Parts(tuple(archive.namelist()), data)


def read_template(path: Path) -> Parts:
    return read(path, path.stat().st_mtime)


@memo.bounded(entries=64, size=8 * 2**20, weigh=lambda args, out: len(args[0]) + len(out[1]) + 200)
def _deflate(data: bytes) -> tuple[int, bytes]:
    """CRC and raw-deflated bytes of a template's part that a render copies unchanged.

    Hit by every render for the dozen parts a report leaves as they are
    (settings, fonts, theme, numbering, relationships) and its styles (one of
    a few sizes); a part made for one report is never looked up (``write``'s
    ``made``), as no other report has it. 64 parts and 8 MiB hold a few
    templates' (a shipped template's weigh about 150 KB with their packed bytes).
    """
    return _packed(data)


def _packed(data: bytes) -> tuple[int, bytes]:
    """CRC and raw-deflated bytes of a part."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return zlib.crc32(data), packer.compress(data) + packer.flush()


class Packed(NamedTuple):
    """A part already compressed: its CRC, raw-deflated bytes and size unpacked."""

    crc: int
    data: bytes
    size: int


class Deflater:
    """A part compressed as its bytes come, piece by piece: the same bytes as ``_packed``.

    Deflate's output does not depend on how its input is cut (zlib waits for
    a full window before it decides anything), so a long document's XML never
    has to be one string, nor one ``bytes``, to be packed. Past ``ALONE``
    bytes the rest is compressed by a thread of its own while the caller
    writes on: zlib lets go of Python's lock while it works, so on a second
    core the 90 ms a 100× report's 5 MB take overlap with the writing.
    A ``with`` block: the thread is ended however the block ends.
    """

    ALONE = 1 << 18
    """Bytes compressed in the caller's thread before the compressor gets its own (a small
    report's whole document): a thread is not worth starting for a few milliseconds."""
    HANDOFF = 1 << 19
    """Bytes handed to the thread at a time: it waits for Python's lock (up to 5 ms) after
    each, so each should keep it busy longer than that."""
    WAITING = 4
    """Handoffs that may wait for the thread (2 MiB): on a busy machine, where it gets less
    time, the writer then waits for it rather than the document piling up in memory."""

    def __init__(self) -> None:
        self._packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._out: list[bytes] = []
        self._held: list[bytes] = []
        self._held_size = 0
        self._queue: queue.Queue[bytes | None] | None = None
        self._worker: threading.Thread | None = None
        self._failed: BaseException | None = None
        self.crc = 0
        self.size = 0

    def __enter__(self) -> Deflater:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self._queue is None:
            self._pack(data)
            if self.size > self.ALONE:
                import queue  # here: a one-shot render's parts stay below ALONE

                self._queue = queue.Queue(self.WAITING)
                self._worker = threading.Thread(target=self._work, name="deflate", daemon=True)
                self._worker.start()
            return
        self._held.append(data)
        self._held_size += len(data)
        if self._held_size >= self.HANDOFF:
            self._hand_off()

    def packed(self) -> Packed:
        if self._queue is not None:
            self._hand_off()
            self._stop()
            if self._failed is not None:
                raise self._failed
        self._out.append(self._packer.flush())
        return Packed(self.crc, b"".join(self._out), self.size)

    def _pack(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        packed = self._packer.compress(data)
        if packed:
            self._out.append(packed)

    def _hand_off(self) -> None:
        if self._held and self._queue is not None:
            self._queue.put(b"".join(self._held))
            self._held.clear()
            self._held_size = 0

    def _work(self) -> None:
        assert self._queue is not None
        while (data := self._queue.get()) is not None:
            if self._failed is None:
                try:
                    self._pack(data)
                except BaseException as error:  # a MemoryError: told to the caller in packed()
                    self._failed = error

    def _stop(self) -> None:
        if self._queue is not None and self._worker is not None:
            self._queue.put(None)
            self._worker.join()
            self._worker = None


def write(
    parts: Mapping[str, bytes],
    order: tuple[str, ...],
    made: Collection[str] = (),
    packed: Mapping[str, Packed] | None = None,
) -> bytes:
    """Zip ``parts`` in the template's order (content types first, as Word writes it).

    Written directly rather than through ``zipfile`` so that the deflated bytes
    of unchanged parts (styles, settings, relationships) are reused: only the
    parts a report changes are compressed again. Parts named in ``made`` are
    this report's own: compressed without the cache (they would only fill it).
    ``packed``: parts compressed already (a ``Deflater``'s), by name.
    """
    packed = packed or {}
    now = datetime.now()
    dos_time = (now.hour << 11) | (now.minute << 5) | (now.second // 2)
    dos_date = ((now.year - 1980) << 9) | (now.month << 5) | now.day
    names = [n for n in order if n in parts or n in packed]
    names += sorted({n for n in (*parts, *packed) if n not in order})
    body, directory = io.BytesIO(), io.BytesIO()
    for name in names:
        ready = packed.get(name)
        if ready is not None:
            crc, deflated, size = ready
        else:
            data = parts[name]
            crc, deflated = _packed(data) if name in made else _deflate(data)
            size = len(data)
        encoded = name.encode("utf-8")
        offset = body.tell()
        fields = (20, 0x0800, 8, dos_time, dos_date, crc, len(deflated), size, len(encoded))
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded)
        body.write(deflated)
        directory.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    central = directory.getvalue()
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(names), len(names), len(central), body.tell(), 0
    )
    body.write(central)
    body.write(end)
    return body.getvalue()


def add_relationship(rels: bytes, rel_id: str, rel_type: str, target: str) -> bytes:
    """Append one relationship to a .rels part."""
    entry = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{escape_text(target)}"/>'
    return rels.replace(b"</Relationships>", entry.encode() + b"</Relationships>")


def add_default_type(types: bytes, extension: str, content_type: str) -> bytes:
    """Declare the content type of files ending in ``extension`` (once)."""
    if f'Extension="{extension}"'.encode() in types:
        return types
    entry = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
    return types.replace(b"<Default ", entry.encode() + b"<Default ", 1)


def core_properties(title: str, author: str, when: datetime) -> bytes:
    """docProps/core.xml: title, author, language and the time of writing."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape_text(title)}</dc:title><dc:creator>{escape_text(author)}</dc:creator>"
        "<dc:language>vi-VN</dc:language><cp:lastModifiedBy>baocao</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()
