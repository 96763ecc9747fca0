"""`ketcli mcp`: hand the process to the MCP server (ketcli.mcp), or print a client's configuration.

The server needs the optional extra `mcp` (the official MCP SDK); without it the command
exits 2 with the one install line that fits where this ketcli is installed (`install_line`):
ketcli is not on a public index, so `pip install 'ketcli[mcp]'` would find nothing.
`--config` only prints, and needs no SDK. This module is the one place the CLI imports
ketcli.mcp (an exception of tests/test_architecture.py, with its reason).
"""

import shlex
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ketcli.cli.context import state

commands = typer.Typer()


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
        raise UsageError("ketcli mcp needs the MCP extra (the official MCP SDK)",
                         hint=f"install it: {install_line()}") from None
    from ketcli.cli.startup import collect_again
    from ketcli.mcp.server import serve

    from ketcli.data import cache

    collect_again()  # a server stays: the start-up's paused collector must run again,
    cache.FREEZE_WHAT_IS_BUILT = False  # and must not keep the garbage of each load for good
    serve(state["data"])


def mcp_requirements() -> list[str]:
    """The requirements of the `mcp` extra, as this installation's metadata lists them."""
    from importlib import metadata

    try:
        requires = metadata.requires("ketcli") or []
    except metadata.PackageNotFoundError:
        requires = []
    import re

    marker = re.compile(r"""extra\s*==\s*["']mcp["']""")
    wanted = [r.split(";", 1)[0].strip() for r in requires if ";" in r and marker.search(r.split(";", 1)[1])]
    return wanted or ["mcp"]


def installed_from() -> str | None:
    """The folder or wheel this ketcli was installed from (PEP 610's direct_url.json), if known."""
    import json
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    try:
        text = metadata.distribution("ketcli").read_text("direct_url.json")
        url = json.loads(text or "null")["url"]
    except (metadata.PackageNotFoundError, TypeError, KeyError, ValueError):
        return None
    parsed = urlparse(url)
    return unquote(parsed.path) if parsed.scheme == "file" else url


def install_line(prefix: str | None = None, executable: str | None = None) -> str:
    """The command that adds the MCP SDK to the environment this ketcli runs in.

    pipx and uv tool keep an application in an environment of their own (pipx writes
    pipx_metadata.json into it, uv uv-receipt.toml); anything else is a plain environment,
    where this interpreter's pip (or, in a venv uv made without pip, `uv pip`) installs it.
    """
    import importlib.util

    root = Path(prefix if prefix is not None else sys.prefix)
    python = executable if executable is not None else sys.executable
    requirements = " ".join(shlex.quote(r) for r in mcp_requirements())
    if (root / "pipx_metadata.json").exists():
        return f"pipx inject {shlex.quote(root.name)} {requirements}"
    if (root / "uv-receipt.toml").exists():
        source = installed_from() or "/path/to/ketcli"
        return f"uv tool install --force {shlex.quote(source + '[mcp]')}"
    if prefix is None and importlib.util.find_spec("pip") is None:
        return f"uv pip install --python {shlex.quote(python)} {requirements}"
    return f"{shlex.quote(python)} -m pip install {requirements}"
