"""The read document: what reading a Word file recognised, in the model's terms.

The reverse direction of ``baocao.model``. Layout decides a whole ``Document``
and the writer prints it; reading (``baocao.docx.read`` for WordprocessingML,
``baocao.check.reading`` for the decree's elements) recognises what it can of
any .docx, ours or a clerk's, and gives it back as a ``ReadDocument``: a
partial document whose parts are named as the model's are (header: agency
lines, number, place and date, Quốc hiệu and Tiêu ngữ; title: type name and
trích yếu; body paragraphs; closing: Nơi nhận items and the signer's lines and
name). An element that was not found is None or empty.

Each read element carries what a judge needs: where it is (``At``: paragraph
in reading order, story part, table cell, line and tab column) and how it
looks (``Span``: the text of each run with its size, bold and italic as Word
resolves them through the styles; the paragraph's alignment, indents and
spacing). Frozen values, no XML: the checker's rules (``baocao.check.rules``)
judge only these, and an importer can take the text back into the model.
Lengths are twips, sizes points.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
"""Every dash Word or a clerk may type, as "-": to compare "Độc lập – Tự do" with the decree's."""


def norm(text: str) -> str:
    """NFC, every kind of space as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True, slots=True)
class At:
    """Where a read element is.

    ``paragraph`` counts the part's paragraphs in reading order from 0 (table
    cells and text boxes included; -1 where no one paragraph is meant);
    ``part`` is "body", "header", "footer", "footnotes" or "endnotes";
    ``cell`` is (row, column) of the innermost table cell holding it, counted
    from 0, and ``table`` that table's number in reading order, both None
    outside tables; ``line`` counts line breaks and ``column`` tabs within
    the paragraph.
    """

    paragraph: int
    part: str = "body"
    table: int | None = None
    cell: tuple[int, int] | None = None
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of text as Word shows it, with its run's resolved formatting.

    ``shown`` is in capitals where ``caps`` is on and empty where the run is
    hidden; ``label`` marks a list number Word draws before the text ("1.",
    "a)"), which has no run and so no formatting of its own.
    """

    text: str
    shown: str
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    caps: bool = False
    label: bool = False

    @property
    def visible(self) -> bool:
        """A run that holds visible text (not a label, not only spaces)."""
        return not self.label and bool(self.text.strip())


ENDNOTE = "endnote:"
"""Before an endnote's id in a note ``Mark``: baocao has footnotes only, the text is kept."""


@dataclass(frozen=True, slots=True)
class Mark:
    """What a paragraph holds besides text, ``offset`` characters into its typed text.

    ``kind`` is "picture" (``value``: its relationship id, then, in a ``Line``, the
    package part it names; ``width``: shown width in twips, 0 if not stated),
    "note" (``value``: the footnote's id) or "page" (a page break).
    """

    offset: int
    kind: str
    value: str = ""
    width: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a read element: a paragraph's text between tabs and line breaks.

    ``mark_size`` is the paragraph's own text size (what an empty line shows),
    ``align`` the paragraph's alignment (Word's value: left, center, both…),
    ``centred`` whether the line stands centred (a centred paragraph, or text
    after leading tabs that reach a centre stop), ``space_before`` the
    paragraph's space before (twips), ``paragraph_text`` its whole typed text.
    """

    at: At
    spans: tuple[Span, ...]
    mark_size: float
    align: str | None
    centred: bool
    space_before: float
    paragraph_text: str
    marks: tuple[Mark, ...] = ()
    """Pictures, footnote references and page breaks, at offsets into ``text`` (read only
    for whole paragraphs, for ``baocao import``)."""
    landscape: bool = False
    """The paragraph stands on landscape pages (whole paragraphs only)."""
    keep_next: bool = False
    """Word keeps the paragraph with the next (``w:keepNext``, a heading's mark; whole
    paragraphs only)."""

    @property
    def text(self) -> str:
        """The typed text, spaces as typed."""
        return "".join(span.text for span in self.spans)

    @property
    def clean(self) -> str:
        """The typed text, spaces collapsed."""
        return norm(self.text)

    @property
    def visible(self) -> str:
        """What Word shows, with inner spaces kept ("Số:      /BC-…" left blank)."""
        return unicodedata.normalize("NFC", "".join(s.shown for s in self.spans)).strip()

    @property
    def shown(self) -> str:
        """What Word shows, spaces collapsed: capitals where caps is on, no hidden text."""
        return norm("".join(s.shown for s in self.spans))

    @property
    def capitals(self) -> bool:
        shown = self.shown
        return any(c.isalpha() for c in shown) and shown == shown.upper()

    def runs(self, end: int | None = None) -> tuple[Span, ...]:
        """The spans holding visible text among the first ``end`` characters of ``text``."""
        if end is None:
            return tuple(s for s in self.spans if s.visible)
        out: list[Span] = []
        offset = 0
        for span in self.spans:
            if offset >= end:
                break
            if span.visible:
                out.append(span)
            offset += len(span.text)
        return tuple(out)

    def sizes(self, runs: Sequence[Span] | None = None) -> list[float]:
        """The font sizes (pt) of ``runs`` (default: every visible run), sorted; the
        paragraph's own size when there is no run."""
        chosen = self.runs() if runs is None else runs
        found = {span.size for span in chosen}
        return sorted(found) if found else [self.mark_size]

    def all_bold(self, runs: Sequence[Span] | None = None) -> bool:
        chosen = self.runs() if runs is None else runs
        return bool(chosen) and all(span.bold for span in chosen)

    def any_bold(self, runs: Sequence[Span] | None = None) -> bool:
        return any(span.bold for span in (self.runs() if runs is None else runs))

    def all_italic(self, runs: Sequence[Span] | None = None) -> bool:
        chosen = self.runs() if runs is None else runs
        return bool(chosen) and all(span.italic for span in chosen)

    def any_italic(self, runs: Sequence[Span] | None = None) -> bool:
        return any(span.italic for span in (self.runs() if runs is None else runs))


RuleKind = str
"""How a rule is drawn under a header element: "border", "shape" or "underscores"."""


@dataclass(frozen=True, slots=True)
class Kind:
    """A document type as reading looks for it: its bundle, type name and layout."""

    template: str
    type_name: str
    prose: str
    letter: bool
    """A công văn: no type name, the trích yếu "V/v …" under the number."""
    summary: bool = True
    """The type carries a trích yếu under its name (a giấy giới thiệu does not)."""
    bundled: bool = True
    """baocao has a bundle of this name (else a type the decree names, ``nd30.DOCUMENT_TYPES``,
    checked on the common rules)."""


# -- the parts, as the model divides a document ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadHeader:
    """Ô 1–4: what was found of the header.

    ``agency`` is the issuing agency's lines (the bold group at the bottom of
    ô 2), ``parent_agency`` the lines above them; ``number_rest`` is the rest
    of the number's line when "Số:" stands alone in a tab column. Each rule
    (``*_rule``) says how the line under the element is drawn, None for none.
    """

    parent_agency: tuple[Line, ...] = ()
    agency: tuple[Line, ...] = ()
    agency_rule: RuleKind | None = None
    national_title: Line | None = None
    motto: Line | None = None
    motto_rule: RuleKind | None = None
    number: Line | None = None
    number_rest: tuple[Line, ...] = ()
    place_date: Line | None = None
    agency_rule_span: tuple[float, float] | None = None
    """Where the rule under the agency starts and ends (twips from the left margin): a
    drawn line as Word places it from its anchor and offsets, a border across its
    paragraph or cell; None for underscores or no rule."""
    motto_rule_span: tuple[float, float] | None = None
    """The same for the rule under the Tiêu ngữ."""
    agency_text_span: tuple[float, float] | None = None
    """Where the agency's longest line stands (twips from the left margin, measured
    in Times New Roman, at most its column): what its rule is judged against."""
    motto_text_span: tuple[float, float] | None = None
    """The same for the Tiêu ngữ."""


@dataclass(frozen=True, slots=True)
class ReadTitle:
    """Ô 5: the type checked for and its title block.

    ``kind`` is the type given (``forced``) or recognised, None if neither;
    a công văn has no ``type_name`` but a ``letter_summary`` ("V/v …" lines),
    ``under_number`` when it stands under "Số:"; ``stray_type_name`` is a type
    name found in a công văn, which should have none.
    """

    kind: Kind | None = None
    forced: bool = False
    type_name: Line | None = None
    summary: tuple[Line, ...] = ()
    summary_rule: RuleKind | None = None
    letter_summary: tuple[Line, ...] = ()
    under_number: bool = False
    stray_type_name: Line | None = None
    summary_rule_span: tuple[float, float] | None = None
    """Where the rule under the trích yếu starts and ends (see ``ReadHeader``)."""
    summary_text_span: tuple[float, float] | None = None
    """Where the trích yếu's longest line stands (see ``ReadHeader.agency_text_span``)."""


@dataclass(frozen=True, slots=True)
class BodyParagraph:
    """A paragraph of body text (ô 6) and the formatting Word gives it.

    ``sizes`` are the distinct sizes of its runs (empty without runs),
    ``characters`` how many visible characters each size holds; ``first_line``
    is the first-line indent (negative: hanging); ``space_before`` and
    ``space_after`` are what Word leaves (contextual spacing between
    paragraphs of one style taken out); ``line`` is (value, rule) of the line
    spacing as Word stores it (rule "auto": 240ths of a line; else twips).
    """

    at: At
    text: str
    style: str
    sizes: tuple[float, ...]
    characters: tuple[tuple[float, int], ...]
    mark_size: float
    align: str | None
    first_line: float
    space_before: float
    space_after: float
    line: tuple[float, str]


@dataclass(frozen=True, slots=True)
class Numbered:
    """A body paragraph outside tables as numbered text: its list label and text."""

    at: At
    text: str
    """The label Word draws and the typed text, spaces collapsed."""
    typed: str
    """The typed text alone."""


@dataclass(frozen=True, slots=True)
class Signer:
    """Ô 7: the authority and position lines, then the name (None: left to sign)."""

    lines: tuple[Line, ...] = ()
    name: Line | None = None
    below: tuple[Line, ...] = ()
    """Lines under the signing space, above the name (a rank, a second title)."""


@dataclass(frozen=True, slots=True)
class ReadClosing:
    """Ô 7 and 9b: the signer, the "Nơi nhận:" label and its items."""

    signer: Signer = Signer()
    recipients_label: Line | None = None
    recipients: tuple[Line, ...] = ()
    addressed: bool = False
    """The document has a "Kính gửi:" line before Nơi nhận (a công văn, a tờ trình…)."""


@dataclass(frozen=True, slots=True)
class ReadPage:
    """The first section's page: size and margins in twips, as stored or Word's defaults."""

    width: float
    height: float
    landscape: bool
    """The page says it is landscape (``w:orient``)."""
    top: float
    bottom: float
    left: float
    right: float
    gutter: float


@dataclass(frozen=True, slots=True)
class PageField:
    """A paragraph holding the PAGE field: its text, alignment and sizes (pt)."""

    text: str
    align: str | None
    sizes: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PageNumbers:
    """Where the page numbers are (PL I, mục I.7), for the first section.

    ``header`` is the first PAGE paragraph of the default header. What was
    not needed to place the number is not read: ``in_footer`` only without
    one in the header, ``pages`` (the count the last program saved) only
    when it is in neither, ``even_header`` only with even-and-odd headers. A count
    the file states is not taken on trust: see ``counted_by``.
    """

    header: PageField | None
    in_footer: bool
    pages: int | None
    title_page: bool
    even_odd: bool
    even_header: bool
    """The even pages' header holds the PAGE field."""
    first_header: bool
    """The first page's header holds the PAGE field (it should show none)."""
    counted_by: str = "file"
    """Where ``pages`` comes from: "file" (docProps' count), "estimate" (reading's own
    estimate from the text, when the file's count is absent or says one page against
    it) or "libreoffice" (a PDF made to count them, ``--chinh-xac``)."""


@dataclass(frozen=True, slots=True)
class RunFonts:
    """The fonts of one run with text, any story: those of the slots its text uses
    (ASCII first, then other Latin letters such as Vietnamese ones)."""

    at: At
    text: str
    """The paragraph's typed text, to show where."""
    fonts: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class ReadAppendix:
    """A phụ lục after the closing (Mục III), by its head: ``label`` ("Phụ lục I"),
    ``title`` (bold, centred), ``reference`` ("(Kèm theo … số … ngày …)") and the
    centred ``lines`` under them; ``landscape`` when its pages are."""

    at: At
    label: Line | None
    title: tuple[Line, ...]
    reference: Line | None
    lines: tuple[Line, ...]
    landscape: bool
    numbered_on: bool = False
    """Its pages are numbered on from the text before (no restart of the page numbers)."""


@dataclass(frozen=True, slots=True)
class ReadNote:
    """A footnote the body cites: its id and its paragraphs, each one whole ``Line``."""

    id: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class ReadCell:
    """One ``w:tc`` of a read table, placed on the table's grid.

    ``row`` and ``index`` are where ``At.cell`` finds it (its row, its place among
    the row's cells); ``column`` is its first grid column (after ``w:gridBefore``
    and the spans to its left), ``columns`` the grid columns it spans
    (``w:gridSpan``) and ``rows`` the rows it covers (``w:vMerge`` restart and the
    continuing cells under it). ``continued`` marks a cell that continues a merge
    from above (Word shows nothing of its own); ``nested`` a cell holding a table.
    """

    row: int
    index: int
    column: int
    columns: int = 1
    rows: int = 1
    continued: bool = False
    nested: bool = False


@dataclass(frozen=True, slots=True)
class ReadTable:
    """A table's real structure, for an importer: what ``At.table`` numbers.

    ``widths`` are the grid's columns (``w:tblGrid``, twips); ``header_rows``
    the leading rows Word repeats on each page (``w:tblHeader``); ``parent``
    the table it is nested in (None at the top); ``bordered`` whether it
    draws borders (its own, its style's or its cells'): a data table, not a
    layout grid; ``landscape`` whether its page is.
    """

    number: int
    widths: tuple[float, ...]
    rows: int
    header_rows: int
    cells: tuple[ReadCell, ...]
    parent: int | None = None
    bordered: bool = False
    landscape: bool = False


@dataclass(frozen=True, slots=True)
class Outside:
    """What reading did to the text, or left out of it, for ``baocao import``'s warnings."""

    legacy_runs: int = 0
    """Runs typed in TCVN3 or VNI fonts, read as Unicode."""
    legacy_first: int | None = None
    """The index of the first body paragraph holding one of them."""
    revisions: int = 0
    """Tracked changes, read as accepted (insertions kept, deletions left out)."""
    comments: int = 0
    """Comments in the margin, not read."""
    text_boxes: int = 0
    """Text boxes, read as paragraphs after the one they are anchored in."""
    legacy_encodings: tuple[str, ...] = ()
    """The legacy encodings met ("tcvn3", "vni")."""


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """What reading recognised in one .docx: a partial document, in the model's parts.

    ``kinds`` are the types looked for; ``page`` and ``page_numbers`` are
    None for a document without section properties; ``fonts`` holds every
    run of every story (body, headers, footers, notes); ``appendices`` are
    the phụ lục recognised after the closing.
    """

    name: str
    kinds: tuple[Kind, ...]
    page: ReadPage | None
    header: ReadHeader
    title: ReadTitle
    body: tuple[BodyParagraph, ...]
    numbered: tuple[Numbered, ...]
    closing: ReadClosing
    fonts: tuple[RunFonts, ...]
    page_numbers: PageNumbers | None
    appendices: tuple[ReadAppendix, ...] = ()
    later_pages: tuple[ReadPage, ...] = ()
    """The pages of the sections after the first (a Phụ lục's), in order: their
    margins are the decree's too."""
    content: tuple[Line, ...] = ()
    """Read only when asked (``baocao.check.read(…, whole=True)``, for ``baocao import``).
    Every paragraph between the title block and Nơi nhận in reading order, table
    cells' included (empty ones too, so a table's grid stays whole), each as one
    ``Line`` holding the whole paragraph (its list label as a ``label`` span, tabs
    and line breaks in its text): what an importer takes back, word for word."""
    head: tuple[Line, ...] = ()
    """The same for every paragraph before the body (header and title block), to find
    there what the header's finders missed."""
    tail: tuple[Line, ...] = ()
    """The same for every paragraph after the closing (Nơi nhận and the signer),
    where the appendices stand."""
    media: tuple[tuple[str, bytes], ...] = ()
    """The pictures whole paragraphs show: (package part name, bytes as stored), each once."""
    notes: tuple[ReadNote, ...] = ()
    """The footnotes whole paragraphs cite, in order of first citation."""
    tables: tuple[ReadTable, ...] = ()
    """Read only when asked (``whole=True``): every table of the body, nested ones
    too, in the order ``At.table`` numbers them, with its grid and merged cells."""
    outside: Outside | None = None
    """Read only when asked (``whole=True``): what an importer must tell the clerk about,
    beyond the text (legacy runs converted, tracked changes, comments, text boxes)."""
