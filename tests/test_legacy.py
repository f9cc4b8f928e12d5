"""Legacy encodings (baocao.legacy): TCVN3 and VNI text back to Unicode.

The expected legacy strings are built here by an encoder of the test's own,
from tables typed again by hand (as the characters Word shows, not the codes
the module's tables hold), after the TCVN 5712:1993 VN3 chart and the
VNI-Windows chart; the VNI encoder works from each letter's decomposition
rather than from a table. Every one of the 134 Vietnamese letters with
diacritics goes through both encodings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from baocao import legacy
from baocao.docx.read import NS, Docx, q
from baocao.legacy import convert_runs, encoding_of_font, looks_legacy, to_unicode
from tests.test_check import edit, paragraph, render_as
from tests.test_english_output import REAL
from tests.test_layering import imports_in

ROOT = Path(__file__).resolve().parent.parent

LOWER = ("àảãáạ ăằẳẵắặ âầẩẫấậ èẻẽéẹ êềểễếệ ìỉĩíị òỏõóọ ôồổỗốộ ơờởỡớợ ùủũúụ ưừửữứự ỳỷỹýỵ đ").replace(
    " ", ""
)
UPPER = LOWER.upper()

# TCVN3, typed as Word shows the codes (Windows-1252), in LOWER's order.
TCVN3_LOWER = "µ¶·¸¹ ¨»¼½¾Æ ©ÇÈÉÊË ÌÎÏÐÑ ªÒÓÔÕÖ ×ØÜÝÞ ßáâãä «åæçèé ¬êëìíî ïñòóô \xadõö÷øù úûüýþ ®"
TCVN3_LOWER = TCVN3_LOWER.replace(" ", "")
TCVN3_CAPITALS = dict(zip("ĂÂÊÔƠƯĐ", "¡¢£¤¥¦§", strict=True))
"""The seven capitals the ordinary (not ``…H``) TCVN3 fonts have."""

# VNI: what each mark adds, typed as Word shows the mark characters.
VNI_TONE = {"\u0300": "øØ", "\u0309": "ûÛ", "\u0303": "õÕ", "\u0301": "ùÙ", "\u0323": "ïÏ"}
VNI_HAT = {"": "âÂ", "\u0300": "àÀ", "\u0309": "åÅ", "\u0303": "ãÃ", "\u0301": "áÁ", "\u0323": "äÄ"}
VNI_BREVE = {
    "": "êÊ",
    "\u0300": "èÈ",
    "\u0309": "úÚ",
    "\u0303": "üÜ",
    "\u0301": "éÉ",
    "\u0323": "ëË",
}
VNI_I = {"\u0300": "ìÌ", "\u0309": "æÆ", "\u0303": "óÓ", "\u0301": "íÍ", "\u0323": "òÒ"}
VNI_HORN = {"o": "ôÔ", "u": "öÖ"}


def tcvn3(text: str) -> tuple[str, bool]:
    """``text`` as typed in TCVN3, and whether it needs a capitals font (``.VnTimeH``)."""
    table = dict(zip(LOWER, TCVN3_LOWER, strict=True))
    capitals = any(c.isupper() and c.lower() in table and c not in TCVN3_CAPITALS for c in text)
    if capitals:
        return "".join(table.get(c.lower(), c.lower()) for c in text), True
    return "".join(TCVN3_CAPITALS.get(c) or table.get(c, c) for c in text), False


def vni(text: str) -> str:
    """``text`` as typed in VNI, from each letter's decomposition."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        upper = 1 if base.isupper() else 0
        tone = next((m for m in marks if m in VNI_TONE), "")
        if char in "đĐ":
            out.append("ñÑ"[upper])
        elif not marks:
            out.append(char)
        elif base in "iI":
            out.append(VNI_I[tone][upper])
        elif "\u031b" in marks:  # horn: ơ ư are single characters, the tone follows
            out.append(VNI_HORN[base.lower()][upper] + (VNI_TONE[tone][upper] if tone else ""))
        elif "\u0302" in marks:
            out.append(base + VNI_HAT[tone][upper])
        elif "\u0306" in marks:
            out.append(base + VNI_BREVE[tone][upper])
        else:
            out.append(base + VNI_TONE[tone][upper])
    return "".join(out)


PHRASES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Nơi nhận",
    "Quyết định",
    "ngày 05 tháng 3 năm 2025",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
]


def test_the_test_tables_cover_the_134_letters() -> None:
    assert len(LOWER) == len(set(LOWER)) == 67
    assert len(UPPER) == len(set(UPPER)) == 67
    assert len(TCVN3_LOWER) == len(set(TCVN3_LOWER)) == 67
    assert all(unicodedata.is_normalized("NFC", c) for c in LOWER + UPPER)


@pytest.mark.parametrize("letter", list(LOWER + UPPER))
def test_every_letter_round_trips_through_tcvn3(letter: str) -> None:
    typed, capitals = tcvn3(letter)
    assert typed != letter or letter == "ý"  # ý keeps its Latin-1 code in TCVN3
    assert to_unicode(typed, "tcvn3", capitals=capitals) == letter


@pytest.mark.parametrize("letter", list(LOWER + UPPER))
def test_every_letter_round_trips_through_vni(letter: str) -> None:
    typed = vni(letter)
    assert typed != letter or letter in "ìíÌÍ"  # these keep their Latin-1 codes in VNI
    assert to_unicode(typed, "vni") == letter


@pytest.mark.parametrize("letter", list("ĂÂÊÔƠƯĐ"))
def test_tcvn3_base_capitals_read_in_both_kinds_of_font(letter: str) -> None:
    """Ă… exist in the ordinary fonts; the capitals fonts draw them at the lowercase codes."""
    assert to_unicode(TCVN3_CAPITALS[letter], "tcvn3") == letter
    lowercase_code = TCVN3_LOWER[LOWER.index(letter.lower())]
    assert to_unicode(lowercase_code, "tcvn3", capitals=True) == letter


def test_known_legacy_spellings() -> None:
    """Spellings every Vietnamese office knows, typed by hand, not by the encoders above."""
    assert to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3") == (
        "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )
    assert to_unicode("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"
    assert to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    assert to_unicode("Ñoäc laäp - Töï do - Haïnh phuùc", "vni") == "Độc lập - Tự do - Hạnh phúc"
    assert to_unicode("ngöôøi", "vni") == "người"


@pytest.mark.parametrize("phrase", PHRASES)
def test_phrases_round_trip_in_both_encodings(phrase: str) -> None:
    typed, capitals = tcvn3(phrase)
    assert to_unicode(typed, "tcvn3", capitals=capitals) == phrase
    assert to_unicode(vni(phrase), "vni") == phrase
    assert capitals == (phrase == PHRASES[0])


def test_ascii_passes_through_and_output_is_nfc() -> None:
    ascii_text = "".join(chr(c) for c in range(32, 127))
    assert to_unicode(ascii_text, "tcvn3") == ascii_text
    assert to_unicode(ascii_text, "vni") == ascii_text
    out = to_unicode(vni("Nghị định 30/2020/NĐ-CP"), "vni")
    assert out == "Nghị định 30/2020/NĐ-CP" and unicodedata.is_normalized("NFC", out)


def test_a_capitals_font_draws_ascii_letters_as_capitals() -> None:
    assert to_unicode("quyÕt ®Þnh", "tcvn3", capitals=True) == "QUYẾT ĐỊNH"


@pytest.mark.parametrize(
    ("font", "encoding", "capitals"),
    [
        (".VnTime", "tcvn3", False),
        (".VnTimeH", "tcvn3", True),
        (".VnArial", "tcvn3", False),
        (".VnArialH", "tcvn3", True),
        (".VnCentury Schoolbook", "tcvn3", False),
        ("VNI-Times", "vni", False),
        ("VNI-Helve", "vni", False),
        ("Times New Roman", None, False),
        ("Arial", None, False),
        ("", None, False),
        (None, None, False),
    ],
)
def test_the_font_name_tells_the_encoding(
    font: str | None, encoding: str | None, capitals: bool
) -> None:
    assert encoding_of_font(font) == encoding
    assert legacy.capitals_only(font) is capitals


@pytest.mark.parametrize("phrase", [p for p in PHRASES if len(p.split()) > 2])
def test_longer_legacy_text_is_recognised_by_its_characters(phrase: str) -> None:
    typed, _ = tcvn3(phrase.lower())
    assert looks_legacy(typed) == "tcvn3"
    assert looks_legacy(vni(phrase)) == "vni"


@pytest.mark.parametrize("phrase", ["Nơi nhận", "Điều 1"])
def test_two_words_are_too_few_to_judge_without_the_font(phrase: str) -> None:
    """A false positive would corrupt correct text: short runs wait for their font."""
    assert looks_legacy(vni(phrase)) is None


@pytest.mark.parametrize(
    "text",
    [
        *PHRASES,
        *(p.lower() for p in PHRASES),
        "Tôi là cán bộ",  # Latin-1 letters only
        "hoà hoá quý khoé thuý",  # old-style tone places, VNI-like pairs
        "Müller, Straße, Köln, Zürich",  # foreign names
        "(5) = (4) ÷ (3) × 100",  # signs that are TCVN3 codes
        "1.234,5 m² ± 0,5 °C; § 3 và ½ số",
        "",
    ],
)
def test_unicode_text_is_never_taken_for_legacy(text: str) -> None:
    assert looks_legacy(text) is None
    assert convert_runs([(text, ("Times New Roman", "Times New Roman"))]).count == 0


def _examples_text() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        lines.extend(path.read_text(encoding="utf-8").splitlines())
    return lines


def test_no_example_line_is_taken_for_legacy() -> None:
    lines = _examples_text()
    assert len(lines) > 1000
    assert [line for line in lines if looks_legacy(line)] == []


@pytest.mark.skipif(not REAL.is_dir(), reason="no real documents here")
def test_real_documents_declare_legacy_fonts_but_nothing_is_converted() -> None:
    """The Normal style of 02, 14 and 20 names VNI-Times or .VnTime over Unicode runs:
    judging by the style's font would corrupt them; the runs' own fonts and text do not."""
    declared: set[str] = set()
    paragraphs = 0
    for path in sorted(REAL.glob("*.docx")):
        docx = Docx.open(path)
        for para in docx.paragraphs:
            paragraphs += 1
            for slot in ("ascii", "hAnsi"):
                font = para.run_font(None, slot)
                if encoding_of_font(font):
                    declared.add(str(font))
            assert looks_legacy(para.text) is None, (path.name, para.text)
            converted = convert_runs(para.font_pieces())
            assert converted.count == 0, (path.name, para.text)
            assert "".join(converted.texts) == para.text
    assert {"VNI-Times", ".VnTime"} <= declared
    assert paragraphs > 3000


# -- runs read from a .docx ------------------------------------------------------------------


def _retype(text: str, new: str, font: str | None) -> Callable[[etree._Element], None]:
    """Put ``new`` in the paragraph holding ``text``, in ``font`` when given."""

    def change(root: etree._Element) -> None:
        para = paragraph(root, text)
        runs = [r for r in para.iter(q("w:r")) if r.find("w:t", NS) is not None]
        for number, run in enumerate(runs):
            run.find("w:t", NS).text = new if number == 0 else ""
            if font is None:
                continue
            rpr = run.find("w:rPr", NS)
            if rpr is None:
                rpr = etree.SubElement(run, q("w:rPr"))
                run.insert(0, rpr)
            for old in rpr.findall("w:rFonts", NS):
                rpr.remove(old)
            fonts = etree.Element(q("w:rFonts"))
            for slot in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(q(slot), font)
            rpr.insert(0, fonts)

    return change


def test_runs_of_a_word_file_are_converted_by_font_and_by_pattern() -> None:
    data = render_as("bao-cao")
    data = edit(data, _retype("Điểm một", tcvn3("Điểm một")[0], ".VnTime"))
    data = edit(data, _retype("Điểm hai", tcvn3("điểm hai")[0], ".VnTimeH"))
    data = edit(data, _retype("Điểm ba", vni("Điểm ba"), "VNI-Times"))
    data = edit(data, _retype("Công tác chỉ đạo", tcvn3("Công tác chỉ đạo")[0], None))
    data = edit(data, _retype("Kết quả công tác", "Kết quả công tác năm 2021", ".VnTime"))
    docx = Docx(data)
    found: dict[str, tuple[str, int, tuple[str, ...]]] = {}
    total = 0
    for para in docx.paragraphs:
        converted = convert_runs(para.font_pieces())
        total += converted.count
        found["".join(converted.texts)] = (para.text, converted.count, converted.encodings)
    assert found["Điểm một"] == ("§iÓm mét", 1, ("tcvn3",))
    assert found["ĐIỂM HAI"] == ("®iÓm hai", 1, ("tcvn3",))
    assert found["Điểm ba"] == ("Ñieåm ba", 1, ("vni",))
    # Times New Roman, so judged by its characters: four words of five are TCVN3 only.
    assert found["Công tác chỉ đạo"] == ("C«ng t¸c chØ ®¹o", 1, ("tcvn3",))
    # Unicode typed in a TCVN3 font (a template's leftover) stays as typed.
    assert found["Kết quả công tác năm 2021"][1:] == (0, ())
    assert total == 4


def test_the_module_is_pure() -> None:
    """No XML and no other stage: the importer hands it text and font names."""
    source = (ROOT / "baocao" / "legacy.py").read_text(encoding="utf-8")
    assert imports_in(source) == set()
    assert "lxml" not in source and "<w:" not in source


TEXT = st.text(
    alphabet=LOWER + UPPER + "abcdefghijklmnopqrstuvwxyzAZ0123456789 .,:;-()/", max_size=60
)


@given(TEXT)
def test_any_text_round_trips_through_vni(text: str) -> None:
    assert to_unicode(vni(text), "vni") == text


@given(TEXT)
def test_any_text_round_trips_through_tcvn3(text: str) -> None:
    typed, capitals = tcvn3(text)
    assert to_unicode(typed, "tcvn3", capitals=capitals) == (text.upper() if capitals else text)


# Syllables whose letters Unicode Vietnamese shares with Latin-1 (no ơ, ư, đ, ạ…):
# the only Unicode text the detector could mistake, since any other letter rules it out.
ONSETS = ["", "b", "c", "ch", "d", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu"]
ONSETS += ["s", "t", "th", "tr", "v", "x"]
VOWELS = ["a", "à", "á", "ã", "â", "e", "è", "é", "ê", "i", "ì", "í", "o", "ò", "ó", "õ", "ô"]
VOWELS += ["u", "ù", "ú", "y", "ý", "oà", "oá", "uy", "uý", "oè", "ai", "ài", "ao", "áo", "ôi"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
SYLLABLES = st.builds(
    lambda onset, vowel, coda: onset + vowel + ("" if vowel[-1] in "iyoô" else coda),
    st.sampled_from(ONSETS),
    st.sampled_from(VOWELS),
    st.sampled_from(CODAS),
)


@given(st.lists(SYLLABLES, min_size=1, max_size=30))
def test_unicode_words_in_latin1_letters_are_never_taken_for_legacy(words: list[str]) -> None:
    text = " ".join(words)
    assert looks_legacy(text) is None
    assert looks_legacy(text.upper()) is None


def test_a_run_is_judged_by_the_font_that_draws_its_characters() -> None:
    """Word draws ASCII in the ascii font and the codes above 0x7F in the hAnsi font."""
    tnr, capitals = "Times New Roman", ".VnTimeH"
    assert convert_runs([("quyÕt", (tnr, capitals))]).texts == ("QUYẾT",)
    assert convert_runs([("quyet", (tnr, capitals))]).texts == ("quyet",)
    assert convert_runs([("quyet", (capitals, tnr))]).texts == ("QUYET",)
