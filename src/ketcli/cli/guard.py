"""Every way a run can end, as one line on stderr and a documented exit code.

`run(call)` runs the click command line in non-standalone mode, so that what click
would print as a multi-line block (a usage error) or a traceback (an OSError while
printing --help to a full disk) comes here instead:

- a usage error (unknown option, bad value, missing argument): one line, exit 2;
- Ctrl-C: "ketcli: interrupted", exit 130 (the shell's convention for SIGINT);
- the reader of stdout went away (`| head`): quiet, exit 0;
- stdout cannot be written (a full disk, /dev/full): one line, exit 4;
- anything else is a bug: one line, exit 70, never a traceback.

KetcliError (the errors of the data and the queries) is turned into its exit code
earlier, in app.KetcliGroup.invoke; this is the net under everything else.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable

from ketcli.errors import INTERNAL, USAGE, WRITE

INTERRUPTED = 130
# What writing to stdout can fail with: a full disk or quota, a file-size limit, a device error.
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF, errno.EROFS}


def _say(message: str, hint: str | None = None) -> None:
    from ketcli.render.terminal import streams

    try:
        streams.error(message.replace("\n", " ").strip(), hint)
    except (OSError, ValueError, AttributeError):  # stderr is gone too: the exit code says it
        pass


def run(call: Callable[[], object]) -> int:
    """The exit code of `call()` (click's main with standalone_mode=False)."""
    from typer import Abort

    try:
        from typer import _click  # typer ≥ 0.26 carries its own click
    except ImportError:
        import click as _click  # type: ignore[no-redef]

    try:
        code = call()
    except _click.exceptions.ClickException as exc:
        if exc.__class__.__name__ == "NoArgsIsHelpError":  # `ketcli` alone: the help, on stderr
            try:
                exc.show()
            except (OSError, ValueError, AttributeError):
                pass
            return USAGE
        ctx = getattr(exc, "ctx", None)
        hint = f"see '{ctx.command_path} --help'" if ctx is not None else None
        _say(exc.format_message(), hint)
        code = USAGE
    except (KeyboardInterrupt, Abort):
        code = INTERRUPTED
    except BrokenPipeError:
        from ketcli.cli import startup

        startup.silence_stdout()
        code = 0
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            code = 0
        elif exc.errno in _OUTPUT_ERRORS:  # printing --help, --version or a schema
            _say(f"cannot write the output: {exc.strerror or exc}")
            code = WRITE
        else:
            _say(f"internal error: {exc.__class__.__name__}: {exc}", "this is a bug in ketcli; please report it")
            code = INTERNAL
    except Exception as exc:  # a bug: one line, not a traceback
        _say(f"internal error: {exc.__class__.__name__}: {exc}", "this is a bug in ketcli; please report it")
        code = INTERNAL
    if code == INTERRUPTED:  # typer turns a KeyboardInterrupt into a silent Exit(130)
        _say("interrupted")
    if code is None or code is True:
        return 0
    return code if isinstance(code, int) else INTERNAL


def stdout_usable() -> bool:
    """False when ketcli was started with stdout closed (`>&-`): nothing it prints could
    arrive, and the first file it opened would take descriptor 1 and receive its output."""
    return sys.stdout is not None
