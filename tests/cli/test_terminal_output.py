"""Text from a dataset reaches a terminal inert, whatever the command and the format.

Each case runs ketcli as a program with stdout a pseudo-terminal (a pty), as a user
sees it, on an own dataset whose every text field carries escape sequences, C0/C1
controls and bidi controls (U+061C included). The filter sits where text is written
(render/terminal/streams.write), so a format added later is covered without a change."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

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


def on_a_terminal(args: list[str], env: dict) -> tuple[int, str, str]:
    """Run ketcli with stdout a pty; (exit code, what the terminal got, stderr)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "ketcli", *args], stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=subprocess.PIPE, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    finally:
        os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"), err


@pytest.fixture(scope="module")
def answers(tmp_path_factory, hostile_records):
    path = tmp_path_factory.mktemp("tty") / "hostile.toml"
    path.write_text(STARTER + "\n" + tomli_w.dumps(hostile_records(HOSTILE)))
    env = {**os.environ, "NO_COLOR": "", "CLICOLOR_FORCE": "1", "COLUMNS": "120", "LC_ALL": "C.UTF-8",
           "KETCLI_CACHE_DIR": str(path.parent / "cache"), "PYTHONIOENCODING": "utf-8"}
    env.pop("KETCLI_DATA", None)
    with ThreadPoolExecutor(4) as pool:
        results = pool.map(lambda args: on_a_terminal(["--data", str(path), *args], env), CASES)
        return dict(zip(map(tuple, CASES), results))


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_no_character_from_the_data_is_obeyed_on_a_terminal(answers, args):
    code, shown, err = answers[tuple(args)]
    assert code == 0, err
    rest = SGR.sub("", shown)  # ketcli's own colour; rich's DOI links are off: no dataset DOI is linked raw
    rest = re.sub(r"\x1b\]8;id=\d+;[^\x00-\x20\x7f-\x9f]*\x1b\\|\x1b\]8;;\x1b\\", "", rest)
    found = OBEYED.search(rest)
    assert found is None, f"{found.group()!r} reached the terminal: {rest[max(found.start() - 60, 0):found.end() + 20]!r}"
    if args[0] in ("cite", "compare", "search") and "--chart" not in args:
        assert "evil" in shown.lower() or "Evil" in shown, "the hostile record was shown"
