"""A shipped template's document goes to the zip in pieces, never as one string, same bytes.

``rendering`` streams the body and the appendices (``write.streamed``) through
the template's shell into the compressor; the whole-string path
(``streamed=False``) is what it replaced, and what a clerk's own template
still takes. Both are run here on the same report, with the clock fixed, and
the whole .docx files compared byte for byte.
"""

from __future__ import annotations

import copy
import datetime as dt
import gc
import inspect
import io
import random
import shutil
import threading
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import baocao
from baocao import body, bundle, layout, model, rendering
from baocao.docx import package
from tests.conftest import EXAMPLES, MINIMAL, with_changes
from tests.test_model import laid_out


class _Fixed(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Fixed:
        return cls(2026, 12, 7, 9, 30, 12, tzinfo=tz)


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The zip's timestamps and core.xml's: the only bytes that differ between two renders."""
    monkeypatch.setattr(package, "datetime", _Fixed)
    monkeypatch.setattr(rendering, "datetime", _Fixed)


def both_ways(validated: baocao.Validated) -> tuple[bytes, bytes]:
    """The .docx streamed (failing if it could not be) and made from whole strings."""
    prepared = rendering._prepare(validated.template, None)
    streamed = rendering._assembled(validated, prepared, None, streamed=True)
    whole = rendering._assembled(validated, prepared, None, streamed=False)
    return streamed, whole


def validated_text(text: str) -> baocao.Validated:
    return baocao.validate(baocao.load(text))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name[:3])
def test_every_example_streamed_is_byte_for_byte_the_whole_strings_document(
    path: Path, fixed_clock: None
) -> None:
    streamed, whole = both_ways(baocao.validate(baocao.load(path)))
    assert streamed == whole
    assert baocao.render(baocao.validate(baocao.load(path))) == streamed


LANDSCAPE_AND_WIDE_HEADER = with_changes(
    co_quan_ban_hanh="BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH DÂN DỤNG VÀ CÔNG NGHIỆP",
    noi_dung="""
  - Trước bảng.
  - bang:
      ngang: true
      cot: [STT, Chỉ tiêu, "Năm 2024", "Năm 2025", "Năm 2026", "Năm 2027", "Năm 2028"]
      dong:
        - [1, Hồ sơ tiếp nhận, 10, 20, 30, 40, 50]
        - [2, Hồ sơ giải quyết, 9, 19, 29, 39, 49]
  - Giữa hai bảng.
  - bang:
      ngang: true
      cot: [STT, Chỉ tiêu, Số]
      dong:
        - [1, Hồ sơ, 10]
  - Sau bảng.
phu_luc:
  - tieu_de: Phụ lục một
    noi_dung:
      - Nội dung phụ lục.
  - tieu_de: Phụ lục hai
    ngang: true
    noi_dung:
      - Nội dung phụ lục hai.""",
)


def test_section_breaks_header_columns_and_appendices_stream_the_same(fixed_clock: None) -> None:
    validated = validated_text(LANDSCAPE_AND_WIDE_HEADER)
    streamed, whole = both_ways(validated)
    assert streamed == whole
    document = zipfile.ZipFile(io.BytesIO(streamed)).read("word/document.xml").decode()
    # Each landscape table opens and closes its pages (4), 2 appendices, the end.
    assert document.count("<w:sectPr") == 7
    grid = '<w:gridCol w:w="{}"/><w:gridCol w:w="{}"/>'
    assert grid.format(layout.HEADER_LEFT, layout.HEADER_RIGHT) not in document  # widened


def test_a_text_only_docxtpls_pass_would_change_is_made_from_the_whole_document(
    fixed_clock: None,
) -> None:
    """A form feed in a paragraph: docxtpl's listing pass turns it into a page break, on the
    whole document; streaming gives way (``_NotStreamed``) and the bytes are the same. The
    loader removes control characters (with a warning), so the text is put in after it."""
    validated = validated_text(MINIMAL)
    validated.data["noi_dung"] = ["Trước\fsau."]
    prepared = rendering._prepare(validated.template, None)
    with pytest.raises(rendering._NotStreamed):
        rendering._assembled(validated, prepared, None, streamed=True)
    whole = rendering._assembled(validated, prepared, None, streamed=False)
    assert baocao.render(validated) == whole
    document = zipfile.ZipFile(io.BytesIO(whole)).read("word/document.xml").decode()
    assert '<w:br w:type="page"/>' in document


def _report(times: int) -> baocao.Validated:
    base = baocao.load(EXAMPLES / "000-pci-quang-nam-2021.yaml").data
    data: dict[str, Any] = copy.deepcopy(base)
    data["noi_dung"] = [block for _ in range(times) for block in copy.deepcopy(base["noi_dung"])]
    return validated_text(yaml.safe_dump(data, allow_unicode=True))


def test_a_long_report_is_rendered_without_its_document_as_one_string() -> None:
    """30× example 000: the render's Python allocations peak under 4× the document part's
    size (its model included); whole strings, copied by each pass, peaked at 9×."""
    validated = _report(30)
    baocao.render(validated)  # the template prepared, the caches warm
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        data = baocao.render(validated)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    assert size > 2**20
    assert peak < 4 * size


def _collector_passes(action: Callable[[], object]) -> list[int]:
    """The generation of each collector pass that ``action`` set off, from a fresh start."""
    passes: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        action()
    finally:
        gc.callbacks.remove(note)
    return passes


def test_no_collector_pass_walks_the_loaded_report_during_a_render() -> None:
    """A render's objects make no cycles; the collector's passes over everything alive were a
    third of a 100× render. 10× example 000 made 7 passes; now at most the one over the young
    objects that the first allocation after the render makes."""
    validated = _report(10)
    passes = _collector_passes(lambda: baocao.render(validated))
    assert passes in ([], [0])


def test_a_clerks_own_template_renders_with_the_collector_running(tmp_path: Path) -> None:
    """Its stories run in a forked child (``confine``), which must not start with the
    collector paused: such a render is made whole, with the collector as it always runs."""
    copy = tmp_path / "mau.docx"
    shutil.copyfile(bundle.find("bao-cao").docx, copy)
    report = _report(10)
    validated = baocao.validate(report.source, bundle.custom(copy, base="bao-cao"))
    baocao.render(validated)  # the template prepared
    passes = _collector_passes(lambda: baocao.render(validated))
    assert len(passes) >= 2


def test_the_collector_is_back_as_it_was_after_renders_in_threads_and_errors() -> None:
    validated = validated_text(MINIMAL)
    assert gc.isenabled()
    workers = [threading.Thread(target=baocao.render, args=(validated,)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert gc.isenabled()
    broken = validated_text(MINIMAL)
    broken.data["nguoi_ky"] = None  # fails inside layout
    with pytest.raises(AttributeError):
        baocao.render(broken)
    assert gc.isenabled()
    gc.disable()
    try:
        baocao.render(validated)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_a_part_deflated_piece_by_piece_in_a_thread_is_the_part_deflated_whole() -> None:
    """zlib's output does not depend on how its input is cut, nor on which thread packs it."""
    rng = random.Random(20)
    words = ["<w:p>", "Sở", "Thông tin", "và", "Truyền thông", "</w:p>", "1.234", "xã"]
    data = " ".join(rng.choice(words) for _ in range(400_000)).encode("utf-8")
    assert len(data) > 4 * package.Deflater.HANDOFF + package.Deflater.ALONE
    with package.Deflater() as deflater:
        at = 0
        while at < len(data):
            step = rng.choice((1, 100, 5000, 70_000, 300_000))
            deflater.add(data[at : at + step])
            at += step
        assert deflater._worker is not None  # past ALONE: its own thread
        packed = deflater.packed()
    crc, whole = package._packed(data)
    assert packed == package.Packed(crc, whole, len(data))
    assert not [t for t in threading.enumerate() if t.name == "deflate"]


def test_the_compressor_thread_ends_when_the_writing_fails() -> None:
    with pytest.raises(RuntimeError), package.Deflater() as deflater:
        deflater.add(bytes(package.Deflater.ALONE + 1))
        assert deflater._worker is not None
        raise RuntimeError("the writer failed")
    assert not [t for t in threading.enumerate() if t.name == "deflate"]


def test_keeping_the_end_with_the_closing_as_blocks_come_is_keeping_it_on_the_whole() -> None:
    """``body.kept_with_closing`` holds back only what ``keep_with_closing`` may change."""
    table = model.Table(
        (100,), (model.Row((model.Cell((model.Paragraph("S", (model.Run("1"),)),)),)),)
    )
    kinds = [
        model.Paragraph("S", (model.Run("chữ"),)),
        model.Paragraph("S"),  # the empty paragraph after a table
        table,
        model.Rule(10),
        model.PageBreak(),
        model.SectionBreak(model.Section()),
    ]
    rng = random.Random(30)
    for _ in range(3000):
        blocks = tuple(rng.choice(kinds) for _ in range(rng.randrange(0, 7)))
        assert tuple(body.kept_with_closing(iter(blocks))) == body.keep_with_closing(blocks)


def test_a_long_body_is_laid_out_as_it_is_written() -> None:
    """The body's blocks come from layout one by one: none is laid out before it is taken."""
    validated = _report(3)
    laid = layout.streamed_document(
        validated.data,
        validated.template,
        Path.cwd(),
        models=validated.tables,
        notes=validated.footnotes,
        dates=validated.dates,
    )
    assert laid.document.body == ()
    assert inspect.getgeneratorstate(laid.body) == inspect.GEN_CREATED  # nothing laid out yet
    first = next(laid.body)
    rest = list(laid.body)
    whole = laid_out(validated)
    assert (first, *rest) == whole.body
    assert laid.sections == whole.sections
