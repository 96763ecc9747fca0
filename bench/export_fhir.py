"""`ketcli export fhir` on the 100× dataset against tomllib's parse of the same file.

    .venv/bin/python bench/export_fhir.py                    # the venv of this interpreter
    python3 bench/export_fhir.py --venv /tmp/dev --scale 100 --repeat 7

Target: the export takes at most 2× the time tomllib takes to parse the file. Three
figures, each the median of --repeat runs, interleaved with the parse (parse, export,
parse, export …) so load from other processes hits both alike:
- parse: `tomllib.loads` of the file's text, in this process;
- export: building the Bundle from the loaded dataset, its JSON, and the atomic write
  (ketcli.render.fhir.bundle + to_json + the writer), in this process;
- command: `ketcli --data FILE export fhir OUT` as a user runs it (the cache warm: its own
  start-up, reading the cached dataset, the export, the write), a child process.
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
from pathlib import Path

import make_dataset

TARGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix), help="venv with ketcli installed (default: this one)")
    parser.add_argument("--scale", type=int, default=100, help="copies of the bundled dataset (default 100)")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each (default 7)")
    args = parser.parse_args()
    if Path(sys.prefix).resolve() != args.venv.resolve():
        os.execv(str(args.venv / "bin" / "python"), [str(args.venv / "bin" / "python"), *sys.argv])

    from ketcli.data.dataset import load
    from ketcli.render import fhir
    from ketcli.render.citefile import write_file

    with tempfile.TemporaryDirectory(prefix="ketcli-bench-") as tmp:
        big = Path(tmp) / "big.toml"
        big.write_text(make_dataset.dumps(make_dataset.build(args.scale, make_dataset.BUNDLED, None)), "utf-8")
        env = {**os.environ, "KETCLI_CACHE_DIR": str(Path(tmp) / "cache")}
        os.environ["KETCLI_CACHE_DIR"] = env["KETCLI_CACHE_DIR"]
        ketcli = str(args.venv / "bin" / "ketcli")
        out = str(Path(tmp) / "big.json")
        command = [ketcli, "--data", str(big), "export", "fhir", out]
        subprocess.run(command, check=True, env=env)  # warms the cache, as any earlier command would
        data = load(str(big))
        text = big.read_text("utf-8")
        parse, export, whole = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            tomllib.loads(text)
            parse.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_file(out, fhir.to_json(fhir.bundle(data)))
            export.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env)
            whole.append(time.perf_counter() - start)
        size = Path(out).stat().st_size
        p, e, w = (statistics.median(x) for x in (parse, export, whole))
        print(f"dataset: {args.scale}x, {big.stat().st_size / 1e6:.1f} MB TOML -> {size / 1e6:.1f} MB FHIR JSON "
              f"({len(data['trials'])} trials); median of {args.repeat}")
        print(f"tomllib parse            {p * 1000:7.0f} ms")
        print(f"export (build + write)   {e * 1000:7.0f} ms   {e / p:.2f}x parse   target <= {TARGET:g}x "
              f"{'met' if e / p <= TARGET else 'MISSED'}")
        print(f"ketcli export fhir       {w * 1000:7.0f} ms   {w / p:.2f}x parse   (whole command, warm cache)")
        return 0 if e / p <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
