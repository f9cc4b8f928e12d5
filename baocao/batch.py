"""Many reports at once: worker processes, signals, and one writer thread in each process.

A batch never stops for one report: a report whose render raises anything
(a bug, memory running out) becomes that report's error, and so does one
whose worker process dies (the OOM killer's SIGKILL); the batch goes on.
Workers hold a few reports at a time and mark each one started, so after
Ctrl+C or SIGTERM no new report starts and a dead worker's unstarted reports
go to another; each dies with the parent (Linux's parent-death signal), and
the temporary file of a write cut short by a kill is removed by the next
batch in that folder (``output.clean_stale``).
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from baocao.api import _pdf_overwrite, _rendered, default_output
from baocao.bundle import Template
from baocao.cache import TemplateCache
from baocao.convert import pdfs
from baocao.errors import BaocaoError, CrashError, Issue, OutputError
from baocao.output import clean_stale, write
from baocao.records import record
from baocao.source import MAX_BYTES

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


@record
class Outcome:
    """What became of one report in a batch: the .docx written, or the error.

    Both are set only in a ``pdf`` batch whose .docx was written but whose
    PDF could not be made.
    """

    input: Path
    output: Path | None = None
    error: BaocaoError | None = None
    warnings: tuple[Issue, ...] = field(default=())


def reports_in(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand folders to the .yaml/.yml files they hold (sorted); keep files as given.

    A file named twice (``thang-10/ thang-10/a.yaml``) is kept once, where it first came.
    """
    found: dict[str, Path] = {}
    for path in map(Path, paths):
        if path.is_dir():
            listed = sorted(
                p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file()
            )
        else:
            listed = [path]
        for report in listed:
            found.setdefault(_same_file(report), report)
    return list(found.values())


def _same_file(path: Path) -> str:
    """One key for every spelling of a path (relative, absolute, a different case on Windows)."""
    return os.path.normcase(os.path.abspath(path))


class _Job(NamedTuple):
    """One report of a batch, as a worker process receives it."""

    input: Path
    output: Path
    template: str | Template | None
    overwrite: bool | None
    max_bytes: int
    make_folder: bool
    """The output goes into the batch's own folder, made on the first write."""
    claimed_by: Path | None
    """The earlier report of the batch that writes the same .docx (``a.yaml``, ``a.yml``)."""
    cache: TemplateCache | None


def _crashed(job: _Job, crash: BaseException) -> CrashError:
    """A report's own internal error: its file and the exception's type, never a traceback."""
    return CrashError("report_crashed", path=str(job.input), kind=type(crash).__name__)


def _built(jobs: Iterable[_Job]) -> Iterator[Outcome]:
    """Build each report in turn while the one before it is written; yield outcomes in order.

    A write waits on the disk (its fsync), not on the CPU, so one writer thread
    takes it and the next report renders meanwhile. The write itself is
    unchanged: each file is durable before it replaces the old one. Measured on
    2 cores, 200 reports: the wait per report was 0.3 ms with one process and
    0.85 ms with two, whose fsyncs queue on the same journal.
    """
    from concurrent.futures import ThreadPoolExecutor  # here: `build` alone needs no threads

    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[Outcome] | None = None
        for job in jobs:
            warnings: list[Issue] = []
            try:
                if job.claimed_by is not None:
                    raise OutputError(
                        "output_shared", path=str(job.output), other=str(job.claimed_by)
                    )
                data = _rendered(
                    job.input, job.output, job.template, warnings.append, job.max_bytes, job.cache
                )
            except BaocaoError as error:  # queued all the same, to keep the order
                step = writer.submit(Outcome, job.input, None, error, tuple(warnings))
            except Exception as crash:  # a bug or no memory left: this report's error alone
                crashed = _crashed(job, crash)
                step = writer.submit(Outcome, job.input, None, crashed, tuple(warnings))
            else:
                step = writer.submit(_written, job, data, tuple(warnings))
            if pending is not None:
                yield pending.result()
            pending = step
        if pending is not None:
            yield pending.result()


def _written(job: _Job, data: bytes, warnings: tuple[Issue, ...]) -> Outcome:
    """The writer thread's step: a refused or failed write is that report's error."""
    try:
        written = write(data, job.output, overwrite=job.overwrite, make_folder=job.make_folder)
    except BaocaoError as error:
        return Outcome(job.input, error=error, warnings=warnings)
    except Exception as crash:
        return Outcome(job.input, error=_crashed(job, crash), warnings=warnings)
    return Outcome(job.input, written, None, warnings)


def _worker(work: list[_Job], conn: Connection, parent: int, shared: _Shared) -> None:
    """One worker process: build the reports it is given, in turn; send each one's result.

    The parent keeps a few reports queued in the worker's pipe, so a worker
    never waits on the parent between two reports. Before starting one, the
    worker marks it started (in memory shared with the parent) and looks at
    the stop flag: after Ctrl+C or SIGTERM it starts none, and the parent
    knows which of a dead worker's reports were never begun. Ctrl+C reaches
    every process of a terminal's group, and SIGTERM every process of a
    service's; workers leave both to the parent. (A worker interrupted while
    handing back its results once kept a queue's lock and left the whole
    batch asleep.)
    """
    from baocao.confine import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with_parent(parent, code=0)
    given: deque[int] = deque()

    def wanted() -> Iterator[_Job]:
        while os.getppid() == parent:
            if not conn.poll():
                conn.send(None)  # nothing queued: ask for one
            index: int | None = conn.recv()
            if index is None or shared.stop.value:
                return
            shared.started[index] = 1
            given.append(index)
            yield work[index]

    try:
        for outcome in _built(wanted()):
            conn.send((given.popleft(), outcome.error, outcome.warnings))
    except (EOFError, OSError):  # the parent is gone: nobody to report to
        pass


class _Shared(NamedTuple):
    """What the parent and its forked workers share in memory, no message needed."""

    started: Any  # a byte per report: 1 once a worker has begun it
    stop: Any  # set by the parent's signal handler: start no more reports


AHEAD = 3
"""Reports a worker holds at most: the one it writes, the one it renders, one waiting
(one at a time near the end of the batch).

With one report at a time, a worker asked for the next and waited for the parent
to answer (a round trip through two busy cores, 0.1-0.3 ms per report).
"""


WORKER_DEATHS = 3
"""Workers that may die holding no report before the batch stops starting new ones."""


class _Pool:
    """Worker processes fed a few reports at a time, and the outcomes they send back.

    Each worker has a pipe of its own, so a worker killed mid-message breaks
    only its own pipe, and the parent knows which reports it held: those it
    had begun and not finished become ``worker_died`` errors, those it had not
    begun go to another worker, and a new worker takes its place.
    """

    def __init__(self, work: list[_Job]) -> None:
        import multiprocessing

        # Linux forks: the workers share the jobs (and a prepared template) without pickling
        # them. Elsewhere the platform's default (spawn) pickles them once per worker.
        fork = sys.platform.startswith("linux")
        self.context = multiprocessing.get_context("fork" if fork else None)
        self.work = work
        self.next = 0
        self.again: deque[int] = deque()  # not begun by a worker that died: hand out first
        self.stopping = False
        self.held: dict[Connection, tuple[BaseProcess, deque[int]]] = {}
        self.closed: set[Connection] = set()  # told there is no more
        self.empty_deaths = 0
        self.shared = _Shared(
            self.context.RawArray("b", max(1, len(work))), self.context.RawValue("b", 0)
        )

    def stop(self) -> None:
        """Start no new report (safe in a signal handler: two plain stores)."""
        self.stopping = True
        self.shared.stop.value = 1

    def fill(self, jobs: int) -> None:
        for _ in range(min(jobs, len(self.work))):
            self.start()

    def kill(self) -> None:
        """End every worker now (a second Ctrl+C): what they held becomes ``worker_died``."""
        for process, _ in self.held.values():
            process.kill()

    def start(self) -> None:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(
            target=_worker, args=(self.work, theirs, os.getpid(), self.shared), daemon=True
        )
        process.start()
        theirs.close()  # so a dead worker's pipe reads as closed
        self.held[ours] = (process, deque())

    def left(self) -> bool:
        return bool(self.again) or self.next < len(self.work)

    def outcomes(self) -> Iterator[tuple[int, Outcome]]:
        """Yield (index, outcome) as workers send them, until every worker has ended."""
        from multiprocessing.connection import wait

        while self.held:
            for ready in wait(list(self.held)):
                conn = cast("Connection", ready)
                process, given = self.held[conn]
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    yield from self.ended(conn, process, given)
                    continue
                if message is None:  # it has nothing left to start
                    self.hand_out(conn, given, asked=True)
                else:
                    index, error, warnings = message
                    given.remove(index)
                    self.hand_out(conn, given)  # first: the worker goes on meanwhile
                    job = self.work[index]
                    output = job.output if error is None else None
                    yield index, Outcome(job.input, output, error, warnings)

    def hand_out(self, conn: Connection, given: deque[int], asked: bool = False) -> None:
        """Top a worker up to ``AHEAD`` reports; once none is left (or we stop), say so.

        Near the end, one at a time and only when it ``asked`` (its pipe was empty):
        a report queued behind another would keep one worker busy while the others
        had nothing (two large reports at -j 2 went to one worker).
        """
        if conn in self.closed:
            return
        remaining = len(self.again) + len(self.work) - self.next
        wanted = len(given) + asked  # near the end: one more, and only when asked
        if remaining >= AHEAD * len(self.held):
            wanted = AHEAD
        try:
            while len(given) < wanted and not self.stopping and self.left():
                if self.again:
                    index = self.again.popleft()
                else:
                    index = self.next
                    self.next += 1
                given.append(index)  # before the send: a worker dead mid-send held it
                conn.send(index)
            if self.stopping or not self.left():
                self.closed.add(conn)
                conn.send(None)
        except OSError:  # it died: its closed pipe is read next
            return

    def ended(
        self, conn: Connection, process: BaseProcess, given: deque[int]
    ) -> Iterator[tuple[int, Outcome]]:
        """A worker's pipe closed: its unfinished reports are errors; replace it if work is left."""
        del self.held[conn]
        self.closed.discard(conn)
        conn.close()
        process.join()
        begun = [index for index in given if self.shared.started[index]]
        self.again.extendleft(reversed([index for index in given if index not in begun]))
        for folder in {self.work[index].output.parent for index in begun}:
            clean_stale(folder, dead=process.pid)  # a write it had under way
        code = process.exitcode or 0
        how = _signal_name(-code) if code < 0 else f"exit {code}"
        for index in begun:
            job = self.work[index]
            yield (
                index,
                Outcome(job.input, error=CrashError("worker_died", path=str(job.input), how=how)),
            )
        if not begun and code != 0:
            self.empty_deaths += 1
        if self.stopping or not self.left():
            return
        if self.empty_deaths <= WORKER_DEATHS:
            self.start()
        elif not self.held:  # workers die before taking any report: the rest cannot be made
            rest = [*self.again, *range(self.next, len(self.work))]
            self.again.clear()
            self.next = len(self.work)
            for index in sorted(rest):
                job = self.work[index]
                error = CrashError("worker_died", path=str(job.input), how=how)
                yield index, Outcome(job.input, error=error)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class _Signals:
    """While workers run: Ctrl+C and SIGTERM stop the handing out of reports.

    A signal raised in the parent mid-message would leave a pipe half read, so
    the handlers just note it; once every worker has finished the report it
    holds, ``deliver`` gives the signal to the handlers that were there before
    (Python's KeyboardInterrupt for Ctrl+C, the CLI's for SIGTERM, or the
    system's default), as if it had come then. A second signal does not wait:
    the workers are killed, and the reports they held are errors.
    """

    NAMES = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, pool: _Pool) -> None:
        self.pool = pool
        self.caught: int | None = None
        self.before: dict[int, Any] = {}

    def __enter__(self) -> _Signals:
        import threading

        if threading.current_thread() is threading.main_thread():  # else they are not ours
            for signum in self.NAMES:
                if signal.getsignal(signum) is not None:  # None: set outside Python, left alone
                    self.before[signum] = signal.signal(signum, self.note)
        return self

    def note(self, signum: int, frame: FrameType | None) -> None:
        if self.caught is not None:
            self.pool.kill()
        self.caught = self.caught or signum
        self.pool.stop()

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.before.items():
            signal.signal(signum, handler)

    def deliver(self) -> None:
        """Raise the signal noted, if any, now that the handlers of before are back."""
        if self.caught is not None:
            signal.raise_signal(self.caught)


def _parallel(work: list[_Job], jobs: int, done: Callable[[Outcome], None]) -> list[Outcome]:
    """Share ``work`` among ``jobs`` processes; call ``done`` for each outcome, in input order."""
    import gc

    pool = _Pool(work)
    found: dict[int, Outcome] = {}
    failure: BaseException | None = None
    with _Signals(pool) as signals:  # before the first fork: a signal then is noted, not raised
        # Forked workers share this process's objects; frozen, their collector never walks (and
        # so never copies) those pages. Python's gc docs advise this before fork; measured on 2
        # cores, 200 reports: 1.64x the single-process rate without, 1.80x with (medians of 9).
        gc.freeze()
        try:
            pool.fill(jobs)
        finally:
            gc.unfreeze()
        given = 0
        for index, outcome in pool.outcomes():
            found[index] = outcome
            while failure is None and given in found:
                try:
                    done(found[given])
                except BaseException as error:  # a closed pipe in the caller: stop, as for Ctrl+C
                    failure = error
                    pool.stop()
                given += 1
        for index in sorted(found):  # stopped: the reports finished after one never started
            if failure is None and index >= given:
                done(found[index])
    signals.deliver()
    if failure is not None:
        raise failure
    return [found[index] for index in sorted(found)]


def build_many(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    template: str | os.PathLike[str] | Template | None = None,
    overwrite: bool | None = None,
    jobs: int = 1,
    max_bytes: int = MAX_BYTES,
    on_done: Callable[[Outcome], None] | None = None,
    pdf: bool = False,
    output_dir: str | os.PathLike[str] | None = None,
    cache: TemplateCache | None = None,
) -> list[Outcome]:
    """Render many reports (folders are expanded), each beside its YAML file or in ``output_dir``.

    One report's error never stops the others, nor does a report that
    crashes or a worker process that dies (each is that report's error);
    ``on_done`` hears about each as it finishes (for a progress bar), in
    input order. With ``jobs`` > 1 the reports are shared among that many
    processes, each of which prepares the template once and keeps it for all
    the reports it renders. With ``pdf`` the documents written are then
    turned into PDFs by one LibreOffice run; a PDF that cannot be made is its
    report's error (the .docx stays written). ``output_dir`` is made (with
    its parents) when its first report is written, so a batch that writes
    nothing leaves nothing behind. ``cache`` keeps the prepared template between
    runs (see ``rendering.render``).
    """
    paths = reports_in(inputs)
    shared = template if template is None or isinstance(template, Template) else str(template)
    folder = None if output_dir is None else Path(output_dir)
    writers: dict[str, Path] = {}  # each .docx, by the first report that writes it
    work: list[_Job] = []
    for path in paths:
        output = default_output(path, folder)
        first = writers.setdefault(_same_file(output), path)
        claimed_by = None if first is path else first
        work.append(
            _Job(path, output, shared, overwrite, max_bytes, folder is not None, claimed_by, cache)
        )
    for place in {_same_file(job.output.parent) for job in work}:
        clean_stale(Path(place))
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)

    if jobs <= 1 or len(work) < 2:
        for outcome in _built(work):
            done(outcome)
    else:
        outcomes = _parallel(work, jobs, on_done or (lambda outcome: None))
    return _with_pdfs(outcomes, overwrite) if pdf else outcomes


def _with_pdfs(outcomes: list[Outcome], overwrite: bool | None) -> list[Outcome]:
    """Convert every written .docx in one LibreOffice run (a start costs about a second).

    A PDF that could not be made (LibreOffice could not open its .docx, or
    its place is taken) is that report's error; every other PDF is written.
    """
    written = [o for o in outcomes if o.output is not None and o.error is None]
    if not written:
        return outcomes
    documents = [o.output for o in written if o.output is not None]
    results = pdfs(  # no LibreOffice at all is raised: one message, not one per report
        documents, [d.with_suffix(".pdf") for d in documents], overwrite=_pdf_overwrite(overwrite)
    )
    failed = {
        id(outcome): result
        for outcome, result in zip(written, results, strict=True)
        if isinstance(result, BaocaoError)
    }
    return [
        Outcome(o.input, o.output, failed[id(o)], o.warnings) if id(o) in failed else o
        for o in outcomes
    ]
