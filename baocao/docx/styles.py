"""A template's ``word/styles.xml`` with the report's font sizes (the decree's, or the clerk's).

The one place styles are edited as a tree (lxml): the sizes go into each
style's run properties, in the order the schema requires. lxml is imported
when a styles part is edited: a one-shot render finds the edited part in
the template cache (``rendering._styles``) and never loads it.
"""

from __future__ import annotations

from collections.abc import Mapping

from baocao.docx.ooxml import PPR_ORDER, RPR_ORDER

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_AFTER_SZ = {f"{{{W}}}{t}" for t in RPR_ORDER[RPR_ORDER.index("sz") + 1 :]}
"""Run properties that come after ``w:sz`` in CT_RPr's sequence: a new size goes before them."""


def with_sizes(styles: bytes, sizes: Mapping[str, int]) -> bytes:
    """``styles`` with each style of ``sizes`` (id → points) set to that size.

    A style the template does not define is skipped (a clerk's own template
    may not define every style).
    """
    from lxml import etree

    root = etree.fromstring(styles)
    for style_id, points in sizes.items():
        style = root.find(f"{{{W}}}style[@{{{W}}}styleId='{style_id}']")
        if style is None:
            continue
        rpr = style.find(f"{{{W}}}rPr")
        if rpr is None:
            rpr = etree.SubElement(style, f"{{{W}}}rPr")
        for tag in ("sz", "szCs"):
            element = rpr.find(f"{{{W}}}{tag}")
            if element is None:
                element = etree.Element(f"{{{W}}}{tag}")
                later = next((c for c in rpr if c.tag in _AFTER_SZ and c.tag != element.tag), None)
                if later is None:
                    rpr.append(element)
                else:
                    later.addprevious(element)
            element.set(f"{{{W}}}val", str(points * 2))
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


SINGLE_LINE = 240
"""``w:line`` of single spacing when ``w:lineRule`` is auto (240ths of a line)."""

_AFTER_SPACING = {f"{{{W}}}{t}" for t in PPR_ORDER[PPR_ORDER.index("spacing") + 1 :]}
"""Paragraph properties after ``w:spacing`` in CT_PPr's sequence."""


def with_line_spacing(styles: bytes, lines: Mapping[str, int]) -> bytes:
    """``styles`` with each paragraph style of ``lines`` (id → 240ths of a line) spaced so.

    Space before and after stay the style's; a style the template does not
    define is skipped, as in ``with_sizes``.
    """
    from lxml import etree

    root = etree.fromstring(styles)
    for style_id, line in lines.items():
        style = root.find(f"{{{W}}}style[@{{{W}}}styleId='{style_id}']")
        if style is None:
            continue
        ppr = style.find(f"{{{W}}}pPr")
        if ppr is None:
            ppr = etree.Element(f"{{{W}}}pPr")
            rpr = style.find(f"{{{W}}}rPr")
            if rpr is None:
                style.append(ppr)
            else:
                rpr.addprevious(ppr)
        spacing = ppr.find(f"{{{W}}}spacing")
        if spacing is None:
            spacing = etree.Element(f"{{{W}}}spacing")
            later = next((c for c in ppr if c.tag in _AFTER_SPACING), None)
            if later is None:
                ppr.append(spacing)
            else:
                later.addprevious(spacing)
        spacing.set(f"{{{W}}}line", str(int(line)))
        spacing.set(f"{{{W}}}lineRule", "auto")
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out
