"""Running ketcli in-process as a user would, and the text a snapshot keeps of it."""

from __future__ import annotations

import re
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketcli import __version__
from ketcli.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (40, 80, 120)
# Formats whose output does not depend on the terminal's width: pinned once (at 80), and the
# other widths asserted equal to it.
MACHINE = ("json", "jsonl", "csv", "markdown", "bibtex", "ris", "csl-json", "vancouver", "apa", "doi", "dot", "mermaid")


# What typer itself writes (the layout of --help, the wording of a value click/typer refuses)
# differs between its lines: 0.29 parses through pydantic ("Value error, …", `<list[str]>` in
# --help). Those snapshots are pinned per line, each checked on its own line and skipped on the other.
TYPER = version("typer")
TYPER_LINES = ("0.28", "0.29")
TYPER_LINE = "0.29" if tuple(int(p) for p in TYPER.split(".")[:2]) >= (0, 29) else "0.28"


def on_typer_line(line: str) -> None:
    """Skip unless the installed typer is of `line` (the snapshot's wording is that line's)."""
    if line != TYPER_LINE:
        pytest.skip(f"pinned for typer {line}; this is typer {TYPER}")


_VERSION = re.compile(r"(?<![\w.])" + re.escape(__version__) + r"(?![\w.])")


def normalise(text: str) -> str:
    """Text with what differs between machines replaced by a placeholder. The interpreter is named
    first: whether a venv's scripts call it `python` or `python3` depends on how pip was run."""
    for path, name in ((sys.executable, "<python>"), (sys.prefix, "<venv>"), (str(ROOT), "<checkout>"), (tempfile.gettempdir(), "<tmp>")):
        text = text.replace(path, name)
    return _VERSION.sub("<version>", text)


class Shot:
    """One run of ketcli as a user sees it: the command line, exit code, stdout and stderr."""

    def __init__(self, args: list[str], columns: int, code: int, out: str, err: str):
        self.args, self.columns, self.code, self.out, self.err = args, columns, code, out, err

    def text(self) -> str:
        command = " ".join(a if a and " " not in a else repr(a) for a in self.args)
        return normalise(f"$ COLUMNS={self.columns} ketcli {command}\nexit {self.code}\n"
                         f"--- stdout\n{self.out}--- stderr\n{self.err}")


def invoke(*args: str, columns: int = 80) -> Shot:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Shot(list(args), columns, result.exit_code, result.stdout, result.stderr)
