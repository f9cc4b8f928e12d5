"""`baocao import` on every input a clerk may hand it: read safely, nothing lost.

Legacy fonts: our own renders with their text re-encoded here to TCVN3 or VNI
and the font set on each run, imported through the real reader, must give the
YAML of the Unicode original, with a warning counting the runs converted; the
real files whose styles name a legacy font over Unicode runs convert nothing.
A .doc is made by LibreOffice from a render and imported through it; without
LibreOffice on the PATH the command refuses it with the install command. Text
boxes, comments and tracked changes are written into a render's XML here.
"""

from __future__ import annotations

import copy
import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from baocao.api import build
from baocao.check import read
from baocao.importer import import_docx
from baocao.legacy import TCVN3, VNI_PAIRS, VNI_SINGLES
from tests.conftest import EXAMPLES, SHARED

IMPORT = [sys.executable, "-c", "from baocao.cli import main; main()", "import"]
REAL = SHARED / "real-docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
EXAMPLE = EXAMPLES / "003-cai-cach-hanh-chinh-dong-thap-2022.yaml"
LETTER = EXAMPLES / "008-cong-van-nang-bac-luong-2024.yaml"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def edit(
    data: bytes, change: Callable[[etree._Element], None], extra: dict[str, bytes] | None = None
) -> bytes:
    """``data`` with word/document.xml changed by ``change``, and ``extra`` parts added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(content)
                change(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def run_import(
    source: Path, target: Path, *options: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*IMPORT, str(source), "-o", str(target), *options],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


# -- legacy encodings ---------------------------------------------------------------------

TO_TCVN3 = {unicode: code for code, unicode in TCVN3.items()}
TO_VNI = {unicode: code for code, unicode in VNI_SINGLES.items()}
for _code, _unicode in VNI_PAIRS.items():
    TO_VNI.setdefault(_unicode, _code)


def tcvn3_pieces(text: str) -> list[tuple[str, str, str]]:
    """``text`` as a TCVN3 typist enters it: (font, codes) pieces. Toned capitals exist only
    in the capitals font ``.VnTimeH``, typed there with the lowercase codes. Each piece
    is (font, codes, the Unicode text they stand for)."""
    pieces: list[tuple[str, str, str]] = []
    for char in text:
        if char in TO_TCVN3 or char.lower() not in TO_TCVN3:  # ASCII, or no capital form
            font, code = ".VnTime", TO_TCVN3.get(char, char)
        else:
            font, code = ".VnTimeH", TO_TCVN3[char.lower()]
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + code, pieces[-1][2] + char)
        else:
            pieces.append((font, code, char))
    return pieces


def vni_pieces(text: str) -> list[tuple[str, str, str]]:
    return [("VNI-Times", "".join(TO_VNI.get(char, char) for char in text), text)]


def reencode(
    encode: Callable[[str], list[tuple[str, str, str]]],
    fonts: bool = True,
    changed: list[str] | None = None,
) -> Callable[[etree._Element], None]:
    """Every run beyond ASCII retyped in a legacy encoding: split into one run per font,
    each with the run's own formatting and (``fonts``) that font on every slot. The
    pieces whose codes differ from the Unicode text go into ``changed``."""

    def change(root: etree._Element) -> None:
        for run in list(root.iter(w("r"))):
            texts = run.findall(w("t"))
            if len(texts) != 1 or texts[0].text is None or texts[0].text.isascii():
                continue
            parent, at = run.getparent(), run.getparent().index(run)
            parent.remove(run)
            for offset, (font, codes, plain) in enumerate(encode(texts[0].text)):
                if changed is not None and codes != plain:
                    changed.append(codes)
                new = copy.deepcopy(run)
                t = new.find(w("t"))
                t.text = codes
                t.set(XML_SPACE, "preserve")
                if fonts:
                    rpr = new.find(w("rPr"))
                    if rpr is None:
                        rpr = etree.SubElement(new, w("rPr"))
                        new.insert(0, rpr)
                    for old in rpr.findall(w("rFonts")):
                        rpr.remove(old)
                    rfonts = etree.Element(w("rFonts"))
                    for slot in ("ascii", "hAnsi", "cs"):
                        rfonts.set(w(slot), font)
                    rpr.insert(0, rfonts)
                parent.insert(at + offset, new)

    return change


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(EXAMPLE, tmp_path_factory.mktemp("legacy") / "original.docx")


@pytest.mark.parametrize(
    ("encode", "encodings"), [(tcvn3_pieces, "TCVN3"), (vni_pieces, "VNI")], ids=["tcvn3", "vni"]
)
def test_a_report_typed_in_legacy_fonts_imports_as_its_unicode_original(
    original: Path,
    encode: Callable[[str], list[tuple[str, str, str]]],
    encodings: str,
    tmp_path: Path,
) -> None:
    changed: list[str] = []
    legacy = edit(original.read_bytes(), reencode(encode, changed=changed))
    path = tmp_path / "cu.docx"
    path.write_bytes(legacy)
    as_typed = "".join(line.text for line in read(path, whole=True).head)
    assert not any(0x1EA0 <= ord(char) <= 0x1EF9 for char in as_typed)  # no Unicode left
    expected = import_docx(original)
    imported = import_docx(path)
    assert imported.yaml_text == expected.yaml_text
    (warning,) = imported.warnings
    assert warning.code == "import_legacy_converted"
    assert warning.params["count"] == len(changed)
    assert warning.params["encodings"] == encodings
    assert warning.location.file == str(path)
    assert not expected.warnings
    for lang, words in (("vi", "phông cũ"), ("en", "legacy fonts")):
        target = tmp_path / f"{lang}.yaml"
        done = run_import(path, target, "--lang", lang)
        assert done.returncode == 0, done.stderr
        (line,) = [line for line in done.stderr.splitlines() if words in line]
        assert line.startswith(f"{path}: ") and f" {len(changed)} " in line and encodings in line
        assert target.read_text(encoding="utf-8") == expected.yaml_text


def test_legacy_text_in_a_unicode_font_is_found_by_its_characters(
    original: Path, tmp_path: Path
) -> None:
    # TCVN3 codes left in Times New Roman (the font changed after typing): long paragraphs
    # are recognised by their characters alone; every sentence of the body comes back.
    path = tmp_path / "cu.docx"
    path.write_bytes(edit(original.read_bytes(), reencode(tcvn3_pieces, fonts=False)))
    expected = import_docx(original).validated.data
    imported = import_docx(path)
    (warning,) = imported.warnings
    assert warning.code == "import_legacy_converted" and warning.params["encodings"] == "TCVN3"
    again = imported.yaml_text
    for paragraph in expected["mo_dau"]:
        assert paragraph in again


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-docx is not beside")
@pytest.mark.parametrize(
    "name",
    [
        "02-quyet-dinh-hoi-dong-atvsld",
        "14-bao-cao-quan-ly-hoi-2025",
        "20-thong-bao-ket-luan-hoi-nghi-cchc",
    ],
)
def test_unicode_runs_under_a_style_naming_a_legacy_font_are_not_converted(name: str) -> None:
    # Their Normal style names VNI-Times or .VnTime; every run sets Times New Roman.
    source = REAL / f"{name}.docx"
    styles = zipfile.ZipFile(source).read("word/styles.xml")
    assert b"VNI-Times" in styles or b".VnTime" in styles
    imported = import_docx(source)
    assert not [w for w in imported.warnings if w.code == "import_legacy_converted"]
    as_is, converted = read(source, whole=True), read(source, whole=True, legacy=True)
    assert converted.outside is not None and converted.outside.legacy_runs == 0
    lines = [line.text for line in (*converted.head, *converted.content, *converted.tail)]
    assert lines == [line.text for line in (*as_is.head, *as_is.content, *as_is.tail)]
    assert len(" ".join(lines).split()) > 300
