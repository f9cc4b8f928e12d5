"""Golden cases: every XML part of each case's .docx, canonicalised, is exactly as recorded.

Two renders differ in zip timestamps and file ids, never in their parts; a
change to the output must come with `python tests/golden/update.py` and a
reviewed diff of tests/golden/expected/.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import baocao
from tests.conftest import EXAMPLES, TEMPLATES, template_of

HERE = Path(__file__).resolve().parent / "golden"
CASES: dict[str, Path] = {
    **{p.stem[:3]: p for p in sorted(EXAMPLES.glob("*.yaml"))},
    "bao-cao-init": TEMPLATES / "bao-cao" / "example.yaml",
    **{p.name: p / "bao-cao.yaml" for p in sorted((HERE / "cases").iterdir()) if p.is_dir()},
}
_VOLATILE = re.compile(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>")


W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def canonical(xml: bytes) -> bytes:
    """C14N 2.0 of a part, one element per line where paragraphs and rows start (readable diffs).

    Whitespace-only text between elements is layout of the XML file, not content
    (WordprocessingML has no mixed content outside w:t), so it is dropped.
    """
    root = etree.fromstring(xml)
    for element in root.iter():
        if element.tag != W_T and len(element) and element.text and not element.text.strip():
            element.text = None
        if element.tail and not element.tail.strip():
            element.tail = None
    text = etree.tostring(root, method="c14n2")
    return (
        re.sub(rb"(<w:(?:p|tr|tbl|sectPr|footnote|style|Relationship)[ >])", rb"\n\1", text) + b"\n"
    )


def parts(source: Path) -> dict[str, bytes]:
    template = source.parent.name if source.name == "example.yaml" else template_of(source)
    data = baocao.render(baocao.validate(baocao.load(source), template))
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = {}
    for name in sorted(archive.namelist()):
        if name.endswith((".xml", ".rels")):
            out[name if name.endswith(".xml") else name + ".xml"] = canonical(
                _VOLATILE.sub(b"", archive.read(name))
            )
        else:
            out[name + ".bin"] = archive.read(name)
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_part_is_as_recorded(name: str) -> None:
    expected_dir = HERE / "expected" / name
    got = parts(CASES[name])
    recorded = {p.name.replace("__", "/"): p.read_bytes() for p in expected_dir.iterdir()}
    assert sorted(got) == sorted(recorded)
    for part, xml in got.items():
        assert xml == recorded[part], (
            f"{name}: {part} differs (python tests/golden/update.py, then review the diff)"
        )
