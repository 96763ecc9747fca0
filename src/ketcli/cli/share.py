"""`ketcli sof`, `brief`, `export sqlite` and `export fhir`: the evidence in shapes to hand on — a
summary of findings, a short HTML brief, a SQLite database for sqlite3 and Datasette, and an
HL7 FHIR R5 Bundle of EBM-on-FHIR resources for guideline and evidence platforms."""

import sys
from typing import Annotated, Optional

import typer

from ketcli.cli.context import complete, dataset, refuse_inputs_as_outputs
from ketcli.cli.options import FieldsOption, FormatOption, JsonOption, Output

commands = typer.Typer()
export_app = typer.Typer(
    name="export",
    help="Write the dataset in a format other tools read (sqlite: for sqlite3 and Datasette; fhir: HL7 FHIR R5).",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,  # built on its own when asked for (cli.KetcliGroup)
)


@export_app.callback()
def export_group() -> None:
    """Write the dataset in a format other tools read (sqlite: for sqlite3 and Datasette; fhir: HL7 FHIR R5)."""


def _stdout_bytes(content: bytes) -> None:
    """The page as UTF-8 bytes on stdout (its <meta charset>), whatever the terminal's encoding."""
    import sys

    from ketcli.errors import WriteError

    try:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:
            sys.stdout.write(content.decode("utf-8"))
        else:
            out.write(content)
            out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise WriteError(f"cannot write the output: {exc.strerror or exc}") from None


@commands.command()
def sof(
    names: Annotated[Optional[list[str]], typer.Argument(
        metavar="[TREATMENT]...", help="The intervention, then what it is compared with. None: every trial.",
        autocompletion=lambda incomplete: complete("treatments", incomplete))] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="List what a full summary of findings needs that the review "
                                                      "does not print.")] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """A summary of findings of the trials that study the named treatments: only the numbers
    the review prints, certainty not assessed (narrative review), derived arithmetic labelled."""
    from ketcli.cli.context import split_names

    out = Output.of(fmt, as_json, fields)
    out.emit(dataset().sof(*split_names(names)), "sof_gaps" if gaps else "sof")


@commands.command()
def brief(
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE",
                                        help="The HTML file to write (replaced whole); - writes to stdout.")],
    names: Annotated[Optional[list[str]], typer.Argument(
        metavar="[TREATMENT]...", help="Treatments to brief on. None: the four of Table 1.",
        autocompletion=lambda incomplete: complete("treatments", incomplete))] = None,
    pathway: Annotated[Optional[str], typer.Option(
        "--pathway", metavar="MECHANISM", help="The mechanism whose pathway to draw (default with ketamine: nmdar).",
        autocompletion=lambda incomplete: complete("mechanisms", incomplete))] = None,
):
    """A self-contained HTML brief to share: the review's Conclusions and Table 1 first, then the
    trials, the summary of findings, the side effects, the mechanisms, the pathway and the
    references, every value cited."""
    from ketcli.errors import UsageError

    if not output.strip():
        raise UsageError("--output needs a file name, or - for stdout")
    if output != "-":
        refuse_inputs_as_outputs(output)
    html = dataset().brief(*(names or []), pathway=pathway)
    if output == "-":
        from ketcli.render.terminal import streams

        if streams.is_terminal(sys.stdout):  # made inert, as every other format is on a terminal
            html = streams.terminal_safe(html)
        _stdout_bytes(html.encode("utf-8"))
        return
    from ketcli.render.citefile import write_file

    write_file(output, html.encode("utf-8"))


@export_app.command("sqlite")
def export_sqlite(
    output: Annotated[str, typer.Argument(metavar="FILE", help="The database file to write (replaced whole).",
                                          show_default=False)],
    metadata_file: Annotated[Optional[str], typer.Option(
        "--metadata", metavar="FILE", help="Also write Datasette's metadata (title, license, facets) to FILE.")] = None,
):
    """The dataset as a normalised SQLite database (foreign keys, JSON lists, FTS5, views),
    the same bytes for the same dataset; written atomically. Prints nothing."""
    from ketcli.errors import UsageError

    if not output.strip() or output == "-":  # refused before the dataset is read, as the API would refuse it
        raise UsageError("export sqlite needs a file name (a database cannot go to stdout)")
    if metadata_file is not None and (not metadata_file.strip() or metadata_file == "-"):
        raise UsageError("--metadata needs a file name")
    refuse_inputs_as_outputs(output, metadata_file)
    dataset().export_sqlite(output, metadata=metadata_file)


@export_app.command("fhir")
def export_fhir(
    output: Annotated[str, typer.Argument(metavar="FILE", help="The JSON file to write (replaced whole); - writes "
                                                                 "to stdout.", show_default=False)],
):
    """The dataset as one HL7 FHIR R5 Bundle (JSON): a Citation for the review and each
    reference, an Evidence for each printed result of each trial with the review's words,
    certainty not assessed; the same bytes for the same dataset, written atomically.
    docs/fhir.md says what maps to what."""
    from ketcli.errors import UsageError
    from ketcli.render import fhir

    if not output.strip():
        raise UsageError("export fhir needs a file name, or - for stdout")
    content = fhir.to_json(dataset().export_fhir())
    if output == "-":
        _stdout_bytes(content)
        return
    from ketcli.render.citefile import write_file

    write_file(output, content)
