"""`baocao import`: a Word file back into YAML that renders the same document again.

Round trips on real outputs: every example is rendered, imported, validated
and rendered again, and the two .docx files are read by the one reader and
compared (header, title, Nơi nhận, signer, every body paragraph). Every real
clerk's file of ../shared/real-docx is imported through the command, its YAML
validated and rendered, and the share of its words kept in order measured.
"""

from __future__ import annotations

import io
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
from tests.conftest import EXAMPLES, MINIMAL, SHARED
from tests.docx_facts import Docx

IMPORT = [sys.executable, "-c", "from baocao.cli import main; main()", "import"]
REAL = SHARED / "real-docx"

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


TYPED_CODES = {"check_noi_nhan_luu_comma"}
"""Findings of a layout rule on words the clerk typed ("- Lưu: VT. NC.": a full stop
for the comma), kept as typed by import: a re-render reports them where the original
does."""


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


def table_facts(path: Path) -> list[dict[str, Any]]:
    """Each bordered (data) table as read: header rows, every cell's place, spans and text,
    and the columns' shares of the table's width."""
    document = read(path, whole=True)
    lines = [*document.content, *document.tail]
    out = []
    for shape in document.tables:
        if not shape.bordered:
            continue
        texts: dict[tuple[int, int] | None, list[str]] = {}
        for line in lines:
            if line.at.table == shape.number and line.clean:
                texts.setdefault(line.at.cell, []).append(line.clean)
        # A row every cell of which continues a merge from above shows nothing: left out.
        kept = sorted({c.row for c in shape.cells if not c.continued})
        place = {row: n for n, row in enumerate(kept)}
        cells = [
            (
                place[c.row],
                c.column,
                sum(1 for r in range(c.row, c.row + c.rows) if r in place),
                c.columns,
                " ".join(texts.get((c.row, c.index), [])),
            )
            for c in shape.cells
            if not c.continued
        ]
        total = sum(shape.widths)
        widths = [w / total for w in shape.widths]
        out.append(
            {
                "number": shape.number,
                "cells": cells,
                "header_rows": shape.header_rows,
                "widths": widths,
                "landscape": shape.landscape,
            }
        )
    return out


def special_rows(data: Any) -> list[list[str]]:
    """The group, label and TỔNG CỘNG rows of every table of a report's data, by kind."""
    out: list[list[str]] = []
    if isinstance(data, dict):
        spec = data.get("bang")
        if isinstance(spec, dict):
            kinds = [
                "nhom" if "nhom" in row else "cong" for row in spec["dong"] if isinstance(row, dict)
            ]
            out.append(kinds + (["tong_cong"] if spec.get("tong_cong") else []))
        for value in data.values():
            out += special_rows(value)
    elif isinstance(data, list):
        for value in data:
            out += special_rows(value)
    return out


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
    for key in before:
        assert after[key] == before[key], key
    assert recall(words(original), words(again)) >= 0.996
    # Tables come back as tables: the same grid, merged cells, header rows, texts and
    # column widths, and the same group and totals rows in the YAML.
    shown, again_shown = table_facts(original), table_facts(again)
    assert [t["cells"] for t in again_shown] == [t["cells"] for t in shown]
    assert [t["header_rows"] for t in again_shown] == [t["header_rows"] for t in shown]
    assert [t["landscape"] for t in again_shown] == [t["landscape"] for t in shown]
    for one, two in zip(shown, again_shown, strict=True):
        assert max(abs(a - b) for a, b in zip(one["widths"], two["widths"], strict=True)) < 0.01
    wanted = special_rows(baocao.load(example).data)
    assert special_rows(imported.validated.data)[: len(wanted)] == wanted
    assert not any("bảng" in entry for entry in imported.unmapped)


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
        before, after = check(docx.read_bytes()), check(again.read_bytes())
        typed = {
            (r.rule, m.code) for r in before.failed for m in r.problems if m.code in TYPED_CODES
        }
        failed = {
            r.rule for r in after.failed if not all((r.rule, m.code) in typed for m in r.problems)
        }
        original = {result.rule for result in before.failed}
        assert failed <= original & CONTENT_RULES, (docx.name, failed)
    print("\nword recall per real file (kept by part | read straight through):")
    for name in straight:
        print(f"  {by_part[name]:.4f} | {straight[name]:.4f}  {name}")
    assert len(straight) == 20
    assert min(by_part.values()) >= REAL_KEPT, by_part
    assert min(straight.values()) >= REAL_FLOOR, straight
    assert sorted(straight.values())[len(straight) // 2] >= REAL_MEDIAN, straight


REAL_DATA_TABLES = ("01", "05", "16", "17", "18")
"""The real files with bordered data tables (../shared/real-docx/README.md): merged
labels over four columns (01), a two-row header merged down (05), header rows that
repeat (16, 17), group rows I, II (18)."""


@needs_real
@pytest.mark.parametrize("prefix", REAL_DATA_TABLES)
def test_a_real_files_data_tables_come_back_with_their_grid(prefix: str, tmp_path: Path) -> None:
    source = next(REAL.glob(f"{prefix}-*.docx"))
    imported = import_docx(source)
    (tmp_path / "again.yaml").write_text(imported.yaml_text, encoding="utf-8")
    again = build(tmp_path / "again.yaml", tmp_path / "again.docx")
    before, after = table_facts(source), table_facts(again)
    assert before, "a data table to compare"
    as_text = {entry.split(":")[0] for entry in imported.unmapped if entry.startswith("bảng")}
    assert not as_text & {f"bảng {table['number'] + 1}" for table in before}
    grid = [[cell[:4] for cell in table["cells"]] for table in before]
    assert [[cell[:4] for cell in table["cells"]] for table in after] == grid
    texts = [[cell[4] for cell in table["cells"]] for table in before]
    assert [[cell[4] for cell in table["cells"]] for table in after] == texts
    assert all(table["header_rows"] >= 1 for table in after)  # repeated on every page
    assert recall(words(source), words(again)) >= 0.997


HOSTILE = {
    "damaged": "Word",
    "not-word": "Word",
    "folder": "folder",
    "encrypted": "password-protected (encrypted)",
    "zip-bomb": "zip bomb",
    "zip-bomb-parts": "zip bomb",
    "zip-bomb-lying": "Word",
    "xxe": "DOCTYPE",
    "xxe-parameter": "DOCTYPE",
}
"""Each unreadable input, and a word of the English message that must name what is wrong."""

ENCRYPTED = Path(__file__).parent / "data" / "encrypted-008.docx"
"""The render of example 008 encrypted with the password "matkhau" as Word does (ECMA-376
Agile encryption in an OLE compound file), made by msoffcrypto-tool's ``OOXMLFile.encrypt``."""

SECRET = "BÍ-MẬT-KHÔNG-ĐƯỢC-ĐỌC"


def hostile(kind: str, folder: Path, good: Path) -> Path:
    """Write the hostile input ``kind`` in ``folder``; what must not be read goes to secret.txt."""
    from tests.test_check_limits import body, lie_about_size, package

    source = folder / "in.docx"
    big = b"<w:p><w:r><w:t>" + b"a" * (40 * 2**20) + b"</w:t></w:r></w:p>"
    if kind == "damaged":
        source.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "not-word":
        with zipfile.ZipFile(source, "w") as archive:
            archive.writestr("hello.txt", "not a Word document")
    elif kind == "folder":
        source.mkdir()
    elif kind == "encrypted":
        source.write_bytes(ENCRYPTED.read_bytes())
    elif kind == "zip-bomb":  # 40 MB of XML in a file of 40 KB: past MAX_PART
        source.write_bytes(package(body(big)))
    elif kind == "zip-bomb-parts":  # three parts each under MAX_PART, together past MAX_UNPACKED
        spaces = b" " * (30 * 2**20)
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        rels = "".join(
            f'<Relationship Id="r{k}" Target="{k}.xml" Type="{rel}{k}"/>'
            for k in ("styles", "numbering")
        )
        w = b' xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        parts = {
            "word/_rels/document.xml.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships">{rels}</Relationships>'
            ).encode(),
            "word/styles.xml": b"<w:styles" + w + b">" + spaces + b"</w:styles>",
            "word/numbering.xml": b"<w:numbering" + w + b">" + spaces + b"</w:numbering>",
        }
        source.write_bytes(package(body(b"<w:p/>" + spaces), parts))
    elif kind == "zip-bomb-lying":  # the headers claim 1 KB; 40 MB would come out
        source.write_bytes(lie_about_size(package(body(big)), "word/document.xml", 1024))
    else:  # an external entity (or a parameter entity) naming a file beside the input
        secret = folder / "secret.txt"
        secret.write_text(SECRET, encoding="utf-8")
        (folder / "secret.dtd").write_text(
            f'<!ENTITY secret SYSTEM "{secret.as_uri()}">', encoding="utf-8"
        )
        declared = (
            f'<!ENTITY secret SYSTEM "{secret.as_uri()}">'
            if kind == "xxe"
            else f'<!ENTITY % dtd SYSTEM "{(folder / "secret.dtd").as_uri()}"> %dtd;'
        )
        with zipfile.ZipFile(good) as original, zipfile.ZipFile(source, "w") as archive:
            for info in original.infolist():
                data = original.read(info)
                if info.filename == "word/document.xml":
                    head, rest = data.split(b"?>", 1)
                    rest = rest.replace(b"<w:t>", b"<w:t>&secret;", 1)
                    data = head + b"?><!DOCTYPE w:document [" + declared.encode() + b"]>" + rest
                archive.writestr(info, data)
    return source


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_an_unreadable_file_exits_non_zero_and_writes_nothing(kind: str, tmp_path: Path) -> None:
    good = build(EXAMPLES / "008-cong-van-nang-bac-luong-2024.yaml", tmp_path / "g.docx")
    source = hostile(kind, tmp_path, good)
    before = sorted(p.name for p in tmp_path.iterdir())
    target = tmp_path / "out.yaml"
    for command in ("import", "check"):
        for lang in ("vi", "en"):
            done = subprocess.run(
                [*IMPORT[:-1], "--lang", lang, command, str(source)]
                + (["-o", str(target)] if command == "import" else []),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 3, done.stderr
            assert done.stderr.startswith(f"{source}: ")  # located: the file is named
            assert SECRET not in done.stdout + done.stderr
            assert not target.exists()
            assert sorted(p.name for p in tmp_path.iterdir()) == before  # no YAML, no pictures
            if lang == "en":
                assert HOSTILE[kind] in done.stderr, done.stderr


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
    source = REAL / "05-quyet-dinh-dia-ban-ma-tuy-2025.docx"
    if not source.exists():
        pytest.skip("../shared/real-docx is not beside")
    imported = import_docx(source)
    assert 'loai_van_ban: "quyet-dinh"' in imported.yaml_text
    assert "# không nhận ra sau phần ký" in imported.yaml_text  # the list after the signer


def test_a_type_with_no_bundle_comes_in_as_a_bao_cao_and_the_yaml_says_so(tmp_path: Path) -> None:
    rendered = baocao.render(baocao.validate(baocao.load(MINIMAL)))
    source = tmp_path / "chi-thi.docx"
    with zipfile.ZipFile(io.BytesIO(rendered)) as given, zipfile.ZipFile(source, "w") as out:
        for item in given.infolist():
            data = given.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("BÁO CÁO".encode(), "CHỈ THỊ".encode())
            out.writestr(item, data)
    imported = import_docx(source)
    assert 'loai_van_ban: "bao-cao"' in imported.yaml_text
    assert "# không nhận ra loại văn bản" in imported.yaml_text
    assert any(entry.startswith("loại văn bản") for entry in imported.unmapped)


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
    assert read(original).tables == ()
    whole = read(original, whole=True)
    assert (
        whole.content and whole.head and whole.content[0].at.paragraph > whole.head[-1].at.paragraph
    )


DECISIONS = sorted(p.name for p in REAL.glob("0[1-5]-quyet-dinh-*.docx")) if REAL.is_dir() else []


@needs_real
@pytest.mark.parametrize("name", DECISIONS)
def test_a_real_decision_imports_as_one_and_renders_back(name: str, tmp_path: Path) -> None:
    source = REAL / name
    imported = import_docx(source)
    data = imported.validated.data
    assert imported.validated.template.name == "quyet-dinh"
    assert data["tham_quyen"].isupper()  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" or the collective
    assert data["can_cu"] and all(line.startswith("Căn cứ") for line in data["can_cu"])
    assert not data["can_cu"][-1].endswith((";", "."))  # layout punctuates them again
    assert data["theo_de_nghi"][:1].isupper() and not data["theo_de_nghi"].endswith(".")
    assert "QUYẾT ĐỊNH:" not in imported.yaml_text  # the bundle prints it
    assert all(isinstance(item, dict) for item in data["noi_dung"])  # every item an article
    (tmp_path / "again.yaml").write_text(imported.yaml_text, encoding="utf-8")
    again = build(tmp_path / "again.yaml", tmp_path / "again.docx")

    def articles(path: Path) -> list[str]:
        texts = "\n".join(p.text.strip() for p in Docx.open(path).paragraphs)
        return re.findall(r"(?m)^Điều \d+\.", texts)

    assert articles(again) == articles(source)
    assert recall(words(source), words(again)) >= 0.99
    # every rule passes but for the clerk's own words kept as typed ("Lưu: VT. …")
    left = {m.code for r in check(again).failed for m in r.problems}
    assert left <= TYPED_CODES & {m.code for r in check(source).failed for m in r.problems}


def test_an_authority_read_into_the_title_comes_back_as_tham_quyen(tmp_path: Path) -> None:
    """No empty line or rule between the trích yếu and the authority (bold, centred both):
    the title reads on into the authority, and the lines in capitals are taken back."""
    from lxml import etree

    example = EXAMPLES / "011-quyet-dinh-giao-chi-tieu-cchc-gia-lai-2026.yaml"
    rendered = build(example, tmp_path / "qd.docx").read_bytes()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    source = tmp_path / "no-rule.docx"
    with zipfile.ZipFile(io.BytesIO(rendered)) as given, zipfile.ZipFile(source, "w") as out:
        for item in given.infolist():
            data = given.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                paragraphs = list(root.iter(f"{w}p"))
                styles = [
                    "".join(p.xpath("w:pPr/w:pStyle/@w:val", namespaces={"w": w[1:-1]}))
                    for p in paragraphs
                ]
                rule = styles.index("BCGach", styles.index("BCTrichYeu"))
                paragraphs[rule].getparent().remove(paragraphs[rule])
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            out.writestr(item, data)
    data = import_docx(source).validated.data
    assert data["trich_yeu"] == [
        "Về việc giao chỉ tiêu cải cách hành chính năm 2026",
        "cho các sở, ban, ngành và Ủy ban nhân dân các xã, phường",
    ]
    assert data["tham_quyen"] == "ỦY BAN NHÂN DÂN TỈNH GIA LAI"


def test_a_decision_without_its_quyet_dinh_line_keeps_every_word(tmp_path: Path) -> None:
    """No "QUYẾT ĐỊNH:" line: nothing is taken as the preamble; the authority is asked for
    with a comment and the text stays, in order, as paragraphs."""
    example = EXAMPLES / "011-quyet-dinh-giao-chi-tieu-cchc-gia-lai-2026.yaml"
    rendered = build(example, tmp_path / "qd.docx").read_bytes()
    source = tmp_path / "no-line.docx"
    with zipfile.ZipFile(io.BytesIO(rendered)) as given, zipfile.ZipFile(source, "w") as out:
        for item in given.infolist():
            data = given.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("QUYẾT ĐỊNH:".encode(), b"")
            out.writestr(item, data)
    imported = import_docx(source)
    assert imported.validated.template.name == "quyet-dinh"
    assert "# không nhận ra thẩm quyền ban hành: không tìm thấy; điền vào" in imported.yaml_text
    (tmp_path / "again.yaml").write_text(imported.yaml_text, encoding="utf-8")
    again = build(tmp_path / "again.yaml", tmp_path / "again.docx")
    assert recall(words(source), words(again)) >= 0.99


def test_a_quyet_dinh_line_typed_without_its_colon_still_ends_the_preamble(
    tmp_path: Path,
) -> None:
    example = EXAMPLES / "011-quyet-dinh-giao-chi-tieu-cchc-gia-lai-2026.yaml"
    rendered = build(example, tmp_path / "qd.docx").read_bytes()
    source = tmp_path / "no-colon.docx"
    with zipfile.ZipFile(io.BytesIO(rendered)) as given, zipfile.ZipFile(source, "w") as out:
        for item in given.infolist():
            data = given.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("QUYẾT ĐỊNH:".encode(), "QUYẾT ĐỊNH".encode())
            out.writestr(item, data)
    data = import_docx(source).validated.data
    assert data["tham_quyen"] == "ỦY BAN NHÂN DÂN TỈNH GIA LAI"
    assert [item.get("noi_dung", [""])[0][:16] for item in data["noi_dung"]] == [
        "Giao chỉ tiêu cả",
        "Trách nhiệm thực",
        "Quyết định này c",
        "Chánh Văn phòng ",
    ]


def test_a_kinh_gui_line_in_a_decision_stays_text(tmp_path: Path) -> None:
    """A quyết định has no Kính gửi: a stray one is kept as a line, and the YAML validates."""
    example = EXAMPLES / "011-quyet-dinh-giao-chi-tieu-cchc-gia-lai-2026.yaml"
    rendered = build(example, tmp_path / "qd.docx").read_bytes()
    source = tmp_path / "kinh-gui.docx"
    decision_line = "QUYẾT ĐỊNH:</w:t>"
    with zipfile.ZipFile(io.BytesIO(rendered)) as given, zipfile.ZipFile(source, "w") as out:
        for item in given.infolist():
            data = given.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                at = text.index("<w:p>", text.index(decision_line))
                line = '<w:p><w:r><w:t xml:space="preserve">Kính gửi: Sở Nội vụ</w:t></w:r></w:p>'
                data = (text[:at] + line + text[at:]).encode()
            out.writestr(item, data)
    imported = import_docx(source)
    assert "kinh_gui" not in imported.validated.data
    assert imported.validated.data["noi_dung"][0] == "Kính gửi: Sở Nội vụ"


def test_the_reader_places_merged_cells_on_the_grid(tmp_path: Path) -> None:
    # 004's header: STT and Lĩnh vực merged down three rows, "Số lượng hồ sơ tiếp nhận"
    # over four columns, "Trong kỳ" over two; four rows repeat on each page (with so_cot).
    original = build(
        EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml", tmp_path / "a.docx"
    )
    table = next(t for t in read(original, whole=True).tables if len(t.widths) == 13)
    assert table.bordered and table.header_rows == 4 and table.rows == 10
    tops = {(c.row, c.column): (c.rows, c.columns) for c in table.cells if not c.continued}
    assert tops[(0, 0)] == (3, 1) and tops[(0, 1)] == (3, 1) and tops[(0, 2)] == (1, 4)
    assert tops[(1, 3)] == (1, 2) and tops[(2, 3)] == (1, 1) and tops[(2, 4)] == (1, 1)
    under = [c for c in table.cells if c.continued and c.column == 0]
    assert [(c.row, c.index) for c in under] == [(1, 0), (2, 0)]
    assert sum(table.widths) > 0 and len(table.widths) == 13


@needs_real
def test_the_reader_starts_a_row_after_its_grid_before() -> None:
    # 06's header grid: the first row starts one column in (w:gridBefore), a layout table.
    document = read(REAL / "06-cong-van-trien-khai-3653-vpcp.docx", whole=True)
    header = document.tables[0]
    assert not header.bordered
    first = [c for c in header.cells if c.row == 0]
    assert first[0].column >= 1 and first[0].index == 0


def _report_with(tmp_path: Path, table: dict[str, Any]) -> Path:
    data = baocao.load(EXAMPLES / "010-ke-hoach-nang-cao-chi-so-cchc-gia-lai-2026.yaml").data
    data.pop("phu_luc", None)
    data["noi_dung"] = ["Kết quả như sau:", {"bang": table}, "Đề nghị các đơn vị theo dõi."]
    (tmp_path / "in.yaml").write_text(dump(data), encoding="utf-8")
    return build(tmp_path / "in.yaml", tmp_path / "in.docx")


def _table_of(imported: Any) -> dict[str, Any]:
    found = [b["bang"] for b in imported.validated.data["noi_dung"] if isinstance(b, dict)]
    assert len(found) == 1, imported.yaml_text
    table: dict[str, Any] = found[0]
    return table


def test_a_total_that_adds_up_stays_checked(tmp_path: Path) -> None:
    table = {
        "cot": ["STT", "Đơn vị", "Số hồ sơ", "Đúng hạn"],
        "dong": [
            {"nhom": "Cấp tỉnh"},
            [1, "Sở Nội vụ", 1416, 1400],
            [2, "Sở Tư pháp", 320, 310],
            {"cong": True},
            {"nhom": "Cấp xã"},
            [3, "Xã Đắk Song", 12, 12],
            [4, "Xã Tân Thành", 8, 6],
            {"cong": True, "nhan": "Bình quân", "phep_tinh": "trung_binh"},
        ],
        "tong_cong": True,
    }
    imported = import_docx(_report_with(tmp_path, table))
    again = _table_of(imported)
    assert again["tong_cong"] == [1756, 1728]  # as printed, checked by the rules
    rows = again["dong"]
    assert rows[0] == {"nhom": "Cấp tỉnh"} and rows[1] == [1, "Sở Nội vụ", 1416, 1400]
    assert rows[3] == {"cong": [1736, 1710]}  # "Cộng" is the default label
    assert rows[7] == {"nhan": "Bình quân", "cong": [10, 9], "phep_tinh": "trung_binh"}
    assert "kiem_tra" not in imported.yaml_text


def test_a_total_that_does_not_add_up_is_kept_as_typed_with_a_comment(tmp_path: Path) -> None:
    table = {
        "cot": ["STT", "Đơn vị", "Số hồ sơ"],
        "dong": [[1, "Sở Nội vụ", 10], [2, "Sở Tư pháp", 5]],
        "tong_cong": {"cong": [16], "kiem_tra": False},
    }
    imported = import_docx(_report_with(tmp_path, table))
    again = _table_of(imported)
    assert again["tong_cong"] == {"nhan": "TỔNG CỘNG", "cong": [16], "kiem_tra": False}
    lines = imported.yaml_text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "tong_cong:")
    comment = lines[at - 1].strip()
    assert comment.startswith("# bảng") and "dòng “TỔNG CỘNG”: các số không khớp" in comment
    assert baocao.validate(baocao.load(imported.yaml_text)).data  # and it renders as typed


def test_a_borderless_layout_table_is_left_as_it_was(tmp_path: Path) -> None:
    # 004's appendix signers stand in a borderless table: not a data table, no bang with
    # merged cells is made of it (its handling is the signers' own).
    original = build(
        EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml", tmp_path / "a.docx"
    )
    document = read(original, whole=True)
    layout = [t for t in document.tables if not t.bordered]
    assert layout and all(len(t.widths) == 2 for t in layout)
    text = import_docx(original).yaml_text
    assert "tieu_de_cot" in text and text.count("tieu_de_cot") == 1
