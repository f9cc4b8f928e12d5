"""The version is written once, in baocao/_version.py; the build and the package read it there."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata

from click.testing import CliRunner

import baocao
from baocao.cli import make_cli
from tests.conftest import ROOT

SOURCE = ROOT / "baocao" / "_version.py"


def _written_version() -> str:
    match = re.search(r'(?m)^__version__ = "([^"]+)"$', SOURCE.read_text("utf-8"))
    assert match, "baocao/_version.py has no __version__"
    return match[1]


def test_version_is_the_installed_metadata_built_from_the_one_source() -> None:
    assert baocao.__version__ == metadata.version("baocao") == _written_version()
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'dynamic = ["version"]' in pyproject and 'path = "baocao/_version.py"' in pyproject


def test_no_second_literal_of_the_version() -> None:
    version = _written_version()
    written = [
        f"{path.relative_to(ROOT)}:{n}"
        for pattern in ("baocao/**/*.py", "docs/*.md", "README.md", "tools/*.py", "pyproject.toml")
        for path in sorted(ROOT.glob(pattern))
        if path != SOURCE
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if version in line or re.search(r"__version__\s*=\s*['\"]|^version\s*=", line)
    ]
    assert written == [], "the version is written only in baocao/_version.py"


def test_an_uninstalled_checkout_knows_its_version_without_metadata() -> None:
    # -S: no site-packages, so no installed metadata; the checkout itself is on the path.
    run = subprocess.run(
        [sys.executable, "-S", "-c", "import baocao; print(baocao.__version__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert run.stdout.strip() == _written_version()


def test_reading_the_version_does_not_import_the_metadata_machinery() -> None:
    # importlib.metadata pulls in the email parser: 19 ms of every one-shot render.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, baocao.cache, baocao.cli; "
            "print(baocao.__version__, 'importlib.metadata' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert run.stdout.split() == [_written_version(), "False"]


def test_cli_version_option_prints_it() -> None:
    result = CliRunner().invoke(make_cli(), ["--version"], prog_name="baocao")
    assert result.exit_code == 0
    assert result.output == f"baocao, version {_written_version()}\n"
