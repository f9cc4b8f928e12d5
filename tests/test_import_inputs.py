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
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from baocao.api import build
from baocao.check import check, read
from baocao.docx.read import ole_kind
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


# -- .doc ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A render of example 008 and the .doc LibreOffice saves of it (Word 97–2003)."""
    folder = tmp_path_factory.mktemp("doc")
    docx = build(LETTER, folder / "cv.docx")
    profile = folder / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(folder),
            str(docx),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return docx, folder / "cv.doc"


def test_a_doc_is_converted_by_libreoffice_then_imported(
    doc: tuple[Path, Path], tmp_path: Path
) -> None:
    docx, old = doc
    assert old.read_bytes()[:4] == b"\xd0\xcf\x11\xe0" and ole_kind(old.read_bytes()) == "doc"
    target = tmp_path / "cv.yaml"
    done = run_import(old, target)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == import_docx(docx).yaml_text
    # baocao check still reads only .docx, and says what a .doc is.
    checked = subprocess.run(
        [*IMPORT[:-1], "--lang", "en", "check", str(old)], capture_output=True, text=True
    )
    assert checked.returncode == 3 and "Word 97–2003 file (.doc)" in checked.stderr


def test_a_doc_without_libreoffice_is_refused_with_the_install_command(
    doc: tuple[Path, Path], tmp_path: Path
) -> None:
    _, old = doc
    bare = tmp_path / "bin"  # a PATH where no soffice is found
    bare.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "BAOCAO_SOFFICE"}
    env["PATH"] = str(bare)
    assert shutil.which("soffice", path=env["PATH"]) is None
    target = tmp_path / "cv.yaml"
    for lang, words in (("vi", "cần LibreOffice"), ("en", "LibreOffice is needed")):
        done = run_import(old, target, "--lang", lang, env=env)
        assert done.returncode == 8, done.stderr
        assert str(old) in done.stderr and words in done.stderr
        assert "sudo apt-get install libreoffice-writer-nogui" in done.stderr
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]


def test_an_encrypted_docx_is_told_apart_from_a_doc(doc: tuple[Path, Path]) -> None:
    from tests.test_import import ENCRYPTED

    assert ole_kind(ENCRYPTED.read_bytes()) == "encrypted"
    assert ole_kind(doc[1].read_bytes()) == "doc"
    assert ole_kind(doc[0].read_bytes()) is None


# -- text boxes, comments, tracked changes -------------------------------------------------

ANCHOR = "Rà soát, lập danh sách"
"""The start of a body paragraph of example 008 where the edits below are made."""

NEXT = "Xét nâng bậc lương trước thời hạn"
"""The start of the body paragraph after it."""

NAMESPACES = {
    "w": W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}


def fragment(xml: str) -> etree._Element:
    """One element written with the usual prefixes."""
    declared = " ".join(f'xmlns:{p}="{uri}"' for p, uri in NAMESPACES.items())
    name = xml[1:].split(" ", 1)[0].split(">", 1)[0].split("/", 1)[0]
    return etree.fromstring(xml.replace(f"<{name}", f"<{name} {declared}", 1))


def anchor(root: etree._Element, start: str = ANCHOR) -> etree._Element:
    for p in root.iter(w("p")):
        if start in "".join(t.text or "" for t in p.iter(w("t"))):
            return p
    raise LookupError(start)


BOX = (
    "<w:p><w:r><w:t>Chữ trong hộp văn bản nổi</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>dòng thứ hai của hộp</w:t></w:r></w:p>"
)


def text_box(root: etree._Element) -> None:
    """A floating text box as Word writes it: DrawingML, and a VML copy for old readers."""
    run = fragment(
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        f"{BOX}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{BOX}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    anchor(root).append(run)


def test_a_text_boxs_words_come_in_once_where_it_is_anchored(tmp_path: Path) -> None:
    original = build(LETTER, tmp_path / "cv.docx")
    path = tmp_path / "hop.docx"
    path.write_bytes(edit(original.read_bytes(), text_box))
    imported = import_docx(path)
    text = imported.yaml_text
    assert text.count("Chữ trong hộp văn bản nổi") == 1 and text.count("dòng thứ hai") == 1
    assert text.index(ANCHOR) < text.index("Chữ trong hộp") < text.index("dòng thứ hai")
    assert text.index("dòng thứ hai") < text.index(NEXT)
    (warning,) = imported.warnings
    assert (warning.code, warning.params) == ("import_text_boxes", {"count": 1})


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-docx is not beside")
def test_the_v_v_in_a_floating_text_box_is_the_letters_summary() -> None:
    imported = import_docx(REAL / "09-cong-van-cai-nghien-tai-cong-dong.docx")
    assert imported.validated.data["trich_yeu"].startswith("tập trung triển khai thực hiện")
    assert [(w.code, w.params) for w in imported.warnings] == [("import_text_boxes", {"count": 1})]


COMMENTS = (
    f'<w:comments xmlns:w="{W}">'
    '<w:comment w:id="0" w:author="Phó Giám đốc"><w:p><w:r><w:t>GHI-CHÚ-MỘT: sửa số liệu'
    "</w:t></w:r></w:p></w:comment>"
    '<w:comment w:id="1" w:author="Chuyên viên"><w:p><w:r><w:t>GHI-CHÚ-HAI</w:t></w:r></w:p>'
    "</w:comment></w:comments>"
)


def comments(root: etree._Element) -> None:
    p = anchor(root)
    for n in (0, 1):
        p.insert(1, fragment(f'<w:commentRangeStart w:id="{n}"/>'))
        p.append(fragment(f'<w:commentRangeEnd w:id="{n}"/>'))
        p.append(fragment(f'<w:r><w:commentReference w:id="{n}"/></w:r>'))


def with_comments(data: bytes) -> bytes:
    data = edit(data, comments, {"word/comments.xml": COMMENTS.encode()})
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                entry = f'<Relationship Id="rIdComments" Type="{kind}" Target="comments.xml"/>'
                content = content.replace(b"</Relationships>", entry.encode() + b"</Relationships>")
            target.writestr(info, content)
    return out.getvalue()


def test_comments_are_counted_in_a_warning_and_left_out_of_the_text(tmp_path: Path) -> None:
    original = build(LETTER, tmp_path / "cv.docx")
    path = tmp_path / "ghi-chu.docx"
    path.write_bytes(with_comments(original.read_bytes()))
    imported = import_docx(path)
    assert imported.yaml_text == import_docx(original).yaml_text  # not a word more
    (warning,) = imported.warnings
    assert (warning.code, warning.params) == ("import_comments", {"count": 2})
    done = run_import(path, tmp_path / "gc.yaml", "--lang", "en")
    assert f"{path}: warning: the file has 2 comments" in done.stderr, done.stderr
    # baocao check reads the same text and judges it the same way.
    assert read(path).outside is None
    assert [r.rule for r in check(path).failed] == [r.rule for r in check(original).failed]


def tracked(root: etree._Element) -> None:
    """An insertion, a deletion and a move (from one paragraph to another), not accepted."""
    p = anchor(root)
    p.append(fragment('<w:ins w:id="1" w:author="A"><w:r><w:t> CHỮ-THÊM-VÀO</w:t></w:r></w:ins>'))
    p.append(
        fragment(
            '<w:del w:id="2" w:author="A"><w:r><w:delText> CHỮ-ĐÃ-XÓA</w:delText></w:r></w:del>'
        )
    )
    p.append(
        fragment(
            '<w:moveFrom w:id="3" w:author="A"><w:r><w:delText> CHỮ-CHUYỂN-ĐI</w:delText></w:r>'
            "</w:moveFrom>"
        )
    )
    anchor(root, NEXT).append(
        fragment('<w:moveTo w:id="4" w:author="A"><w:r><w:t> CHỮ-CHUYỂN-ĐẾN</w:t></w:r></w:moveTo>')
    )


def test_tracked_changes_come_in_accepted_and_a_warning_says_so(tmp_path: Path) -> None:
    original = build(LETTER, tmp_path / "cv.docx")
    path = tmp_path / "theo-doi.docx"
    path.write_bytes(edit(original.read_bytes(), tracked))
    imported = import_docx(path)
    text = imported.yaml_text
    assert "danh sách" in text and "CHỮ-THÊM-VÀO" in text and "CHỮ-CHUYỂN-ĐẾN" in text
    assert "CHỮ-ĐÃ-XÓA" not in text and "CHỮ-CHUYỂN-ĐI" not in text
    assert text.index("CHỮ-THÊM-VÀO") < text.index(NEXT) < text.index("CHỮ-CHUYỂN-ĐẾN")
    (warning,) = imported.warnings
    assert (warning.code, warning.params) == ("import_tracked_changes", {"count": 4})
    done = run_import(path, tmp_path / "td.yaml")
    assert "4 thay đổi đang theo dõi" in done.stderr and "bỏ phần xóa" in done.stderr
    assert read(path).outside is None
    assert [r.rule for r in check(path).failed] == [r.rule for r in check(original).failed]


# -- entities ----------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_entities_never_reach_the_network_nor_a_file(tmp_path: Path) -> None:
    # An external entity on a FIFO: a parser that expands it blocks for good opening it (an
    # lxml parser with resolve_entities=True does). An external DTD and a parameter entity on
    # a listening socket: a fetch would connect (the handshake completes without accept);
    # libxml2 2.14 has no HTTP client at all, this guards a build that has one.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.5)
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    declared = (
        f'<!DOCTYPE w:document SYSTEM "{url}/d.dtd" [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;'
        f'<!ENTITY f SYSTEM "{fifo.as_uri()}">]>'
    ).encode()
    original = build(LETTER, tmp_path / "cv.docx")
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, rest = data.split(b"?>", 1)
                data = head + b"?>" + declared + rest.replace(b"<w:t>", b"<w:t>&f;", 1)
            target.writestr(info, data)
    try:
        for command in ("import", "check"):
            done = subprocess.run(
                [*IMPORT[:-1], "--lang", "en", command, str(path)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 3 and "DOCTYPE" in done.stderr, done.stderr
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()
    assert not (tmp_path / "xxe.yaml").exists()
