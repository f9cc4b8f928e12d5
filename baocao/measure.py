"""Lengths on the page: millimetres to twips, and how wide a line of text is.

Layout decides rule lengths, box widths and column widths from these; the
unit is the twip (1/20 pt), Word's unit, in which the document model is
written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any, cast

from baocao import _metrics, memo

TWIPS_PER_MM = 1440 / 25.4


def mm(value: float) -> int:
    """Convert millimetres to twips.

    >>> mm(30)
    1701
    """
    return round(value * TWIPS_PER_MM)


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Return the width of one line of Times New Roman text, in twips.

    Widths come from Liberation Serif, which shares Times New Roman's
    advance widths; unknown characters count as an average letter.
    """
    table = _metrics.BOLD if bold else _metrics.REGULAR
    units = sum(map(table.get, text, repeat(500, len(text))))
    return round(units * size_pt * 20 / 1000)


@memo.small(entries=8192, longest=40, size=6 * 2**20)
def word_width(word: str, size_pt: float, bold: bool = False) -> int:
    """``text_width`` of one word, remembered: table columns and row heights measure the
    same words again and again, and a batch the same vocabulary. Bounded: 8,192 words of
    at most 40 characters (a longer one is measured each time), under 4 MB."""
    table = _metrics.BOLD if bold else _metrics.REGULAR  # text_width's, a call fewer per miss
    # Misses are many (every new number and tag): the shared ``_UNKNOWN``, no iterator made.
    return round(sum(map(table.get, word, _UNKNOWN)) * size_pt * 20 / 1000)


_UNKNOWN = repeat(500)
"""An unknown character's width, for every character: one endless iterator, shared."""


def widest_line(lines: Iterable[str], size_pt: float, *, bold: bool = False) -> int:
    """``max(text_width(line) for line in lines)``, 0 for none, summed with no Python call per
    line: a table's column is measured line by line, thousands in a long report.

    The widest line's width is that of the most units: rounding keeps the order.
    """
    table = _metrics.BOLD if bold else _metrics.REGULAR
    each: Iterator[int] = map(sum, map(cast(Any, map), repeat(table.get), lines, repeat(_UNKNOWN)))
    return round(max(each, default=0) * size_pt * 20 / 1000)


def widest_word(words: Sequence[str], size_pt: float, bold: bool = False) -> int:
    """``max(word_width(word) for word in words)``, 0 for none.

    Looked up straight in ``word_width``'s cache, with no Python call per word, when
    every word is short enough to be kept there (a longer one goes through the check).
    """
    if not words:
        return 0
    if max(map(len, words)) <= word_width.longest:
        return cast(int, max(map(word_width.cached, words, repeat(size_pt), repeat(bold))))
    return max(map(word_width, words, repeat(size_pt), repeat(bold)))
