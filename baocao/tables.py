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
from dataclasses import field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import Any, TypeVar, cast

from baocao import vietnamese
from baocao.records import record
from baocao.source import number_problem

Number = int | Decimal

T = TypeVar("T")

SEQUENCE_TITLES = {"TT", "STT", "SỐ TT", "SỐ THỨ TỰ"}
"""Row-number columns: centred, and never summed although they hold numbers."""

TOTAL_LABEL = "TỔNG CỘNG"
SUBTOTAL_LABEL = "Cộng"


@record(slots=True)
class HeaderCell:
    """A header cell placed on the grid (0-based row and column)."""

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    sub: tuple[str, ...] = ()  # dong_phu: lines under the title, printed italic, not bold


@record
class Formula:
    """``(5)=(4)/(3)*100``: column 5 from other columns of the same row (1-based).

    ``expression`` is a small tree: ``("col", n)``, ``("num", Decimal)``,
    ``("+", ((sign, node), …))`` for a sum and ``("*", ((op, node), …))`` for a
    product (op ``*`` or ``/``); flat, so only brackets make it deeper.
    ``decimals`` is the formula's own ``so_le`` (None: the column's, if any).
    """

    text: str
    target: int
    expression: Any
    decimals: int | None = None

    @property
    def linear(self) -> bool:
        """Only + and −: a total row's value is then the sum of the rows' values."""
        return not _operators(self.expression) & {"*", "/"}

    @property
    def divides(self) -> bool:
        """A division's result is rounded even without ``so_le`` (1/3 has no end)."""
        return "/" in _operators(self.expression)

    @property
    def columns(self) -> list[int]:
        return sorted(_columns_of(self.expression))

    def apply(self, row: Sequence[Any]) -> Number | None:
        """The value for ``row`` (None when an operand is blank or text).

        Raises ``ZeroDivisionError`` when a divisor is zero.
        """
        values = {column: row[column - 1] for column in _columns_of(self.expression)}
        if not all(_is_number(v) for v in values.values()):
            return None
        return _evaluate(self.expression, values)


def _operators(node: Any) -> set[str]:
    if node[0] in ("col", "num"):
        return set()
    found = {op for op, _ in node[1]} if node[0] == "*" else set()  # a product has two or more
    return found.union(*(_operators(child) for _, child in node[1]))


def _columns_of(node: Any) -> set[int]:
    if node[0] == "col":
        return {node[1]}
    if node[0] == "num":
        return set()
    return set().union(*(_columns_of(child) for _, child in node[1]))


def _evaluate(node: Any, values: dict[int, Any]) -> Number:
    if node[0] == "col":
        column: Number = values[node[1]]
        return column
    if node[0] == "num":
        constant: Number = node[1]
        return constant
    if node[0] == "+":
        total: Number = 0
        for sign, child in node[1]:
            total += sign * _evaluate(child, values)
        return total
    product: Number = 1
    for op, child in node[1]:
        factor = _evaluate(child, values)
        if op == "*":
            product *= factor
        elif factor == 0:
            raise ZeroDivisionError(node)
        else:
            product = Decimal(product) / Decimal(factor)
    return product


@record(frozen=False)
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
    span: int | None = None  # ``gop``: leading columns under the label (None: the table's)
    checked: bool = True  # ``kiem_tra: false``: given values printed as typed, nothing computed
    operation: str = "tong"  # ``phep_tinh``: tong, trung_binh, lon_nhat or nho_nhat
    level: int = 1  # a group's depth: III is 1, III.1 is 2
    sums: list[Any] | None = None  # a group's own values (``cong``), from its label span on

    @property
    def name(self) -> dict[str, Any]:
        """How a clerk finds the row, as a nested message: "dòng 3 (Lĩnh vực Báo chí)"."""
        if self.kind == "total" or self.source is None:
            return {"code": "table_row_total", "label": self.label or TOTAL_LABEL}
        texts = [v for v in self.values if isinstance(v, str) and v.strip()]
        if self.kind != "data" and self.label:
            texts = [self.label]  # a group's numeral or a label row's values do not name it
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


@record
class Problem:
    """Something wrong in a table: ``where`` is a row index or "tong_cong"."""

    where: int | str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    key: str | None = None  # the key inside the row ("gop"), when the message is about it
    cell: int | None = None  # the cell's index in the YAML row, when one cell is at fault


@record(frozen=False)
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
    averaged: list[bool] = field(default_factory=list)  # ``trung_binh``: averaged in totals
    measured: list[bool] = field(default_factory=list)  # numbers a row's phep_tinh reads
    decimals: list[int | None] = field(default_factory=list)  # ``so_le`` per column

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
"""Compiled at start: the import reads every cell through it (``re.fullmatch`` with the
pattern as text took 2× the time of a call on the compiled one)."""


def _vietnamese_number(text: str) -> Any:
    """ "1.416" → 1416, "26,86" → Decimal("26.86"); other text unchanged."""
    if not _NUMBER_TEXT.fullmatch(text.strip()):
        return text
    number = vietnamese.parse_number(text.strip())
    return int(number) if number == number.to_integral_value() and "," not in text else number


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _any_number(values: Sequence[Any]) -> bool:
    """``any(map(_is_number, values))`` counted with no Python call per value: more
    ``int``s or Decimals than bools (a bool is an ``int``, and no number)."""
    return sum(map(isinstance, values, repeat((int, Decimal)))) > sum(
        map(is_, map(type, values), repeat(bool))
    )


_FORMULA_TOKEN = re.compile(r"\((\d+)\)|(\d+(?:,\d+)?)|([-+*/×÷:()])")
_OPERATORS = {"×": "*", "÷": "/", ":": "/"}


def parse_formula(text: str, columns: int, decimals: int | None = None) -> Formula:
    """Read ``(3)=(4)+(5)+(6)`` or ``(5)=(4)/(3)*100`` with a small parser (never ``eval``).

    A number in brackets is a column; a bare number is a constant, except in
    a formula with no bracket at all (``3=4+5+6``), which only names columns.
    + − × ÷ (also * / :) and brackets, the usual precedence.

    >>> parse_formula("(3)=(4)+(5)-(6)", 6).expression
    ('+', ((1, ('col', 4)), (1, ('col', 5)), (-1, ('col', 6))))
    >>> parse_formula("(5) = ((4) − 1) × 100 ÷ (3)", 6).columns
    [3, 4]
    """
    compact = re.sub(r"\s+", "", text).replace("−", "-").replace("–", "-")  # minus pasted from Word
    left, equals, right = compact.partition("=")
    target = re.fullmatch(r"\(?(\d+)\)?", left)
    if not equals or target is None or not right:
        raise ValueError(text)
    bare_columns = "(" not in right
    tokens: list[tuple[str, Any]] = []
    at = 0
    while at < len(right):
        found = _FORMULA_TOKEN.match(right, at)
        if found is None:
            raise ValueError(text)
        column, number, operator = found.groups()
        if column is not None:
            tokens.append(("col", int(column)))
        elif number is not None:
            if bare_columns and "," not in number:
                tokens.append(("col", int(number)))
            else:
                tokens.append(("num", vietnamese.parse_number(number)))
        else:
            tokens.append(("op", _OPERATORS.get(operator, operator)))
        at = found.end()
    expression = _FormulaParser(tokens, text).parse()
    numbers = [int(target.group(1)), *sorted(_columns_of(expression))]
    if not all(1 <= n <= columns for n in numbers):
        raise IndexError(text)
    return Formula(text, int(target.group(1)), expression, decimals)


class _FormulaParser:
    """Recursive descent over the tokens: a sum of products of signed factors.

    Sums and products are flat lists, so a long formula is a wide tree, not a
    deep one; bracket nesting is bounded, so no formula can exhaust the stack.
    """

    MAX_DEPTH = 20

    def __init__(self, tokens: list[tuple[str, Any]], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.at = 0
        self.depth = 0

    def parse(self) -> Any:
        node = self._sum()
        if self.at != len(self.tokens):
            raise ValueError(self.text)
        return node

    def _peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take_op(self, ops: str) -> str | None:
        token = self._peek()
        if token is not None and token[0] == "op" and token[1] in ops:
            self.at += 1
            return str(token[1])
        return None

    def _sum(self) -> Any:
        terms = [(1, self._product())]
        while (op := self._take_op("+-")) is not None:
            terms.append((-1 if op == "-" else 1, self._product()))
        return terms[0][1] if len(terms) == 1 else ("+", tuple(terms))

    def _product(self) -> Any:
        factors = [("*", self._factor())]
        while (op := self._take_op("*/")) is not None:
            factors.append((op, self._factor()))
        return factors[0][1] if len(factors) == 1 else ("*", tuple(factors))

    def _factor(self) -> Any:
        sign = 1
        while (op := self._take_op("+-")) is not None:
            sign = -sign if op == "-" else sign
        if self._take_op("(") is not None:
            self.depth += 1
            if self.depth > self.MAX_DEPTH:
                raise ValueError(self.text)
            node = self._sum()
            self.depth -= 1
            if self._take_op(")") is None:
                raise ValueError(self.text)
        else:
            token = self._peek()
            if token is None or token[0] == "op":
                raise ValueError(self.text)
            self.at += 1
            node = token
        return node if sign == 1 else ("+", ((-1, node),))


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
    for item in spec.get("cong_thuc") or ():
        text, decimals = _formula_item(item)
        if not text:
            continue  # {so_le} without bieu_thuc: the schema names the missing key
        try:
            formulas.append(parse_formula(text, columns, decimals))
        except IndexError:
            problems.append(
                Problem(None, "table_formula_column", {"formula": text, "columns": columns})
            )
        except ValueError:
            problems.append(Problem(None, "table_formula_syntax", {"formula": text}))

    table = Table(columns, header, header_rows, column_numbers, [], [], [], [], 0, problems)
    table.decimals = _column_decimals(spec.get("so_le"), columns)
    table.averaged = _column_set(table, spec.get("trung_binh"), "trung_binh")
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


def _formula_item(item: Any) -> tuple[str, int | None]:
    """A ``cong_thuc`` item: the formula's text, or ``{bieu_thuc, so_le}``."""
    if isinstance(item, dict):
        decimals = item.get("so_le")
        return str(item.get("bieu_thuc", "")), decimals if isinstance(decimals, int) else None
    return str(item), None


def _column_decimals(value: Any, columns: int) -> list[int | None]:
    """``so_le``: one number for every computed column, or one per column (``~`` none)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [value] * columns
    if isinstance(value, list):
        out = [v if isinstance(v, int) and not isinstance(v, bool) else None for v in value]
        return (out + [None] * columns)[:columns]  # a wrong length is reported by validation
    return [None] * columns


def _column_set(table: Table, numbers: Any, key: str) -> list[bool]:
    """Columns named by number (1-based) under ``key``; one that does not exist is reported."""
    chosen = [False] * table.columns
    for number in numbers or ():
        if isinstance(number, int) and 1 <= number <= table.columns:
            chosen[number - 1] = True
        else:
            table.problems.append(
                Problem(key, "table_column_missing", {"number": number, "columns": table.columns})
            )
    return chosen


def _special_row(raw: dict[str, Any], index: int) -> Row:
    """A ``{nhom: …}`` group row or a ``{cong: …, nhan: …}`` label row, with their options."""
    gop = raw.get("gop")
    span = gop if isinstance(gop, int) and not isinstance(gop, bool) else None
    checked = raw.get("kiem_tra", True) is not False
    operation = raw.get("phep_tinh")
    operation = operation if operation in AGGREGATES else "tong"
    if "nhom" in raw:
        given = raw.get("so")
        level = raw.get("cap")
        if not isinstance(level, int) or isinstance(level, bool):
            level = str(given).rstrip(".").count(".") + 1 if given not in (None, "") else 1
        row = Row("group", [], str(raw["nhom"]), index, _given(raw.get("cong")), level=level)
        if given not in (None, ""):
            row.values = [str(given)]
        if raw.get("cong") not in (None, False):
            row.sums = []  # filled by _totals
        row.span, row.checked, row.operation = span, checked, operation
        return row
    label = str(raw.get("nhan", SUBTOTAL_LABEL))
    row = Row("subtotal", [], label, index, _given(raw.get("cong")))
    row.span, row.checked, row.operation = span, checked, operation
    return row


def _rows(table: Table, spec: dict[str, Any], auto_number: bool, formulas: list[Formula]) -> None:
    merging = _Merging(1 if auto_number else 0)
    data_width = table.columns - (1 if auto_number else 0)
    counter = 0
    for index, raw in enumerate(spec.get("dong") or ()):
        if isinstance(raw, dict):
            if "nhom" in raw:
                counter = 0
            table.rows.append(_special_row(raw, index))
        else:
            counter += 1
            table.rows.append(
                merging.row(table, list(raw), index, data_width, counter if auto_number else None)
            )
    merging.close(table)
    data = [r.values for r in table.rows if r.kind == "data"]
    numeric = [_any_number([values[i] for values in data]) for i in range(table.columns)]
    numbers = [i for i, number in enumerate(numeric) if number]
    # "1.416" typed in quotes among numbers is a number too, or the total would skip it;
    # bounded as a typed number is (a quoted 5,000 digits could not even be printed).
    for row in table.rows if numbers else ():
        if row.kind == "data":
            for i in numbers:
                value = row.values[i]
                if isinstance(value, str) and i not in row.spans:
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
    # What an average, largest or smallest row reads: every number column, rates too.
    table.measured = [
        number and not sequence and not table.plain[i] and i not in never
        for i, (number, sequence) in enumerate(zip(numeric, table.sequence, strict=True))
    ]
    table.summed = [
        number
        and not sequence
        and not table.plain[i]
        and not _is_rate(table.header_title(i))
        and i not in never
        for i, (number, sequence) in enumerate(zip(numeric, table.sequence, strict=True))
    ]
    # Formula targets are summed too, even when every cell is left to compute; a rate
    # ((5)=(4)/(3)*100) is not: the total row applies the formula to its own sums instead.
    for formula in formulas:
        table.summed[formula.target - 1] = formula.linear
        # An average, largest or smallest row reads a sum's column like any number column.
        if formula.linear and formula.target - 1 not in never:
            table.measured[formula.target - 1] = True
    for i, averaged in enumerate(table.averaged):
        table.summed[i] = table.summed[i] or averaged
    table.label_span = next((i for i, s in enumerate(table.summed) if s), table.columns)
    for row in table.rows if formulas else ():
        if row.kind == "data":
            _apply_formulas(table, row, [f for f in formulas if _unmerged(row, f)])
    _number_groups(table, auto_number)
    _totals(table, spec, formulas)


def _number_groups(table: Table, auto_number: bool) -> None:
    """Numerals for group rows: I, II… at level 1, III.1, III.2… below; a given ``so`` is kept
    and the numbering goes on from it (VII after II gives VIII next)."""
    counters = [0, 0, 0, 0]
    numerals = ["", "", "", ""]
    for row in table.rows:
        if row.kind != "group":
            continue
        depth = min(max(row.level, 1), len(counters)) - 1
        counters[depth + 1 :] = [0] * (len(counters) - depth - 1)
        if row.values:  # given: go on from it
            numerals[depth] = row.values[0]
            tail = re.search(r"(\d+|[IVXLCDM]+)\.?$", row.values[0])
            if tail is not None:
                last = tail.group(1)
                counters[depth] = int(last) if last.isdigit() else _roman_value(last)
            continue
        counters[depth] += 1
        if not auto_number:
            continue
        if depth == 0:
            if counters[0] > vietnamese.ROMAN_MAX:  # validation reports it; the row stays bare
                table.problems.append(Problem(row.source, "roman_limit", roman_limit(counters[0])))
                return
            numerals[0] = vietnamese.roman(counters[0])
        else:
            numerals[depth] = f"{numerals[depth - 1]}.{counters[depth]}".lstrip(".")
        row.values = [numerals[depth]]


def _roman_value(text: str) -> int:
    """ "VII" → 7 (a given numeral the automatic ones go on from); 0 when it is not one."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for letter, following in zip(text, [*text[1:], ""], strict=True):
        value = values[letter]
        total += -value if following and values[following] > value else value
    if 0 < total <= vietnamese.ROMAN_MAX and vietnamese.roman(total) == text:
        return total
    return 0


def _given(value: Any) -> list[Any] | None:
    return list(value) if isinstance(value, list) else None


def _agrees(typed: Any, computed: Number) -> bool:
    """A typed value matches when it is the computed one rounded to the decimals typed.

    83,1 stands for 83,11 (off by less than half a unit of its last decimal);
    47,13 does not stand for 47,11. A quoted Vietnamese number counts too.

    >>> _agrees(Decimal("83.1"), Decimal("83.11")), _agrees(Decimal("47.13"), Decimal("47.11"))
    (True, False)
    >>> _agrees(Decimal("83.2"), Decimal("83.15")), _agrees(Decimal("83.1"), Decimal("83.15"))
    (True, False)
    """
    number = _vietnamese_number(typed) if isinstance(typed, str) else typed
    if not _is_number(number):
        return False
    if number == computed:
        return True
    exponent = number.as_tuple().exponent if isinstance(number, Decimal) else 0
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    half = Decimal(5).scaleb(-places - 1)
    gap = abs(Decimal(number) - computed)
    return gap < half or (gap == half and abs(number) > abs(computed))


def _rounded(value: Number, decimals: int | None, inexact: bool) -> Number:
    """A computed value to ``decimals`` places (half up); a division or an average without
    ``so_le`` to at most two, dropping trailing zeros (12,5, not 12,50; 250, not 250,00).

    >>> _rounded(Decimal("85.1666"), 1, True), _rounded(Decimal("12.50"), None, True)
    (Decimal('85.2'), Decimal('12.5'))
    >>> _rounded(Decimal("1e40") / 3, 2, True) > 10**39  # beyond the default 28 digits
    True
    """
    places = 2 if decimals is None else decimals
    if decimals is None and not inexact:
        return value
    exact = Decimal(value)
    with localcontext() as context:
        context.prec = max(28, exact.adjusted() + places + 3)  # quantize needs every digit
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if decimals is not None:
            return int(rounded) if decimals == 0 else rounded
        if rounded == rounded.to_integral_value():
            return int(rounded)
        tenth = rounded.quantize(Decimal("0.1"))
        return tenth if tenth == rounded else rounded


def _formula_value(
    table: Table, formula: Formula, values: Sequence[Any]
) -> tuple[Number, Number] | None:
    """The formula on ``values``: exact, and rounded by its ``so_le``, else its column's."""
    exact = formula.apply(values)
    if exact is None:
        return None
    decimals = formula.decimals
    if decimals is None:
        decimals = table.decimals[formula.target - 1]
    return exact, _rounded(exact, decimals, formula.divides)


def _holds(typed: Any, exact: Number, rounded: Number) -> bool:
    """A typed value agrees with the exact result, or with the rounded one the program prints."""
    return _agrees(typed, exact) or _agrees(typed, rounded)


def _apply_formulas(table: Table, row: Row, formulas: list[Formula]) -> None:
    for formula in formulas:
        typed = row.values[formula.target - 1]
        try:
            result = _formula_value(table, formula, row.values)
        except ZeroDivisionError:
            if not (isinstance(typed, str) and typed.strip()):  # "-" typed: the clerk knows
                table.problems.append(_zero(table, row.source, row.name, formula))
            continue
        if result is None:
            continue
        exact, computed = result
        if typed is None or typed == "":
            row.values[formula.target - 1] = computed
        elif not _holds(typed, exact, computed):
            table.problems.append(
                _mismatch(
                    table, row.source, row.name, formula.target - 1, typed, computed, formula.text
                )
            )
            # Sums go on with the right value, so one wrong cell is one message.
            row.values[formula.target - 1] = computed


def _zero(table: Table, where: int | str | None, name: dict[str, Any], formula: Formula) -> Problem:
    column = formula.target - 1
    return Problem(
        where,
        "table_formula_zero",
        {
            "row": name,
            "formula": formula.text,
            "column": f"({column + 1}) {table.header_title(column)}".strip(),
        },
    )


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


def _totals(table: Table, spec: dict[str, Any], formulas: Sequence[Formula] = ()) -> None:
    """Compute subtotal rows (since the last group), group lines and the TỔNG CỘNG row;
    check typed ones."""
    since_group: list[Row] = []
    every: list[Row] = []
    closed = False
    for row in table.rows:
        if row.kind == "group":
            since_group, closed = [], False
        elif row.kind == "data":
            if closed:  # a second "Cộng" in a group adds up the rows after the first
                since_group, closed = [], False
            since_group.append(row)
            every.append(row)
        elif row.kind == "subtotal":
            # Rows in a run (Cộng, Bình quân, Cao nhất) all read the same data rows.
            row.values = _sum_row(table, since_group, row, formulas)
            closed = closed or row.checked
    for index, row in enumerate(table.rows):
        if row.kind == "group" and row.sums is not None:
            row.sums = _sum_row(table, _under_group(table.rows, index), row, formulas)
    wanted = spec.get("tong_cong")
    if wanted:
        options = wanted if isinstance(wanted, dict) else {"cong": wanted}
        total = _special_row({"nhan": TOTAL_LABEL, **options}, -1)
        total.kind, total.source = "total", None
        total.values = _sum_row(table, every, total, formulas, "tong_cong")
        table.rows.append(total)


def _under_group(rows: list[Row], index: int) -> list[Row]:
    """The data rows of the group at ``index``, down to the next group at its level or above."""
    level = rows[index].level
    out = []
    for row in rows[index + 1 :]:
        if row.kind == "group" and row.level <= level:
            break
        if row.kind == "data":
            out.append(row)
    return out


def span_of(table: Table, row: Row) -> int:
    """Leading columns a total, label or group row's label covers: its ``gop``, else the
    columns before the first summed one."""
    return table.label_span if row.span is None else min(row.span, table.columns)


def _sum_row(
    table: Table,
    rows: list[Row],
    row: Row,
    formulas: Sequence[Formula],
    where: int | str | None = None,
) -> list[Any]:
    """The values of an aggregate row from ``span_of`` on: given ones checked, blank ones
    computed (sums; the row's ``phep_tinh``; averages in ``trung_binh`` columns)."""
    where = row.source if where is None else where
    span = span_of(table, row)
    width = table.columns - span
    given = row.given
    if row.span is not None and not 1 <= row.span < table.columns:
        table.problems.append(
            Problem(
                where,
                "table_label_span",
                {"gop": row.span, "columns": table.columns, "max": table.columns - 1},
                "gop",
            )
        )
        return [None] * width
    if given is not None and len(given) != width:
        table.problems.append(
            Problem(
                where,
                "table_total_length",
                {"got": len(given), "expected": width, "first": span + 1, "last": table.columns},
            )
        )
        given = None
    if not row.checked:
        return list(given) if given is not None else [None] * width
    out: list[Any] = []
    done: set[int] = set()
    for offset in range(width):
        column = span + offset
        typed = given[offset] if given is not None else None
        if row.operation != "tong" and table.measured[column]:
            operation = row.operation
        elif table.summed[column]:
            operation = "trung_binh" if table.averaged[column] else "tong"
        else:
            out.append(typed)
            continue
        numbers = [r.values[column] for r in rows if _is_number(r.values[column])]
        result = _aggregate(operation, numbers, table.decimals[column])
        if result is None:
            out.append(typed)
            continue
        done.add(column)
        exact, computed = result
        if typed is not None and not _holds(typed, exact, computed):
            found = _mismatch(table, where, row.name, column, typed, computed, None)
            if operation != "tong":
                operation_name = {"code": f"table_{operation}"}
                found = Problem(
                    where, "table_aggregate_mismatch", {**found.params, "operation": operation_name}
                )
            table.problems.append(found)
        out.append(computed if typed is None else typed)
    _aggregate_formulas(table, row, out, span, formulas, where, done)
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
        if not self.below and not any(map(isinstance, cells, repeat((dict, list)))):
            return self._plain_row(table, cells, index, width, number)
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

    def _plain_row(
        self, table: Table, cells: list[Any], index: int, width: int, number: int | None
    ) -> Row:
        """``row`` for a row of plain values with no merge above it, most rows of most tables:
        each value takes its column, in one step."""
        placed = min(len(cells), width)
        if len(cells) != width:
            table.problems.append(
                Problem(index, "row_length", {"got": len(cells), "expected": width})
            )
        offset = self.offset
        row = Row(
            "data",
            ([number] if number is not None else []) + cells[:width] + [None] * (width - placed),
            "",
            index,
            origin=dict(zip(range(offset, offset + placed), range(placed), strict=True)),
        )
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
    for column, value in compress(enumerate(row.values), table.sequence):
        if isinstance(value, Decimal) and column in row.origin:
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


# As text: compiled by ``re`` at its first use (see ``source._CONTROL``).
_QUOTED = r"-?\d+(?:\.\d+)?"
"""Text YAML would have read as a number without quotes: so the clerk quoted it."""


def _typed_number_warnings(table: Table) -> None:
    """A column of numbers with some written as text that prints otherwise: one warning.

    The text prints as typed ("2025", "09") while the numbers around it are
    formatted (2.025), so the column looks mixed: the clerk hears which cells.
    """
    if not any(map(attrgetter("typed"), table.rows)):
        return  # no number written as text: most tables
    for column in range(table.columns):
        found = [
            (row, row.typed[column])
            for row in table.rows
            if row.kind == "data"
            and column in row.typed
            and re.fullmatch(_QUOTED, row.typed[column].strip())
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


AGGREGATES = ("tong", "trung_binh", "lon_nhat", "nho_nhat")
"""``phep_tinh``: sum, average, largest, smallest."""


def _aggregate(
    operation: str, numbers: list[Number], decimals: int | None
) -> tuple[Number, Number] | None:
    """``operation`` over a column's numbers: exact and as printed (None: no number to read)."""
    if operation == "tong":
        total: Number = sum(numbers, start=0)  # no rows add up to 0, as they always have
        return total, total
    if not numbers:
        return None
    if operation == "lon_nhat":
        return max(numbers), max(numbers)
    if operation == "nho_nhat":
        return min(numbers), min(numbers)
    mean = Decimal(sum(numbers, start=0)) / len(numbers)
    return mean, _rounded(mean, decimals, True)


def _aggregate_formulas(
    table: Table,
    row: Row,
    out: list[Any],
    span: int,
    formulas: Sequence[Formula],
    where: int | str | None,
    done: set[int],
) -> None:
    """A rate on a total row is its formula on the row's own sums, not a sum of rates
    (unless the row computed that column itself: an average of rates)."""
    for formula in formulas:
        column = formula.target - 1
        if formula.linear or column < span or column in done:
            continue
        values = [None] * span + [_vietnamese_number(v) if isinstance(v, str) else v for v in out]
        typed = out[column - span]
        try:
            result = _formula_value(table, formula, values)
        except ZeroDivisionError:
            # A rate over no cases stays blank on a total row; a number typed there is unprovable.
            if _is_number(_vietnamese_number(typed) if isinstance(typed, str) else typed):
                table.problems.append(_zero(table, where, row.name, formula))
            continue
        if result is None:
            continue
        exact, computed = result
        if typed is None:
            out[column - span] = computed
        elif not _holds(typed, exact, computed):
            table.problems.append(
                _mismatch(table, where, row.name, column, typed, computed, formula.text)
            )
