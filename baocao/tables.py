"""Statistics tables: merged header cells, STT, group and total rows, column formulas.

One pure model serves two stages: validation asks it for the problems (a
typed total that does not add up, a formula that does not hold, a header
whose rows do not line up) and layout asks it for the finished rows. A
blank cell that a formula or a total defines is computed; a typed one is
checked, so a clerk's arithmetic is never silently replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from baocao import vietnamese
from baocao.source import number_problem

Number = int | Decimal

T = TypeVar("T")

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

    def header_title(self, column: int) -> str:
        """The lowest header text over ``column`` (0-based), for messages."""
        covering = [
            cell for cell in self.header if cell.column <= column < cell.column + cell.colspan
        ]
        return covering[-1].text if covering else ""


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
        return str(value["chu"]), int(value.get("doc", 1)), int(value.get("ngang", 1))
    return str(value), 1, 1


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
            cells.append(HeaderCell(text, r, column, rowspan, colspan))
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
        self._measured: dict[tuple[int, Any], tuple[dict[str, Any], Any]] = {}

    def measured(self, spec: dict[str, Any], how: Callable[[dict[str, Any], Table], T]) -> T:
        """``how(spec, model)``, worked out once: validation's warnings and the layout share it
        (a table's column widths are measured glyph by glyph)."""
        key = (id(spec), how)
        found = self._measured.get(key)
        if found is not None and found[0] is spec:
            return cast(T, found[1])
        value = how(spec, self.of(spec))
        self._measured[key] = (spec, value)
        return value

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
            HeaderCell(c.text, c.row, c.column + 1, c.rowspan, c.colspan) for c in header
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
            cells = list(raw)
            if len(cells) != data_width:
                table.problems.append(
                    Problem(index, "row_length", {"got": len(cells), "expected": data_width})
                )
                cells = (cells + [None] * data_width)[:data_width]
            counter += 1
            values = [counter, *cells] if auto_number else cells
            table.rows.append(Row("data", values, "", index))
    numeric = [
        any(_is_number(r.values[i]) for r in table.rows if r.kind == "data")
        for i in range(table.columns)
    ]
    # "1.416" typed in quotes among numbers is a number too, or the total would skip it;
    # bounded as a typed number is (a quoted 5,000 digits could not even be printed).
    for row in table.rows:
        if row.kind == "data":
            for i, value in enumerate(row.values):
                if numeric[i] and isinstance(value, str):
                    number = _vietnamese_number(value)
                    found = number_problem(number, value.strip())
                    if found is None:
                        row.values[i] = number
                    else:
                        table.problems.append(Problem(row.source, *found))
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
            _apply_formulas(table, row, formulas)
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
