"""WordprocessingML element builders: runs, paragraphs, footnotes, drawings.

The writer (``write``) builds the variable part of a document from the model
with these. The XML is well-formed by construction: every string that goes
into an element or an attribute here passes through one function,
``escape_text`` (numbers are formatted as integers). Formatting lives in the
template's named styles; these builders only reference them, so a custom
template restyles everything.
"""

from __future__ import annotations

from collections.abc import Sequence

from baocao import memo

FOOTNOTE_REFERENCE = "BCThamChieu"
"""Character style of footnote marks (superscript), defined by the template."""


RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
)
"""``w:rPr``'s children in the order the schema requires (ECMA-376 Part 1, §17.3.2.28): where
an edit inserts a run property (``styles``, ``repair``)."""

PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
"""``w:pPr``'s children in the order the schema requires (ECMA-376 Part 1, §17.3.1.26): where
an edit inserts a paragraph property (``styles``, ``repair``)."""


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
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text:
        for char, entity in ENTITIES:  # most texts hold none: asked once, with no loop
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


def run(text: str, *, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    """Return one run of text; emphasis and size are direct formatting on top of the style."""
    start = (
        _run_start(bold, italic, size) if size is not None else _STARTS[bool(bold), bool(italic)]
    )
    if text and "\n" not in text and "\t" not in text:  # most runs: one text element
        return f'{start}<w:t xml:space="preserve">{escape_text(text)}</w:t></w:r>'
    return f"{start}{_text_xml(text)}</w:r>"


def _run_start(bold: bool, italic: bool, size: int | None) -> str:
    """A run's opening and properties."""
    props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
    props += font_size(size)
    return f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"


_STARTS = {
    (bold, italic): "<w:r><w:rPr>{}{}</w:rPr>".format(
        "<w:b/><w:bCs/>" if bold else "", "<w:i/><w:iCs/>" if italic else ""
    )
    if bold or italic
    else "<w:r>"
    for bold in (False, True)
    for italic in (False, True)
}
"""``_run_start`` at the style's size, built once: tens of thousands of runs in a long report."""


def font_size(size: int | None) -> str:
    """A run's size (pt) as direct formatting; nothing for the style's own."""
    if size is None:
        return ""
    return f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>'


def footnote_reference(note: int, size: int | None = None) -> str:
    """The superscript number in the text that points at footnote ``note``."""
    return (
        f'<w:r><w:rPr><w:rStyle w:val="{escape_text(FOOTNOTE_REFERENCE)}"/>{font_size(size)}</w:rPr>'
        f'<w:footnoteReference w:id="{int(note)}"/></w:r>'
    )


def footnote(note: int, paragraphs: Sequence[tuple[str, str]]) -> str:
    """One footnote: its number mark opening the first of its (style, runs) paragraphs."""
    mark = (
        f'<w:r><w:rPr><w:rStyle w:val="{escape_text(FOOTNOTE_REFERENCE)}"/></w:rPr>'
        "<w:footnoteRef/></w:r>"
    )
    body = []
    for index, (style, content) in enumerate(paragraphs):
        lead = mark + run(" ") if index == 0 else ""
        body.append(paragraph(style, lead + content))
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
    size: int | None = None,
) -> str:
    """Return a paragraph in ``style`` holding already-built runs.

    ``indent`` is (left, right) in twips, right None for none, the first line
    flush; ``space_before`` (twips) overrides the style's; ``size`` (pt) sets
    the paragraph mark's, so an empty cell is as tall as its text. Properties
    come in the order the schema of ``w:pPr`` requires.
    """
    props = _paragraph_properties(style, align, keep_next, space_before, indent)
    if size is not None:
        props = props.replace("</w:pPr>", f"<w:rPr>{font_size(size)}</w:rPr></w:pPr>")
    return f"<w:p>{props}{content}</w:p>"


def text_paragraph(
    style: str,
    text: str,
    bold: bool,
    italic: bool,
    align: str | None,
    keep_next: bool,
    space_before: int | None,
    indent: tuple[int, int | None] | None,
) -> str:
    """``paragraph`` holding one ``run`` at the style's size, in one step: the paragraphs and
    cells of a long report are tens of thousands of these."""
    props = _paragraph_properties(style, align, keep_next, space_before, indent)
    if text and "\n" not in text and "\t" not in text:
        start = _STARTS[bool(bold), bool(italic)]
        return f'<w:p>{props}{start}<w:t xml:space="preserve">{escape_text(text)}</w:t></w:r></w:p>'
    return f"<w:p>{props}{run(text, bold=bold, italic=italic)}</w:p>"


@memo.small(entries=1024, longest=0, size=2 * 2**20)
def _paragraph_properties(
    style: str,
    align: str | None,
    keep_next: bool,
    space_before: int | None,
    indent: tuple[int, int | None] | None,
) -> str:
    """A paragraph's ``w:pPr``; a report uses a few dozen, so each is built once.

    Its arguments are the writer's own: style names of nd30 (15 characters at
    most), alignments and twips; 1,024 entries are bounded in bytes by that.
    """
    keep = "<w:keepNext/>" if keep_next else ""
    spacing = f'<w:spacing w:before="{int(space_before)}"/>' if space_before is not None else ""
    ind = ""
    if indent is not None:
        left, right = indent
        right_attr = f' w:right="{int(right)}"' if right is not None else ""
        ind = f'<w:ind w:left="{int(left)}"{right_attr} w:firstLine="0"/>'
    jc = f'<w:jc w:val="{escape_text(align)}"/>' if align else ""
    return f'<w:pPr><w:pStyle w:val="{escape_text(style)}"/>{keep}{spacing}{ind}{jc}</w:pPr>'


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
