"""The twenty real files of ../shared/real-docx: ``baocao check`` reports exactly the
defects a careful văn thư finds in each (recorded with their reasons in
``tests/data/real-defects.yaml``), no false verdict and none missed.

Compared as sets of keys from the structured result (``--json``'s "findings"): the
rule, the message code, the paragraph or part it points at and its subject; never
the message strings. Skipped where ../shared/real-docx is not at hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from baocao.check import RULES, check

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-docx"
REAL_FILES = sorted(REAL.glob("*.docx")) if REAL.is_dir() else []
TRUTH_FILE = Path(__file__).parent / "data" / "real-defects.yaml"
TRUTH: dict[str, dict[str, Any]] = yaml.safe_load(TRUTH_FILE.read_text(encoding="utf-8"))

needs_real = pytest.mark.skipif(not REAL_FILES, reason="../shared/real-docx is not here")

Key = tuple[str, str, int | str | None, str | None]
"""(rule, code, paragraph or part, subject)."""


def recorded(name: str) -> set[Key]:
    return {
        (d["rule"], d["code"], d.get("at"), None if d.get("subject") is None else str(d["subject"]))
        for d in TRUTH[name]["defects"]
    }


def reported(path: Path) -> set[Key]:
    """What ``baocao check --json`` says, as keys: through JSON, as a tool would read it."""
    found = json.loads(json.dumps(check(path).as_dict()))
    keys: set[Key] = set()
    for result in found["rules"]:
        for finding in result["findings"]:
            part = finding["part"]
            at = finding["paragraph"] if part == "body" else part
            keys.add((result["rule"], finding["code"], at, finding["subject"]))
    return keys


def test_every_recorded_defect_says_why() -> None:
    assert len(TRUTH) == 20
    for name, entry in TRUTH.items():
        for defect in entry["defects"]:
            assert defect["rule"] in RULES, (name, defect)
            assert defect["code"].startswith("check_"), (name, defect)
            assert "PL I" in defect["reason"] or "nd30" in defect["reason"], (name, defect)


@needs_real
def test_every_real_file_has_its_record() -> None:
    assert sorted(TRUTH) == [path.name for path in REAL_FILES]


@needs_real
@pytest.mark.parametrize("name", sorted(TRUTH))
def test_check_reports_exactly_the_true_defects(name: str) -> None:
    found = reported(REAL / name)
    expected = recorded(name)
    assert found == expected, (
        f"false findings: {sorted(found - expected, key=str)}; "
        f"missed: {sorted(expected - found, key=str)}"
    )
