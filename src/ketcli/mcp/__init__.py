"""`ketcli mcp`: a stdio MCP server for AI assistants, on the official MCP SDK (the
optional extra `mcp`: `pip install '.[mcp]'` in a clone).

- server.py: the tools (compare, mechanism, cite, search, treatment, side_effects,
  timeline, about — read-only), the resources (the review, each reference, each
  command's JSON Schema) and `serve()` over stdio;
- text.py: the short readable text of each answer, with its [n] and references;
- config.py: the client configurations `ketcli mcp --config …` prints (no SDK needed).

May import: `ketcli.api` (every answer comes from it), `ketcli.render` (fields, JSON
text, Vancouver), `ketcli.query`, `ketcli.data`, `ketcli.errors`, the `mcp` SDK,
pydantic, anyio, the standard library. Never `ketcli.cli`: `ketcli.cli.serve` starts it.
"""
