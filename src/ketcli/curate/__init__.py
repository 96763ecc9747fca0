"""Curating an own dataset file: validated, appended, atomic and locked writes
(writes.py), and the BibTeX and RIS importers (importers.py).

May import: `ketcli.data`, `ketcli.errors`, tomli-w, bibtexparser, pylatexenc, the
standard library. Never `ketcli.query`, `ketcli.render` or a surface.
"""
