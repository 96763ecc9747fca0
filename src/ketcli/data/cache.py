"""A cache of validated datasets, so a query skips TOML parsing and validation.

Entries live in the user's cache directory, one file per key. The key is a hash of
the dataset files' bytes and the program's version, so an edited file or a new
ketcli never meets an old entry. The payload is `marshal` data of plain dicts,
lists, strings and numbers: loading it runs no code (unlike pickle), and a checksum
in the header is checked before loading, so a truncated or corrupted entry is
ignored. Any problem here means "no cache", never an error.

An entry is read lazily: opening it reads and checks only its table of contents; each
collection (claims and references: each record) is read, checked and decoded when a
query first uses it, so a query pays for what it reads, in time and in memory. A part
that fails its checksum then makes the entry rebuild the dataset from its file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import gc
import marshal
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values


MAGIC = b"KETCLI-CACHE-4\n"
HEADER = len(MAGIC) + 8  # then: toc length, toc crc32 (little-endian u32 each)
# Collections looked up by key: stored one marshal blob per record, decoded on use.
INDEXED = {"claims": "id", "references": "number"}
# The parts of a dataset entry whose shape a read checks; other entries (the search index)
# store parts of their own shapes, which their readers check.
DATASET_COLLECTIONS = frozenset({"references", "treatments", "table1", "mechanisms", "entities", "claims",
                                 "trials", "side_effects", "events"})


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is switched off (KETCLI_CACHE=0)."""
    if os.environ.get("KETCLI_CACHE", "1") in ("0", "off", "no", "false"):
        return None
    explicit = os.environ.get("KETCLI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ketcli"


def make_key(version: str, *contents: bytes) -> str:
    try:  # hashlib's blake2b without loading OpenSSL (_hashlib): 2–3 ms
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always has _blake2
        from hashlib import blake2b

    h = blake2b(version.encode(), digest_size=20)
    for content in contents:
        h.update(len(content).to_bytes(8, "little"))
        h.update(content)
    return h.hexdigest()


RACY_NS = 3_000_000_000  # a file changed this recently may change again within one timestamp tick


def stat_key(version: str, files: Iterable[str | os.PathLike[str]]) -> str | None:
    """A key from the files' stat fingerprints (device, inode, size, mtime, ctime), or
    None when any of them changed less than RACY_NS ago (or cannot be read): within a
    timestamp tick a rewrite of the same size could keep the fingerprint (git's "racy
    clean" problem), so fresh files are keyed by content instead. Plain numbers, no
    hash: a hit loads no hash module."""
    import time

    now = time.time_ns()
    parts = [version.replace("/", "_")]
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if now - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            return None
        parts.append(f"{st.st_dev:x}.{st.st_ino:x}.{st.st_size:x}.{st.st_mtime_ns:x}.{st.st_ctime_ns:x}")
    return "-".join(parts)


def alias(key: str, other: str | None) -> None:
    """Let the entry of `key` answer to `other` too (a hard link: no second copy)."""
    directory = cache_dir()
    if directory is None or other is None:
        return
    try:
        os.link(directory / f"{key}.bin", directory / f"{other}.alias")
    except FileExistsError:
        try:  # an alias left from an older entry: replace it
            tmp = directory / f".tmp-{other}.alias"
            os.link(directory / f"{key}.bin", tmp)
            os.replace(tmp, directory / f"{other}.alias")
        except OSError:
            pass
    except OSError:
        pass  # no hard links here: the content key still works


def _crc(data: bytes) -> int:
    return zlib.crc32(data)


FREEZE_WHAT_IS_BUILT = False
"""Set by the console script (cli/entry.py), a process that ends after one answer: what a
load built lives until exit, so the collector is told never to scan it again (gc.freeze).
Off in a process that stays (the Python API, `ketcli mcp`): a freeze also keeps whatever
cyclic garbage exists at that moment, for the life of the process."""


def quiet_gc() -> _QuietGC:
    """Decoding or building millions of objects with the cyclic GC on costs 2–3× more."""
    return _QuietGC()


class _QuietGC:
    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if FREEZE_WHAT_IS_BUILT:
            gc.freeze()
        if self.was:
            gc.enable()


class Corrupt(Exception):
    """A part of an entry does not match its checksum."""


def load(key: str | None, suffix: str, rebuild: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """The entry of `key` (suffix ".bin": by content, ".alias": by a stat key), or None.
    `rebuild()` gives the whole dataset, should a part of the entry turn out corrupted
    (or of the wrong shape) later: required, so no caller can meet a bad part unprepared.
    The one way to read an entry (dataset.load and curate.writes both call it)."""
    if key is None:
        return None
    directory = cache_dir()
    if directory is None:
        return None
    try:
        fd = os.open(directory / f"{key}{suffix}", os.O_RDONLY)
    except OSError:
        return None
    try:
        head = os.pread(fd, HEADER, 0)
        if len(head) < HEADER or not head.startswith(MAGIC):
            raise Corrupt
        size = int.from_bytes(head[len(MAGIC) : len(MAGIC) + 4], "little")
        toc = os.pread(fd, size, HEADER)
        if len(toc) != size or _crc(toc) != int.from_bytes(head[len(MAGIC) + 4 :], "little"):
            raise Corrupt
        small, spans, indexed, _source = marshal.loads(toc)
        _check_toc(small, spans, indexed)
    except (Corrupt, OSError, EOFError, ValueError, TypeError):
        os.close(fd)
        return None
    return Entry(small, spans, indexed, _Reader(fd, HEADER + size), rebuild)


def _span(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 3 and all(type(v) is int for v in value)


def _check_toc(small: object, spans: object, indexed: object) -> None:
    """A checksum proves the bytes are the ones written, not that the writer was this
    code: a table of contents of the wrong shape is no entry (never a crash later)."""
    if not (isinstance(small, dict) and isinstance(spans, dict) and isinstance(indexed, dict)):
        raise Corrupt
    # Each span is checked when its part is read (Entry.__missing__): the search index's entry
    # holds a part per word, thousands, and a query reads a few.
    for name, parts in indexed.items():
        if name not in INDEXED or not (isinstance(parts, tuple) and len(parts) == 2):
            raise Corrupt
        if not isinstance(parts[0], list) or not _span(parts[1]):
            raise Corrupt


class _Reader:
    """Checked reads from an open entry; the descriptor closes with the entry."""

    def __init__(self, fd: int, base: int) -> None:
        import weakref

        self.fd, self.base = fd, base
        weakref.finalize(self, os.close, fd)

    def read(self, start: int, end: int, crc: int) -> bytes:
        data = os.pread(self.fd, end - start, self.base + start)
        if len(data) != end - start or _crc(data) != crc:
            raise Corrupt
        return data


class Entry(dict[str, Any]):
    """A cached dataset: scalars and the source at once, each collection on first use."""

    def __init__(self, small: dict[str, Any], spans: dict[str, Any], indexed: dict[str, Any], reader: _Reader,
                 rebuild: Callable[[], dict[str, Any]]) -> None:
        super().__init__(small)
        self._spans = dict(spans)
        self._reader = reader
        self._rebuild = rebuild
        self._indexed = {name: Records(self, name, *parts) for name, parts in indexed.items()}

    def __missing__(self, name: str) -> Any:
        if name in self._spans:
            try:
                span = self._spans[name]
                if not _span(span):
                    raise Corrupt
                with quiet_gc():
                    value = marshal.loads(self._reader.read(*span))
                if name in DATASET_COLLECTIONS and not (
                        isinstance(value, list) and all(isinstance(v, dict) for v in value)):
                    raise Corrupt  # a dataset's collections are lists of records
            except (Corrupt, OSError, EOFError, ValueError, TypeError):
                return self._recover()[name]
            del self._spans[name]
        elif name in self._indexed:
            value = self._indexed[name].all()
        else:
            raise KeyError(name)
        self[name] = value
        return value

    def _recover(self) -> dict[str, Any]:
        """The whole dataset from its file, after a corrupted part; later reads use it."""
        full = self._rebuild()
        for name in [*self._spans, *self._indexed]:
            if not dict.__contains__(self, name):
                dict.__setitem__(self, name, full[name])
        for name, records in self._indexed.items():
            records._fill(dict.__getitem__(self, name))
        self._spans.clear()
        return self

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def index(self, name: str) -> Records | None:
        """Records of `name` by their key, decoded one by one; None if not indexed."""
        return self._indexed.get(name)

    def _complete(self) -> "Entry":
        for name in [*self._spans, *self._indexed]:
            self[name]
        return self

    # Whole-dict operations see every collection.
    def __eq__(self, other: object) -> bool:
        return dict.__eq__(self._complete(), other)

    __hash__ = None

    def __iter__(self) -> Iterator[str]:
        return dict.__iter__(self._complete())

    def __len__(self) -> int:
        return dict.__len__(self._complete())

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in self._spans or name in self._indexed

    def keys(self) -> dict_keys[str, Any]:
        return dict.keys(self._complete())

    def values(self) -> dict_values[str, Any]:
        return dict.values(self._complete())

    def items(self) -> dict_items[str, Any]:
        return dict.items(self._complete())

    def copy(self) -> dict[str, Any]:
        return dict(self.items())


class Records(Mapping[str, dict[str, Any]]):
    """key → record of one collection, each record read and decoded when first used."""

    def __init__(self, entry: Entry, name: str, keys: list[Any], table: tuple[int, int, int]) -> None:
        self._entry, self._name, self._keys = entry, name, keys
        self._table = table  # (start, end, crc) of the record table: per record u64 start, u32 crc
        self._rows: memoryview | None = None
        self._position: dict[str, Any] | None = None
        self._done: list[Any] = [None] * len(keys)

    def _row(self, i: int) -> tuple[int, int, int]:
        if self._rows is None:
            self._rows = memoryview(self._entry._reader.read(*self._table)).cast("Q")
        # rows: start_0, crc_0, start_1, crc_1, …, end
        return self._rows[2 * i], self._rows[2 * i + 2], self._rows[2 * i + 1]

    def _at(self, i: int) -> dict[str, Any]:
        record: dict[str, Any] | None = self._done[i]
        if record is None:
            try:
                record = marshal.loads(self._entry._reader.read(*self._row(i)))
                if not isinstance(record, dict):
                    raise Corrupt
            except (Corrupt, OSError, EOFError, ValueError, TypeError):
                self._entry._recover()
                recovered: dict[str, Any] = self._done[i]
                return recovered
            self._done[i] = record
        return record

    def _fill(self, records: list[dict[str, Any]]) -> None:
        self._done = list(records)

    def __getitem__(self, key: Any) -> dict[str, Any]:
        if self._position is None:
            self._position = {k: i for i, k in enumerate(self._keys)}
        return self._at(self._position[key])

    def __contains__(self, key: object) -> bool:
        if self._position is None:
            self._position = {k: i for i, k in enumerate(self._keys)}
        return key in self._position

    def __iter__(self) -> Iterator[Any]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def all(self) -> list[dict[str, Any]]:
        with quiet_gc():
            return [self._at(i) for i in range(len(self._keys))]


def _payload(data: dict[str, Any], source: str = "") -> bytes:
    """Header, table of contents, body: the toc holds the small fields and where each
    collection (or, for INDEXED ones, each record) lies in the body, with checksums."""
    small, spans, indexed, body, size = {}, {}, {}, [], 0

    def add(blob: bytes) -> tuple[int, int, int]:
        nonlocal size
        body.append(blob)
        size += len(blob)
        return size - len(blob), size, _crc(blob)

    for name, value in data.items():
        if name in INDEXED and isinstance(value, list):
            rows: list[int] = []
            for record in value:
                start, _, crc = add(marshal.dumps(record))
                rows += (start, crc)
            rows.append(size)
            import array

            indexed[name] = ([r[INDEXED[name]] for r in value], add(array.array("Q", rows).tobytes()))
        elif isinstance(value, list):
            spans[name] = add(marshal.dumps(value))
        else:
            small[name] = value
    toc = marshal.dumps((small, spans, indexed, source))
    return MAGIC + len(toc).to_bytes(4, "little") + _crc(toc).to_bytes(4, "little") + toc + b"".join(body)


KEEP = 3
"""Entries kept per dataset path. Each edit of a file makes a new entry (its key is the
content's hash), so without pruning the directory grows with every write. Three: the
current state, the one before it (a file switched back, as `git checkout` or an undo
does, still starts warm), and one more for a file edited while another run still reads
the old entry. Older ones are removed when a new entry is stored (a miss, which has
just paid for a full parse, so reading the other entries' headers costs little)."""


def store(key: str | None, data: dict[str, Any], source: str | os.PathLike[str] = "") -> None:
    """Write the entry of `key`, then prune older entries of the same `source` path."""
    directory = cache_dir()
    if directory is None or key is None:
        return
    import tempfile  # only a miss writes

    try:
        source = os.path.realpath(source) if source else ""
        blob = _payload(data, source)
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".bin")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(blob)
            os.replace(tmp, directory / f"{key}.bin")
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        return  # a read-only or full cache directory only costs speed
    prune(directory, source, keep=KEEP)


def _source_of(path: Path) -> str | None:
    """The dataset path an entry was built from, or None if it is no readable entry."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER)
            if len(head) < HEADER or not head.startswith(MAGIC):
                return None
            toc = handle.read(int.from_bytes(head[len(MAGIC) : len(MAGIC) + 4], "little"))
        if _crc(toc) != int.from_bytes(head[len(MAGIC) + 4 :], "little"):
            return None
        source = marshal.loads(toc)[3]
        return source if isinstance(source, str) else None
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError):
        return None


def prune(directory: Path, source: str, keep: int = KEEP) -> None:
    """Keep the newest `keep` entries of `source`; remove unreadable entries (an old
    format, a corrupted file) and aliases whose entry is gone."""
    try:
        entries = []
        for path in directory.glob("*.bin"):
            if path.name.startswith(".tmp-"):
                continue
            owner = _source_of(path)
            if owner is None:
                _remove(path)
            elif owner == source:
                entries.append((path.stat().st_mtime_ns, path))
        entries.sort(reverse=True)
        for _, path in entries[keep:]:
            _remove(path)
        for path in directory.glob("*.alias"):
            if path.stat().st_nlink < 2:  # its entry was removed: the alias is the last link
                _remove(path)
    except OSError:
        pass


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
