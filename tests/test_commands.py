"""The one registry of commands (ketcli.commands) and every surface that reads it agree:
each command has its CLI command, API method, schema, docs entry and, where it only
reads, its MCP tool; no surface has a command, tool or resource the registry lacks."""

from enum import Enum
from pathlib import Path

import pytest
import typer.main

import ketcli
from ketcli.commands import BY_NAME, COMMANDS, top_level, with_schema

ROOT = Path(__file__).resolve().parents[1]
WRITES = {"data", "brief", "export sqlite", "export fhir", "mcp"}  # commands that write or serve: no MCP tool


def cli_commands() -> set[str]:
    """Every command and sub-command the Typer app answers to, as typed."""
    from ketcli.cli.app import app, build_command

    group = typer.main.get_command(app)
    names = set()
    for name in group.list_commands(None):
        command = build_command(name)
        assert command is not None, f"ketcli {name}: the registry names it, the CLI cannot build it"
        sub = getattr(command, "commands", None)
        if sub and name in {c.name.split()[0] for c in COMMANDS if " " in c.name}:
            names |= {f"{name} {s}" for s in sub}
        else:
            names.add(name)
    return names


def test_the_cli_has_exactly_the_registrys_commands():
    assert cli_commands() == set(BY_NAME)


def test_help_lists_the_commands_in_the_registrys_order(run):
    out = run("--help").out
    positions = [out.index(f"  {name} ") for name in top_level()]
    assert positions == sorted(positions)


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_each_command_has_its_api_call_or_says_why_not(command):
    if command.api is None:
        assert command.note, f"{command.name}: no API call and no reason"
        return
    owner, method = command.api.split(".")
    target = ketcli.Dataset if owner == "Dataset" else ketcli
    assert callable(getattr(target, method, None)), f"{command.name}: {command.api} does not exist"


def test_schemas_are_the_commands_with_json_output(run):
    from ketcli.query.results import RESULTS

    assert set(with_schema()) == set(RESULTS)
    for name in with_schema():
        assert run("schema", name).json()["$schema"].endswith("2020-12/schema")


def test_each_view_belongs_to_one_command_and_exists():
    from ketcli.render.views import VIEWS

    claimed = [view for c in COMMANDS for view in c.views]
    assert sorted(claimed) == sorted(set(claimed)), "a view is claimed by two commands"
    assert set(claimed) == set(VIEWS)


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.formats], ids=lambda c: c.name)
def test_each_format_enum_exists_and_the_command_takes_it(run, command):
    from ketcli.render import format_names

    formats = getattr(format_names, command.formats)
    assert issubclass(formats, Enum)
    out = run(*command.name.split(), "--help").out
    assert "--format" in out and all(f.value in out for f in formats)


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_each_command_is_in_the_docs(command):
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert any(f"`ketcli {command.name}" in p.read_text(encoding="utf-8") for p in docs), \
        f"ketcli {command.name} is in no docs page (README.md, docs/*.md)"


def test_only_the_commands_that_write_or_serve_lack_an_mcp_tool():
    assert {c.name for c in COMMANDS if c.tool is None and c.name != "schema"} == WRITES
    for command in COMMANDS:
        if command.tool is None:
            assert command.note, f"{command.name}: no MCP tool and no reason"


def test_the_schema_argument_completes_from_the_registry(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KETCLI_CACHE_DIR": str(tmp_path), "_KETCLI_COMPLETE": "complete_bash",
           "COMP_WORDS": "ketcli schema s", "COMP_CWORD": "2"}
    done = subprocess.run([sys.executable, "-m", "ketcli"], env=env, capture_output=True, text=True)
    assert done.stdout.split() == [name for name in with_schema() if name.startswith("s")]


def test_the_mcp_server_has_exactly_the_registrys_tools_and_schema_resources():
    pytest.importorskip("mcp.server.mcpserver", reason="the MCP extra is not installed (pip install -e '.[mcp]')")
    import anyio
    from mcp import Client

    from ketcli.mcp.server import build

    async def main():
        async with Client(build(ketcli.open()), mode="legacy") as client:
            return await client.list_tools(), await client.list_resources()

    tools, resources = anyio.run(main)
    registered = {c.tool: c for c in COMMANDS if c.tool}
    assert {t.name for t in tools.tools} == set(registered)
    schemas = {str(r.uri).removeprefix("ketcli://schemas/") for r in resources.resources
               if str(r.uri).startswith("ketcli://schemas/")}
    assert schemas == {c.name for c in registered.values()}, "a schema resource without its tool, or a tool without it"
