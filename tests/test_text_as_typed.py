"""What the clerk typed reaches the page as typed, and every XML part stays XML.

Issue 15, items 1 and 4: a picture named ``R&D.png`` gave a .docx whose
document.xml was not XML (exit 0, "Đã tạo"), and ``__KH2021__``, ``_ABC_``,
``__init__.py`` lost their underscores to Markdown emphasis although the
guide promises that only ``**…**`` and ``*…*`` are markup. The writer now
escapes every value with one function (``ooxml.escape_text``) and the inline
parser knows only asterisks.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import string
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import baocao
from baocao.source import Source
from tests.conftest import EXAMPLES, MINIMAL, RENDER
from tests.docx_facts import NS, q
from tests.test_marks import png

PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"


def every_part_parses(docx: bytes) -> dict[str, etree._Element]:
    """Parse every XML part of a .docx; fail naming the part that is not XML."""
    parsed = {}
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                try:
                    parsed[name] = etree.fromstring(package.read(name))
                except etree.XMLSyntaxError as err:
                    pytest.fail(f"{name} is not XML: {err}")
    return parsed


def body_runs(docx: bytes) -> list[list[tuple[str, bool, bool]]]:
    """Each BCNoiDung paragraph as its runs: (text, bold, italic)."""
    document = every_part_parses(docx)["word/document.xml"]
    out = []
    for paragraph in document.iter(q("w:p")):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        if style is None or style.get(q("w:val")) != "BCNoiDung":
            continue
        out.append(
            [
                (
                    "".join(t.text or "" for t in run.iter(q("w:t"))),
                    run.find("w:rPr/w:b", NS) is not None,
                    run.find("w:rPr/w:i", NS) is not None,
                )
                for run in paragraph.findall("w:r", NS)
            ]
        )
    return out


def render_body(*blocks: Any) -> bytes:
    data = baocao.load(MINIMAL).data
    data["noi_dung"] = [*blocks, "Kết thúc."]
    return baocao.render(baocao.validate(data))


def printed(text: str) -> str:
    """The first body paragraph's text as Word shows it; fails on any emphasis."""
    runs = body_runs(render_body(text))[0]
    assert not any(bold or italic for _, bold, italic in runs), runs
    return "".join(text for text, _, _ in runs)


# -- item 4: only ** and * are markup --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "__KH2021__",
        "_ABC_",
        "__init__.py",
        "Kế hoạch số KH_2021_05 của Sở",
        "Tệp bao_cao__quy_1__2021.docx",
        r"Đường dẫn \_ và \\ và C:\Thu_muc\bao_cao",
        r"\*không phải nhấn mạnh",
        "___ ba gạch dưới ___",
        "Email: nguyen_van_a@quangnam.gov.vn",
        "Ký hiệu `mã` # [1] <b> & </b>",
        "_",
        "\\",
    ],
)
def test_every_character_but_the_asterisk_prints_as_typed(text: str) -> None:
    assert printed(text) == text


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("**KH_2021** đã xong", [("KH_2021", True, False), (" đã xong", False, False)]),
        (
            "Tệp *__init__.py* mới",
            [("Tệp ", False, False), ("__init__.py", False, True), (" mới", False, False)],
        ),
        (r"**a\_b** và _c_", [(r"a\_b", True, False), (" và _c_", False, False)]),
        ("2 * 3 = 6", [("2 * 3 = 6", False, False)]),
    ],
)
def test_asterisks_still_make_bold_and_italic_around_underscores(
    text: str, runs: list[tuple[str, bool, bool]]
) -> None:
    assert body_runs(render_body(text))[0] == runs


PIECES = ["_", "__", "\\", "\\_", "`", "#", "[", "]", "<", ">", "&", " ", "KH", "init", ".py"]
TYPED = (
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.sampled_from([*string.ascii_letters, "Sở", "đ"])),
        min_size=1,
    )
    .map("".join)
    .filter(lambda s: s.strip() == s and s)
)
"""Letters, ``_``, ``\\``, `````, ``#``, ``[``, ``]``, ``<``, ``>``, ``&``: anything but ``*``."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TYPED)
def test_any_text_without_an_asterisk_prints_exactly_as_typed(text: str) -> None:
    assert printed(text) == text


# -- item 1: names with XML's characters ---------------------------------------------

NASTY_NAMES = ["R&D.png", 'bieu "do".png', "a<b>.png", "it's.png", "R&D <\"1\"> 'x' & y.png"]


@pytest.mark.parametrize("name", NASTY_NAMES)
def test_a_picture_named_with_xml_characters_gives_a_well_formed_docx(
    name: str, tmp_path: Path
) -> None:
    png(tmp_path / name)
    caption = "Hình 1. R&D <tổng hợp> \"năm\" 'mới'"
    report = tmp_path / "bc.yaml"
    report.write_text(
        MINIMAL.replace(
            "  - Nội dung.\n",
            f"  - hinh: {{tep: {json.dumps(name)}, chu_thich: {json.dumps(caption)}}}\n"
            "  - Nội dung.\n",
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [*RENDER, str(report), "-o", str(tmp_path / "bc.docx")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    parts = every_part_parses((tmp_path / "bc.docx").read_bytes())
    document = parts["word/document.xml"]
    assert [e.get("name") for e in document.iter(f"{PIC}cNvPr")] == [name]
    texts = ["".join(p.itertext()) for p in document.iter(q("w:p"))]
    assert caption in texts


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _string_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _string_paths(v, (*path, i))]
    return []


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _free_texts(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The string fields that take any text: the rest are codes, keys or allowed values."""
    free = []
    for path in _string_paths(data):
        trial = copy.deepcopy(data)
        _set(trial, path, ALL_CHARACTERS)
        try:
            baocao.validate(trial)
        except baocao.ValidationFailed:
            continue
        free.append(path)
    return free


ALL_CHARACTERS = "aăđ Ư1&<>\"';_*\\"
XML_TEXT = st.text(st.sampled_from(list(ALL_CHARACTERS)), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s.strip("*") and "**" not in s
)
FILE_NAME = st.text(st.sampled_from(list("aĐ1 &<>\"';_-")), min_size=1, max_size=12).map(
    lambda s: s + ".png"
)
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@functools.cache
def example(name: str) -> tuple[dict[str, Any], tuple[tuple[Any, ...], ...]]:
    """An example's data and its free text fields."""
    data = baocao.load(EXAMPLES / name).data
    return data, tuple(_free_texts(data))


def test_almost_every_text_field_of_the_examples_is_tried() -> None:
    for file in EXAMPLE_FILES:
        report, free = example(file.name)
        assert len(free) >= 0.8 * len(_string_paths(report)), file.name


@pytest.mark.parametrize("file", [file.name for file in EXAMPLE_FILES])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.data(), name=FILE_NAME)
def test_xml_characters_in_every_field_give_a_docx_whose_every_part_parses(
    file: str, drawn: st.DataObject, name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    report, free = example(file)
    texts = drawn.draw(st.lists(XML_TEXT, min_size=len(free), max_size=len(free)))
    folder = tmp_path_factory.mktemp("pictures")
    png(folder / name)
    data = copy.deepcopy(report)
    for path, text in zip(free, texts, strict=True):
        _set(data, path, text)
    data["noi_dung"].append({"hinh": {"tep": name, "chu_thich": texts[0]}})
    docx = baocao.render(baocao.validate(Source(data, base_dir=folder)))
    parts = every_part_parses(docx)
    assert [e.get("name") for e in parts["word/document.xml"].iter(f"{PIC}cNvPr")] == [name]
