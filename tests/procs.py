"""What runs on this machine, read from /proc (Linux): the one reader every process test uses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple


class Process(NamedTuple):
    pid: int
    parent: int
    state: str
    """One letter; "Z" for a zombie, which has ended and waits for its parent to collect it."""
    command: bytes
    """The command line, its arguments separated by NUL bytes."""


def processes() -> Iterator[Process]:
    """Every process now, zombies included; one that ends while it is read is left out."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        yield Process(int(entry.name), int(fields[1]), fields[0], command)


def state(pid: int) -> str:
    """The state letter of ``pid``, or "gone" once it has been collected."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"


def sigint_as_at_a_terminal() -> None:
    """``preexec_fn`` for a command a test stops with Ctrl+C: SIGINT's default action.

    A shell script's background job (``pytest … &``) starts with SIGINT ignored, every
    child inherits that, and Python then installs no KeyboardInterrupt handler: the
    command would finish as if Ctrl+C never came. A clerk's terminal never starts
    a command that way.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def at_a_terminal(script: str, *args: str, timeout: float) -> str:
    """What ``python -c script args…`` shows on a pseudo-terminal (100 columns), all of it.

    A batch draws its progress bar only on a terminal; the test reads it as a clerk sees it.
    The command must end with exit code 0.
    """
    import os
    import pty
    import subprocess
    import sys

    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=timeout) == 0
    os.close(main)
    return shown.decode("utf-8", "replace")
