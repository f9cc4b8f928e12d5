"""Errors as data: every problem a clerk sees is an ``Issue`` with a place.

Exceptions carry structured fields and an exit code; the CLI catches
``BaocaoError`` in exactly one place and prints it through ``messages``.
Foreign exceptions are wrapped where the foreign library is called.

What is wrong is a ``Message`` (a code and its parameters), held by every
``Issue``, ``BaocaoError`` and ``FormatError``; ``messages.render`` turns it
into words. This module does not import ``messages`` (which imports it):
``str()`` of an error asks the renderer ``messages`` registers when it loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from baocao.records import record

Path_ = tuple[str | int, ...]
"""A key path into the report: ``("noi_nhan", 2)``."""


@dataclass(frozen=True, order=True)
class Location:
    """Where something is in an input file (1-based line and column)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


def format_path(path: Path_) -> str:
    """Write a key path the way a clerk reads it: ``noi_nhan[2].ho_ten``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@record
class Message:
    """What to tell the reader, in no language yet: a code of the catalogs and its parameters.

    A parameter may itself be a message (a ``Message``, a ``FormatError``, or a dict
    ``{"code": …, **params}``), an ``Alternatives``, or a plain value.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


Renderer = Callable[[Message, str], str]
Describer = Callable[["BaocaoError", str], str]
_renderer: list[tuple[Renderer, Describer]] = []
"""What ``messages`` registers when it loads: ``messages.render`` and ``messages.describe_error``."""


def register_renderer(render: Renderer, describe: Describer) -> None:
    """Called by ``messages`` at load time: errors render without importing it (no cycle)."""
    _renderer[:] = [(render, describe)]


def _render(message: Message, lang: str) -> str:
    if not _renderer:  # not reached: importing baocao loads messages, which registers
        return f"{message.code} {dict(message.params)}"
    return _renderer[0][0](message, lang)


@record
class Issue:
    """One problem (or warning) in the input: where, which key, what.

    ``code`` names an entry of the message table (``messages.MESSAGES``);
    ``params`` fill its placeholders. Keeping text out of here lets every
    consumer (CLI, HTTP service, tests) choose the language.
    """

    location: Location
    path: Path_
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = False

    @property
    def message(self) -> Message:
        """What is wrong, as a ``Message`` (the place and warning flag aside)."""
        return Message(self.code, self.params)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by place, then by what is wrong, so output is stable."""
        where = self.location
        detail = f"{format_path(self.path)} {self.code} {sorted(self.params.items())!r}"
        return (where.file, where.line, where.column, detail)


class BaocaoError(Exception):
    """Base of every error baocao raises on purpose; carries an exit code.

    Exit codes: 0 success, 1 a bug (please report it), 2 wrong command line,
    3 unreadable input, 4 invalid report, 5 template problem, 6 cannot write,
    7 ``baocao check``: the document breaks a rule of the decree (not an error),
    8 the PDF could not be made (LibreOffice missing or failing).
    """

    exit_code = 1
    default_code = "error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.message = Message(code or self.default_code, params)
        super().__init__(self.message.code, params)

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.message.params)

    def __str__(self) -> str:
        """The error in English with its place (and, failed validation, every issue)."""
        if not _renderer:  # not reached: importing baocao loads messages, which registers
            return _render(self.message, "en")
        return _renderer[0][1](self, "en")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by state, so errors cross process boundaries (batch rendering)."""
        return (_restore, (type(self), self.__dict__.copy()))


def _restore(cls: type[BaocaoError], state: dict[str, Any]) -> BaocaoError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error.message.code, error.message.params)
    return error


class InputError(BaocaoError):
    """The input cannot be read or is not valid YAML; ``location`` says where."""

    exit_code = 3

    def __init__(self, code: str, location: Location, **params: Any) -> None:
        super().__init__(code, **params)
        self.location = location


class ValidationFailed(BaocaoError):
    """The input is YAML but not a valid report: ``issues`` lists every problem."""

    exit_code = 4
    default_code = "validation_failed"

    def __init__(self, issues: Iterable[Issue], more: int = 0) -> None:
        self.issues = sorted(issues, key=Issue.sort_key)
        self.more = more
        """Problems found after the listed ones, counted but not listed (``more_issues``)."""
        super().__init__(self.default_code, count=len(self.issues) + more)


class TemplateError(BaocaoError):
    """A template bundle is unknown, broken, or uses fields its schema lacks."""

    exit_code = 5


class ConvertError(BaocaoError):
    """LibreOffice is missing, or could not turn the .docx into a PDF."""

    exit_code = 8


class OutputError(BaocaoError):
    """The output cannot be written (exists, is the input, is open, no permission)."""

    exit_code = 6


class Alternatives(tuple[str, ...]):
    """Choices in an error's parameters, written “a” hoặc “b” (or “a” or “b”).

    A type of its own, not any tuple, so that a value the clerk typed is
    never mistaken for a list of choices.
    """

    __slots__ = ()


class FormatError(ValueError):
    """Bad data given to a formatting helper: a message code and its parameters.

    Raised by ``baocao.vietnamese`` and the template filters of
    ``baocao.formatting``. It is a ``ValueError`` (not a ``BaocaoError``):
    the helpers are plain functions, and callers that catch ``ValueError``
    keep working. ``str()`` gives the Vietnamese text, in lower case, so
    that a caller can put a place in front of it; ``message(lang)`` gives
    the text in another language. Both render ``self.about`` (a ``Message``)
    with ``messages.render`` only when asked:

    - a nested ``FormatError`` (a filter's error wraps the helper's error it
      caught) is rendered in the same language;
    - an ``Alternatives`` is quoted item by item and joined with "hoặc" or
      "or": ``allowed=Alternatives(("linh", "lẻ"))`` gives “linh” hoặc “lẻ”;
    - any other value is inserted as ``str.format`` writes it.

    The ``Message`` is ``about``, not ``message``: ``message(lang)`` is the text.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.about = Message(code, params)

    @property
    def code(self) -> str:
        return self.about.code

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.about.params)

    def __str__(self) -> str:
        return self.message("vi")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by code and parameters: a custom template's error crosses from its child process."""
        return (_format_error, (type(self), self.code, self.params))

    def message(self, lang: str) -> str:
        """Return the text of this error in ``lang`` ("vi" or "en")."""
        return _render(self.about, lang)


def _format_error(cls: type[FormatError], code: str, params: dict[str, Any]) -> FormatError:
    return cls(code, **params)


class CrashError(BaocaoError):
    """One report of a batch crashed (a bug, or memory ran out), or its worker process died.

    The batch goes on; exit 1, as for any internal error, if it is the first failure.
    """

    exit_code = 1
