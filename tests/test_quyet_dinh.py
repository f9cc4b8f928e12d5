"""Quyết định (cá biệt), Mẫu 1.2 and 1.3 of Phụ lục III: the bundle, its lines, its checks.

Rendered documents are opened and read (the one reader); the check reads them back
as a quyết định; validation's misuse messages name the key, the place and the fix.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

import baocao
from baocao import ValidationFailed, check, nd30
from baocao.bundle import find
from baocao.messages import describe_issue
from tests.conftest import EXAMPLES, MINIMAL, TEMPLATES, render_text, with_changes
from tests.docx_facts import Docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

DECISION = """\
loai_van_ban: quyet-dinh
co_quan_chu_quan: UBND TỈNH QUẢNG NAM
co_quan_ban_hanh: SỞ THÔNG TIN VÀ TRUYỀN THÔNG
so_ky_hieu: {so: 5, ky_hieu: STTTT}
dia_danh: Quảng Nam
ngay_ban_hanh: 2021-11-12
trich_yeu: Về việc thành lập Tổ công tác
tham_quyen: GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG
can_cu: [Căn cứ Quyết định số 15/QĐ-UBND ngày 10/01/2025 của UBND tỉnh]
theo_de_nghi: Chánh Văn phòng Sở
noi_dung:
  - noi_dung: ["Thành lập Tổ công tác gồm:", {gach: Ông A;}, {gach: Bà B.}]
  - tieu_de: Nhiệm vụ của Tổ
    noi_dung:
      - noi_dung: [Tham mưu kế hoạch.]
      - noi_dung: ["Theo dõi:", {noi_dung: [báo cáo quý;]}, {noi_dung: [báo cáo năm.]}]
  - noi_dung: [Quyết định này có hiệu lực kể từ ngày ký.]
noi_nhan: [Như Điều 3, "Lưu: VT, VP"]
nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
"""


def _body_lines(doc: Docx) -> list[tuple[str, str]]:
    """(style, text) of every paragraph outside tables, in order."""
    return [(p.style, p.text) for p in doc.paragraphs if not p.in_table and p.text]


def test_a_decision_prints_the_decrees_lines_in_order() -> None:
    doc = render_text(DECISION)
    assert doc.find("Số:").text == "Số: 05/QĐ-STTTT"
    lines = _body_lines(doc)
    start = lines.index(("BCTenLoai", "QUYẾT ĐỊNH"))
    assert lines[start : start + 11] == [
        ("BCTenLoai", "QUYẾT ĐỊNH"),
        ("BCTrichYeu", "Về việc thành lập Tổ công tác"),
        ("BCThamQuyen", "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
        ("BCCanCu", "Căn cứ Quyết định số 15/QĐ-UBND ngày 10/01/2025 của UBND tỉnh;"),
        ("BCCanCu", "Theo đề nghị của Chánh Văn phòng Sở."),
        ("BCQuyetDinhDong", "QUYẾT ĐỊNH:"),
        ("BCNoiDung", "Điều 1. Thành lập Tổ công tác gồm:"),
        ("BCNoiDung", "- Ông A;"),
        ("BCNoiDung", "- Bà B."),
        ("BCDieu", "Điều 2. Nhiệm vụ của Tổ"),
        ("BCNoiDung", "1. Tham mưu kế hoạch."),
    ]
    assert lines[start + 11 : start + 15] == [
        ("BCNoiDung", "2. Theo dõi:"),
        ("BCNoiDung", "a) báo cáo quý;"),
        ("BCNoiDung", "b) báo cáo năm."),
        ("BCNoiDung", "Điều 3. Quyết định này có hiệu lực kể từ ngày ký./."),
    ]
    assert doc.with_style("BCNoiNhan")[0].text == "- Như Điều 3;"  # no "Như trên": no Kính gửi


def test_the_article_label_is_bold_and_a_clauses_upright() -> None:
    doc = render_text(DECISION)
    article = doc.find("Điều 1.")
    first = article.runs()[0]
    assert "".join(first.itertext()) == "Điều 1. " and article.toggle(first, "b")
    assert not article.toggle(article.runs()[1], "b")
    clause = doc.find("1. Tham mưu")
    assert not any(clause.toggle(run, "b") for run in clause.runs())


def test_the_decision_styles_follow_the_decree_and_only_its_template_has_them() -> None:
    def styles(bundle: str) -> etree._Element:
        docx = TEMPLATES / bundle / "template.docx"
        return etree.fromstring(zipfile.ZipFile(docx).read("word/styles.xml"))

    own, report = styles("quyet-dinh"), styles("bao-cao")
    for role in nd30.DECISION_ROLES:
        assert report.find(f"{W}style[@{W}styleId='{role.style}']") is None
        (style,) = own.findall(f"{W}style[@{W}styleId='{role.style}']")
        # Body size (based on the body's style), bold; the two lines centred in caps.
        assert style.find(f"{W}basedOn").get(f"{W}val") == nd30.BODY.style
        assert style.find(f"{W}rPr/{W}sz") is None
        assert style.find(f"{W}rPr/{W}b") is not None
        assert (style.find(f"{W}rPr/{W}caps") is not None) == role.caps
        centred = style.find(f"{W}pPr/{W}jc")
        assert (centred is not None and centred.get(f"{W}val") == "center") == role.caps


def test_co_chu_13_moves_the_decisions_lines_with_the_body() -> None:
    doc = render_text(with_changes(DECISION, trinh_bay="{co_chu: 13}"))
    for text in ("GIÁM ĐỐC SỞ", "QUYẾT ĐỊNH:", "Điều 2."):
        assert doc.find(text).size() == 13


def test_a_whole_proposal_line_typed_is_kept_as_typed() -> None:
    doc = render_text(with_changes(DECISION, theo_de_nghi="Xét đề nghị của Sở Nội vụ"))
    assert doc.find("Xét đề nghị").text == "Xét đề nghị của Sở Nội vụ."
    assert "Theo đề nghị của Xét" not in doc.text


def test_the_check_reads_its_own_decision_as_one_and_passes_it(tmp_path: Path) -> None:
    out = baocao.build(
        EXAMPLES / "011-quyet-dinh-giao-chi-tieu-cchc-gia-lai-2026.yaml", tmp_path / "qd.docx"
    )
    report = check.check(out)
    assert report.template == "quyet-dinh"
    assert report.failed == []
    (title,) = [r for r in report.results if r.rule == "ten_loai"]
    assert title.detail().startswith("Quyết định (nhận ra từ văn bản): “QUYẾT ĐỊNH”")


def test_the_check_names_an_article_out_of_order(tmp_path: Path) -> None:
    text = DECISION.replace(
        "  - noi_dung: [Quyết định này", "  - so_muc: Điều 4.\n    noi_dung: [Quyết định này"
    )
    out = tmp_path / "qd.docx"
    baocao.write(baocao.render(baocao.validate(baocao.load(text))), out)
    (numbering,) = [r for r in check.check(out).results if r.rule == "danh_so"]
    assert not numbering.passed
    assert "thấy “Điều 2.” rồi “Điều 4.”; sau “Điều 2.” cần là “Điều 3.”" in numbering.detail()


def _problems(text: str, template: str | None = None) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load(text, filename="qd.yaml"), template)
    return [describe_issue(issue) for issue in caught.value.issues]


def test_the_authority_is_required() -> None:
    text = "\n".join(line for line in DECISION.splitlines() if not line.startswith("tham_quyen"))
    assert _problems(text) == ["qd.yaml:1:1: thiếu trường bắt buộc “tham_quyen”"]


def test_a_decisions_key_in_a_report_says_what_it_is_and_where_it_belongs() -> None:
    text = with_changes(MINIMAL, tham_quyen="GIÁM ĐỐC SỞ")
    (problem,) = _problems(text)
    assert problem.startswith("qd.yaml:11:1: tham_quyen: “tham_quyen” là dòng thẩm quyền ban hành")
    assert (
        "không có trong mẫu bao-cao; nếu văn bản là quyết định, ghi loai_van_ban: quyet-dinh"
        in (problem)
    )
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load(with_changes(MINIMAL, theo_de_nghi="Sở Nội vụ")))
    (issue,) = caught.value.issues
    assert describe_issue(issue, "en").endswith(
        "“theo_de_nghi” is the “Theo đề nghị của …” (on the proposal of …) line that closes the "
        "legal grounds of a decision (quyết định) and not part of the bao-cao template; if this "
        "is a decision write loai_van_ban: quyet-dinh, otherwise remove the key"
    )


def test_kinh_gui_and_muc_dau_have_no_place_in_a_decision() -> None:
    text = with_changes(DECISION, kinh_gui="Sở Nội vụ", trinh_bay='{muc_dau: "1."}')
    problems = _problems(text)
    assert len(problems) == 2
    assert problems[0].startswith("qd.yaml:20:1: kinh_gui: quyết định không có “Kính gửi”")
    assert problems[1].startswith("qd.yaml:21:13: trinh_bay.muc_dau: trong quyết định các mục")


def test_a_paragraph_outside_the_articles_and_a_typed_label_are_warned() -> None:
    head, _, rest = DECISION.partition("noi_dung:\n")
    tail = rest[rest.index("noi_nhan:") :]
    body = "noi_dung:\n  - Đoạn rời.\n  - noi_dung: ['Điều 1. Quyết định này có hiệu lực.']\n"
    text = head + body + tail
    advice = [
        describe_issue(i) for i in baocao.validate(baocao.load(text, filename="qd.yaml")).advice
    ]
    assert [line.split(": cảnh báo: ")[0] for line in advice] == [
        "qd.yaml:12:5: noi_dung[0]",
        "qd.yaml:13:16: noi_dung[1].noi_dung[0]",
    ]
    assert "đứng ngoài các Điều" in advice[0]
    assert "bắt đầu bằng “Điều 1.” mà chương trình đã tự in “Điều 1.”" in advice[1]


def test_the_example_and_the_starter_file_are_decisions() -> None:
    for path in (
        EXAMPLES / "011-quyet-dinh-giao-chi-tieu-cchc-gia-lai-2026.yaml",
        TEMPLATES / "quyet-dinh" / "example.yaml",
    ):
        validated = baocao.validate(baocao.load(path))
        assert validated.template is find("quyet-dinh")
        assert validated.advice == ()
        doc = Docx(baocao.render(validated))
        assert doc.with_style("BCQuyetDinhDong")[0].text == "QUYẾT ĐỊNH:"


def test_muc_dau_numbers_a_decisions_appendix_and_not_its_articles() -> None:
    appendix = "[{tieu_de: Danh sách, noi_dung: [{tieu_de: Nhóm một, noi_dung: [Ông A.]}]}]"
    doc = render_text(with_changes(DECISION, trinh_bay='{muc_dau: "1."}', phu_luc=appendix))
    assert doc.find("Điều 2.").text == "Điều 2. Nhiệm vụ của Tổ"
    assert doc.find("1. Nhóm một").style == "BCMuc2"


def test_a_misspelt_decision_key_is_offered_the_right_one() -> None:
    text = DECISION.replace("theo_de_nghi:", "theo_de_ngi:")
    (problem,) = _problems(text)
    assert problem == (
        "qd.yaml:10:1: theo_de_ngi: khóa “theo_de_ngi” không có trong mẫu quyet-dinh; "
        "có phải ý bạn là “theo_de_nghi”?"
    )
