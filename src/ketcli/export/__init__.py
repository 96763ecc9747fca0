"""Exports: the dataset in the shapes other well-kept tools take.

- sqlite.py: a normalised SQLite database (foreign keys, JSON list columns, FTS5,
  views) for sqlite3 and Datasette, and Datasette's metadata for it;
- brief.py and templates/brief.html.j2: a short, self-contained HTML brief
  (Jinja2, autoescaped), with zotero.py's COinS spans and Highwire meta tags.

The FHIR R5 Bundle of `ketcli export fhir` is built in `ketcli.render.fhir`, not here:
the Python API (`Dataset.export_fhir`), a sibling of export, returns it too.

Builders under the command layer (`ketcli.api`: Dataset.brief, Dataset.export_sqlite):
may import `ketcli.render`, `ketcli.query`, `ketcli.data`, `ketcli.errors` and the
standard library (Jinja2 inside functions); never `ketcli.cli`, `ketcli.mcp` or `ketcli.api`.
Builders return bytes or text; the CLI writes them (render/citefile.py's atomic writer).
"""
