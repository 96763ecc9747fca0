"""`ketcli compare`, `ketcli mechanism` and `ketcli search`: the evidence, side by side, by mechanism, by words."""

from typing import Annotated, Optional

import typer

from ketcli.cli.context import complete, complete_topic, load
from ketcli.cli.options import output_options
from ketcli.render.format_names import PathwayFormat

commands = typer.Typer()


@commands.command()
@output_options()
def compare(
    treatments: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[TREATMENT]...", help="Treatments by name or alias (ketamine, ssri, tca, ect …). None: all of Table 1.",
                       autocompletion=lambda incomplete: complete("treatments", incomplete)),
    ] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw the numeric dimensions as ranges.")] = False,
):
    """Treatments side by side: the review's Table 1, every cell cited, and the trials that compare them."""
    from ketcli.query import queries

    from ketcli.cli.context import split_names

    return queries.compare(load(), split_names(treatments)), "compare_chart" if chart else "compare"


@commands.command()
@output_options(PathwayFormat)
def mechanism(
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="[NAME]", help="Mechanism or entity (nmdar, opioid, monoamine, inflammation, bdnf, trkb …). None: list all.",
                       autocompletion=lambda incomplete: complete("mechanisms", incomplete)),
    ] = None,
    pathway: Annotated[bool, typer.Option("--pathway", help="Draw the mechanism's pathway as a tree.")] = False,
    evidence_map: Annotated[bool, typer.Option("--map", help="Without NAME: mechanisms × kinds of evidence.")] = False,
    quotes: Annotated[bool, typer.Option("--quotes", help="Show each claim's exact words in the review, with section, paragraph and offsets (checked against the source).")] = False,
    fmt: Optional[str] = None,
):
    """The evidence for a mechanism: what supports it, what contradicts it, how strong."""
    from ketcli.query import queries
    from ketcli.errors import UsageError

    data = load()
    if fmt in ("dot", "mermaid") and name is None:
        raise UsageError(f"--format {fmt} draws one mechanism's pathway: give NAME (e.g. nmdar)")
    if name is None:
        if pathway:
            raise UsageError("--pathway needs a mechanism NAME (e.g. nmdar)")
        if quotes:
            raise UsageError("--quotes shows one mechanism's claims: give NAME (e.g. nmdar)")
        if evidence_map:
            return queries.evidence_map(data), "evidence_map"
        return queries.mechanism_list(data), "mechanism_list"
    if evidence_map:
        raise UsageError("--map shows every mechanism: leave out NAME")
    result = queries.mechanism(data, name)
    if (pathway or fmt in ("dot", "mermaid")) and not (result["mechanism"] or {}).get("pathway"):
        raise _no_pathway(data, (result["mechanism"] or result["entity"])["name"])
    if quotes:
        if pathway:
            raise UsageError("--quotes lists claims; --pathway draws steps: choose one")
        check_quotes(result["claims"])
        return result, "mechanism_quotes"
    return result, "pathway" if pathway else "mechanism"


def check_quotes(records: list[dict]) -> None:
    """Every quote about to be shown is in the review's text where its locator says (exit 3 if not)."""
    from ketcli.data import quotes
    from ketcli.errors import DatasetError

    source = quotes.shipped()
    for record in records:
        if record.get("quote"):
            problem = source.check(record["quote"], record.get("locator") or [])
            if problem:
                ident = record.get("id") or record.get("claim") or record.get("kind")
                raise DatasetError(f"{ident}: {problem} (ketcli validate lists every such problem)")


def _no_pathway(data, name: str):
    from ketcli.errors import NotFound

    drawn = [m for m in data["mechanisms"] if m["pathway"]]
    return NotFound(f"the review draws no pathway for {name}",
                    hint="it draws one for: " + ", ".join(m["id"] for m in drawn) if drawn else None)


@commands.command()
@output_options()
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
    fmt: Optional[str] = None,
):
    """Answers to a question in your own words: claims, trials, Table 1, side effects, references and notes."""
    from ketcli.errors import NotFound
    from ketcli.query import queries

    data, text = load(), " ".join(query or [])
    try:
        result = queries.search(data, text, limit, topic, exact)
    except NotFound as exc:
        if fmt != "json":
            raise
        from ketcli.render.terminal import streams

        streams.error(exc.message, exc.hint)  # and still one JSON document on stdout, for jq
        return queries.search(data, text, limit, topic, exact, empty_ok=True), "search", 1
    if quotes:
        check_quotes(result["hits"])
    return result, "search_quotes" if quotes else "search"
