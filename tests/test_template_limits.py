"""A clerk's own template is a program: whatever it does, a clean message, in seconds, no file.

Issue 15, items 3, 11 and 15: raw XML, include, 1/0, a recursive macro, huge
ranges and numbers, endless loops, gigabyte strings and zip bombs each end in
a template error (exit 5) naming the paragraph, within 5 s, with no file
written and no process left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import baocao
from baocao.cli import make_cli
from baocao.docx import package
from tests.conftest import EXAMPLES, MINIMAL, RENDER
from tests.procs import processes, state
from tests.test_custom_templates import LETTERHEAD, letterhead

PARAGRAPH = 10
"""Where a case lands in ``letterhead``: its heading, the 8 LETTERHEAD paragraphs, then the case."""


def children() -> set[int]:
    """The processes whose parent is this one (zombies included: they are not reaped)."""
    return set(_children_of(os.getpid()))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bc.yaml").write_text(MINIMAL, encoding="utf-8")
    return tmp_path


def render(folder: Path, template: Path, lang: str = "vi") -> tuple[int, str, float]:
    """``baocao render bc.yaml -o bc.docx -t template``: exit code, output, seconds."""
    before = children()
    started = time.monotonic()
    result = CliRunner().invoke(
        make_cli(lang), ["render", "bc.yaml", "-o", "bc.docx", "-t", str(template)]
    )
    seconds = time.monotonic() - started
    assert children() == before, "a process was left behind"
    assert not (folder / "bc.docx").exists()
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    return result.exit_code, result.output, seconds


CASES = {
    "raw XML": (
        "{{ '<w:p' | safe }}",
        "thẻ tạo ra mã Word hỏng (not well-formed (invalid token)); "
        "mẫu không được chèn mã XML thô, hãy bỏ bộ lọc safe",
    ),
    "raw XML found only at the end": (
        "{{ '<!--' | safe }}",
        "thẻ tạo ra mã Word hỏng (unclosed token); "
        "mẫu không được chèn mã XML thô, hãy bỏ bộ lọc safe",
    ),
    "include": (
        "{% include 'mau-khac.docx' %}",
        "mẫu không được dùng include, import hay extends: "
        "một mẫu là một tệp, không đọc được tệp khác",
    ),
    "division by zero": ("{{ 1/0 }}", "division by zero"),
    "recursive macro": (
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "macro gọi lại chính nó quá nhiều lần",
    ),
    "huge range": (
        "{% for i in range(10**12) %}{% endfor %}",
        "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
    ),
    "huge number as text": ("{{ (10**5000)|string }}", "số quá lớn để viết ra (hơn 4300 chữ số)"),
    "nested loops": (
        "{% for a in range(99999) %}{% for b in range(99999) %}x{% endfor %}{% endfor %}",
        "mẫu chạy quá 2 giây mà chưa xong (vòng lặp quá lớn?)",
    ),
    "silent nested loops": (
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
        "mẫu chạy quá 2 giây mà chưa xong (vòng lặp quá lớn?)",
    ),
    "one long computation": (
        "{{ 10**(10**8) }}",
        "mẫu chạy quá 2 giây mà chưa xong (vòng lặp quá lớn?)",
    ),
    "a gigabyte string, folded at compile time before": (
        "{{ 'x'|center(999999999) }}",
        "mẫu cần hơn 512 MB bộ nhớ (chuỗi hay danh sách quá lớn?)",
    ),
    "100 MB text node": (
        "{{ 'x' * 100000000 }}",
        "mẫu tạo ra hơn 32 MB chữ (vòng lặp hay chuỗi quá lớn?)",
    ),
    "autoescape turned off": (
        "{% autoescape false %}{{ co_quan_ban_hanh }}{% endautoescape %}",
        "mẫu không được dùng thẻ autoescape: chữ trong báo cáo luôn được in đúng như gõ",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_template_that_misbehaves_gets_a_clean_message(
    folder: Path, case: tuple[str, str]
) -> None:
    tag, problem = case
    template = letterhead(folder / "mau.docx", [*LETTERHEAD, tag])
    code, output, seconds = render(folder, template)
    excerpt = " ".join(tag.split())[:60]
    assert output == f"mẫu “mau.docx” có lỗi ở đoạn thứ {PARAGRAPH} (“{excerpt}”): {problem}\n"
    assert code == 5
    assert seconds < 5


GROWING = (
    "{% set kho = [] %}{% for a in range(99999) %}{% for b in range(99999) %}"
    "{{ kho.append('x' * 1000000) or '' }}{% endfor %}{% endfor %}"
)
"""A template that grows 1 MB a step, without end."""
OUT_OF_MEMORY = "mẫu cần hơn 512 MB bộ nhớ (chuỗi hay danh sách quá lớn?)"
OUT_OF_TIME = "mẫu chạy quá 2 giây mà chưa xong (vòng lặp quá lớn?)"


def test_a_template_that_grows_memory_is_stopped_by_one_limit_or_the_other(folder: Path) -> None:
    """Growing memory meets the 512 MB cap, or the 2 s CPU alarm first where fresh memory
    costs much CPU. On our CI's VM a page the machine never used costs several times one it
    used and freed (2.2–2.8 s of system time a GB against 0.7): this template, rendered from
    a process that had just filled 1.3 GB, spent 2.13 s of system time and met the alarm,
    then 1.19 and 0.44 s on the next two (2026-12-08); CI once met the alarm first so. Either
    is the clean message. That the cap itself holds is the gigabyte string's case."""
    template = letterhead(folder / "mau.docx", [*LETTERHEAD, GROWING])
    code, output, seconds = render(folder, template)
    excerpt = " ".join(GROWING.split())[:60]
    said = f"mẫu “mau.docx” có lỗi ở đoạn thứ {PARAGRAPH} (“{excerpt}”): "
    assert output in (said + OUT_OF_MEMORY + "\n", said + OUT_OF_TIME + "\n")
    assert code == 5
    assert seconds < 5


def test_the_limits_are_said_in_english_too(folder: Path) -> None:
    tag = CASES["nested loops"][0]
    template = letterhead(folder / "mau.docx", [*LETTERHEAD, tag])
    code, output, _ = render(folder, template, "en")
    assert code == 5
    assert output.endswith(
        "the template ran for more than 2 seconds without finishing (a loop too large?)\n"
    )


def test_a_raw_xml_fault_is_found_in_a_table_cell_too(folder: Path) -> None:
    template = letterhead(folder / "mau.docx", LETTERHEAD, cell="{{ '</w:t>' | safe }}")
    code, output, _ = render(folder, template)
    assert code == 5
    assert "có lỗi ở ô bảng ở đoạn thứ" in output
    assert output.startswith(
        "mẫu “mau.docx” có lỗi ở ô bảng ở đoạn thứ 10 (“{{ '</w:t>' | safe }}”): "
    )
    assert "thẻ tạo ra mã Word hỏng (mismatched tag)" in output


def test_well_formed_markup_through_safe_is_still_written(folder: Path) -> None:
    """The check refuses broken XML, not the filter: a clerk's own run of bold text is kept."""
    tag = "{{ '</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>đậm' | safe }}"
    template = letterhead(folder / "mau.docx", [*LETTERHEAD, tag])
    result = CliRunner().invoke(make_cli("vi"), ["render", "bc.yaml", "-t", str(template)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(folder / "bc.docx") as written:
        assert "<w:b/></w:rPr><w:t>đậm</w:t>" in written.read("word/document.xml").decode()


def _zip(path: Path, members: dict[str, bytes], base: Path) -> Path:
    """A copy of the template ``base`` with ``members`` added."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        for name, data in members.items():
            out.writestr(name, data)
    return path


def test_a_template_that_unpacks_to_gigabytes_is_refused_before_it_is_inflated(
    folder: Path,
) -> None:
    base = letterhead(folder / "goc.docx", LETTERHEAD)
    bomb = _zip(folder / "mau.docx", {"word/media/a.bin": bytes(70 * 2**20)}, base)
    assert bomb.stat().st_size < 200_000
    code, output, seconds = render(folder, bomb)
    assert output == (
        "mẫu “mau.docx” khi giải nén lớn hơn 64 MB (mẫu tiêu đề bình thường chưa tới 1 MB); "
        "hãy bỏ bớt hình lớn hoặc làm lại mẫu từ mẫu gốc\n"
    )
    assert code == 5
    assert seconds < 1


def test_a_part_that_inflates_too_much_is_refused(folder: Path) -> None:
    base = letterhead(folder / "goc.docx", LETTERHEAD)
    bomb = _zip(folder / "mau.docx", {"word/media/a.bin": bytes(8 * 2**20)}, base)
    code, output, _ = render(folder, bomb)
    assert code == 5
    assert output.startswith("mẫu “mau.docx” có phần word/media/a.bin nén bất thường")


def test_a_template_with_too_many_parts_is_refused(folder: Path) -> None:
    base = letterhead(folder / "goc.docx", LETTERHEAD)
    many = _zip(folder / "mau.docx", {f"customXml/{n}.xml": b"<a/>" for n in range(1000)}, base)
    code, output, _ = render(folder, many)
    assert code == 5
    assert output.startswith(
        "mẫu “mau.docx” có 1017 phần bên trong, quá giới hạn 1000 (tệp Word bình thường có vài chục phần)"
    )


def test_a_size_header_that_lies_is_read_no_further(folder: Path) -> None:
    """A part declared 1,000 bytes that would inflate to 4 MB: zipfile stops at 1,000, CRC fails."""
    base = letterhead(folder / "goc.docx", LETTERHEAD)
    liar = _zip(folder / "mau.docx", {"word/media/a.bin": bytes(4 * 2**20)}, base)
    data = bytearray(liar.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last member's entry in the central directory
    assert data[central + 46 : central + 46 + 16] == b"word/media/a.bin"
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # its uncompressed size
    liar.write_bytes(bytes(data))
    code, output, seconds = render(folder, liar)
    assert code == 5
    assert output == "mẫu văn bản “mau.docx” bị hỏng: Bad CRC-32 for file 'word/media/a.bin'\n"
    assert seconds < 1


def test_a_huge_story_part_is_refused_before_it_is_prepared(folder: Path) -> None:
    varied = " ".join(f"{n * 7919 % 1000003:x}" for n in range(1_600_000))  # packs like prose
    template = letterhead(folder / "mau.docx", [*LETTERHEAD, varied])
    code, output, seconds = render(folder, template)
    assert code == 5
    assert output.startswith("phần word/document.xml của mẫu “mau.docx” lớn hơn 2 MB")
    assert seconds < 5


def test_a_template_too_long_to_compile_is_stopped(folder: Path) -> None:
    """Jinja's compiler takes seconds over 45,000 tags: it runs in the budgeted child as well."""
    busy = ["{% if 1 %}x{% endif %}" * 50] * 900
    template = letterhead(folder / "mau.docx", [*LETTERHEAD, *busy])
    code, output, seconds = render(folder, template)
    assert output == (
        "mẫu “mau.docx” không chạy xong: mẫu chạy quá 2 giây mà chưa xong (vòng lặp quá lớn?); "
        "chưa tạo tệp\n"
    )
    assert code == 5
    assert seconds < 5


def test_package_limits_hold_for_the_shipped_templates() -> None:
    for docx in Path(baocao.bundle.templates_root()).glob("*/template.docx"):
        parts = package.read(docx, docx.stat().st_mtime)
        assert sum(map(len, parts.data.values())) < package.MAX_UNPACKED // 100


def test_shipped_templates_render_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch renders ~300 reports a second: no child process for the shipped templates."""

    def no_fork() -> int:
        raise AssertionError("a shipped template forked a child")

    monkeypatch.setattr(os, "fork", no_fork)
    source = baocao.load(EXAMPLES / "000-pci-quang-nam-2021.yaml")
    assert baocao.render(baocao.validate(source)).startswith(b"PK")


def test_the_child_dies_with_the_render_it_works_for(folder: Path) -> None:
    """SIGKILL to `baocao render` while a template loops: its child goes too, at once."""
    tag = CASES["nested loops"][0]
    letterhead(folder / "mau.docx", [*LETTERHEAD, tag])
    parent = subprocess.Popen(
        [*RENDER, "bc.yaml", "-t", "mau.docx"], cwd=folder, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 4
        child = None
        while child is None and time.monotonic() < deadline:
            time.sleep(0.05)
            child = next(iter(_children_of(parent.pid)), None)
        assert child is not None, "the template did not run in a child"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 1
        while Path(f"/proc/{child}").exists() and state(child) != "Z":
            assert time.monotonic() < deadline, "the child outlived its parent"
            time.sleep(0.02)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    assert not (folder / "bc.docx").exists()


def _children_of(pid: int) -> list[int]:
    return [process.pid for process in processes() if process.parent == pid]


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_ctrl_c_during_a_render_leaves_no_child(folder: Path) -> None:
    tag = CASES["silent nested loops"][0]
    letterhead(folder / "mau.docx", [*LETTERHEAD, tag])
    parent = subprocess.Popen(
        [*RENDER, "bc.yaml", "-t", "mau.docx"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 4
    while not _children_of(parent.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = _children_of(parent.pid)
    assert child, "the template did not run in a child"
    parent.send_signal(signal.SIGINT)
    parent.communicate(timeout=5)
    assert state(child[0]) == "gone"
    assert not (folder / "bc.docx").exists()


def _pbkdf2() -> bytes:
    """C code that never looks at signals: only the hard deadline stops it."""
    import hashlib

    return hashlib.pbkdf2_hmac("sha256", b"mau", b"rieng", 10**9)


def test_work_deaf_to_the_alarm_is_killed_at_the_hard_deadline() -> None:
    from baocao import confine

    before = children()
    started = time.monotonic()
    with pytest.raises(confine.Exceeded) as caught:
        confine.run(_pbkdf2, seconds=0.5, memory=64 * 2**20)
    assert caught.value.kind == "time"
    # its CPU limit (2 s of computing), or the parent's wall-clock backstop on a busy machine
    assert 1.4 < time.monotonic() - started < 0.5 * confine.LOADED + confine.GRACE + 0.5
    assert children() == before


def test_the_alarm_counts_computing_not_waiting() -> None:
    """The verdict on a template must not depend on how busy the machine is: the child's
    alarm counts CPU time, so a child that only waits is ended by the parent's wall-clock
    backstop, later (a wall-clock alarm would have stopped it at 0.5 s)."""
    from baocao import confine

    started = time.monotonic()
    with pytest.raises(confine.Exceeded) as caught:
        confine.run(lambda: time.sleep(30), seconds=0.5, memory=64 * 2**20)
    assert caught.value.kind == "time"
    backstop = 0.5 * confine.LOADED + confine.GRACE
    assert backstop - 0.2 < time.monotonic() - started < backstop + 2


def test_work_past_its_memory_gets_a_memory_error_in_the_child() -> None:
    from baocao import confine

    with pytest.raises(MemoryError):
        confine.run(lambda: len(bytearray(2**30)), seconds=2, memory=256 * 2**20)
    assert confine.run(lambda: len(bytearray(2**20)), seconds=2, memory=256 * 2**20) == 2**20
