"""Output options every query command shares, and the one place results are printed.

`@output_options()` marks a command; when the command is built (app.build_command) it
gains --format/-f and --json, and what it returns — (result, view[, exit code]) — is
printed by `emit` in the chosen format.
"""

from __future__ import annotations

import functools
import inspect
from enum import Enum
from typing import Annotated, Optional

import typer

from ketcli.render.format_names import Format


def output_options(formats: type[Enum] = Format):
    """Give a command --format/-f (choices: `formats`) and --json, and print what it returns.

    The command returns (result, view[, exit code]): the result dict and the name of its
    view in render.views.VIEWS. The wrapping happens when the command is built, not at import.
    """

    def decorate(command):
        command._output_formats = formats
        return command

    return decorate


def with_output_options(command, formats: type[Enum]):
    """The command with --format/-f and --json added, printing what it returns."""
    signature = inspect.signature(command)
    extra = [
        inspect.Parameter(
            "fmt", inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[Optional[formats], typer.Option(
                "--format", "-f", case_sensitive=False, help="Output format (default: table).")],
        ),
        inspect.Parameter(
            "as_json", inspect.Parameter.KEYWORD_ONLY, default=False,
            annotation=Annotated[bool, typer.Option("--json", help="Short for --format json.")],
        ),
        inspect.Parameter(
            "fields", inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[Optional[str], typer.Option(
                "--fields", metavar="A,B,C", help="jsonl, csv, markdown: only these record columns.")],
        ),
    ]

    @functools.wraps(command)
    def run(*args, fmt=None, as_json=False, fields=None, **kwargs):
        from ketcli.cli.startup import collect_again
        from ketcli.render.format_names import choose

        collect_again()  # the command line is parsed: the query's own garbage is collected as it goes

        chosen = choose(fmt, as_json)
        if fields is not None:  # checked before the query runs
            from ketcli.render.fields import parse

            fields = parse(fields, chosen)
        asked = chosen if (fmt is not None or as_json) else None
        result, view, *code = command(*args, **kwargs, **({"fmt": asked} if "fmt" in signature.parameters else {}))
        if result is not None:
            emit(result, chosen, view, fields)
        if code and code[0]:
            raise typer.Exit(code[0])

    params = [p for p in signature.parameters.values() if p.name != "fmt"] + extra
    run.__signature__ = signature.replace(parameters=params, return_annotation=inspect.Signature.empty)
    run.__annotations__ = {p.name: p.annotation for p in params}
    run._output_formats = None  # wrapped once, however often the command is built
    return run


def emit(result: dict, fmt: str, view_name: str, fields: list[str] | None = None) -> None:
    """Print `result` on stdout in `fmt` (the table drawn for the terminal), its records
    narrowed to `fields` (--fields)."""
    from ketcli.render.dispatch import render
    from ketcli.render.terminal import streams

    streams.prepare_streams()
    try:
        text = render(result, fmt, view_name, fields)
        if text is not None:
            streams.write(text)
            return
        from ketcli.cli.startup import gc_paused

        with gc_paused():  # importing rich and drawing make many short-lived objects (startup.py)
            from ketcli.render.terminal.draw import draw

            draw(result, view_name)
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk or a failing device behind stdout: not a bug
        from ketcli.errors import WriteError

        raise WriteError(f"cannot write the output: {exc.strerror or exc}") from None
