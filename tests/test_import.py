"""`baocao import`: a Word file back into YAML that renders the same document again.

Round trips on real outputs: every example is rendered, imported, validated
and rendered again, and the two .docx files are read by the one reader and
compared (header, title, Nơi nhận, signer, every body paragraph). Every real
clerk's file of ../shared/real-docx is imported through the command, its YAML
validated and rendered, and the share of its words kept in order measured.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import baocao
from baocao.api import build
from baocao.check import check, read
from baocao.importer import KEY_ORDER, date_fields, dump, import_docx, number_fields, signer_fields
from baocao.readmodel import DASHES
from tests.conftest import EXAMPLES, SHARED
from tests.docx_facts import Docx

IMPORT = [sys.executable, "-c", "from baocao.cli import main; main()", "import"]
REAL = SHARED / "real-docx"

TABLES_NOT_YET = {
    "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021": "tail",
    "005-ke-hoach-chuyen-doi-so-2025": "content",
    "009-bao-cao-chi-so-cchc-gia-lai-2025": "content",
    "010-ke-hoach-nang-cao-chi-so-cchc-gia-lai-2026": "tail",
}
"""Examples whose tables (merged header cells, group rows, a header-only table) come back
as paragraphs, not tables, in this slice: their words are kept, the grid is not."""

REAL_FLOOR = 0.89
"""Least share of a real file's words found in order in the re-render, reading the whole
file straight through (measured 0.899, 07-cong-van-trien-khai-427-bca: a header laid out
with tabs, whose Quốc hiệu words stand between the agency's lines, and a signer sharing
its lines with Nơi nhận; 06, 08, 09 below 0.99 too, their header's cells in another
order than baocao's two rows). ``REAL_KEPT`` is what the issue asks of every file."""

REAL_MEDIAN = 0.99
"""Measured median 0.998 over the 20 files, read straight through."""

REAL_KEPT = 0.99
"""Least share of each real file's words kept, by part (``kept``): measured 0.9949 (11,
its "Số: 409 /TTr-…" typed with a stray space, which layout does not print)."""

CONTENT_RULES = {"danh_so", "so_ky_hieu"}
"""Rules on what the clerk typed (the labels' sequence, the office's ký hiệu), kept as
typed by import: a re-render fails them where the original does. Every other rule is
layout, which a re-render of a real file passes."""


def words(path: Path) -> list[str]:
    """Every word of the document body, table cells included, in reading order."""
    paragraphs = Docx.open(path, str(path)).paragraphs
    text = " ".join(p.text.replace("\t", " ").replace("\n", " ") for p in paragraphs)
    return unicodedata.normalize("NFC", text).split()


def recall(original: list[str], again: list[str]) -> float:
    """Share of ``original``'s words found in order in ``again`` (LCS over words)."""
    start = 0
    while start < min(len(original), len(again)) and original[start] == again[start]:
        start += 1
    end = 0
    while (
        end < min(len(original), len(again)) - start
        and original[len(original) - 1 - end] == again[len(again) - 1 - end]
    ):
        end += 1
    a, b = original[start : len(original) - end], again[start : len(again) - end]
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return (start + end + previous[-1]) / max(len(original), 1)


def parts(path: Path) -> dict[str, list[str]]:
    """The words of the header and title (``head``), the body, the closing (Nơi nhận and
    the signer) and what follows it (``tail``: appendices), by the reader's parts."""
    document = read(path, whole=True)
    paragraphs = Docx.open(path, str(path)).paragraphs
    content = [line.at.paragraph for line in document.content]
    start = min(content, default=len(paragraphs))
    end, after = len(paragraphs), len(paragraphs)
    if document.closing.recipients_label is not None:
        end = max(content, default=start - 1) + 1
        after = min((line.at.paragraph for line in document.tail), default=len(paragraphs))

    def split(chosen: list[Any]) -> list[str]:
        text = " ".join(p.text.replace("\t", " ").replace("\n", " ") for p in chosen)
        return unicodedata.normalize("NFC", text).split()

    return {
        "head": split(paragraphs[:start]),
        "body": split(paragraphs[start:end]),
        "closing": split(paragraphs[end:after]),
        "tail": split(paragraphs[after:]),
    }


def kept(original: Path, again: Path) -> float:
    """Share of ``original``'s words kept in ``again``: the body's and the appendices' in
    order; the header's and the closing's as a count of each word, since their blocks
    stand side by side (a Word file may run them in any order: agency then Quốc hiệu,
    or agency, Số, V/v first) and their dashes and final ; , . are layout's (the Tiêu
    ngữ's hyphens, the punctuation of Nơi nhận)."""
    before, after = parts(original), parts(again)

    def loose(found: list[str]) -> Counter[str]:
        return Counter(word.translate(DASHES).rstrip(";,.") for word in found)

    count = sum(sum((loose(before[k]) & loose(after[k])).values()) for k in ("head", "closing"))
    count += sum(recall(before[k], after[k]) * len(before[k]) for k in ("body", "tail"))
    return count / max(sum(len(found) for found in before.values()), 1)


def closing_facts(path: Path) -> tuple[list[str], list[str], str | None]:
    """Nơi nhận items without their dash and final punctuation, the signer's lines with
    one space after "KT."/"TL.", and the name, as the reader finds them."""
    closing = read(path, whole=True).closing
    items = [line.clean.translate(DASHES).strip(" -;.,") for line in closing.recipients]
    lines = [re.sub(r"^([A-ZĐ]{1,3}\.)\s*", r"\1 ", line.clean) for line in closing.signer.lines]
    return items, lines, closing.signer.name.clean if closing.signer.name else None


def facts(path: Path) -> dict[str, Any]:
    """What a clerk sees of a document, as the reader recognises it."""
    document = read(path, whole=True)
    header, title, closing = document.header, document.title, document.closing
    return {
        "agency": [line.shown for line in (*header.parent_agency, *header.agency)],
        "number": header.number.clean if header.number else None,
        "date": header.place_date.clean if header.place_date else None,
        "type": title.type_name.clean if title.type_name else None,
        "summary": [line.clean for line in (*title.summary, *title.letter_summary)],
        "recipients": [line.clean for line in closing.recipients],
        "signer": [line.clean for line in closing.signer.lines],
        "name": closing.signer.name.clean if closing.signer.name else None,
        "content": [line.clean for line in document.content if line.clean],
        "tail": [line.clean for line in document.tail if line.clean],
    }


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_comes_back(example: Path, tmp_path: Path) -> None:
    original = build(example, tmp_path / "original.docx")
    imported = import_docx(original)
    assert imported.validated.template.name == baocao.load(example).data.get(
        "loai_van_ban", "bao-cao"
    )
    (tmp_path / "again.yaml").write_text(imported.yaml_text, encoding="utf-8")
    again = build(tmp_path / "again.yaml", tmp_path / "again.docx")
    before, after = facts(original), facts(again)
    not_yet = TABLES_NOT_YET.get(example.stem)
    for key in before:
        if key != not_yet:
            assert after[key] == before[key], key
    if not_yet is not None:
        assert after[not_yet] != before[not_yet]  # a table given as paragraphs: say so here
        assert imported.unmapped and any("bảng" in entry for entry in imported.unmapped)
    assert recall(words(original), words(again)) >= 0.996


def test_keys_come_in_the_guides_order_and_every_string_is_quoted(tmp_path: Path) -> None:
    original = build(EXAMPLES / "008-cong-van-nang-bac-luong-2024.yaml", tmp_path / "cv.docx")
    text = import_docx(original).yaml_text
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    order = [*KEY_ORDER, "trinh_bay"]
    assert keys == sorted(keys, key=order.index)
    assert {"co_quan_ban_hanh", "so_ky_hieu", "trich_yeu", "kinh_gui", "noi_nhan"} <= set(keys)
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        found = re.fullmatch(r"\s*(?:- )?(?:[a-z_0-9]+:(?: |$))?(.*)", line)
        assert found is not None, line
        value = found.group(1)
        assert value[:1] in ("", '"', "[") or value.isdigit() or value in ("true", "false"), line


def test_the_inverse_of_layouts_lines() -> None:
    assert number_fields("Số: 05/BC-STTTT", "BC") == {"so": 5, "ky_hieu": "STTTT"}
    assert number_fields("Số:        /TTr-SNV", "TTr") == {"so": None, "ky_hieu": "SNV"}
    assert date_fields("Lâm Đồng, ngày      tháng 11 năm 2025") == (
        "Lâm Đồng",
        {"ngay": None, "thang": 11, "nam": 2025},
    )
    fields, rest = signer_fields(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])
    assert fields["quyen_han"] == ["TM.", "KT."] and fields["chuc_vu"] == "PHÓ CHỦ TỊCH"
    assert signer_fields(["Q. GIÁM ĐỐC"])[0] == {"quyen_han": "Q.", "chuc_vu": "GIÁM ĐỐC"}
    assert not rest


def test_yaml_quoting_survives_quotes_backslashes_and_colons() -> None:
    data = {
        "co_quan_ban_hanh": 'SỞ "A"\\B: C',
        "so_ky_hieu": {"so": 5, "ky_hieu": "X"},
        "dia_danh": "Hà Nội",
        "trich_yeu": "# không phải chú thích",
        "noi_dung": ["Lưu: VT\u2028"],
        "noi_nhan": ["- a"],
        "nguoi_ky": {"chuc_vu": "GIÁM ĐỐC"},
    }
    loaded = baocao.load(dump(data)).data
    assert loaded["co_quan_ban_hanh"] == 'SỞ "A"\\B: C'
    assert loaded["trich_yeu"] == "# không phải chú thích"
    assert loaded["noi_nhan"] == ["- a"]


needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-docx is not beside")


@needs_real
def test_every_real_file_imports_validates_and_keeps_its_words(tmp_path: Path) -> None:
    straight: dict[str, float] = {}
    by_part: dict[str, float] = {}
    for docx in sorted(REAL.glob("*.docx")):
        target = tmp_path / f"{docx.stem}.yaml"
        done = subprocess.run(
            [*IMPORT, str(docx), "-o", str(target)], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (docx.name, done.stderr)
        baocao.validate(baocao.load(target))
        again = build(target, tmp_path / f"{docx.stem}.docx")
        straight[docx.stem] = recall(words(docx), words(again))
        by_part[docx.stem] = kept(docx, again)
        # the same signer and Nơi nhận; "Như trên" added by layout only where the YAML says so
        items, signer, name = closing_facts(docx)
        items_again, signer_again, name_again = closing_facts(again)
        if items_again[:1] == ["Như trên"] and items[:1] != ["Như trên"]:
            assert "# không nhận ra nơi nhận" in target.read_text(encoding="utf-8")
            items_again = items_again[1:]
        assert (items_again, signer_again, name_again) == (items, signer, name), docx.name
        # layout's defects are gone; what the clerk typed (labels, ký hiệu) stays as typed
        failed = {result.rule for result in check(again.read_bytes()).failed}
        original = {result.rule for result in check(docx.read_bytes()).failed}
        assert failed <= original & CONTENT_RULES, (docx.name, failed)
    print("\nword recall per real file (kept by part | read straight through):")
    for name in straight:
        print(f"  {by_part[name]:.4f} | {straight[name]:.4f}  {name}")
    assert len(straight) == 20
    assert min(by_part.values()) >= REAL_KEPT, by_part
    assert min(straight.values()) >= REAL_FLOOR, straight
    assert sorted(straight.values())[len(straight) // 2] >= REAL_MEDIAN, straight


@pytest.mark.parametrize("kind", ["damaged", "not-word", "folder"])
def test_an_unreadable_file_exits_non_zero_and_writes_nothing(kind: str, tmp_path: Path) -> None:
    source = tmp_path / "in.docx"
    if kind == "damaged":
        good = build(EXAMPLES / "008-cong-van-nang-bac-luong-2024.yaml", tmp_path / "g.docx")
        source.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "not-word":
        with zipfile.ZipFile(source, "w") as archive:
            archive.writestr("hello.txt", "not a Word document")
    else:
        source.mkdir()
    target = tmp_path / "out.yaml"
    for lang in ("vi", "en"):
        done = subprocess.run(
            [*IMPORT, str(source), "-o", str(target), "--lang", lang],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 3, done.stderr
        assert str(source) in done.stderr  # located: the file is named
        assert not target.exists()
        assert sorted(p.name for p in tmp_path.iterdir() if p.name != "g.docx") == sorted(
            ["in.docx"]
        )
    assert ("folder" if kind == "folder" else "Word") in done.stderr


def test_an_existing_yaml_is_kept_without_ghi_de(tmp_path: Path) -> None:
    source = build(EXAMPLES / "007-thong-bao-lich-tiep-cong-dan-2025.yaml", tmp_path / "tb.docx")
    target = tmp_path / "tb.yaml"
    target.write_text("# của tôi\n", encoding="utf-8")
    refused = subprocess.run([*IMPORT, str(source)], capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "--ghi-de" in refused.stderr
    assert target.read_text(encoding="utf-8") == "# của tôi\n"
    done = subprocess.run(
        [*IMPORT, str(source), "--ghi-de"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert baocao.validate(baocao.load(target)).template.name == "thong-bao"


def test_unrecognised_text_keeps_its_words_with_a_comment(tmp_path: Path) -> None:
    # A quyết định has no bundle: it comes in as a báo cáo, and the YAML says so.
    source = REAL / "05-quyet-dinh-dia-ban-ma-tuy-2025.docx"
    if not source.exists():
        pytest.skip("../shared/real-docx is not beside")
    imported = import_docx(source)
    assert "# không nhận ra loại văn bản" in imported.yaml_text
    assert any(entry.startswith("loại văn bản") for entry in imported.unmapped)
    assert "# không nhận ra sau phần ký" in imported.yaml_text  # the list after the signer


@needs_real
def test_a_headings_words_stay_apart_across_runs() -> None:
    # "quy định" + a run holding one space + "phân định": the space is kept after the label.
    imported = import_docx(REAL / "09-cong-van-cai-nghien-tai-cong-dong.docx")
    assert "quy địnhphân" not in imported.yaml_text
    assert "quy định phân định thẩm quyền" in imported.yaml_text
    assert "cộng đồng *(tư vấn" in imported.yaml_text


@needs_real
def test_one_addressee_is_kept_as_typed() -> None:
    imported = import_docx(REAL / "06-cong-van-trien-khai-3653-vpcp.docx")
    assert imported.validated.data["kinh_gui"] == "Sở Khoa học và Công nghệ."


@needs_real
def test_quoc_hieu_typed_on_the_agencys_lines_is_left_to_layout() -> None:
    # 07 lays its header out with spaces: "ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI …" on one line.
    imported = import_docx(REAL / "07-cong-van-trien-khai-427-bca.docx")
    assert imported.validated.data["co_quan_ban_hanh"] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]


def test_check_reads_no_whole_paragraphs(tmp_path: Path) -> None:
    # The rules need none of it: a check does not pay for building it.
    original = build(EXAMPLES / "007-thong-bao-lich-tiep-cong-dan-2025.yaml", tmp_path / "t.docx")
    assert read(original).content == () and read(original).tail == ()
    whole = read(original, whole=True)
    assert (
        whole.content and whole.head and whole.content[0].at.paragraph > whole.head[-1].at.paragraph
    )
