"""Stage 3, lay out: turn a validated report into the template's context.

Everything the decree fixes but a clerk should not have to type is decided
here: the "Số:" line with its leading zero, the place-and-date phrase, the
punctuation of Nơi nhận, the signer's lines, the marks, the appendices and
the length of each rule. The flowing body (sections, tables, footnotes)
is laid out by ``body``. Both produce WordprocessingML (``docx.ooxml``) that
references the template's styles, so the template stays the authority on
how things look.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from baocao import markup, nd30, tables, vietnamese
from baocao.body import (
    BODY,
    CITATION,
    FIRST_LEVEL,
    FOOTNOTE_TEXT,
    Block,
    Media,
    Para,
    body_blocks,
    citations,
    close_body,
    lines,
    table_minimum_width,
)
from baocao.bundle import Template
from baocao.docx import ooxml

PAGE_WIDTH = ooxml.mm(nd30.PAGE_MM[0])


PAGE_HEIGHT = ooxml.mm(nd30.PAGE_MM[1])


DEFAULT_MARGINS = {
    "tren": nd30.MARGINS.top.default,
    "duoi": nd30.MARGINS.bottom.default,
    "trai": nd30.MARGINS.left.default,
    "phai": nd30.MARGINS.right.default,
}
"""Default margins in mm, inside the decree's ranges (Phụ lục I, mục I.3)."""


HEADER_LEFT = ooxml.mm(68)


HEADER_RIGHT = ooxml.mm(102)
"""Header table columns: agency block | Quốc hiệu (13 pt bold caps is 95.7 mm)."""


CELL_MARGIN = ooxml.mm(1)


RULE_SHARE = nd30.RULE_SHARE
"""Rules under the agency name and the trích yếu: 1/3 to 1/2 of the text (PL I, II.2 and II.5)."""


QUOC_HIEU = nd30.QUOC_HIEU_TEXT


TIEU_NGU = nd30.TIEU_NGU_TEXT


@dataclass(frozen=True)
class Sizes:
    """Font sizes (pt) that move together (Phụ lục I, footnote 1 of the Mục V table).

    The header set is Quốc hiệu 13 / Tiêu ngữ 14 / place-and-date 14, or
    12 / 13 / 13; agency names follow the Quốc hiệu (12–13 pt). The body is
    13 or 14 pt, and the title, trích yếu, signer and page number go with it.
    """

    body: int = nd30.points(nd30.BODY)
    quoc_hieu: int = nd30.points(nd30.QUOC_HIEU)

    @property
    def tieu_ngu(self) -> int:
        return self.quoc_hieu + 1

    def by_style(self) -> dict[str, int]:
        """Map each template style to its size."""
        header = dict.fromkeys((r.style for r in nd30.FOLLOW_QUOC_HIEU), self.quoc_hieu)
        header.update(dict.fromkeys((r.style for r in nd30.FOLLOW_TIEU_NGU), self.tieu_ngu))
        body = dict.fromkeys((r.style for r in nd30.FOLLOW_BODY), self.body)
        return {**header, **body}


def sizes(data: dict[str, Any]) -> Sizes:
    layout = data.get("trinh_bay") or {}
    default = Sizes()
    return Sizes(
        body=layout.get("co_chu", default.body),
        quoc_hieu=layout.get("co_chu_quoc_hieu", default.quoc_hieu),
    )


BLANK = vietnamese.BLANK
"""What a blank number or day looks like: room for the Văn thư to write it in."""


DEFAULT_TOKENS = {"so_ky_hieu": "#SoKyHieuVanBan", "dia_danh_ngay": "#DiaDiemNgayBanHanh"}
"""E-office tokens stamped over at signing (seed 000, qOffice-style systems)."""


RULE = "BCGach"


ADDRESSEE = nd30.KINH_GUI.style


def number_line(data: dict[str, Any], abbreviation: str) -> str:
    """Write the "Số:" line: ``Số: 05/BC-STTTT``, or ``Số:      /BC-STTTT`` when blank.

    The type abbreviation is put before the agency symbol unless the clerk
    already typed it; the symbol is kept as typed (mixed case such as TTr is
    meaningful, Phụ lục I, mục II.3).
    """
    numbering = data.get("so_ky_hieu") or {}
    symbol = str(numbering.get("ky_hieu", "")).strip()
    if abbreviation and not symbol.startswith(abbreviation + "-"):  # a công văn has none
        symbol = f"{abbreviation}-{symbol}" if symbol else abbreviation
    number = numbering.get("so")
    if isinstance(number, str):
        number = int(number) if number.strip() else None  # validation allows digits only
    return vietnamese.document_number(number, symbol, blank=BLANK)


def date_line(data: dict[str, Any]) -> str:
    """Write the place and date: "Quảng Nam, ngày 12 tháng 11 năm 2021", blanks allowed."""
    place = data.get("dia_danh")
    issued = data.get("ngay_ban_hanh")
    if isinstance(issued, date):
        return vietnamese.nd30_date(issued, place)
    parts = issued if isinstance(issued, dict) else {}
    return vietnamese.nd30_date_parts(
        parts.get("ngay"), parts.get("thang"), parts.get("nam"), place=place, blank=BLANK
    )


def signer_lines(signer: dict[str, Any]) -> list[str]:
    """Return the authority and position lines of the signature block (ô 7a).

    "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"; "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" /
    "PHÓ CHỦ TỊCH" (two levels, Điều 13); "Q. GIÁM ĐỐC" on one line
    (Phụ lục I, mục II.7).
    """
    authorities = signer.get("quyen_han") or []
    authorities = authorities if isinstance(authorities, list) else [authorities]
    acting = signer.get("thay_cho") or []
    acting_for = iter(acting if isinstance(acting, list) else [acting])
    position = signer["chuc_vu"]
    lines = []
    for authority in authorities:
        if authority == "Q.":
            position = f"Q. {position}"
        else:
            lines.append(f"{authority} {next(acting_for)}")
    lines.append(position)
    if signer.get("chuc_vu_2"):
        lines.append(signer["chuc_vu_2"])
    return lines


def recipients(items: Sequence[str]) -> list[str]:
    """Punctuate Nơi nhận: "- " before each item, ";" after, "." after the last.

    Only a leading dash and a final ; , or . the author typed are replaced;
    the words themselves are kept (Phụ lục I, mục II.9.d).

    >>> recipients(["UBND tỉnh;", "- Lưu: VT, VP (TH)"])
    ['- UBND tỉnh;', '- Lưu: VT, VP (TH).']
    """
    out = []
    for index, item in enumerate(items):
        text = item.strip()
        if text.startswith("-"):
            text = text[1:].lstrip()
        if text[-1:] in (";", ".", ","):
            text = text[:-1].rstrip()
        out.append(f"- {text}{'.' if index == len(items) - 1 else ';'}")
    return out


URGENCY_BOX_MM = nd30.URGENCY_BOX_MM


BOX_PADDING_MM = 6


def _box(style: str, text: str, box: int, available: int, *, align: str) -> str:
    """A bordered one-line box ``box`` twips wide, at the left or right of ``available``."""
    room = max(available - box, 0)
    left, right = (0, room) if align == "left" else (room, 0)
    return ooxml.paragraph(style, ooxml.run(text), indent=(left, right))


def marks(data: dict[str, Any]) -> str:
    """Ô 10a then 10b: secrecy and urgency boxes under the "Số:" line."""
    available = HEADER_LEFT - 2 * CELL_MARGIN
    out = []
    secrecy = data.get("do_mat")
    if secrecy:
        points = nd30.points(nd30.DAU)
        width = ooxml.text_width(secrecy.upper(), points, bold=True) + ooxml.mm(BOX_PADDING_MM)
        out.append(_box(nd30.DAU.style, secrecy, width, available, align="left"))
    urgency = data.get("do_khan")
    if urgency:
        out.append(
            _box(
                nd30.DAU.style, urgency, ooxml.mm(URGENCY_BOX_MM[urgency]), available, align="left"
            )
        )
    return "".join(out)


def circulation(data: dict[str, Any], page: Page) -> str:
    """Ô 11: "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI" boxed above the Quốc hiệu, on the right."""
    text = data.get("pham_vi_luu_hanh")
    if not text:
        return ""
    points = nd30.points(nd30.PHAM_VI)
    width = ooxml.text_width(text.upper(), points, bold=True) + ooxml.mm(BOX_PADDING_MM)
    return _box(nd30.PHAM_VI.style, text, width, page.text_width, align="right")


KINH_GUI = nd30.KINH_GUI_TEXT


KINH_GUI_INDENT_MM = nd30.KINH_GUI_INDENT_MM


def addressees(data: dict[str, Any]) -> str:
    """Ô 9a: "Kính gửi: X" on one line, or one "- X;" line per addressee (PL I, II.5)."""
    names = lines(data.get("kinh_gui"))
    if not names:
        return ""
    indent = ooxml.mm(KINH_GUI_INDENT_MM)
    opening = (indent, None)
    if len(names) == 1:
        return ooxml.paragraph(ADDRESSEE, ooxml.runs(f"{KINH_GUI}: {names[0]}"), indent=opening)
    under_colon = indent + ooxml.text_width(KINH_GUI, nd30.points(nd30.KINH_GUI))
    items = "".join(
        ooxml.paragraph(ADDRESSEE, ooxml.runs(line), space_before=0, indent=(under_colon, None))
        for line in recipients(names)
    )
    head = ooxml.paragraph(ADDRESSEE, ooxml.run(KINH_GUI + ":"), indent=opening)
    return head + items


AS_ABOVE = nd30.NHU_TREN_TEXT


def recipient_lines(data: dict[str, Any]) -> list[str]:
    """Nơi nhận, starting with "- Như trên;" when the report has Kính gửi (PL I, II.9.d),
    and ending with the drafter's mark and copies (ô 12) when given."""
    items = list(data["noi_nhan"])
    if data.get("kinh_gui") and not items[0].strip(" -;.").startswith(AS_ABOVE):
        items.insert(0, AS_ABOVE)
    out = recipients(items)
    drafter = data.get("nguoi_soan")
    if drafter:
        copies = f"({drafter['so_ban']})" if drafter.get("so_ban") else ""
        out[-1] = f"{out[-1]} {drafter['ky_hieu']}.{copies}"
    return out


def contact_lines(data: dict[str, Any]) -> list[str]:
    """Ô 13: the address, then "ĐT: …, Fax: …, E-mail: …, Website: …" (page 1 only)."""
    contact = data.get("thong_tin_lien_he") or {}
    out = []
    if contact.get("dia_chi"):
        out.append(f"Địa chỉ: {contact['dia_chi']}")
    labels = (("dien_thoai", "ĐT"), ("fax", "Fax"), ("email", "E-mail"), ("website", "Website"))
    details = [f"{label}: {contact[key]}" for key, label in labels if contact.get(key)]
    if details:
        out.append(", ".join(details))
    return out


def _rule_indent(available: int, text: str, size: float, *, bold: bool, share: float) -> int:
    """Indent that centres a rule ``share`` × the text's (longest line's) width."""
    longest = max((ooxml.text_width(line, size, bold=bold) for line in text.split("\n")), default=0)
    length = share * min(longest, available)
    return max(0, round((available - length) / 2))


@dataclass(frozen=True)
class Page:
    """Page geometry in twips."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def text_width(self) -> int:
        return PAGE_WIDTH - self.left - self.right

    @property
    def landscape_text_width(self) -> int:
        return PAGE_HEIGHT - self.left - self.right


@dataclass(frozen=True)
class Section:
    """A run of pages with its own orientation: the report, or one appendix."""

    landscape: bool = False


def page(data: dict[str, Any]) -> Page:
    margins = {**DEFAULT_MARGINS, **((data.get("trinh_bay") or {}).get("le_trang") or {})}
    return Page(*(ooxml.mm(float(margins[k])) for k in ("tren", "duoi", "trai", "phai")))


def context(
    data: dict[str, Any],
    template: Template,
    media: Media | None = None,
    *,
    models: tables.Models,
    notes: Mapping[str, int],
) -> dict[str, Any]:
    """Build everything the template needs from validated report data.

    ``models`` and ``notes`` are what validation built (``Validated.tables``,
    ``Validated.footnotes``): each table's model and each cited note's number.
    """
    geometry = page(data)
    tokens = data.get("ma_dac_biet")
    if tokens:
        names = {**DEFAULT_TOKENS, **(tokens if isinstance(tokens, dict) else {})}
        number, place_date = f"Số: {names['so_ky_hieu']}", names["dia_danh_ngay"]
    else:
        number, place_date = number_line(data, template.type_abbreviation), date_line(data)

    size = sizes(data)
    agency = data["co_quan_ban_hanh"]
    summary = lines(data["trich_yeu"])
    if template.letter:  # công văn: the trích yếu is "V/v …" under the number (PL I, II.5.b)
        summary = [line if line.startswith("V/v") else f"V/v {line}" for line in summary]
    left_inner = HEADER_LEFT - 2 * CELL_MARGIN
    right_inner = HEADER_RIGHT - 2 * CELL_MARGIN

    blocks: list[Block] = [Para(CITATION, line) for line in citations(data.get("can_cu"))]
    blocks += [Para(BODY, text) for text in lines(data.get("mo_dau"))]
    first_level = FIRST_LEVEL[(data.get("trinh_bay") or {}).get("muc_dau", "I.")]
    blocks += body_blocks(data["noi_dung"], geometry.text_width, first_level, media, models=models)
    blocks += [Para(BODY, text) for text in lines(data.get("ket_thuc"))]
    close_body(blocks)

    signer = data["nguoi_ky"]
    appendix_xml, sections = appendices(
        data, template, geometry, notes, first_level, media, models=models
    )
    return {
        "co_quan_chu_quan": data.get("co_quan_chu_quan") or "",
        "du_lieu": data,
        "co_quan_ban_hanh": agency,
        "gach_co_quan": ooxml.rule(
            RULE,
            _rule_indent(left_inner, agency, size.quoc_hieu, bold=True, share=RULE_SHARE),
        ),
        "quoc_hieu": QUOC_HIEU,
        "tieu_ngu": TIEU_NGU,
        "gach_tieu_ngu": ooxml.rule(
            RULE, _rule_indent(right_inner, TIEU_NGU, size.tieu_ngu, bold=True, share=1.0)
        ),
        "so_ky_hieu": number,
        "dia_danh_ngay": place_date,
        "ma_dac_biet": bool(tokens),
        "ten_loai": template.type_name,
        "trich_yeu": summary,
        "gach_trich_yeu": ooxml.rule(
            RULE,
            _rule_indent(
                geometry.text_width, "\n".join(summary), size.body, bold=True, share=RULE_SHARE
            ),
        ),
        "than_van_ban": Markup("".join(block.xml(notes) for block in blocks)),
        "chu_thich": [
            ooxml.footnote(number, lines(data["chu_thich"][key]), FOOTNOTE_TEXT)
            for key, number in notes.items()
        ],
        "noi_nhan": recipient_lines(data),
        "dau_muc_do": Markup(marks(data)),
        "pham_vi_luu_hanh": Markup(circulation(data, geometry)),
        "kinh_gui": Markup(addressees(data)),
        "lien_he": contact_lines(data),
        "nguoi_ky": {"dong": signer_lines(signer), "ho_ten": signer.get("ho_ten") or ""},
        "trang": geometry,
        "phu_luc": Markup(appendix_xml),
        "phan": sections,
        "co_chu": size,
    }


SECTION_BREAK_STYLE = "BCNgatPhan"


SECTION_BREAK = ooxml.paragraph(SECTION_BREAK_STYLE, "")
"""Ends the previous section; rendering gives it that section's properties."""


def reference_line(data: dict[str, Any], template: Template) -> str:
    """The appendix's "(Kèm theo Báo cáo số …/BC-… ngày …)" line, from the header.

    Blank parts stay blank for the Văn thư, and an e-office draft (whose number
    and date are stamped at signing) leaves both blank (Phụ lục I, mục III.1).
    """
    if data.get("ma_dac_biet"):
        numbering = {"so_ky_hieu": {"ky_hieu": (data.get("so_ky_hieu") or {}).get("ky_hieu", "")}}
        number = number_line(numbering, template.type_abbreviation)
        issued = vietnamese.nd30_date_parts(None, None, None, blank=BLANK)
    else:
        number = number_line(data, template.type_abbreviation)
        issued = date_line({**data, "dia_danh": None})
    return f"(Kèm theo {template.type_name_prose} số{number.removeprefix('Số:')} {issued})"


def appendices(
    data: dict[str, Any],
    template: Template,
    page: Page,
    notes: Mapping[str, int],
    first_level: int,
    media: Media | None = None,
    *,
    models: tables.Models,
) -> tuple[str, list[Section]]:
    """Lay out the phụ lục after the signature, each in a section of its own.

    Each appendix starts on a new page with page numbers from 1; it is
    landscape when it says so, or when one of its tables cannot fit a
    portrait page (Phụ lục I, mục I.2 and III.1).
    """
    items = data.get("phu_luc") or []
    parts: list[str] = []
    sections = [Section()]
    for index, appendix in enumerate(items):
        landscape = appendix.get("ngang")
        if landscape is None:
            landscape = any(
                table_minimum_width(models.of(spec)) > page.text_width
                for _, spec in markup.find_blocks(appendix.get("noi_dung"), (), "bang")
            )
        width = page.landscape_text_width if landscape else page.text_width
        sections.append(Section(landscape))
        parts.append(SECTION_BREAK)
        number = appendix.get("so") or (vietnamese.roman(index + 1) if len(items) > 1 else None)
        if number is not None:
            parts.append(
                ooxml.paragraph(nd30.PHU_LUC_SO.style, ooxml.run(f"{nd30.PHU_LUC_TEXT} {number}"))
            )
        if appendix.get("tieu_de"):
            parts.append(
                ooxml.paragraph(
                    nd30.PHU_LUC_TIEU_DE.style, ooxml.runs(appendix["tieu_de"], notes=notes)
                )
            )
        reference = appendix.get("kem_theo", True)
        if reference:
            text = reference if isinstance(reference, str) else reference_line(data, template)
            parts.append(ooxml.paragraph(nd30.KEM_THEO.style, ooxml.runs(text)))
            parts.append(
                ooxml.rule(
                    RULE,
                    _rule_indent(
                        width, text, nd30.points(nd30.KEM_THEO), bold=False, share=RULE_SHARE
                    ),
                )
            )
        parts += [
            ooxml.paragraph(nd30.DONG_PHU.style, ooxml.runs(line, notes=notes))
            for line in appendix.get("dong_phu") or ()
        ]
        blocks = list(
            body_blocks(appendix.get("noi_dung") or (), width, first_level, media, models=models)
        )
        parts += [block.xml(notes) for block in blocks]
        parts.append(_appendix_closing(data, appendix, width))
    return "".join(parts), sections


DATE_SIZE = nd30.points(nd30.DIA_DANH_NGAY)


def _appendix_closing(data: dict[str, Any], appendix: dict[str, Any], width: int) -> str:
    """The appendix's own date line and signers side by side (seed 004).

    Signers stand left to right in the order given; a single one stands on
    the right, where the report's own signer stands. The date line is above
    the rightmost signer, whose column is widened so the line does not wrap.
    """
    signers = appendix.get("nguoi_ky") or []
    issued = appendix.get("dia_danh_ngay")
    if not signers and issued is None:
        return ""
    line = ""
    if issued is not None:
        if isinstance(issued, str):
            line = issued
        else:
            line = date_line({"dia_danh": data.get("dia_danh"), "ngay_ban_hanh": issued})
    blocks = [_signer_xml(signer) for signer in signers]
    if len(blocks) < 2:
        blocks = [""] + (blocks or [""])  # the left column stays empty
    count = len(blocks)
    last = max(width // count, ooxml.text_width(line, DATE_SIZE) + 2 * CELL_MARGIN + ooxml.mm(4))
    last = min(last, width)
    widths = [(width - last) // (count - 1)] * (count - 1) + [last]
    widths[-1] += width - sum(widths)
    rows = []
    if line:
        # keepNext: the date line never stays behind on a page without its signers.
        keep = ooxml.paragraph(nd30.DIA_DANH_NGAY.style, "", keep_next=True)
        cells = [ooxml.Cell(xml=keep) for _ in range(count - 1)]
        cells.append(
            ooxml.Cell(
                xml=ooxml.paragraph(nd30.DIA_DANH_NGAY.style, ooxml.runs(line), keep_next=True)
            )
        )
        rows.append(ooxml.TableRow(cells))
    rows.append(
        ooxml.TableRow([ooxml.Cell(xml=block or ooxml.paragraph("BCCuoi", "")) for block in blocks])
    )
    table = ooxml.table(
        rows,
        widths,
        header_style=nd30.CHUC_VU_PHU_LUC.style,
        cell_style=nd30.CHUC_VU_PHU_LUC.style,
        table_style="BCKhongVien",
    )
    return table + ooxml.paragraph("BCCuoi", "")


def _signer_xml(signer: dict[str, Any]) -> str:
    """One signer of an appendix: titles as typed (e.g. "Người lập biểu"), then the name."""
    titles = "".join(
        ooxml.paragraph(nd30.CHUC_VU_PHU_LUC.style, ooxml.runs(line))
        for line in signer_lines(signer)
    )
    return titles + ooxml.paragraph(nd30.HO_TEN.style, ooxml.runs(signer.get("ho_ten") or ""))
