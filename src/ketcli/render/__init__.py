"""Rendering: a result dict → text. Formatters return text; only a surface prints.

- dispatch.py: `render(result, fmt, view)`, the one entry for every text format;
- views.py: how each command's result becomes records and flat columns;
- text_formats.py (jsonl, csv, markdown), jsontext.py (json), citations.py (BibTeX,
  RIS, CSL-JSON, Vancouver, APA), diagrams.py (DOT, Mermaid), format_names.py (the
  choices of --format), citefile.py (a citation file written whole or not at all);
- fhir/: the dataset as one FHIR R5 Bundle of EBM-on-FHIR resources (plain dicts), for
  `ketcli export fhir` and `Dataset.export_fhir()`;
- terminal/: tables and pictures for a terminal, and the streams they are written to.

May import: `ketcli.query`, `ketcli.data`, `ketcli.errors`, rich, the standard library.
Never `ketcli.curate` or a surface (cli, api, mcp, export).
"""
