"""Write numbers, dates and sequence labels the way Vietnamese reports do.

Digits go through Babel (CLDR locale ``vi``: ``1.234.567,5``). CLDR has no
spelled-out Vietnamese numbers and no pattern for the decree's date phrase, so
those rules are ours, written down in ``docs/so-va-ngay.md``.

Every function is pure. Numbers are ``int``, ``Decimal`` or a clerk's string
(``"1.234.567,5"``), never ``float``: a float has already lost digits, so it is
refused with ``TypeError``. ``TypeError`` means a programming mistake (wrong
type passed) and speaks English; bad data from a report raises
``baocao.errors.FormatError``, a ``ValueError`` that carries a message code
and parameters (the texts are in ``baocao.messages``): its ``str()`` is
Vietnamese, in lower case, so that a caller can put the field's location in
front of it, and ``message("en")`` gives English.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from typing import Any, NamedTuple

from baocao import nd30
from baocao.errors import Alternatives, FormatError

__all__ = [
    "BLANK",
    "LETTERS",
    "date_problem",
    "document_number",
    "format_magnitude",
    "format_money",
    "format_number",
    "format_percent",
    "letter",
    "money_to_words",
    "nd30_date",
    "nd30_date_parts",
    "number_to_words",
    "parse_number",
    "quarter",
    "roman",
    "short_date",
    "words_to_number",
]


@cache
def _babel() -> Any:
    """Babel's number functions and the vi locale, loaded on first use (start-up time)."""
    from babel import Locale, numbers

    return numbers, Locale.parse("vi")


BLANK = " " * 6
"""What stands for a number left blank until signing, with its spaces."""

LETTERS = nd30.POINT_LETTERS
"""Điểm letters in the decree's order: no ă â ê ô ơ ư, no f j w z."""

_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_LINH = ("linh", "lẻ")
_NGHIN = ("nghìn", "ngàn")
_TY = ("tỷ", "tỉ")


# -- helpers -------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@contextmanager
def _precision(digits: int) -> Iterator[None]:
    """Give Decimal arithmetic (ours and Babel's) room for ``digits`` digits.

    The default context keeps 28 significant digits, so quantizing or formatting
    a 30-digit amount would raise or round silently.
    """
    with localcontext() as ctx:
        ctx.prec = max(28, digits + 10)
        yield


def _digit_count(value: Decimal) -> int:
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite: checked by the caller
    return len(digits) + abs(exponent)


def _to_decimal(value: int | Decimal | str) -> Decimal:
    """Turn an accepted number into a finite Decimal; refuse float and bool."""
    if isinstance(value, bool):
        raise TypeError(f"expected int, Decimal or str, got bool ({value!r})")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise FormatError("number_not_finite", text=value)
        return value
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, float):
        raise TypeError(
            f"float {value!r} refused: floats lose digits; pass int, Decimal or str instead"
        )
    raise TypeError(f"expected int, Decimal or str, got {type(value).__name__}")


def _split(value: Decimal) -> tuple[bool, str, str]:
    """Split a finite Decimal into (negative, integer digits, fraction digits), exactly.

    The fraction keeps its trailing zeros (``1.50`` gives ``"50"``); the integer
    part has no leading zeros (``"0"`` for zero). Works on the digit tuple, so
    neither precision nor Python's int-to-str digit limit applies.
    """
    sign, digit_tuple, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    if exponent >= 0:
        whole, fraction = digits + "0" * exponent, ""
    else:
        digits = digits.rjust(-exponent + 1, "0")
        whole, fraction = digits[:exponent], digits[exponent:]
    return bool(sign), whole.lstrip("0") or "0", fraction


def _strip_fraction_zeros(value: Decimal) -> Decimal:
    """Drop trailing zeros after the decimal comma, never zeros of the integer part."""
    negative, whole, fraction = _split(value)
    sign, fraction = "-" if negative else "", fraction.rstrip("0")
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def _check_option(name: str, value: str, allowed: tuple[str, ...]) -> str:
    normal = _nfc(value) if isinstance(value, str) else value
    if normal not in allowed:
        raise FormatError("option_bad", name=name, value=value, allowed=Alternatives(allowed))
    return normal


def _check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r})")
    return value


# -- reading numbers aloud -------------------------------------------------------


def _read_group(group: str, full: bool, linh: str, tu: bool) -> list[str]:
    """Read three digits; ``full`` reads the hundreds even when zero ("không trăm")."""
    hundreds, tens, units = (int(c) for c in group)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(linh)
            words.append(_DIGIT_WORDS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGIT_WORDS[units])
    else:
        words += [_DIGIT_WORDS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4 and tu:
            words.append("tư")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGIT_WORDS[units])
    return words


def _read_integer(digits: str, linh: str, nghin: str, tu: bool, ty: str) -> list[str]:
    """Read a string of decimal digits (no leading zeros) as a whole number.

    The number is cut into chunks of nine digits, each below one tỷ, joined by
    "tỷ": 1.500 tỷ is "một nghìn năm trăm tỷ", 10^18 is "một tỷ tỷ". Inside the
    number every group of three after the first non-zero one is read in full.
    """
    if digits == "0":
        return ["không"]
    padded = digits.rjust(-(-len(digits) // 9) * 9, "0")
    chunks = [padded[i : i + 9] for i in range(0, len(padded), 9)]
    words: list[str] = []
    leading = True
    for index, chunk in enumerate(chunks):
        for offset, scale in ((0, "triệu"), (3, nghin), (6, "")):
            group = chunk[offset : offset + 3]
            if group == "000":
                continue
            words += _read_group(group, not leading, linh, tu)
            leading = False
            if scale:
                words.append(scale)
        if index < len(chunks) - 1:
            words.append(ty)
    return words


def _read(
    negative: bool, whole: str, fraction: str, linh: str, nghin: str, tu: bool, ty: str
) -> list[str]:
    words = _read_integer(whole, linh, nghin, tu, ty)
    if fraction:
        zeros = len(fraction) - len(fraction.lstrip("0"))
        words += ["phẩy"] + ["không"] * zeros
        if fraction[zeros:]:
            words += _read_integer(fraction[zeros:], linh, nghin, tu, ty)
    if negative and (whole != "0" or fraction.strip("0")):
        words.insert(0, "âm")
    return words


def number_to_words(
    value: int | Decimal | str,
    *,
    linh: str = "linh",
    nghin: str = "nghìn",
    tu: bool = False,
    ty: str = "tỷ",
) -> str:
    """Spell a number in Vietnamese words ("đọc số").

    Groups of three digits take nghìn, triệu, tỷ; larger numbers repeat tỷ
    (nghìn tỷ 10^12, triệu tỷ 10^15, tỷ tỷ 10^18, nghìn tỷ tỷ 10^21, …). A
    group after the first non-zero one is read in full ("không trăm linh năm");
    a group of zeros is skipped. After "mươi", 1 is "mốt" and 5 "lăm"; after
    "mười", 5 is "lăm". Negative numbers start with "âm"; zero is "không".

    Decimals: "phẩy", then the fraction digits read as a number, each leading
    zero read "không". Trailing zeros of the fraction are dropped first, since
    the words spell the value: ``Decimal("1.50")`` reads like 1,5 and
    ``Decimal("2.00")`` like 2.

    Options: ``linh="lẻ"`` (một trăm lẻ năm), ``nghin="ngàn"``, ``ty="tỉ"``,
    ``tu=True`` for "tư" after "mươi" (hai mươi tư; 14 stays mười bốn, 104
    stays một trăm linh bốn). A string is read with :func:`parse_number`.
    A float or bool raises ``TypeError``.

    >>> number_to_words(2021)
    'hai nghìn không trăm hai mươi mốt'
    >>> number_to_words(105, linh="lẻ")
    'một trăm lẻ năm'
    >>> number_to_words(1234567, tu=True)
    'một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy'
    >>> number_to_words(1500 * 10**9)
    'một nghìn năm trăm tỷ'
    >>> number_to_words(Decimal("26.86"))
    'hai mươi sáu phẩy tám mươi sáu'
    >>> number_to_words("1,05")
    'một phẩy không năm'
    >>> number_to_words(-21)
    'âm hai mươi mốt'
    """
    linh = _check_option("linh", linh, _LINH)
    nghin = _check_option("nghin", nghin, _NGHIN)
    ty = _check_option("ty", ty, _TY)
    if not isinstance(tu, bool):
        raise TypeError(f"tu must be a bool, got {type(tu).__name__}")
    negative, whole, fraction = _split(_to_decimal(value))
    return " ".join(_read(negative, whole, fraction.rstrip("0"), linh, nghin, tu, ty))


# -- reading words back ------------------------------------------------------------

# Variant spellings and the word they stand for.
_SYNONYMS = {
    "lẻ": "linh",
    "ngàn": "nghìn",
    "tỉ": "tỷ",
    "tư": "bốn",
    "mốt": "một",
    "lăm": "năm",
    "bẩy": "bảy",
}
# A variant that may only follow certain words: mốt only after mươi (21), lăm
# after mười or mươi (15, 25), tư after mươi or linh (24, 104).
_ONLY_AFTER = {
    "mốt": {"mươi"},
    "lăm": {"mười", "mươi"},
    "tư": {"mươi", "linh", "lẻ"},
}
_VOCABULARY = {*_DIGIT_WORDS, *_SYNONYMS}
_VOCABULARY |= {"mười", "mươi", "trăm", "linh", "nghìn", "triệu", "tỷ", "phẩy", "âm"}
_DIGIT_VALUE = {word: index for index, word in enumerate(_DIGIT_WORDS)}


class _Unreadable(Exception):
    """The words do not follow the shape of a number; words_to_number reports it."""


def _digit(word: str, low: int = 1) -> int:
    value = _DIGIT_VALUE.get(word)
    if value is None or value < low:
        raise _Unreadable
    return value


def _parse_below_hundred(words: list[str]) -> int:
    match words:
        case ["mười"]:
            return 10
        case ["mười", unit]:
            return 10 + _digit(unit)
        case [unit]:
            return _digit(unit)
        case [tens, "mươi"]:
            return 10 * _digit(tens, 2)
        case [tens, "mươi", unit]:
            return 10 * _digit(tens, 2) + _digit(unit)
    raise _Unreadable


def _parse_group(words: list[str]) -> int:
    if words[:1] == ["linh"] and len(words) == 2:
        # "một nghìn linh năm": parsed so that the error can give the exact reading.
        return _digit(words[1])
    if len(words) >= 2 and words[1] == "trăm":
        hundreds, rest = 100 * _digit(words[0], 0), words[2:]
        match rest:
            case []:
                return hundreds
            case ["linh", unit]:
                return hundreds + _digit(unit)
        return hundreds + _parse_below_hundred(rest)
    return _parse_below_hundred(words)


def _split_on(words: list[str], scale: str) -> tuple[list[str] | None, list[str]]:
    if words.count(scale) > 1:
        raise _Unreadable
    if scale not in words:
        return None, words
    at = words.index(scale)
    if at == 0:
        raise _Unreadable
    return words[:at], words[at + 1 :]


def _parse_chunk(words: list[str]) -> int:
    """Parse a number below one tỷ (at most one triệu and one nghìn, in order)."""
    millions, rest = _split_on(words, "triệu")
    thousands, units = _split_on(rest, "nghìn")
    total = 0
    for part, factor in ((millions, 10**6), (thousands, 10**3)):
        if part is not None:
            total += factor * _parse_group(part)
    if units:
        total += _parse_group(units)
    return total


def _parse_integer(words: list[str]) -> str:
    """Parse normalised words into a digit string; the caller checks the shape."""
    if words == ["không"]:
        return "0"
    chunks: list[list[str]] = [[]]
    for word in words:
        if word == "tỷ":
            chunks.append([])
        else:
            chunks[-1].append(word)
    if not chunks[0]:
        raise _Unreadable
    digits = "".join(f"{_parse_chunk(chunk) if chunk else 0:09d}" for chunk in chunks)
    return digits.lstrip("0") or "0"


def _without_zero_hundreds(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word == "trăm" and out[-1:] == ["không"]:
            out.pop()
        else:
            out.append(word)
    return out


def words_to_number(text: str) -> int | Decimal:
    """Read a number written in Vietnamese words; the inverse of :func:`number_to_words`.

    Returns an ``int``, or a ``Decimal`` when there is "phẩy". Accepts every
    reading that :func:`number_to_words` gives with any options, and also:
    capitals, extra spaces, NFD text, a trailing "đồng", "chẵn" or full stop,
    "một" for "mốt" and "năm" for "lăm" (hai mươi một, mười năm), "tư" after
    "linh" (một trăm linh tư), "bẩy" for "bảy", and fraction digits read with
    their trailing zeros ("một phẩy năm mươi" is ``Decimal("1.50")``).

    Anything else raises ``FormatError`` (a ``ValueError``), colloquial
    shortenings included: "một nghìn hai" may mean 1.002 or 1.200, so nothing
    is guessed. When the only slip is a missing or extra "không trăm"
    ("một nghìn linh năm"), the message gives the exact reading.

    >>> words_to_number("hai nghìn không trăm hai mươi mốt")
    2021
    >>> words_to_number("Một trăm lẻ năm đồng chẵn")
    105
    >>> words_to_number("âm một phẩy không năm")
    Decimal('-1.05')
    >>> words_to_number("một ngàn tỉ")
    1000000000000
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    shown = " ".join(_nfc(text).split())
    words = shown.lower().removesuffix("./.").removesuffix(".").split()
    for suffix in ("chẵn", "đồng"):
        if words and words[-1] == suffix:
            words.pop()
    if not words:
        raise FormatError("words_bad", text=shown)
    for index, word in enumerate(words):
        if word not in _VOCABULARY:
            raise FormatError("words_bad_word", text=shown, word=word)
        allowed_before = _ONLY_AFTER.get(word)
        if allowed_before is not None and (index == 0 or words[index - 1] not in allowed_before):
            raise FormatError("words_bad", text=shown)
    normal = [_SYNONYMS.get(word, word) for word in words]

    negative = normal[0] == "âm"
    body = normal[1:] if negative else normal
    if body.count("phẩy") > 1 or "âm" in body:
        raise FormatError("words_bad", text=shown)
    fraction_words: list[str] | None = None
    if "phẩy" in body:
        at = body.index("phẩy")
        body, fraction_words = body[:at], body[at + 1 :]
    try:
        whole = _parse_integer(body)
        fraction = ""
        if fraction_words is not None:
            zeros = 0
            while zeros < len(fraction_words) and fraction_words[zeros] == "không":
                zeros += 1
            rest = fraction_words[zeros:]
            fraction = "0" * zeros + (_parse_integer(rest) if rest else "")
            if not fraction:
                raise _Unreadable
    except _Unreadable:
        raise FormatError("words_bad", text=shown) from None

    canonical = _read(negative, whole, fraction, "linh", "nghìn", False, "tỷ")
    normal_canonical = [_SYNONYMS.get(word, word) for word in canonical]
    if normal_canonical != normal:
        # Suggest the exact reading only when the words differ from it by a missing
        # or extra "không trăm": other slips ("một nghìn hai" for 1.200) are ambiguous.
        if _without_zero_hundreds(normal_canonical) == _without_zero_hundreds(normal):
            raise FormatError("words_bad_hint", text=shown, canonical=" ".join(canonical))
        raise FormatError("words_bad", text=shown)
    sign = "-" if negative else ""
    if fraction_words is None:
        return int(Decimal(sign + whole))
    return Decimal(f"{sign}{whole}.{fraction}")


def money_to_words(
    value: int | Decimal | str,
    *,
    unit: str = "đồng",
    chan: bool = False,
    linh: str = "linh",
    nghin: str = "nghìn",
    tu: bool = False,
    ty: str = "tỷ",
) -> str:
    """Spell an amount of money in words, first letter capitalised ("bằng chữ").

    Money is whole đồng: an amount with a non-zero fraction raises
    ``ValueError`` (round it first, on purpose); ``Decimal("1500.00")`` is
    fine. ``chan=True`` appends "chẵn". ``unit=""`` leaves the unit out.
    The other options are those of :func:`number_to_words`.

    >>> money_to_words(1500000)
    'Một triệu năm trăm nghìn đồng'
    >>> money_to_words(1500000, chan=True)
    'Một triệu năm trăm nghìn đồng chẵn'
    >>> money_to_words("32.800.000.000", ty="tỉ")
    'Ba mươi hai tỉ tám trăm triệu đồng'
    """
    amount = _to_decimal(value)
    if _split(amount)[2].strip("0"):
        raise FormatError("money_fraction", value=format_number(amount))
    words = number_to_words(amount, linh=linh, nghin=nghin, tu=tu, ty=ty)
    parts = [words[0].upper() + words[1:]]
    if unit:
        parts.append(unit)
    if chan:
        parts.append("chẵn")
    return " ".join(parts)


# -- digits ------------------------------------------------------------------------


def parse_number(text: str) -> Decimal:
    """Read a number as a clerk types it: dot between thousands, comma before decimals.

    "1.234.567,5", "1234", "-21", "1,05", "26,86" are accepted (surrounding
    spaces and a "+" or "−" sign too). Anything else raises ``ValueError``
    with a message in Vietnamese, suggesting the likely intent when Babel has
    one ("1.5" → có phải là “15” hoặc “1,5”?). NaN, infinity, exponents,
    underscores, spaces inside and non-ASCII digits are refused.

    >>> parse_number("1.234.567,5")
    Decimal('1234567.5')
    >>> parse_number("-21")
    Decimal('-21')
    >>> parse_number("1,50")
    Decimal('1.50')
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    cleaned = text.strip().replace("\u2212", "-")
    if not re.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]+)*(?:,[0-9]+)?", cleaned):
        raise FormatError("number_bad_form", text=text.strip())
    numbers, locale = _babel()
    with _precision(len(cleaned)):
        try:
            return numbers.parse_decimal(cleaned, locale=locale, strict=True)  # type: ignore[no-any-return]
        except numbers.NumberFormatError as err:
            hints = Alternatives(getattr(err, "suggestions", []) or [])
            if hints:
                raise FormatError("number_bad_hint", text=cleaned, hints=hints) from err
            raise FormatError("number_bad", text=cleaned) from err


def _fraction_digits(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def _round(value: Decimal, decimals: int | None) -> Decimal:
    if decimals is None:
        return value
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise FormatError("decimals_bad", value=decimals)
    with _precision(_digit_count(value) + decimals):
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: int | Decimal | str, decimals: int | None = None) -> str:
    """Write a number with Vietnamese separators: "1.416", "26,86".

    ``decimals=None`` keeps exactly the fraction digits given (``Decimal("1.50")``
    gives "1,50", an int none); ``decimals=N`` rounds half up to N digits and
    always shows N (``decimals=0`` rounds to a whole number). Rounding never
    gives "-0": a result of zero is written without sign. Formatting goes
    through Babel with locale "vi", in Decimal arithmetic with enough precision
    for any size.

    >>> format_number(1416)
    '1.416'
    >>> format_number(Decimal("1234567.5"))
    '1.234.567,5'
    >>> format_number(-1234)
    '-1.234'
    >>> format_number(Decimal("26.855"), 2)
    '26,86'
    >>> format_number("1,5", 2)
    '1,50'
    """
    if type(value) is int and decimals is None:
        # Whole numbers are most table cells: Python's grouping gives Babel's
        # vi result ("." between thousands, "-" sign) without its cost.
        return f"{value:,}".replace(",", ".")
    number = _round(_to_decimal(value), decimals)
    if not number:
        number = number.copy_abs()
    places = _fraction_digits(number)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    with _precision(_digit_count(number)):
        numbers, locale = _babel()
        return numbers.format_decimal(number, format=pattern, locale=locale)  # type: ignore[no-any-return]


def format_percent(value: int | Decimal | str, decimals: int | None = 2) -> str:
    """Write a percentage already expressed in percent: ``26.86`` → "26,86%".

    Rounds half up to at most ``decimals`` fraction digits (None: no
    rounding), then drops trailing fraction zeros, as the reports write them:
    "3,9%", "100%". The sign follows the number with no space. Note that a
    small share such as 0,003% needs ``decimals=3`` (or None).

    >>> format_percent(Decimal("26.86"))
    '26,86%'
    >>> format_percent(Decimal("67.20"))
    '67,2%'
    >>> format_percent(Decimal("93.826"))
    '93,83%'
    >>> format_percent(Decimal("0.003"), 3)
    '0,003%'
    """
    number = _strip_fraction_zeros(_round(_to_decimal(value), decimals))
    return format_number(number) + "%"


def format_money(value: int | Decimal | str, unit: str = "đồng") -> str:
    """Write a whole amount of money in digits with its unit: "1.500.000 đồng".

    Money is whole đồng: a non-zero fraction raises ``ValueError`` (round it
    first); zeros after the comma are dropped. ``unit=""`` leaves the unit out.

    >>> format_money(1500000)
    '1.500.000 đồng'
    >>> format_money(Decimal("32800000000.00"))
    '32.800.000.000 đồng'
    """
    amount = _to_decimal(value)
    if _split(amount)[2].strip("0"):
        raise FormatError("money_fraction", value=format_number(amount))
    digits = format_number(amount, 0)
    return f"{digits} {unit}" if unit else digits


def format_magnitude(
    value: int | Decimal | str,
    unit: str = "đồng",
    *,
    decimals: int = 2,
    nghin: str = "nghìn",
    ty: str = "tỷ",
) -> str:
    """Write a large amount in words of magnitude: "32,8 tỷ đồng".

    Picks the largest of nghìn, triệu, tỷ that leaves at least 1 before the
    comma, rounds half up to at most ``decimals`` digits (2 by default) and
    drops trailing zeros. When rounding reaches 1.000 the next scale is used
    (999.999.999 → "1 tỷ"). Tỷ is the largest scale, as the press writes it:
    "1.500 tỷ đồng". Below 1.000 the number is written as given.
    ``unit=""`` leaves the unit out.

    >>> format_magnitude(32800000000)
    '32,8 tỷ đồng'
    >>> format_magnitude(1500000)
    '1,5 triệu đồng'
    >>> format_magnitude(1234567)
    '1,23 triệu đồng'
    >>> format_magnitude(1500 * 10**9)
    '1.500 tỷ đồng'
    >>> format_magnitude(500)
    '500 đồng'
    """
    nghin = _check_option("nghin", nghin, _NGHIN)
    ty = _check_option("ty", ty, _TY)
    number = _to_decimal(value)
    scales = [(3, nghin), (6, "triệu"), (9, ty)]
    chosen = None
    for index in range(len(scales) - 1, -1, -1):
        if abs(number) >= Decimal(10) ** scales[index][0]:
            chosen = index
            break
    if chosen is None:
        text = format_number(number)
    else:
        while True:
            power, word = scales[chosen]
            with _precision(_digit_count(number)):
                scaled = _strip_fraction_zeros(_round(number.scaleb(-power), decimals))
            if abs(scaled) < 1000 or chosen == len(scales) - 1:
                break
            chosen += 1
        text = f"{format_number(scaled)} {word}"
    return f"{text} {unit}" if unit else text


# -- dates -------------------------------------------------------------------------


def _day(day: int) -> str:
    return nd30.day_text(day)


def _month(month: int) -> str:
    # Months 1 and 2 are padded so that "01"/"02" cannot be extended into 11/12.
    return nd30.month_text(month)


def date_problem(
    day: int | None, month: int | None, year: int | None
) -> tuple[str, dict[str, int]] | None:
    """Say why a day, month and year (any of them unknown) are no date, or None if they may be.

    The one rule for every date of a report: validation asks it of each
    ``{ngay, thang, nam}`` and of each ``NĂM-THÁNG-NGÀY`` the loader reads, and
    the date phrase asks it again, so what validation lets through always
    renders. Without a year, 29 February is allowed: the year may be filled
    in later. The answer is a message code and its parameters.

    >>> date_problem(31, 4, 2024)
    ('date_bad_day', {'value': 31, 'limit': 30})
    >>> date_problem(29, 2, None) is None
    True
    """
    if year is not None and not 1 <= _check_int("year", year) <= 9999:
        return "date_bad_year", {"value": year}
    if month is not None and not 1 <= _check_int("month", month) <= 12:
        return "date_bad_month", {"value": month}
    if day is None:
        return None
    _check_int("day", day)
    limit = calendar.monthrange(year or 2000, month)[1] if month else 31
    if not 1 <= day <= limit:
        return "date_bad_day", {"value": day, "limit": limit}
    return None


def _check_date_parts(day: int | None, month: int | None, year: int | None) -> None:
    problem = date_problem(day, month, year)
    if problem is not None:
        raise FormatError(problem[0], **problem[1])


class DateParts(NamedTuple):
    """A date as the clerk gave it, checked: any part may be None, left blank for the Văn thư."""

    day: int | None
    month: int | None
    year: int | None


def nd30_date_parts(
    day: int | None,
    month: int | None,
    year: int | None,
    place: str | None = None,
    *,
    blank: str = BLANK,
) -> str:
    """Write the place-and-date phrase, leaving any unknown part blank for signing.

    Same rules as :func:`nd30_date`. A part that is None is replaced by
    ``blank``, which stands for the number *and* the spaces around it: with
    the default six spaces, "ngày 05 tháng" becomes "ngày      tháng" and
    "năm 2022" becomes "năm      ". Drafts keep the number and date empty
    for the văn thư to fill after signing (Nghị định 30/2020, Phụ lục I,
    mục II.4; Điều 15). For the dotted look of the decree's samples pass
    ``blank=" …… "``. Impossible dates (31 tháng 4) raise ``ValueError``.

    >>> nd30_date_parts(None, 12, 2022, "Đồng Tháp")
    'Đồng Tháp, ngày      tháng 12 năm 2022'
    >>> nd30_date_parts(None, None, None)
    'ngày      tháng      năm      '
    >>> nd30_date_parts(None, None, 2024, blank=" …… ")
    'ngày …… tháng …… năm 2024'
    """
    _check_date_parts(day, month, year)
    phrase = (
        "ngày"
        + (f" {_day(day)} " if day is not None else blank)
        + "tháng"
        + (f" {_month(month)} " if month is not None else blank)
        + "năm"
        + (f" {year}" if year is not None else blank)
    )
    place = place.strip() if place is not None else ""
    return f"{place}, {phrase}" if place else phrase


def nd30_date(d: date, place: str | None = None) -> str:
    """Write a date as the decree's issue-date phrase, with the place if given.

    "ngày DD tháng M năm YYYY": days 1–9 and months 1–2 take a leading zero,
    months 3–12 do not (Nghị định 30/2020, Phụ lục I, mục II.4). The place is
    followed by a comma; an empty place is left out.

    >>> nd30_date(date(2021, 2, 5))
    'ngày 05 tháng 02 năm 2021'
    >>> nd30_date(date(2021, 3, 19))
    'ngày 19 tháng 3 năm 2021'
    >>> nd30_date(date(2021, 11, 12), "Quảng Nam")
    'Quảng Nam, ngày 12 tháng 11 năm 2021'
    """
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return nd30_date_parts(d.day, d.month, d.year, place)


_SHORT_STYLES = ("nd30", "full", "plain")


def short_date(d: date, *, style: str = "nd30") -> str:
    """Write a date in short form for prose: "12/8/2021", "05/01/2024".

    Styles: "nd30" (default) pads the day below 10 and the month only for 1
    and 2, as the decree pads its date phrase (Nghị định 30/2020, Phụ lục I,
    mục II.4); "full" pads both (12/08/2021); "plain" pads neither (5/1/2024).
    Other styles raise ``ValueError``.

    >>> short_date(date(2021, 8, 12))
    '12/8/2021'
    >>> short_date(date(2024, 1, 5))
    '05/01/2024'
    >>> short_date(date(2020, 4, 8))
    '08/4/2020'
    >>> short_date(date(2021, 8, 12), style="full")
    '12/08/2021'
    """
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    if style == "nd30":
        return f"{_day(d.day)}/{_month(d.month)}/{d.year}"
    if style == "full":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "plain":
        return f"{d.day}/{d.month}/{d.year}"
    # Joined here, not as Alternatives: a list with commas needs no translation.
    raise FormatError(
        "date_bad_style", value=style, allowed=", ".join(f"“{s}”" for s in _SHORT_STYLES)
    )


# -- sequences ---------------------------------------------------------------------


ROMAN_MAX = 3999
"""The largest number Roman numerals write in standard form (MMMCMXCIX): validation
refuses a report whose automatic numbering (sections, appendices, table groups) goes past it."""


def roman(n: int) -> str:
    """Write 1–3999 in Roman numerals, as the decree numbers headings (I, II, …).

    Other values raise ``ValueError``.

    >>> roman(4), roman(9), roman(14), roman(2024)
    ('IV', 'IX', 'XIV', 'MMXXIV')
    """
    _check_int("n", n)
    if not 1 <= n <= ROMAN_MAX:
        raise FormatError("roman_bad", value=n)
    out: list[str] = []
    for amount, symbol in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, n = divmod(n, amount)
        out.append(symbol * count)
    return "".join(out)


def quarter(q: int, year: int | None = None) -> str:
    """Name a quarter: "Quý I năm 2021" (Roman numeral, as the reports write it).

    >>> quarter(1, 2021)
    'Quý I năm 2021'
    >>> quarter(4)
    'Quý IV'
    """
    _check_int("q", q)
    if not 1 <= q <= 4:
        raise FormatError("quarter_bad", value=q)
    if year is None:
        return f"Quý {roman(q)}"
    _check_date_parts(None, None, year)
    return f"Quý {roman(q)} năm {year}"


def letter(n: int) -> str:
    """Give the letter of the n-th điểm (1 → "a"), in the decree's alphabet order.

    a b c d đ e g h i k l m n o p q r s t u v x y: no f, j, w, z (Nghị định
    30/2020, Phụ lục I, mục II.6; the decree itself stops at "o", the rest
    follows the alphabet). There are 23 letters: n outside 1–23 raises
    ``ValueError`` rather than invent "aa", which no reader would expect.

    >>> [letter(n) for n in range(1, 8)]
    ['a', 'b', 'c', 'd', 'đ', 'e', 'g']
    >>> letter(23)
    'y'
    """
    _check_int("n", n)
    if n < 1:
        raise FormatError("letter_bad_position", value=n)
    if n > len(LETTERS):
        raise FormatError("letter_bad", value=n, count=len(LETTERS))
    return LETTERS[n - 1]


def section_label(level: int, number: int) -> str:
    """Label the ``number``-th section at ``level`` (1-based), as the decree numbers them.

    Level 1 "I.", level 2 "1.", level 3 "a)" in the Vietnamese letter order
    (Phụ lục I, mục II.6); deeper levels are "-" then "+", as reports write them.

    >>> [section_label(1, 4), section_label(2, 4), section_label(3, 5), section_label(4, 1)]
    ['IV.', '4.', 'đ)', '-']
    """
    if level == 1:
        return f"{roman(number)}."
    if level == 2:
        return f"{number}."
    if level == 3:
        return f"{letter(number)})"
    return "-" if level % 2 == 0 else "+"


def document_number(number: int | None, symbol: str | None = None, *, blank: str = BLANK) -> str:
    """Write the "Số" line: "Số: 05/BC-STTTT", or "Số:      /BC-STTTT" when blank.

    Numbers below 10 take a leading zero (Nghị định 30/2020, Phụ lục I, mục
    II.3). None leaves the number to be filled at signing: ``blank`` stands
    for the number and the space before it, as in :func:`nd30_date_parts`.

    >>> document_number(5, "BC-STTTT")
    'Số: 05/BC-STTTT'
    >>> document_number(None, "BC-STTTT")
    'Số:      /BC-STTTT'
    >>> document_number(442)
    'Số: 442'
    """
    if number is not None:
        _check_int("number", number)
        if number < 1:
            raise FormatError("document_number_bad", value=number)
    text = f"Số: {nd30.number_text(number)}" if number is not None else f"Số:{blank}"
    return f"{text}/{symbol}" if symbol else text
