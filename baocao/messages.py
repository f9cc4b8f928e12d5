"""Every sentence a clerk reads, in Vietnamese and English, from gettext catalogs.

Codes are stable identifiers (used by tests, the JSON output and the HTTP
service); the text is looked up at the last moment, in the language asked for.
The sentences live in baocao/locale/<lang>/LC_MESSAGES/baocao.po, compiled
with Babel by ``python tools/catalogs.py`` into the .mo files read here.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from baocao import memo
from baocao.errors import (
    Alternatives,
    BaocaoError,
    FormatError,
    InputError,
    Issue,
    Location,
    Message,
    ValidationFailed,
    format_path,
    register_renderer,
)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""gettext catalogs: locale/<lang>/LC_MESSAGES/baocao.po (source) and .mo (compiled)."""


_MISSING = "\x00missing"


class _Missing(gettext.NullTranslations):
    """Fallback that tells "not in the catalog" apart from a text equal to its code ("or")."""

    def gettext(self, message: str) -> str:
        return _MISSING


@memo.bounded(entries=4, size=4 * 2**20, weigh=lambda args, found: 2**20)
def _catalog(lang: str) -> gettext.GNUTranslations | None:
    """The compiled catalog of ``lang`` (stdlib gettext: no Babel at start-up)."""
    try:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "baocao.mo").open("rb") as stream:
            catalog = gettext.GNUTranslations(stream)
    except OSError:
        return None
    catalog.add_fallback(_Missing())
    return catalog


def template(code: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The sentence for ``code`` in ``lang`` (Vietnamese when ``lang`` lacks it), unfilled."""
    for language in (lang, DEFAULT_LANGUAGE):
        found = _own(code, language)
        if found is not None:
            return found
    return None


@cache
def codes() -> tuple[str, ...]:
    """Every message code, in catalog order (read from the Vietnamese .po with Babel)."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / DEFAULT_LANGUAGE / "LC_MESSAGES" / "baocao.po").open("rb") as stream:
        return tuple(str(message.id) for message in read_po(stream) if message.id)


class _Table(Mapping[str, Mapping[str, str]]):
    """The message table as a read-only mapping: ``MESSAGES[code][lang]``."""

    def __getitem__(self, code: str) -> Mapping[str, str]:
        if code not in codes():
            raise KeyError(code)
        return {lang: text for lang in LANGUAGES if (text := _own(code, lang)) is not None}

    def __iter__(self) -> Iterator[str]:
        return iter(codes())

    def __len__(self) -> int:
        return len(codes())


def _own(code: str, lang: str) -> str | None:
    catalog = _catalog(lang)
    found = catalog.gettext(code) if catalog is not None else _MISSING
    return None if found == _MISSING else found


MESSAGES: Mapping[str, Mapping[str, str]] = _Table()
"""Every sentence a clerk reads, by code and language (the catalogs, read-only)."""


def text(code: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Return the message ``code`` in ``lang`` with ``params`` filled in."""
    sentence = template(code, lang)
    if sentence is None:
        return f"{code} {params}" if params else code
    try:
        return sentence.format(**params)
    except (KeyError, IndexError):
        return sentence


def type_name(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Name a value type (``"list"``) the way a clerk reads it."""
    return template(f"type_{name}", lang) or name


def render(message: Message, lang: str = DEFAULT_LANGUAGE) -> str:
    """The one renderer: ``message`` in ``lang``, its parameters turned into words.

    - a nested message (a ``Message``, a ``FormatError``, or a dict ``{"code": …}``:
      a YAML problem, a table row, where in a template) is rendered in the same language;
    - an ``Alternatives`` is quoted item by item and joined with "hoặc" or "or";
    - ``expected`` (a tuple of type names) and ``got`` (a type name) are said as types,
      ``hint`` (the parameters of ``did_you_mean``) as a suggestion;
    - any other value is inserted as ``str.format`` writes it.
    """
    return text(message.code, lang, **_localise(message.params, lang))


def _localise(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Turn structured parameters (nested messages, choices, type names) into words."""
    joiner = f" {text('or', lang)} "
    out = dict(params)
    for key, value in out.items():
        if isinstance(value, Message):
            out[key] = render(value, lang)
        elif isinstance(value, FormatError):
            out[key] = render(value.about, lang)
        elif isinstance(value, Alternatives):
            out[key] = joiner.join(f"“{item}”" for item in value)
        elif isinstance(value, dict) and "code" in value:
            rest = {k: v for k, v in value.items() if k != "code"}
            out[key] = render(Message(value["code"], rest), lang)
    if isinstance(params.get("expected"), tuple) and not isinstance(
        params["expected"], Alternatives
    ):
        out["expected"] = joiner.join(type_name(name, lang) for name in params["expected"])
    if "got" in out and isinstance(out["got"], str):
        out["got"] = type_name(out["got"], lang)
    if isinstance(out.get("hint"), dict):
        out["hint"] = text("did_you_mean", lang, **out["hint"])
    return out


def issue_message(issue: Issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the message of one issue, without its place."""
    message = render(issue.message, lang)
    if issue.warning:
        message = f"{text('warning_prefix', lang)}: {message}"
    return message


_LABELS = ("label_text", "label_request")
"""Names of inputs that are no file (``source.TEXT_LABEL``, ``service.LABEL``): the Vietnamese
text is the label an error carries; it is shown in the reader's language."""


def place(location: Location, lang: str = DEFAULT_LANGUAGE) -> str:
    """``file:line:col``, with a label such as ``<văn bản>`` said in ``lang``."""
    for code in _LABELS:
        if location.file == template(code, DEFAULT_LANGUAGE):
            return str(Location(text(code, lang), location.line, location.column))
    return str(location)


def describe_issue(issue: Issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """Render one issue Black-style: ``file:line:col: path: message``."""
    where = place(issue.location, lang)
    message = issue_message(issue, lang)
    path = format_path(issue.path)
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def describe_error(error: BaocaoError, lang: str = DEFAULT_LANGUAGE) -> str:
    """Render an error (without the issue list of a ``ValidationFailed``)."""
    if isinstance(error, ValidationFailed):
        lines = [describe_issue(issue, lang) for issue in error.issues]
        if error.more:
            lines.append(text("more_issues", lang, count=error.more, shown=len(error.issues)))
        return "\n".join(lines)
    message = render(error.message, lang)
    if isinstance(error, InputError):
        return f"{place(error.location, lang)}: {message}"
    return message


def format_error_message(error: FormatError, lang: str = DEFAULT_LANGUAGE) -> str:
    """Render a ``FormatError`` in ``lang`` (``render(error.about, lang)``)."""
    return render(error.about, lang)


register_renderer(render, describe_error)
