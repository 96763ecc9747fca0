"""The command line: the Typer app and its commands.

- entry.py: the console script (`ketcli`, `python -m ketcli`);
- startup.py: the start-up tricks (lazy commands, GC pauses, exit without teardown);
- app.py: global options, the commands (as ketcli.commands lists them), errors → exit codes (one place);
- options.py: --format/--json/--fields as annotated parameters, and printing a result (Output);
- context.py: the chosen dataset, and shell completion of names;
- evidence.py (compare, mechanism, search), cite.py, profiles.py (treatment,
  side-effects, timeline, about), checks.py (validate, schema), curate.py (data …),
  serve.py (mcp: hands the process to ketcli.mcp, the one import of another surface),
  share.py (sof, brief, export sqlite).

A command parses, asks the Python API (ketcli.api, the one command layer) through
context.dataset(), and prints through Output.emit. May import every package below it
(api, export, curate, render, query, data); nothing imports it.
"""
