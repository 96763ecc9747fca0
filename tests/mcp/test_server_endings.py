"""The MCP server at its edges (issue 24, item 10): text from the data cannot drive a
client's terminal, every request read is answered when stdin closes, and each way the
streams end is exit 0 or 4 with at most one line on stderr."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mcp.server.mcpserver", reason="the MCP extra is not installed (pip install -e '.[mcp]')")

import anyio  # noqa: E402
import tomli_w  # noqa: E402
from mcp import Client  # noqa: E402

import ketcli  # noqa: E402
from ketcli.cli.curate import STARTER  # noqa: E402
from ketcli.mcp.server import build  # noqa: E402

HOSTILE = ("\x1b]52;c;RVZJTA==\x07 \x1b]0;title\x07 \x1b[2J bell\x07 \x9b31m csi \u202eesrever\u202c "
           "\u2066iso\u2069 back\x08space end")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HANDSHAKE = [
    {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
]


@pytest.fixture
def hostile_data(tmp_path, hostile_records) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(STARTER + "\n" + tomli_w.dumps(hostile_records(HOSTILE)))
    return path


def call(path: Path, tool: str, arguments: dict):
    async def main():
        async with Client(build(ketcli.open(path)), mode="legacy") as client:
            return await client.call_tool(tool, arguments)

    return anyio.run(main)


@pytest.mark.parametrize("tool, arguments", [
    ("mechanism", {"name": "opioid"}), ("compare", {"treatments": ["ketamine", "evil"]}),
    ("cite", {"refs": ["35"]}), ("cite", {"refs": ["35"], "format": "ris"}), ("treatment", {"name": "evil"}),
    ("search", {"query": "bell"}), ("mechanism", {"name": "opioid", "fields": ["text", "refs"]}),
    ("treatment", {"name": "evil\x1b[2J"}),
])
def test_tool_text_carries_no_character_a_terminal_obeys(hostile_data, tool, arguments):
    result = call(hostile_data, tool, arguments)
    text = result.content[0].text
    assert not RAW.search(text.replace("\r\n", "\n").replace("\n", "")), text[:500]
    assert "\\x1b" in text or "\\u001b" in text  # shown as its escape
    if not result.is_error and "fields" not in arguments:  # the structured content keeps the data exact
        assert any(HOSTILE in text for text in strings(result.structured_content))


def strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def serve(messages: list[dict], **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ)  # the session's warm cache (tests/conftest.py)
    env.pop("KETCLI_DATA", None)
    return subprocess.run([sys.executable, "-m", "ketcli", "mcp"], input="".join(json.dumps(m) + "\n" for m in messages),
                          text=True, env=env, timeout=120, **kwargs)


def test_every_request_read_before_stdin_closes_is_answered():
    calls = [{"jsonrpc": "2.0", "id": i, "method": "tools/call",
              "params": {"name": "compare", "arguments": {"treatments": ["ketamine", "ect"]}}} for i in range(1, 11)]
    done = serve(HANDSHAKE + calls, capture_output=True)
    assert done.returncode == 0 and done.stderr == ""
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(a["id"] for a in answers) == list(range(11))
    assert all(a["result"]["structuredContent"]["command"] == "compare" for a in answers if a["id"])


def test_a_closed_stdin_is_exit_0():
    env = dict(os.environ)  # the session's warm cache (tests/conftest.py)
    done = subprocess.run(f'"{sys.executable}" -m ketcli mcp <&-', shell=True, capture_output=True, text=True,
                          env=env, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_full_stdout_is_exit_4_with_one_line():
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "about", "arguments": {}}}
    with open("/dev/full", "w") as full:
        done = serve(HANDSHAKE + [call], stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 4
    assert done.stderr.startswith("ketcli: error: cannot write the output") and done.stderr.count("\n") == 1


def test_a_reader_gone_is_exit_0_and_quiet():
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "about", "arguments": {}}}
    read, write = os.pipe()
    os.close(read)
    try:
        done = serve(HANDSHAKE + [call], stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, "")
