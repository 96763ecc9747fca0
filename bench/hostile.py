"""Time and peak memory of the hostile shapes of issue 24, each at two sizes.

    .venv/bin/python bench/hostile.py                      # this checkout
    .venv/bin/python bench/hostile.py --src /tmp/old/src   # another tree (e.g. a worktree of main)
    .venv/bin/python bench/hostile.py --only diamonds --limit-mb 2000

Each shape is written as an own dataset file and run as `ketcli --data FILE ARGS` by the
venv's interpreter, under an address-space limit (--limit-mb, default 600: what
tests/cli/test_hostile_costs.py allows), with a 120 s timeout. Peak memory is the child's
ru_maxrss as `/usr/bin/time -f %M` reports it. A shape costs linearly when the second
size (the first doubled) costs at most about twice the first. Not a test: run by hand.
Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "cli"))

from test_hostile_costs import RUN, chain, diamonds, escapes, events, notes  # noqa: E402

SHAPES = {  # name → (make, sizes, ketcli arguments, without Graphviz)
    "diamonds": (diamonds, (20, 40), ["brief", "ketamine", "--pathway", "mech", "-o", "-"], True),
    "events": (events, (125_000, 250_000), ["about"], False),
    "escapes": (escapes, (2_000_000, 4_000_000), ["about"], False),
    "chain": (chain, (1000, 2000), ["mechanism", "mech", "--pathway"], False),
    "chain-brief": (chain, (1000, 2000), ["brief", "ketamine", "--pathway", "mech", "-o", "-"], True),
    "notes": (notes, (150_000, 300_000), ["search", "ketamine"], False),
}


def measure(python: str, text: str, args: list[str], limit: int, env: dict, folder: Path) -> str:
    data = folder / "data.toml"
    data.write_text(text, encoding="utf-8")
    cmd = ["/usr/bin/time", "-f", "%e %M", python, "-c", RUN.format(limit=limit), "--data", str(data), *args]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # time and ketcli (a ketcli out of memory may hang)
        proc.communicate()
        return "timed out after 120 s"
    done = subprocess.CompletedProcess(cmd, proc.returncode, "", stderr)
    seconds, kb = done.stderr.strip().splitlines()[-1].split()
    said = [line for line in done.stderr.splitlines()[:-1]
            if line.strip() and not line.startswith("Command exited with non-zero status")]
    last = (said[-1][:90] if said else "")
    return f"exit {done.returncode:3}, {float(seconds):6.2f} s, {int(kb) / 1024:7.0f} MB  {last}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", help="run the ketcli of this source tree (PYTHONPATH) instead of the installed one")
    parser.add_argument("--only", choices=list(SHAPES), action="append")
    parser.add_argument("--limit-mb", type=int, default=600)
    options = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETCLI_")}
    env.update(NO_COLOR="1", COLUMNS="120")
    if options.src:
        env["PYTHONPATH"] = options.src
    with tempfile.TemporaryDirectory() as tmp:
        env["KETCLI_CACHE_DIR"] = str(Path(tmp) / "cache")
        for name in options.only or list(SHAPES):
            make, sizes, args, no_dot = SHAPES[name]
            run_env = {**env, "PATH": str(Path(tmp) / "no-tools")} if no_dot else env
            for n in sizes:
                folder = Path(tmp) / f"{name}-{n}"
                folder.mkdir()
                result = measure(sys.executable, make(n), args, options.limit_mb << 20, run_env, folder)
                print(f"{name:12} {n:>10,}  {result}", flush=True)


if __name__ == "__main__":
    main()
