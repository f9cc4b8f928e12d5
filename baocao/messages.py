"""Every sentence a clerk reads, in Vietnamese and English, in one table.

Codes are stable identifiers (used by tests, the JSON output and the HTTP
service); the text is looked up at the last moment, in the language asked for.
"""

from __future__ import annotations

from typing import Any

from baocao.errors import BaocaoError, InputError, Issue, ValidationFailed, format_path

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    # -- reading the input ---------------------------------------------------
    "file_not_found": {
        "vi": "không tìm thấy tệp",
        "en": "file not found",
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
        joiner = " hoặc " if lang == "vi" else " or "
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
