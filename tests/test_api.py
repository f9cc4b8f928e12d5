"""The public Python API: a few names, pinned."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import baocao
from tests.conftest import MINIMAL
from tests.docx_facts import Docx


def test_public_names_are_pinned() -> None:
    assert baocao.__all__ == [
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
    for name in baocao.__all__:
        value = getattr(baocao, name)
        assert not inspect.ismodule(value), name


def test_functions_after_every_submodule_is_imported() -> None:
    """Importing a stage module must not shadow the function of the same name."""
    code = (
        "import baocao.api, baocao.rendering, baocao.validation, baocao.source, baocao.output\n"
        "import baocao, inspect\n"
        "print(all(inspect.isfunction(getattr(baocao, n)) for n in "
        "('build', 'build_many', 'load', 'render', 'validate', 'write')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"


def test_pipeline_in_steps_and_in_one_call(tmp_path: Path) -> None:
    source_file = tmp_path / "bc.yaml"
    source_file.write_text(MINIMAL, encoding="utf-8")
    source = baocao.load(source_file)
    report = baocao.validate(source, template="bao-cao")
    data = baocao.render(report)
    assert data[:2] == b"PK"
    written = baocao.write(data, tmp_path / "steps.docx")
    built = baocao.build(source_file)
    assert built == tmp_path / "bc.docx"
    # Two renders differ only in zip timestamps: compare the XML parts.
    steps, once = Docx(written.read_bytes()), Docx(built.read_bytes())
    for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/header2.xml"):
        assert steps.zip.read(part) == once.zip.read(part)


def test_build_into_a_folder(tmp_path: Path) -> None:
    """An output that is a folder (existing, or a name ending in "/") keeps the report's name."""
    source_file = tmp_path / "bc.yaml"
    source_file.write_text(MINIMAL, encoding="utf-8")
    assert baocao.build(source_file, tmp_path) == tmp_path / "bc.docx"
    made = baocao.build(source_file, f"{tmp_path}/ket-qua/")
    assert made == tmp_path / "ket-qua" / "bc.docx"
    assert Docx(made.read_bytes()).text == Docx((tmp_path / "bc.docx").read_bytes()).text


def test_errors_carry_exit_codes() -> None:
    assert [
        cls.exit_code
        for cls in (
            baocao.InputError,
            baocao.ValidationFailed,
            baocao.TemplateError,
            baocao.OutputError,
        )
    ] == [3, 4, 5, 6]
    assert all(
        issubclass(cls, baocao.BaocaoError)
        for cls in (
            baocao.InputError,
            baocao.ValidationFailed,
            baocao.TemplateError,
            baocao.OutputError,
        )
    )


def test_unknown_template_is_a_clear_error() -> None:
    try:
        baocao.validate(baocao.load(MINIMAL), template="bao-cao-x")
    except baocao.TemplateError as error:
        assert error.code == "template_unknown"
        assert "bao-cao" in error.params["available"]
    else:
        raise AssertionError("no error")


def test_a_prepared_template_is_reused_without_importing_docxtpl(tmp_path: Path) -> None:
    """The second process renders from the cache it was given: no docxtpl, same bytes of XML."""
    code = (
        "import sys, baocao\n"
        "from baocao.cache import TemplateCache\n"
        "cache = TemplateCache.default()\n"
        "data = baocao.render(baocao.validate(baocao.load(sys.argv[1])), cache=cache)\n"
        "print('docxtpl' in sys.modules, len(data) > 1000)"
    )
    env = {**os.environ, "BAOCAO_CACHE_DIR": str(tmp_path / "cache")}
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    first = subprocess.run(
        [sys.executable, "-c", code, str(report)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    second = subprocess.run(
        [sys.executable, "-c", code, str(report)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert first.stdout.split() == ["True", "True"]  # the first run prepares the template
    assert second.stdout.split() == ["False", "True"]  # the second reads it from the cache
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1


def test_a_valid_report_is_validated_without_importing_cerberus(tmp_path: Path) -> None:
    """A fresh process proves a valid report by the fast walk; Cerberus comes in for errors only."""
    code = (
        "import sys, baocao\n"
        "try:\n"
        "    baocao.validate(baocao.load(sys.argv[1]))\n"
        "except baocao.ValidationFailed as failed:\n"
        "    print(failed.issues[0].code)\n"
        "print('cerberus' in sys.modules)"
    )
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("dia_danh: Quảng Nam", "dia_danh: [Quảng Nam]"), "utf-8")
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        ).stdout.split()
        for path in (good, bad)
    ]
    assert runs == [["False"], ["wrong_type", "True"]]
