"""Startup, memory and big-dataset benchmarks of ketcli, as ratios against a floor.

    /tmp/dev/bin/python bench/startup.py                 # the venv of this interpreter
    python3 bench/startup.py --venv /tmp/dev --repeat 60 --scale 100
    python3 bench/startup.py --skip-big                  # only the bundled-dataset targets
    python3 bench/startup.py --venv .venv --venv .venv28 --skip-big   # two typer lines, one run

Two floors: the bare interpreter, and a bare Typer app of the venv's own typer version with
ketcli's options (bench/bare_typer.py), which shows what ketcli adds above its framework.
The targets depend on the venv's typer: below 0.29, ketcli ≤ 6x the bare interpreter (and
the table, completion and memory targets); from 0.29, which imports pydantic to parse any
command line, ketcli ≤ 1.0x the bare Typer app (the interpreter ratios are printed too).

Each target is measured in interleaved pairs (floor, command, command, floor, …; the
order alternates), and the ratio reported is the median of the per-pair ratios, so
load from other processes on the machine hits both sides alike. The floor is
`python -I -c pass` run by the venv's own interpreter; commands run through the
venv's installed `ketcli` entry point, with a private, pre-warmed cache directory
and bytecode caching on (PYTHONDONTWRITEBYTECODE is dropped, as for an installed
package). The "later query" on the big dataset runs once the file has sat unchanged
for 5 s, as between two commands a person types. Peak memory is the child's
ru_maxrss as `/usr/bin/time -f %M` reports it (os.wait4 in this process would count
this process's own size, inherited until exec).
The big dataset is written by make_dataset.py. Exit status 1 when a target is missed.
Not a test: run by hand. Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import make_dataset

COMPARE = ["compare", "ketamine", "ect"]
COMPLETE = {"_KETCLI_COMPLETE": "complete_bash", "COMP_WORDS": "ketcli compare ket", "COMP_CWORD": "2"}
TIME = "/usr/bin/time"
BARE = Path(__file__).resolve().parent / "bare_typer.py"
PYDANTIC_TYPER = (0, 29)  # from this typer version on, parsing a command line imports pydantic


class Bench:
    def __init__(self, venv: Path, cache: Path, repeat: int) -> None:
        self.python = str(venv / "bin" / "python")
        self.ketcli = str(venv / "bin" / "ketcli")
        self.floor = [self.python, "-I", "-c", "pass"]
        self.repeat = repeat
        # Bytecode is written and used, as for an installed package (PYTHONDONTWRITEBYTECODE
        # would make every run compile ketcli from source).
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("KETCLI_", "_KETCLI_")) and k != "PYTHONDONTWRITEBYTECODE"}
        self.env["KETCLI_CACHE_DIR"] = str(cache)
        self.results: list[tuple[str, float, float, str]] = []

    def run(self, cmd: list[str], env: dict | None = None) -> tuple[float, str]:
        """Wall time of one run and its stdout; a failing command stops the benchmark."""
        start = time.perf_counter()
        done = subprocess.run(cmd, env={**self.env, **(env or {})}, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
        return elapsed, done.stdout

    def maxrss(self, cmd: list[str]) -> int:
        """Peak resident memory of one run of cmd, in KiB."""
        with tempfile.NamedTemporaryFile("r") as out:
            self.run([TIME, "-f", "%M", "-o", out.name, *cmd])
            return int(out.read().split()[-1])

    def summary(self) -> int:
        """Print how many targets were met; the exit status: 1 when any was missed."""
        missed = [label for label, _, _, verdict in self.results if verdict != "ok"]
        print(f"\n{len(self.results) - len(missed)} of {len(self.results)} targets met"
              + (f"; missed: {', '.join(missed)}" if missed else ""))
        return 1 if missed else 0

    def paired(self, label: str, target: float, measure_a, measure_b, repeat: int | None = None,
               before=None, unit: str = "ms") -> float:
        """Median of measure_b()/measure_a() over interleaved pairs; `before` runs untimed before each."""
        a_values, b_values, ratios = [], [], []
        for i in range(repeat or self.repeat):
            if before:
                before()
            if i % 2:
                b, a = measure_b(), measure_a()
            else:
                a, b = measure_a(), measure_b()
            a_values.append(a)
            b_values.append(b)
            ratios.append(b / a)
        ratio = statistics.median(ratios)
        scale = 1000 if unit == "ms" else 1 / 1024  # seconds to ms, or KiB to MiB
        detail = (f"median {statistics.median(b_values) * scale:.1f} vs {statistics.median(a_values) * scale:.1f} {unit}, "
                  f"ratio IQR {quantile(ratios, .25):.2f}–{quantile(ratios, .75):.2f}, n={len(ratios)}")
        self.report(label, ratio, target, detail)
        return ratio

    def report(self, label: str, ratio: float, target: float | None, detail: str) -> None:
        if target is None:  # measured and shown, no target on this line
            print(f"{label:<52} {ratio:6.3f}x  {'(no target)':<15}  {'':<6}  {detail}", flush=True)
            return
        verdict = "ok" if ratio <= target else "MISSED"
        self.results.append((label, ratio, target, verdict))
        print(f"{label:<52} {ratio:6.3f}x  (target ≤ {target:g}x)  {verdict:<6}  {detail}", flush=True)

    def typer_version(self) -> tuple[int, ...]:
        out = self.run([self.python, "-c", "import importlib.metadata as m; print(m.version('typer'))"])[1]
        return tuple(int(part) for part in out.strip().split(".")[:2])

    def timed(self, cmd: list[str], env: dict | None = None):
        return lambda: self.run(cmd, env)[0]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bundled_targets(b: Bench, memory_repeat: int) -> None:
    json_cmd = [b.ketcli, *COMPARE, "--json"]
    bare_cmd = [b.python, str(BARE), *COMPARE, "--json"]
    typer = b.typer_version()
    new_typer = typer >= PYDANTIC_TYPER
    print(f"typer {'.'.join(map(str, typer))}: targets for typer "
          f"{'≥ 0.29 (against the bare Typer app)' if new_typer else '< 0.29 (against the interpreter)'}")
    # Functional checks first (and warm the cache and the .pyc files).
    for _ in range(2):
        b.run(json_cmd), b.run([b.ketcli, *COMPARE]), b.run(b.floor)
    for words, wanted in (("ketcli compare ket", "ketamine"), ("ketcli compare ss", "ssri"),
                          ("ketcli mechanism op", "opioid"), ("ketcli mechanism infl", "inflammation")):
        out = b.run([b.ketcli], {**COMPLETE, "COMP_WORDS": words})[1].split()
        state = "ok" if wanted in out else "MISSED"
        print(f"completion of {words!r:<28} offers {wanted!r:<14} {state}   ({' '.join(out[:8])})")
        if state != "ok":
            b.results.append((f"completion {words}", 0, 0, state))
    b.run(bare_cmd), b.run(bare_cmd)
    floor = b.timed(b.floor)
    b.paired("compare ketamine ect --json / bare Typer app", 1.0 if new_typer else None,
             b.timed(bare_cmd), b.timed(json_cmd))
    b.paired("bare Typer app (compare --json)", None, floor, b.timed(bare_cmd))
    b.paired("compare ketamine ect --json", None if new_typer else 6, floor, b.timed(json_cmd))
    b.paired("compare ketamine ect (table)", None if new_typer else 8, floor, b.timed([b.ketcli, *COMPARE]))
    b.paired("completion (compare ket<TAB>)", None if new_typer else 6, floor, b.timed([b.ketcli], COMPLETE))
    if shutil.which(TIME):
        b.paired("peak memory of --json (ru_maxrss)", None if new_typer else 2, lambda: b.maxrss(b.floor),
                 lambda: b.maxrss(json_cmd), repeat=memory_repeat, unit="MiB")
    else:
        print(f"peak memory: skipped, {TIME} is missing (apt-get install time)")


def big_targets(b: Bench, scale: int, work: Path, repeat: int) -> None:
    data = make_dataset.build(scale)
    text = make_dataset.dumps(data)
    big = work / "big.toml"
    big.write_text(text, "utf-8")
    print(f"big dataset: {scale}x the bundled one, {len(text.encode()) / 1e6:.1f} MB, "
          f"{len(data['claims'])} claims, {len(data['references'])} references")
    cache = Path(b.env["KETCLI_CACHE_DIR"])
    old = f'dataset_version = "{data["dataset_version"]}"'
    count = iter(range(10**9))

    def change_file() -> None:  # a new dataset_version: same size, another cache key
        shutil.rmtree(cache, ignore_errors=True)  # also keeps 100 MB-size entries from piling up
        big.write_text(text.replace(old, f'dataset_version = "changed-{next(count)}"', 1), "utf-8")

    query = [b.ketcli, "--data", str(big), *COMPARE, "--json"]
    parse_only = [b.python, "-I", "-c", "import sys, tomllib\nwith open(sys.argv[1], 'rb') as f: tomllib.load(f)", str(big)]
    b.paired("first query after the file changes / tomllib.load", 1.5,
             b.timed(parse_only), b.timed(query), repeat=repeat, before=change_file)
    bundled = [b.ketcli, *COMPARE, "--json"]
    for _ in range(2):
        b.run(query), b.run(bundled)  # fill the cache for both files as they now are
    # "Later": the file has sat unchanged for a few seconds, as between two commands a
    # person types (a cache may trust a file's stat only once it is past the timestamp
    # granularity window; git does the same for its index).
    time.sleep(5)
    b.run(query), b.run(bundled)
    b.paired(f"later query, {scale}x dataset / bundled", 2,
             b.timed(bundled), b.timed(query), repeat=max(repeat, b.repeat // 2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, action="append",
                        help=f"venv with ketcli installed; repeat for several (default: this interpreter's, {sys.prefix})")
    parser.add_argument("--repeat", type=int, default=40, help="pairs per startup target (default 40)")
    parser.add_argument("--memory-repeat", type=int, default=7, help="pairs for peak memory (default 7)")
    parser.add_argument("--scale", type=int, default=100, help="size of the big dataset (default 100x)")
    parser.add_argument("--big-repeat", type=int, default=9, help="pairs per big-dataset target (default 9)")
    parser.add_argument("--skip-big", action="store_true", help="only the bundled-dataset targets")
    parser.add_argument("--skip-bundled", action="store_true", help="only the big-dataset targets")
    args = parser.parse_args()
    venvs = args.venv or [Path(sys.prefix)]
    for venv in venvs:
        if not (venv / "bin" / "ketcli").exists():
            parser.error(f"{venv}/bin/ketcli does not exist: give --venv")
    results = []
    with tempfile.TemporaryDirectory(prefix="ketcli-bench-") as tmp:
        for number, venv in enumerate(venvs):
            bench = Bench(venv, Path(tmp) / f"cache-{number}", args.repeat)
            print(f"{'' if number == 0 else chr(10)}venv {venv}; floor: {' '.join(bench.floor)}; {os.cpu_count()} CPUs, "
                  f"load {os.getloadavg()[0]:.2f}")
            if not args.skip_bundled:
                bundled_targets(bench, args.memory_repeat)
            if not args.skip_big and number == 0:  # the dataset's cost does not depend on typer
                big_targets(bench, args.scale, Path(tmp), args.big_repeat)
            results += bench.results
        bench.results = results
    return bench.summary()


if __name__ == "__main__":
    sys.exit(main())
