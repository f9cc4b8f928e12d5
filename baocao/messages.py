"""Every sentence a clerk reads, in Vietnamese and English, in one table.

Codes are stable identifiers (used by tests, the JSON output and the HTTP
service); the text is looked up at the last moment, in the language asked for.
"""

from __future__ import annotations

from typing import Any

from baocao.errors import (
    Alternatives,
    BaocaoError,
    FormatError,
    InputError,
    Issue,
    ValidationFailed,
    format_path,
)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    # -- reading the input ---------------------------------------------------
    "file_not_found": {
        "vi": "không tìm thấy tệp",
        "en": "file not found",
    },
    "file_is_folder": {
        "vi": "đây là một thư mục, không phải tệp YAML",
        "en": "this is a folder, not a YAML file",
    },
    "file_unreadable": {
        "vi": "không đọc được tệp ({reason})",
        "en": "cannot read the file ({reason})",
    },
    "not_utf8": {
        "vi": "tệp không phải văn bản UTF-8 (byte lạ ở vị trí {offset}); hãy lưu lại tệp với bảng mã UTF-8",
        "en": "the file is not UTF-8 text (odd byte at offset {offset}); save it again as UTF-8",
    },
    "too_large": {
        "vi": "tệp quá lớn ({size} byte, tối đa {limit} byte)",
        "en": "the file is too large ({size} bytes, at most {limit})",
    },
    "yaml_syntax": {
        "vi": "lỗi cú pháp YAML: {problem_vi}",
        "en": "YAML syntax error: {problem}",
    },
    "duplicate_key": {
        "vi": "khóa “{key}” bị lặp (đã có ở dòng {first_line}); hãy xóa hoặc gộp một trong hai",
        "en": "key “{key}” appears twice (first at line {first_line}); delete or merge one",
    },
    "not_a_mapping": {
        "vi": "nội dung phải là các cặp “khóa: giá trị” (ví dụ “trich_yeu: …”)",
        "en": "the content must be “key: value” pairs (for example “trich_yeu: …”)",
    },
    "too_many_nodes": {
        "vi": "tệp có quá nhiều phần tử sau khi mở rộng bí danh (trên {limit}); có thể là bí danh lồng nhau",
        "en": "the file expands to too many elements (over {limit}); nested aliases?",
    },
    "complex_key": {
        "vi": "khóa phải là một chữ hoặc số, không phải danh sách hay bảng",
        "en": "a key must be a word or number, not a list or mapping",
    },
    # -- validation ------------------------------------------------------------
    "required": {
        "vi": "thiếu trường bắt buộc “{field}”",
        "en": "missing required field “{field}”",
    },
    "unknown_key": {
        "vi": "khóa “{key}” không có trong mẫu {template}{hint}",
        "en": "key “{key}” is not part of the {template} template{hint}",
    },
    "did_you_mean": {
        "vi": "; có phải ý bạn là “{suggestion}”?",
        "en": "; did you mean “{suggestion}”?",
    },
    "wrong_type": {
        "vi": "giá trị phải là {expected}, nhưng ở đây là {got}",
        "en": "the value must be {expected}, but it is {got}",
    },
    "empty": {
        "vi": "không được để trống",
        "en": "must not be empty",
    },
    "not_allowed": {
        "vi": "giá trị “{value}” không hợp lệ; chọn một trong: {allowed}",
        "en": "value “{value}” is not allowed; choose one of: {allowed}",
    },
    "too_short": {
        "vi": "cần ít nhất {min} phần tử",
        "en": "needs at least {min} items",
    },
    "too_long": {
        "vi": "tối đa {max} phần tử",
        "en": "at most {max} items",
    },
    "below_min": {
        "vi": "giá trị {value} nhỏ hơn mức tối thiểu {min}",
        "en": "value {value} is below the minimum {min}",
    },
    "above_max": {
        "vi": "giá trị {value} lớn hơn mức tối đa {max}",
        "en": "value {value} is above the maximum {max}",
    },
    "pattern": {
        "vi": "“{value}” không đúng dạng: {hint}",
        "en": "“{value}” has the wrong form: {hint}",
    },
    "invalid_date": {
        "vi": "ngày không hợp lệ: {detail}",
        "en": "invalid date: {detail}",
    },
    "one_block_kind": {
        "vi": "mỗi khối nội dung chỉ có một loại ({kinds}), ở đây có: {given}",
        "en": "each content block has exactly one kind ({kinds}); here: {given}",
    },
    "row_length": {
        "vi": "dòng có {got} ô nhưng bảng có {expected} cột",
        "en": "the row has {got} cells but the table has {expected} columns",
    },
    "sequence_length": {
        "vi": "cần đúng {expected} giá trị (một cho mỗi cột), ở đây có {got}",
        "en": "needs exactly {expected} values (one per column), got {got}",
    },
    "invalid": {
        "vi": "giá trị không hợp lệ ({detail})",
        "en": "invalid value ({detail})",
    },
    "table_header_choice": {
        "vi": "bảng cần đúng một kiểu tiêu đề cột: cot (một dòng) hoặc tieu_de_cot (nhiều dòng, có ô gộp); ở đây có: {given}",
        "en": "a table needs exactly one kind of column header: cot (one row) or tieu_de_cot (several rows with merged cells); here: {given}",
    },
    "table_row_kind": {
        "vi": "dòng đặc biệt của bảng chỉ có thể là {{nhom: …}} (dòng nhóm) hoặc {{cong: …, nhan: …}} (dòng cộng); ở đây có: {given}",
        "en": "a special table row is either {{nhom: …}} (a group row) or {{cong: …, nhan: …}} (a subtotal row); here: {given}",
    },
    "table_header_shape": {
        "vi": "dòng tiêu đề cột thứ {row} phủ {got} cột nhưng bảng có {expected} cột; kiểm tra các ô gộp (ngang, doc)",
        "en": "header row {row} covers {got} columns but the table has {expected}; check the merged cells (ngang, doc)",
    },
    "table_rowspan": {
        "vi": "ô tiêu đề “{text}” gộp xuống quá số dòng tiêu đề ({rows})",
        "en": "header cell “{text}” spans below the last header row ({rows} rows)",
    },
    "table_formula_syntax": {
        "vi": "công thức “{formula}” không đúng dạng; viết như (3)=(4)+(5)+(6)",
        "en": "formula “{formula}” has the wrong form; write it like (3)=(4)+(5)+(6)",
    },
    "table_formula_column": {
        "vi": "công thức “{formula}” dùng cột không có (bảng có {columns} cột)",
        "en": "formula “{formula}” uses a column that does not exist (the table has {columns})",
    },
    "table_mismatch": {
        "vi": "{row}, cột {column}: ghi {typed} nhưng theo công thức {formula} phải là {computed}",
        "en": "{row}, column {column}: typed {typed} but the formula {formula} gives {computed}",
    },
    "table_sum_mismatch": {
        "vi": "{row}, cột {column}: ghi {typed} nhưng cộng các dòng được {computed}",
        "en": "{row}, column {column}: typed {typed} but the rows add up to {computed}",
    },
    "thay_cho_unused": {
        "vi": "thay_cho chỉ dùng khi quyen_han là TM., KT., TL. hoặc TUQ.",
        "en": "thay_cho is used only with quyen_han TM., KT., TL. or TUQ.",
    },
    "digits_only": {
        "vi": "số văn bản “{value}” chỉ được gồm chữ số, ví dụ 12",
        "en": "the document number “{value}” must be digits only, e.g. 12",
    },
    "control_chars_removed": {
        "vi": "đã bỏ {count} ký tự điều khiển không in được",
        "en": "removed {count} unprintable control character(s)",
    },
    # -- numbers, dates and sequences (baocao.vietnamese) ----------------------
    "number_bad": {
        "vi": "không đọc được số “{text}”",
        "en": "cannot read the number “{text}”",
    },
    "number_bad_hint": {
        "vi": "không đọc được số “{text}”; có phải là {hints}?",
        "en": "cannot read the number “{text}”; did you mean {hints}?",
    },
    "number_bad_form": {
        "vi": "không đọc được số “{text}”: dùng dấu chấm ngăn cách hàng nghìn và dấu phẩy "
        "trước phần thập phân, ví dụ 1.234.567,5",
        "en": "cannot read the number “{text}”: put a dot between thousands and a comma "
        "before the decimals, e.g. 1.234.567,5",
    },
    "number_not_finite": {
        "vi": "“{text}” không phải là một số",
        "en": "“{text}” is not a number",
    },
    "words_bad": {
        "vi": "không đọc được số bằng chữ “{text}”",
        "en": "cannot read the number in words “{text}”",
    },
    "words_bad_word": {
        "vi": "không đọc được số bằng chữ “{text}”: “{word}” không phải từ chỉ số",
        "en": "cannot read the number in words “{text}”: “{word}” is not a number word",
    },
    "words_bad_hint": {
        "vi": "không đọc được số bằng chữ “{text}”; cách đọc đúng là “{canonical}”",
        "en": "cannot read the number in words “{text}”; the correct reading is “{canonical}”",
    },
    "option_bad": {
        "vi": "tùy chọn {name}=“{value}” không hợp lệ; chỉ nhận {allowed}",
        "en": "invalid option {name}=“{value}”; it accepts only {allowed}",
    },
    "money_fraction": {
        "vi": "số tiền {value} có phần thập phân; tiền ghi theo đồng chẵn, hãy làm tròn trước",
        "en": "the amount {value} has a fractional part; money is written in whole đồng, "
        "round it first",
    },
    "decimals_bad": {
        "vi": "số chữ số thập phân phải là số nguyên không âm, nhận được {value}",
        "en": "the number of decimal places must be a whole number, 0 or more; got {value}",
    },
    "date_bad_day": {
        "vi": "ngày {value} không hợp lệ (phải từ 1 đến {limit})",
        "en": "day {value} is invalid (it must be from 1 to {limit})",
    },
    "date_bad_month": {
        "vi": "tháng {value} không hợp lệ (phải từ 1 đến 12)",
        "en": "month {value} is invalid (it must be from 1 to 12)",
    },
    "date_bad_year": {
        "vi": "năm {value} không hợp lệ (phải từ 1 đến 9999)",
        "en": "year {value} is invalid (it must be from 1 to 9999)",
    },
    "date_bad_style": {
        "vi": "kiểu ngày “{value}” không hợp lệ; chỉ nhận {allowed}",
        "en": "invalid date style “{value}”; it accepts only {allowed}",
    },
    "quarter_bad": {
        "vi": "quý {value} không hợp lệ (phải từ 1 đến 4)",
        "en": "quarter {value} is invalid (it must be from 1 to 4)",
    },
    "letter_bad": {
        "vi": "điểm thứ {value} không có chữ cái: bảng chữ của điểm chỉ có {count} chữ "
        "(a, b, c, d, đ, e, g, … x, y); hãy chia nhỏ danh sách",
        "en": "point {value} has no letter: points are lettered with only {count} letters "
        "(a, b, c, d, đ, e, g, … x, y); split the list",
    },
    "letter_bad_position": {
        "vi": "số thứ tự phải từ 1 trở lên, nhận được {value}",
        "en": "the position must be 1 or more, got {value}",
    },
    "roman_bad": {
        "vi": "số La Mã chỉ viết được các số từ 1 đến 3999, nhận được {value}",
        "en": "Roman numerals can only write numbers from 1 to 3999, got {value}",
    },
    "document_number_bad": {
        "vi": "số văn bản phải từ 1 trở lên, nhận được {value}",
        "en": "the document number must be 1 or more, got {value}",
    },
    # -- template filters (baocao.formatting) ---------------------------------
    "filter_prefix": {
        "vi": "bộ lọc “{name}”: {message}",
        "en": "filter “{name}”: {message}",
    },
    "filter_empty": {
        "vi": "chưa có giá trị (ô để trống)",
        "en": "there is no value yet (the field is blank)",
    },
    "filter_float": {
        "vi": "{value} là số thực dạng float nên có thể đã sai chữ số (YAML đọc 1.416 thành "
        "1,416); hãy ghi số trong ngoặc kép theo cách viết Việt Nam, ví dụ “1.416” hay “26,86”",
        "en": "{value} is a floating-point number, so its digits may already be wrong (YAML "
        "reads 1.416 as 1,416); write the number in quotes the Vietnamese way, "
        "e.g. “1.416” or “26,86”",
    },
    "filter_not_number": {
        "vi": "cần một số (ví dụ 1416 hoặc “1.234,5”), nhận được “{value}” ({kind})",
        "en": "needs a number (e.g. 1416 or “1.234,5”), got “{value}” ({kind})",
    },
    "filter_not_whole": {
        "vi": "cần một số nguyên, nhận được “{value}”",
        "en": "needs a whole number, got “{value}”",
    },
    "filter_not_date": {
        "vi": "cần một ngày (ví dụ 2021-03-19 hoặc “19/3/2021”), nhận được “{value}” ({kind})",
        "en": "needs a date (e.g. 2021-03-19 or “19/3/2021”), got “{value}” ({kind})",
    },
    "filter_bad_date": {
        "vi": "ngày “{value}” không có thật",
        "en": "the date “{value}” does not exist",
    },
    "filter_date_keys": {
        "vi": "chỉ nhận các khóa ngay, thang, nam; có khóa lạ: {keys}",
        "en": "accepts only the keys ngay, thang, nam; unknown keys: {keys}",
    },
    # -- templates and output -----------------------------------------------
    "template_unknown": {
        "vi": "không có mẫu văn bản “{name}”; các mẫu có sẵn: {available}",
        "en": "no template “{name}”; available: {available}",
    },
    "template_broken": {
        "vi": "mẫu văn bản “{name}” bị hỏng: {detail}",
        "en": "template “{name}” is broken: {detail}",
    },
    "template_undeclared": {
        "vi": "mẫu “{name}” dùng các trường không có trong lược đồ: {fields}",
        "en": "template “{name}” uses fields its schema lacks: {fields}",
    },
    "picture_unreadable": {
        "vi": "không đọc được hình ảnh ({reason}); cần tệp PNG hoặc JPEG",
        "en": "cannot read the picture ({reason}); a PNG or JPEG file is needed",
    },
    "picture_missing": {
        "vi": "không tìm thấy tệp hình “{file}” (đường dẫn tính từ thư mục của tệp YAML: {folder})",
        "en": "picture file “{file}” not found (paths start from the YAML file's folder: {folder})",
    },
    "picture_type": {
        "vi": "tệp hình “{file}” phải là PNG hoặc JPEG (.png, .jpg, .jpeg)",
        "en": "picture “{file}” must be a PNG or JPEG (.png, .jpg, .jpeg)",
    },
    "template_no_footnotes": {
        "vi": "mẫu “{name}” không có phần chú thích cuối trang (footnotes.xml) nên không đặt được chú thích",
        "en": "template “{name}” has no footnotes part (footnotes.xml), so notes cannot be placed",
    },
    "footnote_unknown": {
        "vi": "chú thích [^{key}] chưa có nội dung trong chu_thich",
        "en": "footnote [^{key}] has no text under chu_thich",
    },
    "footnote_twice": {
        "vi": "chú thích [^{key}] đã được dùng ở chỗ khác; mỗi chú thích chỉ gắn vào một chỗ",
        "en": "footnote [^{key}] is already cited elsewhere; each note is cited once",
    },
    "footnote_unused": {
        "vi": "chú thích “{key}” không được dùng ở đâu (thêm [^{key}] vào chỗ cần chú thích)",
        "en": "note “{key}” is never cited (put [^{key}] where it belongs)",
    },
    "output_exists": {
        "vi": "tệp {path} đã có và không phải do baocao tạo ra (có thể đã sửa tay); "
        "chọn tên khác với -o, hoặc thêm --ghi-de để ghi đè",
        "en": "{path} exists and was not made by baocao (it may have been edited); "
        "choose another name with -o, or add --overwrite",
    },
    "output_is_input": {
        "vi": "tệp kết quả trùng với tệp đầu vào {path}; chọn tên khác với -o",
        "en": "the output is the input file {path}; choose another name with -o",
    },
    "output_dir_missing": {
        "vi": "thư mục {path} không tồn tại",
        "en": "folder {path} does not exist",
    },
    "output_failed": {
        "vi": "không ghi được {path} ({reason}); tệp có đang mở trong Word không?",
        "en": "cannot write {path} ({reason}); is it open in Word?",
    },
    "output_suffix": {
        "vi": "tên tệp kết quả phải có đuôi {expected}: {path}",
        "en": "the output file name must end in {expected}: {path}",
    },
    # -- summaries --------------------------------------------------------------
    "summary_errors": {
        "vi": "Có {count} lỗi. Chưa tạo tệp {kind}.",
        "en": "{count} error(s). No {kind} file was written.",
    },
    "summary_valid": {
        "vi": "{file}: hợp lệ.",
        "en": "{file}: valid.",
    },
    "summary_written": {
        "vi": "Đã tạo {path}",
        "en": "Wrote {path}",
    },
    "init_written": {
        "vi": "Đã tạo tệp mẫu {path}. Sửa nội dung rồi chạy: baocao render {path}",
        "en": "Wrote the starter file {path}. Edit it, then run: baocao render {path}",
    },
    "warning_prefix": {"vi": "cảnh báo", "en": "warning"},
    "error_prefix": {"vi": "lỗi", "en": "error"},
    "or": {"vi": "hoặc", "en": "or"},
}

# Names of YAML value types as a clerk would call them.
TYPE_NAMES: dict[str, dict[str, str]] = {
    "string": {"vi": "chữ (văn bản)", "en": "text"},
    "integer": {"vi": "số nguyên", "en": "a whole number"},
    "number": {"vi": "số", "en": "a number"},
    "boolean": {"vi": "có/không (true/false)", "en": "true/false"},
    "date": {"vi": "ngày (ví dụ 2021-11-12)", "en": "a date (e.g. 2021-11-12)"},
    "list": {
        "vi": "danh sách (các dòng bắt đầu bằng “- ”)",
        "en": "a list (lines starting with “- ”)",
    },
    "dict": {
        "vi": "nhóm khóa (các dòng “khóa: giá trị” thụt vào)",
        "en": "a group of “key: value” lines",
    },
    "null": {"vi": "để trống", "en": "empty"},
}


def text(code: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Return the message ``code`` in ``lang`` with ``params`` filled in."""
    entry = MESSAGES.get(code)
    if entry is None:
        return f"{code} {params}" if params else code
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def type_name(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Name a value type (``"list"``) the way a clerk reads it."""
    entry = TYPE_NAMES.get(name)
    return entry.get(lang, entry["vi"]) if entry else name


def _localise(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Turn structured parameters (type names, suggestions) into words."""
    out = dict(params)
    if isinstance(out.get("expected"), tuple):
        joiner = f" {text('or', lang)} "
        out["expected"] = joiner.join(type_name(name, lang) for name in out["expected"])
    if "got" in out and isinstance(out["got"], str):
        out["got"] = type_name(out["got"], lang)
    if isinstance(out.get("hint"), dict):
        out["hint"] = text("did_you_mean", lang, **out["hint"])
    return out


def issue_message(issue: Issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the message of one issue, without its place."""
    message = text(issue.code, lang, **_localise(issue.params, lang))
    if issue.warning:
        message = f"{text('warning_prefix', lang)}: {message}"
    return message


def describe_issue(issue: Issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """Render one issue Black-style: ``file:line:col: path: message``."""
    where = str(issue.location)
    message = issue_message(issue, lang)
    path = format_path(issue.path)
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def describe_error(error: BaocaoError, lang: str = DEFAULT_LANGUAGE) -> str:
    """Render an error (without the issue list of a ``ValidationFailed``)."""
    if isinstance(error, ValidationFailed):
        return "\n".join(describe_issue(issue, lang) for issue in error.issues)
    message = text(error.code, lang, **error.params)
    if isinstance(error, InputError):
        return f"{error.location}: {message}"
    return message


def format_error_message(error: FormatError, lang: str = DEFAULT_LANGUAGE) -> str:
    """Render a ``FormatError`` in ``lang``; ``FormatError.message`` calls this.

    A nested ``FormatError`` parameter is rendered in the same language; an
    ``Alternatives`` is quoted item by item and joined with "hoặc" or "or".
    """
    joiner = f" {text('or', lang)} "
    params: dict[str, Any] = {}
    for name, value in error.params.items():
        if isinstance(value, FormatError):
            value = format_error_message(value, lang)
        elif isinstance(value, Alternatives):
            value = joiner.join(f"“{item}”" for item in value)
        params[name] = value
    return text(error.code, lang, **params)
