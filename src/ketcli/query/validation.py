"""`ketcli validate`: every check on a dataset file, each problem on one line."""

from __future__ import annotations

from ketcli.data.dataset import COLLECTIONS, build, bundled_path, chosen_path, read_bytes, _same_file
from ketcli.errors import DatasetError


def validate_file(option: str | None) -> dict:
    path = chosen_path(option)
    problems: list[str] = []
    counts: dict[str, int] = {}
    try:
        content = read_bytes(path)
        bundled = None if _same_file(path, bundled_path()) else bundled_path()
        data = build(path, content, bundled)
        counts = {name: len(data[name]) for name in COLLECTIONS}
    except DatasetError as exc:
        problems = exc.problems or [exc.message]
    return {"schema_version": 1, "command": "validate", "file": str(path), "ok": not problems,
            "problems": problems, "counts": counts}
