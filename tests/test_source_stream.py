"""The streamed reader (``source._Stream``) says what the composed reader says.

``load`` reads most reports from the parser's events, straight into data, and
leaves everything else (errors, anchors, odd characters) to the node-tree
reader it replaced, ``_parse_composed``. Each case here is loaded four ways:
streamed and composed, with libyaml and with PyYAML's pure-Python parser (what
a PyYAML built without libyaml gives); the outcomes (data with its types,
every position, warnings, or the error as a clerk reads it) must be equal.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from baocao import source as module
from baocao.errors import InputError, Location, ValidationFailed
from baocao.messages import describe_error, describe_issue
from tests.conftest import EXAMPLES

needs_libyaml = pytest.mark.skipif(module._CParser is None, reason="PyYAML built without libyaml")


def typed(value: Any) -> Any:
    """``value`` with every type spelled out: 1, 1.0, True and Decimal("1") are all == 1."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, str(value))


def outcome(read: Callable[[], module.Source]) -> tuple[Any, ...]:
    try:
        source = read()
    except InputError as error:
        return ("input", error.code, str(error.location), describe_error(error, "en"))
    except ValidationFailed as failed:
        return ("failed", [(describe_issue(i, "en"), i.path) for i in failed.issues])
    warnings = [(describe_issue(w, "en"), w.path) for w in source.warnings]
    return ("ok", typed(source.data), dict(source.positions), warnings, source.filename)


@contextmanager
def composed() -> Iterator[None]:
    """``load`` as it was before streaming: decode, then the node tree and ``_Builder``."""
    saved = module._read_fast, module._parse
    module._read_fast, module._parse = (lambda *args: None), module._parse_composed
    try:
        yield
    finally:
        module._read_fast, module._parse = saved


@contextmanager
def pure_python() -> Iterator[None]:
    """PyYAML without libyaml: its own parser and composer."""
    saved = module._CParser, module._LOADER
    module._CParser, module._LOADER = None, module._Loader
    try:
        yield
    finally:
        module._CParser, module._LOADER = saved


def four_ways(data: str | bytes, label: str = "bc.yaml") -> dict[str, tuple[Any, ...]]:
    def read() -> module.Source:
        return module.load(data, filename=label)

    out = {"streamed": outcome(read)}
    with composed():
        out["composed"] = outcome(read)
    with pure_python():
        out["pure streamed"] = outcome(read)
        with composed():
            out["pure composed"] = outcome(read)
    return out


def assert_same(data: str | bytes) -> tuple[Any, ...]:
    ways = four_ways(data)
    assert ways["streamed"] == ways["composed"], data
    assert ways["pure streamed"] == ways["pure composed"], data
    if ways["composed"][0] != "input":  # libyaml and PyYAML word syntax errors differently
        assert ways["streamed"] == ways["pure streamed"], data
    return ways["streamed"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name[:3])
def test_every_example_reads_the_same_four_ways(path: Path) -> None:
    raw = path.read_bytes()
    result = assert_same(raw)
    assert result[0] == "ok"
    assert assert_same(raw.decode("utf-8")) == result  # text as well as bytes


@needs_libyaml
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name[:3])
def test_every_example_is_streamed_not_composed(path: Path) -> None:
    """The fast reader must not quietly give every report back to the slow one."""
    assert isinstance(module.load(path).positions, module._Positions)
    with pure_python():
        assert isinstance(module.load(path).positions, module._Positions)


TRICKY = [
    # anchors, aliases, merge keys: left to the composer, the same result
    "a: &x [1, 2]\nb: *x\nc: 1\n",
    "a: &x {k: v, n: 010}\nb:\n  <<: *x\n  m: 2\n",
    "a: *nowhere\n",
    "a: &x 1\nb: &x 2\nc: *x\n",
    "a: &x [*x]\n",
    "&root\na: 1\n",
    "a: 1\na: &x 2\nb: *x\n",
    # multi-line text
    "a: một\n  hai\n\n  ba\nb: 1\n",
    "a: |\n  dòng một\n   thụt vào\n\n  dòng ba\nb: |-\n  x\nc: |+\n  y\n\nd: 1\n",
    "a: >\n  gấp\n  dòng\n\n  đoạn\nb: >2\n    thụt\n",
    "a: 'một ''trích'' dẫn\n  tiếp'\nb: \"thoát \\\"x\\\" \\u00e9 \\n xuống\"\n",
    # duplicate keys, nested and with lists or anchors under the second one
    "trich_yeu: A\nso: 1\ntrich_yeu: B\nx:\n  y: 1\n  y: [1, {z: 2}]\n",
    "a: 1\na:\n  b: [x, y]\n  c: {d: 1}\na: 3\n",
    "a: 1\na: [&x 1, *x]\n",
    "a: 1\na: *nowhere\n",
    "a: 1\na: [1, {b: *nowhere}]\n",
    "l:\n  - {a: 1, a: 2}\n  - {b: 1}\n",
    # tabs, control characters, Word's line break, placeholder characters typed as such
    "a:\n\t- x\n\t- y\nb:\n\tc: 1\n",
    "a: 'tab\tinside'\nb:\n  - \tx\n",
    "a: |\n  x\n  \ty\n",
    "a: x\x16y\nb: 1\x07\nc: '2\x07'\n# chú thích \x01\n",
    'a: dòng\x0bdòng\nb: "x\\vy"\n',
    'a: "x\\x07y\\x1bz\\ttab"\nb: "\\x07"\n"k\\x07ey": 1\n',
    "a: x\ufdd0y\nb: 1\ufdd1\nc: '\ufdd1'\n",
    "a: \x85x\n",
    "a: 1\x07\nb: '1\x07'\nc: tru\x07e\nd: \x07\ne: 2021-11-12\x07\nf: 1.5\x01\n",
    "a: !!str 1\x07\nb: !!int 2\x07\nc: ! 3\x07\nd: !x 4\x07\n",
    "a: x\x0by\nb: 1\x0b2\nc: 'p\x0bq'\nd: \"r\x0bs\"\n",
    "k\x07ey: 1\n'q\x0bk': 2\n",
    "a: [1\x07, x\x0b, {b: 2\x07}]\nc: |\n  x\x07\n  y\x0b\n",
    "a: 1\x07\na: 2\nb: 3 # \x07\n",
    "a: 2021-02-30\x07\nb: " + "9" * 31 + "\x07\n",
    "a: \x07!!int 5\n",
    "a: !!int 1\x0b2\nb: !!float 1\x0b\nc: !!timestamp 2021-11-12\x0b\nd: !!bool true\x0b\n",
    # numbers, booleans, nulls, dates, as typed
    "a: [010, -0, +7, 1.50, .5, 5., 1e3, 1.0e3, 0x1F, 1_000, .inf, ~, null, '', ]\n",
    "a: [true, True, TRUE, tRUE, yes, no, on, off, y, n, Null, NULL, nULL, '~']\n",
    "a: " + "9" * 30 + "\nb: " + "9" * 31 + "\nc: -" + "0" * 40 + "1\nd: 1." + "1" * 31 + "\n",
    "a: 1.0e700000\nb: 1e99999\n",
    "a: 2021-11-12\nb: 2021-1-2\nc: 2021-02-30\nd: 2021-13-01\ne: '2021-11-12'\n",
    "a: 2021-11-12 10:00\nb: 2021-11-12T10:00:00Z\n",
    # tags
    "a: !!str 010\nb: !!int 010\nc: !!float 1.5\nd: !!bool true\ne: !!null ''\n",
    "a: ! 12\nb: ! x\nc: !!binary abc\nd: !!timestamp 2021-11-12\n",
    "a: !!timestamp 30/2/2021\n",
    "a: !!timestamp 2021-02-30\n",
    "a: !!int abc\n",
    "a: !!float x\n",
    "- doan: !quan trọng\n",
    "a: !quan trọng\n",
    "a: !!map {b: 1}\nc: !!seq [1]\nd: !x {e: 1}\n",
    # keys
    "'quoted': 1\n\"dq\": 2\nkhóa: 3\nkho\u0301a2: 4\n",
    "kho\u0301a: 1\nkhóa: 2\n",
    "1: a\n2021-11-12: b\ntrue: c\n~: d\n'': e\n",
    "? [a]\n: 1\n",
    "{a: 1}: 2\n",
    "[a]: 1\n",
    # flow collections, empty ones, nulls
    "a: {b: [1, {c: d}], e: []}\nf: {}\ng:\nh: [ ]\n",
    "a:\n- 1\n-\n- - 2\n  - 3\n",
    # documents and roots
    "\n",
    "# chỉ chú thích\n",
    "- a\n- b\n",
    "chỉ một dòng chữ\n",
    "---\na: 1\n",
    "---\na: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "---\n",
    "%YAML 1.1\n---\na: 1\n",
    # syntax errors and what they are told as
    "a: b: c\n",
    "a:\n  - x\n - y\n",
    'a: "x\n',
    "a: 1\ntrich_yeu:Kết quả\nb: 2\n",
    "x:\n  - chuc_vu:GĐ\n    ho_ten: X\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: @x\n",
    "a: 'x' y\n",
    'a: "\\q"\n',
    "a:\n  b: 1\n c: 2\n",
    # a lone surrogate written as an escape
    'a: "\\ud800"\n"\\ud800": 1\n',
]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tricky_yaml_reads_the_same_four_ways(text: str) -> None:
    assert_same(text)
    assert_same(text.encode("utf-8"))


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbfa: 1\r\nb: c\r\n",  # BOM and CRLF
        b"\xef\xbb\xbf\xef\xbb\xbfa: 1\n",  # two BOMs: the second is a character
        b"a: 1\r\nb:\r\n  - x\r\n  - y: 2\r\n",
        b"a: 1\rb: 2\r",  # old Mac line ends
        b"a: \xe2\x80\xa8x\n",  # U+2028
        b"a: \xff\xfe\n",
        b"\xff\xfea\x00:\x00 \x001\x00\n\x00",  # UTF-16 with its BOM: not UTF-8
        b"\xfe\xff\x00a\x00:\x00 \x001\x00\n",
        b"a: 1\nb: \xc3\n",  # cut in the middle of a character
        b"a: \xed\xa0\x80\n",  # an encoded surrogate
        b"a: \xc0\xaf\n",  # overlong
        b"a: \xf4\x90\x80\x80\n",  # above U+10FFFF
        b"a: x\x00y\n",
        b"a:\n\t- x\n\t\t- y\n",
    ],
)
def test_bytes_read_the_same_four_ways(raw: bytes) -> None:
    assert_same(raw)


def test_nesting_at_and_past_the_limit_reads_the_same() -> None:
    from tests.test_source import nested_sections

    assert assert_same(nested_sections(31))[0] == "ok"
    assert assert_same(nested_sections(32))[1] == "too_deep"
    assert assert_same("a: " + "[" * 70 + "]" * 70 + "\n")[1] == "too_deep"
    assert assert_same("a: " + "[" * 63 + "]" * 63 + "\n")[0] == "ok"
    for depth, verdict in ((63, "ok"), (64, "too_deep")):  # a text at the bottom
        for text in ("{a: " * depth + "x" + "}" * depth, "[" * depth + "x" + "]" * depth):
            result = assert_same(f"a: {text}\n")
            assert result[0 if verdict == "ok" else 1] == verdict


def test_an_alias_bomb_is_refused_the_same() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    assert assert_same("\n".join(lines) + "\n")[1] == "too_many_nodes"


def test_too_many_nodes_without_aliases_is_refused_where_the_composer_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(module, "MAX_NODES", 50)
    text = "a:\n" + "".join(f"  - {i}\n" for i in range(60))
    assert assert_same(text)[1:3] == ("too_many_nodes", "bc.yaml:50:5")  # the 51st node
    assert assert_same("a:\n" + "".join(f"  - {i}\n" for i in range(48)))[0] == "ok"


def test_positions_behave_as_a_mapping() -> None:
    source = module.load("a: 1\nlist:\n  - x\n  - k: v\n    m: [1, 2]\n", filename="bc.yaml")
    positions = source.positions
    assert isinstance(positions, module._Positions)
    assert positions[()] == Location("bc.yaml", 1, 1)
    assert positions[("list", 1, "m", 1)] == Location("bc.yaml", 5, 12)
    assert ("list", 1, "k") in positions and ("list", 2) not in positions
    assert ("list", -1) not in positions and ("a", 0) not in positions
    assert positions.get(("nothing",)) is None
    with pytest.raises(KeyError):
        positions[("list", "k")]
    assert len(positions) == len(list(positions)) == len(dict(positions)) == 9
    assert source.locate(("list", 1, "m", 7)) == Location("bc.yaml", 5, 5)
    with composed():
        assert dict(module.load(source_text(), filename="bc.yaml").positions) == dict(positions)
    copy = pickle.loads(pickle.dumps(source))
    assert dict(copy.positions) == dict(positions) and copy.data == source.data


def source_text() -> str:
    return "a: 1\nlist:\n  - x\n  - k: v\n    m: [1, 2]\n"


def test_a_long_line_keeps_its_columns() -> None:
    text = "a: [" + ", ".join(["1"] * 100_000) + "]\n"
    source = module.load(text)
    assert source.positions[("a", 99_999)].column == 5 + 3 * 99_999
    assert source.data["a"][-1] == 1


def test_numbers_keep_their_types_when_streamed() -> None:
    data = module.load("a: [1.5, 010, -0, 2021-11-12, 1e3]\n").data["a"]
    assert [type(v) for v in data] == [Decimal, int, int, type(data[3]), str]
    assert isinstance(module.load("a: 1\n").positions, module._Positions)


def test_text_with_a_lone_surrogate_is_not_utf8_the_same() -> None:
    """A ``str`` may hold what no file can: libyaml cannot take it, the long way names it."""
    result = assert_same("a: x\nb: \ud800\n")
    assert result[1:3] == ("not_utf8", "bc.yaml:2:1")


MARKED = [
    "a: x\x0by\nb: 1\x07\nc: [1\x07, 'x\x1b']\n",
    "a: x\ufdd0y\nb: 2\n",
    "trich_yeu: Báo cáo # \x07\nnoi_dung:\n  - Dòng\x0bdòng\n",
]


@pytest.mark.parametrize("text", MARKED, ids=range(len(MARKED)))
def test_text_with_control_characters_is_streamed_too(text: str) -> None:
    """Word's line breaks and stray controls are common: they must not mean the slow reader."""
    for data in (text, text.encode("utf-8")):
        assert isinstance(module.load(data).positions, module._Positions)
        with pure_python():
            assert isinstance(module.load(data).positions, module._Positions)
    assert assert_same(text)[0] == "ok"
