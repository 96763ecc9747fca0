"""The command line: the Typer app and its commands.

- entry.py: the console script (`ketcli`, `python -m ketcli`);
- startup.py: the start-up tricks (lazy commands, GC pauses, exit without teardown);
- app.py: global options, the command registry, errors → exit codes (one place);
- options.py: --format/--json on every query command, and printing a result;
- context.py: the chosen dataset, and shell completion of names;
- evidence.py (compare, mechanism, search), cite.py, profiles.py (treatment,
  side-effects, timeline, about), checks.py (validate, schema), curate.py (data …),
  serve.py (mcp: hands the process to ketcli.mcp, the one import of another surface).

A command parses, calls one query, and prints through options.emit.
May import every package below it (data, query, render, curate); nothing imports it.
"""
