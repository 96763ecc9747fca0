"""ketcli's lay vocabulary (data/vocabulary.toml): the phrases people type and the review's
words a search for them also looks for. It is ketcli's curation, never the review's words;
an own dataset may add entries of its own (its `[[vocabulary]]` table).

Read only when the search index is built (a cache miss), and by `ketcli validate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ketcli.errors import DatasetError


def vocabulary_path() -> Path:
    """The vocabulary shipped with ketcli: inside the wheel, or data/ of a checkout."""
    from ketcli.data.dataset import _shipped

    return _shipped("vocabulary.toml", "data")


def problems(path: Path | None = None) -> list[str]:
    """Each problem of the vocabulary file, one line each ('file:line: entries[3] …: message')."""
    try:
        load(path, listing=True)
    except DatasetError as exc:
        return exc.problems or [exc.message]
    return []


def load(path: Path | None = None, listing: bool = False) -> list[dict[str, Any]]:
    """The file's entries as plain dicts, or a DatasetError: one line that sends to `ketcli
    validate`, or (`listing`) with each problem."""
    from pydantic import ValidationError

    import os

    from ketcli.data.building import _LineIndex, _locate, parse
    from ketcli.data.dataset import open_regular
    from ketcli.data.models import Vocabulary

    path = path or vocabulary_path()
    fd, _ = open_regular(path, missing="no such vocabulary file (ketcli's search vocabulary)")
    try:
        with os.fdopen(fd, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    raw = parse(path, content)
    try:
        model = Vocabulary.model_validate(raw)
    except ValidationError as exc:
        lines_of = _LineIndex(content)
        found = [_locate(path, lines_of, raw, err) for err in exc.errors(include_url=False)]
        raise DatasetError(f"{path}: {len(found)} problem(s) in the search vocabulary (ketcli validate lists them)",
                           found if listing else None) from None
    entries: list[dict[str, Any]] = model.model_dump()["entries"]
    return entries
