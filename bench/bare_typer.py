"""A bare Typer app with ketcli's options, the baseline bench/startup.py measures ketcli against.

    python bench/bare_typer.py compare ketamine ect --json

The same framework at the same version, the same global options (--data with an environment
variable, an eager --version, -h/--help, shell completion) and the options of `ketcli compare`
(a variadic argument, --chart, -f/--format from an enum, --json, --fields), and a second
command, as an application has more than one; it prints a constant JSON line. What ketcli
takes above this is what ketcli adds to its framework.
"""

from enum import Enum
from typing import Annotated, Optional

import typer


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


app = typer.Typer(name="bare", rich_markup_mode=None, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})


def _version(value: bool) -> None:
    if value:
        print("bare 0")
        raise typer.Exit()


@app.callback()
def main(
    data: Annotated[Optional[str], typer.Option("--data", metavar="PATH", envvar="BARE_DATA", help="Dataset.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Version.")] = False,
) -> None:
    """A bare app."""


@app.command()
def compare(
    treatments: Annotated[Optional[list[str]], typer.Argument(metavar="[TREATMENT]...", help="Names.")] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Ranges.")] = False,
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", case_sensitive=False, help="Format.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON.")] = False,
    fields: Annotated[Optional[str], typer.Option("--fields", metavar="A,B,C", help="Columns.")] = None,
) -> None:
    """Treatments side by side."""
    print('{"schema_version": 2, "command": "compare"}')


@app.command()
def cite(refs: Annotated[Optional[list[str]], typer.Argument(metavar="[REF]...", help="References.")] = None) -> None:
    """References."""
    print('{"schema_version": 2, "command": "cite"}')


if __name__ == "__main__":
    app()
