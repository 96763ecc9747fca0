"""The console script: `ketcli` and `python -m ketcli` start here."""

from ketcli.cli import startup


def main() -> None:
    startup.ignore_sigxfsz()
    with startup.gc_paused():  # typer and click's import (see startup.py)
        from ketcli.cli.app import app
    try:
        app(prog_name="ketcli")
        code: object = 0  # SystemExit's code: an int, None or a message
    except SystemExit as exc:
        code = exc.code
    startup.exit_now(code)
