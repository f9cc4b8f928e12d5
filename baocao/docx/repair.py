"""Edit a .docx in place of its author: page setup, fonts, run formatting, punctuation.

``baocao check --fix`` (``baocao.check.fix``) decides what to change from the
read model, whose elements carry their place (``At``: body paragraph in
reading order, line and tab column); this module is the one that touches the
WordprocessingML. It parses the package once through ``baocao.docx.read``
(so the paragraphs are numbered as the checker numbered them, and the same
limits hold against hostile files), changes elements of the parsed parts,
and writes the package again with ``baocao.docx.package``: the parts it did
not change are copied byte for byte.

Every edit is formatting, except the few the decree asks of the text itself,
each one a single character or a leading zero (``replace_tail``, ``pad_number``,
``space_after``): a word of the author's is never added, dropped or changed.
Properties are inserted where the schema's sequence puts them, so Word opens
the result without "unreadable content".
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from baocao.docx import package
from baocao.docx.ooxml import PPR_ORDER, RPR_ORDER
from baocao.docx.read import (
    _CONTENT,
    _HYPHEN,
    _PTAB,
    _TAB,
    _TEXT,
    MIB,
    NS,
    Docx,
    Element,
    Para,
    R,
    W,
    _own,
    ends_section,
    other_stories,
    page_paragraphs,
    q,
)
from baocao.errors import InputError, Location

SECT_ORDER = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]

RULE_HEIGHT = 100 + 40 + 15 + 20
"""What ``add_rule``'s paragraph adds to the page, in twips: 5 pt before, a 2 pt line, the
¾ pt border and its 1 pt space."""

KEEP_LINES = 40
"""The most paragraphs a table row kept on one page may hold: a signature block with its
Nơi nhận list fits; a layout table holding the whole text would not."""

HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"


def _put(parent: Element, name: str, order: Sequence[str]) -> Element:
    """The child ``w:name`` of ``parent``, made where the schema's ``order`` puts it."""
    found = parent.find(f"w:{name}", NS)
    if found is not None:
        return found
    element = etree.Element(q(f"w:{name}"))
    rank = order.index(name)
    for index, child in enumerate(parent):
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child)
        later = tag.localname in order and order.index(tag.localname) > rank
        if later or tag.namespace != W:  # extensions (w14:…) close the sequence
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


@dataclass
class Piece:
    """One text node of a paragraph, in the line and tab column where it stands."""

    run: Element
    node: Element
    line: int
    column: int


def pieces(para: Para) -> Iterator[Piece]:
    """The paragraph's ``w:t`` nodes with their line and column, counted as the
    checker's reading counts them (line breaks, then tabs)."""
    line = column = 0
    for run in _own(para.element, {q("w:r")}):
        for node in _own(run, _CONTENT):
            if node.tag == _TEXT:
                if node.text:
                    yield Piece(run, node, line, column)
            elif node.tag in (_TAB, _PTAB):
                column += 1
            elif node.tag == _HYPHEN:
                continue
            elif node.get(q("w:type")) in (None, "textWrapping", "page", "column"):
                line, column = line + 1, 0


class Repair:
    """A package open for editing: change it through the methods, then ``save``."""

    def __init__(self, data: bytes, name: str = "") -> None:
        self.docx = Docx(data, name)
        self.changed: set[str] = set()
        self.added: dict[str, bytes] = {}

    # -- finding -----------------------------------------------------------------------

    def paragraph(self, index: int) -> Para | None:
        paragraphs = self.docx.paragraphs
        return paragraphs[index] if 0 <= index < len(paragraphs) else None

    def segment(self, index: int, line: int, column: int) -> list[Piece]:
        """The text nodes of one line segment of body paragraph ``index``."""
        para = self.paragraph(index)
        if para is None:
            return []
        return [p for p in pieces(para) if p.line == line and p.column == column]

    def _rpr(self, run: Element) -> Element:
        rpr = run.find("w:rPr", NS)
        if rpr is None:
            rpr = etree.Element(q("w:rPr"))
            run.insert(0, rpr)
            self.docx._run_properties.pop(run, None)  # the reader's cache of it
        return rpr

    # -- page -------------------------------------------------------------------------

    def page(
        self, width: int, height: int, margins: dict[str, tuple[int, int]]
    ) -> list[tuple[int, str, int]]:
        """Every section on A4 (``width`` × ``height`` twips, its orientation kept) and each
        margin into ``margins`` (side → (low, high) twips); what changed, as (section,
        "paper" or the side, the old value in twips). A landscape section after the first
        (a wide table's) keeps its margins: they are laid out for its width, and the
        decree's are judged on the portrait pages."""
        out: list[tuple[int, str, int]] = []
        for number, section in enumerate(self.docx.sections):
            size = _put(section, "pgSz", SECT_ORDER)
            old_w, old_h = _int(size.get(q("w:w")), 12240), _int(size.get(q("w:h")), 15840)
            landscape = size.get(q("w:orient")) == "landscape" or old_w > old_h
            new_w, new_h = (height, width) if landscape else (width, height)
            if abs(old_w - new_w) > 28 or abs(old_h - new_h) > 28:
                size.set(q("w:w"), str(new_w))
                size.set(q("w:h"), str(new_h))
                out.append((number, "paper", old_w))
            self.changed.add(self.docx.main)
            if landscape and number > 0:
                continue
            pgmar = _put(section, "pgMar", SECT_ORDER)
            gutter = abs(_int(pgmar.get(q("w:gutter")), 0))
            for side, (low, high) in margins.items():
                default = 1440 if side in ("top", "bottom") else 1800
                raw = _int(pgmar.get(q(f"w:{side}")), default)
                value = abs(raw) + (gutter if side == "left" else 0)
                if low - 28 <= value <= high + 28:
                    continue
                target = min(max(value, low), high)
                if side == "left" and gutter:
                    pgmar.set(q("w:gutter"), "0")
                negative = raw < 0 and side in ("top", "bottom")
                pgmar.set(q(f"w:{side}"), str(-target if negative else target))
                for edge in ("header", "footer"):
                    if side == ("top" if edge == "header" else "bottom"):
                        distance = _int(pgmar.get(q(f"w:{edge}")), 720)
                        if distance >= target:
                            pgmar.set(q(f"w:{edge}"), str(min(567, target // 2)))
                out.append((number, side, value))
        return out

    # -- fonts ------------------------------------------------------------------------

    def stories(self) -> Iterator[tuple[str, list[Para]]]:
        """Every story's paragraphs: the body, then headers, footers and notes."""
        yield self.docx.main, self.docx.paragraphs
        yield from other_stories(self.docx)

    def fonts(self, font: str, keep: frozenset[str]) -> tuple[dict[str, int], dict[str, int]]:
        """Set ``font`` on every run with text whose resolved font (ASCII or other Latin)
        is another: direct ``w:rFonts`` on the run, theme references dropped; a face
        named "<font> Bold" or "<font> Italic" becomes ``font`` in bold or italic.
        Runs in a font of ``keep`` (legacy encodings) whose text is not plain ASCII
        are left: their text would read as other letters. Returns (font → runs
        changed, font → runs left)."""
        done: dict[str, int] = {}
        left: dict[str, int] = {}
        variant = re.compile(rf"{re.escape(font)}[\s,-]+(bold|italic|bold\s*italic)", re.I)
        plan: list[tuple[Element, str, tuple[str, ...]]] = []
        for _, paras in self.stories():
            for para in paras:
                for run in para.runs():
                    names = {para.run_font(run, slot) or "?" for slot in ("ascii", "hAnsi")}
                    wrong = sorted(n for n in names if n.casefold() != font.casefold())
                    if not wrong:
                        continue
                    text = "".join(t.text or "" for t in run.iter(_TEXT))
                    if any(n.casefold() in keep for n in wrong) and not text.isascii():
                        left[wrong[0]] = left.get(wrong[0], 0) + 1
                        continue
                    plan.append((run, wrong[0], _faces(variant, wrong)))
        for run, name, faces in plan:
            rpr = self._rpr(run)
            fonts = _put(rpr, "rFonts", RPR_ORDER)
            for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
                fonts.attrib.pop(q(f"w:{attr}"), None)
            for attr in ("ascii", "hAnsi", "cs"):
                fonts.set(q(f"w:{attr}"), font)
            for face in faces:
                for tag in (face, face + "Cs"):
                    _put(rpr, tag, RPR_ORDER).attrib.pop(q("w:val"), None)
            done[name] = done.get(name, 0) + 1
            self.changed.add(_part_of(self.docx, run))
        return done, left

    # -- run formatting ---------------------------------------------------------------

    def format(
        self,
        runs: list[Element],
        *,
        size: float | None = None,
        bold: bool | None = None,
        italic: bool | None = None,
        caps: bool | None = None,
    ) -> None:
        """Give ``runs`` direct formatting: a size (pt), bold, italic or capitals on or off."""
        for run in runs:
            rpr = self._rpr(run)
            for name, value in (("b", bold), ("i", italic), ("caps", caps)):
                if value is None:
                    continue
                for tag in (name, name + "Cs") if name != "caps" else (name,):
                    element = _put(rpr, tag, RPR_ORDER)
                    if value:
                        element.attrib.pop(q("w:val"), None)
                    else:
                        element.set(q("w:val"), "0")
            if size is not None:
                for tag in ("sz", "szCs"):
                    _put(rpr, tag, RPR_ORDER).set(q("w:val"), str(round(size * 2)))
            self.changed.add(_part_of(self.docx, run))

    def align(self, para: Para, value: str) -> None:
        """Set a paragraph's alignment ("center", "both")."""
        ppr = para.element.find("w:pPr", NS)
        if ppr is None:
            ppr = etree.Element(q("w:pPr"))
            para.element.insert(0, ppr)
        _put(ppr, "jc", PPR_ORDER).set(q("w:val"), value)
        self.changed.add(_part_of(self.docx, para.element))

    def layout(
        self,
        para: Para,
        *,
        align: str | None = None,
        first_line: int | None = None,
        before: int | None = None,
        line: int | None = None,
    ) -> None:
        """Set a paragraph's alignment, first-line indent (twips, no hanging), space before
        (twips, kept next to paragraphs of its own style) or line spacing (240ths of a line)."""
        ppr = para.element.find("w:pPr", NS)
        if ppr is None:
            ppr = etree.Element(q("w:pPr"))
            para.element.insert(0, ppr)
        if before is not None or line is not None:
            spacing = _put(ppr, "spacing", PPR_ORDER)
            if before is not None:
                for attr in ("beforeLines", "beforeAutospacing"):
                    spacing.attrib.pop(q(f"w:{attr}"), None)
                spacing.set(q("w:before"), str(before))
                _put(ppr, "contextualSpacing", PPR_ORDER).set(q("w:val"), "0")
            if line is not None:
                spacing.set(q("w:line"), str(line))
                spacing.set(q("w:lineRule"), "auto")
        if first_line is not None:
            ind = _put(ppr, "ind", PPR_ORDER)
            for attr in ("hanging", "hangingChars", "firstLineChars"):
                ind.attrib.pop(q(f"w:{attr}"), None)
            ind.set(q("w:firstLine"), str(first_line))
        if align is not None:
            _put(ppr, "jc", PPR_ORDER).set(q("w:val"), align)
        self.changed.add(_part_of(self.docx, para.element))

    def mark_size(self, para: Para, size: float) -> None:
        """Set the size of a paragraph's mark (what an empty line and a field's number show)."""
        ppr = para.element.find("w:pPr", NS)
        if ppr is None:
            ppr = etree.Element(q("w:pPr"))
            para.element.insert(0, ppr)
        rpr = _put(ppr, "rPr", PPR_ORDER)
        for tag in ("sz", "szCs"):
            _put(rpr, tag, RPR_ORDER).set(q("w:val"), str(round(size * 2)))
        self.changed.add(_part_of(self.docx, para.element))

    # -- text: the decree's punctuation and padding -------------------------------------

    def touched(self, element: Element) -> None:
        """Note that ``element``'s part was changed (an edit made outside these methods)."""
        self.changed.add(_part_of(self.docx, element))

    def replace_tail(self, nodes: list[Piece], old: str, new: str) -> bool:
        """Replace the last non-space character ``old`` ("" to append) with ``new`` at the end of
        the segment ``nodes``; whether it was done."""
        for piece in reversed(nodes):
            text = piece.node.text or ""
            stripped = text.rstrip()
            if not stripped:
                continue
            if old and not stripped.endswith(old):
                return False
            piece.node.text = stripped[: len(stripped) - len(old)] + new + text[len(stripped) :]
            self.changed.add(_part_of(self.docx, piece.node))
            return True
        return False

    def pad_number(self, nodes: list[Piece], pattern: str, width: int) -> list[tuple[str, str]]:
        """Pad with leading zeros each number the regex ``pattern`` captures (group 1) in
        the segment's text, where it lies inside one text node; (old, new) of each."""
        out: list[tuple[str, str]] = []
        for piece in nodes:
            text = piece.node.text or ""
            found = re.search(pattern, text)
            if found is None:
                continue
            digits = found[1]
            padded = digits.rjust(width, "0")
            if padded != digits:
                start, end = found.span(1)
                piece.node.text = text[:start] + padded + text[end:]
                piece.node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                out.append((digits, padded))
                self.changed.add(_part_of(self.docx, piece.node))
        return out

    def space_after(self, para: Para, label: str) -> bool:
        """Put one space after ``label`` where the paragraph's first text node starts
        with it glued to the next word ("6.1.Công" → "6.1. Công")."""
        for piece in pieces(para):
            text = piece.node.text or ""
            if not text.strip():
                continue
            lead = len(text) - len(text.lstrip())
            if text[lead:].startswith(label) and not text[lead + len(label) :][:1].isspace():
                piece.node.text = text[: lead + len(label)] + " " + text[lead + len(label) :]
                piece.node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                self.changed.add(_part_of(self.docx, piece.node))
                return True
            return False
        return False

    # -- the rules under the agency name and the Tiêu ngữ ---------------------------------

    def drawn_near(self, para: Para, start: int = 0) -> bool:
        """Whether anything is drawn near ``para``: in any paragraph from body paragraph
        ``start`` (the top of the body by default) to a few after it, or in its outermost
        table. Word anchors a rule's shape anywhere (real files: an empty paragraph cells
        away, the next row, the next table), and a rule there may be one the checker did
        not recognise: then none is added beside it."""
        scopes = [p.element for p in self.docx.paragraphs[max(start, 0) : para.index + 6]]
        tables = list(para.element.iterancestors(q("w:tbl")))
        if tables:
            scopes.append(tables[-1])
        drawn = (q("w:drawing"), q("w:pict"), q("w:object"), q("mc:AlternateContent"))
        for scope in scopes:
            if next(scope.iter(*drawn), None) is not None:
                return True
            if scope.find(".//w:pBdr", NS) is not None:
                return True
        return False

    def available(self, para: Para) -> int:
        """The width (twips) ``para`` has: its cell's, else the first section's text width."""
        cell = para.cell
        if cell is not None:
            width = cell.find("w:tcPr/w:tcW", NS)
            if width is not None and width.get(q("w:type"), "dxa") == "dxa":
                value = _int(width.get(q("w:w")), 0)
                if value > 0:
                    return value - 216  # the cell's default margins, 0.19 cm each side
        sections = self.docx.sections
        if not sections:
            return 9072
        size = sections[0].find("w:pgSz", NS)
        margins = sections[0].find("w:pgMar", NS)
        page = _int(size.get(q("w:w")), 11906) if size is not None else 11906
        sides = (
            _int(margins.get(q("w:left")), 1701) + _int(margins.get(q("w:right")), 1134)
            if margins is not None
            else 2835
        )
        return max(page - sides, 1440)

    def add_rule(self, para: Para, indent: int) -> None:
        """A rule under ``para``: an empty paragraph after it with a top border, ``indent``
        twips in from each side (as baocao's own header draws it, style BCGach). The height
        it takes comes out of the space before the paragraph that follows, as far as that
        space goes, so a full page does not spill a line (or a blank page) over."""
        following = para.element.getnext()
        if following is not None and following.tag == q("w:p"):
            after = Para(following, self.docx)
            before = after.spacing("before")
            if before > 0:
                ppr = following.find("w:pPr", NS)
                if ppr is None:
                    ppr = etree.Element(q("w:pPr"))
                    following.insert(0, ppr)
                spacing = _put(ppr, "spacing", PPR_ORDER)
                for attr in ("beforeLines", "beforeAutospacing"):
                    spacing.attrib.pop(q(f"w:{attr}"), None)
                spacing.set(q("w:before"), str(max(0, round(before) - RULE_HEIGHT)))
        rule = etree.fromstring(
            f'<w:p xmlns:w="{W}"><w:pPr>'
            '<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
            '<w:spacing w:before="100" w:after="0" w:line="40" w:lineRule="exact"/>'
            f'<w:ind w:left="{int(indent)}" w:right="{int(indent)}" w:firstLine="0"/>'
            '<w:jc w:val="center"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
            "</w:pPr></w:p>"
        )
        para.element.addnext(rule)
        self.changed.add(_part_of(self.docx, para.element))

    def keep_rows(self, paras: list[Para]) -> int:
        """Keep each table row holding one of ``paras`` on one page (``w:cantSplit``), and the
        rows of the tables it is nested in; how many rows were not kept so already. A row
        that may not fit a page (more than ``KEEP_LINES`` paragraphs) is left to split."""
        count = 0
        seen: set[int] = set()
        for para in paras:
            for row in para.element.iterancestors(q("w:tr")):
                if id(row) in seen:
                    continue
                seen.add(id(row))
                if sum(1 for _ in row.iter(q("w:p"))) > KEEP_LINES:
                    continue
                props = row.find("w:trPr", NS)
                if props is None:
                    props = etree.Element(q("w:trPr"))
                    before = row.find("w:tblPrEx", NS)
                    row.insert(0 if before is None else row.index(before) + 1, props)
                found = props.find("w:cantSplit", NS)
                if found is not None and found.get(q("w:val")) not in ("0", "false", "off"):
                    continue
                if found is None:
                    found = etree.SubElement(props, q("w:cantSplit"))
                found.attrib.pop(q("w:val"), None)
                count += 1
                self.changed.add(_part_of(self.docx, row))
        return count

    def compact_tail(self) -> int:
        """Make the empty paragraphs that end the body 1 pt high (none dropped); how many.

        Word ends a document with a paragraph, often after a table or a few empty lines;
        when a fix takes room (a wider margin, a rule), that empty line alone spills onto a
        page of its own, and the clerk prints a blank page. Nothing of them shows."""
        body = self.docx.xml(self.docx.main).find("w:body", NS)
        if body is None:
            return 0
        shown = [
            q(f"w:{name}")
            for name in ("drawing", "pict", "object", "br", "sectPr", "fldSimple", "fldChar")
        ] + [q("w:tab"), q("w:sym")]
        count = 0
        for child in reversed(body):
            if child.tag == q("w:sectPr"):
                continue
            if child.tag != q("w:p") or any((t.text or "").strip() for t in child.iter(_TEXT)):
                break
            if next(child.iter(*shown), None) is not None:
                break
            ppr = child.find("w:pPr", NS)
            if ppr is None:
                ppr = etree.Element(q("w:pPr"))
                child.insert(0, ppr)
            spacing = _put(ppr, "spacing", PPR_ORDER)
            for attr in ("beforeLines", "afterLines", "beforeAutospacing", "afterAutospacing"):
                spacing.attrib.pop(q(f"w:{attr}"), None)
            for attr, value in (("before", "0"), ("after", "0"), ("line", "20")):
                spacing.set(q(f"w:{attr}"), value)
            spacing.set(q("w:lineRule"), "exact")
            rpr = _put(ppr, "rPr", PPR_ORDER)
            for tag in ("sz", "szCs"):
                _put(rpr, tag, RPR_ORDER).set(q("w:val"), "2")
            count += 1
        if count:
            self.changed.add(self.docx.main)
        return count

    # -- page numbers -----------------------------------------------------------------

    def page_number_paragraphs(self) -> list[Para]:
        """The PAGE paragraphs of the first section's default header."""
        found = self.docx.story("default")
        return page_paragraphs(self.docx, found[1]) if found is not None else []

    def page_field_runs(self, para: Para) -> list[Element]:
        """Every run of a PAGE paragraph (the field's own and its result)."""
        return list(_own(para.element, {q("w:r")}))

    def title_page(self) -> None:
        """The first section shows no number on its first page: ``w:titlePg``, with an empty
        first-page header when it has none."""
        sections = self.docx.sections
        if not sections:
            return
        section = sections[0]
        _put(section, "titlePg", SECT_ORDER).attrib.pop(q("w:val"), None)
        if section.find("w:headerReference[@w:type='first']", NS) is None:
            rel = self._add_header("<w:p/>")
            self._reference(section, "first", rel)
        self.changed.add(self.docx.main)

    def add_page_numbers(self, size: float, font: str) -> None:
        """A PAGE field, centred, in ``font`` at ``size`` pt, at the top of the first section's
        default header (later sections inherit it unless they have their own): a header of
        its own when the section has none, or whose header holds nothing but blanks; else
        above what the header holds, which stays."""
        sections = self.docx.sections
        if not sections:
            return
        section = sections[0]
        half = round(size * 2)
        props = (
            f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
            f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
        )
        paragraph = (
            f'<w:p><w:pPr><w:jc w:val="center"/>{props}</w:pPr>'
            f'<w:fldSimple w:instr=" PAGE "><w:r>{props}<w:t>2</w:t></w:r></w:fldSimple></w:p>'
        )
        found = self.docx.story("default", "header", section)
        if found is not None and _holds_something(found[1]):
            made = etree.fromstring(f'<w:x xmlns:w="{W}">{paragraph}</w:x>')[0]
            found[1].insert(0, made)
            self.changed.add(found[0])
            return
        old = section.find("w:headerReference[@w:type='default']", NS)
        if old is not None:
            section.remove(old)
        self._reference(section, "default", self._add_header(paragraph))
        self.changed.add(self.docx.main)

    def footer_numbers(self) -> list[tuple[str, Para]]:
        """The PAGE paragraphs of the first section's footers (default, first, even): (part, it)."""
        sections = self.docx.sections
        if not sections:
            return []
        out: list[tuple[str, Para]] = []
        seen: set[str] = set()
        for kind in ("default", "first", "even"):
            found = self.docx.story(kind, "footer", sections[0])
            if found is None or found[0] in seen:
                continue
            seen.add(found[0])
            out += [(found[0], para) for para in page_paragraphs(self.docx, found[1])]
        return out

    def remove_page_field(self, part: str, para: Para) -> bool:
        """Take a footer paragraph that holds a PAGE field and nothing else but blanks out of
        its footer (the footer keeps an empty paragraph if it had no other); False, and
        nothing changed, when the paragraph holds anything else (text, another field, a
        drawing)."""
        if not only_page_field(para.element):
            return False
        element = para.element
        parent = element.getparent()
        blocks = [c for c in parent if c.tag in (q("w:p"), q("w:tbl"), q("w:sdt"))]
        if parent.tag in (q("w:ftr"), q("w:hdr")) and len(blocks) > 1:
            parent.remove(element)
        else:
            for child in list(element):
                if child.tag != q("w:pPr"):
                    element.remove(child)
        self.changed.add(part)
        return True

    def restart_numbers(self, index: int) -> bool | None:
        """Number the pages of the section that body paragraph ``index`` opens afresh from 1,
        its first page without a number (an appendix, PL I mục III). None when ``index`` does
        not open a section (only empty paragraphs may stand before it in it); False when the
        section restarts already."""
        start = 0
        for para in self.docx.paragraphs:
            section = ends_section(para) if para.element.getparent().tag == q("w:body") else None
            last = para.index == len(self.docx.paragraphs) - 1
            if section is None and last:
                section = self.docx.section
            if section is None:
                continue
            if start <= index <= para.index:
                before = self.docx.paragraphs[start:index]
                if start == 0 or any(p.text.strip() for p in before):
                    return None
                numbering = _put(section, "pgNumType", SECT_ORDER)
                if numbering.get(q("w:start")) == "1":
                    return False
                numbering.set(q("w:start"), "1")
                _put(section, "titlePg", SECT_ORDER).attrib.pop(q("w:val"), None)
                if section.find("w:headerReference[@w:type='first']", NS) is None:
                    self._reference(section, "first", self._add_header("<w:p/>"))
                self.changed.add(self.docx.main)
                return True
            start = para.index + 1
        return None

    def _add_header(self, body: str) -> str:
        """Add a header part holding ``body``; its relationship id."""
        names = set(self.docx.zip.namelist()) | set(self.added)
        number = 1
        while f"word/header{number}.xml" in names:
            number += 1
        name = f"word/header{number}.xml"
        self.added[name] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:hdr xmlns:w="{W}" xmlns:r="{R}">{body}</w:hdr>'
        ).encode()
        rels = self._rels_root()
        ids = {str(rel.get("Id")) for rel in rels}
        rel_id = next(f"rIdBaocao{n}" for n in range(1, 1000) if f"rIdBaocao{n}" not in ids)
        entry = etree.SubElement(rels, f"{{{package.PACKAGE_RELS}}}Relationship")
        entry.set("Id", rel_id)
        entry.set("Type", HEADER_REL)
        entry.set("Target", posixpath.relpath(name, posixpath.dirname(self.docx.main)))
        types = self.docx.xml(package.CONTENT_TYPES)
        override = etree.SubElement(types, f"{{{package.TYPES}}}Override")
        override.set("PartName", "/" + name)
        override.set("ContentType", HEADER_TYPE)
        self.changed.add(package.CONTENT_TYPES)
        return rel_id

    def _rels_root(self) -> Element:
        folder, base = posixpath.split(self.docx.main)
        name = posixpath.join(folder, "_rels", base + ".rels")
        self.changed.add(name)
        if not self.docx.has(name):
            made = etree.Element(f"{{{package.PACKAGE_RELS}}}Relationships")
            self.docx._parsed[name] = made
            self.docx._names.add(name)
            return made
        root: Element = self.docx.xml(name)
        return root

    def _reference(self, section: Element, kind: str, rel_id: str) -> None:
        ref = etree.Element(q("w:headerReference"))
        ref.set(q("w:type"), kind)
        ref.set(q("r:id"), rel_id)
        section.insert(0, ref)

    # -- writing ----------------------------------------------------------------------

    def save(self) -> bytes:
        """The package with the changed parts serialised again, every other part as it was."""
        where = Location(self.docx.name or "<docx>")
        try:
            parts = package.unpack(self.docx.data)
        except package.TooBig as err:  # pictures and all: more than a template may hold
            raise InputError(
                "check_unpacked_too_large", where, limit=package.MAX_UNPACKED // MIB
            ) from err
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
            raise InputError("check_not_docx", where, reason=str(err)) from err
        data = dict(parts.data)
        for name in self.changed:
            root = self.docx.xml(name)
            data[name] = etree.tostring(
                root.getroottree(), xml_declaration=True, encoding="UTF-8", standalone=True
            )
        data.update(self.added)
        return package.write(data, parts.names, made=data.keys())  # a clerk's parts recur nowhere


def only_page_field(element: Element) -> bool:
    """Whether a paragraph holds one PAGE field and, besides its instruction and shown
    number, only blanks: no other text, field, tab to a column, drawing or frame of text."""
    instructions: list[str] = [str(f.get(q("w:instr"), "")) for f in element.iter(q("w:fldSimple"))]
    depth = 0
    code = ""
    result = False
    for node in element.iter():
        tag = node.tag
        if tag == q("w:fldChar"):
            kind = node.get(q("w:fldCharType"))
            if kind == "begin":
                depth, code, result = depth + 1, "", False
            elif kind == "separate":
                result = True
            elif kind == "end":
                instructions.append(code)
                depth, result = max(depth - 1, 0), False
        elif tag == q("w:instrText"):
            code += node.text or ""
        elif tag == _TEXT:
            inside = (depth and result) or any(
                a.tag == q("w:fldSimple") for a in node.iterancestors()
            )
            if not inside and (node.text or "").strip():
                return False
        elif tag in (q("w:drawing"), q("w:pict"), q("w:object"), q("w:txbxContent")):
            return False
    fields = [i.split()[0].upper() if i.split() else "" for i in instructions]
    return fields == ["PAGE"]


def _holds_something(root: Element) -> bool:
    """Whether a header holds any text that is not blank, or a drawing."""
    if any((t.text or "").strip() for t in root.iter(_TEXT)):
        return True
    drawn = (q("w:drawing"), q("w:pict"), q("w:object"), q("w:fldSimple"), q("w:fldChar"))
    return next(root.iter(*drawn), None) is not None


def _faces(variant: re.Pattern[str], names: list[str]) -> tuple[str, ...]:
    """ "b", "i" or both for a face named "Times New Roman Bold Italic"."""
    for name in names:
        found = variant.fullmatch(name.strip())
        if found is not None:
            word = found[1].casefold()
            return tuple(face for face, key in (("b", "bold"), ("i", "italic")) if key in word)
    return ()


def _part_of(docx: Docx, element: Element) -> str:
    """The part name of a parsed element's tree."""
    root = element.getroottree().getroot()
    for name, parsed in docx._parsed.items():
        if parsed is root:
            return name
    raise LookupError("element outside the parsed parts")


def _int(value: str | None, default: int) -> int:
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


__all__ = ["Piece", "Repair", "pieces"]
