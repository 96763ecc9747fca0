"""The names of the output formats (the choices of --format), without the writers.

Every start of ketcli imports this module to build the options; the writers (csv,
markdown, jsonl) are in views.py, imported only when one is used.
"""

from __future__ import annotations

from enum import Enum

from ketcli.errors import UsageError


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


class CiteFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"
    vancouver = "vancouver"
    apa = "apa"
    doi = "doi"


# The formats citations.FORMATS writes (tests/test_citations.py keeps the two equal).
CITATION_FORMATS = ("bibtex", "ris", "csl-json", "vancouver", "apa", "doi")


class PathwayFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    dot = "dot"
    mermaid = "mermaid"


def choose(fmt: Enum | None, as_json: bool) -> str:
    """The format asked for: --json is short for --format json."""
    if as_json and fmt is not None and fmt.value != "json":
        raise UsageError(f"--json and --format {fmt.value} ask for different formats; give one")
    if as_json:
        return "json"
    return fmt.value if fmt is not None else "table"
