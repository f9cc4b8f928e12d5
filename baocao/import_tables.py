"""Import, tables: a data table read from Word back into the ``bang`` a clerk would write.

The reader gives each table's real grid (``readmodel.ReadTable``: column
widths, repeated header rows, every cell's place and spans) and the text of
its cells (``Line`` values at ``At.cell``). Here that becomes the table syntax
of ``templates/bao-cao/schema.yaml``: the header as ``cot`` or ``tieu_de_cot``
(merged cells as ``{chu, ngang, doc}``, a line in italics under a title as
``dong_phu``), a "(1) (2) …" row as ``so_cot``, a row whose text spans the
table as a group row ``{nhom}``, a bold label over the first columns followed
by values as a label row ``{nhan, cong}`` (the last one "TỔNG CỘNG" as
``tong_cong``), merged body cells as ``{chu, ngang, doc}``, and only what
baocao would not do by itself: widths (``do_rong``) and alignments
(``can_le``) that differ from the automatic ones, a table size (``co_chu``),
a landscape page (``ngang``).

Totals are judged by baocao's own rules (``tables.build``): a label row whose
values add up (or average, or are the largest or smallest, ``phep_tinh``) is
kept checked; one that does not gets ``kiem_tra: false`` and a comment, so
its values print as typed. A table this cannot express (more than three
header rows, holes in the grid, a merge the syntax cannot place) gives None,
and the importer keeps its text as paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from baocao import nd30, tables, vietnamese
from baocao.body import ALIGN, column_aligns
from baocao.readmodel import Line, ReadCell, ReadTable, norm
from baocao.widths import column_needs, fitted_widths

TOTAL = re.compile(r"^(tổng\s+cộng|tổng\s+số|tổng|cộng)\b", re.IGNORECASE)
"""The label of a totals row."""

_NUMERAL = re.compile(r"^[IVXLCDM]+(?:\.\d+)*\.?$")
"""A group's numeral in an STT column: I, III.1 (a data row's is 1, 2…)."""

_COLUMN_NUMBER = re.compile(r"^\(\d+\)")
"""A cell of the "(1) (2) (3)" row under the header, with or without a formula after it."""

WIDTH_TOLERANCE = 0.005
"""Share of the table's width (0.8 mm of a portrait page's 165) a column may differ from baocao's automatic widths by
before ``do_rong`` is written: closer than that, the automatic widths stand."""

TWIPS_PER_MM = 1440 / 25.4

_SUM_CODES = {"table_sum_mismatch", "table_aggregate_mismatch", "table_mismatch"}
"""What a totals row that does not add up is told: such a row gets ``kiem_tra: false``."""

_WORD_ALIGN = {word: key for key, word in ALIGN.items()}
_WORD_ALIGN.update(start="trai", end="phai", distribute="deu")
"""Word's paragraph alignments as ``can_le`` names them (``body.ALIGN`` the other way)."""


def number_or_text(text: str) -> Any:
    """A cell's text as the value a clerk would type: a number when baocao prints it back
    exactly so ("1.416", "26,86", "1,50"), else the text ("2023", "09", "1.5" stay text).
    Read as ``tables`` reads a quoted number in a column of numbers."""
    core = text.strip()
    try:
        value = tables._vietnamese_number(core)
    except ValueError:  # babel's strict reading refuses it: text
        return text
    if isinstance(value, str):
        return text
    return value if vietnamese.format_number(value) == core else text


class TableReader:
    """One read table and its cells' lines, as a ``bang`` mapping (``bang()``)."""

    def __init__(
        self,
        shape: ReadTable,
        lines: Sequence[Line],
        markup: Callable[[Line], str],
        *,
        page_landscape: bool = False,
    ) -> None:
        self.shape = shape
        self.markup = markup
        self.page_landscape = page_landscape
        self.columns = len(shape.widths) or max(
            (c.column + c.columns for c in shape.cells), default=0
        )
        self.texts: dict[tuple[int, int], list[Line]] = {}
        for line in lines:
            if line.at.table == shape.number and line.at.cell is not None:
                self.texts.setdefault(line.at.cell, []).append(line)
        # A row every cell of which continues a merge from above shows nothing of its own
        # (Word draws the merge a little taller): left out, the merges reach one row less.
        kept = sorted({cell.row for cell in shape.cells if not cell.continued})
        place = {row: n for n, row in enumerate(kept)}
        self.source_row = dict(enumerate(kept))
        self.hidden = [cell for cell in shape.cells if cell.row not in place]
        self.cells = [
            replace(
                cell,
                row=place[cell.row],
                rows=sum(1 for r in range(cell.row, cell.row + cell.rows) if r in place),
            )
            for cell in shape.cells
            if cell.row in place
        ]
        self.row_count = len(kept)
        self.header_hint = sum(1 for r in range(shape.header_rows) if r in place)
        self.rows: dict[int, list[ReadCell]] = {}
        for cell in self.cells:
            self.rows.setdefault(cell.row, []).append(cell)
        self.under_merges = {
            row
            for cell in self.cells
            if not cell.continued
            for row in range(cell.row + 1, cell.row + cell.rows)
        }
        """Rows a cell merged down from above reaches into."""
        self.notes: list[str] = []
        self.header_count = 0

    # -- cells ----------------------------------------------------------------------------

    def lines_of(self, cell: ReadCell) -> list[Line]:
        row = self.source_row.get(cell.row, cell.row)
        return [line for line in self.texts.get((row, cell.index), []) if line.clean]

    def plain(self, cell: ReadCell) -> list[str]:
        return [norm(line.text.replace("\t", " ")) for line in self.lines_of(cell)]

    def body_value(self, cell: ReadCell) -> Any:
        """A body cell: a number, a text, or a list of paragraphs (bold and italic kept)."""
        found = [self.markup(line) for line in self.lines_of(cell)]
        found = [text for text in found if text]
        if not found:
            return ""
        if len(found) == 1:
            return number_or_text(found[0])
        return found

    def all_bold(self, cells: Sequence[ReadCell]) -> bool:
        lines = [line for cell in cells for line in self.lines_of(cell)]
        return bool(lines) and all(line.all_bold() for line in lines)

    def grid_whole(self) -> bool:
        """Every grid position is covered by exactly one cell (no gridBefore, no holes)."""
        taken: set[tuple[int, int]] = set()
        for cell in self.cells:
            if cell.continued:
                continue
            for r in range(cell.row, cell.row + cell.rows):
                for c in range(cell.column, cell.column + cell.columns):
                    if (r, c) in taken or c >= self.columns:
                        return False
                    taken.add((r, c))
        return len(taken) == self.row_count * self.columns

    def tops(self, row: int) -> list[ReadCell]:
        return sorted(
            (c for c in self.rows.get(row, []) if not c.continued), key=lambda c: c.column
        )

    # -- the table ------------------------------------------------------------------------

    def bang(self) -> dict[str, Any] | None:
        shape = self.shape
        if self.row_count < 2 or not self.columns or not self.grid_whole():
            return None
        if any(cell.nested for cell in shape.cells):
            return None
        hidden = [self.texts.get((c.row, c.index), []) for c in self.hidden]
        if any(self.lines_of(c) for c in self.cells if c.continued) or any(
            line.clean for lines in hidden for line in lines
        ):
            return None  # text in a cell Word hides under a merge: kept as paragraphs
        header = self.header_count = self.header_rows()
        numbers = self.column_numbers(header)
        titles = header - (1 if numbers is not None else 0)
        if not 1 <= titles <= 3 or header >= self.row_count:
            return None
        spec: dict[str, Any] = {}
        heading = [self.header_row(r) for r in range(titles)]
        simple = titles == 1 and all(not isinstance(v, dict) for v in heading[0])
        if simple:
            spec["cot"] = heading[0]
        else:
            spec["tieu_de_cot"] = heading
        if numbers is not None:
            default = [f"({n})" for n in range(1, self.columns + 1)]
            spec["so_cot"] = True if numbers == default else numbers
        rows: list[Any] = []
        total: dict[str, Any] | None = None
        sequence = self.sequence_column(spec)
        last = self.row_count - 1
        for r in range(header, self.row_count):
            row = self.body_row(r, sequence)
            if r == last and isinstance(row, dict) and "nhan" in row and TOTAL.match(row["nhan"]):
                total = row
                break
            rows.append(row)
        if not rows:
            return None
        spec["dong"] = rows
        if total is not None:
            spec["tong_cong"] = total
        return self.finish(spec)

    def header_rows(self) -> int:
        """The rows Word repeats, else the first row and any row its merges reach down to."""
        count = self.header_hint or 1
        grown = True
        while grown:
            grown = False
            for r in range(count):
                for cell in self.tops(r):
                    if cell.row + cell.rows > count:
                        count, grown = cell.row + cell.rows, True
        if self.header_hint == 0 and self.is_number_row(count):
            count += 1  # "(1) (2) (3)" under the header: part of it
        return count

    def is_number_row(self, row: int) -> bool:
        cells = self.tops(row)
        texts = [" ".join(self.plain(c)) for c in cells]
        return (
            len(cells) == self.columns
            and all(c.columns == 1 and c.rows == 1 for c in cells)
            and all(_COLUMN_NUMBER.match(t) for t in texts)
        )

    def column_numbers(self, header: int) -> list[str] | None:
        if header < 2 or not self.is_number_row(header - 1):
            return None
        return [" ".join(self.plain(c)) for c in self.tops(header - 1)]

    def header_row(self, row: int) -> list[Any]:
        out: list[Any] = []
        for cell in self.tops(row):
            lines = self.lines_of(cell)
            sub: list[str] = []
            while len(lines) > 1 and lines[-1].all_italic() and not lines[-1].any_bold():
                sub.insert(0, norm(lines.pop().text))
            texts = [norm(line.text.replace("\t", " ")) for line in lines]
            chu: Any = texts[0] if len(texts) == 1 else (texts or "")
            if cell.columns == 1 and cell.rows == 1 and not sub and not isinstance(chu, list):
                out.append(chu)
                continue
            item: dict[str, Any] = {"chu": chu}
            if cell.columns > 1:
                item["ngang"] = cell.columns
            if cell.rows > 1:
                item["doc"] = cell.rows
            if sub:
                item["dong_phu"] = sub[0] if len(sub) == 1 else sub
            out.append(item)
        return out

    def sequence_column(self, spec: dict[str, Any]) -> bool:
        """The first column is an STT column (a group's numeral goes in it)."""
        if "cot" in spec:
            first = spec["cot"][0]
        else:
            first = spec["tieu_de_cot"][0][0]
            first = first["chu"] if isinstance(first, dict) else first
        return isinstance(first, str) and first.strip().upper() in tables.SEQUENCE_TITLES

    def body_row(self, row: int, sequence: bool) -> Any:
        cells = self.tops(row)
        covered = row in self.under_merges
        if not covered and cells:
            special = self.special_row(cells, sequence)
            if special is not None:
                return special
        out: list[Any] = []
        for cell in cells:
            value = self.body_value(cell)
            if cell.columns > 1 or cell.rows > 1:
                item: dict[str, Any] = {"chu": value}
                if cell.columns > 1:
                    item["ngang"] = cell.columns
                if cell.rows > 1:
                    item["doc"] = cell.rows
                value = item
            out.append(value)
        return out

    def special_row(self, cells: list[ReadCell], sequence: bool) -> dict[str, Any] | None:
        """A group row ({nhom}) or a label row ({nhan, cong}); None for a data row."""
        first = cells[0]
        texts = [self.plain(c) for c in cells]
        if any(len(t) > 1 for t in texts):
            return None
        words = [t[0] if t else "" for t in texts]
        if len(cells) == 1 and first.columns == self.columns and words[0]:
            return {"nhom": words[0]}
        rest = cells[1:]
        if (
            sequence
            and len(cells) == 2
            and first.columns == 1
            and rest[0].column + rest[0].columns == self.columns
            and words[0]
            and words[1]
            and (_NUMERAL.match(words[0]) or self.all_bold(cells))
        ):
            return {"nhom": words[1], "so": words[0]}
        if any(c.columns > 1 for c in rest) or not rest:
            return None
        values = [number_or_text(text[0]) if text else None for text in texts[1:]]
        if sequence and _NUMERAL.match(words[0]) and len(cells) > 2 and self.all_bold(cells):
            title = cells[1]
            row: dict[str, Any] = {"nhom": words[1], "so": words[0], "cong": values[1:]}
            row["gop"] = title.column + title.columns
            return row if all(c.columns == 1 for c in cells[2:]) else None
        label = words[0]
        if not label or _NUMERAL.match(label) or re.fullmatch(r"\d+\.?", label):
            return None
        if TOTAL.match(label) or (first.columns > 1 and self.all_bold(cells)):
            return {"nhan": label, "cong": values, "gop": first.columns}
        return None

    # -- what baocao does by itself, and the totals' check -----------------------------------

    def finish(self, spec: dict[str, Any]) -> dict[str, Any] | None:
        from baocao.importer import Note

        self.formulas(spec)
        model = tables.build(spec)
        for _, row in self.special_rows(spec):
            if "gop" in row and row["gop"] == model.label_span:
                del row["gop"]
        model = tables.build(spec)
        for at, row in self.special_rows(spec):
            if "cong" not in row or not self.fails(model, at):
                continue
            for operation in tables.AGGREGATES[1:]:
                row["phep_tinh"] = operation
                if not self.fails(tables.build(spec), at):
                    break
            else:
                del row["phep_tinh"]
                row["kiem_tra"] = False
                name = row.get("nhan") or row.get("nhom")
                self.notes.append(
                    f"bảng {self.shape.number + 1}, dòng “{name}”: các số không khớp với"
                    " phép cộng của bảng; in đúng như gõ (kiem_tra: false)"
                )
            model = tables.build(spec)
        if model.problems:
            return None
        self.layout_options(spec, model)
        order = (
            "tieu_de",
            "co_chu",
            "ngang",
            "cot",
            "tieu_de_cot",
            "so_cot",
            "cong_thuc",
            "can_le",
            "do_rong",
        )
        ordered = {key: spec.pop(key) for key in order if key in spec}
        spec = {**ordered, **spec}
        total = spec.get("tong_cong")
        if isinstance(total, dict):
            if set(total) == {"nhan", "cong"} and total["nhan"] == tables.TOTAL_LABEL:
                spec["tong_cong"] = total["cong"]
            elif total.get("kiem_tra") is False:
                spec["tong_cong"] = Note(self.notes[-1], total)
        for index, row in enumerate(spec["dong"]):
            if isinstance(row, dict) and row.get("kiem_tra") is False:
                name = row.get("nhan") or row.get("nhom")
                note = next(n for n in self.notes if f"“{name}”" in n)
                spec["dong"][index] = Note(note, row)
            elif isinstance(row, dict) and row.get("nhan") == tables.SUBTOTAL_LABEL:
                del row["nhan"]
        return spec

    def formulas(self, spec: dict[str, Any]) -> None:
        """A "(5) = (4) ÷ (3) × 100" column number is the column's formula: kept as
        ``cong_thuc`` when every row's values hold it, so totals apply it as baocao does."""
        numbers = spec.get("so_cot")
        if not isinstance(numbers, list):
            return
        for text in numbers:
            if "=" not in text:
                continue
            try:
                tables.parse_formula(text, self.columns)
            except (ValueError, IndexError):
                continue
            before = len(tables.build(spec).problems)
            spec.setdefault("cong_thuc", []).append(re.sub(r"\s+", "", text))
            if len(tables.build(spec).problems) > before:
                spec["cong_thuc"].pop()
        if spec.get("cong_thuc") == []:
            del spec["cong_thuc"]

    def special_rows(self, spec: dict[str, Any]) -> list[tuple[int | str, dict[str, Any]]]:
        out: list[tuple[int | str, dict[str, Any]]] = [
            (i, row) for i, row in enumerate(spec["dong"]) if isinstance(row, dict)
        ]
        total = spec.get("tong_cong")
        if isinstance(total, dict):
            out.append(("tong_cong", total))
        return out

    @staticmethod
    def fails(model: tables.Table, at: int | str) -> bool:
        return any(p.where == at and p.code in _SUM_CODES for p in model.problems)

    def layout_options(self, spec: dict[str, Any], model: tables.Table) -> None:
        """``co_chu``, ``can_le``, ``do_rong`` and ``ngang`` where the table departs from
        what baocao would do with it."""
        sizes: dict[float, int] = {}
        for lines in self.texts.values():
            for line in lines:
                for span in line.runs():
                    sizes[span.size] = sizes.get(span.size, 0) + len(span.text)
        size = max(sizes, key=lambda s: sizes[s]) if sizes else None
        size_range = nd30.TABLE_SIZE
        if size is not None and size == int(size) and int(size) != size_range.default:
            spec["co_chu"] = int(size) if size_range.low <= size <= size_range.high else None
            if spec["co_chu"] is None:
                del spec["co_chu"]
        aligns = self.column_aligns(model)
        if aligns is not None:
            model = self.numbers_as_typed(spec, model, aligns)
            aligns = self.column_aligns(model)
        if aligns is not None:
            spec["can_le"] = aligns
        read = [w for w in self.shape.widths]
        total = sum(read)
        if total > 0 and len(read) == model.columns:
            auto = fitted_widths(column_needs(spec, model), int(total))
            if any(abs(a - b) / total > WIDTH_TOLERANCE for a, b in zip(read, auto, strict=True)):
                spec["do_rong"] = [max(1, round(w / TWIPS_PER_MM)) for w in read]
        if self.shape.landscape and not self.page_landscape:
            spec["ngang"] = True

    def numbers_as_typed(
        self, spec: dict[str, Any], model: tables.Table, seen: list[str]
    ) -> tables.Table:
        """Numbers Word aligns as text ("3" typed in quotes, left as baocao leaves text)
        come back quoted rather than as numbers plus a ``can_le``: the YAML a clerk wrote.
        Only columns no total or formula reads, and only when that gives Word's alignment."""
        if "tong_cong" in spec or "cong_thuc" in spec:
            return model
        rows = spec["dong"]
        if any(not isinstance(row, list) for row in rows):
            return model
        automatic = [_WORD_ALIGN[word] for word in column_aligns(model, {})]
        differ = [c for c, (a, b) in enumerate(zip(seen, automatic, strict=True)) if a != b]
        quoted = [
            [
                vietnamese.format_number(value)
                if c in differ and isinstance(value, (int, Decimal)) and not isinstance(value, bool)
                else value
                for c, value in enumerate(row)
            ]
            for row in rows
        ]
        if quoted == rows:
            return model
        trial = tables.build({**spec, "dong": quoted})
        after = [_WORD_ALIGN[word] for word in column_aligns(trial, {})]
        if trial.problems or any(after[c] != seen[c] for c in differ):
            return model
        spec["dong"] = quoted
        return trial

    def column_aligns(self, model: tables.Table) -> list[str] | None:
        """The data cells' alignment per column, when it is not the automatic one."""
        automatic = [_WORD_ALIGN[word] for word in column_aligns(model, {})]
        header = self.header_count
        found: list[dict[str, int]] = [{} for _ in range(self.columns)]
        for cell in self.cells:
            if cell.row < header or cell.columns > 1 or cell.continued:
                continue
            for line in self.lines_of(cell):
                align = _WORD_ALIGN.get(line.align or "left", "trai")
                found[cell.column][align] = found[cell.column].get(align, 0) + 1
        seen = [
            max(f, key=lambda a: f[a]) if f else auto
            for f, auto in zip(found, automatic, strict=True)
        ]
        return seen if seen != automatic else None
