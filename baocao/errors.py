"""Errors as data: every problem a clerk sees is an ``Issue`` with a place.

Exceptions carry structured fields and an exit code; the CLI catches
``BaocaoError`` in exactly one place and prints it through ``messages``.
Foreign exceptions are wrapped where the foreign library is called.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True)
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

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by place, then by what is wrong, so output is stable."""
        where = self.location
        detail = f"{format_path(self.path)} {self.code} {sorted(self.params.items())!r}"
        return (where.file, where.line, where.column, detail)


class BaocaoError(Exception):
    """Base of every error baocao raises on purpose; carries an exit code.

    Exit codes: 0 success, 1 a bug (please report it), 2 wrong command line,
    3 unreadable input, 4 invalid report, 5 template problem, 6 cannot write.
    """

    exit_code = 1
    code = "error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(self.code, params)

    def __str__(self) -> str:
        from baocao.messages import describe_error

        return describe_error(self, "en")


class InputError(BaocaoError):
    """The input cannot be read or is not valid YAML; ``location`` says where."""

    exit_code = 3

    def __init__(self, code: str, location: Location, **params: Any) -> None:
        super().__init__(code, **params)
        self.location = location


class ValidationFailed(BaocaoError):
    """The input is YAML but not a valid report: ``issues`` lists every problem."""

    exit_code = 4
    code = "validation_failed"

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = sorted(issues, key=Issue.sort_key)
        super().__init__(self.code, count=len(self.issues))


class TemplateError(BaocaoError):
    """A template bundle is unknown, broken, or uses fields its schema lacks."""

    exit_code = 5


class OutputError(BaocaoError):
    """The output cannot be written (exists, is the input, is open, no permission)."""

    exit_code = 6
