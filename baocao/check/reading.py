"""Reading: find the decree's elements in a read .docx and give them as the read model.

``read`` is the one entry: it takes a ``baocao.docx.read.Docx`` and returns a
``baocao.readmodel.ReadDocument``, what was recognised in the model's terms
(header, title, body paragraphs, closing, page and page numbers), each element
with its place and its observed formatting, frozen. Nothing here passes or
fails; the rules (``baocao.check.rules``) judge that document only.

Inside, ``_Layout`` is the working state: the document as lines and segments
(a piece of a line between tabs and breaks), and ``_Found``, the segments that
hold Quốc hiệu and Tiêu ngữ, "Số:", "…, ngày … tháng … năm …", the type name or
a công văn's "V/v …" lines, the trích yếu, "Nơi nhận:", and where the body
starts and ends. The finders after it gather the parts (body paragraphs,
agency lines, Nơi nhận items, the signer block), and ``_Freezer`` turns
segments into ``Line`` values at the boundary. WordprocessingML itself is
walked only by ``baocao.docx.read``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from baocao import nd30
from baocao.docx.read import (
    CELL_MARGIN,
    Docx,
    Drawn,
    Element,
    Flow,
    Para,
    cell_border,
    cell_box,
    cells_of,
    contextual_spacing,
    drawn_lines,
    ends_section,
    even_and_odd,
    field_sizes,
    flow,
    inside,
    numbers_restart,
    on,
    other_stories,
    page_paragraphs,
    page_setup,
    row_cells,
    row_of,
    rows_around,
    rows_of,
    run_text,
    same_container,
    table_numbers,
    table_shapes,
    title_page,
)
from baocao.measure import text_width
from baocao.readmodel import (
    DASHES,
    At,
    BodyParagraph,
    Kind,
    Line,
    Mark,
    Numbered,
    Outside,
    PageField,
    PageNumbers,
    ReadAppendix,
    ReadClosing,
    ReadDocument,
    ReadHeader,
    ReadNote,
    ReadPage,
    ReadTitle,
    RunFonts,
    Signer,
    Span,
    norm,
)

QUOC_HIEU = nd30.QUOC_HIEU_TEXT
TIEU_NGU = nd30.TIEU_NGU_TEXT

SCAN_HEADER = 80
"""Paragraphs searched for the header elements when no type name is found."""

HEADER_SLACK = 3
"""Non-empty paragraphs allowed between the header and a type name found without ``--type``."""

LETTER_REACH = 3
"""Paragraphs after "Số:" searched for a công văn's "V/v …" line."""


# -- text helpers ----------------------------------------------------------------------


_norm = norm


def _key(text: str) -> str:
    """Compare headings loosely: capitals, no spaces or dashes, "HOÀ" as "HÒA"."""
    upper = _norm(text).upper().translate(DASHES)
    return re.sub(r"[\s\-]", "", upper).replace("HOÀ", "HÒA")


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
    def shown(self) -> str:
        """What Word shows: capitals where caps is on, no hidden text."""
        return _norm(
            "".join(self.para.shown(run, t) if run is not None else t for run, t in self.pieces)
        )

    @property
    def runs(self) -> list[Element]:
        """Runs holding visible text (each once)."""
        out: list[Element] = []
        seen: set[int] = set()  # by identity: a list search made long lines quadratic
        for run, text in self.pieces:
            if run is not None and text.strip() and id(run) not in seen:
                seen.add(id(run))
                out.append(run)
        return out

    def all_on(self, name: str) -> bool:
        """Whether toggle ``name`` ("b", "i") is on for every visible run."""
        runs = self.runs
        return bool(runs) and all(self.para.toggle(run, name) for run in runs)

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
    out = []
    for number, line in enumerate(lines):
        columns = [part for cells in line for part in _spaced_columns(cells)]
        out += [
            _Seg(para, number, col, cells, number == len(lines) - 1)
            for col, cells in enumerate(columns)
        ]
    return out


_RIGHT_COLUMN = re.compile(
    r"(?<=\S)\s{4,}(?=CỘNG\s+H[OÒ]|Độc\s+lập|[^\W\d_](?:(?!\s{3})[^,\t]){0,40},\s*ngày\b)",
    re.IGNORECASE,
)
"""Spaces before Quốc hiệu, Tiêu ngữ or "<place>, ngày" typed on the agency's or the
number's line: a header laid out with spaces instead of a table or tabs."""


def _spaced_columns(
    cells: list[tuple[Element | None, str]],
) -> list[list[tuple[Element | None, str]]]:
    """``cells`` split where ``_RIGHT_COLUMN`` starts a second column (runs kept whole,
    a run cut in two where the spaces end)."""
    text = unicodedata.normalize("NFC", "".join(t for _, t in cells))
    if len(text) != sum(len(t) for _, t in cells) or "  " not in text:
        return [cells]
    found = _RIGHT_COLUMN.search(text)
    if found is None:
        return [cells]
    cut = found.end()
    left: list[tuple[Element | None, str]] = []
    right: list[tuple[Element | None, str]] = []
    offset = 0
    for run, piece in cells:
        end = offset + len(piece)
        if end <= cut:
            left.append((run, piece))
        elif offset >= cut:
            right.append((run, piece))
        else:
            left.append((run, piece[: cut - offset]))
            right.append((run, piece[cut - offset :]))
        offset = end
    return [left, *_spaced_columns(right)]


def _kind(template: str) -> Kind:
    """The type called ``template``: a bundle, else one the decree names (``--type
    bien-ban``); an unknown name is the bundle's ``TemplateError``."""
    from baocao.bundle import available, find

    if template not in available():
        for known in nd30.DOCUMENT_TYPES:
            if known.key == template:
                return _decree_kind(known)
    bundle = find(template)
    return Kind(bundle.name, bundle.type_name, bundle.type_name_prose, bundle.letter)


def _decree_kind(known: nd30.DocumentType) -> Kind:
    return Kind(known.key, known.name, known.prose, False, known.summary, bundled=False)


def _kinds() -> list[Kind]:
    """Every shipped type, in the order of ``baocao.bundle.available``, then every other
    type the decree names (``nd30.DOCUMENT_TYPES``), to recognise them too."""
    from baocao.bundle import available
    from baocao.errors import TemplateError

    out = []
    for name in available():
        try:
            out.append(_kind(name))
        except TemplateError:
            continue  # a broken bundle is reported by render, not by check
    names = {_key(k.type_name) for k in out if k.type_name}
    keys = {k.template for k in out}
    out += [
        _decree_kind(known)
        for known in nd30.DOCUMENT_TYPES
        if _key(known.name) not in names and known.key not in keys
    ]
    return out


_V_V = re.compile(r"v\s*/\s*v\b", re.IGNORECASE)
"""The start of a công văn's trích yếu ("V/v nâng bậc lương năm 2019")."""


def _letter_summary(seg: _Seg) -> bool:
    return _V_V.match(seg.clean) is not None


@dataclass(frozen=True, eq=False)
class _Found:
    """The anchors found in one document, as segments of the working layout.

    Each element is the segment it was found in, or None (empty) when it was
    not found; the finders start from these, and ``_Freezer`` turns them into
    the read model's values.
    """

    kind: Kind | None
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
    (``found``): reading's working state, never seen outside this module.

    ``kind`` is the type asked for; None means: find it in the document (a
    known type name under the header, else a "V/v …" line: a công văn).
    """

    def __init__(self, docx: Docx, kind: Kind | None, kinds: Sequence[Kind]) -> None:
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
        self.found = _Found(
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

    def _detect(self) -> tuple[Kind | None, _Seg | None]:
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
            if seg.para is not first.para and cell is None and self._letter_goes_on(lines, seg):
                lines.append(seg)
                continue
            if seg.para is not first.para and (cell is None or seg.para.cell is not cell):
                break
            if seg.clean.casefold().startswith(_KINH_GUI):
                break  # Kính gửi typed on in the same cell: not the trích yếu
            if seg is self.date or seg.col != first.col or _underscores(seg.text):
                continue
            if not seg.clean:
                if seg.para is not first.para:
                    break
                continue
            lines.append(seg)
        return lines

    def _letter_goes_on(self, lines: list[_Seg], seg: _Seg) -> bool:
        """Outside a table, a "V/v …" line typed on in the next paragraphs: the very next
        paragraph, aligned as the first, not empty, a few lines at most."""
        last, first = lines[-1], lines[0]
        return (
            seg.index == last.index + 1
            and seg.line == 0
            and seg.col == first.col
            and bool(seg.clean)
            and seg.para.align == first.para.align
            and len({s.index for s in lines}) < LETTER_REACH
            and seg is not self.date
            and not seg.clean.casefold().startswith(_KINH_GUI)
        )

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
            row, _, at = row_of(cell)
            rows, position = rows_of(row)
            below = row_cells(rows[position + 1]) if position + 1 < len(rows) else []
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
        if self.title is None or (self.kind is not None and not self.kind.summary):
            return []  # a giấy giới thiệu has none: the bold line under it is the body's
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
            (p.index for p in self.paras if p.table is not None and inside(p, table)),
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
        return following if same_container(para, following) else None

    def rule_under(self, segs: Sequence[_Seg]) -> str | None:
        """How a rule is drawn under ``segs`` (border, shape, underscores), or None.

        A border is the last paragraph's bottom one, the next one's top one, or its
        cell's bottom border (the cell below's top one) when nothing follows it in the
        cell. A shape is any straight line drawn in the header block, wherever it is
        anchored, that Word places under the element: across its column and just
        below its last line (``_drawn_under``); a line far off the page counts for none.
        """
        if not segs:
            return None
        last = segs[-1]
        if last.last_line and last.para.border("bottom"):
            return "border"
        if self._cell_rule(last):
            return "border"
        if self._drawn_under(segs) is not None:
            return "shape"
        own = self.by_para[last.index]
        if any(s.line == last.line + 1 and _underscores(s.text) for s in own):
            return "underscores"
        following = self.next_para(last.para)
        if following is None:
            return None
        if following.border("top"):
            return "border"
        first_line = [s for s in self.by_para[following.index] if s.line == 0]
        if any(_underscores(s.text) for s in first_line):
            return "underscores"
        return None

    def _cell_rule(self, last: _Seg) -> bool:
        """A cell border under ``last``: its cell's bottom one, or the top one of the cell
        below, when no line with text follows ``last`` in its cell."""
        cell = last.para.cell
        if cell is None or not last.last_line:
            return False
        if any(s.clean and s.index > last.index for s in self.cell_segs(cell)):
            return False
        if cell_border(cell, "bottom"):
            return True
        row, _, at = row_of(cell)
        rows, position = rows_of(row)
        below = row_cells(rows[position + 1]) if position + 1 < len(rows) else []
        return at < len(below) and cell_border(below[at], "top")

    @cached_property
    def _flow(self) -> Flow:
        """The header block's paragraphs placed on the first page (no further: a long
        document is laid out only when its page count is asked for)."""
        return flow(self.docx, self._drawn_reach)

    @cached_property
    def _drawn(self) -> list[_Placed]:
        """Every visible, level line drawn in the paragraphs before the body (and a few
        after, where the trích yếu's rule is anchored), placed on the first page."""
        places = self._flow.places
        section = self.docx.sections[0] if self.docx.sections else None
        page = page_setup(section) if section is not None else None
        out: list[_Placed] = []
        for para in self.paras[: self._drawn_reach]:
            place = places.get(para.index)
            if place is None or place[0] > 0:
                continue
            for drawn in drawn_lines(para):
                if drawn.visible and drawn.level and drawn.width >= MIN_RULE:
                    found = _place_drawn(para, drawn, place[1], page)
                    if found is not None:
                        out.append(found)
        return out

    @cached_property
    def _drawn_reach(self) -> int:
        """The paragraphs searched for drawn lines: the header and title block, and the
        few after it where a trích yếu's rule may be anchored."""
        so, date = self._number_and_date(SCAN_HEADER)
        found = [s.index for s in (self.qh, self.tn, so, date, self.title) if s is not None]
        return min(max(found, default=0) + SCAN_AFTER_TITLE, len(self.paras))

    def rule_span(self, segs: Sequence[_Seg]) -> tuple[float, float] | None:
        """Where the rule under ``segs`` starts and ends across the page (twips from
        the left margin): a drawn line's ends, a paragraph border's paragraph (its
        column less its indents), a cell border's cell; None for underscores or none."""
        if not segs:
            return None
        how = self.rule_under(segs)
        if how == "border":
            return self._border_span(segs[-1])
        if how != "shape":
            return None
        found = self._drawn_under(segs)
        return (found.left, found.right) if found is not None else None

    def _border_span(self, last: _Seg) -> tuple[float, float] | None:
        """Where a border rule under ``last`` runs: Word draws a paragraph's bottom (or
        the next one's top) border across the whole paragraph, between its indents,
        and a cell's border across the cell."""
        if last.last_line and last.para.border("bottom"):
            return _indented(last.para, self._column_of(last))
        if self._cell_rule(last) and last.para.cell is not None:
            return cell_box(last.para.cell)
        following = self.next_para(last.para)
        if following is not None and following.border("top"):
            first = next((s for s in self.by_para[following.index] if s.line == 0), None)
            column = self._column_of(first) if first is not None else self._column_of(last)
            return _indented(following, column)
        return None

    def text_span(self, segs: Sequence[_Seg], widths: Sequence[float]) -> tuple[float, float]:
        """Where the text of ``segs`` stands across the page (twips from the left margin):
        its longest line (``widths``, measured; a line wider than its column wraps, so
        at most the column), placed in its column as the paragraph is aligned."""
        last = segs[-1]
        left, right = _indented(last.para, self._column_of(last))
        width = min(max(widths, default=0.0), max(right - left, 0.0))
        if any(self.centred_line(s) for s in segs):
            middle = (left + right) / 2
            return middle - width / 2, middle + width / 2
        if last.para.align in ("right", "end"):
            return right - width, right
        return left, left + width

    def _drawn_under(self, segs: Sequence[_Seg]) -> _Placed | None:
        """The drawn line standing under ``segs``, if any: its middle across their column
        (their cell, or the paragraph's tab column) and its height from their last line's
        middle to ``RULE_REACH`` below it; the nearest such line."""
        last = segs[-1]
        place = self._flow.places.get(last.index)
        if place is None or place[0] > 0 or last.index >= self._drawn_reach:
            return None
        left, right = self._column_of(last)
        lines = max(last.para.text.count("\n") + 1, 1)
        line_height = (place[2] - place[1]) / lines
        bottom = place[1] + line_height * (last.line + 1)
        under = [
            drawn
            for drawn in self._drawn
            if left - SLACK <= (drawn.left + drawn.right) / 2 <= right + SLACK
            and bottom - line_height / 2 <= drawn.y <= bottom + RULE_REACH
        ]
        return min(under, key=lambda drawn: abs(drawn.y - bottom), default=None)

    def _column_of(self, seg: _Seg) -> tuple[float, float]:
        """Where ``seg`` stands across the page (twips from the left margin)."""
        para = seg.para
        cell = para.cell
        if cell is not None:
            left, right = cell_box(cell)
        else:
            section = self.docx.sections[0] if self.docx.sections else None
            page = page_setup(section) if section is not None else None
            left = 0.0
            right = page.width - page.left - page.right if page is not None else 9000.0
        line = [s for s in self.by_para[seg.index] if s.line == seg.line]
        if len(line) > 1:  # tab columns: between the stops around this one
            stops = [position for position, _ in para.tab_stops()]
            if len(stops) < len(line) - 1:  # default stops, or columns typed with spaces
                middle = left + (right - left) / 2
                return (left, middle) if seg.col == 0 else (middle, right)
            start = left + (stops[seg.col - 1] if seg.col > 0 else 0.0)
            end = left + stops[seg.col] if seg.col < len(stops) else right
            return start, max(end, start)
        return left, right


def _indented(para: Para, column: tuple[float, float]) -> tuple[float, float]:
    """``column`` less the paragraph's left and right indents."""
    left = float(para.twips("w:ind", "w:left") or para.twips("w:ind", "w:start") or 0)
    right = float(para.twips("w:ind", "w:right") or para.twips("w:ind", "w:end") or 0)
    return column[0] + left, max(column[1] - right, column[0] + left)


MIN_RULE = 300
"""Shortest drawn line (twips, about 5 mm) taken for a rule under a header element."""

SCAN_AFTER_TITLE = 4
"""Paragraphs after the last header element searched for drawn lines."""

SLACK = 300
"""How far (twips) a rule's middle may stand outside its element's column."""

RULE_REACH = 900
"""How far below an element's last line (twips, about 1.6 cm) its rule may be drawn."""

OFF_PAGE = 1134
"""How far past the paper's edge (twips, 2 cm) a drawn line still counts as on the page."""


@dataclass(frozen=True, slots=True)
class _Placed:
    """A drawn line on the first page: its ends across (from the left margin) and its
    height (from the top of the text area), twips."""

    left: float
    right: float
    y: float


def _place_drawn(para: Para, drawn: Drawn, top: float, page: Any) -> _Placed | None:
    """Where ``drawn``, anchored in ``para`` (whose top is at ``top``), stands on the
    page; None when that is off the paper (a line dragged metres away)."""
    margin_left = page.left if page is not None else 1800.0
    margin_top = page.top if page is not None else 1440.0
    width = page.width if page is not None else 12240.0
    height = page.height if page is not None else 15840.0
    text_width = width - margin_left - (page.right if page is not None else 1800.0)
    cell = para.cell
    column = cell_box(cell) if cell is not None else (0.0, text_width)
    if drawn.horizontal == "page":
        reference = (-margin_left, width - margin_left)
    elif drawn.horizontal in ("margin", "leftMargin", "insideMargin"):
        reference = (0.0, text_width)
    elif cell is not None:
        reference = (column[0] + CELL_MARGIN, column[1] - CELL_MARGIN)
    else:
        indent = float(para.twips("w:ind", "w:left") or 0)
        reference = (indent if drawn.horizontal == "character" else 0.0, text_width)
    if drawn.align == "center":
        left = (reference[0] + reference[1] - drawn.width) / 2
    elif drawn.align == "right":
        left = reference[1] - drawn.width
    else:
        left = reference[0] + drawn.x
    if drawn.vertical == "page":
        y = drawn.y - margin_top
    elif drawn.vertical in ("margin", "topMargin", "insideMargin"):
        y = drawn.y
    else:
        y = top + drawn.y
    y += drawn.height / 2
    right = left + drawn.width
    if right < -margin_left - OFF_PAGE or left > width - margin_left + OFF_PAGE:
        return None
    if y < -margin_top - OFF_PAGE or y > height - margin_top + OFF_PAGE:
        return None
    return _Placed(left, right, y)


def _centred(para: Para) -> bool:
    return para.align == "center"


# -- parts the rules look at: stories, body, Nơi nhận items, signer block, page number --


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
        row, cells, position = row_of(cell)
        if anchor is lay.found.qh and position > 0:
            above = _left_column_above(lay, cell, useful)
            if above:
                return above
            # the nearest cell on the left with text: a header in one row of three cells
            # often leaves the middle one empty
            filled = [c for c in cells[:position] if any(s.clean for s in lay.cell_segs(c))]
            left = filled[-1] if filled else cells[position - 1]
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
            rows, at = rows_of(row)
            if at > 0:
                above = row_cells(rows[at - 1])
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


def nearest_row(para: Para) -> Element | None:
    """The innermost table row holding ``para``, None outside tables."""
    return next(rows_around(para), None)


def _left_column_above(lay: _Layout, qh_cell: Element, useful: Any) -> list[_Seg]:
    """Ô 2 in a header table of several rows: the lines left of Quốc hiệu's column in
    every row from the top down to the row of "Số:" (its lines above "Số:" only), or to
    the Tiêu ngữ's row without one. The parent agency and the agency may stand in rows
    of their own; empty when the header is one row (the caller reads that cell)."""
    row, _, _ = row_of(qh_cell)
    rows, at = rows_of(row)
    if len(rows) < 2:
        return []
    found = lay.found
    positions = {r: n for n, r in enumerate(rows)}

    def row_number(seg: _Seg | None) -> int | None:
        if seg is None or seg.para.cell is None:
            return None
        for ancestor in rows_around(seg.para):
            if ancestor in positions:
                return positions[ancestor]
        return None

    so_row = row_number(found.so)
    last = so_row if so_row is not None else max(at, row_number(found.tn) or at)
    if last == at and so_row is None:
        return []
    column = cell_box(qh_cell)[0]
    end = found.so.index if so_row is not None and found.so is not None else len(lay.paras)
    out: list[_Seg] = []
    for later in rows[: last + 1]:
        for cell in row_cells(later):
            if cell_box(cell)[1] <= column + SLACK:
                out += [s for s in lay.cell_segs(cell) if useful(s) and s.index < end]
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
        own = [s for s in following if s.para.cell is cell and s.clean]
        return own + _column_below(lay, cell)
    items: list[_Seg] = []
    for seg in following:
        if seg.col != label.col:
            continue  # a tab column beside the items: the signer's lines on the same lines
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


def _column_below(lay: _Layout, cell: Element) -> list[_Seg]:
    """More Nơi nhận items in the same column of the rows below (a clerk's table that
    splits Nơi nhận and the signer's lines across rows)."""
    row, _, at = row_of(cell)
    rows, position = rows_of(row)
    out: list[_Seg] = []
    for later in rows[position + 1 :]:
        cells = row_cells(later)
        if at < len(cells):
            out += [s for s in lay.cell_segs(cells[at]) if s.clean]
    return out


def _beside_items(lay: _Layout, label: _Seg, items: Sequence[_Seg]) -> list[_Seg]:
    """Lines typed in tab columns right of "Nơi nhận:" and its items, outside tables:
    the signer's block sharing their lines."""
    paras = {label.para.index, *(s.para.index for s in items)}
    return [
        s for index in sorted(paras) for s in lay.by_para[index] if s.col > label.col and s.clean
    ]


NAME_REACH = 4
"""Paragraphs after a signature table searched for the signer's name typed below it."""


def _name_after(lay: _Layout, inner: Para) -> list[_Seg]:
    """The signer's name typed in a paragraph after the signature table (its cell holds
    the position lines only): the first line with text soon after, set apart to the right."""
    table = inner.table
    outer = [p.table for p in lay.paras if p.table is not None and inside(inner, p.table)]
    if outer:
        table = outer[0]
    last = max((p.index for p in lay.paras if p.table is not None and inside(p, table)), default=-1)
    for para in lay.paras[last + 1 : last + 1 + NAME_REACH]:
        if para.in_table:
            break
        text = _norm(para.text)
        if not text:
            continue
        if _signer_line(para) and not _appendix_label(para) and not text.isupper():
            return [s for s in lay.by_para[para.index] if s.clean]
        break
    return []


SIGNER_INDENT = 2835
"""A plain paragraph indented this far (5 cm, in twips) is a signer line, not body text."""


def _signer_line(para: Para) -> bool:
    """A line of a signer block typed in plain paragraphs: set apart from the body text."""
    if not _norm(para.text):
        return True
    return (
        para.align in ("center", "right", "end")
        or (para.twips("w:ind", "w:left") or 0) >= SIGNER_INDENT
        or _pushed_right(para.text)
    )


PUSHED = 12
"""Leading spaces (a tab counts as several) that set a line apart to the right."""

SHORT_LINE = 60
"""Most characters of a signer's line: a body paragraph indented with spaces is longer."""


def _pushed_right(text: str) -> bool:
    """A short line pushed to the right with spaces and tabs, as clerks place a signer's
    name (a paragraph's first line indented with spaces is no signer's line)."""
    lead = text[: len(text) - len(text.lstrip())]
    return len(lead.replace("\t", " " * 6)) >= PUSHED and len(_norm(text)) <= SHORT_LINE


def _signer_segs(lay: _Layout) -> list[_Seg]:
    """The lines of the signer block (ô 7): beside Nơi nhận, or above or below it."""
    label = lay.found.noi_nhan
    if label is not None and label.para.cell is not None:
        row, cells, at = row_of(label.para.cell)
        found = [s for c in cells[at + 1 :] for s in lay.cell_segs(c)]
        rows, position = rows_of(row)
        if any(s.clean for s in found):
            # Nơi nhận split across rows: the signer's lines go on in the rows below
            for later in rows[position + 1 :]:
                found += [s for c in row_cells(later)[at + 1 :] for s in lay.cell_segs(c)]
            if all(s.capitals for s in found if s.clean):
                found += _name_after(lay, label.para)
            return found
        later = {id(r) for r in rows[position + 1 :]}  # the rows stay alive in ``rows``
        found = [s for s in lay.segs if any(id(a) in later for a in rows_around(s.para))]
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
        after: list[_Seg] = _beside_items(lay, label, items)
        for para in lay.paras[start : start + 20]:
            if not _signer_line(para):
                break
            after += lay.by_para[para.index]
        return after
    tables = [p.table for p in lay.paras[lay.found.body_start :] if p.table is not None]
    cells = cells_of(tables[-1]) if tables else []
    return lay.cell_segs(cells[-1]) if cells else []


SIGNATURE_GAP = 600
"""Space before (twips) that separates the signer's name from the position lines."""


def _signer_groups(segs: Sequence[_Seg]) -> list[list[_Seg]]:
    """The signer block's lines in groups: split at blank lines, tokens ("#chu_ky"),
    notes in brackets and a wide space before (the signing space above the name)."""
    groups: list[list[_Seg]] = [[]]
    for seg in segs:
        if not seg.clean:
            if groups[-1] and seg.line == 0:
                groups.append([])
            continue
        if seg.clean.startswith("#") or re.fullmatch(r"\(.*\)", seg.clean):
            if groups[-1]:
                groups.append([])
            continue
        if (
            groups[-1]
            and seg.line == 0
            and seg.col == 0
            and seg.para.spacing("before") >= SIGNATURE_GAP
        ):
            groups.append([])
        groups[-1].append(seg)
    return [g for g in groups if g]


# -- the boundary: what was recognised, as the read model's frozen values --------------------


def read(
    docx: Docx,
    kind: Kind | None,
    kinds: Sequence[Kind],
    *,
    whole: bool = False,
    pages: int | None = None,
) -> ReadDocument:
    """Recognise the decree's elements of ``docx`` as a ``ReadDocument``.

    ``kind`` is the type asked for; None means: find it in the document (a
    known type name under the header, else a "V/v …" line: a công văn).
    Everything the rules judge is read here; the working layout stays here.
    ``whole`` also gives every paragraph whole (``head``, ``content``, ``tail``), for an
    importer: the rules need none of it, and building it costs a check a third more.
    ``pages`` is the page count LibreOffice gave, when asked for (else it is estimated).
    """
    return _Freezer(_Layout(docx, kind, kinds), pages).document(whole=whole)


class _Freezer:
    """Turns the working layout's segments and paragraphs into read-model values."""

    def __init__(self, lay: _Layout, pages: int | None = None) -> None:
        self.lay = lay
        self.pages = pages
        """The page count LibreOffice gave (``--chinh-xac``), None to estimate it."""
        self._tables: dict[Element, int] | None = None
        self._rows: dict[Element, dict[Element, int]] = {}
        self.pictures: dict[str, tuple[str, bytes] | None] = {}
        """Pictures whole lines show, by relationship id (None: its part is unreadable)."""
        self.note_ids: list[str] = []
        """Footnotes whole lines cite, in order of first citation."""

    @cached_property
    def recipients(self) -> list[_Seg]:
        """The Nơi nhận items (found once: the closing and the appendices' start ask)."""
        label = self.lay.found.noi_nhan
        return _noi_nhan_items(self.lay, label) if label is not None else []

    @cached_property
    def signer(self) -> list[_Seg]:
        return _signer_segs(self.lay)

    def at(self, seg: _Seg) -> At:
        para = seg.para
        cell = para.cell
        if cell is None:
            return At(seg.index, "body", line=seg.line, column=seg.col)
        if self._tables is None:
            self._tables = table_numbers(self.lay.docx)
        row, _, column = row_of(cell)
        positions = self._rows.get(para.table)
        if positions is None:  # once per table: a row's position is a walk of the table
            rows, _ = rows_of(row)
            positions = self._rows[para.table] = {r: n for n, r in enumerate(rows)}
        table = self._tables.get(para.table)
        return At(seg.index, "body", table, (positions.get(row, 0), column), seg.line, seg.col)

    def line(self, seg: _Seg) -> Line:
        para = seg.para
        return Line(
            self.at(seg),
            _spans(para, seg.pieces),
            para.mark_size(),
            para.align,
            self.lay.centred_line(seg),
            para.spacing("before"),
            para.text,
        )

    def text_span(self, segs: Sequence[_Seg]) -> tuple[float, float] | None:
        """Where the text of ``segs`` stands across the page, measured in Times New
        Roman at its runs' sizes (``_Layout.text_span``); None for no text."""
        if not segs:
            return None
        widths = [
            float(
                sum(
                    text_width(span.shown, span.size or 13.0, bold=span.bold)
                    for span in line.spans
                    if not span.label
                )
            )
            for line in self.lines(segs)
        ]
        return self.lay.text_span(segs, widths)

    def lines(self, segs: Sequence[_Seg]) -> tuple[Line, ...]:
        return tuple(self.line(seg) for seg in segs)

    def optional(self, seg: _Seg | None) -> Line | None:
        return self.line(seg) if seg is not None else None

    def document(self, *, whole: bool = False) -> ReadDocument:
        lay = self.lay
        sections = lay.docx.sections
        return ReadDocument(
            name=lay.docx.name,
            kinds=tuple(lay.kinds),
            page=_page(lay.docx),
            later_pages=tuple(page_setup(section) for section in sections[1:]),
            header=self.header(),
            title=self.title(),
            body=tuple(self.body_paragraph(p) for p in _body_paragraphs(lay)),
            numbered=tuple(
                Numbered(At(para.index), text, para.text) for para, text in _numbered(lay)
            ),
            closing=self.closing(),
            fonts=tuple(_fonts(lay)),
            page_numbers=_page_numbers(lay.docx, self.pages) if sections else None,
            appendices=self.appendices(),
            head=self.whole_lines(lay.paras[: lay.found.body_start]) if whole else (),
            content=self.whole_lines(lay.paras[lay.found.body_start : lay.found.body_end])
            if whole
            else (),
            tail=self.whole_lines(lay.paras[self.closing_end() + 1 :])
            if whole and lay.found.noi_nhan is not None
            else (),
            media=tuple({f[0]: f for f in self.pictures.values() if f is not None}.values()),
            notes=self.whole_notes() if whole else (),
            tables=tuple(table_shapes(lay.docx)) if whole else (),
            outside=self.outside() if whole else None,
        )

    def outside(self) -> Outside:
        """Read last, once every paragraph has been read (and its legacy runs converted)."""
        docx = self.lay.docx
        runs, first, encodings = docx.converted_runs()
        return Outside(
            runs, first, docx.revisions(), docx.comment_count(), docx.text_boxes(), encodings
        )

    def closing_end(self) -> int:
        """The last paragraph of the closing: the Nơi nhận label, its items, the signer."""
        label = self.lay.found.noi_nhan
        assert label is not None
        return max([label.index, *(s.index for s in (*self.recipients, *self.signer))])

    def whole_lines(self, paras: Sequence[Para]) -> tuple[Line, ...]:
        """Each paragraph as one line (label, tabs and breaks kept); empty ones only in
        tables, where a cell must be kept even when it holds nothing, or where they hold
        a picture, a footnote reference or a page break (``Line.marks``)."""
        out = []
        for para in paras:
            pieces: list[tuple[Element | None, str]] = list(para.pieces())
            shift = 0
            if para.label:
                pieces.insert(0, (None, para.label + " "))
                shift = len(para.label) + 1
            marks = self.marks(para, shift)
            if not pieces and not marks and para.cell is None:
                continue
            line = self.line(_Seg(para, 0, 0, pieces, True))
            landscape = para.index in self.lay.docx.landscape
            keep_next = bool(on(para.ppr("w:keepNext")))
            if marks or landscape or keep_next:
                line = replace(line, marks=marks, landscape=landscape, keep_next=keep_next)
            out.append(line)
        return tuple(out)

    def marks(self, para: Para, shift: int) -> tuple[Mark, ...]:
        """The paragraph's marks, offsets past its label; a picture named by its part
        (read once into ``media``), a note's id kept in citation order (``notes``)."""
        out = []
        for mark in para.marks():
            value = mark.value
            if mark.kind == "picture":
                if value not in self.pictures:
                    self.pictures[value] = self.lay.docx.media(value)
                found = self.pictures[value]
                value = found[0] if found is not None else ""  # "": its part cannot be read
            elif mark.kind == "note" and value not in self.note_ids:
                self.note_ids.append(value)
            out.append(replace(mark, offset=mark.offset + shift, value=value))
        return tuple(out)

    def whole_notes(self) -> tuple[ReadNote, ...]:
        """The footnotes cited, each paragraph one ``Line`` (the note's own mark left out)."""
        out = []
        docx = self.lay.docx
        for note_id in self.note_ids:
            element = docx.footnote(note_id)
            if element is None:
                continue
            lines = []
            for para in docx.paragraphs_of(element):
                pieces: list[tuple[Element | None, str]] = list(para.pieces())
                spans = _spans(para, pieces)
                lines.append(
                    Line(
                        At(-1, "footnotes"),
                        spans,
                        para.mark_size(),
                        para.align,
                        False,
                        para.spacing("before"),
                        para.text,
                    )
                )
            out.append(ReadNote(note_id, tuple(lines)))
        return tuple(out)

    def header(self) -> ReadHeader:
        lay, found = self.lay, self.lay.found
        candidates = _agency_candidates(lay)
        group: list[_Seg] = []
        for seg in reversed(candidates):
            if not seg.all_on("b"):
                break
            group.insert(0, seg)
        if not group and candidates:
            group = [candidates[-1]]
        # the rows themselves, kept alive in a list: an ``id()`` of a proxy lxml makes and
        # frees at once may be the next one's, and two rows would count as one
        rows = [nearest_row(s.para) for s in group if s.para.cell is not None]
        if len(set(rows)) > 1:
            # the lines stand in rows of their own: the agency is the last row's, the
            # rows above hold the parent agency (whatever their formatting)
            last_row = nearest_row(group[-1].para)
            group = [s for s in group if nearest_row(s.para) is last_row]
        motto_rule = None
        if found.tn is not None:
            motto_rule = lay.rule_under([found.tn])
        rest: list[_Seg] = []
        so = found.so
        if so is not None and re.fullmatch(r"số\s*:", so.clean, flags=re.IGNORECASE):
            # "Số:" and the number in two columns of a tab-aligned line
            rest = [s for s in lay.by_para[so.index] if s.line == so.line and s.col > so.col]
        return ReadHeader(
            parent_agency=self.lines(candidates[: len(candidates) - len(group)]),
            agency=self.lines(group),
            agency_rule=lay.rule_under(group) if group else None,
            agency_rule_span=lay.rule_span(group),
            agency_text_span=self.text_span(group),
            national_title=self.optional(found.qh),
            motto=self.optional(found.tn),
            motto_rule=motto_rule,
            motto_rule_span=lay.rule_span([found.tn]) if found.tn is not None else None,
            motto_text_span=self.text_span([found.tn]) if found.tn is not None else None,
            number=self.optional(so),
            number_rest=self.lines(rest),
            place_date=self.optional(found.date),
        )

    def title(self) -> ReadTitle:
        lay, found = self.lay, self.lay.found
        letter = found.letter_lines
        return ReadTitle(
            kind=found.kind,
            forced=found.forced,
            type_name=self.optional(found.title),
            summary=self.lines(found.summary),
            summary_rule=lay.rule_under(found.summary) if found.summary else None,
            summary_rule_span=lay.rule_span(found.summary),
            summary_text_span=self.text_span(found.summary),
            letter_summary=self.lines(letter),
            under_number=bool(letter) and lay.under_number(letter[0]),
            stray_type_name=self.optional(found.type_line),
        )

    def closing(self) -> ReadClosing:
        lay = self.lay
        label = lay.found.noi_nhan
        items = self.recipients
        groups = _signer_groups(self.signer)
        signer = Signer()
        if groups:
            positions = list(groups[0])
            name: _Seg | None = None
            below: list[_Seg] = []
            if len(groups) > 1:
                name = groups[-1][-1]
                below = [s for group in groups[1:] for s in group if s is not name]
            elif len(positions) > 1 and not positions[-1].capitals:
                name = positions.pop()
            signer = Signer(self.lines(positions), self.optional(name), self.lines(below))
        # a "Kính gửi:" line before Nơi nhận (not "Kính gửi Sở … tổng hợp" in a sentence):
        # the addressees go first as "- Như trên;"
        addressed = label is not None and any(
            re.match(rf"{_KINH_GUI}\s*:", _norm(para.text).casefold()) is not None
            for para in lay.paras[: label.index]
        )
        return ReadClosing(signer, self.optional(label), self.lines(items), addressed)

    def appendices(self) -> tuple[ReadAppendix, ...]:
        """The phụ lục after the closing: each starts a section of its own, or (a clerk's
        file without sections) a centred "Phụ lục …" line."""
        lay = self.lay
        label = lay.found.noi_nhan
        if label is None:
            return ()
        end = self.closing_end()
        out: list[ReadAppendix] = []
        head_end = end
        for para in lay.paras[end + 1 :]:
            if para.index <= head_end or para.in_table:
                continue
            previous = lay.paras[para.index - 1]
            starts = ends_section(previous) is not None and not previous.in_table
            if not (starts or _appendix_label(para)) or not _norm(para.text):
                continue
            found = self.appendix(para)
            if found is not None:
                out.append(found[0])
                head_end = found[1]
        return tuple(out)

    def appendix(self, first: Para) -> tuple[ReadAppendix, int] | None:
        """The head of an appendix starting at ``first``, and its last paragraph; None if
        nothing there looks like one."""
        lay = self.lay
        paras = [p for p in lay.paras[first.index : first.index + APPENDIX_HEAD] if _norm(p.text)]
        label: _Seg | None = None
        title: list[_Seg] = []
        reference: _Seg | None = None
        lines: list[_Seg] = []
        last = first.index
        for para in paras:
            if para.in_table:
                break
            segs = [s for s in lay.by_para[para.index] if s.clean]
            centred = _centred(para)
            text = _norm(para.text)
            if label is None and not title and _appendix_label(para):
                label = segs[0]
            elif reference is None and not lines and centred and all(s.all_on("b") for s in segs):
                title += segs
            elif reference is None and text.startswith("(") and all(s.all_on("i") for s in segs):
                reference = segs[0]
            elif centred and (label is not None or title):
                lines += segs
            else:
                break
            last = para.index
        if label is None and not title:
            return None
        section = next(
            (s for p in lay.paras[first.index :] if (s := ends_section(p)) is not None),
            lay.docx.section,
        )
        landscape = False
        if section is not None:
            setup = page_setup(section)
            landscape = setup.landscape or setup.width > setup.height
        numbered_on = section is not None and not numbers_restart(section)
        at = At(first.index)
        appendix = ReadAppendix(
            at,
            self.optional(label),
            self.lines(title),
            self.optional(reference),
            self.lines(lines),
            landscape,
            numbered_on,
        )
        return appendix, last

    def body_paragraph(self, para: Para) -> BodyParagraph:
        paras = self.lay.paras
        before, after = para.spacing("before"), para.spacing("after")
        if contextual_spacing(para):
            previous = paras[para.index - 1] if para.index > 0 else None
            following = paras[para.index + 1] if para.index + 1 < len(paras) else None
            if previous is not None and previous.style == para.style:
                before = 0.0
            if following is not None and following.style == para.style:
                after = 0.0
        characters: dict[float, int] = {}
        for run in para.runs():
            size = para.run_size(run)
            characters[size] = characters.get(size, 0) + len(run_text(run).strip())
        return BodyParagraph(
            at=At(para.index),
            text=para.text,
            style=para.style,
            sizes=tuple(sorted(para.sizes())),
            characters=tuple(characters.items()),
            mark_size=para.mark_size(),
            align=para.align,
            first_line=para.first_line(),
            space_before=before,
            space_after=after,
            line=para.line_spacing(),
        )


def _spans(para: Para, pieces: Sequence[tuple[Element | None, str]]) -> tuple[Span, ...]:
    """Pieces of text as spans with their run's formatting (a list label has none)."""
    return tuple(
        Span(text, text, label=True)
        if run is None
        else Span(
            text,
            para.shown(run, text),
            para.run_size(run),
            para.toggle(run, "b"),
            para.toggle(run, "i"),
            para.toggle(run, "caps"),
        )
        for run, text in pieces
    )


APPENDIX_HEAD = 8
"""Paragraphs searched for an appendix's head (label, title, Kèm theo, lines under them)."""

_PHU_LUC = nd30.PHU_LUC_TEXT.casefold()


def _appendix_label(para: Para) -> bool:
    """A centred "Phụ lục …" line: an appendix's label (PL I, mục III)."""
    text = _norm(para.text).casefold()
    return _centred(para) and (text == _PHU_LUC or text.startswith(_PHU_LUC + " "))


def _page(docx: Docx) -> ReadPage | None:
    sections = docx.sections
    if not sections:
        return None
    return page_setup(sections[0])


def _fonts(lay: _Layout) -> Iterator[RunFonts]:
    """Every run with text in every story, and the fonts of the slots its text uses."""
    stories: list[tuple[str, list[Para]]] = [("body", lay.paras)]
    for part, paras in [*stories, *other_stories(lay.docx)]:
        for para in paras:
            text: str | None = None
            for run in para.runs():
                typed = run_text(run)
                slots = []
                if any(c < "\x80" and not c.isspace() for c in typed):
                    slots.append("ascii")
                if any(c >= "\x80" and not c.isspace() for c in typed):
                    slots.append("hAnsi")
                if not slots:
                    continue
                if text is None:
                    text = para.text
                at = At(para.index if part == "body" else -1, part)
                yield RunFonts(at, text, tuple(para.run_font(run, slot) for slot in slots))


MORE_THAN_ONE = 1.5
"""Pages the estimate (``baocao.docx.read.flow``) must reach to overrule a stated count
of one: on the real one-page letters of the test set it gives 0.74 to 1.31."""

ONE_PAGE = 1.0
"""Pages under which the estimate alone says "one page" when the file states none (it
errs long: 1.02 to 1.31 on real one-page letters)."""


def _page_count(docx: Docx, counted: int | None) -> tuple[int | None, str]:
    """How many pages: ``counted`` by LibreOffice when given; else the file's own count
    unless it is absent or says one page where the text clearly fills more (a pandoc or
    generated file writes 1, or nothing), then the estimate."""
    if counted is not None:
        return counted, "libreoffice"
    stated = docx.page_count()
    if stated is not None and stated > 1:
        return stated, "file"
    estimate = flow(docx).pages
    if estimate >= MORE_THAN_ONE:
        return max(round(estimate), 2), "estimate"
    if stated is None and estimate < ONE_PAGE:
        return 1, "estimate"
    return stated, "file"


def _page_numbers(docx: Docx, counted: int | None = None) -> PageNumbers:
    """The PAGE field of the first section's headers and footers; what the rule needs only."""
    first = docx.sections[0]
    title_pg = title_page(first)
    even_odd = even_and_odd(docx)
    default = docx.story("default", "header", first)
    pages = page_paragraphs(docx, default[1]) if default is not None else []
    if not pages:
        # only the footers Word shows: the first page's with titlePg, the even pages'
        # with evenAndOddHeaders (an unused even footer's number is never printed)
        used = ("default", *(("first",) if title_pg else ()), *(("even",) if even_odd else ()))
        in_footer = any(
            page_paragraphs(docx, found[1])
            for kind in used
            if (found := docx.story(kind, "footer", first)) is not None
        )
        count, source = (None, "file") if in_footer else _page_count(docx, counted)
        return PageNumbers(None, in_footer, count, title_pg, even_odd, False, False, source)
    para = pages[0]
    field = PageField(para.text, para.align, tuple(field_sizes(para)))
    even_header = False
    if even_odd:
        even = docx.story("even", "header", first)
        even_header = even is not None and bool(page_paragraphs(docx, even[1]))
    first_header = docx.story("first", "header", first)
    first_shows = (
        title_pg and first_header is not None and bool(page_paragraphs(docx, first_header[1]))
    )
    return PageNumbers(field, False, None, title_pg, even_odd, even_header, first_shows)
