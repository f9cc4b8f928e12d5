"""The message table: every code speaks both languages, with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import baocao.errors
from baocao.errors import Alternatives, BaocaoError, FormatError
from baocao.messages import LANGUAGES, MESSAGES, text

# Codes whose languages take different parameters on purpose (none left: PyYAML's
# problems are nested messages of their own, in both languages).
LANGUAGE_SPECIFIC: dict[str, dict[str, set[str]]] = {}


def placeholders(template: str) -> set[str]:
    """Return the names of the ``{placeholders}`` of a message template."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_speaks_every_language(code: str) -> None:
    entry = MESSAGES[code]
    assert set(entry) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert entry[lang].strip(), (code, lang)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_take_the_same_placeholders(code: str) -> None:
    found = {lang: placeholders(MESSAGES[code][lang]) for lang in LANGUAGES}
    if code in LANGUAGE_SPECIFIC:
        assert found == LANGUAGE_SPECIFIC[code]
    else:
        assert found["vi"] == found["en"]


def test_language_specific_codes_exist() -> None:
    assert set(LANGUAGE_SPECIFIC) <= set(MESSAGES)


# -- FormatError: a code and parameters, rendered when asked -------------------------------


def test_format_error_is_a_value_error_not_a_baocao_error() -> None:
    err = FormatError("quarter_bad", value=5)
    assert isinstance(err, ValueError)
    assert not isinstance(err, BaocaoError)
    assert (err.code, err.params) == ("quarter_bad", {"value": 5})


def test_format_error_str_is_vietnamese() -> None:
    err = FormatError("roman_bad", value=0)
    assert str(err) == "số La Mã chỉ viết được các số từ 1 đến 3999, nhận được 0"
    assert err.message("en") == "Roman numerals can only write numbers from 1 to 3999, got 0"


def test_nested_error_is_rendered_in_the_same_language() -> None:
    err = FormatError("filter_prefix", name="so", message=FormatError("filter_empty"))
    assert str(err) == "bộ lọc “so”: chưa có giá trị (ô để trống)"
    assert err.message("en") == "filter “so”: there is no value yet (the field is blank)"


def test_alternatives_are_quoted_and_joined_in_each_language() -> None:
    err = FormatError("option_bad", name="ty", value="ti", allowed=Alternatives(("tỷ", "tỉ")))
    assert str(err) == "tùy chọn ty=“ti” không hợp lệ; chỉ nhận “tỷ” hoặc “tỉ”"
    assert err.message("en") == "invalid option ty=“ti”; it accepts only “tỷ” or “tỉ”"


def test_a_plain_tuple_is_a_value_not_alternatives() -> None:
    err = FormatError("decimals_bad", value=(1, 2))
    assert err.message("en") == (
        "the number of decimal places must be a whole number, 0 or more; got (1, 2)"
    )


def test_text_fills_placeholders() -> None:
    assert text("quarter_bad", "en", value=7) == "quarter 7 is invalid (it must be from 1 to 4)"


def test_errors_module_does_not_import_messages_at_load_time() -> None:
    # messages imports errors at module level; the other way round would be a cycle.
    tree = ast.parse(Path(baocao.errors.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert "baocao.messages" not in imported


def test_compiled_catalogs_are_the_compilation_of_their_sources() -> None:
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(__file__).resolve().parent.parent / "tools" / "catalogs.py"
    result = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_help_and_type_names_come_from_the_catalogs() -> None:
    from baocao import messages

    assert messages.text("help_validate", "en").startswith("Check a YAML report")
    assert messages.type_name("list", "vi").startswith("danh sách")
    assert messages.text("or", "en") == "or" and messages.text("or", "vi") == "hoặc"
