"""The output options every query command declares, and the one place results are printed.

A command declares --format/-f, --json and --fields as ordinary annotated parameters
(`fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None`;
`CiteFormatOption`, `PathwayFormatOption` where it takes more formats), makes an
`Output` of them before it asks its query (so a wrong combination is refused first),
and prints its result with `out.emit(result, view)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from enum import Enum
from typing import Annotated, NamedTuple, Optional

import typer

from ketcli.render.format_names import CiteFormat, Format, PathwayFormat

_FORMAT_HELP = "Output format (default: table)."
FormatOption = Annotated[Optional[Format], typer.Option("--format", "-f", case_sensitive=False, help=_FORMAT_HELP)]
CiteFormatOption = Annotated[Optional[CiteFormat], typer.Option("--format", "-f", case_sensitive=False, help=_FORMAT_HELP)]
PathwayFormatOption = Annotated[Optional[PathwayFormat],
                                typer.Option("--format", "-f", case_sensitive=False, help=_FORMAT_HELP)]
JsonOption = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
FieldsOption = Annotated[Optional[str], typer.Option(
    "--fields", metavar="A,B,C", help="jsonl, csv, markdown: only these record columns.")]


class Output(NamedTuple):
    """What the output options chose."""

    format: str
    """The format to print: --format, json for --json, else table."""
    asked: str | None
    """The format given on the command line; None when neither --format nor --json was."""
    fields: list[str] | None
    """--fields, parsed and checked against the format."""

    @classmethod
    def of(cls, fmt: Enum | None, as_json: bool = False, fields: str | None = None) -> Output:
        """The options as given, checked together (UsageError when they disagree). Called first
        by every query command: the command line is parsed, so the cyclic GC is turned back on
        (paused since start-up, cli/entry.py) and the query's own garbage is collected as it goes."""
        from ketcli.cli.startup import collect_again
        from ketcli.render.format_names import choose

        collect_again()

        chosen = choose(fmt, as_json)
        parsed = None
        if fields is not None:
            from ketcli.render.fields import parse

            parsed = parse(fields, chosen)
        return cls(chosen, chosen if (fmt is not None or as_json) else None, parsed)

    def emit(self, result: Mapping[str, Any], view: str, code: int = 0) -> None:
        """Print `result` in the chosen format (drawn as `view` on a terminal); exit `code`."""
        emit(result, self.format, view, self.fields)
        if code:
            raise typer.Exit(code)


def emit(result: Mapping[str, Any], fmt: str, view_name: str, fields: list[str] | None = None) -> None:
    """Print `result` on stdout in `fmt` (the table drawn for the terminal), its records
    narrowed to `fields` (--fields)."""
    from ketcli.render.terminal import streams

    streams.prepare_streams()
    try:
        if fmt == "json" and fields is None:  # written as it is made, never held whole
            streams.write_json(result)
            return
        from ketcli.render.dispatch import render

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
