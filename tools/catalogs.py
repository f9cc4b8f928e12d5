"""Compile the message catalogs (baocao/locale/*/LC_MESSAGES/*.po) to .mo with Babel.

    python tools/catalogs.py            # write the .mo files
    python tools/catalogs.py --check    # fail if a .mo is not the compilation of its .po

The .po files are the source of every sentence a clerk reads: baocao.po
(msgid: the message code; msgstr: the text) and click.po (msgid: Click's own
English sentence, such as "Usage:"; msgstr: its Vietnamese). The compiled .mo files ship in the package
and are read with the standard library's gettext, so start-up needs no Babel.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "baocao" / "locale"


def compiled(po: Path) -> bytes:
    with po.open("rb") as stream:
        catalog = read_po(stream)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if check:
            if not mo.is_file() or mo.read_bytes() != data:
                stale.append(str(mo))
        else:
            mo.write_bytes(data)
            print(mo.relative_to(LOCALE.parent.parent))
    if stale:
        print("stale catalogs (run python tools/catalogs.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
