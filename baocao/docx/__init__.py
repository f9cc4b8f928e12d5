"""WordprocessingML: the only code in baocao that knows the .docx format.

``ooxml`` builds elements (with the one escaping function, ``escape_text``),
``styles`` sets the decree's sizes in a template's styles, ``story`` and
``sections`` know the story parts' paragraphs and section properties,
``package`` reads and writes the zip, and ``read`` reads a finished .docx
for ``baocao check``. lxml is used here and nowhere else in baocao.
"""
