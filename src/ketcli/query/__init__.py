"""Queries: pure functions from a loaded dataset to result dicts, and the typed shapes
of those results (results.py, which also gives each command's JSON Schema).

A query never prints, exits or draws; a name that matches nothing raises NotFound.
Every surface (the CLI's --json, the coming API and MCP server) returns these dicts.
May import: `ketcli.data`, `ketcli.errors`, the standard library, pydantic (schemas).
Never `ketcli.render`, `ketcli.curate` or any surface.
"""
