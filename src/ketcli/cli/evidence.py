"""`ketcli compare`, `ketcli mechanism` and `ketcli search`: the evidence, side by side, by mechanism, by words."""

from typing import Annotated, Optional

import typer

from ketcli.cli.context import complete, complete_topic, dataset
from ketcli.cli.options import FieldsOption, FormatOption, JsonOption, Output, PathwayFormatOption

commands = typer.Typer()


@commands.command()
def compare(
    treatments: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[TREATMENT]...", help="Treatments by name or alias (ketamine, ssri, tca, ect …). None: all of Table 1.",
                       autocompletion=lambda incomplete: complete("treatments", incomplete)),
    ] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw the numeric dimensions as ranges.")] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """Treatments side by side: the review's Table 1, every cell cited, and the trials that compare them."""
    from ketcli.cli.context import split_names

    out = Output.of(fmt, as_json, fields)
    out.emit(dataset().compare(*split_names(treatments)), "compare_chart" if chart else "compare")


@commands.command()
def mechanism(
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="[NAME]", help="Mechanism or entity (nmdar, opioid, monoamine, inflammation, bdnf, trkb …). None: list all.",
                       autocompletion=lambda incomplete: complete("mechanisms", incomplete)),
    ] = None,
    pathway: Annotated[bool, typer.Option("--pathway", help="Draw the mechanism's pathway as a tree.")] = False,
    evidence_map: Annotated[bool, typer.Option("--map", help="Without NAME: mechanisms × kinds of evidence.")] = False,
    quotes: Annotated[bool, typer.Option("--quotes", help="Show each claim's exact words in the review, with section, paragraph and offsets (checked against the source).")] = False,
    fmt: PathwayFormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """The evidence for a mechanism: what supports it, what contradicts it, how strong."""
    from ketcli.errors import UsageError

    out = Output.of(fmt, as_json, fields)
    diagram = out.asked in ("dot", "mermaid")
    if diagram and name is None:
        raise UsageError(f"--format {out.asked} draws one mechanism's pathway: give NAME (e.g. nmdar)")
    result = dataset().mechanism(name, evidence_map=evidence_map, pathway=pathway or diagram, quotes=quotes)
    if name is None:
        out.emit(result, "evidence_map" if evidence_map else "mechanism_list")
    else:
        out.emit(result, "mechanism_quotes" if quotes else "pathway" if pathway else "mechanism")


@commands.command()
def search(
    query: Annotated[Optional[list[str]], typer.Argument(
        metavar="QUERY...",
        help="A question or words, as you would ask them: records matching any word rank by how much of it "
             "they hold; word forms meet (addiction finds addictive), a word's start counts ('dissociat'); "
             "hyphenated terms and \"quoted phrases\" match as phrases; common words are left out.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10_000, help="Most hits to show.")] = 20,
    topic: Annotated[Optional[str], typer.Option("--topic", help="Only claims on this topic (dosing, duration, abuse …).",
                                                 autocompletion=lambda incomplete: complete_topic(incomplete))] = None,
    quotes: Annotated[bool, typer.Option("--quotes", help="Show the review's exact words under each claim, trial and Table 1 cell.")] = False,
    exact: Annotated[bool, typer.Option("--exact", help="Search only the words as typed: no lay vocabulary "
                                                        "('shock therapy' → ECT is ketcli's curation).")] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """Answers to a question in your own words: claims, trials, Table 1, side effects, references and notes."""
    from ketcli.errors import NotFound

    out = Output.of(fmt, as_json, fields)
    data, text = dataset(), " ".join(query or [])
    try:
        result = data.search(text, limit=limit, topic=topic, exact=exact, quotes=quotes)
    except NotFound as exc:
        if out.asked != "json":
            raise
        from ketcli.render.terminal import streams

        streams.error(exc.message, exc.hint)  # and still one JSON document on stdout, for jq
        out.emit(data.search(text, limit=limit, topic=topic, exact=exact, empty_ok=True), "search", 1)
        return
    out.emit(result, "search_quotes" if quotes else "search")
