"""`ketcli treatment`, `side-effects`, `timeline` and `about`: the rest of the review, record by record."""

from typing import Annotated, Optional

import typer

from ketcli.cli.context import complete, complete_topic, dataset
from ketcli.cli.options import FieldsOption, FormatOption, JsonOption, Output

commands = typer.Typer()


@commands.command()
def treatment(
    name: Annotated[Optional[str], typer.Argument(metavar="[NAME]", help="Treatment (ketamine, ssri, esketamine …). None: list all.",
                                                   autocompletion=lambda incomplete: complete("treatments", incomplete))] = None,
    claims: Annotated[bool, typer.Option("--claims", help="Also list every claim of the review about it.")] = False,
    topic: Annotated[Optional[str], typer.Option("--topic", help="With --claims: only the claims on this topic (dosing, abuse …).",
                                                 autocompletion=lambda incomplete: complete_topic(incomplete))] = None,
    quotes: Annotated[bool, typer.Option("--quotes", help="With --claims: each claim's exact words in the review, with its locator.")] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """A treatment's profile: class, route, history, how it acts, Table 1, side effects, trials — every line cited."""
    from ketcli.errors import UsageError

    out = Output.of(fmt, as_json, fields)
    if topic is not None and not claims:
        raise UsageError("--topic selects claims: add --claims")
    if quotes and not claims:
        raise UsageError("--quotes shows the claims' exact words: add --claims")
    if name is None and claims:
        raise UsageError("--claims needs a treatment NAME (e.g. ketamine)")
    result = dataset().treatment(name, topic=topic, quotes=quotes)
    if name is None:
        out.emit(result, "treatment_list")
    else:
        out.emit(result, "treatment_claims_quotes" if quotes else "treatment_claims" if claims else "treatment")


@commands.command("side-effects")
def side_effects(
    names: Annotated[Optional[list[str]], typer.Argument(
        metavar="[TREATMENT]...", help="Only these treatments' side effects (ketamine ect, or ketamine vs ect).",
        autocompletion=lambda incomplete: complete("treatments", incomplete))] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """Side effects with the frequencies the review reports and the studies they come from."""
    from ketcli.cli.context import split_names

    out = Output.of(fmt, as_json, fields)
    out.emit(dataset().side_effects(*split_names(names)), "side_effects")


@commands.command()
def timeline(
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """The dated events in order: syntheses, approvals, the eras of each drug class."""
    out = Output.of(fmt, as_json, fields)
    out.emit(dataset().timeline(), "timeline")


@commands.command()
def about(
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """The source, the dataset's version, counts of each record type, and a content hash."""
    out = Output.of(fmt, as_json, fields)
    out.emit(dataset().about(), "about")
