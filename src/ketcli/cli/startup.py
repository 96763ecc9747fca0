"""Start-up machinery: the tricks that keep a query's cost near the bare interpreter's.

A query over the bundled dataset is almost all start-up (docs/internals.md has the
figures, bench/startup.py measures them). Each trick here exists for a measured cost:

- `gc_paused`: importing typer and click, parsing the command line (from typer 0.29 the
  first parse imports pydantic and builds validators), or drawing a table, makes many
  long-lived or refcount-freed objects that the cyclic collector's passes would only
  scan, free nothing and cost ≈ 0.3× the bare interpreter's start. `collect_again` turns
  it back on when a query command's own work starts (paused to the end, the run's cyclic
  garbage added ≈ 150 KiB to peak memory) and for a process that stays (the MCP server);
  gc.freeze() after the import would save more but keep that garbage (peak memory 2.01×
  the interpreter's, over its target).
- `LazyCommands`: typer inspects each command's signature to build its click command
  (≈ 0.5 ms a command, ≈ 5 ms for `data`); a run builds only the command it invokes,
  and imports only that command's module. --help and completion of command names build all.
- `exit_now`: freeing every module and object at exit costs ≈ 0.8× a bare
  interpreter's start with typer loaded, ≈ 100 ms with a 10 MB dataset in memory;
  nothing of ketcli needs atexit handlers and writes are complete (os.replace) by then.
- `ignore_sigxfsz`: under a file-size limit a write that is too long must fail (EFBIG,
  exit 4), not kill the process.

Standard library only: this module is imported before typer.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off for the block, back on (if it was) after it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def collect_again() -> None:
    """The cyclic collector on again: for a query's own work, and for a command that keeps
    running (`ketcli mcp`)."""
    gc.enable()


class LazyCommands(dict):
    """name → click command, each built on first use by `build(name)`; whole-dict views
    (what --help and completion of command names use) build them all."""

    def __init__(self, names: Callable[[], list[str]], build: Callable[[str], object], built=()) -> None:
        super().__init__(built)
        self._names = names
        self._build = build

    def get(self, name, default=None):
        if not dict.__contains__(self, name):
            built = self._build(name)
            if built is None:
                return default
            self[name] = built
        return dict.get(self, name, default)

    def _all(self) -> None:
        for name in self._names():
            self.get(name)

    def __iter__(self):
        self._all()
        return dict.__iter__(self)

    def __len__(self):
        self._all()
        return dict.__len__(self)

    def keys(self):
        self._all()
        return dict.keys(self)

    def values(self):
        self._all()
        return dict.values(self)

    def items(self):
        self._all()
        return dict.items(self)


def ignore_sigxfsz() -> None:
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def say(message: str) -> None:
    """One line on stderr, before typer and the streams module are loaded."""
    try:
        os.write(2, f"ketcli: error: {message}\n".encode("utf-8", "replace"))
    except OSError:
        pass


def _interrupted(signum, frame) -> None:
    say("interrupted")
    os._exit(130)


def interrupt_exits_now() -> None:
    """Ctrl-C while ketcli starts (nothing written yet): one line and exit 130, at once."""
    import signal

    signal.signal(signal.SIGINT, _interrupted)


def interrupt_raises() -> None:
    """Ctrl-C as Python's KeyboardInterrupt again, once the command runs: a write being
    made unwinds and removes its temporary file; cli/guard.py turns it into exit 130."""
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)


def standard_streams_open() -> bool:
    """Started with stdin, stdout or stderr closed (`>&-`), a file that ketcli opens would
    take that descriptor: stdin and stderr are pointed at /dev/null; stdout closed is an
    output that cannot be written (False: exit 4, nothing done)."""
    for fd, name in ((0, "stdin"), (2, "stderr")):
        if getattr(sys, name) is None:
            try:
                if os.open(os.devnull, os.O_RDWR) != fd:  # takes the lowest free descriptor
                    pass
            except OSError:
                pass
    if sys.stdout is None:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            if devnull != 1:
                os.close(devnull)
        except OSError:
            pass
        say("cannot write the output: standard output is closed")
        return False
    return True


def silence_stdout() -> None:
    """Point stdout at /dev/null: a reader that went away (`| head`) gets no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def exit_now(code) -> None:
    """Exit with `code` without the interpreter's teardown: flush, then os._exit."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # a closed pipe: end quietly
            silence_stdout()
        except (OSError, ValueError) as exc:  # a full disk: what was printed is lost
            silence_stdout()
            if stream is sys.stdout and code == 0:
                say(f"cannot write the output: {getattr(exc, 'strerror', None) or exc}")
                code = 4
    os._exit(code)
