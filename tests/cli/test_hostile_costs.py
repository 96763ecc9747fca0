"""Hostile shapes whose cost grew faster than their size (issue 24): each runs the installed
code in a subprocess under a memory limit, at two sizes, and its cost (peak memory, the
output's size) grows no faster than the size does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two runs of a big file in a subprocess per test

HEAD = 'extends = "bundled"\nschema_version = 1\ndataset_version = "1"\n'
MECHANISM = ('[[mechanisms]]\nid = "mech"\nname = "Mech"\nscope = "ketamine theory"\ntreatment = "ketamine"\n'
             'status = "s"\nsection = "s"\nsummary = "s"\n')
LIMIT = 600 * 1024 * 1024  # address space, the interpreter included
TIMEOUT = 60  # seconds for one run (the old code took minutes on some shapes, or hung)
RUN = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.argv = ["ketcli", *sys.argv[1:]]
from ketcli.cli.entry import main
main()
"""


def step(name: str, after: list[str]) -> str:
    quoted = ", ".join(f'"{a}"' for a in after)
    return f'[[mechanisms.pathway]]\nid = "{name}"\nlabel = "Step {name}"\nafter = [{quoted}]\nsource = "x"\n'


def diamonds(n: int) -> str:
    """d0; then a_i and b_i after d_(i-1), and d_i after both: 2^n paths from d0 to d_n."""
    parts = [HEAD, MECHANISM, step("d0", [])]
    for i in range(1, n + 1):
        parts += [step(f"a{i}", [f"d{i - 1}"]), step(f"b{i}", [f"d{i - 1}"]), step(f"d{i}", [f"a{i}", f"b{i}"])]
    return "".join(parts)


def chain(n: int) -> str:
    return "".join([HEAD, MECHANISM, step("s0", [])] + [step(f"s{i}", [f"s{i - 1}"]) for i in range(1, n)])


# A small launcher runs ketcli and writes its peak memory: the child's ru_maxrss counts
# the memory of the process it was forked from (until exec), and pytest's may be large.
LAUNCH = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[3:]])
open(sys.argv[2], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(done.returncode)
"""


@dataclass
class Ran:
    code: int
    out: bytes
    err: str
    seconds: float
    peak_mb: float


def ketcli(tmp_path: Path, text: str, *args: str, no_dot: bool = False) -> Ran:
    """`ketcli --data FILE ARGS` with `text` as FILE, under LIMIT, and its peak RSS."""
    data = tmp_path / "data.toml"
    data.write_text(text, encoding="utf-8")
    env = {**os.environ, "KETCLI_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("KETCLI_DATA", None)
    if no_dot:
        env["PATH"] = str(tmp_path / "no-tools")  # no Graphviz: the brief draws its nested list
    out, err, peak = tmp_path / "out", tmp_path / "err", tmp_path / "peak"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, RUN.format(limit=LIMIT), str(peak), "--data",
                                 str(data), *args], stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                                env=env, cwd=tmp_path, start_new_session=True)
        try:
            returncode = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the launcher and ketcli
            proc.wait()
            pytest.fail(f"ketcli {' '.join(args)} still ran after {TIMEOUT} s")
        seconds = time.monotonic() - started
    text_err = err.read_text(errors="replace")
    assert "Traceback" not in text_err and "MemoryError" not in text_err, text_err[-800:]
    code = returncode if returncode < 128 else returncode - 256  # the launcher's sys.exit(-signal)
    return Ran(code, out.read_bytes(), text_err, seconds, int(peak.read_text()) / 1024)


def twice(tmp_path: Path, make, sizes: tuple[int, int], *args: str, **kwargs) -> tuple[Ran, Ran]:
    runs = []
    for n in sizes:
        folder = tmp_path / str(n)
        folder.mkdir()
        runs.append(ketcli(folder, make(n), *args, **kwargs))
        print(f"{make.__name__}({n}) {' '.join(args)}: exit {runs[-1].code}, {runs[-1].seconds:.2f} s, "
              f"{runs[-1].peak_mb:.0f} MB, {len(runs[-1].out):,} bytes out")
    return runs[0], runs[1]


def linear(small: Ran, big: Ran, ratio: float) -> None:
    """`big` (the size doubled) costs at most about twice `small`: memory and time with
    room for a loaded machine; the old costs multiplied (2^n) or ran out of memory."""
    assert big.peak_mb <= 2.5 * small.peak_mb, (small.peak_mb, big.peak_mb)
    assert big.seconds <= 4 * small.seconds + 5, (small.seconds, big.seconds)
    if small.out:
        assert len(big.out) <= ratio * len(small.out), (len(small.out), len(big.out))


def test_pathway_diamonds_in_the_brief_cost_linearly(tmp_path):
    """Item 1: 20 diamonds took 55 s and 1.2 GB (every shared step copied per path)."""
    small, big = twice(tmp_path, diamonds, (20, 40), "brief", "ketamine", "--pathway", "mech", "-o", "-",
                       no_dot=True)
    assert small.code == big.code == 0, big.err
    linear(small, big, ratio=1.5)  # the page around the list stays the same
    page = big.out.decode()
    assert page.count("↑ continues above") == 40  # each d_i: drawn under a_i, "continues" under b_i
    assert page.count("Step d40 ") == 2


@pytest.mark.parametrize("command", [["mechanism", "mech", "--pathway"], ["brief", "ketamine", "--pathway", "mech",
                                                                          "-o", "-"]])
def test_a_long_pathway_chain_is_drawn_whole(tmp_path, command):
    """Item 8: 500 steps (brief) or 1,000 (mechanism --pathway) raised RecursionError, exit 70."""
    small, big = twice(tmp_path, chain, (1000, 2000), *command, no_dot=True)
    assert small.code == big.code == 0, big.err
    linear(small, big, ratio=2.5)
    shown = big.out.decode()
    assert all(f"Step s{i} " in shown for i in (0, 7, 8, 999, 1999))


def events(n: int) -> str:
    return HEAD + "[[events]]\n" * n


def test_a_million_bad_records_cost_their_parse_not_their_problems(tmp_path):
    """Item 2: a million [[events]] took 5.4 GB for its validation problems (all built, 50 printed)."""
    small, big = twice(tmp_path, events, (125_000, 250_000), "about")
    assert small.code == big.code == 3, big.err[-500:]
    assert "events: 250,000 records; at most 50,000" in big.err
    assert len(big.err) < 2000
    linear(small, big, ratio=1)


def bad_events(n: int) -> str:
    return HEAD + '[[events]]\nid = "e"\n' * n


def test_validation_stops_after_its_bound_of_problems(tmp_path):
    small, big = twice(tmp_path, bad_events, (20_000, 40_000), "validate")
    assert small.code == big.code == 3
    lines = big.out.decode().splitlines()
    assert len(lines) == 202 and lines[-2].endswith("validation stopped after the first 200 problems")
    assert "events[0] ('e').year: Field required" in big.out.decode()
    linear(small, big, ratio=1.1)


def escapes(n: int) -> str:
    return HEAD + 'x = """' + "\\n" * n + '"""\n'


def test_strings_full_of_escapes_are_scanned_in_constant_memory(tmp_path):
    """Item 3: 15 M escapes "\\n" in one string (30 MB) cost the bounds scan 3.1 GB."""
    small, big = twice(tmp_path, escapes, (2_000_000, 4_000_000), "about")
    assert small.code == big.code == 3  # then the TOML itself: `x` is no field of a dataset
    assert "Extra inputs are not permitted" in big.err or "x:" in big.err, big.err[-300:]
    linear(small, big, ratio=1)


def notes(n: int) -> str:
    return (HEAD + '[[claims]]\nid = "c"\ntext = "t"\nsection = "s"\ntopic = "efficacy"\nrefs = [11]\nnotes = ['
            + '"n",' * n + "]\n")


def refs(n: int) -> str:
    return HEAD + '[[claims]]\nid = "c"\ntext = "t"\nsection = "s"\ntopic = "efficacy"\nrefs = [' + "11," * n + "]\n"


@pytest.mark.parametrize("make", [notes, refs])
def test_lists_are_bounded_like_strings(tmp_path, make):
    """Item 16: a million notes on one claim were accepted (search: 40–58 s, 1.7 GB); 5 M refs too."""
    small, big = twice(tmp_path, make, (150_000, 300_000), "search", "ketamine")
    assert small.code == big.code == 3, big.err[-300:]
    field = make.__name__
    assert f"claims[0] ('c'): Value error, {field}: 300,000 items; at most 10,000" in big.err
    linear(small, big, ratio=1)


def test_a_list_at_the_bound_is_accepted(tmp_path):
    done = ketcli(tmp_path, notes(10_000), "search", "ketamine", "--json")
    assert done.code == 0, done.err[-300:]
