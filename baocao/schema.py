"""A bundle's schema read once: a typed tree, and everything derived from it.

``schema.yaml`` (merged over the bundle it inherits, ``ke_thua``) is parsed
here into ``Rule`` and ``Fields`` nodes. From that one tree come the Cerberus
schema (Cerberus validates), the keys "có phải ý bạn là" offers, the
service's JSON Schema and validation's fast proof (``validation._Prover``),
so a rule written in schema.yaml reaches all four or none of them.

A named definition (``schema: khoi``) is one ``Fields`` node shared by every
rule that names it, so the tree may contain itself (a section in a section)
and is walked, never printed whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from baocao.records import record

MODELLED = (
    "type",
    "required",
    "nullable",
    "empty",
    "allowed",
    "min",
    "max",
    "maxlength",
    "regex",
    "keysrules",
    "valuesrules",
    "schema",
)
"""The Cerberus rules the tree knows; any other is kept as written, for Cerberus alone."""


@record(eq=False)
class Fields:
    """A mapping's keys and their rules; ``name`` is set for a definition (``dinh_nghia``)."""

    name: str | None
    keys: dict[str, Rule] = field(default_factory=dict, repr=False)


@record(eq=False)
class Rule:
    """One key's rules. None is "not stated", which Cerberus reads differently from False."""

    types: tuple[str, ...] | None = None
    many_types: bool = False  # written as a list (``type: [string, list]``)
    required: bool | None = None
    nullable: bool | None = None
    empty: bool | None = None
    allowed: tuple[Any, ...] | None = None
    minimum: Any = None
    maximum: Any = None
    maxlength: int | None = None
    regex: str | None = None
    keysrules: Rule | None = None
    valuesrules: Rule | None = None
    items: Rule | None = None
    """``schema`` given as rules: what each item of a list must be."""
    fields: Fields | None = None
    """``schema`` given as keys, or a definition's name: what a mapping may hold."""
    other: tuple[tuple[str, Any], ...] = ()
    """Rules the tree does not model, passed on to Cerberus as written."""


@record(eq=False)
class Tree:
    """A document type's schema: its top-level keys and its named definitions."""

    root: Fields
    definitions: dict[str, Fields]

    def mapping(self, path: tuple[str | int, ...]) -> Fields | None:
        """The keys allowed at ``path`` in a report (a list's items are any int)."""
        rule: Rule | None = Rule(types=("dict",), fields=self.root)
        for part in path:
            if rule is None:
                return None
            if isinstance(part, int):
                rule = rule.items
            else:
                rule = rule.fields.keys.get(part) if rule.fields is not None else None
        return rule.fields if rule is not None else None

    def known_keys(self, path: tuple[str | int, ...]) -> list[str]:
        """The keys a report may have at ``path``, for "có phải ý bạn là"."""
        found = self.mapping(path)
        return list(found.keys) if found is not None else []

    def cerberus(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """The Cerberus schema and its registry of named definitions."""
        return _fields_out(self.root), {
            name: _fields_out(fields) for name, fields in self.definitions.items()
        }


def parse(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Tree:
    """Read a schema and its definitions; a rule that is not a mapping raises ``TypeError``."""
    named = {name: Fields(name) for name in definitions}
    for name, mapping in definitions.items():
        named[name].keys.update(_fields_in(mapping, named))
    return Tree(Fields(None, _fields_in(schema, named)), named)


def _fields_in(mapping: Any, named: dict[str, Fields]) -> dict[str, Rule]:
    if not isinstance(mapping, Mapping):
        raise TypeError(f"schema: a mapping of keys expected, got {mapping!r}")
    return {key: _rule_in(rules, named) for key, rules in mapping.items()}


def is_rules(schema: Any) -> bool:
    """Whether a ``schema`` mapping gives rules (a list's items) rather than keys (a mapping's)."""
    return isinstance(schema, Mapping) and isinstance(schema.get("type"), (str, list))


def _rule_in(rules: Any, named: dict[str, Fields]) -> Rule:
    if not isinstance(rules, Mapping):
        raise TypeError(f"schema: rules expected, got {rules!r}")
    kinds = rules.get("type")
    schema = rules.get("schema")
    items = fields = None
    if isinstance(schema, str):
        if schema not in named:
            raise KeyError(schema)
        fields = named[schema]
    elif is_rules(schema):
        items = _rule_in(schema, named)
    elif schema is not None:
        fields = Fields(None, _fields_in(schema, named))
    allowed = rules.get("allowed")
    return Rule(
        types=None if kinds is None else tuple(kinds) if isinstance(kinds, list) else (kinds,),
        many_types=isinstance(kinds, list),
        required=rules.get("required"),
        nullable=rules.get("nullable"),
        empty=rules.get("empty"),
        allowed=None if allowed is None else tuple(allowed),
        minimum=rules.get("min"),
        maximum=rules.get("max"),
        maxlength=rules.get("maxlength"),
        regex=rules.get("regex"),
        keysrules=_rule_in(rules["keysrules"], named) if "keysrules" in rules else None,
        valuesrules=_rule_in(rules["valuesrules"], named) if "valuesrules" in rules else None,
        items=items,
        fields=fields,
        other=tuple((k, v) for k, v in rules.items() if k not in MODELLED),
    )


def _fields_out(fields: Fields) -> dict[str, Any]:
    return {key: _rule_out(rule) for key, rule in fields.keys.items()}


def _rule_out(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if rule.types is not None:
        out["type"] = list(rule.types) if rule.many_types else rule.types[0]
    for key, value in (
        ("required", rule.required),
        ("nullable", rule.nullable),
        ("empty", rule.empty),
        ("allowed", None if rule.allowed is None else list(rule.allowed)),
        ("min", rule.minimum),
        ("max", rule.maximum),
        ("maxlength", rule.maxlength),
        ("regex", rule.regex),
        ("keysrules", rule.keysrules and _rule_out(rule.keysrules)),
        ("valuesrules", rule.valuesrules and _rule_out(rule.valuesrules)),
    ):
        if value is not None:
            out[key] = value
    if rule.items is not None:
        out["schema"] = _rule_out(rule.items)
    elif rule.fields is not None:
        out["schema"] = rule.fields.name or _fields_out(rule.fields)
    out.update(rule.other)
    return out


# -- JSON Schema (the service's OpenAPI document) ---------------------------------------------

JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "list": {"type": "array"},
    "dict": {"type": "object"},
}


def json_object(fields: Fields, ref: Callable[[Fields], str]) -> dict[str, Any]:
    """A mapping as JSON Schema; a definition becomes ``$ref: ref(definition)``."""
    if fields.name is not None:
        return {"$ref": ref(fields)}
    return {
        "properties": {key: json_schema(rule, ref) for key, rule in fields.keys.items()},
        "required": sorted(key for key, rule in fields.keys.items() if rule.required),
        "additionalProperties": False,
    }


def json_definition(fields: Fields, ref: Callable[[Fields], str]) -> dict[str, Any]:
    """A definition's own JSON Schema (what its ``$ref`` points at)."""
    return {"type": "object", **json_object(Fields(None, fields.keys), ref)}


def json_schema(rule: Rule, ref: Callable[[Fields], str]) -> dict[str, Any]:
    """One key's rules as JSON Schema: a variant per type Cerberus accepts."""
    variants: list[dict[str, Any]] = []
    for kind in rule.types or ("string",):
        out: dict[str, Any] = dict(JSON_TYPES.get(kind, {}))
        if kind == "list" and rule.items is not None:
            out["items"] = json_schema(rule.items, ref)
        if kind == "dict" and rule.fields is not None:
            out.update(json_object(rule.fields, ref))
        if kind == "dict" and rule.valuesrules is not None:
            out["additionalProperties"] = json_schema(rule.valuesrules, ref)
        if kind == "dict" and rule.keysrules is not None and rule.keysrules.regex is not None:
            out["propertyNames"] = {"pattern": f"^(?:{rule.keysrules.regex})$"}
        if rule.allowed is not None:
            out["enum"] = list(rule.allowed)
        if rule.minimum is not None:
            out["minimum"] = rule.minimum
        if rule.maximum is not None:
            out["maximum"] = rule.maximum
        if rule.maxlength is not None and kind == "list":
            out["maxItems"] = rule.maxlength
        variants.append(out)
    if rule.nullable:
        variants.append({"type": "null"})
    return variants[0] if len(variants) == 1 else {"anyOf": variants}
