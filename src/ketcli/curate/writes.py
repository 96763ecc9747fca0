"""Writes to a curator's own dataset file that never lose a line.

Two operations:

* `append(path, make)` adds records at the end of an existing file. Under an exclusive
  lock (`flock` on the file itself, re-checked after every wait, since a writer that held
  it replaced the file), it reads the file, builds the combined dataset, asks `make` for
  the records to add (so ids and reference numbers are chosen against what is really
  there), renders them as TOML tables with tomli-w, and validates the whole result with
  `dataset.build` before a byte is written. The new content is the old bytes unchanged
  plus the new tables: comments and layout survive. It is written to a temporary file
  in the same directory, flushed, fsynced, read back, renamed over the original (keeping
  its mode and owner) and the directory fsynced. A crash, a kill, a full disk or a file
  size limit leaves the original as it was; any failure is a `WriteError` (exit 4).
* `create(path, text)` writes a new file and never replaces an existing one, not even in
  a race: the text goes to a temporary file that is then hard-linked to its name
  (`link` fails if the name exists).

SIGXFSZ is ignored while writing, so a file size limit (`ulimit -f`) makes `write`
fail with EFBIG instead of killing the process.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ketcli.data.files import fsync_dir as _fsync_dir  # the one atomic writer's parts (data/files.py)
from ketcli.data.files import read_back as _read_back
from ketcli.data.files import write_all as _write_all
from ketcli.errors import DatasetError, UsageError, WriteError

LOCK_TIMEOUT = 30.0
"""Seconds to wait for another writer before giving up."""

_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (a file size limit was reached)",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.EIO: "input/output error",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOENT: "no such file or directory",
    errno.ENOTDIR: "a part of the path is not a directory",
    errno.EXDEV: "cannot rename across file systems",
}


def reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or exc.__class__.__name__


def refused(message: str, problems: list[str] | None = None) -> WriteError:
    """A WriteError that may carry problem lines (the CLI prints `.problems`)."""
    error = WriteError(message)
    error.problems = list(problems or [])  # type: ignore[attr-defined]
    return error


def check_path(path: str) -> str:
    if not path or not path.strip():
        raise UsageError("the dataset file name is empty")
    if "\x00" in path:
        raise UsageError("the dataset file name contains a NUL character")
    return path


# --- rendering --------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_drop_none(v) for v in value if v is not None]
    return value


def _is_tables(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(header: str, record: dict, many: bool) -> list[str]:
    lines = [f"[[{header}]]" if many else f"[{header}]"]
    subtables: list[tuple[str, dict, bool]] = []
    for key, value in record.items():
        if not _BARE_KEY.match(key):
            raise ValueError(f"field name {key!r} cannot be written")
        if isinstance(value, dict):
            subtables.append((key, value, False))
        elif _is_tables(value):
            subtables += [(key, item, True) for item in value]
        else:
            lines.append(_key_value(key, value))
    for key, value, sub_many in subtables:
        # [claims.value] and [[claims.quantities]] belong to the last [[claims]] above them.
        lines += ["", *_table(f"{header}.{key}", value, sub_many)]
    return lines


def _key_value(key: str, value) -> str:
    """`key = value` by tomli-w; a short array of scalars on one line, as people write it."""
    import tomli_w

    if isinstance(value, (list, tuple)) and value and not any(isinstance(v, (list, tuple, dict)) for v in value):
        items = [tomli_w.dumps({"v": v})[len("v = "):].rstrip("\n") for v in value]
        line = f"{key} = [{', '.join(items)}]"
        if len(line) <= 100 and "\n" not in line:
            return line
    return tomli_w.dumps({key: value}).rstrip("\n")


def render(records: dict[str, list[dict]]) -> str:
    """`[[collection]]` tables for each record, None fields left out (TOML has no null).

    Every collection is written as an array of tables, never as `name = [...]`, so the
    text can follow any existing content of a dataset file.
    """
    blocks = []
    for collection, items in records.items():
        if not _BARE_KEY.match(collection):
            raise ValueError(f"collection name {collection!r} cannot be written")
        for record in items:
            blocks.append("\n".join(_table(collection, _drop_none(record), True)) + "\n")
    return "\n".join(blocks)


def joined(old: bytes, text: str) -> bytes:
    """Old bytes untouched, a blank line, then `text` in the file's line endings."""
    crlf = old.count(b"\r\n") * 2 > old.count(b"\n")
    newline = b"\r\n" if crlf else b"\n"
    body = text.encode("utf-8")
    if crlf:
        body = body.replace(b"\n", b"\r\n")
    if not old:
        return body
    separator = b"" if old.endswith(b"\n") else newline
    if not (old + separator).endswith(newline * 2):
        separator += newline
    return old + separator + body


# --- checking ---------------------------------------------------------------------

def build(shown: Path, content: bytes) -> dict:
    """The combined dataset that `content` gives (with the bundled one if it extends it)."""
    from ketcli.data.dataset import build as build_dataset
    from ketcli.data.dataset import bundled_path

    return build_dataset(shown, content, bundled_path())


def _cache_key(content: bytes) -> str | None:
    """The key `dataset.load` uses for a file that is not the bundled one."""
    from ketcli import __version__
    from ketcli.data import cache
    from ketcli.data.dataset import bundled_path

    try:
        bundled = bundled_path().read_bytes()
    except OSError:
        bundled = b""
    return cache.make_key(__version__, content, bundled)


def build_cached(shown: Path, content: bytes) -> dict:
    """`build`, through the query cache: the state before a write is usually in it already."""
    from ketcli.data import cache

    key = _cache_key(content)
    raw = cache.load(key, ".bin", lambda: build(shown, content))
    if raw is None:
        raw = build(shown, content)
        cache.store(key, raw, shown)
    return raw


def _check_new(shown: Path, old: bytes, new: bytes, text: str, added: dict[str, list[dict]]) -> dict:
    """Refuse unless `new` is valid and holds exactly the old data plus `added`."""
    import tomllib

    try:
        raw = build(shown, new)  # always a full build: the new content is checked, never looked up
    except DatasetError as exc:
        message = exc.message
        if "not valid TOML" in message:
            message += _inline_array_hint(old, added)
        raise refused(f"write refused, {shown} is unchanged: the result would be invalid: {message}",
                      exc.problems) from None
    # Numbers are compared as written (parse_float=str), so a nan in the file compares equal.
    alone = tomllib.loads(text, parse_float=str)
    before = tomllib.loads(old.decode("utf-8-sig"), parse_float=str)
    after = tomllib.loads(new.decode("utf-8-sig"), parse_float=str)
    expected = dict(before)
    for collection in added:
        expected[collection] = list(before.get(collection, [])) + alone[collection]
    if after != expected or tomllib.loads(text) != {k: _drop_none(v) for k, v in added.items()}:
        # a bug in rendering, never the user's fault: still nothing written
        raise refused(f"write refused, {shown} is unchanged: the appended text did not read back as meant")
    return raw


def _inline_array_hint(old: bytes, added: dict[str, list[dict]]) -> str:
    text = old.decode("utf-8", "replace")
    for collection in added:
        if re.search(rf"^\s*{re.escape(collection)}\s*=", text, re.MULTILINE):
            return (f" ({collection} is written as '{collection} = [...]' in the file; ketcli can only "
                    f"append [[{collection}]] tables: rewrite it as tables)")
    return ""


# --- the file system ----------------------------------------------------------------

@contextmanager
def _no_sigxfsz() -> Iterator[None]:
    """Let a write over the file size limit fail with EFBIG instead of killing us."""
    previous = None
    if hasattr(signal, "SIGXFSZ"):
        try:
            previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        except ValueError:  # not the main thread
            previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGXFSZ, previous)


def _open_existing(target: Path, shown: str) -> tuple[int, os.stat_result]:
    from ketcli.data.dataset import open_regular

    return open_regular(target, shown, missing="no such dataset file (create one with: ketcli data init FILE)")


@contextmanager
def _locked(target: Path, shown: str, timeout: float) -> Iterator[tuple[int, os.stat_result]]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        raise refused(f"{shown} is unchanged: this system has no file locks (fcntl); "
                      "ketcli writes only under a lock") from None

    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        fd, info = _open_existing(target, shown)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise refused(f"{shown} is unchanged: another process kept it locked for "
                                      f"{timeout:g} s; try again") from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.05)
                except OSError as exc:
                    raise refused(f"{shown} is unchanged: cannot lock it ({reason(exc)}); "
                                  "ketcli writes only under a lock") from None
            try:
                now = os.stat(target)
            except OSError:
                now = None
            if now is not None and (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):
                yield fd, os.fstat(fd)
                return
        finally:
            os.close(fd)  # closing releases the lock
        # Another writer replaced the file while we waited: lock the new one.


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def _temp_name(target: Path, kind: str) -> Path:
    name = target.name if len(target.name) <= 200 else "dataset"
    return target.parent / f".{name}.ketcli-{kind}{secrets.token_hex(6)}.tmp"


def _remove_stale(target: Path) -> None:
    """Temporary files of writers that died (we hold the lock, so none is alive)."""
    if len(target.name) > 200:
        return
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.ketcli-[0-9a-f]{{12}}\.tmp$")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if pattern.match(name):
            try:
                os.unlink(target.parent / name)
            except OSError:
                pass


def _replace(target: Path, content: bytes, info: os.stat_result, shown: str) -> None:
    from ketcli.data import files

    try:
        files.replace(target, content, like=info, tmp=_temp_name(target, ""))
    except OSError as exc:
        raise refused(f"{shown} is unchanged: the write failed: {reason(exc)}") from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def append(
    path: str,
    make: Callable[[object], dict[str, list[dict]]],
    *,
    timeout: float = LOCK_TIMEOUT,
) -> dict[str, list[dict]]:
    """Append the records `make(data)` returns to the dataset file `path`, safely.

    `make` gets the combined dataset (a `dataset.Data`) as it is under the lock and
    returns {collection: [record, ...]}; it may raise a KetcliError to stop (nothing is
    written). Returns what was added.
    """
    from ketcli.data.dataset import Data, bundled_path

    shown = check_path(path)
    target = Path(os.path.realpath(path))
    if _same_file(target, bundled_path()):
        raise refused(f"{shown} is the bundled dataset; keep your own records in a file of your own "
                      "(ketcli data init FILE)")
    with _no_sigxfsz(), _locked(target, shown, timeout) as (fd, info):
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise refused(f"{shown} is read-only; it was not changed (make it writable to add to it)")
        _remove_stale(target)
        old = _read_all(fd)
        data = Data(build_cached(Path(shown), old), Path(shown))
        added = {name: list(items) for name, items in make(data).items() if items}
        if not added:
            return {}
        try:
            text = render(added)
        except (ValueError, TypeError) as exc:
            raise refused(f"write refused, {shown} is unchanged: cannot write these records as TOML: {exc}") from None
        new = joined(old, text)
        raw = _check_new(Path(shown), old, new, text, added)
        _replace(target, new, info, shown)
        from ketcli.data import cache

        cache.store(_cache_key(new), raw, shown)  # the next query of the file starts warm
    return added


def create(path: str, content: bytes) -> None:
    """Write a new file at `path`; an existing file (or link, or directory) is never replaced."""
    shown = check_path(path)
    target = Path(path)
    if os.path.lexists(target):
        raise refused(f"{shown} already exists; it was not changed (choose another name)")
    directory = target.parent
    if not directory.is_dir():
        raise refused(f"{shown}: not written: no such directory {str(directory)!r}")
    tmp = _temp_name(target, "new-")
    fd = -1
    try:
        with _no_sigxfsz():
            try:
                fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
                _write_all(fd, content)
                os.fsync(fd)
                _read_back(fd, content)
                os.close(fd)
                fd = -1
            except OSError as exc:
                raise refused(f"{shown}: not written: {reason(exc)}") from None
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise refused(f"{shown} already exists; it was not changed (choose another name)") from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS):
                    raise refused(f"{shown}: not written: {reason(exc)}") from None
                _create_without_link(target, content, shown)
    finally:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _fsync_dir(directory)


def _create_without_link(target: Path, content: bytes, shown: str) -> None:
    """For file systems without hard links: O_EXCL still never replaces a file."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except FileExistsError:
        raise refused(f"{shown} already exists; it was not changed (choose another name)") from None
    except OSError as exc:
        raise refused(f"{shown}: not written: {reason(exc)}") from None
    try:
        _write_all(fd, content)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        os.unlink(target)  # ours: O_EXCL created it
        raise refused(f"{shown}: not written: {reason(exc)}") from None
    os.close(fd)
