"""Many reports at once: folders, parallel processes, one error never stops the others."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

import baocao
from baocao.cli import make_cli
from baocao.errors import InputError, Issue, Location, OutputError, ValidationFailed
from baocao.messages import describe_error
from tests.conftest import MINIMAL
from tests.docx_facts import Docx


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "bao-cao"
    reports.mkdir()
    for unit in ("so-a", "so-b", "so-c"):
        (reports / f"{unit}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung của {unit}."), encoding="utf-8"
        )
    (reports / "so-d.yaml").write_text(MINIMAL.replace("trich_yeu:", "trich_yu:"), encoding="utf-8")
    (reports / "ghi-chu.txt").write_text("không phải báo cáo")
    return reports


def test_a_folder_renders_every_report_and_reports_the_bad_one(folder: Path) -> None:
    result = CliRunner().invoke(make_cli("vi"), ["render", str(folder)])
    assert result.exit_code == 4
    lines = result.output.splitlines()
    assert lines[-1] == "Đã tạo 3/4 tệp .docx; 1 tệp có lỗi."
    assert f"{folder / 'so-d.yaml'}:1:1: thiếu trường bắt buộc “trich_yeu”" in lines
    assert sorted(p.name for p in folder.glob("*.docx")) == ["so-a.docx", "so-b.docx", "so-c.docx"]
    assert "Nội dung của so-b./." in Docx((folder / "so-b.docx").read_bytes()).text


def test_parallel_jobs_give_the_same_documents(folder: Path) -> None:
    (folder / "so-d.yaml").unlink()
    result = CliRunner().invoke(
        make_cli("en"), ["--lang", "en", "render", str(folder), "--jobs", "2"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Wrote 3/3 .docx files; 0 with errors."
    for unit in ("so-a", "so-b", "so-c"):
        assert f"Nội dung của {unit}./." in Docx((folder / f"{unit}.docx").read_bytes()).text


def test_output_name_is_refused_for_many_reports(folder: Path) -> None:
    result = CliRunner().invoke(make_cli("vi"), ["render", str(folder), "-o", "x.docx"])
    assert result.exit_code == 2
    assert "bỏ tùy chọn -o" in result.output
    assert not list(folder.glob("*.docx"))


def test_build_many_returns_outcomes_in_order(folder: Path) -> None:
    heard: list[baocao.Outcome] = []
    outcomes = baocao.build_many([folder], on_done=heard.append)
    assert [o.input.name for o in outcomes] == ["so-a.yaml", "so-b.yaml", "so-c.yaml", "so-d.yaml"]
    assert heard == outcomes
    assert [o.output is not None for o in outcomes] == [True, True, True, False]
    assert isinstance(outcomes[-1].error, ValidationFailed)


def test_errors_cross_process_boundaries() -> None:
    for error in (
        InputError("file_not_found", Location("a.yaml")),
        OutputError("output_exists", path="x.docx"),
        ValidationFailed([Issue(Location("a.yaml", 1, 1), (), "required", {"field": "trich_yeu"})]),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.exit_code == error.exit_code
        assert describe_error(copy) == describe_error(error)
