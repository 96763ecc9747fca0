"""`ketcli mcp --config CLIENT`: the configuration a client needs to start the server.

The most common failure of an MCP server is a client that cannot find its command (a
desktop app does not see the PATH of a shell or a virtual environment), so the snippet
names the executable by its absolute path: the `ketcli` script that is running, or this
interpreter with `-m ketcli`. A dataset chosen with --data or KETCLI_DATA is passed on.
"""

from __future__ import annotations

import json
import os
import shlex
import sys

CLIENTS = ("claude-desktop", "claude-code", "vscode", "json")
NAME = "ketcli"


def command(data: str | None = None, argv0: str | None = None) -> list[str]:
    """The absolute command line that starts the server."""
    script = argv0 if argv0 is not None else sys.argv[0]
    if os.path.basename(script).startswith("ketcli") and os.path.isfile(script):
        argv = [os.path.abspath(script)]
    else:
        argv = [sys.executable, "-m", "ketcli"]
    if data:
        argv += ["--data", os.path.abspath(data)]
    return argv + ["mcp"]


def snippet(client: str, data: str | None = None, argv0: str | None = None) -> str:
    """The text to paste into `client`'s configuration (or, for claude-code, to run)."""
    exe, *args = command(data, argv0)
    if client == "claude-desktop":  # claude_desktop_config.json
        document: dict = {"mcpServers": {NAME: {"command": exe, "args": args}}}
    elif client == "vscode":  # .vscode/mcp.json or the user profile's mcp.json
        document = {"servers": {NAME: {"type": "stdio", "command": exe, "args": args}}}
    elif client == "claude-code":
        return f"claude mcp add --transport stdio {NAME} -- {shlex.join([exe, *args])}\n"
    elif client == "json":
        document = {"name": NAME, "transport": "stdio", "command": exe, "args": args}
    else:
        from ketcli.errors import UsageError

        raise UsageError(f"unknown MCP client {client!r}", hint="clients: " + ", ".join(CLIENTS))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
