"""`ketcli cite --output FILE`: citations written whole or not at all (write_file, which
`brief --output` and `export sqlite` use too)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import os
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


def write_citations(result: Mapping[str, Any], output: str, fmt: str | None) -> None:
    """Render and replace FILE atomically; print nothing."""
    from ketcli.render.dispatch import render

    if not output.strip():
        raise UsageError("--output needs a file name")
    path = Path(output)
    chosen = format_for(path, fmt)
    if chosen == "table":
        raise UsageError("--output writes a file format (bibtex, ris, csl-json, json, …), not a table")
    text = render(result, chosen, "cite") or ""  # never None: "table" is refused above
    if not text.endswith("\n"):
        text += "\n"
    write_file(output, text.encode("utf-8"))


def write_file(output: str, content: bytes) -> None:
    """Replace the file `output` with `content` atomically (data/files.py: temp file, fsync,
    rename): whole or not at all. A FIFO, device or directory is refused (exit 4); a link is
    followed. Also what `brief --output` and `export sqlite` write with."""
    from ketcli.data import files

    path = Path(output)
    try:
        target = files.regular_target(path)
    except OSError as exc:
        raise WriteError(f"{path}: not written: {exc.strerror or exc}") from None
    try:
        like = os.stat(target)
    except OSError:
        like = None  # a new file
    try:
        files.replace(target, content, like=like)
    except OSError as exc:
        raise WriteError(f"{path}: not written: {exc.strerror or exc}; the file is unchanged") from None
