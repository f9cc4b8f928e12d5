"""Reading: a .docx back into the model's terms (``baocao.readmodel``), and rules that judge only that.

``baocao.check.reading.read`` recognises the decree's elements of any .docx and
gives them as a frozen ``ReadDocument``, each with its place and observed
formatting. The two directions must agree: an example laid out as a model
and rendered reads back with the model's own values. The rules
(``baocao.check.rules``) see nothing else: they import no reader, and they
judge a read document built by hand as they judge a real one.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

import baocao
from baocao import check as check_module
from baocao import model, nd30
from baocao.check import check, rules
from baocao.check.reading import _kind, _kinds, read
from baocao.docx.read import Docx
from baocao.readmodel import (
    At,
    Line,
    ReadClosing,
    ReadDocument,
    ReadHeader,
    ReadTitle,
    Signer,
    Span,
)
from tests.conftest import EXAMPLES
from tests.test_check import REPORT, edit, render_as, replace_text
from tests.test_model import document_of

ROOT = Path(__file__).resolve().parent.parent


def recognise(data: bytes, template: str | None = None) -> ReadDocument:
    kind = _kind(template) if template is not None else None
    return read(Docx.open(data, "<docx>"), kind, _kinds())


@pytest.fixture(scope="module")
def report() -> ReadDocument:
    return recognise(baocao.render(baocao.validate(baocao.load(REPORT))))


def test_a_report_is_recognised_part_by_part(report: ReadDocument) -> None:
    header, title, closing = report.header, report.title, report.closing
    assert title.kind is not None and title.kind.template == "bao-cao"
    assert title.forced is False
    shown = {
        "national_title": header.national_title,
        "motto": header.motto,
        "number": header.number,
        "place_date": header.place_date,
        "type_name": title.type_name,
        "recipients_label": closing.recipients_label,
    }
    assert {name: line.shown if line else None for name, line in shown.items()} == {
        "national_title": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "number": "Số: 12/BC-STTTT",
        "place_date": "Quảng Nam, ngày 12 tháng 11 năm 2021",
        "type_name": "BÁO CÁO",
        "recipients_label": "Nơi nhận:",
    }
    assert [line.shown for line in header.parent_agency] == ["UBND TỈNH QUẢNG NAM"]
    # The name is too long for one line of the header: broken after "VÀ" (agency.py).
    assert [line.shown for line in header.agency] == ["SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"]
    assert header.agency_rule == header.motto_rule == title.summary_rule == "border"
    assert [line.shown for line in title.summary] == ["Kết quả công tác năm 2021"]
    assert title.letter_summary == () and title.stray_type_name is None
    assert closing.signer.name is not None and closing.signer.name.shown == "Nguyễn Văn A"


def test_each_element_carries_its_place_and_formatting(report: ReadDocument) -> None:
    """Places name the header table's cells; formatting is Word's, resolved through styles."""
    header = report.header
    assert header.national_title is not None and header.number is not None
    assert header.place_date is not None and report.title.type_name is not None
    # The header is the document's first table: Quốc hiệu top right, Số and the date below.
    assert (header.national_title.at.table, header.national_title.at.cell) == (0, (0, 1))
    assert (header.number.at.table, header.number.at.cell) == (0, (1, 0))
    assert header.place_date.at.cell == (1, 1)
    assert report.title.type_name.at.table is None
    assert header.national_title.sizes() == [13.0] and header.national_title.all_bold()
    assert header.place_date.sizes() == [14.0] and header.place_date.all_italic()
    assert not header.number.any_bold() and header.number.centred
    body = report.body[0]
    assert (body.align, body.first_line, body.space_before) == ("both", 720.0, 120.0)
    assert report.page is not None and (report.page.width, report.page.height) == (11906, 16838)
    numbers = report.page_numbers
    assert numbers is not None and numbers.header is not None and numbers.title_page
    assert numbers.header.align == "center"


def test_baocao_check_read_is_reading_without_the_rules(report: ReadDocument) -> None:
    """``baocao.check.read``, the entry for an importer: the document the rules judge."""
    data = baocao.render(baocao.validate(baocao.load(REPORT)))
    assert check_module.read(data) == report
    assert check_module.read(data, template="bao-cao").title.forced


def test_a_cong_van_is_recognised_by_its_v_v_line() -> None:
    found = recognise(render_as("cong-van"))
    assert found.title.kind is not None and found.title.kind.letter
    assert found.title.type_name is None and found.title.summary == ()
    assert found.title.letter_summary[0].shown.startswith("V/v")
    assert found.title.under_number


def values(item: object) -> Iterator[object]:
    yield item
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        for field in dataclasses.fields(item):
            yield from values(getattr(item, field.name))
    elif isinstance(item, tuple):
        for part in item:
            yield from values(part)


def test_the_read_document_is_frozen_values_without_xml() -> None:
    found = recognise(baocao.render(baocao.validate(baocao.load(REPORT))), "bao-cao")
    assert found.title.forced is True
    for value in values(found):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            first = dataclasses.fields(value)[0].name
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(value, first, None)
        else:
            assert isinstance(value, (str, int, float, bool, tuple, type(None))), type(value)


EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_a_rendered_example_reads_back_as_its_model(path: Path) -> None:
    """Layout → write → read agree: the model's key values come back from the .docx."""
    document: model.Document = document_of(path)
    read_back = recognise(baocao.render(baocao.validate(baocao.load(path))))
    header, title, closing = read_back.header, read_back.title, read_back.closing
    # A name laid out on two lines ("\n" in the model) is read back as those two lines.
    assert [line.shown for line in header.agency] == document.header.agency.split("\n")
    given = document.header.parent_agency
    assert [line.shown for line in header.parent_agency] == (given.split("\n") if given else [])
    assert header.number is not None and header.number.visible == document.header.number
    assert header.place_date is not None
    assert header.place_date.visible == document.header.place_date
    assert title.kind is not None and title.kind.type_name == document.title.type_name
    if title.kind.letter:  # a công văn shows no type name; its trích yếu is "V/v …"
        assert title.type_name is None
        assert tuple(line.shown for line in title.letter_summary) == document.title.summary
    else:
        assert title.type_name is not None and title.type_name.shown == document.title.type_name
        assert tuple(line.shown for line in title.summary) == document.title.summary
    assert tuple(line.shown for line in closing.recipients) == document.closing.recipients
    signer = document.closing.signer
    assert tuple(line.shown for line in closing.signer.lines) == signer.lines
    name = closing.signer.name
    assert (name.shown if name is not None else "") == signer.name


APPENDICES = (
    REPORT
    + """\
phu_luc:
  - tieu_de: Danh sách đơn vị
    dong_phu: ["Kỳ báo cáo: năm 2021"]
    noi_dung: ["Nội dung phụ lục một."]
  - tieu_de: Bảng số liệu
    ngang: true
    noi_dung: ["Nội dung phụ lục hai."]
"""
)


def _head(appendix: model.Appendix) -> tuple[object, ...]:
    """An appendix's head as reading sees it: label, title (caps), Kèm theo, lines, landscape."""
    texts: dict[str, list[str]] = {}
    for item in appendix.head:
        if isinstance(item, model.Paragraph):
            texts.setdefault(item.style, []).append(item.text)
    label = texts.get(nd30.PHU_LUC_SO.style, [None])[0]
    title = tuple(t.upper() for t in texts.get(nd30.PHU_LUC_TIEU_DE.style, []))
    reference = texts.get(nd30.KEM_THEO.style, [None])[0]
    lines = tuple(texts.get(nd30.DONG_PHU.style, []))
    return label, title, reference, lines, appendix.section.landscape


@pytest.mark.parametrize(
    "source",
    [APPENDICES, EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml"],
    ids=["two-numbered", "004"],
)
def test_appendices_read_back_as_their_model(source: str | Path) -> None:
    """Each phụ lục after the closing is recognised by its head, in order."""
    document = document_of(source)
    read_back = recognise(baocao.render(baocao.validate(baocao.load(source))))
    assert document.appendices
    got = [
        (
            a.label.shown if a.label else None,
            tuple(line.shown for line in a.title),
            a.reference.shown if a.reference else None,
            tuple(line.shown for line in a.lines),
            a.landscape,
        )
        for a in read_back.appendices
    ]
    assert got == [_head(a) for a in document.appendices]
    # The title is typed as the clerk wrote it and shown in capitals by its style's caps.
    assert all(span.caps for a in read_back.appendices for line in a.title for span in line.runs())
    if source == APPENDICES:
        assert read_back.appendices[0].title[0].text == "Danh sách đơn vị"


def test_a_report_without_appendices_reads_none(report: ReadDocument) -> None:
    assert report.appendices == ()


REAL = ROOT.parent / "shared" / "real-docx"


@pytest.mark.skipif(not REAL.is_dir(), reason="no real documents here")
def test_a_clerks_appendices_are_recognised() -> None:
    """Real Word files: a Quyết định's and a Kế hoạch's two phụ lục, label and Kèm theo."""
    for name, kind in (
        ("01-quyet-dinh-cong-bo-chi-so-cchc-2025.docx", "Quyết định"),
        ("18-ke-hoach-kiem-tra-cchc-2026.docx", "Kế hoạch"),
    ):
        found = read(Docx.open(REAL / name), None, _kinds()).appendices
        assert [a.label.shown if a.label else None for a in found] == ["Phụ lục I", "Phụ lục II"]
        assert all(a.title and a.title[0].capitals for a in found)
        references = [a.reference.shown if a.reference else "" for a in found]
        assert all(r.startswith(f"(Kèm theo {kind} số") for r in references), references


# -- the rules judge only the read document --------------------------------------------------


def _imports(path: Path) -> set[str]:
    """The modules a file names in its import statements (absolute names)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _module_file(name: str) -> Path | None:
    """The source file of a baocao module (``baocao.nd30``), None for a name inside one."""
    parts = name.split(".")
    if parts[0] != "baocao":
        return None
    base = ROOT.joinpath(*parts)
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None  # a package (its __init__ is not what was asked for) or a name in a module


def test_the_rules_import_nothing_of_the_reader() -> None:
    """rules.py and every baocao module it imports, transitively: no lxml, no baocao.docx."""
    start = ROOT / "baocao" / "check" / "rules.py"
    seen: set[Path] = set()
    todo = [start]
    reached: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            reached.add(name)
            found = _module_file(name)
            if found is not None:
                todo.append(found)
    assert ROOT / "baocao" / "readmodel.py" in seen
    bad = sorted(n for n in reached if n.split(".")[0] == "lxml" or n.startswith("baocao.docx"))
    assert bad == []
    assert not any(n.startswith("baocao.check.reading") for n in reached)


def _line(text: str, paragraph: int, *, size: float = 14.0, bold: bool = False) -> Line:
    span = Span(text, text, size, bold)
    return Line(At(paragraph), (span,), size, "center", True, 0.0, text)


def _by_hand(**header: Line) -> ReadDocument:
    return ReadDocument(
        name="<by hand>",
        kinds=(),
        page=None,
        header=ReadHeader(**header),  # type: ignore[arg-type]
        title=ReadTitle(),
        body=(),
        numbered=(),
        closing=ReadClosing(Signer((_line("GIÁM ĐỐC", 20, size=12.0, bold=True),))),
        fonts=(),
        page_numbers=None,
    )


def test_the_rules_judge_a_read_document_built_by_hand() -> None:
    """No .docx at all: the rules read values, so values made by hand are judged the same."""
    document = _by_hand(number=_line("Số: 5/BC-STTTT", 6, size=13.0))  # Số is 13 pt
    result = rules._CHECKS["so_ky_hieu"](document)
    assert not result.passed
    good = baocao.render(baocao.validate(baocao.load(REPORT)))
    real = check(edit(good, replace_text("Số: 12/BC-STTTT", "Số: 5/BC-STTTT")))["so_ky_hieu"]
    assert result.message("en") == real.message("en")
    assert result.message("en") == (
        "✗ Number and symbol: found “Số: 5/BC-STTTT”; numbers below 10 take a leading zero: "
        "“Số: 05/BC-STTTT” (paragraph 7: “Số: 5/BC-STTTT”)"
    )
    signer = rules._CHECKS["nguoi_ky"](document)
    assert not signer.passed and "12" in signer.message("en")
    assert not rules._CHECKS["trang"](document).passed  # no page read: a section is missing
    assert rules._CHECKS["so_ky_hieu"](
        _by_hand(number=_line("Số: 05/BC-STTTT", 6, size=13.0))
    ).passed
