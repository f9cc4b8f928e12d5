"""The paragraphs of a story part (body, header, footer) as text, for the template stage.

Rendering works on a story part's XML as a string (docxtpl's passes and
Jinja both do); what it needs to know of WordprocessingML to do so, where
a paragraph starts and ends and what its words are, is here.
"""

from __future__ import annotations

import re

PARAGRAPH = re.compile(r"<w:p[ >]")
PARAGRAPH_END = "</w:p>"
_TAGS = re.compile(r"<[^<>]+>")  # not across a "<" that a tag's own text holds ('<w:p')
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")


def one_paragraph_per_line(xml: str) -> str:
    """Put each paragraph on a line of its own: Jinja's line numbers then name the paragraph."""
    return PARAGRAPH.sub(r"\n\g<0>", xml)


def joined(xml: str) -> str:
    """Undo ``one_paragraph_per_line`` in rendered output."""
    return xml.replace("\n<w:p", "<w:p")


def starts_paragraph(line: str) -> bool:
    """Whether a line of ``one_paragraph_per_line``'s output is a paragraph's."""
    return line.startswith("<w:p")


def paragraphs(xml: str) -> list[str]:
    """Each paragraph's XML, from its start to the next paragraph's."""
    return PARAGRAPH.split(xml)[1:]


def after_paragraph(piece: str) -> str:
    """What follows the end of a paragraph in a piece of ``paragraphs``."""
    return piece.rsplit(PARAGRAPH_END, 1)[-1]


def text(paragraph: str) -> str:
    """One paragraph's XML with its tags removed and its entities as they are."""
    return _TAGS.sub("", paragraph.split(PARAGRAPH_END)[0])


def words(paragraph: str) -> str:
    """The words of one paragraph's XML (from its ``<w:p`` on), as Word shows them.

    Entities are read (docxtpl has already read those inside the tags of a
    compiled source), so that a paragraph compares equal in both forms.
    """
    # here: only a template's error reads words, and saxutils imports urllib (10 ms at start-up)
    from xml.sax.saxutils import unescape

    return " ".join(unescape(_TAGS.sub(" ", paragraph.split(PARAGRAPH_END)[0])).split())


def in_cell(before: str) -> bool:
    """Whether the XML after ``before`` is inside a table cell."""
    return before.count("<w:tc>") + before.count("<w:tc ") > before.count("</w:tc>")


def has_listing(xml: str) -> bool:
    """Whether some text holds a tab or line break for docxtpl's listing pass to turn into Word's.

    Checked first by a plain search: the regex is a pass over every paragraph.
    """
    start = xml.find("?>") + 2 if xml.startswith("<?xml") else 0
    if xml.startswith("\n", start):
        start += 1  # the line break that ends the declaration is not text
    if all(xml.find(mark, start) < 0 for mark in "\t\n\a\f"):
        return False
    return _LISTING.search(xml, start) is not None


LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
"""What docxtpl's listing pass writes for a line break inside a text."""


_BROKEN_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<\n]*\n[^<]*</w:t>")
"""A text holding a line break (the scan is the regex engine's; only these are rewritten)."""


def with_line_breaks(xml: str) -> str:
    """Turn line breaks inside texts into Word's, as docxtpl's listing pass does.

    An agency name broken into lines (and any text with a line break) needs
    only this; docxtpl, 85 ms to import, is then left for tabs, \\a and \\f.
    """
    return _BROKEN_TEXT.sub(lambda m: m.group(0).replace("\n", LINE_BREAK), xml)
