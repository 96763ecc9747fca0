"""The console script: `ketcli` and `python -m ketcli` start here."""

from ketcli.cli import startup


def main() -> None:
    startup.interrupt_exits_now()  # Ctrl-C while typer loads: one line, not a traceback
    startup.ignore_sigxfsz()
    if not startup.standard_streams_open():
        startup.exit_now(4)
    # The cyclic GC paused (see startup.py) through typer's import and the parse of the command
    # line (from typer 0.29 the parse imports pydantic); a query command turns it back on when
    # its own work starts, and so does `ketcli mcp`, which stays (startup.collect_again).
    with startup.gc_paused():
        from ketcli.cli.app import app
        from ketcli.data import cache

        cache.FREEZE_WHAT_IS_BUILT = True  # one answer, then exit; `ketcli mcp` stays and turns it off

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
