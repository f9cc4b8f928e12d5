"""A table's columns measured as printed, and the widths that follow from them.

Shared by validation (which warns of a table where a word or a number must
break) and the layout (which gives the columns those widths): each table is
measured once (``needs_of``, kept in ``tables.Models``). Widths are in twips,
in the table text's font and size; ``**``/``*`` markers are not measured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from baocao import markup, measure, nd30, tables, vietnamese
from baocao.model import Page
from baocao.records import record


def is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """Write a cell value: numbers the Vietnamese way (1.416; 26,86), dates d/m/yyyy."""
    if value is None:
        return ""
    if is_number(value):
        return vietnamese.format_number(value)
    if isinstance(value, date):
        return vietnamese.short_date(value)
    return str(value)


def shown(model: tables.Table, column: int, value: Any) -> str:
    """A cell as printed: years plain (2021), other numbers the Vietnamese way (1.416)."""
    if model.plain[column] and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return cell_text(value)


def shown_data(model: tables.Table, row: tables.Row, column: int) -> str:
    """A data cell as printed: a number written as text exactly as typed ("2025", "09")."""
    typed = row.typed.get(column)
    if typed is not None:
        return typed
    value = row.values[column]
    if type(value) is str:  # most cells: text, printed as it is (``cell_text``'s ``str``)
        return value
    return shown(model, column, value)


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
        if " " not in text and "\n" not in text:  # one word (a number, a short label)
            width = measure.word_width(text, points, bold)
            return width, width
        words = text.split() or [""]
        return (
            max(measure.word_width(w, points, bold) for w in words),
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


@record
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
    for head_bold, head_plain, cell_plain, cell_bold in _column_texts(model):
        word_a, head_a = _widest(head_bold, points, True)
        word_b, head_b = _widest(head_plain, points, False)
        word_c, cell_c = _widest(cell_plain, points, False)
        word_d, cell_d = _widest(cell_bold, points, True)
        floor = max(word_a, word_b, word_c, word_d)
        head_line, cell_line = max(head_a, head_b), max(cell_c, cell_d)
        floors.append(floor + TABLE_CELL_MARGINS)
        wants.append(max(floor, head_line, cell_line) + TABLE_CELL_MARGINS)
        contents.append(max(floor, cell_line) + TABLE_CELL_MARGINS)
    _merged_floors(model, floors, wants, points)
    return floors, wants, contents


_Texts = tuple[list[str], list[str], list[str], list[str]]


def _column_texts(model: tables.Table) -> list[_Texts]:
    """Every text each column shows: its header's bold and plain lines, its cells' plain
    texts and bold ones (totals, groups). The rows are read once for all the columns."""
    columns = model.columns
    found: list[_Texts] = [([], [], [], []) for _ in range(columns)]
    for cell in model.header:
        if cell.colspan == 1 and 0 <= cell.column < columns:
            texts = found[cell.column]
            texts[0].append(cell.text)
            texts[1].extend(cell.sub)
    if model.column_numbers:  # "(1)", or a formula "(5)=(4)÷(3)×100": a line may not break it
        for column in range(columns):
            found[column][0].append(model.column_numbers[column])
    for row in model.rows:
        if row.kind == "data":
            values = row.values
            if not (row.covered or row.spans or row.typed):  # every cell its own, as given
                for column in range(columns):
                    value = values[column]
                    found[column][2].append(
                        value if type(value) is str else shown(model, column, value)
                    )
                continue
            for column in range(columns):
                # A text across columns sizes none alone (``_merged_floors`` sees to it).
                if column not in row.covered and row.spans.get(column, (1, 1))[0] == 1:
                    found[column][2].append(shown_data(model, row, column))
            continue
        sums = row.sums if row.kind == "group" else row.values  # a total's, label's, group's
        if sums is None:
            continue
        span = tables.span_of(model, row)
        for index, value in enumerate(sums):
            column = span + index
            if 0 <= column < columns:
                found[column][3].append(shown(model, column, value))
    return found


def _widest(texts: list[str], points: int, bold: bool) -> tuple[int, int]:
    """The widest word and the widest line of ``texts``, as printed (twips), as
    ``printed_words`` gives them text by text.

    Texts of plain words and spaces (most cells) are measured all at once: their
    words through ``measure.widest_word`` and their lines through
    ``measure.widest_line``, with no Python step per text; a text with markup, a
    tab or another unusual character is measured on its own (``_widest_each``).
    """
    if not texts:
        return 0, 0
    joined = "\n".join(texts)
    if "*" in joined or "[^" in joined:
        return _widest_each(texts, points, bold)
    lines = joined.split("\n") if joined.count("\n") >= len(texts) else texts
    if not "".join(lines).isprintable():  # white space other than " " (Python's printable)
        return _widest_each(texts, points, bold)
    return (
        measure.widest_word(joined.split(), points, bold),
        measure.widest_line(lines, points, bold=bold),
    )


def _widest_each(texts: list[str], points: int, bold: bool) -> tuple[int, int]:
    """``_widest``, text by text: markup is measured as printed, a text with no space or
    line break is one word (a tab inside it too), a line is measured whole."""
    word = line = 0
    for text in texts:
        if "*" in text or "[^" in text:  # markup: measured as printed, span by span
            in_word, in_line = printed_words(text, points, bold=bold)
        elif " " not in text and "\n" not in text:  # one word (a number, a short label)
            in_word = in_line = measure.word_width(text, points, bold)
        else:
            typed = text.split("\n")
            in_word = max(measure.widest_word(part.split(), points, bold) for part in typed)
            in_line = measure.widest_line(typed, points, bold=bold)
        word, line = max(word, in_word), max(line, in_line)
    return word, line


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
            word = printed_words(shown_data(model, row, column), points)[0] + TABLE_CELL_MARGINS
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


CELL_SAFETY = 40
"""Twips of room kept beside the cell margins for the borders (and a glyph's rounding)."""


TABLE_CELL_MARGINS = 2 * 85 + CELL_SAFETY
"""Twips around a table cell's text (BCBang's cell margins, borders)."""


def table_minimum_width(model: tables.Table, spec: dict[str, Any] | None = None) -> int:
    """Narrowest width (twips) at which no word of a table has to break, at its text size."""
    return column_needs(spec or {}, model).minimum


def appendix_landscape(appendix: dict[str, Any], page: Page, models: tables.Models) -> bool:
    """An appendix is landscape when it says so, or when a table asks for it (``ngang``) or
    cannot fit a portrait page without breaking a word (the rule body tables' widths follow)."""
    stated = appendix.get("ngang")
    if stated is not None:
        return bool(stated)
    return any(
        spec.get("ngang") is True or needs_of(spec, models).minimum > page.text_width
        for _, spec in markup.find_blocks(appendix.get("noi_dung"), (), "bang")
    )
