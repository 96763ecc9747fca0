"""The console script: `ketcli` and `python -m ketcli` start here.

The cyclic garbage collector is paused while the CLI (typer, click) is imported: the
import builds many small objects and the collector's passes over them free nothing
that matters, for ≈ 0.3× the bare interpreter's start (bench/startup.py). It runs
again for the query itself, so peak memory stays as it was.
"""

import gc


def main() -> None:
    gc.disable()
    from .cli import main as run

    gc.enable()
    run()
