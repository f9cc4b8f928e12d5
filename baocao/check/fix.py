"""``baocao check --fix``: a corrected copy, with every layout finding that has a safe fix.

The document is checked, read into the read model, and each failing rule
whose cause is layout is repaired through ``baocao.docx.repair`` at the
places reading found (``At``): page size and margins, fonts (a "Times New
Roman Bold" face becomes Times New Roman in bold), sizes, bold, italic and
capitals per the decree's roles (``baocao.nd30``), the page number's header,
and the few text fixes the decree prescribes: the padding of the number and
the date (Điều 15, PL I II.3–4), the space after a heading label ("6.1.Công") or a
signing mark ("TL.CHỦ TỊCH"), the punctuation at the end of Nơi nhận lines and the comma
in "- Lưu: VT, NC". Each is listed. The copy is
then checked again: ``FixReport.after`` says what still fails and why.

No word of the author's is changed: the words of the copy (body and notes,
numbers compared by value so padding counts as the same number) are compared
with the original's, and a copy that differs is refused (``fix_words_changed``),
never written. What the decree leaves to the author (a missing rule line, a
numbering gap, a missing "Lưu" or "- Như trên;") is left, with the check's reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baocao import messages, nd30
from baocao.check import check, read
from baocao.check.results import Join, Msg, Place, Report, RuleResult, localise, msg
from baocao.check.rules import (
    LINE_SPACING,
    MARGINS_MM,
    MIN_PARAGRAPH_GAP,
    MM,
    SINGLE_LINE,
    body_problems,
    excerpt,
)
from baocao.docx.read import Docx, other_stories
from baocao.docx.repair import Piece, Repair, only_page_field
from baocao.errors import InputError, Location
from baocao.legacy import encoding_of_font
from baocao.measure import text_width
from baocao.readmodel import DASHES, BodyParagraph, Line, ReadDocument, norm

A4_TWIPS = (round(nd30.PAGE_MM[0] * MM), round(nd30.PAGE_MM[1] * MM))


@dataclass(frozen=True)
class Fixed:
    """One change made: the rule it serves, a message code and its parameters, where."""

    rule: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    place: Place | None = None

    def detail(self, lang: str) -> str:
        return messages.text(self.code, lang, **localise(self.params, lang))

    def message(self, lang: str) -> str:
        title = messages.text(f"check_rule_{self.rule}", lang)
        line = messages.text("fix_done", lang, rule=title, detail=self.detail(lang))
        if self.place is not None:
            line += f" ({self.place.describe(lang)})"
        return line


@dataclass(frozen=True)
class FixReport:
    """What ``fix`` did to one file: the changes, the notes on what it left, and the
    check of the original (``before``) and of the copy (``after``)."""

    file: str
    before: Report
    after: Report
    fixed: tuple[Fixed, ...]
    notes: tuple[Fixed, ...]
    data: bytes = field(repr=False)

    @property
    def rules_fixed(self) -> list[str]:
        after = {r.rule: r.passed for r in self.after.results}
        return [r.rule for r in self.before.failed if after.get(r.rule)]

    def lines(self, lang: str = messages.DEFAULT_LANGUAGE) -> list[str]:
        out = [f.message(lang) for f in self.fixed]
        for result in self.after.failed:
            why = messages.text(why_left(result.rule, _codes(result)), lang)
            out.append(messages.text("fix_left_why", lang, line=result.message(lang), why=why))
        out += [messages.text("fix_note", lang, detail=n.detail(lang)) for n in self.notes]
        return out

    def summary(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        changes, rules = len(self.fixed), len(self.rules_fixed)
        if not self.after.failed:
            total = len(self.after.results)
            return messages.text(
                "fix_summary_passed",
                lang,
                file=self.file,
                changes=changes,
                rules=rules,
                total=total,
            )
        return messages.text(
            "fix_summary",
            lang,
            file=self.file,
            changes=changes,
            rules=rules,
            left=len(self.after.failed),
        )

    def as_dict(self, lang: str = messages.DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "file": self.file,
            "fixed": [
                {
                    "rule": f.rule,
                    "code": f.code,
                    "message": f.detail(lang),
                    "paragraph": f.place.paragraph if f.place is not None else None,
                }
                for f in self.fixed
            ],
            "rules_fixed": self.rules_fixed,
            "not_fixed": [
                r.as_dict(lang) | {"why": messages.text(why_left(r.rule, _codes(r)), lang)}
                for r in self.after.failed
            ],
            "notes": [
                {"rule": n.rule, "code": n.code, "message": n.detail(lang)} for n in self.notes
            ],
            "before": self.before.as_dict(lang),
            "after": self.after.as_dict(lang),
            "summary": self.summary(lang),
        }


WHY_LEFT = {"danh_so": "fix_why_danh_so", "so_ky_hieu": "fix_why_so_ky_hieu"}
"""Why a rule still fails after ``fix``, where the reason is the rule's own: renumbering
("d)" then "e)", skipping "đ)") changes the author's labels, and the symbol is the agency's."""


WHY_LEFT_CAUSE = {"check_noi_nhan_nhu_tren": "fix_why_nhu_tren"}
"""Why a rule still fails, where the reason is one cause's: with "Kính gửi" the list opens
with "- Như trên;" (PL I, II.9.d), but adding that line adds words to the document."""


def why_left(rule: str, causes: Collection[str] = ()) -> str:
    """The message code saying why ``rule`` was left failing, given its causes' codes."""
    for cause in causes:
        if cause in WHY_LEFT_CAUSE:
            return WHY_LEFT_CAUSE[cause]
    return WHY_LEFT.get(rule, "fix_why_other")


def _codes(result: RuleResult) -> list[str]:
    return [m.code for m in result.problems]


def fix(
    source: str | Path | bytes,
    *,
    template: str | None = None,
    name: str | None = None,
    exact: bool = False,
) -> FixReport:
    """Repair what can be repaired safely; the copy's bytes and what was done.

    ``exact`` counts the pages of the original and of the copy with LibreOffice, as
    ``check`` does (``--chinh-xac``). Raises ``InputError`` for a file ``check`` cannot
    read, and ``fix_words_changed`` if the copy's words were not the original's (a bug;
    nothing is written then).
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    name = name or (str(source) if not isinstance(source, bytes) else "<docx>")
    before = check(data, template=template, exact=exact)
    document = read(data, template=template, name=name)
    work = _Work(Repair(data, name), document, {r.rule for r in before.failed})
    for step in _STEPS:
        step(work)
    fixed_data = work.repair.save() if work.fixed else data
    lost = _lost_words(data, fixed_data)
    if lost:
        raise InputError("fix_words_changed", Location(name), words=", ".join(lost[:5]))
    after = check(fixed_data, template=template, exact=exact)
    return FixReport(name, before, after, tuple(work.fixed), tuple(work.notes), fixed_data)


@dataclass
class _Work:
    repair: Repair
    doc: ReadDocument
    failing: set[str]
    fixed: list[Fixed] = field(default_factory=list)
    notes: list[Fixed] = field(default_factory=list)

    def done(self, rule: str, code: str, line: Line | None = None, **params: Any) -> None:
        place = None
        if line is not None and line.at.part == "body":
            place = Place(line.at.paragraph + 1, excerpt(line.shown or line.paragraph_text))
        self.fixed.append(Fixed(rule, code, params, place))

    def segment(self, line: Line) -> list[Piece]:
        if line.at.part != "body" or line.at.paragraph < 0:
            return []
        return self.repair.segment(line.at.paragraph, line.at.line, line.at.column)


# -- page ---------------------------------------------------------------------------------


def _page(work: _Work) -> None:
    """A4 and the decree's margins in every section; a later section's (a Phụ lục on
    pages of its own) listed with its number."""
    if "trang" not in work.failing or work.doc.page is None:
        return
    page = work.doc.page
    margins = {
        side: (round(low * MM), round(high * MM)) for side, (low, high) in MARGINS_MM.items()
    }
    found = {"top": page.top, "bottom": page.bottom, "left": page.left + page.gutter}
    found["right"] = page.right
    for section, change, old_value in work.repair.page(*A4_TWIPS, margins):
        if change == "paper":
            if section == 0:
                old = f"{page.width / MM:.1f} × {page.height / MM:.1f}"
                work.done("trang", "fix_trang_paper", old=old)
            else:
                work.done("trang", "fix_trang_section_paper", section=section)
            continue
        low, high = margins[change]
        value = abs(found[change]) if section == 0 else old_value
        new = min(max(value, low), high)
        params: dict[str, Any] = {
            "side": msg(f"check_side_{change}"),
            "old": round(value / MM, 1),
            "new": round(new / MM, 1),
        }
        if section == 0:
            work.done("trang", "fix_trang_margin", **params)
        else:
            work.done("trang", "fix_trang_section_margin", section=section, **params)


# -- fonts ---------------------------------------------------------------------------------


def _fonts(work: _Work) -> None:
    if "phong_chu" not in work.failing:
        return
    legacy = frozenset(
        f.casefold() for run in work.doc.fonts for f in run.fonts if f and encoding_of_font(f)
    )
    done, left = work.repair.fonts(nd30.FONT, legacy)
    for font, count in sorted(done.items()):
        face = re.fullmatch(
            rf"{re.escape(nd30.FONT)}[\s,-]+(bold|italic|bold\s*italic)", font, re.I
        )
        if face is not None:
            faces = [msg(f"fix_what_{k}") for k in ("bold", "italic") if k in face[1].lower()]
            work.done(
                "phong_chu",
                "fix_phong_chu_face",
                font=font,
                count=count,
                to=nd30.FONT,
                faces=Join(tuple(faces), ", "),
            )
        else:
            work.done("phong_chu", "fix_phong_chu_font", font=font, count=count, to=nd30.FONT)
    for font, count in sorted(left.items()):
        work.notes.append(
            Fixed("phong_chu", "fix_phong_chu_legacy", {"font": font, "count": count})
        )


def _body_sizes(work: _Work) -> None:
    """Body paragraphs' runs outside 13–14 pt to the nearest bound (PL I, II.6.e)."""
    if not {"phong_chu", "noi_dung"} & work.failing:
        return
    low, high = nd30.BODY_SIZE.low, nd30.BODY_SIZE.high
    count = 0
    for para in work.doc.body:
        if all(low <= s <= high for s in para.sizes):
            continue
        found = work.repair.paragraph(para.at.paragraph)
        if found is None:
            continue
        for run in found.runs():
            size = found.run_size(run)
            if not low <= size <= high:
                work.repair.format([run], size=min(max(size, low), high))
        count += 1
    if count:
        work.done("noi_dung", "fix_body_size", count=count, low=low, high=high)


def _body_layout(work: _Work) -> None:
    """Body paragraphs justified, first line 1.27 cm in, at least 6 pt between them, single
    to 1.5 lines (PL I, II.6.e), judged as the ``noi_dung`` rule judges them. A paragraph
    whose list number Word draws keeps its hanging indent."""
    if "noi_dung" not in work.failing:
        return
    count = 0
    kinds: dict[str, None] = {}
    for body in work.doc.body:
        codes = {m.code for m in body_problems(body)} - {"check_body_size"}
        para = work.repair.paragraph(body.at.paragraph)
        if not codes or para is None:
            continue
        changes: dict[str, Any] = {}
        if "check_body_align" in codes:
            changes["align"] = "both"
        if "check_body_indent" in codes and not para.label:
            changes["first_line"] = round(nd30.FIRST_LINE_CM.default * 1440 / 2.54)
        if "check_body_spacing" in codes:
            changes["before"] = round(MIN_PARAGRAPH_GAP - body.space_after)
        if "check_body_line" in codes:
            changes["line"] = _line_within(body)
        if not changes:
            continue
        work.repair.layout(para, **changes)
        count += 1
        kinds.update(dict.fromkeys(changes))
    if count:
        what = Join(tuple(msg(f"fix_what_{kind}") for kind in kinds), ", ")
        work.done("noi_dung", "fix_body_layout", count=count, what=what)


def _line_within(body: BodyParagraph) -> int:
    """The nearest line spacing in single to 1.5 lines, in 240ths of a line."""
    value, rule = body.line
    if rule == "auto":
        lines = value / 240
    else:
        size = max(body.sizes or (body.mark_size,))
        lines = value / 20 / (size * SINGLE_LINE)
    low, high = LINE_SPACING
    return round(min(max(lines, low), high) * 240)


# -- formatting of the header and closing lines ----------------------------------------------


def _format(
    work: _Work,
    rule: str,
    line: Line | None,
    role: nd30.Role,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    caps: bool | None = None,
    size: float | None = None,
    end: int | None = None,
    centred: bool = False,
) -> None:
    """Give ``line``'s runs the role's size (the nearest of its range, or ``size``), and
    bold, italic or capitals where asked and missing; ``end`` limits the runs to
    those among its first characters (a label). Listed once per line."""
    if line is None or rule not in work.failing:
        return
    if rule != "quoc_hieu" and _other_element(line):
        return  # reading took the Quốc hiệu or Tiêu ngữ for this element: not ours to restyle
    pieces = work.segment(line)
    para = work.repair.paragraph(line.at.paragraph)
    if not pieces or para is None:
        return
    if end is not None:
        lead = len(line.text) - len(line.text.lstrip())
        kept, offset = [], 0
        for piece in pieces:
            if offset < lead + end:
                kept.append(piece)
            offset += len(piece.node.text or "")
        pieces = kept
    runs = list({id(p.run): p.run for p in pieces if (p.node.text or "").strip()}.values())
    if not runs:
        return
    what: list[Msg] = []
    bounds = role.size or nd30.BODY_SIZE
    sizes = {para.run_size(run) for run in runs}
    if size is not None and sizes != {size}:
        target: float | None = size
    elif size is None and not all(bounds.low <= s <= bounds.high for s in sizes):
        target = min(max(max(sizes), bounds.low), bounds.high)
    else:
        target = None
    if target is not None:
        old = "/".join(f"{s:g}" for s in sorted(sizes))
        what.append(msg("fix_what_size", old=old, new=f"{target:g}"))
    wants: dict[str, bool] = {}
    for name, value in (("b", bold), ("i", italic), ("caps", caps)):
        if value is None:
            continue
        states = {para.toggle(run, name) for run in runs}
        if name == "caps" and value and line.capitals:
            continue
        if states != {value}:
            wants[name] = value
            code = {"b": "bold", "i": "italic", "caps": "caps"}[name]
            what.append(msg(f"fix_what_{code}" if value else f"fix_what_no_{code}"))
    centre = centred and line.align != "center" and _whole(line)
    if centre:
        what.append(msg("fix_what_centre"))
    if not what:
        return
    if centre:
        work.repair.align(para, "center")
    work.repair.format(
        runs, size=target, bold=wants.get("b"), italic=wants.get("i"), caps=wants.get("caps")
    )
    work.done(rule, "fix_format", line, text=excerpt(line.shown, 50), what=Join(tuple(what), ", "))


def _other_element(line: Line) -> bool:
    """Whether ``line`` is the Quốc hiệu or the Tiêu ngữ, whatever element it was read as."""
    text = norm(line.clean.translate(DASHES)).upper()
    return any(known.upper() in text for known in (nd30.QUOC_HIEU_TEXT, nd30.TIEU_NGU_TEXT))


def _header(work: _Work) -> None:
    header = work.doc.header
    qh, tn = header.national_title, header.motto
    if qh is not None and tn is not None and "quoc_hieu" in work.failing:
        qh_bounds, tn_bounds = nd30.QUOC_HIEU.size, nd30.TIEU_NGU.size
        assert qh_bounds is not None and tn_bounds is not None
        qh_size, tn_size = max(qh.sizes()), max(tn.sizes())
        ok = qh_bounds.low <= qh_size <= qh_bounds.high and tn_size == qh_size + 1
        _format(
            work,
            "quoc_hieu",
            qh,
            nd30.QUOC_HIEU,
            bold=True,
            caps=True,
            size=None if ok else float(qh_bounds.default),
        )
        _format(
            work,
            "quoc_hieu",
            tn,
            nd30.TIEU_NGU,
            bold=True,
            italic=False,
            size=None if ok else float(tn_bounds.default),
        )
    for line in header.parent_agency:  # capitals, not bold (PL I, II.2)
        _format(work, "co_quan", line, nd30.CO_QUAN_CHU_QUAN, bold=False, caps=True)
    for line in header.agency:
        _format(work, "co_quan", line, nd30.CO_QUAN_BAN_HANH, bold=True, caps=True)
    # "Số", the number and the ký hiệu: the role's one size, upright (PL I, II.3)
    so_size = float(nd30.points(nd30.SO))
    _format(work, "so_ky_hieu", header.number, nd30.SO, italic=False, size=so_size)
    _format(work, "ngay_thang", header.place_date, nd30.DIA_DANH_NGAY, italic=True)
    title = work.doc.title
    if title.kind is not None and not title.kind.letter:
        type_name = title.type_name
        _format(work, "ten_loai", type_name, nd30.TEN_LOAI, bold=True, caps=True, centred=True)
        for line in title.summary:
            _format(work, "ten_loai", line, nd30.TRICH_YEU, bold=True, centred=True)


def _closing(work: _Work) -> None:
    closing = work.doc.closing
    label = closing.recipients_label
    if label is not None and label.clean.startswith(nd30.NOI_NHAN_TEXT):
        exact = float(nd30.points(nd30.NOI_NHAN_LABEL))
        _format(
            work,
            "noi_nhan",
            label,
            nd30.NOI_NHAN_LABEL,
            bold=True,
            italic=True,
            size=exact,
            end=len(nd30.NOI_NHAN_TEXT),
        )
    for item in closing.recipients:
        _format(
            work,
            "noi_nhan",
            item,
            nd30.NOI_NHAN_ITEM,
            italic=False,
            size=float(nd30.points(nd30.NOI_NHAN_ITEM)),
        )
    signer = closing.signer
    for line in signer.lines:
        _format(work, "nguoi_ky", line, nd30.CHUC_VU, bold=True, caps=True)
    _format(work, "nguoi_ky", signer.name, nd30.HO_TEN, bold=True)


def _rules(work: _Work) -> None:
    """The rule under the agency name (1/3 to 1/2 of its width) and under the Tiêu ngữ (its
    width), where reading found none and nothing is drawn near (PL I, II.1–2)."""
    header = work.doc.header
    wanted = [
        ("co_quan", header.agency, header.agency_rule, nd30.RULE_SHARE, "check_el_co_quan"),
        (
            "quoc_hieu",
            (header.motto,) if header.motto else (),
            header.motto_rule,
            nd30.TIEU_NGU_RULE_SHARE,
            "check_el_tieu_ngu",
        ),
    ]
    title = work.doc.title
    if title.kind is not None and not title.kind.letter and title.summary:
        rule = title.summary_rule
        wanted.append(("ten_loai", title.summary, rule, nd30.RULE_SHARE, "check_el_trich_yeu"))
    planned = []
    for rule, lines, found, share, element in wanted:  # all decided before any is drawn
        if rule not in work.failing or found is not None or not lines:
            continue
        last = lines[-1]
        para = work.repair.paragraph(last.at.paragraph)
        if para is None or last.at.part != "body" or last.at.line != _last_line(last):
            continue
        # the trích yếu's rule is looked for from the type name down, not among the header's
        start = 0
        if rule == "ten_loai":
            first = title.type_name or lines[0]
            start = first.at.paragraph if first.at.part == "body" else lines[0].at.paragraph
        if work.repair.drawn_near(para, start):
            work.notes.append(Fixed(rule, "fix_rule_drawn_near", {"what": msg(element)}))
            continue
        longest = max(
            text_width(line.shown, max(line.sizes()), bold=line.all_bold()) for line in lines
        )
        available = work.repair.available(para)
        indent = max(0, round((available - share * min(longest, available)) / 2))
        planned.append((rule, last, para, indent, element))
    for rule, last, para, indent, element in planned:
        work.repair.add_rule(para, indent)
        work.done(rule, "fix_rule_added", last, what=msg(element))


def _whole(line: Line) -> bool:
    """Whether ``line`` is its paragraph's whole text (aligning the paragraph aligns only it)."""
    return norm(line.paragraph_text) == line.clean


def _last_line(line: Line) -> int:
    """The number of the paragraph's last line (line breaks in its text)."""
    return line.paragraph_text.count("\n")


# -- text: punctuation and padding ----------------------------------------------------------


def _recipients_punctuation(work: _Work) -> None:
    """ ";" at the end of each Nơi nhận line, "." at the end of the last (PL I, II.9.d)."""
    if "noi_nhan" not in work.failing:
        return
    items = work.doc.closing.recipients
    for position, item in enumerate(items):
        text = item.clean
        last = position == len(items) - 1
        if not text.startswith(("- ", "+ ")):
            continue
        if last:
            drafter = re.fullmatch(r"(?P<main>.*\.)\s*(?P<tail>[^\s;][^;]{0,24})", text)
            if text.endswith(".") or drafter is not None:
                continue
            wanted = "."
        else:
            following = items[position + 1].clean
            if text.endswith(";") or (text.endswith(":") and following.startswith("+ ")):
                continue
            wanted = ";"
        old = text[-1] if text[-1] in ",.;:" else ""
        if work.repair.replace_tail(work.segment(item), old, wanted):
            code = "fix_noi_nhan_end" if old else "fix_noi_nhan_add"
            work.done("noi_nhan", code, item, text=excerpt(text, 50), old=old, new=wanted)


def _archive_comma(work: _Work) -> None:
    """ "- Lưu: VT. NC." → "- Lưu: VT, NC.": the archive and the drafting unit are parted
    by a comma (PL I, II.9.d; real files 05 and 15)."""
    items = work.doc.closing.recipients
    if "noi_nhan" not in work.failing or not items:
        return
    line = items[-1]
    text = "".join(p.node.text or "" for p in work.segment(line))
    found = re.match(rf"\s*- {re.escape(nd30.LUU_TEXT)}\s*:\s*VT\s*(\.)\s*\S", text)
    if found is not None and _edit(work, line, found.start(1), found.end(1), ","):
        work.done("noi_nhan", "fix_noi_nhan_luu_comma", line, old="VT.", new="VT,")


_SIGNING = re.compile(r"\s*(TM|KT|TL|TUQ|Q)\.(?=\w)")
"""The signing authority's mark typed against the position: "TL.CHỦ TỊCH"."""


def _signer_spacing(work: _Work) -> None:
    """One space after "TM.", "KT.", "TL.", "TUQ.", "Q." ("TL.CHỦ TỊCH" → "TL. CHỦ TỊCH",
    PL I, II.7.a; real file 20)."""
    if "nguoi_ky" not in work.failing:
        return
    for line in work.doc.closing.signer.lines:
        text = "".join(p.node.text or "" for p in work.segment(line))
        found = _SIGNING.match(text)
        if found is not None and _edit(work, line, found.end(), found.end(), " "):
            old = excerpt(line.shown, 40)
            new = excerpt(f"{found[1]}. {line.shown[len(found[1]) + 1 :]}", 40)
            work.done("nguoi_ky", "fix_nguoi_ky_space", line, old=old, new=new)


def _edit(work: _Work, line: Line, start: int, end: int, new: str) -> bool:
    """Replace characters ``start``–``end`` of the segment's typed text with ``new``, where
    they stand in one text node."""
    offset = 0
    for piece in work.segment(line):
        text = piece.node.text or ""
        if offset <= start and end <= offset + len(text) and (start < offset + len(text) or new):
            local = start - offset
            piece.node.text = text[:local] + new + text[end - offset :]
            piece.node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            work.repair.touched(piece.node)
            return True
        offset += len(text)
    return False


def _number_padding(work: _Work) -> None:
    """ "Số: 5/BC-…" → "Số: 05/BC-…" (Điều 15; PL I, II.3); "Số: 409 /TTr-…" → "Số: 409/TTr-…"
    (the slash stands against the number: PL I, II.3)."""
    if "so_ky_hieu" not in work.failing:
        return
    header = work.doc.header
    for line, pattern in (
        (header.number, r"^\s*số\s*:\s*(\d{1,9})([^\S\n]*)/"),
        *((rest, r"^\s*(\d{1,9})([^\S\n]*)/") for rest in header.number_rest[:1]),
    ):
        if line is None:
            continue
        text = "".join(p.node.text or "" for p in work.segment(line))
        found = re.search(pattern, text, flags=re.IGNORECASE)
        if found is None:
            continue
        if found[2] and _edit(work, line, found.start(2), found.end(2), ""):
            old, new = f"{found[1]}{found[2]}/", f"{found[1]}/"
            work.done("so_ky_hieu", "fix_number_space", line, old=old, new=new)
        digits = found[1]
        padded = nd30.number_text(int(digits)) if int(digits) else digits
        if len(digits) < len(padded) and _edit(
            work, line, found.start(1), found.start(1), "0" * (len(padded) - len(digits))
        ):
            work.done("so_ky_hieu", "fix_padding", line, old=digits, new=padded)


def _date_padding(work: _Work) -> None:
    """ "ngày 5 tháng 3" → "ngày 05 tháng 3"; "tháng 1" → "tháng 01"; "tháng 03" → "tháng 3"."""
    line = work.doc.header.place_date
    if "ngay_thang" not in work.failing or line is None:
        return
    text = "".join(p.node.text or "" for p in work.segment(line))
    found = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm", text)
    if found is None:
        return
    edits: list[tuple[int, int, str, str, str]] = []
    day, month = found[1], found[2]
    if 1 <= int(day) <= 31 and day != nd30.day_text(int(day)):
        edits.append((found.start(1), found.end(1), nd30.day_text(int(day)), day, "day"))
    if 1 <= int(month) <= 12 and month != nd30.month_text(int(month)):
        edits.append((found.start(2), found.end(2), nd30.month_text(int(month)), month, "month"))
    for start, end, new, old, _ in reversed(edits):  # from the end: offsets stay right
        if _edit(work, line, start, end, new):
            work.done("ngay_thang", "fix_padding", line, old=old, new=new)


_GLUED = re.compile(r"\s*((?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3})\.|[a-zđ]\))(?=[^\W\d_])")
"""A heading label typed with no space before its text: "6.1.Công", "II.KẾT", "a)Tổ"."""


def _label_spacing(work: _Work) -> None:
    """One space after a heading label typed against its text ("6.1.Công tác")."""
    for numbered in work.doc.numbered:
        found = _GLUED.match(numbered.typed)
        if found is None:
            continue
        para = work.repair.paragraph(numbered.at.paragraph)
        if para is not None and work.repair.space_after(para, found[1]):
            place = Place(numbered.at.paragraph + 1, excerpt(numbered.typed))
            work.fixed.append(Fixed("danh_so", "fix_label_space", {"label": found[1]}, place))


# -- page numbers ----------------------------------------------------------------------------


def _page_numbers(work: _Work) -> None:
    """The number centred in the header, 13–14 pt, from page 2 (PL I, I.7)."""
    numbers = work.doc.page_numbers
    if "so_trang" not in work.failing or numbers is None:
        return
    repair = work.repair
    size = float(nd30.points(nd30.SO_TRANG))
    if numbers.header is None:
        if numbers.in_footer:
            footer = repair.footer_numbers()
            if not footer or not all(only_page_field(p.element) for _, p in footer):
                # the footer's number shares its line with other text ("Trang 2/5"): the clerk's
                work.notes.append(Fixed("so_trang", "fix_so_trang_footer_kept"))
                return
            for part, para in footer:
                repair.remove_page_field(part, para)
            repair.add_page_numbers(size, nd30.FONT)
            work.done("so_trang", "fix_so_trang_moved", size=size)
            repair.title_page()
            return
        repair.add_page_numbers(size, nd30.FONT)
        work.done("so_trang", "fix_so_trang_added", size=size)
        # An empty first-page header even where titlePg was on already: without one,
        # LibreOffice shows the default header (and now its number) on page 1.
        repair.title_page()
        return
    paras = repair.page_number_paragraphs()
    if not paras:
        return
    para = paras[0]
    bounds = nd30.SO_TRANG.size
    assert bounds is not None
    if numbers.header.align != "center":
        repair.align(para, "center")
        work.done("so_trang", "fix_so_trang_centre")
    sizes = numbers.header.sizes
    if not all(bounds.low <= s <= bounds.high for s in sizes):
        target = min(max(max(sizes), bounds.low), bounds.high)
        repair.format(repair.page_field_runs(para), size=target)
        repair.mark_size(para, target)
        old = "/".join(f"{s:g}" for s in sizes)
        work.done("so_trang", "fix_so_trang_size", old=old, new=target)
    if not numbers.title_page:
        repair.title_page()
        work.done("so_trang", "fix_so_trang_first")


def _appendix_numbers(work: _Work) -> None:
    """Each phụ lục in a section of its own numbers its pages afresh (PL I, mục III),
    when the document has page numbers (or has just been given them)."""
    numbers = work.doc.page_numbers
    has_numbers = numbers is not None and numbers.header is not None
    added = any(f.code == "fix_so_trang_added" for f in work.fixed)
    if not (has_numbers or added):
        return
    for appendix in work.doc.appendices:
        label = appendix.label or (appendix.title[0] if appendix.title else None)
        if label is None or appendix.at.part != "body":
            continue
        done = work.repair.restart_numbers(appendix.at.paragraph)
        if done:
            work.done("so_trang", "fix_appendix_restart", label, text=excerpt(label.shown, 40))
        elif done is None:
            params = {"text": excerpt(label.shown, 40)}
            work.notes.append(Fixed("so_trang", "fix_appendix_no_section", params))


_TAKES_ROOM = frozenset(
    ("fix_trang_margin", "fix_trang_paper", "fix_rule_added", "fix_body_size", "fix_body_layout")
)
"""Changes that can push text down a page."""

FOLLOW_ON = frozenset(("fix_tail_blank", "fix_keep_signature"))
"""Changes made because another took room, listed under the rule of what they keep (the
page, the signer) though that rule did not fail."""


def _tail(work: _Work) -> None:
    """Once a change took room, the empty paragraphs that end the document are made 1 pt
    high: alone on a page, they would print a blank one (real file 10, its top margin
    widened); and the table rows of the signature are kept on one page, so the name does
    not go to the next page alone (real file 17, its margins widened)."""
    if not any(f.code in _TAKES_ROOM for f in work.fixed):
        return
    count = work.repair.compact_tail()
    if count:
        work.done("trang", "fix_tail_blank", count=count)
    closing = work.doc.closing
    signer = closing.signer
    lines = [*signer.lines, *signer.below, *([signer.name] if signer.name else [])]
    paras = [work.repair.paragraph(line.at.paragraph) for line in lines if line.at.part == "body"]
    rows = work.repair.keep_rows([p for p in paras if p is not None and p.cell is not None])
    if rows:
        work.done("nguoi_ky", "fix_keep_signature", count=rows)


_STEPS: tuple[Callable[[_Work], None], ...] = (
    _page,
    _fonts,
    _body_sizes,
    _body_layout,
    _header,
    _closing,
    _rules,
    _recipients_punctuation,
    _archive_comma,
    _signer_spacing,
    _number_padding,
    _date_padding,
    _label_spacing,
    _page_numbers,
    _appendix_numbers,
    _tail,
)


# -- the words are the author's ------------------------------------------------------------


def words(data: bytes) -> list[str]:
    """The words of a .docx's body and notes, numbers by value ("05" and "5" alike)."""
    docx = Docx(data)
    texts = [p.text for p in docx.paragraphs]
    texts += [
        p.text for kind, paras in other_stories(docx) if kind.endswith("notes") for p in paras
    ]
    out = []
    for token in re.findall(r"\w+", "\n".join(texts)):
        out.append(str(int(token)) if token.isdigit() and token.isascii() else token)
    return out


def _lost_words(original: bytes, fixed: bytes) -> list[str]:
    """Words that differ between the two, in order; empty when they are the same."""
    before, after = words(original), words(fixed)
    if before == after:
        return []
    return [b for b, a in zip(before, after, strict=False) if a != b] or ["…"]
