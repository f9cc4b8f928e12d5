"""The Jinja filters, as a template author uses them: ``{{ x|so }}`` on YAML values."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
import yaml

import baocao.formatting
from baocao.errors import FormatError
from baocao.formatting import FILTERS
from baocao.messages import MESSAGES
from baocao.vietnamese import (
    format_number,
    nd30_date,
    number_to_words,
    parse_number,
    short_date,
)


def render(template: str, **data: object) -> str:
    env = jinja2.Environment(autoescape=True)
    env.filters.update(FILTERS)
    return env.from_string(template).render(**data)


def test_filter_names_are_pinned() -> None:
    assert sorted(FILTERS) == sorted(
        [
            "so",
            "phan_tram",
            "tien",
            "bang_chu",
            "tien_bang_chu",
            "ty_trieu",
            "ngay_vb",
            "ngay",
            "quy",
            "chu_cai",
            "la_ma",
            "so_ky_hieu",
        ]
    )


@pytest.mark.parametrize(
    ("template", "x", "text"),
    [
        # so: digits with Vietnamese separators
        ("{{ x|so }}", 1416, "1.416"),
        ("{{ x|so }}", Decimal("26.86"), "26,86"),
        ("{{ x|so }}", Decimal("1234567.5"), "1.234.567,5"),
        ("{{ x|so }}", -1234, "-1.234"),
        ("{{ x|so }}", "1.234.567,5", "1.234.567,5"),
        ("{{ x|so }}", "1416", "1.416"),
        ("{{ x|so(2) }}", "26,8", "26,80"),
        ("{{ x|so(decimals=0) }}", Decimal("2.5"), "3"),
        # phan_tram: already in percent
        ("{{ x|phan_tram }}", Decimal("26.86"), "26,86%"),
        ("{{ x|phan_tram }}", "3,90", "3,9%"),
        ("{{ x|phan_tram }}", 100, "100%"),
        ("{{ x|phan_tram(3) }}", "0,003", "0,003%"),
        ("{{ x|phan_tram(1) }}", Decimal("67.25"), "67,3%"),
        # tien: whole đồng in digits
        ("{{ x|tien }}", 1500000, "1.500.000 đồng"),
        ("{{ x|tien }}", "32.800.000.000", "32.800.000.000 đồng"),
        ("{{ x|tien }}", Decimal("1500.00"), "1.500 đồng"),
        # bang_chu: words
        ("{{ x|bang_chu }}", 2021, "hai nghìn không trăm hai mươi mốt"),
        ("{{ x|bang_chu }}", "1,05", "một phẩy không năm"),
        ("{{ x|bang_chu(linh='lẻ') }}", 105, "một trăm lẻ năm"),
        ("{{ x|bang_chu(nghin='ngàn') }}", 1000, "một ngàn"),
        ("{{ x|bang_chu(tu=true) }}", 24, "hai mươi tư"),
        ("{{ x|bang_chu(ty='tỉ') }}", 10**9, "một tỉ"),
        # tien_bang_chu: money in words
        ("{{ x|tien_bang_chu }}", 1500000, "Một triệu năm trăm nghìn đồng"),
        ("{{ x|tien_bang_chu(chan=true) }}", 1500000, "Một triệu năm trăm nghìn đồng chẵn"),
        ("{{ x|tien_bang_chu(linh='lẻ') }}", "1.000.005", "Một triệu không trăm lẻ năm đồng"),
        # ty_trieu: magnitude
        ("{{ x|ty_trieu }}", 32800000000, "32,8 tỷ đồng"),
        ("{{ x|ty_trieu }}", 1500000, "1,5 triệu đồng"),
        ("{{ x|ty_trieu('') }}", "19.500.000.000", "19,5 tỷ"),
        # ngay_vb: the decree's date phrase
        ("{{ x|ngay_vb }}", date(2021, 2, 5), "ngày 05 tháng 02 năm 2021"),
        (
            "{{ x|ngay_vb('Quảng Nam') }}",
            date(2021, 11, 12),
            "Quảng Nam, ngày 12 tháng 11 năm 2021",
        ),
        ("{{ x|ngay_vb }}", datetime(2021, 3, 19, 9), "ngày 19 tháng 3 năm 2021"),
        ("{{ x|ngay_vb }}", "2021-03-19", "ngày 19 tháng 3 năm 2021"),
        ("{{ x|ngay_vb }}", "19/3/2021", "ngày 19 tháng 3 năm 2021"),
        ("{{ x|ngay_vb }}", None, "ngày      tháng      năm      "),
        ("{{ x|ngay_vb }}", "", "ngày      tháng      năm      "),
        (
            "{{ x|ngay_vb('Đồng Tháp') }}",
            {"thang": 12, "nam": 2022},
            "Đồng Tháp, ngày      tháng 12 năm 2022",
        ),
        (
            "{{ x|ngay_vb }}",
            {"ngay": None, "thang": "12", "nam": 2022},
            "ngày      tháng 12 năm 2022",
        ),
        ("{{ x|ngay_vb }}", {"ngay": 5, "thang": 2, "nam": 2021}, "ngày 05 tháng 02 năm 2021"),
        ("{{ x|ngay_vb(blank=' …… ') }}", {"nam": 2024}, "ngày …… tháng …… năm 2024"),
        # ngay: short dates
        ("{{ x|ngay }}", date(2021, 8, 12), "12/8/2021"),
        ("{{ x|ngay }}", date(2024, 1, 5), "05/01/2024"),
        ("{{ x|ngay }}", "2020-04-08", "08/4/2020"),
        ("{{ x|ngay('full') }}", date(2021, 8, 12), "12/08/2021"),
        ("{{ x|ngay(style='plain') }}", date(2024, 1, 5), "5/1/2024"),
        # quy, chu_cai, la_ma
        ("{{ x|quy(2021) }}", 1, "Quý I năm 2021"),
        ("{{ x|quy('2022') }}", "4", "Quý IV năm 2022"),
        ("{{ x|quy }}", 3, "Quý III"),
        ("{{ x|chu_cai }}", 5, "đ"),
        ("{{ x|chu_cai }}", 7, "g"),
        ("{{ x|chu_cai }}", "23", "y"),
        ("{{ x|la_ma }}", 4, "IV"),
        ("{{ x|la_ma }}", Decimal("14"), "XIV"),
        # so_ky_hieu: the Số line
        ("{{ x|so_ky_hieu('BC-STTTT') }}", 5, "Số: 05/BC-STTTT"),
        ("{{ x|so_ky_hieu('BC-STTTT') }}", "05", "Số: 05/BC-STTTT"),
        ("{{ x|so_ky_hieu('BC-STTTT') }}", 442, "Số: 442/BC-STTTT"),
        ("{{ x|so_ky_hieu('BC-STTTT') }}", None, "Số:      /BC-STTTT"),
    ],
    ids=repr,
)
def test_filter(template: str, x: object, text: str) -> None:
    assert render(template, x=x) == text


def test_autoescape_applies_to_filter_output() -> None:
    out = render(
        "{{ x|so_ky_hieu('SKHCN-BCVT&TĐC') }} | {{ d|ngay_vb(p) }}", x=1, d=None, p="A & B"
    )
    assert out == "Số: 01/SKHCN-BCVT&amp;TĐC | A &amp; B, ngày      tháng      năm      "


def test_lettered_list() -> None:
    template = "{% for x in items %}{{ loop.index|chu_cai }}) {{ x }}\n{% endfor %}"
    items = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy"]
    expected = "a) một\nb) hai\nc) ba\nd) bốn\nđ) năm\ne) sáu\ng) bảy\n"
    assert render(template, items=items) == expected


def test_roman_headings() -> None:
    template = "{% for x in items %}{{ loop.index|la_ma }}. {{ x|upper }}\n{% endfor %}"
    expected = "I. KẾT QUẢ\nII. TỒN TẠI\nIII. KIẾN NGHỊ\nIV. PHƯƠNG HƯỚNG\n"
    assert render(template, items=["kết quả", "tồn tại", "kiến nghị", "phương hướng"]) == expected


FLOAT = (
    "là số thực dạng float nên có thể đã sai chữ số (YAML đọc 1.416 thành 1,416); "
    "hãy ghi số trong ngoặc kép theo cách viết Việt Nam, ví dụ “1.416” hay “26,86”"
)
NUMBER = "cần một số (ví dụ 1416 hoặc “1.234,5”), nhận được"
FORM = "dùng dấu chấm ngăn cách hàng nghìn và dấu phẩy trước phần thập phân, ví dụ 1.234.567,5"


@pytest.mark.parametrize(
    ("template", "x", "message"),
    [
        ("{{ x|so }}", 26.86, f"bộ lọc “so”: 26.86 {FLOAT}"),
        ("{{ x|so }}", 1.416, f"bộ lọc “so”: 1.416 {FLOAT}"),
        ("{{ x|tien }}", 1500000.0, f"bộ lọc “tien”: 1500000.0 {FLOAT}"),
        ("{{ x|bang_chu }}", 26.86, f"bộ lọc “bang_chu”: 26.86 {FLOAT}"),
        ("{{ x|so }}", float("nan"), f"bộ lọc “so”: nan {FLOAT}"),
        ("{{ x|ngay_vb }}", {"ngay": 1.0}, f"bộ lọc “ngay_vb”: 1.0 {FLOAT}"),
        ("{{ x|so }}", None, "bộ lọc “so”: chưa có giá trị (ô để trống)"),
        ("{{ x|so }}", True, f"bộ lọc “so”: {NUMBER} “True” (bool)"),
        ("{{ x|so }}", [1, 2], f"bộ lọc “so”: {NUMBER} “[1, 2]” (list)"),
        ("{{ x|so }}", date(2021, 1, 1), f"bộ lọc “so”: {NUMBER} “2021-01-01” (date)"),
        ("{{ x|so }}", "abc", f"bộ lọc “so”: không đọc được số “abc”: {FORM}"),
        (
            "{{ x|so }}",
            "12.34",
            "bộ lọc “so”: không đọc được số “12.34”; có phải là “1.234” hoặc “12,34”?",
        ),
        ("{{ x|so }}", Decimal("NaN"), "bộ lọc “so”: “NaN” không phải là một số"),
        (
            "{{ x|so(-1) }}",
            5,
            "bộ lọc “so”: số chữ số thập phân phải là số nguyên không âm, nhận được -1",
        ),
        (
            "{{ x|tien }}",
            Decimal("1500.5"),
            "bộ lọc “tien”: số tiền 1.500,5 có phần thập phân; "
            "tiền ghi theo đồng chẵn, hãy làm tròn trước",
        ),
        (
            "{{ x|tien_bang_chu }}",
            "1,5",
            "bộ lọc “tien_bang_chu”: số tiền 1,5 có phần thập phân; "
            "tiền ghi theo đồng chẵn, hãy làm tròn trước",
        ),
        (
            "{{ x|bang_chu(linh='le') }}",
            5,
            "bộ lọc “bang_chu”: tùy chọn linh=“le” không hợp lệ; chỉ nhận “linh” hoặc “lẻ”",
        ),
        ("{{ x|ngay_vb }}", "2021-02-30", "bộ lọc “ngay_vb”: ngày “2021-02-30” không có thật"),
        ("{{ x|ngay_vb }}", "31/4/2021", "bộ lọc “ngay_vb”: ngày “31/4/2021” không có thật"),
        (
            "{{ x|ngay_vb }}",
            "12 tháng 3",
            "bộ lọc “ngay_vb”: cần một ngày (ví dụ 2021-03-19 hoặc “19/3/2021”), "
            "nhận được “12 tháng 3” (str)",
        ),
        (
            "{{ x|ngay }}",
            20210319,
            "bộ lọc “ngay”: cần một ngày (ví dụ 2021-03-19 hoặc “19/3/2021”), "
            "nhận được “20210319” (int)",
        ),
        ("{{ x|ngay }}", None, "bộ lọc “ngay”: chưa có giá trị (ô để trống)"),
        (
            "{{ x|ngay_vb }}",
            {"ngay": 1, "thang": 2, "nam": 2021, "gio": 8},
            "bộ lọc “ngay_vb”: chỉ nhận các khóa ngay, thang, nam; có khóa lạ: gio",
        ),
        (
            "{{ x|ngay_vb }}",
            {"ngay": 31, "thang": 4},
            "bộ lọc “ngay_vb”: ngày 31 không hợp lệ (phải từ 1 đến 30)",
        ),
        (
            "{{ x|ngay('iso') }}",
            date(2021, 1, 1),
            "bộ lọc “ngay”: kiểu ngày “iso” không hợp lệ; chỉ nhận “nd30”, “full”, “plain”",
        ),
        ("{{ x|quy(2021) }}", 5, "bộ lọc “quy”: quý 5 không hợp lệ (phải từ 1 đến 4)"),
        ("{{ x|quy(2021) }}", "1,5", "bộ lọc “quy”: cần một số nguyên, nhận được “1,5”"),
        (
            "{{ x|chu_cai }}",
            24,
            "bộ lọc “chu_cai”: điểm thứ 24 không có chữ cái: bảng chữ của điểm chỉ có 23 chữ "
            "(a, b, c, d, đ, e, g, … x, y); hãy chia nhỏ danh sách",
        ),
        (
            "{{ x|la_ma }}",
            0,
            "bộ lọc “la_ma”: số La Mã chỉ viết được các số từ 1 đến 3999, nhận được 0",
        ),
        (
            "{{ x|so_ky_hieu('BC') }}",
            0,
            "bộ lọc “so_ky_hieu”: số văn bản phải từ 1 trở lên, nhận được 0",
        ),
    ],
    ids=repr,
)
def test_filter_errors(template: str, x: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        render(template, x=x)
    assert str(caught.value) == message


CODES = [
    "filter_prefix",
    "filter_empty",
    "filter_float",
    "filter_not_number",
    "filter_not_whole",
    "filter_not_date",
    "filter_bad_date",
    "filter_date_keys",
]


@pytest.mark.parametrize("code", CODES)
def test_error_code_has_vietnamese_and_english(code: str) -> None:
    assert MESSAGES[code]["vi"]
    assert MESSAGES[code]["en"]


def test_every_code_raised_is_listed() -> None:
    source = Path(baocao.formatting.__file__).read_text(encoding="utf-8")
    raised = re.findall(r'(?:FormatError|_wrong)\(\s*"(\w+)"', source)
    assert set(raised) == set(CODES)


def test_no_private_message_table() -> None:
    assert not hasattr(baocao.formatting, "_MESSAGES")


@pytest.mark.parametrize(
    ("template", "x", "vi", "en"),
    [
        (
            "{{ x|so }}",
            26.86,
            f"bộ lọc “so”: 26.86 {FLOAT}",
            "filter “so”: 26.86 is a floating-point number, so its digits may already be wrong "
            "(YAML reads 1.416 as 1,416); write the number in quotes the Vietnamese way, "
            "e.g. “1.416” or “26,86”",
        ),
        (
            "{{ x|so }}",
            None,
            "bộ lọc “so”: chưa có giá trị (ô để trống)",
            "filter “so”: there is no value yet (the field is blank)",
        ),
        (
            "{{ x|so }}",
            "12.34",
            "bộ lọc “so”: không đọc được số “12.34”; có phải là “1.234” hoặc “12,34”?",
            "filter “so”: cannot read the number “12.34”; did you mean “1.234” or “12,34”?",
        ),
        (
            "{{ x|ngay }}",
            20210319,
            "bộ lọc “ngay”: cần một ngày (ví dụ 2021-03-19 hoặc “19/3/2021”), "
            "nhận được “20210319” (int)",
            "filter “ngay”: needs a date (e.g. 2021-03-19 or “19/3/2021”), got “20210319” (int)",
        ),
        (
            "{{ x|ngay_vb }}",
            {"ngay": 1, "thang": 2, "nam": 2021, "gio": 8},
            "bộ lọc “ngay_vb”: chỉ nhận các khóa ngay, thang, nam; có khóa lạ: gio",
            "filter “ngay_vb”: accepts only the keys ngay, thang, nam; unknown keys: gio",
        ),
        (
            "{{ x|bang_chu(linh='le') }}",
            5,
            "bộ lọc “bang_chu”: tùy chọn linh=“le” không hợp lệ; chỉ nhận “linh” hoặc “lẻ”",
            "filter “bang_chu”: invalid option linh=“le”; it accepts only “linh” or “lẻ”",
        ),
    ],
    ids=repr,
)
def test_filter_errors_speak_vietnamese_and_english(
    template: str, x: object, vi: str, en: str
) -> None:
    with pytest.raises(FormatError) as caught:
        render(template, x=x)
    assert str(caught.value) == vi
    assert caught.value.message("en") == en


def test_filter_error_wraps_the_inner_error_whole() -> None:
    with pytest.raises(FormatError) as caught:
        render("{{ x|quy(2021) }}", x=5)
    err = caught.value
    inner = err.params["message"]
    assert err.code == "filter_prefix"
    assert err.params["name"] == "quy"
    assert isinstance(inner, FormatError)
    assert (inner.code, inner.params) == ("quarter_bad", {"value": 5})
    assert err.__cause__ is inner
    assert err.message("en") == "filter “quy”: quarter 5 is invalid (it must be from 1 to 4)"


def test_filter_error_from_a_type_error_keeps_its_text() -> None:
    with pytest.raises(FormatError) as caught:
        render("{{ x|bang_chu(tu='yes') }}", x=5)
    assert isinstance(caught.value.__cause__, TypeError)
    assert str(caught.value) == "bộ lọc “bang_chu”: tu must be a bool, got str"
    assert caught.value.message("en") == "filter “bang_chu”: tu must be a bool, got str"


def test_missing_value_keeps_jinjas_own_error() -> None:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    with pytest.raises(jinja2.UndefinedError, match="'thieu' is undefined"):
        env.from_string("{{ thieu|so }}").render()


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_filter_has_a_docstring(name: str) -> None:
    assert FILTERS[name].__doc__


# -- the tables of docs/so-va-ngay.md are real outputs ----------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "so-va-ngay.md"


def doc_table(header: str) -> list[list[str]]:
    """Return the cells of the Markdown table whose header row starts with ``header``."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line)[1:-1]
        rows.append([cell.strip().replace("\\|", "|") for cell in cells])
    return rows


def code(cell: str) -> str:
    assert cell.startswith("`") and cell.endswith("`"), cell
    return cell[1:-1]


FILTER_ROWS = doc_table("| Bộ lọc | Dùng để |")


def test_doc_filter_table_covers_every_filter() -> None:
    assert {code(row[0]) for row in FILTER_ROWS} == set(FILTERS)


@pytest.mark.parametrize("row", FILTER_ROWS, ids=lambda row: row[2])
def test_doc_filter_table(row: list[str]) -> None:
    _, _, template, value, result = row
    data = yaml.safe_load(f"x: {code(value)}")
    assert render(code(template), **data) == code(result)


@pytest.mark.parametrize("row", doc_table("| Số | Đọc là |"), ids=lambda row: row[0])
def test_doc_reference_table(row: list[str]) -> None:
    number, reading = row
    assert number_to_words(number) == reading
    assert format_number(parse_number(number)) == number


@pytest.mark.parametrize("row", doc_table("| Ngày | Viết ra |"), ids=lambda row: row[0])
def test_doc_date_table(row: list[str]) -> None:
    day, month, year = (int(part) for part in row[0].split("/"))
    assert nd30_date(date(year, month, day)) == row[1]
    assert short_date(date(year, month, day)) == row[0]


@pytest.mark.parametrize("row", doc_table("| Giá trị | Viết ra |"), ids=lambda row: row[1])
def test_doc_digits_table(row: list[str]) -> None:
    words, digits = row
    assert format_number(parse_number(digits)) == digits
    assert number_to_words(digits) == words
