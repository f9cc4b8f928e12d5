"""The decree as data: one value changed in baocao/nd30.py moves the template, the output
and the checker together.

Each case copies the package, the generator and the templates to a folder, changes one
line of the copy's nd30.py, regenerates the templates with the copy's generator, renders
an example and checks documents with the copy's checker, all in a real process that
imports the copy. The original package, in this process, is the reference.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import baocao
from baocao import check, measure, nd30, vietnamese
from baocao.bundle import find as find_template
from tests.conftest import EXAMPLES, MINIMAL, ROOT, render_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLE = EXAMPLES / "005-ke-hoach-chuyen-doi-so-2025.yaml"

SCRIPT = """
import json, sys
from pathlib import Path
import baocao
from baocao import check
assert Path(baocao.__file__).resolve().is_relative_to(Path.cwd().resolve()), baocao.__file__
source, out, *others = sys.argv[1:]
baocao.write(baocao.render(baocao.validate(baocao.load(source))), out)
verdicts = {}
for name in [out, *others]:
    verdicts[name] = {r.rule: r.passed for r in check.check(Path(name)).results}
print(json.dumps(verdicts))
"""


def _copy(tmp: Path, old: str, new: str) -> Path:
    """The package, generator and templates in ``tmp/copy``, with one line of nd30.py changed."""
    copy = tmp / "copy"
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("baocao", "tools", "templates"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    data = copy / "baocao" / "nd30.py"
    text = data.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    data.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def _run(copy: Path, *args: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": str(copy),
        "HOME": str(copy / "home"),
        "BAOCAO_NO_CACHE": "1",
    }
    done = subprocess.run(
        [sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _part(docx: Path | bytes, name: str) -> etree._Element:
    source = docx if isinstance(docx, Path) else io.BytesIO(docx)
    with zipfile.ZipFile(source) as archive:
        return etree.fromstring(archive.read(name))


def _style_size(docx: Path, style_id: str) -> int:
    styles = _part(docx, "word/styles.xml")
    (size,) = styles.xpath(
        f"w:style[@w:styleId='{style_id}']/w:rPr/w:sz/@w:val", namespaces={"w": W[1:-1]}
    )
    return int(size)


def _left_margin(docx: Path) -> int:
    document = _part(docx, "word/document.xml")
    margin = document.find(f"{W}body/{W}sectPr/{W}pgMar")
    assert margin is not None
    return int(margin.get(f"{W}left", ""))


def _both_ways(
    tmp_path: Path, old: str, new: str, rule: str, *, still_in_range: bool = False
) -> tuple[Path, Path, Path]:
    """Changed template, changed output, original output; the checkers' verdicts on ``rule``.

    ``still_in_range``: the new value is inside today's range, so today's checker
    accepts the changed output too.
    """
    original = tmp_path / "original.docx"
    baocao.write(baocao.render(baocao.validate(baocao.load(EXAMPLE))), original)
    copy = _copy(tmp_path, old, new)
    _run(copy, "tools/make_templates.py")
    changed = tmp_path / "changed.docx"
    verdicts = json.loads(_run(copy, "-c", SCRIPT, str(EXAMPLE), str(changed), str(original)))
    # The copy's checker expects the changed value: its own output passes, today's fails.
    assert verdicts[str(changed)][rule] is True
    assert verdicts[str(original)][rule] is False
    # And today's checker the other way round.
    assert {r.rule: r.passed for r in check.check(original).results}[rule] is True
    assert {r.rule: r.passed for r in check.check(changed).results}[rule] is still_in_range
    return copy / "templates" / "ke-hoach" / "template.docx", changed, original


def test_one_size_changes_template_output_and_checker(tmp_path: Path) -> None:
    label = nd30.NOI_NHAN_LABEL
    assert label.size == nd30.exact(12)
    template, changed, original = _both_ways(
        tmp_path,
        'NOI_NHAN_LABEL = Role("BCNoiNhanNhan", exact(12)',
        'NOI_NHAN_LABEL = Role("BCNoiNhanNhan", exact(13)',
        "noi_nhan",
    )
    assert _style_size(template, label.style) == 26  # half-points
    assert _style_size(changed, label.style) == 26
    assert _style_size(original, label.style) == 24
    # Nothing else moved: every other style keeps its size.
    for role in nd30.ROLES:
        if role.size and role is not label:
            assert _style_size(changed, role.style) == _style_size(original, role.style)


def test_one_margin_changes_template_output_and_checker(tmp_path: Path) -> None:
    assert nd30.MARGINS.left == nd30.Range(30, 35, 30)
    template, changed, original = _both_ways(
        tmp_path,
        "left=Range(30, 35, 30)",
        "left=Range(32, 35, 32)",
        "trang",
        still_in_range=True,
    )
    assert _left_margin(template) == measure.mm(32)
    assert _left_margin(changed) == measure.mm(32)
    assert _left_margin(original) == measure.mm(30)


@pytest.mark.parametrize("role", nd30.ROLES, ids=lambda role: role.style)
def test_every_role_is_a_template_style_with_its_default_size(role: nd30.Role) -> None:
    styles = _part(ROOT / "templates" / "bao-cao" / "template.docx", "word/styles.xml")
    (style,) = styles.findall(f"{W}style[@{W}styleId='{role.style}']")
    size = style.find(f"{W}rPr/{W}sz")
    if role is nd30.BODY:  # the body's size is the document default every style starts from
        size = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    if role.size is None:  # follows the body's size through "basedOn"
        assert size is None
        return
    assert size is not None and int(size.get(f"{W}val", "")) == 2 * role.size.default
    assert role.size.low <= role.size.default <= role.size.high
    rpr = style.find(f"{W}rPr") if role is not nd30.BODY else etree.Element(f"{W}rPr")
    assert rpr is not None
    assert (rpr.find(f"{W}b") is not None) == role.bold
    assert (rpr.find(f"{W}i") is not None) == role.italic
    assert (rpr.find(f"{W}caps") is not None) == role.caps


def test_a_default_outside_its_range_is_refused() -> None:
    with pytest.raises(ValueError, match="outside 20–25"):
        nd30.Range(20, 25, 26)


def test_numbers_and_dates_are_padded_as_the_decree_writes_them() -> None:
    # "Hà Nội, ngày 05 tháng 01 năm 2020"; "ngày 29 tháng 6 năm 2019"; "Số: 05/BNV-VP".
    assert [nd30.day_text(d) for d in (5, 29)] == ["05", "29"]
    assert [nd30.month_text(m) for m in (1, 2, 3, 6, 12)] == ["01", "02", "3", "6", "12"]
    assert [nd30.number_text(n) for n in (5, 12, 442)] == ["05", "12", "442"]
    # The date phrase and the Số line are made with them.
    assert vietnamese.document_number(5, "BNV-VP") == "Số: 05/BNV-VP"
    assert vietnamese.LETTERS is nd30.POINT_LETTERS


def test_the_schemas_ranges_come_from_the_decree_data(tmp_path: Path) -> None:
    # schema.yaml names the range (nd30_range: MARGINS.left); the bundle writes its numbers in.
    tb = find_template("bao-cao").schema["trinh_bay"]["schema"]
    assert tb["le_trang"]["schema"]["trai"]["min"] == nd30.MARGINS.left.low
    assert tb["co_chu"]["allowed"] == list(range(nd30.BODY_SIZE.low, nd30.BODY_SIZE.high + 1))
    assert tb["co_chu_quoc_hieu"]["allowed"] == [12, 13]
    copy = _copy(tmp_path, "left=Range(30, 35, 30)", "left=Range(32, 35, 32)")
    report = (ROOT / "examples" / "000-pci-quang-nam-2021.yaml").read_text(encoding="utf-8")
    (copy / "bc.yaml").write_text(report + "trinh_bay: {le_trang: {trai: 31}}\n", encoding="utf-8")
    check = (
        "import baocao\n"
        "try:\n"
        "    baocao.validate(baocao.load('bc.yaml'))\n"
        "    print('valid')\n"
        "except baocao.ValidationFailed as failed:\n"
        "    print(*[(i.code, i.path[-1], i.params.get('min')) for i in failed.issues])\n"
    )
    assert _run(copy, "-c", check).split() == ["('below_min',", "'trai',", "32)"]
    assert _run(ROOT, "-c", check.replace("bc.yaml", str(copy / "bc.yaml"))).split() == ["valid"]


def test_the_signing_authorities_come_from_the_decree_data() -> None:
    """quyen_han's allowed values are nd30.AUTHORITIES, written into the schema by the bundle."""
    signer = find_template("bao-cao").definitions["nguoi_ky"]["quyen_han"]
    assert signer["allowed"] == list(nd30.AUTHORITIES)
    assert signer["schema"]["allowed"] == list(nd30.AUTHORITIES)
    assert (*nd30.SIGNING_FOR, nd30.ACTING) == nd30.AUTHORITIES
    acting = MINIMAL.replace("{chuc_vu: GIÁM ĐỐC", "{quyen_han: Q., chuc_vu: GIÁM ĐỐC")
    assert acting != MINIMAL
    assert "Q. GIÁM ĐỐC" in render_text(acting).text
    with pytest.raises(baocao.ValidationFailed) as failed:
        baocao.validate(baocao.load(acting.replace("quyen_han: Q.", "quyen_han: Q")))
    assert [issue.path[-1] for issue in failed.value.issues] == ["quyen_han"]
