"""Table typesetting (issue 17, item 4): text size, widths from printed words, landscape in
place, rows that split across pages when tall, a table kept on one page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import baocao
from baocao import body, layout, measure, nd30, tables
from baocao import model as doc
from baocao import widths as table_widths
from baocao.errors import ValidationFailed
from tests.conftest import MINIMAL, with_changes
from tests.docx_facts import NS, Docx, q
from tests.test_libreoffice import SOFFICE, convert, page_sizes, page_text
from tests.test_model import document_of

HEAD = [
    "STT",
    "Đơn vị",
    "Tổng số hồ sơ tiếp nhận",
    "Trực tuyến toàn trình",
    "Trực tuyến một phần",
    "Trực tiếp",
    "Đã giải quyết đúng hạn",
    "Đã giải quyết quá hạn",
    "Đang giải quyết trong hạn",
    "Đang giải quyết quá hạn",
    "Tỷ lệ đúng hạn (%)",
    "Bị thương",
    "Rút hồ sơ",
    "Trả lại",
    "Xin lỗi",
    "Ghi chú",
]
UNITS = [
    "Sở Nội vụ",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường",
    "UBND thành phố Tam Kỳ",
    "Văn phòng Ủy ban nhân dân tỉnh",
]


def _cell(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def wide_report(*, extra: str = "", rows: int = 3, paragraphs: int = 12) -> str:
    """A report whose body holds a 16-column table between paragraphs (footnotes on both sides)."""
    lines = [line for line in MINIMAL.splitlines() if not line.startswith(("noi_dung:", "  - Nội"))]
    lines += ["chu_thich:", "  a: Số liệu đến ngày 30/6/2025.", "  b: Theo Quyết định số 12."]
    lines += ["noi_dung:", "  - tieu_de: TÌNH HÌNH", "    noi_dung:"]
    for k in range(paragraphs):
        note = "[^a]" if k == 0 else ""
        lines.append(
            f"      - Đoạn {k + 1} trình bày tình hình chung của đơn vị trong kỳ báo cáo, "
            f"với những kết quả nổi bật và các tồn tại cần khắc phục{note}."
        )
    lines += [
        "      - bang:",
        "          tieu_de: Bảng 1. Kết quả giải quyết hồ sơ",
        *(f"          {line}" for line in extra.splitlines()),
        "          cot: [" + ", ".join(_cell(h) for h in HEAD) + "]",
        "          dong:",
    ]
    for r in range(rows):
        for i, unit in enumerate(UNITS):
            values = [1000 * (i + 1) + 7 * j + r for j in range(9)]
            row = [i + 1, unit, *values, "12/6/3", i, 2, 3, "Đúng tiến độ"]
            lines.append("            - [" + ", ".join(_cell(v) for v in row) + "]")
    lines += ["  - tieu_de: PHƯƠNG HƯỚNG", "    noi_dung:"]
    lines += [
        f"      - Đoạn {k + 1} sau bảng[^b]." if k == 0 else f"      - Đoạn {k + 1}."
        for k in range(4)
    ]
    return "\n".join(lines) + "\n"


def warnings_of(text: str) -> list[tuple[str, int, dict[str, object]]]:
    validated = baocao.validate(baocao.load(text))
    return [(w.code, w.location.line, w.params) for w in validated.warnings]


def document(text: str) -> Docx:
    return Docx(baocao.render(baocao.validate(baocao.load(text))))


def body_table(docx: Docx) -> object:
    return next(t for t in docx.tables() if len(t.findall("w:tblGrid/w:gridCol", NS)) == 16)


# -- size --------------------------------------------------------------------------------


def test_co_chu_sets_every_run_of_the_table_and_its_cell_marks() -> None:
    docx = document(wide_report(extra="ngang: true\nco_chu: 11"))
    table = body_table(docx)
    sizes = {run.get(q("w:val")) for run in table.iter(q("w:sz"))}
    assert sizes == {"22"}
    texts = [t for t in table.iter(q("w:t")) if t.text]
    assert texts and all(
        t.getparent().find("w:rPr/w:sz", NS).get(q("w:val")) == "22" for t in texts
    )
    # The caption keeps its own role's size: co_chu is the table's text.
    caption = docx.find("Bảng 1. Kết quả giải quyết hồ sơ")
    assert caption.size() == nd30.points(nd30.TEN_BANG)


def test_co_chu_outside_the_table_range_is_refused_with_its_place() -> None:
    with pytest.raises(ValidationFailed) as failed:
        baocao.validate(baocao.load(wide_report(extra="co_chu: 10")))
    issue = failed.value.issues[0]
    assert issue.path[-1] == "co_chu" and issue.location.line > 1
    assert nd30.TABLE_SIZE.low == 11 and nd30.BANG_CHU.size == nd30.BANG_TIEU_DE.size


def test_without_co_chu_no_size_is_written() -> None:
    table = body_table(document(wide_report(extra="ngang: true")))
    assert table.find(".//w:sz", NS) is None


def test_columns_are_measured_at_the_table_size() -> None:
    spec = baocao.load(wide_report()).data["noi_dung"][0]["noi_dung"][-1]["bang"]
    model = tables.build(spec)
    big = table_widths.column_needs(spec, model)
    small = table_widths.column_needs({**spec, "co_chu": 11}, model)
    assert small.minimum < big.minimum
    assert small.floors[1] - table_widths.TABLE_CELL_MARGINS == pytest.approx(
        (big.floors[1] - table_widths.TABLE_CELL_MARGINS) * 11 / 13, abs=2
    )


# -- widths ------------------------------------------------------------------------------


def test_markup_is_not_measured_the_printed_text_is() -> None:
    """``**12/6/3**`` prints 12/6/3 in bold: its markers take no room."""
    points = 13
    assert (
        table_widths.printed_words("**12/6/3**", points)
        == (measure.text_width("12/6/3", points, bold=True),) * 2
    )
    word, line = table_widths.printed_words("Tổng *số* **hồ sơ**", points)
    plain = measure.text_width("Tổng số hồ sơ", points)
    assert plain < line < measure.text_width("Tổng *số* **hồ sơ**", points)
    widest = max(
        measure.text_width("Tổng", points),
        measure.text_width("số", points),
        measure.text_width("hồ", points, bold=True),
        measure.text_width("sơ", points, bold=True),
    )
    assert word == widest
    noted = table_widths.printed_words("văn bản[^a]", points)[1]
    assert noted == pytest.approx(measure.text_width("văn bản", points), abs=2)


def test_a_table_that_can_fit_gets_every_column_its_longest_word() -> None:
    text = with_changes(
        noi_dung="""
  - bang:
      cot: [STT, Nội dung, Số lượng, Ghi chú]
      dong:
        - [1, "**Hội nghị** triển khai nhiệm vụ chuyển đổi số năm 2025 của tỉnh", "12/6/3", ""]
        - [2, "Bị thương", "1.234.567", "Không"]"""
    )
    validated = baocao.validate(baocao.load(text))
    assert validated.warnings == ()
    spec = validated.data["noi_dung"][0]["bang"]
    needs = table_widths.needs_of(spec, validated.tables)
    grid = Docx(baocao.render(validated)).tables()[1].findall("w:tblGrid/w:gridCol", NS)
    widths = [int(col.get(q("w:w"))) for col in grid]
    assert table_widths.broken_columns(needs, widths) == []
    assert all(w >= f for w, f in zip(widths, needs.floors, strict=True))


def test_a_table_too_wide_for_portrait_is_named_with_the_width_and_the_fixes() -> None:
    text = wide_report()
    found = warnings_of(text)
    table_line = next(n for n, line in enumerate(text.splitlines(), 1) if "- bang:" in line)
    assert [(code, line) for code, line, _ in found] == [("table_too_wide", table_line)]
    params = found[0][2]
    assert params["name"] == "Bảng 1. Kết quả giải quyết hồ sơ"
    assert int(str(params["needed"])) > int(str(params["available"])) == 165
    from baocao import messages

    for language in ("vi", "en"):
        said = messages.text("table_too_wide", language, **params)
        assert "ngang: true" in said and "co_chu" in said and "do_rong" in said
        assert str(params["needed"]) in said


def test_ngang_true_silences_the_warning_it_fixes() -> None:
    assert warnings_of(wide_report(extra="ngang: true")) == []


def test_do_rong_that_breaks_a_word_warns_with_the_columns() -> None:
    text = with_changes(
        noi_dung="""
  - bang:
      cot: [STT, Nội dung]
      do_rong: [1, 40]
      dong:
        - [1, "Bị thương"]"""
    )
    found = warnings_of(text)
    assert [code for code, _, _ in found] == ["table_widths_break_words"]
    assert found[0][2]["columns"] == "1"
    assert found[0][1] == text.splitlines().index("      do_rong: [1, 40]") + 1


def test_a_word_wider_than_its_spanning_header_widens_the_span() -> None:
    needs = table_widths.Needs(
        floors=(500, 500, 500), wants=(500, 500, 4000), spans=((0, 2, 2000),)
    )
    widths = table_widths.fitted_widths(needs, 6000)
    assert sum(widths) == 6000 and widths[0] + widths[1] >= 2000
    assert all(w >= f for w, f in zip(widths, needs.floors, strict=True))


# -- landscape ---------------------------------------------------------------------------


def test_ngang_puts_the_table_on_landscape_pages_in_place_numbering_on() -> None:
    docx = document(wide_report(extra="ngang: true"))
    sections = docx.sections
    assert len(sections) == 3
    orient = [s.find("w:pgSz", NS).get(q("w:orient")) for s in sections]
    assert orient == [None, "landscape", None] or orient[1] == "landscape"
    for later in sections[1:]:
        assert later.find("w:titlePg", NS) is None  # its first page is numbered
        start = later.find("w:pgNumType", NS)
        assert start is None or start.get(q("w:start")) is None  # numbering goes on
    width = int(body_table(docx).find("w:tblPr/w:tblW", NS).get(q("w:w")))
    page = baocao.layout.page(baocao.load(MINIMAL).data)
    assert width == page.landscape_text_width


def test_two_landscape_tables_in_a_row_share_their_pages() -> None:
    text = wide_report(extra="ngang: true")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "- bang:" in line)
    end = next(i for i, line in enumerate(lines) if "PHƯƠNG HƯỚNG" in line)
    doubled = "\n".join(lines[:end] + lines[start:end] + lines[end:]) + "\n"
    assert len(document(doubled).sections) == 3


def test_a_table_with_ngang_turns_its_appendix_landscape() -> None:
    text = with_changes(
        phu_luc="""
  - tieu_de: Biểu số liệu
    noi_dung:
      - bang:
          ngang: true
          cot: [STT, Nội dung]
          dong:
            - [1, Một]"""
    )
    validated = baocao.validate(baocao.load(text))

    page = layout.page(validated.data)
    appendix = validated.data["phu_luc"][0]
    assert layout.appendix_landscape(appendix, page, validated.tables)
    assert not layout.appendix_landscape({**appendix, "ngang": False}, page, validated.tables)


# -- rows across pages ---------------------------------------------------------------------


def _rows(table: object) -> list[object]:
    return table.findall("w:tr", NS)  # type: ignore[attr-defined]


def tall_table(extra: str = "", after: str = "") -> str:
    long = " ".join(["Nội dung công việc được giao cho đơn vị thực hiện trong năm"] * 14)
    return with_changes(
        noi_dung=f"""
  - bang:
      cot: [STT, Nội dung, Ghi chú]
{chr(10).join("      " + line for line in extra.splitlines())}
      dong:
        - [1, "{long}", Xong]
        - [2, [Ngắn, Hai đoạn], Xong]
        - [3, Một dòng, Xong]{after}"""
    )


def test_a_row_taller_than_a_quarter_page_may_split_a_short_one_may_not() -> None:
    table = document(tall_table()).tables()[1]
    header, tall, short, one_line = _rows(table)
    assert header.find("w:trPr/w:cantSplit", NS) is not None
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    assert tall.find("w:trPr/w:cantSplit", NS) is None
    assert short.find("w:trPr/w:cantSplit", NS) is not None
    # A row of one line cannot split: it is not marked (LibreOffice dropped such rows).
    assert one_line.find("w:trPr/w:cantSplit", NS) is None


def test_ngat_dong_decides_for_every_row() -> None:
    kept = document(tall_table("ngat_dong: false")).tables()[1]
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in _rows(kept))
    split = document(tall_table("ngat_dong: true")).tables()[1]
    header, *rows = _rows(split)
    assert header.find("w:trPr/w:cantSplit", NS) is not None
    assert all(r.find("w:trPr/w:cantSplit", NS) is None for r in rows)


def test_giu_trang_keeps_the_table_on_one_page() -> None:
    # A paragraph after the table: a table that ends the body is kept with the signature
    # as well (page flow), which is not what this test is about.
    table = document(tall_table("giu_trang: true", after="\n  - Đoạn kết.")).tables()[1]
    rows = _rows(table)
    for row in rows[:-1]:
        paragraphs = row.findall(".//w:p", NS)
        assert all(p.find("w:pPr/w:keepNext", NS) is not None for p in paragraphs)
        assert row.find("w:trPr/w:cantSplit", NS) is not None
    assert all(p.find("w:pPr/w:keepNext", NS) is None for p in rows[-1].findall(".//w:p", NS))


def test_the_row_height_estimate_counts_wrapped_lines() -> None:
    from baocao import model

    cell = model.Cell((model.Paragraph("S", (model.Run("chữ " * 200),)),))
    one = model.Row((model.Cell((model.Paragraph("S", (model.Run("chữ"),)),)),))
    tall = body.row_height(model.Row((cell,)), [3000], 13)
    short = body.row_height(one, [3000], 13)
    assert short < tall and tall > body.PAGE_TEXT_HEIGHT[False] // body.SPLIT_SHARE


def test_the_schema_knows_the_table_keys() -> None:
    from baocao.bundle import find

    keys = find("bao-cao").tree.known_keys(("noi_dung", 0, "bang"))
    assert {"co_chu", "ngang", "ngat_dong", "giu_trang"} <= set(keys)
    pytest.importorskip("starlette")
    from baocao.service import report_schemas

    table = report_schemas()["bang"]["properties"]
    assert table["co_chu"] == {"type": "integer", "enum": [11, 12, 13]}
    assert all(table[key] == {"type": "boolean"} for key in ("ngang", "ngat_dong", "giu_trang"))


# -- LibreOffice: what a clerk sees ----------------------------------------------------------


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_a_16_column_table_with_ngang_in_libreoffice(tmp_path: Path) -> None:
    """Landscape pages in place, page numbers going on, the footnotes numbered on, no word broken."""
    text = wide_report(extra="ngang: true\nco_chu: 12", rows=4)
    docx = tmp_path / "rong.docx"
    docx.write_bytes(baocao.render(baocao.validate(baocao.load(text))))
    pdf = convert(docx, tmp_path)
    sizes = page_sizes(pdf)
    shape = ["L" if w > h else "P" for w, h in sizes]
    assert shape[0] == "P" and shape[-1] == "P" and "L" in shape
    first, last = shape.index("L"), len(shape) - 1 - shape[::-1].index("L")
    assert set(shape[first : last + 1]) == {"L"}
    for page in range(2, len(sizes) + 1):
        top = next(line for line in page_text(pdf, page).splitlines() if line.strip())
        assert top.strip() == str(page)
    words = set(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    typed = {w for h in HEAD for w in h.split()} | {w for u in UNITS for w in u.split()}
    assert typed | {"12/6/3", "Đúng", "tiến", "độ"} <= words
    assert "2 Theo Quyết định số 12." in page_text(pdf, last + 2) or any(
        "Theo Quyết định số 12." in page_text(pdf, p) for p in range(last + 2, len(sizes) + 1)
    )


def test_cells_get_their_natural_width_before_long_headers_do() -> None:
    """A unit's name on one line beats a header on two: the header wraps between words."""
    heads = ", ".join(f"Số hồ sơ đã giải quyết đúng hạn trong kỳ {i}" for i in range(5))
    text = with_changes(
        noi_dung=f"""
  - bang:
      cot: [STT, Nội dung, {heads}]
      dong:
        - [1, "Sở Khoa học và Công nghệ tỉnh", 1, 2, 3, 4, 5]"""
    )
    validated = baocao.validate(baocao.load(text))
    spec = validated.data["noi_dung"][0]["bang"]
    needs = table_widths.needs_of(spec, validated.tables)
    grid = Docx(baocao.render(validated)).tables()[1].findall("w:tblGrid/w:gridCol", NS)
    widths = [int(col.get(q("w:w"))) for col in grid]
    assert sum(needs.wants) > sum(widths)  # not every header fits on one line
    assert widths[1] >= needs.contents[1]  # yet the name does
    shared = table_widths._share(list(needs.floors), list(needs.wants), sum(widths))
    assert shared[1] < needs.contents[1]  # which sharing by whole lines alone starved
    assert table_widths.broken_columns(needs, widths) == []


def test_a_landscape_table_in_an_appendix_kept_portrait_is_warned_of() -> None:
    text = with_changes(
        phu_luc="""
  - tieu_de: Biểu số liệu
    ngang: false
    noi_dung:
      - bang:
          ngang: true
          cot: [STT, Nội dung]
          dong:
            - [1, Một]"""
    )
    found = warnings_of(text)
    assert [code for code, _, _ in found] == ["table_landscape_in_portrait_appendix"]
    assert found[0][1] == text.splitlines().index("          ngang: true") + 1


def test_room_left_after_every_goal_goes_to_the_column_that_still_wraps() -> None:
    """A very long task over half the page: the rest is its, not the last column's."""
    needs = table_widths.Needs(
        floors=(600, 1000, 800), wants=(600, 40000, 900), contents=(600, 40000, 900)
    )
    widths = table_widths.fitted_widths(needs, 9000)
    assert sum(widths) == 9000
    assert widths[2] < 1000 and widths[1] > 7000


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_a_landscape_table_that_fills_its_pages_leaves_no_empty_page(tmp_path: Path) -> None:
    """The spacer paragraph after a landscape table spilled onto a landscape page of its own,
    blank but for its number, when the table filled its last page (23 rows here). The
    section's 1 pt break paragraph now parts the table from the text after it."""
    from baocao.convert import pdfs

    columns = ", ".join(f"C{i}" for i in range(1, 15))
    docs = []
    for count in range(21, 26):
        rows = "\n".join(
            f"        - [{r}, " + ", ".join(str(r * 10 + c) for c in range(1, 14)) + "]"
            for r in range(1, count + 1)
        )
        text = with_changes(
            noi_dung=f"""
  - Đoạn mở đầu của báo cáo.
  - bang:
      ngang: true
      cot: [{columns}]
      dong:
{rows}
  - Đoạn sau bảng."""
        )
        docx = tmp_path / f"{count}.docx"
        docx.write_bytes(baocao.render(baocao.validate(baocao.load(text))))
        docs.append(docx)
    for pdf in pdfs(docs, [d.with_suffix(".pdf") for d in docs]):
        assert isinstance(pdf, Path)
        for page in range(1, len(page_sizes(pdf)) + 1):
            words = page_text(pdf, page).split()
            assert len(words) > 1, f"{pdf.name}: page {page} holds only {words}"


def test_a_closing_landscape_table_is_followed_by_its_section_break() -> None:
    """No spacer between the table and the break back to portrait (see the test above)."""
    text = wide_report(extra="ngang: true", rows=2)
    document = document_of(text)
    at = next(i for i, b in enumerate(document.body) if isinstance(b, doc.Table))
    assert isinstance(document.body[at - 2], doc.SectionBreak)  # then the caption, the table
    assert isinstance(document.body[at + 1], doc.SectionBreak)


def test_a_formula_in_the_column_number_row_gets_room_not_to_break() -> None:
    """so_cot labels were not measured: "(5)=(4)÷(3)×100" broke inside in a column sized by
    its short numbers while a long text took the rest. It is measured with the headers now
    (bold, the header's style)."""
    label = "(4)=(3)÷(2)×100"
    task = " ".join(["Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền"] * 6)
    text = with_changes(
        noi_dung=f"""
  - bang:
      cot: [Nội dung, Số, Đạt, Tỷ lệ]
      so_cot: ["(1)", "(2)", "(3)", "{label}"]
      dong:
        - ["{task}", 12, 5, 41]"""
    )
    grid = Docx(baocao.render(baocao.validate(baocao.load(text)))).tables()[1]
    widths = [int(col.get(q("w:w"))) for col in grid.findall("w:tblGrid/w:gridCol", NS)]
    need = measure.text_width(label, nd30.points(nd30.BANG_TIEU_DE), bold=True)
    assert widths[3] >= need + table_widths.TABLE_CELL_MARGINS
