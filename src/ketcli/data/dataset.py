"""Find, read, validate and index the dataset.

`load()` returns a `Data`: the validated dataset as plain dicts (the shape of
`models.Dataset.model_dump()`), with indexes. A cache hit costs a file read, a hash
and a `marshal` load; only a miss imports tomllib, pydantic and the models.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any
from pathlib import Path

from ketcli import __version__

from ketcli.data import cache
from ketcli.errors import DatasetError

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from ketcli.data.integrity import Problem
    from ketcli.data.records import Claim, Entity, Mechanism, Reference, Treatment, Trial

ENV_VAR = "KETCLI_DATA"
COLLECTIONS = (
    "references", "treatments", "table1", "mechanisms", "entities",
    "claims", "trials", "side_effects", "events",
)


def bundled_path() -> Path:
    """The dataset shipped with ketcli: inside the wheel, or data/ of a checkout."""
    return _shipped("treatments.toml", "data")


def source_path() -> Path:
    """The review's full text (CC BY 4.0), shipped beside the dataset: inside the wheel,
    or source/ of a checkout."""
    return _shipped("source/ketamine-review-cureus-2025.txt", "source")


def _shipped(name: str, checkout_folder: str) -> Path:
    here = Path(__file__).resolve().parent  # ketcli/data/
    installed = here / name
    if installed.is_file():
        return installed
    return here.parents[2] / checkout_folder / Path(name).name


def chosen_path(option: str | None) -> Path:
    """--data wins over KETCLI_DATA, which wins over the bundled file."""
    if option:
        return Path(option)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else bundled_path()


def open_regular(path: Path, shown: str | None = None, missing: str = "no such dataset file"
                 ) -> tuple[int, os.stat_result]:
    """(fd, stat) of a regular file opened for reading; a FIFO, device or directory is
    refused, never waited on. Errors are DatasetErrors naming `shown` (default: path)."""
    import stat

    shown = shown or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DatasetError(f"{shown}: {missing}") from None
    except IsADirectoryError:
        raise DatasetError(f"{shown}: is a directory, not a dataset file") from None
    except PermissionError:
        raise DatasetError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise DatasetError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise DatasetError(f"{shown}: is a directory, not a dataset file")
        raise DatasetError(f"{shown}: not a regular file (a pipe or device cannot be a dataset)")
    return fd, info


def read_bytes(path: Path) -> bytes:
    fd, info = open_regular(path)
    if info.st_size > 1 << 24:  # a big file: refuse one too big before reading it
        from ketcli.data import bounds

        try:
            bounds.check_size(info.st_size, str(path))
        except DatasetError:
            os.close(fd)
            raise
    try:
        with os.fdopen(fd, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load(option: str | None = None, *, use_cache: bool = True, refresh: bool = False) -> "Data":
    """The dataset `option` names (chosen_path). `refresh`: build it from the file even
    where the cache has an entry, and store the new entry over the old one (an entry
    whose checksums held but whose content a query could not read: Data.rebuilt)."""
    path = chosen_path(option)
    bundled = bundled_path()
    is_bundled = _same_file(path, bundled)
    files = (path,) if is_bundled else (path, bundled)

    def rebuild() -> dict[str, Any]:  # a cache entry found corrupted after it was opened
        with cache.quiet_gc():
            return build(path, read_bytes(path), None if is_bundled else bundled)

    # A file left unchanged for a while is known by its stat fingerprint, which costs
    # no read and no hash (a 10 MB file: ≈ 35 ms); a fresh one, by its bytes.
    quick = cache.stat_key(__version__, files) if use_cache else None
    if quick is not None and not refresh:
        cached = cache.load(quick, ".alias", rebuild)
        if cached is not None:
            return Data(cached, path, reload=lambda: load(option, refresh=True))
    content = read_bytes(path)
    # The bundled file is part of the key even for another file, since that file
    # may extend it; a missing bundled file only matters to such a file.
    extra = () if is_bundled else (_read_or_empty(bundled),)
    key = cache.make_key(__version__, content, *extra)
    if use_cache and not refresh:
        cached = cache.load(key, ".bin", rebuild)
        if cached is not None:
            cache.alias(key, quick)
            return Data(cached, path, reload=lambda: load(option, refresh=True))
    with cache.quiet_gc():
        raw = build(path, content, bundled if not is_bundled else None)
    if use_cache:
        cache.store(key, raw, path)
        cache.alias(key, quick)
    return Data(raw, path)


def build(path: Path, content: bytes, bundled: Path | None) -> dict[str, Any]:
    """Parse, validate, merge with the bundled file if asked, and check integrity."""
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
    # Every answer names the file it came from by this hash; kept with the cached data,
    # so a warm query pays no read and no hash for it.
    merged[SHA256] = sha256_of(content)
    return merged


SHA256 = "sha256"  # the key of the file's SHA-256 in a built dataset (not a collection)


def sha256_of(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()


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


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False


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


class Data:
    """The validated dataset (plain dicts) with the indexes queries need."""

    def __init__(self, raw: dict[str, Any], path: Path, reload: Callable[[], Data] | None = None) -> None:
        self.raw = raw
        self.path = path
        self._reload = reload  # given by load() for data read from a cache entry

    @property
    def from_cache(self) -> bool:
        return self._reload is not None

    def rebuilt(self) -> "Data | None":
        """The dataset built again from its file, replacing its cache entry, when this one
        came from the cache; else None. A checksum proves an entry's bytes are the ones
        written, not that their shape is this ketcli's: a KeyError or TypeError while
        reading one is met by this (cli/app.py and the API), never by the user."""
        return self._reload() if self._reload is not None else None

    def __getitem__(self, name: str) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = self.raw[name]
        return records

    @property
    def source(self) -> dict[str, Any]:
        source: dict[str, Any] = self.raw["source"]
        return source

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the dataset file's bytes (an own file: of that file), as `about` shows it."""
        known = self.raw.get(SHA256)
        return known if isinstance(known, str) else sha256_of(read_bytes(self.path))

    def _index(self, name: str) -> Any:
        index = getattr(self.raw, "index", None)  # a cache.Entry decodes records on use
        return index(name) if index else None

    @cached_property
    def references(self) -> dict[int, Reference]:
        return self._index("references") or {ref["number"]: ref for ref in self.raw["references"]}

    @cached_property
    def references_by_key(self) -> dict[str, Reference]:
        return {ref["key"]: ref for ref in self.raw["references"]}

    @cached_property
    def treatments(self) -> dict[str, Treatment]:
        return {t["id"]: t for t in self.raw["treatments"]}

    @cached_property
    def mechanisms(self) -> dict[str, Mechanism]:
        return {m["id"]: m for m in self.raw["mechanisms"]}

    @cached_property
    def entities(self) -> dict[str, Entity]:
        return {e["id"]: e for e in self.raw["entities"]}

    @cached_property
    def claims(self) -> dict[str, Claim]:
        return self._index("claims") or {c["id"]: c for c in self.raw["claims"]}

    @cached_property
    def trials(self) -> dict[str, Trial]:
        return {t["id"]: t for t in self.raw["trials"]}
