"""The same input rules on every door: YAML, JSON (``load_json``, the service), a dict to ``validate``.

Issue 15 (items 2, 5, 8, 11, 13): control characters reached the .docx raw
through JSON and dicts, a lone surrogate or a huge exponent was an internal
error or took seconds, JSON kept the last of two duplicate keys, and a FIFO
or a symlink loop as input hung or crashed the CLI.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import baocao
from baocao import BaocaoError, InputError, ValidationFailed
from baocao.messages import describe_error, describe_issue
from baocao.source import MAX_DIGITS, Source, load_json
from tests.conftest import EXAMPLES, MINIMAL

CLI = [sys.executable, "-c", "from baocao.cli import main; main()"]


def parts_parse(document: bytes) -> None:
    """Every XML part of ``document`` is well-formed (Word refuses the file otherwise)."""
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(name))


def minimal(**changes: Any) -> dict[str, Any]:
    """MINIMAL as JSON-compatible data (its date as a group, as JSON carries it)."""
    data = baocao.load(MINIMAL).data
    return {**data, "ngay_ban_hanh": as_group(data["ngay_ban_hanh"]), **changes}


def as_group(day: datetime.date) -> dict[str, int]:
    return {"ngay": day.day, "thang": day.month, "nam": day.year}


def dump(value: Any) -> str:
    """JSON as another system writes it: ASCII, so a lone surrogate travels as ``\\ud800``.

    ``Raw`` stands for number text written as is (``1.0e700000``).
    """
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(v) for v in value) + "]"
    if isinstance(value, (Raw, Decimal)):
        return str(value)
    return json.dumps(value)


class Raw(str):
    """Number text to write unquoted into JSON."""


def by_yaml(data: dict[str, Any]) -> Source:
    return baocao.load(dump(data) + "\n")  # JSON is YAML's flow style: the YAML loader reads it


def by_json(data: dict[str, Any]) -> Source:
    return load_json(dump(data).encode(), filename="r.json", max_bytes=10**6)


def by_dict(data: dict[str, Any]) -> dict[str, Any]:
    """A developer's dict: the numbers as Python values, not text."""

    def python(value: Any) -> Any:
        if isinstance(value, Raw):
            return Decimal(value)
        if isinstance(value, dict):
            return {k: python(v) for k, v in value.items()}
        if isinstance(value, list):
            return [python(v) for v in value]
        return value

    return python(data)  # type: ignore[no-any-return]


DOORS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "yaml": by_yaml,
    "json": by_json,
    "dict": by_dict,
}


def through(door: str, data: dict[str, Any]) -> baocao.Validated:
    return baocao.validate(DOORS[door](data))


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0e", "\x1f", "\x7f", "\ufffe", "\uffff"])
def test_control_characters_are_removed_with_a_warning_on_every_door(door: str, char: str) -> None:
    validated = through(door, minimal(trich_yeu=f"Kết{char} quả"))
    assert validated.data["trich_yeu"] == "Kết quả"
    (warning,) = [w for w in validated.warnings if w.path == ("trich_yeu",)]
    assert warning.code == "control_chars_removed"
    assert describe_issue(warning).endswith(
        "trich_yeu: cảnh báo: đã bỏ 1 ký tự điều khiển không in được"
    )
    parts_parse(baocao.render(validated))


@pytest.mark.parametrize("door", DOORS)
def test_word_s_manual_line_break_becomes_a_line_break_with_a_warning(door: str) -> None:
    """U+000B is Shift+Enter in text copied from Word: the clerk saw a line break there."""
    validated = through(door, minimal(noi_dung=["Dòng một\x0bDòng hai"]))
    assert validated.data["noi_dung"] == ["Dòng một\nDòng hai"]
    (warning,) = [w for w in validated.warnings if w.path == ("noi_dung", 0)]
    assert describe_issue(warning).endswith(
        "noi_dung[0]: cảnh báo: đã đổi 1 dấu ngắt dòng của Word (Shift+Enter, ký tự U+000B) "
        "thành xuống dòng"
    )
    document = baocao.render(validated)
    parts_parse(document)
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        body = package.read("word/document.xml").decode()
    assert "Dòng một</w:t><w:br/><w:t>Dòng hai" in body.replace(' xml:space="preserve"', "")


def test_a_raw_vertical_tab_in_yaml_is_a_line_break_too() -> None:
    source = baocao.load("a: x\x0by\nb: 'p\x0bq'\n", filename="bc.yaml")
    assert source.data == {"a": "x\ny", "b": "p\nq"}
    assert [describe_issue(w) for w in source.warnings] == [
        "bc.yaml:1:4: a: cảnh báo: đã đổi 1 dấu ngắt dòng của Word (Shift+Enter, ký tự U+000B) "
        "thành xuống dòng",
        "bc.yaml:2:4: b: cảnh báo: đã đổi 1 dấu ngắt dòng của Word (Shift+Enter, ký tự U+000B) "
        "thành xuống dòng",
    ]


def test_text_from_json_and_dicts_is_nfc_normalised() -> None:
    decomposed = "hoa\u0300 Vie\u0323\u0302t"
    assert through("json", minimal(trich_yeu=decomposed)).data["trich_yeu"] == "hoà Việt"
    assert through("dict", minimal(trich_yeu=decomposed)).data["trich_yeu"] == "hoà Việt"


def test_a_lone_surrogate_in_json_is_refused_with_its_key_and_line() -> None:
    body = b'{"trich_yeu": "A",\n "noi_dung": ["x\\ud800y"], "\\udc00": 1}'
    with pytest.raises(ValidationFailed) as caught:
        load_json(body, filename="r.json", max_bytes=10**6)
    assert [describe_issue(i) for i in caught.value.issues] == [
        "r.json:2:15: noi_dung[0]: văn bản có ký tự hỏng (nửa cặp UTF-16, như “\\ud800” trong "
        "JSON), không ghi được vào tệp .docx; hãy gõ lại hoặc dán lại đoạn này",
        "r.json:2:28: \ufffd: văn bản có ký tự hỏng (nửa cặp UTF-16, như “\\ud800” trong JSON), "
        "không ghi được vào tệp .docx; hãy gõ lại hoặc dán lại đoạn này",
    ]


def test_a_lone_surrogate_in_a_dict_or_yaml_is_a_clean_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(minimal(trich_yeu="x\ud800"))
    assert [(i.path, i.code) for i in caught.value.issues] == [(("trich_yeu",), "lone_surrogate")]
    with pytest.raises(InputError):  # libyaml refuses the escape itself: a syntax error
        by_yaml(minimal(trich_yeu="x\ud800"))


def test_duplicate_json_keys_name_both_lines() -> None:
    body = b'{"trich_yeu": "A",\n "so": 1,\n "trich_yeu": "B",\n "x": {"y": 1,\n  "y": 2}}'
    with pytest.raises(ValidationFailed) as caught:
        load_json(body, filename="r.json", max_bytes=10**6)
    assert [describe_issue(i) for i in caught.value.issues] == [
        "r.json:3:2: trich_yeu: khóa “trich_yeu” bị lặp (đã có ở dòng 1); hãy xóa hoặc gộp một "
        "trong hai",
        "r.json:5:3: x.y: khóa “y” bị lặp (đã có ở dòng 4); hãy xóa hoặc gộp một trong hai",
    ]


def test_keys_equal_once_normalised_are_duplicates_in_a_dict() -> None:
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate({**minimal(), "hoa\u0300": 1, "hoà": 2})
    (issue,) = caught.value.issues
    assert issue.code == "duplicate_key_spelling" and issue.path == ("hoà",)


def test_json_keys_and_items_have_positions() -> None:
    body = b'{\n  "a": 1,\n  "list": ["x",\n    {"k": "v"}]\n}'
    source = load_json(body, filename="r.json", max_bytes=10**6)
    assert source.data == {"a": 1, "list": ["x", {"k": "v"}]}
    assert str(source.positions[("a",)]) == "r.json:2:3"
    assert str(source.positions[("list", 1)]) == "r.json:4:5"
    assert str(source.positions[("list", 1, "k")]) == "r.json:4:6"


def test_json_positions_are_found_only_when_asked_and_quickly() -> None:
    """6,000 unknown keys (item 6) mean 6,000 look-ups; 10^6 numbers mean a long scan."""
    import pickle

    body = json.dumps({f"khoa_{i}": i for i in range(6000)}, indent=0).encode()
    source = load_json(body, filename="r.json", max_bytes=10**7)
    start = time.perf_counter()
    lines = [source.locate((f"khoa_{i}",)).line for i in range(6000)]
    assert time.perf_counter() - start < 1
    assert lines == list(range(2, 6002))
    moved = pickle.loads(pickle.dumps(source))  # a batch or a worker process gets a copy
    assert str(moved.locate(("khoa_5",))) == "r.json:7:1"
    big = b'{"a": [' + b",".join([b"1"] * 300_000) + b"]}"
    start = time.perf_counter()
    load_json(big, filename="r.json", max_bytes=10**7)
    assert time.perf_counter() - start < 1


def test_json_syntax_errors_say_where() -> None:
    with pytest.raises(InputError) as caught:
        load_json(b'{"a": 1,\n "b": }', filename="r.json", max_bytes=10**6)
    assert str(caught.value.location) == "r.json:2:7"


def table(cell: Any) -> dict[str, Any]:
    return minimal(noi_dung=[{"bang": {"cot": ["Chỉ tiêu", "Số"], "dong": [["A", cell]]}}])


HUGE = ["1.0e700000", "1.0e1000000", "-1.0e-700000", "0.0e999999", "9" * 5000, "1" + "0" * 30]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("typed", HUGE, ids=lambda typed: typed[:12])
def test_numbers_out_of_bounds_are_refused_quickly_with_their_key(door: str, typed: str) -> None:
    """``1.0e700000`` in one cell took 11 s; ``1.0e1000000`` overflowed in Babel."""
    start = time.perf_counter()
    with pytest.raises(ValidationFailed) as caught:
        through(door, table(Raw(typed)))
    assert time.perf_counter() - start < 1
    (issue,) = caught.value.issues
    assert issue.path == ("noi_dung", 0, "bang", "dong", 0, 1)
    assert issue.code == "number_out_of_bounds"
    assert f"tối đa {MAX_DIGITS} chữ số" in describe_issue(issue)
    if door != "dict":
        assert issue.location.line == 1


def test_numbers_inside_the_bounds_render() -> None:
    for typed in ["32800000000.00", "123456789012345678901234567890", "0.000001", "-26.86"]:
        validated = through("json", table(Raw(typed)))
        assert not [w for w in validated.warnings if "number" in w.code]
        parts_parse(baocao.render(validated))


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 1e300, 10**40, -(10**4400), Decimal("NaN"), Decimal("1e700000")],
    ids=["nan", "inf", "1e300", "10**40", "-10**4400", "Decimal-NaN", "Decimal-1e700000"],
)
def test_numbers_a_developer_passes_are_bounded_too(value: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(table(value))
    (issue,) = caught.value.issues
    assert issue.code in ("number_out_of_bounds", "number_not_finite")
    describe_issue(issue)  # printable: no internal error on the way to the clerk


def test_json_nan_and_infinity_are_refused_with_their_key() -> None:
    with pytest.raises(ValidationFailed) as caught:
        load_json(b'{"a": NaN,\n "b": -Infinity}', filename="r.json", max_bytes=10**6)
    assert [describe_issue(i) for i in caught.value.issues] == [
        "r.json:1:2: a: “NaN” không phải là một số",
        "r.json:2:2: b: “-Infinity” không phải là một số",
    ]


def test_a_yaml_integer_of_5000_digits_is_bounded_not_unreadable() -> None:
    with pytest.raises(ValidationFailed) as caught:
        baocao.load("a: 1\nb: " + "7" * 5000 + "\n", filename="bc.yaml")
    assert describe_issue(caught.value.issues[0]).startswith(
        "bc.yaml:2:4: b: số “77777777777777777777…” vượt giới hạn"
    )


def test_the_caller_s_dict_is_not_changed() -> None:
    data = minimal(trich_yeu="Kết\x07 quả")
    baocao.validate(data)
    assert data["trich_yeu"] == "Kết\x07 quả"


# --- the CLI: inputs that hung or crashed it ---------------------------------------------


def run_cli(*args: str, cwd: Path, timeout: float = 5) -> subprocess.CompletedProcess[str]:
    """Run ``baocao`` as a shell does; it must finish within ``timeout`` seconds."""
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", ["render", "validate"])
def test_a_fifo_nobody_writes_to_is_a_clean_error_not_a_hang(tmp_path: Path, command: str) -> None:
    """``open()`` of a FIFO with no writer blocked forever (item 13)."""
    os.mkfifo(tmp_path / "bc.yaml")
    result = run_cli(command, "bc.yaml", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert (
        "bc.yaml: không nhận được dữ liệu sau 3 giây: đây không phải tệp thường mà là ống dẫn"
        in (result.stderr)
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.yaml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_written_to_is_still_read(tmp_path: Path) -> None:
    """`baocao render <(…)` and a FIFO a program writes into keep working."""
    fifo = tmp_path / "bc.yaml"
    os.mkfifo(fifo)

    def write_later() -> None:
        time.sleep(0.5)
        with open(fifo, "w", encoding="utf-8") as stream:  # blocks until the reader opens
            stream.write(MINIMAL)

    writer = threading.Thread(target=write_later)
    writer.start()
    result = run_cli("validate", "bc.yaml", cwd=tmp_path)
    writer.join()
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_with_no_data_is_a_clean_error(tmp_path: Path) -> None:
    result = run_cli("validate", "/dev/null", cwd=tmp_path)
    assert result.returncode == 3
    assert "/dev/null: không có dữ liệu: đây không phải tệp thường" in result.stderr


def test_an_input_that_is_a_symlink_loop_is_a_clean_error(tmp_path: Path) -> None:
    """``ln -s a a; baocao render a`` was an internal error (item 11)."""
    (tmp_path / "a").symlink_to("a")
    for command in ("render", "validate"):
        result = run_cli(command, "a", cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert result.stderr.startswith("a: không đọc được tệp ("), result.stderr


def test_a_huge_exponent_in_the_cli_is_refused_within_a_second(tmp_path: Path) -> None:
    """``1.0e900000`` in a table took the CLI 36–70 s (item 8)."""
    report = tmp_path / "bc.yaml"
    cells = "  - bang:\n      cot: [Chỉ tiêu, Số]\n      dong:\n        - [A, 1.0e900000]\n"
    report.write_text(MINIMAL.replace("  - Nội dung.\n", cells), encoding="utf-8")
    start = time.perf_counter()
    result = run_cli("render", "bc.yaml", cwd=tmp_path)
    assert time.perf_counter() - start < 5
    assert result.returncode == 4, result.stderr
    assert "bc.yaml:11:15: noi_dung[0].bang.dong[0][1]: số “1.0e900000” vượt giới hạn" in (
        result.stderr
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.yaml"]


# --- fuzz: hostile text and numbers everywhere in a real report ---------------------------

HOSTILE = [*map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])]
HOSTILE += ["\ufffe", "\uffff", "\ud800", "\udfff", "\ufdd0", "\u0300", "\t", "\n", "&", "<"]
HUGE_NUMBERS = st.one_of(
    st.sampled_from([*HUGE, "NaN", "-Infinity", "1e30", "1e-31", "123456789012345678901234567890"]),
    st.integers(-(10**6), 10**6).map(lambda e: f"1.5e{e}"),
    st.integers(25, 40).map(lambda n: "9" * n),
)


def seed_as_json() -> dict[str, Any]:
    """Example 000 as another system would send it: JSON types only."""
    data = baocao.load(sorted(EXAMPLES.glob("000-*.yaml"))[0]).data

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, datetime.date):
            return as_group(value)
        return value

    return plain(data)  # type: ignore[no-any-return]


SEED = seed_as_json()


def leaves(value: Any) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every string and number in ``value``."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(item, (dict, list)):
            yield from leaves(item)
        elif isinstance(item, (str, int, Decimal)) and not isinstance(item, bool):
            yield value, key


@settings(
    max_examples=100,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_hostile_json_through_every_stage_is_a_docx_or_a_clean_error(data: st.DataObject) -> None:
    """Control characters and surrogates in strings, huge exponents in numbers: never a crash.

    Posted through ``load_json``, ``validate`` and ``render``: the result is a .docx
    whose every XML part parses, or a ``BaocaoError``, and never takes long.
    """
    report = json.loads(json.dumps(SEED))
    spots = list(leaves(report))
    everywhere = data.draw(st.sampled_from([None, *HOSTILE]), label="in every string")
    chosen = data.draw(st.lists(st.integers(0, len(spots) - 1), max_size=8), label="leaves")
    for container, key in spots:
        if everywhere is not None and isinstance(container[key], str):
            container[key] = everywhere + container[key] + everywhere
    for index in chosen:
        container, key = spots[index]
        if isinstance(container[key], str):
            text = data.draw(st.text(st.sampled_from(HOSTILE), min_size=1, max_size=4))
            at = data.draw(st.integers(0, len(container[key])))
            container[key] = container[key][:at] + text + container[key][at:]
        else:
            container[key] = Raw(data.draw(HUGE_NUMBERS))
    body = dump(report).encode()
    start = time.perf_counter()
    try:
        document = baocao.render(baocao.validate(load_json(body, filename="r", max_bytes=10**7)))
    except BaocaoError as error:
        describe_error(error)  # the message a clerk gets can be written
        if isinstance(error, ValidationFailed):
            for issue in error.issues:
                describe_issue(issue).encode("utf-8")
    else:
        parts_parse(document)
    assert time.perf_counter() - start < 5


# --- the service: JSON posted to /render and /validate ------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    from tests.test_service import serving

    with serving("--toi-da", "1") as base:
        yield base


def post(server: str, path: str, body: bytes) -> tuple[int, bytes]:
    from tests.test_service import call

    status, _, answer = call(server + path, body, "application/json")
    return status, answer


def test_the_service_renders_json_with_control_characters_into_a_well_formed_docx(
    server: str,
) -> None:
    """It answered 200 with a broken .docx, and /validate said valid (item 2)."""
    body = dump(minimal(trich_yeu="Kết\x0bquả\x01 năm", noi_dung=["A\x1fB\ufffe"])).encode()
    status, answer = post(server, "/validate", body)
    assert status == 200
    warnings = {(i["path"], i["code"], i["line"]) for i in json.loads(answer)["issues"]}
    assert {
        ("trich_yeu", "line_break_from_word", 1),
        ("trich_yeu", "control_chars_removed", 1),
        ("noi_dung[0]", "control_chars_removed", 1),
    } <= warnings
    status, answer = post(server, "/render", body)
    assert status == 200
    parts_parse(answer)


def test_the_service_refuses_a_lone_surrogate_duplicate_keys_and_a_huge_exponent(
    server: str,
) -> None:
    """A surrogate was a 500, a duplicate key was silently the last, 1.0e700000 took 11 s."""
    start = time.perf_counter()
    body = b'{"trich_yeu": "x\\ud800",\n "trich_yeu": "y",\n "so": 1.0e700000}'
    for path in ("/validate", "/render"):
        status, answer = post(server, path, body)
        assert status == 422
        issues = [(i["path"], i["code"], i["line"]) for i in json.loads(answer)["issues"]]
        assert issues == [
            ("trich_yeu", "lone_surrogate", 1),
            ("trich_yeu", "duplicate_key", 2),
            ("so", "number_out_of_bounds", 3),
        ]
    assert time.perf_counter() - start < 5
