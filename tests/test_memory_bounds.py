"""Memory stays bounded in a long run: every cache has a limit in entries and in bytes.

A service or a batch renders thousands of different reports in one process.
Each cache (``baocao.memo``) states its bounds; these tests fill each past
them, measure what a full one weighs, and render 2,000 unique reports of
mixed sizes (up to 100× example 000) in a child process, reading its
resident size from /proc.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import sys
import threading
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

import baocao
from baocao import bundle, layout, markup, measure, memo, messages, model, rendering
from baocao.docx import ooxml, package, read

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "000-pci-quang-nam-2021.yaml"

LONG_RUN = r"""
import copy, json, random, sys
import baocao

base = baocao.load(open(sys.argv[1], encoding="utf-8").read()).data
TEXT_KEYS = {"noi_dung", "doan", "gach", "cong", "tieu_de", "dong", "cot", "nhan", "mo_dau"}


def vary(value, tag, rng):
    # Every paragraph and most table cells get a token of their own: nothing recurs.
    if isinstance(value, str):
        words = value.split(" ")
        words.insert(rng.randrange(len(words) + 1), tag)
        return " ".join(words)
    if isinstance(value, list):
        return [vary(item, f"{tag}.{n}", rng) for n, item in enumerate(value)]
    if isinstance(value, dict):
        return {k: vary(v, tag, rng) if k in TEXT_KEYS else v for k, v in value.items()}
    return value


def fresh(number, times):
    rng = random.Random(number)
    data = copy.deepcopy(base)
    blocks = [block for _ in range(times) for block in data["noi_dung"]]
    data["noi_dung"] = [vary(b, f"r{number}b{n}", rng) for n, b in enumerate(blocks)]
    data["mo_dau"] = vary(data["mo_dau"], f"r{number}", rng)
    data["trich_yeu"] = f"{data['trich_yeu']} số {number}"
    return data


def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024


samples = {}
for number in range(int(sys.argv[2])):
    # 100x: one every 400, and a run of 24 (a day of long reports: what a cache keyed by
    # each report's own parts would hold on to); 10x every 50th; 1x otherwise.
    big = number % 400 == 250 or 1200 <= number < 1224
    times = 100 if big else 10 if number % 50 == 7 else 1
    document = baocao.render(baocao.validate(fresh(number, times)))
    assert document.startswith(b"PK")
    if (number + 1) % 20 == 0:
        samples[number + 1] = rss()
print(json.dumps(samples))
"""


def test_two_thousand_unique_reports_stay_within_60_mib_of_the_first_hundred() -> None:
    """Mixed sizes: 1× mostly, 10× every 50th, 100× 29 times (24 in a row), all unique."""
    run = subprocess.run(
        [sys.executable, "-c", LONG_RUN, str(EXAMPLE), "2000"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    samples = {int(k): v for k, v in json.loads(run.stdout).items()}
    assert sorted(samples) == list(range(20, 2001, 20))
    after_first_hundred = samples[100]
    growth = {n: (rss - after_first_hundred) / 2**20 for n, rss in samples.items() if n >= 100}
    assert max(growth.values()) <= 60, growth


# -- the two kinds of cache ------------------------------------------------------------


def test_bounded_keeps_its_entries_and_bytes_and_drops_the_oldest() -> None:
    calls: list[int] = []

    @memo.bounded(entries=3, size=1000, weigh=lambda args, value: len(value))
    def blob(number: int, length: int) -> bytes:
        calls.append(number)
        return bytes(length)

    for number in range(5):
        blob(number, 100)
    assert blob.cache_info().currsize == 3  # entries bound
    blob(2, 100)  # still kept: a hit
    assert calls == [0, 1, 2, 3, 4]
    blob(0, 100)  # dropped long ago: computed again
    assert calls[-1] == 0
    blob(9, 900)  # bytes bound: the oldest go until it fits
    info = blob.cache_info()
    assert info.weight <= 1000 and info.currsize == 2
    blob(10, 5000)  # heavier than the whole cache: returned, never kept
    assert blob.cache_info().weight <= 1000
    blob(10, 5000)
    assert calls[-2:] == [10, 10]


def test_bounded_holds_under_threads() -> None:
    @memo.bounded(entries=50, size=50 * 64, weigh=lambda args, value: 64)
    def square(number: int) -> int:
        return number * number

    def work(offset: int) -> None:
        for number in range(2000):
            assert square((number * 7 + offset) % 300) == ((number * 7 + offset) % 300) ** 2

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    info = square.cache_info()
    assert info.currsize <= 50 and info.weight == 64 * info.currsize


def test_small_does_not_keep_a_long_text() -> None:
    @memo.small(entries=4, longest=10, size=4096)
    def upper(text: str) -> str:
        return text.upper()

    upper("ngắn")
    upper("x" * 11)
    upper("x" * 11)
    assert upper.cache_info().currsize == 1
    for word in ["một", "hai", "ba", "bốn", "năm", "sáu"]:
        upper(word)
    assert upper.cache_info().currsize == 4


# -- each cache of baocao --------------------------------------------------------------

SMALL_CACHES: dict[str, tuple[memo.Small[Any, Any], Any]] = {
    # name: (cache, a worst case of the longest text it keeps, made unique by number)
    "measure.word_width": (
        measure.word_width,
        lambda n, longest: ((f"{n}🙂" * longest)[:longest], 13.0 + n % 7, bool(n % 2)),
    ),
    "model._emphasised": (
        model._emphasised,
        # Emphasis on every other character: as many runs as the text can hold.
        lambda n, longest: (
            (f"{n:06d} " + "*ư* " * ((longest - 7) // 4)).ljust(longest, "x"),
            bool(n % 2),
            False,
        ),
    ),
    "layout._name_lines": (
        layout._name_lines,
        lambda n, longest: (
            (f"ỦY BAN NHÂN DÂN {n} " + "XÃ ĐÔNG " * longest)[:longest],
            13,
            True,
            2000,
        ),
    ),
    "ooxml._paragraph_properties": (
        ooxml._paragraph_properties,
        lambda n, longest: ((f"Kiểu{n}" + "ỹ" * longest)[:longest], "both", True, n, (n, n)),
    ),
    "read.q": (read.q, lambda n, longest: (f"w:{n}" + "x" * longest)[:longest]),
}


@pytest.mark.parametrize("name", sorted(SMALL_CACHES))
def test_each_small_cache_full_of_worst_cases_weighs_less_than_it_states(name: str) -> None:
    cache, worst = SMALL_CACHES[name]
    cache.cache_clear()
    # longest=0: short by construction (the code's own names); 40 is twice the longest there is.
    longest = cache.longest or 40
    args = [worst(n, longest) for n in range(cache.entries + 100)]
    args = [a if isinstance(a, tuple) else (a,) for a in args]
    assert all(len(a[0]) == longest for a in args)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for arguments in args:
        cache(*arguments)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert cache.cache_info().currsize == cache.entries
    # What is held is the cache (the arguments list existed before): under its stated bytes.
    assert held <= cache.size, (held, cache.size)
    if cache.longest:
        longer = (args[0][0] + "x", *args[0][1:])
        cache(*longer)
        assert cache.cache_info().currsize == cache.entries  # a longer text is not kept
    cache.cache_clear()


BOUNDED_CACHES = {
    "package.read": package.read,
    "package._deflate": package._deflate,
    "rendering._prepared": rendering._prepared,
    "rendering._styles": rendering._styles,
    "bundle._custom": bundle._custom,
    "messages._catalog": messages._catalog,
}


@pytest.mark.parametrize("name", sorted(BOUNDED_CACHES))
def test_each_bounded_cache_states_entries_and_bytes(name: str) -> None:
    cache = BOUNDED_CACHES[name]
    assert isinstance(cache, memo.Bounded)
    info = cache.cache_info()
    assert 0 < info.maxsize <= 64 and 0 < info.size <= 96 * 2**20
    assert info.currsize <= info.maxsize and info.weight <= info.size


def test_deflate_keeps_at_most_its_bytes_of_parts() -> None:
    package._deflate.cache_clear()
    rng = random.Random(1)
    for number in range(200):
        package._deflate(rng.randbytes(64 * 1024) + bytes([number]))
    info = package._deflate.cache_info()
    assert info.currsize <= info.maxsize and info.weight <= info.size
    assert info.weight > info.size // 2  # it does keep parts, up to its bound


def test_a_render_keeps_only_the_templates_parts_compressed() -> None:
    """The report's own parts (body, core properties) are never kept: no report has them twice."""
    text = EXAMPLE.read_text(encoding="utf-8")
    baocao.render(baocao.validate(baocao.load(text)))
    kept = package._deflate.cache_info()
    for number in range(5):
        changed = text.replace("Kết quả công tác", f"Kết quả công tác lần {number}")
        document = baocao.render(baocao.validate(baocao.load(changed)))
        assert f"lần {number}".encode() in _part(document, "word/document.xml")
    after = package._deflate.cache_info()
    assert after.currsize == kept.currsize and after.weight == kept.weight
    assert after.hits > kept.hits  # the template's parts were found compressed


def _part(document: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return archive.read(name)


def test_many_letterheads_keep_at_most_the_custom_cache_entries(tmp_path: Path) -> None:
    """A clerk's template per path and version: 70 paths, at most 64 kept."""
    source = bundle.find("bao-cao").docx
    for number in range(70):
        copy = tmp_path / f"mau-{number}.docx"
        shutil.copyfile(source, copy)
        bundle.custom(copy, base="bao-cao")
    info = bundle._custom.cache_info()
    assert info.currsize <= info.maxsize == 64


def test_every_cache_in_baocao_is_bounded() -> None:
    """A cache made without ``memo`` is one of these, each of a few values by construction."""
    constant = {
        ("rendering.py", "environment"),  # two: shipped and a clerk's own
        ("bundle.py", "find"),  # the bundles on disk, by name
        ("markup.py", "_inline_parser"),  # one parser
        ("vietnamese.py", "_babel"),  # one module and locale
        ("messages.py", "codes"),  # the catalog's codes
        ("records.py", "_setting"),  # one maker per shape of record (fields, factories, …)
    }
    found = set()
    for path in (ROOT / "baocao").rglob("*.py"):
        if path.name == "memo.py":
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"@(?:functools\.)?(?:cache|lru_cache\([^)]*\))\s*\ndef (\w+)", text
        ):
            found.add((path.name, match.group(1)))
    assert found == constant
    assert markup.parse_inline.__name__ == "parse_inline"
    assert not hasattr(markup.parse_inline, "cache_info")  # read anew: see its docstring
