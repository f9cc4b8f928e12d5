"""The pipeline in one call, as the command line runs it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from baocao.bundle import Template, template_for
from baocao.cache import TemplateCache
from baocao.errors import Issue, OutputError
from baocao.output import clean_stale, write
from baocao.rendering import render
from baocao.source import MAX_BYTES, load
from baocao.validation import validate


def default_output(input_path: Path, folder: Path | None = None) -> Path:
    """``bao-cao.yaml`` → ``bao-cao.docx``, in the same folder or in ``folder``."""
    document = input_path.with_suffix(".docx")
    return document if folder is None else folder / document.name


def names_folder(output: str | os.PathLike[str]) -> bool:
    """Tell whether ``output`` means a folder: one that exists, or a name ending in ``/``.

    A clerk who types ``-o ket-qua/`` means a folder even before it exists;
    ``pathlib`` drops that slash, so the name is read as given.
    """
    text = os.fspath(output)
    return text.endswith(("/", os.sep)) or os.path.isdir(text)


def build(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    template: str | os.PathLike[str] | Template | None = None,
    overwrite: bool | None = None,
    on_warning: Callable[[Issue], None] | None = None,
    max_bytes: int = MAX_BYTES,
    pdf: bool = False,
    cache: TemplateCache | None = None,
) -> Path:
    """Load, validate, render and write one report; return the path written.

    The output defaults to the input's name with ``.docx``; an output that
    names a folder (see ``names_folder``) gets that name inside it, and the
    folder is made when the document is written. An output ending in ``.pdf``
    writes only the PDF (through LibreOffice), and ``pdf=True`` writes a PDF
    beside the .docx as well. ``template`` is a bundle name or
    the path of a clerk's own .docx; without it the report's ``loai_van_ban``
    chooses (a báo cáo if it names none). Nothing is written unless every stage
    succeeded, and the input file is never written. ``cache`` keeps the prepared
    template between runs (see ``rendering.render``).
    """
    source_path = Path(input)
    into_folder = output is not None and names_folder(output)
    if output is None:
        target = default_output(source_path)
    elif into_folder:
        target = default_output(source_path, Path(output))
    else:
        target = Path(output)
    data = _rendered(source_path, target, template, on_warning, max_bytes, cache)
    clean_stale(target.parent)
    if target.suffix.lower() == ".pdf":
        with tempfile.TemporaryDirectory(prefix="baocao-") as scratch:
            document = Path(scratch) / f"{source_path.stem}.docx"
            document.write_bytes(data)
            return _to_pdf([document], [target], overwrite=_pdf_overwrite(overwrite))[0]
    written = write(data, target, overwrite=overwrite, make_folder=into_folder)
    if pdf:
        _to_pdf([written], [written.with_suffix(".pdf")], overwrite=_pdf_overwrite(overwrite))
    return written


def _rendered(
    source_path: Path,
    target: Path,
    template: str | os.PathLike[str] | Template | None,
    on_warning: Callable[[Issue], None] | None,
    max_bytes: int,
    cache: TemplateCache | None = None,
) -> bytes:
    """Every stage but the write: the document's bytes, or the error that stops them."""
    if not target.suffix:  # `-o ket-qua`: perhaps a folder that does not exist yet
        raise OutputError("output_no_suffix", path=str(target))
    if target.suffix.lower() not in (".docx", ".pdf"):
        raise OutputError("output_suffix", path=str(target), expected=".docx, .pdf")
    source = load(source_path, max_bytes=max_bytes)  # first: a symlink loop as input is told
    # realpath, not Path.resolve: a symlink loop as output is then the write's clean error
    if os.path.realpath(target) == os.path.realpath(source_path):
        raise OutputError("output_is_input", path=str(target))
    validated = validate(source, template_for(template, source.data))
    if on_warning is not None:
        for warning in validated.warnings:
            on_warning(warning)
    return render(validated, cache=cache)


def _to_pdf(documents: list[Path], targets: list[Path], *, overwrite: bool) -> list[Path]:
    """``convert.to_pdf``, imported when a PDF is asked for (LibreOffice's adapter: start-up time)."""
    from baocao.convert import to_pdf

    return to_pdf(documents, targets, overwrite=overwrite)


def _pdf_overwrite(overwrite: bool | None) -> bool:
    """A PDF is always made from its report, never edited by hand: replace it unless told not to."""
    return overwrite is not False


_MOVED = ("Outcome", "build_many", "reports_in")
"""Batch names that lived here before ``baocao.batch``: still found through this module."""


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from baocao import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'baocao.api' has no attribute {name!r}")
