"""Page flow blocks (issue 17, item 5): a page break, an aligned paragraph, the appendix's
"Phụ lục" line, its title's lines and page numbering, a table title of several lines.

Each is read back from the .docx, and where it is about pages, from LibreOffice's PDF.
"""

from __future__ import annotations

import os
import shutil

import pytest

import baocao
from baocao import model
from baocao.body import keep_with_closing
from baocao.convert import to_pdf
from baocao.docx.write import table
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text, with_changes
from tests.docx_facts import NS, Docx, q
from tests.test_page_flow import Word, pdf_pages
from tests.test_validation import problems

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (.ci/run installs it; CI never skips this)",
)

BODY = MINIMAL.replace(
    "  - Nội dung.\n",
    """\
  - Đoạn trang một.
  - trang_moi: true
  - {doan: "Ghi chú căn giữa", can_le: giua}
  - {doan: "Dòng bên phải", can_le: phai}
  - {doan: "Đoạn căn trái", can_le: trai}
  - {doan: "Đoạn căn đều", can_le: deu}
  - Đoạn cuối.
""",
)


def page_breaks(doc: Docx) -> list[int]:
    """Indexes (among the paragraphs) of the paragraphs that hold a page break."""
    return [
        index
        for index, para in enumerate(doc.paragraphs)
        if any(br.get(q("w:type")) == "page" for br in para.element.iter(q("w:br")))
    ]


def test_trang_moi_puts_a_page_break_where_it_stands() -> None:
    doc = render_text(BODY)
    texts = [p.text for p in doc.paragraphs]
    (at,) = page_breaks(doc)
    assert texts[at - 1] == "Đoạn trang một."
    assert texts[at + 1] == "Ghi chú căn giữa"


def test_trang_moi_false_breaks_nothing() -> None:
    doc = render_text(BODY.replace("trang_moi: true", "trang_moi: false"))
    assert page_breaks(doc) == []


def test_trang_moi_in_an_appendix() -> None:
    doc = render_text(
        MINIMAL + "phu_luc:\n  - tieu_de: A\n    noi_dung: [Một., {trang_moi: true}, Hai.]\n"
    )
    texts = [p.text for p in doc.paragraphs]
    (at,) = page_breaks(doc)
    assert (texts[at - 1], texts[at + 1]) == ("Một.", "Hai.")


def test_doan_can_le_aligns_the_paragraph() -> None:
    doc = render_text(BODY)
    centre, right, left, both = (
        doc.find(text)
        for text in ("Ghi chú căn giữa", "Dòng bên phải", "Đoạn căn trái", "Đoạn căn đều")
    )
    assert (centre.align, right.align, left.align, both.align) == (
        "center",
        "right",
        "left",
        "both",
    )
    # centred and right-aligned lines drop the body's first-line indent; the others keep it
    assert centre.first_line() == right.first_line() == 0
    body = doc.find("Đoạn trang một.").first_line()
    assert left.first_line() == both.first_line() == body > 0


def test_a_centred_last_paragraph_gets_no_closing_mark() -> None:
    """ "./." closes the text; a centred or right-aligned line at the end is not running text."""
    doc = render_text(BODY.replace("  - Đoạn cuối.\n", ""))
    assert doc.find("Đoạn căn đều").text == "Đoạn căn đều./."
    doc = render_text(BODY.replace("  - Đoạn cuối.\n", "  - {doan: Ký thay, can_le: phai}\n"))
    assert doc.find("Ký thay").text == "Ký thay"


def test_can_le_outside_a_doan_says_where_it_belongs() -> None:
    text = MINIMAL.replace("  - Nội dung.\n", "  - Nội dung.\n  - {gach: Một ý, can_le: giua}\n")
    assert problems(text) == [
        "bc.yaml:9:19: noi_dung[1].can_le: can_le căn lề một đoạn văn và đặt cạnh doan trong "
        'cùng khối: - {doan: "…", can_le: giua} (trai, giua, phai, deu); khối này là gach'
    ]
    assert problems(text, "en")[0].endswith("this block is gach")


def test_can_le_takes_only_the_four_alignments() -> None:
    text = MINIMAL.replace("  - Nội dung.\n", "  - {doan: Một, can_le: center}\n")
    (problem,) = problems(text)
    assert problem.startswith("bc.yaml:8:17: noi_dung[0].can_le:") and "giua" in problem


def test_trang_moi_is_a_block_of_its_own() -> None:
    text = MINIMAL.replace("  - Nội dung.\n", "  - {doan: Một, trang_moi: true}\n")
    assert problems(text) == [
        "bc.yaml:8:5: noi_dung[0]: mỗi khối nội dung chỉ có một loại "
        "(doan, gach, cong, bang, hinh, trang_moi, tieu_de + noi_dung), ở đây có: doan, trang_moi"
    ]


def test_a_page_break_that_ends_the_text_is_warned_of() -> None:
    text = MINIMAL.replace(
        "  - Nội dung.\n", "  - tieu_de: Mục\n    noi_dung: [Nội dung., {trang_moi: true}]\n"
    )
    validated = baocao.validate(baocao.load(text, filename="bc.yaml"))
    assert [describe_issue(i) for i in validated.advice if i.code != "no_archive_line"] == [
        "bc.yaml:9:28: noi_dung[0].noi_dung[1].trang_moi: cảnh báo: trang_moi: true là khối cuối cùng, "
        "nên phần ký (Nơi nhận, người ký) sẽ nằm một mình trên trang mới, không có chữ nào của "
        "văn bản; bỏ khối này, hoặc chuyển nó lên trước đoạn cuối"
    ]
    closed = baocao.validate(baocao.load(with_changes(text, ket_thuc="Trân trọng.")))
    assert not [i for i in closed.advice if i.code == "page_break_before_signature"]


# -- appendices ----------------------------------------------------------------------------


def labels(yaml_appendices: str) -> list[str]:
    doc = render_text(MINIMAL + "phu_luc:\n" + yaml_appendices)
    return [p.text for p in doc.with_style("BCPhuLucSo")]


def test_a_single_appendix_is_headed_phu_luc() -> None:
    assert labels("  - tieu_de: A\n") == ["Phụ lục"]


def test_nhan_sets_the_label_as_typed_or_hides_it() -> None:
    assert labels("  - {nhan: Biểu mẫu 01, tieu_de: A}\n") == ["Biểu mẫu 01"]
    assert labels("  - {nhan: PHỤ LỤC, so: II, tieu_de: A}\n") == ["PHỤ LỤC II"]
    assert labels("  - {nhan: false, tieu_de: A}\n") == []
    # several appendices: the decree's label is numbered I, II…; a typed one is not changed
    assert labels("  - {tieu_de: A}\n  - {nhan: Biểu mẫu 02, tieu_de: B}\n  - {tieu_de: C}\n") == [
        "Phụ lục I",
        "Biểu mẫu 02",
        "Phụ lục III",
    ]


def test_a_number_with_no_label_line_is_an_error() -> None:
    text = MINIMAL + "phu_luc:\n  - {nhan: false, so: 2, tieu_de: A}\n"
    assert problems(text) == [
        'bc.yaml:12:19: phu_luc[0].so: so: 2 được in trong dòng "Phụ lục 2", nhưng nhan: false '
        'bỏ dòng đó; bỏ so, hoặc bỏ nhan: false (nhan: "…" thì in "… 2")'
    ]


def test_appendix_title_of_several_lines() -> None:
    doc = render_text(MINIMAL + "phu_luc:\n  - tieu_de: [Danh mục văn bản, đã ban hành năm 2021]\n")
    (title,) = doc.with_style("BCPhuLucTieuDe")
    assert title.text == "Danh mục văn bản\nđã ban hành năm 2021"
    assert len(list(title.element.iter(q("w:br")))) == 1


def test_table_title_of_several_lines() -> None:
    table = (
        "  - bang:\n"
        "      tieu_de: [Biểu mẫu 01, Kết quả giải quyết hồ sơ]\n"
        "      cot: [TT, Nội dung]\n"
        "      dong: [[1, Một]]\n"
    )
    doc = render_text(MINIMAL.replace("  - Nội dung.\n", "  - Nội dung.\n" + table))
    (caption,) = doc.with_style("BCTenBang")
    assert caption.text == "Biểu mẫu 01\nKết quả giải quyết hồ sơ"


def appendix_sections(doc: Docx) -> list:  # type: ignore[type-arg]
    body = doc.document.find("w:body", NS)
    inner = [p.find("w:pPr/w:sectPr", NS) for p in body.findall("w:p", NS)]
    return [*[s for s in inner if s is not None][1:], doc.section]


def test_so_trang_tiep_continues_the_page_numbers() -> None:
    doc = render_text(
        MINIMAL + "phu_luc:\n  - {tieu_de: A, so_trang: tiep}\n  - {tieu_de: B, so_trang: lai}\n"
    )
    continued, restarted = appendix_sections(doc)
    assert continued.find("w:pgNumType", NS) is None or (
        continued.find("w:pgNumType", NS).get(q("w:start")) is None
    )
    assert continued.find("w:titlePg", NS) is None  # its first page is numbered too
    assert restarted.find("w:pgNumType", NS).get(q("w:start")) == "1"
    assert restarted.find("w:titlePg", NS) is not None


def test_so_trang_takes_lai_or_tiep() -> None:
    (problem,) = problems(MINIMAL + "phu_luc:\n  - {tieu_de: A, so_trang: noi}\n")
    assert problem.startswith("bc.yaml:12:18: phu_luc[0].so_trang:") and "tiep" in problem


# -- in LibreOffice's pages ----------------------------------------------------------------

PAGES = BODY + (
    "phu_luc:\n"
    "  - tieu_de: [Danh mục, hai dòng]\n"
    "    so_trang: tiep\n"
    "    noi_dung: [Phụ lục trang đầu., {trang_moi: true}, Phụ lục trang sau.]\n"
    "  - tieu_de: Phụ lục đánh số lại\n"
    "    noi_dung: [Trang riêng.]\n"
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[list[Word]]:
    """The pages of one report with every block above, converted once."""
    folder = tmp_path_factory.mktemp("blocks")
    docx = folder / "blocks.docx"
    docx.write_bytes(baocao.render(baocao.validate(baocao.load(PAGES))))
    (pdf,) = to_pdf([docx], [docx.with_suffix(".pdf")])
    return pdf_pages(pdf)


@needs_libreoffice
def test_pages_break_where_the_clerk_said(pages: list[list[Word]]) -> None:
    words = [" ".join(w.text for w in page) for page in pages]
    assert len(pages) == 5
    assert "Đoạn trang một." in words[0] and "Ghi chú" not in words[0]
    assert words[1].startswith("2 Ghi chú căn giữa")  # page 2, numbered
    assert "Phụ lục trang đầu." in words[2] and "Phụ lục trang sau." in words[3]


@needs_libreoffice
def test_continued_appendix_pages_go_on_from_the_report(pages: list[list[Word]]) -> None:
    texts = [[w.text for w in page] for page in pages]
    # the report has two pages; its appendix's pages are 3 and 4, numbered on both
    assert texts[2][:4] == ["3", "Phụ", "lục", "I"]
    assert texts[3][:2] == ["4", "Phụ"]
    # the next appendix starts again from 1, unnumbered on its first page
    assert texts[4][:3] == ["Phụ", "lục", "II"]


@needs_libreoffice
def test_aligned_paragraphs_stand_where_they_say(pages: list[list[Word]]) -> None:
    def line(first: str, last: str) -> tuple[float, float]:
        words = pages[1]
        start = next(i for i, w in enumerate(words) if w.text == first)
        end = next(i for i, w in enumerate(words) if i > start and w.text == last)
        return words[start].left, words[end].right

    # A4 is 595.3 pt wide; margins 30 mm left, 15 mm right: the text runs 85.0 to 552.8 pt
    left, right = 30 * 72 / 25.4, (210 - 15) * 72 / 25.4
    start, end = line("Ghi", "giữa")
    assert abs((start + end) / 2 - (left + right) / 2) < 2
    assert abs(line("Dòng", "phải")[1] - right) < 2


# -- the kept last row under a merge ---------------------------------------------------------


def test_a_kept_last_row_keeps_the_positions_a_merge_covers() -> None:
    """LibreOffice keeps a row with the next when its first cell's paragraph says so: when a
    merge from above covers that cell, the covered position must say it too."""

    def cell(text: str, rows: int = 1) -> model.Cell:
        return model.Cell((model.Paragraph("BCBangChu", (model.Run(text),)),), rows=rows)

    grid = model.Table(
        (1000, 2000),
        (model.Row((cell("Chủ trì", rows=2), cell("a"))), model.Row((cell("b"),))),
    )
    (kept, *_) = keep_with_closing((grid,))
    assert isinstance(kept, model.Table)
    xml = table(kept)
    last = xml[xml.rindex("<w:tr>") :]
    assert last.count("<w:tc>") == 2 and last.count("<w:keepNext/>") == 2  # covered and "b"
    first = xml[: xml.rindex("<w:tr>")]
    assert "<w:keepNext/>" not in first
