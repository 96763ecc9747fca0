"""The command-line interface: parse, call one query, render, print.

Errors become exit codes in one place, `KetcliGroup.invoke`.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import INTERNAL, KetcliError


class KetcliGroup(TyperGroup):
    """Turns every KetcliError into one line on stderr and its exit code."""

    def invoke(self, ctx):
        from . import output

        try:
            return super().invoke(ctx)
        except KetcliError as exc:
            output.error(exc.message, exc.hint)
            for problem in getattr(exc, "problems", [])[:50]:
                output.write(f"  {output.safe(problem)}", sys.stderr)
            raise typer.Exit(exc.code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug: one line, not a traceback
            if exc.__class__.__module__.startswith(("click", "typer")):
                raise
            output.error(f"internal error: {exc.__class__.__name__}: {exc}",
                         "this is a bug in ketcli; please report it")
            raise typer.Exit(INTERNAL) from None


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=KetcliGroup,
    name="ketcli",
    help="The evidence on ketamine for major depressive disorder, compared with SSRIs, TCAs and ECT, "
    "from one peer-reviewed review (Papadopoulos, Cureus 2025, CC BY 4.0), every answer cited.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

state: dict[str, Optional[str]] = {"data": None}

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document (see README, 'JSON').")]


def _version(value: bool) -> None:
    if value:
        print(f"ketcli {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    data: Annotated[
        Optional[str],
        typer.Option("--data", metavar="PATH", envvar="KETCLI_DATA",
                     help="Dataset file to use instead of the bundled one (also KETCLI_DATA)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    state["data"] = data


def load():
    from .dataset import load as load_dataset

    return load_dataset(state["data"])


def emit(result: dict, as_json: bool, table: str) -> None:
    """Print `result` as JSON, or as the rich renderables of `tables.<table>`."""
    from . import output

    output.prepare_streams()
    if as_json:
        output.write(output.dumps_json(result))
        return
    from . import tables  # rich is imported only when a table is drawn

    console = output.console()
    for part in getattr(tables, table)(result):
        console.print(part)
    sys.stdout.flush()


@app.command()
def compare(
    treatments: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[TREATMENT]...", help="Treatments by name or alias (ketamine, ssri, tca, ect …). None: all of Table 1.",
                       autocompletion=lambda incomplete: _complete("treatments", incomplete)),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Treatments side by side: the review's Table 1, every cell cited, and the trials that compare them."""
    from . import queries

    emit(queries.compare(load(), treatments or []), as_json, "compare")


@app.command()
def mechanism(
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="[NAME]", help="Mechanism or entity (nmdar, opioid, monoamine, inflammation, bdnf …). None: list all.",
                       autocompletion=lambda incomplete: _complete("mechanisms", incomplete)),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The evidence for a mechanism: what supports it, what contradicts it, how strong."""
    from . import queries

    data = load()
    if name is None:
        emit(queries.mechanism_list(data), as_json, "mechanism_list")
    else:
        emit(queries.mechanism(data, name), as_json, "mechanism")


@app.command()
def cite(
    refs: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[REF]...", help="Reference numbers (11), ranges (1-5) or keys (anand2023). None: all."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The review's references, as printed, with DOIs."""
    from . import queries

    emit(queries.cite(load(), refs or []), as_json, "cite")


def _complete(collection: str, incomplete: str) -> list[str]:
    try:
        data = load()
    except KetcliError:
        return []
    from .integrity import names_of

    records = data[collection] + (data["entities"] if collection == "mechanisms" else [])
    wanted = incomplete.lower()
    names = [n for r in records for n in names_of(r) if n.startswith(wanted) and " " not in n]
    return list(dict.fromkeys(names))


def main() -> None:
    app(prog_name="ketcli")


