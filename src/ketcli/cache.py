"""A cache of validated datasets, so a query skips TOML parsing and validation.

Entries live in the user's cache directory, one file per key. The key is a hash of
the dataset files' bytes and the program's version, so an edited file or a new
ketcli never meets an old entry. The payload is `marshal` data of plain dicts,
lists, strings and numbers: loading it runs no code (unlike pickle), and a digest
in the header is checked before loading, so a truncated or corrupted entry is
ignored. Any problem here means "no cache", never an error.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

try:  # the blake2 module alone: hashlib would also load OpenSSL, a few ms of every start
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always builds _blake2
    from hashlib import blake2b

MAGIC = b"KETCLI-CACHE-1\n"
DIGEST_SIZE = 32


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
    h = blake2b(version.encode(), digest_size=20)
    for content in contents:
        h.update(len(content).to_bytes(8, "little"))
        h.update(content)
    return h.hexdigest()


def _digest(payload: bytes) -> bytes:
    return blake2b(payload, digest_size=DIGEST_SIZE).digest()


def load(key: str) -> dict | None:
    directory = cache_dir()
    if directory is None:
        return None
    try:
        blob = (directory / f"{key}.bin").read_bytes()
    except OSError:
        return None
    header = len(MAGIC) + DIGEST_SIZE
    if len(blob) < header or not blob.startswith(MAGIC):
        return None
    payload = blob[header:]
    if _digest(payload) != blob[len(MAGIC) : header]:
        return None
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def store(key: str, data: dict) -> None:
    directory = cache_dir()
    if directory is None:
        return
    import tempfile

    try:
        payload = marshal.dumps(data)
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".bin")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + _digest(payload) + payload)
            os.replace(tmp, directory / f"{key}.bin")
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass  # a read-only or full cache directory only costs speed
