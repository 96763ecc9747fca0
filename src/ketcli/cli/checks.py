"""`ketcli validate` and `ketcli schema`: checks of a dataset file, and the JSON shapes."""

from typing import Annotated, Optional

import typer

from ketcli.cli.context import state
from ketcli.cli.options import output_options

commands = typer.Typer()


@commands.command()
@output_options()
def validate(
    file: Annotated[Optional[str], typer.Argument(metavar="[FILE]", help="Dataset file to check. None: --data, KETCLI_DATA or the bundled one.")] = None,
):
    """Run every integrity check; each problem on one line; exit 3 when any."""
    from ketcli.query.validation import validate_file

    result = validate_file(file or state["data"])
    return result, "validate", 0 if result["ok"] else 3


@commands.command()
def schema(
    command: Annotated[str, typer.Argument(metavar="COMMAND", help="Command whose --json output to describe.")],
):
    """Print the JSON Schema of a command's JSON output."""
    from ketcli.render.terminal import streams
    from ketcli.query.results import schema as make_schema

    streams.write(streams.dumps_json(make_schema(command)))
