"""`ketcli data …`: a curator's own dataset file, written safely."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="data",
    help="Keep your own studies in a TOML file beside the bundled dataset.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
