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
    "table_total_length": {
        "vi": "dòng cộng cần đúng {expected} giá trị, cho các cột ({first}) đến ({last}) sau nhãn; ở đây có {got}",
        "en": "a total row needs exactly {expected} values, for columns ({first}) to ({last}) after its label; got {got}",
    },
    "footnote_not_here": {
        "vi": "chú thích [^{key}] không đặt được ở đây; hãy gắn vào nội dung, bảng hoặc phụ lục",
        "en": "footnote [^{key}] cannot be placed here; cite it in the body, a table or an appendix",
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
    "picture_not_image": {
        "vi": "tệp “{file}” không phải là hình PNG hay JPEG (nội dung không đúng, có thể đã bị đổi tên hoặc hỏng)",
        "en": "“{file}” is not a PNG or JPEG picture inside (renamed or damaged?)",
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
    # -- baocao check: a .docx against Nghị định 30/2020 (baocao.check) ------------
    "check_old_word": {
        "vi": "đây là tệp Word 97–2003 (.doc) hoặc tệp có mật khẩu; hãy mở bằng Word và "
        "lưu lại dạng “Word Document (.docx)”",
        "en": "this is a Word 97–2003 file (.doc) or a password-protected file; open it in "
        "Word and save it as “Word Document (.docx)”",
    },
    "check_not_zip": {
        "vi": "không phải tệp Word .docx (có thể là tệp .pdf, .rtf hay tệp bị đổi đuôi); hãy mở "
        "bằng Word và lưu lại dạng “Word Document (.docx)”",
        "en": "not a Word .docx file (perhaps a .pdf, an .rtf or a renamed file); open it in "
        "Word and save it as “Word Document (.docx)”",
    },
    "check_not_docx": {
        "vi": "không phải tệp Word .docx đọc được ({reason})",
        "en": "not a readable Word .docx file ({reason})",
    },
    "check_strict": {
        "vi": "tệp được lưu dạng “Strict Open XML”, chưa đọc được; hãy lưu lại dạng "
        "“Word Document (.docx)”",
        "en": "the file is saved as “Strict Open XML”, which is not supported; save it as "
        "“Word Document (.docx)”",
    },
    "check_is_folder": {
        "vi": "đây là một thư mục, không phải tệp .docx",
        "en": "this is a folder, not a .docx file",
    },
    "check_where": {
        "vi": "đoạn {paragraph}: “{excerpt}”",
        "en": "paragraph {paragraph}: “{excerpt}”",
    },
    "check_where_part": {
        "vi": "{part}: “{excerpt}”",
        "en": "{part}: “{excerpt}”",
    },
    "check_part_header": {"vi": "đầu trang", "en": "page header"},
    "check_part_footer": {"vi": "chân trang", "en": "page footer"},
    "check_part_footnotes": {"vi": "chú thích cuối trang", "en": "footnotes"},
    "check_part_endnotes": {"vi": "chú thích cuối văn bản", "en": "endnotes"},
    "check_summary_passed": {
        "vi": "{file}: đạt cả {total} tiêu chí thể thức của Nghị định 30/2020/NĐ-CP.",
        "en": "{file}: passes all {total} layout rules of Decree 30/2020/NĐ-CP.",
    },
    "check_summary_failed": {
        "vi": "{file}: {failed} trên {total} tiêu chí chưa đạt.",
        "en": "{file}: {failed} of {total} rules failed.",
    },
    "check_problems": {"vi": "{problems}", "en": "{problems}"},
    # the rules' names
    "check_rule_trang": {"vi": "Khổ giấy và lề", "en": "Paper and margins"},
    "check_rule_phong_chu": {"vi": "Phông chữ", "en": "Font"},
    "check_rule_quoc_hieu": {
        "vi": "Quốc hiệu và Tiêu ngữ",
        "en": "National title and motto (Quốc hiệu, Tiêu ngữ)",
    },
    "check_rule_co_quan": {"vi": "Tên cơ quan ban hành", "en": "Issuing agency"},
    "check_rule_so_ky_hieu": {"vi": "Số, ký hiệu", "en": "Number and symbol"},
    "check_rule_ngay_thang": {"vi": "Địa danh, ngày tháng", "en": "Place and date"},
    "check_rule_ten_loai": {
        "vi": "Tên loại và trích yếu",
        "en": "Type name and summary (trích yếu)",
    },
    "check_rule_noi_dung": {"vi": "Nội dung", "en": "Body text"},
    "check_rule_danh_so": {"vi": "Đánh số mục, điểm", "en": "Numbering of parts and points"},
    "check_rule_noi_nhan": {"vi": "Nơi nhận", "en": "Recipients (Nơi nhận)"},
    "check_rule_nguoi_ky": {"vi": "Người ký", "en": "Signer"},
    "check_rule_so_trang": {"vi": "Số trang", "en": "Page numbers"},
    # shared pieces
    "check_format": {"vi": "“{text}” {needs}", "en": "“{text}” {needs}"},
    "check_need_caps": {"vi": "phải viết in hoa", "en": "must be in capitals"},
    "check_need_bold": {"vi": "phải in đậm", "en": "must be bold"},
    "check_need_italic": {"vi": "phải in nghiêng", "en": "must be italic"},
    "check_need_upright": {
        "vi": "phải viết chữ đứng (không nghiêng)",
        "en": "must be upright (not italic)",
    },
    "check_need_size": {
        "vi": "cỡ chữ phải từ {low} đến {high} pt (đang là {size} pt)",
        "en": "must be {low} to {high} pt (it is {size} pt)",
    },
    "check_need_size_exact": {
        "vi": "cỡ chữ phải là {expected} pt (đang là {size} pt)",
        "en": "must be {expected} pt (it is {size} pt)",
    },
    "check_need_centre": {"vi": "phải căn giữa", "en": "must be centred"},
    "check_no_rule": {
        "vi": "thiếu đường kẻ ngang dưới {what} (đường viền đoạn, đường vẽ hoặc dòng gạch dưới)",
        "en": "no rule under {what} (a paragraph border, a drawn line or a row of underscores)",
    },
    "check_el_tieu_ngu": {"vi": "Tiêu ngữ", "en": "the motto"},
    "check_el_co_quan": {"vi": "tên cơ quan", "en": "the agency name"},
    "check_el_trich_yeu": {"vi": "trích yếu", "en": "the summary"},
    "check_align_left": {"vi": "trái", "en": "left"},
    "check_align_center": {"vi": "giữa", "en": "centred"},
    "check_align_right": {"vi": "phải", "en": "right"},
    "check_align_both": {"vi": "đều hai lề", "en": "justified"},
    "check_align_distribute": {"vi": "dàn đều từng chữ", "en": "distributed"},
    "check_align_other": {"vi": "kiểu “{value}”", "en": "“{value}”"},
    # trang
    "check_trang_ok": {
        "vi": "A4 dọc, lề trên {top}, dưới {bottom}, trái {left}, phải {right} mm",
        "en": "A4 portrait, margins top {top}, bottom {bottom}, left {left}, right {right} mm",
    },
    "check_trang_no_section": {
        "vi": "không thấy thiết lập trang (khổ giấy, lề) trong tệp",
        "en": "the file has no page setup (paper size, margins)",
    },
    "check_trang_paper": {
        "vi": "khổ giấy {width} × {height} mm, phải là A4 (210 × 297 mm)",
        "en": "the paper is {width} × {height} mm; it must be A4 (210 × 297 mm)",
    },
    "check_trang_landscape": {
        "vi": "trang đầu nằm ngang; văn bản trình bày theo chiều dài khổ A4 (trang dọc)",
        "en": "the first page is landscape; the document must be A4 portrait",
    },
    "check_trang_margin": {
        "vi": "lề {side} {value} mm, phải từ {low} đến {high} mm",
        "en": "the {side} margin is {value} mm; it must be {low} to {high} mm",
    },
    "check_side_top": {"vi": "trên", "en": "top"},
    "check_side_bottom": {"vi": "dưới", "en": "bottom"},
    "check_side_left": {"vi": "trái", "en": "left"},
    "check_side_right": {"vi": "phải", "en": "right"},
    # phong_chu
    "check_phong_chu_ok": {
        "vi": "Times New Roman, cỡ chữ phần nội dung {size} pt",
        "en": "Times New Roman, body text {size} pt",
    },
    "check_phong_chu_ok_font": {"vi": "Times New Roman", "en": "Times New Roman"},
    "check_phong_chu_font": {
        "vi": "thấy phông {fonts} ở {count} chỗ; mọi chữ phải dùng Times New Roman",
        "en": "found {fonts} in {count} places; all text must be Times New Roman",
    },
    "check_phong_chu_size": {
        "vi": "cỡ chữ chính của phần nội dung là {size} pt, phải từ 13 đến 14 pt",
        "en": "the body text is mostly {size} pt; it must be 13 to 14 pt",
    },
    # quoc_hieu
    "check_quoc_hieu_ok": {
        "vi": "Quốc hiệu in hoa, đậm, {quoc_hieu} pt; Tiêu ngữ đậm, {tieu_ngu} pt; có đường kẻ dưới",
        "en": "national title in bold capitals, {quoc_hieu} pt; motto bold, {tieu_ngu} pt; "
        "rule underneath",
    },
    "check_quoc_hieu_missing": {
        "vi": "không thấy dòng “{text}” ở đầu văn bản",
        "en": "no line “{text}” at the top of the document",
    },
    "check_quoc_hieu_text": {
        "vi": "thấy “{text}”, Quốc hiệu phải là “{expected}”",
        "en": "found “{text}”; the national title must read “{expected}”",
    },
    "check_tieu_ngu_missing": {
        "vi": "không thấy Tiêu ngữ “{text}” ngay dưới Quốc hiệu",
        "en": "no motto “{text}” under the national title",
    },
    "check_tieu_ngu_text": {
        "vi": "thấy “{text}”, Tiêu ngữ phải viết “{expected}” (chữ thường, chữ đầu mỗi cụm "
        "viết hoa, gạch nối có dấu cách hai bên)",
        "en": "found “{text}”; the motto must read “{expected}” (lower case, each phrase "
        "capitalised, hyphens with a space on each side)",
    },
    "check_tieu_ngu_step": {
        "vi": "Tiêu ngữ {tieu_ngu} pt phải lớn hơn Quốc hiệu {quoc_hieu} pt đúng 1 pt "
        "(12 và 13, hoặc 13 và 14)",
        "en": "the motto ({tieu_ngu} pt) must be exactly 1 pt larger than the national title "
        "({quoc_hieu} pt): 12 and 13, or 13 and 14",
    },
    # co_quan
    "check_co_quan_ok": {
        "vi": "“{text}” in hoa, đậm, {size} pt, có đường kẻ dưới",
        "en": "“{text}” in bold capitals, {size} pt, rule underneath",
    },
    "check_co_quan_missing": {
        "vi": "không thấy tên cơ quan ban hành (dòng chữ in hoa, đậm ở góc trên bên trái, "
        "phía trên dòng “Số:”)",
        "en": "no issuing agency found (a bold line in capitals at the top left, above “Số:”)",
    },
    # so_ky_hieu
    "check_so_ky_hieu_ok": {"vi": "“{text}”", "en": "“{text}”"},
    "check_so_ky_hieu_blank": {
        "vi": "“{text}” (số để trống, văn thư điền sau khi ký)",
        "en": "“{text}” (number left blank for the registry to fill in after signing)",
    },
    "check_so_ky_hieu_token": {
        "vi": "“{text}” (mã để hệ thống văn bản điện tử điền số khi ký số)",
        "en": "“{text}” (a token the e-office system replaces with the number at signing)",
    },
    "check_so_ky_hieu_missing": {
        "vi": "không thấy dòng “Số: …/…” ở phần đầu văn bản",
        "en": "no “Số: …/…” line in the header of the document",
    },
    "check_so_ky_hieu_form": {
        "vi": "thấy “{text}”, phải có dạng “Số: 05/BC-ABC” (số, gạch chéo, ký hiệu)",
        "en": "found “{text}”; it must look like “Số: 05/BC-ABC” (number, slash, symbol)",
    },
    "check_so_ky_hieu_padding": {
        "vi": "thấy “{text}”, số dưới 10 phải có số 0 đằng trước: “{fixed}”",
        "en": "found “{text}”; numbers below 10 take a leading zero: “{fixed}”",
    },
    "check_so_ky_hieu_spaces": {
        "vi": "thấy “{text}”, ký hiệu viết liền: gạch chéo và gạch nối không có dấu cách",
        "en": "found “{text}”; the symbol has no spaces around the slash and hyphens",
    },
    "check_so_ky_hieu_year": {
        "vi": "thấy “{text}”, ký hiệu văn bản hành chính không ghi năm",
        "en": "found “{text}”; administrative documents carry no year in the symbol",
    },
    # ngay_thang
    "check_ngay_thang_ok": {
        "vi": "“{text}”, nghiêng, {size} pt",
        "en": "“{text}”, italic, {size} pt",
    },
    "check_ngay_thang_token": {
        "vi": "“{text}” (mã để hệ thống văn bản điện tử điền địa danh, ngày khi ký số)",
        "en": "“{text}” (a token the e-office system replaces with the place and date at signing)",
    },
    "check_ngay_thang_missing": {
        "vi": "không thấy dòng “<địa danh>, ngày … tháng … năm …” ở phần đầu văn bản",
        "en": "no “<place>, ngày … tháng … năm …” line in the header of the document",
    },
    "check_ngay_thang_form": {
        "vi": "thấy “{text}”, phải có dạng “Hà Nội, ngày 05 tháng 3 năm 2021”",
        "en": "found “{text}”; it must look like “Hà Nội, ngày 05 tháng 3 năm 2021”",
    },
    "check_ngay_thang_place": {
        "vi": "thấy “{text}”, thiếu địa danh và dấu phẩy trước chữ “ngày”",
        "en": "found “{text}”; the place name and a comma must come before “ngày”",
    },
    "check_ngay_thang_invalid": {
        "vi": "thấy “{text}”, ngày tháng này không có thật",
        "en": "found “{text}”; this date does not exist",
    },
    "check_ngay_thang_day": {
        "vi": "ngày dưới 10 phải có số 0 đằng trước: “ngày {fixed}” (thấy “ngày {day}”)",
        "en": "days below 10 take a leading zero: “ngày {fixed}” (found “ngày {day}”)",
    },
    "check_ngay_thang_month_pad": {
        "vi": "tháng 1 và tháng 2 phải viết “tháng {fixed}” (thấy “tháng {month}”)",
        "en": "months 1 and 2 are written “tháng {fixed}” (found “tháng {month}”)",
    },
    "check_ngay_thang_month_zero": {
        "vi": "tháng 3 đến tháng 12 không có số 0 đằng trước: “tháng {fixed}” (thấy “tháng {month}”)",
        "en": "months 3 to 12 take no leading zero: “tháng {fixed}” (found “tháng {month}”)",
    },
    # ten_loai
    "check_ten_loai_ok": {
        "vi": "“{text}” in hoa, đậm, {size} pt, căn giữa; trích yếu “{summary}” đậm, căn giữa; "
        "có đường kẻ dưới",
        "en": "“{text}” in bold capitals, {size} pt, centred; summary “{summary}” bold, centred; "
        "rule underneath",
    },
    "check_ten_loai_missing": {
        "vi": "không thấy tên loại văn bản “{text}” dưới phần đầu văn bản",
        "en": "no document type name “{text}” below the header",
    },
    "check_trich_yeu_missing": {
        "vi": "không thấy trích yếu ngay dưới tên loại văn bản",
        "en": "no summary (trích yếu) right under the type name",
    },
    # noi_dung
    "check_noi_dung_ok": {
        "vi": "{count} đoạn: cỡ chữ {size} pt, căn đều hai lề, thụt đầu dòng 1–1,27 cm, "
        "cách đoạn từ 6 pt, giãn dòng từ đơn đến 1,5 dòng",
        "en": "{count} paragraphs: {size} pt, justified, first line indented 1–1.27 cm, "
        "at least 6 pt between paragraphs, single to 1.5 line spacing",
    },
    "check_noi_dung_missing": {
        "vi": "không thấy đoạn nội dung nào giữa trích yếu và “Nơi nhận:”",
        "en": "no body paragraph found between the summary and “Nơi nhận:”",
    },
    "check_noi_dung_bad": {
        "vi": "{bad} trên {count} đoạn chưa đúng; đoạn đầu tiên: {problems}",
        "en": "{bad} of {count} paragraphs are wrong; the first: {problems}",
    },
    "check_body_size": {
        "vi": "cỡ chữ {size} pt, phải từ 13 đến 14 pt",
        "en": "text is {size} pt; it must be 13 to 14 pt",
    },
    "check_body_align": {
        "vi": "căn {align}, phải căn đều hai lề",
        "en": "aligned {align}; it must be justified",
    },
    "check_body_indent": {
        "vi": "thụt đầu dòng {indent} cm, phải từ 1 đến 1,27 cm",
        "en": "first-line indent {indent} cm; it must be 1 to 1.27 cm",
    },
    "check_body_spacing": {
        "vi": "cách đoạn {spacing} pt, phải ít nhất 6 pt",
        "en": "{spacing} pt between paragraphs; it must be at least 6 pt",
    },
    "check_body_line": {
        "vi": "giãn dòng {line}, phải từ dòng đơn đến 1,5 dòng",
        "en": "line spacing {line}; it must be single to 1.5 lines",
    },
    "check_line_multiple": {"vi": "{value} dòng", "en": "{value} lines"},
    "check_line_points": {"vi": "{value} pt", "en": "{value} pt"},
    # danh_so
    "check_danh_so_ok": {
        "vi": "{roman} mục La Mã, {arabic} mục số, {letters} điểm chữ cái, đúng thứ tự",
        "en": "{roman} Roman-numbered parts, {arabic} numbered sections, {letters} lettered "
        "points, all in order",
    },
    "check_danh_so_order": {
        "vi": "thấy “{previous}” rồi “{got}”; sau “{previous}” phải là “{expected}”",
        "en": "“{previous}” is followed by “{got}”; after “{previous}” comes “{expected}”",
    },
    "check_danh_so_foreign": {
        "vi": "thấy “{previous}” rồi “{got}”; sau “{previous}” phải là “{expected}” "
        "(điểm dùng chữ cái tiếng Việt a, b, c, d, đ, e, g…, không có f, j, w, z)",
        "en": "“{previous}” is followed by “{got}”; after “{previous}” comes “{expected}” "
        "(points use the Vietnamese alphabet a, b, c, d, đ, e, g…, without f, j, w, z)",
    },
    "check_danh_so_start": {
        "vi": "dãy bắt đầu bằng “{got}”, phải bắt đầu bằng “{expected}”",
        "en": "a sequence starts with “{got}”; it must start with “{expected}”",
    },
    "check_danh_so_letters_end": {
        "vi": "sau “{previous}” không còn chữ cái nào cho điểm; hãy chia nhỏ danh sách",
        "en": "there is no letter after “{previous}” for a point; split the list",
    },
    "check_danh_so_more": {
        "vi": "và {count} chỗ khác",
        "en": "and {count} more",
    },
    # noi_nhan
    "check_noi_nhan_ok": {
        "vi": "nhãn 12 pt đậm nghiêng; {count} nơi 11 pt, dòng cuối “{last}”",
        "en": "label 12 pt bold italic; {count} recipients 11 pt, the last “{last}”",
    },
    "check_noi_nhan_missing": {
        "vi": "không thấy “Nơi nhận:” sau phần nội dung",
        "en": "no “Nơi nhận:” after the body",
    },
    "check_noi_nhan_label": {
        "vi": "thấy “{text}”, phải viết “Nơi nhận:”",
        "en": "found “{text}”; it must read “Nơi nhận:”",
    },
    "check_noi_nhan_empty": {
        "vi": "không có nơi nhận nào dưới “Nơi nhận:”",
        "en": "no recipient under “Nơi nhận:”",
    },
    "check_noi_nhan_dash": {
        "vi": "“{text}” phải bắt đầu bằng gạch đầu dòng “- ”",
        "en": "“{text}” must start with a dash “- ”",
    },
    "check_noi_nhan_semicolon": {
        "vi": "“{text}” phải kết thúc bằng dấu chấm phẩy “;”",
        "en": "“{text}” must end with a semicolon “;”",
    },
    "check_noi_nhan_last_period": {
        "vi": "dòng cuối “{text}” phải kết thúc bằng dấu chấm “.”",
        "en": "the last line “{text}” must end with a full stop “.”",
    },
    "check_noi_nhan_luu": {
        "vi": "dòng cuối phải là “- Lưu: …” (thấy “{text}”)",
        "en": "the last line must be “- Lưu: …” (found “{text}”)",
    },
    # nguoi_ky
    "check_nguoi_ky_ok": {
        "vi": "“{position}” in hoa, đậm; họ tên “{name}” đậm",
        "en": "“{position}” in bold capitals; name “{name}” bold",
    },
    "check_nguoi_ky_draft": {
        "vi": "“{position}” in hoa, đậm; chưa ghi họ tên (bản dự thảo)",
        "en": "“{position}” in bold capitals; no name yet (a draft)",
    },
    "check_nguoi_ky_missing": {
        "vi": "không thấy khối chữ ký (quyền hạn, chức vụ in hoa, đậm, bên phải “Nơi nhận:”)",
        "en": "no signer block (authority and position in bold capitals, beside “Nơi nhận:”)",
    },
    # so_trang
    "check_so_trang_ok": {
        "vi": "số trang ở giữa đầu trang, {size} pt, không hiện ở trang đầu",
        "en": "page number centred in the header, {size} pt, not shown on page 1",
    },
    "check_so_trang_one_page": {
        "vi": "văn bản có một trang, không đánh số trang",
        "en": "a one-page document, no page number needed",
    },
    "check_so_trang_missing": {
        "vi": "không thấy số trang (trường PAGE) ở đầu trang; số trang đặt giữa phần đầu "
        "trang từ trang thứ hai",
        "en": "no page number (a PAGE field) in the page header; it goes centred in the "
        "header from page 2",
    },
    "check_so_trang_footer": {
        "vi": "số trang đang ở chân trang; Nghị định 30 đặt số trang ở giữa phần đầu trang",
        "en": "the page number is in the footer; Decree 30 puts it centred in the header",
    },
    "check_so_trang_centre": {
        "vi": "số trang căn {align}, phải căn giữa",
        "en": "the page number is aligned {align}; it must be centred",
    },
    "check_so_trang_size": {
        "vi": "số trang cỡ chữ {size} pt, phải từ 13 đến 14 pt",
        "en": "the page number is {size} pt; it must be 13 to 14 pt",
    },
    "check_so_trang_even": {
        "vi": "trang chẵn có đầu trang riêng nhưng không có số trang",
        "en": "even pages have their own header without a page number",
    },
    "check_so_trang_first_shown": {
        "vi": "số trang hiện cả ở trang đầu; bật “Trang đầu khác” (Different First Page) "
        "để trang đầu không có số",
        "en": "the page number shows on page 1 too; turn on “Different First Page” so "
        "page 1 has none",
    },
    "check_so_trang_first_header": {
        "vi": "đầu trang của trang đầu có số trang; trang đầu không đánh số",
        "en": "the first-page header has a page number; page 1 is not numbered",
    },
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
