"""Stage 1, load: read YAML into plain data, remembering where every key is.

The only module that imports PyYAML. PyYAML follows YAML 1.1, which would
silently change a clerk's data (``no`` → False, ``010`` → 8, the second of two
duplicate keys wins); this loader resolves scalars the way a clerk means them:

- only ``true``/``false`` are booleans; ``yes``/``no``/``on``/``off`` stay text;
- integers are decimal whatever their leading zeros (``010`` is ten);
- numbers with a fraction become ``Decimal``, never ``float``;
- ``2021-11-12`` is a ``datetime.date``;
- a duplicate key is an error naming both lines;
- text is NFC-normalised and stripped of control characters (with a warning);
- numbers are bounded in digits and exponent (``MAX_DIGITS``).

The same rules hold on every door: ``load_json`` (the HTTP service's JSON) and
``from_mapping`` (a dict given to ``validate``) share ``clean_text`` and
``number_problem`` with the YAML builder.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import selectors
import stat
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from baocao.errors import InputError, Issue, Location, Path_, ValidationFailed
from baocao.records import record
from baocao.vietnamese import date_problem

MAX_BYTES = 10 * 1024 * 1024
"""Default input size limit; large enough for a 100× report."""

MAX_NODES = 1_000_000
"""Refuse inputs that expand (through aliases) to more elements than this."""
MAX_DEPTH = 64
"""Refuse keys and items nested deeper than this: the checks walk the report recursively,
and a section inside a section 300 times exhausted Python's stack (an internal error).
The examples reach 10 (a section level counts two: its list and its keys)."""

TEXT_LABEL = "<văn bản>"
"""File name shown for input given as text rather than a file."""

_PLACEHOLDER = "\ufdd0"
"""A Unicode noncharacter standing in for a character YAML cannot read, until the
scalar holding it is cleaned (so the warning can name its key)."""

_LINE_BREAK_PLACEHOLDER = "\ufdd1"
"""Stands in for a vertical tab (U+000B) YAML cannot read: see ``clean_text``."""

_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufdd0\ufdd1\ufffe\uffff]")
"""Anything ``clean_text`` would change besides NFC: one search, and most text has none."""

# Patterns of paths few reports take are kept as text: ``re`` compiles one at its first
# use and keeps it, rather than every start compiling them all (15 patterns of the render
# path, unused by all twelve examples: 2% of a one-shot render's instructions).
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ufdd0]"
_SURROGATE = "[\ud800-\udfff]"
_UNREADABLE = "[\x00-\x08\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]"
"""Characters YAML refuses to read anywhere in a file (C0/C1 controls but tab and line ends)."""

MAX_DIGITS = 30
"""A number has at most this many digits, and at most this many after the decimal point;
its integer part is below 10**MAX_DIGITS. The largest budget in đồng (10**16) and the finest
rate (a few decimals) are far inside; ``1.0e700000`` took 11 s to format and
``1.0e1000000`` overflowed in Babel."""
_INT_LIMIT = 10**MAX_DIGITS


class _Resolver(BaseResolver):
    """Resolve plain scalars as a clerk means them (see module docstring)."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"),
    list("0123456789"),
)


class _Loader(yaml.SafeLoader):
    """PyYAML's pure-Python parser with our resolver."""

    yaml_implicit_resolvers = _Resolver.yaml_implicit_resolvers


_CParser: Any
try:  # libyaml's parser when PyYAML was built with it: same resolver, ten times faster
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _CParser = None

_LOADER: Any = _Loader
if _CParser is not None:

    class _CLoader(_CParser, SafeConstructor, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)

    _LOADER = _CLoader


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@record
class Source:
    """A loaded report: plain data plus where each key and item was written."""

    data: dict[str, Any]
    filename: str = TEXT_LABEL
    positions: Mapping[Path_, Location] = field(default_factory=dict)
    warnings: tuple[Issue, ...] = ()
    base_dir: Path | None = None
    reads_files: bool = True
    """False for a report sent to the HTTP service: its pictures would be the server's files."""

    def locate(self, path: Path_) -> Location:
        """Return the position of ``path``, or of its nearest written ancestor.

        A missing key has no position of its own; its parent's is the place to
        point a clerk at.
        """
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return Location(self.filename, 1, 1)


def load(
    path_or_text: str | Path | bytes, *, filename: str | None = None, max_bytes: int = MAX_BYTES
) -> Source:
    """Load a report from a file path, or from YAML text.

    A ``Path`` is always a file; a ``str`` is YAML text when it contains a line
    break, otherwise a file name; ``bytes`` are the file's content.

    Raises ``InputError`` (unreadable, not UTF-8, too large, bad YAML) or
    ``ValidationFailed`` (duplicate keys, all of them at once).
    """
    base_dir: Path | None = None
    if isinstance(path_or_text, bytes):
        raw = path_or_text
        label = filename or TEXT_LABEL
    elif isinstance(path_or_text, Path) or "\n" not in path_or_text:
        file = Path(path_or_text)
        label = filename or str(path_or_text)
        raw = _read_file(file, label, max_bytes)
        base_dir = file.resolve().parent
    else:
        label = filename or TEXT_LABEL
        if len(path_or_text) * 4 <= max_bytes:  # within the limit in any encoding
            fast = _read_fast(path_or_text, label, None)
            if fast is not None:
                return fast
        raw = path_or_text.encode("utf-8", "surrogatepass")
    if len(raw) > max_bytes:
        raise InputError("too_large", Location(label), size=len(raw), limit=max_bytes)
    fast = _read_fast(raw, label, base_dir)
    if fast is not None:
        return fast
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError("not_utf8", Location(label, line, 1), offset=err.start) from err
    return _parse(text, label, base_dir)


def load_json(data: bytes, *, filename: str = TEXT_LABEL, max_bytes: int = MAX_BYTES) -> Source:
    """Load a report sent as JSON, by the rules YAML follows (``_Normaliser``).

    A duplicate key is an error naming both lines (Python's parser keeps the
    last silently); every key and item gets its line and column; numbers are
    ``int`` or ``Decimal``, never ``float``, and bounded like YAML's.

    Raises ``InputError`` (too large, not UTF-8, not JSON, too deep) or
    ``ValidationFailed`` (duplicate keys, lone surrogates, numbers out of bounds).
    """
    if len(data) > max_bytes:
        raise InputError("too_large", Location(filename), size=len(data), limit=max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError("not_utf8", Location(filename, line, 1), offset=err.start) from err
    try:
        tree = json.loads(
            text,
            object_pairs_hook=_Pairs,
            parse_float=Decimal,
            parse_int=_json_int,
            parse_constant=Decimal,  # NaN, Infinity: refused with their key below
        )
    except RecursionError as err:  # deeper than the JSON parser's own stack allows
        raise InputError("too_deep", Location(filename), limit=MAX_DEPTH) from err
    except json.JSONDecodeError as err:
        where = Location(filename, err.lineno, err.colno)
        raise InputError("yaml_syntax", where, problem=_problem(f"JSON: {err.msg}")) from err
    if not isinstance(tree, _Pairs):
        raise InputError("not_a_mapping", Location(filename, 1, 1))
    return _Normaliser(filename, _JsonText(text, filename)).source(tree)


def from_mapping(data: Mapping[str, Any], *, filename: str = TEXT_LABEL) -> Source:
    """A ``Source`` for data built in Python, by the rules loaded text follows.

    Nothing is changed in ``data``: the cleaned copy goes into the ``Source``.
    """
    return _Normaliser(filename, None).source(data)


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as written: every key, in order, duplicates kept to be told."""


def _json_int(text: str) -> int | Decimal:
    """int() refuses 4,301 digits (ValueError, no key named); a long one is bounded later."""
    return int(text) if len(text) <= MAX_DIGITS else Decimal(text)


_JSON_TOKEN = r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+'
Shape = tuple[int, ...]
"""A place in a JSON tree by ordinals (the 3rd key of the 2nd item): keys are not yet clean."""


class _JsonText:
    """A JSON text and, once asked, where each key and list item in it starts.

    ``json`` gives no positions: a scan over tokens beside the parser finds them,
    by shape, as offsets; an offset becomes a line and column only when shown.
    """

    def __init__(self, text: str, label: str) -> None:
        self.text, self.label = text, label
        self._spots: dict[Shape, int] | None = None
        self._line_ends: list[int] = []

    @property
    def spots(self) -> dict[Shape, int]:
        if self._spots is None:
            self._spots = _json_spots(self.text)
            self._line_ends = [m.start() for m in re.finditer("\n", self.text)]
        return self._spots

    def location(self, offset: int | None) -> Location:
        if offset is None:
            return Location(self.label, 1, 1)
        line = bisect.bisect_left(self._line_ends, offset)
        start = self._line_ends[line - 1] + 1 if line else 0
        return Location(self.label, line + 1, offset - start + 1)

    def at(self, shape: Shape) -> Location:
        return self.location(self.spots.get(shape))


def _json_spots(text: str) -> dict[Shape, int]:
    """The offset of each key and list item of ``text`` (valid JSON), by its shape."""
    spots: dict[Shape, int] = {}
    shape: list[int] = []
    in_object: list[bool] = []
    expect_key = False
    for match in re.finditer(_JSON_TOKEN, text):
        start = match.start()
        first = text[start]
        if first == ",":
            expect_key = in_object[-1]
            continue
        if first == ":":
            continue
        if first in "}]":
            shape.pop()
            in_object.pop()
            continue
        if shape and (expect_key or not in_object[-1]):  # a key, or an item of a list
            shape[-1] += 1
            spots[tuple(shape)] = start
            expect_key = False
        if first in "{[":
            shape.append(-1)
            in_object.append(first == "{")
            expect_key = first == "{"
    return spots


class _Normaliser:
    """Bring data parsed elsewhere (JSON, Python) under the loader's rules, in a copy.

    The same ``clean_text`` and ``number_problem`` as the YAML builder, the same
    depth bound, keys cleaned before duplicates are looked for. ``json`` is the
    text the tree was parsed from (None for data built in Python): it is scanned
    for positions only when one is needed, for an issue, a warning or a
    ``locate``, so a clean request does not pay for them.
    """

    def __init__(self, label: str, json_text: _JsonText | None) -> None:
        self.label = label
        self.json = json_text
        self.warnings: list[Issue] = []
        self.issues: list[Issue] = []

    def source(self, tree: Any) -> Source:
        data = self.value(tree, (), ())
        if self.issues:
            raise ValidationFailed(self.issues)
        positions: Mapping[Path_, Location] = {}
        if self.json is not None:
            positions = _JsonPositions(self.json, tree)
        return Source(data, self.label, positions, tuple(self.warnings))

    def where(self, shape: Shape) -> Location:
        return Location(self.label) if self.json is None else self.json.at(shape)

    def value(self, value: Any, path: Path_, shape: Shape) -> Any:
        if len(path) > MAX_DEPTH:
            raise InputError("too_deep", self.where(shape), limit=MAX_DEPTH)
        if isinstance(value, str):
            try:
                cleaned, removed, breaks = clean_text(value)
            except UnicodeError:
                self.issues.append(_surrogate_issue(self.where(shape), path))
                return ""
            if removed or breaks:
                self.warnings += text_warnings(self.where(shape), path, removed, breaks)
            return cleaned
        if isinstance(value, _Pairs):  # before list: it is one
            return self.mapping(value, path, shape)
        if isinstance(value, (list, tuple)):
            items = self.items(value, path, shape)
            return items if isinstance(value, list) else tuple(items)
        if isinstance(value, Mapping):
            return self.mapping(value.items(), path, shape)
        problem = number_problem(value)
        if problem is not None:
            self.issues.append(Issue(self.where(shape), path, *problem))
        return value

    def items(self, values: Any, path: Path_, shape: Shape) -> list[Any]:
        out = []
        shallow = len(path) < MAX_DEPTH
        for index, item in enumerate(values):
            kind = type(item)  # the common scalars, checked here: a list of 10^6 numbers
            if shallow and (
                (kind is int and -_INT_LIMIT < item < _INT_LIMIT)
                or (kind is str and _SUSPECT.search(item) is None)
            ):
                out.append(unicodedata.normalize("NFC", item) if kind is str else item)
            else:
                out.append(self.value(item, (*path, index), (*shape, index)))
        return out

    def mapping(self, pairs: Any, path: Path_, shape: Shape) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first: dict[Any, Shape] = {}
        for ordinal, (raw, value) in enumerate(pairs):
            key_shape = (*shape, ordinal)
            key = _clean_key(raw)
            if key is not raw and re.search(_SURROGATE, raw):
                self.issues.append(_surrogate_issue(self.where(key_shape), (*path, key)))
            if key in out:
                if self.json is None:
                    code, params = "duplicate_key_spelling", {"key": key}
                else:
                    line = self.where(first[key]).line
                    code, params = "duplicate_key", {"key": key, "first_line": line}
                self.issues.append(Issue(self.where(key_shape), (*path, key), code, params))
                continue
            first[key] = key_shape
            out[key] = self.value(value, (*path, key), key_shape)
        return out


def _clean_key(raw: Any) -> Any:
    """A key by ``clean_text``, one with a lone surrogate made printable (and refused)."""
    if not isinstance(raw, str):
        return raw
    try:
        return clean_text(raw)[0]
    except UnicodeError:
        return _shown_text(raw)


class _JsonPositions(Mapping[Path_, Location]):
    """Where each key and item of a JSON text is, found when asked.

    A valid report never asks; an invalid one asks once per issue: the path is
    followed down the parsed tree to its shape (the first of duplicate keys, as
    the data keeps), and the text is scanned once, at the first question.
    """

    def __init__(self, json_text: _JsonText, tree: Any) -> None:
        self.json, self.tree = json_text, tree
        self.ordinals: dict[int, dict[Any, int]] = {}
        """Per object (by id), each clean key's first ordinal: 6,000 keys, 6,000 issues."""

    def __getstate__(self) -> dict[str, Any]:
        return {"json": self.json, "tree": self.tree, "ordinals": {}}  # ids differ elsewhere

    def _ordinal(self, pairs: _Pairs, key: Any) -> int:
        found = self.ordinals.get(id(pairs))
        if found is None:
            found = self.ordinals[id(pairs)] = {}
            for ordinal, (raw, _) in enumerate(pairs):
                found.setdefault(_clean_key(raw), ordinal)
        return found.get(key, -1)

    def __getitem__(self, path: Path_) -> Location:
        if not path:
            return Location(self.json.label, 1, 1)
        node, shape = self.tree, []
        for part in path:
            if isinstance(node, _Pairs):
                ordinal = self._ordinal(node, part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                ordinal = part
            else:
                ordinal = -1
            if ordinal < 0:
                raise KeyError(path)
            shape.append(ordinal)
            node = node[ordinal][1] if isinstance(node, _Pairs) else node[ordinal]
        offset = self.json.spots.get(tuple(shape))
        if offset is None:
            raise KeyError(path)
        return self.json.location(offset)

    def __iter__(self) -> Iterator[Path_]:
        yield ()
        yield from self._paths(self.tree, ())

    def _paths(self, node: Any, path: Path_) -> Iterator[Path_]:
        if isinstance(node, _Pairs):
            seen = set()
            for key, value in ((_clean_key(k), v) for k, v in node):
                if key not in seen:
                    seen.add(key)
                    yield (*path, key)
                    yield from self._paths(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield (*path, index)
                yield from self._paths(value, (*path, index))

    def __len__(self) -> int:
        return sum(1 for _ in self)


PIPE_WAIT = 3
"""Seconds a pipe or a device may stay silent before the loader gives up on it."""

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows, which has no FIFOs to wait on


def _read_file(file: Path, label: str, max_bytes: int) -> bytes:
    """Read a report file, never hanging: a FIFO with no writer blocked ``open`` for good.

    Opened without blocking, then told apart by ``fstat``: a regular file is read
    whole (within the limit); a pipe or a device is read as it comes (``_read_stream``).
    """
    try:
        fd = os.open(file, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError as err:
        raise InputError("file_not_found", Location(label)) from err
    except IsADirectoryError as err:
        raise InputError("file_is_folder", Location(label)) from err
    except OSError as err:  # a symlink loop, a socket, no permission
        raise InputError("file_unreadable", Location(label), reason=err.strerror) from err
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise InputError("file_is_folder", Location(label))
        if not stat.S_ISREG(status.st_mode):
            return _read_stream(fd, label, max_bytes)
        if status.st_size > max_bytes:
            raise InputError("too_large", Location(label), size=status.st_size, limit=max_bytes)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(max_bytes + 1)
    except OSError as err:
        raise InputError("file_unreadable", Location(label), reason=err.strerror) from err
    finally:
        os.close(fd)


def _read_stream(fd: int, label: str, max_bytes: int) -> bytes:
    """A pipe or a device has no size: read what arrives, up to the limit.

    Gives up after ``PIPE_WAIT`` seconds without data, and refuses a stream that
    ends before any data (a FIFO nobody writes to): a clean error, not a hang.
    """
    chunks: list[bytes] = []
    total = 0
    # poll, not epoll: epoll refuses devices such as /dev/zero, poll says they are ready
    with getattr(selectors, "PollSelector", selectors.SelectSelector)() as waiting:
        if _NONBLOCK:
            waiting.register(fd, selectors.EVENT_READ)
        while total <= max_bytes:
            if _NONBLOCK and not waiting.select(PIPE_WAIT):
                raise InputError("file_silent", Location(label), seconds=PIPE_WAIT)
            try:
                chunk = os.read(fd, min(1 << 16, max_bytes + 1 - total))
            except BlockingIOError:  # woken, but another reader took the data
                continue
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    if not total:
        raise InputError("file_no_data", Location(label))
    return b"".join(chunks)


def check_depth(data: Any, label: str) -> None:
    """Raise ``too_deep`` for data built elsewhere nested beyond ``MAX_DEPTH``.

    ``load_json`` and ``from_mapping`` check depth as they normalise; this walk is
    kept for callers that only need the bound.
    """
    level: list[tuple[int, Any]] = [(0, data)]
    while level:
        depth, value = level.pop()
        if depth > MAX_DEPTH:
            raise InputError("too_deep", Location(label), limit=MAX_DEPTH)
        children = value.values() if isinstance(value, dict) else value
        level.extend((depth + 1, c) for c in children if isinstance(c, (dict, list)))


def _mark_unreadable(text: str) -> str:
    """Stand in a placeholder for each character YAML refuses (C0/C1 controls).

    The scalar that holds one removes it and warns with its key; elsewhere
    (a comment, a key) it simply disappears.
    """
    if "\x0b" in text:  # Word's manual line break: a line break, said with a warning
        text = text.replace("\x0b", _LINE_BREAK_PLACEHOLDER)
    return re.sub(_UNREADABLE, _PLACEHOLDER, text)


_LEADING_TABS = r"(?m)^[ \t]*\t[ \t]*"
TAB_WIDTH = 4


def _expand_indent_tabs(text: str) -> str:
    """Accept Tab-indented lines: YAML forbids tabs in indentation, clerks' editors insert them."""
    return re.sub(_LEADING_TABS, lambda m: m.group(0).expandtabs(TAB_WIDTH), text)


def _parse(text: str, label: str, base_dir: Path | None) -> Source:
    """Read YAML text: streamed (``_Stream``) when it can, composed otherwise."""
    prepared = _mark_unreadable(text)
    if "\t" in prepared:
        prepared = _expand_indent_tabs(prepared)
    marked = _PLACEHOLDER in prepared or _LINE_BREAK_PLACEHOLDER in prepared
    parser = _CParser if _CParser is not None else _Loader
    fast = _Stream(label, marked).source(parser, prepared, base_dir)
    if fast is not None:
        return fast
    return _parse_composed(text, label, base_dir)


_BOM = b"\xef\xbb\xbf"
_NOT_UTF8_START = (b"\xff\xfe", b"\xfe\xff", _BOM)
"""libyaml reads UTF-16 after its byte order mark, and would skip a second UTF-8 one."""
_PLACEHOLDERS_UTF8 = (_PLACEHOLDER.encode(), _LINE_BREAK_PLACEHOLDER.encode())
_PLACEHOLDERS_LEAD = b"\xef"
"""Both placeholders' first byte, found by memchr: U+F000–U+FFFF are rare in any text (a
search for two or three bytes took 60 µs in a 32 KB Vietnamese report, 6 ms at 100×)."""
_LEADING_TABS_BYTES = rb"(?m)^[ \t]*\t[ \t]*"


def _read_fast(raw: bytes | str, label: str, base_dir: Path | None) -> Source | None:
    """A file's bytes (or text) straight to libyaml: no decoding, no copy, no scans.

    libyaml checks UTF-8 and refuses the characters ``_mark_unreadable`` stands in
    for, so a text it reads whole needed neither; anything it refuses, or a text
    holding a placeholder character, goes the long way (``_parse``), whose
    messages and removals are the ones a clerk gets. None when not read here.
    """
    if _CParser is None:
        return None
    if isinstance(raw, str):  # UTF-8 for libyaml; one with a lone surrogate is refused there
        if raw.startswith("\ufeff") or _PLACEHOLDER in raw or _LINE_BREAK_PLACEHOLDER in raw:
            return None
        if "\x0b" in raw:  # Word's line break: libyaml would stop there, after reading up to it
            return None
        if "\t" in raw:
            raw = _expand_indent_tabs(raw)
        return _Stream(label).source(_CParser, raw, base_dir)
    if raw.startswith(_BOM):
        raw = raw[3:]
    if raw.startswith(_NOT_UTF8_START) or b"\x0b" in raw:
        return None
    if _PLACEHOLDERS_LEAD in raw and any(p in raw for p in _PLACEHOLDERS_UTF8):
        return None
    if b"\t" in raw:  # as _expand_indent_tabs does on the text: spaces and tabs are ASCII
        raw = re.sub(_LEADING_TABS_BYTES, lambda m: m.group(0).expandtabs(TAB_WIDTH), raw)
    return _Stream(label).source(_CParser, raw, base_dir)


def _parse_composed(text: str, label: str, base_dir: Path | None) -> Source:
    """The reference reader: the whole node tree, then ``_Builder``; every error is told here."""
    text = _mark_unreadable(text)
    text = _expand_indent_tabs(text)
    try:
        loader = _LOADER(text)
    except yaml.YAMLError as err:  # pragma: no cover - unreadable characters are removed above
        raise InputError("yaml_syntax", Location(label), problem=_problem(str(err))) from err
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Location(label, mark.line + 1, mark.column + 1) if mark else Location(label)
        problem = (err.problem or err.context or "").strip()
        if mark and problem.startswith(_SPACE_PROBLEMS):
            _raise_if_key_without_space(text, mark.line, label)
        raise InputError("yaml_syntax", where, problem=_problem(problem)) from err
    except yaml.YAMLError as err:
        raise InputError("yaml_syntax", Location(label), problem=_problem(str(err))) from err
    finally:
        loader.dispose()
    builder = _Builder(label, loader)
    if root is None or not isinstance(root, MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise InputError("not_a_mapping", Location(label, line, 1))
    data = builder.build(root, ())
    if builder.issues:
        raise ValidationFailed(builder.issues)
    return Source(data, label, builder.positions, tuple(builder.warnings), base_dir)


# PyYAML's problems (pure Python and libyaml wordings), by the code of the sentence that says
# them the way a clerk understands them (both languages in the catalogs; PyYAML's words follow).
_PROBLEMS = {
    "mapping values are not allowed": "yaml_colon_not_allowed",
    "did not find expected alphabetic or numeric character": "yaml_star_or_ampersand",
    "did not find expected whitespace or line break": "yaml_exclamation",
    "did not find expected comment or line break": "yaml_bar_or_after_quote",
    "found character that cannot start any token": "yaml_at_or_backtick",
    "did not find expected ',' or ']'": "yaml_list_unclosed",
    "expected ',' or ']'": "yaml_list_unclosed",
    "did not find expected ',' or '}'": "yaml_group_unclosed",
    "expected ',' or '}'": "yaml_group_unclosed",
    "could not find expected ':'": "yaml_colon_missing",
    "found undefined alias": "yaml_undefined_alias",
    "found unexpected end of stream": "yaml_end_of_file",
    "did not find expected key": "yaml_indent_or_quote",
    "did not find expected '-' indicator": "yaml_list_indent_or_quote",
    "expected <block end>, but found '<block mapping start>'": "yaml_indent",
    "expected <block end>, but found '<block sequence start>'": "yaml_indent",
    "expected <block end>, but found '-'": "yaml_dash_indent",
    "expected <block end>, but found '<scalar>'": "yaml_indent",
    "expected <block end>, but found '?'": "yaml_indent",
    "found unknown escape character": "yaml_backslash",
}


_SPACE_PROBLEMS = ("could not find expected ':'", "mapping values are not allowed")
_KEY_WITHOUT_SPACE = r"[ \t]*(?:- +)?([a-z_][a-z0-9_]*):([^\s/].*)"


def _raise_if_key_without_space(text: str, line: int, label: str) -> None:
    """Point at ``trich_yeu:Kết quả`` (no space after the colon) when it caused the error.

    YAML reads that line as one piece of text and fails on a line after it,
    saying a ":" is missing, or is not allowed, where the clerk sees nothing
    wrong. Of the two lines above the error, the one whose fix (a space)
    moves the error on, or ends it, is named.
    """
    lines = text.splitlines()
    for number in range(min(line, len(lines)) - 1, max(line - 3, -1), -1):
        found = re.fullmatch(_KEY_WITHOUT_SPACE, lines[number])
        if not found:
            continue
        after = _error_line(_with_space(lines, number, found.end(1)))
        if after is None or after > line:
            key, rest = found.groups()
            where = Location(label, number + 1, found.end(1) + 1)
            raise InputError("key_without_space", where, key=key, rest=rest.rstrip())


def _with_space(lines: list[str], number: int, colon: int) -> str:
    fixed = lines[number][: colon + 1] + " " + lines[number][colon + 1 :]
    return "\n".join([*lines[:number], fixed, *lines[number + 1 :]])


def _error_line(text: str) -> int | None:
    """The line (from 0) where YAML stops reading ``text``, or None if it reads it all."""
    loader = _LOADER(text)
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return mark.line if mark else -1
    except yaml.YAMLError:
        return -1
    finally:
        loader.dispose()
    return None


def _problem(problem: str) -> dict[str, Any]:
    """PyYAML's ``problem`` as a nested message: our sentence for it, then its own words."""
    for english, code in _PROBLEMS.items():
        if problem.startswith(english):
            return {"code": code, "raw": problem}
    return {"code": "yaml_problem", "raw": problem}


class _Builder:
    """Turn a composed node tree into plain data, recording positions."""

    def __init__(self, label: str, loader: Any) -> None:
        self.label = label
        self.loader = loader  # a parser, resolver and safe constructor in one
        self.constructor: SafeConstructor = loader
        self.positions: dict[Path_, Location] = {(): Location(label, 1, 1)}
        self.warnings: list[Issue] = []
        self.issues: list[Issue] = []
        """Duplicate keys, lone surrogates, numbers out of bounds: all told at once."""
        self.budget = MAX_NODES

    def where(self, node: Node) -> Location:
        return Location(self.label, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise InputError("too_many_nodes", self.where(node), limit=MAX_NODES)
        if len(path) > MAX_DEPTH:
            raise InputError("too_deep", self.where(node), limit=MAX_DEPTH)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            out = []
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                self.positions[item_path] = self.where(item)
                out.append(self.build(item, item_path))
            return out
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise InputError("complex_key", self.where(key_node))
            where = self.where(key_node)
            key = self._key(str(key_node.value), path, where)
            if key in seen:
                self.issues.append(
                    Issue(
                        where,
                        (*path, key),
                        "duplicate_key",
                        {"key": key, "first_line": seen[key].line},
                    )
                )
                continue
            seen[key] = where
            key_path = (*path, key)
            self.positions[key_path] = where
            out[key] = self.build(value_node, key_path)
        return out

    def _scalar(self, node: Node, path: Path_) -> Any:
        assert isinstance(node, ScalarNode)
        tag, value = node.tag, node.value
        if _PLACEHOLDER in value and not node.style:  # plain: None (Python parser) or "" (libyaml)
            # A plain scalar that held unreadable characters: "1<BEL>" is the number 1.
            self._warn_removed(node, path, value.count(_PLACEHOLDER))
            value = value.replace(_PLACEHOLDER, "")
            tag = self.loader.resolve(ScalarNode, value, (True, False))
            node = ScalarNode(tag, value, node.start_mark, node.end_mark, node.style)
        if _LINE_BREAK_PLACEHOLDER in value:  # text with a line break in it is text
            tag = "tag:yaml.org,2002:str"
        if tag not in _SCALAR_TAGS:
            if tag.startswith("!") and not tag.startswith("!!"):
                # "- doan: !quan trọng" reads as tag "!quan" + "trọng": the word would be lost.
                raise self._syntax(node, {"code": "yaml_unknown_tag", "tag": tag})
            tag = "tag:yaml.org,2002:str"
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            try:
                number = _yaml_number(tag, value)
            except (ValueError, ArithmeticError) as err:  # "!!int abc"
                raise self._syntax(node, {"code": "yaml_not_a_number", "value": value}) from err
            problem = number_problem(number, value)
            if problem is not None:
                self.issues.append(Issue(self.where(node), path, *problem))
                return None
            return number
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                return self.constructor.construct_yaml_timestamp(node)
            except (ValueError, TypeError, AttributeError) as err:  # "2021-02-30", "!!timestamp x"
                problem = _yaml_date_problem(value)
                if problem is not None:  # a date that is no date: told with the others, exit 4
                    self.issues.append(Issue(self.where(node), path, *problem))
                    return None
                raise self._syntax(node, {"code": "yaml_no_such_date", "value": value}) from err
        try:
            cleaned, removed, breaks = clean_text(value)
        except UnicodeError:
            self.issues.append(_surrogate_issue(self.where(node), path))
            return ""
        if removed or breaks:
            self.warnings += text_warnings(self.where(node), path, removed, breaks)
        return cleaned

    def _key(self, key: str, path: Path_, where: Location) -> str:
        try:
            return clean_text(key)[0]
        except UnicodeError:
            self.issues.append(_surrogate_issue(where, (*path, _shown_text(key))))
            return _shown_text(key)

    def _syntax(self, node: Node, problem: dict[str, Any]) -> InputError:
        """A value YAML reads but we cannot take, told like YAML's own syntax errors."""
        return InputError("yaml_syntax", self.where(node), problem=problem)

    def _warn_removed(self, node: Node, path: Path_, count: int) -> None:
        """Control characters were dropped from the text at ``path``: say so, never fail."""
        issue = Issue(
            self.where(node), path, "control_chars_removed", {"count": count}, warning=True
        )
        self.warnings.append(issue)


class _Fallback(Exception):
    """``_Stream`` meets what it leaves to ``_parse_composed``: an error, an anchor, an alias."""


_STR = "tag:yaml.org,2002:str"
_IMPLICIT = re.compile(
    r"(?:(true|True|TRUE|false|False|FALSE)"
    r"|([-+]?[0-9]+)"
    r"|([-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)"
    r"|(~|null|Null|NULL|)"
    r"|([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}))$"
)
"""``_Resolver``'s five expressions in one: the group that matched is the type."""
_IMPLICIT_FIRST = frozenset("tTfF-+0123456789.~nN")
"""The first characters ``_Resolver`` looks further at; any other plain scalar is text."""
_NUMBER_FIRST = frozenset("-+0123456789.")
_IMPLICIT_WORDS = frozenset(
    ["true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL"]
)
"""Of plain scalars starting with another of ``_IMPLICIT_FIRST``, those the resolver types."""
_IMPLICIT_TAGS = (
    "",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
)
_LINE = 32
"""A position is packed in one int: line << _LINE | column (both from 0)."""
_COLUMN = (1 << _LINE) - 1


def _resolve(value: str) -> str:
    """The tag ``_Resolver`` gives a plain scalar, by one expression instead of its loop."""
    if value and value[0] not in _IMPLICIT_FIRST:
        return _STR
    found = _IMPLICIT.match(value)
    return _STR if found is None else _IMPLICIT_TAGS[found.lastindex or 0]


def _unmarked(value: str) -> bool:
    """No placeholder in ``value``: it may take ``_Stream``'s short ways for text."""
    return _PLACEHOLDER not in value and _LINE_BREAK_PLACEHOLDER not in value


class _Positions(Mapping[Path_, Location]):
    """Where each key and item is: per mapping a dict, per list a list, of packed ints.

    ``_Stream`` fills ``places``: the path of each mapping or list gives its
    children's positions (``line << _LINE | column``, from 0), so a text value
    costs one int and no path of its own; a ``Location`` is made when asked.
    """

    def __init__(self, label: str, places: dict[Path_, Any]) -> None:
        self.label, self.places = label, places

    def _packed(self, path: Path_) -> int | None:
        if not path:
            return 0
        here = self.places.get(path[:-1])
        if here is None:
            return None
        last = path[-1]
        if isinstance(here, dict):
            found: int | None = here.get(last)
            return found
        if isinstance(last, int) and 0 <= last < len(here):
            item: int = here[last]
            return item
        return None

    def __getitem__(self, path: Path_) -> Location:
        packed = self._packed(path)
        if packed is None:
            raise KeyError(path)
        return Location(self.label, (packed >> _LINE) + 1, (packed & _COLUMN) + 1)

    def get(self, path: Path_, default: Any = None) -> Any:
        packed = self._packed(path)
        if packed is None:
            return default
        return Location(self.label, (packed >> _LINE) + 1, (packed & _COLUMN) + 1)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self._packed(path) is not None

    def __iter__(self) -> Iterator[Path_]:
        yield ()
        for path, here in self.places.items():
            yield from (
                (*path, part) for part in (here if isinstance(here, dict) else range(len(here)))
            )

    def __len__(self) -> int:
        return 1 + sum(len(here) for here in self.places.values())


class _Stream:
    """Build plain data straight from the parser's events, never holding a node tree.

    The same data, positions, issues and warnings as ``_Builder`` on the composed
    tree, for the documents reports are: anything else (a syntax error, an anchor
    or alias, a refused value, a bound crossed) makes ``source`` answer None, and
    ``_parse_composed`` reads the text again to say what it says today.

    The caller gives text the reader accepted whole: then a scalar's characters
    come from that text (only a double-quoted one's escapes can make a control
    character), so most text needs NFC alone, and ASCII not even that, unless the
    text holds placeholders (``marked``).
    """

    def __init__(self, label: str, marked: bool = False) -> None:
        self.label = label
        self.marked = marked
        """The text holds placeholders (``_mark_unreadable``): a scalar with one goes by ``_scalar``."""
        self.places: dict[Path_, Any] = {}
        self.warnings: list[Issue] = []
        self.issues: list[Issue] = []

    def source(self, parser: Any, text: str | bytes, base_dir: Path | None) -> Source | None:
        try:
            get = parser(text).get_event
            if get().__class__ is not StreamStartEvent or get().__class__ is not DocumentStartEvent:
                raise _Fallback
            root = get()
            if root.__class__ is not MappingStartEvent or root.anchor is not None:
                raise _Fallback  # not a mapping: told by _parse_composed
            data = self._mapping(get, ())
            if get().__class__ is not DocumentEndEvent or get().__class__ is not StreamEndEvent:
                raise _Fallback  # a second document
            positions = _Positions(self.label, self.places)
            if len(text) >= MAX_NODES and len(positions) > MAX_NODES:  # a node takes a character
                raise _Fallback  # too_many_nodes (the root, each value and item), told by _Builder
        except (_Fallback, yaml.YAMLError, UnicodeError):
            return None
        if self.issues:
            raise ValidationFailed(self.issues)
        return Source(data, self.label, positions, tuple(self.warnings), base_dir)

    def where(self, event: Any) -> Location:
        mark = event.start_mark
        return Location(self.label, mark.line + 1, mark.column + 1)

    def _value(self, get: Any, event: Any, path: Path_) -> Any:
        """The value of a key or item that starts with ``event``, but the plainest text."""
        if event.anchor is not None:
            raise _Fallback
        kind = event.__class__
        if kind is ScalarEvent:
            return self._scalar(event, path)
        if kind is MappingStartEvent:
            return self._mapping(get, path)
        if kind is SequenceStartEvent:
            return self._sequence(get, path)
        raise _Fallback  # an alias

    def _mapping(self, get: Any, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        here: dict[str, int] = {}
        self.places[path] = here
        normalize = unicodedata.normalize
        deep = len(path) >= MAX_DEPTH  # its values would be too deep: _Builder says where
        marked = self.marked
        while True:
            event = get()
            if event.__class__ is not ScalarEvent or event.anchor is not None or deep:
                if event.__class__ is MappingEndEvent:
                    return out
                raise _Fallback  # complex_key, an anchor or alias, too_deep
            key = event.value
            if not key.isascii() or event.style == '"':  # ASCII: NFC and clean already
                try:
                    key = clean_text(key)[0]
                except UnicodeError:
                    raise _Fallback from None  # a lone surrogate: an issue with a shown key
            mark: Any = event.start_mark
            if key in here:
                where = Location(self.label, mark.line + 1, mark.column + 1)
                params = {"key": key, "first_line": (here[key] >> _LINE) + 1}
                self.issues.append(Issue(where, (*path, key), "duplicate_key", params))
                self._skip(get)
                continue
            here[key] = mark.line << _LINE | mark.column
            event = get()
            if (
                event.__class__ is ScalarEvent
                and event.tag is None
                and event.anchor is None
                and (not marked or _unmarked(event.value))
            ):  # Text (quoted, a block, or plain that no resolver looks at) is most values.
                value = event.value
                if event.implicit[0] and (
                    not value or value[0] in _NUMBER_FIRST or value in _IMPLICIT_WORDS
                ):
                    out[key] = self._plain(event, path, key)
                elif value.isascii() and event.style != '"':
                    out[key] = value
                elif event.style != '"' or _SUSPECT.search(value) is None:
                    out[key] = normalize("NFC", value)
                else:
                    out[key] = self._scalar(event, (*path, key))
            else:
                out[key] = self._value(get, event, (*path, key))

    def _sequence(self, get: Any, path: Path_) -> list[Any]:
        out: list[Any] = []
        here: list[int] = []
        self.places[path] = here
        append = out.append
        normalize = unicodedata.normalize
        deep = len(path) >= MAX_DEPTH
        marked = self.marked
        while True:
            event = get()
            kind = event.__class__
            if kind is SequenceEndEvent:
                return out
            if deep:
                raise _Fallback
            mark = event.start_mark
            index = len(here)
            here.append(mark.line << _LINE | mark.column)
            if (
                kind is ScalarEvent
                and event.tag is None
                and event.anchor is None
                and (not marked or _unmarked(event.value))
            ):
                value = event.value  # as in _mapping
                if event.implicit[0] and (
                    not value or value[0] in _NUMBER_FIRST or value in _IMPLICIT_WORDS
                ):
                    append(self._plain(event, path, index))
                elif value.isascii() and event.style != '"':
                    append(value)
                elif event.style != '"' or _SUSPECT.search(value) is None:
                    append(normalize("NFC", value))
                else:
                    append(self._scalar(event, (*path, index)))
            else:
                append(self._value(get, event, (*path, index)))

    def _skip(self, get: Any) -> None:
        """Read past the value of a duplicate key, unbuilt as ``_Builder`` leaves it."""
        depth = 0
        while True:
            event = get()
            kind = event.__class__
            if kind is AliasEvent or getattr(event, "anchor", None) is not None:
                raise _Fallback
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
            if depth == 0:
                return

    def _plain(self, event: Any, path: Path_, part: str | int) -> Any:
        """A plain scalar a resolver may type: most are numbers, read here at once."""
        value = event.value
        found = _IMPLICIT.match(value)
        if found is None:  # text such as "12/8/2021" or "0805/QĐ-UBND": plain, so clean
            return value if value.isascii() else unicodedata.normalize("NFC", value)
        if found.lastindex == 2 and len(value) <= MAX_DIGITS:
            return int(value, 10)  # below 10**MAX_DIGITS: number_problem has nothing to say
        return self._scalar(event, (*path, part))

    def _scalar(self, event: Any, path: Path_) -> Any:
        """``_Builder._scalar`` on the event: the same steps, its errors fall back."""
        tag, value = event.tag, event.value
        if tag is None or tag == "!":  # as the composer resolves, on the text as marked
            tag = _resolve(value) if event.implicit[0] else _STR
        if self.marked:
            if _PLACEHOLDER in value and not event.style:  # plain: None (Python) or "" (libyaml)
                count = value.count(_PLACEHOLDER)
                params = {"count": count}
                issue = Issue(
                    self.where(event), path, "control_chars_removed", params, warning=True
                )
                self.warnings.append(issue)
                value = value.replace(_PLACEHOLDER, "")
                tag = _resolve(value)
            if _LINE_BREAK_PLACEHOLDER in value:
                tag = _STR
        if tag not in _SCALAR_TAGS:
            if tag.startswith("!") and not tag.startswith("!!"):
                raise _Fallback  # yaml_unknown_tag
            tag = _STR
        if tag == _STR:
            try:
                cleaned, removed, breaks = clean_text(value)
            except UnicodeError:
                self.issues.append(_surrogate_issue(self.where(event), path))
                return ""
            if removed or breaks:
                self.warnings += text_warnings(self.where(event), path, removed, breaks)
            return cleaned
        if tag == "tag:yaml.org,2002:int" or tag == "tag:yaml.org,2002:float":
            try:
                number = _yaml_number(tag, value)
            except (ValueError, ArithmeticError):
                raise _Fallback from None  # yaml_not_a_number
            problem = number_problem(number, value)
            if problem is not None:
                self.issues.append(Issue(self.where(event), path, *problem))
                return None
            return number
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        try:
            node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
            return _timestamp(node)
        except (ValueError, TypeError, AttributeError):
            problem = _yaml_date_problem(value)
            if problem is None:
                raise _Fallback from None  # yaml_no_such_date
            self.issues.append(Issue(self.where(event), path, *problem))
            return None


_CONSTRUCTOR = SafeConstructor()


def _timestamp(node: ScalarNode) -> Any:
    return _CONSTRUCTOR.construct_yaml_timestamp(node)


_YAML_DATE = r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"


def _yaml_number(tag: str, value: str) -> int | Decimal:
    """A plain !!int or !!float as a number; ValueError or ArithmeticError when it is none.

    int() raises from 4,301 digits; Decimal() takes any (``number_problem`` bounds it).
    """
    if tag.endswith("int") and len(value.lstrip("+-0")) <= MAX_DIGITS:
        return int(value, 10)
    return Decimal(value)


def _yaml_date_problem(text: str) -> tuple[str, dict[str, Any]] | None:
    """Why a ``NĂM-THÁNG-NGÀY`` YAML could not read is no date, by the report's one date rule."""
    parts = re.fullmatch(_YAML_DATE, text.strip())
    if parts is None:
        return None  # a time of day, or a tag on something else: a syntax error
    year, month, day = (int(part) for part in parts.groups())
    return date_problem(day, month, year)


def clean_text(value: str) -> tuple[str, int, int]:
    """The one rule for text on every door: YAML, JSON, a mapping given to ``validate``.

    NFC-normalises; turns U+000B (vertical tab: Word's manual line break, Shift+Enter,
    carried by text copied from Word) into a line break, which is what the clerk saw;
    drops the other control characters (U+0000–U+001F but tab and newline, U+007F,
    U+FFFE, U+FFFF), which no .docx may hold. Returns the text, the number of
    characters dropped and of line breaks made: the caller warns with the key.
    Raises ``UnicodeError`` for a lone surrogate (JSON's ``"\\ud800"``): no file can
    hold it and no character is meant by it.
    """
    if _SUSPECT.search(value) is None:  # nearly all text: one scan, then NFC
        return unicodedata.normalize("NFC", value), 0, 0
    if re.search(_SURROGATE, value):
        raise UnicodeError("lone surrogate")
    breaks = value.count("\x0b") + value.count(_LINE_BREAK_PLACEHOLDER)
    if breaks:
        value = value.replace("\x0b", "\n").replace(_LINE_BREAK_PLACEHOLDER, "\n")
    cleaned, removed = re.subn(_CONTROL, "", unicodedata.normalize("NFC", value))
    return cleaned, removed, breaks


def text_warnings(where: Location, path: Path_, removed: int, breaks: int) -> list[Issue]:
    """The warnings for text ``clean_text`` changed: nothing typed changes unsaid."""
    out = []
    if breaks:
        out.append(Issue(where, path, "line_break_from_word", {"count": breaks}, warning=True))
    if removed:
        out.append(Issue(where, path, "control_chars_removed", {"count": removed}, warning=True))
    return out


def _shown_text(text: str) -> str:
    """``text`` printable: a lone surrogate cannot even be written to the terminal."""
    return re.sub(_SURROGATE, "\ufffd", text)


def _surrogate_issue(where: Location, path: Path_) -> Issue:
    return Issue(where, path, "lone_surrogate")


def _shown_number(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:20]}…"


def number_problem(value: object, typed: str | None = None) -> tuple[str, dict[str, Any]] | None:
    """The code and parameters of what is wrong with a number, or None.

    Bounds every number on every door (``MAX_DIGITS``): formatting ``1.0e700000``
    took 11 s, and ``1.0e1000000`` overflowed in Babel. Text, dates and booleans pass.
    ``typed`` is the number as written, to quote it so.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, int):
        if -_INT_LIMIT < value < _INT_LIMIT:
            return None
        shown = f"{'-' if value < 0 else ''}10^{math.floor(math.log10(abs(value)))}"
        return "number_out_of_bounds", {"text": _shown_number(typed or shown), "limit": MAX_DIGITS}
    if isinstance(value, float):
        if not math.isfinite(value):
            return "number_not_finite", {"text": repr(value)}
        value = Decimal(repr(value))
    if not value.is_finite():
        return "number_not_finite", {"text": str(value)}
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if len(digits) <= MAX_DIGITS and exponent >= -MAX_DIGITS and value.adjusted() < MAX_DIGITS:
        return None
    return "number_out_of_bounds", {"text": _shown_number(typed or str(value)), "limit": MAX_DIGITS}
