"""The fast walks of validation give what the plain ones they replace give (issue 20).

Validation reads a 100× report's 40,000 texts and 5,000 blocks; its walks were
rewritten to make no generator per node and no path per text, and a table's
column to be measured all at once. Each is checked here against the plain
definition it stands for, on every example and on random reports and columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import baocao
from baocao import markup, measure, validation
from baocao import widths as table_widths
from tests.conftest import EXAMPLES, TEMPLATES

ROOT = Path(__file__).resolve().parent
REPORTS = (
    sorted(EXAMPLES.glob("*.yaml"))
    + sorted(TEMPLATES.glob("*/example.yaml"))
    + [ROOT / "data" / "real-defects.yaml"]
)

WORDS = st.sampled_from(
    [
        *("Sở", "dục", "**đậm**", "*nghiêng*", "x[^1]", "[^2]", "a*b", "(*)", "1.416", "I.", "-"),
        *("\t", "\xa0", "\n", "", "Đ" * 45, "2120/QĐ-UBND", "WWW", "…", "\u200b"),
    ]
)
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
LEAF = st.one_of(st.none(), st.integers(-3, 30), TEXT, st.lists(TEXT, max_size=2))
CELL = st.one_of(LEAF, st.fixed_dictionaries({"chu": LEAF}, optional={"dong_phu": LEAF}))
TABLE = st.fixed_dictionaries(
    {},
    optional={
        "tieu_de": LEAF,
        "cot": st.lists(CELL, max_size=3),
        "tieu_de_cot": st.lists(st.one_of(st.lists(CELL, max_size=3), TEXT), max_size=2),
        "dong": st.lists(
            st.one_of(
                st.lists(CELL, max_size=3),
                st.fixed_dictionaries({}, optional={"nhom": LEAF, "nhan": LEAF}),
                TEXT,
            ),
            max_size=3,
        ),
    },
)
BLOCKS = st.recursive(
    st.lists(
        st.one_of(
            TEXT,
            st.integers(),
            st.fixed_dictionaries(
                {},
                optional={
                    key: LEAF for key in ("doan", "gach", "cong", "tieu_de", "can_le", "so_muc")
                }
                | {"bang": TABLE, "hinh": st.fixed_dictionaries({"chu_thich": LEAF})},
            ),
        ),
        max_size=4,
    ),
    lambda inner: st.lists(
        st.one_of(inner, st.fixed_dictionaries({"noi_dung": inner}, optional={"tieu_de": LEAF})),
        max_size=3,
    ),
    max_leaves=12,
)
REPORT = st.fixed_dictionaries(
    {"noi_dung": BLOCKS},
    optional={
        "can_cu": LEAF,
        "mo_dau": LEAF,
        "ket_thuc": LEAF,
        "phu_luc": st.lists(
            st.one_of(
                TEXT,
                st.fixed_dictionaries(
                    {}, optional={"tieu_de": LEAF, "dong_phu": LEAF, "noi_dung": BLOCKS}
                ),
            ),
            max_size=2,
        ),
    },
)


def marked(data: dict[str, Any]) -> list[tuple[Any, str]]:
    """What ``marked_texts`` stands for: ``texts`` kept to those with a star or a note mark."""
    return [(path, text) for path, text in markup.texts(data) if "*" in text or "[^" in text]


def every_block(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The path of every mapping in the body and the appendices, sections' content
    included, in reading order: the blocks validation keeps (``_Built.blocks``)."""
    found: list[tuple[Any, ...]] = []

    def walk(blocks: Any, path: tuple[Any, ...]) -> None:
        for index, block in enumerate(blocks if isinstance(blocks, list) else []):
            if isinstance(block, dict):
                found.append((*path, index))
                walk(block.get("noi_dung"), (*path, index, "noi_dung"))

    walk(data.get("noi_dung"), ("noi_dung",))
    for index, appendix in enumerate(data.get("phu_luc") or []):
        if isinstance(appendix, dict):
            walk(appendix.get("noi_dung"), ("phu_luc", index, "noi_dung"))
    return found


def kept_blocks(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    built = validation._Built()
    list(validation._rules(data, None, built))
    return [path for path, _ in built.blocks]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.parent.name + "/" + p.name[:12])
def test_every_report_has_the_same_marked_texts_and_blocks(path: Path) -> None:
    data = baocao.load(path).data
    assert markup.marked_texts(data) == marked(data)
    assert kept_blocks(data) == every_block(data)


def full_table(tag: str) -> dict[str, Any]:
    return {
        "tieu_de": f"*{tag}1",
        "cot": [f"*{tag}2", "plain", [f"[^{tag}3]"]],
        "tieu_de_cot": [
            [{"chu": f"*{tag}4", "dong_phu": [f"*{tag}5"]}, f"*{tag}6", [f"*{tag}7", "plain"]]
        ],
        "dong": [
            [f"*{tag}8", {"chu": f"*{tag}9"}, [f"*{tag}10"], 5],
            {"nhom": f"*{tag}11", "nhan": [f"*{tag}12"]},
            "*not a row",
        ],
    }


FULL = {
    "can_cu": ["*a", ["[^b]", "plain"]],
    "mo_dau": "*c",
    "noi_dung": [
        "*d",
        {"doan": "*e"},
        {"gach": ["*f", ["*g"]]},
        {"cong": "*h"},
        {"tieu_de": "*i", "noi_dung": ["*j", {"bang": full_table("k")}, "plain"]},
        {"hinh": {"chu_thich": "*l"}},
        {"bang": full_table("m")},
        {"bang": "*not a table"},
        {"noi_dung": "*not a list of blocks"},
        {"so_muc": "*not a text read"},
    ],
    "ket_thuc": ["*n"],
    "phu_luc": [
        "*not an appendix",
        {"tieu_de": "*o", "dong_phu": ["*p"], "noi_dung": ["*q", {"bang": full_table("r")}]},
    ],
}
"""A text with a star in every place ``markup.texts`` reads one."""


def test_a_star_in_every_place_is_found_in_order() -> None:
    found = markup.marked_texts(FULL)
    assert found == marked(FULL)
    assert len(found) == 15 + 3 * 12  # every star above


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORT)
def test_any_report_has_the_same_marked_texts_and_blocks(data: dict[str, Any]) -> None:
    assert markup.marked_texts(data) == marked(data)
    assert kept_blocks(data) == every_block(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, max_size=6), st.sampled_from([11, 12, 13, 13.5]), st.booleans())
def test_a_column_measured_at_once_is_measured_as_printed(
    texts: list[str], points: float, bold: bool
) -> None:
    """The widest word and line of a column are those ``printed_words`` gives text by text."""
    each = [table_widths.printed_words(text, points, bold=bold) for text in texts]
    expected = (max((w for w, _ in each), default=0), max((line for _, line in each), default=0))
    assert table_widths._widest(texts, points, bold) == expected  # type: ignore[arg-type]
    assert table_widths._widest_each(texts, points, bold) == expected  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, max_size=6), st.sampled_from([11, 13]), st.booleans())
def test_the_widest_word_and_line_are_the_plain_measures_widest(
    lines: list[str], points: int, bold: bool
) -> None:
    assert measure.widest_line(lines, points, bold=bold) == max(
        (measure.text_width(line, points, bold=bold) for line in lines), default=0
    )
    words = [word for line in lines for word in line.split()]
    assert measure.widest_word(words, points, bold) == max(
        (measure.word_width(word, points, bold) for word in words), default=0
    )


STARRED = st.lists(
    st.sampled_from(["*", "**", "***", " ", "a", "(", ")", ".", "Đ", "\n", "[^1]", "_"]),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(STARRED)
def test_plainly_paired_stars_are_all_read_as_emphasis(text: str) -> None:
    """``plainly_paired`` answers as ``_plain_emphasis`` reads; no star of such a text prints."""
    paired = markup.plainly_paired(text)
    assert paired == (markup._plain_emphasis(text) is not None)
    if paired:
        assert "*" not in "".join(span.text for span in markup.parse_inline(text))
        assert validation._unpaired_star(text) is None
