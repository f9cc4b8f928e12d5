"""The version is written once, in pyproject.toml; everything else reads it from the metadata."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata

from click.testing import CliRunner

import baocao
from baocao.cli import make_cli
from tests.conftest import ROOT


def _pyproject_version() -> str:
    # tomllib is 3.11+; the [project] table's own `version = "…"` line is enough here.
    match = re.search(r'(?m)^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text("utf-8"))
    assert match, "pyproject.toml has no [project] version"
    return match[1]


def test_version_is_the_installed_metadata_of_pyproject() -> None:
    assert baocao.__version__ == metadata.version("baocao") == _pyproject_version()


def test_no_second_literal_of_the_version() -> None:
    version = _pyproject_version()
    written = [
        f"{path.relative_to(ROOT)}:{n}"
        for pattern in ("baocao/**/*.py", "docs/*.md", "README.md", "tools/*.py")
        for path in sorted(ROOT.glob(pattern))
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if version in line or re.search(r"__version__\s*=\s*['\"]", line)
    ]
    assert written == [], "the version is written only in pyproject.toml"


def test_uninstalled_checkout_reports_unknown_version() -> None:
    # -S: no site-packages, so no installed metadata; the checkout itself is on the path.
    run = subprocess.run(
        [sys.executable, "-S", "-c", "import baocao; print(baocao.__version__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert run.stdout.strip() == baocao.UNKNOWN_VERSION == "0+unknown"


def test_cli_version_option_prints_it() -> None:
    result = CliRunner().invoke(make_cli(), ["--version"], prog_name="baocao")
    assert result.exit_code == 0
    assert result.output == f"baocao, version {_pyproject_version()}\n"
