"""Check any .docx against the layout rules of Nghị định 30/2020/NĐ-CP.

    >>> from baocao.check import check
    >>> report = check("bao-cao.docx")                        # doctest: +SKIP
    >>> report.passed, [r.rule for r in report.failed]        # doctest: +SKIP
    (False, ['so_ky_hieu'])
    >>> print("\\n".join(report.lines("vi")))                 # doctest: +SKIP
    >>> from baocao.check import read
    >>> read("bao-cao.docx").header.number.shown              # doctest: +SKIP
    'Số: 12/BC-STTTT'

``check`` reads the file through ``baocao.docx.read`` (formatting resolved
through styles as Word does), finds the decree's elements by their text and
place (Quốc hiệu, "Số:", "…, ngày … tháng … năm …", the type name, "Nơi
nhận:", the signer block), and gives one ``RuleResult`` per rule in
``RULES``, in that order. It works on our output and on a clerk's own Word
file: an element is looked for by what it says, in a header table or in
plain paragraphs, with tabs and line breaks; what cannot be found fails its
rule with a message naming what was looked for. The numbers are the
decree's (Phụ lục I), with the ranges of ``docs/kiem-tra.md``.

The package splits along the stages: ``reading`` finds the elements and gives
what it recognised as a ``baocao.readmodel.ReadDocument`` (a partial
document in the model's terms, each element with its place and observed
formatting, frozen); ``rules`` judges that document and nothing else, one
function per rule, with the numbers of ``baocao.nd30``; ``results`` holds the
results and their text and JSON forms. This module only runs the three in order.

The document type decides the title rule (``ten_loai``). Given as
``template`` ("ke-hoach"), it is checked for; otherwise it is found: a known
type name (``baocao.bundle``) centred in bold under the header gives that
type, else a "V/v …" line under "Số:" gives a công văn (no type name, the
trích yếu under the number, PL I mục II.5.b). ``Report.template`` says which.

Results are data: a stable rule name, ``passed``, what was seen, where
(paragraph number in reading order, 1-based, and an excerpt), and a message
code with parameters from ``baocao.messages`` rendered in the language asked
for. A file that is not a readable .docx raises ``InputError`` (exit 3), and so
does one beyond the reader's limits (``baocao.docx.read``: size, elements,
nesting) or one whose rules take longer than ``MAX_SECONDS``: every step is
linear in the document, so only a hostile file comes near these bounds.
"""

from __future__ import annotations

import time
from pathlib import Path

from baocao.check import reading
from baocao.check.reading import _kind, _kinds
from baocao.check.results import Place, Report, RuleResult
from baocao.check.rules import _CHECKS, RULES
from baocao.docx.read import Docx
from baocao.readmodel import ReadDocument

__all__ = [
    "EXIT_FAILED",
    "MAX_SECONDS",
    "RULES",
    "Place",
    "ReadDocument",
    "Report",
    "RuleResult",
    "check",
    "read",
]

EXIT_FAILED = 7
"""Exit code of ``baocao check`` when a rule fails."""

MAX_SECONDS = 10.0
"""Wall-clock budget of one check, reading included. Our largest real document (57
pages) takes 0.1 s; past the budget the check stops with ``check_too_slow``."""


def read(
    source: str | Path | bytes,
    *,
    template: str | None = None,
    seconds: float = MAX_SECONDS,
    whole: bool = False,
    legacy: bool = False,
    name: str | None = None,
    exact: bool = False,
) -> ReadDocument:
    """Read a .docx (a path or its bytes) into the read model, without judging it.

    What reading recognised, in the model's parts (``baocao.readmodel``):
    the header, title, body paragraphs, closing and appendices, each element
    with its place and observed formatting. ``template`` is the type to look
    for, as for ``check``; errors are ``check``'s. ``whole`` also gives every
    paragraph whole (``head``, ``content``, ``tail``: what ``baocao import`` takes back).
    ``legacy`` reads text typed in TCVN3 or VNI fonts as Unicode (for ``baocao import``);
    ``name`` is the file's name in messages when ``source`` is bytes. ``exact`` counts
    the pages with LibreOffice (a PDF made for it) instead of estimating them when the
    file's own count is absent or says one page; raises ``ConvertError`` without it.
    """
    kind = _kind(template) if template is not None else None
    kinds = _kinds()
    name = name or ("<docx>" if isinstance(source, bytes) else str(source))
    docx = Docx.open(source, name)
    docx.legacy = legacy
    pages = _libreoffice_pages(source) if exact else None
    docx.deadline, docx.budget = time.monotonic() + seconds, seconds
    return reading.read(docx, kind, kinds, whole=whole, pages=pages)


def _libreoffice_pages(source: str | Path | bytes) -> int:
    """The page count of LibreOffice's PDF of ``source`` (``baocao check --chinh-xac``)."""
    import tempfile

    from baocao.convert import page_count

    if not isinstance(source, bytes):
        return page_count(Path(source))
    with tempfile.TemporaryDirectory(prefix="baocao-check-") as scratch:
        path = Path(scratch) / "in.docx"
        path.write_bytes(source)
        return page_count(path)


def check(
    source: str | Path | bytes,
    *,
    template: str | None = None,
    seconds: float = MAX_SECONDS,
    exact: bool = False,
) -> Report:
    """Check a .docx (a path or its bytes) against the decree's rules.

    ``template`` names the document type ("bao-cao", "ke-hoach", "cong-van"…,
    see ``baocao.bundle.available``). None finds it in the document: a known
    type name centred in bold under the header, else a "V/v …" trích yếu
    under the number (a công văn); when neither is there the ``ten_loai``
    rule fails and names what was looked for. Returns a ``Report`` with one
    result per rule of ``RULES``; raises ``InputError`` when the file is not
    a readable .docx, is beyond the reader's limits or takes longer than
    ``seconds``, and ``TemplateError`` for an unknown template. ``exact`` counts the
    pages with LibreOffice (``read``).
    """
    document = read(source, template=template, seconds=seconds, exact=exact)
    recognised = document.title.kind
    found = recognised.template if recognised is not None else None
    return Report(document.name, tuple(_CHECKS[rule](document) for rule in RULES), found)
