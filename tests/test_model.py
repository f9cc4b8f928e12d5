"""The document model: layout decides everything, as frozen values, before any XML is written."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

import baocao
from baocao import layout, model
from baocao.docx import write
from baocao.validation import Validated
from tests.conftest import EXAMPLES, MINIMAL

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def document_of(source: str | Path) -> model.Document:
    return laid_out(baocao.validate(baocao.load(source)))


def laid_out(validated: Validated) -> model.Document:
    """The document model of a validated report, laid out as a render lays it out."""
    return layout.document(
        validated.data,
        validated.template,
        validated.source.base_dir or Path.cwd(),
        models=validated.tables,
        notes=validated.footnotes,
        dates=validated.dates,
    )


def values(item: object) -> Iterator[object]:
    """Every value inside a model value, depth first (the report's own data left out)."""
    yield item
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        for field in dataclasses.fields(item):
            if field.name != "data":
                yield from values(getattr(item, field.name))
    elif isinstance(item, tuple):
        for part in item:
            yield from values(part)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem[:3])
def test_every_example_lays_out_as_frozen_values_without_xml(path: Path) -> None:
    document = document_of(path)
    found = list(values(document))
    assert any(isinstance(v, model.Paragraph) for v in found)
    for value in found:
        # A dataclass without fields (PageBreak) holds nothing that could change.
        if (
            dataclasses.is_dataclass(value)
            and not isinstance(value, type)
            and dataclasses.fields(value)
        ):
            first = dataclasses.fields(value)[0].name
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(value, first, None)
        if isinstance(value, str):
            assert "<w:" not in value, value


def test_header_title_and_closing_hold_what_the_decree_fixes() -> None:
    document = document_of(EXAMPLES / "000-pci-quang-nam-2021.yaml")
    assert document.header.national_title == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert document.header.number.startswith("Số:")
    assert document.title.type_name == "BÁO CÁO"
    assert document.closing.recipients[-1].endswith(".")
    assert all(line.endswith(";") for line in document.closing.recipients[:-1])
    assert document.sections == (model.Section(),)


def test_a_merged_header_is_one_cell_spanning_rows_and_columns() -> None:
    """The grid holds only the cell where a merge starts; the writer fills the rest."""
    document = document_of(EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml")
    blocks = [b for a in document.appendices for b in a.blocks]
    table = next(b for b in blocks if isinstance(b, model.Table) and len(b.widths) > 8)
    header = [row for row in table.rows if row.header]
    cells = [cell for row in header for cell in row.cells]
    assert any(cell.rows > 1 for cell in cells) and any(cell.columns > 1 for cell in cells)
    columns = len(table.widths)
    covered = [0] * columns
    for row in header:  # every grid position is covered exactly once
        at = 0
        for cell in row.cells:
            while at < columns and covered[at]:
                covered[at] -= 1
                at += 1
            for c in range(at, at + cell.columns):
                covered[c] = cell.rows - 1
            at += cell.columns
        while at < columns and covered[at]:
            covered[at] -= 1
            at += 1
        assert at == columns


def test_footnote_marks_become_references_and_emphasis_becomes_runs() -> None:
    text = MINIMAL.replace(
        "noi_dung:\n",
        'chu_thich:\n  a: Theo **Quyết định** số 1.\nnoi_dung:\n  - "**Kết quả** tốt[^a]"\n',
        1,
    )
    document = document_of(text)
    runs = [
        run for block in document.body if isinstance(block, model.Paragraph) for run in block.runs
    ]
    assert model.Run("Kết quả", bold=True) in runs
    assert model.NoteRef(1) in runs
    assert document.footnotes[0].paragraphs[0].runs[0] == model.Run("Theo ")
    assert document.footnotes[0].paragraphs[0].runs[1] == model.Run("Quyết định", bold=True)


def test_an_appendix_is_its_own_section_with_its_signature() -> None:
    document = document_of(EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml")
    assert len(document.sections) == 1 + len(document.appendices)
    appendix = document.appendices[0]
    assert appendix.signature is not None
    assert sum(appendix.signature.widths) == document.page.landscape_text_width
    assert len(appendix.signature.widths) == len(appendix.signature.columns)


def test_the_writer_fills_the_positions_a_merged_cell_covers() -> None:
    para = model.Paragraph("S", (model.Run("x"),), align="center")
    table = model.Table(
        (100, 100),
        (
            model.Row((model.Cell((para,), rows=2), model.Cell((para,))), header=True),
            model.Row((model.Cell((para,)),)),
        ),
    )
    xml = write.table(table)
    assert xml.count("<w:tc>") == 4
    assert xml.count('<w:vMerge w:val="restart"/>') == 1 and xml.count("<w:vMerge/>") == 1
    continuation = xml.split("<w:vMerge/>")[1].split("</w:tc>")[0]
    assert '<w:pStyle w:val="S"/>' in continuation and "<w:t" not in continuation


def test_breaks_are_written_where_they_stand_and_sections_follow_them() -> None:
    landscape = model.Section(landscape=True, restart=False, title_page=False)
    body = (
        model.Paragraph("S", (model.Run("a"),)),
        model.PageBreak(),
        model.SectionBreak(landscape),
        model.Paragraph("S", (model.Run("b"),)),
    )
    xml = write.blocks(body, lambda picture: "")
    assert xml.index('<w:br w:type="page"/>') < xml.index(write.SECTION_BREAK) < xml.index(">b<")
    document = dataclasses.replace(document_of(MINIMAL), body=body)
    assert document.sections == (model.Section(), landscape)


def test_a_section_that_continues_keeps_numbering_and_numbers_its_first_page() -> None:
    from baocao.docx import sections

    template = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1" w:right="1" '
        'w:bottom="1" w:left="1"/><w:pgNumType w:fmt="decimal" w:start="1"/><w:titlePg/></w:sectPr>'
    )
    margins = {"top": 2, "bottom": 2, "left": 2, "right": 2}
    kept = sections.variant(template, (16838, 11906), True, margins, None)
    assert 'w:start="1"' in kept and "<w:titlePg/>" in kept and 'w:orient="landscape"' in kept
    going_on = sections.variant(
        template, (11906, 16838), False, margins, None, restart=False, title_page=False
    )
    assert 'w:start="1"' not in going_on and "<w:titlePg/>" not in going_on
    assert '<w:pgNumType w:fmt="decimal"/>' in going_on
