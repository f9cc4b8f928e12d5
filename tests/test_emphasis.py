"""The plain-emphasis reading equals markdown-it's, on every text it takes.

``markup.parse_inline`` reads plain ``**bold**`` and ``*italic*`` itself and
hands every doubtful text to markdown-it; a difference would change what a
clerk's report prints. Seeded generators write many texts of the shapes
clerks type (and of shapes they do not), and hypothesis adds its own.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from baocao import markup

WORDS = ["Về", "triển", "khai", "IOC", "1.416", "DVC", "a", "Đ", "12/8/2021", "“trích”", "(a)"]
WORDS += ["KH_2021", "__init__", "100%", "x"]
EDGES = ["", "", "", ":", ".", ",", ";", ")", "(", '"', "“", "”", "-", "!", "\n", "*", "**", "$"]
CHARS = ["*", "*", "**", " ", "a", "ư", "Đ", ".", ",", ":", "(", ")", '"', "“", "”", "-", "_"]
CHARS += ["\n", "\t", "\xa0", "1", "%", "$", "\u2003", "!", "x y", "Về ", "\u3000", "+"]


def _clerk_like(rng: random.Random) -> str:
    """Words with emphasis around some of them, punctuation at the edges."""

    def words(most: int) -> str:
        picked = [
            rng.choice(EDGES) + rng.choice(WORDS) + rng.choice(EDGES)
            for _ in range(rng.randint(1, most))
        ]
        return rng.choice([" ", " ", "", "\n", "\xa0"]).join(picked)

    parts = []
    for _ in range(rng.randint(1, 3)):
        mark = rng.choice(["*", "**", "**"])
        close = rng.choice([mark, mark, mark, mark, "*", "**"])
        parts.append(rng.choice(["", " ", "(", "- ", "“"]) + mark + words(3) + close)
        parts.append(rng.choice(["", " ", ")", ": ", ".", "”"]) + words(2) + " ")
    return "".join(parts)


def _random(rng: random.Random) -> str:
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 14)))


def _compare(texts: list[str]) -> int:
    taken = 0
    for text in texts:
        plain = markup._plain_emphasis(text)
        if plain is not None:
            taken += 1
            assert plain == markup._parsed(text), text
        if "*" in text:  # without one, the text is one span as typed (both ways but for "")
            assert markup.parse_inline(text) == markup._parsed(text), text
    return taken


def test_the_plain_reading_equals_markdown_it_on_clerk_like_texts() -> None:
    rng = random.Random(20)
    texts = [_clerk_like(rng) for _ in range(12_000)]
    assert _compare(texts) > 1_500  # the fast path was taken, and often


def test_the_plain_reading_equals_markdown_it_on_random_texts() -> None:
    rng = random.Random(21)
    texts = [t for t in (_random(rng) for _ in range(30_000)) if "*" in t]
    assert _compare(texts) > 300


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*CHARS, "***", "ế", "™", "\r"]), max_size=20))
def test_the_plain_reading_equals_markdown_it_on_any_text(pieces: list[str]) -> None:
    _compare(["".join(pieces)])


def test_the_shapes_clerks_type_take_the_plain_reading() -> None:
    for text in (
        "**Về triển khai IOC:** Đã hoàn thành",
        "năm 2023 (*năm 2023, bình quân đạt 72%*); riêng",
        "Tổng: **4.060.000.000 đồng** *(Bằng chữ: Bốn tỷ đồng)*.",
    ):
        assert markup._plain_emphasis(text) == markup._parsed(text) != (markup.Span(text),)


def test_doubtful_texts_go_to_markdown_it() -> None:
    for text in ("***a***", "*a **b** c*", "**a*", "a * b", "*a*b*", "2*3*4"):
        assert markup._plain_emphasis(text) is None or text == "2*3*4"
        assert markup.parse_inline(text) == markup._parsed(text)
