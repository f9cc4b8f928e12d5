"""The message table: every code speaks both languages, with the same placeholders."""

from __future__ import annotations

import ast
import re
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


def test_errors_module_does_not_import_messages() -> None:
    # messages imports errors; errors reaches the renderer messages registers, not messages
    # (before, FormatError.message and BaocaoError.__str__ imported it inside the method).
    tree = ast.parse(Path(baocao.errors.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not {"baocao.messages", "messages"} & imported, imported


def test_one_message_type_and_one_renderer() -> None:
    from baocao.errors import InputError, Issue, Location, Message
    from baocao.messages import describe_error, issue_message, render

    error = InputError("too_deep", Location("bc.yaml", 3, 1), limit=64)
    assert error.message == Message("too_deep", {"limit": 64})
    assert (error.code, error.params) == ("too_deep", {"limit": 64})
    assert describe_error(error, "en") == f"bc.yaml:3:1: {render(error.message, 'en')}"
    issue = Issue(Location("bc.yaml", 2, 1), ("a",), "required", {"field": "a"})
    assert issue.message == Message("required", {"field": "a"})
    assert issue_message(issue, "vi") == render(issue.message, "vi")
    nested = FormatError("filter_prefix", name="so", message=FormatError("filter_empty"))
    assert nested.about == Message("filter_prefix", nested.params)
    assert nested.message("en") == render(nested.about, "en")
    # A Message, a FormatError and a {"code": …} dict nest alike.
    inner = {"code": "yaml_not_a_number", "value": "x"}
    outer = Message("yaml_syntax", {"problem": Message("yaml_not_a_number", {"value": "x"})})
    assert render(outer, "en") == render(Message("yaml_syntax", {"problem": inner}), "en")
    assert render(outer, "en") == "YAML syntax error: “x” is not a number"


def test_errors_cross_processes_with_their_message() -> None:
    import pickle

    from baocao.errors import InputError, Location, ValidationFailed

    error = pickle.loads(pickle.dumps(InputError("too_deep", Location("bc.yaml", 3, 1), limit=64)))
    assert (error.code, error.params, str(error.location)) == (
        "too_deep",
        {"limit": 64},
        "bc.yaml:3:1",
    )
    failed = pickle.loads(pickle.dumps(ValidationFailed([], more=2)))
    assert (failed.code, failed.params["count"], failed.more) == ("validation_failed", 2, 2)
    wrapped = pickle.loads(pickle.dumps(FormatError("quarter_bad", value=5)))
    assert wrapped.message("en") == "quarter 5 is invalid (it must be from 1 to 4)"


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


# -- every code renders, with the parameters it is raised with ------------------------------

SAMPLE = 7
"""One value for every placeholder: a number, so that format specs such as {seconds:g} apply."""


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_renders_with_sample_parameters(code: str) -> None:
    for lang in LANGUAGES:
        sentence = MESSAGES[code][lang]
        sample = dict.fromkeys(placeholders(sentence), SAMPLE)
        # str.format itself, not messages.text, which falls back to the raw sentence.
        rendered = sentence.format(**sample)
        assert not re.search(r"\{\w*\}", rendered), (lang, rendered)
        assert text(code, lang, **sample) == rendered


RAISERS = {
    "InputError",
    "TemplateError",
    "OutputError",
    "ConvertError",
    "CrashError",
    "FormatError",
    "Issue",
    "Problem",
    "text",
    "msg",
    "_failure",
}
"""Calls that take a message code and its parameters (as keywords, or a dict after the code)."""

NOT_PARAMETERS = {"warning", "cell"}
"""Keywords of those calls that are not parameters of the sentence (``Issue(..., warning=True)``,
``Problem(..., cell=2)``: the table cell a message points at)."""


def raised_with() -> list[tuple[str, str, set[str]]]:
    """(place, code, parameter names) of every call in baocao/ that gives all its parameters literally.

    A call that passes ``**params``, or its parameters as a variable, is left out: its
    parameters are not known here.
    """
    found = []
    package = Path(baocao.errors.__file__).resolve().parent
    for module in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):  # a nested message: {"code": …, **params}
                keys = [key.value if isinstance(key, ast.Constant) else None for key in node.keys]
                if "code" in keys and None not in keys:
                    code = node.values[keys.index("code")]
                    if isinstance(code, ast.Constant) and code.value in MESSAGES:
                        names = {str(key) for key in keys if key != "code"}
                        found.append((f"{module.name}:{node.lineno}", code.value, names))
                continue
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = [
                i
                for i, arg in enumerate(node.args)
                if isinstance(arg, ast.Constant) and arg.value in MESSAGES
            ]
            if name not in RAISERS or len(position) != 1:
                continue
            code = node.args[position[0]].value
            after = node.args[position[0] + 1 :]
            if name == "text":
                after = after[1:]  # the language
            names = {k.arg for k in node.keywords if k.arg and k.arg not in NOT_PARAMETERS}
            complete = all(k.arg for k in node.keywords)
            if name in ("Issue", "Problem"):  # the parameters: a dict after the code
                given = after[0] if after else None
                if isinstance(given, ast.Dict) and all(
                    isinstance(key, ast.Constant) for key in given.keys
                ):
                    names |= {str(key.value) for key in given.keys if isinstance(key, ast.Constant)}
                else:
                    complete = False
            elif name in ("text", "msg", "_failure") and after:
                complete = False  # parameters given some other way than as keywords
            # An exception's positional arguments after the code are its place, not parameters.
            if complete:
                found.append((f"{module.name}:{node.lineno}", code, names))
    return found


def test_codes_are_raised_with_exactly_their_placeholders() -> None:
    calls = raised_with()
    assert len(calls) > 150  # the scan sees the calls
    wrong = []
    for where, code, names in calls:
        wanted = placeholders(MESSAGES[code]["vi"]) | placeholders(MESSAGES[code]["en"])
        if names != wanted:
            wrong.append(
                f"{where}: {code}: missing {sorted(wanted - names)}, unused {sorted(names - wanted)}"
            )
    assert wrong == []
