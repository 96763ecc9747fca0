"""The console script: `ketcli` and `python -m ketcli` start here."""

from ketcli.cli import startup


def main() -> None:
    startup.interrupt_exits_now()  # Ctrl-C while typer loads: one line, not a traceback
    startup.ignore_sigxfsz()
    if not startup.standard_streams_open():
        startup.exit_now(4)
    # The whole run with the cyclic GC paused (see startup.py): typer's import and, from
    # typer 0.29, its first parse (which imports pydantic) are where the garbage-free churn is.
    # A long-running command (`ketcli mcp`) turns it back on (startup.collect_again).
    with startup.gc_paused():
        from ketcli.cli.app import app

        startup.interrupt_raises()  # from here a KeyboardInterrupt unwinds (writes clean up)
        try:
            app(prog_name="ketcli")
            code: object = 0  # SystemExit's code: an int, None or a message
        except SystemExit as exc:
            code = exc.code
        except KeyboardInterrupt:  # between the command's end and here
            startup.say("interrupted")
            code = 130
        startup.exit_now(code)
