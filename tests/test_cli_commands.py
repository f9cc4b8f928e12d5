"""Each command is a module-level function, called here without Click: what it writes and prints."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from baocao import cli
from baocao.errors import InputError, OutputError, ValidationFailed
from tests.docx_facts import Docx

COMMANDS = {
    "render": cli.render_command,
    "validate": cli.validate_command,
    "init": cli.init_command,
    "serve": cli.serve_command,
    "templates": cli.templates_command,
    "check": cli.check_command,
    "import": cli.import_command,
}


def test_every_command_is_a_module_function_taking_its_options() -> None:
    # make_cli only declares options; the names Click passes are the function's parameters.
    group = cli.make_cli("en")
    assert sorted(group.commands) == sorted(COMMANDS)
    for name, command in group.commands.items():
        options = {param.name for param in command.params if param.name != "help"}
        parameters = set(inspect.signature(COMMANDS[name]).parameters) - {"obj"}
        assert options == parameters, name


def test_commands_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    obj = {"lang": "en"}

    cli.init_command(obj, "bc.yaml", "bao-cao", overwrite=False)
    assert "bc.yaml" in capsys.readouterr().out
    assert "baocao render bc.yaml" in Path("bc.yaml").read_text("utf-8")
    with pytest.raises(OutputError) as exists:
        cli.init_command(obj, "bc.yaml", "bao-cao", overwrite=False)
    assert exists.value.code == "init_exists"

    cli.validate_command(obj, Path("bc.yaml"), None, max_size=10)
    assert obj["kind"] == ".docx"  # the group's error summary names what would be made
    assert "bc.yaml" in capsys.readouterr().out

    cli.render_command(obj, (Path("bc.yaml"),), None, None, None, jobs=0, pdf=False, max_size=10)
    assert capsys.readouterr().out.strip().endswith("bc.docx")
    assert Docx(Path("bc.docx").read_bytes()).text

    assert cli.check_command(obj, Path("bc.docx"), as_json=False, template=None) == 0
    assert capsys.readouterr().out

    cli.templates_command(obj)
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == ["bao-cao", "cong-van", "ke-hoach", "quyet-dinh", "thong-bao", "to-trinh"]


def test_a_command_raises_its_error_as_data(tmp_path: Path) -> None:
    # Turning it into a message and an exit code is the group's job, in one place.
    bad = tmp_path / "bc.yaml"
    bad.write_text("trich_yeu: [\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        cli.validate_command({"lang": "en"}, bad, None, max_size=10)
    assert (caught.value.code, caught.value.exit_code) == ("yaml_syntax", 3)

    (tmp_path / "bc.yaml").write_text("trich_yeu: 5\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as invalid:
        cli.validate_command({"lang": "en"}, bad, None, max_size=10)
    assert invalid.value.exit_code == 4
