"""`ketcli mcp` without the extra, and the client configurations (no MCP SDK needed)."""

import json
import subprocess
import sys

import pytest

from ketcli.mcp import config

WITHOUT_SDK = (
    "import sys\n"
    "sys.modules['mcp'] = None  # as if `pip install 'ketcli[mcp]'` had not been run\n"
    "sys.argv = ['ketcli', *sys.argv[1:]]\n"
    "from ketcli.cli.entry import main\n"
    "main()\n"
)


def test_without_the_extra_it_exits_2_with_the_install_command(tmp_path):
    done = subprocess.run([sys.executable, "-c", WITHOUT_SDK, "mcp"], capture_output=True, text=True,
                          env={"KETCLI_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, input="")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "pip install 'ketcli[mcp]'" in done.stderr


def test_without_the_extra_the_config_is_printed_all_the_same(tmp_path):
    """It only prints JSON: before, it exited 2 asking to install the SDK first."""
    done = subprocess.run([sys.executable, "-c", WITHOUT_SDK, "mcp", "--config", "claude-desktop"],
                          capture_output=True, text=True, input="",
                          env={"KETCLI_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mcpServers"]["ketcli"]["args"][-1] == "mcp"


def test_run_as_a_module_the_config_names_this_interpreter(tmp_path):
    assert config.command(argv0="/somewhere/pytest") == [sys.executable, "-m", "ketcli", "mcp"]
    own = tmp_path / "mine.toml"
    assert config.command(str(own), argv0="x")[-3:] == ["--data", str(own.resolve()), "mcp"]


def test_the_installed_script_is_named_by_its_absolute_path(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "ketcli"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    assert config.command(argv0="bin/ketcli") == [str(script), "mcp"]


@pytest.mark.parametrize("client, parse", [
    ("claude-desktop", lambda text: json.loads(text)["mcpServers"]["ketcli"]),
    ("vscode", lambda text: json.loads(text)["servers"]["ketcli"]),
    ("json", json.loads),
])
def test_each_client_gets_the_command_and_its_arguments(client, parse):
    server = parse(config.snippet(client, argv0="/opt/venv/bin/ketcli-not-here"))
    assert server["command"] == sys.executable and server["args"] == ["-m", "ketcli", "mcp"]


def test_claude_code_gets_the_command_to_run():
    line = config.snippet("claude-code", argv0="nothing")
    assert line == f"claude mcp add --transport stdio ketcli -- {sys.executable} -m ketcli mcp\n"
