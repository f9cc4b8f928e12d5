"""baocao: Vietnamese administrative reports from YAML, laid out to Nghị định 30/2020.

    >>> import baocao
    >>> source = baocao.load("bao-cao.yaml")            # doctest: +SKIP
    >>> report = baocao.validate(source)                 # doctest: +SKIP
    >>> baocao.write(baocao.render(report), "bao-cao.docx")  # doctest: +SKIP

or all at once: ``baocao.build("bao-cao.yaml")``.
"""

from baocao.api import build
from baocao.errors import (
    BaocaoError,
    InputError,
    Issue,
    Location,
    OutputError,
    TemplateError,
    ValidationFailed,
)
from baocao.output import write
from baocao.render import render
from baocao.source import Source, load
from baocao.validation import Validated, validate

__version__ = "0.1.0"

__all__ = [
    "BaocaoError",
    "InputError",
    "Issue",
    "Location",
    "OutputError",
    "Source",
    "TemplateError",
    "Validated",
    "ValidationFailed",
    "__version__",
    "build",
    "load",
    "render",
    "validate",
    "write",
]
