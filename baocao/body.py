"""The flowing body of a document: sections, items, tables, pictures, footnotes.

Part of the layout stage: it turns the YAML's nested blocks into paragraphs
and tables with their labels (I. / 1. / a) / - / +, in the decree's order),
puts "./." after the last word, and lays statistics tables out on the page
(their models and the footnotes' numbers come from validation). Everything
comes out as the document model's blocks (``model``), in the template's style
roles, so the template decides how it looks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from baocao import measure, nd30, tables, vietnamese
from baocao import model as doc

CLOSING_MARK = nd30.CLOSING_MARK


@dataclass
class Para:
    """A body paragraph before it becomes XML: style, label and text."""

    style: str
    text: str
    label: str = ""
    label_bold: bool | None = None
    align: str | None = None
    """Word's alignment when the clerk chose one (``can_le``); else the style's."""

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        runs = doc.inline(self.text, notes=notes)
        if self.label:
            runs = (doc.Run(self.label + " ", bold=bool(self.label_bold)), *runs)
        # A centred or right-aligned line drops the body's first-line indent, or it
        # would stand 1 cm off the middle (or the margin).
        indent = (0, None) if self.align in FLUSH else None
        return (doc.Paragraph(self.style, runs, align=self.align, indent=indent),)


FLUSH = ("center", "right")
"""Alignments whose paragraphs have no first-line indent."""


@dataclass
class NewPage:
    """``trang_moi: true``: what follows starts on a new page."""

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        return (doc.PageBreak(),)


@dataclass
class Table:
    """A body table before it becomes XML."""

    spec: dict[str, Any]
    model: tables.Table
    text_width: int

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        return _table_blocks(self.spec, self.model, self.text_width, notes)


@dataclass
class Picture:
    """A PNG or JPEG in the body, centred, with an optional italic caption."""

    spec: dict[str, Any]
    text_width: int
    base_dir: Path

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        width = measure.mm(float(self.spec["rong"])) if self.spec.get("rong") else None
        path = self.base_dir / self.spec["tep"]
        picture = doc.Picture(path, self.text_width, width, PICTURE)
        caption = self.spec.get("chu_thich")
        if not caption:
            return (picture,)
        return (picture, doc.Paragraph(PICTURE_CAPTION, doc.inline(caption, notes=notes)))


Block = Para | Table | Picture | NewPage


# Styles the template defines (tools/make_templates.py, from baocao/nd30.py's roles).
BODY = nd30.BODY.style


CITATION = nd30.CAN_CU.style


HEADINGS = tuple(role.style for role in nd30.HEADINGS)


TABLE_CAPTION = nd30.TEN_BANG.style


TABLE_HEADER = nd30.BANG_TIEU_DE.style


TABLE_CELL = nd30.BANG_CHU.style


PICTURE = "BCHinh"


PICTURE_CAPTION = nd30.CHU_HINH.style


FOOTNOTE_TEXT = nd30.CHU_THICH.style


def section_label(level: int, number: int) -> str:
    """Label the ``number``-th section at ``level`` (1-based), as the decree numbers them.

    Level 1 "I.", level 2 "1.", level 3 "a)" in the Vietnamese letter order
    (Phụ lục I, mục II.6); deeper levels are "-" then "+", as reports write them.

    >>> [section_label(1, 4), section_label(2, 4), section_label(3, 5), section_label(4, 1)]
    ['IV.', '4.', 'đ)', '-']
    """
    if level == 1:
        return f"{vietnamese.roman(number)}."
    if level == 2:
        return f"{number}."
    if level == 3:
        return f"{vietnamese.letter(number)})"
    return "-" if level % 2 == 0 else "+"


def body_blocks(
    items: Sequence[Any],
    text_width: int,
    level: int,
    base_dir: Path,
    *,
    models: tables.Models,
) -> Iterator[Block]:
    """Flatten nested sections into paragraphs, tables and pictures with their labels.

    ``models``: the tables validation built (``Validated.tables``), reused here.
    """
    number = 0
    for item in items:
        if isinstance(item, str):
            yield Para(BODY, item)
        elif "doan" in item:
            yield Para(BODY, item["doan"], align=ALIGN.get(item.get("can_le", "")))
        elif "trang_moi" in item:
            if item["trang_moi"]:
                yield NewPage()
        elif "gach" in item:
            yield Para(BODY, "- " + item["gach"])
        elif "cong" in item:
            yield Para(BODY, "+ " + item["cong"])
        elif "bang" in item:
            yield Table(item["bang"], models.of(item["bang"]), text_width)
        elif "hinh" in item:
            yield Picture(item["hinh"], text_width, base_dir)
        else:
            number += 1
            yield from _section(item, level, number, text_width, base_dir, models)


def _section(
    item: dict[str, Any],
    level: int,
    number: int,
    text_width: int,
    base_dir: Path,
    models: tables.Models,
) -> Iterator[Block]:
    label = item.get("so_muc") or section_label(level, number)
    style = HEADINGS[min(level, 4) - 1]
    children = list(
        body_blocks(item.get("noi_dung") or (), text_width, level + 1, base_dir, models=models)
    )
    title = item.get("tieu_de")
    first = children[0] if children else None
    if title is not None:
        yield Para(style, title, label)
    elif isinstance(first, Para) and not first.label and first.align is None:
        # "1. …" with no title: the label opens the section's first paragraph.
        children.pop(0)
        yield Para(first.style, first.text, label, label_bold=level <= 2)
    else:
        yield Para(style, "", label)
    yield from children


def close_body(blocks: list[Block]) -> None:
    """End the body with "./." unless the author already did (the decree's samples).

    Only a closing body paragraph gets the mark: a body that ends on a table
    or a heading is left as written rather than marking a title.
    """
    last = blocks[-1] if blocks else None
    if isinstance(last, Para) and last.style == BODY and last.align not in FLUSH:
        last.text = with_closing_mark(last.text)


def with_closing_mark(text: str) -> str:
    """Append "./." to ``text``; a final "." becomes "./.".

    >>> with_closing_mark("tổng hợp"), with_closing_mark("tổng hợp."), with_closing_mark("xong./.")
    ('tổng hợp./.', 'tổng hợp./.', 'xong./.')
    """
    stripped = text.rstrip()
    if stripped.endswith(CLOSING_MARK):
        return stripped
    if stripped.endswith("."):
        return stripped + "/."
    return stripped + CLOSING_MARK


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """Write a cell value: numbers the Vietnamese way (1.416; 26,86), dates d/m/yyyy."""
    if value is None:
        return ""
    if _is_number(value):
        return vietnamese.format_number(value)
    if isinstance(value, date):
        return vietnamese.short_date(value)
    return str(value)


def _column_aligns(model: tables.Table, spec: dict[str, Any]) -> list[str]:
    if spec.get("can_le"):
        return [ALIGN[a] for a in spec["can_le"]]
    numeric = [
        any(_is_number(r.values[i]) for r in model.rows if r.kind == "data")
        for i in range(model.columns)
    ]
    return [
        "center" if sequence else "right" if number else "left"
        for sequence, number in zip(model.sequence, numeric, strict=True)
    ]


def _cell(
    text: str,
    align: str,
    style: str,
    *,
    columns: int = 1,
    rows: int = 1,
    bold: bool = False,
    notes: Mapping[str, int] | None = None,
) -> doc.Cell:
    """A cell of text; a blank line ("\n\n") starts a new paragraph in it."""
    return doc.Cell(
        tuple(
            doc.Paragraph(style, doc.inline(line, bold=bold, notes=notes), align=align)
            for line in text.split("\n\n")
        ),
        columns,
        rows,
    )


def _header_rows(model: tables.Table, notes: Mapping[str, int] | None) -> Iterator[doc.Row]:
    """Lay the header grid out as rows; a cell merged down covers the rows under it."""
    starts = {(c.row, c.column): c for c in model.header}
    for r in range(model.header_rows):
        cells, column = [], 0
        while column < model.columns:
            cell = starts.get((r, column))
            above = next(
                (c for c in model.header if c.column == column and c.row < r < c.row + c.rowspan),
                None,
            )
            if cell is not None:
                cells.append(
                    _cell(
                        cell.text,
                        "center",
                        TABLE_HEADER,
                        columns=cell.colspan,
                        rows=cell.rowspan,
                        notes=notes,
                    )
                )
                column += cell.colspan
            elif above is not None:
                column += above.colspan
            else:  # a hole validation reported; keep the grid whole
                cells.append(_cell("", "left", TABLE_HEADER))
                column += 1
        yield doc.Row(tuple(cells), header=True)


def _shown(model: tables.Table, column: int, value: Any) -> str:
    """A cell as printed: years plain (2021), other numbers the Vietnamese way (1.416)."""
    if model.plain[column] and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return cell_text(value)


def _body_rows(
    model: tables.Table, aligns: list[str], notes: Mapping[str, int] | None
) -> Iterator[doc.Row]:
    for row in model.rows:
        if row.kind == "data":
            cells = [
                _cell(_shown(model, i, v), a, TABLE_CELL, notes=notes)
                for i, (v, a) in enumerate(zip(row.values, aligns, strict=True))
            ]
        elif row.kind == "group":
            if model.sequence[0] and row.values:
                cells = [
                    _cell(cell_text(row.values[0]), "center", TABLE_CELL, bold=True, notes=notes),
                    _cell(
                        row.label,
                        "left",
                        TABLE_CELL,
                        columns=model.columns - 1,
                        bold=True,
                        notes=notes,
                    ),
                ]
            else:
                cells = [
                    _cell(
                        row.label, "left", TABLE_CELL, columns=model.columns, bold=True, notes=notes
                    )
                ]
        else:  # subtotal or total: the label spans the leading text columns
            span = model.label_span
            label = (
                [_cell(row.label, "center", TABLE_CELL, columns=span, bold=True, notes=notes)]
                if span
                else []
            )
            cells = label + [
                _cell(_shown(model, span + i, v), a, TABLE_CELL, bold=True, notes=notes)
                for i, (v, a) in enumerate(zip(row.values, aligns[span:], strict=True))
            ]
        yield doc.Row(tuple(cells))


def _column_texts(model: tables.Table, column: int) -> Iterator[tuple[str, bool]]:
    """Every text a column shows, with whether it is bold (headers and totals are)."""
    for cell in model.header:
        if cell.column == column and cell.colspan == 1:
            yield cell.text, True
    for row in model.rows:
        if row.kind == "data":
            yield _shown(model, column, row.values[column]), False
        elif row.kind in ("subtotal", "total") and column >= model.label_span:
            yield _shown(model, column, row.values[column - model.label_span]), True


def _column_needs(model: tables.Table) -> tuple[list[int], list[int]]:
    """Per column: the width of its longest word (floor) and of its longest text (want).

    Measured in the table text's font and size, bold where the text is bold (headers, totals).
    """
    points = nd30.points(nd30.BANG_CHU)
    floors, wants = [], []
    for column in range(model.columns):
        texts = list(_column_texts(model, column)) or [("", False)]
        floor = max(
            measure.text_width(w, points, bold=bold)
            for text, bold in texts
            for w in text.split() or [""]
        )
        longest = max(measure.text_width(text, points, bold=bold) for text, bold in texts)
        floors.append(floor + TABLE_CELL_MARGINS)
        wants.append(max(floor, longest) + TABLE_CELL_MARGINS)
    return floors, wants


def column_widths(model: tables.Table, text_width: int) -> list[int]:
    """Share ``text_width`` so no word breaks, then give the rest to long content.

    Each column first gets its longest word. If every column's whole text fits
    on one line, each gets that and the rest is shared in proportion; if not,
    the spare width goes to the columns in proportion to how much more they
    want (capped at half the page). When even the words do not fit, every
    column shrinks in proportion.
    """
    floors, wants = _column_needs(model)
    if sum(floors) >= text_width:
        widths = [f * text_width // sum(floors) for f in floors]
    elif sum(wants) <= text_width:
        spare = text_width - sum(wants)
        widths = [w + spare * w // sum(wants) for w in wants]
    else:
        spare = text_width - sum(floors)
        extra = [min(w, text_width // 2) - f for w, f in zip(wants, floors, strict=True)]
        shares = extra if sum(extra) > 0 else [1] * len(extra)
        widths = [f + spare * share // sum(shares) for f, share in zip(floors, shares, strict=True)]
    widths[-1] += text_width - sum(widths)
    return widths


def _table_blocks(
    spec: dict[str, Any],
    model: tables.Table,
    text_width: int,
    notes: Mapping[str, int] | None = None,
) -> tuple[doc.Block, ...]:
    aligns = _column_aligns(model, spec)
    if spec.get("do_rong"):
        weights = [Decimal(w) for w in spec["do_rong"]]
        widths = [int(text_width * w / sum(weights)) for w in weights]
        widths[-1] += text_width - sum(widths)
    else:
        widths = column_widths(model, text_width)
    rows = list(_header_rows(model, notes))
    if model.column_numbers:
        numbers = (_cell(n, "center", TABLE_HEADER, notes=notes) for n in model.column_numbers)
        rows.append(doc.Row(tuple(numbers), header=True))
    rows += _body_rows(model, aligns, notes)
    # An empty paragraph after a table keeps two tables (or a table and the
    # signature) from merging, as Word itself does.
    out: tuple[doc.Block, ...] = (doc.Table(tuple(widths), tuple(rows)), doc.Paragraph(TABLE_CELL))
    caption = spec.get("tieu_de")
    if caption:
        out = (doc.Paragraph(TABLE_CAPTION, doc.inline_lines(lines(caption), notes=notes)), *out)
    return out


def lines(value: str | list[str] | None) -> list[str]:
    """Accept one string or a list of strings."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


ALIGN = {"trai": "left", "giua": "center", "phai": "right", "deu": "both"}
"""can_le: the YAML's alignments as Word names them."""


FIRST_LEVEL = {"I.": 1, "1.": 2, "a)": 3}
"""trinh_bay.muc_dau: how the top sections are numbered (seed 002 starts at "1.")."""


TABLE_CELL_MARGINS = 2 * 85 + 40
"""Twips around a table cell's text (BCBang's cell margins, borders)."""


def table_minimum_width(model: tables.Table) -> int:
    """Narrowest width (twips) at which no word of a table has to break."""
    floors, _ = _column_needs(model)
    return sum(floors)


def citations(items: list[str] | None) -> list[str]:
    """Punctuate căn cứ lines that lack it: ";" after each, "." after the last (PL I, II.6.a).

    A line the author already ended with punctuation is kept as written: a
    report often goes on "…; Sở … báo cáo như sau:" after its last căn cứ.
    """
    items = items or []
    out = []
    for index, item in enumerate(items):
        text = item.rstrip()
        if text[-1:] not in (";", ".", ",", ":"):
            text += "." if index == len(items) - 1 else ";"
        out.append(text)
    return out


def keep_with_closing(blocks: Sequence[doc.Block]) -> tuple[doc.Block, ...]:
    """Keep the last paragraph (or the last table row) with what follows: the signature.

    Without it a signature that does not fit under the body stands alone on a
    page with no text of the document above it, which a reader cannot tell
    belongs to it. Word and LibreOffice keep a paragraph with the next one
    (``keepNext``); a table row is kept with the next when its paragraphs are.
    The body's own text is never changed: only where pages may break.
    """
    out = list(blocks)
    for index in range(len(out) - 1, -1, -1):
        item = out[index]
        if isinstance(item, doc.Paragraph):
            out[index] = replace(item, keep_next=True)
            if item.runs or index == 0 or not isinstance(out[index - 1], doc.Table):
                break
        elif isinstance(item, doc.Table):
            out[index] = _keep_last_row(item)
            break
        elif not isinstance(item, doc.Rule):
            break  # a picture's style keeps it with the next already; a page break is meant
    return tuple(out)


def _keep_last_row(table: doc.Table) -> doc.Table:
    """``table`` with every paragraph of its last row kept with the next paragraph."""
    if not table.rows:
        return table
    last = table.rows[-1]
    cells = tuple(
        replace(cell, paragraphs=tuple(replace(p, keep_next=True) for p in cell.paragraphs))
        for cell in last.cells
    )
    return replace(table, rows=(*table.rows[:-1], replace(last, cells=cells)))
