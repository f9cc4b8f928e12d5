"""Each seed, written as YAML, renders to a document holding ≥ 99% of the seed's words, in order.

The seeds (../shared/seeds) are the text of real reports; examples/NNN-*.yaml
are those reports in our format. The document's visible text is read in
reading order (header table, body, tables, each footnote right after the
paragraph that cites it), and the seed's words are matched against it in
order. Case is ignored (headings are shown in capitals by style) and the
text extraction's markdown artifacts are not the author's words.
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
from tests.conftest import EXAMPLES, SHARED

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
TARGET = 0.99

pytestmark = pytest.mark.skipif(not SEEDS, reason="../shared/seeds is not beside the checkout")

_ARTIFACTS = re.compile(r"\*+|^#+\s+|[<>]|[¹²³⁴⁵⁶⁷⁸⁹⁰]", re.MULTILINE)


def words(text: str) -> list[str]:
    """Split into words, ignoring case and the extraction's markdown artifacts."""
    return _ARTIFACTS.sub("", text).lower().split()


def reading_order(docx: bytes) -> str:
    """The visible text: paragraphs in order, each footnote after the paragraph citing it."""
    archive = zipfile.ZipFile(io.BytesIO(docx))
    notes = {}
    if "word/footnotes.xml" in archive.namelist():
        for note in etree.fromstring(archive.read("word/footnotes.xml")).iter(f"{W}footnote"):
            notes[note.get(f"{W}id")] = "\n".join(_text(p) for p in note.iter(f"{W}p"))
    body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    out = []
    for paragraph in body.iter(f"{W}p"):
        out.append(_text(paragraph))
        for ref in paragraph.iter(f"{W}footnoteReference"):
            out.append(notes.get(ref.get(f"{W}id"), ""))
    return "\n".join(out)


def _text(paragraph: etree._Element) -> str:
    return "".join(
        node.text or "" if node.tag == f"{W}t" else " "
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br")
    )


def coverage(seed: list[str], document: list[str]) -> tuple[float, list[str]]:
    """Share of the seed's words found in order in the document, and the passages missed."""
    matcher = difflib.SequenceMatcher(None, seed, document, autojunk=False)
    found = sum(block.size for block in matcher.get_matching_blocks())
    missed = [
        " ".join(seed[max(i1 - 3, 0) : i2 + 3])
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag in ("delete", "replace")
    ]
    return found / len(seed), missed


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_example_keeps_the_seeds_words_in_order(seed: Path) -> None:
    (example,) = EXAMPLES.glob(f"{seed.name[:3]}-*.yaml")
    document = reading_order(baocao.render(baocao.validate(baocao.load(example))))
    share, missed = coverage(words(seed.read_text(encoding="utf-8")), words(document))
    assert share >= TARGET, (
        f"{seed.name}: {share:.2%} of the seed's words in order (target {TARGET:.0%}); "
        f"passages short: {missed[:5]}"
    )


def test_the_measure_catches_a_missing_passage() -> None:
    seed = words("Một hai ba bốn năm sáu bảy tám chín mười")
    share, missed = coverage(seed, words("Một hai ba bảy tám chín mười"))
    assert share == pytest.approx(0.7) and missed == ["một hai ba bốn năm sáu bảy tám chín"]
