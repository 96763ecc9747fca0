"""`--help` of ketcli and of each command, and `--version`, at widths 40/80/120."""

import pytest

from shots import invoke

COMMANDS = [[], ["compare"], ["mechanism"], ["cite"], ["treatment"], ["side-effects"], ["timeline"], ["search"],
            ["about"], ["validate"], ["schema"], ["data"], ["data", "init"], ["data", "add"], ["data", "import"],
            ["mcp"], ["sof"], ["brief"], ["export"], ["export", "sqlite"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c) or "ketcli")
def test_help(shoot, command):
    shoot(*command, "--help")


def test_no_arguments_show_the_help(snapshot):
    assert invoke().text() == snapshot


def test_version(snapshot):
    assert invoke("--version").text() == snapshot
