"""`baocao check` on hostile and oversized input: a clean refusal, fast, in bounded memory.

Each hostile file is built here, byte by byte, and checked by the real command in
its own process (``run_check``), whose time and peak memory are measured. The
documents that must still pass are rendered by baocao and checked in process;
their sizes were chosen so the code before issue 15 took from 9 s to minutes
(quadratic steps), and the limits sit far above every real document
(../shared/real-docx: at most 0.9 MB of XML, 26,000 elements, 935 paragraphs,
20 levels of nesting).
"""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import baocao
from baocao.check import check
from baocao.docx import read as docxread
from baocao.errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SECONDS = 5.0
"""Every hostile file ends in a clean message within this, start-up included."""
PEAK_MB = 300
"""Peak resident memory allowed to the checking process."""

REPORT = """\
co_quan_chu_quan: UBND TỈNH QUẢNG NAM
co_quan_ban_hanh: SỞ THÔNG TIN VÀ TRUYỀN THÔNG
so_ky_hieu: {so: 12, ky_hieu: STTTT}
dia_danh: Quảng Nam
ngay_ban_hanh: 2021-11-12
trich_yeu: Kết quả công tác năm 2021
noi_dung:
  - tieu_de: Kết quả
    noi_dung:
PARAGRAPHS
noi_nhan: [UBND tỉnh, Sở KHĐT, "Lưu: VT, VP"]
nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
"""

SENTENCE = (
    "Sở Thông tin và Truyền thông đã triển khai xây dựng các kế hoạch liên quan đến "
    "công tác cải cách hành chính của tỉnh, theo nhiệm vụ được phân công (đoạn {n})."
)

# The real command in its own process, reporting its exit code, output, time and peak
# memory: ``RUSAGE_CHILDREN`` of this small parent counts the checking process only.
MEASURE = """\
import json, resource, subprocess, sys, time
started = time.monotonic()
try:
    done = subprocess.run(sys.argv[1:], capture_output=True, text=True, encoding="utf-8", timeout=30)
    code, out, err = done.returncode, done.stdout, done.stderr
except subprocess.TimeoutExpired:  # killed and waited for by subprocess.run
    code, out, err = "timeout", "", ""
print(json.dumps({
    "code": code,
    "out": out,
    "err": err,
    "seconds": time.monotonic() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def run_check(path: Path, *options: str) -> dict[str, object]:
    """``baocao [options] check path`` in its own process: code, out, err, seconds, peak_mb."""
    command = [sys.executable, "-c", "from baocao.cli import main; main()", *options]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command, "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(done.stdout))


def assert_refused(result: dict[str, object], path: Path, message: str) -> None:
    """Exit 3, one line naming the file and the limit, no output, in time and memory."""
    assert result["code"] == 3, result
    assert result["out"] == ""
    assert result["err"] == f"{path}: {message}\n"
    assert float(str(result["seconds"])) < SECONDS, result["seconds"]
    assert float(str(result["peak_mb"])) < PEAK_MB, result["peak_mb"]


@pytest.fixture(scope="module")
def good() -> bytes:
    return baocao.render(
        baocao.validate(baocao.load(REPORT.replace("PARAGRAPHS\n", "      - Một.\n")))
    )


def package(document: bytes, parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx holding ``document`` as its main part, and ``parts`` by name."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr("word/document.xml", document)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def body(inner: bytes) -> bytes:
    return b'<w:document xmlns:w="' + W.encode() + b'"><w:body>' + inner + b"</w:body></w:document>"


def insert(data: bytes, xml: bytes, after: str) -> bytes:
    """``data`` with ``xml`` put in document.xml after the paragraph holding ``after``
    ("" puts it first in the body)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/document.xml":
                if after:
                    at = part.index(b"</w:p>", part.index(after.encode())) + len(b"</w:p>")
                else:
                    at = part.index(b"<w:body>") + len(b"<w:body>")
                part = part[:at] + xml + part[at:]
            archive.writestr(info, part)
    return out.getvalue()


def text(words: str) -> bytes:
    return f'<w:t xml:space="preserve">{words}</w:t>'.encode()


# -- files that are not files -------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO nobody writes to blocked ``open`` for good."""
    fifo = tmp_path / "bao-cao.docx"
    os.mkfifo(fifo)
    result = run_check(fifo)
    assert_refused(
        result,
        fifo,
        "không phải một tệp thường (là ống dẫn, thiết bị hay socket); hãy chỉ tên một tệp .docx",
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_an_endless_device_is_refused_at_once() -> None:
    """``/dev/zero`` has no size and no end: it was read until MemoryError."""
    result = run_check(Path("/dev/zero"), "--lang", "en")
    assert_refused(
        result,
        Path("/dev/zero"),
        "not a regular file (a pipe, a device or a socket); name a .docx file",
    )


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this system")
def test_a_socket_is_refused_as_not_a_file(tmp_path: Path) -> None:
    """Opening a socket failed with "No such device or address": say what it is instead."""
    path = tmp_path / "s.docx"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        with pytest.raises(InputError) as caught:
            check(path)
    assert caught.value.code == "check_not_regular" and caught.value.exit_code == 3


def test_a_file_above_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "to.docx"
    with big.open("wb") as stream:
        stream.truncate(docxread.MAX_FILE + 1)  # sparse: no disk used
    with pytest.raises(InputError) as caught:
        check(big)
    assert caught.value.code == "too_large" and caught.value.exit_code == 3


# -- zip bombs ---------------------------------------------------------------------------------


def test_a_zip_bomb_of_empty_paragraphs_is_refused(tmp_path: Path) -> None:
    """Issue 15: 20 MB of empty paragraphs in a small file took 357 s and 1.7 GB."""
    path = tmp_path / "bom.docx"
    path.write_bytes(package(body(b"<w:p/>" * 3_500_000)))
    assert path.stat().st_size < 100_000
    result = run_check(path)
    assert_refused(
        result,
        path,
        f"tệp có hơn {docxread.MAX_PARAGRAPHS} đoạn (kể cả đoạn trống và ô bảng), nhiều hơn hẳn "
        "mọi văn bản thật (văn bản 57 trang có khoảng 800); chưa kiểm tra",
    )


def test_a_zip_bomb_of_elements_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.docx"
    run = b"<w:r>" + text("x") + b"</w:r>"
    path.write_bytes(package(body(b"<w:p>" + run * 200_000 + b"</w:p>")))
    result = run_check(path, "--lang", "en")
    assert_refused(
        result,
        path,
        f"the file has more than {docxread.MAX_ELEMENTS} XML elements, far more than any real "
        "document (a 57-page one has about 22000); not checked",
    )


@pytest.fixture(scope="module")
def bomb_200mb() -> bytes:
    """A .docx whose document.xml (one long text) inflates to 200 MB, with honest headers."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as stream,
    ):
        stream.write(b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>')
        for _ in range(200):
            stream.write(b"a" * 2**20)
        stream.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def test_a_part_of_200_mb_is_refused_before_inflating(tmp_path: Path, bomb_200mb: bytes) -> None:
    """Issue 15: a 190 MB part hit a 6 GiB memory cap."""
    path = tmp_path / "bom.docx"
    path.write_bytes(bomb_200mb)
    assert path.stat().st_size < 1024 * 1024
    result = run_check(path)
    assert_refused(
        result,
        path,
        f"phần word/document.xml giải nén ra hơn {docxread.MAX_PART // 2**20} MB, lớn hơn nhiều "
        "so với mọi văn bản thật (có thể là tệp nén độc hại); chưa kiểm tra",
    )


def lie_about_size(data: bytes, name: str, claimed: int) -> bytes:
    """``data`` with the inflated size of ``name`` in both zip headers set to ``claimed``."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(encoded)] == encoded:
                out[at + offset : at + offset + 4] = struct.pack("<I", claimed)
            at = out.find(signature, at + 4)
    return bytes(out)


def test_a_zip_header_that_lies_about_the_size_does_not_get_through(
    tmp_path: Path, bomb_200mb: bytes
) -> None:
    """The header says 1 KB; 200 MB would come out. Only what is inflated counts."""
    lying = lie_about_size(bomb_200mb, "word/document.xml", 1024)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("word/document.xml").file_size == 1024
    path = tmp_path / "noi-doi.docx"
    path.write_bytes(lying)
    result = run_check(path)
    assert result["code"] == 3 and result["out"] == "", result
    assert str(result["err"]).startswith(f"{path}: không phải tệp Word .docx đọc được (")
    assert float(str(result["seconds"])) < SECONDS
    assert float(str(result["peak_mb"])) < PEAK_MB


def test_parts_that_together_unpack_past_the_limit_are_refused(tmp_path: Path) -> None:
    """Each part below ``MAX_PART``, the three read at once above ``MAX_UNPACKED``."""
    relationships = "".join(
        f'<Relationship Id="r{kind}" Target="{kind}.xml" Type="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships/{kind}"/>'
        for kind in ("styles", "numbering")
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{relationships}</Relationships>"
    )
    spaces = b" " * (docxread.MAX_PART - 1024)
    namespace = b' xmlns:w="' + W.encode() + b'"'
    path = tmp_path / "bom.docx"
    parts = {
        "word/_rels/document.xml.rels": rels.encode(),
        "word/styles.xml": b"<w:styles" + namespace + b">" + spaces + b"</w:styles>",
        "word/numbering.xml": b"<w:numbering" + namespace + b">" + spaces + b"</w:numbering>",
    }
    path.write_bytes(package(body(b"<w:p/>" + spaces), parts))
    result = run_check(path, "--lang", "en")
    assert_refused(
        result,
        path,
        f"the file's XML parts unpack to more than {docxread.MAX_UNPACKED // 2**20} MB, far more "
        "than any real document (perhaps a zip bomb); not checked",
    )


def test_deep_nesting_is_refused_not_a_crash(good: bytes) -> None:
    """600 nested content controls exhausted Python's stack (exit 1, an internal error)."""
    nested = b"<w:sdt><w:sdtContent>" * 600 + b"<w:r>" + text("x") + b"</w:r>"
    data = insert(good, b"<w:p>" + nested + b"</w:sdtContent></w:sdt>" * 600 + b"</w:p>", "")
    with pytest.raises(InputError) as caught:
        check(data)
    assert caught.value.code == "check_too_deep" and caught.value.exit_code == 3
    assert str(caught.value) == (
        f"<docx>: part word/document.xml nests XML elements more than {docxread.MAX_DEPTH} "
        "levels deep (real documents: about 20); not checked"
    )


def test_a_zip_of_many_files_is_refused_before_reading_its_directory(good: bytes) -> None:
    """450,000 empty files (39 MB) took zipfile 300 MB and 5 s just to list them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        source = zipfile.ZipFile(io.BytesIO(good))
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        for number in range(docxread.MAX_ENTRIES):
            archive.writestr(f"{number:x}", b"")
    with pytest.raises(InputError) as caught:
        check(out.getvalue())
    assert caught.value.code == "check_too_many_entries" and caught.value.exit_code == 3
    assert str(caught.value) == (
        f"<docx>: the zip holds more than {docxread.MAX_ENTRIES} files, far more than any real "
        "document (a few dozen, one more per picture); not checked"
    )


def styles_chained(good: bytes, count: int) -> bytes:
    """``good`` with ``count`` styles each based on the next, and one paragraph per style."""
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/styles.xml":
                chain = b"".join(
                    b'<w:style w:type="paragraph" w:styleId="s%d"><w:basedOn w:val="s%d"/>'
                    b'<w:pPr><w:jc w:val="both"/></w:pPr></w:style>' % (n, n + 1)
                    for n in range(count)
                )
                part = part.replace(b"</w:styles>", chain + b"</w:styles>")
            if info.filename == "word/document.xml":
                paragraphs = b"".join(
                    b'<w:p><w:pPr><w:pStyle w:val="s%d"/></w:pPr><w:r>' % n
                    + text("x")
                    + b"</w:r></w:p>"
                    for n in range(count)
                )
                at = part.rindex(b"<w:sectPr")
                part = part[:at] + paragraphs + part[at:]
            archive.writestr(info, part)
    return out.getvalue()


def test_a_long_chain_of_styles_is_refused(good: bytes) -> None:
    """1,000 chained styles took 10 s: each paragraph walked its own style's chain."""
    with pytest.raises(InputError) as caught:
        check(styles_chained(good, 1000))
    assert caught.value.code == "check_style_chain" and caught.value.exit_code == 3
    assert str(caught.value) == (
        f"<docx>: style s0 is based on a chain of more than {docxread.MAX_STYLE_CHAIN} other "
        "styles (real documents: 2 or 3); not checked"
    )
    seconds, failed = cpu_check(styles_chained(good, docxread.MAX_STYLE_CHAIN - 1))
    assert failed == [] and seconds < 2.0


@pytest.mark.parametrize(
    "damage",
    [
        lambda xml: xml.replace(b"<w:body>", b"<w:body><w:p>", 1),  # not XML
        lambda xml: xml[: len(xml) // 2],  # cut short
        lambda xml: b"",  # empty
    ],
    ids=["bad-xml", "truncated", "empty"],
)
def test_damaged_parts_stay_unreadable_files(good: bytes, damage: Callable[[bytes], bytes]) -> None:
    """Parsed step by step now: a damaged part still ends as ``check_not_docx``."""
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info)
            archive.writestr(info, damage(part) if info.filename == "word/document.xml" else part)
    with pytest.raises(InputError) as caught:
        check(out.getvalue())
    assert caught.value.code == "check_not_docx"


def test_damaged_deflate_data_is_an_unreadable_file(good: bytes) -> None:
    """zlib's own error is not an OSError: it ended as an internal error."""
    source = zipfile.ZipFile(io.BytesIO(good))
    info = source.getinfo("word/document.xml")
    data = bytearray(good)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 64] = bytes(range(64))  # garbage where the deflate stream starts
    with pytest.raises(InputError) as caught:
        check(bytes(data))
    assert caught.value.code == "check_not_docx"


# -- time ------------------------------------------------------------------------------------


def test_a_check_past_its_time_budget_stops_with_a_message(good: bytes) -> None:
    with pytest.raises(InputError) as caught:
        check(good, seconds=0.0)
    assert caught.value.code == "check_too_slow" and caught.value.exit_code == 3
    assert str(caught.value) == (
        "<docx>: the check took more than 0 seconds, far longer than for any real document; "
        "stopped without a result"
    )


def cpu_check(data: bytes) -> tuple[float, list[str]]:
    """Check ``data`` in process: CPU seconds (steady under a loaded machine) and failed rules."""
    started = time.process_time()
    report = check(data)
    return time.process_time() - started, [r.rule for r in report.failed]


def test_2000_paragraphs_of_real_text_pass_quickly() -> None:
    """A legitimately long report: 1.2 s of CPU before issue 15, 0.6 s after."""
    paragraphs = "".join(f'      - "{SENTENCE.format(n=n)}"\n' for n in range(2000))
    data = baocao.render(baocao.validate(baocao.load(REPORT.replace("PARAGRAPHS\n", paragraphs))))
    seconds, failed = cpu_check(data)
    assert failed == []
    assert seconds < 3.0


# Each shape below was quadratic: the docstring gives the CPU time before issue 15.
def test_a_table_of_30000_rows(good: bytes) -> None:
    """18 s for 40,000 rows: each paragraph looked for its table's style among all the rows."""
    rows = b"<w:tbl>" + b"<w:tr><w:tc><w:p/></w:tc></w:tr>" * 30_000 + b"</w:tbl><w:p/>"
    seconds, failed = cpu_check(insert(good, rows, "Một."))
    assert failed == [] and seconds < 4.0


def test_a_paragraph_of_30000_runs(good: bytes) -> None:
    """173 s for 40,000 runs: each run looked for the paragraph's style among all the runs."""
    runs = b"<w:p>" + (b"<w:r>" + text("chữ ") + b"</w:r>") * 30_000 + b"</w:p>"
    seconds, failed = cpu_check(insert(good, runs, "Một."))
    assert failed == ["noi_dung"]  # the new paragraph has no first-line indent
    assert seconds < 4.0


def test_a_line_of_20000_tabs_in_the_header(good: bytes) -> None:
    """52 s: each of its 20,000 cells looked for the run's formatting among all its tabs."""
    tabs = b"<w:p><w:r>" + (b"<w:tab/>" + text("x")) * 20_000 + b"</w:r></w:p>"
    seconds, _ = cpu_check(insert(good, tabs, ""))
    assert seconds < 4.0


def test_a_long_line_of_ngay_in_the_header(good: bytes) -> None:
    """21 s: ``ngày.*tháng.*năm`` backtracks quadratically on "ngày ngày ngày …"."""
    line = b"<w:p><w:r>" + text("ngày " * 60_000) + b"</w:r></w:p>"
    seconds, _ = cpu_check(insert(good, line, ""))
    assert seconds < 4.0


def test_many_rows_under_noi_nhan(good: bytes) -> None:
    """55 s: every row under Nơi nhận's row was matched against every line of the file."""
    row = b"<w:tr><w:tc><w:p><w:r>" + text("- Nơi nhận") + b"</w:r></w:p></w:tc></w:tr>"
    table = (
        b"<w:tbl>" + b"<w:tr><w:tc><w:p><w:r>" + text("Nơi nhận:") + b"</w:r></w:p></w:tc></w:tr>"
    )
    data = insert(good, table + row * 4000 + b"</w:tbl><w:p/>", "Kết quả công tác năm 2021")
    seconds, _ = cpu_check(data)
    assert seconds < 4.0


def test_limits_are_far_above_the_real_documents() -> None:
    """The real Word files of ../shared/real-docx stay far below every limit."""
    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "real-docx"
    files = sorted(folder.glob("*.docx"))
    if not files:
        pytest.skip("no real documents here")
    for path in files:
        with zipfile.ZipFile(path) as archive:
            sizes = [
                info.file_size for info in archive.infolist() if info.filename.endswith(".xml")
            ]
            assert len(archive.infolist()) * 100 < docxread.MAX_ENTRIES, path
        docx = docxread.Docx.open(path)
        assert docx.settings is not None and docx.labels is not None  # numbering read
        docx.notes(), docx.theme_font("minorHAnsi"), docx.story("default")  # the other parts
        assert max(sizes) * 30 < docxread.MAX_PART, path
        assert docx.unpacked * 30 < docxread.MAX_UNPACKED, path
        assert docx.elements * 10 < docxread.MAX_ELEMENTS, path
        assert docx.paragraph_count * 50 < docxread.MAX_PARAGRAPHS, path
