"""The page as a report sets it: margins, font sizes, and the header's two columns.

Read by validation (a typed agency line too wide for the header, a table too
wide for the page) and by the layout, which lays the document out in them;
pure functions of the report's ``trinh_bay`` and the decree data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from baocao import nd30, vietnamese
from baocao.measure import mm, text_width
from baocao.model import Page, Sizes

DEFAULT_MARGINS = {
    "tren": nd30.MARGINS.top.default,
    "duoi": nd30.MARGINS.bottom.default,
    "trai": nd30.MARGINS.left.default,
    "phai": nd30.MARGINS.right.default,
}
"""Default margins in mm, inside the decree's ranges (Phụ lục I, mục I.3)."""


def page(data: dict[str, Any]) -> Page:
    margins = {**DEFAULT_MARGINS, **((data.get("trinh_bay") or {}).get("le_trang") or {})}
    return Page(*(mm(float(margins[k])) for k in ("tren", "duoi", "trai", "phai")))


DEFAULT_TOKENS = {"so_ky_hieu": "#SoKyHieuVanBan", "dia_danh_ngay": "#DiaDiemNgayBanHanh"}
"""E-office tokens stamped over at signing (seed 000, qOffice-style systems)."""


NO_DATE = vietnamese.DateParts(None, None, None)
"""A date not given at all: every part left blank for the Văn thư."""


def date_line(place: str | None, issued: vietnamese.DateParts) -> str:
    """Write the place and date: "Quảng Nam, ngày 12 tháng 11 năm 2021", blanks allowed.

    ``issued`` is what validation read and checked (``Validated.dates``).
    """
    return vietnamese.nd30_date_parts(*issued, place=place, blank=vietnamese.BLANK)


def header_date(data: dict[str, Any], issued: vietnamese.DateParts) -> str:
    """The header's place-and-date line: the e-office token, or the phrase (ô 4).

    Its width decides how far the agency's column may widen, so validation's
    warning and the layout measure the same line.
    """
    tokens = data.get("ma_dac_biet")
    if tokens:
        names = {**DEFAULT_TOKENS, **(tokens if isinstance(tokens, dict) else {})}
        return str(names["dia_danh_ngay"])
    return date_line(data.get("dia_danh"), issued)


HEADER_LEFT = mm(68)


HEADER_RIGHT = mm(102)
"""Header table columns: agency block | Quốc hiệu (13 pt bold caps is 95.7 mm)."""


CELL_MARGIN = mm(1)


NAME_SLACK = mm(1)
"""Room left beside the longest line of a name or the Quốc hiệu in a widened column."""


def sizes(data: dict[str, Any]) -> Sizes:
    """The sizes a report sets (``trinh_bay.co_chu``, ``co_chu_quoc_hieu``), else the decree's."""
    layout = data.get("trinh_bay") or {}
    default = Sizes()
    return Sizes(
        body=layout.get("co_chu", default.body),
        quoc_hieu=layout.get("co_chu_quoc_hieu", default.quoc_hieu),
    )


def typed_lines(value: str | list[str]) -> list[str] | None:
    """The clerk's own lines of a name (a list, or a text with line breaks), else None."""
    if isinstance(value, list):
        return [str(line) for line in value]
    return value.split("\n") if "\n" in value else None


def caps_width(size: int, bold: bool) -> Any:
    """How wide a name's line prints: the header styles set it in capitals."""
    return lambda line: text_width(line.upper(), size, bold=bold)


def right_minimum(size: Sizes, place_date: str) -> int:
    """The narrowest right column: the Quốc hiệu on one line, and the place-and-date
    line too when it is on one line at the template's width."""
    need = text_width(nd30.QUOC_HIEU_TEXT, size.quoc_hieu, bold=True)
    date = text_width(place_date, size.tieu_ngu)
    if date + 2 * CELL_MARGIN <= HEADER_RIGHT:
        need = max(need, date)
    return need + 2 * CELL_MARGIN + NAME_SLACK


def typed_lines_too_wide(
    data: dict[str, Any], size: Sizes, place_date: str
) -> Iterator[tuple[tuple[str, int], str, int, int]]:
    """Each name line the clerk typed that the widest left column cannot hold on one line:
    its path, the line, the width it needs and the column's room (twips); Word wraps it."""
    room = max(HEADER_LEFT, HEADER_LEFT + HEADER_RIGHT - right_minimum(size, place_date))
    room -= 2 * CELL_MARGIN
    for key, bold in (("co_quan_chu_quan", False), ("co_quan_ban_hanh", True)):
        value = data.get(key)
        typed = typed_lines(value) if isinstance(value, (str, list)) and value else None
        for index, line in enumerate(typed or ()):
            need = caps_width(size.quoc_hieu, bold)(line)
            if need > room:
                yield (key, index), line, need, room
