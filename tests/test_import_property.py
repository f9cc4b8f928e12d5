"""Round trip on random reports: render → import → render gives the same document.

Hypothesis writes reports over what the importer maps today: the header's
fields, the trích yếu, nested sections, paragraphs with bold and italic,
"-"/"+" items, simple tables, Nơi nhận and the signer's forms. Each is rendered,
imported, and rendered again; the two documents' word/document.xml must be the
same XML (canonical form), not merely the same words.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import baocao
from baocao.importer import import_docx
from tests.docx_facts import Docx

WORDS = (  # noqa: SIM905 - a sentence reads better than a column of words
    "kết quả công tác năm tỉnh huyện đã thực hiện nhiệm vụ được giao chuyển đổi số người dân "
    "doanh nghiệp hồ sơ trực tuyến đạt tỷ lệ cao so với cùng kỳ Sở Nội vụ kế hoạch 2024 "
    "15 12,5 phường xã đơn vị"
).split()
UPPER = "SỞ NỘI VỤ ỦY BAN NHÂN DÂN TỈNH HUYỆN TÀI CHÍNH GIÁO DỤC".split()  # noqa: SIM905


def sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:]


phrases = st.builds(
    lambda words, end: sentence(words) + end,
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=10),
    st.sampled_from(["", "", ".", ":", ";", ","]),
)
caps = st.lists(st.sampled_from(UPPER), min_size=2, max_size=5).map(" ".join)


@st.composite
def marked(draw: st.DrawFn) -> str:
    """A paragraph of one to four pieces, each plain, bold or italic."""
    pieces = draw(
        st.lists(
            st.tuples(phrases, st.sampled_from(["", "**", "*", "***"])), min_size=1, max_size=4
        )
    )
    return " ".join(f"{mark}{text}{mark}" for text, mark in pieces)


@st.composite
def table(draw: st.DrawFn) -> dict[str, Any]:
    columns = draw(st.integers(2, 4))
    cell = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(sentence)
    head = draw(st.lists(cell, min_size=columns, max_size=columns))
    rows = draw(
        st.lists(st.lists(cell, min_size=columns, max_size=columns), min_size=1, max_size=4)
    )
    return {"bang": {"cot": head, "dong": rows}}


def blocks(depth: int) -> st.SearchStrategy[list[Any]]:
    leaf = st.one_of(
        marked(),
        phrases.map(lambda text: {"gach": text}),
        phrases.map(lambda text: {"cong": text}),
        table(),
    )
    if depth == 3:
        return st.lists(leaf, min_size=1, max_size=4)
    labels = {1: ["II.", "V.", "IX."], 2: ["3.", "7.", "12."], 3: ["b)", "đ)", "g)"]}[depth]
    section = st.fixed_dictionaries(
        {"tieu_de": phrases},
        optional={"so_muc": st.sampled_from(labels), "noi_dung": blocks(depth + 1)},
    )
    return st.lists(st.one_of(leaf, section), min_size=1, max_size=4)


signers = st.one_of(
    st.fixed_dictionaries({"chuc_vu": caps}),
    st.fixed_dictionaries(
        {
            "quyen_han": st.sampled_from(["KT.", "TL.", "TUQ.", "TM."]),
            "thay_cho": caps,
            "chuc_vu": caps,
        }
    ),
    st.fixed_dictionaries({"quyen_han": st.just("Q."), "chuc_vu": caps}),
    st.fixed_dictionaries(
        {
            "quyen_han": st.just(["TM.", "KT."]),
            "thay_cho": st.lists(caps, min_size=2, max_size=2),
            "chuc_vu": caps,
        }
    ),
)


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["bao-cao", "ke-hoach", "thong-bao", "to-trinh", "cong-van"]))
    data: dict[str, Any] = {"loai_van_ban": kind}
    agency = st.one_of(caps, st.lists(caps, min_size=2, max_size=3))
    if draw(st.booleans()):
        data["co_quan_chu_quan"] = draw(agency)
    data["co_quan_ban_hanh"] = draw(agency)
    number = {"ky_hieu": draw(st.text("ABCDEFGHKLMNPQRSTUVX", min_size=2, max_size=6))}
    if draw(st.booleans()):
        number["so"] = draw(st.integers(1, 999))
    data["so_ky_hieu"] = number
    data["dia_danh"] = draw(st.sampled_from(["Hà Nội", "Quảng Nam", "Gia Lai", "Cần Thơ"]))
    data["ngay_ban_hanh"] = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)))
    lines = st.lists(phrases, min_size=2, max_size=3)  # a công văn's V/v is one string
    data["trich_yeu"] = draw(phrases if kind == "cong-van" else st.one_of(phrases, lines))
    if kind in ("cong-van", "to-trinh"):
        data["kinh_gui"] = draw(st.one_of(caps, st.lists(caps, min_size=2, max_size=3)))
    if draw(st.booleans()):
        data["mo_dau"] = draw(st.lists(marked(), min_size=1, max_size=2))
    data["noi_dung"] = draw(blocks(1))
    if draw(st.booleans()):
        data["ket_thuc"] = "Trên đây " + draw(phrases).lower()
    data["noi_nhan"] = [*draw(st.lists(phrases, min_size=0, max_size=3)), "Lưu: VT"]
    signer = draw(signers)
    if draw(st.integers(0, 3)) == 0:
        signer["chuc_vu_2"] = draw(caps)
    if draw(st.booleans()):
        signer["ho_ten"] = draw(st.sampled_from(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]))
    data["nguoi_ky"] = signer
    return data


def document_xml(docx: bytes) -> bytes:
    """word/document.xml as read by the one reader, in canonical form."""
    return bytes(etree.tostring(Docx(docx).document, method="c14n"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_render_import_render_gives_the_same_document(data: dict[str, Any]) -> None:
    first = baocao.render(baocao.validate(data))
    imported = import_docx(first)
    again = baocao.render(imported.validated)
    assert document_xml(again) == document_xml(first), imported.yaml_text
