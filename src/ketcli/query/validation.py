"""`ketcli validate`: every check on a dataset file, each problem on one line."""

from __future__ import annotations

from ketcli.data.dataset import COLLECTIONS, build, bundled_path, chosen_path, read_bytes, sha256_of, _same_file
from ketcli.errors import DatasetError


def validate_file(option: str | None) -> dict:
    path = chosen_path(option)
    problems: list[str] = []
    counts: dict[str, int] = {}
    digest = None
    try:
        content = read_bytes(path)
        digest = sha256_of(content)
        bundled = None if _same_file(path, bundled_path()) else bundled_path()
        data = build(path, content, bundled)
        counts = {name: len(data[name]) for name in COLLECTIONS}
    except DatasetError as exc:
        problems = exc.problems or [exc.message]
    from ketcli.query.queries import SCHEMA_VERSION

    return {"schema_version": SCHEMA_VERSION, "command": "validate", "dataset_sha256": digest,
            "file": str(path), "ok": not problems, "problems": problems, "counts": counts}
