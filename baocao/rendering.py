"""Stage 4, render: fill a template bundle's .docx with a validated report.

The only module that imports docxtpl (and python-docx, for picture sizes);
what it knows of WordprocessingML is in ``baocao.docx``.
Rendering is safe by default: the one Jinja environment has autoescape on
(docxtpl's default silently drops "&", "<…>" and what follows them),
``StrictUndefined``, Jinja's sandbox, and the Vietnamese filters.

A template is prepared once per process: docxtpl's ``patch_xml`` turns its
``{%p %}``, ``{%tr %}`` and ``{{p }}`` tags into Jinja, and each story part
(body, headers, footers) is compiled. A render then only runs the compiled
templates, places sections, sizes, footnotes and pictures, and writes the
zip; it returns bytes and never writes to the disk (``output.write`` does).
Keeping prepared templates between runs is the caller's choice: a
``cache.TemplateCache`` passed in.

A clerk's own template is code baocao did not write: it is compiled and
rendered in a child process with a time and memory budget (``confine``),
its output capped and parsed before anything is written, and each fault
is said at the paragraph that caused it. The shipped templates skip both.
"""

from __future__ import annotations

import base64
import gc
import importlib.util
import json
import marshal
import re
import struct
import threading
import zipfile
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import field, replace
from datetime import datetime, timezone
from functools import cache
from hashlib import sha1
from pathlib import Path
from typing import Any, cast

from jinja2 import StrictUndefined, meta, nodes
from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment

from baocao import geometry, layout, memo, model, nd30
from baocao.bundle import Template
from baocao.cache import TemplateCache
from baocao.docx import header, ooxml, package, sections, story, styles, write
from baocao.errors import FormatError, InputError, Location, TemplateError
from baocao.formatting import FILTERS
from baocao.records import record
from baocao.validation import Validated

STORY = re.compile(r"^word/(document|header\d+|footer\d+)\.xml$")
DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
FOOTNOTES = "word/footnotes.xml"
CORE = "docProps/core.xml"
FIRST_PAGE_ONLY_FOOTER = "footer2.xml"
"""The template's empty footer: appendices must not repeat page 1's contact strip."""

A4 = (layout.PAGE_WIDTH, layout.PAGE_HEIGHT)
"""The decree's page (baocao/nd30.py), for appendix sections that turn landscape."""

CUSTOM_SECONDS = 2
"""Seconds a clerk's own template may take to fill in (a letterhead takes milliseconds)."""
CUSTOM_MEMORY = 512 * 2**20
"""Bytes of memory it may use beyond what baocao holds already."""
CUSTOM_OUTPUT = 32 * 2**20
"""Characters of XML it may produce (a 300-page report makes about 5 million)."""
MAX_STORY_PART = 2 * 2**20
"""Bytes of one story part (body, header, footer) of a template: preparing it is not budgeted."""
_NO_OTHER_FILES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
_FOLDED_AT_COMPILE = (nodes.EvalContextModifier,)  # {% autoescape %}: its value is computed then


@cache
def environment(custom: bool = False) -> SandboxedEnvironment:
    """Return the Jinja environment templates are rendered in (``custom``: a clerk's own).

    Both sandbox, autoescape and use ``StrictUndefined``. A clerk's own template
    is compiled without constant folding: Jinja would otherwise compute
    ``{{ 10**10**8 }}`` or ``{{ 'x'|center(10**9) }}`` while compiling, in
    this process, outside the budget the rendering runs in.
    """
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, optimized=not custom)
    if custom:
        env.code_generator_class = _Unfolded
    env.filters.update(FILTERS)
    return env


def _unfolded_output(self: CodeGenerator, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
    """Fold only the template's own text into the code, never a computed value."""
    if isinstance(node, nodes.TemplateData):
        return CodeGenerator._output_child_to_const(self, node, frame, finalize)
    raise nodes.Impossible()


class _Unfolded(CodeGenerator):
    """Jinja's code generator without its last constant folding (of each printed value)."""

    _output_child_to_const = _unfolded_output


class _UnfoldedTracking(meta.TrackingCodeGenerator):
    """``meta.find_undeclared_variables``'s generator, which folds too, without folding."""

    _output_child_to_const = _unfolded_output

    def __init__(self, environment: SandboxedEnvironment) -> None:
        super().__init__(environment)
        self.optimizer = None


def _undeclared(tree: nodes.Template, custom: bool) -> set[str]:
    """The fields a template reads (a clerk's own is introspected without constant folding)."""
    if not custom:
        return meta.find_undeclared_variables(tree)
    tracking = _UnfoldedTracking(environment(custom=True))
    tracking.visit(tree)
    return tracking.undeclared_identifiers


@record(eq=False)
class _Prepared:
    """A template read and compiled once: its parts, story templates and section."""

    parts: package.Parts
    stories: dict[str, JinjaTemplate]
    sources: dict[str, str]  # what each story was compiled from, for error messages
    variables: frozenset[str]
    section: str
    empty_footer: str | None
    next_rel: int
    template: Template | None = None  # a shipped one: its entry in the store holds the styles


def _patched_stories(
    template: Template, parts: package.Parts, store: TemplateCache | None
) -> dict[str, str]:
    """The story parts with docxtpl's tags turned into Jinja, kept in ``store`` if given.

    Preparing needs docxtpl (and through it python-docx), about 85 ms to import;
    a ``store`` lets a one-shot ``baocao render`` skip both. The template's
    entry (``_entry_key``) also keeps its compiled code and styles.
    """
    names = [name for name in parts.names if STORY.match(name)]
    for name in names:  # checked on every run: the cache only holds what passed
        _check_tags_close(template, parts.data[name].decode("utf-8"))
    key = None
    if store is not None:
        key = _entry_key(template, store)
        kept = store.load(key)
        if kept is not None and all(name in kept for name in names):
            return {name: kept[name] for name in names}
    from docxtpl import DocxTemplate

    patcher = DocxTemplate(template.docx)  # only its XML passes are used
    stories = {name: patcher.patch_xml(parts.data[name].decode("utf-8")) for name in names}
    if store is not None and key is not None:
        store.save(key, stories)  # a damaged entry is replaced by this one
    return stories


def _docxtpl_stamp() -> str:
    """The installed docxtpl, for the keys of what its passes made."""
    spec = importlib.util.find_spec("docxtpl")
    origin = Path(spec.origin) if spec and spec.origin else None
    return f"docxtpl {origin.stat().st_mtime_ns}" if origin else "docxtpl -"


def _code_stamp() -> str:
    """What compiled code depends on besides the template: Python's bytecode, Jinja, our filters."""
    import jinja2

    ours = [Path(__file__), Path(__file__).with_name("formatting.py")]
    return " ".join(
        [importlib.util.MAGIC_NUMBER.hex(), jinja2.__version__, _docxtpl_stamp()]
        + [str(path.stat().st_mtime_ns) for path in ours]
    )


def _entry_key(template: Template, store: TemplateCache) -> str:
    """A template's one entry in ``store``: its bytes, baocao's version, and ``_code_stamp``."""
    return store.key(template.docx.read_bytes(), _code_stamp())


def _compiled_kept(
    template: Template, parts: package.Parts, store: TemplateCache | None
) -> tuple[dict[str, bytes], dict[str, str], frozenset[str]]:
    """``_compiled`` for a shipped template, its code kept in ``store`` between runs.

    Jinja's compiler is a fifth of a one-shot ``baocao render``; the code it
    makes is marshalled (as ``confine`` hands it back) and kept under a key
    covering the template's bytes, baocao's version, Python's bytecode, Jinja
    and docxtpl. A damaged or foreign entry is compiled again and replaced.
    """
    if store is None:
        return _compiled(template, parts, store)
    for name in parts.names:  # as _patched_stories checks on every run
        if STORY.match(name):
            _check_tags_close(template, parts.data[name].decode("utf-8"))
    key = _entry_key(template, store)
    kept = store.load(key)
    if kept is not None:
        try:
            names = json.loads(kept["names"])
            return (
                {name: base64.b64decode(kept[f"code {name}"]) for name in names},
                # What the code was compiled from, made again (a regex pass) rather than kept.
                {name: story.one_paragraph_per_line(kept[name]) for name in names},
                frozenset(json.loads(kept["variables"])),
            )
        except (KeyError, ValueError, TypeError):
            pass  # not all there (a first run): made below
    codes, sources, variables = _compiled(template, parts, store)  # keeps the stories in the entry
    texts = dict(store.load(key) or {})
    texts.update(names=json.dumps(list(codes)), variables=json.dumps(sorted(variables)))
    for name in codes:
        texts[f"code {name}"] = base64.b64encode(codes[name]).decode("ascii")
    if all(name in texts for name in codes):
        store.save(key, texts)
    return codes, sources, variables


def _prepare(template: Template, store: TemplateCache | None) -> _Prepared:
    try:
        return _prepared(template, template.docx.stat().st_mtime, store)
    except package.TooBig as err:
        raise TemplateError(err.code, name=template.name, **err.params) from None
    except (OSError, zipfile.BadZipFile, KeyError, UnicodeDecodeError) as err:
        # Not a Word file (or one missing its main part): say so rather than fail.
        raise TemplateError(
            "template_broken", name=template.name, detail=str(err) or type(err).__name__
        ) from err


def _prepared_weight(prepared: _Prepared) -> int:
    """Bytes a prepared template holds: its parts, and its sources about thrice (the code)."""
    return sum(len(b) for b in prepared.parts.data.values()) + 4 * sum(
        len(s) for s in prepared.sources.values()
    )


@memo.bounded(entries=16, size=96 * 2**20, weigh=lambda args, found: _prepared_weight(found))
def _prepared(template: Template, modified: float, store: TemplateCache | None) -> _Prepared:
    """``template`` read and compiled: hit by every render of it (a batch, the service).

    16 templates and 96 MiB hold the shipped bundles (about 0.5 MB each) and a
    service's letterheads; a clerk's template changed on disk is a new entry
    and the old one ages out.
    """
    parts = package.read_template(template.docx)
    custom = template.docx_file is not None
    env = environment(custom=custom)
    if custom:  # preparing is Jinja's compiler at work on a clerk's file: budgeted too
        from baocao import confine

        try:
            codes, sources, variables = confine.run(
                lambda: _compiled_within_budget(template, parts, store),
                seconds=CUSTOM_SECONDS,
                memory=CUSTOM_MEMORY,
            )
        except confine.Exceeded as err:
            raise _stopped(template, err.kind) from None
    else:
        codes, sources, variables = _compiled_kept(template, parts, store)
    stories = {
        # What env.from_string does, from code compiled elsewhere (in the child).
        name: env.template_class.from_code(env, marshal.loads(code), env.make_globals(None), None)
        for name, code in codes.items()
    }
    document = parts.data[DOCUMENT].decode("utf-8")
    found = sections.find(document)
    if not found:
        raise TemplateError(
            "template_broken", name=template.name, detail={"code": "template_no_section"}
        )
    rels = parts.data.get(package.DOCUMENT_RELS, b"").decode("utf-8")
    empty = re.search(rf'<Relationship [^>]*Id="(\w+)"[^>]*Target="{FIRST_PAGE_ONLY_FOOTER}"', rels)
    empty = empty or re.search(
        rf'<Relationship [^>]*Target="{FIRST_PAGE_ONLY_FOOTER}"[^>]*Id="(\w+)"', rels
    )
    numbers = [int(n) for n in re.findall(r'Id="rId(\d+)"', rels)]
    return _Prepared(
        parts,
        stories,
        sources,
        variables,
        found[-1],
        empty.group(1) if empty else None,
        max(numbers, default=0) + 1,
        None if custom else template,
    )


def _compiled(
    template: Template, parts: package.Parts, store: TemplateCache | None
) -> tuple[dict[str, bytes], dict[str, str], frozenset[str]]:
    """Compile each story part: its code (marshalled), its source, and the fields it reads.

    For a clerk's own template this runs in the budgeted child (a 300 KB body
    of {% if %} tags takes Jinja's compiler seconds), which hands the code back.
    """
    custom = template.docx_file is not None
    if custom:
        _check_custom_parts(template, parts)
    env = environment(custom=custom)
    codes: dict[str, bytes] = {}
    sources: dict[str, str] = {}
    variables: set[str] = set()
    for name, xml in _patched_stories(template, parts, store).items():
        # One line per paragraph: Jinja's line numbers then name the paragraph.
        source = story.one_paragraph_per_line(xml)
        try:
            tree = env.parse(source)  # parsed once, for the fields it uses and for compiling
            for node in tree.find_all(_NO_OTHER_FILES):
                # Without a loader they fail at render time; a template is one file.
                problem = {"code": "template_no_include"}
                raise _template_error(template, source, problem, node.lineno)
            for node in tree.find_all(_FOLDED_AT_COMPILE):
                problem = {"code": "template_no_autoescape"}
                raise _template_error(template, source, problem, node.lineno)
            variables |= _undeclared(tree, custom)
            codes[name] = marshal.dumps(env.compile(tree))
            sources[name] = source
        except (JinjaTemplateError, ValueError, OverflowError, RecursionError) as err:
            # ValueError: a 5,000-digit number; RecursionError: deeply nested brackets.
            line = getattr(err, "lineno", None)
            raise _template_error(template, source, _problem(err), line) from err
    return codes, sources, frozenset(variables)


def _compiled_within_budget(
    template: Template, parts: package.Parts, store: TemplateCache | None
) -> tuple[dict[str, bytes], dict[str, str], frozenset[str]]:
    """``_compiled`` in the child: the alarm or a memory fault there has no line to name."""
    from baocao import confine

    try:
        return _compiled(template, parts, store)
    except confine.TimeUp as err:
        raise _stopped(template, "time") from err
    except MemoryError as err:
        raise _stopped(template, "memory") from err


def _stopped(template: Template, kind: str) -> TemplateError:
    """The error for a template stopped by its budget (``kind``: "time", "memory", other)."""
    problem = {
        "time": {"code": "template_too_slow", "seconds": CUSTOM_SECONDS},
        "memory": {"code": "template_memory", "limit": CUSTOM_MEMORY // 2**20},
    }.get(kind, {"code": "template_crashed"})
    return TemplateError("template_stopped", name=template.name, problem=problem)


_paused_lock = threading.Lock()
_paused = 0
"""Renders running with the cyclic collector paused (threads of the service)."""
_resume = False
"""Whether the collector was on when the first of them paused it."""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one render; back as it was after the last.

    A render allocates a few hundred thousand objects (the model's paragraphs,
    runs, cells) that make no reference cycles and die together at its end;
    the collector's full passes over everything alive meanwhile (the loaded
    report too) were a third of a 100× report's render (measured: 100 of 330
    ms). Objects are still freed by reference counting as before; a cycle made
    meanwhile (an exception's traceback) is collected at the collector's next
    pass after the render. Counted, so that concurrent renders in threads turn
    it back on only when the last one ends, and only if it was on before.
    """
    global _paused, _resume
    with _paused_lock:
        if not _paused:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if not _paused and _resume:
                gc.enable()


def render(validated: Validated, *, cache: TemplateCache | None = None) -> bytes:
    """Return the .docx of ``validated`` as bytes; nothing is written but ``cache``'s entries.

    Without ``cache`` the prepared template is kept for this process only; the
    command line and the service pass ``TemplateCache.default()``. A shipped
    template's document is streamed to the zip, a clerk's made whole.
    """
    template = validated.template
    prepared = _prepare(template, cache)
    if template.docx_file is not None:  # not paused: its stories run in a forked child
        return _assembled(validated, prepared, cache, streamed=False)
    with _collector_paused():
        try:
            return _assembled(validated, prepared, cache, streamed=True)
        except _NotStreamed:  # what streaming does not cover (see _streamed_document)
            return _assembled(validated, prepared, cache, streamed=False)


class _NotStreamed(Exception):
    """The document cannot be streamed as it stands: it is made again as one string."""


def _assembled(
    validated: Validated, prepared: _Prepared, cache: TemplateCache | None, *, streamed: bool
) -> bytes:
    """Lay out, write and fill in the template; zip the parts.

    ``streamed``: the body and the appendices go to the zip in pieces
    (``_streamed_document``), never as one string.
    """
    template = validated.template
    pictures = _Pictures(prepared.next_rel)
    base_dir = validated.source.base_dir or Path.cwd()
    laid = layout.streamed_document(
        validated.data,
        template,
        base_dir,
        models=validated.tables,
        notes=validated.footnotes,
        dates=validated.dates,
    )
    streams: dict[str, Iterator[str]] = {}
    if streamed:  # the body laid out, written and compressed as it is taken
        context, streams = write.streamed(laid.document, laid.body, laid.sections, pictures.embed)
    else:
        document = replace(laid.document, body=tuple(laid.body))
        context = write.context(document, pictures.embed)
        del document
    del laid
    if validated.data.get("phu_luc") and "phu_luc" not in prepared.variables:
        raise TemplateError("template_needs_field", name=template.name, field="{{p phu_luc }}")
    missing = prepared.variables - context.keys()
    if missing:
        raise TemplateError(
            "template_undeclared", name=template.name, fields=", ".join(sorted(missing))
        )
    out = dict(prepared.parts.data)
    packed: dict[str, package.Packed] = {}
    custom = template.docx_file is not None
    filled = (
        _confined_stories(template, prepared, context)
        if custom
        else _stories(template, prepared, context, streamed=streamed)
    )
    for name, xml in filled.items():
        if streams and name == DOCUMENT:
            packed[name] = _streamed_document(xml, prepared, context, streams)
            continue
        if streams and "\ue000" in xml:  # a placeholder outside the document's body
            raise _NotStreamed
        if name == DOCUMENT:
            xml = _sections(xml, prepared, context)
            if context["cot_dau_trang"] is not None:
                default = (geometry.HEADER_LEFT, geometry.HEADER_RIGHT)
                xml = header.with_columns(xml, default, context["cot_dau_trang"])
        out[name] = xml.encode("utf-8")
    del filled
    if streams and DOCUMENT not in packed:
        raise _NotStreamed
    if STYLES in out:
        out[STYLES] = _styles(prepared, context["co_chu"], cache)
        if context["gian_dong"] is not None:
            out[STYLES] = _line_spacing(out[STYLES], context["gian_dong"])
    notes: list[str] = context["chu_thich"]
    if notes:
        if FOOTNOTES not in out:
            raise TemplateError("template_no_footnotes", name=template.name)
        out[FOOTNOTES] = ooxml.with_footnotes(out[FOOTNOTES], notes)
    title = f"{context['ten_loai']} {' '.join(context['trich_yeu'])}"
    author = str(context["co_quan_ban_hanh"]).replace("\n", " ")
    out[CORE] = package.core_properties(title, author, datetime.now(timezone.utc))
    pictures.add_to(out)
    if custom:
        _check_written_parts(template, out, prepared.parts.data)
    unchanged = prepared.parts.data
    # A story part Jinja left as it was (a header with no field of the report) is the
    # template's, compressed once; bytes compare by length first, so this is cheap.
    made = [name for name, data in out.items() if data != unchanged.get(name)]
    if STYLES in made and context["gian_dong"] is None:
        made.remove(STYLES)  # one of a few (``_styles``): worth keeping compressed
    for name in packed:
        del out[name]
    return package.write(out, prepared.parts.names, made, packed)


STREAM_BATCH = 1 << 16
"""Characters of XML encoded and handed to the compressor at a time."""
_NOT_IN_BODY = (b"\n", b"\t", b"\x07", b"\x0c")
"""What the template stage's passes would rewrite (``story.joined``, ``_listing``); the writer
never leaves one in its XML (it writes breaks and tabs as elements) unless a text holds \\a or
\\f, which only docxtpl's pass on the whole document turns into paragraphs."""


def _streamed_document(
    shell: str, prepared: _Prepared, context: dict[str, Any], streams: dict[str, Iterator[str]]
) -> package.Packed:
    """The document part, compressed as its pieces come: the template's shell around the body's.

    The same bytes as the shell filled with the whole strings, then ``_sections``
    and ``header.with_columns``, when each placeholder stands once in the shell,
    no section break does, the template's last section stands after the last
    placeholder and the header table before the first; otherwise, and for a
    body that the listing pass would change, ``_NotStreamed``.
    """
    marks = {name: str(write.placeholder(name)) for name in streams}
    if any(shell.count(mark) != 1 for mark in marks.values()) or write.SECTION_BREAK in shell:
        raise _NotStreamed
    places = sorted((shell.index(mark), name) for name, mark in marks.items())
    order = [name for _, name in places]
    segments, at = [], 0
    for start, name in places:
        segments.append(shell[at:start])
        at = start + len(marks[name])
    segments.append(shell[at:])
    variants = _section_variants(prepared, context)
    last = segments[-1].rfind(prepared.section)
    if last < 0:
        raise _NotStreamed
    tail = segments[-1]
    segments[-1] = tail[:last] + variants[-1] + tail[last + len(prepared.section) :]
    columns = context["cot_dau_trang"]
    if columns is not None:
        default = (geometry.HEADER_LEFT, geometry.HEADER_RIGHT)
        segments[0] = _header_columns(segments[0], default, columns)
    breaks = iter(variants[:-1])
    with package.Deflater() as deflater:
        batch: list[str] = []
        size = 0

        def flush() -> None:
            data = "".join(batch).encode("utf-8")
            batch.clear()
            if any(mark in data for mark in _NOT_IN_BODY):
                raise _NotStreamed
            deflater.add(data)

        for index, name in enumerate(order):
            deflater.add(segments[index].encode("utf-8"))
            for piece in streams[name]:
                if piece == write.SECTION_BREAK:
                    variant = next(breaks, None)
                    if variant is None:
                        raise _section_breaks_error()
                    piece = sections.break_paragraph(write.SECTION_BREAK_STYLE, variant)
                batch.append(piece)
                size += len(piece)
                if size > STREAM_BATCH:
                    flush()
                    size = 0
            flush()
            size = 0
        deflater.add(segments[-1].encode("utf-8"))
        if next(breaks, None) is not None:
            raise _section_breaks_error()
        return deflater.packed()


def _header_columns(xml: str, default: tuple[int, int], columns: tuple[int, int]) -> str:
    """``header.with_columns`` on the shell before the body, where the header table stands."""
    if not header.holds(xml, default):
        raise _NotStreamed  # perhaps in the body: the whole document is searched then
    return header.with_columns(xml, default, columns)


def _section_breaks_error() -> TemplateError:
    return TemplateError("template_broken", name="*", detail={"code": "template_section_breaks"})


def _stories(
    template: Template, prepared: _Prepared, context: dict[str, Any], *, streamed: bool = False
) -> dict[str, str]:
    """Fill in each story part of a shipped template, in this process.

    Shipped templates are ours: they stay within any budget and their XML is
    well-formed by construction (values are escaped; the paragraphs baocao
    builds are escaped by the writer), so they skip the child process and the
    check that a clerk's own template gets (see ``_confined_stories``).
    """
    out: dict[str, str] = {}
    for name, compiled in prepared.stories.items():
        try:
            xml = story.joined(compiled.render(context))
        except (JinjaTemplateError, FormatError) as err:
            line = _template_line(err)
            raise _template_error(template, prepared.sources[name], _problem(err), line) from err
        out[name] = _listing(xml, whole=not streamed)
    return out


def _confined_stories(
    template: Template, prepared: _Prepared, context: dict[str, Any]
) -> dict[str, str]:
    """Fill in a clerk's own template in a child process with a time and memory budget.

    A template is a program its author may get wrong (or write to harm): a
    loop of 10^10 steps, a gigabyte string, raw XML through ``| safe``. Each
    is stopped and named by the paragraph it happened in (``_guarded_stories``
    runs in the child); only a computation that ignores the alarm is killed
    at the hard deadline, and then the template is named without a paragraph.
    """
    from baocao import confine

    try:
        return confine.run(
            lambda: _guarded_stories(template, prepared, context),
            seconds=CUSTOM_SECONDS,
            memory=CUSTOM_MEMORY,
        )
    except confine.Exceeded as err:
        raise _stopped(template, err.kind) from None


class _OutputLimit(Exception):
    """Thrown into a template that wrote more than ``CUSTOM_OUTPUT`` characters."""


class _NotXml(Exception):
    """Thrown into a template at the place its output stops being XML."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _guarded_stories(
    template: Template, prepared: _Prepared, context: dict[str, Any]
) -> dict[str, str]:
    """Fill in each story part, stopping at the output limit and checking that it is XML.

    Output that is not XML is found by parsing it; the template is then run
    again up to the place of the fault, where ``_NotXml`` is thrown in, so
    that Jinja's traceback names the paragraph that wrote it.
    """
    out: dict[str, str] = {}
    room = CUSTOM_OUTPUT
    for name, compiled in prepared.stories.items():
        try:
            xml = _generated(compiled, context, room, _OutputLimit())
            fault = _xml_fault(xml.encode("utf-8"))
            if fault is not None:
                at, detail = fault
                _generated(compiled, context, min(at, len(xml) - 1), _NotXml(detail))
                raise _NotXml(detail)  # not thrown in (the template did not write the same twice)
        except Exception as err:  # whatever the template's code raised, said where it was
            line = _template_line(err)
            raise _template_error(template, prepared.sources[name], _problem(err), line) from None
        room -= len(xml)
        out[name] = _listing(story.joined(xml))
    return out


def _generated(
    compiled: JinjaTemplate, context: dict[str, Any], limit: int, stop: Exception
) -> str:
    """Run ``compiled`` until it has written more than ``limit`` characters, then throw ``stop`` in.

    An alarm that rings here, between two pieces, is thrown in too: the
    traceback then names the paragraph the template was writing.
    """
    from baocao import confine

    pieces: list[str] = []
    size = 0
    generator = cast(Generator[str, None, None], compiled.generate(context))  # typed as an Iterator
    try:
        for piece in generator:
            pieces.append(piece)
            size += len(piece)
            if size > limit:
                generator.throw(stop)
    except confine.TimeUp as err:
        if _template_line(err) is None and getattr(generator, "gi_frame", None) is not None:
            generator.throw(confine.TimeUp())
        raise
    return "".join(pieces)


def _xml_fault(data: bytes) -> tuple[int, str] | None:
    """Where ``data`` stops being well-formed, namespaced XML (a character offset), and why."""
    from xml.parsers import expat  # here: only a clerk's own template is checked

    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        at = len(data[: parser.ErrorByteIndex].decode("utf-8", "ignore"))
        return at, expat.ErrorString(err.code) or str(err)
    return None


def _check_custom_parts(template: Template, parts: package.Parts) -> None:
    """Every XML part of a clerk's own template must be XML; said once, when it is prepared.

    A story part is also held to ``MAX_STORY_PART``: preparing it (docxtpl's
    passes, Jinja's compiler) runs in this process, outside the budget.
    """
    for name in parts.names:
        if STORY.match(name) and len(parts.data[name]) > MAX_STORY_PART:
            limit = MAX_STORY_PART // 2**20
            raise TemplateError("template_part_too_big", name=template.name, part=name, limit=limit)
        if name.endswith((".xml", ".rels")):
            fault = _xml_fault(parts.data[name])
            if fault is not None:
                detail = f"{name}: {fault[1]}"
                raise TemplateError("template_broken", name=template.name, detail=detail)


def _check_written_parts(
    template: Template, parts: dict[str, bytes], unchanged: Mapping[str, bytes]
) -> None:
    """Parse every XML part a render changed before it is written: the last line of defence.

    The parts copied from the template were parsed when it was prepared; the
    story parts were parsed in the child, where a fault names its paragraph.
    What is left to find here is a fault in baocao's own assembly.
    """
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")) and data is not unchanged.get(name):
            fault = _xml_fault(data)
            if fault is not None:
                detail = f"{name}: {fault[1]}"
                raise TemplateError("template_broken", name=template.name, detail=detail)


def _template_line(err: BaseException) -> int | None:
    """The template line an error was raised at (Jinja rewrites tracebacks to template lines)."""
    return next(
        (t.tb_lineno for t in _frames(err) if t.tb_frame.f_code.co_filename == "<template>"),
        None,
    )


def _problem(err: BaseException) -> Any:
    """What went wrong in a template, as a message (a code and its parameters) or Jinja's words."""
    from baocao import confine

    if isinstance(err, FormatError):  # a Vietnamese filter's own error, worded in either language
        return {"code": err.code, **err.params}
    if isinstance(err, confine.TimeUp):
        return {"code": "template_too_slow", "seconds": CUSTOM_SECONDS}
    if isinstance(err, MemoryError):
        return {"code": "template_memory", "limit": CUSTOM_MEMORY // 2**20}
    if isinstance(err, RecursionError):
        return {"code": "template_recursion"}
    if isinstance(err, _OutputLimit):
        return {"code": "template_output_too_big", "limit": CUSTOM_OUTPUT // 2**20}
    if isinstance(err, _NotXml):
        return {"code": "template_not_xml", "detail": err.detail}
    if isinstance(err, ValueError) and "integer string conversion" in str(err):
        # Python's own words advise sys.set_int_max_str_digits, which a clerk cannot use.
        return {"code": "template_number_too_big"}
    return getattr(err, "message", None) or str(err) or type(err).__name__


def _template_error(
    template: Template, source: str, problem: Any, line: int | None
) -> TemplateError:
    """Say where a template error is in words a clerk understands: paragraph or table cell.

    The paragraph is numbered as in the clerk's document (docxtpl removes the
    paragraphs that hold only a {%p %} tag, so the compiled source is not).
    """
    lines = source.split("\n")
    if not line or not 0 < line <= len(lines) or not story.starts_paragraph(lines[line - 1]):
        return TemplateError("template_broken", name=template.name, detail=problem)
    excerpt = story.words(lines[line - 1])
    original = [
        story.words(piece)
        for piece in story.paragraphs(
            package.read_template(template.docx).data[DOCUMENT].decode("utf-8")
        )
    ]
    number = next((i for i, text in enumerate(original, start=1) if text == excerpt), None)
    if number is None:  # words that look like tags ('</w:t>'): count the paragraphs instead
        number = sum(1 for text in lines[:line] if story.starts_paragraph(text)) + sum(
            len(re.findall(_BARE_TAG, story.after_paragraph(text))) for text in lines[: line - 1]
        )
        if 0 < number <= len(original):
            excerpt = original[number - 1]
    before = "\n".join(lines[: line - 1])
    code = "template_where_cell" if story.in_cell(before) else "template_where_paragraph"
    where = {"code": code, "number": number, "excerpt": excerpt[:60]}
    return TemplateError("template_syntax", name=template.name, where=where, problem=problem)


_OPENERS = (("{{", "}}"), ("{%", "%}"))
# As text: compiled by ``re`` at its first use (see ``source._CONTROL``).
_BARE_TAG = r"\{%|\{\{"
"""A tag between paragraphs: what docxtpl left of a paragraph holding only {%p … %} or {{p … }}."""


BLOCK_FIELDS = (
    "than_van_ban",
    "phu_luc",
    "kinh_gui",
    "dau_muc_do",
    "pham_vi_luu_hanh",
    "gach_co_quan",
    "gach_tieu_ngu",
    "gach_trich_yeu",
)
"""Fields that hold whole paragraphs: the template must place them with {{p … }}."""

_PLAIN_BLOCK_FIELD = re.compile(r"\{\{\s*(" + "|".join(BLOCK_FIELDS) + r")\s*\}\}")


def _check_tags_close(template: Template, xml: str) -> None:
    """Every {{ … }} and {% … %} must close in its own paragraph; block fields need {{p … }}.

    docxtpl joins a tag's pieces across Word's runs up to the next closing
    mark, so an unclosed "{{ kinh_gui" would silently swallow the paragraphs
    after it; and {{ than_van_ban }} without "p" would put paragraphs inside
    a run, which Word does not show. A clerk is told which paragraph to fix.
    """
    for number, piece in enumerate(story.paragraphs(xml), start=1):
        text = story.text(piece)
        where = {
            "code": "template_where_paragraph",
            "number": number,
            "excerpt": " ".join(text.split())[:60],
        }
        problem: dict[str, str] | None = None
        if any(text.count(open_) != text.count(close) for open_, close in _OPENERS):
            problem = {"code": "template_tag_unclosed"}
        elif plain := _PLAIN_BLOCK_FIELD.search(text):
            problem = {"code": "template_needs_p", "field": plain.group(1)}
        if problem is not None:
            raise TemplateError("template_syntax", name=template.name, where=where, problem=problem)


def _frames(err: BaseException) -> Iterator[Any]:
    frame = err.__traceback__
    while frame is not None:
        yield frame
        frame = frame.tb_next


def _listing(xml: str, *, whole: bool = True) -> str:
    """Turn tabs and line breaks inside text into Word's elements (docxtpl's listing pass).

    Skipped when no text holds one: it is a regex pass over every paragraph.
    Not ``whole`` (a streamed document's shell), docxtpl's pass is not made:
    it is made on the whole document (``_NotStreamed``).
    """
    if not story.has_listing(xml):
        return xml
    broken = story.with_line_breaks(xml)
    if not story.has_listing(broken):  # line breaks only: no need to import docxtpl
        return broken
    if not whole:
        raise _NotStreamed
    from docxtpl import DocxTemplate

    # resolve_listing is a pure pass over the XML; it uses nothing of the instance.
    return str(DocxTemplate.resolve_listing(None, xml))


# -- sections --------------------------------------------------------------------------


def _section_variants(prepared: _Prepared, context: dict[str, Any]) -> list[str]:
    """Each section's properties: the template's, with the report's page and margins; from the
    second on (appendices), the empty first-page footer, so page 1's contact strip is not
    repeated."""
    specs: list[model.Section] = context["phan"]
    page: model.Page = context["trang"]
    return [
        _section_variant(
            prepared.section, spec, page, None if index == 0 else prepared.empty_footer
        )
        for index, spec in enumerate(specs)
    ]


def _sections(xml: str, prepared: _Prepared, context: dict[str, Any]) -> str:
    """End each section at its break paragraph with the template's section properties.

    Every section copies the template's (headers, numbering from 1, first page
    unnumbered) with the report's margins; appendices get their orientation
    and the empty first-page footer, so page 1's contact strip is not repeated.
    """
    variants = _section_variants(prepared, context)
    pieces = xml.split(write.SECTION_BREAK)
    if len(pieces) != len(variants):
        raise _section_breaks_error()
    joined = [pieces[0]]
    for variant, piece in zip(variants[:-1], pieces[1:], strict=True):
        joined.append(sections.break_paragraph(write.SECTION_BREAK_STYLE, variant))
        joined.append(piece)
    text = "".join(joined)
    at = text.rfind(prepared.section)
    return text[:at] + variants[-1] + text[at + len(prepared.section) :]


def _section_variant(
    section: str, spec: model.Section, page: model.Page, first_footer: str | None
) -> str:
    margins = {"top": page.top, "bottom": page.bottom, "left": page.left, "right": page.right}
    size = (A4[1], A4[0]) if spec.landscape else A4
    return sections.variant(
        section,
        size,
        spec.landscape,
        margins,
        first_footer,
        restart=spec.restart,
        title_page=spec.title_page,
    )


# -- style sizes -----------------------------------------------------------------------


@memo.bounded(entries=32, size=4 * 2**20, weigh=lambda args, part: len(part) + 200)
def _styles(prepared: _Prepared, sizes: model.Sizes, store: TemplateCache | None) -> bytes:
    """The template's styles with the report's sizes.

    Hit by nearly every render: reports use one of four sets of sizes per
    template. Its bytes are also what ``package._deflate`` is keyed by, so an
    unchanged styles part is compressed once. Kept in ``store`` too: a
    one-shot render then needs no lxml (its import is a tenth of the run).
    """
    part = prepared.parts.data[STYLES]
    by_style = sizes.by_style()
    if store is None:
        return styles.with_sizes(part, by_style)
    template = prepared.template
    key = _entry_key(template, store) if template is not None else None
    kept = store.load(key) if key is not None else None
    name = f"styles {json.dumps(by_style, sort_keys=True)}"
    if kept is not None and name in kept:
        return kept[name].encode("utf-8")
    made = styles.with_sizes(part, by_style)
    if kept is not None and key is not None:  # the template's entry, with one more set
        store.save(key, {**kept, name: made.decode("utf-8")})
    return made


def _line_spacing(part: bytes, lines: float) -> bytes:
    """The body style's line spacing set to ``lines`` (headings and căn cứ are based on it)."""
    return styles.with_line_spacing(part, {nd30.BODY.style: round(lines * styles.SINGLE_LINE)})


# -- pictures --------------------------------------------------------------------------


@record(frozen=False)
class _Pictures:
    """Pictures of one render: each file stored once, each use its own drawing."""

    next_rel: int
    stored: dict[str, tuple[str, str, bytes, str]] = field(
        default_factory=dict
    )  # sha1 → rel, part, blob, type
    count: int = 0

    def embed(self, picture: model.Picture) -> str:
        """Place a PNG or JPEG: its natural size, or the width asked, never wider than the text."""
        path, max_width, width = picture.path, picture.max_width, picture.width
        # python-docx reads picture sizes; loaded only for reports that have pictures.
        from docx.image.exceptions import (
            InvalidImageStreamError,
            UnexpectedEndOfFileError,
            UnrecognizedImageError,
        )
        from docx.image.image import Image
        from docx.shared import Inches, Twips

        try:
            blob = path.read_bytes()
            image = Image.from_blob(blob)
        except (
            OSError,
            UnrecognizedImageError,
            UnexpectedEndOfFileError,
            InvalidImageStreamError,
            ValueError,
            struct.error,
        ) as err:
            # A file that starts like a PNG or JPEG can still be damaged inside.
            reason = str(err) or type(err).__name__
            raise InputError("picture_unreadable", Location(str(path)), reason=reason) from err
        digest = sha1(blob).hexdigest()
        if digest not in self.stored:
            rel = f"rId{self.next_rel + len(self.stored)}"
            part = f"word/media/image{len(self.stored) + 1}.{image.ext}"
            self.stored[digest] = (rel, part, blob, image.content_type)
        rel = self.stored[digest][0]
        # A header stating 0 pixels (validation names it) or 0 dpi gave ZeroDivisionError;
        # 0 dpi is read as no dpi at all, which python-docx takes for 72.
        natural_width = Inches(image.px_width / (image.horz_dpi or 72))
        natural_height = Inches(image.px_height / (image.vert_dpi or 72))
        if not (natural_width and natural_height):
            size = f"{image.px_width} × {image.px_height} px"
            raise InputError("picture_unreadable", Location(str(path)), reason=size)
        cx = min(Twips(width) if width else natural_width, Twips(max_width))
        cy = round(natural_height * (float(cx) / float(natural_width)))  # as scaled_dimensions
        self.count += 1
        return ooxml.picture(cx, cy, self.count, path.name, rel)

    def add_to(self, parts: dict[str, bytes]) -> None:
        for rel, part, blob, content_type in self.stored.values():
            parts[part] = blob
            parts[package.DOCUMENT_RELS] = package.add_relationship(
                parts[package.DOCUMENT_RELS], rel, package.IMAGE_REL, part.removeprefix("word/")
            )
            parts[package.CONTENT_TYPES] = package.add_default_type(
                parts[package.CONTENT_TYPES], part.rsplit(".", 1)[1], content_type
            )
