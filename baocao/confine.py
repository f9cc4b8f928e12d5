"""Run work baocao did not write (a clerk's own template) in a child with a time and memory budget.

A template is a small program: a loop of 10^10 steps, a 3 GiB string or one
long C-level computation (``10**10**8``) cannot be stopped from inside the
process that runs it, and a thread cannot be killed. So the work runs in a
forked child (a few milliseconds: it shares the parent's prepared template)
whose address space and CPU time are capped with ``setrlimit``; an alarm in
the child raises ``TimeUp`` inside the work when it has computed for the soft
deadline (CPU time, so a busy machine gives a template the same verdict as an
idle one), so the work can say where it was; the parent kills the child at the
hard deadline (wall time, for a child that waits rather than computes),
whatever it is doing, and always reaps it. The child dies with the parent
(Linux's parent-death signal; elsewhere its CPU limit ends it).

Where there is no ``fork`` (Windows), the work runs in this process without
a budget: the sandbox's own guards (bounded ``range``, output cap) remain.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

try:  # imported here, not in each child: an import costs the child milliseconds
    import ctypes
    import resource
except ImportError:  # Windows: no resource module, and no fork to use it with
    pass

T = TypeVar("T")

GRACE = 1.0
"""Seconds the parent waits after the soft deadline before it kills the child."""

LOADED = 4
"""How many times over the soft deadline the parent waits (wall time): a machine this
oversubscribed still lets the child's own CPU-time verdict, or its answer, come first."""


class TimeUp(Exception):
    """Raised inside the work when its time is up (an ``Exception``, so Jinja locates it)."""


class Exceeded(Exception):
    """The child died without answering: ``kind`` is "time", "memory" or "crash"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _libc() -> Any:
    """The C library, for prctl (Linux only), loaded once."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except (OSError, NameError):
        return None


_LIBC = _libc()


def available() -> bool:
    """Tell whether work can be confined here (a POSIX system with fork and setrlimit)."""
    return hasattr(os, "fork") and sys.platform != "win32"


def run(work: Callable[[], T], *, seconds: float, memory: int) -> T:
    """Return ``work()`` computed in a child process within ``seconds`` and ``memory`` bytes.

    An exception the work raises is raised here (it must pickle; one that
    does not becomes a ``RuntimeError`` with its text). ``Exceeded`` says the
    child was killed: at the hard deadline, by its CPU limit, or by the system.
    """
    if not available():
        return work()
    parent = os.getpid()
    reader, writer = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns of fork in a threaded process (the batch's writer thread, the
        # service's pool): a lock another thread held stays held in the child. The child
        # runs only the template and exits; a lock it waited on ends at the hard deadline.
        warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(work, writer, seconds, memory, parent)
    os.close(writer)
    answer = bytearray()
    status: int | None = None
    try:
        deadline = time.monotonic() + seconds * LOADED + GRACE
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Exceeded("time")
            ready, _, _ = select.select([reader], [], [], left)
            if ready:
                piece = os.read(reader, 1 << 20)
                if not piece:
                    break
                answer += piece
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(reader)
        if status is None:  # timed out, or interrupted (Ctrl+C): the child goes too
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if not answer:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
            raise Exceeded("time")
        out_of_memory = os.WIFEXITED(status) and os.WEXITSTATUS(status) == _NO_MEMORY
        raise Exceeded("memory" if out_of_memory else "crash")
    ok, value = pickle.loads(bytes(answer))
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


_NO_ANSWER = 70
_NO_MEMORY = 71


def _child(
    work: Callable[[], Any], writer: int, seconds: float, memory: int, parent: int
) -> NoReturn:
    """Set the limits, run ``work``, send back its value or its exception, and exit."""
    code = 0
    try:
        die_with_parent(parent)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)  # the parent's handlers are not ours
        _limit(seconds, memory)
        signal.signal(signal.SIGPROF, _time_up)
        signal.setitimer(signal.ITIMER_PROF, seconds)  # CPU time, user and system
        try:
            answer: tuple[bool, Any] = (True, work())
        except Exception as err:  # handed to the parent, which raises it
            answer = (False, err)
        signal.setitimer(signal.ITIMER_PROF, 0)
        try:
            data = pickle.dumps(answer)
        except Exception as err:  # an exception that does not pickle
            data = pickle.dumps((False, RuntimeError(f"{type(err).__name__}: {answer[1]}")))
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view) :]
    except MemoryError:
        code = _NO_MEMORY  # not even the answer fits
    except BaseException:
        code = _NO_ANSWER
    finally:
        os._exit(code)


def _time_up(signum: int, frame: Any) -> None:
    raise TimeUp


def _limit(seconds: float, memory: int) -> None:
    """Cap the child's CPU time, and its address space (what it has now plus ``memory``)."""
    cpu = math.ceil(seconds + GRACE)  # the alarm's CPU seconds, then the grace
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would otherwise dump core
    _lower(resource.RLIMIT_CPU, cpu, cpu + 1)
    try:
        with open("/proc/self/statm", encoding="ascii") as stream:
            pages = int(stream.read().split()[0])
    except (OSError, ValueError, IndexError):
        return  # not Linux: the address-space limit is not enforced there anyway
    size = pages * os.sysconf("SC_PAGE_SIZE") + memory
    _lower(resource.RLIMIT_AS, size, size)


def _lower(kind: int, soft: int, hard: int) -> None:
    """Set a limit, never above the one already in force."""
    old_soft, old_hard = resource.getrlimit(kind)
    if old_hard != resource.RLIM_INFINITY:
        hard = min(hard, old_hard)
        soft = min(soft, hard)
    if old_soft != resource.RLIM_INFINITY:
        soft = min(soft, old_soft)
    resource.setrlimit(kind, (soft, hard))


def die_with_parent(parent: int, code: int = _NO_ANSWER) -> None:
    """Ask Linux to kill this child if its parent dies (``PR_SET_PDEATHSIG``).

    Elsewhere the child finds out by itself (its parent's pid changes, its pipe
    closes). Exits with ``code`` if the parent died before the request was made.
    """
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(code)
