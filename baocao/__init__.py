"""baocao: Vietnamese administrative reports from YAML, laid out to Nghị định 30/2020.

    >>> import baocao
    >>> source = baocao.load("bao-cao.yaml")                # doctest: +SKIP
    >>> report = baocao.validate(source)                     # doctest: +SKIP
    >>> baocao.write(baocao.render(report), "bao-cao.docx")  # doctest: +SKIP

or all at once: ``baocao.build("bao-cao.yaml")``, and a folder with
``baocao.build_many(["thang-10/"], jobs=2)``.

Names are imported on first use (PEP 562), so ``baocao --help`` and the
error types do not pay for docxtpl and Cerberus.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import TYPE_CHECKING, Any

from baocao._version import __version__

_HOMES = {
    "build": "baocao.api",
    "build_many": "baocao.batch",
    "Outcome": "baocao.batch",
    "BaocaoError": "baocao.errors",
    "InputError": "baocao.errors",
    "Issue": "baocao.errors",
    "Location": "baocao.errors",
    "OutputError": "baocao.errors",
    "TemplateError": "baocao.errors",
    "ValidationFailed": "baocao.errors",
    "Imported": "baocao.importer",
    "import_docx": "baocao.importer",
    "write": "baocao.output",
    "render": "baocao.rendering",
    "Source": "baocao.source",
    "load": "baocao.source",
    "Validated": "baocao.validation",
    "validate": "baocao.validation",
}

__all__ = [
    "BaocaoError",
    "Imported",
    "InputError",
    "Issue",
    "Location",
    "Outcome",
    "OutputError",
    "Source",
    "TemplateError",
    "Validated",
    "ValidationFailed",
    "__version__",
    "build",
    "build_many",
    "import_docx",
    "load",
    "render",
    "validate",
    "write",
]

if TYPE_CHECKING:
    from baocao.api import build
    from baocao.batch import Outcome, build_many
    from baocao.errors import (
        BaocaoError,
        InputError,
        Issue,
        Location,
        OutputError,
        TemplateError,
        ValidationFailed,
    )
    from baocao.importer import Imported, import_docx
    from baocao.output import write
    from baocao.rendering import render
    from baocao.source import Source, load
    from baocao.validation import Validated, validate


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'baocao' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


@contextmanager
def _importing(keep: bool = False) -> Iterator[None]:
    """Pause the cyclic collector while modules are imported; back as it was after.

    An import makes thousands of objects (functions, classes, their dicts) that
    live as long as the process and are never garbage. Walked by collections
    while they are made (each young object once, then again when it ages), they
    cost a one-shot ``baocao render`` about 6 ms. Paused, they wait in the young
    generation for the next collection; ``keep`` (a process that ends with its
    command: the console script) freezes them there instead, so no collection
    walks them at all (``gc.freeze``). Reference counting frees as before.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if collecting:
            gc.enable()


# The renderer of messages, registered with baocao.errors as messages loads: an error's
# str() says it in words however baocao was imported, and errors need not import messages.
# Cheap (the catalogs are read on first use); the CLI loads it anyway.
with _importing():
    import_module("baocao.messages")
