"""The header table's two columns, moved when the agency's name needs a wider left one.

The shell's header table is written with the layout's default widths
(``layout.HEADER_LEFT`` | ``HEADER_RIGHT``); a template whose first such
table is not there (a clerk's own letterhead) is left as it is.
"""

from __future__ import annotations

GRID = '<w:tblGrid><w:gridCol w:w="{}"/><w:gridCol w:w="{}"/></w:tblGrid>'


def holds(xml: str, old: tuple[int, int]) -> bool:
    """Whether the first table gridded ``old`` stands whole in ``xml`` (a piece of a part)."""
    start = xml.find(GRID.format(*old))
    return start >= 0 and xml.find("</w:tbl>", start) >= 0


def with_columns(xml: str, old: tuple[int, int], new: tuple[int, int]) -> str:
    """``xml`` with the first table gridded ``old`` (twips) re-gridded ``new``, cells too."""
    grid = GRID
    start = xml.find(grid.format(*old))
    if start < 0 or old == new:
        return xml
    end = xml.find("</w:tbl>", start)
    table = xml[start:end].replace(grid.format(*old), grid.format(*new), 1)
    for before, after in zip(old, new, strict=True):
        table = table.replace(
            f'<w:tcW w:w="{int(before)}" w:type="dxa"/>',
            f'<w:tcW w:w="{int(after)}" w:type="dxa"/>',
        )
    return xml[:start] + table + xml[end:]
