"""unoserver's server with every document loaded hidden: run by ``resident``, never by baocao.

It runs under the Python that has LibreOffice's ``uno`` (not baocao's), with
nothing but unoserver and this file on its path. unoserver loads a document
as if to show it; loaded hidden (the ``Hidden`` load property) the PDF is the
same (text, pages and pixels compared over the examples and a 41-page
report, LibreOffice 7.4) and comes a quarter sooner (about 0.2 against 0.28 s
for example 000, 11 pages, on a 2-core machine). unoserver's convert takes no
load properties, so its converter's desktop is given one that adds ``Hidden``.
Should a later unoserver keep its desktop elsewhere, documents load shown, as
unoserver loads them: slower, never broken.

    python -s -m resident_server <unoserver.server's arguments>
"""

from __future__ import annotations

from typing import Any


class HiddenDesktop:
    """LibreOffice's desktop, loading every document hidden; everything else passed through."""

    def __init__(self, desktop: Any, hidden: Any) -> None:
        self.desktop = desktop
        self.hidden = hidden
        """The ``Hidden`` load property (a ``com.sun.star.beans.PropertyValue``)."""

    def loadComponentFromURL(self, url: str, frame: str, flags: int, properties: Any) -> Any:
        named = tuple(properties)
        if not any(p.Name == "Hidden" for p in named):
            named += (self.hidden,)
        return self.desktop.loadComponentFromURL(url, frame, flags, named)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.desktop, name)


def install() -> None:
    """Make unoserver's server build its converter with a ``HiddenDesktop``.

    unoserver's modules are imported first, in their own order: ``uno``
    replaces ``import`` with a hook that breaks standard modules imported
    after it (``copy`` looks for Jython's ``org.python.core``). The imports
    are here, not at the top: only LibreOffice's Python has them, and
    baocao's tests import every module of the package.
    """
    from unoserver import converter, server  # noqa: F401  # server: its imports come first

    made = converter.UnoConverter
    from com.sun.star.beans import PropertyValue  # importable once uno is

    class HiddenConverter(made):  # type: ignore[misc, valid-type]
        """unoserver's converter, its documents loaded hidden."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            desktop = getattr(self, "desktop", None)  # unoserver 3.x keeps it there
            if desktop is not None:
                hidden = PropertyValue(Name="Hidden", Value=True)
                self.desktop = HiddenDesktop(desktop, hidden)

    converter.UnoConverter = HiddenConverter


if __name__ == "__main__":
    install()
    from unoserver.server import main

    main()  # unoserver's own command (its console script), arguments as given to us
