"""`baocao check --fix`: a corrected copy that passes the rules it fixed and keeps every word.

Each document of test_check's BROKEN set (our render, edited to break one rule)
is fixed: where the fault has a safe fix the copy passes every rule, else it
still fails that rule, unharmed. The copy's words are always the original's
(numbers by value, so the decree's padding counts as the same number). The
real Word files of ../shared/real-docx are fixed too, with the same promises.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from baocao.check import check
from baocao.check.fix import fix, words
from baocao.cli import make_cli
from baocao.docx.read import NS, Docx, page_paragraphs, q
from tests.conftest import EXAMPLES, render_file
from tests.test_check import (
    BROKEN,
    REPORT,
    edit,
    paragraph,
    render,
    replace_text,
    run_property,
)
from tests.test_libreoffice import SOFFICE, convert, page_text

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-docx"

FIXABLE = {
    "trang: left margin 20 mm",
    "trang: top margin 30 mm",
    "trang: Letter paper",
    "phong_chu: a run in Arial",
    "phong_chu: a run in a theme font",
    "quoc_hieu: Quốc hiệu 14 pt",
    "quoc_hieu: Tiêu ngữ not bold",
    "quoc_hieu: Quốc hiệu typed in lower case without caps",
    "co_quan: agency 14 pt",
    "co_quan: no rule under the agency",
    "quoc_hieu: no rule under the Tiêu ngữ",
    "so_ky_hieu: number not padded",
    "ngay_thang: day and month padding",
    "ngay_thang: month 1 not padded",
    "ngay_thang: not italic",
    "ten_loai: type name not bold",
    "ten_loai: trích yếu not centred",
    "ten_loai: no rule under the trích yếu",
    "noi_dung: a paragraph in 12 pt",
    "noi_dung: a paragraph aligned left",
    "noi_dung: no first-line indent",
    "noi_dung: double line spacing",
    "noi_dung: no space between paragraphs",
    "noi_nhan: an item without its semicolon",
    "noi_nhan: last item without its full stop",
    "noi_nhan: label not italic",
    "nguoi_ky: position not bold",
    "nguoi_ky: name not bold",
    "so_trang: page number on page 1 (no titlePg)",
}
"""The BROKEN cases whose fault ``--fix`` repairs; the others are the author's to fix."""


@pytest.fixture(scope="module")
def good() -> bytes:
    return render(REPORT)


def test_fixable_names_are_cases() -> None:
    assert set(BROKEN) >= FIXABLE


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_document_is_fixed_or_left_unharmed(good: bytes, case: str) -> None:
    rule = case.split(":")[0]
    broken = edit(good, BROKEN[case])
    result = fix(broken)
    assert words(result.data) == words(broken)
    if case in FIXABLE:
        assert result.fixed, case
        assert {f.rule for f in result.fixed} <= {rule, "noi_dung"}
        assert check(result.data).passed, check(result.data).lines("en")
        assert result.rules_fixed == [rule]
    else:
        assert [r.rule for r in check(result.data).failed] == [rule]


def test_a_good_document_is_left_as_it_is(good: bytes) -> None:
    result = fix(good)
    assert result.fixed == () and result.data == good


def _texts(data: bytes) -> list[str]:
    return [p.text for p in Docx(data).paragraphs]


def test_the_text_changes_only_by_the_decree_s_punctuation_and_padding(good: bytes) -> None:
    broken = edit(
        good,
        lambda root: (
            replace_text("Số: 12/BC-STTTT", "Số: 5/BC-STTTT")(root),
            replace_text("ngày 12 tháng 11", "ngày 5 tháng 1")(root),
            replace_text("- UBND tỉnh;", "- UBND tỉnh,")(root),
            replace_text("- Lưu: VT, VP.", "- Lưu: VT, VP")(root),
        ),
    )
    result = fix(broken)
    before, after = _texts(broken), _texts(result.data)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed == [
        ("Số: 5/BC-STTTT", "Số: 05/BC-STTTT"),
        ("Quảng Nam, ngày 5 tháng 1 năm 2021", "Quảng Nam, ngày 05 tháng 01 năm 2021"),
        ("- UBND tỉnh,", "- UBND tỉnh;"),
        ("- Lưu: VT, VP", "- Lưu: VT, VP."),
    ]
    codes = sorted(f.code for f in result.fixed)
    assert codes == [
        "fix_noi_nhan_add",
        "fix_noi_nhan_end",
        "fix_padding",
        "fix_padding",
        "fix_padding",
    ]
    assert check(result.data).passed


def test_a_heading_label_gets_its_space(good: bytes) -> None:
    broken = edit(good, replace_text("2. Công tác khác", "2.Công tác khác"))
    result = fix(broken)
    assert "2. Công tác khác" in _texts(result.data)
    assert [(f.code, f.params) for f in result.fixed] == [("fix_label_space", {"label": "2."})]
    assert words(result.data) == words(broken)


def test_the_parent_agency_gets_its_size_and_is_not_bold(good: bytes) -> None:
    """As in real files 08 and 12: the parent agency line at 14 pt; the decree says 12–13 pt,
    capitals, not bold (PL I, II.2). Its words stay."""
    broken = edit(good, run_property("UBND TỈNH QUẢNG NAM", '<w:sz w:val="28"/>'))
    assert not check(broken)["co_quan"].passed
    result = fix(broken)
    assert result.after["co_quan"].passed and result.after.passed
    assert [f.params["text"] for f in result.fixed] == ["UBND TỈNH QUẢNG NAM"]
    shown = result.fixed[0].detail("en")
    assert "size 14 pt changed to 13 pt" in shown, shown
    assert words(result.data) == words(broken)
    line = paragraph(etree.fromstring(_document_xml(result.data)), "UBND TỈNH QUẢNG NAM")
    run = line.find("w:r", NS)
    assert run.find("w:rPr/w:sz", NS).get(q("w:val")) == "26"
    assert run.find("w:rPr/w:b", NS) is None  # not bold, as it was


def test_a_bold_face_name_becomes_the_font_in_bold(good: bytes) -> None:
    """ "Times New Roman Bold" (a real Word habit, file 20) is Times New Roman, bold."""
    broken = edit(
        good,
        run_property(
            "Đoạn văn thứ nhất",
            '<w:rFonts w:ascii="Times New Roman Bold" w:hAnsi="Times New Roman Bold"/>',
        ),
    )
    assert {r.rule for r in check(broken).failed} == {"phong_chu"}
    result = fix(broken)
    docx = Docx(result.data)
    para = docx.find("Đoạn văn thứ nhất")
    assert para.fonts() == {"Times New Roman"}
    assert para.toggles("b") == {True}
    assert result.fixed[0].code == "fix_phong_chu_face"
    assert "(bold)" in result.fixed[0].detail("en")


def _no_header(root: etree._Element) -> None:
    section = root.find("w:body/w:sectPr", NS)
    for ref in section.findall("w:headerReference", NS):
        section.remove(ref)
    title = section.find("w:titlePg", NS)
    if title is not None:
        section.remove(title)


def test_page_numbers_are_added_from_page_two(good: bytes) -> None:
    broken = edit(edit(good, _no_header), _set_pages(5), part="docProps/app.xml")
    assert "so_trang" in {r.rule for r in check(broken).failed}
    result = fix(broken)
    assert check(result.data).passed, check(result.data).lines("en")
    docx = Docx(result.data)
    section = docx.sections[0]
    assert section.find("w:titlePg", NS) is not None
    default = docx.story("default")
    first = docx.story("first")
    assert default is not None and first is not None
    (para,) = page_paragraphs(docx, default[1])
    assert para.align == "center" and para.sizes() == {14.0}
    assert page_paragraphs(docx, first[1]) == []
    with zipfile.ZipFile(__import__("io").BytesIO(result.data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        assert f"/{default[0]}" in types and f"/{first[0]}" in types


def _set_pages(count: int) -> Callable[[etree._Element], None]:
    """The file's own page count set to ``count`` (added where the file states none, as
    ours does: reading then estimates it, and a short render is one page)."""

    def change(root: etree._Element) -> None:
        for element in root:
            if etree.QName(element).localname == "Pages":
                element.text = str(count)
                return
        etree.SubElement(root, f"{{{etree.QName(root).namespace}}}Pages").text = str(count)

    return change


def test_the_page_number_size_and_alignment_are_fixed(good: bytes) -> None:
    docx = Docx(good)
    header = docx.story("default")
    assert header is not None

    def small_left(root: etree._Element) -> None:
        for p in root.iter(q("w:p")):
            ppr = p.find("w:pPr", NS)
            if ppr is not None:
                for jc in ppr.findall("w:jc", NS):
                    ppr.remove(jc)
                etree.SubElement(ppr, q("w:jc")).set(q("w:val"), "left")
            for r in p.iter(q("w:r")):
                rpr = r.find("w:rPr", NS)
                if rpr is None:
                    rpr = etree.SubElement(r, q("w:rPr"))
                    r.remove(rpr)
                    r.insert(0, rpr)
                etree.SubElement(rpr, q("w:sz")).set(q("w:val"), "22")

    broken = edit(good, small_left, part=header[0])
    assert {r.rule for r in check(broken).failed} == {"so_trang"}
    result = fix(broken)
    assert sorted(f.code for f in result.fixed) == ["fix_so_trang_centre", "fix_so_trang_size"]
    assert check(result.data).passed


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        return package.read("word/document.xml")


# -- the command ---------------------------------------------------------------------------


def _run(args: list[str], cwd: Path) -> tuple[int, str]:
    import os

    runner = CliRunner()

    old = os.getcwd()
    os.chdir(cwd)
    try:
        outcome = runner.invoke(make_cli("vi"), args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return outcome.exit_code, outcome.output


def test_the_command_writes_a_copy_outside_the_input_folder(good: bytes, tmp_path: Path) -> None:
    inbox = tmp_path / "goc"
    inbox.mkdir()
    original = inbox / "bao-cao.docx"
    broken = edit(good, BROKEN["noi_nhan: an item without its semicolon"])
    original.write_bytes(broken)
    fixed = tmp_path / "da-sua"
    fixed.mkdir()
    (fixed / "bao-cao.docx").write_bytes(broken)
    code, out = _run(["check", "da-sua/bao-cao.docx", "--fix"], tmp_path)
    assert code == 6 and "thư mục của tệp gốc" in out  # the default place is its own folder
    assert (fixed / "bao-cao.docx").read_bytes() == broken
    (fixed / "bao-cao.docx").unlink()
    code, out = _run(["check", str(original), "--fix"], tmp_path)
    assert code == 0, out
    assert "✓ đã sửa — Nơi nhận" in out
    copy = tmp_path / "da-sua" / "bao-cao.docx"
    assert check(copy).passed
    assert original.read_bytes() == broken  # the original is never touched without --ghi-de
    code, out = _run(["check", str(original), "--fix", "-o", str(copy)], tmp_path)
    assert code == 6  # the copy exists: not replaced without --ghi-de
    code, out = _run(["check", str(original), "--fix", "-o", "moi/"], tmp_path)
    assert code == 0, out  # "moi/" names a folder, made for it, not a file named "moi"
    assert check(tmp_path / "moi" / "bao-cao.docx").passed
    code, out = _run(["check", str(original), "--fix", "--ghi-de", "--json"], tmp_path)
    shown = json.loads(out)
    assert shown["rules_fixed"] == ["noi_nhan"] and shown["output"] == str(original)
    assert shown["fixed"][0]["code"] == "fix_noi_nhan_add"
    assert check(original).passed


def test_the_command_fixes_a_folder(good: bytes, tmp_path: Path) -> None:
    inbox = tmp_path / "thu-muc"
    (inbox / "con").mkdir(parents=True)
    (inbox / "a.docx").write_bytes(edit(good, BROKEN["trang: left margin 20 mm"]))
    (inbox / "con" / "b.docx").write_bytes(edit(good, BROKEN["danh_so: 3. after 1."]))
    (inbox / "hong.docx").write_bytes(b"not a zip")
    code, out = _run(["check", "thu-muc", "--fix", "-o", "da-sua", "--json"], tmp_path)
    assert code == 7
    shown = json.loads(out)
    files = {Path(f["file"]).name: f for f in shown["files"]}
    assert files["a.docx"]["rules_fixed"] == ["trang"]
    assert [r["rule"] for r in files["b.docx"]["not_fixed"]] == ["danh_so"]
    assert "error" in files["hong.docx"]
    assert check(tmp_path / "da-sua" / "a.docx").passed
    assert (tmp_path / "da-sua" / "con" / "b.docx").is_file()
    assert sorted(p.name for p in inbox.rglob("*")) == ["a.docx", "b.docx", "con", "hong.docx"]


def test_the_command_passes_chinh_xac_on(
    good: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--fix --chinh-xac`` counts pages with LibreOffice, for one file and for a folder: with
    a LibreOffice that fails (``BAOCAO_SOFFICE`` naming /bin/false) the count fails, and the
    same command without ``--chinh-xac`` does not need it."""
    inbox = tmp_path / "goc"
    inbox.mkdir()
    (inbox / "a.docx").write_bytes(edit(good, BROKEN["trang: left margin 20 mm"]))
    monkeypatch.setenv("BAOCAO_SOFFICE", "/bin/false")
    code, out = _run(["check", "goc/a.docx", "--fix", "--chinh-xac"], tmp_path)
    assert code != 0 and "LibreOffice" in out, out
    assert not (tmp_path / "da-sua").exists()  # nothing written
    code, out = _run(["check", "goc", "--fix", "--exact", "--json"], tmp_path)
    assert code != 0 and "LibreOffice" in json.loads(out)["files"][0]["error"]
    code, out = _run(["check", "goc/a.docx", "--fix"], tmp_path)
    assert code == 0 and check(tmp_path / "da-sua" / "a.docx").passed, out


def test_the_fixed_copy_goes_where_the_clerk_said(good: bytes, tmp_path: Path) -> None:
    """One rule for a file and a folder (``fix_target``): ./da-sua/ by default, ``-o`` a file or
    a folder (made if missing), the original's folder only when named."""
    from baocao.cli import fix_target
    from baocao.errors import OutputError

    inbox = tmp_path / "goc"
    inbox.mkdir()
    (inbox / "a.docx").write_bytes(good)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        default = tmp_path / "da-sua"
        assert fix_target(inbox / "a.docx", None, False) == (default / "a.docx", True)
        assert fix_target(inbox, None, False) == (default, True)
        assert fix_target(inbox / "a.docx", "moi/", False) == (Path("moi/a.docx"), True)
        assert fix_target(inbox / "a.docx", "x.docx", False) == (Path("x.docx"), False)
        assert fix_target(inbox / "a.docx", None, True) == (inbox / "a.docx", False)
        assert fix_target(inbox, None, True) == (inbox, True)
        assert fix_target(inbox / "a.docx", "goc/b.docx", False)[0] == Path("goc/b.docx")
        with pytest.raises(OutputError):
            fix_target(inbox, "goc", False)  # its copies would replace the originals
        with pytest.raises(OutputError):  # a file in ./da-sua/ would be fixed onto itself
            fix_target(Path("da-sua/a.docx"), None, False)
    finally:
        os.chdir(old)


# -- real Word files ------------------------------------------------------------------------


@pytest.mark.skipif(not REAL.is_dir(), reason="no real documents here")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in REAL.glob("*.docx")) if REAL.is_dir() else []
)
def test_a_real_file_is_fixed_without_losing_a_word(name: str) -> None:
    """Recall 1.0: every word of the original is in the copy, in order; no rule that passed
    fails after; every rule a change was listed for passes after."""
    data = (REAL / name).read_bytes()
    result = fix(data, name=name)
    assert words(result.data) == words(data)
    # every one of these files draws its rules as shapes (README): adding one makes two
    # (file 14's trích yếu, whose shape is anchored outside its table, got a second one)
    assert "fix_rule_added" not in {f.code for f in result.fixed}
    before = {r.rule: r.passed for r in result.before.results}
    after = {r.rule: r.passed for r in result.after.results}
    assert [rule for rule, ok in before.items() if ok and not after[rule]] == []
    for rule in {f.rule for f in result.fixed}:  # passes now, or fails for fewer reasons
        if not after[rule]:
            assert len(result.after[rule].params["problems"]) < len(
                result.before[rule].params["problems"]
            ), rule
    zipfile.ZipFile(__import__("io").BytesIO(result.data)).testzip()


def _headers_gone_title_kept(root: etree._Element) -> None:
    """As in real file 12: ``w:titlePg`` on, but no header at all."""
    section = root.find("w:body/w:sectPr", NS)
    for ref in section.findall("w:headerReference", NS):
        section.remove(ref)


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
@pytest.mark.parametrize("change", [_no_header, _headers_gone_title_kept])
def test_added_page_numbers_print_from_page_two(
    tmp_path: Path, change: Callable[[etree._Element], None]
) -> None:
    """In LibreOffice: no number on page 1, "2" centred at the top of page 2."""
    data = edit(render_file(EXAMPLES / "000-pci-quang-nam-2021.yaml"), change)
    result = fix(data)
    assert "fix_so_trang_added" in {f.code for f in result.fixed}
    docx = tmp_path / "da-sua.docx"
    docx.write_bytes(result.data)
    pdf = convert(docx, tmp_path)
    first, second = page_text(pdf, 1), page_text(pdf, 2)
    assert first.lstrip().startswith("UBND TỈNH QUẢNG NAM")
    top = next(line for line in second.splitlines() if line.strip())
    assert top.strip() == "2" and len(top) - len(top.lstrip()) > 20


def test_both_rules_are_added(good: bytes) -> None:
    broken = edit(
        good,
        lambda root: (
            BROKEN["quoc_hieu: no rule under the Tiêu ngữ"](root),
            BROKEN["co_quan: no rule under the agency"](root),
        ),
    )
    result = fix(broken)
    assert [f.code for f in result.fixed] == ["fix_rule_added", "fix_rule_added"]
    assert result.after.passed


def test_no_rule_is_added_beside_a_drawing(good: bytes) -> None:
    """A shape near the Tiêu ngữ may be a rule the checker did not recognise: none is
    added (a second line would be worse than none), and the clerk is told why."""

    def drawn(root: etree._Element) -> None:
        BROKEN["quoc_hieu: no rule under the Tiêu ngữ"](root)
        cell = next(root.iter(q("w:tc")))
        run = etree.SubElement(etree.SubElement(cell, q("w:p")), q("w:r"))
        etree.SubElement(run, q("w:drawing"))

    broken = edit(good, drawn)
    result = fix(broken)
    assert [n.code for n in result.notes] == ["fix_rule_drawn_near"]
    assert "quoc_hieu" in {r.rule for r in result.after.failed}
    assert words(result.data) == words(broken)


def test_an_appendix_in_its_own_section_numbers_its_pages_afresh() -> None:
    """Example 004's appendix opens a section; without its restart, --fix puts it back."""
    data = render_file(EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml")

    def no_restart(root: etree._Element) -> None:
        for numbering in root.iter(q("w:pgNumType")):
            numbering.attrib.pop(q("w:start"), None)

    broken = edit(data, no_restart)
    result = fix(broken)
    assert [f.code for f in result.fixed] == ["fix_appendix_restart"]
    starts = [
        s.find("w:pgNumType", NS).get(q("w:start"))
        for s in Docx(result.data).sections
        if s.find("w:pgNumType", NS) is not None
    ]
    assert "1" in starts
    assert fix(result.data).fixed == ()  # once restarted, left alone
    assert words(result.data) == words(broken)


def _mangle(seed: int) -> Callable[[etree._Element], None]:
    """Delete, duplicate or garble elements and attributes of a document, at random:
    well-formed XML a careless program might write."""
    import random

    def change(root: etree._Element) -> None:
        rng = random.Random(seed)
        for _ in range(rng.randint(1, 12)):
            elements = [e for e in root.iter() if e is not root and isinstance(e.tag, str)]
            if not elements:
                return
            victim = rng.choice(elements)
            action = rng.random()
            parent = victim.getparent()
            if action < 0.4 and parent is not None:
                parent.remove(victim)
            elif action < 0.6 and parent is not None:
                victim.addnext(etree.fromstring(etree.tostring(victim)))
            elif victim.attrib:
                name = rng.choice(list(victim.attrib))
                victim.set(name, rng.choice(["", "-7", "x", "99999999", "1.5", "true"]))

    return change


@pytest.mark.parametrize("seed", range(200))
def test_a_mangled_document_is_fixed_or_refused_cleanly(good: bytes, seed: int) -> None:
    from baocao.errors import InputError

    broken = edit(good, _mangle(seed))
    try:
        result = fix(broken)
    except InputError:
        return
    assert words(result.data) == words(broken)
    check(result.data)  # the copy reads


def test_a_package_that_would_unpack_past_the_limit_is_refused(good: bytes) -> None:
    """A picture part of 70 MB of zeros packs into kilobytes: the copy is not built."""
    import io

    from baocao.errors import InputError

    broken = edit(good, BROKEN["trang: left margin 20 mm"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(broken)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/media/bomb.bin", bytes(70 * 2**20), zipfile.ZIP_DEFLATED)
    with pytest.raises(InputError) as caught:
        fix(out.getvalue())
    assert caught.value.message.code == "check_unpacked_too_large"


def test_properties_go_where_the_schema_puts_them(good: bytes) -> None:
    """A new property goes in the schema's order and before Word 2010's extensions (w14),
    which close the sequence: Word refuses a run whose properties are out of order."""
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"

    def change(root: etree._Element) -> None:
        for run in paragraph(root, "SỞ THÔNG TIN").iter(q("w:r")):
            rpr = run.find("w:rPr", NS)
            if rpr is None:
                rpr = etree.Element(q("w:rPr"))
                run.insert(0, rpr)
            etree.SubElement(rpr, q("w:sz")).set(q("w:val"), "28")
            etree.SubElement(rpr, f"{{{w14}}}ligatures").set(f"{{{w14}}}val", "standard")

    broken = edit(good, change)
    assert {r.rule for r in check(broken).failed} == {"co_quan"}
    result = fix(broken)
    assert result.after.passed
    run = Docx(result.data).find("SỞ THÔNG TIN").runs()[0]
    names = [etree.QName(c).localname for c in run.find("w:rPr", NS)]
    assert names == ["sz", "szCs", "ligatures"]
