"""Check any .docx against the layout rules of Nghị định 30/2020/NĐ-CP.

    >>> from baocao.check import check
    >>> report = check("bao-cao.docx")                        # doctest: +SKIP
    >>> report.passed, [r.rule for r in report.failed]        # doctest: +SKIP
    (False, ['so_ky_hieu'])
    >>> print("\\n".join(report.lines("vi")))                 # doctest: +SKIP

``check`` reads the file through ``baocao.docx.read`` (formatting resolved
through styles as Word does), finds the decree's elements by their text and
place (Quốc hiệu, "Số:", "…, ngày … tháng … năm …", the type name, "Nơi
nhận:", the signer block), and gives one ``RuleResult`` per rule in
``RULES``, in that order. It works on our output and on a clerk's own Word
file: an element is looked for by what it says, in a header table or in
plain paragraphs, with tabs and line breaks; what cannot be found fails its
rule with a message naming what was looked for. The numbers are the
decree's (Phụ lục I), with the ranges of ``docs/kiem-tra.md``.

The document type decides the title rule (``ten_loai``). Given as
``template`` ("ke-hoach"), it is checked for; otherwise it is found: a known
type name (``baocao.bundle``) centred in bold under the header gives that
type, else a "V/v …" line under "Số:" gives a công văn (no type name, the
trích yếu under the number, PL I mục II.5.b). ``Report.template`` says which.

Results are data: a stable rule name, ``passed``, what was seen, where
(paragraph number in reading order, 1-based, and an excerpt), and a message
code with parameters from ``baocao.messages`` rendered in the language asked
for. A file that is not a readable .docx raises ``InputError`` (exit 3), and so
does one beyond the reader's limits (``baocao.docx.read``: size, elements,
nesting) or one whose rules take longer than ``MAX_SECONDS``: every step is
linear in the document, so only a hostile file comes near these bounds.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from baocao import messages, nd30
from baocao.docx.read import NS, Docx, Element, Para, measure, on, q
from baocao.vietnamese import LETTERS, letter, roman

__all__ = ["EXIT_FAILED", "MAX_SECONDS", "RULES", "Place", "Report", "RuleResult", "check"]

EXIT_FAILED = 7
"""Exit code of ``baocao check`` when a rule fails."""

MAX_SECONDS = 10.0
"""Wall-clock budget of one check, reading included. Our largest real document (57
pages) takes 0.1 s; past the budget the check stops with ``check_too_slow``."""

RULES = (
    "trang",
    "phong_chu",
    "quoc_hieu",
    "co_quan",
    "so_ky_hieu",
    "ngay_thang",
    "ten_loai",
    "noi_dung",
    "danh_so",
    "noi_nhan",
    "nguoi_ky",
    "so_trang",
)
"""Every rule, in the order of the output (page first, then top to bottom)."""

MM = 1440 / 25.4
"""Twips per millimetre."""

TOLERANCE_MM = 0.5
"""Slack on page size and margins: Word stores 20 mm as 1134 twips, others 1133."""

PAGE_MM = nd30.PAGE_MM

FONT = nd30.FONT

QUOC_HIEU = nd30.QUOC_HIEU_TEXT
TIEU_NGU = nd30.TIEU_NGU_TEXT


def _span(role: nd30.Role) -> tuple[float, float]:
    return (role.size or nd30.BODY_SIZE).span


def _exact(role: nd30.Role) -> float:
    size = role.size or nd30.BODY_SIZE
    if size.low != size.high:
        raise ValueError(f"{role.style}: the checker expects a size the decree fixes")
    return float(size.default)


# Ranges in points, from the decree's data (baocao/nd30.py: PL I, mục II and the Mục V table).
QUOC_HIEU_PT = _span(nd30.QUOC_HIEU)
TIEU_NGU_PT = _span(nd30.TIEU_NGU)
AGENCY_PT = _span(nd30.CO_QUAN_BAN_HANH)
DATE_PT = _span(nd30.DIA_DANH_NGAY)
TITLE_PT = _span(nd30.TEN_LOAI)
BODY_PT = _span(nd30.BODY)
SIGNER_PT = _span(nd30.CHUC_VU)
PAGE_NUMBER_PT = _span(nd30.SO_TRANG)
NOI_NHAN_LABEL_PT = _exact(nd30.NOI_NHAN_LABEL)
NOI_NHAN_ITEM_PT = _exact(nd30.NOI_NHAN_ITEM)

MARGINS_MM = {
    side: (bounds.low, bounds.high)
    for side, bounds in (
        ("top", nd30.MARGINS.top),
        ("bottom", nd30.MARGINS.bottom),
        ("left", nd30.MARGINS.left),
        ("right", nd30.MARGINS.right),
    )
}

FIRST_LINE_CM = (nd30.FIRST_LINE_CM.low, nd30.FIRST_LINE_CM.high)
FIRST_LINE_TOLERANCE_CM = 0.05
MIN_PARAGRAPH_GAP = nd30.PARAGRAPH_GAP_PT * 20
"""At least 6 pt (120 twips) between paragraphs (PL I, II.6.e)."""

LINE_SPACING = (nd30.LINE_SPACING.low, nd30.LINE_SPACING.high)
"""Single to 1.5 lines."""

SINGLE_LINE = 1.15
"""Height of a single Times New Roman line, as a multiple of the font size (Word's metric)."""

SCAN_HEADER = 80
"""Paragraphs searched for the header elements when no type name is found."""

HEADER_SLACK = 3
"""Non-empty paragraphs allowed between the header and a type name found without ``--type``."""

LETTER_REACH = 3
"""Paragraphs after "Số:" searched for a công văn's "V/v …" line."""

LETTER_SUMMARY_PT = _span(nd30.VE_VIEC)
"""Size of a công văn's trích yếu (PL I, II.5.b)."""

SIGNATURE_GAP = 600
"""Space before (twips) that separates the signer's name from the position lines."""


# -- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Msg:
    """A message code and its parameters, turned into text in a language on demand."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return messages.text(self.code, lang, **_localise(self.params, lang))


def _msg(code: str, **params: Any) -> Msg:
    return Msg(code, params)


@dataclass(frozen=True)
class _Join:
    """Messages written one after the other with ``sep`` between them."""

    items: tuple[Msg, ...]
    sep: str = "; "


def _number(value: float, lang: str) -> str:
    """Write 20.0 as "20" and 1.27 as "1,27" (Vietnamese) or "1.27"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "vi" else text


def _localise(params: dict[str, Any], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, Msg):
            value = value.render(lang)
        elif isinstance(value, _Join):
            value = value.sep.join(item.render(lang) for item in value.items)
        elif isinstance(value, float):
            value = _number(value, lang)
        elif isinstance(value, list) and all(isinstance(item, Msg) for item in value):
            value = "; ".join(item.render(lang) for item in value)
        out[name] = value
    return out


@dataclass(frozen=True)
class Place:
    """Where a result points: a body paragraph (1-based, reading order) or another part."""

    paragraph: int
    excerpt: str
    part: str = "body"
    """"body", "header", "footer", "footnotes" or "endnotes"."""

    def describe(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        if self.part == "body":
            return messages.text(
                "check_where", lang, paragraph=self.paragraph, excerpt=self.excerpt
            )
        part = messages.text(f"check_part_{self.part}", lang)
        return messages.text("check_where_part", lang, part=part, excerpt=self.excerpt)


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule: passed or not, what was seen, where, and why.

    ``code`` and ``params`` name the explanation in ``baocao.messages``;
    ``where`` is the place in Vietnamese (``place.describe("en")`` in English).
    """

    rule: str
    passed: bool
    seen: str
    where: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    place: Place | None = None

    def detail(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        return Msg(self.code, self.params).render(lang)

    def message(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        """One line for a clerk: ✓/✗, the rule's name, what was seen, and where."""
        mark = "✓" if self.passed else "✗"
        title = messages.text(f"check_rule_{self.rule}", lang)
        line = f"{mark} {title}: {self.detail(lang)}"
        if not self.passed and self.place is not None:
            line += f" ({self.place.describe(lang)})"
        return line

    def as_dict(self, lang: str = messages.DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "passed": self.passed,
            "seen": self.seen,
            "where": self.place.describe(lang) if self.place is not None else None,
            "paragraph": self.place.paragraph if self.place is not None else None,
            "code": self.code,
            "message": self.message(lang),
        }


@dataclass(frozen=True)
class Report:
    """Every rule's result for one file, in the order of ``RULES``."""

    file: str
    results: tuple[RuleResult, ...]
    template: str | None = None
    """The document type checked for ("ke-hoach"…): given, or found; None if not found."""

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]

    def __getitem__(self, rule: str) -> RuleResult:
        for result in self.results:
            if result.rule == rule:
                return result
        raise KeyError(rule)

    def summary(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        total = len(self.results)
        if self.passed:
            return messages.text("check_summary_passed", lang, file=self.file, total=total)
        failed = len(self.failed)
        return messages.text(
            "check_summary_failed", lang, file=self.file, failed=failed, total=total
        )

    def lines(self, lang: str = messages.DEFAULT_LANGUAGE) -> list[str]:
        return [r.message(lang) for r in self.results]

    def as_dict(self, lang: str = messages.DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "file": self.file,
            "template": self.template,
            "passed": self.passed,
            "rules": [r.as_dict(lang) for r in self.results],
            "summary": self.summary(lang),
        }


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


def _sizes_text(sizes: Sequence[float]) -> str:
    return "/".join(_number(s, "en") for s in sizes)


def _in_range(sizes: Sequence[float], bounds: tuple[float, float]) -> bool:
    return all(bounds[0] <= s <= bounds[1] for s in sizes)


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


class _Layout:
    """The decree's elements found in one document.

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


def _result(
    rule: str,
    problems: list[Msg],
    ok: Msg,
    seen: str,
    place: Place | None,
) -> RuleResult:
    passed = not problems
    detail = ok if passed else _msg("check_problems", problems=problems)
    return RuleResult(
        rule=rule,
        passed=passed,
        seen=seen,
        where=place.describe(messages.DEFAULT_LANGUAGE) if place is not None else None,
        code=detail.code,
        params=detail.params,
        place=place,
    )


def _missing(rule: str, code: str, **params: Any) -> RuleResult:
    return _result(rule, [_msg(code, **params)], _msg(code), "", None)


def _format_checks(
    seg: _Seg,
    *,
    bold: bool = False,
    italic: bool = False,
    capitals: bool = False,
    sizes: tuple[float, float] | None = None,
    exact: float | None = None,
    centred: bool = False,
    runs: Sequence[Element] | None = None,
    regular: bool = False,
    centred_as: bool | None = None,
) -> list[Msg]:
    """What is wrong with the formatting of one segment, as one message naming its text.

    ``regular``: no bold at all; ``centred_as``: whether the segment was found
    centred some other way than by its paragraph's alignment (a centre tab).
    """
    needs: list[Msg] = []
    if capitals and not seg.capitals:
        needs.append(_msg("check_need_caps"))
    if bold and not seg.all_on("b", runs):
        needs.append(_msg("check_need_bold"))
    if regular and seg.any_on("b", runs):
        needs.append(_msg("check_need_regular"))
    if italic and not seg.all_on("i", runs):
        needs.append(_msg("check_need_italic"))
    if not italic and seg.any_on("i", runs):
        needs.append(_msg("check_need_upright"))
    found = seg.sizes(runs)
    if sizes is not None and not _in_range(found, sizes):
        needs.append(_msg("check_need_size", size=_sizes_text(found), low=sizes[0], high=sizes[1]))
    if exact is not None and found != [exact]:
        needs.append(_msg("check_need_size_exact", size=_sizes_text(found), expected=exact))
    if (centred and not _centred(seg.para)) or centred_as is False:
        needs.append(_msg("check_need_centre"))
    if not needs:
        return []
    return [_msg("check_format", text=_excerpt(seg.shown, 50), needs=_Join(tuple(needs), ", "))]


def _describe_format(seg: _Seg, runs: Sequence[Element] | None = None) -> str:
    """What was seen, for ``RuleResult.seen``: the text, its size and style."""
    flags = [name for name, prop in (("bold", "b"), ("italic", "i")) if seg.all_on(prop, runs)]
    return f"“{_excerpt(seg.shown)}” {_sizes_text(seg.sizes(runs))} pt" + "".join(
        f" {flag}" for flag in flags
    )


# -- the rules ---------------------------------------------------------------------------------


def _trang(lay: _Layout) -> RuleResult:
    sections = lay.docx.sections
    if not sections:
        return _missing("trang", "check_trang_no_section")
    section = sections[0]
    size = section.find("w:pgSz", NS)
    width = measure(size.get(q("w:w"))) if size is not None else None
    height = measure(size.get(q("w:h"))) if size is not None else None
    width, height = (width or 12240.0) / MM, (height or 15840.0) / MM  # Word's default: Letter
    landscape = (size is not None and size.get(q("w:orient")) == "landscape") or width > height
    margins = section.find("w:pgMar", NS)

    def margin(side: str, default: float) -> float:
        value = measure(margins.get(q(f"w:{side}"))) if margins is not None else None
        return abs(value if value is not None else default) / MM

    found = {
        "top": margin("top", 1440),
        "bottom": margin("bottom", 1440),
        "left": margin("left", 1800) + margin("gutter", 0),
        "right": margin("right", 1800),
    }
    problems: list[Msg] = []
    short, long = sorted((width, height))
    if abs(short - PAGE_MM[0]) > TOLERANCE_MM or abs(long - PAGE_MM[1]) > TOLERANCE_MM:
        problems.append(_msg("check_trang_paper", width=round(width, 1), height=round(height, 1)))
    elif landscape:
        problems.append(_msg("check_trang_landscape"))
    for side, (low, high) in MARGINS_MM.items():
        value = round(found[side], 1)
        if not low - TOLERANCE_MM <= found[side] <= high + TOLERANCE_MM:
            problems.append(
                _msg(
                    "check_trang_margin",
                    side=_msg(f"check_side_{side}"),
                    value=value,
                    low=float(low),
                    high=float(high),
                )
            )
    shown = {side: round(value, 1) for side, value in found.items()}
    seen = (
        f"{_number(round(width, 1), 'en')}×{_number(round(height, 1), 'en')} mm "
        f"{'landscape' if landscape else 'portrait'}; margins top {_number(shown['top'], 'en')}, "
        f"bottom {_number(shown['bottom'], 'en')}, left {_number(shown['left'], 'en')}, "
        f"right {_number(shown['right'], 'en')} mm"
    )
    ok = _msg("check_trang_ok", **shown)
    return _result("trang", problems, ok, seen, None)


def _run_text(run: Element) -> str:
    return "".join(t.text or "" for t in run.iter(q("w:t")))


def _font_problems(paras: Sequence[Para], part: str) -> Iterator[tuple[str, Place]]:
    """Each text run not in Times New Roman: (font, place)."""
    for para in paras:
        for run in para.runs():
            text = _run_text(run)
            slots = []
            if any(c < "\x80" and not c.isspace() for c in text):
                slots.append("ascii")
            if any(c >= "\x80" and not c.isspace() for c in text):
                slots.append("hAnsi")
            for slot in slots:
                font = para.run_font(run, slot)
                if (font or "").casefold() != FONT.casefold():
                    number = para.index + 1 if part == "body" else 0
                    yield font or "?", Place(number, _excerpt(para.text), part)
                    break


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


def _body_paragraphs(lay: _Layout) -> list[Para]:
    """Body text paragraphs: between the title block and Nơi nhận, not in tables,
    not headings (all bold), captions (centred italic) or the Kính gửi block."""
    out: list[Para] = []
    addressee: Para | None = None
    for para in lay.paras[lay.body_start : lay.body_end]:
        text = _norm(para.text)
        if para.in_table or not text or _underscores(text):
            continue
        segs = [s for s in lay.by_para[para.index] if s.clean]
        if text.casefold().startswith("kính gửi"):
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


def _dominant_size(paras: Sequence[Para]) -> float | None:
    counts: Counter[float] = Counter()
    for para in paras:
        for run in para.runs():
            counts[para.run_size(run)] += len(_run_text(run).strip())
    return counts.most_common(1)[0][0] if counts else None


def _phong_chu(lay: _Layout) -> RuleResult:
    bad: list[tuple[str, Place]] = list(_font_problems(lay.paras, "body"))
    for part, paras in _other_stories(lay.docx):
        bad += _font_problems(paras, part)
    body = _body_paragraphs(lay)
    size = _dominant_size(body)
    problems: list[Msg] = []
    place: Place | None = None
    if bad:
        fonts = sorted({font for font, _ in bad})
        problems.append(
            _msg("check_phong_chu_font", fonts=", ".join(f"“{f}”" for f in fonts), count=len(bad))
        )
        place = bad[0][1]
    if size is not None and not BODY_PT[0] <= size <= BODY_PT[1]:
        problems.append(_msg("check_phong_chu_size", size=size))
        if place is None:
            first = next((p for p in body if size in p.sizes()), body[0])
            place = Place(first.index + 1, _excerpt(first.text))
    fonts_seen = sorted({font for font, _ in bad} | {FONT}) if bad else [FONT]
    seen = ", ".join(fonts_seen) + (f"; body {_number(size, 'en')} pt" if size else "")
    ok = (
        _msg("check_phong_chu_ok", size=size)
        if size is not None
        else _msg("check_phong_chu_ok_font")
    )
    return _result("phong_chu", problems, ok, seen, place)


def _quoc_hieu(lay: _Layout) -> RuleResult:
    qh, tn = lay.qh, lay.tn
    if qh is None:
        return _missing("quoc_hieu", "check_quoc_hieu_missing", text=QUOC_HIEU)
    problems: list[Msg] = []
    shown = qh.shown.translate(_DASHES).replace("HOÀ", "HÒA")
    if shown.upper() != QUOC_HIEU:
        problems.append(_msg("check_quoc_hieu_text", text=qh.shown, expected=QUOC_HIEU))
    problems += _format_checks(qh, bold=True, capitals=True, sizes=QUOC_HIEU_PT)
    place = qh.place()
    seen = _describe_format(qh)
    if tn is None:
        problems.append(_msg("check_tieu_ngu_missing", text=TIEU_NGU))
        return _result("quoc_hieu", problems, _msg("check_problems", problems=[]), seen, place)
    seen += "; " + _describe_format(tn)
    tn_problems: list[Msg] = []
    if _norm(tn.shown.translate(_DASHES)) != TIEU_NGU:
        tn_problems.append(_msg("check_tieu_ngu_text", text=tn.shown, expected=TIEU_NGU))
    tn_problems += _format_checks(tn, bold=True, sizes=TIEU_NGU_PT)
    qh_size, tn_size = max(qh.sizes()), max(tn.sizes())
    if tn_size != qh_size + 1:
        tn_problems.append(_msg("check_tieu_ngu_step", quoc_hieu=qh_size, tieu_ngu=tn_size))
    rule = lay.rule_under([tn])
    if rule is None and _has_line_shape(qh.para):
        rule = "shape"
    if rule is None:
        tn_problems.append(_msg("check_no_rule", what=_msg("check_el_tieu_ngu")))
    else:
        seen += f"; rule: {rule}"
    if tn_problems and not problems:
        place = tn.place()
    problems += tn_problems
    ok = _msg("check_quoc_hieu_ok", quoc_hieu=qh_size, tieu_ngu=tn_size)
    return _result("quoc_hieu", problems, ok, seen, place)


def _agency_candidates(lay: _Layout) -> list[_Seg]:
    """Lines of ô 2 (parent agency and agency), top left of the header."""
    skip = {id(s) for s in (lay.qh, lay.tn, lay.so, lay.date) if s is not None}

    def useful(seg: _Seg) -> bool:
        return (
            bool(seg.clean)
            and id(seg) not in skip
            and not _underscores(seg.text)
            and not seg.clean.startswith("#")
        )

    anchor = lay.qh or lay.so
    if anchor is not None and anchor.para.cell is not None:
        cell = anchor.para.cell
        row, cells, position = _row_of(cell)
        if anchor is lay.qh and position > 0:
            left = cells[position - 1]
            # What follows "Số:" in that cell (a công văn's "V/v …") is not the agency.
            end = (
                lay.so.index if lay.so is not None and lay.so.para.cell is left else len(lay.paras)
            )
            return [s for s in lay.cell_segs(left) if useful(s) and s.index < end]
        if anchor is lay.so:
            before = [s for s in lay.cell_segs(cell) if s.index < anchor.index and useful(s)]
            if before:
                return before
            rows, at = _rows_of(row)
            if at > 0:
                above = _row_cells(rows[at - 1])
                if position < len(above):
                    return [s for s in lay.cell_segs(above[position]) if useful(s)]
        return []
    end = lay.so.index if lay.so is not None else lay._header_floor() + 1
    out = []
    for seg in lay.segs:
        if seg.index > end or (lay.so is not None and seg is lay.so):
            break
        if useful(seg) and not (lay.qh is not None and seg.index == lay.qh.index and seg.col > 0):
            out.append(seg)
    if lay.tn is not None:
        # In a tab layout the right-hand column holds the motto: keep the left column only.
        out = [s for s in out if s.col == 0 or s.index > lay.tn.index]
    return out


def _co_quan(lay: _Layout) -> RuleResult:
    candidates = _agency_candidates(lay)
    if not candidates:
        return _missing("co_quan", "check_co_quan_missing")
    group: list[_Seg] = []
    for seg in reversed(candidates):
        if not seg.all_on("b"):
            break
        group.insert(0, seg)
    if not group:
        group = [candidates[-1]]
    problems: list[Msg] = []
    for seg in group:
        problems += _format_checks(seg, bold=True, capitals=True, sizes=AGENCY_PT)
    rule = lay.rule_under(group)
    if rule is None:
        problems.append(_msg("check_no_rule", what=_msg("check_el_co_quan")))
    text = " ".join(s.shown for s in group)
    sizes = sorted({size for s in group for size in s.sizes()})
    seen = f"“{_excerpt(text)}” {_sizes_text(sizes)} pt" + (f"; rule: {rule}" if rule else "")
    ok = _msg("check_co_quan_ok", text=_excerpt(text), size=_sizes_text(sizes))
    return _result("co_quan", problems, ok, seen, group[0].place())


_GROUP = r"[\w&….]+"


def _so_ky_hieu(lay: _Layout) -> RuleResult:
    seg = lay.so
    if seg is None:
        return _missing("so_ky_hieu", "check_so_ky_hieu_missing")
    text, shown = seg.clean, seg.visible
    if re.fullmatch(r"số\s*:", text, flags=re.IGNORECASE):
        # "Số:" and the number in two columns of a tab-aligned line
        rest_of_line = [s for s in lay.by_para[seg.index] if s.line == seg.line and s.col > seg.col]
        text = " ".join([text, *(s.clean for s in rest_of_line)]).strip()
        shown = " ".join([shown, *(s.visible for s in rest_of_line)]).strip()
    rest = re.sub(r"^số\s*:", "", text, flags=re.IGNORECASE)
    problems: list[Msg] = []
    ok = _msg("check_so_ky_hieu_ok", text=shown)
    if re.match(r"\s*#\w+", rest):
        ok = _msg("check_so_ky_hieu_token", text=shown)
    else:
        number, slash, symbol = rest.partition("/")
        number = number.strip()
        if not slash or not symbol.strip():
            problems.append(_msg("check_so_ky_hieu_form", text=shown))
        elif _blank(number):
            ok = _msg("check_so_ky_hieu_blank", text=shown)
        elif not _digits(number) or int(number) == 0:
            problems.append(_msg("check_so_ky_hieu_form", text=shown))
        elif len(number) < nd30.NUMBER_DIGITS:
            fixed = f"Số: {nd30.number_text(int(number))}/{symbol.strip()}"
            problems.append(_msg("check_so_ky_hieu_padding", text=shown, fixed=fixed))
        elif number.startswith("0") and int(number) >= 10 ** (nd30.NUMBER_DIGITS - 1):
            problems.append(_msg("check_so_ky_hieu_form", text=shown))
        if slash and symbol.strip() and not problems:
            problems += _symbol_problems(shown, symbol)
    return _result("so_ky_hieu", problems, ok, shown, seg.place())


def _symbol_problems(text: str, symbol: str) -> list[Msg]:
    groups = symbol.strip()
    if symbol != symbol.lstrip():
        return [_msg("check_so_ky_hieu_spaces", text=text)]
    if re.search(r"\s*-\s*", groups) and re.search(r"\s-|-\s", groups):
        return [_msg("check_so_ky_hieu_spaces", text=text)]
    if "/" in groups and re.search(r"(19|20)\d\d", groups):
        return [_msg("check_so_ky_hieu_year", text=text)]
    if re.fullmatch(rf"{_GROUP}(?:-{_GROUP})*", groups) is None:
        return [_msg("check_so_ky_hieu_form", text=text)]
    return []


_DATE = re.compile(
    r"(?P<place>.*?)(?P<comma>,?)\s*ngày(?P<day>.*?)tháng(?P<month>.*?)năm(?P<year>.*?)\.?"
)


def _ngay_thang(lay: _Layout) -> RuleResult:
    seg = lay.date
    if seg is None:
        return _missing("ngay_thang", "check_ngay_thang_missing")
    text = seg.clean
    place = seg.place()
    problems: list[Msg] = []
    if re.fullmatch(r"#\w+", text):
        ok = _msg("check_ngay_thang_token", text=text)
    else:
        ok = _msg("check_ngay_thang_ok", text=seg.visible, size=_sizes_text(seg.sizes()))
        problems += _date_problems(text, seg.visible)
    problems += _format_checks(seg, italic=True, sizes=DATE_PT)
    return _result("ngay_thang", problems, ok, _describe_format(seg), place)


def _date_problems(text: str, shown: str) -> list[Msg]:
    """What is wrong with a place-and-date line (PL I, II.4); ``text`` has its spaces collapsed."""
    match = _DATE.fullmatch(text)
    text = shown
    if match is None:
        return [_msg("check_ngay_thang_form", text=text)]
    problems: list[Msg] = []
    if not match["place"].strip() or not match["comma"]:
        problems.append(_msg("check_ngay_thang_place", text=text))
    day, month, year = (match[k].strip() for k in ("day", "month", "year"))
    values: dict[str, int] = {}
    for name, value in (("day", day), ("month", month), ("year", year)):
        if _blank(value):
            continue
        if not _digits(value):
            return [*problems, _msg("check_ngay_thang_form", text=text)]
        values[name] = int(value)
    if "day" in values:
        if not 1 <= values["day"] <= 31:
            problems.append(_msg("check_ngay_thang_invalid", text=text))
        elif len(day) != nd30.DAY_DIGITS:
            fixed = nd30.day_text(values["day"])
            problems.append(_msg("check_ngay_thang_day", day=day, fixed=fixed))
    if "month" in values:
        value = values["month"]
        expected = nd30.month_text(value)
        if not 1 <= value <= 12:
            problems.append(_msg("check_ngay_thang_invalid", text=text))
        elif month != expected:
            code = "check_ngay_thang_month_pad" if value <= 2 else "check_ngay_thang_month_zero"
            problems.append(_msg(code, month=month, fixed=expected))
    if "year" in values and len(year) != 4:
        problems.append(_msg("check_ngay_thang_form", text=text))
    if len(values) == 3 and not problems:
        try:
            date(values["year"], values["month"], values["day"])
        except ValueError:
            problems.append(_msg("check_ngay_thang_invalid", text=text))
    return problems


def _ten_loai(lay: _Layout) -> RuleResult:
    kind = lay.kind
    if kind is None:
        names = ", ".join(f"“{k.type_name}”" for k in lay.kinds if k.type_name and not k.letter)
        return _missing("ten_loai", "check_ten_loai_unknown", names=names)
    how = _msg("check_kind_given" if lay.forced else "check_kind_detected")
    if kind.letter:
        return _cong_van(lay, kind, how)
    title = lay.title
    if title is None:
        return _missing("ten_loai", "check_ten_loai_missing", text=kind.type_name)
    problems = _format_checks(title, bold=True, capitals=True, sizes=TITLE_PT, centred=True)
    seen = f"{kind.template}: " + _describe_format(title)
    if not lay.summary:
        problems.append(_msg("check_trich_yeu_missing"))
        return _result("ten_loai", problems, _msg("check_trich_yeu_missing"), seen, title.place())
    place = title.place() if problems else lay.summary[0].place()
    for seg in lay.summary:
        problems += _format_checks(seg, bold=True, sizes=TITLE_PT, centred=True)
    summary = " ".join(s.shown for s in lay.summary)
    seen += "; " + _describe_format(lay.summary[0])
    rule = lay.rule_under(lay.summary)
    if rule is None:
        problems.append(_msg("check_no_rule", what=_msg("check_el_trich_yeu")))
    else:
        seen += f"; rule: {rule}"
    ok = _msg(
        "check_ten_loai_ok_kind",
        kind=kind.prose,
        how=how,
        text=title.shown,
        size=_sizes_text(title.sizes()),
        summary=_excerpt(summary, 50),
    )
    return _result("ten_loai", problems, ok, seen, place)


def _cong_van(lay: _Layout, kind: _Kind, how: Msg) -> RuleResult:
    """A công văn (PL I, II.5.b): no type name; "V/v …" under the number, 12–13 pt,
    upright, not bold, centred under it."""
    problems: list[Msg] = []
    place: Place | None = None
    seen = f"{kind.template}: "
    if lay.type_line is not None:
        problems.append(_msg("check_cong_van_type_line", text=_excerpt(lay.type_line.shown, 50)))
        place = lay.type_line.place()
        seen += f"type name “{_excerpt(lay.type_line.shown)}”; "
    lines = lay.letter_lines
    if not lines:
        problems.append(_msg("check_cong_van_missing"))
        return _result("ten_loai", problems, _msg("check_cong_van_missing"), seen, place)
    first = lines[0]
    under = lay.under_number(first)
    if not under:
        problems.append(_msg("check_cong_van_under", text=_excerpt(first.shown, 50)))
    for seg in lines:
        problems += _format_checks(
            seg, regular=True, sizes=LETTER_SUMMARY_PT, centred_as=lay.centred_line(seg)
        )
    seen += _describe_format(first) + ("; under Số" if under else "")
    sizes = sorted({size for seg in lines for size in seg.sizes()})
    ok = _msg(
        "check_cong_van_ok",
        kind=kind.prose,
        how=how,
        summary=_excerpt(" ".join(seg.shown for seg in lines), 50),
        size=_sizes_text(sizes),
    )
    return _result("ten_loai", problems, ok, seen, place or first.place())


def _alignment(value: str | None) -> Msg:
    name = {"start": "left", "end": "right", "justify": "both", None: "left"}.get(value, value)
    known = {"left", "center", "right", "both", "distribute"}
    return _msg(f"check_align_{name}") if name in known else _msg("check_align_other", value=value)


def _body_problems(para: Para, previous: Para | None, following: Para | None) -> list[Msg]:
    problems: list[Msg] = []
    sizes = sorted(para.sizes()) or [para.mark_size()]
    if not _in_range(sizes, BODY_PT):
        problems.append(_msg("check_body_size", size=_sizes_text(sizes)))
    if para.align not in ("both", "justify"):
        problems.append(_msg("check_body_align", align=_alignment(para.align)))
    first_line = para.first_line() / 567
    low, high = FIRST_LINE_CM
    if not low - FIRST_LINE_TOLERANCE_CM <= first_line <= high + FIRST_LINE_TOLERANCE_CM:
        problems.append(_msg("check_body_indent", indent=round(first_line, 2)))
    contextual = bool(on(para.ppr("w:contextualSpacing")))
    before = para.spacing("before")
    after = para.spacing("after")
    if contextual and previous is not None and previous.style == para.style:
        before = 0.0
    if contextual and following is not None and following.style == para.style:
        after = 0.0
    if before + after < MIN_PARAGRAPH_GAP - 1:
        problems.append(_msg("check_body_spacing", spacing=round((before + after) / 20, 1)))
    value, rule = para.line_spacing()
    if rule == "auto":
        lines = value / 240
        if not LINE_SPACING[0] - 0.01 <= lines <= LINE_SPACING[1] + 0.01:
            problems.append(
                _msg("check_body_line", line=_msg("check_line_multiple", value=round(lines, 2)))
            )
    else:
        points = value / 20
        size = max(sizes)
        top = size * SINGLE_LINE * LINE_SPACING[1] + 0.5
        low_ok = rule == "atLeast" or points >= size
        if not (low_ok and points <= top):
            problems.append(
                _msg("check_body_line", line=_msg("check_line_points", value=round(points, 1)))
            )
    return problems


def _noi_dung(lay: _Layout) -> RuleResult:
    body = _body_paragraphs(lay)
    if not body:
        return _missing("noi_dung", "check_noi_dung_missing")
    bad: list[tuple[Para, list[Msg]]] = []
    for para in body:
        previous = lay.paras[para.index - 1] if para.index > 0 else None
        following = lay.paras[para.index + 1] if para.index + 1 < len(lay.paras) else None
        problems = _body_problems(para, previous, following)
        if problems:
            bad.append((para, problems))
    size = _dominant_size(body)
    seen = f"{len(body)} paragraphs; {len(bad)} wrong"
    ok = _msg("check_noi_dung_ok", count=len(body), size=size or 0.0)
    if not bad:
        return _result("noi_dung", [], ok, seen, None)
    para, problems = bad[0]
    summary = _msg("check_noi_dung_bad", bad=len(bad), count=len(body), problems=problems)
    return _result("noi_dung", [summary], ok, seen, Place(para.index + 1, _excerpt(para.text)))


_ROMAN_VALUES = {roman(n): n for n in range(1, 200)}


def _numbered(lay: _Layout) -> Iterator[tuple[Para, str]]:
    for para in lay.paras[lay.body_start : lay.body_end]:
        if para.in_table:
            continue
        text = _norm(f"{para.label} {para.text}" if para.label else para.text)
        if text:
            yield para, text


def _danh_so(lay: _Layout) -> RuleResult:
    romans: int | None = None
    arabic: int | None = None
    sub: tuple[int, int] | None = None
    letters: int | None = None
    counts = Counter[str]()
    violations: list[tuple[Para, Msg]] = []

    def out_of_order(para: Para, got: str, first: str, previous: str | None, expected: str) -> None:
        """A label that does not follow: either a list that does not start right, or a skip."""
        if previous is None:
            wrong(para, "check_danh_so_start", got=got, expected=first)
        else:
            wrong(para, "check_danh_so_order", previous=previous, got=got, expected=expected)

    def wrong(para: Para, code: str, **params: Any) -> None:
        violations.append((para, _msg(code, **params)))

    for para, text in _numbered(lay):
        if re.match(r"(phần|chương)\s+[ivxlcdm\d]+\b", text.casefold()):
            romans = arabic = letters = None
            sub = None
            continue
        if match := re.match(r"([IVXLCDM]+)\.\s", text):
            value = _ROMAN_VALUES.get(match[1])
            if value is None:
                continue
            counts["roman"] += 1
            expected = (romans or 0) + 1
            if value != expected:
                out_of_order(
                    para,
                    f"{match[1]}.",
                    "I.",
                    None if romans is None else f"{roman(romans)}.",
                    f"{roman(expected)}.",
                )
            romans, arabic, sub, letters = value, None, None, None
        elif match := re.match(r"(\d+)\.(\d+)\.\s", text):
            counts["sub"] += 1
            parent, value = int(match[1]), int(match[2])
            expected_parent = arabic if arabic is not None else parent
            expected = sub[1] + 1 if sub is not None and sub[0] == parent else 1
            if parent != expected_parent or value != expected:
                label = f"{expected_parent}.{expected if parent == expected_parent else 1}."
                out_of_order(
                    para,
                    f"{parent}.{value}.",
                    label,
                    None if sub is None else f"{sub[0]}.{sub[1]}.",
                    label,
                )
            sub, letters = (parent, value), None
        elif match := re.match(r"(\d+)\.\s", text):
            value = int(match[1])
            counts["arabic"] += 1
            expected = (arabic or 0) + 1
            if value != expected:
                out_of_order(
                    para,
                    f"{value}.",
                    "1.",
                    None if arabic is None else f"{arabic}.",
                    f"{expected}.",
                )
            arabic, sub, letters = value, None, None
        elif match := re.match(r"([a-zđ])\)\s", text):
            got = match[1]
            counts["letter"] += 1
            position = LETTERS.find(got) + 1
            if position == 1:
                letters = 1
                continue
            expected = (letters or 0) + 1
            if position != expected:
                if letters is None:
                    wrong(para, "check_danh_so_start", got=f"{got})", expected="a)")
                elif expected > len(LETTERS):
                    wrong(para, "check_danh_so_letters_end", previous=f"{letter(letters)})")
                else:
                    code = "check_danh_so_foreign" if got in "fjwz" else "check_danh_so_order"
                    wrong(
                        para,
                        code,
                        previous=f"{letter(letters)})",
                        got=f"{got})",
                        expected=f"{letter(expected)})",
                    )
            letters = min(position or expected, len(LETTERS))
    seen = (
        f"{counts['roman']} roman, {counts['arabic']} arabic, {counts['sub']} sub-numbered, "
        f"{counts['letter']} lettered"
    )
    ok = _msg(
        "check_danh_so_ok",
        roman=counts["roman"],
        arabic=counts["arabic"] + counts["sub"],
        letters=counts["letter"],
    )
    if not violations:
        return _result("danh_so", [], ok, seen, None)
    para, first = violations[0]
    problems = [first]
    if len(violations) > 1:
        problems.append(_msg("check_danh_so_more", count=len(violations) - 1))
    return _result("danh_so", problems, ok, seen, Place(para.index + 1, _excerpt(para.text)))


_LABEL = nd30.NOI_NHAN_TEXT
_ITEM_MARKS = ("-", "+", "–", "—", "•")
_DRAFTER = re.compile(r"(?P<main>.*\.)\s*(?P<tail>[^\s;][^;]{0,24})")


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


def _noi_nhan(lay: _Layout) -> RuleResult:
    label = lay.noi_nhan
    if label is None:
        return _missing("noi_nhan", "check_noi_nhan_missing")
    problems: list[Msg] = []
    items = _noi_nhan_items(lay, label)
    if not label.clean.startswith(_LABEL):
        problems.append(_msg("check_noi_nhan_label", text=label.clean))
    label_runs = label.runs_until(len(label.text) - len(label.text.lstrip()) + len(_LABEL))
    problems += _format_checks(
        label, bold=True, italic=True, exact=NOI_NHAN_LABEL_PT, runs=label_runs
    )
    place = label.place()
    seen = _describe_format(label, label_runs) + f"; {len(items)} items"
    if not items:
        problems.append(_msg("check_noi_nhan_empty"))
        return _result("noi_nhan", problems, _msg("check_noi_nhan_empty"), seen, place)
    for position, item in enumerate(items):
        item_problems = _item_problems(
            item, items[position + 1] if position + 1 < len(items) else None
        )
        if item_problems and not problems:
            place = item.place()
        problems += item_problems
    ok = _msg("check_noi_nhan_ok", count=len(items), last=_excerpt(items[-1].clean, 50))
    return _result("noi_nhan", problems, ok, seen, place)


def _item_problems(item: _Seg, following: _Seg | None) -> list[Msg]:
    """One Nơi nhận line: "- " first, ";" last, the last line "- Lưu…." (PL I, II.9.d)."""
    line = item.clean
    problems: list[Msg] = []
    if not line.startswith(("- ", "+ ")):
        problems.append(_msg("check_noi_nhan_dash", text=line))
    main = line
    if following is None:
        drafter = _DRAFTER.fullmatch(line)
        if not line.endswith(".") and drafter is not None:
            main = drafter["main"]  # ô 12: the drafter's mark and copies follow the full stop
        if not main.endswith("."):
            problems.append(_msg("check_noi_nhan_last_period", text=line))
        if not line.startswith("- Lưu"):
            problems.append(_msg("check_noi_nhan_luu", text=line))
    elif not (line.endswith(";") or (line.endswith(":") and following.clean.startswith("+ "))):
        problems.append(_msg("check_noi_nhan_semicolon", text=line))
    runs = item.runs_until(len(item.text) - len(item.text.lstrip()) + len(main))
    return problems + _format_checks(item, exact=NOI_NHAN_ITEM_PT, runs=runs)


def _signer_line(para: Para) -> bool:
    """A line of a signer block typed in plain paragraphs: set apart from the body text."""
    if not _norm(para.text):
        return True
    return para.align in ("center", "right", "end") or (para.twips("w:ind", "w:left") or 0) >= 2835


def _signer_segs(lay: _Layout) -> list[_Seg]:
    """The lines of the signer block (ô 7): beside Nơi nhận, or above or below it."""
    label = lay.noi_nhan
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
        for para in reversed(lay.paras[lay.body_start : lay.body_end]):
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
    tables = [p.table for p in lay.paras[lay.body_start :] if p.table is not None]
    cells = tables[-1].findall(".//w:tc", NS) if tables else []
    return lay.cell_segs(cells[-1]) if cells else []


def _rows_around(seg: _Seg) -> Iterator[Element]:
    """The table rows holding ``seg``, innermost first."""
    yield from seg.para.element.iterancestors(q("w:tr"))


def _nguoi_ky(lay: _Layout) -> RuleResult:
    segs = _signer_segs(lay)
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
    groups = [g for g in groups if g]
    if not groups:
        return _missing("nguoi_ky", "check_nguoi_ky_missing")
    positions = groups[0]
    name: _Seg | None = None
    if len(groups) > 1:
        name = groups[-1][-1]
    elif len(positions) > 1 and not positions[-1].capitals:
        name = positions.pop()
    problems: list[Msg] = []
    for seg in positions:
        problems += _format_checks(seg, bold=True, capitals=True, sizes=SIGNER_PT)
    if name is not None:
        problems += _format_checks(name, bold=True, sizes=SIGNER_PT)
    position_text = " / ".join(s.shown for s in positions)
    seen = _describe_format(positions[0]) + (f"; {_describe_format(name)}" if name else "")
    if name is not None:
        ok = _msg("check_nguoi_ky_ok", position=_excerpt(position_text), name=name.shown)
    else:
        ok = _msg("check_nguoi_ky_draft", position=_excerpt(position_text))
    return _result("nguoi_ky", problems, ok, seen, positions[0].place())


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


def _field_sizes(para: Para) -> list[float]:
    runs = para.runs() or [
        r.getparent() for r in para.element.iter(q("w:instrText"), q("w:fldChar"))
    ]
    return sorted({para.run_size(run) for run in runs}) or [para.mark_size()]


def _so_trang(lay: _Layout) -> RuleResult:
    docx = lay.docx
    sections = docx.sections
    if not sections:
        return _missing("so_trang", "check_trang_no_section")
    first = sections[0]
    title_pg = bool(on(first.find("w:titlePg", NS)))
    settings = docx.settings
    even_odd = settings is not None and bool(on(settings.find("w:evenAndOddHeaders", NS)))
    default = docx.story("default", "header", first)
    pages = _page_paragraphs(docx, default[1]) if default is not None else []
    problems: list[Msg] = []
    place: Place | None = None
    if not pages:
        in_footer = any(
            _page_paragraphs(docx, found[1])
            for kind in ("default", "first", "even")
            if (found := docx.story(kind, "footer", first)) is not None
        )
        if not in_footer and docx.page_count() == 1:
            return _result("so_trang", [], _msg("check_so_trang_one_page"), "1 page", None)
        problems.append(_msg("check_so_trang_footer" if in_footer else "check_so_trang_missing"))
        return _result("so_trang", problems, _msg("check_problems", problems=[]), "", None)
    para = pages[0]
    place = Place(0, _excerpt(para.text) or "PAGE", "header")
    sizes = _field_sizes(para)
    if not _centred(para):
        problems.append(_msg("check_so_trang_centre", align=_alignment(para.align)))
    if not _in_range(sizes, PAGE_NUMBER_PT):
        problems.append(_msg("check_so_trang_size", size=_sizes_text(sizes)))
    if even_odd:
        even = docx.story("even", "header", first)
        if even is None or not _page_paragraphs(docx, even[1]):
            problems.append(_msg("check_so_trang_even"))
    first_header = docx.story("first", "header", first)
    if not title_pg:
        problems.append(_msg("check_so_trang_first_shown"))
    elif first_header is not None and _page_paragraphs(docx, first_header[1]):
        problems.append(_msg("check_so_trang_first_header"))
    seen = (
        f"PAGE in header ({_alignment(para.align).render('en')}, {_sizes_text(sizes)} pt); "
        f"titlePg {'on' if title_pg else 'off'}"
    )
    ok = _msg("check_so_trang_ok", size=_sizes_text(sizes))
    return _result("so_trang", problems, ok, seen, place)


_CHECKS = {
    "trang": _trang,
    "phong_chu": _phong_chu,
    "quoc_hieu": _quoc_hieu,
    "co_quan": _co_quan,
    "so_ky_hieu": _so_ky_hieu,
    "ngay_thang": _ngay_thang,
    "ten_loai": _ten_loai,
    "noi_dung": _noi_dung,
    "danh_so": _danh_so,
    "noi_nhan": _noi_nhan,
    "nguoi_ky": _nguoi_ky,
    "so_trang": _so_trang,
}


def check(
    source: str | Path | bytes, *, template: str | None = None, seconds: float = MAX_SECONDS
) -> Report:
    """Check a .docx (a path or its bytes) against the decree's rules.

    ``template`` names the document type ("bao-cao", "ke-hoach", "cong-van"…,
    see ``baocao.bundle.available``). None finds it in the document: a known
    type name centred in bold under the header, else a "V/v …" trích yếu
    under the number (a công văn); when neither is there the ``ten_loai``
    rule fails and names what was looked for. Returns a ``Report`` with one
    result per rule of ``RULES``; raises ``InputError`` when the file is not
    a readable .docx, is beyond the reader's limits or takes longer than
    ``seconds``, and ``TemplateError`` for an unknown template.
    """
    started = time.monotonic()
    kind = _kind(template) if template is not None else None
    kinds = _kinds()
    name = "<docx>" if isinstance(source, bytes) else str(source)
    docx = Docx.open(source, name)
    docx.deadline, docx.budget = started + seconds, seconds
    layout = _Layout(docx, kind, kinds)
    found = layout.kind.template if layout.kind is not None else None
    return Report(name, tuple(_CHECKS[rule](layout) for rule in RULES), found)
