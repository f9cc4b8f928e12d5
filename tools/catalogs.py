"""Compile the message catalogs (baocao/locale/*/LC_MESSAGES/*.po) to .mo with Babel.

    python tools/catalogs.py            # write the .mo files
    python tools/catalogs.py --check    # fail if a .mo does not hold its .po's messages

The .po files are the source of every sentence a clerk reads: baocao.po
(msgid: the message code; msgstr: the text) and click.po (msgid: Click's own
English sentence, such as "Usage:"; msgstr: its Vietnamese). The compiled .mo files ship in the package
and are read with the standard library's gettext, so start-up needs no Babel.

The check compares messages (context, msgid, msgstr, plurals), not bytes: each Babel
release may write its own header line into the .mo, and that must not fail a fresh machine.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "baocao" / "locale"


def compiled(po: Path) -> bytes:
    with po.open("rb") as stream:
        catalog = read_po(stream)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _plain(value: object) -> object:
    """A plural's forms as a tuple: read_po gives tuples, read_mo lists."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def messages(catalog: Catalog) -> dict[tuple[str | None, object], object]:
    """Every translated message as (context, msgid) -> msgstr, the header excluded."""
    return {
        (message.context, _plain(message.id)): _plain(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def holds(mo: Path, po: Path) -> bool:
    """True when the compiled ``mo`` carries exactly the messages of ``po``."""
    if not mo.is_file():
        return False
    with mo.open("rb") as compiled_stream, po.open("rb") as source_stream:
        return messages(read_mo(compiled_stream)) == messages(read_po(source_stream))


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if check:
            if not holds(mo, po):
                stale.append(str(mo))
        else:
            mo.write_bytes(compiled(po))
            print(mo.relative_to(LOCALE.parent.parent))
    if stale:
        print("stale catalogs (run python tools/catalogs.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
