"""Layering: WordprocessingML is known in one package, ``baocao/docx/``, and nowhere else.

Its text is escaped by one function, ``ooxml.escape_text``, in every part.

Issue 16's done-when, as a test: the literal ``<w:`` and any import of lxml
appear in baocao only under ``baocao/docx/``. ruff's banned-api says the same
for lxml (pyproject.toml), but it cannot see a string, nor an import in a
module that is exempt for another library (rendering.py, for docxtpl).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

import baocao
from baocao.docx import ooxml, package
from tests.conftest import MINIMAL

PACKAGE = Path(baocao.__file__).resolve().parent
DOCX = PACKAGE / "docx"
FORBIDDEN = re.compile(r"<w:|^\s*(?:import|from)\s+lxml\b", re.MULTILINE)


def outside_docx(root: Path = PACKAGE) -> list[str]:
    """Every line of baocao's Python outside ``docx/`` that writes ``<w:`` or imports lxml."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.is_relative_to(root / "docx"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FORBIDDEN.search(line):
                found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    return found


def test_wordprocessingml_is_known_only_in_baocao_docx() -> None:
    assert outside_docx() == []


def test_the_docx_package_is_where_it_is_known() -> None:
    """The check looks where the code is: the package holds both, so the pattern matches."""
    inside = [p for p in DOCX.rglob("*.py") if FORBIDDEN.search(p.read_text(encoding="utf-8"))]
    assert {p.name for p in inside} >= {"ooxml.py", "read.py", "styles.py", "story.py"}


def test_a_stray_element_or_import_is_found(tmp_path: Path) -> None:
    root = tmp_path / "baocao"
    (root / "docx").mkdir(parents=True)
    (root / "docx" / "ok.py").write_text('from lxml import etree\nP = "<w:p>"\n')
    (root / "stage.py").write_text('def f():\n    import lxml.etree\n\nP = "<w:p/>"\n')
    assert outside_docx(root) == [
        "baocao/stage.py:2: import lxml.etree",
        'baocao/stage.py:4: P = "<w:p/>"',
    ]


def test_core_properties_are_escaped_by_the_builders_one_function() -> None:
    """docProps/core.xml used to have an escape of its own (``&quot;``, ``'`` left as is)."""
    title = """Về "Đề án 06" & <dự án> 'số 1'"""
    quoted = "'" + title.replace("'", "''") + "'"  # YAML's single-quoted scalar
    text = MINIMAL.replace("trich_yeu: Kết quả công tác năm 2021", f"trich_yeu: {quoted}")
    data = baocao.render(baocao.validate(baocao.load(text)))
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")
    written = f"<dc:title>BÁO CÁO {ooxml.escape_text(title)}</dc:title>"
    assert written.encode() in core
    read = etree.fromstring(core).findtext("{http://purl.org/dc/elements/1.1/}title")
    assert read == f"BÁO CÁO {title}"
    assert not hasattr(package, "escape")


LAYOUT_STAGE = (
    "model",
    "layout",
    "body",
    "measure",
    "markup",
    "tables",
    "geometry",
    "widths",
    "agency",
)
"""The modules that decide a document: pure, no XML, nothing of a later stage."""

LATER = ("baocao.docx", "baocao.rendering", "baocao.output", "baocao.convert", "baocao.api")


def imports_of(module: str) -> set[str]:
    """The baocao modules ``module`` imports (at any depth of its code, not transitively)."""
    return imports_in((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))


def imports_in(source: str) -> set[str]:
    import ast

    tree = ast.parse(source)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("baocao")}


def test_layout_decides_without_knowing_the_writer() -> None:
    """Validated → lay out → model; only the writer (``docx.write``) says it in XML."""
    for module in LAYOUT_STAGE:
        later = sorted(n for n in imports_of(module) if n.startswith(LATER))
        assert later == [], module


def test_the_writer_reads_only_the_model() -> None:
    """``docx.write`` knows the model and the element builders, not the YAML's stages."""
    tree = imports_of("docx/write")
    assert {
        n for n in tree if n.startswith(("baocao.layout", "baocao.body", "baocao.validation"))
    } == set()
    assert "baocao.model" in tree


def test_imports_of_sees_a_later_stage() -> None:
    """The check above can fail: a layout module that reaches for the writer is seen."""
    source = "import os\n\ndef f():\n    from baocao.docx import write\n"
    assert imports_in(source) == {"baocao.docx", "baocao.docx.write"}


def test_validation_reaches_for_no_later_stage() -> None:
    """Validation runs before layout: what both need (tables, their widths, the page and
    the header's columns) is a pure module of its own, never the layout or the writer."""
    later = ("baocao.layout", "baocao.body", "baocao.docx", "baocao.rendering", "baocao.output")
    assert sorted(n for n in imports_of("validation") if n.startswith(later)) == []
    for shared in ("tables", "widths", "geometry", "agency"):
        assert sorted(n for n in imports_of(shared) if n.startswith(later)) == [], shared
