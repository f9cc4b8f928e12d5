"""Real Word footnotes built from data: [^key] markers and chu_thich texts."""

from __future__ import annotations

import pytest

from baocao import ValidationFailed, load, validate
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text
from tests.docx_facts import NS, Docx, q

WITH_NOTES = (
    MINIMAL.replace(
        "  - Nội dung.\n",
        '  - "Ban hành nhiều văn bản[^vb] để chỉ đạo."\n'
        '  - bang:\n      cot: [Tên, Số]\n      dong: [["Sở A[^2]", 1]]\n'
        '  - "Không phải chú thích: [^] và [x]."\n',
    )
    + 'chu_thich:\n  vb: "1. Quyết định số 165/QĐ-UBND ngày 31/01/2024; **Kế hoạch** số 23/KH-UBND."\n'
    '  2:\n    - Đoạn một của chú thích.\n    - "- Mục gạch trong chú thích."\n'
)


@pytest.fixture(scope="module")
def doc() -> Docx:
    return render_text(WITH_NOTES)


def test_markers_become_footnote_references_in_order(doc: Docx) -> None:
    refs = [r.get(q("w:id")) for r in doc.document.iter(q("w:footnoteReference"))]
    assert refs == ["1", "2"]
    para = doc.find("Ban hành nhiều văn bản")
    assert para.text == "Ban hành nhiều văn bản để chỉ đạo."
    assert "[^" not in doc.find("Sở A").text
    assert doc.find("Không phải chú thích").text == "Không phải chú thích: [^] và [x]./."


def test_footnotes_part_holds_the_notes(doc: Docx) -> None:
    part = doc.xml("word/footnotes.xml")
    notes = {n.get(q("w:id")): n for n in part.findall("w:footnote", NS)}
    assert set(notes) == {"-1", "0", "1", "2"}
    first = "".join(notes["1"].itertext())
    assert first == " 1. Quyết định số 165/QĐ-UBND ngày 31/01/2024; Kế hoạch số 23/KH-UBND."
    assert notes["1"].find(".//w:footnoteRef", NS) is not None
    second = [("".join(p.itertext())) for p in notes["2"].findall("w:p", NS)]
    assert second == [" Đoạn một của chú thích.", "- Mục gạch trong chú thích."]
    style = notes["1"].find("w:p/w:pPr/w:pStyle", NS).get(q("w:val"))
    assert doc.style_rpr(style, "w:sz").get(q("w:val")) == "20"  # 10 pt, as the decree's own file


def test_reference_mark_is_superscript(doc: Docx) -> None:
    ref = next(doc.document.iter(q("w:footnoteReference"))).getparent()
    style = ref.find("w:rPr/w:rStyle", NS).get(q("w:val"))
    assert doc.style_rpr(style, "w:vertAlign").get(q("w:val")) == "superscript"


def test_relationship_and_content_type_exist(doc: Docx) -> None:
    assert "footnotes.xml" in doc.zip.read("word/_rels/document.xml.rels").decode()
    assert "footnotes+xml" in doc.zip.read("[Content_Types].xml").decode()


def problems(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        validate(load(text, filename="bc.yaml"))
    return [describe_issue(i) for i in caught.value.issues]


def test_unknown_twice_and_unused_notes() -> None:
    text = (
        MINIMAL.replace("  - Nội dung.\n", '  - "A[^1] B[^1] C[^9]"\n')
        + "chu_thich: {1: Một, 3: Ba}\n"
    )
    assert problems(text) == [
        "bc.yaml:8:5: noi_dung[0]: chú thích [^1] đã được dùng ở chỗ khác; mỗi chú thích chỉ gắn vào một chỗ",
        "bc.yaml:8:5: noi_dung[0]: chú thích [^9] chưa có nội dung trong chu_thich",
        "bc.yaml:11:21: chu_thich.3: chú thích “3” không được dùng ở đâu (thêm [^3] vào chỗ cần chú thích)",
    ]


def test_notes_in_table_headers_and_row_labels_are_real_footnotes() -> None:
    table = (
        "  - bang:\n      cot: ['Đơn vị[^a]', Hồ sơ]\n"
        "      dong: [{nhom: 'Cấp tỉnh[^b]'}, [Sở A, 1], {cong: true, nhan: 'Cộng[^c]'}]\n"
    )
    doc = render_text(MINIMAL.replace("  - Nội dung.\n", table) + "chu_thich: {a: A, b: B, c: C}\n")
    assert [r.get(q("w:id")) for r in doc.document.iter(q("w:footnoteReference"))] == [
        "1",
        "2",
        "3",
    ]
    assert "[^" not in doc.text


def test_notes_cannot_go_where_the_template_writes_the_text() -> None:
    text = MINIMAL.replace("trich_yeu: Kết quả", "trich_yeu: Kết quả[^1]") + "chu_thich: {1: Một}\n"
    assert problems(text) == [
        "bc.yaml:6:1: trich_yeu: chú thích [^1] không đặt được ở đây; "
        "hãy gắn vào nội dung, bảng hoặc phụ lục"
    ]
