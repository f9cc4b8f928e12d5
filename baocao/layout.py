"""Stage 3, lay out: turn a validated report into a ``model.Document``.

Everything the decree fixes but a clerk should not have to type is decided
here: the "Số:" line with its leading zero, the place-and-date phrase, the
punctuation of Nơi nhận, the signer's lines, the marks, the appendices and
the length of each rule. The flowing body (sections, tables, footnotes)
is laid out by ``body``. Pure functions, no XML: the writer (``docx.write``)
says the result in WordprocessingML, in the template's style roles, so the
template stays the authority on how things look.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from baocao import agency as names
from baocao import memo, nd30, tables, vietnamese
from baocao import model as doc
from baocao.body import (
    BODY,
    CITATION,
    FIRST_LEVEL,
    FOOTNOTE_TEXT,
    Block,
    Para,
    Table,
    article_blocks,
    body_blocks,
    citations,
    close_body,
    keep_with_closing,
    kept_with_closing,
    lines,
)
from baocao.bundle import Template
from baocao.errors import Path_
from baocao.geometry import (
    CELL_MARGIN,
    DEFAULT_TOKENS,
    HEADER_LEFT,
    HEADER_RIGHT,
    NAME_SLACK,
    NO_DATE,
    caps_width,
    date_line,
    header_date,
    page,
    right_minimum,
    sizes,
    typed_lines,
)
from baocao.measure import mm, text_width
from baocao.model import Page, Sizes
from baocao.widths import appendix_landscape, needs_of

PAGE_WIDTH = mm(nd30.PAGE_MM[0])


PAGE_HEIGHT = mm(nd30.PAGE_MM[1])


RULE_SHARE = nd30.RULE_SHARE
"""Rules under the agency name and the trích yếu: 1/3 to 1/2 of the text (PL I, II.2 and II.5)."""


QUOC_HIEU = nd30.QUOC_HIEU_TEXT


TIEU_NGU = nd30.TIEU_NGU_TEXT


BLANK = vietnamese.BLANK
"""What a blank number or day looks like: room for the Văn thư to write it in."""


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
        if authority == nd30.ACTING:
            position = f"{nd30.ACTING} {position}"
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


def _box(style: str, text: str, box: int, available: int, *, align: str) -> doc.Paragraph:
    """A bordered one-line box ``box`` twips wide, at the left or right of ``available``."""
    room = max(available - box, 0)
    left, right = (0, room) if align == "left" else (room, 0)
    return doc.Paragraph(style, (doc.Run(text),), indent=(left, right))


def marks(data: dict[str, Any]) -> tuple[doc.Paragraph, ...]:
    """Ô 10a then 10b: secrecy and urgency boxes under the "Số:" line."""
    available = HEADER_LEFT - 2 * CELL_MARGIN
    out = []
    secrecy = data.get("do_mat")
    if secrecy:
        points = nd30.points(nd30.DAU)
        width = text_width(secrecy.upper(), points, bold=True) + mm(BOX_PADDING_MM)
        out.append(_box(nd30.DAU.style, secrecy, width, available, align="left"))
    urgency = data.get("do_khan")
    if urgency:
        box = mm(URGENCY_BOX_MM[urgency])
        out.append(_box(nd30.DAU.style, urgency, box, available, align="left"))
    return tuple(out)


def circulation(data: dict[str, Any], page: Page) -> tuple[doc.Paragraph, ...]:
    """Ô 11: "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI" boxed above the Quốc hiệu, on the right."""
    text = data.get("pham_vi_luu_hanh")
    if not text:
        return ()
    points = nd30.points(nd30.PHAM_VI)
    width = text_width(text.upper(), points, bold=True) + mm(BOX_PADDING_MM)
    return (_box(nd30.PHAM_VI.style, text, width, page.text_width, align="right"),)


KINH_GUI = nd30.KINH_GUI_TEXT


KINH_GUI_INDENT_MM = nd30.KINH_GUI_INDENT_MM


def addressees(data: dict[str, Any]) -> tuple[doc.Paragraph, ...]:
    """Ô 9a: "Kính gửi: X" on one line, or one "- X;" line per addressee (PL I, II.5)."""
    names = lines(data.get("kinh_gui"))
    if not names:
        return ()
    indent = mm(KINH_GUI_INDENT_MM)
    opening = (indent, None)
    if len(names) == 1:
        return (doc.Paragraph(ADDRESSEE, doc.inline(f"{KINH_GUI}: {names[0]}"), indent=opening),)
    under_colon = indent + text_width(KINH_GUI, nd30.points(nd30.KINH_GUI))
    head = doc.Paragraph(ADDRESSEE, (doc.Run(KINH_GUI + ":"),), indent=opening)
    items = (
        doc.Paragraph(ADDRESSEE, doc.inline(line), space_before=0, indent=(under_colon, None))
        for line in recipients(names)
    )
    return (head, *items)


def recipient_lines(data: dict[str, Any]) -> list[str]:
    """Nơi nhận, starting with "- Như trên;" when the report has Kính gửi (PL I, II.9.d),
    and ending with the drafter's mark and copies (ô 12) when given."""
    items = list(data["noi_nhan"])
    if data.get("kinh_gui") and not items[0].strip(" -;.").startswith(nd30.AS_ABOVE_TEXTS):
        items.insert(0, nd30.NHU_TREN_TEXT)
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


def _rule(available: int, text: str, size: float, *, bold: bool, share: float) -> doc.Rule:
    """A rule centred in ``available``, ``share`` × the text's (longest line's) width."""
    longest = max((text_width(line, size, bold=bold) for line in text.split("\n")), default=0)
    length = share * min(longest, available)
    return doc.Rule(max(0, round((available - length) / 2)))


MOST_LINES = 2
"""A name on more lines than this widens the left column when that saves one; a name of
two lines keeps the decree's proportions (its sample: 67.5 | 100 mm)."""


@memo.small(entries=256, longest=400, size=2 * 2**20)
def _name_lines(name: str, points: int, bold: bool, room: int) -> tuple[str, ...]:
    """``agency.balanced`` for one name at one width, remembered: an office's reports
    carry the same agency names, and the search for the best breaks is the cost.
    Bounded: 256 names of at most 400 characters (longer ones are not kept)."""
    return tuple(names.balanced(name, caps_width(points, bold), room))


def agency_names(
    data: dict[str, Any], size: Sizes, place_date: str
) -> tuple[str, str, tuple[int, int] | None]:
    """The parent agency's and the agency's text (lines joined by "\n") and the header's columns.

    Lines the clerk typed are kept. A name that fits its column is printed as
    typed; a longer one is broken at phrase boundaries (``agency.balanced``)
    rather than wherever Word's line is full. The left column widens only as
    far as the right one still holds the Quốc hiệu, and only for a name of
    more than ``MOST_LINES`` that it saves a line, or for a typed line that
    would wrap; otherwise None: the template's columns.
    """
    values = [data.get("co_quan_chu_quan") or "", data["co_quan_ban_hanh"]]
    faces = [(size.quoc_hieu, False), (size.quoc_hieu, True)]
    measures = [caps_width(*face) for face in faces]
    total = HEADER_LEFT + HEADER_RIGHT
    widest = max(HEADER_LEFT, total - right_minimum(size, place_date))

    def lay(left: int) -> list[list[str]]:
        out = []
        for value, (points, bold) in zip(values, faces, strict=True):
            typed = typed_lines(value) if value else []
            lines = typed if typed is not None else _name_lines(value, points, bold, left)
            out.append(list(lines))
        return out

    def longest(laid: list[list[str]]) -> int:
        return max(
            (m(line) for lines, m in zip(laid, measures, strict=True) for line in lines), default=0
        )

    narrow = lay(HEADER_LEFT - 2 * CELL_MARGIN)
    wide = lay(widest - 2 * CELL_MARGIN)
    chosen, columns = narrow, None
    saves_a_line = any(
        len(n) > MOST_LINES and len(w) < len(n) for n, w in zip(narrow, wide, strict=True)
    )
    if saves_a_line or longest(narrow) + 2 * CELL_MARGIN > HEADER_LEFT:
        chosen = wide if saves_a_line else narrow
        left = min(widest, max(HEADER_LEFT, longest(chosen) + 2 * CELL_MARGIN + NAME_SLACK))
        if left != HEADER_LEFT:
            columns = (left, total - left)
    texts = [
        value if typed_lines(value or " ") is None and len(lines) < 2 else "\n".join(lines)
        for value, lines in zip(values, chosen, strict=True)
    ]
    return texts[0], texts[1], columns


def document(
    data: dict[str, Any],
    template: Template,
    base_dir: Path,
    *,
    models: tables.Models,
    notes: Mapping[str, int],
    dates: Mapping[Path_, vietnamese.DateParts],
) -> doc.Document:
    """Lay out validated report data as a document; pictures' paths start from ``base_dir``.

    ``models``, ``notes`` and ``dates`` are what validation built
    (``Validated.tables``, ``.footnotes``, ``.dates``): each table's model, each
    cited note's number and each date, by its key path.
    """
    laid = streamed_document(data, template, base_dir, models=models, notes=notes, dates=dates)
    return replace(laid.document, body=tuple(laid.body))


class Streamed(NamedTuple):
    """A document whose body is laid out as it is taken (``streamed_document``)."""

    document: doc.Document
    """Everything but the body (``body`` is empty)."""
    body: Iterator[doc.Block]
    sections: tuple[doc.Section, ...]
    """What ``document.sections`` is once the body is in it."""


def streamed_document(
    data: dict[str, Any],
    template: Template,
    base_dir: Path,
    *,
    models: tables.Models,
    notes: Mapping[str, int],
    dates: Mapping[Path_, vietnamese.DateParts],
) -> Streamed:
    """``document``, its body laid out block by block as the writer takes it.

    A 100× report's body is most of the layout's work and of the model's
    memory; taken piece by piece it is written and compressed (on another
    core) while the rest is laid out, and never held whole.
    """
    issued = dates.get(("ngay_ban_hanh",), NO_DATE)
    geometry = page(data)
    tokens = data.get("ma_dac_biet")
    place_date = header_date(data, issued)
    if tokens:
        names = {**DEFAULT_TOKENS, **(tokens if isinstance(tokens, dict) else {})}
        number = f"Số: {names['so_ky_hieu']}"
    else:
        number = number_line(data, template.type_abbreviation)

    size = sizes(data)
    parent, agency, columns = agency_names(data, size, place_date)
    summary = lines(data["trich_yeu"])
    if template.letter:  # công văn: the trích yếu is "V/v …" under the number (PL I, II.5.b)
        summary = [line if line.startswith("V/v") else f"V/v {line}" for line in summary]
    left_inner = (columns or (HEADER_LEFT,))[0] - 2 * CELL_MARGIN
    right_inner = (columns or (0, HEADER_RIGHT))[1] - 2 * CELL_MARGIN

    first_level = FIRST_LEVEL[(data.get("trinh_bay") or {}).get("muc_dau", "I.")]
    if template.decision_line or template.articles:
        blocks = decision_blocks(data, template, geometry.text_width, base_dir, models=models)
    else:
        blocks = [Para(CITATION, line) for line in citations(data.get("can_cu"))]
        blocks += [Para(BODY, text) for text in lines(data.get("mo_dau"))]
        blocks += body_blocks(
            data["noi_dung"], geometry.text_width, first_level, base_dir, models=models
        )
    blocks += [Para(BODY, text) for text in lines(data.get("ket_thuc"))]
    close_body(blocks)
    place_tables(blocks, geometry, models, in_body=True)

    body = kept_with_closing(piece for block in blocks for piece in block.blocks(notes))
    body_breaks = [
        section for block in blocks if isinstance(block, Table) for section in block.breaks()
    ]

    signer = data["nguoi_ky"]
    header = doc.Header(
        parent_agency=parent,
        agency=agency,
        agency_rule=_rule(left_inner, agency, size.quoc_hieu, bold=True, share=RULE_SHARE),
        national_title=QUOC_HIEU,
        motto=TIEU_NGU,
        motto_rule=_rule(right_inner, TIEU_NGU, size.tieu_ngu, bold=True, share=1.0),
        number=number,
        place_date=place_date,
        tokens=bool(tokens),
        marks=marks(data),
        circulation=circulation(data, geometry),
        columns=columns,
    )
    title = doc.Title(
        type_name=template.type_name,
        summary=tuple(summary),
        summary_rule=_rule(
            geometry.text_width, "\n".join(summary), size.body, bold=True, share=RULE_SHARE
        ),
        addressees=addressees(data),
    )
    closing = doc.Closing(
        signer=doc.Signer(
            tuple(signer_lines(signer)),
            signer.get("ho_ten") or "",
            below=tuple(lines(signer.get("chuc_vu_duoi"))),
        ),
        recipients=tuple(recipient_lines(data)),
        contact=tuple(contact_lines(data)),
    )
    footnotes = tuple(
        doc.Footnote(
            number,
            tuple(
                doc.Paragraph(FOOTNOTE_TEXT, doc.inline(text))
                for text in lines(data["chu_thich"][key])
            ),
        )
        for key, number in notes.items()
    )
    laid = doc.Document(
        page=geometry,
        sizes=size,
        header=header,
        title=title,
        body=(),
        footnotes=footnotes,
        closing=closing,
        appendices=appendices(
            data, template, geometry, notes, first_level, base_dir, models=models, dates=dates
        ),
        data=data,
        line_spacing=(data.get("trinh_bay") or {}).get("gian_dong"),
    )
    sections = (doc.Section(), *body_breaks, *(item.section for item in laid.appendices))
    return Streamed(laid, body, sections)


AUTHORITY = nd30.THAM_QUYEN.style


DECISION_LINE = nd30.QUYET_DINH_DONG.style


PROPOSAL_TYPED = ("theo đề nghị", "xét đề nghị", "xét ")
"""How a clerk may have typed the whole "Theo đề nghị của …" line (kept as typed)."""


def proposal_line(text: str) -> str:
    """The line closing a quyết định's căn cứ: "Theo đề nghị của " + ``theo_de_nghi``,
    unless the clerk typed the whole line ("Xét đề nghị của …"), which is kept.

    >>> proposal_line("Giám đốc Sở Nội vụ"), proposal_line("Xét đề nghị của Sở Tài chính")
    ('Theo đề nghị của Giám đốc Sở Nội vụ', 'Xét đề nghị của Sở Tài chính')
    """
    stripped = text.strip()
    if stripped.casefold().startswith(PROPOSAL_TYPED):
        return stripped
    return f"{nd30.THEO_DE_NGHI_TEXT} {stripped}"


def decision_blocks(
    data: dict[str, Any],
    template: Template,
    text_width: int,
    base_dir: Path,
    *,
    models: tables.Models,
) -> list[Block]:
    """A quyết định's text (Mẫu 1.2, 1.3 of Phụ lục III): the issuing authority under the
    trích yếu, the căn cứ closed by "Theo đề nghị của …" (";" after each, "." after the
    last), the opening if any, "QUYẾT ĐỊNH:", then the articles."""
    authority = lines(data.get("tham_quyen"))
    blocks: list[Block] = [Para(AUTHORITY, "\n".join(authority))] if authority else []
    grounds = list(data.get("can_cu") or [])
    if data.get("theo_de_nghi"):
        grounds.append(proposal_line(data["theo_de_nghi"]))
    blocks += [Para(CITATION, line) for line in citations(grounds)]
    blocks += [Para(BODY, text) for text in lines(data.get("mo_dau"))]
    if template.decision_line:
        blocks.append(Para(DECISION_LINE, template.decision_line))
    if template.articles:
        blocks += article_blocks(data["noi_dung"], text_width, base_dir, models=models)
    else:
        first_level = FIRST_LEVEL[(data.get("trinh_bay") or {}).get("muc_dau", "I.")]
        blocks += body_blocks(data["noi_dung"], text_width, first_level, base_dir, models=models)
    return blocks


def place_tables(blocks: list[Block], page: Page, models: tables.Models, *, in_body: bool) -> None:
    """Hand each table its measured columns; in the body, ``ngang: true`` turns it landscape.

    A landscape body table stands in place on pages of its own orientation,
    numbered on (PL I, I.2); landscape tables in a row share those pages.
    """
    for block in blocks:
        if isinstance(block, Table):
            block.needs = needs_of(block.spec, models)
            if in_body and block.spec.get("ngang") is True:
                block.landscape = True
                block.text_width = page.landscape_text_width
    for before, after in pairwise(blocks):
        if isinstance(before, Table) and isinstance(after, Table):
            shared = before.landscape and after.landscape  # one run of landscape pages
            before.closes = before.closes and not shared
            after.opens = not shared


def reference_line(data: dict[str, Any], template: Template, issued: vietnamese.DateParts) -> str:
    """The appendix's "(Kèm theo Báo cáo số …/BC-… ngày …)" line, from the header.

    Blank parts stay blank for the Văn thư, and an e-office draft (whose number
    and date are stamped at signing) leaves both blank (Phụ lục I, mục III.1).
    """
    if data.get("ma_dac_biet"):
        numbering = {"so_ky_hieu": {"ky_hieu": (data.get("so_ky_hieu") or {}).get("ky_hieu", "")}}
        number = number_line(numbering, template.type_abbreviation)
        when = date_line(None, NO_DATE)
    else:
        number = number_line(data, template.type_abbreviation)
        when = date_line(None, issued)
    return f"(Kèm theo {template.type_name_prose} số{number.removeprefix('Số:')} {when})"


def appendices(
    data: dict[str, Any],
    template: Template,
    page: Page,
    notes: Mapping[str, int],
    first_level: int,
    base_dir: Path,
    *,
    models: tables.Models,
    dates: Mapping[Path_, vietnamese.DateParts],
) -> tuple[doc.Appendix, ...]:
    """Lay out the phụ lục after the signature, each in a section of its own.

    Each appendix starts on a new page with page numbers from 1; it is
    landscape when it says so, or when one of its tables cannot fit a
    portrait page (Phụ lục I, mục I.2 and III.1).
    """
    items = data.get("phu_luc") or []
    out = []
    for index, appendix in enumerate(items):
        landscape = appendix_landscape(appendix, page, models)
        width = page.landscape_text_width if landscape else page.text_width
        head: list[doc.Paragraph | doc.Rule] = []
        head += appendix_label(appendix, index, len(items))
        if appendix.get("tieu_de"):
            heading = doc.inline_lines(lines(appendix["tieu_de"]), notes=notes)
            head.append(doc.Paragraph(nd30.PHU_LUC_TIEU_DE.style, heading))
        reference = appendix.get("kem_theo", True)
        if reference:
            issued = dates.get(("ngay_ban_hanh",), NO_DATE)
            text = (
                reference if isinstance(reference, str) else reference_line(data, template, issued)
            )
            head.append(doc.Paragraph(nd30.KEM_THEO.style, doc.inline(text)))
            points = nd30.points(nd30.KEM_THEO)
            head.append(_rule(width, text, points, bold=False, share=RULE_SHARE))
        head += [
            doc.Paragraph(nd30.DONG_PHU.style, doc.inline(line, notes=notes))
            for line in appendix.get("dong_phu") or ()
        ]
        content = list(
            body_blocks(appendix.get("noi_dung") or (), width, first_level, base_dir, models=models)
        )
        place_tables(content, page, models, in_body=False)
        signature = _signature(
            data, appendix, width, dates.get(("phu_luc", index, "dia_danh_ngay"))
        )
        out.append(
            doc.Appendix(
                section=appendix_section(appendix, bool(landscape)),
                head=tuple(head),
                blocks=_signed(
                    tuple(piece for block in content for piece in block.blocks(notes)), signature
                ),
                signature=signature,
            )
        )
    return tuple(out)


def appendix_label(appendix: dict[str, Any], index: int, count: int) -> tuple[doc.Paragraph, ...]:
    """The "Phụ lục I" line: the label (``nhan``, by default "Phụ lục") and the number.

    The number is ``so`` as typed, else I, II… when there are several
    appendices and the label is the decree's; a label the clerk typed is
    printed as typed, with ``so`` after it when given. A single appendix
    still has its "Phụ lục" line (the decree's sample, Mẫu 2.1); ``nhan:
    false`` leaves the line out.
    """
    label = appendix.get("nhan", True)
    if label is False:
        return ()
    number = appendix.get("so")
    if isinstance(label, str):
        text = f"{label} {number}" if number is not None else label
    else:
        if number is None and count > 1:
            number = vietnamese.roman(index + 1)
        text = f"{nd30.PHU_LUC_TEXT} {number}" if number is not None else nd30.PHU_LUC_TEXT
    return (doc.Paragraph(nd30.PHU_LUC_SO.style, (doc.Run(text),)),)


CONTINUED = "tiep"
"""``so_trang: tiep``: an appendix's pages go on from the document's numbers."""


def appendix_section(appendix: dict[str, Any], landscape: bool) -> doc.Section:
    """An appendix's pages: numbered from 1 with none on the first (Phụ lục I, mục I.7),
    or, with ``so_trang: tiep``, going on from the page before and numbered on every page."""
    if appendix.get("so_trang") == CONTINUED:
        return doc.Section(landscape=landscape, restart=False, title_page=False)
    return doc.Section(landscape=landscape)


def _signed(
    blocks: tuple[doc.Block, ...], signature: doc.Signature | None
) -> tuple[doc.Block, ...]:
    """An appendix's content, its end kept with its signature when it has one."""
    return keep_with_closing(blocks) if signature is not None else blocks


DATE_SIZE = nd30.points(nd30.DIA_DANH_NGAY)


def _signature(
    data: dict[str, Any],
    appendix: dict[str, Any],
    width: int,
    issued: vietnamese.DateParts | None,
) -> doc.Signature | None:
    """The appendix's own date line and signers side by side (seed 004).

    Signers stand left to right in the order given; a single one stands on
    the right, where the report's own signer stands. The date line is above
    the rightmost signer, whose column is widened so the line does not wrap;
    it is kept with the signers (never alone at a page's foot).
    """
    signers = appendix.get("nguoi_ky") or []
    given = appendix.get("dia_danh_ngay")
    if not signers and given is None:
        return None
    line = ""
    if isinstance(given, str):
        line = given
    elif issued is not None:
        line = date_line(data.get("dia_danh"), issued)
    columns = [_signer(signer) for signer in signers]
    if len(columns) < 2:
        columns = [()] + (columns or [()])  # the left column stays empty
    count = len(columns)
    last = max(width // count, text_width(line, DATE_SIZE) + 2 * CELL_MARGIN + mm(4))
    last = min(last, width)
    widths = [(width - last) // (count - 1)] * (count - 1) + [last]
    widths[-1] += width - sum(widths)
    place_date = None
    if line:
        place_date = doc.Paragraph(nd30.DIA_DANH_NGAY.style, doc.inline(line), keep_next=True)
    return doc.Signature(place_date, tuple(columns), tuple(widths))


def _signer(signer: dict[str, Any]) -> tuple[doc.Paragraph, ...]:
    """One signer of an appendix: titles as typed (e.g. "Người lập biểu"), then the name."""
    return (
        *(
            doc.Paragraph(nd30.CHUC_VU_PHU_LUC.style, doc.inline(line))
            for line in signer_lines(signer)
        ),
        *_under_signing_space(signer),
    )


def _under_signing_space(signer: dict[str, Any]) -> tuple[doc.Paragraph, ...]:
    """An appendix signer's name, after the lines typed to stand under the signing space.

    The first of those lines takes the gap the name has otherwise; the name
    then follows right under them.
    """
    name = doc.inline(signer.get("ho_ten") or "")
    below = lines(signer.get("chuc_vu_duoi"))
    if not below:
        return (doc.Paragraph(nd30.HO_TEN.style, name),)
    gaps = [nd30.HO_TEN.before] + [0] * (len(below) - 1)
    return (
        *(
            doc.Paragraph(nd30.CHUC_VU_PHU_LUC.style, doc.inline(line), space_before=gap)
            for line, gap in zip(below, gaps, strict=True)
        ),
        doc.Paragraph(nd30.HO_TEN.style, name, space_before=0),
    )
