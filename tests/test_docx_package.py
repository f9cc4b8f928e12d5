"""The fast zip writer (``baocao.docx.package.write``) against the standard library's zipfile.

The writer packs parts itself to reuse the deflated bytes of unchanged parts;
zipfile is the reference it must agree with: what one writes, the other reads
back part for part, in the same order, with every CRC right.
"""

from __future__ import annotations

import io
import zipfile

import baocao
from baocao.docx import package
from tests.conftest import MINIMAL, TEMPLATES


def test_a_rendered_report_reads_back_through_zipfile_as_written() -> None:
    parts = package.read_template(TEMPLATES / "bao-cao" / "template.docx")
    rendered = baocao.render(baocao.validate(baocao.load(MINIMAL)))
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        data = {name: archive.read(name) for name in names}
    assert names[0] == package.CONTENT_TYPES
    assert [n for n in names if n in parts.names] == list(parts.names)
    again = package.write(data, tuple(names))
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == names
        assert {n: archive.read(n) for n in names} == data


def test_the_writer_and_zipfile_hold_the_same_parts() -> None:
    parts = {
        package.CONTENT_TYPES: b"<Types/>",
        "word/document.xml": "<w:document>Đề án 06 — ☃</w:document>".encode(),
        "word/media/ảnh 1.png": bytes(range(256)) * 50,
        "empty.xml": b"",
    }
    order = ("word/document.xml", package.CONTENT_TYPES)
    ours = zipfile.ZipFile(io.BytesIO(package.write(parts, order)))
    reference = io.BytesIO()
    with zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [*order, *sorted(set(parts) - set(order))]:
            archive.writestr(name, parts[name])
    theirs = zipfile.ZipFile(reference)
    assert ours.testzip() is None
    assert ours.namelist() == theirs.namelist()
    for ours_info, their_info in zip(ours.infolist(), theirs.infolist(), strict=True):
        assert ours_info.filename == their_info.filename
        assert (ours_info.CRC, ours_info.file_size) == (their_info.CRC, their_info.file_size)
        assert ours_info.compress_type == zipfile.ZIP_DEFLATED
        assert ours.read(ours_info) == theirs.read(their_info)
