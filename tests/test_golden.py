"""Golden cases: every XML part of each case's .docx, canonicalised, is exactly as recorded.

Two renders differ in zip timestamps and file ids, never in their parts; a
change to the output must come with `python tests/golden/update.py` and a
reviewed diff of tests/golden/expected/.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import baocao
from tests.conftest import EXAMPLES, TEMPLATES, template_of

HERE = Path(__file__).resolve().parent / "golden"
CASES: dict[str, Path] = {
    **{p.stem[:3]: p for p in sorted(EXAMPLES.glob("*.yaml"))},
    "bao-cao-init": TEMPLATES / "bao-cao" / "example.yaml",
    **{p.name: p / "bao-cao.yaml" for p in sorted((HERE / "cases").iterdir()) if p.is_dir()},
}
_VOLATILE = re.compile(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>")


W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def canonical(xml: bytes) -> bytes:
    """C14N 2.0 of a part, one element per line where paragraphs and rows start (readable diffs).

    Whitespace-only text between elements is layout of the XML file, not content
    (WordprocessingML has no mixed content outside w:t), so it is dropped.
    """
    root = etree.fromstring(xml)
    for element in root.iter():
        if element.tag != W_T and len(element) and element.text and not element.text.strip():
            element.text = None
        if element.tail and not element.tail.strip():
            element.tail = None
    text = etree.tostring(root, method="c14n2")
    return (
        re.sub(rb"(<w:(?:p|tr|tbl|sectPr|footnote|style|Relationship)[ >])", rb"\n\1", text) + b"\n"
    )


def parts(source: Path) -> dict[str, bytes]:
    template = source.parent.name if source.name == "example.yaml" else template_of(source)
    data = baocao.render(baocao.validate(baocao.load(source), template))
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = {}
    for name in sorted(archive.namelist()):
        if name.endswith((".xml", ".rels")):
            out[name if name.endswith(".xml") else name + ".xml"] = canonical(
                _VOLATILE.sub(b"", archive.read(name))
            )
        else:
            out[name + ".bin"] = archive.read(name)
    return out


DIFF_LINES = 60
"""A failing part shows at most this many lines of diff: enough to see the change, not a wall."""


def pretty(xml: bytes) -> list[str]:
    """A canonical part as lines a person reads: indented, one element a line."""
    root = etree.fromstring(xml)
    for element in root.iter():  # canonical() put newlines between elements; indent instead
        if len(element) and element.text and not element.text.strip():
            element.text = None
        if element.tail and not element.tail.strip():
            element.tail = None
    return etree.tostring(root, pretty_print=True, encoding="unicode").splitlines()


def diff(
    name: str,
    part: str,
    recorded: bytes,
    got: bytes,
    limit: int = DIFF_LINES,
    sides: tuple[str, str] = ("recorded", "rendered"),
) -> str:
    """Unified diff of one part, pretty-printed, cut at ``limit`` lines."""
    if not part.endswith(".xml"):
        return f"{name}: {part} differs ({len(recorded)} bytes recorded, {len(got)} rendered)"
    lines = list(
        difflib.unified_diff(
            pretty(recorded),
            pretty(got),
            f"{sides[0]} {name}: {part}",
            f"{sides[1]} {name}: {part}",
            lineterm="",
        )
    )
    if len(lines) > limit:
        lines = [*lines[:limit], f"… {len(lines) - limit} more lines of diff"]
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_part_is_as_recorded(name: str) -> None:
    expected_dir = HERE / "expected" / name
    got = parts(CASES[name])
    recorded = {p.name.replace("__", "/"): p.read_bytes() for p in expected_dir.iterdir()}
    problems = [
        f"{name}: {part} is new (not recorded)" for part in sorted(set(got) - set(recorded))
    ]
    problems += [
        f"{name}: {part} is recorded but no longer rendered"
        for part in sorted(set(recorded) - set(got))
    ]
    problems += [
        diff(name, part, recorded[part], xml)
        for part, xml in got.items()
        if part in recorded and xml != recorded[part]
    ]
    if problems:
        pytest.fail(
            "\n\n".join([*problems, "(python tests/golden/update.py, then review the diff)"]),
            pytrace=False,
        )


def test_update_leaves_exactly_what_the_cases_render(tmp_path: Path) -> None:
    from tests.golden.update import update

    expected = tmp_path / "expected"
    (expected / "gone-case").mkdir(parents=True)  # a case whose source was deleted
    (expected / "gone-case" / "word__media__image1.png.bin").write_bytes(b"\x89PNG")
    (expected / "gone-case" / "word__document.xml").write_bytes(b"<x/>")
    (expected / "000").mkdir()
    (expected / "000" / "word__media__image9.png.bin").write_bytes(b"old")  # a part no longer made
    (expected / "000" / "word__old.xml").write_bytes(b"<x/>")
    (expected / "stray.txt").write_text("left by hand")

    removed = update(expected, {"000": CASES["000"]})

    assert sorted(removed) == [
        "000/word__media__image9.png.bin",
        "000/word__old.xml",
        "gone-case",
        "stray.txt",
    ]
    assert [p.name for p in expected.iterdir()] == ["000"]
    recorded = {p.name.replace("__", "/"): p.read_bytes() for p in (expected / "000").iterdir()}
    assert recorded == parts(CASES["000"])


def test_a_changed_part_fails_with_a_short_readable_diff() -> None:
    part = "word/document.xml"
    recorded = (HERE / "expected" / "000" / part.replace("/", "__")).read_bytes()
    first_text = re.search(rb"<w:t[^>]*>([^<]+)</w:t>", recorded)
    assert first_text
    changed = recorded.replace(first_text[0], first_text[0].replace(first_text[1], b"SUA"), 1)

    shown = diff("000", part, recorded, changed)

    lines = shown.splitlines()
    assert lines[:2] == [f"--- recorded 000: {part}", f"+++ rendered 000: {part}"]
    removed = [line for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line for line in lines if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1  # one element a line: the change alone
    assert first_text[1].decode() in removed[0] and "SUA" in added[0]
    assert len(lines) < 15

    everything = diff("000", part, recorded, recorded.replace(b"<w:p>", b"<w:p><w:r/>"))
    assert everything.splitlines()[-1].endswith("more lines of diff")
    assert len(everything.splitlines()) == DIFF_LINES + 1
