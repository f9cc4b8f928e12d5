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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baocao import geometry, nd30, vietnamese
from baocao.errors import Issue, Location
from baocao.readmodel import DASHES, Line, ReadDocument, Span, norm

KEY_ORDER = (
    "loai_van_ban",
    "co_quan_chu_quan",
    "co_quan_ban_hanh",
    "so_ky_hieu",
    "dia_danh",
    "ngay_ban_hanh",
    "ma_dac_biet",
    "trich_yeu",
    "kinh_gui",
    "mo_dau",
    "noi_dung",
    "ket_thuc",
    "noi_nhan",
    "nguoi_ky",
    "phu_luc",
)
"""Top-level keys in the order of templates/bao-cao/example.yaml and the guide."""

CLOSING_MARK = "./."

_TOTAL = re.compile(r"^(tổng\s+cộng|tổng\s+số|tổng|cộng)\b", re.IGNORECASE)
"""The label of a totals row at a table's foot."""

_CLOSING_AT_END = re.compile(r"\./\.(\**)\s*$")
"""The closing mark at the end of the body, inside bold or italic marks or not."""

ADDRESSEE_REACH = 4
"""Non-empty paragraphs at the top of the body searched for "Kính gửi:"."""

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
    warnings: tuple[Issue, ...] = ()
    """What reading did to the text or left out of it (legacy fonts converted, tracked
    changes accepted, comments, text boxes): located warnings for the clerk."""


@dataclass
class Note:
    """A value with a comment line the clerk should read, above it in the YAML."""

    comment: str
    value: Any


def import_docx(source: str | Path | bytes, template: str | None = None) -> Imported:
    """Read a .docx (a path or its bytes) and give the YAML that renders it again.

    ``template`` is the type to read it as ("bao-cao", "cong-van"…); None finds
    it as ``baocao check`` does. Raises ``InputError`` for a file that is not a
    readable .docx, as ``baocao.check.read`` does.
    """
    from baocao.check import read

    word, name = _word_file(source)
    document = read(word, template=template, whole=True, legacy=True, name=name)
    mapper = _Mapper(document)
    data = mapper.report()
    text = dump(data, mapper.header_comments())
    validated, problem = _validate(text)
    if problem is not None and mapper.tables_as_tables:
        mapper = _Mapper(
            document, tables=False
        )  # a table the schema refuses: its text as paragraphs
        data = mapper.report()
        text = dump(data, mapper.header_comments())
        validated, problem = _validate(text)
    if problem is not None:
        raise problem
    return Imported(text, validated, tuple(mapper.unmapped), outside_warnings(document))


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


def _validate(text: str) -> tuple[Any, Exception | None]:
    from baocao.errors import BaocaoError
    from baocao.source import load
    from baocao.validation import validate

    try:
        return validate(load(text)), None
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
        head, _, tail = rest[0].partition(" ")
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
)
"""Typed section labels and the level baocao gives them: I. (1), 1. (2), a) (3)."""

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
        if not mark or not core:
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return " ".join("".join(out).split())


def _plain(line: Line) -> str:
    return norm(line.text.replace("\t", " ").replace("\n", " "))


class _Mapper:
    """Maps one read document to report data, noting what it could not map."""

    def __init__(self, document: ReadDocument, *, tables: bool = True) -> None:
        self.doc = document
        self.tables_as_tables = tables
        self.unmapped: list[str] = []
        kind = document.title.kind
        self.template = kind.template if kind is not None else DEFAULT_TEMPLATE
        self.abbreviation = ""
        if kind is not None:
            from baocao.bundle import find

            self.abbreviation = find(kind.template).type_abbreviation
        self.first_level = 1
        self.comments: list[str] = []

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
        if doc.title.kind is None:
            self.comments.append(
                self.lost("loại văn bản", "không có mẫu; nhập như báo cáo (--type để chọn)")
            )
        data["loai_van_ban"] = self.template
        header = doc.header
        parent = _agency_lines(header.parent_agency)
        agency = _agency_lines(header.agency)
        if not agency and not parent:
            agency = self.agency_near_number()
            if len(agency) > 1:
                parent, agency = agency[:-1], agency[-1:]
        if parent:
            data["co_quan_chu_quan"] = parent if len(parent) > 1 else parent[0]
        data["co_quan_ban_hanh"] = (
            (agency if len(agency) > 1 else agency[0]) if agency else self.placeholder("cơ quan")
        )
        self.number_and_date(data)
        self.title(data)
        content = list(doc.content)
        kinh_gui, content = self.addressees(content)
        if kinh_gui:
            data["kinh_gui"] = kinh_gui if len(kinh_gui) > 1 else kinh_gui[0]
        elif self.template in ("cong-van", "to-trinh"):
            data["kinh_gui"] = self.placeholder("kính gửi")
        body = self.blocks(content, closing=True)
        opening: list[Any] = []
        while body and not isinstance(body[0], dict) and any(isinstance(b, dict) for b in body):
            opening.append(body.pop(0))
        if opening and all(isinstance(b, str) for b in opening):
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
        if self.first_level != 1:
            data["trinh_bay"] = {"muc_dau": {2: "1.", 3: "a)"}[self.first_level]}
        return data

    def placeholder(self, what: str) -> Note:
        return self.placeholder_value(what, "…")

    def placeholder_value(self, what: str, value: Any) -> Note:
        """A required key the document did not show: "…" with a comment to fill it in."""
        return Note(self.lost(what, "không tìm thấy; điền vào"), value)

    def agency_near_number(self) -> list[str]:
        """The agency's lines when the header's finder missed them: the lines above
        "Số:" in its own table cell (agency and number in one cell)."""
        number = self.doc.header.number
        if number is None:
            return []
        out = []
        for line in self.doc.head:
            if line.at.paragraph >= number.at.paragraph:
                break
            same = line.at.table == number.at.table and line.at.cell == number.at.cell
            if same and line.shown and not line.shown.startswith("#"):
                out += [norm(part) for part in line.shown.split("\n") if norm(part)]
        return out

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

    def addressees(self, content: list[Line]) -> tuple[list[str], list[Line]]:
        """ "Kính gửi: X" at the top of the body, or "Kính gửi:" and "- X;" lines under it."""
        filled = [i for i, line in enumerate(content) if line.clean][:ADDRESSEE_REACH]
        pattern = re.compile(r"kính\s+gửi\s*:?\s*(.*)$", re.IGNORECASE)
        start = next((i for i in filled if pattern.match(content[i].clean)), None)
        if start is None or content[start].at.table is not None:
            return [], content
        match = pattern.match(content[start].clean)
        assert match is not None
        names = [match.group(1)] if match.group(1) else []
        end = start + 1
        for line in content[start + 1 :]:
            if line.at.table is not None or not re.match(r"[-–+]\s", line.clean):
                break
            names.append(line.clean)
            end += 1
        rest = content[:start] + content[end:]
        if len(names) == 1 and end == start + 1:  # one line: printed as typed, full stop kept
            return names, rest
        return recipient_items(names, False), rest

    def closing(self, data: dict[str, Any], addressed: bool) -> None:
        closing = self.doc.closing
        items = recipient_items([line.clean for line in closing.recipients], addressed)
        data["noi_nhan"] = items or [self.placeholder("nơi nhận")]
        signer, extra = signer_fields([line.shown for line in closing.signer.lines])
        for line in extra:
            self.comments.append(self.lost("dòng của người ký", line))
        if not signer["chuc_vu"]:
            signer["chuc_vu"] = self.placeholder("chức vụ người ký")
        if closing.signer.name is not None:
            signer["ho_ten"] = closing.signer.name.clean
        data["nguoi_ky"] = signer

    # -- body blocks ------------------------------------------------------------------

    def blocks(self, lines: list[Line], *, closing: bool) -> list[Any]:
        """Paragraphs and tables in order, nested under the sections their labels open."""
        root: list[Any] = []
        stack: list[tuple[int, dict[str, Any]]] = []
        first_level: int | None = None

        def children() -> list[Any]:
            if not stack:
                return root
            node = stack[-1][1]
            found: list[Any] = node.setdefault("noi_dung", [])
            return found

        index = 0
        while index < len(lines):
            line = lines[index]
            if line.at.table is not None:
                end = index
                while end < len(lines) and lines[end].at.table == line.at.table:
                    end += 1
                for item in self.table(lines[index:end]):
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

    # -- tables -----------------------------------------------------------------------

    def table(self, lines: list[Line]) -> list[Any]:
        """A table as ``bang`` (header row as ``cot``) when its rows have one shape, else
        its text as paragraphs with a comment."""
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

    # -- appendices -------------------------------------------------------------------

    def appendices(self) -> list[Any]:
        doc = self.doc
        tail = list(doc.tail)
        if not tail:
            return []
        starts = [a.at.paragraph for a in doc.appendices]
        before = [line for line in tail if not starts or line.at.paragraph < starts[0]]
        out: list[Any] = []
        kept = self.blocks(before, closing=False)
        if kept:  # text after the signer that is no phụ lục: kept, on a page of its own
            words = sum(len(_plain(line).split()) for line in before)
            note = self.lost("sau phần ký", f"{words} chữ giữ thành một phụ lục không nhãn")
            out.append(Note(note, {"nhan": False, "kem_theo": False, "noi_dung": kept}))
        for number, appendix in enumerate(doc.appendices):
            end = starts[number + 1] if number + 1 < len(starts) else None
            head_lines = [appendix.label, *appendix.title, appendix.reference, *appendix.lines]
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
            item["kem_theo"] = appendix.reference.clean if appendix.reference else False
            extra = [line.clean for line in appendix.lines if line.clean]
            if extra:
                item["dong_phu"] = extra
            blocks = self.blocks(body, closing=False)
            if blocks:
                item["noi_dung"] = blocks
            out.append(item)
        return out


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
    if isinstance(value, int):
        return str(value)
    return quote(str(value))


def _flow(value: Any) -> str:
    """A value inside a flow list: a scalar, or a list of paragraphs of a table cell."""
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return _scalar(value) or "null"


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
        out.append(f"{pad}{key}:")
        for item in value:
            _emit_item(out, item, indent + 2)
    else:
        text = _scalar(value)
        out.append(f"{pad}{key}: {text}" if text else f"{pad}{key}:")


def _emit_item(out: list[str], item: Any, indent: int) -> None:
    pad = " " * indent
    if isinstance(item, Note):
        out.append(pad + _comment(item.comment))
        item = item.value
    if isinstance(item, dict) and item:
        first = True
        for k, v in item.items():
            if first:
                lines: list[str] = []
                _emit_pair(lines, k, v, indent + 2)
                comment = [line for line in lines if line.lstrip().startswith("#")]
                rest = [line for line in lines if not line.lstrip().startswith("#")]
                out.extend(comment)
                out.append(pad + "- " + rest[0][indent + 2 :])
                out.extend(rest[1:])
                first = False
            else:
                _emit_pair(out, k, v, indent + 2)
    elif isinstance(item, list):
        out.append(pad + "- [" + ", ".join(_flow(v) for v in item) + "]")
    else:
        out.append(f"{pad}- {_scalar(item)}")
