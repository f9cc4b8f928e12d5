"""Nghị định 30/2020/NĐ-CP's layout rules as data: each decree number written once.

The template generator (tools/make_templates.py), the layout, the renderer's size
patches and the checker read their numbers here, so a change of one size or margin
is made in one place and moves the template, the output and the checker together.
The authority is the project's spec of the decree (PL I = Phụ lục I). A ``Range``
holds the decree's bounds and our default inside them (the spec's §14); a role the
decree leaves open (footnotes, tables) says so and pins one value.
"""

from __future__ import annotations

from baocao.records import record


@record
class Range:
    """Whole numbers (pt or mm) from ``low`` to ``high``, with the value we write by default."""

    low: int
    high: int
    default: int

    def __post_init__(self) -> None:
        if not self.low <= self.default <= self.high:
            raise ValueError(f"default {self.default} outside {self.low}–{self.high}")

    @property
    def span(self) -> tuple[float, float]:
        """The bounds as the checker compares them."""
        return (float(self.low), float(self.high))


def exact(value: int) -> Range:
    """A size the decree fixes (Nơi nhận 12 / 11 pt): one number, so one place to change."""
    return Range(value, value, value)


@record
class Scale:
    """A measure with fractions (cm, lines) from ``low`` to ``high``, and our default."""

    low: float
    high: float
    default: float


@record
class Role:
    """One element's typography: size (pt) and faces, space before/after (twips).

    ``style`` is the template's style id that carries the role. ``size`` None
    means the body's size (headings, căn cứ: "body size" in the decree).
    """

    style: str
    size: Range | None
    bold: bool = False
    italic: bool = False
    caps: bool = False
    before: int = 0
    after: int = 0


@record
class Margins:
    """Page margins in mm (PL I, I.3)."""

    top: Range
    bottom: Range
    left: Range
    right: Range


# -- page (PL I, Phần I, I.1–I.4) ---------------------------------------------------------

PAGE_MM = (210, 297)
"""A4, portrait (width, height)."""

MARGINS = Margins(
    top=Range(20, 25, 20),
    bottom=Range(20, 25, 20),
    left=Range(30, 35, 30),
    right=Range(15, 20, 15),
)

HEADER_DISTANCE_MM = 10
"""Header and footer distance from the edge: the decree's own files (not a rule)."""

FONT = "Times New Roman"

# -- body (PL I, II.6.e) -------------------------------------------------------------------

FIRST_LINE_CM = Scale(1.0, 1.27, 1.27)
"""First-line indent: 1 cm or 1.27 cm."""

PARAGRAPH_GAP_PT = 6
"""At least 6 pt between paragraphs; we write exactly that before each."""

LINE_SPACING = Scale(1.0, 1.5, 1.2)
"""Single to 1.5 lines."""

BODY_SIZE = Range(13, 14, 14)
"""Body text, 13–14 pt (I.5, II.6.e); headings and căn cứ take it too."""

BODY = Role("BCNoiDung", BODY_SIZE, before=PARAGRAPH_GAP_PT * 20)


def points(role: Role) -> int:
    """The size a style of ``role`` has by default: its own, or the body's."""
    return (role.size or BODY_SIZE).default


# -- header block (PL I, II.1–II.4; sizes move together, footnote 1 of the Mục V table) ------

QUOC_HIEU = Role("BCQuocHieu", Range(12, 13, 13), bold=True, caps=True)
TIEU_NGU = Role("BCTieuNgu", Range(13, 14, 14), bold=True)
CO_QUAN_CHU_QUAN = Role("BCCoQuanChuQuan", Range(12, 13, 13), caps=True)
CO_QUAN_BAN_HANH = Role("BCCoQuan", Range(12, 13, 13), bold=True, caps=True)
SO = Role("BCSo", exact(13), before=120)
"""Số and ký hiệu, 13 pt (II.3); "Số:" and the place line sit 6 pt under the agency."""
SO_MA = Role("BCSoMa", SO.size, before=SO.before)
"""Số as an e-office token (spec §11): same size, left-aligned."""
DIA_DANH_NGAY = Role("BCDiaDanhNgay", Range(13, 14, 14), italic=True, before=120)
DIA_DANH_NGAY_MA = Role("BCDiaDanhNgayMa", DIA_DANH_NGAY.size, italic=True, before=120)

# -- title (PL I, II.5) ----------------------------------------------------------------------

TEN_LOAI = Role("BCTenLoai", Range(13, 14, 14), bold=True, caps=True, before=360)
TRICH_YEU = Role("BCTrichYeu", Range(13, 14, 14), bold=True)
VE_VIEC = Role("BCVeViec", Range(12, 13, 13), before=120)
"""A công văn's "V/v …": 12–13 pt, not bold, 6 pt under Số (II.5.b)."""
KINH_GUI = Role("BCKinhGui", Range(13, 14, 14), before=240)

# -- body structure (Mục V table, row 6.b; "body size") --------------------------------------

MUC_1 = Role("BCMuc1", None, bold=True, caps=True)
""""I. NHỮNG KẾT QUẢ…": caps bold."""
MUC_2 = Role("BCMuc2", None, bold=True)
"""\"1. Tiêu đề": bold."""
MUC_3 = Role("BCMuc3", None)
"""\"a) …": plain."""
MUC_4 = Role("BCMuc4", None)
"""\"- …": plain (practice, not in the decree)."""
HEADINGS = (MUC_1, MUC_2, MUC_3, MUC_4)
CAN_CU = Role("BCCanCu", None, italic=True)
"""Căn cứ: italic, body size (II.6.a)."""

# -- signature and recipients (PL I, II.7, II.9.d) -------------------------------------------

SIGN_GAP = 240
"""Space (twips) above the Nơi nhận / signer row: both start on one level."""

CHUC_VU = Role("BCChucVu", Range(13, 14, 14), bold=True, caps=True, before=SIGN_GAP)
QUYEN_HAN = CHUC_VU
"""Authority (TM., KT., …) and position share ô 7a: caps bold, 13–14 pt."""
HO_TEN = Role("BCHoTen", Range(13, 14, 14), bold=True, before=1700)
"""Full name, bold; the gap above leaves room for the signature and seal."""
CHUC_VU_DUOI = Role("BCChucVuDuoi", Range(13, 14, 14), bold=True, caps=True, before=HO_TEN.before)
"""A position printed under the signing space, above the name (Điều 13 signers of an
advisory body: "PHÓ CHỦ TỊCH UBND TỈNH" under a Phó Trưởng ban's signature)."""
CHUC_VU_PHU_LUC = Role("BCChucVuPhuLuc", Range(13, 14, 14), bold=True, before=SIGN_GAP)
NOI_NHAN_LABEL = Role("BCNoiNhanNhan", exact(12), bold=True, italic=True, before=SIGN_GAP)
NOI_NHAN_ITEM = Role("BCNoiNhan", exact(11))

# -- pages, appendices, marks, contact (PL I, I.7, III.1–III.4) ------------------------------

SO_TRANG = Role("BCSoTrang", Range(13, 14, 14))
PHU_LUC_SO = Role("BCPhuLucSo", exact(14), bold=True)
"""\"Phụ lục I": 14 pt bold."""
PHU_LUC_TIEU_DE = Role("BCPhuLucTieuDe", Range(13, 14, 14), bold=True, caps=True, before=60)
KEM_THEO = Role("BCKemTheo", Range(13, 14, 13), italic=True, before=60)
"""\"(Kèm theo …)": 13–14 pt italic; the sample sets 13."""
DONG_PHU = Role("BCDongPhu", Range(13, 14, 14), before=60)
DAU = Role("BCDau", Range(13, 14, 13), bold=True, caps=True, before=160)
"""Urgency and secrecy boxes: caps bold 13–14 pt, bright red."""
PHAM_VI = Role("BCPhamVi", Range(13, 14, 13), bold=True, caps=True, after=120)
"""Circulation instruction (ô 11): boxed caps bold 13–14 pt."""
LIEN_HE = Role("BCLienHe", Range(11, 12, 11))
"""Address and contacts (ô 13): 11–12 pt under a full rule."""

# -- left open by the decree: one value pinned (spec §10) ------------------------------------

CHU_THICH = Role("BCChuThich", exact(10), after=40)
"""Footnote text: no rule; the decree's own PL I uses 10 pt."""
TEN_BANG = Role("BCTenBang", exact(13), bold=True, before=120, after=60)
TABLE_SIZE = Range(11, 13, 13)
"""Table text (``bang.co_chu``): the decree sets no table size (spec §10, "no table styling
rules"), so the range is ours: 13 pt by default, down to 11 pt, the smallest size the decree
itself prints (Nơi nhận's items, ô 13), which wide tables of real reports use (11–12 pt)."""
BANG_TIEU_DE = Role("BCBangTieuDe", TABLE_SIZE, bold=True, before=40, after=40)
BANG_CHU = Role("BCBangChu", TABLE_SIZE, before=40, after=40)
"""Table text: no rule in the decree."""
CHU_HINH = Role("BCChuHinh", exact(13), italic=True, before=60)

ROLES = (
    BODY,
    *HEADINGS,
    CAN_CU,
    CO_QUAN_CHU_QUAN,
    CO_QUAN_BAN_HANH,
    QUOC_HIEU,
    TIEU_NGU,
    SO,
    SO_MA,
    DIA_DANH_NGAY,
    DIA_DANH_NGAY_MA,
    TEN_LOAI,
    VE_VIEC,
    TRICH_YEU,
    NOI_NHAN_LABEL,
    NOI_NHAN_ITEM,
    CHUC_VU,
    HO_TEN,
    CHUC_VU_DUOI,
    TEN_BANG,
    BANG_TIEU_DE,
    BANG_CHU,
    SO_TRANG,
    PHU_LUC_SO,
    PHU_LUC_TIEU_DE,
    KEM_THEO,
    DONG_PHU,
    CHUC_VU_PHU_LUC,
    DAU,
    PHAM_VI,
    KINH_GUI,
    LIEN_HE,
    CHU_HINH,
    CHU_THICH,
)
"""Every role that a template style carries, in the template's order."""

FOLLOW_QUOC_HIEU = (QUOC_HIEU, CO_QUAN_BAN_HANH, CO_QUAN_CHU_QUAN)
"""Sizes that move with the Quốc hiệu (12 or 13 pt: footnote 1 of the Mục V table)."""

FOLLOW_TIEU_NGU = (TIEU_NGU, DIA_DANH_NGAY, DIA_DANH_NGAY_MA)
"""Sizes one point above the Quốc hiệu (13 or 14 pt)."""

FOLLOW_BODY = (BODY, TEN_LOAI, TRICH_YEU, CHUC_VU, HO_TEN, SO_TRANG, CHUC_VU_DUOI)
"""Sizes that move with the body's (13 or 14 pt)."""

# -- quyết định (cá biệt): Mẫu 1.2 and 1.3 of Phụ lục III ----------------------------------

THAM_QUYEN = Role("BCThamQuyen", None, bold=True, caps=True, before=360)
"""Ô 5a's companion in a quyết định: the authority that issues it ("CHỦ TỊCH ỦY BAN NHÂN DÂN
TỈNH …", or the collective's name), centred, caps bold, body size, under the trích yếu
(Mẫu 1.2, 1.3; ghi chú 6)."""
QUYET_DINH_DONG = Role("BCQuyetDinhDong", None, bold=True, caps=True, before=240)
"""The "QUYẾT ĐỊNH:" line after the căn cứ: centred, caps bold, body size (Mẫu 1.2, 1.3)."""
DIEU = Role("BCDieu", None, bold=True)
"""\"Điều 1. Tiêu đề": lowercase, bold, body size, first line indented as the body's
(PL I, II.6.đ and the Mục V table: "Điều 1. Bản sao văn bản")."""
DECISION_ROLES = (THAM_QUYEN, QUYET_DINH_DONG, DIEU)
"""Styles only the quyết định template carries: the other templates stay as they were."""

# -- fixed texts -----------------------------------------------------------------------------

QUOC_HIEU_TEXT = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU_TEXT = "Độc lập - Tự do - Hạnh phúc"
NOI_NHAN_TEXT = "Nơi nhận:"
KINH_GUI_TEXT = "Kính gửi"
NHU_TREN_TEXT = "Như trên"
NHU_KINH_GUI_TEXT = "Như kính gửi"
"""The other wording offices use for "Như trên": typed first in Nơi nhận, it stands for it."""
AS_ABOVE_TEXTS = (NHU_TREN_TEXT, NHU_KINH_GUI_TEXT)
"""A Nơi nhận list that begins with either already names the addressees (PL I, II.9.d)."""
LUU_TEXT = "Lưu"
"""The last Nơi nhận line begins "- Lưu:" (the copies kept by the records office)."""
CLOSING_MARK = "./."
"""Ends the body right after the last word (every sample; spec §4.3)."""
PHU_LUC_TEXT = "Phụ lục"
DIEU_TEXT = "Điều"
"""An article's label: "Điều 1." (PL I, II.6.đ)."""
THEO_DE_NGHI_TEXT = "Theo đề nghị của"
"""Opens the line that closes a quyết định's căn cứ (Mẫu 1.2, 1.3)."""

# -- rules (the lines under header elements) -------------------------------------------------

RULE_SHARE = 0.4
"""Under the agency name and the trích yếu: 1/3 to 1/2 of the text (II.2, II.5)."""

TIEU_NGU_RULE_SHARE = 1.0
"""Under the Tiêu ngữ: as long as its text (II.1)."""

# -- numbers, dates, numbering, signers (II.3, II.4, II.6, II.7) ------------------------------

NUMBER_DIGITS = 2
"""Số: numbers below 10 take a leading 0 (01 … 09)."""

DAY_DIGITS = 2
"""Days 1–9 take a leading 0."""

MONTHS_PADDED = 2
"""Months up to this one take a leading 0 (01, 02); months 3–12 are written as is."""


def number_text(number: int) -> str:
    """The Số as the decree writes it: ``number_text(5)`` is "05"."""
    return f"{number:0{NUMBER_DIGITS}d}"


def day_text(day: int) -> str:
    """A day of the date phrase: "05"."""
    return f"{day:0{DAY_DIGITS}d}"


def month_text(month: int) -> str:
    """A month of the date phrase: "01", "02", then "3" … "12"."""
    return f"{month:02d}" if month <= MONTHS_PADDED else str(month)


POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"
"""Điểm letters in the decree's order: no ă â ê ô ơ ư, no f j w z (after "o": inferred)."""

SIGNING_FOR = ("TM.", "KT.", "TL.", "TUQ.")
"""Authorities that sign for someone (II.7.a): thay mặt, ký thay, thừa lệnh, thừa ủy
quyền; the line names whom ("KT. GIÁM ĐỐC")."""

ACTING = "Q."
"""Quyền: the signer acts in the post, for no one else ("Q. GIÁM ĐỐC" on one line)."""

AUTHORITIES = (*SIGNING_FOR, ACTING)
"""Every signing authority before the title (II.7.a)."""

SIGNER_LEVELS = 2
"""At most two authorities: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (Điều 13)."""

# -- marks and samples -----------------------------------------------------------------------

URGENCY_BOX_MM = {"KHẨN": 20, "THƯỢNG KHẨN": 40, "HỎA TỐC": 30, "HOẢ TỐC": 30}
"""Urgency stamps: single-border boxes of these widths, 8 mm high (III.2.b)."""

KINH_GUI_INDENT_MM = 35
"""Mẫu 1.5 puts "Kính gửi:" about 3.5 cm in; the dashes sit under its colon."""


# -- the types of administrative document (Điều 7, Phụ lục III) ------------------------------


@record(slots=True)
class DocumentType:
    """One type of văn bản hành chính: its key (a bundle's name where baocao has one),
    the type name as printed in ô 5a, the name in prose, its abbreviation in the
    number's symbol (Phụ lục III) and whether it carries a trích yếu under its name."""

    key: str
    name: str
    prose: str
    abbreviation: str
    summary: bool = True


DOCUMENT_TYPES = (
    DocumentType("nghi-quyet", "NGHỊ QUYẾT", "Nghị quyết", "NQ"),
    DocumentType("quyet-dinh", "QUYẾT ĐỊNH", "Quyết định", "QĐ"),
    DocumentType("chi-thi", "CHỈ THỊ", "Chỉ thị", "CT"),
    DocumentType("quy-che", "QUY CHẾ", "Quy chế", "QC"),
    DocumentType("quy-dinh", "QUY ĐỊNH", "Quy định", "QyĐ"),
    DocumentType("thong-cao", "THÔNG CÁO", "Thông cáo", "TC"),
    DocumentType("thong-bao", "THÔNG BÁO", "Thông báo", "TB"),
    DocumentType("huong-dan", "HƯỚNG DẪN", "Hướng dẫn", "HD"),
    DocumentType("chuong-trinh", "CHƯƠNG TRÌNH", "Chương trình", "CTr"),
    DocumentType("ke-hoach", "KẾ HOẠCH", "Kế hoạch", "KH"),
    DocumentType("phuong-an", "PHƯƠNG ÁN", "Phương án", "PA"),
    DocumentType("de-an", "ĐỀ ÁN", "Đề án", "ĐA"),
    DocumentType("du-an", "DỰ ÁN", "Dự án", "DA"),
    DocumentType("bao-cao", "BÁO CÁO", "Báo cáo", "BC"),
    DocumentType("bien-ban", "BIÊN BẢN", "Biên bản", "BB"),
    DocumentType("to-trinh", "TỜ TRÌNH", "Tờ trình", "TTr"),
    DocumentType("hop-dong", "HỢP ĐỒNG", "Hợp đồng", "HĐ"),
    DocumentType("cong-dien", "CÔNG ĐIỆN", "Công điện", "CĐ"),
    DocumentType("ban-ghi-nho", "BẢN GHI NHỚ", "Bản ghi nhớ", "GN"),
    DocumentType("ban-thoa-thuan", "BẢN THỎA THUẬN", "Bản thỏa thuận", "TTh"),
    DocumentType("giay-uy-quyen", "GIẤY ỦY QUYỀN", "Giấy ủy quyền", "GUQ", summary=False),
    DocumentType("giay-moi", "GIẤY MỜI", "Giấy mời", "GM"),
    DocumentType("giay-gioi-thieu", "GIẤY GIỚI THIỆU", "Giấy giới thiệu", "GGT", summary=False),
    DocumentType("giay-nghi-phep", "GIẤY NGHỈ PHÉP", "Giấy nghỉ phép", "NP", summary=False),
    DocumentType("phieu-gui", "PHIẾU GỬI", "Phiếu gửi", "PG", summary=False),
    DocumentType("phieu-chuyen", "PHIẾU CHUYỂN", "Phiếu chuyển", "PC", summary=False),
    DocumentType("phieu-bao", "PHIẾU BÁO", "Phiếu báo", "PB", summary=False),
)
"""Every type the decree names with a type name (Điều 7; abbreviations of Phụ lục III),
in its order. The công văn has none (its trích yếu "V/v …" stands under the number) and is
``baocao.bundle``'s "cong-van". A type without a bundle is still recognised and checked on
the rules common to all (header, fonts, margins, Nơi nhận, signer, page numbers)."""
