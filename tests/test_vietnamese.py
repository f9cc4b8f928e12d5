"""Vietnamese numbers, dates and sequences: the rules of docs/so-va-ngay.md as tests.

Every expected string here is written from the rules in
shared/spec/vietnamese-numbers.md (and Nghị định 30/2020, Phụ lục I, mục II.4
for dates), never copied from the function's output: the readings 0–120 are
typed out by hand, and larger numbers are built from them with the rules.
"""

from __future__ import annotations

import doctest
import itertools
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import baocao.vietnamese
from baocao.errors import FormatError
from baocao.messages import MESSAGES
from baocao.vietnamese import (
    LETTERS,
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
    words_to_number,
)

# -- hand-written readings -------------------------------------------------------

HAND_0_TO_120 = """\
0 không
1 một
2 hai
3 ba
4 bốn
5 năm
6 sáu
7 bảy
8 tám
9 chín
10 mười
11 mười một
12 mười hai
13 mười ba
14 mười bốn
15 mười lăm
16 mười sáu
17 mười bảy
18 mười tám
19 mười chín
20 hai mươi
21 hai mươi mốt
22 hai mươi hai
23 hai mươi ba
24 hai mươi bốn
25 hai mươi lăm
26 hai mươi sáu
27 hai mươi bảy
28 hai mươi tám
29 hai mươi chín
30 ba mươi
31 ba mươi mốt
32 ba mươi hai
33 ba mươi ba
34 ba mươi bốn
35 ba mươi lăm
36 ba mươi sáu
37 ba mươi bảy
38 ba mươi tám
39 ba mươi chín
40 bốn mươi
41 bốn mươi mốt
42 bốn mươi hai
43 bốn mươi ba
44 bốn mươi bốn
45 bốn mươi lăm
46 bốn mươi sáu
47 bốn mươi bảy
48 bốn mươi tám
49 bốn mươi chín
50 năm mươi
51 năm mươi mốt
52 năm mươi hai
53 năm mươi ba
54 năm mươi bốn
55 năm mươi lăm
56 năm mươi sáu
57 năm mươi bảy
58 năm mươi tám
59 năm mươi chín
60 sáu mươi
61 sáu mươi mốt
62 sáu mươi hai
63 sáu mươi ba
64 sáu mươi bốn
65 sáu mươi lăm
66 sáu mươi sáu
67 sáu mươi bảy
68 sáu mươi tám
69 sáu mươi chín
70 bảy mươi
71 bảy mươi mốt
72 bảy mươi hai
73 bảy mươi ba
74 bảy mươi bốn
75 bảy mươi lăm
76 bảy mươi sáu
77 bảy mươi bảy
78 bảy mươi tám
79 bảy mươi chín
80 tám mươi
81 tám mươi mốt
82 tám mươi hai
83 tám mươi ba
84 tám mươi bốn
85 tám mươi lăm
86 tám mươi sáu
87 tám mươi bảy
88 tám mươi tám
89 tám mươi chín
90 chín mươi
91 chín mươi mốt
92 chín mươi hai
93 chín mươi ba
94 chín mươi bốn
95 chín mươi lăm
96 chín mươi sáu
97 chín mươi bảy
98 chín mươi tám
99 chín mươi chín
100 một trăm
101 một trăm linh một
102 một trăm linh hai
103 một trăm linh ba
104 một trăm linh bốn
105 một trăm linh năm
106 một trăm linh sáu
107 một trăm linh bảy
108 một trăm linh tám
109 một trăm linh chín
110 một trăm mười
111 một trăm mười một
112 một trăm mười hai
113 một trăm mười ba
114 một trăm mười bốn
115 một trăm mười lăm
116 một trăm mười sáu
117 một trăm mười bảy
118 một trăm mười tám
119 một trăm mười chín
120 một trăm hai mươi
"""
WORDS = {
    int(number): reading
    for number, reading in (line.split(" ", 1) for line in HAND_0_TO_120.splitlines())
}
assert sorted(WORDS) == list(range(121))

DIGIT = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def tail(k: int) -> str:
    """Read 1–99 after a spoken hundreds digit: 5 → "linh năm", 15 → "mười lăm"."""
    return f"linh {WORDS[k]}" if k < 10 else WORDS[k]


# The reference table of shared/spec/vietnamese-numbers.md, exactly.
SPEC_TABLE = [
    (0, "không"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (1_000, "một nghìn"),
    (1_005, "một nghìn không trăm linh năm"),
    (1_015, "một nghìn không trăm mười lăm"),
    (1_100, "một nghìn một trăm"),
    (2_021, "hai nghìn không trăm hai mươi mốt"),
    (10_000, "mười nghìn"),
    (100_000, "một trăm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_001, "một triệu không trăm linh một"),
    (1_234_567, "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy"),
    (145_001_000, "một trăm bốn mươi lăm triệu không trăm linh một nghìn"),
    (1_000_000_000, "một tỷ"),
    (32_800_000_000, "ba mươi hai tỷ tám trăm triệu"),
    (10**15, "một triệu tỷ"),
    (-21, "âm hai mươi mốt"),
    (Decimal("1.05"), "một phẩy không năm"),
]


@pytest.mark.parametrize(("value", "reading"), SPEC_TABLE, ids=str)
def test_spec_reference_table(value: int | Decimal, reading: str) -> None:
    assert number_to_words(value) == reading


def test_spec_reference_table_tu_option() -> None:
    expected = "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"
    assert number_to_words(1_234_567, tu=True) == expected


@pytest.mark.parametrize(("value", "reading"), sorted(WORDS.items()), ids=str)
def test_zero_to_one_hundred_twenty(value: int, reading: str) -> None:
    assert number_to_words(value) == reading


# -- hundreds groups ------------------------------------------------------------------

HUNDREDS_TAILS = {
    0: "",
    1: "linh một",
    2: "linh hai",
    3: "linh ba",
    4: "linh bốn",
    5: "linh năm",
    6: "linh sáu",
    7: "linh bảy",
    8: "linh tám",
    9: "linh chín",
    10: "mười",
    11: "mười một",
    15: "mười lăm",
    21: "hai mươi mốt",
    24: "hai mươi bốn",
    25: "hai mươi lăm",
    50: "năm mươi",
    55: "năm mươi lăm",
}


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        (100 * h + t, f"{DIGIT[h]} trăm {reading}".strip())
        for h in range(1, 10)
        for t, reading in HUNDREDS_TAILS.items()
    ],
    ids=str,
)
def test_every_pattern_of_a_hundreds_group(value: int, reading: str) -> None:
    assert number_to_words(value) == reading


@pytest.mark.parametrize("h", range(1, 10))
def test_hundreds_group_with_options(h: int) -> None:
    assert number_to_words(100 * h + 24, tu=True) == f"{DIGIT[h]} trăm hai mươi tư"
    assert number_to_words(100 * h + 5, linh="lẻ") == f"{DIGIT[h]} trăm lẻ năm"
    assert number_to_words(100 * h + 4, tu=True) == f"{DIGIT[h]} trăm linh bốn"
    assert number_to_words(100 * h + 14, tu=True) == f"{DIGIT[h]} trăm mười bốn"


# -- non-leading groups below 100 at every scale ---------------------------------------

NON_LEADING = [
    ("nghìn, units", lambda k: 1_000 + k, lambda t: f"một nghìn không trăm {t}"),
    ("triệu, units", lambda k: 10**6 + k, lambda t: f"một triệu không trăm {t}"),
    ("triệu, nghìn", lambda k: 10**6 + k * 1_000, lambda t: f"một triệu không trăm {t} nghìn"),
    ("tỷ, units", lambda k: 10**9 + k, lambda t: f"một tỷ không trăm {t}"),
    ("tỷ, nghìn", lambda k: 10**9 + k * 10**3, lambda t: f"một tỷ không trăm {t} nghìn"),
    ("tỷ, triệu", lambda k: 10**9 + k * 10**6, lambda t: f"một tỷ không trăm {t} triệu"),
    # 1.0kk tỷ is (1000 + k) tỷ: the tỷ group is read inside the number of tỷ.
    ("nghìn tỷ", lambda k: 10**12 + k * 10**9, lambda t: f"một nghìn không trăm {t} tỷ"),
    ("tỷ tỷ, units", lambda k: 10**18 + k, lambda t: f"một tỷ tỷ không trăm {t}"),
]


@pytest.mark.parametrize(
    ("value", "reading"),
    [(make(k), read(tail(k))) for _, make, read in NON_LEADING for k in range(1, 100)],
    ids=str,
)
def test_non_leading_group_below_one_hundred(value: int, reading: str) -> None:
    assert number_to_words(value) == reading


# -- large numbers ----------------------------------------------------------------------

POWERS = [
    (9, "một tỷ"),
    (10, "mười tỷ"),
    (11, "một trăm tỷ"),
    (12, "một nghìn tỷ"),
    (13, "mười nghìn tỷ"),
    (14, "một trăm nghìn tỷ"),
    (15, "một triệu tỷ"),
    (16, "mười triệu tỷ"),
    (17, "một trăm triệu tỷ"),
    (18, "một tỷ tỷ"),
    (19, "mười tỷ tỷ"),
    (20, "một trăm tỷ tỷ"),
    (21, "một nghìn tỷ tỷ"),
    (24, "một triệu tỷ tỷ"),
    (27, "một tỷ tỷ tỷ"),
]


@pytest.mark.parametrize(("power", "reading"), POWERS, ids=str)
def test_powers_of_ten(power: int, reading: str) -> None:
    assert number_to_words(10**power) == reading


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        # 1.500 tỷ is read as one thousand five hundred tỷ, as the press says it.
        (1_500 * 10**9, "một nghìn năm trăm tỷ"),
        (2_021 * 10**9, "hai nghìn không trăm hai mươi mốt tỷ"),
        (10**12 + 1, "một nghìn tỷ không trăm linh một"),
        (10**12 + 10**6, "một nghìn tỷ không trăm linh một triệu"),
        (10**15 + 10**9, "một triệu không trăm linh một tỷ"),
        (10**18 + 5, "một tỷ tỷ không trăm linh năm"),
        (5 * 10**9 + 7, "năm tỷ không trăm linh bảy"),
        (1_000_500, "một triệu năm trăm"),
        (1_500_000, "một triệu năm trăm nghìn"),
        (
            999_999_999_999_999,
            "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ "
            "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
            "chín trăm chín mươi chín",
        ),
        (
            19_500_000_000,
            "mười chín tỷ năm trăm triệu",
        ),
        (
            123_456_789,
            "một trăm hai mươi ba triệu bốn trăm năm mươi sáu nghìn bảy trăm tám mươi chín",
        ),
        (
            10**21 + 21,
            "một nghìn tỷ tỷ không trăm hai mươi mốt",
        ),
        (-(10**12), "âm một nghìn tỷ"),
        (-1, "âm một"),
        (-1_005, "âm một nghìn không trăm linh năm"),
        (-110, "âm một trăm mười"),
    ],
    ids=str,
)
def test_large_and_negative_numbers(value: int, reading: str) -> None:
    assert number_to_words(value) == reading


# -- decimals and strings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        (Decimal("1.5"), "một phẩy năm"),
        (Decimal("1.05"), "một phẩy không năm"),
        (Decimal("26.86"), "hai mươi sáu phẩy tám mươi sáu"),
        (Decimal("0.5"), "không phẩy năm"),
        (Decimal("0.05"), "không phẩy không năm"),
        (Decimal("0.005"), "không phẩy không không năm"),
        (Decimal("12.0001"), "mười hai phẩy không không không một"),
        (Decimal("1.105"), "một phẩy một trăm linh năm"),
        (Decimal("1.21"), "một phẩy hai mươi mốt"),
        (Decimal("1.25"), "một phẩy hai mươi lăm"),
        (Decimal("3.14159"), "ba phẩy mười bốn nghìn một trăm năm mươi chín"),
        (Decimal("1.1005"), "một phẩy một nghìn không trăm linh năm"),
        # Trailing zeros of the fraction are dropped: the words spell the value.
        (Decimal("1.50"), "một phẩy năm"),
        (Decimal("1.500"), "một phẩy năm"),
        (Decimal("0.10"), "không phẩy một"),
        (Decimal("2.00"), "hai"),
        (Decimal("0.000"), "không"),
        (Decimal("-0"), "không"),
        (Decimal("-0.00"), "không"),
        (Decimal("-0.5"), "âm không phẩy năm"),
        (Decimal("-26.86"), "âm hai mươi sáu phẩy tám mươi sáu"),
        (Decimal("1E+3"), "một nghìn"),
        (Decimal("15"), "mười lăm"),
        ("1234", "một nghìn hai trăm ba mươi bốn"),
        ("-21", "âm hai mươi mốt"),
        ("1,05", "một phẩy không năm"),
        ("26,86", "hai mươi sáu phẩy tám mươi sáu"),
        ("1.234.567,5", "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy phẩy năm"),
        ("1.005", "một nghìn không trăm linh năm"),
        (" 2.021 ", "hai nghìn không trăm hai mươi mốt"),
        ("0,5", "không phẩy năm"),
        ("1,50", "một phẩy năm"),
    ],
    ids=repr,
)
def test_decimals_and_strings(value: Decimal | str, reading: str) -> None:
    assert number_to_words(value) == reading


# -- options --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "options", "reading"),
    [
        (105, {"linh": "lẻ"}, "một trăm lẻ năm"),
        (1_005, {"linh": "lẻ"}, "một nghìn không trăm lẻ năm"),
        (1_000_001, {"linh": "lẻ"}, "một triệu không trăm lẻ một"),
        (1_000, {"nghin": "ngàn"}, "một ngàn"),
        (2_021, {"nghin": "ngàn"}, "hai ngàn không trăm hai mươi mốt"),
        (10**12, {"nghin": "ngàn"}, "một ngàn tỷ"),
        (10**9, {"ty": "tỉ"}, "một tỉ"),
        (10**18, {"ty": "tỉ"}, "một tỉ tỉ"),
        (32_800_000_000, {"ty": "tỉ"}, "ba mươi hai tỉ tám trăm triệu"),
        (24, {"tu": True}, "hai mươi tư"),
        (44, {"tu": True}, "bốn mươi tư"),
        (94, {"tu": True}, "chín mươi tư"),
        (4, {"tu": True}, "bốn"),
        (14, {"tu": True}, "mười bốn"),
        (104, {"tu": True}, "một trăm linh bốn"),
        (4_444, {"tu": True}, "bốn nghìn bốn trăm bốn mươi tư"),
        (Decimal("0.24"), {"tu": True}, "không phẩy hai mươi tư"),
        (Decimal("1.024"), {"tu": True}, "một phẩy không hai mươi tư"),
        (24, {"tu": False}, "hai mươi bốn"),
        (
            1_024_005_000,
            {"linh": "lẻ", "nghin": "ngàn", "tu": True, "ty": "tỉ"},
            "một tỉ không trăm hai mươi tư triệu không trăm lẻ năm ngàn",
        ),
        # Options may arrive in NFD from a template; they are compared in NFC.
        (105, {"linh": unicodedata.normalize("NFD", "lẻ")}, "một trăm lẻ năm"),
    ],
    ids=repr,
)
def test_options(value: int | Decimal, options: dict[str, object], reading: str) -> None:
    assert number_to_words(value, **options) == reading  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"linh": "le"}, "tùy chọn linh=“le” không hợp lệ; chỉ nhận “linh” hoặc “lẻ”"),
        ({"nghin": "ngan"}, "tùy chọn nghin=“ngan” không hợp lệ; chỉ nhận “nghìn” hoặc “ngàn”"),
        ({"ty": "ti"}, "tùy chọn ty=“ti” không hợp lệ; chỉ nhận “tỷ” hoặc “tỉ”"),
    ],
)
def test_bad_option(options: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        number_to_words(1, **options)  # type: ignore[arg-type]
    assert str(caught.value) == message


@pytest.mark.parametrize("value", [1.5, 0.0, float("nan"), True, False, None, [1], b"1"])
def test_number_to_words_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        number_to_words(value)  # type: ignore[arg-type]


def test_float_error_says_why() -> None:
    with pytest.raises(TypeError, match="floats lose digits"):
        number_to_words(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_decimal(value: Decimal) -> None:
    with pytest.raises(ValueError, match="không phải là một số"):
        number_to_words(value)


def test_tu_must_be_bool() -> None:
    with pytest.raises(TypeError):
        number_to_words(24, tu="yes")  # type: ignore[arg-type]


# -- words back to numbers ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "reading"), SPEC_TABLE, ids=str)
def test_words_to_number_reads_the_spec_table(value: int | Decimal, reading: str) -> None:
    assert words_to_number(reading) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("một trăm lẻ năm", 105),
        ("Một Trăm Lẻ Năm", 105),
        ("MỘT TRĂM LINH NĂM", 105),
        ("  hai   mươi   tư ", 24),
        ("hai mươi bốn", 24),
        ("một ngàn", 1_000),
        ("một tỉ", 10**9),
        ("một tỉ tỉ", 10**18),
        ("một ngàn tỉ", 10**12),
        ("hai mươi một", 21),
        ("mười năm", 15),
        ("hai mươi năm", 25),
        ("một trăm linh tư", 104),
        ("bẩy mươi bẩy", 77),
        ("Một triệu năm trăm nghìn đồng", 1_500_000),
        ("Một triệu năm trăm nghìn đồng chẵn", 1_500_000),
        ("Một triệu năm trăm nghìn đồng chẵn.", 1_500_000),
        ("Một triệu năm trăm nghìn đồng./.", 1_500_000),
        ("năm trăm nghìn chẵn", 500_000),
        (unicodedata.normalize("NFD", "Một trăm lẻ năm"), 105),
        ("âm hai mươi mốt", -21),
        ("không", 0),
        ("một phẩy năm", Decimal("1.5")),
        ("một phẩy không năm", Decimal("1.05")),
        ("âm không phẩy không không năm", Decimal("-0.005")),
        # Fraction digits read with their trailing zeros keep them.
        ("một phẩy năm mươi", Decimal("1.50")),
        ("một phẩy không", Decimal("1.0")),
        ("một nghìn năm trăm tỷ", 1_500 * 10**9),
        ("một tỷ tỷ không trăm linh năm", 10**18 + 5),
    ],
    ids=repr,
)
def test_words_to_number_variants(text: str, value: int | Decimal) -> None:
    result = words_to_number(text)
    assert result == value
    assert type(result) is type(value)
    if isinstance(value, Decimal):
        assert result.as_tuple() == value.as_tuple()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "không đọc được số bằng chữ “”"),
        ("   ", "không đọc được số bằng chữ “”"),
        ("abc", "không đọc được số bằng chữ “abc”: “abc” không phải từ chỉ số"),
        ("mười hai cái", "không đọc được số bằng chữ “mười hai cái”: “cái” không phải từ chỉ số"),
        ("12", "không đọc được số bằng chữ “12”: “12” không phải từ chỉ số"),
        ("một một", "không đọc được số bằng chữ “một một”"),
        ("hai mươi mười", "không đọc được số bằng chữ “hai mươi mười”"),
        ("mười mốt", "không đọc được số bằng chữ “mười mốt”"),
        ("mốt", "không đọc được số bằng chữ “mốt”"),
        ("lăm", "không đọc được số bằng chữ “lăm”"),
        ("mười tư", "không đọc được số bằng chữ “mười tư”"),
        ("một mươi", "không đọc được số bằng chữ “một mươi”"),
        ("tỷ", "không đọc được số bằng chữ “tỷ”"),
        ("một triệu triệu", "không đọc được số bằng chữ “một triệu triệu”"),
        ("một trăm linh", "không đọc được số bằng chữ “một trăm linh”"),
        ("một phẩy", "không đọc được số bằng chữ “một phẩy”"),
        ("phẩy năm", "không đọc được số bằng chữ “phẩy năm”"),
        ("một phẩy hai phẩy ba", "không đọc được số bằng chữ “một phẩy hai phẩy ba”"),
        ("âm âm một", "không đọc được số bằng chữ “âm âm một”"),
        ("âm không", "không đọc được số bằng chữ “âm không”"),
        ("không không", "không đọc được số bằng chữ “không không”"),
        ("đồng", "không đọc được số bằng chữ “đồng”"),
        # Ambiguous colloquial shortenings: no guess.
        ("một nghìn hai", "không đọc được số bằng chữ “một nghìn hai”"),
        ("một trăm năm", "không đọc được số bằng chữ “một trăm năm”"),
        # A missing or extra "không trăm": the exact reading is suggested.
        (
            "một nghìn linh năm",
            "không đọc được số bằng chữ “một nghìn linh năm”; "
            "cách đọc đúng là “một nghìn không trăm linh năm”",
        ),
        (
            "hai nghìn hai mươi mốt",
            "không đọc được số bằng chữ “hai nghìn hai mươi mốt”; "
            "cách đọc đúng là “hai nghìn không trăm hai mươi mốt”",
        ),
        ("không trăm linh năm", "không đọc được số bằng chữ “không trăm linh năm”"),
    ],
    ids=repr,
)
def test_words_to_number_refuses_junk(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        words_to_number(text)
    assert str(caught.value) == message


def test_words_to_number_needs_str() -> None:
    with pytest.raises(TypeError):
        words_to_number(5)  # type: ignore[arg-type]


# -- properties ---------------------------------------------------------------------------

OPTION_SETS = [
    {"linh": linh, "nghin": nghin, "tu": tu, "ty": ty}
    for linh, nghin, tu, ty in itertools.product(
        ("linh", "lẻ"), ("nghìn", "ngàn"), (False, True), ("tỷ", "tỉ")
    )
]
VOCABULARY = set(DIGIT) | {
    *("mười", "mươi", "trăm", "linh", "lẻ", "nghìn", "ngàn", "triệu", "tỷ", "tỉ"),
    *("mốt", "lăm", "tư", "phẩy", "âm"),
}
no_database = settings(database=None, deadline=None)


@pytest.mark.parametrize("options", OPTION_SETS, ids=repr)
@no_database
@given(n=st.integers(min_value=-(10**21) + 1, max_value=10**21 - 1))
def test_round_trip_integers(options: dict[str, object], n: int) -> None:
    words = number_to_words(n, **options)  # type: ignore[arg-type]
    assert set(words.split()) <= VOCABULARY
    assert words == " ".join(words.split())
    result = words_to_number(words)
    assert type(result) is int
    assert result == n


@st.composite
def decimals(draw: st.DrawFn) -> Decimal:
    sign = draw(st.sampled_from(["", "-"]))
    whole = draw(st.integers(min_value=0, max_value=10**15))
    places = draw(st.integers(min_value=0, max_value=6))
    fraction = draw(st.integers(min_value=0, max_value=10**places - 1))
    return Decimal(f"{sign}{whole}.{fraction:0{places}d}" if places else f"{sign}{whole}")


@pytest.mark.parametrize("options", OPTION_SETS, ids=repr)
@no_database
@given(value=decimals())
def test_round_trip_decimals(options: dict[str, object], value: Decimal) -> None:
    result = words_to_number(number_to_words(value, **options))  # type: ignore[arg-type]
    assert result == value


def reference_words(n: int) -> list[str]:
    """Read n > 0 by the spec's rules, recursively on tỷ (a second, independent reader)."""

    def group(g: int, full: bool) -> list[str]:
        hundreds, rest = divmod(g, 100)
        out = [DIGIT[hundreds], "trăm"] if full or hundreds else []
        if rest and out and rest < 10:
            out.append("linh")
        return out + (WORDS[rest].split() if rest else [])

    def below_ty(m: int, leading: bool) -> list[str]:
        out: list[str] = []
        for size, scale in ((10**6, ["triệu"]), (10**3, ["nghìn"]), (1, [])):
            g, m = divmod(m, size)
            if g:
                out += group(g, not leading) + scale
                leading = False
        return out

    def read(m: int, leading: bool) -> list[str]:
        if m >= 10**9:
            q, r = divmod(m, 10**9)
            return read(q, leading) + ["tỷ"] + (below_ty(r, False) if r else [])
        return below_ty(m, leading)

    return read(n, True)


@no_database
@given(n=st.integers(min_value=1, max_value=10**40))
def test_agrees_with_reference_reader(n: int) -> None:
    assert number_to_words(n) == " ".join(reference_words(n))


@pytest.mark.parametrize(
    "n", [*range(1, 2_100, 7), *(10**k + 10**j for k in range(40) for j in range(k))]
)
def test_agrees_with_reference_reader_on_a_grid(n: int) -> None:
    assert number_to_words(n) == " ".join(reference_words(n))


# -- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "options", "text"),
    [
        (1_500_000, {}, "Một triệu năm trăm nghìn đồng"),
        (1_500_000, {"chan": True}, "Một triệu năm trăm nghìn đồng chẵn"),
        (0, {}, "Không đồng"),
        (-5_000, {}, "Âm năm nghìn đồng"),
        (Decimal("1500.00"), {}, "Một nghìn năm trăm đồng"),
        ("32.800.000.000", {}, "Ba mươi hai tỷ tám trăm triệu đồng"),
        (105, {"linh": "lẻ"}, "Một trăm lẻ năm đồng"),
        (1_000, {"nghin": "ngàn", "chan": True}, "Một ngàn đồng chẵn"),
        (24_000, {"tu": True}, "Hai mươi tư nghìn đồng"),
        (10**9, {"ty": "tỉ"}, "Một tỉ đồng"),
        (100, {"unit": "USD"}, "Một trăm USD"),
        (100, {"unit": ""}, "Một trăm"),
        (100, {"unit": "", "chan": True}, "Một trăm chẵn"),
    ],
    ids=repr,
)
def test_money_to_words(value: int | Decimal | str, options: dict[str, object], text: str) -> None:
    assert money_to_words(value, **options) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("1500.5"), "1.500,5"), ("0,01", "0,01"), (Decimal("-0.5"), "-0,5")],
)
def test_money_refuses_fractions(value: Decimal | str, shown: str) -> None:
    message = f"số tiền {shown} có phần thập phân; tiền ghi theo đồng chẵn, hãy làm tròn trước"
    with pytest.raises(ValueError) as caught:
        money_to_words(value)
    assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        format_money(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_500_000, "1.500.000 đồng"),
        (0, "0 đồng"),
        (-1_234, "-1.234 đồng"),
        (Decimal("32800000000.00"), "32.800.000.000 đồng"),
        ("1.500.000", "1.500.000 đồng"),
        (999, "999 đồng"),
    ],
    ids=repr,
)
def test_format_money(value: int | Decimal | str, text: str) -> None:
    assert format_money(value) == text


# -- digits --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1_416, None, "1.416"),
        (Decimal("26.86"), None, "26,86"),
        (Decimal("1234567.5"), None, "1.234.567,5"),
        (-1_234, None, "-1.234"),
        (0, None, "0"),
        (7, None, "7"),
        (999, None, "999"),
        (1_000, None, "1.000"),
        (32_800_000_000, None, "32.800.000.000"),
        (10**30, None, "1" + ".000" * 10),
        (Decimal("1.50"), None, "1,50"),
        (Decimal("0.000001"), None, "0,000001"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("-0"), None, "0"),
        ("1.234.567,5", None, "1.234.567,5"),
        ("26,860", None, "26,860"),
        (Decimal("26.855"), 2, "26,86"),
        (Decimal("26.845"), 2, "26,85"),
        (Decimal("-26.855"), 2, "-26,86"),
        (Decimal("26.8"), 2, "26,80"),
        (1_416, 2, "1.416,00"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("3.5"), 0, "4"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("1234.4"), 0, "1.234"),
        (Decimal("-0.004"), 2, "0,00"),
        (Decimal("999.995"), 2, "1.000,00"),
        (
            Decimal("123456789012345678901234567890.125"),
            2,
            "123.456.789.012.345.678.901.234.567.890,13",
        ),
    ],
    ids=repr,
)
def test_format_number(value: int | Decimal | str, decimals: int | None, text: str) -> None:
    assert format_number(value, decimals) == text


@pytest.mark.parametrize("decimals", [-1, True, Decimal(2), "2"])
def test_format_number_bad_decimals(decimals: object) -> None:
    with pytest.raises(ValueError, match="số chữ số thập phân phải là số nguyên không âm"):
        format_number(1, decimals)  # type: ignore[arg-type]


def test_format_number_refuses_float() -> None:
    with pytest.raises(TypeError):
        format_number(26.86)  # type: ignore[arg-type]


def expected_digits(value: Decimal) -> str:
    """Independent formatting: Python's own "," grouping with the separators swapped."""
    text = format(value, ",f")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@no_database
@given(value=decimals())
def test_format_number_agrees_with_python_and_parses_back(value: Decimal) -> None:
    text = format_number(value)
    assert text == expected_digits(value if value else abs(value))
    back = parse_number(text)
    assert back == value
    assert back.as_tuple().exponent == value.as_tuple().exponent


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("26.86"), 2, "26,86%"),
        (Decimal("3.9"), 2, "3,9%"),
        (Decimal("67.20"), 2, "67,2%"),
        (Decimal("93.826"), 2, "93,83%"),
        (Decimal("99.995"), 2, "100%"),
        (100, 2, "100%"),
        (0, 2, "0%"),
        (Decimal("0.003"), 2, "0%"),
        (Decimal("0.003"), 3, "0,003%"),
        (Decimal("0.003"), None, "0,003%"),
        (Decimal("0.0030"), None, "0,003%"),
        (Decimal("43.15"), 1, "43,2%"),
        (Decimal("-5.25"), 1, "-5,3%"),
        (Decimal("1234.5"), 2, "1.234,5%"),
        ("26,86", 2, "26,86%"),
        (Decimal("43.8"), 0, "44%"),
    ],
    ids=repr,
)
def test_format_percent(value: int | Decimal | str, decimals: int | None, text: str) -> None:
    assert format_percent(value, decimals) == text


def test_format_percent_default_is_two_decimals() -> None:
    assert format_percent(Decimal("11.434")) == "11,43%"


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        (32_800_000_000, {}, "32,8 tỷ đồng"),
        (19_500_000_000, {}, "19,5 tỷ đồng"),
        (1_500_000, {}, "1,5 triệu đồng"),
        (1_234_567, {}, "1,23 triệu đồng"),
        (1_235_000, {}, "1,24 triệu đồng"),
        (1_000, {}, "1 nghìn đồng"),
        (1_500, {}, "1,5 nghìn đồng"),
        (999, {}, "999 đồng"),
        (0, {}, "0 đồng"),
        (10**9, {}, "1 tỷ đồng"),
        (1_500 * 10**9, {}, "1.500 tỷ đồng"),
        (10**15, {}, "1.000.000 tỷ đồng"),
        (999_999_999, {}, "1 tỷ đồng"),
        (999_994_999, {}, "999,99 triệu đồng"),
        (999_995, {}, "1 triệu đồng"),
        (-32_800_000_000, {}, "-32,8 tỷ đồng"),
        (Decimal("1500000.5"), {}, "1,5 triệu đồng"),
        ("32.800.000.000", {}, "32,8 tỷ đồng"),
        (32_850_000_000, {"decimals": 1}, "32,9 tỷ đồng"),
        (32_800_000_000, {"decimals": 0}, "33 tỷ đồng"),
        (32_800_000_000, {"unit": ""}, "32,8 tỷ"),
        (2_500_000, {"unit": "người"}, "2,5 triệu người"),
        (1_500, {"nghin": "ngàn"}, "1,5 ngàn đồng"),
        (32_800_000_000, {"ty": "tỉ"}, "32,8 tỉ đồng"),
    ],
    ids=repr,
)
def test_format_magnitude(value: int | Decimal | str, kwargs: dict[str, object], text: str) -> None:
    assert format_magnitude(value, **kwargs) == text  # type: ignore[arg-type]


# -- parse_number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234.567,5", Decimal("1234567.5")),
        ("1234", Decimal("1234")),
        ("-21", Decimal("-21")),
        ("1,05", Decimal("1.05")),
        ("26,86", Decimal("26.86")),
        ("1.416", Decimal("1416")),
        ("1.234", Decimal("1234")),
        ("1,234", Decimal("1.234")),
        ("1234,5", Decimal("1234.5")),
        ("1,50", Decimal("1.50")),
        ("0", Decimal("0")),
        ("0,003", Decimal("0.003")),
        ("  12 ", Decimal("12")),
        ("+5", Decimal("5")),
        ("\u221221", Decimal("-21")),
        (
            "1.000.000.000.000.000.000.000.000,123456789",
            Decimal("1000000000000000000000000.123456789"),
        ),
    ],
    ids=repr,
)
def test_parse_number(text: str, value: Decimal) -> None:
    result = parse_number(text)
    assert result == value
    assert result.as_tuple() == value.as_tuple()


FORM = "dùng dấu chấm ngăn cách hàng nghìn và dấu phẩy trước phần thập phân, ví dụ 1.234.567,5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", f"không đọc được số “abc”: {FORM}"),
        ("", f"không đọc được số “”: {FORM}"),
        ("1 234", f"không đọc được số “1 234”: {FORM}"),
        ("1,2,3", f"không đọc được số “1,2,3”: {FORM}"),
        ("1.", f"không đọc được số “1.”: {FORM}"),
        ("1,", f"không đọc được số “1,”: {FORM}"),
        (",5", f"không đọc được số “,5”: {FORM}"),
        ("NaN", f"không đọc được số “NaN”: {FORM}"),
        ("Infinity", f"không đọc được số “Infinity”: {FORM}"),
        ("1e5", f"không đọc được số “1e5”: {FORM}"),
        ("1_000", f"không đọc được số “1_000”: {FORM}"),
        ("--1", f"không đọc được số “--1”: {FORM}"),
        ("١٢", f"không đọc được số “١٢”: {FORM}"),
        ("26,86 %", f"không đọc được số “26,86 %”: {FORM}"),
        ("1.5", "không đọc được số “1.5”; có phải là “15” hoặc “1,5”?"),
        ("12.34", "không đọc được số “12.34”; có phải là “1.234” hoặc “12,34”?"),
        ("1.23.4", "không đọc được số “1.23.4”; có phải là “1.234”?"),
        ("1.50", "không đọc được số “1.50”; có phải là “150” hoặc “1,5”?"),
    ],
    ids=repr,
)
def test_parse_number_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_number(text)
    assert str(caught.value) == message


def test_parse_number_needs_str() -> None:
    with pytest.raises(TypeError):
        parse_number(12)  # type: ignore[arg-type]


# -- dates -----------------------------------------------------------------------------------

MONTHS = {1: "01", 2: "02", 3: "3", 4: "4", 5: "5", 6: "6"}
MONTHS |= {7: "7", 8: "8", 9: "9", 10: "10", 11: "11", 12: "12"}


@pytest.mark.parametrize(("month", "written"), MONTHS.items())
def test_nd30_date_month_padding(month: int, written: str) -> None:
    assert nd30_date(date(2021, month, 15)) == f"ngày 15 tháng {written} năm 2021"
    assert short_date(date(2021, month, 15)) == f"15/{written}/2021"


@pytest.mark.parametrize("day", range(1, 32))
def test_nd30_date_day_padding(day: int) -> None:
    written = f"0{day}" if day < 10 else str(day)
    assert nd30_date(date(2021, 12, day)) == f"ngày {written} tháng 12 năm 2021"
    assert short_date(date(2021, 12, day)) == f"{written}/12/2021"


@pytest.mark.parametrize(
    ("d", "place", "text"),
    [
        (date(2021, 2, 5), None, "ngày 05 tháng 02 năm 2021"),
        (date(2021, 3, 19), None, "ngày 19 tháng 3 năm 2021"),
        (date(2021, 12, 25), None, "ngày 25 tháng 12 năm 2021"),
        (date(2020, 1, 5), "Hà Nội", "Hà Nội, ngày 05 tháng 01 năm 2020"),
        (
            date(2019, 6, 29),
            "Thành phố Hồ Chí Minh",
            "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019",
        ),
        (date(2020, 3, 5), None, "ngày 05 tháng 3 năm 2020"),
        (date(2021, 11, 12), "Quảng Nam", "Quảng Nam, ngày 12 tháng 11 năm 2021"),
        (date(2021, 11, 12), "  Quảng Nam  ", "Quảng Nam, ngày 12 tháng 11 năm 2021"),
        (date(2021, 11, 12), "", "ngày 12 tháng 11 năm 2021"),
        (date(2022, 9, 1), "Đồng Tháp", "Đồng Tháp, ngày 01 tháng 9 năm 2022"),
        (datetime(2021, 10, 1, 8, 30), None, "ngày 01 tháng 10 năm 2021"),
    ],
    ids=repr,
)
def test_nd30_date(d: date, place: str | None, text: str) -> None:
    assert nd30_date(d, place) == text


SIX = " " * 6


@pytest.mark.parametrize(
    ("parts", "kwargs", "text"),
    [
        ((None, 12, 2022), {"place": "Đồng Tháp"}, "Đồng Tháp, ngày      tháng 12 năm 2022"),
        ((None, 3, 2021), {}, f"ngày{SIX}tháng 3 năm 2021"),
        ((None, None, None), {}, "ngày      tháng      năm      "),
        ((None, None, 2024), {}, f"ngày{SIX}tháng{SIX}năm 2024"),
        ((5, 2, None), {}, f"ngày 05 tháng 02 năm{SIX}"),
        ((29, 2, None), {}, f"ngày 29 tháng 02 năm{SIX}"),
        ((31, None, None), {}, f"ngày 31 tháng{SIX}năm{SIX}"),
        ((5, 2, 2021), {}, "ngày 05 tháng 02 năm 2021"),
        ((None, None, 2024), {"blank": " …… "}, "ngày …… tháng …… năm 2024"),
        ((None, None, None), {"blank": " …… "}, "ngày …… tháng …… năm …… "),
        (
            (None, 7, 2026),
            {"place": "Quảng Ninh", "blank": "   "},
            "Quảng Ninh, ngày   tháng 7 năm 2026",
        ),
    ],
    ids=repr,
)
def test_nd30_date_parts(parts: tuple[int | None, ...], kwargs: dict[str, str], text: str) -> None:
    day, month, year = parts
    assert nd30_date_parts(day, month, year, **kwargs) == text


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((31, 4, 2021), "ngày 31 không hợp lệ (phải từ 1 đến 30)"),
        ((29, 2, 2021), "ngày 29 không hợp lệ (phải từ 1 đến 28)"),
        ((30, 2, None), "ngày 30 không hợp lệ (phải từ 1 đến 29)"),
        ((0, 1, 2021), "ngày 0 không hợp lệ (phải từ 1 đến 31)"),
        ((32, None, None), "ngày 32 không hợp lệ (phải từ 1 đến 31)"),
        ((1, 13, 2021), "tháng 13 không hợp lệ (phải từ 1 đến 12)"),
        ((1, 0, 2021), "tháng 0 không hợp lệ (phải từ 1 đến 12)"),
        ((1, 1, 0), "năm 0 không hợp lệ (phải từ 1 đến 9999)"),
        ((None, None, 10_000), "năm 10000 không hợp lệ (phải từ 1 đến 9999)"),
    ],
    ids=repr,
)
def test_nd30_date_parts_refuses_impossible_dates(
    parts: tuple[int | None, int | None, int | None], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        nd30_date_parts(*parts)
    assert str(caught.value) == message


@pytest.mark.parametrize("parts", [("5", 1, 2021), (True, 1, 2021), (1, 1.0, 2021)])
def test_nd30_date_parts_wants_ints(parts: tuple[object, object, object]) -> None:
    with pytest.raises(TypeError):
        nd30_date_parts(*parts)  # type: ignore[arg-type]


def test_nd30_date_wants_a_date() -> None:
    with pytest.raises(TypeError):
        nd30_date("2021-03-19")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("d", "style", "text"),
    [
        (date(2021, 8, 12), "nd30", "12/8/2021"),
        (date(2024, 1, 5), "nd30", "05/01/2024"),
        (date(2020, 4, 8), "nd30", "08/4/2020"),
        (date(2021, 2, 28), "nd30", "28/02/2021"),
        (date(2021, 8, 12), "full", "12/08/2021"),
        (date(2024, 1, 5), "full", "05/01/2024"),
        (date(2021, 8, 12), "plain", "12/8/2021"),
        (date(2024, 1, 5), "plain", "5/1/2024"),
    ],
    ids=repr,
)
def test_short_date(d: date, style: str, text: str) -> None:
    assert short_date(d, style=style) == text


def test_short_date_default_style_is_nd30() -> None:
    assert short_date(date(2021, 3, 1)) == "01/3/2021"


def test_short_date_bad_style() -> None:
    with pytest.raises(ValueError) as caught:
        short_date(date(2021, 3, 1), style="iso")
    assert str(caught.value) == "kiểu ngày “iso” không hợp lệ; chỉ nhận “nd30”, “full”, “plain”"


@pytest.mark.parametrize(
    ("q", "year", "text"),
    [
        (1, 2021, "Quý I năm 2021"),
        (2, 2022, "Quý II năm 2022"),
        (3, 2023, "Quý III năm 2023"),
        (4, 2024, "Quý IV năm 2024"),
        (4, None, "Quý IV"),
    ],
)
def test_quarter(q: int, year: int | None, text: str) -> None:
    assert quarter(q, year) == text


@pytest.mark.parametrize("q", [0, 5, -1])
def test_quarter_out_of_range(q: int) -> None:
    with pytest.raises(ValueError) as caught:
        quarter(q, 2021)
    assert str(caught.value) == f"quý {q} không hợp lệ (phải từ 1 đến 4)"


# -- sequences -------------------------------------------------------------------------------

EXPECTED_LETTERS = [
    *("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o"),
    *("p", "q", "r", "s", "t", "u", "v", "x", "y"),
]


@pytest.mark.parametrize(("n", "expected"), list(enumerate(EXPECTED_LETTERS, start=1)))
def test_letter(n: int, expected: str) -> None:
    assert letter(n) == expected


def test_letters_skip_what_the_decree_skips() -> None:
    assert [letter(n) for n in range(1, 24)] == EXPECTED_LETTERS
    assert "".join(EXPECTED_LETTERS) == LETTERS
    assert not set("fjwzăâêôơư") & set(LETTERS)


@pytest.mark.parametrize(
    ("n", "message"),
    [
        (0, "số thứ tự phải từ 1 trở lên, nhận được 0"),
        (-3, "số thứ tự phải từ 1 trở lên, nhận được -3"),
        (
            24,
            "điểm thứ 24 không có chữ cái: bảng chữ của điểm chỉ có 23 chữ "
            "(a, b, c, d, đ, e, g, … x, y); hãy chia nhỏ danh sách",
        ),
    ],
)
def test_letter_out_of_range(n: int, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        letter(n)
    assert str(caught.value) == message


ROMANS = [
    *("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"),
    *("XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"),
]


@pytest.mark.parametrize(("n", "expected"), list(enumerate(ROMANS, start=1)))
def test_roman_first_twenty(n: int, expected: str) -> None:
    assert roman(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (40, "XL"),
        (49, "XLIX"),
        (90, "XC"),
        (400, "CD"),
        (444, "CDXLIV"),
        (900, "CM"),
        (1994, "MCMXCIV"),
        (2024, "MMXXIV"),
        (3999, "MMMCMXCIX"),
    ],
)
def test_roman(n: int, expected: str) -> None:
    assert roman(n) == expected


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_roman_out_of_range(n: int) -> None:
    with pytest.raises(ValueError) as caught:
        roman(n)
    assert str(caught.value) == f"số La Mã chỉ viết được các số từ 1 đến 3999, nhận được {n}"


@pytest.mark.parametrize("n", [True, 1.0, "1"])
def test_sequences_want_ints(n: object) -> None:
    for function in (roman, letter, quarter):
        with pytest.raises(TypeError):
            function(n)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("number", "symbol", "text"),
    [
        (5, "BC-STTTT", "Số: 05/BC-STTTT"),
        (12, "BC-STTTT", "Số: 12/BC-STTTT"),
        (442, "BC-STTTT", "Số: 442/BC-STTTT"),
        (1, "SKHCN-BCVT&TĐC", "Số: 01/SKHCN-BCVT&TĐC"),
        (None, "BC-STTTT", "Số:      /BC-STTTT"),
        (7, None, "Số: 07"),
    ],
)
def test_document_number(number: int | None, symbol: str | None, text: str) -> None:
    assert document_number(number, symbol) == text


def test_document_number_dotted_blank() -> None:
    assert document_number(None, "QĐ-UBND", blank=" ……") == "Số: ……/QĐ-UBND"


def test_document_number_must_be_positive() -> None:
    with pytest.raises(ValueError, match="số văn bản phải từ 1 trở lên, nhận được 0"):
        document_number(0, "BC-STTTT")


# -- doctests ------------------------------------------------------------------------------


def test_doctests() -> None:
    results = doctest.testmod(baocao.vietnamese, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0
    assert results.failed == 0


# -- robustness on junk ------------------------------------------------------------------------

JUNK_WORDS = sorted(VOCABULARY | {"đồng", "chẵn", "bẩy", "ngàn", "x"})


@no_database
@given(words=st.lists(st.sampled_from(JUNK_WORDS), min_size=1, max_size=9))
def test_words_to_number_accepts_only_exact_readings(words: list[str]) -> None:
    try:
        value = words_to_number(" ".join(words))
    except ValueError:
        return
    # Whatever is accepted reads back to itself through the canonical words.
    assert words_to_number(number_to_words(value)) == value


@no_database
@given(text=st.text(alphabet="0123456789.,+- \u2212", max_size=14))
def test_parse_number_either_parses_or_says_why(text: str) -> None:
    try:
        value = parse_number(text)
    except ValueError as err:
        assert str(err).startswith("không đọc được số “")
    else:
        assert value.is_finite()


# -- errors are data: a code of messages.MESSAGES, Vietnamese by default ---------------------

CODES = [
    "number_bad",
    "number_bad_hint",
    "number_bad_form",
    "number_not_finite",
    "words_bad",
    "words_bad_word",
    "words_bad_hint",
    "option_bad",
    "money_fraction",
    "decimals_bad",
    "date_bad_day",
    "date_bad_month",
    "date_bad_year",
    "date_bad_style",
    "quarter_bad",
    "letter_bad",
    "letter_bad_position",
    "roman_bad",
    "document_number_bad",
]


@pytest.mark.parametrize("code", CODES)
def test_error_code_has_vietnamese_and_english(code: str) -> None:
    assert MESSAGES[code]["vi"]
    assert MESSAGES[code]["en"]


def test_every_code_raised_is_listed() -> None:
    source = Path(baocao.vietnamese.__file__).read_text(encoding="utf-8")
    raised = re.findall(r'FormatError\(\s*"(\w+)"', source)
    dated = re.findall(r'return "(date_\w+)", \{', source)  # date_problem, raised in turn
    assert set(raised + dated) == set(CODES)


def test_no_private_message_table() -> None:
    assert not hasattr(baocao.vietnamese, "_MESSAGES")


SPOKEN_ERRORS: list[tuple[Callable[[], object], str, str, str]] = [
    (
        lambda: parse_number("12.34"),
        "number_bad_hint",
        "không đọc được số “12.34”; có phải là “1.234” hoặc “12,34”?",
        "cannot read the number “12.34”; did you mean “1.234” or “12,34”?",
    ),
    (
        lambda: parse_number("abc"),
        "number_bad_form",
        "không đọc được số “abc”: dùng dấu chấm ngăn cách hàng nghìn và dấu phẩy "
        "trước phần thập phân, ví dụ 1.234.567,5",
        "cannot read the number “abc”: put a dot between thousands and a comma "
        "before the decimals, e.g. 1.234.567,5",
    ),
    (
        lambda: number_to_words(1, linh="le"),
        "option_bad",
        "tùy chọn linh=“le” không hợp lệ; chỉ nhận “linh” hoặc “lẻ”",
        "invalid option linh=“le”; it accepts only “linh” or “lẻ”",
    ),
    (
        lambda: words_to_number("một nghìn linh năm"),
        "words_bad_hint",
        "không đọc được số bằng chữ “một nghìn linh năm”; "
        "cách đọc đúng là “một nghìn không trăm linh năm”",
        "cannot read the number in words “một nghìn linh năm”; "
        "the correct reading is “một nghìn không trăm linh năm”",
    ),
    (
        lambda: format_money(Decimal("1500.5")),
        "money_fraction",
        "số tiền 1.500,5 có phần thập phân; tiền ghi theo đồng chẵn, hãy làm tròn trước",
        "the amount 1.500,5 has a fractional part; money is written in whole đồng, round it first",
    ),
    (
        lambda: nd30_date_parts(31, 4, 2021),
        "date_bad_day",
        "ngày 31 không hợp lệ (phải từ 1 đến 30)",
        "day 31 is invalid (it must be from 1 to 30)",
    ),
    (
        lambda: short_date(date(2021, 1, 1), style="iso"),
        "date_bad_style",
        "kiểu ngày “iso” không hợp lệ; chỉ nhận “nd30”, “full”, “plain”",
        "invalid date style “iso”; it accepts only “nd30”, “full”, “plain”",
    ),
    (
        lambda: letter(24),
        "letter_bad",
        "điểm thứ 24 không có chữ cái: bảng chữ của điểm chỉ có 23 chữ "
        "(a, b, c, d, đ, e, g, … x, y); hãy chia nhỏ danh sách",
        "point 24 has no letter: points are lettered with only 23 letters "
        "(a, b, c, d, đ, e, g, … x, y); split the list",
    ),
    (
        lambda: roman(4000),
        "roman_bad",
        "số La Mã chỉ viết được các số từ 1 đến 3999, nhận được 4000",
        "Roman numerals can only write numbers from 1 to 3999, got 4000",
    ),
]


@pytest.mark.parametrize(
    ("call", "code", "vi", "en"), SPOKEN_ERRORS, ids=[case[1] for case in SPOKEN_ERRORS]
)
def test_errors_speak_vietnamese_and_english(
    call: Callable[[], object], code: str, vi: str, en: str
) -> None:
    with pytest.raises(FormatError) as caught:
        call()
    err = caught.value
    assert isinstance(err, ValueError)
    assert err.code == code
    assert str(err) == vi
    assert err.message("vi") == vi
    assert err.message("en") == en


def test_error_keeps_its_parameters_as_data() -> None:
    with pytest.raises(FormatError) as caught:
        quarter(5, 2021)
    assert (caught.value.code, caught.value.params) == ("quarter_bad", {"value": 5})


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_whole_number_fast_path_matches_babel(value: int) -> None:
    # A Decimal takes the Babel path (with the precision it needs); an int the fast one.
    assert format_number(value) == format_number(Decimal(value))
