"""The writer: a model ``Document`` as the fields a template shell places.

Layout has decided everything; this module only says it in WordprocessingML
(with ``ooxml``'s builders, so one escaping function covers every value).
The result is the template's context: plain strings and lists for the
fields a template prints as text (a clerk's own letterhead may print them
anywhere), and ``Markup`` for the fields that are whole paragraphs, which
Jinja's autoescape then passes through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from markupsafe import Markup

from baocao.docx import ooxml
from baocao.model import (
    RULE_STYLE,
    Appendix,
    Block,
    Cell,
    Document,
    Inline,
    PageBreak,
    Paragraph,
    Picture,
    Row,
    Rule,
    Run,
    Section,
    SectionBreak,
    Signature,
    Table,
)

Embed = Callable[[Picture], str]
"""Places a picture: returns the run that shows it (the package stores the file)."""

SECTION_BREAK_STYLE = "BCNgatPhan"
SECTION_BREAK = ooxml.paragraph(SECTION_BREAK_STYLE, "")
"""Ends the previous section; rendering gives it that section's properties."""

PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
"""An empty paragraph holding a page break (Word's Ctrl+Enter)."""

CLOSING_STYLE = "BCCuoi"
"""An empty paragraph after a table, and an empty cell: keeps tables apart as Word does."""

SIGNATURE_TABLE_STYLE = "BCKhongVien"
"""A borderless table: an appendix's signers side by side."""


def context(document: Document, embed: Embed) -> dict[str, Any]:
    """Everything a template shell places, written from ``document``.

    The appendices are written before the body: pictures are numbered in the
    order they are placed, and the .docx files baocao has always made number
    an appendix's pictures first.
    """
    appendices = "".join(appendix(item, embed) for item in document.appendices)
    body = Markup(blocks(document.body, embed))
    return _fields(document, embed, body, Markup(appendices), document.sections)


STREAMED = ("than_van_ban", "phu_luc")
"""The fields that hold the body and the appendices: most of a long report's XML."""


def placeholder(name: str) -> Markup:
    """What ``streamed`` puts in place of a field: text no report or template can hold
    (private-use characters, which no tag or pass of the template stage touches)."""
    return Markup(f"\ue000baocao:{name}\ue001")


def streamed(
    document: Document, body: Iterable[Block], sections: Sequence[Section], embed: Embed
) -> tuple[dict[str, Any], dict[str, Iterator[str]]]:
    """``context`` with the body and the appendices as ``placeholder``s, and their XML in pieces.

    ``document``'s own body is left aside for ``body``, its blocks as layout
    gives them (``layout.streamed_document``), and ``sections`` are the
    document's with them. A 100× report's body is five million characters;
    joined, then copied by each pass of the template stage, it was most of
    the render's memory. In pieces (a paragraph, a table each) rendering
    hands them on to the zip as they come. The appendices are written here,
    first, as ``context`` writes them (their pictures numbered first); the
    body's pieces are written as they are taken.
    """
    appendices = [piece for item in document.appendices for piece in appendix_pieces(item, embed)]
    fields = _fields(document, embed, placeholder(STREAMED[0]), placeholder(STREAMED[1]), sections)
    return fields, {STREAMED[0]: pieces(body, embed), STREAMED[1]: iter(appendices)}


def _fields(
    document: Document,
    embed: Embed,
    body: Markup,
    appendices: Markup,
    sections: Sequence[Section],
) -> dict[str, Any]:
    header, title, closing = document.header, document.title, document.closing
    return {
        "co_quan_chu_quan": header.parent_agency,
        "du_lieu": document.data,
        "co_quan_ban_hanh": header.agency,
        "gach_co_quan": Markup(rule(header.agency_rule)),
        "quoc_hieu": header.national_title,
        "tieu_ngu": header.motto,
        "gach_tieu_ngu": Markup(rule(header.motto_rule)),
        "so_ky_hieu": header.number,
        "dia_danh_ngay": header.place_date,
        "ma_dac_biet": header.tokens,
        "ten_loai": title.type_name,
        "trich_yeu": list(title.summary),
        "gach_trich_yeu": Markup(rule(title.summary_rule)),
        "than_van_ban": body,
        "chu_thich": [
            ooxml.footnote(note.number, [(p.style, runs(p.runs)) for p in note.paragraphs])
            for note in document.footnotes
        ],
        "noi_nhan": list(closing.recipients),
        "dau_muc_do": Markup(blocks(header.marks, embed)),
        "pham_vi_luu_hanh": Markup(blocks(header.circulation, embed)),
        "kinh_gui": Markup(blocks(title.addressees, embed)),
        "lien_he": list(closing.contact),
        "nguoi_ky": {
            "dong": list(closing.signer.lines),
            "ho_ten": closing.signer.name,
            "duoi": list(closing.signer.below),
        },
        "trang": document.page,
        "phu_luc": appendices,
        "phan": list(sections),
        "co_chu": document.sizes,
        "gian_dong": document.line_spacing,
        "cot_dau_trang": header.columns,
    }


def runs(items: Sequence[Inline], size: int | None = None) -> str:
    """The runs of a paragraph: text with its emphasis, and footnote marks."""
    if len(items) == 1 and isinstance(items[0], Run):  # most paragraphs and cells
        only = items[0]
        return ooxml.run(only.text, bold=only.bold, italic=only.italic, size=size)
    return "".join(
        [
            ooxml.run(item.text, bold=item.bold, italic=item.italic, size=size)
            if isinstance(item, Run)
            else ooxml.footnote_reference(item.number, size)
            for item in items
        ]
    )


def paragraph(item: Paragraph) -> str:
    items = item.runs
    if item.size is None and len(items) == 1 and type(items[0]) is Run:  # most: one run
        only = items[0]
        return ooxml.text_paragraph(
            item.style,
            only.text,
            only.bold,
            only.italic,
            item.align,
            item.keep_next,
            item.space_before,
            item.indent,
        )
    return ooxml.paragraph(
        item.style,
        runs(item.runs, item.size),
        align=item.align,
        keep_next=item.keep_next,
        space_before=item.space_before,
        indent=item.indent,
        size=item.size,
    )


def rule(item: Rule) -> str:
    """An empty paragraph whose top border is the rule, ``indent`` in from both sides."""
    return ooxml.paragraph(RULE_STYLE, "", indent=(item.indent, item.indent))


def blocks(items: Iterable[Block], embed: Embed) -> str:
    return "".join(pieces(items, embed))


def pieces(items: Iterable[Block], embed: Embed) -> Iterator[str]:
    """Each block's XML in turn; a section break is ``SECTION_BREAK`` itself, a piece alone."""
    for item in items:
        if isinstance(item, Paragraph):
            yield paragraph(item)
        elif isinstance(item, Table):
            yield table(item)
        elif isinstance(item, Rule):
            yield rule(item)
        elif isinstance(item, PageBreak):
            yield PAGE_BREAK
        elif isinstance(item, SectionBreak):
            yield SECTION_BREAK
        else:
            yield ooxml.paragraph(item.style, embed(item))


def table(item: Table) -> str:
    """A table on a fixed grid; a cell that spans rows covers the positions under it."""
    widths = item.widths
    grid = "".join(f'<w:gridCol w:w="{int(w)}"/>' for w in widths)
    parts = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{ooxml.escape_text(item.style)}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    below: list[tuple[int, Cell] | None] = [None] * len(widths)  # rows still covered, by whom
    starts: dict[tuple[int, int], str] = {}  # each column's cell opening, made once per table
    for row in item.rows:
        cells: list[str] = []
        column = 0
        pending = iter(row.cells)
        while column < len(widths):
            covered = below[column]
            if covered is not None:
                left, top = covered
                first = top.paragraphs[0] if top.paragraphs else Paragraph(CLOSING_STYLE)
                under = Paragraph(first.style, (), align=first.align, keep_next=kept(row))
                start = _opening(starts, widths, column, top.columns)
                cells.append(_cell(start, "<w:vMerge/>", (under,)))
                for at in range(column, min(column + top.columns, len(widths))):
                    below[at] = (left - 1, top) if left > 1 else None
                column += top.columns
                continue
            cell = next(pending, None)
            if cell is None:
                break
            merge = ""
            if cell.rows > 1:
                merge = '<w:vMerge w:val="restart"/>'
                for at in range(column, min(column + cell.columns, len(widths))):
                    below[at] = (cell.rows - 1, cell)
            start = _opening(starts, widths, column, cell.columns)
            cells.append(_cell(start, merge, cell.paragraphs))
            column += cell.columns
        for cell in pending:  # beyond the grid: written as given, as Word keeps them
            start = _opening(starts, widths, column, cell.columns)
            cells.append(_cell(start, "", cell.paragraphs))
            column += cell.columns
        header = "<w:tblHeader/>" if row.header else ""
        split = "<w:cantSplit/>" if row.keep_together else ""
        properties = f"<w:trPr>{split}{header}</w:trPr>" if split or header else ""
        parts.append(f"<w:tr>{properties}{''.join(cells)}</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def kept(row: Row) -> bool:
    """Whether a row is kept with what follows: every paragraph of its cells is.

    The positions a merge from above covers then are too: LibreOffice looks
    at the row's first cell, which may be one of them.
    """
    paragraphs = [p for cell in row.cells for p in cell.paragraphs]
    return bool(paragraphs) and all(p.keep_next for p in paragraphs)


def _opening(
    starts: dict[tuple[int, int], str], widths: Sequence[int], column: int, columns: int
) -> str:
    """A cell's opening up to its merge: the same for every row of a column, kept in ``starts``."""
    start = starts.get((column, columns))
    if start is None:
        width = sum(widths[column : column + columns])
        span = f'<w:gridSpan w:val="{int(columns)}"/>' if columns > 1 else ""
        start = starts[column, columns] = (
            f'<w:tc><w:tcPr><w:tcW w:w="{int(width)}" w:type="dxa"/>{span}'
        )
    return start


def _cell(start: str, merge: str, paragraphs: Sequence[Paragraph]) -> str:
    if len(paragraphs) == 1:  # most cells
        content = paragraph(paragraphs[0])
    else:
        content = "".join([paragraph(p) for p in paragraphs])
    return f'{start}{merge}<w:vAlign w:val="center"/></w:tcPr>{content}</w:tc>'


def appendix(item: Appendix, embed: Embed) -> str:
    """A phụ lục: a new section, its head lines, its content, then its signature."""
    return "".join(appendix_pieces(item, embed))


def appendix_pieces(item: Appendix, embed: Embed) -> Iterator[str]:
    """``appendix`` in pieces, its section break a piece alone (as in ``pieces``)."""
    yield SECTION_BREAK
    yield from pieces(item.head, embed)
    yield from pieces(item.blocks, embed)
    if item.signature is not None:
        yield table(signature_table(item.signature))
        yield ooxml.paragraph(CLOSING_STYLE, "")


def signature_table(signature: Signature) -> Table:
    """An appendix's signers in a borderless table: the date line above the last column.

    The other columns of the date row hold empty lines kept with the next row,
    so the date line never stays behind on a page without its signers.
    """
    count = len(signature.columns)
    rows = []
    if signature.place_date is not None:
        line = signature.place_date
        empty = Paragraph(line.style, (), keep_next=True)
        cells = [Cell((empty,)) for _ in range(count - 1)] + [Cell((line,))]
        rows.append(Row(tuple(cells)))
    rows.append(
        Row(tuple(Cell(column or (Paragraph(CLOSING_STYLE),)) for column in signature.columns))
    )
    return Table(signature.widths, tuple(rows), SIGNATURE_TABLE_STYLE)
