"""The documentation's pictures: every picture a page shows is in the repository, and the
check pictures (tools/make_check_pictures.py) are each shown, small and real PNGs."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
CHECK_PICTURES = ROOT / "docs" / "img" / "kiem-tra"
PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<img\s[^>]*src=\"([^\"]+)\"")
"""A Markdown picture ``![text](path "title")`` or an HTML ``<img src="path">``."""


def pictures(page: Path) -> list[str]:
    return [a or b for a, b in PICTURE.findall(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_picture_a_page_shows_exists(page: Path) -> None:
    for target in pictures(page):
        if re.match(r"[a-z]+:", target):  # https:, data: — not a file of the repository
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.is_file(), f"{page.name}: {target} does not exist"
        assert path.is_relative_to(ROOT), f"{page.name}: {target} is outside the repository"


def test_the_pattern_finds_pictures_and_only_pictures() -> None:
    text = '![a](img/x.png) [link](y.md) <img alt="b" src="z.png"> ![c](w.png "title")'
    assert [a or b for a, b in PICTURE.findall(text)] == ["img/x.png", "z.png", "w.png"]


def test_each_check_picture_is_shown_as_a_right_and_wrong_pair() -> None:
    shown = {Path(t).name for t in pictures(ROOT / "docs" / "kiem-tra.md")}
    files = {p.name for p in CHECK_PICTURES.glob("*.png")}
    assert files and files == {n for n in shown if (CHECK_PICTURES / n).exists()}
    stems = {name.removesuffix("-dung.png").removesuffix("-sai.png") for name in files}
    assert files == {f"{s}-{kind}.png" for s in stems for kind in ("dung", "sai")}
    from baocao.check import RULES

    names = {rule.replace("_", "-") for rule in RULES}
    assert names <= stems, names - stems  # every rule of the checker has its pair


def test_check_pictures_are_small_grayscale_pngs() -> None:
    total = 0
    for path in CHECK_PICTURES.glob("*.png"):
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path.name
        width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
        assert (depth, colour) == (8, 0), path.name  # 8-bit grayscale
        assert 100 <= width <= 600 and 20 <= height <= 400, (path.name, width, height)
        total += len(data)
    assert total < 1_500_000
