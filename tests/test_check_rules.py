"""`baocao.check.rules`: each rule's numbers come from the decree's data (``baocao.nd30``).

A range changed in a copy of ``nd30.py`` changes that copy's checker, role by
role (the copying helpers are ``tests/test_nd30.py``'s).
"""

from __future__ import annotations

import json
from pathlib import Path

import baocao
from baocao.check import check
from tests.test_check import REPORT
from tests.test_nd30 import _copy, _run

SCRIPT = """
import json, sys
from baocao.check import check
print(json.dumps({r.rule: r.passed for r in check(sys.argv[1]).results}))
"""


def test_the_signers_name_is_checked_against_its_own_role(tmp_path: Path) -> None:
    """Họ tên is judged by ``nd30.HO_TEN``'s range, chức vụ by ``nd30.CHUC_VU``'s.

    With 13 pt taken out of HO_TEN's range in a copy, a report in 13 pt fails that
    copy's signer rule; it passed while the name was judged by chức vụ's range.
    """
    document = tmp_path / "13pt.docx"
    text = REPORT + "trinh_bay: {co_chu: 13}\n"
    baocao.write(baocao.render(baocao.validate(baocao.load(text))), document)
    assert check(document)["nguoi_ky"].passed
    copy = _copy(
        tmp_path,
        'HO_TEN = Role("BCHoTen", Range(13, 14, 14)',
        'HO_TEN = Role("BCHoTen", Range(14, 14, 14)',
    )
    verdicts = json.loads(_run(copy, "-c", SCRIPT, str(document)))
    assert verdicts["nguoi_ky"] is False
    assert [rule for rule, passed in verdicts.items() if not passed] == ["nguoi_ky"]
