"""Legacy Vietnamese encodings: text typed in TCVN3 or VNI fonts, back to Unicode.

Before Unicode, offices typed Vietnamese with 8-bit fonts: TCVN3 (ABC, fonts
named ``.VnTime``, ``.VnArial``…; the ``…H`` fonts such as ``.VnTimeH`` draw
capitals only) in the north, VNI (``VNI-Times``…) in the south. Word stores
such text as the Windows-1252 characters of the font's codes ("Céng hoµ" for
"Cộng hoà"), so an importer must map it back, or the clerk gets gibberish.

The tables are data typed for baocao from the published charts:

- TCVN3 follows TCVN 5712:1993 part VN3 (VSCII-3): ASCII kept, 67 lowercase
  letters with diacritics, the 7 capitals without tone (Ă Â Ê Ô Ơ Ư Đ) and the
  no-break space at 0xA0; toned capitals come from the capitals-only fonts.
- VNI follows the VNI-Windows chart: a base letter followed by one mark
  character (tone, or a vowel mark combined with a tone), plus single
  characters for ơ ư đ and the toned i.

Both were checked against two independent correspondence charts ("Bảng đối
chiếu encoding các bộ chữ hiện hành với Unicode", and the "Unicode &
Vietnamese Legacy Character Encodings" table) and Wikipedia's description of
VSCII. Output is NFC.

A wrong conversion would corrupt correct text, so nothing here guesses
lightly: a run is converted when its font says so and its text can be in that
encoding, or, where the font says nothing, when ``looks_legacy`` finds the
encoding's marks throughout the text and the result reads as Vietnamese.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["tcvn3", "vni"]

_TONES = "\u0300\u0309\u0303\u0301\u0323"
"""Huyền, hỏi, ngã, sắc, nặng: the order of each row below."""

# TCVN3 (VN3): each vowel, then its five toned forms, as the code (hex) of each.
_TCVN3_ROWS = """
a   61 B5 B6 B7 B8 B9
ă   A8 BB BC BD BE C6
â   A9 C7 C8 C9 CA CB
e   65 CC CE CF D0 D1
ê   AA D2 D3 D4 D5 D6
i   69 D7 D8 DC DD DE
o   6F DF E1 E2 E3 E4
ô   AB E5 E6 E7 E8 E9
ơ   AC EA EB EC ED EE
u   75 EF F1 F2 F3 F4
ư   AD F5 F6 F7 F8 F9
y   79 FA FB FC FD FE
đ   AE
Ă   A1
Â   A2
Ê   A3
Ô   A4
Ơ   A5
Ư   A6
Đ   A7
"""

# VNI-Windows: the mark characters (hex) that follow a base letter, by what they add.
# Columns: no tone, huyền, hỏi, ngã, sắc, nặng. Lowercase row, then capitals.
_VNI_MARKS = """
tone        -  F8 FB F5 F9 EF
circumflex  E2 E0 E5 E3 E1 E4
breve       EA E8 FA FC E9 EB
TONE        -  D8 DB D5 D9 CF
CIRCUMFLEX  C2 C0 C5 C3 C1 C4
BREVE       CA C8 DA DC C9 CB
"""

# VNI single characters: ơ ư đ and the toned i (no tone, huyền, hỏi, ngã, sắc, nặng).
_VNI_SINGLES = """
ơ  F4
ư  F6
đ  F1
i  -  EC E6 F3 ED F2
Ơ  D4
Ư  D6
Đ  D1
I  -  CC C6 D3 CD D2
"""

# Which mark row goes after which base letter, and the letter it makes.
_VNI_BASES = {
    "a": (("tone", "a"), ("circumflex", "â"), ("breve", "ă")),
    "e": (("tone", "e"), ("circumflex", "ê")),
    "o": (("tone", "o"), ("circumflex", "ô")),
    "u": (("tone", "u"),),
    "y": (("tone", "y"),),
    "ơ": (("tone", "ơ"),),
    "ư": (("tone", "ư"),),
}


def _toned(letter: str, tone: int) -> str:
    """``letter`` with tone ``tone`` (0 = none, 1–5 as ``_TONES``), NFC."""
    return unicodedata.normalize("NFC", letter + (_TONES[tone - 1] if tone else ""))


def _tcvn3_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _TCVN3_ROWS.strip("\n").splitlines():
        letter, *codes = line.split()
        for tone, code in enumerate(codes):
            table[chr(int(code, 16))] = _toned(letter, tone)
    # ASCII letters and ý (0xFD) keep their codes; 0xA0 is the no-break space
    # as in Windows-1252. Only the codes that change are kept.
    return {k: v for k, v in table.items() if k != v}


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    marks: dict[str, list[str | None]] = {}
    for line in _VNI_MARKS.strip().splitlines():
        name, *codes = line.split()
        marks[name] = [None if c == "-" else chr(int(c, 16)) for c in codes]
    pairs: dict[str, str] = {}
    singles: dict[str, str] = {}
    for line in _VNI_SINGLES.strip().splitlines():
        letter, *codes = line.split()
        for tone, code in enumerate(codes):
            if code != "-":
                singles[chr(int(code, 16))] = _toned(letter, tone)
    base_code = {_toned(v, 0): k for k, v in singles.items()}
    for base, rows in _VNI_BASES.items():
        for capital in (False, True):
            typed = base.upper() if capital else base
            typed = base_code.get(typed, typed)
            for row, letter in rows:
                for tone, mark in enumerate(marks[row.upper() if capital else row]):
                    if mark is not None:
                        pairs[typed + mark] = _toned(letter.upper() if capital else letter, tone)
    return pairs, singles


TCVN3: dict[str, str] = _tcvn3_table()
"""Each TCVN3 character as Word stores it → its Unicode letter."""

VNI_PAIRS, VNI_SINGLES = _vni_tables()
"""VNI: base letter + mark → letter; the single characters (ơ ư đ, toned i) → letter."""


def encoding_of_font(name: str | None) -> Encoding | None:
    """The legacy encoding a font name declares: ``.Vn…`` is TCVN3, ``VNI-…`` is VNI."""
    if not name:
        return None
    folded = name.strip().casefold()
    if folded.startswith(".vn"):
        return "tcvn3"
    if folded.startswith(("vni-", "vni ")):
        return "vni"
    return None


def capitals_only(name: str | None) -> bool:
    """Whether a TCVN3 font draws only capitals (``.VnTimeH``, ``.VnArialH``…)."""
    return encoding_of_font(name) == "tcvn3" and str(name).strip().endswith("H")


def to_unicode(text: str, encoding: Encoding, *, capitals: bool = False) -> str:
    """``text`` as typed in a legacy ``encoding``, in Unicode (NFC).

    ``capitals`` is for a capitals-only TCVN3 font, whose lowercase codes draw
    capitals. Characters outside the encoding's table pass through.
    """
    out: list[str] = []
    if encoding == "tcvn3":
        out = [TCVN3.get(char, char) for char in text]
    else:
        i = 0
        while i < len(text):
            pair = VNI_PAIRS.get(text[i : i + 2])
            if pair is not None:
                out.append(pair)
                i += 2
                continue
            out.append(VNI_SINGLES.get(text[i], text[i]))
            i += 1
    result = "".join(out)
    if capitals:
        result = "".join(c.upper() if len(c.upper()) == 1 else c for c in result)
    return unicodedata.normalize("NFC", result)


# -- detection by pattern ---------------------------------------------------------------------

_OPEN = "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oao oay oeo uây uôi ươi ươu uyu"
"""Vowel groups that end a syllable: no final consonant follows them."""
_CLOSED = "a ă â e ê i o ô ơ u ư y iê oa oă oe oo ôô uâ uê uô uơ uy ươ yê uyê uya"
"""Vowel groups a final consonant may follow."""


def _alternatives(groups: str) -> str:
    return "|".join(sorted(groups.split(), key=len, reverse=True))


_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvxfjwz])?"
    f"(?:(?:{_alternatives(_OPEN)})|(?:{_alternatives(_CLOSED)})(?:ch|ng|nh|[cmnpt])?)"
)
"""A Vietnamese syllable without its tone: onset, vowel group, final consonant."""


def _unicode_vietnamese(char: str) -> bool:
    """A character only Unicode Vietnamese has (ơ, ư, đ, ạ… or a combining mark)."""
    return 0x1EA0 <= ord(char) <= 0x1EF9 or char in "ĂăĐđĨĩŨũƠơƯư\u0302\u0306\u031b" + _TONES


def may_change(text: str) -> bool:
    """Whether converting could change ``text``: it has a character beyond ASCII and
    none that only Unicode Vietnamese has (a run holding one is never converted)."""
    return not text.isascii() and not any(_unicode_vietnamese(c) for c in text)


def _syllable(word: str) -> bool:
    """A word that reads as one Vietnamese syllable, with at most one tone."""
    parts = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in parts if c in _TONES)
    bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(bare) is not None


_PUNCTUATION = "!\"'(),-./:;?[]{}“”‘’…–—"
"""Trimmed from words; not « », which are TCVN3's ô and ơ."""


def _words(text: str) -> list[str]:
    """The words of ``text`` with a character beyond ASCII, punctuation trimmed."""
    words = (w.strip(_PUNCTUATION) for w in text.split())
    return [w for w in words if w and not w.isascii()]


def looks_legacy(text: str) -> Encoding | None:
    """The legacy encoding ``text`` was typed in, judged by its characters alone; or None.

    For runs whose font does not tell. A word is evidence when it is not a
    Vietnamese syllable as it stands but is one once converted ("Céng" →
    "Cộng") and has a letter (a lone "×" or "÷" is a sign, not "ì" or "ữ").
    Conservative, since a false positive corrupts correct text: None if the
    text has a character only Unicode Vietnamese has, and unless at least two
    words (and half of those beyond ASCII) are evidence and nine in ten
    convert to syllables; None when both encodings would fit.
    """
    if any(_unicode_vietnamese(c) for c in text):
        return None
    words = _words(text)
    found: list[Encoding] = []
    for encoding in ("tcvn3", "vni"):
        converted = [to_unicode(w, encoding) for w in words]
        evidence = sum(
            1
            for w, new in zip(words, converted, strict=True)
            if any(c.isalpha() for c in w) and not _syllable(w) and _syllable(new)
        )
        odd = sum(1 for new in converted if not _syllable(new))
        if evidence >= 2 and evidence * 2 >= len(words) and odd * 10 <= len(words):
            found.append(encoding)
    return found[0] if len(found) == 1 else None


# -- runs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Converted:
    """A paragraph's runs after conversion: each run's text, and how many changed.

    ``encodings`` names the encodings met, for the warning.
    """

    texts: tuple[str, ...]
    count: int
    encodings: tuple[Encoding, ...] = ()


def _run_encoding(text: str, fonts: Sequence[str | None]) -> tuple[Encoding | None, bool]:
    """The encoding a run's font declares, and whether that font draws capitals only.

    ``fonts`` is (ascii, hAnsi): Word draws ASCII in the first and the codes
    above 0x7F in the second, so a run beyond ASCII is judged by its hAnsi
    font (then its ascii font), an ASCII run by its ascii font.
    """
    chosen = tuple(fonts)[:1] if text.isascii() else tuple(reversed(tuple(fonts)))
    for font in chosen:
        encoding = encoding_of_font(font)
        if encoding is not None:
            return encoding, capitals_only(font)
    return None, False


def convert_runs(runs: Iterable[tuple[str, Sequence[str | None]]]) -> Converted:
    """Convert one paragraph's runs, each given as (text, its fonts), to Unicode.

    A run in a legacy font is converted unless its text holds a character
    the encoding cannot have (Unicode typed in a font left over from a
    template: the real files declare ``VNI-Times`` and ``.VnTime`` in their
    styles over Unicode text). The runs in other fonts are converted only
    when ``looks_legacy`` recognises their joined text. Runs whose text does
    not change are not counted.
    """
    items = [(text, tuple(fonts)) for text, fonts in runs]
    texts: list[str] = []
    count = 0
    met: list[Encoding] = []
    plain = "".join(text for text, fonts in items if _run_encoding(text, fonts)[0] is None)
    guessed = looks_legacy(plain)
    for text, fonts in items:
        encoding, capitals = _run_encoding(text, fonts)
        if encoding is not None and any(_unicode_vietnamese(c) for c in text):
            encoding = None
        elif encoding is None:
            encoding, capitals = guessed, False
        new = to_unicode(text, encoding, capitals=capitals) if encoding else text
        if new != text and encoding is not None:
            count += 1
            if encoding not in met:
                met.append(encoding)
        texts.append(new)
    return Converted(tuple(texts), count, tuple(met))
