"""Write a valid ketcli dataset N times the bundled one, for benchmarks.

    python bench/make_dataset.py --scale 100 --output /tmp/big.toml
    ketcli --data /tmp/big.toml mechanism            # or KETCLI_DATA=/tmp/big.toml

Copy 0 is the bundled dataset unchanged, so `compare ketamine ect` answers as usual.
Copy k (1 … N-1) has every id, citation key and name suffixed with "-ck" / " ck"
(aliases too, so every name stays unambiguous), reference numbers shifted by k times
the largest bundled number, and every cross-reference rewritten to match; texts,
references and claims keep their lengths and proportions. Only copy 0 keeps
`in_table1`, so a bare `ketcli compare` still draws four columns. Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tomllib
from pathlib import Path

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "treatments.toml"
ID_COLLECTIONS = ("treatments", "mechanisms", "entities", "claims", "trials", "side_effects", "events")
# (collection, field) holding one id or a list of ids, and the collection it points to.
LINKS = {
    ("treatments", "parent"), ("table1", "treatment"), ("table1", "supported_by"),
    ("mechanisms", "treatment"), ("claims", "treatments"), ("claims", "mechanisms"),
    ("claims", "entities"), ("claims", "trial"), ("trials", "treatments"),
    ("side_effects", "treatment"), ("side_effects", "study"), ("events", "treatments"),
}
NAME_FIELDS = ("name", "full_name")


def copy_record(record: dict, collection: str, k: int, shift: int) -> dict:
    """Record `record` of `collection` for copy k: ids, names, links and refs renamed."""
    out = dict(record)
    suffix = f"-c{k}"
    if collection in ID_COLLECTIONS:
        out["id"] = record["id"] + suffix
    for field in NAME_FIELDS:
        if collection in ("treatments", "mechanisms", "entities") and record.get(field):
            out[field] = f"{record[field]} c{k}"
    if "aliases" in record:
        out["aliases"] = [f"{a} c{k}" for a in record["aliases"]]
    for (coll, field) in LINKS:
        if coll == collection and record.get(field):
            value = record[field]
            out[field] = [v + suffix for v in value] if isinstance(value, list) else value + suffix
    if "refs" in record:
        out["refs"] = [n + shift for n in record["refs"]]
    if collection == "references":
        out["number"] = record["number"] + shift
        out["key"] = record["key"] + suffix
    if collection == "treatments":
        out["in_table1"] = False
        if "attributes" in record:
            out["attributes"] = [{**a, "refs": [n + shift for n in a.get("refs", [])]} for a in record["attributes"]]
    if collection == "mechanisms" and "pathway" in record:
        out["pathway"] = [{**s, "refs": [n + shift for n in s.get("refs", [])]} for s in record["pathway"]]
    return out


def build(scale: int, source: Path = BUNDLED, version: str | None = None) -> dict:
    base = tomllib.loads(source.read_text("utf-8"))
    step = max(r["number"] for r in base["references"])
    out = dict(base)
    out["dataset_version"] = version or f"{base['dataset_version']}+x{scale}"
    for collection, records in base.items():
        if isinstance(records, list):
            out[collection] = list(records) + [
                copy_record(r, collection, k, k * step) for k in range(1, scale) for r in records
            ]
    return out


# --- a small TOML writer, in the bundled file's style ([[collection]] per record) ----


def value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ("nan" if v != v else ("inf" if v > 0 else "-inf"))
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def is_table(v) -> bool:
    return isinstance(v, dict) or (isinstance(v, list) and v != [] and all(isinstance(x, dict) for x in v))


def table(path: str, record: dict, lines: list[str]) -> None:
    """Scalars first, then sub-tables ([path.key]) and arrays of tables ([[path.key]])."""
    lines += [f"{k} = {value(v)}" for k, v in record.items() if not is_table(v)]
    for k, v in record.items():
        if isinstance(v, dict):
            lines.append(f"\n[{path}.{k}]")
            table(f"{path}.{k}", v, lines)
        elif is_table(v):
            for item in v:
                lines.append(f"\n[[{path}.{k}]]")
                table(f"{path}.{k}", item, lines)


def dumps(data: dict) -> str:
    lines = [f"{k} = {value(v)}" for k, v in data.items() if not is_table(v)]
    for k, v in data.items():
        if isinstance(v, dict):
            lines.append(f"\n[{k}]")
            table(k, v, lines)
        elif is_table(v):
            for record in v:
                lines.append(f"\n[[{k}]]")
                table(k, record, lines)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100, help="copies of the bundled dataset (default 100)")
    parser.add_argument("--output", required=True, help="file to write")
    parser.add_argument("--source", type=Path, default=BUNDLED, help="dataset to copy (default: the bundled one)")
    parser.add_argument("--dataset-version", help="dataset_version to write (default: bundled +xN)")
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    text = dumps(build(args.scale, args.source, args.dataset_version))
    Path(args.output).write_text(text, "utf-8")
    print(f"{args.output}: {len(text.encode()) / 1e6:.1f} MB, {args.scale}x {args.source.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
