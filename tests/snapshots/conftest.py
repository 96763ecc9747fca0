"""Snapshot tests of what users see: every query command × format × terminal width, the
error messages, the MCP text of every tool and the brief's HTML (syrupy; .ambr files in
__snapshots__/, one per command family).

A change to an output is a reviewed snapshot update: `pytest --snapshot-update tests/snapshots/<file>`,
then read the .ambr diff and say in the commit what changed and why.

Commands run in-process (typer's CliRunner) against the session's warm cache
(tests/conftest.py). Only what varies between checkouts is normalised: the checkout's, the venv's and
temporary directories' absolute paths, and ketcli's version.
"""

from __future__ import annotations

import pytest

from shots import MACHINE, ROOT, WIDTHS, invoke


@pytest.fixture(autouse=True)
def isolated_cache(warm_cache, monkeypatch):
    """Overrides tests/conftest.py's: the session's warm cache (these test the output, not the
    cache), and an environment that fixes width and colour."""
    monkeypatch.setenv("KETCLI_CACHE_DIR", str(warm_cache))
    for name in ("KETCLI_DATA", "KETCLI_CACHE", "FORCE_COLOR", "TTY_COMPATIBLE", "CLICOLOR_FORCE", "LINES", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(ROOT)  # `--data data/treatments.toml` shows a path that is the same in every checkout


@pytest.fixture
def shoot(snapshot):
    """`shoot(*args)`: snapshot the run at every width (table-like formats) or once at 80 with the
    other widths asserted equal (formats whose output ignores the width; `machine=True` says so
    for a command without --format)."""

    def take(*args: str, machine: bool = False) -> None:
        fmt = "json" if machine else None
        for i, arg in enumerate(args):
            if arg in ("--format", "-f") and i + 1 < len(args):
                fmt = args[i + 1]
            elif arg == "--json":
                fmt = "json"
        if fmt in MACHINE:
            base = invoke(*args, columns=80)
            for columns in (40, 120):
                other = invoke(*args, columns=columns)
                assert (other.code, other.out, other.err) == (base.code, base.out, base.err), \
                    f"{fmt} output changed with COLUMNS={columns}"
            assert base.text() == snapshot
            return
        for columns in WIDTHS:
            assert invoke(*args, columns=columns).text() == snapshot(name=f"w{columns}")

    return take
