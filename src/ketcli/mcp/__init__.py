"""`ketcli mcp`: a stdio MCP server for AI assistants, on the official MCP SDK (the
optional extra `mcp`: `pip install '.[mcp]'` in a clone).

- server.py: the tools (compare, mechanism, cite, search, treatment, side_effects, sof,
  timeline, about, validate — read-only; ketcli.commands names them), the resources (the review, each reference, each
  command's JSON Schema) and `serve()` over stdio;
- text.py: the text of each answer: the terminal's view of the same result, as plain text;
- config.py: the client configurations `ketcli mcp --config …` prints (no SDK needed).

May import: `ketcli.api` (every answer comes from it), `ketcli.render` (fields, JSON
text, Vancouver), `ketcli.query`, `ketcli.data`, `ketcli.errors`, the `mcp` SDK,
pydantic, anyio, the standard library. Never `ketcli.cli`: `ketcli.cli.serve` starts it.
"""
