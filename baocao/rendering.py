"""Stage 4, render: fill a template bundle's .docx with a validated report.

The only module that imports docxtpl. Rendering is safe by default: the
one Jinja environment has autoescape on (docxtpl's default silently drops
"&", "<…>" and what follows them) and ``StrictUndefined``, runs in Jinja's
sandbox, and carries the Vietnamese filters. ``render`` returns bytes and
never touches the disk; ``output.write`` does that, atomically.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, Twips
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment

from baocao import body, layout, ooxml
from baocao.bundle import Template
from baocao.errors import InputError, Location, TemplateError
from baocao.formatting import FILTERS
from baocao.validation import Validated


@cache
def environment() -> SandboxedEnvironment:
    """Return the one Jinja environment every template is rendered in."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


@cache
def _undeclared(template: Template) -> frozenset[str]:
    """Fields the template's Jinja code reads (computed once per template)."""
    try:
        return frozenset(
            DocxTemplate(template.docx).get_undeclared_template_variables(environment())
        )
    except JinjaTemplateError as err:
        raise TemplateError("template_broken", name=template.name, detail=str(err)) from err


def render(validated: Validated) -> bytes:
    """Return the .docx of ``validated`` as bytes."""
    template = validated.template
    document = DocxTemplate(template.docx)
    document.init_docx()  # pictures are added to this package while laying out the body
    base_dir = validated.source.base_dir or Path.cwd()
    context = layout.context(validated.data, template, body.Media(base_dir, _embedder(document)))
    missing = _undeclared(template) - context.keys()
    if missing:
        raise TemplateError(
            "template_undeclared", name=template.name, fields=", ".join(sorted(missing))
        )
    try:
        document.render(context, jinja_env=environment())
    except JinjaTemplateError as err:
        raise TemplateError("template_broken", name=template.name, detail=str(err)) from err
    _finish(document, context, validated.data, template.name)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FOOTNOTES_PART = "/word/footnotes.xml"
A4 = (Mm(210), Mm(297))


def _sections(document: DocxTemplate, sections: list[layout.Section]) -> None:
    """Turn each section-break paragraph into the end of its section.

    The template's final section properties (page size, headers, numbering)
    are copied to every break, so all sections share the page-number header,
    and each appendix gets its orientation and numbering from 1.
    """
    body = document.docx.element.body
    final = body.get_or_add_sectPr()
    breaks = [
        p
        for p in body.iterchildren(qn("w:p"))
        if p.pPr is not None
        and p.pPr.pStyle is not None
        and p.pPr.style == layout.SECTION_BREAK_STYLE
    ]
    empty_footer = next(
        (
            rid
            for rid, rel in document.docx.part.rels.items()
            if rel.reltype == RT.FOOTER and rel.target_part.partname == FIRST_PAGE_ONLY_FOOTER
        ),
        None,
    )
    report = copy.deepcopy(final)
    for index, (paragraph, section) in enumerate(zip(breaks, sections[:-1], strict=True)):
        properties = copy.deepcopy(report)
        paragraph.get_or_add_pPr().append(properties)
        _shape(Section(properties, document.docx.part), section, empty_footer if index else None)
    last = empty_footer if breaks else None
    _shape(Section(final, document.docx.part), sections[-1], last)  # the last section ends the body


def _embedder(document: DocxTemplate) -> Callable[[Path, int, int | None], str]:
    """Embed pictures in ``document``: natural size, or the width asked, never wider than the text."""

    def embed(path: Path, max_width: int, width: int | None) -> str:
        try:
            _, image = document.docx.part.get_or_add_image(str(path))
        except (OSError, UnrecognizedImageError) as err:
            raise InputError("picture_unreadable", Location(str(path)), reason=str(err)) from err
        target = min(Twips(width) if width else image.width, Twips(max_width))
        inline = document.docx.part.new_pic_inline(str(path), target, None)
        return f"<w:r><w:drawing>{inline.xml}</w:drawing></w:r>"

    return embed


FIRST_PAGE_ONLY_FOOTER = "/word/footer2.xml"
"""The template's empty footer: appendices must not repeat page 1's contact strip."""


def _shape(section: Section, spec: layout.Section, first_footer: str | None) -> None:
    if first_footer is not None:
        for ref in section._sectPr.findall(qn("w:footerReference")):
            if ref.get(qn("w:type")) == "first":
                ref.set(qn("r:id"), first_footer)
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if spec.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if spec.landscape else (width, height)
    section.start_type = WD_SECTION.NEW_PAGE


def _finish(
    document: DocxTemplate, context: dict[str, Any], data: dict[str, Any], template_name: str
) -> None:
    """Set what lives outside the body's XML: sections, margins, sizes, file properties."""
    _sections(document, context["phan"])
    page: layout.Page = context["trang"]
    sizes: layout.Sizes = context["co_chu"]
    styles = {style.style_id: style for style in document.docx.styles}
    for style_id, points in sizes.by_style().items():
        if style_id in styles:  # a custom template may not define every style
            styles[style_id].font.size = Pt(points)
    for section in document.docx.sections:
        section.top_margin = Twips(page.top)
        section.bottom_margin = Twips(page.bottom)
        section.left_margin = Twips(page.left)
        section.right_margin = Twips(page.right)
    notes: list[str] = context["chu_thich"]
    if notes:
        part = next(
            (p for p in document.docx.part.package.parts if p.partname == FOOTNOTES_PART), None
        )
        if part is None:
            raise TemplateError("template_no_footnotes", name=template_name)
        part._blob = ooxml.with_footnotes(part.blob, notes)
    properties = document.docx.core_properties
    properties.title = f"{context['ten_loai']} {' '.join(context['trich_yeu'])}"
    properties.author = data["co_quan_ban_hanh"].replace("\n", " ")
    properties.last_modified_by = "baocao"
    properties.language = "vi-VN"
