"""Nothing silently changed: text that prints other than the clerk plainly meant is warned of.

Stars that pair with nothing, a dash typed before the program's own dash, a
label typed before the program's own label: each prints exactly as typed
(the .docx is read back to prove it) and gets a warning naming its line, its
key and the fix. A ``so_muc`` YAML reads as a number is an error saying how
to quote it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao import ValidationFailed, load, render, validate
from baocao.cli import make_cli
from baocao.messages import describe_issue
from tests.conftest import MINIMAL
from tests.docx_facts import Docx


def _report(body: str, extra: str = "") -> str:
    """MINIMAL with ``body`` (YAML lines under noi_dung, indented two spaces) and extra keys."""
    return MINIMAL.replace("  - Nội dung.\n", body) + extra


def _warnings(text: str, lang: str = "vi") -> list[str]:
    return [describe_issue(w, lang) for w in validate(load(text, filename="bc.yaml")).warnings]


def _paragraphs(text: str) -> list[str]:
    """The text of every paragraph of the .docx: body, tables and footnotes."""
    document = Docx(render(validate(load(text))))
    notes = [p for _, part in document.notes() for p in document.paragraphs_of(part)]
    return [p.text.strip() for p in [*document.paragraphs, *notes]]


STARS = """\
  - "lao động*:* Đã hoàn thành"
  - gach: "*Ghi chú chưa đóng"
  - "Tích 5 * 3 và ghi chú (*) là dấu sao thật; *nghiêng* và **đậm** thành cặp."
  - bang:
      tieu_de: "Bảng 1*"
      cot: [STT, "Nội dung**"]
      dong:
        - [1, "Số liệu*[^a]"]
"""

STAR_NOTES = 'chu_thich:\n  a: "Theo *báo cáo quý"\n'


def test_stars_that_cannot_pair_print_as_typed_and_are_warned_of() -> None:
    text = _report(STARS, STAR_NOTES)
    shown = _paragraphs(text)
    assert "lao động*:* Đã hoàn thành" in shown
    assert "- *Ghi chú chưa đóng" in shown
    assert "Tích 5 * 3 và ghi chú (*) là dấu sao thật; nghiêng và đậm thành cặp." in shown
    assert {"Bảng 1*", "Nội dung**", "Số liệu*", "Theo *báo cáo quý"} <= set(shown)
    fix = (
        "không thành cặp in nghiêng (*…*) hay in đậm (**…**) nên được in ra nguyên văn; muốn in "
        "nghiêng hoặc in đậm, đặt dấu * mở liền trước chữ đầu và dấu * đóng liền sau chữ cuối "
        "của cả cụm từ, ví dụ lao *động:* Đã hoặc **Về IOC:** Đã; muốn in dấu * thật, để dấu "
        "cách hoặc dấu ngoặc ở hai bên nó: 5 * 3, (*)"
    )
    assert _warnings(text) == [
        f"bc.yaml:8:5: noi_dung[0]: cảnh báo: dấu * trong “lao động*:* Đã hoàn thành” {fix}",
        f"bc.yaml:9:5: noi_dung[1].gach: cảnh báo: dấu * trong “*Ghi chú chưa đóng” {fix}",
        f"bc.yaml:12:7: noi_dung[3].bang.tieu_de: cảnh báo: dấu * trong “Bảng 1*” {fix}",
        f"bc.yaml:13:18: noi_dung[3].bang.cot[1]: cảnh báo: dấu * trong “Nội dung**” {fix}",
        f"bc.yaml:15:15: noi_dung[3].bang.dong[0][1]: cảnh báo: dấu * trong “Số liệu*” {fix}",
        f"bc.yaml:19:3: chu_thich.a: cảnh báo: dấu * trong “Theo *báo cáo quý” {fix}",
    ]


def test_the_star_warning_reads_in_english() -> None:
    text = _report('  - "lao động*:* Đã"\n')
    assert _warnings(text, "en") == [
        "bc.yaml:8:5: noi_dung[0]: warning: the * in “lao động*:* Đã” pairs with no other, so it "
        "makes neither italics (*…*) nor bold (**…**) and is printed as typed; for italics or "
        "bold, put the opening * right before the first word and the closing * right after the "
        "last word of the whole phrase, for example lao *động:* Đã or **Về IOC:** Đã; to print "
        "a real *, leave a space or a bracket on both sides of it: 5 * 3, (*)"
    ]


def test_the_suggested_pairing_does_print_in_italics() -> None:
    """The fix the warning gives is itself emphasis that pairs: no star printed, no warning."""
    text = _report('  - "lao *động:* Đã"\n')
    assert _warnings(text) == []
    document = Docx(render(validate(load(text))))
    (paragraph,) = [p for p in document.paragraphs if p.text.startswith("lao")]
    assert paragraph.text == "lao động: Đã./."
    italic = [t for run, t in paragraph.pieces() if paragraph.toggle(run, "i")]
    assert "".join(italic) == "động:"


def test_a_star_split_by_a_cell_paragraph_or_a_footnote_mark_is_seen_as_the_layout_reads_it() -> (
    None
):
    """The layout reads a cell's paragraphs, and the text on each side of a note mark, apart."""
    body = """\
  - "Đã *xong[^a] việc*."
  - bang:
      cot: [STT, Nội dung]
      dong:
        - [1, "*Dòng một\\n\\nDòng hai*"]
"""
    text = _report(body, 'chu_thich:\n  a: "Ghi chú."\n')
    shown = _paragraphs(text)
    assert "Đã *xong việc*." in shown
    assert {"*Dòng một", "Dòng hai*"} <= set(shown)
    assert [w.split(": cảnh báo: ")[0] for w in _warnings(text)] == [
        "bc.yaml:8:5: noi_dung[0]",
        "bc.yaml:12:15: noi_dung[1].bang.dong[0][1]",
    ]


def test_a_typed_dash_or_plus_before_the_programs_own_is_warned_of() -> None:
    body = """\
  - gach: "- Nội dung một"
  - cong: "+ Nội dung hai"
  - gach: "+ Nội dung ba"
  - gach: "-5% so với năm trước"
  - cong: "+3 điểm"
"""
    text = _report(body)
    shown = _paragraphs(text)
    assert {"- - Nội dung một", "+ + Nội dung hai", "- + Nội dung ba"} <= set(shown)
    assert {"- -5% so với năm trước", "+ +3 điểm./."} <= set(shown)
    assert _warnings(text) == [
        "bc.yaml:8:5: noi_dung[0].gach: cảnh báo: gach đã tự in dấu “-” ở đầu dòng, nên dấu "
        "“-” gõ thêm sẽ in thành “- - Nội dung một”; hãy bỏ dấu đó: gach: Nội dung một",
        "bc.yaml:9:5: noi_dung[1].cong: cảnh báo: cong đã tự in dấu “+” ở đầu dòng, nên dấu "
        "“+” gõ thêm sẽ in thành “+ + Nội dung hai”; hãy bỏ dấu đó: cong: Nội dung hai",
        "bc.yaml:10:5: noi_dung[2].gach: cảnh báo: gach đã tự in dấu “-” ở đầu dòng, nên dấu "
        "“+” gõ thêm sẽ in thành “- + Nội dung ba”; hãy bỏ dấu đó: gach: Nội dung ba",
    ]


LABELS = """\
  - tieu_de: "I. TÌNH HÌNH CHUNG"
    noi_dung:
      - tieu_de: "1. Kết quả"
        noi_dung: [Đạt.]
      - tieu_de: "5 năm thực hiện"
        noi_dung: [Đạt.]
      - so_muc: "2.1."
        tieu_de: "2.1. Số liệu"
        noi_dung: [Đạt.]
      - noi_dung: ["3. Câu mở đầu mục không tên."]
  - tieu_de: "NHIỆM VỤ 2025"
    noi_dung:
      - tieu_de: "1.250 lao động có việc làm"
        noi_dung: [Đạt.]
      - noi_dung: ["2025. Năm bản lề."]
"""


def test_a_title_typed_with_its_label_prints_it_twice_and_is_warned_of() -> None:
    shown = _paragraphs(_report(LABELS))
    assert {"I. I. TÌNH HÌNH CHUNG", "1. 1. Kết quả", "2. 5 năm thực hiện"} <= set(shown)
    assert {"2.1. 2.1. Số liệu", "4. 3. Câu mở đầu mục không tên.", "II. NHIỆM VỤ 2025"} <= set(
        shown
    )
    # A number with its thousands dot, or a year, is no label: printed after one, not warned of.
    assert {"1. 1.250 lao động có việc làm", "2. 2025. Năm bản lề./."} <= set(shown)
    hint = "(chương trình tự đánh số), hoặc muốn giữ đúng nhãn này thì ghi vào khóa so_muc"
    assert _warnings(_report(LABELS)) == [
        "bc.yaml:8:5: noi_dung[0].tieu_de: cảnh báo: câu bắt đầu bằng số mục “I.”, mà chương "
        "trình tự đặt nhãn “I.” trước nó nên sẽ in “I. I. TÌNH HÌNH CHUNG”; hãy bỏ “I.” khỏi "
        f'câu {hint} của mục: so_muc: "I."',
        "bc.yaml:10:9: noi_dung[0].noi_dung[0].tieu_de: cảnh báo: câu bắt đầu bằng số mục "
        "“1.”, mà chương trình tự đặt nhãn “1.” trước nó nên sẽ in “1. 1. Kết quả”; hãy bỏ "
        f'“1.” khỏi câu {hint} của mục: so_muc: "1."',
        "bc.yaml:15:9: noi_dung[0].noi_dung[2].tieu_de: cảnh báo: câu bắt đầu bằng số mục "
        "“2.1.”, mà so_muc của mục đã đặt nhãn “2.1.” trước nó nên sẽ in “2.1. 2.1. Số liệu”; "
        "hãy bỏ “2.1.” khỏi câu",
        "bc.yaml:17:20: noi_dung[0].noi_dung[3].noi_dung[0]: cảnh báo: câu bắt đầu bằng số mục "
        "“3.”, mà chương trình tự đặt nhãn “4.” trước nó nên sẽ in “4. 3. Câu mở đầu mục không "
        f'tên.”; hãy bỏ “3.” khỏi câu {hint} của mục: so_muc: "3."',
    ]


def test_labels_follow_the_first_level_and_the_appendices() -> None:
    """``muc_dau: "1."`` numbers the top sections 1., 2.: a typed "1." is the doubled one."""
    appendix = (
        "phu_luc:\n  - tieu_de: BIỂU SỐ LIỆU\n    noi_dung:\n"
        '      - tieu_de: "a) Chi tiết"\n        noi_dung: [Đạt.]\n'
    )
    text = _report('  - tieu_de: "1. Kết quả"\n    noi_dung: [Đạt.]\n', appendix)
    text += 'trinh_bay: {muc_dau: "1."}\n'
    shown = _paragraphs(text)
    assert {"1. 1. Kết quả", "1. a) Chi tiết"} <= set(shown)
    assert [w.split(" nên sẽ in ")[1].split(";")[0] for w in _warnings(text)] == [
        "“1. 1. Kết quả”",
        "“1. a) Chi tiết”",
    ]


def test_an_unquoted_decimal_so_muc_is_told_how_to_quote_it() -> None:
    """YAML reads ``so_muc: 1.1`` as a number; the message shows the label to write instead."""
    text = _report("  - so_muc: 1.1\n    tieu_de: Số liệu\n    noi_dung: [Đạt.]\n")
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"))
    assert [describe_issue(i) for i in caught.value.issues] == [
        "bc.yaml:8:5: noi_dung[0].so_muc: không có dấu nháy, YAML đọc 1.1 là một số, còn so_muc "
        "là nhãn mục in nguyên văn nên phải là chữ; hãy đặt nhãn trong dấu nháy kép, đúng từng "
        'ký tự muốn in, ví dụ so_muc: "1.1" hoặc so_muc: "1.1."'
    ]
    assert [describe_issue(i, "en") for i in caught.value.issues] == [
        "bc.yaml:8:5: noi_dung[0].so_muc: without quotes YAML reads 1.1 as a number, but "
        "so_muc is a section label printed as typed, so it must be text; put the label in "
        'double quotes, exactly as it should print, for example so_muc: "1.1" or so_muc: "1.1."'
    ]
    quoted = text.replace("so_muc: 1.1", 'so_muc: "1.1"')
    assert "1.1 Số liệu" in _paragraphs(quoted)
    assert _warnings(quoted) == []


def test_validate_and_render_print_the_warnings_and_keep_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BAOCAO_LANG", raising=False)
    body = '  - tieu_de: "I. TÌNH HÌNH"\n    noi_dung:\n      - gach: "- lao động*:* Đã"\n'
    (tmp_path / "bc.yaml").write_text(_report(body), encoding="utf-8")
    cli = make_cli("vi")
    checked = CliRunner().invoke(cli, ["validate", "bc.yaml"], catch_exceptions=False)
    assert checked.exit_code == 0
    lines = checked.output.splitlines()
    assert [line.split(": cảnh báo: ")[0] for line in lines[:-1]] == [
        "bc.yaml:8:5: noi_dung[0].tieu_de",
        "bc.yaml:10:9: noi_dung[0].noi_dung[0].gach",
        "bc.yaml:10:9: noi_dung[0].noi_dung[0].gach",
    ]
    assert lines[-1] == "bc.yaml: hợp lệ."
    rendered = CliRunner().invoke(cli, ["render", "bc.yaml"], catch_exceptions=False)
    assert rendered.exit_code == 0
    assert rendered.output.splitlines()[:-1] == lines[:-1]
    shown = [p.text for p in Docx((tmp_path / "bc.docx").read_bytes()).paragraphs]
    assert {"I. I. TÌNH HÌNH", "- - lao động*:* Đã./."} <= set(shown)


def test_a_bracketed_star_taken_into_emphasis_is_warned_of() -> None:
    """ "(*)" alone prints as typed; another star in the text pairs with it and both vanish."""
    text = _report('  - "*Ghi chú: (*) là số ước tính."\n')
    assert "Ghi chú: () là số ước tính./." in _paragraphs(text)
    assert _warnings(text) == [
        "bc.yaml:8:5: noi_dung[0]: cảnh báo: dấu * trong “(*)” đã ghép với một dấu * khác "
        "trong cùng câu thành cặp in nghiêng (hoặc in đậm), nên cả hai dấu * không được in: "
        "câu in ra thành “Ghi chú: () là số…”; hãy sửa dấu * kia cho thành cặp đúng chỗ "
        "(ví dụ *Ghi chú:* (*) là …), hoặc chỉ để một “(*)” trong mỗi câu"
    ]
    fixed = _report('  - "*Ghi chú:* (*) là số ước tính."\n')
    assert "Ghi chú: (*) là số ước tính./." in _paragraphs(fixed)
    assert _warnings(fixed) == []


def test_stars_are_looked_for_in_kinh_gui_and_the_appendix_lines() -> None:
    """Texts outside the body that the layout also reads for emphasis."""
    appendix = """\
kinh_gui: "Ủy ban nhân dân tỉnh*"
phu_luc:
  - tieu_de: "BIỂU*"
    kem_theo: "(Kèm theo *Báo cáo)"
    dong_phu: ["Số liệu đến ngày 31/12*"]
    noi_dung: ["Nội dung."]
    nguoi_ky: [{chuc_vu: "NGƯỜI LẬP*", ho_ten: Trần Văn B}]
"""
    text = _report("  - Nội dung.\n", appendix)
    shown = _paragraphs(text)
    assert {"Kính gửi: Ủy ban nhân dân tỉnh*", "BIỂU*", "(Kèm theo *Báo cáo)"} <= set(shown)
    assert {"Số liệu đến ngày 31/12*", "NGƯỜI LẬP*"} <= set(shown)
    assert [w.split(": cảnh báo: ")[0] for w in _warnings(text)] == [
        "bc.yaml:11:1: kinh_gui",
        "bc.yaml:13:5: phu_luc[0].tieu_de",
        "bc.yaml:14:5: phu_luc[0].kem_theo",
        "bc.yaml:15:16: phu_luc[0].dong_phu[0]",
        "bc.yaml:17:17: phu_luc[0].nguoi_ky[0].chuc_vu",
    ]


def test_stars_in_a_text_the_template_prints_plain_are_warned_of() -> None:
    """The title, the agency, Nơi nhận and the signer take no markup: paired stars print."""
    text = (
        MINIMAL.replace("trich_yeu: Kết quả công tác năm 2021", 'trich_yeu: "Kết quả **năm 2021**"')
        .replace("[UBND tỉnh,", '["UBND *tỉnh*",')
        .replace("ho_ten: Nguyễn Văn A", 'ho_ten: "*Nguyễn Văn A*"')
        .replace("dia_danh: Quảng Nam", 'dia_danh: "Quảng Nam (*)"')
    )
    shown = _paragraphs(text)
    assert {"Kết quả **năm 2021**", "- UBND *tỉnh*;", "*Nguyễn Văn A*"} <= set(shown)
    assert _warnings(text) == [
        "bc.yaml:6:1: trich_yeu: cảnh báo: ở trich_yeu, chữ in theo thể thức của Nghị định 30 "
        "(đậm, nghiêng do mẫu quy định), nên dấu ** và * không phải dấu định dạng mà được in ra "
        "nguyên văn; hãy bỏ các dấu * đi",
        "bc.yaml:9:12: noi_nhan[0]: cảnh báo: ở noi_nhan, chữ in theo thể thức của Nghị định 30 "
        "(đậm, nghiêng do mẫu quy định), nên dấu ** và * không phải dấu định dạng mà được in ra "
        "nguyên văn; hãy bỏ các dấu * đi",
        "bc.yaml:10:31: nguoi_ky.ho_ten: cảnh báo: ở nguoi_ky.ho_ten, chữ in theo thể thức của "
        "Nghị định 30 (đậm, nghiêng do mẫu quy định), nên dấu ** và * không phải dấu định dạng "
        "mà được in ra nguyên văn; hãy bỏ các dấu * đi",
    ]


def test_the_service_answers_the_warnings_with_line_key_and_code() -> None:
    """/validate's worker (``service._do``, as the pool runs it) returns them as JSON."""
    from baocao import service

    body = _report('  - tieu_de: "I. TÌNH HÌNH"\n    noi_dung: ["lao động*:* Đã"]\n').encode()
    job = service._Job("validate", body, "application/yaml", None, "en", "docx", service.Limits())
    status, answer = service._do(job)
    assert status == 200 and answer["valid"] is True
    assert [
        (i["line"], i["column"], i["path"], i["code"], i["warning"]) for i in answer["issues"]
    ] == [
        (8, 5, "noi_dung[0].tieu_de", "label_doubled", True),
        (9, 16, "noi_dung[0].noi_dung[0]", "emphasis_unpaired", True),
    ]
    assert answer["issues"][0]["message"].startswith(
        "warning: the text starts with the section label “I.”"
    )
