"""The pipeline in one call, as the command line runs it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from baocao.bundle import DEFAULT_TEMPLATE, Template, custom, find
from baocao.errors import Issue, OutputError
from baocao.output import write
from baocao.rendering import render
from baocao.source import MAX_BYTES, load
from baocao.validation import validate


def template_for(name_or_path: str | os.PathLike[str] | Template) -> Template:
    """A bundle by name ("bao-cao"), or a clerk's own .docx given as a path."""
    if isinstance(name_or_path, Template):
        return name_or_path
    text = str(name_or_path)
    if text.lower().endswith(".docx") or Path(text).is_file():
        return custom(Path(text))
    return find(text)


def default_output(input_path: Path) -> Path:
    """``bao-cao.yaml`` → ``bao-cao.docx``, in the same folder."""
    return input_path.with_suffix(".docx")


def build(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    template: str | os.PathLike[str] | Template = DEFAULT_TEMPLATE,
    overwrite: bool | None = None,
    on_warning: Callable[[Issue], None] | None = None,
    max_bytes: int = MAX_BYTES,
) -> Path:
    """Load, validate, render and write one report; return the .docx path.

    The output defaults to the input's name with ``.docx``. ``template`` is a
    bundle name or the path of a clerk's own .docx. Nothing is written unless
    every stage succeeded, and the input file is never written.
    """
    source_path = Path(input)
    target = Path(output) if output is not None else default_output(source_path)
    if target.suffix.lower() != ".docx":
        raise OutputError("output_suffix", path=str(target), expected=".docx")
    if target.resolve() == source_path.resolve():
        raise OutputError("output_is_input", path=str(target))
    validated = validate(load(source_path, max_bytes=max_bytes), template_for(template))
    if on_warning is not None:
        for warning in validated.warnings:
            on_warning(warning)
    return write(render(validated), target, overwrite=overwrite)
