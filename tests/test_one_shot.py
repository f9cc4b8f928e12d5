"""A one-shot ``baocao render``: what it loads, what it keeps between runs, how it ends.

Each run is a fresh process with its own cache folder, as a clerk's
command is. The second run finds the template's entry (its story parts,
compiled code and styles) and so imports neither docxtpl, lxml, Jinja's
compiler at work, LibreOffice's adapter nor markdown-it; its output equals
the first run's. The process ends without the interpreter's teardown only
once everything is written, the exit functions have run and no other thread is left.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import EXAMPLES, MINIMAL

EXAMPLE = EXAMPLES / "000-pci-quang-nam-2021.yaml"

MODULES_AFTER_RENDER = (
    "import json, sys\n"
    "from baocao.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit as stop:\n"
    "    assert not stop.code, stop.code\n"
    "print(json.dumps(sorted(sys.modules)))\n"
)


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    env["BAOCAO_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


def test_a_second_run_loads_no_preparing_library_and_writes_the_same(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    loaded = []
    for number in (1, 2):
        target = tmp_path / f"bc{number}.docx"
        run = subprocess.run(
            [sys.executable, "-c", MODULES_AFTER_RENDER, "render", str(EXAMPLE), "-o", str(target)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        loaded.append(set(json.loads(run.stdout.splitlines()[-1])))
    first, second = loaded
    assert {"docxtpl", "lxml.etree"} <= first  # the first run prepares the template
    for module in ("docxtpl", "lxml", "lxml.etree", "baocao.convert", "markdown_it", "docx"):
        assert module not in second, module
    assert "queue" not in second  # the deflating thread's, for parts a small report has not
    assert _parts(tmp_path / "bc1.docx") == _parts(tmp_path / "bc2.docx")
    [entry] = (tmp_path / "cache").iterdir()
    texts = json.loads(entry.read_bytes().partition(b"\n")[2])
    assert "code word/document.xml" in texts
    assert any(key.startswith("styles ") for key in texts)


TEARDOWN_SEEN = (
    "import atexit, sys\n"
    "class Seen:\n"
    "    def __del__(self):\n"
    "        sys.stderr.write('teardown\\n')\n"
    "seen = Seen()\n"
    "if sys.argv[1] == 'atexit':\n"
    "    atexit.register(lambda: sys.stderr.write('at exit\\n'))\n"
    "from baocao.cli import main\n"
    "sys.argv = ['baocao', *sys.argv[2:]]\n"
    "main()\n"
)


CODE_IN_PROCESS = (
    "import sys\n"
    "from baocao.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit as stop:\n"
    "    print(stop.code)\n"
)


def _console(tmp_path: Path, mode: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", TEARDOWN_SEEN, mode, *args],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_console_script_ends_without_teardown_after_writing(tmp_path: Path) -> None:
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    run = _console(tmp_path, "plain", "render", str(report))
    assert run.returncode == 0, run.stderr
    assert "teardown" not in run.stderr  # the interpreter was not torn down
    assert run.stdout.strip()  # what it said was flushed before leaving
    with zipfile.ZipFile(tmp_path / "bc.docx") as package:
        assert package.testzip() is None  # written whole
        assert b"<w:body>" in package.read("word/document.xml")


def test_the_exit_code_of_a_failure_is_kept(tmp_path: Path) -> None:
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL.replace("trich_yeu:", "trich_yeuu:"), encoding="utf-8")
    fast = _console(tmp_path, "plain", "render", str(report))
    ordinary = subprocess.run(  # main() called from Python: its SystemExit, no shortcut
        [sys.executable, "-c", CODE_IN_PROCESS, "render", str(report)],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ordinary.stdout.split()[-1] == "4"  # what `baocao render` says for an invalid report
    assert fast.returncode == 4, fast.stderr
    assert "trich_yeuu" in fast.stderr
    assert "teardown" not in fast.stderr
    assert not (tmp_path / "bc.docx").exists()


def test_an_exit_function_is_run_before_the_shortcut(tmp_path: Path) -> None:
    """Something registered with atexit (logging's flush, a batch's pool, a temporary
    folder) is run as at an ordinary end; only the teardown after it is skipped."""
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    run = _console(tmp_path, "atexit", "render", str(report))
    assert run.returncode == 0, run.stderr
    assert "at exit" in run.stderr
    assert "teardown" not in run.stderr
    assert (tmp_path / "bc.docx").is_file()


def test_a_batch_ends_without_teardown_once_its_workers_are_joined(tmp_path: Path) -> None:
    """A batch's process pool registers an exit function; it is run, the teardown is not
    (about 45 ms in the parent of a 200-report ``-j 2`` batch)."""
    for index in range(3):
        (tmp_path / f"bc-{index}.yaml").write_text(
            MINIMAL.replace("Nội dung.", f"Nội dung số {index}."), encoding="utf-8"
        )
    run = _console(tmp_path, "atexit", "render", str(tmp_path), "--jobs", "2")
    assert run.returncode == 0, run.stderr
    assert "at exit" in run.stderr
    assert "teardown" not in run.stderr
    assert run.stdout.splitlines()[-1] == "Đã tạo 3/3 tệp .docx; 0 tệp có lỗi."
    assert len(list(tmp_path.glob("*.docx"))) == 3


COLLECTOR_SEEN = (
    "import atexit, gc, json, sys\n"
    "from baocao.cli import main\n"
    "seen = {'frozen': [], 'walked': 0}\n"
    "def count(phase, info):\n"  # the objects each collection walks, and what is frozen then
    "    if phase == 'start':\n"
    "        seen['frozen'].append(gc.get_freeze_count())\n"
    "        seen['walked'] += sum(gc.get_count()[: info['generation'] + 1])\n"
    "gc.callbacks.append(count)\n"
    "def said():\n"
    "    seen['enabled'] = gc.isenabled()\n"
    "    sys.stdout.write(json.dumps(seen) + '\\n')\n"
    "atexit.register(said)\n"  # an exit function: the ordinary way out, so it is run
    "if sys.argv[1] == 'script':\n"
    "    sys.argv = ['baocao', *sys.argv[2:]]\n"
    "    main()\n"
    "else:\n"
    "    try:\n"
    "        main(sys.argv[2:])\n"
    "    except SystemExit:\n"
    "        pass\n"
)


def test_the_console_script_freezes_what_its_imports_made(tmp_path: Path) -> None:
    """The collector stays on, but never walks the modules a one-shot command imported.

    From Python (``main(args)``) nothing is frozen: a program that imports baocao
    keeps its collector as it was.
    """
    env = _environment(tmp_path)
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    found = {}
    for mode in ("script", "python"):
        run = subprocess.run(
            [sys.executable, "-c", COLLECTOR_SEEN, mode, "render", str(report), "--ghi-de"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        found[mode] = json.loads(run.stdout.splitlines()[-1])
    script, python = found["script"], found["python"]
    assert script["enabled"] and python["enabled"]
    assert script["frozen"] and min(script["frozen"]) > 5_000  # click and baocao's first
    assert max(script["frozen"]) > 20_000  # then Jinja, yaml and the render's modules
    assert set(python["frozen"]) == {0}
    assert script["walked"] < python["walked"]
