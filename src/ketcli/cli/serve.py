"""`ketcli mcp`: hand the process to the MCP server (ketcli.mcp), or print a client's configuration.

The server needs the optional extra (`pip install 'ketcli[mcp]'`); without it the
command exits 2 with the install command (`--config` only prints, and needs no SDK). This module is the one place the CLI
imports ketcli.mcp (an exception of tests/test_architecture.py, with its reason).
"""

from enum import Enum
from typing import Annotated, Optional

import typer

from ketcli.cli.context import state

commands = typer.Typer()
INSTALL = "pip install 'ketcli[mcp]'"


class Client(str, Enum):
    claude_desktop = "claude-desktop"
    claude_code = "claude-code"
    vscode = "vscode"
    json = "json"


@commands.command("mcp")
def mcp(
    config: Annotated[Optional[Client], typer.Option(
        "--config", case_sensitive=False,
        help="Print the configuration of this MCP client (with the absolute path of ketcli) and exit.")] = None,
):
    """Serve the review to AI assistants: a stdio MCP server with read-only, cited tools."""
    from ketcli.errors import UsageError

    if config is not None:  # only JSON (or a command line) to print: no SDK needed
        from ketcli.mcp.config import snippet
        from ketcli.render.terminal import streams

        streams.write(snippet(config.value, state["data"]).rstrip("\n"))
        return
    try:
        import mcp.server.mcpserver  # noqa: F401 - the SDK ≥ 2 (FastMCP became MCPServer)
    except ImportError:
        raise UsageError("ketcli mcp needs the MCP extra (the official MCP SDK, mcp >= 2.3)",
                         hint=f"install it: {INSTALL}") from None
    from ketcli.mcp.server import serve

    serve(state["data"])
