"""`ketcli validate`: every check on a dataset file, each problem on one line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ketcli.data.building import _LineIndex
from ketcli.data.dataset import COLLECTIONS, build, bundled_path, chosen_path, read_bytes, sha256_of, _same_file
from ketcli.errors import DatasetError

if TYPE_CHECKING:
    from ketcli.query.results import ValidateResult


def validate_file(option: str | None) -> ValidateResult:
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
        problems = quote_problems(path, content.decode("utf-8", "replace"), data)
    except DatasetError as exc:
        problems = exc.problems or [exc.message]
    from ketcli.data.lay_vocabulary import problems as vocabulary_problems

    problems += vocabulary_problems()  # ketcli's lay vocabulary, which every search reads
    from ketcli.query.envelope import SCHEMA_VERSION

    return cast("ValidateResult", {"schema_version": SCHEMA_VERSION, "command": "validate", "dataset_sha256": digest,
            "file": str(path), "ok": not problems, "problems": problems, "counts": counts})


def quote_problems(path: object, text: str, data: dict[str, Any]) -> list[str]:
    """'file:line: claim ID: quote not found in the source' for each quote the review's text
    does not hold (exactly, after the normalisation of ketcli.data.quotes) where its locator says.
    Records of the bundled dataset that an extending file merely inherits are checked too,
    but the line numbers are those of `path`."""
    from ketcli.data import quotes

    source = quotes.shipped()
    lines = text.splitlines()
    lines_of = _LineIndex(text.encode("utf-8"))
    out = []
    for record, label, problem in quotes.problems(data, source):
        line = _quote_line(lines, lines_of.line(record), record)
        out.append(f"{path}:{line}: {label}: {problem}" if line else f"{path}: {label}: {problem}")
    return out


def _quote_line(lines: list[str], start: int | None, record: dict[str, Any]) -> int | None:
    """The line of the record's `quote =` (else its first line)."""
    if start is None and "label" in record:  # a caption: its label line
        needle = f'label = "{record["label"]}"'
        start = next((i for i, line in enumerate(lines, 1) if line.strip() == needle), None)
    if start is None:
        if "treatment" not in record:
            return None
        # a Table 1 cell has no id: its treatment and dimension lines
        pair = (f'treatment = "{record["treatment"]}"', f'dimension = "{record["dimension"]}"')
        start = next((i for i in range(1, len(lines)) if (lines[i - 1].strip(), lines[i].strip()) == pair), None)
        if start is None:
            return None
    for number in range(start, min(len(lines), start + 40) + 1):
        if lines[number - 1].startswith("quote = "):
            return number
    return start
