"""`ketcli sof`, `brief` and `export sqlite`: the evidence in shapes to hand on — a summary
of findings, a one-page HTML brief, and a SQLite database for sqlite3 and Datasette."""

from typing import Annotated, Optional

import typer

from ketcli.cli.context import complete, load
from ketcli.cli.options import output_options

commands = typer.Typer()
export_app = typer.Typer(
    name="export",
    help="Write the dataset in a format other tools read (sqlite: for sqlite3 and Datasette).",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,  # built on its own when asked for (cli.KetcliGroup)
)


@export_app.callback()
def export_group() -> None:
    """Write the dataset in a format other tools read (sqlite: for sqlite3 and Datasette)."""


def _about(data) -> dict:
    from ketcli.query import profiles

    return profiles.about(data)


@commands.command()
@output_options()
def sof(
    names: Annotated[Optional[list[str]], typer.Argument(
        metavar="[TREATMENT]...", help="The intervention, then what it is compared with. None: every trial.",
        autocompletion=lambda incomplete: complete("treatments", incomplete))] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="List what a full summary of findings needs that the review "
                                                      "does not print.")] = False,
):
    """A summary of findings of the trials that study the named treatments: only the numbers
    the review prints, certainty not assessed (narrative review), derived arithmetic labelled."""
    from ketcli.query.sof import sof as summary

    return summary(load(), names or []), "sof_gaps" if gaps else "sof"


@export_app.command("sqlite")
def export_sqlite(
    output: Annotated[str, typer.Argument(metavar="FILE", help="The database file to write (replaced whole).",
                                          show_default=False)],
    metadata_file: Annotated[Optional[str], typer.Option(
        "--metadata", metavar="FILE", help="Also write Datasette's metadata (title, license, facets) to FILE.")] = None,
):
    """The dataset as a normalised SQLite database (foreign keys, JSON lists, FTS5, views),
    the same bytes for the same dataset; written atomically. Prints nothing."""
    from pathlib import Path

    from ketcli.errors import UsageError
    from ketcli.export import sqlite
    from ketcli.render.citefile import write_file

    if not output.strip() or output == "-":
        raise UsageError("export sqlite needs a file name (a database cannot go to stdout)")
    if metadata_file is not None and (not metadata_file.strip() or metadata_file == "-"):
        raise UsageError("--metadata needs a file name")
    data = load()
    about = _about(data)
    content = sqlite.build(data, about["dataset"]["sha256"], about["ketcli_version"])
    meta = None
    if metadata_file is not None:
        import json

        document = sqlite.metadata(data, Path(output).stem)
        meta = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_file(output, content)
    if meta is not None:
        write_file(metadata_file, meta)
