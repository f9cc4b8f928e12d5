"""Statistics tables: merged header cells, STT, group and total rows, column formulas.

One pure model serves two stages: validation asks it for the problems (a
typed total that does not add up, a formula that does not hold, a header
whose rows do not line up) and layout asks it for the finished rows. A
blank cell that a formula or a total defines is computed; a typed one is
checked, so a clerk's arithmetic is never silently replaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from baocao import vietnamese
from baocao.source import number_problem

Number = int | Decimal

SEQUENCE_TITLES = {"TT", "STT", "SỐ TT", "SỐ THỨ TỰ"}
"""Row-number columns: centred, and never summed although they hold numbers."""

TOTAL_LABEL = "TỔNG CỘNG"
SUBTOTAL_LABEL = "Cộng"

_TERM = re.compile(r"([+-]?)\(?(\d+)\)?")


@dataclass(frozen=True)
class HeaderCell:
    """A header cell placed on the grid (0-based row and column)."""

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    sub: tuple[str, ...] = ()  # dong_phu: lines under the title, printed italic, not bold


@dataclass(frozen=True)
class Formula:
    """``(3)=(4)+(5)+(6)``: column 3 is the signed sum of the others (1-based)."""

    text: str
    target: int
    terms: tuple[tuple[int, int], ...]  # (sign, column)

    def apply(self, row: Sequence[Any]) -> Number | None:
        values = [row[column - 1] for _, column in self.terms]
        if not all(_is_number(v) for v in values):
            return None
        total: Number = sum(
            (sign * v for (sign, _), v in zip(self.terms, values, strict=True)), start=0
        )
        return total


@dataclass
class Row:
    """A finished body row: ``kind`` is data, group, subtotal or total."""

    kind: str
    values: list[Any]
    label: str = ""
    source: int | None = None  # index in the YAML "dong" list; None for tong_cong
    given: list[Any] | None = None  # values typed for a subtotal row
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Merged cells by grid column (0-based): (columns, rows) they cover."""
    covered: set[int] = field(default_factory=set)
    """Grid columns not printed in this row: covered by a merged cell to the left or above."""
    typed: dict[int, str] = field(default_factory=dict)
    """Numbers the clerk wrote as text ("2025", "09"), by grid column: printed as typed."""
    origin: dict[int, int] = field(default_factory=dict)
    """Grid column → the cell's index in the YAML row, to point a message at the cell."""

    @property
    def name(self) -> dict[str, Any]:
        """How a clerk finds the row, as a nested message: "dòng 3 (Lĩnh vực Báo chí)"."""
        if self.kind == "total" or self.source is None:
            return {"code": "table_row_total", "label": self.label or TOTAL_LABEL}
        texts = [v for v in self.values if isinstance(v, str) and v.strip()]
        first = (
            texts[0]
            if texts
            else next((str(v) for v in self.values if v not in (None, "")), self.label)
        )
        if first:
            first = first.replace(PARAGRAPH_BREAK, " / ")  # a cell of paragraphs, on one line
            return {"code": "table_row_ref", "number": self.source + 1, "first": first}
        return {"code": "table_row_number", "number": self.source + 1}


def roman_limit(number: int) -> dict[str, Any]:
    """The parameters of ``roman_limit``: the ``number``-th item cannot get its numeral."""
    return {
        "number": number,
        "max": vietnamese.ROMAN_MAX,
        "largest": vietnamese.roman(vietnamese.ROMAN_MAX),
    }


@dataclass(frozen=True)
class Problem:
    """Something wrong in a table: ``where`` is a row index or "tong_cong"."""

    where: int | str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    cell: int | None = None  # the cell's index in the YAML row, when one cell is at fault


@dataclass
class Table:
    """A table with everything decided: grid, header, rows and column roles."""

    columns: int
    header: list[HeaderCell]
    header_rows: int
    column_numbers: list[str] | None
    rows: list[Row]
    sequence: list[bool]
    plain: list[bool]  # years: written without a thousands dot, never summed
    summed: list[bool]
    label_span: int
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    """What prints as typed but may surprise: told, never an error."""

    def header_title(self, column: int) -> str:
        """The lowest header text over ``column`` (0-based), for messages."""
        covering = [
            cell for cell in self.header if cell.column <= column < cell.column + cell.colspan
        ]
        return covering[-1].text.replace(PARAGRAPH_BREAK, " / ") if covering else ""


_YEAR_TITLE = re.compile(r"năm(\s+\D.*)?", re.IGNORECASE | re.DOTALL)


def _is_year(title: str) -> bool:
    """A "Năm" column holds years: 2021, not 2.021, and they do not add up.

    "Năm", "Năm ban hành" are year columns; "Năm 2022" is a column of that
    year's figures.

    >>> [_is_year(t) for t in ("Năm", "Năm ban hành", "Năm 2022", "Số hồ sơ")]
    [True, True, False, False]
    """
    return bool(_YEAR_TITLE.fullmatch(title.strip()))


def _is_rate(title: str) -> bool:
    """Percentages and rates do not add up across rows."""
    lowered = title.lower()
    return "%" in lowered or "tỷ lệ" in lowered or "tỉ lệ" in lowered


_NUMBER_TEXT = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?")


def _vietnamese_number(text: str) -> Any:
    """ "1.416" → 1416, "26,86" → Decimal("26.86"); other text unchanged."""
    if not _NUMBER_TEXT.fullmatch(text.strip()):
        return text
    number = vietnamese.parse_number(text.strip())
    return int(number) if number == number.to_integral_value() and "," not in text else number


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def parse_formula(text: str, columns: int) -> Formula:
    """Read ``(3)=(4)+(5)+(6)`` (spaces and brackets optional).

    >>> parse_formula("(3)=(4)+(5)-(6)", 6).terms
    ((1, 4), (1, 5), (-1, 6))
    """
    compact = re.sub(r"\s+", "", text).replace("−", "-").replace("–", "-")  # minus pasted from Word
    left, equals, right = compact.partition("=")
    target = re.fullmatch(r"\(?(\d+)\)?", left)
    terms = list(_TERM.finditer(right))
    if not equals or target is None or not terms or "".join(t.group(0) for t in terms) != right:
        raise ValueError(text)
    parsed = tuple((-1 if t.group(1) == "-" else 1, int(t.group(2))) for t in terms)
    numbers = [int(target.group(1)), *(column for _, column in parsed)]
    if not all(1 <= n <= columns for n in numbers):
        raise IndexError(text)
    return Formula(text, int(target.group(1)), parsed)


def _cell(value: Any) -> tuple[str, int, int]:
    if isinstance(value, dict):
        return paragraphs(value["chu"]), int(value.get("doc", 1)), int(value.get("ngang", 1))
    return paragraphs(value), 1, 1


PARAGRAPH_BREAK = "\n\n"
"""How a cell's paragraphs travel as one text: the layout starts a paragraph at each."""


def paragraphs(value: Any) -> str:
    """A cell written as a list of strings is one paragraph each; anything else is one text.

    >>> paragraphs(["Chủ trì:", "Sở Tài chính"])
    'Chủ trì:\\n\\nSở Tài chính'
    """
    if isinstance(value, list):
        return PARAGRAPH_BREAK.join(str(line) for line in value)
    return str(value)


def _sub_lines(value: Any) -> tuple[str, ...]:
    """A header cell's ``dong_phu``: one line or a list of lines."""
    lines = value.get("dong_phu") if isinstance(value, dict) else None
    if lines is None:
        return ()
    return tuple(str(line) for line in lines) if isinstance(lines, list) else (str(lines),)


def header_grid(rows: Sequence[Sequence[Any]]) -> tuple[list[HeaderCell], int, list[Problem]]:
    """Place header cells on a grid the way HTML tables do (rowspan, colspan)."""
    taken: set[tuple[int, int]] = set()
    cells: list[HeaderCell] = []
    problems: list[Problem] = []
    widths = []
    for r, row in enumerate(rows):
        column = 0
        for value in row:
            while (r, column) in taken:
                column += 1
            text, rowspan, colspan = _cell(value)
            if r + rowspan > len(rows):
                problems.append(Problem(None, "table_rowspan", {"text": text, "rows": len(rows)}))
                rowspan = len(rows) - r
            cells.append(HeaderCell(text, r, column, rowspan, colspan, sub=_sub_lines(value)))
            taken.update((r + i, column + j) for i in range(rowspan) for j in range(colspan))
            column += colspan
        widths.append(max((c + 1 for (rr, c) in taken if rr == r), default=0))
    columns = max(widths, default=0)
    for r, width in enumerate(widths):
        filled = sum(1 for (rr, _) in taken if rr == r)
        if filled != columns or width != columns:
            problems.append(
                Problem(
                    None, "table_header_shape", {"row": r + 1, "got": filled, "expected": columns}
                )
            )
    return cells, columns, problems


class Models:
    """Table models by the ``bang`` mapping they were built from: one build per table.

    Validation builds each table to check it and keeps the model here; the
    layout asks for it by the same mapping (the report's own object), so a
    table is not built again for its columns' widths or its rows. A mapping
    validation did not build is built once, on first need.
    """

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[dict[str, Any], Table]] = {}

    def add(self, spec: dict[str, Any], model: Table) -> None:
        self._by_id[id(spec)] = (spec, model)  # the mapping is kept: its id stays its own

    def of(self, spec: dict[str, Any]) -> Table:
        found = self._by_id.get(id(spec))
        if found is not None and found[0] is spec:
            return found[1]
        model = build(spec)
        self.add(spec, model)
        return model


def build(spec: dict[str, Any]) -> Table:
    """Decide everything about a table from its YAML ``bang`` mapping."""
    problems: list[Problem] = []
    if spec.get("tieu_de_cot"):
        header, columns, shape = header_grid(spec["tieu_de_cot"])
        problems += shape
    else:
        titles = spec.get("cot") or []
        header, columns = [HeaderCell(str(t), 0, i) for i, t in enumerate(titles)], len(titles)
    header_rows = 1 + max((c.row + c.rowspan - 1 for c in header), default=0)
    auto_number = bool(spec.get("stt"))
    if auto_number:
        header = [HeaderCell("STT", 0, 0, header_rows, 1)] + [
            replace(c, column=c.column + 1) for c in header
        ]
        columns += 1
    numbers = spec.get("so_cot")
    column_numbers = (
        [f"({i})" for i in range(1, columns + 1)] if numbers is True else numbers or None
    )
    if column_numbers is not None and len(column_numbers) != columns:
        problems.append(
            Problem(
                None,
                "sequence_length",
                {"got": len(column_numbers), "expected": columns},
            )
        )

    formulas = []
    for text in spec.get("cong_thuc") or ():
        try:
            formulas.append(parse_formula(text, columns))
        except IndexError:
            problems.append(
                Problem(None, "table_formula_column", {"formula": text, "columns": columns})
            )
        except ValueError:
            problems.append(Problem(None, "table_formula_syntax", {"formula": text}))

    table = Table(columns, header, header_rows, column_numbers, [], [], [], [], 0, problems)
    table.plain = [_is_year(table.header_title(i)) for i in range(columns)]
    table.sequence = [
        (auto_number and i == 0)
        or any(
            c.text.strip().upper() in SEQUENCE_TITLES
            for c in header
            if c.column <= i < c.column + c.colspan
        )
        for i in range(columns)
    ]
    _rows(table, spec, auto_number, formulas)
    return table


def _rows(table: Table, spec: dict[str, Any], auto_number: bool, formulas: list[Formula]) -> None:
    merging = _Merging(1 if auto_number else 0)
    data_width = table.columns - (1 if auto_number else 0)
    counter = group = 0
    for index, raw in enumerate(spec.get("dong") or ()):
        if isinstance(raw, dict) and "nhom" in raw:
            group += 1
            counter = 0
            table.rows.append(Row("group", [], str(raw["nhom"]), index))
        elif isinstance(raw, dict):
            label = str(raw.get("nhan", SUBTOTAL_LABEL))
            table.rows.append(Row("subtotal", [], label, index, _given(raw.get("cong"))))
        else:
            counter += 1
            table.rows.append(
                merging.row(table, list(raw), index, data_width, counter if auto_number else None)
            )
    merging.close(table)
    numeric = [
        any(_is_number(r.values[i]) for r in table.rows if r.kind == "data")
        for i in range(table.columns)
    ]
    # "1.416" typed in quotes among numbers is a number too, or the total would skip it;
    # bounded as a typed number is (a quoted 5,000 digits could not even be printed).
    for row in table.rows:
        if row.kind == "data":
            for i, value in enumerate(row.values):
                if numeric[i] and isinstance(value, str) and i not in row.spans:
                    number = _vietnamese_number(value)
                    found = number_problem(number, value.strip())
                    if found is None:
                        if _is_number(number):
                            row.typed[i] = value  # counted as the number, printed as typed
                        row.values[i] = number
                    else:
                        table.problems.append(Problem(row.source, *found))
    _typed_number_warnings(table)
    never = {n - 1 for n in spec.get("khong_cong") or ()}
    table.summed = [
        number
        and not sequence
        and not table.plain[i]
        and not _is_rate(table.header_title(i))
        and i not in never
        for i, (number, sequence) in enumerate(zip(numeric, table.sequence, strict=True))
    ]
    # Formula targets are summed too, even when every cell is left to compute.
    for formula in formulas:
        table.summed[formula.target - 1] = True
    table.label_span = next((i for i, s in enumerate(table.summed) if s), table.columns)
    for row in table.rows:
        if row.kind == "data":
            _apply_formulas(table, row, [f for f in formulas if _unmerged(row, f)])
    if auto_number:
        groups = 0
        for row in table.rows:
            if row.kind == "group":
                groups += 1
                if groups > vietnamese.ROMAN_MAX:  # validation reports it; the row stays unnumbered
                    table.problems.append(Problem(row.source, "roman_limit", roman_limit(groups)))
                    break
                row.values = [vietnamese.roman(groups)]
    _totals(table, spec)


def _given(value: Any) -> list[Any] | None:
    return list(value) if isinstance(value, list) else None


def _apply_formulas(table: Table, row: Row, formulas: list[Formula]) -> None:
    for formula in formulas:
        computed = formula.apply(row.values)
        typed = row.values[formula.target - 1]
        if computed is None:
            continue
        if typed is None or typed == "":
            row.values[formula.target - 1] = computed
        elif not _is_number(typed) or typed != computed:
            table.problems.append(
                _mismatch(
                    table, row.source, row.name, formula.target - 1, typed, computed, formula.text
                )
            )
            # Sums go on with the right value, so one wrong cell is one message.
            row.values[formula.target - 1] = computed


def _mismatch(
    table: Table,
    where: int | str | None,
    row_name: dict[str, Any],
    column: int,
    typed: Any,
    computed: Number,
    formula: str | None,
) -> Problem:
    """A typed value that its formula (or, with ``formula`` None, its sum) contradicts."""
    params = {
        "row": row_name,
        "column": f"({column + 1}) {table.header_title(column)}".strip(),
        "typed": typed if not _is_number(typed) else vietnamese.format_number(typed),
        "computed": vietnamese.format_number(computed),
    }
    if formula is None:
        return Problem(where, "table_sum_mismatch", params)
    return Problem(where, "table_mismatch", {**params, "formula": formula})


def _totals(table: Table, spec: dict[str, Any]) -> None:
    """Compute subtotal rows (since the last group) and the TỔNG CỘNG row; check typed ones."""
    value_width = table.columns - table.label_span
    since_group: list[Row] = []
    every: list[Row] = []
    for row in table.rows:
        if row.kind == "group":
            since_group = []
        elif row.kind == "data":
            since_group.append(row)
            every.append(row)
        elif row.kind == "subtotal":
            row.values = _sum_row(table, since_group, row.given, value_width, row.source, row.name)
            since_group = []  # a second "Cộng" in a group adds up the rows after the first
    wanted = spec.get("tong_cong")
    if wanted:
        given = wanted if isinstance(wanted, list) else None
        total = Row("total", [], TOTAL_LABEL, None)
        total.values = _sum_row(table, every, given, value_width, "tong_cong", total.name)
        table.rows.append(total)


def _sum_row(
    table: Table,
    rows: list[Row],
    given: list[Any] | None,
    width: int,
    where: int | str | None,
    name: dict[str, Any],
) -> list[Any]:
    if given is not None and len(given) != width:
        table.problems.append(
            Problem(
                where,
                "table_total_length",
                {
                    "got": len(given),
                    "expected": width,
                    "first": table.label_span + 1,
                    "last": table.columns,
                },
            )
        )
        given = None
    out: list[Any] = []
    for offset in range(width):
        column = table.label_span + offset
        typed = given[offset] if given is not None else None
        if not table.summed[column]:
            out.append(typed)
            continue
        computed = sum((r.values[column] for r in rows if _is_number(r.values[column])), start=0)
        if typed is not None and typed != computed:
            table.problems.append(_mismatch(table, where, name, column, typed, computed, None))
        out.append(computed if typed is None else typed)
    return out


# -- merged cells in data rows, and numbers written as text ----------------------------------

CELL_KEYS = ("chu", "ngang", "doc")
"""A merged body cell, as in tieu_de_cot: its text, and the columns and rows it covers."""


def _data_cell(value: Any) -> tuple[Any, int, int]:
    """A body cell's value and the (columns, rows) it covers; paragraphs are joined."""
    if isinstance(value, dict):
        text: Any = value.get("chu")
        columns, rows = int(value.get("ngang", 1)), int(value.get("doc", 1))
        if columns > 1 or rows > 1:  # a merged cell is a label, never a number to add up
            text = vietnamese.format_number(text) if _is_number(text) else text
        return (paragraphs(text) if isinstance(text, list) else text), columns, rows
    if isinstance(value, list):
        return paragraphs(value), 1, 1
    return value, 1, 1


def _cell_shown(value: Any) -> str:
    """A cell's text for a message, cut short."""
    text = paragraphs(value.get("chu") if isinstance(value, dict) else value)
    text = text.replace(PARAGRAPH_BREAK, " / ").replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


class _Merging:
    """Body rows laid on the grid: positions a merged cell covers below are skipped there.

    ``offset`` is 1 when an automatic STT column comes first (it is never merged).
    ``below`` maps a data column to the rows it is still covered for, and by which cell.
    """

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.below: dict[int, tuple[int, Row, int]] = {}  # column → (rows left, top row, start)

    def row(
        self, table: Table, cells: list[Any], index: int, width: int, number: int | None
    ) -> Row:
        if table.rows and table.rows[-1].kind != "data":
            self.close(table)  # a merge down stops at a group or label row
        values: list[Any] = [None] * width
        spans: dict[int, tuple[int, int]] = {}
        covered = set(self.below)
        origin: dict[int, int] = {}
        column = placed = 0
        for position, raw in enumerate(cells):
            while column < width and column in self.below:
                column += 1
            if column >= width:
                break
            value, colspan, rowspan = _data_cell(raw)
            reach = column
            while reach < column + colspan and reach < width and reach not in self.below:
                reach += 1
            if reach < column + colspan:
                code = "table_span_overlap" if reach < width else "table_span_wide"
                table.problems.append(
                    Problem(
                        index,
                        code,
                        {"text": _cell_shown(raw), "columns": colspan, "free": reach - column},
                        cell=position,
                    )
                )
                colspan = reach - column
            values[column] = value
            origin[column] = position
            if colspan > 1 or rowspan > 1:
                spans[column] = (colspan, rowspan)
            covered.update(range(column + 1, column + colspan))
            column += colspan
            placed += 1
        free = sum(1 for c in range(column, width) if c not in self.below)
        needed = placed + free
        if len(cells) != needed:
            if spans or self.below:
                merged = width - needed
                params = {"got": len(cells), "expected": needed, "columns": width, "merged": merged}
                table.problems.append(Problem(index, "table_row_cells", params))
            else:
                table.problems.append(
                    Problem(index, "row_length", {"got": len(cells), "expected": width})
                )
        row = Row(
            "data",
            ([number] if number is not None else []) + values,
            "",
            index,
            spans={c + self.offset: s for c, s in spans.items()},
            covered={c + self.offset for c in covered},
            origin={c + self.offset: p for c, p in origin.items()},
        )
        self._advance(row, spans)
        _sequence_warnings(table, row)
        return row

    def _advance(self, row: Row, spans: dict[int, tuple[int, int]]) -> None:
        """Count one row off the merges from above; start the ones this row opens."""
        self.below = {
            c: (left - 1, top, start) for c, (left, top, start) in self.below.items() if left > 1
        }
        for column, (colspan, rowspan) in spans.items():
            for at in range(column, column + colspan):
                if rowspan > 1:
                    self.below[at] = (rowspan - 1, row, column + self.offset)

    def close(self, table: Table) -> None:
        """A merge down that runs into a group row, a total or the table's end: cut and told."""
        starts = {(id(top), start): (left, top, start) for left, top, start in self.below.values()}
        for left, top, start in starts.values():
            colspan, rowspan = top.spans[start]
            top.spans[start] = (colspan, rowspan - left)
            if top.spans[start] == (1, 1):
                del top.spans[start]
            position = top.origin.get(start)
            table.problems.append(
                Problem(
                    top.source,
                    "table_span_rows",
                    {
                        "text": _cell_shown(top.values[start]),
                        "rows": rowspan,
                        "available": rowspan - left,
                    },
                    cell=position,
                )
            )
        self.below = {}


def _unmerged(row: Row, formula: Formula) -> bool:
    """A formula fills its column unless a merged cell holds it in this row.

    Its operands need no check: a merged cell is text and a covered one blank,
    so a formula over them has no value there.
    """
    column = formula.target - 1
    return column not in row.spans and column not in row.covered


def _sequence_warnings(table: Table, row: Row) -> None:
    """``2.2`` unquoted in an STT column is YAML's decimal number, printed "2,2"."""
    for column, value in enumerate(row.values):
        if table.sequence[column] and isinstance(value, Decimal) and column in row.origin:
            table.warnings.append(
                Problem(
                    row.source,
                    "table_stt_decimal",
                    {"typed": str(value), "shown": vietnamese.format_number(value)},
                    cell=row.origin[column],
                )
            )


def shown_number(table: Table, column: int, value: Number) -> str:
    """How a number prints in ``column``: years plain (2021), others the Vietnamese way."""
    if table.plain[column] and isinstance(value, int):
        return str(value)
    return vietnamese.format_number(value)


_QUOTED = re.compile(r"-?\d+(?:\.\d+)?")
"""Text YAML would have read as a number without quotes: so the clerk quoted it."""


def _typed_number_warnings(table: Table) -> None:
    """A column of numbers with some written as text that prints otherwise: one warning.

    The text prints as typed ("2025", "09") while the numbers around it are
    formatted (2.025), so the column looks mixed: the clerk hears which cells.
    """
    for column in range(table.columns):
        found = [
            (row, row.typed[column])
            for row in table.rows
            if row.kind == "data"
            and column in row.typed
            and _QUOTED.fullmatch(row.typed[column].strip())
            and row.typed[column].strip() != shown_number(table, column, row.values[column])
        ]
        if not found:
            continue
        first, _ = found[0]
        cells = ", ".join(
            f"“{text}” ({row.source + 1})" for row, text in found if row.source is not None
        )
        table.warnings.append(
            Problem(
                first.source,
                "table_typed_number",
                {
                    "column": f"({column + 1}) {table.header_title(column)}".strip(),
                    "cells": cells,
                    "typed": found[0][1],
                    "shown": shown_number(table, column, first.values[column]),
                },
                cell=first.origin.get(column),
            )
        )
