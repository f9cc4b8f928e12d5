"""Shared fixtures: render YAML text or files in process and read the .docx back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import baocao
from tests.docx_facts import Docx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TEMPLATES = ROOT / "templates"
SHARED = ROOT.parent / "shared"

MINIMAL = """\
co_quan_chu_quan: UBND TỈNH QUẢNG NAM
co_quan_ban_hanh: SỞ THÔNG TIN VÀ TRUYỀN THÔNG
so_ky_hieu: {so: 5, ky_hieu: STTTT}
dia_danh: Quảng Nam
ngay_ban_hanh: 2021-11-12
trich_yeu: Kết quả công tác năm 2021
noi_dung:
  - Nội dung.
noi_nhan: [UBND tỉnh, "Lưu: VT, VP"]
nguoi_ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
"""


RENDER = [sys.executable, "-c", "from baocao.cli import main; main()", "render"]
"""`baocao render` as a shell runs it: its own process, with real signals, pipes and encodings."""


def template_of(path: Path) -> str:
    """The bundle an example is written for: its ``loai_van_ban``, else a báo cáo."""
    return str(baocao.load(path).data.get("loai_van_ban", "bao-cao"))


def render_file(path: Path) -> bytes:
    """Render an example as ``baocao render`` does: the file's loai_van_ban chooses the bundle."""
    return baocao.render(baocao.validate(baocao.load(path)))


def render_text(text: str, template: str | None = None) -> Docx:
    """Load, validate and render YAML text; return the document's facts."""
    return Docx(baocao.render(baocao.validate(baocao.load(text), template)))


def with_changes(base: str = MINIMAL, **lines: str) -> str:
    """Replace top-level keys of ``base`` with new YAML lines (key: its YAML)."""
    kept = [
        line for line in base.splitlines() if not any(line.startswith(f"{key}:") for key in lines)
    ]
    return "\n".join(kept + [f"{key}: {value}" for key, value in lines.items()]) + "\n"


@pytest.fixture(scope="session")
def minimal() -> Docx:
    return render_text(MINIMAL)


@pytest.fixture(scope="session")
def starter() -> Docx:
    """The starter file `baocao init` writes, rendered."""
    return Docx(baocao.render(baocao.validate(baocao.load(TEMPLATES / "bao-cao" / "example.yaml"))))
