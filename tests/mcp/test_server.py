"""The MCP server, through the SDK's own client: in memory for every tool, and one real
stdio round trip against the installed entry point."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mcp.server.mcpserver", reason="the MCP extra is not installed (pip install -e '.[mcp]')")
jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (a dependency of the MCP SDK) is missing")

import anyio  # noqa: E402
from mcp import Client, StdioServerParameters  # noqa: E402

import ketcli  # noqa: E402
from ketcli.mcp.server import build  # noqa: E402

BIN = Path(sys.executable).parent
TOOLS = {"compare", "mechanism", "cite", "search", "treatment", "side_effects", "sof", "timeline", "about", "validate"}

# (tool, arguments, the CLI arguments whose --json is the same dict)
CALLS = [
    ("compare", {}, ["compare"]),
    ("compare", {"treatments": ["ketamine", "ect"]}, ["compare", "ketamine", "ect"]),
    ("mechanism", {}, ["mechanism"]),
    ("mechanism", {"name": "opioid"}, ["mechanism", "opioid"]),
    ("mechanism", {"name": "bdnf"}, ["mechanism", "bdnf"]),
    ("mechanism", {"evidence_map": True}, ["mechanism", "--map"]),
    ("cite", {"refs": ["11", "1-3"]}, ["cite", "11", "1-3"]),
    ("cite", {"mechanism": "opioid"}, ["cite", "--mechanism", "opioid"]),
    ("cite", {"refs": ["33"], "usage": True}, ["cite", "33", "--usage"]),
    ("cite", {"search": "blood pressure", "usage": True}, ["cite", "--search", "blood pressure", "--usage"]),
    ("search", {"query": "naltrexone", "limit": 3}, ["search", "naltrexone", "--limit", "3"]),
    ("treatment", {}, ["treatment"]),
    ("treatment", {"name": "esketamine"}, ["treatment", "esketamine"]),
    ("side_effects", {"treatments": ["ketamine"]}, ["side-effects", "ketamine"]),
    ("side_effects", {"treatments": ["ketamine", "ect"]}, ["side-effects", "ketamine", "vs", "ect"]),
    ("search", {"query": "bladder problems"}, ["search", "bladder", "problems"]),
    ("search", {"topic": "dosing"}, ["search", "--topic", "dosing"]),
    ("search", {"query": "memory problems after shock therapy"}, ["search", "memory", "problems", "after", "shock",
                                                                  "therapy"]),
    ("search", {"query": "shock therapy", "exact": True, "limit": 5}, ["search", "shock", "therapy", "--exact", "-n",
                                                                       "5"]),
    ("treatment", {"name": "ketamine", "topic": "abuse"}, ["treatment", "ketamine", "--claims", "--topic", "abuse"]),
    ("side_effects", {}, ["side-effects"]),
    ("sof", {"treatments": ["ketamine", "ect"]}, ["sof", "ketamine", "ect"]),
    ("timeline", {}, ["timeline"]),
    ("about", {}, ["about"]),
    ("validate", {}, ["validate"]),
]


def api_call(tool, arguments):
    """The Python API's answer to the same question."""
    data, arguments = ketcli.open(), dict(arguments)
    if tool in ("compare", "side_effects", "sof"):
        return getattr(data, tool)(*arguments.pop("treatments", []))
    if tool == "cite":
        return data.cite(*arguments.pop("refs", []), **arguments)
    return getattr(data, tool)(**arguments)


def session(work):
    """Run `work(client)` against a fresh in-memory server over JSON-RPC streams."""
    async def main():
        async with Client(build(ketcli.open()), mode="legacy") as client:
            return await work(client)

    return anyio.run(main)


def call(tool, arguments):
    return session(lambda client: client.call_tool(tool, arguments))


def test_the_catalog_lists_every_tool_read_only_and_small():
    listed = session(lambda client: client.list_tools())
    assert {t.name for t in listed.tools} == TOOLS
    for tool in listed.tools:
        assert tool.annotations.read_only_hint is True and tool.annotations.destructive_hint is False
        assert tool.description and tool.output_schema is None  # the large schemas are resources
    size = len(json.dumps(listed.model_dump(by_alias=True, mode="json", exclude_none=True)).encode())
    print(f"tools/list: {size} bytes")
    assert size <= 16 * 1024


def test_every_tool_is_called():
    assert {tool for tool, _, _ in CALLS} == TOOLS


@pytest.mark.parametrize("tool, arguments, args", CALLS, ids=[" ".join(a) for _, _, a in CALLS])
def test_each_tool_gives_the_json_of_its_command(run, tool, arguments, args):
    result = call(tool, arguments)
    assert not result.is_error, result.content
    expected = run(*args, "--json").json()
    assert result.structured_content == expected == api_call(tool, arguments)  # MCP, CLI and API: one dict
    schema = run("schema", args[0]).json()
    jsonschema.validate(result.structured_content, schema)
    text = result.content[0].text
    assert text and len(text) < 40_000
    flat = " ".join(text.split())
    for ref in expected.get("references", [])[:3]:
        assert " ".join((ref["doi"] or ref["title"]).split()) in flat  # the references, as the terminal lists them
    assert expected["dataset_sha256"][:16] in text
    # what the terminal shows, the text carries: every [n] marker and every † of a noted cell
    terminal = run(*args, env={"COLUMNS": "100"}).out
    assert markers(terminal) <= markers(text)
    assert terminal.count("†") == text.count("†")


def markers(text):
    import re

    return set(re.findall(r"\[\d[\d,;– -]*\]", text))


def test_the_text_is_the_answer_with_its_reference_numbers():
    text = call("compare", {"treatments": ["ketamine", "ect"]}).content[0].text
    assert "Response rate\nKetamine: 50%–70% [1,5,15]†\nECT: 50%–70% [1,5,15]†" in text
    assert "References" in text and "doi:10.1056/NEJMoa2302399" in text


def test_compare_text_has_the_cell_notes_and_the_clis_footer(run):
    """Before: no † notes, and "[n] are the references of the review's sentences that say the same"."""
    from ketcli.render.wording import table1_footnote

    text = call("compare", {"treatments": ["ketamine", "ect"]}).content[0].text
    assert "that say the same" not in text
    assert " ".join(table1_footnote("†").split()) in " ".join(text.split())
    assert "Notes on the cells (†)" in text
    assert "† ECT · Response rate: The text gives no response rate of its own for ECT" in text


def test_treatment_with_a_topic_has_the_topics_claims():
    """Before: `topic: dosing` gave the profile and "Claims about it: N (in the structured content)"."""
    result = call("treatment", {"name": "ketamine", "topic": "dosing"})
    claims = result.structured_content["claims"]
    assert claims and all(c["topic"] == "dosing" for c in claims)
    flat = " ".join(result.content[0].text.split())
    for claim in claims:
        assert " ".join(claim["text"].split()) in flat


def test_side_effects_text_has_the_frequencies():
    """Before: the effect and its frequency word, but none of the numbers."""
    text = call("side_effects", {"treatments": ["ketamine"]}).content[0].text
    assert "experienced dissociation: 62% (n = 188)" in text
    assert "felt spacey: 74% (n = 188)" in text


def test_the_text_has_no_control_characters_from_the_data(tmp_path, hostile_records):
    import tomli_w

    from ketcli.cli.curate import STARTER

    own = tmp_path / "mine.toml"
    own.write_text(STARTER + "\n" + tomli_w.dumps(hostile_records("\x1b[31mred\x07\u202e")), encoding="utf-8")

    async def main():
        async with Client(build(ketcli.open(own)), mode="legacy") as client:
            return [await client.call_tool(tool, arguments) for tool, arguments in [
                ("compare", {"treatments": ["ketamine", "evil"]}), ("cite", {"refs": ["35"]}),
                ("mechanism", {"name": "opioid"}), ("search", {"query": "evil"})]]

    for result in anyio.run(main):
        assert not result.is_error, result.content
        text = result.content[0].text
        assert "red" in text
        assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) < 0xa0 or c == "\u202e" for c in text)


def test_cite_gives_an_export_as_the_text(run):
    result = call("cite", {"refs": ["11"], "format": "bibtex"})
    assert result.content[0].text.rstrip("\n") == run("cite", "11", "--format", "bibtex").out.rstrip("\n")
    assert result.structured_content == run("cite", "11", "--json").json()
    noted = call("cite", {"refs": ["33"], "format": "ris", "with_notes": True}).content[0].text
    assert noted.replace("\r\n", "\n").rstrip("\n") == run("cite", "33", "--format", "ris", "--with-notes").out.rstrip("\n")
    assert "N1  - " in noted


@pytest.mark.parametrize("tool, arguments, says, code", [
    ("treatment", {"name": "ketamne"}, "did you mean ketamine?", 1),
    ("compare", {"treatments": ["ketamine", "s"]}, "ambiguous", 1),
    ("mechanism", {"name": "opiod"}, "did you mean opioid?", 1),
    ("cite", {"refs": ["99"]}, "no reference 99", 1),
    ("cite", {"refs": ["11"], "treatment": "ect"}, "not both", 2),
    ("search", {"query": "zzzzqqq"}, "nothing in the review matches", 1),
    ("timeline", {"fields": ["year", "nosuch"]}, "available fields: id, year", 2),
])
def test_errors_are_tool_errors_with_the_clis_message(tool, arguments, says, code):
    async def work(client):
        failed = await client.call_tool(tool, arguments)
        after = await client.call_tool("timeline", {})  # the server is still there
        return failed, after

    failed, after = session(work)
    assert failed.is_error
    assert says in failed.content[0].text
    assert failed.structured_content["error"]["code"] == code
    assert not after.is_error


@pytest.mark.parametrize("tool, arguments, says", [
    ("search", {"query": "naltrexone", "limt": 3}, "search: no argument 'limt' (did you mean limit?)"),
    ("compare", {"treatment": ["ketamine"]}, "compare: no argument 'treatment' (did you mean treatments?)"),
    ("search", {"query": "naltrexone", "limit": "many"}, "search: limit is a whole number from 1 to 10000, not 'many'"),
    ("search", {"query": "naltrexone", "limit": 0}, "search: limit is a whole number from 1 to 10000, not 0"),
    ("mechanism", {"name": "opioid", "evidence_map": "yes"}, "mechanism: evidence_map is true or false, not 'yes'"),
    ("cite", {"refs": [{"n": 11}]}, "cite: refs takes a list of names or numbers, not an object"),
    ("treatment", {"name": ["ketamine"]}, "treatment: name takes text, not a list"),
])
def test_wrong_arguments_are_tool_errors_in_the_tools_words(tool, arguments, says):
    """Before: unknown arguments were ignored, wrong types answered with pydantic's own text."""
    failed = call(tool, arguments)
    assert failed.is_error
    text = failed.content[0].text
    assert text.startswith(says)
    assert "pydantic" not in text and "validation error" not in text and "type=" not in text
    assert failed.structured_content["error"]["code"] == 2


@pytest.mark.parametrize("tool, arguments, same", [
    ("cite", {"refs": [11, "1-3"]}, {"refs": ["11", "1-3"]}),  # before: "Input should be a valid string"
    ("compare", {"treatments": "ketamine"}, {"treatments": ["ketamine"]}),
    ("search", {"query": "naltrexone", "limit": "3"}, {"query": "naltrexone", "limit": 3}),
])
def test_what_a_person_would_pass_is_taken(tool, arguments, same):
    result = call(tool, arguments)
    assert not result.is_error, result.content
    assert result.structured_content == call(tool, same).structured_content


def test_fields_give_the_records_of_jsonl(run):
    result = call("compare", {"treatments": ["ketamine", "ect"], "fields": ["treatment", "label", "value.low"]})
    lines = [json.loads(line) for line in run("compare", "ketamine", "ect", "--format", "jsonl", "--fields",
                                              "treatment,label,value.low").out.splitlines()]
    assert result.structured_content["records"] == lines
    assert result.structured_content["fields"] == ["treatment", "label", "value.low"]
    assert result.structured_content["dataset_sha256"] == run("about", "--json").json()["dataset_sha256"]


def test_resources_are_the_review_each_reference_and_each_schema(run):
    async def work(client):
        listed = await client.list_resources()
        ref = await client.read_resource("ketcli://references/11")
        schema = await client.read_resource("ketcli://schemas/compare")
        review = await client.read_resource("ketcli://review")
        return listed, ref, schema, review

    listed, ref, schema, review = session(work)
    uris = {str(r.uri) for r in listed.resources}
    assert {f"ketcli://references/{n}" for n in range(1, 35)} <= uris
    assert {"ketcli://review", "ketcli://schemas/compare", "ketcli://schemas/validate", "ketcli://schemas/sof"} <= uris
    assert json.loads(ref.contents[0].text) == run("cite", "11", "--json").json()["references"][0]
    assert json.loads(schema.contents[0].text) == run("schema", "compare").json()
    assert json.loads(review.contents[0].text)["review"]["doi"] == "10.7759/cureus.83244"


def entry_point() -> Path:
    exe = BIN / "ketcli"
    if not exe.exists():
        pytest.skip("the ketcli entry point is not installed in this environment")
    return exe


@pytest.mark.slow
def test_a_real_stdio_round_trip_with_the_sdk_client(run):
    params = StdioServerParameters(command=str(entry_point()), args=["mcp"],
                                   env=dict(os.environ))  # the session's warm cache

    async def main():
        async with Client(params) as client:  # the SDK's default: the newest protocol the server speaks
            listed = await client.list_tools()
            answer = await client.call_tool("compare", {"treatments": ["ketamine", "ect"]})
            failed = await client.call_tool("mechanism", {"name": "opiod"})
            return listed, answer, failed

    listed, answer, failed = anyio.run(main)
    assert {t.name for t in listed.tools} == TOOLS
    assert answer.structured_content == run("compare", "ketamine", "ect", "--json").json()
    assert failed.is_error and "did you mean opioid?" in failed.content[0].text


@pytest.mark.slow
def test_stdout_carries_nothing_but_protocol():
    """A client of the initialize handshake (2025-06-18), byte by byte: every stdout line is JSON-RPC."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "about", "arguments": {}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "treatment", "arguments": {"name": "zzz"}}},
    ]
    server = subprocess.Popen([str(entry_point()), "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ))  # the session's warm cache
    replies = []
    try:
        for message in messages:
            server.stdin.write(json.dumps(message) + "\n")
            server.stdin.flush()
            if "id" in message:  # wait for the reply: closing stdin cancels what is in flight
                line = server.stdout.readline()
                replies.append(json.loads(line))  # every line is a JSON-RPC message
        server.stdin.close()
        rest = server.stdout.read()
        server.wait(timeout=60)
        errors = server.stderr.read()
    finally:
        server.kill()
    assert server.returncode == 0, errors
    assert errors == ""  # a tool error is an answer, not a diagnostic
    replies += [json.loads(line) for line in rest.splitlines()]
    assert all(r["jsonrpc"] == "2.0" for r in replies)
    by_id = {r["id"]: r for r in replies if "id" in r}
    assert by_id[2]["result"]["structuredContent"]["command"] == "about"
    assert by_id[3]["result"]["isError"] is True


@pytest.mark.slow
def test_the_config_names_the_installed_executable_by_its_absolute_path():
    exe = entry_point()
    done = subprocess.run([str(exe), "mcp", "--config", "claude-desktop"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    server = json.loads(done.stdout)["mcpServers"]["ketcli"]
    assert server == {"command": str(exe), "args": ["mcp"]} and Path(server["command"]).is_absolute()
    vscode = json.loads(subprocess.run([str(exe), "mcp", "--config", "vscode"], capture_output=True, text=True).stdout)
    assert vscode["servers"]["ketcli"] == {"type": "stdio", "command": str(exe), "args": ["mcp"]}
    code = subprocess.run([str(exe), "mcp", "--config", "claude-code"], capture_output=True, text=True).stdout
    assert code == f"claude mcp add --transport stdio ketcli -- {exe} mcp\n"
