"""Regenerate the golden parts of every case (run only when an output change is intended).

python tests/golden/update.py

Writes expected/<case>/ for every case and removes whatever the cases no longer
produce: parts of any kind (.xml, .bin) a case stopped rendering, and the folder
of a case whose source is gone. What is left is exactly what test_golden compares.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.test_golden import CASES, parts  # noqa: E402


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def update(expected: Path, cases: Mapping[str, Path]) -> list[str]:
    """Record every case under ``expected``; return the paths removed as stale."""
    removed: list[str] = []
    expected.mkdir(parents=True, exist_ok=True)
    for entry in sorted(expected.iterdir()):
        if entry.name not in cases:
            _remove(entry)
            removed.append(entry.name)
    for name, source in cases.items():
        folder = expected / name
        folder.mkdir(exist_ok=True)
        files = {part.replace("/", "__"): data for part, data in parts(source).items()}
        for old in sorted(folder.iterdir()):
            if old.name not in files:
                _remove(old)
                removed.append(f"{name}/{old.name}")
        for file, data in files.items():
            (folder / file).write_bytes(data)
    return removed


if __name__ == "__main__":
    for stale in update(HERE / "expected", CASES):
        print(f"removed tests/golden/expected/{stale}")
    for name in CASES:
        print(f"tests/golden/expected/{name}")
