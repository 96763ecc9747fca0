"""Find, read, validate and index the dataset.

`load()` returns a `Data`: the validated dataset as plain dicts (the shape of
`models.Dataset.model_dump()`), with indexes. A cache hit costs a file read, a hash
and a `marshal` load; only a miss imports tomllib, pydantic and the models.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, overload
from pathlib import Path

from ketcli import __version__

from ketcli.data import cache
from ketcli.data.vocab import COLLECTIONS as COLLECTIONS, Collection as Collection  # re-exported: importers use them from here
from ketcli.errors import DatasetError

if TYPE_CHECKING:
    from ketcli.data.records import (Claim, Entity, Event, Mechanism, Reference, SideEffect, Source, TableCell,
                                     Treatment, Trial, VocabularyEntry)

ENV_VAR = "KETCLI_DATA"


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
    """Parse, validate, merge with the bundled file if asked, and check integrity
    (data/building.py: imported on a cache miss only, with pydantic)."""
    from ketcli.data.building import build_dataset

    merged = build_dataset(path, content, bundled, read_bytes)
    # Every answer names the file it came from by this hash; kept with the cached data,
    # so a warm query pays no read and no hash for it.
    merged[SHA256] = sha256_of(content)
    return merged


SHA256 = "sha256"  # the key of the file's SHA-256 in a built dataset (not a collection)


def sha256_of(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()


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

    # Each collection's records as their TypedDict (data/records.py), so mypy checks the keys
    # a query reads; a name that is no collection is an error to mypy, not a KeyError later.
    @overload
    def __getitem__(self, name: Literal["references"]) -> list[Reference]: ...
    @overload
    def __getitem__(self, name: Literal["treatments"]) -> list[Treatment]: ...
    @overload
    def __getitem__(self, name: Literal["table1"]) -> list[TableCell]: ...
    @overload
    def __getitem__(self, name: Literal["mechanisms"]) -> list[Mechanism]: ...
    @overload
    def __getitem__(self, name: Literal["entities"]) -> list[Entity]: ...
    @overload
    def __getitem__(self, name: Literal["claims"]) -> list[Claim]: ...
    @overload
    def __getitem__(self, name: Literal["trials"]) -> list[Trial]: ...
    @overload
    def __getitem__(self, name: Literal["side_effects"]) -> list[SideEffect]: ...
    @overload
    def __getitem__(self, name: Literal["events"]) -> list[Event]: ...
    @overload
    def __getitem__(self, name: Literal["vocabulary"]) -> list[VocabularyEntry]: ...

    def __getitem__(self, name: Collection | Literal["vocabulary"]) -> list[Any]:
        records: list[Any] = self.raw[name]
        return records

    @property
    def source(self) -> Source:
        """The review the dataset encodes (an own file that `extends` the bundled one has the
        bundled review: build() merges them)."""
        source: Source = self.raw["source"]
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
