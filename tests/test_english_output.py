"""``--lang en``: every word the program itself prints is English.

The clerk's own text (and document text the program quotes, in “…”) may be
Vietnamese; so the inputs here are written without Vietnamese letters, and a
Vietnamese letter left in the output, outside quotes, is a sentence of the
program that did not go through the catalogs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from baocao.cli import main; main()", "--lang"]

VIETNAMESE = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")

REPORT = """\
co_quan_chu_quan: UBND TINH QUANG NAM
co_quan_ban_hanh: SO THONG TIN
so_ky_hieu: {so: 5, ky_hieu: STTTT}
dia_danh: Quang Nam
ngay_ban_hanh: 2021-11-12
trich_yeu: Ket qua cong tac
noi_dung:
  - Noi dung.
noi_nhan: [UBND, "Luu: VT"]
nguoi_ky: {chuc_vu: GIAM DOC, ho_ten: Nguyen Van A}
"""

TABLE = """\
  - bang:
      cot: [STT, Area, Total, Online, Paper]
      cong_thuc: ["(3)=(4)+(5)"]
      dong:
        - [1, Post, 3, 1, 1]
        - [2, ~, ~, ~, ~]
        - {cong: [9, 9, 9], nhan: Sub}
      tong_cong: [9, 2, 2]
"""

SYNTAX = {
    # One of each kind of problem PyYAML reports, and the values we refuse ourselves.
    "colon": "trich_yeu: a: b\n",
    "list": "trich_yeu: [a, b\n",
    "group": "trich_yeu: {a: 1\n",
    "alias": "trich_yeu: *foo\n",
    "anchor": "trich_yeu: &\n",
    "end": 'trich_yeu: "abc\n',
    "escape": 'trich_yeu: "a\\q"\n',
    "at": "trich_yeu: @x\n",
    "bar": 'trich_yeu: "a" b\n',
    "indent": "noi_dung:\n  - a\n - b\n",
    "key": "a:\n  b: 1\n c: 2\n",
    "tag": "trich_yeu: !quan abc\n",
    "number": "trich_yeu: !!int abc\n",
    "date": "trich_yeu: !!timestamp 2021-02-30x\n",
    "json_like": "{",
}

VALIDATION = {
    "table": REPORT.replace("  - Noi dung.\n", "  - Noi dung.\n" + TABLE),
    "missing_and_wrong_type": REPORT.replace("dia_danh: Quang Nam\n", "")
    .replace("ngay_ban_hanh: 2021-11-12", "ngay_ban_hanh: [1]")
    .replace("trich_yeu: Ket qua cong tac", "trich_yue: Ket qua"),
    "bad_date": REPORT.replace("2021-11-12", "2021-02-30"),
    "too_long": REPORT.replace("so: 5", "so: -5"),
}


def english_leaks(output: str) -> list[str]:
    """Lines of ``output`` with a Vietnamese letter outside quotes."""
    return [line for line in output.splitlines() if VIETNAMESE.search(QUOTED.sub("", line))]


def run(lang: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, lang, *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_yaml_syntax_errors_are_english(case: str, tmp_path: Path) -> None:
    report = tmp_path / "r.yaml"
    report.write_text(SYNTAX[case], encoding="utf-8")
    english = run("en", "validate", str(report))
    assert english.returncode == 3, english.stderr
    assert "YAML syntax error" in english.stderr or "JSON" in english.stderr
    assert english_leaks(english.stderr) == []
    # The same input in Vietnamese does speak Vietnamese: the check above can fail.
    vietnamese = run("vi", "validate", str(report))
    assert english_leaks(vietnamese.stderr)


@pytest.mark.parametrize("case", sorted(VALIDATION))
def test_validation_errors_are_english(case: str, tmp_path: Path) -> None:
    report = tmp_path / "r.yaml"
    report.write_text(VALIDATION[case], encoding="utf-8")
    english = run("en", "validate", str(report))
    assert english.returncode == 4, english.stderr
    assert english_leaks(english.stderr) == []
    assert english_leaks(run("vi", "validate", str(report)).stderr)


def test_table_rows_are_named_in_english(tmp_path: Path) -> None:
    report = tmp_path / "r.yaml"
    report.write_text(VALIDATION["table"], encoding="utf-8")
    english = run("en", "validate", str(report)).stderr
    assert "row 1 (Post), column (3) Total: typed 3" in english
    assert "the “TỔNG CỘNG” row, column (3) Total: typed 9" in english
    vietnamese = run("vi", "validate", str(report)).stderr
    assert "dòng 1 (Post), cột (3) Total: ghi 3" in vietnamese
    assert ": TỔNG CỘNG, cột (3) Total: ghi 9" in vietnamese


REAL = next(
    (
        folder / "shared" / "real-docx"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "real-docx").is_dir()
    ),
    Path("real-docx"),
)


@pytest.mark.skipif(not REAL.is_dir(), reason="the real documents are not on this machine")
def test_check_results_on_real_documents_are_english() -> None:
    documents = sorted(REAL.glob("*.docx"))
    assert documents
    for document in documents:
        english = run("en", "check", str(document))
        assert english.returncode in (0, 7), english.stderr
        assert english_leaks(english.stdout + english.stderr) == [], document.name


EXPLAINED = {
    "colon": "a “:” where it is not allowed: put text that contains “: ” in double quotes",
    "list": "a list […] lacks a comma or its closing “]” (did not find expected ',' or ']')",
    "alias": "the alias (*name) is not defined (found undefined alias)",
    "escape": "a “\\” inside double quotes; use single quotes instead",
    "tag": "“!quan” at the start of a value is special YAML syntax",
}


@pytest.mark.parametrize("case", sorted(EXPLAINED))
def test_yaml_problems_are_explained_in_english_too(case: str, tmp_path: Path) -> None:
    # Before, only the Vietnamese output explained PyYAML's problem; English got its bare words.
    report = tmp_path / "r.yaml"
    report.write_text(SYNTAX[case], encoding="utf-8")
    assert f"YAML syntax error: {EXPLAINED[case]}" in run("en", "validate", str(report)).stderr


def test_every_yaml_problem_has_a_sentence() -> None:
    from baocao import source
    from baocao.messages import MESSAGES

    assert set(source._PROBLEMS.values()) <= set(MESSAGES)


def test_inputs_that_are_no_file_are_named_in_the_readers_language() -> None:
    from baocao import InputError, load, service, source
    from baocao.messages import describe_error, template

    assert template("label_text", "vi") == source.TEXT_LABEL
    assert template("label_request", "vi") == service.LABEL
    with pytest.raises(InputError) as caught:
        load("trich_yeu: a: b\n")
    assert describe_error(caught.value, "en").startswith("<text>:1:13: YAML syntax error: ")
    assert describe_error(caught.value, "vi").startswith("<văn bản>:1:13: lỗi cú pháp YAML: ")
