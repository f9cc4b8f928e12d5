"""The cache of prepared templates: only where the caller passes one, private, and self-healing.

Every run here is a fresh process with HOME and XDG_CACHE_HOME pointing at
empty folders, so what a run writes (or does not) is seen on the real disk.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import baocao
from baocao import cache as cache_module
from baocao.cache import TemplateCache
from tests.conftest import EXAMPLES, MINIMAL, RENDER
from tests.test_custom_templates import LETTERHEAD, letterhead

EXAMPLE = EXAMPLES / "000-pci-quang-nam-2021.yaml"

RENDER_IN_PROCESS = (
    "import sys, baocao\n"
    "from baocao.bundle import template_for\n"
    "source = baocao.load(sys.argv[1])\n"
    "template = template_for(sys.argv[2] if len(sys.argv) > 2 else None, source.data)\n"
    "data = baocao.render(baocao.validate(source, template))\n"
    "print(len(data) > 1000)\n"
)


def _environment(tmp_path: Path, **extra: str) -> tuple[dict[str, str], Path, Path]:
    """An environment whose home and XDG cache are empty folders of their own."""
    home, xdg = tmp_path / "home", tmp_path / "xdg"
    home.mkdir()
    xdg.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(xdg), **extra)
    return env, home, xdg


def _everything(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*")]


def _document(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


@pytest.mark.parametrize("custom", [False, True], ids=["shipped", "clerk's own template"])
def test_render_creates_nothing_in_an_empty_home(tmp_path: Path, custom: bool) -> None:
    """`baocao.render(...)` in a fresh process: the home and the XDG cache stay empty."""
    env, home, xdg = _environment(tmp_path)
    args = [str(EXAMPLE)]
    if custom:  # compiled in the confined child, which must not write either
        report = tmp_path / "bc.yaml"
        report.write_text(MINIMAL, encoding="utf-8")
        args = [str(report), str(letterhead(tmp_path / "mau.docx", LETTERHEAD))]
    run = subprocess.run(
        [sys.executable, "-c", RENDER_IN_PROCESS, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True"]
    assert _everything(home, xdg) == []


def test_the_command_line_keeps_private_entries_in_the_platform_folder(tmp_path: Path) -> None:
    env, home, xdg = _environment(tmp_path)
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    run = subprocess.run([*RENDER, str(report)], env=env, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    folder = xdg / "baocao"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    entries = list(folder.iterdir())
    assert [entry.suffix for entry in entries] == [".json"]  # one entry, no temporary left
    assert stat.S_IMODE(entries[0].stat().st_mode) == 0o600
    assert _everything(home) == []  # XDG_CACHE_HOME is honoured, ~/.cache is not used


def test_no_cache_turns_it_off(tmp_path: Path) -> None:
    env, home, xdg = _environment(tmp_path, BAOCAO_NO_CACHE="1")
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    run = subprocess.run([*RENDER, str(report)], env=env, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "bc.docx").is_file()
    assert _everything(home, xdg) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated (a full disk, a killed run)
        lambda raw: b"\x00\xff garbage" * 10,
        lambda raw: b"",
        lambda raw: raw.replace(b"w:p", b"w:q", 1),  # a flipped byte in a story
        # another program's well-formed JSON under our name: no stories at all
        lambda raw: cache_module._MAGIC + cache_module.sha256(b"{}").hexdigest().encode() + b"\n{}",
    ],
    ids=["truncated", "garbage", "empty", "changed", "no stories"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path: Path, damage: object) -> None:
    env, _, xdg = _environment(tmp_path)
    report = tmp_path / "bc.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    run = subprocess.run([*RENDER, str(report)], env=env, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    [entry] = (xdg / "baocao").iterdir()
    good = entry.read_bytes()
    expected = _document((tmp_path / "bc.docx").read_bytes())
    assert callable(damage)
    entry.write_bytes(damage(good))
    again = subprocess.run(
        [*RENDER, str(report), "--ghi-de"], env=env, capture_output=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert _document((tmp_path / "bc.docx").read_bytes()) == expected  # the render is right
    assert entry.read_bytes() == good  # and the entry was written again, whole
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_the_key_is_the_content_and_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    key = TemplateCache.key(b"template", "docxtpl 1")
    assert key == TemplateCache.key(b"template", "docxtpl 1")
    assert key != TemplateCache.key(b"template.", "docxtpl 1")
    assert key != TemplateCache.key(b"template", "docxtpl 2")
    monkeypatch.setattr(cache_module, "__version__", "9.9.9")
    assert key != TemplateCache.key(b"template", "docxtpl 1")


def test_the_folder_follows_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("BAOCAO_CACHE_DIR", raising=False)
    monkeypatch.delenv("BAOCAO_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert TemplateCache.default() == TemplateCache(tmp_path / ".cache" / "baocao")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert TemplateCache.default() == TemplateCache(tmp_path / "xdg" / "baocao")
    monkeypatch.setattr(cache_module.sys, "platform", "darwin")
    assert cache_module.platform_folder() == tmp_path / "Library" / "Caches" / "baocao"
    monkeypatch.setattr(cache_module.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert cache_module.platform_folder() == tmp_path / "Local" / "baocao" / "Cache"


def test_the_cache_is_turned_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAOCAO_NO_CACHE", "1")
    assert TemplateCache.default() is None
    monkeypatch.setenv("BAOCAO_NO_CACHE", "0")
    monkeypatch.setenv("BAOCAO_CACHE_DIR", "")  # the older switch still works
    assert TemplateCache.default() is None
    monkeypatch.setenv("BAOCAO_CACHE_DIR", "/somewhere/chosen")
    assert TemplateCache.default() == TemplateCache(Path("/somewhere/chosen"))


def test_render_with_a_cache_equals_render_without(tmp_path: Path) -> None:
    validated = baocao.validate(baocao.load(EXAMPLE))
    plain = baocao.render(validated)
    kept = baocao.render(validated, cache=TemplateCache(tmp_path / "c"))
    assert _document(kept) == _document(plain)
    assert len(list((tmp_path / "c").glob("*.json"))) == 1


@pytest.mark.parametrize("off", [False, True], ids=["cache", "BAOCAO_NO_CACHE=1"])
def test_the_service_keeps_its_workers_templates_in_the_cache(tmp_path: Path, off: bool) -> None:
    """`baocao serve`: each worker's warm-up render prepares the template through the cache."""
    from tests.test_service import call, serving

    env, home, xdg = _environment(tmp_path, BAOCAO_NO_CACHE="1" if off else "")
    with serving("--dong-thoi", "1", env=env) as base:  # listening once the worker is warm
        status, _, body = call(base + "/render", MINIMAL.encode("utf-8"))
    assert status == 200 and body.startswith(b"PK")
    if off:
        assert _everything(home, xdg) == []
    else:
        [entry] = (xdg / "baocao").iterdir()
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
        assert TemplateCache(xdg / "baocao").load(entry.stem) is not None


def test_a_batch_in_worker_processes_shares_one_private_entry(tmp_path: Path) -> None:
    env, home, xdg = _environment(tmp_path)
    folder = tmp_path / "thang-11"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    run = subprocess.run(
        [*RENDER, str(folder), "-j", "2"], env=env, capture_output=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in folder.glob("*.docx")) == ["a.docx", "b.docx", "c.docx"]
    [entry] = (xdg / "baocao").iterdir()  # written whole by whichever worker came first
    assert entry.suffix == ".json" and stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert TemplateCache(xdg / "baocao").load(entry.stem) is not None
    assert _everything(home) == []
