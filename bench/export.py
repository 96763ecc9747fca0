"""`ketcli export sqlite` and `export fhir` on the 100× dataset against tomllib's parse of the same file.

    .venv/bin/python bench/export.py                         # both formats, the venv of this interpreter
    python3 bench/export.py --format fhir --venv /tmp/dev --scale 100 --repeat 7

Target: the export takes at most 2× the time tomllib takes to parse the file. Three
figures, each the median of --repeat runs, interleaved with the parse (parse, export,
parse, export …) so load from other processes hits both alike:
- parse: `tomllib.loads` of the file's text, in this process;
- export: building the database (ketcli.export.sqlite.build) or the Bundle and its JSON
  (ketcli.render.fhir) from the loaded dataset, and the atomic write, in this process;
- command: `ketcli --data FILE export FORMAT OUT` as a user runs it (the cache warm:
  its own start-up, reading the cached dataset, the export, the write), a child process.
The ratio that counts is export ÷ parse; command ÷ parse is reported beside it.
Exit status 1 when the target is missed. Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import make_dataset

TARGET = 2.0
SUFFIX = {"sqlite": "db", "fhir": "json"}


def exporter(fmt: str, data) -> tuple[str, Callable[[], object]]:
    """(what the output is called, a function that builds the export's bytes or database)."""
    if fmt == "fhir":
        from ketcli.render import fhir

        return "FHIR JSON", lambda: fhir.to_json(fhir.bundle(data))
    from ketcli.export import sqlite
    from ketcli.query import profiles

    about = profiles.about(data)
    sha, version = about["dataset"]["sha256"], about["ketcli_version"]
    return "SQLite", lambda: sqlite.build(data, sha, version)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix), help="venv with ketcli installed (default: this one)")
    parser.add_argument("--scale", type=int, default=100, help="copies of the bundled dataset (default 100)")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each (default 7)")
    parser.add_argument("--format", choices=[*SUFFIX, "both"], default="both", help="which export (default both)")
    args = parser.parse_args()
    if Path(sys.prefix).resolve() != args.venv.resolve():
        os.execv(str(args.venv / "bin" / "python"), [str(args.venv / "bin" / "python"), *sys.argv])

    met = [bench(fmt, args) for fmt in (SUFFIX if args.format == "both" else [args.format])]
    return 0 if all(met) else 1


def bench(fmt: str, args: argparse.Namespace) -> bool:
    from ketcli.data.dataset import load
    from ketcli.render.citefile import write_file

    with tempfile.TemporaryDirectory(prefix="ketcli-bench-") as tmp:
        big = Path(tmp) / "big.toml"
        big.write_text(make_dataset.dumps(make_dataset.build(args.scale, make_dataset.BUNDLED, None)), "utf-8")
        env = {**os.environ, "KETCLI_CACHE_DIR": str(Path(tmp) / "cache")}
        os.environ["KETCLI_CACHE_DIR"] = env["KETCLI_CACHE_DIR"]
        ketcli = str(args.venv / "bin" / "ketcli")
        out = str(Path(tmp) / f"big.{SUFFIX[fmt]}")
        command = [ketcli, "--data", str(big), "export", fmt, out]
        subprocess.run(command, check=True, env=env)  # warms the cache, as any earlier command would
        data = load(str(big))
        name, build = exporter(fmt, data)
        text = big.read_text("utf-8")
        parse, export, whole = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            tomllib.loads(text)
            parse.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_file(out, build())
            export.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env)
            whole.append(time.perf_counter() - start)
        size = Path(out).stat().st_size
        p, e, w = (statistics.median(x) for x in (parse, export, whole))
        print(f"dataset: {args.scale}x, {big.stat().st_size / 1e6:.1f} MB TOML -> {size / 1e6:.1f} MB {name} "
              f"({len(data['claims'])} claims); median of {args.repeat}")
        print(f"tomllib parse            {p * 1000:7.0f} ms")
        print(f"export (build + write)   {e * 1000:7.0f} ms   {e / p:.2f}x parse   target <= {TARGET:g}x "
              f"{'met' if e / p <= TARGET else 'MISSED'}")
        print(f"ketcli export {fmt:<10} {w * 1000:7.0f} ms   {w / p:.2f}x parse   (whole command, warm cache)")
        return e / p <= TARGET


if __name__ == "__main__":
    sys.exit(main())
