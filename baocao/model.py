"""The document model: what a laid-out document is, shared by both directions.

Layout (``layout``, ``body``) decides everything and returns a ``Document``;
the writer (``docx.write``) turns it into WordprocessingML and knows nothing of
the YAML. The reader side (``baocao check``, import) recognises what it can of
a Word file in the same terms. Frozen values, no XML: a style is named by the
decree role that carries it (``nd30.Role.style``), lengths are twips.

The parts follow the decree's own division of a document (Phụ lục I, Mục II):
the header (ô 1–4, 10, 11), the title (ô 5), the body (ô 6), the closing
(ô 7–9, 12, 13) and the appendices (Mục III).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from baocao import markup, memo, nd30
from baocao.measure import mm
from baocao.records import record

PAGE_MM = nd30.PAGE_MM


# -- text ----------------------------------------------------------------------------------


@record(slots=True)
class Run:
    """Text with one emphasis; a line break is "\\n", a tab "\\t"."""

    text: str
    bold: bool = False
    italic: bool = False


@record(slots=True)
class NoteRef:
    """The raised number in the text that points at footnote ``number``."""

    number: int


Inline = Run | NoteRef


def _read(text: str, bold: bool, italic: bool) -> tuple[Run, ...]:
    """``text``'s ``**bold**`` and ``*italic*`` spans as runs, on top of ``bold``/``italic``.

    Kept for short texts, which recur: table cells ("0", "x", "Đạt"), the
    header, addressees and signature of an office's reports. A paragraph
    longer than 100 characters rarely recurs and is read each time.
    """
    if not text:
        return ()
    if "*" not in text:  # most texts: markup's one span, without making it
        return (Run(text, bold, italic),)
    return tuple(
        Run(span.text, bold or span.bold, italic or span.italic)
        for span in markup.parse_inline(text)
    )


_emphasised = memo.small(entries=2048, longest=100, size=16 * 2**20)(_read)
_EMPHASISED: Callable[[str, bool, bool], tuple[Run, ...]] = _emphasised.cached
_KEPT = _emphasised.longest


def _runs(text: str, bold: bool, italic: bool) -> tuple[Run, ...]:
    """``_emphasised``, its length check made here: a call fewer for each of a long report's
    thirty thousand texts."""
    return _read(text, bold, italic) if len(text) > _KEPT else _EMPHASISED(text, bold, italic)


def inline(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    notes: dict[str, int] | Any = None,
) -> tuple[Inline, ...]:
    """Read the clerk's text into runs: emphasis markup, and ``[^key]`` as footnote marks.

    ``notes`` maps footnote keys to their numbers; without it (or for an unknown
    key, which validation reports) a marker stays visible text.

    >>> inline("a **b**[^x]", notes={"x": 1})
    (Run(text='a ', bold=False, italic=False), Run(text='b', bold=True, italic=False), NoteRef(number=1))
    """
    if not notes or "[^" not in text:
        return _runs(text, bold, italic)
    out: list[Inline] = []
    last = 0
    for mark in markup.FOOTNOTE_MARK.finditer(text):
        number = notes.get(mark.group(1))
        if number is None:
            continue
        out += _runs(text[last : mark.start()], bold, italic)
        out.append(NoteRef(number))
        last = mark.end()
    out += _runs(text[last:], bold, italic)
    return tuple(out)


def inline_lines(
    lines: list[str] | tuple[str, ...], *, bold: bool = False, notes: dict[str, int] | Any = None
) -> tuple[Inline, ...]:
    """Several typed lines as one paragraph's runs, a line break between them."""
    out: list[Inline] = []
    for index, line in enumerate(lines):
        if index:
            out.append(Run("\n"))
        out += inline(line, bold=bold, notes=notes)
    return tuple(out)


@record(slots=True)
class Paragraph:
    """A paragraph in a style role, with direct settings only where layout decides them.

    ``indent`` is (left, right) in twips with the first line flush, right None
    for none; ``space_before`` overrides the role's; ``align`` is Word's value
    (left, center, right, both); ``size`` (pt) overrides the role's on every run
    (a table's ``co_chu``).
    """

    style: str
    runs: tuple[Inline, ...] = ()
    align: str | None = None
    keep_next: bool = False
    space_before: int | None = None
    indent: tuple[int, int | None] | None = None
    size: int | None = None

    @property
    def text(self) -> str:
        """The words, without footnote marks."""
        return "".join(run.text for run in self.runs if isinstance(run, Run))


RULE_STYLE = "BCGach"
"""The template's style of an empty paragraph whose top border draws a rule."""


@record(slots=True)
class Rule:
    """A centred line under a header element: the width it stands in, less ``indent`` each side."""

    indent: int


# -- blocks of the body --------------------------------------------------------------------


@record(slots=True)
class Cell:
    """A table cell: its paragraphs, and how many grid columns and rows it covers.

    Only the cell where a merge starts is in its row; the positions it covers
    below are left out of the rows under it (the writer fills them).
    """

    paragraphs: tuple[Paragraph, ...]
    columns: int = 1
    rows: int = 1


@record(slots=True)
class Row:
    """A table row; header rows repeat at the top of every page."""

    cells: tuple[Cell, ...]
    header: bool = False
    keep_together: bool = True


@record(slots=True)
class Table:
    """A table on a fixed grid of column ``widths`` (twips), in a table style of the template."""

    widths: tuple[int, ...]
    rows: tuple[Row, ...]
    style: str = "BCBang"


@record(slots=True)
class Picture:
    """A PNG or JPEG on a line of its own: at ``width`` (twips) or its natural size, never
    wider than ``max_width``."""

    path: Path
    max_width: int
    width: int | None = None
    style: str = "BCHinh"


@record(slots=True)
class PageBreak:
    """The content after it starts on a new page."""


@record(slots=True)
class Section:
    """A run of pages with its own orientation and page numbering.

    ``restart``: numbers start again from 1 (an appendix, by the decree's
    default); ``title_page``: the section's first page shows no page number
    (the document's page 1 and each appendix's, Phụ lục I, mục I.7).
    """

    landscape: bool = False
    restart: bool = True
    title_page: bool = True


@record(slots=True)
class SectionBreak:
    """Ends the section before it; the pages after it are laid out as ``next``.

    Inside the body (a wide table on landscape pages in place), the next
    section continues the numbering and numbers its first page.
    """

    next: Section


Block = Paragraph | Rule | Table | Picture | PageBreak | SectionBreak


@record(slots=True)
class Footnote:
    """A footnote at the bottom of the page: its number and its paragraphs."""

    number: int
    paragraphs: tuple[Paragraph, ...]


# -- the parts of a document ---------------------------------------------------------------


@record(slots=True)
class Page:
    """Page margins in twips (the page itself is the decree's A4)."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def text_width(self) -> int:
        return mm(PAGE_MM[0]) - self.left - self.right

    @property
    def landscape_text_width(self) -> int:
        return mm(PAGE_MM[1]) - self.left - self.right


@record(slots=True)
class Sizes:
    """Font sizes (pt) that move together (Phụ lục I, footnote 1 of the Mục V table).

    The header set is Quốc hiệu 13 / Tiêu ngữ 14 / place-and-date 14, or
    12 / 13 / 13; agency names follow the Quốc hiệu (12–13 pt). The body is
    13 or 14 pt, and the title, trích yếu, signer and page number go with it.
    """

    body: int = nd30.points(nd30.BODY)
    quoc_hieu: int = nd30.points(nd30.QUOC_HIEU)

    @property
    def tieu_ngu(self) -> int:
        return self.quoc_hieu + 1

    def by_style(self) -> dict[str, int]:
        """Map each template style to its size."""
        header = dict.fromkeys((r.style for r in nd30.FOLLOW_QUOC_HIEU), self.quoc_hieu)
        header.update(dict.fromkeys((r.style for r in nd30.FOLLOW_TIEU_NGU), self.tieu_ngu))
        body = dict.fromkeys((r.style for r in nd30.FOLLOW_BODY), self.body)
        return {**header, **body}


@record(slots=True)
class Header:
    """Ô 1–4, 10 and 11: the agencies, Quốc hiệu and Tiêu ngữ, Số, place and date, marks.

    ``tokens``: the number and date are an e-office system's tokens, stamped at signing.
    """

    parent_agency: str
    agency: str
    agency_rule: Rule
    national_title: str
    motto: str
    motto_rule: Rule
    number: str
    place_date: str
    tokens: bool
    marks: tuple[Paragraph, ...]
    circulation: tuple[Paragraph, ...]
    columns: tuple[int, int] | None = None
    """The header table's columns (twips) when a long name widens the left one; None: the
    template's."""


@record(slots=True)
class Title:
    """Ô 5 and 9a: the type name, the trích yếu's lines and its rule, then Kính gửi."""

    type_name: str
    summary: tuple[str, ...]
    summary_rule: Rule
    addressees: tuple[Paragraph, ...]


@record(slots=True)
class Signer:
    """Ô 7: the authority and position lines, then the name under the signing space."""

    lines: tuple[str, ...]
    name: str
    below: tuple[str, ...] = ()
    """Lines under the signing space, above the name (``nguoi_ky.chuc_vu_duoi``)."""


@record(slots=True)
class Closing:
    """Ô 7, 9b, 12 and 13: the signer, Nơi nhận (punctuated), the contact lines."""

    signer: Signer
    recipients: tuple[str, ...]
    contact: tuple[str, ...]


@record(slots=True)
class Signature:
    """An appendix's own place-and-date line and signers side by side (seed 004).

    ``columns`` stand left to right, ``widths`` wide, each a signer's lines and
    name (empty: a column left blank); the date line stands above the last.
    """

    place_date: Paragraph | None
    columns: tuple[tuple[Paragraph, ...], ...]
    widths: tuple[int, ...]


@record(slots=True)
class Appendix:
    """A phụ lục on pages of its own (Mục III): its head lines, content and signature."""

    section: Section
    head: tuple[Paragraph | Rule, ...]
    blocks: tuple[Block, ...]
    signature: Signature | None


@record(slots=True)
class Document:
    """A whole document, every decision taken; ``data`` is the validated report as typed.

    ``data`` stays for a clerk's own template, which may print any field of
    the report (``{{ du_lieu.… }}``).
    """

    page: Page
    sizes: Sizes
    header: Header
    title: Title
    body: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    closing: Closing
    appendices: tuple[Appendix, ...]
    data: dict[str, Any]
    line_spacing: float | None = None
    """The body's line spacing in lines (``trinh_bay.gian_dong``); None: the template's."""

    @property
    def sections(self) -> tuple[Section, ...]:
        """The document's sections in order: its own, those its body breaks into, the appendices'."""
        breaks = (block.next for block in self.body if isinstance(block, SectionBreak))
        return (Section(), *breaks, *(appendix.section for appendix in self.appendices))
