"""`baocao.check.reading`: what the checker recognised, as a frozen description.

The rules judge only this description (and the document's lines), so it must
name the decree's elements of a rendered report and of a công văn, and it
cannot be changed by a rule.
"""

from __future__ import annotations

import dataclasses

import pytest

import baocao
from baocao.check.reading import Found, _kind, _kinds, _Layout
from baocao.docx.read import Docx
from tests.test_check import REPORT, render_as


def recognise(data: bytes, template: str | None = None) -> Found:
    kind = _kind(template) if template is not None else None
    return _Layout(Docx.open(data, "<docx>"), kind, _kinds()).found


def test_a_report_is_recognised_element_by_element() -> None:
    found = recognise(baocao.render(baocao.validate(baocao.load(REPORT))))
    assert found.kind is not None and found.kind.template == "bao-cao"
    assert found.forced is False
    shown = {
        name: seg.shown
        for name in ("qh", "tn", "title", "so", "date", "noi_nhan")
        if (seg := getattr(found, name)) is not None
    }
    assert shown == {
        "qh": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "tn": "Độc lập - Tự do - Hạnh phúc",
        "title": "BÁO CÁO",
        "so": "Số: 12/BC-STTTT",
        "date": "Quảng Nam, ngày 12 tháng 11 năm 2021",
        "noi_nhan": "Nơi nhận:",
    }
    assert [seg.shown for seg in found.summary] == ["Kết quả công tác năm 2021"]
    assert found.letter_lines == () and found.type_line is None
    assert found.header_floor < found.body_start < found.body_end


def test_a_cong_van_is_recognised_by_its_v_v_line() -> None:
    found = recognise(render_as("cong-van"))
    assert found.kind is not None and found.kind.letter
    assert found.title is None and found.summary == ()
    assert found.letter_lines[0].shown.startswith("V/v")


def test_the_description_is_frozen() -> None:
    found = recognise(baocao.render(baocao.validate(baocao.load(REPORT))), "bao-cao")
    assert found.forced is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.title = None  # type: ignore[misc]
