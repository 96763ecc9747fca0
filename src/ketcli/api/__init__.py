"""The Python API: what the CLI answers, as the dicts its `--json` prints.

    >>> import ketcli
    >>> review = ketcli.open()                      # the bundled review (or a path, or KETCLI_DATA)
    >>> table = review.compare("ketamine", "ect")   # == `ketcli compare ketamine ect --json`
    >>> review.cite_file("opioid.ris", mechanism="opioid")

`open()` gives a `Dataset`; its methods (compare, mechanism, cite, cite_text, cite_file,
treatment, side_effects, sof, timeline, search, about, validate; brief, export_sqlite)
return the same result dict as the command's `--json` (tests/api/test_api.py holds them
equal); `export_fhir()` returns the FHIR R5 Bundle `ketcli export fhir` writes
(tests/export/test_fhir.py). They raise the same
errors: one family, `KetcliError`, whose `.code` is the CLI's exit code (1 NotFound,
2 UsageError, 3 DatasetError, 4 WriteError). `API_VERSION` is `schema_version`: a change
of a result's shape changes both.

This is the one command layer: the CLI and the MCP server are thin calls into it, so
the options of a command are turned into a query, and their combinations checked, here.

May import: `ketcli.export` (brief, export_sqlite), `ketcli.query`, `ketcli.render`
(citation formats, the FHIR Bundle), `ketcli.data`, `ketcli.errors`, the standard library.
Never typer, rich or a surface (cli, mcp): importing the API costs no more than a query's
own work (a test checks).
"""

from typing import TYPE_CHECKING

from ketcli.api.dataset import bind_types, open, schema, validate
from ketcli.errors import DatasetError, KetcliError, NotFound, UsageError, WriteError
from ketcli.query.envelope import SCHEMA_VERSION

if TYPE_CHECKING:
    from ketcli.api.dataset import Dataset

API_VERSION = SCHEMA_VERSION
"""The version of the result shapes: every result's `schema_version`."""

__all__ = [
    "API_VERSION", "Dataset", "DatasetError", "KetcliError", "NotFound", "UsageError", "WriteError",
    "open", "schema", "validate",
]


def __getattr__(name: str) -> object:
    """`Dataset` with its annotations resolvable (dataset.bind_types), on first use."""
    if name == "Dataset":
        from ketcli.api.dataset import Dataset

        bind_types()
        return Dataset
    raise AttributeError(f"module 'ketcli.api' has no attribute {name!r}")
