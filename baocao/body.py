"""The flowing body of a document: sections, items, tables, pictures, footnotes.

Part of the layout stage: it turns the YAML's nested blocks into paragraphs
and tables with their labels (I. / 1. / a) / - / +, in the decree's order),
puts "./." after the last word, and lays statistics tables out on the page
(their models and the footnotes' numbers come from validation). Everything
comes out as the document model's blocks (``model``), in the template's style
roles, so the template decides how it looks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from baocao import markup, measure, nd30, tables, vietnamese
from baocao import model as doc

CLOSING_MARK = nd30.CLOSING_MARK


@dataclass
class Para:
    """A body paragraph before it becomes XML: style, label and text."""

    style: str
    text: str
    label: str = ""
    label_bold: bool | None = None

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        runs = doc.inline(self.text, notes=notes)
        if self.label:
            runs = (doc.Run(self.label + " ", bold=bool(self.label_bold)), *runs)
        return (doc.Paragraph(self.style, runs),)


@dataclass
class Table:
    """A body table before it becomes XML."""

    spec: dict[str, Any]
    model: tables.Table
    text_width: int
    landscape: bool = False
    """On landscape pages in place (``ngang: true`` in the body): section breaks around it,
    unless the table before (``opens`` False) or after (``closes`` False) is landscape too."""
    opens: bool = True
    closes: bool = True
    needs: Needs | None = None
    """Its columns' measured needs (``needs_of``), when validation measured them."""

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        wide = self.landscape or self.text_width > PORTRAIT_WIDEST  # a landscape appendix
        out = _table_blocks(self.spec, self.model, self.text_width, notes, wide, self.needs)
        if not self.landscape:
            return out
        before = (doc.SectionBreak(LANDSCAPE_IN_PLACE),) if self.opens else ()
        after = (doc.SectionBreak(PORTRAIT_AFTER),) if self.closes else ()
        return (*before, *out, *after)


PORTRAIT_WIDEST = measure.mm(nd30.PAGE_MM[0] - nd30.MARGINS.left.low - nd30.MARGINS.right.low)
"""The widest text a portrait page has: a table wider than this stands on landscape pages."""


LANDSCAPE_IN_PLACE = doc.Section(landscape=True, restart=False, title_page=False)
"""A wide body table's pages: landscape, numbered on from the pages before (PL I, I.2)."""


PORTRAIT_AFTER = doc.Section(landscape=False, restart=False, title_page=False)
"""The body after a landscape table: portrait again, the numbering still going on."""


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


Block = Para | Table | Picture


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
            yield Para(BODY, item["doan"])
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
    elif isinstance(first, Para) and not first.label:
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
    if isinstance(last, Para) and last.style == BODY:
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
                cells.append(_header_cell(cell, notes))
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
            cells = list(_data_cells(model, row, aligns, notes))
        elif row.kind == "group" and row.sums is not None:
            cells = _group_total_cells(model, row, aligns, notes)
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
                        _group_label(model, row),
                        "left",
                        TABLE_CELL,
                        columns=model.columns,
                        bold=True,
                        notes=notes,
                    )
                ]
        else:  # subtotal or total: the label spans the leading text columns
            span = tables.span_of(model, row)
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


def _header_cell(cell: tables.HeaderCell, notes: Mapping[str, int] | None) -> doc.Cell:
    """A header cell: its title bold (the style's), then its ``dong_phu`` lines italic, not bold."""
    title = _cell(
        cell.text, "center", TABLE_HEADER, columns=cell.colspan, rows=cell.rowspan, notes=notes
    )
    if not cell.sub:
        return title
    lines = tuple(
        doc.Paragraph(TABLE_CELL, doc.inline(line, italic=True, notes=notes), align="center")
        for line in cell.sub
    )
    return doc.Cell(title.paragraphs + lines, title.columns, title.rows)


def _shown_data(model: tables.Table, row: tables.Row, column: int) -> str:
    """A data cell as printed: a number written as text exactly as typed ("2025", "09")."""
    typed = row.typed.get(column)
    return typed if typed is not None else _shown(model, column, row.values[column])


def _data_cells(
    model: tables.Table, row: tables.Row, aligns: list[str], notes: Mapping[str, int] | None
) -> Iterator[doc.Cell]:
    """A data row's cells; a merged one covers its columns, and rows below leave it room."""
    for column, align in enumerate(aligns):
        if column in row.covered:
            continue
        columns, rows = row.spans.get(column, (1, 1))
        text = _shown_data(model, row, column)
        yield _cell(text, align, TABLE_CELL, columns=columns, rows=rows, notes=notes)


def _group_label(model: tables.Table, row: tables.Row) -> str:
    """A group's title; a given numeral leads it when no STT column can hold it."""
    if row.values and not model.sequence[0]:
        return f"{row.values[0]} {row.label}"
    return row.label


def _group_total_cells(
    model: tables.Table, row: tables.Row, aligns: list[str], notes: Mapping[str, int] | None
) -> list[doc.Cell]:
    """A group line that carries its own values: numeral, title over the label span, values."""
    span = tables.span_of(model, row)
    sums = row.sums or []
    numeral = model.sequence[0] and bool(row.values) and span > 1
    cells = []
    if numeral:
        cells.append(_cell(cell_text(row.values[0]), "center", TABLE_CELL, bold=True, notes=notes))
    title = row.label if numeral else _group_label(model, row)
    cells.append(
        _cell(title, "left", TABLE_CELL, columns=span - int(numeral), bold=True, notes=notes)
    )
    cells += [
        _cell(_shown(model, span + i, v), a, TABLE_CELL, bold=True, notes=notes)
        for i, (v, a) in enumerate(zip(sums, aligns[span:], strict=True))
    ]
    return cells


def _column_texts(model: tables.Table, column: int) -> Iterator[tuple[str, bool]]:
    """Every text a column shows, with whether it is bold (headers and totals are)."""
    for cell in model.header:
        if cell.column == column and cell.colspan == 1:
            yield cell.text, True
            yield from ((line, False) for line in cell.sub)
    for row in model.rows:
        if row.kind == "data" and column not in row.covered:
            if row.spans.get(column, (1, 1))[0] == 1:  # a text across columns sizes none alone
                yield _shown_data(model, row, column), False
        elif row.kind != "data":
            yield from _aggregate_texts(model, row, column)


def _aggregate_texts(
    model: tables.Table, row: tables.Row, column: int
) -> Iterator[tuple[str, bool]]:
    """The bold value a total, label or group row shows in ``column``, if any."""
    values = row.sums if row.kind == "group" else row.values
    if values is None:
        return
    span = tables.span_of(model, row)
    if span <= column < span + len(values):
        yield _shown(model, column, values[column - span]), True


def table_size(spec: dict[str, Any]) -> int:
    """The table's text size in points: ``co_chu`` (11–13, schema), else the role's 13."""
    size = spec.get("co_chu")
    return size if isinstance(size, int) and not isinstance(size, bool) else TABLE_POINTS


TABLE_POINTS = nd30.points(nd30.BANG_CHU)


def printed_words(text: str, points: float, *, bold: bool = False) -> tuple[int, int]:
    """The widest word and the widest line of ``text`` as printed, in twips.

    What the reader sees is measured: ``**``/``*`` markers are not printed
    (their text is, bold where it is bold) and a ``[^note]`` is a small raised
    number. A word is what a line may not break inside: letters and digits
    up to a space ("12/6/3" is one word).
    """
    if "*" not in text and "[^" not in text:  # plain: one measure per word and per line
        words = text.split() or [""]
        return (
            max(measure.text_width(w, points, bold=bold) for w in words),
            max(measure.text_width(line, points, bold=bold) for line in text.split("\n")),
        )
    widest_word = widest_line = 0
    for line in markup.FOOTNOTE_MARK.sub("", text).split("\n"):
        word = line_width = 0
        for span in markup.parse_inline(line) if line else ():
            strong = bold or span.bold
            for piece in re.split(r"(\s+)", span.text):
                if not piece:
                    continue
                width = measure.text_width(piece, points, bold=strong)
                line_width += width
                if piece.isspace():
                    word = 0
                else:
                    word += width
                    widest_word = max(widest_word, word)
        widest_line = max(widest_line, line_width)
    return widest_word, widest_line


@dataclass(frozen=True)
class Needs:
    """What a table's columns need (twips, cell margins included), measured once.

    ``floors``: the widest word or number of each column (narrower breaks it);
    ``wants``: its widest line (its natural width); ``spans``: for each cell
    spanning columns, its first column, how many, and its widest word.
    """

    floors: tuple[int, ...]
    wants: tuple[int, ...]
    spans: tuple[tuple[int, int, int], ...] = ()
    contents: tuple[int, ...] = ()
    """Each column's widest line below the header: the cells' own natural width."""

    @property
    def minimum(self) -> int:
        """The narrowest table where no word breaks."""
        return sum(self.floors)

    @property
    def tightest(self) -> int:
        """Narrower than this, a word surely breaks (``minimum`` without ``CELL_SAFETY``)."""
        return self.minimum - CELL_SAFETY * len(self.floors)


def column_needs(spec: dict[str, Any], model: tables.Table) -> Needs:
    """Measure a table's columns at its text size (validation keeps the result)."""
    points = table_size(spec)
    floors, wants, contents = _measured_columns(model, points)
    spans = tuple(
        (
            cell.column,
            cell.colspan,
            printed_words(cell.text, points, bold=True)[0] + TABLE_CELL_MARGINS,
        )
        for cell in model.header
        if cell.colspan > 1
    )
    return Needs(tuple(floors), tuple(wants), spans, tuple(contents))


def needs_of(spec: dict[str, Any], models: tables.Models) -> Needs:
    """The table's measured needs, measured the first time only."""
    return models.measured(spec, column_needs)


def _column_needs(model: tables.Table, points: int = TABLE_POINTS) -> tuple[list[int], list[int]]:
    """Per column: the width of its longest word (floor) and of its longest text (want).

    Measured as printed, in the table text's font and size, bold where the
    text is bold (headers, totals).
    """
    floors, wants, _ = _measured_columns(model, points)
    return floors, wants


def _measured_columns(model: tables.Table, points: int) -> tuple[list[int], list[int], list[int]]:
    """``_column_needs``' floors and wants, and each column's widest line below its header."""
    floors, wants, contents = [], [], []
    for column in range(model.columns):
        heads = sum(1 for c in model.header if c.column == column and c.colspan == 1)
        texts = list(_column_texts(model, column)) or [("", False)]
        measured = [printed_words(text, points, bold=bold) for text, bold in texts]
        floor = max(word for word, _ in measured)
        longest = max(line for _, line in measured)
        below = max((line for _, line in measured[heads:]), default=0)
        floors.append(floor + TABLE_CELL_MARGINS)
        wants.append(max(floor, longest) + TABLE_CELL_MARGINS)
        contents.append(max(floor, below) + TABLE_CELL_MARGINS)
    _merged_floors(model, floors, wants, points)
    return floors, wants, contents


HEADER_LINES = 3
"""Lines a column header may wrap to before its cells give up room to it."""


def _prefer_cells(needs: Needs, text_width: int) -> list[int] | None:
    """Widths when not every text fits on one line: the cells' lines first, headers wrap.

    A column header may take three or four short lines; a unit's name or a
    task broken over as many makes every row tall. So the room above the
    words' floors goes first to the cells' own natural widths, then to
    headers on ``HEADER_LINES`` lines, then to whole header lines (each
    capped at half the page), each step shared in proportion when it cannot
    be met. None when ``_share``'s rule decides: everything fits, or not
    even the words do.
    """
    floors, wants, contents = needs.floors, needs.wants, needs.contents
    if not contents or sum(floors) >= text_width or sum(wants) <= text_width:
        return None
    cap = text_width // 2
    widths = list(floors)
    headers = [f + (w - f) // HEADER_LINES for f, w in zip(floors, wants, strict=True)]
    for goal in (contents, headers, wants):
        target = [max(have, min(g, cap)) for have, g in zip(widths, goal, strict=True)]
        if sum(target) <= text_width:
            widths = target
            continue
        spare = text_width - sum(widths)
        extra = [t - have for t, have in zip(target, widths, strict=True)]
        widths = [have + spare * e // sum(extra) for have, e in zip(widths, extra, strict=True)]
        break
    else:  # room is left over: to the columns that still wrap (past the cap), by how much
        spare = text_width - sum(widths)
        extra = [max(w - have, 0) for w, have in zip(wants, widths, strict=True)]
        shares = extra if sum(extra) > 0 else widths
        widths = [have + spare * e // sum(shares) for have, e in zip(widths, shares, strict=True)]
    widths[-1] += text_width - sum(widths)
    return widths


def fitted_widths(needs: Needs, text_width: int) -> list[int]:
    """Column widths from measured needs (``_prefer_cells``, ``_share``), then spans made whole.

    A header cell spanning columns whose longest word is wider than its
    columns together takes the difference from the columns outside it that
    have room above their own floors.
    """
    widths = _prefer_cells(needs, text_width) or _share(
        list(needs.floors), list(needs.wants), text_width
    )
    floors = list(needs.floors)
    for first, count, word in needs.spans:
        short = word - sum(widths[first : first + count])
        if short <= 0:
            continue
        inside = range(first, first + count)
        room = {i: widths[i] - floors[i] for i in range(len(widths)) if i not in inside}
        take = min(short, sum(max(r, 0) for r in room.values()))
        if take <= 0:
            continue
        total_room = sum(max(r, 0) for r in room.values())
        for i, r in room.items():
            widths[i] -= take * max(r, 0) // total_room
        widths[first] += text_width - sum(widths)
        floors[first : first + count] = widths[first : first + count]
    return widths


def broken_columns(needs: Needs, widths: Sequence[int]) -> list[int]:
    """The columns (1-based) too narrow for their widest word: a word breaks in them.

    Automatic widths keep ``CELL_SAFETY`` more than the text and the cell's
    margins; a column the clerk set is only said to break a word when it is
    narrower than those two (Word and LibreOffice print "STT" bold in 11.8 mm).
    """
    return [
        i + 1
        for i, (w, f) in enumerate(zip(widths, needs.floors, strict=True))
        if w < f - CELL_SAFETY
    ]


def given_widths(spec: dict[str, Any], text_width: int) -> list[int]:
    """``do_rong``: the clerk's relative widths shared out over ``text_width``."""
    weights = [Decimal(w) for w in spec["do_rong"]]
    widths = [int(text_width * w / sum(weights)) for w in weights]
    widths[-1] += text_width - sum(widths)
    return widths


def _merged_floors(model: tables.Table, floors: list[int], wants: list[int], points: int) -> None:
    """A word in a body cell merged across columns fits those columns together.

    No single column measures that cell, so when its longest word is wider
    than their floors added up, the last of them is widened by the difference.
    """
    for row in model.rows:
        for column, (columns, _) in row.spans.items() if row.kind == "data" else ():
            if columns < 2:
                continue
            word = printed_words(_shown_data(model, row, column), points)[0] + TABLE_CELL_MARGINS
            short = word - sum(floors[column : column + columns])
            if short > 0:
                last = column + columns - 1
                floors[last] += short
                wants[last] = max(wants[last], floors[last])


def column_widths(model: tables.Table, text_width: int) -> list[int]:
    """Share ``text_width`` so no word breaks, then give the rest to long content.

    At the table role's size (``fitted_widths`` on ``column_needs``).
    """
    return fitted_widths(column_needs({}, model), text_width)


def _share(floors: list[int], wants: list[int], text_width: int) -> list[int]:
    """Each column first gets its longest word. If every column's whole text fits
    on one line, each gets that and the rest is shared in proportion; if not,
    the spare width goes to the columns in proportion to how much more they
    want (capped at half the page; ``_prefer_cells`` decides that case when the
    cells were measured apart). When even the words do not fit, every column
    shrinks in proportion.
    """
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
    landscape: bool = False,
    needs: Needs | None = None,
) -> tuple[doc.Block, ...]:
    aligns = _column_aligns(model, spec)
    if spec.get("do_rong"):
        widths = given_widths(spec, text_width)
    else:
        widths = fitted_widths(needs or column_needs(spec, model), text_width)
    rows = list(_header_rows(model, notes))
    if model.column_numbers:
        numbers = (_cell(n, "center", TABLE_HEADER, notes=notes) for n in model.column_numbers)
        rows.append(doc.Row(tuple(numbers), header=True))
    rows += _body_rows(model, aligns, notes)
    rows = typeset_rows(rows, widths, spec, landscape=landscape)
    # An empty paragraph after a table keeps two tables (or a table and the
    # signature) from merging, as Word itself does.
    out: tuple[doc.Block, ...] = (doc.Table(tuple(widths), tuple(rows)), doc.Paragraph(TABLE_CELL))
    caption = spec.get("tieu_de")
    if caption:
        out = (doc.Paragraph(TABLE_CAPTION, doc.inline(caption, notes=notes)), *out)
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


CELL_SAFETY = 40
"""Twips of room kept beside the cell margins for the borders (and a glyph's rounding)."""


TABLE_CELL_MARGINS = 2 * 85 + CELL_SAFETY
"""Twips around a table cell's text (BCBang's cell margins, borders)."""


def table_minimum_width(model: tables.Table, spec: dict[str, Any] | None = None) -> int:
    """Narrowest width (twips) at which no word of a table has to break, at its text size."""
    return column_needs(spec or {}, model).minimum


# -- rows across pages ----------------------------------------------------------------------

LINE_HEIGHT = 1.15
"""A line of Times New Roman at single spacing, in ems (ascent, descent and gap)."""


PAGE_TEXT_HEIGHT = {
    False: measure.mm(nd30.PAGE_MM[1] - nd30.MARGINS.top.default - nd30.MARGINS.bottom.default),
    True: measure.mm(nd30.PAGE_MM[0] - nd30.MARGINS.top.default - nd30.MARGINS.bottom.default),
}
"""The height of a page's text, portrait and landscape (twips), for estimating rows."""


SPLIT_SHARE = 4
"""A row taller than a quarter of a page may split: keeping it whole leaves a white gap."""


def row_height(row: doc.Row, widths: Sequence[int], points: int) -> int:
    """Estimate a row's height (twips): its tallest cell's lines × line height, plus spacing."""
    tallest, column = 0, 0
    line = round(points * 20 * LINE_HEIGHT)
    spacing = nd30.BANG_CHU.before + nd30.BANG_CHU.after
    for cell in row.cells:
        inner = max(sum(widths[column : column + cell.columns]) - TABLE_CELL_MARGINS, 1)
        column += cell.columns
        if cell.rows > 1:
            continue  # its height is shared with the rows it spans
        height = 0
        for paragraph in cell.paragraphs:
            bold = any(isinstance(r, doc.Run) and r.bold for r in paragraph.runs)
            height += spacing + line * _line_count(paragraph.text, inner, points, bold)
        tallest = max(tallest, height)
    return tallest


def _line_count(text: str, width: int, points: int, bold: bool) -> int:
    """How many lines ``text`` takes in ``width`` twips, wrapping at spaces."""
    count = 0
    space = measure.text_width(" ", points, bold=bold)
    for line in text.split("\n"):
        count += 1
        used = 0
        for word in line.split():
            size = measure.text_width(word, points, bold=bold)
            if used and used + space + size > width:
                count += 1 + (size - 1) // width
                used = size % width
            else:
                used += (space if used else 0) + size
    return count


def typeset_rows(
    rows: Sequence[doc.Row], widths: Sequence[int], spec: dict[str, Any], *, landscape: bool
) -> list[doc.Row]:
    """Decide how rows meet page ends, and set the table's size on its paragraphs.

    Header rows never split (they repeat on every page). A body row splits
    when it is taller than a quarter of a page (``ngat_dong`` true or false
    decides for every row); ``giu_trang`` keeps the whole table on one page
    (each paragraph kept with the next, rows whole).
    """
    points = table_size(spec)
    size = points if points != TABLE_POINTS else None
    rule = spec.get("ngat_dong")
    keep_page = spec.get("giu_trang") is True
    limit = PAGE_TEXT_HEIGHT[landscape] // SPLIT_SHARE
    out = []
    for index, row in enumerate(rows):
        if row.header or keep_page:
            whole = True
        elif isinstance(rule, bool):
            whole = not rule
        else:
            whole = row_height(row, widths, points) <= limit
        keep = keep_page and index < len(rows) - 1
        if size is not None or keep:
            cells = tuple(
                replace(
                    cell,
                    paragraphs=tuple(
                        replace(p, size=size, keep_next=p.keep_next or keep)
                        for p in cell.paragraphs
                    ),
                )
                for cell in row.cells
            )
            row = replace(row, cells=cells)
        out.append(replace(row, keep_together=whole) if whole != row.keep_together else row)
    return out


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
