"""`ketcli mcp` without the extra, and the client configurations (no MCP SDK needed)."""

import json
import subprocess
import sys

import pytest

from ketcli.mcp import config

WITHOUT_SDK = (
    "import sys\n"
    "sys.modules['mcp'] = None  # as if the mcp extra had not been installed\n"
    "sys.argv = ['ketcli', *sys.argv[1:]]\n"
    "from ketcli.cli.entry import main\n"
    "main()\n"
)


def test_without_the_extra_it_exits_2_with_the_install_command(tmp_path):
    done = subprocess.run([sys.executable, "-c", WITHOUT_SDK, "mcp"], capture_output=True, text=True,
                          env={"KETCLI_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, input="")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    # this environment's own pip, never `pip install 'ketcli[mcp]'` (ketcli is on no public index)
    assert f"install it: {sys.executable} -m pip install 'mcp>=2.3'" in done.stderr
    assert "ketcli[mcp]" not in done.stderr


def test_the_install_line_fits_a_pipx_or_uv_tool_environment(tmp_path, monkeypatch):
    from ketcli.cli import serve

    pipx = tmp_path / "pipx" / "venvs" / "ketcli"
    pipx.mkdir(parents=True)
    (pipx / "pipx_metadata.json").write_text("{}")
    assert serve.install_line(str(pipx), "/x/python") == "pipx inject ketcli 'mcp>=2.3'"
    uv = tmp_path / "uv" / "tools" / "ketcli"
    uv.mkdir(parents=True)
    (uv / "uv-receipt.toml").write_text("")
    monkeypatch.setattr(serve, "installed_from", lambda: "/home/you/src/ketcli")
    assert serve.install_line(str(uv), "/x/python") == "uv tool install --force '/home/you/src/ketcli[mcp]'"
    plain = tmp_path / "venv"
    plain.mkdir()
    assert serve.install_line(str(plain), "/x/bin/python") == "/x/bin/python -m pip install 'mcp>=2.3'"


def test_the_extra_named_in_the_install_line_is_pyprojects():
    import tomllib
    from pathlib import Path

    from ketcli.cli import serve

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert serve.mcp_requirements() == pyproject["project"]["optional-dependencies"]["mcp"]


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


def test_the_server_runs_with_the_cyclic_gc_on(tmp_path):
    """A query runs with the collector paused (start-up); the server stays, so it turns it back on."""
    pytest.importorskip("mcp.server.mcpserver", reason="the mcp extra is not installed")
    probe = (
        "import gc, sys\n"
        "sys.argv = ['ketcli', 'mcp']\n"
        "import ketcli.mcp.server as server\n"
        "server.serve = lambda data: sys.stderr.write(f'GC {gc.isenabled()}\\n')\n"
        "from ketcli.cli.entry import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={"KETCLI_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == "GC True\n"
