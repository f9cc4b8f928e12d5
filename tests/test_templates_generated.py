"""The committed templates/*/template.docx are what tools/make_templates.py makes today.

Compared by meaning: each part canonicalised (C14N 2.0, layout whitespace and core
timestamps aside), so zip dates, compression and attribute order do not count, and a
change to the generator committed without `python tools/make_templates.py` fails
with the file, the part and a diff.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from baocao import nd30
from tests.conftest import ROOT, TEMPLATES
from tests.test_golden import _VOLATILE, canonical, diff


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "tools" / "make_templates.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


def _meaning(name: str, data: bytes) -> bytes:
    return canonical(_VOLATILE.sub(b"", data)) if name.endswith((".xml", ".rels")) else data


def differences(docx: bytes, generated: dict[str, str], label: str) -> list[str]:
    """What differs between a committed template and the generator's parts, one entry a part."""
    archive = zipfile.ZipFile(io.BytesIO(docx))
    committed = {name: _meaning(name, archive.read(name)) for name in archive.namelist()}
    made = {name: _meaning(name, text.encode("utf-8")) for name, text in generated.items()}
    found = [
        f"{label}: {name} is not made by the generator"
        for name in sorted(committed.keys() - made.keys())
    ]
    found += [f"{label}: {name} is missing" for name in sorted(made.keys() - committed.keys())]
    found += [
        diff(label, name, committed[name], made[name], sides=("committed", "generated"))
        for name in sorted(committed.keys() & made.keys())
        if committed[name] != made[name]
    ]
    return found


def test_every_bundle_is_generated() -> None:
    assert sorted(p.parent.name for p in TEMPLATES.glob("*/template.docx")) == sorted(
        GENERATOR.TYPES
    )


@pytest.mark.parametrize("folder", sorted(GENERATOR.TYPES))
def test_committed_template_is_what_the_generator_makes(folder: str) -> None:
    label = f"templates/{folder}/template.docx"
    found = differences(
        (TEMPLATES / folder / "template.docx").read_bytes(),
        GENERATOR.bundle_parts(folder),
        label,
    )
    if found:
        pytest.fail(
            "\n\n".join([*found, f"{label} is stale: run python tools/make_templates.py"]),
            pytrace=False,
        )


def test_a_generator_change_not_regenerated_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    committed = (TEMPLATES / "bao-cao" / "template.docx").read_bytes()
    label = nd30.NOI_NHAN_LABEL
    monkeypatch.setattr(nd30, "NOI_NHAN_LABEL", replace(label, before=label.before + 120))

    (found,) = differences(committed, GENERATOR.parts(), "templates/bao-cao/template.docx")

    assert found.startswith("--- committed templates/bao-cao/template.docx: word/styles.xml")
    assert '-      <w:spacing w:after="0" w:before="240"' in found
    assert '+      <w:spacing w:after="0" w:before="360"' in found


def test_only_meaning_counts(tmp_path: Path) -> None:
    # Another day, another compression level: the same template.
    again = tmp_path / "template.docx"
    with zipfile.ZipFile(again, "w", zipfile.ZIP_STORED) as archive:
        for name, text in GENERATOR.parts().items():
            archive.writestr(zipfile.ZipInfo(name, (2031, 1, 2, 3, 4, 6)), text.encode("utf-8"))
    assert again.read_bytes() != (TEMPLATES / "bao-cao" / "template.docx").read_bytes()
    assert differences(again.read_bytes(), GENERATOR.parts(), "again") == []
