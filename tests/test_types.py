"""Kế hoạch, tờ trình, thông báo, công văn: one skeleton, each type adding only what differs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import baocao
from baocao import ValidationFailed
from baocao.bundle import available, find
from baocao.cli import make_cli
from baocao.messages import describe_issue
from tests.conftest import MINIMAL, render_text, with_changes
from tests.docx_facts import NS, Docx

LETTER = with_changes(
    trich_yeu="nâng bậc lương năm 2024",
    kinh_gui="[Sở Nội vụ, Sở Tài chính]",
    so_ky_hieu="{so: 12, ky_hieu: UBND-VX}",
)


def test_every_type_is_listed() -> None:
    assert available() == ["bao-cao", "cong-van", "ke-hoach", "quyet-dinh", "thong-bao", "to-trinh"]
    result = CliRunner().invoke(make_cli("vi"), ["templates"])
    assert [line.split()[0] for line in result.output.splitlines()] == available()


@pytest.mark.parametrize(
    ("kind", "title", "number"),
    [("ke-hoach", "KẾ HOẠCH", "Số: 05/KH-STTTT"), ("thong-bao", "THÔNG BÁO", "Số: 05/TB-STTTT")],
)
def test_types_with_a_name_share_the_report_skeleton(kind: str, title: str, number: str) -> None:
    doc = render_text(MINIMAL, kind)
    assert doc.with_style("BCTenLoai")[0].text == title
    assert doc.find("Số:").text == number
    assert [p.style for p in doc.paragraphs if p.text == "Kết quả công tác năm 2021"] == [
        "BCTrichYeu"
    ]


def test_to_trinh_needs_kinh_gui_and_keeps_the_mixed_case_ttr() -> None:
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load(MINIMAL, filename="bc.yaml"), "to-trinh")
    assert [describe_issue(i) for i in caught.value.issues] == [
        "bc.yaml:1:1: thiếu trường bắt buộc “kinh_gui”"
    ]
    doc = render_text(with_changes(kinh_gui="UBND tỉnh Quảng Nam"), "to-trinh")
    assert doc.find("Số:").text == "Số: 05/TTr-STTTT"
    assert doc.find("Kính gửi").text == "Kính gửi: UBND tỉnh Quảng Nam"
    assert doc.with_style("BCNoiNhan")[0].text == "- Như trên;"


def test_cong_van_has_v_v_under_the_number_and_no_title() -> None:
    doc = render_text(LETTER, "cong-van")
    assert doc.with_style("BCTenLoai") == [] and doc.with_style("BCTrichYeu") == []
    second_row = doc.tables()[0].findall("w:tr", NS)[1]
    left = [("".join(p.itertext())) for p in second_row.findall("w:tc", NS)[0].findall("w:p", NS)]
    assert left[:2] == ["Số: 12/UBND-VX", "V/v nâng bậc lương năm 2024"]
    v_v = doc.find("V/v nâng bậc")
    assert (v_v.size(), v_v.toggles("b"), v_v.align) == (13, {False}, "center")


def test_cong_van_trich_yeu_typed_with_v_v_is_not_doubled() -> None:
    doc = render_text(LETTER.replace("trich_yeu: nâng bậc", "trich_yeu: V/v nâng bậc"), "cong-van")
    assert doc.find("V/v").text == "V/v nâng bậc lương năm 2024"


@pytest.mark.parametrize(
    ("signer", "lines"),
    [
        (
            "{quyen_han: [TM., KT.], thay_cho: [ỦY BAN NHÂN DÂN, CHỦ TỊCH], chuc_vu: PHÓ CHỦ TỊCH}",
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        ),
        (
            "{quyen_han: [TL., KT.], thay_cho: [GIÁM ĐỐC, CHÁNH VĂN PHÒNG], chuc_vu: PHÓ CHÁNH VĂN PHÒNG}",
            ["TL. GIÁM ĐỐC", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"],
        ),
    ],
)
def test_signatures_over_three_lines(signer: str, lines: list[str]) -> None:
    doc = render_text(with_changes(nguoi_ky=signer))
    assert [p.text for p in doc.with_style("BCChucVu")] == lines


@pytest.mark.parametrize(
    ("signer", "message"),
    [
        (
            "{quyen_han: [TM., KT., TL.], thay_cho: [A, B, C], chuc_vu: X}",
            "nguoi_ky.quyen_han: tối đa 2 phần tử",
        ),
        (
            "{quyen_han: [TM., KT.], thay_cho: [A], chuc_vu: X}",
            "nguoi_ky.thay_cho: cần đúng 2 giá trị (một cho mỗi thẩm quyền TM./KT./TL./TUQ. cần ghi người được thay), ở đây có 1",
        ),
    ],
)
def test_signer_levels_are_checked(signer: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load(with_changes(nguoi_ky=signer), filename="bc.yaml"))
    assert [describe_issue(i).split(": ", 1)[1] for i in caught.value.issues] == [message]


def test_a_type_states_only_what_differs() -> None:
    """Adding a type is a folder whose schema.yaml inherits the báo cáo's (ke_thua)."""
    base, plan, letter = find("bao-cao"), find("ke-hoach"), find("cong-van")
    assert plan.schema == base.schema and plan.definitions == base.definitions
    assert letter.schema["kinh_gui"]["required"] is True
    assert not base.schema["kinh_gui"].get("required")  # the báo cáo's Kính gửi stays optional
    schema_text = (plan.folder / "schema.yaml").read_text(encoding="utf-8")
    assert "ke_thua: bao-cao" in schema_text and "truong:" not in schema_text


def test_the_appendix_reference_names_the_type() -> None:
    doc = render_text(MINIMAL + "phu_luc: [{tieu_de: A}]\n", "ke-hoach")
    assert (
        doc.with_style("BCKemTheo")[0].text
        == "(Kèm theo Kế hoạch số 05/KH-STTTT ngày 12 tháng 11 năm 2021)"
    )


def test_a_file_made_by_init_type_renders_as_that_type_without_t(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The starter says loai_van_ban, so `baocao render` needs no -t to remember."""
    monkeypatch.chdir(tmp_path)
    cli = make_cli("vi")
    assert CliRunner().invoke(cli, ["init", "--type", "ke-hoach", "kh.yaml"]).exit_code == 0
    assert "loai_van_ban: ke-hoach" in (tmp_path / "kh.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "kh.yaml"])
    assert result.exit_code == 0, result.output
    doc = Docx((tmp_path / "kh.docx").read_bytes())
    assert doc.with_style("BCTenLoai")[0].text == "KẾ HOẠCH"
    assert doc.find("Số:").text.split("/", 1)[1].startswith("KH-")


def test_a_template_that_contradicts_loai_van_ban_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kh.yaml").write_text("loai_van_ban: ke-hoach\n" + MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(make_cli("vi"), ["render", "-t", "thong-bao", "kh.yaml"])
    assert result.exit_code == 4
    assert (
        "kh.yaml:1:1: loai_van_ban: văn bản ghi loai_van_ban: ke-hoach nhưng đang dùng mẫu "
        "thong-bao; bỏ tùy chọn -t hoặc sửa loai_van_ban cho khớp"
    ) in result.output
    assert not (tmp_path / "kh.docx").exists()
    agreeing = CliRunner().invoke(make_cli("vi"), ["render", "-t", "ke-hoach", "kh.yaml"])
    assert agreeing.exit_code == 0, agreeing.output


def test_a_clerks_own_letterhead_takes_the_type_the_report_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-t mau-rieng.docx is a letterhead, not a type: a kế hoạch stays a kế hoạch (KH, its schema)."""
    from tests.test_custom_templates import LETTERHEAD, letterhead

    monkeypatch.chdir(tmp_path)
    letterhead(tmp_path / "mau-rieng.docx", LETTERHEAD)
    (tmp_path / "kh.yaml").write_text("loai_van_ban: ke-hoach\n" + MINIMAL, encoding="utf-8")
    cli = make_cli("vi")
    checked = CliRunner().invoke(cli, ["validate", "-t", "mau-rieng.docx", "kh.yaml"])
    assert checked.exit_code == 0, checked.output
    result = CliRunner().invoke(cli, ["render", "-t", "mau-rieng.docx", "kh.yaml"])
    assert result.exit_code == 0, result.output
    text = Docx((tmp_path / "kh.docx").read_bytes()).text
    assert "mẫu riêng của đơn vị" in text
    assert "KẾ HOẠCH" in text and "Số: 05/KH-STTTT" in text
    # The pairing is the kế hoạch schema's: a tờ trình's letterhead then needs kinh_gui.
    (tmp_path / "tt.yaml").write_text("loai_van_ban: to-trinh\n" + MINIMAL, encoding="utf-8")
    refused = CliRunner().invoke(cli, ["render", "-t", "mau-rieng.docx", "tt.yaml"])
    assert refused.exit_code == 4 and "kinh_gui" in refused.output, refused.output
    assert not (tmp_path / "tt.docx").exists()


@pytest.mark.parametrize(
    ("stated", "title"), [("to-trinh", None), ("thong-bao", "THÔNG BÁO"), (None, "BÁO CÁO")]
)
def test_the_python_api_follows_loai_van_ban(stated: str | None, title: str | None) -> None:
    text = MINIMAL if stated is None else f"loai_van_ban: {stated}\n" + MINIMAL
    if title is None:  # a tờ trình needs kinh_gui: the to-trinh schema was applied
        with pytest.raises(ValidationFailed) as caught:
            baocao.validate(baocao.load(text, filename="bc.yaml"))
        assert [i.code for i in caught.value.issues] == ["required"]
        return
    validated = baocao.validate(baocao.load(text, filename="bc.yaml"))
    assert validated.template.name == (stated or "bao-cao")
    doc = render_text(text)
    assert doc.with_style("BCTenLoai")[0].text == title


def test_loai_van_ban_allows_exactly_the_bundle_folders() -> None:
    """The allowed names come from the folders, so a fifth type needs no schema edit."""
    assert find("thong-bao").schema["loai_van_ban"]["allowed"] == available()
    with pytest.raises(ValidationFailed) as caught:
        baocao.validate(baocao.load("loai_van_ban: nghi-quyet\n" + MINIMAL, filename="bc.yaml"))
    assert [describe_issue(i) for i in caught.value.issues] == [
        "bc.yaml:1:1: loai_van_ban: giá trị “nghi-quyet” không hợp lệ; chọn một trong: "
        "bao-cao, cong-van, ke-hoach, quyet-dinh, thong-bao, to-trinh"
    ]
