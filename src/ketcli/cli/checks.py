"""`ketcli validate` and `ketcli schema`: checks of a dataset file, and the JSON shapes."""

from collections.abc import Mapping
from typing import Annotated, Any, Optional

import typer

from ketcli.cli.context import state
from ketcli.cli.options import FieldsOption, FormatOption, JsonOption, Output

commands = typer.Typer()


@commands.command()
def validate(
    file: Annotated[Optional[str], typer.Argument(metavar="[FILE]", help="Dataset file to check. None: --data, KETCLI_DATA or the bundled one.")] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
):
    """Run every integrity check; each problem on one line; exit 3 when any."""
    from ketcli.api.dataset import validate as validate_file

    out = Output.of(fmt, as_json, fields)
    result = validate_file(file or state["data"])
    code = 0 if result["ok"] else 3
    if out.asked in (None, "table"):
        _print_lines(result)
        if code:
            raise typer.Exit(code)
        return
    out.emit(result, "validate", code)


def _print_lines(result: Mapping[str, Any]) -> None:
    """One line per problem at any width, never wrapped or cut, so `grep` and editors'
    `file:line:` jumps work; the terminal's filter still makes each line inert."""
    from ketcli.errors import WriteError
    from ketcli.render.terminal import streams

    if result["ok"]:
        counts = ", ".join(f"{v} {k}" for k, v in result["counts"].items())
        lines = [f"{result['file']}: valid ({counts})"]
    else:
        lines = [*result["problems"], f"{len(result['problems'])} problem(s)"]
    streams.prepare_streams()
    try:
        streams.write("".join(streams.safe(line.replace("\n", " ")) + "\n" for line in lines))
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise WriteError(f"cannot write the output: {exc.strerror or exc}") from None


def _with_schema(incomplete: str) -> list[str]:
    from ketcli.commands import with_schema

    return [name for name in with_schema() if name.startswith(incomplete.lower())]


@commands.command()
def schema(
    command: Annotated[str, typer.Argument(metavar="COMMAND", help="Command whose --json output to describe.",
                                           autocompletion=lambda incomplete: _with_schema(incomplete))],
):
    """Print the JSON Schema of a command's JSON output."""
    from ketcli.api.dataset import schema as make_schema
    from ketcli.render.terminal import streams

    streams.write(streams.dumps_json(make_schema(command)))
