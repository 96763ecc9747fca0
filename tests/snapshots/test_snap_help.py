"""`--help` of ketcli and of each command, and `--version`, at widths 40/80/120."""

import pytest

from shots import TYPER_LINES, invoke, on_typer_line

COMMANDS = [[], ["compare"], ["mechanism"], ["cite"], ["treatment"], ["side-effects"], ["timeline"], ["search"],
            ["about"], ["validate"], ["schema"], ["data"], ["data", "init"], ["data", "add"], ["data", "import"],
            ["mcp"], ["sof"], ["brief"], ["export"], ["export", "sqlite"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c) or "ketcli")
@pytest.mark.parametrize("line", TYPER_LINES, ids=lambda line: f"typer-{line}")
def test_help(shoot, command, line):
    on_typer_line(line)  # typer lays out --help; 0.29 adds each argument's type
    shoot(*command, "--help")


def test_no_arguments_show_the_help(snapshot):
    assert invoke().text() == snapshot


def test_version(snapshot):
    assert invoke("--version").text() == snapshot
