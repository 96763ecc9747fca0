"""Text from a dataset reaches a terminal inert, whatever the command and the format.

Each case runs ketcli as a program with stdout a pseudo-terminal (a pty), as a user
sees it, on an own dataset whose every text field carries escape sequences, C0/C1
controls and bidi controls (U+061C included). The filter sits where text is written
(render/terminal/streams.write), so a format added later is covered without a change.

The runs are forked from one Python per test module (SERVER) that has imported typer,
rich and pydantic: each run imports ketcli and runs its entry point with its own
stdin, stdout (the pty) and stderr, and exits with its code, as `ketcli ARGS` does; only
the interpreter's start-up and those imports, which see no dataset, are shared (a fresh
interpreter cost ≈ 100 ms a case more), and each case runs in its own test, so the cases
spread over the xdist workers.
Start-up itself is tested as a program in tests/cli/test_startup_imports.py and
tests/cli/test_install.py."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys

import pytest

import tomli_w

from ketcli.cli.curate import STARTER
from ketcli.render.format_names import CiteFormat, Format, PathwayFormat

pytestmark = pytest.mark.slow  # a program on a pseudo-terminal per case

HOSTILE = ("[bold red]Loud[/] \x1b[2J\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 "
           "\x1b]52;c;ZXZpbA==\x07 \x1b]0;title\x07 bell\x07 \x9b31m csi \u202eesrever\u202c \u2066iso\u2069 "
           "\u061calm\u200fmark back\x08space nul\x00 cr\r end")


# Everything a terminal obeys: C0 controls but tab and newline, DEL, C1, and the bidi controls.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def formats(enum) -> list[str]:
    return [f.value for f in enum]


CASES = [
    *(["cite", "--format", f] for f in formats(CiteFormat)),
    *(["cite", "35", "--format", f] for f in formats(CiteFormat)),
    *(["mechanism", "opioid", "--format", f] for f in formats(PathwayFormat)),
    *(["mechanism", "--format", f] for f in formats(Format)),
    *(["compare", "ketamine", "evil", "--format", f] for f in formats(Format)),
    ["compare", "--chart"],
    *(["treatment", "evil", "--format", f] for f in formats(Format)),
    *(["side-effects", "--format", f] for f in formats(Format)),
    *(["timeline", "--format", f] for f in formats(Format)),
    *(["search", "evil", "--format", f] for f in formats(Format)),
    *(["about", "--format", f] for f in formats(Format)),
    ["validate"],
]


# One JSON line of arguments in, one JSON line [exit code, what the terminal got, stderr] out.
SERVER = r"""
import json, os, pty, sys, traceback
import pydantic, rich.console, rich.table, typer  # what every run imports before ketcli

for line in sys.stdin:
    master, slave = pty.openpty()
    err_read, err_write = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        try:
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(slave, 1)
            os.dup2(err_write, 2)
            for fd in (null, slave, err_write, master, err_read):
                os.close(fd)
            # the standard streams a program gets for these files (stdout line-buffered: a tty)
            sys.stdin = open(0, encoding=sys.stdin.encoding, closefd=False)
            sys.stdout = open(1, "w", encoding=sys.stdout.encoding, errors=sys.stdout.errors, closefd=False)
            sys.stderr = open(2, "w", encoding=sys.stderr.encoding, errors="backslashreplace", buffering=1,
                              closefd=False)
            sys.argv = ["ketcli", *json.loads(line)]
            from ketcli.cli.entry import main

            main()  # exits (startup.exit_now)
        except BaseException:
            traceback.print_exc()
        os._exit(70)
    os.close(slave)
    os.close(err_write)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    with os.fdopen(err_read, "rb") as err:
        said = err.read()
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print(json.dumps([code, b"".join(chunks).decode("utf-8", "replace"), said.decode("utf-8", "replace")]), flush=True)
"""


@pytest.fixture(scope="module")
def on_a_terminal(tmp_path_factory, hostile_records):
    """`on_a_terminal(args)`: ketcli --data HOSTILE ARGS with stdout a pty: (exit code, what
    the terminal got, stderr)."""
    folder = tmp_path_factory.mktemp("tty")
    path = folder / "hostile.toml"
    path.write_text(STARTER + "\n" + tomli_w.dumps(hostile_records(HOSTILE)))
    env = {**os.environ, "NO_COLOR": "", "CLICOLOR_FORCE": "1", "COLUMNS": "120", "LC_ALL": "C.UTF-8",
           "KETCLI_CACHE_DIR": str(folder / "cache"), "PYTHONIOENCODING": "utf-8"}
    env.pop("KETCLI_DATA", None)
    with open(folder / "server.err", "w+b") as errors:
        server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=errors, env=env, text=True, encoding="utf-8")

        def run(args: list[str]) -> tuple[int, str, str]:
            server.stdin.write(json.dumps(["--data", str(path), *args]) + "\n")
            server.stdin.flush()
            waiting = select.poll()  # not select.select: a worker may hold fds numbered past 1024
            waiting.register(server.stdout, select.POLLIN)
            line = server.stdout.readline() if waiting.poll(60_000) else ""
            if not line:
                errors.seek(0)
                pytest.fail(f"no answer in 60 s to {args}: {errors.read().decode(errors='replace')[-2000:]}")
            code, shown, err = json.loads(line)
            return code, shown.replace("\r\n", "\n"), err

        try:
            yield run
        finally:
            server.stdin.close()
            try:
                server.wait(timeout=60)
            finally:
                server.kill()  # a run that hung keeps no server behind


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_no_character_from_the_data_is_obeyed_on_a_terminal(on_a_terminal, args):
    code, shown, err = on_a_terminal(args)
    assert code == 0, err
    rest = SGR.sub("", shown)  # ketcli's own colour; rich's DOI links are off: no dataset DOI is linked raw
    rest = re.sub(r"\x1b\]8;id=\d+;[^\x00-\x20\x7f-\x9f]*\x1b\\|\x1b\]8;;\x1b\\", "", rest)
    found = OBEYED.search(rest)
    assert found is None, f"{found.group()!r} reached the terminal: {rest[max(found.start() - 60, 0):found.end() + 20]!r}"
    if args[0] in ("cite", "compare", "search") and "--chart" not in args:
        assert "evil" in shown.lower() or "Evil" in shown, "the hostile record was shown"
