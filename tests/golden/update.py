"""Regenerate the golden XML of every case (run only when an output change is intended).

python tests/golden/update.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.test_golden import CASES, parts  # noqa: E402

if __name__ == "__main__":
    for name, source in CASES.items():
        folder = HERE / "expected" / name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.xml"):
            old.unlink()
        for part, xml in parts(source).items():
            (folder / (part.replace("/", "__"))).write_bytes(xml)
        print(f"tests/golden/expected/{name}")
