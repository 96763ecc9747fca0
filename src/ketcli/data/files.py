"""The one atomic file writer: a file is replaced whole or not at all.

Both writers of ketcli use it: `cite --output` (render/citefile.py) and the curate
writes (curate/writes.py). It sits in `data`, the lowest part that touches files, so
both may import it. The content goes to a new temporary file beside the target (an
unguessable name, O_EXCL), is fsynced and read back, then renamed over the target; the
directory is fsynced after. A failure leaves the target as it was and removes the
temporary file.

Targets that are not regular files are refused (`regular_target`): a rename would
replace a FIFO, a device node or a socket with a regular file (as root, `--output
/dev/stdout` would replace /dev/stdout), and writing through to one cannot be whole or
not at all. A symbolic link is followed: the file it names is replaced, the link stays.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from pathlib import Path


class NotRegular(OSError):
    """The target exists and is not a regular file (nor a link to one)."""


def regular_target(path: Path) -> Path:
    """The file to replace for `path`: `path` itself, or the file its links lead to.
    Raises NotRegular for a FIFO, device, socket or directory, OSError for a link loop."""
    real = Path(os.path.realpath(path, strict=False))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return real  # a new file (or a link to a name not yet there): created as a regular file
    if not stat.S_ISREG(info.st_mode):
        kind = ("a directory" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise NotRegular(errno.EINVAL, f"is {kind}, not a regular file; ketcli replaces only regular files")
    return real


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether `a` and `b` name one file: the same path once links and ".." are resolved,
    or (both existing) the same inode, a hard link included."""
    try:
        if os.path.realpath(a) == os.path.realpath(b):
            return True
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # pragma: no cover - write(2) reports errors as exceptions
            raise OSError(errno.EIO, "write made no progress")
        view = view[written:]


def read_back(fd: int, data: bytes) -> None:
    if os.pread(fd, len(data) + 1, 0) != data:
        raise OSError(errno.EIO, "the written file did not read back as written")


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            sys.stderr.write(f"ketcli: warning: written, but the directory could not be synced: {exc.strerror or exc}\n")
    finally:
        os.close(fd)


def _lock(fd: int, wait: bool) -> bool:
    """An exclusive advisory lock on `fd` (released when the process ends, however it
    ends); False when another process holds it and `wait` is False."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, no cleanup
        return wait
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def remove_stale(target: Path) -> None:
    """Remove the temporary files (`.NAME.<hex>.tmp`) that writers of `target` killed
    mid-write left. A writer locks its file (flock) from creation to rename, and a lock
    dies with its process: a file whose lock can be taken has no live writer."""
    import re

    pattern = re.compile(rf"\.{re.escape(target.name[:200])}\.[0-9a-f]{{12}}\.tmp")
    try:
        names = [n for n in os.listdir(target.parent) if pattern.fullmatch(n)]
    except OSError:
        return
    for name in names:
        path = target.parent / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and _lock(fd, wait=False):
                now = os.lstat(path)  # still the same file under that name
                if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):
                    os.unlink(path)
        except OSError:
            pass
        finally:
            os.close(fd)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace(target: Path, content: bytes, *, like: os.stat_result | None = None, tmp: Path | None = None) -> None:
    """Replace `target` (a regular file or a new name) with `content`, atomically.
    The new file gets the owner and mode of `like` (the file it replaces) when given,
    else the mode a new file gets (0666 less the umask). `tmp` names the temporary file
    (default: `.NAME.` + random hex + `.tmp` beside it). Raises OSError; the target is then
    unchanged."""
    if tmp is None:
        remove_stale(target)
        tmp = target.parent / f".{target.name[:200]}.{secrets.token_hex(6)}.tmp"
    fd = -1
    done = False
    try:
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        _lock(fd, wait=True)  # held until the process ends: a live writer's file is not stale
        if like is not None:
            try:
                os.fchown(fd, like.st_uid, like.st_gid)
            except OSError:
                pass
        os.fchmod(fd, stat.S_IMODE(like.st_mode) if like is not None else 0o666 & ~umask())
        write_all(fd, content)
        os.fsync(fd)
        read_back(fd, content)
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
        done = True
    finally:
        if fd >= 0:
            os.close(fd)
        if not done:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    fsync_dir(target.parent)
