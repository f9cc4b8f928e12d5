"""The ``baocao`` command: render, validate, init, templates.

Help and messages are Vietnamese by default; ``--lang en`` (anywhere on the
command line) or ``BAOCAO_LANG=en`` switches to English. Errors are caught
in exactly one place (``_Group.invoke``) and turned into a message naming
the file, line and key, and an exit code (see ``baocao.errors``). Importing
this module does not import docxtpl, so ``baocao --help`` stays fast.

Each command is a module-level function (``render_command`` …) that raises its
errors as data; ``make_cli(lang)`` only declares the arguments and options,
whose help is in ``lang``, and hands them to it.
"""

from __future__ import annotations

import gc
import gettext
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from baocao import _importing

with _importing():
    import click

    from baocao import messages
    from baocao.errors import (
        BaocaoError,
        InputError,
        Issue,
        Location,
        OutputError,
        ValidationFailed,
    )

MIB = 1024 * 1024
_OWN_PROCESS = False
"""Whether the process ends with this command (the console script's ``main()``)."""
Command = TypeVar("Command", bound=Callable[..., Any])
"""A command's function, or the click.Command made of it, as an option decorator takes it."""
INTERRUPTED = 130
"""Exit code after Ctrl+C: 128 + SIGINT, what shells report for a command stopped that way."""
BROKEN_PIPE = 141
"""Exit code when the reader of our output went away: 128 + SIGPIPE, as shells report it."""
TERMINATED = 143
"""Exit code after SIGTERM (what ``kill`` and service managers send): 128 + SIGTERM."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, stopped as Ctrl+C is: the pieces under way end, nothing is left half-written."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _language(argv: list[str]) -> str:
    """Find ``--lang`` anywhere in ``argv`` (removing it), else ``BAOCAO_LANG``.

    An unknown value is left in place, so click refuses it with a usage message.
    """
    lang = os.environ.get("BAOCAO_LANG", messages.DEFAULT_LANGUAGE)
    for index, arg in enumerate(list(argv)):
        value = argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is None:
            continue
        if value in messages.LANGUAGES:
            del argv[index : index + (1 if arg.startswith("--lang=") else 2)]
            return value
        break
    return lang if lang in messages.LANGUAGES else messages.DEFAULT_LANGUAGE


def _echo_issue(issue: Issue, lang: str) -> None:
    click.echo(messages.describe_issue(issue, lang), err=True)


def _language_of(ctx: click.Context) -> str:
    """The language the group's callback stored; an error may come before it runs."""
    language: str = (ctx.obj or {}).get("lang", messages.DEFAULT_LANGUAGE)
    return language


class _Group(click.Group):
    """Catch ``BaocaoError`` once, print it for a clerk, and exit with its code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BaocaoError as error:
            lang = _language_of(ctx)
            click.echo(click.style(messages.describe_error(error, lang), fg="red"), err=True)
            if isinstance(error, ValidationFailed):
                kind = (ctx.obj or {}).get("kind", ".docx")
                summary = messages.text(
                    "summary_errors", lang, count=error.params["count"], kind=kind
                )
                click.echo(summary, err=True)
            if (ctx.obj or {}).get("debug"):
                raise
            ctx.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`baocao render thu-muc/ | head`): stop quietly, as other
            # commands do, not as a bug. Python's signal docs give this recipe: stdout to
            # devnull, so the flush at exit does not fail a second time.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(BROKEN_PIPE)
        except KeyboardInterrupt as stop:
            # Ctrl+C is the clerk's choice, not a bug (exit 1); every write is atomic, so say so.
            # SIGTERM is someone's too (`kill`, a service manager), and stops the same way.
            lang = _language_of(ctx)
            terminated = isinstance(stop, Terminated)
            click.echo(messages.text("terminated" if terminated else "interrupted", lang), err=True)
            ctx.exit(TERMINATED if terminated else INTERRUPTED)
        except Exception:
            # A bug, not the clerk's mistake: one clear sentence, the traceback only with --debug.
            if (ctx.obj or {}).get("debug"):
                raise
            lang = _language_of(ctx)
            click.echo(click.style(messages.text("internal_error", lang), fg="red"), err=True)
            ctx.exit(1)


STARTER = "bao-cao.yaml"
"""The file ``baocao init`` writes when given no name, or only a folder."""

BATCH_PARALLEL_FROM = 8
"""With --jobs 0 (auto), batches of at least this many reports use every core."""


REDRAW_EVERY = 0.1
"""Seconds between two redraws of a batch's progress bar (the last one is always drawn)."""


class _Redraw:
    """Whether the progress bar is due a redraw: at most one per ``every`` seconds.

    A redraw costs the parent about 1 ms of CPU; with ``-j 2`` on two cores that
    time is taken from the workers. Redrawn for every report, 200 reports cost
    0.18 s of the parent's CPU (measured under a pseudo-terminal); ten redraws a
    second look the same to the clerk.
    """

    def __init__(self, every: float, clock: Callable[[], float] | None = None) -> None:
        import time

        self.every = every
        self.clock = clock or time.monotonic
        self.last: float | None = None

    def due(self, last: bool = False) -> bool:
        now = self.clock()
        if not last and self.last is not None and now - self.last < self.every:
            return False
        self.last = now
        return True


def _drawn_on_stderr() -> bool:
    """Whether a progress bar is drawn on stderr: a terminal as rich tells one (its
    TTY_COMPATIBLE and FORCE_COLOR variables first, then isatty), without importing rich."""
    for name, off in (("TTY_COMPATIBLE", "0"), ("FORCE_COLOR", "")):
        value = os.environ.get(name)
        if value is not None and (name == "FORCE_COLOR" or value in ("0", "1")):
            return value != off
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced, or closed
        return False


def _batch_folder(output: str) -> bool:
    """Tell whether a batch's ``-o`` can be the folder for all its .docx files.

    An existing file, or a name ending in .docx or .pdf, is refused rather than
    made into a folder: the clerk meant one document, which a batch is not.
    """
    from baocao.api import names_folder

    return names_folder(output) or (
        not os.path.exists(output) and Path(output).suffix.lower() not in (".docx", ".pdf")
    )


def _render_batch(
    inputs: tuple[Path, ...],
    output_dir: str | None,
    template: str | None,
    overwrite: bool | None,
    jobs: int,
    max_bytes: int,
    lang: str,
    pdf: bool = False,
) -> None:
    """Render many reports with a progress bar; one report's error never stops the others."""
    from baocao.batch import Outcome, build_many, reports_in
    from baocao.cache import TemplateCache

    paths = reports_in(inputs)
    if not paths:
        raise InputError("no_reports", Location(", ".join(map(str, inputs))))
    if jobs == 0:
        jobs = (os.cpu_count() or 1) if len(paths) >= BATCH_PARALLEL_FROM else 1
    terminal = _drawn_on_stderr()
    progress: Any = None
    if terminal:  # rich only for a bar: its import is a sixth of a batch command's start
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        # Redrawn as reports finish, not by rich's refresh thread: the workers fork while the
        # bar is up, and a thread holding stderr's lock then would leave it locked in them.
        progress = Progress(
            *columns, console=Console(stderr=True), transient=True, auto_refresh=False
        )
    with progress or nullcontext():
        task = (
            None
            if progress is None
            else progress.add_task(messages.text("batch_progress", lang), total=len(paths))
        )
        redraw = _Redraw(REDRAW_EVERY)

        def done(outcome: Outcome) -> None:
            if progress is not None:
                progress.advance(task)
                if redraw.due(last=progress.finished):
                    progress.refresh()
            for issue in outcome.warnings:
                _echo_issue(issue, lang)
            if not terminal:  # a log file or a pipe: one plain line per report, as it finishes
                key, path = (
                    ("summary_written", outcome.output)
                    if outcome.error is None
                    else ("batch_failed", outcome.input)
                )
                click.echo(messages.text(key, lang, path=path))

        outcomes = build_many(
            paths,
            template=template,
            overwrite=overwrite,
            pdf=pdf,
            jobs=jobs,
            max_bytes=max_bytes,
            on_done=done,
            output_dir=output_dir,
            cache=TemplateCache.default(),
        )
    failures = [outcome for outcome in outcomes if outcome.error is not None]
    if failures:  # every problem together at the end, not scattered above a progress bar
        click.echo(messages.text("batch_failures", lang), err=True)
        for outcome in failures:
            assert outcome.error is not None
            click.echo(
                click.style(messages.describe_error(outcome.error, lang), fg="red"), err=True
            )
    written = sum(outcome.output is not None for outcome in outcomes)  # a PDF's failure too
    click.echo(
        messages.text(
            "batch_summary", lang, written=written, total=len(paths), failed=len(failures)
        )
    )
    if failures:
        error = failures[0].error
        raise SystemExit(error.exit_code if error is not None else 1)


# The commands, one function each: what a command does, importable and callable without
# Click (``obj`` is the group's context object: "lang", "debug", and "kind" for a summary).
# make_cli only declares their arguments and options, with help in the clerk's language.


def render_command(
    obj: dict[str, Any],
    inputs: tuple[Path, ...],
    output: str | None,
    template: str | None,
    overwrite: bool | None,
    jobs: int,
    pdf: bool,
    max_size: int,
) -> None:
    """``baocao render``: one report to ``output``, or a batch (folders, several files)."""
    lang = obj["lang"]
    if len(inputs) == 1 and not inputs[0].is_dir():
        with _importing(keep=_OWN_PROCESS):
            from baocao.api import build
            from baocao.cache import TemplateCache

        written = build(
            inputs[0],
            output,
            template=template,
            overwrite=overwrite or None,
            on_warning=lambda issue: _echo_issue(issue, lang),
            max_bytes=max_size * MIB,
            pdf=pdf,
            cache=TemplateCache.default(),
        )
        click.echo(messages.text("summary_written", lang, path=written))
        if pdf and written.suffix.lower() == ".docx":
            click.echo(messages.text("summary_written", lang, path=written.with_suffix(".pdf")))
        return
    if output is not None and not _batch_folder(output):
        raise click.UsageError(messages.text("batch_output_not_folder", lang, path=output))
    _render_batch(inputs, output, template, overwrite or None, jobs, max_size * MIB, lang, pdf)


def validate_command(obj: dict[str, Any], input: Path, template: str | None, max_size: int) -> None:
    """``baocao validate``: check a report without rendering it; warnings, then "valid"."""
    from baocao.bundle import template_for
    from baocao.source import load
    from baocao.validation import validate as check

    obj["kind"] = ".docx"
    source = load(input, max_bytes=max_size * MIB)
    validated = check(source, template_for(template or None, source.data))
    for issue in validated.warnings:
        _echo_issue(issue, obj["lang"])
    click.echo(messages.text("summary_valid", obj["lang"], file=input))


def init_command(obj: dict[str, Any], file: str, template: str, overwrite: bool) -> None:
    """``baocao init``: write a type's commented starter file."""
    from baocao.api import names_folder
    from baocao.bundle import find
    from baocao.output import write

    into_folder = names_folder(file)  # `baocao init thang-11/` writes thang-11/bao-cao.yaml
    path = Path(file, STARTER) if into_folder else Path(file)
    if path.exists() and not overwrite:
        raise OutputError("init_exists", path=str(path))
    starter = find(template).example.read_text(encoding="utf-8")
    starter = starter.replace(f"baocao render {STARTER}", f"baocao render {path.name}")
    write(starter.encode("utf-8"), path, overwrite=overwrite, make_folder=into_folder)
    click.echo(messages.text("init_written", obj["lang"], path=path))


def serve_command(
    obj: dict[str, Any],
    host: str,
    port: int,
    max_size: int,
    timeout: float,
    concurrency: int | None,
    body_timeout: float,
    hosts: tuple[str, ...],
    workers: int | None = None,
) -> None:
    """``baocao serve``: the HTTP service, until stopped.

    ``workers`` HTTP processes (default: one per core) share the port through
    uvicorn's own multi-process mode, and one pool of ``concurrency`` job
    processes (default: as many as HTTP processes) started here, before them:
    whichever job process is idle takes the next job, from any HTTP process.
    So the work is balanced by jobs, not by connections: a kept-alive
    connection stays with the HTTP process that accepted it, and with 8
    clients on two processes the split was measured 5 to 3, which capped a
    job process per HTTP process near 1.6x one worker. A job is about 5 ms of
    CPU, answering HTTP under 1 ms, so N job processes fill N cores. More jobs
    than cores add no throughput for CPU-bound reports; they help only when
    jobs wait on something else, such as LibreOffice for PDFs.
    """
    import dataclasses
    import json
    import socket

    if not hasattr(socket, "AF_UNIX"):  # the job pool listens on a Unix socket (Windows has none)
        raise click.ClickException(messages.text("serve_needs_unix", obj["lang"]))

    import uvicorn

    from baocao.cache import TemplateCache
    from baocao.service import (
        JOBS_VARIABLE,
        LIMITS_VARIABLE,
        PARENT_VARIABLE,
        JobPool,
        Limits,
        create_app,
    )

    workers = workers or cores()
    limits = Limits(
        max_bytes=max_size * MIB,
        timeout=timeout,
        concurrency=concurrency or workers,  # job processes, shared by the HTTP processes
        body_timeout=body_timeout,
        hosts=(*Limits().hosts, *hosts),  # BAOCAO_CHO_PHEP_HOST and the options
    )
    if workers == 1:  # one process: the application runs the job pool itself
        app = create_app(limits, cache=TemplateCache.default())
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    pool = JobPool(limits.concurrency, TemplateCache.default())
    pool.start()
    try:
        os.environ[LIMITS_VARIABLE] = json.dumps(dataclasses.asdict(limits))
        os.environ[JOBS_VARIABLE] = pool.address
        os.environ[PARENT_VARIABLE] = str(os.getpid())
        uvicorn.run(
            "baocao.service:worker_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
        )
    finally:
        pool.close()


def cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def templates_command(obj: dict[str, Any]) -> None:
    """``baocao templates``: one line per document type."""
    from baocao.bundle import available, find

    for name in available():
        bundle = find(name)
        description = bundle.description.get(obj["lang"], bundle.description["vi"])
        click.echo(f"{name:<12} {bundle.type_name:<10} {description}")


def check_command(
    obj: dict[str, Any],
    report: Path,
    as_json: bool,
    template: str | None,
    fix: bool = False,
    output: str | None = None,
    overwrite: bool = False,
    exact: bool = False,
) -> int:
    """``baocao check``: print each rule's result; return the exit code (0 when all pass).

    With ``fix``, write a corrected copy instead (``fix_command``)."""
    import json

    if fix:
        return fix_command(obj, report, as_json, template, output, overwrite, exact)

    from baocao.check import EXIT_FAILED
    from baocao.check import check as check_file

    lang = obj["lang"]
    result = check_file(report, template=template, exact=exact)
    if as_json:
        click.echo(json.dumps(result.as_dict(lang), ensure_ascii=False, indent=2))
    else:
        for line in result.results:
            click.secho(line.message(lang), fg="green" if line.passed else "red")
        click.echo(result.summary(lang))
    return 0 if result.passed else EXIT_FAILED


FIX_FOLDER = "da-sua"
"""Where ``baocao check --fix`` writes without ``-o``: a folder of the current one, so the
original's folder is never written into unless the clerk asks."""


def fix_command(
    obj: dict[str, Any],
    source: Path,
    as_json: bool,
    template: str | None,
    output: str | None,
    overwrite: bool,
    exact: bool = False,
) -> int:
    """``baocao check --fix``: a corrected copy of one file, or of every .docx of a folder."""
    import json

    from baocao.check import EXIT_FAILED
    from baocao.check.fix import fix
    from baocao.output import write as write_output

    lang = obj["lang"]
    target, make_folder = fix_target(source, output, overwrite)
    if source.is_dir():
        return _fix_folder(obj, source, target, as_json, template, overwrite, exact)
    result = fix(source, template=template, exact=exact)
    written = write_output(result.data, target, overwrite=overwrite, make_folder=make_folder)
    if as_json:
        shown = result.as_dict(lang) | {"output": str(written)}
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        for line in result.lines(lang):
            click.secho(line, fg="green" if line.startswith("✓") else "red")
        click.echo(result.summary(lang))
        click.echo(messages.text("fix_written", lang, path=written))
    return 0 if result.after.passed else EXIT_FAILED


def fix_target(source: Path, output: str | None, overwrite: bool) -> tuple[Path, bool]:
    """Where the fixed copy of ``source`` goes (for a folder: the folder of its copies), and
    whether that folder may be made.

    Without ``-o``: ./da-sua/NAME (made if missing); ``--ghi-de`` alone: the original itself.
    ``-o`` names a file, or a folder when it ends in "/" or is one (made if missing). The
    input's folder is written into only when the clerk named it: ``-o`` for a file (a name of
    its own there), ``--ghi-de`` for a folder (its copies would replace the originals). An
    existing file is replaced only with ``--ghi-de`` (``baocao.output.write``).
    """
    if source.is_dir():
        target = Path(output) if output else (source if overwrite else Path.cwd() / FIX_FOLDER)
        _refuse_input_folder(source, target, asked=overwrite)
        return target, True
    folder = output is not None and (output.endswith(("/", os.sep)) or Path(output).is_dir())
    if output is not None:
        target = Path(output) / source.name if folder else Path(output)
    elif overwrite:
        target = source  # replaced atomically
    else:
        target = Path.cwd() / FIX_FOLDER / source.name
    _refuse_input_folder(source.parent, target.parent, asked=output is not None or overwrite)
    return target, folder or (output is None and not overwrite)


def _refuse_input_folder(source: Path, target: Path, *, asked: bool) -> None:
    """The original's folder is written into only when the clerk named it (``-o``, ``--ghi-de``)."""
    if not asked and source.resolve() == target.resolve():
        raise OutputError("fix_same_folder", folder=str(source))


def _fix_folder(
    obj: dict[str, Any],
    folder: Path,
    out: Path,
    as_json: bool,
    template: str | None,
    overwrite: bool,
    exact: bool,
) -> int:
    """Every .docx under ``folder`` into ``out`` (its sub-folders mirrored), a progress bar on
    a terminal."""
    import json

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from baocao.check import EXIT_FAILED
    from baocao.check.fix import fix
    from baocao.output import write as write_output

    lang = obj["lang"]
    inside = out.resolve()
    same = inside == folder.resolve()
    paths = sorted(
        p
        for p in folder.rglob("*.docx")
        if p.is_file()
        and not p.name.startswith("~$")  # Word's lock file of an open document
        and (same or not p.resolve().is_relative_to(inside))  # not an earlier run's copies
    )
    if not paths:
        raise InputError("fix_no_files", Location(str(folder)), folder=str(folder))
    console = Console(stderr=True)
    reports: list[dict[str, Any]] = []
    fixed = clean = failed = 0
    all_pass = True
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(messages.text("help_fix", lang)[:30] + "…", total=len(paths))
        for path in paths:
            target = out / path.relative_to(folder)
            try:
                result = fix(path, template=template, exact=exact)
                write_output(result.data, target, overwrite=overwrite, make_folder=True)
            except BaocaoError as error:
                failed += 1
                all_pass = False
                text = messages.describe_error(error, lang)
                reports.append({"file": str(path), "error": text})
                if not as_json:
                    progress.console.print(
                        messages.text("fix_file_failed", lang, file=path, error=text),
                        style="red",
                        markup=False,
                        highlight=False,
                    )
            else:
                fixed += bool(result.fixed)
                clean += not result.fixed
                all_pass = all_pass and result.after.passed
                reports.append(result.as_dict(lang) | {"output": str(target)})
                if not as_json:
                    progress.console.print(
                        result.summary(lang), markup=False, highlight=False, soft_wrap=True
                    )
            progress.advance(task)
    summary = messages.text(
        "fix_folder_summary",
        lang,
        count=len(paths),
        fixed=fixed,
        clean=clean,
        failed=failed,
        output=out,
    )
    if as_json:
        click.echo(json.dumps({"files": reports, "summary": summary}, ensure_ascii=False, indent=2))
    else:
        click.echo(summary)
    return 0 if all_pass else EXIT_FAILED


def import_command(
    obj: dict[str, Any], input: Path, output: str | None, template: str | None, overwrite: bool
) -> None:
    """``baocao import``: a Word file back into YAML; nothing written when it cannot be read."""
    from baocao.importer import import_docx
    from baocao.output import write

    lang = obj["lang"]
    path = Path(output) if output else input.with_suffix(".yaml")
    if path.exists() and not overwrite:
        raise OutputError("import_exists", path=str(path))
    imported = import_docx(input, template=template, name=path.stem, folder=path.parent)
    pictures = {path.parent / name: blob for name, blob in imported.pictures.items()}
    for target in pictures:  # nothing is written when any of the files is already there
        if target.exists() and not overwrite:
            raise OutputError("import_exists", path=str(target))
    written: list[Path] = []
    try:  # the pictures first, the YAML that names them last; a failure takes back the pictures
        for target, blob in pictures.items():
            existed = target.exists()
            write(blob, target, overwrite=overwrite)
            if not existed:
                written.append(target)
        write(imported.yaml_text.encode("utf-8"), path, overwrite=overwrite)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    for issue in imported.warnings:
        _echo_issue(issue, lang)
    if imported.unmapped:
        click.echo(messages.text("import_unmapped", lang, count=len(imported.unmapped)), err=True)
        for entry in imported.unmapped:
            click.echo(f"  - {entry}", err=True)
    if pictures:
        files = ", ".join(target.name for target in pictures)
        click.echo(messages.text("import_pictures", lang, count=len(pictures), files=files))
    click.echo(messages.text("import_written", lang, path=path))


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``, as Click prints it, from ``baocao.__version__`` (baocao/_version.py)."""
    if value and not ctx.resilient_parsing:
        import baocao

        click.echo(f"{ctx.find_root().info_name}, version {baocao.__version__}")
        ctx.exit()


def make_cli(lang: str = messages.DEFAULT_LANGUAGE) -> click.Group:
    """Build the command group with help texts in ``lang``."""

    def h(key: str) -> str:
        return messages.text(f"help_{key}", lang)

    def size_option(default_mib: int) -> Callable[[Command], Command]:
        """``--toi-da``: the largest input in MiB (a file for the CLI, a request for the service)."""
        return click.option(
            "--toi-da",
            "--max-size",
            "max_size",
            type=click.IntRange(1, 1024),
            default=default_mib,
            show_default=True,
            help=h("max_size"),
        )

    settings = {"help_option_names": ["-h", "--help"]}

    @click.group(cls=_Group, help=h("main"), context_settings=settings, add_help_option=False)
    @click.option("--lang", type=click.Choice(messages.LANGUAGES), default=lang, help=h("lang"))
    @click.option("--debug", is_flag=True, help=h("debug"))
    @click.option(
        "--version",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_show_version,
        help=h("version"),
    )
    @click.help_option("-h", "--help", help=h("help"))
    @click.pass_context
    def cli(ctx: click.Context, lang: str, debug: bool) -> None:
        ctx.obj = {"lang": lang, "debug": debug}

    @cli.command(help=h("render"))
    @click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("-o", "--output", type=click.Path(), help=h("output"))
    @click.option("-t", "--template", default=None, help=h("template"))
    @click.option(
        "--ghi-de", "--overwrite", "overwrite", is_flag=True, default=None, help=h("overwrite")
    )
    @click.option("-j", "--jobs", type=click.IntRange(0), default=0, help=h("jobs"))
    @click.option("--pdf", is_flag=True, help=h("pdf"))
    @size_option(10)
    @click.pass_obj
    def render(obj: dict[str, Any], /, **options: Any) -> None:
        render_command(obj, **options)

    @cli.command(help=h("validate"))
    @click.argument("input", type=click.Path(path_type=Path))
    @click.option("-t", "--template", default=None, help=h("template"))
    @size_option(10)
    @click.pass_obj
    def validate(obj: dict[str, Any], /, **options: Any) -> None:
        validate_command(obj, **options)

    @cli.command(help=h("init"))
    @click.argument("file", default=STARTER, type=click.Path())
    @click.option(
        "-t", "--template", "--type", default="bao-cao", show_default=True, help=h("template")
    )
    @click.option(
        "--ghi-de", "--overwrite", "overwrite", is_flag=True, default=False, help=h("overwrite")
    )
    @click.pass_obj
    def init(obj: dict[str, Any], /, **options: Any) -> None:
        init_command(obj, **options)

    @cli.command(help=h("serve"))
    @click.option("--host", default="127.0.0.1", show_default=True, help=h("host"))
    @click.option(
        "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help=h("port")
    )
    @size_option(2)
    @click.option(
        "--thoi-gian",
        "--timeout",
        "timeout",
        type=click.FloatRange(1),
        default=60.0,
        show_default=True,
        help=h("timeout"),
    )
    @click.option(
        "--dong-thoi",
        "--concurrency",
        "concurrency",
        type=click.IntRange(1, 64),
        default=None,
        help=h("concurrency"),
    )
    @click.option(
        "--thoi-gian-nhan",
        "--body-timeout",
        "body_timeout",
        type=click.FloatRange(1),
        default=20.0,
        show_default=True,
        help=h("body_timeout"),
    )
    @click.option("--cho-phep-host", "--allow-host", "hosts", multiple=True, help=h("allow_host"))
    @click.option(
        "--workers",
        "--tien-trinh",
        "workers",
        type=click.IntRange(1, 64),
        default=None,
        help=h("workers"),
    )
    @click.pass_obj
    def serve(obj: dict[str, Any], /, **options: Any) -> None:
        serve_command(obj, **options)

    @cli.command(help=h("templates"))
    @click.pass_obj
    def templates(obj: dict[str, Any]) -> None:
        templates_command(obj)

    @cli.command(help=h("check"))
    @click.argument("report", type=click.Path(path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help=h("json"))
    @click.option("-t", "--type", "--template", "template", default=None, help=h("check_type"))
    @click.option("--fix", "--sua", "fix", is_flag=True, default=False, help=h("fix"))
    @click.option("-o", "--output", default=None, type=click.Path(), help=h("fix_output"))
    @click.option(
        "--ghi-de", "--overwrite", "overwrite", is_flag=True, default=False, help=h("fix_overwrite")
    )
    @click.option("--chinh-xac", "--exact", "exact", is_flag=True, help=h("check_exact"))
    @click.pass_context
    def check(ctx: click.Context, /, **options: Any) -> None:
        code = check_command(ctx.obj, **options)
        if code:
            ctx.exit(code)

    @cli.command("import", help=h("import"))
    @click.argument("input", type=click.Path(path_type=Path))
    @click.option("-o", "--output", type=click.Path(), help=h("import_output"))
    @click.option("-t", "--type", "--template", "template", default=None, help=h("check_type"))
    @click.option(
        "--ghi-de", "--overwrite", "overwrite", is_flag=True, default=False, help=h("overwrite")
    )
    @click.pass_obj
    def import_(obj: dict[str, Any], /, **options: Any) -> None:
        import_command(obj, **options)

    return cli


def _utf8_output() -> None:
    """Make stdout and stderr UTF-8 when they are not.

    Redirected to a file or a pipe on Windows, they take the ANSI code page,
    and cp1258 has no "ạ". "Đã tạo …" would then fail after the report was
    written, and the clerk would be told of an internal error.
    """
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if encoding and codecs.lookup(encoding).name != "utf-8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


CLICK_DOMAIN = "click"
"""The gettext catalog of Click's own sentences: locale/<lang>/LC_MESSAGES/click.po."""


@contextmanager
def _click_speaks(lang: str) -> Iterator[None]:
    """Click's own sentences ("Usage:", "Missing argument …") in the clerk's language.

    Click marks them for the standard library's gettext, which finds a catalog
    through the global domain and the LANGUAGE variable. Both are set for the
    command's run and put back after it, so a program that imports baocao and
    calls ``main`` keeps its own.
    """
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(CLICK_DOMAIN, messages.LOCALE_DIR)
    gettext.textdomain(CLICK_DOMAIN)
    os.environ["LANGUAGE"] = lang
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if language is None:
            del os.environ["LANGUAGE"]
        else:
            os.environ["LANGUAGE"] = language


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``baocao`` console script."""
    global _OWN_PROCESS
    if argv is None:  # what the imports made so far lives until the end: see _importing
        _OWN_PROCESS = True
        gc.freeze()
    _utf8_output()
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _language(args)
    try:
        with _click_speaks(lang), _sigterm_stops():
            make_cli(lang)(args=args, prog_name="baocao", obj={"lang": lang})
    except SystemExit as stop:
        if argv is None:  # the console script, not a caller in Python
            _leave(stop)
        raise


def _leave(stop: SystemExit) -> None:
    """End the process without the interpreter's teardown, once everything is out.

    Freeing every module and object costs a one-shot ``baocao render`` about
    a tenth of its time, and a batch's parent (whose collector walks all it
    made, unfrozen after the fork) about 45 ms, for nothing: the files are
    written, fsync'd and closed by then (``output.write``). The ``atexit``
    functions still run, as they would at the end (logging's flush, the joining
    of a batch's workers, a temporary folder's finaliser). Done only when no
    other thread is left to wait for. Standard output and error are flushed
    first; a failure there takes the ordinary way out.
    """
    import atexit
    import threading

    code = stop.code
    if threading.active_count() != 1 or (code is not None and not isinstance(code, int)):
        return  # a thread to join, or a message to print: Python's own exit does both
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code or 0)


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM raises ``Terminated`` for the command's run: it stops as Ctrl+C does.

    Python's default for SIGTERM ends the process at once, leaving a batch's
    workers and its temporary files behind. The previous handler is put back after.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def __getattr__(name: str) -> Any:
    """``cli``: the command group (Vietnamese help), made when asked for.

    Not made at import: ``main`` makes its own in the clerk's language, and
    a one-shot command would pay for both (about 1% of ``baocao render``).
    """
    if name == "cli":
        return make_cli()
    raise AttributeError(f"module 'baocao.cli' has no attribute {name!r}")


if __name__ == "__main__":
    main()
