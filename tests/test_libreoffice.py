"""The rendered .docx opens in the real LibreOffice, and its pages are what the decree asks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import baocao
from tests.conftest import EXAMPLES

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (.ci/run installs it; CI never skips this)",
)


def convert(docx: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless, in a profile of its own."""
    assert SOFFICE is not None, "LibreOffice must be installed in CI"
    profile = outdir / "profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = outdir / (docx.stem + ".pdf")
    assert pdf.is_file()
    return pdf


def page_text(pdf: Path, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def seed_000_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lo")
    docx = baocao.build(EXAMPLES / "000-pci-quang-nam-2021.yaml", folder / "bao-cao-000.docx")
    return convert(docx, folder)


def test_pages_number_from_two_centred_at_the_top(seed_000_pdf: Path) -> None:
    first, second = page_text(seed_000_pdf, 1), page_text(seed_000_pdf, 2)
    assert first.lstrip().startswith("UBND TỈNH QUẢNG NAM")
    top = next(line for line in second.splitlines() if line.strip())
    assert top.strip() == "2"
    assert len(top) - len(top.lstrip()) > 20  # centred, not at the left margin
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Độc lập - Tự do - Hạnh phúc" in first


def test_last_page_has_noi_nhan_beside_the_signer(seed_000_pdf: Path) -> None:
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(seed_000_pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    last = page_text(seed_000_pdf, pages)
    row = next(line for line in last.splitlines() if "Nơi nhận:" in line)
    assert "GIÁM ĐỐC" in row  # label and the first signer line on one level
    assert "- Lưu: VT, VP (TH)." in last


def test_pdf_embeds_times_new_roman_or_its_metric_twin(seed_000_pdf: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(seed_000_pdf)], capture_output=True, text=True, check=True
    ).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert names and all(n.startswith(("TimesNewRoman", "LiberationSerif")) for n in names), names


def test_footnote_is_printed_at_the_foot_of_its_page(tmp_path: Path) -> None:
    from tests.test_footnotes import WITH_NOTES

    source = tmp_path / "chu-thich.yaml"
    source.write_text(WITH_NOTES, encoding="utf-8")
    pdf = convert(baocao.build(source), tmp_path)
    text = page_text(pdf, 1)
    body_at = text.index("Ban hành nhiều văn bản1 để chỉ đạo.")
    # The mark is raised, so pdftotext sets it on a line of its own above the text
    # (it read "1 1. Quyết định…" while it was full size; tests/test_header_signer.py).
    note_at = text.index("1\n  1. Quyết định số 165/QĐ-UBND ngày 31/01/2024")
    assert note_at > body_at
    assert "Đoạn một của chú thích." in text


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            width, _, height = line.split("size:")[1].split()[:3]
            sizes.append((float(width), float(height)))
    return sizes


def test_seed_004_appendix_pages_are_landscape_and_numbered_afresh(tmp_path: Path) -> None:
    docx = baocao.build(
        EXAMPLES / "004-cai-cach-hanh-chinh-nam-dinh-quy-1-2021.yaml", tmp_path / "bc-004.docx"
    )
    pdf = convert(docx, tmp_path)
    sizes = page_sizes(pdf)
    first_landscape = next(i for i, (w, h) in enumerate(sizes) if w > h)
    assert all(w < h for w, h in sizes[:first_landscape])  # the report itself is portrait
    assert all(w > h for w, h in sizes[first_landscape:])  # the appendix is landscape
    appendix_first = page_text(pdf, first_landscape + 1)
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in appendix_first
    assert "Lĩnh vực khác" in appendix_first  # the data rows
    # the TỔNG CỘNG row goes with the date line and signers: they never stand alone (issue 17)
    signed = next(
        page_text(pdf, n + 1)
        for n in range(len(sizes))
        if "Người lập biểu" in page_text(pdf, n + 1)
    )
    assert "TỔNG CỘNG" in signed
    assert (
        not appendix_first.strip().splitlines()[0].strip().isdigit()
    )  # no number on its first page
    if len(sizes) > first_landscape + 1:
        top = next(
            line for line in page_text(pdf, first_landscape + 2).splitlines() if line.strip()
        )
        assert top.strip() == "2"  # numbering restarted for the appendix


def test_mutated_documents_that_render_are_sound_for_libreoffice(tmp_path: Path) -> None:
    """A sample of generated documents converts to PDF: the XML is sound, not just zipped."""
    import random

    from baocao import BaocaoError
    from tests.test_robustness import EXAMPLE_TEXTS, mutate

    made: list[Path] = []
    rng = random.Random(2026)
    while len(made) < 8:
        raw = mutate(rng.choice(EXAMPLE_TEXTS), rng)
        source = tmp_path / f"m{len(made)}.yaml"
        source.write_bytes(raw)
        try:
            made.append(baocao.build(source))
        except BaocaoError:
            source.unlink()
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, made),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for docx in made:
        pdf = docx.with_suffix(".pdf")
        assert pdf.is_file(), docx.name
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page_text(pdf, 1)
