"""Inline markup inside report text, shared by validation and layout.

Emphasis (``**bold**``, ``*italic*``) is read here (markdown-it, with only
``*`` on: the one adapter of that library) into spans that layout makes runs
of; this module also knows the footnote markers ``[^key]`` and how to walk
every piece of report text in reading order, which both validation (unknown
or unused notes) and layout (numbering the notes) need.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from baocao.errors import Path_
from baocao.records import record

FOOTNOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")
"""A footnote reference in text: ``nhiều văn bản[^1]``."""


@lru_cache(maxsize=1)
def _inline_parser() -> Any:
    """markdown-it with only ``*`` emphasis on; loaded when some text has a * (start-up time).

    The guide promises that ``**…**`` and ``*…*`` are the only markup: ``_``
    is no emphasis marker (``__init__.py``, ``_ABC_`` and ``KH_2021`` print
    as typed), no backslash escapes anything, and line breaks are not
    normalised, so every other character reaches the page as the clerk
    typed it.
    """
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import emphasis

    def asterisks_only(state: Any, silent: bool) -> bool:
        return state.src[state.pos] == "*" and emphasis.tokenize(state, silent)

    parser = MarkdownIt("zero").enable(["emphasis"]).disable(["normalize"])
    parser.inline.ruler.at("emphasis", asterisks_only)
    return parser


@record(slots=True)
class Span:
    """A piece of text with emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


def parse_inline(text: str) -> tuple[Span, ...]:
    """Split ``**bold**`` and ``*italic*`` markup into spans; other text is kept as typed.

    Plain pairs are read here (``_plain_emphasis``); markdown-it reads the
    rest, and is imported only then. Not cached: validation and layout each
    read every text once, and the plain reading costs about what a cache's
    lookup of a new text would.

    >>> parse_inline("**KH_2021** và __init__.py")
    (Span(text='KH_2021', bold=True, italic=False), Span(text=' và __init__.py', bold=False, italic=False))
    """
    if "*" not in text:
        return (Span(text),)
    plain = _plain_emphasis(text)
    return plain if plain is not None else _parsed(text)


def _parsed(text: str) -> tuple[Span, ...]:
    """``text``'s spans as markdown-it reads them (nested, unbalanced or flanking cases)."""
    spans: list[Span] = []
    bold = italic = 0
    for token in _inline_parser().parseInline(text)[0].children or ():
        if token.type == "strong_open":
            bold += 1
        elif token.type == "strong_close":
            bold -= 1
        elif token.type == "em_open":
            italic += 1
        elif token.type == "em_close":
            italic -= 1
        elif token.type in ("softbreak", "hardbreak"):
            spans.append(Span("\n", bool(bold), bool(italic)))
        elif token.content:
            spans.append(Span(token.content, bool(bold), bool(italic)))
    return tuple(spans)


_STARS = re.compile(r"\*+")
_SPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)
"""What markdown-it counts as white space beside a ``*`` (``isWhiteSpace``)."""


def _punctuation(char: str) -> bool:
    """markdown-it's punctuation beside a ``*``: Unicode P* and S* (ASCII's are all in them)."""
    return unicodedata.category(char)[0] in "PS"


def plainly_paired(text: str) -> bool:
    """Whether every run of ``*`` in ``text`` plainly opens or closes (``_plain_emphasis``):
    then none is printed. Validation asks it of every text with a star, with no span made.
    """
    return _plain_emphasis(text, spans=False) is not None


def _plain_emphasis(text: str, *, spans: bool = True) -> tuple[Span, ...] | None:
    """The spans of ``text`` when each run of ``*`` plainly opens or closes; None when in doubt.

    Plain: runs of one or two ``*`` that alternate opener, closer of the same
    length, by CommonMark's flanking rules (as markdown-it's ``scanDelims``
    decides them): with nothing open a run that can open opens, and the next
    run closes it if it can and is as long. That is how clerks write
    ``**Về triển khai IOC:**`` or ``(*năm 2023: 72%*)``; anything else
    (``***``, nesting, ``**a*``, a lone ``*``) goes to markdown-it. tests/test_emphasis.py fuzzes the
    two readings against each other.
    """
    found: list[Span] = []  # kept empty when ``spans`` is false: only the answer is asked
    at = 0
    opened = 0  # the open run's length, 0 when none is open
    for run in _STARS.finditer(text):
        start, end = run.span()
        length = end - start
        if length > 2:
            return None
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        space_before, space_after = before in _SPACE, after in _SPACE
        punct_before = not space_before and _punctuation(before)
        punct_after = not space_after and _punctuation(after)
        left = not (space_after or (punct_after and not (space_before or punct_before)))
        right = not (space_before or (punct_before and not (space_after or punct_after)))
        if not opened:  # nothing open before it: a run that may open opens
            if not left:
                return None
            if start > at and spans:
                found.append(Span(text[at:start]))
            opened = length
        else:
            if not right or length != opened:  # equal lengths: the rule of 3 never applies
                return None
            if spans:
                found.append(Span(text[at:start], bold=length == 2, italic=length == 1))
            opened = 0
        at = end
    if opened:
        return None
    if at < len(text) and spans:
        found.append(Span(text[at:]))
    return tuple(found)


def footnote_keys(text: str) -> list[str]:
    """Return the footnote keys cited in ``text``, in order.

    >>> footnote_keys("a[^1] b[^ghi-chu] c")
    ['1', 'ghi-chu']
    """
    return FOOTNOTE_MARK.findall(text)


def texts(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """Yield every text of the report body with its key path, in reading order."""
    for key in ("can_cu", "mo_dau"):
        yield from strings(data.get(key), (key,))
    yield from _blocks(data.get("noi_dung"), ("noi_dung",))
    yield from strings(data.get("ket_thuc"), ("ket_thuc",))
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if isinstance(appendix, dict):
            path = ("phu_luc", index)
            yield from strings(appendix.get("tieu_de"), (*path, "tieu_de"))
            yield from strings(appendix.get("dong_phu"), (*path, "dong_phu"))
            yield from _blocks(appendix.get("noi_dung"), (*path, "noi_dung"))


def marked_texts(data: dict[str, Any]) -> list[tuple[Path_, str]]:
    """``texts(data)`` kept to those that hold a ``*`` or a ``[^``, in the same order.

    Validation reads only those (emphasis, footnotes). Walked by plain loops
    that append to one list, and a text's path is made only when it is kept:
    a 100× report has 40,000 texts, and a generator per node and a path per
    text were a third of its validation. tests/test_validation_walks.py
    checks it against ``texts``.
    """
    found: list[tuple[Path_, str]] = []
    for key in ("can_cu", "mo_dau"):
        _marked_strings(data.get(key), (key,), found)
    _marked_blocks(data.get("noi_dung"), ("noi_dung",), found)
    _marked_strings(data.get("ket_thuc"), ("ket_thuc",), found)
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if isinstance(appendix, dict):
            path = ("phu_luc", index)
            _marked_strings(appendix.get("tieu_de"), (*path, "tieu_de"), found)
            _marked_strings(appendix.get("dong_phu"), (*path, "dong_phu"), found)
            _marked_blocks(appendix.get("noi_dung"), (*path, "noi_dung"), found)
    return found


def _marked_strings(value: Any, path: Path_, found: list[tuple[Path_, str]]) -> None:
    """``strings(value, path)``, only the texts with a ``*`` or a ``[^``, into ``found``."""
    if isinstance(value, str):
        if "*" in value or "[^" in value:
            found.append((path, value))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                if "*" in item or "[^" in item:
                    found.append(((*path, index), item))
            elif isinstance(item, list):
                _marked_strings(item, (*path, index), found)


_BLOCK_TEXT_KEYS = ("doan", "gach", "cong", "tieu_de")
"""A block's own texts, in the order ``_blocks`` reads them."""
_BLOCK_TEXTS = frozenset(_BLOCK_TEXT_KEYS)


def _marked_blocks(blocks: Any, path: Path_, found: list[tuple[Path_, str]]) -> None:
    """``_blocks(blocks, path)``, only the texts with a ``*`` or a ``[^``, into ``found``."""
    if not isinstance(blocks, list):
        return
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            if "*" in block or "[^" in block:
                found.append(((*path, index), block))
        elif isinstance(block, dict):
            if len(block) == 1:  # most blocks: one key, a text (``gach: …``)
                ((key, value),) = block.items()
                if isinstance(value, str):  # of the keys read here, only these hold text
                    if key in _BLOCK_TEXTS and ("*" in value or "[^" in value):
                        found.append(((*path, index, key), value))
                    continue
            for key in _BLOCK_TEXT_KEYS:
                value = block.get(key)
                if isinstance(value, str):
                    if "*" in value or "[^" in value:
                        found.append(((*path, index, key), value))
                elif isinstance(value, list):
                    _marked_strings(value, (*path, index, key), found)
            table = block.get("bang")
            if isinstance(table, dict):
                _marked_table(table, (*path, index, "bang"), found)
            picture = block.get("hinh")
            if isinstance(picture, dict):
                _marked_strings(
                    picture.get("chu_thich"), (*path, index, "hinh", "chu_thich"), found
                )
            inner = block.get("noi_dung")
            if isinstance(inner, list):
                _marked_blocks(inner, (*path, index, "noi_dung"), found)


def _marked_table(table: dict[str, Any], path: Path_, found: list[tuple[Path_, str]]) -> None:
    """``_table_texts(table, path)``, only the texts with a ``*`` or a ``[^``, into ``found``."""
    _marked_strings(table.get("tieu_de"), (*path, "tieu_de"), found)
    _marked_strings(table.get("cot"), (*path, "cot"), found)
    for r, row in enumerate(_list(table.get("tieu_de_cot"))):
        for c, cell in enumerate(_list(row)):
            if isinstance(cell, dict):
                at = (*path, "tieu_de_cot", r, c)
                _marked_strings(cell.get("chu"), at, found)
                _marked_strings(cell.get("dong_phu"), (*at, "dong_phu"), found)
            elif isinstance(cell, str):
                if "*" in cell or "[^" in cell:
                    found.append(((*path, "tieu_de_cot", r, c), cell))
            elif isinstance(cell, list):
                _marked_strings(cell, (*path, "tieu_de_cot", r, c), found)
    rows = table.get("dong")
    if not isinstance(rows, list):
        return
    for index, row in enumerate(rows):
        if isinstance(row, list):
            for c, cell in enumerate(row):  # a merged cell's text is in its chu
                if isinstance(cell, str):
                    if "*" in cell or "[^" in cell:
                        found.append(((*path, "dong", index, c), cell))
                elif isinstance(cell, dict):
                    _marked_strings(cell.get("chu"), (*path, "dong", index, c, "chu"), found)
                elif isinstance(cell, list):
                    _marked_strings(cell, (*path, "dong", index, c), found)
        elif isinstance(row, dict):
            _marked_strings(row.get("nhom"), (*path, "dong", index, "nhom"), found)
            _marked_strings(row.get("nhan"), (*path, "dong", index, "nhan"), found)


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


def strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """A text, or the texts of a list (nested lists too), each with its key path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def _table_texts(table: dict[str, Any], path: Path_) -> Iterator[tuple[Path_, str]]:
    """A table's texts in reading order: caption, header cells, rows and their labels."""
    yield from strings(table.get("tieu_de"), (*path, "tieu_de"))
    yield from strings(table.get("cot"), (*path, "cot"))
    for r, row in enumerate(_list(table.get("tieu_de_cot"))):
        for c, cell in enumerate(_list(row)):
            text = cell.get("chu") if isinstance(cell, dict) else cell
            yield from strings(text, (*path, "tieu_de_cot", r, c))
            if isinstance(cell, dict):  # the unit line under the title
                yield from strings(cell.get("dong_phu"), (*path, "tieu_de_cot", r, c, "dong_phu"))
    for index, row in enumerate(_list(table.get("dong"))):
        at = (*path, "dong", index)
        if isinstance(row, dict):
            yield from strings(row.get("nhom"), (*at, "nhom"))
            yield from strings(row.get("nhan"), (*at, "nhan"))
        else:
            for c, cell in enumerate(_list(row)):  # a merged cell's text is in its chu
                if isinstance(cell, dict):
                    yield from strings(cell.get("chu"), (*at, c, "chu"))
                else:
                    yield from strings(cell, (*at, c))


OUTSIDE_BODY = ("co_quan_chu_quan", "co_quan_ban_hanh", "trich_yeu", "kinh_gui", "noi_nhan")
"""Texts that the template places itself: footnotes cannot be attached there."""


def texts_outside_body(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    """Yield the header, title, Kính gửi and Nơi nhận texts, where no footnote can go."""
    for key in OUTSIDE_BODY:
        yield from strings(data.get(key), (key,))


def _blocks(blocks: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    for index, block in enumerate(_list(blocks)):
        at = (*path, index)
        if isinstance(block, str):
            yield at, block
        elif isinstance(block, dict):
            for key in ("doan", "gach", "cong", "tieu_de"):
                yield from strings(block.get(key), (*at, key))
            table = block.get("bang")
            if isinstance(table, dict):
                yield from _table_texts(table, (*at, "bang"))
            picture = block.get("hinh")
            if isinstance(picture, dict):
                yield from strings(picture.get("chu_thich"), (*at, "hinh", "chu_thich"))
            yield from _blocks(block.get("noi_dung"), (*at, "noi_dung"))
