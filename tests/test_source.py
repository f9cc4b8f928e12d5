"""The strict YAML loader: a clerk's data keeps the meaning it was typed with."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import baocao
from baocao import InputError, Location, ValidationFailed, load
from baocao.messages import describe_error, describe_issue
from tests.conftest import MINIMAL


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("No", "No"),
        ("true", True),
        ("false", False),
        ("010", 10),
        ("0042", 42),
        ("-7", -7),
        ("12", 12),
        ("1.50", Decimal("1.50")),
        ("26.86", Decimal("26.86")),
        ("-0.5", Decimal("-0.5")),
        ('"05"', "05"),
        ("'010'", "010"),
        ("2021-11-12", date(2021, 11, 12)),
        ("12/8/2021", "12/8/2021"),
        ("1.234.567", "1.234.567"),
        ("~", None),
        ("", None),
        ("null", None),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        (".inf", ".inf"),
        ("1e3", "1e3"),
    ],
)
def test_scalars_keep_their_typed_meaning(typed: str, value: object) -> None:
    loaded = load(f"a: {typed}\nb: 1\n").data["a"]
    assert loaded == value and type(loaded) is type(value)


def test_no_value_is_ever_a_float() -> None:
    data = load("a: [1.5, 2.25, 3]\nb: {c: 0.1}\n").data
    assert [type(v) for v in data["a"]] == [Decimal, Decimal, int]
    assert data["b"]["c"] == Decimal("0.1")


def test_duplicate_keys_name_both_lines() -> None:
    with pytest.raises(ValidationFailed) as caught:
        load("trich_yeu: A\nso: 1\ntrich_yeu: B\nx:\n  y: 1\n  y: 2\n", filename="bc.yaml")
    lines = [describe_issue(i) for i in caught.value.issues]
    assert lines == [
        "bc.yaml:3:1: trich_yeu: khóa “trich_yeu” bị lặp (đã có ở dòng 1); hãy xóa hoặc gộp một trong hai",
        "bc.yaml:6:3: x.y: khóa “y” bị lặp (đã có ở dòng 5); hãy xóa hoặc gộp một trong hai",
    ]


def test_positions_of_keys_and_items() -> None:
    source = load("a: 1\nlist:\n  - x\n  - k: v\n", filename="bc.yaml")
    assert source.positions[("a",)] == Location("bc.yaml", 1, 1)
    assert source.positions[("list", 1)] == Location("bc.yaml", 4, 5)
    assert source.positions[("list", 1, "k")] == Location("bc.yaml", 4, 5)
    assert source.locate(("list", 1, "missing")) == Location("bc.yaml", 4, 5)


def test_text_is_nfc_normalised() -> None:
    decomposed = "hoa\u0300 Vie\u0323\u0302t"  # "hoà Việt" typed with combining marks
    assert load(f"a: {decomposed}\n").data["a"] == "hoà Việt"


def test_control_characters_are_removed_with_a_warning() -> None:
    source = load('a: "x\\x07y\\x1bz\\ttab"\n', filename="bc.yaml")
    assert source.data["a"] == "xyz\ttab"
    (warning,) = source.warnings
    assert warning.warning and warning.path == ("a",)
    assert (
        describe_issue(warning)
        == "bc.yaml:1:4: a: cảnh báo: đã bỏ 2 ký tự điều khiển không in được"
    )


def test_bom_and_crlf_are_accepted() -> None:
    assert load(b"\xef\xbb\xbfa: 1\r\nb: c\r\n").data == {"a": 1, "b": "c"}


@pytest.mark.parametrize(
    ("text", "where", "vi"),
    [
        ("a: b: c\n", ":1:5:", "dấu “:” ở chỗ không được phép"),
        ("a:\n  - x\n - y\n", ":3:2:", "lỗi cú pháp YAML"),
        ('a: "x\n', ":2:1:", "tệp kết thúc giữa chừng"),
        ("- a\n- b\n", ":1:1:", "nội dung phải là các cặp “khóa: giá trị”"),
        ("", ":1:1:", "nội dung phải là các cặp"),
        ("a: !!timestamp 30/2/2021\n", ":1:4:", "ngày không có thật: 30/2/2021"),
    ],
)
def test_unreadable_yaml_says_where_and_what(text: str, where: str, vi: str) -> None:
    with pytest.raises(InputError) as caught:
        load(text + ("" if "\n" in text else "\n"), filename="bc.yaml")
    message = describe_error(caught.value, "vi")
    assert message.startswith("bc.yaml" + where), message
    assert vi in message


def test_files(tmp_path: Path) -> None:
    report = tmp_path / "bc.yaml"
    report.write_text("a: 1\n", encoding="utf-8")
    source = load(report)
    assert source.data == {"a": 1} and source.filename == str(report)
    assert source.base_dir == tmp_path
    assert load(str(report)).data == {"a": 1}
    with pytest.raises(InputError) as missing:
        load(tmp_path / "none.yaml")
    assert missing.value.code == "file_not_found"
    report.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(InputError) as binary:
        load(report)
    assert binary.value.code == "not_utf8"


def test_size_limit() -> None:
    with pytest.raises(InputError) as caught:
        load("a: " + "x" * 200 + "\n", max_bytes=100)
    assert caught.value.code == "too_large"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs a device with no end")
def test_a_file_with_no_size_is_read_to_the_limit_only() -> None:
    """A device or a pipe reports size 0: reading it whole never ended (`baocao render /dev/zero`).

    Run apart, with 1 GiB of memory and 60 s, so that a return of the bug fails
    this test instead of filling the machine.
    """
    import subprocess
    import sys

    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "from pathlib import Path\n"
        "from baocao.errors import InputError\n"
        "from baocao.source import load\n"
        "try:\n    load(Path('/dev/zero'), max_bytes=1000)\n"
        "except InputError as error:\n    print(error.code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout == "too_large\n", result.stderr[-500:]


def nested_sections(depth: int) -> str:
    section = "Nội dung."
    for _ in range(depth):
        section = "{tieu_de: Mục, noi_dung: [" + section + "]}"
    return f"trich_yeu: Thử\nnoi_dung:\n  - {section}\n"


def test_sections_nested_past_the_limit_are_refused_where_they_go_too_deep() -> None:
    """300 levels used to exhaust Python's stack in validation: an internal error."""
    assert len(load(nested_sections(31)).data["noi_dung"]) == 1  # 64 deep: at the limit
    with pytest.raises(InputError):
        load(nested_sections(32))
    with pytest.raises(InputError) as caught:
        load(nested_sections(300))
    assert caught.value.code == "too_deep"
    assert describe_error(caught.value) == (
        "<văn bản>:3:821: các mục, danh sách lồng vào nhau quá 64 tầng; báo cáo thật chỉ cần "
        "dưới 20 tầng"
    )


def test_a_deep_dict_built_in_python_is_refused_by_validate() -> None:
    """Not every report comes through load: a developer's own dict is checked at validate."""
    data = {**load(MINIMAL).data, "noi_dung": load(nested_sections(31)).data["noi_dung"]}
    baocao.validate(data)  # 64 deep: at the limit, and valid
    for _ in range(269):
        data = {**data, "noi_dung": [{"tieu_de": "Mục", "noi_dung": data["noi_dung"]}]}
    with pytest.raises(InputError) as caught:
        baocao.validate(data)
    assert caught.value.code == "too_deep"
    assert describe_error(caught.value).startswith("<văn bản>: các mục, danh sách lồng vào nhau")


@pytest.mark.parametrize(
    ("text", "where", "key", "rest"),
    [
        ("a: 1\ntrich_yeu:Kết quả\nb: 2\n", (2, 10), "trich_yeu", "Kết quả"),
        ("a: 1\ntrich_yeu:Kết quả\n", (2, 10), "trich_yeu", "Kết quả"),
        ("nguoi_ky:\n  chuc_vu:GIÁM ĐỐC\n  ho_ten: X\n", (2, 10), "chuc_vu", "GIÁM ĐỐC"),
        ("x:\n  - chuc_vu:GĐ\n    ho_ten: X\n", (2, 12), "chuc_vu", "GĐ"),
    ],
)
def test_a_key_without_a_space_after_its_colon_is_named(
    text: str, where: tuple[int, int], key: str, rest: str
) -> None:
    """YAML fails a line later, about a ":" the clerk sees; the line to fix is named instead."""
    with pytest.raises(InputError) as caught:
        load(text)
    assert caught.value.code == "key_without_space"
    assert (caught.value.location.line, caught.value.location.column) == where
    assert describe_error(caught.value).endswith(
        f"thiếu dấu cách sau dấu “:” của khóa “{key}”; hãy viết {key}: {rest}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "noi_dung:\n  - gach:Nội dung\n  - gach: Về: x\n",  # the second line is the mistake
        "noi_dung:\n  - gach:Nội dung\nnguoi_ky\nb: 1\n",  # nguoi_ky lacks its colon
        "lien_ket:\n  - https://dichvucong.gov.vn\nb: c: d\n",  # a URL is not a key
    ],
)
def test_text_with_a_colon_above_another_mistake_is_not_blamed(text: str) -> None:
    with pytest.raises(InputError) as caught:
        load(text)
    assert caught.value.code == "yaml_syntax"


def test_alias_bomb_is_refused() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(InputError) as caught:
        load("\n".join(lines) + "\n")
    assert caught.value.code == "too_many_nodes"


def test_tab_indentation_is_accepted() -> None:
    assert load("a:\n\t- x\n\t- y\nb:\n\tc: 1\n").data == {"a": ["x", "y"], "b": {"c": 1}}
    assert load("a: 'tab\tinside'\n").data == {"a": "tab\tinside"}


def test_raw_control_characters_are_removed_with_a_warning() -> None:
    source = load("a: x\x16y\nb: 1\x07\n", filename="bc.yaml")
    assert source.data == {"a": "xy", "b": 1}
    assert [describe_issue(w) for w in source.warnings] == [
        "bc.yaml:1:4: a: cảnh báo: đã bỏ 1 ký tự điều khiển không in được",
        "bc.yaml:2:4: b: cảnh báo: đã bỏ 1 ký tự điều khiển không in được",
    ]


def test_libyaml_and_python_parsers_agree_on_every_example() -> None:
    from baocao import source as module
    from tests.conftest import EXAMPLES

    if module._CParser is None:
        pytest.skip("PyYAML built without libyaml")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = module._parse(text, "x", None)
        pure_loader, module._LOADER = module._LOADER, module._Loader
        try:
            pure = module._parse(text, "x", None)
        finally:
            module._LOADER = pure_loader
        assert (fast.data, dict(fast.positions)) == (pure.data, dict(pure.positions)), path.name
