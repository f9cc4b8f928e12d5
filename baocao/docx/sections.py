"""Section properties (``w:sectPr``): the template's, and each section's variant of them."""

from __future__ import annotations

import re
from collections.abc import Mapping

_SECTION = re.compile(r"<w:sectPr(?: [^>]*)?>.*?</w:sectPr>", re.DOTALL)


def find(document: str) -> list[str]:
    """The section properties in a document part, in order (the last is the body's)."""
    return _SECTION.findall(document)


def break_paragraph(style: str, properties: str) -> str:
    """An empty paragraph of ``style`` that ends a section with ``properties``."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{properties}</w:pPr></w:p>'


def variant(
    section: str,
    size: tuple[int, int],
    landscape: bool,
    margins: Mapping[str, int],
    first_footer: str | None,
    *,
    restart: bool = True,
    title_page: bool = True,
) -> str:
    """``section`` with the page ``size`` (twips), orientation, margins and first-page footer.

    ``margins`` maps top, bottom, left and right to twips; ``first_footer`` is
    the relationship id of the footer page 1 of the section shows, if changed.
    Without ``restart`` the page numbers go on from the section before; without
    ``title_page`` its first page has the same header and footer as the others.
    """
    width, height = size
    orient = ' w:orient="landscape"' if landscape else ""
    section = re.sub(r"<w:pgSz[^>]*/>", f'<w:pgSz w:w="{width}" w:h="{height}"{orient}/>', section)
    section = re.sub(
        r"<w:pgMar[^>]*/>",
        lambda m: re.sub(
            r'w:(top|bottom|left|right)="-?\d+"',
            lambda a: f'w:{a.group(1)}="{margins[a.group(1)]}"',
            m.group(0),
        ),
        section,
    )
    if first_footer is not None:
        section = re.sub(
            r'(<w:footerReference w:type="first" r:id=")\w+(")',
            rf"\g<1>{first_footer}\g<2>",
            section,
        )
    if not restart:
        section = re.sub(r'(<w:pgNumType\b[^>]*?)\s+w:start="\d+"', r"\1", section)
    if not title_page:
        section = re.sub(r"<w:titlePg(?: [^>]*)?/>", "", section)
    return section
