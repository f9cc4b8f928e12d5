"""Inline markup inside report text, shared by validation and layout.

Emphasis (``**bold**``, ``*italic*``) is parsed where runs are written
(``docx.ooxml``); this module knows the footnote markers ``[^key]`` and how to
walk every piece of report text in reading order, which both validation
(unknown or unused notes) and layout (numbering the notes) need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from baocao.errors import Path_

FOOTNOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")
"""A footnote reference in text: ``nhiều văn bản[^1]``."""


def footnote_keys(text: str) -> list[str]:
    """Return the footnote keys cited in ``text``, in order.

    >>> footnote_keys("a[^1] b[^ghi-chu] c")
    ['1', 'ghi-chu']
    """
    return FOOTNOTE_MARK.findall(text)


def texts(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """Yield every text of the report body with its key path, in reading order."""
    for key in ("can_cu", "mo_dau"):
        yield from _strings(data.get(key), (key,))
    yield from _blocks(data.get("noi_dung"), ("noi_dung",))
    yield from _strings(data.get("ket_thuc"), ("ket_thuc",))
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if isinstance(appendix, dict):
            path = ("phu_luc", index)
            yield from _strings(appendix.get("tieu_de"), (*path, "tieu_de"))
            yield from _strings(appendix.get("dong_phu"), (*path, "dong_phu"))
            yield from _blocks(appendix.get("noi_dung"), (*path, "noi_dung"))


def blocks_of(data: dict[str, Any], kind: str) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Yield every body block of ``kind`` ("bang", "hinh") with its path, appendices included."""
    roots: list[tuple[Path_, Any]] = [(("noi_dung",), data.get("noi_dung"))]
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if isinstance(appendix, dict):
            roots.append((("phu_luc", index, "noi_dung"), appendix.get("noi_dung")))
    for path, blocks in roots:
        yield from find_blocks(blocks, path, kind)


def find_blocks(blocks: Any, path: Path_, kind: str) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Yield the ``kind`` blocks among ``blocks`` and their nested sections."""
    for index, block in enumerate(_list(blocks)):
        if isinstance(block, dict):
            if isinstance(block.get(kind), dict):
                yield (*path, index, kind), block[kind]
            yield from find_blocks(block.get("noi_dung"), (*path, index, "noi_dung"), kind)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _table_texts(table: dict[str, Any], path: Path_) -> Iterator[tuple[Path_, str]]:
    """A table's texts in reading order: caption, header cells, rows and their labels."""
    yield from _strings(table.get("tieu_de"), (*path, "tieu_de"))
    yield from _strings(table.get("cot"), (*path, "cot"))
    for r, row in enumerate(_list(table.get("tieu_de_cot"))):
        for c, cell in enumerate(_list(row)):
            text = cell.get("chu") if isinstance(cell, dict) else cell
            yield from _strings(text, (*path, "tieu_de_cot", r, c))
    for index, row in enumerate(_list(table.get("dong"))):
        at = (*path, "dong", index)
        if isinstance(row, dict):
            yield from _strings(row.get("nhom"), (*at, "nhom"))
            yield from _strings(row.get("nhan"), (*at, "nhan"))
        else:
            yield from _strings(row, at)


OUTSIDE_BODY = ("co_quan_chu_quan", "co_quan_ban_hanh", "trich_yeu", "kinh_gui", "noi_nhan")
"""Texts that the template places itself: footnotes cannot be attached there."""


def texts_outside_body(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """Yield the header, title, Kính gửi and Nơi nhận texts, where no footnote can go."""
    for key in OUTSIDE_BODY:
        yield from _strings(data.get(key), (key,))


def _blocks(blocks: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    for index, block in enumerate(_list(blocks)):
        at = (*path, index)
        if isinstance(block, str):
            yield at, block
        elif isinstance(block, dict):
            for key in ("doan", "gach", "cong", "tieu_de"):
                yield from _strings(block.get(key), (*at, key))
            table = block.get("bang")
            if isinstance(table, dict):
                yield from _table_texts(table, (*at, "bang"))
            picture = block.get("hinh")
            if isinstance(picture, dict):
                yield from _strings(picture.get("chu_thich"), (*at, "hinh", "chu_thich"))
            yield from _blocks(block.get("noi_dung"), (*at, "noi_dung"))
