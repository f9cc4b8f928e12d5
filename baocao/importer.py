"""Stage 3 in reverse, import: a Word document back into the YAML that renders it.

``import_docx`` reads a .docx through the one reader (``baocao.check.read``:
the ``ReadDocument`` of ``baocao.readmodel``) and undoes what layout does:
"Số: 12/BC-STTTT" becomes ``so_ky_hieu: {so: 12, ky_hieu: STTTT}`` (the type's
abbreviation is added again by layout), "…, ngày 05 tháng 3 năm 2024" becomes
``dia_danh`` and ``ngay_ban_hanh`` (blank parts left out), Nơi nhận items lose
the dash and the final ";" or "." that layout adds, the signer's lines become
``quyen_han``/``thay_cho``/``chuc_vu`` (the inverse of ``layout.signer_lines``),
and the body's typed labels (I., 1., a)) become nested sections, with
``so_muc`` only where a label is not the one baocao would number.

Never lose a word: a paragraph that is not recognised is kept in its place as
plain text, with a ``# không nhận ra: …`` comment in the YAML and an entry in
``Imported.unmapped``. The YAML is written here, every string double-quoted
and escaped, keys in the order of the documented example, and loaded back and
validated before it is returned.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from baocao import geometry, measure, nd30, vietnamese
from baocao.errors import Issue, Location
from baocao.import_tables import TOTAL as _TOTAL
from baocao.import_tables import TableReader
from baocao.readmodel import DASHES, ENDNOTE, At, Line, Mark, ReadDocument, Span, norm

KEY_ORDER = (
    "loai_van_ban",
    "co_quan_chu_quan",
    "co_quan_ban_hanh",
    "so_ky_hieu",
    "dia_danh",
    "ngay_ban_hanh",
    "ma_dac_biet",
    "do_mat",
    "do_khan",
    "pham_vi_luu_hanh",
    "trich_yeu",
    "tham_quyen",
    "kinh_gui",
    "can_cu",
    "theo_de_nghi",
    "mo_dau",
    "noi_dung",
    "ket_thuc",
    "chu_thich",
    "noi_nhan",
    "nguoi_ky",
    "phu_luc",
)
"""Top-level keys in the order of templates/bao-cao/example.yaml and the guide."""

CLOSING_MARK = "./."

_ALIGNED = {"center": "giua", "right": "phai"}
"""Body paragraph alignments kept as ``can_le``: the deliberate ones (a body is justified,
and a left-aligned paragraph in it is usually an accident of the file)."""

_CLOSING_AT_END = re.compile(r"\./\.(\**)\s*$")
"""The closing mark at the end of the body, inside bold or italic marks or not."""

ADDRESSEE_REACH = 4
"""Non-empty paragraphs at the top of the body searched for "Kính gửi:"."""

SIGNER_LINE = 80
"""Longest line (characters) of a cell of an appendix's signature grid."""

SIGNING_SPACE = 600
"""Space before (twips) that sets a signer's name apart from the position lines (as
reading's ``SIGNATURE_GAP`` for the report's own signer)."""

DEFAULT_TEMPLATE = "bao-cao"
"""The type given to a document whose type baocao has no bundle for (a quyết định)."""


@dataclass(frozen=True)
class Imported:
    """What an import gives: the YAML text, the report it validates to, and what could
    not be mapped to a key (each kept in the YAML as a plain paragraph or a comment)."""

    yaml_text: str
    validated: Any
    """The ``baocao.validation.Validated`` report of ``yaml_text``."""
    unmapped: tuple[str, ...]
    pictures: Mapping[str, bytes] = field(default_factory=dict)
    """The document's pictures by the file name ``yaml_text`` gives them (``hinh.tep``),
    their bytes as stored in the .docx: the caller writes them beside the YAML."""
    warnings: tuple[Issue, ...] = ()
    """What reading did to the text or left out of it (legacy fonts converted, tracked
    changes accepted, comments, text boxes): located warnings for the clerk."""


@dataclass
class Note:
    """A value with a comment line the clerk should read, above it in the YAML."""

    comment: str
    value: Any


ALONE = object()
"""A ``Note``'s value when the comment stands alone in a list, with no item under it."""


def import_docx(
    source: str | Path | bytes,
    template: str | None = None,
    *,
    name: str | None = None,
    folder: Path | None = None,
) -> Imported:
    """Read a .docx (a path or its bytes) and give the YAML that renders it again.

    ``template`` is the type to read it as ("bao-cao", "cong-van"…); None finds
    it as ``baocao check`` does. Pictures come back in ``Imported.pictures``,
    named ``<name>-hinh-<n>.<ext>`` (``name``: the YAML file's stem, by default
    the .docx's); ``folder`` is where the caller writes them, which the returned
    ``validated`` reads them from when rendered (None: the current folder).
    Raises ``InputError`` for a file that is not a readable .docx, as
    ``baocao.check.read`` does.
    """
    from baocao.check import read

    word, filename = _word_file(source)
    document = read(word, template=template, whole=True, legacy=True, name=filename)
    if name is None:
        name = Path(source).stem if not isinstance(source, bytes) else PICTURE_STEM
    mapper = _Mapper(document, stem=name)
    data = mapper.report()
    text = dump(data, mapper.header_comments())
    validated, problem = _validate(text, mapper.pictures, folder)
    if problem is not None and mapper.tables_as_tables:
        mapper = _Mapper(
            document, tables=False, stem=name
        )  # a table the schema refuses: its text as paragraphs
        data = mapper.report()
        text = dump(data, mapper.header_comments())
        validated, problem = _validate(text, mapper.pictures, folder)
    if problem is not None:
        raise problem
    return Imported(
        text, validated, tuple(mapper.unmapped), dict(mapper.pictures), outside_warnings(document)
    )


def _word_file(source: str | Path | bytes) -> tuple[bytes, str]:
    """The .docx bytes to read, and the file's name for messages. A Word 97–2003 .doc
    is converted by LibreOffice first (``baocao.convert``); without it, refused with the
    install command. An encrypted file is refused by the reader."""
    from baocao.docx.read import ole_kind, read_file

    name = "<docx>" if isinstance(source, bytes) else str(source)
    data = source if isinstance(source, bytes) else read_file(Path(source))
    if ole_kind(data) == "doc":
        from baocao.convert import doc_to_docx

        data = doc_to_docx(data, name)
    return data, name


LEGACY_NAMES = {"tcvn3": "TCVN3", "vni": "VNI"}


def outside_warnings(document: ReadDocument) -> tuple[Issue, ...]:
    """Warnings for what reading converted (legacy fonts), accepted (tracked changes)
    or left out (comments), and for text boxes read where they are anchored."""
    outside = document.outside
    if outside is None:
        return ()
    where = Location(document.name)
    found: list[Issue] = []

    def warn(code: str, **params: Any) -> None:
        found.append(Issue(where, (), code, params, warning=True))

    if outside.legacy_runs:
        first = outside.legacy_first
        warn(
            "import_legacy_converted",
            count=outside.legacy_runs,
            encodings=", ".join(LEGACY_NAMES.get(e, e) for e in outside.legacy_encodings),
            paragraph=first + 1 if first is not None else 1,
        )
    if outside.revisions:
        warn("import_tracked_changes", count=outside.revisions)
    if outside.comments:
        warn("import_comments", count=outside.comments)
    if outside.text_boxes:
        warn("import_text_boxes", count=outside.text_boxes)
    return tuple(found)


PICTURE_STEM = "van-ban"
"""The pictures' name stem when the .docx came as bytes and the caller named none."""


def _validate(
    text: str, pictures: Mapping[str, bytes] | None = None, folder: Path | None = None
) -> tuple[Any, Exception | None]:
    """Validate ``text``; its pictures are checked in a temporary folder (they are not
    written yet), and the result then reads them from ``folder``."""
    from baocao.errors import BaocaoError
    from baocao.source import load
    from baocao.validation import validate

    try:
        if not pictures:
            return validate(load(text)), None
        with tempfile.TemporaryDirectory() as temporary:
            for file, blob in pictures.items():
                (Path(temporary) / file).write_bytes(blob)
            loaded = load(text)
            validated = validate(replace(loaded, base_dir=Path(temporary)))
        return replace(validated, source=replace(validated.source, base_dir=folder)), None
    except BaocaoError as err:
        return None, err


# -- the header --------------------------------------------------------------------------


_DATE = re.compile(
    r"^(?:(?P<place>[^,]*?)\s*,\s*)?ngày\s*(?P<d>[^\s]*)\s*tháng\s*(?P<m>[^\s]*)\s*năm\s*(?P<y>[^\s]*)\s*$",
    re.IGNORECASE,
)


def _part(text: str) -> int | None:
    digits = text.strip(" .…_/")
    return int(digits) if digits.isdigit() else None


def number_fields(line: str, abbreviation: str) -> dict[str, Any] | None:
    """ "Số: 05/BC-STTTT" as ``{so: 5, ky_hieu: STTTT}``; a blank number as ``so: None``.

    >>> number_fields("Số: 05/BC-STTTT", "BC"), number_fields("Số:      /CV-UBND", "")
    ({'so': 5, 'ky_hieu': 'STTTT'}, {'so': None, 'ky_hieu': 'CV-UBND'})
    """
    match = re.match(r"\s*số\s*:\s*(?P<so>[^/]*)/\s*(?P<kh>.*)$", line, re.IGNORECASE)
    if match is None:
        return None
    symbol = norm(match.group("kh"))
    if abbreviation and symbol.startswith(abbreviation + "-"):
        symbol = symbol[len(abbreviation) + 1 :]
    elif abbreviation and symbol == abbreviation:
        symbol = ""
    number = match.group("so").strip(" .…_")
    so: int | str | None = int(number) if number.isdigit() else (number or None)
    return {"so": so, "ky_hieu": symbol} if symbol else {"so": so}


def date_fields(line: str) -> tuple[str | None, dict[str, int | None]] | None:
    """ "Hà Nội, ngày 05 tháng 3 năm 2024" as the place and the date's parts (None: blank).

    >>> date_fields("Hà Nội, ngày    tháng 3 năm 2024")
    ('Hà Nội', {'ngay': None, 'thang': 3, 'nam': 2024})
    """
    match = _DATE.match(norm(line))
    if match is None:
        return None
    parts = {"ngay": _part(match["d"]), "thang": _part(match["m"]), "nam": _part(match["y"])}
    return (match["place"] or None), parts


def signer_fields(lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The inverse of ``layout.signer_lines``: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" as
    ``quyen_han``, ``thay_cho``, ``chuc_vu``; lines past ``chuc_vu_2`` are returned apart.

    >>> signer_fields(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])[0]
    {'quyen_han': ['TM.', 'KT.'], 'thay_cho': ['ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], 'chuc_vu': 'PHÓ CHỦ TỊCH'}
    """
    authorities: list[str] = []
    acting: list[str] = []
    rest = list(lines)
    while len(rest) > 1:
        head, tail = _authority(rest[0])
        if head not in nd30.SIGNING_FOR or not tail.strip():
            break
        authorities.append(head)
        acting.append(tail.strip())
        rest.pop(0)
    out: dict[str, Any] = {}
    if rest and rest[0].startswith(nd30.ACTING + " "):
        authorities.append(nd30.ACTING)
        rest[0] = rest[0][len(nd30.ACTING) + 1 :].strip()
    if authorities:
        out["quyen_han"] = authorities if len(authorities) > 1 else authorities[0]
    if acting:
        out["thay_cho"] = acting if len(acting) > 1 else acting[0]
    out["chuc_vu"] = rest[0] if rest else ""
    if len(rest) > 1:
        out["chuc_vu_2"] = rest[1]
    return out, rest[2:]


def _authority(line: str) -> tuple[str, str]:
    """ "KT. GIÁM ĐỐC" as ("KT.", "GIÁM ĐỐC"), the space after the dot optional
    ("TL.CHỦ TỊCH"); a line with no authority as ("", line)."""
    found = re.match(r"\s*([A-ZĐ]{1,3}\.)\s*(\S.*)$", line)
    if found is None:
        return "", line
    return found.group(1), found.group(2).strip()


def recipient_items(lines: list[str], addressed: bool) -> list[str]:
    """Nơi nhận items without the dash and the final ; , or . layout adds; "Như trên"
    left out when the report has Kính gửi (layout puts it back first)."""
    items = []
    for line in lines:
        text = norm(line)
        if text[:1] in "-–—+•":
            text = text[1:].strip()
        if text[-1:] in (";", ".", ","):
            text = text[:-1].rstrip()
        if text:
            items.append(text)
    if addressed and items and items[0].strip(" -;.") == nd30.NHU_TREN_TEXT:
        items.pop(0)
    return items


# -- the body ----------------------------------------------------------------------------


_LABELS = (
    (1, re.compile(r"^(?P<label>[IVXL]{1,6}\.)\s+(?P<rest>\S.*)$")),
    (2, re.compile(r"^(?P<label>[0-9]{1,3}\.)\s+(?P<rest>\S.*)$")),
    (3, re.compile(r"^(?P<label>[a-zđ]\))\s+(?P<rest>\S.*)$")),
    (3, re.compile(r"^(?P<label>[0-9]{1,2}\.[0-9]{1,2}\.)\s+(?P<rest>\S.*)$")),
)
"""Typed section labels and the level baocao gives them: I. (1), 1. (2), a) and 1.1. (3);
"1.1." with its final dot only, and two digits at most, so "1.000 đồng" stays text."""

_ITEM = re.compile(r"^(?P<mark>[-+–])\s+(?P<rest>\S.*)$")


def markup(spans: tuple[Span, ...]) -> str:
    """The text of ``spans`` with bold as ``**…**`` and italic as ``*…*`` (label spans
    left out), spaces kept outside the marks so the markup parses."""
    out: list[str] = []
    pieces: list[tuple[str, bool, bool]] = []
    for span in spans:
        if span.label:
            continue
        text = span.text.replace("\t", " ").replace("\n", " ")
        if pieces and pieces[-1][1:] == (span.bold, span.italic):
            pieces[-1] = (pieces[-1][0] + text, span.bold, span.italic)
        else:
            pieces.append((text, span.bold, span.italic))
    for text, bold, italic in pieces:
        mark = ("**" if bold else "") + ("*" if italic else "")
        core = text.strip()
        if not mark or not any(c.isalnum() for c in core):
            # "*)*" after a word would not parse back: marks around bare punctuation dropped
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return " ".join("".join(out).split())


def _cell_markup(line: Line) -> str:
    """A table cell's paragraph with its bold and italic, its list label ("-") as text:
    a cell has no ``gach`` to give it back."""
    spans = tuple(replace(s, label=False) if s.label else s for s in line.spans)
    return markup(spans)


def _plain(line: Line) -> str:
    return norm(line.text.replace("\t", " ").replace("\n", " "))


class _Mapper:
    """Maps one read document to report data, noting what it could not map."""

    def __init__(
        self, document: ReadDocument, *, tables: bool = True, stem: str = PICTURE_STEM
    ) -> None:
        self.doc = document
        self.tables_as_tables = tables
        self.unmapped: list[str] = []
        self.stem = stem
        self.media = dict(document.media)
        self.pictures: dict[str, bytes] = {}
        """File name → bytes of every picture the YAML names or a comment points to."""
        self.picture_names: dict[str, str] = {}
        """Package part → the file name given to it."""
        self.note_keys: dict[str, str] = {}
        """Footnote id → its key in ``chu_thich`` ("1", "2"… in order of citation)."""
        kind = document.title.kind
        if kind is not None and not kind.bundled:
            kind = None  # a type the decree names but baocao has no bundle for
        self.template = kind.template if kind is not None else DEFAULT_TEMPLATE
        self.abbreviation = ""
        self.decision = False
        self.articles = False
        if kind is not None:
            from baocao.bundle import find

            self.abbreviation = find(kind.template).type_abbreviation
            self.decision = bool(find(kind.template).decision_line)
        self.first_level = 1
        self.comments: list[str] = []
        self.page_landscape = bool(document.page and document.page.landscape)
        """The page the blocks being mapped stand on is landscape (a table's ``ngang``)."""
        self.kept: list[Note] = []

    def lost(self, what: str, text: str) -> str:
        entry = f"{what}: {text}"
        self.unmapped.append(entry)
        return f"không nhận ra {entry}"

    def header_comments(self) -> list[str]:
        return self.comments

    # -- the report -------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        doc = self.doc
        data: dict[str, Any] = {}
        if doc.title.kind is None or not doc.title.kind.bundled:
            self.comments.append(
                self.lost("loại văn bản", "không có mẫu; nhập như báo cáo (--type để chọn)")
            )
        data["loai_van_ban"] = self.template
        header = doc.header
        parent = _agency_lines(header.parent_agency)
        agency = _agency_lines(header.agency)
        if not agency and not parent:
            parent, agency = self.agency_near_number()
        if parent:
            data["co_quan_chu_quan"] = parent if len(parent) > 1 else parent[0]
        data["co_quan_ban_hanh"] = (
            (agency if len(agency) > 1 else agency[0]) if agency else self.placeholder("cơ quan")
        )
        self.number_and_date(data)
        self.title(data)
        content = list(doc.content)
        leftover = self.head_leftovers()
        anchor = header.place_date or header.number
        if anchor is not None and anchor.at.table is not None:
            # the rest of the header's table (under the date: Kính gửi, a note) is the header's
            spill = [line for line in content if line.at.table == anchor.at.table]
            content = [line for line in content if line.at.table != anchor.at.table]
            leftover += [line for line in spill if _plain(line)]
        leftover = self.marks(data, leftover)
        kinh_gui, leftover = self.addressees(leftover, header=True)
        if self.decision:
            content = self.decision_preamble(data, content)
        if not kinh_gui:
            kinh_gui, content = self.addressees(content)
        self.keep_from_head(leftover)
        if kinh_gui:
            data["kinh_gui"] = kinh_gui if len(kinh_gui) > 1 else kinh_gui[0]
        elif self.template in ("cong-van", "to-trinh"):
            data["kinh_gui"] = self.placeholder("kính gửi")
        body: list[Any] = [*self.kept, *self.blocks(content, closing=True)]
        opening: list[Any] = []
        # A decision's text before "Điều 1." follows "QUYẾT ĐỊNH:": it is no mo_dau (printed above).
        while (
            not self.articles
            and body
            and not isinstance(body[0], dict)
            and any(isinstance(b, dict) for b in body)
        ):
            opening.append(body.pop(0))
        if opening and all(isinstance(b, (str, Note)) for b in opening):
            citations = _citations(opening)
            if citations:
                data["can_cu"] = citations
                opening = opening[len(citations) :]
            if opening:
                data["mo_dau"] = opening
        else:
            body = opening + body
        if body and isinstance(body[-1], str) and len(body) > 1 and body[-1].startswith("Trên đây"):
            data["ket_thuc"] = body.pop()
        data["noi_dung"] = body or [self.placeholder("nội dung")]
        self.closing(data, bool(kinh_gui))
        appendices = self.appendices()
        if appendices:
            data["phu_luc"] = appendices
        notes = self.footnotes()
        if notes:
            data["chu_thich"] = notes
        self.pictures_elsewhere()
        if self.first_level != 1:
            data["trinh_bay"] = {"muc_dau": {2: "1.", 3: "a)"}[self.first_level]}
        return data

    def head_leftovers(self) -> list[Line]:
        """Paragraphs before the body that no part of the header or title took: marks
        (MẬT, KHẨN, LƯU HÀNH NỘI BỘ), a Kính gửi typed in the header, or text to keep."""
        doc = self.doc
        header, title = doc.header, doc.title
        taken = [
            *header.parent_agency,
            *header.agency,
            header.national_title,
            header.motto,
            header.number,
            *header.number_rest,
            header.place_date,
            title.type_name,
            *title.summary,
            *title.letter_summary,
            title.stray_type_name,
        ]
        used = {line.at.paragraph for line in taken if line is not None}
        out = []
        for line in doc.head:
            text = _plain(line)
            if line.at.paragraph in used or not text or re.fullmatch(r"[_\-–. ]{3,}", text):
                continue
            out.append(line)
        return out

    def marks(self, data: dict[str, Any], lines: list[Line]) -> list[Line]:
        """Độ mật, độ khẩn and phạm vi lưu hành among ``lines`` as their keys (layout
        draws the boxes again); the lines that are none of them are returned."""
        rest = []
        for line in lines:
            text = _plain(line).upper()
            if text in _SECRECY and "do_mat" not in data:
                data["do_mat"] = text
            elif text in _URGENCY and "do_khan" not in data:
                data["do_khan"] = text
            elif _CIRCULATION.fullmatch(text) and "pham_vi_luu_hanh" not in data:
                data["pham_vi_luu_hanh"] = _plain(line)
            else:
                rest.append(line)
        return rest

    def keep_from_head(self, leftover: list[Line]) -> None:
        """Header text nothing took (no mark, no Kính gửi): kept as the first paragraphs
        of the body (``self.kept``), each with a comment."""
        self.kept = [
            Note(self.lost("phần đầu", _plain(line)), markup(line.spans)) for line in leftover
        ]

    def placeholder(self, what: str) -> Note:
        return self.placeholder_value(what, "…")

    def placeholder_value(self, what: str, value: Any) -> Note:
        """A required key the document did not show: "…" with a comment to fill it in."""
        return Note(self.lost(what, "không tìm thấy; điền vào"), value)

    def agency_near_number(self) -> tuple[list[str], list[str]]:
        """The parent agency's and the agency's lines when the header's finder missed
        them: the lines above "Số:" in its own table cell (agency and number in one
        cell), the agency being the bold lines at their foot, as the decree sets it."""
        number = self.doc.header.number
        if number is None:
            return [], []
        found: list[tuple[str, bool]] = []
        for line in self.doc.head:
            if line.at.paragraph >= number.at.paragraph:
                break
            same = line.at.table == number.at.table and line.at.cell == number.at.cell
            if same and line.shown and not line.shown.startswith("#"):
                bold = line.all_bold()
                found += [(norm(part), bold) for part in line.shown.split("\n") if norm(part)]
        cut = len(found)
        while cut > 0 and found[cut - 1][1]:
            cut -= 1
        if cut == len(found):  # none bold: the last line is the agency
            cut = max(len(found) - 1, 0)
        return [text for text, _ in found[:cut]], [text for text, _ in found[cut:]]

    def number_and_date(self, data: dict[str, Any]) -> None:
        header = self.doc.header
        number = header.number.visible if header.number is not None else ""
        if header.number is not None and header.number_rest:
            number += " " + " ".join(line.visible for line in header.number_rest)
        place_date = header.place_date.shown if header.place_date is not None else ""
        joined = re.match(r"(.*?/\S*)\s+(\S.*ngày.*tháng.*năm.*)$", number)
        if joined is not None and not place_date:  # "Số: …/UBND   Lâm Đồng, ngày …" in one line
            number, place_date = joined.group(1), norm(joined.group(2))
        number_token = re.fullmatch(r"\s*số\s*:\s*(#\w+)\s*", number, re.IGNORECASE)
        date_token = re.fullmatch(r"#\w+", place_date)
        if number_token and date_token:
            tokens = {"so_ky_hieu": number_token.group(1), "dia_danh_ngay": place_date}
            data["ma_dac_biet"] = True if tokens == _default_tokens() else tokens
            return
        fields = number_fields(number, self.abbreviation) if number else None
        if fields is not None:
            data["so_ky_hieu"] = fields
        else:
            if number:
                self.comments.append(self.lost("số", number))
            data["so_ky_hieu"] = self.placeholder_value("số và ký hiệu", {"ky_hieu": "…"})
        found = date_fields(place_date) if place_date else None
        if found is None:
            if place_date:
                self.comments.append(self.lost("địa danh và ngày", place_date))
            data["dia_danh"] = self.placeholder("địa danh")
            return
        place, parts = found
        data["dia_danh"] = place if place else self.placeholder("địa danh")
        data["ngay_ban_hanh"] = {k: v for k, v in parts.items() if v is not None}

    def title(self, data: dict[str, Any]) -> None:
        title = self.doc.title
        lines = [line.shown if line.capitals else line.clean for line in title.summary]
        if title.letter_summary:
            lines = [line.clean for line in title.letter_summary]
            lines[0] = re.sub(r"^v\s*/\s*v\s*", "", lines[0], flags=re.IGNORECASE)
        lines = [line for line in lines if line]
        if not lines:
            data["trich_yeu"] = self.placeholder("trích yếu")
        elif title.kind is not None and title.kind.letter:
            data["trich_yeu"] = " ".join(lines)  # a công văn's is one string, wrapped by Word
        else:
            data["trich_yeu"] = lines if len(lines) > 1 else lines[0]

    def addressees(self, content: list[Line], header: bool = False) -> tuple[list[str], list[Line]]:
        """ "Kính gửi: X" at the top of the body, or "Kính gửi:" and "- X;" lines under it;
        with ``header``, also in a cell of the header's table (its lines in that cell).
        A quyết định has none (its schema refuses ``kinh_gui``): such a line stays text."""
        if self.decision:
            return [], content
        filled = [i for i, line in enumerate(content) if line.clean][:ADDRESSEE_REACH]
        pattern = re.compile(r"kính\s+gửi\s*:?\s*(.*)$", re.IGNORECASE)
        start = next((i for i in filled if pattern.match(content[i].clean)), None)
        if start is None or (content[start].at.table is not None and not header):
            return [], content
        match = pattern.match(content[start].clean)
        assert match is not None
        names = [match.group(1)] if match.group(1) else []
        end = start + 1
        where = (content[start].at.table, content[start].at.cell)
        for line in content[start + 1 :]:
            if (line.at.table, line.at.cell) != where or not re.match(r"[-–+]\s", line.clean):
                break
            if names and not names[-1].rstrip().endswith((";", ",")):
                break  # "Kính gửi: X" or "- Y." ends the list: a "- " line after it is body
            names.append(line.clean)
            end += 1
        if not names:  # "Kính gửi:" alone, the addressees centred under it without dashes
            for line in content[start + 1 : start + 1 + ADDRESSEE_LINES]:
                if (line.at.table, line.at.cell) != where or not _addressee_line(line):
                    break
                names.append(line.clean)
                end += 1
            if len(names) == 1:
                return names, content[:start] + content[end:]
        rest = content[:start] + content[end:]
        if len(names) == 1 and end == start + 1:  # one line: printed as typed, full stop kept
            return names, rest
        return recipient_items(names, False), rest

    def closing(self, data: dict[str, Any], addressed: bool) -> None:
        closing = self.doc.closing
        items = recipient_items([line.clean for line in closing.recipients], addressed)
        data["noi_nhan"] = items or [self.placeholder("nơi nhận")]
        typed = [norm(line.clean).strip(" -–;.,") for line in closing.recipients]
        if addressed and items and not typed[0].startswith(nd30.AS_ABOVE_TEXTS):
            # layout puts "- Như trên;" first when there is Kính gửi: say so, the file had none
            note = self.lost("nơi nhận", "không có “Như trên”; baocao in dòng này đầu Nơi nhận")
            data["noi_nhan"] = Note(note, items)
        signer, extra = signer_fields([line.shown for line in closing.signer.lines])
        for line in extra:
            self.comments.append(self.lost("dòng của người ký", line))
        if not signer["chuc_vu"]:
            signer["chuc_vu"] = self.placeholder("chức vụ người ký")
        below = [line.clean for line in closing.signer.below if line.clean]
        if below:  # under the signing space, above the name: a rank, a second title
            signer["chuc_vu_duoi"] = below if len(below) > 1 else below[0]
        if closing.signer.name is not None:
            signer["ho_ten"] = closing.signer.name.clean
        data["nguoi_ky"] = signer

    # -- body blocks ------------------------------------------------------------------

    def blocks(self, lines: list[Any], *, closing: bool) -> list[Any]:
        """Paragraphs and tables in order, nested under the sections their labels open."""
        if self.articles and closing:
            return self.article_blocks(lines)
        root: list[Any] = []
        stack: list[tuple[int, dict[str, Any]]] = []
        first_level: int | None = None

        def children() -> list[Any]:
            if not stack:
                return root
            node = stack[-1][1]
            found: list[Any] = node.setdefault("noi_dung", [])
            return found

        lines = self.between(lines, body=closing)
        index = 0
        while index < len(lines):
            line = lines[index]
            if isinstance(line, _Between):
                index += 1
                block, index = self.between_block(line, lines, index)
                children().append(block)
                continue
            if line.at.table is not None:
                end = index
                while end < len(lines) and lines[end].at.table == line.at.table:
                    end += 1
                wide = closing and all(part.landscape for part in lines[index:end])
                previous = lines[index - 1] if index else None
                if isinstance(previous, _Between):
                    previous = None
                items = self.table(lines[index:end], children(), previous)
                if wide and not any([_landscape_table(item) for item in items]):
                    table_no = (line.at.table or 0) + 1
                    note = self.lost("trang ngang", f"bảng {table_no} in lại trên trang dọc")
                    children().append(Note(note, ALONE))
                for item in items:
                    children().append(item)
                index = end
                continue
            index += 1
            full = _plain(line)
            if not full or re.fullmatch(r"_{3,}", full):
                continue
            heading = self.heading(full)
            if heading is not None:
                level, label, rest = heading
                if first_level is None:
                    first_level = level
                    self.first_level = level if level <= 3 else 1
                if level >= first_level:
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    siblings = children()
                    number = sum(1 for s in siblings if _is_section(s)) + 1
                    depth = len(stack)
                    auto = vietnamese.section_label(first_level + depth, number)
                    section: dict[str, Any] = {}
                    if label != auto:
                        section["so_muc"] = label
                    body_text = self.rest_markup(line, label)
                    shown = [s for s in self.after_label(line, label) if s.visible]
                    if line.all_bold(shown):
                        section["tieu_de"] = body_text.replace("**", "") or rest
                    elif line.keep_next and line.at.table is None and body_text:
                        # a plain title ("a) …", "6.1. …") kept with its text: a heading
                        section["tieu_de"] = body_text
                    else:
                        section["noi_dung"] = [body_text]
                    siblings.append(section)
                    stack.append((level, section))
                    continue
            item = _ITEM.match(full)
            text = markup(line.spans)
            if item is not None:
                key = "cong" if item["mark"] == "+" else "gach"
                value = re.sub(r"^[-+–]\s+", "", text)
                children().append({key: value})
                continue
            aligned = _ALIGNED.get(line.align or "")
            siblings = children()
            previous_block = siblings[-1] if siblings else None
            after_picture = isinstance(previous_block, Note) or (
                isinstance(previous_block, dict) and "hinh" in previous_block
            )
            if aligned is not None and line.at.table is None and not after_picture:
                # a centred or right-aligned paragraph keeps its place on the line (can_le);
                # a picture's caption (or an unreadable picture's) is centred by layout itself
                children().append({"doan": text, "can_le": aligned})
                continue
            children().append(text)
        if closing:
            self.strip_closing_mark(root)
        return root

    def after_label(self, line: Line, label: str) -> tuple[Span, ...]:
        """The visible spans after the typed label."""
        spans = [s for s in line.spans if not s.label]  # spaces too: words stay apart
        typed = "".join(s.text for s in spans).lstrip()
        if typed.startswith(label):
            skip = len(label)
            out: list[Span] = []
            for span in spans:
                if skip > 0:
                    strip = span.text.lstrip()
                    if not strip:
                        continue
                    taken = min(skip, len(strip))
                    skip -= taken
                    rest = strip[taken:]
                    if rest.strip():
                        out.append(Span(rest, rest, span.size, span.bold, span.italic))
                    continue
                out.append(span)
            return tuple(out)
        return tuple(spans)

    def rest_markup(self, line: Line, label: str) -> str:
        return markup(self.after_label(line, label))

    def heading(self, full: str) -> tuple[int, str, str] | None:
        for level, pattern in _LABELS:
            match = pattern.match(full)
            if match is not None:
                return level, match["label"], match["rest"]
        return None

    def strip_closing_mark(self, blocks: list[Any]) -> None:
        """Take the closing "./." off the body's last paragraph: layout adds it again."""
        if not blocks:
            return
        last = blocks[-1]
        if isinstance(last, dict) and "noi_dung" in last and "bang" not in last:
            self.strip_closing_mark(last["noi_dung"])
            return
        key = None
        if isinstance(last, dict):
            key = next((k for k in ("gach", "cong", "doan") if k in last), None)
            text = last[key] if key else None
        else:
            text = last
        if isinstance(text, str) and _CLOSING_AT_END.search(text):
            # "xong./." as "xong", "*(…)./.*" as "*(…)*": layout adds "./." after the text
            stripped = _CLOSING_AT_END.sub(r"\1", text)
            if key is None:
                blocks[-1] = stripped
            else:
                last[key] = stripped

    # -- what stands in and between paragraphs: pictures, footnotes, breaks ----------------

    def between(self, lines: list[Line], *, body: bool) -> list[Any]:
        """``lines`` with each paragraph cut at its pictures and page breaks (a
        ``_Between`` in their place), its footnote references as ``[^key]`` in the text,
        and, in the body, a comment before text on landscape pages baocao cannot give."""
        flagged = self.landscape_text(lines) if body else set()
        out: list[Any] = []
        for position, line in enumerate(lines):
            if position in flagged:
                note = self.lost("trang ngang", f"{line.clean[:60]}…: in lại trên trang dọc")
                out.append(_Between("comment", comment=note))
            cuts = sorted(
                (m for m in line.marks if m.kind in ("picture", "page")), key=lambda m: m.offset
            )
            if cuts and line.at.table is not None:  # a cell holds text only: said, kept apart
                for mark in cuts:
                    what = "ngắt trang trong bảng" if mark.kind == "page" else "hình trong bảng"
                    picture = mark.kind == "picture" and mark.value
                    where = self.extract(mark.value) if picture else line.clean
                    self.comments.append(self.lost(what, where))
                cuts = []
            taken: set[int] = set()
            start = 0
            for mark in cuts:
                piece = _cut(line, start, mark.offset, taken)
                if piece.clean or any(m.kind == "note" for m in piece.marks):
                    out.append(self.cite(piece))
                out.append(_Between(mark.kind, mark))
                start = mark.offset
            piece = _cut(line, start, None, taken) if cuts else line
            if not cuts or piece.clean or any(m.kind == "note" for m in piece.marks):
                out.append(self.cite(piece))
        return out

    def landscape_text(self, lines: list[Line]) -> set[int]:
        """Positions of the first text paragraph of each run of landscape pages that holds
        more than a landscape table and the centred lines naming it (``ngang`` is for
        tables and appendices only)."""
        flagged: set[int] = set()
        run: list[int] = []
        for position, line in enumerate([*lines, None]):
            if line is not None and line.landscape:
                run.append(position)
                continue
            tables = [p for p in run if lines[p].at.table is not None]
            texts = [p for p in run if lines[p].at.table is None and lines[p].clean]
            if tables:  # a table's title lines (centred, just before it) go with it
                texts = [
                    p
                    for p in texts
                    if not (p < tables[0] and lines[p].centred and tables[0] - p <= 3)
                ]
            if texts:
                flagged.add(texts[0])
            run = []
        return flagged

    def cite(self, line: Line) -> Line:
        """The line with ``[^key]`` where Word shows a footnote's number (the spans around
        it keep their emphasis, so the mark sits inside it)."""
        notes = [m for m in line.marks if m.kind == "note"]
        if not notes:
            return line
        known = {note.id for note in self.doc.notes}
        spans: list[Span] = []

        def reference(mark: Mark, like: Span | None) -> None:
            key = self.note_key(mark.value) if mark.value in known else None
            if key is not None:
                text = f"[^{key}]"
                bold, italic = (like.bold, like.italic) if like is not None else (False, False)
                spans.append(Span(text, text, like.size if like else 0.0, bold, italic))

        pending = sorted(notes, key=lambda m: m.offset)
        offset = 0
        for span in line.spans:
            end = offset + len(span.text)
            cut = 0
            while pending and pending[0].offset < end:
                at = max(pending[0].offset - offset, 0)
                if at > cut:
                    spans.append(_slice(span, cut, at))
                    cut = at
                reference(pending.pop(0), spans[-1] if spans else span)
            if cut < len(span.text):
                spans.append(_slice(span, cut, len(span.text)))
            offset = end
        for mark in pending:  # at the end of the text
            reference(mark, spans[-1] if spans else None)
        return replace(line, spans=tuple(spans))

    def note_key(self, note_id: str) -> str | None:
        """The key of footnote ``note_id``; None the second time (a note is cited once)."""
        if note_id in self.note_keys:
            return None
        key = self.note_keys[note_id] = str(len(self.note_keys) + 1)
        return key

    def footnotes(self) -> dict[str, Any]:
        """``chu_thich``: each cited note's paragraphs, bold and italic as markup; a note
        cited where the YAML has no place for it is kept in a comment."""
        out: dict[str, Any] = {}
        for note in self.doc.notes:
            texts = [markup(line.spans) for line in note.lines]
            texts = [text for text in texts if text]
            key = self.note_keys.get(note.id)
            if key is None:
                self.comments.append(self.lost("chú thích", " ".join(texts) or note.id))
                continue
            if note.id.startswith(ENDNOTE):  # Word prints it at the end; baocao at the foot
                self.comments.append(self.lost(f"chú thích {key}", "cuối văn bản, in ở chân trang"))
            if not texts:
                out[key] = self.placeholder("nội dung chú thích")
            else:
                out[key] = texts if len(texts) > 1 else texts[0]
        return out

    def extract(self, part: str) -> str:
        """The file name of the picture stored as ``part``, given once: ``<stem>-hinh-<n>``
        with the part's own extension, its bytes kept for the caller to write."""
        name = self.picture_names.get(part)
        if name is None:
            suffix = PurePosixPath(part).suffix.lower()
            name = f"{self.stem}-hinh-{len(self.picture_names) + 1}{suffix}"
            self.picture_names[part] = name
            self.pictures[name] = self.media.get(part, b"")
        return name

    def pictures_elsewhere(self) -> None:
        """Pictures in the header, the title or the closing, which the YAML cannot place:
        written beside it all the same, and named in a comment."""
        for line in (*self.doc.head, *self.doc.tail):
            for mark in line.marks:
                if mark.kind == "picture" and mark.value and mark.value not in self.picture_names:
                    self.comments.append(self.lost("hình ngoài nội dung", self.extract(mark.value)))

    def between_block(self, item: _Between, lines: list[Any], index: int) -> tuple[Any, int]:
        """The block a ``_Between`` stands for, and where reading goes on: a picture takes
        the centred italic line under it as its caption."""
        if item.kind == "comment":
            return Note(item.comment, ALONE), index
        if item.kind == "page":
            return {"trang_moi": True}, index
        from baocao.validation import PICTURE_SIGNATURES, PICTURE_SUFFIXES

        assert item.mark is not None
        if not item.mark.value:
            return Note(self.lost("hình", "không đọc được trong tệp Word"), ALONE), index
        name = self.extract(item.mark.value)
        blob = self.pictures[name]
        if not (name.endswith(PICTURE_SUFFIXES) and blob.startswith(PICTURE_SIGNATURES)):
            why = "baocao chỉ in hình PNG, JPEG; tệp ghi bên cạnh, đổi sang PNG rồi thêm hinh"
            return Note(self.lost(f"hình {name}", why), ALONE), index
        spec: dict[str, Any] = {"tep": name}
        width = self.picture_width(item.mark.width)
        if width is not None:
            spec["rong"] = width
        following = lines[index] if index < len(lines) else None
        if isinstance(following, Line) and _caption(following):
            plain = tuple(replace(span, italic=False) for span in following.spans)
            spec["chu_thich"] = markup(plain)
            index += 1
        return {"hinh": spec}, index

    def picture_width(self, twips: float) -> int | float | None:
        """``rong`` in mm, to a tenth (which gives the same twips back): None when the
        picture fills the text's width or its width is unknown or out of ``rong``'s range."""
        page = self.doc.page
        if not twips or page is None:
            return None
        text_width = page.width - page.left - page.right - page.gutter
        if twips >= text_width - measure.mm(1):
            return None
        value = round(twips / measure.TWIPS_PER_MM, 1)
        if not 10 <= value <= 250:
            return None
        return int(value) if value == int(value) else value

    # -- quyết định (Mẫu 1.2, 1.3) -----------------------------------------------------

    def decision_preamble(self, data: dict[str, Any], content: list[Line]) -> list[Line]:
        """The authority line, the căn cứ and "Theo đề nghị của …" up to "QUYẾT ĐỊNH:" as
        ``tham_quyen``, ``can_cu`` and ``theo_de_nghi`` (the inverse of
        ``layout.decision_blocks``); the lines after it are the articles. Without a
        "QUYẾT ĐỊNH:" line the document is read as any other body."""
        found = [i for i, line in enumerate(content[:PREAMBLE_REACH]) if _decision_line(line)]
        authority = self.authority_in_summary(data)
        if not found:
            data["tham_quyen"] = authority or self.placeholder("thẩm quyền ban hành")
            return content
        end = found[0]
        lines = [line for line in content[:end] if _plain(line) and not _rule_only(line)]
        while lines and not _ground(lines[0]) and lines[0].capitals:
            authority.append(lines.pop(0).shown)
        data["tham_quyen"] = (
            (authority if len(authority) > 1 else authority[0])
            if authority
            else self.placeholder("thẩm quyền ban hành")
        )
        grounds = [_plain(line) for line in lines]
        if grounds and grounds[-1].casefold().startswith(THEO_DE_NGHI):
            proposal = grounds.pop()[len(THEO_DE_NGHI) :].strip()
            data["theo_de_nghi"] = proposal[:-1].rstrip() if proposal.endswith(".") else proposal
        elif grounds and grounds[-1].endswith("."):
            grounds[-1] = grounds[-1][:-1].rstrip()
        if grounds:
            data["can_cu"] = [g[:-1].rstrip() if g.endswith(";") else g for g in grounds]
        self.articles = True
        return content[end + 1 :]

    def authority_in_summary(self, data: dict[str, Any]) -> list[str]:
        """Lines in capitals that close the trích yếu: the authority line, read as part of
        the title when no empty line parts them."""
        summary = data.get("trich_yeu")
        given = summary if isinstance(summary, list) else [summary]
        lines = [line for line in given if isinstance(line, str)]
        if len(lines) != len(given):
            return []  # a placeholder: no trích yếu was found
        cut = len(lines)
        while cut > 1 and _in_capitals(lines[cut - 1]):
            cut -= 1
        if cut == len(lines) or _in_capitals(lines[cut - 1]):
            return []
        kept, authority = lines[:cut], lines[cut:]
        data["trich_yeu"] = kept if len(kept) > 1 else kept[0]
        return list(authority)

    def article_blocks(self, lines: list[Line]) -> list[Any]:
        """A quyết định's body: each "Điều N." line opens an article (a top section, with
        ``so_muc`` only where the label is not the one baocao numbers), and the lines up
        to the next one are its khoản, điểm and paragraphs."""
        starts = [i for i, line in enumerate(lines) if _ARTICLE.match(_plain(line))]
        if not starts:
            self.articles = False
            return self.blocks(lines, closing=True)
        level = self.first_level
        out = self.blocks(lines[: starts[0]], closing=False)
        for number, start in enumerate(starts, 1):
            end = starts[number] if number < len(starts) else len(lines)
            line = self.cite(lines[start])  # a footnote cited in the article's own line
            match = _ARTICLE.match(_plain(line))
            assert match is not None
            label = match["label"]
            article: dict[str, Any] = {}
            if " ".join(label.split()).replace(" .", ".") != f"{nd30.DIEU_TEXT} {number}.":
                article["so_muc"] = label
            shown = [s for s in self.after_label(line, label) if s.visible]
            text = self.rest_markup(line, label)
            children = self.blocks(lines[start + 1 : end], closing=False)
            if text and line.all_bold(shown):
                article["tieu_de"] = text.replace("**", "")
            elif text:
                children.insert(0, text)
            article["noi_dung"] = children or [self.placeholder("nội dung của Điều")]
            out.append(article)
        self.first_level = level  # khoản and điểm inside articles say nothing of muc_dau
        self.strip_closing_mark(out)
        return out

    # -- tables -----------------------------------------------------------------------

    def table(
        self, lines: list[Line], before: list[Any] | None = None, previous: Line | None = None
    ) -> list[Any]:
        """A table as ``bang``: a bordered one with its real grid (``data_table``), else
        (header row as ``cot``) when its rows have one shape, else its text as paragraphs
        with a comment."""
        found = self.data_table(lines, before, previous)
        if found is not None:
            return [{"bang": found}]
        grid: dict[int, dict[int, list[str]]] = {}
        for line in lines:
            cell = line.at.cell or (0, 0)
            grid.setdefault(cell[0], {}).setdefault(cell[1], []).append(_plain(line))
        rows = [grid[r] for r in sorted(grid)]
        texts = [[" ".join(t for t in row[c] if t) for c in sorted(row)] for row in rows]
        table_no = (lines[0].at.table or 0) + 1
        total: dict[str, Any] | None = None
        if len(rows) > 2 and len(rows[-1]) < len(rows[0]) and _TOTAL.match(texts[-1][0]):
            # "TỔNG CỘNG" over the first columns: a totals row, its values as typed
            last = texts[-1]
            values = [value or None for value in last[1:]]
            total = {"nhan": last[0], "gop": len(rows[0]) - len(values)}
            total.update(cong=values, kiem_tra=False)
            rows, texts = rows[:-1], texts[:-1]
        widths = {len(row) for row in rows}
        if (
            self.tables_as_tables
            and len(rows) > 1
            and len(widths) == 1
            and all(any(row) for row in texts)
        ):
            header = texts[0]
            body: list[list[Any]] = []
            for row in rows[1:]:
                cells: list[Any] = []
                for column in sorted(row):
                    kept = [text for text in row[column] if text]
                    cells.append(kept if len(kept) > 1 else (kept[0] if kept else ""))
                body.append(cells)
            table: dict[str, Any] = {"cot": header, "dong": body}
            if total is not None:
                table["tong_cong"] = total
            return [{"bang": table}]
        if total is not None:
            texts.append([str(total["nhan"]), *(str(v or "") for v in total["cong"])])
        kept = [" | ".join(t for t in row if t) for row in texts]
        kept = [t for t in kept if t]
        if not kept:
            return []
        note = self.lost(f"bảng {table_no}", f"{len(rows)} dòng giữ thành đoạn văn")
        return [Note(note, kept[0]), *kept[1:]]

    def data_table(
        self, lines: list[Line], before: list[Any] | None, previous: Line | None
    ) -> dict[str, Any] | None:
        """A bordered table of its own (not nested, none nested in it) as the ``bang`` a clerk
        would write (``baocao.import_tables``); the bold centred line right above it, which
        ``before`` ends with, as its ``tieu_de``. None when it is not one, or not expressible."""
        number = lines[0].at.table if lines else None
        shapes = {shape.number: shape for shape in self.doc.tables}
        shape = shapes.get(number) if number is not None else None
        if shape is None or not self.tables_as_tables or not shape.bordered:
            return None
        if shape.parent is not None or any(line.at.table != number for line in lines):
            return None
        reader = TableReader(shape, lines, _cell_markup, page_landscape=self.page_landscape)
        spec = reader.bang()
        if spec is None:
            return None
        if (
            previous is not None
            and previous.at.table is None
            and previous.at.paragraph == lines[0].at.paragraph - 1
            and previous.centred
            and previous.all_bold()
        ):
            shown = markup(previous.spans)
            if before and before[-1] in (shown, {"doan": shown, "can_le": "giua"}):
                before.pop()
                titles = [norm(part) for part in previous.text.split("\n") if norm(part)]
                spec = {"tieu_de": titles[0] if len(titles) == 1 else titles, **spec}
        return spec

    # -- appendices -------------------------------------------------------------------

    def appendices(self) -> list[Any]:
        doc = self.doc
        tail = list(doc.tail)
        if not tail:
            return []
        starts = [a.at.paragraph for a in doc.appendices]
        before = [line for line in tail if not starts or line.at.paragraph < starts[0]]
        out: list[Any] = []
        kept = _no_final_break(self.blocks(before, closing=False))
        if kept:  # text after the signer that is no phụ lục: kept, on a page of its own
            words = sum(len(_plain(line).split()) for line in before)
            note = self.lost("sau phần ký", f"{words} chữ giữ thành một phụ lục không nhãn")
            out.append(Note(note, {"nhan": False, "kem_theo": False, "noi_dung": kept}))
        for number, appendix in enumerate(doc.appendices):
            end = starts[number + 1] if number + 1 < len(starts) else None
            under = self.without_table_title(list(appendix.lines), tail)
            head_lines = [appendix.label, *appendix.title, appendix.reference, *under]
            head = {line.at.paragraph for line in head_lines if line is not None}
            last_head = max(head, default=appendix.at.paragraph)
            body = [
                line
                for line in tail
                if line.at.paragraph > last_head and (end is None or line.at.paragraph < end)
            ]
            item: dict[str, Any] = {}
            label = appendix.label.clean if appendix.label is not None else None
            if label is not None:
                found = re.match(r"phụ lục\s*(.*)$", label, re.IGNORECASE)
                if found is not None and label.startswith(nd30.PHU_LUC_TEXT):
                    if found.group(1):
                        item["so"] = found.group(1)
                else:
                    item["nhan"] = label
            else:
                item["nhan"] = False
            titles = [line.clean for line in appendix.title if line.clean]
            if titles:
                item["tieu_de"] = titles if len(titles) > 1 else titles[0]
            # inner spaces as shown: "số      /KH-UBND ngày      tháng" leaves room to write in
            reference = appendix.reference.visible if appendix.reference else None
            extra = [line.clean for line in under if line.clean]
            if reference and ")" not in reference and extra and extra[0].endswith(")"):
                # "(Kèm theo Kế hoạch số …" broken by the clerk, ")" on the next line
                reference = f"{reference} {extra.pop(0)}"
            item["kem_theo"] = reference or False
            if appendix.landscape:
                item["ngang"] = True
            if appendix.numbered_on:  # pages numbered on from the report's (layout.CONTINUED)
                item["so_trang"] = "tiep"
            if extra:
                item["dong_phu"] = extra
            signature: dict[str, Any] = {}
            body = self.appendix_signature(body, signature)
            self.page_landscape = appendix.landscape
            blocks = _no_final_break(self.blocks(body, closing=False))
            if blocks:
                item["noi_dung"] = blocks
            item.update(signature)  # after the content, as the guide writes it
            out.append(item)
        return out

    @staticmethod
    def without_table_title(lines: list[Line], tail: list[Line]) -> list[Line]:
        """An appendix's lines under its title, less the bold one right above a table:
        that is the table's own title (``bang.tieu_de``), read with the table."""
        tables = {line.at.paragraph for line in tail if line.at.table is not None}
        if lines and lines[-1].all_bold() and lines[-1].at.paragraph + 1 in tables:
            title = lines[-1].at.paragraph
            return [line for line in lines if line.at.paragraph != title]
        return lines

    def appendix_signature(self, body: list[Line], item: dict[str, Any]) -> list[Line]:
        """An appendix's own signature, the borderless grid at its end (its date line
        above the signers, side by side), as ``dia_danh_ngay`` and ``nguoi_ky``; the
        body without it. A grid that does not look like one is left as a table."""
        table = body[-1].at.table if body else None
        if table is None:
            return body
        start = len(body)
        while start > 0 and body[start - 1].at.table == table:
            start -= 1
        grid = body[start:]
        cells: dict[tuple[int, int], list[Line]] = {}
        for line in grid:
            cells.setdefault(line.at.cell or (0, 0), [])
            if line.clean:
                cells[line.at.cell or (0, 0)].append(line)
        rows = {cell[0] for cell in cells}
        filled = [lines for lines in cells.values() if lines]
        if (
            not filled
            or len(rows) > 2
            or len({cell[1] for cell in cells}) > 4
            or not all(line.centred and len(line.clean) <= SIGNER_LINE for line in grid)
            or not any(lines[0].all_bold() for lines in filled)
        ):
            return body
        signers: list[dict[str, Any]] = []
        for cell in sorted(cells):
            lines = cells[cell]
            if len(lines) == 1 and date_fields(lines[0].clean) is not None:
                item["dia_danh_ngay"] = lines[0].clean
            elif lines:
                signers.append(self.signer_of(lines))
        if signers:
            item["nguoi_ky"] = signers
        return body[:start]

    def signer_of(self, lines: list[Line]) -> dict[str, Any]:
        """One signer of a grid cell: position lines, then (after the signing space) the
        lines under it and the name."""
        gap = next(
            (n for n, line in enumerate(lines) if n > 0 and line.space_before >= SIGNING_SPACE),
            None,
        )
        positions, name, below = list(lines), None, []
        if gap is not None:
            positions, below = lines[:gap], lines[gap:]
            name = below.pop()
        elif len(lines) > 1 and not lines[-1].capitals:
            positions, name = lines[:-1], lines[-1]
        signer, extra = signer_fields([line.shown for line in positions])
        under = [*extra, *(line.clean for line in below)]
        if under:
            signer["chuc_vu_duoi"] = under if len(under) > 1 else under[0]
        if not signer["chuc_vu"]:
            signer["chuc_vu"] = self.placeholder("chức vụ người ký")
        if name is not None:
            signer["ho_ten"] = name.clean
        return signer


PREAMBLE_REACH = 40
"""Body lines searched for the "QUYẾT ĐỊNH:" line that ends a quyết định's preamble."""

THEO_DE_NGHI = nd30.THEO_DE_NGHI_TEXT.casefold()

_ARTICLE = re.compile(rf"^(?P<label>{nd30.DIEU_TEXT}\s+\d+\s*\.)\s*(?P<rest>.*)$")
"""An article's typed label: "Điều 1. …" (PL I, II.6.đ)."""

_GROUND = re.compile(r"^(căn\s+cứ|theo\s+đề\s+nghị|xét)\b", re.IGNORECASE)


def _decision_line(line: Line) -> bool:
    """The bold "QUYẾT ĐỊNH:" line between the căn cứ and the articles (Mẫu 1.2, 1.3);
    typed without its colon, it is still the line when it stands centred or bold."""
    text = _plain(line).rstrip(" :").casefold()
    if " ".join(text.split()) != "quyết định":
        return False
    return _plain(line).endswith(":") or line.centred or line.all_bold()


def _in_capitals(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


def _ground(line: Line) -> bool:
    return _GROUND.match(_plain(line)) is not None


def _rule_only(line: Line) -> bool:
    return re.fullmatch(r"[_\-–—]{3,}", _plain(line)) is not None


def _agency_lines(lines: tuple[Line, ...]) -> list[str]:
    """An agency's lines without the Quốc hiệu and Tiêu ngữ a header typed with spaces
    puts on the same lines (layout prints both on the right)."""
    out = []
    for line in lines:
        text = line.shown.translate(DASHES)
        for fixed in (nd30.QUOC_HIEU_TEXT, nd30.TIEU_NGU_TEXT):
            text = text.replace(fixed.translate(DASHES), " ")
        if norm(text):
            out.append(norm(text))
    return out


@dataclass(frozen=True)
class _Between:
    """What stands between paragraphs once they are cut: a picture or a page break
    (``mark``), or a comment alone."""

    kind: str
    mark: Mark | None = None
    comment: str = ""
    at: At = field(default_factory=lambda: At(-1))
    """Outside any table: the reading of a table's rows stops at it."""


def _slice(span: Span, start: int, end: int) -> Span:
    """The part of ``span`` between two offsets into its text."""
    text = span.text[start:end]
    same = len(span.shown) == len(span.text)
    shown = span.shown[start:end] if same else (span.shown if text == span.text else "")
    return replace(span, text=text, shown=shown)


def _cut(line: Line, start: int, end: int | None, taken: set[int]) -> Line:
    """The part of ``line`` between two offsets into its text, with the footnote marks
    in it (each mark once: ``taken`` holds those an earlier part had)."""
    stop = len(line.text) if end is None else end
    spans: list[Span] = []
    offset = 0
    for span in line.spans:
        low, high = max(start - offset, 0), min(stop - offset, len(span.text))
        if low < high:
            spans.append(_slice(span, low, high))
        offset += len(span.text)
    marks = []
    for number, mark in enumerate(line.marks):
        if mark.kind == "note" and start <= mark.offset <= stop and number not in taken:
            taken.add(number)
            marks.append(replace(mark, offset=mark.offset - start))
    return replace(line, spans=tuple(spans), marks=tuple(marks))


def _caption(line: Line) -> bool:
    """A picture's caption: a short centred line in italics, under it."""
    centred = line.centred or line.align == "center"
    return bool(line.clean) and centred and line.all_italic() and len(line.clean) <= 300


def _no_final_break(blocks: list[Any]) -> list[Any]:
    """``blocks`` without the page breaks that end them: an appendix starts on a new page
    of its own, so the break a clerk typed before it is layout's."""
    while blocks and blocks[-1] == {"trang_moi": True}:
        blocks.pop()
    return blocks


def _landscape_table(item: Any) -> bool:
    """A table read on landscape pages: ``ngang: true`` puts it there again (False: the
    item is no ``bang``, a table kept as paragraphs)."""
    value = item.value if isinstance(item, Note) else item
    if isinstance(value, dict) and isinstance(value.get("bang"), dict):
        value["bang"]["ngang"] = True
        return True
    return False


_SECRECY = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
"""The values of ``do_mat`` (ô 10a; templates/bao-cao/schema.yaml)."""

_URGENCY = tuple(nd30.URGENCY_BOX_MM)
"""The values of ``do_khan`` (ô 10b), each with its box's width in nd30."""

_CIRCULATION = re.compile(r"LƯU HÀNH NỘI BỘ|XEM XONG TRẢ LẠI(\s*\(.*\))?|DỰ THẢO( LẦN)?( \d+)?")
"""Ô 11 as offices write it: "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", and a draft's mark."""

_CAN_CU = re.compile(r"^\*(?P<text>(căn cứ|theo đề nghị|xét đề nghị)\b[^*]*)\*$", re.IGNORECASE)
"""A căn cứ line: all in italics, "Căn cứ …" (and the "Theo đề nghị …" after them)."""


def _citations(opening: list[Any]) -> list[str]:
    """The leading căn cứ lines of the opening, as typed without their italics (the
    style of ``can_cu`` sets them); none unless the first is a "Căn cứ …" line."""
    out: list[str] = []
    for text in opening:
        found = _CAN_CU.match(text) if isinstance(text, str) else None
        if found is None or (not out and not text[1:].lower().startswith("căn cứ")):
            break
        out.append(found.group("text").strip())
    return out


ADDRESSEE_LINES = 10
"""Lines taken as addressees under a "Kính gửi:" that stands alone."""


def _addressee_line(line: Line) -> bool:
    """An addressee typed without a dash: a short line set apart (centred)."""
    text = line.clean
    return bool(text) and line.centred and len(text) <= 150 and not text.endswith(":")


def _is_section(block: Any) -> bool:
    return isinstance(block, dict) and (
        "tieu_de" in block
        or "so_muc" in block
        or ("noi_dung" in block and not ({"bang", "gach", "cong", "doan"} & block.keys()))
    )


def _default_tokens() -> dict[str, str]:
    return dict(geometry.DEFAULT_TOKENS)


# -- the YAML text -----------------------------------------------------------------------


_LINE_BREAKS = str.maketrans({"\u2028": "\\L", "\u2029": "\\P", "\x85": "\\N", "\ufeff": "\\uFEFF"})


def quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes, and YAML's line breaks escaped too.

    >>> quote('Lưu: VT, "VP"')
    '"Lưu: VT, \\\\"VP\\\\""'
    """
    return json.dumps(text, ensure_ascii=False).translate(_LINE_BREAKS)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return quote(str(value))


def _flow(value: Any) -> str:
    """A value inside a flow list: a scalar, or a list of paragraphs of a table cell."""
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):  # a merged table cell: {chu: …, ngang: 2}
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return _scalar(value) or "null"


_FLOW_KEYS = {"cot", "so_cot", "can_le", "do_rong", "cong", "tong_cong"}
"""A table's lists of short values, written on one line as the guide writes them."""


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def dump(data: dict[str, Any], comments: list[str] | None = None) -> str:
    """Report data as YAML text: block style, keys in ``KEY_ORDER``, every string quoted."""
    out = ["# Nhập từ tệp Word bằng baocao import. Xem lại rồi chạy: baocao render <tệp>.yaml"]
    out += [_comment(c) for c in comments or []]
    ordered = [k for k in KEY_ORDER if k in data] + [k for k in data if k not in KEY_ORDER]
    for key in ordered:
        if key in ("noi_dung", "noi_nhan", "nguoi_ky", "phu_luc", "trinh_bay"):
            out.append("")
        _emit_pair(out, key, data[key], 0)
    return "\n".join(out) + "\n"


def _emit_pair(out: list[str], key: str, value: Any, indent: int) -> None:
    pad = " " * indent
    if not _PLAIN_KEY.fullmatch(key):  # a footnote's key "1" stays a string
        key = quote(key)
    if isinstance(value, Note):
        out.append(pad + _comment(value.comment))
        value = value.value
    if isinstance(value, dict):
        if not value:
            out.append(f"{pad}{key}: {{}}")
            return
        out.append(f"{pad}{key}:")
        for k, v in value.items():
            _emit_pair(out, k, v, indent + 2)
    elif isinstance(value, list):
        if not value:
            out.append(f"{pad}{key}: []")
            return
        if key in _FLOW_KEYS and not any(isinstance(v, (dict, list, Note)) for v in value):
            out.append(f"{pad}{key}: {_flow(value)}")  # a table's columns on one line
            return
        out.append(f"{pad}{key}:")
        for item in value:
            _emit_item(out, item, indent + 2)
        if all(isinstance(item, Note) and item.value is ALONE for item in value):
            out.append(f'{pad}  - ""')  # comments alone are no item: the list keeps one
    else:
        text = _scalar(value)
        out.append(f"{pad}{key}: {text}" if text else f"{pad}{key}:")


_PLAIN_KEY = re.compile(r"[a-z_][a-z0-9_]*")


def _emit_item(out: list[str], item: Any, indent: int) -> None:
    pad = " " * indent
    if isinstance(item, Note):
        out.append(pad + _comment(item.comment))
        item = item.value
        if item is ALONE:
            return
    if isinstance(item, dict) and item:
        first = True
        for k, v in item.items():
            if first:
                lines: list[str] = []
                _emit_pair(lines, k, v, indent + 2)
                lead = 0  # the first key's own comment goes above the dash, not its items'
                while lead < len(lines) - 1 and lines[lead].lstrip().startswith("#"):
                    lead += 1
                out.extend(lines[:lead])
                out.append(pad + "- " + lines[lead][indent + 2 :])
                out.extend(lines[lead + 1 :])
                first = False
            else:
                _emit_pair(out, k, v, indent + 2)
    elif isinstance(item, list):
        out.append(pad + "- [" + ", ".join(_flow(v) for v in item) + "]")
    else:
        out.append(f"{pad}- {_scalar(item)}")
