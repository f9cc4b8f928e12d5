"""Template bundles: one folder per document type (template.docx, schema.yaml, example.yaml).

The folders live in the repository's top-level ``templates/`` and are mapped
into the installed package (``baocao/templates``) at build time, so the same
lookup serves a source checkout and an installed wheel.
"""

from __future__ import annotations

import os
from dataclasses import field, replace
from functools import cache
from pathlib import Path
from typing import Any

from baocao import memo, nd30
from baocao import schema as schema_tree
from baocao.errors import BaocaoError, TemplateError
from baocao.records import record
from baocao.source import load

DEFAULT_TEMPLATE = "bao-cao"

_PACKAGE = Path(__file__).resolve().parent


def templates_root() -> Path:
    """Return the folder holding the bundles: installed copy first, then the checkout."""
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateError("template_broken", name="*", detail={"code": "templates_folder_missing"})


@record(eq=False)
class Template:
    """A document type: its Word template, its schema and its starter file.

    Compared and hashed by identity: ``find`` returns one instance per name.
    """

    name: str
    folder: Path
    type_name: str
    type_name_prose: str
    type_abbreviation: str
    description: dict[str, str]
    schema: dict[str, Any]
    definitions: dict[str, Any]
    docx_file: Path | None = None  # a clerk's own .docx (custom template)
    kind: str = DEFAULT_TEMPLATE  # the document type (loai_van_ban) this template lays out
    letter: bool = False  # a công văn: no type name, "V/v …" under the number
    decision_line: str = ""  # a quyết định: "QUYẾT ĐỊNH:" after the căn cứ (``dong_quyet_dinh``)
    articles: bool = False  # the body's top sections are "Điều 1.", "Điều 2." (``dieu``)
    tree: schema_tree.Tree = field(init=False, repr=False)
    """``schema`` and ``definitions`` read once (``baocao.schema``): what validation,
    "did you mean" and the service's OpenAPI document all derive from."""

    def __post_init__(self) -> None:
        # Read again by ``replace``: a changed schema is never paired with a stale tree.
        object.__setattr__(self, "tree", schema_tree.parse(self.schema, self.definitions))

    @property
    def docx(self) -> Path:
        return self.docx_file or self.folder / "template.docx"

    @property
    def example(self) -> Path:
        return self.folder / "example.yaml"


def available() -> list[str]:
    """Name every bundle (folders holding a schema.yaml), sorted."""
    root = templates_root()
    return sorted(p.name for p in root.iterdir() if (p / "schema.yaml").is_file())


def stated_type(report: Any) -> str | None:
    """The document type a report names in ``loai_van_ban``, if it is one we have.

    An unknown name is left to the schema's ``allowed`` rule, which lists the choices.
    """
    stated = report.get("loai_van_ban") if isinstance(report, dict) else None
    return stated if isinstance(stated, str) and stated in available() else None


def custom(path: Path, base: str = DEFAULT_TEMPLATE) -> Template:
    """A clerk's own .docx (their letterhead) used with the ``base`` type's schema.

    The file uses the same fields as the shipped template ({{ co_quan_ban_hanh }},
    {{p than_van_ban }} …); fields the schema does not know are reported before
    rendering.
    """
    if path.suffix.lower() != ".docx" or not path.is_file():
        raise TemplateError("template_not_docx", path=str(path))
    return _custom(path.resolve(), path.stat().st_mtime_ns, base)


@memo.bounded(entries=64, size=2**20, weigh=lambda args, found: 4096)
def _custom(path: Path, modified: int, base: str) -> Template:
    """One object per clerk's template (and version on disk): the prepared-template and
    checker caches are keyed by it, so each render of the same letterhead hits them."""
    return replace(find(base), name=path.name, folder=path.parent, docx_file=path)


def template_for(
    name_or_path: str | os.PathLike[str] | Template | None, report: Any = None
) -> Template | None:
    """A bundle by name ("bao-cao"), or a clerk's own .docx given as a path.

    What ``-t``/``template=`` gives, resolved here so that ``baocao validate``
    never imports the renderer.

    None stays None: validation then lets the report's loai_van_ban choose.
    A clerk's .docx is a letterhead, not a type: it is paired with the type
    the ``report`` names in loai_van_ban (a báo cáo if it names none).
    """
    if name_or_path is None:
        return None
    if isinstance(name_or_path, Template):
        return name_or_path
    text = str(name_or_path)
    if text.lower().endswith(".docx") or Path(text).is_file():
        return custom(Path(text), base=stated_type(report) or DEFAULT_TEMPLATE)
    return find(text)


@cache
def find(name: str = DEFAULT_TEMPLATE) -> Template:
    """Return the bundle called ``name``; names only, never paths from users.

    A bundle may inherit another (``ke_thua: bao-cao``): it then states only
    what differs — its type name and abbreviation, extra or changed fields —
    and shares the rest of the schema, so every type follows one skeleton.
    """
    names = available()
    if name not in names:
        raise TemplateError("template_unknown", name=name, available=", ".join(names))
    folder = templates_root() / name
    try:
        spec = _spec(folder)
        kind = spec["loai"]
        return Template(
            name=name,
            kind=name,
            folder=folder,
            type_name=kind["ten_loai"],
            type_name_prose=kind.get("ten_loai_thuong", kind["ten_loai"].capitalize()),
            type_abbreviation=kind["ky_hieu_loai"],
            description={"vi": kind["mo_ta"], "en": kind.get("mo_ta_en", kind["mo_ta"])},
            schema=_with_types(spec["truong"], names),
            definitions=spec.get("dinh_nghia", {}),
            letter=bool(kind.get("cong_van")),
            decision_line=str(kind.get("dong_quyet_dinh", "")),
            articles=bool(kind.get("dieu")),
        )
    except (BaocaoError, KeyError, TypeError) as err:
        raise TemplateError("template_broken", name=name, detail=repr(err)) from err


def _with_types(schema: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Allow every bundle's name in ``loai_van_ban``: a new type is a new folder, nothing more."""
    if "loai_van_ban" not in schema:
        return schema
    return {**schema, "loai_van_ban": {**schema["loai_van_ban"], "allowed": names}}


def _spec(folder: Path) -> dict[str, Any]:
    """A bundle's schema.yaml, merged over the bundle it inherits (``ke_thua``)."""
    spec: dict[str, Any] = _with_decree(load(folder / "schema.yaml").data)
    parent = spec.pop("ke_thua", None)
    if parent is None:
        return spec
    base = _spec(folder.parent / parent)
    fields = {**base["truong"], **spec.get("truong", {})}
    for key in spec.get("bo_truong", []):  # fields the type does not have
        fields.pop(key, None)
    return {
        "loai": spec["loai"],
        "truong": fields,
        "dinh_nghia": {**base.get("dinh_nghia", {}), **spec.get("dinh_nghia", {})},
    }


def _with_decree(rules: Any) -> Any:
    """Write the decree's numbers into a schema where it names them, so nd30 says them once.

    ``nd30_allowed: BODY_SIZE`` becomes ``allowed: [13, 14]`` (every whole value of the
    range), ``nd30_allowed: AUTHORITIES`` the decree's list itself, and
    ``nd30_range: MARGINS.left`` becomes ``min: 30, max: 35``; the name is a ``Range``,
    a ``Role`` (its size) or a tuple of values in ``baocao.nd30``.
    """
    if isinstance(rules, list):
        return [_with_decree(item) for item in rules]
    if not isinstance(rules, dict):
        return rules
    out = {key: _with_decree(value) for key, value in rules.items()}
    if "nd30_allowed" in out:
        name = out.pop("nd30_allowed")
        values = _decree_value(name)
        if isinstance(values, tuple):
            out["allowed"] = list(values)
        else:
            found = _decree_range(name)
            out["allowed"] = list(range(int(found.low), int(found.high) + 1))
    if "nd30_range" in out:
        found = _decree_range(out.pop("nd30_range"))
        out.update(min=found.low, max=found.high)
    return out


def _decree_value(name: str) -> Any:
    value: Any = nd30
    for part in name.split("."):
        value = getattr(value, part)
    return value


def _decree_range(name: str) -> nd30.Range | nd30.Scale:
    value = _decree_value(name)
    value = getattr(value, "size", value)  # a Role: its size
    if not isinstance(value, (nd30.Range, nd30.Scale)):  # a Scale: line spacing, indents
        raise TypeError(f"nd30.{name} is not a range")
    return value
