"""The checker's results: one ``RuleResult`` per rule, gathered in a ``Report``,
and their text (Vietnamese or English) and JSON forms.

Results are data: a message code and
parameters from ``baocao.messages``, rendered in the language asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from baocao import messages

# -- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Msg:
    """A message code and its parameters, turned into text in a language on demand."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    place: Place | None = None
    """Where this one cause is, when a rule finds several in different places (a
    finding's own paragraph); None: the rule's place, or no place at all."""
    subject: str = ""
    """What the cause is about when a paragraph does not say it: a margin's side, a
    font's name, an element whose rule is missing. With ``code`` and ``place`` it
    makes the finding's stable key (``RuleResult.findings``)."""

    def render(self, lang: str) -> str:
        return messages.text(self.code, lang, **localise(self.params, lang))


def msg(code: str, **params: Any) -> Msg:
    return Msg(code, params)


def _at(message: Msg, place: Place | None = None, subject: str = "") -> Msg:
    """``message`` as one finding of its own: at ``place``, about ``subject``."""
    return replace(message, place=place, subject=subject)


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
    also: tuple[int, ...] = ()
    """Further body paragraphs where the same cause stands (a numbering habit repeated)."""

    def describe(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        if self.part == "body":
            return messages.text(
                "check_where", lang, paragraph=self.paragraph, excerpt=self.excerpt
            )
        part = messages.text(f"check_part_{self.part}", lang)
        return messages.text("check_where_part", lang, part=part, excerpt=self.excerpt)

    def short(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        """ "đoạn 12", for a finding whose own words already quote the text."""
        if self.part == "body":
            numbers = ", ".join(str(n) for n in (self.paragraph, *self.also))
            return messages.text("check_at_paragraph", lang, paragraph=numbers)
        return messages.text(f"check_part_{self.part}", lang)


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
        if self._spread():
            # causes in several places: each names its own paragraph
            problems = [
                msg("check_finding_at", finding=m, where=_where(m, m.place, lang))
                if m.place is not None
                else m
                for m in self.problems
            ]
            return msg("check_problems", problems=problems).render(lang)
        return Msg(self.code, self.params).render(lang)

    def _spread(self) -> bool:
        """The causes found stand in two or more places."""
        places = [m.place for m in self.problems if m.place is not None]
        return len(set(places)) > 1 or any(p.also for p in places)

    def message(self, lang: str = messages.DEFAULT_LANGUAGE) -> str:
        """One line for a clerk: ✓/✗, the rule's name, what was seen, and where."""
        mark = "✓" if self.passed else "✗"
        title = messages.text(f"check_rule_{self.rule}", lang)
        line = f"{mark} {title}: {self.detail(lang)}"
        if not self.passed and not self._spread():
            # the causes' one place when they name it, else the rule's
            own = {m.place for m in self.problems if m.place is not None}
            place = own.pop() if len(own) == 1 else self.place
            if place is not None:
                line += f" ({place.describe(lang)})"
        return line

    @property
    def problems(self) -> tuple[Msg, ...]:
        """Each cause the rule found wrong (none when it passed)."""
        if self.passed:
            return ()
        found = self.params.get("problems") if self.code == "check_problems" else None
        if isinstance(found, list):
            return tuple(m for m in found if isinstance(m, Msg))
        return (Msg(self.code, self.params),)

    def findings(self, lang: str = messages.DEFAULT_LANGUAGE) -> list[dict[str, Any]]:
        """One entry per cause, with a key that stays the same while the file does:
        the message code, the paragraph (or part) it names and its subject. A cause
        with neither place nor subject is at the rule's place."""
        problems = self.problems
        out: list[dict[str, Any]] = []
        for message in problems:
            place = message.place
            if place is None and not message.subject:
                place = self.place
            out.append(
                {
                    "code": message.code,
                    "paragraph": place.paragraph if place is not None else None,
                    "part": place.part if place is not None else None,
                    "paragraphs": [place.paragraph, *place.also] if place is not None else [],
                    "subject": message.subject or None,
                    "message": message.render(lang),
                }
            )
        return out

    def as_dict(self, lang: str = messages.DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "passed": self.passed,
            "seen": self.seen,
            "where": self.place.describe(lang) if self.place is not None else None,
            "paragraph": self.place.paragraph if self.place is not None else None,
            "code": self.code,
            "message": self.message(lang),
            "findings": self.findings(lang),
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


def _where(message: Msg, place: Place, lang: str) -> str:
    """A finding's own place: "đoạn 12" where its words quote the text already (a
    formatting finding) or it stands in several paragraphs, else with the excerpt."""
    if "text" in message.params or place.also:
        return place.short(lang)
    return place.describe(lang)


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
