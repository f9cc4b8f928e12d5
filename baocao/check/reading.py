"""Reading: find the decree's elements in a read .docx by their text and place.

``_Layout`` is the document as lines and segments (a piece of a line between
tabs and breaks); its ``found`` is what was recognised, a frozen ``Found`` (a
partial document): Quốc hiệu and Tiêu ngữ, "Số:", "…, ngày … tháng … năm …",
the type name or a công văn's "V/v …" lines, the trích yếu, where the body
starts and ends, and "Nơi nhận:"; each as the segment it was found in, or None.
The finders at the end give the parts a rule looks at: headers, footers and
notes, body paragraphs, agency lines, Nơi nhận items, the signer block, the
PAGE field. The rules (``baocao.check.rules``) judge them; nothing here passes
or fails.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from baocao import nd30
from baocao.check.results import (
    Place,
)
from baocao.docx.read import NS, Docx, Element, Para, q

QUOC_HIEU = nd30.QUOC_HIEU_TEXT
TIEU_NGU = nd30.TIEU_NGU_TEXT

SCAN_HEADER = 80
"""Paragraphs searched for the header elements when no type name is found."""

HEADER_SLACK = 3
"""Non-empty paragraphs allowed between the header and a type name found without ``--type``."""

LETTER_REACH = 3
"""Paragraphs after "Số:" searched for a công văn's "V/v …" line."""


# -- text helpers ----------------------------------------------------------------------

_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def _norm(text: str) -> str:
    """NFC, every kind of space as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _excerpt(text: str, limit: int = 60) -> str:
    clean = _norm(text)
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def _key(text: str) -> str:
    """Compare headings loosely: capitals, no spaces or dashes, "HOÀ" as "HÒA"."""
    upper = _norm(text).upper().translate(_DASHES)
    return re.sub(r"[\s\-]", "", upper).replace("HOÀ", "HÒA")


def _blank(text: str) -> bool:
    """A part left blank for signing: spaces, dots, "…" or underscores."""
    return re.fullmatch(r"[\s.…_]*", text) is not None


def _digits(text: str) -> bool:
    """Only the digits 0–9 (``str.isdigit`` also takes "²" and other scripts' digits)."""
    return re.fullmatch(r"[0-9]{1,9}", text) is not None


def _date_words(text: str) -> bool:
    """ "ngày", then "tháng", then "năm": what ``re.search("ngày.*tháng.*năm")`` finds in a
    line, in linear time (the regex backtracks quadratically on "ngày ngày ngày …")."""
    at = text.find("ngày")
    at = text.find("tháng", at + 4) if at >= 0 else -1
    return at >= 0 and text.find("năm", at + 5) >= 0


def _underscores(text: str) -> bool:
    """A rule typed as a row of underscores."""
    return re.fullmatch(r"\s*_{3,}\s*", text) is not None


# -- the document as lines and segments ----------------------------------------------------


@dataclass(eq=False)
class _Seg:
    """A piece of a paragraph between tabs and line breaks: one "cell" of a line."""

    para: Para
    line: int
    col: int
    pieces: list[tuple[Element | None, str]]
    last_line: bool

    @property
    def index(self) -> int:
        return self.para.index

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.pieces)

    @property
    def clean(self) -> str:
        return _norm(self.text)

    @property
    def visible(self) -> str:
        """The shown text with its inner spaces kept ("Số:      /BC-…" left blank)."""
        text = "".join(self.para.shown(run, t) if run is not None else t for run, t in self.pieces)
        return unicodedata.normalize("NFC", text).strip()

    @property
    def shown(self) -> str:
        """What Word shows: capitals where caps is on, no hidden text."""
        return _norm(
            "".join(self.para.shown(run, t) if run is not None else t for run, t in self.pieces)
        )

    @property
    def runs(self) -> list[Element]:
        return self.runs_until(len(self.text))

    def runs_until(self, end: int) -> list[Element]:
        """Runs holding visible text among the first ``end`` characters of ``text``."""
        out: list[Element] = []
        seen: set[int] = set()  # by identity: a list search made long lines quadratic
        offset = 0
        for run, text in self.pieces:
            if offset >= end:
                break
            if run is not None and text.strip() and id(run) not in seen:
                seen.add(id(run))
                out.append(run)
            offset += len(text)
        return out

    def place(self) -> Place:
        return Place(self.index + 1, _excerpt(self.shown or self.para.text))

    # formatting of the visible runs
    def sizes(self, runs: Sequence[Element] | None = None) -> list[float]:
        chosen = self.runs if runs is None else runs
        found = {self.para.run_size(run) for run in chosen}
        return sorted(found) if found else [self.para.mark_size()]

    def all_on(self, name: str, runs: Sequence[Element] | None = None) -> bool:
        chosen = self.runs if runs is None else runs
        return bool(chosen) and all(self.para.toggle(run, name) for run in chosen)

    def any_on(self, name: str, runs: Sequence[Element] | None = None) -> bool:
        chosen = self.runs if runs is None else runs
        return any(self.para.toggle(run, name) for run in chosen)

    @property
    def capitals(self) -> bool:
        shown = self.shown
        return any(c.isalpha() for c in shown) and shown == shown.upper()


def _segments(para: Para) -> list[_Seg]:
    pieces: list[tuple[Element | None, str]] = list(para.pieces())
    if para.label:
        pieces.insert(0, (None, para.label + " "))
    lines: list[list[list[tuple[Element | None, str]]]] = [[[]]]
    for run, text in pieces:
        if text == "\n":
            lines.append([[]])
        elif text == "\t":
            lines[-1].append([])
        else:
            lines[-1][-1].append((run, text))
    return [
        _Seg(para, number, col, cells, number == len(lines) - 1)
        for number, line in enumerate(lines)
        for col, cells in enumerate(line)
    ]


@dataclass(frozen=True)
class _Kind:
    """A document type as the checker sees it: its bundle, its type name, its layout."""

    template: str
    type_name: str
    prose: str
    letter: bool
    """A công văn: no type name, the trích yếu "V/v …" under the number."""


def _kind(template: str) -> _Kind:
    from baocao.bundle import find

    bundle = find(template)
    return _Kind(bundle.name, bundle.type_name, bundle.type_name_prose, bundle.letter)


def _kinds() -> list[_Kind]:
    """Every shipped type, in the order of ``baocao.bundle.available``."""
    from baocao.bundle import available
    from baocao.errors import TemplateError

    out = []
    for name in available():
        try:
            out.append(_kind(name))
        except TemplateError:
            continue  # a broken bundle is reported by render, not by check
    return out


_V_V = re.compile(r"v\s*/\s*v\b", re.IGNORECASE)
"""The start of a công văn's trích yếu ("V/v nâng bậc lương năm 2019")."""


def _letter_summary(seg: _Seg) -> bool:
    return _V_V.match(seg.clean) is not None


@dataclass(frozen=True, eq=False)
class Found:
    """What reading recognised in one document: a partial document.

    Each element is the segment it was found in, or None (empty) when it was
    not found; the rules judge these and nothing else of the recognition.
    """

    kind: _Kind | None
    """The type checked for: given (``forced``) or found; None if not found."""
    forced: bool
    qh: _Seg | None
    """Quốc hiệu."""
    tn: _Seg | None
    """Tiêu ngữ."""
    title: _Seg | None
    """The type name line (None for a công văn)."""
    so: _Seg | None
    date: _Seg | None
    letter_lines: tuple[_Seg, ...]
    """A công văn's "V/v …" trích yếu and the lines continuing it."""
    summary: tuple[_Seg, ...]
    """The trích yếu under the type name."""
    type_line: _Seg | None
    """A type name found in a công văn (which has none)."""
    noi_nhan: _Seg | None
    body_start: int
    body_end: int
    """Body paragraphs: ``paras[body_start:body_end]``."""
    header_floor: int
    """The last paragraph of Quốc hiệu and Tiêu ngữ, -1 if neither was found."""


class _Layout:
    """The document as lines and segments, and the decree's elements found in it
    (``found``); the rules read both.

    ``kind`` is the type asked for; None means: find it in the document (a
    known type name under the header, else a "V/v …" line: a công văn).
    """

    def __init__(self, docx: Docx, kind: _Kind | None, kinds: Sequence[_Kind]) -> None:
        self.docx = docx
        self.kinds = list(kinds)
        self.forced = kind is not None
        self.paras = docx.paragraphs
        self.by_para = [_segments(p) for p in self.paras]
        self.segs = [s for segs in self.by_para for s in segs]
        self.order = {id(s): i for i, s in enumerate(self.segs)}

        self.qh = self._first(lambda s: _key(s.shown).startswith(_key(QUOC_HIEU)), SCAN_HEADER)
        self.tn = self._tieu_ngu()
        if kind is None:
            kind, self.title = self._detect()
        elif kind.letter:
            self.title = None
        else:
            wanted = _key(kind.type_name)
            self.title = self._first(
                lambda s: _key(s.shown) == wanted and s.index > self._header_floor(),
                SCAN_HEADER * 2,
            )
        self.kind = kind
        limit = self.title.index if self.title is not None else SCAN_HEADER
        self.so, self.date = self._number_and_date(limit)
        self.letter_lines = self._letter_lines() if kind is not None and kind.letter else []
        self.summary = self._summary()
        self.body_start = self._body_start()
        self.type_line = self._type_line() if kind is not None and kind.letter else None
        self.noi_nhan = self._first(
            lambda s: (
                s.index >= self.body_start
                and re.match(r"nơi\s*nhận\b", s.clean.casefold()) is not None
            ),
            len(self.paras),
        )
        self.body_end = self._body_end()
        self.found = Found(
            kind=self.kind,
            forced=self.forced,
            qh=self.qh,
            tn=self.tn,
            title=self.title,
            so=self.so,
            date=self.date,
            letter_lines=tuple(self.letter_lines),
            summary=tuple(self.summary),
            type_line=self.type_line,
            noi_nhan=self.noi_nhan,
            body_start=self.body_start,
            body_end=self.body_end,
            header_floor=self._header_floor(),
        )

    def _number_and_date(self, limit: int) -> tuple[_Seg | None, _Seg | None]:
        so = self._first(lambda s: re.match(r"số\s*:", s.clean.casefold()) is not None, limit)
        date = self._first(
            lambda s: s is not so and not _letter_summary(s) and _date_words(s.clean.casefold()),
            limit,
        ) or self._first(
            lambda s: s is not so and re.fullmatch(r"#\w+", s.clean) is not None, limit
        )
        return so, date

    # -- the type of document ------------------------------------------------------------

    @cached_property
    def _reach(self) -> int:
        """The last paragraph where a type name or a "V/v" line may sit: a few lines
        (``HEADER_SLACK``, for marks such as KHẨN, MẬT) after the header's last element.

        Kept once found: the type, the công văn's lines and the title's search all ask.
        """
        so, date = self._number_and_date(SCAN_HEADER)
        found = [s.index for s in (self.qh, self.tn, so, date) if s is not None]
        count = 0
        for para in self.paras[max(found, default=-1) + 1 :]:
            if _norm(para.text):
                count += 1
            if count > HEADER_SLACK:
                return para.index
        return len(self.paras) - 1

    def _detect(self) -> tuple[_Kind | None, _Seg | None]:
        """The type and its title line: a known type name centred in bold under the
        header, else a "V/v …" line (a công văn), else a type name in capitals."""
        by_key = {_key(k.type_name): k for k in reversed(self.kinds) if k.type_name}
        floor, reach = self._header_floor(), self._reach
        names = [
            s for s in self.segs if floor < s.index <= reach and s.clean and _key(s.shown) in by_key
        ]
        for seg in names:
            if _centred(seg.para) and seg.all_on("b"):
                found = by_key[_key(seg.shown)]
                return found, None if found.letter else seg
        letter = next((k for k in self.kinds if k.letter), None)
        if letter is not None and self._first(_letter_summary, reach + 1) is not None:
            return letter, None
        for seg in names:
            found = by_key[_key(seg.shown)]
            if seg.capitals and not found.letter:
                return found, seg
        return None, None

    def _letter_lines(self) -> list[_Seg]:
        """A công văn's trích yếu: the "V/v …" line (under "Số:" if it is there) and the
        lines that continue it (line breaks, or more paragraphs in the same cell)."""
        first: _Seg | None = None
        if self.so is not None:
            for seg in self.after(self.so):
                if seg.index > self.so.index + LETTER_REACH:
                    break
                if seg.clean and _letter_summary(seg):
                    first = seg
                    break
        if first is None:
            first = self._first(_letter_summary, self._reach + 1)
        if first is None:
            return []
        lines = [first]
        cell = first.para.cell
        for seg in self.after(first):
            if seg.para is not first.para and (cell is None or seg.para.cell is not cell):
                break
            if seg is self.date or seg.col != first.col or _underscores(seg.text):
                continue
            if not seg.clean:
                if seg.para is not first.para:
                    break
                continue
            lines.append(seg)
        return lines

    def _type_line(self) -> _Seg | None:
        """A line holding a type name ("CÔNG VĂN", "BÁO CÁO"…) under the header of a công văn."""
        keys = {_key(k.type_name) for k in self.kinds if k.type_name}
        floor, reach = self._header_floor(), max(self._reach, self.body_start)
        for seg in self.segs:
            if seg.index > reach:
                break
            if seg.index > floor and seg.clean and seg.capitals and _key(seg.shown) in keys:
                return seg
        return None

    def under_number(self, seg: _Seg) -> bool:
        """Whether ``seg`` sits under the "Số:" line: in its cell or the cell below it,
        or (no table) in the same tab column a few lines down."""
        so = self.so
        if so is None or self.order[id(seg)] < self.order[id(so)]:
            return False
        cell = so.para.cell
        if cell is not None:
            if seg.para.cell is cell:
                return True
            row, _, at = _row_of(cell)
            rows, position = _rows_of(row)
            below = _row_cells(rows[position + 1]) if position + 1 < len(rows) else []
            return at < len(below) and seg.para.cell is below[at]
        return seg.para.cell is None and seg.col == so.col and seg.index - so.index <= LETTER_REACH

    def centred_line(self, seg: _Seg) -> bool:
        """Whether ``seg`` is centred: a centred paragraph, or text after leading tabs
        that reach a centre tab stop."""
        if seg.col == 0:
            return _centred(seg.para)
        same_line = [s for s in self.by_para[seg.index] if s.line == seg.line and s.col < seg.col]
        if any(s.clean for s in same_line):
            return False
        stops = seg.para.tab_stops()
        return seg.col <= len(stops) and stops[seg.col - 1][1] == "center"

    # -- finding ---------------------------------------------------------------------------

    def _first(self, test: Any, limit: int) -> _Seg | None:
        for seg in self.segs:
            if seg.index >= limit:
                return None
            if seg.clean and test(seg):
                return seg
        return None

    def after(self, seg: _Seg) -> Iterator[_Seg]:
        """The segments after ``seg``, in reading order."""
        yield from self.segs[self.order[id(seg)] + 1 :]

    def _header_floor(self) -> int:
        found = [s.index for s in (self.qh, getattr(self, "tn", None)) if s is not None]
        return max(found, default=-1)

    def _tieu_ngu(self) -> _Seg | None:
        if self.qh is None:
            return None
        target = _key(TIEU_NGU)
        for count, seg in enumerate(s for s in self.after(self.qh) if s.clean):
            if count >= 12:
                break
            if _key(seg.shown) == target:
                return seg
        return None

    def _summary(self) -> list[_Seg]:
        if self.title is None:
            return []
        out: list[_Seg] = []
        for seg in self.after(self.title):
            if not seg.clean:
                if out or seg.index > self.title.index + 3:
                    break
                continue
            if out and not (seg.all_on("b") and _centred(seg.para)):
                break
            if _underscores(seg.text) or seg.index > self.title.index + 6:
                break
            out.append(seg)
        return out

    def _body_start(self) -> int:
        if self.summary:
            return self.summary[-1].index + 1
        if self.title is not None:
            return self.title.index + 1
        found = [s.index for s in (self.qh, self.tn, self.so, self.date) if s is not None]
        found += [s.index for s in self.letter_lines]
        return max(found, default=-1) + 1

    def _body_end(self) -> int:
        if self.noi_nhan is None:
            return len(self.paras)
        table = self.noi_nhan.para.table
        if table is None:
            return self.noi_nhan.index
        first = next(
            (p.index for p in self.paras if p.table is not None and _inside(p, table)),
            self.noi_nhan.index,
        )
        return first

    def cell_segs(self, cell: Element) -> list[_Seg]:
        return self._by_cell.get(cell, [])

    @cached_property
    def _by_cell(self) -> dict[Element, list[_Seg]]:
        """The segments of each table cell, gathered once (a row may have many cells)."""
        out: dict[Element, list[_Seg]] = {}
        for seg in self.segs:
            cell = seg.para.cell
            if cell is not None:
                out.setdefault(cell, []).append(seg)
        return out

    def next_para(self, para: Para) -> Para | None:
        """The paragraph after ``para`` in the same cell or story, if any."""
        if para.index + 1 >= len(self.paras):
            return None
        following = self.paras[para.index + 1]
        same = following.element.getparent() is para.element.getparent()
        return following if same else None

    def rule_under(self, segs: Sequence[_Seg]) -> str | None:
        """How a rule is drawn under ``segs`` (border, shape, underscores), or None."""
        if not segs:
            return None
        last = segs[-1]
        if last.last_line and last.para.border("bottom"):
            return "border"
        if any(_has_line_shape(s.para) for s in segs):
            return "shape"
        own = self.by_para[last.index]
        if any(s.line == last.line + 1 and _underscores(s.text) for s in own):
            return "underscores"
        following = self.next_para(last.para)
        if following is None:
            return None
        if following.border("top"):
            return "border"
        if _has_line_shape(following):
            return "shape"
        first_line = [s for s in self.by_para[following.index] if s.line == 0]
        if any(_underscores(s.text) for s in first_line):
            return "underscores"
        return None


def _nearest(element: Element | None, tag: str) -> Element | None:
    """The closest ancestor of ``element`` with ``tag`` (content controls may sit between)."""
    if element is None:
        return None
    return next(element.iterancestors(q(tag)), None)


def _row_cells(row: Element | None) -> list[Element]:
    if row is None:
        return []
    return [c for c in row.iter(q("w:tc")) if _nearest(c, "w:tr") is row]


def _row_of(cell: Element) -> tuple[Element | None, list[Element], int]:
    """The row of ``cell``, its cells, and the position of ``cell`` among them."""
    row = _nearest(cell, "w:tr")
    cells = _row_cells(row) or [cell]
    return row, cells, next((i for i, c in enumerate(cells) if c is cell), 0)


def _rows_of(row: Element | None) -> tuple[list[Element], int]:
    """The rows of the table holding ``row``, and the position of ``row``."""
    table = _nearest(row, "w:tbl")
    if row is None or table is None:
        return [], 0
    rows = [r for r in table.iter(q("w:tr")) if _nearest(r, "w:tbl") is table]
    return rows, next((i for i, r in enumerate(rows) if r is row), len(rows))


def _inside(para: Para, table: Element) -> bool:
    return any(a is table for a in para.element.iterancestors(q("w:tbl")))


def _centred(para: Para) -> bool:
    return para.align == "center"


_LINE_SHAPES = {"line", "straightConnector1", "lineInv"}


def _has_line_shape(para: Para) -> bool:
    """A drawn line in ``para``: DrawingML line or connector, or a VML line."""
    element = para.element
    for geometry in element.iter(q("a:prstGeom")):
        if geometry.get("prst") in _LINE_SHAPES:
            return True
    if next(element.iter(q("v:line")), None) is not None:
        return True
    for shape in element.iter(q("v:shape")):
        if "_x0000_t32" in str(shape.get("type", "")) or shape.get(q("o:connectortype")):
            return True
    return False


# -- parts the rules look at: stories, body, Nơi nhận items, signer block, page number --


def _run_text(run: Element) -> str:
    return "".join(t.text or "" for t in run.iter(q("w:t")))


def _other_stories(docx: Docx) -> Iterator[tuple[str, list[Para]]]:
    """Headers, footers and notes, each as (part kind, paragraphs)."""
    seen: set[str] = set()
    for section in docx.sections:
        for which in ("header", "footer"):
            for ref in section.findall(f"w:{which}Reference", NS):
                found = docx.part(str(ref.get(q("r:id"))))
                if found is None or found[0] in seen:
                    continue
                seen.add(found[0])
                yield which, docx.paragraphs_of(found[1])
    for kind, root in docx.notes():
        notes = [note for note in root if note.get(q("w:type")) in (None, "normal")]
        yield kind, [p for note in notes for p in docx.paragraphs_of(note)]


_KINH_GUI = nd30.KINH_GUI_TEXT.casefold()


def _body_paragraphs(lay: _Layout) -> list[Para]:
    """Body text paragraphs: between the title block and Nơi nhận, not in tables,
    not headings (all bold), captions (centred italic) or the Kính gửi block."""
    out: list[Para] = []
    addressee: Para | None = None
    for para in lay.paras[lay.found.body_start : lay.found.body_end]:
        text = _norm(para.text)
        if para.in_table or not text or _underscores(text):
            continue
        segs = [s for s in lay.by_para[para.index] if s.clean]
        if text.casefold().startswith(_KINH_GUI):
            addressee = para
            continue
        if addressee is not None:
            if text.startswith(("-", "–")) and (
                para.align != "both" or para.style == addressee.style
            ):
                continue
            addressee = None
        if all(s.all_on("b") for s in segs):
            continue
        if _centred(para) and all(s.all_on("i") for s in segs):
            continue
        out.append(para)
    return out


def _agency_candidates(lay: _Layout) -> list[_Seg]:
    """Lines of ô 2 (parent agency and agency), top left of the header."""
    skip = {
        id(s) for s in (lay.found.qh, lay.found.tn, lay.found.so, lay.found.date) if s is not None
    }

    def useful(seg: _Seg) -> bool:
        return (
            bool(seg.clean)
            and id(seg) not in skip
            and not _underscores(seg.text)
            and not seg.clean.startswith("#")
        )

    anchor = lay.found.qh or lay.found.so
    if anchor is not None and anchor.para.cell is not None:
        cell = anchor.para.cell
        row, cells, position = _row_of(cell)
        if anchor is lay.found.qh and position > 0:
            left = cells[position - 1]
            # What follows "Số:" in that cell (a công văn's "V/v …") is not the agency.
            end = (
                lay.found.so.index
                if lay.found.so is not None and lay.found.so.para.cell is left
                else len(lay.paras)
            )
            return [s for s in lay.cell_segs(left) if useful(s) and s.index < end]
        if anchor is lay.found.so:
            before = [s for s in lay.cell_segs(cell) if s.index < anchor.index and useful(s)]
            if before:
                return before
            rows, at = _rows_of(row)
            if at > 0:
                above = _row_cells(rows[at - 1])
                if position < len(above):
                    return [s for s in lay.cell_segs(above[position]) if useful(s)]
        return []
    end = lay.found.so.index if lay.found.so is not None else lay.found.header_floor + 1
    out = []
    for seg in lay.segs:
        if seg.index > end or (lay.found.so is not None and seg is lay.found.so):
            break
        if useful(seg) and not (
            lay.found.qh is not None and seg.index == lay.found.qh.index and seg.col > 0
        ):
            out.append(seg)
    if lay.found.tn is not None:
        # In a tab layout the right-hand column holds the motto: keep the left column only.
        out = [s for s in out if s.col == 0 or s.index > lay.found.tn.index]
    return out


def _numbered(lay: _Layout) -> Iterator[tuple[Para, str]]:
    for para in lay.paras[lay.found.body_start : lay.found.body_end]:
        if para.in_table:
            continue
        text = _norm(f"{para.label} {para.text}" if para.label else para.text)
        if text:
            yield para, text


_ITEM_MARKS = ("-", "+", "–", "—", "•")


def _noi_nhan_items(lay: _Layout, label: _Seg) -> list[_Seg]:
    cell = label.para.cell
    following = [s for s in lay.after(label)]
    if cell is not None:
        return [s for s in following if s.para.cell is cell and s.clean]
    items: list[_Seg] = []
    for seg in following:
        if not seg.clean:
            if items and seg.col == 0:
                break
            continue
        # Outside a table the list ends where the lines stop looking like items
        # (the signer's block often follows without a blank line).
        if len(items) >= 40 or (items and not seg.clean.startswith(_ITEM_MARKS)):
            break
        items.append(seg)
    return items


SIGNER_INDENT = 2835
"""A plain paragraph indented this far (5 cm, in twips) is a signer line, not body text."""


def _signer_line(para: Para) -> bool:
    """A line of a signer block typed in plain paragraphs: set apart from the body text."""
    if not _norm(para.text):
        return True
    return (
        para.align in ("center", "right", "end")
        or (para.twips("w:ind", "w:left") or 0) >= SIGNER_INDENT
    )


def _signer_segs(lay: _Layout) -> list[_Seg]:
    """The lines of the signer block (ô 7): beside Nơi nhận, or above or below it."""
    label = lay.found.noi_nhan
    if label is not None and label.para.cell is not None:
        row, cells, at = _row_of(label.para.cell)
        found = [s for c in cells[at + 1 :] for s in lay.cell_segs(c)]
        if any(s.clean for s in found):
            return found
        rows, position = _rows_of(row)
        later = {id(r) for r in rows[position + 1 :]}  # the rows stay alive in ``rows``
        found = [s for s in lay.segs if any(id(a) in later for a in _rows_around(s))]
        if any(s.clean for s in found):
            return found
    if label is not None:
        above: list[list[_Seg]] = []
        for para in reversed(lay.paras[lay.found.body_start : lay.found.body_end]):
            if para.in_table or not _signer_line(para):
                break
            above.append(lay.by_para[para.index])
        before = [s for segs in reversed(above) for s in segs]
        if any(s.clean for s in before):
            return before
        items = _noi_nhan_items(lay, label)
        start = items[-1].index + 1 if items else label.index + 1
        after: list[_Seg] = []
        for para in lay.paras[start : start + 20]:
            if not _signer_line(para):
                break
            after += lay.by_para[para.index]
        return after
    tables = [p.table for p in lay.paras[lay.found.body_start :] if p.table is not None]
    cells = tables[-1].findall(".//w:tc", NS) if tables else []
    return lay.cell_segs(cells[-1]) if cells else []


def _rows_around(seg: _Seg) -> Iterator[Element]:
    """The table rows holding ``seg``, innermost first."""
    yield from seg.para.element.iterancestors(q("w:tr"))


_PAGE_FIELD = re.compile(r"(?<![A-Z])PAGE(?![A-Z])")


def _page_paragraphs(docx: Docx, root: Element) -> list[Para]:
    """Paragraphs of a header or footer holding a PAGE field."""
    out = []
    for para in docx.paragraphs_of(root):
        codes = [str(f.get(q("w:instr"), "")) for f in para.element.iter(q("w:fldSimple"))]
        codes.append("".join(t.text or "" for t in para.element.iter(q("w:instrText"))))
        if any(_PAGE_FIELD.search(code) for code in codes):
            out.append(para)
    return out
