"""`ketcli cite --output FILE`: citations written whole or not at all (write_file, which
`brief --output` and `export sqlite` use too)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ketcli.render.citations import EXTENSIONS
from ketcli.errors import UsageError, WriteError


def format_for(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(EXTENSIONS)
        raise UsageError(f"cannot tell the format of {path.name!r} from its extension ({known}); give --format") from None


def write_citations(result: dict, output: str, fmt: str | None) -> None:
    """Render and replace FILE atomically (temp file, fsync, rename); print nothing."""
    from ketcli.render.dispatch import render

    if not output.strip():
        raise UsageError("--output needs a file name")
    path = Path(output)
    chosen = format_for(path, fmt)
    if chosen == "table":
        raise UsageError("--output writes a file format (bibtex, ris, csl-json, json, …), not a table")
    text = render(result, chosen, "cite")
    if not text.endswith("\n"):
        text += "\n"
    write_file(output, text.encode("utf-8"))


def write_file(output: str, content: bytes) -> None:
    """Replace the file `output` with `content` atomically (temp file, fsync, rename):
    whole or not at all. Also what `brief --output` and `export sqlite` write with."""
    path = Path(output)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise WriteError(f"{path}: is a directory")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"{path}: cannot write there: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise WriteError(f"{path}: not written: {exc.strerror or exc}; the file is unchanged") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
