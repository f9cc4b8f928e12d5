"""The checker's results: one ``RuleResult`` per rule, gathered in a ``Report``,
and their text (Vietnamese or English) and JSON forms.

Results are data: a message code and
parameters from ``baocao.messages``, rendered in the language asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from baocao import messages

# -- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Msg:
    """A message code and its parameters, turned into text in a language on demand."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return messages.text(self.code, lang, **localise(self.params, lang))


def msg(code: str, **params: Any) -> Msg:
    return Msg(code, params)


@dataclass(frozen=True)
class Join:
    """Messages written one after the other with ``sep`` between them."""

    items: tuple[Msg, ...]
    sep: str = "; "


def _number(value: float, lang: str) -> str:
    """Write 20.0 as "20" and 1.27 as "1,27" (Vietnamese) or "1.27"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "vi" else text


def localise(params: dict[str, Any], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, Msg):
            value = value.render(lang)
        elif isinstance(value, Join):
            value = value.sep.join(item.render(lang) for item in value.items)
        elif isinstance(value, float):
            value = _number(value, lang)
        elif isinstance(value, list) and all(isinstance(item, Msg) for item in value):
            value = "; ".join(item.render(lang) for item in value)
        out[name] = value
    return out


@dataclass(frozen=True)
class Place:
    """Where a result points: a body paragraph (1-based, reading order) or another part."""

    paragraph: int
    excerpt: str
    part: str = "body"
    """"body", "header", "footer", "footnotes" or "endnotes"."""

    def describe(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        if self.part == "body":
            return messages.text(
                "check_where", lang, paragraph=self.paragraph, excerpt=self.excerpt
            )
        part = messages.text(f"check_part_{self.part}", lang)
        return messages.text("check_where_part", lang, part=part, excerpt=self.excerpt)


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule: passed or not, what was seen, where, and why.

    ``code`` and ``params`` name the explanation in ``baocao.messages``;
    ``where`` is the place in Vietnamese (``place.describe("en")`` in English).
    """

    rule: str
    passed: bool
    seen: str
    where: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    place: Place | None = None

    def detail(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        return Msg(self.code, self.params).render(lang)

    def message(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        """One line for a clerk: ✓/✗, the rule's name, what was seen, and where."""
        mark = "✓" if self.passed else "✗"
        title = messages.text(f"check_rule_{self.rule}", lang)
        line = f"{mark} {title}: {self.detail(lang)}"
        if not self.passed and self.place is not None:
            line += f" ({self.place.describe(lang)})"
        return line

    def as_dict(self, lang: str = messages.DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "passed": self.passed,
            "seen": self.seen,
            "where": self.place.describe(lang) if self.place is not None else None,
            "paragraph": self.place.paragraph if self.place is not None else None,
            "code": self.code,
            "message": self.message(lang),
        }


@dataclass(frozen=True)
class Report:
    """Every rule's result for one file, in the order of ``RULES``."""

    file: str
    results: tuple[RuleResult, ...]
    template: str | None = None
    """The document type checked for ("ke-hoach"…): given, or found; None if not found."""

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]

    def __getitem__(self, rule: str) -> RuleResult:
        for result in self.results:
            if result.rule == rule:
                return result
        raise KeyError(rule)

    def summary(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        total = len(self.results)
        if self.passed:
            return messages.text("check_summary_passed", lang, file=self.file, total=total)
        failed = len(self.failed)
        return messages.text(
            "check_summary_failed", lang, file=self.file, failed=failed, total=total
        )

    def lines(self, lang: str = messages.DEFAULT_LANGUAGE) -> list[str]:
        return [r.message(lang) for r in self.results]

    def as_dict(self, lang: str = messages.DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "file": self.file,
            "template": self.template,
            "passed": self.passed,
            "rules": [r.as_dict(lang) for r in self.results],
            "summary": self.summary(lang),
        }


def _result(
    rule: str,
    problems: list[Msg],
    ok: Msg,
    seen: str,
    place: Place | None,
) -> RuleResult:
    passed = not problems
    detail = ok if passed else msg("check_problems", problems=problems)
    return RuleResult(
        rule=rule,
        passed=passed,
        seen=seen,
        where=place.describe(messages.DEFAULT_LANGUAGE) if place is not None else None,
        code=detail.code,
        params=detail.params,
        place=place,
    )


def _missing(rule: str, code: str, **params: Any) -> RuleResult:
    return _result(rule, [msg(code, **params)], msg(code), "", None)
