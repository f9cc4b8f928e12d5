"""Write templates/<type>/template.docx: the decree's skeleton as a docxtpl template.

The .docx is generated rather than drawn in Word so that every number in
it (sizes, spacing, column widths) is written once, here, next to the rule
it comes from, and so a change to the skeleton is a reviewable diff. Run:

    python tools/make_templates.py

A clerk may still open the result in Word and restyle it: the body
references these named styles only.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao import nd30  # noqa: E402
from baocao.geometry import (  # noqa: E402
    CELL_MARGIN,
    DEFAULT_MARGINS,
    HEADER_LEFT,
    HEADER_RIGHT,
)
from baocao.measure import mm  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

SIGN_LEFT = mm(75)
SIGN_RIGHT = mm(92)
"""Signature table: Nơi nhận | signer block (the decree's sample is 52.8 | 110.9 mm)."""

TOKEN_INDENT = mm(8)
"""E-office tokens sit left-aligned so the stamped text starts where the token does."""


def p(style: str, text: str = "") -> str:
    """A paragraph in ``style`` holding one run of (template) text."""
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p>'


def p_spaced(style: str, text: str, *, before: int) -> str:
    """A paragraph like ``p`` whose space before is its own, not the style's."""
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    spacing = f'<w:spacing w:before="{before}"/>'
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{spacing}</w:pPr>{run}</w:p>'


def tag(text: str) -> str:
    """A paragraph holding only a docxtpl tag ({%p …%} or {{p …}})."""
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def cell(width: int, *paragraphs: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(paragraphs)}</w:tc>'


BOX = ("top", "left", "bottom", "right")
GRID = (*BOX, "insideH", "insideV")


def borders(
    sides: tuple[str, ...], line: str = "nil", size: int = 4, space: int = 0, color: str = "000000"
) -> str:
    """Border elements for ``sides``: "nil" removes them, "single" draws them."""
    if line == "nil":
        return "".join(f'<w:{side} w:val="nil"/>' for side in sides)
    return "".join(
        f'<w:{side} w:val="{line}" w:sz="{size}" w:space="{space}" w:color="{color}"/>'
        for side in sides
    )


def borderless_table(widths: list[int], rows: list[str], indent: int = 0) -> str:
    no_borders = borders(GRID)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblInd w:w="{indent}" w:type="dxa"/><w:tblBorders>{no_borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def document(letter: bool = False) -> str:
    """The skeleton; ``letter`` is the công văn (Mẫu 1.5): "V/v …" under Số, no title block."""
    summary_under_number = (
        [tag("{%p for dong in trich_yeu %}"), p("BCVeViec", "{{ dong }}"), tag("{%p endfor %}")]
        if letter
        else []
    )
    title = (
        []
        if letter
        else [
            p("BCTenLoai", "{{ ten_loai }}"),
            tag("{%p for dong in trich_yeu %}"),
            p("BCTrichYeu", "{{ dong }}"),
            tag("{%p endfor %}"),
            tag("{{p gach_trich_yeu }}"),
        ]
    )
    header = borderless_table(
        [HEADER_LEFT, HEADER_RIGHT],
        [
            "<w:tr>"
            + cell(
                HEADER_LEFT,
                tag("{%p if co_quan_chu_quan %}"),
                p("BCCoQuanChuQuan", "{{ co_quan_chu_quan }}"),
                tag("{%p endif %}"),
                p("BCCoQuan", "{{ co_quan_ban_hanh }}"),
                tag("{{p gach_co_quan }}"),
            )
            + cell(
                HEADER_RIGHT,
                p("BCQuocHieu", "{{ quoc_hieu }}"),
                p("BCTieuNgu", "{{ tieu_ngu }}"),
                tag("{{p gach_tieu_ngu }}"),
            )
            + "</w:tr>",
            "<w:tr>"
            + cell(
                HEADER_LEFT,
                tag("{%p if ma_dac_biet %}"),
                p("BCSoMa", "{{ so_ky_hieu }}"),
                tag("{%p else %}"),
                p("BCSo", "{{ so_ky_hieu }}"),
                tag("{%p endif %}"),
                *summary_under_number,
                tag("{{p dau_muc_do }}"),
            )
            + cell(
                HEADER_RIGHT,
                tag("{%p if ma_dac_biet %}"),
                p("BCDiaDanhNgayMa", "{{ dia_danh_ngay }}"),
                tag("{%p else %}"),
                p("BCDiaDanhNgay", "{{ dia_danh_ngay }}"),
                tag("{%p endif %}"),
            )
            + "</w:tr>",
        ],
        indent=-mm(3.5),
    )
    signature = borderless_table(
        [SIGN_LEFT, SIGN_RIGHT],
        [
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            + cell(
                SIGN_LEFT,
                p(nd30.NOI_NHAN_LABEL.style, nd30.NOI_NHAN_TEXT),
                tag("{%p for muc in noi_nhan %}"),
                p("BCNoiNhan", "{{ muc }}"),
                tag("{%p endfor %}"),
            )
            + cell(
                SIGN_RIGHT,
                tag("{%p for dong in nguoi_ky.dong %}"),
                p("BCChucVu", "{{ dong }}"),
                tag("{%p endfor %}"),
                # A position under the signing space takes the gap; the name follows it.
                tag("{%p if nguoi_ky.duoi %}"),
                tag("{%p for dong in nguoi_ky.duoi %}"),
                p(nd30.CHUC_VU_DUOI.style, "{{ dong }}"),
                tag("{%p endfor %}"),
                p_spaced(nd30.HO_TEN.style, "{{ nguoi_ky.ho_ten }}", before=0),
                tag("{%p else %}"),
                p("BCHoTen", "{{ nguoi_ky.ho_ten }}"),
                tag("{%p endif %}"),
            )
            + "</w:tr>"
        ],
        indent=0,
    )
    m = {k: mm(v) for k, v in DEFAULT_MARGINS.items()}
    edge = mm(nd30.HEADER_DISTANCE_MM)
    section = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rId10"/>'
        '<w:headerReference w:type="first" r:id="rId11"/>'
        '<w:footerReference w:type="first" r:id="rId12"/>'
        f'<w:pgSz w:w="{mm(nd30.PAGE_MM[0])}" w:h="{mm(nd30.PAGE_MM[1])}"/>'
        f'<w:pgMar w:top="{m["tren"]}" w:right="{m["phai"]}" w:bottom="{m["duoi"]}" '
        f'w:left="{m["trai"]}" w:header="{edge}" w:footer="{edge}" w:gutter="0"/>'
        '<w:pgNumType w:start="1"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )
    body = "".join(
        [
            tag("{{p pham_vi_luu_hanh }}"),
            header,
            *title,
            tag("{{p kinh_gui }}"),
            tag("{{p than_van_ban }}"),
            signature,
            p("BCCuoi"),
            tag("{{p phu_luc }}"),
            section,
        ]
    )
    return f'{XML}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}</w:body></w:document>'


def style(
    style_id: str,
    name: str,
    *,
    ppr: str = "",
    rpr: str = "",
    based_on: str = "Normal",
    kind: str = "paragraph",
) -> str:
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{base}<w:qFormat/>'
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


def size(points: float) -> str:
    return f'<w:sz w:val="{round(points * 2)}"/><w:szCs w:val="{round(points * 2)}"/>'


def faces(role: nd30.Role) -> str:
    """A role's run properties: its default size (none: the body's), then bold, italic, caps."""
    return (
        (size(role.size.default) if role.size else "")
        + (BOLD if role.bold else "")
        + (ITALIC if role.italic else "")
        + (CAPS if role.caps else "")
    )


BOLD = "<w:b/><w:bCs/>"
ITALIC = "<w:i/><w:iCs/>"
CAPS = "<w:caps/>"
CENTER = '<w:jc w:val="center"/>'
NO_INDENT = '<w:ind w:left="0" w:right="0" w:firstLine="0"/>'


def spacing(before: int = 0, after: int = 0, line: int = 240, rule: str = "auto") -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{rule}"/>'


def decision_styles() -> list[str]:
    """The quyết định's own lines (Mẫu 1.2, 1.3 of Phụ lục III): the issuing authority and
    "QUYẾT ĐỊNH:" centred in caps bold, and "Điều 1." bold at the body's first-line indent."""
    centred = "<w:keepNext/>" + CENTER + NO_INDENT
    return [
        style(
            nd30.THAM_QUYEN.style,
            "BC Thẩm quyền ban hành",
            based_on=nd30.BODY.style,
            ppr=centred + spacing(before=nd30.THAM_QUYEN.before),
            rpr=faces(nd30.THAM_QUYEN),
        ),
        style(
            nd30.QUYET_DINH_DONG.style,
            "BC Quyết định:",
            based_on=nd30.BODY.style,
            ppr=centred + spacing(before=nd30.QUYET_DINH_DONG.before),
            rpr=faces(nd30.QUYET_DINH_DONG),
        ),
        style(
            nd30.DIEU.style,
            "BC Điều",
            based_on=nd30.BODY.style,
            ppr="<w:keepNext/>",
            rpr=faces(nd30.DIEU),
        ),
    ]


def styles(decision: bool = False) -> str:
    fonts = (
        f'<w:rFonts w:ascii="{nd30.FONT}" w:hAnsi="{nd30.FONT}" '
        f'w:eastAsia="{nd30.FONT}" w:cs="{nd30.FONT}"/>'
    )
    header_box = CENTER + spacing() + NO_INDENT
    left = '<w:jc w:val="left"/>'
    first_line = mm(nd30.FIRST_LINE_CM.default * 10)
    body_line = round(240 * nd30.LINE_SPACING.default)
    token = left + spacing(before=nd30.SO_MA.before) + f'<w:ind w:left="{TOKEN_INDENT}"/>'
    body = [
        # Nghị định 30/2020, PL I, II.6.e: justified, first line 1–1.27 cm,
        # at least 6 pt between paragraphs, single to 1.5 line spacing.
        style(
            nd30.BODY.style,
            "BC Nội dung",
            ppr=f'<w:widowControl/><w:jc w:val="both"/><w:ind w:firstLine="{first_line}"/>'
            + spacing(before=nd30.BODY.before, line=body_line),
        ),
        *(
            style(
                role.style,
                name,
                based_on=nd30.BODY.style,
                ppr=keep,
                rpr=faces(role),
            )
            for role, name, keep in zip(
                nd30.HEADINGS,
                ("BC Mục I", "BC Mục 1", "BC Mục a", "BC Mục gạch"),
                ("<w:keepNext/>", "<w:keepNext/>", "<w:keepNext/>", ""),
                strict=True,
            )
        ),
        style(nd30.CAN_CU.style, "BC Căn cứ", based_on=nd30.BODY.style, rpr=faces(nd30.CAN_CU)),
        # Header block, PL I, II.1–II.4: sizes 13/14/14 move together.
        style(
            nd30.CO_QUAN_CHU_QUAN.style,
            "BC Cơ quan chủ quản",
            ppr=header_box,
            rpr=faces(nd30.CO_QUAN_CHU_QUAN),
        ),
        style(
            nd30.CO_QUAN_BAN_HANH.style,
            "BC Cơ quan ban hành",
            ppr=header_box,
            rpr=faces(nd30.CO_QUAN_BAN_HANH),
        ),
        style(nd30.QUOC_HIEU.style, "BC Quốc hiệu", ppr=header_box, rpr=faces(nd30.QUOC_HIEU)),
        style(nd30.TIEU_NGU.style, "BC Tiêu ngữ", ppr=header_box, rpr=faces(nd30.TIEU_NGU)),
        style(
            "BCGach",
            "BC Đường kẻ",
            ppr='<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
            + spacing(before=100, line=40, rule="exact")
            + NO_INDENT
            + CENTER,
            rpr=size(2),
        ),
        style(
            nd30.SO.style,
            "BC Số, ký hiệu",
            ppr=CENTER + spacing(before=nd30.SO.before) + NO_INDENT,
            rpr=faces(nd30.SO),
        ),
        style(nd30.SO_MA.style, "BC Số (mã ký số)", ppr=token, rpr=faces(nd30.SO_MA)),
        style(
            nd30.DIA_DANH_NGAY.style,
            "BC Địa danh, ngày",
            ppr=CENTER + spacing(before=nd30.DIA_DANH_NGAY.before) + NO_INDENT,
            rpr=faces(nd30.DIA_DANH_NGAY),
        ),
        style(
            nd30.DIA_DANH_NGAY_MA.style,
            "BC Địa danh, ngày (mã ký số)",
            ppr=left
            + spacing(before=nd30.DIA_DANH_NGAY_MA.before)
            + f'<w:ind w:left="{TOKEN_INDENT}"/>',
            rpr=faces(nd30.DIA_DANH_NGAY_MA),
        ),
        # Title, PL I, II.5: type name caps bold, trích yếu bold, 13–14 pt, centred.
        style(
            nd30.TEN_LOAI.style,
            "BC Tên loại",
            ppr="<w:keepNext/>" + CENTER + spacing(before=nd30.TEN_LOAI.before) + NO_INDENT,
            rpr=faces(nd30.TEN_LOAI),
        ),
        # Công văn, PL I, II.5.b: "V/v …" under Số, 12–13 pt, upright, not bold, 6 pt above.
        style(
            nd30.VE_VIEC.style,
            "BC V/v",
            ppr=CENTER + spacing(before=nd30.VE_VIEC.before) + NO_INDENT,
            rpr=faces(nd30.VE_VIEC),
        ),
        style(
            nd30.TRICH_YEU.style,
            "BC Trích yếu",
            ppr="<w:keepNext/>" + CENTER + spacing() + NO_INDENT,
            rpr=faces(nd30.TRICH_YEU),
        ),
        # Nơi nhận, PL I, II.9.d: label 12 pt bold italic, items 11 pt.
        style(
            nd30.NOI_NHAN_LABEL.style,
            "BC Nơi nhận",
            ppr=spacing(before=nd30.NOI_NHAN_LABEL.before) + NO_INDENT + left,
            rpr=faces(nd30.NOI_NHAN_LABEL),
        ),
        style(
            nd30.NOI_NHAN_ITEM.style,
            "BC Nơi nhận mục",
            ppr=spacing() + NO_INDENT + left,
            rpr=faces(nd30.NOI_NHAN_ITEM),
        ),
        # Signer, PL I, II.7: authority and position caps bold; name bold.
        # contextualSpacing: only the first line of the block gets the gap, so
        # "Nơi nhận:" and the first authority line sit on one level (II.9.d).
        style(
            nd30.CHUC_VU.style,
            "BC Chức vụ",
            ppr="<w:contextualSpacing/>" + CENTER + spacing(before=nd30.CHUC_VU.before) + NO_INDENT,
            rpr=faces(nd30.CHUC_VU),
        ),
        style(
            nd30.HO_TEN.style,
            "BC Họ tên",
            ppr=CENTER + spacing(before=nd30.HO_TEN.before) + NO_INDENT,
            rpr=faces(nd30.HO_TEN),
        ),
        # A position under the signing space (PL I, II.7.b): the name's gap is above
        # its first line; contextualSpacing keeps a second line right under it.
        style(
            nd30.CHUC_VU_DUOI.style,
            "BC Chức vụ dưới chỗ ký",
            ppr="<w:contextualSpacing/>"
            + CENTER
            + spacing(before=nd30.CHUC_VU_DUOI.before)
            + NO_INDENT,
            rpr=faces(nd30.CHUC_VU_DUOI),
        ),
        style(
            nd30.TEN_BANG.style,
            "BC Tên bảng",
            ppr="<w:keepNext/>"
            + CENTER
            + spacing(before=nd30.TEN_BANG.before, after=nd30.TEN_BANG.after)
            + NO_INDENT,
            rpr=faces(nd30.TEN_BANG),
        ),
        style(
            nd30.BANG_TIEU_DE.style,
            "BC Bảng tiêu đề",
            ppr=CENTER
            + spacing(before=nd30.BANG_TIEU_DE.before, after=nd30.BANG_TIEU_DE.after)
            + NO_INDENT,
            rpr=faces(nd30.BANG_TIEU_DE),
        ),
        style(
            nd30.BANG_CHU.style,
            "BC Bảng chữ",
            ppr=spacing(before=nd30.BANG_CHU.before, after=nd30.BANG_CHU.after) + NO_INDENT,
            rpr=faces(nd30.BANG_CHU),
        ),
        # PL I, I.7: page number centred in the header, 13–14 pt, not on page 1.
        style(
            nd30.SO_TRANG.style,
            "BC Số trang",
            ppr=CENTER + spacing() + NO_INDENT,
            rpr=faces(nd30.SO_TRANG),
        ),
        style("BCCuoi", "BC Cuối", ppr=spacing() + NO_INDENT, rpr=size(2)),
        # Phụ lục, PL I, III.1 and Mẫu 2.1: "Phụ lục I" 14 bold; title caps bold;
        # the "(Kèm theo …)" reference 13 italic. A section break paragraph is
        # tiny so it adds no visible line.
        style(
            "BCNgatPhan",
            "BC Ngắt phần",
            ppr=spacing(line=20, rule="exact") + NO_INDENT,
            rpr=size(1),
        ),
        style(
            nd30.PHU_LUC_SO.style,
            "BC Phụ lục số",
            ppr="<w:keepNext/>" + CENTER + spacing() + NO_INDENT,
            rpr=faces(nd30.PHU_LUC_SO),
        ),
        style(
            nd30.PHU_LUC_TIEU_DE.style,
            "BC Phụ lục tiêu đề",
            ppr="<w:keepNext/>" + CENTER + spacing(before=nd30.PHU_LUC_TIEU_DE.before) + NO_INDENT,
            rpr=faces(nd30.PHU_LUC_TIEU_DE),
        ),
        style(
            nd30.KEM_THEO.style,
            "BC Kèm theo",
            ppr="<w:keepNext/>" + CENTER + spacing(before=nd30.KEM_THEO.before) + NO_INDENT,
            rpr=faces(nd30.KEM_THEO),
        ),
        style(
            nd30.DONG_PHU.style,
            "BC Dòng phụ",
            ppr="<w:keepNext/>" + CENTER + spacing(before=nd30.DONG_PHU.before) + NO_INDENT,
            rpr=faces(nd30.DONG_PHU),
        ),
        style(
            nd30.CHUC_VU_PHU_LUC.style,
            "BC Chức vụ (phụ lục)",
            ppr="<w:contextualSpacing/>"
            + CENTER
            + spacing(before=nd30.CHUC_VU_PHU_LUC.before)
            + NO_INDENT,
            rpr=faces(nd30.CHUC_VU_PHU_LUC),
        ),
        # Marks, PL I, mục III.2: urgency in a single-border box, 13-14 pt bold caps,
        # bright red; secrecy boxed the same way (its size is set by other law).
        style(
            nd30.DAU.style,
            "BC Dấu mức độ",
            ppr="<w:pBdr>"
            + borders(BOX, "single", size=8, space=1, color="FF0000")
            + "</w:pBdr>"
            + CENTER
            + spacing(before=nd30.DAU.before, line=300, rule="exact"),
            rpr=faces(nd30.DAU) + '<w:color w:val="FF0000"/>',
        ),
        style(
            nd30.PHAM_VI.style,
            "BC Phạm vi lưu hành",
            ppr="<w:pBdr>"
            + borders(BOX, "single", size=8, space=1)
            + "</w:pBdr>"
            + CENTER
            + spacing(after=nd30.PHAM_VI.after),
            rpr=faces(nd30.PHAM_VI),
        ),
        # Kính gửi, PL I, mục II.5 and Mẫu 1.5: 14 pt; dashes aligned under the colon.
        style(
            nd30.KINH_GUI.style,
            "BC Kính gửi",
            ppr=spacing(before=nd30.KINH_GUI.before) + left,
            rpr=faces(nd30.KINH_GUI),
        ),
        style(
            nd30.LIEN_HE.style,
            "BC Liên hệ",
            ppr='<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
            + spacing()
            + NO_INDENT
            + left
            + "<w:contextualSpacing/>",
            rpr=faces(nd30.LIEN_HE),
        ),
        style("BCHinh", "BC Hình", ppr="<w:keepNext/>" + CENTER + spacing(before=120) + NO_INDENT),
        style(
            nd30.CHU_HINH.style,
            "BC Chú thích hình",
            ppr=CENTER + spacing(before=nd30.CHU_HINH.before) + NO_INDENT,
            rpr=faces(nd30.CHU_HINH),
        ),
        # Footnotes: no rule in the decree; its own PL I uses 10 pt footnote text.
        style(
            nd30.CHU_THICH.style,
            "BC Chú thích",
            ppr='<w:jc w:val="both"/>' + spacing(after=nd30.CHU_THICH.after) + NO_INDENT,
            rpr=faces(nd30.CHU_THICH),
        ),
        # Named as Word's built-in "footnote reference": LibreOffice draws the
        # number in the footnote area with the style of that name, not with
        # the run's own style, and printed it full size under any other name.
        style(
            "BCThamChieu",
            "footnote reference",
            kind="character",
            based_on="",
            rpr='<w:vertAlign w:val="superscript"/>',
        ),
    ]
    table_styles = [
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="table" w:customStyle="1" w:styleId="BCBang"><w:name w:val="BC Bảng"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
        + borders(GRID, "single")
        + '</w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="table" w:customStyle="1" w:styleId="BCKhongVien"><w:name w:val="BC Không viền"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
        + borders(GRID)
        + "</w:tblBorders></w:tblPr></w:style>",
    ]
    return (
        f'{XML}<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>{fonts}'
        f'<w:color w:val="000000"/>{size(nd30.BODY.size.default)}<w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        f"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{spacing()}</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "<w:qFormat/></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        + "".join(body)
        + "".join(decision_styles() if decision else [])
        + "".join(table_styles)
        + "</w:styles>"
    )


def footer(with_contact: bool) -> str:
    """Ô 13 (PL I, mục III.4): contact details at the foot of page 1 only, under a full rule."""
    content = '<w:p><w:pPr><w:pStyle w:val="BCCuoi"/></w:pPr></w:p>'
    if with_contact:
        content = (
            '<w:p><w:r><w:t xml:space="preserve">{%p for dong in lien_he %}</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="BCLienHe"/></w:pPr>'
            '<w:r><w:t xml:space="preserve">{{ dong }}</w:t></w:r></w:p>'
            '<w:p><w:r><w:t xml:space="preserve">{%p endfor %}</w:t></w:r></w:p>' + content
        )
    return f'{XML}<w:ftr xmlns:w="{W}" xmlns:r="{R}">{content}</w:ftr>'


def header(with_page_number: bool) -> str:
    if with_page_number:
        content = (
            '<w:p><w:pPr><w:pStyle w:val="BCSoTrang"/></w:pPr>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )
    else:
        content = '<w:p><w:pPr><w:pStyle w:val="BCSoTrang"/></w:pPr></w:p>'
    return f'{XML}<w:hdr xmlns:w="{W}" xmlns:r="{R}">{content}</w:hdr>'


SETTINGS = (
    f'{XML}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    # A line broken by hand (a newline typed in the YAML, Shift+Enter copied from Word) must
    # not stretch its words across the justified line above the break, in Word or LibreOffice.
    '<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="vi-VN"/></w:settings>'
)

CONTENT_TYPES = (
    f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

PACKAGE_RELS = (
    f'{XML}<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    f'{XML}<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/footnotes" Target="footnotes.xml"/>'
    f'<Relationship Id="rId10" Type="{DOC_REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rId11" Type="{DOC_REL}/header" Target="header2.xml"/>'
    f'<Relationship Id="rId12" Type="{DOC_REL}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rId13" Type="{DOC_REL}/footer" Target="footer2.xml"/>'
    "</Relationships>"
)

CORE = (
    f'{XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Mẫu báo cáo (baocao)</dc:title><dc:creator>baocao</dc:creator>"
    "<dc:language>vi-VN</dc:language></cp:coreProperties>"
)

APP = (
    f'{XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>baocao</Application></Properties>"
)

FOOTNOTES = (
    f'{XML}<w:footnotes xmlns:w="{W}" xmlns:r="{R}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
"""Only the separators: rendering appends the report's notes (see rendering.py)."""

FIXED_TIME = (2020, 3, 5, 0, 0, 0)
"""Zip entry time: the decree's signing date, so rebuilding gives identical bytes."""


TYPES = {
    "bao-cao": False,
    "ke-hoach": False,
    "to-trinh": False,
    "thong-bao": False,
    "cong-van": True,
    "quyet-dinh": False,
}
"""Every bundle shares the skeleton; True marks a letter (công văn). Names come from schema.yaml."""

DECISIONS = ("quyet-dinh",)
"""Bundles whose styles add the quyết định's lines (``decision_styles``)."""


def bundle_parts(folder: str) -> dict[str, str]:
    """The parts of ``templates/<folder>/template.docx``."""
    return parts(letter=TYPES[folder], decision=folder in DECISIONS)


def parts(letter: bool = False, decision: bool = False) -> dict[str, str]:
    """Every part of a template.docx, by name (tests compare these with the committed files)."""
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": document(letter),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles(decision),
        "word/settings.xml": SETTINGS,
        "word/footnotes.xml": FOOTNOTES,
        "word/header1.xml": header(True),
        "word/header2.xml": header(False),
        "word/footer1.xml": footer(True),
        "word/footer2.xml": footer(False),
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
    }


def write(target: Path, folder: str) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in bundle_parts(folder).items():
            archive.writestr(
                zipfile.ZipInfo(name, FIXED_TIME), text.encode("utf-8"), zipfile.ZIP_DEFLATED
            )


if __name__ == "__main__":
    for folder in TYPES:
        write(ROOT / "templates" / folder / "template.docx", folder)
        print(f"wrote templates/{folder}/template.docx")
