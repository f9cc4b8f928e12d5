"""Jinja filters that write report data the Vietnamese way: ``{{ x|so }}``.

Why this module exists: templates are written by people who know the decree,
not Python, and the data comes from YAML typed by clerks. The rules themselves
(separators, words, the decree's date phrase) live in ``baocao.vietnamese``;
this module only adapts them to templates:

- each filter has a short unaccented Vietnamese name, like the YAML keys
  (``so``, ``tien_bang_chu``, ``ngay_vb``);
- each accepts exactly what YAML gives (int, Decimal, a string such as
  ``"1.234,5"``, ``datetime.date``; None where a blank makes sense) and turns
  anything else, a float included, into a ``FormatError`` (a ``ValueError``)
  whose message names the filter, so that a template error can be traced to
  its field.

Errors are data (``baocao.errors.FormatError``: a code of
``baocao.messages.MESSAGES`` and its parameters). A filter's error is
``FormatError("filter_prefix", name=<filter>, message=<inner error>)``: the
inner error, raised by ``baocao.vietnamese`` or by the checks here, is kept
whole as the ``message`` parameter (and as ``__cause__``), so that
``err.message("en")`` renders both parts in English and ``str(err)`` both in
Vietnamese: "bộ lọc “so”: không đọc được số “abc”: …". An inner error that is
not a ``FormatError`` (a ``TypeError`` for a wrong option type) is inserted
as its ``str()``.

``FILTERS`` is registered in the one place that builds the rendering Jinja
environment (``baocao/rendering.py``). Every filter returns plain text; the
environment's autoescaping handles ``&`` and ``<`` in the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

from baocao.errors import FormatError
from baocao.vietnamese import (
    BLANK,
    document_number,
    format_magnitude,
    format_money,
    format_number,
    format_percent,
    letter,
    money_to_words,
    nd30_date,
    nd30_date_parts,
    number_to_words,
    parse_number,
    quarter,
    roman,
    short_date,
)

__all__ = ["FILTERS"]

# As text: compiled by ``re`` at their first use (see ``source._CONTROL``).
_ISO_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_VN_DATE = r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"


def _wrong(code: str, value: object) -> FormatError:
    # str() now, not when the message is rendered: str() of a jinja2.StrictUndefined
    # raises Jinja's own "'x' is undefined", which must reach the template author.
    return FormatError(code, value=str(value), kind=type(value).__name__)


def _number(value: object) -> int | Decimal:
    if value is None:
        raise FormatError("filter_empty")
    if isinstance(value, float):
        raise FormatError("filter_float", value=value)
    if isinstance(value, bool):
        raise _wrong("filter_not_number", value)
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, str):
        return parse_number(value)
    raise _wrong("filter_not_number", value)


def _whole(value: object) -> int:
    number = _number(value)
    if isinstance(number, Decimal):
        if not number.is_finite() or number != number.to_integral_value():
            raise FormatError("filter_not_whole", value=value)
        return int(number)
    return number


def _to_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if value is None:
        raise FormatError("filter_empty")
    if isinstance(value, str):
        text = value.strip()
        iso, vietnamese = re.fullmatch(_ISO_DATE, text), re.fullmatch(_VN_DATE, text)
        try:
            if iso:
                return date(int(iso[1]), int(iso[2]), int(iso[3]))
            if vietnamese:
                return date(int(vietnamese[3]), int(vietnamese[2]), int(vietnamese[1]))
        except ValueError:
            raise FormatError("filter_bad_date", value=text) from None
    raise _wrong("filter_not_date", value)


def _named(name: str, function: Callable[..., str]) -> Callable[..., str]:
    """Put the filter's name in front of every data error it raises.

    The error caught is wrapped whole, not as text: see the module docstring.
    """

    def wrapper(*args: object, **kwargs: object) -> str:
        try:
            return function(*args, **kwargs)
        except (TypeError, ValueError) as err:
            raise FormatError("filter_prefix", name=name, message=err) from err

    wrapper.__name__ = wrapper.__qualname__ = f"filter_{name}"
    wrapper.__doc__ = function.__doc__
    return wrapper


def _so(value: object, decimals: int | None = None) -> str:
    """Write a number with Vietnamese separators: 1416 → "1.416", 26,86 stays "26,86"."""
    return format_number(_number(value), decimals)


def _phan_tram(value: object, decimals: int | None = 2) -> str:
    """Write a value already in percent: 26,86 → "26,86%" (trailing zeros dropped)."""
    return format_percent(_number(value), decimals)


def _tien(value: object, unit: str = "đồng") -> str:
    """Write whole đồng in digits: 1500000 → "1.500.000 đồng"."""
    return format_money(_number(value), unit)


def _bang_chu(
    value: object, linh: str = "linh", nghin: str = "nghìn", tu: bool = False, ty: str = "tỷ"
) -> str:
    """Spell a number: 2021 → "hai nghìn không trăm hai mươi mốt"."""
    return number_to_words(_number(value), linh=linh, nghin=nghin, tu=tu, ty=ty)


def _tien_bang_chu(
    value: object,
    chan: bool = False,
    unit: str = "đồng",
    linh: str = "linh",
    nghin: str = "nghìn",
    tu: bool = False,
    ty: str = "tỷ",
) -> str:
    """Spell whole đồng: 1500000 → "Một triệu năm trăm nghìn đồng"."""
    return money_to_words(
        _number(value), unit=unit, chan=chan, linh=linh, nghin=nghin, tu=tu, ty=ty
    )


def _ty_trieu(value: object, unit: str = "đồng", decimals: int = 2) -> str:
    """Write a large amount by magnitude: 32800000000 → "32,8 tỷ đồng"."""
    return format_magnitude(_number(value), unit, decimals=decimals)


def _ngay_vb(value: object, place: str | None = None, blank: str = BLANK) -> str:
    """Write the decree's date phrase; blank parts for drafts.

    A date (or "2021-03-19", "19/3/2021") gives "ngày 19 tháng 3 năm 2021";
    None or "" leaves the whole date blank; a mapping with some of ``ngay``,
    ``thang``, ``nam`` leaves the missing ones blank.
    """
    if value is None or value == "":
        return nd30_date_parts(None, None, None, place, blank=blank)
    if isinstance(value, Mapping):
        unknown = sorted(str(key) for key in value if key not in ("ngay", "thang", "nam"))
        if unknown:
            raise FormatError("filter_date_keys", keys=", ".join(unknown))
        day, month, year = (
            None if value.get(key) in (None, "") else _whole(value[key])
            for key in ("ngay", "thang", "nam")
        )
        return nd30_date_parts(day, month, year, place, blank=blank)
    return nd30_date(_to_date(value), place)


def _ngay(value: object, style: str = "nd30") -> str:
    """Write a short date: 2021-08-12 → "12/8/2021"."""
    return short_date(_to_date(value), style=style)


def _quy(value: object, year: object = None) -> str:
    """Name a quarter: 1 with 2021 → "Quý I năm 2021"."""
    return quarter(_whole(value), None if year is None else _whole(year))


def _chu_cai(value: object) -> str:
    """Give the letter of the n-th điểm: 5 → "đ", 7 → "g"."""
    return letter(_whole(value))


def _la_ma(value: object) -> str:
    """Write a Roman numeral: 4 → "IV"."""
    return roman(_whole(value))


def _so_ky_hieu(value: object, symbol: str | None = None, blank: str = BLANK) -> str:
    """Write the "Số" line: 5 with "BC-STTTT" → "Số: 05/BC-STTTT"; None leaves it blank."""
    number = None if value is None or value == "" else _whole(value)
    return document_number(number, symbol, blank=blank)


_FUNCTIONS: dict[str, Callable[..., str]] = {
    "so": _so,
    "phan_tram": _phan_tram,
    "tien": _tien,
    "bang_chu": _bang_chu,
    "tien_bang_chu": _tien_bang_chu,
    "ty_trieu": _ty_trieu,
    "ngay_vb": _ngay_vb,
    "ngay": _ngay,
    "quy": _quy,
    "chu_cai": _chu_cai,
    "la_ma": _la_ma,
    "so_ky_hieu": _so_ky_hieu,
}

FILTERS: dict[str, Callable[..., str]] = {
    name: _named(name, function) for name, function in _FUNCTIONS.items()
}
"""Jinja filter name → function; register with ``env.filters.update(FILTERS)``."""
