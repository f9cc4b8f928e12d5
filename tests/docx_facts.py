"""Read facts out of a rendered .docx: text, styles and effective formatting.

The reader lives in the package (``baocao.docx.read``, also used by ``baocao
check``); this module keeps the names the tests import.
"""

from __future__ import annotations

from baocao.docx.read import NS, Docx, Para, on, q

__all__ = ["NS", "Docx", "Para", "grid", "on", "q"]


def grid(doc: Docx, index: int = 1) -> list[list[str]]:
    """A table's rows as printed: each cell's text, ``<n>`` after it when it spans n columns.

    ``index`` counts the document's tables, the header table first (0).
    """
    out = []
    for row in doc.tables()[index].findall("w:tr", NS):
        cells = []
        for cell in row.findall("w:tc", NS):
            span = cell.find("w:tcPr/w:gridSpan", NS)
            text = "".join(cell.itertext())
            cells.append(text if span is None else f"{text}<{span.get(q('w:val'))}>")
        out.append(cells)
    return out
