"""Read facts out of a rendered .docx: text, styles and effective formatting.

Formatting is resolved the way Word does it: direct formatting, then the
paragraph style and its basedOn chain, then the document defaults.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import cached_property

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def on(element: etree._Element | None) -> bool | None:
    """Value of a toggle property (<w:b/>, <w:b w:val="0"/>), None when absent."""
    if element is None:
        return None
    return element.get(q("w:val"), "true") not in ("0", "false", "off")


@dataclass
class Para:
    element: etree._Element
    doc: Docx

    @property
    def text(self) -> str:
        out = []
        for node in self.element.iter(q("w:t"), q("w:tab"), q("w:br")):
            out.append(
                node.text or ""
                if node.tag == q("w:t")
                else "\t"
                if node.tag == q("w:tab")
                else "\n"
            )
        return "".join(out)

    @property
    def style(self) -> str:
        found = self.element.find("w:pPr/w:pStyle", NS)
        return found.get(q("w:val")) if found is not None else "Normal"

    @property
    def in_table(self) -> bool:
        return any(a.tag == q("w:tbl") for a in self.element.iterancestors())

    def ppr(self, path: str) -> etree._Element | None:
        """First match of ``path`` in the direct pPr, then the style chain, then defaults."""
        direct = self.element.find(f"w:pPr/{path}", NS)
        if direct is not None:
            return direct
        return self.doc.style_ppr(self.style, path)

    def runs(self) -> list[etree._Element]:
        return [r for r in self.element.iter(q("w:r")) if r.find("w:t", NS) is not None]

    def rpr(self, run: etree._Element, path: str) -> etree._Element | None:
        direct = run.find(f"w:rPr/{path}", NS)
        if direct is not None:
            return direct
        return self.doc.style_rpr(self.style, path)

    def run_values(self, path: str, attr: str = "w:val") -> set[str | None]:
        return {
            (el.get(q(attr)) if el is not None else None)
            for el in (self.rpr(run, path) for run in self.runs())
        }

    def size(self) -> float:
        """The one font size (pt) of every run; fails if runs differ."""
        sizes = self.run_values("w:sz")
        assert len(sizes) == 1, (self.text, sizes)
        (value,) = sizes
        assert value is not None
        return int(value) / 2

    def toggles(self, name: str) -> set[bool]:
        return {bool(on(self.rpr(run, f"w:{name}"))) for run in self.runs()}

    def fonts(self) -> set[str | None]:
        return self.run_values("w:rFonts", "w:ascii") | self.run_values("w:rFonts", "w:hAnsi")

    @property
    def align(self) -> str | None:
        found = self.ppr("w:jc")
        return found.get(q("w:val")) if found is not None else None

    def twips(self, path: str, attr: str) -> int | None:
        found = self.ppr(path)
        value = found.get(q(attr)) if found is not None else None
        return int(value) if value is not None else None


class Docx:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = self.xml("word/document.xml")
        self.styles = self.xml("word/styles.xml")

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @cached_property
    def paragraphs(self) -> list[Para]:
        body = self.document.find("w:body", NS)
        return [Para(p, self) for p in body.iter(q("w:p"))]

    def find(self, text: str) -> Para:
        """The first paragraph whose text contains ``text``."""
        for para in self.paragraphs:
            if text in para.text:
                return para
        raise AssertionError(f"no paragraph contains {text!r}")

    def with_style(self, style: str) -> list[Para]:
        return [p for p in self.paragraphs if p.style == style]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    def _style(self, style_id: str) -> etree._Element | None:
        return self.styles.find(f"w:style[@w:styleId='{style_id}']", NS)

    def _chain(self, style_id: str) -> list[etree._Element]:
        chain, seen = [], set()
        current = self._style(style_id)
        while current is not None and style_id not in seen:
            seen.add(style_id)
            chain.append(current)
            based = current.find("w:basedOn", NS)
            style_id = based.get(q("w:val")) if based is not None else ""
            current = self._style(style_id) if style_id else None
        return chain

    def style_rpr(self, style_id: str, path: str) -> etree._Element | None:
        for style in self._chain(style_id):
            found = style.find(f"w:rPr/{path}", NS)
            if found is not None:
                return found
        return self.styles.find(f"w:docDefaults/w:rPrDefault/w:rPr/{path}", NS)

    def style_ppr(self, style_id: str, path: str) -> etree._Element | None:
        for style in self._chain(style_id):
            found = style.find(f"w:pPr/{path}", NS)
            if found is not None:
                return found
        return self.styles.find(f"w:docDefaults/w:pPrDefault/w:pPr/{path}", NS)

    @property
    def section(self) -> etree._Element:
        return self.document.find("w:body/w:sectPr", NS)

    def tables(self) -> list[etree._Element]:
        return self.document.findall("w:body/w:tbl", NS)

    def header_part(self, kind: str) -> etree._Element | None:
        ref = self.section.find(f"w:headerReference[@w:type='{kind}']", NS)
        if ref is None:
            return None
        rels = self.xml("word/_rels/document.xml.rels")
        rid = ref.get(q("r:id"))
        for rel in rels:
            if rel.get("Id") == rid:
                return self.xml("word/" + rel.get("Target"))
        raise AssertionError(f"no relationship {rid}")
