"""Stage 3, lay out: turn a validated report into the template's context.

Everything the decree fixes but a clerk should not have to type is decided
here: the "Số:" line with its leading zero, the place-and-date phrase, the
numbering labels I. / 1. / a) / - / +, the closing "./.", the punctuation
of Nơi nhận, the signer's lines, and the length of each rule. The body is
built as WordprocessingML (``ooxml``) that references the template's
styles, so the template stays the authority on how things look.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup

from baocao import markup, ooxml, tables, vietnamese
from baocao.bundle import Template

# -- page geometry (twips) ---------------------------------------------------------

PAGE_WIDTH = ooxml.mm(210)
PAGE_HEIGHT = ooxml.mm(297)
DEFAULT_MARGINS = {"tren": 20, "duoi": 20, "trai": 30, "phai": 15}
"""Default margins in mm, inside the decree's ranges (Phụ lục I, mục I.3)."""

HEADER_LEFT = ooxml.mm(68)
HEADER_RIGHT = ooxml.mm(102)
"""Header table columns: agency block | Quốc hiệu (13 pt bold caps is 95.7 mm)."""

CELL_MARGIN = ooxml.mm(1)
RULE_SHARE = 0.4
"""Rules under the agency name and the trích yếu: 1/3 to 1/2 of the text (PL I, II.2 and II.5)."""

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Sizes:
    """Font sizes (pt) that move together (Phụ lục I, footnote 1 of the Mục V table).

    The header set is Quốc hiệu 13 / Tiêu ngữ 14 / place-and-date 14, or
    12 / 13 / 13; agency names follow the Quốc hiệu (12–13 pt). The body is
    13 or 14 pt, and the title, trích yếu, signer and page number go with it.
    """

    body: int = 14
    quoc_hieu: int = 13

    @property
    def tieu_ngu(self) -> int:
        return self.quoc_hieu + 1

    def by_style(self) -> dict[str, int]:
        """Map each template style to its size."""
        header = dict.fromkeys(
            ("BCQuocHieu", "BCCoQuan", "BCCoQuanChuQuan", "BCSo", "BCSoMa"), self.quoc_hieu
        )
        header.update(
            dict.fromkeys(("BCTieuNgu", "BCDiaDanhNgay", "BCDiaDanhNgayMa"), self.tieu_ngu)
        )
        body = dict.fromkeys(
            (BODY, "BCTenLoai", "BCTrichYeu", "BCChucVu", "BCHoTen", "BCSoTrang"), self.body
        )
        return {**header, **body}


def sizes(data: dict[str, Any]) -> Sizes:
    layout = data.get("trinh_bay") or {}
    return Sizes(body=layout.get("co_chu", 14), quoc_hieu=layout.get("co_chu_quoc_hieu", 13))


BLANK = vietnamese.BLANK
"""What a blank number or day looks like: room for the Văn thư to write it in."""

DEFAULT_TOKENS = {"so_ky_hieu": "#SoKyHieuVanBan", "dia_danh_ngay": "#DiaDiemNgayBanHanh"}
"""E-office tokens stamped over at signing (seed 000, qOffice-style systems)."""

CLOSING_MARK = "./."


# -- body blocks --------------------------------------------------------------------


@dataclass
class Para:
    """A body paragraph before it becomes XML: style, label and text."""

    style: str
    text: str
    label: str = ""
    label_bold: bool | None = None

    def xml(self, notes: Mapping[str, int] | None = None) -> str:
        label = ""
        if self.label:
            label = ooxml.run(self.label + " ", bold=bool(self.label_bold))
        return ooxml.paragraph(self.style, label + ooxml.runs(self.text, notes=notes))


@dataclass
class Table:
    """A body table before it becomes XML."""

    spec: dict[str, Any]
    text_width: int
    caption: str | None = field(default=None)

    def xml(self, notes: Mapping[str, int] | None = None) -> str:
        return _table_xml(self.spec, self.text_width, notes)


@dataclass(frozen=True)
class Media:
    """How pictures get in: the folder their paths start from, and the embedder.

    ``embed(path, max_width, width)`` returns the run holding the picture; it is
    given by the rendering stage, the only one that touches the .docx package.
    """

    base_dir: Path
    embed: Callable[[Path, int, int | None], str]


@dataclass
class Picture:
    """A PNG or JPEG in the body, centred, with an optional italic caption."""

    spec: dict[str, Any]
    text_width: int
    media: Media | None

    def xml(self, notes: Mapping[str, int] | None = None) -> str:
        if self.media is None:
            return ""
        width = ooxml.mm(float(self.spec["rong"])) if self.spec.get("rong") else None
        path = self.media.base_dir / self.spec["tep"]
        out = ooxml.paragraph(PICTURE, self.media.embed(path, self.text_width, width))
        caption = self.spec.get("chu_thich")
        if caption:
            out += ooxml.paragraph(PICTURE_CAPTION, ooxml.runs(caption, notes=notes))
        return out


Block = Para | Table | Picture

# Styles the template defines (tools/make_templates.py); the body only names them.
BODY = "BCNoiDung"
CITATION = "BCCanCu"
HEADINGS = ("BCMuc1", "BCMuc2", "BCMuc3", "BCMuc4")
TABLE_CAPTION = "BCTenBang"
TABLE_HEADER = "BCBangTieuDe"
TABLE_CELL = "BCBangChu"
RULE = "BCGach"
PICTURE = "BCHinh"
ADDRESSEE = "BCKinhGui"
PICTURE_CAPTION = "BCChuHinh"
FOOTNOTE_TEXT = "BCChuThich"


def section_label(level: int, number: int) -> str:
    """Label the ``number``-th section at ``level`` (1-based), as the decree numbers them.

    Level 1 "I.", level 2 "1.", level 3 "a)" in the Vietnamese letter order
    (Phụ lục I, mục II.6); deeper levels are "-" then "+", as reports write them.

    >>> [section_label(1, 4), section_label(2, 4), section_label(3, 5), section_label(4, 1)]
    ['IV.', '4.', 'đ)', '-']
    """
    if level == 1:
        return f"{vietnamese.roman(number)}."
    if level == 2:
        return f"{number}."
    if level == 3:
        return f"{vietnamese.letter(number)})"
    return "-" if level % 2 == 0 else "+"


def body_blocks(
    items: Sequence[Any], text_width: int, level: int = 1, media: Media | None = None
) -> Iterator[Block]:
    """Flatten nested sections into paragraphs, tables and pictures with their labels."""
    number = 0
    for item in items:
        if isinstance(item, str):
            yield Para(BODY, item)
        elif "doan" in item:
            yield Para(BODY, item["doan"])
        elif "gach" in item:
            yield Para(BODY, "- " + item["gach"])
        elif "cong" in item:
            yield Para(BODY, "+ " + item["cong"])
        elif "bang" in item:
            yield Table(item["bang"], text_width)
        elif "hinh" in item:
            yield Picture(item["hinh"], text_width, media)
        else:
            number += 1
            yield from _section(item, level, number, text_width, media)


def _section(
    item: dict[str, Any], level: int, number: int, text_width: int, media: Media | None
) -> Iterator[Block]:
    label = item.get("so_muc") or section_label(level, number)
    style = HEADINGS[min(level, 4) - 1]
    children = list(body_blocks(item.get("noi_dung") or (), text_width, level + 1, media))
    title = item.get("tieu_de")
    first = children[0] if children else None
    if title is not None:
        yield Para(style, title, label)
    elif isinstance(first, Para) and not first.label:
        # "1. …" with no title: the label opens the section's first paragraph.
        children.pop(0)
        yield Para(first.style, first.text, label, label_bold=level <= 2)
    else:
        yield Para(style, "", label)
    yield from children


def close_body(blocks: list[Block]) -> None:
    """End the body with "./." unless the author already did (the decree's samples).

    Only a closing body paragraph gets the mark: a body that ends on a table
    or a heading is left as written rather than marking a title.
    """
    last = blocks[-1] if blocks else None
    if isinstance(last, Para) and last.style == BODY:
        last.text = with_closing_mark(last.text)


def with_closing_mark(text: str) -> str:
    """Append "./." to ``text``; a final "." becomes "./.".

    >>> with_closing_mark("tổng hợp"), with_closing_mark("tổng hợp."), with_closing_mark("xong./.")
    ('tổng hợp./.', 'tổng hợp./.', 'xong./.')
    """
    stripped = text.rstrip()
    if stripped.endswith(CLOSING_MARK):
        return stripped
    if stripped.endswith("."):
        return stripped + "/."
    return stripped + CLOSING_MARK


# -- tables -------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """Write a cell value: numbers the Vietnamese way (1.416; 26,86), dates d/m/yyyy."""
    if value is None:
        return ""
    if _is_number(value):
        return vietnamese.format_number(value)
    if isinstance(value, date):
        return vietnamese.short_date(value)
    return str(value)


def _column_aligns(model: tables.Table, spec: dict[str, Any]) -> list[str]:
    if spec.get("can_le"):
        return [ooxml.ALIGN[a] for a in spec["can_le"]]
    numeric = [
        any(_is_number(r.values[i]) for r in model.rows if r.kind == "data")
        for i in range(model.columns)
    ]
    return [
        "center" if sequence else "right" if number else "left"
        for sequence, number in zip(model.sequence, numeric, strict=True)
    ]


def _header_rows(model: tables.Table) -> Iterator[ooxml.TableRow]:
    """Lay the header grid out as rows of merged cells (gridSpan, vMerge)."""
    starts = {(c.row, c.column): c for c in model.header}
    for r in range(model.header_rows):
        cells, column = [], 0
        while column < model.columns:
            cell = starts.get((r, column))
            above = next(
                (c for c in model.header if c.column == column and c.row < r < c.row + c.rowspan),
                None,
            )
            if cell is not None:
                merge = "restart" if cell.rowspan > 1 else None
                cells.append(ooxml.Cell(cell.text, "center", cell.colspan, merge))
                column += cell.colspan
            elif above is not None:
                cells.append(ooxml.Cell("", "center", above.colspan, "continue"))
                column += above.colspan
            else:  # a hole validation reported; keep the grid whole
                cells.append(ooxml.Cell(""))
                column += 1
        yield ooxml.TableRow(cells, header=True)


def _body_rows(model: tables.Table, aligns: list[str]) -> Iterator[ooxml.TableRow]:
    for row in model.rows:
        if row.kind == "data":
            cells = [ooxml.Cell(cell_text(v), a) for v, a in zip(row.values, aligns, strict=True)]
        elif row.kind == "group":
            if model.sequence[0] and row.values:
                cells = [
                    ooxml.Cell(cell_text(row.values[0]), "center", bold=True),
                    ooxml.Cell(row.label, "left", model.columns - 1, bold=True),
                ]
            else:
                cells = [ooxml.Cell(row.label, "left", model.columns, bold=True)]
        else:  # subtotal or total: the label spans the leading text columns
            span = model.label_span
            label = [ooxml.Cell(row.label, "center", span, bold=True)] if span else []
            cells = label + [
                ooxml.Cell(cell_text(v), a, bold=True)
                for v, a in zip(row.values, aligns[span:], strict=True)
            ]
        yield ooxml.TableRow(cells)


def _column_needs(model: tables.Table) -> tuple[list[int], list[int]]:
    """Per column: the width of its longest word (floor) and of its longest text (want).

    Measured in Times New Roman 13 pt (bold for the floor: header words are bold).
    """
    floors, wants = [], []
    for column in range(model.columns):
        own = [c.text for c in model.header if c.column == column and c.colspan == 1]
        cells = [cell_text(r.values[column]) for r in model.rows if r.kind == "data"]
        words = [w for text in own + cells for w in text.split()] or [""]
        floor = max(ooxml.text_width(w, 13, bold=True) for w in words) + TABLE_CELL_MARGINS
        longest = max((ooxml.text_width(t, 13) for t in cells), default=0) + TABLE_CELL_MARGINS
        floors.append(floor)
        wants.append(max(floor, longest))
    return floors, wants


def column_widths(model: tables.Table, text_width: int) -> list[int]:
    """Share ``text_width`` so no word breaks, then give the rest to long content.

    Each column first gets its longest word; what is left goes to the columns
    whose text would otherwise wrap, in proportion to how much more they
    want (capped at half the width). When even the words do not fit, every
    column shrinks in proportion.
    """
    floors, wants = _column_needs(model)
    if sum(floors) >= text_width:
        widths = [f * text_width // sum(floors) for f in floors]
    else:
        spare = text_width - sum(floors)
        extra = [min(w, text_width // 2) - f for w, f in zip(wants, floors, strict=True)]
        shares = extra if sum(extra) > 0 else [1] * len(extra)
        widths = [f + spare * share // sum(shares) for f, share in zip(floors, shares, strict=True)]
    widths[-1] += text_width - sum(widths)
    return widths


def _table_xml(
    spec: dict[str, Any], text_width: int, notes: Mapping[str, int] | None = None
) -> str:
    model = tables.build(spec)
    aligns = _column_aligns(model, spec)
    if spec.get("do_rong"):
        weights = [Decimal(w) for w in spec["do_rong"]]
        widths = [int(text_width * w / sum(weights)) for w in weights]
        widths[-1] += text_width - sum(widths)
    else:
        widths = column_widths(model, text_width)
    rows = list(_header_rows(model))
    if model.column_numbers:
        rows.append(
            ooxml.TableRow([ooxml.Cell(n, "center") for n in model.column_numbers], header=True)
        )
    rows += _body_rows(model, aligns)
    xml = ooxml.table(rows, widths, header_style=TABLE_HEADER, cell_style=TABLE_CELL, notes=notes)
    caption = spec.get("tieu_de")
    if caption:
        xml = ooxml.paragraph(TABLE_CAPTION, ooxml.runs(caption, notes=notes)) + xml
    # An empty paragraph after a table keeps two tables (or a table and the
    # signature) from merging, as Word itself does.
    return xml + ooxml.paragraph(TABLE_CELL, "")


# -- header, title, signature -----------------------------------------------------------


def number_line(data: dict[str, Any], abbreviation: str) -> str:
    """Write the "Số:" line: ``Số: 05/BC-STTTT``, or ``Số:      /BC-STTTT`` when blank.

    The type abbreviation is put before the agency symbol unless the clerk
    already typed it; the symbol is kept as typed (mixed case such as TTr is
    meaningful, Phụ lục I, mục II.3).
    """
    numbering = data.get("so_ky_hieu") or {}
    symbol = str(numbering.get("ky_hieu", "")).strip()
    if not symbol.startswith(abbreviation + "-"):
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

    "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"; "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH";
    "Q. GIÁM ĐỐC" on one line (Phụ lục I, mục II.7).
    """
    authority = signer.get("quyen_han")
    position = signer["chuc_vu"]
    if authority == "Q.":
        lines = [f"Q. {position}"]
    elif authority:
        lines = [f"{authority} {signer['thay_cho']}", position]
    else:
        lines = [position]
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


URGENCY_BOX_MM = {"KHẨN": 20, "THƯỢNG KHẨN": 40, "HỎA TỐC": 30, "HOẢ TỐC": 30}
"""Urgency stamps: single-border boxes of these widths, 8 mm high (PL I, mục III.2.b)."""

BOX_PADDING_MM = 6


def _box(style: str, text: str, box: int, available: int, *, align: str) -> str:
    """A bordered one-line box ``box`` twips wide, at the left or right of ``available``."""
    room = max(available - box, 0)
    left, right = (0, room) if align == "left" else (room, 0)
    indent = f'<w:ind w:left="{left}" w:right="{right}" w:firstLine="0"/>'
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{indent}</w:pPr>{ooxml.run(text)}</w:p>'


def marks(data: dict[str, Any]) -> str:
    """Ô 10a then 10b: secrecy and urgency boxes under the "Số:" line."""
    available = HEADER_LEFT - 2 * CELL_MARGIN
    out = []
    secrecy = data.get("do_mat")
    if secrecy:
        width = ooxml.text_width(secrecy.upper(), 13, bold=True) + ooxml.mm(BOX_PADDING_MM)
        out.append(_box("BCDau", secrecy, width, available, align="left"))
    urgency = data.get("do_khan")
    if urgency:
        out.append(
            _box("BCDau", urgency, ooxml.mm(URGENCY_BOX_MM[urgency]), available, align="left")
        )
    return "".join(out)


def circulation(data: dict[str, Any], page: Page) -> str:
    """Ô 11: "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI" boxed above the Quốc hiệu, on the right."""
    text = data.get("pham_vi_luu_hanh")
    if not text:
        return ""
    width = ooxml.text_width(text.upper(), 13, bold=True) + ooxml.mm(BOX_PADDING_MM)
    return _box("BCPhamVi", text, width, page.text_width, align="right")


KINH_GUI = "Kính gửi"
KINH_GUI_INDENT_MM = 35
"""Mẫu 1.5 puts "Kính gửi:" about 3.5 cm in; the dashes sit under its colon."""


def addressees(data: dict[str, Any]) -> str:
    """Ô 9a: "Kính gửi: X" on one line, or one "- X;" line per addressee (PL I, II.5)."""
    names = lines(data.get("kinh_gui"))
    if not names:
        return ""
    indent = ooxml.mm(KINH_GUI_INDENT_MM)
    opening = f'<w:ind w:left="{indent}" w:firstLine="0"/>'
    if len(names) == 1:
        text = ooxml.runs(f"{KINH_GUI}: {names[0]}")
        return f'<w:p><w:pPr><w:pStyle w:val="{ADDRESSEE}"/>{opening}</w:pPr>{text}</w:p>'
    under_colon = indent + ooxml.text_width(KINH_GUI, 14)
    items = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{ADDRESSEE}"/><w:spacing w:before="0"/>'
        f'<w:ind w:left="{under_colon}" w:firstLine="0"/></w:pPr>{ooxml.runs(line)}</w:p>'
        for line in recipients(names)
    )
    head = f'<w:p><w:pPr><w:pStyle w:val="{ADDRESSEE}"/>{opening}</w:pPr>{ooxml.run(KINH_GUI + ":")}</w:p>'
    return head + items


AS_ABOVE = "Như trên"


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


def lines(value: str | list[str] | None) -> list[str]:
    """Accept one string or a list of strings."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


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


def context(data: dict[str, Any], template: Template, media: Media | None = None) -> dict[str, Any]:
    """Build everything the template needs from validated report data."""
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
    left_inner = HEADER_LEFT - 2 * CELL_MARGIN
    right_inner = HEADER_RIGHT - 2 * CELL_MARGIN

    blocks: list[Block] = [Para(CITATION, line) for line in _cite(data.get("can_cu"))]
    blocks += [Para(BODY, text) for text in lines(data.get("mo_dau"))]
    first_level = FIRST_LEVEL[(data.get("trinh_bay") or {}).get("muc_dau", "I.")]
    blocks += body_blocks(data["noi_dung"], geometry.text_width, first_level, media)
    blocks += [Para(BODY, text) for text in lines(data.get("ket_thuc"))]
    close_body(blocks)

    notes = footnote_numbers(data)
    signer = data["nguoi_ky"]
    appendix_xml, sections = appendices(data, template, geometry, notes, first_level, media)
    return {
        "co_quan_chu_quan": data.get("co_quan_chu_quan"),
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


FIRST_LEVEL = {"I.": 1, "1.": 2, "a)": 3}
"""trinh_bay.muc_dau: how the top sections are numbered (seed 002 starts at "1.")."""

SECTION_BREAK_STYLE = "BCNgatPhan"
SECTION_BREAK = ooxml.paragraph(SECTION_BREAK_STYLE, "")
"""Ends the previous section; rendering gives it that section's properties."""

TABLE_CELL_MARGINS = 2 * 85 + 40
"""Twips around a table cell's text (BCBang's cell margins, borders)."""


def table_minimum_width(spec: dict[str, Any]) -> int:
    """Narrowest width (twips) at which no word of a table has to break."""
    floors, _ = _column_needs(tables.build(spec))
    return sum(floors)


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
                table_minimum_width(spec) > page.text_width
                for _, spec in markup.find_blocks(appendix.get("noi_dung"), (), "bang")
            )
        width = page.landscape_text_width if landscape else page.text_width
        sections.append(Section(landscape))
        parts.append(SECTION_BREAK)
        number = appendix.get("so") or (vietnamese.roman(index + 1) if len(items) > 1 else None)
        if number is not None:
            parts.append(ooxml.paragraph("BCPhuLucSo", ooxml.run(f"Phụ lục {number}")))
        if appendix.get("tieu_de"):
            parts.append(
                ooxml.paragraph("BCPhuLucTieuDe", ooxml.runs(appendix["tieu_de"], notes=notes))
            )
        reference = appendix.get("kem_theo", True)
        if reference:
            text = reference if isinstance(reference, str) else reference_line(data, template)
            parts.append(ooxml.paragraph("BCKemTheo", ooxml.runs(text)))
            parts.append(
                ooxml.rule(RULE, _rule_indent(width, text, 13, bold=False, share=RULE_SHARE))
            )
        parts += [
            ooxml.paragraph("BCDongPhu", ooxml.runs(line, notes=notes))
            for line in appendix.get("dong_phu") or ()
        ]
        blocks = list(body_blocks(appendix.get("noi_dung") or (), width, first_level, media))
        parts += [block.xml(notes) for block in blocks]
        parts.append(_appendix_closing(data, appendix, width))
    return "".join(parts), sections


def _appendix_closing(data: dict[str, Any], appendix: dict[str, Any], width: int) -> str:
    """The appendix's own date line and signers side by side (seed 004)."""
    signers = appendix.get("nguoi_ky") or []
    issued = appendix.get("dia_danh_ngay")
    if not signers and issued is None:
        return ""
    count = max(len(signers), 1)
    widths = [width // count] * count
    widths[-1] += width - sum(widths)
    rows = []
    if issued is not None:
        if isinstance(issued, str):
            line = issued
        else:
            line = date_line({"dia_danh": data.get("dia_danh"), "ngay_ban_hanh": issued})
        # keepNext: the date line never stays behind on a page without its signers.
        keep = ooxml.paragraph("BCDiaDanhNgay", "", keep_next=True)
        cells = [ooxml.Cell(xml=keep) for _ in range(count - 1)]
        cells.append(
            ooxml.Cell(xml=ooxml.paragraph("BCDiaDanhNgay", ooxml.runs(line), keep_next=True))
        )
        rows.append(ooxml.TableRow(cells))
    if signers:
        rows.append(ooxml.TableRow([ooxml.Cell(xml=_signer_xml(signer)) for signer in signers]))
    table = ooxml.table(
        rows,
        widths,
        header_style="BCChucVuPhuLuc",
        cell_style="BCChucVuPhuLuc",
        table_style="BCKhongVien",
    )
    return table + ooxml.paragraph("BCCuoi", "")


def _signer_xml(signer: dict[str, Any]) -> str:
    """One signer of an appendix: titles as typed (e.g. "Người lập biểu"), then the name."""
    titles = "".join(
        ooxml.paragraph("BCChucVuPhuLuc", ooxml.runs(line)) for line in signer_lines(signer)
    )
    return titles + ooxml.paragraph("BCHoTen", ooxml.runs(signer.get("ho_ten") or ""))


def footnote_numbers(data: dict[str, Any]) -> dict[str, int]:
    """Give each cited note an id, in order of first citation.

    Word numbers footnotes by where their references stand, so the ids only
    need to be unique; citing them in order keeps the XML readable.
    """
    defined = data.get("chu_thich") or {}
    numbers: dict[str, int] = {}
    for _, text in markup.texts(data):
        for key in markup.footnote_keys(text):
            if key in defined and key not in numbers:
                numbers[key] = len(numbers) + 1
    return numbers


def _cite(items: list[str] | None) -> list[str]:
    """Punctuate căn cứ lines that lack it: ";" after each, "." after the last (PL I, II.6.a).

    A line the author already ended with punctuation is kept as written: a
    report often goes on "…; Sở … báo cáo như sau:" after its last căn cứ.
    """
    items = items or []
    out = []
    for index, item in enumerate(items):
        text = item.rstrip()
        if text[-1:] not in (";", ".", ",", ":"):
            text += "." if index == len(items) - 1 else ";"
        out.append(text)
    return out
