"""Read any .docx the way Word shows it: text, styles, effective formatting, sections.

The one module that parses WordprocessingML (lxml and zipfile, nothing else);
``baocao.check`` and the tests read documents through it. It works on our own
output and on a clerk's Word file alike, so nothing here assumes our styles.

Run properties are resolved as Word does (ECMA-376 Part 1, §17.7.2):
direct run formatting, then the character style (``w:rStyle``) and its
``basedOn`` chain, then the paragraph style and its chain, then the table
style of the enclosing table, then the document defaults
(``w:docDefaults``). Each attribute of ``w:rFonts`` is inherited on its own,
and theme fonts (``w:asciiTheme="minorHAnsi"``) are looked up in the theme.
Toggle properties (``w:b``, ``w:i``, ``w:caps``…) honour ``w:val="0"`` and
``"false"``; across the style levels they toggle rather than override
(§17.7.3): bold in the paragraph style and bold again in the character style
give regular text, as in Word. Paragraph properties follow the same levels
without the character style, attribute by attribute (a direct
``<w:spacing w:before="0"/>`` keeps the style's line spacing).

Paragraphs come in reading order, table cells included; text inside text
boxes belongs to its own paragraphs, and the VML copy that Word keeps for old
readers (``mc:Fallback``) is skipped so nothing is read twice. Automatic list
numbers (``numbering.xml``) are computed, so a label that Word draws but the
text does not hold ("a)", "1.") is still seen.

A file that is not a readable .docx raises ``InputError`` (exit code 3), and
so does a file beyond the reader's bounds: a .docx is read only from a regular
file (a FIFO would block ``open`` for good, ``/dev/zero`` never ends), and its
XML parts are inflated and parsed in small steps under limits on their size,
element count and nesting (``MAX_PART``, ``MAX_UNPACKED``, ``MAX_ELEMENTS``,
``MAX_PARAGRAPHS``, ``MAX_DEPTH``; ``MAX_ENTRIES``, ``MAX_STYLE_CHAIN``), so a zip bomb is refused after a bounded amount of work
whatever its headers claim. ``Docx.deadline`` bounds the time spent reading
formatting, for ``baocao.check``'s wall-clock budget.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lxml import etree

from baocao import memo
from baocao.errors import InputError, Location
from baocao.readmodel import ENDNOTE, Mark, ReadCell, ReadPage, ReadTable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {
    "w": W,
    "r": R,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

MIB = 1024 * 1024

MAX_FILE = 50 * MIB
"""Largest .docx read (bytes): a report with pictures stays well below."""

MAX_PART = 32 * MIB
"""Largest XML part inflated (bytes). The largest in our real documents (57 pages, a
100-row table) is 0.9 MB. A picture is read (for ``baocao import`` only) up to this size too."""

MAX_UNPACKED = 64 * MIB
"""Most XML inflated from one .docx, all parts together (bytes); real ones: under 1 MB."""

MAX_MEDIA = 128 * MIB
"""Pictures read for ``baocao import``, all together: a report's photographs pass, a
bomb of pictures stops (those past it are reported unreadable, the text still comes)."""

MAX_ELEMENTS = 300_000
"""Most XML elements in one .docx, all parts together. Our largest real one has
26,000 (a 57-page report: 22,000); a zip bomb of empty paragraphs has millions."""

MAX_PARAGRAPHS = 50_000
"""Most paragraphs (``w:p``, table cells' included) in one .docx, all parts together.
Our largest real one has 935; each costs the rules some 20 µs and 1 KB."""

MAX_DEPTH = 200
"""Deepest nesting of XML elements. Real documents: 20; each nested table adds 4."""

MAX_ENTRIES = 10_000
"""Most files in the zip. Real documents hold 11 to 24 (a picture adds one); zipfile
reads every entry's header at once, 450,000 of them took 300 MB."""

MAX_STYLE_CHAIN = 50
"""Longest chain of styles based on one another. Real documents: 2 (Heading 1 on Normal);
each paragraph walks its style's chain, so a chain of thousands made the check quadratic."""

_CHUNK = 4096
"""Bytes inflated and parsed per step. Small enough that one step cannot nest past
libxml2's own limit (2,048 levels) before ``MAX_DEPTH`` is seen: 3 bytes a level."""

_BROKEN = (
    etree.XMLSyntaxError,
    zipfile.BadZipFile,
    zlib.error,  # damaged deflate data
    EOFError,  # the zip ends inside a part
    NotImplementedError,  # a compression method zipfile lacks
    RuntimeError,  # an encrypted part
    OSError,
    ValueError,
)
"""What zipfile and lxml raise for a damaged or foreign part."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
"""Open without waiting (a FIFO with no writer blocks a plain open), bytes as they are."""

WORD_DEFAULT_FONT = "Times New Roman"
"""What Word uses when no level names a font at all."""

WORD_DEFAULT_SIZE = 10.0
"""Font size (pt) when no level sets ``w:sz`` (the schema's default, 20 half-points)."""

Element = Any
"""An lxml element (lxml ships no type information)."""


@memo.small(entries=512, longest=0, size=2**20)
def q(tag: str) -> str:
    """Turn ``"w:p"`` into lxml's ``"{namespace}p"`` (the tags are the reader's own literals)."""
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def on(element: Element | None) -> bool | None:
    """Value of a toggle property (<w:b/>, <w:b w:val="0"/>), None when absent."""
    if element is None:
        return None
    return str(element.get(q("w:val"), "true")).lower() not in ("0", "false", "off")


_UNITS = {"mm": 1440 / 25.4, "cm": 1440 / 2.54, "in": 1440.0, "pt": 20.0, "pc": 240.0, "pi": 240.0}


def measure(value: str | None) -> float | None:
    """Read a length attribute in twips: ``"1134"``, or ``"2cm"``/``"10pt"`` (ISO 29500 strict)."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(-?[0-9]{1,12}(?:\.[0-9]{0,6})?)(mm|cm|in|pt|pc|pi)?\s*", value)
    if match is None:
        return None
    number = float(match.group(1))
    return number * _UNITS[match.group(2)] if match.group(2) else number


# What a run holds, as text: tabs and breaks matter for reading lines.
_TEXT = q("w:t")
_TAB = q("w:tab")
_PTAB = q("w:ptab")
_BREAKS = {q("w:br"), q("w:cr")}
_PARAGRAPH = q("w:p")
_HYPHEN = q("w:noBreakHyphen")
_CONTENT = {_TEXT, _TAB, _PTAB, _HYPHEN, *_BREAKS}
# Containers whose content is not this paragraph's shown text: a nested
# paragraph (text box), the VML copy of a drawing, deleted or moved-away text.
_SKIP = {q("w:p"), q("mc:Fallback"), q("w:del"), q("w:moveFrom"), q("w:instrText")}


_NOTE_REFERENCE = q("w:footnoteReference")
_ENDNOTE_REFERENCE = q("w:endnoteReference")
_DRAWING = q("w:drawing")
_MARK_TAGS = (_NOTE_REFERENCE, _ENDNOTE_REFERENCE, _DRAWING, q("w:pict"), q("w:object"), q("w:br"))
_MARKED = {*_CONTENT, *_MARK_TAGS}
"""What ``Para.marks`` walks: text (to count offsets) and what stands between it."""


def _pictures_in(node: Element) -> list[tuple[str, float]]:
    """The pictures a ``w:drawing``, ``w:pict`` or ``w:object`` shows: (relationship id,
    shown width in twips, 0 when not stated). Shapes without a picture (the rule under
    a header, a text box) give none."""
    out: list[tuple[str, float]] = []
    if node.tag == _DRAWING:
        extent = node.find("*/wp:extent", NS)
        cx = extent.get("cx") if extent is not None else None
        width = int(cx) / 635 if cx is not None and cx.isdigit() else 0.0  # EMU → twips
        for blip in node.iterfind(".//pic:pic/pic:blipFill/a:blip", NS):
            rel = blip.get(q("r:embed"))
            if rel:
                out.append((str(rel), width))
        return out
    for image in node.iterfind(".//v:imagedata", NS):
        rel = image.get(q("r:id")) or image.get(q("r:pict"))
        if not rel:
            continue
        shape = image.getparent()
        style = str(shape.get("style", "")) if shape is not None else ""
        found = re.search(r"(?:^|;)\s*width\s*:\s*([0-9.]+\s*[a-z]*)", style)
        stated = measure(found.group(1).replace(" ", "")) if found is not None else None
        out.append((str(rel), stated or 0.0))
    return out


def _own(element: Element, tags: set[str]) -> Iterator[Element]:
    """Yield descendants with a tag in ``tags`` that belong to ``element`` itself."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in tags:
            yield child
        elif tag not in _SKIP:
            yield from _own(child, tags)


def _all_paragraphs(root: Element) -> Iterator[Element]:
    """Every w:p under ``root`` in document order, without the mc:Fallback copies."""
    fallback = q("mc:Fallback")
    paragraph = q("w:p")
    stack = list(reversed(list(root)))
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag == fallback:
            continue
        if tag == paragraph:
            yield node
        stack.extend(reversed(list(node)))


@dataclass(eq=False)
class Para:
    """One paragraph and what Word shows of it."""

    element: Element
    doc: Docx
    index: int = -1
    """Position among the document body's paragraphs (0-based); -1 in headers and notes."""
    _plain: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False)
    """Answers for runs without formatting of their own, found once (``_unformatted``)."""

    # -- text ------------------------------------------------------------------

    def pieces(self) -> list[tuple[Element, str]]:
        """The text of each run in order: ``(run, text)``, with "\\t" and "\\n" kept apart."""
        return list(self._pieces)

    @cached_property
    def _pieces(self) -> tuple[tuple[Element, str], ...]:
        """Read once: the rules ask for a paragraph's text many times."""
        self.doc.tick()
        out: list[tuple[Element, str]] = []
        for run in _own(self.element, {q("w:r")}):
            for node in _own(run, _CONTENT):
                if node.tag == _TEXT:
                    if node.text:
                        out.append((run, node.text))
                elif node.tag in (_TAB, _PTAB):
                    out.append((run, "\t"))
                elif node.tag == _HYPHEN:
                    out.append((run, "-"))
                elif node.get(q("w:type")) in (None, "textWrapping", "page", "column"):
                    out.append((run, "\n"))
        return self._unicode(tuple(out)) if self.doc.legacy else tuple(out)

    def _unicode(self, pieces: tuple[tuple[Element, str], ...]) -> tuple[tuple[Element, str], ...]:
        """``pieces`` with the text of runs typed in TCVN3 or VNI in Unicode, noted in
        ``Docx.converted``. The font is the run's own as Word resolves it: a style that
        names ``.VnTime`` under runs set in Times New Roman converts nothing."""
        from baocao.legacy import convert_runs, may_change

        if not any(may_change(text) for _, text in pieces):
            return pieces  # most paragraphs: their fonts need not be looked up
        known: dict[int, tuple[str | None, str | None]] = {}
        for run, _ in pieces:
            if id(run) not in known:
                known[id(run)] = (self.run_font(run, "ascii"), self.run_font(run, "hAnsi"))
        fonts = [known[id(run)] for run, _ in pieces]
        converted = convert_runs((text, f) for (_, text), f in zip(pieces, fonts, strict=True))
        if not converted.count:
            return pieces
        changed = {
            id(run) for (run, text), new in zip(pieces, converted.texts, strict=True) if new != text
        }
        self.doc.converted[self.element] = (len(changed), self.index, converted.encodings)
        return tuple((run, new) for (run, _), new in zip(pieces, converted.texts, strict=True))

    @property
    def text(self) -> str:
        """The typed text (tabs as "\\t", line breaks as "\\n")."""
        return "".join(text for _, text in self._pieces)

    def shown(self, run: Element, text: str) -> str:
        """How ``text`` of ``run`` appears: in capitals when caps is on, empty when hidden."""
        if self.toggle(run, "vanish"):
            return ""
        return text.upper() if self.toggle(run, "caps") else text

    @property
    def shown_text(self) -> str:
        return "".join(self.shown(run, text) for run, text in self._pieces)

    @property
    def label(self) -> str:
        """The automatic list label Word draws before the text ("a)", "1.", "-"), or ""."""
        if self.index < 0:
            return ""
        return self.doc.labels[self.index]

    def marks(self) -> tuple[Mark, ...]:
        """What the paragraph holds besides text, at its offset in ``text``: pictures
        (a DrawingML ``pic:pic`` or a VML ``v:imagedata``; a drawn line is no picture),
        footnote references, page breaks (``w:br w:type="page"``; ``pageBreakBefore``
        at offset 0)."""
        out: list[Mark] = []
        if self.break_before():
            out.append(Mark(0, "page"))
        if next(self.element.iter(*_MARK_TAGS), None) is None:  # most paragraphs: text only
            return tuple(out)
        offset = 0
        for run in _own(self.element, {q("w:r")}):
            for node in _own(run, _MARKED):
                tag = node.tag
                if tag == _TEXT:
                    offset += len(node.text or "")
                elif tag in (_TAB, _PTAB, _HYPHEN):
                    offset += 1
                elif tag in _BREAKS:
                    kind = node.get(q("w:type"))
                    if kind == "page":
                        out.append(Mark(offset, "page"))
                    if kind in (None, "textWrapping", "page", "column"):
                        offset += 1
                elif tag == _NOTE_REFERENCE:
                    out.append(Mark(offset, "note", str(node.get(q("w:id"), ""))))
                elif tag == _ENDNOTE_REFERENCE:
                    out.append(Mark(offset, "note", ENDNOTE + str(node.get(q("w:id"), ""))))
                else:
                    out += [
                        Mark(offset, "picture", rel, width) for rel, width in _pictures_in(node)
                    ]
        return tuple(out)

    def break_before(self) -> bool:
        """``pageBreakBefore`` outside tables: direct, else the style's (found once a style)."""
        if self.in_table:
            return False
        direct = self._direct_ppr
        found = direct.find("w:pageBreakBefore", NS) if direct is not None else None
        if found is not None:
            return bool(on(found))
        known = self.doc._breaks_before
        if self.style not in known:
            levels = [*self.doc.style_parts(self.style, "w:pPr")]
            if self.doc.default_ppr is not None:
                levels.append(self.doc.default_ppr)
            hits = (level.find("w:pageBreakBefore", NS) for level in levels)
            known[self.style] = bool(on(next((h for h in hits if h is not None), None)))
        return known[self.style]

    # -- where it is -----------------------------------------------------------

    @cached_property
    def _direct_ppr(self) -> Element | None:
        """The paragraph's own pPr, found once (without one, ``find`` walks every run)."""
        return self.element.find("w:pPr", NS)

    @cached_property
    def style(self) -> str:
        direct = self._direct_ppr
        found = direct.find("w:pStyle", NS) if direct is not None else None
        if found is not None:
            return str(found.get(q("w:val")))
        return self.doc.default_style("paragraph") or "Normal"

    @property
    def in_table(self) -> bool:
        return self.table is not None

    @cached_property
    def table(self) -> Element | None:
        """The innermost table holding this paragraph."""
        for ancestor in self.element.iterancestors(q("w:tbl")):
            return ancestor
        return None

    @property
    def cell(self) -> Element | None:
        """The innermost table cell holding this paragraph."""
        for ancestor in self.element.iterancestors(q("w:tc")):
            return ancestor
        return None

    # -- paragraph properties --------------------------------------------------

    def _ppr_levels(self) -> Iterator[Element]:
        self.doc.tick()
        direct = self._direct_ppr
        if direct is not None:
            yield direct
        yield from self.doc.style_parts(self.style, "w:pPr")
        yield from self.doc.table_style_parts(self.table, "w:pPr")
        default = self.doc.default_ppr
        if default is not None:
            yield default

    def ppr(self, path: str) -> Element | None:
        """First match of ``path`` in the direct pPr, then the styles, then the defaults."""
        for level in self._ppr_levels():
            found = level.find(path, NS)
            if found is not None:
                return found
        return None

    def pattr(self, path: str, attr: str) -> str | None:
        """The effective ``attr`` of ``path`` (each attribute inherits on its own)."""
        for level in self._ppr_levels():
            found = level.find(path, NS)
            if found is not None and found.get(q(attr)) is not None:
                return str(found.get(q(attr)))
        return None

    def twips(self, path: str, attr: str) -> int | None:
        value = measure(self.pattr(path, attr))
        return round(value) if value is not None else None

    @property
    def align(self) -> str | None:
        return self.pattr("w:jc", "w:val")

    def first_line(self) -> float:
        """First-line indent in twips (negative for a hanging indent)."""
        for level in self._ppr_levels():
            ind = level.find("w:ind", NS)
            if ind is None:
                continue
            for attr, sign in (("w:hangingChars", -1), ("w:firstLineChars", 1)):
                chars = measure(ind.get(q(attr)))
                if chars:
                    return sign * chars / 100 * self.mark_size() * 20
            for attr, sign in (("w:hanging", -1), ("w:firstLine", 1)):
                value = measure(ind.get(q(attr)))
                if value is not None:
                    return sign * value
        return 0.0

    def border(self, side: str) -> bool:
        """Whether the paragraph draws a border on ``side`` ("top", "bottom"…)."""
        found = self.ppr(f"w:pBdr/w:{side}")
        return found is not None and found.get(q("w:val")) not in (None, "nil", "none")

    def tab_stops(self) -> list[tuple[float, str]]:
        """Custom tab stops as ``(position in twips, kind)``, left to right.

        Stops add up across the levels (defaults, style chain, direct
        formatting); a ``w:val="clear"`` stop at a lower level removes the one
        set above it at the same position.
        """
        stops: dict[float, str] = {}
        for level in reversed(list(self._ppr_levels())):
            for tab in level.findall("w:tabs/w:tab", NS):
                position = measure(tab.get(q("w:pos")))
                if position is None:
                    continue
                kind = str(tab.get(q("w:val"), "left"))
                if kind == "clear":
                    stops.pop(position, None)
                else:
                    stops[position] = kind
        return sorted(stops.items())

    def line_spacing(self) -> tuple[float, str]:
        """``(w:line, w:lineRule)`` from the first level that sets the line; single by default."""
        for level in self._ppr_levels():
            spacing = level.find("w:spacing", NS)
            if spacing is not None and spacing.get(q("w:line")) is not None:
                value = measure(spacing.get(q("w:line"))) or 240.0
                return value, str(spacing.get(q("w:lineRule"), "auto"))
        return 240.0, "auto"

    def spacing(self, side: str) -> float:
        """Space before or after (``side`` "before"/"after") in twips, whatever the unit used."""
        for level in self._ppr_levels():
            spacing = level.find("w:spacing", NS)
            if spacing is None:
                continue
            if on_value(spacing.get(q(f"w:{side}Autospacing"))):
                return 280.0  # HTML-style automatic spacing: 14 pt in Word
            lines = measure(spacing.get(q(f"w:{side}Lines")))
            if lines is not None:
                return lines / 100 * 240
            value = measure(spacing.get(q(f"w:{side}")))
            if value is not None:
                return value
        return 0.0

    # -- run properties --------------------------------------------------------

    def _rpr_levels(self, run: Element | None) -> Iterator[tuple[str, Element]]:
        """Run property sources, most specific first: (level name, rPr element)."""
        self.doc.tick()
        if run is not None:
            direct = self.doc.run_properties(run)
            if direct is not None:
                yield "direct", direct
            char_style = direct.find("w:rStyle", NS) if direct is not None else None
            if char_style is not None:
                for part in self.doc.style_parts(str(char_style.get(q("w:val"))), "w:rPr"):
                    yield "character", part
        for part in self.doc.style_parts(self.style, "w:rPr"):
            yield "paragraph", part
        for part in self.doc.table_style_parts(self.table, "w:rPr"):
            yield "table", part
        default = self.doc.default_rpr
        if default is not None:
            yield "default", default

    def runs(self) -> list[Element]:
        """The runs holding text, in order."""
        return list(self._runs)

    @cached_property
    def _runs(self) -> tuple[Element, ...]:
        return tuple(r for r in _own(self.element, {q("w:r")}) if r.find("w:t", NS) is not None)

    def _unformatted(self, run: Element | None) -> bool:
        """Whether ``run`` has no rPr: it then reads as the paragraph's text (``run=None``),
        and the answer is kept, as a long paragraph's runs often all ask the same."""
        return run is not None and self.doc.run_properties(run) is None

    def rpr(self, run: Element | None, path: str) -> Element | None:
        """First match of ``path`` for ``run``: direct, character style, paragraph style…"""
        if self._unformatted(run):
            key = ("rpr", path)
            if key not in self._plain:
                self._plain[key] = self.rpr(None, path)
            return self._plain[key]
        for _, level in self._rpr_levels(run):
            found = level.find(path, NS)
            if found is not None:
                return found
        return None

    def toggle(self, run: Element | None, name: str) -> bool:
        """Whether toggle property ``name`` ("b", "i", "caps"…) is on for ``run``.

        Direct formatting decides outright; otherwise the defaults give the
        start value and each style level (table, paragraph, character) that
        turns the property on flips it (ECMA-376 Part 1, §17.7.3).
        """
        if self._unformatted(run):
            key = ("toggle", name)
            if key not in self._plain:
                self._plain[key] = self.toggle(None, name)
            return bool(self._plain[key])
        path = f"w:{name}"
        value = False
        flips: dict[str, bool] = {}
        for level, part in self._rpr_levels(run):
            found = part.find(path, NS)
            if found is None:
                continue
            if level == "direct":
                return bool(on(found))
            if level == "default":
                value = bool(on(found))
            else:
                flips.setdefault(level, bool(on(found)))
        for flipped in flips.values():
            value ^= flipped
        return value

    def run_size(self, run: Element | None) -> float:
        """Font size of ``run`` in points."""
        found = self.rpr(run, "w:sz")
        value = measure(found.get(q("w:val"))) if found is not None else None
        return value / 2 if value is not None else WORD_DEFAULT_SIZE

    def mark_size(self) -> float:
        """Font size (pt) of the paragraph's own text style, without run formatting."""
        return self.run_size(None)

    def run_font(self, run: Element | None, slot: str = "ascii") -> str | None:
        """The font of ``run`` for ``slot`` ("ascii", "hAnsi", "eastAsia", "cs").

        Each slot inherits on its own; a theme font wins over a named one on the
        same level. None when a theme font is named but the theme is missing.
        """
        if self._unformatted(run):
            key = ("font", slot)
            if key not in self._plain:
                self._plain[key] = self.run_font(None, slot)
            font: str | None = self._plain[key]
            return font
        theme_attr, name_attr = q(f"w:{slot}Theme" if slot != "cs" else "w:cstheme"), q(f"w:{slot}")
        for _, level in self._rpr_levels(run):
            fonts = level.find("w:rFonts", NS)
            if fonts is None:
                continue
            theme = fonts.get(theme_attr)
            if theme is not None:
                return self.doc.theme_font(str(theme))
            name = fonts.get(name_attr)
            if name is not None:
                return str(name)
        return WORD_DEFAULT_FONT

    def font_pieces(self) -> list[tuple[str, tuple[str | None, str | None]]]:
        """The text of each run with its fonts (ascii, hAnsi), for ``baocao.legacy``:
        the font a run is drawn in tells whether its text is in a legacy encoding."""
        return [
            (text, (self.run_font(run, "ascii"), self.run_font(run, "hAnsi")))
            for run, text in self._pieces
        ]

    def run_values(self, path: str, attr: str = "w:val") -> set[str | None]:
        return {
            (el.get(q(attr)) if el is not None else None)
            for el in (self.rpr(run, path) for run in self.runs())
        }

    def sizes(self) -> set[float]:
        return {self.run_size(run) for run in self.runs()}

    def size(self) -> float:
        """The one font size (pt) of every run; ``ValueError`` if the runs differ."""
        sizes = self.sizes() or {self.mark_size()}
        if len(sizes) != 1:
            raise ValueError(f"runs of {self.text!r} have sizes {sorted(sizes)}")
        return sizes.pop()

    def toggles(self, name: str) -> set[bool]:
        return {self.toggle(run, name) for run in self.runs()}

    def fonts(self) -> set[str | None]:
        return {self.run_font(run, slot) for run in self.runs() for slot in ("ascii", "hAnsi")}


def on_value(value: str | None) -> bool:
    """Read an ST_OnOff attribute value."""
    return value is not None and value.lower() in ("1", "true", "on")


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """Parsed numbering.xml: list instances (w:num) and their levels."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    """numId → level number → definition (overrides applied)."""
    counter_key: dict[str, str] = field(default_factory=dict)
    """numId → the counter it shares (the abstract list, unless the num restarts it)."""


class Docx:
    """A .docx package, read for facts (see the module docstring)."""

    def __init__(self, data: bytes, name: str = "") -> None:
        self.data = data
        self.name = name
        self.unpacked = 0
        """Bytes of XML inflated so far (``MAX_UNPACKED``)."""
        self.elements = 0
        """XML elements parsed so far (``MAX_ELEMENTS``)."""
        self.paragraph_count = 0
        """Paragraphs parsed so far (``MAX_PARAGRAPHS``)."""
        self.deadline = float("inf")
        """``time.monotonic()`` past which reading formatting raises ``check_too_slow``."""
        self.budget = 0.0
        """The seconds that ``deadline`` allowed, for the message."""
        self._parsed: dict[str, Element] = {}
        self._relationships: dict[str, dict[str, tuple[str, str]]] = {}
        where = self._where = Location(name or "<docx>")
        if len(data) > MAX_FILE:
            raise InputError("too_large", where, size=len(data), limit=MAX_FILE)
        if data[:8] == OLE_SIGNATURE:
            kind = ole_kind(data)
            raise InputError("check_encrypted" if kind == "encrypted" else "check_old_word", where)
        # Each entry of the zip's directory starts with this signature: an upper bound,
        # counted before zipfile reads them all.
        if data.count(b"PK\x01\x02") > MAX_ENTRIES:
            raise InputError("check_too_many_entries", where, limit=MAX_ENTRIES)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError) as err:
            raise InputError("check_not_zip", where) from err
        self._names = set(self.zip.namelist())
        self.main = self._main_part()
        self.document = self.xml(self.main)
        if self.document.tag != q("w:document"):
            if str(self.document.tag).startswith(f"{{{STRICT_W}}}"):
                raise InputError("check_strict", where)
            raise InputError("check_not_docx", where, reason=f"{self.main}: {self.document.tag}")
        styles = self._related("styles")
        self.styles = styles if styles is not None else etree.Element(q("w:styles"))
        self._style_index = {
            str(s.get(q("w:styleId"))): s for s in self.styles.findall("w:style", NS)
        }
        self.default_ppr = self.styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS)
        self.default_rpr = self.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        self._defaults: dict[str, str | None] = {}
        self._chains: dict[str, list[Element]] = {}
        self._style_parts: dict[tuple[str, str], tuple[Element, ...]] = {}
        self._table_styles: dict[Element, str | None] = {}
        self._run_properties: dict[Element, Element | None] = {}
        self._breaks_before: dict[str, bool] = {}
        """``pageBreakBefore`` of each paragraph style (``Para.break_before``)."""
        self.media_read = 0
        """Bytes of pictures inflated so far (``MAX_MEDIA``)."""
        self.legacy = False
        """Whether runs typed in a legacy encoding (TCVN3, VNI) are read as Unicode
        (``baocao.legacy``): set for ``baocao import``; ``baocao check`` judges the file as it is."""
        self.converted: dict[Element, tuple[int, int, tuple[str, ...]]] = {}
        """Paragraphs read with converted runs: paragraph → (runs converted, its index,
        the encodings met)."""

    def run_properties(self, run: Element) -> Element | None:
        """The run's own rPr, found once per run: a run of many tabs and texts
        made every lookup walk all of them, for each of its line segments."""
        if run not in self._run_properties:
            self._run_properties[run] = run.find("w:rPr", NS)
        return self._run_properties[run]

    def tick(self) -> None:
        """Raise ``check_too_slow`` once ``deadline`` has passed (called as formatting is read)."""
        if time.monotonic() > self.deadline:
            raise InputError("check_too_slow", self._where, seconds=self.budget)

    @classmethod
    def open(cls, source: str | Path | bytes, name: str | None = None) -> Docx:
        """Read a .docx from a path or from bytes; ``InputError`` when it cannot be read."""
        if isinstance(source, bytes):
            return cls(source, name or "<docx>")
        path = Path(source)
        return cls(_read_file(path, Location(str(path))), name or str(path))

    # -- parts -------------------------------------------------------------------

    def xml(self, name: str) -> Element:
        """Parse one part (once); ``InputError`` if it is missing, beyond the limits or not XML."""
        found = self._parsed.get(name)
        if found is None:
            found = self._parsed[name] = self._parse(name)
        return found

    def _parse(self, name: str) -> Element:
        """Inflate and parse ``name`` a few KB at a time, counting what is really read.

        The sizes in the zip's headers are only claims: the bytes that come out of
        the inflater are counted, and elements and nesting are counted as they are
        parsed, so a bomb stops at the first limit it crosses.
        """
        try:
            info = self.zip.getinfo(name)
        except KeyError as err:
            raise InputError("check_not_docx", self._where, reason=f"{name}: missing") from err
        self._inflated(name, info.file_size, 0)  # what the header claims, before any work
        parser = etree.XMLPullParser(
            events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
        )
        size = depth = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self._inflated(name, size, len(chunk))
                    parser.feed(chunk)
                    for event, element in parser.read_events():
                        depth = self._counted(name, event, element, depth)
            return parser.close()
        except _BROKEN as err:
            raise InputError("check_not_docx", self._where, reason=f"{name}: {err}") from err

    def _inflated(self, name: str, size: int, more: int) -> None:
        """Count ``more`` bytes inflated; refuse a part or a package past its limit."""
        self.unpacked += more
        if size > MAX_PART:
            raise InputError("check_part_too_large", self._where, part=name, limit=MAX_PART // MIB)
        if self.unpacked > MAX_UNPACKED:
            raise InputError("check_unpacked_too_large", self._where, limit=MAX_UNPACKED // MIB)

    def _counted(self, name: str, event: str, element: Element, depth: int) -> int:
        """Count one parser event; the nesting depth after it."""
        if event == "end":
            return depth - 1
        self.elements += 1
        if depth == 0 and element.getroottree().docinfo.doctype:
            raise InputError("check_doctype", self._where, part=name)
        if depth >= MAX_DEPTH:
            raise InputError("check_too_deep", self._where, part=name, limit=MAX_DEPTH)
        if self.elements > MAX_ELEMENTS:
            raise InputError("check_too_many_elements", self._where, limit=MAX_ELEMENTS)
        if element.tag == _PARAGRAPH:
            self.paragraph_count += 1
            if self.paragraph_count > MAX_PARAGRAPHS:
                raise InputError("check_too_many_paragraphs", self._where, limit=MAX_PARAGRAPHS)
        return depth + 1

    def has(self, name: str) -> bool:
        return name in self._names

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of ``part``: id → (type, resolved target part name), read once."""
        if part not in self._relationships:
            self._relationships[part] = self._read_rels(part)
        return self._relationships[part]

    def _read_rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_name):
            return {}
        out = {}
        for rel in self.xml(rels_name):
            if rel.get("TargetMode") == "External":
                continue
            target = str(rel.get("Target", ""))
            resolved = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            out[str(rel.get("Id"))] = (str(rel.get("Type", "")), resolved)
        return out

    def _main_part(self) -> str:
        for kind, target in self._rels("").values():
            if kind.endswith("/officeDocument") and self.has(target):
                return target
        if self.has("word/document.xml"):
            return "word/document.xml"
        raise InputError("check_not_docx", self._where, reason="word/document.xml: missing")

    def _related(self, kind: str) -> Element | None:
        """The part the main document relates to with type ``…/kind``, parsed."""
        for rel_type, target in self._rels(self.main).values():
            if rel_type.endswith("/" + kind) and self.has(target):
                return self.xml(target)
        return None

    def part(self, rel_id: str) -> tuple[str, Element] | None:
        """The part the main document points to with ``r:id``: (name, parsed)."""
        found = self._rels(self.main).get(rel_id)
        if found is None or not self.has(found[1]):
            return None
        return found[1], self.xml(found[1])

    def media(self, rel_id: str) -> tuple[str, bytes] | None:
        """The part the body points to with ``rel_id`` (a picture): (name, its bytes as
        stored); None when it is missing, damaged, or past ``MAX_PART`` or, with the
        pictures read before it, ``MAX_MEDIA`` (bytes counted as they are inflated)."""
        found = self._rels(self.main).get(rel_id)
        if found is None or not self.has(found[1]) or found[1].endswith(".xml"):
            return None
        name = found[1]
        info = self.zip.getinfo(name)
        if info.file_size > MAX_PART or self.media_read + info.file_size > MAX_MEDIA:
            return None
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(64 * _CHUNK):
                    size += len(chunk)
                    if size > MAX_PART or self.media_read + size > MAX_MEDIA:
                        return None
                    chunks.append(chunk)
        except _BROKEN:
            return None
        self.media_read += size
        return name, b"".join(chunks)

    def footnote(self, note_id: str) -> Element | None:
        """The ``w:footnote`` with ``note_id`` in the footnotes part (``ENDNOTE`` + id: the
        ``w:endnote`` in the endnotes part), None if there is none."""
        kind = "endnote" if note_id.startswith(ENDNOTE) else "footnote"
        wanted = note_id.removeprefix(ENDNOTE)
        part = self._related(kind + "s")
        if part is None:
            return None
        for note in part.iterfind(f"w:{kind}", NS):
            if note.get(q("w:id")) == wanted:
                return note
        return None

    @cached_property
    def landscape(self) -> frozenset[int]:
        """The body paragraphs (``Para.index``) on landscape pages: those of a section
        whose page is ``w:orient="landscape"`` or wider than high. A paragraph holding
        ``w:sectPr`` ends its section; the body's last ``w:sectPr`` is the last one's."""
        out: set[int] = set()
        pending: list[int] = []

        def close(section: Element | None) -> None:
            if section is not None:
                setup = page_setup(section)
                if setup.landscape or setup.width > setup.height:
                    out.update(pending)
            pending.clear()

        for para in self.paragraphs:
            pending.append(para.index)
            ended = ends_section(para)
            if ended is not None:
                close(ended)
        close(self.section)
        return frozenset(out)

    # -- paragraphs ----------------------------------------------------------------

    @cached_property
    def paragraphs(self) -> list[Para]:
        """The body's paragraphs in reading order, table cells and text boxes included."""
        body = self.document.find("w:body", NS)
        if body is None:
            return []
        return [Para(p, self, i) for i, p in enumerate(_all_paragraphs(body))]

    def paragraphs_of(self, root: Element) -> list[Para]:
        """The paragraphs of another part (header, footer, notes), in order."""
        return [Para(p, self) for p in _all_paragraphs(root)]

    def find(self, text: str) -> Para:
        """The first paragraph whose text contains ``text``; ``LookupError`` if none."""
        for para in self.paragraphs:
            if text in para.text:
                return para
        raise LookupError(f"no paragraph contains {text!r}")

    def with_style(self, style: str) -> list[Para]:
        return [p for p in self.paragraphs if p.style == style]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    def tables(self) -> list[Element]:
        """The body's top-level tables."""
        return list(self.document.findall("w:body/w:tbl", NS))

    # -- styles --------------------------------------------------------------------

    def _style(self, style_id: str) -> Element | None:
        return self._style_index.get(style_id)

    def default_style(self, kind: str) -> str | None:
        """The id of the default style of ``kind`` ("paragraph", "character", "table")."""
        if kind not in self._defaults:
            self._defaults[kind] = next(
                (
                    str(style.get(q("w:styleId")))
                    for style in self._style_index.values()
                    if style.get(q("w:type")) == kind and on_value(style.get(q("w:default")))
                ),
                None,
            )
        return self._defaults[kind]

    def _chain(self, style_id: str) -> list[Element]:
        if style_id not in self._chains:
            self._chains[style_id] = self._find_chain(style_id)
        return self._chains[style_id]

    def _find_chain(self, style_id: str) -> list[Element]:
        chain: list[Element] = []
        seen: set[str] = set()
        current = self._style(style_id)
        while current is not None and style_id not in seen:
            if len(chain) >= MAX_STYLE_CHAIN:
                raise InputError(
                    "check_style_chain",
                    self._where,
                    style=chain[0].get(q("w:styleId")),
                    limit=MAX_STYLE_CHAIN,
                )
            seen.add(style_id)
            chain.append(current)
            based = current.find("w:basedOn", NS)
            style_id = str(based.get(q("w:val"))) if based is not None else ""
            current = self._style(style_id) if style_id else None
        return chain

    def style_parts(self, style_id: str, tag: str) -> Iterator[Element]:
        """``tag`` ("w:rPr" or "w:pPr") of the style and each style it is based on."""
        key = (style_id, tag)
        if key not in self._style_parts:
            found = (style.find(tag, NS) for style in self._chain(style_id))
            self._style_parts[key] = tuple(part for part in found if part is not None)
        return iter(self._style_parts[key])

    def table_style_parts(self, table: Element | None, tag: str) -> Iterator[Element]:
        """``tag`` of the whole-table formatting of ``table``'s style chain."""
        if table is None:
            return
        if table not in self._table_styles:  # found once: find() walks every row of the table
            found = table.find("w:tblPr/w:tblStyle", NS)
            self._table_styles[table] = (
                str(found.get(q("w:val"))) if found is not None else self.default_style("table")
            )
        style_id = self._table_styles[table]
        if style_id:
            yield from self.style_parts(style_id, tag)

    def style_rpr(self, style_id: str, path: str) -> Element | None:
        for part in self.style_parts(style_id, "w:rPr"):
            found = part.find(path, NS)
            if found is not None:
                return found
        return self.styles.find(f"w:docDefaults/w:rPrDefault/w:rPr/{path}", NS)

    def style_ppr(self, style_id: str, path: str) -> Element | None:
        for part in self.style_parts(style_id, "w:pPr"):
            found = part.find(path, NS)
            if found is not None:
                return found
        return self.styles.find(f"w:docDefaults/w:pPrDefault/w:pPr/{path}", NS)

    @cached_property
    def _theme_fonts(self) -> dict[str, str]:
        theme = self._related("theme")
        out: dict[str, str] = {}
        if theme is None:
            return out
        for scheme, prefix in (("majorFont", "major"), ("minorFont", "minor")):
            fonts = theme.find(f".//a:fontScheme/a:{scheme}", NS)
            if fonts is None:
                continue
            for tag, slots in (
                ("latin", ("Ascii", "HAnsi")),
                ("ea", ("EastAsia",)),
                ("cs", ("Bidi",)),
            ):
                found = fonts.find(f"a:{tag}", NS)
                if found is not None and found.get("typeface"):
                    for slot in slots:
                        out[prefix + slot] = str(found.get("typeface"))
        return out

    def theme_font(self, name: str) -> str | None:
        """The typeface a theme font reference ("minorHAnsi") stands for."""
        return self._theme_fonts.get(name)

    # -- sections, headers, footers ------------------------------------------------

    @cached_property
    def section(self) -> Element | None:
        """The body's final sectPr (the last section's properties)."""
        return self.document.find("w:body/w:sectPr", NS)

    @cached_property
    def sections(self) -> list[Element]:
        """Every section's properties, in order (the first section first)."""
        body = self.document.find("w:body", NS)
        if body is None:
            return []
        inner = [p.find("w:pPr/w:sectPr", NS) for p in body.findall("w:p", NS)]
        found = [s for s in inner if s is not None]
        if self.section is not None:
            found.append(self.section)
        return found

    def story(
        self, kind: str, which: str = "header", section: Element | None = None
    ) -> tuple[str, Element] | None:
        """The ``which`` ("header"/"footer") part of type ``kind`` for ``section``.

        A section without its own reference inherits the previous section's
        (ECMA-376 Part 1, §17.10.5). The default section is the first.
        """
        sections = self.sections
        if not sections:
            return None
        target = section if section is not None else sections[0]
        position = next((i for i, s in enumerate(sections) if s is target), 0)
        for candidate in reversed(sections[: position + 1]):
            ref = candidate.find(f"w:{which}Reference[@w:type='{kind}']", NS)
            if ref is not None:
                return self.part(str(ref.get(q("r:id"))))
        return None

    def header_part(self, kind: str) -> Element | None:
        """The header of type ``kind`` referenced by the body's final sectPr."""
        section = self.section
        if section is None:
            return None
        ref = section.find(f"w:headerReference[@w:type='{kind}']", NS)
        if ref is None:
            return None
        found = self.part(str(ref.get(q("r:id"))))
        return found[1] if found is not None else None

    @cached_property
    def settings(self) -> Element | None:
        return self._related("settings")

    def notes(self) -> list[tuple[str, Element]]:
        """The footnotes and endnotes parts, as (kind, parsed)."""
        out = []
        for kind in ("footnotes", "endnotes"):
            found = self._related(kind)
            if found is not None:
                out.append((kind, found))
        return out

    def revisions(self) -> int:
        """Tracked changes in the body: insertions, deletions and moves not yet accepted.

        The text is read as if they were accepted (``_SKIP``: deleted and moved-away
        runs are not read); a paragraph mark's own mark (in ``w:rPr``) is not counted.
        """
        tags = (q("w:ins"), q("w:del"), q("w:moveFrom"), q("w:moveTo"))
        run_marks = q("w:rPr")
        return sum(1 for el in self.document.iter(*tags) if el.getparent().tag != run_marks)

    def comment_count(self) -> int:
        """Comments in the margin (``comments.xml``): not part of the text."""
        found = self._related("comments")
        return 0 if found is None else len(found.findall("w:comment", NS))

    def text_boxes(self) -> int:
        """Text boxes in the body (each once: the VML copy in ``mc:Fallback`` is not counted)."""
        return sum(
            1
            for box in self.document.iter(q("w:txbxContent"))
            if not any(a.tag == q("mc:Fallback") for a in box.iterancestors())
        )

    def converted_runs(self) -> tuple[int, int | None, tuple[str, ...]]:
        """Runs read in Unicode from a legacy encoding so far, the first such body
        paragraph's index (None when none or only outside the body), the encodings met."""
        found = self.converted.values()
        body = [index for _, index, _ in found if index >= 0]
        encodings = tuple(dict.fromkeys(e for _, _, met in found for e in met))
        return sum(runs for runs, _, _ in found), min(body) if body else None, encodings

    def page_count(self) -> int | None:
        """The page count the last program that saved the file wrote down, if any."""
        for rel_type, target in self._rels("").values():
            if rel_type.endswith("/extended-properties") and self.has(target):
                pages = self.xml(target).find(f"{{{EXTENDED}}}Pages")
                if pages is not None and re.fullmatch(r"\s*[0-9]{1,6}\s*", pages.text or ""):
                    return int(str(pages.text))
        return None

    # -- automatic numbering -------------------------------------------------------

    @cached_property
    def _numbering(self) -> _Numbering:
        out = _Numbering()
        root = self._related("numbering")
        if root is None:
            return out
        abstracts: dict[str, dict[int, _Level]] = {}
        for abstract in root.findall("w:abstractNum", NS):
            abstracts[str(abstract.get(q("w:abstractNumId")))] = {
                _int(lvl.get(q("w:ilvl")), 0): _level(lvl) for lvl in abstract.findall("w:lvl", NS)
            }
        for num in root.findall("w:num", NS):
            num_id = str(num.get(q("w:numId")))
            ref = num.find("w:abstractNumId", NS)
            abstract_id = str(ref.get(q("w:val"))) if ref is not None else ""
            levels = {
                k: _Level(v.fmt, v.text, v.start) for k, v in abstracts.get(abstract_id, {}).items()
            }
            restarts = False
            for override in num.findall("w:lvlOverride", NS):
                ilvl = _int(override.get(q("w:ilvl")), 0)
                lvl = override.find("w:lvl", NS)
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = override.find("w:startOverride", NS)
                if start is not None:
                    levels.setdefault(ilvl, _Level()).start = _int(start.get(q("w:val")), 0)
                    restarts = True
            out.levels[num_id] = levels
            out.counter_key[num_id] = f"num:{num_id}" if restarts else f"abstract:{abstract_id}"
        return out

    def _num_pr(self, para: Para) -> tuple[str, int] | None:
        num_id = para.pattr("w:numPr/w:numId", "w:val")
        if num_id is None or num_id == "0":
            return None
        ilvl = para.pattr("w:numPr/w:ilvl", "w:val")
        return num_id, _int(ilvl, 0)

    @cached_property
    def labels(self) -> list[str]:
        """The automatic list label of each body paragraph ("" when none)."""
        numbering = self._numbering
        counters: dict[str, list[int]] = {}
        out: list[str] = []
        for para in self.paragraphs:
            found = self._num_pr(para)
            levels = numbering.levels.get(found[0]) if found else None
            if found is None or not levels or found[1] not in levels or not 0 <= found[1] < 9:
                out.append("")
                continue
            num_id, ilvl = found
            counts = counters.setdefault(numbering.counter_key[num_id], [0] * 10)
            counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else levels[ilvl].start
            for deeper in range(ilvl + 1, len(counts)):
                counts[deeper] = 0
            level = levels[ilvl]
            if level.fmt == "bullet":
                out.append(level.text)
                continue

            def value(
                match: re.Match[str],
                counts: list[int] = counts,
                levels: dict[int, _Level] = levels,
            ) -> str:
                index = int(match.group(1)) - 1
                lvl = levels.get(index, _Level())
                return _format_number(counts[index] or lvl.start, lvl.fmt)

            out.append("" if level.fmt == "none" else re.sub(r"%([1-9])", value, level.text))
        return out


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE compound file: a Word 97–2003 .doc, or a password-protected .docx."""

_OLE_END = 0xFFFFFFFA
"""Sector numbers from here on mark the end of a chain or a free sector."""


def ole_kind(data: bytes) -> str | None:
    """What an OLE compound file holds: "encrypted" (a password-protected .docx, or a .doc
    whose Word header says it is encrypted), "doc" (a Word 97–2003 document), or None.

    Reads the compound file's directory (MS-CFB: its sectors chained through the
    file allocation table) for the stream names, bounded by the file's size:
    ``EncryptedPackage`` and ``EncryptionInfo`` hold an encrypted .docx,
    ``WordDocument`` a .doc, whose header (FIB) has an "encrypted" flag.
    """
    if data[:8] != OLE_SIGNATURE or len(data) < 512:
        return None
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    if size not in (512, 4096):
        return None
    fat_sectors = struct.unpack_from("<109I", data, 0x4C)
    fat: list[int] = []
    for sector in fat_sectors:
        start = (sector + 1) * size
        if sector >= _OLE_END or start + size > len(data):
            break
        fat.extend(struct.unpack_from(f"<{size // 4}I", data, start))
    streams: dict[str, tuple[int, int]] = {}
    sector, seen = struct.unpack_from("<I", data, 0x30)[0], set()
    while sector < _OLE_END and sector not in seen and (sector + 2) * size <= len(data):
        seen.add(sector)
        for at in range((sector + 1) * size, (sector + 2) * size, 128):
            length = min(struct.unpack_from("<H", data, at + 64)[0], 64)
            if data[at + 66] in (1, 2, 5) and length >= 2:
                name = data[at : at + length - 2].decode("utf-16-le", "replace")
                streams[name] = struct.unpack_from("<II", data, at + 116)  # start, size
        sector = fat[sector] if sector < len(fat) else _OLE_END
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return "encrypted"
    if "WordDocument" in streams:
        start, length = streams["WordDocument"]
        fib = (start + 1) * size  # a stream of 4096 bytes or more is in the main sectors
        if length >= 4096 and fib + 12 <= len(data) and data[fib + 0x0B] & 0x01:
            return "encrypted"  # FIB fEncrypted: a .doc with a password to open
        return "doc"
    return None


def read_file(path: Path) -> bytes:
    """The bytes of the Word file at ``path``, read as ``Docx.open`` reads them."""
    return _read_file(path, Location(str(path)))


def _read_file(path: Path, where: Location) -> bytes:
    """The bytes of the .docx at ``path``, read only from a regular file of a bounded size.

    A FIFO (``open`` waits for a writer for good), a socket or a device
    (``/dev/zero`` never ends; opening some devices acts) is told apart by ``stat``
    before it is opened, and refused: a .docx is a file to seek in anyway. The file
    is opened without blocking and checked again by ``fstat``, in case the name was
    switched in between.
    """
    try:
        _refuse_special(path.stat(), where)
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError as err:
        raise InputError("file_not_found", where) from err
    except OSError as err:  # a symlink loop, no permission
        raise InputError("file_unreadable", where, reason=err.strerror or str(err)) from err
    try:
        status = os.fstat(fd)
        _refuse_special(status, where)
        if status.st_size > MAX_FILE:
            raise InputError("too_large", where, size=status.st_size, limit=MAX_FILE)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE + 1)  # the file may have grown since fstat
    except OSError as err:
        raise InputError("file_unreadable", where, reason=err.strerror or str(err)) from err
    finally:
        os.close(fd)
    if len(data) > MAX_FILE:
        raise InputError("too_large", where, size=len(data), limit=MAX_FILE)
    return data


def _refuse_special(status: os.stat_result, where: Location) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise InputError("check_is_folder", where)
    if not stat.S_ISREG(status.st_mode):
        raise InputError("check_not_regular", where)


def _int(value: str | None, default: int) -> int:
    """A small whole number from an attribute, or ``default`` when it is not one."""
    if value is None or re.fullmatch(r"\s*-?[0-9]{1,6}\s*", value) is None:
        return default
    return int(value)


def _level(lvl: Element) -> _Level:
    fmt = lvl.find("w:numFmt", NS)
    text = lvl.find("w:lvlText", NS)
    start = lvl.find("w:start", NS)
    return _Level(
        fmt=str(fmt.get(q("w:val"))) if fmt is not None else "decimal",
        text=str(text.get(q("w:val"), "")) if text is not None else "",
        start=_int(start.get(q("w:val")), 1) if start is not None else 1,
    )


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _format_number(n: int, fmt: str) -> str:
    """Write ``n`` as Word's list format ``fmt`` does (a, b, … z, aa; i, ii; 01)."""
    if not 0 < n <= 1000:
        return str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", n
        for amount, symbol in _ROMAN:
            count, rest = divmod(rest, amount)
            out += symbol * count
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


# -- where a paragraph stands, and what surrounds it (for baocao.check.reading) -------------


def nearest(element: Element | None, tag: str) -> Element | None:
    """The closest ancestor of ``element`` with ``tag`` (content controls may sit between)."""
    if element is None:
        return None
    return next(element.iterancestors(q(tag)), None)


def row_cells(row: Element | None) -> list[Element]:
    """The cells of ``row`` itself (not those of tables nested in it), in order."""
    if row is None:
        return []
    return [c for c in row.iter(q("w:tc")) if nearest(c, "w:tr") is row]


def row_of(cell: Element) -> tuple[Element | None, list[Element], int]:
    """The row of ``cell``, its cells, and the position of ``cell`` among them."""
    row = nearest(cell, "w:tr")
    cells = row_cells(row) or [cell]
    return row, cells, next((i for i, c in enumerate(cells) if c is cell), 0)


def rows_of(row: Element | None) -> tuple[list[Element], int]:
    """The rows of the table holding ``row``, and the position of ``row``."""
    table = nearest(row, "w:tbl")
    if row is None or table is None:
        return [], 0
    rows = [r for r in table.iter(q("w:tr")) if nearest(r, "w:tbl") is table]
    return rows, next((i for i, r in enumerate(rows) if r is row), len(rows))


def inside(para: Para, table: Element) -> bool:
    """Whether ``para`` is in ``table``, however deeply nested."""
    return any(a is table for a in para.element.iterancestors(q("w:tbl")))


def rows_around(para: Para) -> Iterator[Element]:
    """The table rows holding ``para``, innermost first."""
    yield from para.element.iterancestors(q("w:tr"))


def same_container(para: Para, other: Para) -> bool:
    """Whether the two paragraphs stand in the same cell, text box or story."""
    return bool(other.element.getparent() is para.element.getparent())


def cells_of(table: Element) -> list[Element]:
    """Every cell of ``table``, nested tables' included, in document order."""
    return list(table.findall(".//w:tc", NS))


_LINE_SHAPES = {"line", "straightConnector1", "lineInv"}


def has_line_shape(para: Para) -> bool:
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


def run_text(run: Element) -> str:
    """Every ``w:t`` of ``run``, joined."""
    return "".join(t.text or "" for t in run.iter(q("w:t")))


def table_numbers(docx: Docx) -> dict[Element, int]:
    """Each table of the body, nested ones included, numbered in document order from 0."""
    body = docx.document.find("w:body", NS)
    return {} if body is None else {t: n for n, t in enumerate(body.iter(q("w:tbl")))}


def table_shapes(docx: Docx) -> list[ReadTable]:
    """Every table of the body (nested ones too, numbered as ``table_numbers`` does) with
    its grid: column widths, repeated header rows, and each cell's place and spans."""
    numbers = table_numbers(docx)
    return [_table_shape(docx, table, number, numbers) for table, number in numbers.items()]


_VISIBLE_BORDER = "not(@w:val='nil' or @w:val='none')"


def _bordered(docx: Docx, table: Element) -> bool:
    """Whether ``table`` draws inner or outer borders: its own, its style's, or its cells'."""
    own = table.find("w:tblPr/w:tblBorders", NS)
    levels = [own] if own is not None else []
    if own is None:
        levels += [
            found
            for part in docx.table_style_parts(table, "w:tblPr")
            if (found := part.find("w:tblBorders", NS)) is not None
        ][:1]
    if any(level.xpath(f"*[{_VISIBLE_BORDER}]", namespaces=NS) for level in levels):
        return True
    return any(
        nearest(borders, "w:tbl") is table and borders.xpath(f"*[{_VISIBLE_BORDER}]", namespaces=NS)
        for borders in table.iter(q("w:tcBorders"))
    )


def _governing_section(docx: Docx, table: Element) -> Element | None:
    """The ``w:sectPr`` of the section a body table stands in: the next one after it."""
    top = table
    for ancestor in table.iterancestors(q("w:tbl")):
        top = ancestor
    for sibling in top.itersiblings():
        if sibling.tag == _PARAGRAPH:
            found = sibling.find("w:pPr/w:sectPr", NS)
            if found is not None:
                return found
    return docx.section


def _table_shape(docx: Docx, table: Element, number: int, numbers: dict[Element, int]) -> ReadTable:
    widths = tuple(
        measure(col.get(q("w:w"))) or 0.0 for col in table.findall("w:tblGrid/w:gridCol", NS)
    )
    rows = [r for r in table.iter(q("w:tr")) if nearest(r, "w:tbl") is table]
    header_rows = 0
    while header_rows < len(rows) and on(rows[header_rows].find("w:trPr/w:tblHeader", NS)):
        header_rows += 1
    placed: list[dict[str, Any]] = []
    open_merges: dict[int, dict[str, Any]] = {}  # grid column → the cell a vMerge continues
    for r, row in enumerate(rows):
        before = row.find("w:trPr/w:gridBefore", NS)
        column = _int(before.get(q("w:val")), 0) if before is not None else 0
        still: dict[int, dict[str, Any]] = {}
        for index, cell in enumerate(row_cells(row)):
            span = cell.find("w:tcPr/w:gridSpan", NS)
            columns = max(_int(span.get(q("w:val")), 1), 1) if span is not None else 1
            merge = cell.find("w:tcPr/w:vMerge", NS)
            value = merge.get(q("w:val"), "continue") if merge is not None else None
            nested = any(nearest(t, "w:tc") is cell for t in cell.iter(q("w:tbl")))
            item = {"row": r, "index": index, "column": column, "columns": columns}
            item.update(rows=1, continued=False, nested=nested)
            top = open_merges.get(column) if value == "continue" else None
            if top is not None and top["columns"] == columns:
                top["rows"] = r - top["row"] + 1
                item["continued"] = True
                still[column] = top
            elif value is not None:
                still[column] = item  # restart, or a continue with nothing above: a new top
            placed.append(item)
            column += columns
        open_merges = still
    parent = next(table.iterancestors(q("w:tbl")), None)
    section = _governing_section(docx, table)
    landscape = False
    if section is not None:
        setup = page_setup(section)
        landscape = setup.landscape or setup.width > setup.height
    return ReadTable(
        number=number,
        widths=widths,
        rows=len(rows),
        header_rows=header_rows,
        cells=tuple(ReadCell(**item) for item in placed),
        parent=numbers.get(parent) if parent is not None else None,
        bordered=_bordered(docx, table),
        landscape=landscape,
    )


def other_stories(docx: Docx) -> Iterator[tuple[str, list[Para]]]:
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


_PAGE_FIELD = re.compile(r"(?<![A-Z])PAGE(?![A-Z])")


def page_paragraphs(docx: Docx, root: Element) -> list[Para]:
    """Paragraphs of a header or footer holding a PAGE field."""
    out = []
    for para in docx.paragraphs_of(root):
        codes = [str(f.get(q("w:instr"), "")) for f in para.element.iter(q("w:fldSimple"))]
        codes.append("".join(t.text or "" for t in para.element.iter(q("w:instrText"))))
        if any(_PAGE_FIELD.search(code) for code in codes):
            out.append(para)
    return out


def field_sizes(para: Para) -> list[float]:
    """The sizes (pt) of a field paragraph's runs, the field's own runs if it has no text."""
    runs = para.runs() or [
        r.getparent() for r in para.element.iter(q("w:instrText"), q("w:fldChar"))
    ]
    return sorted({para.run_size(run) for run in runs}) or [para.mark_size()]


def contextual_spacing(para: Para) -> bool:
    """Whether the paragraph drops its spacing next to paragraphs of its own style."""
    return bool(on(para.ppr("w:contextualSpacing")))


def page_setup(section: Element) -> ReadPage:
    """What ``section`` (a ``w:sectPr``) says of its page, Word's defaults where nothing is
    stored (Letter, margins of 1 and 1.25 inches)."""
    size = section.find("w:pgSz", NS)
    width = measure(size.get(q("w:w"))) if size is not None else None
    height = measure(size.get(q("w:h"))) if size is not None else None
    margins = section.find("w:pgMar", NS)

    def margin(side: str, default: float) -> float:
        value = measure(margins.get(q(f"w:{side}"))) if margins is not None else None
        return value if value is not None else default

    return ReadPage(
        width=width or 12240.0,
        height=height or 15840.0,
        landscape=size is not None and size.get(q("w:orient")) == "landscape",
        top=margin("top", 1440),
        bottom=margin("bottom", 1440),
        left=margin("left", 1800),
        right=margin("right", 1800),
        gutter=margin("gutter", 0),
    )


def title_page(section: Element) -> bool:
    """Whether ``section`` gives its first page a header of its own (``w:titlePg``)."""
    return bool(on(section.find("w:titlePg", NS)))


def numbers_restart(section: Element) -> bool:
    """Whether ``section`` numbers its pages from a given start (``w:pgNumType w:start``)
    rather than on from the section before (Word's default)."""
    numbering = section.find("w:pgNumType", NS)
    return numbering is not None and numbering.get(q("w:start")) is not None


def even_and_odd(docx: Docx) -> bool:
    """Whether even and odd pages have headers of their own (settings)."""
    settings = docx.settings
    return settings is not None and bool(on(settings.find("w:evenAndOddHeaders", NS)))


def ends_section(para: Para) -> Element | None:
    """The section properties a body paragraph ends its section with (``w:pPr/w:sectPr``)."""
    ppr = para.element.find("w:pPr", NS)
    return ppr.find("w:sectPr", NS) if ppr is not None else None


# -- drawn lines and where they stand (for the rules under the header's elements) ----------

_EMU = 635
"""EMU per twip (DrawingML lengths)."""

_DRAWN_LINES = {"line", "straightConnector1", "lineInv"}
_VML_RELATIVE = {"text": "column", "char": "character", "margin": "margin", "page": "page"}
_VML_RELATIVE_V = {"text": "paragraph", "line": "line", "margin": "margin", "page": "page"}


@dataclass(frozen=True, slots=True)
class Drawn:
    """A straight line drawn in a paragraph, as Word places it (twips).

    ``x``, ``y`` are the left end's offsets from the references Word names
    (``horizontal``: "column", "margin", "page", "character"…; ``vertical``:
    "paragraph", "line", "margin", "page"…); ``align`` replaces ``x`` when the
    line is aligned ("left", "center", "right") rather than offset. ``visible``
    is False for a line drawn without a stroke.
    """

    x: float
    y: float
    width: float
    height: float
    horizontal: str
    vertical: str
    align: str | None = None
    visible: bool = True

    @property
    def level(self) -> bool:
        """Horizontal rather than slanted or upright."""
        return abs(self.height) <= max(abs(self.width) / 10, 30)


def drawn_lines(para: Para) -> list[Drawn]:
    """The straight lines drawn in ``para`` (DrawingML ``wps:wsp`` lines and connectors,
    VML ``v:line`` and connector ``v:shape``), each once: of an ``mc:AlternateContent``
    the DrawingML choice, its VML fallback only when the choice holds no line."""
    return list(_drawn_in(para.element))


def _drawn_in(node: Element) -> Iterator[Drawn]:
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag == _PARAGRAPH:
            continue  # a text box's paragraphs hold their own lines
        if tag == q("mc:AlternateContent"):
            found: list[Drawn] = []
            for branch in child:
                if found:
                    break
                if isinstance(branch.tag, str):
                    found = list(_drawn_in(branch))
            yield from found
        elif tag == _DRAWING:
            yield from _drawn_drawing(child)
        elif tag in (q("v:line"), q("v:shape")):
            found_vml = _drawn_vml(child)
            if found_vml is not None:
                yield found_vml
        else:
            yield from _drawn_in(child)


def _emu(value: str | None) -> float:
    return _int(value, 0) / _EMU if value is not None and len(value) < 14 else 0.0


def _big_int(value: str | None) -> float:
    if value is None or re.fullmatch(r"\s*-?[0-9]{1,13}\s*", value) is None:
        return 0.0
    return int(value) / _EMU


def _drawn_drawing(drawing: Element) -> Iterator[Drawn]:
    frame = next((c for c in drawing if isinstance(c.tag, str)), None)
    if frame is None:
        return
    lines = [
        g
        for g in frame.iter(q("a:prstGeom"))
        if g.get("prst") in _DRAWN_LINES and not _no_stroke(g.getparent())
    ]
    hidden = [
        g for g in frame.iter(q("a:prstGeom")) if g.get("prst") in _DRAWN_LINES and g not in lines
    ]
    if not lines and not hidden:
        return
    extent = frame.find("wp:extent", NS)
    width = _big_int(extent.get("cx")) if extent is not None else 0.0
    height = _big_int(extent.get("cy")) if extent is not None else 0.0
    xfrm = next(frame.iter(q("a:xfrm")), None)
    rot = _int(xfrm.get("rot"), 0) if xfrm is not None else 0
    if rot % 10800000 == 5400000:  # turned upright
        width, height = height, width
    if frame.tag == q("wp:inline"):
        yield Drawn(0.0, 0.0, width, height, "character", "line", None, bool(lines))
        return
    h_rel, x, h_align = _position(frame.find("wp:positionH", NS), "column")
    v_rel, y, _ = _position(frame.find("wp:positionV", NS), "paragraph")
    yield Drawn(x, y, width, height, h_rel, v_rel, h_align, bool(lines))


def _no_stroke(sppr: Element | None) -> bool:
    """A DrawingML shape whose outline is turned off (``a:ln`` with ``a:noFill``)."""
    if sppr is None:
        return False
    ln = sppr.find("a:ln", NS)
    return ln is not None and ln.find("a:noFill", NS) is not None


def _position(element: Element | None, default: str) -> tuple[str, float, str | None]:
    if element is None:
        return default, 0.0, None
    relative = str(element.get("relativeFrom", default))
    offset = element.find("wp:posOffset", NS)
    if offset is not None:
        return relative, _big_int(offset.text), None
    align = element.find("wp:align", NS)
    return relative, 0.0, (align.text or "").strip() if align is not None else None


_CSS_UNITS = {"pt": 20.0, "in": 1440.0, "cm": 1440 / 2.54, "mm": 144 / 2.54, "px": 15.0, "": 15.0}


def _css_length(value: str | None) -> float:
    if value is None:
        return 0.0
    match = re.fullmatch(r"\s*(-?[0-9]{1,9}(?:\.[0-9]{0,6})?)\s*(pt|in|cm|mm|px|)\s*", value)
    return float(match.group(1)) * _CSS_UNITS[match.group(2)] if match is not None else 0.0


def _drawn_vml(shape: Element) -> Drawn | None:
    """A VML line (``v:line``, or a ``v:shape`` of the straight-connector type)."""
    if shape.tag == q("v:shape") and not (
        "_x0000_t32" in str(shape.get("type", "")) or shape.get(q("o:connectortype"))
    ):
        return None
    style = {
        k.strip().lower(): v.strip()
        for k, _, v in (item.partition(":") for item in str(shape.get("style", "")).split(";"))
        if k.strip()
    }
    visible = str(shape.get("stroked", "t")).lower() not in ("f", "false")
    stroke = shape.find("v:stroke", NS)
    if stroke is not None and str(stroke.get("on", "t")).lower() in ("f", "false"):
        visible = False
    h_rel = _VML_RELATIVE.get(style.get("mso-position-horizontal-relative", "text"), "column")
    v_rel = _VML_RELATIVE_V.get(style.get("mso-position-vertical-relative", "text"), "paragraph")
    align = style.get("mso-position-horizontal")
    align = align if align in ("left", "center", "right") else None
    x = _css_length(style.get("margin-left") or style.get("left"))
    y = _css_length(style.get("margin-top") or style.get("top"))
    width = _css_length(style.get("width"))
    height = _css_length(style.get("height"))
    if shape.tag == q("v:line"):
        ends = []
        for attr in ("from", "to"):
            parts = str(shape.get(attr, "0,0")).split(",")
            ends.append([_css_length(p) for p in [*parts, "0"][:2]])
        (x1, y1), (x2, y2) = ends
        x, y = x + min(x1, x2), y + min(y1, y2)
        width, height = abs(x2 - x1), abs(y2 - y1)
    if "rotation" in style and _css_length(style["rotation"].rstrip("fd")) / 15 % 180 == 90:
        width, height = height, width
    return Drawn(x, y, width, height, h_rel, v_rel, align, visible)


def cell_box(cell: Element) -> tuple[float, float]:
    """Where ``cell`` stands across the page (twips from the text's left margin, left and
    right edges), from its table's grid, indent and the cells before it; a nested
    table's from its own cell's."""
    table = nearest(cell, "w:tbl")
    origin = 0.0
    outer = nearest(table, "w:tc") if table is not None else None
    if outer is not None:
        origin = cell_box(outer)[0] + CELL_MARGIN
    if table is None:
        return origin, origin
    properties, columns = _table_head(table)
    indent = properties.find("w:tblInd", NS) if properties is not None else None
    if indent is not None and indent.get(q("w:type"), "dxa") == "dxa":
        origin += measure(indent.get(q("w:w"))) or 0.0
    found = columns.findall("w:gridCol", NS) if columns is not None else []
    grid = [measure(c.get(q("w:w"))) or 0.0 for c in found]
    row, cells, at = row_of(cell)
    before = row.find("w:trPr/w:gridBefore", NS) if row is not None else None
    column = _int(before.get(q("w:val")), 0) if before is not None else 0
    for other in cells[:at]:
        column += _span(other)
    span = _span(cell)
    if len(grid) >= column + span:
        left = origin + sum(grid[:column])
        return left, left + sum(grid[column : column + span])
    widths = [
        measure(c.get(q("w:w"))) or 0.0
        for c in (x.find("w:tcPr/w:tcW", NS) for x in cells)
        if c is not None
    ]
    left = origin + sum(widths[:at])
    return left, left + (widths[at] if at < len(widths) else 0.0)


def _table_head(table: Element) -> tuple[Element | None, Element | None]:
    """A table's ``w:tblPr`` and ``w:tblGrid``, found among the children before its first
    row (``table.find`` would walk every row when one is absent)."""
    properties = columns = None
    for child in table:
        if child.tag == q("w:tr"):
            break
        if child.tag == q("w:tblPr"):
            properties = child
        elif child.tag == q("w:tblGrid"):
            columns = child
    return properties, columns


CELL_MARGIN = 108.0
"""Word's default left and right cell margins (twips)."""


def _span(cell: Element) -> int:
    span = cell.find("w:tcPr/w:gridSpan", NS)
    return max(_int(span.get(q("w:val")), 1), 1) if span is not None else 1


def cell_border(cell: Element | None, side: str) -> bool:
    """Whether ``cell`` draws a border on ``side``: its own (``w:tcBorders``), else its
    table's (``w:tblBorders``: the outer side for an edge cell, the inside one between)."""
    if cell is None:
        return False
    own = cell.find(f"w:tcPr/w:tcBorders/w:{side}", NS)
    if own is not None:
        return own.get(q("w:val")) not in (None, "nil", "none")
    table = nearest(cell, "w:tbl")
    row = nearest(cell, "w:tr")
    rows, at = rows_of(row)
    edge = at == len(rows) - 1 if side == "bottom" else at == 0
    name = side if edge else "insideH"
    found = table.find(f"w:tblPr/w:tblBorders/w:{name}", NS) if table is not None else None
    return found is not None and found.get(q("w:val")) not in (None, "nil", "none")


# -- where the text falls on the pages: an estimate, without a typesetter ------------------

CHARACTER_WIDTH = 0.45
"""Average width of a character of Vietnamese text in Times New Roman, in ems: what a
line holds is its width over this. Measured on our renders' body text (0.43–0.47)."""

LINE_HEIGHT = 1.15
"""A single line's height in ems (Times New Roman's ascent and descent)."""


@dataclass(frozen=True, slots=True)
class Flow:
    """Where each body paragraph falls, estimated from its text, sizes and spacing.

    ``places`` maps a paragraph's index to (page from 0, top, bottom) in twips
    from the top of the text area; ``pages`` is how many pages the text fills,
    the last one in part (a fraction). Lines are counted from characters per
    line, a table row stands as its tallest cell, and page breaks, "page break
    before" and new-page sections start a page. Good to a page or two in ten:
    enough to know "more than one page" and where a header's lines stand.
    """

    places: dict[int, tuple[int, float, float]]
    pages: float


def flow(docx: Docx, until: int | None = None) -> Flow:
    """Lay the body out, roughly, on the pages its sections give (see ``Flow``); with
    ``until``, only as far as the body paragraph of that index (the header's lines)."""
    return _Flower(docx).run(until)


class _Flower:
    def __init__(self, docx: Docx) -> None:
        self.docx = docx
        self.by_element = {p.element: p for p in docx.paragraphs}
        self.sections = docx.sections or []
        self.section = 0
        self.places: dict[int, tuple[int, float, float]] = {}
        self.page = 0
        self.y = 0.0
        self._setup()

    def _setup(self) -> None:
        found = self.sections[self.section] if self.section < len(self.sections) else None
        setup = page_setup(found) if found is not None else page_setup(etree.Element("x"))
        self.width = max(setup.width - setup.left - setup.right - setup.gutter, 1440.0)
        self.height = max(setup.height - setup.top - setup.bottom, 1440.0)

    def run(self, until: int | None = None) -> Flow:
        body = self.docx.document.find("w:body", NS)
        if body is not None:
            for child in _blocks(body):
                self.block(child)
                if until is not None and self.places and max(self.places) >= until:
                    break
        return Flow(self.places, self.page + min(self.y / self.height, 1.0))

    def new_page(self) -> None:
        self.page += 1
        self.y = 0.0

    def place(self, height: float) -> float:
        """Put a block of ``height`` on the page, turning it when it does not fit."""
        if self.y > 0 and self.y + height > self.height:
            self.new_page()
        top = self.y
        self.y += height
        if self.y > self.height:  # taller than a page: it runs on
            turned, self.y = divmod(self.y, self.height)
            self.page += int(min(turned, MAX_PARAGRAPHS))
        return top

    def block(self, element: Element) -> None:
        if element.tag == _PARAGRAPH:
            para = self.by_element.get(element)
            if para is None:
                return
            if para.break_before():
                self.new_page()
            heights = _paragraph_heights(para, self.width)
            top = self.place(heights[0])
            self.places[para.index] = (self.page, top, top + heights[0])
            for height in heights[1:]:  # after each page break the paragraph goes on
                self.new_page()
                self.place(height)
            if element.find("w:pPr/w:sectPr", NS) is not None:
                self.section += 1
                self._setup()
                following = (
                    self.sections[self.section] if self.section < len(self.sections) else None
                )
                start = following.find("w:type", NS) if following is not None else None
                value = start.get(q("w:val")) if start is not None else "nextPage"
                if value != "continuous":
                    self.new_page()
        elif element.tag == q("w:tbl"):
            for row in element.findall("w:tr", NS):
                placed: dict[int, tuple[float, float]] = {}
                height = _row_height(self, row, placed)
                top = self.place(height)
                for index, (start, end) in placed.items():
                    self.places[index] = (self.page, top + start, top + end)


def _blocks(container: Element) -> Iterator[Element]:
    """The paragraphs and tables of ``container``, content controls opened."""
    for child in container:
        if child.tag in (_PARAGRAPH, q("w:tbl")):
            yield child
        elif child.tag in (q("w:sdt"), q("w:sdtContent"), q("w:customXml")):
            yield from _blocks(child)


def _paragraph_heights(para: Para, width: float) -> list[float]:
    """The paragraph's height (twips) on each page it spans: one height unless it holds
    page breaks."""
    size = max(para.sizes() or {para.mark_size()})
    value, rule = para.line_spacing()
    em = size * 20
    if rule == "exact":
        line = value
    elif rule == "atLeast":
        line = max(value, em * LINE_HEIGHT)
    else:
        line = em * LINE_HEIGHT * value / 240
    left = max(para.twips("w:ind", "w:left") or para.twips("w:ind", "w:start") or 0, 0)
    right = max(para.twips("w:ind", "w:right") or para.twips("w:ind", "w:end") or 0, 0)
    per_line = max((width - left - right) / (em * CHARACTER_WIDTH), 8.0)
    text = para.text
    marks = [m for m in para.marks() if m.kind == "page"] if "\n" in text else []
    cuts = sorted({m.offset for m in marks if m.offset > 0})
    parts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    out = []
    for part in parts:
        lines = 0.0
        for piece in part.split("\n"):
            characters = len(piece.replace("\t", "    "))
            lines += max(-(-characters // per_line), 1)
        out.append(lines * line)
    out[0] += para.spacing("before")
    out[-1] += para.spacing("after")
    return [float(h) for h in out]


def _row_height(flower: _Flower, row: Element, placed: dict[int, tuple[float, float]]) -> float:
    """A table row's height (its tallest cell, or the height it asks for) and where each
    of its paragraphs stands from the row's top, nested tables' included."""
    tallest = 0.0
    for cell in row_cells(row):
        left, right = cell_box(cell)
        width = max(right - left - 2 * CELL_MARGIN, 720.0)
        tallest = max(tallest, _stack(flower, cell, width, 0.0, placed))
    asked = row.find("w:trPr/w:trHeight", NS)
    if asked is not None:
        value = measure(asked.get(q("w:val"))) or 0.0
        if asked.get(q("w:hRule")) == "exact":
            return value
        tallest = max(tallest, value)
    return tallest


def _stack(
    flower: _Flower,
    container: Element,
    width: float,
    top: float,
    placed: dict[int, tuple[float, float]],
) -> float:
    """Lay out a cell's paragraphs and tables from ``top``; the height they take."""
    y = top
    for child in _blocks(container):
        if child.tag == _PARAGRAPH:
            para = flower.by_element.get(child)
            if para is None:
                continue
            height = sum(_paragraph_heights(para, width))
            placed[para.index] = (y, y + height)
            y += height
        else:
            for row in child.findall("w:tr", NS):
                inner: dict[int, tuple[float, float]] = {}
                height = _row_height(flower, row, inner)
                for index, (start, end) in inner.items():
                    placed[index] = (y + start, y + end)
                y += height
    return y - top
