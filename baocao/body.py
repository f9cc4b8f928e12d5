"""The flowing body of a document: sections, items, tables, pictures, footnotes.

Part of the layout stage: it turns the YAML's nested blocks into paragraphs
and tables with their labels (I. / 1. / a) / - / +, in the decree's order),
puts "./." after the last word, and lays statistics tables out on the page
(their models and the footnotes' numbers come from validation). Everything
comes out as the document model's blocks (``model``), in the template's style
roles, so the template decides how it looks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from baocao import measure, nd30, tables, vietnamese
from baocao import model as doc
from baocao.records import record
from baocao.widths import (
    TABLE_CELL_MARGINS,
    TABLE_POINTS,
    Needs,
    cell_text,
    column_needs,
    fitted_widths,
    given_widths,
    is_number,
    shown,
    shown_data,
    table_size,
)

CLOSING_MARK = nd30.CLOSING_MARK


@record(frozen=False)
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


@record(frozen=False)
class NewPage:
    """``trang_moi: true``: what follows starts on a new page."""

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        return (doc.PageBreak(),)


@record(frozen=False)
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

    def breaks(self) -> tuple[doc.Section, ...]:
        """The sections its ``blocks`` break into, in order (known before they are laid out)."""
        if not self.landscape:
            return ()
        return ((LANDSCAPE_IN_PLACE,) if self.opens else ()) + (
            (PORTRAIT_AFTER,) if self.closes else ()
        )

    def blocks(self, notes: Mapping[str, int] | None = None) -> tuple[doc.Block, ...]:
        wide = self.landscape or self.text_width > PORTRAIT_WIDEST  # a landscape appendix
        out = _table_blocks(self.spec, self.model, self.text_width, notes, wide, self.needs)
        if not self.landscape:
            return out
        before = (doc.SectionBreak(LANDSCAPE_IN_PLACE),) if self.opens else ()
        if not self.closes:
            return (*before, *out)
        # The section's break paragraph (1 pt) parts the table from what follows: the
        # spacer after it would spill onto a page of its own when the table fills one.
        spacer = out[-1]
        assert isinstance(spacer, doc.Paragraph) and not spacer.runs
        return (*before, *out[:-1], doc.SectionBreak(PORTRAIT_AFTER))


PORTRAIT_WIDEST = measure.mm(nd30.PAGE_MM[0] - nd30.MARGINS.left.low - nd30.MARGINS.right.low)
"""The widest text a portrait page has: a table wider than this stands on landscape pages."""


LANDSCAPE_IN_PLACE = doc.Section(landscape=True, restart=False, title_page=False)
"""A wide body table's pages: landscape, numbered on from the pages before (PL I, I.2)."""


PORTRAIT_AFTER = doc.Section(landscape=False, restart=False, title_page=False)
"""The body after a landscape table: portrait again, the numbering still going on."""


@record(frozen=False)
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


ARTICLE = nd30.DIEU.style


KHOAN_LEVEL = 2
"""Inside an article: khoản "1.", then điểm "a)" (PL I, II.6.đ), the levels of a report's
"1." and "a)"."""


BLOCK_KEYS = frozenset(("doan", "trang_moi", "gach", "cong", "bang", "hinh"))
"""Keys of a body item that is not a section (``body_blocks``' other branches)."""


def is_section(item: Any) -> bool:
    """Whether a body item is a section (a title, a label or its own noi_dung)."""
    return isinstance(item, dict) and not (BLOCK_KEYS & item.keys())


def article_blocks(
    items: Sequence[Any],
    text_width: int,
    base_dir: Path,
    *,
    models: tables.Models,
) -> Iterator[Block]:
    """A quyết định's body: each section an article, "Điều 1.", "Điều 2." … (Mẫu 1.2, 1.3).

    An article with ``tieu_de`` is one bold line "Điều 1. Tiêu đề" at the body's
    indent (PL I, II.6.đ); without one, its first paragraph follows the bold
    label, as the decree's sample prints "Điều 1. …". Inside an article, khoản
    and điểm are numbered "1." and "a)", their labels upright (the Mục V table:
    a khoản without a title is "đứng"). Items that are not sections stay
    unnumbered paragraphs where they are.
    """
    number = 0
    for item in items:
        if not is_section(item):
            yield from body_blocks([item], text_width, KHOAN_LEVEL, base_dir, models=models)
            continue
        number += 1
        label = item.get("so_muc") or f"{nd30.DIEU_TEXT} {number}."
        children = list(
            body_blocks(
                item.get("noi_dung") or (), text_width, KHOAN_LEVEL, base_dir, models=models
            )
        )
        for child in children:
            if isinstance(child, Para) and child.style == BODY and child.label:
                child.label_bold = False
        title = item.get("tieu_de")
        first = children[0] if children else None
        if title is not None:
            yield Para(ARTICLE, title, label)
        elif (
            isinstance(first, Para)
            and first.style == BODY
            and not first.label
            and first.align is None
            and not first.text.startswith(("- ", "+ "))
        ):
            children.pop(0)
            yield Para(BODY, first.text, label, label_bold=True)
        else:
            yield Para(ARTICLE, "", label)
        yield from children


def _section(
    item: dict[str, Any],
    level: int,
    number: int,
    text_width: int,
    base_dir: Path,
    models: tables.Models,
) -> Iterator[Block]:
    label = item.get("so_muc") or vietnamese.section_label(level, number)
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


def column_aligns(model: tables.Table, spec: dict[str, Any]) -> list[str]:
    """Each column's alignment: as typed in ``can_le``, else the automatic rule (a sequence
    column centred, numbers right, text left). Public because import writes ``can_le`` only
    where a read table departs from this rule."""
    if spec.get("can_le"):
        return [ALIGN[a] for a in spec["can_le"]]
    numeric = [
        any(is_number(r.values[i]) for r in model.rows if r.kind == "data")
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
    if "\n\n" not in text:  # most cells: one paragraph
        runs = doc.inline(text, bold=bold, notes=notes)
        return doc.Cell((doc.Paragraph(style, runs, align),), columns, rows)
    lines = text.split("\n\n")
    return doc.Cell(
        tuple(
            [
                doc.Paragraph(style, doc.inline(line, bold=bold, notes=notes), align)
                for line in lines
            ]
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
                _cell(shown(model, span + i, v), a, TABLE_CELL, bold=True, notes=notes)
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


def _data_cells(
    model: tables.Table, row: tables.Row, aligns: list[str], notes: Mapping[str, int] | None
) -> Iterator[doc.Cell]:
    """A data row's cells; a merged one covers its columns, and rows below leave it room."""
    for column, align in enumerate(aligns):
        if column in row.covered:
            continue
        columns, rows = row.spans.get(column, (1, 1))
        text = shown_data(model, row, column)
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
        _cell(shown(model, span + i, v), a, TABLE_CELL, bold=True, notes=notes)
        for i, (v, a) in enumerate(zip(sums, aligns[span:], strict=True))
    ]
    return cells


def _table_blocks(
    spec: dict[str, Any],
    model: tables.Table,
    text_width: int,
    notes: Mapping[str, int] | None = None,
    landscape: bool = False,
    needs: Needs | None = None,
) -> tuple[doc.Block, ...]:
    aligns = column_aligns(model, spec)
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
    return row_measure(row, widths, points)[0]


def row_measure(row: doc.Row, widths: Sequence[int], points: int) -> tuple[int, int]:
    """A row's estimated height (twips) and the lines of its fullest cell, counted once.

    Cells spanning rows share their height with the rows they span and are left out.
    Comparisons rather than ``max()``: this runs for every cell of every table.
    """
    tallest = most = column = 0
    line = round(points * 20 * LINE_HEIGHT)
    for cell in row.cells:
        spanned = cell.columns
        if spanned == 1:  # most cells: their column's width alone
            inner = widths[column] - TABLE_CELL_MARGINS if column < len(widths) else 0
        else:
            inner = sum(widths[column : column + spanned]) - TABLE_CELL_MARGINS
        if inner < 1:
            inner = 1
        column += spanned
        if cell.rows > 1:
            continue
        lines = 0
        paragraphs = cell.paragraphs
        for p in paragraphs:
            runs = p.runs
            if len(runs) == 1 and type(runs[0]) is doc.Run:  # most cells: one run of text
                lines += _line_count(runs[0].text, inner, points, runs[0].bold)
            else:
                bold = any(isinstance(r, doc.Run) and r.bold for r in runs)
                lines += _line_count(p.text, inner, points, bold)
        height = _CELL_SPACING * len(paragraphs) + line * lines
        if height > tallest:
            tallest = height
        if lines > most:
            most = lines
    return tallest, most


_CELL_SPACING = nd30.BANG_CHU.before + nd30.BANG_CHU.after
"""A table paragraph's spacing before and after (twips)."""


def _line_count(text: str, width: int, points: int, bold: bool) -> int:
    """How many lines ``text`` takes in ``width`` twips, wrapping at spaces."""
    if "\n" not in text:
        words = text.split()
        # One word never wraps (a line is never left empty): the numbers of most cells.
        return 1 if len(words) < 2 else _wrapped(words, width, points, bold)
    return sum(_wrapped(line.split(), width, points, bold) for line in text.split("\n"))


def _wrapped(words: list[str], width: int, points: int, bold: bool) -> int:
    """The lines one line of ``words`` wraps into in ``width`` twips."""
    count = 1
    lookup, longest = _WORD_WIDTH, _LONGEST_WORD
    space = lookup(" ", points, bold)
    used = 0
    for word in words:
        size = (
            lookup(word, points, bold)
            if len(word) <= longest
            else measure.text_width(word, points, bold=bold)
        )
        if used and used + space + size > width:
            count += 1 + (size - 1) // width
            used = size % width
        else:
            used += (space if used else 0) + size
    return count


_WORD_WIDTH: Callable[[str, float, bool], int] = measure.word_width.cached
_LONGEST_WORD = measure.word_width.longest
"""``measure.word_width``'s cache, its length check made by ``_wrapped``."""


def typeset_rows(
    rows: Sequence[doc.Row], widths: Sequence[int], spec: dict[str, Any], *, landscape: bool
) -> list[doc.Row]:
    """Decide how rows meet page ends, and set the table's size on its paragraphs.

    Header rows never split (they repeat on every page). A body row splits
    when it is taller than a quarter of a page (``ngat_dong`` true or false
    decides for every row); ``giu_trang`` keeps the whole table on one page
    (each paragraph kept with the next, rows whole). A row of one line is
    not marked: it cannot split anyway, and LibreOffice 7.4 drops whole rows
    of a table whose one-line rows are marked, at some page heights.
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
            height, lines = row_measure(row, widths, points)
            whole = lines > 1 and height <= limit
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


def kept_with_closing(blocks: Iterable[doc.Block]) -> Iterator[doc.Block]:
    """``keep_with_closing`` as the blocks come: only the end that it may change is held back.

    That end is the trailing rules, the last other block and, when that is
    the empty paragraph after a table, the table: what ``keep_with_closing``
    walks back over. Everything before it is given on at once, so a long
    body is laid out, written and compressed piece by piece.
    """
    held: list[doc.Block] = []
    for block in blocks:
        if held and not isinstance(block, doc.Rule):
            # Only a table right before this block can still change (its last row).
            last = held[-1]
            if isinstance(last, doc.Table):
                yield from held[:-1]
                held = [last]
            elif len(held) == 1:  # most blocks: the one held goes on, this one takes its place
                yield last
                held[0] = block
                continue
            else:
                yield from held
                held = []
        held.append(block)
    yield from keep_with_closing(held)


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
