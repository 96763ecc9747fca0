"""Side effects grouped by their source, for the views a reader scans: the rows of one study of
one treatment together (one study's time course said once), and rows with no study that cite the
same references for the same words together. Every row, and so every number, stays in its group."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def by_source(effects: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """The side effects in their order, gathered in groups that share a source."""
    groups: list[list[Mapping[str, Any]]] = []
    where: dict[tuple, list[Mapping[str, Any]]] = {}
    for s in effects:
        key: tuple | None = (s["treatment"], s["study"])
        if not s["study"]:  # no study: rows citing the same references for the same words
            key = None if s["quantity"] else (s["treatment"], tuple(s["refs"]), s["frequency"], s["time_course"])
        if key is not None and key in where:
            where[key].append(s)
            continue
        groups.append([s])
        if key is not None:
            where[key] = groups[-1]
    return groups
