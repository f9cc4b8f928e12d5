"""Every date anywhere in a report is checked in validation, by one rule, at its key.

The date keys are found in each document type's schema (with ``ke_thua``),
not listed here: a date key a schema adds later is covered with no change.
An impossible date was found at two places with different coverage, and one
in an appendix (``dia_danh_ngay: {ngay: 31, thang: 4, nam: 2024}``) passed
``baocao validate`` and ended ``baocao render`` in "Lỗi nội bộ" (exit 1).
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from baocao import ValidationFailed, load, validate, vietnamese
from baocao.bundle import available, find
from baocao.errors import FormatError
from baocao.messages import describe_issue
from baocao.source import load_json
from baocao.validation import date_keys
from tests.conftest import RENDER

VALIDATE = [*RENDER[:-1], "validate"]
KINDS = sorted(available())
Key = tuple[str | int, ...]


def _schema_rules(template: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every rule of a schema, by its key's name: a plain walk over mappings, blind to meaning."""
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict):
                    found.append((str(key), value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(template.schema)
    walk(template.definitions)
    return found


def test_every_date_in_parts_of_every_schema_is_found() -> None:
    """Cross-check ``date_keys`` with a blind walk: each ``{ngay, …}`` group the schema has."""
    for kind in KINDS:
        template = find(kind)
        keys = date_keys(template)
        groups = {
            name
            for name, rules in _schema_rules(template)
            if isinstance(rules.get("schema"), dict) and "ngay" in rules["schema"]
        }
        assert groups, kind
        assert groups == {key[-1] for key in keys}, (kind, keys)
        assert ("ngay_ban_hanh",) in keys and ("phu_luc", 0, "dia_danh_ngay") in keys


def _whole_date_keys(kind: str) -> list[Key]:
    """The keys that take a date written whole (2024-04-30), found as ``date_keys`` finds parts."""
    template = find(kind)
    whole = {
        name
        for name, rules in _schema_rules(template)
        if "date" in (rules["type"] if isinstance(rules.get("type"), list) else [rules.get("type")])
    }
    keys = [key for key in date_keys(template) if key[-1] in whole]
    assert {key[-1] for key in keys} == whole  # no whole-date key outside the date groups
    return keys


def _without_top_key(text: str, key: str) -> str:
    """The YAML text without the top-level ``key`` and its indented lines."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if re.match(r"[^\s#]", line):
            skipping = line.startswith(f"{key}:")
        if not skipping:
            out.append(line)
    return "".join(out)


def _report(kind: str, key: Key, value: str) -> str:
    """The kind's example with ``value`` written at ``key`` (a list index makes one item)."""
    text = _without_top_key(find(kind).example.read_text(encoding="utf-8"), str(key[0]))
    lines: list[str] = []
    indent, dash = 0, False
    for index, step in enumerate(key):
        if isinstance(step, int):
            continue  # the key before it opened the item: "- "
        last = index == len(key) - 1
        lines.append(
            " " * indent + ("- " if dash else "") + (f"{step}: {value}" if last else f"{step}:")
        )
        indent += 4 if dash else 2
        dash = not last and isinstance(key[index + 1], int)
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def _where(text: str, needle: str) -> tuple[int, int]:
    """Line and column (from 1) of the last ``needle`` in ``text``."""
    before = text[: text.rindex(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _issues(text: str, lang: str = "vi") -> list[tuple[Key, int | None, int | None, str]]:
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"))
    return [
        (issue.path, issue.location.line, issue.location.column, describe_issue(issue, lang))
        for issue in caught.value.issues
    ]


IMPOSSIBLE_PARTS = [
    # (written, part at fault, message): the schema's range or the day-in-month rule
    ("{ngay: 31, thang: 4, nam: 2024}", "ngay", "ngày 31 không hợp lệ (phải từ 1 đến 30)"),
    ("{ngay: 29, thang: 2, nam: 2023}", "ngay", "ngày 29 không hợp lệ (phải từ 1 đến 28)"),
    ("{ngay: 30, thang: 2}", "ngay", "ngày 30 không hợp lệ (phải từ 1 đến 29)"),
    ("{ngay: 1, thang: 13, nam: 2024}", "thang", "giá trị 13 lớn hơn mức tối đa 12"),
    ("{ngay: 0, thang: 4, nam: 2024}", "ngay", "giá trị 0 nhỏ hơn mức tối thiểu 1"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("written", "part", "message"), IMPOSSIBLE_PARTS)
def test_an_impossible_date_in_parts_is_told_at_its_key(
    kind: str, written: str, part: str, message: str
) -> None:
    for key in date_keys(find(kind)):
        text = _report(kind, key, written)
        line, column = _where(text, f"{part}:")
        found = _issues(text)
        assert found == [((*key, part), line, column, found[0][3])], (key, found)
        assert found[0][3].endswith(
            f"{'.'.join(map(str, key)).replace('.0.', '[0].')}.{part}: {message}"
        )


IMPOSSIBLE_WHOLE = [
    ("2024-04-31", "ngày 31 không hợp lệ (phải từ 1 đến 30)"),
    ("2023-02-29", "ngày 29 không hợp lệ (phải từ 1 đến 28)"),
    ("2024-13-01", "tháng 13 không hợp lệ (phải từ 1 đến 12)"),
    ("2024-04-00", "ngày 0 không hợp lệ (phải từ 1 đến 30)"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("written", "message"), IMPOSSIBLE_WHOLE)
def test_an_impossible_whole_date_is_a_validation_error_at_its_key(
    kind: str, written: str, message: str
) -> None:
    """It was a YAML syntax error (exit 3); it is now told with the other problems (exit 4)."""
    for key in _whole_date_keys(kind):
        text = _report(kind, key, written)
        line, column = _where(text, written)
        assert _issues(text) == [(key, line, column, _issues(text)[0][3])], key
        assert _issues(text)[0][3].endswith(message)


def test_an_impossible_date_in_a_table_cell_is_told_at_the_cell() -> None:
    text = _report("bao-cao", ("noi_dung",), "[{bang: {cot: [Ngày], dong: [[2023-02-29]]}}]")
    line, column = _where(text, "2023-02-29")
    assert _issues(text, "en") == [
        (
            ("noi_dung", 0, "bang", "dong", 0, 0),
            line,
            column,
            f"bc.yaml:{line}:{column}: noi_dung[0].bang.dong[0][0]: "
            "day 29 is invalid (it must be from 1 to 28)",
        )
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_cli_refuses_every_impossible_date_with_exit_4_and_no_file(
    kind: str, tmp_path: Path
) -> None:
    """The issue's case, as a clerk meets it: ``validate`` said "hợp lệ", ``render`` crashed."""
    keys = date_keys(find(kind))
    cases = [(key, "{ngay: 31, thang: 4, nam: 2024}") for key in keys]
    cases += [(key, "2023-02-29") for key in _whole_date_keys(kind)]
    for number, (key, written) in enumerate(cases):
        report = tmp_path / f"r{number}.yaml"
        text = _report(kind, key, written)
        report.write_text(text, encoding="utf-8")
        out = tmp_path / f"r{number}.docx"
        line, column = _where(text, "ngay:" if written.startswith("{") else written)
        for command in (VALIDATE, [*RENDER, "-o", str(out)]):
            done = subprocess.run(
                [*command, str(report)], capture_output=True, text=True, timeout=30
            )
            assert done.returncode == 4, (key, done.stdout, done.stderr)
            assert done.stderr.startswith(f"{report}:{line}:{column}: "), done.stderr
            assert "Lỗi nội bộ" not in done.stderr
        assert list(tmp_path.glob("*.docx")) == []


def _document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize(
    ("written", "phrase"),
    [
        ("{thang: 12, nam: 2024}", "ngày      tháng 12 năm 2024"),
        ("{nam: 2024}", "ngày      tháng      năm 2024"),
        ("{ngay: 29, thang: 2}", "ngày 29 tháng 02 năm      "),  # the year may be a leap one
        ("{ngay: 29, thang: 2, nam: 2024}", "ngày 29 tháng 02 năm 2024"),
        ("{ngay: null, thang: null, nam: null}", "ngày      tháng      năm      "),
        ("2024-04-30", "ngày 30 tháng 4 năm 2024"),
    ],
)
def test_a_partial_or_real_date_renders_as_before(
    written: str, phrase: str, tmp_path: Path
) -> None:
    for key in date_keys(find("bao-cao")):
        report = tmp_path / "bc.yaml"
        report.write_text(_report("bao-cao", key, written), encoding="utf-8")
        out = tmp_path / "bc.docx"
        done = subprocess.run(
            [*RENDER, "-o", str(out), str(report)], capture_output=True, text=True, timeout=30
        )
        assert done.returncode == 0, done.stderr
        assert phrase in _document_text(out), key
        out.unlink()


def test_e_office_tokens_and_a_written_appendix_date_still_pass() -> None:
    text = _report("bao-cao", ("phu_luc", 0, "dia_danh_ngay"), "Hà Nội, ngày 31 tháng 4")
    assert validate(load(text + "ma_dac_biet: true\n")).data["ma_dac_biet"] is True


def test_the_one_date_rule_is_the_calendar() -> None:
    """A whole date is refused exactly when it is not in the calendar; a part left blank
    refuses only what no year allows (29 February waits for its year), and the date phrase
    the layout writes refuses exactly what validation refuses."""
    for year in (None, 1900, 2000, 2023, 2024):
        for month in (None, *range(1, 13)):
            for day in (None, *range(0, 33)):
                refused = vietnamese.date_problem(day, month, year) is not None
                if None not in (day, month, year):
                    assert refused == (not _in_calendar(year, month, day)), (day, month, year)
                elif day is not None and month is not None:
                    possible = any(_in_calendar(y, month, day) for y in (2023, 2024))
                    assert refused == (not possible), (day, month)
                try:
                    vietnamese.nd30_date_parts(day, month, year)
                except FormatError:
                    assert refused, (day, month, year)
                else:
                    assert not refused, (day, month, year)


def _in_calendar(year: Any, month: Any, day: Any) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def test_a_json_report_to_the_service_is_checked_the_same_way() -> None:
    """JSON has no date type: the service takes dates in parts, and the same walk finds them."""
    data = load(find("bao-cao").example.read_text(encoding="utf-8")).data
    data["phu_luc"] = [{"tieu_de": "PL", "dia_danh_ngay": {"ngay": 31, "thang": 4, "nam": 2024}}]
    text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    with pytest.raises(ValidationFailed) as caught:
        validate(load_json(text.encode("utf-8"), filename="bc.json"))
    line, column = _where(text, '"ngay": 31')
    assert [describe_issue(issue, "en") for issue in caught.value.issues] == [
        f"bc.json:{line}:{column}: phu_luc[0].dia_danh_ngay.ngay: "
        "day 31 is invalid (it must be from 1 to 30)"
    ]


def test_a_date_key_a_schema_adds_later_is_checked_with_no_code_change() -> None:
    """A date in parts added to the body's block (a definition that refers to itself)."""
    base = find("bao-cao")
    block = {**base.definitions["khoi"], "ngay_hop": base.definitions["phu_luc"]["dia_danh_ngay"]}
    template = replace(base, definitions={**base.definitions, "khoi": block})
    assert ("noi_dung", 0, "ngay_hop") in date_keys(template)
    assert ("phu_luc", 0, "noi_dung", 0, "ngay_hop") in date_keys(template)  # listed once each
    text = _report(
        "bao-cao",
        ("noi_dung",),
        "\n  - tieu_de: Họp\n    noi_dung:\n      - tieu_de: Lần 1\n"
        "        ngay_hop: {ngay: 29, thang: 2, nam: 2025}\n        noi_dung: [Nội dung.]",
    )
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"), template)
    line, column = _where(text, "ngay: 29")
    assert [describe_issue(issue, "vi") for issue in caught.value.issues] == [
        f"bc.yaml:{line}:{column}: noi_dung[0].noi_dung[0].ngay_hop.ngay: "
        "ngày 29 không hợp lệ (phải từ 1 đến 28)"
    ]
    assert validate(load(text.replace("nam: 2025", "nam: 2024")), template)


def test_validation_hands_every_checked_date_to_the_layout() -> None:
    """``Validated.dates``: each date by its key path, parts left blank as None, read once."""
    from tests.conftest import MINIMAL

    text = re.sub(r"(?m)^ngay_ban_hanh:.*$", "ngay_ban_hanh: 2024-04-30", MINIMAL) + (
        "phu_luc:\n"
        "  - tieu_de: Biểu số liệu\n"
        "    dia_danh_ngay: {ngay: null, thang: 4, nam: 2024}\n"
        "    noi_dung: [Nội dung.]\n"
    )
    validated = validate(load(text))
    assert validated.dates == {
        ("ngay_ban_hanh",): vietnamese.DateParts(30, 4, 2024),
        ("phu_luc", 0, "dia_danh_ngay"): vietnamese.DateParts(None, 4, 2024),
    }
