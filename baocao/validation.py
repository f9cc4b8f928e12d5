"""Stage 2, validate: check a loaded report against its template's schema.

The only module that imports Cerberus. Cerberus reports a tree of errors;
we flatten it to leaves, give each leaf the position the loader recorded
(a missing key points at its parent) and a message code from the table in
``messages``. Rules Cerberus cannot express (one kind per block, row
lengths, real dates, who signs for whom) are checked here too, so a clerk
gets every problem in one pass.

A report that is plainly valid is proven so by a fast walk of the same
schema tree (``_Prover`` over ``baocao.schema``), and Cerberus is imported and built only when that walk
is unsure: its import and the check of our schema against its own rules
cost about 40 ms, a sixth of a one-shot ``baocao render``.
"""

from __future__ import annotations

import difflib
import re
import struct
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from baocao import geometry, markup, measure, nd30, tables, vietnamese
from baocao import widths as table_widths
from baocao.bundle import DEFAULT_TEMPLATE, Template, available, find, stated_type
from baocao.errors import Issue, Location, Path_, ValidationFailed, format_path
from baocao.records import record
from baocao.schema import Fields, Rule
from baocao.source import Source, from_mapping
from baocao.vietnamese import LETTERS, ROMAN_MAX

if TYPE_CHECKING:
    from cerberus import Validator
    from cerberus.errors import ValidationError

BLOCK_KINDS = ("doan", "gach", "cong", "bang", "hinh", "trang_moi")
SECTION_KEYS = ("tieu_de", "so_muc", "noi_dung")
_KIND_SET = frozenset(BLOCK_KINDS)
_SECTION_SET = frozenset(SECTION_KEYS)
"""The same keys as sets: ``_KIND_SET.isdisjoint(block)`` reads a block's one or two keys
rather than looking each kind up in it, on the walks that meet every block."""
AUTHORITIES_FOR = nd30.SIGNING_FOR
ACTING = nd30.ACTING
"""Quyền: the signer acts in the post, for no one else, so it takes no thay_cho."""


@record
class Validated:
    """A report that passed its template's schema, ready to render."""

    data: dict[str, Any]
    template: Template
    source: Source
    advice: tuple[Issue, ...] = ()
    """Warnings of the check itself: what the decree asks that the report leaves out."""
    tables: tables.Models = field(default_factory=tables.Models)
    """Each table's model, built once to check it and reused by the layout."""
    footnotes: Mapping[str, int] = field(default_factory=dict)
    """Each cited note's number, in order of first citation (Word numbers them by place)."""
    dates: Mapping[Path_, vietnamese.DateParts] = field(default_factory=dict)
    """Every date of the report by its key path, checked, parts left blank as None."""

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return self.source.warnings + self.advice


def _cerberus(template: Template) -> Validator:
    """A Cerberus validator for ``template``: ``Decimal`` is a number, ``true`` is not an integer.

    Cerberus takes ``bool`` for an integer (Python's ``bool`` is an ``int``), so
    ``so: true`` passed and failed later, in rendering, as an internal error.
    """
    from cerberus import TypeDefinition, Validator
    from cerberus.schema import SchemaRegistry

    class _Validator(Validator):  # type: ignore[misc]
        types_mapping: ClassVar[dict[str, TypeDefinition]] = {
            **Validator.types_mapping,
            "integer": TypeDefinition("integer", (int,), (bool,)),
            "number": TypeDefinition("number", (int, float, Decimal), (bool,)),
        }

        def _validate_schema(self, schema: Any, field: Any, value: Any) -> None:
            """
            {'type': ['dict', 'string'],
             'anyof': [{'check_with': 'schema'},
                       {'check_with': 'bulk_schema'}]}
            """
            # A key that may be a list or a mapping (``type: [list, dict]``) names
            # the mapping's keys (``schema: dong_dac_biet``); its list form (a
            # row's cells, ``tong_cong: [...]``) is checked by the table rules.
            if isinstance(value, list) and isinstance(schema, str):
                return
            super()._validate_schema(schema, field, value)

        def _error(self, *args: Any) -> None:
            """Add errors in time linear in their number (``_Checker`` sorts them once).

            Cerberus re-sorts every error so far at each new one, and again in
            its schema error tree, where every unknown key lands on one node:
            4,000 unknown keys took 17 s, 8,000 took 57 s, and one request held
            the service. The schema tree is never read (Cerberus itself reads
            only the document tree, for rules our schemas do not use), so it
            stays empty.
            """
            if len(args) != 1:
                super()._error(*args)  # builds the error, then comes back here with it
                return
            self._errors.extend(args[0])
            for error in args[0]:
                self.document_error_tree.add(error)
                self.error_handler.emit(error)

    rules, definitions = template.tree.cerberus()
    registry = SchemaRegistry()
    for name, definition in definitions.items():
        registry.add(name, definition)
    return _Validator(rules, schema_registry=registry)


_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float, Decimal)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "date": lambda v: isinstance(v, date),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
}


_Check = Callable[[Any], bool]

_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float, Decimal),
    "boolean": (bool,),
    "date": (date,),
    "list": (list,),
    "dict": (dict,),
}
"""The Python types of each schema type: ``_TYPES`` as one ``isinstance`` per rule."""


def _accepted(names: tuple[str, ...]) -> tuple[tuple[type, ...], bool]:
    """``_TYPES`` for any of ``names`` as one ``isinstance``: the Python types, and whether a
    bool must be refused (Cerberus's ``true`` is not an integer) though it is an ``int``."""
    known = [name for name in names if name in _TYPES]
    accepted = tuple(t for name in known for t in _PYTHON_TYPES[name])
    numeric = any(name in ("integer", "number") for name in known)
    return accepted, numeric and "boolean" not in known


class _Prover:
    """Prove cheaply that a report, or its body, satisfies the schema.

    Cerberus builds a child validator for every nested block, which is most
    of the time spent on a long report, and a fresh process pays for its
    import and schema check. This walks the template's schema tree
    (``baocao.schema``, the one Cerberus's schema is made from); it answers
    True only when every rule holds, and False at any problem or any rule the
    tree does not model, in which case Cerberus validates and words the
    messages. So a True here never hides an error Cerberus would report.

    Each rule of the tree is turned once, per template, into a function that
    tests only what that rule states (``_rule``): a report's thousands of
    values then cost a call and an ``isinstance`` each, not a look at every
    rule the tree could hold.
    """

    def __init__(self, template: Template) -> None:
        self._rules: dict[int, _Check] = {}  # by rule: the tree holds its rules, ids stay theirs
        self._mappings: dict[int, _Check] = {}
        root = template.tree.root
        self.root = self._fields(root)
        body = root.keys.get("noi_dung")
        self.body = self._rule(body) if body is not None else None
        appendix = template.tree.definitions.get("phu_luc")
        body = appendix.keys.get("noi_dung") if appendix is not None else None
        self.appendix_body = self._rule(body) if body is not None else None

    def is_valid(self, data: dict[str, Any]) -> bool:
        """The whole report, header, body and appendices."""
        return isinstance(data, dict) and self.root(data)

    def body_is_valid(self, data: dict[str, Any]) -> bool:
        if self.body is None or not isinstance(data.get("noi_dung"), list):
            return False
        if not self.body(data["noi_dung"]):
            return False
        appendices = data.get("phu_luc")
        if appendices is None:
            return True
        if not isinstance(appendices, list) or self.appendix_body is None:
            return False
        body = self.appendix_body
        return all(
            isinstance(a, dict) and ("noi_dung" not in a or body(a["noi_dung"])) for a in appendices
        )

    @staticmethod
    def without_body(data: dict[str, Any]) -> dict[str, Any]:
        """The document with its proven body replaced by one valid paragraph."""
        out = {**data, "noi_dung": ["."]}
        if isinstance(data.get("phu_luc"), list):
            out["phu_luc"] = [
                {k: v for k, v in a.items() if k != "noi_dung"} for a in data["phu_luc"]
            ]
        return out

    def _rule(self, rule: Rule) -> _Check:
        found = self._rules.get(id(rule))
        if found is None:
            found = self._rules[id(rule)] = self._made(rule)
        return found

    def _made(self, rule: Rule) -> _Check:
        """One rule as a function, its tests in Cerberus's order, each only when stated."""
        if rule.other:
            return lambda value: False
        nullable = bool(rule.nullable)
        tests: list[_Check] = []
        if rule.empty is False:
            tests.append(lambda v: not isinstance(v, (str, list, dict)) or bool(v))
        if rule.allowed is not None:
            allowed = rule.allowed
            tests.append(
                lambda v: (
                    all(item in allowed for item in v)  # Cerberus: every item of a list
                    if isinstance(v, list)
                    else not isinstance(v, dict) and v in allowed
                )
            )
        is_number = _TYPES["number"]
        if rule.minimum is not None:
            low = rule.minimum
            tests.append(lambda v: is_number(v) and v >= low)
        if rule.maximum is not None:
            high = rule.maximum
            tests.append(lambda v: is_number(v) and v <= high)
        if rule.maxlength is not None:
            longest = rule.maxlength
            tests.append(lambda v: isinstance(v, (str, list, dict)) and len(v) <= longest)
        if rule.regex is not None:
            # Cerberus matches pattern + "$", which lets a final "\n" through; fullmatch does not.
            pattern = re.compile(rule.regex)
            tests.append(lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None)
        if rule.keysrules is not None:
            of_key = self._rule(rule.keysrules)
            tests.append(lambda v: isinstance(v, dict) and all(map(of_key, v.keys())))
        if rule.valuesrules is not None:
            of_value = self._rule(rule.valuesrules)
            tests.append(lambda v: isinstance(v, dict) and all(map(of_value, v.values())))
        if rule.types is not None and not tests:
            found = self._typed(rule, nullable)
            if found is not None:
                return found
        shape = self._shape(rule)
        if shape is not None:
            tests.append(shape)
        typed = rule.types is not None
        accepted, no_bool = _accepted(rule.types or ())

        def check(value: Any) -> bool:
            if value is None:
                return nullable
            if typed and (not isinstance(value, accepted) or (no_bool and isinstance(value, bool))):
                return False
            for test in tests:  # noqa: SIM110 (no generator per value)
                if not test(value):
                    return False
            return True

        return check

    def _typed(self, rule: Rule, nullable: bool) -> _Check | None:
        """A rule of a type and at most a ``schema`` as one function, its tests inline: most
        rules of a report's thousands of values (a text, a list of blocks, a block). None for
        the rules ``_made`` tests one by one."""
        accepted, no_bool = _accepted(rule.types or ())
        items = self._rule(rule.items) if rule.items is not None else None
        fields = self._fields(rule.fields) if rule.fields is not None else None
        if no_bool:
            if items is None and fields is None:
                return lambda v: (
                    nullable if v is None else isinstance(v, accepted) and not isinstance(v, bool)
                )
            return None
        if items is None and fields is None:
            return lambda v: nullable if v is None else isinstance(v, accepted)
        if items is not None and fields is None:  # ``_shape``'s test of a list's items
            each = items
            return lambda v: (
                nullable
                if v is None
                else isinstance(v, accepted)
                and not isinstance(v, dict)
                and (not isinstance(v, list) or all(map(each, v)))
            )
        if fields is not None and items is None and rule.fields is not None:
            mapping = fields
            # A named definition's list form is left to the table rules (``_shape``).
            list_form = rule.fields.name is not None
            return lambda v: (
                nullable
                if v is None
                else isinstance(v, accepted)
                and (list_form if isinstance(v, list) else not isinstance(v, dict) or mapping(v))
            )
        return None

    def _shape(self, rule: Rule) -> _Check | None:
        """What a list's items or a mapping's keys must be (``schema``), or None."""
        items = self._rule(rule.items) if rule.items is not None else None
        fields = self._fields(rule.fields) if rule.fields is not None else None
        # A named definition's list form is left to the table rules, as in _Validator;
        # keys given inline for a list's items: Cerberus decides what that means.
        list_form = rule.fields is not None and rule.fields.name is not None
        if fields is not None:
            if items is not None:
                return lambda v: list_form if isinstance(v, list) else not isinstance(v, dict)
            return lambda v: (
                list_form if isinstance(v, list) else not isinstance(v, dict) or fields(v)
            )
        if items is not None:
            return lambda v: (
                not isinstance(v, dict) and (not isinstance(v, list) or all(map(items, v)))
            )
        return None

    def _fields(self, fields: Fields) -> _Check:
        """A mapping's test: no unknown key, every required one, each value by its rule.

        Made once per ``Fields`` and registered before its keys' rules are made,
        so a definition that contains itself (a section in a section) refers to
        the one test.
        """
        found = self._mappings.get(id(fields))
        if found is not None:
            return found
        rules: dict[str, _Check] = {}
        known = fields.keys.keys()
        required = tuple(key for key, rule in fields.keys.items() if rule.required)

        def check(value: dict[str, Any]) -> bool:
            if not value.keys() <= known:
                return False  # an unknown key: Cerberus words the suggestion
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():  # noqa: SIM110 (no generator per mapping)
                if not rules[key](item):
                    return False
            return True

        self._mappings[id(fields)] = check
        rules.update({key: self._rule(rule) for key, rule in fields.keys.items()})
        return check


class _Checker:
    """A template's prover, and its Cerberus validator built on first need (checks are costly)."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.prover = _Prover(template)
        self.lock = threading.Lock()
        self._validator: Validator | None = None

    @property
    def validator(self) -> Validator:
        """Cerberus for this template; hold ``lock`` while using it."""
        if self._validator is None:
            self._validator = _cerberus(self.template)
        return self._validator

    def errors(self, data: dict[str, Any]) -> list[ValidationError]:
        if self.prover.is_valid(data):
            return []
        if self.prover.body_is_valid(data):
            data = self.prover.without_body(data)  # proven: Cerberus need not walk it again
        with self.lock:
            # No defaults or coercion in our schemas: skipping normalisation halves the cost.
            self.validator.validate(data, normalize=False)
            return list(_leaves(sorted(self.validator._errors)))


_checkers: weakref.WeakKeyDictionary[Template, _Checker] = weakref.WeakKeyDictionary()


def _checker(template: Template) -> _Checker:
    """Return the template's checker, made once.

    Keyed by the template itself, not its name: one clerk's letterhead (one
    name) can be paired with several types, each with its own schema.
    """
    checker = _checkers.get(template)
    if checker is None:
        checker = _checkers[template] = _Checker(template)
    return checker


def validate(
    source_or_mapping: Source | Mapping[str, Any], template: str | Template | None = None
) -> Validated:
    """Check a report against ``template``; raise ``ValidationFailed`` listing every problem.

    Without a template the report's own ``loai_van_ban`` chooses one (a
    báo cáo when it says nothing), so a file made by ``baocao init --type
    ke-hoach`` renders as a kế hoạch with no option to remember.
    """
    if isinstance(source_or_mapping, Source):
        source = source_or_mapping
    else:  # built in Python, not loaded: the loader's rules (text, numbers, depth) apply here
        source = from_mapping(source_or_mapping)
    stated = stated_type(source.data)
    bundle = (
        template if isinstance(template, Template) else find(template or stated or DEFAULT_TEMPLATE)
    )
    data = source.data
    issues = [_issue(source, bundle, error) for error in _checker(bundle).errors(data)]
    if stated is not None and stated != bundle.kind:
        issues.append(
            Issue(
                source.locate(("loai_van_ban",)),
                ("loai_van_ban",),
                "type_mismatch",
                {"stated": stated, "template": bundle.kind},
            )
        )
    base_dir = (source.base_dir or Path.cwd()) if source.reads_files else None
    built = _Built()
    issues += [
        Issue(source.locate(path), path, code, params)
        for path, code, params in _rules(data, base_dir, built)
    ]
    told = {issue.path for issue in issues}  # day 0, month 13: the schema's ranges said it
    issues += [
        Issue(source.locate(path), path, code, params)
        for path, code, params in _date_rules(data, bundle, built)
        if path not in told
    ]
    issues += [
        Issue(source.locate(path), path, code, params)
        for path, code, params in _decision_rules(data, bundle)
    ]
    issues = _explained(issues)
    if issues:
        found = sorted(_dedupe(_sentences_read_as_keys(data, issues, bundle)), key=Issue.sort_key)
        listed = [_with_hint(_decision_key(issue, bundle), bundle) for issue in found[:MAX_ISSUES]]
        raise ValidationFailed(listed, more=len(found) - len(listed))
    advice = (
        tuple(_advice(data, source, built))
        + tuple(
            sorted(
                (
                    Issue(source.locate(path), path, code, params, warning=True)
                    for path, code, params in built.advice
                ),
                key=Issue.sort_key,
            )
        )
        + tuple(_table_fit(data, source, built))
        + tuple(_agency_advice(data, source, built.dates))
        + tuple(_decision_advice(data, source, bundle))
    )
    return Validated(data, bundle, source, advice, built.tables, built.footnotes, built.dates)


def _agency_advice(
    data: dict[str, Any], source: Source, dates: Mapping[Path_, vietnamese.DateParts]
) -> Iterator[Issue]:
    """Warn of an agency line the clerk typed that is too wide for the header to print it whole."""
    size = geometry.sizes(data)
    issued = dates.get(("ngay_ban_hanh",), geometry.NO_DATE)
    place_date = geometry.header_date(data, issued)
    for (key, index), line, need, room in geometry.typed_lines_too_wide(data, size, place_date):
        value = data[key]
        path: Path_ = (key, index) if isinstance(value, list) else (key,)
        per_mm = measure.TWIPS_PER_MM
        params = {"line": line, "need": round(need / per_mm), "room": round(room / per_mm)}
        yield Issue(source.locate(path), path, "agency_line_too_wide", params, warning=True)


# -- quyết định (Mẫu 1.2, 1.3 of Phụ lục III) ---------------------------------------------


ADDRESSEE_KEY = "kinh_gui"


def _decision_keys() -> set[str]:
    """The keys only a quyết định has (``tham_quyen``, ``theo_de_nghi``): those its bundle
    adds to the báo cáo's."""
    base = find(DEFAULT_TEMPLATE).tree.root.keys
    out: set[str] = set()
    for name in available():
        bundle = find(name)
        if bundle.decision_line:
            out |= bundle.tree.root.keys.keys() - base.keys()
    return out


def _decision_key(issue: Issue, template: Template) -> Issue:
    """An unknown key that belongs to a quyết định, or Kính gửi in one: say what the key
    is for and which type has it, rather than only that the schema lacks it."""
    if issue.code != "unknown_key" or len(issue.path) != 1:
        return issue
    key = str(issue.path[0])
    if template.decision_line:
        if key == ADDRESSEE_KEY:
            return replace(issue, code="decision_no_addressee", params={"key": key})
        return issue
    if key in _decision_keys():
        role = {"code": f"role_{key}"}
        params = {"key": key, "template": template.name, "role": role}
        return replace(issue, code="decision_key_elsewhere", params=params)
    return issue


def _decision_rules(data: dict[str, Any], template: Template) -> _Found:
    """A quyết định numbers its top sections as articles: ``muc_dau`` numbers only the
    sections of its appendices, so without one it would do nothing."""
    options = data.get("trinh_bay")
    if (
        template.articles
        and isinstance(options, dict)
        and "muc_dau" in options
        and not data.get("phu_luc")
    ):
        yield ("trinh_bay", "muc_dau"), "decision_muc_dau", {"value": options["muc_dau"]}


ARTICLE_TYPED = re.compile(rf"\s*(\*{{0,2}}{nd30.DIEU_TEXT}\s+\d+\s*[.:]?\*{{0,2}})(?=\s|$)")
"""\"Điều 2." typed at the start of an article that the program numbers already."""


def _decision_advice(data: dict[str, Any], source: Source, template: Template) -> Iterator[Issue]:
    """Warn of a quyết định's body that would not print as the clerk meant: a paragraph
    outside every article (printed with no "Điều" label), or "Điều 2." typed before the
    label the program prints."""
    if not template.articles:
        return
    number = 0
    for index, block in enumerate(_list(data.get("noi_dung"))):
        at: Path_ = ("noi_dung", index)
        section = isinstance(block, dict) and not any(k in block for k in BLOCK_KINDS)
        if not section:
            yield Issue(source.locate(at), at, "decision_outside_article", {}, warning=True)
            continue
        number += 1
        own = block.get("so_muc")
        label = own if isinstance(own, str) and own else f"{nd30.DIEU_TEXT} {number}."
        title, where = block.get("tieu_de"), (*at, "tieu_de")
        if title is None:
            children = _list(block.get("noi_dung"))
            title, where = (children[0] if children else None), (*at, "noi_dung", 0)
        typed = ARTICLE_TYPED.match(title) if isinstance(title, str) else None
        if typed is not None:
            params = {"label": label, "typed": typed.group(1).strip("* ")}
            yield Issue(
                source.locate(where), where, "decision_article_doubled", params, warning=True
            )


MAX_ISSUES = 100
"""Problems listed at most; the rest are counted ("và N lỗi khác").

A clerk fixes a report from its first problems, and wording each one has a
cost (a "did you mean" compares the key with every known one): a request
with 8,000 unknown keys is answered in a fraction of a second, not minutes.
"""


def _with_hint(issue: Issue, template: Template) -> Issue:
    """Add "did you mean" to an unknown key: only for listed issues, as it costs the most."""
    if issue.code != "unknown_key":
        return issue
    key = str(issue.path[-1])
    close = difflib.get_close_matches(key, _known_keys(template, issue.path[:-1]), n=1, cutoff=0.6)
    if not close:
        return issue
    return replace(issue, params={**issue.params, "hint": {"suggestion": close[0]}})


def _advice(data: dict[str, Any], source: Source, built: _Built) -> Iterator[Issue]:
    """Warn of what the decree asks and a valid report can still leave out.

    Nơi nhận ends with "Lưu: VT, …", the copies the records office and the
    drafting unit keep (ND30, Phụ lục I, II.9.d); a clerk who drops it gets
    a document ``baocao check`` fails, and hears of it only there.
    """
    yield from _as_typed_advice(data, source, built)
    recipients = data.get("noi_nhan")
    if isinstance(recipients, list) and not any(
        isinstance(line, str) and line.lstrip("-+ ").lower().startswith("lưu")
        for line in recipients
    ):
        path: Path_ = ("noi_nhan",)
        yield Issue(source.locate(path), path, "no_archive_line", warning=True)
    for path, text in _body_texts(data.get("noi_dung"), ("noi_dung",)):
        glued = GLUED_KEY.match(text)
        if glued:
            key, rest = glued.groups()
            yield Issue(
                source.locate(path), path, "key_glued", {"key": key, "rest": rest}, warning=True
            )
    yield from _page_break_advice(data, source)


def _page_break_advice(data: dict[str, Any], source: Source) -> Iterator[Issue]:
    """Warn of a ``trang_moi`` that ends the text: the signature after it stands alone on a page."""
    ends: list[tuple[Path_, Any]] = []
    if not data.get("ket_thuc"):
        ends.append((("noi_dung",), data.get("noi_dung")))
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if isinstance(appendix, dict) and (
            appendix.get("nguoi_ky") or appendix.get("dia_danh_ngay")
        ):
            ends.append((("phu_luc", index, "noi_dung"), appendix.get("noi_dung")))
    for path, blocks in ends:
        last = _last_block(blocks, path)
        if last is not None and isinstance(last[1], dict) and last[1].get("trang_moi") is True:
            at = (*last[0], "trang_moi")
            yield Issue(source.locate(at), at, "page_break_before_signature", warning=True)


def _last_block(blocks: Any, path: Path_) -> tuple[Path_, Any] | None:
    """The block printed last among ``blocks``, looking into the last section's content."""
    items = _list(blocks)
    if not items:
        return None
    index = len(items) - 1
    last = items[index]
    if isinstance(last, dict) and "noi_dung" in last and not any(k in last for k in BLOCK_KINDS):
        inner = _last_block(last.get("noi_dung"), (*path, index, "noi_dung"))
        if inner is not None:
            return inner
    return (*path, index), last


def _table_fit(data: dict[str, Any], source: Source, built: _Built) -> Iterator[Issue]:
    """Warn of a table where a word or a number must break: too wide for its page, or
    ``do_rong`` too narrow for a column's longest word.

    The columns are measured once (``widths.needs_of``); the layout reuses the
    measure for their widths, and decides landscape pages by the same rule.
    """
    page = geometry.page(data)
    models = built.tables
    places: dict[Any, bool | None] = {None: None}  # the body, then each appendix by its index
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if isinstance(appendix, dict):
            places[index] = table_widths.appendix_landscape(appendix, page, models)
    found: dict[Any, list[tuple[Path_, dict[str, Any]]]] = {place: [] for place in places}
    for at, block in built.blocks:  # as ``markup.find_blocks`` finds them, in reading order
        if isinstance(block.get("bang"), dict):
            found[at[1] if at[0] == "phu_luc" else None].append(((*at, "bang"), block["bang"]))
    for place, appendix_wide in places.items():
        for path, spec in found[place]:
            wide = spec.get("ngang") is True if appendix_wide is None else appendix_wide
            if spec.get("ngang") is True and not wide:  # the appendix said ngang: false
                where = (*path, "ngang")
                yield Issue(
                    source.locate(where),
                    where,
                    "table_landscape_in_portrait_appendix",
                    {"name": _table_name(spec, models.of(spec))},
                    warning=True,
                )
            available = page.landscape_text_width if wide else page.text_width
            needs = table_widths.needs_of(spec, models)
            if spec.get("do_rong"):
                widths = table_widths.given_widths(spec, available)
                broken = table_widths.broken_columns(needs, widths)
                if broken:
                    where = (*path, "do_rong")
                    name = _table_name(spec, models.of(spec))  # named only when told of
                    yield Issue(
                        source.locate(where),
                        where,
                        "table_widths_break_words",
                        {
                            "name": name,
                            "columns": ", ".join(map(str, broken)),
                            **_fit(needs, available),
                        },
                        warning=True,
                    )
            elif needs.tightest > available:
                code = "table_too_wide_landscape" if wide else "table_too_wide"
                name = _table_name(spec, models.of(spec))
                fit = {
                    "name": name,
                    **_fit(needs, available),
                    "size": table_widths.table_size(spec),
                }
                yield Issue(source.locate(path), path, code, fit, warning=True)


def _fit(needs: Any, available: int) -> dict[str, Any]:
    """The widths a table warning quotes, in millimetres as a clerk measures a page."""
    return {"needed": -(-needs.minimum * 254 // 14400), "available": available * 254 // 14400}


def _table_name(spec: dict[str, Any], model: tables.Table) -> str:
    """How a clerk recognises a table: its caption, else its first column titles."""
    caption = spec.get("tieu_de")
    if isinstance(caption, list):
        caption = " ".join(str(line) for line in caption)
    if isinstance(caption, str) and caption.strip():
        return caption.strip()
    titles = [model.header_title(i) for i in range(min(model.columns, 3))]
    return " | ".join(t for t in titles if t) + (" | …" if model.columns > 3 else "")


def _as_typed_advice(data: dict[str, Any], source: Source, built: _Built) -> Iterator[Issue]:
    """Warn where the page would not show what the clerk plainly meant, though it prints as typed.

    Each is a slip the clerk cannot see in the YAML: stars that pair with
    nothing (printed as stars), a dash typed before the dash the program adds
    ("- - text"), a label typed before the label the program adds ("I. I.").
    The text is never changed: the warning names the line and the fix.
    """
    found = [
        Issue(source.locate(path), path, code, params, warning=True)
        for found in (
            _unpaired_emphasis(data, built.texts),
            _emphasis_not_read(data),
            _doubled_bullets(built.blocks),
            _doubled_labels(data),
        )
        for path, code, params in found
    ]
    yield from sorted(found, key=Issue.sort_key)


def _unpaired_emphasis(data: dict[str, Any], texts: Sequence[tuple[Path_, str]]) -> _Found:
    """A ``*`` that the markup reads as no emphasis marker and prints, in any text it reads.

    A star with no letter or digit on either side ("5 * 3", "(*)") is a star
    the clerk meant to print; one touching a word ("lao động*:* Đã",
    "*Ghi chú") is emphasis that CommonMark's flanking rules could not pair.
    """
    for path, text in _marked_up_texts(data, texts):
        if "*" not in text:
            continue
        for piece in _inline_pieces(text, cell=_in_table_cell(path)):
            near = _unpaired_star(piece)
            if near is not None:
                yield path, "emphasis_unpaired", {"near": near}
                break
            taken = _marks_taken(piece)
            if taken is not None:
                yield path, "emphasis_took_marks", taken
                break


PLAIN_TEXTS: tuple[Path_, ...] = (
    ("co_quan_chu_quan",),
    ("co_quan_ban_hanh",),
    ("trich_yeu",),
    ("noi_nhan",),
    ("dia_danh",),
    ("pham_vi_luu_hanh",),
    ("nguoi_ky", "quyen_han"),
    ("nguoi_ky", "thay_cho"),
    ("nguoi_ky", "chuc_vu"),
    ("nguoi_ky", "chuc_vu_2"),
    ("nguoi_ky", "ho_ten"),
    *(("thong_tin_lien_he", key) for key in ("dia_chi", "dien_thoai", "fax", "email", "website")),
)
"""Texts the template prints in the decree's own type (header, title, Nơi nhận, signer,
contact strip): no markup is read there, so stars print as typed."""


def _emphasis_not_read(data: dict[str, Any]) -> _Found:
    """``trich_yeu: "Kết quả **năm 2021**"``: stars that would pair, in a text read as plain.

    The decree fixes how those parts look (the title is bold, the signer's
    name bold …); the stars are printed, so the clerk hears why.
    """
    for path in PLAIN_TEXTS:
        for at, text in markup.strings(_at(data, path), path):
            if "*" in text and any(s.bold or s.italic for s in markup.parse_inline(text)):
                yield at, "emphasis_not_read", {"key": format_path(path)}


def _marked_up_texts(
    data: dict[str, Any], texts: Sequence[tuple[Path_, str]]
) -> Iterator[tuple[Path_, str]]:
    """Every text the layout reads for ``**bold**`` and ``*italic*``, with its key path.

    The body's texts (``markup.texts``) and the others the layout passes to
    ``model.inline``: footnotes, Kính gửi, an appendix's own lines and signers.
    ``texts`` is ``markup.marked_texts(data)`` (the body's texts with a star or a
    footnote mark: the others hold nothing to read), walked once per validation.
    """
    yield from texts
    notes = data.get("chu_thich")
    if isinstance(notes, dict):
        for key, note in notes.items():
            yield from markup.strings(note, ("chu_thich", key))
    yield from markup.strings(data.get("kinh_gui"), ("kinh_gui",))
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if not isinstance(appendix, dict):
            continue
        at: Path_ = ("phu_luc", index)
        for key in ("kem_theo", "dia_danh_ngay"):
            yield from markup.strings(appendix.get(key), (*at, key))
        for number, signer in enumerate(_list(appendix.get("nguoi_ky"))):
            if isinstance(signer, dict):
                for key in ("quyen_han", "thay_cho", "chuc_vu", "chuc_vu_2", "ho_ten"):
                    yield from markup.strings(signer.get(key), (*at, "nguoi_ky", number, key))


def _in_table_cell(path: Path_) -> bool:
    """A header cell, a row's cell or a row's label: anything in a table but its caption."""
    if "bang" not in path:
        return False
    inside = path[path.index("bang") + 1 :]
    return inside[:1] != ("tieu_de",)


def _inline_pieces(text: str, *, cell: bool) -> list[str]:
    """The pieces the layout parses one by one: a table cell's paragraphs (split at a
    blank line), then the text between footnote marks."""
    paragraphs = text.split("\n\n") if cell else [text]
    return [piece for paragraph in paragraphs for piece in FOOTNOTE_SPLIT.split(paragraph)]


FOOTNOTE_SPLIT = re.compile(markup.FOOTNOTE_MARK.pattern.replace("(", "(?:", 1))
"""A footnote mark, not captured: the text on each side of it is read for emphasis alone."""


STAR_CONTEXT = 20
"""Characters quoted on each side of an unpaired star, for the clerk to find it."""


def _unpaired_star(text: str) -> str | None:
    """The text around the first printed star that touches a letter or digit, or None."""
    if "*" not in text or markup.plainly_paired(text):
        return None  # every star read as emphasis: none is printed
    spans = markup.parse_inline(text)
    shown = "".join(span.text for span in spans)
    if "*" not in shown:
        return None
    for star in re.finditer(r"\*+", shown):
        before = shown[star.start() - 1 : star.start()]
        after = shown[star.end() : star.end() + 1]
        if before.isalnum() or after.isalnum():
            return _near(shown, star.start(), star.end())
    return None


NOTE_MARK = re.compile(r"[(\[]\*+[)\]]")
"""A star in brackets, "(*)" or "[**]": a mark for a note, never meant as emphasis."""


def _marks_taken(text: str) -> dict[str, str] | None:
    """A "(*)" whose star paired with another ("*Ghi chú: (*) là …"): no star printed.

    Alone, "(*)" prints as typed; a second star in the same text can pair
    with it, and both vanish into italics ("Ghi chú: () là …").
    """
    marks = NOTE_MARK.findall(text)
    if not marks:
        return None
    shown = "".join(span.text for span in markup.parse_inline(text))
    if len(NOTE_MARK.findall(shown)) >= len(marks):
        return None
    differ = next(
        (i for i, (a, b) in enumerate(zip(text, shown, strict=False)) if a != b), len(shown)
    )
    return {"mark": marks[0], "shown": _near(shown, differ, differ)}


def _near(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with up to ``STAR_CONTEXT`` characters each side, in whole words."""
    if start > STAR_CONTEXT:
        cut = text.find(" ", start - STAR_CONTEXT, start)
        start = cut + 1 if cut >= 0 else start - STAR_CONTEXT
    else:
        start = 0
    if len(text) - end > STAR_CONTEXT:
        cut = text.rfind(" ", end, end + STAR_CONTEXT)
        end = cut if cut >= 0 else end + STAR_CONTEXT
    else:
        end = len(text)
    near = text[start:end].replace("\n", " ").strip()
    return ("…" if start else "") + near + ("…" if end < len(text) else "")


# As text: compiled by ``re`` at its first use (see ``source._CONTROL``).
BULLET_TYPED = r"\s*([-+–—•])(?=\s|$)"
"""A dash or plus typed at the start of a ``gach``/``cong``, where the program puts its own."""

BULLET_OF = {"gach": "-", "cong": "+"}
BULLETS = frozenset("-+–—•")
"""``BULLET_TYPED``'s marks."""


def _doubled_bullets(blocks: Sequence[tuple[Path_, dict[str, Any]]]) -> _Found:
    """``gach: "- text"`` prints "- - text": the program adds the dash itself."""
    for path, block in blocks:
        if len(block) == 1:  # most blocks: its one key is its kind
            (kind,) = block
            if kind not in BULLET_OF:
                continue
            kinds: tuple[str, ...] = (kind,)
        elif "gach" in block or "cong" in block:
            kinds = tuple(BULLET_OF)
        else:
            continue
        for kind in kinds:
            mark = BULLET_OF[kind]
            text = block.get(kind)
            if not isinstance(text, str) or not (text[:1] in BULLETS or text[:1].isspace()):
                continue  # ``BULLET_TYPED`` opens with white space or a mark: most texts fail here
            typed = re.match(BULLET_TYPED, text)
            if typed is not None:
                rest = text[typed.end() :].strip()
                yield (
                    (*path, kind),
                    "bullet_doubled",
                    {"key": kind, "typed": typed.group(1), "mark": mark, "rest": rest},
                )


ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"

LABEL_TYPED = re.compile(
    rf"\s*((?:{ROMAN}|[A-Za-zĐđ]|\d{{1,3}}(?:\.\d{{1,2}})*)[.)]|\d{{1,2}}(?:\.\d{{1,2}})+|[-+–—•])"
    r"(?=\s)"
)
"""A section label typed at the start of a title: "I.", "1.", "a)", "A.", "1.2.", "1.2", "-".

Numbers of one to three digits with parts of one or two: "1.250 lao động" is a
number with its thousands dot, and "2025. Năm …" a year, not labels.
"""


def _doubled_labels(data: dict[str, Any]) -> _Found:
    """A title typed with its label ("I. TÌNH HÌNH") prints the program's label before it.

    The label is the one the layout gives (``vietnamese.section_label``, or the
    section's ``so_muc``); a section without a title puts it before its first
    paragraph, so that paragraph is looked at instead.
    """
    options = data.get("trinh_bay")
    first = options.get("muc_dau") if isinstance(options, dict) else None
    level = FIRST_LEVELS.get(first, 1) if isinstance(first, str) else 1
    yield from _labels_in(data.get("noi_dung"), ("noi_dung",), level)
    for index, appendix in enumerate(_list(data.get("phu_luc"))):
        if isinstance(appendix, dict):
            yield from _labels_in(appendix.get("noi_dung"), ("phu_luc", index, "noi_dung"), level)


def _labels_in(blocks: Any, path: Path_, level: int) -> _Found:
    number = 0
    for index, block in enumerate(_list(blocks)):
        if (
            not isinstance(block, dict)
            or _SECTION_SET.isdisjoint(block)
            or not _KIND_SET.isdisjoint(block)
        ):
            continue  # as ``_point_rules`` counts: a block of another kind takes no number
        number += 1
        at: Path_ = (*path, index)
        title = block.get("tieu_de")
        where: Path_ = (*at, "tieu_de")
        if title is None:  # the label opens the first paragraph
            children = _list(block.get("noi_dung"))
            first = children[0] if children else None
            title, where = first, (*at, "noi_dung", 0)
            if isinstance(first, dict) and isinstance(first.get("doan"), str):
                title, where = first["doan"], (*where, "doan")
        typed = LABEL_TYPED.match(title) if isinstance(title, str) else None
        if isinstance(title, str) and typed is not None:
            own = block.get("so_muc")
            own = own if isinstance(own, str) and own else None
            label = own or _section_label(level, number)
            if label is not None:
                rest = title[typed.end() :].strip()
                yield (
                    where,
                    "label_doubled_so_muc" if own else "label_doubled",
                    {"label": label, "typed": typed.group(1), "rest": rest},
                )
        yield from _labels_in(block.get("noi_dung"), (*at, "noi_dung"), level + 1)


def _section_label(level: int, number: int) -> str | None:
    """The label the layout prints, None past the numbering's limits (reported elsewhere)."""
    try:
        return vietnamese.section_label(level, number)
    except (ValueError, ArithmeticError):
        return None


GLUED_KEY = re.compile(rf"({'|'.join((*BLOCK_KINDS, *SECTION_KEYS))}):(\S.*)", re.DOTALL)
"""``- gach:Nội dung``: a key with no space after its colon, which YAML keeps as text."""


def _body_texts(blocks: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every paragraph written as a bare string in the body, sections included."""
    for index, block in enumerate(_list(blocks)):
        if isinstance(block, str):
            yield (*path, index), block
        elif isinstance(block, dict) and "noi_dung" in block:
            yield from _body_texts(block["noi_dung"], (*path, index, "noi_dung"))


KEY_FORM = r"[a-z0-9_]+"


def _sentences_read_as_keys(data: Any, issues: list[Issue], template: Template) -> list[Issue]:
    """Say "quote this sentence" where a list item was a sentence with ": " in it.

    YAML reads ``- Thời gian: từ 8 giờ`` as a key and its value, so the clerk
    heard of a block of no kind and an unknown key ``Thời gian`` (or, in
    ``noi_nhan``, of a group where text belongs), and none of it said what to
    do. A single key not written like one (``tieu_đe`` is, and keeps its "did
    you mean") is taken for the sentence it was; followed by indented lines in
    the body, for a heading written without ``tieu_de``.
    """
    found: dict[Path_, tuple[str, dict[str, str]]] = {}
    for issue in issues:
        list_item = bool(issue.path) and isinstance(issue.path[-1], int)
        if issue.code not in ("one_block_kind", "wrong_type") or not list_item:
            continue
        item = _at(data, issue.path)
        if not (isinstance(item, dict) and len(item) == 1):
            continue
        ((key, rest),) = item.items()
        if (
            not isinstance(key, str)
            or re.fullmatch(KEY_FORM, key)
            or difflib.get_close_matches(key, _known_keys(template, issue.path), n=1, cutoff=0.6)
        ):
            continue
        if not isinstance(rest, (dict, list)):
            text = f"{key}:" if rest is None else f"{key}: {rest}"
            quote = "'" if '"' in text else '"'
            found[issue.path] = (
                "sentence_read_as_key",
                {"text": text, "quoted": quote + text + quote},
            )
        elif issue.code == "one_block_kind":
            found[issue.path] = ("heading_read_as_key", {"key": key})
    kept: list[Issue] = []  # the item's issues become one (``_dedupe`` drops the repeats)
    for issue in issues:
        if issue.path in found:
            code, params = found[issue.path]
            kept.append(Issue(issue.location, issue.path, code, params))
        elif not (issue.code == "unknown_key" and issue.path[:-1] in found):
            kept.append(issue)
    return kept


def _at(data: Any, path: Path_) -> Any:
    """The value at ``path``, or None where the path does not lead."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _leaves(errors: list[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.is_group_error and error.child_errors:
            yield from _leaves(error.child_errors)
        else:
            yield error


def _dedupe(issues: list[Issue]) -> list[Issue]:
    """Drop repeats (Cerberus reports some leaves twice through ``anyof`` paths)."""
    seen: set[tuple[Path_, str, str]] = set()
    out = []
    for issue in issues:
        key = (issue.path, issue.code, repr(sorted(issue.params.items())))
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out


_TYPE_OF = (
    (bool, "boolean"),
    (int, "integer"),
    (Decimal, "number"),
    (float, "number"),
    (str, "string"),
    (date, "date"),
    (list, "list"),
    (dict, "dict"),
)


def value_type(value: Any) -> str:
    """Name the YAML type of ``value`` (``"list"``, ``"date"`` …)."""
    if value is None:
        return "null"
    for python_type, name in _TYPE_OF:
        if isinstance(value, python_type):
            return name
    return type(value).__name__


def _issue(source: Source, template: Template, error: ValidationError) -> Issue:
    path: Path_ = tuple(error.document_path)
    where = source.locate(path)
    from cerberus.errors import UNKNOWN_FIELD  # only reached once Cerberus has reported

    rule, constraint, value = error.rule, error.constraint, error.value
    if error.code == UNKNOWN_FIELD.code:  # "did you mean" comes later (``_with_hint``)
        return Issue(
            where,
            path,
            "unknown_key",
            {"key": str(path[-1]), "template": template.name, "hint": ""},
        )
    if rule == "required":
        return Issue(where, path[:-1], "required", {"field": path[-1]})
    if rule == "type":
        return _wrong_type(where, path, constraint, value, template)
    if rule in ("empty", "nullable"):
        return Issue(where, path, "empty", {})
    if rule == "allowed":
        return Issue(
            where, path, "not_allowed", {"value": value, "allowed": ", ".join(map(str, constraint))}
        )
    if rule == "regex" and path[:1] == ("chu_thich",):
        return Issue(where, path, "footnote_key_form", {"value": value})
    if rule == "minlength":
        return Issue(where, path, "too_short", {"min": constraint})
    if rule == "maxlength":
        return Issue(where, path, "too_long", {"max": constraint})
    if rule == "min":
        return Issue(where, path, "below_min", {"value": value, "min": constraint})
    if rule == "max":
        return Issue(where, path, "above_max", {"value": value, "max": constraint})
    return Issue(where, path, "invalid", {"detail": f"{rule}: {constraint}"})


def _wrong_type(
    where: Location, path: Path_, constraint: Any, value: Any, template: Template
) -> Issue:
    """A value of the wrong type; for the text clerks type most often, the value it should be."""
    expected = constraint if isinstance(constraint, list) else [constraint]
    label = _label_as_number(where, path, value)
    if label is not None:
        return label
    if isinstance(value, str):
        if path == ("so_ky_hieu",):
            suggestion = _number_fields(value, template.type_abbreviation)
            return Issue(where, path, "number_as_text", {"suggestion": suggestion})
        if "list" in expected and ", " in value and ":" not in value:
            return Issue(where, path, "list_as_text", {"suggestion": f"[{value.strip()}]"})
        day_first = re.fullmatch(DAY_FIRST, value.strip())
        if "date" in expected and day_first:
            day, month, year = day_first.groups()
            iso = f"{year}-{int(month):02}-{int(day):02}"
            return Issue(where, path, "date_day_first", {"value": value.strip(), "iso": iso})
    return Issue(where, path, "wrong_type", {"expected": tuple(expected), "got": value_type(value)})


def _label_as_number(where: Location, path: Path_, value: Any) -> Issue | None:
    """``so_muc: 1.1`` unquoted: YAML reads a number, and a label is text printed as typed.

    Formatting the number would print "1,1" (or "1" for ``1.``), so it stays an
    error; the message shows the quoted label to write instead.
    """
    number = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if not (number and path and path[-1] == "so_muc"):
        return None
    return Issue(where, path, "label_as_number", {"key": "so_muc", "value": str(value)})


def _number_fields(written: str, type_abbreviation: str) -> str:
    """``"Số: 5/BC-STTTT"`` → ``{so: 5, ky_hieu: STTTT}``: the line as the schema takes it.

    The type's own abbreviation (BC-) is dropped, since the template adds it;
    another prefix (UBND-VX in a công văn) is part of the ký hiệu and stays.
    """
    text = re.sub(r"^\s*Số\s*:?\s*", "", written).strip()
    number, _, symbol = text.partition("/") if "/" in text else ("", "", text)
    symbol = symbol.strip()
    if type_abbreviation and symbol.startswith(f"{type_abbreviation}-"):
        symbol = symbol[len(type_abbreviation) + 1 :]
    fields = [f"so: {number.strip()}"] if number.strip().isdigit() else []
    fields.append(f"ky_hieu: {symbol or '…'}")
    return "{" + ", ".join(fields) + "}"


DAY_FIRST = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
"""A date as Vietnamese write it by hand (12/11/2021), which YAML reads as text."""


def _known_keys(template: Template, path: Path_) -> list[str]:
    """List the keys the schema allows at ``path`` (for "did you mean")."""
    return template.tree.known_keys(path)


# -- rules Cerberus cannot express -------------------------------------------------

_Found = Iterator[tuple[Path_, str, dict[str, Any]]]


@record(frozen=False)
class _Built:
    """What the rules build on their way that the layout needs again (``Validated``)."""

    tables: tables.Models = field(default_factory=tables.Models)
    footnotes: dict[str, int] = field(default_factory=dict)
    advice: list[tuple[Path_, str, dict[str, Any]]] = field(default_factory=list)
    """Warnings the rules found on their way (a table's numbers written as text)."""
    dates: dict[Path_, vietnamese.DateParts] = field(default_factory=dict)
    texts: list[tuple[Path_, str]] = field(default_factory=list)
    """The body's texts with a ``*`` or a ``[^``, in reading order (``markup.marked_texts``):
    the only ones the rules that read the body's texts (emphasis, footnotes) look at."""
    blocks: list[tuple[Path_, dict[str, Any]]] = field(default_factory=list)
    """Every block of the body and the appendices, in reading order, met once by
    ``_block_rules``: pictures and the warnings of a valid report read them here, not in a
    walk each."""


TITLE_LINES = 3
"""Nghị định 30 keeps the trích yếu short; three lines is the most the seeds use."""


def _rules(data: dict[str, Any], base_dir: Path | None, built: _Built) -> _Found:
    yield from _header_rules(data)
    summary = data.get("trich_yeu")
    if isinstance(summary, list) and len(summary) > TITLE_LINES:
        yield ("trich_yeu",), "too_long", {"max": TITLE_LINES}
    found: list[tuple[Path_, str, dict[str, Any]]] = []
    _blocks_rules(data.get("noi_dung"), ("noi_dung",), built, found)
    yield from found
    layout_options = data.get("trinh_bay")
    first = layout_options.get("muc_dau") if isinstance(layout_options, dict) else None
    level = FIRST_LEVELS.get(first, 1) if isinstance(first, str) else 1  # the schema reports it
    yield from _point_rules(data.get("noi_dung"), ("noi_dung",), level)
    appendices = _list(data.get("phu_luc"))
    for number, appendix in enumerate(appendices):
        if isinstance(appendix, dict):
            at: Path_ = ("phu_luc", number)
            if number + 1 > ROMAN_MAX and len(appendices) > 1 and not appendix.get("so"):
                yield at, "roman_limit", tables.roman_limit(number + 1)
            yield from _appendix_label_rules(appendix, at)
            found = []
            _blocks_rules(appendix.get("noi_dung"), (*at, "noi_dung"), built, found)
            yield from found
            # Appendices number their sections as the body does (layout.appendices).
            yield from _point_rules(appendix.get("noi_dung"), (*at, "noi_dung"), level)
            for index, signer in enumerate(_list(appendix.get("nguoi_ky"))):
                yield from _signer_rules(signer, ("phu_luc", number, "nguoi_ky", index))
    yield from _signer_rules(data.get("nguoi_ky"), ("nguoi_ky",))
    yield from _picture_rules(built.blocks, base_dir)  # every block is known by now
    built.texts = markup.marked_texts(data)  # walked once: footnotes here, emphasis in _advice
    yield from _footnote_rules(data, built.footnotes, built.texts)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _appendix_label_rules(appendix: dict[str, Any], at: Path_) -> _Found:
    """``so`` is printed in the "Phụ lục" line, so it cannot stand with ``nhan: false``."""
    if appendix.get("nhan") is False and appendix.get("so") is not None:
        yield (*at, "so"), "appendix_number_without_label", {"number": appendix["so"]}


def _header_rules(data: dict[str, Any]) -> _Found:
    if data.get("ma_dac_biet"):
        return  # number, symbol, place and date are stamped at signing
    if "dia_danh" not in data:
        yield (), "required", {"field": "dia_danh"}
    numbering = data.get("so_ky_hieu")
    if not isinstance(numbering, dict):
        if numbering is None:
            yield (), "required", {"field": "so_ky_hieu"}
        return
    if "ky_hieu" not in numbering:
        yield ("so_ky_hieu",), "required", {"field": "ky_hieu"}
    number = numbering.get("so")
    if isinstance(number, str) and number.strip() and not number.strip().isdigit():
        yield ("so_ky_hieu", "so"), "digits_only", {"value": number}
    if isinstance(number, int) and not isinstance(number, bool) and number < 1:
        yield ("so_ky_hieu", "so"), "below_min", {"value": number, "min": 1}
    issued = data.get("ngay_ban_hanh")
    if isinstance(issued, dict):
        yield from _partial_date_rules(issued)


def _partial_date_rules(parts: dict[str, Any]) -> _Found:
    """The issue date needs its month once it has a day (whether it is real: ``_date_rules``)."""
    if parts.get("ngay") and not parts.get("thang"):
        yield ("ngay_ban_hanh",), "required", {"field": "thang"}


DATE_PARTS = ("ngay", "thang", "nam")
"""A date given in parts, any of them left blank for the Văn thư: ``{ngay, thang, nam}``."""


def _date_rules(data: dict[str, Any], template: Template, built: _Built) -> _Found:
    """Every date given in parts, wherever the schema allows one, is a real date.

    One rule (``vietnamese.date_problem``) for the issue date, an appendix's
    date and any date key a schema adds later: the layout writes what passed
    here, and 31 tháng 4 in an appendix passed and then ended in "Lỗi nội
    bộ". Dates written whole (2024-04-30) are checked as the loader reads them.
    Each date that passes is kept in ``built.dates`` for the layout to write.
    """
    for path, parts in _date_finder(template).groups(data):
        values = [parts.get(part) for part in DATE_PARTS]
        if not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values):
            continue  # Cerberus already said the type is wrong
        problem = vietnamese.date_problem(*values)
        if problem is not None:
            code, params = problem
            part = {"date_bad_year": "nam", "date_bad_month": "thang"}.get(code, "ngay")
            yield (*path, part), code, params
        else:
            built.dates[path] = vietnamese.DateParts(*values)


class _DateFinder:
    """Find a report's dates in parts by walking it along its schema tree.

    Only the branches of the tree that can hold such a date are walked (the
    header and the appendices' own keys, not the body), so a long report costs
    nothing more. A rule is a date in parts when its mapping has ``ngay`` and
    no key but ``ngay``, ``thang`` and ``nam``.
    """

    def __init__(self, template: Template) -> None:
        self.definitions = template.tree.definitions
        self.holding: set[str] = set()  # definitions that hold a date, directly or deeper
        self.known: dict[int, bool] = {}  # by rule, once ``holding`` is complete
        while True:  # to a fixpoint: definitions refer to each other, and to themselves
            found = {
                name for name, fields in self.definitions.items() if self._mapping_holds(fields)
            }
            self.known.clear()  # answers given while ``holding`` grew may be short
            if found <= self.holding:
                break
            self.holding |= found
        self.root = Rule(types=("dict",), fields=template.tree.root)

    def groups(self, data: Any) -> Iterator[tuple[Path_, dict[str, Any]]]:
        return self._walk(data, self.root, ())

    @staticmethod
    def is_date(rule: Rule) -> bool:
        keys = rule.fields.keys if rule.fields is not None else {}
        return "ngay" in keys and keys.keys() <= set(DATE_PARTS)

    def holds(self, rule: Rule) -> bool:
        known = self.known.get(id(rule))  # the tree holds its rules: ids stay theirs
        if known is None:
            known = self.known[id(rule)] = self._holds_now(rule)
        return known

    def _holds_now(self, rule: Rule) -> bool:
        if self.is_date(rule):
            return True
        if rule.items is not None:  # a list's rules for its items
            return self.holds(rule.items)
        if rule.fields is None:
            return False
        if rule.fields.name is not None:
            return rule.fields.name in self.holding
        return self._mapping_holds(rule.fields)

    def _mapping_holds(self, fields: Fields) -> bool:
        return any(self.holds(rule) for rule in fields.keys.values())

    def _walk(self, value: Any, rule: Rule, path: Path_) -> Iterator[tuple[Path_, dict[str, Any]]]:
        if self.is_date(rule):
            if isinstance(value, dict):
                yield path, value
            elif isinstance(value, date):  # written whole: 2024-04-30
                yield path, {"ngay": value.day, "thang": value.month, "nam": value.year}
            return
        if isinstance(value, list) and rule.items is not None and self.holds(rule.items):
            for index, item in enumerate(value):
                yield from self._walk(item, rule.items, (*path, index))
        elif isinstance(value, dict) and rule.fields is not None:
            keys = rule.fields.keys
            for key, item in value.items():
                child = keys.get(key)
                if child is not None and self.holds(child):
                    yield from self._walk(item, child, (*path, key))


_date_finders: weakref.WeakKeyDictionary[Template, _DateFinder] = weakref.WeakKeyDictionary()


def _date_finder(template: Template) -> _DateFinder:
    finder = _date_finders.get(template)
    if finder is None:
        finder = _date_finders[template] = _DateFinder(template)
    return finder


def date_keys(template: Template) -> list[tuple[str | int, ...]]:
    """The paths where ``template`` takes a date in parts, for tests and docs.

    A list's items are shown as 0, and a definition that contains itself (a
    section in a section) is followed once: the walk of a report goes deeper.
    """
    finder = _date_finder(template)
    found: list[tuple[str | int, ...]] = []

    def walk(rule: Rule, path: tuple[str | int, ...], seen: frozenset[str]) -> None:
        if finder.is_date(rule):
            found.append(path)
            return
        if not finder.holds(rule):
            return
        if rule.items is not None:
            walk(rule.items, (*path, 0), seen)  # a list's items
        elif rule.fields is not None:
            name = rule.fields.name
            if name is not None:
                if name in seen:
                    return
                seen = seen | {name}
            for key, child in rule.fields.keys.items():
                walk(child, (*path, key), seen)

    walk(finder.root, (), frozenset())
    return found


LEAF_KINDS = frozenset(BLOCK_KINDS) - {"bang"}
"""Block kinds with no rule of their own: such a block alone in its mapping passes."""


def _blocks_rules(
    blocks: Any, path: Path_, built: _Built, found: list[tuple[Path_, str, dict[str, Any]]]
) -> None:
    """``_block_rules`` of each mapping among ``blocks`` (a paragraph, a text, has none).

    A walk that fills ``found`` rather than a generator per block: a 100× report
    has 5,000 blocks, most of them a lone ``gach`` or ``cong`` that is only kept.
    """
    for index, block in enumerate(_list(blocks)):
        if isinstance(block, dict):
            at: Path_ = (*path, index)
            if len(block) == 1 and not LEAF_KINDS.isdisjoint(block):
                built.blocks.append((at, block))  # one key, a kind with no rule: it passes
            else:
                _block_rules(block, at, built, found)


def _block_rules(
    block: dict[str, Any],
    path: Path_,
    built: _Built,
    found: list[tuple[Path_, str, dict[str, Any]]],
) -> None:
    built.blocks.append((path, block))
    kinds = [k for k in BLOCK_KINDS if k in block]
    section = [k for k in SECTION_KEYS if k in block]
    if len(kinds) + (1 if section else 0) != 1:
        given = ", ".join(kinds + section) or "—"
        found.append(
            (
                path,
                "one_block_kind",
                {"kinds": ", ".join((*BLOCK_KINDS, "tieu_de + noi_dung")), "given": given},
            )
        )
        _nested_blocks(block.get("noi_dung"), (*path, "noi_dung"), built)
        return
    if "can_le" in block and "doan" not in block:
        found.append(((*path, "can_le"), "can_le_needs_doan", {"given": given_kind(block)}))
    if section:
        _blocks_rules(block.get("noi_dung"), (*path, "noi_dung"), built, found)
    table = block.get("bang")
    if isinstance(table, dict):
        found.extend(_table_rules(table, (*path, "bang"), built.tables, built.advice))


def _nested_blocks(blocks: Any, path: Path_, built: _Built) -> None:
    """Keep the blocks inside one of no single kind, which its rules do not read: their
    pictures are checked still, as ``markup.blocks_of`` finds them."""
    for index, block in enumerate(_list(blocks)):
        if isinstance(block, dict):
            at: Path_ = (*path, index)
            built.blocks.append((at, block))
            _nested_blocks(block.get("noi_dung"), (*at, "noi_dung"), built)


def given_kind(block: dict[str, Any]) -> str:
    """The kind of a content block, as its key: "gach", "bang"…, or "tieu_de + noi_dung"."""
    kinds = [k for k in BLOCK_KINDS if k in block]
    return kinds[0] if kinds else "tieu_de + noi_dung"


CELL_TYPES = (str, int, Decimal, date, type(None))
ROW_KEYS = (
    {"nhom", "so", "cap", "cong", "gop", "kiem_tra", "phep_tinh"},
    {"cong", "nhan", "gop", "kiem_tra", "phep_tinh"},
)


def _row_kind_ok(row: dict[str, Any]) -> bool:
    """A group row has ``nhom`` and its options; a label row ``cong`` or ``nhan`` and theirs."""
    keys = set(row)
    if "nhom" in keys:
        return keys <= ROW_KEYS[0]
    return bool(keys & {"cong", "nhan"}) and keys <= ROW_KEYS[1]


FIRST_LEVELS = {"I.": 1, "1.": 2, "a)": 3}
POINT_LEVEL = 3
"""Level of the điểm a), b) …: the Vietnamese alphabet gives them 23 letters (to y)."""


def _point_rules(blocks: Any, path: Path_, level: int) -> _Found:
    """Sections numbered a), b) … cannot outnumber the 23 letters of the decree's alphabet,
    nor those numbered I., II. … the numerals up to MMMCMXCIX (3999)."""
    number = 0
    for index, block in enumerate(_list(blocks)):
        if (
            isinstance(block, dict)
            and ("tieu_de" in block or "noi_dung" in block)
            and _KIND_SET.isdisjoint(block)
        ):
            number += 1
            # Only an automatic label needs a letter or a numeral; one with its own so_muc does not.
            if level == POINT_LEVEL and number > len(LETTERS) and not block.get("so_muc"):
                yield (*path, index), "too_many_points", {"count": len(LETTERS)}
                return
            if level == 1 and number > ROMAN_MAX and not block.get("so_muc"):
                yield (*path, index), "roman_limit", tables.roman_limit(number)
                return
            yield from _point_rules(block.get("noi_dung"), (*path, index, "noi_dung"), level + 1)


def _table_rules(
    table: dict[str, Any],
    path: Path_,
    models: tables.Models,
    advice: list[tuple[Path_, str, dict[str, Any]]] | None = None,
) -> _Found:
    headed = [key for key in ("cot", "tieu_de_cot") if table.get(key)]
    if len(headed) != 1:
        yield path, "table_header_choice", {"given": ", ".join(headed) or "—"}
        return
    cells_ok = True  # a merged cell's spans must be numbers before the grid is laid
    yield from _misplaced_cells(table, path)
    for index, row in enumerate(_list(table.get("dong"))):
        row_path = (*path, "dong", index)
        if isinstance(row, list):
            for column, cell in enumerate(row):
                if type(cell) is str or type(cell) is int:  # most cells: nothing to check
                    continue
                if isinstance(cell, (dict, list)):
                    bad_cells = list(_cell_rules(cell, (*row_path, column)))
                    cells_ok = cells_ok and not bad_cells
                    yield from bad_cells
                elif isinstance(cell, bool) or not isinstance(cell, CELL_TYPES):
                    yield (
                        (*row_path, column),
                        "wrong_type",
                        {"expected": ("string", "number", "date"), "got": value_type(cell)},
                    )
        elif isinstance(row, dict) and "chu" in row:
            yield row_path, "table_cell_as_row", {"text": _cell_text(row.get("chu"))}
        elif isinstance(row, dict) and not _row_kind_ok(row):
            yield row_path, "table_row_kind", {"given": ", ".join(row) or "—"}
    header = table.get(headed[0])
    rows_ok = all(isinstance(row, (list, dict)) for row in _list(table.get("dong")))
    header_ok = isinstance(header, list) and (
        headed[0] == "cot" or all(isinstance(level, list) for level in header)
    )
    if not (rows_ok and header_ok and cells_ok):
        return  # Cerberus names the misshapen part; counting a text's letters as cells misleads
    try:
        model = tables.build(table)
    except (TypeError, ValueError, KeyError):  # shapes Cerberus already reported
        return
    models.add(table, model)
    for problem in model.problems:
        where = problem.where
        if isinstance(where, int):
            at: Path_ = (*path, "dong", where)
        elif isinstance(where, str):  # tong_cong, trung_binh: the table's own key
            at = (*path, where)
        elif problem.code == "sequence_length":
            at = (*path, "so_cot")
        elif problem.code.startswith("table_formula"):
            at = (*path, "cong_thuc")
        else:
            at = (*path, "tieu_de_cot")
        if problem.cell is not None and isinstance(where, int):
            at = (*at, problem.cell)
        if problem.key is not None and _has_key(table, at[len(path) :], problem.key):
            at = (*at, problem.key)
        yield at, problem.code, problem.params
    if advice is not None:
        advice += [
            (
                (*path, "dong", found.where, *([] if found.cell is None else [found.cell])),
                found.code,
                found.params,
            )
            for found in model.warnings
            if isinstance(found.where, int)
        ]
    columns = model.columns
    for key in ("can_le", "do_rong", "so_le"):
        values = table.get(key)
        if isinstance(values, list) and len(values) != columns:
            yield (*path, key), "sequence_length", {"got": len(values), "expected": columns}


CELL_KEYS = tables.CELL_KEYS


def _cell_text(value: Any) -> str:
    return tables.paragraphs(value).replace("\n", " ") if value is not None else "—"


def _cell_rules(cell: dict[str, Any] | list[Any], path: Path_) -> _Found:
    """A body cell that is not a plain value: paragraphs (a list) or a merged cell (a mapping)."""
    if isinstance(cell, list):
        yield from _paragraph_rules(cell, path)
        return
    for key in cell:
        if key not in CELL_KEYS:
            close = difflib.get_close_matches(str(key), CELL_KEYS, n=1, cutoff=0.6)
            hint: Any = {"suggestion": close[0]} if close else ""
            params = {"key": key, "keys": ", ".join(CELL_KEYS), "hint": hint}
            yield (*path, key), "table_cell_key", params
    text = cell.get("chu")
    if "chu" not in cell:
        yield path, "table_cell_no_text", {"given": ", ".join(map(str, cell)) or "—"}
    elif isinstance(text, list):
        yield from _paragraph_rules(text, (*path, "chu"))
    elif isinstance(text, bool) or not isinstance(text, CELL_TYPES):
        yield (
            (*path, "chu"),
            "wrong_type",
            {"expected": ("string", "number", "date"), "got": value_type(text)},
        )
    for key in ("ngang", "doc"):
        count = cell.get(key, 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            yield (*path, key), "table_cell_span", {"key": key, "value": str(count)}


EXPLAINING = ("table_cell_place", "table_cell_as_row")
"""Issues that say what a misplaced merged cell is: the schema's own words about the same
value (a type, its keys unknown there) would only repeat them less clearly."""


def _explained(issues: list[Issue]) -> list[Issue]:
    """Drop the issues at or under a value an ``EXPLAINING`` issue already explains."""
    explained = {issue.path for issue in issues if issue.code in EXPLAINING}
    return [
        issue
        for issue in issues
        if issue.code in EXPLAINING
        or not any(issue.path[: len(path)] == path for path in explained)
    ]


def _misplaced_cells(table: dict[str, Any], path: Path_) -> _Found:
    """``{chu, ngang}`` in ``cot`` or ``tong_cong``: say where a merged cell belongs."""
    for key in ("cot", "tong_cong"):
        for index, cell in enumerate(_list(table.get(key))):
            if isinstance(cell, dict) and "chu" in cell:
                yield (*path, key, index), "table_cell_place", {"key": key}


def _paragraph_rules(lines: list[Any], path: Path_) -> _Found:
    if not lines:
        yield path, "table_cell_paragraphs", {}
    for index, line in enumerate(lines):
        if not isinstance(line, str):
            yield (*path, index), "wrong_type", {"expected": ("string",), "got": value_type(line)}


def _has_key(table: dict[str, Any], path: Path_, key: str) -> bool:
    """Whether the mapping at ``path`` inside ``table`` holds ``key`` (a message then points at it)."""
    node: Any = table
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, dict) and key in node


PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg")


def _picture_rules(blocks: Sequence[tuple[Path_, dict[str, Any]]], base_dir: Path | None) -> _Found:
    """Pictures are found relative to the YAML file, and are PNG or JPEG.

    Without a folder to read from (``base_dir`` None: a report sent to the
    service) no picture is read at all: a path would name the server's files.
    ``blocks``: every block of the body and the appendices (``_Built.blocks``).
    """
    for at, block in blocks:
        picture = block.get("hinh")
        if not isinstance(picture, dict):
            continue
        path: Path_ = (*at, "hinh")
        name = picture.get("tep")
        if not isinstance(name, str):
            continue
        if base_dir is None:
            yield (*path, "tep"), "picture_not_served", {"file": name}
        elif not name.lower().endswith(PICTURE_SUFFIXES):
            yield (*path, "tep"), "picture_type", {"file": name}
        elif not (base_dir / name).is_file():
            yield (*path, "tep"), "picture_missing", {"file": name, "folder": str(base_dir)}
        elif not _looks_like_picture(base_dir / name):
            yield (*path, "tep"), "picture_not_image", {"file": name}
        else:
            size = picture_size(base_dir / name)
            if size is not None and 0 in size:
                yield (
                    (*path, "tep"),
                    "picture_no_size",
                    {"file": name, "size": "{} × {}".format(*size)},
                )


PICTURE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
"""The first bytes of every PNG and JPEG file."""


def _looks_like_picture(path: Path) -> bool:
    """Check the file's first bytes, so a renamed or damaged file is caught before rendering."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError:
        return False
    return head.startswith(PICTURE_SIGNATURES)


JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (SOF0–SOF15 but DHT, JPG, DAC): the segment that gives the size."""


def picture_size(path: Path) -> tuple[int, int] | None:
    """Return the width and height in pixels a PNG or JPEG header states, None if unread.

    A header can say 0: the picture has no size to scale, and rendering it
    divided by zero. Only the header is read (a JPEG's segments are skipped
    by their lengths); a file damaged further on is left to the renderer.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(24)
            if head.startswith(PICTURE_SIGNATURES[0]):
                if head[12:16] != b"IHDR":
                    return None
                width, height = struct.unpack(">II", head[16:24])
                return width, height
            stream.seek(2)
            for _ in range(1000):  # a real JPEG has a few dozen segments before its frame
                marker = stream.read(2)
                if len(marker) < 2 or marker[0] != 0xFF:
                    return None
                if marker[1] == 0xFF:  # a fill byte before the marker
                    stream.seek(-1, 1)
                    continue
                if marker[1] == 0x01 or 0xD0 <= marker[1] <= 0xD7:
                    continue  # markers without a segment
                segment = stream.read(7 if marker[1] in JPEG_FRAMES else 2)
                if marker[1] in JPEG_FRAMES:
                    if len(segment) < 7:
                        return None
                    height, width = struct.unpack(">HH", segment[3:7])
                    return width, height
                if len(segment) < 2 or marker[1] in (0xD9, 0xDA):
                    return None  # end of image or start of scan, and no frame yet
                stream.seek(struct.unpack(">H", segment)[0] - 2, 1)
    except OSError:
        return None
    return None


def _footnote_rules(
    data: dict[str, Any], numbers: dict[str, int], texts: Sequence[tuple[Path_, str]]
) -> _Found:
    """Each note cited once and defined; ``numbers`` gets each one's, in order of citation.

    ``texts`` is ``markup.marked_texts(data)``, walked once per validation.
    """
    notes = data.get("chu_thich")
    defined = notes if isinstance(notes, dict) else {}
    cited: set[str] = set()
    for path, text in texts:
        if "[^" not in text:  # no mark (``markup.FOOTNOTE_MARK`` opens with it): most texts
            continue
        for key in markup.footnote_keys(text):
            if key in cited:
                yield path, "footnote_twice", {"key": key}
            elif key not in defined:
                yield path, "footnote_unknown", {"key": key}
            else:
                numbers[key] = len(numbers) + 1
            cited.add(key)
    for path, text in markup.texts_outside_body(data):
        for key in markup.footnote_keys(text):
            cited.add(key)
            yield path, "footnote_not_here", {"key": key}
    for key in defined:
        if key not in cited:
            yield ("chu_thich", key), "footnote_unused", {"key": key}


def _signer_rules(signer: Any, path: Path_) -> _Found:
    if not isinstance(signer, dict):
        return
    authorities = _as_list(signer.get("quyen_han"))
    acting_for = _as_list(signer.get("thay_cho"))
    if len(authorities) > SIGNER_LEVELS:
        yield (*path, "quyen_han"), "too_long", {"max": SIGNER_LEVELS}
        return
    if any(a not in (*AUTHORITIES_FOR, ACTING) for a in authorities):
        return  # the schema names the unknown one ("KT" for "KT."); thay_cho follows from it
    needing = [a for a in authorities if a in AUTHORITIES_FOR]
    if needing and not acting_for:
        yield path, "required", {"field": "thay_cho"}
    elif acting_for and not needing:
        yield (*path, "thay_cho"), "thay_cho_unused", {}
    elif len(acting_for) != len(needing):
        yield (
            (*path, "thay_cho"),
            "signer_levels",
            {"got": len(acting_for), "expected": len(needing)},
        )


SIGNER_LEVELS = nd30.SIGNER_LEVELS


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
