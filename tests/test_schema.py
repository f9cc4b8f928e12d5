"""One schema interpreter (issue 16, item 6): schema.yaml is read once into a typed tree.

Cerberus's schema, the keys "có phải ý bạn là" offers and the fast proof of
validity are all made from ``Template.tree``; these tests hold each of them
to what Cerberus itself accepts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import pytest

import baocao
from baocao import markup
from baocao.bundle import available, find
from baocao.errors import ValidationFailed
from baocao.schema import Fields, is_rules, parse

Where = tuple[str | int, ...]


def cerberus_locations(name: str) -> dict[Where, set[str]]:
    """Every place in a report where Cerberus takes keys, and the keys it takes there.

    Read from Cerberus's own validator (its schema and registry, as it parsed
    them), not from our tree. A list's items are at 0; a definition already
    on the path is not entered again (a section in a section).
    """
    from baocao.validation import _cerberus

    validator = _cerberus(find(name))
    registry = validator.schema_registry
    found: dict[Where, set[str]] = {}

    def mapping(keys: Mapping[str, Any], where: Where, seen: frozenset[str]) -> None:
        found[where] = set(keys)
        for key, rules in keys.items():
            field(rules, (*where, key), seen)

    def field(rules: Mapping[str, Any], where: Where, seen: frozenset[str]) -> None:
        schema = rules.get("schema")
        kinds = rules.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if isinstance(schema, str):
            if schema not in seen:
                mapping(registry.get(schema), where, seen | {schema})
        elif isinstance(schema, Mapping) and "list" in kinds and is_rules(schema):
            field(schema, (*where, 0), seen)
        elif isinstance(schema, Mapping) and "dict" in kinds:
            mapping(schema, where, seen)

    mapping(validator.schema, (), frozenset())
    return found


@pytest.mark.parametrize("name", available())
def test_the_tree_gives_back_the_schema_cerberus_was_given(name: str) -> None:
    template = find(name)
    rules, definitions = template.tree.cerberus()
    assert rules == template.schema
    assert definitions == template.definitions
    assert template.tree.definitions["khoi"] is template.tree.mapping(("noi_dung", 0))


@pytest.mark.parametrize("name", available())
def test_known_keys_are_the_keys_cerberus_accepts_everywhere(name: str) -> None:
    template = find(name)
    locations = cerberus_locations(name)
    assert ("phu_luc", 0, "noi_dung", 0, "bang") in locations  # deep places are walked
    for where, keys in locations.items():
        assert set(template.tree.known_keys(where)) == keys, where


def test_did_you_mean_offers_a_key_of_the_place_it_is_at() -> None:
    report = baocao.load(find("cong-van").example).data
    report["phu_luc"] = [{"tieu_de": "Phụ lục", "noi_dungg": ["x"]}]
    with pytest.raises(ValidationFailed) as failed:
        baocao.validate(report, "cong-van")
    (issue,) = [i for i in failed.value.issues if i.code == "unknown_key"]
    assert issue.path == ("phu_luc", 0, "noi_dungg")
    assert issue.params["hint"] == {"suggestion": "noi_dung"}


def test_a_rule_the_tree_does_not_model_reaches_cerberus_and_stops_the_fast_path() -> None:
    """``minlength`` is not one of the tree's rules: kept as written, and the proof is unsure."""
    from baocao.validation import _checker

    base = find("bao-cao")
    schema = {**base.schema, "dia_danh": {**base.schema["dia_danh"], "minlength": 3}}
    template = replace(base, schema=schema)
    assert template.tree.cerberus()[0]["dia_danh"]["minlength"] == 3
    report = baocao.load(base.example).data
    report["dia_danh"] = "HN"
    assert not _checker(template).prover.is_valid(report)
    with pytest.raises(ValidationFailed) as failed:
        baocao.validate(report, template)
    assert [(i.path, i.code) for i in failed.value.issues] == [(("dia_danh",), "too_short")]


def test_a_changed_schema_changes_the_fast_path_too() -> None:
    """The proof reads the tree, so a rule changed in a copy of the template is heard there."""
    from baocao.validation import _checker

    base = find("bao-cao")
    report = baocao.load(base.example).data
    assert _checker(base).prover.is_valid(report)
    signer = {**base.definitions["nguoi_ky"], "chuc_vu": {"type": "string", "maxlength": 2}}
    template = replace(base, definitions={**base.definitions, "nguoi_ky": signer})
    assert not _checker(template).prover.is_valid(report)
    with pytest.raises(ValidationFailed) as failed:
        baocao.validate(report, template)
    assert ("nguoi_ky", "chuc_vu") in [i.path for i in failed.value.issues]


def test_a_broken_bundle_schema_is_refused_when_read() -> None:
    with pytest.raises(TypeError):
        parse({"dia_danh": "string"}, {})
    with pytest.raises(KeyError):
        parse({"nguoi_ky": {"type": "dict", "schema": "nguoi_kyy"}}, {})


def _mappings(fields: Fields, seen: frozenset[str] = frozenset()) -> Iterator[Fields]:
    yield fields
    for rule in fields.keys.values():
        for inner in (rule.items, rule.keysrules, rule.valuesrules):
            if inner is not None and inner.fields is not None and inner.fields.name not in seen:
                yield from _mappings(inner.fields, seen | {inner.fields.name or ""})
        if rule.fields is not None and rule.fields.name not in seen:
            yield from _mappings(rule.fields, seen | {rule.fields.name or ""})


def test_a_definition_is_one_node_however_often_it_is_named() -> None:
    tree = find("bao-cao").tree
    blocks = [m for m in _mappings(tree.root) if m.name == "khoi"]
    assert blocks and all(m is tree.definitions["khoi"] for m in blocks)


# -- validation returns what it built; the layout reuses it --------------------------------


def test_each_table_is_built_once_from_validation_to_the_docx(monkeypatch: Any) -> None:
    """A body table and a wide appendix table (whose width turns its page) are built once each.

    They were built three times: to validate, to lay out, and for the
    appendix's width. The count is of the real ``tables.build`` calls; the
    .docx is opened to see both tables and the landscape appendix.
    """
    from baocao import tables
    from tests.docx_facts import Docx

    built: list[int] = []
    real = tables.build

    def counting(spec: dict[str, Any]) -> tables.Table:
        built.append(id(spec))
        return real(spec)

    monkeypatch.setattr(tables, "build", counting)
    report = baocao.load(find("bao-cao").example).data
    body_table = {"cot": ["Chỉ tiêu", "Số"], "dong": [["Học sinh", 12]]}
    wide = {"cot": [f"Cột số {i}" for i in range(14)], "dong": [[123456] * 14]}
    report["noi_dung"] = [*report["noi_dung"], {"bang": body_table}]
    report["phu_luc"] = [{"tieu_de": "Số liệu", "noi_dung": [{"bang": wide}]}]
    validated = baocao.validate(report)
    every = [id(spec) for _, spec in markup.blocks_of(validated.data, "bang")]
    assert len(every) >= 2 and sorted(built) == sorted(every), "once each, in validation"
    document = Docx(baocao.render(validated)).zip.read("word/document.xml").decode()
    assert sorted(built) == sorted(every), "none again in the layout"
    assert "Học sinh" in document and "Cột số 13" in document
    assert 'w:orient="landscape"' in document


def test_footnotes_are_numbered_by_validation_in_order_of_citation() -> None:
    report = baocao.load(find("bao-cao").example).data
    report["chu_thich"] = {"b": "Ghi chú b.", "a": "Ghi chú a."}
    report["noi_dung"] = ["Câu một[^b].", "Câu hai[^a].", *report["noi_dung"]]
    validated = baocao.validate(report)
    assert dict(validated.footnotes) == {"b": 1, "a": 2}
    from tests.docx_facts import Docx

    notes = Docx(baocao.render(validated)).zip.read("word/footnotes.xml").decode()
    assert notes.index("Ghi chú b.") < notes.index("Ghi chú a.")
