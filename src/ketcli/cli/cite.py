"""`ketcli cite`: the review's references for people and reference managers."""

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Optional

import typer

from ketcli.cli.context import complete, complete_refs, dataset
from ketcli.cli.options import CiteFormatOption, FieldsOption, JsonOption, Output
from ketcli.render.format_names import CITATION_FORMATS

commands = typer.Typer()


@commands.command()
def cite(
    refs: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[REF]...", help="Reference numbers (11), ranges (1-5) or keys (anand2023). None: all.",
                       autocompletion=lambda incomplete: complete_refs(incomplete)),
    ] = None,
    treatment: Annotated[Optional[str], typer.Option("--treatment", help="References behind a treatment's evidence.",
                                                     autocompletion=lambda incomplete: complete("treatments", incomplete))] = None,
    mechanism_name: Annotated[Optional[str], typer.Option("--mechanism", help="References behind a mechanism's evidence.",
                                                          autocompletion=lambda incomplete: complete("mechanisms", incomplete))] = None,
    search_query: Annotated[Optional[str], typer.Option("--search", help="References cited by the records a search finds.")] = None,
    usage: Annotated[bool, typer.Option("--usage", help="What the review cites each reference for.")] = False,
    with_notes: Annotated[bool, typer.Option(
        "--with-notes", help="Put the dataset's notes on each reference into BibTeX/RIS/CSL-JSON exports.")] = False,
    output_file: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                                                       help="Write to FILE (format from .bib/.ris/.json unless --format).")] = None,
    fmt: CiteFormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """The review's references as printed, with DOIs, in the formats reference managers take."""
    from ketcli.errors import UsageError

    out = Output.of(fmt, as_json, fields)
    asked = out.asked
    data = dataset()
    if usage:
        if output_file is not None or asked in CITATION_FORMATS:
            raise UsageError("--usage lists what references are cited for; export them without --usage")
        out.emit(data.cite(*(refs or []), treatment=treatment, mechanism=mechanism_name, search=search_query,
                           usage=True), "usage")
        return
    if output_file is not None:
        from ketcli.cli.context import refuse_inputs_as_outputs

        refuse_inputs_as_outputs(output_file)
        if asked == "doi":
            _say_missing_dois(data.cite(*(refs or []), treatment=treatment, mechanism=mechanism_name,
                                        search=search_query)["references"])
        data.cite_file(output_file, *(refs or []), format=asked, treatment=treatment, mechanism=mechanism_name,
                       search=search_query, with_notes=with_notes)
        return
    from ketcli.api.dataset import exported

    result = exported(data.cite(*(refs or []), treatment=treatment, mechanism=mechanism_name, search=search_query),
                      asked, with_notes)
    if asked == "doi":
        _say_missing_dois(result["references"])
    out.emit(result, "cite")


def _say_missing_dois(references: Sequence[Mapping[str, Any]]) -> None:
    """`--format doi` leaves out references without a DOI: stderr says which (stdout stays DOIs only)."""
    import sys

    from ketcli.render.terminal import streams

    for ref in references:
        if not ref.get("doi"):
            streams.write(f"ketcli: note: reference {ref['number']} ({ref['key']}) has no DOI in the source; left out",
                          sys.stderr)
