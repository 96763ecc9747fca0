"""Building a dataset from its file: parse the TOML, validate every record with pydantic,
merge an own file with the bundled one, check integrity, and say where each problem is
(file:line). Only a cache miss, `ketcli validate` and a write import this module: a query
on a warm cache reads the cache entry (dataset.load) and never runs this code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketcli.data.vocab import COLLECTIONS
from ketcli.errors import DatasetError

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from ketcli.data.integrity import Problem


def build_dataset(path: Path, content: bytes, bundled: Path | None,
                  read_bytes: Callable[[Path], bytes]) -> dict[str, Any]:
    """Parse, validate, merge with the bundled file if asked (read by `read_bytes`), and
    check integrity."""
    from ketcli.data.integrity import check

    own = validated_bundled(path, content) if bundled is None else validate(path, content)  # None: path is it
    merged = own
    if own.get("extends") == "bundled":
        if bundled is None:
            raise DatasetError(f"{path}: the bundled dataset cannot extend itself")
        base = validated_bundled(bundled, read_bytes(bundled))
        collisions = _collisions(base, own)
        if collisions:
            lines_of = _LineIndex(content)
            lines = [_format(path, lines_of, record, f"{where}: {what}") for record, where, what in collisions]
            raise DatasetError(f"{path}: {len(lines)} record(s) collide with the bundled dataset", lines)
        merged = merge(base, own, path)
    elif own.get("source") is None:
        raise DatasetError(f"{path}: a complete dataset needs [source] (or extends = \"bundled\")")
    problems = check(merged)
    if problems and merged is not own:
        problems = _in_own_file(problems, base, own)
    if problems:
        lines_of = _LineIndex(content)
        lines = [_format(path, lines_of, record, f"{where}: {what}") for record, where, what in problems]
        raise DatasetError(f"{path}: {len(lines)} integrity problem(s)", lines)
    return merged




def parse(path: Path, content: bytes) -> dict[str, Any]:
    import tomllib

    from ketcli.data import bounds

    bounds.check_size(len(content), str(path))
    try:
        text = content.decode("utf-8-sig")  # a byte-order mark from a Windows editor is fine
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    bounds.check(text, str(path))  # shapes that cost the parser far more than their size
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError(f"{path}: not valid TOML: {exc}") from None
    except (RecursionError, ValueError) as exc:  # ValueError: an integer of > 4,300 digits
        raise DatasetError(f"{path}: not valid TOML: {'nested too deeply' if isinstance(exc, RecursionError) else 'a number too long'}") from None


# The bundled file validated, by its bytes: built once per process. An own file that extends
# it is built against it, and a write builds both the file's old and its new content: each
# was a parse and a validation of the bundled file again (≈ 60 ms). Kept marshalled, and
# each use gets a copy of its own: merge() shares the records.
_BUNDLED: dict[tuple[str, bytes], bytes] = {}


def validated_bundled(bundled: Path, content: bytes) -> dict[str, Any]:
    """`validate(bundled, content)`, the work done once per process for the same bytes."""
    import marshal

    key = (str(bundled), content)
    blob = _BUNDLED.get(key)
    if blob is None:
        blob = marshal.dumps(validate(bundled, content))
        _BUNDLED.clear()  # one entry: the bundled file's bytes change only between runs
        _BUNDLED[key] = blob
    copy: dict[str, Any] = marshal.loads(blob)
    return copy


MAX_PROBLEMS = 200  # validation stops collecting here: each problem costs memory, 50 are printed


def validate(path: Path, content: bytes) -> dict[str, Any]:
    """The file as validated plain dicts, or a DatasetError listing each problem (the
    first MAX_PROBLEMS: a file of a million bad records costs no more than a few)."""
    raw = parse(path, content)
    lines_of = _LineIndex(content)
    problems: list[str] = []
    validated = _validate(raw, lambda err: problems.append(_locate(path, lines_of, raw, err)))
    if problems:
        if len(problems) >= MAX_PROBLEMS:
            problems = problems[:MAX_PROBLEMS]
            problems.append(f"{path}: validation stopped after the first {MAX_PROBLEMS} problems")
            raise DatasetError(f"{path}: more than {MAX_PROBLEMS} problems in the dataset", problems)
        raise DatasetError(f"{path}: {len(problems)} problem(s) in the dataset", problems)
    return validated


_ADAPTERS: dict[str, Any] = {}  # collection → pydantic TypeAdapter of its records


def _validate(raw: dict[str, Any], report: Callable[[ErrorDetails], None]) -> dict[str, Any]:
    """The top level, then each collection record by record in chunks, so that the
    errors held at once stay few; `report(error)` is called for each pydantic error
    until MAX_PROBLEMS of them."""
    import typing

    from pydantic import TypeAdapter, ValidationError

    from ketcli.data.models import MAX_RECORDS, Dataset

    count = 0

    def collect(exc: ValidationError, name: str | None = None, start: int = 0) -> None:
        nonlocal count
        for err in exc.errors(include_url=False):
            if count >= MAX_PROBLEMS:
                return
            if name is not None:
                loc = list(err.get("loc", ()))
                first = loc[0] if loc and isinstance(loc[0], int) else 0
                err = {**err, "loc": (name, start + first, *loc[1:]) if loc else (name,)}
            report(err)
            count += 1

    lists = {name: raw[name] for name in COLLECTIONS if isinstance(raw.get(name), list)}
    top: dict[str, Any] = {}
    try:
        top = Dataset.model_validate({k: v for k, v in raw.items() if k not in lists}).model_dump()
    except ValidationError as exc:
        collect(exc)
    chunk = 500
    for name, records in lists.items():
        if len(records) > MAX_RECORDS:
            report({"type": "too_long", "loc": (name,), "msg": f"{len(records):,} records; at most {MAX_RECORDS:,}",
                    "input": None})
            count += 1
            continue
        adapter = _ADAPTERS.get(name)
        if adapter is None:
            model = typing.get_args(Dataset.model_fields[name].annotation)[0]
            adapter = _ADAPTERS[name] = TypeAdapter(list[model])  # type: ignore[valid-type]
        dumped = []
        for start in range(0, len(records), chunk):
            if count >= MAX_PROBLEMS:
                return top
            try:
                dumped += adapter.dump_python(adapter.validate_python(records[start:start + chunk]))
            except ValidationError as exc:
                collect(exc, name, start)
        top[name] = dumped
    return top


def merge(base: dict[str, Any], own: dict[str, Any], path: Path) -> dict[str, Any]:
    merged = dict(base)
    merged["dataset_version"] = f"{base['dataset_version']}+{own['dataset_version']}"
    merged["extends"] = "bundled"
    for name in COLLECTIONS:
        merged[name] = base[name] + own[name]
    merged["vocabulary"] = base.get("vocabulary", []) + own.get("vocabulary", [])
    return merged


def _collisions(base: dict[str, Any], own: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    """Records of an extending file whose id, number or key the bundled dataset already uses."""
    problems = []
    for name in COLLECTIONS:
        for field in ("id", "number", "key"):
            taken = {r[field] for r in base[name] if r.get(field) is not None}
            for i, record in enumerate(own[name]):
                value = record.get(field)
                if value is not None and value in taken:
                    where = f"{name}[{i}] ({value!r})"
                    problems.append((record, where, f"{field} {value!r} is already used by the bundled dataset"))
    return problems


def _in_own_file(problems: list[Problem], base: dict[str, Any], own: dict[str, Any]) -> list[Problem]:
    """Integrity problems with each record's index counted within its own file: the
    merged data put the bundled records first (claims[207] is the own file's claims[0])."""
    import re

    place = {}
    for name in COLLECTIONS:
        for i, record in enumerate(base[name]):
            place[id(record)] = (name, i, "the bundled dataset's ")
        for i, record in enumerate(own[name]):
            place[id(record)] = (name, i, "")
    fixed = []
    for record, where, what in problems:
        found = place.get(id(record)) if record is not None else None
        if found:
            name, i, owner = found
            where = re.sub(rf"^{name}\[\d+\]", f"{owner}{name}[{i}]", where)
            if owner:
                record = None  # no line of the own file holds it
        fixed.append((record, where, what))
    return fixed




def _locate(path: Path, lines_of: "_LineIndex", raw: dict[str, Any], err: "ErrorDetails") -> str:
    """'file:line: collection[i] (id …): field: message' for one pydantic error."""
    loc = list(err.get("loc", ()))
    where, record = _describe_loc(raw, loc)
    return _format(path, lines_of, record, f"{where}: {excerpt(err.get('msg', 'invalid'), 300)}")


def _format(path: Path, lines_of: "_LineIndex", record: dict[str, Any] | None, message: str) -> str:
    line = lines_of.line(record)
    return f"{path}:{line}: {message}" if line else f"{path}: {message}"


def excerpt(value: object, limit: int = 40) -> str:
    """`value` as text of at most `limit` characters: a message quotes data, never all of it."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _describe_loc(raw: dict[str, Any], loc: list[int | str]) -> tuple[str, dict[str, Any] | None]:
    parts: list[str] = []
    record = None
    node: Any = raw
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
        else:
            parts.append(excerpt(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and record is None and isinstance(item, int):
            record = node
            ident = node.get("id") or node.get("number") or node.get("key")
            if ident is not None:
                parts[-1] += f" ({excerpt(ident)!r})"
    return ".".join(parts) or "top level", record


class _LineIndex:
    """The line where a record's `id = …`, `number = …` or `key = …` is written, found
    with one pass over the file for all its records (a pass per record was quadratic)."""

    FIELDS = ("id", "number", "key")

    def __init__(self, content: bytes) -> None:
        self._content = content
        self._index: dict[tuple[str, str], int] | None = None

    def _build(self) -> dict[tuple[str, str], int]:
        index: dict[tuple[str, str], int] = {}
        text = self._content.decode("utf-8", "replace")
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.replace(" ", "").replace("\t", "")
            field, sep, rest = stripped.partition("=")
            if not sep or field not in self.FIELDS or not rest:
                continue
            if rest[0] == '"':
                end = rest.find('"', 1)
                value = rest[1:end] if end > 0 else None
            else:
                value = rest.split("#", 1)[0]
            if value is not None:
                index.setdefault((field, value), number)
        return index

    def line(self, record: dict[str, Any] | None) -> int | None:
        if not record:
            return None
        for field in self.FIELDS:
            value = record.get(field)
            if value is None:
                continue
            if self._index is None:
                self._index = self._build()
            found = self._index.get((field, str(value).replace(" ", "")))
            if found:
                return found
        return None
