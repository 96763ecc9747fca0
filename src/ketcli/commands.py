"""Every command of ketcli, declared once.

The CLI (cli/app.py: which module builds a command, in what order --help lists them),
the MCP server (mcp/server.py: its read-only tools and schema resources), `ketcli schema`
(query/results.py: which commands have JSON output, and its completion), and the docs
read this table; tests/test_commands.py walks it: each command has its CLI command, API
method, schema, docs entry and, where it only reads, its MCP tool, and nothing more.

To add a command: one `Command(...)` here, its options in the named cli module, its
API method on `ketcli.Dataset`, and (with JSON output) its result type in query/results.py.
Standard library only, and data only: every start of the CLI reads it.
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    name: str
    """As typed after `ketcli`; a sub-command of a group as "group sub" (`export sqlite`)."""
    module: str
    """The module of ketcli.cli that declares its options."""
    api: str | None
    """Its call in the Python API: "Dataset.METHOD" or "ketcli.FUNCTION"; None where there is none (why: `note`)."""
    views: tuple[str, ...] = ()
    """The views (render/views.py) its results are drawn and flattened with."""
    formats: str | None = None
    """The enum of render/format_names.py whose members its --format takes; None: no --format."""
    schema: bool = False
    """`ketcli schema NAME` describes its --json (a result type in query/results.py)."""
    tool: str | None = None
    """The read-only MCP tool that asks the same; None for a command that writes or serves (`note`)."""
    group: str | None = None
    """For a group of sub-commands: the attribute of `module` that holds its Typer app."""
    note: str = ""
    """Why a surface is missing, where one is."""


COMMANDS: tuple[Command, ...] = (
    Command("compare", "evidence", "Dataset.compare", ("compare", "compare_chart"), "Format", True, "compare"),
    Command("mechanism", "evidence", "Dataset.mechanism",
            ("mechanism", "mechanism_list", "evidence_map", "pathway", "mechanism_quotes"), "PathwayFormat", True,
            "mechanism"),
    Command("cite", "cite", "Dataset.cite", ("cite", "usage"), "CiteFormat", True, "cite"),
    Command("treatment", "profiles", "Dataset.treatment",
            ("treatment", "treatment_list", "treatment_claims", "treatment_claims_quotes"), "Format", True, "treatment"),
    Command("side-effects", "profiles", "Dataset.side_effects", ("side_effects",), "Format", True, "side_effects"),
    Command("timeline", "profiles", "Dataset.timeline", ("timeline",), "Format", True, "timeline"),
    Command("search", "evidence", "Dataset.search", ("search", "search_quotes"), "Format", True, "search"),
    Command("about", "profiles", "Dataset.about", ("about",), "Format", True, "about"),
    Command("validate", "checks", "Dataset.validate", ("validate",), "Format", True, "validate"),
    Command("schema", "checks", "ketcli.schema", note="its MCP counterpart is the resources ketcli://schemas/NAME"),
    Command("data", "curate", None, group="app",
            note="writes to an own dataset file: no API method, no MCP tool (the server only reads)"),
    Command("mcp", "serve", None, note="starts the MCP server itself"),
    Command("sof", "share", "Dataset.sof", ("sof", "sof_gaps"), "Format", True, "sof"),
    Command("brief", "share", "Dataset.brief", note="writes a file: no MCP tool (the server only reads)"),
    Command("export sqlite", "share", "Dataset.export_sqlite", group="export_app",
            note="writes a file: no MCP tool (the server only reads)"),
    Command("export fhir", "share", "Dataset.export_fhir", group="export_app",
            note="writes a file (or a whole Bundle to stdout): no MCP tool"),
)

BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}


def top_level() -> dict[str, Command]:
    """The first word of each command → the command (the first of a group's), in --help order."""
    tops: dict[str, Command] = {}
    for command in COMMANDS:
        tops.setdefault(command.name.split()[0], command)
    return tops


def with_schema() -> list[str]:
    """The commands whose --json `ketcli schema` describes."""
    return [c.name for c in COMMANDS if c.schema]


def tools() -> dict[str, Command]:
    """MCP tool name → its command."""
    return {c.tool: c for c in COMMANDS if c.tool}
