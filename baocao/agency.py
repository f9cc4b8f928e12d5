"""Break an agency's name into lines the way a clerk would (part of stage 3, layout).

A name too long for the header's column is broken by Word wherever the
line is full: "ỦY BAN NHÂN DÂN TỈNH / LÂM ĐỒNG", "SỞ THÔNG TIN VÀ TRUYỀN /
THÔNG", a word cut in two. Clerks break at a phrase: before the place
("ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG"), after "và" ("SỞ THÔNG TIN VÀ / TRUYỀN
THÔNG"), never inside a word, with lines of about the same length. A
Vietnamese word is often two syllables written apart, so the words of
agency names are listed here (``WORDS``); a break between syllables not
known to form a word is allowed, and costs more than a phrase boundary.

Pure functions; widths come from ``measure.text_width``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import combinations, pairwise
from math import comb

WORDS = frozenset(
    tuple(word.split())
    for word in (
        "ỦY BAN",
        "UỶ BAN",
        "NHÂN DÂN",
        "HỘI ĐỒNG",
        "CHÍNH PHỦ",
        "QUỐC HỘI",
        "VĂN PHÒNG",
        "THÔNG TIN",
        "TRUYỀN THÔNG",
        "TÀI CHÍNH",
        "KẾ HOẠCH",
        "ĐẦU TƯ",
        "NỘI VỤ",
        "TƯ PHÁP",
        "CÔNG THƯƠNG",
        "NÔNG NGHIỆP",
        "PHÁT TRIỂN",
        "NÔNG THÔN",
        "GIAO THÔNG",
        "VẬN TẢI",
        "XÂY DỰNG",
        "TÀI NGUYÊN",
        "MÔI TRƯỜNG",
        "LAO ĐỘNG",
        "THƯƠNG BINH",
        "XÃ HỘI",
        "VĂN HÓA",
        "VĂN HOÁ",
        "THỂ THAO",
        "DU LỊCH",
        "KHOA HỌC",
        "CÔNG NGHỆ",
        "GIÁO DỤC",
        "ĐÀO TẠO",
        "Y TẾ",
        "THANH TRA",
        "NGÂN HÀNG",
        "NGOẠI VỤ",
        "DÂN TỘC",
        "TÔN GIÁO",
        "CHỈ ĐẠO",
        "ĐIỀU HÀNH",
        "QUẢN LÝ",
        "ĐỔI MỚI",
        "SÁNG TẠO",
        "CHUYỂN ĐỔI",
        "CHƯƠNG TRÌNH",
        "MỤC TIÊU",
        "QUỐC GIA",
        "CÔNG NGHIỆP",
        "KINH TẾ",
        "KHU VỰC",
        "CHÍNH SÁCH",
        "HÀNH CHÍNH",
        "CẢI CÁCH",
        "DỊCH VỤ",
        "CÔNG ÍCH",
        "TRUNG TÂM",
        "TRUNG ƯƠNG",
        "TỔNG CỤC",
        "BẢO HIỂM",
        "BẢO VỆ",
        "AN NINH",
        "QUỐC PHÒNG",
        "CÔNG AN",
        "QUÂN SỰ",
        "BIÊN PHÒNG",
        "THỐNG KÊ",
        "KHO BẠC",
        "NHÀ NƯỚC",
        "THUẾ VỤ",
        "HẢI QUAN",
        "ĐÔ THỊ",
        "ĐẤT ĐAI",
        "THỦY LỢI",
        "THUỶ LỢI",
        "LÂM NGHIỆP",
        "THỦY SẢN",
        "THUỶ SẢN",
        "PHÒNG CHỐNG",
        "THIÊN TAI",
        "TÌM KIẾM",
        "CỨU NẠN",
        "CỨU HỘ",
        "THI ĐUA",
        "KHEN THƯỞNG",
        "TUYÊN GIÁO",
        "DÂN VẬN",
        "KIỂM TRA",
        "KIỂM SOÁT",
        "TIẾP CÔNG",
        "CÔNG DÂN",
        "HẠ TẦNG",
        "GIẢI PHÓNG",
        "MẶT BẰNG",
        "DỰ ÁN",
        "CHUYÊN NGÀNH",
        "DÂN DỤNG",
        "THÀNH PHỐ",
        "THỊ XÃ",
        "THỊ TRẤN",
        "ĐẶC KHU",
        "CHIẾN LƯỢC",
        "SỐ HÓA",
        "SỐ HOÁ",
        "BÌNH ĐẲNG",
        "GIỚI TÍNH",
        "TRẺ EM",
        "PHỤ NỮ",
        "THANH NIÊN",
        "CỰU CHIẾN",
        "CHIẾN BINH",
        "MẶT TRẬN",
        "TỔ QUỐC",
        "VIỆT NAM",
        "LIÊN ĐOÀN",
        "CÔNG ĐOÀN",
        "NGOẠI GIAO",
        "HỢP TÁC",
        "QUỐC TẾ",
        "BỆNH VIỆN",
        "ĐA KHOA",
        "TRƯỜNG HỌC",
        "ĐẠI HỌC",
        "CAO ĐẲNG",
        "TRUNG HỌC",
        "PHỔ THÔNG",
        "TIỂU HỌC",
        "MẦM NON",
        "GIA ĐÌNH",
        "SỰ NGHIỆP",
        "HÀNH CHÍNH",
        "BÁO CHÍ",
        "XUẤT BẢN",
        "PHÁT THANH",
        "TRUYỀN HÌNH",
        "ĐIỆN TỬ",
        "VIỄN THÔNG",
        "BƯU CHÍNH",
        "QUY HOẠCH",
        "KIẾN TRÚC",
        "XÚC TIẾN",
        "THƯƠNG MẠI",
        "HỖ TRỢ",
        "DOANH NGHIỆP",
        "NHÂN LỰC",
        "VIỆC LÀM",
        "AN TOÀN",
        "VỆ SINH",
        "THỰC PHẨM",
        "DÂN SỐ",
        "KẾ HOẠCH HÓA",
        "ĐẠI BIỂU",
        "HÀNH CHÍNH CÔNG",
        "KHU CÔNG NGHIỆP",
        "PHỤC VỤ",
        "ĐOÀN THỂ",
        "CHUYÊN TRÁCH",
        "THƯỜNG TRỰC",
        "TỔ CHỨC",
        "CÁN BỘ",
        "CÔNG CHỨC",
        "VIÊN CHỨC",
    )
)
"""Words (of two or three syllables) in the names of agencies and their places."""

PLACES = frozenset(
    tuple(word.split())
    for word in (
        "TỈNH",
        "THÀNH PHỐ",
        "HUYỆN",
        "QUẬN",
        "THỊ XÃ",
        "XÃ",
        "PHƯỜNG",
        "THỊ TRẤN",
        "ĐẶC KHU",
    )
)
"""Administrative units: the place part of a name starts with one ("… / TỈNH LÂM ĐỒNG")."""

AFTER = frozenset({"VÀ", "-", "–"})
"""Words a line may end with: "SỞ THÔNG TIN VÀ / TRUYỀN THÔNG" (the decree's samples)."""

BEFORE = frozenset({"VÀ", "CỦA", "THUỘC", "VỀ", "TẠI", "TRỰC"})
"""Words a line may start with, second best: "SỞ THÔNG TIN / VÀ TRUYỀN THÔNG"."""

PHRASE, GOOD, PLAIN, INSIDE_WORD = 0, 15, 30, 200
"""Costs of a break: at a phrase boundary, before a joining word, between two words, inside
a word (worse than a line more)."""

LONE, SHORT_LAST, EXTRA_LINE, UNEVEN = 150, 60, 70, 40
"""Costs of a line of one syllable, of a last line of two not after a phrase boundary
("… TỈNH / LÂM ĐỒNG"), of a line more than needed, and of lines of uneven length (times the difference over the width)."""

MAX_SPLITS = 5000
"""Ways of breaking a name tried at most (a name of 25 words in 4 lines has 2,024); a
longer name is broken line by line at whole words, as Word would."""


WORD_LENGTHS = sorted({len(word) for word in WORDS})
PLACE_LENGTHS = sorted({len(place) for place in PLACES})


def breaks(words: Sequence[str]) -> list[int]:
    """The cost of breaking before each word (index 1…n-1; index 0 is unused).

    >>> costs = breaks("SỞ THÔNG TIN VÀ TRUYỀN THÔNG".split())
    >>> costs[4] < costs[3] < costs[2]  # after VÀ, before VÀ, inside THÔNG TIN
    True
    """
    upper = [word.upper() for word in words]
    costs = [0] * len(words)
    for at in range(1, len(words)):
        before, after = upper[at - 1], upper[at]
        inside = any(
            tuple(upper[start : start + length]) in WORDS
            for length in WORD_LENGTHS
            for start in range(max(0, at - length + 1), at)
        )
        starts_place = any(tuple(upper[at : at + length]) in PLACES for length in PLACE_LENGTHS)
        if inside:
            costs[at] = INSIDE_WORD
        elif before in AFTER or before.endswith((",", ";")) or starts_place:
            costs[at] = PHRASE
        elif after in BEFORE:
            costs[at] = GOOD
        elif after in AFTER:  # a line starting with a dash
            costs[at] = INSIDE_WORD
        else:
            costs[at] = PLAIN
    return costs


def _splits(count: int, lines: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut ``count`` words into ``lines`` non-empty lines (the cut indexes)."""
    yield from combinations(range(1, count), lines - 1)


def greedy(words: Sequence[str], width: Callable[[str], int], room: int) -> list[str]:
    """Fill each line as full as it goes, as Word does."""
    lines: list[str] = []
    for word in words:
        if lines and width(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def balanced(text: str, width: Callable[[str], int], room: int) -> list[str]:
    """Break ``text`` into lines at most ``room`` wide (as ``width`` measures), the clerk's way.

    A text that fits stays one line. Otherwise the fewest lines that fit
    (or one more, when that avoids cutting a word or leaving one syllable
    alone), broken where ``breaks`` costs least, lines of even length.
    """
    words = text.split()
    if not words or width(" ".join(words)) <= room:
        return [" ".join(words)] if words else []
    fewest = len(greedy(words, width, room))
    most = min(fewest + 1, len(words))
    if fewest >= len(words) or comb(len(words) - 1, most - 1) > MAX_SPLITS:
        return greedy(words, width, room)
    costs = breaks(words)
    spans: dict[tuple[int, int], int] = {}  # each run of words is measured once

    def measured(a: int, b: int) -> int:
        if (a, b) not in spans:
            spans[a, b] = width(" ".join(words[a:b]))
        return spans[a, b]

    best: tuple[float, list[str]] | None = None
    for lines in range(fewest, most + 1):
        for cuts in _splits(len(words), lines):
            edges = (0, *cuts, len(words))
            widths = [measured(a, b) for a, b in pairwise(edges)]
            if max(widths) > room:
                continue
            cost = float(sum(costs[cut] for cut in cuts))
            cost += LONE * sum(1 for a, b in pairwise(edges) if b - a == 1)
            if edges[-1] - edges[-2] == 2 and costs[edges[-2]] > PHRASE:
                cost += SHORT_LAST
            cost += EXTRA_LINE * (lines - fewest)
            cost += UNEVEN * (max(widths) - min(widths)) / room
            if best is None or cost < best[0]:
                best = (cost, [" ".join(words[a:b]) for a, b in pairwise(edges)])
    return best[1] if best is not None else greedy(words, width, room)
