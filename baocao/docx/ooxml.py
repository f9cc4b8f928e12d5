"""WordprocessingML fragments for the body: the only place that writes OOXML text.

The renderer builds the variable part of a document (sections, items,
tables, rules, pictures) as XML strings wrapped in ``Markup``, which Jinja's
autoescape passes through untouched. So the XML is well-formed by
construction, every string that goes into an element or an attribute here
passes through one function, ``escape_text`` (numbers are formatted as
integers); no other module formats a fragment. Formatting lives in the
template's named styles; this module only references them, so a custom
template restyles everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from baocao import _metrics
from baocao.markup import FOOTNOTE_MARK

TWIPS_PER_MM = 1440 / 25.4
FOOTNOTE_REFERENCE = "BCThamChieu"
"""Character style of footnote marks (superscript), defined by the template."""


@lru_cache(maxsize=1)
def _inline_parser() -> Any:
    """markdown-it with only ``*`` emphasis on; loaded when some text has a * (start-up time).

    The guide promises that ``**…**`` and ``*…*`` are the only markup: ``_``
    is no emphasis marker (``__init__.py``, ``_ABC_`` and ``KH_2021`` print
    as typed), no backslash escapes anything, and line breaks are not
    normalised, so every other character reaches the page as the clerk
    typed it.
    """
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import emphasis

    def asterisks_only(state: Any, silent: bool) -> bool:
        return state.src[state.pos] == "*" and emphasis.tokenize(state, silent)

    parser = MarkdownIt("zero").enable(["emphasis"]).disable(["normalize"])
    parser.inline.ruler.at("emphasis", asterisks_only)
    return parser


def mm(value: float) -> int:
    """Convert millimetres to twips (1/20 pt), Word's unit for lengths."""
    return round(value * TWIPS_PER_MM)


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Return the width of one line of Times New Roman text, in twips.

    Widths come from Liberation Serif, which shares Times New Roman's
    advance widths; unknown characters count as an average letter.
    """
    table = _metrics.BOLD if bold else _metrics.REGULAR
    units = sum(table.get(char, 500) for char in text)
    return round(units * size_pt * 20 / 1000)


@dataclass(frozen=True)
class Span:
    """A piece of text with emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@lru_cache(maxsize=4096)
def parse_inline(text: str) -> tuple[Span, ...]:
    """Split ``**bold**`` and ``*italic*`` markup into spans; other text is kept as typed.

    >>> parse_inline("**KH_2021** và __init__.py")
    (Span(text='KH_2021', bold=True, italic=False), Span(text=' và __init__.py', bold=False, italic=False))
    """
    if "*" not in text:
        return (Span(text),)
    spans: list[Span] = []
    bold = italic = 0
    for token in _inline_parser().parseInline(text)[0].children or ():
        if token.type == "strong_open":
            bold += 1
        elif token.type == "strong_close":
            bold -= 1
        elif token.type == "em_open":
            italic += 1
        elif token.type == "em_close":
            italic -= 1
        elif token.type in ("softbreak", "hardbreak"):
            spans.append(Span("\n", bool(bold), bool(italic)))
        elif token.content:
            spans.append(Span(token.content, bool(bold), bool(italic)))
    return tuple(spans)


ENTITIES = (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"), ("'", "&#39;"), ('"', "&#34;"))
"""markupsafe's escapes, in its order: the bytes stay those Jinja's autoescape would write."""


def escape_text(text: str) -> str:
    """Escape text for an XML element or a quoted attribute as ``markupsafe.escape`` does.

    The one escaping function of the writer. Five times faster per run than
    building a ``Markup``, which matters in the tens of thousands of runs of
    a long report.

    >>> escape_text('R&D <1> "a".png')
    'R&amp;D &lt;1&gt; &#34;a&#34;.png'
    """
    for char, entity in ENTITIES:
        if char in text:
            text = text.replace(char, entity)
    return text


def _text_xml(text: str) -> str:
    """Escape text for a run, turning line breaks and tabs into their elements."""
    if "\n" not in text and "\t" not in text:
        return f'<w:t xml:space="preserve">{escape_text(text)}</w:t>' if text else ""
    parts = []
    for index, line in enumerate(text.split("\n")):
        if index:
            parts.append("<w:br/>")
        for cell_index, piece in enumerate(line.split("\t")):
            if cell_index:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape_text(piece)}</w:t>')
    return "".join(parts)


def run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """Return one run of text; emphasis is direct formatting on top of the style."""
    props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{_text_xml(text)}</w:r>"


def runs(
    text: str, *, bold: bool = False, italic: bool = False, notes: Mapping[str, int] | None = None
) -> str:
    """Return the runs of ``text`` with emphasis applied and ``[^key]`` made footnote references.

    ``notes`` maps footnote keys to footnote ids; without it (or for an
    unknown key, which validation reports) a marker stays visible text.
    """
    if not notes or "[^" not in text:
        return _emphasis(text, bold, italic)
    out, last = [], 0
    for mark in FOOTNOTE_MARK.finditer(text):
        note = notes.get(mark.group(1))
        if note is None:
            continue
        out.append(_emphasis(text[last : mark.start()], bold, italic))
        out.append(footnote_reference(note))
        last = mark.end()
    out.append(_emphasis(text[last:], bold, italic))
    return "".join(out)


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    if not text:
        return ""
    return "".join(
        run(span.text, bold=bold or span.bold, italic=italic or span.italic)
        for span in parse_inline(text)
    )


def footnote_reference(note: int) -> str:
    """The superscript number in the text that points at footnote ``note``."""
    return (
        f'<w:r><w:rPr><w:rStyle w:val="{escape_text(FOOTNOTE_REFERENCE)}"/></w:rPr>'
        f'<w:footnoteReference w:id="{int(note)}"/></w:r>'
    )


def footnote(note: int, paragraphs: Sequence[str], style: str) -> str:
    """One footnote: its number mark, then its paragraphs (inline emphasis allowed)."""
    mark = f'<w:r><w:rPr><w:rStyle w:val="{escape_text(FOOTNOTE_REFERENCE)}"/></w:rPr><w:footnoteRef/></w:r>'
    body = []
    for index, text in enumerate(paragraphs):
        lead = mark + run(" ") if index == 0 else ""
        body.append(paragraph(style, lead + runs(text)))
    return f'<w:footnote w:id="{int(note)}">{"".join(body)}</w:footnote>'


def with_footnotes(part: bytes, notes: Sequence[str]) -> bytes:
    """Append footnote elements to a footnotes part that holds the separators."""
    text = part.decode("utf-8")
    end = text.rindex("</w:footnotes>")
    return (text[:end] + "".join(notes) + text[end:]).encode("utf-8")


def paragraph(
    style: str,
    content: str,
    *,
    align: str | None = None,
    keep_next: bool = False,
    space_before: int | None = None,
    indent: tuple[int, int | None] | None = None,
) -> str:
    """Return a paragraph in ``style`` holding already-built runs.

    ``indent`` is (left, right) in twips, right None for none, the first line
    flush; ``space_before`` (twips) overrides the style's. Properties come in
    the order the schema of ``w:pPr`` requires.
    """
    return f"<w:p>{_paragraph_properties(style, align, keep_next, space_before, indent)}{content}</w:p>"


@lru_cache(maxsize=1024)
def _paragraph_properties(
    style: str,
    align: str | None,
    keep_next: bool,
    space_before: int | None,
    indent: tuple[int, int | None] | None,
) -> str:
    """A paragraph's ``w:pPr``; a report uses a few dozen, so each is built once."""
    keep = "<w:keepNext/>" if keep_next else ""
    spacing = f'<w:spacing w:before="{int(space_before)}"/>' if space_before is not None else ""
    ind = ""
    if indent is not None:
        left, right = indent
        right_attr = f' w:right="{int(right)}"' if right is not None else ""
        ind = f'<w:ind w:left="{int(left)}"{right_attr} w:firstLine="0"/>'
    jc = f'<w:jc w:val="{escape_text(align)}"/>' if align else ""
    return f'<w:pPr><w:pStyle w:val="{escape_text(style)}"/>{keep}{spacing}{ind}{jc}</w:pPr>'


def rule(style: str, indent: int) -> Markup:
    """Return an empty paragraph whose top border draws a centred rule.

    ``indent`` (twips) is taken off both sides, so the rule's length is the
    cell or page width minus twice the indent.
    """
    return Markup(paragraph(style, "", indent=(indent, indent)))


PICTURE_NAMESPACES = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"',
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
)


def picture(cx: int, cy: int, number: int, name: str, rel: str) -> str:
    """Return the run that shows picture ``rel`` inline, ``cx`` × ``cy`` EMU.

    ``name`` is the picture's file name, kept in the drawing as Word does
    (its "alt text" pane shows it); like every other value it is escaped, so
    a file called ``R&D "mới".png`` still gives well-formed XML.
    """
    wp, a, pic, r = PICTURE_NAMESPACES
    cx, cy, number = int(cx), int(cy), int(number)
    return (
        f"<w:r><w:drawing><wp:inline {wp}>"
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{1000 + number}" name="Picture {number}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks {a} noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f"<a:graphic {a}>"
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<pic:pic {pic}>"
        f'<pic:nvPicPr><pic:cNvPr id="0" name="{escape_text(name)}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip {r} r:embed="{escape_text(rel)}"/>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>'
        "</w:drawing></w:r>"
    )


ALIGN = {"trai": "left", "giua": "center", "phai": "right", "deu": "both"}


@dataclass(frozen=True)
class Cell:
    """One table cell: text (with inline markup), alignment and merging.

    ``span`` is the number of grid columns it covers (gridSpan); ``merge`` is
    "restart" for the top of a vertical merge, "continue" for the cells
    under it (vMerge), None otherwise.
    """

    text: str = ""
    align: str = "left"
    span: int = 1
    merge: str | None = None
    bold: bool = False
    xml: str | None = None  # ready paragraphs, for cells that are not one text


@dataclass(frozen=True)
class TableRow:
    """A row of cells; header rows repeat at the top of every page."""

    cells: Sequence[Cell]
    header: bool = False


def table(
    rows: Iterable[TableRow],
    widths: Sequence[int],
    *,
    header_style: str,
    cell_style: str,
    notes: Mapping[str, int] | None = None,
    table_style: str = "BCBang",
) -> str:
    """Return a table (bordered by default) on a fixed grid of ``widths`` (twips)."""
    grid = "".join(f'<w:gridCol w:w="{int(w)}"/>' for w in widths)
    parts = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape_text(table_style)}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    for row in rows:
        parts.append(_row(row, widths, header_style if row.header else cell_style, notes))
    parts.append("</w:tbl>")
    return "".join(parts)


def _row(row: TableRow, widths: Sequence[int], style: str, notes: Mapping[str, int] | None) -> str:
    header = "<w:tblHeader/>" if row.header else ""
    cells = []
    column = 0
    for cell in row.cells:
        width = sum(widths[column : column + cell.span])
        column += cell.span
        span = f'<w:gridSpan w:val="{int(cell.span)}"/>' if cell.span > 1 else ""
        merge = (
            '<w:vMerge w:val="restart"/>'
            if cell.merge == "restart"
            else "<w:vMerge/>"
            if cell.merge == "continue"
            else ""
        )
        paragraphs = cell.xml or "".join(
            paragraph(style, runs(line, bold=cell.bold, notes=notes), align=cell.align)
            for line in (cell.text.split("\n\n") if cell.merge != "continue" else [""])
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{int(width)}" w:type="dxa"/>{span}{merge}'
            f'<w:vAlign w:val="center"/></w:tcPr>{paragraphs}</w:tc>'
        )
    return f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(cells)}</w:tr>"
