"""Validation: every problem at once, each with its place and a message a clerk understands."""

from __future__ import annotations

from dataclasses import replace

import pytest

from baocao import ValidationFailed, load, validate
from baocao.bundle import available, find
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, with_changes


def problems(text: str, lang: str = "vi") -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"))
    return [describe_issue(issue, lang) for issue in caught.value.issues]


def test_minimal_report_is_valid() -> None:
    validated = validate(load(MINIMAL))
    assert validated.data["trich_yeu"] == "Kết quả công tác năm 2021"
    assert validated.template.type_abbreviation == "BC"


def test_all_missing_fields_are_reported_at_their_parent() -> None:
    assert problems("co_quan_ban_hanh: SỞ X\n") == [
        "bc.yaml:1:1: thiếu trường bắt buộc “dia_danh”",
        "bc.yaml:1:1: thiếu trường bắt buộc “nguoi_ky”",
        "bc.yaml:1:1: thiếu trường bắt buộc “noi_dung”",
        "bc.yaml:1:1: thiếu trường bắt buộc “noi_nhan”",
        "bc.yaml:1:1: thiếu trường bắt buộc “so_ky_hieu”",
        "bc.yaml:1:1: thiếu trường bắt buộc “trich_yeu”",
    ]


def test_unknown_key_suggests_the_closest() -> None:
    text = MINIMAL + "noi_nhann: []\n"
    assert problems(text) == [
        "bc.yaml:11:1: noi_nhann: khóa “noi_nhann” không có trong mẫu bao-cao; "
        "có phải ý bạn là “noi_nhan”?"
    ]
    assert problems(text, "en") == [
        "bc.yaml:11:1: noi_nhann: key “noi_nhann” is not part of the bao-cao template; "
        "did you mean “noi_nhan”?"
    ]


def test_nested_unknown_key_and_missing_key() -> None:
    text = with_changes(nguoi_ky="\n  chuc_vuu: GIÁM ĐỐC")
    assert problems(text) == [
        "bc.yaml:10:1: nguoi_ky: thiếu trường bắt buộc “chuc_vu”",
        "bc.yaml:11:3: nguoi_ky.chuc_vuu: khóa “chuc_vuu” không có trong mẫu bao-cao; "
        "có phải ý bạn là “chuc_vu”?",
    ]


def test_wrong_types_name_what_was_expected() -> None:
    text = with_changes(noi_nhan="UBND tỉnh")
    assert problems(text) == [
        "bc.yaml:10:1: noi_nhan: giá trị phải là danh sách (các dòng bắt đầu bằng “- ”), "
        "nhưng ở đây là chữ (văn bản)"
    ]


def test_true_is_not_a_number() -> None:
    """Cerberus takes bool for int; `so: true` used to pass and crash in rendering."""
    text = with_changes(so_ky_hieu="{so: true, ky_hieu: STTTT}", ngay_ban_hanh="{thang: true}")
    assert problems(text) == [
        "bc.yaml:9:14: so_ky_hieu.so: giá trị phải là số nguyên hoặc chữ (văn bản), nhưng ở đây "
        "là có/không (true/false)",
        "bc.yaml:10:17: ngay_ban_hanh.thang: giá trị phải là số nguyên, nhưng ở đây là có/không "
        "(true/false)",
    ]


def test_a_sentence_with_a_colon_is_told_to_be_quoted() -> None:
    """YAML reads `- Thời gian: 8 giờ` as a key: one message that says to quote it."""
    text = MINIMAL.replace(
        "  - Nội dung.\n",
        "  - Thời gian: từ 8 giờ.\n"
        "  - Kết quả đạt được:\n"
        '  - tieu_de: Mục\n    noi_dung:\n      - Địa điểm: Hội trường "A"\n'
        "  - Kết luận:\n      - Đạt.\n",
    ).replace('noi_nhan: [UBND tỉnh, "Lưu: VT, VP"]', "noi_nhan:\n  - UBND tỉnh\n  - Lưu: VT, VP.")
    assert problems(text) == [
        "bc.yaml:8:5: noi_dung[0]: câu “Thời gian: từ 8 giờ.” có dấu “:” nên bị đọc thành tên "
        'khóa; hãy đặt cả câu trong dấu nháy: - "Thời gian: từ 8 giờ."',
        "bc.yaml:9:5: noi_dung[1]: câu “Kết quả đạt được:” có dấu “:” nên bị đọc thành tên khóa; "
        'hãy đặt cả câu trong dấu nháy: - "Kết quả đạt được:"',
        'bc.yaml:12:9: noi_dung[2].noi_dung[0]: câu “Địa điểm: Hội trường "A"” có dấu “:” nên '
        "bị đọc thành tên khóa; hãy đặt cả câu trong dấu nháy: - 'Địa điểm: Hội trường \"A\"'",
        "bc.yaml:13:5: noi_dung[3]: “Kết luận” có dấu “:” và các dòng thụt vào bên dưới nên bị "
        "đọc thành tên khóa; nếu đây là một đề mục, hãy viết - tieu_de: Kết luận rồi noi_dung: ở "
        "dòng dưới, trước các dòng thụt vào",
        "bc.yaml:17:5: noi_nhan[1]: câu “Lưu: VT, VP.” có dấu “:” nên bị đọc thành tên khóa; "
        'hãy đặt cả câu trong dấu nháy: - "Lưu: VT, VP."',
    ]
    assert problems(text, "en")[0] == (
        "bc.yaml:8:5: noi_dung[0]: the sentence “Thời gian: từ 8 giờ.” has “:” in it, so it was "
        'read as a key; put the whole sentence in quotes: - "Thời gian: từ 8 giờ."'
    )


@pytest.mark.parametrize("typed", ["12/11/2021", "12-11-2021", " 12.11.2021"])
def test_a_day_first_date_is_shown_in_the_form_yaml_reads(typed: str) -> None:
    text = MINIMAL.replace("ngay_ban_hanh: 2021-11-12", f"ngay_ban_hanh: {typed}")
    assert problems(text) == [
        "bc.yaml:5:1: ngay_ban_hanh: ngày viết theo thứ tự năm-tháng-ngày: 2021-11-12 "
        f"(không phải {typed.strip()})"
    ]


def test_a_day_first_date_pads_day_and_month_in_english_too() -> None:
    text = MINIMAL.replace("ngay_ban_hanh: 2021-11-12", "ngay_ban_hanh: 2/3/2021")
    assert problems(text, "en") == [
        "bc.yaml:5:1: ngay_ban_hanh: write the date as year-month-day: 2021-03-02 (not 2/3/2021)"
    ]


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ('"Số: 5/BC-STTTT"', "{so: 5, ky_hieu: STTTT}"),
        ("5/BC-STTTT", "{so: 5, ky_hieu: STTTT}"),
        ("/BC-STTTT", "{ky_hieu: STTTT}"),
        ("STTTT", "{ky_hieu: STTTT}"),
        ("12/UBND-VX", "{so: 12, ky_hieu: UBND-VX}"),  # not this type's BC-: part of the symbol
    ],
)
def test_a_number_line_typed_as_text_is_shown_as_a_group(typed: str, suggestion: str) -> None:
    text = MINIMAL.replace("so_ky_hieu: {so: 5, ky_hieu: STTTT}", f"so_ky_hieu: {typed}")
    assert problems(text) == [
        "bc.yaml:3:1: so_ky_hieu: số và ký hiệu ghi thành nhóm khóa, chương trình tự ghép thành "
        f"dòng “Số: …”: so_ky_hieu: {suggestion}"
    ]


def test_a_recipient_list_without_the_archive_line_is_warned_of() -> None:
    """The decree's last Nơi nhận line is "Lưu: VT, …"; without it the report still renders."""
    text = MINIMAL.replace('noi_nhan: [UBND tỉnh, "Lưu: VT, VP"]', "noi_nhan:\n  - UBND tỉnh.")
    report = validate(load(text, filename="bc.yaml"))
    assert [describe_issue(w) for w in report.warnings] == [
        "bc.yaml:9:1: noi_nhan: cảnh báo: Nơi nhận chưa có dòng “Lưu: VT, …” (bản lưu ở văn thư "
        'và đơn vị soạn thảo); Nghị định 30 đặt dòng này cuối cùng, ví dụ - "Lưu: VT, VP."'
    ]
    for archive in ('"- Lưu: VT."', "Lưu VT, VP.", '"lưu: VT"'):
        kept = text.replace("  - UBND tỉnh.", f"  - UBND tỉnh;\n  - {archive}")
        assert validate(load(kept)).warnings == ()


def test_a_block_key_glued_to_its_text_is_warned_of() -> None:
    """`- gach:Nội dung` is valid YAML, a paragraph reading "gach:Nội dung": printed as typed."""
    text = MINIMAL.replace(
        "  - Nội dung.\n",
        "  - gach:Nội dung một.\n  - tieu_de: Mục\n    noi_dung:\n      - cong:Hai\n"
        "  - Chỉ tiêu:95%\n",
    )
    report = validate(load(text, filename="bc.yaml"))
    assert [describe_issue(w) for w in report.warnings] == [
        "bc.yaml:8:5: noi_dung[0]: cảnh báo: câu bắt đầu bằng “gach:” mà thiếu dấu cách nên được "
        "in nguyên văn thành chữ; nếu đây là khóa, hãy viết gach: Nội dung một.",
        "bc.yaml:11:9: noi_dung[1].noi_dung[0]: cảnh báo: câu bắt đầu bằng “cong:” mà thiếu dấu "
        "cách nên được in nguyên văn thành chữ; nếu đây là khóa, hãy viết cong: Hai",
    ]


def test_the_examples_follow_the_decree_without_a_warning() -> None:
    from tests.conftest import EXAMPLES

    for example in sorted(EXAMPLES.glob("*.yaml")):
        assert validate(load(example)).warnings == (), example.name


def test_an_unknown_authority_is_one_problem_not_two() -> None:
    """ "KT" for "KT.": thay_cho then looked unused too, a second message for one slip."""
    text = MINIMAL.replace(
        "nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}",
        "nguoi_ky: {quyen_han: KT, thay_cho: GIÁM ĐỐC, chuc_vu: PHÓ GIÁM ĐỐC}",
    )
    assert problems(text) == [
        "bc.yaml:10:12: nguoi_ky.quyen_han: giá trị “KT” không hợp lệ; chọn một trong: TM., KT., "
        "TL., TUQ., Q."
    ]


def test_a_table_written_as_text_is_answered_without_counting_its_letters() -> None:
    """A row or header typed as "1, Máy tính, 20" was counted as 15 cells (its letters)."""
    table = "  - bang:\n      cot: {header}\n      dong:\n        - {row}\n"
    text = MINIMAL.replace("  - Nội dung.\n", table.format(header="[STT, Tên]", row="1, Máy"))
    assert problems(text) == [
        "bc.yaml:11:11: noi_dung[0].bang.dong[0]: đây là một dòng chữ có dấu phẩy, không phải "
        "danh sách; viết các phần trong ngoặc vuông: [1, Máy]"
    ]
    text = MINIMAL.replace("  - Nội dung.\n", table.format(header="STT, Tên", row="[1, Máy]"))
    assert problems(text) == [
        "bc.yaml:9:7: noi_dung[0].bang.cot: đây là một dòng chữ có dấu phẩy, không phải danh "
        "sách; viết các phần trong ngoặc vuông: [STT, Tên]"
    ]
    text = MINIMAL.replace(
        "  - Nội dung.\n", "  - bang:\n      tieu_de_cot: [STT, Tên]\n      dong: [[1, a]]\n"
    )
    assert [p.split(": ", 1)[1] for p in problems(text)] == [
        "noi_dung[0].bang.tieu_de_cot[0]: giá trị phải là danh sách (các dòng bắt đầu bằng “- ”), "
        "nhưng ở đây là chữ (văn bản)",
        "noi_dung[0].bang.tieu_de_cot[1]: giá trị phải là danh sách (các dòng bắt đầu bằng “- ”), "
        "nhưng ở đây là chữ (văn bản)",
    ]


def test_a_list_typed_as_one_line_with_commas() -> None:
    text = MINIMAL.replace('noi_nhan: [UBND tỉnh, "Lưu: VT, VP"]', "noi_nhan: UBND tỉnh, Sở TC")
    assert problems(text) == [
        "bc.yaml:9:1: noi_nhan: đây là một dòng chữ có dấu phẩy, không phải danh sách; viết các "
        "phần trong ngoặc vuông: [UBND tỉnh, Sở TC]"
    ]


def test_a_mistyped_key_keeps_its_suggestion() -> None:
    """`tieu_đe` is written like a key: it is a typo, not a sentence."""
    text = MINIMAL.replace("  - Nội dung.\n", "  - tieu_đe: Mục\n")
    assert problems(text) == [
        "bc.yaml:8:5: noi_dung[0]: mỗi khối nội dung chỉ có một loại (doan, gach, cong, bang, "
        "hinh, trang_moi, tieu_de + noi_dung), ở đây có: —",
        "bc.yaml:8:5: noi_dung[0].tieu_đe: khóa “tieu_đe” không có trong mẫu bao-cao; có phải ý "
        "bạn là “tieu_de”?",
    ]


def test_block_must_have_one_kind() -> None:
    text = MINIMAL.replace("  - Nội dung.\n", "  - gach: a\n    cong: b\n")
    assert problems(text) == [
        "bc.yaml:8:5: noi_dung[0]: mỗi khối nội dung chỉ có một loại "
        "(doan, gach, cong, bang, hinh, trang_moi, tieu_de + noi_dung), ở đây có: gach, cong"
    ]


def test_table_rows_must_match_columns() -> None:
    table = "  - bang:\n      cot: [TT, Tên]\n      dong:\n        - [1, A]\n        - [2]\n"
    assert problems(MINIMAL.replace("  - Nội dung.\n", table)) == [
        "bc.yaml:12:11: noi_dung[0].bang.dong[1]: dòng có 1 ô nhưng bảng có 2 cột"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"nguoi_ky": "{quyen_han: KT, chuc_vu: X}"},
            "nguoi_ky.quyen_han: giá trị “KT” không hợp lệ; chọn một trong: TM., KT., TL., TUQ., Q.",
        ),
        (
            {"nguoi_ky": "{quyen_han: KT., chuc_vu: X}"},
            "nguoi_ky: thiếu trường bắt buộc “thay_cho”",
        ),
        (
            {"nguoi_ky": "{thay_cho: GIÁM ĐỐC, chuc_vu: X}"},
            "nguoi_ky.thay_cho: thay_cho chỉ dùng khi quyen_han là TM., KT., TL. hoặc TUQ.",
        ),
        (
            {"so_ky_hieu": "{so: 1a, ky_hieu: X}"},
            "so_ky_hieu.so: số văn bản “1a” chỉ được gồm chữ số, ví dụ 12",
        ),
        (
            {"ngay_ban_hanh": "{ngay: 31, thang: 4, nam: 2022}"},
            "ngay_ban_hanh.ngay: ngày 31 không hợp lệ (phải từ 1 đến 30)",
        ),
        ({"ngay_ban_hanh": "{thang: 13}"}, "ngay_ban_hanh.thang: giá trị 13 lớn hơn mức tối đa 12"),
        ({"trich_yeu": "[a, b, c, d]"}, "trich_yeu: tối đa 3 phần tử"),
        ({"trich_yeu": "''"}, "trich_yeu: không được để trống"),
        (
            {"trinh_bay": "{le_trang: {trai: 20}}"},
            "trinh_bay.le_trang.trai: giá trị 20 nhỏ hơn mức tối thiểu 30",
        ),
    ],
)
def test_rule_messages(change: dict[str, str], message: str) -> None:
    found = problems(with_changes(**change))
    assert len(found) == 1 and found[0].endswith(message), found


def test_e_office_tokens_make_number_and_date_optional() -> None:
    text = "\n".join(
        line
        for line in MINIMAL.splitlines()
        if not line.startswith(("so_ky_hieu", "dia_danh", "ngay_ban_hanh"))
    )
    validate(load(text + "\nma_dac_biet: true\n"))
    assert "thiếu trường bắt buộc “dia_danh”" in "".join(problems(text + "\n"))


def test_plain_mappings_validate_too() -> None:
    data = load(MINIMAL).data
    assert validate(data).data == data
    with pytest.raises(ValidationFailed) as caught:
        validate({**data, "nguoi_ky": None})
    assert [i.code for i in caught.value.issues] == ["empty"]


@pytest.mark.parametrize("name", available())
def test_every_bundle_schema_passes_cerberus_own_check(name: str) -> None:
    """A valid report never builds Cerberus, so its check of the schema itself runs here.

    A typo in a rule ("requird", "type: strng") on a key a report leaves out would
    otherwise surface only when some clerk's report first has an error.
    """
    from cerberus import Validator
    from cerberus.schema import SchemaError

    from baocao.validation import _cerberus

    assert isinstance(_cerberus(find(name)), Validator)
    broken = {**find(name).schema, "fax": {"type": "strng"}}
    with pytest.raises(SchemaError):
        _cerberus(replace(find(name), schema=broken))


# -- issue 15, item 6: cost linear in the input, at most MAX_ISSUES listed ----------------


def test_8000_unknown_keys_are_counted_fast_and_listed_up_to_the_cap() -> None:
    import time

    from baocao.validation import MAX_ISSUES

    text = MINIMAL + "noi_nhann: []\n" + "".join(f"khoa_la_{i:05}: {i}\n" for i in range(8000))
    source = load(text, filename="bc.yaml")
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as caught:
        validate(source)
    assert time.perf_counter() - started < 5  # was 57 s: Cerberus re-sorted every error
    failed = caught.value
    assert len(failed.issues) == MAX_ISSUES == 100
    assert failed.more == 8001 - 100 and failed.params["count"] == 8001
    # The first hundred in line order, each worded; "did you mean" for a listed key.
    assert [i.location.line for i in failed.issues] == list(range(11, 111))
    assert [describe_issue(issue) for issue in failed.issues[:2]] == [
        "bc.yaml:11:1: noi_nhann: khóa “noi_nhann” không có trong mẫu bao-cao; "
        "có phải ý bạn là “noi_nhan”?",
        "bc.yaml:12:1: khoa_la_00000: khóa “khoa_la_00000” không có trong mẫu bao-cao",
    ]


def test_the_problems_past_the_cap_are_counted_in_words_by_the_cli(tmp_path) -> None:
    import subprocess
    import sys

    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL + "".join(f"sai_{i}: 1\n" for i in range(250)), encoding="utf-8")
    command = [sys.executable, "-c", "from baocao.cli import main; main()", "validate"]
    for lang, more, summary in (
        (
            "vi",
            "… và còn 150 lỗi khác không in ra đây (chỉ in 100 lỗi đầu tiên theo thứ tự dòng); "
            "sửa các lỗi trên rồi kiểm tra lại",
            "Có 250 lỗi.",
        ),
        (
            "en",
            "… and 150 more problems not printed here (only the first 100, in line order); "
            "fix those above and check again",
            "250 error(s).",
        ),
    ):
        done = subprocess.run(
            [*command, str(report), "--lang", lang], capture_output=True, text=True, timeout=60
        )
        lines = done.stderr.splitlines()
        assert done.returncode == 4
        assert len([line for line in lines if line.startswith(str(report))]) == 100
        assert lines[-2] == more and lines[-1].startswith(summary)


def test_a_short_list_of_problems_has_no_more_line() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate(load(MINIMAL + "sai: 1\n"))
    assert caught.value.more == 0 and caught.value.params["count"] == 1


def test_the_service_answers_6000_unknown_keys_within_2_s_with_the_rest_counted() -> None:
    import json
    import time

    from tests.test_service import call, serving

    data = {k: v for k, v in load(MINIMAL).data.items() if k != "ngay_ban_hanh"}  # JSON has no date
    data.update({f"khoa_la_{i}": i for i in range(6000)})
    body = json.dumps(data, ensure_ascii=False).encode()
    assert len(body) > 50_000
    with serving() as base:
        started = time.perf_counter()
        status, _, answer = call(base + "/validate", body, "application/json")
        elapsed = time.perf_counter() - started
    found = json.loads(answer)
    assert status == 422 and elapsed < 2  # was 32-39 s, the whole service frozen
    assert len(found["issues"]) == 100 and found["more"] == 5900
    assert found["issues"][0]["code"] == "unknown_key"
