"""The README's test command, timed: wall clock and CPU seconds of the whole run.

    .venv/bin/python bench/suite.py                       # pytest -n auto, in this interpreter's venv
    .venv/bin/python bench/suite.py -- -m "not slow"      # extra arguments go to pytest

Target: `pytest -n auto` (README.md, "Two commands") in at most 60 s wall on a 2-core
machine with nothing else running. Wall time depends on what else runs: the CPU seconds
(user + sys of pytest, its xdist workers and every program the tests start) do much less,
so both are printed, with the load average before and after; on a busy machine judge by
CPU ÷ cores. Bytecode caching is on (PYTHONDONTWRITEBYTECODE is dropped, as in a user's
shell) and pytest's cache is off, so two runs start alike. The speed of this virtual machine's
CPU itself varies by a third or more from minute to minute (other guests on its host), even with
nothing running here: a fixed pure-Python loop is timed before and after the run (the median of
5), and the CPU seconds are also given in units of that loop, which compare across such swings.
Exit status 1 when the wall time misses the target or a test fails. Not a test: run by hand.
Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 60.0  # seconds wall, 2 cores, a quiet machine


def loop_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop in a fresh interpreter, the median of 5."""
    probe = "import time\nt = time.process_time()\ns = 0\nfor i in range(2_000_000):\n    s += i * i\nprint(time.process_time() - t)"
    runs = sorted(float(subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True).stdout)
                  for _ in range(5))
    return runs[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pytest_args", nargs="*", help="more arguments for pytest (after --)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "pytest", "-n", "auto", "-q", "-p", "no:cacheprovider", *args.pytest_args]
    loop_before = loop_seconds()
    before = os.getloadavg()
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - started
    after = os.getloadavg()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = usage.ru_utime - usage_before.ru_utime, usage.ru_stime - usage_before.ru_stime
    cpu = user + system
    loop_after = loop_seconds()
    loop = (loop_before + loop_after) / 2
    tail = [line for line in done.stdout.splitlines() if line.strip()][-1:]
    print(" ".join(command[2:]), "→", tail[0] if tail else f"exit {done.returncode}")
    print(f"wall {wall:.1f} s (target ≤ {TARGET:.0f} s on {os.cpu_count()} cores, quiet machine)")
    print(f"CPU  {cpu:.1f} s (user {user:.1f} + sys {system:.1f}); "
          f"÷ {os.cpu_count()} cores = {cpu / (os.cpu_count() or 1):.1f} s")
    print(f"load average (1 min) before {before[0]:.2f}, after {after[0]:.2f}")
    print(f"the fixed loop: {loop_before:.3f} s before, {loop_after:.3f} s after; "
          f"the run's CPU = {cpu / loop:.0f} loops, its wall = {wall / loop:.0f} loops")
    return 0 if done.returncode == 0 and wall <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
