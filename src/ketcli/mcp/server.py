"""The MCP server: ketcli's queries as read-only tools, the review as resources.

Built on the official SDK's `MCPServer` (the `mcp` extra). Each tool takes
the arguments of its command, calls the Python API (`ketcli.api`) and returns a
`CallToolResult` whose structured content is the dict `--json` prints and whose text
is the terminal's view of the same result as plain text (text.py). With `fields`, the
structured content holds the records `--format jsonl --fields …` prints instead.
An error a user can make (unknown name, ambiguous alias, bad selection) is a tool
error with the CLI's message and "did you mean", never a crash of the server. The
result schemas are resources, not output schemas, so `tools/list` stays small.
"""

from collections.abc import Mapping


import inspect
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from ketcli import __version__
from ketcli.api import Dataset, KetcliError
from ketcli.render.wording import NOT_REPORTED
from ketcli.render.terminal.streams import dumps_json

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
INSTRUCTIONS = (
    "Evidence on ketamine for major depressive disorder (vs SSRIs, TCAs, ECT) from one peer-reviewed "
    "review (Papadopoulos, Cureus 2025, CC BY 4.0). Every answer is cited with the review's reference "
    f"numbers [n]; quote them and say '{NOT_REPORTED}' where the review is silent."
)

Fields = Annotated[list[str] | None, Field(
    description="Only these record columns (as --format jsonl --fields): the answer becomes "
                "{records: [...]}; an unknown name lists the available ones.")]


def answer(result: Mapping[str, Any], view: str, fields: list[str] | None = None, text: str | None = None) -> CallToolResult:
    """The tool result of a query's `result`: the dict (or its chosen fields) and its text."""
    from ketcli.mcp.text import summary

    if fields is not None:
        from ketcli.render import fields as chosen
        from ketcli.render.views import VIEWS

        records = chosen.select(VIEWS[view], result, list(dict.fromkeys(fields)), "jsonl").records(result)
        structured = {k: result[k] for k in ("schema_version", "command", "source", "dataset_sha256")}
        structured.update(fields=list(dict.fromkeys(fields)), records=records)
        return CallToolResult(content=[TextContent(type="text", text=inert(dumps_json(records)))],
                              structured_content=structured)
    return CallToolResult(content=[TextContent(type="text", text=inert(text or summary(result, view)))],
                          structured_content=result)


def inert(text: str) -> str:
    """A tool's text with no character a terminal would obey (ESC, BEL, C1, bidi controls),
    each shown as its visible escape, as the CLI shows it on a terminal; JSON stays JSON.
    The structured content keeps the data's text exactly, as `--json` does."""
    from ketcli.render.terminal.streams import terminal_safe

    return "\r\n".join(terminal_safe(part) for part in text.split("\r\n"))  # RIS ends its lines so


def failure(exc: KetcliError) -> CallToolResult:
    """A tool error: the CLI's one line, with its hint ("did you mean …?") and exit code."""
    line = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return CallToolResult(content=[TextContent(type="text", text=inert(line))], is_error=True,
                          structured_content={"error": {"message": exc.message, "hint": exc.hint, "code": exc.code}})


class Server(MCPServer):
    """The SDK's server, whose tools' arguments are checked first in the tools' own words
    (arguments.py): the SDK's own validation then always passes, and never speaks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signatures: dict[str, inspect.Signature] = {}

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        from ketcli.mcp.arguments import check

        signature = self.signatures.get(name)
        if signature is not None:
            try:
                arguments = check(name, signature, arguments)
            except KetcliError as exc:
                return failure(exc)
        return await super().call_tool(name, arguments, context)


def build(data: Dataset) -> MCPServer:
    """The server answering from `data`: the tools, then the resources."""
    server = Server("ketcli", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    def tool(description: str):
        def register(fn):
            async def guarded(**kwargs: Any) -> CallToolResult:
                try:
                    return fn(**kwargs)
                except KetcliError as exc:
                    return failure(exc)

            guarded.__signature__ = inspect.signature(fn)  # the SDK reads the arguments from it
            guarded.__annotations__ = fn.__annotations__
            guarded.__name__ = fn.__name__
            server.add_tool(guarded, name=fn.__name__, description=description, annotations=READ_ONLY)
            server.signatures[fn.__name__] = inspect.signature(fn, eval_str=True)
            return fn

        return register

    @tool("Treatments side by side: the review's Table 1 (onset, response rate, duration, tolerability, "
          "accessibility), each cell cited, and the head-to-head trials. As `ketcli compare`.")
    def compare(
        treatments: Annotated[list[str], Field(description="Names or aliases (ketamine, ssri, tca, ect, esketamine …); "
                                                           "empty: the four of Table 1.")] = [],  # noqa: B006
        fields: Fields = None,
    ) -> CallToolResult:
        return answer(data.compare(*treatments), "compare", fields)

    @tool("The evidence for a mechanism (nmdar, monoamine, opioid, inflammation …) or an entity (bdnf, trkb, "
          "ampar, mtorc1 …): status in the review and every claim with stance, kind of evidence and references. "
          "No name: every mechanism. As `ketcli mechanism`.")
    def mechanism(
        name: Annotated[str | None, Field(description="Mechanism or entity; omit for the list.")] = None,
        evidence_map: Annotated[bool, Field(description="Without name: mechanisms × kinds of evidence.")] = False,
        fields: Fields = None,
    ) -> CallToolResult:
        result = data.mechanism(name, evidence_map=evidence_map)
        view = "mechanism" if name else "evidence_map" if evidence_map else "mechanism_list"
        return answer(result, view, fields)

    @tool("The review's references as printed, with DOIs: by number, range or key, or those behind a treatment, "
          "a mechanism or a search; `usage`: what the review cites each for; `format` also gives an export "
          "(bibtex, ris, csl-json, vancouver, apa) as the text. As `ketcli cite`.")
    def cite(
        refs: Annotated[list[str], Field(description="Numbers (11), ranges (1-5) or keys (anand2023); empty: all.")] = [],  # noqa: B006
        treatment: Annotated[str | None, Field(description="References behind a treatment's evidence.")] = None,
        mechanism: Annotated[str | None, Field(description="References behind a mechanism's evidence.")] = None,
        search: Annotated[str | None, Field(description="References cited by the records a search finds.")] = None,
        usage: Annotated[bool, Field(description="What the review cites each reference for.")] = False,
        format: Annotated[str | None, Field(description="bibtex, ris, csl-json, vancouver or apa: the export as text.")] = None,  # noqa: A002
        with_notes: Annotated[bool, Field(description="The export carries the dataset's notes on each reference.")] = False,
        fields: Fields = None,
    ) -> CallToolResult:
        result = data.cite(*refs, treatment=treatment, mechanism=mechanism, search=search, usage=usage)
        text = None
        if format is not None:
            from ketcli.errors import UsageError
            from ketcli.render.format_names import CITATION_FORMATS

            if format not in CITATION_FORMATS or usage:
                raise UsageError(f"format {format!r}: give one of {', '.join(CITATION_FORMATS)}, without usage")
            text = data.cite_text(*refs, format=format, treatment=treatment, mechanism=mechanism, search=search,
                                  with_notes=with_notes)
        return answer(result, "usage" if usage else "cite", fields, text)

    @tool("Answers to a question in plain words, ranked: claims, trials, Table 1, side effects, references and "
          "notes that match any of its words, those holding more of the question first; lay phrases also search "
          "the review's words (`also_searched`: ketcli's reading, not the review's words, each saying `by` what: "
          "its lay vocabulary, the dataset's names, or a misspelling); words no record holds are "
          "listed in `words_not_found`. As `ketcli search`.")
    def search(
        query: Annotated[str, Field(description="A question or words, e.g. 'how quickly does ketamine start "
                                                "working' or 'naltrexone'.")] = "",
        limit: Annotated[int, Field(ge=1, le=10_000, description="Most hits to return.")] = 20,
        topic: Annotated[str | None, Field(description="Only claims on this topic (dosing, duration, abuse …).")] = None,
        exact: Annotated[bool, Field(description="Only the words as typed: no lay vocabulary.")] = False,
        fields: Fields = None,
    ) -> CallToolResult:
        return answer(data.search(query, limit=limit, topic=topic, exact=exact), "search", fields)

    @tool("A treatment's profile: class, route, history, how it acts, Table 1, side effects, trials, events and "
          "claims, every line cited. No name: every treatment. As `ketcli treatment`.")
    def treatment(
        name: Annotated[str | None, Field(description="Treatment (ketamine, esketamine, ssri, ect …); omit for the list.")] = None,
        topic: Annotated[str | None, Field(description="Only the claims on this topic (dosing, duration, abuse …).")] = None,
        fields: Fields = None,
    ) -> CallToolResult:
        view = "treatment_list" if name is None else "treatment_claims" if topic else "treatment"
        return answer(data.treatment(name, topic=topic), view, fields)

    @tool("Side effects with the frequencies the review reports and the studies they come from. As `ketcli side-effects`.")
    def side_effects(
        treatments: Annotated[list[str] | None, Field(description="Only these treatments' side effects.")] = None,
        fields: Fields = None,
    ) -> CallToolResult:
        return answer(data.side_effects(*(treatments or [])), "side_effects", fields)

    @tool("A summary of findings of the trials that study the named treatments: only the numbers the review "
          "prints; certainty not assessed (a narrative review); derived arithmetic labelled. As `ketcli sof`.")
    def sof(
        treatments: Annotated[list[str] | None, Field(description="The intervention, then what it is compared with; omit for every trial.")] = None,
        fields: Fields = None,
    ) -> CallToolResult:
        return answer(data.sof(*(treatments or [])), "sof", fields)

    @tool("The dated events in order: syntheses, approvals, the eras of each drug class. As `ketcli timeline`.")
    def timeline(fields: Fields = None) -> CallToolResult:
        return answer(data.timeline(), "timeline", fields)

    @tool("Every integrity check of the dataset this server answers from: ok, and one line per problem. "
          "As `ketcli validate`.")
    def validate(fields: Fields = None) -> CallToolResult:
        return answer(data.validate(), "validate", fields)

    @tool("The source review (title, author, journal, DOI, license), the dataset's version, SHA-256 and counts. "
          "As `ketcli about`.")
    def about(fields: Fields = None) -> CallToolResult:
        return answer(data.about(), "about", fields)

    add_resources(server, data)
    return server


def schema_resources() -> dict[str, str]:
    """URI → command: the JSON Schema of each tool's structured content (ketcli.commands)."""
    from ketcli.commands import COMMANDS

    return {f"ketcli://schemas/{c.name}": c.name for c in COMMANDS if c.tool and c.schema}


def add_resources(server: MCPServer, data: Dataset) -> None:
    """The review's metadata, each reference, and each command's JSON Schema."""
    from mcp.server.mcpserver.resources import FunctionResource

    def add(uri: str, name: str, description: str, read) -> None:
        server.add_resource(FunctionResource(uri=uri, name=name, description=inert(description),
                                             mime_type="application/json", fn=read))

    about = data.about()
    review = about["review"]
    add("ketcli://review", "review", f"The source review: {review['title']} ({review['journal']} {review['year']}), "
        "its license and the dataset's version and SHA-256.", lambda: dumps_json(data.about()))
    for ref in data.cite()["references"]:
        first = (ref["authors"] or ["?"])[0]
        add(f"ketcli://references/{ref['number']}", f"reference {ref['number']}",
            f"[{ref['number']}] {first}{' et al.' if len(ref['authors']) > 1 or ref['et_al'] else ''} "
            f"{ref['year'] or ''}: {ref['title'] or 'title ' + NOT_REPORTED}",
            lambda n=ref["number"]: dumps_json(data.cite(n)["references"][0]))
    for uri, command in schema_resources().items():
        add(uri, f"schema {command}",
            f"JSON Schema of the {command} tool's structured content (`ketcli schema {command}`).",
            lambda c=command: dumps_json(_schema(c)))


def _schema(command: str) -> dict:
    from ketcli.api import schema

    return schema(command)


def serve(data_path: str | None = None) -> None:
    """Serve over stdio until the client closes the connection. stdout carries only the protocol."""
    import sys

    import anyio

    from ketcli import api

    if sys.stdin is None:  # started with stdin closed (`<&-`): no client can ask anything
        return
    server = build(api.open(data_path))
    if sys.stdin.isatty():  # a person, not a client, started it: say what it is waiting for (stderr only)
        sys.stderr.write("ketcli mcp: an MCP server waiting for a client on stdin (Ctrl-D ends it); "
                         "to connect a client see: ketcli mcp --config claude-desktop\n")
    try:
        anyio.run(_serve_stdio, server)
    except BaseException as exc:  # noqa: BLE001 - sorted below: what the streams failed with, or re-raised
        _ending(exc)


async def _serve_stdio(server: MCPServer) -> None:
    """As the SDK's `run_stdio_async`, but every request read is answered before the end (drain.py)."""
    from mcp.server.stdio import stdio_server

    from ketcli.mcp.drain import Draining

    lowlevel = server._lowlevel_server  # what run_stdio_async itself runs
    async with stdio_server() as (read_stream, write_stream):
        streams = Draining(read_stream, write_stream)
        await lowlevel.run(streams.read, streams.write, lowlevel.create_initialization_options())


def _ending(exc: BaseException) -> None:
    """The end of a run that raised: the client's reader gone is a quiet end (exit 0), an
    output that cannot be written a WriteError (exit 4); anything else is re-raised."""
    import errno

    from ketcli.errors import WriteError

    leaves = [exc]
    while any(isinstance(e, BaseExceptionGroup) for e in leaves):
        leaves = [leaf for e in leaves for leaf in (e.exceptions if isinstance(e, BaseExceptionGroup) else [e])]
    output = [e for e in leaves if isinstance(e, OSError)]
    if not output or len(output) != len(leaves):
        raise exc
    if all(isinstance(e, BrokenPipeError) or e.errno == errno.EPIPE for e in output):
        return
    raise WriteError(f"cannot write the output: {output[0].strerror or output[0]}") from None
