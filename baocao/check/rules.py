"""Rules: each rule of the decree as a function of the read document.

A rule judges only a ``baocao.readmodel.ReadDocument`` (what reading
recognised, with its places and observed formatting, as frozen values): no
WordprocessingML, no reader. The numbers are the decree's (``baocao.nd30``:
Phụ lục I), with the ranges and tolerances of ``docs/kiem-tra.md``.
``_CHECKS`` maps each name of ``RULES`` to its rule.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from baocao import nd30
from baocao.check.results import (
    Join,
    Msg,
    Place,
    RuleResult,
    _at,
    _missing,
    _number,
    _result,
    msg,
)
from baocao.readmodel import (
    DASHES,
    BodyParagraph,
    Kind,
    Line,
    Numbered,
    ReadDocument,
    RunFonts,
    Span,
    norm,
)
from baocao.vietnamese import LETTERS, letter, roman

RULES = (
    "trang",
    "phong_chu",
    "quoc_hieu",
    "co_quan",
    "so_ky_hieu",
    "ngay_thang",
    "ten_loai",
    "noi_dung",
    "danh_so",
    "noi_nhan",
    "nguoi_ky",
    "so_trang",
)
"""Every rule, in the order of the output (page first, then top to bottom)."""

MM = 1440 / 25.4
"""Twips per millimetre."""

TOLERANCE_MM = 0.5
"""Slack on page size and margins: Word stores 20 mm as 1134 twips, others 1133."""

PAGE_MM = nd30.PAGE_MM

FONT = nd30.FONT


def _span(role: nd30.Role) -> tuple[float, float]:
    return (role.size or nd30.BODY_SIZE).span


def _exact(role: nd30.Role) -> float:
    size = role.size or nd30.BODY_SIZE
    if size.low != size.high:
        raise ValueError(f"{role.style}: the checker expects a size the decree fixes")
    return float(size.default)


# Ranges in points, from the decree's data (baocao/nd30.py: PL I, mục II and the Mục V table).
QUOC_HIEU_PT = _span(nd30.QUOC_HIEU)
TIEU_NGU_PT = _span(nd30.TIEU_NGU)
AGENCY_PT = _span(nd30.CO_QUAN_BAN_HANH)
PARENT_PT = _span(nd30.CO_QUAN_CHU_QUAN)
DATE_PT = _span(nd30.DIA_DANH_NGAY)
TITLE_PT = _span(nd30.TEN_LOAI)
BODY_PT = _span(nd30.BODY)
SIGNER_PT = _span(nd30.CHUC_VU)
NAME_PT = _span(nd30.HO_TEN)
PAGE_NUMBER_PT = _span(nd30.SO_TRANG)
SO_PT = _exact(nd30.SO)
NOI_NHAN_LABEL_PT = _exact(nd30.NOI_NHAN_LABEL)
NOI_NHAN_ITEM_PT = _exact(nd30.NOI_NHAN_ITEM)

MARGINS_MM = {
    side: (bounds.low, bounds.high)
    for side, bounds in (
        ("top", nd30.MARGINS.top),
        ("bottom", nd30.MARGINS.bottom),
        ("left", nd30.MARGINS.left),
        ("right", nd30.MARGINS.right),
    )
}

FIRST_LINE_CM = (nd30.FIRST_LINE_CM.low, nd30.FIRST_LINE_CM.high)
FIRST_LINE_TOLERANCE_CM = 0.05
MIN_PARAGRAPH_GAP = nd30.PARAGRAPH_GAP_PT * 20
"""At least 6 pt (120 twips) between paragraphs (PL I, II.6.e)."""

LINE_SPACING = (nd30.LINE_SPACING.low, nd30.LINE_SPACING.high)
"""Single to 1.5 lines."""

SINGLE_LINE = 1.15
"""Height of a single Times New Roman line, as a multiple of the font size (Word's metric)."""

LETTER_SUMMARY_PT = _span(nd30.VE_VIEC)
"""Size of a công văn's trích yếu (PL I, II.5.b)."""

QUOC_HIEU = nd30.QUOC_HIEU_TEXT
TIEU_NGU = nd30.TIEU_NGU_TEXT


def excerpt(text: str, limit: int = 60) -> str:
    clean = norm(text)
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def _blank(text: str) -> bool:
    """A part left blank for signing: spaces, dots, "…" or underscores."""
    return re.fullmatch(r"[\s.…_]*", text) is not None


def _digits(text: str) -> bool:
    """Only the digits 0–9 (``str.isdigit`` also takes "²" and other scripts' digits)."""
    return re.fullmatch(r"[0-9]{1,9}", text) is not None


def _place(line: Line) -> Place:
    """Where a read line is, as a result names it: paragraph (1-based) and excerpt."""
    return Place(line.at.paragraph + 1, excerpt(line.shown or line.paragraph_text))


def _paragraph_place(paragraph: BodyParagraph) -> Place:
    return Place(paragraph.at.paragraph + 1, excerpt(paragraph.text))


def _sizes_text(sizes: Sequence[float]) -> str:
    return "/".join(_number(s, "en") for s in sizes)


def _in_range(sizes: Sequence[float], bounds: tuple[float, float]) -> bool:
    return all(bounds[0] <= s <= bounds[1] for s in sizes)


def _format_checks(
    seg: Line,
    *,
    bold: bool = False,
    italic: bool = False,
    capitals: bool = False,
    sizes: tuple[float, float] | None = None,
    exact: float | None = None,
    centred: bool = False,
    runs: Sequence[Span] | None = None,
    regular: bool = False,
    centred_as: bool | None = None,
) -> list[Msg]:
    """What is wrong with the formatting of one read line, as one message naming its text.

    ``regular``: no bold at all; ``centred_as``: whether the line was found
    centred some other way than by its paragraph's alignment (a centre tab).
    """
    needs: list[Msg] = []
    if capitals and not seg.capitals:
        needs.append(msg("check_need_caps"))
    if bold and not seg.all_bold(runs):
        needs.append(msg("check_need_bold"))
    if regular and seg.any_bold(runs):
        needs.append(msg("check_need_regular"))
    if italic and not seg.all_italic(runs):
        needs.append(msg("check_need_italic"))
    if not italic and seg.any_italic(runs):
        needs.append(msg("check_need_upright"))
    found = seg.sizes(runs)
    if sizes is not None and not _in_range(found, sizes):
        needs.append(msg("check_need_size", size=_sizes_text(found), low=sizes[0], high=sizes[1]))
    if exact is not None and found != [exact]:
        needs.append(msg("check_need_size_exact", size=_sizes_text(found), expected=exact))
    if (centred and seg.align != "center") or centred_as is False:
        needs.append(msg("check_need_centre"))
    if not needs:
        return []
    found_msg = msg("check_format", text=excerpt(seg.shown, 50), needs=Join(tuple(needs), ", "))
    return [_at(found_msg, _place(seg))]


def _merged(found: Sequence[tuple[Line, list[Msg]]], sep: str = " ") -> list[Msg]:
    """One finding per cause for an element on several lines: consecutive lines wrong
    in the same ways (an agency name wrapped on two lines, both 14 pt) make one message
    naming their text together; ``found`` pairs each line with its ``_format_checks``."""
    out: list[tuple[list[str], Any, Place | None]] = []
    for seg, messages in found:
        for message in messages:
            needs = message.params["needs"]
            if out and out[-1][1] == needs:
                out[-1][0].append(seg.shown)
            else:
                out.append(([seg.shown], needs, _place(seg)))
        if not messages:
            out.append(([], None, None))
    # each group at its first line's paragraph: the cause's own place
    return [
        _at(msg("check_format", text=excerpt(sep.join(texts), 50), needs=needs), place)
        for texts, needs, place in out
        if needs is not None
    ]


RULE_SHARE_ACCEPTED = (0.2, 0.8)
"""A rule under the agency or the trích yếu, as a share of its text's longest line.
The decree asks 1/3 to 1/2 (``nd30.RULE_SHARE``); clerks draw it by hand, and our
measure of the text (Times New Roman widths, the line Word wraps at) is close, not
exact: real files that look right measure 0.22 to 0.49, a hand-drawn 3 cm line under
4 cm of text passes too. Only a stub (under a fifth) or a rule running nearly the
text's whole length or more (a border across the whole column) is wrong."""

MOTTO_RULE_SHARE_ACCEPTED = (0.6, 1.4)
"""A rule under the Tiêu ngữ, as a share of its text: as long as it (II.1); real
files measure 0.78 to 1.0 (a motto typed with spaces, drawn by hand), a clerk's
paragraph border across the Quốc hiệu's cell about 1.3. A rule of half the motto,
or twice it, is wrong."""

RULE_OFF_CENTRE = 0.2
"""How far a rule's middle may stand from its text's middle, as a share of the text
(II.2, II.5: centred on the text; real files: at most 0.08)."""


def _rule_problems(
    doc: ReadDocument,
    span: tuple[float, float] | None,
    text: tuple[float, float] | None,
    accepted: tuple[float, float],
    what: str,
    place: Place,
) -> list[Msg]:
    """What is wrong with a rule's length and centring under its text, however drawn;
    nothing when either is unknown (underscores, no text measured), nor on a landscape
    first page: its borders run as the page is wide, and that one cause is ``trang``'s."""
    page = doc.page
    if page is None or page.landscape or page.width > page.height:
        return []
    if span is None or text is None or text[1] - text[0] <= 0:
        return []
    length, width = span[1] - span[0], text[1] - text[0]
    share = length / width
    problems: list[Msg] = []
    if not accepted[0] <= share <= accepted[1]:
        code = "check_rule_short" if share < accepted[0] else "check_rule_long"
        found = msg(
            code,
            what=msg(f"check_el_{what}"),
            length=round(length / MM / 10, 1),
            text=round(width / MM / 10, 1),
            need=msg("check_rule_need_motto" if what == "tieu_ngu" else "check_rule_need_share"),
        )
        problems.append(_at(found, place, f"{what}_rule_length"))
    off = abs((span[0] + span[1]) - (text[0] + text[1])) / 2
    if off > RULE_OFF_CENTRE * width:
        found = msg("check_rule_off_centre", what=msg(f"check_el_{what}"), off=round(off / MM, 0))
        problems.append(_at(found, place, f"{what}_rule_centre"))
    return problems


def _describe_format(seg: Line, runs: Sequence[Span] | None = None) -> str:
    """What was seen, for ``RuleResult.seen``: the text, its size and style."""
    flags = [
        name for name, on in (("bold", seg.all_bold(runs)), ("italic", seg.all_italic(runs))) if on
    ]
    return f"“{excerpt(seg.shown)}” {_sizes_text(seg.sizes(runs))} pt" + "".join(
        f" {flag}" for flag in flags
    )


# -- the rules ---------------------------------------------------------------------------------


def _trang(doc: ReadDocument) -> RuleResult:
    page = doc.page
    if page is None:
        return _missing("trang", "check_trang_no_section")
    width, height = page.width / MM, page.height / MM
    landscape = page.landscape or width > height
    found = {
        "top": abs(page.top) / MM,
        "bottom": abs(page.bottom) / MM,
        "left": abs(page.left) / MM + abs(page.gutter) / MM,
        "right": abs(page.right) / MM,
    }
    problems: list[Msg] = []
    short, long = sorted((width, height))
    if abs(short - PAGE_MM[0]) > TOLERANCE_MM or abs(long - PAGE_MM[1]) > TOLERANCE_MM:
        paper = msg("check_trang_paper", width=round(width, 1), height=round(height, 1))
        problems.append(_at(paper, subject="paper"))
    elif landscape:
        problems.append(_at(msg("check_trang_landscape"), subject="paper"))
    for side, (low, high) in MARGINS_MM.items():
        value = round(found[side], 1)
        if not low - TOLERANCE_MM <= found[side] <= high + TOLERANCE_MM:
            margin = msg(
                "check_trang_margin",
                side=msg(f"check_side_{side}"),
                value=value,
                low=float(low),
                high=float(high),
            )
            problems.append(_at(margin, subject=side))
    problems += _later_margins(doc)
    shown = {side: round(value, 1) for side, value in found.items()}
    seen = (
        f"{_number(round(width, 1), 'en')}×{_number(round(height, 1), 'en')} mm "
        f"{'landscape' if landscape else 'portrait'}; margins top {_number(shown['top'], 'en')}, "
        f"bottom {_number(shown['bottom'], 'en')}, left {_number(shown['left'], 'en')}, "
        f"right {_number(shown['right'], 'en')} mm"
    )
    ok = msg("check_trang_ok", **shown)
    return _result("trang", problems, ok, seen, None)


def _later_margins(doc: ReadDocument) -> list[Msg]:
    """The margins of the sections after the first (a Phụ lục on pages of its own), each
    side once, at the first section that breaks it; landscape pages (a wide table) are
    laid out for their own width and are not judged."""
    problems: list[Msg] = []
    seen: set[str] = set()
    for number, page in enumerate(doc.later_pages, start=2):
        if page.landscape or page.width > page.height:
            continue
        found = {
            "top": abs(page.top) / MM,
            "bottom": abs(page.bottom) / MM,
            "left": (abs(page.left) + abs(page.gutter)) / MM,
            "right": abs(page.right) / MM,
        }
        for side, (low, high) in MARGINS_MM.items():
            if side in seen or low - TOLERANCE_MM <= found[side] <= high + TOLERANCE_MM:
                continue
            seen.add(side)
            margin = msg(
                "check_trang_section_margin",
                section=number - 1,
                side=msg(f"check_side_{side}"),
                value=round(found[side], 1),
                low=float(low),
                high=float(high),
            )
            problems.append(_at(margin, subject=f"{side}@{number}"))
    return problems


def _font_problems(runs: Sequence[RunFonts]) -> Iterator[tuple[str, Place]]:
    """Each text run not in Times New Roman: (font, place)."""
    for run in runs:
        for font in run.fonts:
            if (font or "").casefold() != FONT.casefold():
                number = run.at.paragraph + 1 if run.at.part == "body" else 0
                yield font or "?", Place(number, excerpt(run.text), run.at.part)
                break


def _variant(font: str) -> bool:
    """A style of Times New Roman named as a font ("Times New Roman Bold"), as Word
    lists the faces of a font installed one file per style."""
    name = font.casefold()
    return name.startswith(FONT.casefold()) and name != FONT.casefold()


def _dominant_size(paras: Sequence[BodyParagraph]) -> float | None:
    counts: Counter[float] = Counter()
    for para in paras:
        for size, characters in para.characters:
            counts[size] += characters
    return counts.most_common(1)[0][0] if counts else None


def _phong_chu(doc: ReadDocument) -> RuleResult:
    bad: list[tuple[str, Place]] = list(_font_problems(doc.fonts))
    body = doc.body
    size = _dominant_size(body)
    problems: list[Msg] = []
    place: Place | None = None
    if bad:
        # one finding per font named, with how many runs use it: a cause, not its runs
        runs = Counter(font for font, _ in bad)
        for font in sorted(runs):
            code = "check_phong_chu_variant" if _variant(font) else "check_phong_chu_font"
            problems.append(_at(msg(code, fonts=f"“{font}”", count=runs[font]), subject=font))
        place = bad[0][1]
    if size is not None and not BODY_PT[0] <= size <= BODY_PT[1]:
        problems.append(_at(msg("check_phong_chu_size", size=size), subject="body"))
        if place is None:
            first = next((p for p in body if size in p.sizes), body[0])
            place = _paragraph_place(first)
    fonts_seen = sorted({font for font, _ in bad} | {FONT}) if bad else [FONT]
    seen = ", ".join(fonts_seen) + (f"; body {_number(size, 'en')} pt" if size else "")
    ok = (
        msg("check_phong_chu_ok", size=size) if size is not None else msg("check_phong_chu_ok_font")
    )
    return _result("phong_chu", problems, ok, seen, place)


def _quoc_hieu(doc: ReadDocument) -> RuleResult:
    qh, tn = doc.header.national_title, doc.header.motto
    if qh is None:
        return _missing("quoc_hieu", "check_quoc_hieu_missing", text=QUOC_HIEU)
    problems: list[Msg] = []
    shown = qh.shown.translate(DASHES).replace("HOÀ", "HÒA")
    if shown.upper() != QUOC_HIEU:
        problems.append(
            _at(msg("check_quoc_hieu_text", text=qh.shown, expected=QUOC_HIEU), _place(qh))
        )
    problems += _format_checks(qh, bold=True, capitals=True, sizes=QUOC_HIEU_PT)
    place = _place(qh)
    seen = _describe_format(qh)
    if tn is None:
        problems.append(_at(msg("check_tieu_ngu_missing", text=TIEU_NGU), subject="tieu_ngu"))
        return _result("quoc_hieu", problems, msg("check_problems", problems=[]), seen, place)
    seen += "; " + _describe_format(tn)
    tn_problems: list[Msg] = []
    if norm(tn.shown.translate(DASHES)) != TIEU_NGU:
        tn_problems.append(
            _at(msg("check_tieu_ngu_text", text=tn.shown, expected=TIEU_NGU), _place(tn))
        )
    tn_problems += _format_checks(tn, bold=True, sizes=TIEU_NGU_PT)
    qh_size, tn_size = max(qh.sizes()), max(tn.sizes())
    if tn_size != qh_size + 1:
        step = msg("check_tieu_ngu_step", quoc_hieu=qh_size, tieu_ngu=tn_size)
        tn_problems.append(_at(step, _place(tn)))
    rule = doc.header.motto_rule
    if rule is None:
        missing = msg("check_no_rule", what=msg("check_el_tieu_ngu"))
        tn_problems.append(_at(missing, _place(tn), "tieu_ngu"))
    else:
        seen += f"; rule: {rule}"
        tn_problems += _rule_problems(
            doc,
            doc.header.motto_rule_span,
            doc.header.motto_text_span,
            MOTTO_RULE_SHARE_ACCEPTED,
            "tieu_ngu",
            _place(tn),
        )
    if tn_problems and not problems:
        place = _place(tn)
    problems += tn_problems
    ok = msg("check_quoc_hieu_ok", quoc_hieu=qh_size, tieu_ngu=tn_size)
    return _result("quoc_hieu", problems, ok, seen, place)


def _co_quan(doc: ReadDocument) -> RuleResult:
    group = doc.header.agency
    if not group:
        return _missing("co_quan", "check_co_quan_missing")
    problems: list[Msg] = []
    # the parent agency above: capitals, upright, not bold (PL I, II.2)
    problems += _merged(
        [
            (seg, _format_checks(seg, capitals=True, sizes=PARENT_PT, regular=True))
            for seg in doc.header.parent_agency
        ]
    )
    problems += _merged(
        [(seg, _format_checks(seg, bold=True, capitals=True, sizes=AGENCY_PT)) for seg in group]
    )
    rule = doc.header.agency_rule
    if rule is None:
        missing = msg("check_no_rule", what=msg("check_el_co_quan"))
        problems.append(_at(missing, _place(group[-1]), "co_quan"))
    else:
        problems += _rule_problems(
            doc,
            doc.header.agency_rule_span,
            doc.header.agency_text_span,
            RULE_SHARE_ACCEPTED,
            "co_quan",
            _place(group[-1]),
        )
    text = " ".join(s.shown for s in group)
    sizes = sorted({size for s in group for size in s.sizes()})
    seen = f"“{excerpt(text)}” {_sizes_text(sizes)} pt" + (f"; rule: {rule}" if rule else "")
    ok = msg("check_co_quan_ok", text=excerpt(text), size=_sizes_text(sizes))
    return _result("co_quan", problems, ok, seen, _place(group[0]))


_GROUP = r"[\w&….]+"


def _so_ky_hieu(doc: ReadDocument) -> RuleResult:
    seg = doc.header.number
    if seg is None:
        return _missing("so_ky_hieu", "check_so_ky_hieu_missing")
    text, shown = seg.clean, seg.visible
    if re.fullmatch(r"số\s*:", text, flags=re.IGNORECASE):
        # "Số:" and the number in two columns of a tab-aligned line
        rest_of_line = doc.header.number_rest
        text = " ".join([text, *(s.clean for s in rest_of_line)]).strip()
        shown = " ".join([shown, *(s.visible for s in rest_of_line)]).strip()
    rest = re.sub(r"^số\s*:", "", text, flags=re.IGNORECASE)
    problems: list[Msg] = []
    ok = msg("check_so_ky_hieu_ok", text=shown)
    if re.match(r"\s*#\w+", rest):
        ok = msg("check_so_ky_hieu_token", text=shown)
    else:
        number, slash, symbol = rest.partition("/")
        number = number.strip()
        if not slash or not symbol.strip():
            problems.append(msg("check_so_ky_hieu_form", text=shown))
        elif _blank(number):
            ok = msg("check_so_ky_hieu_blank", text=shown)
        elif not _digits(number) or int(number) == 0:
            problems.append(msg("check_so_ky_hieu_form", text=shown))
        elif len(number) < nd30.NUMBER_DIGITS:
            fixed = f"Số: {nd30.number_text(int(number))}/{symbol.strip()}"
            problems.append(msg("check_so_ky_hieu_padding", text=shown, fixed=fixed))
        elif number.startswith("0") and int(number) >= 10 ** (nd30.NUMBER_DIGITS - 1):
            problems.append(msg("check_so_ky_hieu_form", text=shown))
        if slash and symbol.strip() and not problems:
            problems += _symbol_problems(shown, symbol)
    # "Số", the number and the ký hiệu: 13 pt, upright (PL I, II.3)
    problems += _format_checks(seg, exact=SO_PT)
    return _result("so_ky_hieu", problems, ok, shown, _place(seg))


def _symbol_problems(text: str, symbol: str) -> list[Msg]:
    groups = symbol.strip()
    if symbol != symbol.lstrip():
        return [msg("check_so_ky_hieu_spaces", text=text)]
    if re.search(r"\s*-\s*", groups) and re.search(r"\s-|-\s", groups):
        return [msg("check_so_ky_hieu_spaces", text=text)]
    if "/" in groups and re.search(r"(19|20)\d\d", groups):
        return [msg("check_so_ky_hieu_year", text=text)]
    if re.fullmatch(rf"{_GROUP}(?:-{_GROUP})*", groups) is None:
        return [msg("check_so_ky_hieu_form", text=text)]
    return []


_DATE = re.compile(
    r"(?P<place>.*?)(?P<comma>,?)\s*ngày(?P<day>.*?)tháng(?P<month>.*?)năm(?P<year>.*?)\.?"
)


def _ngay_thang(doc: ReadDocument) -> RuleResult:
    seg = doc.header.place_date
    if seg is None:
        return _missing("ngay_thang", "check_ngay_thang_missing")
    text = seg.clean
    place = _place(seg)
    problems: list[Msg] = []
    if re.fullmatch(r"#\w+", text):
        ok = msg("check_ngay_thang_token", text=text)
    else:
        ok = msg("check_ngay_thang_ok", text=seg.visible, size=_sizes_text(seg.sizes()))
        problems += _date_problems(text, seg.visible)
    problems += _format_checks(seg, italic=True, sizes=DATE_PT)
    return _result("ngay_thang", problems, ok, _describe_format(seg), place)


def _date_problems(text: str, shown: str) -> list[Msg]:
    """What is wrong with a place-and-date line (PL I, II.4); ``text`` has its spaces collapsed."""
    match = _DATE.fullmatch(text)
    text = shown
    if match is None:
        return [msg("check_ngay_thang_form", text=text)]
    problems: list[Msg] = []
    if not match["place"].strip() or not match["comma"]:
        problems.append(msg("check_ngay_thang_place", text=text))
    day, month, year = (match[k].strip() for k in ("day", "month", "year"))
    values: dict[str, int] = {}
    for name, value in (("day", day), ("month", month), ("year", year)):
        if _blank(value):
            continue
        if not _digits(value):
            return [*problems, msg("check_ngay_thang_form", text=text)]
        values[name] = int(value)
    if "day" in values:
        if not 1 <= values["day"] <= 31:
            problems.append(msg("check_ngay_thang_invalid", text=text))
        elif len(day) != nd30.DAY_DIGITS:
            fixed = nd30.day_text(values["day"])
            problems.append(msg("check_ngay_thang_day", day=day, fixed=fixed))
    if "month" in values:
        value = values["month"]
        expected = nd30.month_text(value)
        if not 1 <= value <= 12:
            problems.append(msg("check_ngay_thang_invalid", text=text))
        elif month != expected:
            padded = value <= nd30.MONTHS_PADDED
            code = "check_ngay_thang_month_pad" if padded else "check_ngay_thang_month_zero"
            problems.append(msg(code, month=month, fixed=expected))
    if "year" in values and len(year) != 4:
        problems.append(msg("check_ngay_thang_form", text=text))
    if len(values) == 3 and not problems:
        try:
            date(values["year"], values["month"], values["day"])
        except ValueError:
            problems.append(msg("check_ngay_thang_invalid", text=text))
    return problems


def _ten_loai(doc: ReadDocument) -> RuleResult:
    found = doc.title
    kind = found.kind
    if kind is None:
        names = ", ".join(f"“{k.type_name}”" for k in doc.kinds if k.type_name and not k.letter)
        return _missing("ten_loai", "check_ten_loai_unknown", names=names)
    how = msg("check_kind_given" if found.forced else "check_kind_detected")
    if kind.letter:
        return _cong_van(doc, kind, how)
    title = found.type_name
    if title is None:
        return _missing("ten_loai", "check_ten_loai_missing", text=kind.type_name)
    problems = _format_checks(title, bold=True, capitals=True, sizes=TITLE_PT, centred=True)
    seen = f"{kind.template}: " + _describe_format(title)
    if not found.summary and not kind.summary:
        ok = msg(
            "check_ten_loai_ok_no_summary",
            kind=kind.prose,
            how=how,
            text=title.shown,
            size=_sizes_text(title.sizes()),
        )
        return _result("ten_loai", problems, ok, seen, _place(title))
    if not found.summary:
        problems.append(_at(msg("check_trich_yeu_missing"), _place(title), "trich_yeu"))
        return _result("ten_loai", problems, msg("check_trich_yeu_missing"), seen, _place(title))
    place = _place(title) if problems else _place(found.summary[0])
    problems += _merged(
        [
            (seg, _format_checks(seg, bold=True, sizes=TITLE_PT, centred=True))
            for seg in found.summary
        ]
    )
    summary = " ".join(s.shown for s in found.summary)
    seen += "; " + _describe_format(found.summary[0])
    rule = found.summary_rule
    if rule is None:
        missing = msg("check_no_rule", what=msg("check_el_trich_yeu"))
        problems.append(_at(missing, _place(found.summary[-1]), "trich_yeu"))
    else:
        seen += f"; rule: {rule}"
        problems += _rule_problems(
            doc,
            found.summary_rule_span,
            found.summary_text_span,
            RULE_SHARE_ACCEPTED,
            "trich_yeu",
            _place(found.summary[-1]),
        )
    ok = msg(
        "check_ten_loai_ok_kind",
        kind=kind.prose,
        how=how,
        text=title.shown,
        size=_sizes_text(title.sizes()),
        summary=excerpt(summary, 50),
    )
    return _result("ten_loai", problems, ok, seen, place)


def _cong_van(doc: ReadDocument, kind: Kind, how: Msg) -> RuleResult:
    """A công văn (PL I, II.5.b): no type name; "V/v …" under the number, 12–13 pt,
    upright, not bold, centred under it."""
    problems: list[Msg] = []
    place: Place | None = None
    seen = f"{kind.template}: "
    stray = doc.title.stray_type_name
    if stray is not None:
        stray_msg = msg("check_cong_van_type_line", text=excerpt(stray.shown, 50))
        problems.append(_at(stray_msg, _place(stray)))
        place = _place(stray)
        seen += f"type name “{excerpt(stray.shown)}”; "
    lines = doc.title.letter_summary
    if not lines:
        problems.append(msg("check_cong_van_missing"))
        return _result("ten_loai", problems, msg("check_cong_van_missing"), seen, place)
    first = lines[0]
    under = doc.title.under_number
    if not under:
        under_msg = msg("check_cong_van_under", text=excerpt(first.shown, 50))
        problems.append(_at(under_msg, _place(first)))
    problems += _merged(
        [
            (
                seg,
                _format_checks(seg, regular=True, sizes=LETTER_SUMMARY_PT, centred_as=seg.centred),
            )
            for seg in lines
        ]
    )
    seen += _describe_format(first) + ("; under Số" if under else "")
    sizes = sorted({size for seg in lines for size in seg.sizes()})
    ok = msg(
        "check_cong_van_ok",
        kind=kind.prose,
        how=how,
        summary=excerpt(" ".join(seg.shown for seg in lines), 50),
        size=_sizes_text(sizes),
    )
    return _result("ten_loai", problems, ok, seen, place or _place(first))


def _alignment(value: str | None) -> Msg:
    name = {"start": "left", "end": "right", "justify": "both", None: "left"}.get(value, value)
    known = {"left", "center", "right", "both", "distribute"}
    return msg(f"check_align_{name}") if name in known else msg("check_align_other", value=value)


def body_problems(para: BodyParagraph) -> list[Msg]:
    problems: list[Msg] = []
    # the sizes of what shows: a run of spaces in another size prints nothing
    sizes = [size for size, count in para.characters if count > 0]
    sizes = sizes or list(para.sizes) or [para.mark_size]
    if not _in_range(sizes, BODY_PT):
        problems.append(msg("check_body_size", size=_sizes_text(sizes)))
    if para.align not in ("both", "justify"):
        problems.append(msg("check_body_align", align=_alignment(para.align)))
    first_line = para.first_line / 567
    low, high = FIRST_LINE_CM
    if not low - FIRST_LINE_TOLERANCE_CM <= first_line <= high + FIRST_LINE_TOLERANCE_CM:
        problems.append(msg("check_body_indent", indent=round(first_line, 2)))
    before, after = para.space_before, para.space_after
    if before + after < MIN_PARAGRAPH_GAP - 1:
        problems.append(msg("check_body_spacing", spacing=round((before + after) / 20, 1)))
    value, rule = para.line
    if rule == "auto":
        lines = value / 240
        if not LINE_SPACING[0] - 0.01 <= lines <= LINE_SPACING[1] + 0.01:
            problems.append(
                msg("check_body_line", line=msg("check_line_multiple", value=round(lines, 2)))
            )
    else:
        points = value / 20
        size = max(sizes)
        top = size * SINGLE_LINE * LINE_SPACING[1] + 0.5
        low_ok = rule == "atLeast" or points >= size
        if not (low_ok and points <= top):
            problems.append(
                msg("check_body_line", line=msg("check_line_points", value=round(points, 1)))
            )
    return problems


def _noi_dung(doc: ReadDocument) -> RuleResult:
    body = doc.body
    if not body:
        return _missing("noi_dung", "check_noi_dung_missing")
    bad: list[tuple[BodyParagraph, list[Msg]]] = []
    for para in body:
        problems = body_problems(para)
        if problems:
            bad.append((para, problems))
    size = _dominant_size(body)
    seen = f"{len(body)} paragraphs; {len(bad)} wrong"
    ok = msg("check_noi_dung_ok", count=len(body), size=size or 0.0)
    if not bad:
        return _result("noi_dung", [], ok, seen, None)
    para, problems = bad[0]
    summary = msg("check_noi_dung_bad", bad=len(bad), count=len(body), problems=problems)
    return _result("noi_dung", [summary], ok, seen, _paragraph_place(para))


_ROMAN_VALUES = {roman(n): n for n in range(1, 200)}


_ARTICLE = re.compile(rf"{nd30.DIEU_TEXT}\s+(\d+)\s*\.(?:\s|$)")
"""An article's label at the start of a paragraph: "Điều 3. …"."""

_PART = re.compile(r"(phần|chương)\s+(thứ\s+\w+|[ivxlcdm\d]+)\b")
"""A part or chapter heading ("Phần thứ hai", "Chương II"): its numbering starts afresh."""

_OPENING_QUOTES = "“\"‘'«"
"""Quoted text may open with its label: "“a) Trong thời hạn…" (a quoted point)."""

_LABELS = (
    ("roman", re.compile(r"([IVXLCDM]+)\.")),
    ("sub", re.compile(r"(\d+)\.(\d+)\.")),
    ("arabic", re.compile(r"(\d+)\.")),
    ("letter", re.compile(r"([a-zđ])\)")),
)


@dataclass(frozen=True, slots=True)
class _Label:
    """A numbering label at the start of a paragraph: "II.", "6.1.", "3.", "b)"."""

    kind: str
    groups: tuple[str, ...]
    text: str
    spaced: bool
    """A space follows it; False: a capital letter does ("6.1.Công tác", a missing space)."""
    end: int


def _label(text: str) -> _Label | None:
    """The label ``text`` opens with, after an opening quote; None for none.

    A label is followed by a space, or (a missing space) directly by a capital
    letter; "1.000 người" or "2.5 lần" are not labels.
    """
    start = 1 if text[:1] in _OPENING_QUOTES else 0
    for kind, pattern in _LABELS:
        match = pattern.match(text, start)
        if match is None or (kind == "roman" and match[1] not in _ROMAN_VALUES):
            continue
        after = text[match.end() : match.end() + 1]
        if after.isspace():
            spaced = True
        elif after.isupper():
            spaced = False
        else:
            continue
        return _Label(kind, match.groups(), match[0], spaced, match.end())
    return None


def _danh_so(doc: ReadDocument) -> RuleResult:
    romans: int | None = None
    arabic: int | None = None
    sub: tuple[int, int] | None = None
    letters: int | None = None
    counts = Counter[str]()
    violations: list[tuple[Numbered, Msg]] = []

    def out_of_order(
        para: Numbered, got: str, first: str, previous: str | None, expected: str
    ) -> None:
        """A label that does not follow: either a list that does not start right, or a skip."""
        if previous is None:
            wrong(para, "check_danh_so_start", got=got, expected=first)
        else:
            wrong(para, "check_danh_so_order", previous=previous, got=got, expected=expected)

    def wrong(para: Numbered, code: str, **params: Any) -> None:
        violations.append((para, msg(code, **params)))

    articles: int | None = None
    for para in doc.numbered:
        text = para.text
        if _PART.match(text.casefold()):
            romans = arabic = letters = None
            sub = None
            continue
        if match := _ARTICLE.match(text):
            # "Điều 1.", "Điều 2." run on through the document; each opens its own khoản
            # "1." and điểm "a)" (PL I, II.6.đ).
            number = int(match[1])
            counts["article"] += 1
            expected = (articles or 0) + 1
            if number != expected:
                previous = None if articles is None else f"{nd30.DIEU_TEXT} {articles}."
                out_of_order(
                    para,
                    f"{nd30.DIEU_TEXT} {number}.",
                    f"{nd30.DIEU_TEXT} 1.",
                    previous,
                    f"{nd30.DIEU_TEXT} {expected}.",
                )
            articles, arabic, sub, letters = number, None, None, None
            continue
        label = _label(text)
        if label is None:
            continue
        again = _label(text[label.end :].lstrip()) if label.spaced else None
        if again is not None and again.kind == label.kind:
            # Word's own list number before a typed one: "I. I. TÌNH HÌNH…"
            wrong(para, "check_danh_so_double", labels=f"{label.text} {again.text}")
        elif not label.spaced:
            fixed = excerpt(f"{label.text} {text[label.end :]}", 40)
            wrong(para, "check_danh_so_space", label=label.text, fixed=fixed)
        if label.kind == "roman":
            value = _ROMAN_VALUES[label.groups[0]]
            counts["roman"] += 1
            expected = (romans or 0) + 1
            if value != expected:
                out_of_order(
                    para,
                    label.text,
                    "I.",
                    None if romans is None else f"{roman(romans)}.",
                    f"{roman(expected)}.",
                )
            romans, arabic, sub, letters = value, None, None, None
        elif label.kind == "sub":
            counts["sub"] += 1
            parent, value = int(label.groups[0]), int(label.groups[1])
            expected_parent = arabic if arabic is not None else parent
            expected = sub[1] + 1 if sub is not None and sub[0] == parent else 1
            if parent != expected_parent or value != expected:
                start = f"{expected_parent}.{expected if parent == expected_parent else 1}."
                out_of_order(
                    para,
                    f"{parent}.{value}.",
                    start,
                    None if sub is None else f"{sub[0]}.{sub[1]}.",
                    start,
                )
            sub, letters = (parent, value), None
        elif label.kind == "arabic":
            value = int(label.groups[0])
            counts["arabic"] += 1
            expected = (arabic or 0) + 1
            if value != expected:
                out_of_order(
                    para,
                    f"{value}.",
                    "1.",
                    None if arabic is None else f"{arabic}.",
                    f"{expected}.",
                )
            arabic, sub, letters = value, None, None
        else:
            got = label.groups[0]
            counts["letter"] += 1
            position = LETTERS.find(got) + 1
            if position == 1:
                letters = 1
                continue
            expected = (letters or 0) + 1
            if position != expected:
                if letters is None:
                    wrong(para, "check_danh_so_start", got=f"{got})", expected="a)")
                elif expected > len(LETTERS):
                    wrong(para, "check_danh_so_letters_end", previous=f"{letter(letters)})")
                else:
                    code = "check_danh_so_foreign" if got in "fjwz" else "check_danh_so_order"
                    wrong(
                        para,
                        code,
                        previous=f"{letter(letters)})",
                        got=f"{got})",
                        expected=f"{letter(expected)})",
                    )
            letters = min(position or expected, len(LETTERS))
    seen = (
        f"{counts['roman']} roman, {counts['arabic']} arabic, {counts['sub']} sub-numbered, "
        f"{counts['letter']} lettered"
        + (f", {counts['article']} articles" if counts["article"] else "")
    )
    ok = msg(
        "check_danh_so_ok",
        roman=counts["roman"],
        arabic=counts["arabic"] + counts["sub"],
        letters=counts["letter"],
    )
    if not violations:
        return _result("danh_so", [], ok, seen, None)
    # one finding per cause: the same break repeated ("d)" then "e)" in two lists) is
    # one finding naming each paragraph; past a few causes, only how many more
    groups: dict[str, tuple[Msg, list[Numbered]]] = {}
    for para, problem in violations:
        key = f"{problem.code}{sorted(problem.params.items())}"
        groups.setdefault(key, (problem, []))[1].append(para)
    problems: list[Msg] = []
    for problem, paras in list(groups.values())[: 1 + DANH_SO_LISTED]:
        head = paras[0]
        also = tuple(p.at.paragraph + 1 for p in paras[1:])
        problems.append(_at(problem, Place(head.at.paragraph + 1, excerpt(head.typed), also=also)))
    if len(groups) > 1 + DANH_SO_LISTED:
        more = msg("check_danh_so_more", count=len(groups) - 1 - DANH_SO_LISTED)
        problems.append(_at(more, subject="more"))
    para = violations[0][0]
    place = Place(para.at.paragraph + 1, excerpt(para.typed))
    return _result("danh_so", problems, ok, seen, place)


DANH_SO_LISTED = 4
"""Numbering breaks named after the first, each at its paragraph; the rest are counted."""


_LABEL = nd30.NOI_NHAN_TEXT
_SAME_AS_ABOVE = tuple(f"{dash} {text.casefold()}" for dash in "-+" for text in nd30.AS_ABOVE_TEXTS)
"""The addressees of "Kính gửi" named at the top of Nơi nhận ("Như kính gửi" is the
same in other words)."""
_DRAFTER = re.compile(r"(?P<main>.*\.)\s*(?P<tail>[^\s;][^;]{0,24})")


def _noi_nhan(doc: ReadDocument) -> RuleResult:
    label = doc.closing.recipients_label
    if label is None:
        return _missing("noi_nhan", "check_noi_nhan_missing")
    problems: list[Msg] = []
    items = doc.closing.recipients
    if not label.clean.startswith(_LABEL):
        problems.append(_at(msg("check_noi_nhan_label", text=label.clean), _place(label)))
    # judged on its words: a colon in another run's formatting is not the label's
    words = len(_LABEL.rstrip(":"))
    label_runs = label.runs(len(label.text) - len(label.text.lstrip()) + words)
    problems += _format_checks(
        label, bold=True, italic=True, exact=NOI_NHAN_LABEL_PT, runs=label_runs
    )
    place = _place(label)
    seen = _describe_format(label, label_runs) + f"; {len(items)} items"
    if not items:
        problems.append(_at(msg("check_noi_nhan_empty"), _place(label)))
        return _result("noi_nhan", problems, msg("check_noi_nhan_empty"), seen, place)
    texts: list[Msg] = []
    formats: list[tuple[Line, list[Msg]]] = []
    seen_wrong = False
    for position, item in enumerate(items):
        item_problems, item_format = _item_problems(
            item, items[position + 1] if position + 1 < len(items) else None
        )
        if (item_problems or item_format) and not (problems or seen_wrong):
            place = _place(item)
            seen_wrong = True
        texts += [_at(problem, _place(item)) for problem in item_problems]
        formats.append((item, item_format))
    # the items' formatting, one finding for consecutive items wrong in the same ways
    problems += texts + _merged(formats)
    first = items[0].clean.casefold()
    if doc.closing.addressed and not first.startswith(_SAME_AS_ABOVE):
        # PL I, II.9.d: with "Kính gửi", the list opens with "- Như trên;"
        missing = msg("check_noi_nhan_nhu_tren", text=items[0].clean)
        problems.append(_at(missing, _place(items[0])))
    ok = msg("check_noi_nhan_ok", count=len(items), last=excerpt(items[-1].clean, 50))
    return _result("noi_nhan", problems, ok, seen, place)


def _item_problems(item: Line, following: Line | None) -> tuple[list[Msg], list[Msg]]:
    """One Nơi nhận line: "- " first, ";" last, the last line "- Lưu…." (PL I, II.9.d);
    what is wrong with its text, then with its formatting."""
    line = item.clean
    problems: list[Msg] = []
    if not line.startswith(("- ", "+ ")):
        problems.append(msg("check_noi_nhan_dash", text=line))
    main = line
    if following is None:
        drafter = _DRAFTER.fullmatch(line)
        if not line.endswith(".") and drafter is not None:
            main = drafter["main"]  # ô 12: the drafter's mark and copies follow the full stop
        if not main.endswith("."):
            problems.append(msg("check_noi_nhan_last_period", text=line))
        if not line.startswith(f"- {nd30.LUU_TEXT}"):
            problems.append(msg("check_noi_nhan_luu", text=line))
        elif re.match(rf"- {re.escape(nd30.LUU_TEXT)}\s*:\s*VT\s*\.\s*\S", line):
            # "Lưu: VT. NC": the archive and the drafting unit are parted by a comma
            problems.append(msg("check_noi_nhan_luu_comma", text=line))
    elif not (line.endswith(";") or (line.endswith(":") and following.clean.startswith("+ "))):
        problems.append(msg("check_noi_nhan_semicolon", text=line))
    runs = item.runs(len(item.text) - len(item.text.lstrip()) + len(main))
    # judged on its words: a full stop or comma in a run of another size is not seen
    worded = tuple(span for span in runs if any(c.isalnum() for c in span.text)) or runs
    return problems, _format_checks(item, exact=NOI_NHAN_ITEM_PT, runs=worded)


def _nguoi_ky(doc: ReadDocument) -> RuleResult:
    signer = doc.closing.signer
    if not signer.lines:
        return _missing("nguoi_ky", "check_nguoi_ky_missing")
    positions, name = signer.lines, signer.name
    problems: list[Msg] = []
    problems += _merged(
        [
            (seg, _format_checks(seg, bold=True, capitals=True, sizes=SIGNER_PT))
            for seg in positions
        ],
        " / ",
    )
    if name is not None:
        problems += _format_checks(name, bold=True, sizes=NAME_PT)
    for seg in positions:
        glued = re.match(r"(TM|KT|TL|TUQ|Q)\.(?=\w)", seg.shown)
        if glued is not None:
            fixed = f"{glued[0]} {seg.shown[glued.end() :]}"
            found = msg("check_nguoi_ky_space", text=seg.shown, label=glued[0], fixed=fixed)
            problems.append(_at(found, _place(seg)))
    position_text = " / ".join(s.shown for s in positions)
    seen = _describe_format(positions[0]) + (f"; {_describe_format(name)}" if name else "")
    if name is not None:
        ok = msg("check_nguoi_ky_ok", position=excerpt(position_text), name=name.shown)
    else:
        ok = msg("check_nguoi_ky_draft", position=excerpt(position_text))
    return _result("nguoi_ky", problems, ok, seen, _place(positions[0]))


def _so_trang(doc: ReadDocument) -> RuleResult:
    numbers = doc.page_numbers
    if numbers is None:
        return _missing("so_trang", "check_trang_no_section")
    problems: list[Msg] = []
    place: Place | None = None
    if numbers.header is None:
        if not numbers.in_footer and numbers.pages == 1:
            return _result("so_trang", [], msg("check_so_trang_one_page"), "1 page", None)
        code = "check_so_trang_footer" if numbers.in_footer else "check_so_trang_missing"
        problems.append(msg(code))
        return _result("so_trang", problems, msg("check_problems", problems=[]), "", None)
    para = numbers.header
    place = Place(0, excerpt(para.text) or "PAGE", "header")
    sizes = list(para.sizes)
    if para.align != "center":
        problems.append(msg("check_so_trang_centre", align=_alignment(para.align)))
    if not _in_range(sizes, PAGE_NUMBER_PT):
        problems.append(msg("check_so_trang_size", size=_sizes_text(sizes)))
    if numbers.even_odd and not numbers.even_header:
        problems.append(msg("check_so_trang_even"))
    if not numbers.title_page:
        problems.append(msg("check_so_trang_first_shown"))
    elif numbers.first_header:
        problems.append(msg("check_so_trang_first_header"))
    seen = (
        f"PAGE in header ({_alignment(para.align).render('en')}, {_sizes_text(sizes)} pt); "
        f"titlePg {'on' if numbers.title_page else 'off'}"
    )
    ok = msg("check_so_trang_ok", size=_sizes_text(sizes))
    return _result("so_trang", problems, ok, seen, place)


_CHECKS = {
    "trang": _trang,
    "phong_chu": _phong_chu,
    "quoc_hieu": _quoc_hieu,
    "co_quan": _co_quan,
    "so_ky_hieu": _so_ky_hieu,
    "ngay_thang": _ngay_thang,
    "ten_loai": _ten_loai,
    "noi_dung": _noi_dung,
    "danh_so": _danh_so,
    "noi_nhan": _noi_nhan,
    "nguoi_ky": _nguoi_ky,
    "so_trang": _so_trang,
}
