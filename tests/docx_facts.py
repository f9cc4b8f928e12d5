"""Read facts out of a rendered .docx: text, styles and effective formatting.

The reader lives in the package (``baocao.docx.read``, also used by ``baocao
check``); this module keeps the names the tests import.
"""

from __future__ import annotations

from baocao.docx.read import NS, Docx, Para, on, q

__all__ = ["NS", "Docx", "Para", "on", "q"]
